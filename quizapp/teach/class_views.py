"""Teachers' classes: join codes, assignments, the gradebook, drill-downs and item analysis.

Every view takes the class id from the URL and loads it through
:func:`get_class_or_404`, so another teacher's class (or its students,
assignments and items) is exactly as missing as a wrong id.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp import clock
from quizapp.domain.charts import bar_chart
from quizapp.domain.classes import AtRiskReason, format_join_code
from quizapp.domain.days import local_date
from quizapp.domain.scheduling import LEECH_LAPSES
from quizapp.domain.stats import MIN_ATTEMPTS_TO_FLAG, ItemFlag
from quizapp.extensions import db
from quizapp.i18n import error_text
from quizapp.models import Assignment, SchoolClass, User
from quizapp.services import (
    DomainError,
    NotFound,
    assignment_reports,
    classes,
    gradebook,
    gradebook_export,
    item_reports,
    progress,
    topics,
)
from quizapp.teach import bp, teacher_required
from quizapp.teach.class_forms import AssignmentForm, ClassForm, ConfirmForm
from quizapp.teach.formatting import day_label, percent, span, teacher_formatting
from quizapp.templating import dashboard_charts

FLAG_TEXT = {
    ItemFlag.TOO_EASY: _l("too easy"),
    ItemFlag.TOO_HARD: _l("too hard"),
    ItemFlag.NEGATIVE_DISCRIMINATION: _l("negative discrimination"),
}


def _teacher() -> User:
    return current_user._get_current_object()


def _teacher_zone() -> ZoneInfo:
    return ZoneInfo(current_user.timezone)


def get_class_or_404(class_id: int, teacher: User) -> SchoolClass:
    """The teacher's own class; anyone else's is as missing as a wrong id."""
    try:
        return classes.get_teacher_class(db.session, class_id, teacher)
    except NotFound:
        abort(404)


def get_member_or_404(school_class: SchoolClass, student_id: int) -> User:
    """A student of the class; anyone else is as missing as a wrong id."""
    try:
        return classes.get_member(db.session, school_class, student_id)
    except NotFound:
        abort(404)


def _assignment_or_404(school_class: SchoolClass, assignment_id: int) -> Assignment:
    try:
        return classes.get_class_assignment(db.session, school_class, assignment_id)
    except NotFound:
        abort(404)


def _confirmed() -> bool:
    """Whether this is the confirming POST of an ask-first page; a stale form says so and asks again."""
    form = ConfirmForm()
    if form.validate_on_submit():
        return True
    if form.is_submitted():
        flash(_("The form expired. Please try again."), "error")
    return False


def _render(template: str, **context: Any) -> str:
    """Render with the join-code and at-risk wording these pages share.

    Times, shares and numbers are written for the interface's language
    (:mod:`quizapp.teach.formatting`), in the teacher's own time zone.
    """
    at_risk_text = {reason: gradebook.at_risk_text(reason) for reason in AtRiskReason}
    return render_template(
        template, join_code=format_join_code, at_risk_text=at_risk_text, **teacher_formatting(), **context
    )


# --- classes ------------------------------------------------------------------------


@bp.route("/classes", methods=["GET", "POST"], endpoint="classes")
@teacher_required
def class_list() -> str | Response | tuple[str, int]:
    form = ClassForm()
    if form.validate_on_submit():
        try:
            school_class = classes.create_class(db.session, _teacher(), form.name.data)
        except DomainError as error:
            form.name.errors = [error_text(error)]
        else:
            db.session.commit()
            flash(
                _(
                    "Class “%(name)s” created. Students join it with the code %(code)s.",
                    name=school_class.name,
                    code=format_join_code(school_class.join_code),
                ),
                "success",
            )
            return redirect(url_for("teach.class_overview", class_id=school_class.id))
    status = 422 if form.errors else 200
    page = _render("teach/class_list.html", form=form, classes=classes.teacher_classes(db.session, _teacher()))
    return page, status


@bp.route("/classes/<int:class_id>/join-code", methods=["GET", "POST"])
@teacher_required
def class_regenerate_code(class_id: int) -> str | Response:
    """Ask first (GET), then make a new join code (POST): the old one stops working."""
    school_class = get_class_or_404(class_id, _teacher())
    if not _confirmed():
        return _render("teach/class_new_code.html", school_class=school_class, form=ConfirmForm(formdata=None))
    try:
        code = classes.regenerate_join_code(db.session, school_class)
    except DomainError as error:
        db.session.rollback()
        flash(error_text(error), "error")
    else:
        db.session.commit()
        flash(_("New join code: %(code)s. The old code no longer works.", code=format_join_code(code)), "success")
    return redirect(url_for("teach.class_overview", class_id=school_class.id))


@bp.post("/classes/<int:class_id>/name")
@teacher_required
def class_rename(class_id: int) -> str | Response | tuple[str, int]:
    school_class = get_class_or_404(class_id, _teacher())
    form = ClassForm()
    if form.validate_on_submit():
        try:
            classes.rename_class(school_class, form.name.data)
        except DomainError as error:
            form.name.errors = [error_text(error)]
        else:
            db.session.commit()
            flash(_("The class is now called “%(name)s”.", name=school_class.name), "success")
            return redirect(url_for("teach.class_overview", class_id=school_class.id))
    db.session.rollback()  # the class keeps its name while the overview shows the error
    return _overview_page(class_id, rename_form=form), 422


# --- the gradebook ------------------------------------------------------------------


def _overview(
    class_id: int,
) -> tuple[gradebook.ClassOverview, list[gradebook.StudentProgress], str, bool]:
    """The class's gradebook, sorted as the ``sort`` and ``dir`` arguments ask."""
    school_class = get_class_or_404(class_id, _teacher())
    overview = gradebook.class_overview(db.session, school_class, clock.now(), _teacher_zone())
    rows, sort, descending = gradebook.sort_students(overview, request.args.get("sort"), request.args.get("dir"))
    return overview, rows, sort, descending


