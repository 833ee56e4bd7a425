"""Tickets for the flashcard the server has just shown a student.

Showing a card's front issues a ticket: a signed, timed token naming the
student, the question, the version of their card and the quiz whose mistakes
they are reviewing, if any. The answer is shown, and a grade accepted, only
with a ticket, so a student never sees the answer of a question they were not
shown, and never grades a card they were not asked (a grade of an old version
is refused by the card's version check). The ticket travels in the "Show
answer" link and the grade form, so two tabs each keep their own card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "quizapp.study.card"
# Long enough for a card left open during a lesson; a day-old tab starts again.
MAX_AGE = timedelta(hours=6)


class InvalidTicket(Exception):
    """A ticket that was not issued to this student by this app, or is mangled."""


class ExpiredTicket(InvalidTicket):
    """A genuine ticket, older than MAX_AGE."""


@dataclass(frozen=True)
class ShownCard:
    """What a ticket says was shown.

    Attributes:
        question_id: the question on the card.
        card_version: the version of the student's card then (0: new to them).
        attempt_id: the quiz attempt whose mistakes were being reviewed, if any.
    """

    question_id: str
    card_version: int
    attempt_id: int | None


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def issue(secret_key: str, user_id: int, shown: ShownCard, now: datetime) -> str:
    """A ticket for ``shown`` at ``now``, signed with the app's secret key, for the student ``user_id`` only."""
    return _serializer(secret_key).dumps(
        [user_id, shown.question_id, shown.card_version, shown.attempt_id, int(now.timestamp())]
    )


def read(secret_key: str, user_id: int, ticket: str, now: datetime) -> ShownCard:
    """The card a ticket says was shown to the student ``user_id``.

    Raises:
        ExpiredTicket: the ticket is genuine but older than MAX_AGE at ``now``.
        InvalidTicket: it is forged, mangled, or was issued to someone else.
    """
    try:
        owner, question_id, card_version, attempt_id, issued = _serializer(secret_key).loads(ticket)
    except (BadSignature, TypeError, ValueError):
        raise InvalidTicket from None
    if owner != user_id:
        raise InvalidTicket
    if now.timestamp() - issued > MAX_AGE.total_seconds():
        raise ExpiredTicket
    return ShownCard(question_id, card_version, attempt_id)
