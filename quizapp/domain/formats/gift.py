r"""Moodle GIFT question banks, read and written.

GIFT is Moodle's plain-text quiz format. Questions are separated by blank
lines; lines starting with ``//`` are comments. Every auto-graded GIFT
question imports, read as Moodle reads it:

* ``$CATEGORY: $course$/top/War of the Pacific/Leaders`` sets the topic of the
  questions after it: its last part (``Leaders``) names the topic, whose slug
  is made from it (``leaders``); Moodle's ``$course$``-style context and its
  ``top`` category name nothing. A topic the bank lacks is created by the
  import. Questions before any category (or after ``$CATEGORY: $course$/top``)
  go to the topic the upload form or ``--topic`` chooses
  (:class:`~quizapp.domain.formats.base.ImportOptions`); without one they
  are a problem.
* A file holds the questions of one language, the one the import is told
  (:class:`~quizapp.domain.formats.base.ImportOptions`); ids (titles) match
  the Spanish file of a question to its English one.
* ``::title::`` before the question text is stored as the question's **id**.
  A question without a title gets the id ``gift-`` followed by 12 hex digits
  of the SHA-1 of its prompt, so importing the same file twice gives the same
  ids.
* Multiple choice ``{=right ~wrong ~%50%half right ~%-25%penalized}``: the
  first ``=`` answer is worth the whole point, a ``~%n%`` answer n% of it
  (details ``weights``). Without any ``=`` answer it is a **multiple
  response** question (select all that apply), every answer's share its
  weight.
* True/false ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}`` (any case),
  ``{T#feedback when wrong#feedback when right}``.
* Short answer ``{=Cáceres =%50%Andrés =%0%*#Try again}``: full-credit
  answers (``=`` or ``=%100%``) become the answer and accepted answers, others
  worth their weight; ``*`` is any other response. ``{Cáceres}`` without
  ``=`` also works, as in Moodle.
* Numerical ``{#1883:2}`` (tolerance), ``{#1881..1883}`` (range),
  ``{#=1883 =%50%1883:3#Close}`` (several answers, each with its share and
  feedback): a **numerical** question. Feedback for any other number
  (``~#text``) has no place here and is dropped.
* Matching ``{=Chile -> Iglesias =Peru -> García Calderón = -> Montero}``:
  each ``=item -> match`` a pair, an empty item adds a match that answers
  nothing (a distractor). GIFT has no escape for ``->``, so an item holding
  one cannot be written (as in Moodle).
* Essays ``{}`` and descriptions (text without ``{}``) cannot be graded
  automatically: they are refused with their line, or skipped and listed
  with ``skip_unsupported``.
* Feedback: ``#text`` after an answer is kept for that answer (details
  ``feedback``, shown to a student who gives it); general feedback
  ``####text`` at the end of the block becomes the explanation.
* Text after the answer block (Moodle's "missing word" form) puts ``_____``
  where the block was.
* Formats, as Moodle reads them: a leading ``[html]``, ``[moodle]``,
  ``[plain]`` or ``[markdown]`` on a text sets its format; answers and
  feedback without a marker of their own take the question text's. A
  question whose text is ``[html]`` or ``[markdown]`` is an HTML question:
  its texts are kept as sanitized HTML (:mod:`.moodle_text`); options, items
  and answers are always plain text.
* Escapes: ``\~ \= \# \{ \} \:`` for the literal character, ``\n`` for a line
  break and ``\\`` for a backslash; any other backslash is kept.
* Moodle's tags in comments, ``// [tag:treaty] [tag:1883]``, become tags.

quizapp extensions, all of them Moodle comments so Moodle ignores them: a line
``// quizapp: {...}`` directly above a question (in the same block) holds a JSON
object with what GIFT has no place for: ``"type"`` (``"date"`` turns a short
answer or one exact year into a date question; it and ``"short_answer"``
keep answers or feedback containing ``->`` from being read as matching; ``"timeline"`` reads a
matching question ``=event -> 1 =event -> 2`` as the events in that order),
``"source"``, ``"tags"``, ``"labels"`` (a timeline's dates) and, for
multiple choice and true/false, ``"accepted_answers"``.

What :func:`emit` writes, so that :func:`parse` reads it back unchanged: a
``$CATEGORY: quizapp/<topic>`` block whenever the topic changes, then for each
question an optional ``// quizapp:`` line and::

    ::<id>:: [plain]<prompt> {
        =<right option>#<its feedback>
        ~%50%<option worth half>
        ~<wrong option>
        ####<explanation>
    }

with every text escaped (line breaks as ``\n``). Plain texts are written
``[plain]``, the format Moodle shows exactly as written; an HTML question's
``[html]``, its options ``[plain]``. Weights are percentages with up to 8
decimals, so a share with more digits than that is rounded. Dates known only
to the year are written ``#1883``, other dates as short answers, both marked
``"type": "date"``; timelines as matching questions of events and their
places (``=event -> 1``), marked ``"type": "timeline"``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from quizapp.domain.dates import DatePrecision
from quizapp.domain.formats.base import ImportOptions, ParsedFile
from quizapp.domain.formats.moodle_text import (
    HTML_FORMAT,
    PLAIN_FORMAT,
    category_leaf,
    category_topic,
    is_rich,
    percent,
    plain_text,
    share_of,
    shown_text,
)
from quizapp.domain.problems import N_, FieldProblem, Problem, quoted
from quizapp.domain.question_rules import TYPE_VALUES, DraftCollector, count_problem, parse_date_answer
from quizapp.domain.question_types.base import feedback, is_html, texts, weights
from quizapp.domain.question_types.matching import pairs_of
from quizapp.domain.question_types.numerical import numerical_answers
from quizapp.domain.questions import (
    MAX_NUMERICAL_ANSWERS,
    MAX_OPTIONS,
    MAX_PAIRS,
    TRUE_FALSE_WORDS,
    QuestionDraft,
    QuestionType,
)

CATEGORY_PREFIX = "$CATEGORY:"
CATEGORY_ROOT = "quizapp"
METADATA_PREFIX = "quizapp:"
DERIVED_ID_PREFIX = "gift-"
BLANK = "_____"
# Where questions in no category go while reading on; the problem reported already fails the file.
UNSORTED_TOPIC = "unsorted"

_MARKUP = "~=#{}:"
_ESCAPE_TABLE = str.maketrans({"\\": "\\\\", "\n": "\\n", **{char: "\\" + char for char in _MARKUP}})
_KNOWN_ESCAPE = re.compile(r"\\([\\n~=#{}:])")
_FORMAT_MARKER = re.compile(r"\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%", re.ASCII)
_TAG = re.compile(r"\[tag:([^\]]*)\]")
_TRUE_WORDS = ("T", "TRUE")
_FALSE_WORDS = ("F", "FALSE")
_METADATA_LISTS = ("tags", "accepted_answers", "labels")
_METADATA_KEYS = ("type", "source", *_METADATA_LISTS)


# ---------------------------------------------------------------------------
# Escaped text. "Raw" strings below are as written in the file; markup
# characters are those not escaped by a backslash. Every search below is one
# pass of a C string method over a "masked" copy, so reading a question costs
# time in proportion to its length, whatever its escapes and markup.


def _masked(raw: str) -> str:
    """``raw`` with its escaped pairs blanked out: its markup is that of ``raw``, at the same index."""
    if "\\" not in raw:
        return raw
    # Pairs are read from the left, as str.replace reads: escaped backslashes first, then
    # every backslash left escapes the character after it.
    masked = raw.replace("\\\\", "__")
    for char in _MARKUP:
        masked = masked.replace("\\" + char, "__")
    return masked


def _find(raw: str, char: str, start: int = 0) -> int:
    """Where the first markup ``char`` at or after ``start`` is, or -1."""
    return _masked(raw).find(char, start)


def _count(raw: str, chars: str) -> int:
    """How many markup characters among ``chars`` ``raw`` has."""
    masked = _masked(raw)
    return sum(masked.count(char) for char in chars)


def _split(raw: str, chars: str) -> list[tuple[str, str]]:
    """Split at markup ``chars``: (separator, segment) pairs, the first with separator ''."""
    pieces = []
    separator, start = "", 0
    for match in _separators(chars).finditer(_masked(raw)):
        position = match.start()
        pieces.append((separator, raw[start:position]))
        separator, start = raw[position], position + 1
    pieces.append((separator, raw[start:]))
    return pieces


@functools.cache
def _separators(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(chars)}]")


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    # split() gives text, escaped character, text, ...: each character stands for itself but n.
    parts = _KNOWN_ESCAPE.split(raw)
    parts[1::2] = "".join(parts[1::2]).replace("n", "\n")
    return "".join(parts)


def _text_format(raw: str, default: str) -> tuple[str, str]:
    """The format a text is in (its marker, else ``default``) and the text after the marker, stripped."""
    raw = raw.strip()
    if marker := _FORMAT_MARKER.match(raw):
        return marker[1], raw[marker.end() :].strip()
    return default, raw


def _escape(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_ESCAPE_TABLE)


def _escape_text(text: str) -> str:
    """Escape a text that inherits the question's plain format (so a leading marker must survive)."""
    escaped = _escape(text)
    return f"[{PLAIN_FORMAT}]{escaped}" if _FORMAT_MARKER.match(escaped) else escaped


