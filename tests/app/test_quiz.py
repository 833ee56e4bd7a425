"""Randomized quizzes through the web: start, answer once, feedback, results, resume."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from quizapp.domain.grading import MAX_RESPONSE_LENGTH, parse_date_response
from quizapp.domain.question_types import options_shown
from quizapp.domain.questions import QuestionType
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import (
    Question,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    ReviewLog,
    ReviewSource,
    Status,
    Topic,
    User,
)
from quizapp.services import DomainError, NotFound, quizzes
from quizapp.services.reviews import record_review
from tests.app.conftest import StatementLog
from tests.app.factories import count_rows, login_as, make_attempt, make_user, right_response, wrong_response
from tests.conftest import Clock

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def at_now(clock: Clock) -> None:
    clock.now = NOW


# --- fixtures and helpers -----------------------------------------------------------


def start(
    client: FlaskClient, topics: tuple[str, ...] = ("mix",), length: object = 10, **extra: object
) -> TestResponse:
    return client.post("/quiz/", data={"topics": list(topics), "length": length, **extra})


def attempts_of(user: User) -> list[QuizAttempt]:
    db.session.expire_all()
    return list(db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id).order_by(QuizAttempt.id)))


def started(client: FlaskClient, user: User, **kwargs: object) -> QuizAttempt:
    response = start(client, **kwargs)
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt = attempts_of(user)[-1]
    assert response.headers["Location"] == f"/quiz/{attempt.id}"
    return attempt


def post_answer(
    client: FlaskClient, attempt: QuizAttempt, position: int, response: str | list[str], **extra: str
) -> TestResponse:
    return client.post(f"/quiz/{attempt.id}/answer", data={"position": position, "response": response, **extra})


def main_html(response: TestResponse) -> str:
    """The page's <main>, unescaped: the header and footer name the years 1881–1883."""
    text = response.get_data(as_text=True)
    return html.unescape(text[text.index("<main") : text.index("</main>")])


def questions_of_type(question_type: QuestionType, limit: int, topic: str | None = None) -> list[Question]:
    """Active questions of a type (and topic), in id order."""
    found = [
        question
        for question in db.session.scalars(
            select(Question).where(Question.status == Status.ACTIVE).order_by(Question.id)
        ).unique()
        if question.current.type == question_type and (topic is None or question.topic.slug == topic)
    ]
    return found[:limit]


def answer_all(client: FlaskClient, attempt: QuizAttempt, correct: list[bool]) -> None:
    for item, right in zip(attempt.items, correct, strict=True):
        assert client.get(f"/quiz/{attempt.id}").status_code == 200
        response = post_answer(client, attempt, item.position, right_response(item) if right else wrong_response(item))
        assert response.status_code == 302, response.get_data(as_text=True)


# --- starting a quiz ------------------------------------------------------------------


def test_quiz_pages_need_a_signed_in_student(client: FlaskClient) -> None:
    assert client.get("/quiz/").status_code in (302, 401)
    assert client.post("/quiz/", data={"topics": ["mix"], "length": 10}).status_code in (302, 401)


def test_new_quiz_page_offers_topics_as_checkboxes_and_a_length(client: FlaskClient) -> None:
    login_as(client)
    page = client.get("/quiz/").get_data(as_text=True)
    for slug in ("mix", "dates", "leaders", "recognitions", "people", "events"):
        assert f'type="checkbox" value="{slug}"' in page
    assert 'name="length"' in page and 'value="10"' in page


