"""Pages for everyone: the home page."""

from flask import Blueprint, render_template
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Question, Status

bp = Blueprint("main", __name__, template_folder="templates")


@bp.get("/")
def home() -> str:
    question_count = db.session.scalar(
        select(func.count()).select_from(Question).where(Question.status == Status.ACTIVE)
    )
    return render_template("main/home.html", question_count=question_count)
