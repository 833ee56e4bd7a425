"""The bank verifier: proves from the facts that every generated question is right, fair and written for students.

:func:`verify_bank` checks each generated question's claim with
:class:`~quizapp.domain.knowledge.Knowledge` and its wording with rules a
template cannot see on its own. Each :class:`Finding` names the fact (and the
file it is in), the template and the rule:

* ``answer-not-proved``: the keyed answer does not follow from the facts.
* ``distractor-not-false``: a wrong option is true, or not ruled out (another
  holder of the office at that time, a date inside the fact's uncertainty, a
  place the facts allow...).
* ``order-overlap``: a before/after question between facts whose dates may overlap.
* ``statement-undecided`` / ``statement-wrong``: a true/false statement the
  facts do not settle, or settle the other way.
* ``ambiguous-stem``: a typed answer the facts allow more than one answer to,
  or a stem another fact's question also uses.
* ``give-away``: a name from the correct option in the stem that the wrong
  options do not share, or a typed answer written in its own stem.
* ``editorial-text``: words about the source ("the article", "infobox",
  "according to") or fact ids in anything a student reads.
* ``near-miss-name``: a typed answer within spelling-slip reach of another
  known name, so the grader could take one for the other.
* ``claim-mismatch``: the draft's text does not say what its claim says.
* ``too-long``: text beyond what the question forms accept.
* ``duplicate-option``: two options the grader could not tell apart.
* ``languages-disagree``: the Spanish version is not the same question as the
  English one (another number of options, another key, other pairs or events).

Every rule about wording runs on the Spanish version of a question too, and
its findings say "in Spanish".

Teacher-written questions get the rules that apply to them (``duplicate``,
``give-away``) from :func:`check_teacher_questions`, as warnings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from quizapp.domain.facts import FactBank, MissingSpanish
from quizapp.domain.generate_common import SPANISH_TRUE_FALSE, Generated, giveaway_names, near_misses
from quizapp.domain.knowledge import ORDER_RELATIONS, Knowledge, Truth
from quizapp.domain.languages import Language
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, QuestionDraft, QuestionText, QuestionType
from quizapp.domain.words import fold

MAX_PROMPT_LENGTH = 500
MAX_OPTIONS = 9
MAX_ACCEPTED_ANSWERS = 39

# Words about the source, never about history.
_EDITORIAL = re.compile(
    r"\b(article|articles|infobox|main text|according to|wikipedia|source fact|the text says|the source"
    r"|art[ií]culos?|seg[uú]n|ficha|texto principal|el texto dice|la fuente)\b",
    re.IGNORECASE,
)
_FACT_ID = re.compile(r"\b(event|person|place|government|capital|recognition|proposal|name):[a-z0-9]+(-[a-z0-9]+)*")


class Rule(StrEnum):
    ANSWER_NOT_PROVED = "answer-not-proved"
    DISTRACTOR_NOT_FALSE = "distractor-not-false"
    ORDER_OVERLAP = "order-overlap"
    STATEMENT_UNDECIDED = "statement-undecided"
    STATEMENT_WRONG = "statement-wrong"
    AMBIGUOUS_STEM = "ambiguous-stem"
    GIVE_AWAY = "give-away"
    EDITORIAL_TEXT = "editorial-text"
    NEAR_MISS_NAME = "near-miss-name"
    CLAIM_MISMATCH = "claim-mismatch"
    TOO_LONG = "too-long"
    DUPLICATE = "duplicate"
    DUPLICATE_OPTION = "duplicate-option"
    LANGUAGES_DISAGREE = "languages-disagree"


class Severity(StrEnum):
    ERROR = "error"  # the bank may not be written
    WARNING = "warning"  # shown to the teacher who wrote the question


@dataclass(frozen=True)
class Finding:
    """One broken rule: which question, made from which fact by which template, and what is wrong.

    Attributes:
        rule: the rule broken.
        question_id: the question's id.
        fact: the fact it came from (``event:treaty-of-ancon``), empty for a teacher's question.
        template: the template that made it, empty for a teacher's question.
        message: what is wrong, for the person fixing it.
        file: the fact file the fact is in, when known.
        severity: an error blocks ``bank build``; a warning does not.
    """

    rule: Rule
    question_id: str
    fact: str
    template: str
    message: str
    file: Path | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file.parent.name}/{self.file.name}: " if self.file else ""
        kind, _, key = self.fact.partition(":")
        about = f"{kind} {key!r}, template {self.template!r}" if self.fact else f"question {self.question_id!r}"
        return f"{where}{about}, rule {self.rule}: {self.message}"


def verify_bank(facts: FactBank, generated: Sequence[Generated]) -> list[Finding]:
    """Every rule, for every generated question; an empty list means the bank may be written."""
    knowledge = Knowledge(facts)
    names = knowledge.known_names()
    spanish_names = knowledge.known_names(Language.SPANISH)
    findings: list[Finding] = []
    for item in generated:
        problems = [
            *_claim_problems(knowledge, item),
            *_wording_problems(item.draft, names, knowledge.rival_names(item.claim.answer)),
            *_spanish_problems(knowledge, item, spanish_names),
        ]
        findings += [_finding(facts, item, rule, message) for rule, message in problems]
    findings += _shared_stems(facts, generated, lambda draft: draft.prompt, "")
    findings += _shared_stems(facts, generated, _spanish_prompt, "in Spanish, ")
    return findings


def _wording_problems(draft: QuestionDraft, names: Sequence[str], rivals: Sequence[str]) -> list[Problem]:
    """The rules about a version's wording, in whichever language it is written."""
    return [
        *_text_problems(draft),
        *_giveaway_problems(draft, names),
        *_near_miss_problems(draft, rivals),
        *_size_problems(draft),
        *_duplicate_options(draft),
    ]


