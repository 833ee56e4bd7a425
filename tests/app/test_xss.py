"""Script injection: text anyone types is shown back escaped on every page that shows it.

Real payloads go into every field a user controls — question prompts, options,
answers, accepted answers, explanations and tags (through the teacher's form
and through imported JSON, CSV and GIFT files, ids included), class names,
assignment titles, students' typed answers, search and try-out boxes, upload
file names — and every page that shows them is read back. A page is safe when

* no payload containing markup appears raw;
* parsing the page finds nothing a payload could have created: no inline
  event handler (``on…=``), no inline ``<script>``, no ``javascript:`` URL,
  no ``<img>``;
* where the page shows the text, its escaped form is there (so the check
  above is not passing on a page that simply left the text out), and
  ``{{7*7}}`` is shown as written, never evaluated to 49.

Usernames are limited to letters, digits, dots, dashes and underscores: the
registration refuses every payload. The gradebook CSV and the exports are
files, not pages, and are not read here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp.domain.formats import FORMATS
from quizapp.domain.formats.anki import back_html, front_html
from quizapp.domain.questions import BankTopic, QuestionDraft, QuestionType
from quizapp.extensions import db
from quizapp.models import Question, QuizAttempt, QuizItem, Role, SchoolClass, User
from tests.app.factories import login, make_user
from tests.app.pages import post_file

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{7*7}}",
)
ALL = " ".join(PAYLOADS)

CHOICE = QuestionDraft(
    id="",
    topic=BankTopic.EVENTS,
    type=QuestionType.MULTIPLE_CHOICE,
    prompt="Which of these is a payload? " + ALL,
    answer="Option 0 " + PAYLOADS[0],
    options=tuple(f"Option {index} {payload}" for index, payload in enumerate(PAYLOADS)),
    explanation="Because " + ALL,
    tags=tuple(f"tag {payload}" for payload in PAYLOADS),
)
TYPED = QuestionDraft(
    id="",
    topic=BankTopic.EVENTS,
    type=QuestionType.SHORT_ANSWER,
    prompt="Type the payload: " + ALL,
    answer="Answer " + ALL,
    accepted_answers=tuple(f"Also {payload}" for payload in PAYLOADS),
    explanation="Typed because " + ALL,
)
# Imported files may name their questions: ids are shown and put in URLs too.
IMPORT_IDS = {CHOICE.prompt: "xss " + PAYLOADS[0], TYPED.prompt: "xss " + PAYLOADS[1]}
TYPED_RESPONSE = "Typed " + ALL


# --- checking a page ----------------------------------------------------------------------


class InjectedMarkup(HTMLParser):
    """Collects what a payload could have added to the page's DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.found.append(f"<img {values}>")
        if tag == "script":
            self._in_script = not values.get("src")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"inline script {data.strip()[:60]!r}")


def assert_safe(response: TestResponse, shows: Iterable[str] = (), where: str = "") -> str:
    """Check a page (see the module docstring); ``shows`` are texts it must display, escaped."""
    where = where or response.request.path
    assert response.status_code < 500, where
    page = response.get_data(as_text=True)
    for payload in PAYLOADS:
        if payload != escape(payload):
            assert payload not in page, f"{where}: raw {payload!r}"
    parser = InjectedMarkup()
    parser.feed(page)
    parser.close()
    assert not parser.found, f"{where}: injected {parser.found}"
    for text in shows:
        assert str(escape(text)) in page, f"{where}: does not show {text!r} escaped"
        # With words around it, an evaluated expression would show as "... 49 ..."; "49" alone
        # turns up in random ids, and the expression shown above already proves it was kept.
        if "{{7*7}}" in text and text != "{{7*7}}":
            assert str(escape(text.replace("{{7*7}}", "49"))) not in page, f"{where}: evaluated {text!r}"
    return page


def test_the_checker_catches_each_payload_left_raw() -> None:
    for payload in PAYLOADS:
        if payload == escape(payload):
            continue
        parser = InjectedMarkup()
        parser.feed(f'<p>{payload}</p><textarea>{payload}</textarea><input value="{payload}">')
        assert parser.found or payload.startswith("<script"), payload
    parser = InjectedMarkup()
    parser.feed('<a href=" JavaScript:alert(1)">x</a><script>alert(1)</script><script src="/s.js"></script>')
    assert len(parser.found) == 2


