"""Building the bank stores each question's Spanish version with it, and only a change makes a new version."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from quizapp.domain.facts import load_facts
from quizapp.domain.generate import generate_questions
from quizapp.domain.languages import Language
from quizapp.domain.questions import text_as_json
from quizapp.extensions import db
from quizapp.models import Question, QuestionVersion
from quizapp.services import bank

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
QUESTION_ID = "event:battle-of-huamachuco:when"


def drafts_of(app: Flask) -> list:
    return generate_questions(load_facts(Path(app.config["QUESTIONS_DIR"])))


def version_count() -> int:
    return db.session.scalar(select(func.count()).select_from(QuestionVersion)) or 0


def test_build_stores_the_language_and_the_spanish_version(empty_app: Flask) -> None:
    drafts = drafts_of(empty_app)
    bank.build_bank(db.session, drafts, NOW)
    db.session.commit()
    version = db.session.get(Question, QUESTION_ID).current
    assert version.language is Language.ENGLISH
    assert version.prompt == "On what date did the Battle of Huamachuco take place?"
    assert version.translations == {
        "es": {
            "prompt": "¿En qué fecha tuvo lugar la batalla de Huamachuco?",
            "answer": "10 de julio de 1883",
            "accepted_answers": [],
            "options": [],
            "explanation": (
                "La batalla de Huamachuco tuvo lugar el 10 de julio de 1883 en Huamachuco. Cáceres, para entonces "
                "muy popular y apoyado por Arequipa, la Iglesia y Bolivia, fue derrotado, lo que abrió debates "
                "dentro del gobierno de Arequipa."
            ),
            "details": {},
        }
    }
    assert version.text_in(Language.SPANISH).prompt == "¿En qué fecha tuvo lugar la batalla de Huamachuco?"
    # Every generated question has its Spanish (JSON has no equality on PostgreSQL: compared here).
    assert all(db.session.scalars(select(QuestionVersion.translations)))


def test_a_rebuild_with_the_same_drafts_makes_no_version(app: Flask) -> None:
    before = version_count()
    report = bank.build_bank(db.session, drafts_of(app), NOW)
    db.session.commit()
    assert (report.created, report.updated, report.unchanged) == ([], [], len(drafts_of(app)))
    assert version_count() == before


def test_a_change_to_the_spanish_text_alone_makes_a_new_version(app: Flask) -> None:
    drafts = drafts_of(app)
    index = next(position for position, draft in enumerate(drafts) if draft.id == QUESTION_ID)
    draft = drafts[index]
    spanish = replace(draft.translations[Language.SPANISH], explanation="Cáceres fue derrotado en Huamachuco.")
    changed = replace(draft, translations={Language.SPANISH: spanish})
    report = bank.build_bank(db.session, [*drafts[:index], changed, *drafts[index + 1 :]], NOW)
    db.session.commit()
    assert report.updated == [QUESTION_ID]
    assert report.cards_restarted == 0
    question = db.session.get(Question, QUESTION_ID)
    assert question.version == 2
    assert question.current.prompt == draft.prompt
    assert question.current.translations == {"es": text_as_json(spanish)}
