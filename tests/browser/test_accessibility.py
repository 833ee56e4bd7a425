"""axe-core on every page a student and a teacher reach, at a phone's width and a laptop's.

A crawler signs in, follows every link within the app and checks one page per route (and per set
of query arguments), so pages added later are checked without a line here. Pages only a form or a
key press reaches are named states: a quiz question and its feedback, a form showing its errors.
Empty and full accounts both: a demo school gives the full dashboards and gradebooks.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from playwright.sync_api import expect

from quizapp.demo import DEMO_PASSWORD, DemoSpec, seed_demo, student_username, teacher_username
from quizapp.extensions import db
from quizapp.models import Role
from tests.app.factories import make_user
from tests.browser.actions import answer_current_question, sign_in
from tests.browser.axe import LAPTOP, PHONE, check_page, crawl, violations

# The routes checked in dark colours as well: every colour pair and component appears on one of them.
DARK_SAMPLE = frozenset(
    {
        "study.dashboard",
        "study.session",
        "teach.class_overview",
        "teach.bank",
        "teach.question",
        "teach.assignment_results",
        "quiz.results",
        "auth.settings",
    }
)


@pytest.fixture
def demo_school(app: Flask) -> None:
    """A small demo school: a teacher with classes and assignments, students with months of history."""
    seed_demo(
        db.session, DemoSpec(students=8, questions=0, reviews=800, class_size=8, days=40, seed=5), datetime.now(UTC)
    )
    db.session.commit()


@pytest.mark.parametrize(
    ("username", "start"),
    [(student_username(0), "/dashboard"), (teacher_username(0), "/teach/classes")],
    ids=["student", "teacher"],
)
def test_every_page_of_a_full_account_passes_axe(
    app: Flask, demo_school: None, live_server: str, page, username: str, start: str
) -> None:
    sign_in(page, live_server, username, DEMO_PASSWORD)
    result = crawl(app, page, live_server, start, dark_sample=DARK_SAMPLE.__contains__)
    assert len(result.checked) >= 8, result.checked
    assert result.failures == [], "\n".join(result.failures)


def test_every_page_a_visitor_reaches_passes_axe(app: Flask, live_server: str, page) -> None:
    visitor = crawl(app, page, live_server, "/")
    assert {"/", "/login", "/register"} <= set(visitor.checked)
    assert visitor.failures == [], "\n".join(visitor.failures)


@pytest.mark.parametrize(("role", "start"), [(Role.STUDENT, "/dashboard"), (Role.TEACHER, "/teach/classes")])
def test_every_page_of_a_new_account_passes_axe(app: Flask, live_server: str, page, role: Role, start: str) -> None:
    """Empty dashboards, no classes, no quizzes yet (the full accounts' crawl checks dark colours)."""
    sign_in(page, live_server, make_user(role).username)
    result = crawl(app, page, live_server, start)
    assert result.failures == [], "\n".join(result.failures)


def test_a_quiz_question_its_feedback_and_forms_with_errors_pass_axe(app: Flask, live_server: str, page) -> None:
    teacher = make_user(Role.TEACHER)
    sign_in(page, live_server, teacher.username)
    failures = []

    page.goto(live_server + "/quiz/")
    page.get_by_label("Number of questions").fill("5")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+$"))
    failures += check_page(page, "a quiz question", dark=True)
    page.get_by_role("button", name="Check my answer").click()  # nothing chosen: the form says so
    failures += check_page(page, "a quiz question left unanswered")
    answer_current_question(page)
    page.wait_for_url(re.compile(r"/quiz/\d+/1$"))
    failures += check_page(page, "the feedback after an answer", dark=True)

    for path, button in (
        ("/teach/questions/new", "Save question"),
        ("/teach/classes", "Create the class"),
        ("/account", "Save"),
        ("/account/password", "Change password"),
    ):
        page.goto(live_server + path)
        for text_field in page.locator(
            "main input:is([type=text], [type=password], [type=number]):visible, main textarea:visible"
        ).all():
            text_field.fill("")
        page.locator("main form").last.get_by_role("button", name=re.compile(button)).click()
        page.locator(".error-summary").wait_for()
        expect(page.locator("#error-summary")).to_be_focused()
        failures += check_page(page, f"{path} showing its errors")
    assert failures == [], "\n".join(failures)


def test_axe_fails_a_page_whose_text_lacks_contrast(app: Flask, live_server: str, page) -> None:
    page.goto(live_server + "/login")
    assert violations(page) == []
    # The grey of a faint pencil for the text (through the CSS object model: the CSP allows no inline style).
    page.evaluate("document.documentElement.style.setProperty('--ink', '#a0a0a0')")
    assert any(line.startswith("color-contrast") for line in violations(page))


def test_chart_labels_are_legible_on_a_phone(app: Flask, live_server: str, page) -> None:
    student = make_user()
    sign_in(page, live_server, student.username)
    page.set_viewport_size(PHONE)
    heights = page.eval_on_selector_all(
        ".chart text", "texts => texts.map(text => text.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 12  # CSS pixels on the screen, after the SVG is scaled down


def test_the_gradebook_fits_a_laptop_and_keeps_names_in_view_on_a_phone(
    app: Flask, demo_school: None, live_server: str, page
) -> None:
    sign_in(page, live_server, teacher_username(0), DEMO_PASSWORD)
    page.goto(live_server + "/teach/classes/1")
    wrap = page.locator(".table-wrap:has(table.gradebook)")
    page.set_viewport_size(LAPTOP)
    assert wrap.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")  # 13 columns, no sideways scrolling
    page.set_viewport_size(PHONE)
    assert wrap.evaluate("wrap => wrap.scrollWidth > wrap.clientWidth")
    name = page.locator("table.gradebook tbody th").first
    before = name.bounding_box()
    wrap.evaluate("wrap => { wrap.scrollLeft = 300; }")
    after = name.bounding_box()
    assert before is not None and after is not None and after["x"] == before["x"]  # sticky: it did not move
