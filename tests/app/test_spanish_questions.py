"""Students read and answer each question in their language: quizzes, flashcards, weakest questions and
leeches in Spanish, graded in Spanish with the English answers right too, and one card per question
whichever language it is studied in."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from quizapp.domain.dates import parse_date_answer
from quizapp.domain.languages import Language
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import Question, QuizItem, ReviewCard, ReviewLog, ReviewSource, User
from tests.app.factories import (
    card_of,
    count_rows,
    fresh,
    login_as,
    make_attempt,
    make_review_card,
    new_card_order,
    only_in_its_own_language,
    question_of_type,
    translate,
)
from tests.app.pages import flip_url, grade, ticket_on
from tests.conftest import Clock

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SPANISH, ENGLISH = "es-PE", "en"
EXPORT_URL = "/account/export.json"


@pytest.fixture(autouse=True)
def at_now(clock: Clock) -> None:
    clock.now = NOW


def speaking(client: FlaskClient, language: str) -> FlaskClient:
    """The client's browser asks for pages in ``language`` from now on."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def main_html(response: TestResponse) -> str:
    text = response.get_data(as_text=True)
    return html.unescape(text[text.index("<main") : text.index("</main>")])


def posted_values(page: str) -> list[str]:
    """The values the page's answer controls post, in page order."""
    return re.findall(r'name="response" value="([^"]*)"', page)


def translated_choice() -> tuple[Question, dict[str, str]]:
    """A multiple-choice question written in Spanish too, and its Spanish option for each English one."""
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    english = question.current
    spanish = {option: f"{option} (en español)" for option in english.options}
    translate(
        question,
        Language.SPANISH,
        prompt="¿Quién encabezó la resistencia en la sierra?",
        answer=spanish[english.answer],
        options=tuple(spanish[option] for option in english.options),
        explanation="Una explicación en español.",
    )
    return fresh(question.id), spanish


def answered_item(attempt_id: int) -> QuizItem:
    db.session.expire_all()
    item = db.session.scalar(select(QuizItem).where(QuizItem.attempt_id == attempt_id))
    assert item is not None
    return item


# --- quizzes --------------------------------------------------------------------------------


def test_a_quiz_question_reads_in_spanish_with_its_options_where_the_attempt_put_them(client: FlaskClient):
    question, spanish = translated_choice()
    attempt = make_attempt(login_as(client), [question], seed=7)
    item = attempt.items[0]

    page = main_html(speaking(client, SPANISH).get(f"/quiz/{attempt.id}"))
    assert '<h1 class="quiz-prompt">¿Quién encabezó la resistencia en la sierra?</h1>' in page
    assert posted_values(page) == [spanish[option] for option in item.options]
    assert 'lang="' not in page  # everything is in the page's language

    page = main_html(speaking(client, ENGLISH).get(f"/quiz/{attempt.id}"))
    assert f'<h1 class="quiz-prompt">{question.current.prompt}</h1>' in page
    assert posted_values(page) == list(item.options)


