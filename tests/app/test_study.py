"""Flashcard sessions through the test client, at fixed moments.

The app reads the time from its one clock, which the ``clock`` fixture
stops at T0; services get ``now`` passed in.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from quizapp.domain import scheduling
from quizapp.domain.questions import QuestionType
from quizapp.domain.scheduling import Rating, format_interval, preview_intervals
from quizapp.extensions import db
from quizapp.models import (
    Question,
    ReviewLog,
    ReviewSource,
    Status,
    User,
)
from quizapp.services import NotFound, study
from quizapp.services.reviews import record_review
from quizapp.study import routes
from tests.app.factories import (
    card_of,
    log_count,
    login,
    login_as,
    make_attempt,
    make_user,
    new_card_order,
    one_per_fact,
)
from tests.app.pages import (
    card_version_on,
    flip_next,
    flip_url,
    grade,
    shown_question,
    study_shown_card,
    ticket_on,
)
from tests.conftest import Clock

T0 = datetime(2024, 3, 1, 15, 0, tzinfo=UTC)  # 10:00 in Lima, 2 March 04:00 in Auckland


@pytest.fixture
def clock(clock: Clock) -> Clock:
    """The app's clock, at T0."""
    clock.now = T0
    return clock


def questions_of_type(*types: QuestionType) -> list[Question]:
    return [question for question in new_card_order() if question.current.type in types]


def give_card(user: User, question: Question, reviewed_at: datetime, due: datetime, rating: Rating = Rating.Easy):
    """A card for the student reviewed once at ``reviewed_at``, then moved to ``due``."""
    record_review(db.session, user, question.id, rating, reviewed_at, source=ReviewSource.QUIZ)
    card = card_of(user, question.id)
    card.due = due
    db.session.commit()
    return card


# --- access ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/study", "/dashboard", "/study/weakest"])
def test_study_pages_need_a_signed_in_student(client, path):
    response = client.get(path)
    assert response.status_code in (302, 401)
    assert "login" in response.headers.get("Location", "/login")


def test_grading_needs_a_signed_in_student(client):
    assert client.post("/study/grade", data={"rating": "3"}).status_code in (302, 401)


# --- one card: prompt, flip, previews, grade ---------------------------------


def test_the_answer_is_not_in_the_page_before_flipping(client, clock):
    student = login_as(client)
    question = next(q for q in questions_of_type(QuestionType.SHORT_ANSWER) if len(q.current.answer) >= 6)
    give_card(student, question, T0 - timedelta(days=9), due=T0 - timedelta(days=1))

    page = client.get("/study").get_data(as_text=True)
    assert shown_question(page) == question.id
    assert question.current.prompt in page
    assert question.current.answer not in page
    assert 'class="answer"' not in page
    assert 'name="rating"' not in page
    assert "Show answer" in page

    flipped = client.get(flip_url(page)).get_data(as_text=True)
    assert question.current.answer in flipped
    assert question.current.prompt in flipped


