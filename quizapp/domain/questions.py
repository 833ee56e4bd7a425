"""The vocabulary shared by the generator, grading, import/export and the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class QuestionType(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    DATE = "date"


class BankTopic(StrEnum):
    DATES = "dates"
    LEADERS = "leaders"
    RECOGNITIONS = "recognitions"
    PEOPLE = "people"
    EVENTS = "events"


TRUE_FALSE_OPTIONS = ("True", "False")

# Size limits of a question, checked by draft validation (imports and the teachers' form) and by the
# QuestionVersion model. Each is several times what the generated bank uses (prompts up to ~300
# characters, explanations ~450, 7 accepted answers, 4 options), so a real teacher never meets them;
# they exist so that one question can never make grading or a page slow: with 50 accepted answers of
# 500 characters, grading one response costs a few milliseconds at most.
PROMPT_MIN_LENGTH = 3
PROMPT_MAX_LENGTH = 1000
EXPLANATION_MAX_LENGTH = 2000  # a paragraph shown after answering
# What a student may type is capped at 500 characters too (grading.MAX_RESPONSE_LENGTH), so a
# longer answer could never be matched.
ANSWER_MAX_LENGTH = 500  # the answer, each accepted answer and each option
MAX_ACCEPTED_ANSWERS = 50  # spellings of a name, ways of writing a date
MIN_OPTIONS = 2
MAX_OPTIONS = 6  # the teachers' form has a row for each
ID_MAX_LENGTH = 200
SOURCE_MAX_LENGTH = 200
TAG_MAX_LENGTH = 100


@dataclass(frozen=True)
class QuestionDraft:
    """One question as the generator or an importer produces it, before storage.

    Attributes:
        id: stable identifier. For generated questions it is derived from the
            fact key and template name, so rebuilding the bank keeps it.
        topic: which part of the history it tests.
        type: how it is answered.
        prompt: the question as the student reads it.
        answer: the canonical answer as text; dates as ``20 October 1883``
            (or ``October 1883`` / ``1883`` when only that much is known);
            true/false as ``True`` or ``False``.
        accepted_answers: other responses graded correct (surname alone,
            spelling without accents, ...). Never includes ``answer`` itself.
        options: the choices of a multiple-choice (answer included) or
            true/false question; empty for other types.
        explanation: shown after answering.
        source: the key of the fact the question came from.
        tags: free labels for filtering.
    """

    id: str
    topic: BankTopic
    type: QuestionType
    prompt: str
    answer: str
    accepted_answers: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    explanation: str = ""
    source: str = ""
    tags: tuple[str, ...] = field(default=())
