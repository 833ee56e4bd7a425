"""Choosing a randomized quiz: which questions, in which order, with which option order.

Which options a question shows is its type's rule (:func:`quizapp.domain.question_types.options_shown`),
which shuffles them with :func:`shuffle_options`.

Everything is decided by a seed stored on the attempt, so the same seed and the
same candidates always give the same quiz.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_LENGTH = 5
MAX_LENGTH = 50
DEFAULT_LENGTH = 10

# FSRS difficulty runs from 1 (easy) to 10 (hard); above this a card counts as weak.
WEAK_DIFFICULTY = 7.0

# A longer gap between showing a question and answering it means the student
# left and came back, so the time says nothing about how hard recall was.
AWAY_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Candidate:
    """A question that may be asked, with what the student's history says about it.

    Attributes:
        question_id: the question's stable id.
        topic: the question's topic slug.
        due: the student's card for it is due now.
        weak: the student has struggled with it (see :func:`is_weak`).
        seen: the student has a card for it, i.e. has answered it before.
        fact: the fact it asks about; questions of one fact ("siblings") are
            never asked back to back. Empty for a question of no fact (a
            teacher's), which has no siblings.
    """

    question_id: str
    topic: str
    due: bool = False
    weak: bool = False
    seen: bool = False
    fact: str = ""

    @property
    def family(self) -> str:
        """What siblings share: the fact, or the question itself when it has none."""
        return self.fact or f"question:{self.question_id}"


def is_weak(lapses: int | None, difficulty: float | None, last_quiz_correct: bool | None) -> bool:
    """Whether a student's history with a question marks it as weak.

    Weak means: forgotten at least once after it was learned, an FSRS difficulty
    above :data:`WEAK_DIFFICULTY`, or answered wrong the last time it came up in a quiz.
    None means "no such history".
    """
    return (lapses or 0) > 0 or (difficulty is not None and difficulty > WEAK_DIFFICULTY) or last_quiz_correct is False


def select_questions(candidates: Iterable[Candidate], length: int, seed: int | str) -> list[str]:
    """Draw the question ids of a quiz.

    Up to half of the quiz (``length // 2``) is taken from questions that are
    due, then from those that are weak; the rest from questions never seen;
    when those run out, from the remaining due and weak questions, then from
    everything else. No question is drawn twice, and the final order is
    shuffled too, then spread so that no two questions of one fact follow
    each other whenever some order allows it (:func:`spread_siblings`).

    Deterministic: the candidates are sorted by id before ``random.Random(seed)``
    draws, so their input order does not matter.

    Args:
        candidates: the questions that may be asked, each id once.
        length: how many questions the quiz should have; it gets fewer when
            there are fewer candidates.
        seed: the attempt's seed.

    Returns:
        ``min(length, len(candidates))`` distinct question ids in quiz order.

    Raises:
        ValueError: if ``length`` is below 1 or an id occurs twice.
    """
    if length < 1:
        raise ValueError(f"a quiz needs at least one question, got length {length}")
    pool = sorted(candidates, key=lambda candidate: candidate.question_id)
    ids = [candidate.question_id for candidate in pool]
    if len(set(ids)) != len(ids):
        raise ValueError("each candidate question may be given only once")

    rng = random.Random(seed)
    due = [c for c in pool if c.due]
    weak = [c for c in pool if c.weak and not c.due]
    new = [c for c in pool if not (c.seen or c.due or c.weak)]
    familiar = [c for c in pool if c.seen and not (c.due or c.weak)]
    for group in (due, weak, new, familiar):
        rng.shuffle(group)

    review = due + weak
    review_quota = length // 2
    chosen = review[:review_quota]
    chosen += new[: length - len(chosen)]
    chosen += (review[review_quota:] + familiar)[: length - len(chosen)]
    rng.shuffle(chosen)
    return [candidate.question_id for candidate in spread_siblings(chosen)]


def spread_siblings(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates reordered as little as needed so that no two of one fact are adjacent.

    Goes through them in their order, each time taking the first one of
    another fact than the one just placed whose taking still leaves an order
    for the rest without neighbours of one fact. When no order can avoid it
    (most of the quiz on one fact), the most numerous fact goes first each
    time, which needs the fewest neighbours.
    """
    remaining = list(candidates)
    counts = Counter(candidate.family for candidate in remaining)
    placed: list[Candidate] = []
    previous: str | None = None
    while remaining:
        others = [candidate for candidate in remaining if candidate.family != previous]
        feasible = [candidate for candidate in others if _can_follow(counts, candidate.family)]
        if feasible:
            chosen = feasible[0]
        else:  # no order avoids neighbours: place the most numerous fact first, to need the fewest
            chosen = max(others or remaining, key=lambda candidate: counts[candidate.family])
        remaining.remove(chosen)
        counts[chosen.family] -= 1
        placed.append(chosen)
        previous = chosen.family
    return placed


def _can_follow(counts: Counter[str], taken: str) -> bool:
    """Whether the rest can be ordered without neighbours of one fact once one of ``taken`` is placed."""
    rest = counts.copy()
    rest[taken] -= 1
    total = sum(rest.values())
    # The first of the rest may not be of ``taken``: it then fits only every other place.
    return rest[taken] <= total // 2 and all(
        count <= (total + 1) // 2 for family, count in rest.items() if family != taken
    )


def shuffle_options(options: Sequence[str], seed: int | str, question_id: str) -> list[str]:
    """The options of one question in the order this attempt shows them.

    Seeded by both the attempt's seed and the question id, so each question of
    a quiz gets its own order and the same attempt always shows the same one.
    """
    shuffled = list(options)
    random.Random(f"{seed}:{question_id}").shuffle(shuffled)
    return shuffled


def answer_duration(shown_at: datetime | None, answered_at: datetime) -> timedelta | None:
    """How long the student took to answer, or None when that is unknown.

    Unknown when the question was never shown (an answer posted directly), when
    the clocks disagree, or when the gap exceeds :data:`AWAY_AFTER`.
    """
    if shown_at is None:
        return None
    duration = answered_at - shown_at
    if duration < timedelta(0) or duration > AWAY_AFTER:
        return None
    return duration
