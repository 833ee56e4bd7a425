"""Question templates about people, the offices they held and the governments they led."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from quizapp.domain.facts import Event, Government, Office, Person
from quizapp.domain.generate_common import Candidates, FactRef, Words, first_found, statement_rng, words
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_dates import asking_when, period_phrase, spanish_period_phrase
from quizapp.domain.generate_names import mentions
from quizapp.domain.generate_spanish import capitalize_es, contract, es, listing
from quizapp.domain.knowledge import Claim, Relation, Truth, Value, event, government, person, when
from quizapp.domain.languages import Language
from quizapp.domain.questions import BankTopic, QuestionType
from quizapp.domain.words import capitalize_first, contains_words, country_in_text, explain, slugify


def person_questions(ctx: Context, someone: Person) -> list[Candidates]:
    found = [_person_event(ctx, someone), _government_led(ctx, someone)]
    for slug, index, role in _role_slugs(someone):
        subject = f"role:{someone.key}:{index}"
        found += [
            _office(ctx, someone, role, slug, subject),
            _holder(ctx, someone, role, slug, subject),
            _role_start(ctx, someone, role, slug, index),
            _role_person(ctx, someone, role, slug, subject, appointer=True),
            _role_person(ctx, someone, role, slug, subject, appointer=False),
        ]
    return found


def government_questions(ctx: Context, item: Government) -> list[Candidates]:
    found = [
        _leader(ctx, item),
        _seat(ctx, item),
        _established(ctx, item),
        _recognized_by(ctx, item),
        _rival(ctx, item),
        _succession(ctx, item, after=True),
        _succession(ctx, item, after=False),
    ]
    found += [_status_start(ctx, item, index) for index in range(len(item.statuses))]
    found += [_enemy(ctx, item, key) for key in item.enemies]
    return found


# -- people ------------------------------------------------------------------


def _fact(someone: Person) -> FactRef:
    return FactRef("person", someone.key)


def _person_event(ctx: Context, someone: Person) -> Candidates:
    """An event the person took part in, against events that neither list nor name them."""
    involved = [
        item
        for item in ctx.events
        if ctx.knowledge.truth(Relation.INVOLVED, f"event:{item.key}", person(someone.key)) is Truth.TRUE
        and not mentions(item.name, someone)
    ]
    return first_found(
        ctx.ask.multiple_choice(
            _fact(someone),
            "event",
            BankTopic.PEOPLE,
            [
                words(
                    f"which of these events was {someone.name} involved in?",
                    lambda: f"¿En cuál de estos hechos participó {_name(ctx, someone)}?",
                )
            ],
            Relation.INVOLVED_IN,
            f"person:{someone.key}",
            event(answer.key),
            ctx.event_pool(answer.kind),
            _involved_explanation(ctx, someone, answer),
        )
        for answer in involved
    )


def _name(ctx: Context, someone: Person) -> str:
    return ctx.knowledge.spanish_name("person", someone.key)


def _involved_explanation(ctx: Context, someone: Person, answer: Event) -> Words:
    return words(
        explain(f"{someone.name} was involved in {answer.name}", answer.description),
        lambda: explain(f"{_name(ctx, someone)} participó en {es(answer)}", es(answer, "description")),
    )


def _government_led(ctx: Context, someone: Person) -> Candidates:
    """A government the person led, against governments of the other camps."""
    led = [g for g in ctx.governments if someone.key in g.leaders and not mentions(g.name, someone)]
    if not led:
        return []
    answer = led[0]
    return ctx.ask.multiple_choice(
        _fact(someone),
        "government-led",
        BankTopic.LEADERS,
        [
            words(
                f"which of these governments did {someone.name} lead?",
                lambda: f"¿Cuál de estos gobiernos encabezó {_name(ctx, someone)}?",
            )
        ],
        Relation.LED,
        f"person:{someone.key}",
        government(answer.key),
        ctx.government_pool(),
        words(
            explain(f"{someone.name} led {answer.name}", answer.description),
            lambda: explain(f"{_name(ctx, someone)} encabezó {es(answer)}", es(answer, "description")),
        ),
    )


# -- roles -------------------------------------------------------------------


def _role_slugs(someone: Person) -> list[tuple[str, int, Office]]:
    """A stable id part for each role: the office, its government, and if need be its start."""
    bases = [slugify(role.office) + (f"-{role.government}" if role.government else "") for role in someone.roles]
    counts = Counter(bases)
    slugs = []
    for index, (base, role) in enumerate(zip(bases, someone.roles, strict=True)):
        if counts[base] > 1:
            base = f"{base}-{role.start.iso() if role.start else index}"
        slugs.append((f"role-{base}", index, role))
    return slugs


def _in_government(ctx: Context, role: Office) -> str:
    """`` in the Ayacucho government``, unless the office's title already says which."""
    if not role.government:
        return ""
    item = ctx.government(role.government)
    seat = ctx.place(item.seat) if item.seat else None
    if contains_words(role.office, item.name.removeprefix("the ")) or (seat and contains_words(role.office, seat.name)):
        return ""
    return f" in {item.name}"


