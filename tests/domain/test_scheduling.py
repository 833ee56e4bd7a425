import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.domain import scheduling
from quizapp.domain.scheduling import (
    CardSummary,
    Rating,
    becomes_leech,
    card_summary,
    counts_for_true_retention,
    format_interval,
    is_mastered,
    lapses_added,
    preview_intervals,
    rating_for_quiz_answer,
    recalled,
    reschedule,
    retrievability,
    retrievability_at,
    review,
    scheduler_for,
)

LIMA = ZoneInfo("America/Lima")  # UTC-5, no daylight saving time
T0 = datetime(2024, 3, 1, 15, 0, tzinfo=UTC)  # 10:00 in Lima


def graduated_card(now=T0):
    """A new card rated Easy, which sends it straight to the Review state, due in 8 days."""
    return review(None, Rating.Easy, now, LIMA)


# --- quiz ratings ----------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "seconds", "rating"),
    [
        (False, 5, Rating.Again),
        (False, 120, Rating.Again),
        (True, 5, Rating.Good),
        (True, 30, Rating.Good),
        (True, 31, Rating.Hard),
    ],
)
def test_rating_for_quiz_answer(correct, seconds, rating):
    assert rating_for_quiz_answer(correct, timedelta(seconds=seconds)) == rating


def test_rating_for_quiz_answer_slow_threshold_is_adjustable():
    assert rating_for_quiz_answer(True, timedelta(seconds=20), timedelta(seconds=10)) == Rating.Hard


# --- reviewing -------------------------------------------------------------


def test_first_review_of_a_new_card():
    outcome = review(None, Rating.Good, T0, LIMA, duration=timedelta(seconds=4.5))

    assert outcome.state == "learning"
    assert outcome.due == T0 + timedelta(minutes=10)
    assert outcome.stability == 2.3065
    assert outcome.difficulty == pytest.approx(2.118103970459016)
    assert outcome.last_review == T0
    assert outcome.state_before_json is None
    assert outcome.counted is True
    assert json.loads(outcome.log_json) == {
        "card_id": 1709305200000,  # T0 in epoch milliseconds
        "rating": 3,
        "review_datetime": "2024-03-01T15:00:00+00:00",
        "review_duration": 4500,
    }
    assert json.loads(outcome.card_json)["due"] == "2024-03-01T15:10:00+00:00"


def test_good_grows_the_interval_across_successive_days():
    outcome = review(None, Rating.Good, T0, LIMA)
    outcome = review(outcome.card_json, Rating.Good, outcome.due, LIMA)  # last learning step
    assert outcome.state == "review"
    intervals = [outcome.due - outcome.last_review]
    for _ in range(4):
        before = outcome.due
        outcome = review(outcome.card_json, Rating.Good, before, LIMA)
        assert outcome.counted is True
        intervals.append(outcome.due - before)

    assert intervals == [timedelta(days=days) for days in (2, 11, 46, 163, 498)]


def test_again_sends_a_review_card_to_relearning():
    learned = graduated_card()
    lapse_at = learned.due
    outcome = review(learned.card_json, Rating.Again, lapse_at, LIMA)

    assert outcome.state == "relearning"
    assert outcome.due == lapse_at + timedelta(minutes=10)
    assert outcome.stability < learned.stability
    assert outcome.counted is True


def test_review_is_deterministic():
    first = review(graduated_card().card_json, Rating.Good, T0 + timedelta(days=8), LIMA)
    second = review(graduated_card().card_json, Rating.Good, T0 + timedelta(days=8), LIMA)
    assert first == second


def test_an_aware_non_utc_now_is_converted_to_utc():
    in_lima = T0.astimezone(LIMA)
    assert review(None, Rating.Good, in_lima, LIMA) == review(None, Rating.Good, T0, LIMA)


