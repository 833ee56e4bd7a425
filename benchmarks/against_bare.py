"""Where people wait, against bare Flask routes: the ratios issue 16 sets as targets, in one run.

    .venv/bin/python -m benchmarks.against_bare            # base, bank × 10, school × 30
    .venv/bin/python -m benchmarks.against_bare --quick    # school × 3, fewer rounds

1. Seeds three SQLite databases: the base school (300 students, 100,000
   reviews), the same school with ten times the bank, and a school thirty
   times larger with the same histories a student.
2. In process, one interleaved loop (every database, every request, round
   after round): each page or write of quizapp and the bare read or bare write
   of ``benchmarks.bare_flask`` on the same database; the ratio of p50 times.
   Then each request is profiled on the base database and its time split by
   layer (``benchmarks.profile_request``).
3. Over gunicorn (2 workers × 2 threads, 8 clients, each a student on its own
   connection): grade, answer and bare-write throughput on SQLite and on
   PostgreSQL, counting errors and lost writes, and each worker's memory
   after the load.

Prints a Markdown section; ``--write docs/BENCHMARKS.md`` puts it in place of the one there
(``benchmarks.run`` writes it too, as section 2). Seeded databases are kept in the work folder,
one per schema, and each run works on copies.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from benchmarks import datasets, postgres, request_cost, throughput
from benchmarks.bare_flask import READ_PATH, WRITE_PATH
from benchmarks.bare_flask import create_app as create_bare_app
from benchmarks.profile_request import LAYERS, OTHER, layer_shares, profile
from benchmarks.request_cost import ACTIONS, Action, Timing, summarize
from benchmarks.scenario import Student, prepare
from benchmarks.server import gunicorn
from benchmarks.web import Client, InProcessClient
from quizapp import MIGRATIONS_DIR
from quizapp.demo import DEMO_PASSWORD
from quizapp.domain.facts import load_facts
from quizapp.domain.generate import generate_questions

BASE_STUDENTS = 300
BASE_REVIEWS = 100_000
WORKERS, THREADS, CLIENTS = 2, 2, 8


@dataclass(frozen=True)
class Target:
    """A request of quizapp, the bare route it is held against and the ratio allowed."""

    action: Action
    yardstick: str  # "read" or "write"
    at_most: float


def _action(name: str) -> Action:
    return next(action for action in ACTIONS if action.name.startswith(name))


TARGETS = [
    Target(_action("Student dashboard"), "read", 3.0),
    Target(_action("Class overview"), "read", 5.0),
    Target(_action("Item analysis"), "read", 5.0),
    Target(_action("Weakest questions"), "read", 2.0),
    Target(_action("Study: next card"), "read", 2.0),
    Target(_action("Quiz: answer"), "write", 1.3),
    Target(_action("Study: grade"), "write", 1.2),
]
THROUGHPUT_AT_LEAST = 0.9
MEMORY_AT_MOST = 1.3


@dataclass
class Seat(request_cost.Seat):
    """One database: the student and teacher signed in to quizapp, and the bare app's client."""

    bare_client: Client
    bare_writer: Student  # another student, whose cards the bare write may change


