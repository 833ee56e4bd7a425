"""Question templates about demands, proposals, plans, offers and orders (and what came of them), and about names."""

from __future__ import annotations

from quizapp.domain.facts import Name, Proposal, ProposalKind
from quizapp.domain.generate_common import Candidates, FactRef, Words, statement_rng, words
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_names import mentions
from quizapp.domain.generate_spanish import agree, capitalize_es, contract, es, listing
from quizapp.domain.knowledge import NO, YES, Claim, Relation, Value, text
from quizapp.domain.questions import BankTopic, QuestionType
from quizapp.domain.words import capitalize_first, country_in_text, explain

# How each kind is said: the verb asking for its content, and the verb saying who made it.
_VERBS: dict[ProposalKind, tuple[str, str]] = {
    ProposalKind.AIM: ("hope to obtain", "hoped to obtain"),
    ProposalKind.PROPOSAL: ("propose", "proposed"),
    ProposalKind.PLAN: ("plan", "planned"),
    ProposalKind.MEDIATION: ("seek", "sought"),
    ProposalKind.TERMS: ("include", "set peace terms including"),
    ProposalKind.DEMAND: ("demand", "demanded"),
    ProposalKind.NEGOTIATION: ("seek", "sought"),
    ProposalKind.ORDER: ("order", "ordered"),
    ProposalKind.EXPECTATION: ("expect", "expected"),
    ProposalKind.OFFER: ("offer", "offered"),
    ProposalKind.SUPPORT: ("supply", "supplied"),
}


# The same in Spanish: the infinitive (after "envió a X a ...") and the past ("¿Quién exigió ...?").
_SPANISH_VERBS: dict[ProposalKind, tuple[str, str]] = {
    ProposalKind.AIM: ("obtener", "esperaba obtener"),
    ProposalKind.PROPOSAL: ("proponer", "propuso"),
    ProposalKind.PLAN: ("planear", "planeó"),
    ProposalKind.MEDIATION: ("buscar", "buscó"),
    ProposalKind.TERMS: ("incluir", "fijó condiciones de paz que incluían"),
    ProposalKind.DEMAND: ("exigir", "exigió"),
    ProposalKind.NEGOTIATION: ("buscar", "buscó"),
    ProposalKind.ORDER: ("ordenar", "ordenó"),
    ProposalKind.EXPECTATION: ("esperar", "esperaba"),
    ProposalKind.OFFER: ("ofrecer", "ofreció"),
    ProposalKind.SUPPORT: ("suministrar", "suministró"),
}


def proposal_questions(ctx: Context, item: Proposal) -> list[Candidates]:
    found = [_content(ctx, item), _proposer(ctx, item), _recipient(ctx, item), _sender(ctx, item), _realized(ctx, item)]
    found += [_response(ctx, item, index) for index in range(len(item.responses))]
    return found


def name_questions(ctx: Context, item: Name) -> list[Candidates]:
    return [_name(ctx, item), _shown_on(ctx, item)]


# -- proposals -------------------------------------------------------------------


def _fact(item: Proposal) -> FactRef:
    return FactRef("proposal", item.key)


def _subject(item: Proposal) -> str:
    return f"proposal:{item.key}"


def _actor(ctx: Context, item: Proposal) -> str:
    """Who made it, as a sentence names them: the people, or the country or group."""
    if item.by:
        return " and ".join(ctx.person(key).name for key in item.by)
    return country_in_text(item.party)


def _spanish_actor(ctx: Context, item: Proposal) -> str:
    if item.by:
        return listing([ctx.knowledge.spanish_name("person", key) for key in item.by])
    return es(item, "party")


def _spanish_addressee(ctx: Context, item: Proposal) -> str:
    if item.to:
        return ctx.knowledge.spanish_name("person", item.to)
    if item.to_government:
        return es(ctx.government(item.to_government))
    return es(item, "to_party") if item.to_party else ""


def _addressee(ctx: Context, item: Proposal) -> str:
    if item.to:
        return ctx.person(item.to).name
    if item.to_government:
        return ctx.government(item.to_government).name
    return item.to_party


def _content_prompt(ctx: Context, item: Proposal) -> str:
    if item.ask:
        return item.ask
    actor, to = _actor(ctx, item), _addressee(ctx, item)
    match item.kind:
        case ProposalKind.DEMAND | ProposalKind.TERMS:
            verb = "demand" if item.kind is ProposalKind.DEMAND else "include"
            return f"what did {item.name} {verb}?"
        case ProposalKind.PROPOSAL:
            return f"what did {actor} propose to {to}?" if to else f"what did {actor} propose?"
        case ProposalKind.OFFER:
            return f"what did {actor} offer {to}?" if to else f"what did {actor} offer?"
        case ProposalKind.PLAN:
            return f"what did {actor} plan with {to}?" if to else f"what did {actor} plan?"
        case ProposalKind.MEDIATION | ProposalKind.NEGOTIATION:
            return f"what did {actor} seek from {to}?"
        case ProposalKind.ORDER:
            return f"what did {actor} order {to} to carry out?"
    return f"what did {actor} {_VERBS[item.kind][0]}?"


