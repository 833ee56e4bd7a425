"""The quiz blueprint: randomized quizzes with feedback after every answer, and assignments to take."""

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz", template_folder="templates")

# The view modules attach their routes to bp: importing them completes the blueprint.
from quizapp.quiz import routes  # noqa: E402, F401
