"""Formatting helpers every template can call: times in the viewer's zone, shares, intervals."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user
from markupsafe import Markup

from quizapp.domain.charts import BarChart, bar_chart
from quizapp.domain.days import wall_clock
from quizapp.domain.question_types import AnswerKey, kind_of, options_shown
from quizapp.domain.question_types.base import is_html
from quizapp.domain.rich_text import sanitize_html
from quizapp.domain.scheduling import MASTERY_DEFINITION, TRUE_RETENTION_DEFINITION, format_interval
from quizapp.services.progress import Dashboard

MISSING = "–"


def viewer_zone() -> ZoneInfo:
    """The signed-in user's time zone; UTC for anonymous visitors."""
    return ZoneInfo(current_user.timezone if current_user.is_authenticated else "UTC")


def local_datetime(moment: datetime | None) -> str:
    return MISSING if moment is None else wall_clock(moment, viewer_zone()).strftime("%d %b %Y, %H:%M")


def local_day(moment: datetime | None) -> str:
    return MISSING if moment is None else wall_clock(moment, viewer_zone()).strftime("%d %b %Y")


def percent(share: float | None) -> str:
    return MISSING if share is None else f"{round(share * 100)}%"


def days_label(days: float | None) -> str:
    return MISSING if days is None else format_interval(timedelta(days=days))


def question_text(text: str, key: AnswerKey) -> str | Markup:
    """A prompt, explanation or feedback of the question ``key``: sanitized HTML when it is HTML, else text."""
    return Markup(sanitize_html(text)) if is_html(key) else text


def ordinal_suffix(number: int) -> str:
    """``nd`` for 2, ``rd`` for 3, ``th`` for 11: the English ending of an ordinal number."""
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def dashboard_charts(dashboard: Dashboard) -> dict[str, BarChart]:
    """The forecast and mastery charts of a student's progress page."""
    return {
        "forecast_chart": bar_chart(
            ["Today"] + [f"{day.day:%a} {day.day.day}" for day in dashboard.forecast[1:]],
            [day.count for day in dashboard.forecast],
        ),
        "mastery_chart": bar_chart(
            [topic.name for topic in dashboard.mastery],
            [topic.share or 0.0 for topic in dashboard.mastery],
            max_value=1.0,
            value_labels=[percent(topic.share) for topic in dashboard.mastery],
        ),
    }


def install(app: Flask) -> None:
    app.jinja_env.globals.update(
        current_user=current_user,  # looked up only when a template reads it
        mastery_definition=MASTERY_DEFINITION,
        retention_definition=TRUE_RETENTION_DEFINITION,
        local_datetime=local_datetime,
        local_day=local_day,
        percent=percent,
        days_label=days_label,
        kind_of=kind_of,
        options_shown=options_shown,
        question_text=question_text,
        ordinal_suffix=ordinal_suffix,
    )
