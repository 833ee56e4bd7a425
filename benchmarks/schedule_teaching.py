"""Does the schedule teach? Simulated students study 20 minutes a day through the services, under three schedulers.

    .venv/bin/python -m benchmarks.schedule_teaching            # 3 students a model, 60 days (10-15 minutes)
    .venv/bin/python -m benchmarks.schedule_teaching --quick    # 1 student a model, 6 days (under a minute)

Each simulated student has a known memory (:mod:`benchmarks.teaching.memory`)
and studies the generated bank as flashcards, every day at their own hour, on
a database file of their own (migrated, with the bank built): while the 20
minutes last, ``study.remaining_counts``, ``study.next_card``, the true
recall draw, then ``study.grade`` (Good if recalled, Again if not) with the
simulated answer time, and a commit, as the study page does. When nothing is
due but a card comes due before the 20 minutes end, the student waits for it,
and the wait counts in the 20 minutes. The clock is simulated; the account
has the app's defaults (20 new cards a day, 200 reviews, desired retention 0.9).

The same students, with the same draws, study once under the app's FSRS, once
under SM-2 and once under fixed intervals (:mod:`benchmarks.teaching.schedulers`).
At the end, the morning after the last day at the student's hour, the true
recall of every question studied is read from the model.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks.datasets import bench_app, migrate_quietly, sqlite_url
from benchmarks.teaching.memory import MODELS, SimulatedStudent
from benchmarks.teaching.schedulers import DRILL_STEP, FIXED_DAYS, SCHEDULERS, scheduled_by
from quizapp.domain.facts import load_facts
from quizapp.domain.generate import generate_questions
from quizapp.domain.scheduling import Rating
from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import accounts, bank, study

STUDY_TIME = timedelta(minutes=20)
FIRST_DAY = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)  # each student sits down at their own minute after it
RETAINED_RECALL = 0.9
PASSWORD = "simulated student studies daily"  # strong enough for accounts.create_user
SEED = 20260105


@dataclass(frozen=True)
class Options:
    students: int  # under each memory model
    days: int
    memories: tuple[str, ...] = tuple(MODELS)
    seed: int = SEED
    workers: int = os.cpu_count() or 1


def options_for(quick: bool) -> Options:
    return Options(students=1, days=6) if quick else Options(students=3, days=60)


@dataclass
class Tally:
    """What one student did under one scheduler, added up day by day.

    Attributes:
        reviews: grades given, first sights and same-day steps included.
        learned_reviews: reviews of cards in the Review state (learned, shown when the schedule said).
        learned_recall_sum: the true recall when shown, summed over those reviews.
        at_screen: time at the study screen, waits for a learning step included.
        days_cut_short: days the 20 minutes ended with cards still to study.
    """

    reviews: int = 0
    learned_reviews: int = 0
    learned_recall_sum: float = 0.0
    at_screen: timedelta = timedelta(0)
    days_cut_short: int = 0


@dataclass(frozen=True)
class StudentRun:
    """One student under one scheduler, at the end.

    Attributes:
        studied: questions met (new cards shown).
        retained: questions studied whose true recall at the end is at least 0.9.
        recall_sum: the true recall at the end, summed over the questions studied.
    """

    memory: str
    scheduler: str
    student: int
    studied: int
    retained: int
    recall_sum: float
    tally: Tally
    seconds: float


def build_template(path: Path) -> int:
    """A migrated database with the generated bank at ``path``; the number of questions."""
    app = bench_app(sqlite_url(path))
    with app.app_context():
        migrate_quietly()
        drafts = generate_questions(load_facts(Path(app.config["QUESTIONS_DIR"])))
        report = bank.build_bank(db.session, drafts, FIRST_DAY - timedelta(days=1))
        db.session.commit()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return len(report.created)


def sit(session: Session, user: User, student: SimulatedStudent, start: datetime, tally: Tally) -> None:
    """One day's sitting from ``start``, as the study page runs it, added to ``tally``."""
    now, end = start, start + STUDY_TIME
    while now < end:
        remaining = study.remaining_counts(session, user, now)
        card = study.next_card(session, user, now, remaining)
        if card is None:
            if remaining.next_due is None or remaining.next_due >= end:
                tally.at_screen += now - start
                return
            now = remaining.next_due  # a learning step comes due within the sitting: wait for it
            continue
        answer = student.answer(card.question.id, now)
        if card.card is not None and card.card.state == "review":
            tally.learned_reviews += 1
            tally.learned_recall_sum += answer.probability
        took = timedelta(seconds=answer.seconds)
        now += took
        rating = Rating.Good if answer.recalled else Rating.Again
        outcome = study.grade(session, user, card.question.id, rating, card.card_version, now, took)
        if outcome != study.GradeOutcome.RECORDED:
            raise RuntimeError(f"grade of {card.question.id} not recorded: {outcome}")
        session.commit()
        tally.reviews += 1
    tally.at_screen += now - start
    tally.days_cut_short += study.remaining_counts(session, user, now).total > 0