# ---------------------------------------------------------------------------
# Reading


@dataclass
class _Reader:
    collector: DraftCollector
    options: ImportOptions
    topic: str | None = None
    topic_name: str = ""
    topic_problem_reported: bool = False
    skipped: list[Problem] = field(default_factory=list)

    def problem(self, line: int, message: Message) -> None:
        self.collector.problem(line, message)


# What is wrong with the question being read; the reader notes it on the question's line.
Message = Problem | FieldProblem


class _Unsupported(Exception):
    """A question Moodle has but quizapp cannot grade (an essay or a description), named by ``what``."""

    def __init__(self, what: Problem) -> None:
        super().__init__(what.message)
        self.what = what


def read(text: str, source_name: str = "<upload>", options: ImportOptions | None = None) -> ParsedFile:
    """Read a GIFT file (see the module documentation for what is supported).

    Raises:
        ImportFormatError: listing the problems of the file (see :class:`DraftCollector`).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _Reader(DraftCollector(source_name), options or ImportOptions())
    block: list[tuple[int, str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            _read_block(reader, block)
            block = []
    if block:
        _read_block(reader, block)
    return ParsedFile(reader.collector.finish(), reader.skipped)


def parse(text: str, source_name: str = "<upload>", options: ImportOptions | None = None) -> list[QuestionDraft]:
    """The questions of a GIFT file (see :func:`read`)."""
    return read(text, source_name, options).drafts


def _read_block(reader: _Reader, block: list[tuple[int, str]]) -> None:
    metadata_lines, tags, content = [], [], []
    for number, line in block:
        stripped = line.strip()
        if not stripped.startswith("//"):
            content.append((number, line))
        elif (comment := stripped[2:].lstrip()).startswith(METADATA_PREFIX):
            metadata_lines.append((number, comment[len(METADATA_PREFIX) :]))
        else:
            tags += [tag.strip() for tag in _TAG.findall(comment) if tag.strip()]
    if content and content[0][1].strip().startswith(CATEGORY_PREFIX):
        number, line = content.pop(0)
        _read_category(reader, number, line.strip()[len(CATEGORY_PREFIX) :])
    if not content:
        for number, _ in metadata_lines:
            reader.problem(
                number,
                Problem.of(None, N_("a // quizapp: comment must be directly above its question, without a blank line")),
            )
        return
    line_number = content[0][0]
    metadata = _read_metadata(reader, metadata_lines)
    raw = "\n".join(line for _, line in content).strip()
    messages: list[Message] = []
    try:
        fields = _read_question(raw, metadata, messages)
    except _Unsupported as unsupported:
        if reader.options.skip_unsupported:
            reader.skipped.append(replace(unsupported.what, line=line_number))
        else:
            reader.problem(
                line_number,
                Problem.of(
                    None,
                    N_(
                        "%(question)s cannot be graded automatically, so it cannot be imported: remove it, "
                        "or import with the option to skip such questions (--skip-unsupported)"
                    ),
                    question=unsupported.what,
                ),
            )
        return
    if fields is not None:
        fields["topic"], fields["topic_name"] = _topic_for(reader, messages)
        fields["tags"] = list(dict.fromkeys([*tags, *fields["tags"]]))
        fields["language"] = reader.options.language.value
        reader.collector.add(fields, line_number)
    for message in messages:
        reader.problem(line_number, message)


def _read_category(reader: _Reader, number: int, category: str) -> None:
    topic = category_topic(_unescape(category))
    if topic is None:  # the top of the course: the default topic
        reader.topic, reader.topic_name = None, ""
        return
    slug, name = topic
    if not slug:
        reader.problem(
            number,
            Problem.of(
                None,
                N_("category %(category)s gives no topic: its last part needs a letter or a digit"),
                category=quoted(name),
            ),
        )
        slug = UNSORTED_TOPIC
    reader.topic, reader.topic_name = slug, name


def _topic_for(reader: _Reader, messages: list[Message]) -> tuple[str, str]:
    """The topic slug and name of the question being read."""
    if reader.topic is not None:
        return reader.topic, reader.topic_name
    if reader.options.default_topic:
        return reader.options.default_topic, ""
    if not reader.topic_problem_reported:
        reader.topic_problem_reported = True
        messages.append(
            Problem.of(
                None,
                N_(
                    "this question and those after it are in no category: choose the topic they go to "
                    "(on the upload form, or --topic SLUG), or put a line like '$CATEGORY: %(root)s/leaders' "
                    "above them"
                ),
                root=CATEGORY_ROOT,
            )
        )
    return UNSORTED_TOPIC, ""


def _read_metadata(reader: _Reader, lines: list[tuple[int, str]]) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for number, text in lines:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            value = None
        if not isinstance(value, dict):
            reader.problem(
                number, Problem.of(None, N_('a // quizapp: comment must hold a JSON object such as {"source": "x"}'))
            )
            continue
        for key, item in value.items():
            if key == "type":
                if item not in TYPE_VALUES:
                    reader.problem(
                        number,
                        Problem.of(None, N_("quizapp: type must be one of: %(types)s"), types=", ".join(TYPE_VALUES)),
                    )
                    continue
            elif key == "source":
                if not isinstance(item, str):
                    reader.problem(number, Problem.of(None, N_("quizapp: source must be a string")))
                    continue
            elif key in _METADATA_LISTS:
                if not (isinstance(item, list) and all(isinstance(entry, str) for entry in item)):
                    reader.problem(number, Problem.of(None, N_("quizapp: %(key)s must be a list of strings"), key=key))
                    continue
            else:
                reader.problem(
                    number,
                    Problem.of(
                        None,
                        N_("quizapp: unknown key %(key)s (keys are: %(keys)s)"),
                        key=quoted(key),
                        keys=", ".join(_METADATA_KEYS),
                    ),
                )
                continue
            metadata[key] = item
    return metadata


@dataclass
class _Question:
    """What the answer block of one question says, as it is read."""

    text_format: str  # the question text's: its answers' and feedback's default
    type: QuestionType = QuestionType.SHORT_ANSWER
    answer: str = ""
    accepted_answers: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def rich(self) -> bool:
        return is_rich(self.text_format)

    def shown(self, raw: str) -> str:
        """A prompt, explanation or feedback as written (see :func:`.moodle_text.shown_text`)."""
        text_format, raw = _text_format(raw, self.text_format)
        return shown_text(_unescape(raw).strip(), text_format, rich=self.rich)

    def choice(self, raw: str) -> str:
        """An option or an item: always plain text."""
        text_format, raw = _text_format(raw, self.text_format)
        return plain_text(_unescape(raw).strip(), text_format).strip()

    def typed(self, raw: str) -> str:
        """A typed answer: Moodle drops its format marker and keeps it as written."""
        return _unescape(_text_format(raw, self.text_format)[1]).strip()

    def comment(self, text: str, raw_feedback: str) -> None:
        if comment := self.shown(raw_feedback):
            self.details.setdefault("feedback", {})[text] = comment


def _read_question(raw: str, metadata: dict[str, Any], messages: list[Message]) -> dict[str, Any] | None:
    """The fields of one question from its text (comments removed), or None if unreadable.

    Raises:
        _Unsupported: the question is an essay or a description.
    """
    title = ""
    if raw.startswith("::"):
        end = _masked(raw).find("::", 2)
        if end == -1:
            messages.append(Problem.of(None, N_("the title ::... is not closed with ::")))
            return None
        title = _unescape(raw[2:end]).strip()
        raw = raw[end + 2 :]
    masked = _masked(raw)
    opening = masked.find("{")
    closing = masked.find("}", opening + 1 if opening != -1 else 0)
    if opening == -1 and closing == -1:
        raise _Unsupported(
            Problem.of(
                None,
                N_("the description %(title)s (text without answers)"),
                title=quoted(title or _unescape(raw).strip()),
            )
        )
    if opening == -1 or closing == -1:
        messages.append(
            Problem.of(None, N_("the answer block needs both { and } (write \\{ and \\} for literal braces)"))
        )
        return None
    if masked.find("{", opening + 1, closing) != -1:
        messages.append(Problem.of(None, N_("a { inside the answer block must be written \\{")))
        return None
    after_block = max(masked.find("{", closing + 1), masked.find("}", closing + 1))
    if after_block != -1 or masked.find("}", 0, opening) != -1:
        messages.append(
            Problem.of(None, N_("a question may have only one answer block (write \\{ and \\} for literal braces)"))
        )
        return None

    after = raw[closing + 1 :]
    prompt_raw = raw[:opening] + BLANK + after if after.strip() else raw[:opening]
    # Moodle's default for a question text; its answers and feedback default to the text's format.
    question = _Question(_text_format(prompt_raw, "moodle")[0])
    body = raw[opening + 1 : closing]
    if not body.strip():
        raise _Unsupported(
            Problem.of(None, N_("the essay question %(title)s"), title=quoted(title or question.shown(prompt_raw)))
        )
    explanation = ""
    if (start := _masked(body).rfind("####")) != -1:  # Moodle takes the last one
        explanation = question.shown(body[start + 4 :])
        body = body[:start]
    body = body.strip()
    declared = metadata.get("type")
    if not _read_answers(question, body, declared, messages):
        return None
    if not _apply_declared_type(question, declared, metadata, messages):
        return None
    if question.rich:
        question.details["format"] = HTML_FORMAT
    prompt = question.shown(prompt_raw)
    return {
        "id": title or DERIVED_ID_PREFIX + _prompt_hash(prompt),
        "type": question.type.value,
        "prompt": prompt,
        "answer": question.answer,
        "accepted_answers": question.accepted_answers + metadata.get("accepted_answers", []),
        "options": question.options,
        "explanation": explanation,
        "source": metadata.get("source", ""),
        "tags": metadata.get("tags", []),
        "details": question.details,
    }


def _prompt_hash(prompt: str) -> str:
    return hashlib.sha1(prompt.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _read_answers(question: _Question, body: str, declared: object, messages: list[Message]) -> bool:
    """Read an answer block into ``question``, as Moodle tells its type; False if it cannot be read."""
    if body.startswith("#"):
        return _read_numerical(question, body[1:], messages)
    if _find(body, "~") != -1:
        return _read_choices(question, body, messages)
    if _find(body, "=") != -1 and "->" in body and declared not in (QuestionType.SHORT_ANSWER, QuestionType.DATE):
        return _read_matching(question, body, messages)
    feedback_at = _find(body, "#")
    # Moodle wants capitals; a lower-case {true} is no short answer anyone means.
    head = (body[:feedback_at] if feedback_at != -1 else body).strip().upper()
    if head in _TRUE_WORDS + _FALSE_WORDS:
        _read_true_false(question, body, head in _TRUE_WORDS)
        return True
    return _read_short_answer(question, body, messages)


def _apply_declared_type(
    question: _Question, declared: object, metadata: dict[str, Any], messages: list[Message]
) -> bool:
    """Turn what was read into the type a ``// quizapp:`` comment declares, where the answers allow it."""
    if declared is None or declared == question.type:
        return True
    if declared == QuestionType.DATE and question.type == QuestionType.SHORT_ANSWER:
        question.type = QuestionType.DATE
        return True
    if declared == QuestionType.DATE and question.type == QuestionType.NUMERICAL:
        answers = question.details.get("answers", [])
        if len(answers) == 1 and answers[0]["tolerance"] == 0 and float(answers[0]["value"]).is_integer():
            question.type, question.answer = QuestionType.DATE, str(int(answers[0]["value"]))
            question.details = {key: value for key, value in question.details.items() if key != "answers"}
            if comment := answers[0].get("feedback"):
                question.details["feedback"] = {question.answer: comment}
            return True
    if declared == QuestionType.TIMELINE and question.type == QuestionType.MATCHING:
        places = {match: item for item, match in question.details["pairs"]}
        order = [str(place) for place in range(1, len(places) + 1)]
        if sorted(places) == sorted(order) and not question.details.get("distractors"):
            question.type = QuestionType.TIMELINE
            question.details = {"items": [places[place] for place in order]}
            if labels := metadata.get("labels"):
                question.details["labels"] = labels
            return True
        messages.append(
            Problem.of(
                None, N_("a timeline is written as matching its events with their places: =event -> 1 =event -> 2 …")
            )
        )
        return False
    messages.append(
        Problem.of(
            None,
            N_("the // quizapp: comment says type %(declared)s but the answers are %(found)s"),
            declared=str(declared),
            found=question.type.value,
        )
    )
    return False


