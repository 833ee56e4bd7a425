"""Shared pieces of the question generator: ids, randomness, and draft builders that prove what they claim.

Nothing here knows about a particular kind of fact; the ``generate_*`` modules
build on it, and :mod:`generate` runs them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import DamerauLevenshtein

from quizapp.domain.facts import MissingSpanish, Person
from quizapp.domain.generate_names import accepted_names
from quizapp.domain.generate_spanish import capitalize_es
from quizapp.domain.grading import max_typo_distance, normalize
from quizapp.domain.knowledge import Claim, Knowledge, Relation, Truth, Value
from quizapp.domain.languages import Language
from quizapp.domain.questions import (
    TRUE_FALSE_OPTIONS,
    TRUE_FALSE_WORDS,
    BankTopic,
    QuestionDraft,
    QuestionText,
    QuestionType,
)
from quizapp.domain.words import capitalize_first, contains_words, fold, unique_case_insensitive

DISTRACTOR_COUNT = 3  # a multiple-choice question shows the answer and three others
SPANISH_TRUE_FALSE = TRUE_FALSE_WORDS[Language.SPANISH]


@dataclass(frozen=True)
class Words:
    """A prompt, statement or explanation in English and in Spanish (None until its facts have their Spanish)."""

    en: str
    es: str | None = None


def words(english: str, spanish: Callable[[], str]) -> Words:
    """The text in both languages; ``spanish`` builds the Spanish, which a fact without its Spanish yet leaves out."""
    try:
        return Words(english, spanish())
    except MissingSpanish:
        return Words(english)


# What a template passes for a text: plain English (no Spanish version yet) or Words.
Wording = str | Words


def english(text: Wording) -> str:
    return text if isinstance(text, str) else text.en


def spanish(text: Wording) -> str | None:
    return None if isinstance(text, str) else text.es


@dataclass(frozen=True)
class FactRef:
    """Which fact a question comes from: ``FactRef("event", "treaty-of-ancon")``."""

    kind: str  # event, person, place, government, capital, recognition, proposal, name
    key: str

    @property
    def source(self) -> str:
        return f"{self.kind}:{self.key}"

    def question_id(self, template: str) -> str:
        return f"{self.kind}:{self.key}:{template}"


@dataclass(frozen=True)
class Generated:
    """A generated question with what it claims, for the verifier.

    Attributes:
        draft: the question as students see it.
        claim: what it asserts, in terms the facts can check.
        fact: the fact it was made from.
        template: the template that made it (the last part of its id).
    """

    draft: QuestionDraft
    claim: Claim
    fact: FactRef
    template: str


# A template offers its wordings best first; the generator keeps the first whose
# prompt is still unused, so a later fact can fall back to a more specific wording.
Candidates = list[Generated]


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


def first_found(attempts: Iterable[Candidates]) -> Candidates:
    """The first non-empty attempt: templates try their possible answers in order of preference."""
    return next((found for found in attempts if found), [])


def unique_values(items: Iterable[Value]) -> list[Value]:
    return list(dict.fromkeys(items))


def giveaway_names(draft: QuestionDraft, names: Sequence[str]) -> list[str]:
    """Names that give the answer away.

    For multiple choice, a known name in the stem that the correct option
    contains and some wrong option does not; for a typed answer, the answer
    (or an accepted form) written in the stem.
    """
    if draft.type is QuestionType.MULTIPLE_CHOICE:
        distractors = [option for option in draft.options if option != draft.answer]
        return [
            name
            for name in shared_names(draft.prompt, draft.answer, names)
            if not all(contains_words(option, name) for option in distractors)
        ]
    if draft.type is QuestionType.SHORT_ANSWER:
        forms = (draft.answer, *draft.accepted_answers)
        return [form for form in forms if len(fold(form)) > 2 and contains_words(draft.prompt, form)]
    return []


def shared_names(prompt: str, answer: str, names: Sequence[str]) -> list[str]:
    """The known names both the stem and the answer contain."""
    return [name for name in names if contains_words(prompt, name) and contains_words(answer, name)]


def near_misses(forms: Iterable[str], names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs (accepted form, other known name) close enough for a spelling slip to turn one into the other.

    The grader forgives up to :func:`max_typo_distance` edits; a response that
    close to a form is always closer to it than to a name more than twice that
    far away (edit distance is a metric), so such a name can never pass for it.
    Words the two share ("Andrés" in "Andrés Cáceres" and "Andrés Pachas") are
    set aside first: a slip in them brings the response no nearer the other name.
    """
    own = {normalize(text) for text in forms}
    others = {normalize(name) for name in names} - own
    return [(form, other) for form in sorted(own) for other in sorted(others) if _within_slips(form, other)]


def _within_slips(form: str, other: str) -> bool:
    form_words, other_words = form.split(), other.split()
    rest = [word for word in form_words if word not in other_words]
    other_rest = [word for word in other_words if word not in form_words]
    if rest and other_rest:
        form, other = " ".join(rest), " ".join(other_rest)
    return DamerauLevenshtein.distance(form, other) <= 2 * max_typo_distance(form)


