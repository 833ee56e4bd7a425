"""Topics: listing them with their questions, and the teachers' changes (add, rename, merge).

A topic is a slug (its key in files, quizzes and assignments) and a name
(what pages show). Imports create the topics their files name
(:func:`quizapp.services.bank.ensure_topics`); teachers add, rename and merge
them on the Topics page. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from quizapp.domain.problems import N_
from quizapp.domain.questions import TOPIC_NAME_MAX_LENGTH
from quizapp.domain.topics import slug_problem, slugify
from quizapp.models import Assignment, Question, Status, Topic
from quizapp.services import DbSession, DomainError, NotFound, rows_changed

NO_SUCH_TOPIC = N_("There is no such topic.")


@dataclass(frozen=True)
class TopicSummary:
    """A topic and how many of its questions are active (asked) and retired."""

    slug: str
    name: str
    active: int
    retired: int


def topic_summaries(session: DbSession) -> list[TopicSummary]:
    """Every topic with its question counts, by name (one query)."""
    rows = session.execute(
        select(
            Topic.slug,
            Topic.name,
            func.count(Question.id).filter(Question.status == Status.ACTIVE),
            func.count(Question.id).filter(Question.status == Status.RETIRED),
        )
        .outerjoin(Question, Question.topic_id == Topic.id)
        .group_by(Topic.id, Topic.slug, Topic.name)
        .order_by(Topic.name, Topic.slug)
    )
    return [TopicSummary(*row) for row in rows]


def topics_offered(session: DbSession) -> list[tuple[str, str]]:
    """(slug, name) of the topics with active questions, by name: what a quiz or an assignment may ask."""
    return [(summary.slug, summary.name) for summary in topic_summaries(session) if summary.active]


def get_topic(session: DbSession, slug: str) -> Topic:
    topic = session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        raise NotFound(str(NO_SUCH_TOPIC))
    return topic


def _checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > TOPIC_NAME_MAX_LENGTH:
        raise DomainError(N_("A topic's name has 1 to %(max)d characters."), max=TOPIC_NAME_MAX_LENGTH)
    return name


def add_topic(session: DbSession, name: str) -> Topic:
    """A new topic named ``name``, its slug made from the name (not committed).

    Raises:
        DomainError: the name is empty or too long, gives no slug, or a topic has that slug.
    """
    name = _checked_name(name)
    slug = slugify(name)
    if slug_problem(slug):
        raise DomainError(N_("Name the topic with at least one letter or digit."))
    if session.scalar(select(Topic.id).where(Topic.slug == slug)) is not None:
        raise DomainError(N_("There is already a topic '%(slug)s'; rename or merge it instead."), slug=slug)
    topic = Topic(slug=slug, name=name)
    session.add(topic)
    session.flush()
    return topic


def rename_topic(session: DbSession, slug: str, name: str) -> Topic:
    """Give a topic a new name; its slug (what files and quizzes name) stays.

    Raises:
        NotFound: no such topic. DomainError: the name is empty or too long.
    """
    topic = get_topic(session, slug)
    topic.name = _checked_name(name)
    return topic


def merge_topics(session: DbSession, slug: str, into_slug: str) -> int:
    """Move every question of one topic into another and remove the first; returns how many moved.

    Assignments that named the removed topic name the other instead (a
    student's past practice quizzes keep the topics chosen then; their results
    read each question's topic now).

    Raises:
        NotFound: either topic is missing. DomainError: a topic merged into itself.
    """
    if slug == into_slug:
        raise DomainError(N_("Choose another topic to merge into."))
    source, target = get_topic(session, slug), get_topic(session, into_slug)
    moved = rows_changed(
        session.execute(
            update(Question)
            .where(Question.topic_id == source.id)
            .values(topic_id=target.id)
            .execution_options(synchronize_session=False)
        )
    )
    for assignment in session.scalars(select(Assignment)):
        if slug in assignment.topics:
            assignment.topics = sorted({into_slug if topic == slug else topic for topic in assignment.topics})
    session.flush()  # expiring below would drop the assignments' changes otherwise
    session.expire_all()
    session.delete(get_topic(session, slug))
    session.flush()
    return moved
