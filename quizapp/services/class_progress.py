"""What a teacher sees of a class: the gradebook, leeches, assignment results and item analysis.

Every page takes a fixed number of queries however many students the class
has: sums and counts are GROUP BY aggregates; the only per-row fetch is the
class's recently reviewed cards for the mastery trend (see
:func:`class_overview`), still one query.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from quizapp.domain import scheduling
from quizapp.domain.classes import (
    AT_RISK_TEXT,
    MASTERY_TREND_DAYS,
    AtRiskReason,
    DeadlineWork,
    at_risk_reasons,
    histogram_labels,
    mastered_at,
    score_histogram,
    sorted_none_last,
)
from quizapp.domain.days import DayCount, day_bounds, local_date, ratio, wall_clock
from quizapp.domain.formats.spreadsheet import formula_safe_cell
from quizapp.domain.stats import ItemStatistics, WrongAnswer, item_statistics, most_common_wrong_answers
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
    Status,
    Topic,
    User,
)
from quizapp.services.progress import TopicMastery, count_if, is_mastered_now, retention_reviews

__all__ = [
    "ACTIVITY_DAYS",
    "ACTIVITY_WINDOW",
    "SORT_COLUMNS",
    "AssignmentResults",
    "AssignmentScore",
    "AssignmentSummary",
    "ClassLeech",
    "ClassOverview",
    "ItemReport",
    "StudentAssignmentAttempt",
    "StudentProgress",
    "TopicTotal",
    "assignment_results",
    "class_leeches",
    "class_overview",
    "gradebook_csv",
    "item_analysis",
    "sort_students",
    "student_assignment_attempts",
]

ACTIVITY_WINDOW = timedelta(days=7)  # "reviews in the last 7 days"
ACTIVITY_DAYS = 14  # days in the activity chart
WRONG_ANSWERS_SHOWN = 3


# --- the gradebook ------------------------------------------------------------------


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
            :data:`scheduling.TRUE_RETENTION_DEFINITION`); None without such
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
        return "; ".join(AT_RISK_TEXT[reason] for reason in self.at_risk)


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


def class_overview(session: Session, school_class: SchoolClass, now: datetime, tz: ZoneInfo) -> ClassOverview:
    """The class's gradebook at ``now`` in nine queries, whatever its size.

    Mastery and true retention are counted in SQL with the definitions of
    :mod:`quizapp.domain.scheduling`. The mastery trend needs the state each
    card had 7 days ago: for a card reviewed since, the ``state_before`` of
    its first review since then, found with a ROW_NUMBER() window (SQLite
    3.25+, PostgreSQL); for the others, its current state.

    Args:
        tz: the teacher's time zone, which decides the activity chart's days.
    """
    class_id = school_class.id
    members = select(Membership.student_id).where(Membership.class_id == class_id)

    # 1. The students.
    student_rows = session.execute(
        select(User.id, User.username, Membership.joined_at)
        .join(Membership, Membership.student_id == User.id)
        .where(Membership.class_id == class_id)
        .order_by(User.username)
    ).all()

    # 2. Reviews this week, true retention over 30 days, last activity.
    week_ago, month_ago = now - ACTIVITY_WINDOW, now - scheduling.TRUE_RETENTION_WINDOW
    review_rows = session.execute(
        select(
            ReviewLog.user_id,
            count_if(ReviewLog.reviewed_at >= week_ago),
            *retention_reviews(month_ago),
            func.max(ReviewLog.reviewed_at),
        )
        .where(ReviewLog.user_id.in_(members), ReviewLog.reviewed_at <= now)
        .group_by(ReviewLog.user_id)
    ).all()
    reviews = {row[0]: row[1:] for row in review_rows}

    # 3. Topics and their active questions.
    topics = [
        TopicTotal(slug, name, total)
        for slug, name, total in session.execute(
            select(Topic.slug, Topic.name, func.count(Question.id))
            .outerjoin(Question, and_(Question.topic_id == Topic.id, Question.status == Status.ACTIVE))
            .group_by(Topic.id, Topic.slug, Topic.name)
            .order_by(Topic.id)
        )
    ]

    # 4. Questions met and mastered per student and topic.
    mastered: dict[int, dict[str, int]] = defaultdict(dict)
    met: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, slug, cards, mastered_count in session.execute(
        select(ReviewCard.user_id, Topic.slug, func.count(ReviewCard.id), count_if(is_mastered_now(now)))
        .join(Question, Question.id == ReviewCard.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(ReviewCard.user_id.in_(members), Question.status == Status.ACTIVE)
        .group_by(ReviewCard.user_id, Topic.slug)
    ):
        met[user_id][slug] = cards
        mastered[user_id][slug] = mastered_count

    # 5. Cards that may have been mastered a week ago (stable long enough then or now).
    trend_start = now - timedelta(days=MASTERY_TREND_DAYS)
    card_rows = session.execute(
        select(ReviewCard.id, ReviewCard.user_id, ReviewCard.stability, ReviewCard.last_review)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id.in_(members), Question.status == Status.ACTIVE)
    ).all()

    # 6. The state each card had before its first review since trend_start: a window over
    #    the members' recent logs (index on user_id, reviewed_at), one row per card reviewed.
    ranked = (
        select(
            ReviewLog.card_id,
            ReviewLog.state_before,
            func.row_number()
            .over(partition_by=ReviewLog.card_id, order_by=(ReviewLog.reviewed_at, ReviewLog.id))
            .label("rank"),
        )
        .where(ReviewLog.user_id.in_(members), ReviewLog.reviewed_at >= trend_start)
        .subquery()
    )
    first_state_since: dict[int, str | None] = {
        card_id: state_before
        for card_id, state_before in session.execute(
            select(ranked.c.card_id, ranked.c.state_before).where(ranked.c.rank == 1)
        )
    }

    mastered_before: dict[int, int] = defaultdict(int)
    for card_id, user_id, stability, last_review in card_rows:
        reviewed_since = card_id in first_state_since
        state_before = first_state_since.get(card_id)
        before = scheduling.card_summary(state_before) if state_before is not None else None
        if mastered_at(
            trend_start,
            current_stability=stability,
            current_last_review=last_review,
            reviewed_since=reviewed_since,
            stability_before=before.stability if before is not None else None,
            last_review_before=before.last_review if before is not None else None,
        ):
            mastered_before[user_id] += 1

    # 7. Reviews per local day.
    today = local_date(now, tz)
    days = [day_bounds(today - timedelta(days=offset), tz) for offset in range(ACTIVITY_DAYS - 1, -1, -1)]
    day_counts = session.execute(
        select(
            *(
                count_if(and_(ReviewLog.reviewed_at >= day.start, ReviewLog.reviewed_at < day.end))
                for day in days
            )
        ).where(ReviewLog.user_id.in_(members), ReviewLog.reviewed_at >= days[0].start)
    ).one()
    activity = [DayCount(day.day, count) for day, count in zip(days, day_counts, strict=True)]

    # 8. Assignments, and 9. the members' attempts at them.
    assignments = session.scalars(
        select(Assignment).where(Assignment.class_id == class_id).order_by(Assignment.due_at, Assignment.id)
    ).all()
    scores: dict[int, dict[int, AssignmentScore]] = defaultdict(dict)
    for (
        user_id,
        assignment_id,
        attempt_id,
        answered,
        correct,
        questions,
        finished_at,
        due_at,
    ) in session.execute(
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
        .where(Assignment.class_id == class_id, QuizAttempt.user_id.in_(members))
    ):
        scores[user_id][assignment_id] = AssignmentScore(
            attempt_id, answered, correct, questions, finished_at, due_at
        )

    students = []
    for student_id, username, joined_at in student_rows:
        week, retention_total, recalled, last_active = reviews.get(student_id, (0, 0, 0, None))
        per_topic = mastered.get(student_id, {})
        mastered_now = sum(per_topic.values())
        cards = sum(met.get(student_id, {}).values())
        retention = ratio(recalled, retention_total)
        students.append(
            StudentProgress(
                student_id=student_id,
                username=username,
                joined_at=joined_at,
                reviews_week=week,
                retention=retention,
                retention_reviews=retention_total,
                mastered=dict(per_topic),
                met=dict(met.get(student_id, {})),
                mastered_total=mastered_now,
                mastery=ratio(mastered_now, cards),
                cards=cards,
                last_active=last_active,
                mastered_week_ago=mastered_before.get(student_id, 0),
                at_risk=at_risk_reasons(
                    now=now,
                    last_active=last_active,
                    joined_at=joined_at,
                    mastered_now=mastered_now,
                    mastered_before=mastered_before.get(student_id, 0),
                    retention=retention,
                    retention_reviews=retention_total,
                ),
                assignments=scores.get(student_id, {}),
            )
        )

    summaries = []
    for assignment in assignments:
        attempts = [row[assignment.id] for row in scores.values() if assignment.id in row]
        finished = [attempt for attempt in attempts if attempt.finished]
        summaries.append(
            AssignmentSummary(
                id=assignment.id,
                title=assignment.title,
                topics=list(assignment.topics),
                length=assignment.length,
                due_at=assignment.due_at,
                started=len(attempts),
                finished=len(finished),
                mean_score=(
                    sum(attempt.correct for attempt in finished)
                    / sum(attempt.questions for attempt in finished)
                    if finished
                    else None
                ),
            )
        )

    topic_mastery = [
        TopicMastery(
            topic.slug,
            topic.name,
            sum(row.mastered.get(topic.slug, 0) for row in students),
            sum(row.met.get(topic.slug, 0) for row in students),
            topic.questions * len(students),
        )
        for topic in topics
    ]
    return ClassOverview(
        school_class=school_class,
        now=now,
        topics=topics,
        students=students,
        assignments=summaries,
        topic_mastery=topic_mastery,
        activity=activity,
    )


# --- leeches ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassLeech:
    """A card a student of the class kept forgetting, now set aside from their flashcards."""

    student_id: int
    username: str
    question_id: str
    prompt: str
    lapses: int
    suspended_at: datetime


def class_leeches(session: Session, school_class: SchoolClass) -> list[ClassLeech]:
    """The leeches of the class's students, by student then most recent, in one query."""
    current = aliased(QuestionVersion)
    rows = session.execute(
        select(
            User.id,
            User.username,
            ReviewCard.question_id,
            current.prompt,
            ReviewCard.lapses,
            ReviewCard.suspended_at,
        )
        .join(Membership, and_(Membership.student_id == User.id, Membership.class_id == school_class.id))
        .join(ReviewCard, ReviewCard.user_id == User.id)
        .join(Question, Question.id == ReviewCard.question_id)
        .join(current, and_(current.question_id == Question.id, current.number == Question.version))
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
        key = lambda row: row.topic_share(topic)  # noqa: E731
    else:
        sort, key = DEFAULT_SORT, SORT_COLUMNS[DEFAULT_SORT]
    descending = direction == "desc"
    return sorted_none_last(overview.students, key, descending), sort, descending


# --- the gradebook as CSV -----------------------------------------------------------


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}"


