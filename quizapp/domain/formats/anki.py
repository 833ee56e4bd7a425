"""Anki export: a ``.apkg`` deck, one note per question, built with genanki.

Anki recognizes a note type by its model id, a deck by its deck id and a note
by its guid, so all three are fixed: re-importing a newer export updates the
notes a student already has (keeping their review history) instead of adding
duplicates.

* :data:`MODEL_ID` ``1734052011`` identifies the "quizapp question" note type
  (fields Front, Back, QuestionId). Never change it or its field list: Anki
  would treat the export as a different note type.
* :data:`DECK_IDS` identify the deck of each language: ``1856280429`` the
  English deck, ``1856280430`` the Spanish one; a file holds one language.
* A note's guid is ``genanki.guid_for(question.id)`` in English and
  ``genanki.guid_for(question.id, language)`` in another language, so the two
  decks live side by side in one collection.

Fields are HTML and every text is escaped, so a prompt like ``<b>x</b>``
shows its tags: ``<``, ``>``, ``&`` and quotes become character references,
and so does ``[``, so that Anki never reads ``[sound:...]`` or ``[latex]`` in
our text as media or LaTeX; line breaks become ``<br>``. Front is the prompt,
followed by the lettered options for multiple choice; Back is the answer,
other accepted answers and the explanation.

Notes are tagged with the topic and the question's tags, made into Anki
tags by :func:`anki_tag`: Anki separates tags by spaces and drops control
characters and double quotes from them, and reads ``::`` as a level of a
tag hierarchy, so runs of white space become ``_``, control characters and
``"`` are removed and ``::`` becomes ``:``.
"""

from __future__ import annotations

import html
import itertools
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from typing import BinaryIO

import genanki

from quizapp.domain.languages import DEFAULT_LANGUAGE, Language
from quizapp.domain.question_types import kind_of
from quizapp.domain.question_types.base import is_html
from quizapp.domain.questions import QuestionDraft, QuestionType
from quizapp.domain.rich_text import sanitize_html

MODEL_ID = 1734052011
DECK_ID = 1856280429
DECK_IDS = {Language.ENGLISH: DECK_ID, Language.SPANISH: 1856280430}
MODEL_NAME = "quizapp question"
DEFAULT_DECK_NAME = "Peruvian resistance in the War of the Pacific (1881–1883)"
DECK_NAMES = {
    Language.ENGLISH: DEFAULT_DECK_NAME,
    Language.SPANISH: "La resistencia peruana en la Guerra del Pacífico (1881–1883)",
}
# The labels of a card, in the language of the deck (Anki shows them as written).
ALSO_ACCEPTED = {Language.ENGLISH: "Also accepted", Language.SPANISH: "También se acepta"}
MATCHES = {Language.ENGLISH: "Matches", Language.SPANISH: "Parejas"}
PUT_IN_ORDER = {
    Language.ENGLISH: "Put in order, earliest first:",
    Language.SPANISH: "Ordena, del más antiguo al más reciente:",
}

MODEL = genanki.Model(
    MODEL_ID,
    MODEL_NAME,
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "QuestionId"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
        }
    ],
    css=".card { font-family: sans-serif; font-size: 20px; text-align: left; }\n"
    ".explanation { font-size: 16px; margin-top: 1em; }\n",
    sort_field_index=0,
)


_TAG_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f"]')
_TAG_HIERARCHY = re.compile(r":{2,}")


