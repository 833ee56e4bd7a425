r"""The CSV question bank, for editing a bank in a spreadsheet.

The file is UTF-8 (a byte-order mark is allowed), comma-separated, quoted the
usual way (RFC 4180): a field containing a comma, a double quote or a line
break is written in double quotes, and a double quote inside it is doubled.
Quoted fields may span several lines (prompts and explanations with line
breaks).

The first row is the header. Its columns, in any order and any case::

    id,topic,type,prompt,answer,accepted_answers,options,explanation,source,tags,details,language

``id``, ``topic``, ``type``, ``prompt`` and ``answer`` are required columns;
the others may be left out (they are then empty). Unknown or repeated column
names are reported. Every following row is one question; rows whose fields
are all empty are skipped, and a row must have as many fields as the header.

* ``topic``: a topic's slug (``leaders``) or name (``Key dates``, made
  ``key-dates``); a topic the bank lacks is created by the import.
* ``type``: ``multiple_choice``, ``true_false``, ``short_answer``, ``date``,
  ``multiple_response``, ``matching``, ``timeline`` or ``numerical``.
* ``answer``: for multiple choice one of the options; ``True`` or ``False``;
  dates as ``20 October 1883``, ``October 1883`` or ``1883``
  (``1883-10-20`` is accepted and rewritten).
* ``accepted_answers``, ``options`` and ``tags`` are lists: items separated
  by ``|``. A literal ``|`` inside an item is written ``\|`` and a literal
  backslash ``\\``; any other backslash is kept as it is. Empty items are
  ignored, so an empty field is an empty list. True/false options may be left
  empty.
* ``details``: empty, or a JSON object: the structured part of the question's
  type (weights and per-answer feedback, a matching question's pairs, a
  timeline's events, numerical answers, ``"format": "html"``; see
  :mod:`quizapp.domain.question_types`), e.g.
  ``{"pairs": [["Chile", "Iglesias"], ["Bolivia", "Campero"]]}``.

* ``language``: ``en`` or ``es``, the language of the row's wording; empty
  (or no such column): the language the import is told (English unless the
  upload form says otherwise). A row with the id of an earlier row and another
  language is that question worded in that language: only its ``prompt``,
  ``answer``, ``accepted_answers``, ``options``, ``explanation`` and
  ``details`` are read, and they must agree with the first row in structure.

Example::

    id,topic,type,prompt,answer,accepted_answers,options,explanation,source,tags
    q1,leaders,multiple_choice,Who led the Breña campaign?,Cáceres,,Cáceres|Iglesias|Montero,,caceres,breña
    q2,dates,date,When was the Treaty of Ancón signed?,20 October 1883,,,,treaty-of-ancon,

Problems give the physical line the row starts on (a row with quoted line
breaks spans several lines).

Spreadsheet formulas: :func:`emit` writes a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return with a leading apostrophe, so
that a spreadsheet shows it as text instead of running it (see
:mod:`quizapp.domain.formats.spreadsheet`), and :func:`parse` takes that
apostrophe off again: ``'=A1`` is read as ``=A1`` and ``''=A1`` as ``'=A1``,
so an exported bank imports back unchanged. An apostrophe before anything
else is kept.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

from quizapp.domain.formats.spreadsheet import formula_safe_cell, text_of_cell
from quizapp.domain.languages import DEFAULT_LANGUAGE, Language
from quizapp.domain.problems import N_, Problem, quoted, shortened
from quizapp.domain.question_rules import DraftCollector
from quizapp.domain.questions import QuestionDraft

COLUMNS = (
    "id",
    "topic",
    "type",
    "prompt",
    "answer",
    "accepted_answers",
    "options",
    "explanation",
    "source",
    "tags",
    "details",
    "language",
)
REQUIRED_COLUMNS = ("id", "topic", "type", "prompt", "answer")
LIST_COLUMNS = ("accepted_answers", "options", "tags")
LIST_SEPARATOR = "|"
DETAILS_COLUMN = "details"
LANGUAGE_COLUMN = "language"
# What a row in a second language gives its question: the wording; the rest comes from the first row.
TRANSLATED_COLUMNS = ("prompt", "answer", "accepted_answers", "options", "explanation", "details")


def _details(cell: str) -> tuple[dict[str, Any], Problem | None]:
    """The details a cell holds (empty: none), or a problem."""
    if not cell.strip():
        return {}, None
    try:
        value = json.loads(cell)
    except (ValueError, RecursionError) as error:
        return {}, Problem.of(None, N_("details must be a JSON object (%(error)s)"), error=shortened(str(error)))
    if not isinstance(value, dict):
        return {}, Problem.of(None, N_("details must be a JSON object such as %(example)s"), example=_DETAILS_EXAMPLE)
    return value, None


_DETAILS_EXAMPLE = '{"weights": {"Montero": 0.5}}'


def parse(text: str, source_name: str = "<upload>", language: Language = DEFAULT_LANGUAGE) -> list[QuestionDraft]:
    """Read a CSV question bank; rows with an empty or no ``language`` cell are in ``language``.

    A row with the id of an earlier row and another language gives that
    question its wording in that language (its other cells are not read).

    Raises:
        ImportFormatError: listing the problems of the file (see :class:`DraftCollector`).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    collector = DraftCollector(source_name)
    rows = _rows(text, collector)
    first = next(rows, None)
    if first is None:
        if not collector.problems:
            collector.problem(
                None,
                Problem.of(
                    None,
                    N_("the file is empty; the first row must be the header: %(columns)s"),
                    columns=",".join(COLUMNS),
                ),
            )
        return collector.finish()  # raises: the file has no header
    header_line, header_cells = first
    header = [cell.strip().lower() for cell in header_cells]
    for message in _header_problems(header):
        collector.problem(header_line, message)
    if any(column not in header for column in REQUIRED_COLUMNS) or len(set(header)) != len(header):
        return collector.finish()  # raises: the rows cannot be read without their columns

    questions: list[tuple[int, dict[str, object]]] = []
    by_id: dict[str, dict[str, object]] = {}
    for line, cells in rows:
        if len(cells) > len(header) and not "".join(cells[len(header) :]).strip():
            cells = cells[: len(header)]  # spreadsheets like to add empty trailing fields
        if len(cells) != len(header):
            collector.problem(
                line,
                Problem.of(
                    line,
                    N_(
                        "expected %(expected)s fields as in the header, found %(found)s "
                        "(a field containing a comma must be quoted)"
                    ),
                    expected=len(header),
                    found=len(cells),
                ),
            )
            continue
        fields: dict[str, object] = {}
        for column, cell in zip(header, cells, strict=False):
            if column in LIST_COLUMNS:
                fields[column] = split_list(text_of_cell(cell))
            elif column == DETAILS_COLUMN:
                details, problem = _details(text_of_cell(cell))
                if problem:
                    collector.problem(line, problem)
                fields[column] = details
            elif column in COLUMNS:
                fields[column] = text_of_cell(cell)
        fields[LANGUAGE_COLUMN] = str(fields.get(LANGUAGE_COLUMN) or "").strip().lower() or language.value
        if (earlier := by_id.get(str(fields["id"]).strip())) is not None and _translates(earlier, fields):
            translations = earlier.setdefault("translations", {})
            assert isinstance(translations, dict)
            translations[fields[LANGUAGE_COLUMN]] = {column: fields.get(column, "") for column in TRANSLATED_COLUMNS}
            continue
        questions.append((line, fields))
        if str(fields["id"]).strip():
            by_id.setdefault(str(fields["id"]).strip(), fields)
    for line, fields in questions:
        collector.add(fields, line)
    return collector.finish()