def gradebook_csv(overview: ClassOverview, students: list[StudentProgress], tz: ZoneInfo) -> str:
    """The gradebook as CSV: one row per student, in the order given.

    Percentages are numbers from 0 to 100 with one decimal, empty when there
    is nothing to divide; times are in the teacher's zone ``tz``. Each
    assignment has a column with the score of a finished attempt, or
    "unfinished" / "not started".
    """
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(
        [
            "student",
            "reviews_last_7_days",
            "true_retention_30_days_percent",
            "due_reviews_last_30_days",
            "mastery_of_questions_met_percent",
            *(f"mastery_{topic.slug}_percent" for topic in overview.topics),
            "questions_met",
            f"last_active ({tz.key})",
            "at_risk",
            *(
                formula_safe_cell(
                    f"{assignment.title} (due {local_date(assignment.due_at, tz).isoformat()}) percent"
                )
                for assignment in overview.assignments
            ),
        ]
    )
    for row in students:
        assignment_cells = []
        for assignment in overview.assignments:
            score = row.assignments.get(assignment.id)
            if score is None:
                assignment_cells.append("not started")
            elif not score.finished:
                assignment_cells.append("unfinished")
            else:
                assignment_cells.append(_percent(score.score))
        writer.writerow(
            [
                formula_safe_cell(row.username),
                row.reviews_week,
                _percent(row.retention),
                row.retention_reviews,
                _percent(row.mastery),
                *(_percent(row.topic_share(topic)) for topic in overview.topics),
                row.cards,
                wall_clock(row.last_active, tz).strftime("%Y-%m-%d %H:%M") if row.last_active else "",
                row.at_risk_text,
                *assignment_cells,
            ]
        )
    return output.getvalue()


