"""The question types: one registry, one object per type (:class:`~.base.QuestionKind`).

Each type says how it is labelled, how its options are shown and shuffled,
how a response is graded (with partial credit), what is wrong with a draft
(problems tagged with the field they concern), how its answer and a response
read, and which answer widget and form section it uses. The forms, services,
templates, the demo and every import and export format ask :func:`kind_of`;
adding a type is one module here, its entry in :data:`TYPES`, its answer
widget ``templates/shared/answers/<widget>.html`` and its form section.

How a question is represented
-----------------------------

A question (:class:`~quizapp.domain.questions.QuestionDraft`, stored as a
``QuestionVersion``) has the fields every type shares: ``prompt``,
``answer``, ``accepted_answers``, ``options``, ``explanation``, and
``details``, a JSON object holding the structured part of its type:

=================== ==================================================================
type                what ``answer``, ``options`` and ``details`` hold
=================== ==================================================================
multiple_choice     ``options``; ``answer``: the option worth the whole point;
                    ``weights``: ``{option: share}`` for options worth part of it
                    (Moodle's fraction, -1 to 1; below 0 counts as 0)
true_false          ``answer``: ``True`` or ``False``; ``options``: ``True``, ``False``
short_answer        ``answer`` and ``accepted_answers`` earn the point; ``weights``:
                    ``{answer: share}`` of answers worth part of it, ``*`` any other
date                ``answer``: ``20 October 1883``, ``October 1883`` or ``1883``;
                    ``accepted_answers``: other dates the sources give
multiple_response   ``options``; ``weights``: every right option's positive share
                    (adding up to 1) and wrong options' negative ones; ``answer``:
                    the right options joined by ``; `` (read-only, for lists)
matching            ``pairs``: ``[[item, match], ...]``; ``distractors``: more matches;
                    ``answer``: ``item → match; ...`` (read-only)
timeline            ``items``: the events in the order they happened; ``labels``:
                    when each happened (optional); ``answer``: ``a → b → c``
numerical           ``answers``: ``[{"value", "tolerance", "share", "feedback"}]``;
                    ``answer``: the full-credit ones, ``1883 ± 1`` (read-only)
=================== ==================================================================

Every type may also have ``feedback``: ``{answer or option: comment}``, shown
to a student who gave that answer (Moodle's per-answer feedback), and
``format``: ``"html"`` when the prompt, explanation and feedback are
sanitized HTML (:mod:`quizapp.domain.rich_text`) rather than plain text.
``answer`` is always filled, so lists, search and exports that know nothing
of a type still read something sensible.

A response is a sequence of texts: the option chosen or the text typed (one
text), the options chosen (multiple response), the match chosen for each
item in item order (matching), or the events in the student's order
(timeline). A quiz item keeps it as text (:meth:`~.base.QuestionKind.response_text`)
and, structured, in its ``details``, with the score (0 to 1) next to
``correct`` (the whole point) and the author's comment on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from quizapp.domain.grading import Verdict
from quizapp.domain.question_types.base import AnswerKey, QuestionKind, Response
from quizapp.domain.question_types.choice import MultipleChoice, MultipleResponse, TrueFalse
from quizapp.domain.question_types.matching import Matching
from quizapp.domain.question_types.numerical import Numerical
from quizapp.domain.question_types.timeline import Timeline
from quizapp.domain.question_types.typed import Date, ShortAnswer
from quizapp.domain.questions import QuestionType

TYPES: Mapping[QuestionType, QuestionKind] = MappingProxyType(
    {
        kind.type: kind
        for kind in (
            MultipleChoice(),
            TrueFalse(),
            ShortAnswer(),
            Date(),
            MultipleResponse(),
            Matching(),
            Timeline(),
            Numerical(),
        )
    }
)


def kind_of(question_type: QuestionType | str) -> QuestionKind:
    """The registered type.

    Raises:
        ValueError: the type is unknown.
    """
    return TYPES[QuestionType(question_type)]


def grade(key: AnswerKey, response: Response | str) -> Verdict:
    """Grade a response (a text is a one-part response) to a question or stored version.

    Raises:
        ResponseTooLong: a part of the response is longer than MAX_RESPONSE_LENGTH.
        ValueError: the type is unknown, or a date question's answer is not a date.
    """
    parts = [response] if isinstance(response, str) else list(response)
    return kind_of(key.type).grade(key, parts)


def options_shown(key: AnswerKey, seed: int | str, question_id: str) -> list[str]:
    """The choices a quiz shows for a question, in the order this attempt (seed) shows them."""
    return kind_of(key.type).options_shown(key, seed, question_id)


__all__ = ["TYPES", "AnswerKey", "QuestionKind", "Response", "grade", "kind_of", "options_shown"]
