"""What all question-bank formats share: registry, upload decoding, validation, round trips."""

from __future__ import annotations

import html
import json
import unicodedata
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from quizapp.domain import question_rules
from quizapp.domain.dates import PartialDate
from quizapp.domain.formats import (
    FORMATS,
    ImportFormatError,
    Problem,
    decode_upload,
    normalize_draft,
    parse_date_answer,
    validate_draft,
)
from quizapp.domain.grading import MAX_RESPONSE_LENGTH, normalize
from quizapp.domain.problems import FieldProblem
from quizapp.domain.question_rules import MAX_PROBLEMS, size_problems
from quizapp.domain.questions import (
    ANSWER_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    MAX_ACCEPTED_ANSWERS,
    MAX_OPTIONS,
    PROMPT_MAX_LENGTH,
    TRUE_FALSE_OPTIONS,
    BankTopic,
    QuestionDraft,
    QuestionType,
)
from tests.strategies import ACCENTED, MARKUP_ALPHABET, PLAIN, TRICKY, examples

FORMAT_NAMES = sorted(FORMATS)
# The formats whose problems name a line; Moodle XML's name the question and its element instead.
LINE_FORMATS = [name for name in FORMAT_NAMES if name != "moodlexml"]

# --- strategies: valid drafts full of characters the formats treat specially -----

_single_line_pieces = st.one_of(
    st.sampled_from(TRICKY + ACCENTED + PLAIN),
    # Unassigned code points (Cn) hold U+FFFE and U+FFFF, which XML cannot carry.
    st.characters(blacklist_categories=("Cc", "Cs", "Cn")),
)
_multi_line_pieces = st.one_of(_single_line_pieces, st.sampled_from(["\n", "\t", "\n\n"]))


