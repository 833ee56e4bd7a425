"""Classes, join codes, memberships and assignments.

A teacher owns classes; a student joins one with its join code; a teacher
sets assignments (a quiz every member takes, the same questions for all, once)
for a class. Loading functions take the teacher or student asking and raise
:class:`NotFound` for anything that is not theirs, exactly as for a wrong id.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from quizapp.domain import quiz as quiz_domain
from quizapp.domain.classes import (
    MAX_DUE_DAYS_AHEAD,
    DeadlineWork,
    DueDayProblem,
    due_at_for,
    due_day_problem,
    new_join_code,
    normalize_join_code,
)
from quizapp.domain.days import local_date
from quizapp.domain.problems import N_
from quizapp.models import (
    Assignment,
    AssignmentQuestion,
    Membership,
    Question,
    QuizAttempt,
    Role,
    SchoolClass,
    Status,
    Topic,
    User,
)
from quizapp.services import DbSession, DomainError, NotFound
from quizapp.services.quizzes import all_topics, current_versions

__all__ = [
    "ClassSummary",
    "StudentAssignment",
    "assignments_for_student",
    "class_assignments",
    "create_assignment",
    "create_class",
    "delete_assignment",
    "get_class_assignment",
    "get_member",
    "get_student_assignment",
    "get_teacher_class",
    "join_class",
    "pin_questions",
    "regenerate_join_code",
    "remove_member",
    "rename_class",
    "started_count",
    "student_classes",
    "teacher_classes",
]

MAX_NAME_LENGTH = 100
MAX_TITLE_LENGTH = 120
CODE_ATTEMPTS = 10
WRONG_CODE = N_("No class has that code. Check it with your teacher.")
TEACHERS_CANNOT_JOIN = N_("Only students join classes.")

_system_random = secrets.SystemRandom()


def _random_code() -> str:
    return new_join_code(_system_random)


CodeFactory = Callable[[], str]


# --- teachers' classes --------------------------------------------------------------


@dataclass(frozen=True)
class ClassSummary:
    """A class in its teacher's list."""

    id: int
    name: str
    join_code: str
    students: int
    assignments: int


def create_class(session: DbSession, teacher: User, name: str, new_code: CodeFactory = _random_code) -> SchoolClass:
    """Add a class with a fresh, unique join code (not committed).

    Raises:
        DomainError: for an empty or too long name, or when no free code was
            found in CODE_ATTEMPTS tries.
    """
    school_class = SchoolClass(teacher_id=teacher.id, name=_class_name(name), join_code="")
    _assign_unique_code(session, school_class, new_code, adding=True)
    return school_class


def rename_class(school_class: SchoolClass, name: str) -> None:
    """Give the class a new name; its code, students and assignments stay (not committed).

    Raises:
        DomainError: for an empty or too long name.
    """
    school_class.name = _class_name(name)


def _class_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise DomainError(N_("A class name has 1 to %(max)d characters."), max=MAX_NAME_LENGTH)
    return name


def remove_member(session: DbSession, school_class: SchoolClass, student_id: int) -> User:
    """Take a student out of the class (not committed).

    Their reviews and quiz attempts stay theirs, assigned ones included; the
    class's pages no longer count them, and they can join again with the code.

    Raises:
        NotFound: if that user is not a member of this class.
    """
    student = get_member(session, school_class, student_id)
    session.execute(
        delete(Membership).where(Membership.class_id == school_class.id, Membership.student_id == student.id)
    )
    return student


def regenerate_join_code(session: DbSession, school_class: SchoolClass, new_code: CodeFactory = _random_code) -> str:
    """Give the class a new join code; the old one stops working at once (not committed)."""
    _assign_unique_code(session, school_class, new_code, adding=False)
    return school_class.join_code


