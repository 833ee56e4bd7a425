"""What a class is assessed on holds still: pinned versions, who may edit what, due dates, deletion."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.domain.formats import FORMATS
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    AssignmentQuestion,
    Membership,
    Origin,
    Question,
    QuizAttempt,
    Role,
    Status,
    User,
)
from quizapp.services import bank, quizzes
from quizapp.teach.forms import QuestionForm
from tests.app.factories import add_students, login, make_assignment, make_class, make_user, right_response
from tests.app.pages import main_text, sign_in
from tests.conftest import Clock

# 10 March 2024, 10:00 in Lima.
NOW = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)
LIMA = ZoneInfo("America/Lima")


@pytest.fixture(autouse=True)
def at_now(clock: Clock) -> None:
    clock.now = NOW


def attempt_of(student: User, assignment: Assignment) -> QuizAttempt:
    db.session.expire_all()
    return db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == student.id, QuizAttempt.assignment_id == assignment.id)
    ).one()


def start(client: FlaskClient, student: User, assignment: Assignment) -> QuizAttempt:
    sign_in(client, student)
    response = client.post(f"/quiz/assignments/{assignment.id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return attempt_of(student, assignment)


def edit_form(question: Question, **changes: str) -> dict[str, object]:
    """The question form as the edit page fills it, with ``changes``, saved."""
    form: dict[str, object] = {}
    for name, value in QuestionForm.data_for(question).items():
        if isinstance(value, list) and name != "correct_option":  # rows of a FieldList
            form.update({f"{name}-{number}": item for number, item in enumerate(value)})
        else:
            form[name] = value
    return {**form, **changes, "save": "Save question"}


# --- 2. an assignment asks what it was set with ---------------------------------------


def test_students_starting_before_and_after_an_edit_are_asked_the_same_versions(client: FlaskClient) -> None:
    teacher, editor = make_user(Role.TEACHER), make_user(Role.TEACHER)
    school_class = make_class(teacher)
    early, late = add_students(school_class, 2)
    assignment = make_assignment(school_class, topics=("events",), length=5)
    pinned = [(pin.question_id, pin.question_version_id) for pin in assignment.questions]
    assert len(pinned) == 5

    before = start(client, early, assignment)
    # Another teacher rewords one of its questions and changes its answer; one is retired.
    edited = db.session.get(Question, pinned[0][0])
    sign_in(client, editor)
    form = edit_form(edited, prompt=edited.current.prompt + " Think of the sierra.")
    response = client.post(f"/teach/question/{edited.id}/edit", data=form)
    assert response.status_code == 302, main_text(response)
    db.session.expire_all()
    assert db.session.get(Question, pinned[0][0]).version == 2
    db.session.get(Question, pinned[1][0]).status = Status.RETIRED
    db.session.commit()
    after = start(client, late, assignment)

    for attempt in (before, after):
        assert [(item.question_id, item.question_version_id) for item in attempt.items] == pinned
    assert [item.options for item in before.items] == [item.options for item in after.items]
    # The retired question is still asked, and answering the old version grades against the old key.
    first = after.items[0]
    response = client.post(f"/quiz/{after.id}/answer", data={"position": 1, "response": right_response(first)})
    assert response.status_code == 302
    assert attempt_of(late, assignment).items[0].correct is True


def test_an_assignment_pins_the_current_versions_when_it_is_set(client: FlaskClient) -> None:
    teacher = make_user(Role.TEACHER)
    school_class = make_class(teacher)
    sign_in(client, teacher)
    response = client.post(
        f"/teach/classes/{school_class.id}/assignments/new",
        data={"title": "Sierra", "topics": ["leaders"], "length": 6, "due": "2024-03-20"},
    )
    assert response.status_code == 302
    assignment = db.session.scalars(select(Assignment)).one()
    assert [pin.position for pin in assignment.questions] == list(range(1, 7))
    for pin in assignment.questions:
        assert pin.question_version_id == db.session.get(Question, pin.question_id).current.id


# --- 2. who may change a question ---------------------------------------------------


def teacher_question(author: User, prompt: str = "Which town did this teacher ask about?") -> Question:
    draft = QuestionDraft(
        id=bank.new_question_id(db.session),
        topic=BankTopic.EVENTS,
        type=QuestionType.SHORT_ANSWER,
        prompt=prompt,
        answer="Huamachuco",
    )
    question = bank.add_teacher_question(db.session, draft, author.id)
    db.session.commit()
    return question


def test_only_its_author_changes_a_teachers_question(client: FlaskClient) -> None:
    author, colleague = make_user(Role.TEACHER), make_user(Role.TEACHER)
    question = teacher_question(author)
    sign_in(client, colleague)
    page = client.get(f"/teach/question/{question.id}")
    assert page.status_code == 200 and bank.NOT_YOURS in main_text(page)
    assert f"/teach/question/{question.id}/edit" not in page.get_data(as_text=True)
    for method, path, data in (
        ("GET", f"/teach/question/{question.id}/edit", None),
        ("POST", f"/teach/question/{question.id}/edit", edit_form(question, answer="Lima")),
        ("POST", f"/teach/question/{question.id}/retire", {}),
    ):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 403, (method, path)
        assert bank.NOT_YOURS in response.get_data(as_text=True)
    db.session.expire_all()
    assert (question.version, question.status) == (1, Status.ACTIVE)

    sign_in(client, author)
    response = client.post(f"/teach/question/{question.id}/edit", data=edit_form(question, answer="Lima"))
    assert response.status_code == 302
    db.session.expire_all()
    assert question.current.answer == "Lima"


def test_any_teacher_changes_a_generated_question(client: FlaskClient) -> None:
    question = db.session.scalars(select(Question).where(Question.origin == Origin.GENERATED).limit(1)).one()
    sign_in(client, make_user(Role.TEACHER))
    assert client.post(f"/teach/question/{question.id}/retire", data={}).status_code == 302
    db.session.expire_all()
    assert question.status == Status.RETIRED


def test_an_import_cannot_update_another_teachers_question(client: FlaskClient) -> None:
    author, colleague = make_user(Role.TEACHER), make_user(Role.TEACHER)
    question = teacher_question(author)
    changed = replace(bank.to_draft(question), answer="Lima")
    text = FORMATS["json"].emit([changed])

    plan = bank.plan_import(db.session, [changed], colleague)
    assert [problem.message for problem in plan.problems] == [f"question 1 ({question.id!r}): {bank.NOT_YOURS}"]
    assert bank.plan_import(db.session, [changed], author).ok
    assert bank.plan_import(db.session, [changed], None).ok  # the command line: the school's admin

    sign_in(client, colleague)
    response = client.post("/teach/questions/import", data={"file": (_bytes(text), "mine.json"), "format": "json"})
    assert response.status_code == 422
    assert bank.NOT_YOURS in response.get_data(as_text=True)


def _bytes(text: str):
    import io

    return io.BytesIO(text.encode())


# --- 5. a confirmation sent twice imports once -----------------------------------------


def test_a_repeated_import_confirmation_imports_once_and_says_so(client: FlaskClient) -> None:
    teacher = make_user(Role.TEACHER)
    draft = QuestionDraft(
        id="twice-1",
        topic=BankTopic.EVENTS,
        type=QuestionType.SHORT_ANSWER,
        prompt="Where was the twice-sent file?",
        answer="Lima",
    )
    sign_in(client, teacher)
    dry_run = client.post(
        "/teach/questions/import",
        data={"file": (_bytes(FORMATS["json"].emit([draft])), "twice.json"), "format": "json"},
    )
    assert dry_run.status_code == 200
    token = dry_run.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]

    first = client.post("/teach/questions/import/confirm", data={"token": token})
    second = client.post("/teach/questions/import/confirm", data={"token": token})

    assert first.status_code == second.status_code == 302
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "This file was already imported" in page and "Nothing more was imported" in page
    prompts = db.session.scalars(select(Question.id).where(Question.origin == Origin.TEACHER)).all()
    assert len(prompts) == 1


# --- 7. dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("9999-12-31", "within 366 days"),
        ("2025-03-12", "within 366 days"),
        ("2024-03-09", "cannot be in the past"),
        ("0001-01-01", "cannot be in the past"),
    ],
)
def test_a_due_date_out_of_range_is_a_form_error(client: FlaskClient, due: str, message: str) -> None:
    teacher = make_user(Role.TEACHER, timezone="America/Lima")
    school_class = make_class(teacher)
    sign_in(client, teacher)
    response = client.post(
        f"/teach/classes/{school_class.id}/assignments/new",
        data={"title": "Far", "topics": ["events"], "length": 5, "due": due},
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(Assignment)).all() == []


def test_a_year_ahead_is_accepted(client: FlaskClient) -> None:
    teacher = make_user(Role.TEACHER, timezone="America/Lima")
    school_class = make_class(teacher)
    sign_in(client, teacher)
    response = client.post(
        f"/teach/classes/{school_class.id}/assignments/new",
        data={"title": "Next year", "topics": ["events"], "length": 5, "due": "2025-03-11"},
    )
    assert response.status_code == 302


ZONES = ("Pacific/Kiritimati", "Pacific/Tongatapu", "Etc/GMT+12", "Pacific/Pago_Pago", "America/Lima", "UTC")


@pytest.mark.parametrize("due_at", [datetime(9999, 12, 31, 23, 59, tzinfo=UTC), datetime(1, 1, 1, 1, tzinfo=UTC)])
def test_no_page_fails_for_any_time_zone_whatever_the_stored_due_date(client: FlaskClient, due_at: datetime) -> None:
    """A deadline at the edge of the calendar (stored before forms had limits) breaks no page."""
    teacher = make_user(Role.TEACHER, timezone="Pacific/Kiritimati")
    school_class = make_class(teacher)
    students = [make_user(timezone=zone) for zone in ZONES]
    for student in students:
        db.session.add(Membership(class_id=school_class.id, student_id=student.id))
    assignment = make_assignment(school_class, due_at=due_at)
    db.session.commit()
    attempt = start(client, students[0], assignment)
    quizzes.answer(db.session, attempt.id, students[0], 1, "x", NOW)
    db.session.commit()

    for student in students:
        sign_in(client, student)
        for path in ("/dashboard", "/classes", "/quiz/", "/study", f"/quiz/{attempt.id}"):
            assert client.get(path).status_code < 500, (student.timezone, path)
    for zone in ZONES:
        teacher.timezone = zone
        db.session.commit()
        sign_in(client, teacher)
        base = f"/teach/classes/{school_class.id}"
        for path in (
            base,
            f"{base}/gradebook.csv",
            f"{base}/items",
            f"{base}/assignments/{assignment.id}",
            f"{base}/assignments/{assignment.id}/delete",
            f"{base}/students/{students[0].id}",
            "/teach/classes",
        ):
            assert client.get(path).status_code < 500, (zone, path)


# --- 7. deleting an assignment -------------------------------------------------------------


def test_deleting_an_assignment_asks_first_and_keeps_the_attempts_as_practice(client: FlaskClient) -> None:
    teacher = make_user(Role.TEACHER)
    school_class = make_class(teacher)
    (student,) = add_students(school_class, 1)
    assignment = make_assignment(school_class)
    title = assignment.title
    attempt = start(client, student, assignment)
    quizzes.answer(db.session, attempt.id, student, 1, "x", NOW)
    db.session.commit()

    sign_in(client, teacher)
    confirm = client.get(f"/teach/classes/{school_class.id}/assignments/{assignment.id}/delete")
    assert confirm.status_code == 200
    text = main_text(confirm)
    assert "1 student has started this assignment" in text and "practice quizzes" in text
    assert db.session.get(Assignment, assignment.id) is not None  # asking deletes nothing

    assignment_id = assignment.id
    response = client.post(f"/teach/classes/{school_class.id}/assignments/{assignment_id}/delete")
    assert response.status_code == 302
    assert "already made stay in the students" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Assignment, assignment_id) is None
    assert db.session.scalars(select(AssignmentQuestion)).all() == []
    kept = db.session.get(QuizAttempt, attempt.id)
    assert kept is not None and kept.assignment_id is None and kept.answered_count == 1
    sign_in(client, student)
    assert title not in client.get("/classes").get_data(as_text=True)
    assert client.get(f"/quiz/{attempt.id}/1").status_code == 200


def test_another_teacher_cannot_delete_an_assignment(client: FlaskClient) -> None:
    school_class = make_class(make_user(Role.TEACHER))
    assignment = make_assignment(school_class)
    sign_in(client, make_user(Role.TEACHER))
    assert client.post(f"/teach/classes/{school_class.id}/assignments/{assignment.id}/delete").status_code == 404
    assert db.session.get(Assignment, assignment.id) is not None


# --- 10. caching ---------------------------------------------------------------------------


def test_pages_and_downloads_are_never_stored_static_files_are(client: FlaskClient) -> None:
    student = make_user()
    login(client, student.username)
    for path in ("/dashboard", "/study", "/quiz/", "/account", "/account/export.json", "/nowhere", "/"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
    teacher_client = client.application.test_client()
    login(teacher_client, make_user(Role.TEACHER).username)
    for path in ("/teach/questions", "/teach/questions/export?format=csv", "/teach/classes"):
        assert teacher_client.get(path).headers.get("Cache-Control") == "no-store", path
    with client.get("/static/app.css") as static:
        assert "no-store" not in (static.headers.get("Cache-Control") or "")
