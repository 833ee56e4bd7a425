"""The teachers' question bank: roles, authoring and its rules, preview, versions, the bank page."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from werkzeug.test import TestResponse

from quizapp.domain.formats import FORMATS, normalize_draft
from quizapp.domain.grading import normalize
from quizapp.domain.questions import (
    ANSWER_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    MAX_ACCEPTED_ANSWERS,
    MAX_OPTIONS,
    PROMPT_MAX_LENGTH,
    BankTopic,
    QuestionDraft,
    QuestionType,
)
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import (
    Origin,
    Question,
    QuestionVersion,
    QuizAttempt,
    ReviewCard,
    ReviewLog,
    ReviewSource,
    Role,
    Status,
    User,
)
from quizapp.quiz.forms import AnswerForm
from quizapp.services import bank
from quizapp.services.reviews import record_review
from quizapp.teach import forms as teach_forms
from quizapp.teach.forms import QuestionForm
from tests.app.factories import (
    count_rows,
    fresh,
    login,
    login_as,
    make_attempt,
    make_user,
    question_of_type,
    right_response,
)
from tests.app.pages import form_data, page_text

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


# --- fixtures and helpers (also used by test_bank_import) ---------------------------


@pytest.fixture
def teacher(client: FlaskClient) -> User:
    return login_as(client, Role.TEACHER)


def errors_of(response: TestResponse, field_id: str) -> list[str]:
    """The inline error messages shown under one field."""
    text = response.get_data(as_text=True)
    block = re.search(rf'<div id="{re.escape(field_id)}-errors">(.*?)</div>', text, re.S)
    if block is None:
        return []
    return [html.unescape(message) for message in re.findall(r'<p class="field-error"[^>]*>(.*?)</p>', block[1], re.S)]


def flashes(response: TestResponse) -> list[str]:
    return [
        html.unescape(text)
        for text in re.findall(r'<p class="flash[^"]*" role="\w+">(.*?)</p>', response.get_data(as_text=True), re.S)
    ]


def edit_data(question: Question, **fields: object) -> dict[str, object]:
    """The edit form as the page fills it in for a question, with some fields replaced."""
    data: dict[str, object] = {}
    for name, value in QuestionForm.data_for(question).items():
        if isinstance(value, list) and name != "correct_option":  # rows of a FieldList
            data |= {f"{name}-{index}": text for index, text in enumerate(value)}
        else:
            data[name] = value
    data |= fields
    data.setdefault("save", "Save question")
    return {name: value for name, value in data.items() if value is not None}


# --- roles ---------------------------------------------------------------------------


BANK_ENDPOINTS = {
    "teach.bank",
    "teach.new_question",
    "teach.question",
    "teach.edit_question",
    "teach.retire_question",
    "teach.restore_question",
    "teach.import_questions",
    "teach.confirm_import",
    "teach.export_questions",
}


def _routes(question: Question) -> list[tuple[str, str, dict[str, object], int]]:
    """Every bank route: method, URL, form data and what a teacher gets (after redirects)."""
    question_url = f"/teach/question/{question.id}"
    return [
        ("GET", "/teach/questions", {}, 200),
        ("GET", "/teach/questions?q=treaty&topic=dates&page=2", {}, 200),
        ("GET", "/teach/questions/new", {}, 200),
        ("POST", "/teach/questions/new", form_data(preview="Preview", save=None), 200),
        ("GET", question_url, {}, 200),
        ("GET", f"{question_url}/edit", {}, 200),
        ("POST", f"{question_url}/edit", edit_data(question, preview="Preview", save=None), 200),
        ("POST", f"{question_url}/retire", {}, 200),
        ("POST", f"{question_url}/restore", {}, 200),
        ("GET", "/teach/questions/import", {}, 200),
        ("POST", "/teach/questions/import", {}, 422),  # no file chosen: the form says so
        ("POST", "/teach/questions/import/confirm", {"token": "forged"}, 400),
        ("GET", "/teach/questions/export?format=json", {}, 200),
    ]


ROUTE_COUNT = 13


@pytest.mark.parametrize("index", range(ROUTE_COUNT))
def test_anonymous_visitors_are_sent_to_sign_in(app: Flask, client: FlaskClient, index: int) -> None:
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    method, url, data, _ = _routes(question)[index]
    before = count_rows(QuestionVersion)
    response = client.open(url, method=method, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert count_rows(QuestionVersion) == before


@pytest.mark.parametrize("index", range(ROUTE_COUNT))
def test_students_are_forbidden(app: Flask, client: FlaskClient, index: int) -> None:
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    login_as(client, Role.STUDENT)
    method, url, data, _ = _routes(question)[index]
    before = (count_rows(QuestionVersion), fresh(question.id).status)
    response = client.open(url, method=method, data=data)
    assert response.status_code == 403
    assert (count_rows(QuestionVersion), fresh(question.id).status) == before


@pytest.mark.parametrize("index", range(ROUTE_COUNT))
def test_teachers_get_every_page(app: Flask, client: FlaskClient, teacher: User, index: int) -> None:
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    method, url, data, status = _routes(question)[index]
    response = client.open(url, method=method, data=data, follow_redirects=True)
    assert response.status_code == status


def test_the_role_tests_cover_every_bank_endpoint(app: Flask) -> None:
    endpoints = {
        endpoint for endpoint, view in app.view_functions.items() if view.__module__ == "quizapp.teach.bank_views"
    }
    assert endpoints == BANK_ENDPOINTS
    adapter = app.url_map.bind("localhost")
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    tested = {adapter.match(url.split("?")[0], method=method)[0] for method, url, _, _ in _routes(question)}
    assert tested == BANK_ENDPOINTS


def test_promote_makes_a_student_a_teacher(app: Flask) -> None:
    student = make_user(Role.STUDENT, username="rosa")
    result = app.test_cli_runner().invoke(args=["users", "promote", "Rosa"])
    assert result.exit_code == 0, result.output
    assert result.output == "'rosa' is now a teacher.\n"
    db.session.expire_all()
    assert db.session.get(User, student.id).role == Role.TEACHER
    again = app.test_cli_runner().invoke(args=["users", "promote", "rosa"])
    assert again.exit_code == 0
    assert again.output == "'rosa' is already a teacher.\n"


def test_promote_an_unknown_user_fails_clearly(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["users", "promote", "nobody"])
    assert result.exit_code == 1
    assert "Error: there is no user named 'nobody'" in result.output
    assert count_rows(User) == 0


def test_a_promoted_student_can_open_the_bank(app: Flask, client: FlaskClient) -> None:
    student = make_user(Role.STUDENT)
    login(client, student.username)
    assert client.get("/teach/questions").status_code == 403
    assert app.test_cli_runner().invoke(args=["users", "promote", student.username]).exit_code == 0
    assert client.get("/teach/questions").status_code == 200


# --- writing questions ---------------------------------------------------------------


CREATED = {
    "multiple_choice": (
        {},
        dict(answer="Arequipa", options=["Ayacucho", "Arequipa", "Cajamarca"], accepted_answers=[]),
    ),
    "true_false": ({}, dict(answer="True", options=["True", "False"], accepted_answers=[])),
    "short_answer": (
        {"accepted_answers": "Cáceres\r\n\r\nAndres Caceres\n"},
        dict(answer="Andrés Avelino Cáceres", options=[], accepted_answers=["Cáceres", "Andres Caceres"]),
    ),
    "date": ({}, dict(answer="20 October 1883", options=[], accepted_answers=[])),
    "date-month": (
        {"question_type": "date", "date_precision": "month", "date_day": "31"},
        dict(answer="October 1883", options=[], accepted_answers=[]),
    ),
    "date-year": (
        {"question_type": "date", "date_precision": "year", "date_month": ""},
        dict(answer="1883", options=[], accepted_answers=["1884"]),
    ),
}


@pytest.mark.parametrize("kind", CREATED)
def test_create_a_question_of_every_type(empty_app: Flask, kind: str) -> None:
    client = empty_app.test_client()
    teacher = login_as(client, Role.TEACHER)
    changes, expected = CREATED[kind]
    question_type = str(changes.get("question_type", kind))
    extra = {"accepted_answers": "1884"} if kind == "date-year" else {}
    data = form_data(question_type, tags="breña, resistance ,", explanation="  Because.  ", **changes, **extra)
    response = client.post("/teach/questions/new", data=data)
    assert response.status_code == 302, errors_of(response, "prompt")
    question = db.session.scalars(select(Question)).one()
    assert response.headers["Location"] == f"/teach/question/{question.id}"
    assert question.id.startswith("t-")
    assert (question.origin, question.status, question.topic.slug, question.tags) == (
        Origin.TEACHER,
        Status.ACTIVE,
        "events",
        ["breña", "resistance"],
    )
    version = question.current
    assert version.number == 1 and version.created_by_id == teacher.id
    assert version.type == QuestionType(question_type)
    assert version.prompt == data["prompt"]
    assert version.explanation == "Because."
    assert {
        "answer": version.answer,
        "options": version.options,
        "accepted_answers": version.accepted_answers,
    } == expected
    page = client.get(response.headers["Location"])
    assert "Question added." in flashes(page)
    assert version.prompt in page_text(page)


def test_fields_of_other_types_are_ignored(empty_app: Flask) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    data = form_data("true_false", **{"options-0": "Lima", "options-1": "Lima", "date_year": "abc", "answer": "x"})
    assert client.post("/teach/questions/new", data=data).status_code == 302
    assert db.session.scalars(select(QuestionVersion)).one().options == ["True", "False"]


LONG_PROMPT = "Why? " + "x" * 995

RULES = [
    ("prompt", {"prompt": ""}, "Prompt is required and must have at least 3 characters"),
    ("prompt", {"prompt": LONG_PROMPT + "y"}, "Prompt is longer than 1000 characters (1001)"),
    (
        "correct_option",
        {"options-1": "", "options-2": "", "correct_option": "0"},
        "Give 2 to 6 options, found 1",
    ),
    (
        "correct_option",
        {"options-0": "Lima", "options-1": "Lima", "options-2": ""},
        "Options must be distinct: “Lima” is written twice.",
    ),
    (
        "correct_option",
        {"options-0": "Lima", "options-2": "LIMA!"},
        "Options must be distinct (ignoring case, accents and punctuation)",
    ),
    ("correct_option", {"correct_option": None}, "Mark which option is correct."),
    ("correct_option", {"correct_option": "4"}, "The option marked correct is empty: write it, or mark another one."),
    ("answer", {"question_type": "short_answer", "answer": "  "}, "Answer is required"),
    (
        "true_false_answer",
        {"question_type": "true_false", "true_false_answer": None},
        "Choose whether the statement is true or false.",
    ),
    (
        "date_day",
        {"question_type": "date", "date_day": "31", "date_month": "2"},
        "February 1883 has no day 31.",
    ),
    ("date_day", {"question_type": "date", "date_day": ""}, "Give the day of the month."),
    ("date_day", {"question_type": "date", "date_day": "1st"}, "Write the day as a number, e.g. 20."),
    (
        "date_month",
        {"question_type": "date", "date_precision": "month", "date_month": ""},
        "Choose the month.",
    ),
    ("date_year", {"question_type": "date", "date_year": ""}, "Give the year, e.g. 1883."),
    (
        "date_year",
        {"question_type": "date", "date_year": "18833"},
        "Write the year as a number of up to four digits, e.g. 1883.",
    ),
    (
        "date_year",
        {"question_type": "date", "date_precision": "year", "date_year": "999"},
        "Date answer: the year 999 is not between 1000 and 2100",
    ),
    (
        "accepted_answers",
        {"question_type": "date", "accepted_answers": "21 October 1883\nsoon after"},
        "The accepted answer 'soon after' is not a date",
    ),
    ("explanation", {"explanation": "x" * 2001}, "Explanation is longer than 2000 characters (2001)"),
    (
        "answer",
        {"question_type": "short_answer", "answer": "x" * 501},
        "Answer is longer than 500 characters (501)",
    ),
    (
        "accepted_answers",
        {"question_type": "short_answer", "accepted_answers": "\n".join(f"Cáceres {n}" for n in range(51))},
        "Accepted answers: at most 50 are allowed, found 51",
    ),
    (
        "accepted_answers",
        {"question_type": "short_answer", "accepted_answers": "Cáceres\n" + "x" * 501},
        "An accepted answer is longer than 500 characters (501)",
    ),
    ("correct_option", {"options-2": "x" * 501}, "An option is longer than 500 characters (501)"),
    (
        "response",
        {"preview": "Preview", "save": None, "response": "x" * 501},
        "An answer may be at most 500 characters long.",
    ),
]


@pytest.mark.parametrize(("field_id", "changes", "message"), RULES, ids=[rule[2][:40] for rule in RULES])
def test_each_rule_has_a_clear_inline_error(
    empty_app: Flask, field_id: str, changes: dict[str, object], message: str
) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    response = client.post("/teach/questions/new", data=form_data(**changes))
    assert response.status_code == 422
    assert errors_of(response, field_id) == [message]
    assert count_rows(Question) == 0


def test_the_form_tells_the_browser_the_size_limits(empty_app: Flask) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    text = client.get("/teach/questions/new").get_data(as_text=True)

    def maxlength(field_id: str) -> int:
        match = re.search(rf'<(?:input|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', text)
        assert match, field_id
        found = re.search(r'maxlength="(\d+)"', match[0])
        assert found, match[0]
        return int(found[1])

    assert maxlength("prompt") == PROMPT_MAX_LENGTH
    assert maxlength("answer") == ANSWER_MAX_LENGTH
    assert {maxlength(f"options-{row}") for row in range(MAX_OPTIONS)} == {ANSWER_MAX_LENGTH}
    assert maxlength("explanation") == EXPLANATION_MAX_LENGTH
    assert maxlength("accepted_answers") == MAX_ACCEPTED_ANSWERS * (ANSWER_MAX_LENGTH + 1)
    assert 'id="options-6"' not in text  # one row for each option a question may have


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("prompt", "W" * 1001),
        ("explanation", "e" * 2001),
        ("answer", "a" * 501),
        ("accepted_answers", [f"Cáceres {n}" for n in range(51)]),
        ("options", ["Lima", "o" * 501]),
    ],
)
def test_the_model_refuses_a_version_over_the_size_limits(app: Flask, field: str, value: str | list[str]) -> None:
    version = question_of_type(QuestionType.MULTIPLE_CHOICE).current
    with pytest.raises(ValueError, match="^question version: "):
        setattr(version, field, value)
    with pytest.raises(ValueError, match="^question version: "):
        QuestionVersion(**{field: value})
    db.session.rollback()


def test_a_prompt_already_active_is_refused_whatever_its_case_and_spacing(
    app: Flask, client: FlaskClient, teacher: User
) -> None:
    existing = question_of_type(QuestionType.MULTIPLE_CHOICE)
    prompt = "  " + "   ".join(existing.current.prompt.upper().split()) + " "
    before = count_rows(Question)
    response = client.post("/teach/questions/new", data=form_data(prompt=prompt))
    assert response.status_code == 422
    assert errors_of(response, "prompt") == [f"Prompt is already asked by active question {existing.id!r}"]
    assert count_rows(Question) == before


def test_a_retired_questions_prompt_may_be_asked_again(app: Flask, client: FlaskClient, teacher: User) -> None:
    existing = question_of_type(QuestionType.MULTIPLE_CHOICE)
    assert client.post(f"/teach/question/{existing.id}/retire").status_code == 302
    response = client.post("/teach/questions/new", data=form_data(prompt=existing.current.prompt))
    assert response.status_code == 302
    restore = client.post(f"/teach/question/{existing.id}/restore", follow_redirects=True)
    assert "asks the same thing; retire or reword it first." in " ".join(flashes(restore))
    assert fresh(existing.id).status == Status.RETIRED


def test_an_edit_may_keep_its_own_prompt(app: Flask, client: FlaskClient, teacher: User) -> None:
    question = question_of_type(QuestionType.SHORT_ANSWER)
    response = client.post(f"/teach/question/{question.id}/edit", data=edit_data(question, explanation="New."))
    assert response.status_code == 302
    assert fresh(question.id).current.explanation == "New."


# --- preview -------------------------------------------------------------------------


def test_preview_shows_the_question_and_grades_a_try_without_saving(empty_app: Flask) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    data = form_data(preview="Preview", save=None)
    response = client.post("/teach/questions/new", data=data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Preview: what a student sees" in text
    assert '<h1 class="quiz-prompt">Where did the resistance regroup after Huamachuco?</h1>' in text
    assert sorted(re.findall(r'name="response" value="([^"]+)"', text)) == [
        "Arequipa",
        "Ayacucho",
        "Cajamarca",
    ]
    assert "Right!" not in text and "Not quite." not in text

    right = page_text(client.post("/teach/questions/new", data=data | {"response": "Arequipa"}))
    assert "Right!" in right
    wrong = page_text(client.post("/teach/questions/new", data=data | {"response": "Cajamarca"}))
    assert "Not quite." in wrong and "<dd>Arequipa</dd>" in wrong
    assert count_rows(Question) == 0


def test_preview_of_a_date_grades_like_the_quiz(empty_app: Flask) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    data = form_data("date", preview="Preview", save=None, response="20/10/1883")
    text = page_text(client.post("/teach/questions/new", data=data))
    assert "A date in any usual form" in text and "Right!" in text
    text = page_text(client.post("/teach/questions/new", data=data | {"response": "October 1883"}))
    assert "Your date is right to the month, but the question asks for the day" in text


def test_preview_refuses_a_question_that_could_not_be_saved(empty_app: Flask) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    response = client.post("/teach/questions/new", data=form_data(prompt="", preview="Preview", save=None))
    assert response.status_code == 422
    assert "what a student sees" not in page_text(response)


def _squash(markup: str) -> str:
    return " ".join(markup.split()).replace("> <", "><")


def test_the_preview_is_the_quiz_markup(app: Flask) -> None:
    """The shared partial renders exactly what the quiz page shows, for every type."""
    student_client = app.test_client()
    student = login_as(student_client, Role.STUDENT)
    attempt = make_attempt(student, [question_of_type(question_type) for question_type in QuestionType])
    for item in attempt.items:
        quiz_page = _squash(student_client.get(f"/quiz/{attempt.id}").get_data(as_text=True))
        with app.test_request_context():
            form = AnswerForm(options=item.options, formdata=None, position=item.position)
            partial = render_template_string(
                "{% with key=k, options=o, response=r, autofocus=true, digit_keys=true %}"
                '{% include "shared/_question.html" %}{% endwith %}',
                k=item.asked,
                o=item.options,
                r=form.response,
            )
        assert _squash(partial) in quiz_page, item.asked.type
        student_client.post(f"/quiz/{attempt.id}/answer", data={"position": item.position, "dont_know": "I don't know"})


def test_every_generated_question_goes_through_the_edit_form_unchanged(app: Flask) -> None:
    questions = bank.active_questions(db.session)
    for question in questions:
        with app.test_request_context(method="POST", data=edit_data(question)):
            form = QuestionForm()
            assert form.validate(), (question.id, form.errors)
            assert form.draft is not None
            stored = bank.to_draft(question)
            edited = normalize_draft(replace(form.draft, id=question.id, source=question.source))
            assert edited == stored, question.id
            assert not bank.changed_fields(question, edited)


def test_the_question_page_previews_the_current_version(app: Flask, client: FlaskClient, teacher: User) -> None:
    question = question_of_type(QuestionType.SHORT_ANSWER)
    page = page_text(client.get(f"/teach/question/{question.id}"))
    assert f'<h1 class="quiz-prompt">{question.current.prompt}</h1>' in page
    tried = page_text(client.get(f"/teach/question/{question.id}", query_string={"response": "Nobody at all"}))
    assert "Not quite." in tried
    tried = page_text(client.get(f"/teach/question/{question.id}", query_string={"response": question.current.answer}))
    assert "Right!" in tried


# --- editing and versions ------------------------------------------------------------


def test_the_edit_form_is_filled_in_with_the_current_version(app: Flask, client: FlaskClient, teacher: User) -> None:
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    text = client.get(f"/teach/question/{question.id}/edit").get_data(as_text=True)
    correct = question.current.options.index(question.current.answer)
    assert f'id="correct_option-{correct}" name="correct_option" value="{correct}" checked' in text
    date_question = question_of_type(QuestionType.DATE)
    data = QuestionForm.data_for(date_question)
    assert data["date_precision"] in ("day", "month", "year")
    assert normalize(str(data["date_year"])) in normalize(date_question.current.answer)


def test_editing_a_generated_question_adds_a_version_and_locks_it(
    app: Flask, client: FlaskClient, teacher: User
) -> None:
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    old_prompt = question.current.prompt
    response = client.post(
        f"/teach/question/{question.id}/edit", data=edit_data(question, prompt="Reworded: " + old_prompt)
    )
    assert response.status_code == 302
    assert "Saved as version 2." in flashes(client.get(response.headers["Location"]))
    edited = fresh(question.id)
    assert edited.version == 2 and edited.teacher_locked
    assert [version.prompt for version in edited.versions] == [old_prompt, "Reworded: " + old_prompt]
    assert edited.versions[1].created_by_id == teacher.id


def test_saving_an_unchanged_question_writes_nothing(app: Flask, client: FlaskClient, teacher: User) -> None:
    question = question_of_type(QuestionType.DATE)
    response = client.post(f"/teach/question/{question.id}/edit", data=edit_data(question), follow_redirects=True)
    assert "Nothing changed." in flashes(response)
    assert fresh(question.id).version == 1 and not fresh(question.id).teacher_locked


def test_a_past_quiz_still_shows_what_was_asked(app: Flask, client: FlaskClient, teacher: User) -> None:
    student_client = app.test_client()
    student = login_as(student_client, Role.STUDENT)
    student_client.post("/quiz/", data={"topics": ["mix"], "length": 5})
    attempt = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == student.id)).one()
    item = attempt.items[0]
    old_prompt = item.asked.prompt
    answered = student_client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": right_response(item)})
    assert answered.status_code == 302
    question = item.question
    response = client.post(
        f"/teach/question/{question.id}/edit", data=edit_data(question, prompt="Rewritten question?")
    )
    assert response.status_code == 302
    feedback = page_text(student_client.get(f"/quiz/{attempt.id}/1"))
    assert old_prompt in feedback and "Rewritten question?" not in feedback
    history = page_text(client.get(f"/teach/question/{question.id}"))
    assert old_prompt in history and "Rewritten question?" in history


def _studied(student: User, question_id: str) -> ReviewCard:
    record_review(db.session, student, question_id, Rating.Good, NOW, source=ReviewSource.FLASHCARD)
    record_review(db.session, student, question_id, Rating.Good, NOW + timedelta(days=1), source=ReviewSource.FLASHCARD)
    db.session.commit()
    return db.session.scalars(
        select(ReviewCard).where(ReviewCard.question_id == question_id, ReviewCard.user_id == student.id)
    ).one()


def _card_state(card: ReviewCard) -> tuple[object, ...]:
    return (
        card.card_json,
        card.due,
        card.state,
        card.stability,
        card.difficulty,
        card.last_review,
        card.version,
    )


def test_a_changed_answer_restarts_the_cards_but_keeps_the_logs(app: Flask, client: FlaskClient, teacher: User) -> None:
    student = make_user(Role.STUDENT)
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    card = _studied(student, question.id)
    assert card.state == "review" and card.stability is not None
    version_before, reviews_before = card.version, card.reviews
    other = next(index for index, option in enumerate(question.current.options) if option != question.current.answer)
    before = datetime.now(UTC)
    response = client.post(f"/teach/question/{question.id}/edit", data=edit_data(question, correct_option=str(other)))
    assert "Saved as version 2. The answer changed, so 1 student's card of it starts afresh." in flashes(
        client.get(response.headers["Location"])
    )
    db.session.expire_all()
    card = db.session.get(ReviewCard, card.id)
    assert (
        card.state,
        card.stability,
        card.difficulty,
        card.last_review,
        card.stable_until,
        card.lapses,
    ) == (
        "learning",
        None,
        None,
        None,
        None,
        0,
    )
    assert before <= card.due <= datetime.now(UTC)
    assert card.version == version_before + 1 and card.reviews == reviews_before
    assert '"stability": null' in card.card_json and '"step": 0' in card.card_json
    assert db.session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.card_id == card.id)) == 2
    # The fresh card is reviewed like a new one.
    assert record_review(
        db.session, student, question.id, Rating.Good, datetime.now(UTC), source=ReviewSource.FLASHCARD
    )


def test_the_restart_is_announced(app: Flask, client: FlaskClient, teacher: User) -> None:
    question = question_of_type(QuestionType.SHORT_ANSWER)
    for _ in range(2):
        _studied(make_user(Role.STUDENT), question.id)
    response = client.post(
        f"/teach/question/{question.id}/edit",
        data=edit_data(question, answer="Someone else"),
        follow_redirects=True,
    )
    assert "Saved as version 2. The answer changed, so 2 students' cards of it start afresh." in flashes(response)


@pytest.mark.parametrize("change", ["explanation", "prompt", "accepted_answers", "accent", "tags", "topic"])
def test_other_changes_keep_the_students_memory(app: Flask, client: FlaskClient, teacher: User, change: str) -> None:
    student = make_user(Role.STUDENT)
    question = question_of_type(QuestionType.SHORT_ANSWER)
    state = _card_state(_studied(student, question.id))
    answer = question.current.answer
    changes = {
        "explanation": {"explanation": "A better explanation."},
        "prompt": {"prompt": "Who is meant here, in other words?"},
        "accepted_answers": {"accepted_answers": "Someone"},
        "accent": {"answer": answer.upper()},
        "tags": {"tags": "new tag"},
        "topic": {"topic": "leaders"},
    }[change]
    response = client.post(f"/teach/question/{question.id}/edit", data=edit_data(question, **changes))
    assert response.status_code == 302
    db.session.expire_all()
    card = db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == student.id)).one()
    assert _card_state(card) == state
    assert fresh(question.id).version == (1 if change in ("tags", "topic") else 2)


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        ((QuestionType.SHORT_ANSWER, "Cáceres"), (QuestionType.SHORT_ANSWER, "caceres"), False),
        ((QuestionType.SHORT_ANSWER, "Cáceres"), (QuestionType.SHORT_ANSWER, "Piérola"), True),
        ((QuestionType.MULTIPLE_CHOICE, "Lima"), (QuestionType.SHORT_ANSWER, "Lima"), True),
        ((QuestionType.DATE, "20 October 1883"), (QuestionType.DATE, "October 1883"), True),
        ((QuestionType.TRUE_FALSE, "True"), (QuestionType.TRUE_FALSE, "False"), True),
    ],
)
def test_answer_changed(old: tuple[QuestionType, str], new: tuple[QuestionType, str], changed: bool) -> None:
    version = QuestionVersion(type=old[0], answer=old[1])
    draft = QuestionDraft("q", BankTopic.EVENTS, new[0], "Who?", new[1])
    assert bank.answer_changed(version, draft) is changed


def test_teacher_edits_and_retirements_survive_bank_build(app: Flask, client: FlaskClient, teacher: User) -> None:
    edited = question_of_type(QuestionType.MULTIPLE_CHOICE)
    retired = question_of_type(QuestionType.TRUE_FALSE)
    client.post(f"/teach/question/{edited.id}/edit", data=edit_data(edited, prompt="A teacher's wording?"))
    client.post(f"/teach/question/{retired.id}/retire")
    db.session.expire_all()
    assert db.session.get(Question, retired.id).status == Status.RETIRED

    result = app.test_cli_runner().invoke(args=["bank", "build"])
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, retired 0, restored 0" in result.output
    assert "kept teacher's version 2" in result.output
    edited, retired = fresh(edited.id), db.session.get(Question, retired.id)
    assert (edited.version, edited.current.prompt, edited.teacher_locked) == (2, "A teacher's wording?", True)
    assert (retired.status, retired.teacher_locked) == (Status.RETIRED, True)


def test_retire_and_restore(app: Flask, client: FlaskClient, teacher: User) -> None:
    question = question_of_type(QuestionType.DATE)
    response = client.post(f"/teach/question/{question.id}/retire", follow_redirects=True)
    assert "Question retired" in flashes(response)[0]
    assert "Restore" in page_text(response)
    assert "Already" not in flashes(response)[0]
    assert "That question was already retired." in flashes(
        client.post(f"/teach/question/{question.id}/retire", follow_redirects=True)
    )
    response = client.post(f"/teach/question/{question.id}/restore", follow_redirects=True)
    assert "Question restored: quizzes and flashcards show it again." in flashes(response)
    question = fresh(question.id)
    assert question.status == Status.ACTIVE and question.teacher_locked


def test_an_unknown_question_is_404(app: Flask, client: FlaskClient, teacher: User) -> None:
    assert client.get("/teach/question/no-such-id").status_code == 404
    assert client.get("/teach/question/no-such-id/edit").status_code == 404
    assert client.post("/teach/question/no-such-id/retire").status_code == 404


def test_ids_with_slashes_and_odd_characters_have_pages(empty_app: Flask) -> None:
    client = empty_app.test_client()
    teacher = login_as(client, Role.TEACHER)
    draft = QuestionDraft("a/b c?d#e%f", BankTopic.EVENTS, QuestionType.SHORT_ANSWER, "Who was it?", "Cáceres")
    bank.add_teacher_question(db.session, draft, teacher.id)
    db.session.commit()
    with empty_app.test_request_context():
        from flask import url_for

        url = url_for("teach.edit_question", question_id=draft.id)
    assert client.get(url).status_code == 200
    assert client.post(url, data=edit_data(fresh(draft.id), answer="Piérola")).status_code == 302
    assert fresh(draft.id).current.answer == "Piérola"


# --- the bank page -------------------------------------------------------------------


def listed(response: TestResponse) -> list[str]:
    return re.findall(r'<tr data-question="([^"]+)">', response.get_data(as_text=True))


def test_the_bank_lists_25_active_questions_a_page(app: Flask, client: FlaskClient, teacher: User) -> None:
    active = db.session.scalar(select(func.count()).select_from(Question).where(Question.status == Status.ACTIVE))
    first = client.get("/teach/questions")
    assert len(listed(first)) == 25
    assert f"{active} questions, page 1 of {-(-active // 25)}." in page_text(first)
    pages = -(-active // 25)
    assert len(listed(client.get(f"/teach/questions?page={pages}"))) == active - 25 * (pages - 1)
    assert client.get("/teach/questions?page=999").status_code == 200


def test_search_is_case_insensitive_in_prompt_answer_and_id(app: Flask, client: FlaskClient, teacher: User) -> None:
    lower = listed(client.get("/teach/questions?q=treaty&status=any"))
    upper = listed(client.get("/teach/questions?q=TREATY&status=any"))
    assert lower == upper and lower
    for question_id in lower:
        version = db.session.get(Question, question_id).current
        assert "treaty" in (version.prompt + version.answer + question_id).lower()
    by_answer = listed(client.get("/teach/questions", query_string={"q": "29 july 1882"}))
    assert "event:attack-at-chincha:when" in by_answer
    assert listed(client.get("/teach/questions?q=%25")) == []  # a literal %, not a wildcard


def test_search_ignores_accents_and_finds_edited_and_new_versions(
    app: Flask, client: FlaskClient, teacher: User
) -> None:
    searches = {
        query: listed(client.get("/teach/questions", query_string={"q": query, "status": "any", "page": 1}))
        for query in ("Cáceres", "Caceres", "CACERES", "cáCeres")
    }
    assert len(set(map(tuple, searches.values()))) == 1 and searches["Caceres"]
    for question_id in searches["Caceres"]:
        version = db.session.get(Question, question_id).current
        assert "caceres" in normalize(version.prompt + " " + version.answer)
    client.post(
        "/teach/questions/new", data=form_data("short_answer", prompt="¿Quién resistió en la Breña?", answer="Cáceres")
    )
    written = listed(client.get("/teach/questions", query_string={"q": "quien resistio en la brena"}))
    assert len(written) == 1


@pytest.mark.parametrize(
    ("args", "check"),
    [
        ({"topic": "leaders"}, lambda q: q.topic.slug == "leaders"),
        ({"type": "date"}, lambda q: q.current.type == QuestionType.DATE),
        ({"origin": "teacher"}, lambda q: q.origin == Origin.TEACHER),
        (
            {"origin": "generated", "status": "retired"},
            lambda q: q.origin == Origin.GENERATED and q.status == Status.RETIRED,
        ),
        (
            {"status": "any", "type": "true_false", "topic": "dates"},
            lambda q: q.current.type == QuestionType.TRUE_FALSE and q.topic.slug == "dates",
        ),
    ],
)
def test_filters(app: Flask, client: FlaskClient, teacher: User, args: dict[str, str], check: object) -> None:
    retired = question_of_type(QuestionType.MULTIPLE_CHOICE)
    client.post(f"/teach/question/{retired.id}/retire")
    client.post("/teach/questions/new", data=form_data())
    db.session.expire_all()
    expected = [
        q.id
        for q in db.session.scalars(bank.filtered_questions(teach_forms.BankFilterForm(data=args).filters())).unique()
    ]
    shown: list[str] = []
    for page in range(1, 30):
        ids = listed(client.get("/teach/questions", query_string=args | {"page": page}))
        if not ids:
            break
        shown += ids
    assert shown == expected and shown
    assert all(check(db.session.get(Question, question_id)) for question_id in shown)


def test_filters_are_kept_across_pages(app: Flask, client: FlaskClient, teacher: User) -> None:
    text = client.get("/teach/questions?topic=dates&type=date&q=on&page=2").get_data(as_text=True)
    links = re.findall(r'href="(/teach/questions\?[^"]+)"', html.unescape(text))
    page_links = [link for link in links if "page=" in link]
    assert page_links
    for link in page_links:
        assert "topic=dates" in link and "type=date" in link and "q=on" in link
    export_start = text.index('action="/teach/questions/export"')
    export_form = text[export_start : text.index("</form>", export_start)]
    export_fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', export_form)
    assert dict(export_fields) == {"q": "on", "topic": "dates", "type": "date"}


def test_unknown_filter_values_fall_back_to_the_defaults(app: Flask, client: FlaskClient, teacher: User) -> None:
    assert listed(client.get("/teach/questions?topic=nonsense&type=x&origin=y&status=z")) == listed(
        client.get("/teach/questions")
    )


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    executed: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        executed.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield executed
    event.remove(db.engine, "before_cursor_execute", record)


def test_the_bank_page_runs_a_constant_number_of_queries(
    app: Flask, client: FlaskClient, teacher: User, statements: list[str]
) -> None:
    counts = []
    for url in (
        "/teach/questions",
        "/teach/questions?page=3",
        "/teach/questions?q=treaty&status=any",
        "/teach/questions?topic=people&type=short_answer",
    ):
        statements.clear()
        assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 4


def test_after_an_import_the_new_questions_open_the_list(app: Flask, client: FlaskClient, teacher: User) -> None:
    drafts = [
        QuestionDraft(
            "imp-breña",
            BankTopic.LEADERS,
            QuestionType.SHORT_ANSWER,
            "Who led the Breña campaign, in short?",
            "Cáceres",
        ),
        QuestionDraft(
            "imp-lima",
            BankTopic.EVENTS,
            QuestionType.SHORT_ANSWER,
            "Which city did Chile occupy in 1881, in short?",
            "Lima",
        ),
    ]
    csv_file = (io.BytesIO(FORMATS["csv"].emit(drafts).encode()), "new.csv")
    dry_run = client.post("/teach/questions/import", data={"file": csv_file, "format": "csv"})
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', dry_run.get_data(as_text=True))
    assert token is not None
    response = client.post("/teach/questions/import/confirm", data={"token": token[1]})
    assert response.status_code == 302 and "order=recent" in response.headers["Location"]
    shown = client.get(response.headers["Location"])
    assert listed(shown)[:2] == ["imp-lima", "imp-breña"]  # the bank holds hundreds; these come first
    assert "Imported 2 questions" in page_text(shown)


def test_the_question_form_sums_up_its_errors_with_links_to_the_fields(
    app: Flask, client: FlaskClient, teacher: User
) -> None:
    data = form_data("date", date_precision="day", date_day="", date_month="", date_year="")
    page = client.post("/teach/questions/new", data=data).get_data(as_text=True)
    summary = page[page.index('<div class="error-summary"') : page.index("</div>", page.index("error-summary"))]
    assert 'tabindex="-1" autofocus' in summary and "Please fix these 3 things" in summary
    assert re.findall(r'<a href="#([\w-]+)">', summary) == ["date_day", "date_month", "date_year"]
    for name in ("date_day", "date_month", "date_year"):
        control = re.search(rf'<(?:input|select)[^>]*\bid="{name}"[^>]*>', page)
        assert control is not None and 'aria-invalid="true"' in control.group(0)
        assert f'aria-describedby="{name}-errors"' in control.group(0)
