"""Honest progress in the flashcards: limits, siblings, leeches, undo, mastery and the session's summary.

Fixed moments through the study routes' clock (see test_study), histories
written through the real services so that cards and logs are what the app
itself would store.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.domain.scheduling import LEECH_LAPSES, Rating
from quizapp.extensions import db
from quizapp.models import Membership, Question, ReviewCard, ReviewSource, Role, User
from quizapp.services import classes, progress, quizzes, study
from quizapp.services.reviews import record_review
from tests.app.factories import (
    card_of,
    log_count,
    login,
    login_as,
    make_user,
    new_card_order,
    one_per_fact,
    right_response,
    wrong_response,
)
from tests.app.pages import flip_next, grade, shown_question, study_shown_card, ticket_on
from tests.conftest import Clock

T0 = datetime(2024, 3, 1, 15, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock(clock: Clock) -> Clock:
    """The app's clock, at T0."""
    clock.now = T0
    return clock


def learned(user: User, question: Question, reviewed_at: datetime) -> None:
    """A card learned (Easy: straight to the Review state) at ``reviewed_at``, due 8+ days later."""
    record_review(db.session, user, question.id, Rating.Easy, reviewed_at, source=ReviewSource.FLASHCARD)


# --- new-card limit -------------------------------------------------------------------------


def test_questions_first_met_in_a_quiz_do_not_use_up_the_new_card_limit(client, clock):
    student = login_as(client, daily_new_limit=3)
    attempt = quizzes.start_quiz(db.session, student, ["events", "dates"], 10, T0, seed=4)
    for item in attempt.items:
        quizzes.answer(db.session, attempt.id, student, item.position, wrong_response(item), T0)
    db.session.commit()
    met_in_quiz = {item.question_id for item in attempt.items}

    clock.now = T0 + timedelta(minutes=1)  # the quiz's mistakes are due again, a learning step later
    remaining = study.remaining_counts(db.session, student, clock.now)
    assert remaining.new == 3 and remaining.due == 10
    shown = [study_shown_card(client, Rating.Good) for _ in range(3 + remaining.due)]
    new_ones = [question_id for question_id in shown if question_id not in met_in_quiz]
    assert len(new_ones) == 3  # three new flashcards, on top of the quiz's ten
    db.session.expire_all()
    first_sources = dict(
        db.session.execute(
            select(ReviewCard.question_id, ReviewCard.first_source).where(ReviewCard.user_id == student.id)
        ).all()
    )
    assert {first_sources[question_id] for question_id in met_in_quiz} == {ReviewSource.QUIZ}
    assert {first_sources[question_id] for question_id in new_ones} == {ReviewSource.FLASHCARD}


# --- review limit ---------------------------------------------------------------------------


def test_the_daily_review_limit_holds_back_learned_cards_but_never_learning_steps(client, clock):
    student = login_as(client, daily_review_limit=2, daily_new_limit=0)
    reviewable = one_per_fact(new_card_order())[:5]
    for question in reviewable:
        learned(student, question, T0 - 20 * DAY)
    db.session.commit()

    remaining = study.remaining_counts(db.session, student, T0)
    assert (remaining.due, remaining.held_back) == (2, 3)
    first = study_shown_card(client, Rating.Again)  # forgotten: back in a learning step
    study_shown_card(client, Rating.Good)
    remaining = study.remaining_counts(db.session, student, T0)
    assert (remaining.due, remaining.held_back, remaining.reviews_allowed) == (0, 3, False)
    page = client.get("/study").get_data(as_text=True)
    assert shown_question(page) is None
    assert "reached today's limit of 2 reviews" in page and "3 more wait for tomorrow" in page

    # Ten minutes later the forgotten card's relearning step is due: the limit does not hold it back.
    clock.now = T0 + timedelta(minutes=11)
    assert study_shown_card(client, Rating.Good) == first
    # The next day, the limit starts again.
    clock.now = T0 + DAY
    assert study.remaining_counts(db.session, student, clock.now).due == 2


