"""Question templates about foreign recognition and about where Peru's capital was."""

from __future__ import annotations

from quizapp.domain.facts import Capital, Place, Recognition, Stance
from quizapp.domain.generate_common import Candidates, FactRef, Words, statement_rng, words
from quizapp.domain.generate_context import Context
from quizapp.domain.generate_dates import asking_when, period_phrase, spanish_period_phrase
from quizapp.domain.generate_spanish import capitalize_es, contract, es
from quizapp.domain.knowledge import Claim, Relation, Truth, Value, government, place, stance_value, when
from quizapp.domain.languages import Language
from quizapp.domain.questions import BankTopic, QuestionType
from quizapp.domain.spanish_dates import spanish_phrase
from quizapp.domain.words import capitalize_first, country_in_text, explain

# A capital's status as Spanish says it ("la capital de iure del Perú").
_SPANISH_STATUSES = {"de jure": "de iure", "de facto": "de facto", "provisional": "provisional"}


def recognition_questions(ctx: Context, recognition: Recognition) -> list[Candidates]:
    return [
        _stance(ctx, recognition),
        _stance_choice(ctx, recognition),
        _recognized_government(ctx, recognition),
        _representative(ctx, recognition),
        _recognition_date(ctx, recognition),
    ]


def capital_questions(ctx: Context, capital: Capital) -> list[Candidates]:
    return [_capital_where(ctx, capital), _capital_true_false(ctx, capital), _capital_since(ctx, capital)]


# -- recognitions ------------------------------------------------------------


def _possessive(name: str) -> str:
    return "'" if name.endswith("s") else "'s"


def _fact(recognition: Recognition) -> FactRef:
    return FactRef("recognition", recognition.key)


def _country(recognition: Recognition) -> str:
    return f"country:{recognition.country}"


def _spanish_country(recognition: Recognition) -> str:
    return es(recognition, "country")


def _stance_text(ctx: Context, recognition: Recognition) -> Words:
    """``<country> <stance>``: "Venezuela recognized the Ayacucho government"."""
    stance = ctx.knowledge.stance_phrase(recognition.stance, recognition.government)
    return words(
        f"{country_in_text(recognition.country)} {stance}",
        lambda: (
            f"{_spanish_country(recognition)} "
            f"{ctx.knowledge.spanish_stance_phrase(recognition.stance, recognition.government)}"
        ),
    )


def _explanation(ctx: Context, recognition: Recognition) -> Words:
    stance = _stance_text(ctx, recognition)
    date = recognition.date
    return words(
        explain(f"{stance.en}{f' {date.phrase()}' if date else ''}", recognition.description),
        lambda: explain(
            f"{stance.es or es(recognition, 'country')}{f' {spanish_phrase(date)}' if date else ''}",
            es(recognition, "description"),
        ),
    )


def _unrecognized(ctx: Context, recognition: Recognition) -> list[Value]:
    """Governments the facts prove the country did not recognize."""
    return [
        government(g.key)
        for g in ctx.governments
        if ctx.knowledge.truth(Relation.RECOGNIZED, _country(recognition), government(g.key)) is Truth.FALSE
    ]


def _stance(ctx: Context, recognition: Recognition) -> Candidates:
    """A statement of the stance, or a false claim that the country recognized another government."""
    fact = _fact(recognition)
    country = country_in_text(recognition.country)
    value = stance_value(recognition.stance, recognition.government)
    stance = _stance_text(ctx, recognition)
    statements = [(_statement(stance), Claim(Relation.STANCE, _country(recognition), value, truth=True))]
    wrong = _unrecognized(ctx, recognition)
    rng = statement_rng(fact.question_id("stance"))
    if wrong:
        other = ctx.government(rng.choice(wrong).raw)
        false_value = stance_value(Stance.RECOGNIZED, other.key)
        false_claim = Claim(Relation.STANCE, _country(recognition), false_value, truth=False)
        false_text = words(
            f"{country} recognized {other.name}",
            lambda: f"{_spanish_country(recognition)} reconoció {contract('a', es(other))}",
        )
        statements.append((_statement(false_text), false_claim))
        if rng.random() < 0.5:
            statements.reverse()
    return ctx.ask.true_false(fact, "stance", BankTopic.RECOGNITIONS, statements, _explanation(ctx, recognition))


def _statement(text: Words) -> Words:
    """The text as a statement: capitalized, with a full stop."""
    return Words(capitalize_first(f"{text.en}."), capitalize_es(f"{text.es}.") if text.es else None)


