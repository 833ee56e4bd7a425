"""Choosing among options: multiple choice (one answer, partial credit by weight) and true or false."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from quizapp.domain.grading import CORRECT, INCORRECT, Verdict, normalize, scored
from quizapp.domain.problems import N_, FieldProblem, quoted
from quizapp.domain.question_sizes import size_problems
from quizapp.domain.question_types.base import (
    AnswerKey,
    QuestionKind,
    Response,
    chosen_option,
    common_details,
    feedback,
    first_part,
    no_answer,
    option_problems,
    weight_problems,
    weights,
)
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, TRUE_FALSE_WORDS, QuestionDraft, QuestionType
from quizapp.domain.quiz import shuffle_options

CHOOSE_ONE = "Choose one of the answers."
CHOOSE_SOME = "Choose at least one of the answers, or “I don't know”."


class MultipleChoice(QuestionKind):
    """One of several options is the answer; others may earn part of the point.

    ``answer`` is the option worth the whole point; the details' ``weights``
    give other options a share (Moodle's ``~%50%``; negative shares count as
    nothing), ``feedback`` a comment shown to whoever chose the option.
    """

    type = QuestionType.MULTIPLE_CHOICE
    label = N_("Multiple choice")
    widget = "choice"
    editor = "options"

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        answer = draft.answer
        # Oversized drafts are refused anyway; folding them would only cost time.
        if (
            answer not in draft.options
            and not size_problems("answer", answer)
            and not size_problems("options", draft.options)
        ):
            matches = [option for option in draft.options if normalize(option) == normalize(answer)]
            if len(matches) == 1:
                answer = matches[0]
        details = common_details(draft, draft.options)
        return replace(draft, answer=answer, details=details)

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        problems = option_problems(draft.options)
        if draft.answer not in draft.options:
            problems.append(
                FieldProblem.of(
                    "answer", N_("the answer %(answer)s must be one of the options"), answer=quoted(draft.answer)
                )
            )
        return problems + weight_problems(draft, draft.options)

    def options_shown(self, key: AnswerKey, seed: int | str, question_id: str) -> list[str]:
        return shuffle_options(key.options, seed, question_id)

    def option_pool(self, key: AnswerKey) -> list[str]:
        return list(key.options)

    def grade(self, key: AnswerKey, response: Response) -> Verdict:
        text = first_part(response)
        if not normalize(text):
            return no_answer()
        if normalize(text) == normalize(key.answer):
            return Verdict(True, CORRECT, key.answer, 1.0, feedback(key).get(key.answer, ""))
        option = chosen_option(key.options, text)
        if option is None:
            return Verdict(False, INCORRECT)
        return scored(weights(key).get(option, 0.0), option, feedback(key).get(option, ""))

    def incomplete(self, response: Response, options: Sequence[str], rows: Sequence[str]) -> str | None:
        if len(response) != 1 or response[0] not in options:
            return CHOOSE_ONE
        return None


class TrueFalse(MultipleChoice):
    """A statement, true or false. The details' ``feedback`` may comment on each of ``True`` and ``False``."""

    type = QuestionType.TRUE_FALSE
    label = N_("True or false")
    widget = "choice"
    editor = "true_false"

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        """True and false in the draft's language, written in any language ("true", "Falso", ...)."""
        words = TRUE_FALSE_WORDS[draft.language]
        canonical = {
            word.casefold(): words[position]
            for known in TRUE_FALSE_WORDS.values()
            for position, word in enumerate(known)
        }
        answer = canonical.get(draft.answer.casefold(), draft.answer)
        options = draft.options
        if not options or sorted(canonical.get(option.casefold(), "") for option in options) == sorted(words):
            options = words
        comments = {canonical.get(text.casefold(), text): comment for text, comment in feedback(draft).items()}
        details = common_details(replace(draft, details={**draft.details, "feedback": comments}), words)
        return replace(draft, answer=answer, options=options, details=details)

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        problems = []
        true, false = words = TRUE_FALSE_WORDS[draft.language]
        if draft.answer not in words:
            problems.append(
                FieldProblem.of(
                    "answer",
                    N_("a true/false answer must be %(true)s or %(false)s, not %(answer)s"),
                    true=true,
                    false=false,
                    answer=quoted(draft.answer),
                )
            )
        if tuple(draft.options) != words:
            problems.append(
                FieldProblem.of(
                    "options",
                    N_("a true/false question's options must be empty or %(true)s, %(false)s"),
                    true=true,
                    false=false,
                )
            )
        if weights(draft):
            problems.append(FieldProblem.of("details.weights", N_("a true/false answer is right or wrong: no weights")))
        return problems + weight_problems(draft, words)

    def options_shown(self, key: AnswerKey, seed: int | str, question_id: str) -> list[str]:
        return self.option_pool(key)  # "True" before "False", as people expect

    def option_pool(self, key: AnswerKey) -> list[str]:
        return list(key.options) or list(TRUE_FALSE_OPTIONS)