def _spanish_in_government(ctx: Context, role: Office) -> str:
    """:func:`_in_government` in Spanish: `` en el Gobierno de Ayacucho``."""
    if not _in_government(ctx, role):
        return ""
    assert role.government is not None
    return f" en {es(ctx.government(role.government))}"


def _office_es(ctx: Context, role: Office) -> str:
    """``ministro de Guerra en el Gobierno de Ayacucho``."""
    return f"{es(role, 'office')}{_spanish_in_government(ctx, role)}"


def _role_explanation(ctx: Context, someone: Person, role: Office) -> Words:
    verb = "was named" if role.named_only else "served as"
    spanish_verb = "fue nombrado" if role.named_only else "se desempeñó como"
    return words(
        explain(
            f"{someone.name} {verb} {role.office}{_in_government(ctx, role)}{period_phrase(role.start, role.end)}",
            someone.description,
        ),
        lambda: explain(
            f"{_name(ctx, someone)} {spanish_verb} {_office_es(ctx, role)}"
            f"{spanish_period_phrase(role.start, role.end)}",
            es(someone, "description"),
        ),
    )


def _office(ctx: Context, someone: Person, role: Office, slug: str, subject: str) -> Candidates:
    """Which office the person held; the prompt narrows by government when the person held several."""
    where = _in_government(ctx, role)
    if role.named_only:
        plain = words(
            f"to which of these posts was {someone.name} named?",
            lambda: f"¿Para cuál de estos cargos fue nombrado {_name(ctx, someone)}?",
        )
        narrowed = words(
            f"to which of these posts was {someone.name} named{where}?",
            lambda: (
                f"¿Para cuál de estos cargos fue nombrado {_name(ctx, someone)}{_spanish_in_government(ctx, role)}?"
            ),
        )
    else:
        plain = words(
            f"which of these positions did {someone.name} hold?",
            lambda: f"¿Cuál de estos cargos ocupó {_name(ctx, someone)}?",
        )
        narrowed = words(
            f"which of these positions did {someone.name} hold{where}?",
            lambda: f"¿Cuál de estos cargos ocupó {_name(ctx, someone)}{_spanish_in_government(ctx, role)}?",
        )
    prompts = [plain] if len(someone.roles) == 1 else []
    if where:
        prompts.append(narrowed)
    prompts.append(plain)
    offices = [Value("office", other.office) for holder in ctx.people for other in holder.roles]
    return ctx.ask.multiple_choice(
        _fact(someone),
        f"{slug}:office",
        BankTopic.LEADERS,
        prompts,
        Relation.OFFICE,
        subject,
        Value("office", role.office),
        [sorted(set(offices))],
        _role_explanation(ctx, someone, role),
    )


