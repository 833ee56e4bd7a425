"""Quiz forms. CSRF comes from FlaskForm."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from quizapp.domain.grading import MAX_RESPONSE_LENGTH
from quizapp.domain.questions import BankTopic
from quizapp.domain.quiz import DEFAULT_LENGTH, MAX_LENGTH, MIN_LENGTH
from quizapp.form_fields import IntegerField
from quizapp.services.bank import TOPIC_NAMES

MIX = "mix"


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewQuizForm(FlaskForm):
    topics = MultiCheckboxField(
        "Topics",
        choices=[SelectChoice(MIX, "A mix of everything")]
        + [SelectChoice(topic.value, TOPIC_NAMES[topic]) for topic in BankTopic],
        default=[MIX],
    )
    length = IntegerField(
        "Number of questions",
        default=DEFAULT_LENGTH,
        validators=[
            InputRequired(message="Say how many questions you want."),
            NumberRange(min=MIN_LENGTH, max=MAX_LENGTH, message=f"Choose between {MIN_LENGTH} and {MAX_LENGTH}."),
        ],
    )
    # Not shown: lets a quiz be drawn again exactly (tests, teachers sharing a quiz).
    seed = IntegerField(
        "Quiz code",
        widget=HiddenInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=2**31 - 1, message="The quiz code must be a whole number from 0 to 2147483647."),
        ],
    )

    def validate_topics(self, field: Field) -> None:
        if not field.data:
            raise ValidationError("Choose at least one topic, or a mix of everything.")

    def chosen_topics(self) -> list[str]:
        """The topic slugs picked; a mix means all of them."""
        if MIX in self.topics.data:
            return [topic.value for topic in BankTopic]
        return list(self.topics.data)


class AnswerForm(FlaskForm):
    """One answer. ``options`` are the choices shown, empty for a typed answer."""

    position = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    response = StringField(
        "Your answer",
        validators=[
            Length(
                max=MAX_RESPONSE_LENGTH,
                message=f"Your answer may be at most {MAX_RESPONSE_LENGTH} characters long.",
            )
        ],
    )
    dont_know = SubmitField("I don't know")

    def __init__(self, *args: Any, options: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = options or []

    def validate_response(self, field: Field) -> None:
        if self.dont_know.data:
            return
        if self.options:
            if field.data not in self.options:
                raise ValidationError("Choose one of the answers.")
        elif not (field.data or "").strip():
            raise ValidationError("Type an answer, or choose “I don't know”.")

    def response_text(self) -> str:
        """What to grade: nothing at all when the student said they don't know."""
        return "" if self.dont_know.data else self.response.data or ""


class StartAssignmentForm(FlaskForm):
    """The button that starts or resumes an assignment: only the CSRF token."""
