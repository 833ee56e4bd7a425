"""Moodle GIFT and Moodle XML files of our own writing, read as Moodle reads them; hostile XML refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.domain.formats import FORMATS, ImportFormatError, ImportOptions, Problem
from quizapp.domain.formats.moodle_text import category_topic
from quizapp.domain.questions import QuestionDraft, QuestionType

FIXTURES = Path(__file__).parent / "fixtures"
SKIP = ImportOptions(default_topic="leaders", skip_unsupported=True)


def by_id(drafts: list[QuestionDraft]) -> dict[str, QuestionDraft]:
    return {draft.id: draft for draft in drafts}


def test_gift_fixture_reads_every_construct() -> None:
    parsed = FORMATS["gift"].read((FIXTURES / "resistance.gift.txt").read_text(), "resistance.gift.txt", SKIP)
    drafts = by_id(parsed.drafts)
    assert [str(problem) for problem in parsed.skipped] == [
        "line 46: the essay question 'essay'",
        "line 48: the description 'Some instructions, not a question.' (text without answers)",
    ]
    leader = drafts["leader"]
    assert (leader.topic, leader.type, leader.answer, leader.tags) == (
        "leaders",
        QuestionType.MULTIPLE_CHOICE,
        "Andrés A. Cáceres",
        ("breña", "campaign"),
    )
    assert leader.details == {
        "weights": {"Lizardo Montero": 0.5, "Miguel Iglesias": -0.25},
        "feedback": {
            "Andrés A. Cáceres": "Yes: he led the resistance in the highlands.",
            "Lizardo Montero": "He led a government, not this campaign.",
        },
    }
    assert leader.explanation == "Cáceres fought on from the central highlands."
    recognized = parsed.drafts[1]
    assert (recognized.topic, recognized.topic_name, recognized.type) == (
        "lideres",
        "Líderes",
        QuestionType.MULTIPLE_RESPONSE,
    )
    assert recognized.details["weights"] == {"Chile": 0.5, "United States": 0.5, "Bolivia": -1.0}
    assert drafts["lima"].details == {"feedback": {"False": "It fell in January 1881.", "True": "Right."}}
    assert (drafts["fell"].answer, drafts["fell"].details) == ("False", {})
    ancon = drafts["ancon"]
    assert ancon.prompt == "The Treaty of _____ was signed in 1883."
    assert ancon.details == {"weights": {"Ancon": 0.5}, "feedback": {"Ancon": "Mind the accent"}}
    assert drafts["year"].details == {
        "answers": [
            {"value": 1883.0, "tolerance": 0.0, "share": 1.0, "feedback": "Exact."},
            {"value": 1883.0, "tolerance": 2.0, "share": 0.5, "feedback": "Close."},
        ]
    }
    assert drafts["about"].answer == "1882 ± 1"
    assert drafts["who-led-what"].details == {
        "pairs": [["Iglesias", "the Cajamarca government"], ["Montero", "the Arequipa government"]],
        "distractors": ["the Callao garrison"],
    }
    assert drafts["html"].prompt == "<p>Who signed for <b>Peru</b>?</p>"
    assert drafts["html"].details == {"format": "html", "feedback": {"José Antonio de Lavalle": "<i>Yes</i>"}}
    assert drafts["md"].prompt == "<p>Which city was <strong>occupied</strong>?</p>"
    assert drafts["escapes"].prompt == "A {brace}, a ~tilde, a =sign, a #hash and a colon: what is 2\\+2?"
    assert drafts["escapes"].accepted_answers == ("four",)
    assert drafts["plain"].prompt == '<b>not bold</b> in Moodle: how many letters in "Lima"?'


def test_gift_without_options_refuses_what_it_cannot_place_or_grade() -> None:
    with pytest.raises(ImportFormatError) as caught:
        FORMATS["gift"].parse((FIXTURES / "resistance.gift.txt").read_text())
    assert [problem.line for problem in caught.value.problems] == [3, 46, 48]
    assert caught.value.problems[0].message.startswith("this question and those after it are in no category")
    assert caught.value.problems[1].message.startswith("the essay question 'essay' cannot be graded automatically")


def test_moodle_xml_fixture_reads_every_supported_type() -> None:
    parsed = FORMATS["moodlexml"].read((FIXTURES / "resistance.moodle.xml").read_text(), "x.xml", SKIP)
    drafts = by_id(parsed.drafts)
    assert [str(problem) for problem in parsed.skipped] == ["question 6 (quiz/question[7]): an essay 'occupation'"]
    recognized = drafts["recognized"]
    assert (recognized.topic, recognized.topic_name, recognized.type, recognized.tags) == (
        "lideres",
        "Líderes",
        QuestionType.MULTIPLE_RESPONSE,
        ("recognitions",),
    )
    assert recognized.prompt == "<p>Which countries recognized <b>García Calderón</b>?</p>"
    assert recognized.options == ("Chile", "United States", "Bolivia")
    assert recognized.details == {
        "format": "html",
        "weights": {"Chile": 0.5, "United States": 0.5, "Bolivia": -1.0},
        "feedback": {"Chile": "Yes."},
    }
    assert recognized.explanation == "<p>Chile and the United States did.</p>"
    assert (drafts["lima"].answer, drafts["lima"].details) == ("True", {"feedback": {"True": "Right."}})
    assert drafts["ancon"].details == {"weights": {"Ancon": 0.5}, "feedback": {"Ancon": "Mind the accent."}}
    assert drafts["year"].prompt == "<p>In which <strong>year</strong> was it signed?</p>"
    assert drafts["year"].details["answers"] == [
        {"value": 1883.0, "tolerance": 0.0, "share": 1.0},
        {"value": 1883.0, "tolerance": 2.0, "share": 0.5},
    ]
    assert drafts["who-led-what"].details["distractors"] == ["the Callao garrison"]


def test_every_problem_names_its_question_and_element() -> None:
    text = """<quiz>
      <question type="truefalse"><name><text>a</text></name><questiontext><text>Lima fell.</text></questiontext>
        <answer fraction="lots"><text>true</text></answer></question>
      <question type="cloze"><name><text>b</text></name></question>
    </quiz>"""
    with pytest.raises(ImportFormatError) as caught:
        FORMATS["moodlexml"].parse(text, "x.xml", ImportOptions(default_topic="events"))
    assert [str(problem) for problem in caught.value.problems] == [
        "question 1 (quiz/question[1]/answer[1]): fraction 'lots' is not a number",
        "question 2 (quiz/question[2]): the question type 'cloze' 'b' cannot be graded automatically, so it "
        "cannot be imported: remove it, or import with the option to skip such questions (--skip-unsupported)",
    ]


HOSTILE = {
    "billion laughs": '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "a"><!ENTITY b "&a;&a;&a;&a;">]><quiz>&b;</quiz>',
    "external entity": '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
    "external DTD": '<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://example.invalid/q.dtd"><quiz/>',
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_xml_is_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        FORMATS["moodlexml"].parse(text)
    assert caught.value.problems == [
        Problem(
            None,
            "the XML declares a document type or entities, which a Moodle XML file never needs: "
            "refused for safety (remove the <!DOCTYPE ...> part)",
        )
    ]


def test_huge_and_malformed_xml_are_refused() -> None:
    with pytest.raises(ImportFormatError, match="larger than 2 MB"):
        FORMATS["moodlexml"].parse("<quiz>" + " " * 3_000_000 + "</quiz>")
    with pytest.raises(ImportFormatError) as caught:
        FORMATS["moodlexml"].parse("<quiz>\n<question></quiz>")
    assert caught.value.problems == [Problem(2, "the XML cannot be read: mismatched tag (column 13)")]


@pytest.mark.parametrize(
    ("category", "topic"),
    [
        ("$course$/top/Guerra del Pacífico/Líderes", ("lideres", "Líderes")),
        ("quizapp/leaders", ("leaders", "")),
        ("$course$/top", None),
        ("$system$/top/Key dates/", ("key-dates", "Key dates")),
    ],
)
def test_a_category_names_its_topic_by_its_last_part(category: str, topic: tuple[str, str] | None) -> None:
    assert category_topic(category) == topic


@pytest.mark.parametrize("name", ["gift", "moodlexml"])
def test_fixtures_export_and_read_back_equal(name: str) -> None:
    drafts = FORMATS["gift"].read((FIXTURES / "resistance.gift.txt").read_text(), "x", SKIP).drafts
    assert FORMATS[name].parse(FORMATS[name].emit(drafts)) == drafts


def test_moodle_xml_problems_name_the_question_and_its_element() -> None:
    brena = QuestionDraft("same", "leaders", QuestionType.SHORT_ANSWER, "Who led the Breña campaign?", "Cáceres")
    drafts = [brena, brena, replace(brena, id="big", prompt="W" * 1001, accepted_answers=("a" * 501,))]
    with pytest.raises(ImportFormatError) as caught:
        FORMATS["moodlexml"].parse(FORMATS["moodlexml"].emit(drafts))
    assert [str(problem) for problem in caught.value.problems] == [
        "question 3 (quiz/question[4]): an accepted answer is longer than 500 characters (501)",
        "question 3 (quiz/question[4]): prompt is longer than 1000 characters (1001)",
        "question 2 (quiz/question[3]): duplicate id 'same' (first used by question 1 (quiz/question[2]))",
        "question 2 (quiz/question[3]): duplicate prompt (first asked by question 1 (quiz/question[2]))",
    ]
