"""Use cases over the database session. Services never commit: the caller does."""

from typing import Any, cast

from sqlalchemy import CursorResult, Result
from sqlalchemy.orm import Session, scoped_session

from quizapp.domain.problems import english


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (its result is a CursorResult)."""
    return cast(CursorResult[Any], result).rowcount


# What services take: a session, or the app's scoped session (db.session) that stands for one.
DbSession = Session | scoped_session[Any]


class DomainError(Exception):
    """A request that cannot be carried out, with a message fit for the user.

    The message is a template marked for the catalogs (``N_``) with its named
    ``params``: ``str(error)`` is the English, and the view words it in the
    reader's language (``quizapp.i18n.error_text``).
    """

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(english(template, params))
        self.template = template
        self.params = params


class NotFound(DomainError):
    """The thing asked for does not exist, or is not the caller's to see."""
