"""Request cost: the main actions at two data sizes.

Each round sends every action once to each database, alternating, so that a
change in the machine's load touches both sizes alike; the first rounds only
warm up. Times are from sending a request to having read its whole body.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.scenario import Place, Student
from benchmarks.web import Client, Reply


@dataclass(frozen=True)
class Action:
    name: str
    as_teacher: bool
    send: Callable[[Client, Place, Student], Reply]
    status: int


def _answer(client: Client, place: Place, student: Student) -> Reply:
    attempt_id, position, response = student.next_answer()
    reply = client.post(f"/quiz/{attempt_id}/answer", {"position": position, "response": response})
    if reply.status == 302:
        student.answered_question(place.question_of_item[attempt_id, position])
    return reply


def _question_page(client: Client, place: Place, student: Student) -> Reply:
    attempt_id, _, _ = student.answers[0]
    return client.get(f"/quiz/{attempt_id}")


def _grade(client: Client, place: Place, student: Student) -> Reply:
    question_id, ticket = student.next_grade()
    reply = client.post("/study/grade", {"card": ticket, "rating": 3, "duration_ms": 4200})
    if reply.status == 302:
        student.was_graded(question_id)
    return reply


ACTIONS = [
    Action("Study: next card (GET /study)", False, lambda c, p, s: c.get("/study"), 200),
    Action("Study: grade (POST /study/grade)", False, _grade, 302),
    Action("Quiz: question page (GET /quiz/<id>)", False, _question_page, 200),
    Action("Quiz: answer (POST /quiz/<id>/answer)", False, _answer, 302),
    Action(
        "Quiz: start (POST /quiz/)", False, lambda c, p, s: c.post("/quiz/", {"topics": ["mix"], "length": 10}), 302
    ),
    Action("Student dashboard (GET /dashboard)", False, lambda c, p, s: c.get("/dashboard"), 200),
    Action("Weakest questions (GET /study/weakest)", False, lambda c, p, s: c.get("/study/weakest"), 200),
    Action(
        "Class overview (GET /teach/classes/<id>)", True, lambda c, p, s: c.get(f"/teach/classes/{p.class_id}"), 200
    ),
    Action(
        "Item analysis (GET /teach/classes/<id>/items)",
        True,
        lambda c, p, s: c.get(f"/teach/classes/{p.class_id}/items"),
        200,
    ),
    Action("Question bank list (GET /teach/questions)", True, lambda c, p, s: c.get("/teach/questions"), 200),
]


@dataclass
class Seat:
    """Who plays in one database: a student client, a teacher client, and their place."""

    place: Place
    student: Student
    student_client: Client
    teacher_client: Client


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` from 0 to 1) of the samples."""
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


@dataclass(frozen=True)
class Timing:
    p50: float
    p95: float
    count: int


def summarize(samples: list[float]) -> Timing:
    return Timing(statistics.median(samples), percentile(samples, 0.95), len(samples))


def measure(seats: dict[str, Seat], actions: list[Action], rounds: int, warmup: int) -> dict[str, dict[str, Timing]]:
    """Time each action ``rounds`` times in each seat, interleaved; timings by action, then by seat.

    Raises:
        RuntimeError: a request answered with another status than expected.
    """
    samples: dict[str, dict[str, list[float]]] = {action.name: {name: [] for name in seats} for action in actions}
    for round_number in range(warmup + rounds):
        for action in actions:
            for name, seat in seats.items():
                client = seat.teacher_client if action.as_teacher else seat.student_client
                reply = action.send(client, seat.place, seat.student)
                if reply.status != action.status:
                    raise RuntimeError(
                        f"{action.name} in {name}: status {reply.status}, expected {action.status}: {reply.body[:300]}"
                    )
                if round_number >= warmup:
                    samples[action.name][name].append(reply.seconds)
    return {
        action: {name: summarize(values) for name, values in by_seat.items()} for action, by_seat in samples.items()
    }
