"""Question templates about events (dates, order, places, journeys, people, outcomes, consequences) and places."""

from __future__ import annotations

from quizapp.domain.facts import Event, EventKind, Place
from quizapp.domain.generate_common import Candidates, FactRef, first_found, statement_rng
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_dates import asking_when, asking_which_date
from quizapp.domain.generate_names import mentions
from quizapp.domain.knowledge import Claim, Relation, Truth, Value, event, government, place, when
from quizapp.domain.questions import BankTopic, QuestionType
from quizapp.domain.when import When
from quizapp.domain.words import capitalize_first, explain

KIND_NOUNS = {
    EventKind.DECLARATION: "declaration",
    EventKind.CAMPAIGN: "campaign",
    EventKind.OCCUPATION: "occupation",
    EventKind.ASSEMBLY: "assembly",
    EventKind.RESIGNATION: "resignation",
    EventKind.PROCLAMATION: "proclamation",
    EventKind.BATTLE: "battle",
    EventKind.EXECUTION: "execution",
    EventKind.CAPTURE: "capture",
    EventKind.ORDER: "order",
    EventKind.TREATY: "treaty",
    EventKind.FOUNDING: "founding",
    EventKind.MOVEMENT: "journey",
    EventKind.APPOINTMENT: "appointment",
    EventKind.ATTACK: "attack",
    EventKind.UPRISING: "rising",
    EventKind.SUPPLY: "shipment",
}

_PLACE_PREPOSITIONS = {"lake": "at", "bridge": "at", "river": "on", "coast": "on"}


def place_phrase(where: Place) -> str:
    """``in Arequipa``, ``at Lake Titicaca``."""
    return f"{_PLACE_PREPOSITIONS.get(where.kind, 'in')} {where.name}"


def event_questions(ctx: Context, item: Event) -> list[Candidates]:
    return [
        _when(ctx, item),
        _when_choice(ctx, item),
        _date_true_false(ctx, item),
        _what_on_date(ctx, item),
        _where(ctx, item),
        _places_choice(ctx, item),
        _origin(ctx, item),
        _via(ctx, item),
        _destination(ctx, item),
        _who(ctx, item),
        _side(ctx, item, winners=True),
        _side(ctx, item, winners=False),
        _outcome_true_false(ctx, item),
        _led_to(ctx, item),
        _caused_by(ctx, item),
        _neighbour_choice(ctx, item, earlier=True),
        _neighbour_choice(ctx, item, earlier=False),
        _before_true_false(ctx, item),
    ]


def place_questions(ctx: Context, where: Place) -> list[Candidates]:
    return [_event_here(ctx, where), _seat_of(ctx, where)]


# -- dates -----------------------------------------------------------------------


def _fact(item: Event) -> FactRef:
    return FactRef("event", item.key)


def _subject(item: Event) -> str:
    return f"event:{item.key}"


def _happened(date: When) -> str:
    return f"took place {date.phrase()}"


def _date_explanation(ctx: Context, item: Event) -> str:
    assert item.date is not None
    where = f" {place_phrase(ctx.place(item.place))}" if item.place else ""
    return explain(f"{item.name} {_happened(item.date)}{where}", item.caveat, item.description)


def _with_caveat(item: Event, prompt: str) -> str:
    """A date question about a date the accounts disagree on says so first."""
    return f"{item.caveat} {capitalize_first(prompt)}" if item.caveat else prompt


def _when(ctx: Context, item: Event) -> Candidates:
    """When it happened, typed; only for a date the article gives as a plain day, month or year."""
    if item.date is None or item.date.exact is None:
        return []
    prompt = _with_caveat(item, f"{asking_when(item.date.exact)} did {item.name} take place?")
    return ctx.ask.free_answer(
        _fact(item),
        "when",
        BankTopic.DATES,
        QuestionType.DATE,
        [prompt],
        Claim(Relation.DATE, _subject(item), when(item.date)),
        _date_explanation(ctx, item),
    )