def _answer_parts(segment: str, *, weighted: bool = True) -> tuple[float | None, str, str]:
    """Weight (a share of the point, None when absent), text and feedback of one answer, all raw."""
    segment = segment.strip()
    weight = None
    if weighted and (match := _WEIGHT.match(segment)):
        weight = share_of(match[1])
        segment = segment[match.end() :]
    feedback_at = _find(segment, "#")
    if feedback_at == -1:
        return weight, segment, ""
    return weight, segment[:feedback_at], segment[feedback_at + 1 :]


def _answers(body: str, separators: str) -> list[tuple[str, str]]:
    """The (separator, answer) pairs of a block, without the empty text before the first separator."""
    pieces = _split(body, separators)
    return pieces[1:] if not pieces[0][1].strip() else pieces


def _read_choices(question: _Question, body: str, messages: list[Message]) -> bool:
    if too_many := count_problem("options", _count(body, "=~")):
        messages.append(too_many)
        return False
    pieces = _split(body, "=~")
    if pieces[0][1].strip():
        messages.append(
            Problem.of(None, N_("text before the first answer: start every answer with = (right) or ~ (wrong)"))
        )
        return False
    # As in Moodle: without an = answer, several answers may be right (multiple response).
    single = any(separator == "=" for separator, _ in pieces)
    question.type = QuestionType.MULTIPLE_CHOICE if single else QuestionType.MULTIPLE_RESPONSE
    shares: dict[str, float] = {}
    for separator, segment in pieces[1:]:
        # Moodle reads no weight after =: it is the whole point.
        weight, raw_text, raw_feedback = _answer_parts(segment, weighted=separator != "=")
        text = question.choice(raw_text)
        if not text:
            messages.append(Problem.of(None, N_("an answer is empty")))
            continue
        question.options.append(text)
        if separator == "=" and not question.answer:
            question.answer = text
        elif separator == "=":
            shares[text] = 1.0
        elif weight:  # a weight of 0 is a wrong answer, as without one
            shares[text] = weight
        question.comment(text, raw_feedback)
    if shares:
        question.details["weights"] = shares
    return not messages


