"""The JSON question bank format (quizapp's own export)."""

from __future__ import annotations

import json

import pytest

from quizapp.domain.formats import ImportFormatError, Problem
from quizapp.domain.formats.json_format import emit, parse
from quizapp.domain.question_rules import MAX_PROBLEMS
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, BankTopic, QuestionDraft, QuestionType

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
)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ImportFormatError) as caught:
        parse(text)
    return caught.value.problems


def test_emit_then_parse() -> None:
    text = emit([BRENA])
    assert text == (
        "[\n"
        "  {\n"
        '    "id": "q1",\n'
        '    "topic": "leaders",\n'
        '    "type": "multiple_choice",\n'
        '    "prompt": "Who led the Breña campaign?",\n'
        '    "answer": "Andrés A. Cáceres",\n'
        '    "accepted_answers": [],\n'
        '    "options": [\n'
        '      "Andrés A. Cáceres",\n'
        '      "Miguel Iglesias",\n'
        '      "Lizardo Montero"\n'
        "    ],\n"
        '    "explanation": "He led the resistance in the central highlands.",\n'
        '    "source": "caceres",\n'
        '    "tags": [\n'
        '      "breña"\n'
        "    ],\n"
        '    "language": "en"\n'
        "  }\n"
        "]\n"
    )
    assert parse(text) == [BRENA]


def test_optional_fields_may_be_missing_or_null() -> None:
    text = json.dumps(
        [
            {"id": "t1", "topic": "events", "type": "true_false", "prompt": "Lima fell in 1881.", "answer": "True"},
            {
                "id": "d1",
                "topic": "dates",
                "type": "date",
                "prompt": "When was Ancón signed?",
                "answer": "1883-10-20",
                "tags": None,
                "explanation": None,
            },
        ]
    )
    assert parse(text) == [
        QuestionDraft(
            "t1",
            BankTopic.EVENTS,
            QuestionType.TRUE_FALSE,
            "Lima fell in 1881.",
            "True",
            options=TRUE_FALSE_OPTIONS,
        ),
        QuestionDraft("d1", BankTopic.DATES, QuestionType.DATE, "When was Ancón signed?", "20 October 1883"),
    ]


def test_problems_name_the_entry_and_the_line_it_starts_on() -> None:
    text = """[
  {"id": "a", "topic": "events", "type": "short_answer", "prompt": "Who?", "answer": "Lima"},
  {
    "id": "b",
    "topic": "wars",
    "type": "short_answer",
    "prompt": "Where did Cáceres fight?",
    "answer": "Breña",
    "colour": "red"
  },
  "just a string",
  {"id": 7, "topic": "events", "type": "multiple_choice", "prompt": "Which?", "answer": "x", "options": "x|y"},
  {"id": "e", "topic": "events", "type": "date", "prompt": "When?", "answer": "1883", "id": "f"}
]"""
    assert problems_of(text) == [
        Problem(
            3,
            "entry 2: unknown field 'colour' (fields are: id, topic, type, prompt, answer, "
            "accepted_answers, options, explanation, source, tags, details, language, translations)",
        ),
        Problem(11, "entry 3: expected an object {...}, found a string"),
        Problem(12, "entry 4: 'id' must be a string, found a number"),
        Problem(12, "entry 4: 'options' must be a list of strings"),
        Problem(13, "entry 5: the field 'id' is given twice"),
    ]


def test_rule_problems_after_shape_is_right() -> None:
    text = json.dumps(
        [
            {"id": "a", "topic": "???", "type": "short_answer", "prompt": "Who led Breña?", "answer": "Cáceres"},
            {"id": "b", "topic": "events", "type": "date", "prompt": "When did Lima fall?", "answer": "soon"},
            {"id": "a", "topic": "events", "type": "short_answer", "prompt": "who led  BREÑA?", "answer": "Cáceres"},
        ],
        indent=1,
    )
    problems = problems_of(text)
    assert [(problem.line, problem.message.split(":")[0]) for problem in problems] == [
        (2, "entry 1"),
        (9, "entry 2"),
        (16, "entry 3"),
        (16, "entry 3"),
    ]
    assert problems[2].message == "entry 3: duplicate id 'a' (first used on line 2)"
    assert problems[3].message == "entry 3: duplicate prompt (first asked on line 2)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Problem(None, "the file is empty; expected a JSON array of questions [ ... ]")),
        ('\n{"id": "a"}', Problem(2, "expected a JSON array of questions [ ... ] at the top level")),
        ("[]\n\n]", Problem(3, "unexpected text after the closing ] of the array")),
        ('[\n  {"id": "a"}\n  {"id": "b"}\n]', Problem(3, "not valid JSON: expected , or ] after entry 1")),
        ('[\n  {"id": "a",\n   "topic": }\n]', Problem(3, "not valid JSON: Expecting value (column 13)")),
        ('[{"id": "a"},\n', Problem(2, "not valid JSON: Expecting value (column 1)")),
        ("[\n" + "[" * 100_000, Problem(2, "the JSON is nested too deeply")),
    ],
)
def test_malformed_json(text: str, expected: Problem) -> None:
    assert problems_of(text) == [expected]


def test_an_integer_too_long_to_read() -> None:
    [problem] = problems_of("[\n" + "1" * 5000 + "]")
    assert problem.line == 2
    assert problem.message.startswith("not valid JSON:")


def test_empty_array_and_byte_order_mark() -> None:
    assert parse("[]") == []
    assert parse("\ufeff[ ]\n") == []


def test_an_entry_of_thousands_of_unknown_fields_shows_the_first_problems() -> None:
    entry = {"id": "q", "topic": "people", "type": "short_answer", "prompt": "Who?", "answer": "Prado"}
    entry |= {f"field {number}": number for number in range(5000)}
    problems = problems_of(json.dumps([entry]))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[1] == Problem(
        1,
        "entry 1: unknown field 'field 0' (fields are: id, topic, type, prompt, answer, "
        "accepted_answers, options, explanation, source, tags, details, language, translations)",
    )


def test_long_texts_are_shortened_in_messages() -> None:
    name = "x" * 10_000
    entry = {"id": "q", "topic": "people", "type": "short_answer", "prompt": "Who?", "answer": "Prado"}
    entries = [entry | {name: 1}, entry | {"id": "r", "prompt": "Who else?", "topic": name}]
    assert [problem.message for problem in problems_of(json.dumps(entries))] == [
        f"entry 1: unknown field '{'x' * 59}…' (fields are: id, topic, type, prompt, answer, "
        "accepted_answers, options, explanation, source, tags, details, language, translations)",
        "entry 2: a topic's name may have at most 80 characters",
    ]
