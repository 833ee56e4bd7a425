"""Each question type's grader, with exact scores; and the typed answers' leniency (issue 14, part 5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise, permutations
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.dates import PartialDate
from quizapp.domain.facts import load_facts
from quizapp.domain.generate import generate_bank
from quizapp.domain.grading import (
    CORRECT,
    INCORRECT,
    NO_ANSWER,
    PARTIALLY_CORRECT,
    UNREADABLE_DATE,
    UNREADABLE_NUMBER,
    Verdict,
    parse_date_response,
    parse_number_response,
)
from quizapp.domain.question_rules import normalize_draft, validate_draft
from quizapp.domain.question_types import TYPES, grade, kind_of, options_shown
from quizapp.domain.question_types.choice import select_all_weights
from quizapp.domain.question_types.timeline import INCOMPLETE_ORDER
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType
from quizapp.domain.verify import Rule, verify_bank
from quizapp.domain.when import certainly_before

EVENTS = ["Lima falls", "Huamachuco", "Treaty of Ancón", "Arequipa occupied"]


def draft(question_type: QuestionType, **fields: object) -> QuestionDraft:
    base = QuestionDraft(
        id="q1",
        topic=BankTopic.EVENTS,
        type=question_type,
        prompt="A question for the tests?",
        answer=str(fields.pop("answer", "")),
    )
    return normalize_draft(replace(base, **fields))  # type: ignore[arg-type]


TIMELINE = draft(QuestionType.TIMELINE, details={"items": EVENTS, "labels": ["1881", "1883", "1883", "1883"]})
MATCHING = draft(
    QuestionType.MATCHING,
    details={
        "pairs": [
            ["Bolivia", "Arequipa"],
            ["Venezuela", "Ayacucho"],
            ["Chile", "Regenerator"],
            ["Lynch", "Occupation"],
        ],
        "distractors": ["La Magdalena"],
    },
)
RESPONSE = draft(
    QuestionType.MULTIPLE_RESPONSE,
    options=("Costa Rica", "Nicaragua", "Argentina", "Venezuela"),
    details={
        "weights": select_all_weights(
            ["Costa Rica", "Nicaragua", "Argentina", "Venezuela"], ["Costa Rica", "Nicaragua"]
        )
    },
)
NUMBER = draft(
    QuestionType.NUMERICAL,
    details={
        "answers": [
            {"value": 1883, "tolerance": 0, "share": 1},
            {"value": 1883, "tolerance": 2, "share": 0.5, "feedback": "Close."},
        ]
    },
)


def test_every_type_is_registered_once_and_its_drafts_here_are_valid():
    assert set(TYPES) == set(QuestionType)
    for question in (TIMELINE, MATCHING, RESPONSE, NUMBER):
        assert validate_draft(question) == [], question.type


# -- timeline: the share of pairs in the right order -----------------------------------


@pytest.mark.parametrize(
    ("order", "score"),
    [
        ([0, 1, 2, 3], 1.0),
        ([1, 0, 2, 3], 5 / 6),  # one pair of six swapped
        ([0, 1, 3, 2], 5 / 6),
        ([3, 2, 1, 0], 0.0),
        ([1, 2, 3, 0], 3 / 6),
        ([2, 3, 0, 1], 2 / 6),
    ],
)
def test_timeline_scores_the_pairs_in_order(order, score):
    verdict = grade(TIMELINE, [EVENTS[index] for index in order])
    assert verdict.score == pytest.approx(score)
    assert verdict.correct is (score == 1.0)


def test_timeline_needs_each_event_once():
    assert grade(TIMELINE, [EVENTS[0], EVENTS[0], EVENTS[2], EVENTS[3]]) == Verdict(False, INCOMPLETE_ORDER)
    assert grade(TIMELINE, ["", "", "", ""]) == Verdict(False, NO_ANSWER)


@given(st.permutations(range(4)))
def test_timeline_score_is_the_share_of_ordered_pairs(order):
    kept = sum(1 for a, b in permutations(range(4), 2) if a < b and order.index(a) < order.index(b))
    assert grade(TIMELINE, [EVENTS[index] for index in order]).score == pytest.approx(kept / 6)


def test_timeline_is_never_shown_in_its_answer_order():
    for seed in range(30):
        assert options_shown(TIMELINE, seed, "q1") != EVENTS
    assert kind_of(QuestionType.TIMELINE).answer_lines(TIMELINE)[0] == "Lima falls (1881)"


# -- matching: an equal share per pair -------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "score"),
    [
        (["Arequipa", "Ayacucho", "Regenerator", "Occupation"], 1.0),
        (["Arequipa", "Ayacucho", "Regenerator", "La Magdalena"], 0.75),
        (["arequipa", "Regenerator", "Ayacucho", ""], 0.25),  # case does not matter; a blank earns nothing
        (["La Magdalena"] * 4, 0.0),
    ],
)
def test_matching_scores_each_pair(response, score):
    assert grade(MATCHING, response).score == score


def test_matching_offers_every_match_and_distractor():
    assert sorted(options_shown(MATCHING, 1, "q1")) == sorted(
        ["Arequipa", "Ayacucho", "Regenerator", "Occupation", "La Magdalena"]
    )
    assert grade(MATCHING, ["", "", "", ""]) == Verdict(False, NO_ANSWER)


# -- multiple response: Moodle's sum of shares, kept within 0 and 1 --------------------------


def test_select_all_weights_make_choosing_everything_worth_nothing():
    weights = select_all_weights(["a", "b", "c", "d", "e"], ["a", "b"])
    assert weights == {"a": 0.5, "b": 0.5, "c": -1 / 3, "d": -1 / 3, "e": -1 / 3}
    assert select_all_weights(["a", "b"], []) == {}


@pytest.mark.parametrize(
    ("chosen", "score", "feedback"),
    [
        (["Costa Rica", "Nicaragua"], 1.0, CORRECT),
        (["Costa Rica"], 0.5, PARTIALLY_CORRECT),
        (["Costa Rica", "Argentina"], 0.0, INCORRECT),
        (["Costa Rica", "Nicaragua", "Argentina"], 0.5, PARTIALLY_CORRECT),
        (["Costa Rica", "Nicaragua", "Argentina", "Venezuela"], 0.0, INCORRECT),
        (["Argentina"], 0.0, INCORRECT),  # below 0 counts as 0
    ],
)
def test_multiple_response_sums_the_shares(chosen, score, feedback):
    verdict = grade(RESPONSE, chosen)
    assert (verdict.score, verdict.feedback) == (pytest.approx(score), feedback)


def test_multiple_response_shows_the_feedback_of_each_option_chosen():
    question = replace(RESPONSE, details={**RESPONSE.details, "feedback": {"Argentina": "It stayed out."}})
    assert grade(question, ["Argentina", "Costa Rica"]).comment == "It stayed out."


# -- numerical: the best-paying answer whose range holds the number --------------------------


@pytest.mark.parametrize(
    ("response", "score", "comment"),
    [
        ("1883", 1.0, ""),
        ("1883.", 1.0, ""),  # a full stop after it
        ("1882", 0.5, "Close."),
        ("1885", 0.5, "Close."),
        ("1886", 0.0, ""),
        ("<b>1883</b>", 1.0, ""),  # markup pasted in
    ],
)
def test_numerical_grades_by_tolerance(response, score, comment):
    verdict = grade(NUMBER, response)
    assert (verdict.score, verdict.comment) == (score, comment)


def test_an_unreadable_number_asks_again():
    assert grade(NUMBER, "around then") == Verdict(False, UNREADABLE_NUMBER, retry=True)
    assert grade(NUMBER, "") == Verdict(False, NO_ANSWER)
    assert kind_of(QuestionType.NUMERICAL).answer_lines(NUMBER) == ["1883"]


@pytest.mark.parametrize(
    ("text", "number"),
    [("2.5", 2.5), ("2,5", 2.5), (" -3 ", -3.0), ("two", 2.0), ("Dos", 2.0), ("twenty", 20.0), ("1e3", 1000.0)],
)
def test_numbers_are_read_as_students_write_them(text, number):
    assert parse_number_response(text) == number


@given(st.integers(-100_000, 100_000))
def test_every_whole_number_reads_back(number):
    assert parse_number_response(str(number)) == number
    assert parse_number_response(f"{number}.") == number


# -- typed answers: dates and small numbers, as students write them (issue 14, part 5) ---------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("in 1883", PartialDate(1883)),
        ("1883.", PartialDate(1883)),
        ("In October 1883.", PartialDate(1883, 10)),
        ("on 20 October 1883", PartialDate(1883, 10, 20)),
        ("on 20 October 1883.", PartialDate(1883, 10, 20)),
        ("<p>20 October 1883</p>", PartialDate(1883, 10, 20)),
        ("el 20 de octubre de 1883", PartialDate(1883, 10, 20)),
    ],
)
def test_dates_read_after_in_or_on_before_a_full_stop_and_without_markup(text, date):
    assert parse_date_response(text) == date


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2100, 12, 31)))
def test_any_day_reads_the_same_with_on_and_a_full_stop(day):
    written = f"{day.day} {day:%B} {day.year}"
    assert (
        parse_date_response(f"on {written}.")
        == parse_date_response(written)
        == PartialDate(day.year, day.month, day.day)
    )


def test_an_unreadable_date_asks_again_and_a_wrong_one_does_not():
    question = draft(QuestionType.DATE, answer="20 October 1883")
    assert grade(question, "after the war") == Verdict(False, UNREADABLE_DATE, retry=True)
    assert grade(question, "in 1883.").retry is False
    assert grade(question, "on 20 October 1883.") == Verdict(True, CORRECT, "20 October 1883")


@pytest.mark.parametrize(("response", "correct"), [("two", True), ("Two.", True), ("dos", True), ("three", False)])
def test_number_words_match_a_small_number(response, correct):
    question = draft(QuestionType.SHORT_ANSWER, answer="2")
    assert grade(question, response).correct is correct


def test_markup_in_a_typed_answer_is_ignored():
    question = draft(QuestionType.SHORT_ANSWER, answer="Cáceres")
    assert grade(question, "<b>Cáceres</b>") == Verdict(True, CORRECT, "Cáceres")


# -- the generator proves one defensible answer for each structured question -------------------

FACTS = load_facts(Path(__file__).resolve().parents[2] / "questions")
STRUCTURED = [item for item in generate_bank(FACTS) if item.claim.parts]


def test_the_real_data_makes_every_structured_type_and_each_is_proved():
    assert {item.draft.type for item in STRUCTURED} == {
        QuestionType.TIMELINE,
        QuestionType.MATCHING,
        QuestionType.MULTIPLE_RESPONSE,
        QuestionType.NUMERICAL,
    }
    assert verify_bank(FACTS, STRUCTURED) == []
    for item in STRUCTURED:
        # The keyed response earns the whole point, and the draft is a valid question.
        assert grade(item.draft, kind_of(item.draft.type).right_response(item.draft)).correct, item.draft.id
        assert validate_draft(item.draft) == [], item.draft.id


@pytest.mark.parametrize(
    "question_type", [QuestionType.TIMELINE, QuestionType.MATCHING, QuestionType.MULTIPLE_RESPONSE]
)
def test_a_structured_question_keyed_against_the_facts_is_caught(question_type):
    item = next(item for item in STRUCTURED if item.draft.type is question_type)
    first, *rest = item.claim.parts
    flipped = replace(item.claim, parts=(replace(first, truth=not first.truth), *rest))
    [finding] = verify_bank(FACTS, [replace(item, claim=flipped)])
    assert finding.rule is Rule.STATEMENT_WRONG and finding.question_id == item.draft.id


def test_a_timeline_is_made_only_of_events_the_facts_order_without_doubt():
    for item in STRUCTURED:
        if item.draft.type is QuestionType.TIMELINE:
            events = [FACTS_BY_NAME[name] for name in item.draft.details["items"]]
            for earlier, later in pairwise(events):
                assert certainly_before(earlier.date, later.date), (earlier.key, later.key)


FACTS_BY_NAME = {event.name: event for event in FACTS.events}


@pytest.mark.parametrize(
    ("question_type", "response", "options", "rows", "problem"),
    [
        (QuestionType.SHORT_ANSWER, ["Cáceres"], [], [], None),
        (QuestionType.SHORT_ANSWER, ["  "], [], [], "Type an answer, or choose “I don't know”."),
        (QuestionType.NUMERICAL, [], [], [], "Type an answer, or choose “I don't know”."),
        (QuestionType.MULTIPLE_CHOICE, ["Lima"], ["Lima", "Arequipa"], [], None),
        (QuestionType.TRUE_FALSE, ["Maybe"], ["True", "False"], [], "Choose one of the answers."),
        (QuestionType.MULTIPLE_CHOICE, ["Lima", "Arequipa"], ["Lima", "Arequipa"], [], "Choose one of the answers."),
        (QuestionType.MULTIPLE_RESPONSE, ["Chile", "Bolivia"], ["Chile", "Bolivia", "Peru"], [], None),
        (
            QuestionType.MULTIPLE_RESPONSE,
            [],
            ["Chile", "Bolivia"],
            [],
            "Choose at least one of the answers, or “I don't know”.",
        ),
        (QuestionType.MATCHING, ["Iglesias", ""], ["Iglesias", "Montero"], ["Chile", "Bolivia"], None),
        (
            QuestionType.MATCHING,
            ["", ""],
            ["Iglesias", "Montero"],
            ["Chile", "Bolivia"],
            "Choose a match for at least one item, or “I don't know”.",
        ),
        (QuestionType.MATCHING, ["Iglesias"], ["Iglesias"], ["Chile", "Bolivia"], "Choose a match for each item."),
        (QuestionType.TIMELINE, ["b", "a"], ["a", "b"], ["1", "2"], None),
        (
            QuestionType.TIMELINE,
            ["a", "a"],
            ["a", "b"],
            ["1", "2"],
            "Put each event in its own place: every place needs one event, used once.",
        ),
    ],
)
def test_a_response_the_widget_cannot_have_sent_whole_is_asked_again(
    question_type: QuestionType, response: list[str], options: list[str], rows: list[str], problem: str | None
) -> None:
    assert kind_of(question_type).incomplete(response, options, rows) == problem


def test_a_mixed_up_response_is_made_from_the_right_one_and_is_worth_less() -> None:
    mixed_up_types = {QuestionType.TIMELINE, QuestionType.MATCHING, QuestionType.MULTIPLE_RESPONSE}
    for item in STRUCTURED:
        mixed_up = kind_of(item.draft.type).mixed_up(item.draft)
        if item.draft.type in mixed_up_types:
            assert mixed_up is not None and grade(item.draft, mixed_up).score < 1, item.draft.id
        else:
            assert mixed_up is None, item.draft.id