def _read_true_false(question: _Question, body: str, is_true: bool) -> None:
    # Moodle: {T#feedback when wrong#feedback when right}, the rest of the block after the second #.
    question.type = QuestionType.TRUE_FALSE
    question.answer, other = ("True", "False") if is_true else ("False", "True")
    pieces = [segment for _, segment in _split(body, "#")]
    if len(pieces) > 1:
        question.comment(other, pieces[1])
    if len(pieces) > 2:
        question.comment(question.answer, "#".join(pieces[2:]))


def _read_short_answer(question: _Question, body: str, messages: list[Message]) -> bool:
    answer_count = _count(body, "=") + (0 if body.startswith("=") else 1)
    # Counted before anything is read answer by answer, so a block of a million answers costs little.
    if too_many := count_problem("accepted_answers", answer_count - 1):
        messages.append(too_many)
        return False
    question.type = QuestionType.SHORT_ANSWER
    full, shares = [], {}
    for _, segment in _answers(body, "="):
        weight, raw_text, raw_feedback = _answer_parts(segment)
        text = question.typed(raw_text)
        if not text:
            messages.append(Problem.of(None, N_("an answer is empty")))
            continue
        if weight is None or weight == 1:
            full.append(text)
        else:
            shares[text] = weight
        question.comment(text, raw_feedback)
    if not full and not messages:
        messages.append(
            Problem.of(None, N_("a short answer needs an answer worth the whole point (=answer or =%100%answer)"))
        )
    if messages:
        return False
    question.answer, question.accepted_answers = full[0], full[1:]
    if shares:
        question.details["weights"] = shares
    return True


