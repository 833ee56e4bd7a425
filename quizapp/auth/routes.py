"""Register, log in, log out, and the student's own settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from quizapp.auth import bp
from quizapp.auth.forms import LoginForm, PasswordChangeForm, RegisterForm, SettingsForm
from quizapp.auth.throttling import (
    record_failed_guess,
    throttle_current_password,
    throttle_registration,
    throttle_sign_in,
)
from quizapp.domain.languages import DEFAULT_LANGUAGE
from quizapp.extensions import db
from quizapp.i18n import chosen_language, current_language, remember_language
from quizapp.models import User
from quizapp.services import accounts

LOGIN_FAILED = _l("Wrong username or password.")
# The refusals only the service can make, worded for the reader; zxcvbn explains a weak password in English only.
ACCOUNT_REFUSALS = {
    accounts.USERNAME_TAKEN: _l("That username is already taken: choose another."),
    accounts.PASSWORD_TOO_EASY: _l(
        "Too easy to guess: password-guessing programs try passwords like it early. Three or four words "
        "that do not belong together make a strong password that is easy to remember."
    ),
}
WRONG_CURRENT_PASSWORD = _l("That is not your current password.")


def account_refusal(error: accounts.AccountError) -> str:
    """Why the service refused, in the reader's language (the service's own English in English)."""
    refusal = ACCOUNT_REFUSALS.get(error.code)
    return str(error) if refusal is None or current_language() is DEFAULT_LANGUAGE else str(refusal)


def start_session(user: User, remember: bool = False) -> None:
    """Sign in on a fresh session, so nothing from before sign-in carries over but the language.

    The user's language setting, else the one the visitor chose with the switcher, is kept for
    the session.
    """
    language = user.language or chosen_language()
    session.clear()
    login_user(user, remember=remember)
    remember_language(language)


def safe_next_url(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def landing_page() -> str:
    """Teachers start at their classes, students at their own progress."""
    return url_for("teach.classes" if current_user.is_teacher else "study.dashboard")


@bp.route("/register", methods=["GET", "POST"])
@throttle_registration
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(landing_page())
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(db.session, form.username.data, form.password.data)
        except accounts.AccountError as error:
            form[error.field].errors.append(account_refusal(error))
        else:
            user.timezone = form.timezone.data
            db.session.commit()
            start_session(user)
            flash(_("Welcome! Start with a quiz or a few flashcards."), "success")
            return redirect(url_for("study.dashboard"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@throttle_sign_in
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(landing_page())
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.username.data, form.password.data)
        if user is None:
            record_failed_guess()
            form.form_errors.append(LOGIN_FAILED)
        else:
            start_session(user, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next")) or landing_page())
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    current_user.rotate_session_token()  # copies of the old cookie stop working too
    db.session.commit()
    language = chosen_language()
    logout_user()
    session.clear()
    remember_language(language)  # the visitor goes on reading in the same language
    flash(_("You are signed out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings() -> str | Response:
    form = SettingsForm.for_user(current_user)
    if form.validate_on_submit():
        try:
            accounts.update_settings(
                current_user,
                form.timezone.data,
                form.daily_new_limit.data,
                form.daily_review_limit.data,
                form.desired_retention.data / 100,
            )
            accounts.set_language(current_user, form.language.language)
        except accounts.AccountError as error:
            form[error.field].errors.append(account_refusal(error))
        else:
            db.session.commit()
            remember_language(form.language.language)
            flash(_("Settings saved."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@throttle_current_password
def change_password() -> str | Response:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not accounts.authenticate(db.session, current_user.username, form.current_password.data):
            record_failed_guess()
            form.current_password.errors.append(WRONG_CURRENT_PASSWORD)
        else:
            try:
                accounts.set_password(current_user, form.new_password.data)
            except accounts.AccountError as error:
                form.new_password.errors.append(account_refusal(error))
            else:
                db.session.commit()
                start_session(current_user._get_current_object())
                flash(_("Password changed. Other devices have been signed out."), "success")
                return redirect(url_for("auth.settings"))
    return render_template("auth/password.html", form=form)