def _html(text: str) -> str:
    # \x1f separates fields in Anki's database, so it must never reach a field.
    escaped = html.escape(text.replace("\x1f", " ")).replace("[", "&#91;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def anki_tag(tag: str) -> str:
    """``tag`` as one Anki tag, shown as written as far as Anki allows (see the module documentation)."""
    one_word = "_".join(tag.split())  # str.split() also splits at U+3000, Anki's other separator
    return _TAG_HIERARCHY.sub(":", _TAG_FORBIDDEN.sub("", one_word))


def _shown(draft: QuestionDraft, text: str) -> str:
    """A prompt or explanation: an HTML question's sanitized HTML, else plain text escaped."""
    return sanitize_html(text) if is_html(draft) else _html(text)


def front_html(draft: QuestionDraft) -> str:
    """The Front field: the prompt, then the options, the items to match with the matches, or the events to order."""
    kind = kind_of(draft.type)
    front = f"<div>{_shown(draft, draft.prompt)}</div>"
    if draft.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.MULTIPLE_RESPONSE) and draft.options:
        items = "".join(f"<li>{_html(option)}</li>" for option in draft.options)
        front += f'<ol type="A">{items}</ol>'
    elif draft.type == QuestionType.MATCHING:
        rows = "".join(f"<li>{_html(item)} → ?</li>" for item in kind.rows(draft))
        front += f"<ul>{rows}</ul><div>{MATCHES[draft.language]}: {_html('; '.join(kind.choices_for(draft)))}</div>"
    elif draft.type == QuestionType.TIMELINE:
        events = "".join(f"<li>{_html(event)}</li>" for event in kind.choices_for(draft))
        front += f"<div>{PUT_IN_ORDER[draft.language]}</div><ul>{events}</ul>"
    return front


def back_html(draft: QuestionDraft) -> str:
    """The Back field: the answer (a line a pair, event or right option), accepted answers, explanation."""
    lines = kind_of(draft.type).answer_lines(draft)
    back = "".join(f"<div><b>{_html(line)}</b></div>" for line in lines) or f"<div><b>{_html(draft.answer)}</b></div>"
    if draft.accepted_answers:
        back += f"<div>{ALSO_ACCEPTED[draft.language]}: {_html(', '.join(draft.accepted_answers))}</div>"
    if draft.explanation:
        back += f'<div class="explanation">{_shown(draft, draft.explanation)}</div>'
    return back


def note_for(draft: QuestionDraft) -> genanki.Note:
    """The Anki note of one question, with a guid that depends only on its id and language."""
    tags = [str(draft.topic), *(anki_tag(tag) for tag in draft.tags)]
    return genanki.Note(
        model=MODEL,
        fields=[front_html(draft), back_html(draft), _html(draft.id)],
        tags=[tag for tag in dict.fromkeys(tags) if tag],
        guid=genanki.guid_for(draft.id)
        if draft.language == DEFAULT_LANGUAGE
        else genanki.guid_for(draft.id, draft.language.value),
    )


def build_apkg(
    drafts: Sequence[QuestionDraft],
    path_or_file: str | os.PathLike[str] | BinaryIO,
    deck_name: str | None = None,
    *,
    language: Language = DEFAULT_LANGUAGE,
    timestamp: float | None = None,
) -> None:
    """Write an Anki package with one note per question, the deck of ``language``.

    Args:
        drafts: the questions, worded in ``language`` (see
            :func:`~quizapp.domain.formats.base.worded_in`); their ids must be unique.
        path_or_file: a file path, or a binary file object opened for writing.
        deck_name: the deck's name as Anki shows it; the language's usual name when None.
        language: the deck's language: its id, name and the notes' guids.
        timestamp: seconds since the epoch to stamp notes and cards with;
            now when None. Fixing it makes the file byte-for-byte reproducible
            apart from zip metadata.
    """
    deck = genanki.Deck(DECK_IDS[language], deck_name or DECK_NAMES[language])
    for draft in drafts:
        deck.add_note(note_for(draft))
    package = genanki.Package(deck)
    if timestamp is None:
        timestamp = time.time()
    # genanki's public write_to_file leaves its temporary database (mkstemp) behind on every
    # export, so the package is written here with write_to_db, the method write_to_file calls.
    with tempfile.TemporaryDirectory() as directory:
        database_path = os.path.join(directory, "collection.anki2")
        connection = sqlite3.connect(database_path)
        try:
            package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        with zipfile.ZipFile(path_or_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(database_path, "collection.anki2")
            archive.writestr("media", "{}")
