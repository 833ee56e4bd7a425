"""Question templates about events and the places they happened in."""

from __future__ import annotations

from quizapp.domain.facts import Event, EventKind, Place
from quizapp.domain.generate_common import (
    Candidates,
    FactRef,
    capitalize_first,
    contains_words,
    explain,
    fold,
    free_answer,
    multiple_choice,
    statement_rng,
    true_false,
)
from quizapp.domain.dates import PartialDate
from quizapp.domain.generate_context import Context, mentions_place, person_label
from quizapp.domain.generate_dates import asking_when, asking_which_date, bounds, on_phrase, wrong_dates
from quizapp.domain.generate_names import mentions
from quizapp.domain.questions import QuestionType, Topic

KIND_NOUNS = {
    EventKind.DECLARATION: "declaration",
    EventKind.OCCUPATION: "occupation",
    EventKind.ASSEMBLY: "assembly",
    EventKind.RESIGNATION: "resignation",
    EventKind.PROCLAMATION: "proclamation",
    EventKind.BATTLE: "battle",
    EventKind.EXECUTION: "execution",
    EventKind.ORDER: "order",
    EventKind.TREATY: "treaty",
    EventKind.FOUNDING: "founding",
    EventKind.MOVEMENT: "move of a leader or an army",
    EventKind.APPOINTMENT: "appointment",
    EventKind.ATTACK: "attack",
}

# Kinds one event could fairly be called at once (a proclamation is also a
# declaration; an occupation may follow a battle), never offered against each other.
_OVERLAPPING_KINDS = {
    EventKind.DECLARATION: {EventKind.PROCLAMATION, EventKind.ORDER},
    EventKind.PROCLAMATION: {EventKind.DECLARATION, EventKind.ORDER, EventKind.APPOINTMENT, EventKind.FOUNDING},
    EventKind.ORDER: {EventKind.DECLARATION, EventKind.PROCLAMATION, EventKind.APPOINTMENT},
    EventKind.APPOINTMENT: {EventKind.ORDER, EventKind.PROCLAMATION, EventKind.ASSEMBLY},
    EventKind.ASSEMBLY: {EventKind.APPOINTMENT, EventKind.FOUNDING},
    EventKind.FOUNDING: {EventKind.ASSEMBLY, EventKind.PROCLAMATION},
    EventKind.BATTLE: {EventKind.ATTACK, EventKind.OCCUPATION},
    EventKind.ATTACK: {EventKind.BATTLE, EventKind.OCCUPATION},
    EventKind.OCCUPATION: {EventKind.BATTLE, EventKind.ATTACK, EventKind.MOVEMENT},
    EventKind.MOVEMENT: {EventKind.OCCUPATION},
}

_PLACE_PREPOSITIONS = {"lake": "at", "bridge": "at", "river": "on"}