# --- one student's assignments ------------------------------------------------------


@dataclass(frozen=True)
class StudentAssignmentAttempt:
    """One of the class's assignments and the student's attempt at it, if any."""

    assignment_id: int
    title: str
    due_at: datetime
    score: AssignmentScore | None
    started_at: datetime | None


def student_assignment_attempts(
    session: Session, school_class: SchoolClass, student: User
) -> list[StudentAssignmentAttempt]:
    """Every assignment of the class with the student's attempt, by due date, in one query."""
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.title,
            Assignment.due_at,
            QuizAttempt.id,
            QuizAttempt.answered_count,
            QuizAttempt.correct_count,
            QuizAttempt.length,
            QuizAttempt.finished_at,
            QuizAttempt.started_at,
        )
        .outerjoin(
            QuizAttempt,
            and_(QuizAttempt.assignment_id == Assignment.id, QuizAttempt.user_id == student.id),
        )
        .where(Assignment.class_id == school_class.id)
        .order_by(Assignment.due_at, Assignment.id)
    )
    return [
        StudentAssignmentAttempt(
            assignment_id=assignment_id,
            title=title,
            due_at=due_at,
            score=(
                AssignmentScore(attempt_id, answered, correct, questions, finished_at, due_at)
                if attempt_id is not None
                else None
            ),
            started_at=started_at,
        )
        for (
            assignment_id,
            title,
            due_at,
            attempt_id,
            answered,
            correct,
            questions,
            finished_at,
            started_at,
        ) in rows
    ]


