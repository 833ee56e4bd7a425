"""Fuzzing every form: whatever is posted, no 5xx and no half-written change.

Every POST rule of ``app.url_map`` is posted to by a signed-in student and a
signed-in teacher (and the sign-in and registration forms by an anonymous
visitor: test_authorization shows every other one sends them to sign in),
with forms Hypothesis makes up:
arbitrary unicode (NUL and other control characters included), strings far
beyond the fields' limits (but under MAX_CONTENT_LENGTH), numbers as text,
repeated fields (lists), empty and missing fields, unknown fields, real and
foreign ids (someone else's attempt, class or assignment) and ids that do not
exist — in the URL and in the form. The question import also gets arbitrary
bytes as its file, and the import parsers arbitrary encoded text.

The rule for writes: each example snapshots every table (its row count and a
digest of its rows) before and after its request. Either nothing changed, or
the response was a success redirect — a 302/303 that is not to /login, the
post/redirect/get of a form that was accepted. A refused form (a 4xx or a 200
page) or a redirect to sign in that changed the database wrote part of
something, which is a failure.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from quizapp import create_app
from quizapp.domain.formats import (
    FORMATS,
    ImportFormatError,
    decode_upload,
    normalize_draft,
    validate_draft,
)
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType
from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import bank, classes, quizzes
from quizapp.study import card_tickets
from quizapp.teach.bank_views import MAX_IMPORT_BYTES
from tests.app.factories import login, make_user
from tests.app.pages import post_file
from tests.conftest import config_for_tests
from tests.strategies import MARKUP_ALPHABET, examples

ROLES = ("student", "teacher")
PUBLIC_FORMS = ("auth.login", "auth.register", "main.choose_language")
FUZZ = settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _post_endpoints() -> list[str]:
    """The endpoints with a POST rule, read from a throwaway app's URL map at collection."""
    app = create_app(config_for_tests("sqlite://"))
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())})


POST_ENDPOINTS = _post_endpoints()

_QUESTION_FIELDS = (
    "question_type",
    "topic",
    "prompt",
    *(f"options-{index}" for index in range(6)),
    "correct_option",
    "true_false_answer",
    "answer",
    "date_precision",
    "date_day",
    "date_month",
    "date_year",
    "accepted_answers",
    "explanation",
    "tags",
    "response",
    "preview",
    "save",
)
# The fields each form reads; unknown names are added to every example too.
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "auth.register": ("username", "password", "confirm", "timezone"),
    "auth.login": ("username", "password", "remember"),
    "auth.logout": (),
    "auth.settings": ("language", "timezone", "daily_new_limit"),
    "main.choose_language": ("language", "next"),
    "auth.change_password": ("current_password", "new_password", "confirm"),
    "quiz.new": ("topics", "length", "seed"),
    "quiz.answer": ("position", "response", "dont_know"),
    "study.classes": ("code",),
    "quiz.start_assignment": (),
    "study.grade": ("card", "rating", "duration_ms"),
    "study.undo": (),
    "study.bring_back": (),
    "teach.new_question": _QUESTION_FIELDS,
    "teach.edit_question": _QUESTION_FIELDS,
    "teach.retire_question": (),
    "teach.restore_question": (),
    "teach.import_questions": ("file", "format", "topic", "skip_unsupported"),
    "teach.confirm_import": ("token",),
    "teach.classes": ("name",),
    "teach.class_regenerate_code": (),
    "teach.class_rename": ("name",),
    "teach.class_remove_student": (),
    "teach.assignment_new": ("title", "topics", "length", "due"),
    "teach.assignment_delete": (),
    "teach.add_topic": ("name",),
    "teach.rename_topic": ("name",),
    "teach.merge_topic": ("into",),
}

