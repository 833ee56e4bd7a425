"""Throughput: many students answering quiz questions, or grading flashcards, at once against gunicorn.

Every client is a different student on its own connection; all start
together and each stops after ``per_client`` requests or at the deadline,
whichever comes first. Afterwards the database must hold exactly one review
log per successful request (and one answered quiz item per answer): a
request that reported success but wrote nothing is a lost write.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from benchmarks.bare_flask import WRITE_PATH
from benchmarks.request_cost import Timing, summarize
from benchmarks.scenario import Place, Student, written
from benchmarks.web import HttpClient

QUIZ_ANSWER = "quiz answer"
GRADE = "flashcard grade"
BARE_WRITE = "bare write"  # benchmarks.bare_flask: read, UPDATE, INSERT, commit


@dataclass(frozen=True)
class LoadResult:
    kind: str
    clients: int
    ok: int
    errors: int
    seconds: float
    latency: Timing | None
    reviews_expected: int
    reviews_written: int
    answers_expected: int
    answers_written: int
    first_error: str

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def lost_writes(self) -> int:
        return (self.reviews_expected - self.reviews_written) + (self.answers_expected - self.answers_written)


def _one(client: HttpClient, place: Place, student: Student, kind: str) -> int:
    """Send one request of the kind; the status it got, after updating the student's bookkeeping."""
    if kind == BARE_WRITE:
        reply = client.post(WRITE_PATH.format(user_id=student.id), {})
    elif kind == QUIZ_ANSWER:
        attempt_id, position, response = student.next_answer()
        reply = client.post(f"/quiz/{attempt_id}/answer", {"position": position, "response": response})
        if reply.status == 302:
            student.answered_question(place.question_of_item[attempt_id, position])
    else:
        question_id, ticket = student.next_grade()
        reply = client.post("/study/grade", {"card": ticket, "rating": 3})
        if reply.status == 302:
            student.was_graded(question_id)
    return reply.status


def run_load(
    port: int, place: Place, students: list[Student], kind: str, per_client: int, max_seconds: float
) -> LoadResult:
    """Run the load; bounded by ``per_client`` requests a client and ``max_seconds`` in all."""
    clients = []
    for student in students:
        client = HttpClient(port)
        if kind != BARE_WRITE:  # the bare app has no accounts
            client.login(student.username, _password())
        clients.append(client)
    user_ids = [student.id for student in students]
    reviews_before, answers_before = written(place.url, user_ids)
    latencies: list[float] = []
    errors: list[str] = []
    ok = [0] * len(students)
    lock = threading.Lock()
    start = threading.Barrier(len(students) + 1)
    deadline = 0.0

    def work(index: int) -> None:
        client, student = clients[index], students[index]
        start.wait()
        for _ in range(per_client):
            if time.monotonic() >= deadline:
                return
            if kind == QUIZ_ANSWER and not student.answers:
                return
            began = time.perf_counter()
            try:
                status = _one(client, place, student, kind)
            except Exception as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                client.close()
                continue
            elapsed = time.perf_counter() - began
            with lock:
                if status == 302:
                    ok[index] += 1
                    latencies.append(elapsed)
                else:
                    errors.append(f"status {status}")

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(len(students))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + max_seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(timeout=max_seconds + 60)
    seconds = time.perf_counter() - began
    for client in clients:
        client.close()
    reviews_after, answers_after = written(place.url, user_ids)
    total = sum(ok)
    return LoadResult(
        kind=kind,
        clients=len(students),
        ok=total,
        errors=len(errors),
        seconds=seconds,
        latency=summarize(latencies) if latencies else None,
        reviews_expected=total,
        reviews_written=reviews_after - reviews_before,
        answers_expected=total if kind == QUIZ_ANSWER else 0,
        answers_written=answers_after - answers_before,
        first_error=errors[0] if errors else "",
    )


def _password() -> str:
    from quizapp.demo import DEMO_PASSWORD

    return DEMO_PASSWORD
