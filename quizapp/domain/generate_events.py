"""Question templates about events (dates, order, places, journeys, people, outcomes, consequences) and places."""

from __future__ import annotations

from quizapp.domain.facts import Event, EventKind, MissingSpanish, Person, Place
from quizapp.domain.generate_common import Candidates, FactRef, Words, first_found, statement_rng, words
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_dates import asking_when, asking_which_date
from quizapp.domain.generate_names import mentions
from quizapp.domain.generate_spanish import agree, capitalize_es, contract, es, listing, which_places
from quizapp.domain.knowledge import Claim, Relation, Truth, Value, event, government, place, when
from quizapp.domain.languages import Language
from quizapp.domain.questions import BankTopic, QuestionType
from quizapp.domain.spanish_dates import spanish_display, spanish_phrase
from quizapp.domain.when import When
from quizapp.domain.words import capitalize_first, explain

SPANISH = Language.SPANISH

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

# The same kinds in Spanish ("¿Qué batalla tuvo lugar ...?").
SPANISH_KIND_NOUNS = {
    EventKind.DECLARATION: "declaración",
    EventKind.CAMPAIGN: "campaña",
    EventKind.OCCUPATION: "ocupación",
    EventKind.ASSEMBLY: "asamblea",
    EventKind.RESIGNATION: "renuncia",
    EventKind.PROCLAMATION: "proclamación",
    EventKind.BATTLE: "batalla",
    EventKind.EXECUTION: "ejecución",
    EventKind.CAPTURE: "captura",
    EventKind.ORDER: "orden",
    EventKind.TREATY: "tratado",
    EventKind.FOUNDING: "fundación",
    EventKind.MOVEMENT: "marcha",
    EventKind.APPOINTMENT: "designación",
    EventKind.ATTACK: "ataque",
    EventKind.UPRISING: "sublevación",
    EventKind.SUPPLY: "envío",
}

_PLACE_PREPOSITIONS = {"lake": "at", "bridge": "at", "river": "on", "coast": "on"}


def place_phrase(where: Place) -> str:
    """``in Arequipa``, ``at Lake Titicaca``."""
    return f"{_PLACE_PREPOSITIONS.get(where.kind, 'in')} {where.name}"


def spanish_place_phrase(where: Place) -> str:
    """``en Arequipa``, ``en el lago Titicaca`` (the Spanish name carries its article)."""
    return f"en {es(where)}"


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


def _spanish_happened(item: Event, date: When) -> str:
    """``<event> tuvo lugar <date>``, the verb agreeing with the event."""
    return f"{es(item)} {agree(es(item), 'tuvo lugar')} {spanish_phrase(date)}"


def _date_explanation(ctx: Context, item: Event) -> Words:
    assert item.date is not None
    date = item.date
    where = f" {place_phrase(ctx.place(item.place))}" if item.place else ""
    return words(
        explain(f"{item.name} {_happened(date)}{where}", item.caveat, item.description),
        lambda: explain(
            f"{_spanish_happened(item, date)}{_spanish_where(ctx, item)}",
            es(item, "caveat") if item.caveat else "",
            es(item, "description"),
        ),
    )


def _took_place(item: Event) -> str:
    """``tuvo lugar <event>``, as a question asks it."""
    return f"{agree(es(item), 'tuvo lugar')} {es(item)}"


def _spanish_where(ctx: Context, item: Event) -> str:
    return f" {spanish_place_phrase(ctx.place(item.place))}" if item.place else ""


def _with_caveat(item: Event, prompt: str) -> str:
    """A date question about a date the accounts disagree on says so first."""
    return f"{item.caveat} {capitalize_first(prompt)}" if item.caveat else prompt


def _spanish_with_caveat(item: Event, prompt: str) -> str:
    return f"{es(item, 'caveat')} {capitalize_es(prompt)}" if item.caveat else prompt


def _when(ctx: Context, item: Event) -> Candidates:
    """When it happened, typed; only for a date the article gives as a plain day, month or year."""
    if item.date is None or item.date.exact is None:
        return []
    exact = item.date.exact
    prompt = words(
        _with_caveat(item, f"{asking_when(exact)} did {item.name} take place?"),
        lambda: _spanish_with_caveat(item, f"¿{asking_when(exact, SPANISH)} {_took_place(item)}?"),
    )
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
    exact = item.date.exact
    prompt = words(
        _with_caveat(item, f"{asking_which_date(exact)} did {item.name} take place?"),
        lambda: _spanish_with_caveat(item, f"¿{asking_which_date(exact, SPANISH)} {_took_place(item)}?"),
    )
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
    statements = [(_date_statement(item, item.date), true_claim)]
    if wrong:
        false_date = rng.choice(wrong)
        false_when = When.parse(false_date.raw)
        statements.append(
            (_date_statement(item, false_when), Claim(Relation.DATE, _subject(item), false_date, truth=False))
        )
        if rng.random() < 0.5:
            statements.reverse()
    return ctx.ask.true_false(fact, "date-true-false", BankTopic.DATES, statements, _date_explanation(ctx, item))


