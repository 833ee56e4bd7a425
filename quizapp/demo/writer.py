"""Writing the simulated histories: cards, review logs, attempts and their items, in bulk."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from quizapp.demo.model import WRITE_BATCH_REVIEWS, DemoReport, History
from quizapp.demo.school import insert_chunks, insert_returning_ids
from quizapp.models import (
    QuizAttempt,
    QuizItem,
    ReviewCard,
    ReviewLog,
)
from quizapp.services import DbSession

# --- writing the histories -----------------------------------------------------------------


class HistoryWriter:
    """Collects histories for their students and inserts them in batches, resolving positions to ids."""

    def __init__(
        self,
        session: DbSession,
        report: DemoReport,
        class_assignments: list[list[int]],
        say: Callable[[str], None],
    ) -> None:
        self.session = session
        self.report = report
        self.class_assignments = class_assignments
        self.say = say
        self.pending: list[tuple[History, int, int]] = []
        self.pending_reviews = 0

    def add(self, history: History, user_id: int, class_index: int) -> None:
        self.pending.append((history, user_id, class_index))
        self.pending_reviews += len(history.logs)
        if self.pending_reviews >= WRITE_BATCH_REVIEWS:
            self.flush()
            self.say(f"{self.report.reviews} reviews written")

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending, self.pending_reviews = self.pending, [], 0
        card_ids = iter(
            insert_returning_ids(
                self.session,
                ReviewCard,
                [{**row, "user_id": user_id} for history, user_id, _ in batch for row in history.cards],
            )
        )
        attempt_ids = iter(
            insert_returning_ids(
                self.session,
                QuizAttempt,
                [
                    {
                        **{key: value for key, value in row.items() if key != "assignment_slot"},
                        "user_id": user_id,
                        "assignment_id": (
                            None
                            if row["assignment_slot"] is None
                            else self.class_assignments[class_index][cast(int, row["assignment_slot"])]
                        ),
                    }
                    for history, user_id, class_index in batch
                    for row in history.attempts
                ],
            )
        )
        resolved = [
            (history, user_id, [next(card_ids) for _ in history.cards], [next(attempt_ids) for _ in history.attempts])
            for history, user_id, _ in batch
        ]
        insert_chunks(
            self.session,
            ReviewLog,
            (
                {**row, "user_id": user_id, "card_id": cards[position]}
                for history, user_id, cards, _ in resolved
                for position, row in history.logs
            ),
        )
        insert_chunks(
            self.session,
            QuizItem,
            (
                {**row, "attempt_id": attempts[position]}
                for history, _, _, attempts in resolved
                for position, row in history.items
            ),
        )
        for history, *_ in resolved:
            self.report.cards += len(history.cards)
            self.report.attempts += len(history.attempts)
            self.report.reviews += len(history.logs)
            self.report.items += len(history.items)