def test_interval_previews_are_on_the_grade_buttons_before_grading(client, clock):
    login_as(client)
    page = client.get("/study").get_data(as_text=True)
    flipped = client.get(flip_url(page)).get_data(as_text=True)
    # A new card: the scheduler's learning steps and first interval.
    labels = re.findall(r'<small class="grade-interval">([^<]+)</small>', flipped)
    assert labels == ["1 min", "6 min", "10 min", "8 d"]
    assert labels == [format_interval(interval) for interval in preview_intervals(None, T0).values()]
    for rating, name in [(1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")]:
        assert re.search(rf'name="rating" value="{rating}"[^>]*>\s*{name}', flipped)
    assert card_version_on(flipped) == 0


def test_previews_of_a_review_card_follow_its_memory_state(client, clock):
    student = login_as(client, timezone="America/Lima")
    question = new_card_order()[0]
    card = give_card(student, question, T0 - timedelta(days=8), due=T0 - timedelta(hours=1))
    expected = preview_intervals(card.card_json, T0, timezone=ZoneInfo("America/Lima"))

    page = client.get("/study").get_data(as_text=True)
    flipped = client.get(flip_url(page)).get_data(as_text=True)
    labels = re.findall(r'<small class="grade-interval">([^<]+)</small>', flipped)
    assert labels == [format_interval(expected[rating]) for rating in Rating]
    assert card_version_on(flipped) == card.version


def test_multiple_choice_shows_its_options_and_marks_the_answer_once_flipped(client, clock):
    student = login_as(client)
    question = questions_of_type(QuestionType.MULTIPLE_CHOICE)[0]
    give_card(student, question, T0 - timedelta(days=9), due=T0 - timedelta(days=1))

    page = client.get("/study").get_data(as_text=True)
    for option in question.current.options:  # to choose among, if the student tries an answer
        assert f'name="response" value="{option}"' in page
    assert "correct-option" not in page
    flipped = client.get(flip_url(page)).get_data(as_text=True)
    assert f'<li class="correct-option"><strong>{question.current.answer}</strong>' in flipped


def test_pages_have_no_inline_script_or_style(client, clock):
    login_as(client)
    page = client.get("/study").get_data(as_text=True)
    flipped = client.get(flip_url(page)).get_data(as_text=True)
    for html in (page, flipped):
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
        assert "style=" not in html
        assert "js/flashcards.js" in html
    assert 'name="duration_ms"' in flipped


# --- FSRS through the app ------------------------------------------------------


def test_good_grows_the_interval_over_successive_days_and_again_resets_it(client, clock):
    student = login_as(client, daily_new_limit=1)

    question_id = study_shown_card(client, Rating.Good)  # new card: a learning step
    card = card_of(student, question_id)
    assert (card.state, card.due - T0, card.version) == ("learning", timedelta(minutes=10), 1)

    clock.now = card.due
    assert study_shown_card(client, Rating.Good) == question_id  # graduates to review
    card = card_of(student, question_id)
    assert card.state == "review"
    intervals = [card.due - clock.now]

    for _ in range(3):  # Good each time the card comes due, on later days
        clock.now = card.due
        assert study_shown_card(client, Rating.Good) == question_id
        card = card_of(student, question_id)
        assert card.state == "review"
        intervals.append(card.due - clock.now)
    assert intervals == sorted(intervals) and len(set(intervals)) == 4
    assert intervals[0] >= timedelta(days=1)

    clock.now = card.due
    assert study_shown_card(client, Rating.Again) == question_id  # forgotten
    card = card_of(student, question_id)
    assert (card.state, card.due - clock.now) == ("relearning", timedelta(minutes=10))
    assert card.stability < card_stability_before_again(student, question_id)

    logs = db.session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == student.id).order_by(ReviewLog.reviewed_at)
    ).all()
    assert [log.rating for log in logs] == [3, 3, 3, 3, 3, 1]
    assert [log.card_version for log in logs] == [0, 1, 2, 3, 4, 5]
    assert {log.source for log in logs} == {ReviewSource.FLASHCARD}


def card_stability_before_again(student: User, question_id: str) -> float:
    last_before = db.session.scalars(
        select(ReviewLog)
        .where(ReviewLog.user_id == student.id, ReviewLog.question_id == question_id)
        .order_by(ReviewLog.reviewed_at.desc())
    ).all()[1]
    return scheduling.card_summary(last_before.state_after).stability


def test_the_answer_time_measured_by_the_script_is_logged(client, clock):
    student = login_as(client)
    study_shown_card(client, Rating.Good, duration_ms="4200")
    log = db.session.scalar(select(ReviewLog).where(ReviewLog.user_id == student.id))
    assert log.duration_ms == 4200


@pytest.mark.parametrize("duration", ["", "soon", "-5", str(2 * 3600 * 1000)])
def test_an_implausible_answer_time_is_not_kept_but_the_grade_is(client, clock, duration):
    student = login_as(client)
    study_shown_card(client, Rating.Good, duration_ms=duration)
    log = db.session.scalar(select(ReviewLog).where(ReviewLog.user_id == student.id))
    assert (log.rating, log.duration_ms) == (3, None)


# --- the order of a session ----------------------------------------------------


