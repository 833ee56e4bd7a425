"""Classes and assignments: roles, join codes, setting assignments, taking them once, the same for all."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp.domain.classes import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, format_join_code
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Membership,
    Question,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    Role,
    SchoolClass,
    Status,
    User,
)
from quizapp.services import DomainError, classes, quizzes
from tests.app.factories import (
    add_students,
    make_assignment,
    make_class,
    make_review_card,
    make_user,
)
from tests.app.pages import main_text, sign_in
from tests.conftest import Clock

# 10 March 2024, 10:00 in Lima.
NOW = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)


# --- fixtures and helpers ------------------------------------------------------------


@pytest.fixture(autouse=True)
def at_now(clock: Clock) -> None:
    clock.now = NOW


# --- roles ------------------------------------------------------------------------------


@pytest.fixture
def world(app: Flask) -> dict[str, object]:
    """Teacher A's class with a student and an assignment; teacher B and a student outside."""
    teacher = make_user(Role.TEACHER, username="teacher_a")
    other_teacher = make_user(Role.TEACHER, username="teacher_b")
    student = make_user(username="pupil")
    school_class = make_class(teacher)
    db.session.add(Membership(class_id=school_class.id, student_id=student.id))
    db.session.commit()
    assignment = make_assignment(school_class)
    return {
        "teacher": teacher,
        "other_teacher": other_teacher,
        "student": student,
        "class": school_class,
        "assignment": assignment,
    }


def teacher_routes(world: dict[str, object]) -> list[tuple[str, str, dict[str, object]]]:
    """Every teacher route of this feature: (method, url, valid form data)."""
    class_id = world["class"].id
    student_id = world["student"].id
    assignment_id = world["assignment"].id
    base = f"/teach/classes/{class_id}"
    new_assignment = {"title": "Quiz 2", "topics": ["dates"], "length": 5, "due": "2024-03-20"}
    return [
        ("GET", base, {}),
        ("GET", base + "?sort=mastery&dir=desc", {}),
        ("POST", base + "/join-code", {}),
        ("GET", base + "/gradebook.csv", {}),
        ("GET", f"{base}/students/{student_id}", {}),
        ("GET", base + "/items", {}),
        ("GET", f"{base}/items?assignment={assignment_id}", {}),
        ("GET", base + "/assignments/new", {}),
        ("POST", base + "/assignments/new", new_assignment),
        ("GET", f"{base}/assignments/{assignment_id}", {}),
        ("POST", base + "/name", {"name": "5th year B"}),
        # Last: the student is no longer in the class afterwards.
        ("POST", f"{base}/students/{student_id}/remove", {}),
    ]


def _request(client: FlaskClient, method: str, url: str, data: dict[str, object]) -> TestResponse:
    return client.get(url) if method == "GET" else client.post(url, data=data)


def test_every_teacher_route_sends_anonymous_visitors_to_sign_in(client, world):
    for method, url, data in [*teacher_routes(world), ("GET", "/teach/classes", {}), ("POST", "/teach/classes", {})]:
        response = _request(client, method, url, data)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_every_teacher_route_is_forbidden_to_students(client, world):
    sign_in(client, world["student"])
    class_list = [("GET", "/teach/classes", {}), ("POST", "/teach/classes", {"name": "x"})]
    for method, url, data in [*teacher_routes(world), *class_list]:
        assert _request(client, method, url, data).status_code == 403, url


def test_every_teacher_route_works_for_the_classs_teacher(client, world):
    sign_in(client, world["teacher"])
    for method, url, data in teacher_routes(world):
        response = _request(client, method, url, data)
        assert response.status_code == (200 if method == "GET" else 302), (
            url,
            response.get_data(as_text=True),
        )
    assert client.get("/teach/classes").status_code == 200


def test_every_class_route_is_not_found_for_another_teacher(client, world):
    sign_in(client, world["other_teacher"])
    before = db.session.scalar(select(SchoolClass.join_code).where(SchoolClass.id == world["class"].id))
    for method, url, data in teacher_routes(world):
        assert _request(client, method, url, data).status_code == 404, url
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Assignment.id))) == 1
    assert db.session.scalar(select(SchoolClass.join_code).where(SchoolClass.id == world["class"].id)) == before
    listing = client.get("/teach/classes")
    assert listing.status_code == 200
    assert world["class"].name not in main_text(listing)


