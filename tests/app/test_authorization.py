"""Who may use which route: every rule of ``app.url_map`` × method × role, against a reviewed table.

Each role gets its own fresh world (a teacher's class with a student in it,
an assignment the student has half answered, a question; another teacher and
another student outside the class) and its own client, and asks every route
with every method it declares (HEAD and OPTIONS aside). The outcome must be
the one written in :data:`EXPECTED`:

* ``OK``: the request was let through — any status below 500 that is none of
  the three below. A 200 page, a post/redirect/get 302 that is not to
  /login, and a 400 or 422 page refusing a form are all "allowed": this test
  asks who may use a route, not whether the form was right.
* ``LOGIN``: 302 to ``/login?next=<the path asked for>``.
* ``FORBIDDEN``: 403.
* ``NOT_FOUND``: 404 — someone else's attempt, class or assignment is as
  missing as a wrong id.
* ``Redirect(path)``: a 302 to exactly that path (signed-in users sent from
  the sign-in and registration pages to their landing page).

A route or method without a row in EXPECTED fails the test ("add … to
EXPECTED"), so no route is ever added without its access being reviewed; a
row without a route fails too. Every response must be below 500.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import update
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from quizapp.domain.formats import FORMATS
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType
from quizapp.extensions import db
from quizapp.models import Question, ReviewCard, Role
from quizapp.services import bank, classes, quizzes
from quizapp.study import card_tickets
from quizapp.teach.bank_views import IMPORT_SALT
from quizapp.teach.forms import QuestionForm
from tests.app.factories import DEFAULT_PASSWORD, make_user
from tests.app.pages import signed_in

ROLES = ("anonymous", "student", "other_student", "teacher", "other_teacher")
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
IGNORED_ENDPOINTS = frozenset({"static"})

OK = "OK"
LOGIN = "LOGIN"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"


@dataclass(frozen=True)
class Redirect:
    """A 302 to exactly this path."""

    path: str

    def __str__(self) -> str:
        return f"302 to {self.path}"


Outcome = str | Redirect

# Rows used by several routes, named for who may pass.
PUBLIC = {"anonymous": OK, "student": OK, "other_student": OK, "teacher": OK, "other_teacher": OK}
SIGNED_OUT_ONLY = {
    "anonymous": OK,
    "student": Redirect("/dashboard"),
    "other_student": Redirect("/dashboard"),
    "teacher": Redirect("/teach/classes"),
    "other_teacher": Redirect("/teach/classes"),
}
SIGNED_IN = {"anonymous": LOGIN, "student": OK, "other_student": OK, "teacher": OK, "other_teacher": OK}
# The student's own attempt: nobody else's account can see it, not even the class's teacher
# (they see it through the class pages).
ATTEMPT_OWNER = {
    "anonymous": LOGIN,
    "student": OK,
    "other_student": NOT_FOUND,
    "teacher": NOT_FOUND,
    "other_teacher": NOT_FOUND,
}
# An assignment is started by members of its class only.
CLASS_MEMBER = ATTEMPT_OWNER
# The question bank is shared by every teacher.
TEACHERS = {
    "anonymous": LOGIN,
    "student": FORBIDDEN,
    "other_student": FORBIDDEN,
    "teacher": OK,
    "other_teacher": OK,
}
# A class and everything in it belong to its teacher alone.
CLASS_TEACHER = {
    "anonymous": LOGIN,
    "student": FORBIDDEN,
    "other_student": FORBIDDEN,
    "teacher": OK,
    "other_teacher": NOT_FOUND,
}

EXPECTED: dict[tuple[str, str], Mapping[str, Outcome]] = {
    ("main.home", "GET"): PUBLIC,
    # The footer's language switcher goes back to the page it was on (here none was named: home).
    ("main.choose_language", "POST"): {role: Redirect("/") for role in PUBLIC},
    # --- auth
    ("auth.register", "GET"): SIGNED_OUT_ONLY,
    ("auth.register", "POST"): SIGNED_OUT_ONLY,
    ("auth.login", "GET"): SIGNED_OUT_ONLY,
    ("auth.login", "POST"): SIGNED_OUT_ONLY,
    ("auth.logout", "POST"): {
        **SIGNED_IN,
        "student": Redirect("/"),
        "other_student": Redirect("/"),
        "teacher": Redirect("/"),
        "other_teacher": Redirect("/"),
    },
    ("auth.settings", "GET"): SIGNED_IN,
    ("auth.settings", "POST"): SIGNED_IN,
    ("auth.change_password", "GET"): SIGNED_IN,
    ("auth.change_password", "POST"): SIGNED_IN,
    # Each user's own data: the URL names nobody, so there is nobody else's to ask for.
    ("auth.export_my_data", "GET"): SIGNED_IN,
    # --- quiz: anyone signed in may take a quiz; an attempt is its owner's alone
    ("quiz.new", "GET"): SIGNED_IN,
    ("quiz.new", "POST"): SIGNED_IN,
    ("quiz.question", "GET"): ATTEMPT_OWNER,
    ("quiz.answer", "POST"): ATTEMPT_OWNER,
    ("quiz.feedback", "GET"): ATTEMPT_OWNER,
    ("quiz.results", "GET"): ATTEMPT_OWNER,
    ("quiz.classes_moved", "GET"): {role: Redirect("/classes") for role in ROLES},
    ("quiz.start_assignment", "POST"): CLASS_MEMBER,
    # --- study: each signed-in user's own cards
    ("study.dashboard", "GET"): SIGNED_IN,
    ("study.session", "GET"): SIGNED_IN,
    ("study.grade", "POST"): SIGNED_IN,
    ("study.classes", "GET"): SIGNED_IN,
    ("study.classes", "POST"): SIGNED_IN,
    ("study.undo", "POST"): SIGNED_IN,
    ("study.weakest", "GET"): SIGNED_IN,
    ("study.leeches", "GET"): SIGNED_IN,
    # A card set aside is its student's own: another account has none under that question.
    ("study.bring_back", "POST"): ATTEMPT_OWNER,
    # --- teach: the shared question bank
    ("teach.bank", "GET"): TEACHERS,
    ("teach.new_question", "GET"): TEACHERS,
    ("teach.new_question", "POST"): TEACHERS,
    ("teach.question", "GET"): TEACHERS,
    ("teach.edit_question", "GET"): TEACHERS,
    ("teach.edit_question", "POST"): TEACHERS,
    ("teach.retire_question", "POST"): TEACHERS,
    ("teach.restore_question", "POST"): TEACHERS,
    ("teach.import_questions", "GET"): TEACHERS,
    ("teach.import_questions", "POST"): TEACHERS,
    ("teach.confirm_import", "POST"): TEACHERS,
    ("teach.export_questions", "GET"): TEACHERS,
    ("teach.topics_page", "GET"): TEACHERS,
    ("teach.add_topic", "POST"): TEACHERS,
    ("teach.topic", "GET"): TEACHERS,
    ("teach.rename_topic", "POST"): TEACHERS,
    ("teach.merge_topic", "POST"): TEACHERS,
    # --- teach: classes, each its own teacher's
    ("teach.classes", "GET"): TEACHERS,
    ("teach.classes", "POST"): TEACHERS,
    ("teach.class_overview", "GET"): CLASS_TEACHER,
    ("teach.class_gradebook_csv", "GET"): CLASS_TEACHER,
    ("teach.class_regenerate_code", "GET"): CLASS_TEACHER,
    ("teach.class_regenerate_code", "POST"): CLASS_TEACHER,
    ("teach.class_rename", "POST"): CLASS_TEACHER,
    ("teach.class_remove_student", "GET"): CLASS_TEACHER,
    ("teach.class_remove_student", "POST"): CLASS_TEACHER,
    ("teach.class_student", "GET"): CLASS_TEACHER,
    ("teach.class_items", "GET"): CLASS_TEACHER,
    ("teach.assignment_new", "GET"): CLASS_TEACHER,
    ("teach.assignment_new", "POST"): CLASS_TEACHER,
    ("teach.assignment_results", "GET"): CLASS_TEACHER,
    ("teach.assignment_delete", "GET"): CLASS_TEACHER,
    ("teach.assignment_delete", "POST"): CLASS_TEACHER,
}

# Query arguments that name someone's resource get the same scrutiny: (endpoint, argument, id name).
EXPECTED_QUERIES: dict[tuple[str, str, str], Mapping[str, Outcome]] = {
    ("study.session", "attempt", "attempt_id"): ATTEMPT_OWNER,
    ("teach.class_items", "assignment", "assignment_id"): CLASS_TEACHER,
}

# Signing in or registering changes who a client is: they get a client of their own.
OWN_CLIENT = frozenset({("auth.login", "POST"), ("auth.register", "POST")})
# Deleting the assignment and removing the student from the class change what the class's pages
# show, so they come after them. A password change and a sign-out end the user's other sessions: they come last, in this
# order, on the role's client (a password change keeps its own session signed in).
LAST = (
    ("teach.assignment_delete", "POST"),
    ("teach.class_remove_student", "POST"),
    ("auth.change_password", "POST"),
    ("auth.logout", "POST"),
)


IMPORT_DRAFT = QuestionDraft(
    id="authz-import-1",
    topic=BankTopic.EVENTS,
    type=QuestionType.SHORT_ANSWER,
    prompt="Which town did a teacher's import file ask about?",
    answer="Huamachuco",
)


# --- the world ----------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, str]  # role -> username
    ids: dict[str, object]  # URL argument name -> a real value
    next_position: int  # the student's question to answer now
    question_form: dict[str, object]
    import_token: str
    grade_ticket: str


def build_world(app: Flask) -> World:
    """A teacher's class with the student in it, an assignment half answered, a question."""
    now = datetime.now(UTC)
    teacher = make_user(Role.TEACHER, username="authz_teacher")
    other_teacher = make_user(Role.TEACHER, username="authz_other_teacher")
    student = make_user(username="authz_student")
    other_student = make_user(username="authz_other_student")
    school_class = classes.create_class(db.session, teacher, "5th year B")
    classes.join_class(db.session, student, school_class.join_code)
    assignment = classes.create_assignment(
        db.session,
        school_class,
        title="Breña",
        topics=["events"],
        length=5,
        due_day=(now + timedelta(days=7)).date(),
        tz=ZoneInfo("UTC"),
        now=now,
    )
    attempt = quizzes.start_assignment(db.session, student, assignment, now)
    first = attempt.items[0]
    quizzes.answer(db.session, attempt.id, student, first.position, "Nobody at all", now)
    # The question's card, forgotten too often, is set aside from the student's flashcards.
    db.session.execute(
        update(ReviewCard)
        .where(ReviewCard.user_id == student.id, ReviewCard.question_id == first.question_id)
        .values(suspended_at=now)
    )
    db.session.commit()
    text = FORMATS["csv"].emit([IMPORT_DRAFT])
    plan = bank.plan_import(db.session, FORMATS["csv"].parse(text, "bank.csv"))
    token = URLSafeTimedSerializer(app.secret_key, salt=IMPORT_SALT).dumps(
        {"user": teacher.id, "name": "bank.csv", "format": "csv", "text": text, "plan": plan.fingerprint()}
    )
    question = first.question
    return World(
        users={
            "student": student.username,
            "other_student": other_student.username,
            "teacher": teacher.username,
            "other_teacher": other_teacher.username,
        },
        ids={
            "attempt_id": attempt.id,
            "position": first.position,
            "assignment_id": assignment.id,
            "class_id": school_class.id,
            "student_id": student.id,
            "question_id": question.id,
            "slug": "events",
        },
        next_position=first.position + 1,
        question_form=edit_form(question),
        import_token=token,
        grade_ticket=card_tickets.issue(app.secret_key, student.id, card_tickets.ShownCard(question.id, 1, None), now),
    )