# --- siblings -------------------------------------------------------------------------------


def facts_with_siblings() -> list[list[Question]]:
    by_fact: dict[str, list[Question]] = {}
    for question in new_card_order():
        by_fact.setdefault(question.source, []).append(question)
    return [questions for questions in by_fact.values() if len(questions) > 1]


def test_cards_of_one_fact_are_never_shown_the_same_day(client, clock):
    student = login_as(client, daily_new_limit=40)
    studied: list[str] = []
    for _ in range(40):
        question_id = study_shown_card(client, Rating.Easy)
        studied.append(question_id)
    facts = [db.session.get(Question, question_id).source for question_id in studied]
    assert len(set(facts)) == len(facts), "two cards of one fact on the same day"
    # The next day the siblings of those cards come in turn, the first one's first.
    siblings = [question.id for question in new_card_order() if question.source in facts and question.id not in studied]
    assert siblings
    clock.now = T0 + DAY
    assert study.remaining_counts(db.session, student, clock.now).new == 40
    assert study_shown_card(client, Rating.Easy) == siblings[0]


def test_a_due_card_waits_when_its_sibling_was_answered_in_a_quiz_today(client, clock):
    student = login_as(client)
    first, second = facts_with_siblings()[0][:2]
    learned(student, first, T0 - 20 * DAY)
    learned(student, second, T0 - 20 * DAY)
    db.session.commit()
    assert study.remaining_counts(db.session, student, T0).due == 2
    record_review(db.session, student, second.id, Rating.Good, T0 - timedelta(hours=1), source=ReviewSource.QUIZ)
    db.session.commit()
    remaining = study.remaining_counts(db.session, student, T0)
    assert remaining.due == 0
    assert shown_question(client.get("/study").get_data(as_text=True)) != first.id
    clock.now = T0 + DAY
    assert study.remaining_counts(db.session, student, clock.now).due >= 1


def test_a_quiz_never_asks_two_questions_of_one_fact_back_to_back(app):
    student = make_user()
    for seed in range(30):
        attempt = quizzes.start_quiz(db.session, student, ["events"], 50, T0, seed=seed)
        facts = [item.question.source for item in attempt.items]
        assert all(a != b for a, b in itertools.pairwise(facts)), seed
    db.session.rollback()


# --- leeches --------------------------------------------------------------------------------


def forget_again_and_again(student: User, question: Question, times: int) -> None:
    moment = T0 - 60 * DAY
    learned(student, question, moment)
    for _ in range(times):
        moment += 3 * DAY
        record_review(db.session, student, question.id, Rating.Again, moment, source=ReviewSource.FLASHCARD)
        moment += timedelta(minutes=20)
        record_review(db.session, student, question.id, Rating.Good, moment, source=ReviewSource.FLASHCARD)
    db.session.commit()


def test_a_card_forgotten_8_times_is_set_aside_listed_and_brought_back(client, clock):
    student = login_as(client, daily_new_limit=0)
    question = new_card_order()[0]
    forget_again_and_again(student, question, LEECH_LAPSES - 1)
    assert card_of(student, question.id).suspended_at is None
    eighth_lapse_at = T0 - DAY  # in a quiz: quiz answers count too
    record_review(db.session, student, question.id, Rating.Again, eighth_lapse_at, source=ReviewSource.QUIZ)
    db.session.commit()
    card = card_of(student, question.id)
    assert (card.lapses, card.suspended_at) == (LEECH_LAPSES, eighth_lapse_at)

    # Set aside: never shown, not counted due, but listed with its explanation.
    assert study.remaining_counts(db.session, student, T0 + 30 * DAY).due == 0
    assert shown_question(client.get("/study").get_data(as_text=True)) is None
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "1 card is set aside" in dashboard
    page = client.get("/study/leeches").get_data(as_text=True)
    assert escape(question.current.prompt) in page and f"forgotten {LEECH_LAPSES} times" in page
    assert escape(question.current.explanation) in page

    # Brought back, it is studied again, with its schedule as it was.
    response = client.post(f"/study/leeches/{question.id}/bring-back")
    assert response.status_code == 302
    assert card_of(student, question.id).suspended_at is None
    assert shown_question(client.get("/study").get_data(as_text=True)) == question.id
    assert client.post(f"/study/leeches/{question.id}/bring-back").status_code == 404  # not set aside any more
    assert "No card is set aside" in client.get("/study/leeches").get_data(as_text=True)