def _holder(ctx: Context, someone: Person, role: Office, slug: str, subject: str) -> Candidates:
    """Who held the office, against people who never held anything like it."""
    where = _in_government(ctx, role)
    verb = "was named" if role.named_only else "served as"
    spanish_verb = "fue nombrada" if role.named_only else "se desempeñó como"
    return ctx.ask.multiple_choice(
        _fact(someone),
        f"{slug}:holder",
        BankTopic.LEADERS,
        [
            words(
                f"which of these people {verb} {role.office}{where}?",
                lambda: f"¿Cuál de estas personas {spanish_verb} {_office_es(ctx, role)}?",
            )
        ],
        Relation.HOLDER,
        subject,
        person(someone.key),
        ctx.people_pool(someone),
        _role_explanation(ctx, someone, role),
    )


def _role_start(ctx: Context, someone: Person, role: Office, slug: str, index: int) -> Candidates:
    """When the person took up the office, when the article gives an exact date."""
    exact = role.start.exact if role.start else None
    if exact is None:
        return []
    assert role.start is not None
    verb = "was" if role.named_only else "did"
    become = "named" if role.named_only else "become"
    asking = asking_when(exact, Language.SPANISH)
    prompt = words(
        f"{asking_when(exact)} {verb} {someone.name} {become} {role.office}{_in_government(ctx, role)}?",
        lambda: capitalize_es(
            f"¿{asking} fue nombrado {_name(ctx, someone)} {_office_es(ctx, role)}?"
            if role.named_only
            else f"¿{asking} asumió {_name(ctx, someone)} el cargo de {_office_es(ctx, role)}?"
        ),
    )
    return ctx.ask.free_answer(
        _fact(someone),
        f"{slug}:start",
        BankTopic.LEADERS,
        QuestionType.DATE,
        [prompt],
        Claim(Relation.DATE, f"role:{someone.key}:{index}", when(role.start)),
        _role_explanation(ctx, someone, role),
    )


def _role_person(
    ctx: Context, someone: Person, role: Office, slug: str, subject: str, *, appointer: bool
) -> Candidates:
    """Who appointed the person to the office, or who followed them in it."""
    key = role.appointed_by if appointer else role.successor
    if key is None:
        return []
    other = ctx.person(key)
    where = _in_government(ctx, role)
    if appointer:
        template, asked = "appointed-by", f"appointed {someone.name} {role.office}{where}"
    else:
        template, asked = "successor", f"succeeded {someone.name} as {role.office}{where}"

    def spanish() -> str:
        if appointer:
            return f"nombró a {_name(ctx, someone)} {_office_es(ctx, role)}"
        return f"sucedió a {_name(ctx, someone)} como {_office_es(ctx, role)}"

    return ctx.ask.who(
        _fact(someone),
        f"{slug}:{template}",
        BankTopic.LEADERS,
        (
            words(f"who {asked}?", lambda: f"¿Quién {spanish()}?"),
            words(f"which of these people {asked}?", lambda: f"¿Cuál de estas personas {spanish()}?"),
        ),
        Relation.APPOINTER if appointer else Relation.SUCCESSOR,
        subject,
        other,
        words(
            explain(f"{other.name} {asked}", someone.description),
            lambda: explain(f"{_name(ctx, other)} {spanish()}", es(someone, "description")),
        ),
    )


# -- governments -------------------------------------------------------------


def _government_fact(item: Government) -> FactRef:
    return FactRef("government", item.key)


def _subject(item: Government) -> str:
    return f"government:{item.key}"


def _leader(ctx: Context, item: Government) -> Candidates:
    """Who led it: typed when the facts allow no one else, otherwise chosen from people who certainly did not."""
    if not item.leaders:
        return []
    leader = ctx.person(item.leaders[0])
    if mentions(item.name, leader):
        return []  # "Who led Montero's government in Cajamarca?" answers itself
    return ctx.ask.who(
        _government_fact(item),
        "leader",
        BankTopic.LEADERS,
        (
            words(f"who led {item.name}?", lambda: f"¿Quién encabezó {es(item)}?"),
            words(f"which of these people led {item.name}?", lambda: f"¿Cuál de estas personas encabezó {es(item)}?"),
        ),
        Relation.LEADER,
        _subject(item),
        leader,
        words(
            explain(f"{item.name} was led by {leader.name}", item.description),
            lambda: explain(f"{_name(ctx, leader)} encabezó {es(item)}", es(item, "description")),
        ),
    )