def _when_choice(ctx: Context, item: Event) -> Candidates:
    """When it happened, among nearby dates of the same precision that the facts rule out."""
    if item.date is None or item.date.exact is None:
        return []
    prompt = _with_caveat(item, f"{asking_which_date(item.date.exact)} did {item.name} take place?")
    return ctx.ask.multiple_choice(
        _fact(item),
        "when-choice",
        BankTopic.DATES,
        [prompt],
        Relation.DATE,
        _subject(item),
        when(item.date),
        ctx.date_pool(item.date),
        _date_explanation(ctx, item),
    )


def _date_true_false(ctx: Context, item: Event) -> Candidates:
    if item.date is None:
        return []
    fact = _fact(item)
    rng = statement_rng(fact.question_id("date-true-false"))
    wrong = [
        value
        for value in ctx.date_pool(When(item.date.start))[0]
        if ctx.knowledge.truth(Relation.DATE, _subject(item), value) is Truth.FALSE
    ]
    true_claim = Claim(Relation.DATE, _subject(item), when(item.date), truth=True)
    statements = [(f"{item.name} {_happened(item.date)}.", true_claim)]
    if wrong:
        false_date = rng.choice(wrong)
        false_when = When.parse(false_date.raw)
        statements.append(
            (f"{item.name} {_happened(false_when)}.", Claim(Relation.DATE, _subject(item), false_date, truth=False))
        )
        if rng.random() < 0.5:
            statements.reverse()
    statements = [(_with_caveat(item, text), claim) for text, claim in statements]
    return ctx.ask.true_false(fact, "date-true-false", BankTopic.DATES, statements, _date_explanation(ctx, item))


def _what_on_date(ctx: Context, item: Event) -> Candidates:
    """Which event happened on the date; a later event on a shared date is narrowed by its kind."""
    exact = item.date.exact if item.date else None
    if exact is None or item.caveat:
        return []
    assert item.date is not None
    phrase = item.date.phrase()
    prompts = [f"which of these events took place {phrase}?"]
    if item.kind in KIND_NOUNS:
        prompts.append(f"which {KIND_NOUNS[item.kind]} took place {phrase}?")
    return ctx.ask.multiple_choice(
        _fact(item),
        "what-on-date",
        BankTopic.DATES,
        prompts,
        Relation.AT_DATE,
        f"when:{item.date.iso()}",
        event(item.key),
        ctx.event_pool(item.kind),
        _date_explanation(ctx, item),
    )


# -- places and journeys ------------------------------------------------------------


def _place_question(
    ctx: Context, item: Event, template: str, prompt: str, relation: Relation, key: str | None, explanation: str
) -> Candidates:
    """A place question, unless the event's name already names the answer."""
    if key is None:
        return []
    answer = ctx.place(key)
    if ctx.knowledge.mentions_place(item.name, answer):
        return []
    return ctx.ask.multiple_choice(
        _fact(item),
        template,
        BankTopic.EVENTS,
        [prompt],
        relation,
        _subject(item),
        place(key),
        ctx.place_pool(answer),
        explain(explanation, item.description),
    )


def _where(ctx: Context, item: Event) -> Candidates:
    where = ctx.place(item.place) if item.place else None
    return _place_question(
        ctx,
        item,
        "where",
        f"where did {item.name} take place?",
        Relation.PLACE,
        item.place,
        f"{item.name} took place {place_phrase(where)}" if where else "",
    )


def _places_choice(ctx: Context, item: Event) -> Candidates:
    if not item.places:
        return []
    listed = ", ".join(ctx.place(key).name for key in item.places)
    return first_found(
        _place_question(
            ctx,
            item,
            "places",
            f"which of these places did {item.name} {item.places_verb}?",
            Relation.PLACE,
            key,
            f"The places were {listed}",
        )
        for key in item.places
    )


def _origin(ctx: Context, item: Event) -> Candidates:
    where = ctx.place(item.origin).name if item.origin else ""
    return _place_question(
        ctx,
        item,
        "origin",
        f"where did {item.name} start from?",
        Relation.ORIGIN,
        item.origin,
        f"{item.name} started from {where}",
    )


