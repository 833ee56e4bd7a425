"""Each CLI command, through Flask's CLI runner."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import yaml
from flask import Flask
from sqlalchemy import func, select

from quizapp.domain.facts import load_facts
from quizapp.domain.generate import generate_questions
from quizapp.domain.questions import QuestionType
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import Question, QuestionVersion, ReviewCard, ReviewSource, Role, Status, User
from quizapp.services import bank
from quizapp.services.accounts import TOO_EASY, authenticate
from quizapp.services.reviews import record_review
from tests.app.factories import make_user

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _snapshot() -> list[tuple]:
    return list(
        db.session.execute(
            select(Question.id, Question.status, Question.version, Question.updated_at).order_by(Question.id)
        )
    )


def test_build_creates_every_generated_question(empty_app: Flask) -> None:
    result = empty_app.test_cli_runner().invoke(args=["bank", "build"])
    assert result.exit_code == 0, result.output
    expected = generate_questions(load_facts(Path(empty_app.config["QUESTIONS_DIR"])))
    assert f"created {len(expected)}," in result.output
    assert db.session.scalar(select(func.count()).select_from(Question)) == len(expected)


def test_build_twice_changes_nothing_the_second_time(app: Flask) -> None:
    before = _snapshot()
    versions_before = db.session.scalar(select(func.count()).select_from(QuestionVersion))
    result = app.test_cli_runner().invoke(args=["bank", "build"])
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, retired 0, restored 0" in result.output
    assert "students' cards restarted 0" in result.output
    db.session.expire_all()
    assert _snapshot() == before
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == versions_before


def test_question_of_a_removed_fact_is_retired_not_deleted(app: Flask) -> None:
    drafts = generate_questions(load_facts(Path(app.config["QUESTIONS_DIR"])))
    removed = drafts[0]
    report = bank.build_bank(db.session, drafts[1:], NOW)
    db.session.commit()
    assert report.retired == [removed.id]
    assert db.session.get(Question, removed.id).status == Status.RETIRED
    report = bank.build_bank(db.session, drafts, NOW)
    db.session.commit()
    assert report.restored == [removed.id]
    assert db.session.get(Question, removed.id).status == Status.ACTIVE


def test_changed_wording_adds_a_version_and_keeps_the_id(app: Flask) -> None:
    drafts = generate_questions(load_facts(Path(app.config["QUESTIONS_DIR"])))
    from dataclasses import replace

    changed = replace(drafts[0], explanation=drafts[0].explanation + " More context.")
    report = bank.build_bank(db.session, [changed, *drafts[1:]], NOW)
    db.session.commit()
    assert report.updated == [changed.id]
    question = db.session.get(Question, changed.id)
    assert question.version == 2
    assert [version.number for version in question.versions] == [1, 2]
    assert question.current.explanation.endswith("More context.")


def copy_facts(app: Flask, tmp_path: Path) -> Path:
    """A copy of the fact files the app builds from, to edit; the app now uses it."""
    directory = tmp_path / "questions"
    shutil.copytree(Path(app.config["QUESTIONS_DIR"]), directory)
    app.config["QUESTIONS_DIR"] = str(directory)
    return directory


def edit_entry(directory: Path, file: str, section: str, key: str, **fields: object) -> None:
    """Change (or, with value None, remove) fields of one fact, keeping the file valid YAML."""
    path = directory / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(item for item in data[section] if item["key"] == key)
    for name, value in fields.items():
        if value is None:
            entry.pop(name, None)
        else:
            entry[name] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def remove_entry(directory: Path, file: str, section: str, key: str) -> None:
    path = directory / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[section] = [item for item in data[section] if item["key"] != key]
    for item in data[section]:  # nothing may point at it any more
        for name in ("led_to",):
            if key in item.get(name, []):
                item[name] = [other for other in item[name] if other != key] or None
                if item[name] is None:
                    del item[name]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_broken_facts_file_gives_a_clear_error_and_writes_nothing(empty_app: Flask, tmp_path: Path) -> None:
    events = copy_facts(empty_app, tmp_path) / "events.yaml"
    text = events.read_text(encoding="utf-8").replace('date: "1883-10-20"', 'date: "1883-13-20"', 1)
    events.write_text(text, encoding="utf-8")
    result = empty_app.test_cli_runner().invoke(args=["bank", "build"])
    assert result.exit_code != 0
    assert "events.yaml" in result.output and "1883-13-20" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_a_bank_failing_the_verifier_is_not_written(empty_app: Flask, tmp_path: Path) -> None:
    directory = copy_facts(empty_app, tmp_path)
    edit_entry(
        directory, "events.yaml", "events", "treaty-of-ancon", description="According to the infobox, peace came."
    )
    result = empty_app.test_cli_runner().invoke(args=["bank", "build"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: the bank fails the verifier with ") and lines[0].endswith("nothing was written:")
    assert (
        "  questions/events.yaml: event 'treaty-of-ancon', template 'when', rule editorial-text: "
        "the explanation speaks about the source: 'According to'"
    ) in lines
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_check_passes_the_real_bank_and_writes_nothing(empty_app: Flask) -> None:
    result = empty_app.test_cli_runner().invoke(args=["bank", "check"])
    assert result.exit_code == 0, result.output
    expected = len(generate_questions(load_facts(Path(empty_app.config["QUESTIONS_DIR"]))))
    assert result.output == f"{expected} generated questions pass every rule; 0 warnings on teachers' questions.\n"
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_check_lists_findings_and_fails(app: Flask, tmp_path: Path) -> None:
    directory = copy_facts(app, tmp_path)
    edit_entry(directory, "names.yaml", "names", "picuy", description="The article gives him the nickname Picuy.")
    result = app.test_cli_runner().invoke(args=["bank", "check"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].endswith("bank build would refuse it:")
    assert (
        "  questions/names.yaml: name 'picuy', template 'name', rule editorial-text: "
        "the explanation speaks about the source: 'article'"
    ) in result.output.splitlines()


def test_check_warns_about_teachers_questions_without_failing(app: Flask) -> None:
    generated = db.session.get(Question, "event:treaty-of-ancon:when")
    draft = bank.to_draft(generated)
    from dataclasses import replace

    bank.add_teacher_question(db.session, replace(draft, id="t-twin", prompt=draft.prompt.upper()), None)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["bank", "check"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: question 't-twin', rule duplicate: another active question asks the same: event:treaty-of-ancon:when"
    ) in result.output
    assert result.output.endswith("1 warning on teachers' questions.\n")


def test_rebuilding_after_facts_change_keeps_history_honest(app: Flask, tmp_path: Path) -> None:
    """Unchanged facts keep their questions as they were; a changed answer is a new version whose cards
    restart; a removed fact's questions are retired, not deleted."""
    directory = copy_facts(app, tmp_path)
    student = make_user()
    reviewed = datetime(2024, 5, 1, 12, tzinfo=UTC)
    kept, changed, removed = (
        "event:battle-of-huamachuco:when",
        "event:montero-moves-to-huaraz:when",
        "event:attack-at-chincha:when",
    )
    for question_id in (kept, changed, removed):
        record_review(db.session, student, question_id, Rating.Good, reviewed, source=ReviewSource.FLASHCARD)
    db.session.commit()
    versions_before = {q.id: q.version for q in db.session.scalars(select(Question))}

    edit_entry(directory, "events.yaml", "events", "montero-moves-to-huaraz", date="1882-07")
    remove_entry(directory, "events.yaml", "events", "attack-at-chincha")
    result = app.test_cli_runner().invoke(args=["bank", "build"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()

    assert db.session.get(Question, kept).version == versions_before[kept]
    kept_card = db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == kept))
    assert kept_card.last_review is not None
    question = db.session.get(Question, changed)
    assert question.version == versions_before[changed] + 1 and question.current.answer == "July 1882"
    assert [version.answer for version in question.versions] == ["June 1882", "July 1882"]
    changed_card = db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == changed))
    assert (changed_card.state, changed_card.last_review, changed_card.version) == ("learning", None, 2)
    assert "students' cards restarted 1" in result.output
    gone = db.session.get(Question, removed)
    assert gone.status == Status.RETIRED and len(gone.versions) == 1
    assert db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == removed)) is not None


