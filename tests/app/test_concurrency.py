"""Simultaneous submissions over real HTTP never apply twice and never lose a write.

A threaded werkzeug server serves the test's app (a SQLite file in WAL mode,
or PostgreSQL with QUIZAPP_TEST_POSTGRES_URL); a pool of threads released by
a barrier sends the same or different submissions at the same moment. The
test client is not concurrent, so this goes through sockets with http.client.
"""

from __future__ import annotations

import io
import itertools
import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, current_app
from sqlalchemy import select

from quizapp.domain.formats import FORMATS
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import (
    BankImport,
    Membership,
    Question,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    ReviewLog,
    ReviewSource,
    Role,
    Status,
    User,
)
from quizapp.services import classes, quizzes, reviews, study
from quizapp.study import card_tickets
from tests.app.factories import login, make_user
from tests.app.http_visitor import Visitor

SIMULTANEOUS = 50
ALL_DONE_TIMEOUT = 60  # seconds, for a whole burst


def all_at_once(send: Callable[[int], int], count: int = SIMULTANEOUS) -> Counter[int]:
    """Run ``send(0..count-1)`` in ``count`` threads released together; the status codes counted."""
    start = threading.Barrier(count, timeout=ALL_DONE_TIMEOUT)

    def one(number: int) -> int:
        start.wait()
        return send(number)

    with ThreadPoolExecutor(max_workers=count) as pool:
        statuses = Counter(pool.map(one, range(count), timeout=ALL_DONE_TIMEOUT))
    assert not [status for status in statuses if status >= 500], statuses
    return statuses


@pytest.fixture
def student(app: Flask, server: tuple[str, int]) -> tuple[User, Visitor]:
    user = make_user(username="simultaneo")
    visitor = Visitor(server)
    visitor.sign_in(user.username)
    return user, visitor


def utcnow() -> datetime:
    return datetime.now(UTC)


def active_question_ids(count: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Question.id).where(Question.status == Status.ACTIVE).order_by(Question.id).limit(count)
        )
    )


def cards_and_logs(user: User) -> tuple[list[ReviewCard], list[ReviewLog]]:
    db.session.expire_all()
    cards = list(db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user.id).order_by(ReviewCard.id)))
    logs = list(db.session.scalars(select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id)))
    db.session.commit()
    return cards, logs


def assert_consistent(card: ReviewCard, logs: list[ReviewLog]) -> None:
    """The card is exactly what its logs, applied in order, left behind."""
    mine = [log for log in logs if log.card_id == card.id]
    assert [log.card_version for log in mine] == list(range(card.version))
    assert card.reviews == len(mine)
    assert card.card_json == mine[-1].state_after
    assert all(later.state_before == earlier.state_after for earlier, later in itertools.pairwise(mine))


def grade_form(user: User, question_id: str, card_version: int, rating: Rating = Rating.Good) -> dict[str, object]:
    """A grade of a card as if the server had just shown it (its ticket is issued here)."""
    shown = card_tickets.ShownCard(question_id, card_version, None)
    ticket = card_tickets.issue(current_app.secret_key, user.id, shown, utcnow())
    return {"card": ticket, "rating": int(rating)}


def test_identical_grades_of_a_new_card_are_applied_once(student: tuple[User, Visitor]) -> None:
    user, visitor = student
    (question_id,) = active_question_ids(1)
    db.session.commit()

    form = grade_form(user, question_id, 0)
    statuses = all_at_once(lambda _: visitor.post("/study/grade", form))

    assert statuses == {302: SIMULTANEOUS}
    (card,), logs = cards_and_logs(user)
    assert (card.question_id, card.version, len(logs)) == (question_id, 1, 1)
    assert_consistent(card, logs)