def _via(ctx: Context, item: Event) -> Candidates:
    if not item.via or not item.destination:
        return []
    destination = ctx.place(item.destination).name
    stops = ", then ".join(ctx.place(key).name for key in item.via)
    return _place_question(
        ctx,
        item,
        "via",
        f"where did {item.name} stop first, on the way to {destination}?",
        Relation.VIA,
        item.via[0],
        f"{item.name} went by {stops} to {destination}",
    )


def _destination(ctx: Context, item: Event) -> Candidates:
    where = ctx.place(item.destination).name if item.destination else ""
    return _place_question(
        ctx,
        item,
        "destination",
        f"what was the destination of {item.name}?",
        Relation.DESTINATION,
        item.destination,
        f"{item.name} ended in {where}",
    )


# -- people and outcomes -----------------------------------------------------------


def _who(ctx: Context, item: Event) -> Candidates:
    """Someone the event involved whom its name does not give away."""
    unnamed = [ctx.person(key) for key in item.people if not mentions(item.name, ctx.person(key))]
    return first_found(
        ctx.ask.who(
            _fact(item),
            "who",
            BankTopic.PEOPLE,
            (f"who was involved in {item.name}?", f"which of these people was involved in {item.name}?"),
            Relation.INVOLVED,
            _subject(item),
            someone,
            explain(f"{someone.name} was involved in {item.name}", item.description),
        )
        for someone in unnamed
    )


def _side(ctx: Context, item: Event, *, winners: bool) -> Candidates:
    """Who prevailed, or who was defeated, when that is a person the name does not give away."""
    side = item.winners if winners else item.losers
    known = {p.key for p in ctx.people}
    people = [ctx.person(key) for key in side if key in known and not mentions(item.name, ctx.person(key))]
    verb = "came out on top in" if winners else "was defeated in"
    return first_found(
        ctx.ask.who(
            _fact(item),
            "winner" if winners else "loser",
            BankTopic.EVENTS,
            (f"who {verb} {item.name}?", f"which of these people {verb} {item.name}?"),
            Relation.WINNER if winners else Relation.LOSER,
            _subject(item),
            someone,
            explain(f"{someone.name} {verb} {item.name}", item.description),
        )
        for someone in people
    )


def _outcome_true_false(ctx: Context, item: Event) -> Candidates:
    """A statement of who won or lost, or its opposite."""
    if not item.winners and not item.losers:
        return []
    fact = _fact(item)
    key, won = (item.winners[0], True) if item.winners else (item.losers[0], False)
    label = ctx.knowledge.actor(key).name
    outcome = "a victory" if won else "a defeat"
    opposite = "a defeat" if won else "a victory"
    relation, reversed_relation = (Relation.WINNER, Relation.LOSER) if won else (Relation.LOSER, Relation.WINNER)
    value = Value("person" if key in {p.key for p in ctx.people} else "place", key)
    statements = [
        (f"{item.name} ended in {outcome} for {label}.", Claim(relation, _subject(item), value, truth=True)),
        (f"{item.name} ended in {opposite} for {label}.", Claim(reversed_relation, _subject(item), value, truth=False)),
    ]
    if statement_rng(fact.question_id("outcome-true-false")).random() < 0.5:
        statements.reverse()
    return ctx.ask.true_false(
        fact,
        "outcome-true-false",
        BankTopic.EVENTS,
        statements,
        explain(f"{item.name} ended in {outcome} for {label}", item.description),
    )


def _led_to(ctx: Context, item: Event) -> Candidates:
    return first_found(
        ctx.ask.multiple_choice(
            _fact(item),
            "led-to",
            BankTopic.EVENTS,
            [f"which of these was a result of {item.name}?"],
            Relation.LED_TO,
            _subject(item),
            event(effect.key),
            ctx.event_pool(effect.kind),
            explain(f"{item.name} led to {effect.name}", item.description, effect.description),
        )
        for effect in map(ctx.event, item.led_to)
    )


def _caused_by(ctx: Context, item: Event) -> Candidates:
    return first_found(
        ctx.ask.multiple_choice(
            _fact(item),
            "caused-by",
            BankTopic.EVENTS,
            [f"which of these led to {item.name}?"],
            Relation.CAUSED_BY,
            _subject(item),
            event(cause.key),
            ctx.event_pool(cause.kind),
            explain(f"{cause.name} led to {item.name}", item.description),
        )
        for cause in ctx.events
        if item.key in cause.led_to
    )


