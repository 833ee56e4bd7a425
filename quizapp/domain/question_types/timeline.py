"""Timeline: put three to six events in the order they happened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import combinations
from typing import Any

from quizapp.domain.grading import Verdict, normalize, scored
from quizapp.domain.problems import N_, FieldProblem
from quizapp.domain.question_types.base import (
    AnswerKey,
    QuestionKind,
    Response,
    clean,
    common_details,
    first_part,
    no_answer,
    no_options,
    texts,
)
from quizapp.domain.questions import ANSWER_MAX_LENGTH, MAX_ITEMS, MIN_ITEMS, QuestionDraft, QuestionType
from quizapp.domain.quiz import shuffle_options

ARROW = " → "
INCOMPLETE_ORDER = "Give each event its own place in the order"
PLACE_EACH_EVENT = "Put each event in its own place: every place needs one event, used once."


class Timeline(QuestionKind):
    """Events to order, earliest first; partial credit is the share of pairs of events in the right order.

    Details: ``items`` (the events in the order they happened) and, optionally,
    ``labels`` (when each happened, shown after answering, one per item). A
    response is the events in the student's order; an order that leaves one
    out or repeats one is no answer.
    """

    type = QuestionType.TIMELINE
    label = N_("Timeline (put in order)")
    widget = "timeline"
    editor = "timeline"

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        details: dict[str, Any] = common_details(draft, ())
        details["items"] = [clean(text) for text in texts(draft.details, "items")]
        labels = [clean(text) for text in texts(draft.details, "labels")]
        if any(labels):
            details["labels"] = labels
        normalized = replace(draft, details=details, accepted_answers=())
        return replace(normalized, answer=self.answer_text(normalized))

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        items = texts(draft.details, "items")
        labels = texts(draft.details, "labels")
        problems = no_options(draft)
        if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
            problems.append(
                FieldProblem.of(
                    "details.items",
                    N_("give %(least)d to %(most)d events, found %(count)d"),
                    least=MIN_ITEMS,
                    most=MAX_ITEMS,
                    count=len(items),
                )
            )
        if any(len(text) > ANSWER_MAX_LENGTH for text in [*items, *labels]):
            problems.append(
                FieldProblem.of(
                    "details.items", N_("an event is longer than %(count)d characters"), count=ANSWER_MAX_LENGTH
                )
            )
            return problems
        folded = [normalize(text) for text in items]
        if any(not text for text in folded):
            problems.append(FieldProblem.of("details.items", N_("every event must contain a letter or a digit")))
        elif len(set(folded)) != len(folded):
            problems.append(
                FieldProblem.of("details.items", N_("the events must be distinct (ignoring case and accents)"))
            )
        if labels and len(labels) != len(items):
            problems.append(FieldProblem.of("details.labels", N_("give a date for every event, or for none")))
        if draft.details.get("weights") or draft.details.get("feedback"):
            problems.append(
                FieldProblem.of("details.items", N_("a timeline question has no per-answer weights or feedback"))
            )
        return problems

    def rows(self, key: AnswerKey) -> list[str]:
        return texts(key.details, "items")

    def choices_for(self, key: AnswerKey) -> list[str]:
        return shuffle_options(self.rows(key), "card", key.answer)

    def option_pool(self, key: AnswerKey) -> list[str]:
        return self.rows(key)

    def options_shown(self, key: AnswerKey, seed: int | str, question_id: str) -> list[str]:
        items = self.rows(key)
        order = shuffle_options(items, seed, question_id)
        # Shown in the right order already, the question would answer itself: start from another.
        return order[1:] + order[:1] if order == items and len(items) > 1 else order

    def grade(self, key: AnswerKey, response: Response) -> Verdict:
        items = self.rows(key)
        given = [normalize(first_part([part])) for part in response]
        if sorted(given) != sorted(normalize(item) for item in items) or len(items) < 2:
            return no_answer() if not any(given) else Verdict(False, INCOMPLETE_ORDER)
        place = {text: index for index, text in enumerate(given)}
        right_order = list(combinations([normalize(item) for item in items], 2))
        kept = sum(1 for earlier, later in right_order if place[earlier] < place[later])
        return scored(kept / len(right_order))

    def right_response(self, key: AnswerKey) -> list[str]:
        return self.rows(key)

    def answer_lines(self, key: AnswerKey) -> list[str]:
        labels = texts(key.details, "labels")
        items = self.rows(key)
        if len(labels) == len(items):
            return [f"{item} ({label})" if label else item for item, label in zip(items, labels, strict=True)]
        return items

    def answer_text(self, key: AnswerKey) -> str:
        return ARROW.join(self.rows(key))

    def response_text(self, key: AnswerKey, response: Response) -> str:
        return ARROW.join(response)

    def incomplete(self, response: Response, options: Sequence[str], rows: Sequence[str]) -> str | None:
        if len(response) != len(rows) or sorted(response) != sorted(options):
            return PLACE_EACH_EVENT
        return None

    def mixed_up(self, key: AnswerKey) -> list[str] | None:
        return self.right_response(key)[::-1]
