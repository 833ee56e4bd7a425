"""Question templates about foreign recognition and about where Peru's capital was."""

from __future__ import annotations

from quizapp.domain.facts import Capital, Government, Recognition, Stance
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
    country_in_text,
)
from quizapp.domain.generate_context import Context, person_label
from quizapp.domain.generate_dates import asking_when, on_phrase, period_phrase
from quizapp.domain.generate_names import mentions
from quizapp.domain.questions import QuestionType, Topic


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


def recognized_by(ctx: Context, government: Government) -> Candidates:
    """Which country recognized the government; the other options certainly did not."""
    recognizers = sorted(_recognizers(ctx, government.key))
    if not recognizers:
        return []
    answer = recognizers[0]
    text = f"{government.name} {government.description}"
    others = sorted(
        country
        for country in {r.country for r in ctx.recognitions} - set(recognizers)
        if not country_mentioned(text, country)
    )
    described = ", ".join(country_in_text(country) for country in recognizers)
    return multiple_choice(
        ctx.seed, FactRef("government", government.key), "recognized-by", Topic.RECOGNITIONS,
        [f"which of these countries recognized {government.name}?"],
        answer, [others],
        explain(f"{government.name} was recognized by {described}", government.description),
    )  # fmt: skip


# -- recognitions ------------------------------------------------------------


def _possessive(name: str) -> str:
    return "'" if name.endswith("s") else "'s"


# Adjectives that do not start like the country's name.
_DEMONYMS = {"United States": ("American",), "Switzerland": ("Swiss",), "Denmark": ("Danish",)}


def country_mentioned(text: str, country: str) -> bool:
    """Whether the text names the country or its people ("Chilean-recognized" names Chile).

    Such a text may tie the country to a government in ways the recognitions
    do not record, so that country is never offered as one that did not recognize it.
    """
    if contains_words(text, country) or any(contains_words(text, word) for word in _DEMONYMS.get(country, ())):
        return True
    words = fold(country).split()
    if len(words) > 1:
        return False
    stem = words[0][:-1] if words[0][-1:] in ("a", "e", "o") else words[0]
    return any(word.startswith(stem) for word in fold(text).split())


def _unrecognized_governments(ctx: Context, country: str) -> list[Government]:
    """Governments the country certainly did not recognize, as far as the facts say.

    Besides those it recognized, this leaves out any government continuing one
    it recognized (see :func:`_continuous`) and any whose text names the country.
    """
    recognized = [ctx.government(key) for key in sorted(_recognized_by_country(ctx, country))]
    return [
        g
        for g in ctx.governments
        if not any(_continuous(ctx, g, other) for other in recognized)
        and not country_mentioned(f"{g.name} {g.description}", country)
    ]


def _continuous(ctx: Context, first: Government, second: Government) -> bool:
    """Whether the two may count as one government: the same, or a leader of one held office in the other.

    Montero, vice president under La Magdalena, went on to lead the government
    in Cajamarca; a country that recognized the first may have kept dealing with it.
    """
    if first.key == second.key:
        return True
    for one, other in ((first, second), (second, first)):
        if set(one.leaders) & set(other.leaders):
            return True
        if any(role.government == other.key for key in one.leaders for role in ctx.person(key).roles):
            return True
    return False


def _fact(recognition: Recognition) -> FactRef:
    return FactRef("recognition", recognition.key)


def _recognizers(ctx: Context, government_key: str) -> set[str]:
    return {
        r.country for r in ctx.recognitions if r.stance is Stance.RECOGNIZED and r.government == government_key
    }


def _recognized_by_country(ctx: Context, country: str) -> set[str]:
    return {
        r.government
        for r in ctx.recognitions
        if r.country == country and r.stance is Stance.RECOGNIZED and r.government
    }


def stance_phrase(ctx: Context, recognition: Recognition) -> str:
    """What the country did, as a past-tense verb phrase."""
    government = ctx.government(recognition.government).name if recognition.government else None
    if recognition.stance is Stance.RECOGNIZED:
        return f"recognized {government}" if government else "recognized a Peruvian government"
    if recognition.stance is Stance.ABSTAINED:
        if government:
            return f"abstained from recognizing {government}"
        return "abstained from taking sides between the rival Peruvian governments"
    return f"condemned {government}" if government else "condemned the Chilean invasion of Peru"


