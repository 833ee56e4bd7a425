"""The yardstick of benchmarks.against_bare: bare routes that work on the app's real schema, and the section
written in place in docs/BENCHMARKS.md."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from benchmarks import datasets
from benchmarks.against_bare import SECTION_END, SECTION_START, replace_section
from benchmarks.bare_flask import READ_PATH, WRITE_PATH, create_app
from benchmarks.request_cost import ACTIONS
from benchmarks.scenario import prepare, written
from benchmarks.web import InProcessClient
from quizapp.demo import DEMO_PASSWORD
from quizapp.extensions import db
from tests.app.factories import card_of, log_count, make_review_card, make_user, new_card_order

REVIEWED = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_the_bare_read_and_write_run_on_the_migrated_schema(app: Flask):
    student = make_user()
    question = new_card_order()[0]
    make_review_card(student, question, last_review=REVIEWED, stability=3.0)
    db.session.commit()
    bare = create_app(app.config["SQLALCHEMY_DATABASE_URI"]).test_client()

    read = bare.get(READ_PATH.format(user_id=student.id))
    assert read.status_code == 200
    assert "2026-03-05" in read.get_data(as_text=True)  # due 3 days after the review

    written = bare.post(WRITE_PATH.format(user_id=student.id))
    assert written.status_code == 302
    db.session.expire_all()
    assert log_count(student) == 1
    assert card_of(student, question.id).reviews == 2


def test_the_section_replaces_the_one_between_its_markers(tmp_path):
    document = tmp_path / "BENCHMARKS.md"
    around = "# Benchmarks\n\n{}\n\n## 3. Next\n"
    document.write_text(around.format(f"{SECTION_START}\nold\n{SECTION_END}"), encoding="utf-8")
    replace_section(document, f"{SECTION_START}\nnew\n{SECTION_END}")
    assert document.read_text(encoding="utf-8") == around.format(f"{SECTION_START}\nnew\n{SECTION_END}")


def test_the_section_is_appended_where_there_is_none(tmp_path):
    document = tmp_path / "BENCHMARKS.md"
    document.write_text("# Benchmarks\n", encoding="utf-8")
    replace_section(document, f"{SECTION_START}\nnew\n{SECTION_END}")
    assert document.read_text(encoding="utf-8") == f"# Benchmarks\n\n{SECTION_START}\nnew\n{SECTION_END}\n"


def test_every_benchmarked_request_answers_as_expected_on_a_small_school(tmp_path):
    """The benchmarks drive the app through its services and pages: they must follow its changes."""
    url = datasets.sqlite_url(tmp_path / "school.sqlite3")
    datasets.build(url, 200, 1, say=lambda line: None, students=4)
    place = prepare(url, [0], 60)
    app = datasets.bench_app(url)
    student, teacher = InProcessClient(app), InProcessClient(app)
    student.login(place.students[0].username, DEMO_PASSWORD)
    teacher.login(place.teacher, DEMO_PASSWORD)
    seated = place.students[0]
    answer = next(action for action in ACTIONS if action.name.startswith("Quiz: answer"))
    reviews_before, answers_before = written(url, [seated.id])
    for _ in range(3):
        for action in ACTIONS:
            reply = action.send(teacher if action.as_teacher else student, place, seated)
            assert reply.status == action.status, (action.name, reply.body[:300])
    answered = 3
    while seated.answers:  # every prepared answer, questions of every type among them
        assert answer.send(student, place, seated).status == answer.status
        answered += 1
    # Each grade and answer is recorded: the load test counts a 302 without its review as a lost write.
    assert written(url, [seated.id]) == (reviews_before + 3 + answered, answers_before + answered)