def test_due_cards_come_first_oldest_due_first_then_new_cards(client, clock):
    student = login_as(client)
    questions = one_per_fact(new_card_order())
    # The newest questions get cards, so the first new card is questions[0]; one card per
    # fact, so that no card studied today buries the next one (see the sibling tests).
    recent, oldest, not_yet = questions[-1], questions[-2], questions[-3]
    give_card(student, recent, T0 - timedelta(days=9), due=T0 - timedelta(hours=1))
    give_card(student, oldest, T0 - timedelta(days=9), due=T0 - timedelta(days=2))
    give_card(student, not_yet, T0 - timedelta(days=9), due=T0 + timedelta(hours=1))

    page = client.get("/study").get_data(as_text=True)
    assert "2 due" in page
    assert study_shown_card(client, Rating.Good) == oldest.id
    assert study_shown_card(client, Rating.Good) == recent.id
    assert study_shown_card(client, Rating.Easy) == questions[0].id
    assert study_shown_card(client, Rating.Easy) == questions[1].id
    # An hour later the third card is due, and comes before any new card.
    clock.now = T0 + timedelta(hours=1)
    assert study_shown_card(client, Rating.Good) == not_yet.id
    assert study_shown_card(client, Rating.Easy) == questions[2].id


def test_next_card_service_uses_a_constant_number_of_queries(app):
    student = make_user()
    questions = new_card_order()
    for index, question in enumerate(questions[:30]):
        record_review(
            db.session, student, question.id, Rating.Easy, T0 - timedelta(days=20 + index), source=ReviewSource.QUIZ
        )
    db.session.commit()
    db.session.expire_all()
    assert student.timezone == "UTC"  # loaded before counting
    statements: list[str] = []

    from sqlalchemy import event

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        remaining = study.remaining_counts(db.session, student, T0)
        card = study.next_card(db.session, student, T0, remaining)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert card is not None and card.card is not None
    # One query for the due card (its question and wording joined in), one for the counts.
    assert len(statements) == 2, statements


def test_the_daily_new_card_limit_resets_at_the_students_midnight(client, clock):
    # 1 March 10:00 UTC is 23:00 in Auckland; 11:00 UTC is midnight there, not in UTC.
    auckland = make_user(timezone="Pacific/Auckland", daily_new_limit=2)
    in_utc = make_user(timezone="UTC", daily_new_limit=2)

    for student in (auckland, in_utc):
        client.post("/logout")
        login(client, student.username)
        clock.now = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
        study_shown_card(client, Rating.Easy)
        study_shown_card(client, Rating.Easy)
        page = client.get("/study").get_data(as_text=True)
        assert shown_question(page) is None
        assert "New cards: none left for today (at most 2 a day" in page

        clock.now = datetime(2024, 3, 1, 10, 59, tzinfo=UTC)
        assert shown_question(client.get("/study").get_data(as_text=True)) is None

        clock.now = datetime(2024, 3, 1, 11, 0, tzinfo=UTC)
        page = client.get("/study").get_data(as_text=True)
        if student is auckland:
            assert shown_question(page) is not None  # a new day in Auckland
            assert "2 left</span> (0 due, 2 new)" in page
        else:
            assert shown_question(page) is None  # still 1 March in UTC

    clock.now = datetime(2024, 3, 2, 0, 0, tzinfo=UTC)
    assert shown_question(client.get("/study").get_data(as_text=True)) is not None  # now UTC's too


def test_a_limit_of_zero_shows_only_due_cards(client, clock):
    login_as(client, daily_new_limit=0)
    page = client.get("/study").get_data(as_text=True)
    assert shown_question(page) is None
    assert "All done for now" in page


def test_the_done_page_says_when_the_next_card_is_due(client, clock):
    student = login_as(client, daily_new_limit=0)
    give_card(student, new_card_order()[0], T0 - timedelta(days=1), due=T0 + timedelta(hours=5))
    page = client.get("/study").get_data(as_text=True)
    assert "Your next card is due in <strong>5 h</strong>" in page


# --- double submits and bad input ----------------------------------------------


