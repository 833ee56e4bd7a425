import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.dates import PartialDate
from quizapp.domain.grading import (
    CORRECT,
    CORRECT_WITH_TYPO,
    FULL_YEAR_NEEDED,
    INCORRECT,
    MAX_RESPONSE_LENGTH,
    NO_ANSWER,
    UNREADABLE_DATE,
    WRONG_DATE,
    ResponseTooLong,
    Verdict,
    normalize,
    parse_date_response,
    scored,
)
from quizapp.domain.question_types import TYPES, grade, kind_of
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, BankTopic, QuestionDraft, QuestionType
from tests.strategies import partial_dates

SHORT = QuestionType.SHORT_ANSWER
DATE = QuestionType.DATE


def check(question_type, answer, accepted, response, *, options=()):
    """Grade ``response`` to a question of ``question_type`` with this answer key."""
    question = QuestionDraft(
        id="q1",
        topic=BankTopic.DATES,
        type=QuestionType(question_type),
        prompt="A test question?",
        answer=answer,
        accepted_answers=tuple(accepted),
        options=tuple(options),
    )
    return grade(question, response)


# --- normalize -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nicolás de Piérola", "nicolas de pierola"),
        ("  ANDRÉS   Avelino\tCÁCERES ", "andres avelino caceres"),
        ("Cáceres, A. A.", "caceres a a"),
        ("¿Quién? ¡Grau!", "quien grau"),
        ("Ancón (1883)", "ancon 1883"),
        ("Straße", "strasse"),
        ("", ""),
        ("...", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@given(st.text())
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


def folded_whole(text: str) -> str:
    """normalize's definition, applied to the whole text at once (normalize folds a character at a time)."""
    previous = None
    while text != previous:
        previous = text
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(char if char.isalnum() else " " for char in decomposed if not unicodedata.combining(char))
    return " ".join(text.split())


@given(st.text() | st.text(alphabet="ΣσςΑαİıŉǰﬀﬃ̸ℌ①²ÅÆǄ한글\u0301\u0327 ,.-'"))
def test_normalize_folds_as_its_definition_says(text):
    assert normalize(text) == folded_whole(text)


# --- parse_date_response ---------------------------------------------------

OCT_20 = PartialDate(1883, 10, 20)
OCT = PartialDate(1883, 10)
YEAR = PartialDate(1883)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 October 1883", OCT_20),
        ("October 20, 1883", OCT_20),
        ("20 Oct 1883", OCT_20),
        ("20 Oct. 1883", OCT_20),
        ("Oct 20 1883", OCT_20),
        ("oct. 20, 1883", OCT_20),
        ("1883-10-20", OCT_20),
        ("1883/10/20", OCT_20),
        ("20/10/1883", OCT_20),
        ("20.10.1883", OCT_20),
        ("20-10-1883", OCT_20),
        ("20th October 1883", OCT_20),
        ("20th of October, 1883", OCT_20),
        ("October 20th, 1883", OCT_20),
        ("  20 OCTOBER 1883  ", OCT_20),
        ("20 de octubre de 1883", OCT_20),
        ("20 octubre 1883", OCT_20),
        ("20 oct. 1883", OCT_20),
        ("October 1883", OCT),
        ("Oct 1883", OCT),
        ("octubre de 1883", OCT),
        ("1883-10", OCT),
        ("10/1883", OCT),
        ("1883", YEAR),
        ("1st May 1883", PartialDate(1883, 5, 1)),
        ("2nd June 1882", PartialDate(1882, 6, 2)),
        ("3rd July 1882", PartialDate(1882, 7, 3)),
        ("10 de julio de 1883", PartialDate(1883, 7, 10)),
        ("9 Jul 1882", PartialDate(1882, 7, 9)),
        ("6 June 1880", PartialDate(1880, 6, 6)),
        ("setiembre de 1881", PartialDate(1881, 9)),
        ("septiembre 1881", PartialDate(1881, 9)),
        ("Sept 1881", PartialDate(1881, 9)),
        ("set. 1881", PartialDate(1881, 9)),
        ("17 de enero de 1881", PartialDate(1881, 1, 17)),
        ("15 ene 1881", PartialDate(1881, 1, 15)),
        ("13 Enero 1881", PartialDate(1881, 1, 13)),
        ("1 de abril de 1881", PartialDate(1881, 4, 1)),
        ("15 ago 1881", PartialDate(1881, 8, 15)),
        ("diciembre 1881", PartialDate(1881, 12)),
        ("29 February 1884", PartialDate(1884, 2, 29)),
    ],
)
def test_parse_date_response_forms(text, expected):
    assert parse_date_response(text) == expected