def _country_has_several(ctx: Context, recognition: Recognition) -> bool:
    return sum(r.country == recognition.country for r in ctx.recognitions) > 1


def _explanation(ctx: Context, recognition: Recognition) -> str:
    when = f" {on_phrase(recognition.date)}" if recognition.date else ""
    return explain(
        f"{country_in_text(recognition.country)} {stance_phrase(ctx, recognition)}{when}", recognition.description
    )


def _stance(ctx: Context, recognition: Recognition) -> Candidates:
    """A statement of the stance, or a false claim that the country recognized another government."""
    fact = _fact(recognition)
    country = country_in_text(recognition.country)
    if recognition.date:
        claim = f"{country} {stance_phrase(ctx, recognition)} {on_phrase(recognition.date)}."
    elif _country_has_several(ctx, recognition):
        claim = f"{country} at one point {stance_phrase(ctx, recognition)}."
    else:
        claim = f"{country} {stance_phrase(ctx, recognition)}."
    statements = [(claim, True)]
    not_recognized = _unrecognized_governments(ctx, recognition.country)
    rng = statement_rng(fact.question_id("stance"))
    if not_recognized:
        statements.append((f"{country} recognized {rng.choice(not_recognized).name}.", False))
        if rng.random() < 0.5:
            statements.reverse()
    return true_false(fact, "stance", Topic.RECOGNITIONS, statements, _explanation(ctx, recognition))


def _stance_choice(ctx: Context, recognition: Recognition) -> Candidates:
    """The country's stance among stances it certainly did not take.

    A country's other recorded stances are never offered; "abstained" is
    offered only to a country that recognized some government, and
    "condemned" never, since the facts do not say who else condemned Chile.
    """
    country = country_in_text(recognition.country)
    own = [r for r in ctx.recognitions if r.country == recognition.country]
    wrong = [f"Recognized {g.name}" for g in _unrecognized_governments(ctx, recognition.country)]
    if any(r.stance is Stance.RECOGNIZED for r in own) and not any(r.stance is Stance.ABSTAINED for r in own):
        wrong.append(capitalize_first(stance_phrase(ctx, Recognition("", recognition.country, Stance.ABSTAINED, ""))))
    return multiple_choice(
        ctx.seed, _fact(recognition), "stance-choice", Topic.RECOGNITIONS,
        [f"which of these describes {country}{_possessive(country)} stance on the rival Peruvian governments?"],
        capitalize_first(stance_phrase(ctx, recognition)), [sorted(wrong)],
        _explanation(ctx, recognition),
        exclude=[capitalize_first(stance_phrase(ctx, r)) for r in own],
    )  # fmt: skip


def _recognized_government(ctx: Context, recognition: Recognition) -> Candidates:
    if recognition.stance is not Stance.RECOGNIZED or not recognition.government:
        return []
    country = country_in_text(recognition.country)
    prompts = [f"which of these governments did {country} recognize?"]
    if recognition.date:
        prompts.append(f"which of these governments did {country} recognize {on_phrase(recognition.date)}?")
    others = sorted(capitalize_first(g.name) for g in _unrecognized_governments(ctx, recognition.country))
    return multiple_choice(
        ctx.seed, _fact(recognition), "government", Topic.RECOGNITIONS, prompts,
        capitalize_first(ctx.government(recognition.government).name), [others],
        _explanation(ctx, recognition),
    )  # fmt: skip


def _representative(ctx: Context, recognition: Recognition) -> Candidates:
    """Who spoke for the country: other countries' envoys first as distractors."""
    if not recognition.representative:
        return []
    person = ctx.person(recognition.representative)
    own_country = {r.representative for r in ctx.recognitions if r.country == recognition.country}
    mentioned = {p.key for p in ctx.people if mentions(recognition.description, p)}
    excluded = own_country | mentioned | {person.key}
    envoys = sorted(
        {person_label(ctx.person(r.representative)) for r in ctx.recognitions if r.representative}
        - {person_label(ctx.person(key)) for key in excluded if key}
    )
    same, other = ctx.distractor_people(person, excluded)
    country = country_in_text(recognition.country)
    return multiple_choice(
        ctx.seed, _fact(recognition), "representative", Topic.RECOGNITIONS,
        [f"who spoke for {country} when it {stance_phrase(ctx, recognition)}?"],
        person_label(person), [envoys, same, other], _explanation(ctx, recognition),
    )  # fmt: skip


