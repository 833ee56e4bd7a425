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
    mean_retrievability,
    new_join_code,
    normalize_join_code,
    retrievability,
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


# --- retrievability and mastery -------------------------------------------------


def _reviewed_card(*ratings_and_times: tuple[Rating, datetime]) -> str:
    card_json = None
    for rating, moment in ratings_and_times:
        card_json = scheduling.review(card_json, rating, moment, ZoneInfo("UTC")).card_json
    assert card_json is not None
    return card_json


@pytest.mark.parametrize("days_later", [0, 1, 3, 10, 45, 400])
def test_retrievability_matches_fsrs_exactly(days_later):
    card_json = _reviewed_card((Rating.Good, utc(2024, 1, 1, 9)), (Rating.Good, utc(2024, 1, 3, 9)))
    summary = scheduling.card_summary(card_json)
    moment = summary.last_review + timedelta(days=days_later, hours=5)
    assert retrievability(summary.stability, summary.last_review, moment) == pytest.approx(
        scheduling.retrievability(card_json, moment), abs=1e-12
    )


def test_retrievability_is_0_9_after_stability_days_and_1_at_first():
    assert retrievability(10.0, NOW, NOW) == 1.0
    assert retrievability(10.0, NOW, NOW + timedelta(days=10)) == pytest.approx(0.9)
    assert retrievability(10.0, NOW, NOW + timedelta(days=9, hours=23)) == pytest.approx(
        retrievability(10.0, NOW, NOW + timedelta(days=9))
    )  # whole days, as fsrs counts them
    assert retrievability(None, None, NOW) == 0.0
    assert retrievability(3.0, NOW + timedelta(days=2), NOW) == 1.0  # never more than 1


def test_mean_retrievability():
    cards = [(10.0, NOW - timedelta(days=10)), (5.0, NOW)]
    assert mean_retrievability(cards, NOW) == pytest.approx((0.9 + 1.0) / 2)
    assert mean_retrievability([], NOW) is None


def test_a_card_not_reviewed_since_is_judged_by_its_current_stable_until():
    week_ago = NOW - timedelta(days=7)
    assert mastered_at(week_ago, current_stable_until=week_ago, reviewed_since=False)
    assert not mastered_at(
        week_ago, current_stable_until=week_ago - timedelta(seconds=1), reviewed_since=False
    )
    assert not mastered_at(week_ago, current_stable_until=None, reviewed_since=False)


def test_a_card_reviewed_since_is_judged_by_its_state_before_that_review():
    week_ago = NOW - timedelta(days=7)
    far = NOW + timedelta(days=300)
    # Mastered then (last review 3 days before, stability 5 days), whatever it is now.
    assert mastered_at(
        week_ago,
        current_stable_until=NOW - timedelta(days=1),
        reviewed_since=True,
        stability_before=5.0,
        last_review_before=week_ago - timedelta(days=3),
    )
    # Already forgotten then, though mastered now.
    assert not mastered_at(
        week_ago,
        current_stable_until=far,
        reviewed_since=True,
        stability_before=2.0,
        last_review_before=week_ago - timedelta(days=3),
    )
    # Created by that review: did not exist then.
    assert not mastered_at(week_ago, current_stable_until=far, reviewed_since=True)


# --- at risk ----------------------------------------------------------------------


def _reasons(last_active, mastered_now=5, mastered_before=5, joined_at=utc(2024, 1, 1)):
    return at_risk_reasons(
        now=NOW,
        last_active=last_active,
        joined_at=joined_at,
        mastered_now=mastered_now,
        mastered_before=mastered_before,
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
    card_json = _reviewed_card((Rating.Good, utc(2024, 1, 1, 9)))
    fields = json.loads(card_json)
    summary = scheduling.card_summary(card_json)
    assert summary.stability == fields["stability"]
    assert summary.last_review == utc(2024, 1, 1, 9)
