"""`flask db-backup` and `flask db-restore`: round trips and clear refusals.

The round trip runs on whatever database the suite uses: SQLite, or
PostgreSQL when QUIZAPP_TEST_POSTGRES_URL is set (pg_dump/pg_restore are then
needed, as in CI).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import create_engine, delete, func, select, update

from quizapp import create_app, maintenance_cli
from quizapp.extensions import db
from quizapp.models import (
    Membership,
    Question,
    QuizAttempt,
    ReviewCard,
    ReviewLog,
    Role,
    Status,
    User,
)
from quizapp.services import backup, classes, quizzes, study
from quizapp.services.backup import BackupError, DatabaseKind
from tests.app.factories import make_user
from tests.conftest import config_for_tests

NOW = datetime(2024, 4, 2, 14, 30, tzinfo=UTC)


def run(app: Flask, *args: str, input: str | None = None) -> Result:
    db.session.commit()
    return app.test_cli_runner().invoke(args=list(args), input=input)


def assert_refused(result: Result, message: str) -> None:
    """Exit status 1 with the message, and no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert message in result.output, result.output


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order."""
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        rows[table.name] = [tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key))]
    db.session.commit()
    return rows


@pytest.fixture
def some_history(app: Flask) -> dict[str, object]:
    """A teacher's class with a student who has studied flashcards and taken a quiz."""
    teacher = make_user(Role.TEACHER, username="profesora", timezone="America/Lima")
    student = make_user(username="alumno", timezone="America/Lima")
    school_class = classes.create_class(db.session, teacher, "5to A")
    db.session.flush()
    db.session.add(Membership(class_id=school_class.id, student_id=student.id, joined_at=NOW))
    classes.create_assignment(
        db.session,
        school_class,
        title="La Breña",
        topics=["dates"],
        length=5,
        due_day=date(2024, 4, 10),
        tz=ZoneInfo("America/Lima"),
        now=NOW,
        seed=3,
    )
    question_ids = db.session.scalars(
        select(Question.id).where(Question.status == Status.ACTIVE).order_by(Question.id).limit(3)
    ).all()
    for rating, question_id in zip((1, 3, 4), question_ids, strict=False):
        study.grade(db.session, student, question_id, rating, 0, NOW)
    attempt = quizzes.start_quiz(db.session, student, ["events"], 5, NOW, seed=7)
    db.session.commit()
    for position in (1, 2):
        quizzes.answer(db.session, attempt.id, student, position, "", NOW + timedelta(seconds=20 * position))
    db.session.commit()
    return {"student": student, "teacher": teacher, "question_ids": question_ids}


def test_restore_brings_back_exactly_the_data_of_the_backup(
    app: Flask, some_history: dict[str, object], tmp_path: Path
) -> None:
    backup_file = tmp_path / "quizapp.backup"
    before = snapshot()
    assert len(before["review_logs"]) == 5 and len(before["quiz_items"]) == 5

    result = run(app, "db-backup", str(backup_file))
    assert result.exit_code == 0, result.output
    assert f"to {backup_file}" in result.output
    assert backup_file.stat().st_size > 0

    # Lose and change data after the backup.
    student = some_history["student"]
    first_question = some_history["question_ids"][0]
    db.session.execute(delete(User).where(User.id == student.id))
    db.session.execute(update(Question).where(Question.id == first_question).values(status=Status.RETIRED))
    db.session.execute(update(User).where(User.username == "profesora").values(timezone="Europe/Madrid"))
    make_user(username="recien_llegado")
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 0
    assert snapshot() != before

    result = run(app, "db-restore", str(backup_file), "--yes")
    assert result.exit_code == 0, result.output
    assert f"Restored {backup_file}" in result.output
    assert "db upgrade" not in result.output  # the backup is at the latest revision

    assert snapshot() == before
    restored_student = db.session.scalar(select(User).where(User.username == "alumno"))
    assert restored_student is not None and restored_student.timezone == "America/Lima"
    assert db.session.scalar(select(User.username).where(User.username == "recien_llegado")) is None
    assert db.session.get(Question, first_question).status == Status.ACTIVE
    assert db.session.scalar(select(func.count(ReviewCard.id)).where(ReviewCard.user_id == restored_student.id)) == 5
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == restored_student.id))
    assert (attempt.answered_count, len(attempt.items)) == (2, 5)
    # The app carries on writing: ids (PostgreSQL sequences too) continue after the restored rows.
    newcomer = make_user(username="despues")
    assert newcomer.id > max(row[0] for row in before["users"])
    db.session.commit()


