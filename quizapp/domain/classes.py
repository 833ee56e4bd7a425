"""Classes and their progress review: join codes, due dates, the at-risk rule,
mastery trends, score histograms and gradebook sorting.

Pure functions: no web or database imports; ``now`` and random sources are
passed in, and every datetime must be timezone-aware.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from quizapp.domain.days import day_bounds, local_date
from quizapp.domain.scheduling import is_mastered

__all__ = [
    "AT_RISK_INACTIVE_DAYS",
    "AT_RISK_RETENTION",
    "AT_RISK_RETENTION_REVIEWS",
    "HISTOGRAM_BINS",
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "AtRiskReason",
    "DeadlineWork",
    "DueDayProblem",
    "at_risk_reasons",
    "due_at_for",
    "due_day_of",
    "format_join_code",
    "histogram_labels",
    "mastered_at",
    "new_join_code",
    "normalize_join_code",
    "score_bin",
    "score_histogram",
    "sorted_none_last",
]


class DeadlineWork:
    """What a student's work on an assignment says, for dataclasses that carry its numbers.

    The class mixing it in provides ``finished_at``, ``due_at``, ``correct``
    and ``questions`` (the attempt's question count; None or 0 before it exists).
    """

    finished_at: datetime | None
    due_at: datetime
    correct: int
    questions: int | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def late(self) -> bool:
        """Finished after the deadline."""
        return self.finished_at is not None and self.finished_at > self.due_at

    @property
    def score(self) -> float | None:
        """Share of the questions answered right, once finished."""
        if self.finished_at is None or not self.questions:
            return None
        return self.correct / self.questions


# No 0/O, 1/I/L: a code read aloud or copied from a board is never ambiguous.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 codes: collisions are rare, and retried anyway

AT_RISK_INACTIVE_DAYS = 7
MASTERY_TREND_DAYS = 7
HISTOGRAM_BINS = 10
# True retention below this, over at least AT_RISK_RETENTION_REVIEWS reviews, means the student
# forgets much more than the 90% the schedule aims at.
AT_RISK_RETENTION = 0.8
AT_RISK_RETENTION_REVIEWS = 10

T = TypeVar("T")


# --- join codes -----------------------------------------------------------------


def new_join_code(rng: random.Random) -> str:
    """A fresh join code of JOIN_CODE_LENGTH characters from JOIN_CODE_ALPHABET.

    Args:
        rng: the random source; pass ``secrets.SystemRandom()`` in production,
            a seeded ``random.Random`` in tests.
    """
    return "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(text: str) -> str:
    """A code as typed (any case, spaces or dashes) in its stored form: ``"abcd-efgh"`` -> ``"ABCDEFGH"``."""
    return "".join(char for char in text.upper() if char not in " -\t")


def format_join_code(code: str) -> str:
    """A stored code split in two halves for reading aloud: ``"ABCDEFGH"`` -> ``"ABCD-EFGH"``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) >= 2 else code


# --- due dates ------------------------------------------------------------------


# A school year ahead at most: a later due date is a typing slip (9999 for 2025).
MAX_DUE_DAYS_AHEAD = 366


class DueDayProblem(StrEnum):
    """Why a day cannot be an assignment's due date (the views word it in the teacher's language)."""

    PAST = "past"
    TOO_FAR = "too_far"  # more than MAX_DUE_DAYS_AHEAD days ahead


def due_day_problem(day: date, today: date) -> DueDayProblem | None:
    """Why ``day`` cannot be an assignment's due date when it is ``today`` for the teacher, or None."""
    if day < today:
        return DueDayProblem.PAST
    if (day - today).days > MAX_DUE_DAYS_AHEAD:
        return DueDayProblem.TOO_FAR
    return None


def due_at_for(day: date, tz: ZoneInfo) -> datetime:
    """The last instant (UTC) of the local calendar ``day`` in ``tz``: an assignment's deadline.

    Example: 12 March in Lima (UTC-5) ends at 13 March 04:59:59.999999 UTC.
    """
    return day_bounds(day, tz).end - timedelta(microseconds=1)


def due_day_of(due_at: datetime, tz: ZoneInfo) -> date:
    """The local date a deadline falls on, read in ``tz``."""
    return local_date(due_at, tz)


# --- mastery then ---------------------------------------------------------------


