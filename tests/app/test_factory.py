"""The application factory and its settings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from quizapp import create_app


def test_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.sqlite3")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://quiz:pw@db.example/quiz")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://quiz:pw@db.example/quiz"
    assert app.config["SECRET_KEY"] == "from-env"


def test_postgresql_without_its_driver_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://quiz:pw@db.example/quiz")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(RuntimeError, match=r"pip install -e '\.\[postgres\]'"):
        create_app()


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app()
    expected = Path(app.instance_path) / "quizapp.sqlite3"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{expected}"


def test_without_secret_key_one_is_generated_once_and_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key = first.config["SECRET_KEY"]
    assert len(key) == 64 and key == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").read_text() == key
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_home_page_says_what_the_app_is(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Peruvian resistance" in page
    assert 'name="viewport"' in page
    assert "http://" not in page and "https://" not in page  # no assets from the internet


def test_static_assets_are_served_by_the_app(client) -> None:
    with client.get("/static/app.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"
