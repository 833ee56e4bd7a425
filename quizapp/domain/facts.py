"""The historical facts the question bank is generated from.

The data lives in human-editable YAML files under ``questions/``; this module
defines what a fact is and loads them. Every fact has a ``key`` that is unique
within its kind and stable over time (question ids are derived from it), and
carries :class:`Evidence`: where the article says it, in our own words.
Dates are :class:`~quizapp.domain.when.When` values, exactly as precise as the
article.
"""

from __future__ import annotations

import datetime
import difflib
import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
import yaml

from quizapp.domain.when import When


class Stance(StrEnum):
    """A country's attitude towards the rival Peruvian governments."""

    RECOGNIZED = "recognized"
    ABSTAINED = "abstained"
    CONDEMNED = "condemned"


class EventKind(StrEnum):
    DECLARATION = "declaration"
    CAMPAIGN = "campaign"
    OCCUPATION = "occupation"
    ASSEMBLY = "assembly"
    RESIGNATION = "resignation"
    PROCLAMATION = "proclamation"
    BATTLE = "battle"
    EXECUTION = "execution"
    CAPTURE = "capture"
    ORDER = "order"
    TREATY = "treaty"
    FOUNDING = "founding"
    MOVEMENT = "movement"  # a leader or army moving: a journey, a retreat, an exile
    APPOINTMENT = "appointment"
    ATTACK = "attack"
    UPRISING = "uprising"
    SUPPLY = "supply"
    OTHER = "other"


class ProposalKind(StrEnum):
    """What a proposal was: each kind is asked about in its own words."""

    AIM = "aim"
    PROPOSAL = "proposal"
    PLAN = "plan"
    MEDIATION = "mediation"
    TERMS = "terms"
    DEMAND = "demand"
    NEGOTIATION = "negotiation"
    ORDER = "order"
    EXPECTATION = "expectation"
    OFFER = "offer"
    SUPPORT = "support"


class MissingSpanish(LookupError):
    """A fact has no Spanish for a field a question shows: that question stays in English only."""


# The text fields a fact may give in Spanish (its ``es`` block): the Spanish of the English field of the same name.
SPANISH_FIELDS = (
    "name", "aliases", "description", "office", "status", "country", "caveat", "places_verb", "called", "content",
    "ask", "party", "to_party", "realized_as", "shown_on", "shown_on_aliases",
)  # fmt: skip


@dataclass(frozen=True)
class Spanish:
    """A fact's words in Spanish, by the name of the English field they translate (see ``spanish`` in schema.json)."""

    texts: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """The Spanish of the field ``name``.

        Raises:
            MissingSpanish: when the fact does not give it.
        """
        value = self.texts.get(name)
        if not isinstance(value, str) or not value:
            raise MissingSpanish(name)
        return value

    def get(self, name: str, default: str = "") -> str:
        value = self.texts.get(name)
        return value if isinstance(value, str) else default

    def many(self, name: str) -> tuple[str, ...]:
        """A list field (aliases), empty when not given."""
        value = self.texts.get(name, ())
        return value if isinstance(value, tuple) else ()


@dataclass(frozen=True)
class Evidence:
    """Where the article says a fact, for reviewers; never shown to students.

    Attributes:
        sections: the article's sections ("Infobox", "Huamanga", ...).
        says: what they say, paraphrased in our own words.
    """

    sections: tuple[str, ...]
    says: str


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    kind: str  # city, town, port, region, valley, lake, country, ...
    description: str = ""
    aliases: tuple[str, ...] = ()  # other names a student may answer with ("Huamanga")
    near: tuple[str, ...] = ()  # Place.key of places it lies in, contains or borders
    evidence: Evidence | None = None
    es: Spanish = Spanish()


@dataclass(frozen=True)
class Office:
    """An office or position a person held, optionally within a government."""

    office: str  # e.g. "President of Peru", "Minister of War"
    government: str | None = None  # Government.key
    start: When | None = None
    end: When | None = None
    appointed_by: str | None = None  # Person.key
    successor: str | None = None  # Person.key
    named_only: bool = False  # named to the post, never exercised it
    evidence: Evidence | None = None
    es: Spanish = Spanish()


