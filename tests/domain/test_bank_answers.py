"""Every generated question is answerable exactly as its type promises, by the real grader."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.domain.facts import load_facts
from quizapp.domain.generate import generate_questions
from quizapp.domain.question_types import grade
from quizapp.domain.questions import QuestionDraft, QuestionType

QUESTIONS_DIR = Path(__file__).resolve().parents[2] / "questions"
BANK = generate_questions(load_facts(QUESTIONS_DIR))


def _ids(drafts: list[QuestionDraft]) -> list[str]:
    return [draft.id for draft in drafts]


CHOICE_QUESTIONS = [d for d in BANK if d.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE)]
TYPED_QUESTIONS = [d for d in BANK if d.type in (QuestionType.SHORT_ANSWER, QuestionType.DATE)]


@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=_ids(CHOICE_QUESTIONS))
def test_exactly_one_option_is_graded_correct(question: QuestionDraft) -> None:
    expected_count = 4 if question.type == QuestionType.MULTIPLE_CHOICE else 2
    assert len(set(question.options)) == expected_count
    accepted = [option for option in question.options if grade(question, option).correct]
    assert accepted == [question.answer]


@pytest.mark.parametrize("question", TYPED_QUESTIONS, ids=_ids(TYPED_QUESTIONS))
def test_the_answer_and_every_accepted_answer_are_graded_correct(question: QuestionDraft) -> None:
    for response in (question.answer, *question.accepted_answers):
        assert grade(question, response).correct, response
