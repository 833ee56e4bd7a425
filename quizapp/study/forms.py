"""The flashcard grade form. CSRF comes from FlaskForm."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from quizapp.form_fields import IntegerField
from quizapp.services.study import GRADE_NAMES

MAX_INT = 2**31 - 1


class GradeForm(FlaskForm):
    """One grade of one card.

    The grade itself comes from the submit button pressed (``name="rating"``);
    the hidden fields say which card, in which version, and how long it took.
    """

    question_id = StringField(
        "Card",
        widget=HiddenInput(),
        validators=[InputRequired("Which card was graded is missing."), Length(max=200)],
    )
    card_version = IntegerField(
        "Card version",
        widget=HiddenInput(),
        validators=[
            InputRequired("The card version is missing."),
            NumberRange(min=0, max=MAX_INT, message="The card version is not valid."),
        ],
    )
    rating = IntegerField(
        "Grade",
        validators=[
            InputRequired("Choose a grade: " + ", ".join(GRADE_NAMES.values()) + "."),
            NumberRange(min=1, max=4, message="A grade is 1 (Again) to 4 (Easy)."),
        ],
    )
    attempt = IntegerField(
        "Quiz",
        widget=HiddenInput(),
        validators=[Optional(), NumberRange(min=1, max=MAX_INT, message="The quiz is not valid.")],
    )
