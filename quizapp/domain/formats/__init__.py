"""Question bank import and export: CSV, Moodle GIFT, Moodle XML and JSON, plus Anki decks.

:data:`FORMATS` maps a format name to a :class:`Format` whose ``read`` reads
a whole file into validated, normalized drafts and the questions it left
out (:class:`ParsedFile`, as :class:`ImportOptions` asks), or raises one
:class:`ImportFormatError` listing every problem, up to
:data:`~quizapp.domain.question_rules.MAX_PROBLEMS`; ``parse`` gives the
drafts alone, and ``emit`` writes drafts so that ``parse`` reads them back
unchanged, for every question type. CSV and JSON carry every language of a
question; GIFT, Moodle XML and Anki files hold one (:func:`worded_in`).
Parsing takes time
in proportion to the file's size: see docs/BENCHMARKS.md. Uploaded bytes go through
:func:`decode_upload` first. The conventions of each format are documented in
its module; Anki export is :func:`quizapp.domain.formats.anki.build_apkg`.
"""

from __future__ import annotations

from types import MappingProxyType

from quizapp.domain.formats import csv_format, gift, json_format, moodle_xml
from quizapp.domain.formats.base import Format, ImportOptions, ParsedFile, decode_upload, reading_all, worded_in
from quizapp.domain.problems import N_, ImportFormatError, Problem
from quizapp.domain.question_rules import normalize_draft, parse_date_answer, validate_draft

FORMATS: MappingProxyType[str, Format] = MappingProxyType(
    {
        "csv": Format(
            "csv", N_("CSV (spreadsheet)"), ".csv", "text/csv", reading_all(csv_format.parse), csv_format.emit
        ),
        "gift": Format("gift", "Moodle GIFT", ".gift.txt", "text/plain", gift.read, gift.emit),
        "moodlexml": Format(
            "moodlexml", "Moodle XML", ".moodle.xml", "application/xml", moodle_xml.read, moodle_xml.emit
        ),
        "json": Format("json", "JSON", ".json", "application/json", reading_all(json_format.parse), json_format.emit),
    }
)

# Formats whose file holds every language of a question; a file of the others (and an Anki deck)
# holds one language: see worded_in.
ALL_LANGUAGE_FORMATS = frozenset({"csv", "json"})

__all__ = [
    "ALL_LANGUAGE_FORMATS",
    "FORMATS",
    "Format",
    "ImportFormatError",
    "ImportOptions",
    "ParsedFile",
    "Problem",
    "decode_upload",
    "normalize_draft",
    "parse_date_answer",
    "validate_draft",
    "worded_in",
]
