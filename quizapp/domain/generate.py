"""Turn a :class:`FactBank` into question drafts, deterministically, each with the claim it makes.

Each kind of fact has a few *templates*; a template builds one question from
one fact, in every direction that makes sense (when did X happen, and what
happened on that date). A question's id is ``<kind>:<fact key>:<template>``
(``event:treaty-of-ancon:when``), so rebuilding the bank keeps ids. The seed
only chooses and orders multiple-choice options: ids, prompts, answers and
true/false statements are the same for every seed.

Every question carries a :class:`~quizapp.domain.knowledge.Claim` that the
facts decide: the keyed answer is proved, every wrong option is proved wrong
(:class:`~quizapp.domain.generate_common.Asker` offers nothing else), and a
typed answer is the only one the facts allow. Prompts are unique: a template
offers its wordings best first and the first unused one is kept.
:mod:`quizapp.domain.verify` checks all of it again, with the rules about
wording a template cannot see on its own.

The templates live in ``generate_events``, ``generate_people``,
``generate_relations``, ``generate_proposals`` and, for timelines, matching,
multiple response and "about when" years, ``generate_structured``; the helpers they share in
``generate_common``, ``generate_context``, ``generate_dates`` and
``generate_names``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from quizapp.domain.facts import FactBank
from quizapp.domain.generate_common import Candidates, Generated
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_events import event_questions, place_questions
from quizapp.domain.generate_people import government_questions, person_questions
from quizapp.domain.generate_proposals import name_questions, proposal_questions
from quizapp.domain.generate_relations import capital_questions, recognition_questions
from quizapp.domain.generate_structured import structured_questions
from quizapp.domain.questions import QuestionDraft
from quizapp.domain.words import fold


class DuplicateQuestionError(ValueError):
    """Two generated questions share an id; a bug in a template."""


def generate_bank(facts: FactBank, seed: int = 0) -> list[Generated]:
    """Build every question the facts support, with the claim each makes.

    Args:
        facts: the fact bank, usually from ``load_facts``.
        seed: chooses and orders multiple-choice options. The same seed gives
            the same output; another seed gives the same ids and prompts.

    Returns:
        Questions grouped by fact kind (events, places, people, governments,
        capitals, recognitions, proposals, names), each kind in key order.

    Raises:
        DuplicateQuestionError: if two questions share an id.
    """
    context = Context(facts, seed)
    questions: list[Generated] = []
    used_prompts: set[str] = set()
    for candidates in _all_candidates(context):
        for generated in candidates:
            if fold(generated.draft.prompt) not in used_prompts:
                used_prompts.add(fold(generated.draft.prompt))
                questions.append(generated)
                break
    repeated = sorted(key for key, count in Counter(q.draft.id for q in questions).items() if count > 1)
    if repeated:
        raise DuplicateQuestionError(f"repeated question ids: {repeated[:5]}")
    return questions


def generate_questions(facts: FactBank, seed: int = 0) -> list[QuestionDraft]:
    """The drafts of :func:`generate_bank`, as the bank stores them."""
    return [generated.draft for generated in generate_bank(facts, seed)]


def _all_candidates(ctx: Context) -> Iterator[Candidates]:
    for item in ctx.events:
        yield from event_questions(ctx, item)
    for where in ctx.places:
        yield from place_questions(ctx, where)
    for someone in ctx.people:
        yield from person_questions(ctx, someone)
    for government in ctx.governments:
        yield from government_questions(ctx, government)
    for capital in ctx.capitals:
        yield from capital_questions(ctx, capital)
    for recognition in ctx.recognitions:
        yield from recognition_questions(ctx, recognition)
    for proposal in ctx.proposals:
        yield from proposal_questions(ctx, proposal)
    for name in ctx.names:
        yield from name_questions(ctx, name)
    yield from structured_questions(ctx)