@pytest.mark.parametrize(
    "path",
    [
        "/teach/classes/999999",
        "/teach/classes/{class_id}/students/999999",
        "/teach/classes/{class_id}/students/{outsider_id}",
        "/teach/classes/{class_id}/students/{teacher_id}",
        "/teach/classes/{class_id}/assignments/999999",
        "/teach/classes/{class_id}/items?assignment=999999",
        "/teach/classes/{class_id}/items?assignment=abc",
        "/teach/classes/{class_id}/items?assignment=-1",
        "/teach/classes/{class_id}/items?assignment={other_assignment}",
        "/teach/classes/{class_id}/assignments/{other_assignment}",
        "/teach/classes/abc",
    ],
)
def test_bad_and_foreign_ids_are_not_found(client, world, path):
    outsider = make_user(username="outsider")
    other_class = make_class(world["teacher"], "Another class")
    other_assignment = make_assignment(other_class)
    sign_in(client, world["teacher"])
    url = path.format(
        class_id=world["class"].id,
        outsider_id=outsider.id,
        teacher_id=world["teacher"].id,
        other_assignment=other_assignment.id,
    )
    assert client.get(url).status_code == 404


# --- classes and join codes ---------------------------------------------------------------


def _code_on_page(response: TestResponse) -> str:
    match = re.search(r'id="join-code"><code>([A-Z0-9-]+)</code>', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1)


def test_a_teacher_creates_a_class_with_a_join_code(client):
    teacher = make_user(Role.TEACHER)
    sign_in(client, teacher)
    response = client.post("/teach/classes", data={"name": "  5th year A  "})
    assert response.status_code == 302
    school_class = db.session.scalars(select(SchoolClass)).one()
    assert response.headers["Location"] == f"/teach/classes/{school_class.id}"
    assert school_class.name == "5th year A"
    assert school_class.teacher_id == teacher.id
    assert len(school_class.join_code) == JOIN_CODE_LENGTH
    assert set(school_class.join_code) <= set(JOIN_CODE_ALPHABET)
    page = client.get(response.headers["Location"])
    assert _code_on_page(page) == format_join_code(school_class.join_code)
    listing = main_text(client.get("/teach/classes"))
    assert "5th year A" in listing and format_join_code(school_class.join_code) in listing


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the class a name."),
        ("   ", "Give the class a name."),
        ("x" * 101, "At most 100 characters."),
    ],
)
def test_a_class_needs_a_name(client, name, message):
    sign_in(client, make_user(Role.TEACHER))
    response = client.post("/teach/classes", data={"name": name})
    assert response.status_code == 422
    assert message in main_text(response)
    assert db.session.scalar(select(func.count(SchoolClass.id))) == 0


def test_join_codes_are_unique_colliding_draws_are_retried(app):
    teacher = make_user(Role.TEACHER)
    first = make_class(teacher, code="AAAA2222")
    draws = iter(["AAAA2222", "AAAA2222", "BBBB3333"])
    second = classes.create_class(db.session, teacher, "B", new_code=lambda: next(draws))
    db.session.commit()
    assert (first.join_code, second.join_code) == ("AAAA2222", "BBBB3333")
    with pytest.raises(DomainError, match="free join code"):
        classes.create_class(db.session, teacher, "C", new_code=lambda: "AAAA2222")


def test_a_student_joins_with_the_code_in_any_case_and_twice_is_harmless(client):
    school_class = make_class(make_user(Role.TEACHER), code="ABCDEF23")
    student = make_user()
    sign_in(client, student)
    response = client.post("/classes", data={"code": " abcd-ef23 "})
    assert response.status_code == 302
    assert "You joined 5th year A." in main_text(client.get(response.headers["Location"]))
    response = client.post("/classes", data={"code": "ABCDEF23"}, follow_redirects=True)
    assert "You are already in 5th year A." in main_text(response)
    memberships = db.session.scalars(select(Membership)).all()
    assert [(m.class_id, m.student_id) for m in memberships] == [(school_class.id, student.id)]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ZZZZ9999", "No class has that code. Check it with your teacher."),
        ("", "Type the code your teacher gave you."),
        ("x" * 41, "A join code is 8 letters and digits"),
    ],
)
def test_a_wrong_code_is_explained(client, code, message):
    make_class(make_user(Role.TEACHER), code="ABCDEF23")
    sign_in(client, make_user())
    response = client.post("/classes", data={"code": code})
    assert response.status_code == 422
    assert message in main_text(response)
    assert db.session.scalar(select(func.count(Membership.id))) == 0


