"""Where a request's time goes: cProfile over repeated requests, summed by layer.

    .venv/bin/python -m benchmarks.profile_request DATABASE_URL /dashboard [--teacher] [--runs 60]

Signs in as the first demo student (or the teacher of its class) of a database seeded by
``benchmarks.datasets`` (e.g. the ``against-bare-base.sqlite3`` that ``benchmarks.against_bare``
leaves in its work folder), sends the request ``--runs`` times under cProfile, and prints the
time spent in each layer (own time of the functions whose file is in it) and the quizapp
functions with the most time under them.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from collections.abc import Callable

from benchmarks.datasets import bench_app
from benchmarks.scenario import prepare
from benchmarks.web import InProcessClient
from quizapp.demo import DEMO_PASSWORD

# Own time by where a function lives: (column name, what it covers, markers); the first layer with
# a marker in the function's file or name wins.
LAYERS = [
    ("driver", "the database driver: running SQL, fetching rows", ("sqlite3.", "psycopg")),
    ("SQLAlchemy", "SQLAlchemy: building statements, caching their SQL, reading results, the ORM", ("sqlalchemy/",)),
    ("templates", "Jinja and MarkupSafe: rendering templates", ("jinja2/", "markupsafe/", "/templates/")),
    ("forms", "WTForms and Flask-WTF: forms and CSRF", ("wtforms/", "flask_wtf/")),
    (
        "Flask",
        "Flask, Werkzeug, Flask-Login, Flask-Limiter: routing, sessions, sign-in, rate limits, the test client",
        ("flask/", "werkzeug/", "flask_login/", "flask_limiter/", "limits/"),
    ),
    ("fsrs", "fsrs: scheduling", ("fsrs/",)),
    ("quizapp", "quizapp's own code", ("quizapp/",)),
]
OTHER = "other"  # Python itself and the standard library


def profile(send: Callable[[], object], runs: int) -> pstats.Stats:
    """cProfile over ``runs`` calls of ``send`` (after five unprofiled ones)."""
    for _ in range(5):
        send()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        send()
    profiler.disable()
    return pstats.Stats(profiler)


def layer_shares(stats: pstats.Stats) -> dict[str, float]:
    """The share of the profiled time spent in each of LAYERS (own time), largest first."""
    own = {label: 0.0 for label, _, _ in LAYERS} | {OTHER: 0.0}
    for (file, _, function), (_, _, tottime, _, _) in stats.stats.items():
        where = f"{file} {function}"
        own[next((label for label, _, markers in LAYERS if any(m in where for m in markers)), OTHER)] += tottime
    total = sum(own.values()) or 1.0
    return {label: seconds / total for label, seconds in sorted(own.items(), key=lambda item: -item[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("path", help="e.g. /dashboard; {class_id} is the demo class's id")
    parser.add_argument("--teacher", action="store_true", help="sign in as the class's teacher")
    parser.add_argument("--runs", type=int, default=60)
    arguments = parser.parse_args()
    place = prepare(arguments.database_url, [0], 1)
    client = InProcessClient(bench_app(arguments.database_url))
    client.login(place.teacher if arguments.teacher else place.students[0].username, DEMO_PASSWORD)
    path = arguments.path.format(class_id=place.class_id)
    stats = profile(lambda: client.get(path), arguments.runs)
    print(f"{path}: {1000 * stats.total_tt / arguments.runs:.1f} ms a request under the profiler")
    for label, share in layer_shares(stats).items():
        print(f"  {100 * share:5.1f}%  {label}")
    print("quizapp functions, time under them a request:")
    rows = [
        (cumtime, f"{file.split('quizapp/', 1)[1]}:{function}")
        for (file, _, function), (_, _, _, cumtime, _) in stats.stats.items()
        if "/quizapp/" in file and "/templates/" not in file
    ]
    for cumtime, name in sorted(rows, reverse=True)[:12]:
        print(f"  {1000 * cumtime / arguments.runs:6.2f} ms  {name}")


if __name__ == "__main__":
    main()
