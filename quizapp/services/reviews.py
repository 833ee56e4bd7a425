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
from quizapp.services import DomainError


# A review applied "on top of whatever is there" retries when another review of
# the same card commits first; two rounds settle it (the second one locks the row).
APPLY_ATTEMPTS = 3
BUSY_CARD = "This card was being updated by another answer at the same moment. Please send your answer again."


class ReviewConflict(DomainError):
    """A review that kept losing the race for its card; nothing was written."""


def card_for(session: Session, user_id: int, question_id: str, *, lock: bool = False) -> ReviewCard | None:
    """The user's card for a question, freshly read.

    Args:
        lock: hold the row until the transaction ends (PostgreSQL; SQLite
            serializes writers anyway), so a concurrent review waits for ours.
    """
    query = (
        select(ReviewCard)
        .where(ReviewCard.user_id == user_id, ReviewCard.question_id == question_id)
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(key_share=True)
    return session.scalar(query)


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
            When None (a quiz answer), the review applies to the card as it
            is: if another review of the same card commits first, this one is
            applied on top of it, never dropped.

    Returns:
        The new log, or None when the review was already applied.

    Raises:
        ReviewConflict: without ``expected_version``, when the card kept
            changing under this review APPLY_ATTEMPTS times; nothing was written.
    """
    for _ in range(APPLY_ATTEMPTS):
        card = card_for(session, user.id, question_id, lock=expected_version is None)
        current_version = card.version if card is not None else 0
        if expected_version is not None and expected_version != current_version:
            return None
        try:
            card, log = _apply(session, user, question_id, rating, now, source, duration, card, current_version)
        except (IntegrityError, _LostRace):
            if expected_version is not None:
                return None  # the version the student saw was graded by another request
            continue  # another review got there first: apply this one to the card it left
        session.refresh(card)
        return log
    raise ReviewConflict(BUSY_CARD)


def _apply(
    session: Session,
    user: User,
    question_id: str,
    rating: Rating,
    now: datetime,
    source: ReviewSource,
    duration: timedelta | None,
    card: ReviewCard | None,
    current_version: int,
) -> tuple[ReviewCard, ReviewLog]:
    """Write the reviewed card and its log inside a savepoint.

    Raises:
        IntegrityError: another request created the card first.
        _LostRace: another request updated the card since it was read.
    """
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
    return card, log


class _LostRace(Exception):
    """Another request updated the card between our read and our write."""