def _translates(first: dict[str, object], fields: dict[str, object]) -> bool:
    """Whether a row is the wording, in another language, of the question an earlier row gave."""
    translations = first.get("translations")
    given = translations if isinstance(translations, dict) else {}
    return fields[LANGUAGE_COLUMN] != first[LANGUAGE_COLUMN] and fields[LANGUAGE_COLUMN] not in given


def _rows(text: str, collector: DraftCollector) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows with the line each starts on; a CSV syntax error is a problem and the end."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last_line = 0
    try:
        for cells in reader:
            start, last_line = last_line + 1, reader.line_num
            if "".join(cells).strip():
                yield start, cells
    except csv.Error as error:
        # The reader cannot resynchronize after broken quoting, so reading stops here.
        collector.problem(
            reader.line_num or None,
            Problem.of(None, N_("not valid CSV: %(error)s (check the double quotes)"), error=str(error)),
        )


def _header_problems(header: list[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            yield Problem.of(None, N_("column %(column)s appears twice in the header"), column=quoted(column))
        seen.add(column)
        if column not in COLUMNS:
            yield Problem.of(
                None,
                N_("unknown column %(column)s (columns are: %(columns)s)"),
                column=quoted(column),
                columns=",".join(COLUMNS),
            )
    for column in REQUIRED_COLUMNS:
        if column not in seen:
            yield Problem.of(
                None,
                N_("missing column %(column)s (required columns: %(columns)s)"),
                column=repr(column),
                columns=",".join(REQUIRED_COLUMNS),
            )


def split_list(cell: str) -> list[str]:
    r"""Split a list field at unescaped ``|``; ``\|`` and ``\\`` are unescaped."""
    if not cell:
        return []
    # Escaped pairs are read from the left, as str.replace reads; blanked out, the | left are separators.
    masked = cell.replace("\\\\", "__").replace("\\|", "__")
    items, start = [], 0
    for piece in masked.split(LIST_SEPARATOR):
        end = start + len(piece)
        items.append(_unescape_item(cell[start:end]))
        start = end + 1
    return [item for item in items if item.strip()]


def _unescape_item(text: str) -> str:
    if "\\" not in text:
        return text
    return "\\".join(part.replace("\\|", "|") for part in text.split("\\\\"))


def join_list(items: Sequence[str]) -> str:
    """The inverse of :func:`split_list` for non-blank items."""
    return LIST_SEPARATOR.join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def emit(drafts: Sequence[QuestionDraft]) -> str:
    """Write drafts as a CSV question bank with every column, in the documented order."""
    buffer = io.StringIO()
    # CRLF (RFC 4180) also makes the writer quote a lone CR inside a field.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for draft in drafts:
        # A row for the question's own language, then one for each translation, with the same id.
        for language in (draft.language, *draft.translations):
            text = draft.text_in(language)
            cells = [
                draft.id,
                str(draft.topic),
                str(draft.type),
                text.prompt,
                text.answer,
                join_list(text.accepted_answers),
                join_list(text.options),
                text.explanation,
                draft.source,
                join_list(draft.tags),
                json.dumps(dict(text.details), ensure_ascii=False) if text.details else "",
                str(language),
            ]
            writer.writerow([formula_safe_cell(cell) for cell in cells])
    return buffer.getvalue()