def single_line(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    return (
        st.lists(_single_line_pieces, min_size=min_size, max_size=max_size)
        .map("".join)
        .map(str.strip)
        .filter(lambda text: len(text) >= min_size)
    )


def multi_line(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    return (
        st.lists(_multi_line_pieces, min_size=min_size, max_size=max_size)
        .map("".join)
        .map(str.strip)
        .filter(lambda text: len(text) >= min_size)
    )


answer_text = single_line(1).filter(lambda text: normalize(text) != "")

partial_dates = st.one_of(
    st.builds(PartialDate, st.integers(1000, 2100)),
    st.builds(PartialDate, st.integers(1000, 2100), st.integers(1, 12)),
    st.builds(PartialDate, st.integers(1000, 2100), st.integers(1, 12), st.integers(1, 28)),
)


shares = st.sampled_from([0.5, 0.25, 0.1, -0.5, -1.0])
comment = single_line(1, 15).filter(lambda text: normalize(text) != "")


def distinct_texts(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(answer_text, min_size=min_size, max_size=max_size, unique_by=normalize)


@st.composite
def type_parts(draw: st.DrawFn, question_type: QuestionType) -> dict[str, Any]:
    """The answer part of a valid draft of the type: answer, accepted answers, options and details."""
    parts: dict[str, Any] = {"answer": "", "accepted_answers": (), "options": (), "details": {}}
    details = parts["details"]
    if question_type in (QuestionType.MULTIPLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        options = draw(distinct_texts(2, 6))
        parts["options"] = tuple(options)
        if question_type == QuestionType.MULTIPLE_CHOICE:
            parts["answer"] = draw(st.sampled_from(options))
            parts["accepted_answers"] = tuple(draw(st.lists(answer_text, max_size=2)))
            partial = {option: draw(shares) for option in options if option != parts["answer"] and draw(st.booleans())}
        else:
            right = options[: draw(st.integers(1, len(options)))]
            partial = {option: round(1 / len(right), 4) for option in right}
            partial |= {option: -1.0 for option in options if option not in right and draw(st.booleans())}
        if partial:
            details["weights"] = partial
        if comments := {option: draw(comment) for option in options if draw(st.booleans())}:
            details["feedback"] = comments
    elif question_type == QuestionType.TRUE_FALSE:
        parts["answer"] = draw(st.sampled_from(TRUE_FALSE_OPTIONS))
        parts["options"] = TRUE_FALSE_OPTIONS
        if comments := {word: draw(comment) for word in TRUE_FALSE_OPTIONS if draw(st.booleans())}:
            details["feedback"] = comments
    elif question_type == QuestionType.DATE:
        parts["answer"] = draw(partial_dates).display()
        parts["accepted_answers"] = tuple(draw(st.lists(answer_text, max_size=2)))
    elif question_type == QuestionType.SHORT_ANSWER:
        answers = draw(distinct_texts(1, 5))
        full = answers[: draw(st.integers(1, len(answers)))]
        parts["answer"], parts["accepted_answers"] = full[0], tuple(full[1:])
        if partial := {text: draw(st.sampled_from([0.5, 0.25, 0.0])) for text in answers[len(full) :]}:
            details["weights"] = partial
        if comments := {text: draw(comment) for text in answers if draw(st.booleans())}:
            details["feedback"] = comments
    elif question_type == QuestionType.MATCHING:
        texts = draw(distinct_texts(3, 8).filter(lambda found: not any("->" in text for text in found)))
        items = texts[: len(texts) // 2 + 1]
        matches = texts[len(items) :] or texts[:1]
        details["pairs"] = [[item, matches[index % len(matches)]] for index, item in enumerate(items)]
    elif question_type == QuestionType.TIMELINE:
        # GIFT writes an event -> its place, and has no escape for "->".
        details["items"] = draw(distinct_texts(3, 6).filter(lambda found: not any("->" in text for text in found)))
        if draw(st.booleans()):
            details["labels"] = [str(1880 + index) for index in range(len(details["items"]))]
    elif question_type == QuestionType.NUMERICAL:
        answers = [
            {
                "value": float(draw(st.integers(1000, 2100))),
                "tolerance": draw(st.sampled_from([0.0, 1.0, 2.5])),
                "share": 1.0,
            }
        ]
        if draw(st.booleans()):
            answers.append(
                {"value": draw(st.floats(-1e6, 1e6)), "tolerance": 5.0, "share": 0.5, "feedback": draw(comment)}
            )
        details["answers"] = answers
    return parts


@st.composite
def drafts(draw: st.DrawFn, question_type: QuestionType | None = None) -> QuestionDraft:
    """A normalized, valid draft of any type, sometimes an HTML question, with weights and feedback."""
    question_type = question_type or draw(st.sampled_from(QuestionType))
    parts = draw(type_parts(question_type))
    prompt, explanation = draw(multi_line(3)), draw(multi_line())
    if draw(st.booleans()):  # an HTML question, such as Moodle's [html] text
        parts["details"]["format"] = "html"
        prompt = f"<p>{html.escape(prompt)}</p><p><strong>{html.escape(draw(single_line(1, 10)))}</strong></p>"
        explanation = f"<em>{html.escape(explanation)}</em>" if explanation else ""
    draft = normalize_draft(
        QuestionDraft(
            id=draw(single_line(1, 20)),
            topic=draw(st.sampled_from(BankTopic)),
            type=question_type,
            prompt=prompt,
            explanation=explanation,
            source=draw(single_line()),
            tags=tuple(draw(st.lists(single_line(1, 10), max_size=3))),
            **parts,
        )
    )
    assume(not validate_draft(draft))
    return draft


def _prompt_key(draft: QuestionDraft) -> str:
    return " ".join(draft.prompt.casefold().split())


draft_lists = st.lists(drafts(), max_size=5, unique_by=(lambda draft: draft.id, _prompt_key))


def mc(**changes: object) -> QuestionDraft:
    base = QuestionDraft(
        id="q1",
        topic=BankTopic.LEADERS,
        type=QuestionType.MULTIPLE_CHOICE,
        prompt="Who led the Breña campaign?",
        answer="Andrés A. Cáceres",
        options=("Andrés A. Cáceres", "Miguel Iglesias", "Lizardo Montero"),
    )
    return QuestionDraft(**{**base.__dict__, **changes})


# --- registry and errors ----------------------------------------------------


def test_registry_has_the_four_text_formats() -> None:
    assert FORMAT_NAMES == ["csv", "gift", "json", "moodlexml"]
    for name, fmt in FORMATS.items():
        assert fmt.name == name
        assert fmt.file_extension.startswith(".")
        assert fmt.parse(fmt.emit([])) == []


def test_problem_and_error_text() -> None:
    assert str(Problem(12, "options must be distinct")) == "line 12: options must be distinct"
    assert str(Problem(None, "the file is empty")) == "the file is empty"
    error = ImportFormatError([Problem(7, "b"), Problem(None, "a"), Problem(3, "c")], "bank.csv")
    assert isinstance(error, ValueError)
    assert error.source_name == "bank.csv"
    assert error.problems == [Problem(None, "a"), Problem(3, "c"), Problem(7, "b")]
    assert str(error) == "a\nline 3: c\nline 7: b"


# --- decode_upload ----------------------------------------------------------


def test_decode_upload_accepts_utf8_with_or_without_bom() -> None:
    text = "id,prompt\nq1,¿Quién?\n"
    assert decode_upload(text.encode()) == text
    assert decode_upload(b"\xef\xbb\xbf" + text.encode()) == text


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"ok\nCaceres: \xe9\n", 2, "not UTF-8"),
        (b"PK\x03\x04\x00\x00binary", 1, "NUL bytes"),
        (b"line one\nline\x00two", 2, "NUL bytes"),
        ("id,prompt\n".encode("utf-16"), None, "UTF-16"),
        (b"\xed\xa0\x80", 1, "not UTF-8"),  # an encoded surrogate is not valid UTF-8
    ],
)
def test_decode_upload_rejects_what_is_not_utf8_text(data: bytes, line: int | None, words: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        decode_upload(data, "bank.csv")
    [problem] = caught.value.problems
    assert problem.line == line
    assert words in problem.message
    assert caught.value.source_name == "bank.csv"


@given(st.binary())
def test_decode_upload_only_raises_import_format_error(data: bytes) -> None:
    try:
        text = decode_upload(data)
    except ImportFormatError:
        return
    assert "\x00" not in text


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 October 1883", PartialDate(1883, 10, 20)),
        ("October 1883", PartialDate(1883, 10)),
        ("1883", PartialDate(1883)),
        ("1883-10-20", PartialDate(1883, 10, 20)),
        ("1883-10", PartialDate(1883, 10)),
        ("October 20, 1883", PartialDate(1883, 10, 20)),
        ("  20  oct.  1883 ", PartialDate(1883, 10, 20)),
        ("SEPT 1881", PartialDate(1881, 9)),
    ],
)
def test_parse_date_answer(text: str, expected: PartialDate) -> None:
    assert parse_date_answer(text) == expected


@pytest.mark.parametrize("text", ["", "83", "31 February 1883", "Octember 1883", "2200", "0999", "1883/10/20", "١٨٨٣"])
def test_parse_date_answer_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date_answer(text)


# --- normalization and validation -------------------------------------------


def test_a_valid_draft_has_no_problems() -> None:
    assert validate_draft(mc()) == []


def test_normalize_draft() -> None:
    draft = QuestionDraft(
        id=" q9 ",
        topic=BankTopic.DATES,
        type=QuestionType.DATE,
        prompt="  When was the Treaty of Ancón signed?\r\n(day) ",
        answer="1883-10-20",
        accepted_answers=("20 October 1883", " 20/10/1883 ", "", "20/10/1883"),
        explanation=" It ended the war.\r",
        tags=(" treaty ", ""),
    )
    assert normalize_draft(draft) == QuestionDraft(
        id="q9",
        topic=BankTopic.DATES,
        type=QuestionType.DATE,
        prompt="When was the Treaty of Ancón signed?\n(day)",
        answer="20 October 1883",
        accepted_answers=("20/10/1883",),
        explanation="It ended the war.",
        tags=("treaty",),
    )


def test_normalize_true_false_and_choice_spelling() -> None:
    true_false = QuestionDraft("t", BankTopic.EVENTS, QuestionType.TRUE_FALSE, "Lima fell in 1881.", " true ")
    assert normalize_draft(true_false).answer == "True"
    assert normalize_draft(true_false).options == TRUE_FALSE_OPTIONS
    reordered = QuestionDraft(
        "t", BankTopic.EVENTS, QuestionType.TRUE_FALSE, "Lima fell.", "FALSE", options=("false", "TRUE")
    )
    assert normalize_draft(reordered).options == TRUE_FALSE_OPTIONS
    assert normalize_draft(mc(answer="andres a caceres")).answer == "Andrés A. Cáceres"


DISTINCT = "options must be distinct (ignoring case, accents and punctuation)"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prompt": " ab "}, "prompt is required and must have at least 3 characters"),
        ({"prompt": "x" * 1001}, "prompt is longer than 1000 characters (1001)"),
        ({"explanation": "x" * 2001}, "explanation is longer than 2000 characters (2001)"),
        (
            {"topic": "Battles!"},
            "topic 'Battles!' is not a topic slug: lowercase letters, digits and single hyphens, at most 40 characters",
        ),
        (
            {"type": "essay"},
            "type 'essay' is not one of: multiple_choice, true_false, short_answer, date, "
            "multiple_response, matching, timeline, numerical",
        ),
        ({"id": " "}, "id is required"),
        ({"answer": ""}, "answer is required"),
        ({"answer": "?!", "options": ("?!", "Lima")}, "answer must contain a letter or a digit"),
        ({"options": ("Andrés A. Cáceres",)}, "give 2 to 6 options, found 1"),
        ({"options": ("Andrés A. Cáceres", *"abcdef")}, "options: at most 6 are allowed, found 7"),
        ({"options": ("Andrés A. Cáceres", "Lima", "LIMA ")}, DISTINCT),
        ({"options": ("Andrés A. Cáceres", "Perú", "peru")}, DISTINCT),
        ({"options": ("Andrés A. Cáceres", "...")}, "every option must contain a letter or a digit"),
        ({"answer": "Nicolás de Piérola"}, "the answer 'Nicolás de Piérola' must be one of the options"),
        ({"id": "a\nb"}, "id must be on a single line"),
        ({"source": "x\ty\x07"}, "source contains control characters"),
        ({"prompt": "Who \ud800?"}, "prompt contains control characters"),
        ({"id": "x" * 201}, "id is longer than 200 characters (201)"),
    ],
)
def test_validation_rules(changes: dict[str, object], message: str) -> None:
    assert message in messages(validate_draft(mc(**changes)))


