"""Shared pieces of the question generator: text helpers, option picking, draft builders.

Nothing here knows about a particular kind of fact; the ``generate_*`` modules
for events, people and relations build on it, and :mod:`generate` runs them.
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.domain.questions import TRUE_FALSE_OPTIONS, QuestionDraft, QuestionType, Topic

DISTRACTOR_COUNT = 3  # a multiple-choice question shows the answer and three others

# A template offers its drafts best first; the generator keeps the first whose
# prompt is still unused, so a later fact can fall back to a more specific wording.
Candidates = list[QuestionDraft]


def strip_accents(text: str) -> str:
    """``"Nicolás de Piérola"`` -> ``"Nicolas de Pierola"``; other characters are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@functools.lru_cache(maxsize=8192)  # the same names and descriptions are folded again and again
def fold(text: str) -> str:
    """The form texts are compared in: casefolded, unaccented, punctuation as spaces.

    It matches how responses are graded, so two options that fold alike would be
    indistinguishable to the grader.
    """
    plain = strip_accents(text.casefold())
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def slugify(text: str) -> str:
    """``"Minister of War"`` -> ``"minister-of-war"``, for ids."""
    return "-".join(fold(text).split())


def contains_words(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words, ignoring case and accents."""
    folded_needle = fold(needle)
    return bool(folded_needle) and f" {folded_needle} " in f" {fold(haystack)} "


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def full_stop(text: str) -> str:
    """One sentence ending in punctuation, capitalized; empty text stays empty."""
    text = " ".join(text.split())
    if not text:
        return ""
    if text[-1] not in ".!?":
        text += "."
    return capitalize_first(text)


def explain(*parts: str) -> str:
    """Join the non-empty parts into sentences."""
    return " ".join(full_stop(part) for part in parts if part and part.strip())


def country_in_text(country: str) -> str:
    """Country names that need "the" in running text: ``"the United States"``."""
    if re.match(r"^(United|Kingdom|Republic|Netherlands|Philippines)\b", country):
        return f"the {country}"
    return country


@dataclass(frozen=True)
class FactRef:
    """Which fact a question comes from: ``FactRef("event", "treaty-of-ancon")``."""

    kind: str  # event, person, place, government, capital, recognition
    key: str

    @property
    def source(self) -> str:
        return f"{self.kind}:{self.key}"

    def question_id(self, template: str) -> str:
        return f"{self.kind}:{self.key}:{template}"


def question_rng(seed: int, question_id: str) -> random.Random:
    """Randomness for one question's option choice and order.

    Seeded by the question id as well as the seed so that adding a fact does not
    reshuffle every other question (string seeds are hashed with SHA-512, not
    with the per-process ``hash``).
    """
    return random.Random(f"{seed}:{question_id}")


def statement_rng(question_id: str) -> random.Random:
    """Randomness that shapes a prompt (a true/false statement), so it ignores the seed.

    Prompts must not depend on the seed: the seed only reorders and resamples
    options, and ids and prompts stay the same across builds.
    """
    return random.Random(f"statement:{question_id}")


def unique_folded(items: Iterable[str]) -> list[str]:
    """Items in their given order without empty ones or ones that fold alike."""
    seen: set[str] = set()
    result = []
    for item in items:
        folded = fold(item)
        if folded and folded not in seen:
            seen.add(folded)
            result.append(item)
    return result


def pick_distractors(
    rng: random.Random,
    answer: str,
    tiers: Sequence[Sequence[str]],
    exclude: Iterable[str] = (),
    count: int = DISTRACTOR_COUNT,
) -> list[str] | None:
    """Choose ``count`` wrong options, exhausting earlier (more plausible) tiers first.

    Args:
        rng: the question's random source.
        answer: the correct option; never chosen, nor anything folding like it.
        tiers: candidate texts, most plausible tier first, each in a stable order.
        exclude: texts that must not be offered (other true answers).
        count: how many to choose.

    Returns:
        The distractors, or None when there are not enough candidates.
    """
    seen = {fold(answer), *(fold(text) for text in exclude)}
    chosen: list[str] = []
    for tier in tiers:
        pool = [text for text in unique_folded(tier) if fold(text) not in seen]
        needed = count - len(chosen)
        taken = pool if len(pool) <= needed else rng.sample(pool, needed)
        chosen.extend(taken)
        seen.update(fold(text) for text in taken)
        if len(chosen) == count:
            return chosen
    return None


def multiple_choice(
    seed: int,
    fact: FactRef,
    template: str,
    topic: Topic,
    prompts: Sequence[str],
    answer: str,
    tiers: Sequence[Sequence[str]],
    explanation: str,
    exclude: Iterable[str] = (),
) -> Candidates:
    """Drafts of one multiple-choice question, one per prompt wording, sharing options.

    Returns an empty list when there are not enough distractors.
    """
    question_id = fact.question_id(template)
    rng = question_rng(seed, question_id)
    distractors = pick_distractors(rng, answer, tiers, exclude)
    if distractors is None:
        return []
    options = [answer, *distractors]
    rng.shuffle(options)
    return [
        QuestionDraft(
            id=question_id,
            topic=topic,
            type=QuestionType.MULTIPLE_CHOICE,
            prompt=capitalize_first(prompt),
            answer=answer,
            options=tuple(options),
            explanation=explanation,
            source=fact.source,
            tags=(fact.kind, _tag(template)),
        )
        for prompt in prompts
    ]


def true_false(
    fact: FactRef,
    template: str,
    topic: Topic,
    statements: Sequence[tuple[str, bool]],
    explanation: str,
) -> Candidates:
    """Drafts of one true/false question, one per ``(statement, truth)`` wording."""
    return [
        QuestionDraft(
            id=fact.question_id(template),
            topic=topic,
            type=QuestionType.TRUE_FALSE,
            prompt=capitalize_first(statement),
            answer=TRUE_FALSE_OPTIONS[0] if truth else TRUE_FALSE_OPTIONS[1],
            options=TRUE_FALSE_OPTIONS,
            explanation=explanation,
            source=fact.source,
            tags=(fact.kind, _tag(template)),
        )
        for statement, truth in statements
    ]


def free_answer(
    fact: FactRef,
    template: str,
    topic: Topic,
    question_type: QuestionType,
    prompts: Sequence[str],
    answer: str,
    explanation: str,
    accepted: Sequence[str] = (),
) -> Candidates:
    """Drafts of one short-answer or date question, one per prompt wording."""
    folded_answer = answer.casefold()
    accepted_answers = tuple(
        text for text in unique_case_insensitive(accepted) if text.casefold() != folded_answer
    )
    return [
        QuestionDraft(
            id=fact.question_id(template),
            topic=topic,
            type=question_type,
            prompt=capitalize_first(prompt),
            answer=answer,
            accepted_answers=accepted_answers,
            explanation=explanation,
            source=fact.source,
            tags=(fact.kind, _tag(template)),
        )
        for prompt in prompts
    ]


def unique_case_insensitive(items: Iterable[str]) -> list[str]:
    """Items in order, stripped, without empty ones or case-insensitive repeats.

    Unlike :func:`unique_folded` it keeps an unaccented spelling next to the
    accented one: students are told both are accepted.
    """
    seen: set[str] = set()
    result = []
    for item in items:
        text = " ".join(item.split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text)
    return result


def _tag(template: str) -> str:
    # Role templates carry the office in the middle ("role-minister-of-war:office").
    return template.rsplit(":", 1)[-1]
