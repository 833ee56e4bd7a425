"""Forms of the teachers' question bank: authoring, filtering, import. CSRF comes from FlaskForm.

The question form only turns what was typed into a :class:`QuestionDraft`
(which option is the right one, which date fields make the date); the rules a
question must follow are checked once, by
:func:`quizapp.services.authoring.check_draft`, and its messages are shown
next to the field they concern by :meth:`QuestionForm.show_problems`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    Form,
    HiddenField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from quizapp.domain.dates import MONTH_NAMES, DatePrecision, PartialDate
from quizapp.domain.formats import FORMATS, ImportOptions, parse_date_answer
from quizapp.domain.grading import parse_number_response
from quizapp.domain.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, Language
from quizapp.domain.problems import FieldProblem
from quizapp.domain.question_types import TYPES, AnswerKey, kind_of
from quizapp.domain.question_types.base import feedback, texts, weights
from quizapp.domain.question_types.choice import select_all_weights
from quizapp.domain.question_types.matching import pairs_of
from quizapp.domain.question_types.numerical import number_text, numerical_answers
from quizapp.domain.questions import (
    ANSWER_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    MAX_ACCEPTED_ANSWERS,
    MAX_ITEMS,
    MAX_OPTIONS,
    MAX_PAIRS,
    PROMPT_MAX_LENGTH,
    TRUE_FALSE_OPTIONS,
    BankTopic,
    QuestionDraft,
    QuestionText,
    QuestionType,
    text_from_json,
)
from quizapp.form_fields import ListField, RowsField
from quizapp.i18n import error_text, problem_text
from quizapp.models import Origin, Question, QuestionVersion, Status
from quizapp.services.bank import RECENT_FIRST, TOPIC_NAMES, QuestionFilters

OPTION_ROWS = MAX_OPTIONS  # every possible option has a row, no script needed
PAIR_ROWS = MAX_PAIRS
EVENT_ROWS = MAX_ITEMS
NUMBER_ROWS = 4  # graded numbers: the answer, and a few near misses worth part of the point
# The browser stops typing at the size limits; beyond them (a script, an old page) the question
# rules answer with a message next to the field. Accepted answers: one per line.
ACCEPTED_ANSWERS_MAX_LENGTH = MAX_ACCEPTED_ANSWERS * (ANSWER_MAX_LENGTH + 1)

TYPE_LABELS = {question_type: _l(kind.label) for question_type, kind in TYPES.items()}  # N_ in the domain
ORIGIN_LABELS = {Origin.GENERATED: _l("Generated from the facts"), Origin.TEACHER: _l("Written by a teacher")}
STATUS_LABELS = {Status.ACTIVE: _l("Active"), Status.RETIRED: _l("Retired")}
PRECISION_LABELS = {
    DatePrecision.DAY: _l("A day (day, month and year)"),
    DatePrecision.MONTH: _l("A month (month and year)"),
    DatePrecision.YEAR: _l("A year"),
}
TRUE_FALSE_LABELS = {"True": _l("True"), "False": _l("False")}

MARK_CORRECT = _l("Mark which option is correct.")
MARK_ONE_CORRECT = _l("Mark only one option as correct (or choose the type Multiple response).")
MARK_RIGHT = _l("Mark every option that is right (at least one).")
CORRECT_IS_EMPTY = _l("The option marked correct is empty: write it, or mark another one.")
CHOOSE_TRUE_FALSE = _l("Choose whether the statement is true or false.")
GIVE_YEAR = _l("Give the year, e.g. 1883.")
YEAR_DIGITS = _l("Write the year as a number of up to four digits, e.g. 1883.")
CHOOSE_MONTH = _l("Choose the month.")
GIVE_DAY = _l("Give the day of the month.")
DAY_DIGITS = _l("Write the day as a number, e.g. 20.")
NUMBER_MISSING = _l("Give the number that is the answer.")
SAME_ROWS = _l("Fill the same rows as in the question's own language, in the same order.")
# The fields of the form that hold wording: each has a twin, ``second_<name>``, for the second language.
SECOND_LANGUAGE_FIELDS = (
    "prompt",
    "answer",
    "accepted_answers",
    "explanation",
    "options",
    "option_feedback",
    "pair_items",
    "pair_matches",
    "distractors",
    "events",
    "event_dates",
    "number_feedback",
)
SECOND = "second_"


def _topic_choices() -> list[SelectChoice]:
    return [SelectChoice(topic.value, TOPIC_NAMES[topic]) for topic in BankTopic]


def _language_choices() -> list[SelectChoice]:
    return [SelectChoice(language.value, name) for language, name in LANGUAGE_NAMES.items()]


def _type_choices() -> list[SelectChoice]:
    return [SelectChoice(question_type.value, label) for question_type, label in TYPE_LABELS.items()]


def sentence(message: str) -> str:
    """A service message as shown on a page: capital first letter."""
    return message[:1].upper() + message[1:]


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _rows(field: RowsField) -> list[str]:
    return [(text or "").strip() for text in field.data]


def _padded(texts: Sequence[str], rows: int) -> list[str]:
    return list(texts[:rows]) + [""] * (rows - len(texts))


@dataclass(frozen=True)
class AnswerPart:
    """What a type's section of the form gives a draft."""

    answer: str = ""
    options: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


