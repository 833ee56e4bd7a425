"""Factories and an auth helper for app tests."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import accounts

DEFAULT_PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(role: Role = Role.STUDENT, username: str | None = None, timezone: str = "UTC", **fields: object) -> User:
    """A committed user whose password is DEFAULT_PASSWORD."""
    user = accounts.create_user(db.session, username or f"user{next(_numbers)}", DEFAULT_PASSWORD, role)
    user.timezone = timezone
    for name, value in fields.items():
        setattr(user, name, value)
    db.session.commit()
    return user


def login(client: FlaskClient, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in through the real form."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def login_as(client: FlaskClient, role: Role = Role.STUDENT, **fields: object) -> User:
    user = make_user(role, **fields)
    login(client, user.username)
    return user
