"""The study screen by keyboard, with Anki's keys: Space shows, Space is Good, digits grade, Ctrl+Z undoes."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import ReviewLog
from tests.app.factories import DEFAULT_PASSWORD, make_user


def _sign_in(page, live_server: str, username: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server + "/dashboard")


def _ratings(user_id: int) -> list[int]:
    db.session.rollback()  # the server wrote in its own threads
    return list(db.session.scalars(select(ReviewLog.rating).where(ReviewLog.user_id == user_id).order_by(ReviewLog.id)))


def _answer_shown(page) -> None:
    page.wait_for_url(re.compile(r"/study\?card="))  # waits for "load": the key script is running
    page.locator("#answer").wait_for()


def _front_shown(page) -> str:
    page.locator("[data-flashcard]").wait_for()
    assert page.locator("#answer").count() == 0
    return page.locator("[data-flashcard]").get_attribute("data-question")


def test_space_space_digits_and_undo(app: Flask, live_server: str, page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    student = make_user(username="teclado")
    _sign_in(page, live_server, student.username)
    page.goto(live_server + "/study")  # goto waits for "load", so the key script is running

    # Space shows the answer, Space again is Good.
    first = _front_shown(page)
    page.keyboard.press("Space")
    _answer_shown(page)
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/study$"))
    assert _ratings(student.id) == [3]

    # Enter shows the answer too; digits grade: 1 is Again.
    second = _front_shown(page)
    assert second != first
    page.keyboard.press("Enter")
    _answer_shown(page)
    page.keyboard.press("1")
    page.wait_for_url(re.compile(r"/study$"))
    assert _ratings(student.id) == [3, 1]

    # Ctrl+Z takes back that Again and shows the same card's prompt again.
    _front_shown(page)
    page.keyboard.press("Control+z")
    page.wait_for_url(re.compile(r"/study\?again="))
    page.get_by_text("Your last grade was undone").wait_for()
    assert _front_shown(page) == second
    assert _ratings(student.id) == [3]
    page.keyboard.press("Space")
    _answer_shown(page)
    page.keyboard.press("4")
    page.wait_for_url(re.compile(r"/study$"))
    assert _ratings(student.id) == [3, 4]

    # Keys on a focused link belong to the link: Enter follows it, and grades nothing.
    _front_shown(page)
    page.get_by_role("link", name="Dashboard").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server + "/dashboard")
    assert _ratings(student.id) == [3, 4]
    assert errors == []


def _focused(page, selector: str) -> bool:
    return page.evaluate("selector => document.activeElement.matches(selector)", selector)


def _takes_focus(page, selector: str) -> None:
    expect(page.locator(selector)).to_be_focused()  # waits: autofocus comes with a rendering step


def test_space_and_enter_flip_only_the_focused_card_and_the_answer_is_read_out(
    app: Flask, live_server: str, page
) -> None:
    student = make_user(username="tabulador")
    _sign_in(page, live_server, student.username)
    page.goto(live_server + "/study")
    _front_shown(page)
    _takes_focus(page, "[data-flashcard]")  # the card has focus: Space would flip it

    # On a link of the menu, Space and Enter are the link's: no card is flipped.
    page.get_by_role("link", name="Flashcards").focus()
    page.keyboard.press("Space")
    assert page.locator("#answer").count() == 0 and page.url == live_server + "/study"

    # Tab alone reaches the card, then its "Show answer" link, where Space flips it.
    for _ in range(20):
        page.keyboard.press("Tab")
        if _focused(page, "a[data-flip]"):
            break
    assert _focused(page, "a[data-flip]")
    page.keyboard.press("Space")
    _answer_shown(page)

    # The answer has focus, so a screen reader reads it, and it is on a phone's screen.
    _takes_focus(page, "#answer")
    assert page.title().startswith("Answer shown")
    box = page.locator("#answer").bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    page.keyboard.press("3")
    page.wait_for_url(re.compile(r"/study$"))
    assert _ratings(student.id) == [3]
