"""The interface's language: the user's setting, else the session's choice, else the browser's, else English."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import exc as sa_exc

from quizapp.domain.languages import Language
from quizapp.domain.problems import N_
from quizapp.extensions import db, login_manager
from quizapp.models import User
from quizapp.services import DomainError
from quizapp.templating import interval_label, local_datetime, percent
from tests.app.conftest import StatementLog
from tests.app.factories import login, login_as, make_user

SPANISH_BROWSER = {"Accept-Language": "es-PE,es;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def html_lang(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)">', page)
    assert match, page[:200]
    return match.group(1)


def page_of(client: FlaskClient, path: str, headers: dict[str, str] | None = None) -> str:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, response.status
    return response.get_data(as_text=True)


def switch(client: FlaskClient, language: str, back_to: str, headers: dict[str, str] | None = None) -> str:
    """Press the footer's button for ``language`` on the page ``back_to``; the page it goes back to."""
    response = client.post("/language", data={"language": language, "next": back_to}, headers=headers or {})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_a_browser_asking_for_peruvian_spanish_gets_the_spanish_interface(client: FlaskClient) -> None:
    page = page_of(client, "/", SPANISH_BROWSER)
    assert html_lang(page) == "es"
    assert "<h1>Aprende la resistencia peruana, 1881–1883</h1>" in page
    assert ">Iniciar sesión</a>" in page and ">Crea una cuenta</a>" not in page


@pytest.mark.parametrize("headers", [{}, ENGLISH_BROWSER, {"Accept-Language": "fr-FR,de;q=0.8"}])
def test_any_other_browser_gets_english(client: FlaskClient, headers: dict[str, str]) -> None:
    page = page_of(client, "/", headers)
    assert html_lang(page) == "en"
    assert "<h1>Learn the Peruvian resistance, 1881–1883</h1>" in page


@pytest.mark.parametrize(
    ("setting", "headers", "expected"),
    [
        (Language.ENGLISH, SPANISH_BROWSER, "en"),
        (Language.SPANISH, ENGLISH_BROWSER, "es"),
        (None, SPANISH_BROWSER, "es"),
        (None, ENGLISH_BROWSER, "en"),
    ],
)
def test_the_user_s_setting_wins_over_the_browser(
    client: FlaskClient, setting: Language | None, headers: dict[str, str], expected: str
) -> None:
    login_as(client, language=setting)
    page = page_of(client, "/dashboard", headers)
    assert html_lang(page) == expected
    assert ("<h1>Tu avance</h1>" if expected == "es" else "<h1>Your progress</h1>") in page


def test_the_footer_switcher_names_each_language_in_itself_and_marks_the_current_one(client: FlaskClient) -> None:
    page = page_of(client, "/login", SPANISH_BROWSER)
    switcher = page[page.index('<form class="language-switcher"') :]
    switcher = switcher[: switcher.index("</form>")]
    assert '<input type="hidden" name="next" value="/login">' in switcher
    buttons = re.findall(
        r'<button class="link-button" type="submit" name="language" value="(\w+)" lang="(\w+)"'
        r'( aria-current="true")?>([^<]+)</button>',
        switcher,
    )
    assert buttons == [("en", "en", "", "English"), ("es", "es", ' aria-current="true"', "Español")]
    assert '<span id="language-switcher-label">Idioma:</span>' in switcher


def test_a_visitor_s_choice_lasts_for_the_session_and_returns_to_the_same_page(client: FlaskClient) -> None:
    assert switch(client, "es", "/login?next=%2Fquiz%2F", ENGLISH_BROWSER) == "/login?next=%2Fquiz%2F"
    page = page_of(client, "/login?next=%2Fquiz%2F", ENGLISH_BROWSER)
    assert html_lang(page) == "es" and "<h1>Iniciar sesión</h1>" in page
    assert switch(client, "en", "/register", SPANISH_BROWSER) == "/register"
    assert html_lang(page_of(client, "/register", SPANISH_BROWSER)) == "en"


@pytest.mark.parametrize("back_to", ["https://evil.example/", "//evil.example/x", "", "javascript:alert(1)"])
def test_the_switcher_goes_back_only_to_a_page_of_this_site(client: FlaskClient, back_to: str) -> None:
    assert switch(client, "es", back_to) == "/"


