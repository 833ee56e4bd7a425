"""The student's own study: flashcards with spaced repetition, dashboard, weakest questions, classes."""

from flask import Blueprint

bp = Blueprint("study", __name__, template_folder="templates")

# The view modules attach their routes to bp: importing them completes the blueprint.
from quizapp.study import routes  # noqa: E402, F401
