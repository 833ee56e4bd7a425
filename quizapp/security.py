"""Response headers, error pages and input limits that every request gets."""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Flask, abort, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from quizapp.extensions import limiter

# Ids are INTEGER columns (32-bit on PostgreSQL): a bigger number in a URL is no row, not an overflow.
MAX_ID = 2**31 - 1
NUL_REFUSED = "The request contains a NUL character, which no text here may hold."

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

ERROR_MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and check what you sent."),
    403: ("Forbidden", "This page is not open to your account."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too large", "That upload is too large. Please send a smaller file."),
    429: ("Too many attempts", "Too many attempts in a short time."),
    500: ("Something went wrong", "An unexpected error happened on our side. Nothing you sent was half-saved."),
}


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def seconds_to_wait() -> int:
    """Until the breached rate limit lets the next attempt through, as in its Retry-After header."""
    breached = limiter.current_limit
    return max(1, int(breached.reset_at - time.time())) if breached else 60


def wait_text(seconds: int) -> str:
    """``"45 seconds"``, ``"1 minute"``, ``"15 minutes"``: whole minutes rounded up from a minute on."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def render_error(error: HTTPException) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    code = error.code or 500
    title, message = ERROR_MESSAGES.get(code, (error.name, error.description or ""))
    # A reason given with abort(400, "...") is more useful than the generic text.
    if code != 500 and error.description and error.description != type(error).description:
        message = error.description
    if code == 429:
        wait = seconds_to_wait()
        message = f"{message} Please wait {wait_text(wait)} and try again."
        return render_template("error.html", code=code, title=title, message=message), code, {"Retry-After": str(wait)}
    return render_template("error.html", code=code, title=title, message=message), code


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
