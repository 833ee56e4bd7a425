"""The teachers' pages, their gradebook CSV and the CLI in Spanish: Spanish words, Spanish numbers and dates.

The browser asks for Spanish with ``Accept-Language: es-PE``; the CLI follows
``LANG``. English stays the default (the English tests elsewhere are unchanged).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.cli import environment_language
from quizapp.domain.languages import Language
from quizapp.extensions import db
from quizapp.models import Assignment, QuizAttempt, Role, SchoolClass, User
from quizapp.services import quizzes
from tests.app.factories import add_students, make_assignment, make_class, make_user
from tests.app.pages import page_text, sign_in
from tests.conftest import Clock

NOW = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)
SPANISH = {"Accept-Language": "es-PE"}
NBSP = "\xa0"


@pytest.fixture(autouse=True)
def at_now(clock: Clock) -> None:
    clock.now = NOW


def finish(attempt: QuizAttempt, results: list[bool]) -> None:
    """Answer every item of an attempt with these verdicts, and finish it at NOW."""
    for item, correct in zip(attempt.items, results, strict=True):
        item.correct, item.response, item.answered_at = correct, "x", NOW
    attempt.answered_count = len(results)
    attempt.correct_count = sum(results)
    attempt.finished_at = NOW
    db.session.flush()


@dataclass(frozen=True)
class School:
    teacher: User
    school_class: SchoolClass
    assignment: Assignment

    @property
    def base(self) -> str:
        return f"/teach/classes/{self.school_class.id}"


@pytest.fixture
def school(app: Flask) -> School:
    """A teacher in UTC with a class of six: five finished the assignment (3, 3, 3, 3 and 5 of 5), one never came."""
    teacher = make_user(Role.TEACHER, username="profe")
    school_class = make_class(teacher, "5.º A")
    students = add_students(school_class, 6, prefix="alumno", joined_at=NOW - timedelta(days=10))
    assignment = make_assignment(school_class, "La Breña")
    for number, student in enumerate(students[:5]):
        attempt = quizzes.start_assignment(db.session, student, assignment, NOW)
        finish(attempt, [True] * 5 if number == 4 else [True, True, True, False, False])
    db.session.commit()
    return School(teacher, school_class, assignment)


def spanish_page(client: FlaskClient, teacher: User, url: str) -> str:
    sign_in(client, teacher)
    response = client.get(url, headers=SPANISH)
    assert response.status_code == 200
    return page_text(response)


def test_the_class_overview_speaks_spanish(client: FlaskClient, school: School) -> None:
    text = spanish_page(client, school.teacher, school.base)
    assert "6 estudiantes" in text and "1 tarea" in text and "6 en riesgo" in text
    assert "Código de la clase" in text and "Registro de notas" in text and "Análisis de ítems" in text
    assert "Retención real, 30 días" in text and "Última actividad" in text
    assert "sin repasos desde hace 7 días o más" in text
    # Due two days from NOW, 15:00 UTC; the mean score of 3, 3, 3, 3 and 5 of 5 is 68%.
    assert "12 mar 2024, 15:00" in text
    assert f"68{NBSP}%" in text
    assert "Repasos de la clase cada día, del 26 feb al 10 mar 2024" in text
    assert "sáb 09 mar" in text
    assert "Reviews" not in text and "Gradebook" not in text


def test_the_assignment_results_speak_spanish(client: FlaskClient, school: School) -> None:
    text = spanish_page(client, school.teacher, f"{school.base}/assignments/{school.assignment.id}")
    assert "vence el 12 mar 2024, 15:00" in text
    assert "5 preguntas" in text and "5 de 6 terminaron" in text
    assert f"3 / 5 (60{NBSP}%)" in text and f"5 / 5 (100{NBSP}%)" in text
    assert "10 mar 2024, 15:00" in text
    assert "sin empezar" in text and "Eliminar esta tarea…" in text


def test_item_analysis_speaks_spanish_with_decimal_commas(client: FlaskClient, school: School) -> None:
    text = spanish_page(client, school.teacher, f"{school.base}/items")
    assert "Respuestas incorrectas más frecuentes" in text and "Facilidad" in text
    # Every one of five answered the first three questions right, and one of five the last two.
    assert "demasiado fácil" in text
    assert f"100{NBSP}%" in text and f"20{NBSP}%" in text
    # The last two questions: scores 0, 0, 0, 0, 1, standard deviation √0.2.
    assert "0,45" in text
    assert "Índice de facilidad" in text


def test_the_topics_pages_speak_spanish(client: FlaskClient, school: School) -> None:
    text = spanish_page(client, school.teacher, "/teach/topics")
    assert "Añadir un tema" in text and "Preguntas activas" in text and "Retiradas" in text
    sign_in(client, school.teacher)
    added = client.post("/teach/topics", data={"name": "Guerra naval"}, headers=SPANISH, follow_redirects=True)
    assert "Tema «Guerra naval» añadido." in page_text(added)
    refused = client.post("/teach/topics", data={"name": "Guerra naval"}, headers=SPANISH)
    assert refused.status_code == 422
    assert "Ya existe un tema 'guerra-naval'; cámbiale el nombre o fusiónalo." in page_text(refused)


def test_setting_an_assignment_speaks_spanish(client: FlaskClient, school: School) -> None:
    sign_in(client, school.teacher)
    url = f"{school.base}/assignments/new"
    page = client.get(url, headers=SPANISH)
    assert "Asignar una tarea a 5.º A" in page_text(page)
    refused = client.post(url, data={"title": " ", "length": "10", "due": "2024-03-01"}, headers=SPANISH)
    assert refused.status_code == 422
    text = page_text(refused)
    assert "Ponle un título a la tarea." in text
    assert "Elige al menos un tema." in text
    assert "La fecha de entrega no puede estar en el pasado." in text


def test_the_gradebook_csv_keeps_its_columns_and_words_its_cells_in_spanish(
    client: FlaskClient, school: School
) -> None:
    sign_in(client, school.teacher)
    english = list(csv.reader(io.StringIO(client.get(f"{school.base}/gradebook.csv").get_data(as_text=True))))
    response = client.get(f"{school.base}/gradebook.csv", headers=SPANISH)
    spanish = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert spanish[0] == english[0]
    assert spanish[0][:5] == [
        "student",
        "reviews_last_7_days",
        "true_retention_30_days_percent",
        "due_reviews_last_30_days",
        "mastery_of_questions_met_percent",
    ]
    assert spanish[0][-1] == "La Breña (due 2024-03-12) percent"
    rows = {row[0]: row for row in spanish[1:]}
    assert rows["alumno1x05"][-2:] == ["sin repasos desde hace 7 días o más", "sin empezar"]
    assert rows["alumno1x00"][-1] == "60.0"  # numbers keep the point a spreadsheet reads in every language


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "es_PE.UTF-8"}, Language.SPANISH),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, Language.SPANISH),
        ({"LANG": "es_PE.UTF-8", "LC_ALL": "C"}, Language.ENGLISH),
        ({"LANG": "fr_FR.UTF-8"}, Language.ENGLISH),
        ({"LC_ALL": "", "LANG": "es"}, Language.SPANISH),
        ({}, Language.ENGLISH),
    ],
)
def test_the_cli_language_follows_the_environment(environ: dict[str, str], language: Language) -> None:
    assert environment_language(environ) == language


def test_a_cli_command_speaks_spanish_under_a_spanish_locale(app: Flask) -> None:
    make_user(Role.STUDENT, username="ana")
    runner = app.test_cli_runner()
    spanish = {"LANG": "es_PE.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    promoted = runner.invoke(args=["users", "promote", "ana"], env=spanish)
    assert promoted.exit_code == 0
    assert promoted.output == "'ana' ahora es docente.\n"
    unknown = runner.invoke(args=["users", "promote", "nadie"], env=spanish)
    assert unknown.exit_code == 1
    assert "no hay ningún usuario llamado 'nadie'" in unknown.output
    english = runner.invoke(args=["users", "promote", "ana"], env={"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert english.output == "'ana' is already a teacher.\n"


def test_a_refused_import_keeps_its_file_and_line_in_spanish(app: Flask, tmp_path: Path) -> None:
    broken = tmp_path / "preguntas.json"
    broken.write_text("[1, 2", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["bank", "import", str(broken)], env={"LANG": "es_PE.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    )
    assert result.exit_code == 1
    assert "preguntas.json: 1 problema, no se importó nada:" in result.output
    assert result.output.splitlines()[1].strip().startswith(("line 1:", "línea 1:"))  # each problem has its line


def test_a_form_error_is_listed_in_the_summary_in_spanish(client: FlaskClient, school: School) -> None:
    sign_in(client, school.teacher)
    refused = client.post("/teach/classes", data={"name": ""}, headers=SPANISH)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert "Nombre de la clase: Ponle un nombre a la clase." in summary


def test_the_bank_list_speaks_spanish(client: FlaskClient, school: School) -> None:
    text = spanish_page(client, school.teacher, "/teach/questions?order=recent")
    assert "Banco de preguntas" in text and "Escribir una pregunta" in text
    assert "Generada a partir de los hechos" in text and "Activas y retiradas" in text
    assert "Activa" in text and "Descargar" in text
    assert "Active" not in text and "Search" not in text


def test_a_question_in_another_language_than_the_page_is_marked(client: FlaskClient, school: School) -> None:
    attempt = db.session.scalars(select(QuizAttempt).where(QuizAttempt.assignment_id == school.assignment.id)).first()
    assert attempt is not None
    version = attempt.items[0].question.current
    version.language = Language.SPANISH
    db.session.commit()
    sign_in(client, school.teacher)
    english = page_text(client.get(f"{school.base}/items"))
    assert english.count('lang="es"') == 2  # the prompt and the answer of that question, and nothing else
    spanish = page_text(client.get(f"{school.base}/items", headers=SPANISH))
    assert spanish.count('lang="en"') == 2 * 4  # the four questions still in English
    assert 'lang="es"' not in spanish
