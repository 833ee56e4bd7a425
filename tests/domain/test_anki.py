"""Anki export: a valid .apkg with one note per question and stable guids."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import genanki
import pytest

from quizapp.domain.formats.anki import DECK_ID, MODEL_ID, anki_tag, back_html, build_apkg, front_html
from quizapp.domain.languages import Language
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, BankTopic, QuestionDraft, QuestionType

DRAFTS = [
    QuestionDraft(
        id="breña.leader",
        topic=BankTopic.LEADERS,
        type=QuestionType.MULTIPLE_CHOICE,
        prompt="Who led the <Breña> campaign?",
        answer="Andrés A. Cáceres",
        options=("Andrés A. Cáceres", "Miguel Iglesias", "Lizardo Montero"),
        explanation="He fought on\nin the highlands & won at Pucará.",
        tags=("breña campaign",),
    ),
    QuestionDraft(
        "lima.1881",
        BankTopic.EVENTS,
        QuestionType.TRUE_FALSE,
        "Lima was occupied in 1881.",
        "True",
        options=TRUE_FALSE_OPTIONS,
    ),
    QuestionDraft(
        "ancon.date",
        BankTopic.DATES,
        QuestionType.DATE,
        "When was the Treaty of Ancón signed?",
        "20 October 1883",
        accepted_answers=("20/10/1883",),
    ),
]
TIMESTAMP = 1_700_000_000.0


def read_collection(apkg: Path, tmp_path: Path) -> tuple[list[tuple[str, str, int, str]], list[int]]:
    """(guid, fields, model id, tags) of every note, and the deck id of every card."""
    with zipfile.ZipFile(apkg) as archive:
        assert "collection.anki2" in archive.namelist()
        database = tmp_path / "collection.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        notes = connection.execute("SELECT guid, flds, mid, tags FROM notes ORDER BY id").fetchall()
        decks = [row[0] for row in connection.execute("SELECT did FROM cards")]
    finally:
        connection.close()
    return notes, decks


def test_one_note_per_question_with_guid_from_the_id(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    build_apkg(DRAFTS, path, timestamp=TIMESTAMP)
    notes, decks = read_collection(path, tmp_path)
    assert [guid for guid, *_ in notes] == [genanki.guid_for(draft.id) for draft in DRAFTS]
    assert {model for _, _, model, _ in notes} == {MODEL_ID}
    assert decks == [DECK_ID] * len(DRAFTS)
    front, back, question_id = notes[0][1].split("\x1f")
    assert front == (
        "<div>Who led the &lt;Breña&gt; campaign?</div>"
        '<ol type="A"><li>Andrés A. Cáceres</li><li>Miguel Iglesias</li><li>Lizardo Montero</li></ol>'
    )
    assert back == (
        "<div><b>Andrés A. Cáceres</b></div>"
        '<div class="explanation">He fought on<br>in the highlands &amp; won at Pucará.</div>'
    )
    assert question_id == "breña.leader"
    assert notes[0][3].split() == ["leaders", "breña_campaign"]


def test_two_exports_give_the_same_guids(tmp_path: Path) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    build_apkg(DRAFTS, first, deck_name="One")
    build_apkg(list(reversed(DRAFTS)), second, deck_name="Two")
    first_guids = {guid for guid, *_ in read_collection(first, tmp_path)[0]}
    second_guids = {guid for guid, *_ in read_collection(second, tmp_path)[0]}
    assert first_guids == second_guids == {genanki.guid_for(draft.id) for draft in DRAFTS}


def test_writes_to_a_file_object(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    build_apkg(DRAFTS[:1], buffer, timestamp=TIMESTAMP)
    path = tmp_path / "from-buffer.apkg"
    path.write_bytes(buffer.getvalue())
    notes, _ = read_collection(path, tmp_path)
    assert len(notes) == 1


def test_empty_deck(tmp_path: Path) -> None:
    path = tmp_path / "empty.apkg"
    build_apkg([], path)
    assert read_collection(path, tmp_path) == ([], [])


def test_back_lists_other_accepted_answers() -> None:
    assert back_html(DRAFTS[2]) == "<div><b>20 October 1883</b></div><div>Also accepted: 20/10/1883</div>"
    assert front_html(DRAFTS[1]) == "<div>Lima was occupied in 1881.</div>"


@pytest.mark.parametrize(
    ("tag", "anki"),
    [
        ("breña campaign", "breña_campaign"),
        ("two  spaces\tand tab", "two_spaces_and_tab"),
        ("ideographic\u3000space", "ideographic_space"),
        ('the "Brujo"', "the_Brujo"),
        ("bell\x07", "bell"),
        ("war::1881::lima", "war:1881:lima"),
        ("time: 1881", "time:_1881"),
    ],
)
def test_tags_become_single_anki_tags(tag: str, anki: str) -> None:
    assert anki_tag(tag) == anki


def test_notes_carry_escaped_tags(tmp_path: Path) -> None:
    draft = replace(DRAFTS[1], tags=('the "Brujo"', "war::1881", "\x07"))
    path = tmp_path / "deck.apkg"
    build_apkg([draft], path, timestamp=TIMESTAMP)
    [(_, _, _, tags)] = read_collection(path, tmp_path)[0]
    assert tags.split() == ["events", "the_Brujo", "war:1881"]


def test_field_text_shows_literally() -> None:
    draft = replace(
        DRAFTS[1],
        prompt='Is <b>x</b> & "y" [sound:lima.mp3] [latex]z[/latex] bold?',
        explanation="<script>alert(1)</script>",
    )
    assert front_html(draft) == (
        "<div>Is &lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot; &#91;sound:lima.mp3] &#91;latex]z&#91;/latex] bold?</div>"
    )
    assert back_html(draft) == (
        '<div><b>True</b></div><div class="explanation">&lt;script&gt;alert(1)&lt;/script&gt;</div>'
    )


def test_matching_and_timeline_notes_read_front_and_back() -> None:
    matching = QuestionDraft(
        id="m",
        topic="leaders",
        type=QuestionType.MATCHING,
        prompt="Match each leader with his government.",
        answer="",
        details={"pairs": [["Iglesias", "Cajamarca"], ["Montero", "Arequipa"]]},
    )
    assert front_html(matching) == (
        "<div>Match each leader with his government.</div>"
        "<ul><li>Iglesias → ?</li><li>Montero → ?</li></ul><div>Matches: Cajamarca; Arequipa</div>"
    )
    assert back_html(matching) == "<div><b>Iglesias → Cajamarca</b></div><div><b>Montero → Arequipa</b></div>"
    timeline = QuestionDraft(
        id="t",
        topic="events",
        type=QuestionType.TIMELINE,
        prompt="<p>Order <script>x()</script>these</p>",
        answer="",
        details={"items": ["Lima falls", "Huamachuco", "Ancón"], "format": "html"},
    )
    assert front_html(timeline).startswith("<div><p>Order these</p></div><div>Put in order, earliest first:</div>")
    assert back_html(timeline) == "<div><b>Lima falls</b></div><div><b>Huamachuco</b></div><div><b>Ancón</b></div>"
    in_spanish = replace(timeline, language=Language.SPANISH)
    assert "<div>Ordena, del más antiguo al más reciente:</div>" in front_html(in_spanish)
    assert "<div>Parejas: Cajamarca; Arequipa</div>" in front_html(replace(matching, language=Language.SPANISH))