def test_export_json_lists_every_active_question(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "bank.json"
    result = app.test_cli_runner().invoke(args=["bank", "export", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text(encoding="utf-8"))
    active = db.session.scalar(select(func.count()).select_from(Question).where(Question.status == Status.ACTIVE))
    assert len(exported) == active
    required = {"id", "topic", "type", "prompt", "answer", "accepted_answers", "options", "explanation", "source"}
    for entry in exported:
        assert required <= entry.keys()
        assert entry["type"] in {question_type.value for question_type in QuestionType}
        if entry["type"] == "multiple_choice":
            assert entry["answer"] in entry["options"] and len(entry["options"]) == 4
    assert any(entry["answer"] == "20 October 1883" for entry in exported)


def test_export_to_stdout_round_trips_through_the_json_parser(app: Flask) -> None:
    from quizapp.domain.formats import FORMATS

    result = app.test_cli_runner().invoke(args=["bank", "export"])
    assert result.exit_code == 0
    parsed = FORMATS["json"].parse(result.output)
    assert parsed == bank.drafts_of(bank.active_questions(db.session))


def test_stats_counts_by_topic_and_type(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["bank", "stats"])
    assert result.exit_code == 0
    rows = bank.counts_by_topic_and_type(db.session)
    for topic, kind, count in rows:
        assert any(line.split() == [topic, kind, str(count)] for line in result.output.splitlines())
    total = sum(count for _, _, count in rows)
    assert result.output.splitlines()[-1].split() == ["total", str(total)]
    assert {topic for topic, _, _ in rows} == {"dates", "leaders", "recognitions", "people", "events"}


def test_users_create_reads_the_password_from_stdin(empty_app: Flask) -> None:
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Profe", "--role", "teacher"], input="a long password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "profe"))
    assert user.role == Role.TEACHER
    assert user.password_hash != "a long password"
    assert user.timezone == "UTC"