def test_start_quiz_draws_distinct_questions_in_their_current_version(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = started(client, user, length=12)
    assert attempt.length == 12 and attempt.topics == ["dates", "events", "leaders", "people", "recognitions"]
    assert [item.position for item in attempt.items] == list(range(1, 13))
    assert len({item.question_id for item in attempt.items}) == 12
    for item in attempt.items:
        assert item.question_version_id == item.question.current.id
        assert item.options == options_shown(item.asked, attempt.seed, item.question_id)
        assert item.shown_at is None and item.answered_at is None


def test_only_the_chosen_topics_are_drawn(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = started(client, user, topics=("leaders", "recognitions"), length=30)
    assert attempt.topics == ["leaders", "recognitions"]
    assert {item.question.topic.slug for item in attempt.items} <= {"leaders", "recognitions"}


def test_the_same_seed_draws_the_same_questions_and_option_order(client: FlaskClient) -> None:
    user = login_as(client)
    first = started(client, user, length=20, seed=1234)
    second = started(client, user, length=20, seed=1234)
    other = started(client, user, length=20, seed=4321)
    assert first.seed == second.seed == 1234

    def layout(attempt: QuizAttempt) -> list[tuple[str, list[str]]]:
        return [(item.question_id, item.options) for item in attempt.items]

    assert layout(first) == layout(second)
    assert layout(first) != layout(other)
    shuffled = [item for item in first.items if item.asked.type == QuestionType.MULTIPLE_CHOICE]
    assert shuffled, "a 20-question mix has multiple-choice questions"
    assert any(item.options != item.asked.options for item in shuffled)


def test_a_random_seed_is_stored_when_none_is_given(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = started(client, user)
    assert 0 <= attempt.seed < 2**31


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"length": 10}, "Choose at least one topic, or a mix of everything."),
        ({"topics": ["mix"], "length": 4}, "Choose between 5 and 50."),
        ({"topics": ["mix"], "length": 51}, "Choose between 5 and 50."),
        ({"topics": ["mix"], "length": "ten"}, "Not a valid integer value."),
        ({"topics": ["mix"]}, "Say how many questions you want."),
        ({"topics": ["battles"], "length": 10}, "is not a valid choice"),
        ({"topics": ["mix"], "length": 10, "seed": "-3"}, "Quiz code: The quiz code must be a whole number"),
        ({"topics": ["mix"], "length": 10, "seed": "x"}, "Quiz code: Not a valid integer value."),
    ],
)
def test_bad_quiz_settings_are_shown_on_the_form(client: FlaskClient, data: dict[str, object], message: str) -> None:
    user = login_as(client)
    response = client.post("/quiz/", data=data)
    assert response.status_code == 200
    assert message in html.unescape(response.get_data(as_text=True))
    assert attempts_of(user) == []


def test_fewer_matching_questions_give_a_shorter_quiz_and_say_so(client: FlaskClient) -> None:
    user = login_as(client)
    keep = db.session.scalars(
        select(Question.id).join(Topic).where(Topic.slug == "recognitions").order_by(Question.id).limit(3)
    ).all()
    db.session.execute(
        update(Question)
        .where(Question.topic_id == select(Topic.id).where(Topic.slug == "recognitions").scalar_subquery())
        .where(Question.id.not_in(keep))
        .values(status=Status.RETIRED)
    )
    db.session.commit()
    response = start(client, topics=("recognitions",), length=10)
    attempt = attempts_of(user)[-1]
    assert sorted(item.question_id for item in attempt.items) == sorted(keep)
    assert attempt.length == 3
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Only 3 questions match those topics, so this quiz has 3." in html.unescape(page)
    assert "Question 1 of 3" in page


def test_no_matching_question_at_all_is_a_form_error(client: FlaskClient) -> None:
    user = login_as(client)
    db.session.execute(update(Question).values(status=Status.RETIRED))
    db.session.commit()
    response = start(client, topics=("mix",), length=10)  # topics without active questions are not offered
    assert response.status_code == 200
    assert "No questions match those topics yet." in response.get_data(as_text=True)
    assert attempts_of(user) == []


# --- what the question page shows ---------------------------------------------------------

RADIO = re.compile(
    r'<input type="radio" id="option-(\d+)" name="response" value="([^"]*)" aria-keyshortcuts="\d"( autofocus)?>'
)


