"""Question templates about people, the offices they held and the governments they led."""

from __future__ import annotations

from collections import Counter

from quizapp.domain.facts import Government, Office, Person
from quizapp.domain.generate_common import Candidates, FactRef, first_found, statement_rng
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_dates import asking_when, period_phrase
from quizapp.domain.generate_names import mentions
from quizapp.domain.knowledge import Claim, Relation, Truth, Value, event, government, person, when
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
            [f"which of these events was {someone.name} involved in?"],
            Relation.INVOLVED_IN,
            f"person:{someone.key}",
            event(answer.key),
            ctx.event_pool(answer.kind),
            explain(f"{someone.name} was involved in {answer.name}", answer.description),
        )
        for answer in involved
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
        [f"which of these governments did {someone.name} lead?"],
        Relation.LED,
        f"person:{someone.key}",
        government(answer.key),
        ctx.government_pool(),
        explain(f"{someone.name} led {answer.name}", answer.description),
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


def _role_explanation(ctx: Context, someone: Person, role: Office) -> str:
    verb = "was named" if role.named_only else "served as"
    return explain(
        f"{someone.name} {verb} {role.office}{_in_government(ctx, role)}{period_phrase(role.start, role.end)}",
        someone.description,
    )


def _office(ctx: Context, someone: Person, role: Office, slug: str, subject: str) -> Candidates:
    """Which office the person held; the prompt narrows by government when the person held several."""
    where = _in_government(ctx, role)
    if role.named_only:
        plain = f"to which of these posts was {someone.name} named?"
        narrowed = f"to which of these posts was {someone.name} named{where}?"
    else:
        plain = f"which of these positions did {someone.name} hold?"
        narrowed = f"which of these positions did {someone.name} hold{where}?"
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
    return ctx.ask.multiple_choice(
        _fact(someone),
        f"{slug}:holder",
        BankTopic.LEADERS,
        [f"which of these people {verb} {role.office}{where}?"],
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
    prompt = f"{asking_when(exact)} {verb} {someone.name} {become} {role.office}{_in_government(ctx, role)}?"
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
    return ctx.ask.who(
        _fact(someone),
        f"{slug}:{template}",
        BankTopic.LEADERS,
        (f"who {asked}?", f"which of these people {asked}?"),
        Relation.APPOINTER if appointer else Relation.SUCCESSOR,
        subject,
        other,
        explain(f"{other.name} {asked}", someone.description),
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
        (f"who led {item.name}?", f"which of these people led {item.name}?"),
        Relation.LEADER,
        _subject(item),
        leader,
        explain(f"{item.name} was led by {leader.name}", item.description),
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
        [f"where was {item.name} based?"],
        Relation.SEAT,
        _subject(item),
        Value("place", seat.key),
        ctx.place_pool(seat),
        explain(f"{item.name} was based in {seat.name}", item.description),
    )


def _established(ctx: Context, item: Government) -> Candidates:
    exact = item.start.exact if item.start else None
    if exact is None:
        return []
    assert item.start is not None
    if item.caveat:
        prompt = f"{item.caveat} Even so, {asking_when(exact)} is {item.name} recorded as established?"
    else:
        prompt = f"{asking_when(exact)} was {item.name} established?"
    return ctx.ask.free_answer(
        _government_fact(item),
        "established",
        BankTopic.DATES,
        QuestionType.DATE,
        [capitalize_first(prompt)],
        Claim(Relation.DATE, f"government:{item.key}:start", when(item.start)),
        explain(f"{item.name} lasted{period_phrase(item.start, item.end)}", item.caveat, item.description),
    )


def _status_start(ctx: Context, item: Government, index: int) -> Candidates:
    status = item.statuses[index]
    exact = status.start.exact
    if exact is None:
        return []
    return ctx.ask.free_answer(
        _government_fact(item),
        f"status-{index + 1}",
        BankTopic.DATES,
        QuestionType.DATE,
        [f"{asking_when(exact)} did {item.name} become {status.status}?"],
        Claim(Relation.DATE, f"status:{item.key}:{index}", when(status.start)),
        explain(f"{item.name} was {status.status}{period_phrase(status.start, status.end)}", item.description),
    )


def _recognized_by(ctx: Context, item: Government) -> Candidates:
    """Which country recognized the government; the other options certainly did not."""
    recognizers = sorted(
        r.country for r in ctx.recognitions if r.stance.value == "recognized" and r.government == item.key
    )
    if not recognizers:
        return []
    described = ", ".join(country_in_text(country) for country in recognizers)
    return ctx.ask.multiple_choice(
        _government_fact(item),
        "recognized-by",
        BankTopic.RECOGNITIONS,
        [f"which of these countries recognized {item.name}?"],
        Relation.RECOGNIZER,
        _subject(item),
        Value("country", recognizers[0]),
        [[Value("country", country) for country in ctx.knowledge.countries]],
        explain(f"{item.name} was recognized by {described}", item.description),
    )


def _government_statement(
    ctx: Context, item: Government, template: str, relation: Relation, answer: str, sentence: str
) -> Candidates:
    """A true statement about a linked government, or the same about one the facts rule out."""
    fact = _government_fact(item)
    wrong = [
        g for g in ctx.governments if ctx.knowledge.truth(relation, _subject(item), government(g.key)) is Truth.FALSE
    ]
    right = ctx.government(answer)
    true_claim = Claim(relation, _subject(item), government(right.key), truth=True)
    statements = [(sentence.format(other=right.name), true_claim)]
    rng = statement_rng(fact.question_id(template))
    if wrong:
        other = rng.choice(wrong)
        false_claim = Claim(relation, _subject(item), government(other.key), truth=False)
        statements.append((sentence.format(other=other.name), false_claim))
        if rng.random() < 0.5:
            statements.reverse()
    return ctx.ask.true_false(
        fact,
        template,
        BankTopic.EVENTS,
        [(capitalize_first(text), claim) for text, claim in statements],
        explain(sentence.format(other=right.name), item.description),
    )


def _rival(ctx: Context, item: Government) -> Candidates:
    if not item.rival_of:
        return []
    return _government_statement(
        ctx, item, "rival", Relation.RIVAL, item.rival_of, f"{item.name} was set up as a rival to {{other}}."
    )


def _succession(ctx: Context, item: Government, *, after: bool) -> Candidates:
    answer = item.succeeded_by if after else item.preceded_by
    if not answer:
        return []
    if after:
        return _government_statement(
            ctx, item, "succeeded-by", Relation.SUCCEEDED_BY, answer, f"{{other}} came after {item.name}."
        )
    return _government_statement(
        ctx, item, "preceded-by", Relation.PRECEDED_BY, answer, f"{{other}} came before {item.name}."
    )


def _enemy(ctx: Context, item: Government, key: str) -> Candidates:
    enemy = ctx.person(key)
    office = enemy.roles[0].office if enemy.roles else ""
    described = f", the {office}," if office else ""
    asked = f"{described} was, with his forces, among the main enemies of {item.name}"
    return ctx.ask.who(
        _government_fact(item),
        f"enemy-{key}",
        BankTopic.PEOPLE,
        (f"who{asked}?", f"which of these people{asked}?"),
        Relation.ENEMY,
        _subject(item),
        enemy,
        explain(f"{enemy.name} and his forces were among the main enemies of {item.name}", enemy.description),
    )
