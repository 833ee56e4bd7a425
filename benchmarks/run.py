"""Run every benchmark and write docs/BENCHMARKS.md.

    .venv/bin/python -m benchmarks.run            # full: 1,000 vs 1,000,000 reviews (about half an hour)
    .venv/bin/python -m benchmarks.run --quick    # 1,000 vs 100,000 reviews, fewer rounds (minutes)

What it does, in order (every server it starts is on 127.0.0.1 and stopped
at the end, whatever happens):

1. seeds a small and a large SQLite database with ``flask demo seed``'s service;
2. times the main actions at both sizes, in process (Flask's test client)
   and over HTTP against gunicorn (``quizapp:create_app()``);
3. loads gunicorn with concurrent students answering quizzes, then grading
   flashcards, and checks that every write is in the database;
4. explains the main pages' queries on the large database;
5. times the bank build and a 10,000-question import;
6. repeats 1 (large only), 3, 4 and 5 on a throwaway PostgreSQL 15;
7. times the import parsers on hostile files (benchmarks.parsers);
8. simulates students studying under FSRS, SM-2 and fixed intervals (benchmarks.schedule_teaching);
9. holds the pages people wait on against bare Flask routes (benchmarks.against_bare);
10. writes the results to docs/BENCHMARKS.md (and JSON next to the databases).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import (
    against_bare,
    bank_import,
    datasets,
    parsers,
    postgres,
    query_plans,
    request_cost,
    schedule_teaching,
    throughput,
)
from benchmarks.request_cost import ACTIONS, Seat, Timing
from benchmarks.scenario import prepare
from benchmarks.server import gunicorn
from benchmarks.web import HttpClient, InProcessClient
from quizapp.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
SMALL = 1_000


@dataclass(frozen=True)
class Settings:
    quick: bool
    large: int
    rounds: int
    warmup: int
    load_clients: int
    load_per_client: int
    load_seconds: float
    gunicorn_workers: int
    gunicorn_threads: int
    import_questions: int
    seed_workers: int


def settings(quick: bool) -> Settings:
    cpus = os.cpu_count() or 1
    return Settings(
        quick=quick,
        large=100_000 if quick else 1_000_000,
        rounds=30 if quick else 200,
        warmup=5 if quick else 10,
        load_clients=8,
        load_per_client=40 if quick else 200,
        load_seconds=20.0 if quick else 60.0,
        gunicorn_workers=2 * cpus,
        gunicorn_threads=2,
        import_questions=10_000,
        seed_workers=cpus,
    )


@dataclass
class Results:
    settings: Settings
    started: str
    machine: dict[str, str] = field(default_factory=dict)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    in_process: dict[str, dict[str, Timing]] = field(default_factory=dict)
    over_http: dict[str, dict[str, Timing]] = field(default_factory=dict)
    postgres_http: dict[str, dict[str, Timing]] = field(default_factory=dict)
    load: list[dict[str, Any]] = field(default_factory=list)
    plans: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    plan_reports: dict[str, str] = field(default_factory=dict)
    bank: list[dict[str, Any]] = field(default_factory=list)
    parsers: str = ""  # the parsers' section, as benchmarks.parsers writes it
    teaching: str = ""  # the simulated students' section, as benchmarks.schedule_teaching writes it
    against_bare: str = ""  # the section benchmarks.against_bare writes
    seconds: float = 0.0


def say(line: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {line}", flush=True)


# --- the machine -----------------------------------------------------------------------------


def _first_line(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown"


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = next((line.split(":", 1)[1].strip() for line in meminfo.splitlines() if line.startswith("MemTotal")), "?")
    if memory.endswith(" kB"):
        memory = f"{int(memory[:-3]) / 1024 / 1024:.1f} GiB"
    import gunicorn as gunicorn_package
    import sqlalchemy

    return {
        "nproc": _first_line(["nproc"]),
        "cpu": model,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _first_line([str(postgres.PG_BIN / "postgres"), "--version"]),
        "sqlalchemy": sqlalchemy.__version__,
        "gunicorn": gunicorn_package.__version__,
        "load average at start": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


# --- the parts -------------------------------------------------------------------------------


def build(url: str, reviews: int, options: Settings, label: str, results: Results) -> str:
    say(f"seeding {label}: {reviews:,} reviews")
    seeded = datasets.build(url, reviews, options.seed_workers, say=lambda line: say(line))
    results.datasets.append({"label": label, **asdict(seeded)})
    say(f"seeded {label} in {seeded.seed_seconds:.1f} s")
    return url


def signed_in(client: Any, username: str) -> Any:
    client.login(username, DEMO_PASSWORD)
    return client


def in_process_costs(urls: dict[str, str], options: Settings, results: Results) -> None:
    say("request cost in process")
    per_student = 2 * (options.rounds + options.warmup) + 5
    seats = {}
    for label, url in urls.items():
        place = prepare(url, [0], per_student)
        app = datasets.bench_app(url)
        seats[label] = Seat(
            place,
            place.students[0],
            signed_in(InProcessClient(app), place.students[0].username),
            signed_in(InProcessClient(app), place.teacher),
        )
    results.in_process = request_cost.measure(seats, ACTIONS, options.rounds, options.warmup)


def http_costs(urls: dict[str, str], options: Settings, results: Results, log: Path) -> None:
    say("request cost over HTTP (gunicorn)")
    per_student = options.rounds + options.warmup + 5
    places = {label: prepare(url, [1], per_student) for label, url in urls.items()}
    with (
        gunicorn(urls["small"], workers=options.gunicorn_workers, threads=options.gunicorn_threads, log=log) as small,
        gunicorn(urls["large"], workers=options.gunicorn_workers, threads=options.gunicorn_threads, log=log) as large,
    ):
        ports = {"small": small.port, "large": large.port}
        seats = {
            label: Seat(
                place,
                place.students[0],
                signed_in(HttpClient(ports[label]), place.students[0].username),
                signed_in(HttpClient(ports[label]), place.teacher),
            )
            for label, place in places.items()
        }
        results.over_http = request_cost.measure(seats, ACTIONS, options.rounds, options.warmup)
        for seat in seats.values():
            seat.student_client.close()
            seat.teacher_client.close()


def postgres_costs(url: str, options: Settings, results: Results, log: Path) -> None:
    """The same actions over HTTP on the large PostgreSQL database (one size: no ratio, a comparison)."""
    say("request cost over HTTP on PostgreSQL")
    place = prepare(url, [1], options.rounds + options.warmup + 5)
    with gunicorn(url, workers=options.gunicorn_workers, threads=options.gunicorn_threads, log=log) as served:
        student = signed_in(HttpClient(served.port), place.students[0].username)
        teacher = signed_in(HttpClient(served.port), place.teacher)
        seat = Seat(place, place.students[0], student, teacher)
        results.postgres_http = request_cost.measure({"large": seat}, ACTIONS, options.rounds, options.warmup)
        student.close()
        teacher.close()


def load(url: str, database: str, options: Settings, results: Results, log: Path) -> None:
    per_client = options.load_per_client
    indexes = list(range(10, 10 + options.load_clients))
    place = prepare(url, indexes, per_client + 5)
    with gunicorn(url, workers=options.gunicorn_workers, threads=options.gunicorn_threads, log=log) as served:
        for kind in (throughput.QUIZ_ANSWER, throughput.GRADE):
            say(f"load on {database}: {options.load_clients} clients, {kind}")
            outcome = throughput.run_load(served.port, place, place.students, kind, per_client, options.load_seconds)
            say(
                f"  {outcome.ok} ok, {outcome.errors} errors, {outcome.per_second:.1f}/s, "
                f"lost writes {outcome.lost_writes} {outcome.first_error}"
            )
            results.load.append(
                {
                    "database": database,
                    "workers": options.gunicorn_workers,
                    "threads": options.gunicorn_threads,
                    **asdict(outcome),
                    "per_second": outcome.per_second,
                    "lost_writes": outcome.lost_writes,
                }
            )


def plans(url: str, database: str, results: Results) -> None:
    say(f"query plans on {database}")
    explained = query_plans.explain_all(url)
    results.plans[database] = query_plans.flagged(explained)
    results.plan_reports[database] = query_plans.report(explained, f"{database}")


def bank_and_import(url: str, database: str, options: Settings, workdir: Path, results: Results) -> None:
    say(f"bank build and {options.import_questions:,}-question import on {database}")
    bank_times, import_times = bank_import.build_and_import(url, options.import_questions, workdir)
    results.bank.append({"database": database, "bank": asdict(bank_times), "import": asdict(import_times)})
    say(f"  bank {bank_times.total:.1f} s, import {import_times.total:.1f} s")


# --- the report ------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _cost_table(costs: dict[str, dict[str, Timing]], large_label: str) -> list[str]:
    lines = [
        f"| Action | 1,000 reviews p50 (ms) | p95 | {large_label} p50 (ms) | p95 | large/small p50 | p95 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for action, by_size in costs.items():
        small, large = by_size["small"], by_size["large"]
        lines.append(
            f"| {action} | {_ms(small.p50)} | {_ms(small.p95)} | {_ms(large.p50)} | {_ms(large.p95)} "
            f"| {large.p50 / small.p50:.2f} | {large.p95 / small.p95:.2f} |"
        )
    return lines


INDEX_NOTES = """\
The hot queries and the index each one uses (from the plans above, SQLite and PostgreSQL alike):