def test_all_numeric_dates_are_day_first():
    assert parse_date_response("05/10/1883") == PartialDate(1883, 10, 5)
    assert parse_date_response("13/10/1883") == PartialDate(1883, 10, 13)
    assert parse_date_response("10/13/1883") is None  # month 13, not US order


def test_years_are_taken_literally():
    assert parse_date_response("20/10/83") == PartialDate(83, 10, 20)


@pytest.mark.parametrize(
    "text",
    [
        "31 February 1883",
        "29 February 1883",
        "31 April 1882",
        "32 October 1883",
        "1883-13",
        "1883-02-30",
        "30/02/1883",
        "0 October 1883",
        "",
        "   ",
        "yesterday",
        "October",
        "20 October",
        "20/10",
        "12/10",
        "10/83",
        "18 83",
        "20 10 1883",
        "May June 1883",
        "20 Smarch 1883",
        "Cáceres",
        "12345",
    ],
)
def test_parse_date_response_rejects(text):
    assert parse_date_response(text) is None


@given(partial_dates)
def test_parse_reads_display_and_iso(date):
    assert parse_date_response(date.display()) == date
    assert parse_date_response(date.iso()) == date


# --- choice questions ------------------------------------------------------

OPTIONS = ("Andrés Avelino Cáceres", "Nicolás de Piérola", "Lizardo Montero", "Miguel Iglesias")


@pytest.mark.parametrize(
    ("response", "correct"),
    [
        ("Andrés Avelino Cáceres", True),
        ("andres avelino caceres", True),
        ("  ANDRÉS AVELINO CÁCERES. ", True),
        ("Miguel Iglesias", False),
        ("Cáceres", False),  # choices must be chosen, not abbreviated
        ("Andres Avelino Cacers", False),  # no typo allowance for a choice
    ],
)
def test_multiple_choice(response, correct):
    verdict = check(QuestionType.MULTIPLE_CHOICE, OPTIONS[0], (), response, options=OPTIONS)
    assert verdict.correct is correct
    assert verdict.feedback == (CORRECT if correct else INCORRECT)
    # The option chosen, if any (its weight and feedback are looked up by it).
    assert verdict.matched == next((option for option in OPTIONS if normalize(option) == normalize(response)), None)


@pytest.mark.parametrize(
    ("answer", "response", "correct"),
    [
        ("True", "True", True),
        ("True", "true", True),
        ("True", " TRUE ", True),
        ("True", "False", False),
        ("False", "false", True),
        ("False", "True", False),
    ],
)
def test_true_false(answer, response, correct):
    verdict = check(QuestionType.TRUE_FALSE, answer, (), response, options=TRUE_FALSE_OPTIONS)
    assert verdict.correct is correct


# --- short answers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "accepted", "response", "feedback", "matched"),
    [
        ("Nicolás de Piérola", (), "Nicolas de Pierola", CORRECT, "Nicolás de Piérola"),
        ("Nicolás de Piérola", (), "NICOLÁS DE PIÉROLA", CORRECT, "Nicolás de Piérola"),
        ("Nicolás de Piérola", ("Piérola",), "pierola", CORRECT, "Piérola"),
        ("Piérola", (), "pierola", CORRECT, "Piérola"),
        ("Piérola", (), "Pierolla", CORRECT_WITH_TYPO, "Piérola"),
        ("Piérola", (), "Peirola", CORRECT_WITH_TYPO, "Piérola"),  # swapped letters
        ("Cáceres", (), "Cacers", CORRECT_WITH_TYPO, "Cáceres"),
        ("Cáceres", (), "Caceres.", CORRECT, "Cáceres"),
        ("Andrés Avelino Cáceres", ("Cáceres",), "Andres Avelino Cacers", CORRECT_WITH_TYPO,
         "Andrés Avelino Cáceres"),
        ("Andrés Avelino Cáceres", ("Cáceres",), "Caseres", CORRECT_WITH_TYPO, "Cáceres"),
        ("Nicolás de Piérola", (), "Nicolas dePierola", CORRECT_WITH_TYPO, "Nicolás de Piérola"),
        ("Nicolás de Piérola", (), "Nicolas Pierola", CORRECT_WITH_TYPO, "Nicolás de Piérola"),
        ("Francisco García Calderón", (), "Francisco Garcia Calderon", CORRECT,
         "Francisco García Calderón"),
        ("Francisco García Calderón", (), "Fransisco Garcia Calderon", CORRECT_WITH_TYPO,
         "Francisco García Calderón"),
        ("Huamachuco", (), "Huamachucco", CORRECT_WITH_TYPO, "Huamachuco"),
        ("Huamachuco", (), "Humachuko", CORRECT_WITH_TYPO, "Huamachuco"),
        ("Treaty of Ancón", (), "treaty of ancon", CORRECT, "Treaty of Ancón"),
    ],
)  # fmt: skip
def test_short_answer_accepts(answer, accepted, response, feedback, matched):
    assert check(SHORT, answer, accepted, response) == Verdict(True, feedback, matched)


