"""Pages for everyone: the home page."""

from flask import render_template

from quizapp.extensions import db
from quizapp.main import bp
from quizapp.services import bank


@bp.get("/")
def home() -> str:
    return render_template("main/home.html", question_count=bank.active_question_count(db.session))