@pytest.mark.parametrize(
    "call",
    [
        lambda now: review(None, Rating.Good, now, LIMA),
        lambda now: preview_intervals(None, now),
        lambda now: retrievability(graduated_card().card_json, now),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call(datetime(2024, 3, 1, 15, 0))


# --- same-day rule ---------------------------------------------------------


def test_a_second_good_on_the_same_local_day_is_logged_but_not_counted():
    learned = graduated_card()
    later = T0 + timedelta(hours=3)  # 13:00 in Lima, same day
    outcome = review(learned.card_json, Rating.Good, later, LIMA)

    assert outcome.counted is False
    assert outcome.card_json == learned.card_json
    assert outcome.state_before_json == learned.card_json
    assert outcome.due == learned.due == T0 + timedelta(days=8)
    assert outcome.state == "review"
    assert (outcome.stability, outcome.difficulty) == (learned.stability, learned.difficulty)
    assert outcome.last_review == T0
    assert json.loads(outcome.log_json) == {
        "card_id": 1709305200000,
        "rating": 3,
        "review_datetime": "2024-03-01T18:00:00+00:00",
        "review_duration": None,
    }


@pytest.mark.parametrize("rating", [Rating.Hard, Rating.Good, Rating.Easy])
def test_no_recall_rating_counts_twice_a_day(rating):
    learned = graduated_card()
    assert review(learned.card_json, rating, T0 + timedelta(hours=1), LIMA).counted is False


def test_again_counts_even_on_the_same_day():
    learned = graduated_card()
    outcome = review(learned.card_json, Rating.Again, T0 + timedelta(hours=1), LIMA)
    assert outcome.counted is True
    assert outcome.state == "relearning"
    assert outcome.due == T0 + timedelta(hours=1, minutes=10)


def test_learning_steps_advance_on_the_same_day():
    outcome = review(None, Rating.Good, T0, LIMA)
    outcome = review(outcome.card_json, Rating.Good, T0 + timedelta(minutes=10), LIMA)
    assert outcome.counted is True
    assert outcome.state == "review"
    assert outcome.due == T0 + timedelta(days=2, minutes=10)


def test_same_day_is_the_students_local_day():
    # 04:00 and 05:30 UTC are the same UTC day, but 23:00 and 00:30 in Lima.
    evening = datetime(2024, 3, 2, 4, 0, tzinfo=UTC)
    after_midnight = datetime(2024, 3, 2, 5, 30, tzinfo=UTC)
    learned = graduated_card(evening).card_json
    assert review(learned, Rating.Good, after_midnight, LIMA).counted is True
    assert review(learned, Rating.Good, after_midnight, ZoneInfo("UTC")).counted is False

    # 23:00 and 01:00 UTC are different UTC days, but 18:00 and 20:00 in Lima.
    afternoon = datetime(2024, 3, 2, 23, 0, tzinfo=UTC)
    night = datetime(2024, 3, 3, 1, 0, tzinfo=UTC)
    learned = graduated_card(afternoon).card_json
    assert review(learned, Rating.Good, night, LIMA).counted is False
    assert review(learned, Rating.Good, night, ZoneInfo("UTC")).counted is True


# --- previews and labels ---------------------------------------------------


def test_a_new_cards_preview_gives_four_increasing_intervals():
    intervals = preview_intervals(None, T0)
    assert intervals == {
        Rating.Again: timedelta(minutes=1),
        Rating.Hard: timedelta(minutes=5, seconds=30),
        Rating.Good: timedelta(minutes=10),
        Rating.Easy: timedelta(days=8),
    }
    values = [intervals[rating] for rating in Rating]
    assert values == sorted(set(values))
    assert [format_interval(value) for value in values] == ["1 min", "6 min", "10 min", "8 d"]


def test_preview_matches_what_review_does():
    learned = graduated_card().card_json
    now = T0 + timedelta(days=8)
    intervals = preview_intervals(learned, now)
    for rating in Rating:
        assert review(learned, rating, now, LIMA).due - now == intervals[rating]


def test_preview_applies_the_same_day_rule_when_given_the_time_zone():
    learned = graduated_card()
    later = T0 + timedelta(hours=2)
    intervals = preview_intervals(learned.card_json, later, timezone=LIMA)
    assert intervals[Rating.Again] == timedelta(minutes=10)
    for rating in (Rating.Hard, Rating.Good, Rating.Easy):
        assert intervals[rating] == learned.due - later == timedelta(days=7, hours=22)


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(0), "<1 min"),
        (timedelta(seconds=29), "<1 min"),
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(minutes=59, seconds=40), "1 h"),
        (timedelta(hours=5), "5 h"),
        (timedelta(days=1), "1 d"),
        (timedelta(days=3), "3 d"),
        (timedelta(days=29), "29 d"),
        (timedelta(days=61), "2 mo"),
        (timedelta(days=364), "12 mo"),
        (timedelta(days=365), "1 y"),
        (timedelta(days=438), "1.2 y"),
        (timedelta(days=730), "2 y"),
    ],
)
def test_format_interval(interval, label):
    assert format_interval(interval) == label


