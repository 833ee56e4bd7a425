"""The teacher's gradebook of a class: each student's reviews, true retention, mastery, at-risk flags,
assignments, and the class's leeches; sorted on the server.

Every number comes from a fixed handful of queries however many students the
class has: sums and counts are GROUP BY aggregates; the only per-row fetch is
the class's cards for the mastery trend, still one query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import methodcaller
from zoneinfo import ZoneInfo

from flask_babel import format_percent, gettext
from sqlalchemy import Select, and_, bindparam, func, select

from quizapp.domain import scheduling
from quizapp.domain.classes import (
    AT_RISK_INACTIVE_DAYS,
    AT_RISK_RETENTION,
    MASTERY_TREND_DAYS,
    AtRiskReason,
    DeadlineWork,
    at_risk_reasons,
    mastered_at,
    sorted_none_last,
)
from quizapp.domain.days import DayCount, day_bounds, local_date, ratio
from quizapp.domain.languages import Language
from quizapp.models import (
    Assignment,
    Membership,
    Question,
    QuestionVersion,
    QuizAttempt,
    ReviewCard,
    ReviewLog,
    SchoolClass,
    Status,
    Topic,
    User,
)
from quizapp.services import DbSession
from quizapp.services.bank import is_current_version
from quizapp.services.progress import (
    TopicMastery,
    count_if,
    counts_per_day,
    day_parameters,
    is_mastered_at,
    retention_reviews,
)

ACTIVITY_WINDOW = timedelta(days=7)  # "reviews in the last 7 days"
ACTIVITY_DAYS = 14  # days in the activity chart


def at_risk_text(reason: AtRiskReason) -> str:
    """Why a student is at risk, as the teacher reads it in the gradebook and its CSV."""
    if reason is AtRiskReason.INACTIVE:
        return gettext("no review for %(days)d days or more", days=AT_RISK_INACTIVE_DAYS)
    if reason is AtRiskReason.MASTERY_FALLING:
        return gettext("fewer questions mastered than %(days)d days ago", days=MASTERY_TREND_DAYS)
    return gettext("remembers under %(share)s of the cards due", share=format_percent(AT_RISK_RETENTION))


@dataclass(frozen=True)
class TopicTotal:
    slug: str
    name: str
    questions: int  # active questions


@dataclass(frozen=True)
class AssignmentScore(DeadlineWork):
    """One student's attempt at one assignment."""

    attempt_id: int
    answered: int
    correct: int
    questions: int
    finished_at: datetime | None
    due_at: datetime


@dataclass(frozen=True)
class AssignmentSummary:
    """An assignment with how far the class got."""

    id: int
    title: str
    topics: list[str]
    length: int
    due_at: datetime
    started: int
    finished: int
    mean_score: float | None  # over finished attempts

    def overdue(self, now: datetime) -> bool:
        return self.due_at < now


@dataclass(frozen=True)
class StudentProgress:
    """One row of the gradebook.

    Attributes:
        reviews_week: reviews in the last 7 days.
        retention: true retention over the last 30 days (see
            :data:`quizapp.templating.TRUE_RETENTION_DEFINITION`); None without such
            reviews. ``retention_reviews`` says how many.
        mastered: per topic slug, active questions mastered now
            (:func:`scheduling.is_mastered`).
        met: per topic slug, active questions the student has met (a card).
        mastery: ``mastered_total`` over the questions met.
        cards: the student's cards on active questions (questions met).
        last_active: the latest review (quiz answers are reviews too).
        mastered_week_ago: cards mastered MASTERY_TREND_DAYS days ago.
        at_risk: why the student needs attention, empty when they don't.
        assignments: this class's assignments the student started, by id.
    """

    student_id: int
    username: str
    joined_at: datetime
    reviews_week: int
    retention: float | None
    retention_reviews: int
    mastered: dict[str, int]
    met: dict[str, int]
    mastered_total: int
    mastery: float | None
    cards: int
    last_active: datetime | None
    mastered_week_ago: int
    at_risk: tuple[AtRiskReason, ...]
    assignments: dict[int, AssignmentScore] = field(default_factory=dict)

    @property
    def finished_assignments(self) -> int:
        return sum(1 for score in self.assignments.values() if score.finished)

    def topic_share(self, topic: TopicTotal) -> float | None:
        """Mastered of the topic's questions met."""
        return ratio(self.mastered.get(topic.slug, 0), self.met.get(topic.slug, 0))

    @property
    def at_risk_text(self) -> str:
        return "; ".join(at_risk_text(reason) for reason in self.at_risk)


