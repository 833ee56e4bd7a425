"""Randomized quizzes: start one, show its questions, grade answers, sum it up.

An answer is graded on the server against the question version the student
was shown, recorded once however often it is submitted, and fed to the
student's FSRS card through :func:`quizapp.services.reviews.record_review`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter

from sqlalchemy import and_, bindparam, case, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from quizapp.domain import quiz as quiz_domain
from quizapp.domain import scheduling
from quizapp.domain.grading import MAX_RESPONSE_LENGTH, ResponseTooLong
from quizapp.domain.languages import DEFAULT_LANGUAGE, Language
from quizapp.domain.problems import N_
from quizapp.domain.question_types import Response, grade_in, kind_of, options_in, options_shown, wordings
from quizapp.models import (
    Assignment,
    AssignmentQuestion,
    Question,
    QuestionVersion,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    ReviewSource,
    Status,
    Topic,
    User,
    table_of,
)
from quizapp.services import DbSession, DomainError, NotFound, rows_changed
from quizapp.services.reviews import record_review

QUIZ_FINISHED = N_("This quiz is finished: answers can no longer be changed.")
NO_SUCH_ATTEMPT = N_("There is no such quiz.")
# The item columns an answer writes.
ANSWER_FIELDS = ["response", "correct", "score", "feedback", "details", "answered_at", "duration_ms"]
NO_QUESTIONS = N_("No questions match those topics yet.")


class QuizFinished(DomainError):
    """An answer was sent to a quiz that is already over."""


class AnswerRefused(DomainError):
    """An answer that cannot be graded: too long, or not this question's turn."""


