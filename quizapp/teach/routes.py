"""The teach blueprint with all its views attached."""

from quizapp.teach import bank_views, bp, class_views  # noqa: F401  (their @bp.route calls attach the views)

__all__ = ["bp"]
