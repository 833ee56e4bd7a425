"""Database models (SQLAlchemy 2 typed declarative).

Every datetime column stores UTC and comes back timezone-aware, on SQLite too.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    types,
)
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from quizapp import clock
from quizapp.domain.grading import search_text
from quizapp.domain.languages import DEFAULT_LANGUAGE, Language
from quizapp.domain.question_sizes import size_problems
from quizapp.domain.questions import QuestionText, QuestionType, text_from_json
from quizapp.extensions import Model, db, login_manager


class UTCDateTime(types.TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC.

    SQLite has no timezone type and returns naive values; this makes both
    databases hand back aware UTC datetimes and refuses naive ones on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def table_of(model: type[Model]) -> Table:
    """The model's table, typed as the Table it is (``__table__`` is declared as any FromClause)."""
    return Model.metadata.tables[model.__tablename__]


def _str_enum(enum_class: type[StrEnum]) -> Enum:
    """Store an enum's values (not its names) as a plain string column."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class Role(StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"


class Origin(StrEnum):
    GENERATED = "generated"
    TEACHER = "teacher"


class Status(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class ReviewSource(StrEnum):
    FLASHCARD = "flashcard"
    QUIZ = "quiz"


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_str_enum(Role), default=Role.STUDENT)
    # An IANA name such as "America/Lima": "today", streaks and daily limits follow it.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    daily_new_limit: Mapped[int] = mapped_column(default=20, server_default="20")
    # Flashcard reviews of cards already learned, per local day (Anki's "maximum reviews/day").
    daily_review_limit: Mapped[int] = mapped_column(default=200, server_default="200")
    # The recall chance the scheduler plans each review for (FSRS's desired retention).
    desired_retention: Mapped[float] = mapped_column(default=0.9, server_default="0.9")
    # The interface and bank language the user chose (a Language); None follows the browser.
    language: Mapped[Language | None] = mapped_column(_str_enum(Language))
    # Part of the id kept in session and remember-me cookies; replacing it
    # (logout, password change) makes every earlier cookie worthless.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        self.session_token = secrets.token_hex(16)


class Topic(Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))


class Question(Model):
    """A question's identity and life cycle; its wording lives in versions.

    ``id`` is stable: for generated questions it is derived from the fact and
    template, so rebuilding the bank keeps students' history attached.
    """

    __tablename__ = "questions"
    __table_args__ = (
        # Active questions oldest first: the next new card walks this index to the first unseen one.
        Index("ix_questions_status_created_at", "status", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    origin: Mapped[Origin] = mapped_column(_str_enum(Origin))
    status: Mapped[Status] = mapped_column(_str_enum(Status), default=Status.ACTIVE)
    source: Mapped[str] = mapped_column(String(200), default="")  # the fact key it came from
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Set once a teacher edits, retires or restores a generated question:
    # `bank build` then leaves it alone, so the teacher's decision wins.
    teacher_locked: Mapped[bool] = mapped_column(default=False)
    # The teacher who wrote it (None for generated questions, or once their account is gone):
    # only they may change it, see services.authoring.may_change.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)  # number of the current QuestionVersion
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    topic: Mapped[Topic] = relationship(lazy="joined")
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.number", cascade="all, delete-orphan"
    )
    current: Mapped[QuestionVersion] = relationship(
        primaryjoin="and_(Question.id == foreign(QuestionVersion.question_id), "
        "Question.version == QuestionVersion.number)",
        viewonly=True,
        lazy="joined",
        innerjoin=True,
    )


# A question version's fields that have size limits (quizapp.domain.question_sizes).
SIZE_LIMITED_FIELDS = ("prompt", "answer", "accepted_answers", "options", "explanation", "details")


def within_size_limits(field: str, value: Any) -> Any:
    """Refuse a version's text or list beyond the question size limits, whatever path writes it: the
    ORM's validator, and bulk inserts (services.bank.add_teacher_questions) that bypass it."""
    if problems := size_problems(field, value):
        raise ValueError(f"question version: {'; '.join(map(str, problems))}")
    return value


def _version_search_text(context: Any) -> str:
    """The prompt and answer of the version being inserted, in every language, folded for search."""
    row = context.get_current_parameters()
    texts = [row["prompt"], row["answer"]]
    for translation in (row.get("translations") or {}).values():
        texts += [translation["prompt"], translation["answer"]]
    return search_text(*texts)


class QuestionVersion(Model):
    """What exactly was asked: immutable once written, a new row per edit."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    number: Mapped[int]
    type: Mapped[QuestionType] = mapped_column(_str_enum(QuestionType))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    accepted_answers: Mapped[list[str]] = mapped_column(JSON, default=list)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    # The structured part of its type (weights, feedback, pairs, events, numerical answers, text
    # format): see quizapp.domain.question_types.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    # The language of the wording above, and the same version in other languages: one version is
    # one question whatever the language, so assignments, cards and item analysis span them all.
    language: Mapped[Language] = mapped_column(_str_enum(Language), default=DEFAULT_LANGUAGE, server_default="en")
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON, default=dict, server_default="{}")
    # Prompts and answers without case or accents (grading.search_text), written once with the version.
    search_text: Mapped[str] = mapped_column(Text, default=_version_search_text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship(back_populates="versions")

    @validates(*SIZE_LIMITED_FIELDS)
    def _within_size_limits(self, field: str, value: Any) -> Any:
        return within_size_limits(field, value)

    def text_in(self, language: Language) -> QuestionText:
        """The wording in ``language``, else in the version's own language."""
        if language != self.language and language in self.translations:
            return text_from_json(self.translations[language])
        return QuestionText(
            self.prompt,
            self.answer,
            tuple(self.accepted_answers),
            tuple(self.options),
            self.explanation,
            self.details,
        )


