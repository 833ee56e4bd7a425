"""Synthetic demo data at any scale: a school's teachers, classes, students and months of study.

:func:`seed_demo` writes teachers, classes of about 25 students with their
memberships, extra teacher-written questions when more questions are wanted
than the generated bank has, assignments, and for every student a study
history over the last months: flashcard sessions, self-started quizzes and
assignment attempts. Everything goes in with bulk INSERTs, in chunks.

The histories are not made up row by row: every review is produced by
running the real scheduler (:func:`quizapp.domain.scheduling.review`) on the
student's card at the simulated moment, and every quiz answer is graded by
the real grader, so cards, logs and quiz items are exactly what the app
would have stored. A seeded recall model decides what the student remembers:
the probability of recall is the card's FSRS retrievability at that moment,
raised to a power set by the student's ability and the question's
difficulty. Students study on some days (each has a diligence), review what
is due, learn new cards at a pace that spends their share of the review
budget over the period, take a quiz now and then and do most of their
class's assignments around the due date; one in ten stopped a week or more
ago. The total number of review logs is exactly the number asked for.

The data depends only on the spec, the seed and ``now``: the same arguments
give the same rows (ids, password hashes and session tokens aside), and
student ``i`` has the same history in a school of any size.

Speed: simulating costs about 0.2 ms a review (most of it in fsrs and its
JSON), writing about as much again. Students being independent, they are
simulated by several processes (``workers``) while this one writes. Beyond
``spec.personas`` students (2,000 by default), the approximation that keeps
a million reviews within minutes: student ``i`` is a copy of student
``i % personas`` — same time zone, joining time and history, on their own
cards and attempts, in a class with the same assignments (classes come in
ASSIGNMENT_SETS sets sharing assignments, and personas are whole groups of
such classes). No class holds two copies of one student; a large school is
then 2,000 distinct students' study habits, repeated.
"""

from quizapp.demo.model import DEMO_PASSWORD, DemoReport, DemoSpec, student_username, teacher_username
from quizapp.demo.seed import seed_demo

__all__ = [
    "DEMO_PASSWORD",
    "DemoReport",
    "DemoSpec",
    "seed_demo",
    "student_username",
    "teacher_username",
]
