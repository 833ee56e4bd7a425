"""Every problem a question type, GIFT or Moodle XML reports keeps its message template, so it can be translated."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizapp.domain.dates import DateError, PartialDate, parse_date_answer
from quizapp.domain.formats import FORMATS
from quizapp.domain.problems import FieldProblem, ImportFormatError, Problem, Words, english
from quizapp.domain.question_rules import validate_draft
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType

LONG = "x" * 501


def broken(question_type: QuestionType, **fields: object) -> QuestionDraft:
    base = QuestionDraft(id="q1", topic=BankTopic.EVENTS, type=question_type, prompt="A question?", answer="")
    return replace(base, **fields)  # type: ignore[arg-type]


def assert_worded(problem: Problem | FieldProblem) -> None:
    assert problem.template, f"{problem.message!r} keeps no template"
    assert english(problem.template, problem.params) == problem.message


BROKEN_DRAFTS = [
    broken(QuestionType.MULTIPLE_CHOICE, answer="Lima", options=("Ica", "ica"), details={"weights": {"Puno": 2}}),
    broken(QuestionType.MULTIPLE_CHOICE, answer="Lima", options=("Ica", LONG), details={"feedback": {"Ica": LONG * 5}}),
    broken(QuestionType.TRUE_FALSE, answer="maybe", options=("Yes", "No"), details={"weights": {"True": 0.5}}),
    broken(QuestionType.MULTIPLE_RESPONSE, options=("Ica", "Lima"), details={"weights": {"Ica": 0.5}}),
    broken(QuestionType.MULTIPLE_RESPONSE, options=("Ica",)),
    broken(QuestionType.SHORT_ANSWER, answer="Lima", options=("Ica",)),
    broken(QuestionType.DATE, answer="31 February 1883", accepted_answers=("soon",)),
    broken(QuestionType.DATE, answer="Brumaire 1883"),
    broken(QuestionType.DATE, answer="1883-13"),
    broken(QuestionType.DATE, answer="999"),
    broken(
        QuestionType.MATCHING, options=("a",), details={"pairs": [["a", "b"], ["A", "b"], "c"], "weights": {"a": 1}}
    ),
    broken(QuestionType.MATCHING, details={"pairs": [["!", LONG]]}),
    broken(QuestionType.TIMELINE, details={"items": ["a", "a"], "labels": ["1881"], "feedback": {"a": "b"}}),
    broken(QuestionType.TIMELINE, details={"items": ["!", "?", LONG]}),
    broken(QuestionType.NUMERICAL, options=("1",), details={"answers": [{"value": "inf", "share": 2}, {"x": 1}]}),
    broken(QuestionType.NUMERICAL, details={"answers": [{"value": 1, "share": 0.5, "feedback": LONG * 5}]}),
    broken(QuestionType.NUMERICAL, details={"answers": [{"value": 1}] * 11, "weights": {"1": 1}}),
    broken(QuestionType.SHORT_ANSWER, id="i" * 200, prompt="p" * 1001, answer="Lima", source=LONG, tags=(LONG,)),
    broken(QuestionType.SHORT_ANSWER, answer="Lima", accepted_answers=("x",) * 51, explanation=LONG * 5),
    broken(QuestionType.MULTIPLE_CHOICE, answer="a", options=tuple("abcdefg")),
]


@pytest.mark.parametrize("draft", BROKEN_DRAFTS, ids=lambda draft: draft.type.value)
def test_every_problem_of_a_broken_draft_keeps_its_template(draft: QuestionDraft) -> None:
    problems = validate_draft(draft)
    assert problems
    for problem in problems:
        assert_worded(problem)


def test_a_date_error_names_its_month_in_our_words() -> None:
    with pytest.raises(DateError) as raised:
        PartialDate(1883, 2, 31)
    assert str(raised.value) == "February 1883 has no day 31"
    assert raised.value.template == "%(month)s %(year)d has no day %(day)d"
    assert raised.value.params == {"month": "February", "year": 1883, "day": 31}
    assert isinstance(raised.value.params["month"], Words)
    with pytest.raises(DateError, match=r"^'Brumaire' is not the name of a month$"):
        parse_date_answer("10 Brumaire 1883")


@pytest.mark.parametrize(
    ("format_name", "text"),
    [
        ("gift", "// quizapp: []\n::t {x}\n\n::open\n\n{#abc}\n\nQ {=a -> }\n\nQ {~a ~b}\n\n::essay:: Q {}\n"),
        (
            "moodlexml",
            '<quiz><x/><question type="category"><category><text>$course$/top/!!</text></category></question>'
            '<question type="truefalse"><answer fraction="1x"><text>true</text></answer></question>'
            '<question type="essay"/><question type="multichoice"><answer fraction="0"><text></text></answer>'
            '</question><question type="numerical"><answer><text>a</text></answer></question></quiz>',
        ),
        ("moodlexml", "<quiz><question"),
        ("moodlexml", "<other/>"),
    ],
)
def test_every_problem_of_a_broken_file_keeps_its_template(format_name: str, text: str) -> None:
    with pytest.raises(ImportFormatError) as raised:
        FORMATS[format_name].parse(text)
    for problem in raised.value.problems:
        assert_worded(problem)
