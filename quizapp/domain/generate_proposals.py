"""Question templates about demands, proposals, plans, offers and orders (and what came of them), and about names."""

from __future__ import annotations

from quizapp.domain.facts import Name, Proposal, ProposalKind
from quizapp.domain.generate_common import Candidates, FactRef, statement_rng
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_names import mentions
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


def _content(ctx: Context, item: Proposal) -> Candidates:
    others = [text(other.content) for other in ctx.proposals]
    return ctx.ask.multiple_choice(
        _fact(item), "content", BankTopic.EVENTS, [_content_prompt(ctx, item)], Relation.CONTENT, _subject(item),
        text(item.content), [others], item.description,
    )  # fmt: skip


def _made_to(ctx: Context, item: Proposal) -> str:
    """`` to Manuel Villavicencio``, `` from Britain and France``, or nothing."""
    if item.kind is ProposalKind.PROPOSAL and item.to:
        return f" to {ctx.person(item.to).name}"
    if item.kind in (ProposalKind.MEDIATION, ProposalKind.EXPECTATION) and item.to_party:
        return f" from {item.to_party}"
    return ""


def _proposer(ctx: Context, item: Proposal) -> Candidates:
    """Who made it: a person, or for a country's proposal, the country."""
    asked = f"{_VERBS[item.kind][1]} {item.content}{_made_to(ctx, item)}"
    if item.by:
        someone = ctx.person(item.by[0])
        if mentions(asked, someone):
            return []
        return ctx.ask.who(
            _fact(item), "proposer", BankTopic.PEOPLE, (f"who {asked}?", f"which of these people {asked}?"),
            Relation.PROPOSER, _subject(item), someone, item.description,
        )  # fmt: skip
    country = item.party.removeprefix("the ")
    if country not in ctx.knowledge.countries or ctx.knowledge.country_mentioned(asked, country):
        return []
    return ctx.ask.multiple_choice(
        _fact(item), "proposer", BankTopic.PEOPLE, [f"which of these countries {asked}?"], Relation.PROPOSER,
        _subject(item), Value("country", country), [[Value("country", name) for name in ctx.knowledge.countries]],
        item.description,
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
    return ctx.ask.who(
        _fact(item), "recipient", BankTopic.PEOPLE, (prompts[item.kind], choice), Relation.RECIPIENT, _subject(item),
        to, item.description,
    )  # fmt: skip


def _sender(ctx: Context, item: Proposal) -> Candidates:
    if not item.sent_by or not item.by:
        return []
    asked = f"sent {_actor(ctx, item)} to {_VERBS[item.kind][0]} {item.content}{_made_to(ctx, item)}"
    return ctx.ask.who(
        _fact(item), "sender", BankTopic.PEOPLE, (f"who {asked}?", f"which of these people {asked}?"), Relation.SENDER,
        _subject(item), ctx.person(item.sent_by), item.description,
    )  # fmt: skip


def _response(ctx: Context, item: Proposal, index: int) -> Candidates:
    """Whether someone accepted or refused it, said one way or the other."""
    response = item.responses[index]
    who = ctx.person(response.who).name
    fact = _fact(item)
    template = f"response-{index + 1}"
    subject = f"response:{item.key}:{index}"
    statements = [
        (f"{who} accepted {item.name}.", Claim(Relation.RESPONSE, subject, YES, truth=response.accepted)),
        (f"{who} refused {item.name}.", Claim(Relation.RESPONSE, subject, NO, truth=not response.accepted)),
    ]
    if statement_rng(fact.question_id(template)).random() < 0.5:
        statements.reverse()
    verdict = "accepted" if response.accepted else "refused"
    return ctx.ask.true_false(
        fact, template, BankTopic.EVENTS, [(capitalize_first(text), claim) for text, claim in statements],
        explain(f"{who} {verdict} {item.name}", item.description),
    )  # fmt: skip


def _realized(ctx: Context, item: Proposal) -> Candidates:
    if item.realized is None:
        return []
    statement = capitalize_first(f"{item.name} {item.realized_as}.")
    return ctx.ask.true_false(
        _fact(item), "realized", BankTopic.EVENTS,
        [(statement, Claim(Relation.REALIZED, _subject(item), YES, truth=item.realized))], item.description,
    )  # fmt: skip


# -- names -------------------------------------------------------------------------


def _name(ctx: Context, item: Name) -> Candidates:
    """Typed, unless the name is within a slip of another known name; then chosen among the other names."""
    fact, prompt, subject = FactRef("name", item.key), f"what was {item.called}?", f"name:{item.key}"
    typed = ctx.ask.free_answer(
        fact, "name", BankTopic.EVENTS, QuestionType.SHORT_ANSWER, [prompt],
        Claim(Relation.NAME, subject, text(item.name)), item.description, item.aliases,
    )  # fmt: skip
    return typed or ctx.ask.multiple_choice(
        fact, "name", BankTopic.EVENTS, [prompt], Relation.NAME, subject, text(item.name),
        [[text(other.name) for other in ctx.names]], item.description,
    )  # fmt: skip


def _shown_on(ctx: Context, item: Name) -> Candidates:
    if not item.shown_on:
        return []
    return ctx.ask.free_answer(
        FactRef("name", item.key), "shown-on", BankTopic.EVENTS, QuestionType.SHORT_ANSWER,
        [f"on what were the words “{item.name}” printed at the time?"],
        Claim(Relation.SHOWN_ON, f"name:{item.key}", text(item.shown_on)), item.description, item.shown_on_aliases,
    )  # fmt: skip