def test_the_teacher_sees_the_leeches_of_the_class(client, clock):
    teacher = make_user(Role.TEACHER)
    school_class = classes.create_class(db.session, teacher, "5to C")
    student, outsider = make_user(username="olvidadiza"), make_user(username="ajena")
    db.session.add(Membership(class_id=school_class.id, student_id=student.id))
    question = new_card_order()[0]
    forget_again_and_again(student, question, LEECH_LAPSES)
    forget_again_and_again(outsider, new_card_order()[1], LEECH_LAPSES)
    login(client, teacher.username)
    page = client.get(f"/teach/classes/{school_class.id}").get_data(as_text=True)
    section = page[page.index('id="leeches-heading"') :]
    assert re.search(rf'data-student="{student.id}" data-question="{re.escape(question.id)}"', section)
    assert "ajena" not in section and f"{LEECH_LAPSES} times" in section


# --- undo -----------------------------------------------------------------------------------


def test_undo_restores_a_reviewed_card_and_removes_its_log(client, clock):
    student = login_as(client, daily_new_limit=0)
    question = new_card_order()[0]
    learned(student, question, T0 - 20 * DAY)
    db.session.commit()
    before = card_of(student, question.id)
    columns = ("card_json", "due", "state", "stability", "difficulty", "last_review", "stable_until")
    kept = {column: getattr(before, column) for column in (*columns, "reviews", "lapses", "version")}
    assert study_shown_card(client, Rating.Again) == question.id
    assert card_of(student, question.id).lapses == 1 and log_count(student) == 2

    response = client.post("/study/undo")
    assert response.status_code == 302
    after = card_of(student, question.id)
    assert {column: getattr(after, column) for column in kept} == kept
    assert log_count(student) == 1
    # The card's prompt is shown again, and can be graded again.
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your last grade was undone" in page and shown_question(page) == question.id
    assert study_shown_card(client, Rating.Good) == question.id
    assert log_count(student) == 2


def test_undo_of_a_new_cards_first_grade_makes_it_new_again(client, clock):
    student = login_as(client)
    question_id = study_shown_card(client, Rating.Good)
    client.post("/study/undo")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ReviewCard.id)).where(ReviewCard.user_id == student.id)) == 0
    assert log_count(student) == 0
    assert shown_question(client.get("/study").get_data(as_text=True)) == question_id


def test_undo_takes_back_the_leech_it_made(client, clock):
    student = login_as(client, daily_new_limit=0)
    question = new_card_order()[0]
    forget_again_and_again(student, question, LEECH_LAPSES - 1)
    clock.now = T0 + 60 * DAY
    assert study_shown_card(client, Rating.Again) == question.id
    assert card_of(student, question.id).suspended_at is not None
    client.post("/study/undo")
    card = card_of(student, question.id)
    assert (card.suspended_at, card.lapses) == (None, LEECH_LAPSES - 1)


def test_undo_is_refused_when_nothing_can_be_undone(client, clock):
    student = login_as(client)
    response = client.post("/study/undo")
    assert response.status_code == 302
    assert study.NOTHING_TO_UNDO in client.get(response.headers["Location"]).get_data(as_text=True)
    # A grade followed by a quiz answer on the same card: the grade can no longer be undone alone.
    question_id = study_shown_card(client, Rating.Good)
    record_review(db.session, student, question_id, Rating.Again, T0 + timedelta(minutes=1), source=ReviewSource.QUIZ)
    db.session.commit()
    client.post("/study/undo")
    assert log_count(student) == 2
    # Yesterday's grades are not undone today.
    clock.now = T0 + 2 * DAY
    page = client.get(client.post("/study/undo").headers["Location"]).get_data(as_text=True)
    assert study.NOTHING_TO_UNDO in page