def _text_rows(label: str, rows: int, max_length: int = ANSWER_MAX_LENGTH) -> RowsField:
    return RowsField(StringField(label, render_kw={"maxlength": max_length}), min_entries=rows, max_entries=rows)


class QuestionForm(FlaskForm):
    """Create or edit one question of any type, and try it out in a preview.

    Every type's section (its ``editor`` in the registry) is always on the page
    (the script only hides those of other types); fields of other sections are
    ignored. Multiple choice and multiple response share the option rows: one
    option marked correct, or every right one.

    The question is worded in ``language``; the ``second_`` fields, optional,
    word it in the other language: the same rows, with what is right, the
    dates and the numbers taken from the first language.
    """

    language = SelectField(
        _l("Language of the question"),
        choices=_language_choices(),
        default=DEFAULT_LANGUAGE.value,
        invalid_choice_message=_l("Choose a language."),
    )
    question_type = SelectField(
        _l("Question type"), choices=_type_choices(), invalid_choice_message=_l("Choose a question type.")
    )
    topic = SelectField(_l("Topic"), choices=_topic_choices(), invalid_choice_message=_l("Choose a topic."))
    prompt = TextAreaField(_l("Question"), render_kw={"maxlength": PROMPT_MAX_LENGTH})
    options = _text_rows(_l("Option"), OPTION_ROWS)
    correct_option = ListField(_l("Correct option"), default=list)  # the rows marked correct, "0" to "5"
    option_feedback = _text_rows(_l("Feedback"), OPTION_ROWS, EXPLANATION_MAX_LENGTH)
    true_false_answer = RadioField(
        _l("The statement is"),
        choices=[SelectChoice(value, value) for value in TRUE_FALSE_OPTIONS],
        validate_choice=False,
    )
    answer = StringField(_l("Answer"), render_kw={"maxlength": ANSWER_MAX_LENGTH})
    date_precision = SelectField(
        _l("The answer is"),
        choices=[SelectChoice(precision.value, label) for precision, label in PRECISION_LABELS.items()],
        default=DatePrecision.DAY.value,
        invalid_choice_message=_l("Choose how precise the date is."),
    )
    date_day = StringField(_l("Day"))
    date_month = SelectField(
        _l("Month"),
        choices=[SelectChoice("", "—")]
        + [SelectChoice(str(number), _l(name)) for number, name in enumerate(MONTH_NAMES, start=1)],
        validate_choice=False,
    )
    date_year = StringField(_l("Year"))
    pair_items = _text_rows(_l("Item"), PAIR_ROWS)
    pair_matches = _text_rows(_l("Its match"), PAIR_ROWS)
    distractors = TextAreaField(
        _l("More matches that fit no item"), render_kw={"maxlength": ACCEPTED_ANSWERS_MAX_LENGTH}
    )
    events = _text_rows(_l("Event"), EVENT_ROWS)
    event_dates = _text_rows(_l("When"), EVENT_ROWS)
    number_values = _text_rows(_l("Number"), NUMBER_ROWS, 40)
    number_tolerances = _text_rows(_l("± tolerance"), NUMBER_ROWS, 40)
    number_shares = _text_rows(_l("Share of the point (%)"), NUMBER_ROWS, 5)
    number_feedback = _text_rows(_l("Feedback"), NUMBER_ROWS, EXPLANATION_MAX_LENGTH)
    accepted_answers = TextAreaField(_l("Other accepted answers"), render_kw={"maxlength": ACCEPTED_ANSWERS_MAX_LENGTH})
    explanation = TextAreaField(_l("Explanation"), render_kw={"maxlength": EXPLANATION_MAX_LENGTH})
    tags = StringField(_l("Tags"))
    second_prompt = TextAreaField(_l("Question, in the other language"), render_kw={"maxlength": PROMPT_MAX_LENGTH})
    second_answer = StringField(_l("Answer, in the other language"), render_kw={"maxlength": ANSWER_MAX_LENGTH})
    second_accepted_answers = TextAreaField(
        _l("Other accepted answers, in the other language"), render_kw={"maxlength": ACCEPTED_ANSWERS_MAX_LENGTH}
    )
    second_explanation = TextAreaField(
        _l("Explanation, in the other language"), render_kw={"maxlength": EXPLANATION_MAX_LENGTH}
    )
    second_options = _text_rows(_l("Option"), OPTION_ROWS)
    second_option_feedback = _text_rows(_l("Feedback"), OPTION_ROWS, EXPLANATION_MAX_LENGTH)
    second_pair_items = _text_rows(_l("Item"), PAIR_ROWS)
    second_pair_matches = _text_rows(_l("Its match"), PAIR_ROWS)
    second_distractors = TextAreaField(
        _l("More matches that fit no item, in the other language"), render_kw={"maxlength": ACCEPTED_ANSWERS_MAX_LENGTH}
    )
    second_events = _text_rows(_l("Event"), EVENT_ROWS)
    second_event_dates = _text_rows(_l("When"), EVENT_ROWS)
    second_number_feedback = _text_rows(_l("Feedback, in the other language"), NUMBER_ROWS, EXPLANATION_MAX_LENGTH)
    response = ListField(_l("Your answer"), default=list)  # a try in the preview; checked by the view
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save question"))

    draft: QuestionDraft | None = None
    _reading = ""  # "" while the question's own language is read, SECOND while the second one is

    @property
    def second_language(self) -> Language:
        """The language of the ``second_`` fields: the one the question is not worded in."""
        first = Language(self.language.data) if self.language.data in LANGUAGE_NAMES else DEFAULT_LANGUAGE
        return next(language for language in Language if language != first)

    def _field(self, name: str) -> Any:
        """The field ``name`` of the language being read (shared fields are the same in both)."""
        if self._reading and name in SECOND_LANGUAGE_FIELDS:
            return getattr(self, SECOND + name)
        return getattr(self, name)

    def has_second_language(self) -> bool:
        """Whether anything of the second language was written."""
        for name in SECOND_LANGUAGE_FIELDS:
            data = getattr(self, SECOND + name).data
            if any((text or "").strip() for text in data) if isinstance(data, list) else (data or "").strip():
                return True
        return False

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Check the fields and build :attr:`draft` from the section of the chosen type.

        When the section cannot be read, :attr:`draft` still holds the fields
        every question shares (with an empty answer part), so the question
        rules about those can be shown at the same time (:meth:`show_shared_problems`).
        """
        self.draft = None
        if not super().validate(extra_validators):
            return False
        question_type = QuestionType(self.question_type.data)
        section = self._SECTIONS[kind_of(question_type).editor]
        part = section(self, question_type)
        translations: dict[Language, QuestionText] = {}
        if part is not None and self.has_second_language():
            second = self._second_part(section, question_type, part)
            if second is None:
                part = None
            else:
                translations[self.second_language] = QuestionText(
                    prompt=self.second_prompt.data or "",
                    answer=second.answer,
                    accepted_answers=_lines(self.second_accepted_answers.data)
                    if question_type in TYPED_ANSWERS
                    else (),
                    options=second.options,
                    explanation=self.second_explanation.data or "",
                    details=second.details,
                )
        self.draft = QuestionDraft(
            id="",
            topic=BankTopic(self.topic.data),
            type=question_type,
            prompt=self.prompt.data or "",
            answer=part.answer if part else "",
            accepted_answers=_lines(self.accepted_answers.data) if question_type in TYPED_ANSWERS else (),
            options=part.options if part else (),
            explanation=self.explanation.data or "",
            tags=tuple(tag.strip() for tag in (self.tags.data or "").split(",") if tag.strip()),
            details=part.details if part else {},
            language=Language(self.language.data),
            translations=translations,
        )
        return part is not None

    def _second_part(
        self,
        section: Callable[[QuestionForm, QuestionType], AnswerPart | None],
        question_type: QuestionType,
        first: AnswerPart,
    ) -> AnswerPart | None:
        """The answer part in the second language: the section read from the ``second_`` rows, which must
        be filled where the first language's are; a date's or true/false answer is the same in both."""
        for name in _ROWS_OF.get(kind_of(question_type).editor, ()):
            if [bool(text) for text in _rows(getattr(self, name))] != [
                bool(text) for text in _rows(getattr(self, SECOND + name))
            ]:
                getattr(self, SECOND + name).errors = [str(SAME_ROWS)]
                return None
        if kind_of(question_type).editor in ("true_false", "date"):
            return first
        self._reading = SECOND
        try:
            return section(self, question_type)
        finally:
            self._reading = ""

    # -- each section, read into the answer part of a draft (None when it cannot be) ------

    def _options_part(self, question_type: QuestionType) -> AnswerPart | None:
        rows = _rows(self._field("options"))
        filled = [row for row in rows if row]
        marked = sorted({int(index) for index in self.correct_option.data or [] if index in _ROW_INDEXES})
        ok = True
        # Identical rows would silently merge into one option; near-identical
        # ones ("Lima", "lima") are caught by the question rules.
        repeated = next((row for index, row in enumerate(filled) if row in filled[:index]), None)
        if repeated is not None:
            self._answer_errors().append(
                gettext("Options must be distinct: “%(option)s” is written twice.", option=repeated)
            )
            ok = False
        one_answer = question_type == QuestionType.MULTIPLE_CHOICE
        if not marked:
            self._answer_errors().append(str(MARK_CORRECT if one_answer else MARK_RIGHT))
            return None
        if one_answer and len(marked) > 1:
            self._answer_errors().append(str(MARK_ONE_CORRECT))
            return None
        if any(not rows[index] for index in marked):
            self._answer_errors().append(str(CORRECT_IS_EMPTY))
            return None
        if not ok:
            return None
        right = [rows[index] for index in marked]
        comments = {
            row: comment for row, comment in zip(rows, _rows(self._field("option_feedback")), strict=True) if row
        }
        details: dict[str, Any] = {"feedback": {row: text for row, text in comments.items() if text}}
        if not one_answer:
            details["weights"] = select_all_weights(filled, right)
        return AnswerPart(right[0], tuple(filled), details)

    def _answer_errors(self) -> list[str]:
        """Where the option rows' errors go: the "correct" marks, or the second language's rows."""
        errors: list[str] = (self.second_options if self._reading else self.correct_option).errors
        return errors

    def _true_false_part(self, question_type: QuestionType) -> AnswerPart | None:
        if self.true_false_answer.data not in TRUE_FALSE_OPTIONS:
            self.true_false_answer.errors.append(str(CHOOSE_TRUE_FALSE))
            return None
        return AnswerPart(str(self.true_false_answer.data), TRUE_FALSE_OPTIONS)

    def _typed_part(self, question_type: QuestionType) -> AnswerPart | None:
        return AnswerPart((self._field("answer").data or "").strip())

    def _date_part(self, question_type: QuestionType) -> AnswerPart | None:
        """The date as ``YYYY[-MM[-DD]]``; the question rules read it and check its year."""
        precision = DatePrecision(self.date_precision.data)
        year_text = (self.date_year.data or "").strip()
        month_text = self.date_month.data or ""
        day_text = (self.date_day.data or "").strip()
        ok = True
        if not year_text:
            self.date_year.errors.append(str(GIVE_YEAR))
            ok = False
        elif not (year_text.isascii() and year_text.isdigit() and len(year_text) <= 4):
            self.date_year.errors.append(str(YEAR_DIGITS))
            ok = False
        if precision != DatePrecision.YEAR and not month_text:
            self.date_month.errors.append(str(CHOOSE_MONTH))
            ok = False
        if precision == DatePrecision.DAY:
            if not day_text:
                self.date_day.errors.append(str(GIVE_DAY))
                ok = False
            elif not (day_text.isascii() and day_text.isdigit() and len(day_text) <= 2):
                self.date_day.errors.append(str(DAY_DIGITS))
                ok = False
        if not ok:
            return None
        month = int(month_text) if precision != DatePrecision.YEAR else None
        day = int(day_text) if precision == DatePrecision.DAY else None
        try:
            date = PartialDate(int(year_text), month, day)
        except ValueError as error:  # e.g. "February 1883 has no day 31"
            self.date_day.errors.append(sentence(error_text(error)) + ".")
            return None
        return AnswerPart(date.iso())

    def _matching_part(self, question_type: QuestionType) -> AnswerPart | None:
        pairs = list(zip(_rows(self._field("pair_items")), _rows(self._field("pair_matches")), strict=True))
        halves = [row for row, (item, match) in enumerate(pairs, start=1) if bool(item) != bool(match)]
        if halves:
            self._field("pair_items").errors = [
                gettext("Row %(row)s: give both the item and its match.", row=row) for row in halves
            ]
            return None
        details = {
            "pairs": [[item, match] for item, match in pairs if item],
            "distractors": list(_lines(self._field("distractors").data)),
        }
        return AnswerPart(details=details)

    def _timeline_part(self, question_type: QuestionType) -> AnswerPart | None:
        rows = list(zip(_rows(self._field("events")), _rows(self._field("event_dates")), strict=True))
        orphans = [row for row, (event, when) in enumerate(rows, start=1) if when and not event]
        if orphans:
            self._field("event_dates").errors = [
                gettext("Row %(row)s: a date needs its event.", row=row) for row in orphans
            ]
            return None
        given = [(event, when) for event, when in rows if event]
        details: dict[str, Any] = {"items": [event for event, _ in given]}
        if any(when for _, when in given):
            details["labels"] = [when for _, when in given]
        return AnswerPart(details=details)

    def _numerical_part(self, question_type: QuestionType) -> AnswerPart | None:
        answers: list[dict[str, Any]] = []
        unreadable = []
        rows = zip(
            _rows(self.number_values),
            _rows(self.number_tolerances),
            _rows(self.number_shares),
            _rows(self._field("number_feedback")),
            strict=True,
        )
        for row, (value, tolerance, share, comment) in enumerate(rows, start=1):
            if not (value or tolerance or share or comment):
                continue
            number = parse_number_response(value)
            spread = parse_number_response(tolerance or "0")
            percent = parse_number_response(share or ("100" if row == 1 else ""))
            if number is None or spread is None or percent is None:
                unreadable.append(row)
                continue
            answers.append({"value": number, "tolerance": spread, "share": percent / 100, "feedback": comment})
        if unreadable or not answers:
            self.number_values.errors = [
                gettext(
                    "Row %(row)s: write the number, its tolerance and its share (a percentage) as numbers.", row=row
                )
                for row in unreadable
            ] or [str(NUMBER_MISSING)]
            return None
        return AnswerPart(details={"answers": answers})

    _SECTIONS: ClassVar[dict[str, Callable[[QuestionForm, QuestionType], AnswerPart | None]]] = {
        "options": _options_part,
        "true_false": _true_false_part,
        "short_answer": _typed_part,
        "date": _date_part,
        "matching": _matching_part,
        "timeline": _timeline_part,
        "numerical": _numerical_part,
    }

    # -- problems, each on its field ----------------------------------------------------

    def _target(self, problem: FieldProblem) -> Field | None:
        """The field a problem is about, None for the form as a whole."""
        editor = kind_of(self.question_type.data).editor
        field_name = problem.field
        second = field_name.startswith("translations.")
        if second:  # translations.es.prompt: the second language's field
            field_name = field_name.split(".", 2)[2] if field_name.count(".") >= 2 else ""
        if field_name in ("answer", "options", "details.weights"):
            name = _ANSWER_FIELDS[editor]
        else:
            name = _DETAIL_FIELDS.get(field_name, field_name)
            if name not in _PLACED_FIELDS:
                return None
        if second:
            name = _SECOND_TARGETS.get(name, SECOND + name)
        target = getattr(self, name, None)
        return target if isinstance(target, Field) else None

    def show_problems(self, problems: Iterable[FieldProblem]) -> None:
        """Put each question-rule problem next to its field (or at the top of the form)."""
        for problem in problems:
            target = self._target(problem)
            message = sentence(problem_text(problem))
            if target is None and problem.field.startswith("translations."):
                message = gettext(
                    "%(language)s: %(problem)s", language=LANGUAGE_NAMES[self.second_language], problem=message
                )
            if target is None:
                self.form_errors.append(message)
            else:
                target.errors = [*target.errors, message]

    def show_shared_problems(self, problems: Iterable[FieldProblem]) -> None:
        """Of the problems of a draft whose section could not be read, those of the fields every question shares."""
        self.show_problems(problem for problem in problems if problem.field in _SHARED_FIELDS)

    def sections_with_errors(self) -> set[str]:
        """The ids of the row fields that have errors (their inputs get aria-invalid)."""
        names = (*_ROW_FIELDS, *(SECOND + name for name in _ROW_FIELDS if hasattr(self, SECOND + name)))
        return {name for name in names if getattr(self, name).errors}

    @staticmethod
    def data_for(question: Question) -> dict[str, object]:
        """The form's initial values for a question's current version."""
        version = question.current
        question_type = QuestionType(version.type)
        data: dict[str, object] = {
            "question_type": question_type.value,
            "topic": question.topic.slug,
            "prompt": version.prompt,
            "accepted_answers": "\n".join(version.accepted_answers),
            "explanation": version.explanation,
            "tags": ", ".join(question.tags),
            "options": _padded(version.options, OPTION_ROWS),
            "language": version.language.value,
        }
        data |= _SECTION_DATA[kind_of(question_type).editor](version)
        # The other language, prefilled: an edit of one language shows the other, to be fixed alongside.
        for tag, stored in (version.translations or {}).items():
            if tag == version.language:
                continue
            text = text_from_json(stored)
            second = {
                "prompt": text.prompt,
                "accepted_answers": "\n".join(text.accepted_answers),
                "explanation": text.explanation,
                "options": _padded(text.options, OPTION_ROWS),
            } | _SECTION_DATA[kind_of(question_type).editor](text)
            data |= {SECOND + name: value for name, value in second.items() if name in SECOND_LANGUAGE_FIELDS}
        return data


# Types whose "other accepted answers" box is read; the others keep their answers in their section.
TYPED_ANSWERS = (QuestionType.SHORT_ANSWER, QuestionType.DATE)
_ROW_INDEXES = {str(number) for number in range(OPTION_ROWS)}
# The field a type's "answer" (and its options and weights) problems go to, by section.
_ANSWER_FIELDS = {
    "options": "correct_option",
    "true_false": "true_false_answer",
    "short_answer": "answer",
    "date": "date_year",
    "matching": "pair_items",
    "timeline": "events",
    "numerical": "number_values",
}
_DETAIL_FIELDS = {
    "details.feedback": "option_feedback",
    "details.pairs": "pair_items",
    "details.distractors": "distractors",
    "details.items": "events",
    "details.labels": "event_dates",
    "details.answers": "number_values",
}
_SHARED_FIELDS = {"prompt", "explanation", "accepted_answers", "tags", "topic"}
# Where a second-language problem goes when the first language's field has no twin.
_SECOND_TARGETS = {"correct_option": "second_options", "number_values": "second_number_feedback"}
# The rows the second language must fill where the first does, by section.
_ROWS_OF: dict[str, tuple[str, ...]] = {
    "options": ("options",),
    "matching": ("pair_items", "pair_matches"),
    "timeline": ("events",),
}
_ROW_FIELDS = ("option_feedback", "pair_items", "event_dates", "events", "number_values", "options", "number_feedback")
_PLACED_FIELDS = {"prompt", "explanation", "accepted_answers", "tags", "topic", *_DETAIL_FIELDS.values()}


# A stored version, or its wording in another language: what the form's sections are filled from.
Worded = QuestionVersion | QuestionText


def _options_data(version: Worded) -> dict[str, object]:
    # weights and feedback read only the details, which a wording has as a version has.
    shares = weights(cast(AnswerKey, version))
    right = {option for option, share in shares.items() if share > 0} or {version.answer}
    comments = feedback(cast(AnswerKey, version))
    return {
        "correct_option": [str(index) for index, option in enumerate(version.options) if option in right],
        "option_feedback": _padded([comments.get(option, "") for option in version.options], OPTION_ROWS),
    }


def _date_data(version: Worded) -> dict[str, object]:
    try:
        date = parse_date_answer(version.answer)
    except ValueError:
        return {}
    return {
        "date_precision": date.precision.value,
        "date_year": str(date.year),
        "date_month": str(date.month or ""),
        "date_day": str(date.day or ""),
    }


def _matching_data(version: Worded) -> dict[str, object]:
    pairs = pairs_of(version.details)
    return {
        "pair_items": _padded([item for item, _ in pairs], PAIR_ROWS),
        "pair_matches": _padded([match for _, match in pairs], PAIR_ROWS),
        "distractors": "\n".join(texts(version.details, "distractors")),
    }


def _timeline_data(version: Worded) -> dict[str, object]:
    return {
        "events": _padded(texts(version.details, "items"), EVENT_ROWS),
        "event_dates": _padded(texts(version.details, "labels"), EVENT_ROWS),
    }


def _true_or_false(version: Worded) -> str:
    """The form's choice ("True" or "False") for a statement worded in any language: true is the first option."""
    options = list(version.options)
    return TRUE_FALSE_OPTIONS[options.index(version.answer)] if version.answer in options[:2] else version.answer