@pytest.mark.parametrize(
    ("answer", "accepted", "response"),
    [
        ("Moreno", (), "Montero"),
        ("Montero", (), "Moreno"),
        ("Grau", (), "Gray"),  # short words get no typo allowance
        ("Lima", (), "Lama"),
        ("Cáceres", (), "Cceers"),  # two edits on a 7-letter name
        ("Piérola", (), "Pirolla"),
        ("Nicolás de Piérola", (), "Nicolas Pirolla"),
        ("Andrés Avelino Cáceres", (), "Andre Avelin Cacers"),  # three small typos in all
        ("Cáceres", (), "Andrés Avelino Cáceres Dorregaray"),
        ("Cáceres", (), ""),
        ("1881", (), "1882"),
        ("Battle of Huamachuco 1883", (), "Battle of Huamachuco 1882"),
        ("Battle of Huamachuco 1883", (), "Battle of Huamachuco"),
        ("Battle of Huamachuco", (), "Battle of Huamachuco 1883"),
        ("Miguel Iglesias", ("Iglesias",), "Lizardo Montero"),
    ],
)
def test_short_answer_rejects(answer, accepted, response):
    assert check(SHORT, answer, accepted, response).correct is False


def test_short_answer_empty_response_says_so():
    assert check(SHORT, "Cáceres", (), "  ¿? ") == Verdict(False, NO_ANSWER)


def test_short_answer_never_accepts_another_option():
    # "Prado" is one edit from "Prada", but it is another known option.
    options = ("Prada", "Prado", "Grau")
    assert check(SHORT, "Prada", (), "Prado", options=options) == Verdict(False, INCORRECT)
    assert check(SHORT, "Prada", (), "Prada", options=options) == Verdict(True, CORRECT, "Prada")


def test_short_answer_rejects_a_typo_as_close_to_another_option():
    # "Iglesia" is one edit from both; the answer does not win ties.
    options = ("Iglesias", "Iglesiaz")
    assert check(SHORT, "Iglesias", (), "Iglesia", options=options).correct is False
    assert check(SHORT, "Iglesias", (), "Iglesia", options=("Montero",)).correct is True


def test_an_accepted_answer_listed_among_options_is_still_accepted():
    verdict = check(SHORT, "Andrés Avelino Cáceres", ("Cáceres",), "Cáceres", options=("Cáceres",))
    assert verdict == Verdict(True, CORRECT, "Cáceres")


# --- dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        "20 October 1883",
        "October 20, 1883",
        "20 Oct 1883",
        "Oct 20 1883",
        "1883-10-20",
        "20/10/1883",
        "20.10.1883",
        "20th October 1883",
        "20 de octubre de 1883",
    ],
)
def test_date_day_question_accepts_every_form(response):
    assert check(DATE, "20 October 1883", (), response) == Verdict(True, CORRECT, "20 October 1883")


@pytest.mark.parametrize(
    ("answer", "response", "verdict"),
    [
        # more precise than asked is fine when it agrees
        ("1883", "20 October 1883", Verdict(True, CORRECT, "1883")),
        ("1883", "1883-10", Verdict(True, CORRECT, "1883")),
        ("October 1883", "20/10/1883", Verdict(True, CORRECT, "October 1883")),
        ("October 1883", "octubre de 1883", Verdict(True, CORRECT, "October 1883")),
        # less precise than asked is wrong, with a hint when it agrees so far
        ("20 October 1883", "1883", Verdict(
            False, "Your date is right to the year, but the question asks for the day")),
        ("20 October 1883", "October 1883", Verdict(
            False, "Your date is right to the month, but the question asks for the day")),
        ("October 1883", "1883", Verdict(
            False, "Your date is right to the year, but the question asks for the month")),
        ("20 October 1883", "1882", Verdict(False, WRONG_DATE)),
        ("20 October 1883", "November 1883", Verdict(False, "The year is right, but the month is not")),
        # plainly wrong
        ("20 October 1883", "21 October 1883", Verdict(False, "The month is right, but the day is not")),
        ("20 October 1883", "20 November 1883", Verdict(False, "The year is right, but the month is not")),
        ("20 October 1883", "20 October 1882", Verdict(False, WRONG_DATE)),
        ("1883", "1882", Verdict(False, WRONG_DATE)),
        ("1883", "20 October 1882", Verdict(False, WRONG_DATE)),
        ("October 1883", "October 1882", Verdict(False, WRONG_DATE)),
        ("20 October 1883", "10/20/1883", Verdict(False, UNREADABLE_DATE, retry=True)),  # US order
        ("20 October 1883", "20/10/83", Verdict(False, FULL_YEAR_NEEDED)),
        ("20 October 1883", "the day of the treaty", Verdict(False, UNREADABLE_DATE, retry=True)),
        ("20 October 1883", "31 February 1883", Verdict(False, UNREADABLE_DATE, retry=True)),
        ("20 October 1883", "", Verdict(False, NO_ANSWER)),
    ],
)  # fmt: skip
def test_date_precision_rules(answer, response, verdict):
    assert check(DATE, answer, (), response) == verdict