def check_teacher_questions(
    questions: Iterable[QuestionDraft], bank: Iterable[QuestionDraft], names: Sequence[str]
) -> list[Finding]:
    """The rules that apply to teacher-written questions, as warnings.

    Args:
        questions: the teacher's questions to check.
        bank: every active question (the teacher's included) to look for duplicates in.
        names: the known names of the bank (:meth:`Knowledge.known_names`).
    """
    prompts: dict[str, list[str]] = defaultdict(list)
    for other in bank:
        prompts[fold(other.prompt)].append(other.id)
    findings = []
    for question in questions:
        twins = [other for other in prompts.get(fold(question.prompt), []) if other != question.id]
        problems = [(Rule.DUPLICATE, f"another active question asks the same: {', '.join(twins)}")] if twins else []
        problems += _giveaway_problems(question, names)
        findings += [
            Finding(rule, question.id, "", "", message, severity=Severity.WARNING) for rule, message in problems
        ]
    return findings


# -- claims ------------------------------------------------------------------------


Problem = tuple[Rule, str]


def _claim_problems(knowledge: Knowledge, item: Generated) -> list[Problem]:
    claim, draft = item.claim, item.draft
    if claim.parts:
        return _part_problems(knowledge, item)
    truth = knowledge.truth(claim.relation, claim.subject, claim.answer)
    problems: list[Problem] = []
    if draft.type is QuestionType.TRUE_FALSE:
        if truth is Truth.UNKNOWN:
            rule = Rule.ORDER_OVERLAP if claim.relation in ORDER_RELATIONS else Rule.STATEMENT_UNDECIDED
            problems.append((rule, f"the facts do not settle {draft.prompt!r}"))
        elif (truth is Truth.TRUE) != bool(claim.truth):
            message = f"{draft.prompt!r} is keyed {draft.answer} but the facts say otherwise"
            problems.append((Rule.STATEMENT_WRONG, message))
        return problems + _mismatch(knowledge, item)
    if truth is not Truth.TRUE:
        problems.append((Rule.ANSWER_NOT_PROVED, f"the answer {draft.answer!r} is {truth} according to the facts"))
    for value in claim.options:
        if value == claim.answer:
            continue
        option_truth = knowledge.truth(claim.relation, claim.subject, value)
        if option_truth is Truth.FALSE:
            continue
        label = knowledge.label(value)
        if claim.relation in ORDER_RELATIONS:
            problems.append((Rule.ORDER_OVERLAP, f"the option {label!r} cannot be ordered against the stem's event"))
        else:
            message = f"the wrong option {label!r} is {option_truth} according to the facts"
            problems.append((Rule.DISTRACTOR_NOT_FALSE, message))
    if draft.type in (QuestionType.SHORT_ANSWER, QuestionType.DATE):
        others = [
            knowledge.label(value)
            for value in knowledge.candidates(claim.relation)
            if value != claim.answer and knowledge.truth(claim.relation, claim.subject, value) is not Truth.FALSE
        ]
        if others:
            problems.append((Rule.AMBIGUOUS_STEM, f"the facts also allow {', '.join(sorted(others)[:3])}"))
        if claim.relation.value == "date" and knowledge.date_of(claim.subject) is not None:
            when = knowledge.date_of(claim.subject)
            if when is not None and when.exact is None:
                problems.append((Rule.AMBIGUOUS_STEM, f"asks for an exact date but the facts say {when.display()!r}"))
    return problems + _mismatch(knowledge, item)