def _read_numerical(question: _Question, body: str, messages: list[Message]) -> bool:
    question.type = QuestionType.NUMERICAL
    other_feedback_at = _find(body, "~")
    if other_feedback_at != -1:
        body = body[:other_feedback_at]  # feedback for any other number: no place for it
    too_many_answers = N_("numerical answers: at most %(most)d are allowed, found %(count)d")
    if too_many := _count_problem(_count(body, "="), MAX_NUMERICAL_ANSWERS, too_many_answers):
        messages.append(too_many)
        return False
    answers = []
    for _, segment in _answers(body, "="):
        weight, raw_value, raw_feedback = _answer_parts(segment)
        value = question.typed(raw_value)
        number = _numerical_answer(value)
        if number is None:
            messages.append(
                Problem.of(
                    None,
                    N_(
                        "the numerical answer %(value)s is not a number, a number with its tolerance "
                        "(1883:2) or a range (1881..1883)"
                    ),
                    value=quoted(value),
                )
            )
            continue
        entry: dict[str, Any] = {"value": number[0], "tolerance": number[1], "share": 1.0 if weight is None else weight}
        if comment := question.shown(raw_feedback):
            entry["feedback"] = comment
        answers.append(entry)
    if not answers and not messages:
        messages.append(Problem.of(None, N_("a numerical question needs a number, e.g. {#1883}")))
    if messages:
        return False
    question.details["answers"] = answers
    return True


