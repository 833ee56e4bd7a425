"""The fact bank seen by the generator: the knowledge, the draft builder, and pools of plausible wrong values."""

from __future__ import annotations

from collections.abc import Iterable

from quizapp.domain.facts import Event, FactBank, Government, Person, Place
from quizapp.domain.generate_common import Asker
from quizapp.domain.generate_dates import nearby_dates
from quizapp.domain.knowledge import Knowledge, Value, event, government, place, when
from quizapp.domain.when import When

_SETTLEMENTS = frozenset({"city", "town", "port", "locality", "village"})


class Context:
    """Everything the templates share: the facts as :class:`Knowledge`, the :class:`Asker`, and option pools.

    Pools list candidate wrong values, most plausible tier first; the asker keeps
    only those the facts prove wrong.
    """

    def __init__(self, facts: FactBank, seed: int) -> None:
        self.knowledge = Knowledge(facts)
        self.ask = Asker(self.knowledge, seed)
        self.seed = seed
        self.places = self.knowledge.places
        self.people = self.knowledge.people
        self.events = self.knowledge.events
        self.governments = self.knowledge.governments
        self.capitals = self.knowledge.capitals
        self.recognitions = self.knowledge.recognitions
        self.proposals = self.knowledge.proposals
        self.names = self.knowledge.names

    def place(self, key: str) -> Place:
        return self.knowledge.place(key)

    def person(self, key: str) -> Person:
        return self.knowledge.person(key)

    def event(self, key: str) -> Event:
        return self.knowledge.event(key)

    def government(self, key: str) -> Government:
        return self.knowledge.government(key)

    # -- pools of wrong values, most plausible first -----------------------------------

    def people_pool(self, answer: Person) -> list[list[Value]]:
        """Everyone: the answer's nationality first."""
        return self.ask.people_tiers(answer)

    def place_pool(self, answer: Place | None = None) -> list[list[Value]]:
        """Every place: the answer's kind first, then other settlements, then the rest."""
        kind = answer.kind if answer else ""
        same = [place(p.key) for p in self.places if p.kind == kind]
        settlements = [place(p.key) for p in self.places if p.kind in _SETTLEMENTS]
        return [same, settlements, [place(p.key) for p in self.places]]

    def event_pool(self, kind: object = None, events: Iterable[Event] | None = None) -> list[list[Value]]:
        """Events (every event unless given): those of ``kind`` first."""
        chosen = list(self.events if events is None else events)
        return [[event(e.key) for e in chosen if e.kind == kind], [event(e.key) for e in chosen]]

    def government_pool(self) -> list[list[Value]]:
        return [[government(g.key) for g in self.governments]]

    def date_pool(self, answer: When) -> list[list[Value]]:
        """Dates of the answer's precision near it (the asker drops any the facts allow)."""
        exact = answer.exact
        return [[when(When(day)) for day in nearby_dates(exact)]] if exact else [[]]
