"""Quiz forms. CSRF comes from FlaskForm."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from quizapp.domain.grading import MAX_RESPONSE_LENGTH
from quizapp.domain.question_types import QuestionKind, Wording, kind_of, options_in
from quizapp.domain.questions import QuestionType
from quizapp.domain.quiz import DEFAULT_LENGTH, MAX_LENGTH, MIN_LENGTH
from quizapp.domain.student_texts import in_language
from quizapp.form_fields import IntegerField, ListField
from quizapp.i18n import current_language
from quizapp.templating import topic_label

MIX = "mix"


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewQuizForm(FlaskForm):
    """A practice quiz. ``topics`` are (slug, name) of the topics offered, from the topics table."""

    topics = MultiCheckboxField(_l("Topics"), default=[MIX])
    length = IntegerField(
        _l("Number of questions"),
        default=DEFAULT_LENGTH,
        validators=[
            InputRequired(message=_l("Say how many questions you want.")),
            NumberRange(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Choose between %(low)d and %(high)d.", low=MIN_LENGTH, high=MAX_LENGTH),
            ),
        ],
    )
    # Not shown: lets a quiz be drawn again exactly (tests, teachers sharing a quiz).
    seed = IntegerField(
        _l("Quiz code"),
        widget=HiddenInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=2**31 - 1, message=_l("The quiz code must be a whole number from 0 to 2147483647.")),
        ],
    )

    def __init__(self, *args: Any, topics: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = topics or []
        self.topics.choices = [SelectChoice(MIX, _l("A mix of everything"))] + [
            SelectChoice(slug, topic_label(name)) for slug, name in self.offered
        ]

    def validate_topics(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one topic, or a mix of everything."))

    def chosen_topics(self) -> list[str]:
        """The topic slugs picked; a mix means all of them."""
        if MIX in self.topics.data:
            return [slug for slug, _ in self.offered]
        return list(self.topics.data)


class AnswerForm(FlaskForm):
    """One answer, in the widget of the question's type (see ``shared/answers/``).

    ``options`` are the choices shown (empty for a typed answer) and ``rows``
    the items asked about one by one (matching, timeline), in the language of
    ``read_in[0]``, the question as the student reads it (then its other
    languages: a choice posted from a page in another language is the same
    choice); every control posts under the name ``response``, in page order.
    """

    position = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    response = ListField(_l("Your answer"), default=list)
    dont_know = SubmitField(_l("I don't know"))

    def __init__(
        self,
        *args: Any,
        options: list[str] | None = None,
        kind: QuestionKind | None = None,
        rows: list[str] | None = None,
        read_in: list[Wording] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.options = options or []
        self.kind = kind or kind_of(QuestionType.SHORT_ANSWER)  # a typed answer until the item says
        self.rows = rows or []
        self.read_in = read_in or []

    def validate_response(self, field: Field) -> None:
        if self.dont_know.data:
            return
        parts = field.data or []
        if self.read_in:
            parts = options_in(parts, self.read_in)
        if any(len(part) > MAX_RESPONSE_LENGTH for part in parts):
            raise ValidationError(
                _l("Your answer may be at most %(length)d characters long.", length=MAX_RESPONSE_LENGTH)
            )
        if problem := self.kind.incomplete(parts, self.options, self.rows):
            raise ValidationError(in_language(problem, current_language()))

    def response_parts(self) -> list[str]:
        """What to grade: nothing at all when the student said they don't know."""
        return [] if self.dont_know.data else list(self.response.data or [])


class StartAssignmentForm(FlaskForm):
    """The button that starts or resumes an assignment: only the CSRF token."""
