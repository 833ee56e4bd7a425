"""gunicorn stopped (SIGTERM) while a request is in flight: the request completes, its write is kept.

gunicorn is started from the project folder, as docs/DEPLOY.md does, so it
reads gunicorn.conf.py (the graceful timeout) like a real deployment.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import QuizAttempt, User
from tests.app.factories import make_user
from tests.app.http_visitor import Visitor

PROJECT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30  # seconds
HOLD_SECONDS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def test_a_request_in_flight_when_gunicorn_is_stopped_completes_and_is_kept(app: Flask, tmp_path: Path) -> None:
    student_id = make_user(username="sin_cortes").id
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.app.held_wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            cwd=PROJECT,
            env={**os.environ, "DATABASE_URL": url},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(port, process, log)
        visitor = Visitor(("127.0.0.1", port))
        visitor.sign_in("sin_cortes")
        outcome: dict[str, object] = {}

        def start_a_quiz_slowly() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            cookies = "; ".join(f"{name}={value}" for name, value in visitor.cookies.items())
            connection.request(
                "POST",
                "/quiz/",
                body="topics=events&length=5",
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookies,
                    "X-Hold-Seconds": str(HOLD_SECONDS),
                },
            )
            outcome["status"] = connection.getresponse().status
            connection.close()

        request = threading.Thread(target=start_a_quiz_slowly)
        request.start()
        time.sleep(HOLD_SECONDS / 4)  # the request is in the worker's hands
        process.send_signal(signal.SIGTERM)
        request.join(timeout=30)
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert outcome == {"status": 302}, log.read_text()
    saved = db.session.scalar(select(func.count(QuizAttempt.id)).where(QuizAttempt.user_id == student_id))
    assert saved == 1
    assert db.session.get(User, student_id).username == "sin_cortes"
