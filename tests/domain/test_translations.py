"""Questions in two languages: the rules on a translation, and every format carrying the language."""

from __future__ import annotations

import io
import sqlite3
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.domain.formats import FORMATS, ImportOptions, validate_draft, worded_in
from quizapp.domain.formats.anki import DECK_IDS, build_apkg
from quizapp.domain.formats.csv_format import parse as parse_csv
from quizapp.domain.languages import Language
from quizapp.domain.problems import FieldProblem
from quizapp.domain.question_rules import normalize_draft
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionText, QuestionType

SPANISH = Language.SPANISH

BRENA = QuestionDraft(
    id="q1",
    topic=BankTopic.LEADERS,
    type=QuestionType.MULTIPLE_CHOICE,
    prompt="Who led the Breña campaign?",
    answer="Andrés A. Cáceres",
    options=("Andrés A. Cáceres", "Miguel Iglesias", "Lizardo Montero"),
    explanation="He led the resistance in the central highlands.",
    source="caceres",
    tags=("breña",),
    details={"feedback": {"Miguel Iglesias": "Iglesias made peace with Chile."}},
    translations={
        SPANISH: QuestionText(
            prompt="¿Quién dirigió la campaña de la Breña?",
            answer="Andrés A. Cáceres",
            options=("Andrés A. Cáceres", "Miguel Iglesias", "Lizardo Montero"),
            explanation="Dirigió la resistencia en la sierra central.",
            details={"feedback": {"Miguel Iglesias": "Iglesias firmó la paz con Chile."}},
        )
    },
)
ISLAND = QuestionDraft(
    id="q2",
    topic=BankTopic.RECOGNITIONS,
    type=QuestionType.MATCHING,
    prompt="Match each country with the government it recognized.",
    answer="",
    details={"pairs": [["Bolivia", "Arequipa government"], ["Chile", "Iglesias government"]]},
    translations={
        SPANISH: QuestionText(
            prompt="Relaciona cada país con el gobierno que reconoció.",
            answer="",
            details={"pairs": [["Bolivia", "Gobierno de Arequipa"], ["Chile", "Gobierno de Iglesias"]]},
        )
    },
)
DRAFTS = [normalize_draft(BRENA), normalize_draft(ISLAND)]


def test_a_question_and_its_translation_are_valid() -> None:
    assert [validate_draft(draft) for draft in DRAFTS] == [[], []]


def test_a_translation_is_normalized_as_its_question_is() -> None:
    spanish = DRAFTS[1].translations[SPANISH]
    assert spanish.answer == "Bolivia → Gobierno de Arequipa; Chile → Gobierno de Iglesias"


def test_problems_of_a_translation_name_its_language_and_field() -> None:
    spanish = replace(BRENA.translations[SPANISH], prompt="¿?")
    problems = validate_draft(replace(BRENA, translations={SPANISH: spanish}))
    assert problems == [
        FieldProblem("translations.es.prompt", "prompt is required and must have at least 3 characters")
    ]


@pytest.mark.parametrize(
    "spanish",
    [
        # an option fewer
        replace(BRENA.translations[SPANISH], options=("Andrés A. Cáceres", "Miguel Iglesias"), details={}),
        # the right option in another place
        replace(
            BRENA.translations[SPANISH],
            options=("Miguel Iglesias", "Andrés A. Cáceres", "Lizardo Montero"),
            details={},
        ),
    ],
)
def test_a_translation_must_agree_in_structure(spanish: QuestionText) -> None:
    problems = validate_draft(replace(BRENA, translations={SPANISH: spanish}))
    assert [problem.field for problem in problems] == ["translations.es.structure"]
    assert problems[0].message == (
        "the Español version must have the same options, pairs and events in the same order, "
        "with the same ones right, as the question"
    )


def test_a_pair_fewer_in_the_translation_is_a_problem() -> None:
    spanish = QuestionText(
        prompt="Relaciona cada país con el gobierno que reconoció.",
        answer="",
        details={"pairs": [["Bolivia", "Gobierno de Arequipa"], ["Chile", "Gobierno de Iglesias"], ["EE. UU.", "X"]]},
    )
    problems = validate_draft(replace(ISLAND, translations={SPANISH: spanish}))
    assert [problem.field for problem in problems] == ["translations.es.structure"]


def test_a_translation_into_the_questions_own_language_is_a_problem() -> None:
    problems = validate_draft(replace(BRENA, language=SPANISH))
    assert problems == [FieldProblem("translations.es", "a translation into Español, the question's own language")]


def test_csv_rows_of_one_id_in_two_languages_are_one_question() -> None:
    text = (
        "id,topic,type,prompt,answer,options,language\n"
        "q1,leaders,multiple_choice,Who led the Breña campaign?,Cáceres,Cáceres|Iglesias,en\n"
        "q1,leaders,multiple_choice,¿Quién dirigió la campaña de la Breña?,Cáceres,Cáceres|Iglesias,es\n"
        "q2,dates,date,¿Cuándo se firmó el Tratado de Ancón?,1883-10-20,,\n"
    )
    [brena, ancon] = parse_csv(text, "bank.csv", SPANISH)
    assert brena.language == Language.ENGLISH
    assert brena.translations == {
        SPANISH: QuestionText("¿Quién dirigió la campaña de la Breña?", "Cáceres", (), ("Cáceres", "Iglesias"))
    }
    assert (ancon.language, ancon.translations) == (SPANISH, {})  # no language: the one the import is told


@pytest.mark.parametrize("format_name", ["csv", "json"])
def test_csv_and_json_carry_every_language(format_name: str) -> None:
    chosen = FORMATS[format_name]
    assert chosen.parse(chosen.emit(DRAFTS)) == DRAFTS


@pytest.mark.parametrize("format_name", ["gift", "moodlexml", "csv", "json"])
def test_a_spanish_export_reads_back_as_the_same_spanish_questions(format_name: str) -> None:
    chosen = FORMATS[format_name]
    spanish = worded_in(DRAFTS, SPANISH)
    assert [draft.prompt for draft in spanish] == [
        "¿Quién dirigió la campaña de la Breña?",
        "Relaciona cada país con el gobierno que reconoció.",
    ]
    read = chosen.parse(chosen.emit(spanish), "bank", ImportOptions(language=SPANISH))
    assert [(draft.language, draft.text_in(SPANISH)) for draft in read] == [
        (SPANISH, draft.text_in(SPANISH)) for draft in spanish
    ]


def test_questions_without_the_language_are_left_out_of_its_file() -> None:
    english_only = replace(DRAFTS[0], translations={})
    assert worded_in([english_only], SPANISH) == []
    assert worded_in([english_only], Language.ENGLISH) == [english_only]


def test_the_spanish_anki_deck_is_a_deck_of_its_own() -> None:
    buffer = io.BytesIO()
    build_apkg(worded_in(DRAFTS, SPANISH), buffer, language=SPANISH, timestamp=1_700_000_000)
    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory) / "collection.anki2"
        database.write_bytes(zipfile.ZipFile(buffer).read("collection.anki2"))
        connection = sqlite3.connect(database)
        try:
            decks = {deck for (deck,) in connection.execute("SELECT did FROM cards")}
            fronts = [front for (front,) in connection.execute("SELECT flds FROM notes ORDER BY id")]
        finally:
            connection.close()
    assert decks == {DECK_IDS[SPANISH]} != {DECK_IDS[Language.ENGLISH]}
    assert fronts[0].startswith("<div>¿Quién dirigió la campaña de la Breña?</div>")
