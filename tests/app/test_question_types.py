"""The structured types end to end: generated or written, quizzed, graded with partial credit, scheduled, analysed."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.domain.question_types import kind_of
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import AssignmentQuestion, Origin, Question, QuestionVersion, QuizItem, ReviewLog, Role
from quizapp.services import authoring, item_reports, quizzes
from tests.app.factories import (
    add_students,
    login_as,
    make_assignment,
    make_attempt,
    make_class,
    make_review_card,
    make_user,
    question_of_type,
    right_response,
)
from tests.app.pages import form_data, page_text

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
NEW_TYPES = [QuestionType.TIMELINE, QuestionType.MATCHING, QuestionType.MULTIPLE_RESPONSE, QuestionType.NUMERICAL]


def partly_right(item: QuizItem) -> tuple[list[str], float]:
    """A response to a generated question of a new type worth part of the point, and that part."""
    asked = item.asked
    right = right_response(item)
    match QuestionType(asked.type):
        case QuestionType.TIMELINE:  # the first two swapped: one pair of n(n-1)/2 out of order
            pairs = len(right) * (len(right) - 1) / 2
            return [right[1], right[0], *right[2:]], (pairs - 1) / pairs
        case QuestionType.MATCHING:  # the first item left unmatched
            return ["", *right[1:]], (len(right) - 1) / len(right)
        case QuestionType.MULTIPLE_RESPONSE:  # every right option and one wrong one
            shares = asked.details["weights"]
            wrong = next(option for option in asked.options if shares[option] < 0)
            return [*right, wrong], 1 + shares[wrong]
        case QuestionType.NUMERICAL:  # a year off: the half point of "about when"
            return [str(int(right[0]) + 1)], 0.5
    raise AssertionError(asked.type)


@pytest.mark.parametrize("question_type", NEW_TYPES)
def test_a_generated_question_is_quizzed_graded_with_partial_credit_and_scheduled(
    client: FlaskClient, question_type: QuestionType
) -> None:
    student = login_as(client)
    question = question_of_type(question_type)
    assert question is not None, f"the bank has a generated {question_type} question"
    attempt = make_attempt(student, [question, question_of_type(QuestionType.TRUE_FALSE)])
    item = attempt.items[0]
    page = client.get(f"/quiz/{attempt.id}")
    assert page.status_code == 200
    response, share = partly_right(item)
    answered = client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": response})
    assert answered.status_code == 302, page_text(answered)

    db.session.expire_all()
    item = db.session.get(QuizItem, item.id)
    assert item.score == pytest.approx(share) and not item.correct
    assert item.details["response"] == response
    feedback = page_text(client.get(answered.headers["Location"]))
    assert f"Partly right: {round(share * 100)}% of the point." in feedback
    for line in kind_of(question_type).answer_lines(item.asked):
        assert line in feedback
    # At least half the point is recalled with difficulty; less is forgotten.
    [log] = db.session.scalars(select(ReviewLog).where(ReviewLog.user_id == student.id)).all()
    assert log.rating == (Rating.Hard if share >= 0.5 else Rating.Again)


@pytest.mark.parametrize("question_type", NEW_TYPES)
def test_the_right_response_earns_the_whole_point(client: FlaskClient, question_type: QuestionType) -> None:
    student = login_as(client)
    attempt = make_attempt(student, [question_of_type(question_type)])
    client.get(f"/quiz/{attempt.id}")
    answered = client.post(
        f"/quiz/{attempt.id}/answer", data={"position": 1, "response": right_response(attempt.items[0])}
    )
    assert "Right!" in page_text(client.get(answered.headers["Location"]))
    results = page_text(client.get(f"/quiz/{attempt.id}/results"))
    assert "100%" in results


def test_an_unreadable_number_asks_again_and_records_nothing(client: FlaskClient) -> None:
    student = login_as(client)
    attempt = make_attempt(student, [question_of_type(QuestionType.NUMERICAL)])
    client.get(f"/quiz/{attempt.id}")
    answered = client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": "a while after the war"})
    assert answered.status_code == 422
    assert "Could not read a number" in page_text(answered) and "not counted" in page_text(answered)
    db.session.expire_all()
    assert db.session.get(QuizItem, attempt.items[0].id).answered_at is None
    assert db.session.scalars(select(ReviewLog)).all() == []


def test_item_analysis_counts_partial_credit(app) -> None:
    teacher = make_user(Role.TEACHER, username="ms_types")
    school_class = make_class(teacher, "Types class")
    assignment = make_assignment(school_class, "Every type", length=len(NEW_TYPES))
    questions = [question_of_type(question_type) for question_type in NEW_TYPES]
    pinned = db.session.scalars(
        select(AssignmentQuestion)
        .where(AssignmentQuestion.assignment_id == assignment.id)
        .order_by(AssignmentQuestion.position)
    ).all()
    for row, question in zip(pinned, questions, strict=True):
        row.question_id, row.question_version_id = question.id, question.current.id
    db.session.commit()
    shares = []
    for student, partly in zip(add_students(school_class, 2, prefix="types"), (False, True), strict=True):
        attempt = quizzes.start_assignment(db.session, student, assignment, NOW)
        for item in attempt.items:
            response, share = partly_right(item) if partly else (right_response(item), 1.0)
            quizzes.answer(db.session, attempt.id, student, item.position, response, NOW)
            shares.append((item.question_id, share))
    db.session.commit()
    reports = {report.question_id: report for report in item_reports.item_analysis(db.session, school_class)}
    for question in questions:
        expected = sum(share for question_id, share in shares if question_id == question.id) / 2
        assert reports[question.id].statistics.facility == pytest.approx(expected), question.current.type
        assert reports[question.id].answer == kind_of(question.current.type).answer_text(question.current)


NEW_TYPE_FORMS = {
    QuestionType.MULTIPLE_RESPONSE: {
        "options-0": "Costa Rica",
        "options-1": "Argentina",
        "options-2": "Nicaragua",
        "correct_option": ["0", "2"],
        "option_feedback-1": "Argentina stayed out of the dispute.",
    },
    QuestionType.MATCHING: {
        "pair_items-0": "Bolivia",
        "pair_matches-0": "Arequipa government",
        "pair_items-1": "Venezuela",
        "pair_matches-1": "Ayacucho government",
        "distractors": "Regenerator Government",
    },
    QuestionType.TIMELINE: {
        "events-0": "Lima occupied",
        "event_dates-0": "January 1881",
        "events-1": "Battle of Huamachuco",
        "event_dates-1": "10 July 1883",
        "events-2": "Treaty of Ancón",
        "event_dates-2": "20 October 1883",
    },
    QuestionType.NUMERICAL: {
        "number_values-0": "1883",
        "number_values-1": "1883",
        "number_tolerances-1": "1",
        "number_shares-1": "50",
        "number_feedback-1": "Close: 1883.",
    },
}


@pytest.mark.parametrize("question_type", NEW_TYPES)
def test_a_teacher_writes_a_question_of_each_new_type_and_a_student_answers_it(
    empty_app, question_type: QuestionType
) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    data = form_data(question_type.value, prompt=f"A teacher's {question_type.value} question?")
    saved = client.post("/teach/questions/new", data=data | NEW_TYPE_FORMS[question_type])
    assert saved.status_code == 302, page_text(saved)
    question = db.session.scalars(select(Question).where(Question.origin == Origin.TEACHER)).one()
    version = db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question.id)).one()
    assert version.type == question_type
    # The edit form reads it back unchanged.
    edit = client.get(f"/teach/question/{question.id}/edit")
    assert edit.status_code == 200
    student_client = empty_app.test_client()
    student = login_as(student_client)
    attempt = make_attempt(student, [question])
    student_client.get(f"/quiz/{attempt.id}")
    answered = student_client.post(
        f"/quiz/{attempt.id}/answer", data={"position": 1, "response": right_response(attempt.items[0])}
    )
    assert "Right!" in page_text(student_client.get(answered.headers["Location"]))


def test_the_teachers_form_puts_a_new_types_problem_on_its_field(empty_app) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    data = form_data("timeline") | {"events-0": "Lima occupied", "events-1": "Treaty of Ancón"}
    response = client.post("/teach/questions/new", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert '<div id="events-errors">' in text and "Give 3 to 6 events, found 2" in text
    assert 'id="events-0"' in text and 'aria-invalid="true"' in text


def _ticket(page: str) -> str:
    found = re.search(r'name="card" value="([^"]+)"', page)
    assert found, "the flashcard's front has a try form"
    return html.unescape(found[1])


def test_a_flashcard_try_is_graded_and_an_unreadable_one_asked_again(client: FlaskClient, clock) -> None:
    clock.now = NOW
    student = login_as(client, daily_new_limit=0)  # the one card due is the only card shown
    question = question_of_type(QuestionType.NUMERICAL)
    make_review_card(student, question, last_review=NOW - timedelta(days=9), stability=8)
    db.session.commit()
    logs = db.session.scalars(select(ReviewLog)).all()
    front = client.get("/study").get_data(as_text=True)
    assert question.current.prompt in html.unescape(front)
    ticket = _ticket(front)

    unreadable = client.get("/study", query_string={"card": ticket, "response": "not long after"})
    assert unreadable.status_code == 422
    text = page_text(unreadable)
    assert "Could not read a number" in text and 'id="answer"' not in unreadable.get_data(as_text=True)

    year = kind_of(QuestionType.NUMERICAL).right_response(question.current)[0]
    tried = page_text(client.get("/study", query_string={"card": ticket, "response": str(int(year) + 2)}))
    assert "Partly right: 50% of the point." in tried and "Suggested grade: Hard." in tried
    assert db.session.scalars(select(ReviewLog)).all() == logs  # trying records nothing


def test_the_question_form_shows_every_problem_at_once(empty_app) -> None:
    client = empty_app.test_client()
    login_as(client, Role.TEACHER)
    data = form_data(prompt="ab", explanation="x" * 2001, correct_option=None)
    response = client.post("/teach/questions/new", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    for field_id, message in [
        ("correct_option", "Mark which option is correct."),
        ("prompt", "Prompt is required and must have at least 3 characters"),
        ("explanation", "Explanation is longer than 2000 characters (2001)"),
    ]:
        assert re.search(rf'<div id="{field_id}-errors">\s*<p class="field-error">{re.escape(message)}</p>', text), (
            field_id
        )


def test_html_text_is_shown_sanitized_on_every_page_that_shows_it(client: FlaskClient, clock) -> None:
    clock.now = NOW
    teacher = make_user(Role.TEACHER, username="ms_html")
    draft = QuestionDraft(
        id="",
        topic=BankTopic.EVENTS,
        type=QuestionType.MULTIPLE_CHOICE,
        prompt='Where was the <b>Treaty</b> signed?<script>alert("x")</script>',
        answer="Ancón",
        options=("Ancón", "Lima"),
        explanation='It was <em>Ancón</em>.<img src="x" onerror="alert(1)">',
        details={"format": "html", "feedback": {"Lima": "Not <i>Lima</i><style>p{}</style>"}},
    )
    question = authoring.create_question(db.session, draft, teacher)
    db.session.commit()
    student = login_as(client, daily_new_limit=0)
    attempt = make_attempt(student, [question])
    quiz = client.get(f"/quiz/{attempt.id}").get_data(as_text=True)
    answered = client.post(f"/quiz/{attempt.id}/answer", data={"position": 1, "response": "Lima"})
    feedback = client.get(answered.headers["Location"]).get_data(as_text=True)
    flashcard = client.get("/study", query_string={"attempt": attempt.id}).get_data(as_text=True)
    for page in (quiz, feedback, flashcard):
        assert "<b>Treaty</b>" in page
        assert "<script>alert" not in page and "onerror" not in page and "<style>p" not in page
    assert "<em>Ancón</em>" in feedback and "Not <i>Lima</i>" in feedback
