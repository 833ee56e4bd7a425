"""The footer's language switcher. CSRF comes from FlaskForm."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice
from wtforms.validators import InputRequired

from quizapp.domain.languages import LANGUAGE_NAMES


class LanguageForm(FlaskForm):
    """One language of LANGUAGE_NAMES, and the page to go back to."""

    language = RadioField(
        _l("Language"),
        choices=[SelectChoice(language.value, name) for language, name in LANGUAGE_NAMES.items()],
        validators=[InputRequired()],
    )
    next = HiddenField()
