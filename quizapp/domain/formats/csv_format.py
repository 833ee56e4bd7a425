r"""The CSV question bank, for editing a bank in a spreadsheet.

The file is UTF-8 (a byte-order mark is allowed), comma-separated, quoted the
usual way (RFC 4180): a field containing a comma, a double quote or a line
break is written in double quotes, and a double quote inside it is doubled.
Quoted fields may span several lines (prompts and explanations with line
breaks).

The first row is the header. Its columns, in any order and any case::

    id,topic,type,prompt,answer,accepted_answers,options,explanation,source,tags

``id``, ``topic``, ``type``, ``prompt`` and ``answer`` are required columns;
the others may be left out (they are then empty). Unknown or repeated column
names are reported. Every following row is one question; rows whose fields
are all empty are skipped, and a row must have as many fields as the header.

* ``topic``: ``dates``, ``leaders``, ``recognitions``, ``people`` or ``events``.
* ``type``: ``multiple_choice``, ``true_false``, ``short_answer`` or ``date``.
* ``answer``: for multiple choice one of the options; ``True`` or ``False``;
  dates as ``20 October 1883``, ``October 1883`` or ``1883``
  (``1883-10-20`` is accepted and rewritten).
* ``accepted_answers``, ``options`` and ``tags`` are lists: items separated
  by ``|``. A literal ``|`` inside an item is written ``\|`` and a literal
  backslash ``\\``; any other backslash is kept as it is. Empty items are
  ignored, so an empty field is an empty list. True/false options may be left
  empty.

Example::

    id,topic,type,prompt,answer,accepted_answers,options,explanation,source,tags
    q1,leaders,multiple_choice,Who led the Breña campaign?,Andrés A. Cáceres,,Andrés A. Cáceres|Miguel Iglesias|Lizardo Montero,,caceres,breña
    q2,dates,date,When was the Treaty of Ancón signed?,20 October 1883,,,,treaty-of-ancon,

Problems give the physical line the row starts on (a row with quoted line
breaks spans several lines).

Exported cells are not protected against spreadsheet formulas: a prompt
starting with ``=`` stays as written so the file imports back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from quizapp.domain.formats.base import ImportFormatError, Problem
from quizapp.domain.formats.validation import DraftCollector
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
)
REQUIRED_COLUMNS = ("id", "topic", "type", "prompt", "answer")
LIST_COLUMNS = ("accepted_answers", "options", "tags")
LIST_SEPARATOR = "|"


def parse(text: str, source_name: str = "<upload>") -> list[QuestionDraft]:
    """Read a CSV question bank.

    Raises:
        ImportFormatError: listing every problem in the file.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    rows, problems = _read_rows(text)
    if not rows:
        empty = Problem(None, f"the file is empty; the first row must be the header: {','.join(COLUMNS)}")
        raise ImportFormatError(problems or [empty], source_name)
    header_line, header_cells = rows[0]
    header = [cell.strip().lower() for cell in header_cells]
    header_problems = _header_problems(header)
    problems += [Problem(header_line, message) for message in header_problems]
    if any(column not in header for column in REQUIRED_COLUMNS) or len(set(header)) != len(header):
        raise ImportFormatError(problems, source_name)

    collector = DraftCollector(source_name)
    collector.problems += problems
    for line, cells in rows[1:]:
        if len(cells) > len(header) and not "".join(cells[len(header):]).strip():
            cells = cells[: len(header)]  # spreadsheets like to add empty trailing fields
        if len(cells) != len(header):
            collector.problem(
                line,
                f"expected {len(header)} fields as in the header, found {len(cells)} "
                "(a field containing a comma must be quoted)",
            )
            continue
        fields: dict[str, object] = {}
        for column, cell in zip(header, cells):
            if column in LIST_COLUMNS:
                fields[column] = split_list(cell)
            elif column in COLUMNS:
                fields[column] = cell
        collector.add(fields, line)
    return collector.finish()


def _read_rows(text: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """The non-blank rows with the line each starts on, and a CSV syntax problem if any."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for cells in reader:
            start, last_line = last_line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
    except csv.Error as error:
        # The reader cannot resynchronize after broken quoting, so reading stops here.
        return rows, [Problem(reader.line_num or None, f"not valid CSV: {error} (check the double quotes)")]
    return rows, []


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(f"column {column!r} appears twice in the header")
        seen.add(column)
        if column not in COLUMNS:
            problems.append(f"unknown column {column!r} (columns are: {','.join(COLUMNS)})")
    for column in REQUIRED_COLUMNS:
        if column not in seen:
            problems.append(f"missing column {column!r} (required columns: {','.join(REQUIRED_COLUMNS)})")
    return problems


def split_list(cell: str) -> list[str]:
    r"""Split a list field at unescaped ``|``; ``\|`` and ``\\`` are unescaped."""
    items: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(cell):
        char = cell[index]
        if char == "\\" and cell[index + 1 : index + 2] in ("|", "\\"):
            current.append(cell[index + 1])
            index += 2
            continue
        if char == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current))
    return [item for item in items if item.strip()]


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
        writer.writerow(
            [
                draft.id,
                str(draft.topic),
                str(draft.type),
                draft.prompt,
                draft.answer,
                join_list(draft.accepted_answers),
                join_list(draft.options),
                draft.explanation,
                draft.source,
                join_list(draft.tags),
            ]
        )
    return buffer.getvalue()
