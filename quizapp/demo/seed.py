"""Seeding a demo school: accounts, classes and assignments first, then every student's history."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from quizapp.demo.model import (
    ASSIGNMENT_SETS,
    DEMO_PASSWORD,
    STUDENT_TIMEZONES,
    TEACHER_TIMEZONE,
    DemoReport,
    DemoSpec,
    History,
    SharedData,
    StudentTask,
    student_username,
    teacher_username,
)
from quizapp.demo.school import (
    add_teacher_questions,
    insert_assignments,
    insert_chunks,
    insert_classes,
    insert_users,
    load_questions,
    wrong_pool,
)
from quizapp.demo.students import simulate_all
from quizapp.demo.writer import HistoryWriter
from quizapp.models import (
    Membership,
    Question,
    Role,
    Status,
    Topic,
    User,
)
from quizapp.services import DbSession, DomainError

# --- the entry point ---------------------------------------------------------------


def seed_demo(
    session: DbSession,
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
    teacher_ids = insert_users(
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

    added, versions = add_teacher_questions(session, spec, teacher_ids, start)
    report.questions_added, report.versions_added = added, versions
    questions = load_questions(session, spec.seed)
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
    student_ids = insert_users(session, students)
    report.students = len(student_ids)
    report.first_student = student_username(0) if student_ids else None

    class_ids = insert_classes(session, spec, teacher_ids, start)
    report.classes = len(class_ids)
    memberships = [
        {
            "class_id": class_ids[i // spec.class_size],
            "student_id": student_id,
            "joined_at": cast(datetime, students[i]["created_at"]) + timedelta(hours=1),
        }
        for i, student_id in enumerate(student_ids)
    ]
    insert_chunks(session, Membership, memberships)
    report.memberships = len(memberships)

    topics = tuple(session.scalars(select(Topic.slug).order_by(Topic.id)))
    plans, class_assignments = insert_assignments(session, spec, class_ids, questions, topics, now)
    report.assignments = sum(len(ids) for ids in class_assignments)
    say(f"{report.students} students in {report.classes} classes; {report.assignments} assignments")

    shared = SharedData(
        questions=tuple(questions),
        wrong_pool=wrong_pool(questions),
        topics=topics,
        assignments=plans,
        now=now,
        spec=spec,
    )

    def task_of(student: int) -> StudentTask:
        persona = spec.persona_of(student)
        return StudentTask(
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
    kept: dict[StudentTask, History] = {}
    writer = HistoryWriter(session, report, class_assignments, say)
    for number, (task, history) in enumerate(zip(tasks, simulate_all(shared, tasks, workers), strict=True)):
        if task in needed:
            kept[task] = history
        if number < personas:
            writer.add(history, student_ids[number], number // spec.class_size)
    for student, task in enumerate(copied, start=personas):
        writer.add(kept[task], student_ids[student], student // spec.class_size)
    writer.flush()
    say(f"{report.reviews} reviews, {report.cards} cards, {report.attempts} quiz attempts written")
    return report
