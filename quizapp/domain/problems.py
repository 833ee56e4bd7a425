"""What is wrong with a file or a question, for the person who wrote it: problems with their line.

A problem's ``message`` is English. A problem made with ``of`` also keeps the
message's ``template`` (its msgid, marked with :func:`N_` where it is written)
and ``params``, so the interface words it in the reader's language with
gettext: one definition of each text, and the domain never imports Flask.
A parameter that is itself a problem (the problem of one question of a file)
or :class:`Words` (a word of ours, such as a field's name) is worded too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Self


def N_(message: str) -> str:
    """Mark a message for extraction into the catalogs (``pybabel extract -k N_``); the view translates it."""
    return message


class Words(str):
    """A parameter of a problem's message that is our own wording, translated with the message."""

    __slots__ = ()


Params = Mapping[str, object]


def english(template: str, params: Params) -> str:
    """A message template filled in, in English."""
    return template % dict(params) if params else template


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file.

    Attributes:
        line: the 1-based line of the file the problem is on, or None when it
            concerns the file as a whole.
        message: what is wrong, written for the person who made the file.
    """

    line: int | None
    message: str
    template: str = dataclasses.field(default="", compare=False)
    params: Params = dataclasses.field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, at_line: int | None, template: str, **params: object) -> Self:
        """A problem whose message the interface can word in the reader's language."""
        return cls(at_line, english(template, params), template, params)

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with a question, tagged with the field it concerns.

    Attributes:
        field: the :class:`~quizapp.domain.questions.QuestionDraft` field it
            is about (``prompt``, ``answer``, ``options``, ``topic``, ...) or,
            for the structured part of a type, ``details.<key>``
            (``details.pairs``); forms place the message by it.
        message: what is wrong, written for the person who wrote the question.
    """

    field: str
    message: str
    template: str = dataclasses.field(default="", compare=False)
    params: Params = dataclasses.field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, field_name: str, template: str, **params: object) -> Self:
        """A problem whose message the interface can word in the reader's language."""
        return cls(field_name, english(template, params), template, params)

    def __str__(self) -> str:
        return self.message


class ImportFormatError(ValueError):
    """A file could not be imported; ``problems`` lists what was found wrong (reading stops after 100).

    ``str(error)`` is one problem a line, e.g. ``line 12: options must be distinct``.
    """

    def __init__(self, problems: Sequence[Problem], source_name: str = "<upload>") -> None:
        # Whole-file problems first, then in file order; stable for equal lines.
        self.problems: list[Problem] = sorted(
            problems, key=lambda problem: -1 if problem.line is None else problem.line
        )
        self.source_name = source_name
        super().__init__("\n".join(str(problem) for problem in self.problems))


def shortened(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, the last an ellipsis: messages echo a file, never all of it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str, limit: int = 60) -> str:
    """:func:`shortened` text in quotes, for a problem message."""
    return repr(shortened(text, limit))


def raise_if_problems(problems: Sequence[Problem], source_name: str) -> None:
    """Raise one ImportFormatError holding ``problems`` unless there are none."""
    if problems:
        raise ImportFormatError(problems, source_name)
