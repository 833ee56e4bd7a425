"""Synthetic demo data at any scale: a school's teachers, classes, students and months of study.

:func:`seed_demo` writes teachers, classes of about 25 students with their
memberships, extra teacher-written questions when more questions are wanted
than the generated bank has, assignments, and for every student a study
history over the last months: flashcard sessions, self-started quizzes and
assignment attempts. Everything goes in with bulk INSERTs, in chunks.

The histories are not made up row by row: every review is produced by
running the real scheduler (:func:`quizapp.domain.scheduling.review`) on the
student's card at the simulated moment, and every quiz answer is graded by
the real grader, so cards, logs and quiz items are exactly what the app
would have stored. A seeded recall model decides what the student remembers:
the probability of recall is the card's FSRS retrievability at that moment,
raised to a power set by the student's ability and the question's
difficulty. Students study on some days (each has a diligence), review what
is due, learn new cards at a pace that spends their share of the review
budget over the period, take a quiz now and then and do most of their
class's assignments around the due date; one in ten stopped a week or more
ago. The total number of review logs is exactly the number asked for.

The data depends only on the spec, the seed and ``now``: the same arguments
give the same rows (ids, password hashes and session tokens aside), and
student ``i`` has the same history in a school of any size.

Speed: simulating costs about 0.2 ms a review (most of it in fsrs and its
JSON), writing about as much again. Students being independent, they are
simulated by several processes (``workers``) while this one writes. Beyond
``spec.personas`` students (2,000 by default), the approximation that keeps
a million reviews within minutes: student ``i`` is a copy of student
``i % personas`` — same time zone, joining time and history, on their own
cards and attempts, in a class with the same assignments (classes come in
ASSIGNMENT_SETS sets sharing assignments, and personas are whole groups of
such classes). No class holds two copies of one student; a large school is
then 2,000 distinct students' study habits, repeated.
"""

from __future__ import annotations

import heapq
import math
import multiprocessing
import random
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from quizapp.domain import quiz as quiz_domain
from quizapp.domain import scheduling
from quizapp.domain.classes import due_at_for, new_join_code
from quizapp.domain.grading import Verdict, check
from quizapp.domain.progress import local_date
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, QuestionType
from quizapp.domain.scheduling import Rating
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
    ReviewSource,
    Role,
    SchoolClass,
    Status,
    Topic,
    User,
)
from quizapp.services import DomainError
from quizapp.services.bank import is_current_version
from quizapp.services.reviews import log_values

__all__ = [
    "DEMO_PASSWORD",
    "DemoReport",
    "DemoSpec",
    "seed_demo",
    "student_username",
    "teacher_username",
]

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
_LOG_GROWTH = math.log(GROWTH)


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
class _Q:
    """An active question as the simulation sees it."""

    id: str
    topic: str
    type: str
    answer: str
    accepted: tuple[str, ...]
    options: tuple[str, ...]
    version_id: int
    difficulty: float  # added to the student's ability: > 0 is harder


