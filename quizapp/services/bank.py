"""The question bank: building it from the facts, listing, exporting and counting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.domain.questions import QuestionDraft, QuestionType
from quizapp.domain.questions import Topic as TopicName
from quizapp.models import Origin, Question, QuestionVersion, Status, Topic

TOPIC_NAMES = {
    TopicName.DATES: "Dates",
    TopicName.LEADERS: "Leaders",
    TopicName.RECOGNITIONS: "Recognitions",
    TopicName.PEOPLE: "People",
    TopicName.EVENTS: "Events",
}


@dataclass
class BuildReport:
    """What one `bank build` changed, question ids by outcome."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    kept_teacher_version: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired or self.restored)


def ensure_topics(session: Session) -> dict[str, Topic]:
    """The topic rows by slug, creating any that are missing."""
    topics = {topic.slug: topic for topic in session.scalars(select(Topic))}
    for slug, name in TOPIC_NAMES.items():
        if slug not in topics:
            topics[slug] = Topic(slug=slug.value, name=name)
            session.add(topics[slug])
    session.flush()
    return topics


VERSION_FIELDS = ("type", "prompt", "answer", "accepted_answers", "options", "explanation")


def version_content(draft: QuestionDraft) -> dict[str, object]:
    """The fields of a draft that a QuestionVersion stores."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in ((key, getattr(draft, key)) for key in VERSION_FIELDS)
    }


def _content_of(version: QuestionVersion) -> dict[str, object]:
    return {key: getattr(version, key) for key in VERSION_FIELDS}


def add_version(
    session: Session, question: Question, draft: QuestionDraft, created_by_id: int | None = None
) -> QuestionVersion:
    """Append a new version with the draft's wording and make it current."""
    number = max((version.number for version in question.versions), default=0) + 1
    version = QuestionVersion(number=number, created_by_id=created_by_id, **version_content(draft))
    question.versions.append(version)
    question.version = number
    session.flush()
    session.expire(question, ["current"])
    return version


def build_bank(session: Session, drafts: Sequence[QuestionDraft]) -> BuildReport:
    """Upsert generated questions; retire generated questions whose fact is gone.

    Questions a teacher has edited, retired or restored are left as the
    teacher decided. Running it twice with the same drafts changes nothing.
    """
    report = BuildReport()
    topics = ensure_topics(session)
    existing = {
        question.id: question
        for question in session.scalars(select(Question).where(Question.origin == Origin.GENERATED))
    }
    for draft in drafts:
        question = existing.pop(draft.id, None)
        if question is None:
            question = Question(
                id=draft.id,
                topic=topics[draft.topic],
                origin=Origin.GENERATED,
                status=Status.ACTIVE,
                source=draft.source,
                tags=list(draft.tags),
                version=0,
            )
            session.add(question)
            add_version(session, question, draft)
            report.created.append(draft.id)
            continue
        if question.teacher_locked:
            report.kept_teacher_version.append(draft.id)
            continue
        changed = False
        if question.status == Status.RETIRED:
            question.status = Status.ACTIVE
            report.restored.append(draft.id)
            changed = True
        if (question.topic.slug, question.source, question.tags) != (
            draft.topic.value,
            draft.source,
            list(draft.tags),
        ):
            question.topic, question.source, question.tags = topics[draft.topic], draft.source, list(draft.tags)
            changed = True
        if _content_of(question.current) != version_content(draft):
            add_version(session, question, draft)
            changed = True
        if changed and draft.id not in report.restored:
            report.updated.append(draft.id)
        elif not changed:
            report.unchanged += 1
    for question in existing.values():  # generated questions whose fact was removed
        if question.status == Status.ACTIVE and not question.teacher_locked:
            question.status = Status.RETIRED
            report.retired.append(question.id)
    session.flush()
    return report


def to_draft(question: Question) -> QuestionDraft:
    version = question.current
    return QuestionDraft(
        id=question.id,
        topic=TopicName(question.topic.slug),
        type=QuestionType(version.type),
        prompt=version.prompt,
        answer=version.answer,
        accepted_answers=tuple(version.accepted_answers),
        options=tuple(version.options),
        explanation=version.explanation,
        source=question.source,
        tags=tuple(question.tags),
    )


def active_questions(session: Session) -> list[Question]:
    return list(
        session.scalars(
            select(Question).where(Question.status == Status.ACTIVE).order_by(Question.id)
        ).unique()
    )


def counts_by_topic_and_type(session: Session) -> list[tuple[str, str, int]]:
    """Active questions counted per (topic, type), in SQL."""
    rows = session.execute(
        select(Topic.slug, QuestionVersion.type, func.count())
        .select_from(Question)
        .join(Topic, Question.topic_id == Topic.id)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id) & (QuestionVersion.number == Question.version),
        )
        .where(Question.status == Status.ACTIVE)
        .group_by(Topic.slug, QuestionVersion.type)
        .order_by(Topic.slug, QuestionVersion.type)
    )
    return [(slug, QuestionType(kind).value, count) for slug, kind, count in rows]


def drafts_of(questions: Iterable[Question]) -> list[QuestionDraft]:
    return [to_draft(question) for question in questions]