def _count_problem(count: int, most: int, too_many: str) -> Problem | None:
    """Counted before anything is read answer by answer, so a block of a million answers costs little."""
    return Problem.of(None, too_many, most=most, count=count) if count > most else None


def _numerical_answer(text: str) -> tuple[float, float] | None:
    """The value and tolerance of ``1883``, ``1883:2`` or ``1881..1885``; None if it is none of these."""
    try:
        if (marker := text.find("..")) > 0:
            low, high = float(text[:marker]), float(text[marker + 2 :])
            value = (low + high) / 2
            result = (value, abs(high - value))
        elif (marker := text.find(":")) > 0:
            result = (float(text[:marker]), abs(float(text[marker + 1 :])))
        else:
            result = (float(text), 0.0)
    except ValueError:
        return None
    return result if all(math.isfinite(number) for number in result) else None


def _read_matching(question: _Question, body: str, messages: list[Message]) -> bool:
    question.type = QuestionType.MATCHING
    too_many_pairs = N_("pairs and distractors: at most %(most)d are allowed, found %(count)d")
    if too_many := _count_problem(_count(body, "="), MAX_PAIRS + MAX_OPTIONS, too_many_pairs):
        messages.append(too_many)
        return False
    pairs, distractors = [], []
    for _, segment in _answers(body, "="):
        marker = _masked(segment).find("->")
        if marker == -1:
            messages.append(
                Problem.of(
                    None,
                    N_("a matching answer must be written =item -> match, not %(segment)s"),
                    segment=quoted(segment.strip()),
                )
            )
            continue
        item, match = question.choice(segment[:marker]), question.typed(segment[marker + 2 :])
        if item:
            pairs.append([item, match])
        elif match:
            distractors.append(match)
    if messages:
        return False
    question.details["pairs"] = pairs
    if distractors:
        question.details["distractors"] = distractors
    return True


