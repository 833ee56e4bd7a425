"""The question bank: building it from the facts, listing, editing, importing, exporting and counting."""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path, PurePath

from sqlalchemy import ColumnElement, Select, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from quizapp.domain import scheduling
from quizapp.domain.facts import FactsError, load_facts
from quizapp.domain.formats import Problem, normalize_draft, validate_draft
from quizapp.domain.grading import normalize
from quizapp.domain.knowledge import Knowledge
from quizapp.domain.languages import LANGUAGE_NAMES, Language
from quizapp.domain.problems import N_, FieldProblem
from quizapp.domain.question_rules import with_text
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType, text_as_json, text_from_json
from quizapp.domain.verify import Finding, check_teacher_questions
from quizapp.models import (
    SIZE_LIMITED_FIELDS,
    BankImport,
    Origin,
    Question,
    QuestionVersion,
    ReviewCard,
    Status,
    Topic,
    User,
    within_size_limits,
)
from quizapp.services import DbSession, DomainError, rows_changed

TOPIC_NAMES = {
    BankTopic.DATES: "Dates",
    BankTopic.LEADERS: "Leaders",
    BankTopic.RECOGNITIONS: "Recognitions",
    BankTopic.PEOPLE: "People",
    BankTopic.EVENTS: "Events",
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
    cards_restarted: int = 0  # students' cards of questions whose answer changed

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired or self.restored)


def ensure_topics(session: DbSession, drafts: Iterable[QuestionDraft] = ()) -> dict[str, Topic]:
    """The topic rows by slug, creating the generated bank's and those the drafts name that are missing.

    A topic a draft names is created with the draft's ``topic_name`` (a Moodle
    category's last part), or a name made from its slug.
    """
    topics = {topic.slug: topic for topic in session.scalars(select(Topic))}
    wanted = {str(slug): name for slug, name in TOPIC_NAMES.items()}
    for draft in drafts:
        wanted.setdefault(str(draft.topic), draft.topic_name or topic_name_for(str(draft.topic)))
    for slug, name in wanted.items():
        if slug not in topics:
            topics[slug] = Topic(slug=slug, name=name)
            session.add(topics[slug])
    session.flush()
    return topics


def topic_name_for(slug: str) -> str:
    """A name for a topic known only by its slug: ``key-dates`` is ``Key dates``."""
    return slug.replace("-", " ").capitalize()


VERSION_FIELDS = (
    "type",
    "prompt",
    "answer",
    "accepted_answers",
    "options",
    "explanation",
    "details",
    "language",
    "translations",
)


def version_content(draft: QuestionDraft) -> dict[str, object]:
    """The fields of a draft that a QuestionVersion stores (translations as JSON, by language)."""
    content: dict[str, object] = {
        key: list(value) if isinstance(value, tuple) else dict(value) if key == "details" else value
        for key, value in ((key, getattr(draft, key)) for key in VERSION_FIELDS if key != "translations")
    }
    content["translations"] = {str(language): text_as_json(text) for language, text in draft.translations.items()}
    return content


def _content_of(version: QuestionVersion) -> dict[str, object]:
    return {key: getattr(version, key) for key in VERSION_FIELDS}


def add_version(
    session: DbSession, question: Question, draft: QuestionDraft, created_by_id: int | None = None
) -> QuestionVersion:
    """Append a new version with the draft's wording and make it current."""
    number = max((version.number for version in question.versions), default=0) + 1
    version = QuestionVersion(number=number, created_by_id=created_by_id, **version_content(draft))
    question.versions.append(version)
    question.version = number
    session.flush()
    session.expire(question, ["current"])
    return version


