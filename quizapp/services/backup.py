"""Back up the whole database to a file and restore it, on SQLite and PostgreSQL.

SQLite goes through the online backup API (:meth:`sqlite3.Connection.backup`):
a consistent copy while the app keeps serving, and a restore that writes into
the live database file under SQLite's own locks, so other connections see the
restored data instead of a file swapped under their feet. A backup is an
ordinary SQLite file in rollback-journal mode.

PostgreSQL goes through ``pg_dump --format=custom`` and ``pg_restore --clean
--if-exists --no-owner --single-transaction``: the restore replaces the tables
in one transaction, so it either completes or changes nothing. The connection
settings reach the tools through libpq's environment variables (PGHOST,
PGPASSWORD, ...), never on a command line that ``ps`` would show.

Either way the file must hold quizapp's schema (an ``alembic_version`` table);
anything else is refused before a single row is touched.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, Engine

from quizapp.services import DomainError

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# Debian and Ubuntu install each PostgreSQL version's client tools here.
POSTGRES_LIB_DIR = Path("/usr/lib/postgresql")
# Rather a clear error than a restore that hangs behind a request holding a table lock.
RESTORE_LOCK_TIMEOUT = "30s"
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
# URL query parameters that libpq also reads from the environment.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(DomainError):
    """A backup or restore that cannot be done, with a message fit for the command line."""


class DatabaseKind(StrEnum):
    SQLITE = "SQLite"
    POSTGRESQL = "PostgreSQL"


@dataclass(frozen=True)
class BackupFile:
    """A backup file that was checked and can be restored.

    Attributes:
        path: the file.
        kind: the kind of database it came from.
        revision: its schema's migration revision, when the file tells without
            being restored (SQLite); None for a PostgreSQL dump.
    """

    path: Path
    kind: DatabaseKind
    revision: str | None


def database_kind(engine: Engine) -> DatabaseKind:
    """The kind of database the engine talks to.

    Raises:
        BackupError: for any database other than SQLite and PostgreSQL.
    """
    name = engine.dialect.name
    if name == "sqlite":
        return DatabaseKind.SQLITE
    if name == "postgresql":
        return DatabaseKind.POSTGRESQL
    raise BackupError(f"Backups work on SQLite and PostgreSQL databases, not on {name}.")


def backup_database(engine: Engine, destination: Path, *, overwrite: bool = False) -> int:
    """Write a backup of the whole database to ``destination``; safe while the app runs.

    The file appears only once complete: it is written next to ``destination``
    under a temporary name and then renamed.

    Args:
        overwrite: replace ``destination`` if it exists; otherwise that is refused.

    Returns:
        The size of the backup in bytes.

    Raises:
        BackupError: the destination exists or its folder does not, the
            database is in memory or not SQLite/PostgreSQL, or the dump failed.
    """
    kind = database_kind(engine)
    destination = destination.expanduser()
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder; name the backup file to write.")
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} already exists; choose another name or pass --force to replace it.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    partial = destination.with_name(f".{destination.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        if kind == DatabaseKind.SQLITE:
            _sqlite_backup(engine, partial)
        else:
            _postgres_backup(engine, partial)
        os.replace(partial, destination)
    except OSError as error:
        raise BackupError(f"Could not write {destination}: {error.strerror or error}.") from None
    finally:
        partial.unlink(missing_ok=True)
    return destination.stat().st_size


def inspect_backup(engine: Engine, source: Path) -> BackupFile:
    """Check that ``source`` is a quizapp backup this database can be restored from.

    Nothing is written.

    Raises:
        BackupError: the file is missing, is not a backup, is a backup of the
            other kind of database, or does not hold quizapp's schema.
    """
    kind = database_kind(engine)
    source = source.expanduser()
    if not source.exists():
        raise BackupError(f"{source} does not exist.")
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    try:
        with source.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"Could not read {source}: {error.strerror or error}.") from None
    if header.startswith(SQLITE_HEADER):
        file_kind = DatabaseKind.SQLITE
    elif header.startswith(PG_DUMP_HEADER):
        file_kind = DatabaseKind.POSTGRESQL
    else:
        raise BackupError(f"{source} is not a backup: it is neither a SQLite file nor a pg_dump archive.")
    if file_kind != kind:
        raise BackupError(
            f"{source} is a backup of a {file_kind} database; this app uses {kind}. "
            "Restore it into a database of the same kind."
        )
    if kind == DatabaseKind.SQLITE:
        return BackupFile(source, kind, _sqlite_backup_revision(source))
    _check_postgres_archive(engine, source)
    return BackupFile(source, kind, None)


def restore_database(engine: Engine, source: Path) -> BackupFile:
    """Replace every table of the database with the backup's contents.

    Check the file with :func:`inspect_backup` first; this checks again. The
    engine's pooled connections are closed first; the caller must have closed
    its own sessions. Restoring a backup made before the latest migrations
    leaves the database at that older revision: ``flask db upgrade`` brings it up.

    Raises:
        BackupError: see :func:`inspect_backup`, or the restore itself failed.
    """
    backup = inspect_backup(engine, source)
    engine.dispose()
    if backup.kind == DatabaseKind.SQLITE:
        _sqlite_restore(engine, backup.path)
    else:
        _postgres_restore(engine, backup.path)
    engine.dispose()
    return backup


def schema_revision(engine: Engine) -> str | None:
    """The migration revision the database is at, None when it has none."""
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


# --- SQLite -------------------------------------------------------------------------


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or engine.url.query.get("mode") == "memory":
        raise BackupError("The database is in memory: there is no file to back up or restore.")
    if database.startswith("file:"):
        raise BackupError("SQLite URI file names are not supported; use a plain file path.")
    return Path(database)


def _sqlite_backup(engine: Engine, partial: Path) -> None:
    _sqlite_path(engine)  # a database in memory lives only in this process: nothing worth keeping
    # Through the engine, so the copy is read with the app's own connection settings.
    with closing(engine.raw_connection()) as source, closing(sqlite3.connect(partial)) as target:
        source.driver_connection.backup(target)  # type: ignore[union-attr]
        # A backup is one self-contained file: no -wal or -shm beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        if target.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError("The copy failed SQLite's integrity check; the backup was not written.")


def _sqlite_backup_revision(source: Path) -> str:
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{source} is damaged: it fails SQLite's integrity check.")
            has_version_table = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if not has_version_table:
                raise BackupError(
                    f"{source} is a SQLite file but not a quizapp backup: it has no alembic_version table."
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"{source} is not a readable SQLite backup ({error}).") from None
    if row is None:
        raise BackupError(f"{source} is not a complete quizapp backup: its alembic_version table is empty.")
    return str(row[0])


def _sqlite_restore(engine: Engine, source: Path) -> None:
    live = _sqlite_path(engine)
    if live.exists() and live.resolve() == source.resolve():
        raise BackupError(f"{source} is the live database itself; restore from a backup file instead.")
    try:
        with (
            closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup,
            closing(sqlite3.connect(live, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)) as target,
        ):
            # The backup API takes SQLite's write lock on the live file and keeps it in WAL mode.
            backup.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"The restore failed and the database was left as it was ({error}).") from None


# --- PostgreSQL -----------------------------------------------------------------------


def find_postgres_tool(name: str, server_major: int | None = None) -> Path:
    """The PostgreSQL client program ``name`` (pg_dump, pg_restore) to use.

    Preferred: the one of the server's major version in POSTGRES_LIB_DIR, then
    the one on PATH, then the newest in POSTGRES_LIB_DIR.

    Raises:
        BackupError: when it is nowhere to be found.
    """
    installed = sorted(
        (int(match.group(1)), candidate)
        for candidate in POSTGRES_LIB_DIR.glob(f"*/bin/{name}")
        if (match := re.fullmatch(r"(\d+)", candidate.parent.parent.name)) and os.access(candidate, os.X_OK)
    )
    for major, candidate in installed:
        if major == server_major:
            return candidate
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    if installed:
        return installed[-1][1]
    raise BackupError(
        f"{name} was not found on PATH nor in {POSTGRES_LIB_DIR}/*/bin. "
        "Install the PostgreSQL client tools of the server's version (Debian: postgresql-client)."
    )


def postgres_environment(url: URL, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment that points libpq's tools at the URL's database.

    The password travels in PGPASSWORD, never in the arguments.
    """
    environment = dict(os.environ if base is None else base)
    for parameter, variable in LIBPQ_ENVIRONMENT.items():
        value = url.query.get(parameter)
        if isinstance(value, tuple):  # repeated in the URL: libpq takes a comma-separated list
            value = ",".join(value)
        if value:
            environment[variable] = value
    for variable, part in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if part is not None and part != "":
            environment[variable] = str(part)
    return environment