class UnreadableAnswer(AnswerRefused):
    """A response the question cannot read at all (no date, no number); nothing is recorded.

    Attributes:
        reason: how to write it, as the grader says it (worded for the reader with
            :func:`quizapp.domain.student_texts.in_language`).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def all_topics(session: DbSession) -> list[str]:
    """Every topic slug, in the order the app lists them (by name)."""
    return list(session.scalars(select(Topic.slug).order_by(Topic.name, Topic.slug)))


def start_quiz(
    session: DbSession,
    user: User,
    topics: Sequence[str],
    length: int,
    now: datetime,
    seed: int | None = None,
) -> QuizAttempt:
    """Draw a quiz for the student and store it (not committed).

    The quiz mixes questions due or weak for this student with ones never
    seen (see :func:`quizapp.domain.quiz.select_questions`). Each item keeps
    the question version current now and, for multiple choice, the options in
    this attempt's order. When fewer questions match than ``length``, the quiz
    is shorter: ``len(attempt.items)`` tells.

    Args:
        topics: topic slugs, at least one.
        length: the number of questions wanted, MIN_LENGTH to MAX_LENGTH.
        seed: the draw's seed; a random one when None. The same seed and the
            same history give the same quiz.

    Raises:
        DomainError: for an unknown topic, a length out of range, or no
            matching question at all.
    """
    chosen_topics = sorted(set(topics))
    if not chosen_topics:  # a mix of everything, and nothing to mix
        raise DomainError(NO_QUESTIONS)
    if not quiz_domain.MIN_LENGTH <= length <= quiz_domain.MAX_LENGTH:
        raise DomainError(
            N_("A quiz has %(min)d to %(max)d questions."), min=quiz_domain.MIN_LENGTH, max=quiz_domain.MAX_LENGTH
        )
    if seed is None:
        seed = secrets.randbelow(2**31)

    candidates = _candidates(session, user, chosen_topics, now)
    question_ids = quiz_domain.select_questions(candidates, length, seed)
    if not question_ids:
        if set(chosen_topics) - set(all_topics(session)):
            raise DomainError(N_("Choose at least one of the topics offered."))
        raise DomainError(NO_QUESTIONS)
    return _store_attempt(session, user, current_versions(session, question_ids), chosen_topics, seed, now)


def start_assignment(session: DbSession, user: User, assignment: Assignment, now: datetime) -> QuizAttempt:
    """Start the student's attempt at an assignment, or return the one already started.

    Every student of the assignment is asked the question versions the
    assignment pinned when it was set (see
    :func:`quizapp.services.classes.create_assignment`), in the same order
    and with the same option order, whatever was edited in the bank since.
    One attempt per student and assignment: the UNIQUE constraint settles two
    tabs starting at once. The caller checks that the student belongs to the
    assignment's class.

    Raises:
        DomainError: when the assignment has no questions.
    """
    existing = _assignment_attempt(session, assignment.id, user.id)
    if existing is not None:
        return existing
    pinned = session.scalars(
        select(QuestionVersion)
        .join(AssignmentQuestion, AssignmentQuestion.question_version_id == QuestionVersion.id)
        .where(AssignmentQuestion.assignment_id == assignment.id)
        .order_by(AssignmentQuestion.position)
    ).all()
    if not pinned:
        raise DomainError(NO_QUESTIONS)
    try:
        with session.begin_nested():
            return _store_attempt(session, user, pinned, list(assignment.topics), assignment.seed, now, assignment.id)
    except IntegrityError:  # started in another tab a moment ago
        existing = _assignment_attempt(session, assignment.id, user.id)
        assert existing is not None
        return existing


def _assignment_attempt(session: DbSession, assignment_id: int, user_id: int) -> QuizAttempt | None:
    return session.scalar(
        select(QuizAttempt).where(QuizAttempt.assignment_id == assignment_id, QuizAttempt.user_id == user_id)
    )


def current_versions(session: DbSession, question_ids: Sequence[str]) -> list[QuestionVersion]:
    """The current version of each question, in the order of ``question_ids``."""
    by_question = {
        question.id: question.current
        for question in session.scalars(select(Question).where(Question.id.in_(question_ids))).unique()
    }
    return [by_question[question_id] for question_id in question_ids]


def _store_attempt(
    session: DbSession,
    user: User,
    asked: Sequence[QuestionVersion],
    topics: list[str],
    seed: int,
    now: datetime,
    assignment_id: int | None = None,
) -> QuizAttempt:
    """Write an attempt and its items, asking exactly the given question versions in order."""
    attempt = QuizAttempt(
        user_id=user.id,
        seed=seed,
        topics=topics,
        length=len(asked),
        started_at=now,
        assignment_id=assignment_id,
    )
    session.add(attempt)
    session.flush()
    # One INSERT for all the items, however long the quiz.
    rows = [
        {
            "attempt_id": attempt.id,
            "position": position,
            "question_id": version.question_id,
            "question_version_id": version.id,
            "options": options_shown(version, seed, version.question_id),
        }
        for position, version in enumerate(asked, start=1)
    ]
    session.execute(insert(QuizItem), rows)
    session.expire(attempt, ["items"])
    return attempt


def _candidates(session: DbSession, user: User, topics: Sequence[str], now: datetime) -> list[quiz_domain.Candidate]:
    """The active questions of the topics with this student's history, in two queries."""
    # The student's last answer to each question, ranked once over their answered items. (A
    # subquery correlated to each question rescans all their attempts for every question, and
    # joining the ranking in leaves SQLite scanning it once per question.)
    ranked = (
        select(
            QuizItem.question_id,
            QuizItem.correct,
            func.row_number()
            .over(partition_by=QuizItem.question_id, order_by=(QuizItem.answered_at.desc(), QuizItem.id.desc()))
            .label("rank"),
        )
        .join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
        .where(QuizAttempt.user_id == user.id, QuizItem.answered_at.is_not(None))
        .subquery()
    )
    last_correct = dict(session.execute(select(ranked.c.question_id, ranked.c.correct).where(ranked.c.rank == 1)).all())
    rows = session.execute(
        select(
            Question.id,
            Topic.slug,
            Question.source,
            ReviewCard.id,
            ReviewCard.due,
            ReviewCard.lapses,
            ReviewCard.difficulty,
        )
        .select_from(Question)
        .join(Topic, Topic.id == Question.topic_id)
        .outerjoin(ReviewCard, (ReviewCard.question_id == Question.id) & (ReviewCard.user_id == user.id))
        .where(Question.status == Status.ACTIVE, Topic.slug.in_(topics))
    )
    return [
        quiz_domain.Candidate(
            question_id=question_id,
            topic=topic,
            due=due is not None and due <= now,
            weak=quiz_domain.is_weak(lapses, difficulty, last_correct.get(question_id)),
            seen=card_id is not None,
            fact=fact,
        )
        for question_id, topic, fact, card_id, due, lapses, difficulty in rows
    ]


def get_attempt(session: DbSession, attempt_id: int, user: User) -> QuizAttempt:
    """Load one of the student's attempts with its items and the version each item asked.

    Two queries. An item's question (for its source fact) loads when used.

    Raises:
        NotFound: if there is no such attempt or it is someone else's; the
            two are not told apart.
    """
    attempt = session.scalar(
        select(QuizAttempt)
        .where(QuizAttempt.id == attempt_id, QuizAttempt.user_id == user.id)
        .options(selectinload(QuizAttempt.items).joinedload(QuizItem.asked, innerjoin=True))
    )
    if attempt is None:
        raise NotFound(NO_SUCH_ATTEMPT)
    return attempt


def unfinished_attempts(session: DbSession, user: User, limit: int = 5) -> list[QuizAttempt]:
    """The student's quizzes left half way, most recent first."""
    return list(
        session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.finished_at.is_(None))
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class AttemptItems:
    """An attempt and the items a page about one of its questions needs, not all of them.

    Attributes:
        attempt: the attempt; its ``items`` load only if read.
        current: the first unanswered item, None once every question is answered.
        at_position: the item at the position asked for, None when no position
            was asked for or the attempt has none there.
    """

    attempt: QuizAttempt
    current: QuizItem | None
    at_position: QuizItem | None