def _spanish_content_prompt(ctx: Context, item: Proposal) -> str:
    if item.ask:
        return es(item, "ask")
    actor, to = _spanish_actor(ctx, item), _spanish_addressee(ctx, item)
    match item.kind:
        case ProposalKind.DEMAND | ProposalKind.TERMS:
            verb = "exigió" if item.kind is ProposalKind.DEMAND else "incluyó"
            return f"¿Qué {agree(es(item), verb)} {es(item)}?"
        case ProposalKind.PROPOSAL:
            return f"¿Qué propuso {actor} {contract('a', to)}?" if to else f"¿Qué propuso {actor}?"
        case ProposalKind.OFFER:
            return f"¿Qué ofreció {actor} {contract('a', to)}?" if to else f"¿Qué ofreció {actor}?"
        case ProposalKind.PLAN:
            return f"¿Qué planeó {actor} con {to}?" if to else f"¿Qué planeó {actor}?"
        case ProposalKind.MEDIATION | ProposalKind.NEGOTIATION:
            return f"¿Qué buscó {actor} por parte {contract('de', to)}?"
        case ProposalKind.ORDER:
            return f"¿Qué ordenó {actor} llevar a cabo {contract('a', to)}?"
    return f"¿Qué {_SPANISH_VERBS[item.kind][1]} {actor}?"


def _description(item: Proposal) -> Words:
    return words(item.description, lambda: es(item, "description"))


def _content(ctx: Context, item: Proposal) -> Candidates:
    others = [text(other.content) for other in ctx.proposals]
    prompt = words(_content_prompt(ctx, item), lambda: _spanish_content_prompt(ctx, item))
    return ctx.ask.multiple_choice(
        _fact(item), "content", BankTopic.EVENTS, [prompt], Relation.CONTENT, _subject(item),
        text(item.content), [others], _description(item),
    )  # fmt: skip


def _made_to(ctx: Context, item: Proposal) -> str:
    """`` to Manuel Villavicencio``, `` from Britain and France``, or nothing."""
    if item.kind is ProposalKind.PROPOSAL and item.to:
        return f" to {ctx.person(item.to).name}"
    if item.kind in (ProposalKind.MEDIATION, ProposalKind.EXPECTATION) and item.to_party:
        return f" from {item.to_party}"
    return ""


def _spanish_made_to(ctx: Context, item: Proposal) -> str:
    """:func:`_made_to` in Spanish: `` a Manuel Villavicencio``, `` por parte de Gran Bretaña y Francia``."""
    if item.kind is ProposalKind.PROPOSAL and item.to:
        return f" a {ctx.knowledge.spanish_name('person', item.to)}"
    if item.kind in (ProposalKind.MEDIATION, ProposalKind.EXPECTATION) and item.to_party:
        return f" por parte {contract('de', es(item, 'to_party'))}"
    return ""


def _proposer(ctx: Context, item: Proposal) -> Candidates:
    """Who made it: a person, or for a country's proposal, the country."""
    asked = f"{_VERBS[item.kind][1]} {item.content}{_made_to(ctx, item)}"

    def spanish() -> str:
        return f"{_SPANISH_VERBS[item.kind][1]} {es(item, 'content')}{_spanish_made_to(ctx, item)}"

    if item.by:
        someone = ctx.person(item.by[0])
        if mentions(asked, someone):
            return []
        prompts = (
            words(f"who {asked}?", lambda: f"¿Quién {spanish()}?"),
            words(f"which of these people {asked}?", lambda: f"¿Cuál de estas personas {spanish()}?"),
        )
        return ctx.ask.who(
            _fact(item), "proposer", BankTopic.PEOPLE, prompts, Relation.PROPOSER, _subject(item), someone,
            _description(item),
        )  # fmt: skip
    country = item.party.removeprefix("the ")
    if country not in ctx.knowledge.countries or ctx.knowledge.country_mentioned(asked, country):
        return []
    prompt = words(f"which of these countries {asked}?", lambda: f"¿Cuál de estos países {spanish()}?")
    return ctx.ask.multiple_choice(
        _fact(item), "proposer", BankTopic.PEOPLE, [prompt], Relation.PROPOSER,
        _subject(item), Value("country", country), [[Value("country", name) for name in ctx.knowledge.countries]],
        _description(item),
    )  # fmt: skip


def _recipient(ctx: Context, item: Proposal) -> Candidates:
    if not item.to or not item.by or item.kind not in (ProposalKind.PROPOSAL, ProposalKind.PLAN, ProposalKind.ORDER):
        return []
    actor, to = _actor(ctx, item), ctx.person(item.to)
    prompts = {
        ProposalKind.PROPOSAL: f"to whom did {actor} propose {item.content}?",
        ProposalKind.PLAN: f"with whom did {actor} plan {item.content}?",
        ProposalKind.ORDER: f"whom did {actor} order to carry out {item.content}?",
    }
    if mentions(prompts[item.kind], to):
        return []
    choice = prompts[item.kind].replace("whom", "which of these people", 1)

    def spanish(who: str) -> str:
        content, actor = es(item, "content"), _spanish_actor(ctx, item)
        match item.kind:
            case ProposalKind.PROPOSAL:
                return f"¿A {who} propuso {actor} {content}?"
            case ProposalKind.PLAN:
                return f"¿Con {who} planeó {actor} {content}?"
        return f"¿A {who} ordenó {actor} llevar a cabo {content}?"

    asked = (
        words(prompts[item.kind], lambda: spanish("quién")),
        words(choice, lambda: spanish("cuál de estas personas")),
    )
    return ctx.ask.who(
        _fact(item), "recipient", BankTopic.PEOPLE, asked, Relation.RECIPIENT, _subject(item), to, _description(item),
    )  # fmt: skip


