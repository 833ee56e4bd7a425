"""The demo data generator: exact counts, valid FSRS histories, determinism, and pages that render."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp import demo
from quizapp.demo import DEMO_PASSWORD, DemoSpec, seed_demo
from quizapp.demo.cli import register_demo_cli
from quizapp.domain import scheduling
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Membership,
    Origin,
    Question,
    QuestionVersion,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    ReviewLog,
    Role,
    SchoolClass,
    Status,
    User,
)
from quizapp.services import DomainError
from tests.app.factories import count_rows, login

NOW = datetime.now(UTC).replace(microsecond=0)


def active_questions() -> int:
    return count_rows(Question, Question.status == Status.ACTIVE)


def test_counts_match_the_arguments(app: Flask) -> None:
    bank_size = active_questions()
    spec = DemoSpec(students=30, questions=bank_size + 40, reviews=1_201, class_size=10, seed=7)
    report = seed_demo(db.session, spec, NOW)
    db.session.commit()

    assert count_rows(User, User.role == Role.STUDENT) == report.students == 30
    assert count_rows(User, User.role == Role.TEACHER) == report.teachers == 1  # 3 classes, 4 a teacher
    assert count_rows(SchoolClass) == report.classes == 3
    assert count_rows(Membership) == report.memberships == 30
    assert db.session.scalars(select(func.count(Membership.id)).group_by(Membership.class_id)).all() == [10, 10, 10]
    assert active_questions() == bank_size + 40
    assert count_rows(Question, Question.origin == Origin.TEACHER) == report.questions_added == 40
    assert report.versions_added == 48  # one in five was edited once
    assert count_rows(Assignment) == report.assignments == 9
    assert count_rows(ReviewLog) == report.reviews == 1_201
    assert count_rows(ReviewCard) == report.cards
    assert count_rows(QuizAttempt) == report.attempts > 0
    assert count_rows(QuizItem) == report.items > 0
    per_student = Counter(db.session.scalars(select(ReviewLog.user_id)))
    assert sorted(per_student.values()) == [40] * 29 + [41]


def test_histories_are_what_the_scheduler_and_the_grader_would_have_stored(app: Flask) -> None:
    report = seed_demo(db.session, DemoSpec(students=12, questions=0, reviews=600, class_size=6, seed=3), NOW)
    db.session.commit()
    assert report.reviews == 600

    logs: dict[int, list[ReviewLog]] = defaultdict(list)
    for log in db.session.scalars(select(ReviewLog).order_by(ReviewLog.card_id, ReviewLog.card_version)):
        logs[log.card_id].append(log)
    cards = db.session.scalars(select(ReviewCard)).all()
    assert sum(len(card_logs) for card_logs in logs.values()) == 600
    for card in cards:
        history = logs[card.id]
        assert [log.card_version for log in history] == list(range(card.version))
        assert card.reviews == card.version == len(history)
        assert history[0].state_before is None
        assert all(earlier.state_after == later.state_before for earlier, later in pairwise(history))
        assert all(earlier.reviewed_at <= later.reviewed_at for earlier, later in pairwise(history))
        assert history[-1].reviewed_at <= NOW
        assert card.first_reviewed_at == history[0].reviewed_at
        assert history[-1].state_after == card.card_json
        summary = scheduling.card_summary(card.card_json)
        assert (card.due, card.state, card.stability, card.difficulty, card.last_review) == (
            summary.due,
            summary.state,
            summary.stability,
            summary.difficulty,
            summary.last_review,
        )
        assert card.stable_until == card.last_review + timedelta(days=card.stability)
        # Replaying the counted reviews with fsrs gives back the stored card.
        counted = [log.fsrs_log for log in history if log.counted]
        assert scheduling.reschedule(None, counted) == card.card_json

    attempts = db.session.scalars(select(QuizAttempt)).all()
    for attempt in attempts:
        items = db.session.scalars(
            select(QuizItem).where(QuizItem.attempt_id == attempt.id).order_by(QuizItem.position)
        ).all()
        answered = [item for item in items if item.answered_at is not None]
        assert len(items) == attempt.length
        assert items[: len(answered)] == answered  # answered in order
        assert attempt.answered_count == len(answered)
        assert attempt.correct_count == sum(1 for item in answered if item.correct)
        assert (attempt.finished_at is not None) == (len(answered) == len(items))
        for item in answered:
            assert item.response is not None and item.feedback
        if attempt.assignment_id is not None:
            assignment = db.session.get(Assignment, attempt.assignment_id)
            assert attempt.seed == assignment.seed


def test_every_assignment_attempt_has_the_same_questions_in_the_same_order(app: Flask) -> None:
    seed_demo(db.session, DemoSpec(students=20, questions=0, reviews=2_000, class_size=20), NOW)
    db.session.commit()
    orders: dict[int, set[tuple[tuple[str, tuple[str, ...]], ...]]] = defaultdict(set)
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.assignment_id.is_not(None))):
        items = db.session.scalars(
            select(QuizItem).where(QuizItem.attempt_id == attempt.id).order_by(QuizItem.position)
        )
        orders[attempt.assignment_id].add(tuple((item.question_id, tuple(item.options)) for item in items))
    assert orders
    assert all(len(variants) == 1 for variants in orders.values())


def test_students_beyond_the_personas_copy_a_persona_into_a_class_with_the_same_assignments(app: Flask) -> None:
    # Classes of 2, personas in whole groups of 8 classes: 16 simulated, 40 copies.
    spec = DemoSpec(students=56, questions=0, reviews=56 * 10 + 5, class_size=2, personas=10, seed=4)
    assert spec.persona_count == 16
    report = seed_demo(db.session, spec, NOW)
    db.session.commit()
    assert count_rows(ReviewLog) == report.reviews == 565

    def history(index: int) -> list[tuple[object, ...]]:
        user_id = db.session.scalar(select(User.id).where(User.username == demo.student_username(index)))
        return db.session.execute(
            select(ReviewLog.question_id, ReviewLog.card_version, ReviewLog.reviewed_at, ReviewLog.state_after)
            .where(ReviewLog.user_id == user_id)
            .order_by(ReviewLog.reviewed_at, ReviewLog.question_id)
        ).all()

    def assignment_items(index: int) -> list[tuple[str, str]]:
        user_id = db.session.scalar(select(User.id).where(User.username == demo.student_username(index)))
        class_id = db.session.scalar(select(Membership.class_id).where(Membership.student_id == user_id))
        rows = db.session.execute(
            select(Assignment.title, QuizItem.question_id, Assignment.class_id)
            .join(QuizAttempt, QuizAttempt.assignment_id == Assignment.id)
            .join(QuizItem, QuizItem.attempt_id == QuizAttempt.id)
            .where(QuizAttempt.user_id == user_id)
            .order_by(Assignment.due_at, QuizItem.position)
        ).all()
        assert all(row_class == class_id for _, _, row_class in rows)
        return [(title, question_id) for title, question_id, _ in rows]

    assert len(history(20)) == 10 and len(history(4)) == 11  # the first five students get one more
    assert [len(history(copy)) for copy in (16, 37, 55)] == [10, 10, 10]
    for copy in (16, 37, 55):
        persona = copy % 16
        if spec.budget_of(copy) == spec.budget_of(persona):
            assert history(copy) == history(persona)
        assert assignment_items(copy) == assignment_items(persona)
    assert history(16) != history(17)


def _content() -> list[tuple[object, ...]]:
    """The seeded rows without ids, hashes or session tokens, for comparing two runs."""
    username = {user_id: name for user_id, name in db.session.execute(select(User.id, User.username))}
    rows: list[tuple[object, ...]] = [
        (name, role, tz, created)
        for name, role, tz, created in db.session.execute(
            select(User.username, User.role, User.timezone, User.created_at).order_by(User.username)
        )
    ]
    rows += db.session.execute(select(SchoolClass.name, SchoolClass.join_code).order_by(SchoolClass.join_code)).all()
    rows += db.session.execute(
        select(Question.id, Question.version, QuestionVersion.prompt)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .where(Question.origin == Origin.TEACHER)
        .order_by(Question.id, QuestionVersion.number)
    ).all()
    rows += sorted(
        (username[user_id], question_id, version, rating, when, after)
        for user_id, question_id, version, rating, when, after in db.session.execute(
            select(
                ReviewLog.user_id,
                ReviewLog.question_id,
                ReviewLog.card_version,
                ReviewLog.rating,
                ReviewLog.reviewed_at,
                ReviewLog.state_after,
            )
        )
    )
    rows += sorted(
        (username[user_id], seed, started, finished, correct)
        for user_id, seed, started, finished, correct in db.session.execute(
            select(
                QuizAttempt.user_id,
                QuizAttempt.seed,
                QuizAttempt.started_at,
                QuizAttempt.finished_at,
                QuizAttempt.correct_count,
            )
        )
    )
    return rows


def test_the_same_seed_gives_the_same_data_in_one_process_or_several(app: Flask) -> None:
    spec = DemoSpec(students=24, questions=active_questions() + 5, reviews=960, class_size=8, seed=11)
    seed_demo(db.session, spec, NOW, workers=2)
    in_two_processes = _content()
    db.session.rollback()
    assert count_rows(ReviewLog) == 0

    seed_demo(db.session, spec, NOW, workers=1)
    assert _content() == in_two_processes
    db.session.rollback()

    seed_demo(db.session, DemoSpec(**{**spec.__dict__, "seed": 12}), NOW)
    assert _content() != in_two_processes


def test_refuses_to_seed_twice_and_reviews_without_students(app: Flask) -> None:
    seed_demo(db.session, DemoSpec(students=3, questions=0, reviews=30), NOW)
    db.session.commit()
    with pytest.raises(DomainError, match="already exists"):
        seed_demo(db.session, DemoSpec(students=3, questions=0, reviews=30), NOW)
    with pytest.raises(DomainError, match="students"):
        seed_demo(db.session, DemoSpec(students=0, questions=0, reviews=30), NOW)
    with pytest.raises(DomainError):
        DemoSpec(students=-1, questions=0, reviews=0)


def test_the_command_builds_the_bank_when_empty_and_seeds(empty_app: Flask) -> None:
    register_demo_cli(empty_app)
    result = empty_app.test_cli_runner().invoke(
        args=["demo", "seed", "--students", "5", "--reviews", "100", "--questions", "0", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "Built the question bank" in result.output
    assert "5 students in 1 classes" in result.output
    assert DEMO_PASSWORD in result.output
    assert count_rows(ReviewLog) == 100
    assert active_questions() > 0

    again = empty_app.test_cli_runner().invoke(args=["demo", "seed", "--students", "5", "--workers", "1"])
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_pages_render_for_a_seeded_student_and_teacher(app: Flask) -> None:
    seed_demo(db.session, DemoSpec(students=25, questions=0, reviews=2_500, seed=5), NOW)
    db.session.commit()
    student = db.session.scalar(select(User).where(User.username == demo.student_username(0)))
    finished = db.session.scalar(
        select(QuizAttempt.id).where(QuizAttempt.finished_at.is_not(None)).order_by(QuizAttempt.id).limit(1)
    )
    assert finished is not None

    client = app.test_client()
    login(client, student.username, DEMO_PASSWORD)
    for path in ("/dashboard", "/study", "/study?flip=1", "/study/weakest", "/quiz/", "/classes"):
        response = client.get(path)
        assert response.status_code == 200, path
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Streak" in dashboard or "streak" in dashboard

    owner = db.session.scalar(
        select(User.username).join(QuizAttempt, QuizAttempt.user_id == User.id).where(QuizAttempt.id == finished)
    )
    other = app.test_client()
    login(other, owner, DEMO_PASSWORD)
    assert other.get(f"/quiz/{finished}/results").status_code == 200
    assert other.get(f"/quiz/{finished}/1").status_code == 200

    teacher = app.test_client()
    login(teacher, demo.teacher_username(0), DEMO_PASSWORD)
    if "teach.class_overview" not in app.view_functions:
        pytest.skip("the teach blueprint is not registered in create_app yet")
    school_class = db.session.scalar(select(SchoolClass.id).order_by(SchoolClass.id).limit(1))
    assignment = db.session.scalar(select(Assignment.id).where(Assignment.class_id == school_class).limit(1))
    for path in (
        "/teach/classes",
        f"/teach/classes/{school_class}",
        f"/teach/classes/{school_class}/items",
        f"/teach/classes/{school_class}/assignments/{assignment}",
        f"/teach/classes/{school_class}/students/{student.id}",
        "/teach/questions",
    ):
        response = teacher.get(path)
        assert response.status_code == 200, path
    overview = teacher.get(f"/teach/classes/{school_class}").get_data(as_text=True)
    assert demo.student_username(0) in overview
