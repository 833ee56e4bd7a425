"""Typed answers: names and terms (short answer) and dates."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace

from quizapp.domain.dates import DateError, parse_date_answer
from quizapp.domain.grading import DateGrader, ShortAnswerGrader, Verdict, parse_date_response, scored
from quizapp.domain.problems import N_, FieldProblem, quoted
from quizapp.domain.question_sizes import size_problems
from quizapp.domain.question_types.base import (
    AnswerKey,
    QuestionKind,
    Response,
    common_details,
    feedback,
    first_part,
    no_options,
    weight_problems,
    weights,
)
from quizapp.domain.question_types.wording import Wording
from quizapp.domain.questions import ANSWER_MAX_LENGTH, QuestionDraft, QuestionType

# Moodle's short answer "*": any other response; it carries feedback (and, rarely, a share).
ANY_OTHER_ANSWER = "*"

_SHORT_ANSWER_GRADER = ShortAnswerGrader()
_DATE_GRADER = DateGrader()


def with_other_answers(key: Wording, others: Sequence[Wording]) -> Wording:
    """``key`` whose accepted answers, known wrong answers, weights and feedback include the ``others``':
    "Estados Unidos" is right in English too, "United States" in Spanish. ``key``'s own come first and
    win where both give a weight or a comment for the same answer."""
    answers = [key.answer, *key.accepted_answers]
    accepted = [*key.accepted_answers] + [
        text for other in others for text in [other.answer, *other.accepted_answers] if text not in answers
    ]
    options = [*key.options] + [text for other in others for text in other.options if text not in key.options]
    details = dict(key.details)
    for name in ("weights", "feedback"):
        merged: dict[str, object] = {}
        for wording_ in [*reversed(others), key]:
            merged.update(wording_.details.get(name) or {})
        if merged:
            details[name] = merged
    text = replace(key.text, accepted_answers=tuple(dict.fromkeys(accepted)), options=tuple(options), details=details)
    return replace(key, text=text)


class ShortAnswer(QuestionKind):
    """A typed name or term: ``answer`` and ``accepted_answers`` earn the point.

    The details' ``weights`` list more answers worth part of it (Moodle's
    ``=%50%``), graded as leniently, and ``*`` for any other response;
    ``feedback`` comments on any of them. The question's ``options`` (none
    are shown) would be known wrong answers.
    """

    type = QuestionType.SHORT_ANSWER
    label = N_("Short answer")
    widget = "typed"
    editor = "short_answer"
    hint = "Accents and capitals do not matter; a small spelling slip is forgiven."

    def accepting(self, key: Wording, others: Sequence[Wording]) -> AnswerKey:
        return with_other_answers(key, others)

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        return replace(draft, details=common_details(draft, ()))

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        return no_options(draft) + weight_problems(draft, self._answers(draft), lowest=0.0)

    def grade(self, key: AnswerKey, response: Response) -> Verdict:
        text = first_part(response)
        comments = feedback(key)
        full = [key.answer, *key.accepted_answers]
        verdict = _SHORT_ANSWER_GRADER.check(key.answer, key.accepted_answers, text, options=key.options)
        if verdict.correct or verdict.matched is not None or not text.strip():
            return replace(verdict, comment=comments.get(verdict.matched or "", ""))
        partial = {answer: share for answer, share in weights(key).items() if answer not in full}
        known = [*full, *partial, *key.options]
        best: tuple[float, str] | None = None
        for answer, share in partial.items():
            if answer == ANY_OTHER_ANSWER:
                continue
            others = [other for other in known if other != answer]
            if _SHORT_ANSWER_GRADER.check(answer, (), text, options=others).correct and (
                best is None or share > best[0]
            ):
                best = (share, answer)
        if best is None and ANY_OTHER_ANSWER in partial:
            best = (partial[ANY_OTHER_ANSWER], ANY_OTHER_ANSWER)
        if best is None:
            return replace(verdict, comment=comments.get(ANY_OTHER_ANSWER, ""))
        share, answer = best
        return scored(share, answer, comments.get(answer, ""))

    @staticmethod
    def _answers(draft: QuestionDraft) -> list[str]:
        return [draft.answer, *draft.accepted_answers, *(text for text in weights(draft) if text != draft.answer)]


class Date(QuestionKind):
    """A date, typed in any usual form and graded to the precision of the answer (see DateGrader).

    A response that is no date at all asks the student to try again.
    """

    type = QuestionType.DATE
    label = N_("Date")
    widget = "typed"
    editor = "date"
    hint = "A date in any usual form, e.g. 31 December 1999, 31/12/1999 or 1999-12-31; as precise as the question asks."

    def accepting(self, key: Wording, others: Sequence[Wording]) -> AnswerKey:
        return with_other_answers(key, others)

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        answer = draft.answer
        if len(answer) <= ANSWER_MAX_LENGTH:
            with contextlib.suppress(ValueError):
                answer = parse_date_answer(answer).display_in(draft.language)
        return replace(draft, answer=answer, details=common_details(draft, ()))

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        problems = no_options(draft) + weight_problems(draft, [draft.answer, *draft.accepted_answers], lowest=1.0)
        try:
            parse_date_answer(draft.answer)
        except DateError as error:
            reason = FieldProblem.of("answer", error.template, **error.params)
            problems.append(FieldProblem.of("answer", N_("date answer: %(reason)s"), reason=reason))
        # Beyond the size limits (already a problem) reading every answer would only cost time.
        if not size_problems("accepted_answers", draft.accepted_answers):
            problems += [
                FieldProblem.of(
                    "accepted_answers", N_("the accepted answer %(text)s is not a date"), text=quoted(accepted)
                )
                for accepted in draft.accepted_answers
                if parse_date_response(accepted) is None
            ]
        return problems

    def grade(self, key: AnswerKey, response: Response) -> Verdict:
        verdict = _DATE_GRADER.check(key.answer, key.accepted_answers, first_part(response))
        return replace(verdict, comment=feedback(key).get(verdict.matched or "", ""))
