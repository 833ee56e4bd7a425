"""Formatting helpers every template can call: times in the viewer's zone, shares, intervals.

Dates, numbers and shares are formatted by Babel for the request's locale; texts are worded
in its language (quizapp/translations).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_percent, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import Field, FieldList, Form, FormField, RadioField, SelectMultipleField

from quizapp.domain.charts import BarChart, bar_chart
from quizapp.domain.days import wall_clock
from quizapp.domain.languages import Language, language_of
from quizapp.domain.question_types import AnswerKey, Wording, kind_of, options_shown, wording
from quizapp.domain.question_types.base import is_html
from quizapp.domain.question_types.wording import Translatable
from quizapp.domain.questions import BankTopic
from quizapp.domain.rich_text import sanitize_html
from quizapp.domain.scheduling import IntervalUnit, interval_parts
from quizapp.domain.student_texts import in_language
from quizapp.i18n import current_language
from quizapp.services.bank import TOPIC_NAMES
from quizapp.services.progress import Dashboard
from quizapp.services.study import GRADE_NAMES

MISSING = "–"
FORM_EXPIRED = _l("The form expired. Please try again.")
MASTERY_DEFINITION = _l(
    "A question is mastered once its memory has grown to last three weeks or more (recalled over "
    "spaced reviews) and has not slipped since: the chance of recalling it now is still at least 90%."
)
TRUE_RETENTION_DEFINITION = _l(
    "True retention: of the reviews of cards already learned and due in the last 30 days, the share answered right."
)
# The generated bank's topics, named in the reader's language; topics teachers add or rename keep their name.
BANK_TOPIC_LABELS = {
    BankTopic.DATES: _l("Dates"),
    BankTopic.LEADERS: _l("Leaders"),
    BankTopic.RECOGNITIONS: _l("Recognitions"),
    BankTopic.PEOPLE: _l("People"),
    BankTopic.EVENTS: _l("Events"),
}
_TOPIC_LABELS_BY_NAME = {TOPIC_NAMES[topic]: label for topic, label in BANK_TOPIC_LABELS.items()}
# The flashcard grades (services.study.GRADE_NAMES, English) as the reader reads them.
GRADE_LABELS = dict(
    zip(
        GRADE_NAMES.values(),
        [_l("Again"), _l("Hard"), _l("Good"), _l("Easy")],
        strict=True,
    )
)


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
    """``10 Mar 2024, 09:00`` in the viewer's zone, as their language writes it."""
    if moment is None:
        return MISSING
    # Translators: a CLDR date pattern (https://cldr.unicode.org/translation/date-time/date-time-patterns).
    return format_datetime(wall_clock(moment, viewer_zone()), _("dd MMM yyyy, HH:mm"), rebase=False)


def local_day(moment: datetime | None) -> str:
    """``10 Mar 2024`` in the viewer's zone, as their language writes it."""
    if moment is None:
        return MISSING
    # Translators: a CLDR date pattern (https://cldr.unicode.org/translation/date-time/date-time-patterns).
    return format_date(wall_clock(moment, viewer_zone()).date(), _("dd MMM yyyy"), rebase=False)


def weekday_label(day: date) -> str:
    """``Mon 11``: a day of the coming week, short."""
    return format_date(day, "EEE d", rebase=False)


def weekday_date(day: date) -> str:
    """``Mon 11 Mar``: a day of the coming week with its month."""
    return format_date(day, "EEE d MMM", rebase=False)


def decimal(number: float, pattern: str = "0.0") -> str:
    """A number with the reader's decimal sign: ``2.5`` (``2,5`` in Spanish); ``pattern`` is a CLDR number pattern."""
    return format_decimal(number, pattern)


def percent(share: float | None) -> str:
    """``80%`` (``80 %`` in Spanish): a share of 1 as a whole percentage."""
    return MISSING if share is None else format_percent(share)


