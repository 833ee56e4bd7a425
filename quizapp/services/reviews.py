"""Applying one review to a student's FSRS card: shared by flashcards and quizzes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fsrs import Rating
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quizapp.domain import scheduling
from quizapp.models import ReviewCard, ReviewLog, ReviewSource, User


def card_for(session: Session, user_id: int, question_id: str) -> ReviewCard | None:
    return session.scalar(
        select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.question_id == question_id)
    )


def record_review(
    session: Session,
    user: User,
    question_id: str,
    rating: Rating,
    now: datetime,
    *,
    source: ReviewSource,
    duration: timedelta | None = None,
    expected_version: int | None = None,
) -> ReviewLog | None:
    """Grade the user's card for a question and log the review (not committed).

    Args:
        expected_version: the card version the student saw (0 for a card not
            yet created). When given and the card has moved on — a double
            submit, a second tab — nothing is written and None is returned.

    Returns:
        The new log, or None when the review was already applied.
    """
    card = card_for(session, user.id, question_id)
    current_version = card.version if card is not None else 0
    if expected_version is not None and expected_version != current_version:
        return None
    outcome = scheduling.review(
        card.card_json if card is not None else None,
        rating,
        now,
        ZoneInfo(user.timezone),
        duration,
    )
    fields = {
        "card_json": outcome.card_json,
        "due": outcome.due,
        "state": outcome.state,
        "stability": outcome.stability,
        "difficulty": outcome.difficulty,
        "last_review": outcome.last_review,
        # With 0.9 desired retention, retrievability stays >= 0.9 for `stability` days.
        "stable_until": outcome.last_review + timedelta(days=outcome.stability),
    }
    try:
        with session.begin_nested():
            if card is None:
                card = ReviewCard(
                    user_id=user.id,
                    question_id=question_id,
                    first_reviewed_at=now,
                    version=1,
                    reviews=1,
                    lapses=int(rating == Rating.Again),
                    **fields,
                )
                session.add(card)
                session.flush()
            else:
                # Compare-and-set on the version: of two concurrent writers only one wins.
                result = session.execute(
                    update(ReviewCard)
                    .where(ReviewCard.id == card.id, ReviewCard.version == current_version)
                    .values(
                        version=current_version + 1,
                        reviews=ReviewCard.reviews + 1,
                        lapses=ReviewCard.lapses + int(rating == Rating.Again and card.state == "review"),
                        **fields,
                    )
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount != 1:
                    raise _LostRace
            log = ReviewLog(
                card_id=card.id,
                user_id=user.id,
                question_id=question_id,
                card_version=current_version,
                rating=int(rating),
                source=source,
                reviewed_at=now,
                duration_ms=int(duration.total_seconds() * 1000) if duration is not None else None,
                state_before=outcome.state_before_json,
                state_after=outcome.card_json,
                fsrs_log=outcome.log_json,
                counted=outcome.counted,
            )
            session.add(log)
            session.flush()
    except (IntegrityError, _LostRace):
        return None
    session.refresh(card)
    return log


class _LostRace(Exception):
    """Another request updated the card between our read and our write."""
