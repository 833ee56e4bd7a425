"""What a person does in the browser tests: sign in, answer the question on screen."""

from __future__ import annotations

import re

from tests.app.factories import DEFAULT_PASSWORD


def sign_in(page, live_server: str, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in through the form; waits for the landing page (a student's dashboard, a teacher's classes)."""
    page.goto(live_server + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/(dashboard|teach/classes)$"))


def answer_current_question(page) -> None:
    """Answer whatever the page asks; right or wrong does not matter here."""
    radios = page.locator("input[type=radio][name=response]")
    if radios.count():
        radios.first.check()
    else:
        page.get_by_label("Your answer").fill("Piérola")
    page.get_by_role("button", name="Check my answer").click()