def interval_label(interval: timedelta) -> str:
    """A short label for an interval, ``10 min``, ``5 h``, ``3 d``, ``2 mo``, in the reader's language."""
    amount, unit = interval_parts(interval)
    number = format_decimal(amount)
    if unit is IntervalUnit.MINUTES:
        return _("%(amount)s min", amount=number) if amount else _("<1 min")
    if unit is IntervalUnit.HOURS:
        return _("%(amount)s h", amount=number)
    if unit is IntervalUnit.DAYS:
        return _("%(amount)s d", amount=number)
    # A fraction of a year reads as a plural in both languages, as 2 does.
    count = int(amount) if amount == int(amount) else 2
    if unit is IntervalUnit.MONTHS:
        return ngettext("%(amount)s mo", "%(amount)s mo", count, amount=number)
    return ngettext("%(amount)s y", "%(amount)s y", count, amount=number)


def days_label(days: float | None) -> str:
    return MISSING if days is None else interval_label(timedelta(days=days))


def topic_label(name: str) -> str:
    """A topic's name to show: the generated bank's in the reader's language, any other as its teacher named it."""
    label = _TOPIC_LABELS_BY_NAME.get(name)
    return name if label is None else str(label)


def grade_label(name: str) -> str:
    """A flashcard grade (``Good``) in the reader's language."""
    return str(GRADE_LABELS.get(name, name))


def question_text(text: str, key: AnswerKey) -> str | Markup:
    """A prompt, explanation or feedback of the question ``key``: sanitized HTML when it is HTML, else text."""
    return Markup(sanitize_html(text)) if is_html(key) else text


def ordinal(number: int) -> str:
    """A place in an order, in the reader's language: ``2nd``, ``11th``; ``2.º`` in Spanish."""
    if current_language() is Language.SPANISH:
        return f"{number}.º"
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def dashboard_charts(dashboard: Dashboard) -> dict[str, BarChart]:
    """The forecast and mastery charts of a student's progress page."""
    return {
        "forecast_chart": bar_chart(
            [_("Today")] + [weekday_label(day.day) for day in dashboard.forecast[1:]],
            [day.count for day in dashboard.forecast],
        ),
        "mastery_chart": bar_chart(
            [topic_label(topic.name) for topic in dashboard.mastery],
            [topic.share or 0.0 for topic in dashboard.mastery],
            max_value=1.0,
            value_labels=[percent(topic.share) for topic in dashboard.mastery],
        ),
    }


# A question in the reader's language (the quiz, the flashcards, the teachers' pages and preview).
def question_in_language(question: Translatable) -> Wording:
    """The question in the interface's language when it is written in it, else in its own."""
    return wording(question, current_language())


def lang_attribute(language: Language | str | None) -> Markup:
    """`` lang="en"`` for an element whose text is in another language than the page's, else nothing."""
    text_language = language_of(language) if language else None
    if text_language is None or text_language == current_language():
        return Markup("")
    return Markup(' lang="{}"').format(text_language.value)


def student_text(text: str) -> str:
    """A text the domain wrote for students (grading feedback, a hint) in the interface's language."""
    return in_language(text, current_language())


def install(app: Flask) -> None:
    app.jinja_env.globals.update(
        current_user=current_user,  # looked up only when a template reads it
        mastery_definition=MASTERY_DEFINITION,
        retention_definition=TRUE_RETENTION_DEFINITION,
        local_datetime=local_datetime,
        local_day=local_day,
        weekday_date=weekday_date,
        decimal=decimal,
        percent=percent,
        days_label=days_label,
        interval_label=interval_label,
        topic_label=topic_label,
        grade_label=grade_label,
        kind_of=kind_of,
        options_shown=options_shown,
        question_text=question_text,
        ordinal=ordinal,
        form_error_list=form_error_list,
        question_in_language=question_in_language,
        lang_attribute=lang_attribute,
        student_text=student_text,
    )
