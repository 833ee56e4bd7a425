"""Loading the fact files: the real data, and clear errors for broken files."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest

from quizapp.domain.dates import PartialDate
from quizapp.domain.facts import EventKind, FactBank, FactsError, Stance, load_facts

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
    assert len(bank.events) >= 40
    assert len(bank.governments) >= 7
    assert len(bank.capitals) >= 4
    assert len(bank.recognitions) >= 14


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


def test_the_two_accounts_of_the_end_in_arequipa_are_both_kept(bank: FactBank) -> None:
    leaves = bank.event("montero-leaves-arequipa-infobox")
    occupied = bank.event("occupation-of-arequipa")
    assert (leaves.date, leaves.source) == (PartialDate(1883, 10, 27), "infobox")
    assert (occupied.date, occupied.source) == (PartialDate(1883, 10, 29), "body")
    assert "29 October 1883" in leaves.note
    assert "27 October 1883" in occupied.note
    body_account = bank.event("montero-leaves-arequipa")
    assert (body_account.name, body_account.source) == (leaves.name, "body")
    assert body_account.date == PartialDate(1883)


@pytest.mark.parametrize(
    ("key", "iso"),
    [
        ("declaration-of-war", "1879-04-05"),
        ("beginning-of-the-resistance-infobox", "1881-03-12"),
        ("national-assembly-of-ayacucho", "1881-07-28"),
        ("statute-of-1881", "1881-07-29"),
        ("pierola-cabinet-formed", "1881-10"),
        ("pierola-resigns", "1881-11-28"),
        ("villavicencio-occupies-chincha", "1881-12"),
        ("capture-of-chincha-baja", "1882-01-06"),
        ("erice-takes-chincha", "1882-01-07"),
        ("second-chincha-expedition", "1882-01-28"),
        ("montero-moves-to-huaraz", "1882-06"),
        ("mantaro-valley-taken", "1882-07"),
        ("caceres-headquarters-tarma", "1882-07-18"),
        ("attack-at-tambo-de-mora", "1882-07-27"),
        ("attack-at-chincha", "1882-07-29"),
        ("chileans-return-to-lima", "1882-08"),
        ("montero-reaches-arequipa", "1882-08-31"),
        ("cry-of-montan", "1882-08-31"),
        ("fight-for-cajamarca", "1882-11-17"),
        ("execution-of-pachas", "1882-12-25"),
        ("regenerator-government-founded", "1883-01-01"),
        ("santa-maria-order-to-lynch", "1883-02-09"),
        ("battle-of-huamachuco", "1883-07-10"),
        ("treaty-of-ancon", "1883-10-20"),
    ],
)
def test_event_dates_keep_the_article_precision(bank: FactBank, key: str, iso: str) -> None:
    assert bank.event(key).date.iso() == iso


def test_a_span_of_days_keeps_its_last_day(bank: FactBank) -> None:
    assert bank.event("second-chincha-expedition").end == PartialDate(1882, 1, 29)


def test_no_alias_is_a_name_two_people_share(bank: FactBank) -> None:
    aliases = [alias.casefold() for person in bank.people for alias in person.aliases]
    assert len(aliases) == len(set(aliases))
    assert not {"andrés", "iglesias", "garcía"} & set(aliases)
    assert "Piérola" in bank.person("pierola").aliases
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


def test_schema_is_valid_and_its_enums_match_the_code() -> None:
    schema = json.loads((QUESTIONS / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    definitions = schema["$defs"]
    assert definitions["event"]["properties"]["kind"]["enum"] == [kind.value for kind in EventKind]
    assert definitions["recognition"]["properties"]["stance"]["enum"] == [stance.value for stance in Stance]


# -- broken files ----------------------------------------------------------------

PLACES = """\
places:
  - key: lima
    name: Lima
    kind: city
    description: The capital.