# --- one assignment's results -------------------------------------------------------


@dataclass(frozen=True)
class MemberResult:
    student_id: int
    username: str
    score: AssignmentScore | None


@dataclass(frozen=True)
class AssignmentResults:
    """How the class did on one assignment.

    Attributes:
        members: every student of the class with their attempt, by username.
        histogram: finished attempts per 10% score bin, lowest first.
        histogram_labels: the bins' labels.
    """

    assignment: Assignment
    members: list[MemberResult]
    histogram: list[int]
    histogram_labels: list[str]

    @property
    def finished(self) -> int:
        return sum(1 for member in self.members if member.score is not None and member.score.finished)


def assignment_results(session: Session, assignment: Assignment) -> AssignmentResults:
    """Each member's attempt and the score distribution, in two queries."""
    rows = session.execute(
        select(
            User.id,
            User.username,
            QuizAttempt.id,
            QuizAttempt.answered_count,
            QuizAttempt.correct_count,
            QuizAttempt.length,
            QuizAttempt.finished_at,
        )
        .join(Membership, Membership.student_id == User.id)
        .outerjoin(
            QuizAttempt,
            and_(QuizAttempt.user_id == User.id, QuizAttempt.assignment_id == assignment.id),
        )
        .where(Membership.class_id == assignment.class_id)
        .order_by(User.username)
    )
    members = [
        MemberResult(
            student_id,
            username,
            (
                AssignmentScore(attempt_id, answered, correct, questions, finished_at, assignment.due_at)
                if attempt_id is not None
                else None
            ),
        )
        for student_id, username, attempt_id, answered, correct, questions, finished_at in rows
    ]
    # Scores grouped in SQL; only the binning (exact integer arithmetic) happens here.
    grouped = session.execute(
        select(QuizAttempt.correct_count, QuizAttempt.length, func.count(QuizAttempt.id))
        .join(
            Membership,
            and_(Membership.student_id == QuizAttempt.user_id, Membership.class_id == assignment.class_id),
        )
        .where(QuizAttempt.assignment_id == assignment.id, QuizAttempt.finished_at.is_not(None))
        .group_by(QuizAttempt.correct_count, QuizAttempt.length)
    ).all()
    return AssignmentResults(
        assignment=assignment,
        members=members,
        histogram=score_histogram((correct, length, count) for correct, length, count in grouped),
        histogram_labels=histogram_labels(),
    )


# --- item analysis ------------------------------------------------------------------


@dataclass(frozen=True)
class ItemReport:
    """How one question did in the class's finished assignment attempts."""

    question_id: str
    topic: str
    prompt: str
    answer: str
    statistics: ItemStatistics
    wrong_answers: list[WrongAnswer]


def item_analysis(
    session: Session, school_class: SchoolClass, assignment_id: int | None = None
) -> list[ItemReport]:
    """Item analysis over the finished attempts at the class's assignments, in two queries.

    Each item scores 1 when answered right, else 0; see
    :mod:`quizapp.domain.stats` for the definitions (Moodle's). Questions are
    listed hardest first (lowest facility index), then by id.

    Args:
        assignment_id: only that assignment's attempts (it must be the class's).
    """
    query = (
        select(QuizItem.attempt_id, QuizItem.question_id, QuizItem.correct, QuizItem.response)
        .join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
        .join(Assignment, Assignment.id == QuizAttempt.assignment_id)
        .join(
            Membership,
            and_(Membership.student_id == QuizAttempt.user_id, Membership.class_id == Assignment.class_id),
        )
        .where(Assignment.class_id == school_class.id, QuizAttempt.finished_at.is_not(None))
        .order_by(QuizItem.attempt_id, QuizItem.position)
    )
    if assignment_id is not None:
        query = query.where(Assignment.id == assignment_id)
    attempts: dict[int, dict[str, float]] = defaultdict(dict)
    responses: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for attempt_id, question_id, correct, response in session.execute(query):
        attempts[attempt_id][question_id] = 1.0 if correct else 0.0
        responses[question_id].append((response or "", bool(correct)))
    statistics = item_statistics(list(attempts.values()))
    if not statistics:
        return []
    questions = {
        question.id: question
        for question in session.scalars(select(Question).where(Question.id.in_(list(statistics)))).unique()
    }
    reports = [
        ItemReport(
            question_id=question_id,
            topic=questions[question_id].topic.name,
            prompt=questions[question_id].current.prompt,
            answer=questions[question_id].current.answer,
            statistics=stats,
            wrong_answers=most_common_wrong_answers(responses[question_id], WRONG_ANSWERS_SHOWN),
        )
        for question_id, stats in statistics.items()
    ]
    return sorted(reports, key=lambda report: (report.statistics.facility, report.question_id))
