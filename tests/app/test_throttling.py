"""Throttling of guesses and registrations, seen from two client addresses behind one trusted proxy.

The app runs with TRUSTED_PROXIES=1, so each request's X-Forwarded-For names its client, and with
rate limiting on (the other app tests switch it off). The clock stands still unless a test moves
it: the counters' windows are minutes long, and no test waits for one.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from flask import Flask, request
from flask.testing import FlaskClient
from limits import parse
from sqlalchemy import select

from quizapp import create_app
from quizapp.auth.throttling import (
    GUESSES_PER_ACCOUNT,
    GUESSES_PER_ADDRESS,
    REGISTRATIONS_PER_ADDRESS,
    TOO_MANY_WRONG_PASSWORDS,
)
from quizapp.config import trusted_proxies
from quizapp.extensions import db, limiter
from quizapp.models import Membership, Role, User
from quizapp.security import wait_text
from quizapp.services import classes
from tests.app.factories import DEFAULT_PASSWORD, make_user
from tests.conftest import config_for_tests

ATTACKER = "203.0.113.66"
SCHOOL = "198.51.100.7"
WRONG = "not the password at all"
NEW_PASSWORD = "lantern river cactus"
CODE = "ABCDEF23"
WRONG_CODE = "ZZZZ-ZZZZ"
PER_ACCOUNT = parse(GUESSES_PER_ACCOUNT).amount
PER_ADDRESS = parse(GUESSES_PER_ADDRESS).amount
WINDOW_SECONDS = parse(GUESSES_PER_ACCOUNT).get_expiry()
# Half a second past a whole second: the limiter's reset times are whole seconds.
START = datetime(2026, 3, 2, 8, 0, 0, 500_000, tzinfo=UTC)


@pytest.fixture
def make_throttled_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Flask]]:
    """Makes apps on the test database with rate limiting on, behind one trusted proxy."""
    # The limiter is module-level, shared by every app: switched off again after the test.
    monkeypatch.setattr(limiter, "enabled", False)
    made: list[Flask] = []

    def make(**overrides: object) -> Flask:
        config = config_for_tests(
            app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1, **overrides
        )
        made.append(create_app(config))
        made[-1].test_client_class = app.test_client_class
        return made[-1]

    yield make
    for each in made:
        with each.app_context():
            db.engine.dispose()  # its own pool: closed before the database is dropped


@pytest.fixture
def throttled_app(make_throttled_app: Callable[..., Flask]) -> Flask:
    return make_throttled_app()


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def client_at(app: Flask, address: str) -> FlaskClient:
    """A browser whose requests reach the app through the proxy from ``address``."""
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return client


def sign_in(client: FlaskClient, username: str, password: str = DEFAULT_PASSWORD) -> int:
    return client.post("/login", data={"username": username, "password": password}).status_code


def signed_in_at(app: Flask, address: str, user: User) -> FlaskClient:
    client = client_at(app, address)
    assert sign_in(client, user.username) == 302
    return client


def wrong_current_password(client: FlaskClient) -> int:
    data = {"current_password": WRONG, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return client.post("/account/password", data=data).status_code


def right_current_password(client: FlaskClient) -> int:
    data = {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return client.post("/account/password", data=data).status_code


def join(client: FlaskClient, code: str) -> int:
    return client.post("/classes", data={"code": code}).status_code


def register(client: FlaskClient, username: str, confirm: str = DEFAULT_PASSWORD) -> int:
    data = {"username": username, "password": DEFAULT_PASSWORD, "confirm": confirm, "timezone": "UTC"}
    return client.post("/register", data=data).status_code


def make_class() -> None:
    classes.create_class(db.session, make_user(Role.TEACHER), "5th year A", new_code=lambda: CODE)
    db.session.commit()


# --- sign-in -----------------------------------------------------------------------


def wrong_passwords_for_ana_from(app: Flask, address: str) -> FlaskClient:
    """A browser at ``address`` that has just used up every wrong password the account "ana" gets there."""
    make_user(username="ana")
    browser = client_at(app, address)
    assert [sign_in(browser, "ana", WRONG) for _ in range(PER_ACCOUNT)] == [200] * PER_ACCOUNT
    return browser


def test_an_attackers_wrong_passwords_never_block_the_user_at_another_address(throttled_app: Flask) -> None:
    attacker = wrong_passwords_for_ana_from(throttled_app, ATTACKER)
    assert sign_in(attacker, "ana") == 429  # from there, not even the right password
    assert sign_in(client_at(throttled_app, SCHOOL), "ana") == 302


def test_sign_in_failures_are_limited_per_address_across_accounts(throttled_app: Flask) -> None:
    users = [make_user() for _ in range(PER_ADDRESS // PER_ACCOUNT + 1)]
    attacker = client_at(throttled_app, ATTACKER)
    for user in users[:-1]:
        assert [sign_in(attacker, user.username, WRONG) for _ in range(PER_ACCOUNT)] == [200] * PER_ACCOUNT
    fresh_account = users[-1].username
    assert sign_in(attacker, fresh_account) == 429
    assert sign_in(client_at(throttled_app, SCHOOL), fresh_account) == 302


def test_successful_sign_ins_use_up_no_budget(throttled_app: Flask) -> None:
    make_user(username="ana")
    browser = client_at(throttled_app, SCHOOL)
    for _ in range(PER_ACCOUNT + 1):
        assert sign_in(browser, "ana") == 302
        browser.post("/logout")
    assert sign_in(browser, "ana", WRONG) == 200


def test_a_block_ends_when_the_window_of_minutes_has_passed(
    throttled_app: Flask, clock: time_machine.Traveller
) -> None:
    browser = wrong_passwords_for_ana_from(throttled_app, SCHOOL)
    clock.shift(WINDOW_SECONDS - 1)
    assert sign_in(browser, "ana") == 429
    clock.shift(1)
    assert sign_in(browser, "ana") == 302


def test_a_throttled_request_gets_a_page_saying_how_long_to_wait(
    throttled_app: Flask, clock: time_machine.Traveller
) -> None:
    browser = wrong_passwords_for_ana_from(throttled_app, SCHOOL)
    clock.shift(6 * 60)
    response = browser.post("/login", data={"username": "ana", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(WINDOW_SECONDS - 6 * 60) == "540"
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page
    assert f"{TOO_MANY_WRONG_PASSWORDS} Please wait 9 minutes and try again." in page


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (61, "2 minutes"), (900, "15 minutes")],
)
def test_wait_text(seconds: int, text: str) -> None:
    assert wait_text(seconds) == text


# --- registration --------------------------------------------------------------------


def test_registrations_are_limited_per_address(throttled_app: Flask) -> None:
    budget = parse(REGISTRATIONS_PER_ADDRESS).amount
    attacker = client_at(throttled_app, ATTACKER)
    # Every attempt counts, refused ones too: each can probe whether a name is taken.
    assert [register(attacker, f"bot{n}", confirm="typo") for n in range(budget)] == [200] * budget
    assert register(attacker, "bot") == 429
    assert register(client_at(throttled_app, SCHOOL), "maria") == 302
    assert db.session.scalars(select(User.username)).all() == ["maria"]


# --- the password page ----------------------------------------------------------------


def test_current_password_guesses_are_limited_per_account(throttled_app: Flask) -> None:
    ana, bea = make_user(), make_user()
    thief = signed_in_at(throttled_app, ATTACKER, ana)
    assert [wrong_current_password(thief) for _ in range(PER_ACCOUNT)] == [200] * PER_ACCOUNT
    # The guesser holds a session of the account: moving elsewhere buys no more guesses.
    assert right_current_password(signed_in_at(throttled_app, SCHOOL, ana)) == 429
    assert right_current_password(signed_in_at(throttled_app, ATTACKER, bea)) == 302


def test_current_password_guesses_are_limited_per_address(throttled_app: Flask) -> None:
    users = [make_user() for _ in range(PER_ADDRESS // PER_ACCOUNT + 1)]
    for user in users[:-1]:
        browser = signed_in_at(throttled_app, ATTACKER, user)
        assert [wrong_current_password(browser) for _ in range(PER_ACCOUNT)] == [200] * PER_ACCOUNT
    assert right_current_password(signed_in_at(throttled_app, ATTACKER, users[-1])) == 429
    assert right_current_password(signed_in_at(throttled_app, SCHOOL, users[-1])) == 302


# --- join codes ----------------------------------------------------------------------------


def test_join_code_guesses_are_limited_per_account(throttled_app: Flask) -> None:
    make_class()
    guesser, classmate = make_user(), make_user()
    browser = signed_in_at(throttled_app, ATTACKER, guesser)
    assert [join(browser, WRONG_CODE) for _ in range(PER_ACCOUNT)] == [422] * PER_ACCOUNT
    assert join(signed_in_at(throttled_app, SCHOOL, guesser), CODE) == 429
    assert join(signed_in_at(throttled_app, ATTACKER, classmate), CODE) == 302


def test_join_code_guesses_are_limited_per_address(throttled_app: Flask) -> None:
    make_class()
    students = [make_user() for _ in range(PER_ADDRESS // PER_ACCOUNT + 1)]
    for student in students[:-1]:
        browser = signed_in_at(throttled_app, ATTACKER, student)
        assert [join(browser, WRONG_CODE) for _ in range(PER_ACCOUNT)] == [422] * PER_ACCOUNT
    assert join(signed_in_at(throttled_app, ATTACKER, students[-1]), CODE) == 429
    assert join(signed_in_at(throttled_app, SCHOOL, students[-1]), CODE) == 302
    assert db.session.scalars(select(Membership.student_id)).all() == [students[-1].id]


# --- the counters' store -----------------------------------------------------------------


def test_an_unreachable_store_falls_back_to_counting_in_the_process(
    make_throttled_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Flask-Limiter marks the shared limiter's store dead: undone after the test.
    monkeypatch.setattr(limiter, "_storage_dead", False)
    unreachable = make_throttled_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0")
    make_user(username="ana")
    browser = client_at(unreachable, SCHOOL)
    assert [sign_in(browser, "ana", WRONG) for _ in range(PER_ACCOUNT)] == [200] * PER_ACCOUNT
    assert sign_in(browser, "ana") == 429


# --- the proxy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "seen"),
    [
        (0, ("127.0.0.1", "http", "localhost")),  # the headers are ignored: anybody can send them
        (1, ("203.0.113.3", "https", "three.example")),
        (2, ("198.51.100.2", "http", "two.example")),
    ],
)
def test_the_app_believes_exactly_the_trusted_proxies(app: Flask, proxies: int, seen: tuple[str, str, str]) -> None:
    proxied = create_app(config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXIES=proxies))
    proxied.add_url_rule("/client", view_func=lambda: f"{request.remote_addr} {request.scheme} {request.host}")
    response = proxied.test_client().get(
        "/client",
        headers={
            "X-Forwarded-For": "192.0.2.1, 198.51.100.2, 203.0.113.3",
            "X-Forwarded-Proto": "https, http, https",
            "X-Forwarded-Host": "one.example, two.example, three.example",
        },
    )
    assert tuple(response.get_data(as_text=True).split()) == seen


@pytest.mark.parametrize(("value", "proxies"), [(None, 0), ("", 0), ("0", 0), ("2", 2), (" 1 ", 1)])
def test_trusted_proxies_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, proxies: int
) -> None:
    if value is None:
        monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXIES", value)
    assert trusted_proxies() == proxies


@pytest.mark.parametrize("value", ["yes", "-1", "1.5", "²"])
def test_a_bad_trusted_proxies_value_is_refused_clearly(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(ValueError, match="TRUSTED_PROXIES must be a whole number"):
        trusted_proxies()