def test_teachers_do_not_join_classes(client):
    make_class(make_user(Role.TEACHER), code="ABCDEF23")
    sign_in(client, make_user(Role.TEACHER))
    assert "Teachers do not join classes" in main_text(client.get("/classes"))
    response = client.post("/classes", data={"code": "ABCDEF23"})
    assert response.status_code == 422
    assert "Only students join classes." in main_text(response)


def test_a_new_code_replaces_the_old_one(client):
    teacher = make_user(Role.TEACHER)
    school_class = make_class(teacher, code="ABCDEF23")
    sign_in(client, teacher)
    response = client.post(f"/teach/classes/{school_class.id}/join-code", follow_redirects=True)
    db.session.refresh(school_class)
    new_code = school_class.join_code
    assert new_code != "ABCDEF23"
    assert f"New join code: {format_join_code(new_code)}" in main_text(response)
    assert _code_on_page(response) == format_join_code(new_code)

    sign_in(client, make_user())
    assert client.post("/classes", data={"code": "ABCDEF23"}).status_code == 422
    assert client.post("/classes", data={"code": new_code.lower()}).status_code == 302
    assert db.session.scalar(select(func.count(Membership.id))) == 1


def test_a_teacher_renames_a_class_and_keeps_its_code_and_students(client, world):
    school_class = world["class"]
    code = school_class.join_code
    sign_in(client, world["teacher"])
    response = client.post(f"/teach/classes/{school_class.id}/name", data={"name": "  5th year B "})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teach/classes/{school_class.id}"
    page = main_text(client.get(response.headers["Location"]))
    assert "The class is now called “5th year B”." in page
    db.session.expire_all()
    assert (school_class.name, school_class.join_code) == ("5th year B", code)
    assert db.session.scalar(select(func.count(Membership.id))) == 1
    assert "5th year B" in main_text(client.get("/teach/classes"))


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the class a name."), ("   ", "Give the class a name."), ("x" * 101, "At most 100 characters.")],
)
def test_a_bad_new_name_is_explained_and_changes_nothing(client, world, name, message):
    school_class = world["class"]
    sign_in(client, world["teacher"])
    response = client.post(f"/teach/classes/{school_class.id}/name", data={"name": name})
    assert response.status_code == 422
    page = main_text(response)
    assert message in page
    assert "Students join this class" in page  # the class's page, with the error on its form
    db.session.expire_all()
    assert school_class.name == "5th year A"


def test_a_removed_student_keeps_their_progress_and_can_join_again(client, world):
    school_class, student = world["class"], world["student"]
    sign_in(client, student)
    started = client.post(f"/quiz/assignments/{world['assignment'].id}/start")
    assert started.status_code == 302
    make_review_card(student, db.session.scalars(select(Question).limit(1)).one(), last_review=NOW, stability=3.0)
    db.session.commit()
    attempts_before = db.session.scalar(select(func.count(QuizAttempt.id)))

    sign_in(client, world["teacher"])
    page = main_text(client.get(f"/teach/classes/{school_class.id}/students/{student.id}"))
    assert f"Remove {student.username} from {school_class.name}" in page
    response = client.post(f"/teach/classes/{school_class.id}/students/{student.id}/remove")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teach/classes/{school_class.id}"
    overview = client.get(response.headers["Location"])
    assert f"{student.username} is no longer in “{school_class.name}”." in main_text(overview)
    assert f'data-student="{student.id}"' not in overview.get_data(as_text=True)
    assert client.get(f"/teach/classes/{school_class.id}/students/{student.id}").status_code == 404
    assert client.post(f"/teach/classes/{school_class.id}/students/{student.id}/remove").status_code == 404

    db.session.expire_all()
    assert db.session.scalar(select(func.count(Membership.id))) == 0
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == attempts_before == 1
    assert db.session.scalar(select(func.count(ReviewCard.id)).where(ReviewCard.user_id == student.id)) == 1

    sign_in(client, student)
    assert school_class.name not in main_text(client.get("/classes"))
    assert client.post("/classes", data={"code": school_class.join_code}).status_code == 302
    assert school_class.name in main_text(client.get("/classes"))


