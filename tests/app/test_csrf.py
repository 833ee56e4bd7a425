"""With CSRF on, every state-changing route refuses a request without a valid token.

The routes come from ``app.url_map``, so a route added later is covered
without touching this file; its URL parameters are filled from real rows by
argument name, and a new argument name fails loudly until it is added here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Membership,
    Question,
    QuizAttempt,
    QuizItem,
    ReviewLog,
    Role,
    SchoolClass,
    Status,
    User,
)
from quizapp.services import classes, quizzes
from tests.app.factories import count_rows, make_user
from tests.app.pages import signed_in  # CSRF is still off when it signs in

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Routes that must be among those checked, so the test can never pass on an empty list.
KNOWN_STATE_CHANGING = {
    "auth.login",
    "auth.logout",
    "auth.register",
    "auth.settings",
    "auth.change_password",
    "quiz.new",
    "quiz.answer",
    "study.classes",
    "quiz.start_assignment",
    "study.grade",
}
TEACH_STATE_CHANGING = {
    "teach.classes",
    "teach.retire_question",
    "teach.restore_question",
    "teach.add_topic",
    "teach.merge_topic",
}


@pytest.fixture
def ids(app: Flask) -> dict[str, object]:
    """Real ids by URL argument name: a class with a student, an assignment, a quiz, a question."""
    teacher = make_user(Role.TEACHER, username="docente")
    student = make_user(username="estudiante")
    school_class = classes.create_class(db.session, teacher, "5to B")
    db.session.flush()
    db.session.add(Membership(class_id=school_class.id, student_id=student.id))
    now = datetime.now(UTC)
    assignment = Assignment(
        class_id=school_class.id,
        title="Huamachuco",
        topics=["events"],
        length=5,
        seed=1,
        due_at=now + timedelta(days=3),
    )
    classes.pin_questions(db.session, assignment)
    db.session.add(assignment)
    question = db.session.scalars(select(Question).where(Question.status == Status.ACTIVE).limit(1)).one()
    attempt = quizzes.start_quiz(db.session, student, ["events"], 5, now, seed=2)
    db.session.commit()
    return {
        "attempt_id": attempt.id,
        "assignment_id": assignment.id,
        "class_id": school_class.id,
        "student_id": student.id,
        "question_id": question.id,
        "position": 1,
        "slug": "events",
    }


def state_changing_rules(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.methods and rule.methods & STATE_CHANGING),
        key=lambda rule: rule.rule,
    )


def url_for_rule(app: Flask, rule: Rule, ids: Mapping[str, object]) -> str:
    """The rule's URL with each argument taken from ``ids`` by name."""
    missing = sorted(rule.arguments - ids.keys())
    assert not missing, f"add a real id for {missing} of {rule.rule} to the `ids` fixture"
    method = sorted(rule.methods & STATE_CHANGING)[0]
    values = {name: ids[name] for name in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=method)


def counts() -> tuple[int, ...]:
    """Rows of every table a state-changing route writes, and the quiz items answered."""
    return (
        *(count_rows(model) for model in (User, SchoolClass, Membership, Assignment, QuizAttempt, ReviewLog)),
        count_rows(QuizItem, QuizItem.answered_at.is_not(None)),
    )


def test_the_routes_checked_include_the_known_ones(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in state_changing_rules(app)}
    assert endpoints >= KNOWN_STATE_CHANGING | TEACH_STATE_CHANGING


def test_url_for_rule_fills_arguments_by_name(app: Flask) -> None:
    rules = {rule.endpoint: rule for rule in state_changing_rules(app)}
    ids = {"attempt_id": 7, "question_id": "events/cáceres-1", "class_id": 3}
    assert url_for_rule(app, rules["quiz.answer"], ids) == "/quiz/7/answer"
    assert url_for_rule(app, rules["teach.class_regenerate_code"], ids) == "/teach/classes/3/join-code"
    assert url_for_rule(app, rules["teach.retire_question"], ids).startswith("/teach/question/events/")
    with pytest.raises(AssertionError, match="add a real id for \\['assignment_id'\\]"):
        url_for_rule(app, rules["quiz.start_assignment"], ids)


@pytest.mark.parametrize("username", ["docente", "estudiante"])
def test_every_state_changing_route_refuses_a_request_without_a_valid_token(
    app: Flask, ids: dict[str, object], username: str
) -> None:
    client = signed_in(app, username)
    app.config["WTF_CSRF_ENABLED"] = True
    client.get("/dashboard")  # a page with a form: the session holds a CSRF token, as in a browser
    before = counts()
    checked = []
    for rule in state_changing_rules(app):
        url = url_for_rule(app, rule, ids)
        for method in sorted(rule.methods & STATE_CHANGING):
            for token, reason in ((None, "The CSRF token is missing."), ("forged", "The CSRF token is invalid.")):
                data = {"csrf_token": token} if token else {}
                response = client.open(url, method=method, data=data)
                assert response.status_code == 400, f"{method} {url} without a valid token: {response.status}"
                assert reason in response.get_data(as_text=True), f"{method} {url}"
            checked.append(rule.endpoint)
    assert set(checked) >= KNOWN_STATE_CHANGING
    assert counts() == before
    assert client.get("/dashboard").status_code == 200  # the refused logout did not sign anyone out


def test_the_same_request_with_the_page_s_token_goes_through(app: Flask, ids: dict[str, object]) -> None:
    client = signed_in(app, "estudiante")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/account").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, page
    response = client.post("/logout", data={"csrf_token": token.group(1)})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302  # signed out now
