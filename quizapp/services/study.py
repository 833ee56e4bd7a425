"""Flashcard study: which card comes next, grading it, undoing a grade, leeches, and what is left today.

A session shows the cards due now, oldest due first, then cards never seen
(questions without a ReviewCard for the student) while the daily limit of new
cards allows. "Today" is the student's local day. As in Anki:

* the daily limit of new cards counts only the cards first met as
  flashcards today (a question first met in a quiz is not a new flashcard);
* a daily limit of reviews counts the flashcard reviews of learned (review
  state) cards today; cards in their learning steps are never held back;
* siblings are buried: once a card of a fact is reviewed today (in a quiz or
  as a flashcard), the other new and learned cards of that fact wait until
  tomorrow (cards in their learning steps were met today already);
* a leech (forgotten too often, :func:`scheduling.becomes_leech`) is
  suspended until the student brings it back.

A second mode studies the mistakes of one quiz attempt, due or not: each
question answered wrong in the attempt, until it has been reviewed as a
flashcard since the attempt began.

Every function runs a constant number of queries, and none commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    and_,
    bindparam,
    delete,
    distinct,
    exists,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import aliased

from quizapp.domain import question_types, scheduling
from quizapp.domain.days import local_day_start
from quizapp.domain.grading import MAX_RESPONSE_LENGTH, ResponseTooLong, Verdict
from quizapp.domain.languages import DEFAULT_LANGUAGE, Language
from quizapp.domain.problems import N_
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
from quizapp.services import DbSession, DomainError, NotFound, rows_changed
from quizapp.services.reviews import record_review

__all__ = [
    "CardTry",
    "GradeChoice",
    "GradeOutcome",
    "Leech",
    "Remaining",
    "StudyCard",
    "TodaySummary",
    "bring_back",
    "grade",
    "leech_count",
    "leeches",
    "next_card",
    "owned_attempt",
    "remaining_counts",
    "study_card",
    "today_summary",
    "try_card",
    "undo_last_grade",
]

QUESTION_GONE = N_("That question is no longer in the bank.")
NO_SUCH_QUIZ = N_("There is no such quiz.")
NOTHING_TO_UNDO = N_("There is no grade of today left to undo.")
NOT_A_LEECH = N_("That card is not set aside.")

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
        due: cards to review now: every due card in its learning steps, and
            due review cards up to the daily review limit (in attempt mode:
            mistakes not yet reviewed). Buried and suspended cards are not.
        new: new cards still allowed today, at most those never seen and not buried.
        unseen: active questions the student has never seen.
        next_due: when the next card not yet due will be (None if none).
        done_today: flashcard reviews since the student's local midnight.
        held_back: due review cards beyond the daily review limit.
        reviews_allowed: the daily review limit is not reached.
        day_start: the student's local midnight (UTC).
    """

    due: int
    new: int
    unseen: int
    next_due: datetime | None
    done_today: int = 0
    held_back: int = 0
    reviews_allowed: bool = True
    day_start: datetime | None = None

    @property
    def total(self) -> int:
        return self.due + self.new


def owned_attempt(session: DbSession, user: User, attempt_id: int) -> QuizAttempt:
    """One of the student's own quiz attempts (from the session's identity map when already loaded).

    Raises:
        NotFound: no such attempt, or another student's; the two are not told apart.
    """
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(NO_SUCH_QUIZ)
    return attempt


