"""Date wording for the question generator, and nearby dates to offer as wrong answers."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, timedelta

from quizapp.domain.dates import DatePrecision, PartialDate
from quizapp.domain.languages import Language
from quizapp.domain.spanish_dates import spanish_display, spanish_phrase
from quizapp.domain.when import When

_DAY_SHIFTS = (1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 14, 17, 21, 28)
_MONTH_SHIFTS = (-4, -3, -2, -1, 1, 2, 3, 4)
_YEAR_SHIFTS = (-2, -1, 1, 2)  # a year-only answer needs three wrong years


# How a date question opens, matching the answer's precision: typed, and multiple choice.
_ASKING = {
    Language.ENGLISH: {
        DatePrecision.DAY: ("on what date", "on which of these dates"),
        DatePrecision.MONTH: ("in which month and year", "in which of these months"),
        DatePrecision.YEAR: ("in which year", "in which of these years"),
    },
    Language.SPANISH: {
        DatePrecision.DAY: ("en qué fecha", "en cuál de estas fechas"),
        DatePrecision.MONTH: ("en qué mes y año", "en cuál de estos meses"),
        DatePrecision.YEAR: ("en qué año", "en cuál de estos años"),
    },
}


def asking_when(when: PartialDate, language: Language = Language.ENGLISH) -> str:
    """How a free-answer date question opens: ``on what date``, ``in which year``, ``en qué fecha``."""
    return _ASKING[language][when.precision][0]


def asking_which_date(when: PartialDate, language: Language = Language.ENGLISH) -> str:
    """How a multiple-choice date question opens: ``on which of these dates``, ``en cuál de estas fechas``."""
    return _ASKING[language][when.precision][1]


def bound_text(word: str, when: When) -> str:
    """The start or end of a period as the facts know it, after ``word`` ("from", "until").

    ``from 1879``, ``from some time after 28 July 1881``, ``until June 1882 at the latest``.
    """
    point = when.start.display()
    match when.bound:
        case "after" | "before":
            return f"{word} some time {when.bound} {point}"
        case "by":
            return f"{word} {point} at the latest"
    return f"{word} {when.display()}"


def period_phrase(start: When | None, end: When | None) -> str:
    """`` from 1879 until 28 November 1881``, `` in 1881``, `` from 1882``, `` until 1883`` or ``""``."""
    if start and end and start == end:
        return f" {start.phrase()}"
    parts = (start and bound_text("from", start), end and bound_text("until", end))
    return "".join(f" {text}" for text in parts if text)


def spanish_bound_text(word: str, when: When) -> str:
    """:func:`bound_text` in Spanish, after ``desde`` or ``hasta``: ``hasta julio de 1882 a más tardar``."""
    match when.bound:
        case "after" | "before":
            return f"{word} algún momento {spanish_display(when)}"
        case "by":
            return f"{word} {_spanish_point(replace(when, bound=''))} a más tardar"
    return f"{word} {_spanish_point(when)}"


def _spanish_point(when: When) -> str:
    """A date after "desde" or "hasta": a day takes "el" (``hasta el 28 de noviembre de 1881``), others none."""
    exact = when.exact
    return f"el {spanish_display(when)}" if exact and exact.precision is DatePrecision.DAY else spanish_display(when)


def spanish_period_phrase(start: When | None, end: When | None) -> str:
    """:func:`period_phrase` in Spanish: `` desde 1879 hasta el 28 de noviembre de 1881``, `` en 1881``."""
    if start and end and start == end:
        return f" {spanish_phrase(start)}"
    parts = (start and spanish_bound_text("desde", start), end and spanish_bound_text("hasta", end))
    return "".join(f" {text}" for text in parts if text)


def nearby_dates(when: PartialDate) -> list[PartialDate]:
    """Plausible wrong dates of the same precision, in the same or an adjacent year.

    A year-only date also gets years two apart, since three are needed.
    """
    candidates: set[PartialDate] = set()
    if when.precision is DatePrecision.DAY:
        assert when.month is not None and when.day is not None
        exact = date(when.year, when.month, when.day)
        for shift in _DAY_SHIFTS:
            for moved in (exact + timedelta(days=shift), exact - timedelta(days=shift)):
                candidates.add(PartialDate(moved.year, moved.month, moved.day))
        for months in _MONTH_SHIFTS[2:6]:
            year, month = _shift_month(when.year, when.month, months)
            if when.day <= calendar.monthrange(year, month)[1]:
                candidates.add(PartialDate(year, month, when.day))
        for year in (when.year - 1, when.year + 1):
            if when.day <= calendar.monthrange(year, when.month)[1]:
                candidates.add(PartialDate(year, when.month, when.day))
    elif when.precision is DatePrecision.MONTH:
        assert when.month is not None
        for months in _MONTH_SHIFTS:
            candidates.add(PartialDate(*_shift_month(when.year, when.month, months)))
        candidates.update(PartialDate(year, when.month) for year in (when.year - 1, when.year + 1))
    else:
        candidates.update(PartialDate(when.year + shift) for shift in _YEAR_SHIFTS)
    if when.precision is not DatePrecision.YEAR:
        candidates = {c for c in candidates if abs(c.year - when.year) <= 1}
    candidates.discard(when)
    return sorted(candidates)


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    new_year, index = divmod(year * 12 + month - 1 + months, 12)
    return new_year, index + 1
