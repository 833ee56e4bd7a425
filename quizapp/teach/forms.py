"""Forms of the teachers' question bank: authoring, filtering, import. CSRF comes from FlaskForm.

The question form only turns what was typed into a :class:`QuestionDraft`
(which option is the right one, which date fields make the date); the rules a
question must follow are checked once, by
:func:`quizapp.services.authoring.check_draft`, and its messages are shown
next to the field they concern by :meth:`QuestionForm.show_problems`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    FieldList,
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
from quizapp.domain.questions import (
    ANSWER_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    MAX_ACCEPTED_ANSWERS,
    MAX_OPTIONS,
    PROMPT_MAX_LENGTH,
    TRUE_FALSE_OPTIONS,
    BankTopic,
    QuestionDraft,
    QuestionType,
)
from quizapp.models import Origin, Question, Status
from quizapp.services.bank import TOPIC_NAMES, QuestionFilters

OPTION_ROWS = MAX_OPTIONS  # every possible option has a row, no script needed
# The browser stops typing at the size limits; beyond them (a script, an old page) the question
# rules answer with a message next to the field. Accepted answers: one per line.
ACCEPTED_ANSWERS_MAX_LENGTH = MAX_ACCEPTED_ANSWERS * (ANSWER_MAX_LENGTH + 1)

TYPE_LABELS = {
    QuestionType.MULTIPLE_CHOICE: "Multiple choice",
    QuestionType.TRUE_FALSE: "True or false",
    QuestionType.SHORT_ANSWER: "Short answer",
    QuestionType.DATE: "Date",
}
ORIGIN_LABELS = {Origin.GENERATED: "Generated from the facts", Origin.TEACHER: "Written by a teacher"}
STATUS_LABELS = {Status.ACTIVE: "Active", Status.RETIRED: "Retired"}
PRECISION_LABELS = {
    DatePrecision.DAY: "A day (day, month and year)",
    DatePrecision.MONTH: "A month (month and year)",
    DatePrecision.YEAR: "A year",
}

MARK_CORRECT = "Mark which option is correct."
CORRECT_IS_EMPTY = "The option marked correct is empty: write it, or mark another one."
CHOOSE_TRUE_FALSE = "Choose whether the statement is true or false."
GIVE_YEAR = "Give the year, e.g. 1883."
YEAR_DIGITS = "Write the year as a number of up to four digits, e.g. 1883."
CHOOSE_MONTH = "Choose the month."
GIVE_DAY = "Give the day of the month."
DAY_DIGITS = "Write the day as a number, e.g. 20."


def _topic_choices() -> list[SelectChoice]:
    return [SelectChoice(topic.value, TOPIC_NAMES[topic]) for topic in BankTopic]


def _type_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, label) for kind, label in TYPE_LABELS.items()]


def sentence(message: str) -> str:
    """A service message as shown on a page: capital first letter."""
    return message[:1].upper() + message[1:]


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


class QuestionForm(FlaskForm):
    """Create or edit one question of any type, and try it out in a preview.

    Every type's answer fields are always on the page (the script only hides
    those of other types); fields of other types are ignored.
    """

    question_type = SelectField(
        "Question type", choices=_type_choices(), invalid_choice_message="Choose a question type."
    )
    topic = SelectField("Topic", choices=_topic_choices(), invalid_choice_message="Choose a topic.")
    prompt = TextAreaField("Question", render_kw={"maxlength": PROMPT_MAX_LENGTH})
    options = FieldList(
        StringField("Option", render_kw={"maxlength": ANSWER_MAX_LENGTH}),
        min_entries=OPTION_ROWS,
        max_entries=OPTION_ROWS,
    )
    correct_option = RadioField(
        "Correct option",
        choices=[SelectChoice(str(index), f"Option {index + 1} is correct") for index in range(OPTION_ROWS)],
        validate_choice=False,
    )
    true_false_answer = RadioField(
        "The statement is",
        choices=[SelectChoice(value, value) for value in TRUE_FALSE_OPTIONS],
        validate_choice=False,
    )
    answer = StringField("Answer", render_kw={"maxlength": ANSWER_MAX_LENGTH})
    date_precision = SelectField(
        "The answer is",
        choices=[SelectChoice(precision.value, label) for precision, label in PRECISION_LABELS.items()],
        default=DatePrecision.DAY.value,
        invalid_choice_message="Choose how precise the date is.",
    )
    date_day = StringField("Day")
    date_month = SelectField(
        "Month",
        choices=[SelectChoice("", "—")]
        + [SelectChoice(str(number), name) for number, name in enumerate(MONTH_NAMES, start=1)],
        validate_choice=False,
    )
    date_year = StringField("Year")
    accepted_answers = TextAreaField("Other accepted answers", render_kw={"maxlength": ACCEPTED_ANSWERS_MAX_LENGTH})
    explanation = TextAreaField("Explanation", render_kw={"maxlength": EXPLANATION_MAX_LENGTH})
    tags = StringField("Tags")
    response = StringField("Your answer")  # a try in the preview; checked by the view
    preview = SubmitField("Preview")
    save = SubmitField("Save question")

    draft: QuestionDraft | None = None

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Check the fields and build :attr:`draft` from those of the chosen type."""
        self.draft = None
        if not super().validate(extra_validators):
            return False
        kind = QuestionType(self.question_type.data)
        options: tuple[str, ...] = ()
        if kind == QuestionType.MULTIPLE_CHOICE:
            answer, options = self._choice_answer()
        elif kind == QuestionType.TRUE_FALSE:
            answer, options = self._true_false_answer(), TRUE_FALSE_OPTIONS
        elif kind == QuestionType.DATE:
            answer = self._date_answer()
        else:
            answer = (self.answer.data or "").strip()
        if answer is None:
            return False
        self.draft = QuestionDraft(
            id="",
            topic=BankTopic(self.topic.data),
            type=kind,
            prompt=self.prompt.data or "",
            answer=answer,
            accepted_answers=_lines(self.accepted_answers.data),
            options=options,
            explanation=self.explanation.data or "",
            tags=tuple(tag.strip() for tag in (self.tags.data or "").split(",") if tag.strip()),
        )
        return True

    def _choice_answer(self) -> tuple[str | None, tuple[str, ...]]:
        rows = [(text or "").strip() for text in self.options.data]
        filled = [row for row in rows if row]
        ok = True
        # Identical rows would silently merge into one option; near-identical
        # ones ("Lima", "lima") are caught by the question rules.
        repeated = next((row for index, row in enumerate(filled) if row in filled[:index]), None)
        if repeated is not None:
            self.correct_option.errors.append(f"Options must be distinct: “{repeated}” is written twice.")
            ok = False
        index = self.correct_option.data
        if index not in {str(number) for number in range(OPTION_ROWS)}:
            self.correct_option.errors.append(MARK_CORRECT)
            return None, ()
        if not rows[int(index)]:
            self.correct_option.errors.append(CORRECT_IS_EMPTY)
            return None, ()
        return (rows[int(index)] if ok else None), tuple(filled)

    def _true_false_answer(self) -> str | None:
        if self.true_false_answer.data not in TRUE_FALSE_OPTIONS:
            self.true_false_answer.errors.append(CHOOSE_TRUE_FALSE)
            return None
        return str(self.true_false_answer.data)

    def _date_answer(self) -> str | None:
        """The date as ``YYYY[-MM[-DD]]``; the question rules read it and check its year."""
        precision = DatePrecision(self.date_precision.data)
        year_text = (self.date_year.data or "").strip()
        month_text = self.date_month.data or ""
        day_text = (self.date_day.data or "").strip()
        ok = True
        if not year_text:
            self.date_year.errors.append(GIVE_YEAR)
            ok = False
        elif not (year_text.isascii() and year_text.isdigit() and len(year_text) <= 4):
            self.date_year.errors.append(YEAR_DIGITS)
            ok = False
        if precision != DatePrecision.YEAR and not month_text:
            self.date_month.errors.append(CHOOSE_MONTH)
            ok = False
        if precision == DatePrecision.DAY:
            if not day_text:
                self.date_day.errors.append(GIVE_DAY)
                ok = False
            elif not (day_text.isascii() and day_text.isdigit() and len(day_text) <= 2):
                self.date_day.errors.append(DAY_DIGITS)
                ok = False
        if not ok:
            return None
        month = int(month_text) if precision != DatePrecision.YEAR else None
        day = int(day_text) if precision == DatePrecision.DAY else None
        try:
            date = PartialDate(int(year_text), month, day)
        except ValueError as error:  # e.g. "February 1883 has no day 31"
            self.date_day.errors.append(sentence(str(error)) + ".")
            return None
        return date.iso()

    def _target(self, message: str) -> Field | None:
        """The field a question-rule message is about, None for the form as a whole."""
        kind = QuestionType(self.question_type.data)
        answer_field = {
            QuestionType.MULTIPLE_CHOICE: self.correct_option,
            QuestionType.TRUE_FALSE: self.true_false_answer,
            QuestionType.SHORT_ANSWER: self.answer,
            QuestionType.DATE: self.date_year,
        }[kind]
        # Most specific first: "the accepted answer ..." before "the answer ...".
        targets = (
            ("prompt", self.prompt),
            ("explanation", self.explanation),
            ("accepted answers", self.accepted_answers),
            ("an accepted answer", self.accepted_answers),
            ("the accepted answer", self.accepted_answers),
            ("tags", self.tags),
            ("a tag", self.tags),
            ("multiple choice", self.correct_option),
            ("options", self.correct_option),
            ("every option", self.correct_option),
            ("an option", self.correct_option),
            ("the answer", answer_field),
            ("answer", answer_field),
            ("a true/false answer", answer_field),
            ("date answer", answer_field),
        )
        for prefix, target in targets:
            if message.startswith((prefix + " ", prefix + ":")):
                return target
        return None

    def show_problems(self, problems: Iterable[str]) -> None:
        """Put each question-rule message next to its field (or at the top of the form)."""
        for message in problems:
            target = self._target(message)
            if target is None:
                self.form_errors.append(sentence(message))
            else:
                target.errors = [*target.errors, sentence(message)]

    @staticmethod
    def data_for(question: Question) -> dict[str, object]:
        """The form's initial values for a question's current version."""
        version = question.current
        kind = QuestionType(version.type)
        data: dict[str, object] = {
            "question_type": kind.value,
            "topic": question.topic.slug,
            "prompt": version.prompt,
            "accepted_answers": "\n".join(version.accepted_answers),
            "explanation": version.explanation,
            "tags": ", ".join(question.tags),
            "options": list(version.options[:OPTION_ROWS]) + [""] * (OPTION_ROWS - len(version.options)),
        }
        if kind == QuestionType.MULTIPLE_CHOICE and version.answer in version.options:
            data["correct_option"] = str(list(version.options).index(version.answer))
        elif kind == QuestionType.TRUE_FALSE:
            data["true_false_answer"] = version.answer
        elif kind == QuestionType.DATE:
            try:
                date = parse_date_answer(version.answer)
            except ValueError:
                date = None
            if date is not None:
                data["date_precision"] = date.precision.value
                data["date_year"] = str(date.year)
                data["date_month"] = str(date.month or "")
                data["date_day"] = str(date.day or "")
        else:
            data["answer"] = version.answer
        return data