def run_student(template: Path, workdir: Path, memory: str, scheduler: str, index: int, options: Options) -> StudentRun:
    """Student ``index`` studies ``options.days`` days under ``scheduler`` on a copy of ``template``."""
    started = time.perf_counter()
    path = workdir / f"{memory}-{scheduler.split()[0].lower()}-{index:03d}.sqlite3"
    url = sqlite_url(path)  # clears what an earlier run left
    shutil.copyfile(template, path)
    student = SimulatedStudent(options.seed, index, memory)
    first_sitting = FIRST_DAY + timedelta(minutes=(37 * index) % 180)
    tally = Tally()
    app = bench_app(url)
    with app.app_context(), scheduled_by(SCHEDULERS[scheduler]):
        user = accounts.create_user(db.session, f"student{index:03d}", PASSWORD)
        db.session.commit()
        for day in range(options.days):
            sit(db.session, user, student, first_sitting + timedelta(days=day), tally)
        db.session.remove()
        db.engine.dispose()
    sqlite_url(path)  # removes the database and its journal files
    end = first_sitting + timedelta(days=options.days)
    recalls = [student.recall_probability(question_id, end) for question_id in student.memories]
    return StudentRun(
        memory=memory,
        scheduler=scheduler,
        student=index,
        studied=len(recalls),
        retained=sum(recall >= RETAINED_RECALL for recall in recalls),
        recall_sum=sum(recalls),
        tally=tally,
        seconds=time.perf_counter() - started,
    )


def simulate(options: Options, workdir: Path, say: Callable[[str], None] = print) -> tuple[list[StudentRun], int]:
    """Every student under every scheduler, ``options.workers`` at a time; the runs and the bank's size."""
    workdir.mkdir(parents=True, exist_ok=True)
    template = workdir / "template.sqlite3"
    questions = build_template(template)
    tasks = [
        (memory, scheduler, index)
        for memory in options.memories
        for index in range(options.students)
        for scheduler in SCHEDULERS
    ]
    runs = []
    with ProcessPoolExecutor(max_workers=options.workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(run_student, template, workdir, *task, options) for task in tasks]
        for future in futures:
            run = future.result()
            say(
                f"  {run.memory} student {run.student}, {run.scheduler}: {run.tally.reviews} reviews, "
                f"{run.retained} of {run.studied} retained ({run.seconds:.0f} s)"
            )
            runs.append(run)
    sqlite_url(template)
    return runs, questions


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """One scheduler's runs under one memory model, summed over the students."""

    scheduler: str
    runs: list[StudentRun]

    def studied(self) -> int:
        return sum(run.studied for run in self.runs)

    def retained(self) -> int:
        return sum(run.retained for run in self.runs)

    def reviews(self) -> int:
        return sum(run.tally.reviews for run in self.runs)

    def per_student(self, total: float) -> float:
        return total / len(self.runs)

    def reviews_per_retained(self) -> float:
        return self.reviews() / max(self.retained(), 1)

    def retained_share(self) -> float:
        return self.retained() / max(self.studied(), 1)

    def mean_recall(self) -> float:
        return sum(run.recall_sum for run in self.runs) / max(self.studied(), 1)

    def recall_when_reviewed(self) -> float:
        learned = sum(run.tally.learned_reviews for run in self.runs)
        return sum(run.tally.learned_recall_sum for run in self.runs) / max(learned, 1)

    def minutes_a_day(self, days: int) -> float:
        return sum(run.tally.at_screen.total_seconds() for run in self.runs) / 60 / (len(self.runs) * days)

    def days_cut_short(self) -> float:
        return self.per_student(sum(run.tally.days_cut_short for run in self.runs))