def test_only_members_can_be_removed(client, world):
    outsider = make_user(username="outsider")
    sign_in(client, world["teacher"])
    base = f"/teach/classes/{world['class'].id}/students"
    for user_id in (outsider.id, world["teacher"].id, 999999):
        assert client.post(f"{base}/{user_id}/remove").status_code == 404
    assert db.session.scalar(select(func.count(Membership.id))) == 1


def test_the_classes_page_needs_a_signed_in_user(client):
    response = client.get("/classes")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.post("/quiz/assignments/1/start").status_code == 302


# --- setting assignments -------------------------------------------------------------------


@pytest.fixture
def lima_teacher_class(client: FlaskClient) -> SchoolClass:
    teacher = make_user(Role.TEACHER, username="lima_teacher", timezone="America/Lima")
    school_class = make_class(teacher)
    sign_in(client, teacher)
    return school_class


def test_a_teacher_sets_an_assignment_due_at_the_end_of_their_local_day(client, lima_teacher_class):
    response = client.post(
        f"/teach/classes/{lima_teacher_class.id}/assignments/new",
        data={"title": " Breña ", "topics": ["events", "dates"], "length": "12", "due": "2024-03-12"},
    )
    assert response.status_code == 302, main_text(response)
    assignment = db.session.scalars(select(Assignment)).one()
    assert response.headers["Location"] == f"/teach/classes/{lima_teacher_class.id}/assignments/{assignment.id}"
    assert (assignment.title, assignment.topics, assignment.length) == ("Breña", ["dates", "events"], 12)
    assert assignment.class_id == lima_teacher_class.id
    # The end of 12 March in Lima (UTC-5).
    assert assignment.due_at == datetime(2024, 3, 13, 4, 59, 59, 999999, tzinfo=UTC)
    assert 0 <= assignment.seed < 2**31
    page = main_text(client.get(response.headers["Location"]))
    assert "Breña" in page and "12 Mar 2024, 23:59" in page


def test_today_is_a_valid_due_date_in_the_teachers_zone(client, lima_teacher_class):
    # At 10:00 in Lima it is still 10 March there.
    response = client.post(
        f"/teach/classes/{lima_teacher_class.id}/assignments/new",
        data={"title": "Today", "topics": ["dates"], "length": "5", "due": "2024-03-10"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"title": "", "topics": ["dates"], "length": "5", "due": "2024-03-12"},
            "Give the assignment a title.",
        ),
        (
            {"title": "  ", "topics": ["dates"], "length": "5", "due": "2024-03-12"},
            "Give the assignment a title.",
        ),
        (
            {"title": "x" * 121, "topics": ["dates"], "length": "5", "due": "2024-03-12"},
            "At most 120 characters.",
        ),
        ({"title": "T", "length": "5", "due": "2024-03-12"}, "Choose at least one topic."),
        (
            {"title": "T", "topics": ["wars"], "length": "5", "due": "2024-03-12"},
            "is not a valid choice for this field.",
        ),
        ({"title": "T", "topics": ["dates"], "length": "4", "due": "2024-03-12"}, "Choose between 5 and 50."),
        (
            {"title": "T", "topics": ["dates"], "length": "51", "due": "2024-03-12"},
            "Choose between 5 and 50.",
        ),
        (
            {"title": "T", "topics": ["dates"], "length": "ten", "due": "2024-03-12"},
            "Not a valid integer value.",
        ),
        (
            {"title": "T", "topics": ["dates"], "length": "", "due": "2024-03-12"},
            "Say how many questions to ask.",
        ),
        (
            {"title": "T", "topics": ["dates"], "length": "5", "due": "2024-03-09"},
            "The due date cannot be in the past.",
        ),
        ({"title": "T", "topics": ["dates"], "length": "5", "due": "12/03/2024"}, "Not a valid date value."),
        ({"title": "T", "topics": ["dates"], "length": "5", "due": ""}, "Choose a due date."),
    ],
)
def test_bad_assignments_are_explained_on_the_form(client, lima_teacher_class, data, message):
    response = client.post(f"/teach/classes/{lima_teacher_class.id}/assignments/new", data=data)
    assert response.status_code == 422
    assert message in main_text(response)
    assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_topics_without_questions_are_refused(client, lima_teacher_class):
    for question in db.session.scalars(select(Question).join(Question.topic).where(Question.topic.has(slug="people"))):
        question.status = Status.RETIRED
    db.session.commit()
    response = client.post(
        f"/teach/classes/{lima_teacher_class.id}/assignments/new",
        data={"title": "T", "topics": ["people"], "length": "5", "due": "2024-03-12"},
    )
    # Only topics with active questions are offered; one emptied since the form was shown is refused.
    assert response.status_code == 422
    text = html.unescape(main_text(response))
    assert "Topics Dates Events Leaders Recognitions 'people' is not a valid choice for this field." in text


