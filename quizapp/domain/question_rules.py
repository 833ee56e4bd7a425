"""The rules every question must satisfy, whatever file format or form it came from.

All importers collect their questions in a :class:`DraftCollector`, which
normalizes (:func:`normalize_draft`) and checks (:func:`validate_draft`) each
and finally looks for duplicates; so a question bank is judged the same way in
CSV, GIFT, JSON and Moodle XML, and the teachers' form asks the same rules.
The rules of each question type are its own
(:mod:`quizapp.domain.question_types`); here are those every question shares.
Every problem is a :class:`~quizapp.domain.problems.FieldProblem`, tagged with
the field it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NoReturn

from quizapp.domain.dates import EARLIEST_YEAR, LATEST_YEAR, parse_date_answer
from quizapp.domain.grading import normalize
from quizapp.domain.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, Language, language_of
from quizapp.domain.problems import (
    N_,
    FieldProblem,
    ImportFormatError,
    Problem,
    Words,
    quoted,
    raise_if_problems,
)
from quizapp.domain.question_sizes import count_problem, size_problems
from quizapp.domain.question_types import kind_of
from quizapp.domain.question_types.base import clean as _clean
from quizapp.domain.question_types.base import weights
from quizapp.domain.question_types.matching import pairs_of
from quizapp.domain.question_types.numerical import numerical_answers
from quizapp.domain.questions import (
    ANSWER_MAX_LENGTH,
    PROMPT_MIN_LENGTH,
    TOPIC_NAME_MAX_LENGTH,
    QuestionDraft,
    QuestionText,
    QuestionType,
)
from quizapp.domain.rich_text import HTML, sanitize_html
from quizapp.domain.topics import slug_problem, slugify

__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "MAX_PROBLEMS",
    "MAX_QUESTIONS_PER_FILE",
    "TYPE_VALUES",
    "DraftCollector",
    "count_problem",
    "draft_from_fields",
    "normalize_draft",
    "parse_date_answer",
    "size_problems",
    "translation_problems",
    "validate_draft",
    "with_text",
]

# A file may hold at most this many questions (an export of the generated bank holds about 500), and
# reading stops after this many problems.
MAX_QUESTIONS_PER_FILE = 10_000
MAX_PROBLEMS = 100

TYPE_VALUES = tuple(question_type.value for question_type in QuestionType)

# Unicode categories Cc (C0, DEL, C1) and Cs (lone surrogates, which JSON can smuggle in and
# UTF-8 cannot store), except line feed and tab.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


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
    repeated list items and accepted answers equal to the answer; then lets
    its type put its answer in canonical form in the draft's language (true/false
    as ``True``/``False`` or ``Verdadero``/``Falso``, a date as
    :meth:`PartialDate.display_in`), a multiple-choice answer spelled as
    its option, the read-only answer of the structured types). Never fails:
    what cannot be fixed is left for :func:`validate_draft` to report.
    """
    answer = _clean(draft.answer)
    cleaned = QuestionDraft(
        id=_clean(draft.id),
        topic=_clean(str(draft.topic)),
        type=draft.type,
        prompt=_clean(draft.prompt),
        answer=answer,
        accepted_answers=_clean_list(draft.accepted_answers, drop=answer),
        options=_clean_list(draft.options),
        explanation=_clean(draft.explanation),
        source=_clean(draft.source),
        tags=_clean_list(draft.tags),
        details=dict(draft.details),
        topic_name=_clean(draft.topic_name),
        language=draft.language,
    )
    if cleaned.type in TYPE_VALUES:
        normalized = kind_of(cleaned.type).normalize(_sanitized(cleaned))
        cleaned = replace(normalized, accepted_answers=_clean_list(normalized.accepted_answers, drop=normalized.answer))
    # Each translation is normalized as the same question worded in its language.
    translations = {
        language: normalize_draft(with_text(draft, language, text)).text_in(language)
        for language, text in draft.translations.items()
    }
    return replace(cleaned, translations=translations)


def with_text(draft: QuestionDraft, language: Language, text: QuestionText) -> QuestionDraft:
    """The draft worded in ``language`` as ``text`` says, without translations (to check or show one language)."""
    return replace(
        draft,
        language=language,
        prompt=text.prompt,
        answer=text.answer,
        accepted_answers=text.accepted_answers,
        options=text.options,
        explanation=text.explanation,
        details=text.details,
        translations={},
    )


