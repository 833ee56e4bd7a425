"""Applying one review to a student's FSRS card: shared by flashcards and quizzes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fsrs import Rating
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

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
    statement = _LOCKED_CARD if lock else _CARD
    return session.scalar(statement, {"user_id": user_id, "question_id": question_id})


# Built once, with bind parameters: building these statements took longer than running them.
_CARD = (
    select(ReviewCard)
    .where(ReviewCard.user_id == bindparam("user_id"), ReviewCard.question_id == bindparam("question_id"))
    .execution_options(populate_existing=True)
)
_LOCKED_CARD = _CARD.with_for_update(key_share=True)
# The columns a review writes besides the counters: the fsrs Card and its copies.
_SCHEDULE_FIELDS = ["card_json", "due", "state", "stability", "difficulty", "last_review", "stable_until"]
_NEW_CARD_FIELDS = ["user_id", "question_id", "first_reviewed_at", "version", "reviews", "lapses", *_SCHEDULE_FIELDS]
# INSERT ... ON CONFLICT DO NOTHING: one statement, no savepoint to roll back to when
# another request created the card first. Both databases spell it the same way.
_INSERT_NEW_CARD = {
    dialect: insert(ReviewCard)
    .values({name: bindparam(name) for name in _NEW_CARD_FIELDS})
    .on_conflict_do_nothing(index_elements=[ReviewCard.user_id, ReviewCard.question_id])
    .returning(ReviewCard)
    for dialect, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
# Compare-and-set on the version: of two concurrent writers only one matches.
_UPDATE_CARD = (
    update(ReviewCard)
    .where(ReviewCard.id == bindparam("card_id"), ReviewCard.version == bindparam("read_version"))
    .values({name: bindparam(name) for name in ["version", "reviews", "lapses", *_SCHEDULE_FIELDS]})
    .execution_options(synchronize_session=False)
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
        outcome = scheduling.review(
            card.card_json if card is not None else None, rating, now, ZoneInfo(user.timezone), duration
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
            if card is None:
                card = _create_card(session, user, question_id, rating, now, fields)
            else:
                _update_card(session, card, rating, fields)
        except _LostRace:
            if expected_version is not None:
                return None  # the version the student saw was graded by another request
            continue  # another review got there first: apply this one to the card it left
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
        # The card's version was claimed above, so no other log can take (card, version).
        session.flush()
        return log
    raise ReviewConflict(BUSY_CARD)


def _create_card(
    session: Session, user: User, question_id: str, rating: Rating, now: datetime, fields: dict[str, object]
) -> ReviewCard:
    """Insert the user's first card for the question, unless another request just did.

    Raises:
        _LostRace: another request created the card first; nothing was written.
    """
    values = {
        "user_id": user.id,
        "question_id": question_id,
        "first_reviewed_at": now,
        "version": 1,
        "reviews": 1,
        "lapses": int(rating == Rating.Again),
        **fields,
    }
    card = session.scalar(_INSERT_NEW_CARD[session.get_bind().dialect.name], values)
    if card is None:
        raise _LostRace
    return card


def _update_card(session: Session, card: ReviewCard, rating: Rating, fields: dict[str, object]) -> None:
    """Write the reviewed card if it is still the version read, and keep ``card`` in step.

    Raises:
        _LostRace: another request updated the card since it was read; nothing was written.
    """
    written = {
        **fields,
        "version": card.version + 1,
        "reviews": card.reviews + 1,
        "lapses": card.lapses + int(rating == Rating.Again and card.state == "review"),
    }
    result = session.execute(_UPDATE_CARD, {"card_id": card.id, "read_version": card.version, **written})
    if result.rowcount != 1:
        raise _LostRace
    for name, value in written.items():
        set_committed_value(card, name, value)


class _LostRace(Exception):
    """Another request updated the card between our read and our write."""
