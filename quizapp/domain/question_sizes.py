"""The size limits of a question, checked the same way by draft validation and by the database model.

Limits themselves live in :mod:`quizapp.domain.questions`; here is the one
check of them, so a file, the teachers' form and a stored version all refuse
the same things.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

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

# Longest text of each single-text field, and (most items, longest item, one item's name) of each list.
_TEXT_LIMITS = {
    "id": ID_MAX_LENGTH,
    "prompt": PROMPT_MAX_LENGTH,
    "answer": ANSWER_MAX_LENGTH,
    "explanation": EXPLANATION_MAX_LENGTH,
    "source": SOURCE_MAX_LENGTH,
}
_LIST_LIMITS = {
    "accepted_answers": (MAX_ACCEPTED_ANSWERS, ANSWER_MAX_LENGTH, "an accepted answer"),
    "options": (MAX_OPTIONS, ANSWER_MAX_LENGTH, "an option"),
    "tags": (None, TAG_MAX_LENGTH, "a tag"),
}


def count_problem(field: str, count: int) -> str | None:
    """What is wrong with a list field holding ``count`` items, or None.

    Parsers may ask this before reading the items one by one, so that a list
    of a million options costs no more than counting them.
    """
    most = _LIST_LIMITS[field][0]
    if most is None or count <= most:
        return None
    return f"{field.replace('_', ' ')}: at most {most} are allowed, found {count}"


def size_problems(field: str, value: str | Sequence[str] | Mapping[str, Any]) -> list[str]:
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
            [f"the question's details are longer than {DETAILS_MAX_LENGTH} characters"]
            if length > DETAILS_MAX_LENGTH
            else []
        )
    if isinstance(value, str):
        limit = _TEXT_LIMITS[field]
        return [f"{field} is longer than {limit} characters ({len(value)})"] if len(value) > limit else []
    if not value:
        return []
    _, longest, item_name = _LIST_LIMITS[field]
    if too_many := count_problem(field, len(value)):
        return [too_many]
    longest_item = max(map(len, value))
    if longest_item > longest:
        return [f"{item_name} is longer than {longest} characters ({longest_item})"]
    return []