def _sanitized(draft: QuestionDraft) -> QuestionDraft:
    """An HTML question's texts made safe, whatever wrote them (a file, a form): see rich_text."""
    if draft.details.get("format") != HTML or any(size_problems(name, getattr(draft, name)) for name in _SHOWN):
        return draft
    details = dict(draft.details)
    if isinstance(comments := details.get("feedback"), Mapping):
        details["feedback"] = {
            key: sanitize_html(value) if isinstance(value, str) else value for key, value in comments.items()
        }
    if isinstance(answers := details.get("answers"), list):
        details["answers"] = [
            {**answer, "feedback": sanitize_html(answer["feedback"])}
            if isinstance(answer, Mapping) and isinstance(answer.get("feedback"), str)
            else answer
            for answer in answers
        ]
    return replace(
        draft, prompt=sanitize_html(draft.prompt), explanation=sanitize_html(draft.explanation), details=details
    )


_SHOWN = ("prompt", "explanation", "details")


def validate_draft(draft: QuestionDraft) -> list[FieldProblem]:
    """Everything wrong with a draft, each problem tagged with its field.

    The draft is normalized first (see :func:`normalize_draft`), so
    ``"1883-10-20"`` is a fine date answer and ``"true"`` a fine true/false
    answer. An empty list means the normalized draft can be stored.

    The size limits are checked first, and the checks that cost time per
    character (folding options to compare them, reading a date) are made only
    on texts within them, so checking any draft costs little more than
    reading it.
    """
    return _problems(normalize_draft(draft))


def _problems(draft: QuestionDraft) -> list[FieldProblem]:
    """:func:`validate_draft` of a draft that is already normalized."""
    problems = _one_language_problems(draft)
    if message := slug_problem(str(draft.topic)):
        problems.append(FieldProblem("topic", message))
    return problems + translation_problems(draft)


def _one_language_problems(draft: QuestionDraft) -> list[FieldProblem]:
    """The problems of a normalized draft's wording in its own language (translations aside)."""
    problems = _common_problems(draft)
    if draft.type not in TYPE_VALUES:
        problems.append(
            FieldProblem.of(
                "type",
                N_("type %(type)s is not one of: %(types)s"),
                type=repr(draft.type),
                types=", ".join(TYPE_VALUES),
            )
        )
    elif not any(problem.field in ("answer", "options", "details") for problem in problems):
        problems += kind_of(draft.type).problems(draft)
    return problems


# Fields every language shares: their problems are reported once, on the question's own language.
_SHARED_FIELDS = ("id", "topic", "type", "source", "tags")


def translation_problems(draft: QuestionDraft) -> list[FieldProblem]:
    """What is wrong with a normalized draft's translations, each problem on ``translations.<language>.<field>``.

    Each translation must be a valid question in its language and agree with the
    draft in structure: as many options, pairs, events and distractors, the right
    options in the same places, the same numbers and (for true/false and date
    questions) the same answer, so that a response is graded the same in either
    language.
    """
    problems = []
    for language, text in draft.translations.items():
        prefix = f"translations.{language}"
        if language == draft.language:
            problems.append(
                FieldProblem.of(
                    prefix,
                    N_("a translation into %(language)s, the question's own language"),
                    language=LANGUAGE_NAMES[language],
                )
            )
            continue
        translated = with_text(draft, language, text)
        found = [
            FieldProblem(f"{prefix}.{problem.field}", problem.message, problem.template, problem.params)
            for problem in _one_language_problems(translated)
            if problem.field not in _SHARED_FIELDS
        ]
        if not found and draft.type in TYPE_VALUES and _structure(translated) != _structure(draft):
            found.append(
                FieldProblem.of(
                    f"{prefix}.structure",
                    N_(
                        "the %(language)s version must have the same options, pairs and events in the same order, "
                        "with the same ones right, as the question"
                    ),
                    language=LANGUAGE_NAMES[language],
                )
            )
        problems += found
    return problems


def _structure(draft: QuestionDraft) -> tuple[object, ...]:
    """What every language of a question must share: which positions are right, how many of each, the numbers."""
    kind = draft.type
    shares = weights(draft)
    options = [(shares.get(option), option == draft.answer) for option in draft.options]
    # A date is the same date whichever language writes it; true/false compares by position (options).
    same_answer = parse_date_answer(draft.answer) if kind is QuestionType.DATE else None
    numbers = [(answer.value, answer.tolerance, answer.share) for answer in numerical_answers(draft.details)]
    counts = tuple(len(draft.details.get(name) or ()) for name in ("distractors", "items", "labels"))
    return (same_answer, tuple(options), len(pairs_of(draft.details)), counts, tuple(numbers))