ANY_STATUS = "any"


class BankFilterForm(Form):
    """The bank page's search and filters, read from the query string (no CSRF: it changes nothing)."""

    q = SearchField("Search", validators=[Length(max=200)])
    topic = SelectField("Topic", choices=[SelectChoice("", "All topics"), *_topic_choices()], default="")
    type = SelectField("Type", choices=[SelectChoice("", "All types"), *_type_choices()], default="")
    origin = SelectField(
        "Origin",
        choices=[SelectChoice("", "Any origin")]
        + [SelectChoice(origin.value, label) for origin, label in ORIGIN_LABELS.items()],
        default="",
    )
    status = SelectField(
        "Status",
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]
        + [SelectChoice(ANY_STATUS, "Active and retired")],
        default=Status.ACTIVE.value,
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
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments, defaults left out (for links to other pages)."""
        filters = self.filters()
        args = {"q": filters.text, "topic": filters.topic, "type": filters.type, "origin": filters.origin}
        args = {name: value for name, value in args.items() if value}
        if filters.status != Status.ACTIVE.value:
            args["status"] = filters.status or ANY_STATUS
        return args


EXPORT_LABELS = {name: f.label for name, f in FORMATS.items()} | {"anki": "Anki deck (.apkg)"}


class ImportForm(FlaskForm):
    """An upload; the view fills ``topic``'s choices with the bank's topics (:meth:`offer_topics`)."""

    file = FileField("Question file", validators=[FileRequired("Choose a file to upload.")])
    format = SelectField(
        "Format",
        choices=[SelectChoice("", "Tell from the file name (.csv, .gift or .txt, .xml, .json)")]
        + [SelectChoice(name, f.label) for name, f in FORMATS.items()],
        default="",
    )
    topic = SelectField("Topic of questions in no category (Moodle files)", choices=[], default="")
    skip_unsupported = BooleanField("Skip questions that cannot be graded automatically (essays, descriptions)")

    def offer_topics(self, topics: Sequence[tuple[str, str]]) -> None:
        """Offer the topics (slug, name) for questions a file puts in no category."""
        self.topic.choices = [SelectChoice("", "None: the file names its categories")] + [
            SelectChoice(slug, name) for slug, name in topics
        ]

    def options(self) -> ImportOptions:
        return ImportOptions(default_topic=self.topic.data or "", skip_unsupported=bool(self.skip_unsupported.data))


class ConfirmImportForm(FlaskForm):
    """The second step of an import: the signed upload the dry run was made from."""

    token = HiddenField(validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that changes something (retire, restore): only the CSRF token."""
