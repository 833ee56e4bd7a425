"""The student's dashboard and weakest questions on a known history.

Cards, review logs and quiz attempts are written directly with fixed times,
so every number on the page can be asserted exactly.
"""

from __future__ import annotations

import functools
import itertools
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.domain.days import DayCount
from quizapp.domain.languages import Language
from quizapp.extensions import db
from quizapp.models import ReviewCard, ReviewLog, ReviewSource, Status, User
from quizapp.services import progress
from quizapp.services.progress import AttemptSummary, TopicMastery
from tests.app.factories import login, make_attempt, make_review_card, make_user, questions_by_topic
from tests.conftest import Clock

NOW = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)  # 10:00 on 10 March in Lima


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def at_now(clock: Clock) -> None:
    clock.now = NOW


# The cards of this file were first reviewed on 1 February, 3 days stable unless said otherwise.
make_card = functools.partial(make_review_card, last_review=datetime(2024, 2, 1, 12, 0, tzinfo=UTC), stability=3.0)


def make_log(
    card: ReviewCard,
    reviewed_at: datetime,
    rating: int,
    version: int,
    prior_state: str = "review",
    was_due: bool = True,
) -> ReviewLog:
    log = ReviewLog(
        card_id=card.id,
        user_id=card.user_id,
        question_id=card.question_id,
        card_version=version,
        rating=rating,
        source=ReviewSource.FLASHCARD,
        reviewed_at=reviewed_at,
        state_before=None,
        state_after=card.card_json,
        fsrs_log="{}",
        prior_state=prior_state,
        was_due=was_due,
    )
    db.session.add(log)
    return log


def build_history(student: User) -> dict[str, object]:
    """A Lima student's cards, reviews and quizzes around NOW (10 March, 10:00 in Lima)."""
    topics = questions_by_topic()
    dates, leaders, events = topics["dates"], topics["leaders"], topics["events"]
    far = utc(2025, 1, 1)
    # Mastered: stability of 21 days or more, and still before stable_until (R >= 0.9).
    cards = [
        # due                              stable_until, stability
        make_card(  # overdue, and slipped: stable for 40 days once, but not since 1 March
            student, dates[0], due=utc(2024, 3, 1, 12), stable_until=utc(2024, 3, 1), stability=40.0
        ),
        make_card(student, dates[1], due=NOW - timedelta(minutes=1), stable_until=NOW + timedelta(days=2)),
        make_card(  # 23:59 today in Lima; stable for exactly 21 days until exactly now: mastered
            student, dates[2], due=utc(2024, 3, 11, 4, 59), stable_until=NOW, stability=21.0
        ),
        make_card(student, leaders[0], due=utc(2024, 3, 11, 5, 0), stable_until=far, stability=30.0),  # tomorrow
        make_card(student, leaders[1], due=utc(2024, 3, 13, 12), stable_until=far, stability=20.9),  # not yet
        make_card(student, leaders[2], due=utc(2024, 3, 18, 4, 59), stable_until=far, stability=60.0),  # 17 March
        make_card(student, events[0], due=utc(2024, 3, 18, 5, 0), stable_until=far, stability=25.0),  # next week
    ]
    retired = make_card(student, events[1], due=utc(2024, 3, 2), stable_until=far, stability=90.0)
    events[1].status = Status.RETIRED

    anchor = cards[0]
    # True retention counts reviews of review cards that were due: 3 in the last 30 days, 2 recalled.
    for version, (reviewed_at, rating, prior_state, was_due) in enumerate(
        [
            (utc(2024, 3, 10, 5, 0), 3, "review", True),  # 10 March 00:00 in Lima: today; counted, recalled
            (utc(2024, 3, 10, 14, 0), 1, "relearning", True),  # today; a learning step: not counted
            (utc(2024, 3, 10, 4, 59), 3, "review", False),  # 9 March 23:59 in Lima; early: not counted
            (utc(2024, 3, 8, 20, 0), 2, "review", True),  # 8 March; counted, recalled (Hard)
            (utc(2024, 3, 7, 12, 0), 4, "new", True),  # 7 March; a new card: not counted
            (utc(2024, 3, 5, 12, 0), 1, "review", True),  # 5 March, before the gap on the 6th; forgotten
            (utc(2024, 2, 1, 12, 0), 3, "review", True),  # older than 30 days
        ],
        start=10,
    ):
        make_log(anchor, reviewed_at, rating, version, prior_state, was_due)

    quiz = topics["people"][:10]
    finished = make_attempt(student, quiz, started_at=utc(2024, 3, 9, 15), results=[True] * 7 + [False] * 3)
    unfinished = make_attempt(student, quiz, started_at=utc(2024, 3, 10, 14), results=[True, True, False])

    # Someone else's history must not leak in.
    other = make_user()
    other_card = make_card(other, dates[0], due=utc(2024, 3, 1), stable_until=far)
    make_log(other_card, NOW - timedelta(hours=1), 1, 1)
    make_attempt(other, quiz[:5], started_at=NOW - timedelta(hours=2), results=[True] * 5)

    db.session.commit()
    return {"cards": cards, "retired": retired, "finished": finished, "unfinished": unfinished, "topics": topics}