def test_an_unanswered_question_never_shows_its_answer(client: FlaskClient) -> None:
    user = login_as(client)
    chosen = (
        questions_of_type(QuestionType.SHORT_ANSWER, 4)
        + questions_of_type(QuestionType.DATE, 4)
        + questions_of_type(QuestionType.MULTIPLE_CHOICE, 2)
        + questions_of_type(QuestionType.TRUE_FALSE, 2)
    )
    attempt = make_attempt(user, chosen)
    for item in attempt.items:
        response = client.get(f"/quiz/{attempt.id}")
        page = main_html(response)
        asked = item.asked
        assert f"Question {item.position} of {len(chosen)}" in page
        assert asked.prompt in page
        if asked.explanation:
            assert asked.explanation not in page
        if asked.type in (QuestionType.SHORT_ANSWER, QuestionType.DATE):
            assert asked.answer not in page.replace(asked.prompt, "")
            for accepted in asked.accepted_answers:
                assert accepted not in page.replace(asked.prompt, "")
            assert not RADIO.search(page)
        else:
            radios = RADIO.findall(page)
            # Every option once, in the attempt's order, all marked up alike.
            assert [value for _, value, _ in radios] == item.options
            assert [focus for _, _, focus in radios] == [" autofocus"] + [""] * (len(radios) - 1)
            assert "checked" not in page and "correct" not in page.lower()
        post_answer(client, attempt, item.position, right_response(item))


def test_showing_a_question_starts_its_clock_once(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    client.get(f"/quiz/{attempt.id}")
    db.session.refresh(attempt.items[0])
    first_shown = attempt.items[0].shown_at
    assert first_shown is not None
    client.get(f"/quiz/{attempt.id}")
    db.session.refresh(attempt.items[0])
    assert attempt.items[0].shown_at == first_shown


# --- answering -------------------------------------------------------------------------------


def test_a_right_answer_shows_feedback_and_feeds_fsrs_as_good(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.SHORT_ANSWER, 5))
    item = attempt.items[0]
    client.get(f"/quiz/{attempt.id}")
    response = post_answer(client, attempt, 1, item.asked.answer)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/quiz/{attempt.id}/1"

    page = main_html(client.get(response.headers["Location"]))
    assert "Right!" in page
    assert item.asked.answer in page and item.asked.explanation in page
    assert item.question.source not in page  # fact ids are for teachers, never shown to students
    assert "Next question" in page

    card = db.session.scalar(select(ReviewCard).where(ReviewCard.user_id == user.id))
    assert card is not None and card.question_id == item.question_id
    log = db.session.scalar(select(ReviewLog).where(ReviewLog.card_id == card.id))
    assert (log.rating, log.source) == (3, ReviewSource.QUIZ)
    assert log.duration_ms is not None and log.duration_ms < 30_000


def test_a_wrong_answer_shows_the_right_one_and_feeds_fsrs_as_again(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    item = attempt.items[0]
    client.get(f"/quiz/{attempt.id}")
    [chosen] = wrong_response(item)
    response = post_answer(client, attempt, 1, chosen)
    page = main_html(client.get(response.headers["Location"]))
    assert "Not quite." in page
    assert chosen in page and item.asked.answer in page

    card = db.session.scalar(select(ReviewCard).where(ReviewCard.user_id == user.id))
    assert card.question_id == item.question_id
    assert db.session.scalars(select(ReviewLog.rating).where(ReviewLog.card_id == card.id)).all() == [1]
    db.session.refresh(attempt)
    assert (attempt.answered_count, attempt.correct_count) == (1, 0)


def test_grading_through_the_route_is_lenient(client: FlaskClient) -> None:
    user = login_as(client)
    short = next(q for q in questions_of_type(QuestionType.SHORT_ANSWER, 50) if len(q.current.answer.split()[-1]) > 5)
    date = next(q for q in questions_of_type(QuestionType.DATE, 100) if len(q.current.answer.split()) == 3)
    attempt = make_attempt(user, [short, date, *questions_of_type(QuestionType.TRUE_FALSE, 3)])

    # Capitals, no accents and one typo in the last word.
    answer = short.current.answer
    last = answer.split()[-1]
    sloppy = (answer[: -len(last)] + last[:-2] + last[-1] + last[-2]).upper()
    sloppy = sloppy.translate(str.maketrans("ÁÉÍÓÚÑ", "AEIOUN"))
    post_answer(client, attempt, 1, sloppy)
    # A day-precision date written the numeric way.
    day = parse_date_response(date.current.answer)
    post_answer(client, attempt, 2, f"{day.day}/{day.month}/{day.year}")

    db.session.expire_all()
    assert [item.correct for item in attempt.items[:2]] == [True, True]
    assert "small spelling difference" in main_html(client.get(f"/quiz/{attempt.id}/1"))


def test_right_but_slow_is_hard_and_a_long_absence_is_not_counted_as_slow(app: Flask) -> None:
    user = make_user()
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    first, second = attempt.items[0], attempt.items[1]
    quizzes.mark_shown(first, NOW)
    quizzes.answer(db.session, attempt.id, user, 1, first.asked.answer, NOW + timedelta(seconds=45))
    quizzes.mark_shown(second, NOW + timedelta(minutes=1))
    quizzes.answer(db.session, attempt.id, user, 2, second.asked.answer, NOW + timedelta(hours=3))
    db.session.commit()
    logs = db.session.execute(
        select(ReviewLog.question_id, ReviewLog.rating, ReviewLog.duration_ms).order_by(ReviewLog.id)
    ).all()
    assert logs == [(first.question_id, 2, 45_000), (second.question_id, 3, None)]
    assert (first.duration_ms, second.duration_ms) == (45_000, None)


def test_i_dont_know_is_recorded_as_wrong(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.DATE, 5))
    client.get(f"/quiz/{attempt.id}")
    response = post_answer(client, attempt, 1, "", dont_know="I don't know")
    assert response.status_code == 302
    page = main_html(client.get(response.headers["Location"]))
    assert "Not quite." in page and "No answer given" in page
    assert db.session.scalars(select(ReviewLog.rating)).all() == [1]


