"""Seeded databases for the benchmarks: migrated, the generated bank, then ``flask demo seed``'s service.

The datasets keep the reviews a student constant and grow the school, so the
student and the class measured have the same kind of history at every size
and only the database around them grows.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import text

from quizapp import create_app, demo
from quizapp.domain.facts import load_facts
from quizapp.domain.generate import generate_questions
from quizapp.extensions import db
from quizapp.schema_migrations import enable_migrations
from quizapp.services import bank

REVIEWS_A_STUDENT = 40  # a class of 25 then holds 1,000 reviews
SEED = 1
BENCH_SECRET_KEY = "benchmark-only-secret-key"


@dataclass(frozen=True)
class Seeded:
    """A database ready for the benchmarks and what building it took."""

    url: str
    reviews: int
    students: int
    migrate_seconds: float
    bank_seconds: float
    seed_seconds: float
    bank_questions: int


def bench_app(url: str, **config: object) -> Flask:
    """The app as gunicorn would build it, on ``url``; ``config`` overrides settings."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": BENCH_SECRET_KEY, **config})


def migrate_quietly() -> None:
    """Upgrade the app context's database to the newest migration without alembic's log lines."""
    enable_migrations(current_app)
    logging.disable(logging.INFO)  # alembic's "Running upgrade ..." lines
    try:
        upgrade()
    finally:
        logging.disable(logging.NOTSET)


def sqlite_url(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def build(
    url: str, reviews: int, workers: int, say=print, *, students: int | None = None, questions: int = 0
) -> Seeded:
    """Migrate an empty database, build the bank and seed ``reviews`` reviews (40 a student unless
    ``students`` says how many); ``questions`` active questions in all when more than the bank."""
    students = students or max(1, reviews // REVIEWS_A_STUDENT)
    app = bench_app(url)
    with app.app_context():
        started = time.perf_counter()
        migrate_quietly()
        migrated = time.perf_counter()
        facts = load_facts(Path(app.config["QUESTIONS_DIR"]))
        report = bank.build_bank(db.session, generate_questions(facts), datetime.now(UTC))
        db.session.commit()
        built = time.perf_counter()
        spec = demo.DemoSpec(students=students, questions=questions, reviews=reviews, seed=SEED)
        demo.seed_demo(db.session, spec, datetime.now(UTC), workers=workers, progress=lambda line: say(f"  {line}"))
        db.session.commit()
        seeded = time.perf_counter()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return Seeded(
        url=url,
        reviews=reviews,
        students=students,
        migrate_seconds=migrated - started,
        bank_seconds=built - migrated,
        seed_seconds=seeded - built,
        bank_questions=max(len(report.created), questions),
    )
