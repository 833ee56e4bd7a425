"""Shared fixtures: a fresh, migrated database for every app test.

The schema is built once per run by running the real migrations into a
template database; each test then gets its own copy (a file copy on SQLite,
``CREATE DATABASE ... TEMPLATE`` on PostgreSQL), which is fast and isolated.
Set QUIZAPP_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)
to run the whole suite against PostgreSQL.
"""

from __future__ import annotations

import contextvars
import functools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from quizapp import create_app
from quizapp.extensions import db
from quizapp.schema_migrations import enable_migrations
from tests.strategies import PROFILE

POSTGRES_URL = os.environ.get("QUIZAPP_TEST_POSTGRES_URL")


def pytest_report_header() -> str:
    return f"hypothesis profile: {PROFILE} (HYPOTHESIS_PROFILE)"


def config_for_tests(database_url: str, **overrides: object) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        **overrides,
    }


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    Tests hold an app context to use ``db.session``; Flask would otherwise reuse
    it for every request, sharing ``g`` (and so the signed-in user) and the
    database session between requests and between clients.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class DatabaseTemplates:
    """Builds template databases once and hands out fresh copies."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.templates: dict[str, str] = {}
        self.created: list[str] = []

    def _url_for(self, name: str) -> str:
        if POSTGRES_URL:
            return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.workdir / (name + '.sqlite3')}"

    def _admin_execute(self, statement: str) -> None:
        engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def new_empty(self) -> str:
        """A URL to a brand-new database with no tables, dropped at the end of the run."""
        return self._new_empty(f"quizapp_test_{uuid.uuid4().hex[:12]}")

    def _new_empty(self, name: str) -> str:
        if POSTGRES_URL:
            self._admin_execute(f'CREATE DATABASE "{name}"')
            self.created.append(name)
        return self._url_for(name)

    def template(self, kind: str, build: Callable[[str], None]) -> str:
        if kind not in self.templates:
            name = f"quizapp_template_{kind}_{uuid.uuid4().hex[:8]}"
            url = self._new_empty(name)
            build(url)
            self.templates[kind] = name
        return self.templates[kind]

    def copy_of(self, template_name: str) -> str:
        name = f"quizapp_test_{uuid.uuid4().hex[:12]}"
        if POSTGRES_URL:
            self._admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
            self.created.append(name)
        else:
            shutil.copyfile(self.workdir / f"{template_name}.sqlite3", self.workdir / f"{name}.sqlite3")
        return self._url_for(name)

    def drop(self, url: str) -> None:
        if POSTGRES_URL:
            name = make_url(url).database
            self._admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.created.remove(name)
        else:
            Path(make_url(url).database).unlink(missing_ok=True)

    def drop_all(self) -> None:
        for name in list(self.created):
            self._admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Clock:
    """The app's clock, set by the test: ``clock.now = moment``."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Stop the app's one clock (:func:`quizapp.clock.now`) at the current moment; tests move it."""
    stopped = Clock(datetime.now(UTC))
    monkeypatch.setattr("quizapp.clock.now", stopped)
    return stopped


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Hash test passwords cheaply: the scrypt default costs ~0.1 s a user, per test."""
    fast = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("quizapp.services.accounts.generate_password_hash", fast)
        yield


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplates]:
    templates = DatabaseTemplates(tmp_path_factory.mktemp("databases"))
    yield templates
    if POSTGRES_URL:
        templates.drop_all()


def _migrated(url: str, with_bank: bool) -> None:
    from flask_migrate import upgrade

    app = create_app(config_for_tests(url))
    enable_migrations(app)
    with app.app_context():
        upgrade()
        if with_bank:
            result = app.test_cli_runner().invoke(args=["bank", "build"])
            assert result.exit_code == 0, result.output
        db.engine.dispose()


def _fresh_app(database_templates: DatabaseTemplates, with_bank: bool) -> Iterator[Flask]:
    kind = "bank" if with_bank else "empty"
    template = database_templates.template(kind, lambda url: _migrated(url, with_bank))
    url = database_templates.copy_of(template)
    app = create_app(config_for_tests(url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    database_templates.drop(url)


@pytest.fixture
def app(database_templates: DatabaseTemplates) -> Iterator[Flask]:
    """An app on a migrated database holding the full generated question bank."""
    yield from _fresh_app(database_templates, with_bank=True)


@pytest.fixture
def empty_app(database_templates: DatabaseTemplates) -> Iterator[Flask]:
    """An app on a migrated database with no questions."""
    yield from _fresh_app(database_templates, with_bank=False)


@pytest.fixture
def blank_database_url(database_templates: DatabaseTemplates) -> Iterator[str]:
    """A database with no tables at all, not even the migrations' version table."""
    url = database_templates.new_empty()
    yield url
    database_templates.drop(url)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
