"""Times, shares and numbers on the teachers' pages, written as the interface's language writes them.

The same names as the app-wide helpers of :mod:`quizapp.templating` (``percent``,
``local_datetime``, ``local_day``), passed to the teachers' templates so that
they take precedence: English keeps its look ("09 Mar 2024, 23:30", "80%"),
Spanish gets its own ("09 mar 2024, 23:30", "80 %", "0,45").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale, gettext

from quizapp.domain.days import wall_clock
from quizapp.templating import MISSING, viewer_zone

__all__ = ["day_label", "decimal", "local_datetime", "local_day", "percent", "span", "teacher_formatting"]


def percent(share: float | None) -> str:
    """``0.8`` as ``80%`` (English) or ``80 %`` (Spanish), whole percent."""
    return MISSING if share is None else format_percent(share, locale=get_locale())


def decimal(value: float | None, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals, the locale's decimal sign."""
    if value is None:
        return MISSING
    return format_decimal(value, format="0." + "0" * digits if digits else "0", locale=get_locale())


def local_datetime(moment: datetime | None) -> str:
    """A moment as the viewer's clock shows it: ``09 Mar 2024, 23:30``."""
    if moment is None:
        return MISSING
    local = wall_clock(moment, viewer_zone())
    return f"{format_date(local, 'dd MMM yyyy', locale=get_locale())}, {local:%H:%M}"


def local_day(moment: datetime | None) -> str:
    """The viewer's calendar day of a moment: ``09 Mar 2024``."""
    return (
        MISSING
        if moment is None
        else format_date(wall_clock(moment, viewer_zone()), "dd MMM yyyy", locale=get_locale())
    )


def day_label(day: date) -> str:
    """A day of a chart's table: ``Sat 09 Mar`` / ``sáb 09 mar``."""
    return format_date(day, "EEE dd MMM", locale=get_locale())


def span(first: date, last: date) -> str:
    """Two days as a span: ``01 Mar to 14 Mar 2024``."""
    return gettext(
        "%(first)s to %(last)s",
        first=format_date(first, "dd MMM", locale=get_locale()),
        last=format_date(last, "dd MMM yyyy", locale=get_locale()),
    )


def teacher_formatting() -> dict[str, Any]:
    """The helpers for a teachers' template's context (they shadow the app-wide ones of the same name)."""
    return {"percent": percent, "decimal": decimal, "local_datetime": local_datetime, "local_day": local_day}