def test_the_assignment_form_offers_topics_and_a_date(client, lima_teacher_class):
    page = client.get(f"/teach/classes/{lima_teacher_class.id}/assignments/new").get_data(as_text=True)
    assert 'type="date"' in page and 'min="2024-03-10"' in page
    assert page.count('type="checkbox"') == 5
    assert "style=" not in page and "<script" not in page


# --- taking assignments ----------------------------------------------------------------------


def _layout(attempt: QuizAttempt) -> list[tuple[str, int, list[str]]]:
    return [(item.question_id, item.question_version_id, item.options) for item in attempt.items]


def _start(client: FlaskClient, assignment: Assignment) -> TestResponse:
    return client.post(f"/quiz/assignments/{assignment.id}/start")


def test_every_student_gets_the_same_questions_once(client, world):
    school_class, assignment = world["class"], world["assignment"]
    first, second = world["student"], add_students(school_class, 1)[0]
    # A personal history must not change the draw: the first student has due and weak cards.
    for question in db.session.scalars(select(Question).order_by(Question.id).limit(40)):
        make_review_card(first, question, last_review=NOW - timedelta(days=5), stability=1.0, lapses=2)
    db.session.commit()

    sign_in(client, first)
    response = _start(client, assignment)
    attempt = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == first.id)).one()
    assert response.headers["Location"] == f"/quiz/{attempt.id}"
    assert attempt.assignment_id == assignment.id
    assert (attempt.seed, attempt.topics, attempt.length) == (assignment.seed, ["dates", "events"], 5)
    assert {item.question.topic.slug for item in attempt.items} <= {"dates", "events"}

    sign_in(client, second)
    _start(client, assignment)
    other = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == second.id)).one()
    assert _layout(other) == _layout(attempt)

    # Starting again resumes: still one attempt each.
    assert ">Resume</button>" in client.get("/classes").get_data(as_text=True)
    response = _start(client, assignment)
    assert response.headers["Location"] == f"/quiz/{other.id}"
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 2


def test_the_draw_is_the_seeded_one_without_personal_history(app, world):
    assignment = world["assignment"]
    attempt = quizzes.start_assignment(db.session, world["student"], assignment, NOW)
    from quizapp.domain import quiz as quiz_domain

    candidates = [
        quiz_domain.Candidate(question_id=question.id, topic=question.topic.slug)
        for question in db.session.scalars(select(Question).where(Question.status == Status.ACTIVE))
        if question.topic.slug in assignment.topics
    ]
    expected = quiz_domain.select_questions(candidates, assignment.length, assignment.seed)
    assert [item.question_id for item in attempt.items] == expected


def test_later_students_get_the_first_attempts_questions_even_if_the_bank_changed(app, world):
    first = quizzes.start_assignment(db.session, world["student"], world["assignment"], NOW)
    db.session.commit()
    db.session.get(Question, first.items[0].question_id).status = Status.RETIRED
    db.session.commit()
    second_student = add_students(world["class"], 1)[0]
    second = quizzes.start_assignment(db.session, second_student, world["assignment"], NOW)
    assert [item.question_id for item in second.items] == [item.question_id for item in first.items]


def test_a_finished_assignment_resumes_to_its_results(client, world):
    sign_in(client, world["student"])
    _start(client, world["assignment"])
    attempt = db.session.scalars(select(QuizAttempt)).one()
    for item in attempt.items:
        client.get(f"/quiz/{attempt.id}")
        client.post(f"/quiz/{attempt.id}/answer", data={"position": item.position, "dont_know": "y"})
    response = _start(client, world["assignment"])
    assert client.get(response.headers["Location"]).headers["Location"] == f"/quiz/{attempt.id}/results"
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_only_members_start_an_assignment(client, world):
    sign_in(client, make_user(username="stranger"))
    assert _start(client, world["assignment"]).status_code == 404
    assert client.post("/quiz/assignments/999999/start").status_code == 404
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 0