def _common_problems(draft: QuestionDraft) -> list[FieldProblem]:
    """The checks that do not depend on the question type."""
    problems = _text_problems(draft)
    if not draft.id:
        problems.append(FieldProblem.of("id", N_("id is required")))
    if len(draft.prompt) < PROMPT_MIN_LENGTH:
        problems.append(
            FieldProblem.of(
                "prompt", N_("prompt is required and must have at least %(count)s characters"), count=PROMPT_MIN_LENGTH
            )
        )
    if not draft.answer:
        problems.append(FieldProblem.of("answer", N_("answer is required")))
    elif len(draft.answer) <= ANSWER_MAX_LENGTH and not normalize(draft.answer):
        problems.append(FieldProblem.of("answer", N_("answer must contain a letter or a digit")))
    if len(draft.topic_name) > TOPIC_NAME_MAX_LENGTH:
        problems.append(
            FieldProblem.of(
                "topic", N_("a topic's name may have at most %(count)s characters"), count=TOPIC_NAME_MAX_LENGTH
            )
        )
    return problems


# Each text field: its name in messages, and whether it must be on a single line.
_TEXT_FIELDS = (
    ("id", Words(N_("id")), True),
    ("answer", Words(N_("answer")), True),
    ("accepted_answers", Words(N_("accepted answers")), True),
    ("options", Words(N_("options")), True),
    ("source", Words(N_("source")), True),
    ("tags", Words(N_("tags")), True),
    ("prompt", Words(N_("prompt")), False),
    ("explanation", Words(N_("explanation")), False),
)


def _text_problems(draft: QuestionDraft) -> list[FieldProblem]:
    problems = []
    lists = (*draft.accepted_answers, *draft.options, *draft.tags)
    single_line = "".join((draft.id, draft.answer, draft.source, *lists))
    # One search over every text, and field by field only if it finds something.
    if "\n" in single_line or _CONTROL_CHARACTER.search(single_line + draft.prompt + draft.explanation):
        for field, name, single in _TEXT_FIELDS:
            text = _joined(getattr(draft, field))
            if single and "\n" in text:
                problems.append(FieldProblem.of(field, N_("%(field)s must be on a single line"), field=name))
        for field, name, _ in _TEXT_FIELDS:
            if _CONTROL_CHARACTER.search(_joined(getattr(draft, field))):
                problems.append(FieldProblem.of(field, N_("%(field)s contains control characters"), field=name))
    for field, _, _ in _TEXT_FIELDS:
        problems += size_problems(field, getattr(draft, field))
    problems += size_problems("details", draft.details)
    return problems