def by_scheduler(runs: Sequence[StudentRun], memory: str) -> list[Totals]:
    """FSRS first, then the alternatives, under one memory model."""
    return [
        Totals(name, [run for run in runs if run.memory == memory and run.scheduler == name]) for name in SCHEDULERS
    ]


def _ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}" if reference else "–"


def table(totals: list[Totals], days: int) -> list[str]:
    """The schedulers side by side: means per student, ratios of totals to FSRS's."""
    fsrs = totals[0]
    lines = [
        "| Scheduler | New cards met | Reviews | Retained (recall ≥ 0.9) | Share of studied retained "
        "| Mean true recall | Reviews per retained fact | Retained ÷ FSRS | Reviews per retained ÷ FSRS "
        "| True recall at reviews of learned cards | Minutes a day | Days cut short |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for each in totals:
        lines.append(
            f"| {each.scheduler} | {each.per_student(each.studied()):.0f} | {each.per_student(each.reviews()):,.0f} "
            f"| {each.per_student(each.retained()):.0f} | {each.retained_share():.1%} "
            f"| {each.mean_recall():.3f} | {each.reviews_per_retained():.2f} "
            f"| {_ratio(each.retained(), fsrs.retained())} "
            f"| {_ratio(each.reviews_per_retained(), fsrs.reviews_per_retained())} | {each.recall_when_reviewed():.3f} "
            f"| {each.minutes_a_day(days):.1f} | {each.days_cut_short():.1f} |"
        )
    return lines


def paired(totals: list[Totals]) -> list[str]:
    """Each alternative against FSRS student by student (the same students, the same draws)."""
    fsrs = {run.student: run for run in totals[0].runs}
    lines = []
    for each in totals[1:]:
        retained = [run.retained / max(fsrs[run.student].retained, 1) for run in each.runs]
        cost = [
            (run.tally.reviews / max(run.retained, 1))
            / (fsrs[run.student].tally.reviews / max(fsrs[run.student].retained, 1))
            for run in each.runs
        ]
        lines.append(
            f"- {each.scheduler} ÷ FSRS, student by student: retained {statistics.median(retained):.2f} "
            f"(median; {min(retained):.2f} to {max(retained):.2f}), reviews per retained fact "
            f"{statistics.median(cost):.2f} ({min(cost):.2f} to {max(cost):.2f}); FSRS retained more for "
            f"{sum(ratio < 1 for ratio in retained)} of {len(retained)} students."
        )
    return lines


def reading(totals: list[Totals], questions: int) -> list[str]:
    """What one model's numbers say, in sentences computed from them."""
    fsrs = totals[0]
    lines = [
        f"- FSRS's reviews of learned cards came at a true recall of {fsrs.recall_when_reviewed():.2f} on average. "
        "It aims at 0.90 but never waits less than a day, and a memory met or forgotten that day often lasts "
        "less; and a card due after the day's sitting, or when the 20 minutes are up, waits for the next one."
    ]
    for each in totals[1:]:
        lines.append(
            f"- FSRS against {each.scheduler}: {_change(fsrs.retained(), each.retained())} facts retained with "
            f"{_change(fsrs.reviews(), each.reviews())} reviews "
            f"({_change(fsrs.reviews_per_retained(), each.reviews_per_retained())} reviews per retained fact); "
            f"of the cards met, {fsrs.retained_share():.0%} retained against {each.retained_share():.0%}, mean true "
            f"recall {fsrs.mean_recall():.2f} against {each.mean_recall():.2f}."
        )
    met = [each.per_student(each.studied()) for each in totals]
    if min(met) >= 0.9 * questions:
        lines.append(
            f"- The bank holds {questions} questions and every scheduler's students met {min(met):.0f} or more of "
            "them: the bank and the new-card limit, not the 20 minutes, set how much was met, so the schedulers "
            "differ in how well they kept it."
        )
    elif min(met) < 0.9 * max(met):
        fewest = min(totals, key=lambda each: each.studied())
        lines.append(
            f"- New cards met differ: {fewest.scheduler} {fewest.per_student(fewest.studied()):.0f} a student, "
            f"up to {max(met):.0f} under another scheduler; new cards wait when the 20 minutes go to reviews "
            "(days cut short)."
        )
    return lines


NEAR_TIE = 0.05  # retained counts this close to the most are called even


def most_retained(totals: list[Totals]) -> str:
    """The scheduler that retained the most facts, or those within NEAR_TIE of it."""
    ranked = sorted(totals, key=lambda each: each.retained(), reverse=True)
    close = [each.scheduler for each in ranked if each.retained() >= (1 - NEAR_TIE) * ranked[0].retained()]
    return close[0] if len(close) == 1 else f"about even ({', '.join(close)}, within {NEAR_TIE:.0%})"


def _change(ours: float, theirs: float) -> str:
    return f"{ours / theirs - 1:+.0%}" if theirs else "–"


MODEL_NAMES = {"fsrs-like": "FSRS-6-like", "exponential": "exponential"}
MODEL_TITLES = {
    "fsrs-like": "Students whose memory follows FSRS-6's equations, each with their own parameters",
    "exponential": "Students with an exponential memory, weaker than FSRS's defaults assume",
}


def section(options: Options, workdir: Path, say: Callable[[str], None] = print) -> str:
    """The teaching section of docs/BENCHMARKS.md, simulated now."""
    started = time.perf_counter()
    runs, questions = simulate(options, workdir, say)
    minutes = (time.perf_counter() - started) / 60
    lines = [
        "## 7. Does the schedule teach?",
        "",
        "`benchmarks/schedule_teaching.py` (alone: `.venv/bin/python -m benchmarks.schedule_teaching`, "
        f"`--quick` for a small run; this run took {minutes:.1f} minutes on {options.workers} processes). "
        "Simulated students with a known memory study the generated bank "
        f"({questions} questions) as flashcards, 20 minutes a day for {options.days} days, through the services "
        "(`study.remaining_counts`, `study.next_card`, `study.grade`, a commit, as the study page does) on a "
        "SQLite file of their own, with the app's default limits (20 new cards and 200 reviews a day, desired "
        "retention 0.9) and a simulated clock. Each student studies the same way under three schedulers: the "
        "app's FSRS (default parameters, as the app runs it); SM-2 as Wozniak described it (I(1) = 1 day, "
        "I(2) = 6, then the interval × E-Factor rounded up, the E-Factor from 2.5 by the SM-2 formula, a grade "
        "below 3 starts over); fixed intervals of "
        f"{', '.join(str(days) for days in FIXED_DAYS)} days (Again starts over). SM-2 and fixed intervals "
        f"show a card answered below their bar (SM-2: below Good; fixed: Again) again {DRILL_STEP.seconds // 60} "
        "minutes later, the same day, until it is answered at the bar, as SM-2 prescribes; they replace "
        "`scheduling.review` and the study page's `preview_intervals` for the run only "
        "(`benchmarks/teaching/schedulers.py`). The students grade only Good or Again, so SM-2's E-Factor stays "
        "at 2.5 (Good, grade 4, leaves it as it is, and a grade below 3 keeps it): its intervals are 1, 6, 15, "
        "38, 95 days, from 1 again after a lapse.",
        "",
        "**The students** (`benchmarks/teaching/memory.py`). A student recalls a card with the true probability "
        "at the moment it is shown and grades Good if they recalled it, Again if not; every review shows the "
        "answer, so it is also an exposure. An answer takes about 8 s recalled and 14 s not, times the "
        "student's pace. At first sight a student knows a fact already with probability prior × 2 ÷ "
        "(1 + e^hardness), their prior up to 0.2. Questions differ in hardness (the same for everyone, plus a "
        "personal share). Draws are seeded by student, question and exposure, so the schedulers differ only in "
        "when they show cards. No scheduler is told the model. Two models of memory, the same students' seeds:",
        "",
        "- *FSRS-6-like*: FSRS-6's memory equations (power-law forgetting, stability growing with spaced "
        "recalls, same-day steps, lapses) with each student's own parameters, drawn around FSRS-6's published "
        "defaults (fitted on Anki users' reviews): initial stabilities × e^N(0, 0.5), recall growth, what a "
        "lapse keeps and the curve's decay varied; a question's hardness shifts its initial difficulty. This favours "
        "FSRS in kind: the app's scheduler assumes these very equations, only not the student's parameters.",
        "- *Exponential*: recall 0.9^(days ÷ S); first sight S = S0 × ease (S0 median 6 hours); recalled with "
        "probability p, S × (1 + G × ease × (1 − p) × S^−0.15) (G median 25); forgotten, S × L (L median "
        "0.2); ease = e^(−hardness ÷ 2). Weaker than FSRS's defaults assume (a fact seen once is recalled the "
        "next day with probability about 0.66), and same-day repetitions, recalled at a probability near 1, "
        "add almost nothing: a student FSRS's default parameters do not fit.",
        "",
        f"**Measured** the morning after day {options.days}, at the student's hour: a question is retained "
        "when its true recall then is at least 0.9. Reviews count every grade, first sights and same-day steps "
        "included. Counts are means per student; shares, means and ratios are over all the students' cards and "
        "reviews together (the ratios against FSRS's). "
        "True recall at reviews of learned cards: the mean true recall when a card in the Review state was "
        "shown, which FSRS plans to be 0.9. Minutes a day: time at the study screen, waits for a learning step "
        "included. Days cut short: days the 20 minutes ended with cards still to study.",
        "",
    ]
    for memory in options.memories:
        totals = by_scheduler(runs, memory)
        lines += [
            f"### {MODEL_TITLES[memory]} ({options.students} students)",
            "",
            *table(totals, options.days),
            "",
            *paired(totals),
            *reading(totals, questions),
            "",
        ]
    winners = {MODEL_NAMES[memory]: most_retained(by_scheduler(runs, memory)) for memory in options.memories}
    lines += [
        "**Reading.** Most facts retained: "
        + "; ".join(f"with {model} students, {winner}" for model, winner in winners.items())
        + ". The two models are plausible learners, not real students. FSRS runs here, as in the app, with its "
        "default parameters, never fitted to a student's own reviews, so how well it does depends on how close a "
        "student's memory is to those defaults; SM-2 and fixed intervals assume nothing about memory. A memory "
        "unlike both models (interference between siblings, breaks of days, quizzes besides flashcards) can "
        "change the order.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 student a memory model, 6 days")
    parser.add_argument("--students", type=int, help="students under each memory model (full run: 3)")
    parser.add_argument("--days", type=int, help="days of study (full run: 60)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/quizapp-bench/teaching"))
    arguments = parser.parse_args()
    options = options_for(arguments.quick)
    options = replace(options, students=arguments.students or options.students, days=arguments.days or options.days)
    print(section(options, arguments.workdir, say=lambda line: print(line, flush=True)))


if __name__ == "__main__":
    main()
