"""Question templates about people, the offices they held and the governments they led."""

from __future__ import annotations

from collections import Counter

from quizapp.domain.facts import Government, Person, Role
from quizapp.domain.generate_common import (
    Candidates,
    FactRef,
    capitalize_first,
    contains_words,
    explain,
    fold,
    free_answer,
    multiple_choice,
    slugify,
)
from quizapp.domain.generate_context import Context, person_label
from quizapp.domain.generate_dates import asking_when, on_phrase, period_phrase
from quizapp.domain.generate_names import accepted_answers, mentions, redact
from quizapp.domain.questions import QuestionType, Topic

# Offered after the nationalities found in the data, so that there are always
# three wrong ones; all are neighbours or parties of the war.
FALLBACK_NATIONALITIES = ("Peruvian", "Chilean", "Bolivian", "Argentine", "Ecuadorian", "Colombian", "Brazilian")

# Words that say nothing about which office is meant.
_OFFICE_FILLER = frozenset({"of", "the", "and", "to", "in", "for", "a", "an", "at", "peru", "peruvian", "government"})

# Which side a kind of government was on: a leader of one resistance
# government is no safe wrong answer for "who led" another.
_CAMPS = {"resistance": "resistance", "parallel": "resistance", "provisional": "resistance"}

_UNKNOWN = frozenset({"", "unknown"})


def person_questions(ctx: Context, person: Person) -> list[Candidates]:
    found = [
        _described(ctx, person),
        _nationality(ctx, person),
        _person_event(ctx, person),
        _government_led(ctx, person),
    ]
    for slug, role in _role_slugs(person):
        found += [
            _office(ctx, person, role, slug),
            _holder(ctx, person, role, slug),
            _role_start(ctx, person, role, slug),
        ]
    return found


def government_questions(ctx: Context, government: Government) -> list[Candidates]:
    return [_leader(ctx, government), _seat(ctx, government), _established(ctx, government)]


def offices_alike(first: str, second: str) -> bool:
    """Whether two office titles share a telling word ("Vice President", "President of Peru").

    Deliberately broad: a person who was vice president might also be called
    president in some account, so the two are never offered against each other.
    """
    first_words = set(fold(first).split()) - _OFFICE_FILLER
    second_words = set(fold(second).split()) - _OFFICE_FILLER
    return bool(first_words & second_words) or fold(first) == fold(second)


# -- people ------------------------------------------------------------------


def _fact(person: Person) -> FactRef:
    return FactRef("person", person.key)


def _described(ctx: Context, person: Person) -> Candidates:
    text = redact(person.description, person, ctx.people) if person.description.strip() else None
    if not text:
        return []
    return free_answer(
        _fact(person), "described", Topic.PEOPLE, QuestionType.SHORT_ANSWER,
        [f"who is described here? {text.rstrip('.')}."],
        person_label(person), explain(f"The person described is {person.name}", person.description),
        _accepted(ctx, person),
    )  # fmt: skip


def _accepted(ctx: Context, person: Person) -> tuple[str, ...]:
    """Accepted answers, plus the name without a leading "the" for someone known only by a description."""
    accepted = accepted_answers(person, ctx.people)
    if person.name.startswith("the "):
        accepted = (person.name, person.name.removeprefix("the "), *accepted)
    return accepted


def _nationality(ctx: Context, person: Person) -> Candidates:
    if fold(person.nationality) in _UNKNOWN:
        return []
    known = sorted({other.nationality for other in ctx.people if fold(other.nationality) not in _UNKNOWN})
    return multiple_choice(
        ctx.seed, _fact(person), "nationality", Topic.PEOPLE,
        [f"what was the nationality of {person.name}?"],
        person.nationality, [known, list(FALLBACK_NATIONALITIES)],
        explain(f"{person.name} was {person.nationality}", person.description),
    )  # fmt: skip


