"""A teacher writes a question, opens a class, and sees a student's work in the class overview."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select

from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import Origin, Question, ReviewSource, Role, SchoolClass, Status
from quizapp.services import classes
from quizapp.services.reviews import record_review
from tests.app.factories import DEFAULT_PASSWORD, make_user


def test_teacher_creates_a_question_and_a_class_and_sees_a_students_result(app: Flask, live_server: str, page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    teacher = make_user(Role.TEACHER, username="profe")
    student = make_user(username="lucia")

    page.goto(live_server + "/login")
    page.get_by_label("Username").fill(teacher.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server + "/teach/classes")

    page.goto(live_server + "/teach/questions/new")
    page.get_by_label("Question type").select_option("short_answer")
    page.get_by_label("Topic").select_option("leaders")
    page.get_by_label("Question", exact=True).fill("Who commanded the Peruvian army at Huamachuco?")
    page.get_by_label("Answer", exact=True).fill("Andrés Avelino Cáceres")
    page.get_by_label("Explanation", exact=True).fill("Cáceres led the resistance in the sierra until July 1883.")
    page.get_by_role("button", name="Save question").click()
    page.locator(".flash-success").wait_for()
    db.session.rollback()  # read what the server committed in its own threads
    written = db.session.scalar(select(Question).where(Question.origin == Origin.TEACHER))
    assert written.current.prompt == "Who commanded the Peruvian army at Huamachuco?"
    assert written.status == Status.ACTIVE

    page.goto(live_server + "/teach/classes")
    page.get_by_label("Class name").fill("5to B")
    page.get_by_role("button", name="Create the class").click()
    page.locator("#join-code").wait_for()
    db.session.rollback()
    school_class = db.session.scalar(select(SchoolClass).where(SchoolClass.name == "5to B"))

    # The student joins with the code and studies two cards (as the student's own pages would).
    classes.join_class(db.session, student, school_class.join_code)
    now = datetime.now(UTC)
    for rating in (Rating.Good, Rating.Again):
        question_id = db.session.scalars(select(Question.id).order_by(Question.id)).all()[int(rating)]
        record_review(db.session, student, question_id, rating, now, source=ReviewSource.FLASHCARD)
    db.session.commit()

    page.reload()
    row = page.locator(f'tr[data-student="{student.id}"]')
    row.wait_for()
    assert "lucia" in row.inner_text()
    assert row.locator('[data-col="reviews"]').inner_text().strip() == "2"
    assert row.locator('[data-col="met"]').inner_text().strip() == "2"
    assert (
        row.locator('[data-col="retention"]').inner_text().strip() == "–"
    )  # two new cards: no review of a due card yet
    assert errors == []
