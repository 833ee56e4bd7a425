"""Grading in Spanish: Spanish dates, titles and short forms, a question's wording per language,
answers accepted in the other language, and the grader's texts worded in Spanish."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.dates import PartialDate, parse_date_answer
from quizapp.domain.grading import (
    CORRECT_WITH_TYPO,
    NOT_PRECISE_ENOUGH,
    UNREADABLE_DATE,
    ShortAnswerGrader,
    Verdict,
    joined_initials,
    normalize,
    parse_date_response,
)
from quizapp.domain.languages import Language
from quizapp.domain.question_types import grade_in, kind_of, options_in, options_shown, wording, wordings
from quizapp.domain.question_types.typed import Date
from quizapp.domain.questions import QuestionDraft, QuestionText, QuestionType
from quizapp.domain.student_texts import SPANISH, in_language
from tests.strategies import partial_dates

EN, ES = Language.ENGLISH, Language.SPANISH


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 de marzo de 1881", PartialDate(1881, 3, 12)),
        ("12 marzo 1881", PartialDate(1881, 3, 12)),
        ("el 12 de marzo de 1881.", PartialDate(1881, 3, 12)),
        ("marzo de 1881", PartialDate(1881, 3)),
        ("mar. 1881", PartialDate(1881, 3)),
        ("en marzo de 1881", PartialDate(1881, 3)),
        ("1 de enero de 1883", PartialDate(1883, 1, 1)),
        ("primero de enero de 1883", PartialDate(1883, 1, 1)),
        ("1.º de enero de 1883", PartialDate(1883, 1, 1)),
        ("1° de enero de 1883", PartialDate(1883, 1, 1)),
        ("1ro de enero de 1883", PartialDate(1883, 1, 1)),
        ("20 de setiembre de 1882", PartialDate(1882, 9, 20)),
        ("20 de Septiembre del 1882", PartialDate(1882, 9, 20)),
        ("12/03/1881", PartialDate(1881, 3, 12)),  # day first, as ever
    ],
)
def test_spanish_dates(text, expected):
    assert parse_date_response(text) == expected


@pytest.mark.parametrize(
    ("date", "english", "spanish"),
    [
        (PartialDate(1881, 3, 12), "12 March 1881", "12 de marzo de 1881"),
        (PartialDate(1882, 9), "September 1882", "setiembre de 1882"),
        (PartialDate(1883), "1883", "1883"),
    ],
)
def test_dates_written_in_each_language(date, english, spanish):
    assert date.display_in(EN) == english
    assert date.display_in(ES) == spanish


@given(partial_dates, st.sampled_from(Language))
def test_every_date_written_in_either_language_reads_back(date, language):
    assert parse_date_response(date.display_in(language)) == date


@given(st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_answer_date_written_in_either_language_is_an_answer(day):
    for date in (PartialDate(day.year), PartialDate(day.year, day.month), PartialDate(day.year, day.month, day.day)):
        for language in Language:
            assert parse_date_answer(date.display_in(language)) == date


@pytest.mark.parametrize(
    ("answer", "accepted", "response", "matched"),
    [
        ("Andrés Avelino Cáceres", ["Cáceres"], "el general Cáceres", "Cáceres"),
        ("Andrés Avelino Cáceres", ["Cáceres"], "El General Andrés Avelino Cáceres", "Andrés Avelino Cáceres"),
        ("Nicolás de Piérola", ["Piérola"], "el presidente Piérola", "Piérola"),
        ("Nicolás de Piérola", ["Piérola"], "don Nicolás de Piérola", "Nicolás de Piérola"),
        ("Lizardo Montero", ["Montero"], "el contralmirante Montero", "Montero"),
        ("Lizardo Montero", ["Montero"], "el coronel Montero", "Montero"),
        ("batalla de Huamachuco", [], "la batalla de Huamachuco", "batalla de Huamachuco"),
        ("la batalla de Huamachuco", [], "batalla de Huamachuco", "la batalla de Huamachuco"),
        ("the Battle of Huamachuco", [], "Battle of Huamachuco", "the Battle of Huamachuco"),
        ("Estados Unidos", ["EE. UU."], "EEUU", "EE. UU."),
        ("Estados Unidos", ["EE. UU."], "EE.UU.", "EE. UU."),
        ("Estados Unidos", ["EEUU"], "EE. UU.", "EEUU"),
        ("United States", ["U.S.A."], "USA", "U.S.A."),
    ],
)
def test_spanish_titles_articles_and_short_forms(answer, accepted, response, matched):
    assert ShortAnswerGrader().check(answer, accepted, response) == Verdict(True, "Correct", matched)


def test_initials_are_joined_only_in_runs_of_the_same_kind():
    assert joined_initials(normalize("EE. UU. y Chile")) == "eeuu y chile"
    assert joined_initials(normalize("de la Mar")) == "de la mar"
    assert joined_initials(normalize("a Lima")) == "a lima"


# --- a question in two languages --------------------------------------------------------

QUESTION = QuestionDraft(
    id="q-country",
    topic="recognitions",
    type=QuestionType.SHORT_ANSWER,
    prompt="Which country recognized the García Calderón government?",
    answer="United States",
    accepted_answers=("USA",),
    options=("Chile", "Bolivia"),
    translations={
        ES: QuestionText(
            prompt="¿Qué país reconoció al gobierno de García Calderón?",
            answer="Estados Unidos",
            accepted_answers=("EE. UU.",),
            options=("Chile", "Bolivia"),
        )
    },
)


def test_a_question_reads_in_the_language_asked_for_else_its_own():
    assert wording(QUESTION, ES).prompt == "¿Qué país reconoció al gobierno de García Calderón?"
    assert wording(QUESTION, ES).language is ES
    english_only = replace(QUESTION, translations={})
    assert wording(english_only, ES).language is EN
    assert wording(english_only, ES).prompt == QUESTION.prompt
    assert [shown.language for shown in wordings(QUESTION, ES)] == [ES, EN]
    assert [shown.language for shown in wordings(english_only, ES)] == [EN]


@pytest.mark.parametrize(
    ("language", "response", "matched"),
    [
        (ES, "Estados Unidos", "Estados Unidos"),
        (ES, "EEUU", "EE. UU."),
        (ES, "United States", "United States"),  # the other language's answer counts too
        (ES, "USA", "USA"),
        (EN, "Estados Unidos", "Estados Unidos"),
        (EN, "United States", "United States"),
    ],
)
def test_a_typed_answer_is_right_in_either_language(language, response, matched):
    assert grade_in(wordings(QUESTION, language), response) == Verdict(True, "Correct", matched)


def test_a_typed_answer_in_either_language_is_still_wrong_when_wrong():
    assert grade_in(wordings(QUESTION, ES), "Chile") == Verdict(False, "Incorrect")
    assert grade_in(wordings(QUESTION, ES), "Estados Unidas") == Verdict(True, CORRECT_WITH_TYPO, "Estados Unidos")


def test_weights_and_comments_of_both_languages_count():
    question = replace(
        QUESTION,
        details={"weights": {"Brazil": 0.5}, "feedback": {"Brazil": "Close: Brazil mediated."}},
        translations={
            ES: replace(
                QUESTION.translations[ES],
                details={"weights": {"Brasil": 0.5}, "feedback": {"Brasil": "Cerca: Brasil medió."}},
            )
        },
    )
    assert grade_in(wordings(question, ES), "Brasil") == Verdict(
        False, "Partly correct", "Brasil", 0.5, "Cerca: Brasil medió."
    )
    assert grade_in(wordings(question, ES), "Brazil") == Verdict(
        False, "Partly correct", "Brazil", 0.5, "Close: Brazil mediated."
    )


DATE_QUESTION = QuestionDraft(
    id="q-date",
    topic="dates",
    type=QuestionType.DATE,
    prompt="When was the battle of Huamachuco?",
    answer="10 July 1883",
    translations={ES: QuestionText(prompt="¿Cuándo fue la batalla de Huamachuco?", answer="10 de julio de 1883")},
)


@pytest.mark.parametrize("response", ["10 de julio de 1883", "10 julio 1883", "10 July 1883", "10/07/1883"])
def test_a_date_in_either_language(response):
    assert grade_in(wordings(DATE_QUESTION, ES), response).correct


def test_date_feedback_is_worded_in_spanish():
    verdict = grade_in(wordings(DATE_QUESTION, ES), "julio de 1883")
    assert verdict.feedback == NOT_PRECISE_ENOUGH["month", "day"]
    assert (
        in_language(verdict.feedback, ES) == "Tu fecha es correcta hasta el mes, pero la pregunta pide también el día"
    )
    assert in_language(UNREADABLE_DATE, ES) == (
        "No se pudo leer una fecha; escríbela como 20 de octubre de 1883, 20/10/1883 o 1883-10-20"
    )
    assert in_language(Date.hint, ES) == (
        "Escribe una fecha como 12 de marzo de 1881, 12/03/1881 o 1881-03-12, tan precisa como pide la pregunta."
    )
    assert in_language(UNREADABLE_DATE, EN) == UNREADABLE_DATE
    assert in_language("An author's own comment", ES) == "An author's own comment"


def test_every_spanish_text_differs_from_its_english():
    assert all(spanish and spanish != english for english, spanish in SPANISH.items())


# --- options by position ------------------------------------------------------------------

CHOICE = QuestionDraft(
    id="q-choice",
    topic="leaders",
    type=QuestionType.MULTIPLE_CHOICE,
    prompt="Who led the Breña campaign?",
    answer="Andrés Avelino Cáceres",
    options=("Andrés Avelino Cáceres", "Nicolás de Piérola", "the President", "the Admiral"),
    translations={
        ES: QuestionText(
            prompt="¿Quién dirigió la campaña de la Breña?",
            answer="Andrés Avelino Cáceres",
            options=("Andrés Avelino Cáceres", "Nicolás de Piérola", "el Presidente", "el Almirante"),
        )
    },
)


def test_options_keep_their_positions_in_every_language():
    shown = options_shown(CHOICE, 7, CHOICE.id)
    in_spanish = options_in(shown, wordings(CHOICE, ES))
    assert in_spanish == options_shown(wording(CHOICE, ES), 7, CHOICE.id)
    assert [CHOICE.options.index(text) for text in shown] == [
        CHOICE.translations[ES].options.index(text) for text in in_spanish
    ]
    assert options_in(in_spanish, wordings(CHOICE, EN)) == shown


def test_a_choice_counts_by_its_position_whichever_language_it_was_given_in():
    assert grade_in(wordings(CHOICE, ES), "el Presidente") == Verdict(False, "Incorrect", "el Presidente")
    assert grade_in(wordings(CHOICE, ES), "the President") == Verdict(False, "Incorrect", "el Presidente")
    assert grade_in(wordings(CHOICE, EN), "Andrés Avelino Cáceres").correct


def test_true_or_false_in_spanish():
    statement = QuestionDraft(
        id="q-tf",
        topic="events",
        type=QuestionType.TRUE_FALSE,
        prompt="Cáceres fought at Huamachuco.",
        answer="True",
        options=("True", "False"),
        translations={ES: QuestionText("Cáceres combatió en Huamachuco.", "Verdadero", options=("Verdadero", "Falso"))},
    )
    assert options_in(["True", "False"], wordings(statement, ES)) == ["Verdadero", "Falso"]
    assert grade_in(wordings(statement, ES), "Verdadero").correct
    assert grade_in(wordings(statement, ES), "True").correct
    assert not grade_in(wordings(statement, ES), "Falso").correct


MATCHING = QuestionDraft(
    id="q-match",
    topic="recognitions",
    type=QuestionType.MATCHING,
    prompt="Match each government with its seat.",
    answer="",
    details={"pairs": [["Montero's government", "Arequipa"], ["Iglesias's government", "Cajamarca"]]},
    translations={
        ES: QuestionText(
            prompt="Une cada gobierno con su sede.",
            answer="",
            details={"pairs": [["Gobierno de Montero", "Arequipa"], ["Gobierno de Iglesias", "Cajamarca"]]},
        )
    },
)
TIMELINE = QuestionDraft(
    id="q-order",
    topic="events",
    type=QuestionType.TIMELINE,
    prompt="Put in order.",
    answer="",
    details={"items": ["Battle of San Juan", "Battle of Huamachuco", "Treaty of Ancón"]},
    translations={
        ES: QuestionText(
            prompt="Ordena.",
            answer="",
            details={"items": ["Batalla de San Juan", "Batalla de Huamachuco", "Tratado de Ancón"]},
        )
    },
)


def test_matching_and_timeline_count_by_position_in_either_language():
    assert grade_in(wordings(MATCHING, ES), ["Arequipa", "Cajamarca"]).correct
    assert grade_in(
        wordings(TIMELINE, ES), ["Batalla de San Juan", "Batalla de Huamachuco", "Tratado de Ancón"]
    ).correct
    assert grade_in(wordings(TIMELINE, ES), ["Battle of San Juan", "Battle of Huamachuco", "Treaty of Ancón"]).correct
    reversed_order = grade_in(
        wordings(TIMELINE, ES), ["Tratado de Ancón", "Batalla de Huamachuco", "Batalla de San Juan"]
    )
    assert reversed_order.score == 0
    assert kind_of(TIMELINE.type).rows(wording(TIMELINE, ES)) == [
        "Batalla de San Juan",
        "Batalla de Huamachuco",
        "Tratado de Ancón",
    ]
