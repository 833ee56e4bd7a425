"""What every question type provides, and the helpers the types share."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol

from quizapp.domain.grading import NO_ANSWER, Verdict, check_length, normalize
from quizapp.domain.problems import N_, FieldProblem, quoted
from quizapp.domain.question_types.wording import Wording
from quizapp.domain.questions import (
    ANSWER_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    MAX_OPTIONS,
    MIN_OPTIONS,
    Details,
    QuestionDraft,
    QuestionType,
)
from quizapp.domain.rich_text import HTML

# A student's response: the texts they chose, typed or ordered (see each type).
Response = Sequence[str]

TYPE_AN_ANSWER = "Type an answer, or choose “I don't know”."


class AnswerKey(Protocol):
    """What grading and showing a question read: a draft, or a stored question version."""

    @property
    def type(self) -> str: ...

    @property
    def answer(self) -> str: ...

    @property
    def accepted_answers(self) -> Sequence[str]: ...

    @property
    def options(self) -> Sequence[str]: ...

    @property
    def details(self) -> Details: ...


class QuestionKind:
    """One question type: everything the app needs to know about it, in one object.

    Attributes:
        type: its :class:`QuestionType`.
        label: its name in menus and lists.
        widget: how a student answers: the template
            ``shared/answers/<widget>.html`` (``choice``: one of the options,
            ``choices``: any of them, ``typed``: a box to type in,
            ``matching``: a choice for each item, ``timeline``: a position for
            each event).
        editor: the section of the teachers' question form that writes it.
        hint: what the answer box says, for typed answers.
    """

    type: ClassVar[QuestionType]
    label: ClassVar[str]
    widget: ClassVar[str]
    editor: ClassVar[str]
    hint: ClassVar[str] = ""

    def normalize(self, draft: QuestionDraft) -> QuestionDraft:
        """The canonical form of a draft of this type (never fails; problems are for :meth:`problems`)."""
        return draft

    def problems(self, draft: QuestionDraft) -> list[FieldProblem]:
        """What is wrong with a normalized draft's answer part, each tagged with its field."""
        return []

    def options_shown(self, key: AnswerKey, seed: int | str, question_id: str) -> list[str]:
        """The choices a quiz shows, in this attempt's order (seeded by the attempt and the question)."""
        return []

    def option_pool(self, key: AnswerKey) -> list[str]:
        """What :meth:`options_shown` shuffles, in the order written: the same order in every language."""
        return []

    def accepting(self, key: Wording, others: Sequence[Wording]) -> AnswerKey:
        """``key`` (the question in the student's language) also accepting what ``others`` (the question in
        other languages) accept: for typed answers; a chosen option is the same option in every language."""
        return key

    def grade(self, key: AnswerKey, response: Response) -> Verdict:
        """Grade a response.

        Raises:
            ResponseTooLong: a part of the response is over MAX_RESPONSE_LENGTH.
        """
        raise NotImplementedError

    def right_response(self, key: AnswerKey) -> list[str]:
        """A response worth the whole point (for demos and tests)."""
        return [key.answer]

    def answer_lines(self, key: AnswerKey) -> list[str]:
        """The right answer as lines to show after answering (one line for most types)."""
        return [key.answer]

    def answer_text(self, key: AnswerKey) -> str:
        """The right answer on one line (lists, item analysis, exports)."""
        return "; ".join(self.answer_lines(key))

    def response_text(self, key: AnswerKey, response: Response) -> str:
        """A response on one line, as kept with the answer and shown back to the student."""
        return response[0] if response else ""

    def choices_for(self, key: AnswerKey) -> list[str]:
        """What a flashcard lists under the prompt (the options, for the types that have them)."""
        return list(key.options)

    def rows(self, key: AnswerKey) -> list[str]:
        """The items a matching or timeline widget asks about, one control each (empty for the rest)."""
        return []

    def mixed_up(self, key: AnswerKey) -> list[str] | None:
        """A wrong response made from the right one, as a student who mixed things up gives it (the
        demo's students); None where a wrong response must come from elsewhere (another answer)."""
        return None

    def incomplete(self, response: Response, options: Sequence[str], rows: Sequence[str]) -> str | None:
        """Why a posted response cannot be graded as it stands (a box left empty, a choice not offered), or None.

        ``options`` and ``rows`` are what the widget showed. The student is asked again; nothing counts.
        """
        if len(response) != 1 or not response[0].strip():
            return TYPE_AN_ANSWER
        return None


# -- the details every type may have ------------------------------------------------


# Weights are kept to this many decimals: what Moodle's formats carry (a percentage with 8 decimals),
# so a question written to GIFT or Moodle XML and read back is the same question.
WEIGHT_DECIMALS = 10


def weights(key: AnswerKey) -> dict[str, float]:
    """The details' ``weights``: an answer or option's share of the point (Moodle's fraction)."""
    value = key.details.get("weights") or {}
    return {str(text): float(weight) for text, weight in value.items()} if isinstance(value, Mapping) else {}


