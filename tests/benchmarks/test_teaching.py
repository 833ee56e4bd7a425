"""The teaching benchmark's own logic: SM-2 and fixed intervals as specified, the swap, and the true memory.

The alternative schedulers and the simulated memory are code the benchmark's
conclusions rest on, so they are checked on hand-worked values: SM-2 against
Wozniak's description, the FSRS-like memory against py-fsrs itself.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Scheduler, State
from sqlalchemy import select

from benchmarks.teaching.memory import FSRS6_DEFAULTS, FsrsLike, Memory, SimulatedStudent
from benchmarks.teaching.schedulers import FIXED, SM2, scheduled_by, sm2_ease, sm2_repetition
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import ReviewCard
from quizapp.services import study
from tests.app.factories import make_user

T0 = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
DAY = timedelta(days=1)
DRILL = timedelta(minutes=10)


# --- SM-2 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("quality", "ease"), [(0, 1.7), (1, 1.96), (2, 2.18), (3, 2.36), (4, 2.5), (5, 2.6)])
def test_sm2_ease_from_the_initial_2_5(quality, ease):
    # EF' = EF + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))
    assert sm2_ease(2.5, quality) == pytest.approx(ease)


def test_sm2_ease_never_falls_below_1_3():
    assert sm2_ease(1.4, 0) == 1.3


def test_sm2_intervals_on_a_hand_worked_item():
    state = (0, 0, 2.5)  # a new item: no repetitions, no interval, E-Factor 2.5
    steps = []
    for quality in (5, 5, 3, 4, 1, 4, 4):
        state = sm2_repetition(*state, quality)
        steps.append((state[0], state[1], round(state[2], 2)))

    assert steps == [
        (1, 1, 2.6),  # I(1) = 1
        (2, 6, 2.7),  # I(2) = 6
        (3, 17, 2.56),  # 6 × 2.7 = 16.2, rounded up; then EF 2.7 - 0.14
        (4, 44, 2.56),  # 17 × 2.56 = 43.52, rounded up
        (1, 1, 2.56),  # below 3: from I(1) again, the E-Factor kept
        (2, 6, 2.56),
        (3, 16, 2.56),  # 6 × 2.56 = 15.36, rounded up
    ]


def test_sm2_rounds_intervals_up_without_float_noise():
    assert sm2_repetition(3, 10, 2.2, 4)[1] == 22  # 10 × 2.2 is 22.000000000000004 in floats


def _reviews(scheduler, ratings, start=T0):
    """Review a new card with each rating in turn, each when it comes due; the outcomes."""
    outcomes, card_json, now = [], None, start
    for rating in ratings:
        outcome = scheduler.review(card_json, rating, now, UTC_ZONE)
        outcomes.append(outcome)
        card_json, now = outcome.card_json, outcome.due
    return outcomes


def test_sm2_drills_a_new_card_answered_again_then_waits_one_day():
    again, hard, good = _reviews(SM2, [Rating.Again, Rating.Hard, Rating.Good])

    assert (again.state, again.due - again.last_review) == ("learning", DRILL)
    assert (hard.state, hard.due - hard.last_review) == ("learning", DRILL)  # grade 3: repeated the same day
    assert (good.state, good.due - good.last_review) == ("review", DAY)


def test_sm2_through_review_gives_1_6_15_days_then_drills_a_hard_answer():
    outcomes = _reviews(SM2, [Rating.Good, Rating.Good, Rating.Good, Rating.Hard, Rating.Good])

    assert [outcome.due - outcome.last_review for outcome in outcomes] == [DAY, 6 * DAY, 15 * DAY, DRILL, 38 * DAY]
    hard = outcomes[3]
    assert (hard.state, hard.prior_state) == ("relearning", "review")
    assert json.loads(hard.card_json)["interval_days"] == 38  # 15 × 2.5 with the E-Factor before the Hard
    assert hard.difficulty == pytest.approx(2.36)  # the E-Factor after it


# --- fixed intervals ----------------------------------------------------------------------------


def test_fixed_intervals_grow_1_3_7_14_30_and_stay_at_30():
    outcomes = _reviews(FIXED, [Rating.Good] * 6)
    assert [outcome.due - outcome.last_review for outcome in outcomes] == [
        timedelta(days=days) for days in (1, 3, 7, 14, 30, 30)
    ]


def test_fixed_intervals_start_over_after_again():
    outcomes = _reviews(FIXED, [Rating.Good, Rating.Good, Rating.Again, Rating.Again, Rating.Hard, Rating.Good])
    assert [(outcome.state, outcome.due - outcome.last_review) for outcome in outcomes] == [
        ("review", DAY),
        ("review", 3 * DAY),
        ("relearning", DRILL),
        ("relearning", DRILL),
        ("review", DAY),  # Hard counts as recalled: the drill ends, the interval starts from 1 day
        ("review", 3 * DAY),
    ]


# --- the scheduling interface --------------------------------------------------------------------


def test_an_outcome_carries_what_the_services_store():
    first = SM2.review(None, Rating.Good, T0, UTC_ZONE, timedelta(seconds=4.5))
    late = T0 + 3 * DAY
    second = SM2.review(first.card_json, Rating.Good, late, UTC_ZONE)

    assert (first.prior_state, first.was_due, first.counted, first.state_before_json) == ("new", True, True, None)
    assert (first.stability, first.difficulty, first.last_review) == (1.0, 2.5, T0)
    assert json.loads(first.log_json) == {
        "scheduler": "SM-2",
        "rating": 3,
        "review_datetime": "2026-01-05T17:00:00+00:00",
        "review_duration": 4500,
    }
    assert (second.prior_state, second.was_due, second.state_before_json) == ("review", True, first.card_json)
    assert second.due == late + 6 * DAY
    early = SM2.review(first.card_json, Rating.Good, T0 + timedelta(hours=1), UTC_ZONE)
    assert early.was_due is False


@pytest.mark.parametrize("scheduler", [SM2, FIXED])
def test_the_preview_shows_what_each_rating_would_do(scheduler):
    learned = _reviews(scheduler, [Rating.Good, Rating.Good])[-1]
    now = learned.due + DAY
    preview = scheduler.preview_intervals(learned.card_json, now, timezone=UTC_ZONE)
    assert preview == {
        rating: scheduler.review(learned.card_json, rating, now, UTC_ZONE).due - now for rating in Rating
    }


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        SM2.review(None, Rating.Good, datetime(2026, 1, 5, 17, 0), UTC_ZONE)


def test_the_services_schedule_with_the_swapped_scheduler_only_inside_the_block(app):
    student = make_user()
    with scheduled_by(SM2):
        remaining = study.remaining_counts(db.session, student, T0)
        card = study.next_card(db.session, student, T0, remaining)
        assert card.intervals == {Rating.Again: DRILL, Rating.Hard: DRILL, Rating.Good: DAY, Rating.Easy: DAY}
        study.grade(db.session, student, card.question.id, Rating.Good, 0, T0)
        db.session.commit()
    stored = db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == card.question.id))
    assert (stored.state, stored.due) == ("review", T0 + DAY)

    remaining = study.remaining_counts(db.session, student, T0)
    card = study.next_card(db.session, student, T0, remaining)
    study.grade(db.session, student, card.question.id, Rating.Good, 0, T0)
    db.session.commit()
    stored = db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == card.question.id))
    assert (stored.state, stored.due) == ("learning", T0 + DRILL)  # FSRS's 10-minute learning step


# --- the true memory ------------------------------------------------------------------------------


def test_the_truth_is_centred_on_the_apps_fsrs_defaults():
    assert tuple(Scheduler().parameters) == FSRS6_DEFAULTS


@pytest.mark.parametrize(
    ("rating", "elapsed"),
    [(rating, elapsed) for rating in (Rating.Good, Rating.Again) for elapsed in (10 * DAY, timedelta(hours=6))],
)
def test_the_fsrs_like_memory_with_default_parameters_moves_as_py_fsrs(rating, elapsed):
    stability, difficulty = 10.0, 5.0
    fsrs_card = Card(state=State.Review, stability=stability, difficulty=difficulty, last_review=T0, due=T0 + 10 * DAY)
    expected, _ = Scheduler(enable_fuzzing=False).review_card(fsrs_card, rating, T0 + elapsed)

    truth = FsrsLike(FSRS6_DEFAULTS)
    memory = Memory(hardness=0.0, stability=stability, difficulty=difficulty, seen_at=T0)
    days = elapsed / DAY
    truth.exposure(memory, rating != Rating.Again, truth.recall_probability(memory, days), days)

    assert (memory.stability, memory.difficulty) == (
        pytest.approx(expected.stability),
        pytest.approx(expected.difficulty),
    )


@pytest.mark.parametrize("model", ["fsrs-like", "exponential"])
def test_recall_is_0_9_after_stability_days(model):
    student = SimulatedStudent(seed=1, index=0, model_name=model)
    memory = Memory(hardness=0.0, stability=7.0, seen_at=T0)
    assert student.model.recall_probability(memory, 7.0) == pytest.approx(0.9)
    assert student.model.recall_probability(memory, 14.0) < 0.9


def test_a_student_draws_the_same_answers_whatever_the_schedule():
    first, second = SimulatedStudent(seed=3, index=2), SimulatedStudent(seed=3, index=2)
    answers = [first.answer("q-1", T0), first.answer("q-1", T0 + DAY)]
    assert [second.answer("q-1", T0), second.answer("q-1", T0 + DAY)] == answers
    assert SimulatedStudent(seed=3, index=3).model != first.model  # students differ
