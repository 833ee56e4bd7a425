"""The historical facts the question bank is generated from.

The data lives in human-editable YAML files under ``questions/``; this module
defines what a fact is. Every fact has a ``key`` that is unique within its kind
and stable over time: question ids are derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

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
