"""The flashcard grade form. CSRF comes from FlaskForm."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, StringField
from wtforms.validators import InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from quizapp.form_fields import IntegerField, ListField

MAX_TICKET_LENGTH = 1000  # a ticket is about 100 characters; a question id at most 200


class GradeForm(FlaskForm):
    """One grade of the card a ticket names.

    The grade itself comes from the submit button pressed (``name="rating"``);
    the hidden ticket says which card was shown, in which version (see
    :mod:`quizapp.study.card_tickets`); ``duration_ms`` how long it took.
    """

    card = StringField(
        _l("Card"),
        widget=HiddenInput(),
        validators=[InputRequired(_l("Which card was graded is missing.")), Length(max=MAX_TICKET_LENGTH)],
    )
    rating = IntegerField(
        _l("Grade"),
        validators=[
            InputRequired(_l("Choose a grade: Again, Hard, Good or Easy.")),
            NumberRange(min=1, max=4, message=_l("A grade is 1 (Again) to 4 (Easy).")),
        ],
    )


class TryForm(Form):
    """A try at a flashcard before seeing its answer (a GET form: it records nothing)."""

    card = StringField(_l("Card"), widget=HiddenInput(), validators=[Length(max=MAX_TICKET_LENGTH)])
    response = ListField(_l("Your answer"), default=list)


class ActionForm(FlaskForm):
    """A button that changes something (undo, bring back): only the CSRF token to check."""


class JoinClassForm(FlaskForm):
    code = StringField(
        _l("Join code"),
        validators=[
            InputRequired(message=_l("Type the code your teacher gave you.")),
            Length(max=40, message=_l("A join code is 8 letters and digits, like ABCD-EF23.")),
        ],
    )