# -- order ---------------------------------------------------------------------------


def _dates_text(item: Event) -> str:
    assert item.date is not None
    return item.date.display()


def _neighbour_choice(ctx: Context, item: Event, *, earlier: bool) -> Candidates:
    """Which event came before (or after) this one: the nearest certainly on that side, against ones on the other."""
    if item.date is None:
        return []
    relation = Relation.EARLIER if earlier else Relation.LATER
    dated = ctx.knowledge.dated_events()
    side = [other for other in dated if ctx.knowledge.truth(relation, _subject(item), event(other.key)) is Truth.TRUE]
    word = "before" if earlier else "after"
    for answer in reversed(side) if earlier else side:  # the nearest first, dated_events being in date order
        found = ctx.ask.multiple_choice(
            _fact(item),
            f"{'earlier' if earlier else 'later'}-choice",
            BankTopic.EVENTS,
            [f"which of these events took place {word} {item.name}?"],
            relation,
            _subject(item),
            event(answer.key),
            [[event(other.key) for other in dated]],
            explain(
                f"{answer.name} ({_dates_text(answer)}) took place {word} {item.name} ({_dates_text(item)})",
                item.description,
            ),
        )
        if found:
            return found
    return []


def _before_true_false(ctx: Context, item: Event) -> Candidates:
    """A statement ordering the event and the next one that is certainly later."""
    if item.date is None:
        return []
    later = [
        other
        for other in ctx.knowledge.dated_events()
        if ctx.knowledge.truth(Relation.LATER, _subject(item), event(other.key)) is Truth.TRUE
    ]
    if not later:
        return []
    following = later[0]
    fact = _fact(item)
    statements = [
        (
            f"{item.name} took place before {following.name}.",
            Claim(Relation.EARLIER, f"event:{following.key}", event(item.key), truth=True),
        ),
        (
            f"{following.name} took place before {item.name}.",
            Claim(Relation.EARLIER, _subject(item), event(following.key), truth=False),
        ),
    ]
    if statement_rng(fact.question_id("before-true-false")).random() < 0.5:
        statements.reverse()
    explanation = explain(
        f"{item.name} ({_dates_text(item)}) took place before {following.name} ({_dates_text(following)})",
        item.description,
    )
    return ctx.ask.true_false(fact, "before-true-false", BankTopic.EVENTS, statements, explanation)


# -- places ------------------------------------------------------------------------


def _event_here(ctx: Context, where: Place) -> Candidates:
    """Which event happened at the place, against events certainly elsewhere."""
    here = [
        item
        for item in ctx.events
        if ctx.knowledge.truth(Relation.EVENT_AT, f"place:{where.key}", event(item.key)) is Truth.TRUE
        and not ctx.knowledge.mentions_place(item.name, where)
    ]
    return first_found(
        ctx.ask.multiple_choice(
            FactRef("place", where.key),
            "event-here",
            BankTopic.EVENTS,
            [f"which of these events took place {place_phrase(where)}?"],
            Relation.EVENT_AT,
            f"place:{where.key}",
            event(answer.key),
            ctx.event_pool(answer.kind),
            explain(f"{answer.name} took place {place_phrase(where)}", where.description),
        )
        for answer in here
    )


def _seat_of(ctx: Context, where: Place) -> Candidates:
    seated = [g for g in ctx.governments if g.seat == where.key and not ctx.knowledge.mentions_place(g.name, where)]
    if not seated:
        return []
    answer = seated[0]
    return ctx.ask.multiple_choice(
        FactRef("place", where.key),
        "seat-of",
        BankTopic.EVENTS,
        [f"which of these governments had its seat {place_phrase(where)}?"],
        Relation.SEAT_OF,
        f"place:{where.key}",
        government(answer.key),
        ctx.government_pool(),
        explain(f"{answer.name} had its seat {place_phrase(where)}", answer.description),
    )