def _person_event(ctx: Context, person: Person) -> Candidates:
    """An event the person took part in, against events that neither list nor name them."""
    involved = [event for event in ctx.primary_events if person.key in ctx.group_people(event)]
    if not involved:
        return []
    # The first event whose name does not give the person away, if there is one.
    answer = next((event for event in involved if not mentions(event.name, person)), involved[0])
    others = [
        event
        for event in ctx.primary_events
        if person.key not in ctx.group_people(event) and not mentions(ctx.group_text(event), person)
    ]
    return multiple_choice(
        ctx.seed, _fact(person), "event", Topic.PEOPLE,
        [f"which of these events is {person.name} connected with?"],
        capitalize_first(answer.name), [[capitalize_first(event.name) for event in others]],
        explain(f"{person.name} is connected with {answer.name}", answer.description),
    )  # fmt: skip


def _government_led(ctx: Context, person: Person) -> Candidates:
    """A government the person led, against governments of the other camps."""
    led = [g for g in ctx.governments if person.key in g.leaders]
    if not led:
        return []
    answer = led[0]
    involved = {g.key for g in led} | {role.government for role in person.roles if role.government}
    camps = {_camp(g) for g in ctx.governments if g.key in involved}
    others = [
        capitalize_first(g.name)
        for g in ctx.governments
        if _camp(g) not in camps and not mentions(f"{g.name} {g.description}", person)
    ]
    return multiple_choice(
        ctx.seed, _fact(person), "government-led", Topic.LEADERS,
        [f"which of these governments did {person.name} lead?"],
        capitalize_first(answer.name), [sorted(others)],
        explain(f"{person.name} led {answer.name}", answer.description),
    )  # fmt: skip


def _camp(government: Government) -> str:
    return _CAMPS.get(government.kind, government.kind)


# -- roles -------------------------------------------------------------------


def _role_slugs(person: Person) -> list[tuple[str, Role]]:
    """A stable id part for each role: the office, its government, and if need be its start."""
    bases = [slugify(role.office) + (f"-{role.government}" if role.government else "") for role in person.roles]
    counts = Counter(bases)
    slugs = []
    for index, (base, role) in enumerate(zip(bases, person.roles, strict=True)):
        if counts[base] > 1:
            base = f"{base}-{role.start.iso() if role.start else index}"
        slugs.append((f"role-{base}", role))
    return slugs


def _in_government(ctx: Context, role: Role) -> str:
    """`` in the Ayacucho government``, unless the office's title already says which."""
    if not role.government:
        return ""
    government = ctx.government(role.government)
    seat = ctx.place(government.seat) if government.seat else None
    if contains_words(role.office, government.name.removeprefix("the ")) or (
        seat and contains_words(role.office, seat.name)
    ):
        return ""
    return f" in {government.name}"


def _role_explanation(ctx: Context, person: Person, role: Role) -> str:
    return explain(
        f"{person.name} served as {role.office}{_in_government(ctx, role)}"
        f"{period_phrase(role.start, role.end)}",
        role.note,
        person.description,
    )


def _office(ctx: Context, person: Person, role: Role, slug: str) -> Candidates:
    """Which office the person held; the prompt narrows by government or start when it can."""
    plain = f"which of these positions did {person.name} hold?"
    prompts = [plain] if len(person.roles) == 1 else []
    if _in_government(ctx, role):
        prompts.append(f"which of these positions did {person.name} hold{_in_government(ctx, role)}?")
    if role.start:
        prompts.append(f"which of these positions did {person.name} take up {on_phrase(role.start)}?")
    prompts.append(plain)
    held = [other.office for other in person.roles]
    wrong = sorted(
        {
            other.office
            for someone in ctx.people
            for other in someone.roles
            if not any(offices_alike(other.office, office) for office in held)
        }
    )
    return multiple_choice(
        ctx.seed, _fact(person), f"{slug}:office", Topic.LEADERS, prompts,
        role.office, [wrong], _role_explanation(ctx, person, role),
    )  # fmt: skip


def _holder(ctx: Context, person: Person, role: Role, slug: str) -> Candidates:
    """Who held the office, against people who never held anything like it."""
    where = _in_government(ctx, role)
    prompts = [f"which of these people served as {role.office}{where}?"]
    if role.start:
        prompts.append(f"which of these people became {role.office}{where} {on_phrase(role.start)}?")
    excluded = {
        someone.key
        for someone in ctx.people
        if any(offices_alike(other.office, role.office) for other in someone.roles)
    }
    if role.government:
        excluded |= set(ctx.government(role.government).leaders)
    return multiple_choice(
        ctx.seed, _fact(person), f"{slug}:holder", Topic.LEADERS, prompts,
        person_label(person), ctx.distractor_people(person, excluded), _role_explanation(ctx, person, role),
    )  # fmt: skip