def select_all_weights(options: Sequence[str], right: Collection[str]) -> dict[str, float]:
    """The shares of a "select all that apply" question whose right options are ``right``.

    Each right option earns an equal share of the point and each wrong one
    takes an equal share away, so that choosing every option earns nothing
    (the rule Moodle's question form suggests); the grade is kept within 0 and 1.
    """
    if not right:
        return {}
    wrong = [option for option in options if option not in right]
    shares = {option: 1 / len(right) for option in options if option in right}
    return shares | {option: -1 / len(wrong) for option in wrong}


class MultipleResponse(QuestionKind):
    """Select all that apply, graded by Moodle's rule for several right answers.

    The details' ``weights`` give every option its share: the right options'
    shares are positive and add up to 1, a wrong option's share is negative
    (or nothing). A response scores the sum of the shares of the options
    chosen, never below 0 nor above 1. ``answer`` is the right options
    joined by ``; `` (for lists and search; grading reads the weights).
    """

    type = QuestionType.MULTIPLE_RESPONSE
    label = N_("Multiple response (select all that apply)")
    widget = "choices"
    editor = "options"  # the multiple-choice rows, several of them marked right

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        details = common_details(draft, draft.options)
        normalized = replace(draft, details=details)
        return replace(normalized, answer=self.answer_text(normalized), accepted_answers=())

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        problems = option_problems(draft.options) + weight_problems(draft, draft.options)
        shares = [weight for option, weight in weights(draft).items() if option in draft.options and weight > 0]
        if not shares:
            problems.append(FieldProblem.of("details.weights", N_("mark at least one option as right")))
        elif abs(sum(shares) - 1) > 0.01:
            problems.append(
                FieldProblem.of(
                    "details.weights",
                    N_("the right options' shares must add up to 100%%, not %(percent)d%%"),
                    percent=round(sum(shares) * 100),
                )
            )
        return problems

    def options_shown(self, key: AnswerKey, seed: int | str, question_id: str) -> list[str]:
        return shuffle_options(key.options, seed, question_id)

    def option_pool(self, key: AnswerKey) -> list[str]:
        return list(key.options)

    def grade(self, key: AnswerKey, response: Response) -> Verdict:
        for part in response:
            first_part([part])
        chosen = list(dict.fromkeys(option for part in response if (option := chosen_option(key.options, part))))
        if not chosen:
            return no_answer()
        shares = weights(key)
        comments = feedback(key)
        verdict = scored(sum(shares.get(option, 0.0) for option in chosen))
        comment = "\n".join(comments[option] for option in chosen if comments.get(option))
        return Verdict(verdict.correct, verdict.feedback, None, verdict.score, comment)

    def right_response(self, key: AnswerKey) -> list[str]:
        return self.answer_lines(key)

    def answer_lines(self, key: AnswerKey) -> list[str]:
        shares = weights(key)
        return [option for option in key.options if shares.get(option, 0.0) > 0]

    def response_text(self, key: AnswerKey, response: Response) -> str:
        return "; ".join(response)

    def incomplete(self, response: Response, options: Sequence[str], rows: Sequence[str]) -> str | None:
        if not response or any(part not in options for part in response):
            return CHOOSE_SOME
        return None

    def mixed_up(self, key: AnswerKey) -> list[str] | None:
        right = self.right_response(key)
        return [option for option in key.options if option not in right][:1]
