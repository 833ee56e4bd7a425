"""Creating users and checking credentials."""

from __future__ import annotations

import re
import threading
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.domain.languages import Language
from quizapp.domain.scheduling import MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION
from quizapp.models import Role, User
from quizapp.services import DbSession, DomainError

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
# zxcvbn's scores: 3 is "safely unguessable", more than 10^8 guesses even for an attacker who knows
# its dictionaries (30,000 common passwords, 64,000 words and names) and patterns (dates, l33t, keyboards).
MIN_PASSWORD_SCORE = 3
# zxcvbn's own bound: its matching grows faster than the length (a random 200-character password
# takes seconds). A longer password is judged by its first part, which a guesser must find too.
STRENGTH_CHECKED_LENGTH = 72
SITE_WORDS = ("quizapp",)
TOO_EASY = "Too easy to guess."
PASSWORD_ADVICE = "Three or four words that do not belong together make a strong password that is easy to remember."


USERNAME_TAKEN = "username_taken"
PASSWORD_TOO_EASY = "password_too_easy"


class AccountError(DomainError):
    """An account change refused; ``field`` names the input at fault ("username", "password", ...).

    ``code`` names the refusals a form cannot foresee (USERNAME_TAKEN, PASSWORD_TOO_EASY), so a view
    can word them in the user's language; the message is English.
    """

    def __init__(self, message: str, field: str, code: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.code = code


def validate_username(username: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise AccountError("Usernames are 3 to 40 characters: letters, digits, dot, dash or underscore.", "username")


# zxcvbn keeps the words of the current check in a module-level dict: one check at a time.
_strength_check = threading.Lock()


def _strength(password: str, username: str) -> dict[str, Any]:
    # Imported on first use: its dictionaries take 13 MB, in every worker, for the few requests that
    # set a password.
    from zxcvbn import zxcvbn

    with _strength_check:
        return zxcvbn(password[:STRENGTH_CHECKED_LENGTH], user_inputs=[username, *SITE_WORDS])


def password_weakness(password: str, username: str = "") -> str | None:
    """Why ``password`` is too easy to guess and how to choose a better one, or None if it is strong.

    Judged by zxcvbn, which estimates how many guesses a cracking program needs.
    """
    result = _strength(password, username)
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = result["feedback"]
    if feedback["warning"]:
        why = feedback["warning"]
    elif any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        why = "It is built on your username or this site's name."
    else:
        why = "Password-guessing programs try patterns like it early."
    how = " ".join(feedback["suggestions"]) or PASSWORD_ADVICE
    return f"{TOO_EASY} {why} {how}"


def validate_password(password: str, username: str = "") -> None:
    """Raises AccountError when the password is too short, too long or too easy to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.", "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Passwords can have at most {MAX_PASSWORD_LENGTH} characters.", "password")
    weakness = password_weakness(password, username)
    if weakness:
        raise AccountError(weakness, "password", PASSWORD_TOO_EASY)


def set_password(user: User, password: str) -> None:
    """Change a password and end every session signed in with the old one."""
    validate_password(password, user.username)
    user.password_hash = generate_password_hash(password)
    user.rotate_session_token()


def canonical_username(username: str) -> str:
    """Usernames are stored lower-case so 'Ana' and 'ana' are one account."""
    return username.strip().lower()


def find_user(session: DbSession, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == canonical_username(username)))


def create_user(
    session: DbSession, username: str, password: str, role: Role = Role.STUDENT, timezone: str = "UTC"
) -> User:
    """Add a user (not committed) living in ``timezone`` (an IANA name).

    Raises:
        AccountError: the username is malformed or taken, the password too weak, or the time zone unknown.
    """
    username = canonical_username(username)
    validate_username(username)
    validate_password(password, username)
    validate_timezone(timezone)
    if find_user(session, username) is not None:
        raise AccountError(f"The username {username!r} is already taken.", "username", USERNAME_TAKEN)
    user = User(username=username, password_hash=generate_password_hash(password), role=role, timezone=timezone)
    session.add(user)
    session.flush()
    return user


# Checked against when the username is unknown, so both failures take as long.
_DUMMY_HASH = generate_password_hash("not a real password")


def authenticate(session: DbSession, username: str, password: str) -> User | None:
    """The user with these credentials, or None. Never says which part was wrong."""
    user = find_user(session, username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


MAX_NEW_PER_DAY = 500
MAX_REVIEWS_PER_DAY = 9999


def validate_timezone(timezone: str) -> None:
    """Raises AccountError unless ``timezone`` is an IANA time zone, e.g. America/Lima."""
    if timezone not in available_timezones():
        raise AccountError(f"Unknown time zone {timezone!r}: give an IANA name such as America/Lima.", "timezone")


def update_settings(
    user: User, timezone: str, daily_new_limit: int, daily_review_limit: int, desired_retention: float
) -> None:
    """Change a user's time zone and study settings (not committed).

    Raises:
        AccountError: a value out of range, naming its field.
    """
    validate_timezone(timezone)
    if not 0 <= daily_new_limit <= MAX_NEW_PER_DAY:
        raise AccountError(f"The daily limit of new cards must be between 0 and {MAX_NEW_PER_DAY}.", "daily_new_limit")
    if not 0 <= daily_review_limit <= MAX_REVIEWS_PER_DAY:
        raise AccountError(
            f"The daily limit of reviews must be between 0 and {MAX_REVIEWS_PER_DAY}.", "daily_review_limit"
        )
    if not MIN_DESIRED_RETENTION <= desired_retention <= MAX_DESIRED_RETENTION:
        raise AccountError(
            f"The desired retention must be between {MIN_DESIRED_RETENTION:.0%} and {MAX_DESIRED_RETENTION:.0%}.",
            "desired_retention",
        )
    user.timezone = timezone
    user.daily_new_limit = daily_new_limit
    user.daily_review_limit = daily_review_limit
    user.desired_retention = desired_retention


def set_language(user: User, language: Language | None) -> None:
    """The language of the user's interface (not committed); None follows their browser."""
    user.language = language