def edit_form(question: Question) -> dict[str, object]:
    """The edit form as its page fills it in, saved unchanged."""
    form: dict[str, object] = {"save": "Save question"}
    for name, value in QuestionForm.data_for(question).items():
        if isinstance(value, list):  # the option rows
            form |= {f"{name}-{index}": option for index, option in enumerate(value)}
        else:
            form[name] = value
    return form


def form_bodies(world: World) -> dict[str, Callable[[], dict[str, object]]]:
    """A minimal valid-looking form for each POST route (built afresh: files are read once)."""
    due = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    return {
        "auth.register": lambda: {
            "username": "authz_newcomer",
            "password": "a much longer passphrase",
            "confirm": "a much longer passphrase",
            "timezone": "UTC",
        },
        "auth.login": lambda: {"username": world.users["student"], "password": DEFAULT_PASSWORD},
        "main.choose_language": lambda: {"language": "en"},
        "auth.settings": lambda: {"timezone": "America/Lima", "daily_new_limit": "15"},
        "auth.change_password": lambda: {
            "current_password": DEFAULT_PASSWORD,
            "new_password": "another long passphrase",
            "confirm": "another long passphrase",
        },
        "quiz.new": lambda: {"topics": ["mix"], "length": "5"},
        # The question after the one answered is the one to answer now.
        "quiz.answer": lambda: {"position": str(world.next_position), "dont_know": "I don't know"},
        # A code no class has: joining the class would make the other student a member.
        "study.classes": lambda: {"code": "ZZZZ-ZZZZ"},
        "study.grade": lambda: {"card": world.grade_ticket, "rating": "3"},
        "teach.new_question": lambda: {
            "question_type": "short_answer",
            "topic": "events",
            "answer": "Cáceres",
            "prompt": "Who, in this authorization test, led the Breña campaign?",
            "save": "Save question",
        },
        "teach.edit_question": lambda: dict(world.question_form),
        "teach.import_questions": lambda: {
            "file": (io.BytesIO(FORMATS["csv"].emit([IMPORT_DRAFT]).encode()), "bank.csv"),
            "format": "csv",
        },
        "teach.confirm_import": lambda: {"token": world.import_token},
        "teach.add_topic": lambda: {"name": "Authorization topic"},
        "teach.rename_topic": lambda: {"name": "Events"},
        # Into itself: refused on the form, so the other routes still find the topic.
        "teach.merge_topic": lambda: {"into": "events"},
        "teach.classes": lambda: {"name": "Another class"},
        "teach.class_rename": lambda: {"name": "A renamed class"},
        "teach.assignment_new": lambda: {
            "title": "Tarapacá",
            "topics": ["dates"],
            "length": "5",
            "due": due,
        },
    }