def _part_problems(knowledge: Knowledge, item: Generated) -> list[Problem]:
    """A structured question's key: every statement it rests on settled as keyed (one defensible answer)."""
    problems: list[Problem] = []
    for part in item.claim.parts:
        truth = knowledge.truth(part.relation, part.subject, part.answer)
        keyed = Truth.TRUE if part.truth else Truth.FALSE
        if truth is keyed:
            continue
        statement = f"{part.relation} of {part.subject} is {knowledge.label(part.answer)!r}"
        if truth is Truth.UNKNOWN:
            rule = Rule.ORDER_OVERLAP if part.relation in ORDER_RELATIONS else Rule.STATEMENT_UNDECIDED
            problems.append((rule, f"the facts do not settle that {statement}"))
        else:
            problems.append((Rule.STATEMENT_WRONG, f"keyed {keyed}, but the facts say {truth}: {statement}"))
    return problems


def _mismatch(knowledge: Knowledge, item: Generated) -> list[Problem]:
    claim, draft = item.claim, item.draft
    if draft.type is QuestionType.TRUE_FALSE:
        expected = TRUE_FALSE_OPTIONS[0] if claim.truth else TRUE_FALSE_OPTIONS[1]
        return [] if draft.answer == expected else [(Rule.CLAIM_MISMATCH, f"keyed {draft.answer}, claimed {expected}")]
    problems = []
    if draft.answer != knowledge.label(claim.answer):
        problems.append((Rule.CLAIM_MISMATCH, f"the answer {draft.answer!r} is not {knowledge.label(claim.answer)!r}"))
    if draft.type is QuestionType.MULTIPLE_CHOICE and draft.options != tuple(knowledge.label(v) for v in claim.options):
        problems.append((Rule.CLAIM_MISMATCH, "the options are not the claim's values"))
    return problems


# -- wording -----------------------------------------------------------------------


def _text_problems(draft: QuestionDraft) -> list[Problem]:
    """Student-facing text speaks about history, never about the source, and shows no fact ids."""
    problems = []
    for field, texts in (
        ("prompt", [draft.prompt]),
        ("answer", [draft.answer]),
        ("options", list(draft.options)),
        ("explanation", [draft.explanation]),
    ):
        for text in texts:
            if match := _EDITORIAL.search(text):
                problems.append((Rule.EDITORIAL_TEXT, f"the {field} speaks about the source: {match.group(0)!r}"))
            if match := _FACT_ID.search(text):
                problems.append((Rule.EDITORIAL_TEXT, f"the {field} shows a fact id: {match.group(0)!r}"))
    return problems


def _giveaway_problems(draft: QuestionDraft, names: Sequence[str]) -> list[Problem]:
    found = giveaway_names(draft, names)
    if not found:
        return []
    if draft.type is QuestionType.MULTIPLE_CHOICE:
        message = f"the question names {found[0]!r}, which the correct option shares and a wrong one does not"
        return [(Rule.GIVE_AWAY, message)]
    return [(Rule.GIVE_AWAY, f"the question contains its own answer, {found[0]!r}")]


def _near_miss_problems(draft: QuestionDraft, names: Sequence[str]) -> list[Problem]:
    """A typed answer must be further from every other known name than a spelling slip can reach."""
    if draft.type is not QuestionType.SHORT_ANSWER:
        return []
    return [
        (Rule.NEAR_MISS_NAME, f"the accepted answer {form!r} is within a slip of {other!r}")
        for form, other in near_misses((draft.answer, *draft.accepted_answers), names)
    ]


def _size_problems(draft: QuestionDraft) -> list[Problem]:
    problems = []
    if len(draft.prompt) > MAX_PROMPT_LENGTH:
        message = f"the prompt has {len(draft.prompt)} characters, more than {MAX_PROMPT_LENGTH}"
        problems.append((Rule.TOO_LONG, message))
    if len(draft.options) > MAX_OPTIONS:
        problems.append((Rule.TOO_LONG, f"{len(draft.options)} options, more than {MAX_OPTIONS}"))
    if len(draft.accepted_answers) > MAX_ACCEPTED_ANSWERS:
        message = f"{len(draft.accepted_answers)} accepted answers, more than {MAX_ACCEPTED_ANSWERS}"
        problems.append((Rule.TOO_LONG, message))
    return problems


def _duplicate_options(draft: QuestionDraft) -> list[Problem]:
    """Options that fold alike: the grader, and a student, could not tell them apart."""
    seen: set[str] = set()
    problems = []
    for option in draft.options:
        if fold(option) in seen:
            problems.append((Rule.DUPLICATE_OPTION, f"the option {option!r} is there twice"))
        seen.add(fold(option))
    return problems


# -- the Spanish version ---------------------------------------------------------------


def _spanish_prompt(draft: QuestionDraft) -> str | None:
    text = draft.translations.get(Language.SPANISH)
    return text.prompt if text else None


