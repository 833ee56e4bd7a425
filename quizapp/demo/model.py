"""What a demo school is made of: the spec, the report, and what the simulation shares between students."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from quizapp.domain import quiz as quiz_domain
from quizapp.services import DomainError

# Every demo account has this password; demo data is for trying the app, not for real people.
DEMO_PASSWORD = "resistencia-1882"
STUDENT_TIMEZONES = ("America/Lima",) * 6 + ("UTC",)
TEACHER_TIMEZONE = "America/Lima"
INSERT_CHUNK = 5_000
# Review logs simulated before their rows are written, bounding memory.
WRITE_BATCH_REVIEWS = 50_000
NEW_CARDS_PER_DAY_MAX = 40
SESSION_LENGTH = timedelta(hours=2)
SELF_QUIZ_CHANCE = 0.12
ASSIGNMENT_DONE_CHANCE = 0.85
UNFINISHED_CHANCE = 0.05
DROPOUT_CHANCE = 0.1
# Classes c, c + 8, c + 16... get the same assignments (parallel sections, one syllabus).
ASSIGNMENT_SETS = 8
# At most this share of a student's reviews goes to assignments; a light user skips the rest.
ASSIGNMENT_SHARE = 0.6
# Roughly how much each FSRS interval grows on the next successful review (for pacing only).
GROWTH = 2.5
LOG_GROWTH = math.log(GROWTH)


@dataclass(frozen=True)
class DemoSpec:
    """What to generate.

    Attributes:
        students: student accounts.
        questions: active questions wanted in the bank; when the bank has
            fewer, teacher-written questions are added up to this number.
        reviews: review logs, in total, shared evenly among the students.
        seed: the seed every random choice derives from.
        class_size: students a class.
        classes_per_teacher: classes a teacher.
        days: how far back the histories go.
        assignments_per_class: assignments a class; the last is still open.
        quiz_length: questions in a quiz or an assignment.
        personas: students whose history is simulated one by one; the
            students beyond are copies of them (see the module docstring).
            Rounded up to whole groups of ASSIGNMENT_SETS classes.
    """

    students: int
    questions: int
    reviews: int
    seed: int = 0
    class_size: int = 25
    classes_per_teacher: int = 4
    days: int = 120
    assignments_per_class: int = 3
    quiz_length: int = 10
    personas: int = 2_000

    def __post_init__(self) -> None:
        for name in ("students", "questions", "reviews", "assignments_per_class"):
            if getattr(self, name) < 0:
                raise DomainError(f"{name} cannot be negative.")
        for name in ("class_size", "classes_per_teacher", "days", "personas"):
            if getattr(self, name) < 1:
                raise DomainError(f"{name} must be at least 1.")
        if not quiz_domain.MIN_LENGTH <= self.quiz_length <= quiz_domain.MAX_LENGTH:
            raise DomainError(f"quiz_length is {quiz_domain.MIN_LENGTH} to {quiz_domain.MAX_LENGTH}.")

    @property
    def class_count(self) -> int:
        return math.ceil(self.students / self.class_size)

    @property
    def teacher_count(self) -> int:
        return max(1, math.ceil(self.class_count / self.classes_per_teacher))

    @property
    def persona_count(self) -> int:
        """Students simulated: whole groups of ASSIGNMENT_SETS classes, so a copy is in a class
        with the same assignments as the student it copies."""
        group = self.class_size * ASSIGNMENT_SETS
        return math.ceil(self.personas / group) * group

    def persona_of(self, student: int) -> int:
        return student % self.persona_count

    def budget_of(self, student: int) -> int:
        """The student's share of the reviews: even, the first ones get one more."""
        share, extra = divmod(self.reviews, self.students)
        return share + (1 if student < extra else 0)


@dataclass
class DemoReport:
    """What :func:`seed_demo` wrote; the counts are rows added."""

    teachers: int = 0
    students: int = 0
    classes: int = 0
    memberships: int = 0
    questions_added: int = 0
    versions_added: int = 0
    assignments: int = 0
    cards: int = 0
    reviews: int = 0
    attempts: int = 0
    items: int = 0
    first_teacher: str | None = None
    first_student: str | None = None
    password: str = DEMO_PASSWORD


def student_username(index: int) -> str:
    """The username of the demo student number ``index`` (from 0)."""
    return f"student{index + 1:05d}"


def teacher_username(index: int) -> str:
    """The username of the demo teacher number ``index`` (from 0)."""
    return f"teacher{index + 1:04d}"


# --- what the simulation needs to know, shared by all students -------------------------


@dataclass(frozen=True)
class SimulatedQuestion:
    """An active question as the simulation sees it."""

    id: str
    topic: str
    type: str
    answer: str
    accepted: tuple[str, ...]
    options: tuple[str, ...]
    version_id: int
    difficulty: float  # added to the student's ability: > 0 is harder
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def accepted_answers(self) -> tuple[str, ...]:
        return self.accepted


@dataclass(frozen=True)
class AssignmentPlan:
    slot: int  # its place among the class's assignments
    seed: int
    topics: tuple[str, ...]
    question_ids: tuple[str, ...]
    created_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class SharedData:
    questions: tuple[SimulatedQuestion, ...]
    wrong_pool: dict[str, tuple[str, ...]]  # answers by question type, to answer wrong with
    topics: tuple[str, ...]
    assignments: tuple[tuple[AssignmentPlan, ...], ...]  # by assignment set
    now: datetime
    spec: DemoSpec
    by_id: dict[str, SimulatedQuestion] = field(default_factory=dict)
    by_topic: dict[str, tuple[SimulatedQuestion, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id.update((question.id, question) for question in self.questions)
        for topic in self.topics:
            self.by_topic[topic] = tuple(q for q in self.questions if q.topic == topic)


@dataclass(frozen=True)
class StudentTask:
    index: int  # the persona's index, which seeds its random choices
    timezone: str
    assignment_set: int
    joined_at: datetime
    budget: int


@dataclass
class History:
    """One student's rows, with references by position in these lists.

    The rows have no user id, and an attempt names its assignment by slot
    (``assignment_slot``): the writer fills both in for whoever the history is for.
    """

    cards: list[dict[str, object]] = field(default_factory=list)
    logs: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (card position, row)
    attempts: list[dict[str, object]] = field(default_factory=list)
    items: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (attempt position, row)