def _date_statement(item: Event, date: When) -> Words:
    return words(
        _with_caveat(item, f"{item.name} {_happened(date)}."),
        lambda: _spanish_with_caveat(item, capitalize_es(f"{_spanish_happened(item, date)}.")),
    )


def _what_on_date(ctx: Context, item: Event) -> Candidates:
    """Which event happened on the date; a later event on a shared date is narrowed by its kind."""
    exact = item.date.exact if item.date else None
    if exact is None or item.caveat:
        return []
    assert item.date is not None
    phrase, spanish = item.date.phrase(), spanish_phrase(item.date)
    prompts = [
        words(f"which of these events took place {phrase}?", lambda: f"¿Cuál de estos hechos tuvo lugar {spanish}?")
    ]
    if item.kind in KIND_NOUNS:
        noun = SPANISH_KIND_NOUNS[item.kind]
        prompts.append(
            words(f"which {KIND_NOUNS[item.kind]} took place {phrase}?", lambda: f"¿Qué {noun} tuvo lugar {spanish}?")
        )
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
    ctx: Context, item: Event, template: str, prompt: Words, relation: Relation, key: str | None, explanation: Words
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
        words(
            explain(explanation.en, item.description),
            lambda: explain(explanation.es or _untranslated(), es(item, "description")),
        ),
    )


def _untranslated() -> str:
    raise MissingSpanish("explanation")


def _where(ctx: Context, item: Event) -> Candidates:
    where = ctx.place(item.place) if item.place else None
    return _place_question(
        ctx,
        item,
        "where",
        words(f"where did {item.name} take place?", lambda: f"¿Dónde {_took_place(item)}?"),
        Relation.PLACE,
        item.place,
        words(
            f"{item.name} took place {place_phrase(where)}" if where else "",
            lambda: f"{es(item)} {agree(es(item), 'tuvo lugar')} {spanish_place_phrase(where)}" if where else "",
        ),
    )


def _places_choice(ctx: Context, item: Event) -> Candidates:
    if not item.places:
        return []
    places = [ctx.place(key) for key in item.places]
    listed = ", ".join(where.name for where in places)
    return first_found(
        _place_question(
            ctx,
            item,
            "places",
            words(
                f"which of these places did {item.name} {item.places_verb}?",
                lambda: which_places(es(item, "places_verb"), es(item)),
            ),
            Relation.PLACE,
            key,
            words(f"The places were {listed}", lambda: f"Los lugares fueron {listing([es(w) for w in places])}"),
        )
        for key in item.places
    )


def _origin(ctx: Context, item: Event) -> Candidates:
    where = ctx.place(item.origin) if item.origin else None
    return _place_question(
        ctx,
        item,
        "origin",
        words(f"where did {item.name} start from?", lambda: f"¿De dónde {agree(es(item), 'partió')} {es(item)}?"),
        Relation.ORIGIN,
        item.origin,
        words(
            f"{item.name} started from {where.name if where else ''}",
            lambda: f"{es(item)} {agree(es(item), 'partió')} {contract('de', es(where))}" if where else "",
        ),
    )


def _via(ctx: Context, item: Event) -> Candidates:
    if not item.via or not item.destination:
        return []
    destination = ctx.place(item.destination)
    stops = [ctx.place(key) for key in item.via]
    return _place_question(
        ctx,
        item,
        "via",
        words(
            f"where did {item.name} stop first, on the way to {destination.name}?",
            lambda: f"¿Dónde hizo su primera parada {es(item)}, camino {contract('a', es(destination))}?",
        ),
        Relation.VIA,
        item.via[0],
        words(
            f"{item.name} went by {', then '.join(stop.name for stop in stops)} to {destination.name}",
            lambda: (
                f"{es(item)} {agree(es(item), 'pasó')} por {', luego por '.join(es(stop) for stop in stops)} "
                f"hasta llegar {contract('a', es(destination))}"
            ),
        ),
    )


def _destination(ctx: Context, item: Event) -> Candidates:
    where = ctx.place(item.destination) if item.destination else None
    return _place_question(
        ctx,
        item,
        "destination",
        words(f"what was the destination of {item.name}?", lambda: f"¿Cuál fue el destino {contract('de', es(item))}?"),
        Relation.DESTINATION,
        item.destination,
        words(
            f"{item.name} ended in {where.name if where else ''}",
            lambda: f"{es(item)} {agree(es(item), 'terminó')} en {es(where)}" if where else "",
        ),
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
            (
                words(f"who was involved in {item.name}?", lambda: f"¿Quién participó en {es(item)}?"),
                words(
                    f"which of these people was involved in {item.name}?",
                    lambda: f"¿Cuál de estas personas participó en {es(item)}?",
                ),
            ),
            Relation.INVOLVED,
            _subject(item),
            someone,
            _person_did(ctx, someone, ("was involved in", "participó en"), item),
        )
        for someone in unnamed
    )