def feedback(key: AnswerKey) -> dict[str, str]:
    """The details' ``feedback``: what the author wrote for a given answer or option."""
    value = key.details.get("feedback") or {}
    return {str(text): str(comment) for text, comment in value.items()} if isinstance(value, Mapping) else {}


def is_html(key: AnswerKey) -> bool:
    """Whether the prompt, explanation and feedback are (sanitized) HTML rather than plain text."""
    return key.details.get("format") == HTML


def texts(details: Details, name: str) -> list[str]:
    """A list of texts in the details, [] when absent or not a list of texts."""
    value = details.get(name) or []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def common_details(draft: QuestionDraft, answers: Sequence[str]) -> dict[str, Any]:
    """The details every type shares, cleaned: the text format, weights and feedback of ``answers``.

    Weights and feedback of texts that are not among ``answers`` are kept, for
    :func:`weight_problems` to report.
    """
    details: dict[str, Any] = {}
    if draft.details.get("format") == HTML:
        details["format"] = HTML
    given_weights = weights(draft)
    if given_weights:
        details["weights"] = {clean(text): round(weight, WEIGHT_DECIMALS) for text, weight in given_weights.items()}
    given_feedback = {clean(text): clean(comment) for text, comment in feedback(draft).items() if clean(comment)}
    if given_feedback:
        details["feedback"] = given_feedback
    return details


def weight_problems(draft: QuestionDraft, allowed: Sequence[str], *, lowest: float = -1.0) -> list[FieldProblem]:
    """Weights and feedback must be of ``allowed`` texts, weights between ``lowest`` and 1."""
    problems = []
    allowed_set = set(allowed)
    for text, weight in weights(draft).items():
        if text not in allowed_set:
            problems.append(
                FieldProblem.of(
                    "details.weights", N_("the weight of %(text)s is for no answer of the question"), text=quoted(text)
                )
            )
        elif not (math.isfinite(weight) and lowest <= weight <= 1):
            problems.append(
                FieldProblem.of(
                    "details.weights",
                    N_("the weight of %(text)s must be between %(lowest)s and 1, not %(weight)s"),
                    text=quoted(text),
                    lowest=f"{lowest:g}",
                    weight=f"{weight:g}",
                )
            )
    for text, comment in feedback(draft).items():
        if text not in allowed_set:
            problems.append(
                FieldProblem.of(
                    "details.feedback",
                    N_("the feedback on %(text)s is for no answer of the question"),
                    text=quoted(text),
                )
            )
        elif len(comment) > EXPLANATION_MAX_LENGTH:
            problems.append(
                FieldProblem.of(
                    "details.feedback",
                    N_("the feedback on %(text)s is longer than %(count)d characters"),
                    text=quoted(text),
                    count=EXPLANATION_MAX_LENGTH,
                )
            )
    return problems


def option_problems(options: Sequence[str], field: str = "options") -> list[FieldProblem]:
    """Options that can be told apart: MIN_OPTIONS to MAX_OPTIONS, each with a letter or digit, all distinct."""
    problems = []
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        problems.append(
            FieldProblem.of(
                field,
                N_("give %(least)d to %(most)d options, found %(count)d"),
                least=MIN_OPTIONS,
                most=MAX_OPTIONS,
                count=len(options),
            )
        )
    if any(len(option) > ANSWER_MAX_LENGTH for option in options):
        return problems  # too long to compare; the size rules say so
    folded = [normalize(option) for option in options]
    if any(not text for text in folded):
        problems.append(FieldProblem.of(field, N_("every option must contain a letter or a digit")))
    # The grader compares choices this way, so options equal under it cannot be told apart.
    elif len(set(folded)) != len(folded):
        problems.append(FieldProblem.of(field, N_("options must be distinct (ignoring case, accents and punctuation)")))
    return problems


# Whole sentences, not a type's name put into one: the name's article and gender differ by language.
_NO_OPTIONS = {
    QuestionType.SHORT_ANSWER: N_("options are not for short answer questions"),
    QuestionType.DATE: N_("options are not for date questions"),
    QuestionType.MATCHING: N_("options are not for matching questions"),
    QuestionType.TIMELINE: N_("options are not for timeline questions"),
    QuestionType.NUMERICAL: N_("options are not for numerical questions"),
}


def no_options(draft: QuestionDraft) -> list[FieldProblem]:
    """Types without options refuse them."""
    return [FieldProblem.of("options", _NO_OPTIONS[draft.type])] if draft.options else []


def chosen_option(options: Sequence[str], text: str) -> str | None:
    """The option a response names, compared as the grader compares (case, accents, punctuation ignored)."""
    folded = normalize(text)
    return next((option for option in options if normalize(option) == folded), None) if folded else None


def first_part(response: Response) -> str:
    text = response[0] if response else ""
    check_length(text)
    return text


def no_answer() -> Verdict:
    return Verdict(False, NO_ANSWER)
