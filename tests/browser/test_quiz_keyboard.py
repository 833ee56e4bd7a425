"""By keyboard alone: a student answers a question of every type, a teacher writes a multiple-response question."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import Origin, Question, QuizItem, Role
from tests.app.factories import DEFAULT_PASSWORD, make_attempt, make_user, question_of_type


def _sign_in(page, live_server: str, username: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus (fails if it never does)."""
    for _ in range(limit):
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with Tab")


def _see_verdict_and_go_on(page) -> None:
    """After Enter sent the answer: the verdict has the focus (a screen reader reads it first); Tab, then
    Enter on "Next question" or "See your results"."""
    page.locator(".verdict").wait_for()
    assert page.evaluate("document.activeElement.id") == "verdict"
    _tab_to(page, "a.button")
    page.keyboard.press("Enter")


def test_a_quiz_of_every_type_by_keyboard_alone(app: Flask, live_server: str, page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    student = make_user(username="teo")
    order = [
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.MULTIPLE_RESPONSE,
        QuestionType.MATCHING,
        QuestionType.TIMELINE,
        QuestionType.NUMERICAL,
        QuestionType.DATE,
    ]
    attempt = make_attempt(student, [question_of_type(question_type) for question_type in order])
    _sign_in(page, live_server, student.username)
    page.goto(f"{live_server}/quiz/{attempt.id}")

    # Multiple choice: a digit chooses the option shown with that number.
    page.keyboard.press("3")
    assert page.locator("#option-3").is_checked() and page.evaluate("document.activeElement.id") == "option-3"
    page.keyboard.press("Enter")
    _see_verdict_and_go_on(page)

    # Multiple response: digits tick and untick; every option is reachable.
    page.locator("#option-1").wait_for()
    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("2")
    assert page.locator("#option-1").is_checked() and not page.locator("#option-2").is_checked()
    _tab_to(page, "button[type=submit]:not([name])")
    page.keyboard.press("Enter")
    _see_verdict_and_go_on(page)

    # Matching and timeline: each row's list, chosen with the arrow keys.
    for prefix in ("match", "place"):
        page.locator("select[name=response]").first.wait_for()
        for row in range(page.locator("select[name=response]").count()):
            _tab_to(page, f"#{prefix}-{row + 1}")
            for _ in range(row + 1):  # a different choice in each row
                page.keyboard.press("ArrowDown")
        _tab_to(page, "button[type=submit]:not([name])")
        page.keyboard.press("Enter")
        _see_verdict_and_go_on(page)

    # A number that cannot be read is asked again, and nothing is counted.
    page.get_by_label("Your answer").wait_for()
    page.keyboard.type("soon after")
    page.keyboard.press("Enter")
    page.get_by_text("Could not read a number").wait_for()
    page.get_by_label("Your answer").fill("1883")
    page.get_by_label("Your answer").press("Enter")
    _see_verdict_and_go_on(page)

    page.get_by_label("Your answer").wait_for()
    page.keyboard.type("on 20 October 1883.")
    page.keyboard.press("Enter")
    page.locator(".verdict").wait_for()

    db.session.rollback()  # read what the server committed in its own threads
    items = db.session.scalars(select(QuizItem).where(QuizItem.attempt_id == attempt.id).order_by(QuizItem.position))
    assert all(item.answered_at is not None and item.score is not None for item in items)
    assert errors == []


def test_a_teacher_writes_a_multiple_response_question_by_keyboard_alone(app: Flask, live_server: str, page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    teacher = make_user(Role.TEACHER, username="profe")
    _sign_in(page, live_server, teacher.username)
    page.goto(live_server + "/teach/questions/new")

    _tab_to(page, "#question_type")
    page.keyboard.press("End")
    for _ in range(3):  # the last type is Number; three up is Multiple response
        page.keyboard.press("ArrowUp")
    assert page.locator("#question_type").input_value() == "multiple_response"
    _tab_to(page, "#prompt")
    page.keyboard.type("Which of these countries recognized the La Magdalena government?")
    for row, country in enumerate(["Costa Rica", "Argentina", "Nicaragua"]):
        _tab_to(page, f"#options-{row}")
        page.keyboard.type(country)
        if country != "Argentina":  # every option's "correct" box is in the Tab order
            _tab_to(page, f"#correct_option-{row}")
            page.keyboard.press("Space")
    _tab_to(page, "#save")
    page.keyboard.press("Enter")
    page.locator(".flash-success").wait_for()

    db.session.rollback()
    written = db.session.scalar(select(Question).where(Question.origin == Origin.TEACHER))
    assert written.current.type == QuestionType.MULTIPLE_RESPONSE
    assert written.current.answer == "Costa Rica; Nicaragua"
    assert errors == []
