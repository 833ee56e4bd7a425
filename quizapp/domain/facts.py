"""The historical facts the question bank is generated from.

The data lives in human-editable YAML files under ``questions/``; this module
defines what a fact is. Every fact has a ``key`` that is unique within its kind
and stable over time: question ids are derived from it.
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
from typing import Any

import jsonschema
import yaml

from quizapp.domain.dates import PartialDate


class Stance(StrEnum):
    """A country's attitude towards the rival Peruvian governments."""

    RECOGNIZED = "recognized"
    ABSTAINED = "abstained"
    CONDEMNED = "condemned"


class EventKind(StrEnum):
    DECLARATION = "declaration"
    OCCUPATION = "occupation"
    ASSEMBLY = "assembly"
    RESIGNATION = "resignation"
    PROCLAMATION = "proclamation"
    BATTLE = "battle"
    EXECUTION = "execution"
    ORDER = "order"
    TREATY = "treaty"
    FOUNDING = "founding"
    MOVEMENT = "movement"  # a leader or army moving its seat or headquarters
    APPOINTMENT = "appointment"
    ATTACK = "attack"
    OTHER = "other"


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    kind: str  # city, town, port, region, valley, lake, country, ...
    description: str = ""
    aliases: tuple[str, ...] = ()  # other names a student may answer with ("Huamanga")


@dataclass(frozen=True)
class Role:
    """An office or position a person held, optionally within a government."""

    office: str  # e.g. "President of Peru", "Minister of War"
    government: str | None = None  # Government.key
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: str = ""


@dataclass(frozen=True)
class Person:
    key: str
    name: str  # full name as usually written, with accents
    nationality: str  # e.g. "Peruvian", "Chilean"
    description: str
    aliases: tuple[str, ...] = ()  # other names a student may answer with
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Event:
    """Something that happened on a known date (to the day, month or year).

    ``source`` says where in the article the date comes from (``infobox`` or
    ``body``) so that two accounts that disagree are each kept as what they are.
    """

    key: str
    name: str  # noun phrase: "the signing of the Treaty of Ancón"
    kind: EventKind
    date: PartialDate
    description: str
    place: str | None = None  # Place.key
    people: tuple[str, ...] = ()  # Person.key
    source: str = "body"
    note: str = ""
    end: PartialDate | None = None  # last day when the source gives a span ("28 and 29 January")


@dataclass(frozen=True)
class Government:
    key: str
    name: str  # "the La Magdalena government"
    kind: str  # resistance, collaborationist, provisional, occupation, parallel
    description: str
    seat: str | None = None  # Place.key
    leaders: tuple[str, ...] = ()  # Person.key
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True)
class Capital:
    """Where the capital of Peru was held to be, and in what sense."""

    key: str
    status: str  # "de jure", "de facto", "provisional", "undefined"
    description: str
    place: str | None = None  # Place.key; None when undefined
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True)
class Recognition:
    """A country's stance on which Peruvian government was legitimate."""

    key: str
    country: str
    stance: Stance
    description: str
    government: str | None = None  # Government.key the stance refers to
    representative: str | None = None  # Person.key: envoy or head of state
    date: PartialDate | None = None