def _side(ctx: Context, item: Event, *, winners: bool) -> Candidates:
    """Who prevailed, or who was defeated, when that is a person the name does not give away."""
    side = item.winners if winners else item.losers
    known = {p.key for p in ctx.people}
    people = [ctx.person(key) for key in side if key in known and not mentions(item.name, ctx.person(key))]
    verb = "came out on top in" if winners else "was defeated in"
    spanish_verb = "se impuso en" if winners else "sufrió la derrota en"
    return first_found(
        ctx.ask.who(
            _fact(item),
            "winner" if winners else "loser",
            BankTopic.EVENTS,
            (
                words(f"who {verb} {item.name}?", lambda: f"¿Quién {spanish_verb} {es(item)}?"),
                words(
                    f"which of these people {verb} {item.name}?",
                    lambda: f"¿Cuál de estas personas {spanish_verb} {es(item)}?",
                ),
            ),
            Relation.WINNER if winners else Relation.LOSER,
            _subject(item),
            someone,
            _person_did(ctx, someone, (verb, spanish_verb), item),
        )
        for someone in people
    )


def _person_did(ctx: Context, someone: Person, verbs: tuple[str, str], item: Event) -> Words:
    """``<person> <verb> <event>.`` and the event's description, in both languages."""
    english, spanish = verbs
    return words(
        explain(f"{someone.name} {english} {item.name}", item.description),
        lambda: explain(f"{_spanish_person(ctx, someone.key)} {spanish} {es(item)}", es(item, "description")),
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
    spanish_outcome, spanish_opposite = ("una victoria", "una derrota") if won else ("una derrota", "una victoria")
    relation, reversed_relation = (Relation.WINNER, Relation.LOSER) if won else (Relation.LOSER, Relation.WINNER)
    value = Value("person" if key in {p.key for p in ctx.people} else "place", key)

    def outcome_for(english: str, spanish: str) -> Words:
        return words(
            f"{item.name} ended in {english} for {label}",
            lambda: (
                f"{es(item)} {agree(es(item), 'terminó')} con {spanish} para {ctx.knowledge.spanish_name('actor', key)}"
            ),
        )

    happened, opposite_text = outcome_for(outcome, spanish_outcome), outcome_for(opposite, spanish_opposite)
    statements = [
        (_sentence(happened), Claim(relation, _subject(item), value, truth=True)),
        (_sentence(opposite_text), Claim(reversed_relation, _subject(item), value, truth=False)),
    ]
    if statement_rng(fact.question_id("outcome-true-false")).random() < 0.5:
        statements.reverse()
    return ctx.ask.true_false(
        fact,
        "outcome-true-false",
        BankTopic.EVENTS,
        statements,
        words(
            explain(happened.en, item.description),
            lambda: explain(happened.es or _untranslated(), es(item, "description")),
        ),
    )


def _sentence(text: Words) -> Words:
    """The text as a statement: capitalized, with a full stop."""
    return Words(f"{text.en}.", capitalize_es(f"{text.es}.") if text.es else None)


def _spanish_person(ctx: Context, key: str) -> str:
    return ctx.knowledge.spanish_name("person", key)


def _led_to(ctx: Context, item: Event) -> Candidates:
    return first_found(
        ctx.ask.multiple_choice(
            _fact(item),
            "led-to",
            BankTopic.EVENTS,
            [
                words(
                    f"which of these was a result of {item.name}?",
                    lambda: f"¿Cuál de estos hechos fue consecuencia {contract('de', es(item))}?",
                )
            ],
            Relation.LED_TO,
            _subject(item),
            event(effect.key),
            ctx.event_pool(effect.kind),
            _led_to_explanation(item, effect, (item, effect)),
        )
        for effect in map(ctx.event, item.led_to)
    )


def _led_to_explanation(cause: Event, effect: Event, described: tuple[Event, ...]) -> Words:
    """``<cause> led to <effect>.`` and the descriptions of ``described``."""
    return words(
        explain(f"{cause.name} led to {effect.name}", *(item.description for item in described)),
        lambda: explain(
            f"{es(cause)} {agree(es(cause), 'condujo')} {contract('a', es(effect))}",
            *(es(item, "description") for item in described),
        ),
    )


def _caused_by(ctx: Context, item: Event) -> Candidates:
    return first_found(
        ctx.ask.multiple_choice(
            _fact(item),
            "caused-by",
            BankTopic.EVENTS,
            [
                words(
                    f"which of these led to {item.name}?",
                    lambda: f"¿Cuál de estos hechos condujo {contract('a', es(item))}?",
                )
            ],
            Relation.CAUSED_BY,
            _subject(item),
            event(cause.key),
            ctx.event_pool(cause.kind),
            _led_to_explanation(cause, item, (item,)),
        )
        for cause in ctx.events
        if item.key in cause.led_to
    )


# -- order ---------------------------------------------------------------------------


def _dates_text(item: Event) -> str:
    assert item.date is not None
    return item.date.display()


def _spanish_dates_text(item: Event) -> str:
    assert item.date is not None
    return spanish_display(item.date)


def _order_text(first: Event, word: str, second: Event) -> Words:
    """``<first> (<its date>) took place <before|after> <second> (<its date>)``."""
    spanish_word = "antes" if word == "before" else "después"
    return words(
        f"{first.name} ({_dates_text(first)}) took place {word} {second.name} ({_dates_text(second)})",
        lambda: (
            f"{es(first)} ({_spanish_dates_text(first)}) {agree(es(first), 'tuvo lugar')} {spanish_word} "
            f"{contract('de', es(second))} ({_spanish_dates_text(second)})"
        ),
    )


def _with_description(text: Words, item: Event) -> Words:
    return words(
        explain(text.en, item.description),
        lambda: explain(text.es or _untranslated(), es(item, "description")),
    )


def _neighbour_choice(ctx: Context, item: Event, *, earlier: bool) -> Candidates:
    """Which event came before (or after) this one: the nearest certainly on that side, against ones on the other."""
    if item.date is None:
        return []
    relation = Relation.EARLIER if earlier else Relation.LATER
    dated = ctx.knowledge.dated_events()
    side = [other for other in dated if ctx.knowledge.truth(relation, _subject(item), event(other.key)) is Truth.TRUE]
    word = "before" if earlier else "after"
    spanish_word = "antes" if earlier else "después"
    prompt = words(
        f"which of these events took place {word} {item.name}?",
        lambda: f"¿Cuál de estos hechos tuvo lugar {spanish_word} {contract('de', es(item))}?",
    )
    for answer in reversed(side) if earlier else side:  # the nearest first, dated_events being in date order
        found = ctx.ask.multiple_choice(
            _fact(item),
            f"{'earlier' if earlier else 'later'}-choice",
            BankTopic.EVENTS,
            [prompt],
            relation,
            _subject(item),
            event(answer.key),
            [[event(other.key) for other in dated]],
            _with_description(_order_text(answer, word, item), item),
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
            _sentence(_before(item, following)),
            Claim(Relation.EARLIER, f"event:{following.key}", event(item.key), truth=True),
        ),
        (
            _sentence(_before(following, item)),
            Claim(Relation.EARLIER, _subject(item), event(following.key), truth=False),
        ),
    ]
    if statement_rng(fact.question_id("before-true-false")).random() < 0.5:
        statements.reverse()
    explanation = _with_description(_order_text(item, "before", following), item)
    return ctx.ask.true_false(fact, "before-true-false", BankTopic.EVENTS, statements, explanation)


