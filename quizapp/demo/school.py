"""The demo school's accounts, questions, classes and assignments, inserted in bulk."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from quizapp.demo.model import (
    ASSIGNMENT_SETS,
    INSERT_CHUNK,
    TEACHER_TIMEZONE,
    AssignmentPlan,
    DemoSpec,
    SimulatedQuestion,
)
from quizapp.domain import quiz as quiz_domain
from quizapp.domain.classes import due_at_for, new_join_code
from quizapp.domain.days import local_date
from quizapp.extensions import Model
from quizapp.models import (
    Assignment,
    Origin,
    Question,
    QuestionVersion,
    SchoolClass,
    Status,
    Topic,
    User,
    table_of,
)
from quizapp.services import DbSession
from quizapp.services.bank import is_current_version

# --- accounts, questions, classes and assignments ----------------------------------------


def insert_users(session: DbSession, rows: list[dict[str, object]]) -> list[int]:
    return insert_returning_ids(session, User, rows)


# The inserts go to the tables (Core) rather than through the ORM's bulk insert, which
# spends about as long again sorting each row's keys; the rows carry every column anyway.


def insert_returning_ids(session: DbSession, model: type[Model], rows: list[dict[str, object]]) -> list[int]:
    """Insert rows in chunks and return their new ids in the rows' order."""
    table = table_of(model)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for chunk in _chunks(rows, INSERT_CHUNK):
        ids.extend(session.execute(statement, chunk).scalars())
    return ids


def insert_chunks(session: DbSession, model: type[Model], rows: Iterable[dict[str, object]]) -> None:
    statement = insert(table_of(model))
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


def add_teacher_questions(
    session: DbSession, spec: DemoSpec, teacher_ids: list[int], start: datetime
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
                {
                    "question_id": question_id,
                    "number": 1,
                    "prompt": prompt.rstrip("?") + " (draft)?",
                    "created_at": created_at,
                    **content,
                }
            )
        versions.append(
            {
                "question_id": question_id,
                "number": 2 if edited else 1,
                "prompt": prompt,
                "created_at": created_at + timedelta(days=2 if edited else 0),
                **content,
            }
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
    insert_chunks(session, Question, questions)
    insert_chunks(session, QuestionVersion, versions)
    return len(questions), len(versions)


def load_questions(session: DbSession, seed: int) -> list[SimulatedQuestion]:
    rows = session.execute(
        select(Question.id, Topic.slug, QuestionVersion)
        .join(Topic, Topic.id == Question.topic_id)
        .join(QuestionVersion, is_current_version())
        .where(Question.status == Status.ACTIVE)
        .order_by(Question.id)
    ).all()
    rng = random.Random(f"{seed}:questions")
    return [
        SimulatedQuestion(
            id=question_id,
            topic=slug,
            type=str(version.type.value if hasattr(version.type, "value") else version.type),
            answer=version.answer,
            accepted=tuple(version.accepted_answers),
            options=tuple(version.options),
            version_id=version.id,
            difficulty=max(-1.0, min(1.0, rng.gauss(0.0, 0.5))),
            details=dict(version.details),
        )
        for question_id, slug, version in rows
    ]


def wrong_pool(questions: Sequence[SimulatedQuestion]) -> dict[str, tuple[str, ...]]:
    pool: dict[str, set[str]] = {}
    for question in questions:
        pool.setdefault(question.type, set()).add(question.answer)
    return {kind: tuple(sorted(answers)) for kind, answers in pool.items()}


def insert_classes(session: DbSession, spec: DemoSpec, teacher_ids: list[int], start: datetime) -> list[int]:
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
    return insert_returning_ids(session, SchoolClass, rows)


def insert_assignments(
    session: DbSession,
    spec: DemoSpec,
    class_ids: list[int],
    questions: Sequence[SimulatedQuestion],
    topics: Sequence[str],
    now: datetime,
) -> tuple[tuple[tuple[AssignmentPlan, ...], ...], list[list[int]]]:
    """The assignments of each class, due at even steps over the period; the last one is still open.

    Class ``c`` gets assignment set ``c % ASSIGNMENT_SETS``: the same titles,
    topics, seeds and so questions as the other classes of that set.

    Returns:
        The plans of each assignment set, and each class's assignment ids by slot.
    """
    tz = ZoneInfo(TEACHER_TIMEZONE)
    today = local_date(now, tz)
    count = spec.assignments_per_class
    plans: list[tuple[AssignmentPlan, ...]] = []
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
            set_plans.append(AssignmentPlan(slot, seed, chosen, tuple(question_ids), created_at, due_at))
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
    ids = iter(insert_returning_ids(session, Assignment, rows))
    class_assignments = [[next(ids) for _ in range(count)] for _ in class_ids]
    return tuple(plans), class_assignments
