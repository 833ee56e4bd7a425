"""What the measured requests need from a seeded database: who signs in, which ids, what to answer.

A :class:`Student` carries quiz attempts made ahead of time (so answering is
all the benchmark does), and the version of each of the student's cards,
kept up to date locally: every review adds one, whether it comes from a quiz
answer or a grade, so a grade always names the version the server expects
and is never a silent no-op. The counts written are checked afterwards.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

from benchmarks.datasets import BENCH_SECRET_KEY, bench_app
from quizapp import demo
from quizapp.domain.question_types import kind_of
from quizapp.domain.quiz import MAX_LENGTH
from quizapp.extensions import db
from quizapp.models import Membership, QuizItem, ReviewCard, ReviewLog, SchoolClass, User
from quizapp.services import quizzes
from quizapp.study import card_tickets


@dataclass
class Student:
    """One demo student and the work prepared for them."""

    id: int
    username: str
    answers: deque[tuple[int, int, list[str]]] = field(default_factory=deque)  # attempt, position, response
    versions: dict[str, int] = field(default_factory=dict)  # question id -> card version
    grade_cycle: list[str] = field(default_factory=list)
    graded: int = 0
    answered: int = 0

    def next_answer(self) -> tuple[int, int, list[str]]:
        attempt_id, position, response = self.answers.popleft()
        return attempt_id, position, response

    def answered_question(self, question_id: str) -> None:
        self.versions[question_id] = self.versions.get(question_id, 0) + 1
        self.answered += 1

    def next_grade(self) -> tuple[str, str]:
        """The next card to grade and its ticket, as if the server had just shown it."""
        question_id = self.grade_cycle[self.graded % len(self.grade_cycle)]
        shown = card_tickets.ShownCard(question_id, self.versions[question_id], None)
        return question_id, card_tickets.issue(BENCH_SECRET_KEY, self.id, shown, datetime.now(UTC))

    def was_graded(self, question_id: str) -> None:
        self.versions[question_id] += 1
        self.graded += 1


@dataclass
class Place:
    """A seeded database and the people the benchmark plays."""

    url: str
    teacher: str
    class_id: int
    students: list[Student]
    question_of_item: dict[tuple[int, int], str]


def prepare(url: str, student_indexes: list[int], answers_each: int) -> Place:
    """Load ids and make enough quiz attempts (of MAX_LENGTH questions) for ``answers_each`` answers."""
    app = bench_app(url)
    now = datetime.now(UTC)
    students: list[Student] = []
    question_of_item: dict[tuple[int, int], str] = {}
    with app.app_context():
        first = db.session.scalar(select(User).where(User.username == demo.student_username(student_indexes[0])))
        assert first is not None, "not a demo database"
        school_class = db.session.scalar(
            select(SchoolClass)
            .join(Membership, Membership.class_id == SchoolClass.id)
            .where(Membership.student_id == first.id)
        )
        assert school_class is not None
        teacher = db.session.get(User, school_class.teacher_id)
        assert teacher is not None
        for index in student_indexes:
            user = db.session.scalar(select(User).where(User.username == demo.student_username(index)))
            assert user is not None
            student = Student(user.id, user.username)
            student.versions = dict(
                db.session.execute(
                    select(ReviewCard.question_id, ReviewCard.version).where(ReviewCard.user_id == user.id)
                ).all()
            )
            student.grade_cycle = sorted(student.versions)
            seed = 1000 * index
            while len(student.answers) < answers_each:
                attempt = quizzes.start_quiz(
                    db.session, user, quizzes.all_topics(db.session), MAX_LENGTH, now, seed=seed
                )
                seed += 1
                db.session.commit()
                items = db.session.scalars(
                    select(QuizItem).where(QuizItem.attempt_id == attempt.id).order_by(QuizItem.position)
                )
                for item in items:
                    right = kind_of(item.asked.type).right_response(item.asked)  # each part as the form posts it
                    student.answers.append((attempt.id, item.position, right))
                    question_of_item[attempt.id, item.position] = item.question_id
            students.append(student)
        place = Place(url, teacher.username, school_class.id, students, question_of_item)
        db.session.remove()
        db.engine.dispose()
    return place


def written(url: str, user_ids: list[int]) -> tuple[int, int]:
    """Review logs and answered quiz items of these users, counted in the database."""
    app = bench_app(url)
    with app.app_context():
        logs = db.session.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.user_id.in_(user_ids)))
        from quizapp.models import QuizAttempt

        answered = db.session.scalar(
            select(func.count(QuizItem.id))
            .join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
            .where(QuizAttempt.user_id.in_(user_ids), QuizItem.answered_at.is_not(None))
        )
        db.session.remove()
        db.engine.dispose()
    return logs or 0, answered or 0
