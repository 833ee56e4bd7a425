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
from quizapp.domain.problems import ImportFormatError, Problem, quoted
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
                for message in shape_problems:
                    collector.problem(line, f"{label}: {message}")
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
        raise _Malformed(Problem(None, "the file is empty; expected a JSON array of questions [ ... ]"))
    if text[position] != "[":
        raise _Malformed(Problem(line_at(position), "expected a JSON array of questions [ ... ] at the top level"))
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
                raise _Malformed(Problem(error.lineno, f"not valid JSON: {error.msg} (column {error.colno})")) from None
            except RecursionError:
                raise _Malformed(Problem(line_at(start), "the JSON is nested too deeply")) from None
            except ValueError as error:  # e.g. an integer with thousands of digits
                raise _Malformed(Problem(line_at(start), f"not valid JSON: {error}")) from None
            entries += 1
            yield line_at(start), value
            position = _after_whitespace(text, position)
            if text.startswith(",", position):
                position = _after_whitespace(text, position + 1)
            elif text.startswith("]", position):
                position += 1
                break
            else:
                raise _Malformed(Problem(line_at(position), f"not valid JSON: expected , or ] after entry {entries}"))
    position = _after_whitespace(text, position)
    if position != len(text):
        raise _Malformed(Problem(line_at(position), "unexpected text after the closing ] of the array"))


def _shape_problems(value: Any) -> Iterator[str]:
    """What is wrong with the JSON types of one entry, before any question rule."""
    if not isinstance(value, dict):
        yield f"expected an object {{...}}, found {_kind(value)}"
        return
    for key in getattr(value, "duplicate_keys", ()):
        yield f"the field {quoted(key)} is given twice"
    for key in value:
        if key not in FIELDS:
            yield f"unknown field {quoted(key)} (fields are: {', '.join(FIELDS)})"
    for key in REQUIRED_FIELDS:
        if key not in value or value[key] is None:
            yield f"{key!r} is required"
        elif not isinstance(value[key], str):
            yield f"{key!r} must be a string, found {_kind(value[key])}"
    for key in OPTIONAL_TEXT_FIELDS:
        if value.get(key) is not None and not isinstance(value[key], str):
            yield f"{key!r} must be a string, found {_kind(value[key])}"
    for key in LIST_FIELDS:
        items = value.get(key)
        if items is not None and not (isinstance(items, list) and all(isinstance(item, str) for item in items)):
            yield f"{key!r} must be a list of strings"
    if value.get("details") is not None and not isinstance(value["details"], dict):
        yield f"'details' must be an object, found {_kind(value['details'])}"
    translations = value.get("translations")
    if translations is not None and not isinstance(translations, dict):
        yield f"'translations' must be an object, found {_kind(translations)}"
    elif translations:
        for language, text in translations.items():
            if not isinstance(text, dict):
                yield f"translations {quoted(language)} must be an object, found {_kind(text)}"
            elif unknown := [key for key in text if key not in TRANSLATION_FIELDS]:
                yield f"unknown field {quoted(unknown[0])} in translations {quoted(language)} (fields are: " + (
                    f"{', '.join(TRANSLATION_FIELDS)})"
                )


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


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
