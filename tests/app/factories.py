"""Factories for app tests: users (and signing them in), classes, assignments, cards, attempts, counts.

Every factory commits (or flushes, where it says so) through the app's session,
so what it makes is what the app would find.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp import clock
from quizapp.domain import scheduling
from quizapp.domain.languages import Language
from quizapp.domain.question_types import grade, kind_of, options_shown
from quizapp.domain.questions import QuestionType, text_as_json
from quizapp.domain.scheduling import Rating
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
from quizapp.services import accounts, classes

DEFAULT_PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


# --- people -----------------------------------------------------------------------------


def make_user(role: Role = Role.STUDENT, username: str | None = None, timezone: str = "UTC", **fields: object) -> User:
    """A committed user whose password is DEFAULT_PASSWORD."""
    user = accounts.create_user(db.session, username or f"user{next(_numbers)}", DEFAULT_PASSWORD, role)
    user.timezone = timezone
    for name, value in fields.items():
        setattr(user, name, value)
    db.session.commit()
    return user


def login(client: FlaskClient, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in through the real form."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def login_as(client: FlaskClient, role: Role = Role.STUDENT, **fields: object) -> User:
    user = make_user(role, **fields)
    login(client, user.username)
    return user


# --- classes and assignments --------------------------------------------------------------


def make_class(teacher: User, name: str = "5th year A", code: str | None = None) -> SchoolClass:
    """A committed class of the teacher's, with ``code`` or a reproducible join code."""
    school_class = classes.create_class(
        db.session,
        teacher,
        name,
        new_code=(lambda: code) if code else classes.seeded_code_factory(teacher.id),
    )
    db.session.commit()
    return school_class


def add_students(
    school_class: SchoolClass,
    count: int,
    prefix: str = "student",
    joined_at: datetime | None = None,
    **fields: object,
) -> list[User]:
    """``count`` new students, members of the class (joined at ``joined_at``, or now)."""
    students = [make_user(username=f"{prefix}{school_class.id}x{n:02d}", **fields) for n in range(count)]
    for student in students:
        db.session.add(Membership(class_id=school_class.id, student_id=student.id, joined_at=joined_at))
    db.session.commit()
    return students


def make_assignment(
    school_class: SchoolClass,
    title: str = "Breña campaign",
    topics: tuple[str, ...] = ("dates", "events"),
    length: int = 5,
    *,
    due_at: datetime | None = None,
    seed: int = 11,
) -> Assignment:
    """A committed assignment with its questions pinned, as a teacher would set it (due in 2 days)."""
    assignment = Assignment(
        class_id=school_class.id,
        title=title,
        topics=list(topics),
        length=length,
        seed=seed,
        due_at=due_at or clock.now() + timedelta(days=2),
    )
    classes.pin_questions(db.session, assignment)
    db.session.add(assignment)
    db.session.commit()
    return assignment


# --- questions, cards and attempts ---------------------------------------------------------


def questions_by_topic() -> dict[str, list[Question]]:
    """The active questions, by topic slug, in id order."""
    questions: dict[str, list[Question]] = {}
    for question in db.session.scalars(select(Question).where(Question.status == Status.ACTIVE).order_by(Question.id)):
        questions.setdefault(question.topic.slug, []).append(question)
    return questions


def new_card_order() -> list[Question]:
    """Active questions in the order a new student meets them."""
    return list(
        db.session.scalars(
            select(Question).where(Question.status == Status.ACTIVE).order_by(Question.created_at, Question.id)
        )
    )


def one_per_fact(questions: list[Question]) -> list[Question]:
    """The first question of each fact, in order: cards that never bury each other."""
    seen: set[str] = set()
    chosen = []
    for question in questions:
        if question.source not in seen:
            seen.add(question.source)
            chosen.append(question)
    return chosen


def card_of(user: User, question_id: str) -> ReviewCard:
    db.session.expire_all()
    card = db.session.scalar(
        select(ReviewCard).where(ReviewCard.user_id == user.id, ReviewCard.question_id == question_id)
    )
    assert card is not None
    return card


def question_of_type(question_type: QuestionType, origin: Origin = Origin.GENERATED) -> Question:
    return db.session.scalars(
        select(Question)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id) & (QuestionVersion.number == Question.version),
        )
        .where(QuestionVersion.type == question_type, Question.origin == origin, Question.status == Status.ACTIVE)
        .order_by(Question.id)
    ).first()


def fresh(question_id: str) -> Question:
    db.session.expire_all()
    return db.session.get(Question, question_id)


