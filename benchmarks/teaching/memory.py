"""The simulated students' true memory: forgetting models the benchmark knows and no scheduler is told.

Each student has their own parameters, drawn from the run's seed; each
question has its own hardness (a standard normal draw, the same for every
student) to which each student adds a personal share (normal, sd 0.5), so
students find different questions hard. A memory holds a stability S in days
(the time its recall probability takes to fall to 0.9) and the moment the
answer was last seen: every review shows the answer, so every review is also
an exposure. At first sight the student already knows a fact with probability
``prior × 2 / (1 + e^hardness)`` (their prior at most 0.2).

Two models (:data:`MODELS`):

* ``fsrs-like`` (the benchmark's): FSRS-6's equations with the student's own
  parameters, drawn around FSRS-6's published defaults, which were fitted on
  Anki users' reviews: their initial stabilities, how much a recall
  strengthens a memory, how much a lapse keeps, and the shape of their
  forgetting curve (the decay) all vary. The question's hardness shifts its
  initial difficulty. Time is continuous, not whole days.
* ``exponential``: recall 0.9^(days / S); first sight S = S0 × ease; recalled
  with probability p, S × (1 + G × ease × (1 − p) × S^−0.15); forgotten,
  S × L (at least 15 minutes); ease = e^(−hardness / 2). Same-day
  repetitions, recalled at p near 1, strengthen the memory very little.

Every draw comes from a generator seeded with the run's seed, the student, the
question and the exposure's number, so a student meeting a card for the n-th
time draws the same number under every scheduler (common random numbers):
the schedulers differ only in when they show cards.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

DAY_SECONDS = 86400
RECALL_AT_STABILITY = 0.9
# Seconds an answer takes at pace 1: recalling, or reading an answer not known.
RECALLED_SECONDS = 8.0
NOT_RECALLED_SECONDS = 14.0
# FSRS-6's default parameters (py-fsrs 6.3), written out so that the truth never moves with the
# app's library.
FSRS6_DEFAULTS = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)  # fmt: skip
AGAIN, GOOD, EASY = 1, 3, 4  # FSRS's ratings: what the student's outcome amounts to


@dataclass
class Memory:
    """What one student holds of one question.

    Attributes:
        hardness: how hard this student finds the question, a standard score.
        stability: days until recall falls to 0.9.
        difficulty: FSRS's difficulty, 1 to 10 (fsrs-like model only).
        seen_at: when the answer was last seen; None before first sight.
        exposures: how many times the card was shown.
    """

    hardness: float
    stability: float = 0.0
    difficulty: float = 0.0
    seen_at: datetime | None = None
    exposures: int = 0


class ForgettingModel(Protocol):
    def recall_probability(self, memory: Memory, elapsed_days: float) -> float: ...

    def first_sight(self, memory: Memory, recalled: bool) -> None: ...

    def exposure(self, memory: Memory, recalled: bool, probability: float, elapsed_days: float) -> None: ...


@dataclass(frozen=True)
class FsrsLike:
    """FSRS-6's memory equations with one student's parameters (21, in FSRS-6's order)."""

    parameters: tuple[float, ...]

    @classmethod
    def draw(cls, rng: random.Random) -> FsrsLike:
        w = list(FSRS6_DEFAULTS)
        strength = math.exp(rng.gauss(0, 0.5))
        w[0:4] = [value * strength for value in w[0:4]]  # initial stabilities
        w[8] += rng.gauss(0, 0.25)  # how much a recall strengthens (in the exponent)
        w[11] *= math.exp(rng.gauss(0, 0.3))  # what a lapse keeps
        w[20] = min(max(w[20] * math.exp(rng.gauss(0, 0.4)), 0.1), 0.8)  # the forgetting curve's decay
        return cls(tuple(w))

    def recall_probability(self, memory: Memory, elapsed_days: float) -> float:
        decay = self.parameters[20]
        factor = RECALL_AT_STABILITY ** (-1 / decay) - 1
        return (1 + factor * elapsed_days / memory.stability) ** -decay

    def initial_difficulty(self, rating: int) -> float:
        w = self.parameters
        return w[4] - math.exp(w[5] * (rating - 1)) + 1

    def first_sight(self, memory: Memory, recalled: bool) -> None:
        rating = GOOD if recalled else AGAIN
        memory.stability = self.parameters[rating - 1]
        memory.difficulty = _clamp(self.initial_difficulty(rating) + memory.hardness, 1, 10)

    def exposure(self, memory: Memory, recalled: bool, probability: float, elapsed_days: float) -> None:
        w, s, d = self.parameters, memory.stability, memory.difficulty
        rating = GOOD if recalled else AGAIN
        if elapsed_days < 1:  # FSRS-6's same-day (short-term) stability
            increase = math.exp(w[17] * (rating - 3 + w[18])) * s ** -w[19]
            s *= max(increase, 1.0) if recalled else increase
        elif recalled:
            s *= 1 + math.exp(w[8]) * (11 - d) * s ** -w[9] * (math.exp(w[10] * (1 - probability)) - 1)
        else:
            long_term = w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * math.exp(w[14] * (1 - probability))
            s = min(long_term, s / math.exp(w[17] * w[18]))
        change = -w[6] * (rating - 3)
        damped = d + (10 - d) * change / 9
        memory.difficulty = _clamp(w[7] * self.initial_difficulty(EASY) + (1 - w[7]) * damped, 1, 10)
        memory.stability = max(s, 0.001)


@dataclass(frozen=True)
class Exponential:
    """The exponential model of the module's docstring, with one student's S0, G and L."""

    initial_stability: float
    growth: float
    lapse_keep: float

    SATURATION = 0.15
    MIN_STABILITY = 15 / (24 * 60)

    @classmethod
    def draw(cls, rng: random.Random) -> Exponential:
        """Medians: S0 6 hours, G 25, L 0.2."""
        return cls(
            initial_stability=0.25 * math.exp(rng.gauss(0, 0.4)),
            growth=25 * math.exp(rng.gauss(0, 0.35)),
            lapse_keep=min(0.2 * math.exp(rng.gauss(0, 0.3)), 0.6),
        )

    @staticmethod
    def ease(memory: Memory) -> float:
        return math.exp(-memory.hardness / 2)

    def recall_probability(self, memory: Memory, elapsed_days: float) -> float:
        return RECALL_AT_STABILITY ** (elapsed_days / memory.stability)

    def first_sight(self, memory: Memory, recalled: bool) -> None:
        memory.stability = self.initial_stability * self.ease(memory)

    def exposure(self, memory: Memory, recalled: bool, probability: float, elapsed_days: float) -> None:
        if recalled:
            growth = self.growth * self.ease(memory) * (1 - probability) * memory.stability**-self.SATURATION
            memory.stability *= 1 + growth
        else:
            memory.stability = max(memory.stability * self.lapse_keep, self.MIN_STABILITY)


MODELS = {"fsrs-like": FsrsLike.draw, "exponential": Exponential.draw}


@dataclass(frozen=True)
class Answer:
    recalled: bool
    seconds: float
    probability: float  # the true recall chance when the card was shown


@dataclass
class SimulatedStudent:
    """Student ``index`` of a run: their model's parameters, prior and pace, drawn from ``seed``."""

    seed: int
    index: int
    model_name: str = "fsrs-like"
    model: ForgettingModel = field(init=False)
    prior: float = field(init=False)
    pace: float = field(init=False)
    memories: dict[str, Memory] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        rng = random.Random(f"{self.seed}:student:{self.index}")
        self.prior = rng.uniform(0.0, 0.2)
        self.pace = math.exp(rng.gauss(0, 0.25))
        self.model = MODELS[self.model_name](rng)

    def memory(self, question_id: str) -> Memory:
        if question_id not in self.memories:
            shared = random.Random(f"{self.seed}:question:{question_id}").gauss(0, 1)
            personal = random.Random(f"{self.seed}:student:{self.index}:{question_id}").gauss(0, 0.5)
            self.memories[question_id] = Memory(hardness=shared + personal)
        return self.memories[question_id]

    def recall_probability(self, question_id: str, at: datetime) -> float:
        """The true chance of recalling the question at ``at``; 0 before first sight."""
        memory = self.memories.get(question_id)
        if memory is None or memory.seen_at is None:
            return 0.0
        return self.model.recall_probability(memory, _days(at - memory.seen_at))

    def answer(self, question_id: str, shown_at: datetime) -> Answer:
        """Answer a card shown at ``shown_at``; the memory then takes in the answer, seen at the end."""
        memory = self.memory(question_id)
        draws = random.Random(f"{self.seed}:{self.index}:{question_id}:{memory.exposures}")
        if memory.seen_at is None:
            probability = self.prior * 2 / (1 + math.exp(memory.hardness))
        else:
            probability = self.recall_probability(question_id, shown_at)
        recalled = draws.random() < probability
        base = RECALLED_SECONDS if recalled else NOT_RECALLED_SECONDS
        seconds = base * self.pace * math.exp(draws.gauss(0, 0.3))
        if memory.seen_at is None:
            self.model.first_sight(memory, recalled)
        else:
            self.model.exposure(memory, recalled, probability, _days(shown_at - memory.seen_at))
        memory.seen_at = shown_at + timedelta(seconds=seconds)
        memory.exposures += 1
        return Answer(recalled, seconds, probability)


def _days(elapsed: timedelta) -> float:
    return max(elapsed.total_seconds(), 0.0) / DAY_SECONDS


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