def _seat(ctx: Context, item: Government) -> Candidates:
    if not item.seat:
        return []
    seat = ctx.place(item.seat)
    if ctx.knowledge.mentions_place(item.name, seat):
        return []  # "Where was the Arequipa government based?" answers itself
    return ctx.ask.multiple_choice(
        _government_fact(item),
        "seat",
        BankTopic.EVENTS,
        [words(f"where was {item.name} based?", lambda: f"¿Dónde tuvo su sede {es(item)}?")],
        Relation.SEAT,
        _subject(item),
        Value("place", seat.key),
        ctx.place_pool(seat),
        words(
            explain(f"{item.name} was based in {seat.name}", item.description),
            lambda: explain(f"{es(item)} tuvo su sede en {es(seat)}", es(item, "description")),
        ),
    )


def _established(ctx: Context, item: Government) -> Candidates:
    exact = item.start.exact if item.start else None
    if exact is None:
        return []
    assert item.start is not None
    start = item.start
    asking = asking_when(exact, Language.SPANISH)
    if item.caveat:
        prompt = words(
            f"{item.caveat} Even so, {asking_when(exact)} is {item.name} recorded as established?",
            lambda: f"{es(item, 'caveat')} Aun así, ¿{asking} se registra el inicio {contract('de', es(item))}?",
        )
    else:
        prompt = words(
            f"{asking_when(exact)} was {item.name} established?",
            lambda: capitalize_es(f"¿{asking} se estableció {es(item)}?"),
        )
    return ctx.ask.free_answer(
        _government_fact(item),
        "established",
        BankTopic.DATES,
        QuestionType.DATE,
        [Words(capitalize_first(prompt.en), prompt.es)],
        Claim(Relation.DATE, f"government:{item.key}:start", when(start)),
        words(
            explain(f"{item.name} lasted{period_phrase(start, item.end)}", item.caveat, item.description),
            lambda: explain(
                f"{es(item)} existió{spanish_period_phrase(start, item.end)}",
                es(item, "caveat") if item.caveat else "",
                es(item, "description"),
            ),
        ),
    )


def _status_start(ctx: Context, item: Government, index: int) -> Candidates:
    status = item.statuses[index]
    exact = status.start.exact
    if exact is None:
        return []
    asking = asking_when(exact, Language.SPANISH)
    return ctx.ask.free_answer(
        _government_fact(item),
        f"status-{index + 1}",
        BankTopic.DATES,
        QuestionType.DATE,
        [
            words(
                f"{asking_when(exact)} did {item.name} become {status.status}?",
                lambda: capitalize_es(f"¿{asking} pasó {es(item)} a ser {es(status, 'status')}?"),
            )
        ],
        Claim(Relation.DATE, f"status:{item.key}:{index}", when(status.start)),
        words(
            explain(f"{item.name} was {status.status}{period_phrase(status.start, status.end)}", item.description),
            lambda: explain(
                f"{es(item)} fue {es(status, 'status')}{spanish_period_phrase(status.start, status.end)}",
                es(item, "description"),
            ),
        ),
    )


def _recognized_by(ctx: Context, item: Government) -> Candidates:
    """Which country recognized the government; the other options certainly did not."""
    recognizers = sorted(
        r.country for r in ctx.recognitions if r.stance.value == "recognized" and r.government == item.key
    )
    if not recognizers:
        return []
    described = ", ".join(country_in_text(country) for country in recognizers)

    def spanish_explanation() -> str:
        countries = [ctx.knowledge.spanish_text(country) for country in recognizers]
        verb = "reconoció" if len(countries) == 1 else "reconocieron"
        return explain(f"{listing(countries)} {verb} {contract('a', es(item))}", es(item, "description"))

    return ctx.ask.multiple_choice(
        _government_fact(item),
        "recognized-by",
        BankTopic.RECOGNITIONS,
        [
            words(
                f"which of these countries recognized {item.name}?",
                lambda: f"¿Cuál de estos países reconoció {contract('a', es(item))}?",
            )
        ],
        Relation.RECOGNIZER,
        _subject(item),
        Value("country", recognizers[0]),
        [[Value("country", country) for country in ctx.knowledge.countries]],
        words(explain(f"{item.name} was recognized by {described}", item.description), spanish_explanation),
    )


