"""PostgreSQL restarted while students work: only 503s while it is down, then everything works again.

Needs a PostgreSQL server this test may restart: QUIZAPP_TEST_POSTGRES_URL, and
QUIZAPP_TEST_POSTGRES_RESTART, a shell command that restarts it (.ci/run sets
both and runs this test on its own, since the restart cuts every connection).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import Counter

import pytest
from flask import Flask

from quizapp.extensions import db
from tests.app.factories import make_user
from tests.app.http_visitor import Visitor
from tests.conftest import POSTGRES_URL

RESTART = os.environ.get("QUIZAPP_TEST_POSTGRES_RESTART")
RECOVERY_SECONDS = 20

pytestmark = [
    pytest.mark.postgres_restart,
    pytest.mark.skipif(not (POSTGRES_URL and RESTART), reason="needs QUIZAPP_TEST_POSTGRES_RESTART"),
]


def test_requests_during_a_restart_get_only_503s_and_then_work_again(app: Flask, server: tuple[str, int]) -> None:
    make_user(username="durante_el_reinicio")
    db.session.remove()  # the test's own connection would be cut by the restart too
    visitors = [Visitor(server) for _ in range(4)]
    for visitor in visitors:
        visitor.sign_in("durante_el_reinicio")
    statuses: Counter[int] = Counter()
    restarted = threading.Event()
    stop = threading.Event()

    def keep_working(visitor: Visitor) -> None:
        while not stop.is_set():
            for status in (visitor.get("/dashboard"), visitor.post("/quiz/", {"topics": ["events"], "length": 5})):
                statuses[status] += 1

    threads = [threading.Thread(target=keep_working, args=(visitor,)) for visitor in visitors]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        subprocess.run(RESTART, shell=True, check=True, capture_output=True, timeout=60)
        restarted.set()
        deadline = time.monotonic() + RECOVERY_SECONDS
        while visitors[0].get("/dashboard") != 200:
            assert time.monotonic() < deadline, f"no recovery within {RECOVERY_SECONDS} s: {statuses}"
            time.sleep(0.1)
        recovered = [visitors[0].get("/dashboard"), visitors[0].post("/quiz/", {"topics": ["events"], "length": 5})]
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert recovered == [200, 302]
    assert set(statuses) <= {200, 302, 503}, statuses
    assert statuses[200] and statuses[302], statuses
