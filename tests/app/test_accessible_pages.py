"""Page details for people on keyboards, screen readers and phones: confirmations, the menu, tables for charts."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Role
from tests.app.factories import add_students, make_class, make_user
from tests.app.pages import main_text, sign_in


def menu(client: FlaskClient, path: str) -> list[tuple[str, str]]:
    """The main menu's links: (label, aria-current or "")."""
    page = client.get(path).get_data(as_text=True)
    nav = page[page.index('<nav class="nav"') : page.index("</nav>")]
    return [
        (label, current)
        for current, label in re.findall(r'<li><a href="[^"]*"(?: aria-current="(\w+)")?>([^<]+)</a>', nav)
    ]


def test_making_a_new_join_code_asks_first(app: Flask, client: FlaskClient) -> None:
    teacher = make_user(Role.TEACHER)
    school_class = make_class(teacher, code="ABCDEF23")
    sign_in(client, teacher)
    overview = client.get(f"/teach/classes/{school_class.id}").get_data(as_text=True)
    assert (
        f'href="/teach/classes/{school_class.id}/join-code"' in overview
        and "<form" not in overview.split("Join code")[1].split("</section>")[0]
    )
    asked = client.get(f"/teach/classes/{school_class.id}/join-code")
    assert asked.status_code == 200
    assert "The code ABCD-EF23 then stops working" in main_text(asked)
    db.session.refresh(school_class)
    assert school_class.join_code == "ABCDEF23"  # asking changed nothing
    assert client.post(f"/teach/classes/{school_class.id}/join-code").status_code == 302
    db.session.refresh(school_class)
    assert school_class.join_code != "ABCDEF23"


def test_removing_a_student_asks_first(app: Flask, client: FlaskClient) -> None:
    teacher = make_user(Role.TEACHER)
    school_class = make_class(teacher)
    (student,) = add_students(school_class, 1)
    sign_in(client, teacher)
    base = f"/teach/classes/{school_class.id}/students/{student.id}"
    assert f'href="{base}/remove"' in client.get(base).get_data(as_text=True)
    asked = client.get(f"{base}/remove")
    assert asked.status_code == 200 and f"Remove {student.username} from {school_class.name}?" in main_text(asked)
    assert client.get(base).status_code == 200  # still in the class
    assert client.post(f"{base}/remove").status_code == 302
    assert client.get(base).status_code == 404


def test_the_join_code_is_large_for_a_projector(app: Flask, client: FlaskClient) -> None:
    teacher = make_user(Role.TEACHER)
    school_class = make_class(teacher, code="ABCDEF23")
    sign_in(client, teacher)
    page = client.get(f"/teach/classes/{school_class.id}").get_data(as_text=True)
    assert '<p class="join-code" id="join-code"><code>ABCD-EF23</code></p>' in page


def test_the_menu_marks_the_current_page_and_a_teacher_has_no_dead_end(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_user())
    assert menu(client, "/dashboard") == [
        ("Dashboard", "page"),
        ("Quiz", ""),
        ("Flashcards", ""),
        ("My classes", ""),
        ("Settings", ""),
    ]
    assert ("Settings", "true") in menu(client, "/account/password")
    sign_in(client, make_user(Role.TEACHER))
    teacher_menu = menu(client, "/teach/questions/new")
    assert [label for label, _ in teacher_menu] == [
        "Classes",
        "Question bank",
        "Dashboard",
        "Quiz",
        "Flashcards",
        "Settings",
    ]
    assert ("Question bank", "true") in teacher_menu and ("Classes", "") in teacher_menu


def test_the_forecast_and_activity_charts_have_tables(app: Flask, client: FlaskClient) -> None:
    student = make_user()
    sign_in(client, student)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    forecast = dashboard[dashboard.index('id="forecast-heading"') : dashboard.index('id="mastery-heading"')]
    assert "<summary>The numbers as a table</summary>" in forecast
    assert len(re.findall(r"<tr data-day=", forecast)) == 8  # today and the next 7 days
    assert '<th scope="row">Today</th><td>0</td>' in forecast
    teacher = make_user(Role.TEACHER)
    school_class = make_class(teacher)
    add_students(school_class, 1)
    sign_in(client, teacher)
    overview = client.get(f"/teach/classes/{school_class.id}").get_data(as_text=True)
    activity = overview[overview.index('id="activity-heading"') :]
    assert "<summary>The numbers as a table</summary>" in activity
    assert len(re.findall(r"<tr data-day=", activity)) == 14
