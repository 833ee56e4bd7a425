"""The interface's language: chosen per request, never by a database query.

The language is, in order: the signed-in user's setting (kept in their session
when they sign in or change it, and read from the user only if the request has
already loaded them), a visitor's choice from the footer's switcher (also in the
session), the browser's Accept-Language (``es-PE`` gives Spanish), else English.
Error pages can therefore speak the user's language without looking them up.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale, refresh

from quizapp.domain.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, Language, language_of
from quizapp.extensions import babel

__all__ = ["chosen_language", "current_language", "install", "remember_language"]

SESSION_KEY = "language"


def _select_locale() -> str:
    if not has_request_context():  # a CLI command or a test's app context: commands choose with force_locale
        return DEFAULT_LANGUAGE.value
    user = g.get("_login_user")  # loaded by Flask-Login earlier in this request, if at all
    chosen = getattr(user, "language", None) or session.get(SESSION_KEY)
    if chosen and language_of(chosen):
        return str(language_of(chosen))
    best = request.accept_languages.best_match([language.value for language in Language])
    return best or DEFAULT_LANGUAGE.value


def current_language() -> Language:
    """The language this request's interface speaks."""
    return language_of(str(get_locale())) or DEFAULT_LANGUAGE


def chosen_language() -> Language | None:
    """The language chosen in this session (a setting or the switcher); None follows the browser."""
    return language_of(session.get(SESSION_KEY) or "")


def remember_language(language: Language | None) -> None:
    """Keep ``language`` for the rest of the session (None: follow the browser again).

    The rest of this request speaks it too, so a message flashed next is in the new language.
    """
    if language is None:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = language.value
    refresh()


def install(app: Flask) -> None:
    babel.init_app(app, locale_selector=_select_locale)
    app.jinja_env.globals.update(current_language=current_language, LANGUAGE_NAMES=LANGUAGE_NAMES)
