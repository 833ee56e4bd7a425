"""After answering a quiz question on a phone, the verdict is in view, has focus and is in the title."""

from __future__ import annotations

import re

from flask import Flask

from tests.app.factories import DEFAULT_PASSWORD, make_user


def test_the_verdict_is_focused_in_view_and_in_the_title(app: Flask, live_server: str, page) -> None:
    student = make_user(username="veredicto")
    page.goto(live_server + "/login")
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server + "/dashboard")
    page.goto(live_server + "/quiz/")
    page.get_by_label("Number of questions").fill("5")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+$"))
    radios = page.locator("input[type=radio][name=response]")
    if radios.count():
        radios.first.check()
    else:
        page.get_by_label("Your answer").fill("Piérola")
    page.get_by_role("button", name="Check my answer").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/1$"))

    verdict = page.locator("#verdict")
    assert page.evaluate("document.activeElement.id") == "verdict"
    assert re.match(r"(Right|Not quite): answer 1 of 5 ·", page.title())
    assert verdict.inner_text().rstrip("!.") in page.title()
    box = verdict.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]