@dataclass(frozen=True)
class _AssignmentPlan:
    slot: int  # its place among the class's assignments
    seed: int
    topics: tuple[str, ...]
    question_ids: tuple[str, ...]
    created_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class _Shared:
    questions: tuple[_Q, ...]
    wrong_pool: dict[str, tuple[str, ...]]  # answers by question type, to answer wrong with
    topics: tuple[str, ...]
    assignments: tuple[tuple[_AssignmentPlan, ...], ...]  # by assignment set
    now: datetime
    spec: DemoSpec
    by_id: dict[str, _Q] = field(default_factory=dict)
    by_topic: dict[str, tuple[_Q, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id.update((question.id, question) for question in self.questions)
        for topic in self.topics:
            self.by_topic[topic] = tuple(q for q in self.questions if q.topic == topic)


@dataclass(frozen=True)
class _StudentTask:
    index: int  # the persona's index, which seeds its random choices
    timezone: str
    assignment_set: int
    joined_at: datetime
    budget: int


@dataclass
class _History:
    """One student's rows, with references by position in these lists.

    The rows have no user id, and an attempt names its assignment by slot
    (``assignment_slot``): the writer fills both in for whoever the history is for.
    """

    cards: list[dict[str, object]] = field(default_factory=list)
    logs: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (card position, row)
    attempts: list[dict[str, object]] = field(default_factory=list)
    items: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (attempt position, row)


# --- the entry point ---------------------------------------------------------------


def seed_demo(
    session: Session,
    spec: DemoSpec,
    now: datetime,
    *,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Write a synthetic school with months of study history (not committed).

    Args:
        spec: the sizes and the seed.
        now: the end of the histories; every time written is at or before it.
        workers: processes simulating students; 1 simulates in this process.
        progress: called with a line of text now and then.

    Raises:
        DomainError: the bank has no active question, or a demo username is taken.
    """
    if spec.reviews and not spec.students:
        raise DomainError("Reviews need students to make them.")
    say = progress or (lambda _line: None)
    now = now.astimezone(UTC)
    report = DemoReport()

    usernames = [teacher_username(i) for i in range(spec.teacher_count)]
    usernames += [student_username(i) for i in range(spec.students)]
    taken = session.scalars(select(User.username).where(User.username.in_(usernames[:1] + usernames[-1:]))).all()
    if taken:
        raise DomainError(f"The demo user {taken[0]!r} already exists: seed an empty database.")
    if session.scalar(select(func.count(Question.id)).where(Question.status == Status.ACTIVE)) == 0:
        raise DomainError("The question bank is empty: build it first (flask bank build).")

    start = now - timedelta(days=spec.days)
    password_hash = generate_password_hash(DEMO_PASSWORD)
    teacher_ids = _insert_users(
        session,
        [
            {
                "username": teacher_username(i),
                "password_hash": password_hash,
                "role": Role.TEACHER,
                "timezone": TEACHER_TIMEZONE,
                "session_token": secrets.token_hex(16),
                "created_at": start - timedelta(days=30),
            }
            for i in range(spec.teacher_count)
        ],
    )
    report.teachers = len(teacher_ids)
    report.first_teacher = teacher_username(0)

    added, versions = _add_teacher_questions(session, spec, teacher_ids, start)
    report.questions_added, report.versions_added = added, versions
    questions = _load_questions(session, spec.seed)
    say(f"{len(teacher_ids)} teachers; {len(questions)} active questions ({added} added)")

    # Each student, class and assignment set draws from its own seeded stream, so student 0
    # of a small school and of a large one (same seed) are the same person with the same history.
    students = []
    for i in range(spec.students):
        rng = random.Random(f"{spec.seed}:account:{spec.persona_of(i)}")
        students.append(
            {
                "username": student_username(i),
                "password_hash": password_hash,
                "role": Role.STUDENT,
                "timezone": rng.choice(STUDENT_TIMEZONES),
                "session_token": secrets.token_hex(16),
                "created_at": start + timedelta(minutes=rng.randrange(7 * 24 * 60)),
            }
        )
    student_ids = _insert_users(session, students)
    report.students = len(student_ids)
    report.first_student = student_username(0) if student_ids else None

    class_ids = _insert_classes(session, spec, teacher_ids, start)
    report.classes = len(class_ids)
    memberships = [
        {
            "class_id": class_ids[i // spec.class_size],
            "student_id": student_id,
            "joined_at": students[i]["created_at"] + timedelta(hours=1),
        }
        for i, student_id in enumerate(student_ids)
    ]
    _insert_chunks(session, Membership, memberships)
    report.memberships = len(memberships)

    topics = tuple(session.scalars(select(Topic.slug).order_by(Topic.id)))
    plans, class_assignments = _insert_assignments(session, spec, class_ids, questions, topics, now)
    report.assignments = sum(len(ids) for ids in class_assignments)
    say(f"{report.students} students in {report.classes} classes; {report.assignments} assignments")

    shared = _Shared(
        questions=tuple(questions),
        wrong_pool=_wrong_pool(questions),
        topics=topics,
        assignments=plans,
        now=now,
        spec=spec,
    )

    def task_of(student: int) -> _StudentTask:
        persona = spec.persona_of(student)
        return _StudentTask(
            index=persona,
            timezone=str(students[persona]["timezone"]),
            assignment_set=(persona // spec.class_size) % ASSIGNMENT_SETS,
            joined_at=memberships[persona]["joined_at"],  # type: ignore[arg-type]
            budget=spec.budget_of(student),
        )

    # The personas first, written as they are simulated; then the copies, from memory.
    personas = min(spec.students, spec.persona_count)
    copied = [task_of(i) for i in range(personas, spec.students)]
    needed = set(copied)
    extra_tasks = sorted(needed - {task_of(i) for i in range(personas)}, key=lambda task: task.index)
    tasks = [task_of(i) for i in range(personas)] + extra_tasks
    kept: dict[_StudentTask, _History] = {}
    writer = _Writer(session, report, class_assignments, say)
    for number, (task, history) in enumerate(zip(tasks, _simulate_all(shared, tasks, workers), strict=True)):
        if task in needed:
            kept[task] = history
        if number < personas:
            writer.add(history, student_ids[number], number // spec.class_size)
    for student, task in enumerate(copied, start=personas):
        writer.add(kept[task], student_ids[student], student // spec.class_size)
    writer.flush()
    say(f"{report.reviews} reviews, {report.cards} cards, {report.attempts} quiz attempts written")
    return report


# --- accounts, questions, classes and assignments ----------------------------------------


def _insert_users(session: Session, rows: list[dict[str, object]]) -> list[int]:
    return _insert_returning_ids(session, User, rows)


# The inserts go to the tables (Core) rather than through the ORM's bulk insert, which
# spends about as long again sorting each row's keys; the rows carry every column anyway.


def _insert_returning_ids(session: Session, model: type, rows: list[dict[str, object]]) -> list[int]:
    """Insert rows in chunks and return their new ids in the rows' order."""
    table = model.__table__  # type: ignore[attr-defined]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for chunk in _chunks(rows, INSERT_CHUNK):
        ids.extend(session.execute(statement, chunk).scalars())
    return ids


def _insert_chunks(session: Session, model: type, rows: Iterable[dict[str, object]]) -> None:
    statement = insert(model.__table__)  # type: ignore[attr-defined]
    for chunk in _chunks(rows, INSERT_CHUNK):
        session.execute(statement, chunk)


def _chunks(rows: Iterable[dict[str, object]], size: int) -> Iterator[list[dict[str, object]]]:
    chunk: list[dict[str, object]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _add_teacher_questions(
    session: Session, spec: DemoSpec, teacher_ids: list[int], start: datetime
) -> tuple[int, int]:
    """Add teacher-written questions until the bank has ``spec.questions`` active ones.

    Each is a teacher's practice variant of a bank question: the same facts,
    its own prompt. One in five was edited once, so it has two versions.

    Returns:
        Questions and versions added.
    """
    active = session.scalar(select(func.count(Question.id)).where(Question.status == Status.ACTIVE)) or 0
    wanted = spec.questions - active
    if wanted <= 0:
        return 0, 0
    models = session.execute(
        select(Question.id, Question.topic_id, Question.tags, QuestionVersion)
        .join(QuestionVersion, is_current_version())
        .where(Question.status == Status.ACTIVE)
        .order_by(Question.id)
    ).all()
    existing_ids = set(session.scalars(select(Question.id)))
    rng = random.Random(f"{spec.seed}:questions-added")
    questions, versions = [], []
    for n in range(wanted):
        _, topic_id, tags, model = models[n % len(models)]
        question_id = f"t-{rng.getrandbits(48):012x}"
        while question_id in existing_ids:
            question_id = f"t-{rng.getrandbits(48):012x}"
        existing_ids.add(question_id)
        practice_set = n // len(models) + 1
        created_at = start + timedelta(minutes=rng.randrange(spec.days * 24 * 60 // 2))
        author = teacher_ids[n % len(teacher_ids)]
        edited = n % 5 == 4
        content = {
            "type": model.type,
            "answer": model.answer,
            "accepted_answers": list(model.accepted_answers),
            "options": list(model.options),
            "explanation": model.explanation,
            "created_by_id": author,
        }
        prompt = f"Practice set {practice_set}: {model.prompt}"
        if edited:
            versions.append(
                {"question_id": question_id, "number": 1, "prompt": prompt.rstrip("?") + " (draft)?",
                 "created_at": created_at, **content}
            )
        versions.append(
            {"question_id": question_id, "number": 2 if edited else 1, "prompt": prompt,
             "created_at": created_at + timedelta(days=2 if edited else 0), **content}
        )
        questions.append(
            {
                "id": question_id,
                "topic_id": topic_id,
                "origin": Origin.TEACHER,
                "status": Status.ACTIVE,
                "source": "",
                "tags": list(tags),
                "teacher_locked": False,
                "version": 2 if edited else 1,
                "created_at": created_at,
                "updated_at": created_at + timedelta(days=2 if edited else 0),
            }
        )
    _insert_chunks(session, Question, questions)
    _insert_chunks(session, QuestionVersion, versions)
    return len(questions), len(versions)


def _load_questions(session: Session, seed: int) -> list[_Q]:
    rows = session.execute(
        select(Question.id, Topic.slug, QuestionVersion)
        .join(Topic, Topic.id == Question.topic_id)
        .join(QuestionVersion, is_current_version())
        .where(Question.status == Status.ACTIVE)
        .order_by(Question.id)
    ).all()
    rng = random.Random(f"{seed}:questions")
    return [
        _Q(
            id=question_id,
            topic=slug,
            type=str(version.type.value if hasattr(version.type, "value") else version.type),
            answer=version.answer,
            accepted=tuple(version.accepted_answers),
            options=tuple(version.options),
            version_id=version.id,
            difficulty=max(-1.0, min(1.0, rng.gauss(0.0, 0.5))),
        )
        for question_id, slug, version in rows
    ]


def _wrong_pool(questions: Sequence[_Q]) -> dict[str, tuple[str, ...]]:
    pool: dict[str, set[str]] = {}
    for question in questions:
        pool.setdefault(question.type, set()).add(question.answer)
    return {kind: tuple(sorted(answers)) for kind, answers in pool.items()}


def _insert_classes(session: Session, spec: DemoSpec, teacher_ids: list[int], start: datetime) -> list[int]:
    taken = set(session.scalars(select(SchoolClass.join_code)))
    rows = []
    for index in range(spec.class_count):
        rng = random.Random(f"{spec.seed}:class:{index}")
        code = new_join_code(rng)
        while code in taken:
            code = new_join_code(rng)
        taken.add(code)
        grade, section = divmod(index, 6)
        rows.append(
            {
                "teacher_id": teacher_ids[index // spec.classes_per_teacher],
                "name": f"{grade % 5 + 1}.º {'ABCDEF'[section]} — War of the Pacific {2024 + grade // 5}",
                "join_code": code,
                "created_at": start - timedelta(days=2),
            }
        )
    return _insert_returning_ids(session, SchoolClass, rows)


def _insert_assignments(
    session: Session,
    spec: DemoSpec,
    class_ids: list[int],
    questions: Sequence[_Q],
    topics: Sequence[str],
    now: datetime,
) -> tuple[tuple[tuple[_AssignmentPlan, ...], ...], list[list[int]]]:
    """The assignments of each class, due at even steps over the period; the last one is still open.

    Class ``c`` gets assignment set ``c % ASSIGNMENT_SETS``: the same titles,
    topics, seeds and so questions as the other classes of that set.

    Returns:
        The plans of each assignment set, and each class's assignment ids by slot.
    """
    tz = ZoneInfo(TEACHER_TIMEZONE)
    today = local_date(now, tz)
    count = spec.assignments_per_class
    plans: list[tuple[_AssignmentPlan, ...]] = []
    for assignment_set in range(ASSIGNMENT_SETS):
        rng = random.Random(f"{spec.seed}:assignments:{assignment_set}")
        set_plans = []
        for slot in range(count):
            due_day = today - timedelta(days=(count - 1 - slot) * spec.days // count) + timedelta(days=4)
            chosen = tuple(sorted(rng.sample(list(topics), rng.randint(1, min(3, len(topics))))))
            seed = rng.randrange(2**31)
            candidates = [quiz_domain.Candidate(q.id, q.topic) for q in questions if q.topic in chosen]
            question_ids = quiz_domain.select_questions(candidates, spec.quiz_length, seed) if candidates else []
            due_at = due_at_for(due_day, tz)
            created_at = min(due_at - timedelta(days=10), now - timedelta(hours=1))
            set_plans.append(_AssignmentPlan(slot, seed, chosen, tuple(question_ids), created_at, due_at))
        plans.append(tuple(set_plans))
    rows = [
        {
            "class_id": class_id,
            "title": f"Quiz {plan.slot + 1}: " + ", ".join(topic.capitalize() for topic in plan.topics),
            "topics": list(plan.topics),
            "length": spec.quiz_length,
            "seed": plan.seed,
            "due_at": plan.due_at,
            "created_at": plan.created_at,
        }
        for class_index, class_id in enumerate(class_ids)
        for plan in plans[class_index % ASSIGNMENT_SETS]
    ]
    ids = iter(_insert_returning_ids(session, Assignment, rows))
    class_assignments = [[next(ids) for _ in range(count)] for _ in class_ids]
    return tuple(plans), class_assignments


# --- simulating the students -------------------------------------------------------------

_shared: _Shared | None = None


def _init_worker(shared: _Shared) -> None:
    global _shared
    _shared = shared


def _simulate_in_worker(task: _StudentTask) -> _History:
    assert _shared is not None
    return _StudentSimulation(_shared, task).run()


def _simulate_all(shared: _Shared, tasks: list[_StudentTask], workers: int) -> Iterator[_History]:
    """Every student's history, in the order of ``tasks``."""
    if workers <= 1 or len(tasks) < 2 * workers:
        for task in tasks:
            yield _StudentSimulation(shared, task).run()
        return
    # fork starts at once and needs no importable __main__; the children never touch the
    # database connections they inherit, and leave through os._exit, which closes none of them.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(shared,)) as pool:
        yield from pool.imap(_simulate_in_worker, tasks, chunksize=8)


@dataclass(eq=False)
class _Card:
    question: _Q
    position: int = -1  # in the history's cards, once reviewed
    card_json: str | None = None
    due: datetime | None = None
    state: str = "new"
    stability: float = 0.0
    difficulty: float = 0.0
    last_review: datetime | None = None
    stable_until: datetime | None = None
    first_reviewed_at: datetime | None = None
    reviews: int = 0
    lapses: int = 0
    version: int = 0
    first_source: ReviewSource = ReviewSource.FLASHCARD
    suspended_at: datetime | None = None


class _StudentSimulation:
    """Runs one student's days from joining the class until their last day."""

    def __init__(self, shared: _Shared, task: _StudentTask) -> None:
        self.shared = shared
        self.task = task
        self.tz = ZoneInfo(task.timezone)
        self.rng = random.Random(f"{shared.spec.seed}:student:{task.index}")
        self.history = _History()
        self.cards: dict[str, _Card] = {}  # reviewed at least once, by question id
        self.left = task.budget
        self.reserved = 0  # reviews kept for the assignment questions still to answer
        self.clock = task.joined_at  # the latest moment used so far
        self.ability = max(-1.2, min(1.2, self.rng.gauss(0.2, 0.5)))
        self.diligence = self.rng.uniform(0.25, 0.9)
        self.hour = self.rng.randint(15, 21)

    # -- the days --

    def run(self) -> _History:
        if self.left and self.shared.questions:
            self._days()
        cards = sorted(self.cards.values(), key=lambda card: card.position)
        self.history.cards = [self._card_row(card) for card in cards]
        return self.history

    def _days(self) -> None:
        now = self.shared.now
        today = local_date(now, self.tz)
        first_day = local_date(self.task.joined_at, self.tz) + timedelta(days=1)
        if self.rng.random() < DROPOUT_CHANCE:
            last_day = today - timedelta(days=self.rng.randint(8, 25))
        else:
            last_day = today - timedelta(days=self.rng.choice((0, 0, 1)))
        last_day = max(last_day, min(first_day, today))
        span = (last_day - first_day).days + 1
        assignment_days = self._assignment_days(first_day, last_day)
        latest = now - timedelta(minutes=5)
        for offset in range(span):
            if self.left == 0:
                return
            day = first_day + timedelta(days=offset)
            planned = assignment_days.get(day, [])
            is_last = day == last_day
            if not (is_last or planned or self.rng.random() < self.diligence):
                continue
            days_left = span - offset
            # Reviews today: the free budget spread over the active days left; the rest stays overdue.
            cap = self._round(self._free() / max(days_left * self.diligence, 1.0))
            if not (cap or planned or is_last):
                continue
            start = datetime.combine(day, time(self.hour, self.rng.randrange(60)), self.tz).astimezone(UTC)
            if start > latest:
                start = latest - timedelta(minutes=self.rng.randint(20, 90))
            start = max(start, self.clock + timedelta(minutes=1))
            if start >= latest:
                continue
            cutoff = min(start + SESSION_LENGTH, now)
            t = start
            for plan, stop_after in planned:
                t = self._quiz(t, cutoff, plan.question_ids, plan.seed, plan.topics, plan.slot, stop_after)
            if cap:
                spare = self._spare(t, days_left)
                if self.rng.random() < SELF_QUIZ_CHANCE and spare >= 2 * self.shared.spec.quiz_length:
                    t = self._self_quiz(t, cutoff)
                    spare = self._spare(t, days_left)
                t = self._flashcards(t, cutoff, self._new_card_quota(spare, days_left), cap)
            if is_last and self.left:
                t = self._cram(t, now)
            self.clock = max(self.clock, t)

    def _assignment_days(self, first_day: date, last_day: date) -> dict[date, list[tuple[_AssignmentPlan, int | None]]]:
        """The day the student does each assignment they do, and where they stop if they don't finish."""
        days: dict[date, list[tuple[_AssignmentPlan, int | None]]] = {}
        for plan in self.shared.assignments[self.task.assignment_set]:
            if not plan.question_ids or self.rng.random() > ASSIGNMENT_DONE_CHANCE:
                continue
            due_day = local_date(plan.due_at, self.tz)
            late = self.rng.random() < 0.1
            day = due_day + timedelta(days=self.rng.randint(1, 2) if late else -self.rng.randint(0, 5))
            day = max(day, local_date(plan.created_at, self.tz), first_day)
            if day > last_day:
                continue
            unfinished = self.rng.random() < UNFINISHED_CHANCE
            stop_after = self.rng.randrange(len(plan.question_ids)) if unfinished else None
            answers = len(plan.question_ids) if stop_after is None else stop_after
            if self.reserved + answers > ASSIGNMENT_SHARE * self.left:
                continue  # a light user: assignments would take most of their reviews
            self.reserved += answers
            days.setdefault(day, []).append((plan, stop_after))
        return days

    def _spare(self, t: datetime, days_left: int) -> float:
        """Free reviews not already promised to the cards' expected future reviews."""
        horizon = days_left + 1
        promised = 0.0
        for card in self.cards.values():
            assert card.due is not None
            wait = (card.due - t).total_seconds() / 86400
            if wait <= horizon:
                # Later intervals grow about GROWTH-fold each: count those that fit.
                first = max(card.stability * GROWTH, 1.0)
                promised += 1 + math.log(1 + (horizon - max(wait, 0.0)) * (GROWTH - 1) / first) / _LOG_GROWTH
        return self._free() - promised

    def _new_card_quota(self, spare: float, days_left: int) -> int:
        """New cards today, so that the reviews they bring spread the ``spare`` reviews over the days left."""
        per_card = 2.5 + math.log(1 + days_left * (GROWTH - 1) / (3 * GROWTH)) / _LOG_GROWTH
        active_days_left = max(days_left * self.diligence, 1.0)
        return min(self._round(spare / per_card / active_days_left), NEW_CARDS_PER_DAY_MAX)

    def _round(self, value: float) -> int:
        """``value`` rounded up or down at random, so that on average it is exact; 0 if negative."""
        if value <= 0:
            return 0
        return int(value) + (self.rng.random() < value - int(value))

    def _free(self) -> int:
        """Reviews left for flashcards and the student's own quizzes."""
        return self.left - self.reserved

    # -- one review, as services.reviews.record_review stores it --

    def _review(self, card: _Card, rating: Rating, at: datetime, source: ReviewSource, duration: timedelta) -> None:
        outcome = scheduling.review(card.card_json, rating, at, self.tz, duration)
        new = card.card_json is None
        lapsed = scheduling.lapses_added(rating, None if new else card.state)
        card.lapses += lapsed
        if scheduling.becomes_leech(card.lapses, lapsed_now=bool(lapsed)):
            card.suspended_at = at
        if new:
            card.position = len(self.cards)
            card.first_reviewed_at = at
            card.first_source = source
            self.cards[card.question.id] = card
        self.history.logs.append(
            (
                card.position,
                {
                    "question_id": card.question.id,
                    "card_version": card.version,
                    **log_values(outcome, rating, source, at, duration),
                },
            )
        )
        card.card_json = outcome.card_json
        card.due = outcome.due
        card.state = outcome.state
        card.stability = outcome.stability
        card.difficulty = outcome.difficulty
        card.last_review = outcome.last_review
        card.stable_until = outcome.stable_until
        card.reviews += 1
        card.version += 1
        self.left -= 1
        self.clock = max(self.clock, at)

    def _card_row(self, card: _Card) -> dict[str, object]:
        return {
            "question_id": card.question.id,
            "card_json": card.card_json,
            "due": card.due,
            "state": card.state,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "last_review": card.last_review,
            "stable_until": card.stable_until,
            "first_reviewed_at": card.first_reviewed_at,
            "first_source": card.first_source,
            "suspended_at": card.suspended_at,
            "reviews": card.reviews,
            "lapses": card.lapses,
            "version": card.version,
        }

    def _card(self, question: _Q) -> _Card:
        return self.cards.get(question.id) or _Card(question)

    def _recalls(self, card: _Card, at: datetime) -> bool:
        """The recall model: FSRS retrievability, sharpened or blunted by ability and difficulty."""
        skill = self.ability - card.question.difficulty
        if card.last_review is None:
            chance = 1 / (1 + math.exp(-(0.6 + skill)))
        else:
            chance = scheduling.retrievability_at(card.stability, card.last_review, at) ** math.exp(-skill)
        return self.rng.random() < chance

    def _seconds(self, median: float) -> timedelta:
        seconds = min(120.0, median * math.exp(self.rng.gauss(0, 0.5)))
        return timedelta(milliseconds=int(seconds * 1000))

    # -- flashcards --

    def _due_cards(self, t: datetime) -> list[_Card]:
        """The cards the flashcards show at ``t``: due, and not set aside as leeches."""
        due = [
            card
            for card in self.cards.values()
            if card.due is not None and card.due <= t and card.suspended_at is None
        ]
        return sorted(due, key=lambda card: (card.due, card.position))

    def _flashcards(self, t: datetime, cutoff: datetime, new_cards: int, cap: int) -> datetime:
        """A session of at most ``cap`` reviews: the due cards, oldest due first, then new ones;
        learning steps come back when due."""
        queue = self._due_cards(t) + self._new_cards(new_cards)
        learning: list[tuple[datetime, int, _Card]] = []
        stop = self._free() - min(cap, self._free())
        for card in queue:
            while learning and learning[0][0] <= t and self._free() > stop and t < cutoff:
                t = self._flashcard(heapq.heappop(learning)[2], t, cutoff, learning)
            if self._free() <= stop or t >= cutoff:
                return t
            t = self._flashcard(card, t, cutoff, learning)
        while learning and self._free() > stop and t < cutoff:
            due, _, card = heapq.heappop(learning)
            if due >= cutoff:
                break
            t = self._flashcard(card, max(t, due), cutoff, learning)
        return t

    def _flashcard(
        self, card: _Card, t: datetime, cutoff: datetime, learning: list[tuple[datetime, int, _Card]]
    ) -> datetime:
        duration = self._seconds(7.0)
        at = t + duration
        if at > cutoff:
            return cutoff
        if self._recalls(card, at):
            draw = self.rng.random()
            rating = Rating.Hard if draw < 0.12 else Rating.Easy if draw > 0.92 else Rating.Good
        else:
            rating = Rating.Again
        self._review(card, rating, at, ReviewSource.FLASHCARD, duration)
        if card.due is not None and card.due < cutoff:
            heapq.heappush(learning, (card.due, card.position, card))
        return min(at + timedelta(seconds=self.rng.randint(1, 4)), cutoff)

    def _new_cards(self, count: int, topic: str | None = None) -> list[_Card]:
        """Up to ``count`` questions the student has never seen, at random (of one topic if given)."""
        pool = self.shared.by_topic[topic] if topic is not None else self.shared.questions
        chosen: dict[str, _Card] = {}
        limit = min(count, len(pool) - len(self.cards))
        for _ in range(4 * count + 8):
            if len(chosen) >= limit:
                break
            question = pool[self.rng.randrange(len(pool))]
            if question.id not in self.cards and question.id not in chosen:
                chosen[question.id] = _Card(question)
        if len(chosen) < limit:  # mostly seen already: take them in order from a random place
            begin = self.rng.randrange(len(pool))
            for i in range(len(pool)):
                question = pool[(begin + i) % len(pool)]
                if len(chosen) >= limit:
                    break
                if question.id not in self.cards and question.id not in chosen:
                    chosen[question.id] = _Card(question)
        return list(chosen.values())

    def _cram(self, t: datetime, end: datetime) -> datetime:
        """Spend what is left of the budget before ``end``: due cards, new ones, then early reviews."""
        t = min(t, end)
        step = min((end - t) / (self.left + 1), timedelta(seconds=8))
        while self.left:
            t += step
            due = self._due_cards(t)
            if due:
                card = due[0]
            elif fresh := self._new_cards(1):
                card = fresh[0]
            else:
                card = min(self.cards.values(), key=lambda c: (c.due, c.position))
            rating = Rating.Good if self._recalls(card, t) else Rating.Again
            self._review(card, rating, t, ReviewSource.FLASHCARD, step)
        return t

    # -- quizzes --

    def _self_quiz(self, t: datetime, cutoff: datetime) -> datetime:
        """A quiz the student starts: a few topics, due and weak cards mixed with new questions.

        Drawn by the app's own rule (quiz_domain.select_questions) over the
        student's cards in those topics and a sample of unseen questions.
        """
        topics = sorted(self.rng.sample(list(self.shared.topics), self.rng.randint(1, len(self.shared.topics))))
        chosen = set(topics)
        length = self.shared.spec.quiz_length
        candidates = [
            quiz_domain.Candidate(
                card.question.id,
                card.question.topic,
                due=card.due is not None and card.due <= t,
                weak=quiz_domain.is_weak(card.lapses, card.difficulty, None),
                seen=True,
            )
            for card in self.cards.values()
            if card.question.topic in chosen
        ]
        for topic in topics:
            for card in self._new_cards(length, topic):
                candidates.append(quiz_domain.Candidate(card.question.id, topic))
        if not candidates:
            return t
        seed = self.rng.randrange(2**31)
        question_ids = quiz_domain.select_questions(candidates, length, seed)
        stop_after = self.rng.randrange(len(question_ids)) if self.rng.random() < UNFINISHED_CHANCE else None
        return self._quiz(t, cutoff, tuple(question_ids), seed, tuple(topics), None, stop_after)

    def _quiz(
        self,
        t: datetime,
        cutoff: datetime,
        question_ids: Sequence[str],
        seed: int,
        topics: Sequence[str],
        assignment_slot: int | None,
        stop_after: int | None,
    ) -> datetime:
        """Take a quiz from its first question, stopping early when told, out of budget or out of time."""
        if not question_ids or self.left == 0 or t >= cutoff:
            if assignment_slot is not None:  # missed: its reviews go to the other activities
                self.reserved -= len(question_ids) if stop_after is None else stop_after
            return t
        attempt_position = len(self.history.attempts)
        attempt: dict[str, object] = {
            "seed": seed,
            "topics": list(topics),
            "length": len(question_ids),
            "started_at": t,
            "finished_at": None,
            "correct_count": 0,
            "answered_count": 0,
            "assignment_slot": assignment_slot,
        }
        self.history.attempts.append(attempt)
        correct = answered = 0
        stopped = False
        for position, question_id in enumerate(question_ids, start=1):
            question = self.shared.by_id[question_id]
            item: dict[str, object] = {
                "position": position,
                "question_id": question_id,
                "question_version_id": question.version_id,
                "options": _options_shown(question, seed),
                "shown_at": None,
                "response": None,
                "correct": None,
                "feedback": "",
                "answered_at": None,
                "duration_ms": None,
            }
            self.history.items.append((attempt_position, item))
            if stopped:
                continue
            duration = self._seconds(13.0)
            at = t + duration
            out_of_budget = self.left == 0 if assignment_slot is not None else self._free() <= 0
            if stop_after == position - 1 or out_of_budget or at > cutoff:
                stopped = True
                item["shown_at"] = t  # the student left on this question
                continue
            card = self._card(question)
            response = question.answer if self._recalls(card, at) else self._wrong_answer(question)
            verdict = _check(question, response)
            item.update(
                shown_at=t,
                response=response,
                correct=verdict.correct,
                feedback=verdict.feedback,
                answered_at=at,
                duration_ms=duration // timedelta(milliseconds=1),
            )
            answered += 1
            correct += int(verdict.correct)
            rating = scheduling.rating_for_quiz_answer(verdict.correct, duration)
            self._review(card, rating, at, ReviewSource.QUIZ, duration)
            if assignment_slot is not None and self.reserved:
                self.reserved -= 1
            t = min(at + timedelta(seconds=self.rng.randint(1, 5)), cutoff)
        attempt.update(answered_count=answered, correct_count=correct)
        if not stopped:
            attempt["finished_at"] = self.clock
        return t

    def _wrong_answer(self, question: _Q) -> str:
        if question.options:
            wrong = [option for option in question.options if option != question.answer]
        elif question.type == QuestionType.TRUE_FALSE:
            wrong = [option for option in TRUE_FALSE_OPTIONS if option != question.answer]
        else:
            wrong = [answer for answer in self.shared.wrong_pool.get(question.type, ()) if answer != question.answer]
        return self.rng.choice(wrong) if wrong else "I don't know"


_verdicts: dict[tuple[str, str], Verdict] = {}


def _check(question: _Q, response: str) -> Verdict:
    """The real grader's verdict, remembered: students give the same few responses over and over."""
    verdict = _verdicts.get((question.id, response))
    if verdict is None:
        verdict = check(question.type, question.answer, question.accepted, response, options=question.options)
        if len(_verdicts) < 100_000:
            _verdicts[question.id, response] = verdict
    return verdict


def _options_shown(question: _Q, seed: int) -> list[str]:
    """The option order an attempt with this seed shows, as services.quizzes stores it."""
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return quiz_domain.shuffle_options(question.options, seed, question.id)
    if question.type == QuestionType.TRUE_FALSE:
        return list(question.options) or list(TRUE_FALSE_OPTIONS)
    return []


# --- writing the histories -----------------------------------------------------------------


class _Writer:
    """Collects histories for their students and inserts them in batches, resolving positions to ids."""

    def __init__(
        self,
        session: Session,
        report: DemoReport,
        class_assignments: list[list[int]],
        say: Callable[[str], None],
    ) -> None:
        self.session = session
        self.report = report
        self.class_assignments = class_assignments
        self.say = say
        self.pending: list[tuple[_History, int, int]] = []
        self.pending_reviews = 0

    def add(self, history: _History, user_id: int, class_index: int) -> None:
        self.pending.append((history, user_id, class_index))
        self.pending_reviews += len(history.logs)
        if self.pending_reviews >= WRITE_BATCH_REVIEWS:
            self.flush()
            self.say(f"{self.report.reviews} reviews written")

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending, self.pending_reviews = self.pending, [], 0
        card_ids = iter(
            _insert_returning_ids(
                self.session,
                ReviewCard,
                [{**row, "user_id": user_id} for history, user_id, _ in batch for row in history.cards],
            )
        )
        attempt_ids = iter(
            _insert_returning_ids(
                self.session,
                QuizAttempt,
                [
                    {
                        **{key: value for key, value in row.items() if key != "assignment_slot"},
                        "user_id": user_id,
                        "assignment_id": (
                            None
                            if row["assignment_slot"] is None
                            else self.class_assignments[class_index][row["assignment_slot"]]  # type: ignore[index]
                        ),
                    }
                    for history, user_id, class_index in batch
                    for row in history.attempts
                ],
            )
        )
        resolved = [
            (history, user_id, [next(card_ids) for _ in history.cards], [next(attempt_ids) for _ in history.attempts])
            for history, user_id, _ in batch
        ]
        _insert_chunks(
            self.session,
            ReviewLog,
            (
                {**row, "user_id": user_id, "card_id": cards[position]}
                for history, user_id, cards, _ in resolved
                for position, row in history.logs
            ),
        )
        _insert_chunks(
            self.session,
            QuizItem,
            (
                {**row, "attempt_id": attempts[position]}
                for history, _, _, attempts in resolved
                for position, row in history.items
            ),
        )
        for history, *_ in resolved:
            self.report.cards += len(history.cards)
            self.report.attempts += len(history.attempts)
            self.report.reviews += len(history.logs)
            self.report.items += len(history.items)