# --- mastery as students and teachers read it ---------------------------------------------------


def test_answers_just_given_master_nothing_and_wrong_ones_never_do(client, clock):
    """One quiz per topic with about a third wrong: nothing is mastered yet, and the wrong ones are not."""
    student = login_as(client)
    wrong: set[str] = set()
    for topic in ("dates", "leaders", "recognitions", "people", "events"):
        attempt = quizzes.start_quiz(db.session, student, [topic], 14, T0, seed=1)
        for item in attempt.items:
            right = item.position % 3 != 0
            response = right_response(item) if right else wrong_response(item)
            quizzes.answer(db.session, attempt.id, student, item.position, response, T0 + timedelta(seconds=10))
            if not right:
                wrong.add(item.question_id)
    db.session.commit()
    board = progress.student_dashboard(db.session, student, T0 + timedelta(minutes=5))
    assert board.cards == 70 and board.mastered == 0
    # Weeks of spaced, successful reviews master the questions answered right, never the wrong ones.
    moment = T0
    cards = db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == student.id)).all()
    right_ids = [card.question_id for card in cards if card.question_id not in wrong]
    for _ in range(3):
        moment += 25 * DAY
        for question_id in right_ids:
            record_review(db.session, student, question_id, Rating.Good, moment, source=ReviewSource.FLASHCARD)
    db.session.commit()
    board = progress.student_dashboard(db.session, student, moment)
    assert board.mastered == len(right_ids)
    mastered_ids = set(
        db.session.scalars(
            select(ReviewCard.question_id).where(ReviewCard.user_id == student.id, progress.is_mastered_at(moment))
        )
    )
    assert mastered_ids == set(right_ids) and not mastered_ids & wrong


# --- desired retention --------------------------------------------------------------------------


def test_a_students_desired_retention_sets_their_intervals(client, clock):
    careful, relaxed = make_user(desired_retention=0.97), make_user(desired_retention=0.80)
    question = new_card_order()[0]
    for user in (careful, relaxed):
        learned(user, question, T0 - 10 * DAY)
        record_review(db.session, user, question.id, Rating.Good, T0, source=ReviewSource.FLASHCARD)
    db.session.commit()
    assert card_of(careful, question.id).due < card_of(relaxed, question.id).due


# --- the study screen ---------------------------------------------------------------------------


def test_the_session_shows_progress_and_ends_with_a_summary(client, clock):
    login_as(client, daily_new_limit=3)
    page = client.get("/study").get_data(as_text=True)
    assert "0 done today" in page and "3 left" in page
    assert 'class="button grade-' not in page  # the front has no grade buttons
    study_shown_card(client, Rating.Again)
    _, flipped = flip_next(client)
    assert "1 done today" in flipped
    for name in ("again", "hard", "good", "easy"):
        assert f'class="button grade-{name}"' in flipped
    assert 'aria-keyshortcuts="3 Space"' in flipped
    grade(client, ticket_on(flipped), Rating.Easy)
    # The card forgotten first comes back after its learning step; finish everything.
    clock.now = T0 + timedelta(minutes=15)
    while shown_question(client.get("/study").get_data(as_text=True)) is not None:
        study_shown_card(client, Rating.Good)
    done = re.sub(r"\s+", " ", client.get("/study").get_data(as_text=True))
    assert "All done for now" in done
    assert re.search(r"<strong>\d+</strong> cards studied", done)
    assert "Again: <strong>1</strong>" in done and "Easy: <strong>1</strong>" in done
