"""Question templates of the structured types: timelines, matching, select-all-that-apply and "about when" years.

Each question makes a compound claim (:attr:`Claim.parts`): statements the
facts must settle as keyed, one for every pair of events in a timeline, every
item-and-choice cell of a matching question, every option of a
multiple-response question. A question is offered only when every one of its
statements is settled, so it has one defensible answer; :mod:`verify` checks
them all again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from itertools import combinations, product

from quizapp.domain.facts import Event, MissingSpanish
from quizapp.domain.generate_common import Candidates, FactRef, Generated, question_rng
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_spanish import agree, contract, es, listing
from quizapp.domain.knowledge import Claim, Relation, Truth, Value, event, government, person, when
from quizapp.domain.languages import Language
from quizapp.domain.question_rules import normalize_draft
from quizapp.domain.question_types.choice import select_all_weights
from quizapp.domain.questions import (
    MAX_ITEMS,
    MAX_OPTIONS,
    MAX_PAIRS,
    MIN_PAIRS,
    BankTopic,
    Details,
    QuestionDraft,
    QuestionText,
    QuestionType,
)
from quizapp.domain.spanish_dates import spanish_display, spanish_phrase
from quizapp.domain.when import When, certainly_before
from quizapp.domain.words import capitalize_first, country_in_text, explain

TIMELINE_LENGTH = 4  # events a timeline asks to order
# "About when" years: the year earns the point, a year within this many either side half of it.
ABOUT_WHEN_TOLERANCE = 2
ABOUT_WHEN_SHARE = 0.5
COUNTRY = "country"


def structured_questions(ctx: Context) -> list[Candidates]:
    """Every structured question the facts support, each as a one-wording candidate list."""
    return [
        *_timelines(ctx),
        _matching(
            ctx,
            FactRef("recognition", "countries"),
            "match-governments",
            BankTopic.RECOGNITIONS,
            (
                "Match each country with the Peruvian government it recognized.",
                "Relaciona cada país con el gobierno peruano que reconoció.",
            ),
            Relation.RECOGNIZED,
            [(f"country:{name}", Value(COUNTRY, name)) for name in ctx.knowledge.countries],
            [government(item.key) for item in ctx.governments],
        ),
        _matching(
            ctx,
            FactRef("government", "leaders"),
            "match-leaders",
            BankTopic.LEADERS,
            (
                "Match each leader with the government they headed.",
                "Relaciona cada líder con el gobierno que encabezó.",
            ),
            Relation.LED,
            [(f"person:{someone.key}", person(someone.key)) for someone in ctx.people],
            [government(item.key) for item in ctx.governments],
        ),
        *(_recognizers(ctx, item.key) for item in ctx.governments),
        *(_about_when(ctx, item) for item in ctx.events),
    ]


def _settled(ctx: Context, part: Claim) -> bool:
    expected = Truth.TRUE if part.truth else Truth.FALSE
    return ctx.knowledge.truth(part.relation, part.subject, part.answer) is expected


def _draft(
    fact: FactRef,
    template: str,
    topic: BankTopic,
    question_type: QuestionType,
    prompt: str,
    details: Details,
    explanation: str,
    options: tuple[str, ...] = (),
) -> QuestionDraft:
    """The draft in its canonical form (its type fills in the read-only ``answer`` from the details)."""
    draft = QuestionDraft(
        id=fact.question_id(template),
        topic=topic,
        type=question_type,
        prompt=prompt,
        answer="",
        options=options,
        explanation=explanation,
        source=fact.source,
        tags=(fact.kind, template),
        details=details,
    )
    return normalize_draft(draft)


# What a structured question says in Spanish: prompt, details, explanation and options.
SpanishParts = tuple[str, Details, str, tuple[str, ...]]


def _in_spanish(draft: QuestionDraft, build: Callable[[], SpanishParts]) -> QuestionDraft:
    """The draft with its Spanish version, in canonical form; in English only while a fact lacks its Spanish."""
    try:
        prompt, details, explanation, options = build()
    except MissingSpanish:
        return draft
    spanish = normalize_draft(
        replace(draft, prompt=prompt, answer="", details=details, explanation=explanation, options=options)
    )
    text = QuestionText(
        spanish.prompt, spanish.answer, spanish.accepted_answers, spanish.options, spanish.explanation, spanish.details
    )
    return replace(draft, translations={Language.SPANISH: text})


# -- timelines --------------------------------------------------------------------------


def _chains(events: Sequence[Event]) -> list[list[Event]]:
    """Events in runs, each certainly over before the next began (earliest first, dates by their spans)."""
    chain: list[Event] = []
    for item in events:
        assert item.date is not None
        last = chain[-1].date if chain else None
        if last is None or certainly_before(last, item.date):
            chain.append(item)
    return [chain[start : start + TIMELINE_LENGTH] for start in range(0, len(chain), TIMELINE_LENGTH)]


def _timelines(ctx: Context) -> list[Candidates]:
    found = []
    for group in _chains(ctx.knowledge.dated_events()):
        if not 3 <= len(group) <= MAX_ITEMS:
            continue
        parts = tuple(
            Claim(Relation.EARLIER, f"event:{later.key}", event(earlier.key), truth=True)
            for earlier, later in combinations(group, 2)
        )
        if not all(_settled(ctx, part) for part in parts):
            continue
        fact = FactRef("event", group[0].key)
        dates = [item.date for item in group if item.date is not None]
        first_year, last_year = dates[0].span()[0].year, dates[-1].span()[1].year
        years = str(first_year) if first_year == last_year else f"{first_year}–{last_year}"
        details = {"items": [item.name for item in group], "labels": [date.display() for date in dates]}
        explanation = " ".join(f"{item.name}: {date.display()}." for item, date in zip(group, dates, strict=True))
        spanish_years = years.replace("–", " a ")

        def spanish(prompt: str, group: list[Event] = group, dates: list[When] = dates) -> SpanishParts:
            names = [capitalize_first(es(item)) for item in group]
            labels = [spanish_display(date) for date in dates]
            listed = " ".join(f"{name}: {label}." for name, label in zip(names, labels, strict=True))
            return prompt, {"items": names, "labels": labels}, listed, ()

        candidates = [
            Generated(
                _in_spanish(
                    _draft(
                        fact,
                        "timeline",
                        BankTopic.EVENTS,
                        QuestionType.TIMELINE,
                        prompt,
                        details=details,
                        explanation=explanation,
                    ),
                    partial(spanish, spanish_prompt),
                ),
                Claim(Relation.EARLIER, f"event:{group[-1].key}", event(group[0].key), parts=parts),
                fact,
                "timeline",
            )
            for prompt, spanish_prompt in (
                (
                    f"Put these events of {years} in the order they happened, earliest first.",
                    f"Ordena estos hechos de {spanish_years} en el orden en que ocurrieron, "
                    "del más antiguo al más reciente.",
                ),
                (
                    f"In what order did these events of {years} happen? Earliest first.",
                    f"¿En qué orden ocurrieron estos hechos de {spanish_years}? Empieza por el más antiguo.",
                ),
            )
        ]
        found.append(candidates)
    return found


# -- matching -----------------------------------------------------------------------------


def _matching(
    ctx: Context,
    fact: FactRef,
    template: str,
    topic: BankTopic,
    prompts: tuple[str, str],
    relation: Relation,
    subjects: Sequence[tuple[str, Value]],
    choices: Sequence[Value],
) -> Candidates:
    """Items each with exactly one true choice, every other choice shown settled false for every item.

    Of the items with one true choice, the largest set with distinct matches
    (the first found, in the order given) whose every item-and-match cell the
    facts settle; choices settled false for every item are added as
    distractors, so the last pair is not free.
    """
    knowledge = ctx.knowledge
    by_match: dict[Value, list[str]] = {}
    for subject, _ in subjects:
        true = [choice for choice in choices if knowledge.truth(relation, subject, choice) is Truth.TRUE]
        if len(true) == 1:
            by_match.setdefault(true[0], []).append(subject)
    rows = _largest_settled(ctx, relation, by_match)
    if not rows:
        return []
    matches = [match for _, match in rows]
    distractors = [
        choice
        for choice in choices
        if choice not in matches
        and all(knowledge.truth(relation, subject, choice) is Truth.FALSE for subject, _ in rows)
    ][: MAX_PAIRS - len(matches)]
    parts = tuple(
        Claim(relation, subject, match, truth=match == own)
        for subject, own in rows
        for match in [*matches, *distractors]
    )
    if not all(_settled(ctx, part) for part in parts):
        return []
    values = dict(subjects)

    def matching_details(language: Language) -> tuple[Details, str]:
        pairs = [
            [knowledge.label(values[subject], language), knowledge.label(match, language)] for subject, match in rows
        ]
        explanation = " ".join(f"{item}: {match}." for item, match in pairs)
        return {
            "pairs": pairs,
            "distractors": [knowledge.label(choice, language) for choice in distractors],
        }, explanation

    def spanish() -> SpanishParts:
        details, explanation = matching_details(Language.SPANISH)
        return prompts[1], details, explanation, ()

    details, explanation = matching_details(Language.ENGLISH)
    draft = _draft(fact, template, topic, QuestionType.MATCHING, prompts[0], details=details, explanation=explanation)
    draft = _in_spanish(draft, spanish)
    return [Generated(draft, Claim(relation, rows[0][0], rows[0][1], parts=parts), fact, template)]


def _largest_settled(ctx: Context, relation: Relation, by_match: dict[Value, list[str]]) -> list[tuple[str, Value]]:
    """(subject, match) rows, one a match, as many as the facts allow (at least MIN_PAIRS), every cell settled."""
    for size in range(min(len(by_match), MAX_PAIRS), MIN_PAIRS - 1, -1):
        for matches in combinations(by_match, size):
            for subjects in product(*(by_match[match] for match in matches)):
                if all(
                    ctx.knowledge.truth(relation, subject, match) is not Truth.UNKNOWN
                    for subject in subjects
                    for match in matches
                ):
                    return list(zip(subjects, matches, strict=True))
    return []


# -- multiple response --------------------------------------------------------------------


def _recognizers(ctx: Context, government_key: str) -> Candidates:
    """Which of these countries recognized a government: every option settled, at least one right and one wrong."""
    knowledge = ctx.knowledge
    subject = f"government:{government_key}"
    truths = {name: knowledge.truth(Relation.RECOGNIZER, subject, Value(COUNTRY, name)) for name in knowledge.countries}
    right = [name for name, truth in truths.items() if truth is Truth.TRUE]
    wrong = [name for name, truth in truths.items() if truth is Truth.FALSE]
    fact = FactRef("government", government_key)
    rng = question_rng(ctx.seed, fact.question_id("which-countries"))
    right = sorted(rng.sample(right, min(len(right), 3)))
    wrong = sorted(rng.sample(wrong, min(len(wrong), MAX_OPTIONS - len(right), 3)))
    if not right or not wrong:
        return []
    options = sorted([*right, *wrong])
    parts = tuple(Claim(Relation.RECOGNIZER, subject, Value(COUNTRY, name), truth=name in right) for name in options)
    name = ctx.government(government_key).name
    countries = [country_in_text(country) for country in right]
    listed = countries[0] if len(countries) == 1 else f"{', '.join(countries[:-1])} and {countries[-1]}"
    explanation = explain(capitalize_first(f"{listed} recognized {name}"))

    def spanish() -> SpanishParts:
        government_name = es(ctx.government(government_key))
        spanish_options = tuple(knowledge.spanish_text(country) for country in options)
        spanish_right = [knowledge.spanish_text(country) for country in right]
        verb = "reconoció" if len(spanish_right) == 1 else "reconocieron"
        return (
            f"¿Cuáles de estos países reconocieron {contract('a', government_name)}? Marca todos los que correspondan.",
            {"weights": select_all_weights(spanish_options, spanish_right)},
            explain(f"{listing(spanish_right)} {verb} {contract('a', government_name)}"),
            spanish_options,
        )

    draft = _draft(
        fact,
        "which-countries",
        BankTopic.RECOGNITIONS,
        QuestionType.MULTIPLE_RESPONSE,
        f"Which of these countries recognized {name}? Select all that apply.",
        options=tuple(options),
        details={"weights": select_all_weights(options, right)},
        explanation=explanation,
    )
    return [
        Generated(
            _in_spanish(draft, spanish),
            Claim(Relation.RECOGNIZER, subject, Value(COUNTRY, right[0]), parts=parts),
            fact,
            "which-countries",
        )
    ]


# -- "about when" years ---------------------------------------------------------------------


def _about_when_answers(year: int, close: str) -> list[dict[str, object]]:
    """The year earns the point; a year near it half, with ``close`` as feedback."""
    return [
        {"value": year, "tolerance": 0, "share": 1.0},
        {"value": year, "tolerance": ABOUT_WHEN_TOLERANCE, "share": ABOUT_WHEN_SHARE, "feedback": close},
    ]


def _about_when(ctx: Context, item: Event) -> Candidates:
    """The year of an event the facts date only roughly, but certainly within one year."""
    if item.date is None or item.date.exact is not None:
        return []  # undated, or already asked as a date
    first, last = item.date.span()
    if first.year != last.year:
        return []
    in_the_year = Claim(Relation.DATE, f"event:{item.key}", when(When.parse(str(first.year))), truth=True)
    if not _settled(ctx, in_the_year):
        return []
    claim = replace(in_the_year, truth=None, parts=(in_the_year,))
    fact = FactRef("event", item.key)
    answers = _about_when_answers(first.year, f"Close: it was {first.year}.")
    prompt = (
        f"About when did {item.name} take place? Give the year "
        f"(within {ABOUT_WHEN_TOLERANCE} years either way earns half the point)."
    )
    date = item.date
    explanation = explain(f"{item.name} took place {date.phrase()}", item.description)

    def spanish() -> SpanishParts:
        name = es(item)
        spanish_answers = _about_when_answers(first.year, f"Casi: fue en {first.year}.")
        return (
            f"¿Aproximadamente cuándo {agree(name, 'tuvo lugar')} {name}? Escribe el año "
            f"(con {ABOUT_WHEN_TOLERANCE} años de diferencia o menos obtienes la mitad del punto).",
            {"answers": spanish_answers},
            explain(f"{name} {agree(name, 'tuvo lugar')} {spanish_phrase(date)}", es(item, "description")),
            (),
        )

    draft = _draft(
        fact,
        "about-when",
        BankTopic.DATES,
        QuestionType.NUMERICAL,
        prompt,
        details={"answers": answers},
        explanation=explanation,
    )
    return [Generated(_in_spanish(draft, spanish), claim, fact, "about-when")]