def test_a_double_submit_counts_once(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    item = attempt.items[0]
    client.get(f"/quiz/{attempt.id}")
    first = post_answer(client, attempt, 1, wrong_response(item))
    again = post_answer(client, attempt, 1, item.asked.answer)  # the back button, a changed mind
    assert first.headers["Location"] == again.headers["Location"] == f"/quiz/{attempt.id}/1"
    page = main_html(client.get(again.headers["Location"]))
    assert "Your answer to question 1 was already saved; the first answer counts." in page
    assert "Not quite." in page

    db.session.expire_all()
    assert (attempt.answered_count, attempt.correct_count) == (1, 0)
    assert count_rows(ReviewLog) == 1
    assert attempt.items[0].response == wrong_response(item)[0]


def test_the_answer_service_records_once_even_when_the_check_is_raced(app: Flask) -> None:
    user = make_user()
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    item = attempt.items[0]
    # Another request answers first, behind this session's back: the UPDATE's
    # own "answered_at IS NULL" condition must stop this one.
    db.session.execute(
        update(QuizItem)
        .where(QuizItem.id == item.id)
        .values(answered_at=NOW, response="theirs", correct=False)
        .execution_options(synchronize_session=False)
    )
    returned = quizzes.answer(db.session, attempt.id, user, 1, item.asked.answer, NOW)
    assert returned.response == "theirs"
    assert count_rows(ReviewLog) == 0
    db.session.refresh(attempt)
    assert attempt.answered_count == 0


def test_a_replayed_answer_to_the_service_returns_the_stored_one(app: Flask) -> None:
    user = make_user()
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    item = attempt.items[0]
    first = quizzes.answer(db.session, attempt.id, user, 1, item.asked.answer, NOW)
    second = quizzes.answer(db.session, attempt.id, user, 1, wrong_response(item), NOW + timedelta(seconds=5))
    assert second is first and second.correct is True and second.answered_at == NOW
    assert count_rows(ReviewLog) == 1 and attempt.answered_count == 1


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"position": "1", "response": "Not one of them"}, 422, "Choose one of the answers."),
        ({"position": "1"}, 422, "Choose one of the answers."),
        ({"response": "x"}, 302, "That form was for another question."),
        ({"position": "one", "response": "x"}, 302, "That form was for another question."),
        ({"position": "3", "response": "x"}, 302, "That form was for another question."),
        ({"position": "99", "response": "x"}, 302, "That form was for another question."),
    ],
)
def test_malformed_answers_are_explained_and_not_recorded(
    client: FlaskClient, data: dict[str, str], status: int, message: str
) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    response = client.post(f"/quiz/{attempt.id}/answer", data=data)
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"] == f"/quiz/{attempt.id}"
        response = client.get(response.headers["Location"])
    assert message in main_html(response)
    assert count_rows(ReviewLog) == 0
    db.session.expire_all()
    assert attempt.answered_count == 0


