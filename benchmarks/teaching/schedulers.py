"""SM-2 and fixed intervals behind the scheduling functions the services call, for the teaching benchmark only.

The services schedule a review through ``quizapp.domain.scheduling.review``
(called by ``quizapp.services.reviews.record_review``) and label the grade
buttons with ``preview_intervals`` (imported into ``quizapp.services.study``).
:func:`scheduled_by` swaps both for an :class:`IntervalScheduler` while a
``with`` block runs, so a simulated student studies through the real services
under another algorithm; outside the block the app is untouched. FSRS, as the
app runs it, needs no swap.

Both alternatives count whole days and share SM-2's same-day drill: a card
answered below the scheduler's bar is shown again DRILL_STEP later, as often
as needed, and waits its interval only once answered at the bar. Their card
JSON is their own. Of the columns the services copy from a review,
``stability`` holds the interval in days and ``difficulty`` SM-2's E-Factor:
these schedulers have no memory model, and nothing the simulation calls
reads those two columns.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from quizapp.domain import scheduling
from quizapp.domain.scheduling import DEFAULT_DESIRED_RETENTION, Rating, ReviewOutcome
from quizapp.services import study

DRILL_STEP = timedelta(minutes=10)  # the app's FSRS relearning step

# SM-2's grades are 0-5; the app's four buttons map to the grade each one's meaning matches.
SM2_QUALITY = {Rating.Again: 1, Rating.Hard: 3, Rating.Good: 4, Rating.Easy: 5}
INITIAL_EASE = 2.5
MIN_EASE = 1.3
FIXED_DAYS = (1, 3, 7, 14, 30)


def sm2_ease(ease: float, quality: int) -> float:
    """SM-2's E-Factor after a repetition of ``quality``: EF + (0.1 − (5−q)(0.08 + (5−q)·0.02)), at least 1.3."""
    return max(MIN_EASE, ease + (0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02)))


def sm2_repetition(repetitions: int, interval_days: int, ease: float, quality: int) -> tuple[int, int, float]:
    """SM-2 (Wozniak, 1990): the repetitions, interval in days and E-Factor after a repetition of ``quality``.

    I(1) = 1, I(2) = 6, I(n) = I(n−1) × EF rounded up, with the E-Factor the
    item had before this repetition; then the E-Factor is updated. Below 3 the
    item starts again from I(1) and keeps its E-Factor. A new item has 0
    repetitions, interval 0 and E-Factor 2.5.
    """
    if quality < 3:
        return 1, 1, ease
    repetitions += 1
    if repetitions == 1:
        interval = 1
    elif repetitions == 2:
        interval = 6
    else:
        interval = math.ceil(round(interval_days * ease, 9))  # 2.2 × 10 is 22.000000000000004 in floats
    return repetitions, interval, sm2_ease(ease, quality)


def _sm2_step(repetitions: int, interval_days: int, ease: float, rating: Rating) -> tuple[int, int, float]:
    return sm2_repetition(repetitions, interval_days, ease, SM2_QUALITY[rating])


def _fixed_step(repetitions: int, interval_days: int, ease: float, rating: Rating) -> tuple[int, int, float]:
    """The next of FIXED_DAYS after a recall (the last one repeats), back to the first after Again."""
    if rating == Rating.Again:
        return 1, FIXED_DAYS[0], ease
    repetitions += 1
    return repetitions, FIXED_DAYS[min(repetitions, len(FIXED_DAYS)) - 1], ease


@dataclass(frozen=True)
class IntervalCard:
    """A card under an interval scheduler.

    Attributes:
        state: "learning" (new, drilled), "review", or "relearning" (drilled after graduating).
        repetitions: intervals given since the card was first met or last forgotten.
        interval_days: the interval the card waits once out of its drill.
        ease: SM-2's E-Factor (fixed intervals keep it at 2.5).
        due: when the card is next shown (UTC).
        last_review: its last review (UTC).
    """

    state: str
    repetitions: int
    interval_days: int
    ease: float
    due: datetime
    last_review: datetime

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "due": self.due.isoformat(), "last_review": self.last_review.isoformat()})

    @classmethod
    def from_json(cls, text: str) -> IntervalCard:
        fields = json.loads(text)
        for moment in ("due", "last_review"):
            fields[moment] = datetime.fromisoformat(fields[moment])
        return cls(**fields)