@dataclass(frozen=True)
class Person:
    key: str
    name: str  # full name as usually written, with accents
    nationality: str  # e.g. "Peruvian", "Chilean"
    description: str
    aliases: tuple[str, ...] = ()  # other names a student may answer with
    roles: tuple[Office, ...] = ()
    sides: tuple[str, ...] = ()  # resistance, collaborationist, chile
    evidence: Evidence | None = None
    es: Spanish = Spanish()


@dataclass(frozen=True)
class Event:
    """Something that happened, dated as precisely as the article dates it (or not at all).

    A journey has an ``origin``, stops (``via``) and a ``destination``; an
    outcome is told by ``winners`` and ``losers``, and consequences by
    ``led_to``.
    """

    key: str
    name: str  # noun phrase: "the signing of the Treaty of Ancón"
    kind: EventKind
    description: str
    date: When | None = None
    place: str | None = None  # Place.key
    people: tuple[str, ...] = ()  # Person.key
    origin: str | None = None  # Place.key
    via: tuple[str, ...] = ()  # Place.key
    destination: str | None = None  # Place.key
    places: tuple[str, ...] = ()  # Place.key: other places involved
    places_verb: str = ""  # completes "Which of these places did <name> ...?"
    winners: tuple[str, ...] = ()  # Person.key or Place.key (a country)
    losers: tuple[str, ...] = ()
    led_to: tuple[str, ...] = ()  # Event.key
    caveat: str = ""  # plain words for a date the accounts disagree on
    evidence: Evidence | None = None
    es: Spanish = Spanish()

    @property
    def all_places(self) -> tuple[str, ...]:
        """Every place the event involved."""
        found = (self.place, self.origin, *self.via, self.destination, *self.places)
        return tuple(dict.fromkeys(key for key in found if key))


@dataclass(frozen=True)
class Status:
    """What a government was, and when: "a partly recognized provisional government" (1882-1883)."""

    status: str
    start: When
    end: When | None = None
    es: Spanish = Spanish()


@dataclass(frozen=True)
class Government:
    key: str
    name: str  # "the La Magdalena government"
    kind: str  # resistance, collaborationist, provisional, occupation, parallel
    description: str
    seat: str | None = None  # Place.key
    leaders: tuple[str, ...] = ()  # Person.key
    start: When | None = None
    end: When | None = None
    caveat: str = ""  # plain words for a start the accounts disagree on
    rival_of: str | None = None  # Government.key
    preceded_by: str | None = None  # Government.key
    succeeded_by: str | None = None  # Government.key
    enemies: tuple[str, ...] = ()  # Person.key
    statuses: tuple[Status, ...] = ()
    evidence: Evidence | None = None
    es: Spanish = Spanish()


@dataclass(frozen=True)
class Capital:
    """Where the capital of Peru was held to be, and in what sense."""

    key: str
    status: str  # "de jure", "de facto", "provisional", "undefined"
    description: str
    place: str | None = None  # Place.key; None when undefined
    start: When | None = None
    end: When | None = None
    evidence: Evidence | None = None
    es: Spanish = Spanish()


@dataclass(frozen=True)
class Recognition:
    """A country's stance on which Peruvian government was legitimate."""

    key: str
    country: str
    stance: Stance
    description: str
    government: str | None = None  # Government.key the stance refers to
    representative: str | None = None  # Person.key: envoy or head of state
    date: When | None = None
    evidence: Evidence | None = None
    es: Spanish = Spanish()


@dataclass(frozen=True)
class Response:
    """How someone answered a proposal."""

    who: str  # Person.key
    accepted: bool


