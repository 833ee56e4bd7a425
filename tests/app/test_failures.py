"""When the database fails, students get a clear 503 page, never a half-saved change.

The database's driver errors are injected where they happen in real life: on
the commit of a write, and on the user lookup at the start of a request. Once
the failure is raised, nothing may touch the database again in that request:
the error page renders from the request alone.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from contextlib import contextmanager

import psycopg
import psycopg.errors
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp import security
from quizapp.database import is_temporary_failure
from quizapp.extensions import db, login_manager
from quizapp.models import QuizAttempt, ReviewLog
from tests.app.conftest import StatementLog
from tests.app.factories import login_as


def sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # set by the driver itself on a real failure
    return error


DRIVER_FAILURES: dict[str, Callable[[], Exception]] = {
    "sqlite: disk full": lambda: sqlite_error("database or disk is full", 13),
    "sqlite: locked": lambda: sqlite_error("database is locked", 5),
    "sqlite: disk I/O": lambda: sqlite_error("disk I/O error", 10 | (3 << 8)),  # SQLITE_IOERR_WRITE
    "postgres: connection lost": lambda: psycopg.OperationalError("server closed the connection unexpectedly"),
    "postgres: shutting down": lambda: psycopg.errors.AdminShutdown(
        "terminating connection due to administrator command"
    ),
    "postgres: starting up": lambda: psycopg.errors.CannotConnectNow("the database system is starting up"),
    "postgres: disk full": lambda: psycopg.errors.DiskFull("could not extend file: No space left on device"),
    "postgres: lock timeout": lambda: psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
}


def wrapped(driver_error: Exception) -> sa_exc.DBAPIError:
    """The driver's error as SQLAlchemy raises it."""
    return sa_exc.DBAPIError.instance("COMMIT", None, driver_error, type(driver_error))


@contextmanager
def failing(monkeypatch: pytest.MonkeyPatch, target: object, name: str, error: Exception, log: StatementLog):
    """Make ``target.name`` raise ``error`` (as SQLAlchemy would); ``log`` then counts from the failure on."""

    def fail(*_args: object, **_kwargs: object) -> None:
        log.reset()
        raise wrapped(error)

    with monkeypatch.context() as patch:
        patch.setattr(target, name, fail)
        yield


def assert_unavailable_page(response, saved_nothing: bool) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(security.RETRY_AFTER_SECONDS)
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert str(security.UNAVAILABLE_TITLE) in html
    assert str(security.NOT_SAVED if saved_nothing else security.NOT_SHOWN) in html
    assert "Sign out" not in html  # the header names nobody: no user lookup


@pytest.mark.parametrize("failure", sorted(DRIVER_FAILURES))
def test_a_failed_commit_is_a_503_saying_nothing_was_saved(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, count_statements: StatementLog, failure: str, caplog
) -> None:
    student = login_as(client)
    with (
        failing(monkeypatch, Session, "commit", DRIVER_FAILURES[failure](), count_statements),
        caplog.at_level(logging.ERROR),
    ):
        response = client.post("/quiz/", data={"topics": ["events"], "length": 5})
    assert_unavailable_page(response, saved_nothing=True)
    assert count_statements.statements == []
    assert any(record.exc_info for record in caplog.records), "the log keeps the traceback"
    assert db.session.scalar(select(func.count(QuizAttempt.id)).where(QuizAttempt.user_id == student.id)) == 0


@pytest.mark.parametrize("failure", sorted(DRIVER_FAILURES))
def test_a_failed_user_lookup_is_a_503_that_touches_the_database_no_more(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, count_statements: StatementLog, failure: str
) -> None:
    login_as(client)
    with failing(monkeypatch, login_manager, "_user_callback", DRIVER_FAILURES[failure](), count_statements):
        page = client.get("/dashboard")
        assert count_statements.statements == []
        grade = client.post("/study/grade", data={"card": "x", "rating": "3"})
        assert count_statements.statements == []
    assert_unavailable_page(page, saved_nothing=False)
    assert_unavailable_page(grade, saved_nothing=True)
    assert client.get("/dashboard").status_code == 200  # and back once the database answers


