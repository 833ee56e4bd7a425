"""What every question-bank format shares: the problem report and reading uploads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quizapp.domain.questions import QuestionDraft

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}: {self.message}"


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


@dataclass(frozen=True)
class Format:
    """One entry of the :data:`quizapp.domain.formats.FORMATS` registry.

    Attributes:
        name: the registry key (``csv``, ``gift``, ``json``).
        label: a human name for menus.
        file_extension: the usual file name ending, with the dot.
        media_type: the MIME type to serve an export with.
        parse: ``parse(text, source_name="<upload>") -> list[QuestionDraft]``;
            raises ImportFormatError and nothing else.
        emit: ``emit(drafts) -> str``; ``parse(emit(drafts)) == drafts`` for
            drafts that are already normalized and valid.
    """

    name: str
    label: str
    file_extension: str
    media_type: str
    parse: Callable[..., list[QuestionDraft]]
    emit: Callable[[Sequence[QuestionDraft]], str]


def decode_upload(data: bytes, source_name: str = "<upload>") -> str:
    """Read an uploaded file as UTF-8 text, with or without a byte-order mark.

    Args:
        data: the raw bytes of the upload.
        source_name: the file name, kept on the error for the caller's message.

    Returns:
        The text without the byte-order mark; line endings are left as they are.

    Raises:
        ImportFormatError: if the file is binary (has NUL bytes), UTF-16 or
            anything else that is not valid UTF-8.
    """
    if data.startswith(_UTF16_BOMS):
        raise ImportFormatError(
            [Problem(None, "the file is UTF-16 (or UTF-32) encoded; save it as UTF-8 and upload it again")],
            source_name,
        )
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    nul = data.find(b"\x00")
    if nul != -1:
        raise ImportFormatError(
            [
                Problem(
                    data.count(b"\n", 0, nul) + 1,
                    "the file contains NUL bytes, so it is not a text file "
                    "(a spreadsheet or document must be saved as CSV or plain text first)",
                )
            ],
            source_name,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise ImportFormatError(
            [
                Problem(
                    line,
                    f"the file is not UTF-8 text (byte 0x{byte:02X} cannot be read); "
                    "it may be in Latin-1 or Windows-1252: save it as UTF-8 and upload it again",
                )
            ],
            source_name,
        ) from None
