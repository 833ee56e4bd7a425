"""Local days, streaks and the due forecast, in Lima, UTC and Auckland."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.domain.days import (
    DayBounds,
    DayCount,
    day_bounds,
    forecast,
    forecast_days,
    local_date,
    local_day_start,
    ratio,
    streak,
)

LIMA = ZoneInfo("America/Lima")  # UTC-5 all year
AUCKLAND = ZoneInfo("Pacific/Auckland")  # UTC+13 in its summer, +12 in winter
UTC_ZONE = ZoneInfo("UTC")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- local days --------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "tz", "start"),
    [
        # 1 March 03:00 UTC is still 29 February 22:00 in Lima.
        (utc(2024, 3, 1, 3, 0), LIMA, utc(2024, 2, 29, 5, 0)),
        (utc(2024, 3, 1, 4, 59, 59), LIMA, utc(2024, 2, 29, 5, 0)),
        (utc(2024, 3, 1, 5, 0), LIMA, utc(2024, 3, 1, 5, 0)),
        (utc(2024, 3, 1, 3, 0), UTC_ZONE, utc(2024, 3, 1, 0, 0)),
        (utc(2024, 3, 1, 23, 59, 59), UTC_ZONE, utc(2024, 3, 1, 0, 0)),
        # 1 March 10:59 UTC is 23:59 in Auckland; a minute later it is 2 March there.
        (utc(2024, 3, 1, 10, 59), AUCKLAND, utc(2024, 2, 29, 11, 0)),
        (utc(2024, 3, 1, 11, 0), AUCKLAND, utc(2024, 3, 1, 11, 0)),
        # Auckland winter (UTC+12).
        (utc(2024, 7, 1, 12, 0), AUCKLAND, utc(2024, 7, 1, 12, 0)),
    ],
)
def test_local_day_start(now, tz, start):
    assert local_day_start(now, tz) == start
    assert local_day_start(now, tz).tzinfo == UTC


def test_one_instant_is_three_different_dates():
    moment = utc(2024, 3, 1, 4, 30)
    assert local_date(moment, LIMA) == date(2024, 2, 29)
    assert local_date(moment, UTC_ZONE) == date(2024, 3, 1)
    assert local_date(utc(2024, 3, 1, 11, 30), AUCKLAND) == date(2024, 3, 2)


def test_a_local_day_start_accepts_any_aware_input_zone():
    in_lima = datetime(2024, 3, 1, 22, 0, tzinfo=LIMA)  # 2 March 03:00 UTC
    assert local_day_start(in_lima, LIMA) == utc(2024, 3, 1, 5, 0)
    assert local_day_start(in_lima, UTC_ZONE) == utc(2024, 3, 2, 0, 0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        local_day_start(datetime(2024, 3, 1, 12, 0), LIMA)
    with pytest.raises(ValueError, match="naive"):
        streak([datetime(2024, 3, 1, 12, 0)], utc(2024, 3, 1, 12, 0), LIMA)


def test_days_around_daylight_saving_changes_are_25_and_23_hours():
    # Auckland: clocks go back on 7 April 2024 (03:00 -> 02:00) ...
    autumn = day_bounds(date(2024, 4, 7), AUCKLAND)
    assert autumn == DayBounds(date(2024, 4, 7), utc(2024, 4, 6, 11, 0), utc(2024, 4, 7, 12, 0))
    assert autumn.end - autumn.start == timedelta(hours=25)
    # ... and forward on 29 September 2024 (02:00 -> 03:00).
    spring = day_bounds(date(2024, 9, 29), AUCKLAND)
    assert spring == DayBounds(date(2024, 9, 29), utc(2024, 9, 28, 12, 0), utc(2024, 9, 29, 11, 0))
    assert spring.end - spring.start == timedelta(hours=23)


def test_a_day_whose_midnight_is_skipped_starts_at_the_jump():
    # Santiago moves from 00:00 -04 straight to 01:00 -03 on 8 September 2024.
    santiago = day_bounds(date(2024, 9, 8), ZoneInfo("America/Santiago"))
    assert santiago.start == utc(2024, 9, 8, 4, 0)
    assert santiago.end == utc(2024, 9, 9, 3, 0)


def test_a_day_a_zone_skipped_is_empty():
    # Samoa crossed the date line: 30 December 2011 never happened in Apia.
    skipped = day_bounds(date(2011, 12, 30), ZoneInfo("Pacific/Apia"))
    assert skipped.start == skipped.end == utc(2011, 12, 30, 10, 0)


def test_day_bounds_are_half_open():
    today = day_bounds(date(2024, 3, 1), LIMA)
    assert utc(2024, 3, 1, 5, 0) in today
    assert utc(2024, 3, 2, 4, 59, 59) in today
    assert utc(2024, 3, 2, 5, 0) not in today


# --- streaks -----------------------------------------------------------------


def newest_first(times: list[datetime]) -> list[datetime]:
    return sorted(times, reverse=True)


def test_streak_counts_consecutive_local_days_ending_today():
    reviews = [
        utc(2024, 3, 1, 15, 0),  # Lima 1 March 10:00
        utc(2024, 3, 2, 4, 0),  # Lima 1 March 23:00: the same day
        utc(2024, 3, 3, 2, 0),  # Lima 2 March 21:00
        utc(2024, 3, 3, 15, 0),  # Lima 3 March 10:00
    ]
    assert streak(newest_first(reviews), utc(2024, 3, 3, 20, 0), LIMA) == 3


def test_streak_depends_on_the_students_time_zone():
    reviews = [utc(2024, 3, 2, 3, 0), utc(2024, 3, 3, 15, 0)]
    now = utc(2024, 3, 3, 20, 0)
    assert streak(newest_first(reviews), now, UTC_ZONE) == 2  # 2 and 3 March
    assert streak(newest_first(reviews), now, LIMA) == 1  # 1 and 3 March in Lima: a gap on the 2nd


def test_streak_is_kept_until_the_day_is_over():
    reviews = [utc(2024, 3, 1, 12, 0), utc(2024, 3, 2, 12, 0)]
    assert streak(newest_first(reviews), utc(2024, 3, 3, 23, 59), UTC_ZONE) == 2  # nothing yet today
    assert streak(newest_first(reviews), utc(2024, 3, 4, 0, 0), UTC_ZONE) == 0  # yesterday was missed


def test_streak_at_auckland_midnight():
    reviews = [
        utc(2024, 2, 29, 10, 0),  # 29 February 23:00 in Auckland
        utc(2024, 3, 1, 10, 30),  # 1 March 23:30 in Auckland
    ]
    just_after_midnight = utc(2024, 3, 1, 11, 30)  # 2 March 00:30 in Auckland
    assert streak(newest_first(reviews), just_after_midnight, AUCKLAND) == 2
    # The same instants in UTC are both on 29 February and 1 March, ending today.
    assert streak(newest_first(reviews), just_after_midnight, UTC_ZONE) == 2
    # In Lima they are 29 February 05:00 and 1 March 05:30; now is 1 March 06:30.
    assert streak(newest_first(reviews), just_after_midnight, LIMA) == 2
    assert streak(newest_first([*reviews, utc(2024, 3, 1, 11, 15)]), just_after_midnight, AUCKLAND) == 3


def test_streak_reads_times_only_up_to_the_first_missed_day():
    def times() -> Iterator[datetime]:
        yield utc(2024, 3, 3, 15, 0)
        yield utc(2024, 3, 2, 15, 0)
        yield utc(2024, 2, 28, 15, 0)  # 1 March missed: the streak ends here
        raise AssertionError("read past the first missed day")

    assert streak(times(), utc(2024, 3, 3, 20, 0), UTC_ZONE) == 2


def test_streak_refuses_times_out_of_order():
    with pytest.raises(ValueError, match="newest first"):
        streak([utc(2024, 3, 2, 12, 0), utc(2024, 3, 3, 12, 0)], utc(2024, 3, 3, 20, 0), UTC_ZONE)


def test_no_reviews_no_streak():
    assert streak([], utc(2024, 3, 1, 12, 0), LIMA) == 0
    assert streak([utc(2024, 2, 20, 12, 0)], utc(2024, 3, 1, 12, 0), LIMA) == 0


# --- forecast ----------------------------------------------------------------


def test_forecast_days_are_today_and_the_next_seven_local_days():
    days = forecast_days(utc(2024, 3, 1, 15, 0), LIMA)
    assert len(days) == 8
    assert days[0] == DayBounds(date(2024, 3, 1), utc(2024, 3, 1, 5, 0), utc(2024, 3, 2, 5, 0))
    assert days[7] == DayBounds(date(2024, 3, 8), utc(2024, 3, 8, 5, 0), utc(2024, 3, 9, 5, 0))
    assert all(earlier.end == later.start for earlier, later in itertools.pairwise(days))


def test_forecast_days_across_a_daylight_saving_change():
    days = forecast_days(utc(2024, 4, 5, 0, 0), AUCKLAND, days=3)  # 5 April 13:00 NZDT
    assert [(day.day, day.start, day.end) for day in days] == [
        (date(2024, 4, 5), utc(2024, 4, 4, 11, 0), utc(2024, 4, 5, 11, 0)),
        (date(2024, 4, 6), utc(2024, 4, 5, 11, 0), utc(2024, 4, 6, 11, 0)),
        (date(2024, 4, 7), utc(2024, 4, 6, 11, 0), utc(2024, 4, 7, 12, 0)),
        (date(2024, 4, 8), utc(2024, 4, 7, 12, 0), utc(2024, 4, 8, 12, 0)),
    ]


def test_forecast_counts_per_local_day_with_overdue_cards_today():
    now = utc(2024, 3, 1, 15, 0)  # 10:00 in Lima
    due = [
        utc(2024, 2, 20, 12, 0),  # overdue: today
        utc(2024, 3, 1, 15, 0),  # due right now: today
        utc(2024, 3, 2, 4, 59),  # 1 March 23:59 in Lima: today
        utc(2024, 3, 2, 5, 0),  # 2 March 00:00 in Lima: tomorrow
        utc(2024, 3, 4, 12, 0),
        utc(2024, 3, 4, 13, 0),
        utc(2024, 3, 9, 4, 59),  # 8 March 23:59 in Lima: the last day
        utc(2024, 3, 9, 5, 0),  # 9 March in Lima: beyond the forecast
    ]
    assert forecast(due, now, LIMA) == [
        DayCount(date(2024, 3, 1), 3),
        DayCount(date(2024, 3, 2), 1),
        DayCount(date(2024, 3, 3), 0),
        DayCount(date(2024, 3, 4), 2),
        DayCount(date(2024, 3, 5), 0),
        DayCount(date(2024, 3, 6), 0),
        DayCount(date(2024, 3, 7), 0),
        DayCount(date(2024, 3, 8), 1),
    ]


def test_forecast_in_utc_and_auckland_splits_the_same_instants_differently():
    now = utc(2024, 3, 1, 10, 0)  # 1 March 23:00 in Auckland
    due = [utc(2024, 3, 1, 10, 30), utc(2024, 3, 1, 11, 30)]
    assert forecast(due, now, UTC_ZONE, days=1) == [DayCount(date(2024, 3, 1), 2), DayCount(date(2024, 3, 2), 0)]
    assert forecast(due, now, AUCKLAND, days=1) == [DayCount(date(2024, 3, 1), 1), DayCount(date(2024, 3, 2), 1)]


def test_forecast_needs_a_non_negative_number_of_days():
    assert forecast([], utc(2024, 3, 1, 15, 0), LIMA, days=0) == [DayCount(date(2024, 3, 1), 0)]
    with pytest.raises(ValueError):
        forecast_days(utc(2024, 3, 1, 15, 0), LIMA, days=-1)


# --- ratios ------------------------------------------------------------------


def test_ratio():
    assert ratio(3, 4) == 0.75
    assert ratio(0, 5) == 0.0
    assert ratio(0, 0) is None
    with pytest.raises(ValueError):
        ratio(5, 4)
