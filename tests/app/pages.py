"""Reading pages in app tests: who is signed in, a page's text, and the flashcard pages' links and forms."""

from __future__ import annotations

import html
import io
import re

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from quizapp.models import User
from tests.app.factories import login


def signed_in(app: Flask, username: str) -> FlaskClient:
    """A new client of the app, signed in as ``username``."""
    client = app.test_client()
    login(client, username)
    return client


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign the client out, then in as ``user``."""
    client.post("/logout")
    login(client, user.username)


def main_text(response: TestResponse) -> str:
    """The page's <main> as text: tags dropped, white space collapsed (entities kept)."""
    page = response.get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def page_text(response: TestResponse) -> str:
    """The page's <main>, unescaped."""
    text = response.get_data(as_text=True)
    return html.unescape(text[text.index("<main") : text.index("</main>")])


def field_errors(response: TestResponse, field_id: str) -> list[str]:
    """The inline error messages a form page shows under one field."""
    text = response.get_data(as_text=True)
    block = re.search(rf'<div id="{re.escape(field_id)}-errors">(.*?)</div>', text, re.S)
    if block is None:
        return []
    return [html.unescape(message) for message in re.findall(r'<p class="field-error"[^>]*>(.*?)</p>', block[1], re.S)]


def form_data(kind: str = "multiple_choice", **fields: object) -> dict[str, object]:
    """A valid question form of the given type (or ``question_type`` in fields), with some fields replaced."""
    question_type = str(fields.get("question_type", kind))
    data: dict[str, object] = {
        "topic": "events",
        "question_type": question_type,
        "prompt": "Where did the resistance regroup after Huamachuco?",
        "explanation": "",
        "tags": "",
        "accepted_answers": "",
    }
    if question_type == "multiple_choice":
        data |= {
            "options-0": "Ayacucho",
            "options-1": "Arequipa",
            "options-2": "Cajamarca",
            "correct_option": "1",
        }
    elif question_type == "true_false":
        data |= {"prompt": "Lima was occupied in January 1881.", "true_false_answer": "True"}
    elif question_type == "short_answer":
        data |= {
            "prompt": "Who led the Breña campaign, in a teacher's words?",
            "answer": "Andrés Avelino Cáceres",
        }
    elif question_type == "date":
        data |= {
            "prompt": "When did a teacher say the Treaty of Ancón was signed?",
            "date_precision": "day",
            "date_day": "20",
            "date_month": "10",
            "date_year": "1883",
        }
    data |= fields
    data.setdefault("save", "Save question")
    return {name: value for name, value in data.items() if value is not None}


# --- flashcards ---------------------------------------------------------------------------


def shown_question(page: str) -> str | None:
    """The id of the question on a flashcard page, None on any other page."""
    match = re.search(r'data-question="([^"]+)"', page)
    return match.group(1) if match else None


def card_version_on(page: str) -> int:
    match = re.search(r'data-card-version="(\d+)"', page)
    assert match, page
    return int(match.group(1))


def flip_url(page: str) -> str:
    """The "Show answer" link of a card's front."""
    match = re.search(r'href="(/study\?card=[^"#]+)[^"]*"', page)
    assert match, page
    return match.group(1).replace("&amp;", "&")


def ticket_on(page: str) -> str:
    """The ticket of the card on a flipped page's grade form."""
    match = re.search(r'name="card" type="hidden" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def grade(client: FlaskClient, ticket: str, rating: int, **extra: object) -> TestResponse:
    return client.post("/study/grade", data={"card": ticket, "rating": str(rating), **extra})


def flip_next(client: FlaskClient, path: str = "/study") -> tuple[str, str]:
    """Open the session and flip the card shown: its question id and the answer page."""
    page = client.get(path).get_data(as_text=True)
    question_id = shown_question(page)
    assert question_id is not None, page
    return question_id, client.get(flip_url(page)).get_data(as_text=True)


def study_shown_card(client: FlaskClient, rating: int, **extra: object) -> str:
    """Open the session, flip the card shown, grade it; the question id graded."""
    question_id, flipped = flip_next(client)
    response = grade(client, ticket_on(flipped), rating, **extra)
    assert response.status_code == 302
    return question_id


def post_file(
    client: FlaskClient, url: str, file: tuple[bytes, str], headers: dict[str, str] | None = None, **fields: str
) -> TestResponse:
    """POST a form with ``file`` (content, name) and ``fields`` as multipart, encoded in memory.

    The test client would spool a large body to a temporary file that it never closes, and
    the warning about it would fail whichever test happens to collect it.
    """
    content, name = file
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename=name), **fields})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", headers=headers)
