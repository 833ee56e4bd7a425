"""Headers, error pages, sessions and passwords (rate limits: test_throttling.py)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.auth.routes import LOGIN_FAILED
from quizapp.security import CONTENT_SECURITY_POLICY
from quizapp.services.accounts import TOO_EASY
from tests.app.factories import DEFAULT_PASSWORD, login, make_user


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/static/app.css"])
def test_every_response_has_the_security_headers(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_policy_allows_no_inline_code_and_no_other_origin() -> None:
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


def test_not_found_and_method_not_allowed_get_friendly_pages(client: FlaskClient) -> None:
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "There is nothing here" in missing.get_data(as_text=True)
    wrong_method = client.get("/logout")
    assert wrong_method.status_code == 405
    assert "<title>Not allowed" in wrong_method.get_data(as_text=True)


def test_oversized_request_gets_a_friendly_413(app: Flask, client: FlaskClient) -> None:
    body = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data={"username": "a", "password": body})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unexpected_errors_get_a_friendly_500_page(app: Flask) -> None:
    @app.get("/boom-for-test")
    def boom() -> str:
        raise RuntimeError("boom")

    app.testing = False  # let the error handler run instead of propagating
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "RuntimeError" not in page and "Traceback" not in page


def test_session_cookie_is_httponly_and_lax(client: FlaskClient) -> None:
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_configured(app: Flask) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True
    user = make_user()
    response = app.test_client().post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_starts_a_fresh_session(client: FlaskClient) -> None:
    user = make_user()
    with client.session_transaction() as session:
        session["planted_before_login"] = "x"
    login(client, user.username)
    with client.session_transaction() as session:
        assert "planted_before_login" not in session


def test_logout_makes_a_copied_session_cookie_worthless(client: FlaskClient) -> None:
    user = make_user()
    login(client, user.username)
    stolen = client.get_cookie("session").value
    client.post("/logout")
    client.set_cookie("session", stolen)
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_password_change_checks_the_current_password_and_signs_out_other_devices(app: Flask) -> None:
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user.username)
    login(phone, user.username)
    wrong = laptop.post(
        "/account/password",
        data={"current_password": "not it at all", "new_password": "new password 42", "confirm": "new password 42"},
    )
    assert "not your current password" in wrong.get_data(as_text=True)
    common = laptop.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": "password123", "confirm": "password123"},
    )
    assert TOO_EASY in common.get_data(as_text=True)
    changed = laptop.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": "new password 42", "confirm": "new password 42"},
    )
    assert changed.status_code == 302
    assert laptop.get("/account").status_code == 200  # this device stays signed in
    assert phone.get("/account").status_code == 302  # the other one is signed out
    login(phone, user.username, "new password 42")


def test_unknown_user_and_wrong_password_read_the_same(client: FlaskClient) -> None:
    make_user(username="known")
    unknown = client.post("/login", data={"username": "unknown", "password": "guess guess"})
    wrong = client.post("/login", data={"username": "known", "password": "guess guess"})
    assert str(LOGIN_FAILED) in unknown.get_data(as_text=True) and str(LOGIN_FAILED) in wrong.get_data(as_text=True)
