"""Settings from the environment, with safe defaults kept in the instance folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def instance_secret_key(instance_path: Path) -> str:
    """A random key generated once and kept in the instance folder.

    Used when SECRET_KEY is not set: sessions survive a restart without a key
    ever being written into the source.
    """
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix) :]
        if url.startswith("postgresql+psycopg://"):
            _require_psycopg()
        return url
    return f"sqlite:///{instance_path / 'quizapp.sqlite3'}"


def _require_psycopg() -> None:
    # The driver is an optional extra: say how to get it instead of a bare ImportError.
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise RuntimeError(
            "DATABASE_URL names a PostgreSQL database, but its driver is not installed: "
            "run  pip install -e '.[postgres]'  (docs/DEPLOY.md)."
        ) from None


def engine_options(url: str) -> dict[str, object]:
    """SQLAlchemy engine options for the database at ``url``.

    A server's connections can drop (a restart, a failover), so each is tested
    when taken from the pool; a SQLite file's cannot, and the test would cost
    every request a statement.
    """
    return {} if url.startswith("sqlite") else {"pool_pre_ping": True}


def trusted_proxies() -> int:
    """TRUSTED_PROXIES: how many reverse proxies in front of the app to believe about the client."""
    value = os.environ.get("TRUSTED_PROXIES", "").strip() or "0"
    if not value.isdecimal():
        raise ValueError(f"TRUSTED_PROXIES must be a whole number of proxies (0 or more), not {value!r}.")
    return int(value)


def settings_from_environment(instance_path: Path) -> dict[str, object]:
    """The default configuration of a running app."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "QUESTIONS_DIR": str(Path(__file__).resolve().parent.parent / "questions"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # A shared store that stops answering is replaced by per-process counters, not 500s.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "TRUSTED_PROXIES": trusted_proxies(),
    }
