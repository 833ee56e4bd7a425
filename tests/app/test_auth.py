"""Registering, signing in and out, settings, and safe redirects."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp.auth.routes import LOGIN_FAILED, safe_next_url
from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services.accounts import STRENGTH_CHECKED_LENGTH, TOO_EASY
from tests.app.factories import DEFAULT_PASSWORD, login, make_user


def _register(client: FlaskClient, **overrides: str):
    data = {"username": "maria", "password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD, "timezone": "America/Lima"}
    data.update(overrides)
    return client.post("/register", data=data)


def test_register_creates_a_student_with_a_hashed_password_and_signs_in(client: FlaskClient) -> None:
    response = _register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "maria"))
    assert user.role == Role.STUDENT and user.timezone == "America/Lima"
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "x"}, "3 to 40"),
        ({"username": "has space"}, "3 to 40"),
        ({"password": "short", "confirm": "short"}, "at least 8"),
        ({"confirm": "something else"}, "The passwords differ."),
        ({"timezone": "Mars/Olympus"}, "Not a valid choice"),
        ({"username": ""}, "This field is required."),
    ],
)
def test_register_shows_what_is_wrong(client: FlaskClient, overrides: dict[str, str], message: str) -> None:
    response = _register(client, **overrides)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_register_refuses_a_taken_username_whatever_its_case(client: FlaskClient) -> None:
    make_user(username="maria")
    response = _register(client, username="MARIA")
    assert "already taken" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_register_tells_a_name_is_taken_only_when_everything_else_is_right(client: FlaskClient) -> None:
    make_user(username="maria")
    for overrides in ({"password": "password1", "confirm": "password1"}, {"confirm": "typo"}, {"timezone": "Mars"}):
        assert "already taken" not in _register(client, **overrides).get_data(as_text=True)


def _password_errors(response: TestResponse) -> list[str]:
    page = response.get_data(as_text=True)
    start = page.index('id="password-errors"')
    block = page[start : page.index("</div>", start)]
    errors = re.findall(r'<p class="field-error">(.*?)</p>', block, re.S)
    return [html.unescape(" ".join(text.split())) for text in errors]


@pytest.mark.parametrize(
    ("username", "password", "why", "how"),
    [
        ("maria", "password123", "This is a very common password.", "Add another word or two."),
        ("maria", "qwertyuiop", "This is a top-100 common password.", "Add another word or two."),
        ("maria", "jennifer1990", "Common names and surnames are easy to guess.", "Add another word or two."),
        ("maria", "abcdefghijk", 'Sequences like "abc" or "6543" are easy to guess.', "Avoid sequences."),
        ("maria", "1883-01-15", "Dates are often easy to guess.", "Avoid dates and years"),
        ("mariagonzalez", "mariagonzalez7", "It is built on your username or this site's name.", "Add another word"),
        # Longer than zxcvbn checks: judged by its beginning, which repeats.
        ("maria", "ab" * STRENGTH_CHECKED_LENGTH + "Zq9!x", "Repeats like", "Avoid repeated words and characters."),
    ],
)
def test_register_refuses_guessable_passwords_saying_why_and_how(
    client: FlaskClient, username: str, password: str, why: str, how: str
) -> None:
    response = _register(client, username=username, password=password, confirm=password)
    assert response.status_code == 200
    [message] = _password_errors(response)
    assert message.startswith(f"{TOO_EASY} {why}") and how in message
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize(
    "password",
    [
        DEFAULT_PASSWORD,
        "lantern river cactus",
        "Tr0ub4dor&3x",
        "my grandmother kept three goats behind the old school in huancayo every winter",
    ],
)
def test_register_accepts_passwords_hard_to_guess(client: FlaskClient, password: str) -> None:
    assert _register(client, password=password, confirm=password).status_code == 302


def test_login_failure_never_reveals_whether_the_user_exists(client: FlaskClient) -> None:
    make_user(username="maria")
    wrong_password = client.post("/login", data={"username": "maria", "password": "nope nope nope"})
    unknown_user = client.post("/login", data={"username": "nobody", "password": "nope nope nope"})
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert str(LOGIN_FAILED) in response.get_data(as_text=True)
    # The same page but for the name typed (and the switcher's CSRF token, signed a moment apart).
    pages = [
        re.sub(r'name="csrf_token" value="[^"]*"', "", r.get_data(as_text=True)) for r in (wrong_password, unknown_user)
    ]
    assert pages[0] == pages[1].replace("nobody", "maria")


def test_login_follows_next_only_to_our_own_paths(client: FlaskClient) -> None:
    user = make_user()
    response = client.post("/login?next=/account", data={"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/account"
    client.post("/logout")
    response = client.post(
        "/login?next=https://evil.example/", data={"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/quiz/", "/quiz/"),
        ("/dashboard?x=1", "/dashboard?x=1"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("dashboard", None),
        ("/\nLocation: x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next_url(target: str | None, expected: str | None) -> None:
    assert safe_next_url(target) == expected


def test_logout_requires_post_and_ends_the_session(client: FlaskClient) -> None:
    user = make_user()
    login(client, user.username)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


SETTINGS = {"timezone": "UTC", "daily_new_limit": "20", "daily_review_limit": "200", "desired_retention": "90"}


def test_settings_change_timezone_limits_and_desired_retention(client: FlaskClient) -> None:
    user = make_user()
    login(client, user.username)
    page = client.get("/account").get_data(as_text=True)
    assert 'name="desired_retention"' in page and 'value="90"' in page
    data = {
        "timezone": "Pacific/Auckland",
        "daily_new_limit": "5",
        "daily_review_limit": "80",
        "desired_retention": "85",
    }
    response = client.post("/account", data=data)
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.timezone, user.daily_new_limit, user.daily_review_limit, user.desired_retention) == (
        "Pacific/Auckland",
        5,
        80,
        0.85,
    )


@pytest.mark.parametrize(
    "data",
    [
        {**SETTINGS, "timezone": "Nowhere/Land"},
        {**SETTINGS, "daily_new_limit": "-1"},
        {**SETTINGS, "daily_new_limit": "lots"},
        {**SETTINGS, "daily_review_limit": "10000"},
        {**SETTINGS, "desired_retention": "79"},
        {**SETTINGS, "desired_retention": "98"},
        {**SETTINGS, "desired_retention": "0.9"},
        {"timezone": "UTC"},
    ],
)
def test_settings_reject_bad_values_with_a_message(client: FlaskClient, data: dict[str, str]) -> None:
    user = make_user()
    login(client, user.username)
    response = client.post("/account", data=data)
    assert response.status_code == 200
    assert 'class="field-error"' in response.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.timezone, user.daily_new_limit) == ("UTC", 20)


def test_a_teacher_sets_their_time_zone_in_settings(client: FlaskClient) -> None:
    teacher = make_user(Role.TEACHER)
    login(client, teacher.username)
    page = client.get("/account").get_data(as_text=True)
    assert "The due dates you set" in page and 'name="timezone"' in page
    response = client.post("/account", data={**SETTINGS, "timezone": "America/Lima"})
    assert response.status_code == 302
    db.session.refresh(teacher)
    assert teacher.timezone == "America/Lima"


def test_a_form_shows_every_error_in_a_summary_that_links_to_each_field(client: FlaskClient) -> None:
    user = make_user()
    login(client, user.username)
    bad = {
        "timezone": "Nowhere/Land",
        "daily_new_limit": "lots",
        "daily_review_limit": "10000",
        "desired_retention": "90",
    }
    page = client.get("/account").get_data(as_text=True)
    assert "error-summary" not in page and "aria-invalid" not in page
    page = client.post("/account", data=bad).get_data(as_text=True)
    summary = page[page.index('<div class="error-summary"') : page.index("</ul>", page.index("error-summary"))]
    assert 'tabindex="-1" autofocus' in summary and "Please fix these" in summary
    linked = list(dict.fromkeys(re.findall(r'<a href="#([\w-]+)">', summary)))
    assert linked == ["timezone", "daily_new_limit", "daily_review_limit"]  # WTForms checks every field at once
    for name in linked:
        control = re.search(rf'<(?:input|select)[^>]*\bid="{name}"[^>]*>', page)
        assert control is not None and 'aria-invalid="true"' in control.group(0)
        assert f'aria-describedby="{name}-help {name}-errors"' in control.group(0)
        assert f'id="{name}-help"' in page and f'id="{name}-errors"' in page
    valid = re.search(r'<input[^>]*\bid="desired_retention"[^>]*>', page)
    assert valid is not None and "aria-invalid" not in valid.group(0)
    assert 'aria-describedby="desired_retention-help"' in valid.group(0)


def test_forms_carry_a_csrf_token_when_csrf_is_on(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    assert 'name="csrf_token"' in client.get("/register").get_data(as_text=True)
    response = _register(client)
    assert response.status_code in (200, 400)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
