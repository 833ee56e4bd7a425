"""The yardstick: minimal Flask + Flask-SQLAlchemy routes on the benchmark's database.

Nothing of quizapp runs here (no sign-in, no CSRF, no security headers, no
services): a bare read is one indexed SELECT and a tiny template, a bare write
one indexed SELECT, one UPDATE, one INSERT and a commit, the least any real
page or answer could cost. The app's requests are measured against these in
the same interleaved loop, so the ratios say what quizapp adds.

Served by gunicorn as ``benchmarks.bare_flask:create_app()`` (DATABASE_URL from
the environment, as for quizapp).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, redirect, render_template_string
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from werkzeug.wrappers import Response

READ_PATH = "/bare/read/{user_id}"
WRITE_PATH = "/bare/write/{user_id}"

TINY_PAGE = "<!doctype html><title>Next card</title><p>Your next card is due {{ due }}.</p>"
SOONEST_CARD = text(
    "SELECT id, question_id, version, due FROM review_cards WHERE user_id = :user_id ORDER BY due LIMIT 1"
)
COUNT_REVIEW = text("UPDATE review_cards SET reviews = reviews + 1, version = version + 1 WHERE id = :card_id")
LOG_REVIEW = text(
    "INSERT INTO review_logs (card_id, user_id, question_id, card_version, rating, source, reviewed_at, "
    "state_after, fsrs_log, counted, prior_state, was_due) VALUES (:card_id, :user_id, :question_id, "
    ":card_version, 3, 'flashcard', :now, '{}', '{}', :counted, 'review', :was_due)"
)


@event.listens_for(Engine, "connect")
def _same_sqlite_settings(dbapi_connection: Any, connection_record: Any) -> None:
    """quizapp's SQLite settings (quizapp.database), without importing quizapp: a yardstick
    committing with synchronous=FULL would be slower than the app for a reason that is not the app."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()


def create_app(database_url: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url or os.environ["DATABASE_URL"]
    db = SQLAlchemy(app)

    @app.get("/bare/read/<int:user_id>")
    def bare_read(user_id: int) -> str:
        card = db.session.execute(SOONEST_CARD, {"user_id": user_id}).one()
        return render_template_string(TINY_PAGE, due=card.due)

    @app.post("/bare/write/<int:user_id>")
    def bare_write(user_id: int) -> Response:
        card = db.session.execute(SOONEST_CARD, {"user_id": user_id}).one()
        db.session.execute(COUNT_REVIEW, {"card_id": card.id})
        db.session.execute(
            LOG_REVIEW,
            {
                "card_id": card.id,
                "user_id": user_id,
                "question_id": card.question_id,
                "card_version": card.version + 1,
                "now": datetime.now(UTC).replace(tzinfo=None),
                "counted": True,
                "was_due": True,
            },
        )
        db.session.commit()
        return redirect(READ_PATH.format(user_id=user_id))

    return app
