"""Response headers, error pages and input limits that every request gets.

Error pages never touch the database: they render from the request alone,
with a header that names nobody, so they still show while the database is
down, and a failure there cannot turn into a second one.
"""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Flask, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from quizapp.database import SAFE_METHODS, is_temporary_failure
from quizapp.extensions import limiter

# Ids are INTEGER columns (32-bit on PostgreSQL): a bigger number in a URL is no row, not an overflow.
MAX_ID = 2**31 - 1
NUL_REFUSED = _l("The request contains a NUL character, which no text here may hold.")

# Everything is served by the app itself: no inline scripts or styles, no third parties.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Worded in the request's language when the page is rendered (lazy).
ERROR_MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and check what you sent.")),
    403: (_l("Forbidden"), _l("This page is not open to your account.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too large"), _l("That upload is too large. Please send a smaller file.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time.")),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error happened on our side. Nothing you sent was half-saved."),
    ),
}
# Flask-WTF's reasons for refusing a form's CSRF token, in the user's language.
CSRF_REASONS = {
    "The CSRF token is missing.": _l("The CSRF token is missing."),
    "The CSRF token is invalid.": _l("The CSRF token is invalid."),
    "The CSRF token has expired.": _l("The CSRF token has expired."),
    "The CSRF session token is missing.": _l("The CSRF session token is missing."),
    "The CSRF tokens do not match.": _l("The CSRF tokens do not match."),
    "The referrer header is missing.": _l("The referrer header is missing."),
    "The referrer does not match the host.": _l("The referrer does not match the host."),
}
UNAVAILABLE_TITLE = _l("Back in a moment")
NOT_SAVED = _l(
    "The server cannot reach its database just now, so what you sent was not saved. "
    "Please send it again in a moment; nothing was half-saved."
)
NOT_SHOWN = _l("The server cannot reach its database just now. Please try again in a moment.")
# Seconds a client is told to wait: a restart or a freed disk is usually over by then.
RETRY_AFTER_SECONDS = 5


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        # Pages and downloads hold personal data: no browser or proxy keeps a copy
        # (send_file's own "no-cache" still lets them be stored).
        response.headers["Cache-Control"] = "no-store"
    return response


def _error_page(code: int, title: object, message: object) -> str:
    return render_template("error.html", code=code, title=title, message=message, plain_page=True)


def seconds_to_wait() -> int:
    """Until the breached rate limit lets the next attempt through, as in its Retry-After header."""
    breached = limiter.current_limit
    return max(1, int(breached.reset_at - time.time())) if breached else 60


def wait_text(seconds: int) -> str:
    """``"45 seconds"``, ``"1 minute"``, ``"15 minutes"``: whole minutes rounded up from a minute on."""
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def render_error(error: HTTPException) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    code = error.code or 500
    title, message = ERROR_MESSAGES.get(code, (error.name, error.description or ""))
    # A reason given with abort(400, "...") is more useful than the generic text.
    if isinstance(error, CSRFError):
        message = CSRF_REASONS.get(error.description, message)
    elif code != 500 and error.description and error.description != type(error).description:
        message = error.description
    if code == 429:
        wait = seconds_to_wait()
        message = _("%(reason)s Please wait %(wait)s and try again.", reason=message, wait=wait_text(wait))
        return _error_page(code, title, message), code, {"Retry-After": str(wait)}
    return _error_page(code, title, message), code


def render_database_unavailable(error: SQLAlchemyError) -> tuple[str, int, dict[str, str]]:
    """503 with Retry-After while the database is unreachable, full or locked; real bugs stay 500s."""
    if not is_temporary_failure(error):
        raise error
    current_app.logger.error("Database unavailable for %s %s", request.method, request.path, exc_info=error)
    message = NOT_SHOWN if request.method in SAFE_METHODS else NOT_SAVED
    return _error_page(503, UNAVAILABLE_TITLE, message), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


class IdConverter(IntegerConverter):
    """``<int:...>`` in URLs, at most MAX_ID: a larger number matches no route (404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def refuse_nul_characters() -> None:
    """400 for a NUL in the path, query or form: PostgreSQL cannot hold one in text, even to compare."""
    texts = [value for value in (request.view_args or {}).values() if isinstance(value, str)]
    texts += [value for _, value in request.args.items(multi=True)]
    texts += [value for _, value in request.form.items(multi=True)]
    if any("\x00" in text for text in texts):
        abort(400, NUL_REFUSED)


def install(app: Flask) -> None:
    """Call before registering blueprints, so their URL rules use IdConverter."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(SQLAlchemyError, render_database_unavailable)
