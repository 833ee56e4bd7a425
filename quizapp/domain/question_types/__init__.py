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

In several languages
--------------------

A question may be written in several languages (:mod:`.wording`): a student
reads it in theirs (:func:`wordings`, their language first) and is graded in
it by :func:`grade_in`, which also accepts the other languages' answers. The
options keep their positions in every language, so :func:`options_in` shows
an attempt's shuffled options in any of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from quizapp.domain.grading import Verdict
from quizapp.domain.question_types.base import AnswerKey, QuestionKind, Response
from quizapp.domain.question_types.choice import MultipleChoice, MultipleResponse, TrueFalse
from quizapp.domain.question_types.matching import Matching
from quizapp.domain.question_types.numerical import Numerical
from quizapp.domain.question_types.timeline import Timeline
from quizapp.domain.question_types.typed import Date, ShortAnswer
from quizapp.domain.question_types.wording import Wording, wording, wordings
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


def options_in(shown: Sequence[str], read_in: Sequence[Wording]) -> list[str]:
    """Options (or a response's parts) given in any of the question's wordings, in the first one's.

    Each text becomes the text at its position in the first wording: ``["Verdadero"]`` of a true or
    false question read in English is ``["True"]``. A text of no wording is kept as it is (the
    grader or the form then says it is no option).
    """
    kind = kind_of(read_in[0].type)
    target = kind.option_pool(read_in[0])
    pools = [pool for other in read_in[1:] if len(pool := kind.option_pool(other)) == len(target)]

    def in_target(text: str) -> str:
        if text in target:
            return text
        return next((target[pool.index(text)] for pool in pools if text in pool), text)

    return [in_target(text) for text in shown]


def grade_in(read_in: Sequence[Wording], response: Response | str) -> Verdict:
    """Grade a response to the question as read in ``read_in[0]``, the others' answers right too.

    ``read_in`` is the question in the student's language first, then in its other languages
    (:func:`wordings`). A chosen option, match or event counts by its position, whichever
    language it was given in; a typed answer is graded against the student's language and
    also accepts what the other languages accept ("United States" for "Estados Unidos").

    Raises:
        ResponseTooLong: a part of the response is longer than MAX_RESPONSE_LENGTH.
    """
    first, others = read_in[0], read_in[1:]
    kind = kind_of(first.type)
    parts = options_in([response] if isinstance(response, str) else list(response), read_in)
    return kind.grade(kind.accepting(first, others), parts)


__all__ = [
    "TYPES",
    "AnswerKey",
    "QuestionKind",
    "Response",
    "Wording",
    "grade",
    "grade_in",
    "kind_of",
    "options_in",
    "options_shown",
    "wording",
    "wordings",
]
