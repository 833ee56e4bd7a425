"""A student registers, takes a 5-question quiz, then studies flashcards by keyboard only."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import QuizAttempt, ReviewLog, ReviewSource, User
from tests.browser.actions import answer_current_question


def test_student_registers_takes_a_quiz_and_reviews_by_keyboard(app: Flask, live_server: str, page) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server + "/register")
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password", exact=True).fill("a long password")
    page.get_by_label("Repeat password").fill("a long password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(live_server + "/dashboard")

    page.get_by_role("link", name="Quiz", exact=True).click()
    page.get_by_label("Number of questions").fill("5")
    page.get_by_role("button", name="Start the quiz").click()
    for position in range(1, 6):
        page.get_by_text(f"Question {position} of 5").wait_for()
        answer_current_question(page)
        page.locator(".verdict").wait_for()
        page.get_by_role("link", name=re.compile("Next question|See your results")).click()
    page.locator("#score").wait_for()
    db.session.rollback()  # end any read snapshot: the server wrote in other threads
    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt.answered_count == 5 and attempt.finished_at is not None

    # Flashcards with the keyboard alone: Space flips, a digit grades.
    page.goto(live_server + "/study")  # goto waits for "load", so the key script is running
    for _ in range(3):
        page.locator("[data-flashcard]").wait_for()
        assert page.locator("#answer").count() == 0
        page.keyboard.press("Space")
        page.wait_for_url(re.compile(r"/study\?card="))  # waits for "load": the key script is running
        page.locator("#answer").wait_for()
        page.keyboard.press("3")
        page.wait_for_url(re.compile(r"/study$"))
    page.locator("[data-flashcard]").wait_for()
    db.session.rollback()
    user = db.session.scalar(select(User).where(User.username == "rosa"))
    flashcard_reviews = db.session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == user.id, ReviewLog.source == ReviewSource.FLASHCARD)
    ).all()
    assert [review.rating for review in flashcard_reviews] == [3, 3, 3]
    assert all(review.duration_ms is not None for review in flashcard_reviews)  # measured by the script
    assert errors == []