class Asker:
    """Builds drafts with their claims; every option offered as wrong is one the facts prove false.

    It also keeps the wording fair: a stem never names what only the correct
    option shares, and a typed answer is never within a slip of another known name.
    """

    def __init__(self, knowledge: Knowledge, seed: int) -> None:
        self.knowledge = knowledge
        self.seed = seed
        self.names = knowledge.known_names()

    def pick_distractors(
        self, rng: random.Random, relation: Relation, subject: str, answer: Value, tiers: Sequence[Iterable[Value]]
    ) -> list[Value] | None:
        """Choose DISTRACTOR_COUNT values the facts prove wrong, exhausting earlier (more plausible) tiers first.

        Values whose labels fold like the answer's or each other's are skipped
        (the grader could not tell them apart). Returns None when there are too few.
        """
        seen = {fold(self.knowledge.label(answer))}
        chosen: list[Value] = []
        for tier in tiers:
            pool = []
            for value in unique_values(tier):
                label = fold(self.knowledge.label(value))
                if label in seen or self.knowledge.truth(relation, subject, value) is not Truth.FALSE:
                    continue
                seen.add(label)
                pool.append(value)
            needed = DISTRACTOR_COUNT - len(chosen)
            chosen.extend(pool if len(pool) <= needed else rng.sample(pool, needed))
            if len(chosen) == DISTRACTOR_COUNT:
                return chosen
        return None

    def multiple_choice(
        self,
        fact: FactRef,
        template: str,
        topic: BankTopic,
        prompts: Sequence[Wording],
        relation: Relation,
        subject: str,
        answer: Value,
        tiers: Sequence[Iterable[Value]],
        explanation: Wording,
    ) -> Candidates:
        """One multiple-choice question, one draft per prompt wording.

        When a wording's stem names something the answer names too, only wrong
        options naming it as well are offered. Returns an empty list when the
        answer is not proved or there are too few wrong options.
        """
        if self.knowledge.truth(relation, subject, answer) is not Truth.TRUE:
            return []
        question_id = fact.question_id(template)
        answer_label = self.knowledge.label(answer)
        found = []
        for prompt in prompts:
            shared = shared_names(english(prompt), answer_label, self.names)
            if shared:
                tiers = [
                    [
                        value
                        for tier in tiers
                        for value in tier
                        if all(contains_words(self.knowledge.label(value), name) for name in shared)
                    ]
                ]
            rng = question_rng(self.seed, question_id)
            distractors = self.pick_distractors(rng, relation, subject, answer, tiers)
            if distractors is None:
                continue
            values = [answer, *distractors]
            rng.shuffle(values)
            options = tuple(self.knowledge.label(value) for value in values)
            claim = Claim(relation, subject, answer, tuple(values))
            draft = _draft(fact, template, topic, QuestionType.MULTIPLE_CHOICE, prompt, answer_label, explanation)
            draft = self.in_spanish(replace(draft, options=options), claim, prompt, explanation)
            found.append(Generated(draft, claim, fact, template))
        return found

    def who(
        self,
        fact: FactRef,
        template: str,
        topic: BankTopic,
        prompts: tuple[Wording, Wording],
        relation: Relation,
        subject: str,
        answer: Person,
        explanation: Wording,
    ) -> Candidates:
        """A question whose answer is a person: typed when the facts allow nobody else, else chosen.

        Args:
            prompts: the typed wording ("Who led ...?") and the multiple-choice one
                ("Which of these people led ...?").
        """
        claim = Claim(relation, subject, Value("person", answer.key))
        accepted = accepted_names(answer, self.knowledge.people)
        typed = self.free_answer(
            fact, template, topic, QuestionType.SHORT_ANSWER, [prompts[0]], claim, explanation, accepted,
            answer.es.many("aliases"),
        )  # fmt: skip
        return typed or self.multiple_choice(
            fact, template, topic, [prompts[1]], relation, subject, claim.answer, self.people_tiers(answer), explanation
        )

    def people_tiers(self, answer: Person) -> list[list[Value]]:
        """Everyone as wrong-option candidates: the answer's nationality first."""
        people = self.knowledge.people
        same = [Value("person", p.key) for p in people if p.nationality == answer.nationality]
        return [same, [Value("person", p.key) for p in people]]

    def true_false(
        self,
        fact: FactRef,
        template: str,
        topic: BankTopic,
        statements: Sequence[tuple[Wording, Claim]],
        explanation: Wording,
    ) -> Candidates:
        """One true/false question, one draft per ``(statement, claim)`` wording; the claim's truth is the key.

        Statements the facts do not decide as keyed are dropped.
        """
        return [
            Generated(
                self.in_spanish(
                    replace(
                        _draft(fact, template, topic, QuestionType.TRUE_FALSE, statement, key, explanation),
                        options=TRUE_FALSE_OPTIONS,
                    ),
                    claim,
                    statement,
                    explanation,
                ),
                claim,
                fact,
                template,
            )
            for statement, claim in statements
            if self.knowledge.truth(claim.relation, claim.subject, claim.answer) is _truth_of(claim)
            for key in [TRUE_FALSE_OPTIONS[0] if claim.truth else TRUE_FALSE_OPTIONS[1]]
        ]

    def free_answer(
        self,
        fact: FactRef,
        template: str,
        topic: BankTopic,
        question_type: QuestionType,
        prompts: Sequence[Wording],
        claim: Claim,
        explanation: Wording,
        accepted: Sequence[str] = (),
        spanish_accepted: Sequence[str] = (),
    ) -> Candidates:
        """One short-answer or date question, one draft per prompt wording.

        A typed name is accepted in either language: each version accepts the
        other's answer and forms (``spanish_accepted`` are the Spanish forms).
        Returns an empty list unless the facts prove the answer and allow no other.
        """
        if self.knowledge.truth(claim.relation, claim.subject, claim.answer) is not Truth.TRUE:
            return []
        if any(
            value != claim.answer and self.knowledge.truth(claim.relation, claim.subject, value) is not Truth.FALSE
            for value in self.knowledge.candidates(claim.relation)
        ):
            return []
        answer = self.knowledge.label(claim.answer)
        forms = [*accepted]
        if question_type is QuestionType.SHORT_ANSWER:
            forms += self._spanish_forms(claim.answer, spanish_accepted)
        accepted_answers = _others(answer, forms)
        rivals = self.knowledge.rival_names(claim.answer)
        if question_type is QuestionType.SHORT_ANSWER and near_misses((answer, *accepted_answers), rivals):
            return []
        drafts = [
            self.in_spanish(
                replace(
                    _draft(fact, template, topic, question_type, prompt, answer, explanation),
                    accepted_answers=accepted_answers,
                ),
                claim,
                prompt,
                explanation,
            )
            for prompt in prompts
        ]
        return [Generated(draft, claim, fact, template) for draft in drafts if not giveaway_names(draft, self.names)]

    def _spanish_forms(self, answer: Value, spanish_accepted: Sequence[str]) -> list[str]:
        """The Spanish answer and its forms, when the facts give them."""
        try:
            return [self.knowledge.label(answer, Language.SPANISH), *spanish_accepted]
        except MissingSpanish:
            return []

    def in_spanish(self, draft: QuestionDraft, claim: Claim, prompt: Wording, explanation: Wording) -> QuestionDraft:
        """The draft with its Spanish version: the same options in the same order, the same key.

        Left in English only while a fact it shows has no Spanish yet.
        """
        spanish_prompt, spanish_explanation = spanish(prompt), spanish(explanation)
        if spanish_prompt is None or spanish_explanation is None:
            return draft
        options: tuple[str, ...]
        try:
            if draft.type is QuestionType.TRUE_FALSE:
                options = SPANISH_TRUE_FALSE
                answer = options[TRUE_FALSE_OPTIONS.index(draft.answer)]
            else:
                answer = self.knowledge.label(claim.answer, Language.SPANISH)
                options = tuple(self.knowledge.label(value, Language.SPANISH) for value in claim.options)
        except MissingSpanish:
            return draft
        accepted: tuple[str, ...] = ()
        if draft.type is QuestionType.SHORT_ANSWER:
            accepted = _others(answer, [*draft.accepted_answers, draft.answer])
        text = QuestionText(capitalize_es(spanish_prompt), answer, accepted, options, spanish_explanation)
        return replace(draft, translations={Language.SPANISH: text})


def _others(answer: str, forms: Iterable[str]) -> tuple[str, ...]:
    """The forms, once each, without the answer itself (compared without case)."""
    return tuple(text for text in unique_case_insensitive(forms) if text.casefold() != answer.casefold())


def _draft(
    fact: FactRef,
    template: str,
    topic: BankTopic,
    question_type: QuestionType,
    prompt: Wording,
    answer: str,
    explanation: Wording,
) -> QuestionDraft:
    return QuestionDraft(
        id=fact.question_id(template),
        topic=topic,
        type=question_type,
        prompt=capitalize_first(english(prompt)),
        answer=answer,
        explanation=english(explanation),
        source=fact.source,
        tags=_tags(fact, template),
    )


def _truth_of(claim: Claim) -> Truth:
    return Truth.TRUE if claim.truth else Truth.FALSE


def _tags(fact: FactRef, template: str) -> tuple[str, ...]:
    """The fact's kind and the template, once each ("name" is both for a name's name question).

    Role templates carry the office in the middle ("role-minister-of-war:office"): only the last part is a tag.
    """
    return tuple(dict.fromkeys((fact.kind, template.rsplit(":", 1)[-1])))