@bp.get("/classes/<int:class_id>")
@teacher_required
def class_overview(class_id: int) -> str:
    return _overview_page(class_id)


def _overview_page(class_id: int, rename_form: ClassForm | None = None) -> str:
    overview, rows, sort, descending = _overview(class_id)
    mastery_chart = bar_chart(
        [topic.name for topic in overview.topic_mastery],
        [topic.share or 0.0 for topic in overview.topic_mastery],
        max_value=1.0,
        value_labels=[percent(topic.share) for topic in overview.topic_mastery],
    )
    # Day numbers keep 14 labels legible on a phone; the title gives the span.
    activity_chart = bar_chart(
        [str(day.day.day) for day in overview.activity], [day.count for day in overview.activity]
    )
    first, last = overview.activity[0].day, overview.activity[-1].day
    activity_span = span(first, last)
    return _render(
        "teach/class_overview.html",
        overview=overview,
        school_class=overview.school_class,
        rows=rows,
        sort=sort,
        descending=descending,
        mastery_chart=mastery_chart,
        activity_chart=activity_chart,
        activity_span=activity_span,
        rename_form=rename_form or ClassForm(formdata=None, name=overview.school_class.name),
        leeches=gradebook.class_leeches(db.session, overview.school_class),
        leech_lapses=LEECH_LAPSES,
        day_label=day_label,
    )


@bp.get("/classes/<int:class_id>/gradebook.csv")
@teacher_required
def class_gradebook_csv(class_id: int) -> Response:
    overview, rows, _, _ = _overview(class_id)
    body = gradebook_export.gradebook_csv(overview, rows, _teacher_zone())
    filename = f"gradebook-class-{overview.school_class.id}-{local_date(overview.now, _teacher_zone())}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- one student --------------------------------------------------------------------


@bp.get("/classes/<int:class_id>/students/<int:student_id>")
@teacher_required
def class_student(class_id: int, student_id: int) -> str:
    school_class = get_class_or_404(class_id, _teacher())
    student = get_member_or_404(school_class, student_id)
    board = progress.student_dashboard(db.session, student, clock.now())
    return _render(
        "teach/class_student.html",
        school_class=school_class,
        student=student,
        dashboard=board,
        **dashboard_charts(board),
        attempts=assignment_reports.student_assignment_attempts(db.session, school_class, student),
    )


@bp.route("/classes/<int:class_id>/students/<int:student_id>/remove", methods=["GET", "POST"])
@teacher_required
def class_remove_student(class_id: int, student_id: int) -> str | Response:
    """Ask first (GET), then take the student out of the class (POST); their own progress stays."""
    school_class = get_class_or_404(class_id, _teacher())
    student = get_member_or_404(school_class, student_id)
    if not _confirmed():
        form = ConfirmForm(formdata=None)
        return _render("teach/class_remove_student.html", school_class=school_class, student=student, form=form)
    classes.remove_member(db.session, school_class, student.id)
    db.session.commit()
    flash(
        _(
            "%(student)s is no longer in “%(name)s”. Their own progress is kept, "
            "and they can join again with the class code.",
            student=student.username,
            name=school_class.name,
        ),
        "success",
    )
    return redirect(url_for("teach.class_overview", class_id=school_class.id))


