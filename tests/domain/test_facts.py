"""Loading the fact files: the real data, and clear errors for broken files."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest

from quizapp.domain.facts import EventKind, Evidence, FactBank, FactsError, ProposalKind, Stance, load_facts
from quizapp.domain.when import When

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"

RECOGNITION_COUNTRIES = {
    "Argentina",
    "Bolivia",
    "Costa Rica",
    "Denmark",
    "El Salvador",
    "Honduras",
    "Nicaragua",
    "Uruguay",
    "United States",
    "Switzerland",
    "Venezuela",
}


@pytest.fixture(scope="module")
def bank() -> FactBank:
    return load_facts(QUESTIONS)


# -- the real data -------------------------------------------------------------


def test_real_data_loads_with_sane_counts(bank: FactBank) -> None:
    assert len(bank.places) >= 30
    assert len(bank.people) >= 20
    assert len(bank.events) >= 55
    assert len(bank.governments) >= 7
    assert len(bank.capitals) >= 4
    assert len(bank.recognitions) >= 14
    assert len(bank.proposals) >= 10
    assert len(bank.names) >= 8


def test_every_fact_and_role_carries_evidence(bank: FactBank) -> None:
    kinds = ("places", "people", "events", "governments", "capitals", "recognitions", "proposals", "names")
    items = [item for kind in kinds for item in getattr(bank, kind)]
    items += [role for person in bank.people for role in person.roles]
    assert all(item.evidence is not None and item.evidence.sections and item.evidence.says for item in items)
    assert bank.event("mantaro-valley-taken").evidence == Evidence(
        ("Arequipa",), "Cáceres' army gained control of the Mantaro Valley by July 1882, in the 1882 counteroffensive."
    )


def test_every_country_of_the_article_has_a_stance(bank: FactBank) -> None:
    countries = {recognition.country for recognition in bank.recognitions}
    assert countries == RECOGNITION_COUNTRIES | {"Chile"}


def test_countries_with_two_stances_have_two_entries(bank: FactBank) -> None:
    stances = {(r.country, r.stance, r.government) for r in bank.recognitions}
    assert ("Bolivia", Stance.ABSTAINED, None) in stances
    assert ("Bolivia", Stance.RECOGNIZED, "arequipa-government") in stances
    assert ("Venezuela", Stance.CONDEMNED, None) in stances
    assert ("Venezuela", Stance.RECOGNIZED, "ayacucho-government") in stances
    assert ("Argentina", Stance.ABSTAINED, None) in stances
    assert ("Chile", Stance.RECOGNIZED, "regenerator-government") in stances


def test_magdalena_recognitions(bank: FactBank) -> None:
    magdalena = {r.country for r in bank.recognitions if r.government == "la-magdalena-government"}
    assert magdalena == {
        "Costa Rica",
        "Denmark",
        "El Salvador",
        "Honduras",
        "Nicaragua",
        "Uruguay",
        "United States",
        "Switzerland",
    }
    united_states = next(r for r in bank.recognitions if r.country == "United States")
    assert united_states.representative == "christiancy"


@pytest.mark.parametrize(
    ("key", "iso"),
    [
        ("declaration-of-war", "1879-04-05"),
        ("chilean-army-reaches-lima", "by early 1881"),
        ("national-assembly-of-ayacucho", "1881-07-28"),
        ("pierola-gives-up-dictatorship", "after 1881-07-28 within 1881"),
        ("statute-of-1881", "1881-07-29"),
        ("pierola-cabinet-formed", "1881-10"),
        ("pierola-resigns", "1881-11-28"),
        ("villavicencio-occupies-chincha", "1881-12"),
        ("capture-of-chincha-baja", "1882-01-06"),
        ("erice-takes-chincha", "1882-01-07"),
        ("second-chincha-expedition", "1882-01-28/1882-01-29"),
        ("montero-moves-to-huaraz", "1882-06"),
        ("mantaro-valley-taken", "by 1882-07 within 1882"),
        ("caceres-headquarters-tarma", "1882-07-18"),
        ("attack-at-tambo-de-mora", "1882-07-27"),
        ("attack-at-chincha", "1882-07-29"),
        ("chileans-return-to-lima", "by early 1882-08 within 1882"),
        ("montero-reaches-arequipa", "1882-08-31"),
        ("cry-of-montan", "1882-08-31"),
        ("us-mediation-turns-to-chile", "by 1882"),
        ("fight-for-cajamarca", "1882-11-17"),
        ("capture-of-pachas", "late 1882"),
        ("execution-of-pachas", "1882-12-25"),
        ("regenerator-government-founded", "1883-01-01"),
        ("santa-maria-order-to-lynch", "1883-02-09"),
        ("battle-of-huamachuco", "1883-07-10"),
        ("treaty-of-ancon", "1883-10-20"),
        ("montero-leaves-arequipa", "1883-10-27"),
        ("occupation-of-arequipa", "1883-10-29"),
        ("pierola-returns-to-lima", "after 1883-10-20"),
    ],
)
def test_event_dates_say_exactly_what_the_article_says(bank: FactBank, key: str, iso: str) -> None:
    assert bank.event(key).date.iso() == iso


@pytest.mark.parametrize(
    "key", ["caceres-in-chosica", "garcia-y-garcia-appointed", "garcia-calderon-deported", "garfield-assassinated"]
)
def test_events_the_article_does_not_date_have_no_date(bank: FactBank, key: str) -> None:
    assert bank.event(key).date is None


@pytest.mark.parametrize(
    "key",
    [
        "chile-denounces-costa-rican-arms",
        "costa-rican-arms-proven",
        "sunampe-fighters-take-up-arms",
        "pierola-gives-up-dictatorship",
        "statute-of-1881",
        "garcia-y-garcia-appointed",
        "cry-of-montan",
        "execution-of-pachas",
    ],
)
def test_events_the_article_places_nowhere_have_no_place(bank: FactBank, key: str) -> None:
    assert not bank.event(key).all_places


def test_pierola_stays_president_until_he_resigns_in_november_1881(bank: FactBank) -> None:
    president = bank.person("pierola").roles[0]
    assert (president.office, president.start.iso(), president.end.iso()) == ("President of Peru", "1879", "1881-11-28")
    assert president.successor == "montero"


def test_caceres_never_led_the_arequipa_government(bank: FactBank) -> None:
    assert bank.government("arequipa-government").leaders == ("montero",)
    handed_over = next(role for role in bank.person("caceres").roles if role.office.startswith("head of"))
    assert handed_over.named_only and handed_over.appointed_by == "montero"
    assert handed_over.start.iso() == "after 1883-10-27"


def test_the_two_accounts_of_the_beginning_are_told_in_plain_words(bank: FactBank) -> None:
    republic = bank.government("peruvian-republic")
    assert republic.start.iso() == "1881-03-12"
    assert "no official founding date" in republic.caveat


def test_aliases_name_one_person_each_and_give_every_leader_a_surname(bank: FactBank) -> None:
    aliases = [alias.casefold() for person in bank.people for alias in person.aliases]
    assert len(aliases) == len(set(aliases))
    assert not {"andrés", "garcía"} & set(aliases)
    assert {"Piérola", "José Nicolás de Piérola"} <= set(bank.person("pierola").aliases)
    assert {"Montero", "Montero Flores"} <= set(bank.person("montero").aliases)
    assert "Iglesias" in bank.person("iglesias").aliases
    assert "Cáceres" in bank.person("caceres").aliases


def test_governments_and_capitals(bank: FactBank) -> None:
    assert bank.government("ayacucho-government").seat == "ayacucho"
    assert bank.government("regenerator-government").leaders == ("iglesias",)
    assert bank.government("chilean-occupation").leaders == ("lynch",)
    statuses = {capital.key: (capital.status, capital.place) for capital in bank.capitals}
    assert statuses == {
        "lima-de-jure": ("de jure", "lima"),
        "undefined-1881": ("undefined", None),
        "pierola-de-facto-capital": ("de facto", "ayacucho"),
        "arequipa-provisional-capital": ("provisional", "arequipa"),
    }


def test_schema_is_valid_and_its_enums_and_patterns_match_the_code() -> None:
    schema = json.loads((QUESTIONS / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    definitions = schema["$defs"]
    assert definitions["event"]["properties"]["kind"]["enum"] == [kind.value for kind in EventKind]
    assert definitions["proposal"]["properties"]["kind"]["enum"] == [kind.value for kind in ProposalKind]
    assert definitions["recognition"]["properties"]["stance"]["enum"] == [stance.value for stance in Stance]
    pattern = re.compile(definitions["when"]["pattern"])
    for text in ("1881", "1881-07", "1881-07-28", "by 1882-07 within 1882", "late 1883", "1882-01-28/1882-01-29"):
        assert pattern.match(text) and When.parse(text).iso() == text
    for text in ("1881-7", "around 1881", "by late", "1881/", "early 1881-07-02x"):
        assert not pattern.match(text)


# -- broken files ----------------------------------------------------------------

EVIDENCE = "evidence: {section: Background, says: Said in our own words.}"

PLACES = f"""\
places:
  - key: lima
    name: Lima
    kind: city
    description: The capital.
    {EVIDENCE}
