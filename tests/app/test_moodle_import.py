"""Moodle files through the upload form and the command line; the Topics page."""

from __future__ import annotations

import html
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp.extensions import db
from quizapp.models import Assignment, Question, Role, Topic
from tests.app.factories import add_students, login_as, make_assignment, make_class
from tests.app.pages import main_text, post_file

FIXTURES = Path(__file__).parent.parent / "domain" / "fixtures"
XML = (FIXTURES / "resistance.moodle.xml").read_bytes()
GIFT_WITHOUT_CATEGORY = "::q-no-cat:: In which port did the Huáscar serve? {=Callao}\n".encode()


def import_file(client: FlaskClient, content: bytes, name: str, **fields: str) -> TestResponse:
    return post_file(client, "/teach/questions/import", (content, name), **fields)


def page_text(response: TestResponse) -> str:
    """The page's <main> as the reader sees it: tags dropped, white space collapsed, entities read."""
    return html.unescape(main_text(response))


def topic_named(slug: str) -> Topic | None:
    db.session.expire_all()
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def question_count(slug: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Question).join(Topic).where(Topic.slug == slug)) or 0


def test_moodle_xml_upload_lists_new_topics_and_skipped_questions_then_imports(client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    dry_run = import_file(client, XML, "resistance.xml", skip_unsupported="y")
    text = page_text(dry_run)
    assert dry_run.status_code == 200
    assert "New topic the import creates: Líderes ( lideres )." in text
    assert "Question 6 (quiz/question[7]): an essay 'occupation'" in text
    assert "recognized Which countries recognized García Calderón?" in text  # an HTML prompt shown as its text
    assert topic_named("lideres") is None  # a dry run writes nothing
    token = dry_run.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/teach/questions/import/confirm", data={"token": token}).status_code == 302
    topic = topic_named("lideres")
    assert topic is not None and topic.name == "Líderes"
    assert question_count("lideres") == 5


def test_an_essay_refuses_the_file_unless_skipped(client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    response = import_file(client, XML, "resistance.xml")
    assert response.status_code == 422
    assert "Question 6 (quiz/question[7]): an essay 'occupation' cannot be graded automatically" in page_text(response)


def test_a_file_without_categories_goes_to_the_topic_chosen(client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    refused = import_file(client, GIFT_WITHOUT_CATEGORY, "q.gift")
    assert refused.status_code == 422
    assert "Line 1: This question and those after it are in no category" in page_text(refused)
    accepted = import_file(client, GIFT_WITHOUT_CATEGORY, "q.gift", topic="events")
    assert accepted.status_code == 200
    assert "1 to add" in page_text(accepted)
    assert import_file(client, GIFT_WITHOUT_CATEGORY, "q.gift", topic="no-such-topic").status_code == 422


def test_hostile_xml_upload_gets_a_message_not_an_error(client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    bomb = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "a"><!ENTITY b "&a;&a;">]><quiz>&b;</quiz>'
    response = import_file(client, bomb, "bomb.xml")
    assert response.status_code == 422
    assert "The XML declares a document type or entities" in page_text(response)


def test_cli_import_with_topic_and_skip_unsupported(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "moodle.txt"
    path.write_text(GIFT_WITHOUT_CATEGORY.decode() + "\n::essay:: Describe Lima. {}\n", encoding="utf-8")
    refused = runner.invoke(args=["bank", "import", str(path), "--topic", "events"])
    assert refused.exit_code == 1
    assert "line 3: the essay question 'essay' cannot be graded automatically" in refused.output
    dry_run = runner.invoke(args=["bank", "import", str(path), "--topic", "Key dates!", "--dry-run"])
    assert dry_run.exit_code == 2 and "--topic: topic 'Key dates!' is not a topic slug" in dry_run.output
    result = runner.invoke(args=["bank", "import", str(path), "--topic", "naval", "--skip-unsupported"])
    assert result.exit_code == 0, result.output
    assert "new topic naval (Naval)" in result.output
    assert "skipped line 3: the essay question 'essay'" in result.output
    assert question_count("naval") == 1


def test_cli_reads_moodle_xml_by_its_extension(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "resistance.xml"
    path.write_bytes(XML)
    result = runner.invoke(args=["bank", "import", str(path), "--skip-unsupported", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: 5 to add, 0 to update, 0 unchanged. Nothing was written." in result.output


def test_topics_page_lists_adds_renames_and_merges(client: FlaskClient) -> None:
    teacher = login_as(client, Role.TEACHER)
    assert 'href="/teach/topics"' in client.get("/teach/questions").get_data(as_text=True)
    listing = page_text(client.get("/teach/topics"))
    assert f"Leaders leaders {question_count('leaders')} 0" in listing
    assert client.post("/teach/topics", data={"name": "Naval war"}).status_code == 302
    assert topic_named("naval-war") is not None
    again = client.post("/teach/topics", data={"name": "Naval  war"})
    assert again.status_code == 422
    assert "There is already a topic 'naval-war'; rename or merge it instead." in page_text(again)
    assert client.post("/teach/topics", data={"name": ""}).status_code == 422
    assert client.post("/teach/topic/naval-war/rename", data={"name": "The war at sea"}).status_code == 302
    assert topic_named("naval-war").name == "The war at sea"
    assert client.post("/teach/topic/naval-war/rename", data={"name": " "}).status_code == 422
    assert client.get("/teach/topic/nothing").status_code == 404

    school_class = make_class(teacher)
    add_students(school_class, 1)
    assignment = make_assignment(school_class, topics=("leaders", "events"))
    moved = question_count("leaders")
    assert client.post("/teach/topic/leaders/merge", data={"into": "naval-war"}).status_code == 302
    assert topic_named("leaders") is None
    assert question_count("naval-war") == moved
    db.session.expire_all()
    assert db.session.get(Assignment, assignment.id).topics == ["events", "naval-war"]
    refused = client.post("/teach/topic/events/merge", data={"into": "events"})
    assert refused.status_code == 422 and "Choose a topic." in page_text(refused)


def test_skipped_questions_are_listed_in_the_teacher_s_language(client: FlaskClient) -> None:
    login_as(client, Role.TEACHER)
    client.post("/language", data={"language": "es"})
    text = page_text(import_file(client, XML, "resistance.xml", skip_unsupported="y"))
    assert "Omitida: 1 pregunta que no se puede calificar automáticamente" in text
    assert "Pregunta 6 (quiz/question[7]): un ensayo 'occupation'" in text