def active_totals() -> dict[str, int]:
    return {slug: len(questions) for slug, questions in questions_by_topic().items()}


def test_dashboard_numbers_on_a_known_history(app):
    student = make_user(timezone="America/Lima")
    history = build_history(student)
    totals = active_totals()

    board = progress.student_dashboard(db.session, student, NOW)

    assert board.today == date(2024, 3, 10)
    assert board.due_now == 2
    assert board.due_today == 3
    assert board.forecast == [
        DayCount(date(2024, 3, 10), 3),
        DayCount(date(2024, 3, 11), 1),
        DayCount(date(2024, 3, 12), 0),
        DayCount(date(2024, 3, 13), 1),
        DayCount(date(2024, 3, 14), 0),
        DayCount(date(2024, 3, 15), 0),
        DayCount(date(2024, 3, 16), 0),
        DayCount(date(2024, 3, 17), 1),
    ]
    assert board.cards == 7  # the retired question's card is left out
    assert board.reviews_today == 2
    assert board.streak == 4  # 7, 8, 9 and 10 March in Lima
    assert board.retention == pytest.approx(2 / 3)  # due review cards since 9 February
    assert board.retention_reviews == 3
    assert {topic.slug: (topic.mastered, topic.met, topic.total) for topic in board.mastery} == {
        "dates": (1, 3, totals["dates"]),  # stable_until == NOW still counts; the slipped card does not
        "leaders": (2, 3, totals["leaders"]),  # 20.9 days of stability is not yet three weeks
        "recognitions": (0, 0, totals["recognitions"]),
        "people": (0, 0, totals["people"]),
        "events": (1, 1, totals["events"]),  # the retired question is left out of every count
    }
    assert board.mastery[1] == TopicMastery("leaders", "Leaders", 2, 3, totals["leaders"])
    assert board.mastery[1].share == pytest.approx(2 / 3)
    assert board.mastered == 4
    assert [topic.slug for topic in board.mastery] == ["dates", "leaders", "recognitions", "people", "events"]
    assert board.recent_attempts == [
        AttemptSummary(history["unfinished"].id, utc(2024, 3, 10, 14), None, 10, 3, 2),
        AttemptSummary(history["finished"].id, utc(2024, 3, 9, 15), utc(2024, 3, 9, 15, 10), 10, 10, 7),
    ]
    assert board.recent_attempts[1].score == 0.7


def test_the_same_history_in_utc_gives_other_days(app):
    student = make_user(timezone="UTC")
    build_history(student)
    board = progress.student_dashboard(db.session, student, NOW)
    # In UTC, 10 March ends at 00:00 UTC on the 11th: the card due 04:59 falls on the 11th.
    assert board.due_today == 2
    assert [day.count for day in board.forecast] == [2, 2, 0, 1, 0, 0, 0, 0]
    # Reviews at 04:59 and 05:00 UTC on the 10th are both today in UTC.
    assert board.reviews_today == 3
    assert board.streak == 1  # 10 March only: in UTC nothing was reviewed on the 9th
    assert board.retention_reviews == 3


def test_dashboard_for_a_new_student(app):
    student = make_user(timezone="Pacific/Auckland")
    board = progress.student_dashboard(db.session, student, NOW)
    assert (board.due_now, board.due_today, board.cards, board.reviews_today, board.streak) == (0, 0, 0, 0, 0)
    assert board.retention is None
    assert board.today == date(2024, 3, 11)  # already 11 March in Auckland
    assert all(topic.mastered == topic.met == 0 for topic in board.mastery)
    assert board.recent_attempts == []
    assert board.is_new