# A small bank of our own: enough for a quiz, every type, and quick snapshots.
DRAFTS = [
    QuestionDraft(
        id=f"fuzz-{number}",
        topic=BankTopic.EVENTS,
        type=QuestionType.SHORT_ANSWER,
        prompt=f"Which town is fuzz question {number} about?",
        answer=f"Town {number}",
    )
    for number in range(6)
] + [
    QuestionDraft(
        id="fuzz-choice",
        topic=BankTopic.LEADERS,
        type=QuestionType.MULTIPLE_CHOICE,
        prompt="Who led the Breña campaign?",
        answer="Cáceres",
        options=("Cáceres", "Iglesias", "Montero"),
    ),
    QuestionDraft(
        id="fuzz-true-false",
        topic=BankTopic.DATES,
        type=QuestionType.TRUE_FALSE,
        prompt="Lima was occupied in January 1881.",
        answer="True",
    ),
    QuestionDraft(
        id="fuzz/date",
        topic=BankTopic.DATES,
        type=QuestionType.DATE,
        prompt="When was the Treaty of Ancón signed?",
        answer="20 October 1883",
    ),
]


# --- the world ----------------------------------------------------------------------------


@dataclass
class World:
    usernames: dict[str, str]
    url_ids: dict[str, list[object]]  # URL argument -> own, foreign and missing values
    values: list[str]  # plausible field values: real and foreign ids, choices, codes
    client: FlaskClient | None = None  # the signed-in role's, kept across examples


@pytest.fixture
def world(empty_app: Flask) -> World:
    """A teacher's class with the student, another teacher's with another student; attempts in both."""
    now = datetime.now(UTC)
    teacher = make_user(Role.TEACHER, username="fuzz_teacher")
    other_teacher = make_user(Role.TEACHER, username="fuzz_other_teacher")
    student = make_user(username="fuzz_student")
    other_student = make_user(username="fuzz_other_student")
    bank.apply_import(db.session, bank.plan_import(db.session, DRAFTS), teacher, now)
    made = {}
    for owner, member, name in ((teacher, student, "Own"), (other_teacher, other_student, "Foreign")):
        school_class = classes.create_class(db.session, owner, f"{name} class")
        classes.join_class(db.session, member, school_class.join_code)
        assignment = classes.create_assignment(
            db.session,
            school_class,
            title=f"{name} quiz",
            topics=["events"],
            length=5,
            due_day=(now + timedelta(days=3)).date(),
            tz=ZoneInfo("UTC"),
            now=now,
        )
        attempt = quizzes.start_assignment(db.session, member, assignment, now)
        quizzes.answer(db.session, attempt.id, member, 1, "Nowhere", now)
        made[name] = (school_class, assignment, attempt)
    db.session.commit()
    missing = 10**6
    beyond = [missing, 0, 2**31, 10**30]  # no such row; past an INTEGER column; past a float
    question_ids = [draft.id for draft in DRAFTS]
    values = [
        *question_ids,
        "events",
        "mix",
        "dates",
        "multiple_choice",
        "short_answer",
        "true_false",
        "date",
        "True",
        "False",
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "-1",
        "2147483648",
        "day",
        "month",
        "year",
        "1883",
        "10",
        "20",
        "UTC",
        "America/Lima",
        "Not/AZone",
        "y",
        "Preview",
        "Save question",
        "1999-12-31",
        "2024-02-30",
        "9999-12-31",
        "0001-01-01",
        str(missing),
        "Town 1",
        "Cáceres",
    ]
    for school_class, assignment, attempt in made.values():
        values += [str(school_class.id), str(assignment.id), str(attempt.id), school_class.join_code]
    # Tickets of flashcards shown: the student's own, another student's, and one of a quiz's mistakes.
    shown = [
        (student, card_tickets.ShownCard(question_ids[0], 0, None)),
        (other_student, card_tickets.ShownCard(question_ids[1], 0, None)),
        (student, card_tickets.ShownCard(question_ids[2], 0, made["Own"][2].id)),
    ]
    values += [card_tickets.issue(empty_app.secret_key, user.id, card, now) for user, card in shown]
    return World(
        usernames={"student": student.username, "teacher": teacher.username},
        url_ids={
            "attempt_id": [made["Own"][2].id, made["Foreign"][2].id, *beyond],
            "assignment_id": [made["Own"][1].id, made["Foreign"][1].id, *beyond],
            "class_id": [made["Own"][0].id, made["Foreign"][0].id, *beyond],
            "student_id": [student.id, other_student.id, teacher.id, *beyond],
            "question_id": question_ids,
            "slug": ["events", "dates", "no-such-topic", "Not a slug"],
        },
        values=values,
    )


