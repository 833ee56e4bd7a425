"""The query plans of the main pages: every statement they send, EXPLAINed on SQLite and PostgreSQL.

The statements are not written out by hand: the benchmark's student and
teacher go through the main actions (see ``request_cost.ACTIONS``) in
process, every statement is recorded with its parameters, and each distinct
one is explained on the same database with the same parameters
(``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN`` on PostgreSQL). A step that
reads a large table without an index is flagged.

Run on its own (a seeded database is built when no URL is given)::

    .venv/bin/python -m benchmarks.query_plans --reviews 100000
    .venv/bin/python -m benchmarks.query_plans --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks import datasets
from benchmarks.request_cost import ACTIONS, Seat
from benchmarks.scenario import prepare
from benchmarks.web import InProcessClient
from quizapp.demo import DEMO_PASSWORD
from quizapp.extensions import db

# Tables that grow with the school; a full scan of one of them is a cost that grows too.
LARGE_TABLES = (
    "review_logs",
    "review_cards",
    "quiz_items",
    "quiz_attempts",
    "users",
    "memberships",
    "assignments",
    "classes",
)
PLAN_STUDENT = 3  # a student the other benchmarks leave alone


@dataclass(frozen=True)
class Explained:
    action: str
    statement: str
    plan: list[str]
    flags: list[str]


def record_statements(url: str) -> list[tuple[str, str, Any]]:
    """(action, statement, parameters) for every statement the main actions send, in order."""
    place = prepare(url, [PLAN_STUDENT], answers_each=2)
    app = datasets.bench_app(url)
    student, teacher = InProcessClient(app), InProcessClient(app)
    student.login(place.students[0].username, DEMO_PASSWORD)
    teacher.login(place.teacher, DEMO_PASSWORD)
    seat = Seat(place, place.students[0], student, teacher)
    with app.app_context():
        engine = db.engine
    recorded: list[tuple[str, str, Any]] = []
    current = [""]

    def listener(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if not executemany:
            recorded.append((current[0], statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        for action in ACTIONS:
            current[0] = action.name
            client = seat.teacher_client if action.as_teacher else seat.student_client
            reply = action.send(client, place, seat.student)
            if reply.status != action.status:
                raise RuntimeError(f"{action.name}: status {reply.status}")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
        with app.app_context():
            db.engine.dispose()
    return recorded


def _explainable(statement: str) -> bool:
    head = statement.lstrip().split(None, 1)[0].upper()
    return head in ("SELECT", "UPDATE", "DELETE", "WITH") or (head == "INSERT" and " SELECT " in statement.upper())


def _sqlite_plan(cursor: Any, statement: str, parameters: Any) -> list[str]:
    cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in cursor.fetchall():
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def _sqlite_flags(plan: list[str]) -> list[str]:
    flags = []
    for line in plan:
        match = re.match(r"\s*SCAN (\w+)(.*)", line)
        if match and match.group(1) in LARGE_TABLES:
            how = "whole index" if "INDEX" in match.group(2) else "whole table"
            flags.append(f"{how} scan of {match.group(1)}{match.group(2)}")
    return flags


def _postgres_plan(cursor: Any, statement: str, parameters: Any) -> list[str]:
    cursor.execute("EXPLAIN " + statement, parameters)
    return [row[0] for row in cursor.fetchall()]


def _postgres_flags(plan: list[str]) -> list[str]:
    flags = []
    for line in plan:
        match = re.search(r"Seq Scan on (\w+)", line)
        if match and match.group(1) in LARGE_TABLES:
            flags.append(f"sequential scan of {match.group(1)}")
    return flags


def explain_all(url: str) -> list[Explained]:
    """Record the main actions' statements on ``url`` and explain each distinct one."""
    recorded = record_statements(url)
    app = datasets.bench_app(url)
    results: list[Explained] = []
    seen: set[tuple[str, str]] = set()
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for action, statement, parameters in recorded:
                if not _explainable(statement) or (action, statement) in seen:
                    continue
                seen.add((action, statement))
                if postgres:
                    plan = _postgres_plan(cursor, statement, parameters)
                    flags = _postgres_flags(plan)
                else:
                    plan = _sqlite_plan(cursor, statement, parameters)
                    flags = _sqlite_flags(plan)
                results.append(Explained(action, " ".join(statement.split()), plan, flags))
            raw.rollback()
        finally:
            raw.close()
        db.engine.dispose()
    return results


def report(results: list[Explained], title: str) -> str:
    """The plans as Markdown: one section per action, flagged steps called out."""
    lines = [f"## {title}", ""]
    action = None
    for result in results:
        if result.action != action:
            action = result.action
            lines += [f"### {action}", ""]
        statement = result.statement if len(result.statement) <= 400 else result.statement[:400] + " …"
        lines += ["```sql", statement, "```", "```", *result.plan, "```"]
        lines += [f"**flag:** {flag}" for flag in result.flags] + [""]
    return "\n".join(lines)


def flagged(results: list[Explained]) -> list[tuple[str, str, str]]:
    """(action, statement start, flag) for every flagged step."""
    return [(result.action, result.statement[:120], flag) for result in results for flag in result.flags]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a database seeded by `flask demo seed` (default: build one)")
    parser.add_argument("--reviews", type=int, default=100_000, help="reviews in the database built")
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    url = arguments.database_url
    if url is None:
        directory = Path(tempfile.mkdtemp(prefix="quizapp-plans."))
        url = datasets.sqlite_url(directory / "plans.sqlite3")
        print(f"building {url} with {arguments.reviews} reviews ...")
        datasets.build(url, arguments.reviews, arguments.workers)
    results = explain_all(url)
    print(report(results, f"Query plans on {url.split('://')[0]}"))
    print("\n## Flagged\n")
    for action, statement, flag in flagged(results) or [("-", "-", "nothing flagged")]:
        print(f"- {action}: {flag} — `{statement}`")


if __name__ == "__main__":
    main()
