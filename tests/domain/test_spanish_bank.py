"""The Spanish bank: Spanish dates, the facts' Spanish words, the Spanish version of each template, its checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.domain.dates import PartialDate
from quizapp.domain.facts import (
    Event,
    EventKind,
    FactBank,
    FactsError,
    Name,
    Office,
    Person,
    Place,
    Spanish,
    load_facts,
)
from quizapp.domain.generate import generate_bank
from quizapp.domain.generate_common import Generated
from quizapp.domain.generate_spanish import agree, capitalize_es, contract, listing, which_places
from quizapp.domain.languages import Language
from quizapp.domain.questions import QuestionText, QuestionType
from quizapp.domain.spanish_dates import spanish_date, spanish_display, spanish_phrase
from quizapp.domain.verify import Rule, verify_bank
from quizapp.domain.when import When

QUESTIONS_DIR = Path(__file__).parents[2] / "questions"
ES = Language.SPANISH


# -- dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (PartialDate(1881, 3, 12), "12 de marzo de 1881"),
        (PartialDate(1881, 3), "marzo de 1881"),
        (PartialDate(1881), "1881"),
    ],
)
def test_a_date_in_spanish_keeps_its_precision(date, text):
    assert spanish_date(date) == text


@pytest.mark.parametrize(
    ("when", "display", "phrase"),
    [
        ("1881-11-28", "28 de noviembre de 1881", "el 28 de noviembre de 1881"),
        ("1882-07", "julio de 1882", "en julio de 1882"),
        ("1883", "1883", "en 1883"),
        ("by 1882-07", "a más tardar en julio de 1882", "a más tardar en julio de 1882"),
        ("before 1883-10-29", "antes del 29 de octubre de 1883", "antes del 29 de octubre de 1883"),
        ("after 1883-10", "después de octubre de 1883", "después de octubre de 1883"),
        ("late 1883", "a fines de 1883", "a fines de 1883"),
        ("early 1882-08", "a inicios de agosto de 1882", "a inicios de agosto de 1882"),
        ("1882-01-28/1882-01-29", "del 28 al 29 de enero de 1882", "del 28 al 29 de enero de 1882"),
        ("1882-06/1882-08", "de junio a agosto de 1882", "de junio a agosto de 1882"),
        ("1881/1883", "de 1881 a 1883", "de 1881 a 1883"),
    ],
)
def test_a_when_in_spanish_says_as_much_as_in_english(when, display, phrase):
    assert spanish_display(When.parse(when)) == display
    assert spanish_phrase(When.parse(when)) == phrase


# -- grammar -------------------------------------------------------------------------


def test_spanish_grammar_helpers():
    assert contract("a", "el Gobierno de Arequipa") == "al Gobierno de Arequipa"
    assert contract("de", "el Callao") == "del Callao"
    assert contract("de", "la batalla de Huamachuco") == "de la batalla de Huamachuco"
    assert agree("los debates", "tuvo lugar") == "tuvieron lugar"
    assert agree("la batalla", "tuvo lugar") == "tuvo lugar"
    assert capitalize_es("¿en qué año?") == "¿En qué año?"
    assert listing(["Costa Rica", "Nicaragua", "Estados Unidos"]) == "Costa Rica, Nicaragua y Estados Unidos"
    assert which_places("ocupó", "la expedición") == "¿Cuál de estos lugares ocupó la expedición?"
    assert (
        which_places("vinieron de", "los pronunciamientos")
        == "¿De cuál de estos lugares vinieron los pronunciamientos?"
    )


# -- a small bank with its Spanish ---------------------------------------------------------


def es(**texts: str | tuple[str, ...]) -> Spanish:
    return Spanish(texts)


PLACES = tuple(
    Place(key, name, "town", f"{name}, a town.", es=es(name=spanish, description=f"{spanish}, un pueblo."))
    for key, name, spanish in (
        ("huamachuco", "Huamachuco", "Huamachuco"),
        ("tarma", "Tarma", "Tarma"),
        ("jauja", "Jauja", "Jauja"),
        ("pisco", "Pisco", "Pisco"),
        ("callao", "Callao", "el Callao"),
    )
)
CACERES = Person(
    "caceres", "Andrés Avelino Cáceres", "Peruvian", "Army commander.", aliases=("Cáceres",),
    roles=(Office("Minister of War", es=es(office="ministro de Guerra")),),
    es=es(aliases=("el general Cáceres",), description="Jefe militar."),
)  # fmt: skip
IGLESIAS = Person(
    "iglesias", "Miguel Iglesias", "Peruvian", "Northern chief.",
    roles=(
        Office("Military Chief of the North", es=es(office="jefe militar del Norte")),
        Office("Head of the Regenerator Government", es=es(office="jefe del Gobierno Regenerador")),
        Office("Argentine diplomat", es=es(office="diplomático argentino")),
    ),
    es=es(description="Jefe del norte."),
)  # fmt: skip
BATTLE = Event(
    "battle-of-huamachuco", "the Battle of Huamachuco", EventKind.BATTLE, "Cáceres was defeated.",
    When.parse("1883-07-10"), place="huamachuco", people=("caceres",), losers=("caceres",),
    es=es(name="la batalla de Huamachuco", description="Cáceres fue derrotado."),
)  # fmt: skip
DEBATES = Event(
    "debates", "the debates in Arequipa", EventKind.OTHER, "They debated.", When.parse("after 1883-07-10"),
    es=es(name="los debates en Arequipa", description="Debatieron."),
)  # fmt: skip
RESIGNATION = Event(
    "resignation", "Piérola's resignation", EventKind.RESIGNATION, "He resigned.", When.parse("1881-11-28"),
    place="jauja", es=es(name="la renuncia de Piérola", description="Renunció."),
)  # fmt: skip
ARRIVAL = Event(
    "arrival", "the arrival in Tarma", EventKind.MOVEMENT, "They arrived.", When.parse("1882-07"),
    es=es(name="la llegada a Tarma", description="Llegaron."),
)  # fmt: skip
BRENA = Name(
    "brena-campaign", "Breña campaign", "the name of the campaign in which the resistance peaked", "It peaked.",
    aliases=("the Breña campaign",),
    es=es(name="campaña de la Breña", aliases=("la campaña de la Breña",),
          called="el nombre de la campaña en la que la resistencia alcanzó su auge", description="Alcanzó su auge."),
)  # fmt: skip


def small_bank(**changes: object) -> FactBank:
    fields: dict[str, object] = {
        "places": PLACES,
        "people": (CACERES, IGLESIAS),
        "events": (BATTLE, DEBATES, RESIGNATION, ARRIVAL),
        "names": (BRENA,),
    }
    return FactBank(**(fields | changes))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def generated() -> dict[str, Generated]:
    return {item.draft.id: item for item in generate_bank(small_bank())}


def spanish_of(generated: dict[str, Generated], question_id: str) -> QuestionText:
    return generated[question_id].draft.translations[ES]


def test_a_date_question_in_spanish(generated):
    text = spanish_of(generated, "event:battle-of-huamachuco:when")
    assert text == QuestionText(
        prompt="¿En qué fecha tuvo lugar la batalla de Huamachuco?",
        answer="10 de julio de 1883",
        explanation="La batalla de Huamachuco tuvo lugar el 10 de julio de 1883 en Huamachuco. Cáceres fue derrotado.",
    )


def test_a_choice_keeps_the_english_options_order_and_key(generated):
    item = generated["event:battle-of-huamachuco:when-choice"]
    text = item.draft.translations[ES]
    assert text.prompt == "¿En cuál de estas fechas tuvo lugar la batalla de Huamachuco?"
    assert len(text.options) == len(item.draft.options) == 4
    assert text.options.index(text.answer) == item.draft.options.index(item.draft.answer)
    english_to_spanish = {"10 July 1883": "10 de julio de 1883"}
    assert english_to_spanish[item.draft.answer] == text.answer


def test_true_false_in_spanish_keeps_the_key(generated):
    item = generated["event:battle-of-huamachuco:outcome-true-false"]
    text = item.draft.translations[ES]
    assert text.options == ("Verdadero", "Falso")
    assert text.answer == ("Verdadero" if item.draft.answer == "True" else "Falso")
    assert text.prompt in (
        "La batalla de Huamachuco terminó con una derrota para Andrés Avelino Cáceres.",
        "La batalla de Huamachuco terminó con una victoria para Andrés Avelino Cáceres.",
    )


def test_a_plural_event_agrees_with_its_verb(generated):
    text = spanish_of(generated, "event:debates:date-true-false")
    assert text.prompt == "Los debates en Arequipa tuvieron lugar después del 10 de julio de 1883."


def test_a_typed_person_accepts_both_languages_forms(generated):
    item = generated["event:battle-of-huamachuco:loser"]
    assert item.draft.type is QuestionType.SHORT_ANSWER
    text = item.draft.translations[ES]
    assert text.prompt == "¿Quién sufrió la derrota en la batalla de Huamachuco?"
    assert text.answer == "Andrés Avelino Cáceres"
    assert text.accepted_answers == ("Cáceres", "el general Cáceres")
    assert item.draft.accepted_answers == ("Cáceres", "el general Cáceres")


def test_a_typed_name_accepts_the_other_languages_name(generated):
    item = generated["name:brena-campaign:name"]
    text = item.draft.translations[ES]
    assert text.prompt == "¿Cuál era el nombre de la campaña en la que la resistencia alcanzó su auge?"
    assert text.answer == "Campaña de la Breña"
    assert text.accepted_answers == ("the Breña campaign", "la campaña de la Breña", "Breña campaign")
    assert item.draft.answer == "Breña campaign"
    assert item.draft.accepted_answers == ("the Breña campaign", "Campaña de la Breña", "la campaña de la Breña")


def test_a_place_with_its_article_in_spanish(generated):
    item = generated["event:resignation:where"]
    text = item.draft.translations[ES]
    assert text.prompt == "¿Dónde tuvo lugar la renuncia de Piérola?"
    assert text.answer == "Jauja"
    spanish_names = {place.name: place.es.text("name").replace("el ", "El ") for place in PLACES}
    assert text.options == tuple(spanish_names[option] for option in item.draft.options)
    assert text.explanation == "La renuncia de Piérola tuvo lugar en Jauja. Renunció."


def test_an_office_in_spanish_is_lowercase_inside_a_sentence(generated):
    text = spanish_of(generated, "person:caceres:role-minister-of-war:office")
    assert text.prompt == "¿Cuál de estos cargos ocupó Andrés Avelino Cáceres?"
    assert text.explanation == "Andrés Avelino Cáceres se desempeñó como ministro de Guerra. Jefe militar."


def test_a_question_stays_in_english_while_a_fact_it_shows_lacks_its_spanish():
    untranslated = replace(BATTLE, es=Spanish({"name": "la batalla de Huamachuco"}))  # no description yet
    found = {item.draft.id: item for item in generate_bank(small_bank(events=(untranslated, DEBATES, RESIGNATION)))}
    assert found["event:battle-of-huamachuco:when"].draft.translations == {}
    assert ES in found["event:debates:date-true-false"].draft.translations


def test_the_small_bank_passes_the_verifier_in_both_languages(generated):
    assert verify_bank(small_bank(), list(generated.values())) == []


# -- the verifier on the Spanish version ------------------------------------------------------


def with_spanish(item: Generated, **changes: object) -> Generated:
    text = replace(item.draft.translations[ES], **changes)
    return replace(item, draft=replace(item.draft, translations={ES: text}))


def spanish_rules(item: Generated) -> list[Rule]:
    return [finding.rule for finding in verify_bank(small_bank(), [item])]


def test_spanish_words_about_the_source_are_refused(generated):
    item = generated["event:battle-of-huamachuco:when"]
    broken = with_spanish(item, explanation="Según el artículo, fue en 1883.")
    findings = verify_bank(small_bank(), [broken])
    assert [finding.rule for finding in findings] == [Rule.EDITORIAL_TEXT]
    assert findings[0].message.startswith("in Spanish, the explanation speaks about the source")


def test_a_spanish_version_with_another_key_or_options_disagrees(generated):
    item = generated["event:battle-of-huamachuco:when-choice"]
    text = item.draft.translations[ES]
    other = next(option for option in text.options if option != text.answer)
    assert spanish_rules(with_spanish(item, answer=other)) == [Rule.LANGUAGES_DISAGREE]
    assert spanish_rules(with_spanish(item, options=text.options[:3])) == [
        Rule.LANGUAGES_DISAGREE,  # three options, not four
        Rule.LANGUAGES_DISAGREE,  # nor the claim's values
    ]


def test_a_spanish_option_twice_is_refused(generated):
    item = generated["event:battle-of-huamachuco:when-choice"]
    text = item.draft.translations[ES]
    twice = (text.options[0], text.options[0].upper(), *text.options[2:])
    assert Rule.DUPLICATE_OPTION in spanish_rules(with_spanish(item, options=twice))


def test_a_spanish_typed_answer_in_its_own_stem_gives_it_away(generated):
    item = generated["event:battle-of-huamachuco:loser"]
    broken = with_spanish(item, prompt="¿Perdió Andrés Avelino Cáceres en Huamachuco?")
    assert spanish_rules(broken) == [Rule.GIVE_AWAY]


def test_two_spanish_stems_alike_are_ambiguous(generated):
    first, second = generated["event:resignation:when"], generated["event:battle-of-huamachuco:when"]
    same = with_spanish(second, prompt=first.draft.translations[ES].prompt)
    rules = [finding.rule for finding in verify_bank(small_bank(), [first, same])]
    assert rules == [Rule.AMBIGUOUS_STEM, Rule.AMBIGUOUS_STEM]


# -- loading ------------------------------------------------------------------------------------


def test_a_spanish_field_for_a_field_the_fact_lacks_is_refused(tmp_path):
    (tmp_path / "schema.json").write_text((QUESTIONS_DIR / "schema.json").read_text(encoding="utf-8"))
    (tmp_path / "places.yaml").write_text(
        "places:\n"
        "  - key: lima\n    name: Lima\n    kind: city\n    description: A city.\n"
        "    es: {name: Lima, called: la capital}\n"
        "    evidence: {section: Background, says: Lima was the capital of Peru.}\n",
        encoding="utf-8",
    )
    with pytest.raises(FactsError) as raised:
        load_facts(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path.name}/places.yaml: entry 'lima', field 'es.called': "
        "gives the Spanish of 'called', which this fact lacks (line 6)"
    )


def test_a_spanish_alias_naming_another_entry_is_refused(tmp_path):
    (tmp_path / "schema.json").write_text((QUESTIONS_DIR / "schema.json").read_text(encoding="utf-8"))
    place = "  - key: {key}\n    name: {name}\n    kind: city\n    description: A city.\n{es}" + (
        "    evidence: {{section: Background, says: A city of Peru at the time.}}\n"
    )
    (tmp_path / "places.yaml").write_text(
        "places:\n"
        + place.format(key="lima", name="Lima", es="")
        + place.format(key="callao", name="Callao", es="    es: {name: el Callao, aliases: [Lima]}\n"),
        encoding="utf-8",
    )
    with pytest.raises(FactsError) as raised:
        load_facts(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path.name}/places.yaml: entry 'callao', field 'es.aliases[0]': 'Lima' also names 'lima'; "
        "leave it out (line 11)"
    )


def test_the_real_bank_is_entirely_in_spanish_and_passes_the_verifier():
    facts = load_facts(QUESTIONS_DIR)
    bank = generate_bank(facts)
    assert [item.draft.id for item in bank if ES not in item.draft.translations] == []
    assert verify_bank(facts, bank) == []