def test_error_pages_never_touch_the_database(client: FlaskClient, count_statements: StatementLog) -> None:
    login_as(client)
    count_statements.reset()
    response = client.get("/no/such/page")
    assert response.status_code == 404 and count_statements.statements == []


def test_a_real_bug_is_still_a_500(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    login_as(client)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 page, not the exception
    bug = sqlite_error("no such column: questions.nonsense", 1)  # SQLITE_ERROR: a wrong query
    with monkeypatch.context() as patch:
        patch.setattr(Session, "commit", lambda *_: (_ for _ in ()).throw(wrapped(bug)))
        response = client.post("/quiz/", data={"topics": ["events"], "length": 5})
    assert response.status_code == 500
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        (wrapped(sqlite_error("database is locked", 5)), True),
        (wrapped(sqlite_error("database table is locked", 6)), True),
        (wrapped(sqlite_error("no such table: x", 1)), False),
        (wrapped(sqlite3.IntegrityError("UNIQUE constraint failed")), False),
        (wrapped(psycopg.OperationalError("connection refused")), True),
        (wrapped(psycopg.errors.DeadlockDetected("deadlock detected")), True),
        (wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")), True),
        (wrapped(psycopg.errors.UndefinedTable("relation does not exist")), False),
        (wrapped(psycopg.errors.UniqueViolation("duplicate key")), False),
        (sa_exc.TimeoutError("QueuePool limit reached"), True),
        (ValueError("not a database error"), False),
    ],
)
def test_which_failures_pass(error: Exception, temporary: bool) -> None:
    assert is_temporary_failure(error) is temporary


def test_a_connection_the_pool_found_dead_is_temporary() -> None:
    error = wrapped(psycopg.InterfaceError("the connection is closed"))
    error.connection_invalidated = True
    assert is_temporary_failure(error)


# --- a grade or an answer whose response was lost ----------------------------------------


def test_a_grade_sent_again_after_its_response_was_lost_is_recognized(client: FlaskClient) -> None:
    import re

    student = login_as(client)
    front = client.get("/study").get_data(as_text=True)
    ticket = re.search(r'href="/study\?card=([^"#]+)', front).group(1)
    form = {"card": ticket, "rating": "3"}
    assert client.post("/study/grade", data=form).status_code == 302  # committed; say the reply never arrived
    again = client.post("/study/grade", data=form)
    assert again.status_code == 302
    assert "was already saved" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.user_id == student.id)) == 1


def test_an_answer_sent_again_after_its_response_was_lost_is_recognized(client: FlaskClient) -> None:
    student = login_as(client)
    started = client.post("/quiz/", data={"topics": ["events"], "length": 5})
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    client.get(f"/quiz/{attempt_id}")
    answer = {"position": 1, "response": "", "dont_know": "I don't know"}
    assert client.post(f"/quiz/{attempt_id}/answer", data=answer).status_code == 302
    again = client.post(f"/quiz/{attempt_id}/answer", data=answer)
    assert again.headers["Location"] == f"/quiz/{attempt_id}/1"
    assert "Your answer to question 1 was already saved" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.user_id == student.id)) == 1


def test_a_connection_cut_after_the_response_was_made_does_not_turn_it_into_a_500(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL restarting between a request's last query and its clean-up: the page still arrives."""
    login_as(client)
    close = Session.close
    cut = []

    def close_on_a_cut_connection(session: Session) -> None:
        if not cut:
            cut.append(session)
            raise wrapped(psycopg.errors.AdminShutdown("terminating connection due to administrator command"))
        close(session)

    monkeypatch.setattr(Session, "close", close_on_a_cut_connection)
    assert client.get("/dashboard").status_code == 200
    assert cut, "the clean-up met the cut connection"
    monkeypatch.undo()
    assert client.get("/dashboard").status_code == 200