"""

PEOPLE = f"""\
people:
  - key: pierola
    name: Nicolás de Piérola
    nationality: Peruvian
    description: President.
    aliases: [Piérola]
    {EVIDENCE}
    roles:
      - office: President of Peru
        start: "1879"
        end: "1881"
        {EVIDENCE}
"""

EVENTS = f"""\
events:
  - key: treaty-of-ancon
    name: the signing of the Treaty of Ancón
    kind: treaty
    date: "1883-10-20"
    place: lima
    people: [pierola]
    description: The peace treaty.
    {EVIDENCE}
"""


def write_facts(tmp_path: Path, **files: str) -> Path:
    """A questions/ directory with the real schema, small valid files, and ``files`` on top."""
    directory = tmp_path / "questions"
    directory.mkdir()
    shutil.copy(QUESTIONS / "schema.json", directory / "schema.json")
    contents = {"places": PLACES, "people": PEOPLE, "events": EVENTS, **files}
    for name, text in contents.items():
        (directory / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def load_error(directory: Path) -> FactsError:
    with pytest.raises(FactsError) as caught:
        load_facts(directory)
    return caught.value


def test_the_small_valid_files_load(tmp_path: Path) -> None:
    bank = load_facts(write_facts(tmp_path))
    assert bank.person("pierola").roles[0].start == When.parse("1879")
    assert bank.event("treaty-of-ancon").place == "lima"


def test_missing_field(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE.replace("    description: President.\n", "")))
    assert (error.file.name, error.entry, error.field) == ("people.yaml", "pierola", "description")
    assert str(error) == (
        "questions/people.yaml: entry 'pierola', field 'description': this required field is missing (line 2)"
    )


def test_bad_date_form(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE.replace('start: "1879"', 'start: "1881-13"')))
    assert (error.entry, error.field, error.line) == ("pierola", "roles[0].start", 10)
    assert str(error) == (
        "questions/people.yaml: entry 'pierola', field 'roles[0].start': '1881-13' is not a real date: "
        "month 13 is not between 1 and 12 (line 10)"
    )


def test_bad_precision_form(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE.replace('start: "1879"', 'start: "around 1879"')))
    assert (error.entry, error.field) == ("pierola", "roles[0].start")
    assert error.message.startswith("'around 1879' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, optionally after")


def test_bad_evidence_section(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, places=PLACES.replace("section: Background", "section: Prologue")))
    assert (error.entry, error.field) == ("lima", "evidence.section")
    assert error.message.startswith("'Prologue' is not a section of the article (or a list of them): Infobox, ")


def test_missing_evidence(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, events=EVENTS.replace(f"    {EVIDENCE}\n", "")))
    assert (error.entry, error.field, error.message) == (
        "treaty-of-ancon",
        "evidence",
        "this required field is missing",
    )


def test_range_that_ends_before_it_starts(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, events=EVENTS.replace('"1883-10-20"', '"1883-10-20/1883-10-02"')))
    assert error.message == (
        "'1883-10-20/1883-10-02' is not a real date: the range ends (1883-10-02) before it starts (1883-10-20)"
    )


def test_date_that_is_not_on_the_calendar(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, events=EVENTS.replace('"1883-10-20"', '"1883-02-30"')))
    assert str(error) == (
        "questions/events.yaml: entry 'treaty-of-ancon', field 'date': "
        "'1883-02-30' is not a real date: February 1883 has no day 30 (line 5)"
    )


def test_unknown_reference(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, events=EVENTS.replace("place: lima", "place: limaa")))
    assert str(error) == (
        "questions/events.yaml: entry 'treaty-of-ancon', field 'place': "
        "unknown place 'limaa'; did you mean 'lima'? (line 6)"
    )


def test_unknown_reference_in_a_list(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, events=EVENTS.replace("[pierola]", "[pierola, caceres]")))
    assert (error.entry, error.field, error.message) == ("treaty-of-ancon", "people[1]", "unknown person 'caceres'")


def test_duplicate_key_across_files(tmp_path: Path) -> None:
    directory = write_facts(tmp_path, more_people=PEOPLE.replace("name: Nicolás de Piérola", "name: Someone Else"))
    error = load_error(directory)
    assert (error.file.name, error.entry, error.field) == ("people.yaml", "pierola", "key")
    assert str(error) == (
        "questions/people.yaml: entry 'pierola', field 'key': "
        "duplicate key: another person has it, at questions/more_people.yaml line 2 (line 2)"
    )


def test_bad_enum(tmp_path: Path) -> None:
    recognitions = """\
        recognitions:
          - key: argentina-abstains
            country: Argentina
            stance: ignored
            description: Argentina stayed out.
            evidence: {section: Foreign relations, says: Argentina said it would not act.}
        """
    error = load_error(write_facts(tmp_path, recognitions=recognitions))
    assert str(error) == (
        "questions/recognitions.yaml: entry 'argentina-abstains', field 'stance': "
        "'ignored' is not one of: recognized, abstained, condemned (line 4)"
    )


def test_yaml_syntax_error_has_file_and_line(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, events=EVENTS.replace("kind: treaty", "kind: [treaty")))
    assert (error.file.name, error.entry, error.field) == ("events.yaml", None, None)
    assert error.line == 5
    assert str(error).startswith("questions/events.yaml, line 5: column ")
    assert "YAML syntax error" in str(error)


def test_a_field_written_twice_is_an_error(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, places=PLACES + "    name: Lima again\n"))
    assert (error.file.name, error.line) == ("places.yaml", 7)
    assert "'name' appears twice in the same mapping" in str(error)


def test_unknown_field(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, places=PLACES + "    population: 100000\n"))
    assert (error.entry, error.field) == ("lima", "population")
    assert error.message == (
        "unknown field; the fields allowed here are aliases, description, es, evidence, key, kind, name, near"
    )


def test_unknown_section(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, places=PLACES.replace("places:", "towns:")))
    assert (error.file.name, error.entry) == ("places.yaml", None)
    assert str(error).startswith("questions/places.yaml, line 1: unknown section 'towns'; the sections are ")


def test_entry_without_a_key_is_named_by_index(tmp_path: Path) -> None:
    callao = f"  - name: Callao\n    kind: port\n    description: Port.\n    {EVIDENCE}\n"
    error = load_error(write_facts(tmp_path, places=PLACES + callao))
    assert (error.entry, error.field, error.kind) == (1, "key", "places")
    assert str(error) == "questions/places.yaml: entry places[1], field 'key': this required field is missing (line 7)"


def test_period_that_ends_before_it_starts(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE.replace('end: "1881"', 'end: "1878-05"')))
    assert (error.entry, error.field) == ("pierola", "roles[0].end")
    assert error.message == "1878-05 is before the start, roles[0].start 1879"


def test_partial_dates_are_compared_at_the_precision_both_have(tmp_path: Path) -> None:
    people = PEOPLE.replace('start: "1879"', 'start: "1881-07"').replace('end: "1881"', 'end: "1881"')
    assert load_facts(write_facts(tmp_path, people=people)).person("pierola").roles[0].start == When.parse("1881-07")


def test_unquoted_dates_and_bare_years_are_accepted(tmp_path: Path) -> None:
    events = EVENTS.replace('date: "1883-10-20"', "date: 1883-10-20")
    people = PEOPLE.replace('start: "1879"', "start: 1879")
    bank = load_facts(write_facts(tmp_path, events=events, people=people))
    assert bank.event("treaty-of-ancon").date == When.parse("1883-10-20")
    assert bank.person("pierola").roles[0].start == When.parse("1879")


def test_a_date_with_a_time_is_rejected(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, events=EVENTS.replace('"1883-10-20"', "1883-10-20 10:00:00")))
    assert (error.entry, error.field) == ("treaty-of-ancon", "date")
    assert "is a date and time" in error.message


RELATIVE = (
    "  - key: pierola-relative\n"
    "    name: Somebody de Piérola\n"
    "    nationality: Peruvian\n"
    "    description: A relative.\n"
    "    aliases: [Piérola]\n"
    f"    {EVIDENCE}\n"
)


def test_an_alias_naming_two_people_is_rejected(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE + RELATIVE))
    assert (error.entry, error.field) == ("pierola-relative", "aliases[0]")
    assert error.message == "'Piérola' also names 'pierola'; leave it out"


def test_an_alias_that_differs_only_in_accents_is_rejected(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE.replace("[Piérola]", "[Piérola, PIEROLA]")))
    assert (error.entry, error.field) == ("pierola", "aliases[1]")
    assert error.message == "'PIEROLA' is 'Piérola' again, apart from case or accents"


def test_invalid_key(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE + RELATIVE.replace("pierola-relative", "Piérola_Relative")))
    assert str(error) == (
        "questions/people.yaml: entry 'Piérola_Relative', field 'key': 'Piérola_Relative' is not a valid key: "
        "use lowercase letters and digits joined by single hyphens (line 13)"
    )


def test_an_undefined_capital_has_no_place(tmp_path: Path) -> None:
    capitals = """\
        capitals:
          - key: undefined-1881
            status: undefined
            place: lima
            description: No capital.
            evidence: {section: Infobox, says: The capital is undefined in 1881.}
        """
    error = load_error(write_facts(tmp_path, governments=capitals))
    assert (error.file.name, error.entry, error.field) == ("governments.yaml", "undefined-1881", "place")


def test_empty_directory(tmp_path: Path) -> None:
    shutil.copy(QUESTIONS / "schema.json", tmp_path / "schema.json")
    error = load_error(tmp_path)
    assert error.message == "no .yaml fact files in this directory"