# --- assignments --------------------------------------------------------------------


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
@teacher_required
def assignment_new(class_id: int) -> str | Response | tuple[str, int]:
    school_class = get_class_or_404(class_id, _teacher())
    tz = _teacher_zone()
    now = clock.now()
    form = AssignmentForm(today=local_date(now, tz), topics=topics.topics_offered(db.session))
    if form.validate_on_submit():
        try:
            assignment = classes.create_assignment(
                db.session,
                school_class,
                title=form.title.data,
                topics=form.topics.data,
                length=form.length.data,
                due_day=form.due.data,
                tz=tz,
                now=now,
            )
        except DomainError as error:
            form.form_errors.append(error_text(error))
        else:
            db.session.commit()
            flash(
                _("Assignment “%(title)s” set for %(name)s.", title=assignment.title, name=school_class.name),
                "success",
            )
            available = len(assignment.questions)
            if available < assignment.length:
                flash(
                    ngettext(
                        "Only %(num)d question matches those topics, so the quiz will have %(num)d.",
                        "Only %(num)d questions match those topics, so the quiz will have %(num)d.",
                        available,
                    ),
                    "warning",
                )
            return redirect(url_for("teach.assignment_results", class_id=class_id, assignment_id=assignment.id))
    status = 422 if form.is_submitted() else 200
    return _render("teach/assignment_new.html", form=form, school_class=school_class), status


@bp.get("/classes/<int:class_id>/assignments/<int:assignment_id>")
@teacher_required
def assignment_results(class_id: int, assignment_id: int) -> str:
    school_class = get_class_or_404(class_id, _teacher())
    assignment = _assignment_or_404(school_class, assignment_id)
    results = assignment_reports.assignment_results(db.session, assignment)
    # Short labels ("90%" for 90–100%) fit ten bars on a phone; the table under the chart has the bands.
    histogram = bar_chart([label.split("–")[0] + "%" for label in results.histogram_labels], results.histogram)
    return _render(
        "teach/assignment_results.html",
        school_class=school_class,
        assignment=assignment,
        results=results,
        histogram=histogram,
        now=clock.now(),
    )


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/delete", methods=["GET", "POST"])
@teacher_required
def assignment_delete(class_id: int, assignment_id: int) -> str | Response:
    """Ask first (GET), then delete (POST): students' attempts stay as practice quizzes."""
    school_class = get_class_or_404(class_id, _teacher())
    assignment = _assignment_or_404(school_class, assignment_id)
    if not _confirmed():
        return _render(
            "teach/assignment_delete.html",
            school_class=school_class,
            assignment=assignment,
            started=classes.started_count(db.session, assignment),
            form=ConfirmForm(formdata=None),
        )
    title = assignment.title
    started = classes.delete_assignment(db.session, assignment)
    db.session.commit()
    if started:
        message = ngettext(
            "Assignment “%(title)s” deleted. The %(num)d attempt already made stay in the students' own history.",
            "Assignment “%(title)s” deleted. The %(num)d attempts already made stay in the students' own history.",
            started,
            title=title,
        )
    else:
        message = _("Assignment “%(title)s” deleted.", title=title)
    flash(message, "success")
    return redirect(url_for("teach.class_overview", class_id=school_class.id))


# --- item analysis ------------------------------------------------------------------


def _assignment_arg(school_class: SchoolClass) -> Assignment | None:
    """The optional ``assignment`` filter; a malformed or foreign one is not found."""
    raw = request.args.get("assignment", "")
    if raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        abort(404)
    return _assignment_or_404(school_class, int(raw))


@bp.get("/classes/<int:class_id>/items")
@teacher_required
def class_items(class_id: int) -> str:
    school_class = get_class_or_404(class_id, _teacher())
    chosen = _assignment_arg(school_class)
    reports = item_reports.item_analysis(db.session, school_class, chosen.id if chosen else None)
    assignments = classes.class_assignments(db.session, school_class)
    return _render(
        "teach/class_items.html",
        school_class=school_class,
        reports=reports,
        assignments=assignments,
        chosen=chosen,
        flag_text=FLAG_TEXT,
        min_attempts_to_flag=MIN_ATTEMPTS_TO_FLAG,
    )
