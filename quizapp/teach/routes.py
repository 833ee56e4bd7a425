"""The teach blueprint with all its views attached."""

from quizapp.teach import bank_views, class_views  # noqa: F401  (their @bp.route calls attach the views)
from quizapp.teach import bp

__all__ = ["bp"]
