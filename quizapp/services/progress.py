"""A student's own progress, aggregated in SQL: the dashboard and the weakest questions.

Every number on the dashboard comes from a fixed handful of queries (GROUP BY,
COUNT, CASE), however many cards or reviews the student has. Day bounds come
from :mod:`quizapp.domain.days`, in the student's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, bindparam, case, func, select

from quizapp.domain.days import DayBounds, DayCount, forecast_days, ratio, streak
from quizapp.domain.languages import DEFAULT_LANGUAGE, Language
from quizapp.domain.question_types import wording
from quizapp.domain.scheduling import MASTERY_STABILITY_DAYS, TRUE_RETENTION_WINDOW
from quizapp.models import Question, QuestionVersion, QuizAttempt, ReviewCard, ReviewLog, Status, Topic, User
from quizapp.services import DbSession
from quizapp.services.bank import is_current_version

__all__ = [
    "FORECAST_DAYS",
    "STREAK_WINDOW",
    "AttemptSummary",
    "Dashboard",
    "TopicMastery",
    "WeakQuestion",
    "count_if",
    "counts_per_day",
    "day_parameters",
    "is_mastered_at",
    "retention_reviews",
    "student_dashboard",
    "weakest_questions",
]

FORECAST_DAYS = 7
# Review times fetched to compute the streak; a longer streak shows as this long.
STREAK_WINDOW = timedelta(days=400)
# Review times read by the streak's first query (about a day's reviews); each next query reads
# STREAK_GROWTH times more, so even a long streak takes a handful of queries.
STREAK_FIRST_PAGE = 64
STREAK_GROWTH = 4
RECENT_ATTEMPTS = 8


@dataclass(frozen=True)
class TopicMastery:
    """How many of a topic's active questions are mastered, of those met.

    Attributes:
        mastered: questions mastered now (:func:`scheduling.is_mastered`).
        met: questions met so far (those with a card), in quizzes or flashcards.
        total: the topic's active questions.
    """

    slug: str
    name: str
    mastered: int
    met: int
    total: int

    @property
    def share(self) -> float | None:
        """Mastered of the questions met; None before any is met."""
        return ratio(self.mastered, self.met)


@dataclass(frozen=True)
class AttemptSummary:
    id: int
    started_at: datetime
    finished_at: datetime | None
    length: int
    answered: int
    correct: int

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def score(self) -> float | None:
        """Share of the quiz's questions answered right."""
        return ratio(self.correct, self.length)


@dataclass(frozen=True)
class Dashboard:
    """Everything the student's dashboard shows.

    Attributes:
        today: the student's local date.
        due_now: cards due at this moment.
        due_today: cards due by the end of the student's day, overdue included.
        forecast: cards due on today (overdue included) and each of the next
            FORECAST_DAYS local days; ``forecast[0].count == due_today``.
        cards: how many cards (questions seen) the student has.
        reviews_today: reviews since the student's local midnight.
        streak: consecutive local days with a review, ending today or yesterday.
        mastery: per topic, in topic order.
        retention: true retention over the last 30 days
            (:data:`quizapp.templating.TRUE_RETENTION_DEFINITION`); None without such reviews.
        retention_reviews: how many reviews of due cards it is over.
        recent_attempts: the latest quizzes, newest first.
    """

    today: date
    due_now: int
    due_today: int
    forecast: list[DayCount]
    cards: int
    reviews_today: int
    streak: int
    mastery: list[TopicMastery]
    retention: float | None
    retention_reviews: int
    recent_attempts: list[AttemptSummary]

    @property
    def mastered(self) -> int:
        return sum(topic.mastered for topic in self.mastery)

    @property
    def is_new(self) -> bool:
        """Nothing studied yet: no card and no quiz."""
        return not self.cards and not self.recent_attempts


@dataclass(frozen=True)
class WeakQuestion:
    """A question the student struggles with, and their record on it."""

    question_id: str
    topic: str
    prompt: str
    answer: str
    reviews: int
    lapses: int
    agains: int
    difficulty: float | None
    stability: float | None
    due: datetime
    language: Language = DEFAULT_LANGUAGE  # of the prompt and answer


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END), 0 on no rows."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def is_mastered_at(moment: datetime) -> ColumnElement[bool]:
    """:func:`quizapp.domain.scheduling.is_mastered` of a ReviewCard's current state at ``moment``, in SQL."""
    return and_(ReviewCard.stability >= MASTERY_STABILITY_DAYS, ReviewCard.stable_until >= moment)