def _numerical_data(version: Worded) -> dict[str, object]:
    answers = numerical_answers(version.details)
    return {
        "number_values": _padded([number_text(answer.value) for answer in answers], NUMBER_ROWS),
        "number_tolerances": _padded([number_text(answer.tolerance) for answer in answers], NUMBER_ROWS),
        "number_shares": _padded([number_text(round(answer.share * 100, 2)) for answer in answers], NUMBER_ROWS),
        "number_feedback": _padded([answer.feedback for answer in answers], NUMBER_ROWS),
    }


_SECTION_DATA: dict[str, Callable[[Worded], dict[str, object]]] = {
    "options": _options_data,
    "true_false": lambda version: {"true_false_answer": _true_or_false(version)},
    "short_answer": lambda version: {"answer": version.answer},
    "date": _date_data,
    "matching": _matching_data,
    "timeline": _timeline_data,
    "numerical": _numerical_data,
}


ANY_STATUS = "any"


class BankFilterForm(Form):
    """The bank page's search and filters, read from the query string (no CSRF: it changes nothing)."""

    q = SearchField(_l("Search"), validators=[Length(max=200)])
    topic = SelectField(_l("Topic"), choices=[SelectChoice("", _l("All topics")), *_topic_choices()], default="")
    type = SelectField(_l("Type"), choices=[SelectChoice("", _l("All types")), *_type_choices()], default="")
    origin = SelectField(
        _l("Origin"),
        choices=[SelectChoice("", _l("Any origin"))]
        + [SelectChoice(origin.value, label) for origin, label in ORIGIN_LABELS.items()],
        default="",
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]
        + [SelectChoice(ANY_STATUS, _l("Active and retired"))],
        default=Status.ACTIVE.value,
    )
    order = SelectField(
        _l("Order"),
        choices=[
            SelectChoice("topic", _l("By topic")),
            SelectChoice(RECENT_FIRST, _l("Latest written or edited first")),
        ],
        default="topic",
    )

    def filters(self) -> QuestionFilters:
        """The filters asked for; a value that is not a choice counts as the default."""
        self.validate()

        def chosen(field: SelectField) -> str:
            return field.data if not field.errors and field.data is not None else field.default

        status = chosen(self.status)
        return QuestionFilters(
            text=(self.q.data or "")[:200] if not self.q.errors else "",
            topic=chosen(self.topic),
            type=chosen(self.type),
            origin=chosen(self.origin),
            status="" if status == ANY_STATUS else status,
            order=chosen(self.order),
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments, defaults left out (for links to other pages)."""
        filters = self.filters()
        args = {"q": filters.text, "topic": filters.topic, "type": filters.type, "origin": filters.origin}
        args = {name: value for name, value in args.items() if value}
        if filters.status != Status.ACTIVE.value:
            args["status"] = filters.status or ANY_STATUS
        if filters.order != self.order.default:
            args["order"] = filters.order
        return args


EXPORT_LABELS = {name: _l(f.label) for name, f in FORMATS.items()} | {"anki": _l("Anki deck (.apkg)")}


class ImportForm(FlaskForm):
    """An upload; the view fills ``topic``'s choices with the bank's topics (:meth:`offer_topics`)."""

    file = FileField(_l("Question file"), validators=[FileRequired(_l("Choose a file to upload."))])
    format = SelectField(
        _l("Format"),
        choices=[SelectChoice("", _l("Tell from the file name (.csv, .gift or .txt, .xml, .json)"))]
        + [SelectChoice(name, _l(f.label)) for name, f in FORMATS.items()],
        default="",
    )
    topic = SelectField(_l("Topic of questions in no category (Moodle files)"), choices=[], default="")
    skip_unsupported = BooleanField(_l("Skip questions that cannot be graded automatically (essays, descriptions)"))
    language = SelectField(
        _l("Language of the questions"),
        choices=_language_choices(),
        default=DEFAULT_LANGUAGE.value,
        invalid_choice_message=_l("Choose a language."),
    )

    def offer_topics(self, topics: Sequence[tuple[str, str]]) -> None:
        """Offer the topics (slug, name) for questions a file puts in no category."""
        self.topic.choices = [SelectChoice("", _l("None: the file names its categories"))] + [
            SelectChoice(slug, name) for slug, name in topics
        ]

    def options(self) -> ImportOptions:
        return ImportOptions(
            default_topic=self.topic.data or "",
            skip_unsupported=bool(self.skip_unsupported.data),
            language=Language(self.language.data),
        )


class ConfirmImportForm(FlaskForm):
    """The second step of an import: the signed upload the dry run was made from."""

    token = HiddenField(validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that changes something (retire, restore): only the CSRF token."""