# --- strategies ---------------------------------------------------------------------------

# One past each limit: username, class name, title, id, answer, prompt, explanation; and far past.
LIMITS = (41, 101, 121, 201, 501, 1_001, 2_001, 100_000)
huge_text = st.builds(
    lambda size, char: char * size, st.sampled_from(LIMITS), st.sampled_from(["x", "é", "𝔛", "<", "9", " "])
)
# NUL, other controls, bidi overrides, BOMs, markup, quoting: rare in st.text(), so drawn on purpose.
tricky_text = st.text(alphabet=st.sampled_from("\x00\x01\x1f\x7f\r\n\t\u202e\ufeff\ud7ff<>\"'&%\\/ aé𝔛"), max_size=12)
numbers_as_text = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True, allow_infinity=True)
).map(str)


def field_values(world: World) -> st.SearchStrategy[str | list[str]]:
    """One form value: any text, a huge one, a number, empty, a plausible or foreign id; or several."""
    one = st.one_of(
        st.text(max_size=40),
        tricky_text,
        huge_text,
        numbers_as_text,
        st.just(""),
        st.sampled_from(world.values),
    )
    return st.one_of(one, st.lists(one, max_size=3))


def forms(world: World, endpoint: str) -> st.SearchStrategy[dict[str, object]]:
    """The endpoint's fields, each present or missing, plus an unknown field or two."""
    assert endpoint in FORM_FIELDS, f"add the fields of {endpoint} to FORM_FIELDS"
    value = field_values(world)
    known = st.fixed_dictionaries({}, optional={name: value for name in FORM_FIELDS[endpoint]})
    unknown = st.dictionaries(st.text(min_size=1, max_size=12), value, max_size=2)
    return st.builds(lambda extra, fields: {**extra, **fields}, unknown, known)


def url_values(world: World, rule: Rule) -> st.SearchStrategy[dict[str, object]]:
    strategies = {}
    for name in sorted(rule.arguments):
        assert name in world.url_ids, f"add values for the URL argument {name!r} of {rule.rule} to `world`"
        choices = st.sampled_from(world.url_ids[name])
        text = st.text(min_size=1, max_size=20) | tricky_text.filter(bool)
        strategies[name] = choices | text if name == "question_id" else choices
    return st.fixed_dictionaries(strategies)


