"""Flashcard study: which card comes next, grading it, and what is left today.

A session shows the cards due now, oldest due first, then cards never seen
(questions without a ReviewCard for the student) while the daily limit of new
cards allows. "Today" is the student's local day: the cards introduced today
are the ReviewCards first reviewed since their local midnight.

A second mode studies the mistakes of one quiz attempt, due or not: each
question answered wrong in the attempt, until it has been reviewed as a
flashcard since the attempt began.

Every function runs a constant number of queries, and none commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, select
from sqlalchemy.orm import Session

from quizapp.domain.progress import local_day_start
from quizapp.domain.scheduling import Rating, format_interval, preview_intervals
from quizapp.models import (
    Question,
    QuestionVersion,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    ReviewLog,
    ReviewSource,
    Status,
    User,
)
from quizapp.services import DomainError, NotFound
from quizapp.services.reviews import record_review

__all__ = [
    "GradeChoice",
    "GradeOutcome",
    "Remaining",
    "StudyCard",
    "grade",
    "next_card",
    "owned_attempt",
    "remaining_counts",
    "study_card",
]

QUESTION_GONE = "That question is no longer in the bank."
NO_SUCH_QUIZ = "There is no such quiz."

# The key that grades with each rating, shown on the buttons.
GRADE_NAMES = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}


@dataclass(frozen=True)
class GradeChoice:
    """One grade button: its rating, name, key and the interval it would give."""

    rating: int
    name: str
    key: str
    interval: str


@dataclass(frozen=True)
class StudyCard:
    """A question to study now, as the student will see it.

    Attributes:
        question: the question.
        version: its current wording.
        card: the student's card, None when the question is new to them.
        intervals: the time until the card would be due after each rating.
    """

    question: Question
    version: QuestionVersion
    card: ReviewCard | None
    intervals: dict[Rating, timedelta]

    @property
    def card_version(self) -> int:
        """The card version a grade must name; 0 for a new card."""
        return self.card.version if self.card is not None else 0

    @property
    def is_new(self) -> bool:
        return self.card is None

    @property
    def grade_choices(self) -> list[GradeChoice]:
        return [
            GradeChoice(int(rating), GRADE_NAMES[rating], str(int(rating)), format_interval(self.intervals[rating]))
            for rating in Rating
        ]


@dataclass(frozen=True)
class Remaining:
    """What is left to study now.

    Attributes:
        due: cards due now (in attempt mode: mistakes not yet reviewed).
        new: new cards still allowed today, at most the number never seen.
        unseen: active questions the student has never seen.
        next_due: when the next card not yet due will be (None if none).
    """

    due: int
    new: int
    unseen: int
    next_due: datetime | None

    @property
    def total(self) -> int:
        return self.due + self.new


def owned_attempt(session: Session, user: User, attempt_id: int) -> QuizAttempt:
    """One of the student's own quiz attempts (from the session's identity map when already loaded).

    Raises:
        NotFound: no such attempt, or another student's; the two are not told apart.
    """
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(NO_SUCH_QUIZ)
    return attempt


def next_card(
    session: Session, user: User, now: datetime, remaining: Remaining, attempt_id: int | None = None
) -> StudyCard | None:
    """The card the student should study next, or None when there is nothing left.

    Due cards first, oldest due first; then a new question if the daily limit
    of new cards, counted in the student's time zone, is not reached. With
    ``attempt_id``, the next unreviewed mistake of that quiz attempt instead.

    Args:
        remaining: :func:`remaining_counts` at the same moment; it says whether
            there is a due or a new card to look for, so at most one query runs.

    Raises:
        NotFound: ``attempt_id`` is not one of the student's attempts.
    """
    tz = ZoneInfo(user.timezone)
    if attempt_id is not None:
        attempt = owned_attempt(session, user, attempt_id)
        if not remaining.due:
            return None
        row = session.execute(_NEXT_MISTAKE, _mistake_params(user, attempt)).first()
        return _study_card(row[0], row[1], now, tz) if row is not None else None

    if remaining.due:
        due = session.execute(_NEXT_DUE, {"user_id": user.id, "now": now}).first()
        if due is not None:
            return _study_card(due[0], due[1], now, tz)
    if not remaining.new:
        return None
    question = session.scalar(_FIRST_UNSEEN, {"user_id": user.id})
    return _study_card(question, None, now, tz) if question is not None else None


def study_card(session: Session, user: User, question_id: str, now: datetime) -> StudyCard:
    """A given active question as a study card for the student (used to flip a card).

    Raises:
        NotFound: no active question has this id.
    """
    row = session.execute(_ACTIVE_QUESTION_AND_CARD, {"user_id": user.id, "question_id": question_id}).first()
    if row is None:
        raise NotFound(QUESTION_GONE)
    return _study_card(row[0], row[1], now, ZoneInfo(user.timezone))


class GradeOutcome(StrEnum):
    """What became of a grade."""

    RECORDED = "recorded"
    # This card version was graded as a flashcard already: a double submit, a second
    # tab, or the same grade sent again after its response was lost.
    ALREADY_SAVED = "already saved"
    # The card moved on some other way since it was shown: a quiz answer, or a
    # teacher's edit that restarted it.
    CARD_CHANGED = "card changed"


def grade(
    session: Session,
    user: User,
    question_id: str,
    rating: Rating | int,
    card_version: int,
    now: datetime,
    duration: timedelta | None = None,
) -> GradeOutcome:
    """Apply the student's grade to their card for a question (not committed).

    Args:
        card_version: the version of the card the student saw, 0 for a new
            card. If the card has moved on since, nothing is written.
        duration: how long the student took, if measured.

    Raises:
        DomainError: the question is unknown or retired, or the rating is not 1 to 4.
    """
    try:
        rating = Rating(rating)
    except ValueError:
        raise DomainError(f"A grade is 1 to 4, not {rating}.") from None
    if card_version < 0:
        raise DomainError("The card version cannot be negative.")
    status = session.scalar(_QUESTION_STATUS, {"question_id": question_id})
    if status != Status.ACTIVE:
        raise DomainError(QUESTION_GONE)
    recorded = record_review(
        session,
        user,
        question_id,
        rating,
        now,
        source=ReviewSource.FLASHCARD,
        duration=duration,
        expected_version=card_version,
    )
    if recorded:
        return GradeOutcome.RECORDED
    graded = session.scalar(
        _FLASHCARD_REVIEW_OF_VERSION, {"user_id": user.id, "question_id": question_id, "card_version": card_version}
    )
    return GradeOutcome.ALREADY_SAVED if graded else GradeOutcome.CARD_CHANGED


def remaining_counts(session: Session, user: User, now: datetime, attempt_id: int | None = None) -> Remaining:
    """The cards left now, in one query.

    Raises:
        NotFound: ``attempt_id`` is not one of the student's attempts.
    """
    if attempt_id is not None:
        attempt = owned_attempt(session, user, attempt_id)
        pending = session.scalar(_MISTAKES_LEFT, _mistake_params(user, attempt))
        return Remaining(due=pending or 0, new=0, unseen=0, next_due=None)

    day_start = local_day_start(now, ZoneInfo(user.timezone))
    due, introduced, active, seen, upcoming = session.execute(
        _REMAINING, {"user_id": user.id, "now": now, "day_start": day_start}
    ).one()
    never_seen = active - seen
    allowance = max(user.daily_new_limit - introduced, 0)
    return Remaining(due=due, new=min(allowance, never_seen), unseen=never_seen, next_due=upcoming)


# --- queries ---------------------------------------------------------------------
# Built once, with bind parameters (:user_id, :now, ...): for these small indexed
# queries, building the statement in Python took longer than running it.


def _card_of(question_id: ColumnElement[str]) -> ColumnElement[bool]:
    """The :user_id student's card for a question."""
    return and_(ReviewCard.question_id == question_id, ReviewCard.user_id == bindparam("user_id"))


