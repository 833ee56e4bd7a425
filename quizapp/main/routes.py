"""Pages for everyone: the home page and the footer's language switcher."""

from flask import abort, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.auth.routes import safe_next_url
from quizapp.domain.languages import Language
from quizapp.extensions import db
from quizapp.i18n import remember_language
from quizapp.main import bp
from quizapp.main.forms import LanguageForm
from quizapp.services import accounts, bank

LANGUAGE_REFUSED = _l("Choose one of the languages offered.")


@bp.get("/")
def home() -> str:
    return render_template("main/home.html", question_count=bank.active_question_count(db.session))


@bp.post("/language")
def choose_language() -> Response:
    """Switch the interface's language and go back to the page: a user's setting, a visitor's session."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400, LANGUAGE_REFUSED)  # only a forged or mangled form: the switcher offers nothing else
    language = Language(form.language.data)
    if current_user.is_authenticated:
        accounts.set_language(current_user, language)
        db.session.commit()
    remember_language(language)
    return redirect(safe_next_url(form.next.data) or url_for("main.home"))