def _stance_choice(ctx: Context, recognition: Recognition) -> Candidates:
    """The country's stance among stances it certainly did not take."""
    country = country_in_text(recognition.country)
    wrong = [stance_value(Stance.RECOGNIZED, value.raw) for value in _unrecognized(ctx, recognition)]
    wrong.append(stance_value(Stance.ABSTAINED, None))
    return ctx.ask.multiple_choice(
        _fact(recognition),
        "stance-choice",
        BankTopic.RECOGNITIONS,
        [
            words(
                f"which of these describes {country}{_possessive(country)} stance on the rival Peruvian governments?",
                lambda: (
                    f"¿Cuál de estas opciones describe la postura {contract('de', _spanish_country(recognition))} "
                    "ante los gobiernos peruanos rivales?"
                ),
            )
        ],
        Relation.STANCE,
        _country(recognition),
        stance_value(recognition.stance, recognition.government),
        [sorted(wrong)],
        _explanation(ctx, recognition),
    )


def _recognized_government(ctx: Context, recognition: Recognition) -> Candidates:
    if recognition.stance is not Stance.RECOGNIZED or not recognition.government:
        return []
    country = country_in_text(recognition.country)
    return ctx.ask.multiple_choice(
        _fact(recognition),
        "government",
        BankTopic.RECOGNITIONS,
        [
            words(
                f"which of these governments did {country} recognize?",
                lambda: f"¿Cuál de estos gobiernos reconoció {_spanish_country(recognition)}?",
            )
        ],
        Relation.RECOGNIZED,
        _country(recognition),
        government(recognition.government),
        ctx.government_pool(),
        _explanation(ctx, recognition),
    )


def _representative(ctx: Context, recognition: Recognition) -> Candidates:
    """Who spoke for the country: other countries' envoys first as distractors."""
    if not recognition.representative:
        return []
    country = country_in_text(recognition.country)
    asked = f"spoke for {country} when it {ctx.knowledge.stance_phrase(recognition.stance, recognition.government)}"

    def spanish() -> str:
        stance = ctx.knowledge.spanish_stance_phrase(recognition.stance, recognition.government)
        return f"habló en nombre {contract('de', _spanish_country(recognition))} cuando {stance}"

    return ctx.ask.who(
        _fact(recognition),
        "representative",
        BankTopic.RECOGNITIONS,
        (
            words(f"who {asked}?", lambda: f"¿Quién {spanish()}?"),
            words(f"which of these people {asked}?", lambda: f"¿Cuál de estas personas {spanish()}?"),
        ),
        Relation.REPRESENTATIVE,
        f"recognition:{recognition.key}",
        ctx.person(recognition.representative),
        _explanation(ctx, recognition),
    )


def _recognition_date(ctx: Context, recognition: Recognition) -> Candidates:
    exact = recognition.date.exact if recognition.date else None
    if exact is None:
        return []
    assert recognition.date is not None
    country = country_in_text(recognition.country)
    phrase = ctx.knowledge.stance_phrase(recognition.stance, recognition.government)

    def spanish() -> str:
        stance = ctx.knowledge.spanish_stance_phrase(recognition.stance, recognition.government)
        words_of = stance.split()
        verb_length = 2 if words_of[0] == "se" else 1  # "se abstuvo" stays together
        verb, rest = " ".join(words_of[:verb_length]), " ".join(words_of[verb_length:])
        asking = asking_when(exact, Language.SPANISH)
        return capitalize_es(f"¿{asking} {verb} {_spanish_country(recognition)} {rest}?".replace(" ?", "?"))

    return ctx.ask.free_answer(
        _fact(recognition),
        "when",
        BankTopic.RECOGNITIONS,
        QuestionType.DATE,
        [words(f"{asking_when(exact)} did {country} {_present(phrase)}?", spanish)],
        Claim(Relation.DATE, f"recognition:{recognition.key}", when(recognition.date)),
        _explanation(ctx, recognition),
    )


def _present(phrase: str) -> str:
    """``recognized X`` -> ``recognize X``, for "when did ... recognize X?"."""
    verb, _, rest = phrase.partition(" ")
    base = {"recognized": "recognize", "abstained": "abstain", "condemned": "condemn", "stayed": "stay"}.get(verb, verb)
    return f"{base} {rest}".strip()


# -- capitals ----------------------------------------------------------------


