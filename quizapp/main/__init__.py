"""The public pages: the home page."""

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

# The view modules attach their routes to bp: importing them completes the blueprint.
from quizapp.main import routes  # noqa: E402, F401