def attempt_items(session: DbSession, attempt_id: int, user: User, position: int | None = None) -> AttemptItems:
    """One of the student's attempts with its current item and the item at ``position``.

    One query however long the quiz; each item comes with the version it asked.

    Raises:
        NotFound: if there is no such attempt or it is someone else's.
    """
    if position is not None and not 1 <= position <= quiz_domain.MAX_LENGTH:
        position = None  # no item is there; a posted number beyond the database's integers must not reach it
    rows = session.execute(
        _ATTEMPT_AND_ITEMS, {"attempt_id": attempt_id, "user_id": user.id, "position": position}
    ).all()
    if not rows:
        raise NotFound(NO_SUCH_ATTEMPT)
    attempt = rows[0][0]
    items = [item for _, item in rows if item is not None]
    # At most two items: the first unanswered one, and the one at `position` (answered or later).
    current = min((item for item in items if item.answered_at is None), key=attrgetter("position"), default=None)
    at_position = next((item for item in items if item.position == position), None)
    return AttemptItems(attempt, current, at_position)


# Built once, with bind parameters: building these statements took longer than running them.
_FIRST_UNANSWERED = (
    select(func.min(QuizItem.position))
    .where(QuizItem.attempt_id == bindparam("attempt_id"), QuizItem.answered_at.is_(None))
    .scalar_subquery()
)
# The attempt, once per item wanted; the item is None when none matches.
_ATTEMPT_AND_ITEMS = (
    select(QuizAttempt, QuizItem)
    .outerjoin(
        QuizItem,
        and_(
            QuizItem.attempt_id == QuizAttempt.id,
            or_(
                QuizItem.position == _FIRST_UNANSWERED,
                QuizItem.position == bindparam("position"),  # NULL when no position was asked for
            ),
        ),
    )
    .where(QuizAttempt.id == bindparam("attempt_id"), QuizAttempt.user_id == bindparam("user_id"))
    .options(joinedload(QuizItem.asked))
)
# The two writes of an answer are Core statements on the tables: they need nothing of
# the ORM, whose bookkeeping for an UPDATE cost more than the SQL.
_items = table_of(QuizItem)
_attempts = table_of(QuizAttempt)
# The item's answer, written only while it has none (a replayed POST writes nothing).
_CLAIM_ITEM = (
    update(_items)
    .where(_items.c.id == bindparam("item_id"), _items.c.answered_at.is_(None))
    .values({name: bindparam(name) for name in ANSWER_FIELDS})
)
# Counts the answer and, for the last one, finishes the attempt (SET sees the old values).
_COUNT_ANSWER = (
    update(_attempts)
    .where(_attempts.c.id == bindparam("attempt_id"))
    .values(
        answered_count=_attempts.c.answered_count + 1,
        correct_count=_attempts.c.correct_count + bindparam("correct_points"),
        finished_at=case(
            (
                and_(_attempts.c.finished_at.is_(None), _attempts.c.answered_count + 1 >= _attempts.c.length),
                bindparam("now", type_=_attempts.c.finished_at.type),
            ),
            else_=_attempts.c.finished_at,
        ),
    )
)


def mark_shown(item: QuizItem, now: datetime) -> None:
    """Start the item's clock the first time it is shown (not committed)."""
    if item.shown_at is None:
        item.shown_at = now


def answer(
    session: DbSession,
    attempt_id: int,
    user: User,
    position: int,
    response: Response | str,
    now: datetime,
    *,
    language: Language = DEFAULT_LANGUAGE,
) -> QuizItem:
    """Grade and record the student's answer to one question (not committed).

    :func:`record_answer` on the attempt's items as :func:`attempt_items` loads them.

    Raises:
        NotFound: for someone else's or a missing attempt, or no such position.
        QuizFinished, AnswerRefused, ReviewConflict: as :func:`record_answer`.
    """
    loaded = attempt_items(session, attempt_id, user, position)
    return record_answer(session, loaded, user, response, now, language=language)


