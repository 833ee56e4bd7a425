"""Account forms. CSRF comes from FlaskForm."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange, Regexp

from quizapp.domain.languages import LANGUAGE_NAMES, Language, language_of
from quizapp.domain.scheduling import MAX_DESIRED_RETENTION, MIN_DESIRED_RETENTION
from quizapp.form_fields import IntegerField
from quizapp.models import User
from quizapp.services.accounts import (
    MAX_NEW_PER_DAY,
    MAX_PASSWORD_LENGTH,
    MAX_REVIEWS_PER_DAY,
    MIN_PASSWORD_LENGTH,
    USERNAME_PATTERN,
)

RETENTION_PERCENT_RANGE = (round(MIN_DESIRED_RETENTION * 100), round(MAX_DESIRED_RETENTION * 100))


@cache
def timezone_choices() -> list[SelectChoice]:
    names = sorted(name for name in available_timezones() if "/" in name or name == "UTC")
    return [SelectChoice(name, name.replace("_", " ")) for name in names]


class TimezoneField(SelectField):
    """An IANA timezone; the browser's own is preselected by static/js/timezone.js."""

    def __init__(self, label: object = None, **kwargs: object) -> None:
        super().__init__(label or _l("Time zone"), choices=timezone_choices(), default="UTC", **kwargs)


FOLLOW_BROWSER = ""


class LanguageField(SelectField):
    """The interface's language: one of LANGUAGE_NAMES (each named in itself), or the browser's."""

    def __init__(self, **kwargs: object) -> None:
        choices = [SelectChoice(FOLLOW_BROWSER, _l("Follow my browser"))] + [
            SelectChoice(language.value, name, render_kw={"lang": language.value})
            for language, name in LANGUAGE_NAMES.items()
        ]
        super().__init__(_l("Language"), choices=choices, default=FOLLOW_BROWSER, **kwargs)

    @property
    def language(self) -> Language | None:
        """The language chosen; None follows the browser."""
        return language_of(self.data or "")


def _username_field() -> StringField:
    return StringField(
        _l("Username"),
        validators=[
            InputRequired(),
            Regexp(USERNAME_PATTERN, message=_l("Use 3 to 40 letters, digits, dots, dashes or underscores.")),
        ],
    )


def _new_password_field(label: object) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "Use at least %(min)d and at most %(max)d characters.",
                    min=MIN_PASSWORD_LENGTH,
                    max=MAX_PASSWORD_LENGTH,
                ),
            ),
        ],
    )


def _choose_between(low: int, high: int) -> object:
    return _l("Choose between %(low)d and %(high)d.", low=low, high=high)


class RegisterForm(FlaskForm):
    username = _username_field()
    password = _new_password_field(_l("Password"))
    confirm = PasswordField(
        _l("Repeat password"), validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))]
    )
    timezone = TimezoneField()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    new_password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class SettingsForm(FlaskForm):
    """The student's settings; desired retention is shown and typed as a percentage."""

    language = LanguageField()
    timezone = TimezoneField()
    daily_new_limit = IntegerField(
        _l("New flashcards per day"),
        validators=[
            InputRequired(),
            NumberRange(min=0, max=MAX_NEW_PER_DAY, message=_choose_between(0, MAX_NEW_PER_DAY)),
        ],
    )
    daily_review_limit = IntegerField(
        _l("Flashcard reviews per day"),
        validators=[
            InputRequired(),
            NumberRange(min=0, max=MAX_REVIEWS_PER_DAY, message=_choose_between(0, MAX_REVIEWS_PER_DAY)),
        ],
    )
    desired_retention = IntegerField(
        _l("Desired retention (%)"),
        validators=[
            InputRequired(),
            NumberRange(
                min=RETENTION_PERCENT_RANGE[0],
                max=RETENTION_PERCENT_RANGE[1],
                message=_choose_between(*RETENTION_PERCENT_RANGE),
            ),
        ],
    )

    @classmethod
    def for_user(cls, user: User) -> SettingsForm:
        """The form filled with the user's settings (unless a submitted form overrides them)."""
        return cls(
            language=user.language.value if user.language else FOLLOW_BROWSER,
            timezone=user.timezone,
            daily_new_limit=user.daily_new_limit,
            daily_review_limit=user.daily_review_limit,
            desired_retention=round(user.desired_retention * 100),
        )
