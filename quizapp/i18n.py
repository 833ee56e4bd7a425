"""The interface's language: chosen per request, never by a database query.

The language is, in order: the signed-in user's setting (kept in their session
when they sign in or change it, and read from the user only if the request has
already loaded them), a visitor's choice from the footer's switcher (also in the
session), the browser's Accept-Language (``es-PE`` gives Spanish), else English.
Error pages can therefore speak the user's language without looking them up.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale, gettext, refresh

from quizapp.domain.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, Language, language_of
from quizapp.domain.problems import FieldProblem, Problem, Words
from quizapp.extensions import babel

__all__ = [
    "chosen_language",
    "current_language",
    "error_text",
    "install",
    "problem_text",
    "remember_language",
    "worded",
]

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


def worded(template: str, params: Mapping[str, object]) -> str:
    """A message template marked with ``N_`` and its parameters, in the reader's language.

    Parameters that are our own words (:class:`Words`) or problems are worded too.
    """
    return gettext(template, **{name: _worded(value) for name, value in params.items()})


def problem_text(problem: Problem | FieldProblem) -> str:
    """A problem in the reader's language (as written, in English, when it keeps no template)."""
    return worded(problem.template, problem.params) if problem.template else problem.message


def error_text(error: Exception) -> str:
    """A domain error's message in the reader's language; any other exception's own text."""
    template, params = getattr(error, "template", ""), getattr(error, "params", {})
    return worded(template, params) if template else str(error)


def _worded(value: object) -> object:
    if isinstance(value, Problem | FieldProblem):
        return problem_text(value)
    return gettext(value) if isinstance(value, Words) else value


def install(app: Flask) -> None:
    babel.init_app(app, locale_selector=_select_locale)
    app.jinja_env.globals.update(current_language=current_language, LANGUAGE_NAMES=LANGUAGE_NAMES)