_ACTIVE = Question.status == Status.ACTIVE
# Active questions the student has no card for.
_UNSEEN = and_(_ACTIVE, ~exists().where(_card_of(Question.id)))

_NEXT_DUE = (
    select(Question, ReviewCard)
    .join(ReviewCard, _card_of(Question.id))
    .where(ReviewCard.due <= bindparam("now"), _ACTIVE)
    .order_by(ReviewCard.due, ReviewCard.id)
    .limit(1)
)
_FIRST_UNSEEN = select(Question).where(_UNSEEN).order_by(Question.created_at, Question.id).limit(1)
_ACTIVE_QUESTION_AND_CARD = (
    select(Question, ReviewCard)
    .outerjoin(ReviewCard, _card_of(Question.id))
    .where(Question.id == bindparam("question_id"), _ACTIVE)
)
_QUESTION_STATUS = select(Question.status).where(Question.id == bindparam("question_id"))
_FLASHCARD_REVIEW_OF_VERSION = select(
    exists().where(
        ReviewLog.user_id == bindparam("user_id"),
        ReviewLog.question_id == bindparam("question_id"),
        ReviewLog.card_version == bindparam("card_version"),
        ReviewLog.source == ReviewSource.FLASHCARD,
    )
)

_REMAINING = select(
    # due now
    select(func.count(ReviewCard.id))
    .join(Question, Question.id == ReviewCard.question_id)
    .where(ReviewCard.user_id == bindparam("user_id"), ReviewCard.due <= bindparam("now"), _ACTIVE)
    .scalar_subquery(),
    # introduced since the student's local midnight
    select(func.count(ReviewCard.id))
    .where(ReviewCard.user_id == bindparam("user_id"), ReviewCard.first_reviewed_at >= bindparam("day_start"))
    .scalar_subquery(),
    # never seen = active questions - the student's cards on active questions; counted so
    # rather than probing for a card per question, which grows with the bank
    select(func.count(Question.id)).where(_ACTIVE).scalar_subquery(),
    select(func.count(ReviewCard.id))
    .join(Question, Question.id == ReviewCard.question_id)
    .where(ReviewCard.user_id == bindparam("user_id"), _ACTIVE)
    .scalar_subquery(),
    # the next due date after now
    select(func.min(ReviewCard.due))
    .join(Question, Question.id == ReviewCard.question_id)
    .where(ReviewCard.user_id == bindparam("user_id"), _ACTIVE, ReviewCard.due > bindparam("now"))
    .scalar_subquery(),
)

