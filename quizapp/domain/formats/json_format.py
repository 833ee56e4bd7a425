"""The JSON question bank: quizapp's own export format.

A file is one JSON array of objects, one per question::

    [
      {
        "id": "caceres-breña-campaign.leader",
        "topic": "leaders",
        "type": "multiple_choice",
        "prompt": "Who led the Breña campaign?",
        "answer": "Andrés A. Cáceres",
        "accepted_answers": [],
        "options": ["Andrés A. Cáceres", "Miguel Iglesias", "Lizardo Montero"],
        "explanation": "Cáceres led the resistance in the central highlands.",
        "source": "caceres",
        "tags": ["breña"]
      }
    ]

``id``, ``topic``, ``type``, ``prompt`` and ``answer`` are required strings.
``topic`` is a topic's slug (a topic the bank lacks is created by the
import; a name such as ``"Key dates"`` is made a slug, ``key-dates``);
``type`` one of ``multiple_choice``, ``true_false``, ``short_answer``,
``date``, ``multiple_response``, ``matching``, ``timeline``, ``numerical``.
``accepted_answers``, ``options`` and ``tags`` are optional lists of strings,
``explanation`` and ``source`` optional strings, ``details`` an optional
object: the structured part of the question's type (weights, per-answer
feedback, pairs, events, numerical answers, ``"format": "html"``; see
:mod:`quizapp.domain.question_types`), written only when not empty
(``null`` counts as missing). Multiple choice ``options`` contain the answer;
true/false ``options`` are empty or ``["True", "False"]`` and the answer is
``True`` or ``False``; date answers read like ``20 October 1883``,
``October 1883`` or ``1883`` (``1883-10-20`` is accepted and rewritten).

``language`` is the language of the wording (``"en"`` or ``"es"``; English
when missing). ``translations`` optionally gives the same question in the
other language: ``{"es": {"prompt": ..., "answer": ..., "accepted_answers":
[...], "options": [...], "explanation": ..., "details": {...}}}``, with the
options, pairs and events in the same order and the same ones right.

Problems name the entry (counted from 1) and give the line its object starts
on; malformed JSON is reported with the line the JSON parser stopped on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from quizapp.domain.languages import DEFAULT_LANGUAGE, Language
from quizapp.domain.problems import N_, ImportFormatError, Problem, Words, quoted
from quizapp.domain.question_rules import MAX_PROBLEMS, DraftCollector
from quizapp.domain.questions import QuestionDraft, text_as_json

REQUIRED_FIELDS = ("id", "topic", "type", "prompt", "answer")
OPTIONAL_TEXT_FIELDS = ("explanation", "source", "language")
LIST_FIELDS = ("accepted_answers", "options", "tags")
FIELDS = (
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
    "translations",
)
TRANSLATION_FIELDS = ("prompt", "answer", "accepted_answers", "options", "explanation", "details")

_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _after_whitespace(text: str, position: int) -> int:
    """The position of the first character at or after ``position`` that is not JSON white space."""
    match = _WHITESPACE.match(text, position)
    assert match is not None  # a run of white space may be empty: it always matches
    return match.end()


class _Malformed(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _JsonObject(dict[str, Any]):
    """A decoded object that remembers keys the file gave twice."""

    duplicate_keys: tuple[str, ...] = ()


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
    result = _JsonObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicates = []
        for key, _ in pairs:
            if key in seen:
                duplicates.append(key)
            seen.add(key)
        result.duplicate_keys = tuple(duplicates)
    return result


_DECODER = json.JSONDecoder(object_pairs_hook=_object_from_pairs)


def parse(text: str, source_name: str = "<upload>", language: Language = DEFAULT_LANGUAGE) -> list[QuestionDraft]:
    """Read a JSON question bank; entries without a ``language`` are in ``language``.

    Raises:
        ImportFormatError: listing the problems of the file (see :class:`DraftCollector`).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    collector = DraftCollector(source_name)
    try:
        # Entries are checked as they are decoded, so reading stops as soon as the collector is full.
        for number, (line, value) in enumerate(_scan_array(text), start=1):
            label = f"entry {number}"
            # No more than a file may show: an entry of a million unknown fields costs no more.
            if shape_problems := list(islice(_shape_problems(value), MAX_PROBLEMS + 1)):
                for problem in shape_problems:
                    collector.problem(
                        line, Problem.of(line, N_("%(where)s: %(problem)s"), where=label, problem=problem)
                    )
            else:
                collector.add({"language": language.value} | value, line, label)
    except _Malformed as error:
        # What could be read of a broken file would only hide the one thing to fix.
        raise ImportFormatError([error.problem], source_name) from None
    return collector.finish()