def test_two_tabs_starting_at_once_share_one_attempt(app, world, monkeypatch):
    """When the existence check is raced, the UNIQUE constraint decides and the first attempt is returned."""
    student, assignment = world["student"], world["assignment"]
    first = quizzes.start_assignment(db.session, student, assignment, NOW)
    db.session.commit()
    lookups = []
    original = quizzes._assignment_attempt

    def first_lookup_misses(session, assignment_id, user_id):
        lookups.append(assignment_id)  # the first check runs before the other tab's commit
        return None if len(lookups) == 1 else original(session, assignment_id, user_id)

    monkeypatch.setattr(quizzes, "_assignment_attempt", first_lookup_misses)
    again = quizzes.start_assignment(db.session, student, assignment, NOW)
    assert len(lookups) == 2
    assert again.id == first.id
    db.session.commit()
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
    assert db.session.scalar(select(func.count(QuizItem.id))) == len(first.items)


# --- the student's classes page ------------------------------------------------------------------


def test_my_classes_page_lists_assignments_with_due_dates_status_and_scores(client):
    teacher = make_user(Role.TEACHER, username="ms_prado")
    school_class = make_class(teacher, "History 5A")
    student = add_students(school_class, 1, timezone="America/Lima")[0]
    overdue = make_assignment(school_class, "Overdue one", due_at=NOW - timedelta(days=1))
    upcoming = make_assignment(school_class, "Upcoming one", due_at=NOW + timedelta(days=1))
    done = make_assignment(school_class, "Done one", due_at=NOW - timedelta(days=2))
    attempt = quizzes.start_assignment(db.session, student, done, NOW - timedelta(days=3))
    attempt.answered_count, attempt.correct_count = 5, 4
    attempt.finished_at = NOW - timedelta(days=3)
    db.session.commit()
    make_class(teacher, "Not mine")

    sign_in(client, student)
    response = client.get("/classes")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<script" not in html
    rows = {
        match.group(1): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()
        for match in re.finditer(r'<li data-assignment="(\d+)">(.*?)</li>', html, re.S)
    }
    assert list(rows) == [str(overdue.id), str(upcoming.id), str(done.id)]
    assert rows[str(overdue.id)] == "Overdue one History 5A · due 09 Mar 2024, 10:00 overdue not started Start"
    assert rows[str(upcoming.id)] == "Upcoming one History 5A · due 11 Mar 2024, 10:00 not started Start"
    assert rows[str(done.id)] == "Done one History 5A · due 08 Mar 2024, 10:00 done 4 / 5 (80%) See results"
    text = main_text(response)
    assert "History 5A (ms_prado)" in text and "Not mine" not in text


def test_assignments_for_student_is_one_query(app, count_statements):
    teacher = make_user(Role.TEACHER)
    student = make_user()
    for number in range(3):
        school_class = make_class(teacher, f"Class {number}")
        db.session.add(Membership(class_id=school_class.id, student_id=student.id))
        for index in range(3):
            make_assignment(school_class, f"A{number}{index}", due_at=NOW + timedelta(days=index - 1))
    db.session.commit()
    quizzes.start_assignment(db.session, student, db.session.scalars(select(Assignment)).first(), NOW)
    db.session.commit()
    student = db.session.get(User, student.id)
    count_statements.reset()
    items = classes.assignments_for_student(db.session, student, NOW)
    assert count_statements.count == 1
    assert len(items) == 9
    assert sum(item.started for item in items) == 1
    assert sum(item.overdue for item in items) == 3
    assert [item.due_at for item in items] == sorted(item.due_at for item in items)


def test_an_assignment_due_today_is_not_overdue_until_the_day_ends(app):
    teacher = make_user(Role.TEACHER, timezone="America/Lima")
    school_class = make_class(teacher)
    student = add_students(school_class, 1)[0]
    assignment = classes.create_assignment(
        db.session,
        school_class,
        title="T",
        topics=["dates"],
        length=5,
        due_day=date(2024, 3, 10),
        tz=ZoneInfo("America/Lima"),
        now=NOW,
    )
    db.session.commit()
    end_of_day = datetime(2024, 3, 11, 4, 59, 59, tzinfo=UTC)
    assert not classes.assignments_for_student(db.session, student, end_of_day)[0].overdue
    assert classes.assignments_for_student(db.session, student, end_of_day + timedelta(seconds=1))[0].overdue
    assert assignment.due_at == datetime(2024, 3, 11, 4, 59, 59, 999999, tzinfo=UTC)