def build_bank(session: DbSession, drafts: Sequence[QuestionDraft], now: datetime) -> BuildReport:
    """Upsert generated questions; retire generated questions whose fact is gone.

    A question whose fact is unchanged keeps its id and version; one whose
    wording changes gets a new version, and if its answer changed (see
    :func:`answer_changed`) every student's card of it starts afresh, due
    ``now`` (the current time when not given), as after a teacher's edit.
    Questions a teacher has edited, retired or restored are left as the
    teacher decided. Running it twice with the same drafts changes nothing.
    """
    report = BuildReport()
    topics = ensure_topics(session, drafts)
    existing = {
        question.id: question
        for question in session.scalars(select(Question).where(Question.origin == Origin.GENERATED))
    }
    for draft in drafts:
        question = existing.pop(draft.id, None)
        if question is None:
            question = Question(
                id=draft.id,
                topic=topics[str(draft.topic)],
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
            str(draft.topic),
            draft.source,
            list(draft.tags),
        ):
            question.topic, question.source, question.tags = topics[str(draft.topic)], draft.source, list(draft.tags)
            changed = True
        if _content_of(question.current) != version_content(draft):
            restarts = answer_changed(question.current, draft)
            add_version(session, question, draft)
            if restarts:
                report.cards_restarted += restart_cards(session, question.id, now)
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
        topic=question.topic.slug,
        type=QuestionType(version.type),
        prompt=version.prompt,
        answer=version.answer,
        accepted_answers=tuple(version.accepted_answers),
        options=tuple(version.options),
        explanation=version.explanation,
        source=question.source,
        tags=tuple(question.tags),
        details=dict(version.details or {}),
        topic_name=question.topic.name,
        language=version.language,
        translations={Language(tag): text_from_json(text) for tag, text in (version.translations or {}).items()},
    )


def active_questions(session: DbSession) -> list[Question]:
    return list(
        session.scalars(select(Question).where(Question.status == Status.ACTIVE).order_by(Question.id)).unique()
    )


def counts_by_topic_and_type(session: DbSession) -> list[tuple[str, str, int]]:
    """Active questions counted per (topic, type), in SQL."""
    rows = session.execute(
        select(Topic.slug, QuestionVersion.type, func.count())
        .select_from(Question)
        .join(Topic, Question.topic_id == Topic.id)
        .join(QuestionVersion, is_current_version())
        .where(Question.status == Status.ACTIVE)
        .group_by(Topic.slug, QuestionVersion.type)
        .order_by(Topic.slug, QuestionVersion.type)
    )
    return [(slug, QuestionType(kind).value, count) for slug, kind, count in rows]


def drafts_of(questions: Iterable[Question]) -> list[QuestionDraft]:
    return [to_draft(question) for question in questions]


def active_question_count(session: DbSession) -> int:
    """How many questions quizzes and flashcards ask now."""
    return session.scalar(select(func.count()).select_from(Question).where(Question.status == Status.ACTIVE)) or 0


def exported_drafts(session: DbSession, filters: QuestionFilters) -> list[QuestionDraft]:
    """The questions matching the bank page's filters, as drafts for an export (one query)."""
    return drafts_of(session.scalars(filtered_questions(filters)).unique())


@dataclass(frozen=True)
class QuestionHistory:
    """A question's versions, newest first, each with its author's name (None: generated or gone)."""

    versions: list[tuple[QuestionVersion, str | None]]
    students: int  # students with a card of it


def question_history(session: DbSession, question: Question) -> QuestionHistory:
    """Every version of a question with its author, and how many students study it (two queries)."""
    versions = session.execute(
        select(QuestionVersion, User.username)
        .outerjoin(User, User.id == QuestionVersion.created_by_id)
        .where(QuestionVersion.question_id == question.id)
        .order_by(QuestionVersion.number.desc())
    ).all()
    students = session.scalar(select(func.count()).select_from(ReviewCard).where(ReviewCard.question_id == question.id))
    return QuestionHistory([(version, username) for version, username in versions], students or 0)


# ---------------------------------------------------------------------------
# Checks a draft must pass before it is stored, beyond its file format.


def prompt_key(prompt: str) -> str:
    """A prompt as duplicates are compared: case and runs of whitespace ignored.

    The same comparison the importers use between the questions of one file.
    """
    return " ".join(prompt.casefold().split())


def draft_problems(draft: QuestionDraft) -> list[FieldProblem]:
    """Everything wrong with a draft on its own, before comparing it with the bank (the question rules)."""
    return validate_draft(draft)


def active_prompts(session: DbSession) -> dict[str, str]:
    """The :func:`prompt_key` of every active question's prompt, mapped to its id (one query)."""
    rows = session.execute(
        select(Question.id, QuestionVersion.prompt)
        .join(QuestionVersion, is_current_version())
        .where(Question.status == Status.ACTIVE)
        .order_by(Question.id)
    )
    prompts: dict[str, str] = {}
    for question_id, prompt in rows:
        prompts.setdefault(prompt_key(prompt), question_id)
    return prompts