def _joined(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def draft_from_fields(fields: Mapping[str, object]) -> tuple[QuestionDraft, list[FieldProblem]]:
    """Build, normalize and check a draft from the values an importer read.

    Args:
        fields: ``id``, ``topic``, ``type``, ``prompt`` and ``answer`` as
            strings; optionally ``accepted_answers``, ``options`` and ``tags``
            as sequences of strings, ``explanation``, ``source`` and
            ``topic_name`` as strings and ``details`` as a mapping. ``type`` is
            matched ignoring case and surrounding spaces; ``topic`` is a slug,
            or a name made into one (``"Key Dates"`` is ``key-dates``).

    Returns:
        The normalized draft and what is wrong with it. Only a draft with no
        problems may be used: an unknown type is replaced by a placeholder so
        that the rest can still be checked.
    """
    topic_text = str(fields.get("topic", "")).strip()
    type_text = str(fields.get("type", "")).strip().lower()
    problems = []
    if not topic_text:
        problems.append(FieldProblem.of("topic", N_("topic is required")))
    if type_text not in TYPE_VALUES:
        types = ", ".join(TYPE_VALUES)
        problems.append(
            FieldProblem.of("type", N_("type %(type)s is not one of: %(types)s"), type=quoted(type_text), types=types)
            if type_text
            else FieldProblem.of("type", N_("type is required (one of: %(types)s)"), types=types)
        )
    details = fields.get("details")
    language_text = str(fields.get("language") or "").strip()
    language = language_of(language_text) if language_text else DEFAULT_LANGUAGE
    if language is None:
        problems.append(_language_problem("language", language_text))
    translations, translation_problems_found = _translations(fields.get("translations"))
    problems += translation_problems_found
    draft = normalize_draft(
        QuestionDraft(
            id=_text(fields, "id"),
            topic=slugify(topic_text) or topic_text,
            type=QuestionType(type_text) if type_text in TYPE_VALUES else QuestionType.SHORT_ANSWER,
            prompt=_text(fields, "prompt"),
            answer=_text(fields, "answer"),
            accepted_answers=_texts(fields, "accepted_answers"),
            options=_texts(fields, "options"),
            explanation=_text(fields, "explanation"),
            source=_text(fields, "source"),
            tags=_texts(fields, "tags"),
            details=dict(details) if isinstance(details, Mapping) else {},
            topic_name=_text(fields, "topic_name") or (topic_text if slugify(topic_text) != topic_text else ""),
            language=language or DEFAULT_LANGUAGE,
            translations=translations,
        )
    )
    if problems:
        # Checks that depend on the placeholder type would only mislead.
        return draft, problems + _common_problems(draft)
    return draft, _problems(draft)


LANGUAGE_VALUES = tuple(language.value for language in Language)


def _language_problem(field_name: str, given: str) -> FieldProblem:
    return FieldProblem.of(
        field_name,
        N_("language %(language)s is not one of: %(languages)s"),
        language=quoted(given),
        languages=", ".join(LANGUAGE_VALUES),
    )


def _translations(value: object) -> tuple[dict[Language, QuestionText], list[FieldProblem]]:
    """The translations an importer read (``{"es": {"prompt": ..., ...}}``), and what is wrong with their shape."""
    if value is None or value == {}:
        return {}, []
    if not isinstance(value, Mapping):
        return {}, [FieldProblem.of("translations", N_("translations must be an object of languages"))]
    found: dict[Language, QuestionText] = {}
    problems = []
    for tag, text in value.items():
        language = language_of(str(tag))
        if language is None or str(tag) != language.value:
            problems.append(_language_problem("translations", str(tag)))
        elif not isinstance(text, Mapping):
            problems.append(FieldProblem.of(f"translations.{language}", N_("a translation must be an object of texts")))
        else:
            details = text.get("details")
            found[language] = QuestionText(
                prompt=_text(text, "prompt"),
                answer=_text(text, "answer"),
                accepted_answers=_texts(text, "accepted_answers"),
                options=_texts(text, "options"),
                explanation=_text(text, "explanation"),
                details=dict(details) if isinstance(details, Mapping) else {},
            )
    return found, problems


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
    label: str | Problem


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

    def problem(self, line: int | None, message: str | FieldProblem | Problem) -> None:
        """Note a problem on ``line``: a message, or a problem whose wording is kept for translation."""
        if len(self.problems) == MAX_PROBLEMS:
            self._stop(
                Problem.of(
                    None, N_("there are more than %(count)s problems; here are the first %(count)s"), count=MAX_PROBLEMS
                )
            )
        if isinstance(message, str):
            self.problems.append(Problem(line, message))
        else:
            self.problems.append(Problem(line, message.message, message.template, message.params))

    def add(self, fields: Mapping[str, object], line: int | None, label: str | Problem = "") -> None:
        """Build and check one question; ``label`` (e.g. ``entry 3``) prefixes its messages."""
        if len(self._located) == MAX_QUESTIONS_PER_FILE:
            self._stop(
                Problem.of(
                    None,
                    N_("the file has more than %(count)s questions; split it into smaller files"),
                    count=f"{MAX_QUESTIONS_PER_FILE:,}",
                )
            )
        draft, problems = draft_from_fields(fields)
        for problem in problems:
            self.problem(line, _labelled(label, problem))
        self._located.append(_Located(draft, line, label))

    def finish(self) -> list[QuestionDraft]:
        """The drafts in file order.

        Raises:
            ImportFormatError: if any problem was found.
        """
        self._add_duplicate_problems()
        raise_if_problems(self.problems, self.source_name)
        return [item.draft for item in self._located]

    def _stop(self, problem: Problem) -> NoReturn:
        raise ImportFormatError([*self.problems, problem], self.source_name)

    def _add_duplicate_problems(self) -> None:
        first_id: dict[str, _Located] = {}
        first_prompt: dict[str, _Located] = {}
        for item in self._located:
            if item.draft.id:
                earlier = first_id.setdefault(item.draft.id, item)
                if earlier is not item:
                    problem = Problem.of(
                        None,
                        N_("duplicate id %(id)s (first used %(where)s)"),
                        id=quoted(item.draft.id),
                        where=_where(earlier),
                    )
                    self.problem(item.line, _labelled(item.label, problem))
            prompt_key = " ".join(item.draft.prompt.casefold().split())
            if prompt_key:
                earlier = first_prompt.setdefault(prompt_key, item)
                if earlier is not item:
                    problem = Problem.of(None, N_("duplicate prompt (first asked %(where)s)"), where=_where(earlier))
                    self.problem(item.line, _labelled(item.label, problem))


def _labelled(label: str | Problem, problem: FieldProblem | Problem) -> FieldProblem | Problem:
    """A problem of the question ``label`` names (``entry 3``), prefixed with it."""
    return Problem.of(None, N_("%(where)s: %(problem)s"), where=label, problem=problem) if label else problem


def _where(item: _Located) -> Problem:
    if item.line is None:
        return Problem.of(None, N_("by %(label)s"), label=item.label) if item.label else Problem.of(None, N_("earlier"))
    return Problem.of(None, N_("on line %(line)s"), line=item.line)