def _before(first: Event, second: Event) -> Words:
    return words(
        f"{first.name} took place before {second.name}",
        lambda: f"{es(first)} {agree(es(first), 'tuvo lugar')} antes {contract('de', es(second))}",
    )


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
            [
                words(
                    f"which of these events took place {place_phrase(where)}?",
                    lambda: f"¿Cuál de estos hechos tuvo lugar {spanish_place_phrase(where)}?",
                )
            ],
            Relation.EVENT_AT,
            f"place:{where.key}",
            event(answer.key),
            ctx.event_pool(answer.kind),
            _here_explanation(answer, where),
        )
        for answer in here
    )


def _here_explanation(answer: Event, where: Place) -> Words:
    return words(
        explain(f"{answer.name} took place {place_phrase(where)}", where.description),
        lambda: explain(
            f"{es(answer)} {agree(es(answer), 'tuvo lugar')} {spanish_place_phrase(where)}", es(where, "description")
        ),
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
        [
            words(
                f"which of these governments had its seat {place_phrase(where)}?",
                lambda: f"¿Cuál de estos gobiernos tuvo su sede {spanish_place_phrase(where)}?",
            )
        ],
        Relation.SEAT_OF,
        f"place:{where.key}",
        government(answer.key),
        ctx.government_pool(),
        words(
            explain(f"{answer.name} had its seat {place_phrase(where)}", answer.description),
            lambda: explain(f"{es(answer)} tuvo su sede {spanish_place_phrase(where)}", es(answer, "description")),
        ),
    )
