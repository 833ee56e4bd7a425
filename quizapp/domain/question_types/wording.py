"""A question as a student reads it in one language: the wording grading and the pages use.

A version (or draft) is one question in every language it is written in; its options, pairs and
events keep the same order in each, so an option shown in one language is, at the same position,
the same option in another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from quizapp.domain.languages import Language
from quizapp.domain.questions import Details, QuestionText, QuestionType


class Translatable(Protocol):
    """A question written in one language and perhaps translated: a stored version or a draft."""

    @property
    def type(self) -> str: ...

    @property
    def language(self) -> Language: ...

    @property
    def translations(self) -> Mapping[Any, Any]: ...

    def text_in(self, language: Language) -> QuestionText: ...


@dataclass(frozen=True)
class Wording:
    """A question's type and its text in one language; it grades and shows like the question itself.

    Attributes:
        type: the question's type.
        language: the language of ``text`` (the question's own language when it has no
            translation into the language asked for).
        text: the wording.
    """

    type: QuestionType
    language: Language
    text: QuestionText

    @property
    def prompt(self) -> str:
        return self.text.prompt

    @property
    def answer(self) -> str:
        return self.text.answer

    @property
    def accepted_answers(self) -> Sequence[str]:
        return self.text.accepted_answers

    @property
    def options(self) -> Sequence[str]:
        return self.text.options

    @property
    def explanation(self) -> str:
        return self.text.explanation

    @property
    def details(self) -> Details:
        return self.text.details


def written_in(question: Translatable) -> list[Language]:
    """The languages the question is written in: its own, then its translations' (in Language order)."""
    return [question.language] + [
        language for language in Language if language != question.language and language in question.translations
    ]


def wording(question: Translatable, language: Language) -> Wording:
    """The question in ``language``, else in its own language."""
    shown = language if language in written_in(question) else question.language
    return Wording(QuestionType(question.type), shown, question.text_in(shown))


def wordings(question: Translatable, language: Language) -> list[Wording]:
    """The question in ``language`` (else its own), then in each other language it is written in."""
    first = wording(question, language)
    return [first] + [wording(question, other) for other in written_in(question) if other != first.language]