def retention_reviews(since: datetime) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Aggregates over ReviewLog rows: reviews entering true retention since ``since``, and those recalled.

    :func:`quizapp.domain.scheduling.counts_for_true_retention` and
    :func:`~quizapp.domain.scheduling.recalled`, in SQL.
    """
    counted = and_(ReviewLog.reviewed_at >= since, ReviewLog.prior_state == "review", ReviewLog.was_due)
    return count_if(counted), count_if(and_(counted, ReviewLog.rating > 1))


def counts_per_day(
    moment: SQLColumnExpression[datetime], days: range, *also: ColumnElement[bool]
) -> list[ColumnElement[int]]:
    """For each day index ``i``, the rows whose ``moment`` is in [day_<i>_start, day_<i>_end), as bound parameters.

    Statements built with it once per process run with :func:`day_parameters`; built per request,
    their many CASE sums cost more to build than to run.
    """
    return [
        count_if(and_(*also, moment >= bindparam(f"day_{i}_start"), moment < bindparam(f"day_{i}_end"))) for i in days
    ]


def day_parameters(days: Sequence[DayBounds]) -> dict[str, datetime]:
    """The bounds of :func:`counts_per_day`'s days."""
    bounds = {f"day_{index}_start": day.start for index, day in enumerate(days)}
    return bounds | {f"day_{index}_end": day.end for index, day in enumerate(days)}


def _card_counts(days: int) -> Select[*tuple[int, ...]]:
    """The dashboard's card counts: all, due now, due today (overdue included), due on each following day.

    Parameters: user_id, now and :func:`day_parameters` of today and the following days.
    """
    studied = ReviewCard.suspended_at.is_(None)
    return (
        select(
            func.count(ReviewCard.id),
            count_if(and_(studied, ReviewCard.due <= bindparam("now"))),
            count_if(and_(studied, ReviewCard.due < bindparam("day_0_end"))),
            *counts_per_day(ReviewCard.due, range(1, days), studied),
        )
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == bindparam("user_id"), Question.status == Status.ACTIVE)
    )


_CARD_COUNTS = _card_counts(FORECAST_DAYS + 1)


def student_dashboard(session: DbSession, user: User, now: datetime) -> Dashboard:
    """The student's dashboard at ``now``, in five queries (a long streak reads its times in a few)."""
    tz = ZoneInfo(user.timezone)
    days = forecast_days(now, tz, FORECAST_DAYS)
    day_start = days[0].start

    # 1. Cards: due now, due today, due on each following day (leeches set aside are not due).
    card_counts = session.execute(_CARD_COUNTS, {"user_id": user.id, "now": now, **day_parameters(days)}).one()
    cards, due_now, due_today, *later = card_counts
    forecast = [DayCount(days[0].day, due_today)] + [
        DayCount(day.day, count) for day, count in zip(days[1:], later, strict=True)
    ]

    # 2. Reviews today and true retention over the last 30 days.
    month_ago = now - TRUE_RETENTION_WINDOW
    reviews_today, retention_total, retention_recalled = session.execute(
        select(count_if(ReviewLog.reviewed_at >= day_start), *retention_reviews(month_ago)).where(
            ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= min(day_start, month_ago)
        )
    ).one()

    # 3. Streak: local days are hard to group portably in SQL, so the times are read newest first,
    # a page at a time, and only up to the first missed day.
    days_in_a_row = streak(_review_times_newest_first(session, user.id, now - STREAK_WINDOW), now, tz)

    return Dashboard(
        today=days[0].day,
        due_now=due_now,
        due_today=due_today,
        forecast=forecast,
        cards=cards,
        reviews_today=reviews_today,
        streak=days_in_a_row,
        mastery=mastery_by_topic(session, user, now),  # 4.
        retention=ratio(retention_recalled, retention_total),
        retention_reviews=retention_total,
        recent_attempts=recent_attempts(session, user),  # 5.
    )