"""

PEOPLE = """\
people:
  - key: pierola
    name: Nicolás de Piérola
    nationality: Peruvian
    description: President.
    aliases: [Piérola]
    roles:
      - office: President of Peru
        start: "1879"
        end: "1881"
"""

EVENTS = """\
events:
  - key: treaty-of-ancon
    name: the signing of the Treaty of Ancón
    kind: treaty
    date: "1883-10-20"
    place: lima
    people: [pierola]
    description: The peace treaty.
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
    assert bank.person("pierola").roles[0].start == PartialDate(1879)
    assert bank.event("treaty-of-ancon").place == "lima"


def test_missing_field(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE.replace("    description: President.\n", "")))
    assert (error.file.name, error.entry, error.field) == ("people.yaml", "pierola", "description")
    assert str(error) == (
        "questions/people.yaml: entry 'pierola', field 'description': this required field is missing (line 2)"
    )


def test_bad_date_form(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE.replace('start: "1879"', 'start: "1881-13"')))
    assert (error.entry, error.field, error.line) == ("pierola", "roles[0].start", 9)
    assert str(error) == (
        "questions/people.yaml: entry 'pierola', field 'roles[0].start': "
        "'1881-13' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD (line 9)"
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
    assert (error.file.name, error.line) == ("places.yaml", 6)
    assert "'name' appears twice in the same mapping" in str(error)


def test_unknown_field(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, places=PLACES + "    population: 100000\n"))
    assert (error.entry, error.field) == ("lima", "population")
    assert error.message.startswith("unknown field; the fields allowed here are aliases, description, key, kind, name")


def test_unknown_section(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, places=PLACES.replace("places:", "towns:")))
    assert (error.file.name, error.entry) == ("places.yaml", None)
    assert str(error).startswith("questions/places.yaml, line 1: unknown section 'towns'; the sections are ")


def test_entry_without_a_key_is_named_by_index(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, places=PLACES + "  - name: Callao\n    kind: port\n    description: Port.\n"))
    assert (error.entry, error.field, error.kind) == (1, "key", "places")
    assert str(error) == "questions/places.yaml: entry places[1], field 'key': this required field is missing (line 6)"


def test_period_that_ends_before_it_starts(tmp_path: Path) -> None:
    error = load_error(write_facts(tmp_path, people=PEOPLE.replace('end: "1881"', 'end: "1878-05"')))
    assert (error.entry, error.field) == ("pierola", "roles[0].end")
    assert error.message == "1878-05 is before the start, roles[0].start 1879"


def test_partial_dates_are_compared_at_the_precision_both_have(tmp_path: Path) -> None:
    people = PEOPLE.replace('start: "1879"', 'start: "1881-07"').replace('end: "1881"', 'end: "1881"')
    assert load_facts(write_facts(tmp_path, people=people)).person("pierola").roles[0].start == PartialDate(1881, 7)


def test_unquoted_dates_and_bare_years_are_accepted(tmp_path: Path) -> None:
    events = EVENTS.replace('date: "1883-10-20"', "date: 1883-10-20")
    people = PEOPLE.replace('start: "1879"', "start: 1879")
    bank = load_facts(write_facts(tmp_path, events=events, people=people))
    assert bank.event("treaty-of-ancon").date == PartialDate(1883, 10, 20)
    assert bank.person("pierola").roles[0].start == PartialDate(1879)


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
        "use lowercase letters and digits joined by single hyphens (line 11)"
    )


def test_an_undefined_capital_has_no_place(tmp_path: Path) -> None:
    capitals = """\
        capitals:
          - key: undefined-1881
            status: undefined
            place: lima
            description: No capital.
        """
    error = load_error(write_facts(tmp_path, governments=capitals))
    assert (error.file.name, error.entry, error.field) == ("governments.yaml", "undefined-1881", "place")


def test_empty_directory(tmp_path: Path) -> None:
    shutil.copy(QUESTIONS / "schema.json", tmp_path / "schema.json")
    error = load_error(tmp_path)
    assert error.message == "no .yaml fact files in this directory"