def messages(problems: list[FieldProblem]) -> list[str]:
    return [problem.message for problem in problems]


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (
            QuestionDraft("t", BankTopic.EVENTS, QuestionType.TRUE_FALSE, "Lima fell in 1881.", "yes"),
            "a true/false answer must be True or False, not 'yes'",
        ),
        (
            QuestionDraft("t", BankTopic.EVENTS, QuestionType.TRUE_FALSE, "Lima fell.", "True", options=("Yes", "No")),
            "a true/false question's options must be empty or True, False",
        ),
        (
            QuestionDraft(
                "s",
                BankTopic.PEOPLE,
                QuestionType.SHORT_ANSWER,
                "Who led Breña?",
                "Cáceres",
                options=("a", "b"),
            ),
            "options are not for short answer questions",
        ),
        (
            QuestionDraft("d", BankTopic.DATES, QuestionType.DATE, "When was Ancón signed?", "the twentieth"),
            "date answer: 'the twentieth' is not a date; "
            "write it like 20 October 1883, October 1883, 1883 or 1883-10-20",
        ),
        (
            QuestionDraft("d", BankTopic.DATES, QuestionType.DATE, "When was Ancón signed?", "30 February 1883"),
            "date answer: February 1883 has no day 30",
        ),
    ],
)
def test_type_rules(draft: QuestionDraft, message: str) -> None:
    assert messages(validate_draft(draft)) == [message]