def test_users_create_sets_the_time_zone(empty_app: Flask) -> None:
    runner = empty_app.test_cli_runner()
    args = ["users", "create", "profe", "--role", "teacher", "--timezone", "America/Lima"]
    result = runner.invoke(args=args, input="a long password\n")
    assert result.exit_code == 0 and "(America/Lima)" in result.output
    assert db.session.scalar(select(User.timezone).where(User.username == "profe")) == "America/Lima"
    unknown = runner.invoke(args=["users", "create", "otra", "--timezone", "Lima"], input="a long password\n")
    assert unknown.exit_code == 1 and "Unknown time zone 'Lima'" in unknown.output and "Traceback" not in unknown.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_users_create_refuses_bad_input_clearly(empty_app: Flask) -> None:
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["users", "create", "ana"], input="long enough pw\n").exit_code == 0
    taken = runner.invoke(args=["users", "create", "ANA"], input="long enough pw\n")
    assert taken.exit_code == 1 and "already taken" in taken.output
    short = runner.invoke(args=["users", "create", "bea"], input="short\n")
    assert short.exit_code == 1 and "at least 8" in short.output
    guessable = runner.invoke(args=["users", "create", "bea"], input="bea12345\n")
    assert guessable.exit_code == 1 and TOO_EASY in guessable.output and "Traceback" not in guessable.output
    bad_role = runner.invoke(args=["users", "create", "cid", "--role", "admin"], input="long enough pw\n")
    assert bad_role.exit_code == 2 and "admin" in bad_role.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_users_reset_password_changes_it_and_ends_old_sessions(empty_app: Flask) -> None:
    runner = empty_app.test_cli_runner()
    runner.invoke(args=["users", "create", "ana"], input="first password\n")
    token_before = db.session.scalar(select(User.session_token).where(User.username == "ana"))
    result = runner.invoke(args=["users", "reset-password", "Ana"], input="second password\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "ana"))
    assert user.session_token != token_before
    assert authenticate(db.session, "ana", "second password") == user
    assert authenticate(db.session, "ana", "first password") is None


def test_users_reset_password_refuses_unknown_users_and_weak_passwords(empty_app: Flask) -> None:
    runner = empty_app.test_cli_runner()
    unknown = runner.invoke(args=["users", "reset-password", "ghost"], input="second password\n")
    assert unknown.exit_code == 1 and "no user named 'ghost'" in unknown.output
    runner.invoke(args=["users", "create", "ana"], input="first password\n")
    weak = runner.invoke(args=["users", "reset-password", "ana"], input="password\n")
    assert weak.exit_code == 1 and f"{TOO_EASY} This is a top-10 common password." in weak.output
    assert authenticate(db.session, "ana", "first password") is not None