def test_the_dashboard_takes_a_few_queries_however_long_the_history(app, count_statements):
    student = make_user(timezone="America/Lima")
    build_history(student)
    db.session.expire_all()
    assert student.timezone == "America/Lima"
    small = count_statements.during(lambda: progress.student_dashboard(db.session, student, NOW))

    topics = questions_by_topic()
    for index, question in enumerate(topics["people"][:20]):
        card = make_card(student, question, due=NOW + timedelta(days=index), stable_until=NOW)
        for version in range(5):
            make_log(card, NOW - timedelta(days=version, hours=index), 3, version + 1)
    db.session.commit()
    db.session.expire_all()
    assert student.timezone == "America/Lima"
    large = count_statements.during(lambda: progress.student_dashboard(db.session, student, NOW))
    # Five, and one more for the streak's second page: over 64 review times back to its first missed
    # day. Pages grow fourfold, so a year of 500 reviews a day would take six more.
    assert (small, large) == (5, 6)


def test_a_streak_read_over_several_pages_counts_every_day(app):
    """600 reviews over 12 days, 64 of them at one instant on a page's edge: pages of 64, 256 and 1,024."""
    student = make_user(timezone="America/Lima")
    card = make_card(student, questions_by_topic()["people"][0], due=NOW, stable_until=NOW)
    versions = itertools.count(1)
    for day in range(12):
        for minute in range(50):
            make_log(card, NOW - timedelta(days=day, minutes=minute), 3, next(versions))
    for _ in range(64):
        make_log(card, NOW - timedelta(days=1, minutes=10), 3, next(versions))
    make_log(card, NOW - timedelta(days=14), 3, next(versions))  # after a missed day: not counted
    db.session.commit()
    assert progress.student_dashboard(db.session, student, NOW).streak == 12


def test_the_dashboard_page_shows_the_numbers_and_charts(client, at_now):
    student = make_user(timezone="America/Lima")
    history = build_history(student)
    login(client, student.username)

    page = client.get("/dashboard").get_data(as_text=True)

    def stat(name: str) -> str:
        match = re.search(rf'data-stat="{name}">\s*<p class="stat">([^<]*)</p>', page)
        assert match, name
        return match.group(1)

    assert [
        stat(name) for name in ("due-now", "due-today", "reviews-today", "streak", "retention", "cards", "mastered")
    ] == ["2", "3", "2", "4", "67%", "7", "4"]
    text = re.sub(r"\s+", " ", page)
    assert "A question is mastered once its memory has grown to last three weeks" in text
    assert "True retention: of the reviews of cards already learned and due" in text
    # Study now comes first: 2 cards due, and new ones up to the daily limit.
    assert page.index('data-stat="study-now"') < page.index('id="forecast-heading"')
    assert "<strong>2</strong> due · <strong>20</strong> new" in page
    # Forecast and mastery charts: inline SVG, no script, no inline style.
    assert page.count("<svg") == 2
    assert (
        '<desc id="forecast-desc">Today: 3; Mon 11: 1; Tue 12: 0; Wed 13: 1; Thu 14: 0; Fri 15: 0; Sat 16: 0; '
        "Sun 17: 1</desc>" in page
    )
    assert "Leaders: " in page
    assert "<script" not in page
    assert "style=" not in page
    # The unfinished quiz can be resumed; the finished one's mistakes studied.
    assert f'href="/quiz/{history["unfinished"].id}">Resume</a>' in page
    assert f'href="/study?attempt={history["finished"].id}">Review mistakes as flashcards</a>' in page
    assert "10 Mar 2024, 09:00" in page  # the unfinished quiz's start, in Lima time


def test_the_dashboard_page_in_spanish_formats_dates_numbers_and_charts_for_the_locale(client, at_now):
    student = make_user(timezone="America/Lima", language=Language.SPANISH)
    history = build_history(student)
    login(client, student.username)

    page = client.get("/dashboard", headers={"Accept-Language": "en"}).get_data(as_text=True)  # the setting wins

    assert '<html lang="es">' in page
    assert "<h1>Tu avance</h1>" in page
    assert re.search(r'data-stat="retention">\s*<p class="stat">67\xa0%</p>', page)
    assert "<strong>2</strong> pendientes · <strong>20</strong> nuevas" in page
    assert (
        '<desc id="forecast-desc">Hoy: 3; lun 11: 1; mar 12: 0; mié 13: 1; jue 14: 0; vie 15: 0; sáb 16: 0; '
        "dom 17: 1</desc>" in page
    )
    assert '<th scope="row">lun 11 mar</th>' in page
    assert "Líderes: " in page and "<td>Líderes</td>" in page
    text = re.sub(r"\s+", " ", page)
    assert "Dominas una pregunta cuando su recuerdo ya dura tres semanas o más" in text
    assert "Retención real: de los repasos de tarjetas ya aprendidas" in text
    assert "10 mar 2024, 09:00" in page  # the unfinished quiz's start, in Lima time, as Spanish writes it
    assert f'href="/quiz/{history["unfinished"].id}">Continuar</a>' in page


