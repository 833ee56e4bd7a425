"""The vocabulary shared by the generator, grading, import/export and the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from quizapp.domain.languages import DEFAULT_LANGUAGE, Language


class QuestionType(StrEnum):
    """How a question is answered; each has one entry in :mod:`quizapp.domain.question_types`."""

    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    DATE = "date"
    MULTIPLE_RESPONSE = "multiple_response"
    MATCHING = "matching"
    TIMELINE = "timeline"
    NUMERICAL = "numerical"


class BankTopic(StrEnum):
    """The topics of the generated bank; teachers add others (the topics table)."""

    DATES = "dates"
    LEADERS = "leaders"
    RECOGNITIONS = "recognitions"
    PEOPLE = "people"
    EVENTS = "events"


# A true/false question's two options in each language, "true" first: a version's own options and each
# translation's are those of its language, and a response counts by its position.
TRUE_FALSE_WORDS = {Language.ENGLISH: ("True", "False"), Language.SPANISH: ("Verdadero", "Falso")}
TRUE_FALSE_OPTIONS = TRUE_FALSE_WORDS[Language.ENGLISH]

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
MIN_PAIRS = 2  # matching: pairs to match
MAX_PAIRS = 10  # Moodle's form offers 3 and more on request; 10 is plenty on a phone
MIN_ITEMS = 3  # timeline: events to put in order
MAX_ITEMS = 6
MAX_NUMERICAL_ANSWERS = 10
TOPIC_SLUG_MAX_LENGTH = 40
TOPIC_NAME_MAX_LENGTH = 80

# A question's details: the per-type structured part (see quizapp.domain.question_types), as JSON.
Details = Mapping[str, Any]
ID_MAX_LENGTH = 200
SOURCE_MAX_LENGTH = 200
TAG_MAX_LENGTH = 100


@dataclass(frozen=True)
class QuestionText:
    """A question's wording in one language: everything of a version that depends on the language.

    Options, pairs and events keep the same order in every language, so a response (an option's
    position, a pair, an order) is graded the same whichever language it was given in.
    """

    prompt: str
    answer: str
    accepted_answers: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    explanation: str = ""
    details: Details = field(default_factory=dict)


def text_as_json(text: QuestionText) -> dict[str, Any]:
    """``text`` as stored in a version's ``translations`` (JSON: lists, not tuples)."""
    return {
        "prompt": text.prompt,
        "answer": text.answer,
        "accepted_answers": list(text.accepted_answers),
        "options": list(text.options),
        "explanation": text.explanation,
        "details": dict(text.details),
    }


def text_from_json(stored: Mapping[str, Any]) -> QuestionText:
    """The text :func:`text_as_json` stored."""
    return QuestionText(
        prompt=stored["prompt"],
        answer=stored["answer"],
        accepted_answers=tuple(stored.get("accepted_answers", ())),
        options=tuple(stored.get("options", ())),
        explanation=stored.get("explanation", ""),
        details=stored.get("details", {}),
    )


@dataclass(frozen=True)
class QuestionDraft:
    """One question as the generator or an importer produces it, before storage.

    Attributes:
        id: stable identifier. For generated questions it is derived from the
            fact key and template name, so rebuilding the bank keeps it.
        topic: the slug of its topic (a :class:`BankTopic` for generated
            questions; any slug a teacher made or a file names).
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
        details: the structured part of its type (weights, per-answer
            feedback, pairs, events in order, numerical answers, text
            format); see :mod:`quizapp.domain.question_types`. Empty for a
            plain question of the first four types.
        topic_name: the topic's name as a file gives it (a Moodle category);
            used only when an import creates the topic. Not compared.
        language: the language of the wording above.
        translations: the same question in other languages, by language.
    """

    id: str
    topic: str
    type: QuestionType
    prompt: str
    answer: str
    accepted_answers: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    explanation: str = ""
    source: str = ""
    tags: tuple[str, ...] = field(default=())
    details: Details = field(default_factory=dict)
    topic_name: str = field(default="", compare=False)
    language: Language = DEFAULT_LANGUAGE
    translations: Mapping[Language, QuestionText] = field(default_factory=dict)

    def text_in(self, language: Language) -> QuestionText:
        """The wording in ``language``, else in the draft's own language."""
        if language != self.language and language in self.translations:
            return self.translations[language]
        return QuestionText(
            self.prompt, self.answer, self.accepted_answers, self.options, self.explanation, self.details
        )
