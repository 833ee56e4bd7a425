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

from benchmarks.datasets import bench_app
from benchmarks.scenario import prepare
from benchmarks.web import InProcessClient
from quizapp.demo import DEMO_PASSWORD

# Own time by where a function lives; the first layer whose marker is in its file name wins.
LAYERS = [
    ("the database driver (SQL execution, fetching)", ("sqlite3.", "psycopg")),
    ("SQLAlchemy (building statements, results, the ORM)", ("sqlalchemy/",)),
    ("Jinja and MarkupSafe (templates)", ("jinja2/", "markupsafe/", "/templates/")),
    ("WTForms and Flask-WTF (forms, CSRF)", ("wtforms/", "flask_wtf/")),
    ("Flask, Werkzeug, Flask-Login (routing, sessions, the test client)", ("flask/", "werkzeug/", "flask_login/")),
    ("fsrs (scheduling)", ("fsrs/",)),
    ("quizapp", ("quizapp/",)),
]


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
    for _ in range(5):
        client.get(path)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(arguments.runs):
        client.get(path)
    profile.disable()
    stats = pstats.Stats(profile)
    own: dict[str, float] = {label: 0.0 for label, _ in LAYERS} | {"other (Python, the standard library)": 0.0}
    for (file, _, function), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{file} {function}"
        label = next((label for label, markers in LAYERS if any(m in where for m in markers)), None)
        own[label or "other (Python, the standard library)"] += tottime
    total = sum(own.values())
    print(f"{path}: {1000 * total / arguments.runs:.1f} ms a request under the profiler")
    for label, seconds in sorted(own.items(), key=lambda item: -item[1]):
        print(f"  {100 * seconds / total:5.1f}%  {label}")
    print("quizapp functions, time under them a request:")
    rows = [
        (cumtime, f"{file.split('quizapp/', 1)[1]}:{function}")
        for (file, _, function), (_, _, _, cumtime, _) in stats.stats.items()  # type: ignore[attr-defined]
        if "/quizapp/" in file and "/templates/" not in file
    ]
    for cumtime, name in sorted(rows, reverse=True)[:12]:
        print(f"  {1000 * cumtime / arguments.runs:6.2f} ms  {name}")


if __name__ == "__main__":
    main()
