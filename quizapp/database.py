"""How every connection is set up, how a transaction starts on SQLite, and which failures pass.

SQLite lets many readers and one writer work at once (WAL). A transaction that
began as a reader and then writes must become the writer; if another writer
committed in between, SQLite refuses at once with "database is locked" and the
busy timeout never applies. So a transaction that may write starts as the
writer (``BEGIN IMMEDIATE``) and waits its turn for up to the busy timeout; one
that only reads starts as a reader (``BEGIN``) and never waits.

A request may write when its method is not safe (POST and the like) or when
its view is marked with :func:`writes_on_get`; a CLI command's transactions
may write. Anything else (a Python shell, a test looking at the database
between requests) keeps the driver's own habit: no transaction while it only
reads, a deferred one from its first write, so it never holds a lock, or an
old snapshot, while it looks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from quizapp.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How long a writer waits for another writer's transaction to end.
SQLITE_BUSY_TIMEOUT_MS = 5000

View = TypeVar("View", bound=Callable[..., Any])


def writes_on_get(view: View) -> View:
    """Mark a view that writes on GET (e.g. the time a question was first shown).

    Decorators built with functools.wraps carry the mark to the registered view.
    """
    view.writes_on_get = True  # type: ignore[attr-defined]
    return view


def transaction_start() -> str | None:
    """How a SQLite transaction beginning now starts; None to leave it to the driver."""
    if not has_request_context():
        return "BEGIN IMMEDIATE" if click.get_current_context(silent=True) is not None else None
    if request.method not in SAFE_METHODS:
        return "BEGIN IMMEDIATE"
    view = current_app.view_functions.get(request.endpoint or "")
    return "BEGIN IMMEDIATE" if getattr(view, "writes_on_get", False) else "BEGIN"


def install(app: Flask) -> None:
    """Call after ``db.init_app``: its own end-of-request clean-up then finds nothing left to do."""
    app.teardown_appcontext(_end_session)


def _end_session(_error: BaseException | None) -> None:
    """Close the request's session; a connection the server dropped is discarded, not rolled back.

    Rolling back on a connection PostgreSQL has just cut (a restart) raises,
    after the response is made: the student would get a bare 500 for a
    request that was answered.
    """
    try:
        db.session.remove()
    except sa_exc.SQLAlchemyError as error:
        if not is_temporary_failure(error):
            raise
        db.session().invalidate()
        db.session.remove()


def _is_sqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys on, WAL and a busy timeout.

    With WAL, synchronous=NORMAL syncs at checkpoints rather than at every
    commit: the database cannot be corrupted, and only a power cut (not a
    crash of the app) can lose the last few commits. SQLite's own advice for
    WAL; it makes a write request about a millisecond cheaper.
    """
    if not _is_sqlite(dbapi_connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    statement = transaction_start()
    driver_connection = connection.connection.dbapi_connection
    assert driver_connection is not None  # a connection that is beginning is open
    # isolation_level None: the driver emits no BEGIN of its own; "": its deferred BEGIN before a write.
    driver_connection.isolation_level = None if statement else ""
    if statement:
        connection.exec_driver_sql(statement)


# SQLite's primary result codes for a database that is busy, out of room or unreachable.
_SQLITE_TEMPORARY = {
    5,  # SQLITE_BUSY: another writer held on longer than the busy timeout
    6,  # SQLITE_LOCKED
    7,  # SQLITE_NOMEM
    10,  # SQLITE_IOERR
    13,  # SQLITE_FULL: the disk is full
    14,  # SQLITE_CANTOPEN
    15,  # SQLITE_PROTOCOL
}
# PostgreSQL SQLSTATEs (by class, or whole) that pass: connection lost, server shutting down or
# starting, out of disk or memory, lock and statement timeouts, deadlocks, I/O errors.
_POSTGRES_TEMPORARY_CLASSES = ("08", "53", "57", "58")
_POSTGRES_TEMPORARY_STATES = {"40001", "40P01", "55P03"}


def is_temporary_failure(error: BaseException) -> bool:
    """Whether a database error is the database being unavailable for a while, not a bug.

    True for a lost or refused connection, a server restarting, a full disk,
    a lock held past its timeout and an exhausted connection pool: trying
    again in a moment may succeed. False for everything else (a wrong query,
    a broken constraint), which is a bug to fix.
    """
    if isinstance(error, sa_exc.TimeoutError):  # no connection free in the pool
        return True
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    driver_error = error.orig
    sqlite_code = getattr(driver_error, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in _SQLITE_TEMPORARY
    if type(driver_error).__module__.startswith("psycopg"):
        state = getattr(driver_error, "sqlstate", None)
        if state is None:  # no answer from the server at all
            return isinstance(error, sa_exc.OperationalError)
        return state[:2] in _POSTGRES_TEMPORARY_CLASSES or state in _POSTGRES_TEMPORARY_STATES
    return False