# --- size limits ------------------------------------------------------------


def short(**changes: object) -> QuestionDraft:
    base = QuestionDraft("s1", BankTopic.PEOPLE, QuestionType.SHORT_ANSWER, "Who led the Breña campaign?", "Cáceres")
    return replace(base, **changes)


def test_a_question_at_every_limit_is_valid() -> None:
    options = tuple(letter * ANSWER_MAX_LENGTH for letter in "ABCDEFGHIJ"[:MAX_OPTIONS])
    accepted = tuple(f"{number:02d}".ljust(ANSWER_MAX_LENGTH, "x") for number in range(MAX_ACCEPTED_ANSWERS))
    draft = mc(
        prompt="W" * PROMPT_MAX_LENGTH,
        explanation="e" * EXPLANATION_MAX_LENGTH,
        options=options,
        answer=options[0],
        accepted_answers=accepted,
    )
    assert validate_draft(draft) == []
    assert validate_draft(short(answer="a" * ANSWER_MAX_LENGTH, accepted_answers=accepted)) == []


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (short(prompt="W" * 1001), "prompt is longer than 1000 characters (1001)"),
        (short(explanation="e" * 2001), "explanation is longer than 2000 characters (2001)"),
        (short(answer="a" * 501), "answer is longer than 500 characters (501)"),
        (
            short(accepted_answers=tuple(f"spelling {number}" for number in range(51))),
            "accepted answers: at most 50 are allowed, found 51",
        ),
        (short(accepted_answers=("a" * 501,)), "an accepted answer is longer than 500 characters (501)"),
        (mc(options=(*mc().options, *"abcd")), "options: at most 6 are allowed, found 7"),
        (mc(options=(*mc().options, "o" * 501)), "an option is longer than 500 characters (501)"),
    ],
)
def test_a_question_over_a_limit_has_exactly_that_problem(draft: QuestionDraft, message: str) -> None:
    assert messages(validate_draft(draft)) == [message]