def next_card(
    session: DbSession, user: User, now: datetime, remaining: Remaining, attempt_id: int | None = None
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
    if attempt_id is not None:
        attempt = owned_attempt(session, user, attempt_id)
        if not remaining.due:
            return None
        row = session.execute(_NEXT_MISTAKE, _mistake_params(user, attempt)).first()
        return _study_card(row[0], row[1], now, user) if row is not None else None

    params = {
        "user_id": user.id,
        "now": now,
        "day_start": remaining.day_start,
        "reviews_allowed": remaining.reviews_allowed,
    }
    if remaining.due:
        due = session.execute(_NEXT_DUE, params).first()
        if due is not None:
            return _study_card(due[0], due[1], now, user)
    if not remaining.new:
        return None
    question = session.scalar(_FIRST_UNSEEN, params)
    return _study_card(question, None, now, user) if question is not None else None


def study_card(session: DbSession, user: User, question_id: str, now: datetime) -> StudyCard:
    """A given active question as a study card for the student (used to flip a card).

    Raises:
        NotFound: no active question has this id.
    """
    row = session.execute(_ACTIVE_QUESTION_AND_CARD, {"user_id": user.id, "question_id": question_id}).first()
    if row is None:
        raise NotFound(QUESTION_GONE)
    return _study_card(row[0], row[1], now, user)


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
    session: DbSession,
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
        raise DomainError(N_("A grade is 1 to 4, not %(rating)s."), rating=rating) from None
    if card_version < 0:
        raise DomainError(N_("The card version cannot be negative."))
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


def undo_last_grade(session: DbSession, user: User, now: datetime) -> str:
    """Take back the student's last flashcard grade of today (not committed).

    The card goes back to exactly what it was before that grade (a card the
    grade created is removed), and the grade's log is deleted, so the
    schedule and every figure are as if it had never been given. Only while
    nothing has reviewed the card since.

    Returns:
        The id of the question whose grade was undone, to show it again.

    Raises:
        DomainError: no flashcard grade today, or the card was reviewed since (a quiz answer).
    """
    day_start = local_day_start(now, ZoneInfo(user.timezone))
    row = session.execute(
        select(ReviewLog, ReviewCard)
        .join(ReviewCard, ReviewCard.id == ReviewLog.card_id)
        .where(
            ReviewLog.user_id == user.id,
            ReviewLog.source == ReviewSource.FLASHCARD,
            ReviewLog.reviewed_at >= day_start,
        )
        .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
        .limit(1)
    ).first()
    if row is None or row[1].version != row[0].card_version + 1:
        raise DomainError(NOTHING_TO_UNDO)
    log, card = row
    question_id = card.question_id
    if log.state_before is None:  # the grade created the card: the question is new again
        session.execute(delete(ReviewCard).where(ReviewCard.id == card.id))  # its log goes with it
        return question_id
    before = scheduling.card_summary(log.state_before)
    prior = None if log.prior_state == "new" else log.prior_state
    session.execute(
        update(ReviewCard)
        .where(ReviewCard.id == card.id, ReviewCard.version == card.version)
        .values(
            card_json=log.state_before,
            due=before.due,
            state=before.state,
            stability=before.stability,
            difficulty=before.difficulty,
            last_review=before.last_review,
            stable_until=before.stable_until,
            reviews=ReviewCard.reviews - 1,
            lapses=ReviewCard.lapses - scheduling.lapses_added(Rating(log.rating), prior),
            # a grade that made the card a leech set it aside at that moment
            suspended_at=None if card.suspended_at == log.reviewed_at else card.suspended_at,
            version=log.card_version,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(ReviewLog).where(ReviewLog.id == log.id))
    session.expire(card)
    return question_id


@dataclass(frozen=True)
class Leech:
    """A card set aside because the student kept forgetting it."""

    question_id: str
    topic: str
    prompt: str
    answer: str
    explanation: str
    lapses: int
    suspended_at: datetime | None
    language: Language = DEFAULT_LANGUAGE  # of the prompt, answer and explanation


def leeches(session: DbSession, user: User, *, language: Language = DEFAULT_LANGUAGE) -> list[Leech]:
    """The student's suspended cards on active questions, most recently set aside first, in ``language``
    where the question is written in it."""
    rows = session.execute(
        select(ReviewCard, Question)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == user.id, ReviewCard.suspended_at.is_not(None), _ACTIVE)
        .order_by(ReviewCard.suspended_at.desc(), ReviewCard.id)
    ).all()
    found = []
    for card, question in rows:
        shown = question_types.wording(question.current, language)
        found.append(
            Leech(
                question_id=question.id,
                topic=question.topic.name,
                prompt=shown.prompt,
                answer=shown.answer,
                explanation=shown.explanation,
                lapses=card.lapses,
                suspended_at=card.suspended_at,
                language=shown.language,
            )
        )
    return found


def leech_count(session: DbSession, user: User) -> int:
    """How many of the student's cards on active questions are set aside as leeches."""
    return (
        session.scalar(
            select(func.count(ReviewCard.id))
            .join(Question, Question.id == ReviewCard.question_id)
            .where(ReviewCard.user_id == user.id, ReviewCard.suspended_at.is_not(None), _ACTIVE)
        )
        or 0
    )


def bring_back(session: DbSession, user: User, question_id: str) -> None:
    """Put a leech back into the student's flashcards, keeping its schedule (not committed).

    Raises:
        NotFound: the student has no suspended card for that question.
    """
    result = session.execute(
        update(ReviewCard)
        .where(
            ReviewCard.user_id == user.id,
            ReviewCard.question_id == question_id,
            ReviewCard.suspended_at.is_not(None),
        )
        .values(suspended_at=None, version=ReviewCard.version + 1)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        raise NotFound(NOT_A_LEECH)


@dataclass(frozen=True)
class TodaySummary:
    """The student's flashcards today, for the end of a session.

    Attributes:
        reviews: grades given today.
        by_rating: how many of them were Again, Hard, Good and Easy.
        seconds: time spent answering, as the page measured it.
    """

    reviews: int
    by_rating: dict[str, int]
    seconds: int

    @property
    def recalled(self) -> float | None:
        return (self.reviews - self.by_rating["Again"]) / self.reviews if self.reviews else None


def today_summary(session: DbSession, user: User, now: datetime) -> TodaySummary:
    """The student's flashcard grades since their local midnight, in one query."""
    day_start = local_day_start(now, ZoneInfo(user.timezone))
    rows = session.execute(
        select(ReviewLog.rating, func.count(ReviewLog.id), func.coalesce(func.sum(ReviewLog.duration_ms), 0))
        .where(
            ReviewLog.user_id == user.id,
            ReviewLog.reviewed_at >= day_start,
            ReviewLog.source == ReviewSource.FLASHCARD,
        )
        .group_by(ReviewLog.rating)
    ).all()
    by_rating = dict.fromkeys(GRADE_NAMES.values(), 0)
    for rating, count, _ in rows:
        by_rating[GRADE_NAMES[Rating(rating)]] = count
    return TodaySummary(
        reviews=sum(count for _, count, _ in rows),
        by_rating=by_rating,
        seconds=sum(milliseconds or 0 for _, _, milliseconds in rows) // 1000,
    )


def remaining_counts(session: DbSession, user: User, now: datetime, attempt_id: int | None = None) -> Remaining:
    """The cards left now, in one query.

    Raises:
        NotFound: ``attempt_id`` is not one of the student's attempts.
    """
    if attempt_id is not None:
        attempt = owned_attempt(session, user, attempt_id)
        pending = session.scalar(_MISTAKES_LEFT, _mistake_params(user, attempt))
        return Remaining(due=pending or 0, new=0, unseen=0, next_due=None)

    day_start = local_day_start(now, ZoneInfo(user.timezone))
    learning_due, review_due, reviews_done, done_today, introduced, active, seen, buried_unseen, upcoming = (
        session.execute(_REMAINING, {"user_id": user.id, "now": now, "day_start": day_start}).one()
    )
    never_seen = active - seen
    review_allowance = max(user.daily_review_limit - reviews_done, 0)
    new_allowance = max(user.daily_new_limit - introduced, 0)
    reviews_now = min(review_due, review_allowance)
    return Remaining(
        due=learning_due + reviews_now,
        new=min(new_allowance, never_seen - buried_unseen),
        unseen=never_seen,
        next_due=upcoming,
        done_today=done_today,
        held_back=review_due - reviews_now,
        reviews_allowed=review_allowance > 0,
        day_start=day_start,
    )


# --- queries ---------------------------------------------------------------------
# Built once, with bind parameters (:user_id, :now, ...): for these small indexed
# queries, building the statement in Python took longer than running it.


def _card_of(question_id: ColumnExpressionArgument[str]) -> ColumnElement[bool]:
    """The :user_id student's card for a question."""
    return and_(ReviewCard.question_id == question_id, ReviewCard.user_id == bindparam("user_id"))


_ACTIVE = Question.status == Status.ACTIVE
# Active questions the student has no card for.
_UNSEEN = and_(_ACTIVE, ~exists().where(_card_of(Question.id)))
_studied = aliased(Question)
_REVIEWED_TODAY = and_(ReviewLog.user_id == bindparam("user_id"), ReviewLog.reviewed_at >= bindparam("day_start"))
_QUESTIONS_REVIEWED_TODAY = select(ReviewLog.question_id).where(_REVIEWED_TODAY)
_FACTS_REVIEWED_TODAY = (
    select(_studied.source).join(ReviewLog, ReviewLog.question_id == _studied.id).where(_REVIEWED_TODAY)
)
# Another card of the question's fact was reviewed today (:day_start): this one waits for tomorrow.
# A question without a fact (a teacher's) has no siblings. Said without correlation (its fact was
# reviewed today and it was not, or two of its fact's questions were), each subquery runs once
# per statement: correlated, it ran once per question, costing bank size × reviews today.
_BURIED = and_(
    Question.source != "",
    or_(
        and_(Question.source.in_(_FACTS_REVIEWED_TODAY), Question.id.not_in(_QUESTIONS_REVIEWED_TODAY)),
        Question.source.in_(
            _FACTS_REVIEWED_TODAY.group_by(_studied.source).having(func.count(distinct(_studied.id)) > 1)
        ),
    ),
)
_LEARNING = ReviewCard.state != "review"
# A due card the flashcards show now: active, not suspended, not buried. As in Anki, a card
# in its learning steps (minutes apart) is never buried: it was met today already.
_SHOWABLE_DUE = and_(
    ReviewCard.due <= bindparam("now"), ReviewCard.suspended_at.is_(None), _ACTIVE, or_(_LEARNING, ~_BURIED)
)

_NEXT_DUE = (
    select(Question, ReviewCard)
    .join(ReviewCard, _card_of(Question.id))
    .where(_SHOWABLE_DUE, or_(_LEARNING, bindparam("reviews_allowed")))
    .order_by(ReviewCard.due, ReviewCard.id)
    .limit(1)
)
_FIRST_UNSEEN = select(Question).where(_UNSEEN, ~_BURIED).order_by(Question.created_at, Question.id).limit(1)
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


def _cards_due(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return (
        select(func.count(ReviewCard.id))
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == bindparam("user_id"), _SHOWABLE_DUE, condition)
        .scalar_subquery()
    )


def _flashcard_reviews_today(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return (
        select(func.count(ReviewLog.id))
        .where(
            ReviewLog.user_id == bindparam("user_id"),
            ReviewLog.reviewed_at >= bindparam("day_start"),
            ReviewLog.source == ReviewSource.FLASHCARD,
            condition,
        )
        .scalar_subquery()
    )


_REMAINING = select(
    # due now, in learning steps and learned
    _cards_due(_LEARNING),
    _cards_due(~_LEARNING),
    # flashcard reviews today: of learned cards (the review limit), and all of them
    _flashcard_reviews_today(ReviewLog.prior_state == "review"),
    _flashcard_reviews_today(true()),
    # first met as flashcards since the student's local midnight
    select(func.count(ReviewCard.id))
    .where(
        ReviewCard.user_id == bindparam("user_id"),
        ReviewCard.first_reviewed_at >= bindparam("day_start"),
        ReviewCard.first_source == ReviewSource.FLASHCARD,
    )
    .scalar_subquery(),
    # never seen = active questions - the student's cards on active questions; counted so
    # rather than probing for a card per question, which grows with the bank
    select(func.count(Question.id)).where(_ACTIVE).scalar_subquery(),
    select(func.count(ReviewCard.id))
    .join(Question, Question.id == ReviewCard.question_id)
    .where(ReviewCard.user_id == bindparam("user_id"), _ACTIVE)
    .scalar_subquery(),
    # never seen but buried today
    select(func.count(Question.id)).where(_UNSEEN, _BURIED).scalar_subquery(),
    # the next due date after now
    select(func.min(ReviewCard.due))
    .join(Question, Question.id == ReviewCard.question_id)
    .where(
        ReviewCard.user_id == bindparam("user_id"),
        _ACTIVE,
        ReviewCard.suspended_at.is_(None),
        ReviewCard.due > bindparam("now"),
    )
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
    select(func.count())
    .select_from(Question)
    .join(QuizItem, QuizItem.question_id == Question.id)
    .where(_PENDING_MISTAKE)
)


def _mistake_params(user: User, attempt: QuizAttempt) -> dict[str, object]:
    return {"user_id": user.id, "attempt_id": attempt.id, "since": attempt.started_at}


def _study_card(question: Question, card: ReviewCard | None, now: datetime, user: User) -> StudyCard:
    intervals = preview_intervals(
        card.card_json if card is not None else None,
        now,
        timezone=ZoneInfo(user.timezone),
        desired_retention=user.desired_retention,
    )
    return StudyCard(question=question, version=question.current, card=card, intervals=intervals)


@dataclass(frozen=True)
class CardTry:
    """A student's answer to a flashcard, graded before they grade the card (nothing is recorded).

    Attributes:
        response: the answer on one line, as shown back.
        verdict: the grade of it, partial credit included.
        suggested: the rating a quiz answer this good would get (the student still chooses).
    """

    response: str
    verdict: Verdict
    suggested: Rating


class UnreadableTry(DomainError):
    """A try that cannot be read at all (no date, no number); ``reason`` says how to write it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{reason}. Try again.")
        self.reason = reason


def try_card(version: QuestionVersion, response: Sequence[str], *, language: Language = DEFAULT_LANGUAGE) -> CardTry:
    """Grade a try at a flashcard's question, as the quiz grades it (in ``language``); records nothing.

    Raises:
        DomainError: the response is too long.
        UnreadableTry: the response cannot be read at all (no date, no number): its
            reason says how to write it, and the student tries again.
    """
    read_in = question_types.wordings(version, language)
    parts = question_types.options_in(list(response), read_in)
    try:
        verdict = question_types.grade_in(read_in, parts)
    except ResponseTooLong:
        raise DomainError(
            N_("That answer is too long: at most %(count)d characters."), count=MAX_RESPONSE_LENGTH
        ) from None
    if verdict.retry:
        raise UnreadableTry(verdict.feedback)
    text = question_types.kind_of(version.type).response_text(read_in[0], parts)
    return CardTry(text, verdict, scheduling.rating_for_quiz_score(verdict.score, timedelta(0)))
