"""Constant cost: every main page and action runs as many SQL statements in a small school as in a large one.

Two databases are seeded with the demo generator: a school of 10 students with
20 reviews each, and one of 400 students with 60 reviews each, so the student
and the class measured have more of their own rows too, not only more
neighbours. The same journey through the app, as a student and as a teacher,
is replayed in each, a month after the histories end (so the student has
cards due in both), counting the statements every request sends with a
``before_cursor_execute`` listener. A count that grows with the data is an
N+1 somewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from werkzeug.test import TestResponse

from quizapp import create_app, demo
from quizapp.extensions import db
from quizapp.models import Assignment, Question, QuizItem, ReviewCard, SchoolClass, Status, User
from tests.app.factories import right_response
from tests.conftest import Clock, DatabaseTemplates, IsolatedClient, _migrated, config_for_tests

SIZES = {"small": (10, 20), "large": (400, 60)}  # students, reviews a student
SEEDED_AT = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
CLOCK = SEEDED_AT + timedelta(days=30)  # "now" for every request


@pytest.fixture(scope="module")
def schools(database_templates: DatabaseTemplates) -> Iterator[dict[str, Flask]]:
    """A small and a large seeded school, each on its own database."""
    apps: dict[str, tuple[Flask, str]] = {}
    try:
        for size, (students, reviews) in SIZES.items():
            template = database_templates.template("bank", lambda url: _migrated(url, with_bank=True))
            url = database_templates.copy_of(template)
            app = create_app(config_for_tests(url))
            app.test_client_class = IsolatedClient
            apps[size] = (app, url)
            with app.app_context():
                spec = demo.DemoSpec(students=students, questions=0, reviews=students * reviews, seed=1)
                demo.seed_demo(db.session, spec, SEEDED_AT)
                db.session.commit()
                db.session.remove()
        yield {size: app for size, (app, _) in apps.items()}
    finally:
        for app, url in apps.values():
            with app.app_context():
                db.engine.dispose()
            database_templates.drop(url)


class Journey:
    """Requests made through one client, each with the number of SQL statements it ran."""

    def __init__(self, app: Flask, username: str) -> None:
        self.app = app
        self.client: FlaskClient = app.test_client()
        self.counts: dict[str, int] = {}
        self._statements = 0
        response = self.client.post("/login", data={"username": username, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)

    def _count(self, *_args: object) -> None:
        self._statements += 1

    def request(self, name: str, send: Callable[[FlaskClient], TestResponse], status: int = 200) -> TestResponse:
        with self.app.app_context():
            engine = db.engine
        self._statements = 0
        event.listen(engine, "before_cursor_execute", self._count)
        try:
            response = send(self.client)
        finally:
            event.remove(engine, "before_cursor_execute", self._count)
        assert response.status_code == status, (name, response.status_code, response.get_data(as_text=True)[:500])
        self.counts[name] = self._statements
        return response

    def get(self, name: str, path: str, status: int = 200) -> TestResponse:
        return self.request(name, lambda client: client.get(path), status)

    def post(self, name: str, path: str, data: dict[str, object], status: int = 302) -> TestResponse:
        return self.request(name, lambda client: client.post(path, data=data), status)


def student_journey(app: Flask) -> dict[str, int]:
    username = demo.student_username(0)
    journey = Journey(app, username)
    journey.get("dashboard", "/dashboard")
    front = journey.get("study: next card", "/study").get_data(as_text=True)
    ticket = re.search(r'href="/study\?card=([^"#]+)', front)
    assert ticket is not None, "the seeded student should have a card to study"
    journey.get("study: flip", f"/study?card={ticket.group(1)}")
    journey.post("study: grade", "/study/grade", {"card": ticket.group(1), "rating": 3, "duration_ms": 4000})
    journey.get("study: weakest", "/study/weakest")
    journey.get("quiz: new", "/quiz/")
    started = journey.post("quiz: start", "/quiz/", {"topics": ["mix"], "length": 10})
    attempt_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    journey.get("quiz: question", f"/quiz/{attempt_id}")
    with app.app_context():
        items = db.session.scalars(
            select(QuizItem).where(QuizItem.attempt_id == attempt_id).order_by(QuizItem.position)
        ).all()
        answers = [(item.position, right_response(item)) for item in items]
    for position, answer in answers:
        name = "quiz: answer" if position == 1 else f"quiz: answer {position}"
        # The first is a mistake, so the quiz has one to study below.
        response = {"dont_know": "1"} if position == 1 else {"response": answer}
        journey.post(name, f"/quiz/{attempt_id}/answer", {"position": position, **response})
    journey.get("quiz: feedback", f"/quiz/{attempt_id}/1")
    journey.get("quiz: results", f"/quiz/{attempt_id}/results")
    journey.get("quiz: classes and assignments", "/classes")
    journey.get("study: mistakes of a quiz", f"/study?attempt={attempt_id}")
    with app.app_context():
        cards = db.session.scalar(
            select(func.count(ReviewCard.id)).join(User, User.id == ReviewCard.user_id).where(User.username == username)
        )
    journey.counts["(cards of the student, not a request)"] = cards
    return journey.counts


def teacher_journey(app: Flask) -> dict[str, int]:
    with app.app_context():
        school_class = db.session.scalar(select(SchoolClass).order_by(SchoolClass.id).limit(1))
        assert school_class is not None
        class_id = school_class.id
        teacher = db.session.get(User, school_class.teacher_id)
        assignment_id = db.session.scalar(
            select(Assignment.id).where(Assignment.class_id == class_id).order_by(Assignment.due_at).limit(1)
        )
        student_id = db.session.scalar(select(User.id).where(User.username == demo.student_username(0)))
        question_id = db.session.scalar(
            select(Question.id).where(Question.status == Status.ACTIVE).order_by(Question.id).limit(1)
        )
    journey = Journey(app, teacher.username)
    journey.get("teach: classes", "/teach/classes")
    journey.get("teach: class overview", f"/teach/classes/{class_id}")
    journey.get("teach: class overview sorted", f"/teach/classes/{class_id}?sort=retrievability&dir=desc")
    journey.get("teach: gradebook csv", f"/teach/classes/{class_id}/gradebook.csv")
    journey.get("teach: item analysis", f"/teach/classes/{class_id}/items")
    journey.get("teach: item analysis of an assignment", f"/teach/classes/{class_id}/items?assignment={assignment_id}")
    journey.get("teach: assignment results", f"/teach/classes/{class_id}/assignments/{assignment_id}")
    journey.get("teach: student", f"/teach/classes/{class_id}/students/{student_id}")
    journey.get("teach: bank list", "/teach/questions")
    journey.get("teach: bank list page 3", "/teach/questions?page=3")
    journey.get("teach: bank search", "/teach/questions?text=lima")
    journey.get("teach: question", f"/teach/question/{question_id}")
    journey.get("teach: topics", "/teach/topics")
    journey.get("teach: topic", "/teach/topic/events")
    return journey.counts


def test_every_page_and_action_costs_the_same_number_of_statements_at_both_sizes(
    schools: dict[str, Flask], clock: Clock
) -> None:
    clock.now = CLOCK
    counts = {size: {**student_journey(app), **teacher_journey(app)} for size, app in schools.items()}
    cards = {size: steps.pop("(cards of the student, not a request)") for size, steps in counts.items()}
    assert cards["large"] > cards["small"] > 0
    assert counts["small"].keys() == counts["large"].keys()
    different = {
        name: (counts["small"][name], counts["large"][name])
        for name in counts["small"]
        if counts["small"][name] != counts["large"][name]
    }
    assert different == {}, f"statements (small, large) that grow with the data: {different}"