def _server_major(engine: Engine) -> int | None:
    with engine.connect() as connection:
        version = connection.dialect.server_version_info
    return int(version[0]) if version else None


def _run(command: list[str], environment: Mapping[str, str], what: str) -> str:
    try:
        completed = subprocess.run(command, env=dict(environment), capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"Could not run {command[0]}: {error.strerror or error}.") from None
    if completed.returncode != 0:
        detail = " ".join(completed.stderr.strip().splitlines()[-5:])
        raise BackupError(f"{what} failed ({Path(command[0]).name} exit {completed.returncode}): {detail}")
    return completed.stdout


def _postgres_backup(engine: Engine, partial: Path) -> None:
    pg_dump = find_postgres_tool("pg_dump", _server_major(engine))
    _run(
        [str(pg_dump), "--format=custom", "--no-password", f"--file={partial}"],
        postgres_environment(engine.url),
        "The dump",
    )
    with partial.open("rb") as handle:
        if not handle.read(len(PG_DUMP_HEADER)) == PG_DUMP_HEADER:
            raise BackupError("pg_dump did not write a custom-format archive; the backup was not written.")


def _check_postgres_archive(engine: Engine, source: Path) -> None:
    pg_restore = find_postgres_tool("pg_restore", _server_major(engine))
    listing = _run([str(pg_restore), "--list", str(source)], postgres_environment(engine.url), "Reading the backup")
    if not re.search(r"\bTABLE DATA \S+ alembic_version\b", listing):
        raise BackupError(f"{source} is a pg_dump archive but not a quizapp backup: it has no alembic_version data.")


def _conninfo_value(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _postgres_restore(engine: Engine, source: Path) -> None:
    pg_restore = find_postgres_tool("pg_restore", _server_major(engine))
    environment = postgres_environment(engine.url)
    environment["PGOPTIONS"] = f"{environment.get('PGOPTIONS', '')} -c lock_timeout={RESTORE_LOCK_TIMEOUT}".strip()
    database = engine.url.database or environment.get("PGDATABASE") or environment.get("PGUSER") or ""
    _run(
        [
            str(pg_restore),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            # Only the database name; host, user and password come from the environment.
            f"--dbname=dbname={_conninfo_value(database)}",
            str(source),
        ],
        environment,
        "The restore (nothing was changed)",
    )