| Query | Index |
|---|---|
| a student's due cards, soonest first (next card, counts, forecast) | `ix_review_cards_user_id_due` (user_id, due) |
| a student's card for a question (grade, answer, unseen questions) | `uq_review_cards_user_id_question_id` |
| the next new card (oldest active question not yet met) | `ix_questions_status_created_at` (status, created_at, id) |
| a student's reviews by time (dashboard, activity) | `ix_review_logs_user_id_reviewed_at` (user_id, reviewed_at) |
| a student's quizzes, newest first; unfinished ones | `ix_quiz_attempts_user_id_started_at` |
| an assignment's attempts; a student's attempt at it | `uq_quiz_attempts_assignment_id_user_id` |
| a class's members; a student's classes | `uq_memberships_class_id_student_id`; `ix_memberships_student_id` |
| a class's assignments | `ix_assignments_class_id` |
| an attempt's items in order; its first unanswered item | `uq_quiz_items_attempt_id_position` |

The next new card walks `ix_questions_status_created_at` and stops at the first question the student
has not seen (`SEARCH questions USING COVERING INDEX ix_questions_status_created_at (status=?)`)
instead of reading and sorting every active question; its cost grows with the bank, not the school.
"""


def summary(results: Results) -> list[str]:
    """The headline numbers of the run."""
    lines = ["## Summary", ""]
    for title, costs in (("in process", results.in_process), ("over HTTP", results.over_http)):
        if not costs:
            continue
        worst = max(costs.items(), key=lambda item: item[1]["large"].p50 / item[1]["small"].p50)
        ratio = worst[1]["large"].p50 / worst[1]["small"].p50
        lines.append(
            f"- Request cost {title}: the largest large/small ratio of p50 times is {ratio:.2f} "
            f"({worst[0]}); target ≤ 1.5."
        )
    for row in results.load:
        lines.append(
            f"- {row['database']}, {row['clients']} concurrent students, {row['kind']}: "
            f"{row['per_second']:.0f} requests/s, {row['errors']} errors, {row['lost_writes']} lost writes."
        )
    return lines


def _postgres_section(results: Results, large_label: str) -> list[str]:
    if not results.postgres_http:
        return []
    lines = [
        f"### Over HTTP on PostgreSQL ({large_label} only; gunicorn as above, one client)",
        "",
        "The same actions on the PostgreSQL copy of the large school, beside the SQLite times above. "
        "PostgreSQL runs on the same cores as gunicorn, and every statement is a round trip to it.",
        "",
        "| Action | p50 (ms) | p95 (ms) | p50 ÷ SQLite p50 |",
        "|---|---:|---:|---:|",
    ]
    for action, by_size in results.postgres_http.items():
        timing = by_size["large"]
        sqlite = results.over_http.get(action, {}).get("large")
        versus = f"{timing.p50 / sqlite.p50:.2f}" if sqlite else "–"
        lines.append(f"| {action} | {_ms(timing.p50)} | {_ms(timing.p95)} | {versus} |")
    return [*lines, ""]


def markdown(results: Results, command: str) -> str:
    options = results.settings
    large_label = f"{options.large:,} reviews"
    m = results.machine
    lines = [
        "# Benchmarks",
        "",
        "How the app's cost grows with the data, measured; written by `benchmarks/run.py` "
        f"(this run: `{command}`, started {results.started}, {results.seconds / 60:.0f} minutes).",
        "Benchmarks are not tests: nothing asserts a time. Targets: large/small ≤ 1.5 for every action, "
        "the ratios to bare Flask routes in section 2.",
        "",
        *summary(results),
        "",
        "## Reproduce",
        "",
        "```sh",
        "python3.11 -m venv .venv && .venv/bin/pip install -e '.[test]'",
        ".venv/bin/python -m benchmarks.run            # full, about half an hour",
        ".venv/bin/python -m benchmarks.run --quick    # 100,000 reviews, a few minutes",
        ".venv/bin/python -m benchmarks.against_bare --write docs/BENCHMARKS.md   # section 2 alone",
        "```",
        "",
        "It needs PostgreSQL 15 binaries in /usr/lib/postgresql/15/bin (Debian's `postgresql-15`) and, as root, "
        "the `postgres` user; without them the PostgreSQL parts are skipped (`--no-postgres`). "
        "Databases and logs go to `--workdir` (default /tmp/quizapp-bench). Every server it starts "
        "listens on 127.0.0.1 only and is stopped at the end.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in m.items()),
        "",
        "The machine is shared: the load averages show how busy it was besides the benchmark. Ratios are "
        "measured in one interleaved loop (small, large, small, …) so that load touches both sides alike; "
        "absolute times are only indicative.",
        "",
        "## Datasets",
        "",
        "Built with `quizapp.demo.seed_demo` (what `flask demo seed` runs): the generated bank of "
        "questions, 40 reviews a student, classes of 25, 4 classes a teacher, 120 days of history. "
        "The reviews a student stay the same at every size, so the student and the class measured have the "
        "same kind of history in both databases and only the school around them grows. Beyond 2,000 students "
        "the histories are copies of the first 2,000 (see the docstring of `quizapp/demo/__init__.py`).",
        "",
        "| Database | Reviews | Students | Migrate (s) | Bank build (s) | Seed (s) | Seed µs/review |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for data in results.datasets:
        lines.append(
            f"| {data['label']} | {data['reviews']:,} | {data['students']:,} | {data['migrate_seconds']:.1f} "
            f"| {data['bank_seconds']:.1f} | {data['seed_seconds']:.1f} "
            f"| {data['seed_seconds'] / max(data['reviews'], 1) * 1e6:.0f} |"
        )
    lines += [
        "",
        "## 1. Request cost at 1,000 and at " + large_label,
        "",
        f"Each action {options.rounds} times at each size (after {options.warmup} warm-up rounds), "
        "alternating sizes, one signed-in student and their teacher; the quiz answers go to quizzes of 50 "
        "questions started beforehand, grades to the student's own cards with the right card version.",
        "",
        "### In process (Flask test client, SQLite)",
        "",
        *_cost_table(results.in_process, large_label),
        "",
        "### Over HTTP (gunicorn `quizapp:create_app()`, "
        f"{options.gunicorn_workers} workers × {options.gunicorn_threads} threads, SQLite, one client)",
        "",
        *_cost_table(results.over_http, large_label),
        "",
        *_postgres_section(results, large_label),
        results.against_bare,
        "",
        "## 3. Throughput with concurrent students",
        "",
        f"gunicorn with {options.gunicorn_workers} workers × {options.gunicorn_threads} threads on the "
        f"{large_label} database; {options.load_clients} clients, each a different signed-in student on its own "
        f"connection, at most {options.load_per_client} requests each and {options.load_seconds:.0f} s. "
        "Lost writes = successful requests without their review log (and, for answers, without their answered "
        "quiz item), counted in the database afterwards. The clients (threads of the benchmark process), "
        "gunicorn and PostgreSQL share the machine's cores, so these rates are a floor for a server of "
        "its own. A quiz answer writes more than a grade: the item and the attempt as well as the card and "
        "the log.",
        "",
        "| Database | Requests | Clients | OK | Errors | Seconds | Requests/s | p50 (ms) | p95 (ms) | Lost writes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results.load:
        latency = row["latency"] or {"p50": 0.0, "p95": 0.0}
        lines.append(
            f"| {row['database']} | {row['kind']} | {row['clients']} | {row['ok']} | {row['errors']} "
            f"| {row['seconds']:.1f} | {row['per_second']:.1f} | {_ms(latency['p50'])} | {_ms(latency['p95'])} "
            f"| {row['lost_writes']} |"
        )
    errors = [row["first_error"] for row in results.load if row["first_error"]]
    if errors:
        lines += ["", "First error seen: " + "; ".join(sorted(set(errors)))]
    lines += [
        "",
        "## 4. Bank build and a 10,000-question import",
        "",
        "The bank build generates every question from `questions/` and upserts them into an empty, migrated "
        "database. The import file is quizapp JSON (bank questions reworded as practice sets, new ids); it goes "
        "through `FORMATS['json'].parse`, `services.bank.plan_import` (the dry run) and `apply_import` plus the "
        "commit, as the teachers' import page does.",
        "",
        "| Database | Step | Questions | Seconds | ms a question |",
        "|---|---|---:|---:|---:|",
    ]
    for row in results.bank:
        bank, imported = row["bank"], row["import"]
        total_bank = bank["generate_seconds"] + bank["write_seconds"]
        lines.append(
            f"| {row['database']} | bank build (generate {bank['generate_seconds']:.1f} s + write "
            f"{bank['write_seconds']:.1f} s) | {bank['questions']:,} | {total_bank:.1f} "
            f"| {total_bank / bank['questions'] * 1000:.2f} |"
        )
        total_import = imported["parse_seconds"] + imported["plan_seconds"] + imported["apply_seconds"]
        lines.append(
            f"| {row['database']} | import of a {imported['file_bytes'] / 1e6:.1f} MB file (parse "
            f"{imported['parse_seconds']:.1f} s, plan {imported['plan_seconds']:.1f} s, apply "
            f"{imported['apply_seconds']:.1f} s) | {imported['questions']:,} | {total_import:.1f} "
            f"| {total_import / imported['questions'] * 1000:.2f} |"
        )
    lines += [
        "",
        "## 5. Query plans",
        "",
        "`benchmarks/query_plans.py` records every statement the actions above send and explains it on the "
        f"{large_label} database with the same parameters. Steps that read a table growing with the school "
        "without an index:",
        "",
    ]
    for database, flags in results.plans.items():
        lines.append(f"**{database}:** " + ("none." if not flags else ""))
        lines += [f"- {action}: {flag} — `{statement}…`" for action, statement, flag in flags]
        lines.append("")
    lines += [
        "(On a smaller database PostgreSQL reads small tables such as `classes` or `users` sequentially "
        "when that is cheaper than the index; that is the planner's choice, not a missing index, and it "
        "flips to the index as the table grows. `benchmarks.query_plans` flags it all the same.)",
        "",
        "The full plans of this run are in the work directory (`query-plans-*.md`); run "
        "`.venv/bin/python -m benchmarks.query_plans` to print them again.",
        "",
        "### Indexes",
        "",
        INDEX_NOTES,
        "",
        results.parsers,
        "",
        results.teaching,
    ]
    return "\n".join(lines)


def _jsonable(value: Any) -> Any:
    if is_dataclass(value):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the benchmarks and write docs/BENCHMARKS.md.")
    parser.add_argument("--quick", action="store_true", help="100,000 reviews and fewer rounds")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/quizapp-bench"))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL parts")
    parser.add_argument("--large", type=int, help=argparse.SUPPRESS)  # for trying the benchmark out
    parser.add_argument("--rounds", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    options = settings(arguments.quick)
    if arguments.large or arguments.rounds:
        options = replace(
            options,
            large=arguments.large or options.large,
            rounds=arguments.rounds or options.rounds,
            load_per_client=arguments.rounds or options.load_per_client,
        )
    workdir: Path = arguments.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "gunicorn.log"
    command = ".venv/bin/python -m benchmarks.run" + (" --quick" if arguments.quick else "")
    started = time.perf_counter()
    results = Results(settings=options, started=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", machine=machine())
    say(f"benchmarks: {'quick' if options.quick else 'full'} run in {workdir}")

    urls = {
        "small": build(datasets.sqlite_url(workdir / "small.sqlite3"), SMALL, options, "SQLite small", results),
        "large": build(datasets.sqlite_url(workdir / "large.sqlite3"), options.large, options, "SQLite large", results),
    }
    in_process_costs(urls, options, results)
    http_costs(urls, options, results, log)
    load(urls["large"], "SQLite", options, results, log)
    plans(urls["large"], "SQLite", results)
    bank_and_import(datasets.sqlite_url(workdir / "import.sqlite3"), "SQLite", options, workdir, results)

    if arguments.no_postgres or not postgres.available():
        say("PostgreSQL parts skipped")
    else:
        with postgres.throwaway_postgres() as admin_url:
            results.machine["postgresql"] = "PostgreSQL " + postgres.server_version(admin_url)
            large_pg = postgres.create_database(admin_url, "bench_large")
            build(large_pg, options.large, options, "PostgreSQL large", results)
            postgres_costs(large_pg, options, results, log)
            load(large_pg, "PostgreSQL", options, results, log)
            plans(large_pg, "PostgreSQL", results)
            bank_and_import(
                postgres.create_database(admin_url, "bench_import"), "PostgreSQL", options, workdir, results
            )

    say("import parsers on hostile files")
    results.parsers = parsers.section(runs=7)
    say("simulated students under three schedulers")
    teaching = schedule_teaching.options_for(options.quick)
    results.teaching = schedule_teaching.section(teaching, workdir / "teaching", say=say)
    results.against_bare = against_bare.run(
        workdir, quick=options.quick, with_load=True, with_postgres=not arguments.no_postgres, say=say
    )
    results.seconds = time.perf_counter() - started
    results.machine["load average at end"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    for database, report in results.plan_reports.items():
        (workdir / f"query-plans-{database.lower()}.md").write_text(report, encoding="utf-8")
    (workdir / "results.json").write_text(json.dumps(_jsonable(results), indent=2, default=str), encoding="utf-8")
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(markdown(results, command), encoding="utf-8")
    say(f"done in {results.seconds / 60:.1f} min; wrote {arguments.output}")


if __name__ == "__main__":
    sys.exit(main())