@pytest.mark.parametrize("language", ["fr", "", "ES-pe"])
def test_the_switcher_refuses_a_language_it_does_not_offer(client: FlaskClient, language: str) -> None:
    response = client.post("/language", data={"language": language, "next": "/"}, headers=SPANISH_BROWSER)
    assert response.status_code == 400
    assert "Elige uno de los idiomas ofrecidos." in response.get_data(as_text=True)


def test_a_signed_in_user_s_switch_is_saved_as_their_setting(app: Flask, client: FlaskClient) -> None:
    student = login_as(client)
    assert switch(client, "es", "/study", ENGLISH_BROWSER) == "/study"
    db.session.expire_all()
    assert db.session.get(User, student.id).language is Language.SPANISH
    # On another device, with an English browser, the account still reads Spanish.
    other_device = app.test_client()
    login(other_device, student.username)
    assert html_lang(page_of(other_device, "/study", ENGLISH_BROWSER)) == "es"


def test_sign_in_remembers_the_user_s_language_and_sign_out_keeps_it_for_the_visitor(
    client: FlaskClient, count_statements: StatementLog
) -> None:
    student = make_user(language=Language.SPANISH)
    login(client, student.username)
    # An error page never looks the user up, yet speaks their language: the session remembers it.
    count_statements.reset()
    response = client.get("/no/such/page", headers=ENGLISH_BROWSER)
    assert response.status_code == 404 and count_statements.statements == []
    page = response.get_data(as_text=True)
    assert html_lang(page) == "es"
    assert "<h1>No encontrado</h1>" in page and "Aquí no hay nada, o no te corresponde verlo." in page

    response = client.post("/logout", headers=ENGLISH_BROWSER, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert html_lang(page) == "es" and "Cerraste sesión." in page


def test_a_visitor_s_choice_carries_over_into_the_account_they_create(client: FlaskClient) -> None:
    switch(client, "es", "/register", ENGLISH_BROWSER)
    response = client.post(
        "/register",
        data={"username": "rosa", "password": "a long password", "confirm": "a long password", "timezone": "UTC"},
        headers=ENGLISH_BROWSER,
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert html_lang(page) == "es"
    assert "¡Te damos la bienvenida! Empieza con un cuestionario o unas cuantas tarjetas." in page


def test_the_404_and_503_pages_speak_spanish_without_a_query(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, count_statements: StatementLog
) -> None:
    count_statements.reset()
    missing = client.get("/no/such/page", headers=SPANISH_BROWSER)
    assert missing.status_code == 404 and count_statements.statements == []
    assert "<title>No encontrado · Resistencia 1881–1883</title>" in missing.get_data(as_text=True)

    login_as(client)  # following the browser: the session holds no language

    def pool_exhausted(*_args: object) -> None:
        raise sa_exc.TimeoutError("QueuePool limit reached")

    monkeypatch.setattr(login_manager, "_user_callback", pool_exhausted)
    count_statements.reset()
    response = client.get("/dashboard", headers=SPANISH_BROWSER)
    assert response.status_code == 503 and count_statements.statements == []
    page = response.get_data(as_text=True)
    assert html_lang(page) == "es"
    assert "<h1>Volvemos en un momento</h1>" in page
    assert (
        "En este momento el servidor no puede conectarse con su base de datos. Inténtalo de nuevo en un momento."
        in page
    )
    assert "Cerrar sesión" not in page  # the header names nobody


def test_the_settings_page_offers_the_language_and_saves_it(client: FlaskClient) -> None:
    student = login_as(client)
    page = page_of(client, "/account", ENGLISH_BROWSER)
    select = page[page.index('id="language" name="language">') :]
    select = select[: select.index("</select>")]
    assert re.findall(r'<option (?:lang="(\w+)" )?(?:selected )?value="(\w*)"', select) == [
        ("", ""),
        ("en", "en"),
        ("es", "es"),
    ]
    assert '<option selected value="">Follow my browser</option>' in select
    assert ">Español</option>" in select

    form = {"language": "es", "timezone": "America/Lima", "daily_new_limit": "20", "daily_review_limit": "200"}
    form["desired_retention"] = "90"
    response = client.post("/account", data=form, headers=ENGLISH_BROWSER, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert html_lang(page) == "es" and "Configuración guardada." in page  # the message in the new language
    assert '<option lang="es" selected value="es">Español</option>' in page
    db.session.expire_all()
    assert db.session.get(User, student.id).language is Language.SPANISH

    response = client.post("/account", data={**form, "language": ""}, headers=ENGLISH_BROWSER, follow_redirects=True)
    assert "Settings saved." in response.get_data(as_text=True)  # following the English browser again
    db.session.expire_all()
    assert db.session.get(User, student.id).language is None


def test_the_settings_page_refuses_an_unknown_language(client: FlaskClient) -> None:
    login_as(client, language=Language.SPANISH)
    form = {"language": "fr", "timezone": "UTC", "daily_new_limit": "20", "daily_review_limit": "200"}
    response = client.post("/account", data={**form, "desired_retention": "90"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<li><a href="#language">Idioma: Opción inválida.</a></li>' in page  # WTForms' own Spanish


INTERVALS = [
    {"seconds": 20},
    {"minutes": 10},
    {"hours": 5},
    {"days": 3},
    {"days": 30},
    {"days": 60},
    {"days": 365},
    {"days": 440},
]


@pytest.mark.parametrize(
    ("headers", "when", "share", "intervals"),
    [
        (
            SPANISH_BROWSER,
            "10 mar 2024, 14:05",
            "80\xa0%",
            ["<1 min", "10 min", "5 h", "3 d", "1 mes", "2 meses", "1 año", "1,2 años"],
        ),
        (
            ENGLISH_BROWSER,
            "10 Mar 2024, 14:05",
            "80%",
            ["<1 min", "10 min", "5 h", "3 d", "1 mo", "2 mo", "1 y", "1.2 y"],
        ),
    ],
)
def test_numbers_dates_and_intervals_follow_the_locale(
    app: Flask, headers: dict[str, str], when: str, share: str, intervals: list[str]
) -> None:
    with app.app_context(), app.test_request_context(headers=headers):
        assert local_datetime(datetime(2024, 3, 10, 14, 5, tzinfo=UTC)) == when
        assert percent(0.8) == share
        assert [interval_label(timedelta(**span)) for span in INTERVALS] == intervals


@pytest.mark.parametrize(
    ("username", "password", "refusal"),
    [
        ("taken", "a long password", "Ese nombre de usuario ya está en uso: elige otro."),
        (
            "newcomer",
            "password123",
            "Demasiado fácil de adivinar: los programas que adivinan contraseñas prueban pronto",
        ),
    ],
)
def test_registration_refusals_are_worded_in_spanish(
    client: FlaskClient, username: str, password: str, refusal: str
) -> None:
    make_user(username="taken")
    form = {"username": username, "password": password, "confirm": password, "timezone": "America/Lima"}
    response = client.post("/register", data=form, headers=SPANISH_BROWSER)
    assert response.status_code == 200
    assert refusal in response.get_data(as_text=True)


def test_a_refused_join_code_is_explained_in_spanish(client: FlaskClient) -> None:
    login_as(client)
    response = client.post("/classes", data={"code": "ZZZZ-ZZZZ"}, headers=SPANISH_BROWSER)
    assert response.status_code == 422
    assert "Ninguna clase tiene ese código. Verifícalo con tu docente." in response.get_data(as_text=True)


def test_a_service_s_refusal_is_worded_in_the_reader_s_language(client: FlaskClient) -> None:
    """A DomainError carries its template: the flash is Spanish for a Spanish reader, English otherwise."""
    login_as(client)
    spanish = client.get(
        client.post("/study/undo", headers=SPANISH_BROWSER).headers["Location"], headers=SPANISH_BROWSER
    )
    assert "No queda ninguna calificación de hoy para deshacer." in spanish.get_data(as_text=True)
    english = client.get(client.post("/study/undo").headers["Location"])
    assert "There is no grade of today left to undo." in english.get_data(as_text=True)


def test_a_domain_error_s_english_fills_in_its_parameters() -> None:
    error = DomainError(N_("A quiz has %(min)d to %(max)d questions."), min=3, max=50)
    assert str(error) == "A quiz has 3 to 50 questions."
    assert (error.template, error.params) == ("A quiz has %(min)d to %(max)d questions.", {"min": 3, "max": 50})