def test_the_dashboard_page_for_a_new_student(client, at_now):
    student = make_user()
    login(client, student.username)
    response = client.get("/dashboard")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "No quizzes yet" in page
    assert '<p class="stat">–</p>' in page  # no true retention without reviews
    # A welcome with the two ways to start, instead of the study box.
    assert "Welcome! Two ways to start" in page
    assert 'href="/quiz/">Take a quiz</a>' in page and 'href="/study">Study flashcards</a>' in page
    assert 'data-stat="study-now"' not in page


# --- weakest questions -------------------------------------------------------


def test_weakest_questions_rank_by_lapses_then_difficulty_then_stability(client, at_now):
    student = make_user()
    questions = questions_by_topic()["people"]
    far = utc(2025, 1, 1)
    specs = [  # (lapses, difficulty, stability)
        (0, 9.0, 1.0),
        (3, 4.0, 8.0),
        (3, 7.5, 9.0),
        (3, 7.5, 2.0),
        (1, 2.0, 0.5),
    ]
    cards = [
        make_card(
            student,
            questions[index],
            due=far,
            stable_until=far,
            lapses=lapses,
            difficulty=difficulty,
            stability=stability,
            reviews=4,
        )
        for index, (lapses, difficulty, stability) in enumerate(specs)
    ]
    for version, rating in enumerate([1, 1, 3, 1], start=1):
        make_log(cards[3], NOW - timedelta(days=version), rating, version)
    retired = make_card(student, questions[5], due=far, stable_until=far, lapses=9)
    questions[5].status = Status.RETIRED
    make_card(make_user(), questions[6], due=far, stable_until=far, lapses=20)
    db.session.commit()

    weakest = progress.weakest_questions(db.session, student)
    expected_order = [questions[3].id, questions[2].id, questions[1].id, questions[4].id, questions[0].id]
    assert [question.question_id for question in weakest] == expected_order
    assert retired.question_id not in expected_order
    top = weakest[0]
    assert (top.lapses, top.agains, top.reviews, top.difficulty, top.stability) == (3, 3, 4, 7.5, 2.0)
    assert (top.prompt, top.answer) == (questions[3].current.prompt, questions[3].current.answer)
    assert [question.question_id for question in progress.weakest_questions(db.session, student, limit=2)] == (
        expected_order[:2]
    )

    login(client, student.username)
    page = client.get("/study/weakest").get_data(as_text=True)
    assert re.findall(r'<tr data-question="([^"]+)">', page) == expected_order
    assert questions[3].current.prompt in page


def test_weakest_page_without_cards(client, at_now):
    student = make_user()
    login(client, student.username)
    assert "You have not reviewed any card yet" in client.get("/study/weakest").get_data(as_text=True)


def test_dashboard_lists_the_quizzes_assigned_to_the_students_classes(client, at_now: None) -> None:
    from quizapp.models import Role
    from quizapp.services import classes

    teacher = make_user(Role.TEACHER)
    student = make_user(timezone="America/Lima")
    school_class = classes.create_class(db.session, teacher, "5to A")
    classes.join_class(db.session, student, school_class.join_code)
    classes.create_assignment(
        db.session,
        school_class,
        title="Recognitions review",
        topics=["recognitions"],
        length=5,
        due_day=date(2024, 3, 12),
        tz=ZoneInfo("America/Lima"),
        now=NOW,
    )
    db.session.commit()
    login(client, student.username)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Assigned quizzes to do" in page and "Recognitions review" in page and "5to A" in page
    assert page.index("Recognitions review") < page.index('id="forecast-heading"')  # before the charts
    assert "12 Mar 2024, 23:59" in page  # the end of the due day, in the student's zone
    assert "not started" in page
