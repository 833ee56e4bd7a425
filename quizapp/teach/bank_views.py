"""The teachers' question bank: list and search, write and preview, retire, import and export.

Endpoints (all behind :func:`teacher_required`):

* ``teach.bank`` GET /teach/questions — search, filters, 25 a page
* ``teach.new_question`` GET/POST /teach/questions/new
* ``teach.question`` GET /teach/question/<id> — current version, preview, history
* ``teach.edit_question`` GET/POST /teach/question/<id>/edit
* ``teach.retire_question`` / ``teach.restore_question`` POST /teach/question/<id>/retire|restore
* ``teach.import_questions`` GET/POST /teach/questions/import — upload, then the dry run
* ``teach.confirm_import`` POST /teach/questions/import/confirm — the import itself
* ``teach.export_questions`` GET /teach/questions/export?format=…&<filters>

Item pages are under the singular ``/teach/question/`` so that no question id
can collide with ``new``, ``import`` or ``export``; ids may contain ``/``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response
from wtforms import Form

from quizapp import clock
from quizapp.domain.formats import (
    ALL_LANGUAGE_FORMATS,
    FORMATS,
    ImportFormatError,
    ImportOptions,
    ParsedFile,
    Problem,
    decode_upload,
    normalize_draft,
    worded_in,
)
from quizapp.domain.grading import MAX_RESPONSE_LENGTH, Verdict
from quizapp.domain.languages import Language, language_of
from quizapp.domain.problems import N_
from quizapp.domain.question_types import grade, options_shown
from quizapp.domain.questions import QuestionDraft
from quizapp.domain.verify import Finding
from quizapp.extensions import db
from quizapp.form_fields import ListField
from quizapp.i18n import current_language, error_text, problem_text
from quizapp.models import BankImport, Question
from quizapp.security import render_error
from quizapp.services import DomainError, NotFound, authoring, topics
from quizapp.services import bank as question_bank
from quizapp.services.authoring import InvalidQuestion
from quizapp.teach import bp, teacher_required
from quizapp.teach.forms import (
    EXPORT_LABELS,
    ORIGIN_LABELS,
    STATUS_LABELS,
    TRUE_FALSE_LABELS,
    TYPE_LABELS,
    ActionForm,
    BankFilterForm,
    ConfirmImportForm,
    ImportForm,
    QuestionForm,
)
from quizapp.templating import local_datetime

PER_PAGE = 25
MAX_PAGE = 1_000_000
MAX_IMPORT_BYTES = 1024 * 1024
IMPORT_TOKEN_MAX_AGE = 3600  # seconds between the dry run and the confirmation
IMPORT_SALT = "quizapp.teach.import"
DEFAULT_FORM_MEMORY = 500_000  # Flask's MAX_FORM_MEMORY_SIZE default
PREVIEW_SEED = "preview"
BANK_CHANGED_NOTICE = _l(
    "The question bank changed since the dry run. Nothing was imported yet: check this new dry run."
)
FORM_EXPIRED = _l("The form expired. Please try again.")
# The fields an import may change, as the dry run names them.
FIELD_LABELS = {
    "topic": _l("topic"),
    "type": _l("type"),
    "prompt": _l("prompt"),
    "answer": _l("answer"),
    "accepted_answers": _l("accepted answers"),
    "options": _l("options"),
    "explanation": _l("explanation"),
    "details": _l("details"),
    "language": _l("language"),
    "translations": _l("translations"),
    "source": _l("source"),
    "tags": _l("tags"),
}

TEMPLATE_GLOBALS = {
    "type_labels": TYPE_LABELS,
    "origin_labels": ORIGIN_LABELS,
    "status_labels": STATUS_LABELS,
    "true_false_labels": TRUE_FALSE_LABELS,
    "field_labels": FIELD_LABELS,
    "problem_text": problem_text,
}


def _question_or_404(question_id: str) -> Question:
    try:
        return authoring.get_question(db.session, question_id)
    except NotFound:
        abort(404)


def _question_to_change_or_403(question_id: str) -> Question:
    """A question the signed-in teacher may change (see services.bank.may_change)."""
    question = _question_or_404(question_id)
    if not question_bank.may_change(question, current_user):
        abort(403, _(question_bank.NOT_YOURS))
    return question


def _render(template: str, status: int = 200, **context: object) -> tuple[str, int]:
    return render_template(template, **TEMPLATE_GLOBALS, **context), status


# ---------------------------------------------------------------------------
# The bank page


@bp.get("/questions", endpoint="bank")
@teacher_required
def bank_page() -> tuple[str, int]:
    filter_form = BankFilterForm(request.args)
    page = db.paginate(
        question_bank.filtered_questions(filter_form.filters()),
        # A page far past the last is just as empty, and its offset cannot overflow the query.
        page=min(request.args.get("page", 1, type=int), MAX_PAGE),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
    )
    return _render(
        "teach/bank_list.html",
        filter_form=filter_form,
        filter_args=filter_form.query_args(),
        page=page,
        export_labels=EXPORT_LABELS,
    )


# ---------------------------------------------------------------------------
# Writing a question, with a preview exactly as a student sees it


@dataclass(frozen=True)
class Preview:
    """A question shown as the quiz shows it, the verdict on a try, if any, and warnings for its author.

    ``key`` is the question (a draft), ``options`` the choices in the order the
    quiz would show them.
    """

    key: QuestionDraft
    options: list[str]
    verdict: Verdict | None
    warnings: tuple[Finding, ...] = ()


def _preview(draft: QuestionDraft, response: list[str], *, teachers: bool = True) -> Preview:
    verdict = grade(draft, response) if any(part.strip() for part in response) else None
    names = question_bank.known_names(Path(current_app.config["QUESTIONS_DIR"]))
    warnings = tuple(question_bank.question_warnings(db.session, draft, names)) if teachers else ()
    return Preview(draft, options_shown(draft, PREVIEW_SEED, draft.id), verdict, warnings)


def _form_page(
    form: QuestionForm, question: Question | None, status: int = 200, preview: Preview | None = None
) -> tuple[str, int]:
    return _render("teach/question_form.html", status, form=form, question=question, preview=preview)


def _author(form: QuestionForm, question: Question | None) -> Response | tuple[str, int]:
    """Handle a posted question form: preview it, or save it and go to the question."""
    if not form.validate_on_submit():
        if form.draft is not None:  # the answer section is wrong: the other fields' problems too, all at once
            form.show_shared_problems(authoring.check_draft(db.session, form.draft, question.id if question else None))
        return _form_page(form, question, 422)
    assert form.draft is not None
    draft = form.draft
    if form.preview.data:
        problems = authoring.check_draft(db.session, draft, question.id if question else None)
        if problems:
            form.show_problems(problems)
            return _form_page(form, question, 422)
        draft = normalize_draft(replace(draft, id=question.id if question else "preview"))
        response = form.response.data or []
        if any(len(part) > MAX_RESPONSE_LENGTH for part in response):
            form.response.errors = [_("An answer may be at most %(count)s characters long.", count=MAX_RESPONSE_LENGTH)]
            response = []
        return _form_page(form, question, 422 if form.response.errors else 200, _preview(draft, response))
    try:
        if question is None:
            question = authoring.create_question(db.session, draft, current_user)
            message = _("Question added.")
        else:
            outcome = authoring.edit_question(db.session, question, draft, current_user, clock.now())
            message = _edit_message(question, outcome)
    except InvalidQuestion as error:
        form.show_problems(error.problems)
        return _form_page(form, question, 422)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("teach.question", question_id=question.id))


def _edit_message(question: Question, outcome: question_bank.QuestionUpdate) -> str:
    if not outcome.changes:
        return _("Nothing changed.")
    message = _("Saved as version %(number)s.", number=question.version) if outcome.new_version else _("Saved.")
    if outcome.cards_restarted:
        message += " " + ngettext(
            "The answer changed, so %(num)d student's card of it starts afresh.",
            "The answer changed, so %(num)d students' cards of it start afresh.",
            outcome.cards_restarted,
        )
    return message


@bp.route("/questions/new", methods=["GET", "POST"])
@teacher_required
def new_question() -> Response | tuple[str, int]:
    # A new question is worded in the teacher's interface language unless they choose another.
    form = QuestionForm(data={"language": current_language().value})
    if not form.is_submitted():
        return _form_page(form, None)
    return _author(form, None)


@bp.route("/question/<path:question_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit_question(question_id: str) -> Response | tuple[str, int]:
    question = _question_to_change_or_403(question_id)
    if request.method == "GET":
        return _form_page(QuestionForm(data=QuestionForm.data_for(question)), question)
    return _author(QuestionForm(), question)


class TryForm(Form):
    """A try at the question on its page (a GET form: it changes nothing)."""

    response = ListField("Your answer", default=list)


@bp.get("/question/<path:question_id>")
@teacher_required
def question(question_id: str) -> tuple[str, int]:
    question = _question_or_404(question_id)
    try_form = TryForm(request.args)
    response = [part[:MAX_RESPONSE_LENGTH] for part in try_form.response.data or []]
    history = question_bank.question_history(db.session, question)
    version = question.current
    return _render(
        "teach/question_detail.html",
        question=question,
        version=version,
        languages=[version.language, *(Language(tag) for tag in version.translations if tag != version.language)],
        preview=_preview(question_bank.to_draft(question), response, teachers=question_bank.is_teachers(question)),
        try_form=try_form,
        history=history.versions,
        cards=history.students,
        action_form=ActionForm(),
        changeable=question_bank.may_change(question, current_user),
        not_yours=_(question_bank.NOT_YOURS),
    )


@bp.post("/question/<path:question_id>/retire")
@teacher_required
def retire_question(question_id: str) -> Response:
    question = _question_to_change_or_403(question_id)
    if ActionForm().validate_on_submit():
        if authoring.retire_question(question, current_user):
            db.session.commit()
            flash(
                _("Question retired: quizzes and flashcards no longer show it. Students' history is kept."),
                "success",
            )
        else:
            flash(_("That question was already retired."), "info")
    else:
        flash(FORM_EXPIRED, "error")
    return redirect(url_for("teach.question", question_id=question.id))


@bp.post("/question/<path:question_id>/restore")
@teacher_required
def restore_question(question_id: str) -> Response:
    question = _question_to_change_or_403(question_id)
    if ActionForm().validate_on_submit():
        try:
            restored = authoring.restore_question(db.session, question, current_user)
        except authoring.PromptTaken as taken:
            flash(
                _(
                    "The active question %(owner)s asks the same thing; retire or reword it first.",
                    owner=repr(taken.owner),
                ),
                "error",
            )
        else:
            if restored:
                db.session.commit()
                flash(_("Question restored: quizzes and flashcards show it again."), "success")
            else:
                flash(_("That question was already active."), "info")
    else:
        flash(FORM_EXPIRED, "error")
    return redirect(url_for("teach.question", question_id=question.id))


# ---------------------------------------------------------------------------
# Import: upload → dry run → confirm


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=IMPORT_SALT)


@dataclass(frozen=True)
class Upload:
    """A file read and parsed: what the dry run and the confirmation work from."""

    name: str
    format: str
    text: str
    options: ImportOptions
    parsed: ParsedFile


def _read_upload(form: ImportForm) -> Upload:
    """Read, decode and parse the uploaded file.

    Raises:
        ImportFormatError: the file is too large, not UTF-8 text, of an
            unknown format or malformed; every problem names its line.
    """
    storage = form.file.data
    name = (storage.filename or "upload")[:200]
    data = storage.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            [
                Problem.of(
                    None,
                    N_("the file is larger than %(size)s MB; split it into smaller files"),
                    size=MAX_IMPORT_BYTES // 1024 // 1024,
                )
            ],
            name,
        )
    format_name = form.format.data or question_bank.format_for_filename(name)
    if format_name is None:
        raise ImportFormatError(
            [Problem.of(None, N_("cannot tell the format from the file name; choose its format in the form"))],
            name,
        )
    text = decode_upload(data, name)
    options = form.options()
    return Upload(name, format_name, text, options, FORMATS[format_name].read(text, name, options))


def _report_page(
    upload_name: str, format_name: str, problems: list[Problem], status: int, **context: object
) -> tuple[str, int]:
    return _render(
        "teach/import_report.html",
        status,
        file_name=upload_name,
        format_label=_(FORMATS[format_name].label) if format_name in FORMATS else None,
        problems=problems,
        **context,
    )


def _dry_run_page(upload: Upload, status: int = 200, notice: str | None = None) -> tuple[str, int]:
    plan = question_bank.plan_import(db.session, upload.parsed.drafts, current_user, upload.parsed.skipped)
    if not plan.ok:
        return _report_page(upload.name, upload.format, plan.problems, 422, plan=plan)
    token = _serializer().dumps(
        {
            "user": current_user.id,
            "name": upload.name,
            "format": upload.format,
            "text": upload.text,
            "topic": upload.options.default_topic,
            "skip": upload.options.skip_unsupported,
            "language": upload.options.language.value,
            "plan": plan.fingerprint(),
        }
    )
    limit = current_app.config.get("MAX_FORM_MEMORY_SIZE") or DEFAULT_FORM_MEMORY
    if len(token) > limit - 10_000:  # leave room for the other fields of the form
        problem = Problem.of(None, N_("the file is too large to import in one go; split it into smaller files"))
        return _report_page(upload.name, upload.format, [problem], 413)
    confirm_form = ConfirmImportForm(formdata=None, token=token)
    return _report_page(upload.name, upload.format, [], status, plan=plan, confirm_form=confirm_form, notice=notice)


@bp.route("/questions/import", methods=["GET", "POST"])
@teacher_required
def import_questions() -> tuple[str, int]:
    # The file's language is the teacher's interface language unless they choose another.
    form = ImportForm(data={"language": current_language().value})
    form.offer_topics([(summary.slug, summary.name) for summary in topics.topic_summaries(db.session)])
    if not form.validate_on_submit():
        return _render(
            "teach/import_upload.html",
            422 if form.is_submitted() else 200,
            form=form,
            max_mb=MAX_IMPORT_BYTES // 1024 // 1024,
        )
    try:
        upload = _read_upload(form)
    except ImportFormatError as error:
        return _report_page(error.source_name, form.format.data or "", error.problems, 422)
    return _dry_run_page(upload)


@bp.post("/questions/import/confirm")
@teacher_required
def confirm_import() -> Response | tuple[str, int]:
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please upload the file again."), "error")
        return redirect(url_for("teach.import_questions"))
    try:
        payload = _serializer().loads(form.token.data, max_age=IMPORT_TOKEN_MAX_AGE)
    except SignatureExpired:
        flash(_("The dry run is more than an hour old. Please upload the file again."), "error")
        return redirect(url_for("teach.import_questions"))
    except BadSignature:
        abort(400)
    if payload.get("user") != current_user.id:
        abort(400)
    dry_run_digest = hashlib.sha256(form.token.data.encode()).hexdigest()
    if (earlier := question_bank.find_import(db.session, dry_run_digest)) is not None:
        return _already_imported(earlier)
    name, format_name, text = payload["name"], payload["format"], payload["text"]
    options = ImportOptions(
        default_topic=payload.get("topic", ""),
        skip_unsupported=bool(payload.get("skip")),
        language=language_of(payload.get("language", "")) or Language.ENGLISH,
    )
    try:
        upload = Upload(name, format_name, text, options, FORMATS[format_name].read(text, name, options))
    except ImportFormatError as error:  # cannot happen with the same parser, but never import half
        return _report_page(name, format_name, error.problems, 422)
    plan = question_bank.plan_import(db.session, upload.parsed.drafts, current_user, upload.parsed.skipped)
    if not plan.ok or plan.fingerprint() != payload["plan"]:
        return _dry_run_page(
            upload,
            409,
            notice=BANK_CHANGED_NOTICE,
        )
    try:
        report = question_bank.apply_import(
            db.session, plan, current_user, clock.now(), dry_run_digest=dry_run_digest, file_name=name
        )
        db.session.commit()
    except question_bank.AlreadyImported as error:  # the same confirmation, sent twice at once
        db.session.rollback()
        return _already_imported(error.record)
    except (DomainError, IntegrityError) as error:
        db.session.rollback()
        problem = (
            Problem(None, error_text(error))
            if isinstance(error, DomainError)
            else Problem.of(None, N_("the bank changed during the import"))
        )
        return _report_page(name, format_name, [problem], 409)
    flash(_import_message(report), "success")
    # Latest first: the questions just imported open the list.
    return redirect(url_for("teach.bank", status="any", order=question_bank.RECENT_FIRST))


def _already_imported(record: BankImport) -> Response:
    flash(
        _(
            "This file was already imported (%(when)s: %(added)s added, %(updated)s updated). "
            "Nothing more was imported.",
            when=local_datetime(record.imported_at),
            added=record.added,
            updated=record.updated,
        ),
        "info",
    )
    return redirect(url_for("teach.bank", status="any"))


def _import_message(report: question_bank.ImportReport) -> str:
    total = len(report.added) + len(report.updated)
    message = ngettext(
        "Imported %(num)d question: %(added)s added, %(updated)s updated, %(unchanged)s unchanged.",
        "Imported %(num)d questions: %(added)s added, %(updated)s updated, %(unchanged)s unchanged.",
        total,
        added=len(report.added),
        updated=len(report.updated),
        unchanged=report.unchanged,
    )
    if report.cards_restarted:
        message += " " + ngettext(
            "%(num)d student's card starts afresh because its answer changed.",
            "%(num)d students' cards start afresh because their answer changed.",
            report.cards_restarted,
        )
    return message


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """An upload over the app's MAX_CONTENT_LENGTH: explain it on the import page."""
    if request.endpoint != "teach.import_questions":
        return render_error(error)
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024 // 1024
    problem = Problem.of(
        None,
        N_("the upload is larger than %(limit)s MB; files may be at most %(size)s MB"),
        limit=limit,
        size=MAX_IMPORT_BYTES // 1024 // 1024,
    )
    return _report_page(_("the upload"), "", [problem], 413)


# ---------------------------------------------------------------------------
# Export


@bp.get("/questions/export")
@teacher_required
def export_questions() -> Response:
    format_name = request.args.get("format", "json")
    if format_name not in EXPORT_LABELS:
        abort(400)
    language = language_of(request.args.get("language", "")) or current_language()
    filters = BankFilterForm(request.args).filters()
    drafts = question_bank.exported_drafts(db.session, filters)
    stem = f"quizapp-questions-{clock.now():%Y-%m-%d}"
    if format_name not in ALL_LANGUAGE_FORMATS:  # a file of one language: the one asked for
        drafts = worded_in(drafts, language)
        stem += f"-{language}"
    if format_name == "anki":
        from quizapp.domain.formats.anki import build_apkg  # genanki (2 MB) only in workers that export a deck

        buffer = BytesIO()
        build_apkg(drafts, buffer, language=language)
        buffer.seek(0)
        return send_file(buffer, mimetype="application/vnd.anki", as_attachment=True, download_name=f"{stem}.apkg")
    chosen = FORMATS[format_name]
    return send_file(
        BytesIO(chosen.emit(drafts).encode("utf-8")),
        mimetype=chosen.media_type,
        as_attachment=True,
        download_name=f"{stem}{chosen.file_extension}",
    )
