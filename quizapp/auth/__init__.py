"""Accounts: registering, signing in and out, the user's settings, password and data."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

# The view modules attach their routes to bp: importing them completes the blueprint.
from quizapp.auth import data_export, routes  # noqa: E402, F401