def _spanish_problems(knowledge: Knowledge, item: Generated, names: Sequence[str]) -> list[Problem]:
    """The wording rules on the Spanish version, and that it is the same question as the English one."""
    text = item.draft.translations.get(Language.SPANISH)
    if text is None:
        return []
    spanish = replace(
        item.draft,
        prompt=text.prompt,
        answer=text.answer,
        accepted_answers=text.accepted_answers,
        options=text.options,
        explanation=text.explanation,
        details=text.details or item.draft.details,
        language=Language.SPANISH,
        translations={},
    )
    rivals = knowledge.rival_names(item.claim.answer, Language.SPANISH)
    found = [(rule, f"in Spanish, {message}") for rule, message in _wording_problems(spanish, names, rivals)]
    return found + _disagreements(knowledge, item, text)


def _disagreements(knowledge: Knowledge, item: Generated, text: QuestionText) -> list[Problem]:
    """Where the Spanish version is another question: its options, key, pairs or events differ."""
    draft, claim = item.draft, item.claim
    problems: list[str] = []
    if len(text.options) != len(draft.options):
        problems.append(f"{len(text.options)} options in Spanish, {len(draft.options)} in English")
    elif draft.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE) and (
        text.answer not in text.options or text.options.index(text.answer) != draft.options.index(draft.answer)
    ):
        problems.append(f"the Spanish key {text.answer!r} is not the English key {draft.answer!r}")
    if draft.type is QuestionType.TRUE_FALSE and text.options != SPANISH_TRUE_FALSE:
        problems.append(f"the Spanish options are {text.options}, not {SPANISH_TRUE_FALSE}")
    elif draft.type is QuestionType.MULTIPLE_CHOICE and not claim.parts:
        try:
            labels = tuple(knowledge.label(value, Language.SPANISH) for value in claim.options)
        except MissingSpanish as missing:
            labels = ()
            problems.append(f"an option has no Spanish {missing}")
        if labels and text.options != labels:
            problems.append("the Spanish options are not the claim's values")
    problems += _detail_disagreements(draft, text)
    return [(Rule.LANGUAGES_DISAGREE, message) for message in problems]


def _detail_disagreements(draft: QuestionDraft, text: QuestionText) -> list[str]:
    """The details say the same in both languages: the same fields, lists of the same lengths, the same numbers.

    Weights are keyed by the options' words, so they are compared option by option, in the options' order.
    """
    english, spanish = dict(draft.details), dict(text.details)
    if not spanish:
        return []
    if set(english) != set(spanish):
        return [f"the details have {sorted(spanish)} in Spanish, {sorted(english)} in English"]
    if "weights" in english:
        english["weights"] = [english["weights"].get(option) for option in draft.options]
        spanish["weights"] = [spanish["weights"].get(option) for option in text.options]
    return _structure_disagreements(english, spanish)


def _structure_disagreements(english: object, spanish: object) -> list[str]:
    if isinstance(english, dict) and isinstance(spanish, dict):
        if set(english) != set(spanish):
            return [f"the fields {sorted(spanish)} in Spanish, {sorted(english)} in English"]
        return [problem for key in english for problem in _structure_disagreements(english[key], spanish[key])]
    if isinstance(english, list) and isinstance(spanish, list):
        if len(english) != len(spanish):
            return [f"{len(spanish)} items in Spanish, {len(english)} in English"]
        return [problem for pair in zip(english, spanish, strict=True) for problem in _structure_disagreements(*pair)]
    if isinstance(english, str) and isinstance(spanish, str):
        return []
    return [] if english == spanish else [f"{spanish!r} in Spanish, {english!r} in English"]


def _shared_stems(
    facts: FactBank, generated: Sequence[Generated], prompt_of: Callable[[QuestionDraft], str | None], note: str
) -> list[Finding]:
    """A stem two questions share fits several facts: each of them is reported."""
    by_stem: dict[str, list[Generated]] = defaultdict(list)
    for item in generated:
        prompt = prompt_of(item.draft)
        if prompt is not None:
            by_stem[fold(prompt)].append(item)
    findings = []
    for items in by_stem.values():
        if len(items) > 1:
            for item in items:
                others = ", ".join(other.draft.id for other in items if other is not item)
                findings.append(_finding(facts, item, Rule.AMBIGUOUS_STEM, f"{note}the same stem as {others}"))
    return findings


def _finding(facts: FactBank, item: Generated, rule: Rule, message: str) -> Finding:
    file = facts.file_of(_KINDS[item.fact.kind], item.fact.key)
    return Finding(rule, item.draft.id, item.fact.source, item.template, message, file)


# The fact-file section each fact kind comes from.
_KINDS = {
    "event": "events",
    "place": "places",
    "person": "people",
    "government": "governments",
    "capital": "capitals",
    "recognition": "recognitions",
    "proposal": "proposals",
    "name": "names",
}
