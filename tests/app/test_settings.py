"""Settings that depend on the database the app runs on."""

from __future__ import annotations

from pathlib import Path

from quizapp import create_app
from quizapp.config import engine_options
from tests.conftest import config_for_tests


def test_connections_to_a_database_server_are_tested_when_taken_from_the_pool() -> None:
    assert engine_options("postgresql+psycopg://quiz@db.example/quizapp") == {"pool_pre_ping": True}


def test_a_sqlite_file_needs_no_test_of_its_connections() -> None:
    assert engine_options("sqlite:////srv/quizapp/quizapp.sqlite3") == {}


def test_the_app_chooses_the_options_for_its_own_database(tmp_path: Path) -> None:
    on_postgres = create_app(config_for_tests("postgresql+psycopg://quiz@db.example/quizapp"))
    on_sqlite = create_app(config_for_tests(f"sqlite:///{tmp_path / 'quiz.sqlite3'}"))
    assert on_postgres.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
    assert on_sqlite.config["SQLALCHEMY_ENGINE_OPTIONS"] == {}


def test_options_given_to_the_app_are_kept(tmp_path: Path) -> None:
    app = create_app(
        config_for_tests(f"sqlite:///{tmp_path / 'quiz.sqlite3'}", SQLALCHEMY_ENGINE_OPTIONS={"echo": True})
    )
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"echo": True}