# --- helpers ------------------------------------------------------------------------------


def client_as(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    login(client, user.username)
    return client


def question_form(draft: QuestionDraft) -> dict[str, object]:
    """The teacher's question form filled in with the draft."""
    data: dict[str, object] = {
        "question_type": draft.type.value,
        "topic": draft.topic.value,
        "prompt": draft.prompt,
        "accepted_answers": "\n".join(draft.accepted_answers),
        "explanation": draft.explanation,
        "tags": ", ".join(draft.tags),
        "save": "Save question",
    }
    if draft.type == QuestionType.MULTIPLE_CHOICE:
        data |= {f"options-{index}": option for index, option in enumerate(draft.options)}
        data["correct_option"] = str(draft.options.index(draft.answer))
    else:
        data["answer"] = draft.answer
    return data


def upload(teacher: FlaskClient, name: str, content: bytes, format_name: str = "") -> TestResponse:
    return post_file(teacher, "/teach/questions/import", (content, name), format=format_name)


def add_questions(teacher: FlaskClient, source: str) -> dict[str, str]:
    """Write both questions through the form or an imported file; their ids by prompt."""
    if source == "form":
        for draft in (CHOICE, TYPED):
            response = teacher.post("/teach/questions/new", data=question_form(draft))
            assert response.status_code == 302, response.get_data(as_text=True)
    else:
        drafts = [replace(draft, id=IMPORT_IDS[draft.prompt]) for draft in (CHOICE, TYPED)]
        name = "bank" + FORMATS[source].file_extension
        dry_run = upload(teacher, name, FORMATS[source].emit(drafts).encode())
        page = assert_safe(dry_run, [CHOICE.prompt, TYPED.prompt, *IMPORT_IDS.values()], f"dry run of {source}")
        assert dry_run.status_code == 200, page
        token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
        assert token, page
        response = teacher.post("/teach/questions/import/confirm", data={"token": token[1]})
        assert response.status_code == 302, response.get_data(as_text=True)
        assert_safe(teacher.get(response.headers["Location"]), [CHOICE.prompt, TYPED.prompt], "bank after import")
    ids = {
        question.current.prompt: question.id
        for question in db.session.scalars(select(Question).where(Question.origin == "teacher")).unique()
    }
    assert set(ids) == {CHOICE.prompt, TYPED.prompt}
    return ids


def wrong_answer(item: QuizItem, typed: str = TYPED_RESPONSE) -> str:
    """A wrong response: another option than the answer, or the typed text."""
    return next((option for option in item.options if option != item.asked.answer), typed)


@pytest.fixture
def school(empty_app: Flask) -> Iterator[dict[str, object]]:
    """A teacher and a student on a bank with no other questions (so quizzes draw ours)."""
    teacher = make_user(Role.TEACHER, username="xss_teacher")
    student = make_user(username="xss_student")
    yield {
        "app": empty_app,
        "teacher_user": teacher,
        "student_user": student,
        "teacher": client_as(empty_app, teacher),
        "student": client_as(empty_app, student),
    }


# --- question content ---------------------------------------------------------------------


@pytest.mark.parametrize("source", ["form", "json", "csv", "gift"])
def test_question_content_is_escaped_on_every_page_that_shows_it(school: dict[str, object], source: str) -> None:
    teacher: FlaskClient = school["teacher"]
    student: FlaskClient = school["student"]
    ids = add_questions(teacher, source)

    # The teacher's pages: the bank, each question with its preview and a try, the edit form.
    assert_safe(teacher.get("/teach/questions"), [CHOICE.prompt, TYPED.prompt])
    assert_safe(teacher.get("/teach/questions?status=any&q=payload"), [CHOICE.prompt, TYPED.prompt])
    for draft in (CHOICE, TYPED):
        question_id = ids[draft.prompt]
        shown = [
            draft.prompt,
            draft.answer,
            *draft.accepted_answers,
            draft.explanation,
            *draft.options,
            *draft.tags,
        ]
        if source != "form":
            shown.append(question_id)
        assert_safe(teacher.get(f"/teach/question/{question_id}"), shown)
        tried = teacher.get(f"/teach/question/{question_id}", query_string={"response": TYPED_RESPONSE})
        assert_safe(tried, [draft.answer, draft.explanation], "a try on the question page")
        assert_safe(teacher.get(f"/teach/question/{question_id}/edit"), shown)
        preview = teacher.post(
            f"/teach/question/{question_id}/edit",
            data={**question_form(draft), "preview": "Preview", "response": TYPED_RESPONSE},
        )
        assert_safe(preview, [draft.prompt, draft.answer, draft.explanation, *draft.options], "edit preview")
    new_preview = teacher.post(
        "/teach/questions/new",
        data={
            **question_form(CHOICE),
            "prompt": "Another " + ALL,
            "preview": "Preview",
            "response": CHOICE.options[2],
        },
    )
    assert_safe(new_preview, ["Another " + ALL, *CHOICE.options, CHOICE.answer, CHOICE.explanation], "new preview")

    # The student's quiz: both questions, answered wrong with payloads.
    started = student.post("/quiz/", data={"topics": ["events"], "length": "5"})
    assert started.status_code == 302, started.get_data(as_text=True)
    attempt = db.session.scalars(select(QuizAttempt)).one()
    assert len(attempt.items) == 2
    responses = []
    for item in attempt.items:
        draft = CHOICE if item.asked.prompt == CHOICE.prompt else TYPED
        assert_safe(student.get(f"/quiz/{attempt.id}"), [draft.prompt, *draft.options], "quiz question")
        response = wrong_answer(item)
        responses.append(response)
        answered = student.post(f"/quiz/{attempt.id}/answer", data={"position": item.position, "response": response})
        assert answered.status_code == 302, answered.get_data(as_text=True)
        assert_safe(
            student.get(answered.headers["Location"]),
            [draft.prompt, response, draft.answer, draft.explanation],
            "feedback",
        )
    results = [CHOICE.prompt, CHOICE.answer, TYPED.prompt, TYPED.answer, *responses]
    assert_safe(student.get(f"/quiz/{attempt.id}/results"), results, "results")

    # Flashcards: the front of the next mistake, the back of each card; the weakest list.
    for _ in (CHOICE, TYPED):
        front = assert_safe(student.get(f"/study?attempt={attempt.id}"), [], "flashcard front")
        draft = CHOICE if str(escape(CHOICE.prompt)) in front else TYPED
        assert str(escape(draft.prompt)) in front
        ticket = re.search(r'href="/study\?card=([^"#]+)', front).group(1)
        back = student.get("/study", query_string={"card": ticket})
        assert_safe(back, [draft.prompt, draft.answer, draft.explanation, *draft.options], "flashcard back")
        assert student.post("/study/grade", data={"card": ticket, "rating": "1"}).status_code == 302
    assert_safe(student.get("/study/weakest"), [CHOICE.prompt, TYPED.prompt, TYPED.answer])
    assert_safe(student.get("/dashboard"))


def test_anki_cards_escape_what_they_show() -> None:
    """An Anki deck's fields are HTML, shown by Anki as such."""
    for draft in (CHOICE, TYPED):
        for card_side in (front_html(draft), back_html(draft)):
            for payload in PAYLOADS:
                if payload != escape(payload):
                    assert payload not in card_side
    assert html.escape(CHOICE.prompt) in front_html(CHOICE)
    assert html.escape(TYPED.answer) in back_html(TYPED)


# --- names of classes and assignments, typed answers in the teacher's analysis --------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_class_names_titles_and_typed_answers_are_escaped(school: dict[str, object], payload: str) -> None:
    teacher: FlaskClient = school["teacher"]
    student: FlaskClient = school["student"]
    student_user: User = school["student_user"]
    add_questions(teacher, "form")
    class_name, title, typed = f"5B {payload}", f"Quiz {payload}", f"Typed {payload}"

    created = teacher.post("/teach/classes", data={"name": class_name}, follow_redirects=True)
    assert_safe(created, [class_name], "class created (flash and overview)")
    school_class = db.session.scalars(select(SchoolClass)).one()
    base = f"/teach/classes/{school_class.id}"
    assert_safe(teacher.get(base + "/assignments/new"), [class_name])
    due = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    set_ = teacher.post(
        base + "/assignments/new",
        data={"title": title, "topics": ["events"], "length": "5", "due": due},
        follow_redirects=True,
    )
    assert_safe(set_, [title, class_name], "assignment set (flash and results)")

    joined = student.post("/classes", data={"code": school_class.join_code}, follow_redirects=True)
    assert_safe(joined, [class_name, title], "joined (flash and my classes)")
    assert_safe(student.get("/dashboard"), [title])
    [assignment_id] = re.findall(r"/quiz/assignments/(\d+)/start", joined.get_data(as_text=True))
    started = student.post(f"/quiz/assignments/{assignment_id}/start")
    assert started.status_code == 302, started.get_data(as_text=True)
    attempt = db.session.scalars(select(QuizAttempt)).one()
    responses = []
    for item in attempt.items:
        response = wrong_answer(item, typed)
        responses.append(response)
        answered = student.post(f"/quiz/{attempt.id}/answer", data={"position": item.position, "response": response})
        assert answered.status_code == 302, answered.get_data(as_text=True)
        assert_safe(student.get(answered.headers["Location"]), [response], "feedback")
    assert_safe(student.get(f"/quiz/{attempt.id}/results"), responses, "results")
    assert_safe(student.get("/classes"), [class_name, title])

    assert_safe(teacher.get("/teach/classes"), [class_name])
    assert_safe(teacher.get(base), [class_name, title])
    assert_safe(teacher.get(f"{base}/students/{student_user.id}"), [class_name, title])
    assert_safe(teacher.get(f"{base}/assignments/{assignment_id}"), [class_name, title])
    assert_safe(teacher.get(f"{base}/items"), [class_name, title, *responses, CHOICE.prompt, TYPED.prompt])
    assert_safe(teacher.get(f"{base}/items?assignment={assignment_id}"), [class_name, title, *responses])
    regenerated = teacher.post(base + "/join-code", follow_redirects=True)
    assert_safe(regenerated, [class_name], "new join code")


# --- usernames ----------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_registration_refuses_payload_usernames_and_shows_them_escaped(empty_app: Flask, payload: str) -> None:
    client = empty_app.test_client()
    users = db.session.scalar(select(func.count()).select_from(User))
    password = "a long enough passphrase"
    response = client.post(
        "/register", data={"username": payload, "password": password, "confirm": password, "timezone": "UTC"}
    )
    assert response.status_code == 200
    page = assert_safe(response, [payload], "registration")
    assert "Use 3 to 40 letters, digits, dots, dashes or underscores." in page
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    assert client.get("/dashboard").status_code == 302  # not signed in
    assert_safe(client.post("/login", data={"username": payload, "password": password}), [payload], "sign-in")


# --- text reflected from the request --------------------------------------------------------


def test_search_try_and_upload_names_are_escaped(school: dict[str, object]) -> None:
    teacher: FlaskClient = school["teacher"]
    student: FlaskClient = school["student"]
    ids = add_questions(teacher, "form")
    for payload in PAYLOADS:
        assert_safe(teacher.get("/teach/questions", query_string={"q": payload}), [payload], "bank search")
        question_id = ids[TYPED.prompt]
        assert_safe(
            teacher.get(f"/teach/question/{question_id}", query_string={"response": payload}),
            [payload],
            "try",
        )
        # Browsers send a double quote in a file name as %22, and Werkzeug reads it back as a quote.
        name = payload.replace('"', "%22")
        bad = upload(teacher, f"{name}.csv", b"id,topic\n" + payload.encode() + b",nowhere\n")
        assert bad.status_code == 422
        assert_safe(bad, [f"{payload}.csv"], "import problems")
        unknown = upload(teacher, f"{name}.txt.doc", b"anything")
        assert_safe(unknown, [f"{payload}.txt.doc"], "import of an unknown format")
        assert_safe(student.get("/study", query_string={"flip": "1", "question": payload}), [], "unknown card")
        assert_safe(student.get("/classes"), [], "classes")
        assert_safe(student.post("/classes", data={"code": payload}), [], "join with a payload code")
