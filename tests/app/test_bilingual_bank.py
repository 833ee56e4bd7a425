"""Teachers' questions in English and Spanish: the form, the question's page, search, imports and exports, items."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from quizapp.domain.formats import FORMATS, worded_in
from quizapp.domain.languages import Language
from quizapp.domain.questions import QuestionText, QuestionType, text_as_json
from quizapp.extensions import db
from quizapp.models import AssignmentQuestion, Question, QuestionVersion, Role, User
from quizapp.services import bank, item_reports, quizzes
from quizapp.teach.forms import QuestionForm
from tests.app.factories import (
    add_students,
    fresh,
    login_as,
    make_assignment,
    make_class,
    make_user,
    question_of_type,
    right_response,
)
from tests.app.pages import form_data, page_text, post_file

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SPANISH = Language.SPANISH
BOTH = {
    "language": "en",
    "second_prompt": "¿Dónde se reagrupó la resistencia después de Huamachuco?",
    "second_options-0": "Ayacucho",
    "second_options-1": "Arequipa",
    "second_options-2": "Cajamarca",
    "second_explanation": "Cáceres se retiró hacia el sur.",
}


@pytest.fixture
def teacher(client: FlaskClient) -> User:
    return login_as(client, Role.TEACHER)


def errors_of(response: TestResponse, field_id: str) -> list[str]:
    text = response.get_data(as_text=True)
    block = re.search(rf'<div id="{re.escape(field_id)}-errors">(.*?)</div>', text, re.S)
    return (
        [] if block is None else [html.unescape(m) for m in re.findall(r'<p class="field-error">(.*?)</p>', block[1])]
    )


def newest() -> Question:
    return db.session.scalars(select(Question).order_by(Question.id.desc())).first()


def give_spanish(question: Question) -> QuestionText:
    """Give a question's current version a Spanish wording (as the generated bank does)."""
    version = question.current
    spanish = QuestionText(
        prompt="En palabras del docente: " + version.prompt,
        answer=version.answer,
        accepted_answers=tuple(version.accepted_answers),
        options=tuple(version.options),
        explanation="Explicación en español.",
        details=dict(version.details),
    )
    version.translations = {"es": text_as_json(spanish)}
    db.session.commit()
    return spanish


