"""The size limits of a question, checked the same way by draft validation and by the database model.

Limits themselves live in :mod:`quizapp.domain.questions`; here is the one
check of them, so a file, the teachers' form and a stored version all refuse
the same things.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from quizapp.domain.problems import N_, FieldProblem
from quizapp.domain.questions import (
    ANSWER_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    ID_MAX_LENGTH,
    MAX_ACCEPTED_ANSWERS,
    MAX_OPTIONS,
    PROMPT_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    TAG_MAX_LENGTH,
)

# The structured part of a question, written as JSON: room for ten pairs or answers each with a
# paragraph of feedback, so never the size of a whole file.
DETAILS_MAX_LENGTH = 50_000

# Longest text of each single-text field, and what is said when a text is longer.
_TEXT_LIMITS: dict[str, tuple[int, str]] = {
    "id": (ID_MAX_LENGTH, N_("id is longer than %(most)d characters (%(length)d)")),
    "prompt": (PROMPT_MAX_LENGTH, N_("prompt is longer than %(most)d characters (%(length)d)")),
    "answer": (ANSWER_MAX_LENGTH, N_("answer is longer than %(most)d characters (%(length)d)")),
    "explanation": (EXPLANATION_MAX_LENGTH, N_("explanation is longer than %(most)d characters (%(length)d)")),
    "source": (SOURCE_MAX_LENGTH, N_("source is longer than %(most)d characters (%(length)d)")),
}
# Of each list: most items (None: no limit) and what is said beyond, longest item and what is said beyond.
_LIST_LIMITS: dict[str, tuple[int | None, str, int, str]] = {
    "accepted_answers": (
        MAX_ACCEPTED_ANSWERS,
        N_("accepted answers: at most %(most)d are allowed, found %(count)d"),
        ANSWER_MAX_LENGTH,
        N_("an accepted answer is longer than %(most)d characters (%(length)d)"),
    ),
    "options": (
        MAX_OPTIONS,
        N_("options: at most %(most)d are allowed, found %(count)d"),
        ANSWER_MAX_LENGTH,
        N_("an option is longer than %(most)d characters (%(length)d)"),
    ),
    "tags": (None, "", TAG_MAX_LENGTH, N_("a tag is longer than %(most)d characters (%(length)d)")),
}


def count_problem(field: str, count: int) -> FieldProblem | None:
    """What is wrong with a list field holding ``count`` items, or None.

    Parsers may ask this before reading the items one by one, so that a list
    of a million options costs no more than counting them.
    """
    most, too_many, _, _ = _LIST_LIMITS[field]
    if most is None or count <= most:
        return None
    return FieldProblem.of(field, too_many, most=most, count=count)


def size_problems(field: str, value: str | Sequence[str] | Mapping[str, Any]) -> list[FieldProblem]:
    """What makes one field of a question too large: too long a text, too many or too long items.

    Args:
        field: a :class:`QuestionDraft` field holding text, a list of texts
            (``prompt``, ``answer``, ``accepted_answers``, ``options``, ...)
            or the details.
        value: its value.
    """
    if field == "details":
        length = len(json.dumps(value, ensure_ascii=False)) if value else 0
        return (
            [
                FieldProblem.of(
                    field, N_("the question's details are longer than %(most)d characters"), most=DETAILS_MAX_LENGTH
                )
            ]
            if length > DETAILS_MAX_LENGTH
            else []
        )
    if isinstance(value, str):
        limit, too_long = _TEXT_LIMITS[field]
        return [FieldProblem.of(field, too_long, most=limit, length=len(value))] if len(value) > limit else []
    if not value:
        return []
    _, _, longest, too_long = _LIST_LIMITS[field]
    if too_many := count_problem(field, len(value)):
        return [too_many]
    longest_item = max(map(len, value))
    if longest_item > longest:
        return [FieldProblem.of(field, too_long, most=longest, length=longest_item)]
    return []
