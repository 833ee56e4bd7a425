r"""Moodle GIFT question banks, read and written.

GIFT is Moodle's plain-text quiz format. Questions are separated by blank
lines; lines starting with ``//`` are comments. What is read:

* ``$CATEGORY: quizapp/leaders`` sets the topic of the questions after it: the
  last ``/`` segment must be a topic (``dates``, ``leaders``,
  ``recognitions``, ``people``, ``events``; any case).
* ``::title::`` before the question text is stored as the question's **id**.
  A question without a title gets the id ``gift-`` followed by 12 hex digits
  of the SHA-1 of its prompt, so importing the same file twice gives the same
  ids.
* Multiple choice ``{=right ~wrong ~wrong}``; exactly one right answer
  (``=``, or ``~%100%``). Other weights (partial credit) are rejected.
* True/false ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}`` (any case).
* Short answer ``{=Cáceres =Andrés Cáceres}``: the first is the answer, the
  others accepted answers (``{Cáceres}`` without ``=`` also works, as in Moodle).
* Numerical ``{#1883}`` (or ``{#1883:0}``) becomes a **date** question with
  year precision; the number must be a whole year from 1000 to 2100. Ranges,
  tolerances and several numerical answers are rejected.
* Feedback: ``#text`` after the right answer (for true/false the second
  ``#``, the feedback shown when the student is right) and general feedback
  ``####text`` at the end of the block both become the explanation (joined by
  a line break when both are given). Feedback on wrong answers is dropped.
* Text after the answer block (Moodle's "missing word" form) puts ``_____``
  where the block was.
* Format markers, as Moodle reads them: a leading ``[html]``, ``[moodle]``,
  ``[plain]`` or ``[markdown]`` on the question text sets its format, and
  answers and feedback without a marker of their own take the question
  text's. The marker is removed; ``[html]`` text has its character
  references read (``&lt;b&gt;`` becomes ``<b>``, tags are kept as written),
  other formats are kept as written. Short answers are never read as HTML:
  Moodle compares them with what students type and never shows them as HTML.
* Escapes: ``\~ \= \# \{ \} \:`` for the literal character, ``\n`` for a line
  break and ``\\`` for a backslash; any other backslash is kept.
* Essay ``{}``, matching ``{=a -> b}`` and descriptions without ``{}`` are
  reported as unsupported.

quizapp extensions, all of them Moodle comments so Moodle ignores them: a line
``// quizapp: {...}`` directly above a question (in the same block) holds a JSON
object with what GIFT has no place for: ``"type"`` (``"date"`` turns a short
answer into a date question; ``"short_answer"`` keeps answers containing
``->`` from being read as matching), ``"source"``, ``"tags"`` and, for
multiple choice and true/false, ``"accepted_answers"``.

What :func:`emit` writes, so that :func:`parse` reads it back unchanged: a
``$CATEGORY: quizapp/<topic>`` block whenever the topic changes, then for each
question an optional ``// quizapp:`` line and::

    ::<id>:: [plain]<prompt> {
        =<right option>
        ~<wrong option>
        ####<explanation>
    }

with every text escaped (line breaks as ``\n``). Our texts are plain text,
and ``[plain]`` is the format Moodle shows exactly as written (it escapes the
HTML and applies no filters); answers and the explanation inherit it. A
prompt like ``<b>x</b>`` therefore shows its tags in Moodle, as it does here. True/false questions are
written ``TRUE``/``FALSE``; short answers ``=answer`` then ``=accepted``; dates
known only to the year ``#1883``, other dates as short answers (``=20 October
1883``) marked ``"type": "date"``. A text that would otherwise be read as a
format marker or a weight gets a ``[plain]`` marker or an explicit ``%100%`` /
``%0%`` weight in front.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from quizapp.domain.dates import DatePrecision
from quizapp.domain.problems import quoted, shortened
from quizapp.domain.question_rules import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    TYPE_VALUES,
    DraftCollector,
    count_problem,
    parse_date_answer,
)
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType

TOPIC_VALUES = tuple(BankTopic)

CATEGORY_PREFIX = "$CATEGORY:"
CATEGORY_ROOT = "quizapp"
METADATA_PREFIX = "quizapp:"
DERIVED_ID_PREFIX = "gift-"
BLANK = "_____"
# Moodle shows [plain] text exactly as written: HTML escaped, line breaks kept, no filters.
EXPORT_FORMAT = "plain"

_MARKUP = "~=#{}:"
_ESCAPE_TABLE = str.maketrans({"\\": "\\\\", "\n": "\\n", **{char: "\\" + char for char in _MARKUP}})
_KNOWN_ESCAPE = re.compile(r"\\([\\n~=#{}:])")
_FORMAT_MARKER = re.compile(r"\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%", re.ASCII)
_NUMBER = re.compile(r"(\d+)(?::(\d+(?:\.\d*)?))?", re.ASCII)
_TRUE_WORDS = ("T", "TRUE")
_FALSE_WORDS = ("F", "FALSE")
_METADATA_LISTS = ("tags", "accepted_answers")


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


def _plain(raw: str, default_format: str = "moodle", *, formatted: bool = True) -> str:
    """A text as the student reads it: format marker dropped, escapes read and, for HTML, entities.

    Args:
        raw: the text as written in the file.
        default_format: its format without a marker: Moodle's default for a
            question text, the question text's format for its answers and
            feedback.
        formatted: False for short answers, which Moodle stores as written
            whatever their format (they are compared, never shown as HTML).
    """
    text_format, raw = _text_format(raw, default_format)
    text = _unescape(raw).strip()
    return html.unescape(text) if formatted and text_format == "html" else text


def _escape(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_ESCAPE_TABLE)


def _escape_text(text: str) -> str:
    """Escape a text that :func:`_plain` will read (so a leading marker must survive)."""
    escaped = _escape(text)
    return f"[{EXPORT_FORMAT}]{escaped}" if _FORMAT_MARKER.match(escaped) else escaped


# ---------------------------------------------------------------------------
# Reading


@dataclass
class _Reader:
    collector: DraftCollector
    topic: str | None = None
    topic_problem_reported: bool = False

    def problem(self, line: int, message: str) -> None:
        self.collector.problem(line, message)


def parse(text: str, source_name: str = "<upload>") -> list[QuestionDraft]:
    """Read a GIFT file (see the module documentation for what is supported).

    Raises:
        ImportFormatError: listing the problems of the file (see :class:`DraftCollector`).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _Reader(DraftCollector(source_name))
    block: list[tuple[int, str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            if block:
                _read_block(reader, block)
                block = []
        # Comments are dropped here, one test a line; only // quizapp: comments reach a block.
        elif not stripped.startswith("//") or stripped[2:].lstrip().startswith(METADATA_PREFIX):
            block.append((number, line))
    if block:
        _read_block(reader, block)
    return reader.collector.finish()


def _read_block(reader: _Reader, block: list[tuple[int, str]]) -> None:
    metadata_lines = []
    content = []
    for number, line in block:
        stripped = line.strip()
        if stripped.startswith("//"):
            metadata_lines.append((number, stripped[2:].lstrip()[len(METADATA_PREFIX) :]))
        else:
            content.append((number, line))
    if content and content[0][1].strip().startswith(CATEGORY_PREFIX):
        number, line = content.pop(0)
        _read_category(reader, number, line.strip()[len(CATEGORY_PREFIX) :])
    if not content:
        for number, _ in metadata_lines:
            reader.problem(
                number,
                "a // quizapp: comment must be directly above its question, without a blank line",
            )
        return
    line_number = content[0][0]
    metadata = _read_metadata(reader, metadata_lines)
    raw = "\n".join(line for _, line in content).strip()
    messages: list[str] = []
    fields = _read_question(raw, metadata, messages)
    if fields is not None:
        fields["topic"] = _topic_for(reader, line_number, messages)
        reader.collector.add(fields, line_number)
    for message in messages:
        reader.problem(line_number, message)


def _read_category(reader: _Reader, number: int, category: str) -> None:
    last = category.strip().rstrip("/").rsplit("/", 1)[-1].strip().lower()
    if last in TOPIC_VALUES:
        reader.topic = last
        return
    # Questions below are still checked; the problem here already fails the import.
    reader.topic = TOPIC_VALUES[0]
    reader.problem(
        number,
        f"category {quoted(category.strip())} does not end in a topic; "
        f"the last part must be one of: {', '.join(TOPIC_VALUES)}",
    )


def _topic_for(reader: _Reader, line_number: int, messages: list[str]) -> str:
    if reader.topic is not None:
        return reader.topic
    if not reader.topic_problem_reported:
        reader.topic_problem_reported = True
        messages.append(
            "this question and those after it have no topic: put a line like "
            f"'$CATEGORY: {CATEGORY_ROOT}/leaders' above them (the last part one of: "
            f"{', '.join(TOPIC_VALUES)})"
        )
    return TOPIC_VALUES[0]


def _read_metadata(reader: _Reader, lines: list[tuple[int, str]]) -> dict[str, object]:
    metadata: dict[str, object] = {}
    for number, text in lines:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            reader.problem(number, 'a // quizapp: comment must hold a JSON object such as {"source": "x"}')
            continue
        if not isinstance(value, dict):
            reader.problem(number, 'a // quizapp: comment must hold a JSON object such as {"source": "x"}')
            continue
        for key, item in value.items():
            if key == "type":
                if item not in TYPE_VALUES:
                    reader.problem(number, f"quizapp: type must be one of: {', '.join(TYPE_VALUES)}")
                    continue
            elif key == "source":
                if not isinstance(item, str):
                    reader.problem(number, "quizapp: source must be a string")
                    continue
            elif key in _METADATA_LISTS:
                if not (isinstance(item, list) and all(isinstance(entry, str) for entry in item)):
                    reader.problem(number, f"quizapp: {key} must be a list of strings")
                    continue
            else:
                reader.problem(
                    number,
                    f"quizapp: unknown key {quoted(key)} (keys are: type, source, tags, accepted_answers)",
                )
                continue
            metadata[key] = item
    return metadata


def _read_question(raw: str, metadata: dict[str, object], messages: list[str]) -> dict[str, object] | None:
    """The fields of one question from its text (comments removed), or None if unreadable."""
    title = ""
    if raw.startswith("::"):
        end = _masked(raw).find("::", 2)
        if end == -1:
            messages.append("the title ::... is not closed with ::")
            return None
        title = _unescape(raw[2:end]).strip()
        raw = raw[end + 2 :]

    masked = _masked(raw)
    opening = masked.find("{")
    closing = masked.find("}", opening + 1 if opening != -1 else 0)
    if opening == -1 and closing == -1:
        messages.append("no answer block {...}: text without answers (a description) cannot be imported")
        return None
    if opening == -1 or closing == -1:
        messages.append("the answer block needs both { and } (write \\{ and \\} for literal braces)")
        return None
    if masked.find("{", opening + 1, closing) != -1:
        messages.append("a { inside the answer block must be written \\{")
        return None
    after_block = max(masked.find("{", closing + 1), masked.find("}", closing + 1))
    if after_block != -1 or masked.find("}", 0, opening) != -1:
        messages.append("a question may have only one answer block (write \\{ and \\} for literal braces)")
        return None

    after = raw[closing + 1 :]
    prompt_raw = raw[:opening] + BLANK + after if after.strip() else raw[:opening]
    # Moodle's default for a question text; its answers and feedback default to the text's format.
    question_format, _ = _text_format(prompt_raw, "moodle")
    prompt = _plain(prompt_raw)
    body = raw[opening + 1 : closing]
    general_feedback = ""
    if (start := _masked(body).rfind("####")) != -1:  # Moodle takes the last one
        general_feedback = _plain(body[start + 4 :], question_format)
        body = body[:start]
    body = body.strip()

    answers = _read_answers(body, metadata.get("type"), question_format, messages)
    if answers is None:
        return None
    question_type, answer, accepted, options, right_feedback = answers
    declared = metadata.get("type")
    if declared is not None and declared != question_type:
        if declared == QuestionType.DATE and question_type == QuestionType.SHORT_ANSWER:
            question_type = QuestionType.DATE
        else:
            messages.append(f"the // quizapp: comment says type {declared} but the answers are {question_type}")
            return None
    extra_accepted = cast(list[str], metadata.get("accepted_answers", []))
    return {
        "id": title or DERIVED_ID_PREFIX + _prompt_hash(prompt),
        "type": question_type.value,
        "prompt": prompt,
        "answer": answer,
        "accepted_answers": accepted + extra_accepted,
        "options": options,
        "explanation": "\n".join(text for text in (right_feedback, general_feedback) if text),
        "source": metadata.get("source", ""),
        "tags": metadata.get("tags", []),
    }


def _prompt_hash(prompt: str) -> str:
    return hashlib.sha1(prompt.encode("utf-8", "surrogatepass")).hexdigest()[:12]


_Answers = tuple[QuestionType, str, list[str], list[str], str]


def _read_answers(body: str, declared: object, question_format: str, messages: list[str]) -> _Answers | None:
    """Type, answer, accepted answers, options and right-answer feedback of an answer block."""
    if not body:
        messages.append("essay questions ({}) are not supported")
        return None
    if body.startswith("#"):
        return _read_numerical(body[1:], question_format, messages)
    if _find(body, "~") != -1:
        return _read_multiple_choice(body, question_format, messages)
    feedback_at = _find(body, "#")
    head = (body[:feedback_at] if feedback_at != -1 else body).strip().upper()
    if head in _TRUE_WORDS + _FALSE_WORDS:
        return _read_true_false(body, head in _TRUE_WORDS, question_format)
    # Counted before anything is read answer by answer, so a block of a million answers costs little.
    answer_count = _count(body, "=") + (0 if body.startswith("=") else 1)
    if too_many := count_problem("accepted_answers", answer_count - 1):
        messages.append(too_many)
        return None
    if declared is None and "->" in body:
        segments = [segment for _, segment in _split(body, "=") if segment.strip()]
        if segments and all("->" in segment for segment in segments):
            messages.append("matching questions ({=a -> b}) are not supported")
            return None
    return _read_short_answer(body, question_format, messages)


def _answer_parts(segment: str, question_format: str, *, formatted: bool = True) -> tuple[float | None, str, str]:
    """Weight (None when absent), text and feedback of one answer."""
    segment = segment.strip()
    weight = None
    if match := _WEIGHT.match(segment):
        weight = float(match[1])
        segment = segment[match.end() :]
    feedback_at = _find(segment, "#")
    if feedback_at == -1:
        return weight, _plain(segment, question_format, formatted=formatted), ""
    return (
        weight,
        _plain(segment[:feedback_at], question_format, formatted=formatted),
        _plain(segment[feedback_at + 1 :], question_format),
    )


def _read_multiple_choice(body: str, question_format: str, messages: list[str]) -> _Answers | None:
    if too_many := count_problem("options", _count(body, "=~")):
        messages.append(too_many)
        return None
    pieces = _split(body, "=~")
    if pieces[0][1].strip():
        messages.append("text before the first answer: start every answer with = (right) or ~ (wrong)")
    options, right, right_feedback = [], [], ""
    for separator, segment in pieces[1:]:
        weight, text, feedback = _answer_parts(segment, question_format)
        if not text:
            messages.append("an answer is empty")
            continue
        if weight is None:
            weight = 100.0 if separator == "=" else 0.0
        if weight not in (0.0, 100.0) or (separator == "=" and weight != 100.0):
            messages.append(f"partial credit (%{weight:g}%) is not supported: an answer is right or wrong")
            continue
        options.append(text)
        if weight == 100.0:
            right.append(text)
            right_feedback = feedback
    if len(right) != 1:
        messages.append(f"a multiple-choice question needs exactly one right answer (=), found {len(right)}")
    if messages:
        return None
    return QuestionType.MULTIPLE_CHOICE, right[0], [], options, right_feedback


def _read_true_false(body: str, is_true: bool, question_format: str) -> _Answers:
    # Moodle: {T#feedback when wrong#feedback when right}, the rest of the block after the second #.
    first = _find(body, "#")
    second = _find(body, "#", first + 1) if first != -1 else -1
    right_feedback = _plain(body[second + 1 :], question_format) if second != -1 else ""
    return QuestionType.TRUE_FALSE, "True" if is_true else "False", [], [], right_feedback


def _read_short_answer(body: str, question_format: str, messages: list[str]) -> _Answers | None:
    pieces = _split(body, "=")
    if not pieces[0][1].strip():
        pieces = pieces[1:]
    answers, first_feedback = [], ""
    for index, (_, segment) in enumerate(pieces):
        weight, text, feedback = _answer_parts(segment, question_format, formatted=False)
        if weight is not None and weight != 100.0:
            messages.append(f"partial credit (%{weight:g}%) is not supported: an answer is right or wrong")
        elif not text:
            messages.append("an answer is empty")
        else:
            answers.append(text)
            if index == 0:
                first_feedback = feedback
    if messages:
        return None
    if not answers:
        messages.append("the answer block has no answer")
        return None
    return QuestionType.SHORT_ANSWER, answers[0], answers[1:], [], first_feedback


def _read_numerical(body: str, question_format: str, messages: list[str]) -> _Answers | None:
    wrong_feedback_at = _find(body, "~")
    if wrong_feedback_at != -1:
        body = body[:wrong_feedback_at]  # feedback for any other number: dropped
    # One answer: "=1883" or "1883"; counted first so that a thousand answers cost no more than one.
    if _count(body, "=") > 1:
        messages.append("a numerical question may have exactly one answer: the year, e.g. {#1883}")
        return None
    pieces = [segment for _, segment in _split(body, "=")]
    if not pieces[0].strip():
        pieces = pieces[1:]
    if len(pieces) != 1:
        messages.append("a numerical question may have exactly one answer: the year, e.g. {#1883}")
        return None
    weight, value, feedback = _answer_parts(pieces[0], question_format, formatted=False)
    if weight is not None and weight != 100.0:
        messages.append(f"partial credit (%{weight:g}%) is not supported: an answer is right or wrong")
        return None
    match = _NUMBER.fullmatch(value)
    if match is None:
        if ".." in value:
            messages.append("numerical ranges are not supported: give the exact year, e.g. {#1883}")
        else:
            messages.append(f"the numerical answer {quoted(value)} is not a year such as {{#1883}}")
        return None
    year_text, tolerance = match[1], match[2]
    if tolerance is not None and float(tolerance) != 0:
        messages.append(
            f"a tolerance (:{shortened(tolerance)}) accepts several years: give the exact year, e.g. {{#1883}}"
        )
        return None
    if len(year_text) > 4 or not EARLIEST_YEAR <= int(year_text) <= LATEST_YEAR:
        messages.append(
            f"the numerical answer {shortened(year_text)} is not a plausible year ({EARLIEST_YEAR}-{LATEST_YEAR})"
        )
        return None
    return QuestionType.DATE, str(int(year_text)), [], [], feedback


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
            blocks.append(f"{CATEGORY_PREFIX} {CATEGORY_ROOT}/{topic}")
        blocks.append(_emit_question(draft))
    return "\n\n".join(blocks) + "\n"


def _emit_question(draft: QuestionDraft) -> str:
    metadata: dict[str, object] = {}
    lines = []
    if draft.type == QuestionType.MULTIPLE_CHOICE:
        for option in draft.options:
            right = option == draft.answer
            lines.append(("=" if right else "~") + _weighted(option, 100 if right else 0))
    elif draft.type == QuestionType.TRUE_FALSE:
        lines.append("TRUE" if draft.answer == "True" else "FALSE")
    elif draft.type == QuestionType.DATE and not draft.accepted_answers and _is_year_only(draft.answer):
        lines.append(f"#{draft.answer}")
    else:
        answers = [draft.answer, *draft.accepted_answers]
        lines += ["=" + _weighted(answer, 100) for answer in answers]
        if draft.type == QuestionType.DATE:
            metadata["type"] = QuestionType.DATE.value
        elif any("->" in answer for answer in answers):
            metadata["type"] = QuestionType.SHORT_ANSWER.value
    if draft.explanation:
        lines.append("####" + _escape_text(draft.explanation))
    if draft.source:
        metadata["source"] = draft.source
    if draft.tags:
        metadata["tags"] = list(draft.tags)
    if draft.accepted_answers and draft.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE):
        metadata["accepted_answers"] = list(draft.accepted_answers)

    text = ""
    if metadata:
        text += f"// {METADATA_PREFIX} {json.dumps(metadata, ensure_ascii=False)}\n"
    text += f"::{_escape(draft.id)}:: [{EXPORT_FORMAT}]{_escape(draft.prompt)} {{\n"
    text += "".join(f"\t{line}\n" for line in lines)
    return text + "}"


def _weighted(text: str, weight: int) -> str:
    escaped = _escape_text(text)
    # Without an explicit weight, a text like "%50% of the vote" would be read as one.
    return f"%{weight}%{escaped}" if _WEIGHT.match(escaped) else escaped


def _is_year_only(answer: str) -> bool:
    try:
        date = parse_date_answer(answer)
    except ValueError:
        return False
    return date.precision == DatePrecision.YEAR and answer == date.display()
