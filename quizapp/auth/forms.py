"""Account forms. CSRF comes from FlaskForm."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange, Regexp

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

    def __init__(self, label: str = "Time zone", **kwargs: object) -> None:
        super().__init__(label, choices=timezone_choices(), default="UTC", **kwargs)


def _username_field() -> StringField:
    return StringField(
        "Username",
        validators=[
            InputRequired(),
            Regexp(USERNAME_PATTERN, message="Use 3 to 40 letters, digits, dots, dashes or underscores."),
        ],
    )


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=f"Use at least {MIN_PASSWORD_LENGTH} and at most {MAX_PASSWORD_LENGTH} characters.",
            ),
        ],
    )


class RegisterForm(FlaskForm):
    username = _username_field()
    password = _new_password_field("Password")
    confirm = PasswordField(
        "Repeat password", validators=[InputRequired(), EqualTo("password", message="The passwords differ.")]
    )
    timezone = TimezoneField()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    new_password = _new_password_field("New password")
    confirm = PasswordField(
        "Repeat new password",
        validators=[InputRequired(), EqualTo("new_password", message="The passwords differ.")],
    )


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=100)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField("Keep me signed in on this device")


class SettingsForm(FlaskForm):
    """The student's settings; desired retention is shown and typed as a percentage."""

    timezone = TimezoneField()
    daily_new_limit = IntegerField(
        "New flashcards per day",
        validators=[
            InputRequired(),
            NumberRange(min=0, max=MAX_NEW_PER_DAY, message=f"Choose between 0 and {MAX_NEW_PER_DAY}."),
        ],
    )
    daily_review_limit = IntegerField(
        "Flashcard reviews per day",
        validators=[
            InputRequired(),
            NumberRange(min=0, max=MAX_REVIEWS_PER_DAY, message=f"Choose between 0 and {MAX_REVIEWS_PER_DAY}."),
        ],
    )
    desired_retention = IntegerField(
        "Desired retention (%)",
        validators=[
            InputRequired(),
            NumberRange(
                min=RETENTION_PERCENT_RANGE[0],
                max=RETENTION_PERCENT_RANGE[1],
                message=f"Choose between {RETENTION_PERCENT_RANGE[0]} and {RETENTION_PERCENT_RANGE[1]}.",
            ),
        ],
    )

    @classmethod
    def for_user(cls, user: User) -> SettingsForm:
        """The form filled with the user's settings (unless a submitted form overrides them)."""
        return cls(
            timezone=user.timezone,
            daily_new_limit=user.daily_new_limit,
            daily_review_limit=user.daily_review_limit,
            desired_retention=round(user.desired_retention * 100),
        )
