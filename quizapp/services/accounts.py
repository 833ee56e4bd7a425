"""Creating users and checking credentials."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from quizapp.models import Role, User
from quizapp.services import DomainError

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200


class AccountError(DomainError):
    pass


def validate_username(username: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "Usernames are 3 to 40 characters: letters, digits, dot, dash or underscore."
        )


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Passwords can have at most {MAX_PASSWORD_LENGTH} characters.")


def canonical_username(username: str) -> str:
    """Usernames are stored lower-case so 'Ana' and 'ana' are one account."""
    return username.strip().lower()


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == canonical_username(username)))


def create_user(session: Session, username: str, password: str, role: Role = Role.STUDENT) -> User:
    """Add a user (not committed).

    Raises:
        AccountError: the username is malformed or taken, or the password too weak.
    """
    username = canonical_username(username)
    validate_username(username)
    validate_password(password)
    if find_user(session, username) is not None:
        raise AccountError(f"The username {username!r} is already taken.")
    user = User(username=username, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    session.flush()
    return user
