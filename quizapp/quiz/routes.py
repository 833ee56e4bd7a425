"""Start a quiz, answer its questions one by one, see feedback and results."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp import clock
from quizapp.database import writes_on_get
from quizapp.domain.question_types import kind_of, options_in, wordings
from quizapp.extensions import db
from quizapp.i18n import current_language, error_text
from quizapp.models import QuizAttempt, QuizItem
from quizapp.quiz import bp
from quizapp.quiz.forms import AnswerForm, NewQuizForm, StartAssignmentForm
from quizapp.services import DomainError, NotFound, classes, quizzes, topics
from quizapp.templating import FORM_EXPIRED, student_text


def _attempt_or_404(attempt_id: int) -> QuizAttempt:
    """The signed-in student's attempt; anyone else's is as missing as a wrong id."""
    try:
        return quizzes.get_attempt(db.session, attempt_id, current_user)
    except NotFound:
        abort(404)


def _duration_text(duration: timedelta | None) -> str:
    if duration is None:
        return "—"
    seconds = int(duration.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return _("%(hours)d h %(minutes)d min", hours=hours, minutes=minutes)
    if minutes:
        return _("%(minutes)d min %(seconds)d s", minutes=minutes, seconds=seconds)
    return _("%(seconds)d s", seconds=seconds)


@bp.route("/", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    form = NewQuizForm(topics=topics.topics_offered(db.session))
    if form.validate_on_submit():
        try:
            attempt = quizzes.start_quiz(
                db.session, current_user, form.chosen_topics(), form.length.data, clock.now(), seed=form.seed.data
            )
        except DomainError as error:
            form.form_errors.append(error_text(error))
        else:
            db.session.commit()
            count = len(attempt.items)
            if count < form.length.data:
                flash(
                    ngettext(
                        "Only %(num)d question matches those topics, so this quiz has %(num)d.",
                        "Only %(num)d questions match those topics, so this quiz has %(num)d.",
                        count,
                    ),
                    "warning",
                )
            return redirect(url_for("quiz.question", attempt_id=attempt.id))
    unfinished = quizzes.unfinished_attempts(db.session, current_user)
    return render_template("quiz/new.html", form=form, unfinished=unfinished)


def _render_question(attempt: QuizAttempt, item: QuizItem, form: AnswerForm) -> str:
    return render_template(
        "quiz/question.html", attempt=attempt, item=item, form=form, key=form.read_in[0], options=form.options
    )


def _answer_form(item: QuizItem, **kwargs: object) -> AnswerForm:
    """The answer form of the item's question type in the student's language, its choices in the
    order this attempt shows them (the same positions in every language)."""
    read_in = wordings(item.asked, current_language())
    kind = kind_of(item.asked.type)
    options = options_in(item.options, read_in)
    return AnswerForm(options=options, kind=kind, rows=kind.rows(read_in[0]), read_in=read_in, **kwargs)


def _items_or_404(attempt_id: int, position: int | None = None) -> quizzes.AttemptItems:
    try:
        return quizzes.attempt_items(db.session, attempt_id, current_user, position)
    except NotFound:
        abort(404)


@bp.get("/<int:attempt_id>")
@login_required
@writes_on_get  # the time the question was first shown
def question(attempt_id: int) -> str | Response:
    loaded = _items_or_404(attempt_id)
    item = loaded.current
    if item is None:
        return redirect(url_for("quiz.results", attempt_id=attempt_id))
    quizzes.mark_shown(item, clock.now())
    form = _answer_form(item, formdata=None, position=item.position)
    page = _render_question(loaded.attempt, item, form)
    db.session.commit()  # after rendering, which then needs nothing reloaded
    return page


@bp.post("/<int:attempt_id>/answer")
@login_required
def answer(attempt_id: int) -> str | Response | tuple[str, int]:
    form = AnswerForm()
    loaded = _items_or_404(attempt_id, form.position.data)
    attempt, current, posted = loaded.attempt, loaded.current, loaded.at_position
    if posted is not None and posted.answered_at is not None:
        # Back button, double click, or an answer sent again after its response was lost
        # (the last one too): the first answer stands, show it again.
        flash(
            _(
                "Your answer to question %(position)d was already saved; the first answer counts.",
                position=posted.position,
            ),
            "info",
        )
        return redirect(url_for("quiz.feedback", attempt_id=attempt_id, position=posted.position))
    if attempt.finished_at is not None:
        flash(_("%(reason)s Nothing was recorded.", reason=quizzes.QUIZ_FINISHED), "error")
        return redirect(url_for("quiz.results", attempt_id=attempt_id))
    assert current is not None  # an unfinished attempt has an unanswered item
    if posted is not current:
        flash(_("That form was for another question. Here is the question to answer now."), "error")
        return redirect(url_for("quiz.question", attempt_id=attempt_id))
    form = _answer_form(current)
    if not form.validate_on_submit():
        return _render_question(attempt, current, form), 422
    try:
        answered = quizzes.record_answer(
            db.session, loaded, current_user, form.response_parts(), clock.now(), language=current_language()
        )
        position = answered.position  # read before the commit expires it
    except quizzes.QuizFinished as error:
        flash(_("%(reason)s Nothing was recorded.", reason=error_text(error)), "error")
        return redirect(url_for("quiz.results", attempt_id=attempt_id))
    except quizzes.UnreadableAnswer as error:
        form.response.errors = [
            _("%(reason)s. Your answer was not counted: try again.", reason=student_text(error.reason))
        ]
        return _render_question(attempt, current, form), 422
    except DomainError as error:
        form.response.errors = [error_text(error)]
        return _render_question(attempt, current, form), 422
    db.session.commit()
    return redirect(url_for("quiz.feedback", attempt_id=attempt_id, position=position))


@bp.get("/<int:attempt_id>/<int:position>")
@login_required
def feedback(attempt_id: int, position: int) -> str | Response:
    loaded = _items_or_404(attempt_id, position)
    item = loaded.at_position
    if item is None:
        abort(404)
    if item.answered_at is None:
        return redirect(url_for("quiz.question", attempt_id=attempt_id))
    attempt = loaded.attempt
    return render_template("quiz/feedback.html", attempt=attempt, item=item, finished=attempt.finished_at is not None)


@bp.get("/<int:attempt_id>/results")
@login_required
def results(attempt_id: int) -> str | Response:
    attempt = _attempt_or_404(attempt_id)
    if attempt.finished_at is None:
        flash(_("Finish the quiz to see your results."), "info")
        return redirect(url_for("quiz.question", attempt_id=attempt.id))
    summary = quizzes.results(db.session, attempt)
    return render_template(
        "quiz/results.html",
        attempt=attempt,
        summary=summary,
        duration=_duration_text(summary.duration),
    )


# --- classes and assignments ------------------------------------------------------


@bp.get("/classes")
def classes_moved() -> Response:
    """The classes page moved to /classes: old links and bookmarks still find it."""
    return redirect(url_for("study.classes"), 301)


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start_assignment(assignment_id: int) -> Response:
    """Start the assignment's quiz, or carry on with (or look back at) the attempt already made."""
    try:
        assignment = classes.get_student_assignment(db.session, current_user, assignment_id)
    except NotFound:
        abort(404)
    if not StartAssignmentForm().validate_on_submit():
        flash(str(FORM_EXPIRED), "error")
        return redirect(url_for("study.classes"))
    try:
        attempt = quizzes.start_assignment(db.session, current_user, assignment, clock.now())
    except DomainError as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return redirect(url_for("study.classes"))
    db.session.commit()
    return redirect(url_for("quiz.question", attempt_id=attempt.id))