def _government_statement(
    ctx: Context,
    item: Government,
    template: str,
    relation: Relation,
    answer: str,
    sentence: str,
    spanish: Callable[[str], str],
) -> Candidates:
    """A true statement about a linked government, or the same about one the facts rule out.

    Args:
        sentence: the English statement, with ``{other}`` for the linked government.
        spanish: the Spanish statement about the linked government's Spanish name.
    """
    fact = _government_fact(item)
    wrong = [
        g for g in ctx.governments if ctx.knowledge.truth(relation, _subject(item), government(g.key)) is Truth.FALSE
    ]
    right = ctx.government(answer)

    def about(other: Government) -> Words:
        return words(capitalize_first(sentence.format(other=other.name)), lambda: capitalize_es(spanish(es(other))))

    true_claim = Claim(relation, _subject(item), government(right.key), truth=True)
    statements = [(about(right), true_claim)]
    rng = statement_rng(fact.question_id(template))
    if wrong:
        other = rng.choice(wrong)
        false_claim = Claim(relation, _subject(item), government(other.key), truth=False)
        statements.append((about(other), false_claim))
        if rng.random() < 0.5:
            statements.reverse()
    true_statement = about(right)
    return ctx.ask.true_false(
        fact,
        template,
        BankTopic.EVENTS,
        statements,
        words(
            explain(sentence.format(other=right.name), item.description),
            lambda: explain(true_statement.es or es(right), es(item, "description")),
        ),
    )


def _rival(ctx: Context, item: Government) -> Candidates:
    if not item.rival_of:
        return []
    return _government_statement(
        ctx, item, "rival", Relation.RIVAL, item.rival_of, f"{item.name} was set up as a rival to {{other}}.",
        lambda other: f"{es(item)} se estableció como rival {contract('de', other)}.",
    )  # fmt: skip


def _succession(ctx: Context, item: Government, *, after: bool) -> Candidates:
    answer = item.succeeded_by if after else item.preceded_by
    if not answer:
        return []
    if after:
        return _government_statement(
            ctx, item, "succeeded-by", Relation.SUCCEEDED_BY, answer, f"{{other}} came after {item.name}.",
            lambda other: f"{other} vino después {contract('de', es(item))}.",
        )  # fmt: skip
    return _government_statement(
        ctx, item, "preceded-by", Relation.PRECEDED_BY, answer, f"{{other}} came before {item.name}.",
        lambda other: f"{other} vino antes {contract('de', es(item))}.",
    )  # fmt: skip


def _enemy(ctx: Context, item: Government, key: str) -> Candidates:
    enemy = ctx.person(key)
    role = enemy.roles[0] if enemy.roles else None
    described = f", the {role.office}," if role else ""
    asked = f"{described} was, with his forces, among the main enemies of {item.name}"

    def spanish() -> str:
        described = f", el {es(role, 'office')}," if role else ""
        return f"{described} fue, con sus fuerzas, uno de los principales enemigos {contract('de', es(item))}"

    return ctx.ask.who(
        _government_fact(item),
        f"enemy-{key}",
        BankTopic.PEOPLE,
        (
            words(f"who{asked}?", lambda: f"¿Quién{spanish()}?"),
            words(f"which of these people{asked}?", lambda: f"¿Cuál de estas personas{spanish()}?"),
        ),
        Relation.ENEMY,
        _subject(item),
        enemy,
        words(
            explain(f"{enemy.name} and his forces were among the main enemies of {item.name}", enemy.description),
            lambda: explain(
                f"{_name(ctx, enemy)} y sus fuerzas estuvieron entre "
                f"los principales enemigos {contract('de', es(item))}",
                es(enemy, "description"),
            ),
        ),
    )
