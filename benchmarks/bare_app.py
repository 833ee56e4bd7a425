"""The app with one more route, for the benchmark only: a bare indexed read to compare requests against.

Served by gunicorn as ``benchmarks.bare_app:create_app()``; never part of quizapp.
"""

from __future__ import annotations

from flask import Flask, request
from sqlalchemy import select

from quizapp import create_app as create_quizapp
from quizapp.extensions import db
from quizapp.models import ReviewCard

BARE_PATH = "/_benchmark/indexed-read"


def add_bare_route(app: Flask) -> None:
    """GET BARE_PATH?user=<id>: the user's soonest due date, read through ix_review_cards_user_id_due."""

    @app.get(BARE_PATH)
    def indexed_read() -> str:
        user_id = request.args.get("user", 0, type=int)
        due = db.session.scalar(
            select(ReviewCard.due).where(ReviewCard.user_id == user_id).order_by(ReviewCard.due).limit(1)
        )
        return f"{due}"


def create_app() -> Flask:
    app = create_quizapp()
    add_bare_route(app)
    return app
