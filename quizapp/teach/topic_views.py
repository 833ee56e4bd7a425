"""The teachers' Topics page: every topic with its questions counted; add, rename, merge.

Endpoints (all behind :func:`teacher_required`):

* ``teach.topics`` GET /teach/topics — the list, with a form to add one
* ``teach.add_topic`` POST /teach/topics
* ``teach.topic`` GET /teach/topic/<slug> — rename and merge forms
* ``teach.rename_topic`` POST /teach/topic/<slug>/rename
* ``teach.merge_topic`` POST /teach/topic/<slug>/merge — its questions and assignments move
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.i18n import error_text
from quizapp.models import Topic
from quizapp.services import DomainError, NotFound, topics
from quizapp.teach import bp, teacher_required
from quizapp.teach.topic_forms import MergeTopicForm, TopicForm


def _topic_or_404(slug: str) -> Topic:
    try:
        return topics.get_topic(db.session, slug)
    except NotFound:
        abort(404)


def _list_page(form: TopicForm, status: int = 200) -> tuple[str, int]:
    return render_template("teach/topics.html", summaries=topics.topic_summaries(db.session), form=form), status


def _topic_page(
    topic: Topic, rename_form: TopicForm | None = None, merge_form: MergeTopicForm | None = None, status: int = 200
) -> tuple[str, int]:
    summaries = topics.topic_summaries(db.session)
    rename_form = rename_form or TopicForm(formdata=None, name=topic.name)
    merge_form = merge_form or MergeTopicForm(formdata=None)
    merge_form.offer([(summary.slug, summary.name) for summary in summaries], topic.slug)
    summary = next(summary for summary in summaries if summary.slug == topic.slug)
    page = render_template(
        "teach/topic.html", topic=topic, summary=summary, rename_form=rename_form, merge_form=merge_form
    )
    return page, status


@bp.get("/topics")
@teacher_required
def topics_page() -> tuple[str, int]:
    return _list_page(TopicForm(formdata=None))


@bp.post("/topics", endpoint="add_topic")
@teacher_required
def add_topic() -> Response | tuple[str, int]:
    form = TopicForm()
    if not form.validate_on_submit():
        return _list_page(form, 422)
    try:
        topic = topics.add_topic(db.session, form.name.data or "")
    except DomainError as error:
        form.name.errors = [error_text(error)]
        return _list_page(form, 422)
    db.session.commit()
    flash(_("Topic “%(name)s” added.", name=topic.name), "success")
    return redirect(url_for("teach.topics_page"))


@bp.get("/topic/<slug>")
@teacher_required
def topic(slug: str) -> tuple[str, int]:
    return _topic_page(_topic_or_404(slug))


@bp.post("/topic/<slug>/rename")
@teacher_required
def rename_topic(slug: str) -> Response | tuple[str, int]:
    topic = _topic_or_404(slug)
    form = TopicForm()
    if not form.validate_on_submit():
        return _topic_page(topic, rename_form=form, status=422)
    try:
        topics.rename_topic(db.session, slug, form.name.data or "")
    except DomainError as error:
        form.name.errors = [error_text(error)]
        return _topic_page(topic, rename_form=form, status=422)
    db.session.commit()
    flash(_("Topic renamed; quizzes, files and assignments still know it by its slug."), "success")
    return redirect(url_for("teach.topic", slug=slug))


@bp.post("/topic/<slug>/merge")
@teacher_required
def merge_topic(slug: str) -> Response | tuple[str, int]:
    topic = _topic_or_404(slug)
    form = MergeTopicForm()
    form.offer([(summary.slug, summary.name) for summary in topics.topic_summaries(db.session)], slug)
    if not form.validate_on_submit():
        return _topic_page(topic, merge_form=form, status=422)
    into = form.into.data or ""
    name = topic.name
    try:
        moved = topics.merge_topics(db.session, slug, into)
    except DomainError as error:
        form.into.errors = [error_text(error)]
        return _topic_page(topic, merge_form=form, status=422)
    db.session.commit()
    flash(
        ngettext(
            "Topic “%(name)s” merged: %(num)d question moved.",
            "Topic “%(name)s” merged: %(num)d questions moved.",
            moved,
            name=name,
        ),
        "success",
    )
    return redirect(url_for("teach.topics_page"))
