"""A throwaway PostgreSQL 15 on loopback, as .ci/run starts one: always stopped at the end."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from benchmarks.net import free_port

PG_BIN = Path(os.environ.get("QUIZAPP_PG_BIN", "/usr/lib/postgresql/15/bin"))


def available() -> bool:
    return (PG_BIN / "pg_ctl").exists() and shutil.which("su") is not None


def _as_postgres(command: str) -> None:
    """Run a shell command as the postgres user (PostgreSQL refuses to run as root)."""
    if os.geteuid() == 0:
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True, capture_output=True)
    else:
        subprocess.run(["/bin/sh", "-c", command], check=True, capture_output=True)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a fresh cluster on 127.0.0.1 and a free port; yield a SQLAlchemy URL; stop and delete it."""
    directory = Path(tempfile.mkdtemp(prefix="quizapp-bench-pg."))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    port = free_port()
    started = False
    try:
        _as_postgres(f"{PG_BIN}/initdb -D '{data}' -U postgres -A trust -E UTF8 --no-locale")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k '{directory}' "
            "-c max_connections=200 -c shared_buffers=256MB -c synchronous_commit=on"
        )
        _as_postgres(f"{PG_BIN}/pg_ctl -D '{data}' -l '{directory}/server.log' -w -o \"{options}\" start")
        started = True
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            with suppress(subprocess.CalledProcessError):
                _as_postgres(f"{PG_BIN}/pg_ctl -D '{data}' -m fast -w stop")
        shutil.rmtree(directory, ignore_errors=True)


def server_version(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


def create_database(admin_url: str, name: str) -> str:
    """Create database ``name`` on the server of ``admin_url``; its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)