def edit_data(question: Question, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {}
    for name, value in QuestionForm.data_for(question).items():
        if isinstance(value, list) and name != "correct_option":
            data |= {f"{name}-{index}": text for index, text in enumerate(value)}
        else:
            data[name] = value
    return data | {"save": "Save question"} | fields


def test_a_question_written_in_both_languages_is_one_version_with_its_translation(
    client: FlaskClient, teacher: User
) -> None:
    response = client.post("/teach/questions/new", data=form_data(**BOTH))
    assert response.status_code == 302
    version = newest().current
    assert version.language == Language.ENGLISH
    assert version.text_in(SPANISH) == QuestionText(
        prompt="¿Dónde se reagrupó la resistencia después de Huamachuco?",
        answer="Arequipa",
        options=("Ayacucho", "Arequipa", "Cajamarca"),
        explanation="Cáceres se retiró hacia el sur.",
        details={},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    english = page.index('<section class="card question-wording" lang="en"')
    spanish = page.index('<section class="card question-wording" lang="es"')
    assert english < page.index("Where did the resistance regroup", english) < spanish
    assert "¿Dónde se reagrupó la resistencia después de Huamachuco?" in page[spanish:]


def test_a_question_in_spanish_alone(client: FlaskClient, teacher: User) -> None:
    data = form_data(language="es", prompt="¿Dónde se reagrupó la resistencia después de Huamachuco?")
    assert client.post("/teach/questions/new", data=data).status_code == 302
    version = newest().current
    assert (version.language, version.translations) == (SPANISH, {})


def test_the_second_language_is_checked_by_the_same_rules_on_its_own_fields(client: FlaskClient, teacher: User) -> None:
    short = client.post("/teach/questions/new", data=form_data(**BOTH | {"second_prompt": "¿?"}))
    assert short.status_code == 422
    assert errors_of(short, "second_prompt") == ["Prompt is required and must have at least 3 characters"]
    assert errors_of(short, "prompt") == []


def test_the_second_language_fills_the_same_rows(client: FlaskClient, teacher: User) -> None:
    moved = BOTH | {"second_options-2": "", "second_options-3": "Cajamarca"}
    response = client.post("/teach/questions/new", data=form_data(**moved))
    assert response.status_code == 422
    assert errors_of(response, "second_options") == [
        "Fill the same rows as in the question's own language, in the same order."
    ]


def test_matching_pairs_in_two_languages_agree(client: FlaskClient, teacher: User) -> None:
    pairs = {
        "question_type": "matching",
        "prompt": "Match each country with the government it recognized, in a teacher's words.",
        "pair_items-0": "Bolivia",
        "pair_matches-0": "Arequipa government",
        "pair_items-1": "Chile",
        "pair_matches-1": "Iglesias government",
        "second_prompt": "Relaciona cada país con el gobierno que reconoció.",
        "second_pair_items-0": "Bolivia",
        "second_pair_matches-0": "Gobierno de Arequipa",
        "second_pair_items-1": "Chile",
        "second_pair_matches-1": "Gobierno de Iglesias",
    }
    assert client.post("/teach/questions/new", data=form_data(**pairs)).status_code == 302
    spanish = newest().current.text_in(SPANISH)
    assert spanish.details["pairs"] == [["Bolivia", "Gobierno de Arequipa"], ["Chile", "Gobierno de Iglesias"]]


def test_editing_the_english_of_a_bilingual_question_shows_its_spanish_to_fix(
    client: FlaskClient, teacher: User
) -> None:
    """The documented choice: the Spanish is prefilled on the edit form and saved as the form holds it."""
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    spanish = give_spanish(question)
    form = client.get(f"/teach/question/{question.id}/edit").get_data(as_text=True)
    assert "This question is worded in two languages." in html.unescape(form)
    assert html.escape(spanish.prompt, quote=False) in form
    edited = edit_data(question, prompt="A teacher's new wording: " + question.current.prompt)
    assert client.post(f"/teach/question/{question.id}/edit", data=edited).status_code == 302
    version = fresh(question.id).current
    assert version.prompt.startswith("A teacher's new wording: ")
    assert version.text_in(SPANISH).prompt == spanish.prompt
    # Emptying every Spanish field saves the question in English alone.
    cleared = {name: "" for name in edit_data(question) if name.startswith("second_")}
    assert client.post(f"/teach/question/{question.id}/edit", data=edit_data(question, **cleared)).status_code == 302
    assert fresh(question.id).current.translations == {}


def test_the_bank_search_finds_spanish_wording(client: FlaskClient, teacher: User) -> None:
    client.post("/teach/questions/new", data=form_data(**BOTH))
    found = page_text(client.get("/teach/questions", query_string={"q": "reagrupo la resistencia"}))
    assert "Where did the resistance regroup after Huamachuco?" in found


def upload(client: FlaskClient, name: str, text: str, language: str) -> TestResponse:
    return post_file(client, "/teach/questions/import", (text.encode(), name), language=language)


def confirm(client: FlaskClient, dry_run: TestResponse) -> TestResponse:
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', dry_run.get_data(as_text=True))
    assert token is not None
    return client.post("/teach/questions/import/confirm", data={"token": token[1]})


@pytest.mark.parametrize("format_name", ["gift", "moodlexml"])
def test_the_spanish_file_of_questions_in_the_bank_adds_their_translations(
    client: FlaskClient, teacher: User, format_name: str
) -> None:
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    spanish = give_spanish(question)
    exported = client.get("/teach/questions/export", query_string={"format": format_name, "language": "es"})
    chosen = FORMATS[format_name]
    assert exported.headers["Content-Disposition"].endswith(f'-es{chosen.file_extension}"') or (
        f"-es{chosen.file_extension}" in exported.headers["Content-Disposition"]
    )
    # The bank without the Spanish: importing the Spanish file gives it back, as a translation.
    version = fresh(question.id).current
    version.translations = {}
    db.session.commit()
    dry_run = upload(client, f"bank-es{chosen.file_extension}", exported.get_data(as_text=True), "es")
    assert dry_run.status_code == 200, page_text(dry_run)
    assert "data-added-in-language" not in dry_run.get_data(as_text=True)
    assert confirm(client, dry_run).status_code == 302
    version = fresh(question.id).current
    assert version.language == Language.ENGLISH
    assert version.text_in(SPANISH) == spanish


def test_a_spanish_gift_file_without_ids_adds_new_questions_and_says_why(client: FlaskClient, teacher: User) -> None:
    gift = (
        "$CATEGORY: $course$/top/Leaders\n\n"
        "¿Quién dirigió la campaña de la Breña, según el docente? {=Cáceres ~Iglesias}\n"
    )
    dry_run = upload(client, "preguntas.gift", gift, "es")
    assert dry_run.status_code == 200
    notice = page_text(dry_run)
    assert "1 question in Español matched no question of the bank by its id" in notice
    confirm(client, dry_run)
    added = db.session.scalars(select(QuestionVersion).where(QuestionVersion.prompt.contains("según el docente"))).one()
    assert (added.language, added.translations) == (SPANISH, {})


def test_csv_export_and_import_carry_both_languages(client: FlaskClient, teacher: User) -> None:
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    spanish = give_spanish(question)
    exported = client.get("/teach/questions/export", query_string={"format": "csv", "q": question.current.prompt})
    rows = exported.get_data(as_text=True).splitlines()
    assert rows[0].endswith(",language")
    assert [row.rsplit(",", 1)[1] for row in rows[1:]] == ["en", "es"]
    assert FORMATS["csv"].parse(exported.get_data(as_text=True))[0].translations == {SPANISH: spanish}


def test_the_spanish_anki_deck_is_named_for_its_language(client: FlaskClient, teacher: User) -> None:
    give_spanish(question_of_type(QuestionType.MULTIPLE_CHOICE))
    exported = client.get("/teach/questions/export", query_string={"format": "anki", "language": "es"})
    assert exported.status_code == 200
    assert "-es.apkg" in exported.headers["Content-Disposition"]


def test_questions_without_spanish_are_left_out_of_the_spanish_gift_file(app) -> None:
    drafts = bank.drafts_of(bank.active_questions(db.session))
    assert worded_in(drafts, SPANISH) == [draft for draft in worded_in(drafts, SPANISH) if draft.language == SPANISH]
    assert len(worded_in(drafts, Language.ENGLISH)) == len(
        [draft for draft in drafts if draft.language == Language.ENGLISH or Language.ENGLISH in draft.translations]
    )


def test_the_import_page_speaks_the_teachers_language(client: FlaskClient, teacher: User) -> None:
    page = client.get("/teach/questions/import", headers={"Accept-Language": "es-PE"})
    text = page.get_data(as_text=True)
    assert "<h1>Importar preguntas</h1>" in text
    assert re.search(r'<option selected value="es">Español</option>', text)


def test_item_analysis_pools_the_answers_given_in_either_language(app) -> None:
    """One version is one question in both languages: half a class studies in Spanish, one report."""
    teacher = make_user(Role.TEACHER, username="ms_bilingual")
    school_class = make_class(teacher, "Bilingual class")
    assignment = make_assignment(school_class, "Both languages", length=1)
    question = question_of_type(QuestionType.MULTIPLE_CHOICE)
    give_spanish(question)
    pinned = db.session.scalars(select(AssignmentQuestion).where(AssignmentQuestion.assignment_id == assignment.id))
    for row in pinned:
        row.question_id, row.question_version_id = question.id, question.current.id
    students = add_students(school_class, 4, prefix="bilingual")
    for student, language in zip(students, (SPANISH, SPANISH, Language.ENGLISH, Language.ENGLISH), strict=True):
        student.language = language
    db.session.commit()
    for number, student in enumerate(students):
        attempt = quizzes.start_assignment(db.session, student, assignment, NOW)
        [item] = attempt.items
        response = right_response(item) if number % 2 == 0 else ["not the answer"]
        quizzes.answer(db.session, attempt.id, student, item.position, response, NOW)
    db.session.commit()
    [report] = item_reports.item_analysis(db.session, school_class)
    assert (report.question_id, report.statistics.facility) == (question.id, 0.5)


def test_problems_on_the_question_form_are_worded_in_spanish(client: FlaskClient, teacher: User) -> None:
    spanish = {"Accept-Language": "es-PE"}
    response = client.post("/teach/questions/new", data=form_data(**BOTH | {"second_prompt": "¿?"}), headers=spanish)
    assert response.status_code == 422
    assert errors_of(response, "second_prompt") == ["Falta el enunciado, que debe tener al menos 3 caracteres"]
    page = response.get_data(as_text=True)
    assert "<h1>Escribir una pregunta</h1>" in page
    second_prompt = re.search(r'<textarea[^>]*id="second_prompt"[^>]*>', page)
    assert second_prompt is not None and 'lang="es"' in second_prompt[0]


def test_the_import_report_words_its_problems_in_spanish(client: FlaskClient, teacher: User) -> None:
    csv = (
        "id,topic,type,prompt,answer,language\n"
        "q1,leaders,short_answer,¿?,Cáceres,es\n"
        "q1,leaders,short_answer,¿Quién?,X,es\n"
    )
    report = post_file(
        client, "/teach/questions/import", (csv.encode(), "preguntas.csv"), headers={"Accept-Language": "es-PE"}
    )
    assert report.status_code == 422
    text = html.unescape(re.sub(r"<[^>]+>", "", page_text(report)))
    assert "Línea 2: Falta el enunciado, que debe tener al menos 3 caracteres" in text
    assert "Línea 3: Id repetido 'q1' (usado primero en la línea 2)" in text


def test_a_new_question_starts_in_the_teachers_language(client: FlaskClient, teacher: User) -> None:
    page = client.get("/teach/questions/new", headers={"Accept-Language": "es-PE"}).get_data(as_text=True)
    assert re.search(r'<option selected value="es">Español</option>', page)