def _scan_array(text: str) -> Iterator[tuple[int, Any]]:
    """Decode the top-level array element by element, with the line each starts on.

    Raises:
        _Malformed: the text is not one JSON array, reported where it breaks.
    """
    line, counted_to = 1, 0

    def line_at(position: int) -> int:
        nonlocal line, counted_to
        line += text.count("\n", counted_to, position)
        counted_to = position
        return line

    position = _after_whitespace(text, 0)
    if position == len(text):
        raise _Malformed(Problem.of(None, N_("the file is empty; expected a JSON array of questions [ ... ]")))
    if text[position] != "[":
        raise _Malformed(
            Problem.of(line_at(position), N_("expected a JSON array of questions [ ... ] at the top level"))
        )
    position = _after_whitespace(text, position + 1)
    if text.startswith("]", position):
        position += 1
    else:
        entries = 0
        while True:
            start = position
            try:
                value, position = _DECODER.raw_decode(text, position)
            except json.JSONDecodeError as error:
                raise _Malformed(
                    Problem.of(
                        error.lineno,
                        N_("not valid JSON: %(error)s (column %(column)s)"),
                        error=error.msg,
                        column=error.colno,
                    )
                ) from None
            except RecursionError:
                raise _Malformed(Problem.of(line_at(start), N_("the JSON is nested too deeply"))) from None
            except ValueError as error:  # e.g. an integer with thousands of digits
                raise _Malformed(
                    Problem.of(line_at(start), N_("not valid JSON: %(error)s"), error=str(error))
                ) from None
            entries += 1
            yield line_at(start), value
            position = _after_whitespace(text, position)
            if text.startswith(",", position):
                position = _after_whitespace(text, position + 1)
            elif text.startswith("]", position):
                position += 1
                break
            else:
                raise _Malformed(
                    Problem.of(
                        line_at(position), N_("not valid JSON: expected , or ] after entry %(number)s"), number=entries
                    )
                )
    position = _after_whitespace(text, position)
    if position != len(text):
        raise _Malformed(Problem.of(line_at(position), N_("unexpected text after the closing ] of the array")))


def _shape_problems(value: Any) -> Iterator[Problem]:
    """What is wrong with the JSON types of one entry, before any question rule."""
    if not isinstance(value, dict):
        yield Problem.of(None, N_("expected an object {...}, found %(kind)s"), kind=_kind(value))
        return
    for key in getattr(value, "duplicate_keys", ()):
        yield Problem.of(None, N_("the field %(field)s is given twice"), field=quoted(key))
    for key in value:
        if key not in FIELDS:
            yield _unknown_field(key, FIELDS)
    for key in REQUIRED_FIELDS:
        if key not in value or value[key] is None:
            yield Problem.of(None, N_("%(field)s is required"), field=repr(key))
        elif not isinstance(value[key], str):
            yield _not_a(key, N_("a string"), value[key])
    for key in OPTIONAL_TEXT_FIELDS:
        if value.get(key) is not None and not isinstance(value[key], str):
            yield _not_a(key, N_("a string"), value[key])
    for key in LIST_FIELDS:
        items = value.get(key)
        if items is not None and not (isinstance(items, list) and all(isinstance(item, str) for item in items)):
            yield Problem.of(None, N_("%(field)s must be a list of strings"), field=repr(key))
    for key in ("details", "translations"):
        if value.get(key) is not None and not isinstance(value[key], dict):
            yield _not_a(key, N_("an object"), value[key])
    for language, text in (value.get("translations") or {}).items():
        if not isinstance(text, dict):
            yield _not_a(f"translations {quoted(language)}", N_("an object"), text, quote=False)
        elif unknown := [key for key in text if key not in TRANSLATION_FIELDS]:
            yield _unknown_field(unknown[0], TRANSLATION_FIELDS, f"translations {quoted(language)}")


def _not_a(field: str, kind: str, value: Any, *, quote: bool = True) -> Problem:
    return Problem.of(
        None,
        N_("%(field)s must be %(expected)s, found %(kind)s"),
        field=repr(field) if quote else field,
        expected=Words(kind),
        kind=_kind(value),
    )


def _unknown_field(key: str, known: Sequence[str], within: str = "") -> Problem:
    if within:
        return Problem.of(
            None,
            N_("unknown field %(field)s in %(within)s (fields are: %(fields)s)"),
            field=quoted(key),
            within=within,
            fields=", ".join(known),
        )
    return Problem.of(
        None, N_("unknown field %(field)s (fields are: %(fields)s)"), field=quoted(key), fields=", ".join(known)
    )


def _kind(value: Any) -> Words:
    if value is None:
        return Words(N_("null"))
    if isinstance(value, bool):
        return Words(N_("true/false"))
    if isinstance(value, (int, float)):
        return Words(N_("a number"))
    if isinstance(value, str):
        return Words(N_("a string"))
    if isinstance(value, list):
        return Words(N_("a list"))
    return Words(N_("an object"))


def emit(drafts: Sequence[QuestionDraft]) -> str:
    """Write drafts as a JSON question bank (UTF-8 text, two-space indent)."""
    entries = [
        {
            "id": draft.id,
            "topic": str(draft.topic),
            "type": str(draft.type),
            "prompt": draft.prompt,
            "answer": draft.answer,
            "accepted_answers": list(draft.accepted_answers),
            "options": list(draft.options),
            "explanation": draft.explanation,
            "source": draft.source,
            "tags": list(draft.tags),
            **({"details": dict(draft.details)} if draft.details else {}),
            "language": str(draft.language),
            **(
                {"translations": {str(language): text_as_json(text) for language, text in draft.translations.items()}}
                if draft.translations
                else {}
            ),
        }
        for draft in drafts
    ]
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
