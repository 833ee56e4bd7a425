"""Applying one review to a student's FSRS card: shared by flashcards and quizzes.

Every answer and grade runs through here, so the statements are built once,
with bind parameters, on the tables rather than the ORM classes: building a
statement per request and the ORM's bookkeeping cost more than the SQL.
Nothing is kept in the session; callers that hold a ReviewCard see the new
values after their commit expires it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fsrs import Rating
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from quizapp.domain import scheduling
from quizapp.domain.problems import N_
from quizapp.models import ReviewCard, ReviewLog, ReviewSource, User, table_of
from quizapp.services import DbSession, DomainError, rows_changed

# A review applied "on top of whatever is there" retries when another review of
# the same card commits first; two rounds settle it (the second one locks the row).
APPLY_ATTEMPTS = 3
BUSY_CARD = N_("This card was being updated by another answer at the same moment. Please send your answer again.")


class ReviewConflict(DomainError):
    """A review that kept losing the race for its card; nothing was written."""


@dataclass(frozen=True)
class _StoredCard:
    """What a review needs of the card as it is in the database."""

    id: int
    card_json: str
    state: str
    version: int
    reviews: int
    lapses: int
    suspended_at: datetime | None


_cards = table_of(ReviewCard)
_CARD = select(
    _cards.c.id,
    _cards.c.card_json,
    _cards.c.state,
    _cards.c.version,
    _cards.c.reviews,
    _cards.c.lapses,
    _cards.c.suspended_at,
).where(_cards.c.user_id == bindparam("user_id"), _cards.c.question_id == bindparam("question_id"))
# Holds the row until the transaction ends (PostgreSQL; SQLite serializes writers anyway).
_LOCKED_CARD = _CARD.with_for_update(key_share=True)
# The columns a review writes besides the counters: the fsrs Card and its copies.
_SCHEDULE_FIELDS = ["card_json", "due", "state", "stability", "difficulty", "last_review", "stable_until"]
_NEW_CARD_FIELDS = [
    "user_id",
    "question_id",
    "first_reviewed_at",
    "first_source",
    "version",
    "reviews",
    "lapses",
    "suspended_at",
    *_SCHEDULE_FIELDS,
]
# INSERT ... ON CONFLICT DO NOTHING: one statement, no savepoint to roll back to when
# another request created the card first. Both databases spell it the same way.
_INSERT_NEW_CARD = {
    dialect: dialect_insert(_cards)
    .values({name: bindparam(name) for name in _NEW_CARD_FIELDS})
    .on_conflict_do_nothing(index_elements=[_cards.c.user_id, _cards.c.question_id])
    .returning(_cards.c.id)
    for dialect, dialect_insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
# Compare-and-set on the version: of two concurrent writers only one matches.
_UPDATE_CARD = (
    update(_cards)
    .where(_cards.c.id == bindparam("card_id"), _cards.c.version == bindparam("read_version"))
    .values({name: bindparam(name) for name in ["version", "reviews", "lapses", "suspended_at", *_SCHEDULE_FIELDS]})
)
_INSERT_LOG = insert(table_of(ReviewLog))  # the columns are the keys of the parameters


def record_review(
    session: DbSession,
    user: User,
    question_id: str,
    rating: Rating,
    now: datetime,
    *,
    source: ReviewSource,
    duration: timedelta | None = None,
    expected_version: int | None = None,
) -> bool:
    """Grade the user's card for a question and log the review (not committed).

    Args:
        expected_version: the card version the student saw (0 for a card not
            yet created). When given and the card has moved on — a double
            submit, a second tab — nothing is written and False is returned.
            When None (a quiz answer), the review applies to the card as it
            is: if another review of the same card commits first, this one is
            applied on top of it, never dropped.

    A review that makes the card a leech (see :func:`scheduling.becomes_leech`)
    suspends it from the flashcards.

    Returns:
        True when the review was recorded, False when it was already applied.

    Raises:
        ReviewConflict: without ``expected_version``, when the card kept
            changing under this review APPLY_ATTEMPTS times; nothing was written.
    """
    for _ in range(APPLY_ATTEMPTS):
        card = _read_card(session, user.id, question_id, lock=expected_version is None)
        current_version = card.version if card is not None else 0
        if expected_version is not None and expected_version != current_version:
            return False
        outcome = scheduling.review(
            card.card_json if card is not None else None,
            rating,
            now,
            ZoneInfo(user.timezone),
            duration,
            user.desired_retention,
        )
        fields = {name: getattr(outcome, name) for name in _SCHEDULE_FIELDS}
        lapses = scheduling.lapses_added(rating, card.state if card is not None else None)
        lapses_after = lapses + (card.lapses if card is not None else 0)
        leech = scheduling.becomes_leech(lapses_after, lapsed_now=bool(lapses))
        fields["suspended_at"] = now if leech else (card.suspended_at if card is not None else None)
        if card is None:
            card_id = _create_card(session, user, question_id, lapses, now, source, fields)
        else:
            card_id = card.id if _update_card(session, card, lapses, fields) else None
        if card_id is None:
            if expected_version is not None:
                return False  # the version the student saw was graded by another request
            continue  # another review got there first: apply this one to the card it left
        # The card's version was claimed above, so no other log can take (card, version).
        session.execute(
            _INSERT_LOG,
            {
                "card_id": card_id,
                "user_id": user.id,
                "question_id": question_id,
                "card_version": current_version,
                **log_values(outcome, rating, source, now, duration),
            },
        )
        return True
    raise ReviewConflict(BUSY_CARD)


def log_values(
    outcome: scheduling.ReviewOutcome,
    rating: Rating,
    source: ReviewSource,
    reviewed_at: datetime,
    duration: timedelta | None,
) -> dict[str, object]:
    """The review_logs columns a review fills, all but the card's and the user's ids and the version."""
    return {
        "rating": int(rating),
        "source": source,
        "reviewed_at": reviewed_at,
        "duration_ms": None if duration is None else duration // timedelta(milliseconds=1),
        "state_before": outcome.state_before_json,
        "state_after": outcome.card_json,
        "fsrs_log": outcome.log_json,
        "counted": outcome.counted,
        "prior_state": outcome.prior_state,
        "was_due": outcome.was_due,
    }


def _read_card(session: DbSession, user_id: int, question_id: str, *, lock: bool) -> _StoredCard | None:
    """The user's card for a question as stored now; ``lock`` holds it until the transaction ends."""
    row = session.execute(_LOCKED_CARD if lock else _CARD, {"user_id": user_id, "question_id": question_id}).first()
    return _StoredCard(*row) if row is not None else None


def _create_card(
    session: DbSession,
    user: User,
    question_id: str,
    lapses: int,
    now: datetime,
    source: ReviewSource,
    fields: dict[str, object],
) -> int | None:
    """Insert the user's first card for the question; its id, or None if another request just did."""
    values = {
        "user_id": user.id,
        "question_id": question_id,
        "first_reviewed_at": now,
        "first_source": source,
        "version": 1,
        "reviews": 1,
        "lapses": lapses,
        **fields,
    }
    return session.scalar(_INSERT_NEW_CARD[session.get_bind().dialect.name], values)


def _update_card(session: DbSession, card: _StoredCard, lapses: int, fields: dict[str, object]) -> bool:
    """Write the reviewed card if it is still the version read; False (nothing written) if not."""
    written = {
        **fields,
        "version": card.version + 1,
        "reviews": card.reviews + 1,
        "lapses": card.lapses + lapses,
    }
    result = session.execute(_UPDATE_CARD, {"card_id": card.id, "read_version": card.version, **written})
    return rows_changed(result) == 1