def _recognition_date(ctx: Context, recognition: Recognition) -> Candidates:
    if not recognition.date:
        return []
    country = country_in_text(recognition.country)
    return free_answer(
        _fact(recognition), "when", Topic.RECOGNITIONS, QuestionType.DATE,
        [f"{asking_when(recognition.date)} did {country} {_present(stance_phrase(ctx, recognition))}?"],
        recognition.date.display(), _explanation(ctx, recognition),
    )  # fmt: skip


def _present(phrase: str) -> str:
    """``recognized X`` -> ``recognize X``, for "when did ... recognize X?"."""
    verb, _, rest = phrase.partition(" ")
    base = {"recognized": "recognize", "abstained": "abstain", "condemned": "condemn"}.get(verb, verb)
    return f"{base} {rest}".strip()


# -- capitals ----------------------------------------------------------------


def _capital_fact(capital: Capital) -> FactRef:
    return FactRef("capital", capital.key)


def _capital_statement(ctx: Context, capital: Capital, place_name: str) -> str:
    return f"{place_name} was the {capital.status} capital of Peru{period_phrase(capital.start, capital.end)}"


def _no_capital_statement(ctx: Context, capital: Capital) -> str:
    period = period_phrase(capital.start, capital.end)
    de_jure = [c for c in ctx.capitals if c.place and fold(c.status) == "de jure"]
    apart = f"apart from its de jure capital {ctx.place(de_jure[0].place).name}, " if de_jure else ""
    return f"{apart}Peru had no fixed capital{period}"


def _capital_explanation(ctx: Context, capital: Capital) -> str:
    if capital.place:
        return explain(_capital_statement(ctx, capital, ctx.place(capital.place).name), capital.description)
    return explain(_no_capital_statement(ctx, capital), capital.description)


def _non_capital_places(ctx: Context, capital: Capital) -> list[list[str]]:
    """Places that were never a capital of any kind, and not like one."""
    capital_places = {c.place for c in ctx.capitals if c.place}
    if capital.place:
        return ctx.distractor_places(ctx.place(capital.place), capital_places)
    usable = [
        p.name
        for p in ctx.places
        if p.key not in capital_places and not any(ctx.places_confusable(p, ctx.place(k)) for k in capital_places)
    ]
    return [sorted(usable)]


def _capital_where(ctx: Context, capital: Capital) -> Candidates:
    if not capital.place:
        return []
    period = period_phrase(capital.start, capital.end)
    return multiple_choice(
        ctx.seed, _capital_fact(capital), "where", Topic.EVENTS,
        [f"which place was the {capital.status} capital of Peru{period}?"],
        ctx.place(capital.place).name, _non_capital_places(ctx, capital),
        _capital_explanation(ctx, capital),
    )  # fmt: skip


def _capital_true_false(ctx: Context, capital: Capital) -> Candidates:
    fact = _capital_fact(capital)
    if not capital.place:
        statement = (f"{_no_capital_statement(ctx, capital)}.", True)
        return true_false(fact, "true-false", Topic.EVENTS, [statement], _capital_explanation(ctx, capital))
    statements = [(f"{_capital_statement(ctx, capital, ctx.place(capital.place).name)}.", True)]
    # The most plausible wrong place: one of the same kind when there is one.
    wrong = next((tier for tier in _non_capital_places(ctx, capital) if tier), [])
    rng = statement_rng(fact.question_id("true-false"))
    if wrong:
        statements.append((f"{_capital_statement(ctx, capital, rng.choice(wrong))}.", False))
        if rng.random() < 0.5:
            statements.reverse()
    return true_false(fact, "true-false", Topic.EVENTS, statements, _capital_explanation(ctx, capital))


def _capital_since(ctx: Context, capital: Capital) -> Candidates:
    if not capital.start:
        return []
    if capital.place:
        place = ctx.place(capital.place).name
        prompt = f"{asking_when(capital.start)} did {place} become the {capital.status} capital of Peru?"
    else:
        prompt = f"{asking_when(capital.start)} was the capital of Peru {capital.status}?"
    return free_answer(
        _capital_fact(capital), "since", Topic.DATES, QuestionType.DATE, [prompt],
        capital.start.display(), _capital_explanation(ctx, capital),
    )  # fmt: skip