@dataclass(frozen=True)
class IntervalScheduler:
    """A scheduler of whole-day intervals with a same-day drill, shaped like the app's scheduling functions.

    Attributes:
        name: how the report names it.
        step: (repetitions, interval, ease, rating) → the same after a review
            of a new card or a card in review.
        drill_from: the lowest rating that ends a drill; lower ratings are drilled.
    """

    name: str
    step: Callable[[int, int, float, Rating], tuple[int, int, float]]
    drill_from: Rating

    def reviewed(self, card: IntervalCard | None, rating: Rating, now: datetime) -> IntervalCard:
        """The card after a review at ``now`` (None: a new card)."""
        if card is not None and card.state != "review":  # drilled today: only the drill moves
            if rating >= self.drill_from:
                return replace(card, state="review", due=now + timedelta(days=card.interval_days), last_review=now)
            return replace(card, due=now + DRILL_STEP, last_review=now)
        before = card or IntervalCard("new", 0, 0, INITIAL_EASE, now, now)
        repetitions, interval, ease = self.step(before.repetitions, before.interval_days, before.ease, rating)
        if rating >= self.drill_from:
            state, due = "review", now + timedelta(days=interval)
        else:
            state, due = ("learning" if card is None else "relearning"), now + DRILL_STEP
        return IntervalCard(state, repetitions, interval, ease, due, now)

    def review(
        self,
        card_json: str | None,
        rating: Rating,
        now: datetime,
        timezone: ZoneInfo,
        duration: timedelta | None = None,
        desired_retention: float = DEFAULT_DESIRED_RETENTION,
    ) -> ReviewOutcome:
        """As :func:`quizapp.domain.scheduling.review`; ``timezone`` and ``desired_retention`` play no part."""
        now = _utc(now)
        before = IntervalCard.from_json(card_json) if card_json is not None else None
        after = self.reviewed(before, rating, now)
        log = {
            "scheduler": self.name,
            "rating": int(rating),
            "review_datetime": now.isoformat(),
            "review_duration": None if duration is None else duration // timedelta(milliseconds=1),
        }
        return ReviewOutcome(
            card_json=after.to_json(),
            due=after.due,
            state=after.state,
            stability=float(after.interval_days),
            difficulty=after.ease,
            last_review=now,
            state_before_json=card_json,
            log_json=json.dumps(log),
            counted=True,
            prior_state="new" if before is None else before.state,
            was_due=before is None or before.due <= now,
        )

    def preview_intervals(
        self,
        card_json: str | None,
        now: datetime,
        *,
        timezone: ZoneInfo | None = None,
        desired_retention: float = DEFAULT_DESIRED_RETENTION,
    ) -> dict[Rating, timedelta]:
        """As :func:`quizapp.domain.scheduling.preview_intervals`."""
        now = _utc(now)
        card = IntervalCard.from_json(card_json) if card_json is not None else None
        return {rating: max(self.reviewed(card, rating, now).due - now, timedelta(0)) for rating in Rating}


SM2 = IntervalScheduler("SM-2", _sm2_step, drill_from=Rating.Good)  # SM-2 repeats grades below 4 the same day
FIXED = IntervalScheduler("Fixed 1-3-7-14-30 d", _fixed_step, drill_from=Rating.Hard)
# None: the app's own scheduler, FSRS, untouched.
SCHEDULERS: dict[str, IntervalScheduler | None] = {"FSRS (the app)": None, SM2.name: SM2, FIXED.name: FIXED}


def scheduled_by(scheduler: IntervalScheduler | None) -> AbstractContextManager[None]:
    """While the block runs, the services schedule with ``scheduler`` (None: the app's FSRS)."""
    return nullcontext() if scheduler is None else _swapped(scheduler)


@contextmanager
def _swapped(scheduler: IntervalScheduler) -> Iterator[None]:
    with (
        mock.patch.object(scheduling, "review", scheduler.review),
        mock.patch.object(study, "preview_intervals", scheduler.preview_intervals),
    ):
        yield


def _utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)
