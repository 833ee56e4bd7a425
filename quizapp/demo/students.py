"""Simulating the students: days of flashcards, quizzes and assignments, with the app's own scheduler and grader."""

from __future__ import annotations

import heapq
import math
import multiprocessing
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from quizapp.demo.model import (
    ASSIGNMENT_DONE_CHANCE,
    ASSIGNMENT_SHARE,
    DROPOUT_CHANCE,
    GROWTH,
    LOG_GROWTH,
    NEW_CARDS_PER_DAY_MAX,
    SELF_QUIZ_CHANCE,
    SESSION_LENGTH,
    UNFINISHED_CHANCE,
    AssignmentPlan,
    History,
    SharedData,
    SimulatedQuestion,
    StudentTask,
)
from quizapp.domain import quiz as quiz_domain
from quizapp.domain import scheduling
from quizapp.domain.days import local_date
from quizapp.domain.grading import Verdict
from quizapp.domain.question_types import grade, kind_of, options_shown
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, QuestionType
from quizapp.domain.scheduling import Rating
from quizapp.models import (
    ReviewSource,
)
from quizapp.services.reviews import log_values

# --- simulating the students -------------------------------------------------------------

_shared: SharedData | None = None


def _init_worker(shared: SharedData) -> None:
    global _shared
    _shared = shared


def _simulate_in_worker(task: StudentTask) -> History:
    assert _shared is not None
    return StudentSimulation(_shared, task).run()


def simulate_all(shared: SharedData, tasks: list[StudentTask], workers: int) -> Iterator[History]:
    """Every student's history, in the order of ``tasks``."""
    if workers <= 1 or len(tasks) < 2 * workers:
        for task in tasks:
            yield StudentSimulation(shared, task).run()
        return
    # fork starts at once and needs no importable __main__; the children never touch the
    # database connections they inherit, and leave through os._exit, which closes none of them.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(shared,)) as pool:
        yield from pool.imap(_simulate_in_worker, tasks, chunksize=8)


@dataclass(eq=False)
class SimulatedCard:
    question: SimulatedQuestion
    position: int = -1  # in the history's cards, once reviewed
    card_json: str | None = None
    due: datetime | None = None
    state: str = "new"
    stability: float = 0.0
    difficulty: float = 0.0
    last_review: datetime | None = None
    stable_until: datetime | None = None
    first_reviewed_at: datetime | None = None
    reviews: int = 0
    lapses: int = 0
    version: int = 0
    first_source: ReviewSource = ReviewSource.FLASHCARD
    suspended_at: datetime | None = None