def test_size_problems_checks_one_stored_field() -> None:
    assert size_problems("prompt", "W" * 1000) == []
    assert list(map(str, size_problems("prompt", "W" * 1001))) == ["prompt is longer than 1000 characters (1001)"]
    assert list(map(str, size_problems("options", ["a"] * 7))) == ["options: at most 6 are allowed, found 7"]
    assert list(map(str, size_problems("accepted_answers", ["a" * 501]))) == [
        "an accepted answer is longer than 500 characters (501)"
    ]
    assert size_problems("tags", ["t"] * 1000) == []


def test_every_answer_within_the_limit_can_be_typed_in_full() -> None:
    assert ANSWER_MAX_LENGTH <= MAX_RESPONSE_LENGTH


@given(st.characters())
@example("\x00")
@example("\x1f")
@example("\x7f")
@example("\x80")
@example("\x9f")
@example("\xa0")
@example("\ud800")
@example("\udfff")
@example("\t")
@example("\n")
def test_control_characters_are_unicode_categories_cc_and_cs_but_line_feed_and_tab(char: str) -> None:
    problems = validate_draft(mc(explanation=f"a{char}b"))
    is_control = unicodedata.category(char) in ("Cc", "Cs") and char not in "\n\t\r"  # \r: a line break
    assert ("explanation contains control characters" in messages(problems)) == is_control


@given(drafts())
def test_normalization_is_idempotent(draft: QuestionDraft) -> None:
    assert normalize_draft(draft) == draft