def test_identical_grades_of_a_seen_card_move_it_on_by_exactly_one_version(
    student: tuple[User, Visitor],
) -> None:
    user, visitor = student
    (question_id,) = active_question_ids(1)
    for version in range(2):  # studied twice already, on earlier days
        study.grade(db.session, user, question_id, Rating.Good, version, utcnow() - timedelta(days=3 - version))
    db.session.commit()

    form = grade_form(user, question_id, 2, Rating.Hard)
    statuses = all_at_once(lambda _: visitor.post("/study/grade", form))

    assert statuses == {302: SIMULTANEOUS}
    (card,), logs = cards_and_logs(user)
    assert card.version == 3 and len(logs) == 3
    assert logs[-1].rating == Rating.Hard and logs[-1].card_version == 2
    assert_consistent(card, logs)


def test_identical_answers_to_a_quiz_question_are_recorded_once(student: tuple[User, Visitor]) -> None:
    user, visitor = student
    attempt_id = quizzes.start_quiz(db.session, user, ["events"], 5, utcnow(), seed=5).id
    db.session.commit()
    answer = {"position": 1, "response": "", "dont_know": "I don't know"}

    statuses = all_at_once(lambda _: visitor.post(f"/quiz/{attempt_id}/answer", answer))

    assert statuses == {302: SIMULTANEOUS}
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    first = attempt.items[0]
    assert first.answered_at is not None and first.correct is False
    assert [item.answered_at is not None for item in attempt.items] == [True, False, False, False, False]
    assert (attempt.answered_count, attempt.correct_count, attempt.finished_at) == (1, 0, None)
    (card,), logs = cards_and_logs(user)
    assert [(log.question_id, log.source) for log in logs] == [(first.question_id, ReviewSource.QUIZ)]
    assert card.version == 1
    assert_consistent(card, logs)


def test_grades_of_many_different_new_cards_are_all_kept(student: tuple[User, Visitor]) -> None:
    user, visitor = student
    question_ids = active_question_ids(SIMULTANEOUS)
    assert len(question_ids) == SIMULTANEOUS
    db.session.commit()

    forms = [grade_form(user, question_id, 0) for question_id in question_ids]
    statuses = all_at_once(lambda number: visitor.post("/study/grade", forms[number]))

    assert statuses == {302: SIMULTANEOUS}
    cards, logs = cards_and_logs(user)
    assert sorted(card.question_id for card in cards) == sorted(question_ids)
    assert len(logs) == SIMULTANEOUS and {log.card_id for log in logs} == {card.id for card in cards}
    for card in cards:
        assert_consistent(card, logs)


def test_answers_to_the_same_question_in_different_quizzes_all_reach_the_card(
    student: tuple[User, Visitor],
) -> None:
    """Each quiz answer is a review: none may be dropped because another one got there first."""
    user, visitor = student
    count = 20
    (question_id,) = active_question_ids(1)
    question = db.session.get(Question, question_id)
    attempts = []
    for seed in range(count):
        attempt = QuizAttempt(user_id=user.id, seed=seed, topics=["events"], length=1, started_at=utcnow())
        asked = question.current
        attempt.items.append(
            QuizItem(position=1, question_id=question_id, question_version_id=asked.id, options=list(asked.options))
        )
        attempts.append(attempt)
    db.session.add_all(attempts)
    db.session.commit()
    attempt_ids = [attempt.id for attempt in attempts]
    db.session.commit()
    answer = {"position": 1, "response": "", "dont_know": "I don't know"}

    statuses = all_at_once(lambda number: visitor.post(f"/quiz/{attempt_ids[number]}/answer", answer), count)

    assert statuses == {302: count}
    db.session.expire_all()
    answered = db.session.scalars(select(QuizAttempt.answered_count).where(QuizAttempt.id.in_(attempt_ids)))
    assert list(answered) == [1] * count
    (card,), logs = cards_and_logs(user)
    assert len(logs) == count and card.version == count and card.reviews == count
    assert_consistent(card, logs)


