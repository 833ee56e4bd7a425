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
    """Answer whatever the page asks, in the widget of its type; right or wrong does not matter here."""
    choices = page.locator("input[name=response]:is([type=radio], [type=checkbox])")
    rows = page.locator("select[name=response]")
    if choices.count():
        choices.first.check()
    elif rows.count():  # matching or timeline: a different choice in each row
        for index in range(rows.count()):
            rows.nth(index).select_option(index=index + 1)
    else:  # a name, a date or a number: a year reads as any of them (an unreadable date is asked again)
        page.get_by_label("Your answer").fill("1883")
    page.get_by_role("button", name="Check my answer").click()
