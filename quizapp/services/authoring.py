"""Teachers writing the bank: create, edit, retire and restore questions.

Each use case checks the draft with :func:`check_draft` (the format rules
shared with imports, plus no duplicate of an active prompt) and stores it
through :mod:`quizapp.services.bank`. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from quizapp.domain.formats import normalize_draft
from quizapp.domain.problems import FieldProblem
from quizapp.domain.questions import QuestionDraft
from quizapp.models import Origin, Question, Status, User
from quizapp.services import DbSession, DomainError, NotFound, bank

NO_SUCH_QUESTION = "There is no such question."


class NotYours(DomainError):
    """A teacher tried to change a question that only its author may change."""


class PromptTaken(DomainError):
    """An active question, ``owner``, already asks the prompt of the question to restore."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        super().__init__(f"The active question {owner!r} asks the same thing; retire or reword it first.")


class InvalidQuestion(DomainError):
    """A draft that breaks question rules; ``problems`` lists every one of them, tagged with its field."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def get_question(session: DbSession, question_id: str) -> Question:
    """The question with this id, active or retired.

    Raises:
        NotFound: there is none.
    """
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(NO_SUCH_QUESTION)
    return question


def check_draft(session: DbSession, draft: QuestionDraft, question_id: str | None = None) -> list[FieldProblem]:
    """Everything wrong with a draft a teacher wrote, each problem tagged with its field.

    Args:
        draft: the question; its id is not checked when ``question_id`` is None
            (a new question gets its id when it is stored).
        question_id: the question being edited, which may keep its own prompt;
            None for a new question.
    """
    draft = normalize_draft(replace(draft, id=question_id or "new"))
    problems = bank.draft_problems(draft)
    editing = session.get(Question, question_id) if question_id is not None else None
    if editing is None or editing.status == Status.ACTIVE:
        owner = bank.active_prompts(session).get(bank.prompt_key(draft.prompt))
        if draft.prompt and owner is not None and owner != question_id:
            problems.append(bank.prompt_taken(owner))
    return problems


def create_question(session: DbSession, draft: QuestionDraft, teacher: User) -> Question:
    """Add a question of origin teacher with a new id (not committed).

    Raises:
        InvalidQuestion: the draft breaks a rule of :func:`check_draft`.
    """
    if problems := check_draft(session, draft):
        raise InvalidQuestion(problems)
    draft = normalize_draft(replace(draft, id=bank.new_question_id(session)))
    return bank.add_teacher_question(session, draft, teacher.id)


def edit_question(
    session: DbSession, question: Question, draft: QuestionDraft, teacher: User, now: datetime
) -> bank.QuestionUpdate:
    """Give a question new content: see :func:`quizapp.services.bank.update_question`.

    Raises:
        NotYours: the teacher may not change this question (:func:`bank.may_change`).
        InvalidQuestion: the draft breaks a rule of :func:`check_draft`.
    """
    require_may_change(question, teacher)
    if problems := check_draft(session, draft, question.id):
        raise InvalidQuestion(problems)
    # The form has no place for the source fact: an edit keeps it.
    draft = normalize_draft(replace(draft, id=question.id, source=question.source))
    return bank.update_question(session, question, draft, teacher.id, now)


def require_may_change(question: Question, teacher: User) -> None:
    """Raises NotYours unless the teacher may change the question (:func:`bank.may_change`)."""
    if not bank.may_change(question, teacher):
        raise NotYours(bank.NOT_YOURS)


def retire_question(question: Question, teacher: User) -> bool:
    """Take a question out of quizzes and study; False if it already was.

    Students' cards and history are kept, so restoring it later resumes them.
    A generated question becomes teacher-locked: `bank build` keeps it retired.
    Assignments already set keep asking it.

    Raises:
        NotYours: the teacher may not change this question.
    """
    require_may_change(question, teacher)
    return _set_status(question, Status.RETIRED)


def restore_question(session: DbSession, question: Question, teacher: User) -> bool:
    """Put a retired question back into use; False if it already was.

    Raises:
        NotYours: the teacher may not change this question.
        PromptTaken: an active question already asks the same prompt.
    """
    require_may_change(question, teacher)
    if question.status == Status.ACTIVE:
        return False
    owner = bank.active_prompts(session).get(bank.prompt_key(question.current.prompt))
    if owner is not None and owner != question.id:
        raise PromptTaken(owner)
    return _set_status(question, Status.ACTIVE)


def _set_status(question: Question, status: Status) -> bool:
    if question.status == status:
        return False
    question.status = status
    if question.origin == Origin.GENERATED:
        question.teacher_locked = True
    return True