def test_a_double_submit_counts_once_and_says_it_was_saved(client, clock):
    student = login_as(client)
    question_id, flipped = flip_next(client)
    ticket = ticket_on(flipped)

    first = grade(client, ticket, Rating.Good)
    assert first.status_code == 302
    # The same grade sent again, as after a response lost on the way back.
    replay = grade(client, ticket, Rating.Good)
    assert replay.status_code == 302
    assert str(routes.ALREADY_GRADED) in client.get(replay.headers["Location"]).get_data(as_text=True)
    assert log_count(student) == 1
    assert card_of(student, question_id).version == 1

    # Shown again later, the card gets a new ticket that counts once too.
    clock.now = T0 + timedelta(minutes=10)
    again, flipped = flip_next(client)
    assert again == question_id and card_version_on(flipped) == 1
    assert grade(client, ticket_on(flipped), Rating.Good).status_code == 302
    assert grade(client, ticket_on(flipped), Rating.Easy).status_code == 302
    assert log_count(student) == 2
    assert card_of(student, question_id).version == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a grade"),
        ({"rating": "7"}, "A grade is 1 (Again) to 4 (Easy)."),
        ({"rating": "0"}, "A grade is 1 (Again) to 4 (Easy)."),
        ({"rating": "good"}, "Grade: Not a valid integer value."),
        ({"rating": "3", "card": ""}, "Which card was graded is missing."),
        ({"rating": "3", "card": "x" * 2000}, "Card: Field cannot be longer than"),
        ({"rating": "3", "card": "forged.ticket.here"}, routes.BAD_TICKET),
    ],
)
def test_malformed_grades_are_refused_with_400(client, clock, data, message):
    student = login_as(client)
    _, flipped = flip_next(client)
    response = client.post("/study/grade", data={"card": ticket_on(flipped), **data})
    assert response.status_code == 400
    assert str(message) in response.get_data(as_text=True)
    assert log_count(student) == 0


def test_grading_a_question_retired_since_it_was_shown_is_refused(client, clock):
    student = login_as(client)
    question_id, flipped = flip_next(client)
    db.session.get(Question, question_id).status = Status.RETIRED
    db.session.commit()
    response = grade(client, ticket_on(flipped), Rating.Good)
    assert response.status_code == 400
    assert "no longer in the bank" in response.get_data(as_text=True)
    assert log_count(student) == 0


def test_retired_questions_are_not_studied(client, clock):
    student = login_as(client)
    questions = new_card_order()
    give_card(student, questions[-1], T0 - timedelta(days=9), due=T0 - timedelta(days=1))
    questions[-1].status = Status.RETIRED
    questions[0].status = Status.RETIRED
    db.session.commit()
    assert shown_question(client.get("/study").get_data(as_text=True)) == questions[1].id


def test_no_answer_without_the_ticket_of_the_card_shown(client, clock):
    """Naming a question (the old flip link) shows the next card's front, never an answer."""
    student = login_as(client)
    due = next(q for q in questions_of_type(QuestionType.SHORT_ANSWER) if len(q.current.answer) >= 6)
    give_card(student, due, T0 - timedelta(days=9), due=T0 - timedelta(days=1))
    other = next(q for q in questions_of_type(QuestionType.SHORT_ANSWER) if q.id != due.id)
    for path in ("/study?flip=1", f"/study?flip=1&question={other.id}", f"/study?question={other.id}"):
        page = client.get(path).get_data(as_text=True)
        assert shown_question(page) == due.id
        assert due.current.answer not in page and other.current.answer not in page
        assert 'name="rating"' not in page


def test_another_students_ticket_or_a_forged_one_shows_nothing(client, clock, app):
    owner = make_user()
    owner_client = app.test_client()
    login(owner_client, owner.username)
    _, flipped = flip_next(owner_client)
    ticket = ticket_on(flipped)
    intruder = login_as(client)
    for bad in (ticket, ticket[:-2] + "xx", "garbage"):
        response = client.get("/study", query_string={"card": bad})
        assert response.status_code == 400
        assert str(routes.BAD_TICKET) in response.get_data(as_text=True)
        assert grade(client, bad, Rating.Easy).status_code == 400
    assert log_count(intruder) == 0 and log_count(owner) == 0


