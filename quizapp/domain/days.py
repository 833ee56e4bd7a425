"""A student's days: local day bounds, streaks, the due forecast and simple ratios.

Everything is stored in UTC, but "today" is the student's own calendar day in
their IANA time zone. Day bounds are computed from local midnights, so a day
with a daylight-saving change is 23 or 25 hours long, as the student lives it.

Pure functions: no web or database imports; ``now`` is always passed in and
must be timezone-aware.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "DayBounds",
    "DayCount",
    "day_bounds",
    "forecast",
    "forecast_days",
    "local_date",
    "local_day_start",
    "ratio",
    "streak",
    "wall_clock",
]


@dataclass(frozen=True)
class DayBounds:
    """One local calendar day as a half-open UTC interval ``[start, end)``."""

    day: date
    start: datetime
    end: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class DayCount:
    """How many things fall on one local day (e.g. cards due)."""

    day: date
    count: int


def wall_clock(moment: datetime, tz: ZoneInfo) -> datetime:
    """``moment`` as a clock in ``tz`` shows it.

    At the very edges of the calendar (year 1 or 9999), where the zone's
    offset would step outside it, the moment is kept in its own zone
    instead of failing: a deadline set for 31 December 9999 still shows.

    Raises:
        ValueError: if ``moment`` is naive.
    """
    try:
        return _require_aware(moment).astimezone(tz)
    except OverflowError:
        return moment


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar date of ``moment`` on the student's wall clock (see :func:`wall_clock`).

    Raises:
        ValueError: if ``moment`` is naive.
    """
    return wall_clock(moment, tz).date()


def day_bounds(day: date, tz: ZoneInfo) -> DayBounds:
    """The UTC interval covering the local calendar ``day`` in ``tz``."""
    return DayBounds(day, _midnight(day, tz), _midnight(day + timedelta(days=1), tz))


def local_day_start(now: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant the student's current local day began.

    Example: at 2024-03-01 03:00 UTC it is still 29 February 22:00 in Lima
    (UTC-5), so the day began at 2024-02-29 05:00 UTC.

    Raises:
        ValueError: if ``now`` is naive.
    """
    return day_bounds(local_date(now, tz), tz).start


def forecast_days(now: datetime, tz: ZoneInfo, days: int = 7) -> list[DayBounds]:
    """The bounds of today and each of the next ``days`` local days, in order.

    The first item is today; items 1..days are tomorrow onwards. Services count
    due cards per item in SQL with these bounds.

    Raises:
        ValueError: if ``now`` is naive or ``days`` is negative.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    today = local_date(now, tz)
    return [day_bounds(today + timedelta(days=offset), tz) for offset in range(days + 1)]


def forecast(due_times: Iterable[datetime], now: datetime, tz: ZoneInfo, days: int = 7) -> list[DayCount]:
    """Cards due on today and each of the next ``days`` local days.

    Overdue cards count for today, since they are to be done today; cards due
    after the last day are left out.

    Returns:
        ``days + 1`` counts, today first.
    """
    bounds = forecast_days(now, tz, days)
    last_end = bounds[-1].end
    counts: Counter[date] = Counter()
    for due in due_times:
        due = _require_aware(due)
        if due >= last_end:
            continue
        counts[max(local_date(due, tz), bounds[0].day)] += 1
    return [DayCount(day.day, counts[day.day]) for day in bounds]


def streak(review_times_newest_first: Iterable[datetime], now: datetime, tz: ZoneInfo) -> int:
    """Consecutive local days with at least one review, ending today.

    A streak is not broken before the day is over: with no review yet today,
    it is counted up to yesterday.

    Example: reviews on Monday, Tuesday and Wednesday give 3 on Wednesday,
    still 3 on Thursday before any review, and 0 on Friday.

    The times come newest first and are read only up to the first missed
    day, so a caller can stream them from the database and stop there.

    Raises:
        ValueError: a time is naive, or later than the one before it.
    """
    today = local_date(now, tz)
    expected = today  # the day that would extend the streak
    count = 0
    previous: datetime | None = None
    for moment in review_times_newest_first:
        if previous is not None and moment > previous:
            raise ValueError("review times must come newest first")
        previous = moment
        day = local_date(moment, tz)
        if day > expected:  # today, or the day just counted
            continue
        if day == expected or (count == 0 and day == today - timedelta(days=1)):
            count += 1
            expected = day - timedelta(days=1)
            continue
        break
    return count


def ratio(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide (whole is 0)."""
    if whole < 0 or part < 0 or part > whole:
        raise ValueError(f"not a share: {part} of {whole}")
    return None if whole == 0 else part / whole


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``tz``, as UTC.

    Where a daylight-saving jump skips midnight (America/Santiago in
    September), the day starts at the jump; where midnight happens twice, at
    its first occurrence. A day a zone skipped entirely (Pacific/Apia,
    30 December 2011) comes out empty: it starts where the next day starts.
    """
    # The two readings of a wall-clock midnight: before and after a transition.
    candidates = [datetime.combine(day, time(0), tzinfo=tz).replace(fold=fold).astimezone(UTC) for fold in (0, 1)]
    on_the_day = [moment for moment in candidates if moment.astimezone(tz).date() == day]
    return min(on_the_day) if on_the_day else max(candidates)


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {moment.isoformat()}")
    return moment
