"""Formatting helpers every template can call: times in the viewer's zone, shares, intervals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user
from markupsafe import Markup
from wtforms import Field, FieldList, Form, FormField, RadioField, SelectMultipleField

from quizapp.domain.charts import BarChart, bar_chart
from quizapp.domain.days import wall_clock
from quizapp.domain.question_types import AnswerKey, kind_of, options_shown
from quizapp.domain.question_types.base import is_html
from quizapp.domain.rich_text import sanitize_html
from quizapp.domain.scheduling import MASTERY_DEFINITION, TRUE_RETENTION_DEFINITION, format_interval
from quizapp.services.progress import Dashboard

MISSING = "–"
FORM_EXPIRED = "The form expired. Please try again."


@dataclass(frozen=True)
class FormError:
    """One line of a form's error summary: the message and the id of the control it links to (None: the form)."""

    message: str
    target: str | None = None
    label: str | None = None


def form_error_list(form: Form) -> list[FormError]:
    """Every error of the form, form-level ones first, then each field's in the order shown."""
    found = [FormError(message) for message in getattr(form, "form_errors", ())]
    csrf_token = getattr(form, "csrf_token", None)
    if csrf_token is not None and csrf_token.errors:
        found.append(FormError(FORM_EXPIRED))
    for field in form:
        if field.type != "CSRFTokenField":
            found += _field_errors(field)
    return found


def _field_errors(field: Field) -> list[FormError]:
    if isinstance(field, FieldList | FormField):
        return [error for entry in field for error in _field_errors(entry)]
    # Radio buttons and checkboxes: the link goes to the first of them.
    target = next(iter(field)).id if isinstance(field, RadioField | SelectMultipleField) and field.choices else field.id
    return [FormError(str(message), target, field.label.text) for message in field.errors if isinstance(message, str)]


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
        form_error_list=form_error_list,
    )