def make_review_card(
    user: User,
    question: Question,
    *,
    last_review: datetime,
    stability: float,
    due: datetime | None = None,
    stable_until: datetime | None = None,
    lapses: int = 0,
    difficulty: float = 5.0,
    reviews: int = 1,
    first_reviewed_at: datetime | None = None,
) -> ReviewCard:
    """A card in the Review state whose columns say: reviewed at ``last_review``, this stable (flushed).

    ``due`` and ``stable_until`` default to what the scheduler would store:
    ``stability`` days after the last review.
    """
    card_json = scheduling.review(None, Rating.Good, last_review, ZoneInfo("UTC")).card_json
    stable = last_review + timedelta(days=stability)
    card = ReviewCard(
        user_id=user.id,
        question_id=question.id,
        card_json=card_json,
        due=due or stable,
        state="review",
        stability=stability,
        difficulty=difficulty,
        last_review=last_review,
        stable_until=stable_until or stable,
        first_reviewed_at=first_reviewed_at or last_review,
        reviews=reviews,
        lapses=lapses,
        version=reviews,
    )
    db.session.add(card)
    db.session.flush()
    return card


def make_attempt(
    user: User,
    questions: Sequence[Question],
    *,
    started_at: datetime | None = None,
    results: Sequence[bool | None] = (),
    seed: int = 1,
) -> QuizAttempt:
    """A committed attempt over exactly these questions, in order, as start_quiz would store it.

    It starts at ``started_at``, or now by the app's clock.

    ``results`` answers the first questions: right (True), wrong (False) or
    not yet (None), a minute apart; the attempt's counts follow, and it is
    finished when every question is answered.
    """
    started_at = started_at or clock.now()
    attempt = QuizAttempt(
        user_id=user.id,
        seed=seed,
        topics=sorted({question.topic.slug for question in questions}),
        length=len(questions),
        started_at=started_at,
    )
    for position, question in enumerate(questions, start=1):
        version = question.current
        options = options_shown(version, seed, question.id)
        item = QuizItem(position=position, question_id=question.id, question_version_id=version.id, options=options)
        correct = results[position - 1] if position <= len(results) else None
        if correct is not None:
            item.correct, item.response = correct, version.answer if correct else "not the answer"
            item.answered_at = started_at + timedelta(minutes=position)
        attempt.items.append(item)
    answered = [item for item in attempt.items if item.answered_at is not None]
    attempt.answered_count = len(answered)
    attempt.correct_count = sum(1 for item in answered if item.correct)
    if answered and len(answered) == len(questions):
        attempt.finished_at = max(item.answered_at for item in answered)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def log_count(user: User) -> int:
    """How many reviews (flashcard grades and quiz answers) the user has had."""
    return count_rows(ReviewLog, ReviewLog.user_id == user.id)


def count_rows(model: type, *where: object) -> int:
    """How many rows of ``model`` the database holds now (matching ``where``)."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def right_response(item: QuizItem) -> list[str]:
    """A response to the item's question worth the whole point (each part as the form posts it)."""
    return kind_of(item.asked.type).right_response(item.asked)


def wrong_response(item: QuizItem) -> list[str]:
    """A readable response to the item's question worth nothing: a wrong option, date, number or name."""
    tries = [[option] for option in item.options] + [["1 January 1700"], ["-1"], ["Nobody at all"]]
    return next(
        response
        for response in tries
        if not (verdict := grade(item.asked, response)).retry and verdict.score == 0 and not verdict.correct
    )


def translate(question: Question, language: Language, **wording: object) -> QuestionVersion:
    """A new current version of ``question`` written in ``language`` too (committed).

    ``wording`` gives the fields of its text there (a QuestionText's: prompt, answer, options, ...);
    the others are copied from the current version's own wording.
    """
    current = question.current
    text = replace(current.text_in(current.language), **wording)
    return _reworded(question, {**current.translations, language.value: text_as_json(text)})


def only_in_its_own_language(question: Question) -> QuestionVersion:
    """A new current version of ``question`` without its translations (committed)."""
    return _reworded(question, {})


def _reworded(question: Question, translations: dict[str, dict[str, object]]) -> QuestionVersion:
    current = question.current
    version = QuestionVersion(
        question_id=question.id,
        number=current.number + 1,
        type=current.type,
        prompt=current.prompt,
        answer=current.answer,
        accepted_answers=list(current.accepted_answers),
        options=list(current.options),
        explanation=current.explanation,
        details=dict(current.details),
        language=current.language,
        translations=translations,
    )
    db.session.add(version)
    question.version = version.number
    db.session.commit()
    return version
