"""A student whose browser asks for Peruvian Spanish registers and finds the interface in Spanish.

Dashboard, quiz and flashcards speak Spanish from the first page; the footer's switcher changes the
language by keyboard alone and brings the student back to the same page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from quizapp.domain.languages import Language
from quizapp.extensions import db
from quizapp.models import Question, QuizItem, User


@pytest.fixture
def spanish_page(browser: object) -> Iterator[object]:
    """A phone whose browser is set to Spanish (Peru): it sends Accept-Language es-PE."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-PE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_peruvian_student_registers_and_studies_in_spanish(app: Flask, live_server: str, spanish_page) -> None:
    page = spanish_page
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server + "/register")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crea una cuenta")
    page.get_by_label("Nombre de usuario").fill("micaela")
    page.get_by_label("Contraseña", exact=True).fill("a long password")
    page.get_by_label("Repite la contraseña").fill("a long password")
    page.get_by_role("button", name="Crear cuenta").click()
    page.wait_for_url(live_server + "/dashboard")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tu avance")
    expect(
        page.get_by_text("¡Te damos la bienvenida! Empieza con un cuestionario o unas cuantas tarjetas.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Tarjetas pendientes esta semana")).to_be_visible()

    page.get_by_role("link", name="Cuestionario", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haz un cuestionario")
    expect(page.get_by_role("checkbox", name="Fechas")).to_be_visible()  # the bank's topics, named in Spanish
    page.get_by_label("Número de preguntas").fill("5")
    page.get_by_role("button", name="Empezar el cuestionario").click()
    expect(page.get_by_text("Pregunta 1 de 5")).to_be_visible()
    db.session.rollback()
    first = db.session.scalars(select(QuizItem).order_by(QuizItem.id)).first()
    expect(page.locator(".quiz-prompt")).to_have_text(first.asked.text_in(Language.SPANISH).prompt)
    expect(page.locator(".quiz-prompt")).not_to_have_attribute("lang", "en")  # the question is Spanish too
    page.get_by_role("button", name="No sé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No del todo.")
    expect(page.get_by_role("link", name="Siguiente pregunta")).to_be_visible()

    page.get_by_role("link", name="Tarjetas", exact=True).click()
    expect(page.get_by_role("heading", name="Tarjetas", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Mostrar respuesta")).to_be_visible()
    db.session.rollback()  # end any read snapshot: the server wrote in other threads
    card = db.session.get(Question, page.locator("[data-flashcard]").get_attribute("data-question"))
    expect(page.locator("[data-flashcard]")).to_contain_text(card.current.text_in(Language.SPANISH).prompt)
    student = db.session.scalar(select(User).where(User.username == "micaela"))
    assert student.language is None  # following the browser, until the student chooses

    # The footer's switcher, by keyboard alone: Tab to "English", press Enter, same page, in English.
    study_url = page.url
    english = page.get_by_role("button", name="English")
    for _ in range(60):
        page.keyboard.press("Tab")
        if english.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the language switcher")
    expect(english).to_have_attribute("lang", "en")
    page.keyboard.press("Enter")
    page.wait_for_url(study_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Flashcards", exact=True)).to_be_visible()
    # The same card, now in English: a student's cards are per question, whatever the language.
    expect(page.locator("[data-flashcard]")).to_have_attribute("data-question", card.id)
    expect(page.locator("[data-flashcard]")).to_contain_text(card.current.text_in(Language.ENGLISH).prompt)
    expect(page.get_by_role("button", name="Español")).to_have_attribute("lang", "es")
    db.session.rollback()
    db.session.refresh(student)
    assert student.language is Language.ENGLISH
    assert errors == []