def _role_start(ctx: Context, person: Person, role: Role, slug: str) -> Candidates:
    """When the person took up the office, if the office alone or with its government says which time."""
    if not role.start:
        return []
    same_office = [other for other in person.roles if fold(other.office) == fold(role.office)]
    prompts = []
    if len(same_office) == 1:
        prompts.append(f"{asking_when(role.start)} did {person.name} become {role.office}?")
    if _in_government(ctx, role) and [other.government for other in same_office].count(role.government) == 1:
        prompts.append(f"{asking_when(role.start)} did {person.name} become {role.office}{_in_government(ctx, role)}?")
    return free_answer(
        _fact(person), f"{slug}:start", Topic.LEADERS, QuestionType.DATE, prompts,
        role.start.display(), _role_explanation(ctx, person, role),
    )  # fmt: skip


# -- governments -------------------------------------------------------------


def _government_fact(government: Government) -> FactRef:
    return FactRef("government", government.key)


def _leader(ctx: Context, government: Government) -> Candidates:
    if not government.leaders:
        return []
    leader = ctx.person(government.leaders[0])
    if mentions(government.name, leader):
        return []  # "Who led Montero's government in Cajamarca?" answers itself
    fact = _government_fact(government)
    explanation = explain(f"{government.name} was led by {leader.name}", government.description)
    if len(government.leaders) == 1:
        return free_answer(
            fact, "leader", Topic.LEADERS, QuestionType.SHORT_ANSWER, [f"who led {government.name}?"],
            person_label(leader), explanation, _accepted(ctx, leader),
        )  # fmt: skip
    return multiple_choice(
        ctx.seed, fact, "leader", Topic.LEADERS, [f"which of these people led {government.name}?"],
        person_label(leader), ctx.distractor_people(leader, _possible_leaders(ctx, government)), explanation,
    )  # fmt: skip


def _possible_leaders(ctx: Context, government: Government) -> set[str]:
    """Keys of everyone who might fairly be said to have led the government.

    Its leaders, anyone with a role in it or in another government of the same
    camp, anyone its name or description mentions, and anyone whose position's
    title shares a word with its name ("Resistance leader").
    """
    allied = {g.key for g in ctx.governments if _camp(g) == _camp(government)}
    led_allied = {key for g in ctx.governments if g.key in allied for key in g.leaders}
    name_words = set(fold(government.name).split()) - _OFFICE_FILLER
    return led_allied | {
        someone.key
        for someone in ctx.people
        if any(role.government in allied for role in someone.roles)
        or mentions(f"{government.name} {government.description}", someone)
        or any(name_words & set(fold(role.office).split()) for role in someone.roles)
    }


def _seat(ctx: Context, government: Government) -> Candidates:
    if not government.seat:
        return []
    seat = ctx.place(government.seat)
    if contains_words(government.name, seat.name):
        return []  # "Where was the Arequipa government based?" answers itself
    return multiple_choice(
        ctx.seed, _government_fact(government), "seat", Topic.EVENTS, [f"where was {government.name} based?"],
        seat.name, ctx.distractor_places(seat, {seat.key}),
        explain(f"{government.name} was based in {seat.name}", government.description),
    )  # fmt: skip


def _established(ctx: Context, government: Government) -> Candidates:
    if not government.start:
        return []
    # A date only the infobox gives is asked as the infobox's (the main text may deny it).
    prefix = "according to the infobox, " if contains_words(government.description, "infobox") else ""
    return free_answer(
        _government_fact(government), "established", Topic.DATES, QuestionType.DATE,
        [f"{prefix}{asking_when(government.start)} was {government.name} established?"],
        government.start.display(),
        explain(
            f"{prefix}{government.name} lasted{period_phrase(government.start, government.end)}",
            government.description,
        ),
    )  # fmt: skip
