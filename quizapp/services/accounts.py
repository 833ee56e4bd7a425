"""Creating users and checking credentials."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from zoneinfo import available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

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


@cache
def common_passwords() -> frozenset[str]:
    text = files("quizapp").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def validate_password(password: str, username: str = "") -> None:
    """Raises AccountError when the password is too short, too long or too easy to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Passwords can have at most {MAX_PASSWORD_LENGTH} characters.")
    if password.lower() in common_passwords():
        raise AccountError("That password is one of the most common ones. Please choose another.")
    if username and password.lower() == username.lower():
        raise AccountError("Your password must not be your username.")


def set_password(user: User, password: str) -> None:
    """Change a password and end every session signed in with the old one."""
    validate_password(password, user.username)
    user.password_hash = generate_password_hash(password)
    user.rotate_session_token()


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
    validate_password(password, username)
    if find_user(session, username) is not None:
        raise AccountError(f"The username {username!r} is already taken.")
    user = User(username=username, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    session.flush()
    return user


# Checked against when the username is unknown, so both failures take as long.
_DUMMY_HASH = generate_password_hash("not a real password")


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user with these credentials, or None. Never says which part was wrong."""
    user = find_user(session, username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def update_settings(user: User, timezone: str, daily_new_limit: int) -> None:
    if timezone not in available_timezones():
        raise AccountError(f"Unknown time zone {timezone!r}.")
    if not 0 <= daily_new_limit <= 500:
        raise AccountError("The daily limit of new cards must be between 0 and 500.")
    user.timezone = timezone
    user.daily_new_limit = daily_new_limit