# --- every format -----------------------------------------------------------

DUPLICATES = [
    mc(id="same", prompt="Who led the Breña campaign?"),
    mc(id="same", prompt="who led  the BREÑA campaign?"),
]


@pytest.mark.parametrize("name", LINE_FORMATS)
def test_duplicate_ids_and_prompts_are_reported(name: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        FORMATS[name].parse(FORMATS[name].emit(DUPLICATES))
    messages = [problem.message for problem in caught.value.problems]
    assert len(messages) == 2
    assert "duplicate id 'same' (first used on line" in messages[0]
    assert "duplicate prompt (first asked on line" in messages[1]


@pytest.mark.parametrize("name", LINE_FORMATS)
def test_every_problem_in_a_file_is_collected(name: str) -> None:
    bad = [
        mc(id="a", prompt="Who led the Breña campaign?", options=("Andrés A. Cáceres", "Lima", "lima")),
        mc(id="b", prompt="ok"),
        mc(id="c", prompt="A fine question?"),
        QuestionDraft("d", BankTopic.DATES, QuestionType.DATE, "When was Ancón signed?", "soon"),
    ]
    with pytest.raises(ImportFormatError) as caught:
        FORMATS[name].parse(FORMATS[name].emit(bad))
    messages = str(caught.value)
    assert "options must be distinct" in messages
    assert "prompt is required and must have at least 3 characters" in messages
    assert "date answer: 'soon' is not a date" in messages
    assert len(caught.value.problems) == 3
    assert all(problem.line is not None for problem in caught.value.problems)


OVERSIZED = [
    short(id="s1", prompt="W" * 1001),
    short(id="s2", prompt="Who else?", accepted_answers=tuple(f"spelling {number}" for number in range(51))),
    mc(id="m1", prompt="Which one?", options=(*mc().options, *"abcd")),
    short(id="s3", prompt="Who last?", answer="a" * 501),
]


@pytest.mark.parametrize("name", LINE_FORMATS)
def test_questions_over_the_size_limits_are_problems_with_their_line(name: str) -> None:
    text = FORMATS[name].emit(OVERSIZED)
    with pytest.raises(ImportFormatError) as caught:
        FORMATS[name].parse(text)
    problems = caught.value.problems
    messages = [problem.message.removeprefix(f"entry {n}: ") for n, problem in enumerate(problems, start=1)]
    assert messages == [
        "prompt is longer than 1000 characters (1001)",
        "accepted answers: at most 50 are allowed, found 51",
        "options: at most 6 are allowed, found 7",
        "answer is longer than 500 characters (501)",
    ]
    lines = [problem.line for problem in problems]
    assert all(line is not None for line in lines) and lines == sorted(set(lines))


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_reading_stops_after_the_most_problems_a_file_may_show(name: str) -> None:
    bad = [
        mc(id=f"q{number}", prompt=f"Question number {number}?", options=("Lima", "lima"), answer="Lima")
        for number in range(MAX_PROBLEMS + 20)
    ]
    with pytest.raises(ImportFormatError) as caught:
        FORMATS[name].parse(FORMATS[name].emit(bad))
    stop = Problem(None, f"there are more than {MAX_PROBLEMS} problems; here are the first {MAX_PROBLEMS}")
    # First when the others name lines; Moodle XML's name none, so it comes after them.
    assert caught.value.problems.index(stop) == (0 if name in LINE_FORMATS else MAX_PROBLEMS)
    rest = [problem for problem in caught.value.problems if problem != stop]
    assert len(rest) == MAX_PROBLEMS
    assert all(problem.message.endswith(DISTINCT) for problem in rest)


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_reading_stops_after_the_most_questions_a_file_may_hold(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(question_rules, "MAX_QUESTIONS_PER_FILE", 5)
    good = [mc(id=f"q{number}", prompt=f"Question number {number}?") for number in range(6)]
    assert FORMATS[name].parse(FORMATS[name].emit(good[:5])) == good[:5]
    with pytest.raises(ImportFormatError) as caught:
        FORMATS[name].parse(FORMATS[name].emit(good))
    assert caught.value.problems == [Problem(None, "the file has more than 5 questions; split it into smaller files")]


@settings(max_examples=examples(120), suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(draft_lists)
def test_export_then_import_gives_the_same_drafts(drafts_: list[QuestionDraft]) -> None:
    for fmt in FORMATS.values():
        assert fmt.parse(fmt.emit(drafts_)) == drafts_, fmt.name


@pytest.mark.parametrize("name", FORMAT_NAMES)
@pytest.mark.parametrize("question_type", list(QuestionType))
@settings(max_examples=examples(25), suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_round_trip_of_each_type(name: str, question_type: QuestionType, data: st.DataObject) -> None:
    draft = data.draw(drafts(question_type))
    fmt = FORMATS[name]
    assert fmt.parse(fmt.emit([draft])) == [draft]


@pytest.mark.parametrize("name", FORMAT_NAMES)
@settings(max_examples=examples(300))
@given(text=st.text())
def test_parsers_raise_only_import_format_error_on_any_text(name: str, text: str) -> None:
    try:
        FORMATS[name].parse(text, "fuzz")
    except ImportFormatError as error:
        assert error.problems
        assert error.source_name == "fuzz"


@pytest.mark.parametrize("name", FORMAT_NAMES)
@settings(max_examples=examples(200))
@given(data=st.binary())
def test_parsers_raise_only_import_format_error_on_any_bytes(name: str, data: bytes) -> None:
    try:
        FORMATS[name].parse(decode_upload(data))
    except ImportFormatError as error:
        assert error.problems


@pytest.mark.parametrize("name", FORMAT_NAMES)
@settings(max_examples=examples(300))
@given(pieces=st.lists(MARKUP_ALPHABET, max_size=60))
def test_parsers_survive_markup_soup(name: str, pieces: list[str]) -> None:
    try:
        FORMATS[name].parse("".join(pieces))
    except ImportFormatError as error:
        assert error.problems


@pytest.mark.parametrize("name", FORMAT_NAMES)
@settings(max_examples=examples(60), deadline=None)
@given(pieces=st.lists(MARKUP_ALPHABET, min_size=1, max_size=12), times=st.integers(1, 5000))
def test_parsers_survive_long_runs_of_markup(name: str, pieces: list[str], times: int) -> None:
    # Long runs of one pattern: the shape of the inputs that once made the GIFT title scan quadratic.
    try:
        FORMATS[name].parse("".join(pieces) * times)
    except ImportFormatError as error:
        assert 0 < len(error.problems) <= MAX_PROBLEMS + 1


@pytest.mark.parametrize("name", FORMAT_NAMES)
@settings(max_examples=examples(80), suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(drafts_=draft_lists, data=st.data())
def test_parsers_survive_damaged_exports(name: str, drafts_: list[QuestionDraft], data: st.DataObject) -> None:
    text = FORMATS[name].emit(drafts_)
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        text = text[:position] + data.draw(MARKUP_ALPHABET) + text[position + cut :]
    try:
        FORMATS[name].parse(text)
    except ImportFormatError as error:
        assert error.problems


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
json_entries = st.fixed_dictionaries(
    {},
    optional={
        key: json_values | st.text(max_size=20) | st.lists(st.text(max_size=10), max_size=3)
        for key in ("id", "topic", "type", "prompt", "answer", "accepted_answers", "options", "explanation", "tags")
    },
)


@settings(max_examples=examples(150))
@given(st.lists(json_entries | json_values, max_size=4) | json_values)
def test_json_parser_survives_any_json_value(value: object) -> None:
    try:
        FORMATS["json"].parse(json.dumps(value))
    except ImportFormatError as error:
        assert error.problems