class BankImport(Model):
    """One confirmed import of a file into the bank.

    ``dry_run_digest`` identifies the dry run that was confirmed: a second
    confirmation of it (a double click, a resent form) finds this row, or
    collides with it, and imports nothing more.
    """

    __tablename__ = "bank_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    dry_run_digest: Mapped[str] = mapped_column(String(64), unique=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    file_name: Mapped[str] = mapped_column(String(200))
    added: Mapped[int]
    updated: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewCard(Model):
    """A student's FSRS memory state for one question.

    The fsrs Card is kept whole as JSON; ``due``, ``state``, ``stability``,
    ``difficulty`` and ``last_review`` are copies of its fields so SQL can
    select and aggregate on them. ``stable_until`` is last_review + stability:
    before it the card's retrievability is at least the 0.9 target.
    """

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_review_cards_user_id_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    card_json: Mapped[str] = mapped_column(Text)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20))
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stable_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviews: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    # How the student first met the question: only cards first met as flashcards use up
    # the daily limit of new cards.
    first_source: Mapped[ReviewSource] = mapped_column(
        _str_enum(ReviewSource), default=ReviewSource.FLASHCARD, server_default="flashcard"
    )
    # Set when the card became a leech (forgotten too often): it leaves the flashcards until
    # the student brings it back.
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every write; a review names the version it saw, so a double
    # submit or a race between two tabs can never apply twice.
    version: Mapped[int] = mapped_column(default=0)

    question: Mapped[Question] = relationship()


class ReviewLog(Model):
    """One grading of a card, kept so schedules can be recomputed later."""

    __tablename__ = "review_logs"
    __table_args__ = (
        UniqueConstraint("card_id", "card_version"),
        Index("ix_review_logs_user_id_reviewed_at", "user_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("review_cards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    card_version: Mapped[int]  # the card's version this review was applied to
    rating: Mapped[int]  # fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    source: Mapped[ReviewSource] = mapped_column(_str_enum(ReviewSource))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None]
    state_before: Mapped[str | None] = mapped_column(Text)  # card JSON, None for a new card
    state_after: Mapped[str] = mapped_column(Text)
    fsrs_log: Mapped[str] = mapped_column(Text)  # fsrs.ReviewLog JSON, for reschedule_card
    # False when a same-day repeat was logged without growing the interval.
    counted: Mapped[bool] = mapped_column(default=True)
    # The card's state just before this review ("new", "learning", "review", "relearning")
    # and whether it was due then: true retention counts the reviews of due review cards.
    prior_state: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    was_due: Mapped[bool] = mapped_column(default=True, server_default=sa_true())


class QuizAttempt(Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (
        Index("ix_quiz_attempts_user_id_started_at", "user_id", "started_at"),
        UniqueConstraint("assignment_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seed: Mapped[int]
    topics: Mapped[list[str]] = mapped_column(JSON)
    length: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correct_count: Mapped[int] = mapped_column(default=0)
    answered_count: Mapped[int] = mapped_column(default=0)
    # Set when the quiz was assigned by a teacher: one attempt per student and assignment.
    # Deleting the assignment leaves its attempts in the students' history as practice quizzes.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="SET NULL"))

    items: Mapped[list[QuizItem]] = relationship(
        back_populates="attempt", order_by="QuizItem.position", cascade="all, delete-orphan"
    )


class QuizItem(Model):
    """One question of an attempt, in the version and option order it was shown."""

    __tablename__ = "quiz_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)  # shuffled for this attempt
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(Text)  # as text, see QuestionKind.response_text
    correct: Mapped[bool | None]  # the whole point earned
    score: Mapped[float | None]  # the share of the point earned, 0 to 1 (partial credit)
    feedback: Mapped[str] = mapped_column(Text, default="")
    # The response as given ("response": the parts, for the structured types) and the author's
    # comment on it ("comment"), shown on the feedback page.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()
    asked: Mapped[QuestionVersion] = relationship()


class SchoolClass(Model):
    """A teacher's class; students join it with its join code."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    teacher: Mapped[User] = relationship()


class Membership(Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("class_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    school_class: Mapped[SchoolClass] = relationship()
    student: Mapped[User] = relationship()


class Assignment(Model):
    """A quiz a teacher set for a class: every student gets the same questions."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    topics: Mapped[list[str]] = mapped_column(JSON)
    length: Mapped[int]
    seed: Mapped[int]
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    school_class: Mapped[SchoolClass] = relationship()
    questions: Mapped[list[AssignmentQuestion]] = relationship(
        order_by="AssignmentQuestion.position", cascade="all, delete-orphan", passive_deletes=True
    )


class AssignmentQuestion(Model):
    """A question an assignment asks, pinned to the version it was set with.

    Every student of the assignment is asked exactly these versions in this
    order, whenever they start and whatever is edited in the bank later.
    """

    __tablename__ = "assignment_questions"
    __table_args__ = (
        UniqueConstraint("assignment_id", "position"),
        UniqueConstraint("assignment_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))

    asked: Mapped[QuestionVersion] = relationship()


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, token = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not token or not secrets.compare_digest(user.session_token, token):
        return None
    return user