def test_format_interval_refuses_negative_intervals():
    with pytest.raises(ValueError):
        format_interval(timedelta(minutes=-1))


# --- retrievability --------------------------------------------------------


def test_retrievability():
    learned = graduated_card()
    assert retrievability(learned.card_json, T0) == 1.0
    assert retrievability(learned.card_json, learned.due) == pytest.approx(0.9, abs=0.005)
    assert retrievability(learned.card_json, T0 + timedelta(days=30)) < 0.9


# --- rescheduling ----------------------------------------------------------


def review_history():
    """Six reviews over several days, one of them a same-day repeat."""
    outcomes = [review(None, Rating.Good, T0, LIMA)]
    moments_and_ratings = [
        (T0 + timedelta(minutes=10), Rating.Good),
        (T0 + timedelta(hours=4), Rating.Easy),  # same day, in Review: not counted
        (T0 + timedelta(days=2, minutes=10), Rating.Good),
        (T0 + timedelta(days=13), Rating.Again),
        (T0 + timedelta(days=13, minutes=10), Rating.Good),
    ]
    for moment, rating in moments_and_ratings:
        outcomes.append(review(outcomes[-1].card_json, rating, moment, LIMA))
    return outcomes


def test_reschedule_from_counted_logs_reproduces_the_card():
    outcomes = review_history()
    assert [outcome.counted for outcome in outcomes] == [True, True, False, True, True, True]
    counted_logs = [outcome.log_json for outcome in outcomes if outcome.counted]
    final = outcomes[-1].card_json

    assert reschedule(None, counted_logs) == final
    assert reschedule(final, list(reversed(counted_logs))) == final
    assert card_summary(final) == CardSummary(
        due=outcomes[-1].due,
        state="review",
        stability=outcomes[-1].stability,
        difficulty=outcomes[-1].difficulty,
        last_review=T0 + timedelta(days=13, minutes=10),
    )


def test_reschedule_with_uncounted_logs_would_differ():
    outcomes = review_history()
    all_logs = [outcome.log_json for outcome in outcomes]
    assert reschedule(None, all_logs) != outcomes[-1].card_json


def test_reschedule_refuses_logs_of_another_card():
    other = review(None, Rating.Good, T0 + timedelta(seconds=1), LIMA)
    with pytest.raises(ValueError, match="card_id"):
        reschedule(graduated_card().card_json, [other.log_json])


def test_reschedule_needs_a_card_or_a_log():
    with pytest.raises(ValueError, match="nothing to reschedule"):
        reschedule(None, [])


# --- what a review stores besides the card ----------------------------------------------------


def test_a_card_is_stable_for_its_stability_in_days_after_the_review():
    outcome = graduated_card()  # stability 8.2956 days
    assert outcome.stable_until == datetime(2024, 3, 9, 22, 5, 39, 840000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rating", "state_before", "lapses"),
    [
        (Rating.Again, "review", 1),
        (Rating.Again, None, 1),
        (Rating.Again, "learning", 0),
        (Rating.Again, "relearning", 0),
        (Rating.Hard, "review", 0),
        (Rating.Good, None, 0),
        (Rating.Easy, "review", 0),
    ],
)
def test_only_forgetting_a_card_in_review_or_a_new_one_is_a_lapse(rating, state_before, lapses):
    assert lapses_added(rating, state_before) == lapses


# --- retrievability from the card's columns -------------------------------------


@pytest.mark.parametrize("days_later", [0, 1, 3, 10, 45, 400])
def test_retrievability_at_matches_fsrs_on_the_stored_card(days_later):
    first = review(None, Rating.Good, T0, LIMA)
    card_json = review(first.card_json, Rating.Good, T0 + timedelta(days=2), LIMA).card_json
    summary = card_summary(card_json)
    moment = summary.last_review + timedelta(days=days_later, hours=5)
    assert retrievability_at(summary.stability, summary.last_review, moment) == pytest.approx(
        retrievability(card_json, moment), abs=1e-12
    )