def record_answer(
    session: DbSession,
    loaded: AttemptItems,
    user: User,
    response: Response | str,
    now: datetime,
    *,
    language: Language = DEFAULT_LANGUAGE,
) -> QuizItem:
    """Grade and record the answer to ``loaded.at_position`` (not committed).

    The answer is graded in ``language``, the language the student reads the question in (its
    own when it has no translation), and what the question's other languages accept counts too;
    an option counts by its position, whichever language it was chosen in.

    Idempotent: the item is written only while it is still unanswered, checked
    in the UPDATE itself, so a double click, the back button or a replayed
    POST records nothing more and the stored item is returned as it was.
    The answer becomes an FSRS review (:func:`scheduling.rating_for_quiz_score`).
    The last answer finishes the attempt. A response the question cannot read
    at all (no date in it, no number) records nothing: the student is asked again.

    Raises:
        NotFound: if the attempt has no item at the position.
        QuizFinished: if the attempt is already finished; nothing is recorded.
        AnswerRefused: if the response is longer than MAX_RESPONSE_LENGTH or an
            earlier question is still unanswered.
        UnreadableAnswer: the response cannot be read (its reason says how to write it).
        ReviewConflict: the student's card for the question kept changing
            under this answer; the caller rolls back and the student resends.
    """
    attempt, item = loaded.attempt, loaded.at_position
    if attempt.finished_at is not None:
        raise QuizFinished(QUIZ_FINISHED)
    if item is None:
        raise NotFound(N_("There is no such question in this quiz."))
    if item.answered_at is not None:
        return item
    if item is not loaded.current:
        raise AnswerRefused(N_("Please answer the questions in order."))

    read_in = wordings(item.asked, language)
    parts = options_in([response] if isinstance(response, str) else list(response), read_in)
    try:
        verdict = grade_in(read_in, parts)
    except ResponseTooLong:
        raise AnswerRefused(
            N_("That answer is too long: at most %(count)d characters."), count=MAX_RESPONSE_LENGTH
        ) from None
    if verdict.retry:
        raise UnreadableAnswer(verdict.feedback, f"{verdict.feedback}. Your answer was not counted: try again.")
    duration = quiz_domain.answer_duration(item.shown_at, now)

    # The response as given, and the language it was given in (shown back marked as such).
    details: dict[str, object] = {"response": parts, "language": read_in[0].language.value}
    if verdict.comment:
        details["comment"] = verdict.comment
    written = {
        "response": kind_of(read_in[0].type).response_text(read_in[0], parts),
        "correct": verdict.correct,
        "score": verdict.score,
        "feedback": verdict.feedback,
        "details": details,
        "answered_at": now,
        "duration_ms": None if duration is None else duration // timedelta(milliseconds=1),
    }
    claimed = session.execute(_CLAIM_ITEM, {"item_id": item.id, **written})
    if rows_changed(claimed) != 1:  # another request answered it first
        session.refresh(item, ANSWER_FIELDS)
        return item
    session.execute(_COUNT_ANSWER, {"attempt_id": attempt.id, "correct_points": int(verdict.correct), "now": now})
    rating = scheduling.rating_for_quiz_score(verdict.score, duration or timedelta(0))
    record_review(session, user, item.question_id, rating, now, source=ReviewSource.QUIZ, duration=duration)
    # Written by the UPDATEs above: the item and the attempt read it back when next read.
    session.expire(item, ANSWER_FIELDS)
    session.expire(attempt, ["answered_count", "correct_count", "finished_at"])
    return item


@dataclass(frozen=True)
class TopicScore:
    slug: str
    name: str
    correct: int
    answered: int
    total: int


@dataclass(frozen=True)
class QuizResults:
    """The summary of an attempt.

    Attributes:
        correct: questions answered right.
        points: the points earned, partial credit included.
        answered: questions answered.
        total: questions in the quiz.
        duration: from start to finish, None while unfinished.
        topics: the score per topic, in the app's topic order.
        items: every item, in quiz order.
        mistakes: the items answered wrong, in quiz order.
    """

    correct: int
    points: float
    answered: int
    total: int
    duration: timedelta | None
    topics: list[TopicScore]
    items: list[QuizItem]
    mistakes: list[QuizItem]

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.total) if self.total else 0


def results(session: DbSession, attempt: QuizAttempt) -> QuizResults:
    """Score, time taken, per-topic breakdown, every question and the mistakes of a loaded attempt."""
    rows = session.execute(
        select(
            Topic.slug,
            Topic.name,
            func.count(case((QuizItem.correct.is_(True), 1))),
            func.count(QuizItem.answered_at),
            func.count(QuizItem.id),
        )
        .select_from(QuizItem)
        .join(Question, Question.id == QuizItem.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(QuizItem.attempt_id == attempt.id)
        .group_by(Topic.slug, Topic.name)
    )
    order = {slug: index for index, slug in enumerate(all_topics(session))}
    topics = sorted(
        (TopicScore(*row) for row in rows), key=lambda score: (order.get(score.slug, len(order)), score.slug)
    )
    duration = attempt.finished_at - attempt.started_at if attempt.finished_at is not None else None
    return QuizResults(
        correct=attempt.correct_count,
        points=sum(item.score or 0.0 for item in attempt.items),
        answered=attempt.answered_count,
        total=len(attempt.items),
        duration=duration,
        topics=topics,
        items=list(attempt.items),
        mistakes=[item for item in attempt.items if item.correct is False],  # partly right ones too
    )
