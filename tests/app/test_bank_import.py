"""Importing and exporting the question bank: dry run, all or nothing, upload errors, round trips, CLI."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import genanki
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from werkzeug.test import TestResponse

from quizapp.domain.formats import FORMATS
from quizapp.domain.languages import Language
from quizapp.domain.question_rules import MAX_PROBLEMS
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, BankTopic, QuestionDraft, QuestionType
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import (
    Origin,
    Question,
    QuestionVersion,
    ReviewCard,
    ReviewLog,
    ReviewSource,
    Role,
    User,
)
from quizapp.services import DomainError, bank
from quizapp.services.reviews import record_review
from quizapp.teach import bank_views
from tests.app.factories import count_rows, fresh, login_as, make_user, question_of_type
from tests.app.pages import page_text, post_file

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

GOOD = [
    QuestionDraft(
        "imp-choice",
        BankTopic.LEADERS,
        QuestionType.MULTIPLE_CHOICE,
        "Which leader, in a teacher's words, led the Breña campaign?",
        "Andrés A. Cáceres",
        options=("Andrés A. Cáceres", "Miguel Iglesias", "Lizardo Montero"),
        explanation="He led the resistance in the central highlands.\nFrom 1882.",
        source="caceres",
        tags=("breña", "leaders, 1882"),
    ),
    QuestionDraft(
        "imp-true-false",
        BankTopic.EVENTS,
        QuestionType.TRUE_FALSE,
        "In a teacher's words: Lima was occupied in January 1881.",
        "True",
        options=TRUE_FALSE_OPTIONS,
    ),
    QuestionDraft(
        "imp-short",
        BankTopic.PEOPLE,
        QuestionType.SHORT_ANSWER,
        "In a teacher's words: who was shot after Huamachuco, refusing a blindfold?",
        "Leoncio Prado",
        accepted_answers=("Prado",),
    ),
    QuestionDraft(
        "imp-date",
        BankTopic.DATES,
        QuestionType.DATE,
        "In a teacher's words: when was the battle of Huamachuco fought?",
        "10 July 1883",
        accepted_answers=("July 1883",),
    ),
]

BROKEN = {
    "csv": (
        "questions.csv",
        "id,topic,type,prompt,answer,accepted_answers,options,explanation,source,tags\n"
        "imp-1,leaders,short_answer,Who led the Breña campaign in these words?,Cáceres,,,,,\n"
        "imp-2,leaders,multiple_choice,Who signed the Treaty of Ancón for Peru in these words?,Iglesias,,"
        "Iglesias|Cáceres|IGLESIAS,,,\n",
        "Line 3: Options must be distinct (ignoring case, accents and punctuation)",
    ),
    "gift": (
        "questions.gift",
        "$CATEGORY: quizapp/leaders\n\n"
        "::imp-1:: Who led the Breña campaign in these words? {=Cáceres =Andrés Cáceres}\n\n"
        "::imp-2:: Who signed the Treaty of Ancón for Peru in these words? {=Iglesias ~IGLESIAS ~Montero}\n",
        "Line 5: Options must be distinct (ignoring case, accents and punctuation)",
    ),
    "json": (
        "questions.json",
        "[\n"
        '  {"id": "imp-1", "topic": "leaders", "type": "short_answer",\n'
        '   "prompt": "Who led the Breña campaign in these words?", "answer": "Cáceres"},\n'
        '  {"id": "imp-2", "topic": "dates", "type": "date",\n'
        '   "prompt": "When was Huamachuco fought, in these words?", "answer": "31 February 1883"}\n'
        "]\n",
        "Line 4: Entry 2: date answer: February 1883 has no day 31",
    ),
}

FILE_NAMES = {"csv": "bank.csv", "gift": "bank.gift.txt", "json": "bank.json", "moodlexml": "bank.xml"}


# --- helpers -------------------------------------------------------------------------


def rows() -> dict[str, int]:
    """Row counts of everything an import could write."""
    return {model.__name__: count_rows(model) for model in (Question, QuestionVersion, ReviewCard, ReviewLog)}


def upload(client: FlaskClient, data: bytes | str, name: str, format_name: str = "") -> TestResponse:
    content = data.encode("utf-8") if isinstance(data, str) else data
    return post_file(client, "/teach/questions/import", (content, name), format=format_name)


def token_of(response: TestResponse) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no confirm form on the page"
    return match[1]


def confirm(client: FlaskClient, dry_run: TestResponse) -> TestResponse:
    return client.post("/teach/questions/import/confirm", data={"token": token_of(dry_run)})


def problems_on(response: TestResponse) -> list[str]:
    items = re.findall(
        r"<li>(.*?)</li>",
        response.get_data(as_text=True).split('class="import-problems"')[1].split("</ul>")[0],
        re.S,
    )
    return [re.sub(r"<[^>]+>", "", html.unescape(item)).strip() for item in items]


def bank_drafts() -> list[QuestionDraft]:
    db.session.expire_all()
    return sorted(bank.drafts_of(bank.active_questions(db.session)), key=lambda draft: draft.id)


@pytest.fixture
def teacher_client(empty_app: Flask) -> tuple[FlaskClient, User]:
    client = empty_app.test_client()
    return client, login_as(client, Role.TEACHER)


# --- the web import ------------------------------------------------------------------


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_a_good_file_is_dry_run_then_imported(
    empty_app: Flask, teacher_client: tuple[FlaskClient, User], format_name: str
) -> None:
    client, teacher = teacher_client
    text = FORMATS[format_name].emit(GOOD)
    before = rows()
    dry_run = upload(client, text, FILE_NAMES[format_name])
    assert dry_run.status_code == 200
    page = page_text(dry_run)
    assert "Dry run: nothing is written yet" in page
    assert re.findall(r'data-count="(\w+)"><strong>(\d+)', dry_run.get_data(as_text=True)) == [
        ("added", "4"),
        ("updated", "0"),
        ("unchanged", "0"),
    ]
    assert "Import 4 questions" in page
    assert rows() == before  # the dry run wrote nothing

    response = confirm(client, dry_run)
    assert response.status_code == 302 and response.headers["Location"].startswith("/teach/questions")
    assert "Imported 4 questions: 4 added, 0 updated, 0 unchanged." in page_text(
        client.get(response.headers["Location"])
    )
    assert rows() == before | {"Question": 4, "QuestionVersion": 4}
    assert bank_drafts() == sorted(GOOD, key=lambda draft: draft.id)
    for question in db.session.scalars(select(Question)):
        assert question.origin == Origin.TEACHER and question.current.created_by_id == teacher.id

    again = upload(client, text, FILE_NAMES[format_name])
    assert "Nothing to import: every question in the file is already in the bank as it is." in page_text(again)


@pytest.mark.parametrize("format_name", sorted(BROKEN))
def test_one_bad_entry_and_nothing_is_imported(app: Flask, client: FlaskClient, format_name: str) -> None:
    login_as(client, Role.TEACHER)
    name, text, message = BROKEN[format_name]
    before = rows()
    response = upload(client, text, name)
    assert response.status_code == 422
    assert problems_on(response) == [message]
    assert "Nothing was imported." in page_text(response)
    assert 'name="token"' not in response.get_data(as_text=True)
    assert rows() == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "photo.csv",
            "Line 3: The file contains NUL bytes, so it is not a text file "
            "(a spreadsheet or document must be saved as CSV or plain text first)",
        ),
        (
            "id,topic,type,prompt,answer\nq1,leaders,short_answer,Who led Breña?,Cáceres\n".encode("latin-1"),
            "latin.csv",
            "Line 2: The file is not UTF-8 text (byte 0xF1 cannot be read); "
            "it may be in Latin-1 or Windows-1252: save it as UTF-8 and upload it again",
        ),
        (
            "[]".encode("utf-16"),
            "wide.json",
            "The file is UTF-16 (or UTF-32) encoded; save it as UTF-8 and upload it again",
        ),
        (
            b"x" * (1024 * 1024 + 1),
            "huge.csv",
            "The file is larger than 1 MB; split it into smaller files",
        ),
        (
            b'[\n  {"id": "q1", "topic": "leaders",\n   "prompt": "Who?" "answer": "x"}\n]\n',
            "broken.json",
            "Line 3: Not valid JSON: Expecting ',' delimiter (column 21)",
        ),
        (
            b'id,topic,type,prompt,answer\nq1,leaders,short_answer,"Who led,Caceres\n',
            "broken.csv",
            "Line 2: Not valid CSV: unexpected end of data (check the double quotes)",
        ),
        (
            b"id,topic\n",
            "questions.xlsx",
            "Cannot tell the format from the file name; choose its format in the form",
        ),
        (b"", "empty.json", "The file is empty; expected a JSON array of questions [ ... ]"),
    ],
    ids=[
        "binary",
        "latin-1",
        "utf-16",
        "oversized",
        "malformed-json",
        "malformed-csv",
        "unknown-extension",
        "empty",
    ],
)
def test_bad_uploads_get_a_clear_message(app: Flask, client: FlaskClient, data: bytes, name: str, message: str) -> None:
    login_as(client, Role.TEACHER)
    before = rows()
    response = upload(client, data, name)
    assert response.status_code == 422
    assert problems_on(response) == [message]
    assert name in page_text(response)
    assert rows() == before


def test_an_upload_over_the_request_limit_is_refused_politely(app: Flask, client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    response = upload(client, b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1), "huge.csv")
    assert response.status_code == 413
    assert problems_on(response) == ["The upload is larger than 2 MB; files may be at most 1 MB"]


OVERSIZED = [
    replace(GOOD[2], id="big-1", prompt="In a teacher's words, " + "w" * 1000),
    replace(GOOD[2], id="big-2", accepted_answers=tuple(f"Prado {n}" for n in range(51))),
    replace(GOOD[0], id="big-3", prompt="Which, in other words?", options=(*GOOD[0].options, *"abcd")),
]
OVERSIZED_MESSAGES = [
    "Prompt is longer than 1000 characters (1022)",
    "Accepted answers: at most 50 are allowed, found 51",
    "Options: at most 6 are allowed, found 7",
]


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_questions_over_the_size_limits_are_refused_with_their_line(
    app: Flask, client: FlaskClient, format_name: str
) -> None:
    login_as(client, Role.TEACHER)
    before = rows()
    response = upload(client, FORMATS[format_name].emit(OVERSIZED), FILE_NAMES[format_name])
    assert response.status_code == 422
    problems = problems_on(response)
    # JSON names the entry, Moodle XML the question and its element (it has no lines): messages follow in lower case.
    labelled = format_name in ("json", "moodlexml")
    assert [re.sub(r"^(Line \d+: )?(Entry \d+: |Question \d+ \([^)]*\): )?", "", problem) for problem in problems] == [
        message[:1].lower() + message[1:] if labelled else message for message in OVERSIZED_MESSAGES
    ]
    assert all(problem.startswith("Question " if format_name == "moodlexml" else "Line ") for problem in problems)
    assert rows() == before


def test_a_hostile_upload_at_the_size_limit_gets_the_first_problems(app: Flask, client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    block = "::t ~ : {\n\n"
    text = "$CATEGORY: quizapp/dates\n\n" + block * ((bank_views.MAX_IMPORT_BYTES - 30) // len(block))
    assert len(text.encode()) <= bank_views.MAX_IMPORT_BYTES
    response = upload(client, text, "hostile.gift")
    assert response.status_code == 422
    problems = problems_on(response)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == f"There are more than {MAX_PROBLEMS} problems; here are the first {MAX_PROBLEMS}"
    assert problems[1] == "Line 3: The title ::... is not closed with ::"


def test_the_chosen_format_wins_over_the_extension(empty_app: Flask, teacher_client: tuple[FlaskClient, User]) -> None:
    client, _ = teacher_client
    response = upload(client, FORMATS["json"].emit(GOOD), "export.txt", "json")
    assert response.status_code == 200 and "Import 4 questions" in page_text(response)
    as_gift = upload(client, FORMATS["json"].emit(GOOD), "export.txt")
    assert as_gift.status_code == 422


def test_a_prompt_the_bank_already_asks_is_a_problem(app: Flask, client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    existing = question_of_type(QuestionType.SHORT_ANSWER)
    clash = QuestionDraft(
        "new-one", BankTopic.PEOPLE, QuestionType.SHORT_ANSWER, existing.current.prompt.upper(), "Someone"
    )
    before = rows()
    response = upload(client, FORMATS["json"].emit([GOOD[0], clash]), "clash.json")
    assert response.status_code == 422
    assert problems_on(response) == [
        f"Question 2 ('new-one'): prompt is already asked by active question {existing.id!r}"
    ]
    assert rows() == before


def _with_answer(draft: QuestionDraft, english: str, spanish: str) -> QuestionDraft:
    """``draft`` with a new answer in both its languages (they must agree)."""
    translations = {
        language: replace(text, answer=spanish, accepted_answers=()) for language, text in draft.translations.items()
    }
    return replace(draft, answer=english, accepted_answers=(), translations=translations)


def test_updating_by_id_adds_a_version_locks_and_restarts_cards(app: Flask, client: FlaskClient) -> None:
    teacher = login_as(client, Role.TEACHER)
    student = make_user(Role.STUDENT)
    reworded = question_of_type(QuestionType.SHORT_ANSWER)
    new_answer = question_of_type(QuestionType.DATE)
    untouched = question_of_type(QuestionType.MULTIPLE_CHOICE)
    for question in (reworded, new_answer):
        record_review(db.session, student, question.id, Rating.Good, NOW, source=ReviewSource.FLASHCARD)
    db.session.commit()
    cards_before = {card.question_id: card.card_json for card in db.session.scalars(select(ReviewCard))}
    drafts = [
        bank.to_draft(untouched),
        replace(bank.to_draft(reworded), prompt="Reworded by a teacher: who is it?"),
        _with_answer(bank.to_draft(new_answer), "1 January 1882", "1 de enero de 1882"),
        GOOD[1],
    ]
    before = rows()
    dry_run = upload(client, FORMATS["csv"].emit(drafts), "edits.csv")
    assert re.findall(r'data-action="(\w+)" data-question="([^"]+)"', dry_run.get_data(as_text=True)) == [
        ("update", reworded.id),
        ("update", new_answer.id),
        ("add", GOOD[1].id),
    ]
    page = page_text(dry_run)
    assert "the answer changes" in page and "1 updated question changes its answer" in page
    assert "Import 3 questions" in page
    assert rows() == before

    response = confirm(client, dry_run)
    assert response.status_code == 302
    flash = page_text(client.get(response.headers["Location"]))
    assert "Imported 3 questions: 1 added, 2 updated, 1 unchanged." in flash
    assert "1 student's card starts afresh because its answer changed." in flash
    assert rows() == before | {
        "Question": before["Question"] + 1,
        "QuestionVersion": before["QuestionVersion"] + 3,
    }
    for question_id, prompt in ((reworded.id, "Reworded by a teacher: who is it?"), (new_answer.id, None)):
        question = fresh(question_id)
        assert question.version == 2 and question.teacher_locked and question.origin == Origin.GENERATED
        assert question.current.created_by_id == teacher.id
        if prompt:
            assert question.current.prompt == prompt
    assert not fresh(untouched.id).teacher_locked and fresh(untouched.id).version == 1
    cards = {card.question_id: card for card in db.session.scalars(select(ReviewCard))}
    assert cards[reworded.id].card_json == cards_before[reworded.id]
    assert cards[new_answer.id].state == "learning" and cards[new_answer.id].stability is None
    assert rows()["ReviewLog"] == 2


def test_the_import_is_all_or_nothing_even_when_writing_fails(
    empty_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher = make_user(Role.TEACHER)
    plan = bank.plan_import(db.session, GOOD)
    assert plan.ok and len(plan.added) == 4
    calls = []
    real_check = bank.within_size_limits

    def failing_check(field: str, value: object) -> object:
        # Called while the versions are written, after the questions' INSERT ran.
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_check(field, value)

    monkeypatch.setattr(bank, "within_size_limits", failing_check)
    with pytest.raises(RuntimeError):
        bank.apply_import(db.session, plan, teacher, NOW)
    # The savepoint is gone: even this same session sees nothing of the first two.
    assert db.session.scalars(select(Question)).all() == []
    db.session.rollback()
    assert rows()["Question"] == 0


def test_a_bank_changed_since_the_dry_run_imports_nothing(
    empty_app: Flask, teacher_client: tuple[FlaskClient, User]
) -> None:
    client, teacher = teacher_client
    dry_run = upload(client, FORMATS["json"].emit(GOOD), "bank.json")
    bank.add_teacher_question(db.session, GOOD[2], teacher.id)
    db.session.commit()
    before = rows()
    response = confirm(client, dry_run)
    assert response.status_code == 409
    page = page_text(response)
    assert "The question bank changed since the dry run. Nothing was imported yet" in page
    assert "Import 3 questions" in page
    assert rows() == before
    assert confirm(client, response).status_code == 302
    assert bank_drafts() == sorted(GOOD, key=lambda draft: draft.id)


def test_apply_refuses_a_stale_plan(empty_app: Flask) -> None:
    teacher = make_user(Role.TEACHER)
    plan = bank.plan_import(db.session, GOOD)
    bank.add_teacher_question(db.session, GOOD[3], teacher.id)
    db.session.commit()
    with pytest.raises(DomainError, match="changed since the dry run"):
        bank.apply_import(db.session, plan, teacher, NOW)
    db.session.rollback()
    assert rows()["Question"] == 1


def test_plan_reports_duplicates_and_gives_missing_ids(empty_app: Flask) -> None:
    no_id = QuestionDraft("", BankTopic.EVENTS, QuestionType.SHORT_ANSWER, "Who was it, without an id?", "Cáceres")
    same_prompt = QuestionDraft(
        "other", BankTopic.EVENTS, QuestionType.SHORT_ANSWER, "WHO was it,  without an id?", "Prado"
    )
    bad_date = QuestionDraft(
        "d",
        BankTopic.DATES,
        QuestionType.DATE,
        "When, with an odd alternative?",
        "1883",
        accepted_answers=("soon",),
    )
    plan = bank.plan_import(db.session, [no_id, GOOD[0], same_prompt, GOOD[0], bad_date])
    derived = bank.derived_question_id(no_id)
    assert derived.startswith("t-") and plan.questions[0].draft.id == derived
    assert [str(problem) for problem in plan.problems] == [
        "question 3 ('other'): the same prompt as question 1",
        "question 4 ('imp-choice'): the same id as question 2",
        "question 4 ('imp-choice'): the same prompt as question 2",
        "question 5 ('d'): the accepted answer 'soon' is not a date",
    ]


@pytest.mark.parametrize(
    ("change", "status"),
    [("forged", 400), ("other-teacher", 400), ("expired", 302)],
)
def test_the_confirmation_needs_this_teachers_fresh_dry_run(
    empty_app: Flask,
    teacher_client: tuple[FlaskClient, User],
    monkeypatch: pytest.MonkeyPatch,
    change: str,
    status: int,
) -> None:
    client, _ = teacher_client
    dry_run = upload(client, FORMATS["json"].emit(GOOD), "bank.json")
    token = token_of(dry_run)
    if change == "forged":
        token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    elif change == "other-teacher":
        client = empty_app.test_client()
        login_as(client, Role.TEACHER)
    else:
        monkeypatch.setattr(bank_views, "IMPORT_TOKEN_MAX_AGE", -1)
    response = client.post("/teach/questions/import/confirm", data={"token": token})
    assert response.status_code == status
    if change == "expired":
        assert "The dry run is more than an hour old" in page_text(client.get(response.headers["Location"]))
    assert rows()["Question"] == 0


# --- export --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_name", "mimetype", "ending"),
    [
        ("csv", "text/csv", ".csv"),
        ("gift", "text/plain", ".gift.txt"),
        ("json", "application/json", ".json"),
        ("moodlexml", "application/xml", ".moodle.xml"),
    ],
)
def test_export_then_import_gives_the_same_questions(
    app: Flask, client: FlaskClient, format_name: str, mimetype: str, ending: str
) -> None:
    login_as(client, Role.TEACHER)
    original = bank_drafts()
    response = client.get(f"/teach/questions/export?format={format_name}")
    assert response.status_code == 200 and response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=quizapp-questions-") and disposition.endswith(ending)
    exported = response.get_data()

    db.session.execute(delete(Question))
    db.session.commit()
    assert rows()["Question"] == 0

    dry_run = upload(client, exported, f"export{ending}")
    assert f"Import {len(original)} questions" in page_text(dry_run)
    assert confirm(client, dry_run).status_code == 302
    # A GIFT or Moodle XML file holds one language (English by default): the Spanish is not in it.
    one_language = format_name in ("gift", "moodlexml")
    assert bank_drafts() == ([replace(draft, translations={}) for draft in original] if one_language else original)


def test_exported_csv_never_starts_a_formula_and_imports_back(
    empty_app: Flask, teacher_client: tuple[FlaskClient, User]
) -> None:
    client, _ = teacher_client
    formulas = [
        replace(GOOD[0], prompt='=HYPERLINK("http://example.com","Who led Breña?")', tags=("@x",)),
        replace(GOOD[2], answer="-Leoncio Prado", accepted_answers=("+Prado", "'=Prado")),
    ]
    assert confirm(client, upload(client, FORMATS["json"].emit(formulas), "bank.json")).status_code == 302
    exported = client.get("/teach/questions/export?format=csv").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(exported, newline="")) for cell in row]
    assert '\'=HYPERLINK("http://example.com","Who led Breña?")' in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]

    again = upload(client, exported, "export.csv")
    assert "Nothing to import: every question in the file is already in the bank" in page_text(again)
    db.session.execute(delete(Question))
    db.session.commit()
    assert confirm(client, upload(client, exported, "export.csv")).status_code == 302
    assert bank_drafts() == sorted(formulas, key=lambda draft: draft.id)


def test_gift_export_marks_every_question_text_as_plain(app: Flask, client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    exported = client.get("/teach/questions/export?format=gift").get_data(as_text=True)
    titles = [line for line in exported.splitlines() if line.startswith("::")]
    assert len(titles) == len(bank_drafts())
    assert all(re.match(r"::.*?[^\\]:: \[plain\]", line) for line in titles)


def test_export_follows_the_filters(app: Flask, client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    retired = question_of_type(QuestionType.TRUE_FALSE)
    client.post(f"/teach/question/{retired.id}/retire")
    leaders = json.loads(
        client.get("/teach/questions/export?format=json&topic=leaders&type=multiple_choice").get_data()
    )
    assert leaders and {(entry["topic"], entry["type"]) for entry in leaders} == {("leaders", "multiple_choice")}
    assert [entry["id"] for entry in leaders] == sorted(entry["id"] for entry in leaders)
    active = {entry["id"] for entry in json.loads(client.get("/teach/questions/export").get_data())}
    retired_only = {
        entry["id"] for entry in json.loads(client.get("/teach/questions/export?status=retired").get_data())
    }
    everything = {entry["id"] for entry in json.loads(client.get("/teach/questions/export?status=any").get_data())}
    assert retired.id in retired_only and retired.id not in active
    assert everything == active | retired_only
    assert client.get("/teach/questions/export?format=docx").status_code == 400


def _notes(apkg: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(apkg)) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        return sorted(connection.execute("SELECT guid, flds FROM notes").fetchall())
    finally:
        connection.close()


def test_anki_export_has_stable_guids_from_question_ids(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    login_as(client, Role.TEACHER)
    response = client.get("/teach/questions/export?format=anki&topic=people")
    assert response.status_code == 200 and response.mimetype == "application/vnd.anki"
    assert response.headers["Content-Disposition"].endswith(".apkg")
    notes = _notes(response.get_data(), tmp_path)
    people = [draft.id for draft in bank_drafts() if draft.topic == BankTopic.PEOPLE]
    assert sorted(guid for guid, _ in notes) == sorted(genanki.guid_for(question_id) for question_id in people)
    again = _notes(client.get("/teach/questions/export?format=anki&topic=people").get_data(), tmp_path)
    assert [guid for guid, _ in again] == [guid for guid, _ in notes]


# --- CLI -----------------------------------------------------------------------------


def test_cli_import_dry_run_then_import(empty_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "bank.json"
    path.write_text(FORMATS["json"].emit(GOOD), encoding="utf-8")
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["bank", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        # An empty bank has no topics yet: the import creates those its questions name.
        *(f"new topic {topic} ({topic.capitalize()})" for topic in dict.fromkeys(draft.topic for draft in GOOD)),
        *(f"add     {draft.id}" for draft in GOOD),
        "Dry run: 4 to add, 0 to update, 0 unchanged. Nothing was written.",
    ]
    assert rows()["Question"] == 0
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Imported: 4 added, 0 updated, 0 unchanged, 0 students' cards restarted."
    assert bank_drafts() == sorted(GOOD, key=lambda draft: draft.id)
    db.session.expire_all()
    assert all(question.current.created_by_id is None for question in db.session.scalars(select(Question)))


@pytest.mark.parametrize("format_name", sorted(BROKEN))
def test_cli_import_of_a_broken_file_writes_nothing(app: Flask, tmp_path: Path, format_name: str) -> None:
    name, text, message = BROKEN[format_name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = rows()
    result = app.test_cli_runner().invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    line, _, rest = message.partition(": ")
    assert (
        f"Error: {name}: 1 problem, nothing was imported:\n  {line.lower()}: {rest[:1].lower()}{rest[1:]}\n"
        == result.output
    )
    assert rows() == before


def test_cli_import_names_the_line_of_a_question_over_a_size_limit(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "big.gift"
    path.write_text(FORMATS["gift"].emit(OVERSIZED), encoding="utf-8")
    before = rows()
    result = app.test_cli_runner().invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Error: big.gift: 3 problems, nothing was imported:"
    assert [re.sub(r"^  line \d+: ", "", line) for line in lines[1:]] == [
        message[:1].lower() + message[1:] for message in OVERSIZED_MESSAGES
    ]
    assert rows() == before


def test_cli_import_format_option_and_unknown_extension(empty_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "bank.dat"
    path.write_text(FORMATS["gift"].emit(GOOD), encoding="utf-8")
    runner = empty_app.test_cli_runner()
    unknown = runner.invoke(args=["bank", "import", str(path)])
    assert (
        unknown.exit_code == 2
        and "cannot tell the format of 'bank.dat' from its extension; give --format" in unknown.output
    )
    assert runner.invoke(args=["bank", "import", str(path), "--format", "gift"]).exit_code == 0
    assert bank_drafts() == sorted(GOOD, key=lambda draft: draft.id)


def test_cli_export_anki_needs_an_output_file(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["bank", "export", "--format", "anki"])
    assert missing.exit_code == 2 and "give it with -o FILE" in missing.output
    output = tmp_path / "deck.apkg"
    result = runner.invoke(args=["bank", "export", "--format", "anki", "-o", str(output)])
    assert result.exit_code == 0, result.output
    active = len(bank_drafts())
    assert result.output == f"Wrote {active} notes to {output}.\n"
    assert len(_notes(output.read_bytes(), tmp_path)) == active


def test_cli_import_of_the_spanish_gift_file_adds_the_translations(empty_app: Flask, tmp_path: Path) -> None:
    english = tmp_path / "bank-en.gift"
    english.write_text("::q-puerto:: In which port did the Huáscar serve? {=Callao}\n", encoding="utf-8")
    spanish = tmp_path / "bank-es.gift"
    spanish.write_text("::q-puerto:: ¿En qué puerto sirvió el Huáscar? {=el Callao}\n", encoding="utf-8")
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["bank", "import", str(english), "--topic", "events"]).exit_code == 0
    result = runner.invoke(args=["bank", "import", str(spanish), "--topic", "events", "--language", "es"])
    assert result.exit_code == 0, result.output
    question = db.session.get(Question, "q-puerto")
    assert (question.current.language, question.current.prompt) == (
        Language.ENGLISH,
        "In which port did the Huáscar serve?",
    )
    spanish_text = question.current.text_in(Language.SPANISH)
    assert (spanish_text.prompt, spanish_text.answer) == ("¿En qué puerto sirvió el Huáscar?", "el Callao")
    assert rows()["Question"] == 1


def test_cli_export_writes_one_language_to_a_gift_file(app: Flask, tmp_path: Path) -> None:
    question = db.session.get(Question, "event:battle-of-huamachuco:when")
    runner = app.test_cli_runner()
    for language in Language:
        path = tmp_path / f"bank-{language}.gift"
        result = runner.invoke(
            args=["bank", "export", "--format", "gift", "--language", language.value, "-o", str(path)]
        )
        assert result.exit_code == 0, result.output
        text = path.read_text(encoding="utf-8")
        other = Language.ENGLISH if language is Language.SPANISH else Language.SPANISH
        assert question.current.text_in(language).prompt in text
        assert question.current.text_in(other).prompt not in text
