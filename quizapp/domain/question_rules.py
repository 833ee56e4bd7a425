"""The rules every imported question must satisfy, whatever file format it came in.

All importers collect their questions in a :class:`DraftCollector`, which
normalizes (:func:`normalize_draft`) and checks (:func:`validate_draft`) each
and finally looks for duplicates; so a question bank is judged the same way in
CSV, GIFT and JSON.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn

from quizapp.domain.dates import MONTH_NAMES, PartialDate
from quizapp.domain.grading import normalize
from quizapp.domain.problems import ImportFormatError, Problem, quoted, raise_if_problems
from quizapp.domain.questions import (
    ANSWER_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    ID_MAX_LENGTH,
    MAX_ACCEPTED_ANSWERS,
    MAX_OPTIONS,
    MIN_OPTIONS,
    PROMPT_MAX_LENGTH,
    PROMPT_MIN_LENGTH,
    SOURCE_MAX_LENGTH,
    TAG_MAX_LENGTH,
    TRUE_FALSE_OPTIONS,
    BankTopic,
    QuestionDraft,
    QuestionType,
)

EARLIEST_YEAR = 1000
LATEST_YEAR = 2100

# A file may hold at most this many questions (an export of the generated bank holds about 500), and
# reading stops after this many problems.
MAX_QUESTIONS_PER_FILE = 10_000
MAX_PROBLEMS = 100

TOPIC_VALUES = tuple(topic.value for topic in BankTopic)
TYPE_VALUES = tuple(question_type.value for question_type in QuestionType)

_MONTHS = {name.casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].casefold(): number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})", re.ASCII | re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.ASCII | re.IGNORECASE)
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})", re.ASCII | re.IGNORECASE)
_ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", re.ASCII)

# Unicode categories Cc (C0, DEL, C1) and Cs (lone surrogates, which JSON can smuggle in and
# UTF-8 cannot store), except line feed and tab.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

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


def parse_date_answer(text: str) -> PartialDate:
    """Read the answer of a date question.

    Accepts ``20 October 1883``, ``October 1883``, ``1883``, ``October 20, 1883``,
    three-letter month abbreviations (any case) and ISO ``1883-10-20`` /
    ``1883-10``. The year must have four digits and lie between
    EARLIEST_YEAR and LATEST_YEAR.

    Raises:
        ValueError: if the text is none of those forms or not a real date.
    """
    text = " ".join(text.split())
    if match := _ISO.fullmatch(text):
        date = PartialDate.from_iso(match.group())
    elif match := _DAY_MONTH_YEAR.fullmatch(text):
        date = PartialDate(int(match[3]), _month(match[2]), int(match[1]))
    elif match := _MONTH_DAY_YEAR.fullmatch(text):
        date = PartialDate(int(match[3]), _month(match[1]), int(match[2]))
    elif match := _MONTH_YEAR.fullmatch(text):
        date = PartialDate(int(match[2]), _month(match[1]))
    else:
        raise ValueError(f"{text!r} is not a date; write it like 20 October 1883, October 1883, 1883 or 1883-10-20")
    if not EARLIEST_YEAR <= date.year <= LATEST_YEAR:
        raise ValueError(f"the year {date.year} is not between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return date


def _month(name: str) -> int:
    try:
        return _MONTHS[name.casefold()]
    except KeyError:
        raise ValueError(f"{name!r} is not the name of a month") from None


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _clean_list(items: Iterable[str], *, drop: str | None = None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        cleaned = _clean(item)
        if cleaned and cleaned != drop:
            seen.setdefault(cleaned, None)
    return tuple(seen)


def normalize_draft(draft: QuestionDraft) -> QuestionDraft:
    """The canonical form of a draft, as importers store it.

    Strips every text and turns CR/CRLF line endings into LF; drops empty and
    repeated list items and accepted answers equal to the answer; writes
    true/false answers as ``True``/``False`` with options ``("True", "False")``;
    writes a readable date answer as :meth:`PartialDate.display`; and, for
    multiple choice, takes the answer's spelling from the one option that
    matches it ignoring case and accents. Never fails: what cannot be fixed is
    left for :func:`validate_draft` to report.
    """
    answer = _clean(draft.answer)
    options = _clean_list(draft.options)
    if draft.type == QuestionType.TRUE_FALSE:
        for canonical in TRUE_FALSE_OPTIONS:
            if answer.casefold() == canonical.casefold():
                answer = canonical
        if not options or sorted(option.casefold() for option in options) == ["false", "true"]:
            options = TRUE_FALSE_OPTIONS
    elif draft.type == QuestionType.DATE:
        if len(answer) <= ANSWER_MAX_LENGTH:
            with contextlib.suppress(ValueError):
                answer = parse_date_answer(answer).display()
    elif (
        draft.type == QuestionType.MULTIPLE_CHOICE
        and answer not in options
        # Oversized drafts are refused anyway; folding them would only cost time.
        and not size_problems("answer", answer)
        and not size_problems("options", options)
    ):
        folded_answer = normalize(answer)
        matches = [option for option in options if normalize(option) == folded_answer]
        if len(matches) == 1:
            answer = matches[0]
    return QuestionDraft(
        id=_clean(draft.id),
        topic=draft.topic,
        type=draft.type,
        prompt=_clean(draft.prompt),
        answer=answer,
        accepted_answers=_clean_list(draft.accepted_answers, drop=answer),
        options=options,
        explanation=_clean(draft.explanation),
        source=_clean(draft.source),
        tags=_clean_list(draft.tags),
    )


def count_problem(field: str, count: int) -> str | None:
    """What is wrong with a list field holding ``count`` items, or None.

    Parsers may ask this before reading the items one by one, so that a list
    of a million options costs no more than counting them.
    """
    most = _LIST_LIMITS[field][0]
    if most is None or count <= most:
        return None
    return f"{field.replace('_', ' ')}: at most {most} are allowed, found {count}"


def size_problems(field: str, value: str | Sequence[str]) -> list[str]:
    """What makes one field of a question too large: too long a text, too many or too long items.

    Args:
        field: a :class:`QuestionDraft` field holding text or a list of texts
            (``prompt``, ``answer``, ``accepted_answers``, ``options``, ...).
        value: its value.

    The one check of the size limits in :mod:`quizapp.domain.questions`, made
    by :func:`validate_draft` and by the QuestionVersion model.
    """
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


def validate_draft(draft: QuestionDraft) -> list[str]:
    """Everything wrong with a draft, as messages for the person who wrote it.

    The draft is normalized first (see :func:`normalize_draft`), so
    ``"1883-10-20"`` is a fine date answer and ``"true"`` a fine true/false
    answer. An empty list means the normalized draft can be stored.

    The size limits are checked first, and the checks that cost time per
    character (folding options to compare them, reading a date) are made only
    on texts within them, so checking any draft costs little more than
    reading it.
    """
    return _problems(normalize_draft(draft))


def _problems(draft: QuestionDraft) -> list[str]:
    """:func:`validate_draft` of a draft that is already normalized."""
    folded_answer = _folded_answer(draft)
    problems = _common_problems(draft, folded_answer)
    if draft.topic not in TOPIC_VALUES:
        problems.append(f"topic {draft.topic!r} is not one of: {', '.join(TOPIC_VALUES)}")
    if draft.type not in TYPE_VALUES:
        problems.append(f"type {draft.type!r} is not one of: {', '.join(TYPE_VALUES)}")
    elif folded_answer:
        problems += _type_problems(draft)
    return problems


def _folded_answer(draft: QuestionDraft) -> str:
    """The answer as the grader compares it, or "" when it is too long to be compared at all."""
    return "" if len(draft.answer) > ANSWER_MAX_LENGTH else normalize(draft.answer)


def _common_problems(draft: QuestionDraft, folded_answer: str) -> list[str]:
    """The checks that do not depend on the question type."""
    problems = _text_problems(draft)
    if not draft.id:
        problems.append("id is required")
    if len(draft.prompt) < PROMPT_MIN_LENGTH:
        problems.append(f"prompt is required and must have at least {PROMPT_MIN_LENGTH} characters")
    if not draft.answer:
        problems.append("answer is required")
    elif not folded_answer and len(draft.answer) <= ANSWER_MAX_LENGTH:
        problems.append("answer must contain a letter or a digit")
    return problems


# Each text field: its name in messages, and whether it must be on a single line.
_TEXT_FIELDS = (
    ("id", "id", True),
    ("answer", "answer", True),
    ("accepted_answers", "accepted answers", True),
    ("options", "options", True),
    ("source", "source", True),
    ("tags", "tags", True),
    ("prompt", "prompt", False),
    ("explanation", "explanation", False),
)


def _text_problems(draft: QuestionDraft) -> list[str]:
    problems = []
    lists = (*draft.accepted_answers, *draft.options, *draft.tags)
    single_line = "".join((draft.id, draft.answer, draft.source, *lists))
    # One search over every text, and field by field only if it finds something.
    if "\n" in single_line or _CONTROL_CHARACTER.search(single_line + draft.prompt + draft.explanation):
        for field, name, single in _TEXT_FIELDS:
            text = _joined(getattr(draft, field))
            if single and "\n" in text:
                problems.append(f"{name} must be on a single line")
        for field, name, _ in _TEXT_FIELDS:
            if _CONTROL_CHARACTER.search(_joined(getattr(draft, field))):
                problems.append(f"{name} contains control characters")
    for field, _, _ in _TEXT_FIELDS:
        problems += size_problems(field, getattr(draft, field))
    return problems


def _joined(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _type_problems(draft: QuestionDraft) -> list[str]:
    problems = []
    match draft.type:
        case QuestionType.MULTIPLE_CHOICE:
            if len(draft.options) < MIN_OPTIONS:
                problems.append(
                    f"multiple choice needs {MIN_OPTIONS} to {MAX_OPTIONS} options, found {len(draft.options)}"
                )
            if not size_problems("options", draft.options):
                folded = [normalize(option) for option in draft.options]
                if any(not text for text in folded):
                    problems.append("every option must contain a letter or a digit")
                # The grader compares choices this way, so options equal under it cannot be told apart.
                elif len(set(folded)) != len(folded):
                    problems.append("options must be distinct (ignoring case, accents and punctuation)")
            if draft.answer not in draft.options:
                problems.append(f"the answer {draft.answer!r} must be one of the options")
        case QuestionType.TRUE_FALSE:
            if draft.answer not in TRUE_FALSE_OPTIONS:
                problems.append(f"a true/false answer must be True or False, not {draft.answer!r}")
            if draft.options != TRUE_FALSE_OPTIONS:
                problems.append("a true/false question's options must be empty or True, False")
        case QuestionType.SHORT_ANSWER | QuestionType.DATE:
            if draft.options:
                problems.append("options are only for multiple choice and true/false questions")
            if draft.type == QuestionType.DATE:
                try:
                    parse_date_answer(draft.answer)
                except ValueError as error:
                    problems.append(f"date answer: {error}")
    return problems


def draft_from_fields(fields: Mapping[str, object]) -> tuple[QuestionDraft, list[str]]:
    """Build, normalize and check a draft from the values an importer read.

    Args:
        fields: ``id``, ``topic``, ``type``, ``prompt`` and ``answer`` as
            strings; optionally ``accepted_answers``, ``options`` and ``tags``
            as sequences of strings and ``explanation`` and ``source`` as
            strings. ``topic`` and ``type`` are matched ignoring case and
            surrounding spaces.

    Returns:
        The normalized draft and what is wrong with it. Only a draft with no
        messages may be used: an unknown topic or type is replaced by a
        placeholder so that the rest can still be checked.
    """
    topic_text = str(fields.get("topic", "")).strip().lower()
    type_text = str(fields.get("type", "")).strip().lower()
    problems = []
    if topic_text not in TOPIC_VALUES:
        problems.append(
            f"topic {quoted(topic_text)} is not one of: {', '.join(TOPIC_VALUES)}"
            if topic_text
            else f"topic is required (one of: {', '.join(TOPIC_VALUES)})"
        )
    if type_text not in TYPE_VALUES:
        problems.append(
            f"type {quoted(type_text)} is not one of: {', '.join(TYPE_VALUES)}"
            if type_text
            else f"type is required (one of: {', '.join(TYPE_VALUES)})"
        )
    draft = normalize_draft(
        QuestionDraft(
            id=_text(fields, "id"),
            topic=BankTopic(topic_text) if topic_text in TOPIC_VALUES else BankTopic.EVENTS,
            type=QuestionType(type_text) if type_text in TYPE_VALUES else QuestionType.SHORT_ANSWER,
            prompt=_text(fields, "prompt"),
            answer=_text(fields, "answer"),
            accepted_answers=_texts(fields, "accepted_answers"),
            options=_texts(fields, "options"),
            explanation=_text(fields, "explanation"),
            source=_text(fields, "source"),
            tags=_texts(fields, "tags"),
        )
    )
    if problems:
        # Checks that depend on the placeholder topic or type would only mislead.
        return draft, problems + _common_problems(draft, _folded_answer(draft))
    return draft, _problems(draft)


def _text(fields: Mapping[str, object], name: str) -> str:
    value = fields.get(name, "")
    return value if isinstance(value, str) else ""


def _texts(fields: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = fields.get(name, ())
    if not value or isinstance(value, str) or not isinstance(value, Sequence):
        return ()
    return tuple(item for item in value if isinstance(item, str))


@dataclass(frozen=True)
class _Located:
    draft: QuestionDraft
    line: int | None
    label: str


class DraftCollector:
    """Gathers the drafts and problems of one file as a parser reads it.

    Parsers call :meth:`add` for every question they could read and
    :meth:`problem` for what they could not, then :meth:`finish`, which adds
    duplicate ids and prompts (compared ignoring case and runs of spaces)
    and raises or returns.

    Reading stops, with an ImportFormatError raised from :meth:`add` or
    :meth:`problem`, at the first question beyond :data:`MAX_QUESTIONS_PER_FILE`
    or the first problem beyond :data:`MAX_PROBLEMS`: the time a file costs is
    bounded by these, not only by its size, and nobody reads ten thousand
    problems.
    """

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.problems: list[Problem] = []
        self._located: list[_Located] = []

    def problem(self, line: int | None, message: str) -> None:
        if len(self.problems) == MAX_PROBLEMS:
            self._stop(f"there are more than {MAX_PROBLEMS} problems; here are the first {MAX_PROBLEMS}")
        self.problems.append(Problem(line, message))

    def add(self, fields: Mapping[str, object], line: int | None, label: str = "") -> None:
        """Build and check one question; ``label`` (e.g. ``entry 3``) prefixes its messages."""
        if len(self._located) == MAX_QUESTIONS_PER_FILE:
            self._stop(f"the file has more than {MAX_QUESTIONS_PER_FILE:,} questions; split it into smaller files")
        draft, messages = draft_from_fields(fields)
        prefix = f"{label}: " if label else ""
        for message in messages:
            self.problem(line, prefix + message)
        self._located.append(_Located(draft, line, label))

    def finish(self) -> list[QuestionDraft]:
        """The drafts in file order.

        Raises:
            ImportFormatError: if any problem was found.
        """
        self._add_duplicate_problems()
        raise_if_problems(self.problems, self.source_name)
        return [item.draft for item in self._located]

    def _stop(self, message: str) -> NoReturn:
        raise ImportFormatError([*self.problems, Problem(None, message)], self.source_name)

    def _add_duplicate_problems(self) -> None:
        first_id: dict[str, _Located] = {}
        first_prompt: dict[str, _Located] = {}
        for item in self._located:
            prefix = f"{item.label}: " if item.label else ""
            if item.draft.id:
                earlier = first_id.setdefault(item.draft.id, item)
                if earlier is not item:
                    message = f"duplicate id {quoted(item.draft.id)} (first used {_where(earlier)})"
                    self.problem(item.line, prefix + message)
            prompt_key = " ".join(item.draft.prompt.casefold().split())
            if prompt_key:
                earlier = first_prompt.setdefault(prompt_key, item)
                if earlier is not item:
                    self.problem(item.line, prefix + f"duplicate prompt (first asked {_where(earlier)})")


def _where(item: _Located) -> str:
    if item.line is None:
        return f"by {item.label}" if item.label else "earlier"
    return f"on line {item.line}"
