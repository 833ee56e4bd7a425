"""Database models (SQLAlchemy 2 typed declarative).

Every datetime column stores UTC and comes back timezone-aware, on SQLite too.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    types,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.domain.questions import QuestionType
from quizapp.extensions import db, login_manager


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
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


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


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_str_enum(Role), default=Role.STUDENT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))


class Question(db.Model):
    """A question's identity and life cycle; its wording lives in versions.

    ``id`` is stable: for generated questions it is derived from the fact and
    template, so rebuilding the bank keeps students' history attached.
    """

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    origin: Mapped[Origin] = mapped_column(_str_enum(Origin))
    status: Mapped[Status] = mapped_column(_str_enum(Status), default=Status.ACTIVE, index=True)
    source: Mapped[str] = mapped_column(String(200), default="")  # the fact key it came from
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Set once a teacher edits, retires or restores a generated question:
    # `bank build` then leaves it alone, so the teacher's decision wins.
    teacher_locked: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)  # number of the current QuestionVersion
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

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


class QuestionVersion(db.Model):
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship(back_populates="versions")



@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