# For a query joining QuizItem and Question: a wrong answer of the :attempt_id attempt
# on an active question, not yet reviewed as a flashcard :since the attempt began.
_PENDING_MISTAKE = and_(
    QuizItem.attempt_id == bindparam("attempt_id"),
    QuizItem.correct.is_(False),
    _ACTIVE,
    ~exists().where(
        ReviewLog.user_id == bindparam("user_id"),
        ReviewLog.question_id == QuizItem.question_id,
        ReviewLog.source == ReviewSource.FLASHCARD,
        ReviewLog.reviewed_at >= bindparam("since"),
    ),
)
_NEXT_MISTAKE = (
    select(Question, ReviewCard)
    .join(QuizItem, QuizItem.question_id == Question.id)
    .outerjoin(ReviewCard, _card_of(Question.id))
    .where(_PENDING_MISTAKE)
    .order_by(QuizItem.position)
    .limit(1)
)
_MISTAKES_LEFT = (
    select(func.count()).select_from(Question).join(QuizItem, QuizItem.question_id == Question.id).where(_PENDING_MISTAKE)
)


def _mistake_params(user: User, attempt: QuizAttempt) -> dict[str, object]:
    return {"user_id": user.id, "attempt_id": attempt.id, "since": attempt.started_at}


def _study_card(question: Question, card: ReviewCard | None, now: datetime, tz: ZoneInfo) -> StudyCard:
    intervals = preview_intervals(card.card_json if card is not None else None, now, timezone=tz)
    return StudyCard(question=question, version=question.current, card=card, intervals=intervals)
