"""A thin adapter over the ``fsrs`` package: the only module that imports it.

Cards are stored as ``fsrs.Card`` JSON (``Card.to_json()``) and reviews as
``fsrs.ReviewLog`` JSON, so a schedule can always be recomputed from the logs
with :func:`reschedule`. The scheduler never fuzzes intervals, so the same
reviews always give the same schedule.

Every datetime must be timezone-aware; it is converted to UTC, as fsrs
requires. The student's own time zone matters only for the same-day rule of
:func:`review`.

It is also the one home of what the memory model says about a student:
retrievability, mastery, true retention and leeches are defined here and
nowhere else; services put the same definitions into SQL with the
constants below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, ReviewLog, Scheduler, State

__all__ = [
    "DEFAULT_DESIRED_RETENTION",
    "LEECH_LAPSES",
    "MASTERY_STABILITY_DAYS",
    "MAX_DESIRED_RETENTION",
    "MIN_DESIRED_RETENTION",
    "SCHEDULER",
    "TRUE_RETENTION_WINDOW",
    "CardSummary",
    "Rating",
    "ReviewOutcome",
    "becomes_leech",
    "card_summary",
    "counts_for_true_retention",
    "format_interval",
    "is_mastered",
    "preview_intervals",
    "rating_for_quiz_answer",
    "recalled",
    "reschedule",
    "retrievability",
    "retrievability_at",
    "review",
    "scheduler_for",
]

DEFAULT_DESIRED_RETENTION = 0.9
# The range a student may choose in their settings; FSRS's own advice for learners.
MIN_DESIRED_RETENTION = 0.80
MAX_DESIRED_RETENTION = 0.97
SCHEDULER = Scheduler(desired_retention=DEFAULT_DESIRED_RETENTION, enable_fuzzing=False)

# Mastered: memory stability of three weeks or more (Anki calls a card with an interval
# that long "mature"), and not let slip since: the recall chance is still at least 0.9.
MASTERY_STABILITY_DAYS = 21
# True retention, as Anki reports it: the share of reviews of due review cards recalled.
TRUE_RETENTION_WINDOW = timedelta(days=30)
# Anki's leech threshold: forgotten this many times, a card leaves the flashcards; once
# brought back, every LEECH_LAPSES // 2 more lapses make it a leech again.
LEECH_LAPSES = 8

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RECALLED = (Rating.Hard, Rating.Good, Rating.Easy)


@cache
def scheduler_for(desired_retention: float) -> Scheduler:
    """The scheduler planning reviews for ``desired_retention`` (one per value, kept)."""
    if not MIN_DESIRED_RETENTION <= desired_retention <= MAX_DESIRED_RETENTION:
        raise ValueError(
            f"desired retention {desired_retention} is outside {MIN_DESIRED_RETENTION}–{MAX_DESIRED_RETENTION}"
        )
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


@dataclass(frozen=True)
class ReviewOutcome:
    """What one review did, ready to be stored.

    Attributes:
        card_json: the card after the review (``fsrs.Card`` JSON). Unchanged
            from the input when ``counted`` is False.
        due: when the card is next due (UTC).
        state: ``"learning"``, ``"review"`` or ``"relearning"``.
        stability: FSRS stability in days after the review.
        difficulty: FSRS difficulty (1 to 10) after the review.
        last_review: the card's last counted review (UTC).
        state_before_json: the card before the review, None for a new card;
            storing it makes a review undoable.
        log_json: the ``fsrs.ReviewLog`` JSON of this review, written even
            when it was not counted.
        counted: False when the same-day rule kept the memory state as it was.
        prior_state: the card's state before the review: ``"new"``,
            ``"learning"``, ``"review"`` or ``"relearning"``.
        was_due: the card was due when reviewed (a new card always is).
    """

    card_json: str
    due: datetime
    state: str
    stability: float
    difficulty: float
    last_review: datetime
    state_before_json: str | None
    log_json: str
    counted: bool
    prior_state: str
    was_due: bool

    @property
    def stable_until(self) -> datetime:
        """Until when the card stays at or above the 0.9 retention target: ``stability`` days after review."""
        return self.last_review + timedelta(days=self.stability)


def lapses_added(rating: Rating, state_before: str | None) -> int:
    """1 when a review is a lapse: Again on a card in the Review state, or on a card seen for the first time."""
    return int(rating == Rating.Again and state_before in (None, "review"))


def becomes_leech(lapses: int, lapsed_now: bool) -> bool:
    """Whether the lapse just counted (``lapses`` now in all) makes the card a leech.

    At LEECH_LAPSES lapses, then every LEECH_LAPSES // 2 more, as Anki does:
    a card brought back after becoming a leech gets a few chances, not eight.
    """
    return lapsed_now and lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % (LEECH_LAPSES // 2) == 0


def recalled(rating: int) -> bool:
    """Whether a review counts as recalled: anything but Again."""
    return rating != Rating.Again


def counts_for_true_retention(prior_state: str, was_due: bool) -> bool:
    """Whether a review enters true retention: a review card (not new, not in learning steps) that was due."""
    return prior_state == "review" and was_due


def is_mastered(stability: float | None, last_review: datetime | None, at: datetime) -> bool:
    """Whether a card is mastered at ``at`` (worded for students in templating.MASTERY_DEFINITION).

    Stability of MASTERY_STABILITY_DAYS or more, and the recall chance at
    ``at`` still at least 0.9, which holds until ``last_review + stability``
    (the column ``stable_until``).
    """
    return (
        stability is not None
        and last_review is not None
        and stability >= MASTERY_STABILITY_DAYS
        and last_review + timedelta(days=stability) >= at
    )


@dataclass(frozen=True)
class CardSummary:
    """The fields of a stored card worth copying into database columns."""

    due: datetime
    state: str
    stability: float | None
    difficulty: float | None
    last_review: datetime | None

    @property
    def stable_until(self) -> datetime | None:
        """As :attr:`ReviewOutcome.stable_until`; None for a card never reviewed."""
        if self.stability is None or self.last_review is None:
            return None
        return self.last_review + timedelta(days=self.stability)


# A partly right answer at least this good counts as recalled, with difficulty (Hard).
PARTIAL_RECALL = 0.5


def rating_for_quiz_score(score: float, duration: timedelta, slow_after: timedelta = timedelta(seconds=30)) -> Rating:
    """Turn a quiz answer's score (0 to 1, partial credit) into an FSRS rating.

    The whole point is rated as :func:`rating_for_quiz_answer` rates a right
    answer; at least :data:`PARTIAL_RECALL` of it is Hard (recalled, with
    difficulty); less is Again.
    """
    if score >= 1:
        return rating_for_quiz_answer(True, duration, slow_after)
    return Rating.Hard if score >= PARTIAL_RECALL else Rating.Again


def rating_for_quiz_answer(correct: bool, duration: timedelta, slow_after: timedelta = timedelta(seconds=30)) -> Rating:
    """Turn a graded quiz answer into an FSRS rating.

    Wrong is Again; right is Good, or Hard when it took longer than
    ``slow_after``. A quiz never gives Easy: a right answer alone does not
    show the recall was effortless.
    """
    if not correct:
        return Rating.Again
    return Rating.Hard if duration > slow_after else Rating.Good


def review(
    card_json: str | None,
    rating: Rating,
    now: datetime,
    timezone: ZoneInfo,
    duration: timedelta | None = None,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
) -> ReviewOutcome:
    """Review a card with a rating and return its new schedule.

    Same-day rule: when the card is in the Review state, was last reviewed on
    the same calendar day as ``now`` in the student's ``timezone``, and the
    rating is Hard, Good or Easy, the memory state is not advanced again,
    because repeating a card the day it was learned says little about
    long-term memory and would inflate its next interval. The outcome then
    keeps the card exactly as it was (same due date) with ``counted=False``;
    the review is still logged. Again always counts, since forgetting is
    informative whenever it happens, and cards in (re)learning steps always
    advance, since those steps are minutes apart by design.

    Args:
        card_json: the stored card, or None for a card never reviewed.
        rating: the student's rating.
        now: the time of the review; must be timezone-aware.
        timezone: the student's time zone, which decides what "same day" is.
        duration: how long the answer took, if known; kept in the log.
        desired_retention: the recall chance the next review is planned for.

    Returns:
        The new card and the log. A new card's id is ``now`` in epoch
        milliseconds, as fsrs itself would choose.

    Raises:
        ValueError: if ``now`` is naive.
    """
    now = _as_utc(now)
    card = _load_card(card_json, now)
    duration_ms = None if duration is None else duration // timedelta(milliseconds=1)

    if _is_same_day_repeat(card, rating, now, timezone):
        log = ReviewLog(card_id=card.card_id, rating=rating, review_datetime=now, review_duration=duration_ms)
        reviewed, counted = card, False
    else:
        reviewed, log = scheduler_for(desired_retention).review_card(card, rating, now, duration_ms)
        counted = True

    assert reviewed.stability is not None and reviewed.difficulty is not None
    assert reviewed.last_review is not None
    return ReviewOutcome(
        card_json=card_json if not counted and card_json is not None else reviewed.to_json(),
        due=reviewed.due,
        state=_state_name(reviewed.state),
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        last_review=reviewed.last_review,
        state_before_json=card_json,
        log_json=log.to_json(),
        counted=counted,
        prior_state="new" if card_json is None else _state_name(card.state),
        was_due=card.due <= now,
    )


def preview_intervals(
    card_json: str | None,
    now: datetime,
    *,
    timezone: ZoneInfo | None = None,
    desired_retention: float = DEFAULT_DESIRED_RETENTION,
) -> dict[Rating, timedelta]:
    """The interval until the card would be due after each rating.

    Meant for the labels of the rating buttons (see :func:`format_interval`).

    Args:
        card_json: the stored card, or None for a card never reviewed.
        now: the time of the review; must be timezone-aware.
        timezone: the student's time zone; when given, the same-day rule of
            :func:`review` is applied, so a rating that would not count shows
            the time left until the card's current due date.
        desired_retention: as for :func:`review`.

    Raises:
        ValueError: if ``now`` is naive.
    """
    now = _as_utc(now)
    card = _load_card(card_json, now)
    intervals = {}
    for rating in Rating:
        if timezone is not None and _is_same_day_repeat(card, rating, now, timezone):
            due = card.due
        else:
            due = scheduler_for(desired_retention).review_card(card, rating, now)[0].due
        intervals[rating] = max(due - now, timedelta(0))
    return intervals


class IntervalUnit(StrEnum):
    """The unit an interval is shown in, as its English short label writes it."""

    MINUTES = "min"
    HOURS = "h"
    DAYS = "d"
    MONTHS = "mo"
    YEARS = "y"


def interval_parts(interval: timedelta) -> tuple[float, IntervalUnit]:
    """An interval in the largest unit that fits, rounded as Anki's labels are: ``(3, DAYS)``.

    Minutes, hours, days and months are whole (0 minutes: under a minute); years have one decimal.
    Months count 30 days and years 365, as Anki's labels do. The view layer words it in the
    reader's language; :func:`format_interval` in English.

    Raises:
        ValueError: if the interval is negative.
    """
    seconds = interval.total_seconds()
    if seconds < 0:
        raise ValueError(f"an interval cannot be negative: {interval}")
    minutes = _round_half_up(seconds / 60)
    if minutes < 60:
        return minutes, IntervalUnit.MINUTES
    hours = _round_half_up(seconds / 3600)
    if hours < 24:
        return hours, IntervalUnit.HOURS
    days = _round_half_up(seconds / 86400)
    if days < 30:
        return days, IntervalUnit.DAYS
    if days < 365:
        return min(_round_half_up(days / 30), 12), IntervalUnit.MONTHS
    return float(f"{seconds / (365 * 86400):.1f}"), IntervalUnit.YEARS


def format_interval(interval: timedelta) -> str:
    """A short English label for an interval: "<1 min", "10 min", "5 h", "3 d", "2 mo", "1.2 y".

    Raises:
        ValueError: if the interval is negative.
    """
    amount, unit = interval_parts(interval)
    if unit is IntervalUnit.MINUTES and amount == 0:
        return "<1 min"
    return f"{amount:.1f}".removesuffix(".0") + f" {unit}"


def retrievability(card_json: str, now: datetime) -> float:
    """The predicted probability the student recalls the card at ``now``.

    0.0 for a card never reviewed.

    Raises:
        ValueError: if ``now`` is naive.
    """
    now = _as_utc(now)
    return float(SCHEDULER.get_card_retrievability(Card.from_json(card_json), now))


def retrievability_at(stability: float | None, last_review: datetime | None, now: datetime) -> float:
    """:func:`retrievability` from a card's stability and last review, as its columns hold them.

    The same computation, by fsrs itself; 0.0 for a card never reviewed.

    Raises:
        ValueError: if ``now`` is naive.
    """
    if stability is None or last_review is None:
        return 0.0
    card = Card(state=State.Review, stability=stability, last_review=_as_utc(last_review))
    return float(SCHEDULER.get_card_retrievability(card, _as_utc(now)))


def reschedule(card_json: str | None, logs_json: list[str]) -> str:
    """Recompute a card from its review logs with the current scheduler.

    Pass only the logs of counted reviews (``ReviewOutcome.counted``): the
    logs of same-day repeats would be replayed as real reviews. With those
    logs the result equals the card :func:`review` produced.

    Args:
        card_json: the stored card, whose id the logs must carry; None to
            take the id from the logs.
        logs_json: ``fsrs.ReviewLog`` JSON strings, in any order.

    Returns:
        The recomputed card as JSON.

    Raises:
        ValueError: if a log is for another card, or if there is neither a
            card nor a log.
    """
    logs = [ReviewLog.from_json(text) for text in logs_json]
    if card_json is not None:
        card = Card.from_json(card_json)
    elif logs:
        first = min(logs, key=lambda log: log.review_datetime)
        card = Card(card_id=first.card_id, due=first.review_datetime)
    else:
        raise ValueError("nothing to reschedule: no card and no review logs")
    return SCHEDULER.reschedule_card(card, logs).to_json()


def card_summary(card_json: str) -> CardSummary:
    """The database-column fields of a stored card, e.g. after :func:`reschedule`."""
    card = Card.from_json(card_json)
    return CardSummary(
        due=card.due,
        state=_state_name(card.state),
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=card.last_review,
    )


def _is_same_day_repeat(card: Card, rating: Rating, now: datetime, timezone: ZoneInfo) -> bool:
    return (
        card.state == State.Review
        and rating in _RECALLED
        and card.last_review is not None
        and card.last_review.astimezone(timezone).date() == now.astimezone(timezone).date()
    )


def new_card_json(now: datetime) -> str:
    """A never-reviewed card due ``now``, as JSON."""
    return _new_card(_as_utc(now)).to_json()


def _new_card(now: datetime) -> Card:
    # Passing the id and due date keeps fsrs from reading the clock.
    return Card(card_id=(now - _EPOCH) // timedelta(milliseconds=1), due=now)


def _load_card(card_json: str | None, now: datetime) -> Card:
    if card_json is not None:
        return Card.from_json(card_json)
    return _new_card(now)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def _state_name(state: State) -> str:
    return state.name.lower()


def _round_half_up(value: float) -> int:
    return int(value + 0.5)
