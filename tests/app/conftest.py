"""Fixtures of the app tests: counting SQL statements, and the app served over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import event
from werkzeug.serving import make_server

from quizapp.extensions import db


class StatementLog:
    """The SQL statements the app's engine runs, from the last :meth:`reset` on."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _connection: object, _cursor: object, statement: str, *_args: object) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()

    def during(self, action: Callable[[], object]) -> int:
        """How many statements ``action()`` runs."""
        self.reset()
        action()
        return self.count


@pytest.fixture
def count_statements(app: Flask) -> Iterator[StatementLog]:
    log = StatementLog()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", log)
    yield log
    event.remove(engine, "before_cursor_execute", log)


@pytest.fixture
def server(app: Flask) -> Iterator[tuple[str, int]]:
    """The test's app on a free loopback port, one thread a request."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # server_close() then waits for every request thread, so none is still returning its
    # database connection when the app's pool is disposed.
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", server.server_port
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