def _assign_unique_code(session: DbSession, school_class: SchoolClass, new_code: CodeFactory, adding: bool) -> None:
    """Draw codes until one is free; the UNIQUE constraint settles any race."""
    for _ in range(CODE_ATTEMPTS):
        code = new_code()
        if session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == code)) is not None:
            continue
        try:
            with session.begin_nested():
                school_class.join_code = code
                if adding:
                    session.add(school_class)
                session.flush()
        except IntegrityError:
            continue
        return
    raise DomainError(N_("Could not find a free join code; please try again."))


def teacher_classes(session: DbSession, teacher: User) -> list[ClassSummary]:
    """The teacher's classes, by name, with member and assignment counts, in one query."""
    students = (
        select(func.count(Membership.id))
        .where(Membership.class_id == SchoolClass.id)
        .correlate(SchoolClass)
        .scalar_subquery()
    )
    assignments = (
        select(func.count(Assignment.id))
        .where(Assignment.class_id == SchoolClass.id)
        .correlate(SchoolClass)
        .scalar_subquery()
    )
    rows = session.execute(
        select(SchoolClass.id, SchoolClass.name, SchoolClass.join_code, students, assignments)
        .where(SchoolClass.teacher_id == teacher.id)
        .order_by(SchoolClass.name, SchoolClass.id)
    )
    return [ClassSummary(*row) for row in rows]


def get_teacher_class(session: DbSession, class_id: int, teacher: User) -> SchoolClass:
    """One of the teacher's classes.

    Raises:
        NotFound: if there is no such class or another teacher owns it; the
            two are not told apart.
    """
    school_class = session.scalar(
        select(SchoolClass).where(SchoolClass.id == class_id, SchoolClass.teacher_id == teacher.id)
    )
    if school_class is None:
        raise NotFound(N_("There is no such class."))
    return school_class


def get_member(session: DbSession, school_class: SchoolClass, student_id: int) -> User:
    """A student of the class.

    Raises:
        NotFound: if that user is not a member of this class.
    """
    student = session.scalar(
        select(User)
        .join(Membership, Membership.student_id == User.id)
        .where(Membership.class_id == school_class.id, User.id == student_id)
    )
    if student is None:
        raise NotFound(N_("There is no such student in this class."))
    return student


# --- students joining ---------------------------------------------------------------


def join_class(session: DbSession, student: User, code: str) -> tuple[SchoolClass, bool]:
    """Join the class whose code was typed (any case, spaces and dashes ignored).

    Joining a class twice is harmless.

    Returns:
        The class, and whether the student was added now (False: already a member).

    Raises:
        DomainError: for a code no class has, or when a teacher tries to join.
    """
    if student.role != Role.STUDENT:
        raise DomainError(TEACHERS_CANNOT_JOIN)
    normalized = normalize_join_code(code)
    school_class = (
        session.scalar(select(SchoolClass).where(SchoolClass.join_code == normalized)) if normalized else None
    )
    if school_class is None:
        raise DomainError(WRONG_CODE)
    already = session.scalar(
        select(Membership.id).where(Membership.class_id == school_class.id, Membership.student_id == student.id)
    )
    if already is not None:
        return school_class, False
    try:
        with session.begin_nested():
            session.add(Membership(class_id=school_class.id, student_id=student.id))
            session.flush()
    except IntegrityError:  # joined in another tab a moment ago
        return school_class, False
    return school_class, True


def student_classes(session: DbSession, student: User) -> list[SchoolClass]:
    """The classes the student belongs to, by name."""
    return list(
        session.scalars(
            select(SchoolClass)
            .join(Membership, Membership.class_id == SchoolClass.id)
            .where(Membership.student_id == student.id)
            .order_by(SchoolClass.name, SchoolClass.id)
            .options(joinedload(SchoolClass.teacher))
        )
    )


# --- assignments --------------------------------------------------------------------