# --- checking one request -----------------------------------------------------------------


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows."""
    db.session.rollback()  # a fresh transaction sees what the requests committed
    state = {}
    for table in db.metadata.sorted_tables:
        rows = sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        state[table.name] = (
            len(rows),
            hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest(),
        )
    db.session.rollback()
    return state


def is_success_redirect(response: TestResponse) -> bool:
    return response.status_code in (302, 303) and urlsplit(response.headers["Location"]).path != "/login"


def check(before: Mapping[str, tuple[int, str]], response: TestResponse, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status}"
    if is_success_redirect(response):
        return
    after = snapshot()
    changed = sorted(name for name in before if before[name] != after[name])
    assert not changed, f"{what}: {response.status} but the tables {changed} changed"


def signed_in(app: Flask, world: World, role: str) -> FlaskClient:
    client = app.test_client()
    if role != "anonymous":
        login(client, world.usernames[role])
    return client


def rule_for(app: Flask, endpoint: str) -> Rule:
    [rule] = [rule for rule in app.url_map.iter_rules(endpoint) if "POST" in (rule.methods or ())]
    return rule


# --- every form route ---------------------------------------------------------------------


def test_every_post_route_has_its_fields_listed() -> None:
    assert set(POST_ENDPOINTS) == set(FORM_FIELDS), "keep FORM_FIELDS to the POST routes of the URL map"


@pytest.mark.parametrize(
    ("role", "endpoint"),
    [(role, endpoint) for role in ROLES for endpoint in POST_ENDPOINTS]
    + [("anonymous", endpoint) for endpoint in PUBLIC_FORMS],
)
@FUZZ
@given(data=st.data())
def test_any_form_gives_no_server_error_and_no_partial_write(
    empty_app: Flask, world: World, role: str, endpoint: str, data: st.DataObject
) -> None:
    app = empty_app
    if world.client is None:
        world.client = signed_in(app, world, role)
    # An anonymous visitor who registers or signs in is someone else afterwards: a fresh one each time.
    client = signed_in(app, world, role) if role == "anonymous" else world.client
    rule = rule_for(app, endpoint)
    url = app.url_map.bind("localhost").build(endpoint, data.draw(url_values(world, rule)), method="POST")
    form = data.draw(forms(world, endpoint))
    before = snapshot()
    response = client.post(url, data=form)
    check(before, response, f"{role} POST {url} {sorted(form)}")
    if endpoint == "auth.logout" and role != "anonymous":
        login(client, world.usernames[role])


# --- what the fuzzing found, kept as plain examples -----------------------------------------

HUGE = "9" * 400  # beyond a float's range: wtforms' NumberRange overflowed on it


def found_examples(world: World) -> list[tuple[str, str, str, dict[str, object], int]]:
    """(role, method, url, form, status) for inputs that were server errors before their fix."""
    class_id = world.url_ids["class_id"][0]
    grade = {"card": world.values[-3], "rating": "3"}
    return [
        # NUL: PostgreSQL refuses it in any text, even in a WHERE clause.
        ("anonymous", "POST", "/login", {"username": "a\x00b", "password": "whatever"}, 400),
        ("student", "POST", "/classes", {"code": "AB\x00CD"}, 400),
        ("teacher", "POST", "/teach/classes", {"name": "5B\x00"}, 400),
        ("teacher", "GET", "/teach/questions?q=%00", {}, 400),
        ("teacher", "GET", "/teach/question/fuzz%00", {}, 400),
        ("student", "GET", "/study?card=%00", {}, 400),
        # Ids beyond an INTEGER column: no such row, not an overflow.
        ("student", "GET", "/quiz/2147483648", {}, 404),
        ("student", "GET", "/quiz/" + "9" * 30 + "/results", {}, 404),
        ("teacher", "GET", "/teach/classes/2147483648", {}, 404),
        ("teacher", "GET", f"/teach/classes/{class_id}/students/{'9' * 30}", {}, 404),
        ("teacher", "GET", "/teach/questions?page=" + "9" * 30, {}, 200),
        # Integers too large for NumberRange's isnan, or for a timedelta.
        ("student", "POST", "/study/grade", {**grade, "rating": HUGE}, 400),
        ("student", "POST", "/study/grade", {**grade, "duration_ms": "9" * 30}, 302),
        ("student", "POST", "/account", {"timezone": "UTC", "daily_new_limit": HUGE}, 200),
        ("student", "POST", "/quiz/", {"topics": ["mix"], "length": HUGE}, 200),
        (
            "teacher",
            "POST",
            f"/teach/classes/{class_id}/assignments/new",
            {"title": "T", "topics": ["events"], "length": HUGE, "due": "2999-01-01"},
            422,
        ),
    ]


def test_the_inputs_the_fuzzing_found_are_refused_cleanly(empty_app: Flask, world: World) -> None:
    clients = {role: signed_in(empty_app, world, role) for role in ("anonymous", "student", "teacher")}
    for role, method, url, form, status in found_examples(world):
        before = snapshot()
        response = clients[role].open(url, method=method, data=form)
        assert response.status_code == status, f"{role} {method} {url}: {response.status}"
        check(before, response, f"{role} {method} {url}")


# --- the import upload --------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252")


@st.composite
def upload_bytes(draw: st.DrawFn) -> bytes:
    """Arbitrary bytes; or a real export, damaged, in some encoding; or a file just over the limit."""
    kind = draw(st.sampled_from(["bytes", "export", "markup", "too large"]))
    if kind == "bytes":
        return draw(st.binary(max_size=3_000))
    if kind == "too large":
        return b"a" * (MAX_IMPORT_BYTES + 1)
    if kind == "export":
        text = FORMATS[draw(st.sampled_from(sorted(FORMATS)))].emit(DRAFTS[: draw(st.integers(1, len(DRAFTS)))])
        for _ in range(draw(st.integers(0, 3))):
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(MARKUP_ALPHABET) + text[position + draw(st.integers(0, 3)) :]
    else:
        text = "".join(draw(st.lists(MARKUP_ALPHABET, max_size=40)))
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


file_names = st.one_of(
    st.builds(
        lambda stem, ending: stem + ending,
        st.text(max_size=20),
        st.sampled_from(["", ".csv", ".json", ".gift", ".txt", ".CSV", ".gift.txt", ".exe"]),
    ),
    st.sampled_from(["bank.csv", "bank.json", "bank.gift", ""]),
)


@settings(FUZZ, max_examples=examples(40))
@given(
    content=upload_bytes(),
    name=file_names,
    format_name=st.sampled_from(["", "csv", "gift", "json", "anki", "x"]),
)
def test_any_upload_gives_no_server_error_and_writes_only_when_confirmed(
    empty_app: Flask, world: World, content: bytes, name: str, format_name: str
) -> None:
    if world.client is None:
        world.client = signed_in(empty_app, world, "teacher")
    client = world.client
    before = snapshot()
    response = post_file(client, "/teach/questions/import", (content, name), format=format_name)
    assert response.status_code < 500, response.status
    assert snapshot() == before, "the dry run wrote to the database"
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', response.get_data(as_text=True))
    if token:
        confirmed = client.post("/teach/questions/import/confirm", data={"token": token[1]})
        check(before, confirmed, f"confirming {name!r}")


# --- the import parsers -------------------------------------------------------------------
# tests/domain/test_formats.py already feeds every parser arbitrary text, arbitrary bytes
# through decode_upload, markup soup, damaged exports and any JSON value. Added here:
# format-shaped text in other encodings and line endings, any source name, the lines
# problems point to, and that whatever parses can be stored.


@st.composite
def encoded_markup(draw: st.DrawFn) -> bytes:
    text = "".join(draw(st.lists(MARKUP_ALPHABET, max_size=60)))
    text = text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@pytest.mark.parametrize("format_name", sorted(FORMATS))
@settings(max_examples=examples(150), deadline=None)
@given(data=st.binary(max_size=500) | encoded_markup(), source_name=st.text(max_size=20))
def test_parsers_raise_only_import_format_error_naming_real_lines(
    format_name: str, data: bytes, source_name: str
) -> None:
    try:
        text = decode_upload(data, source_name)
        drafts = FORMATS[format_name].parse(text, source_name)
    except ImportFormatError as error:
        assert error.problems
        assert error.source_name == source_name
        lines = data.count(b"\n") + data.count(b"\r") + 1
        for problem in error.problems:
            assert problem.line is None or 1 <= problem.line <= lines, (problem, lines)
        return
    for draft in drafts:
        assert validate_draft(draft) == [], draft
        assert normalize_draft(draft) == draft
