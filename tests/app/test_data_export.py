"""GET /account/export.json: a user downloads everything kept about them, and nothing else."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import (
    Membership,
    Question,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    ReviewLog,
    Role,
    SchoolClass,
    Status,
    User,
)
from quizapp.services import bank, quizzes, study
from tests.app.conftest import StatementLog
from tests.app.factories import login, make_user
from tests.conftest import Clock

NOW = datetime(2024, 4, 2, 14, 30, tzinfo=UTC)
URL = "/account/export.json"


@pytest.fixture(autouse=True)
def export_at_a_fixed_moment(clock: Clock) -> None:
    clock.now = NOW


def active_question_ids(count: int, offset: int = 0) -> list[str]:
    return list(
        db.session.scalars(
            select(Question.id)
            .where(Question.status == Status.ACTIVE)
            .order_by(Question.id)
            .offset(offset)
            .limit(count)
        )
    )


def give_history(user: User, school_class: SchoolClass, card_offset: int, quizzes_taken: int = 1) -> None:
    """Three flashcards graded, and quizzes of 5 with the first two answered."""
    db.session.add(Membership(class_id=school_class.id, student_id=user.id, joined_at=NOW - timedelta(days=1)))
    for rating, question_id in zip((1, 3, 4), active_question_ids(3, card_offset), strict=False):
        study.grade(db.session, user, question_id, rating, 0, NOW - timedelta(hours=2))
    db.session.commit()
    for number in range(quizzes_taken):
        started = NOW - timedelta(hours=1)
        attempt = quizzes.start_quiz(db.session, user, ["events"], 5, started, seed=card_offset + number)
        db.session.commit()
        for position in (1, 2):
            quizzes.answer(db.session, attempt.id, user, position, "", NOW - timedelta(minutes=50 - position))
        db.session.commit()


@pytest.fixture
def people(app: Flask) -> dict[str, Any]:
    teacher = make_user(Role.TEACHER, username="profesora")
    shared = SchoolClass(teacher_id=teacher.id, name="5to A", join_code="AAAA2222")
    elsewhere = SchoolClass(teacher_id=teacher.id, name="Only-Bruno-Class", join_code="BBBB3333")
    db.session.add_all([shared, elsewhere])
    db.session.commit()
    ana = make_user(username="ana", timezone="America/Lima", daily_new_limit=15)
    bruno = make_user(username="bruno_the_other")
    give_history(ana, shared, card_offset=0)
    give_history(bruno, shared, card_offset=10)
    db.session.add(Membership(class_id=elsewhere.id, student_id=bruno.id, joined_at=NOW))
    db.session.commit()
    return {"teacher": teacher, "ana": ana, "bruno": bruno, "shared": shared}


def download(client: FlaskClient, username: str) -> dict[str, Any]:
    login(client, username)
    response = client.get(URL)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f"attachment; filename=quizapp-{username}.json"
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data(as_text=True))


def ids(model: type, column: str, user: User) -> set[int]:
    return set(db.session.scalars(select(model.id).where(getattr(model, column) == user.id)))


def test_signing_in_is_required(client: FlaskClient) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_student_gets_all_of_their_own_data(client: FlaskClient, people: dict[str, Any]) -> None:
    ana: User = people["ana"]
    data = download(client, "ana")

    assert (data["format"], data["format_version"], data["exported_at"]) == (
        "quizapp-user-data",
        1,
        "2024-04-02T14:30:00+00:00",
    )
    assert data["profile"] == {
        "id": ana.id,
        "username": "ana",
        "role": "student",
        "created_at": ana.created_at.isoformat(),
    }
    assert data["settings"] == {"timezone": "America/Lima", "daily_new_limit": 15}
    assert data["classes_joined"] == [
        {
            "class_id": people["shared"].id,
            "name": "5to A",
            "teacher": "profesora",
            "joined_at": (NOW - timedelta(days=1)).isoformat(),
        }
    ]
    assert data["classes_taught"] == [] and data["questions_written"] == []

    cards = {card.id: card for card in db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == ana.id))}
    assert {card["card_id"] for card in data["review_cards"]} == set(cards)
    for exported in data["review_cards"]:
        card = cards[exported["card_id"]]
        assert exported["version"] == card.version and exported["reviews"] == card.reviews
        assert exported["due"] == card.due.isoformat() and exported["stability"] == card.stability
        assert exported["fsrs_card"] == json.loads(card.card_json)
        assert exported["prompt"] == db.session.get(Question, card.question_id).current.prompt

    logs = {log.id: log for log in db.session.scalars(select(ReviewLog).where(ReviewLog.user_id == ana.id))}
    assert {log["log_id"] for log in data["review_logs"]} == set(logs) and len(logs) == 5
    assert sorted(log["source"] for log in data["review_logs"]) == ["flashcard"] * 3 + ["quiz"] * 2
    first_flashcard = next(log for log in data["review_logs"] if log["source"] == "flashcard")
    assert first_flashcard["state_before"] is None and first_flashcard["state_after"]["state"] >= 1
    assert "password" not in json.dumps(data) and ana.session_token not in json.dumps(data)


def test_quiz_items_show_the_version_asked_and_nothing_of_what_is_to_come(
    client: FlaskClient, people: dict[str, Any]
) -> None:
    ana: User = people["ana"]
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == ana.id))
    items = list(
        db.session.scalars(select(QuizItem).where(QuizItem.attempt_id == attempt.id).order_by(QuizItem.position))
    )
    asked_prompts = [item.asked.prompt for item in items]
    # The third question is on Ana's screen; the fourth and fifth are still to come.
    quizzes.mark_shown(items[2], NOW - timedelta(minutes=40))
    # The teacher rewords the first question after the quiz: the export keeps what Ana was asked.
    first = db.session.get(Question, items[0].question_id)
    bank.add_version(db.session, first, replace(bank.to_draft(first), prompt="Reworded later?"), people["teacher"].id)
    db.session.commit()

    (exported,) = download(client, "ana")["quiz_attempts"]
    assert exported["attempt_id"] == attempt.id
    assert (exported["answered_count"], exported["length"], exported["finished_at"]) == (2, 5, None)
    assert [item["prompt"] for item in exported["items"]] == asked_prompts[:3]
    assert [item["position"] for item in exported["items"]] == [1, 2, 3]
    answered, (on_screen,) = exported["items"][:2], exported["items"][2:]
    assert [item["question_id"] for item in answered] == [item.question_id for item in items[:2]]
    assert [item["correct_answer"] for item in answered] == [item.asked.answer for item in items[:2]]
    assert all(item["answered_at"] is not None and item["correct"] is False for item in answered)
    assert set(on_screen) == {"position", "type", "prompt", "options_shown", "shown_at"}
    text = json.dumps(exported, ensure_ascii=False)
    for later in items[2:]:
        assert later.question_id not in text
    for later in items[3:]:
        assert later.asked.prompt not in text


def test_no_row_of_another_user_appears(client: FlaskClient, people: dict[str, Any]) -> None:
    ana, bruno = people["ana"], people["bruno"]
    data = download(client, "ana")
    text = json.dumps(data)
    assert "bruno_the_other" not in text and "Only-Bruno-Class" not in text
    assert {card["card_id"] for card in data["review_cards"]} == ids(ReviewCard, "user_id", ana)
    assert not {card["card_id"] for card in data["review_cards"]} & ids(ReviewCard, "user_id", bruno)
    assert {log["log_id"] for log in data["review_logs"]} == ids(ReviewLog, "user_id", ana)
    assert {attempt["attempt_id"] for attempt in data["quiz_attempts"]} == ids(QuizAttempt, "user_id", ana)
    bruno_questions = set(db.session.scalars(select(ReviewCard.question_id).where(ReviewCard.user_id == bruno.id)))
    ana_questions = set(db.session.scalars(select(ReviewCard.question_id).where(ReviewCard.user_id == ana.id)))
    exported_questions = {card["question_id"] for card in data["review_cards"]}
    assert exported_questions == ana_questions and not exported_questions & (bruno_questions - ana_questions)


def test_a_teacher_gets_their_classes_and_the_questions_they_wrote(client: FlaskClient, people: dict[str, Any]) -> None:
    question = db.session.get(Question, active_question_ids(1)[0])
    bank.add_version(db.session, question, replace(bank.to_draft(question), prompt="¿Quién?"), people["teacher"].id)
    db.session.commit()
    data = download(client, "profesora")
    assert [school_class["name"] for school_class in data["classes_taught"]] == ["5to A", "Only-Bruno-Class"]
    assert [(row["question_id"], row["version"], row["prompt"]) for row in data["questions_written"]] == [
        (question.id, 2, "¿Quién?")
    ]
    assert data["classes_joined"] == [] and data["review_cards"] == [] and data["quiz_attempts"] == []


def test_the_number_of_queries_does_not_grow_with_history(
    app: Flask, people: dict[str, Any], count_statements: StatementLog
) -> None:
    client = app.test_client()
    login(client, "ana")
    count_statements.reset()
    assert client.get(URL).status_code == 200
    with_little = count_statements.count

    give_history(make_user(username="carla"), people["shared"], card_offset=20, quizzes_taken=4)
    client = app.test_client()
    login(client, "carla")
    count_statements.reset()
    data = json.loads(client.get(URL).get_data(as_text=True))
    assert len(data["quiz_attempts"]) == 4 and len(data["review_logs"]) == 3 + 4 * 2
    assert count_statements.count == with_little