def test_a_ticket_hours_old_shows_the_next_card_instead(client, clock):
    student = login_as(client)
    _, flipped = flip_next(client)
    clock.now = T0 + timedelta(hours=7)
    response = grade(client, ticket_on(flipped), Rating.Easy)
    assert response.status_code == 302 and response.headers["Location"] == "/study"
    assert str(routes.TICKET_EXPIRED) in client.get("/study").get_data(as_text=True)
    assert log_count(student) == 0


def test_a_card_that_moved_on_since_it_was_shown_is_not_graded(client, clock):
    """Answered in a quiz after its flashcard was shown: the stale grade is refused and said so."""
    student = login_as(client)
    question_id, flipped = flip_next(client)
    record_review(db.session, student, question_id, Rating.Again, T0, source=ReviewSource.QUIZ)
    db.session.commit()
    response = grade(client, ticket_on(flipped), Rating.Easy)
    assert response.status_code == 302
    assert str(routes.CARD_MOVED_ON) in client.get(response.headers["Location"]).get_data(as_text=True)
    assert [log.source for log in db.session.scalars(select(ReviewLog))] == [ReviewSource.QUIZ]


# --- mistakes of a quiz attempt ------------------------------------------------


def test_studying_the_mistakes_of_a_quiz_regardless_of_due_dates(client, clock):
    student = login_as(client)
    q = one_per_fact(new_card_order())
    # Q2 was answered wrong but is not due for days; Q4 is wrong and new to the cards.
    give_card(student, q[2], T0 - timedelta(days=1), due=T0 + timedelta(days=5))
    give_card(student, q[5], T0 - timedelta(days=9), due=T0 - timedelta(days=1))  # due, but not a mistake
    attempt = make_attempt(
        student, [q[1], q[2], q[3], q[4]], results=[True, False, None, False], started_at=T0 - timedelta(hours=1)
    )

    page = client.get(f"/study?attempt={attempt.id}").get_data(as_text=True)
    assert "Mistakes from your quiz" in page
    assert "2 mistakes left to review" in page
    assert shown_question(page) == q[2].id

    assert study_shown_card_in(client, attempt.id, Rating.Good) == q[2].id
    assert study_shown_card_in(client, attempt.id, Rating.Again) == q[4].id
    done = client.get(f"/study?attempt={attempt.id}").get_data(as_text=True)
    assert shown_question(done) is None
    assert "Mistakes reviewed" in done
    # The usual session goes on with the due card.
    assert shown_question(client.get("/study").get_data(as_text=True)) == q[5].id


def study_shown_card_in(client, attempt_id: int, rating: int) -> str:
    question_id, flipped = flip_next(client, f"/study?attempt={attempt_id}")
    assert "Mistakes from your quiz" in flipped
    response = grade(client, ticket_on(flipped), rating)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/study?attempt={attempt_id}")
    return question_id


def test_someone_elses_or_an_unknown_attempt_is_404(client, clock):
    other = make_user()
    q = new_card_order()
    foreign = make_attempt(other, [q[0]], results=[False], started_at=T0 - timedelta(hours=1))
    login_as(client)
    assert client.get(f"/study?attempt={foreign.id}").status_code == 404
    assert client.get("/study?attempt=999999").status_code == 404
    assert client.get("/study?attempt=abc").status_code == 404
    assert log_count(other) == 0


def test_next_card_refuses_a_foreign_attempt(app):
    owner, intruder = make_user(), make_user()
    attempt = make_attempt(owner, [new_card_order()[0]], results=[False], started_at=T0)
    with pytest.raises(NotFound):
        study.next_card(db.session, intruder, T0, study.Remaining(1, 0, 0, None), attempt_id=attempt.id)
    remaining = study.remaining_counts(db.session, owner, T0, attempt_id=attempt.id)
    assert study.next_card(db.session, owner, T0, remaining, attempt_id=attempt.id) is not None
