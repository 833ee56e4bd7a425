"""Everything the app keeps about one user, as a JSON-ready dict (their "download my data").

Only the user's own rows: their profile and settings (never the password hash
or session token), the classes they joined or teach, the question versions
they wrote, their FSRS cards and review logs, and their quiz attempts with
each question in the exact version they were asked. The correct answer of a
quiz question, and which question it is, are included only once they have
answered it, and the questions still to come not at all, so an export in the
middle of a quiz (an assignment their classmates are taking) gives nothing away. A constant number of queries,
however much history there is.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from quizapp.domain.languages import language_of
from quizapp.domain.question_types import options_in, wordings
from quizapp.models import (
    Assignment,
    Membership,
    Question,
    QuestionVersion,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    ReviewLog,
    SchoolClass,
    User,
)
from quizapp.services import DbSession
from quizapp.services.bank import is_current_version

EXPORT_FORMAT = "quizapp-user-data"
EXPORT_FORMAT_VERSION = 1


def export_user_data(session: DbSession, user: User, now: datetime) -> dict[str, Any]:
    """All of ``user``'s data, with datetimes as ISO 8601 strings in UTC.

    Args:
        now: the moment of the export, recorded in it.
    """
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(now),
        "profile": {
            "id": user.id,
            "username": user.username,
            "role": user.role.value,
            "created_at": _iso(user.created_at),
        },
        "settings": {"timezone": user.timezone, "daily_new_limit": user.daily_new_limit},
        "classes_joined": _classes_joined(session, user),
        "classes_taught": _classes_taught(session, user),
        "questions_written": _questions_written(session, user),
        "review_cards": _review_cards(session, user),
        "review_logs": _review_logs(session, user),
        "quiz_attempts": _quiz_attempts(session, user),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _json(text: str | None) -> Any:
    return json.loads(text) if text is not None else None


def _classes_joined(session: DbSession, user: User) -> list[dict[str, Any]]:
    teacher = aliased(User)
    rows = session.execute(
        select(SchoolClass.id, SchoolClass.name, teacher.username, Membership.joined_at)
        .join(Membership, Membership.class_id == SchoolClass.id)
        .join(teacher, teacher.id == SchoolClass.teacher_id)
        .where(Membership.student_id == user.id)
        .order_by(Membership.joined_at, SchoolClass.id)
    )
    return [
        {"class_id": class_id, "name": name, "teacher": teacher_name, "joined_at": _iso(joined_at)}
        for class_id, name, teacher_name, joined_at in rows
    ]


def _classes_taught(session: DbSession, user: User) -> list[dict[str, Any]]:
    rows = session.execute(
        select(SchoolClass.id, SchoolClass.name, SchoolClass.join_code, SchoolClass.created_at)
        .where(SchoolClass.teacher_id == user.id)
        .order_by(SchoolClass.created_at, SchoolClass.id)
    )
    return [
        {"class_id": class_id, "name": name, "join_code": join_code, "created_at": _iso(created_at)}
        for class_id, name, join_code, created_at in rows
    ]


def _questions_written(session: DbSession, user: User) -> list[dict[str, Any]]:
    versions = session.scalars(
        select(QuestionVersion)
        .where(QuestionVersion.created_by_id == user.id)
        .order_by(QuestionVersion.created_at, QuestionVersion.id)
    )
    return [
        {
            "question_id": version.question_id,
            "version": version.number,
            "type": version.type.value,
            "prompt": version.prompt,
            "answer": version.answer,
            "accepted_answers": list(version.accepted_answers),
            "options": list(version.options),
            "explanation": version.explanation,
            "created_at": _iso(version.created_at),
        }
        for version in versions
    ]


def _review_cards(session: DbSession, user: User) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ReviewCard, QuestionVersion.prompt)
        .join(Question, Question.id == ReviewCard.question_id)
        .join(QuestionVersion, is_current_version())
        .where(ReviewCard.user_id == user.id)
        .order_by(ReviewCard.first_reviewed_at, ReviewCard.id)
    )
    return [
        {
            "card_id": card.id,
            "question_id": card.question_id,
            "prompt": prompt,
            "due": _iso(card.due),
            "state": card.state,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "last_review": _iso(card.last_review),
            "stable_until": _iso(card.stable_until),
            "first_reviewed_at": _iso(card.first_reviewed_at),
            "reviews": card.reviews,
            "lapses": card.lapses,
            "version": card.version,
            "fsrs_card": _json(card.card_json),
        }
        for card, prompt in rows
    ]


def _review_logs(session: DbSession, user: User) -> list[dict[str, Any]]:
    logs = session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.reviewed_at, ReviewLog.id)
    )
    return [
        {
            "log_id": log.id,
            "card_id": log.card_id,
            "question_id": log.question_id,
            "card_version": log.card_version,
            "rating": log.rating,
            "source": log.source.value,
            "reviewed_at": _iso(log.reviewed_at),
            "duration_ms": log.duration_ms,
            "counted": log.counted,
            "state_before": _json(log.state_before),
            "state_after": _json(log.state_after),
            "fsrs_log": _json(log.fsrs_log),
        }
        for log in logs
    ]


def _answered_item(item: QuizItem, asked: QuestionVersion) -> dict[str, Any]:
    # In the language the student answered in (items answered before languages: the version's own).
    answered_in = language_of(str(item.details.get("language", ""))) or asked.language
    read_in = wordings(asked, answered_in)
    shown = read_in[0]
    return {
        "position": item.position,
        "question_id": item.question_id,
        "question_version": asked.number,
        "type": asked.type.value,
        "language": shown.language.value,
        "prompt": shown.prompt,
        "options_shown": options_in(item.options, read_in),
        "shown_at": _iso(item.shown_at),
        "answered_at": _iso(item.answered_at),
        "response": item.response,
        "correct": item.correct,
        "feedback": item.feedback,
        "duration_ms": item.duration_ms,
        "correct_answer": shown.answer,
        "explanation": shown.explanation,
    }


def _quiz_attempts(session: DbSession, user: User) -> list[dict[str, Any]]:
    attempts = session.execute(
        select(QuizAttempt, Assignment.title)
        .outerjoin(Assignment, Assignment.id == QuizAttempt.assignment_id)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at, QuizAttempt.id)
    ).all()
    items: dict[int, list[dict[str, Any]]] = {attempt.id: [] for attempt, _ in attempts}
    rows = session.execute(
        select(QuizItem, QuestionVersion)
        .join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == QuizItem.question_version_id)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizItem.attempt_id, QuizItem.position)
    )
    for item, asked in rows:
        if item.answered_at is not None:
            items[item.attempt_id].append(_answered_item(item, asked))
        elif item.shown_at is not None:
            # On screen, not yet answered: what the student saw, nothing that identifies the answer.
            items[item.attempt_id].append(
                {
                    "position": item.position,
                    "type": asked.type.value,
                    "prompt": asked.prompt,
                    "options_shown": list(item.options),
                    "shown_at": _iso(item.shown_at),
                }
            )
        # Questions still to come are left out: the export must not show what a quiz will ask.
    return [
        {
            "attempt_id": attempt.id,
            "assignment_id": attempt.assignment_id,
            "assignment_title": title,
            "topics": list(attempt.topics),
            "length": attempt.length,
            "seed": attempt.seed,
            "started_at": _iso(attempt.started_at),
            "finished_at": _iso(attempt.finished_at),
            "answered_count": attempt.answered_count,
            "correct_count": attempt.correct_count,
            "items": items[attempt.id],
        }
        for attempt, title in attempts
    ]
