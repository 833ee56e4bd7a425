"""Item analysis of questions from quiz attempts, with Moodle's definitions.

Each attempt is a mapping from question id to the score earned, between 0 and
1 (every question is worth 1), holding only the questions that attempt
contained. For every question, over the attempts that contained it:

* ``n``: how many attempts contained it.
* Facility index F: mean score / maximum score (here just the mean), 0 to 1.
* Standard deviation: the sample SD of the scores, ``sqrt(sum((x - mean)^2) / (n - 1))``;
  None when n < 2.
* Discrimination index: 100 × the Pearson correlation between the score on
  the question and the score on the rest of the attempt (the attempt's total
  minus this question), -100 to 100; None when it is undefined (n < 2, or
  either side does not vary).

Sums are taken exactly (as fractions of the given floats) so that a question
everyone answers alike has exactly zero variance rather than rounding noise.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from quizapp.domain.grading import normalize

TOO_EASY_ABOVE = 0.9
TOO_HARD_BELOW = 0.2
# A question is flagged only after this many attempts: one or two answers say nothing about it.
MIN_ATTEMPTS_TO_FLAG = 5


class ItemFlag(StrEnum):
    TOO_EASY = "too_easy"  # facility above TOO_EASY_ABOVE
    TOO_HARD = "too_hard"  # facility below TOO_HARD_BELOW
    NEGATIVE_DISCRIMINATION = "negative_discrimination"  # stronger students do worse on it


@dataclass(frozen=True)
class ItemStatistics:
    """How one question performed.

    Attributes:
        question_id: the question.
        n: attempts that contained it.
        facility: F, the mean score as a fraction of the maximum (0 to 1).
        standard_deviation: sample SD of the scores (0 to 1), None when n < 2.
        discrimination_index: 100 × correlation with the rest of the attempt
            (-100 to 100), None when undefined.
    """

    question_id: str
    n: int
    facility: float
    standard_deviation: float | None
    discrimination_index: float | None

    @property
    def too_easy(self) -> bool:
        return self.facility > TOO_EASY_ABOVE

    @property
    def too_hard(self) -> bool:
        return self.facility < TOO_HARD_BELOW

    @property
    def negative_discrimination(self) -> bool:
        return self.discrimination_index is not None and self.discrimination_index < 0

    @property
    def flags(self) -> tuple[ItemFlag, ...]:
        """The warnings that apply, in :class:`ItemFlag` order; none before MIN_ATTEMPTS_TO_FLAG attempts."""
        if self.n < MIN_ATTEMPTS_TO_FLAG:
            return ()
        present = {
            ItemFlag.TOO_EASY: self.too_easy,
            ItemFlag.TOO_HARD: self.too_hard,
            ItemFlag.NEGATIVE_DISCRIMINATION: self.negative_discrimination,
        }
        return tuple(flag for flag, applies in present.items() if applies)


def item_statistics(attempts: Sequence[Mapping[str, float]]) -> dict[str, ItemStatistics]:
    """Item analysis of every question that appears in ``attempts``.

    Args:
        attempts: one mapping question id -> score (0 to 1) per attempt.

    Returns:
        Statistics keyed by question id, in id order.

    Raises:
        ValueError: if a score is not a number between 0 and 1.
    """
    exact_attempts = [_exact_scores(number, attempt) for number, attempt in enumerate(attempts, start=1)]
    totals = [sum(attempt.values(), Fraction(0)) for attempt in exact_attempts]
    pairs: dict[str, list[tuple[Fraction, Fraction]]] = {}
    for attempt, total in zip(exact_attempts, totals, strict=False):
        for question_id, score in attempt.items():
            pairs.setdefault(question_id, []).append((score, total - score))
    return {question_id: _item(question_id, pairs[question_id]) for question_id in sorted(pairs)}


def _exact_scores(number: int, attempt: Mapping[str, float]) -> dict[str, Fraction]:
    scores = {}
    for question_id, score in attempt.items():
        if not (isinstance(score, (int, float)) and 0 <= score <= 1):
            raise ValueError(
                f"attempt {number}: the score of {question_id!r} is {score!r}; scores must be between 0 and 1"
            )
        scores[question_id] = Fraction(score)
    return scores


def _item(question_id: str, pairs: list[tuple[Fraction, Fraction]]) -> ItemStatistics:
    n = len(pairs)
    scores = [score for score, _ in pairs]
    rests = [rest for _, rest in pairs]
    mean_score = sum(scores, Fraction(0)) / n
    mean_rest = sum(rests, Fraction(0)) / n
    sum_squares_score = sum(((score - mean_score) ** 2 for score in scores), Fraction(0))
    sum_squares_rest = sum(((rest - mean_rest) ** 2 for rest in rests), Fraction(0))
    sum_products = sum(((score - mean_score) * (rest - mean_rest) for score, rest in pairs), Fraction(0))
    standard_deviation = math.sqrt(sum_squares_score / (n - 1)) if n >= 2 else None
    discrimination = None
    if n >= 2 and sum_squares_score > 0 and sum_squares_rest > 0:
        correlation = float(sum_products) / math.sqrt(float(sum_squares_score * sum_squares_rest))
        discrimination = 100 * max(-1.0, min(1.0, correlation))
    return ItemStatistics(
        question_id=question_id,
        n=n,
        facility=float(mean_score),
        standard_deviation=standard_deviation,
        discrimination_index=discrimination,
    )


@dataclass(frozen=True)
class WrongAnswer:
    """A wrong response and how many gave it.

    Attributes:
        text: the spelling given most often (the earliest of equally common ones).
        count: how many wrong responses normalize to the same text.
    """

    text: str
    count: int


def most_common_wrong_answers(responses: Sequence[tuple[str, bool]], limit: int = 3) -> list[WrongAnswer]:
    """The wrong responses given most often to one question.

    Responses are grouped as the grader compares them
    (:func:`quizapp.domain.grading.normalize`: case, accents and punctuation
    ignored); blank responses are left out.

    Args:
        responses: (response text, whether it was graded correct) pairs.
        limit: how many to return at most.

    Returns:
        Most common first; ties in the order first given.
    """
    groups: dict[str, Counter[str]] = {}
    for text, correct in responses:
        key = normalize(text)
        if not correct and key:
            groups.setdefault(key, Counter())[text.strip()] += 1
    # dict and Counter keep first-seen order, and sorted() is stable, so ties stay in that order.
    ranked = sorted(groups.values(), key=lambda spellings: -spellings.total())
    return [WrongAnswer(spellings.most_common(1)[0][0], spellings.total()) for spellings in ranked[: max(limit, 0)]]