def test_an_empty_typed_answer_asks_for_one(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.SHORT_ANSWER, 5))
    response = post_answer(client, attempt, 1, "   ")
    assert response.status_code == 422
    assert "Type an answer, or choose “I don't know”." in main_html(response)
    assert count_rows(ReviewLog) == 0


def test_a_too_long_answer_is_refused_with_a_message(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.SHORT_ANSWER, 5))
    response = post_answer(client, attempt, 1, "x" * (MAX_RESPONSE_LENGTH + 1))
    assert response.status_code == 422
    assert f"Your answer may be at most {MAX_RESPONSE_LENGTH} characters long." in main_html(response)
    assert count_rows(ReviewLog) == 0
    db.session.expire_all()
    assert attempt.items[0].answered_at is None


def test_the_answer_service_refuses_too_long_and_out_of_turn_answers(app: Flask) -> None:
    user = make_user()
    attempt = make_attempt(user, questions_of_type(QuestionType.SHORT_ANSWER, 5))
    with pytest.raises(quizzes.AnswerRefused, match="too long"):
        quizzes.answer(db.session, attempt.id, user, 1, "x" * (MAX_RESPONSE_LENGTH + 1), NOW)
    with pytest.raises(quizzes.AnswerRefused, match="in order"):
        quizzes.answer(db.session, attempt.id, user, 2, "x", NOW)
    with pytest.raises(NotFound):
        quizzes.answer(db.session, attempt.id, user, 6, "x", NOW)
    assert count_rows(ReviewLog) == 0


def test_a_finished_quiz_takes_no_more_answers(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.TRUE_FALSE, 5))
    answer_all(client, attempt, [True] * 5)
    logs = count_rows(ReviewLog)
    # The last answer sent again (its response lost on the way back): it was saved, once.
    response = post_answer(client, attempt, 5, "False")
    assert response.headers["Location"] == f"/quiz/{attempt.id}/5"
    page = main_html(client.get(response.headers["Location"]))
    assert "Your answer to question 5 was already saved; the first answer counts." in page
    response = client.post(f"/quiz/{attempt.id}/answer", data={"response": "False"})
    assert response.headers["Location"] == f"/quiz/{attempt.id}/results"
    page = main_html(client.get(response.headers["Location"]))
    assert "This quiz is finished: answers can no longer be changed. Nothing was recorded." in page
    assert count_rows(ReviewLog) == logs == 5
    db.session.expire_all()
    assert (attempt.answered_count, attempt.correct_count) == (5, 5)
    with pytest.raises(quizzes.QuizFinished):
        quizzes.answer(db.session, attempt.id, user, 1, "True", NOW)


# --- other students' and unknown attempts -----------------------------------------------------


def test_someone_elses_attempt_is_not_found(client: FlaskClient) -> None:
    owner = make_user()
    attempt = make_attempt(owner, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    login_as(client)
    item = attempt.items[0]
    assert post_answer(client, attempt, 1, item.asked.answer).status_code == 404
    for path in (f"/quiz/{attempt.id}", f"/quiz/{attempt.id}/1", f"/quiz/{attempt.id}/results"):
        assert client.get(path).status_code == 404
    assert count_rows(ReviewLog) == 0
    with pytest.raises(NotFound):
        quizzes.get_attempt(db.session, attempt.id, make_user())


def test_unknown_attempts_and_positions_are_not_found(client: FlaskClient) -> None:
    user = login_as(client)
    for path in ("/quiz/999", "/quiz/999/1", "/quiz/999/results"):
        assert client.get(path).status_code == 404
    assert client.post("/quiz/999/answer", data={"position": 1, "response": "x"}).status_code == 404
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    assert client.get(f"/quiz/{attempt.id}/6").status_code == 404
    assert client.get(f"/quiz/{attempt.id}/0").status_code == 404


def test_feedback_for_an_unanswered_question_goes_back_to_the_question(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.MULTIPLE_CHOICE, 5))
    response = client.get(f"/quiz/{attempt.id}/2")
    assert response.status_code == 302 and response.headers["Location"] == f"/quiz/{attempt.id}"