def test_retrievability_is_0_9_after_stability_days_and_1_at_first():
    assert retrievability_at(10.0, T0, T0) == 1.0
    assert retrievability_at(10.0, T0, T0 + timedelta(days=10)) == pytest.approx(0.9)
    # FSRS-6 by hand: R(t) = (1 + F t / S)^-w20 with F = 0.9^(-1/w20) - 1.
    w20 = scheduling.SCHEDULER.parameters[20]
    factor = 0.9 ** (-1 / w20) - 1
    assert retrievability_at(10.0, T0, T0 + timedelta(days=30)) == pytest.approx((1 + factor * 3) ** -w20)
    assert retrievability_at(None, None, T0) == 0.0


# --- mastery, true retention and leeches ------------------------------------------


def test_mastery_needs_three_weeks_of_stability_not_yet_slipped():
    assert is_mastered(21.0, T0, T0 + timedelta(days=21))
    assert not is_mastered(21.0, T0, T0 + timedelta(days=21, seconds=1))  # slipped under 90%
    assert not is_mastered(20.99, T0, T0)  # not stable long enough
    assert is_mastered(300.0, T0 - timedelta(days=100), T0)
    assert not is_mastered(None, None, T0)


def test_a_card_just_answered_is_not_mastered_however_it_was_answered():
    """Right after a review the recall chance is about 100%; mastery asks for lasting memory."""
    for rating in Rating:
        outcome = review(None, rating, T0, LIMA)
        assert not is_mastered(outcome.stability, outcome.last_review, T0), rating
    # Two learning steps and two spaced reviews, all Good, make it mastered; forgetting it undoes that.
    card, moment = None, T0
    for _ in range(4):
        outcome = review(card, Rating.Good, moment, LIMA)
        card, moment = outcome.card_json, outcome.due
    assert outcome.stability >= 21 and is_mastered(outcome.stability, outcome.last_review, outcome.last_review)
    forgotten = review(card, Rating.Again, moment, LIMA)
    assert not is_mastered(forgotten.stability, forgotten.last_review, moment)


def test_what_true_retention_counts():
    assert counts_for_true_retention("review", was_due=True)
    assert not counts_for_true_retention("review", was_due=False)  # reviewed early
    for state in ("new", "learning", "relearning"):
        assert not counts_for_true_retention(state, was_due=True)
    assert [recalled(rating) for rating in Rating] == [False, True, True, True]


def test_a_review_records_the_state_before_and_whether_the_card_was_due():
    new = review(None, Rating.Good, T0, LIMA)
    assert (new.prior_state, new.was_due) == ("new", True)
    learning = review(new.card_json, Rating.Good, T0 + timedelta(minutes=5), LIMA)  # due in 10 min
    assert (learning.prior_state, learning.was_due) == ("learning", False)
    graduated = graduated_card()
    on_time = review(graduated.card_json, Rating.Good, graduated.due, LIMA)
    assert (on_time.prior_state, on_time.was_due) == ("review", True)


def test_a_card_becomes_a_leech_at_8_lapses_then_every_4():
    assert [lapses for lapses in range(1, 25) if becomes_leech(lapses, lapsed_now=True)] == [8, 12, 16, 20, 24]
    assert not becomes_leech(8, lapsed_now=False)  # a lapse must have just happened


# --- desired retention -----------------------------------------------------------


def test_a_higher_desired_retention_brings_reviews_sooner():
    graduated = graduated_card()
    moment = graduated.due
    intervals = {
        retention: preview_intervals(graduated.card_json, moment, desired_retention=retention)[Rating.Good]
        for retention in (0.80, 0.90, 0.97)
    }
    assert intervals[0.97] < intervals[0.90] < intervals[0.80]
    assert intervals[0.90] == preview_intervals(graduated.card_json, moment)[Rating.Good]
    reviewed = review(graduated.card_json, Rating.Good, moment, LIMA, desired_retention=0.97)
    assert reviewed.due - moment == intervals[0.97]


@pytest.mark.parametrize("retention", [0.79, 0.98, 1.0])
def test_a_desired_retention_out_of_range_is_refused(retention):
    with pytest.raises(ValueError):
        scheduler_for(retention)