@dataclass(frozen=True)
class Proposal:
    """A demand, proposal, plan, offer, appeal, order or expectation, and what came of it."""

    key: str
    kind: ProposalKind
    name: str  # noun phrase: "the Cry of Montán"
    content: str  # noun phrase: "peace with Chile, even at the cost of losing territory"
    description: str
    by: tuple[str, ...] = ()  # Person.key
    party: str = ""  # a country or group, when no person is named
    sent_by: str | None = None  # Person.key
    to: str | None = None  # Person.key
    to_party: str = ""
    to_government: str | None = None  # Government.key
    ask: str = ""  # the question whose answer is the content, when the usual one reads badly
    responses: tuple[Response, ...] = ()
    realized: bool | None = None
    realized_as: str = ""  # completes "<name> ..." to say it came about
    event: str | None = None  # Event.key
    date: When | None = None
    evidence: Evidence | None = None
    es: Spanish = Spanish()

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone the proposal involved."""
        found = (*self.by, self.sent_by, self.to, *(response.who for response in self.responses))
        return tuple(dict.fromkeys(key for key in found if key))


@dataclass(frozen=True)
class Name:
    """What something was called, and where that name was shown."""

    key: str
    name: str
    called: str  # what is asked: "the name of the campaign in which ...", never giving the name away
    description: str
    aliases: tuple[str, ...] = ()
    shown_on: str = ""
    shown_on_aliases: tuple[str, ...] = ()
    evidence: Evidence | None = None
    es: Spanish = Spanish()


_Item = TypeVar("_Item")

KINDS = ("places", "people", "events", "governments", "capitals", "recognitions", "proposals", "names")


@dataclass(frozen=True)
class FactBank:
    """All facts, with lookups by key and the file each came from."""

    places: tuple[Place, ...] = ()
    people: tuple[Person, ...] = ()
    events: tuple[Event, ...] = ()
    governments: tuple[Government, ...] = ()
    capitals: tuple[Capital, ...] = ()
    recognitions: tuple[Recognition, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    names: tuple[Name, ...] = ()
    files: Mapping[tuple[str, str], Path] = field(default_factory=dict, compare=False, repr=False)
    _index: dict[str, dict[str, object]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for kind in KINDS:
            self._index[kind] = {item.key: item for item in getattr(self, kind)}

    def place(self, key: str) -> Place:
        return self._item("places", key, Place)

    def person(self, key: str) -> Person:
        return self._item("people", key, Person)

    def event(self, key: str) -> Event:
        return self._item("events", key, Event)

    def government(self, key: str) -> Government:
        return self._item("governments", key, Government)

    def _item(self, kind: str, key: str, of: type[_Item]) -> _Item:
        item = self._index[kind][key]
        assert isinstance(item, of)
        return item

    def has(self, kind: str, key: str) -> bool:
        return key in self._index[kind]

    def file_of(self, kind: str, key: str) -> Path | None:
        """The fact file an entry was loaded from (None for facts built in code)."""
        return self.files.get((kind, key))


# --- Loading the YAML files under questions/ ---------------------------------

SCHEMA_FILE = "schema.json"

_YAML_MERGE_TAG = "tag:yaml.org,2002:merge"
_JSON_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}

DataPath = tuple[str | int, ...]  # where a value sits in one file: ("people", 0, "roles", 1, "start")


class FactsError(Exception):
    """A fact file that cannot be loaded: where the problem is and what it is.

    ``str()`` reads like ``questions/people.yaml: entry 'pierola', field
    'roles[0].start': '1881-13' is not a date ... (line 14)``.

    Attributes:
        file: the file at fault (the directory when no single file is).
        message: what is wrong, written for the person editing the file.
        entry: the entry's ``key``, or its index in its list when it has no key.
        field: the field inside the entry, e.g. ``roles[0].start``.
        line: 1-based line in ``file``, when known.
        kind: the list the entry is in (``people``, ``events``, ...).
    """

    def __init__(
        self,
        file: Path,
        message: str,
        *,
        entry: str | int | None = None,
        field: str | None = None,
        line: int | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(file, message)
        self.file = file
        self.message = message
        self.entry = entry
        self.field = field
        self.line = line
        self.kind = kind

    def __str__(self) -> str:
        location = f"{self.file.parent.name}/{self.file.name}"
        if self.entry is None and self.line is not None:
            location += f", line {self.line}"
        labels = []
        if isinstance(self.entry, str):
            labels.append(f"entry {self.entry!r}")
        elif self.entry is not None:
            labels.append(f"entry {self.kind}[{self.entry}]")
        if self.field:
            labels.append(f"field {self.field!r}")
        text = f"{location}: " + (", ".join(labels) + ": " if labels else "") + self.message
        if self.entry is not None and self.line is not None:
            text += f" (line {self.line})"
        return text


def load_facts(directory: Path) -> FactBank:
    """Load and check every ``*.yaml`` fact file in ``directory``.

    Each file maps some of the kinds in :data:`KINDS` to a list of entries; a
    kind may be split over several files. The files are validated against
    ``schema.json`` in the same directory, then checked for keys unique within
    each kind, references to keys that exist, real calendar dates, periods that
    do not end before they start, and aliases that name one entry only.

    Raises:
        FactsError: for the first problem found, naming file, entry and field.
    """
    directory = Path(directory)
    validator = _schema_validator(directory / SCHEMA_FILE)
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise FactsError(directory, "no .yaml fact files in this directory")
    entries: list[_Entry] = []
    for path in paths:
        source = _read_yaml(path)
        _check_schema(validator, source)
        for kind in KINDS:
            for index, raw in enumerate(source.data.get(kind, ())):
                entries.append(_Entry(source, kind, index, raw))
    built = {kind: [(entry, _BUILDERS[kind](entry)) for entry in entries if entry.kind == kind] for kind in KINDS}
    _check_unique_keys(built)
    _check_references(built)
    _check_periods(built)
    for kind in ("people", "places", "names"):
        _check_aliases(built[kind])
        _check_spanish_aliases(built[kind])
    files = {(kind, entry.key): entry.source.path for kind in KINDS for entry, _ in built[kind]}
    items = {kind: tuple(item for _, item in built[kind]) for kind in KINDS}
    return FactBank(**items, files=files)  # type: ignore[arg-type]


# Reading and schema validation


@dataclass
class _Source:
    """One parsed file, with the line each value starts on."""

    path: Path
    data: dict[str, Any]
    lines: dict[DataPath, int]

    def line_of(self, path: DataPath) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path: DataPath, message: str) -> FactsError:
        """An error about the value at ``path``, naming its entry and field when it is in one."""
        line = self.line_of(path)
        if len(path) >= 2 and path[0] in KINDS and isinstance(path[1], int):
            raw = _get(self.data, path[:2])
            key = raw.get("key") if isinstance(raw, Mapping) else None
            entry: str | int = key if isinstance(key, str) and key else path[1]
            field_name = _field_name(path[2:]) or None
            return FactsError(self.path, message, entry=entry, field=field_name, line=line, kind=str(path[0]))
        return FactsError(self.path, message, field=_field_name(path) or None, line=line)


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a field written twice in one mapping is an error."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _YAML_MERGE_TAG:
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"{key_node.value!r} appears twice in the same mapping", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> _Source:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FactsError(path, f"cannot read the file: {error}") from None
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "cannot be parsed"
        position = f"column {mark.column + 1}: " if mark else ""
        raise FactsError(
            path, f"{position}YAML syntax error: {problem}", line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as error:
        raise FactsError(path, f"YAML syntax error: {error}") from None
    finally:
        loader.dispose()
    lines: dict[DataPath, int] = {}
    if node is not None:
        _record_lines(node, (), lines, set())
    source = _Source(path, data if data is not None else {}, lines)
    source.data = _plain_dates(source.data, (), source)
    return source


def _record_lines(node: yaml.Node, path: DataPath, lines: dict[DataPath, int], open_nodes: set[int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in open_nodes:  # a recursive YAML alias
        return
    open_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                lines[(*path, key_node.value)] = key_node.start_mark.line + 1
                _record_lines(value_node, (*path, key_node.value), lines, open_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines, open_nodes)
    open_nodes.discard(id(node))


def _plain_dates(value: Any, path: DataPath, source: _Source) -> Any:
    """Turn the dates YAML reads from unquoted ``1881-07-28`` back into the text that was written."""
    if isinstance(value, datetime.datetime):
        raise source.error(path, f"{value} is a date and time; write just the date, quoted: 'YYYY-MM-DD'")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain_dates(item, (*path, key), source) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_dates(item, (*path, index), source) for index, item in enumerate(value)]
    return value


def _schema_validator(path: Path) -> jsonschema.protocols.Validator:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FactsError(path, f"cannot read the schema: {error}") from None
    except json.JSONDecodeError as error:
        raise FactsError(path, f"invalid JSON: {error.msg}", line=error.lineno) from None
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as error:
        raise FactsError(path, f"not a valid JSON Schema: {error.message}") from None
    return validator_class(schema)


def _check_schema(validator: jsonschema.protocols.Validator, source: _Source) -> None:
    errors = list(validator.iter_errors(source.data))
    if not errors:
        return
    located = [_explain(error, validator.schema) for error in errors]
    path, message = min(located, key=lambda item: (source.line_of(item[0]) or 0, len(item[0])))
    raise source.error(path, message)


def _explain(error: jsonschema.ValidationError, schema: Mapping[str, Any]) -> tuple[DataPath, str]:
    """Where a schema error is and what it means, in the words of the person editing the file."""
    path: DataPath = tuple(error.absolute_path)
    instance, expected, title = error.instance, error.validator_value, error.schema.get("title")
    match error.validator:
        case "required":
            missing = next(name for name in expected if name not in instance)
            return (*path, missing), "this required field is missing"
        case "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            extra = sorted(set(instance) - set(allowed), key=str)[0]
            if not path:
                return path, f"unknown section {extra!r}; the sections are {', '.join(allowed)}"
            return (*path, extra), f"unknown field; the fields allowed here are {', '.join(allowed)}"
        case "enum":
            return path, f"{instance!r} is not one of: {', '.join(map(str, expected))}"
        case "pattern" if title == "when":
            return path, (
                f"{instance!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, optionally after 'by', "
                "'before', 'after', 'early' or 'late', or a range START/END (see 'when' in schema.json)"
            )
        case "pattern" if title == "key":
            return path, f"{instance!r} is not a valid key: use lowercase letters and digits joined by single hyphens"
        case "minimum" | "maximum" if title == "when":
            return path, f"{instance!r} is not a four-digit year"
        case "oneOf" if title == "sections":
            section = error.schema["oneOf"][0]["$ref"].rsplit("/", 1)[-1]
            names = ", ".join(schema["$defs"][section]["enum"])
            return path, f"{instance!r} is not a section of the article (or a list of them): {names}"
        case "type":
            words = " or ".join(
                _JSON_TYPE_WORDS[name] for name in ([expected] if isinstance(expected, str) else expected)
            )
            return path, f"is empty; it should be {words}" if instance is None else f"{instance!r} should be {words}"
        case "minLength":
            return path, "must not be empty"
        case "maxLength":
            return path, f"is {len(instance)} characters long; keep it to {expected} (one or two sentences)"
        case "minItems":
            return path, "must not be an empty list"
        case "uniqueItems":
            return path, "lists the same item twice"
    return path, error.message


# Building the dataclasses


@dataclass
class _Entry:
    """One entry of one list in one file, before and after it is built."""

    source: _Source
    kind: str
    index: int
    raw: dict[str, Any]

    @property
    def key(self) -> str:
        return self.raw["key"]

    @property
    def line(self) -> int | None:
        return self.source.line_of((self.kind, self.index))

    def error(self, field_path: DataPath, message: str) -> FactsError:
        return self.source.error((self.kind, self.index, *field_path), message)

    def when(self, *field_path: str | int) -> When | None:
        value = _get(self.raw, field_path)
        if value is None:
            return None
        try:
            return When.parse(value)
        except ValueError as error:
            raise self.error(field_path, f"{value!r} is not a real date: {error}") from None

    def evidence(self, *field_path: str | int) -> Evidence | None:
        raw = _get(self.raw, (*field_path, "evidence"))
        if raw is None:
            return None
        sections = raw["section"]
        return Evidence(tuple(sections) if isinstance(sections, list) else (sections,), raw["says"])

    def keys(self, name: str) -> tuple[str, ...]:
        return tuple(self.raw.get(name, ()))

    def spanish(self, *field_path: str | int) -> Spanish:
        """The ``es`` block at ``field_path``; each of its fields translates an English field the fact has."""
        owner = _get(self.raw, field_path) or {}
        raw = owner.get("es") or {}
        for name in raw:
            english = "aliases" if name == "aliases" else name.removesuffix("_aliases")
            if name != "aliases" and not owner.get(english):
                raise self.error((*field_path, "es", name), f"gives the Spanish of {english!r}, which this fact lacks")
        return Spanish({name: tuple(value) if isinstance(value, list) else value for name, value in raw.items()})


def _build_place(entry: _Entry) -> Place:
    raw = entry.raw
    return Place(
        raw["key"], raw["name"], raw["kind"], raw["description"], entry.keys("aliases"), entry.keys("near"),
        entry.evidence(), entry.spanish(),
    )  # fmt: skip


def _build_person(entry: _Entry) -> Person:
    raw = entry.raw
    roles = tuple(
        Office(
            office=role["office"],
            government=role.get("government"),
            start=entry.when("roles", index, "start"),
            end=entry.when("roles", index, "end"),
            appointed_by=role.get("appointed_by"),
            successor=role.get("successor"),
            named_only=role.get("named_only", False),
            evidence=entry.evidence("roles", index),
            es=entry.spanish("roles", index),
        )
        for index, role in enumerate(raw.get("roles", ()))
    )
    return Person(
        raw["key"], raw["name"], raw["nationality"], raw["description"], entry.keys("aliases"), roles,
        entry.keys("sides"), entry.evidence(), entry.spanish(),
    )  # fmt: skip


def _build_event(entry: _Entry) -> Event:
    raw = entry.raw
    return Event(
        key=raw["key"],
        name=raw["name"],
        kind=EventKind(raw["kind"]),
        description=raw["description"],
        date=entry.when("date"),
        place=raw.get("place"),
        people=entry.keys("people"),
        origin=raw.get("origin"),
        via=entry.keys("via"),
        destination=raw.get("destination"),
        places=entry.keys("places"),
        places_verb=raw.get("places_verb", ""),
        winners=entry.keys("winners"),
        losers=entry.keys("losers"),
        led_to=entry.keys("led_to"),
        caveat=raw.get("caveat", ""),
        evidence=entry.evidence(),
        es=entry.spanish(),
    )


def _build_government(entry: _Entry) -> Government:
    raw = entry.raw
    statuses = []
    for index, status in enumerate(raw.get("statuses", ())):
        start = entry.when("statuses", index, "start")
        assert start is not None  # required by the schema
        end = entry.when("statuses", index, "end")
        statuses.append(Status(status["status"], start, end, entry.spanish("statuses", index)))
    return Government(
        key=raw["key"],
        name=raw["name"],
        kind=raw["kind"],
        description=raw["description"],
        seat=raw.get("seat"),
        leaders=entry.keys("leaders"),
        start=entry.when("start"),
        end=entry.when("end"),
        caveat=raw.get("caveat", ""),
        rival_of=raw.get("rival_of"),
        preceded_by=raw.get("preceded_by"),
        succeeded_by=raw.get("succeeded_by"),
        enemies=entry.keys("enemies"),
        statuses=tuple(statuses),
        evidence=entry.evidence(),
        es=entry.spanish(),
    )


def _build_capital(entry: _Entry) -> Capital:
    raw = entry.raw
    return Capital(
        key=raw["key"],
        status=raw["status"],
        description=raw["description"],
        place=raw.get("place"),
        start=entry.when("start"),
        end=entry.when("end"),
        evidence=entry.evidence(),
        es=entry.spanish(),
    )


def _build_recognition(entry: _Entry) -> Recognition:
    raw = entry.raw
    return Recognition(
        key=raw["key"],
        country=raw["country"],
        stance=Stance(raw["stance"]),
        description=raw["description"],
        government=raw.get("government"),
        representative=raw.get("representative"),
        date=entry.when("date"),
        evidence=entry.evidence(),
        es=entry.spanish(),
    )


def _build_proposal(entry: _Entry) -> Proposal:
    raw = entry.raw
    return Proposal(
        key=raw["key"],
        kind=ProposalKind(raw["kind"]),
        name=raw["name"],
        content=raw["content"],
        description=raw["description"],
        by=entry.keys("by"),
        party=raw.get("party", ""),
        sent_by=raw.get("sent_by"),
        to=raw.get("to"),
        to_party=raw.get("to_party", ""),
        to_government=raw.get("to_government"),
        ask=raw.get("ask", ""),
        responses=tuple(Response(item["who"], item["accepted"]) for item in raw.get("responses", ())),
        realized=raw.get("realized"),
        realized_as=raw.get("realized_as", ""),
        event=raw.get("event"),
        date=entry.when("date"),
        evidence=entry.evidence(),
        es=entry.spanish(),
    )


def _build_name(entry: _Entry) -> Name:
    raw = entry.raw
    return Name(
        key=raw["key"],
        name=raw["name"],
        called=raw["called"],
        description=raw["description"],
        aliases=entry.keys("aliases"),
        shown_on=raw.get("shown_on", ""),
        shown_on_aliases=entry.keys("shown_on_aliases"),
        evidence=entry.evidence(),
        es=entry.spanish(),
    )


_BUILDERS = {
    "places": _build_place,
    "people": _build_person,
    "events": _build_event,
    "governments": _build_government,
    "capitals": _build_capital,
    "recognitions": _build_recognition,
    "proposals": _build_proposal,
    "names": _build_name,
}

# Checks across entries and files

Built = dict[str, list[tuple[_Entry, Any]]]

# (kind, field path inside an entry with "*" for every list item, kinds the value must be a key of)
_REFERENCES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("places", ("near", "*"), ("places",)),
    ("people", ("roles", "*", "government"), ("governments",)),
    ("people", ("roles", "*", "appointed_by"), ("people",)),
    ("people", ("roles", "*", "successor"), ("people",)),
    *(("events", (name,), ("places",)) for name in ("place", "origin", "destination")),
    *(("events", (name, "*"), ("places",)) for name in ("via", "places")),
    ("events", ("people", "*"), ("people",)),
    ("events", ("winners", "*"), ("people", "places")),
    ("events", ("losers", "*"), ("people", "places")),
    ("events", ("led_to", "*"), ("events",)),
    ("governments", ("seat",), ("places",)),
    ("governments", ("leaders", "*"), ("people",)),
    ("governments", ("enemies", "*"), ("people",)),
    *(("governments", (name,), ("governments",)) for name in ("rival_of", "preceded_by", "succeeded_by")),
    ("capitals", ("place",), ("places",)),
    ("recognitions", ("government",), ("governments",)),
    ("recognitions", ("representative",), ("people",)),
    ("proposals", ("by", "*"), ("people",)),
    *(("proposals", (name,), ("people",)) for name in ("sent_by", "to")),
    ("proposals", ("responses", "*", "who"), ("people",)),
    ("proposals", ("to_government",), ("governments",)),
    ("proposals", ("event",), ("events",)),
)

_SINGULAR = {
    "places": "place",
    "people": "person",
    "events": "event",
    "governments": "government",
    "capitals": "capital",
    "recognitions": "recognition",
    "proposals": "proposal",
    "names": "name",
}


def _check_unique_keys(built: Built) -> None:
    for kind, items in built.items():
        first_seen: dict[str, _Entry] = {}
        for entry, _ in items:
            earlier = first_seen.setdefault(entry.key, entry)
            if earlier is not entry:
                where = f"{earlier.source.path.parent.name}/{earlier.source.path.name} line {earlier.line}"
                raise entry.error(("key",), f"duplicate key: another {_SINGULAR[kind]} has it, at {where}")


def _check_references(built: Built) -> None:
    keys = {kind: [entry.key for entry, _ in items] for kind, items in built.items()}
    for kind, pattern, targets in _REFERENCES:
        known = [key for target in targets for key in keys[target]]
        for entry, _ in built[kind]:
            for field_path, value in _walk(entry.raw, pattern, ()):
                if value not in known:
                    close = difflib.get_close_matches(value, known, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    what = " or ".join(_SINGULAR[target] for target in targets)
                    raise entry.error(field_path, f"unknown {what} {value!r}{hint}")


def _walk(value: Any, pattern: tuple[str, ...], path: DataPath) -> Iterator[tuple[DataPath, Any]]:
    """The values under ``pattern`` (field names, ``*`` for each list item) with their paths."""
    if not pattern:
        yield path, value
    elif pattern[0] == "*":
        for index, item in enumerate(value):
            yield from _walk(item, pattern[1:], (*path, index))
    elif isinstance(value, Mapping) and pattern[0] in value:
        yield from _walk(value[pattern[0]], pattern[1:], (*path, pattern[0]))


def _check_periods(built: Built) -> None:
    for kind, items in built.items():
        for entry, item in items:
            if kind == "people":
                for index, role in enumerate(item.roles):
                    _check_period(entry, role.start, role.end, ("roles", index, "start"), ("roles", index, "end"))
            elif kind in ("governments", "capitals"):
                _check_period(entry, item.start, item.end, ("start",), ("end",))
            if kind == "governments":
                for index, status in enumerate(item.statuses):
                    paths = ("statuses", index, "start"), ("statuses", index, "end")
                    _check_period(entry, status.start, status.end, *paths)
            if kind == "capitals" and (item.status == "undefined") != (item.place is None):
                message = "an undefined capital has no place" if item.place else "give the place of the capital"
                raise entry.error(("place",), message)


def _check_period(
    entry: _Entry, start: When | None, end: When | None, start_path: DataPath, end_path: DataPath
) -> None:
    if start is not None and end is not None and end.span()[1] < start.span()[0]:
        raise entry.error(end_path, f"{end.iso()} is before the start, {_field_name(start_path)} {start.iso()}")


def _check_aliases(items: list[tuple[_Entry, Any]]) -> None:
    """Each alias adds a new answer and names one entry only, else a student's answer would be ambiguous.

    Answers are compared without case or accents, so an alias differing from a name only in those is useless.
    """
    owners: dict[str, Any] = {}
    for _, item in items:
        owners.setdefault(_fold(item.name), item)
    for entry, item in items:
        own = {_fold(item.name): item.name}
        for index, alias in enumerate(item.aliases):
            folded = _fold(alias)
            if folded in own:
                raise entry.error(("aliases", index), f"{alias!r} is {own[folded]!r} again, apart from case or accents")
            own[folded] = alias
            owner = owners.setdefault(folded, item)
            if owner is not item:
                raise entry.error(("aliases", index), f"{alias!r} also names {owner.key!r}; leave it out")


def _check_spanish_aliases(items: list[tuple[_Entry, Any]]) -> None:
    """A Spanish alias, like an English one, names one entry only (it may repeat its own entry's names)."""
    owners: dict[str, Any] = {}
    for _, item in items:
        for name in (item.name, item.es.get("name"), *item.aliases):
            if name:
                owners.setdefault(_fold(name), item)
    for entry, item in items:
        for index, alias in enumerate(item.es.many("aliases")):
            owner = owners.setdefault(_fold(alias), item)
            if owner is not item:
                raise entry.error(("es", "aliases", index), f"{alias!r} also names {owner.key!r}; leave it out")


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, as a student might type it."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def _get(value: Any, path: DataPath) -> Any:
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _field_name(path: DataPath) -> str:
    """``("roles", 0, "start")`` as ``roles[0].start``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text
