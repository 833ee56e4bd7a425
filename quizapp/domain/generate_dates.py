"""Date helpers for the question generator: overlap, wording and nearby wrong dates."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from quizapp.domain.dates import DatePrecision, PartialDate

_DAY_SHIFTS = (1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 14, 17, 21, 28)
_MONTH_SHIFTS = (-4, -3, -2, -1, 1, 2, 3, 4)
_YEAR_SHIFTS = (-2, -1, 1, 2)  # a year-only answer needs three wrong years


def bounds(when: PartialDate) -> tuple[date, date]:
    """The first and last day the partial date may stand for."""
    if when.month is None:
        return date(when.year, 1, 1), date(when.year, 12, 31)
    if when.day is None:
        last_day = calendar.monthrange(when.year, when.month)[1]
        return date(when.year, when.month, 1), date(when.year, when.month, last_day)
    exact = date(when.year, when.month, when.day)
    return exact, exact


def overlaps(first: PartialDate, second: PartialDate) -> bool:
    """Whether the two dates could be the same day (``June 1882`` overlaps ``5 June 1882``)."""
    return _intersect(bounds(first), bounds(second))


def on_phrase(when: PartialDate) -> str:
    """``on 20 October 1883``, ``in October 1883`` or ``in 1883``."""
    return f"on {when.display()}" if when.precision is DatePrecision.DAY else f"in {when.display()}"


def asking_when(when: PartialDate) -> str:
    """How a free-answer date question opens, matching the answer's precision."""
    return {
        DatePrecision.DAY: "on what date",
        DatePrecision.MONTH: "in which month and year",
        DatePrecision.YEAR: "in which year",
    }[when.precision]


def asking_which_date(when: PartialDate) -> str:
    """How a multiple-choice date question opens, matching the answer's precision."""
    return {
        DatePrecision.DAY: "on which of these dates",
        DatePrecision.MONTH: "in which of these months",
        DatePrecision.YEAR: "in which of these years",
    }[when.precision]


def period_phrase(start: PartialDate | None, end: PartialDate | None) -> str:
    """`` from March 1881 to 1883``, `` in 1881``, `` from 1882``, `` until 1883`` or ``""``."""
    if start and end:
        if start == end:
            return f" {on_phrase(start)}"
        return f" from {start.display()} to {end.display()}"
    if start:
        return f" from {start.display()}"
    if end:
        return f" until {end.display()}"
    return ""


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


def wrong_dates(when: PartialDate, true_spans: Iterable[tuple[date, date]]) -> list[PartialDate]:
    """Nearby dates that fall in none of the true spans of days, in a stable order.

    Args:
        when: the true date the wrong ones should resemble.
        true_spans: every range of days the prompt may truly refer to (all
            accounts of the event, and the whole of an event that lasted days).
    """
    truths = [bounds(when), *true_spans]
    return [
        candidate
        for candidate in nearby_dates(when)
        if not any(_intersect(bounds(candidate), truth) for truth in truths)
    ]


def _intersect(first: tuple[date, date], second: tuple[date, date]) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    new_year, index = divmod(year * 12 + month - 1 + months, 12)
    return new_year, index + 1