# --- leaving and coming back ---------------------------------------------------------------------


def test_leaving_half_way_and_coming_back_resumes(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = started(client, user, length=6)
    for item in attempt.items[:2]:
        client.get(f"/quiz/{attempt.id}")
        post_answer(client, attempt, item.position, right_response(item))
    client.get("/")  # wander off

    page = main_html(client.get("/quiz/"))
    assert "Resume" in page and f'href="/quiz/{attempt.id}"' in page
    assert "2 of 6 answered" in page
    page = main_html(client.get(f"/quiz/{attempt.id}"))
    assert "Question 3 of 6" in page and attempt.items[2].asked.prompt in page
    assert client.get(f"/quiz/{attempt.id}/results").headers["Location"] == f"/quiz/{attempt.id}"


def test_finished_quizzes_are_not_offered_for_resuming(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.TRUE_FALSE, 5))
    answer_all(client, attempt, [True] * 5)
    assert "Resume" not in main_html(client.get("/quiz/"))
    assert client.get(f"/quiz/{attempt.id}").headers["Location"] == f"/quiz/{attempt.id}/results"


# --- results --------------------------------------------------------------------------------------


def test_results_show_score_topics_and_every_question(client: FlaskClient, app: Flask) -> None:
    user = login_as(client)
    dates = questions_of_type(QuestionType.TRUE_FALSE, 3, topic="dates")
    events = questions_of_type(QuestionType.MULTIPLE_CHOICE, 2, topic="events")
    attempt = make_attempt(user, [dates[0], events[0], dates[1], events[1], dates[2]])
    answer_all(client, attempt, [True, False, True, True, False])

    response = client.get(f"/quiz/{attempt.id}/results")
    assert response.status_code == 200
    page = main_html(response)
    assert "3 / 5" in page and "60% right" in page
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td></tr>', page)
    assert rows == [("Dates", "2", "3"), ("Events", "1", "2")]
    listed = re.findall(r'<p class="verdict \w+">\d+\. ([^<]+)</p>\s*<p class="quiz-prompt">([^<]+)</p>', page)
    assert listed == [
        ("Right", dates[0].current.prompt),
        ("Not quite", events[0].current.prompt),
        ("Right", dates[1].current.prompt),
        ("Right", events[1].current.prompt),
        ("Not quite", dates[2].current.prompt),
    ]
    with app.test_request_context():
        flashcards = url_for("study.session", attempt=attempt.id)
    assert f'href="{flashcards}"' in page and "Review your mistakes as flashcards" in page


def test_results_numbers_and_time_from_the_service(app: Flask) -> None:
    user = make_user()
    leaders = questions_of_type(QuestionType.MULTIPLE_CHOICE, 2, topic="leaders")
    people = questions_of_type(QuestionType.SHORT_ANSWER, 2, topic="people")
    recognition = questions_of_type(QuestionType.TRUE_FALSE, 1, topic="recognitions")[0]
    attempt = make_attempt(user, [leaders[0], people[0], leaders[1], people[1], recognition])
    responses = [leaders[0].current.answer, "wrong", "wrong", people[1].current.answer, "True"]
    for position, response in enumerate(responses, start=1):
        item = attempt.items[position - 1]
        quizzes.mark_shown(item, NOW + timedelta(seconds=20 * position))
        quizzes.answer(db.session, attempt.id, user, position, response, NOW + timedelta(seconds=20 * position + 10))
    db.session.commit()

    tf_correct = attempt.items[4].asked.answer == "True"
    summary = quizzes.results(db.session, attempt)
    assert (summary.correct, summary.answered, summary.total) == (2 + tf_correct, 5, 5)
    assert summary.duration == timedelta(seconds=110)
    assert summary.points == summary.correct  # no partial credit among these types
    assert [(t.slug, t.correct, t.answered, t.total) for t in summary.topics] == [  # by topic name
        ("leaders", 1, 2, 2),
        ("people", 1, 2, 2),
        ("recognitions", int(tf_correct), 1, 1),
    ]
    assert [item.position for item in summary.mistakes] == [2, 3] + ([] if tf_correct else [5])
    assert [item.position for item in summary.items] == [1, 2, 3, 4, 5]
    assert attempt.finished_at == NOW + timedelta(seconds=110)