def is_current_version() -> ColumnElement[bool]:
    """Join condition: the QuestionVersion is its Question's current one."""
    return (QuestionVersion.question_id == Question.id) & (QuestionVersion.number == Question.version)


# ---------------------------------------------------------------------------
# Warnings on teacher-written questions (duplicates, give-aways)


def known_names(directory: Path) -> tuple[str, ...]:
    """The names of the fact bank in ``directory``, for give-away checks.

    Loaded once and again only when a fact file changes; empty when the facts
    cannot be loaded (``bank build`` and ``bank check`` report why).
    """
    stamp = tuple(sorted((path.name, path.stat().st_mtime_ns) for path in Path(directory).glob("*")))
    return _names_of_facts(str(directory), stamp)


@functools.lru_cache(maxsize=4)
def _names_of_facts(directory: str, stamp: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    try:
        return tuple(Knowledge(load_facts(Path(directory))).known_names())
    except FactsError:
        return ()


def question_warnings(session: DbSession, draft: QuestionDraft, names: Sequence[str]) -> list[Finding]:
    """What a teacher should know about a question they wrote: the same as another one, or giving itself away."""
    return check_teacher_questions([draft], _active_drafts(session), names)


def teacher_warnings(session: DbSession, names: Sequence[str]) -> list[Finding]:
    """The warnings of every active question a teacher wrote or edited."""
    questions = list(session.scalars(filtered_questions(QuestionFilters())).unique())
    drafts = drafts_of(questions)
    written = [draft for question, draft in zip(questions, drafts, strict=True) if is_teachers(question)]
    return check_teacher_questions(written, drafts, names)


def is_teachers(question: Question) -> bool:
    """Whether a teacher wrote the question or edited it (so ``bank build`` leaves it alone)."""
    return question.origin == Origin.TEACHER or question.teacher_locked


def _active_drafts(session: DbSession) -> list[QuestionDraft]:
    return drafts_of(session.scalars(filtered_questions(QuestionFilters())).unique())


# ---------------------------------------------------------------------------
# Listing and filtering (the teachers' bank page and export)


RECENT_FIRST = "recent"


@dataclass(frozen=True)
class QuestionFilters:
    """What the bank page shows; empty strings mean "any".

    Attributes:
        text: words found in the prompt or the answer, ignoring case, accents and
            punctuation (``QuestionVersion.search_text``), or found in the id.
        topic: a topic slug.
        type: a question type value.
        origin: ``generated`` or ``teacher``.
        status: ``active`` or ``retired``.
        order: ``topic`` (by topic, then id) or ``recent`` (latest written or edited first, so
            what an import or an edit just wrote is on the first page).
    """

    text: str = ""
    topic: str = ""
    type: str = ""
    origin: str = ""
    status: str = Status.ACTIVE.value
    order: str = "topic"


def filtered_questions(filters: QuestionFilters) -> Select[Question]:
    """Questions matching the filters with their topic and current version, in the filters' order.

    One query loads everything a list or an export needs.
    """
    statement = (
        select(Question)
        .join(Question.topic)
        .join(QuestionVersion, is_current_version())
        .options(contains_eager(Question.topic), contains_eager(Question.current))
    )
    if filters.order == RECENT_FIRST:
        statement = statement.order_by(QuestionVersion.created_at.desc(), QuestionVersion.id.desc())
    else:
        statement = statement.order_by(Topic.slug, Question.id)
    if text := filters.text.strip():
        found = [Question.id.icontains(text, autoescape=True)]
        if words := normalize(text):
            found.append(QuestionVersion.search_text.contains(words, autoescape=True))
        statement = statement.where(or_(*found))
    if filters.topic:
        statement = statement.where(Topic.slug == filters.topic)
    if filters.type:
        statement = statement.where(QuestionVersion.type == QuestionType(filters.type))
    if filters.origin:
        statement = statement.where(Question.origin == Origin(filters.origin))
    if filters.status:
        statement = statement.where(Question.status == Status(filters.status))
    return statement


# ---------------------------------------------------------------------------
# Writing questions: shared by the authoring forms and imports


def new_question_id(session: DbSession) -> str:
    """A fresh id for a question a teacher writes."""
    while True:
        question_id = "t-" + secrets.token_hex(6)
        if session.get(Question, question_id) is None:
            return question_id


def derived_question_id(draft: QuestionDraft) -> str:
    """The id of an imported question that came without one: stable for the same prompt."""
    return "t-" + hashlib.sha1(prompt_key(draft.prompt).encode("utf-8", "surrogatepass")).hexdigest()[:12]


NOT_YOURS = N_("Another teacher wrote this question, so only they can change it.")


def may_change(question: Question, teacher: User) -> bool:
    """Whether a teacher may edit, retire or restore a question.

    Generated questions belong to the school's bank: any teacher may change
    them (and `bank build` then leaves their change alone). A question a
    teacher wrote is theirs alone, unless their account is gone. Nobody's
    change reaches an assignment already set: it asks the versions it pinned.
    """
    return question.origin == Origin.GENERATED or question.author_id in (None, teacher.id)


def add_teacher_question(
    session: DbSession, draft: QuestionDraft, created_by_id: int | None, topics: dict[str, Topic] | None = None
) -> Question:
    """Store a new question of origin teacher with the draft's id (not committed).

    ``created_by_id`` becomes its author. ``topics`` is :func:`ensure_topics`'
    result, to save its query.
    """
    add_teacher_questions(session, [draft], created_by_id, topics)
    return session.get_one(Question, draft.id)


def add_teacher_questions(
    session: DbSession,
    drafts: Sequence[QuestionDraft],
    created_by_id: int | None,
    topics: dict[str, Topic] | None = None,
) -> None:
    """Store new questions of origin teacher, each with its first version (not committed).

    Two batched INSERTs whatever the number (an import adds thousands): the
    rows are written without ORM objects, their sizes checked as the model
    checks them.
    """
    if not drafts:
        return
    topics = topics if topics is not None else ensure_topics(session, drafts)
    session.execute(
        insert(Question),
        [
            {
                "id": draft.id,
                "topic_id": topics[str(draft.topic)].id,
                "origin": Origin.TEACHER,
                "status": Status.ACTIVE,
                "source": draft.source,
                "tags": list(draft.tags),
                "author_id": created_by_id,
                "version": 1,
            }
            for draft in drafts
        ],
    )
    session.execute(
        insert(QuestionVersion),
        [
            {
                "question_id": draft.id,
                "number": 1,
                "created_by_id": created_by_id,
                **{
                    name: within_size_limits(name, value) if name in SIZE_LIMITED_FIELDS else value
                    for name, value in version_content(draft).items()
                },
            }
            for draft in drafts
        ],
    )


def changed_fields(question: Question, draft: QuestionDraft) -> list[str]:
    """The names of the fields the draft would change, in draft order."""
    content = version_content(draft)
    current = _content_of(question.current)
    names = []
    if question.topic.slug != str(draft.topic):
        names.append("topic")
    names += [key for key in VERSION_FIELDS if current[key] != content[key]]
    if question.source != draft.source:
        names.append("source")
    if list(question.tags) != list(draft.tags):
        names.append("tags")
    return names


def answer_changed(version: QuestionVersion, draft: QuestionDraft) -> bool:
    """Whether the draft asks for a different answer than the version did.

    True when the type or the canonical answer (for multiple choice: the
    correct option; for the structured types the answer they read, such as
    the order of a timeline) changes, compared as the grader compares
    responses, so fixing an accent or a capital letter does not count.
    Rewording the prompt, the other options, the accepted answers or the
    explanation does not count either.
    """
    return version.type != draft.type or normalize(version.answer) != normalize(draft.answer)


def restart_cards(session: DbSession, question_id: str, now: datetime) -> int:
    """Start every student's card of a question afresh, due now; returns how many.

    Review logs are kept (they are the history), the version of each card is
    bumped so a review still open in a browser cannot apply to the new card.
    """
    result = session.execute(
        update(ReviewCard)
        .where(ReviewCard.question_id == question_id)
        .values(
            card_json=scheduling.new_card_json(now),
            due=now,
            state="learning",
            stability=None,
            difficulty=None,
            last_review=None,
            stable_until=None,
            lapses=0,
            version=ReviewCard.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, ReviewCard) and loaded.question_id == question_id:
            session.expire(loaded)
    return rows_changed(result)


@dataclass(frozen=True)
class QuestionUpdate:
    """What :func:`update_question` did.

    Attributes:
        changes: the names of the fields that changed (empty: nothing did).
        new_version: a new QuestionVersion was written.
        cards_restarted: how many students' cards started afresh because
            the answer changed.
    """

    changes: tuple[str, ...] = ()
    new_version: bool = False
    cards_restarted: int = 0


def update_question(
    session: DbSession, question: Question, draft: QuestionDraft, created_by_id: int | None, now: datetime
) -> QuestionUpdate:
    """Give a question the draft's content as a teacher's edit (not committed).

    Wording changes add a version, so quiz items keep pointing at what was
    asked then; a changed answer restarts the students' cards; a generated
    question becomes teacher-locked so `bank build` keeps the edit. A draft
    equal to the question changes nothing.
    """
    changes = changed_fields(question, draft)
    if not changes:
        return QuestionUpdate()
    restarts = answer_changed(question.current, draft)
    if "topic" in changes:
        question.topic = ensure_topics(session, [draft])[str(draft.topic)]
    question.source, question.tags = draft.source, list(draft.tags)
    new_version = any(name in VERSION_FIELDS for name in changes)
    if new_version:
        add_version(session, question, draft, created_by_id)
    if question.origin == Origin.GENERATED:
        question.teacher_locked = True
    session.flush()
    restarted = restart_cards(session, question.id, now) if restarts else 0
    return QuestionUpdate(tuple(changes), new_version, restarted)


# ---------------------------------------------------------------------------
# Import: a dry run (plan), then all or nothing (apply)

# Our GIFT export is named *.gift.txt; other .txt files are taken for GIFT too.
IMPORT_EXTENSIONS = {".csv": "csv", ".gift": "gift", ".txt": "gift", ".json": "json", ".xml": "moodlexml"}


def format_for_filename(filename: str) -> str | None:
    """The import format a file name suggests (a key of FORMATS), or None."""
    return IMPORT_EXTENSIONS.get(PurePath(filename.strip().lower()).suffix)


class ImportAction(StrEnum):
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PlannedQuestion:
    """What importing one question of a file would do.

    Attributes:
        number: its position in the file, from 1.
        draft: the question as it would be stored.
        action: add it, update the question with its id, or nothing.
        changes: for an update, the names of the fields that change.
        restarts_cards: for an update, the answer changes, so students'
            cards of it start afresh.
        retired: for an update, the question is retired and stays so.
    """

    number: int
    draft: QuestionDraft
    action: ImportAction
    changes: tuple[str, ...] = ()
    restarts_cards: bool = False
    retired: bool = False


@dataclass
class ImportPlan:
    """The dry run of an import: what it would do, or why it cannot be done.

    ``problems`` are conflicts with the bank (the file itself was already
    checked by its parser); one problem means nothing may be written.
    """

    questions: list[PlannedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_topics: list[tuple[str, str]] = field(default_factory=list)  # (slug, name) the import creates
    skipped: list[Problem] = field(default_factory=list)  # what the file had that is not imported
    # Questions added in a language other than English, by language name: their ids matched no
    # question of the bank, so they are new questions rather than translations of existing ones.
    added_in_language: dict[str, int] = field(default_factory=dict)

    def _with(self, action: ImportAction) -> list[PlannedQuestion]:
        return [item for item in self.questions if item.action == action]

    @property
    def added(self) -> list[PlannedQuestion]:
        return self._with(ImportAction.ADD)

    @property
    def updated(self) -> list[PlannedQuestion]:
        return self._with(ImportAction.UPDATE)

    @property
    def unchanged(self) -> list[PlannedQuestion]:
        return self._with(ImportAction.UNCHANGED)

    @property
    def to_write(self) -> int:
        """How many questions the import would add or change."""
        return len(self.added) + len(self.updated)

    @property
    def ok(self) -> bool:
        return not self.problems

    def fingerprint(self) -> str:
        """A digest of what the plan would do: equal plans, equal fingerprints."""
        summary = [[item.draft.id, item.action.value, list(item.changes)] for item in self.questions]
        summary.append([[slug, name] for slug, name in self.new_topics])
        return hashlib.sha256(json.dumps(summary).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ImportReport:
    """What :func:`apply_import` wrote, question ids by outcome."""

    added: list[str]
    updated: list[str]
    unchanged: int
    cards_restarted: int


def prompt_taken(owner: str) -> FieldProblem:
    """The problem of a prompt an active question, ``owner``, already asks."""
    return FieldProblem.of("prompt", N_("prompt is already asked by active question %(owner)s"), owner=repr(owner))


def plan_import(
    session: DbSession, drafts: Sequence[QuestionDraft], teacher: User | None = None, skipped: Sequence[Problem] = ()
) -> ImportPlan:
    """Decide what importing the drafts would do, writing nothing.

    A draft whose id is a question in the bank updates it (a new version);
    one with an unknown id is added with that id, one without an id gets
    :func:`derived_question_id`. Problems: a draft breaking a rule of
    :func:`draft_problems`, two drafts with the same id or prompt, a prompt
    already asked by an active question the file does not update, and an
    update of a question ``teacher`` may not change (:func:`may_change`; no
    such check for the command line, ``teacher`` None). ``skipped`` lists
    what the file had that is not imported (see ImportOptions.skip_unsupported).
    Three queries, whatever the number of drafts.
    """
    plan = ImportPlan(skipped=list(skipped))
    drafts = [normalize_draft(draft) for draft in drafts]
    drafts = [draft if draft.id else replace(draft, id=derived_question_id(draft)) for draft in drafts]
    id_set = {draft.id for draft in drafts}
    existing = {
        question.id: question for question in session.scalars(select(Question).where(Question.id.in_(id_set))).unique()
    }
    plan.added_in_language = _added_languages(drafts, existing)
    drafts = [merged_with_bank(existing[draft.id], draft) if draft.id in existing else draft for draft in drafts]
    taken_prompts = active_prompts(session)
    known_topics = set(session.scalars(select(Topic.slug)))
    for draft in drafts:
        if str(draft.topic) not in known_topics:
            known_topics.add(str(draft.topic))
            plan.new_topics.append((str(draft.topic), draft.topic_name or topic_name_for(str(draft.topic))))
    first_id: dict[str, int] = {}
    first_prompt: dict[str, int] = {}
    for number, draft in enumerate(drafts, start=1):
        label = Problem.of(None, N_("question %(number)s (%(id)s)"), number=number, id=repr(draft.id))

        def of_question(problem: Problem | FieldProblem, label: Problem = label) -> Problem:
            return Problem.of(None, N_("%(where)s: %(problem)s"), where=label, problem=problem)

        plan.problems += [of_question(problem) for problem in draft_problems(draft)]
        if (earlier := first_id.setdefault(draft.id, number)) != number:
            plan.problems.append(
                of_question(Problem.of(None, N_("the same id as question %(number)s"), number=earlier))
            )
        key = prompt_key(draft.prompt)
        if (earlier := first_prompt.setdefault(key, number)) != number:
            plan.problems.append(
                of_question(Problem.of(None, N_("the same prompt as question %(number)s"), number=earlier))
            )
        question = existing.get(draft.id)
        owner = taken_prompts.get(key)
        # An owner the file also updates either keeps its prompt (a duplicate within
        # the file, reported above) or gives it up.
        stays_active = question is None or question.status == Status.ACTIVE
        if stays_active and owner is not None and owner not in id_set:
            plan.problems.append(of_question(prompt_taken(owner)))
        if question is None:
            plan.questions.append(PlannedQuestion(number, draft, ImportAction.ADD))
            continue
        changes = changed_fields(question, draft)
        if changes and teacher is not None and not may_change(question, teacher):
            plan.problems.append(of_question(Problem.of(None, NOT_YOURS)))
        plan.questions.append(
            PlannedQuestion(
                number,
                draft,
                ImportAction.UPDATE if changes else ImportAction.UNCHANGED,
                tuple(changes),
                restarts_cards=bool(changes) and answer_changed(question.current, draft),
                retired=question.status == Status.RETIRED,
            )
        )
    return plan


def merged_with_bank(question: Question, draft: QuestionDraft) -> QuestionDraft:
    """What importing ``draft`` makes of the question with its id: its wording in each language the draft gives.

    A draft in the question's own language replaces that wording, its topic,
    tags and source; one in another language (the Spanish file of questions
    the bank has in English) gives the question that translation and changes
    nothing else. The bank's translations in languages the draft lacks are kept.
    """
    current = to_draft(question)
    texts = {language: current.text_in(language) for language in (current.language, *current.translations)}
    texts |= {language: draft.text_in(language) for language in (draft.language, *draft.translations)}
    base = draft if draft.language == current.language else current
    own = with_text(base, current.language, texts.pop(current.language))
    return normalize_draft(replace(own, id=question.id, translations=texts))


def _added_languages(drafts: Sequence[QuestionDraft], existing: dict[str, Question]) -> dict[str, int]:
    """How many questions a file adds in each language other than English, by language name."""
    counts: dict[str, int] = {}
    for draft in drafts:
        if draft.id not in existing and draft.language != Language.ENGLISH:
            name = LANGUAGE_NAMES[draft.language]
            counts[name] = counts.get(name, 0) + 1
    return counts


class AlreadyImported(DomainError):
    """The dry run was already confirmed: its import happened once and is not repeated."""

    def __init__(self, record: BankImport) -> None:
        self.record = record
        super().__init__("That file was already imported; nothing more was imported.")


def find_import(session: DbSession, dry_run_digest: str) -> BankImport | None:
    """The import that confirmed this dry run, if it was confirmed."""
    return session.scalar(select(BankImport).where(BankImport.dry_run_digest == dry_run_digest))


def apply_import(
    session: DbSession,
    plan: ImportPlan,
    teacher: User | None,
    now: datetime,
    *,
    dry_run_digest: str | None = None,
    file_name: str = "",
) -> ImportReport:
    """Carry out a plan without problems, all or nothing (not committed).

    Added questions are of origin teacher; updated ones get a new version and
    generated ones among them become teacher-locked, as with an edit in the
    web form (see :func:`update_question`). Everything is written inside a
    savepoint, so a failure part-way leaves the session as it was.

    Args:
        dry_run_digest: identifies the dry run being confirmed; the import is
            recorded under it, once (see :class:`BankImport`).

    Raises:
        AlreadyImported: the dry run was confirmed before, by another request
            that committed first; nothing was written.
        DomainError: the plan has problems, or the bank changed since it was
            made (e.g. a question it adds now exists).
    """
    if plan.problems:
        raise DomainError("The file has problems, so nothing was imported.")
    created_by_id = teacher.id if teacher is not None else None
    updating = [item.draft.id for item in plan.updated]
    with session.begin_nested():
        record = _claim_import(session, dry_run_digest, created_by_id, file_name, now)
        topics = ensure_topics(session, [item.draft for item in plan.questions])
        existing = {
            question.id: question
            for question in session.scalars(
                select(Question).where(Question.id.in_([item.draft.id for item in plan.questions]))
            ).unique()
        }
        added: list[QuestionDraft] = []
        restarted = 0
        for item in plan.questions:
            question = existing.get(item.draft.id)
            if item.action == ImportAction.ADD:
                if question is not None:
                    raise DomainError(_BANK_CHANGED)
                added.append(item.draft)
            elif item.action == ImportAction.UPDATE:
                if question is None:
                    raise DomainError(_BANK_CHANGED)
                update = update_question(session, question, item.draft, created_by_id, now)
                restarted += update.cards_restarted
        add_teacher_questions(session, added, created_by_id, topics)
        if record is not None:
            record.added, record.updated = len(added), len(updating)
    return ImportReport([draft.id for draft in added], updating, len(plan.unchanged), restarted)


def _claim_import(
    session: DbSession, dry_run_digest: str | None, teacher_id: int | None, file_name: str, now: datetime
) -> BankImport | None:
    """Record the confirmation of a dry run before anything else is written.

    Of two confirmations at once, the second waits on the unique digest until
    the first commits, then collides with it: it imports nothing.
    """
    if dry_run_digest is None:
        return None
    record = BankImport(
        dry_run_digest=dry_run_digest,
        teacher_id=teacher_id,
        file_name=file_name[:200],
        added=0,
        updated=0,
        imported_at=now,
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        earlier = find_import(session, dry_run_digest)
        assert earlier is not None  # the row that collided
        raise AlreadyImported(earlier) from None
    return record


_BANK_CHANGED = "The question bank changed since the dry run, so nothing was imported; try again."
