"""The problems the domain finds in a teacher's question or file, worded in Spanish for a Spanish reader.

The question types, GIFT and Moodle XML keep each problem's message template and
parameters; the page words them with the Spanish catalog (``Accept-Language: es-PE``).
"""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.models import Role, User
from tests.app.factories import login_as
from tests.app.pages import field_errors, form_data, post_file

SPANISH = {"Accept-Language": "es-PE"}


@pytest.fixture
def teacher(client: FlaskClient) -> User:
    return login_as(client, Role.TEACHER)


def import_problems(response: TestResponse) -> list[str]:
    """The problems an import report lists, as the reader sees them."""
    text = response.get_data(as_text=True)
    listed = re.search(r'<ul class="import-problems">(.*?)</ul>', text, re.S)
    assert listed is not None, text
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", listed[1], re.S)]


@pytest.mark.parametrize(
    ("question_type", "fields", "field_id", "expected"),
    [
        (
            "matching",
            {"pair_items-0": "Bolivia", "pair_matches-0": "Gobierno de Arequipa"},
            "pair_items",
            ["Indique de 2 a 10 pares; hay 1", "Indique al menos dos parejas distintas entre las que elegir"],
        ),
        (
            "numerical",
            {"number_values-0": "1883", "number_values-1": "1882", "number_shares-1": "150"},
            "number_values",
            ["La parte del punto de una respuesta debe ser de 0 a 100 %, no 150 %"],
        ),
        ("date", {"date_day": "31", "date_month": "2"}, "date_day", ["Febrero de 1883 no tiene día 31."]),
    ],
)
def test_the_question_form_words_a_types_problem_in_spanish(
    client: FlaskClient, teacher: User, question_type: str, fields: dict[str, str], field_id: str, expected: list[str]
) -> None:
    response = client.post("/teach/questions/new", data=form_data(question_type) | fields, headers=SPANISH)
    assert response.status_code == 422
    assert field_errors(response, field_id) == expected


def test_the_same_problem_stays_english_for_an_english_reader(client: FlaskClient, teacher: User) -> None:
    fields = {"pair_items-0": "Bolivia", "pair_matches-0": "Arequipa government"}
    response = client.post("/teach/questions/new", data=form_data("matching") | fields)
    assert field_errors(response, "pair_items") == [
        "Give 2 to 10 pairs, found 1",
        "Give at least two different matches to choose from",
    ]


def test_a_gift_import_report_words_the_parsers_problem_in_spanish(client: FlaskClient, teacher: User) -> None:
    gift = (
        "$CATEGORY: $course$/top/Leaders\n\n"
        "¿En qué año terminó la campaña de la Breña? {#hacia 1883}\n\n"
        "¿Quién dirigió la resistencia en la sierra? {=Cáceres -> Breña}\n"
    )
    response = post_file(client, "/teach/questions/import", (gift.encode(), "preguntas.gift"), SPANISH, language="es")
    assert response.status_code == 422
    assert import_problems(response) == [
        "Línea 3: La respuesta numérica 'hacia 1883' no es un número, un número con su margen (1883:2) "
        "ni un rango (1881..1883)",
        "Línea 5: Indique de 2 a 10 pares; hay 1",
        "Línea 5: Indique al menos dos parejas distintas entre las que elegir",
    ]


def test_a_moodle_xml_import_report_words_the_parsers_problem_in_spanish(client: FlaskClient, teacher: User) -> None:
    xml = (
        '<?xml version="1.0"?><quiz>'
        '<question type="truefalse"><name><text>Breña</text></name>'
        "<questiontext><text>Cáceres resistió en la sierra.</text></questiontext>"
        '<answer fraction="100"><text>quizás</text></answer></question>'
        '<question type="essay"><name><text>Ensayo</text></name>'
        "<questiontext><text>Explique la campaña de la Breña.</text></questiontext></question>"
        "</quiz>"
    )
    response = post_file(client, "/teach/questions/import", (xml.encode(), "preguntas.xml"), SPANISH, language="es")
    assert response.status_code == 422
    assert import_problems(response) == [
        "Pregunta 1 (quiz/question[1]/answer[1]): una respuesta de verdadero o falso es true o false, no 'quizás'",
        "Pregunta 2 (quiz/question[2]): un ensayo 'Ensayo': no se puede calificar automáticamente, así que no se "
        "puede importar: elimínela, o importe con la opción de omitir esas preguntas (--skip-unsupported)",
    ]
