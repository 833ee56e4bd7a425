"""The application factory and its settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.schema_migrations import MIGRATIONS_DIR


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


def test_a_server_never_loads_alembic(tmp_path: Path) -> None:
    """Alembic is about 11 MB in every worker: only `flask db ...` and migrating tools load it."""
    program = (
        "import sys; from quizapp import create_app; "
        f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/app.db', 'SECRET_KEY': 'x'}}); "
        "print(sorted(name for name in ('alembic', 'flask_migrate') if name in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_flask_db_runs_flask_migrate_commands_with_their_options(empty_app, tmp_path: Path) -> None:
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["db", "-d", str(MIGRATIONS_DIR), "upgrade"])
    assert result.exit_code == 0, result.output
    missing = runner.invoke(args=["db", "-d", str(tmp_path / "none"), "upgrade"])
    assert (missing.exit_code, type(missing.exception)) == (1, SystemExit)  # the directory given was used
