"""Building the whole generated bank, and importing a 10,000-question file through the import service."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.datasets import bench_app, migrate_quietly
from quizapp.domain.facts import load_facts
from quizapp.domain.formats import FORMATS
from quizapp.domain.generate import generate_questions
from quizapp.domain.questions import QuestionDraft
from quizapp.extensions import db
from quizapp.services import bank


@dataclass(frozen=True)
class BankTimes:
    questions: int
    generate_seconds: float  # facts -> drafts, no database
    write_seconds: float  # build_bank and commit

    @property
    def total(self) -> float:
        return self.generate_seconds + self.write_seconds


@dataclass(frozen=True)
class ImportTimes:
    questions: int
    file_bytes: int
    parse_seconds: float
    plan_seconds: float
    apply_seconds: float  # apply_import and commit
    added: int

    @property
    def total(self) -> float:
        return self.parse_seconds + self.plan_seconds + self.apply_seconds


def import_file(drafts: list[QuestionDraft], count: int, path: Path) -> Path:
    """Write ``count`` new questions as quizapp JSON: bank questions reworded as practice sets."""
    rows = []
    for number in range(count):
        model = drafts[number % len(drafts)]
        rows.append(
            replace(
                model, id=f"t-import-{number:05d}", prompt=f"Import set {number // len(drafts) + 1}: {model.prompt}"
            )
        )
    path.write_text(FORMATS["json"].emit(rows), encoding="utf-8")
    return path


def build_and_import(url: str, count: int, workdir: Path) -> tuple[BankTimes, ImportTimes]:
    """On an empty database: migrate, time the bank build, then time importing ``count`` questions."""
    app = bench_app(url)
    with app.app_context():
        migrate_quietly()
        started = time.perf_counter()
        drafts = generate_questions(load_facts(Path(app.config["QUESTIONS_DIR"])))
        generated = time.perf_counter()
        report = bank.build_bank(db.session, drafts, datetime.now(UTC))
        db.session.commit()
        built = time.perf_counter()
        bank_times = BankTimes(len(report.created), generated - started, built - generated)

        path = import_file(drafts, count, workdir / f"import-{count}.json")
        started = time.perf_counter()
        parsed = FORMATS["json"].parse(path.read_text(encoding="utf-8"), path.name)
        was_parsed = time.perf_counter()
        plan = bank.plan_import(db.session, parsed)
        planned = time.perf_counter()
        if not plan.ok:
            raise RuntimeError(f"the import file has problems: {plan.problems[:3]}")
        result = bank.apply_import(db.session, plan, None, datetime.now(UTC))
        db.session.commit()
        applied = time.perf_counter()
        import_times = ImportTimes(
            count, path.stat().st_size, was_parsed - started, planned - was_parsed, applied - planned, len(result.added)
        )
        db.session.remove()
        db.engine.dispose()
    return bank_times, import_times