def _capital_fact(capital: Capital) -> FactRef:
    return FactRef("capital", capital.key)


def _capital_statement(capital: Capital, where: Place) -> Words:
    return words(
        f"{where.name} was the {capital.status} capital of Peru{period_phrase(capital.start, capital.end)}",
        lambda: (
            f"{es(where)} fue la capital {_SPANISH_STATUSES[capital.status]} del Perú"
            f"{spanish_period_phrase(capital.start, capital.end)}"
        ),
    )


def _no_capital_statement(ctx: Context, capital: Capital) -> Words:
    de_jure = [ctx.place(c.place) for c in ctx.capitals if c.place and c.status == "de jure"]
    apart = f"apart from its de jure capital, {de_jure[0].name}, " if de_jure else ""
    return words(
        f"{apart}Peru had no settled capital{period_phrase(capital.start, capital.end)}",
        lambda: (
            (f"aparte de su capital de iure, {es(de_jure[0])}, " if de_jure else "")
            + f"el Perú no tuvo una capital definida{spanish_period_phrase(capital.start, capital.end)}"
        ),
    )


def _capital_explanation(ctx: Context, capital: Capital) -> Words:
    statement = (
        _capital_statement(capital, ctx.place(capital.place)) if capital.place else _no_capital_statement(ctx, capital)
    )
    return words(
        explain(statement.en, capital.description),
        lambda: explain(statement.es or es(capital, "description"), es(capital, "description")),
    )


def _capital_where(ctx: Context, capital: Capital) -> Candidates:
    if not capital.place:
        return []
    answer = ctx.place(capital.place)
    return ctx.ask.multiple_choice(
        _capital_fact(capital),
        "where",
        BankTopic.EVENTS,
        [
            words(
                f"which place was the {capital.status} capital of Peru{period_phrase(capital.start, capital.end)}?",
                lambda: (
                    f"¿Qué lugar fue la capital {_SPANISH_STATUSES[capital.status]} del Perú"
                    f"{spanish_period_phrase(capital.start, capital.end)}?"
                ),
            )
        ],
        Relation.CAPITAL,
        f"capital:{capital.key}",
        place(answer.key),
        ctx.place_pool(answer),
        _capital_explanation(ctx, capital),
    )


def _capital_true_false(ctx: Context, capital: Capital) -> Candidates:
    if not capital.place:
        return []
    fact = _capital_fact(capital)
    subject = f"capital:{capital.key}"
    answer = ctx.place(capital.place)
    true_claim = Claim(Relation.CAPITAL, subject, place(answer.key), truth=True)
    statements = [(_statement(_capital_statement(capital, answer)), true_claim)]
    # The most plausible wrong place: one of the same kind when there is one.
    for tier in ctx.place_pool(answer):
        wrong = [value for value in tier if ctx.knowledge.truth(Relation.CAPITAL, subject, value) is Truth.FALSE]
        if wrong:
            rng = statement_rng(fact.question_id("true-false"))
            other = rng.choice(wrong)
            statement = _statement(_capital_statement(capital, ctx.place(other.raw)))
            statements.append((statement, Claim(Relation.CAPITAL, subject, other, truth=False)))
            if rng.random() < 0.5:
                statements.reverse()
            break
    return ctx.ask.true_false(fact, "true-false", BankTopic.EVENTS, statements, _capital_explanation(ctx, capital))


def _capital_since(ctx: Context, capital: Capital) -> Candidates:
    exact = capital.start.exact if capital.start else None
    if exact is None:
        return []
    assert capital.start is not None
    asking = asking_when(exact, Language.SPANISH)
    if capital.place:
        where = ctx.place(capital.place)
        prompt = words(
            f"{asking_when(exact)} did {where.name} become the {capital.status} capital of Peru?",
            lambda: capitalize_es(
                f"¿{asking} pasó {es(where)} a ser la capital {_SPANISH_STATUSES[capital.status]} del Perú?"
            ),
        )
    else:
        prompt = words(
            f"{asking_when(exact)} did Peru have no settled capital, apart from its capital in law?",
            lambda: capitalize_es(f"¿{asking} no tuvo el Perú una capital definida, aparte de su capital de derecho?"),
        )
    return ctx.ask.free_answer(
        _capital_fact(capital),
        "since",
        BankTopic.DATES,
        QuestionType.DATE,
        [prompt],
        Claim(Relation.DATE, f"capital:{capital.key}:start", when(capital.start)),
        _capital_explanation(ctx, capital),
    )