@dataclass(frozen=True)
class StudentAssignment(DeadlineWork):
    """An assignment as one student sees it.

    Attributes:
        assignment_id: the assignment.
        class_id, class_name: the class it was set for.
        title: its title.
        topics: topic slugs it draws from.
        length: the number of questions asked for.
        due_at: the deadline (UTC), the last instant of the due day in the
            teacher's time zone.
        attempt_id: the student's attempt, None before they start.
        answered, correct: answers given and right so far (0 before starting).
        questions: questions in the attempt (None before starting).
        finished_at: when the student finished, None until then.
        overdue: the deadline passed and the student has not finished.
    """

    assignment_id: int
    class_id: int
    class_name: str
    title: str
    topics: list[str]
    length: int
    due_at: datetime
    attempt_id: int | None
    answered: int
    correct: int
    questions: int | None
    finished_at: datetime | None
    overdue: bool

    @property
    def started(self) -> bool:
        return self.attempt_id is not None


def assignments_for_student(session: DbSession, user: User, now: datetime) -> list[StudentAssignment]:
    """Every assignment of the student's classes with their progress on it, in one query.

    Unfinished ones come first, soonest deadline first; then finished ones,
    most recent deadline first.
    """
    rows = session.execute(
        select(
            Assignment.id,
            SchoolClass.id,
            SchoolClass.name,
            Assignment.title,
            Assignment.topics,
            Assignment.length,
            Assignment.due_at,
            QuizAttempt.id,
            QuizAttempt.answered_count,
            QuizAttempt.correct_count,
            QuizAttempt.length,
            QuizAttempt.finished_at,
        )
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(
            Membership,
            and_(Membership.class_id == SchoolClass.id, Membership.student_id == user.id),
        )
        .outerjoin(
            QuizAttempt,
            and_(QuizAttempt.assignment_id == Assignment.id, QuizAttempt.user_id == user.id),
        )
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    assignments = [
        StudentAssignment(
            assignment_id=assignment_id,
            class_id=class_id,
            class_name=class_name,
            title=title,
            topics=list(topics),
            length=length,
            due_at=due_at,
            attempt_id=attempt_id,
            answered=answered or 0,
            correct=correct or 0,
            questions=questions,
            finished_at=finished_at,
            overdue=finished_at is None and due_at < now,
        )
        for (
            assignment_id,
            class_id,
            class_name,
            title,
            topics,
            length,
            due_at,
            attempt_id,
            answered,
            correct,
            questions,
            finished_at,
        ) in rows
    ]
    open_ones = [item for item in assignments if not item.finished]
    done = sorted((item for item in assignments if item.finished), key=lambda item: item.due_at, reverse=True)
    return open_ones + done


def get_student_assignment(session: DbSession, user: User, assignment_id: int) -> Assignment:
    """An assignment of one of the student's classes.

    Raises:
        NotFound: if there is no such assignment or the student is not in its class.
    """
    assignment = session.scalar(
        select(Assignment)
        .join(
            Membership,
            and_(Membership.class_id == Assignment.class_id, Membership.student_id == user.id),
        )
        .where(Assignment.id == assignment_id)
    )
    if assignment is None:
        raise NotFound(N_("There is no such assignment in your classes."))
    return assignment


def due_day_error(problem: DueDayProblem) -> DomainError:
    """What the teacher reads about a due date that cannot be (the form says it too)."""
    if problem is DueDayProblem.PAST:
        return DomainError(N_("The due date cannot be in the past."))
    return DomainError(N_("The due date must be within %(days)d days from today."), days=MAX_DUE_DAYS_AHEAD)


def create_assignment(
    session: DbSession,
    school_class: SchoolClass,
    *,
    title: str,
    topics: Sequence[str],
    length: int,
    due_day: date,
    tz: ZoneInfo,
    now: datetime,
    seed: int | None = None,
) -> Assignment:
    """Set a quiz for the class (not committed).

    Args:
        title: shown to students.
        topics: topic slugs to draw from, at least one.
        length: questions wanted, quiz MIN_LENGTH to MAX_LENGTH; when fewer
            questions match, every student gets all of them.
        due_day: the deadline's date in the teacher's time zone ``tz``, from
            today to MAX_DUE_DAYS_AHEAD days ahead; the assignment is due at
            the end of that day.
        now: the current time, to refuse a day already over.
        seed: the draw's seed, random when None. The same seed gives every
            student the same questions in the same order.

    Raises:
        DomainError: for an empty title, unknown topics, a length out of
            range, a due day in the past or too far ahead, or topics without
            any active question.
    """
    title = title.strip()
    if not title or len(title) > MAX_TITLE_LENGTH:
        raise DomainError(N_("A title has 1 to %(max)d characters."), max=MAX_TITLE_LENGTH)
    chosen = sorted(set(topics))
    if not chosen or set(chosen) - set(all_topics(session)):
        raise DomainError(N_("Choose at least one of the topics offered."))
    if not quiz_domain.MIN_LENGTH <= length <= quiz_domain.MAX_LENGTH:
        raise DomainError(
            N_("A quiz has %(min)d to %(max)d questions."), min=quiz_domain.MIN_LENGTH, max=quiz_domain.MAX_LENGTH
        )
    if problem := due_day_problem(due_day, local_date(now, tz)):
        raise due_day_error(problem)
    assignment = Assignment(
        class_id=school_class.id,
        title=title,
        topics=chosen,
        length=length,
        seed=secrets.randbelow(2**31) if seed is None else seed,
        due_at=due_at_for(due_day, tz),
        created_at=now,
    )
    pin_questions(session, assignment)
    session.add(assignment)
    session.flush()
    return assignment


def pin_questions(session: DbSession, assignment: Assignment) -> None:
    """Draw the assignment's questions and pin their current versions (not committed).

    The draw uses the assignment's seed alone (everyone is a newcomer here: no
    due, weak or seen flags), and it happens once, when the assignment is set:
    every student is asked these versions, whatever is edited later.

    Raises:
        DomainError: no active question has the assignment's topics.
    """
    rows = session.execute(
        select(Question.id, Topic.slug, Question.source)
        .join(Topic, Topic.id == Question.topic_id)
        .where(Question.status == Status.ACTIVE, Topic.slug.in_(list(assignment.topics)))
    )
    candidates = [
        quiz_domain.Candidate(question_id=question_id, topic=slug, fact=fact) for question_id, slug, fact in rows
    ]
    question_ids = quiz_domain.select_questions(candidates, assignment.length, assignment.seed)
    if not question_ids:
        raise DomainError(N_("No questions match those topics yet."))
    assignment.questions = [
        AssignmentQuestion(position=position, question_id=version.question_id, question_version_id=version.id)
        for position, version in enumerate(current_versions(session, question_ids), start=1)
    ]


def get_class_assignment(session: DbSession, school_class: SchoolClass, assignment_id: int) -> Assignment:
    """An assignment of the class (the caller has checked the class is the teacher's).

    Raises:
        NotFound: no such assignment in this class.
    """
    assignment = session.scalar(
        select(Assignment).where(Assignment.id == assignment_id, Assignment.class_id == school_class.id)
    )
    if assignment is None:
        raise NotFound("There is no such assignment in this class.")
    return assignment


def class_assignments(session: DbSession, school_class: SchoolClass) -> list[Assignment]:
    """The class's assignments, soonest due first."""
    return list(
        session.scalars(
            select(Assignment).where(Assignment.class_id == school_class.id).order_by(Assignment.due_at, Assignment.id)
        )
    )


def started_count(session: DbSession, assignment: Assignment) -> int:
    """How many students have started the assignment."""
    return session.scalar(select(func.count(QuizAttempt.id)).where(QuizAttempt.assignment_id == assignment.id)) or 0


def delete_assignment(session: DbSession, assignment: Assignment) -> int:
    """Delete an assignment (not committed); returns how many students had started it.

    Their attempts stay in their own history as practice quizzes (the foreign
    key sets their assignment to NULL), and their flashcard progress from
    those answers stays too; the class's gradebook no longer counts it.
    """
    started = started_count(session, assignment)
    session.delete(assignment)
    session.flush()
    return started


def seeded_code_factory(seed: int) -> CodeFactory:
    """A reproducible join-code source, for tests and demo data."""
    rng = random.Random(seed)
    return lambda: new_join_code(rng)