def a_or_an(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def place_phrase(place: Place) -> str:
    """``in Arequipa``, ``at Lake Titicaca``."""
    return f"{_PLACE_PREPOSITIONS.get(place.kind, 'in')} {place.name}"


def event_option(event: Event) -> str:
    return capitalize_first(event.name)


def event_questions(ctx: Context, event: Event) -> list[Candidates]:
    """Date questions for every account; the other templates once per event group."""
    found = [
        _when(ctx, event),
        _when_choice(ctx, event),
        _date_true_false(ctx, event),
        _what_on_date(ctx, event),
    ]
    if ctx.is_primary(event):
        found += [
            _where(ctx, event),
            _kind(ctx, event),
            _who(ctx, event),
            _neighbour_choice(ctx, event, earlier=True),
            _neighbour_choice(ctx, event, earlier=False),
            _before_true_false(ctx, event),
        ]
    return found


def place_questions(ctx: Context, place: Place) -> list[Candidates]:
    return [_event_here(ctx, place), _seat_of(ctx, place)]


# -- events ------------------------------------------------------------------


def _fact(event: Event) -> FactRef:
    return FactRef("event", event.key)


def _happened(event: Event) -> str:
    """The verb for the event's date: one that lasted days "began" on it."""
    return "begin" if event.end else "take place"


def _happened_on(event: Event, when: PartialDate) -> str:
    return f"{'began' if event.end else 'took place'} {on_phrase(when)}"


def _date_explanation(ctx: Context, event: Event) -> str:
    where = f" {place_phrase(ctx.place(event.place))}" if event.place else ""
    if event.end:
        when = f"lasted from {event.date.display()} to {event.end.display()}"
    else:
        when = _happened_on(event, event.date)
    return explain(f"{ctx.account_prefix(event)}{event.name} {when}{where}", event.description, event.note)


def _when(ctx: Context, event: Event) -> Candidates:
    prompt = f"{ctx.account_prefix(event)}{asking_when(event.date)} did {event.name} {_happened(event)}?"
    return free_answer(
        _fact(event), "when", Topic.DATES, QuestionType.DATE, [prompt],
        event.date.display(), _date_explanation(ctx, event),
    )  # fmt: skip


def _when_choice(ctx: Context, event: Event) -> Candidates:
    prompt = f"{ctx.account_prefix(event)}{asking_which_date(event.date)} did {event.name} {_happened(event)}?"
    wrong = [when.display() for when in wrong_dates(event.date, ctx.true_spans(event))]
    return multiple_choice(
        ctx.seed, _fact(event), "when-choice", Topic.DATES, [prompt],
        event.date.display(), [wrong], _date_explanation(ctx, event),
    )  # fmt: skip


def _date_true_false(ctx: Context, event: Event) -> Candidates:
    fact = _fact(event)
    wrong = wrong_dates(event.date, ctx.true_spans(event))
    if not wrong:
        return []
    rng = statement_rng(fact.question_id("date-true-false"))
    false_date = rng.choice(wrong)
    prefix = ctx.account_prefix(event)
    true_statement = (f"{prefix}{event.name} {_happened_on(event, event.date)}.", True)
    false_statement = (f"{prefix}{event.name} {_happened_on(event, false_date)}.", False)
    statements = [true_statement, false_statement]
    if rng.random() < 0.5:
        statements.reverse()
    return true_false(fact, "date-true-false", Topic.DATES, statements, _date_explanation(ctx, event))


def _what_on_date(ctx: Context, event: Event) -> Candidates:
    """Which event happened on the date; later events on a shared date get a narrower prompt."""
    prefix = ctx.account_prefix(event)
    when = on_phrase(event.date)
    prompts = [f"{prefix}which of these events took place {when}?"]
    if event.place:
        prompts.append(f"{prefix}which of these events took place {place_phrase(ctx.place(event.place))} {when}?")
    if event.kind in KIND_NOUNS:
        prompts.append(f"{prefix}which {KIND_NOUNS[event.kind]} took place {when}?")
    start, end = bounds(event.date)
    others = [
        other
        for other in ctx.primary_events
        if fold(other.name) != fold(event.name)
        and not (ctx.group_span(other)[0] <= end and start <= ctx.group_span(other)[1])
    ]
    tiers = [
        [event_option(other) for other in others if other.kind == event.kind],
        [event_option(other) for other in others if other.kind != event.kind],
    ]
    return multiple_choice(
        ctx.seed, _fact(event), "what-on-date", Topic.DATES, prompts,
        event_option(event), tiers, _date_explanation(ctx, event),
    )  # fmt: skip


def _where(ctx: Context, event: Event) -> Candidates:
    if not event.place:
        return []
    place = ctx.place(event.place)
    if mentions_place(event.name, place):
        return []  # "Where did the Battle of Huamachuco take place?" answers itself
    return multiple_choice(
        ctx.seed, _fact(event), "where", Topic.EVENTS, [f"where did {event.name} take place?"],
        place.name, ctx.distractor_places(place, ctx.group_places(event), ctx.group_text(event)),
        explain(f"{event.name} took place {place_phrase(place)}", event.description),
    )  # fmt: skip


def _kind(ctx: Context, event: Event) -> Candidates:
    if event.kind not in KIND_NOUNS or contains_words(event.name, KIND_NOUNS[event.kind].split()[0]):
        return []  # "What kind of event was the Battle of Huamachuco?" answers itself
    answer = capitalize_first(a_or_an(KIND_NOUNS[event.kind]))
    overlapping = _OVERLAPPING_KINDS.get(event.kind, set())
    wrong = [
        capitalize_first(a_or_an(noun))
        for kind, noun in KIND_NOUNS.items()
        if kind != event.kind and kind not in overlapping
    ]
    return multiple_choice(
        ctx.seed, _fact(event), "kind", Topic.EVENTS, [f"what kind of event was {event.name}?"],
        answer, [sorted(wrong)],
        explain(f"{event.name} was {a_or_an(KIND_NOUNS[event.kind])}", event.description),
    )  # fmt: skip


def _who(ctx: Context, event: Event) -> Candidates:
    """Someone connected with the event whom its name does not give away."""
    unnamed = [ctx.person(key) for key in event.people if not mentions(event.name, ctx.person(key))]
    if not unnamed:
        return []
    person = unnamed[0]
    text = ctx.group_text(event)
    involved = ctx.group_people(event) | {p.key for p in ctx.people if mentions(text, p)}
    return multiple_choice(
        ctx.seed, _fact(event), "who", Topic.PEOPLE, [f"which of these people is connected with {event.name}?"],
        person_label(person), ctx.distractor_people(person, involved),
        explain(f"{person.name} is connected with {event.name}", event.description),
    )  # fmt: skip


def _neighbour_choice(ctx: Context, event: Event, *, earlier: bool) -> Candidates:
    """Which event came just before (or after) this one, against ones on the other side."""
    start, end = ctx.group_span(event)
    before = [other for other in ctx.primary_events if ctx.group_span(other)[1] < start]
    after = [other for other in ctx.primary_events if ctx.group_span(other)[0] > end]
    answers, wrong = (before, after) if earlier else (after, before)
    if not answers:
        return []
    answer = answers[-1] if earlier else answers[0]  # the nearest, primary_events being in date order
    relation = "before" if earlier else "after"
    return multiple_choice(
        ctx.seed, _fact(event), f"{'earlier' if earlier else 'later'}-choice", Topic.EVENTS,
        [f"which of these events took place {relation} {event.name}?"],
        event_option(answer), [[event_option(other) for other in wrong]],
        explain(
            f"{answer.name} ({_dates_text(ctx, answer)}) took place {relation} "
            f"{event.name} ({_dates_text(ctx, event)})",
            event.description,
        ),
    )  # fmt: skip


def _before_true_false(ctx: Context, event: Event) -> Candidates:
    """A statement ordering the event and the next one that is certainly later."""
    end = ctx.group_span(event)[1]
    later = [other for other in ctx.primary_events if ctx.group_span(other)[0] > end]
    if not later:
        return []
    following = later[0]
    fact = _fact(event)
    statements = [
        (f"{event.name} took place before {following.name}.", True),
        (f"{following.name} took place before {event.name}.", False),
    ]
    if statement_rng(fact.question_id("before-true-false")).random() < 0.5:
        statements.reverse()
    explanation = explain(
        f"{event.name} ({_dates_text(ctx, event)}) took place before "
        f"{following.name} ({_dates_text(ctx, following)})",
        event.description,
    )
    return true_false(fact, "before-true-false", Topic.EVENTS, statements, explanation)


def _dates_text(ctx: Context, event: Event) -> str:
    """The event's date, or each account's when they differ."""
    dates = sorted({member.date.display() for member in ctx.group(event)})
    return " or ".join(dates)


# -- places ------------------------------------------------------------------


def _event_here(ctx: Context, place: Place) -> Candidates:
    """Which event happened at the place, against events certainly elsewhere."""
    here = [event for event in ctx.primary_events if place.key in ctx.group_places(event)]
    if not here:
        return []
    # The first event whose name does not give the place away, if there is one.
    answer = next((event for event in here if not mentions_place(event.name, place)), here[0])
    elsewhere = [
        event
        for event in ctx.primary_events
        if ctx.group_places(event)
        and all(not ctx.places_confusable(place, ctx.place(key)) for key in ctx.group_places(event))
        and not mentions_place(ctx.group_text(event), place)
    ]
    return multiple_choice(
        ctx.seed, FactRef("place", place.key), "event-here", Topic.EVENTS,
        [f"which of these events took place {place_phrase(place)}?"],
        event_option(answer), [[event_option(event) for event in elsewhere]],
        explain(f"{answer.name} took place {place_phrase(place)}", place.description, answer.description),
    )  # fmt: skip


def _seat_of(ctx: Context, place: Place) -> Candidates:
    seated = [g for g in ctx.governments if g.seat == place.key]
    if not seated:
        return []
    answer = seated[0]
    if mentions_place(answer.name, place):
        return []  # the name would give the answer away
    elsewhere = [
        g.name
        for g in ctx.governments
        if g.seat and not ctx.places_confusable(place, ctx.place(g.seat)) and not mentions_place(g.name, place)
    ]
    return multiple_choice(
        ctx.seed, FactRef("place", place.key), "seat-of", Topic.EVENTS,
        [f"which government had its seat {place_phrase(place)}?"],
        capitalize_first(answer.name), [sorted(capitalize_first(name) for name in elsewhere)],
        explain(f"{answer.name} had its seat {place_phrase(place)}", answer.description),
    )  # fmt: skip
