"""How a class did on its assignments: one assignment's results, and one student's attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from quizapp.domain.classes import (
    histogram_labels,
    score_histogram,
)
from quizapp.models import (
    Assignment,
    Membership,
    QuizAttempt,
    SchoolClass,
    User,
)
from quizapp.services import DbSession
from quizapp.services.gradebook import AssignmentScore

# --- one student's assignments ------------------------------------------------------


@dataclass(frozen=True)
class StudentAssignmentAttempt:
    """One of the class's assignments and the student's attempt at it, if any."""

    assignment_id: int
    title: str
    due_at: datetime
    score: AssignmentScore | None
    started_at: datetime | None


def student_assignment_attempts(
    session: DbSession, school_class: SchoolClass, student: User
) -> list[StudentAssignmentAttempt]:
    """Every assignment of the class with the student's attempt, by due date, in one query."""
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.title,
            Assignment.due_at,
            QuizAttempt.id,
            QuizAttempt.answered_count,
            QuizAttempt.correct_count,
            QuizAttempt.length,
            QuizAttempt.finished_at,
            QuizAttempt.started_at,
        )
        .outerjoin(
            QuizAttempt,
            and_(QuizAttempt.assignment_id == Assignment.id, QuizAttempt.user_id == student.id),
        )
        .where(Assignment.class_id == school_class.id)
        .order_by(Assignment.due_at, Assignment.id)
    )
    return [
        StudentAssignmentAttempt(
            assignment_id=assignment_id,
            title=title,
            due_at=due_at,
            score=(
                AssignmentScore(attempt_id, answered, correct, questions, finished_at, due_at)
                if attempt_id is not None
                else None
            ),
            started_at=started_at,
        )
        for (
            assignment_id,
            title,
            due_at,
            attempt_id,
            answered,
            correct,
            questions,
            finished_at,
            started_at,
        ) in rows
    ]


# --- one assignment's results -------------------------------------------------------


@dataclass(frozen=True)
class MemberResult:
    student_id: int
    username: str
    score: AssignmentScore | None


@dataclass(frozen=True)
class AssignmentResults:
    """How the class did on one assignment.

    Attributes:
        members: every student of the class with their attempt, by username.
        histogram: finished attempts per 10% score bin, lowest first.
        histogram_labels: the bins' labels.
    """

    assignment: Assignment
    members: list[MemberResult]
    histogram: list[int]
    histogram_labels: list[str]

    @property
    def finished(self) -> int:
        return sum(1 for member in self.members if member.score is not None and member.score.finished)


def assignment_results(session: DbSession, assignment: Assignment) -> AssignmentResults:
    """Each member's attempt and the score distribution, in two queries."""
    rows = session.execute(
        select(
            User.id,
            User.username,
            QuizAttempt.id,
            QuizAttempt.answered_count,
            QuizAttempt.correct_count,
            QuizAttempt.length,
            QuizAttempt.finished_at,
        )
        .join(Membership, Membership.student_id == User.id)
        .outerjoin(
            QuizAttempt,
            and_(QuizAttempt.user_id == User.id, QuizAttempt.assignment_id == assignment.id),
        )
        .where(Membership.class_id == assignment.class_id)
        .order_by(User.username)
    )
    members = [
        MemberResult(
            student_id,
            username,
            (
                AssignmentScore(attempt_id, answered, correct, questions, finished_at, assignment.due_at)
                if attempt_id is not None
                else None
            ),
        )
        for student_id, username, attempt_id, answered, correct, questions, finished_at in rows
    ]
    # Scores grouped in SQL; only the binning (exact integer arithmetic) happens here.
    grouped = session.execute(
        select(QuizAttempt.correct_count, QuizAttempt.length, func.count(QuizAttempt.id))
        .join(
            Membership,
            and_(Membership.student_id == QuizAttempt.user_id, Membership.class_id == assignment.class_id),
        )
        .where(QuizAttempt.assignment_id == assignment.id, QuizAttempt.finished_at.is_not(None))
        .group_by(QuizAttempt.correct_count, QuizAttempt.length)
    ).all()
    return AssignmentResults(
        assignment=assignment,
        members=members,
        histogram=score_histogram((correct, length, count) for correct, length, count in grouped),
        histogram_labels=histogram_labels(),
    )