def test_date_accepted_answers_are_other_dates():
    # Sources differ on the day; both are accepted.
    verdict = check(DATE, "9 July 1882", ("10 July 1882",), "10/07/1882")
    assert verdict == Verdict(True, CORRECT, "10 July 1882")


def test_date_question_with_a_broken_answer_raises():
    with pytest.raises(ValueError, match="not a date"):
        check(DATE, "the end of the war", (), "1883")


# --- registry and limits ---------------------------------------------------


def test_every_question_type_has_a_grader():
    assert set(TYPES) == set(QuestionType)
    assert kind_of("short_answer") is TYPES[QuestionType.SHORT_ANSWER]


def test_unknown_question_type_raises():
    with pytest.raises(ValueError):
        check("essay", "x", (), "x")


@pytest.mark.parametrize("question_type", list(QuestionType))
def test_overlong_responses_raise(question_type):
    check(question_type, "1883", (), "1" * MAX_RESPONSE_LENGTH)  # the limit itself is fine
    with pytest.raises(ResponseTooLong):
        check(question_type, "1883", (), "1" * (MAX_RESPONSE_LENGTH + 1))
    assert issubclass(ResponseTooLong, ValueError)


def test_check_question_uses_the_drafts_options():
    question = QuestionDraft(
        id="q1",
        topic=BankTopic.LEADERS,
        type=QuestionType.SHORT_ANSWER,
        prompt="Which name? (test question)",
        answer="Prada",
        options=("Prada", "Prado"),
    )
    assert grade(question, "Prado").correct is False
    assert grade(question, "prada") == Verdict(True, CORRECT, "Prada")


# --- properties ------------------------------------------------------------

ACCENTED = "áéíóúüñ"
LETTERS = "abcdefghijklmnopqrstuvwxyz" + ACCENTED
names = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=12), min_size=1, max_size=3).map(" ".join)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@st.composite
def answer_and_response(draw):
    answer = draw(names)
    kind = draw(st.sampled_from(["same", "typo", "other"]))
    if kind == "same":
        return answer, answer
    if kind == "other":
        return answer, draw(names)
    position = draw(st.integers(0, len(answer) - 1))
    replacement = draw(st.sampled_from(["", *LETTERS]))
    return answer, answer[:position] + replacement + answer[position + 1 :]


@given(answer_and_response(), st.lists(names, max_size=3))
def test_accents_and_case_never_change_the_verdict(pair, others):
    answer, response = pair
    options = (answer, *others)
    for question_type in (QuestionType.SHORT_ANSWER, QuestionType.MULTIPLE_CHOICE):
        verdict = check(question_type, answer, (), response, options=options)
        assert check(question_type, answer, (), response.upper(), options=options) == verdict
        assert check(question_type, answer, (), strip_accents(response), options=options) == verdict
        accentless_answer = strip_accents(answer).upper()
        assert check(question_type, accentless_answer, (), response, options=options).correct == (verdict.correct)


@given(names, st.lists(names, max_size=3), st.lists(names, max_size=3))
def test_the_answer_itself_is_always_correct(answer, accepted, others):
    for question_type in (QuestionType.SHORT_ANSWER, QuestionType.MULTIPLE_CHOICE):
        verdict = check(question_type, answer, accepted, answer, options=(answer, *others))
        assert verdict == Verdict(True, CORRECT, answer)


@given(partial_dates, st.sampled_from(TRUE_FALSE_OPTIONS))
def test_the_answer_itself_is_always_correct_for_dates_and_true_false(date, truth):
    assert check(DATE, date.display(), (), date.display()) == Verdict(True, CORRECT, date.display())
    assert check(DATE, date.display(), (), date.iso()).correct
    assert check(QuestionType.TRUE_FALSE, truth, (), truth, options=TRUE_FALSE_OPTIONS).correct


@pytest.mark.parametrize(
    ("share", "correct", "score"),
    [
        (3 * 0.3333333333, True, 1.0),  # three weights of a third, as Moodle's formats write them
        (1.5, True, 1.0),
        (0.999, False, 0.999),
        (0.0000001, False, 0.0),
        (-0.5, False, 0.0),
    ],
)
def test_a_share_within_a_millionth_of_the_whole_point_or_of_nothing_is_that(
    share: float, correct: bool, score: float
) -> None:
    verdict = scored(share)
    assert (verdict.correct, verdict.score) == (correct, score)