@dataclass(frozen=True)
class ClassOverview:
    """Everything the class overview and the gradebook CSV show.

    Attributes:
        topics: topics with their number of active questions, in app order.
        students: one row per member, by username.
        assignments: the class's assignments, by due date.
        topic_mastery: per topic, mastered questions summed over the class
            out of the questions its students have met.
        activity: reviews by the class on each of the last ACTIVITY_DAYS local
            days of the teacher, oldest first, today last.
    """

    school_class: SchoolClass
    now: datetime
    topics: list[TopicTotal]
    students: list[StudentProgress]
    assignments: list[AssignmentSummary]
    topic_mastery: list[TopicMastery]
    activity: list[DayCount]


def class_overview(session: DbSession, school_class: SchoolClass, now: datetime, tz: ZoneInfo) -> ClassOverview:
    """The class's gradebook at ``now`` in nine queries, whatever its size.

    Mastery and true retention are counted in SQL with the definitions of
    :mod:`quizapp.domain.scheduling`; the mastery trend is :func:`_mastered_week_ago`.

    Args:
        tz: the teacher's time zone, which decides the activity chart's days.
    """
    members = select(Membership.student_id).where(Membership.class_id == school_class.id)
    reviews = _review_figures(session, members, now)  # 2.
    topics = _topics(session)  # 3.
    met, mastered = _met_and_mastered(session, members, now)  # 4.
    mastered_before = _mastered_week_ago(session, members, now)  # 5, 6.
    assignments, scores = _assignments_and_scores(session, school_class, members)  # 8, 9.
    students = [
        _student_progress(
            student_id,
            username,
            joined_at,
            now,
            reviews.get(student_id, (0, 0, 0, None)),
            met.get(student_id, {}),
            mastered.get(student_id, {}),
            mastered_before.get(student_id, 0),
            scores.get(student_id, {}),
        )
        for student_id, username, joined_at in _members(session, school_class)  # 1.
    ]
    return ClassOverview(
        school_class=school_class,
        now=now,
        topics=topics,
        students=students,
        assignments=[_assignment_summary(assignment, scores) for assignment in assignments],
        topic_mastery=[
            TopicMastery(
                topic.slug,
                topic.name,
                sum(row.mastered.get(topic.slug, 0) for row in students),
                sum(row.met.get(topic.slug, 0) for row in students),
                topic.questions * len(students),
            )
            for topic in topics
        ],
        activity=_activity(session, school_class, now, tz),  # 7.
    )


Members = Select[int]


def _members(session: DbSession, school_class: SchoolClass) -> list[tuple[int, str, datetime]]:
    """The students of the class, by username: id, username, when they joined."""
    return [
        (student_id, username, joined_at)
        for student_id, username, joined_at in session.execute(
            select(User.id, User.username, Membership.joined_at)
            .join(Membership, Membership.student_id == User.id)
            .where(Membership.class_id == school_class.id)
            .order_by(User.username)
        )
    ]


def _review_figures(
    session: DbSession, members: Members, now: datetime
) -> dict[int, tuple[int, int, int, datetime | None]]:
    """Per student: reviews this week, reviews in true retention and those recalled, last review."""
    week_ago, month_ago = now - ACTIVITY_WINDOW, now - scheduling.TRUE_RETENTION_WINDOW
    rows = session.execute(
        select(
            ReviewLog.user_id,
            count_if(ReviewLog.reviewed_at >= week_ago),
            *retention_reviews(month_ago),
            func.max(ReviewLog.reviewed_at),
        )
        .where(ReviewLog.user_id.in_(members), ReviewLog.reviewed_at <= now)
        .group_by(ReviewLog.user_id)
    )
    return {user_id: (week, total, recalled, last) for user_id, week, total, recalled, last in rows}


def _topics(session: DbSession) -> list[TopicTotal]:
    """The topics with their active questions, in app order."""
    return [
        TopicTotal(slug, name, total)
        for slug, name, total in session.execute(
            select(Topic.slug, Topic.name, func.count(Question.id))
            .outerjoin(Question, and_(Question.topic_id == Topic.id, Question.status == Status.ACTIVE))
            .group_by(Topic.id, Topic.slug, Topic.name)
            .order_by(Topic.id)
        )
    ]


