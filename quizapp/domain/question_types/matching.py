"""Matching: pair each item with its match (a country with the government it recognized, an event with its place)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
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
from quizapp.domain.questions import ANSWER_MAX_LENGTH, MAX_PAIRS, MIN_PAIRS, Details, QuestionDraft, QuestionType
from quizapp.domain.quiz import shuffle_options

ARROW = " → "
CHOOSE_EACH_MATCH = "Choose a match for each item."
CHOOSE_A_MATCH = "Choose a match for at least one item, or “I don't know”."


def pairs_of(details: Details) -> list[tuple[str, str]]:
    """The details' ``pairs`` (``[[item, match], ...]``, in the order asked); malformed entries left out."""
    value = details.get("pairs") or []
    if not isinstance(value, list):
        return []
    return [
        (entry[0], entry[1])
        for entry in value
        if isinstance(entry, list | tuple) and len(entry) == 2 and all(isinstance(text, str) for text in entry)
    ]


class Matching(QuestionKind):
    """Each item has one match among the choices; every pair right earns an equal share (as in Moodle).

    Details: ``pairs`` (item and match, in the order the items are asked) and
    ``distractors`` (more choices that match nothing). Several items may share
    a match. A response is the match chosen for each item, in item order.
    """

    type = QuestionType.MATCHING
    label = N_("Matching")
    widget = "matching"
    editor = "matching"

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        details: dict[str, Any] = common_details(draft, ())
        details["pairs"] = [[clean(item), clean(match)] for item, match in pairs_of(draft.details)]
        matches = {normalize(match) for _, match in details["pairs"]}
        distractors = [clean(text) for text in texts(draft.details, "distractors") if clean(text)]
        distractors = [text for text in dict.fromkeys(distractors) if normalize(text) not in matches]
        if distractors:
            details["distractors"] = distractors
        normalized = replace(draft, details=details, accepted_answers=())
        return replace(normalized, answer=self.answer_text(normalized))

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        pairs = pairs_of(draft.details)
        problems = no_options(draft)
        given = draft.details.get("pairs") or []
        if not isinstance(given, list) or len(given) != len(pairs):
            problems.append(FieldProblem.of("details.pairs", N_("every pair needs an item and its match")))
        if not MIN_PAIRS <= len(pairs) <= MAX_PAIRS:
            problems.append(
                FieldProblem.of(
                    "details.pairs",
                    N_("give %(least)d to %(most)d pairs, found %(count)d"),
                    least=MIN_PAIRS,
                    most=MAX_PAIRS,
                    count=len(pairs),
                )
            )
        texts_given = [text for pair in pairs for text in pair] + texts(draft.details, "distractors")
        if any(len(text) > ANSWER_MAX_LENGTH for text in texts_given):
            problems.append(
                FieldProblem.of(
                    "details.pairs",
                    N_("an item or a match is longer than %(count)d characters"),
                    count=ANSWER_MAX_LENGTH,
                )
            )
            return problems
        if any(not normalize(item) or not normalize(match) for item, match in pairs):
            problems.append(
                FieldProblem.of("details.pairs", N_("every item and every match must contain a letter or a digit"))
            )
        items = [normalize(item) for item, _ in pairs]
        if len(set(items)) != len(items):
            problems.append(
                FieldProblem.of("details.pairs", N_("the items must be distinct (ignoring case and accents)"))
            )
        if len(self.choices_for(draft)) < 2:
            problems.append(FieldProblem.of("details.pairs", N_("give at least two different matches to choose from")))
        if draft.details.get("weights") or draft.details.get("feedback"):
            problems.append(
                FieldProblem.of("details.pairs", N_("a matching question has no per-answer weights or feedback"))
            )
        return problems

    def choices_for(self, key: AnswerKey) -> list[str]:
        """Every match and distractor once, in the order given."""
        seen: dict[str, str] = {}
        for text in [*(match for _, match in pairs_of(key.details)), *texts(key.details, "distractors")]:
            seen.setdefault(normalize(text), text)
        return list(seen.values())

    def rows(self, key: AnswerKey) -> list[str]:
        return [item for item, _ in pairs_of(key.details)]

    def options_shown(self, key: AnswerKey, seed: int | str, question_id: str) -> list[str]:
        return shuffle_options(self.choices_for(key), seed, question_id)

    def option_pool(self, key: AnswerKey) -> list[str]:
        return self.choices_for(key)

    def grade(self, key: AnswerKey, response: Response) -> Verdict:
        pairs = pairs_of(key.details)
        chosen = [first_part([part]) for part in response]
        if not any(normalize(part) for part in chosen):
            return no_answer()
        right = sum(
            1
            for index, (_, match) in enumerate(pairs)
            if index < len(chosen) and normalize(chosen[index]) == normalize(match)
        )
        return scored(right / len(pairs) if pairs else 0.0)

    def right_response(self, key: AnswerKey) -> list[str]:
        return [match for _, match in pairs_of(key.details)]

    def answer_lines(self, key: AnswerKey) -> list[str]:
        return [f"{item}{ARROW}{match}" for item, match in pairs_of(key.details)]

    def response_text(self, key: AnswerKey, response: Response) -> str:
        items = self.rows(key)
        return "; ".join(f"{item}{ARROW}{choice or '—'}" for item, choice in zip(items, response, strict=False))

    def incomplete(self, response: Response, options: Sequence[str], rows: Sequence[str]) -> str | None:
        if len(response) != len(rows) or any(part and part not in options for part in response):
            return CHOOSE_EACH_MATCH
        if not any(response):
            return CHOOSE_A_MATCH
        return None

    def mixed_up(self, key: AnswerKey) -> list[str] | None:
        right = self.right_response(key)
        return right[1:] + right[:1]