def test_a_perfect_quiz_has_no_flashcard_action(client: FlaskClient) -> None:
    user = login_as(client)
    attempt = make_attempt(user, questions_of_type(QuestionType.TRUE_FALSE, 5))
    answer_all(client, attempt, [True] * 5)
    page = main_html(client.get(f"/quiz/{attempt.id}/results"))
    assert "5 / 5" in page and "No mistakes" in page and "as flashcards" not in page


# --- drawing from the student's history ----------------------------------------------------------


def test_due_and_weak_questions_are_drawn_for_review(app: Flask) -> None:
    user = make_user()
    leaders = questions_of_type(QuestionType.MULTIPLE_CHOICE, 40, topic="leaders")
    due, weak, familiar = leaders[:3], leaders[3:5], leaders[5:30]
    past = NOW - timedelta(days=30)
    for question in due + weak + familiar:
        record_review(db.session, user, question.id, Rating.Good, past, source=ReviewSource.FLASHCARD)
    db.session.flush()
    cards = {card.question_id: card for card in db.session.scalars(select(ReviewCard))}
    for question in weak + familiar:
        cards[question.id].due = NOW + timedelta(days=10)
    for question in weak:
        cards[question.id].lapses = 1
    for question in due:
        cards[question.id].due = NOW - timedelta(hours=1)
    db.session.commit()

    for seed in range(5):
        attempt = quizzes.start_quiz(db.session, user, ["leaders"], 10, NOW, seed=seed)
        drawn = {item.question_id for item in attempt.items}
        assert {q.id for q in due + weak} <= drawn
        # The other half is questions never seen.
        assert not drawn & {q.id for q in familiar}
    db.session.rollback()


def test_a_wrong_last_quiz_answer_makes_a_question_weak(app: Flask) -> None:
    user = make_user()
    leaders = questions_of_type(QuestionType.MULTIPLE_CHOICE, 40, topic="leaders")
    earlier = make_attempt(user, leaders[:5], started_at=NOW - timedelta(days=20))
    for item, right in zip(earlier.items, [False, True, True, True, True], strict=True):
        quizzes.answer(
            db.session,
            earlier.id,
            user,
            item.position,
            item.asked.answer if right else "nope",
            NOW - timedelta(days=20),
        )
    for card in db.session.scalars(select(ReviewCard)):  # nothing due, no lapses: only the quiz says weak
        card.due, card.lapses, card.difficulty = NOW + timedelta(days=5), 0, 3.0
    db.session.commit()

    attempt = quizzes.start_quiz(db.session, user, ["leaders"], 10, NOW, seed=3)
    drawn = {item.question_id for item in attempt.items}
    assert leaders[0].id in drawn
    assert not drawn & {q.id for q in leaders[1:5]}


def test_start_quiz_runs_a_constant_number_of_queries(app: Flask, count_statements: StatementLog) -> None:
    user = make_user()

    def queries_for(length: int) -> int:
        return count_statements.during(
            lambda: quizzes.start_quiz(db.session, user, ["events", "dates"], length, NOW, seed=length)
        )

    assert user.id  # loaded now, not inside the first count
    assert queries_for(5) == queries_for(50) <= 5
    db.session.rollback()


def test_start_quiz_refuses_bad_settings(app: Flask) -> None:
    user = make_user()
    with pytest.raises(DomainError, match="topics"):
        quizzes.start_quiz(db.session, user, [], 10, NOW)
    with pytest.raises(DomainError, match="topics"):
        quizzes.start_quiz(db.session, user, ["battles"], 10, NOW)
    with pytest.raises(DomainError, match="5 to 50"):
        quizzes.start_quiz(db.session, user, ["dates"], 51, NOW)