def test_an_answer_in_spanish_is_graded_and_explained_in_spanish(client: FlaskClient):
    question, spanish = translated_choice()
    attempt = make_attempt(login_as(client), [question])
    speaking(client, SPANISH)
    client.get(f"/quiz/{attempt.id}")
    response = client.post(
        f"/quiz/{attempt.id}/answer", data={"position": 1, "response": spanish[question.current.answer]}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    item = answered_item(attempt.id)
    assert (item.correct, item.response, item.details["language"]) == (True, spanish[question.current.answer], "es")

    feedback = main_html(client.get(f"/quiz/{attempt.id}/1"))
    assert '<p class="quiz-prompt">¿Quién encabezó la resistencia en la sierra?</p>' in feedback
    assert f"<dd>{spanish[question.current.answer]}</dd>" in feedback
    assert '<div class="explanation">Una explicación en español.</div>' in feedback

    results = main_html(client.get(f"/quiz/{attempt.id}/results"))
    assert '<p class="quiz-prompt">¿Quién encabezó la resistencia en la sierra?</p>' in results
    # Read in English later, the question is in English and the answer given is marked Spanish.
    feedback = main_html(speaking(client, ENGLISH).get(f"/quiz/{attempt.id}/1"))
    assert f'<p class="quiz-prompt">{question.current.prompt}</p>' in feedback
    assert f'<span lang="es">{spanish[question.current.answer]}</span>' in feedback


def test_an_option_counts_by_its_position_whichever_language_the_page_was_in(client: FlaskClient):
    question, spanish = translated_choice()
    attempt = make_attempt(login_as(client), [question])
    speaking(client, ENGLISH).get(f"/quiz/{attempt.id}")
    # The page was English when loaded, Spanish when posted: the English option is the same option.
    response = speaking(client, SPANISH).post(
        f"/quiz/{attempt.id}/answer", data={"position": 1, "response": question.current.answer}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    item = answered_item(attempt.id)
    assert (item.correct, item.response) == (True, spanish[question.current.answer])


def test_a_question_only_in_english_is_marked_english_in_the_spanish_interface(client: FlaskClient):
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    only_in_its_own_language(question)
    attempt = make_attempt(login_as(client), [fresh(question.id)])
    page = main_html(speaking(client, SPANISH).get(f"/quiz/{attempt.id}"))
    assert f'<h1 class="quiz-prompt" lang="en">{question.current.prompt}</h1>' in page
    for option in question.current.options:
        assert f'<span lang="en">{option}</span>' in page
    page = main_html(speaking(client, ENGLISH).get(f"/quiz/{attempt.id}"))
    assert 'lang="' not in page


@pytest.mark.parametrize("response", ["EEUU", "estados unidos", "the question's English answer"])
def test_a_typed_answer_in_spanish_accepts_the_english_answer_too(client: FlaskClient, response):
    question = question_of_type(QuestionType.SHORT_ANSWER)
    english_answer = question.current.answer
    translate(question, Language.SPANISH, prompt="¿Qué país?", answer="Estados Unidos", accepted_answers=("EE. UU.",))
    attempt = make_attempt(login_as(client), [fresh(question.id)])
    page = main_html(speaking(client, SPANISH).get(f"/quiz/{attempt.id}"))
    assert "Las tildes y las mayúsculas no importan; se perdona un pequeño error de ortografía." in page
    given = english_answer if response == "the question's English answer" else response
    posted = client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": given})
    assert posted.status_code == 302, posted.get_data(as_text=True)
    item = answered_item(attempt.id)
    assert (item.correct, item.feedback, item.response) == (True, "Correct", given)


def test_a_date_in_spanish_is_read_and_its_hints_are_spanish(client: FlaskClient):
    question = question_of_type(QuestionType.DATE)
    date = parse_date_answer(question.current.answer)
    translate(question, Language.SPANISH, prompt="¿Cuándo ocurrió?", answer=date.display_in(Language.SPANISH))
    attempt = make_attempt(login_as(client), [fresh(question.id)])
    page = main_html(speaking(client, SPANISH).get(f"/quiz/{attempt.id}"))
    assert "Escribe una fecha como 12 de marzo de 1881, 12/03/1881 o 1881-03-12" in page

    unreadable = client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": "después de la guerra"})
    assert unreadable.status_code == 422
    assert "No se pudo leer una fecha; escríbela como 20 de octubre de 1883, 20/10/1883 o 1883-10-20" in main_html(
        unreadable
    )
    posted = client.post(
        f"/quiz/{attempt.id}/answer", data={"position": 1, "response": f"el {date.display_in(Language.SPANISH)}"}
    )
    assert posted.status_code == 302, posted.get_data(as_text=True)
    assert answered_item(attempt.id).correct is True


def date_question_to_the_day() -> Question:
    return next(
        question
        for question in db.session.scalars(select(Question).order_by(Question.id))
        if question.current.type == QuestionType.DATE and parse_date_answer(question.current.answer).day
    )


def test_date_feedback_reads_in_the_readers_language(client: FlaskClient):
    question = date_question_to_the_day()
    date = parse_date_answer(question.current.answer)
    attempt = make_attempt(login_as(client), [question])
    speaking(client, SPANISH).get(f"/quiz/{attempt.id}")
    month_only = date.display_in(Language.SPANISH).split(" de ", 1)[1]  # "octubre de 1883"
    client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": month_only})
    spanish = main_html(client.get(f"/quiz/{attempt.id}/1"))
    assert "Tu fecha es correcta hasta el mes, pero la pregunta pide también el día" in spanish
    english = main_html(speaking(client, ENGLISH).get(f"/quiz/{attempt.id}/1"))
    assert "Your date is right to the month, but the question asks for the day" in english


# --- one card per question, whatever the language --------------------------------------------


def test_a_question_answered_in_spanish_then_studied_in_english_keeps_its_card(client: FlaskClient, clock: Clock):
    question, spanish = translated_choice()
    student = login_as(client)
    attempt = make_attempt(student, [question])
    wrong = next(option for option in question.current.options if option != question.current.answer)
    speaking(client, SPANISH).get(f"/quiz/{attempt.id}")
    client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": spanish[wrong]})
    card = card_of(student, question.id)
    assert (card.reviews, card.first_source) == (1, ReviewSource.QUIZ)

    clock.now = NOW + timedelta(hours=1)
    front = speaking(client, ENGLISH).get(f"/study?attempt={attempt.id}").get_data(as_text=True)
    assert f'data-question="{question.id}"' in front
    assert html.escape(question.current.prompt, quote=False) in front
    flipped = client.get(flip_url(front)).get_data(as_text=True)
    assert grade(client, ticket_on(flipped), 3).status_code == 302

    studied = card_of(student, question.id)
    assert (studied.id, studied.reviews) == (card.id, 2)
    assert count_rows(ReviewCard, ReviewCard.user_id == student.id) == 1
    logs = db.session.scalars(select(ReviewLog.source).where(ReviewLog.card_id == card.id).order_by(ReviewLog.id))
    assert list(logs) == [ReviewSource.QUIZ, ReviewSource.FLASHCARD]


# --- flashcards, weakest questions, leeches -----------------------------------------------------


def test_a_flashcard_reads_in_spanish_front_and_back(client: FlaskClient):
    first = new_card_order()[0]
    translate(
        first, Language.SPANISH, prompt="Pregunta de la tarjeta en español", explanation="Explicación en español."
    )
    login_as(client)
    front = main_html(speaking(client, SPANISH).get("/study"))
    assert f'data-question="{first.id}"' in front
    assert "Pregunta de la tarjeta en español" in front
    back = client.get(flip_url(client.get("/study").get_data(as_text=True)))
    assert '<div class="flashcard-prompt">Pregunta de la tarjeta en español</div>' in main_html(back)
    assert '<div class="flashcard-explanation">Explicación en español.</div>' in main_html(back)


def test_a_flashcard_only_in_english_is_marked_english_on_a_spanish_page(client: FlaskClient):
    first = new_card_order()[0]
    only_in_its_own_language(first)
    login_as(client)
    back = client.get(flip_url(speaking(client, SPANISH).get("/study").get_data(as_text=True)))
    assert '<div class="flashcard-prompt" lang="en">' in main_html(back)
    assert f'data-question="{first.id}"' in back.get_data(as_text=True)


def _with_cards(student: User, questions: list[Question]) -> None:
    for lapses, question in enumerate(questions, start=1):
        make_review_card(student, question, last_review=NOW - timedelta(days=2), stability=3.0, lapses=lapses)
    db.session.commit()


def test_weakest_questions_in_spanish(client: FlaskClient):
    translated, _ = translated_choice()
    english_only = question_of_type(QuestionType.DATE)
    only_in_its_own_language(english_only)
    student = login_as(client)
    _with_cards(student, [translated, fresh(english_only.id)])
    page = main_html(speaking(client, SPANISH).get("/study/weakest"))
    assert "<span>¿Quién encabezó la resistencia en la sierra?</span>" in page
    assert f'<span lang="en">{english_only.current.prompt}</span>' in page
    english = main_html(speaking(client, ENGLISH).get("/study/weakest"))
    assert f"<span>{translated.current.prompt}</span>" in english


def test_leeches_in_spanish(client: FlaskClient):
    translated, spanish = translated_choice()
    student = login_as(client)
    _with_cards(student, [translated])
    card_of(student, translated.id).suspended_at = NOW
    db.session.commit()
    page = main_html(speaking(client, SPANISH).get("/study/leeches"))
    assert "<p><strong>¿Quién encabezó la resistencia en la sierra?</strong></p>" in page
    assert f"<strong>{spanish[translated.current.answer]}</strong>" in page
    assert '<p class="flashcard-explanation">Una explicación en español.</p>' in page


def test_the_data_export_shows_an_answer_in_the_language_it_was_given_in(client: FlaskClient):
    question, spanish = translated_choice()
    attempt = make_attempt(login_as(client), [question], seed=3)
    speaking(client, SPANISH).get(f"/quiz/{attempt.id}")
    client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": spanish[question.current.answer]})
    (exported,) = speaking(client, ENGLISH).get(EXPORT_URL).get_json()["quiz_attempts"][0]["items"]
    assert exported["language"] == "es"
    assert exported["prompt"] == "¿Quién encabezó la resistencia en la sierra?"
    assert exported["options_shown"] == [spanish[option] for option in attempt.items[0].options]
    assert (exported["response"], exported["correct_answer"]) == (spanish[question.current.answer],) * 2
    assert exported["explanation"] == "Una explicación en español."


def test_a_flashcard_try_in_spanish(client: FlaskClient):
    question = date_question_to_the_day()
    date = parse_date_answer(question.current.answer)
    translate(question, Language.SPANISH, prompt="¿Cuándo ocurrió?", answer=date.display_in(Language.SPANISH))
    attempt = make_attempt(login_as(client), [fresh(question.id)], results=[False])
    front = speaking(client, SPANISH).get(f"/study?attempt={attempt.id}").get_data(as_text=True)
    assert f'data-question="{question.id}"' in front
    assert "Escribe una fecha como 12 de marzo de 1881" in front

    unreadable = client.get(f"{flip_url(front)}&response={quote('después de la guerra')}")
    assert unreadable.status_code == 422
    assert "No se pudo leer una fecha; escríbela como 20 de octubre de 1883" in main_html(unreadable)
    tried = client.get(f"{flip_url(front)}&response={quote(date.display_in(Language.SPANISH))}")
    assert tried.status_code == 200
    assert '<p class="verdict correct" role="status">' in main_html(tried)
