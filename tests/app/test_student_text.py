"""What students read speaks about history: never about the article, and never a fact id."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.domain.question_types import options_shown
from quizapp.domain.questions import QuestionType
from quizapp.extensions import db
from quizapp.models import Question, QuizAttempt, QuizItem, Status
from tests.app.factories import login_as, right_response

EDITORIAL = re.compile(r"\b(article|infobox|main text|according to|source fact)\b", re.IGNORECASE)
FACT_ID = re.compile(r"\b(event|person|place|government|capital|recognition|proposal|name):[a-z0-9]+(-[a-z0-9]+)*")


def visible_text(page: str) -> str:
    """The text of the page's <main>, without tags or attributes."""
    main = page[page.index("<main") : page.index("</main>")]
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def test_quiz_question_feedback_and_results_pages_never_mention_the_source(client: FlaskClient) -> None:
    user = login_as(client)
    active = db.session.scalars(select(Question).where(Question.status == Status.ACTIVE).order_by(Question.id))
    by_type: dict[QuestionType, list[Question]] = {}
    for question in active.unique():
        by_type.setdefault(QuestionType(question.current.type), []).append(question)
    questions = [question for found in by_type.values() for question in found[:2]]
    assert len(questions) == 2 * len(QuestionType)
    attempt = QuizAttempt(user_id=user.id, seed=1, topics=["events"], length=len(questions), started_at=user.created_at)
    for position, question in enumerate(questions, start=1):
        version = question.current
        options = options_shown(version, 1, question.id)
        attempt.items.append(
            QuizItem(position=position, question_id=question.id, question_version_id=version.id, options=options)
        )
    db.session.add(attempt)
    db.session.commit()

    pages = []
    for item in attempt.items:
        pages.append(client.get(f"/quiz/{attempt.id}").get_data(as_text=True))
        answered = client.post(
            f"/quiz/{attempt.id}/answer", data={"position": item.position, "response": right_response(item)}
        )
        assert answered.status_code == 302
        pages.append(client.get(answered.headers["Location"]).get_data(as_text=True))
    pages.append(client.get(f"/quiz/{attempt.id}/results").get_data(as_text=True))
    for page in pages:
        text = visible_text(page)
        assert not EDITORIAL.search(text), EDITORIAL.search(text)
        assert not FACT_ID.search(text), FACT_ID.search(text)
    assert any("Right!" in visible_text(page) for page in pages)
