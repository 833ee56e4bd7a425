"""Item analysis of a class's finished attempts: Moodle's facility and discrimination, with the wrong answers given."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, select

from quizapp.domain.languages import Language
from quizapp.domain.question_types import kind_of
from quizapp.domain.stats import ItemStatistics, WrongAnswer, item_statistics, most_common_wrong_answers
from quizapp.models import (
    Assignment,
    Membership,
    Question,
    QuizAttempt,
    QuizItem,
    SchoolClass,
)
from quizapp.services import DbSession

WRONG_ANSWERS_SHOWN = 3


@dataclass(frozen=True)
class ItemReport:
    """How one question did in the class's finished assignment attempts."""

    question_id: str
    topic: str
    prompt: str
    answer: str
    language: Language  # of the prompt and answer shown
    statistics: ItemStatistics
    wrong_answers: list[WrongAnswer]


def item_analysis(session: DbSession, school_class: SchoolClass, assignment_id: int | None = None) -> list[ItemReport]:
    """Item analysis over the finished attempts at the class's assignments, in two queries.

    Each item scores what it earned, partial credit included (1 right, 0 wrong); see
    :mod:`quizapp.domain.stats` for the definitions (Moodle's). Questions are
    listed hardest first (lowest facility index), then by id.

    Args:
        assignment_id: only that assignment's attempts (it must be the class's).
    """
    query = (
        select(QuizItem.attempt_id, QuizItem.question_id, QuizItem.correct, QuizItem.score, QuizItem.response)
        .join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
        .join(Assignment, Assignment.id == QuizAttempt.assignment_id)
        .join(
            Membership,
            and_(Membership.student_id == QuizAttempt.user_id, Membership.class_id == Assignment.class_id),
        )
        .where(Assignment.class_id == school_class.id, QuizAttempt.finished_at.is_not(None))
        .order_by(QuizItem.attempt_id, QuizItem.position)
    )
    if assignment_id is not None:
        query = query.where(Assignment.id == assignment_id)
    attempts: dict[int, dict[str, float]] = defaultdict(dict)
    responses: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for attempt_id, question_id, correct, score, response in session.execute(query):
        attempts[attempt_id][question_id] = score if score is not None else 1.0 if correct else 0.0
        responses[question_id].append((response or "", bool(correct)))
    statistics = item_statistics(list(attempts.values()))
    if not statistics:
        return []
    questions = {
        question.id: question
        for question in session.scalars(select(Question).where(Question.id.in_(list(statistics)))).unique()
    }
    reports = [
        ItemReport(
            question_id=question_id,
            topic=questions[question_id].topic.name,
            prompt=questions[question_id].current.prompt,
            answer=kind_of(questions[question_id].current.type).answer_text(questions[question_id].current),
            language=questions[question_id].current.language,
            statistics=stats,
            wrong_answers=most_common_wrong_answers(responses[question_id], WRONG_ANSWERS_SHOWN),
        )
        for question_id, stats in statistics.items()
    ]
    return sorted(reports, key=lambda report: (report.statistics.facility, report.question_id))
