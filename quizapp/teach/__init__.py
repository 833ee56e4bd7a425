"""The teachers' blueprint: question bank, import/export, classes and progress review.

Views live in ``bank_views`` and ``class_views``, imported at the end so
that importing the package completes the blueprint. Every view is wrapped by
:func:`teacher_required`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("teach", __name__, url_prefix="/teach", template_folder="templates")

P = ParamSpec("P")
R = TypeVar("R")


def teacher_required(view: Callable[P, R]) -> Callable[P, R]:
    """Anonymous visitors are sent to sign in; signed-in students get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_teacher:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


# The view modules attach their routes to bp: importing them completes the blueprint.
from quizapp.teach import bank_views, class_views, topic_views  # noqa: E402, F401