def _sender(ctx: Context, item: Proposal) -> Candidates:
    if not item.sent_by or not item.by:
        return []
    asked = f"sent {_actor(ctx, item)} to {_VERBS[item.kind][0]} {item.content}{_made_to(ctx, item)}"

    def spanish() -> str:
        return (
            f"envió a {_spanish_actor(ctx, item)} a {_SPANISH_VERBS[item.kind][0]} {es(item, 'content')}"
            f"{_spanish_made_to(ctx, item)}"
        )

    prompts = (
        words(f"who {asked}?", lambda: f"¿Quién {spanish()}?"),
        words(f"which of these people {asked}?", lambda: f"¿Cuál de estas personas {spanish()}?"),
    )
    return ctx.ask.who(
        _fact(item), "sender", BankTopic.PEOPLE, prompts, Relation.SENDER, _subject(item), ctx.person(item.sent_by),
        _description(item),
    )  # fmt: skip


def _response(ctx: Context, item: Proposal, index: int) -> Candidates:
    """Whether someone accepted or refused it, said one way or the other."""
    response = item.responses[index]
    who = ctx.person(response.who).name
    fact = _fact(item)
    template = f"response-{index + 1}"
    subject = f"response:{item.key}:{index}"

    def said(accepted: bool) -> Words:
        english, spanish = ("accepted", "aceptó") if accepted else ("refused", "rechazó")
        return words(
            f"{who} {english} {item.name}",
            lambda: f"{ctx.knowledge.spanish_name('person', response.who)} {spanish} {es(item)}",
        )

    statements = [
        (_statement(said(True)), Claim(Relation.RESPONSE, subject, YES, truth=response.accepted)),
        (_statement(said(False)), Claim(Relation.RESPONSE, subject, NO, truth=not response.accepted)),
    ]
    if statement_rng(fact.question_id(template)).random() < 0.5:
        statements.reverse()
    verdict = said(response.accepted)
    return ctx.ask.true_false(
        fact, template, BankTopic.EVENTS, statements,
        words(explain(verdict.en, item.description), lambda: explain(verdict.es or es(item), es(item, "description"))),
    )  # fmt: skip


def _statement(text: Words) -> Words:
    """The text as a statement: capitalized, with a full stop."""
    return Words(capitalize_first(f"{text.en}."), capitalize_es(f"{text.es}.") if text.es else None)


def _realized(ctx: Context, item: Proposal) -> Candidates:
    if item.realized is None:
        return []
    statement = _statement(words(f"{item.name} {item.realized_as}", lambda: f"{es(item)} {es(item, 'realized_as')}"))
    return ctx.ask.true_false(
        _fact(item), "realized", BankTopic.EVENTS,
        [(statement, Claim(Relation.REALIZED, _subject(item), YES, truth=item.realized))], _description(item),
    )  # fmt: skip


# -- names -------------------------------------------------------------------------


def _name(ctx: Context, item: Name) -> Candidates:
    """Typed, unless the name is within a slip of another known name; then chosen among the other names."""
    fact, subject = FactRef("name", item.key), f"name:{item.key}"
    prompt = words(f"what was {item.called}?", lambda: f"¿Cuál era {es(item, 'called')}?")
    description = words(item.description, lambda: es(item, "description"))
    typed = ctx.ask.free_answer(
        fact, "name", BankTopic.EVENTS, QuestionType.SHORT_ANSWER, [prompt],
        Claim(Relation.NAME, subject, text(item.name)), description, item.aliases, item.es.many("aliases"),
    )  # fmt: skip
    return typed or ctx.ask.multiple_choice(
        fact, "name", BankTopic.EVENTS, [prompt], Relation.NAME, subject, text(item.name),
        [[text(other.name) for other in ctx.names]], description,
    )  # fmt: skip


def _shown_on(ctx: Context, item: Name) -> Candidates:
    if not item.shown_on:
        return []
    return ctx.ask.free_answer(
        FactRef("name", item.key), "shown-on", BankTopic.EVENTS, QuestionType.SHORT_ANSWER,
        [words(
            f"on what were the words “{item.name}” printed at the time?",
            lambda: f"¿En qué se imprimieron en su época las palabras «{es(item)}»?",
        )],
        Claim(Relation.SHOWN_ON, f"name:{item.key}", text(item.shown_on)),
        words(item.description, lambda: es(item, "description")), item.shown_on_aliases,
        item.es.many("shown_on_aliases"),
    )  # fmt: skip