class StudentSimulation:
    """Runs one student's days from joining the class until their last day."""

    def __init__(self, shared: SharedData, task: StudentTask) -> None:
        self.shared = shared
        self.task = task
        self.tz = ZoneInfo(task.timezone)
        self.rng = random.Random(f"{shared.spec.seed}:student:{task.index}")
        self.history = History()
        self.cards: dict[str, SimulatedCard] = {}  # reviewed at least once, by question id
        self.left = task.budget
        self.reserved = 0  # reviews kept for the assignment questions still to answer
        self.clock = task.joined_at  # the latest moment used so far
        self.ability = max(-1.2, min(1.2, self.rng.gauss(0.2, 0.5)))
        self.diligence = self.rng.uniform(0.25, 0.9)
        self.hour = self.rng.randint(15, 21)

    # -- the days --

    def run(self) -> History:
        if self.left and self.shared.questions:
            self._days()
        cards = sorted(self.cards.values(), key=lambda card: card.position)
        self.history.cards = [self._card_row(card) for card in cards]
        return self.history

    def _days(self) -> None:
        now = self.shared.now
        today = local_date(now, self.tz)
        first_day = local_date(self.task.joined_at, self.tz) + timedelta(days=1)
        if self.rng.random() < DROPOUT_CHANCE:
            last_day = today - timedelta(days=self.rng.randint(8, 25))
        else:
            last_day = today - timedelta(days=self.rng.choice((0, 0, 1)))
        last_day = max(last_day, min(first_day, today))
        span = (last_day - first_day).days + 1
        assignment_days = self._assignment_days(first_day, last_day)
        latest = now - timedelta(minutes=5)
        for offset in range(span):
            if self.left == 0:
                return
            day = first_day + timedelta(days=offset)
            planned = assignment_days.get(day, [])
            is_last = day == last_day
            if not (is_last or planned or self.rng.random() < self.diligence):
                continue
            days_left = span - offset
            # Reviews today: the free budget spread over the active days left; the rest stays overdue.
            cap = self._round(self._free() / max(days_left * self.diligence, 1.0))
            if not (cap or planned or is_last):
                continue
            start = datetime.combine(day, time(self.hour, self.rng.randrange(60)), self.tz).astimezone(UTC)
            if start > latest:
                start = latest - timedelta(minutes=self.rng.randint(20, 90))
            start = max(start, self.clock + timedelta(minutes=1))
            if start >= latest:
                continue
            cutoff = min(start + SESSION_LENGTH, now)
            t = start
            for plan, stop_after in planned:
                t = self._quiz(t, cutoff, plan.question_ids, plan.seed, plan.topics, plan.slot, stop_after)
            if cap:
                spare = self._spare(t, days_left)
                if self.rng.random() < SELF_QUIZ_CHANCE and spare >= 2 * self.shared.spec.quiz_length:
                    t = self._self_quiz(t, cutoff)
                    spare = self._spare(t, days_left)
                t = self._flashcards(t, cutoff, self._new_card_quota(spare, days_left), cap)
            if is_last and self.left:
                t = self._cram(t, now)
            self.clock = max(self.clock, t)

    def _assignment_days(self, first_day: date, last_day: date) -> dict[date, list[tuple[AssignmentPlan, int | None]]]:
        """The day the student does each assignment they do, and where they stop if they don't finish."""
        days: dict[date, list[tuple[AssignmentPlan, int | None]]] = {}
        for plan in self.shared.assignments[self.task.assignment_set]:
            if not plan.question_ids or self.rng.random() > ASSIGNMENT_DONE_CHANCE:
                continue
            due_day = local_date(plan.due_at, self.tz)
            late = self.rng.random() < 0.1
            day = due_day + timedelta(days=self.rng.randint(1, 2) if late else -self.rng.randint(0, 5))
            day = max(day, local_date(plan.created_at, self.tz), first_day)
            if day > last_day:
                continue
            unfinished = self.rng.random() < UNFINISHED_CHANCE
            stop_after = self.rng.randrange(len(plan.question_ids)) if unfinished else None
            answers = len(plan.question_ids) if stop_after is None else stop_after
            if self.reserved + answers > ASSIGNMENT_SHARE * self.left:
                continue  # a light user: assignments would take most of their reviews
            self.reserved += answers
            days.setdefault(day, []).append((plan, stop_after))
        return days

    def _spare(self, t: datetime, days_left: int) -> float:
        """Free reviews not already promised to the cards' expected future reviews."""
        horizon = days_left + 1
        promised = 0.0
        for card in self.cards.values():
            assert card.due is not None
            wait = (card.due - t).total_seconds() / 86400
            if wait <= horizon:
                # Later intervals grow about GROWTH-fold each: count those that fit.
                first = max(card.stability * GROWTH, 1.0)
                promised += 1 + math.log(1 + (horizon - max(wait, 0.0)) * (GROWTH - 1) / first) / LOG_GROWTH
        return self._free() - promised

    def _new_card_quota(self, spare: float, days_left: int) -> int:
        """New cards today, so that the reviews they bring spread the ``spare`` reviews over the days left."""
        per_card = 2.5 + math.log(1 + days_left * (GROWTH - 1) / (3 * GROWTH)) / LOG_GROWTH
        active_days_left = max(days_left * self.diligence, 1.0)
        return min(self._round(spare / per_card / active_days_left), NEW_CARDS_PER_DAY_MAX)

    def _round(self, value: float) -> int:
        """``value`` rounded up or down at random, so that on average it is exact; 0 if negative."""
        if value <= 0:
            return 0
        return int(value) + (self.rng.random() < value - int(value))

    def _free(self) -> int:
        """Reviews left for flashcards and the student's own quizzes."""
        return self.left - self.reserved

    # -- one review, as services.reviews.record_review stores it --

    def _review(
        self, card: SimulatedCard, rating: Rating, at: datetime, source: ReviewSource, duration: timedelta
    ) -> None:
        outcome = scheduling.review(card.card_json, rating, at, self.tz, duration)
        new = card.card_json is None
        lapsed = scheduling.lapses_added(rating, None if new else card.state)
        card.lapses += lapsed
        if scheduling.becomes_leech(card.lapses, lapsed_now=bool(lapsed)):
            card.suspended_at = at
        if new:
            card.position = len(self.cards)
            card.first_reviewed_at = at
            card.first_source = source
            self.cards[card.question.id] = card
        self.history.logs.append(
            (
                card.position,
                {
                    "question_id": card.question.id,
                    "card_version": card.version,
                    **log_values(outcome, rating, source, at, duration),
                },
            )
        )
        card.card_json = outcome.card_json
        card.due = outcome.due
        card.state = outcome.state
        card.stability = outcome.stability
        card.difficulty = outcome.difficulty
        card.last_review = outcome.last_review
        card.stable_until = outcome.stable_until
        card.reviews += 1
        card.version += 1
        self.left -= 1
        self.clock = max(self.clock, at)

    def _card_row(self, card: SimulatedCard) -> dict[str, object]:
        return {
            "question_id": card.question.id,
            "card_json": card.card_json,
            "due": card.due,
            "state": card.state,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "last_review": card.last_review,
            "stable_until": card.stable_until,
            "first_reviewed_at": card.first_reviewed_at,
            "first_source": card.first_source,
            "suspended_at": card.suspended_at,
            "reviews": card.reviews,
            "lapses": card.lapses,
            "version": card.version,
        }

    def _card(self, question: SimulatedQuestion) -> SimulatedCard:
        return self.cards.get(question.id) or SimulatedCard(question)

    def _recalls(self, card: SimulatedCard, at: datetime) -> bool:
        """The recall model: FSRS retrievability, sharpened or blunted by ability and difficulty."""
        skill = self.ability - card.question.difficulty
        if card.last_review is None:
            chance = 1 / (1 + math.exp(-(0.6 + skill)))
        else:
            chance = scheduling.retrievability_at(card.stability, card.last_review, at) ** math.exp(-skill)
        return self.rng.random() < chance

    def _seconds(self, median: float) -> timedelta:
        seconds = min(120.0, median * math.exp(self.rng.gauss(0, 0.5)))
        return timedelta(milliseconds=int(seconds * 1000))

    # -- flashcards --

    def _due_cards(self, t: datetime) -> list[SimulatedCard]:
        """The cards the flashcards show at ``t``: due, and not set aside as leeches."""
        due = [
            card for card in self.cards.values() if card.due is not None and card.due <= t and card.suspended_at is None
        ]
        return sorted(due, key=lambda card: (card.due, card.position))

    def _flashcards(self, t: datetime, cutoff: datetime, new_cards: int, cap: int) -> datetime:
        """A session of at most ``cap`` reviews: the due cards, oldest due first, then new ones;
        learning steps come back when due."""
        queue = self._due_cards(t) + self._new_cards(new_cards)
        learning: list[tuple[datetime, int, SimulatedCard]] = []
        stop = self._free() - min(cap, self._free())
        for card in queue:
            while learning and learning[0][0] <= t and self._free() > stop and t < cutoff:
                t = self._flashcard(heapq.heappop(learning)[2], t, cutoff, learning)
            if self._free() <= stop or t >= cutoff:
                return t
            t = self._flashcard(card, t, cutoff, learning)
        while learning and self._free() > stop and t < cutoff:
            due, _, card = heapq.heappop(learning)
            if due >= cutoff:
                break
            t = self._flashcard(card, max(t, due), cutoff, learning)
        return t

    def _flashcard(
        self, card: SimulatedCard, t: datetime, cutoff: datetime, learning: list[tuple[datetime, int, SimulatedCard]]
    ) -> datetime:
        duration = self._seconds(7.0)
        at = t + duration
        if at > cutoff:
            return cutoff
        if self._recalls(card, at):
            draw = self.rng.random()
            rating = Rating.Hard if draw < 0.12 else Rating.Easy if draw > 0.92 else Rating.Good
        else:
            rating = Rating.Again
        self._review(card, rating, at, ReviewSource.FLASHCARD, duration)
        if card.due is not None and card.due < cutoff:
            heapq.heappush(learning, (card.due, card.position, card))
        return min(at + timedelta(seconds=self.rng.randint(1, 4)), cutoff)

    def _new_cards(self, count: int, topic: str | None = None) -> list[SimulatedCard]:
        """Up to ``count`` questions the student has never seen, at random (of one topic if given)."""
        pool = self.shared.by_topic[topic] if topic is not None else self.shared.questions
        chosen: dict[str, SimulatedCard] = {}
        limit = min(count, len(pool) - len(self.cards))
        for _ in range(4 * count + 8):
            if len(chosen) >= limit:
                break
            question = pool[self.rng.randrange(len(pool))]
            if question.id not in self.cards and question.id not in chosen:
                chosen[question.id] = SimulatedCard(question)
        if len(chosen) < limit:  # mostly seen already: take them in order from a random place
            begin = self.rng.randrange(len(pool))
            for i in range(len(pool)):
                question = pool[(begin + i) % len(pool)]
                if len(chosen) >= limit:
                    break
                if question.id not in self.cards and question.id not in chosen:
                    chosen[question.id] = SimulatedCard(question)
        return list(chosen.values())

    def _cram(self, t: datetime, end: datetime) -> datetime:
        """Spend what is left of the budget before ``end``: due cards, new ones, then early reviews."""
        t = min(t, end)
        step = min((end - t) / (self.left + 1), timedelta(seconds=8))
        while self.left:
            t += step
            due = self._due_cards(t)
            if due:
                card = due[0]
            elif fresh := self._new_cards(1):
                card = fresh[0]
            else:
                card = min(self.cards.values(), key=lambda c: (c.due, c.position))
            rating = Rating.Good if self._recalls(card, t) else Rating.Again
            self._review(card, rating, t, ReviewSource.FLASHCARD, step)
        return t

    # -- quizzes --

    def _self_quiz(self, t: datetime, cutoff: datetime) -> datetime:
        """A quiz the student starts: a few topics, due and weak cards mixed with new questions.

        Drawn by the app's own rule (quiz_domain.select_questions) over the
        student's cards in those topics and a sample of unseen questions.
        """
        topics = sorted(self.rng.sample(list(self.shared.topics), self.rng.randint(1, len(self.shared.topics))))
        chosen = set(topics)
        length = self.shared.spec.quiz_length
        candidates = [
            quiz_domain.Candidate(
                card.question.id,
                card.question.topic,
                due=card.due is not None and card.due <= t,
                weak=quiz_domain.is_weak(card.lapses, card.difficulty, None),
                seen=True,
            )
            for card in self.cards.values()
            if card.question.topic in chosen
        ]
        for topic in topics:
            for card in self._new_cards(length, topic):
                candidates.append(quiz_domain.Candidate(card.question.id, topic))
        if not candidates:
            return t
        seed = self.rng.randrange(2**31)
        question_ids = quiz_domain.select_questions(candidates, length, seed)
        stop_after = self.rng.randrange(len(question_ids)) if self.rng.random() < UNFINISHED_CHANCE else None
        return self._quiz(t, cutoff, tuple(question_ids), seed, tuple(topics), None, stop_after)

    def _quiz(
        self,
        t: datetime,
        cutoff: datetime,
        question_ids: Sequence[str],
        seed: int,
        topics: Sequence[str],
        assignment_slot: int | None,
        stop_after: int | None,
    ) -> datetime:
        """Take a quiz from its first question, stopping early when told, out of budget or out of time."""
        if not question_ids or self.left == 0 or t >= cutoff:
            if assignment_slot is not None:  # missed: its reviews go to the other activities
                self.reserved -= len(question_ids) if stop_after is None else stop_after
            return t
        attempt_position = len(self.history.attempts)
        attempt: dict[str, object] = {
            "seed": seed,
            "topics": list(topics),
            "length": len(question_ids),
            "started_at": t,
            "finished_at": None,
            "correct_count": 0,
            "answered_count": 0,
            "assignment_slot": assignment_slot,
        }
        self.history.attempts.append(attempt)
        correct = answered = 0
        stopped = False
        for position, question_id in enumerate(question_ids, start=1):
            question = self.shared.by_id[question_id]
            item: dict[str, object] = {
                "position": position,
                "question_id": question_id,
                "question_version_id": question.version_id,
                "options": options_shown(question, seed, question.id),
                "shown_at": None,
                "response": None,
                "correct": None,
                "score": None,
                "details": {},
                "feedback": "",
                "answered_at": None,
                "duration_ms": None,
            }
            self.history.items.append((attempt_position, item))
            if stopped:
                continue
            duration = self._seconds(13.0)
            at = t + duration
            out_of_budget = self.left == 0 if assignment_slot is not None else self._free() <= 0
            if stop_after == position - 1 or out_of_budget or at > cutoff:
                stopped = True
                item["shown_at"] = t  # the student left on this question
                continue
            card = self._card(question)
            response = (
                kind_of(question.type).right_response(question)
                if self._recalls(card, at)
                else self._wrong_answer(question)
            )
            verdict = _check(question, response)
            item.update(
                shown_at=t,
                response=kind_of(question.type).response_text(question, response),
                correct=verdict.correct,
                score=verdict.score,
                details={"response": response},
                feedback=verdict.feedback,
                answered_at=at,
                duration_ms=duration // timedelta(milliseconds=1),
            )
            answered += 1
            correct += int(verdict.correct)
            rating = scheduling.rating_for_quiz_score(verdict.score, duration)
            self._review(card, rating, at, ReviewSource.QUIZ, duration)
            if assignment_slot is not None and self.reserved:
                self.reserved -= 1
            t = min(at + timedelta(seconds=self.rng.randint(1, 5)), cutoff)
        attempt.update(answered_count=answered, correct_count=correct)
        if not stopped:
            attempt["finished_at"] = self.clock
        return t

    def _wrong_answer(self, question: SimulatedQuestion) -> list[str]:
        if (mixed_up := kind_of(question.type).mixed_up(question)) is not None:
            return mixed_up
        if question.options:
            wrong = [option for option in question.options if option != question.answer]
        elif question.type == QuestionType.TRUE_FALSE:
            wrong = [option for option in TRUE_FALSE_OPTIONS if option != question.answer]
        else:
            wrong = [answer for answer in self.shared.wrong_pool.get(question.type, ()) if answer != question.answer]
        return [self.rng.choice(wrong) if wrong else "I don't know"]


_verdicts: dict[tuple[str, tuple[str, ...]], Verdict] = {}


def _check(question: SimulatedQuestion, response: list[str]) -> Verdict:
    """The real grader's verdict, remembered: students give the same few responses over and over."""
    key = (question.id, tuple(response))
    verdict = _verdicts.get(key)
    if verdict is None:
        verdict = grade(question, response)
        if len(_verdicts) < 100_000:
            _verdicts[key] = verdict
    return verdict
