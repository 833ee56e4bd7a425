"""What every question-bank format shares: its description and reading uploads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from quizapp.domain.languages import DEFAULT_LANGUAGE, Language
from quizapp.domain.problems import N_, ImportFormatError, Problem
from quizapp.domain.question_rules import with_text
from quizapp.domain.questions import QuestionDraft

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file, as the upload form or the command line says.

    Attributes:
        default_topic: the topic slug of questions the file puts in no
            category (GIFT without ``$CATEGORY``, Moodle XML without a
            category question); empty: such questions are a problem.
        skip_unsupported: leave out questions that cannot be graded
            automatically (essays, descriptions), listing them, instead of
            refusing the file.
        language: the language of the file's questions (GIFT, Moodle XML),
            or of those that do not name theirs (CSV, JSON).
    """

    default_topic: str = ""
    skip_unsupported: bool = False
    language: Language = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class ParsedFile:
    """What a file holds: its questions, and what was left out (``line 12: essay 'title'``), as problems."""

    drafts: list[QuestionDraft]
    skipped: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Format:
    """One entry of the :data:`quizapp.domain.formats.FORMATS` registry.

    Attributes:
        name: the registry key (``csv``, ``gift``, ``json``).
        label: a human name for menus.
        file_extension: the usual file name ending, with the dot.
        media_type: the MIME type to serve an export with.
        read: ``read(text, source_name, options) -> ParsedFile``; raises
            ImportFormatError and nothing else.
        emit: ``emit(drafts) -> str``; ``parse(emit(drafts)) == drafts`` for
            drafts that are already normalized and valid.
    """

    name: str
    label: str
    file_extension: str
    media_type: str
    read: Callable[[str, str, ImportOptions], ParsedFile]
    emit: Callable[[Sequence[QuestionDraft]], str]

    def parse(
        self, text: str, source_name: str = "<upload>", options: ImportOptions | None = None
    ) -> list[QuestionDraft]:
        """The questions of a file (see :attr:`read`)."""
        return self.read(text, source_name, options or ImportOptions()).drafts


def reading_all(
    parse: Callable[[str, str, Language], list[QuestionDraft]],
) -> Callable[[str, str, ImportOptions], ParsedFile]:
    """``read`` for a format whose every question names its topic and is supported (CSV, JSON)."""

    def read(text: str, source_name: str, options: ImportOptions) -> ParsedFile:
        return ParsedFile(parse(text, source_name, options.language))

    return read


def worded_in(drafts: Sequence[QuestionDraft], language: Language) -> list[QuestionDraft]:
    """The drafts that have a wording in ``language``, each worded in it alone (a GIFT, Moodle XML or Anki
    file holds one language); questions without that language are left out."""
    return [
        with_text(draft, language, draft.text_in(language))
        for draft in drafts
        if draft.language == language or language in draft.translations
    ]


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
            [Problem.of(None, N_("the file is UTF-16 (or UTF-32) encoded; save it as UTF-8 and upload it again"))],
            source_name,
        )
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    nul = data.find(b"\x00")
    if nul != -1:
        raise ImportFormatError(
            [
                Problem.of(
                    data.count(b"\n", 0, nul) + 1,
                    N_(
                        "the file contains NUL bytes, so it is not a text file "
                        "(a spreadsheet or document must be saved as CSV or plain text first)"
                    ),
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
                Problem.of(
                    line,
                    N_(
                        "the file is not UTF-8 text (byte %(byte)s cannot be read); "
                        "it may be in Latin-1 or Windows-1252: save it as UTF-8 and upload it again"
                    ),
                    byte=f"0x{byte:02X}",
                )
            ],
            source_name,
        ) from None