# --- routes and outcomes ------------------------------------------------------------------


def routes(app: Flask) -> dict[tuple[str, str], Rule]:
    """Every (endpoint, method) the app serves, HEAD, OPTIONS and static files aside."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS:
            continue
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            found[(rule.endpoint, method)] = rule
    return found


def url_for_rule(app: Flask, rule: Rule, method: str, ids: Mapping[str, object]) -> str:
    """The rule's URL with each argument taken from ``ids`` by name (as in test_csrf)."""
    missing = sorted(rule.arguments - ids.keys())
    assert not missing, f"add a real id for {missing} of {rule.rule} to build_world"
    values = {name: ids[name] for name in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=method)


def outcome_of(response: TestResponse, asked: str) -> str:
    """What the response means for access: a token of EXPECTED, or the raw status."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers["Location"])
        if location.path == "/login":
            next_url = parse_qs(location.query).get("next", [""])[0]
            return LOGIN if next_url == asked else f"302 to /login?next={next_url!r}"
        return f"302 to {location.path}"
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    return f"HTTP {status}"


def matches(expected: Outcome, outcome: str, status: int) -> bool:
    if isinstance(expected, Redirect):
        return outcome == str(expected)
    if expected == OK:
        return (
            outcome not in (LOGIN, FORBIDDEN, NOT_FOUND)
            and not outcome.startswith("302 to /login")
            and status not in (401, 405)
        )
    return outcome == expected


def request_order(item: tuple[tuple[str, str], Rule]) -> tuple[int, tuple[str, str]]:
    key = item[0]
    return (LAST.index(key) + 1 if key in LAST else 0, key)


def client_for(app: Flask, world: World, role: str) -> FlaskClient:
    return app.test_client() if role == "anonymous" else signed_in(app, world.users[role])


# --- the test -----------------------------------------------------------------------------


def test_the_table_names_every_role_with_a_known_outcome() -> None:
    for key, row in [*EXPECTED.items(), *EXPECTED_QUERIES.items()]:
        assert set(row) == set(ROLES), f"{key} must name exactly the roles {ROLES}"
        for outcome in row.values():
            assert isinstance(outcome, Redirect) or outcome in (OK, LOGIN, FORBIDDEN, NOT_FOUND), (
                key,
                outcome,
            )


@pytest.mark.parametrize("role", ROLES)
def test_every_route_and_method_gives_each_role_the_expected_outcome(app: Flask, role: str) -> None:
    served = routes(app)
    unreviewed = sorted(set(served) - set(EXPECTED))
    assert not unreviewed, "routes without a reviewed row: " + "; ".join(
        f"add {key!r} to EXPECTED" for key in unreviewed
    )
    stale = sorted(set(EXPECTED) - set(served))
    assert not stale, "rows of EXPECTED that name no route: " + "; ".join(
        f"remove {key!r} from EXPECTED" for key in stale
    )

    world = build_world(app)
    bodies = form_bodies(world)
    client = client_for(app, world, role)
    requests = [
        (
            f"{endpoint}?{argument}",
            "GET",
            url_for_rule(app, served[(endpoint, "GET")], "GET", world.ids) + f"?{argument}={world.ids[id_name]}",
            row,
        )
        for (endpoint, argument, id_name), row in EXPECTED_QUERIES.items()
    ] + [
        (endpoint, method, url_for_rule(app, rule, method, world.ids), EXPECTED[(endpoint, method)])
        for (endpoint, method), rule in sorted(served.items(), key=request_order)
    ]
    wrong = []
    for name, method, url, row in requests:
        data = bodies[name]() if method == "POST" and name in bodies else {}
        asking = client_for(app, world, role) if (name, method) in OWN_CLIENT else client
        response = asking.open(url, method=method, data=data)
        assert response.status_code < 500, f"{role}: {method} {url} -> {response.status}"
        outcome = outcome_of(response, url)
        if not matches(row[role], outcome, response.status_code):
            wrong.append(f"{method} {url} ({name}): expected {row[role]}, got {outcome}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