# ---------------------------------------------------------------------------
# Writing


def emit(drafts: Sequence[QuestionDraft]) -> str:
    """Write drafts as GIFT that Moodle imports and :func:`parse` reads back unchanged."""
    blocks = [
        "// quizapp question bank in Moodle GIFT format.\n"
        "// '// quizapp:' lines hold fields GIFT has no place for; Moodle ignores them."
    ]
    topic = None
    for draft in drafts:
        if draft.topic != topic:
            topic = draft.topic
            blocks.append(f"{CATEGORY_PREFIX} {CATEGORY_ROOT}/{category_leaf(topic, draft.topic_name)}")
        blocks.append(_emit_question(draft))
    return "\n\n".join(blocks) + "\n"


@dataclass
class _Writer:
    """The answer lines of one question being written."""

    draft: QuestionDraft
    lines: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def rich(self) -> bool:
        return is_html(self.draft)

    def choice(self, text: str) -> str:
        """An option or item: plain text, marked so in an HTML question."""
        return f"[{PLAIN_FORMAT}]{_escape(text)}" if self.rich else _escape_text(text)

    def shown(self, text: str) -> str:
        """A prompt, explanation or feedback, in the question's format (so a leading marker must survive)."""
        if not self.rich:
            return _escape_text(text)
        escaped = _escape(text)
        return f"[{HTML_FORMAT}]{escaped}" if _FORMAT_MARKER.match(escaped) else escaped

    def with_feedback(self, line: str, text: str) -> str:
        comment = feedback(self.draft).get(text, "")
        return f"{line}#{self.shown(comment)}" if comment else line


def _emit_question(draft: QuestionDraft) -> str:
    writer = _Writer(draft)
    _EMITTERS[draft.type](writer)
    if draft.explanation:
        writer.lines.append("####" + writer.shown(draft.explanation))
    if draft.source:
        writer.metadata["source"] = draft.source
    if draft.tags:
        writer.metadata["tags"] = list(draft.tags)
    if draft.accepted_answers and draft.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE):
        writer.metadata["accepted_answers"] = list(draft.accepted_answers)
    text = ""
    if writer.metadata:
        text += f"// {METADATA_PREFIX} {json.dumps(writer.metadata, ensure_ascii=False)}\n"
    marker = HTML_FORMAT if writer.rich else PLAIN_FORMAT
    text += f"::{_escape(draft.id)}:: [{marker}]{_escape(draft.prompt)} {{\n"
    text += "".join(f"\t{line}\n" for line in writer.lines)
    return text + "}"


