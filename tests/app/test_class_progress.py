"""The teacher's view of a class on a known history: gradebook, CSV, charts, drill-down, item analysis.

Cards, review logs and attempts are written with fixed times around NOW, so
every number can be asserted exactly; routes read the time from the app's
clock, stopped at NOW.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from quizapp.domain import scheduling
from quizapp.domain.classes import AtRiskReason
from quizapp.domain.scheduling import Rating
from quizapp.domain.stats import MIN_ATTEMPTS_TO_FLAG
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Membership,
    Question,
    QuizAttempt,
    ReviewCard,
    ReviewLog,
    ReviewSource,
    Role,
    SchoolClass,
    Status,
    Topic,
    User,
)
from quizapp.services import assignment_reports, gradebook, gradebook_export, item_reports, quizzes
from tests.app.factories import add_students, make_assignment, make_class, make_review_card, make_user
from tests.app.pages import main_text, sign_in
from tests.conftest import Clock

# 10 March 2024, 10:00 in Lima.
NOW = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)
LIMA = ZoneInfo("America/Lima")
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def at_now(clock: Clock) -> None:
    clock.now = NOW


def card_state(stability: float, last_review: datetime) -> str:
    """An fsrs card JSON with this stability and last review, as logged in ``state_before``."""
    fields = json.loads(scheduling.review(None, Rating.Good, last_review, ZoneInfo("UTC")).card_json)
    fields.update(state=2, stability=stability, last_review=last_review.isoformat())
    return json.dumps(fields)


def log(
    card: ReviewCard,
    reviewed_at: datetime,
    rating: int,
    state_before: str | None = None,
    *,
    prior_state: str = "review",
    was_due: bool = True,
) -> ReviewLog:
    version = db.session.scalar(
        select(ReviewLog.card_version).where(ReviewLog.card_id == card.id).order_by(ReviewLog.card_version.desc())
    )
    entry = ReviewLog(
        card_id=card.id,
        user_id=card.user_id,
        question_id=card.question_id,
        card_version=0 if version is None else version + 1,
        rating=rating,
        source=ReviewSource.FLASHCARD,
        reviewed_at=reviewed_at,
        state_before=state_before,
        state_after=card.card_json,
        fsrs_log="{}",
        prior_state=prior_state,
        was_due=was_due,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def by_topic() -> dict[str, list[Question]]:
    questions: dict[str, list[Question]] = {}
    for question in db.session.scalars(select(Question).where(Question.status == Status.ACTIVE).order_by(Question.id)):
        questions.setdefault(question.topic.slug, []).append(question)
    return questions


def finish(attempt: QuizAttempt, results: list[bool], responses: list[str] | None = None, at: datetime = NOW) -> None:
    """Answer every item of an attempt with these verdicts and finish it."""
    for item, correct, response in zip(attempt.items, results, responses or ["x"] * len(results), strict=True):
        item.correct, item.response, item.answered_at = correct, response, at
    attempt.answered_count = len(results)
    attempt.correct_count = sum(results)
    attempt.finished_at = at
    db.session.flush()


def table_rows(html: str, attribute: str) -> dict[str, dict[str, str]]:
    """``{row id: {data-col: cell text}}`` for the rows carrying ``attribute``."""
    rows = {}
    for match in re.finditer(rf'<tr {attribute}="([^"]+)">(.*?)</tr>', html, re.S):
        cells = {
            col: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
            for col, text in re.findall(r'<td data-col="([^"]+)">(.*?)</td>', match.group(2), re.S)
        }
        rows[match.group(1)] = cells
    return rows


# --- a known history --------------------------------------------------------------------


@pytest.fixture
def history(app) -> dict[str, object]:
    """A Lima teacher's class of four around NOW (10 March 2024, 10:00 in Lima).

    Mastered: stability of 21 days or more and still before last review + stability.
    True retention: reviews of review cards that were due, in the last 30 days.

    ana: active, mastery steady (2 mastered now, 2 a week ago); retention 2 of 3.
    ben: last review 9 days ago: inactive.
    eva: mastery falling (1 now, 2 a week ago); retention 0 of 1.
    zed: joined 3 days ago, nothing done yet: not at risk.
    """
    teacher = make_user(Role.TEACHER, username="ms_prado", timezone="America/Lima")
    school_class = make_class(teacher, "History 5A")
    names = ["ana", "ben", "eva", "zed"]
    students = {name: make_user(username=name) for name in names}
    for name, student in students.items():
        joined = NOW - (3 if name == "zed" else 20) * DAY
        db.session.add(Membership(class_id=school_class.id, student_id=student.id, joined_at=joined))
    topics = by_topic()
    dates, events, leaders = topics["dates"], topics["events"], topics["leaders"]
    ana, ben, eva = students["ana"], students["ben"], students["eva"]

    # ana
    c1 = make_review_card(ana, dates[0], last_review=NOW - 2 * DAY, stability=25.0)  # mastered now, not then
    log(c1, NOW - 12 * DAY, 3, prior_state="new")  # a new card: not in true retention
    log(c1, NOW - 2 * DAY, 3, state_before=card_state(3.0, NOW - 12 * DAY))  # recalled when due
    c2 = make_review_card(ana, dates[1], last_review=NOW - 20 * DAY, stability=30.0)  # mastered now and then
    log(c2, NOW - 20 * DAY, 3)  # recalled when due
    c3 = make_review_card(ana, events[0], last_review=NOW - 28 * DAY, stability=24.0)  # until NOW-4d: then only
    log(c3, NOW - 28 * DAY, 1)  # forgotten when due
    # ben
    b1 = make_review_card(ben, leaders[0], last_review=NOW - 9 * DAY, stability=30.0)  # mastered now and then
    log(b1, NOW - 9 * DAY, 3)
    # eva
    e1 = make_review_card(eva, events[1], last_review=NOW - DAY, stability=0.5)  # forgotten, was mastered then
    log(e1, NOW - DAY, 1, state_before=card_state(25.0, NOW - 10 * DAY))
    e2 = make_review_card(eva, events[2], last_review=NOW - 30 * DAY, stability=25.0)  # until NOW-5d: then only
    e3 = make_review_card(eva, dates[2], last_review=datetime(2024, 3, 10, 4, 30, tzinfo=UTC), stability=21.0)
    log(e3, NOW - 3 * DAY, 3, prior_state="new")  # created it: did not exist a week ago
    # 04:30 UTC on 10 March is 23:30 on 9 March in Lima; reviewed before it was due.
    early = datetime(2024, 3, 10, 4, 30, tzinfo=UTC)
    log(e3, early, 3, state_before=card_state(1.0, NOW - 3 * DAY), was_due=False)
    del e2

    # Another teacher's class, busy today: none of it may leak in.
    outsider_class = make_class(make_user(Role.TEACHER, username="mr_grau"), "Other class")
    outsider = add_students(outsider_class, 1, prefix="outsider")[0]
    busy = make_review_card(outsider, dates[0], last_review=NOW - DAY, stability=50.0)
    for hours in range(5):
        log(busy, NOW - timedelta(hours=hours + 1), 3)
    # ana is in the other class too: its assignments must not show here.
    db.session.add(Membership(class_id=outsider_class.id, student_id=ana.id, joined_at=NOW - 20 * DAY))
    foreign = make_assignment(outsider_class, "Foreign quiz")
    finish(quizzes.start_assignment(db.session, ana, foreign, NOW - DAY), [True] * 5, at=NOW - DAY)

    # One assignment: ana finished 4/5 on time, ben answered 2, eva and zed did not start.
    assignment = make_assignment(school_class, "Breña campaign", due_at=NOW + 2 * DAY)
    finish(
        quizzes.start_assignment(db.session, ana, assignment, NOW - DAY),
        [True, True, False, True, True],
        at=NOW - DAY,
    )
    started = quizzes.start_assignment(db.session, ben, assignment, NOW - DAY)
    started.answered_count, started.correct_count = 2, 1
    db.session.commit()
    return {
        "teacher": teacher,
        "class": school_class,
        "students": students,
        "assignment": assignment,
        "topics": topics,
    }


def active_counts() -> dict[str, int]:
    return {
        slug: count
        for slug, count in db.session.execute(
            select(Topic.slug, db.func.count(Question.id))
            .join(Question, Question.topic_id == Topic.id)
            .where(Question.status == Status.ACTIVE)
            .group_by(Topic.slug)
        )
    }


def test_the_overview_numbers_on_a_known_history(history):
    overview = gradebook.class_overview(db.session, history["class"], NOW, LIMA)
    rows = {row.username: row for row in overview.students}
    assert list(rows) == ["ana", "ben", "eva", "zed"]
    ana, ben, eva, zed = rows["ana"], rows["ben"], rows["eva"], rows["zed"]

    assert (ana.reviews_week, ben.reviews_week, eva.reviews_week, zed.reviews_week) == (1, 0, 3, 0)
    assert (ana.retention, ana.retention_reviews) == (2 / 3, 3)  # the new card's first review does not count
    assert (ben.retention, ben.retention_reviews) == (1.0, 1)
    assert (eva.retention, eva.retention_reviews) == (0.0, 1)  # the early review does not count
    assert (zed.retention, zed.retention_reviews) == (None, 0)
    assert ana.last_active == NOW - 2 * DAY
    assert ben.last_active == NOW - 9 * DAY
    assert eva.last_active == datetime(2024, 3, 10, 4, 30, tzinfo=UTC)
    assert zed.last_active is None

    assert (ana.mastered, ben.mastered, eva.mastered, zed.mastered) == (
        {"dates": 2, "events": 0},
        {"leaders": 1},
        {"dates": 1, "events": 0},
        {},
    )
    assert (ana.met, ben.met, eva.met, zed.met) == (
        {"dates": 2, "events": 1},
        {"leaders": 1},
        {"dates": 1, "events": 2},
        {},
    )
    assert (ana.mastery, ben.mastery, eva.mastery, zed.mastery) == (2 / 3, 1.0, 1 / 3, None)
    assert (ana.mastered_week_ago, ben.mastered_week_ago, eva.mastered_week_ago, zed.mastered_week_ago) == (
        2,
        1,
        2,
        0,
    )
    assert ana.at_risk == ()
    assert ben.at_risk == (AtRiskReason.INACTIVE,)
    assert eva.at_risk == (AtRiskReason.MASTERY_FALLING,)  # 1 review of due cards is too few to judge
    assert zed.at_risk == ()
    assert (ana.cards, ben.cards, eva.cards, zed.cards) == (3, 1, 3, 0)

    assert {topic.slug: (topic.mastered, topic.met, topic.total) for topic in overview.topic_mastery} == {
        slug: (
            {"dates": 3, "leaders": 1}.get(slug, 0),
            {"dates": 3, "leaders": 1, "events": 3}.get(slug, 0),
            4 * count,
        )
        for slug, count in active_counts().items()
    }
    # Lima days from 26 February to 10 March; the outsider's busy morning is not counted.
    assert [(f"{day.day:%m-%d}", day.count) for day in overview.activity if day.count] == [
        ("02-27", 1),
        ("03-01", 1),
        ("03-07", 1),
        ("03-08", 1),
        ("03-09", 2),
    ]
    assert len(overview.activity) == 14 and overview.activity[-1].day.isoformat() == "2024-03-10"

    (summary,) = overview.assignments
    assert (summary.title, summary.started, summary.finished, summary.mean_score) == (
        "Breña campaign",
        2,
        1,
        0.8,
    )
    assert ana.assignments[summary.id].score == 0.8 and not ana.assignments[summary.id].late
    assert ben.assignments[summary.id].score is None and ben.assignments[summary.id].answered == 2
    assert list(ana.assignments) == [summary.id]


def test_the_overview_page_shows_the_gradebook(client, history):
    sign_in(client, history["teacher"])
    response = client.get(f"/teach/classes/{history['class'].id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<script" not in html
    rows = table_rows(html, "data-student")
    students = history["students"]
    ana = rows[str(students["ana"].id)]
    assert ana["reviews"] == "1"
    assert ana["retention"] == "67% (3)"
    assert ana["mastery"] == "67% (2)"
    assert ana["met"] == "3"
    assert ana["topic-dates"] == "100%" and ana["topic-events"] == "0%" and ana["topic-leaders"] == "–"
    assert ana["last_active"] == "08 Mar 2024, 10:00"  # Lima time
    assert ana["assignments"] == "1 / 1"
    assert ana["at_risk"] == "no"
    assert rows[str(students["ben"].id)]["at_risk"] == "no review for 7 days or more"
    assert rows[str(students["eva"].id)]["at_risk"] == "fewer questions mastered than 7 days ago"
    zed = rows[str(students["zed"].id)]
    assert (zed["retention"], zed["mastery"], zed["last_active"]) == ("–", "– (0)", "–")
    text = re.sub(r"\s+", " ", html)
    assert "True retention: of the reviews of cards already learned and due" in text
    assert "A question is mastered once its memory has grown to last three weeks" in text
    assert "outsider" not in html


def test_the_charts_are_server_rendered_svg(client, history):
    sign_in(client, history["teacher"])
    html = client.get(f"/teach/classes/{history['class'].id}").get_data(as_text=True)
    activity = html[html.index('id="activity-desc"') :]
    activity = activity[: activity.index("</desc>")]
    assert "26 Feb to 10 Mar 2024" in html
    assert activity.endswith("26: 0; 27: 1; 28: 0; 29: 0; 1: 1; 2: 0; 3: 0; 4: 0; 5: 0; 6: 0; 7: 1; 8: 1; 9: 2; 10: 0")
    assert html.count("<svg") == 2
    assert "Dates: 100%" in html and "Events: 0%" in html and "Leaders: 100%" in html


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("", ["ana", "ben", "eva", "zed"]),
        ("?sort=name&dir=desc", ["zed", "eva", "ben", "ana"]),
        ("?sort=reviews&dir=desc", ["eva", "ana", "ben", "zed"]),
        ("?sort=retention", ["eva", "ana", "ben", "zed"]),  # no retention last, either way
        ("?sort=retention&dir=desc", ["ben", "ana", "eva", "zed"]),
        ("?sort=met&dir=desc", ["ana", "eva", "ben", "zed"]),
        ("?sort=last_active&dir=desc", ["eva", "ana", "ben", "zed"]),
        ("?sort=at_risk&dir=desc", ["ben", "eva", "ana", "zed"]),
        ("?sort=topic-leaders&dir=desc", ["ben", "ana", "eva", "zed"]),
        ("?sort=mastery&dir=desc", ["ben", "ana", "eva", "zed"]),
        ("?sort=assignments&dir=desc", ["ana", "ben", "eva", "zed"]),
        ("?sort=password_hash&dir=desc", ["zed", "eva", "ben", "ana"]),  # not whitelisted: by name
        ("?sort=topic-nonsense", ["ana", "ben", "eva", "zed"]),
    ],
)
def test_the_gradebook_sorts_on_the_server(client, history, query, order):
    sign_in(client, history["teacher"])
    html = client.get(f"/teach/classes/{history['class'].id}{query}").get_data(as_text=True)
    ids = {str(student.id): name for name, student in history["students"].items()}
    assert [ids[row] for row in table_rows(html, "data-student")] == order


def test_sort_links_toggle_the_direction(client, history):
    sign_in(client, history["teacher"])
    class_id = history["class"].id
    html = client.get(f"/teach/classes/{class_id}?sort=reviews").get_data(as_text=True)
    assert 'aria-sort="ascending"' in html
    assert f'href="/teach/classes/{class_id}?sort=reviews&amp;dir=desc"' in html
    assert f'href="/teach/classes/{class_id}?sort=retention&amp;dir=asc"' in html


def test_the_gradebook_csv(client, history):
    sign_in(client, history["teacher"])
    response = client.get(f"/teach/classes/{history['class'].id}/gradebook.csv?sort=reviews&dir=desc")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="gradebook-class-{history["class"].id}-2024-03-10.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    topic_order = [topic.slug for topic in db.session.scalars(select(Topic).order_by(Topic.id))]
    assert rows[0] == [
        "student",
        "reviews_last_7_days",
        "true_retention_30_days_percent",
        "due_reviews_last_30_days",
        "mastery_of_questions_met_percent",
        *(f"mastery_{slug}_percent" for slug in topic_order),
        "questions_met",
        "last_active (America/Lima)",
        "at_risk",
        "Breña campaign (due 2024-03-12) percent",
    ]

    def topics(**shares: str) -> list[str]:
        return [shares.get(slug, "") for slug in topic_order]

    assert rows[1:] == [
        [
            "eva",
            "3",
            "0.0",
            "1",
            "33.3",
            *topics(dates="100.0", events="0.0"),
            "3",
            "2024-03-09 23:30",
            "fewer questions mastered than 7 days ago",
            "not started",
        ],
        ["ana", "1", "66.7", "3", "66.7", *topics(dates="100.0", events="0.0"), "3", "2024-03-08 10:00", "", "80.0"],
        [
            "ben",
            "0",
            "100.0",
            "1",
            "100.0",
            *topics(leaders="100.0"),
            "1",
            "2024-03-01 10:00",
            "no review for 7 days or more",
            "unfinished",
        ],
        ["zed", "0", "", "0", "", *topics(), "0", "", "", "not started"],
    ]


def test_csv_cells_never_start_a_formula(app, history):
    history["assignment"].title = "=HYPERLINK(1)"
    db.session.commit()
    overview = gradebook.class_overview(db.session, history["class"], NOW, LIMA)
    text = gradebook_export.gradebook_csv(overview, overview.students, LIMA)
    assert "'=HYPERLINK(1) (due 2024-03-12) percent" in text.splitlines()[0]


# --- one student ------------------------------------------------------------------------------


def test_the_drill_down_shows_the_students_dashboard_and_assignments(client, history):
    sign_in(client, history["teacher"])
    ana = history["students"]["ana"]
    response = client.get(f"/teach/classes/{history['class'].id}/students/{ana.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<script" not in html
    stat = dict(re.findall(r'data-stat="([a-z-]+)">\s*<p class="stat">([^<]+)</p>', html))
    assert stat["retention"] == "67%"
    assert stat["cards"] == "3"
    assert stat["mastered"] == "2"
    mastery = table_rows(html, "data-topic")
    assert mastery  # the per-topic table is there
    text = main_text(response)
    assert "Breña campaign" in text and "4 / 5 (80%)" in text
    assert "Foreign quiz" not in text  # another class's assignment


def test_the_drill_down_is_only_for_members(client, history):
    sign_in(client, history["teacher"])
    outsider = db.session.scalar(select(User).where(User.username.like("outsider%")))
    assert client.get(f"/teach/classes/{history['class'].id}/students/{outsider.id}").status_code == 404


# --- one assignment ---------------------------------------------------------------------------


def test_assignment_results_and_score_histogram(client, history):
    school_class, assignment = history["class"], history["assignment"]
    # Two more students finish: 2/5 (40%) and 5/5 (100%).
    more = add_students(school_class, 2, prefix="late")
    finish(quizzes.start_assignment(db.session, more[0], assignment, NOW), [True, False, False, True, False])
    finish(quizzes.start_assignment(db.session, more[1], assignment, NOW + 3 * DAY), [True] * 5, at=NOW + 3 * DAY)
    db.session.commit()

    results = assignment_reports.assignment_results(db.session, assignment)
    assert results.histogram == [0, 0, 0, 0, 1, 0, 0, 0, 1, 1]
    assert results.finished == 3

    sign_in(client, history["teacher"])
    response = client.get(f"/teach/classes/{school_class.id}/assignments/{assignment.id}")
    html = response.get_data(as_text=True)
    assert "0%: 0; 10%: 0; 20%: 0; 30%: 0; 40%: 1; 50%: 0; 60%: 0; 70%: 0; 80%: 1; 90%: 1</desc>" in html
    bands = html[html.index('<table class="score-bands">') :]
    bands = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", bands[: bands.index("</table>")])).strip()
    assert bands == (
        "Score 0–9% 10–19% 20–29% 30–39% 40–49% 50–59% 60–69% 70–79% 80–89% 90–100% Attempts 0 0 0 0 1 0 0 0 1 1"
    )
    text = main_text(response)
    assert "3 of 6 finished" in text
    rows = {
        match.group(1): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()
        for match in re.finditer(r'<tr data-student="(\d+)">(.*?)</tr>', html, re.S)
    }
    students = history["students"]
    assert rows[str(students["ana"].id)] == "ana finished 4 / 5 (80%) 09 Mar 2024, 10:00"
    assert rows[str(students["ben"].id)] == "ben 2 of 5 answered – –"
    assert rows[str(students["zed"].id)] == "zed not started – –"
    assert rows[str(more[0].id)].endswith("finished 2 / 5 (40%) 10 Mar 2024, 10:00")
    assert rows[str(more[1].id)].endswith("finished late 5 / 5 (100%) 13 Mar 2024, 10:00")


# --- item analysis ----------------------------------------------------------------------------

# Five students, five questions (1 = right). Hand-computed, Moodle's definitions:
#            q1 q2 q3 q4 q5  total
#   s1        1  1  0  1  0    3
#   s2        1  1  0  1  0    3
#   s3        1  1  0  0  0    2
#   s4        1  0  1  0  0    2
#   s5        1  0  0  0  0    1
# q2: scores 1,1,1,0,0 (F .6, SD sqrt(1.2/4) = .548); rest 2,2,1,2,1 (mean 1.6):
#     Σ(ds·dr) = .2, Σds² = 1.2, Σdr² = 1.2, r = .2/1.2 -> D = 16.7
# q3: scores 0,0,0,1,0 (F .2, SD sqrt(.8/4) = .447); rest 3,3,2,1,1 (mean 2):
#     Σ(ds·dr) = -1, Σds² = .8, Σdr² = 4, r = -1/sqrt(3.2) -> D = -55.9
# q4: scores 1,1,0,0,0 (F .4, SD .548); rest 2,2,2,2,1 (mean 1.8):
#     Σ(ds·dr) = .4, Σds² = 1.2, Σdr² = .8, r = .4/sqrt(.96) -> D = 40.8
# q1 (all right) and q5 (all wrong) have SD 0 and no discrimination.
MATRIX = [
    [True, True, False, True, False],
    [True, True, False, True, False],
    [True, True, False, False, False],
    [True, False, True, False, False],
    [True, False, False, False, False],
]
Q4_RESPONSES = ["right", "right", "Lima", " lima ", "Arequipa"]


@pytest.fixture
def item_class(app) -> dict[str, object]:
    teacher = make_user(Role.TEACHER, username="ms_item")
    school_class = make_class(teacher, "Items class")
    students = add_students(school_class, 6, prefix="item")
    assignment = make_assignment(school_class, "Item quiz")
    for student, results in zip(students, MATRIX, strict=False):
        attempt = quizzes.start_assignment(db.session, student, assignment, NOW)
        responses = ["r"] * 5
        responses[3] = Q4_RESPONSES[students.index(student)]
        finish(attempt, results, responses)
    # The sixth student is half way: unfinished attempts are left out.
    unfinished = quizzes.start_assignment(db.session, students[5], assignment, NOW)
    unfinished.items[0].correct, unfinished.items[0].answered_at = False, NOW
    # Another class took the same quiz, all wrong: not counted here.
    other = make_class(teacher, "Other")
    other_assignment = make_assignment(other, "Other quiz", seed=assignment.seed)
    for student in add_students(other, 2, prefix="other"):
        finish(quizzes.start_assignment(db.session, student, other_assignment, NOW), [False] * 5)
    db.session.commit()
    question_ids = [item.question_id for item in unfinished.items]
    return {"teacher": teacher, "class": school_class, "assignment": assignment, "questions": question_ids}


def test_item_statistics_match_hand_computed_values(app, item_class):
    reports = item_reports.item_analysis(db.session, item_class["class"])
    q = item_class["questions"]
    assert [report.question_id for report in reports] == [q[4], q[2], q[3], q[1], q[0]]  # hardest first
    stats = {report.question_id: report.statistics for report in reports}
    assert all(item.n == 5 for item in stats.values())
    assert [stats[qid].facility for qid in q] == [1.0, 0.6, 0.2, 0.4, 0.0]
    assert [stats[qid].standard_deviation for qid in q] == pytest.approx(
        [0.0, math.sqrt(0.3), math.sqrt(0.2), math.sqrt(0.3), 0.0]
    )
    assert stats[q[0]].discrimination_index is None and stats[q[4]].discrimination_index is None
    assert stats[q[1]].discrimination_index == pytest.approx(100 * 0.2 / 1.2)
    assert stats[q[2]].discrimination_index == pytest.approx(-100 / math.sqrt(3.2))
    assert stats[q[3]].discrimination_index == pytest.approx(100 * 0.4 / math.sqrt(0.96))
    assert [tuple(stats[qid].flags) for qid in q] == [
        ("too_easy",),
        (),
        ("negative_discrimination",),
        (),
        ("too_hard",),
    ]
    wrong = {report.question_id: report.wrong_answers for report in reports}
    assert [(answer.text, answer.count) for answer in wrong[q[3]]] == [("Lima", 2), ("Arequipa", 1)]


def test_the_items_page_shows_the_statistics(client, item_class):
    sign_in(client, item_class["teacher"])
    response = client.get(f"/teach/classes/{item_class['class'].id}/items")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<script" not in html
    rows = table_rows(html, "data-question")
    q = item_class["questions"]
    shown = [(rows[qid]["facility"], rows[qid]["sd"], rows[qid]["discrimination"], rows[qid]["flags"]) for qid in q]
    assert shown == [
        ("100%", "0.00", "–", "too easy"),
        ("60%", "0.55", "16.7", ""),
        ("20%", "0.45", "-55.9", "negative discrimination"),
        ("40%", "0.55", "40.8", ""),
        ("0%", "0.00", "–", "too hard"),
    ]
    assert rows[q[3]]["wrong"] == "Lima ×2 Arequipa ×1"
    assert all(rows[qid]["n"] == "5" for qid in q)
    # Filtered by assignment: the same here, since the class has one.
    filtered = client.get(f"/teach/classes/{item_class['class'].id}/items?assignment={item_class['assignment'].id}")
    assert table_rows(filtered.get_data(as_text=True), "data-question") == rows


def test_no_finished_attempts_no_items(client, history):
    sign_in(client, history["teacher"])
    empty = make_assignment(history["class"], "Nobody did it")
    response = client.get(f"/teach/classes/{history['class'].id}/items?assignment={empty.id}")
    assert "No finished assignment attempts yet." in main_text(response)


# --- isolation and query counts -------------------------------------------------------------------


def test_another_teacher_sees_none_of_it(client, history, item_class):
    """Every class, student, assignment and item URL of teacher A is 404 for teacher B."""
    sign_in(client, item_class["teacher"])
    school_class, assignment = history["class"], history["assignment"]
    base = f"/teach/classes/{school_class.id}"
    urls = [
        base,
        base + "?sort=reviews",
        base + "/gradebook.csv",
        base + "/items",
        f"{base}/items?assignment={assignment.id}",
        base + "/assignments/new",
        f"{base}/assignments/{assignment.id}",
        *(f"{base}/students/{student.id}" for student in history["students"].values()),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(base + "/join-code").status_code == 404
    assert (
        client.post(
            base + "/assignments/new",
            data={"title": "x", "topics": ["dates"], "length": 5, "due": "2024-04-01"},
        ).status_code
        == 404
    )
    # Nor may B reach A's class through B's own class ids.
    own = f"/teach/classes/{item_class['class'].id}"
    for student in history["students"].values():
        assert client.get(f"{own}/students/{student.id}").status_code == 404
    assert client.get(f"{own}/assignments/{assignment.id}").status_code == 404
    assert client.get(f"{own}/items?assignment={assignment.id}").status_code == 404
    assert "History 5A" not in main_text(client.get("/teach/classes"))


def _busy_class(size: int, name: str) -> tuple[User, SchoolClass, Assignment]:
    """A class of ``size`` students, each with cards, reviews and a finished assignment."""
    teacher = make_user(Role.TEACHER, username=f"teacher_{name}")
    school_class = make_class(teacher, name)
    students = add_students(school_class, size, prefix=name)
    assignment = make_assignment(school_class, f"Quiz {name}")
    questions = by_topic()["events"][:3]
    for number, student in enumerate(students):
        for index, question in enumerate(questions):
            card = make_review_card(student, question, last_review=NOW - (index + 1) * DAY, stability=2.0 + number)
            log(
                card,
                NOW - (index + 1) * DAY,
                1 + (number + index) % 4,
                state_before=card_state(3.0, NOW - 9 * DAY),
            )
        results = [(number + position) % 3 != 0 for position in range(5)]
        finish(quizzes.start_assignment(db.session, student, assignment, NOW - DAY), results, at=NOW - DAY)
    db.session.commit()
    return teacher, school_class, assignment


@pytest.mark.parametrize(
    "page",
    [
        "",
        "?sort=retrievability&dir=desc",
        "/gradebook.csv",
        "/items",
        "/assignments/{assignment}",
        "/students/{student}",
    ],
)
def test_pages_take_the_same_number_of_queries_for_3_and_12_students(client, count_statements, page):
    counts = []
    for size, name in ((3, "small"), (12, "large")):
        teacher, school_class, assignment = _busy_class(size, name)
        student = db.session.scalar(
            select(Membership.student_id).where(Membership.class_id == school_class.id).order_by(Membership.id)
        )
        sign_in(client, teacher)
        url = f"/teach/classes/{school_class.id}" + page.format(assignment=assignment.id, student=student)
        client.get(url)  # warm up: nothing cached must change the count
        count_statements.reset()
        response = client.get(url)
        assert response.status_code == 200, url
        counts.append(count_statements.count)
    assert counts[0] == counts[1], counts


def test_the_overview_service_is_a_fixed_handful_of_queries(app, count_statements):
    _, school_class, _ = _busy_class(5, "five")
    school_class = db.session.get(SchoolClass, school_class.id)
    count_statements.reset()
    overview = gradebook.class_overview(db.session, school_class, NOW, LIMA)
    assert count_statements.count == 9
    assert len(overview.students) == 5


def test_the_items_page_flags_nothing_before_the_minimum_of_attempts(client, app):
    teacher = make_user(Role.TEACHER)
    school_class = make_class(teacher)
    assignment = make_assignment(school_class)
    for student in add_students(school_class, MIN_ATTEMPTS_TO_FLAG - 1):
        finish(quizzes.start_assignment(db.session, student, assignment, NOW), [False] * 5)
    db.session.commit()
    sign_in(client, teacher)
    html = client.get(f"/teach/classes/{school_class.id}/items").get_data(as_text=True)
    rows = table_rows(html, "data-question")
    assert [row["facility"] for row in rows.values()] == ["0%"] * 5
    assert [row["flags"] for row in rows.values()] == [""] * 5  # all wrong, but only 4 attempts
    assert f"flagged only once {MIN_ATTEMPTS_TO_FLAG} attempts" in html