def say(line: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {line}", flush=True)


def seat_for(url: str, answers: int) -> Seat:
    place = prepare(url, [0, 1], answers)
    app = datasets.bench_app(url)
    student = InProcessClient(app)
    student.login(place.students[0].username, DEMO_PASSWORD)
    teacher = InProcessClient(app)
    teacher.login(place.teacher, DEMO_PASSWORD)
    bare = InProcessClient(create_bare_app(url))
    return Seat(place, place.students[0], student, teacher, bare, place.students[1])


def _bare_read(seat: Seat) -> float:
    reply = seat.bare_client.get(READ_PATH.format(user_id=seat.student.id))
    assert reply.status == 200, reply.body[:300]
    return reply.seconds


def _bare_write(seat: Seat) -> float:
    reply = seat.bare_client.post(WRITE_PATH.format(user_id=seat.bare_writer.id), {})
    assert reply.status == 302, reply.body[:300]
    return reply.seconds


def _app_request(action: Action) -> Callable[[Seat], float]:
    def send(seat: Seat) -> float:
        client = seat.teacher_client if action.as_teacher else seat.student_client
        reply = action.send(client, seat.place, seat.student)
        if reply.status != action.status:
            raise RuntimeError(f"{action.name}: status {reply.status}, expected {action.status}: {reply.body[:300]}")
        return reply.seconds

    return send


def _requests() -> dict[str, Callable[[Seat], float]]:
    """Every request measured: the bare "read" and "write", then each target's, by its action's name."""
    yardsticks: dict[str, Callable[[Seat], float]] = {"read": _bare_read, "write": _bare_write}
    return yardsticks | {target.action.name: _app_request(target.action) for target in TARGETS}


def _shown_name(name: str) -> str:
    return f"Bare {name}" if name in ("read", "write") else name


def measure(seats: dict[str, Seat], rounds: int, warmup: int) -> dict[str, dict[str, Timing]]:
    """p50/p95 of every request in every database, from one interleaved loop."""
    requests = _requests()
    samples: dict[str, dict[str, list[float]]] = {name: {label: [] for label in seats} for name in requests}
    for round_number in range(warmup + rounds):
        for name, send in requests.items():
            for label, seat in seats.items():
                seconds = send(seat)
                if round_number >= warmup:
                    samples[name][label].append(seconds)
    return {name: {label: summarize(values) for label, values in by_seat.items()} for name, by_seat in samples.items()}


@dataclass(frozen=True)
class LoadRow:
    database: str
    kind: str
    per_second: float
    errors: int
    lost_writes: int
    worker_kib: int  # the largest worker's resident memory after the load


def load(url: str, database: str, per_client: int, seconds: float, log: Path) -> list[LoadRow]:
    """Answers, grades and bare writes from 8 clients over gunicorn; the bare app served alike."""
    place = prepare(url, list(range(10, 10 + CLIENTS)), per_client + 5)
    rows = []
    for kind, app in (
        (throughput.QUIZ_ANSWER, None),
        (throughput.GRADE, None),
        (throughput.BARE_WRITE, "benchmarks.bare_flask:create_app()"),
    ):
        say(f"load on {database}: {kind}")
        options = {"app": app} if app else {}
        with gunicorn(url, workers=WORKERS, threads=THREADS, log=log, **options) as served:
            outcome = throughput.run_load(served.port, place, place.students, kind, per_client, seconds)
            memory = max(served.worker_memory_kib(), default=0)
        rows.append(LoadRow(database, kind, outcome.per_second, outcome.errors, outcome.lost_writes, memory))
    return rows


def where_the_time_goes(seat: Seat, runs: int) -> dict[str, dict[str, float]]:
    """Per request, the share of its profiled time in each layer (benchmarks.profile_request)."""
    return {name: layer_shares(profile(lambda send=send: send(seat), runs)) for name, send in _requests().items()}


def _cell(ratio: float, limit: float, at_most: bool = True) -> str:
    met = ratio <= limit if at_most else ratio >= limit
    return f"{ratio:.2f}" + ("" if met else " ✗")


def section(
    costs: dict[str, dict[str, Timing]],
    shares: dict[str, dict[str, float]],
    loads: list[LoadRow],
    sizes: dict[str, str],
    rounds: int,
    warmup: int,
) -> str:
    labels = list(sizes)
    lines = [
        "## 2. Against bare Flask routes: the pages people wait on",
        "",
        "`benchmarks/against_bare.py` (`.venv/bin/python -m benchmarks.against_bare`). The yardsticks are "
        "`benchmarks/bare_flask.py`, a minimal Flask + Flask-SQLAlchemy app on the same database: a **bare read** "
        "(one indexed SELECT, a tiny template) and a **bare write** (one indexed SELECT, one UPDATE, one INSERT, "
        f"a commit). In process (Flask's test client), SQLite with WAL; {rounds} rounds after {warmup} warm-up "
        "rounds of one interleaved loop over every request and every database, so the machine's load touches "
        "both sides of each ratio alike. A ✗ marks a ratio over its target.",
        "",
        "| Database | Students | Reviews | Questions |",
        "|---|---:|---:|---:|",
        *(f"| {label} | {detail} |" for label, detail in sizes.items()),
        "",
        f"| Request | against | target | {labels[0]} p50 (ms) | " + " | ".join(f"÷, {x}" for x in labels) + " |",
        "|---|---|---:|---:|" + "---:|" * len(labels),
    ]
    for yardstick in ("read", "write"):
        lines.append(
            f"| {_shown_name(yardstick)} | – | – | {costs[yardstick][labels[0]].p50 * 1000:.2f} |"
            + " 1.00 |" * len(labels)
        )
    for target in TARGETS:
        timings = costs[target.action.name]
        ratios = [timings[label].p50 / costs[target.yardstick][label].p50 for label in labels]
        lines.append(
            f"| {target.action.name} | bare {target.yardstick} | ≤ {target.at_most:g} "
            f"| {timings[labels[0]].p50 * 1000:.2f} | " + " | ".join(_cell(r, target.at_most) for r in ratios) + " |"
        )
    layers = [*(label for label, _, _ in LAYERS), OTHER]
    lines += [
        "",
        "### Where the time goes",
        "",
        "Each request profiled with cProfile on the base database (`benchmarks/profile_request.py` profiles one "
        "page and names the functions): the share of its time in each layer's own code. "
        + "; ".join(f"**{label}**: {covers}" for label, covers, _ in LAYERS)
        + f"; **{OTHER}**: Python itself and the standard library.",
        "",
        "| Request | " + " | ".join(layers) + " |",
        "|---|" + "---:|" * len(layers),
        *(
            f"| {_shown_name(name)} | " + " | ".join(f"{100 * by_layer[layer]:.0f}%" for layer in layers) + " |"
            for name, by_layer in shares.items()
        ),
    ]
    if loads:
        lines += [
            "",
            f"### Throughput and memory over gunicorn ({WORKERS} workers × {THREADS} threads, {CLIENTS} clients)",
            "",
            "Each client a different student on its own keep-alive connection; the bare write served by the same "
            "gunicorn settings. Lost writes: successful requests without their review log (and answered item), "
            "counted in the database afterwards. Memory: the largest worker's resident set after the load.",
            "",
            "| Database | Requests | Requests/s | ÷ bare write | Errors | Lost writes | Worker memory (MiB) "
            "| ÷ bare app |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in loads:
            bare = next(r for r in loads if r.database == row.database and r.kind == throughput.BARE_WRITE)
            lines.append(
                f"| {row.database} | {row.kind} | {row.per_second:.0f} "
                f"| {_cell(row.per_second / bare.per_second, THROUGHPUT_AT_LEAST, at_most=False)} "
                f"| {row.errors} | {row.lost_writes} | {row.worker_kib / 1024:.0f} "
                f"| {_cell(row.worker_kib / bare.worker_kib, MEMORY_AT_MOST)} |"
            )
    return "\n".join(lines) + "\n"


def bank_size() -> int:
    app = datasets.bench_app("sqlite://")
    return len(generate_questions(load_facts(Path(app.config["QUESTIONS_DIR"]))))


SECTION_START = "<!-- against-bare: written by benchmarks/against_bare.py -->"
SECTION_END = "<!-- /against-bare -->"


def _schema_head() -> str:
    """The newest migration's number (migrations/versions/NNNN_*.py)."""
    return max(path.name.split("_", 1)[0] for path in MIGRATIONS_DIR.glob("versions/[0-9]*_*.py"))


def run(workdir: Path, *, quick: bool, with_load: bool, with_postgres: bool, say: Callable[[str], None] = say) -> str:
    """Seed (or reuse) the three databases, measure, and return the Markdown section between its markers."""
    workdir.mkdir(parents=True, exist_ok=True)
    rounds, warmup = (40, 5) if quick else (150, 10)
    school = 3 if quick else 30
    questions = 10 * bank_size()
    plan = {
        "base": (BASE_STUDENTS, BASE_REVIEWS, 0),
        "bank × 10": (BASE_STUDENTS, BASE_REVIEWS, questions),
        f"school × {school}": (school * BASE_STUDENTS, school * BASE_REVIEWS, 0),
    }
    urls, sizes = {}, {}
    for label, (students, reviews, wanted) in plan.items():
        # A seed is kept per schema: a database seeded before a migration is seeded again.
        name = f"against-bare-{label.replace(' × ', 'x').replace(' ', '-')}-schema-{_schema_head()}"
        seeded = workdir / f"{name}.seeded.sqlite3"
        if not seeded.exists():  # seeding takes minutes: kept for the next run, each run works on a copy
            say(f"seeding {label}: {students:,} students, {reviews:,} reviews")
            partial = workdir / f"{name}.partial.sqlite3"  # renamed once complete: an interrupted seed is redone
            datasets.build(datasets.sqlite_url(partial), reviews, 2, say=say, students=students, questions=wanted)
            partial.rename(seeded)
        path = workdir / f"{name}.sqlite3"
        shutil.copyfile(seeded, datasets.sqlite_url(path).removeprefix("sqlite:///"))
        urls[label] = f"sqlite:///{path}"
        sizes[label] = f"{students:,} | {reviews:,} | {'10 × the bank' if wanted else 'the bank'}"
    say("against bare routes: in process, one interleaved loop")
    seats = {label: seat_for(url, 2 * (rounds + warmup) + 10) for label, url in urls.items()}  # measured, then profiled
    costs = measure(seats, rounds, warmup)
    say("against bare routes: profiles")
    shares = where_the_time_goes(seats["base"], runs=rounds)
    loads: list[LoadRow] = []
    if with_load:
        log = workdir / "gunicorn.log"
        per_client, seconds = (40, 20.0) if quick else (200, 60.0)
        loads += load(urls["base"], "SQLite", per_client, seconds, log)
        if with_postgres and postgres.available():
            with postgres.throwaway_postgres() as admin_url:
                url = postgres.create_database(admin_url, "against_bare")
                datasets.build(url, BASE_REVIEWS, 2, say=say, students=BASE_STUDENTS)
                loads += load(url, "PostgreSQL", per_client, seconds, log)
    return "\n".join([SECTION_START, section(costs, shares, loads, sizes, rounds, warmup), SECTION_END])


def replace_section(document: Path, text: str) -> None:
    """Put ``text`` in place of the section between the markers (appended when there is none)."""
    current = document.read_text(encoding="utf-8")
    if SECTION_START in current and SECTION_END in current:
        before, rest = current.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1]
        document.write_text(before + text + after, encoding="utf-8")
    else:
        document.write_text(current.rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="school × 3 instead of × 30, fewer rounds")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/quizapp-bench"))
    parser.add_argument("--write", type=Path, help="replace this section in that file (docs/BENCHMARKS.md)")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL load")
    parser.add_argument("--no-load", action="store_true", help="in process only")
    arguments = parser.parse_args()
    text = run(
        arguments.workdir,
        quick=arguments.quick,
        with_load=not arguments.no_load,
        with_postgres=not arguments.no_postgres,
    )
    print(text)
    if arguments.write:
        replace_section(arguments.write, text)


if __name__ == "__main__":
    main()
