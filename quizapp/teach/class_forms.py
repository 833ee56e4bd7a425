"""Forms for classes and assignments. CSRF comes from FlaskForm."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectChoice, StringField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from quizapp.domain.classes import MAX_DUE_DAYS_AHEAD, due_day_problem
from quizapp.domain.questions import BankTopic
from quizapp.domain.quiz import DEFAULT_LENGTH, MAX_LENGTH, MIN_LENGTH
from quizapp.form_fields import IntegerField
from quizapp.i18n import error_text
from quizapp.quiz.forms import MultiCheckboxField
from quizapp.services.bank import TOPIC_NAMES
from quizapp.services.classes import MAX_NAME_LENGTH, MAX_TITLE_LENGTH, due_day_error


class WordedForm(FlaskForm):
    """A form whose errors are plain text in the request's language once it is validated.

    Validators are built once, with lazy messages (``lazy_gettext``); the error
    summary (:func:`quizapp.templating.form_error_list`) lists text only, so each
    message is worded for the request as the form is validated.
    """

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            field.errors = [str(message) for message in field.errors]
        return bool(valid)


class ClassForm(WordedForm):
    name = StringField(
        _l("Class name"),
        validators=[
            InputRequired(message=_l("Give the class a name.")),
            Length(max=MAX_NAME_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )

    def validate_name(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_("Give the class a name."))


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token to check."""


class AssignmentForm(WordedForm):
    """A quiz set for a class. ``today`` is the teacher's local date, the earliest due date.

    ``topics`` are (slug, name) of the topics offered (those with active
    questions); without them, the generated bank's.
    """

    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Give the assignment a title.")),
            Length(max=MAX_TITLE_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )
    topics = MultiCheckboxField(
        _l("Topics"),
        choices=[SelectChoice(topic.value, TOPIC_NAMES[topic]) for topic in BankTopic],
        default=[topic.value for topic in BankTopic],
    )
    length = IntegerField(
        _l("Number of questions"),
        default=DEFAULT_LENGTH,
        validators=[
            InputRequired(message=_l("Say how many questions to ask.")),
            NumberRange(min=MIN_LENGTH, max=MAX_LENGTH, message=_l("Choose between %(min)d and %(max)d.")),
        ],
    )
    due = DateField(_l("Due date"), validators=[InputRequired(message=_l("Choose a due date."))])

    def __init__(self, *args: Any, today: date, topics: Sequence[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        if topics:
            kwargs.setdefault("topics", [slug for slug, _ in topics])
        super().__init__(*args, **kwargs)
        if topics:
            self.topics.choices = [SelectChoice(slug, name) for slug, name in topics]
        self.today = today
        self.latest_due = today + timedelta(days=MAX_DUE_DAYS_AHEAD)

    def validate_title(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_("Give the assignment a title."))

    def validate_topics(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one topic."))

    def validate_due(self, field: Field) -> None:
        if field.data is not None and (problem := due_day_problem(field.data, self.today)):
            raise ValidationError(error_text(due_day_error(problem)))