def test_a_quiz_answer_that_keeps_losing_the_race_is_refused_whole(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never half-saved: the answer is not recorded unless its review is, and the student is told."""
    user = make_user(username="sin_suerte")
    attempt_id = quizzes.start_quiz(db.session, user, ["events"], 5, utcnow(), seed=5).id
    db.session.commit()

    # Another request writes the card first, every time.
    monkeypatch.setattr(reviews, "_create_card", lambda *args: None)
    monkeypatch.setattr(reviews, "_update_card", lambda *args: False)
    client = app.test_client()
    login(client, user.username)
    response = client.post(f"/quiz/{attempt_id}/answer", data={"position": 1, "response": "", "dont_know": "x"})

    assert response.status_code == 422
    assert reviews.BUSY_CARD in response.get_data(as_text=True)
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.answered_count == 0 and attempt.items[0].answered_at is None
    assert cards_and_logs(user) == ([], [])


CLASS_SIZE = 40


def test_a_class_starting_the_same_assignment_at_once_gets_no_errors_and_the_same_quiz(
    app: Flask, server: tuple[str, int]
) -> None:
    teacher = make_user(Role.TEACHER, username="profe_simultanea")
    school_class = classes.create_class(db.session, teacher, "5th year, all at once")
    students = [make_user(username=f"alumno{number:02d}") for number in range(CLASS_SIZE)]
    for student in students:
        db.session.add(Membership(class_id=school_class.id, student_id=student.id))
    now = utcnow()
    assignment = classes.create_assignment(
        db.session,
        school_class,
        title="Everyone at once",
        topics=["events", "leaders"],
        length=10,
        due_day=now.date() + timedelta(days=1),
        tz=ZoneInfo("UTC"),
        now=now,
    )
    db.session.commit()
    assignment_id = assignment.id
    visitors = []
    for student in students:
        visitor = Visitor(server)
        visitor.sign_in(student.username)
        visitors.append(visitor)

    statuses = all_at_once(
        lambda number: visitors[number].post(f"/quiz/assignments/{assignment_id}/start", {}), CLASS_SIZE
    )

    assert statuses == {302: CLASS_SIZE}
    db.session.expire_all()
    attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.assignment_id == assignment_id)).all()
    assert sorted(attempt.user_id for attempt in attempts) == sorted(student.id for student in students)
    layouts = {tuple((item.question_version_id, tuple(item.options)) for item in attempt.items) for attempt in attempts}
    assert len(layouts) == 1 and len(next(iter(layouts))) == 10
    db.session.commit()


def test_an_import_confirmed_many_times_at_once_imports_once(app: Flask, server: tuple[str, int]) -> None:
    teacher = make_user(Role.TEACHER, username="profe_impaciente")
    drafts = [
        QuestionDraft(
            id=f"impatient-{number}",
            topic=BankTopic.EVENTS,
            type=QuestionType.SHORT_ANSWER,
            prompt=f"Which town does impatient question {number} name?",
            answer=f"Town {number}",
        )
        for number in range(20)
    ]
    client = app.test_client()
    login(client, teacher.username)
    dry_run = client.post(
        "/teach/questions/import",
        data={"file": (io.BytesIO(FORMATS["json"].emit(drafts).encode()), "bank.json"), "format": "json"},
    )
    assert dry_run.status_code == 200, dry_run.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', dry_run.get_data(as_text=True)).group(1)
    visitor = Visitor(server)
    visitor.sign_in(teacher.username)
    count = 10

    statuses = all_at_once(lambda _: visitor.post("/teach/questions/import/confirm", {"token": token}), count)

    assert statuses == {302: count}
    db.session.expire_all()
    imported = db.session.scalars(select(Question.id).where(Question.id.like("impatient-%"))).all()
    assert sorted(imported) == sorted(draft.id for draft in drafts)
    (record,) = db.session.scalars(select(BankImport)).all()
    assert (record.added, record.updated, record.teacher_id) == (20, 0, teacher.id)
    db.session.commit()
