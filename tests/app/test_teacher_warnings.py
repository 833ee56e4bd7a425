"""Teachers see the bank verifier's warnings about a question they write: duplicates and give-aways."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Question, Role
from tests.app.factories import login_as
from tests.app.pages import form_data

GIVE_AWAY = "The question names &#39;Arequipa&#39;, which the correct option shares and a wrong one does not."


def test_the_preview_warns_about_a_name_that_gives_the_answer_away(client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    data = form_data(
        prompt="Which event took place in Arequipa?",
        **{"options-0": "Montero's arrival in Arequipa", "options-1": "The Battle of Huamachuco"},
        **{"options-2": "The signing of the Treaty of Ancón", "correct_option": "0"},
        preview="Preview",
        save=None,
    )
    page = client.post("/teach/questions/new", data=data).get_data(as_text=True)
    assert 'data-rule="give-away"' in page and GIVE_AWAY in page


def test_a_saved_question_that_repeats_another_shows_a_warning_on_its_page(client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    generated = db.session.get(Question, "event:treaty-of-ancon:when")
    prompt = generated.current.prompt.rstrip("?") + " ?"  # the same question, punctuated differently
    response = client.post("/teach/questions/new", data=form_data("date", prompt=prompt))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-rule="duplicate"' in page
    assert "Another active question asks the same: event:treaty-of-ancon:when." in page


def test_generated_questions_and_fair_ones_get_no_warning(client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    generated_page = client.get("/teach/question/event:treaty-of-ancon:when").get_data(as_text=True)
    assert "question-warnings" not in generated_page
    response = client.post("/teach/questions/new", data=form_data())
    teacher = db.session.scalar(select(Question).where(Question.id == response.headers["Location"].rsplit("/", 1)[-1]))
    assert teacher is not None
    assert "question-warnings" not in client.get(response.headers["Location"]).get_data(as_text=True)
