"""Turn a :class:`FactBank` into question drafts, deterministically.

Each kind of fact has a few *templates*; a template builds one question from
one fact, in every direction that makes sense (when did X happen, and what
happened on that date). A question's id is ``<kind>:<fact key>:<template>``
(``event:treaty-of-ancon:when``), so rebuilding the bank keeps ids. The seed
only chooses and orders multiple-choice options: ids, prompts, answers and
true/false statements are the same for every seed.

Two rules keep questions fair:

* A prompt has exactly one right answer among the options. Distractors are
  drawn only from values known to be wrong for that prompt (another date that
  cannot be the event's in any account, a country with no recorded
  recognition of the government, ...), and free-answer prompts are narrowed
  (by place, office, government or account) or skipped when the data gives
  two answers.
* Prompts are unique. A template offers its wordings best first and the
  first unused one is kept, so when several events share a date the later
  ones are asked with their place or kind added.

The templates live in ``generate_events``, ``generate_people`` and
``generate_relations``; the helpers they share in ``generate_common``,
``generate_context``, ``generate_dates`` and ``generate_names``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from quizapp.domain.facts import FactBank
from quizapp.domain.generate_common import Candidates, fold
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_events import event_questions, place_questions
from quizapp.domain.generate_people import government_questions, person_questions
from quizapp.domain.generate_relations import capital_questions, recognition_questions, recognized_by
from quizapp.domain.questions import QuestionDraft


class DuplicateQuestionError(ValueError):
    """Two generated questions share an id or a prompt; a bug in a template."""


def generate_questions(facts: FactBank, seed: int = 0) -> list[QuestionDraft]:
    """Build every question the facts support.

    Args:
        facts: the fact bank, usually from ``load_facts``.
        seed: chooses and orders multiple-choice options. The same seed gives
            the same output; another seed gives the same ids and prompts.

    Returns:
        Drafts grouped by fact kind (events, places, people, governments,
        capitals, recognitions), each kind in key order.

    Raises:
        DuplicateQuestionError: if two drafts share an id or a prompt.
    """
    context = Context(facts, seed)
    questions: list[QuestionDraft] = []
    used_prompts: set[str] = set()
    for candidates in _all_candidates(context):
        for draft in candidates:
            if fold(draft.prompt) not in used_prompts:
                used_prompts.add(fold(draft.prompt))
                questions.append(draft)
                break
    _check_unique(questions)
    return questions


def _all_candidates(ctx: Context) -> Iterator[Candidates]:
    for event in ctx.events:
        yield from event_questions(ctx, event)
    event_places = {event.place for event in ctx.events if event.place}
    seats = {government.seat for government in ctx.governments if government.seat}
    for place in ctx.places:
        if place.key in event_places | seats:
            yield from place_questions(ctx, place)
    for person in ctx.people:
        yield from person_questions(ctx, person)
    for government in ctx.governments:
        yield from government_questions(ctx, government)
        yield recognized_by(ctx, government)
    for capital in ctx.capitals:
        yield from capital_questions(ctx, capital)
    for recognition in ctx.recognitions:
        yield from recognition_questions(ctx, recognition)


def _check_unique(questions: list[QuestionDraft]) -> None:
    for label, values in (("id", [q.id for q in questions]), ("prompt", [fold(q.prompt) for q in questions])):
        repeated = sorted(value for value, count in Counter(values).items() if count > 1)
        if repeated:
            raise DuplicateQuestionError(f"repeated question {label}s: {repeated[:5]}")
