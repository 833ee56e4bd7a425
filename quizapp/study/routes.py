"""Flashcard sessions, grading, the student's dashboard and weakest questions.

Progressive enhancement: every step works as plain links and forms; the
static file js/flashcards.js adds keyboard shortcuts and answer timing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp import clock
from quizapp.auth.throttling import throttle_join_code_guesses
from quizapp.domain.scheduling import LEECH_LAPSES
from quizapp.domain.student_texts import in_language
from quizapp.extensions import db
from quizapp.i18n import current_language, error_text
from quizapp.models import User
from quizapp.services import DomainError, NotFound, classes, progress, study
from quizapp.services.study import GradeOutcome
from quizapp.study import bp, card_tickets
from quizapp.study.card_tickets import ExpiredTicket, InvalidTicket, ShownCard
from quizapp.study.forms import ActionForm, GradeForm, JoinClassForm, TryForm
from quizapp.templating import dashboard_charts, interval_label

ALREADY_GRADED = _l("Your grade of that card was already saved; it counts once.")
CARD_MOVED_ON = _l(
    "That card changed since it was shown (you answered it in a quiz, or your teacher edited it), "
    "so the grade was not counted. Here is the card to study now."
)
TICKET_EXPIRED = _l("That card was shown hours ago, so the grade was not counted. Here is the card to study now.")
BAD_TICKET = _l("That link or form is not for a card shown to you. Go back to the flashcards and try again.")
FORM_EXPIRED = _l("The page expired. Go back to the flashcards and try again.")
UNDONE = _l("Your last grade was undone: here is that card again.")
BROUGHT_BACK = _l("The card is back in your flashcards, with its schedule as it was.")
# A longer "time to answer" is a tab left open, not an answer: it is not kept.
MAX_DURATION = timedelta(hours=1)


def _student() -> User:
    return current_user._get_current_object()


def _attempt_arg() -> int | None:
    """The optional ``attempt`` query argument; a malformed one names no attempt of yours."""
    raw = request.args.get("attempt")
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        abort(404)
    return int(raw)


def _duration_arg() -> timedelta | None:
    """The measured time to answer, when the script sent a plausible one."""
    milliseconds = request.form.get("duration_ms", type=int)
    # Compared as a number first: a huge one would overflow timedelta.
    if milliseconds is None or not 0 <= milliseconds <= MAX_DURATION // timedelta(milliseconds=1):
        return None
    return timedelta(milliseconds=milliseconds)


def _bad_request(messages: list[object]) -> tuple[str, int]:
    return render_template("study/bad_request.html", messages=messages), 400


def _form_messages(form: GradeForm) -> list[object]:
    messages: list[object] = [
        _("%(field)s: %(problem)s", field=form[name].label.text, problem=error)
        for name, errors in form.errors.items()
        if name != "csrf_token"
        for error in errors
    ]
    if "csrf_token" in form.errors:
        messages.append(FORM_EXPIRED)
    return messages


@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    now, student = clock.now(), _student()
    board = progress.student_dashboard(db.session, student, now)
    remaining = study.remaining_counts(db.session, student, now)
    assignments = classes.assignments_for_student(db.session, student, now)
    return render_template(
        "study/dashboard.html",
        dashboard=board,
        **dashboard_charts(board),
        remaining=remaining,
        next_due_in=_time_until(remaining.next_due, now),
        leech_count=study.leech_count(db.session, student),
        open_assignments=[item for item in assignments if not item.finished],
    )


def _time_until(moment: datetime | None, now: datetime) -> str | None:
    return interval_label(moment - now) if moment is not None and moment > now else None


@bp.get("/study")
@login_required
def session() -> str | tuple[str, int] | Response:
    """The next card's prompt; with a ticket, the card it names.

    ``card=<ticket>`` shows the answer side: the "Show answer" link carries
    the ticket issued when the prompt was shown (see
    :mod:`quizapp.study.card_tickets`), so the answer shown is that card's,
    even if another card fell due in between, and no other answer can be
    asked for. ``again=<ticket>`` shows the prompt of a card whose grade was
    just undone.
    """
    user = _student()
    now = clock.now()
    if ticket := request.args.get("card"):
        return _ticketed_card_page(user, ticket, now, flipped=True)
    if ticket := request.args.get("again"):
        return _ticketed_card_page(user, ticket, now, flipped=False)
    attempt_id = _attempt_arg()
    try:
        remaining = study.remaining_counts(db.session, user, now, attempt_id)
        card = study.next_card(db.session, user, now, remaining, attempt_id)
    except NotFound:
        abort(404)
    if card is None:
        return render_template(
            "study/done.html",
            remaining=remaining,
            attempt_id=attempt_id,
            next_due_in=_time_until(remaining.next_due, now),
            summary=study.today_summary(db.session, user, now),
        )
    shown = ShownCard(card.question.id, card.card_version, attempt_id)
    return render_template(
        "study/session.html",
        card=card,
        flipped=False,
        try_form=TryForm(formdata=None),
        ticket=card_tickets.issue(current_app.config["SECRET_KEY"], user.id, shown, now),
        remaining=remaining,
        attempt_id=attempt_id,
    )


@bp.post("/study/undo")
@login_required
def undo() -> Response | tuple[str, int]:
    """Take back today's last grade and show that card's prompt again."""
    user = _student()
    if not ActionForm().validate_on_submit():
        return _bad_request([FORM_EXPIRED])
    now = clock.now()
    try:
        question_id = study.undo_last_grade(db.session, user, now)
        card = study.study_card(db.session, user, question_id, now)
    except DomainError as error:
        db.session.rollback()
        flash(error_text(error), "info")
        return redirect(url_for("study.session"))
    db.session.commit()
    flash(str(UNDONE), "success")
    ticket = card_tickets.issue(
        current_app.config["SECRET_KEY"], user.id, ShownCard(question_id, card.card_version, None), now
    )
    return redirect(url_for("study.session", again=ticket))


@bp.get("/study/leeches")
@login_required
def leeches() -> str:
    """The cards set aside because the student kept forgetting them."""
    return render_template(
        "study/leeches.html",
        leeches=study.leeches(db.session, _student(), language=current_language()),
        form=ActionForm(),
        leech_lapses=LEECH_LAPSES,
    )


@bp.post("/study/leeches/<path:question_id>/bring-back")
@login_required
def bring_back(question_id: str) -> Response | tuple[str, int]:
    if not ActionForm().validate_on_submit():
        return _bad_request([FORM_EXPIRED])
    try:
        study.bring_back(db.session, _student(), question_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(str(BROUGHT_BACK), "success")
    return redirect(url_for("study.leeches"))


def _ticketed_card_page(user: User, ticket: str, now: datetime, *, flipped: bool) -> tuple[str, int] | Response:
    """The card a ticket names: its answer side with the grade buttons, or its prompt again.

    With ``response`` (a try from the card's front), the answer side shows it
    graded; a try that cannot be read shows the prompt again with why.
    """
    try:
        shown = card_tickets.read(current_app.config["SECRET_KEY"], user.id, ticket, now)
    except ExpiredTicket:
        flash(str(TICKET_EXPIRED), "info")
        return redirect(url_for("study.session"))
    except InvalidTicket:
        abort(400, BAD_TICKET)
    try:
        remaining = study.remaining_counts(db.session, user, now, shown.attempt_id)
        card = study.study_card(db.session, user, shown.question_id, now)
    except NotFound:
        abort(404)
    if card.card_version != shown.card_version:
        flash(str(CARD_MOVED_ON), "info")
        return redirect(url_for("study.session", attempt=shown.attempt_id))
    try_form = TryForm(request.args)
    tried = None
    if flipped and any(part.strip() for part in try_form.response.data):
        try:
            tried = study.try_card(card.version, try_form.response.data, language=current_language())
        except study.UnreadableTry as error:  # the prompt again, with how to write it; nothing recorded
            reason = in_language(error.reason, current_language())
            try_form.response.errors = [_("%(reason)s. Try again.", reason=reason)]
            flipped = False
        except DomainError as error:  # too long: the prompt again, with why
            try_form.response.errors = [error_text(error)]
            flipped = False
    return render_template(
        "study/session.html",
        card=card,
        flipped=flipped,
        ticket=ticket,
        form=GradeForm(formdata=None, data={"card": ticket}),
        try_form=try_form,
        tried=tried,
        remaining=remaining,
        attempt_id=shown.attempt_id,
    ), (422 if try_form.response.errors else 200)


@bp.post("/study/grade")
@login_required
def grade() -> Response | tuple[str, int]:
    user = _student()
    form = GradeForm()
    if not form.validate_on_submit():
        return _bad_request(_form_messages(form))
    now = clock.now()
    try:
        shown = card_tickets.read(current_app.config["SECRET_KEY"], user.id, form.card.data, now)
    except ExpiredTicket:
        flash(str(TICKET_EXPIRED), "info")
        return redirect(url_for("study.session"))
    except InvalidTicket:
        return _bad_request([BAD_TICKET])
    try:
        outcome = study.grade(
            db.session,
            user,
            shown.question_id,
            form.rating.data,
            shown.card_version,
            now,
            _duration_arg(),
        )
    except DomainError as error:
        db.session.rollback()
        return _bad_request([error_text(error)])
    db.session.commit()
    if outcome is not GradeOutcome.RECORDED:
        flash(str(ALREADY_GRADED if outcome is GradeOutcome.ALREADY_SAVED else CARD_MOVED_ON), "info")
    return redirect(url_for("study.session", attempt=shown.attempt_id))


@bp.get("/study/weakest")
@login_required
def weakest() -> str:
    questions = progress.weakest_questions(db.session, _student(), language=current_language())
    return render_template("study/weakest.html", questions=questions)


# --- the student's classes --------------------------------------------------------


@bp.route("/classes", methods=["GET", "POST"], endpoint="classes")
@login_required
@throttle_join_code_guesses
def classes_page() -> str | Response | tuple[str, int]:
    """Join a class with its code; see my classes and their assignments."""
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            school_class, added = classes.join_class(db.session, current_user, form.code.data)
        except DomainError as error:
            form.code.errors = [error_text(error)]
        else:
            db.session.commit()
            if added:
                flash(_("You joined %(name)s.", name=school_class.name), "success")
            else:
                flash(_("You are already in %(name)s.", name=school_class.name), "info")
            return redirect(url_for("study.classes"))
    now = clock.now()
    page = render_template(
        "study/classes.html",
        form=form,
        my_classes=classes.student_classes(db.session, current_user),
        assignments=classes.assignments_for_student(db.session, current_user, now),
    )
    return (page, 422) if form.errors else page