def test_backup_is_consistent_while_another_connection_is_writing(
    app: Flask, some_history: dict[str, object], tmp_path: Path
) -> None:
    if backup.database_kind(db.engine) != DatabaseKind.SQLITE:
        pytest.skip("checks SQLite's online backup")
    db.session.commit()
    writer = sqlite3.connect(db.engine.url.database)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE users SET timezone = 'Asia/Tokyo'")
        result = run(app, "db-backup", str(tmp_path / "during.sqlite3"))  # not blocked by the writer
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(tmp_path / "during.sqlite3")) as copy, copy:
        assert copy.execute("SELECT count(*) FROM users WHERE timezone = 'Asia/Tokyo'").fetchone() == (0,)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not (tmp_path / "during.sqlite3-wal").exists()


def test_restore_leaves_the_live_sqlite_database_in_wal_mode(app: Flask, tmp_path: Path) -> None:
    if backup.database_kind(db.engine) != DatabaseKind.SQLITE:
        pytest.skip("SQLite only")
    assert run(app, "db-backup", str(tmp_path / "b.sqlite3")).exit_code == 0
    assert run(app, "db-restore", str(tmp_path / "b.sqlite3"), "--yes").exit_code == 0
    with closing(sqlite3.connect(db.engine.url.database)) as live, live:
        assert live.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert live.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize(
    ("revision", "advice"),
    [
        ("0003", "The backup predates the latest migrations: run `flask db upgrade`"),
        ("9999", "This version of the app does not know schema revision 9999"),
    ],
)
def test_restore_says_what_to_do_about_a_backup_of_another_schema_revision(
    app: Flask, tmp_path: Path, revision: str, advice: str
) -> None:
    if backup.database_kind(db.engine) != DatabaseKind.SQLITE:
        pytest.skip("edits a SQLite backup file")
    old = tmp_path / "old.sqlite3"
    assert run(app, "db-backup", str(old)).exit_code == 0
    with closing(sqlite3.connect(old)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    result = run(app, "db-restore", str(old), "--yes")
    assert result.exit_code == 0, result.output
    assert f"(schema revision {revision})" in result.output and advice in result.output


# --- refusals --------------------------------------------------------------------------


@pytest.fixture
def backup_file(app: Flask, tmp_path: Path) -> Path:
    path = tmp_path / "good.backup"
    result = run(app, "db-backup", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_restore_refuses_without_yes_when_not_at_a_terminal(app: Flask, backup_file: Path) -> None:
    make_user(username="still_here")
    result = run(app, "db-restore", str(backup_file))
    assert_refused(result, "Pass --yes to confirm")
    assert db.session.scalar(select(User.id).where(User.username == "still_here")) is not None


def test_restore_asks_at_a_terminal_and_no_changes_nothing(
    app: Flask, backup_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maintenance_cli, "_stdin_is_interactive", lambda: True)
    make_user(username="still_here")
    result = run(app, "db-restore", str(backup_file), input="n\n")
    assert result.exit_code == 1
    assert "Replace every row of the" in result.output and "Aborted" in result.output
    assert db.session.scalar(select(User.id).where(User.username == "still_here")) is not None

    result = run(app, "db-restore", str(backup_file), input="y\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.id).where(User.username == "still_here")) is None


def test_restore_of_a_missing_file(app: Flask, tmp_path: Path) -> None:
    assert_refused(run(app, "db-restore", str(tmp_path / "nope.backup"), "--yes"), "does not exist")


def test_restore_of_a_file_that_is_not_a_backup(app: Flask, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Cáceres, Huamachuco, 10 July 1883\n", encoding="utf-8")
    assert_refused(run(app, "db-restore", str(notes), "--yes"), "is not a backup")
    assert_refused(run(app, "db-restore", str(tmp_path), "--yes"), "is not a file")


def test_restore_of_a_backup_of_the_other_kind_of_database(app: Flask, tmp_path: Path) -> None:
    other = tmp_path / "other.backup"
    if backup.database_kind(db.engine) == DatabaseKind.SQLITE:
        other.write_bytes(b"PGDMP\x01\x0f\x00" + bytes(100))
        message = "is a backup of a PostgreSQL database; this app uses SQLite"
    else:
        with closing(sqlite3.connect(other)) as connection, connection:
            connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        message = "is a backup of a SQLite database; this app uses PostgreSQL"
    assert_refused(run(app, "db-restore", str(other), "--yes"), message)


def test_restore_of_a_sqlite_file_without_the_schema(app: Flask, tmp_path: Path) -> None:
    if backup.database_kind(db.engine) != DatabaseKind.SQLITE:
        pytest.skip("SQLite only")
    stranger = tmp_path / "stranger.sqlite3"
    with closing(sqlite3.connect(stranger)) as connection, connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    make_user(username="still_here")
    assert_refused(run(app, "db-restore", str(stranger), "--yes"), "not a quizapp backup")
    assert db.session.scalar(select(User.id).where(User.username == "still_here")) is not None


def test_restore_of_the_live_database_onto_itself(app: Flask) -> None:
    if backup.database_kind(db.engine) != DatabaseKind.SQLITE:
        pytest.skip("SQLite only")
    assert_refused(run(app, "db-restore", db.engine.url.database, "--yes"), "is the live database itself")


def test_backup_does_not_overwrite_a_file_unless_forced(app: Flask, tmp_path: Path) -> None:
    existing = tmp_path / "existing.backup"
    existing.write_text("an older backup")
    assert_refused(run(app, "db-backup", str(existing)), "already exists")
    assert existing.read_text() == "an older backup"
    result = run(app, "db-backup", str(existing), "--force")
    assert result.exit_code == 0, result.output
    assert existing.read_bytes()[:5] in (b"SQLit", b"PGDMP")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["existing.backup"]  # no partial file left


def test_backup_into_a_missing_folder(app: Flask, tmp_path: Path) -> None:
    assert_refused(run(app, "db-backup", str(tmp_path / "no" / "such" / "x.backup")), "does not exist")


def test_backup_of_an_in_memory_database(tmp_path: Path) -> None:
    app = create_app(config_for_tests("sqlite://"))
    result = app.test_cli_runner().invoke(args=["db-backup", str(tmp_path / "x.backup")])
    assert_refused(result, "in memory")


# --- PostgreSQL tools, without a server ----------------------------------------------------


def _fake_tool(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def tool_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    lib, path_dir = tmp_path / "lib", tmp_path / "bin"
    lib.mkdir()
    path_dir.mkdir()
    monkeypatch.setattr(backup, "POSTGRES_LIB_DIR", lib)
    monkeypatch.setenv("PATH", str(path_dir))
    return lib, path_dir


def test_a_missing_postgres_tool_is_a_clear_error(tool_dirs: tuple[Path, Path]) -> None:
    with pytest.raises(BackupError, match="pg_dump was not found on PATH nor in .*/lib/\\*/bin"):
        backup.find_postgres_tool("pg_dump", 15)


def test_the_tool_of_the_server_version_is_preferred(tool_dirs: tuple[Path, Path]) -> None:
    lib, path_dir = tool_dirs
    v15 = _fake_tool(lib / "15" / "bin" / "pg_dump")
    v16 = _fake_tool(lib / "16" / "bin" / "pg_dump")
    assert backup.find_postgres_tool("pg_dump", 15) == v15
    assert backup.find_postgres_tool("pg_dump", 14) == v16  # none for 14, nothing on PATH: the newest
    on_path = _fake_tool(path_dir / "pg_dump")
    assert backup.find_postgres_tool("pg_dump", 14) == on_path
    assert backup.find_postgres_tool("pg_dump", 16) == v16


class FakeTools:
    """Stands in for pg_dump and pg_restore, recording how they were called."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, str]]] = []

    def __call__(self, command: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        self.calls.append((command, env))
        stdout = ""
        if Path(command[0]).name == "pg_dump":
            target = next(arg for arg in command if arg.startswith("--file="))[len("--file=") :]
            Path(target).write_bytes(b"PGDMP" + bytes(20))
        elif "--list" in command:
            stdout = "215; 0 16390 TABLE DATA public alembic_version postgres\n"
        return subprocess.CompletedProcess(command, 0, stdout, "")


@pytest.fixture
def fake_postgres(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[object, FakeTools]]:
    engine = create_engine("postgresql+psycopg://quiz:s3cr%40t@db.example:5433/quiz_prod?sslmode=require")
    tools = FakeTools()
    monkeypatch.setattr(backup, "_server_major", lambda engine: 15)
    monkeypatch.setattr(backup, "find_postgres_tool", lambda name, major: Path("/opt/pg/15/bin") / name)
    monkeypatch.setattr(backup.subprocess, "run", tools)
    monkeypatch.delenv("PGOPTIONS", raising=False)
    yield engine, tools
    engine.dispose()


def test_postgres_connection_settings_go_through_the_environment(
    fake_postgres: tuple[object, FakeTools], tmp_path: Path
) -> None:
    engine, tools = fake_postgres
    backup.backup_database(engine, tmp_path / "prod.dump")
    backup.restore_database(engine, tmp_path / "prod.dump")

    (dump, dump_env), (listing, _), (restore, restore_env) = tools.calls
    assert dump[0] == "/opt/pg/15/bin/pg_dump" and "--format=custom" in dump
    assert listing[:2] == ["/opt/pg/15/bin/pg_restore", "--list"]
    assert restore[0] == "/opt/pg/15/bin/pg_restore"
    assert {"--clean", "--if-exists", "--no-owner", "--single-transaction"} <= set(restore)
    assert "--dbname=dbname='quiz_prod'" in restore
    for command in (dump, listing, restore):
        assert not any("s3cr" in arg or "db.example" in arg or "quiz:" in arg for arg in command)
    for env in (dump_env, restore_env):
        assert env["PGPASSWORD"] == "s3cr@t"
        assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
            "db.example",
            "5433",
            "quiz",
            "quiz_prod",
        )
        assert env["PGSSLMODE"] == "require"
    assert restore_env["PGOPTIONS"] == "-c lock_timeout=30s"


def test_a_failing_postgres_tool_is_reported_with_its_message(
    fake_postgres: tuple[object, FakeTools], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = fake_postgres

    def failing(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "pg_dump: error: connection refused\n")

    monkeypatch.setattr(backup.subprocess, "run", failing)
    with pytest.raises(BackupError, match="The dump failed .*connection refused"):
        backup.backup_database(engine, tmp_path / "prod.dump")
    assert list(tmp_path.iterdir()) == []


def test_postgres_url_without_password_leaves_the_environment_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    url = create_engine("postgresql+psycopg:///quizapp?host=/run/postgresql").url
    env = backup.postgres_environment(url, base={"PGPASSWORD": "from-pgpass-setup", "HOME": "/root"})
    assert env == {
        "PGPASSWORD": "from-pgpass-setup",
        "HOME": "/root",
        "PGHOST": "/run/postgresql",
        "PGDATABASE": "quizapp",
    }
    assert os.environ.get("PGHOST") != "/run/postgresql"  # the process's own environment is untouched