def _met_and_mastered(
    session: DbSession, members: Members, now: datetime
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """Per student and topic slug: the active questions met, and those mastered now."""
    met: dict[int, dict[str, int]] = defaultdict(dict)
    mastered: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, slug, cards, mastered_count in session.execute(
        select(ReviewCard.user_id, Topic.slug, func.count(ReviewCard.id), count_if(is_mastered_at(now)))
        .join(Question, Question.id == ReviewCard.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(ReviewCard.user_id.in_(members), Question.status == Status.ACTIVE)
        .group_by(ReviewCard.user_id, Topic.slug)
    ):
        met[user_id][slug] = cards
        mastered[user_id][slug] = mastered_count
    return met, mastered


def _mastered_week_ago(session: DbSession, members: Members, now: datetime) -> dict[int, int]:
    """Per student: cards mastered MASTERY_TREND_DAYS ago (see :func:`quizapp.domain.classes.mastered_at`).

    A card not reviewed since then still has the state it had then, so those
    are counted in SQL (the ``stable_until`` column). For a card reviewed
    since, the state it had then is the ``state_before`` of its first review
    since then, found with a ROW_NUMBER() window (SQLite 3.25+, PostgreSQL)
    over the members' recent logs and read here.
    """
    trend_start = now - timedelta(days=MASTERY_TREND_DAYS)
    reviewed_since = ReviewCard.id.in_(
        select(ReviewLog.card_id).where(ReviewLog.user_id.in_(members), ReviewLog.reviewed_at >= trend_start)
    )
    mastered: dict[int, int] = defaultdict(int)
    for user_id, count in session.execute(
        select(ReviewCard.user_id, func.count(ReviewCard.id))
        .join(Question, Question.id == ReviewCard.question_id)
        .where(
            ReviewCard.user_id.in_(members),
            Question.status == Status.ACTIVE,
            is_mastered_at(trend_start),
            ~reviewed_since,
        )
        .group_by(ReviewCard.user_id)
    ):
        mastered[user_id] = count
    ranked = (
        select(
            ReviewLog.user_id,
            ReviewLog.state_before,
            func.row_number()
            .over(partition_by=ReviewLog.card_id, order_by=(ReviewLog.reviewed_at, ReviewLog.id))
            .label("rank"),
        )
        .join(Question, Question.id == ReviewLog.question_id)
        .where(ReviewLog.user_id.in_(members), ReviewLog.reviewed_at >= trend_start, Question.status == Status.ACTIVE)
        .subquery()
    )
    for user_id, state_before in session.execute(
        select(ranked.c.user_id, ranked.c.state_before).where(ranked.c.rank == 1)
    ):
        before = scheduling.card_summary(state_before) if state_before is not None else None
        if mastered_at(
            trend_start,
            current_stability=None,  # not read: the card was reviewed since
            current_last_review=None,
            reviewed_since=True,
            stability_before=before.stability if before is not None else None,
            last_review_before=before.last_review if before is not None else None,
        ):
            mastered[user_id] += 1
    return mastered


_ACTIVITY = select(*counts_per_day(ReviewLog.reviewed_at, range(ACTIVITY_DAYS))).where(
    ReviewLog.user_id.in_(select(Membership.student_id).where(Membership.class_id == bindparam("class_id"))),
    ReviewLog.reviewed_at >= bindparam("day_0_start"),
)


def _activity(session: DbSession, school_class: SchoolClass, now: datetime, tz: ZoneInfo) -> list[DayCount]:
    """Reviews by the class on each of the last ACTIVITY_DAYS local days of ``tz``, oldest first."""
    today = local_date(now, tz)
    days = [day_bounds(today - timedelta(days=offset), tz) for offset in range(ACTIVITY_DAYS - 1, -1, -1)]
    counts = session.execute(_ACTIVITY, {"class_id": school_class.id, **day_parameters(days)}).one()
    return [DayCount(day.day, count) for day, count in zip(days, counts, strict=True)]


def _assignments_and_scores(
    session: DbSession, school_class: SchoolClass, members: Members
) -> tuple[list[Assignment], dict[int, dict[int, AssignmentScore]]]:
    """The class's assignments by due date, and each member's attempts by assignment id."""
    assignments = list(
        session.scalars(
            select(Assignment).where(Assignment.class_id == school_class.id).order_by(Assignment.due_at, Assignment.id)
        )
    )
    scores: dict[int, dict[int, AssignmentScore]] = defaultdict(dict)
    for user_id, assignment_id, attempt_id, answered, correct, questions, finished_at, due_at in session.execute(
        select(
            QuizAttempt.user_id,
            QuizAttempt.assignment_id,
            QuizAttempt.id,
            QuizAttempt.answered_count,
            QuizAttempt.correct_count,
            QuizAttempt.length,
            QuizAttempt.finished_at,
            Assignment.due_at,
        )
        .join(Assignment, Assignment.id == QuizAttempt.assignment_id)
        .where(Assignment.class_id == school_class.id, QuizAttempt.user_id.in_(members))
    ):
        assert assignment_id is not None  # joined to its assignment
        scores[user_id][assignment_id] = AssignmentScore(attempt_id, answered, correct, questions, finished_at, due_at)
    return assignments, scores


def _student_progress(
    student_id: int,
    username: str,
    joined_at: datetime,
    now: datetime,
    reviews: tuple[int, int, int, datetime | None],
    met: dict[str, int],
    mastered: dict[str, int],
    mastered_before: int,
    scores: dict[int, AssignmentScore],
) -> StudentProgress:
    week, retention_total, recalled, last_active = reviews
    mastered_now = sum(mastered.values())
    cards = sum(met.values())
    retention = ratio(recalled, retention_total)
    return StudentProgress(
        student_id=student_id,
        username=username,
        joined_at=joined_at,
        reviews_week=week,
        retention=retention,
        retention_reviews=retention_total,
        mastered=dict(mastered),
        met=dict(met),
        mastered_total=mastered_now,
        mastery=ratio(mastered_now, cards),
        cards=cards,
        last_active=last_active,
        mastered_week_ago=mastered_before,
        at_risk=at_risk_reasons(
            now=now,
            last_active=last_active,
            joined_at=joined_at,
            mastered_now=mastered_now,
            mastered_before=mastered_before,
            retention=retention,
            retention_reviews=retention_total,
        ),
        assignments=scores,
    )


def _assignment_summary(assignment: Assignment, scores: dict[int, dict[int, AssignmentScore]]) -> AssignmentSummary:
    attempts = [row[assignment.id] for row in scores.values() if assignment.id in row]
    finished = [attempt for attempt in attempts if attempt.finished]
    return AssignmentSummary(
        id=assignment.id,
        title=assignment.title,
        topics=list(assignment.topics),
        length=assignment.length,
        due_at=assignment.due_at,
        started=len(attempts),
        finished=len(finished),
        mean_score=(
            sum(attempt.correct for attempt in finished) / sum(attempt.questions for attempt in finished)
            if finished
            else None
        ),
    )


# --- leeches ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassLeech:
    """A card a student of the class kept forgetting, now set aside from their flashcards."""

    student_id: int
    username: str
    question_id: str
    prompt: str
    language: Language  # of the prompt
    lapses: int
    suspended_at: datetime | None


def class_leeches(session: DbSession, school_class: SchoolClass) -> list[ClassLeech]:
    """The leeches of the class's students, by student then most recent, in one query."""
    rows = session.execute(
        select(
            User.id,
            User.username,
            ReviewCard.question_id,
            QuestionVersion.prompt,
            QuestionVersion.language,
            ReviewCard.lapses,
            ReviewCard.suspended_at,
        )
        .join(Membership, and_(Membership.student_id == User.id, Membership.class_id == school_class.id))
        .join(ReviewCard, ReviewCard.user_id == User.id)
        .join(Question, Question.id == ReviewCard.question_id)
        .join(QuestionVersion, is_current_version())
        .where(ReviewCard.suspended_at.is_not(None), Question.status == Status.ACTIVE)
        .order_by(User.username, ReviewCard.suspended_at.desc())
    ).all()
    return [ClassLeech(*row) for row in rows]


# --- sorting ------------------------------------------------------------------------

SORT_COLUMNS = {
    "name": lambda row: row.username,
    "reviews": lambda row: row.reviews_week,
    "retention": lambda row: row.retention,
    "mastery": lambda row: row.mastery,
    "met": lambda row: row.cards,
    "last_active": lambda row: row.last_active,
    "at_risk": lambda row: len(row.at_risk),
    "assignments": lambda row: row.finished_assignments,
}
TOPIC_SORT_PREFIX = "topic-"
DEFAULT_SORT = "name"


def sort_students(
    overview: ClassOverview, sort: str | None, direction: str | None
) -> tuple[list[StudentProgress], str, bool]:
    """The gradebook rows sorted by a whitelisted column.

    Columns are the keys of SORT_COLUMNS, or ``topic-<slug>`` for one topic's
    mastery. Anything else sorts by name. Students without a value (no
    reviews, no cards) come last either way; ties stay in name order.

    Returns:
        The rows, the column actually used, and whether descending.
    """
    topics = {topic.slug: topic for topic in overview.topics}
    if sort in SORT_COLUMNS:
        key = SORT_COLUMNS[sort]
    elif sort and sort.startswith(TOPIC_SORT_PREFIX) and sort.removeprefix(TOPIC_SORT_PREFIX) in topics:
        topic = topics[sort.removeprefix(TOPIC_SORT_PREFIX)]
        key = methodcaller("topic_share", topic)
    else:
        sort, key = DEFAULT_SORT, SORT_COLUMNS[DEFAULT_SORT]
    descending = direction == "desc"
    return sorted_none_last(overview.students, key, descending), sort, descending
