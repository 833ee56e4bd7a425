"""Limits on guessing: passwords at sign-in and on the password page, class join codes, and registrations.

Guesses count only when they fail (a wrong password, a refused join code), so signing in or
joining a class never uses up anybody's budget. A registration counts whatever its outcome: each
one costs a password check and can tell whether a name is taken. Windows are minutes long, so a
limit reached by mistake, or by somebody else, ends soon. Addresses are the client's as the
trusted proxies report it (TRUSTED_PROXIES, see docs/DEPLOY.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.extensions import limiter
from quizapp.services.accounts import canonical_username

# A class behind one school address mistypes far fewer than GUESSES_PER_ADDRESS in a lesson.
GUESSES_PER_ACCOUNT = "10 per 15 minutes"
GUESSES_PER_ADDRESS = "100 per 15 minutes"
REGISTRATIONS_PER_ADDRESS = "60 per 15 minutes"

TOO_MANY_WRONG_PASSWORDS = _l("Too many wrong passwords for this account from your address.")
TOO_MANY_WRONG_PASSWORDS_HERE = _l("Too many wrong passwords from your address.")
TOO_MANY_WRONG_CURRENT_PASSWORDS = _l("Too many wrong current passwords for this account.")
TOO_MANY_WRONG_CODES = _l("Too many wrong join codes from this account.")
TOO_MANY_WRONG_CODES_HERE = _l("Too many wrong join codes from your address.")
TOO_MANY_REGISTRATIONS = _l("Too many accounts were created from your address.")

View = TypeVar("View", bound=Callable[..., object])


def record_failed_guess() -> None:
    """Count this request against its view's guessing limits (see :func:`_guess_failed`)."""
    g.failed_guess = True


def _guess_failed(_response: Response) -> bool:
    return g.get("failed_guess", False)


def _join_code_refused(response: Response) -> bool:
    return response.status_code == 422  # the join page answers a refused code with its form and 422


def _submitted_account_at_address() -> str:
    return f"{canonical_username(request.form.get('username', ''))[:100]}@{get_remote_address()}"


def _signed_in_account() -> str:
    return f"user:{current_user.id}"


def _failures(
    limit: str, key: Callable[[], str], message: str, failed: Callable[[Response], bool] = _guess_failed
) -> Callable[[View], View]:
    decorate = limiter.limit(limit, key_func=key, methods=["POST"], deduct_when=failed, error_message=message)
    return cast(Callable[[View], View], decorate)


def throttle_sign_in(view: View) -> View:
    """Wrong passwords per (account, address) and per address: failures elsewhere never block a user."""
    view = _failures(GUESSES_PER_ACCOUNT, _submitted_account_at_address, TOO_MANY_WRONG_PASSWORDS)(view)
    return _failures(GUESSES_PER_ADDRESS, get_remote_address, TOO_MANY_WRONG_PASSWORDS_HERE)(view)


def throttle_current_password(view: View) -> View:
    """Wrong current passwords per signed-in account and per address (the guesser holds a session)."""
    view = _failures(GUESSES_PER_ACCOUNT, _signed_in_account, TOO_MANY_WRONG_CURRENT_PASSWORDS)(view)
    return _failures(GUESSES_PER_ADDRESS, get_remote_address, TOO_MANY_WRONG_PASSWORDS_HERE)(view)


def throttle_join_code_guesses(view: View) -> View:
    """Refused join codes per signed-in account and per address."""
    view = _failures(GUESSES_PER_ACCOUNT, _signed_in_account, TOO_MANY_WRONG_CODES, _join_code_refused)(view)
    return _failures(GUESSES_PER_ADDRESS, get_remote_address, TOO_MANY_WRONG_CODES_HERE, _join_code_refused)(view)


def throttle_registration(view: View) -> View:
    """Every registration attempt per address."""
    decorate = limiter.limit(
        REGISTRATIONS_PER_ADDRESS, key_func=get_remote_address, methods=["POST"], error_message=TOO_MANY_REGISTRATIONS
    )
    return cast(View, decorate(view))