_STREAK_PAGE = (
    select(ReviewLog.reviewed_at)
    .where(
        ReviewLog.user_id == bindparam("user_id"),
        ReviewLog.reviewed_at >= bindparam("since"),
        ReviewLog.reviewed_at < bindparam("before"),
    )
    .order_by(ReviewLog.reviewed_at.desc())
    .limit(bindparam("page_size"))
)


def _review_times_newest_first(session: DbSession, user_id: int, since: datetime) -> Iterator[datetime]:
    """The user's review times from ``since`` on, newest first, read lazily in growing pages.

    Pages are plain LIMIT queries below the last time read, not a server-side cursor: a cursor
    left open by a connection that drops mid-read (a database restart) is never cleaned up.
    Times equal to a page's last one are skipped, which no count of days can notice.
    """
    before = datetime.max.replace(tzinfo=UTC)
    page_size = STREAK_FIRST_PAGE
    while True:
        page = session.scalars(
            _STREAK_PAGE, {"user_id": user_id, "since": since, "before": before, "page_size": page_size}
        ).all()
        yield from page
        if len(page) < page_size:
            return
        before = page[-1]
        page_size *= STREAK_GROWTH


def mastery_by_topic(session: DbSession, user: User, now: datetime) -> list[TopicMastery]:
    """Per topic: active questions, those the student has met, and those mastered at ``now``."""
    rows = session.execute(
        select(
            Topic.slug,
            Topic.name,
            func.count(Question.id),
            func.count(ReviewCard.id),
            count_if(is_mastered_at(now)),
        )
        .outerjoin(Question, and_(Question.topic_id == Topic.id, Question.status == Status.ACTIVE))
        .outerjoin(ReviewCard, and_(ReviewCard.question_id == Question.id, ReviewCard.user_id == user.id))
        .group_by(Topic.id, Topic.slug, Topic.name)
        .order_by(Topic.id)
    ).all()
    return [TopicMastery(slug, name, mastered, met, total) for slug, name, total, met, mastered in rows]


def recent_attempts(session: DbSession, user: User, limit: int = RECENT_ATTEMPTS) -> list[AttemptSummary]:
    """The student's latest quiz attempts, newest first."""
    rows = session.execute(
        select(
            QuizAttempt.id,
            QuizAttempt.started_at,
            QuizAttempt.finished_at,
            QuizAttempt.length,
            QuizAttempt.answered_count,
            QuizAttempt.correct_count,
        )
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        .limit(limit)
    ).all()
    return [AttemptSummary(*row) for row in rows]


def weakest_questions(
    session: DbSession, user: User, limit: int = 20, *, language: Language = DEFAULT_LANGUAGE
) -> list[WeakQuestion]:
    """The student's cards on active questions, weakest first, in one query.

    Ranked by lapses (most first), then difficulty (highest first), then
    stability (lowest first); the question id breaks ties. Each question reads
    in ``language`` when it is written in it.
    """
    logs = (
        select(ReviewLog.card_id, count_if(ReviewLog.rating == 1).label("agains"))
        .where(ReviewLog.user_id == user.id)
        .group_by(ReviewLog.card_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Question.id,
            Topic.name,
            QuestionVersion,
            ReviewCard.reviews,
            ReviewCard.lapses,
            func.coalesce(logs.c.agains, 0),
            ReviewCard.difficulty,
            ReviewCard.stability,
            ReviewCard.due,
        )
        .join(Question, Question.id == ReviewCard.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .join(QuestionVersion, is_current_version())
        .outerjoin(logs, logs.c.card_id == ReviewCard.id)
        .where(ReviewCard.user_id == user.id, Question.status == Status.ACTIVE)
        .order_by(
            ReviewCard.lapses.desc(),
            ReviewCard.difficulty.desc().nulls_last(),
            ReviewCard.stability.asc().nulls_last(),
            ReviewCard.question_id,
        )
        .limit(limit)
    ).all()
    weakest = []
    for question_id, topic, version, reviews, lapses, agains, difficulty, stability, due in rows:
        shown = wording(version, language)
        weakest.append(
            WeakQuestion(
                question_id,
                topic,
                shown.prompt,
                shown.answer,
                reviews,
                lapses,
                agains,
                difficulty,
                stability,
                due,
                language=shown.language,
            )
        )
    return weakest
