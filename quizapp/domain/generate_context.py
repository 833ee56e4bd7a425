"""The fact bank seen by the generator: facts in a stable order and derived lookups."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from quizapp.domain.facts import Event, FactBank, Government, Person, Place
from quizapp.domain.generate_common import capitalize_first, contains_words, fold
from quizapp.domain.generate_dates import bounds

_SETTLEMENTS = frozenset({"city", "town", "port", "locality", "village"})

_ACCOUNTS = {"infobox": "the infobox", "body": "the main text"}

# Words too common in place names to make two places look alike.
_GENERIC_PLACE_WORDS = frozenset(
    {"lake", "valley", "port", "city", "river", "bay", "island", "bridge", "province", "region", "lago", "valle"}
)


class Context:
    """Facts sorted by key, plus the lookups several templates need.

    Events that share a name are one happening told by different accounts
    (the infobox and the main text); they form a *group* whose first member,
    the main text's if there is one, is the *primary* event. Questions that do
    not depend on the date are asked once per group.
    """

    def __init__(self, facts: FactBank, seed: int) -> None:
        self.facts = facts
        self.seed = seed
        self.places = sorted(facts.places, key=lambda item: item.key)
        self.people = sorted(facts.people, key=lambda item: item.key)
        self.events = sorted(facts.events, key=lambda item: item.key)
        self.governments = sorted(facts.governments, key=lambda item: item.key)
        self.capitals = sorted(facts.capitals, key=lambda item: item.key)
        self.recognitions = sorted(facts.recognitions, key=lambda item: item.key)

        grouped: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            grouped[fold(event.name)].append(event)
        self._groups = {
            name: tuple(sorted(members, key=lambda e: (e.source != "body", e.source, e.key)))
            for name, members in grouped.items()
        }
        self._spans = {
            name: (min(event_span(e)[0] for e in members), max(event_span(e)[1] for e in members))
            for name, members in self._groups.items()
        }
        self.primary_events = sorted(
            (members[0] for members in self._groups.values()),
            key=lambda e: (self.group_span(e), e.key),
        )

    # -- events -------------------------------------------------------------

    def group(self, event: Event) -> tuple[Event, ...]:
        return self._groups[fold(event.name)]

    def is_primary(self, event: Event) -> bool:
        return self.group(event)[0] is event

    def group_span(self, event: Event) -> tuple[date, date]:
        """The days any account of the event may refer to."""
        return self._spans[fold(event.name)]

    def true_spans(self, event: Event) -> list[tuple[date, date]]:
        """The days each account of the event gives, as ranges."""
        return [event_span(member) for member in self.group(event)]

    def group_places(self, event: Event) -> set[str]:
        return {member.place for member in self.group(event) if member.place}

    def group_people(self, event: Event) -> set[str]:
        return {key for member in self.group(event) for key in member.people}

    def group_text(self, event: Event) -> str:
        """Everything the accounts say about the event, to look for names in."""
        return " ".join(f"{m.name} {m.description} {m.note}" for m in self.group(event))

    def account_prefix(self, event: Event) -> str:
        """``"according to the infobox, "`` when the account matters, else ``""``.

        It matters when accounts of the event differ, when the date is the
        infobox's and carries a caveat, or when a note compares it with the
        infobox; a note that only says how vague the article is does not.
        """
        compared = bool(event.note) and (event.source != "body" or contains_words(event.note, "infobox"))
        if len(self.group(event)) == 1 and not compared:
            return ""
        return f"according to {_ACCOUNTS.get(event.source, f'the {event.source}')}, "

    # -- places, people, governments ------------------------------------------

    def place(self, key: str) -> Place:
        return self.facts.place(key)

    def person(self, key: str) -> Person:
        return self.facts.person(key)

    def government(self, key: str) -> Government:
        return self.facts.government(key)

    def places_confusable(self, first: Place, second: Place) -> bool:
        """Whether one place might be taken for, or contain, the other.

        True when they share a distinctive word ("Chincha Alta", "Chincha Baja")
        or one's description names the other ("Huamanga, today Ayacucho").
        """
        if first.key == second.key:
            return True
        if _distinctive_words(first) & _distinctive_words(second):
            return True
        return mentions_place(first.description, second) or mentions_place(second.description, first)

    def distractor_places(self, answer: Place, excluded: set[str], context: str = "") -> list[list[str]]:
        """Place names that are neither the answer nor like it, nor named in ``context``.

        Places of the answer's kind come first, then other settlements, then the rest.
        """
        usable = [
            place
            for place in self.places
            if place.key not in excluded
            and not any(self.places_confusable(place, self.place(key)) for key in excluded | {answer.key})
            and not mentions_place(context, place)
        ]
        same_kind = sorted(place.name for place in usable if place.kind == answer.kind)
        settlements = sorted(place.name for place in usable if place.kind != answer.kind and place.kind in _SETTLEMENTS)
        rest = sorted(place.name for place in usable if place.kind != answer.kind and place.kind not in _SETTLEMENTS)
        return [same_kind, settlements, rest]

    def distractor_people(self, answer: Person, excluded: set[str]) -> list[list[str]]:
        """Names of people not in ``excluded`` (keys): the answer's nationality first."""
        usable = [person for person in self.people if person.key not in excluded and person.key != answer.key]
        same = sorted(person_label(person) for person in usable if person.nationality == answer.nationality)
        other = sorted(person_label(person) for person in usable if person.nationality != answer.nationality)
        return [same, other]


def person_label(person: Person) -> str:
    """The name as an answer or option: ``"The brother of Miguel Iglesias"``."""
    return capitalize_first(person.name)


def event_span(event: Event) -> tuple[date, date]:
    """The first and last day the event may have taken place on."""
    return bounds(event.date)[0], bounds(event.end or event.date)[1]


def mentions_place(text: str, place: Place) -> bool:
    return any(contains_words(text, name) for name in (place.name, *place.aliases))


def _distinctive_words(place: Place) -> set[str]:
    words = {word for name in (place.name, *place.aliases) for word in fold(name).split()}
    return {word for word in words - _GENERIC_PLACE_WORDS if len(word) >= 4}