def mastered_at(
    moment: datetime,
    *,
    current_stability: float | None,
    current_last_review: datetime | None,
    reviewed_since: bool,
    stability_before: float | None = None,
    last_review_before: datetime | None = None,
) -> bool:
    """Whether a card was mastered (:func:`scheduling.is_mastered`) at a past ``moment``.

    A card not reviewed since ``moment`` still has the memory state it had
    then: its current stability and last review tell. Otherwise the state it
    had then is the one logged just before its first review after ``moment``
    (``stability_before``/``last_review_before``, both None when that review
    created the card: it did not exist yet, so it was not mastered).
    """
    if not reviewed_since:
        return is_mastered(current_stability, current_last_review, moment)
    return is_mastered(stability_before, last_review_before, moment)


# --- at risk --------------------------------------------------------------------


class AtRiskReason(StrEnum):
    INACTIVE = "inactive"  # no review for AT_RISK_INACTIVE_DAYS days or more
    MASTERY_FALLING = "mastery_falling"  # fewer cards mastered now than MASTERY_TREND_DAYS ago
    LOW_RETENTION = "low_retention"  # true retention below AT_RISK_RETENTION


def at_risk_reasons(
    *,
    now: datetime,
    last_active: datetime | None,
    joined_at: datetime,
    mastered_now: int,
    mastered_before: int,
    retention: float | None,
    retention_reviews: int,
) -> tuple[AtRiskReason, ...]:
    """Why a student needs attention; empty when they don't.

    Inactive: the last review (or, without any, joining the class) is
    AT_RISK_INACTIVE_DAYS days ago or more. Mastery falling: fewer of the
    student's cards are mastered now than MASTERY_TREND_DAYS days ago
    (see :func:`mastered_at`), i.e. they forget faster than they review.
    Low retention: their true retention (``retention``, over
    ``retention_reviews`` reviews of due cards) is under AT_RISK_RETENTION,
    once there are at least AT_RISK_RETENTION_REVIEWS such reviews.
    """
    reasons = []
    if now - (last_active or joined_at) >= timedelta(days=AT_RISK_INACTIVE_DAYS):
        reasons.append(AtRiskReason.INACTIVE)
    if mastered_now < mastered_before:
        reasons.append(AtRiskReason.MASTERY_FALLING)
    if retention is not None and retention_reviews >= AT_RISK_RETENTION_REVIEWS and retention < AT_RISK_RETENTION:
        reasons.append(AtRiskReason.LOW_RETENTION)
    return tuple(reasons)


# --- score histograms -------------------------------------------------------------


def score_bin(correct: int, length: int) -> int:
    """The 10%-wide bin of a score: 0 for [0, 10%), ..., 9 for [90%, 100%].

    Computed in integers, so 7/10 lands in bin 7, never 6 by rounding.

    Raises:
        ValueError: if the score is not between 0 and ``length`` or ``length`` < 1.
    """
    if length < 1 or not 0 <= correct <= length:
        raise ValueError(f"not a score: {correct} of {length}")
    return min(correct * HISTOGRAM_BINS // length, HISTOGRAM_BINS - 1)


def score_histogram(scores: Iterable[tuple[int, int, int]]) -> list[int]:
    """How many scores fall in each 10% bin.

    Args:
        scores: (correct, length, how many attempts scored that) triples, as
            a GROUP BY returns them.

    Returns:
        HISTOGRAM_BINS counts, lowest scores first.
    """
    counts = [0] * HISTOGRAM_BINS
    for correct, length, count in scores:
        counts[score_bin(correct, length)] += count
    return counts


def histogram_labels() -> list[str]:
    """The bins' labels: "0–9%", "10–19%", ..., "90–100%"."""
    step = 100 // HISTOGRAM_BINS
    labels = [f"{low}–{low + step - 1}%" for low in range(0, 100 - step, step)]
    return [*labels, f"{100 - step}–100%"]


# --- sorting ----------------------------------------------------------------------


def sorted_none_last(rows: Sequence[T], key: Callable[[T], Any], descending: bool = False) -> list[T]:
    """``rows`` sorted by ``key``, rows whose key is None last in either direction.

    Stable: rows with equal keys keep their given order.
    """
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    return sorted(present, key=key, reverse=descending) + missing