@dataclass(frozen=True)
class FactBank:
    """All facts, with lookups by key."""

    places: tuple[Place, ...] = ()
    people: tuple[Person, ...] = ()
    events: tuple[Event, ...] = ()
    governments: tuple[Government, ...] = ()
    capitals: tuple[Capital, ...] = ()
    recognitions: tuple[Recognition, ...] = ()
    _index: dict[str, dict[str, object]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for kind in ("places", "people", "events", "governments", "capitals", "recognitions"):
            self._index[kind] = {item.key: item for item in getattr(self, kind)}

    def place(self, key: str) -> Place:
        return self._index["places"][key]  # type: ignore[return-value]

    def person(self, key: str) -> Person:
        return self._index["people"][key]  # type: ignore[return-value]

    def event(self, key: str) -> Event:
        return self._index["events"][key]  # type: ignore[return-value]

    def government(self, key: str) -> Government:
        return self._index["governments"][key]  # type: ignore[return-value]


# --- Loading the YAML files under questions/ ---------------------------------

KINDS = ("places", "people", "events", "governments", "capitals", "recognitions")
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
    do not end before they start, and aliases that name one person or place only.

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
    _check_aliases(built["people"])
    _check_aliases(built["places"])
    return FactBank(**{kind: tuple(item for _, item in built[kind]) for kind in KINDS})  # type: ignore[arg-type]


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
        raise FactsError(path, f"{position}YAML syntax error: {problem}", line=mark.line + 1 if mark else None) from None
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
    located = [_explain(error) for error in errors]
    path, message = min(located, key=lambda item: (source.line_of(item[0]) or 0, len(item[0])))
    raise source.error(path, message)


def _explain(error: jsonschema.ValidationError) -> tuple[DataPath, str]:
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
        case "pattern" if title == "date":
            return path, f"{instance!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
        case "pattern" if title == "key":
            return path, f"{instance!r} is not a valid key: use lowercase letters and digits joined by single hyphens"
        case "minimum" | "maximum" if title == "date":
            return path, f"{instance!r} is not a four-digit year"
        case "type":
            words = " or ".join(_JSON_TYPE_WORDS[name] for name in ([expected] if isinstance(expected, str) else expected))
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

    def date(self, *field_path: str | int) -> PartialDate | None:
        value = _get(self.raw, field_path)
        if value is None:
            return None
        try:
            return PartialDate(value) if isinstance(value, int) else PartialDate.from_iso(value)
        except ValueError as error:
            raise self.error(field_path, f"{value!r} is not a real date: {error}") from None


def _build_place(entry: _Entry) -> Place:
    raw = entry.raw
    return Place(raw["key"], raw["name"], raw["kind"], raw.get("description", ""), tuple(raw.get("aliases", ())))


def _build_person(entry: _Entry) -> Person:
    raw = entry.raw
    roles = tuple(
        Role(
            office=role["office"],
            government=role.get("government"),
            start=entry.date("roles", index, "start"),
            end=entry.date("roles", index, "end"),
            note=role.get("note", ""),
        )
        for index, role in enumerate(raw.get("roles", ()))
    )
    return Person(raw["key"], raw["name"], raw["nationality"], raw["description"], tuple(raw.get("aliases", ())), roles)


def _build_event(entry: _Entry) -> Event:
    raw = entry.raw
    date = entry.date("date")
    assert date is not None  # required by the schema
    return Event(
        key=raw["key"],
        name=raw["name"],
        kind=EventKind(raw["kind"]),
        date=date,
        description=raw["description"],
        place=raw.get("place"),
        people=tuple(raw.get("people", ())),
        source=raw.get("source", "body"),
        note=raw.get("note", ""),
        end=entry.date("end"),
    )


def _build_government(entry: _Entry) -> Government:
    raw = entry.raw
    return Government(
        key=raw["key"],
        name=raw["name"],
        kind=raw["kind"],
        description=raw["description"],
        seat=raw.get("seat"),
        leaders=tuple(raw.get("leaders", ())),
        start=entry.date("start"),
        end=entry.date("end"),
    )


def _build_capital(entry: _Entry) -> Capital:
    raw = entry.raw
    return Capital(
        key=raw["key"],
        status=raw["status"],
        description=raw["description"],
        place=raw.get("place"),
        start=entry.date("start"),
        end=entry.date("end"),
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
        date=entry.date("date"),
    )


_BUILDERS = {
    "places": _build_place,
    "people": _build_person,
    "events": _build_event,
    "governments": _build_government,
    "capitals": _build_capital,
    "recognitions": _build_recognition,
}

# Checks across entries and files

Built = dict[str, list[tuple[_Entry, Any]]]

# (kind, field path inside an entry with "*" for every list item, kind the value must be a key of)
_REFERENCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("people", ("roles", "*", "government"), "governments"),
    ("events", ("place",), "places"),
    ("events", ("people", "*"), "people"),
    ("governments", ("seat",), "places"),
    ("governments", ("leaders", "*"), "people"),
    ("capitals", ("place",), "places"),
    ("recognitions", ("government",), "governments"),
    ("recognitions", ("representative",), "people"),
)

_SINGULAR = {
    "places": "place",
    "people": "person",
    "events": "event",
    "governments": "government",
    "capitals": "capital",
    "recognitions": "recognition",
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
    for kind, pattern, target in _REFERENCES:
        for entry, _ in built[kind]:
            for field_path, value in _walk(entry.raw, pattern, ()):
                if value not in keys[target]:
                    close = difflib.get_close_matches(value, keys[target], n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    raise entry.error(field_path, f"unknown {_SINGULAR[target]} {value!r}{hint}")


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
            elif kind == "events":
                _check_period(entry, item.date, item.end, ("date",), ("end",))
            elif kind in ("governments", "capitals"):
                _check_period(entry, item.start, item.end, ("start",), ("end",))
            if kind == "capitals" and (item.status == "undefined") != (item.place is None):
                message = "an undefined capital has no place" if item.place else "give the place of the capital"
                raise entry.error(("place",), message)


def _check_period(
    entry: _Entry, start: PartialDate | None, end: PartialDate | None, start_path: DataPath, end_path: DataPath
) -> None:
    if start is not None and end is not None and _certainly_before(end, start):
        raise entry.error(end_path, f"{end.iso()} is before the start, {_field_name(start_path)} {start.iso()}")


def _certainly_before(a: PartialDate, b: PartialDate) -> bool:
    """Whether ``a`` is before ``b`` at the precision both are known to (1881-07 is not before 1881)."""
    known_a = (a.year, a.month, a.day)
    known_b = (b.year, b.month, b.day)
    common = next((n for n in range(3) if known_a[n] is None or known_b[n] is None), 3)
    return known_a[:common] < known_b[:common]


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
