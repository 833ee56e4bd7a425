"""Join codes, deadlines, retrievability, the at-risk rule, score bins and gradebook sorting."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.domain import scheduling
from quizapp.domain.classes import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    AtRiskReason,
    at_risk_reasons,
    due_at_for,
    due_day_of,
    format_join_code,
    histogram_labels,
    mastered_at,
    new_join_code,
    normalize_join_code,
    score_bin,
    score_histogram,
    sorted_none_last,
)
from quizapp.domain.scheduling import Rating

LIMA = ZoneInfo("America/Lima")
AUCKLAND = ZoneInfo("Pacific/Auckland")
NOW = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- join codes -------------------------------------------------------------------


def test_join_codes_use_only_unambiguous_characters():
    rng = random.Random(1)
    codes = [new_join_code(rng) for _ in range(500)]
    assert all(len(code) == JOIN_CODE_LENGTH for code in codes)
    assert set("".join(codes)) <= set(JOIN_CODE_ALPHABET)
    assert not set("0O1IL") & set(JOIN_CODE_ALPHABET)
    assert len(set(codes)) == len(codes)


def test_join_codes_follow_the_random_source():
    assert new_join_code(random.Random(7)) == new_join_code(random.Random(7))
    assert new_join_code(random.Random(7)) != new_join_code(random.Random(8))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("ABCDEF23", "ABCDEF23"), ("abcd-ef23", "ABCDEF23"), (" abcd ef23 ", "ABCDEF23"), ("", "")],
)
def test_typed_codes_are_normalized(typed, stored):
    assert normalize_join_code(typed) == stored


def test_codes_are_shown_in_two_halves():
    assert format_join_code("ABCDEF23") == "ABCD-EF23"
    assert normalize_join_code(format_join_code("ABCDEF23")) == "ABCDEF23"


# --- deadlines --------------------------------------------------------------------


def test_a_due_date_ends_at_the_last_instant_of_the_local_day():
    # 12 March in Lima (UTC-5) ends at 13 March 05:00 UTC.
    assert due_at_for(date(2024, 3, 12), LIMA) == utc(2024, 3, 13, 4, 59, 59, 999999)
    assert due_at_for(date(2024, 3, 12), ZoneInfo("UTC")) == utc(2024, 3, 12, 23, 59, 59, 999999)
    assert due_day_of(due_at_for(date(2024, 3, 12), LIMA), LIMA) == date(2024, 3, 12)


def test_a_due_date_on_a_daylight_saving_day():
    # Auckland's clocks go back on 7 April 2024: 8 April starts at 7 April 12:00 UTC.
    assert due_at_for(date(2024, 4, 7), AUCKLAND) == utc(2024, 4, 7, 11, 59, 59, 999999)


# --- mastery a week ago ---------------------------------------------------------


def test_a_card_not_reviewed_since_is_judged_by_its_current_state():
    week_ago = NOW - timedelta(days=7)
    # Stable for 21 days, reviewed 21 days before a week ago: exactly at the edge then.
    last = week_ago - timedelta(days=21)
    assert mastered_at(week_ago, current_stability=21.0, current_last_review=last, reviewed_since=False)
    assert not mastered_at(
        week_ago, current_stability=21.0, current_last_review=last - timedelta(seconds=1), reviewed_since=False
    )
    assert not mastered_at(week_ago, current_stability=20.9, current_last_review=week_ago, reviewed_since=False)
    assert not mastered_at(week_ago, current_stability=None, current_last_review=None, reviewed_since=False)


def test_a_card_reviewed_since_is_judged_by_its_state_before_that_review():
    week_ago = NOW - timedelta(days=7)
    # Mastered then (stable for 30 days, last reviewed 3 days before), whatever it is now.
    assert mastered_at(
        week_ago,
        current_stability=0.5,
        current_last_review=NOW,
        reviewed_since=True,
        stability_before=30.0,
        last_review_before=week_ago - timedelta(days=3),
    )
    # Not stable long enough then, though mastered now.
    assert not mastered_at(
        week_ago,
        current_stability=100.0,
        current_last_review=NOW,
        reviewed_since=True,
        stability_before=5.0,
        last_review_before=week_ago - timedelta(days=3),
    )
    # Created by that review: did not exist then.
    assert not mastered_at(week_ago, current_stability=100.0, current_last_review=NOW, reviewed_since=True)


# --- at risk ----------------------------------------------------------------------


def _reasons(
    last_active, mastered_now=5, mastered_before=5, joined_at=utc(2024, 1, 1), retention=0.9, retention_reviews=40
):
    return at_risk_reasons(
        now=NOW,
        last_active=last_active,
        joined_at=joined_at,
        mastered_now=mastered_now,
        mastered_before=mastered_before,
        retention=retention,
        retention_reviews=retention_reviews,
    )


def test_inactive_for_seven_days_is_at_risk():
    assert _reasons(NOW - timedelta(days=6, hours=23)) == ()
    assert _reasons(NOW - timedelta(days=7)) == (AtRiskReason.INACTIVE,)
    # Never active: counted from joining.
    assert _reasons(None, joined_at=NOW - timedelta(days=2)) == ()
    assert _reasons(None, joined_at=NOW - timedelta(days=8)) == (AtRiskReason.INACTIVE,)


def test_fewer_mastered_cards_than_a_week_ago_is_at_risk():
    recent = NOW - timedelta(hours=1)
    assert _reasons(recent, mastered_now=4, mastered_before=5) == (AtRiskReason.MASTERY_FALLING,)
    assert _reasons(recent, mastered_now=5, mastered_before=5) == ()
    assert _reasons(NOW - timedelta(days=9), mastered_now=0, mastered_before=3) == (
        AtRiskReason.INACTIVE,
        AtRiskReason.MASTERY_FALLING,
    )


def test_true_retention_under_80_percent_over_10_reviews_is_at_risk():
    recent = NOW - timedelta(hours=1)
    assert _reasons(recent, retention=0.79, retention_reviews=10) == (AtRiskReason.LOW_RETENTION,)
    assert _reasons(recent, retention=0.80, retention_reviews=10) == ()
    assert _reasons(recent, retention=0.0, retention_reviews=9) == ()  # too few to judge
    assert _reasons(recent, retention=None, retention_reviews=0) == ()
    assert _reasons(recent, mastered_now=1, mastered_before=2, retention=0.5, retention_reviews=30) == (
        AtRiskReason.MASTERY_FALLING,
        AtRiskReason.LOW_RETENTION,
    )


# --- score histograms ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "length", "expected"),
    [
        (0, 10, 0),
        (1, 10, 1),
        (7, 10, 7),
        (9, 10, 9),
        (10, 10, 9),
        (1, 3, 3),
        (2, 3, 6),
        (0, 5, 0),
        (5, 5, 9),
        (1, 11, 0),
    ],
)
def test_score_bins(correct, length, expected):
    assert score_bin(correct, length) == expected


@pytest.mark.parametrize(("correct", "length"), [(-1, 5), (6, 5), (0, 0)])
def test_impossible_scores_are_refused(correct, length):
    with pytest.raises(ValueError, match="not a score"):
        score_bin(correct, length)


def test_histogram_counts_grouped_scores():
    assert score_histogram([(10, 10, 2), (9, 10, 1), (0, 10, 3), (5, 10, 1)]) == [
        3,
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        3,
    ]
    assert score_histogram([]) == [0] * 10


def test_histogram_labels():
    assert histogram_labels() == [
        "0–9%",
        "10–19%",
        "20–29%",
        "30–39%",
        "40–49%",
        "50–59%",
        "60–69%",
        "70–79%",
        "80–89%",
        "90–100%",
    ]


# --- sorting --------------------------------------------------------------------------


def test_missing_values_sort_last_both_ways_and_ties_keep_their_order():
    rows = [("ana", 2), ("ben", None), ("eva", 5), ("gil", 2)]
    assert sorted_none_last(rows, lambda row: row[1]) == [("ana", 2), ("gil", 2), ("eva", 5), ("ben", None)]
    assert sorted_none_last(rows, lambda row: row[1], descending=True) == [
        ("eva", 5),
        ("ana", 2),
        ("gil", 2),
        ("ben", None),
    ]


def test_the_card_json_fields_used_by_the_trend_are_fsrs_fields():
    # The mastery trend reads stability and last_review from a logged card state.
    card_json = scheduling.review(None, Rating.Good, utc(2024, 1, 1, 9), ZoneInfo("UTC")).card_json
    fields = json.loads(card_json)
    summary = scheduling.card_summary(card_json)
    assert summary.stability == fields["stability"]
    assert summary.last_review == utc(2024, 1, 1, 9)
