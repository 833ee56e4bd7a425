"""Numbers, such as "about when" years: several answers, each with a tolerance and a share of the point."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from quizapp.domain.grading import UNREADABLE_NUMBER, Verdict, parse_number_response, scored
from quizapp.domain.problems import N_, FieldProblem
from quizapp.domain.question_types.base import (
    AnswerKey,
    QuestionKind,
    Response,
    common_details,
    first_part,
    no_answer,
    no_options,
)
from quizapp.domain.questions import EXPLANATION_MAX_LENGTH, MAX_NUMERICAL_ANSWERS, QuestionDraft, QuestionType


@dataclass(frozen=True)
class NumericalAnswer:
    """One graded answer: any number from ``value - tolerance`` to ``value + tolerance`` earns ``share``."""

    value: float
    tolerance: float = 0.0
    share: float = 1.0
    feedback: str = ""

    def accepts(self, number: float) -> bool:
        # A little slack for decimals: 0.1 + 0.2 is within 0.3 ± 0.
        return abs(number - self.value) <= self.tolerance + 1e-9 * max(1.0, abs(self.value))

    def text(self) -> str:
        if self.tolerance:
            return f"{number_text(self.value)} ± {number_text(self.tolerance)}"
        return number_text(self.value)

    def as_details(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"value": self.value, "tolerance": self.tolerance, "share": self.share}
        if self.feedback:
            entry["feedback"] = self.feedback
        return entry


def number_text(number: float) -> str:
    """A number as people write it: ``1883``, ``2.5``, never ``1883.0``."""
    return f"{number:.15g}" if not number.is_integer() else str(int(number))


def numerical_answers(details: Mapping[str, Any]) -> list[NumericalAnswer]:
    """The details' ``answers`` (each ``{"value", "tolerance", "share", "feedback"}``); malformed ones are left out."""
    found = []
    for entry in details.get("answers") or []:
        if not isinstance(entry, Mapping):
            continue
        try:
            found.append(
                NumericalAnswer(
                    float(entry["value"]),
                    abs(float(entry.get("tolerance", 0) or 0)),
                    float(entry.get("share", 1)),
                    str(entry.get("feedback", "") or "").strip(),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return found


class Numerical(QuestionKind):
    """A number, graded by the best-paying answer whose range holds it (Moodle's numerical question).

    ``answer`` reads the answers worth the whole point (``1883 ± 1``); the
    details' ``answers`` are what grading reads. A response that is no number
    asks the student to try again.
    """

    type = QuestionType.NUMERICAL
    label = N_("Number (with a tolerance)")
    widget = "typed"
    editor = "numerical"
    hint = "A number in digits, e.g. 1883."

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        answers = numerical_answers(draft.details)
        details = common_details(draft, ())
        if answers:
            details["answers"] = [answer.as_details() for answer in answers]
        normalized = replace(draft, details=details, accepted_answers=())
        return replace(normalized, answer=self.answer_text(normalized) or draft.answer)

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        problems = []
        given = draft.details.get("answers") or []
        answers = numerical_answers(draft.details)
        if not isinstance(given, list) or len(answers) != len(given):
            problems.append(
                FieldProblem.of("details.answers", N_("every answer needs a number, a tolerance and a share"))
            )
        if not answers:
            problems.append(FieldProblem.of("details.answers", N_("give the number that is the answer")))
        if len(answers) > MAX_NUMERICAL_ANSWERS:
            problems.append(
                FieldProblem.of(
                    "details.answers",
                    N_("at most %(most)d answers, found %(count)d"),
                    most=MAX_NUMERICAL_ANSWERS,
                    count=len(answers),
                )
            )
        for answer in answers:
            if not (math.isfinite(answer.value) and math.isfinite(answer.tolerance)):
                problems.append(
                    FieldProblem.of("details.answers", N_("an answer's number and tolerance must be finite"))
                )
            if not 0 <= answer.share <= 1:
                problems.append(
                    FieldProblem.of(
                        "details.answers",
                        N_("an answer's share must be 0 to 100%%, not %(percent)d%%"),
                        percent=round(answer.share * 100),
                    )
                )
            if len(answer.feedback) > EXPLANATION_MAX_LENGTH:
                problems.append(
                    FieldProblem.of(
                        "details.answers",
                        N_("feedback is longer than %(count)d characters"),
                        count=EXPLANATION_MAX_LENGTH,
                    )
                )
        if answers and not any(answer.share == 1 for answer in answers):
            problems.append(FieldProblem.of("details.answers", N_("one answer must be worth the whole point (100%)")))
        return problems + _options_and_weights(draft)

    def grade(self, key: AnswerKey, response: Response) -> Verdict:
        text = first_part(response)
        if not text.strip():
            return no_answer()
        number = parse_number_response(text)
        if number is None:
            return Verdict(False, UNREADABLE_NUMBER, retry=True)
        matching = [answer for answer in numerical_answers(key.details) if answer.accepts(number)]
        if not matching:
            return scored(0.0)
        best = max(matching, key=lambda answer: answer.share)
        return scored(best.share, best.text(), best.feedback)

    def right_response(self, key: AnswerKey) -> list[str]:
        best = [answer for answer in numerical_answers(key.details) if answer.share == 1]
        return [number_text(best[0].value)] if best else []

    def answer_lines(self, key: AnswerKey) -> list[str]:
        return [answer.text() for answer in numerical_answers(key.details) if answer.share == 1]


def _options_and_weights(draft: QuestionDraft) -> list[FieldProblem]:
    problems = no_options(draft)
    if draft.details.get("weights") or draft.details.get("feedback"):
        problems.append(
            FieldProblem.of("details.answers", N_("a numerical answer keeps its share and feedback with it"))
        )
    return problems