def _emit_choices(writer: _Writer) -> None:
    shares = weights(writer.draft)
    single = writer.draft.type == QuestionType.MULTIPLE_CHOICE
    for option in writer.draft.options:
        if single and option == writer.draft.answer:
            line = "=" + writer.choice(option)
        elif option in shares or _WEIGHT.match(writer.choice(option)):
            line = f"~%{percent(shares.get(option, 0.0))}%{writer.choice(option)}"
        else:
            line = "~" + writer.choice(option)
        writer.lines.append(writer.with_feedback(line, option))


def _emit_true_false(writer: _Writer) -> None:
    draft = writer.draft
    true, false = TRUE_FALSE_WORDS[draft.language]  # a normalized draft's words, in its language
    other = false if draft.answer == true else true
    comments = feedback(draft)
    line = "TRUE" if draft.answer == true else "FALSE"
    if comments.get(other) or comments.get(draft.answer):
        line += "#" + writer.shown(comments.get(other, ""))
    if comments.get(draft.answer):
        line += "#" + writer.shown(comments[draft.answer])
    writer.lines.append(line)


def _typed(text: str, share: float) -> str:
    escaped = _escape_text(text)
    # Without an explicit weight, a text like "%50% of the vote" would be read as one.
    return f"%{percent(share)}%{escaped}" if share != 1 or _WEIGHT.match(escaped) else escaped


def _emit_short_answer(writer: _Writer) -> None:
    draft = writer.draft
    full = [draft.answer, *draft.accepted_answers]
    for answer in full:
        writer.lines.append(writer.with_feedback("=" + _typed(answer, 1.0), answer))
    for answer, share in weights(draft).items():
        if answer not in full:
            writer.lines.append(writer.with_feedback("=" + _typed(answer, share), answer))
    if draft.type == QuestionType.DATE:
        writer.metadata["type"] = QuestionType.DATE.value
    elif any("->" in line for line in writer.lines):  # else read as matching, as Moodle would
        writer.metadata["type"] = QuestionType.SHORT_ANSWER.value


def _emit_date(writer: _Writer) -> None:
    draft = writer.draft
    if draft.accepted_answers or not _is_year_only(draft.answer):
        _emit_short_answer(writer)
        return
    writer.lines.append(writer.with_feedback(f"#{draft.answer}", draft.answer))
    writer.metadata["type"] = QuestionType.DATE.value


def _emit_numerical(writer: _Writer) -> None:
    writer.lines.append("#")
    for answer in numerical_answers(writer.draft.details):
        line = f"=%{percent(answer.share)}%{_number(answer.value)}:{_number(answer.tolerance)}"
        writer.lines.append(f"{line}#{writer.shown(answer.feedback)}" if answer.feedback else line)


def _number(number: float) -> str:
    """A number exactly as Python reads it back (``1883``, ``0.1``)."""
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _emit_matching(writer: _Writer) -> None:
    for item, match in pairs_of(writer.draft.details):
        writer.lines.append(f"={writer.choice(item)} -> {_escape_text(match)}")
    writer.lines += [f"= -> {_escape_text(text)}" for text in texts(writer.draft.details, "distractors")]


def _emit_timeline(writer: _Writer) -> None:
    items = texts(writer.draft.details, "items")
    writer.lines += [f"={writer.choice(item)} -> {place}" for place, item in enumerate(items, start=1)]
    writer.metadata["type"] = QuestionType.TIMELINE.value
    if labels := texts(writer.draft.details, "labels"):
        writer.metadata["labels"] = labels


_EMITTERS = {
    QuestionType.MULTIPLE_CHOICE: _emit_choices,
    QuestionType.MULTIPLE_RESPONSE: _emit_choices,
    QuestionType.TRUE_FALSE: _emit_true_false,
    QuestionType.SHORT_ANSWER: _emit_short_answer,
    QuestionType.DATE: _emit_date,
    QuestionType.NUMERICAL: _emit_numerical,
    QuestionType.MATCHING: _emit_matching,
    QuestionType.TIMELINE: _emit_timeline,
}


def _is_year_only(answer: str) -> bool:
    try:
        date = parse_date_answer(answer)
    except ValueError:
        return False
    return date.precision == DatePrecision.YEAR and answer == date.display()
