"""After answering a quiz question on a phone, the verdict is in view, has focus and is in the title."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import expect

from tests.app.factories import make_user
from tests.browser.actions import answer_current_question, sign_in


def test_the_verdict_is_focused_in_view_and_in_the_title(app: Flask, live_server: str, page) -> None:
    student = make_user(username="veredicto")
    sign_in(page, live_server, student.username)
    page.goto(live_server + "/quiz/")
    page.get_by_label("Number of questions").fill("5")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+$"))
    answer_current_question(page)
    page.wait_for_url(re.compile(r"/quiz/\d+/1$"))

    verdict = page.locator("#verdict")
    expect(verdict).to_be_focused()
    assert re.match(r"(Right|Not quite): answer 1 of 5 ·", page.title())
    assert verdict.inner_text().rstrip("!.") in page.title()
    box = verdict.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]
