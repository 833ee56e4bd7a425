"""What the facts say: whether a claim a question makes is true, false or not settled.

Every generated question carries a :class:`Claim`: the relation it asks about
(the date of an event, who held an office, where a journey ended...), its
subject, the keyed answer and, for multiple choice, the value behind each
option. :class:`Knowledge` decides each such value from the facts alone, with
three outcomes: :attr:`Truth.TRUE`, :attr:`Truth.FALSE` and, when the facts do
not settle it, :attr:`Truth.UNKNOWN`. The generator offers only FALSE values as
wrong options; the verifier (:mod:`quizapp.domain.verify`) checks every
question against the same rules.

Two principles keep it honest:

* **Dates are spans.** A date is the span of days the source allows
  (:meth:`When.span`); a statement about dates is TRUE only when every
  allowed day makes it true, FALSE only when none does.
* **A relation's facts are complete, but nothing near them is denied.** The
  people a fact names are all the people involved (the article's account is
  the whole account), so someone else is FALSE; but a value the fact's words
  mention, a place inside or beside a true one, a holder of a similar office,
  or a government continuing a true one is UNKNOWN, never offered as wrong.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from quizapp.domain.facts import (
    Capital,
    Event,
    FactBank,
    Government,
    MissingSpanish,
    Name,
    Office,
    Person,
    Place,
    Proposal,
    Recognition,
    Stance,
)
from quizapp.domain.generate_names import mentions, name_forms
from quizapp.domain.generate_spanish import contract
from quizapp.domain.languages import Language
from quizapp.domain.spanish_dates import spanish_display
from quizapp.domain.when import When, certainly_before
from quizapp.domain.words import capitalize_first, contains_words, fold


class Truth(StrEnum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


class Relation(StrEnum):
    """What a question asks; each relation reads its subject and values in its own way (see Knowledge)."""

    DATE = "date"  # subject: a dated reference; value: a when
    EARLIER = "earlier"  # subject: a dated reference; value: one certainly before it
    LATER = "later"  # subject: a dated reference; value: one certainly after it
    AT_DATE = "at-date"  # subject: when:<iso>; value: an event that took place then
    PLACE = "place"  # subject: event; value: a place where it happened
    EVENT_AT = "event-at"  # subject: place; value: an event that happened there
    ORIGIN = "origin"  # subject: event (a journey); value: where it started
    VIA = "via"  # subject: event; value: a stop
    DESTINATION = "destination"  # subject: event; value: where it ended
    INVOLVED = "involved"  # subject: event; value: a person it involved
    INVOLVED_IN = "involved-in"  # subject: person; value: an event that involved them
    WINNER = "winner"  # subject: event; value: a person or country who prevailed
    LOSER = "loser"  # subject: event; value: a person or country defeated
    LED_TO = "led-to"  # subject: event; value: an event it caused
    CAUSED_BY = "caused-by"  # subject: event; value: an event that caused it
    HOLDER = "holder"  # subject: role; value: a person who held that office
    OFFICE = "office"  # subject: role; value: an office text
    APPOINTER = "appointer"  # subject: role; value: the person who appointed its holder
    SUCCESSOR = "successor"  # subject: role; value: the person who followed its holder
    LEADER = "leader"  # subject: government; value: a person who led it
    LED = "led"  # subject: person; value: a government they led
    SEAT = "seat"  # subject: government; value: its seat
    SEAT_OF = "seat-of"  # subject: place; value: a government seated there
    RECOGNIZED = "recognized"  # subject: country; value: a government it recognized
    RECOGNIZER = "recognizer"  # subject: government; value: a country that recognized it
    STANCE = "stance"  # subject: country; value: a stance
    REPRESENTATIVE = "representative"  # subject: recognition; value: the person who spoke for the country
    CAPITAL = "capital"  # subject: capital; value: the place that was that capital
    RIVAL = "rival"  # subject: government; value: the government it was set up against
    SUCCEEDED_BY = "succeeded-by"  # subject: government; value: the government after it
    PRECEDED_BY = "preceded-by"  # subject: government; value: the government before it
    ENEMY = "enemy"  # subject: government; value: a person among its main enemies
    CONTENT = "content"  # subject: proposal; value: what it asked, offered or ordered
    PROPOSER = "proposer"  # subject: proposal; value: a person who made it
    RECIPIENT = "recipient"  # subject: proposal; value: the person it was made to
    SENDER = "sender"  # subject: proposal; value: the person who sent its maker
    RESPONSE = "response"  # subject: response:<proposal>:<index>; value: accepted / refused
    REALIZED = "realized"  # subject: proposal; value: yes / no
    NAME = "name"  # subject: name; value: what the thing was called
    SHOWN_ON = "shown-on"  # subject: name; value: where it was shown


# Relations whose options are ordered in time: an unsettled one is an overlap of dates.
ORDER_RELATIONS = frozenset({Relation.EARLIER, Relation.LATER})


@dataclass(frozen=True, order=True)
class Value:
    """A value a claim is about: its type and raw form (a key, a date in fact-file form, a text)."""

    type: str  # person, place, event, government, country, when, office, text, stance, name, bool
    raw: str


@dataclass(frozen=True)
class Claim:
    """What a generated question asserts, in terms the facts can check.

    Attributes:
        relation: what is asked.
        subject: what the stem is about: ``event:<key>``, ``role:<person>:<index>``,
            ``government:<key>``, ``when:<iso>``, ...
        answer: the keyed value (for true/false: the value the statement names).
        options: for multiple choice, the value behind each option, in the draft's order.
        truth: for true/false, whether the statement is keyed True.
        parts: for the structured types (timeline, matching, multiple
            response, numerical), every statement the question's key rests on,
            each with the truth it is keyed with: the facts must settle them all.
    """

    relation: Relation
    subject: str
    answer: Value
    options: tuple[Value, ...] = ()
    truth: bool | None = None
    parts: tuple[Claim, ...] = ()


def person(key: str) -> Value:
    return Value("person", key)


def place(key: str) -> Value:
    return Value("place", key)


def event(key: str) -> Value:
    return Value("event", key)


def government(key: str) -> Value:
    return Value("government", key)


def when(value: When) -> Value:
    return Value("when", value.iso())


def text(value: str) -> Value:
    return Value("text", value)


def stance_value(stance: Stance, government_key: str | None) -> Value:
    return Value("stance", f"{stance.value}|{government_key or ''}")


YES, NO = Value("bool", "yes"), Value("bool", "no")


def _truth(value: bool) -> Truth:
    return Truth.TRUE if value else Truth.FALSE


# Words too common in place names to make two places look alike.
_GENERIC_PLACE_WORDS = frozenset(
    {"lake", "valley", "port", "city", "river", "bay", "island", "bridge", "province", "region", "lago", "valle", "the"}
)
# Words that say nothing about which office is meant.
_OFFICE_FILLER = frozenset(
    {"of", "the", "and", "to", "in", "for", "a", "an", "at", "peru", "peruvian", "government", "whose", "part"}
)
# Which side a kind of government was on, and the side (of a person) that goes with it.
_CAMPS = {"resistance": "resistance", "parallel": "resistance", "provisional": "resistance"}
_SIDE_OF_CAMP = {"resistance": "resistance", "collaborationist": "collaborationist", "occupation": "chile"}
# Adjectives that do not start like the country's name.
_DEMONYMS = {"United States": ("American",), "Switzerland": ("Swiss",), "Denmark": ("Danish",)}


class Knowledge:
    """The facts, read as answers to the relations questions ask (see the module docstring)."""

    def __init__(self, facts: FactBank) -> None:
        self.facts = facts
        self.places = sorted(facts.places, key=lambda item: item.key)
        self.people = sorted(facts.people, key=lambda item: item.key)
        self.events = sorted(facts.events, key=lambda item: item.key)
        self.governments = sorted(facts.governments, key=lambda item: item.key)
        self.capitals = sorted(facts.capitals, key=lambda item: item.key)
        self.recognitions = sorted(facts.recognitions, key=lambda item: item.key)
        self.proposals = sorted(facts.proposals, key=lambda item: item.key)
        self.names = sorted(facts.names, key=lambda item: item.key)
        self._places = {item.key: item for item in self.places}
        self._people = {item.key: item for item in self.people}
        self._events = {item.key: item for item in self.events}
        self._governments = {item.key: item for item in self.governments}
        self._proposals = {item.key: item for item in self.proposals}
        self._names = {item.key: item for item in self.names}
        self._capitals = {item.key: item for item in self.capitals}
        self._recognitions = {item.key: item for item in self.recognitions}
        self.countries = sorted(
            {r.country for r in self.recognitions} | {p.name for p in self.places if p.kind == "country"}
        )
        # The Spanish of the texts values carry (countries, offices, proposals' contents, names).
        self._spanish_texts = {
            fold(english): spanish
            for english, spanish in (
                *((r.country, r.es.get("country")) for r in self.recognitions),
                *((p.name, p.es.get("name")) for p in self.places if p.kind == "country"),
                *((role.office, role.es.get("office")) for p in self.people for role in p.roles),
                *((item.content, item.es.get("content")) for item in self.proposals),
                *((item.shown_on, item.es.get("shown_on")) for item in self.names),
                *((item.name, item.es.get("name")) for item in self.names),
            )
            if spanish
        }

    # -- lookups ---------------------------------------------------------------

    def place(self, key: str) -> Place:
        return self._places[key]

    def person(self, key: str) -> Person:
        return self._people[key]

    def event(self, key: str) -> Event:
        return self._events[key]

    def government(self, key: str) -> Government:
        return self._governments[key]

    def proposal(self, key: str) -> Proposal:
        return self._proposals[key]

    def name_fact(self, key: str) -> Name:
        return self._names[key]

    def capital(self, key: str) -> Capital:
        return self._capitals[key]

    def recognition(self, key: str) -> Recognition:
        return self._recognitions[key]

    def role(self, subject: str) -> tuple[Person, Office]:
        """``role:<person>:<index>`` as the person and the role."""
        _, key, index = subject.split(":")
        holder = self.person(key)
        return holder, holder.roles[int(index)]

    def actor(self, key: str) -> Person | Place:
        """A winner or loser: a person, or a country kept as a place."""
        return self._people.get(key) or self.place(key)

    # -- dates -----------------------------------------------------------------

    def date_of(self, ref: str) -> When | None:
        """The date of a dated reference: ``event:<key>``, ``proposal:<key>``, ``recognition:<key>``,
        ``role:<person>:<index>:start``, ``government:<key>:start``, ``status:<government>:<index>``,
        ``capital:<key>:start``."""
        kind, key, *rest = ref.split(":")
        match kind:
            case "event":
                return self.event(key).date
            case "proposal":
                return self.proposal(key).date
            case "recognition":
                return self.recognition(key).date
            case "role":
                return self.person(key).roles[int(rest[0])].start
            case "government":
                return self.government(key).start
            case "status":
                return self.government(key).statuses[int(rest[0])].start
            case "capital":
                return self.capital(key).start
        raise ValueError(f"not a dated reference: {ref!r}")

    def dated_events(self) -> list[Event]:
        """Events with a date, earliest first (by their latest possible day, then key)."""
        dated = [(item, item.date) for item in self.events if item.date is not None]
        dated.sort(key=lambda pair: (*reversed(pair[1].span()), pair[0].key))
        return [item for item, _ in dated]

    # -- names and places --------------------------------------------------------

    def mentions_place(self, text: str, where: Place) -> bool:
        return any(contains_words(text, name) for name in (where.name, *where.aliases))

    def places_confusable(self, first: Place, second: Place) -> bool:
        """Whether one place might be taken for, lie in or border the other.

        True when they are the same, one lists the other as ``near``, they share a
        distinctive word ("Chincha Alta", "Chincha Baja") or one's description names the other.
        """
        if first.key == second.key or first.key in second.near or second.key in first.near:
            return True
        if _distinctive_words(first) & _distinctive_words(second):
            return True
        return self.mentions_place(first.description, second) or self.mentions_place(second.description, first)

    def country_mentioned(self, words: str, country: str) -> bool:
        """Whether the text names the country or its people ("Chilean-recognized" names Chile)."""
        if contains_words(words, country) or any(contains_words(words, word) for word in _DEMONYMS.get(country, ())):
            return True
        folded = fold(country).split()
        if len(folded) > 1:
            return False
        stem = folded[0][:-1] if folded[0][-1:] in ("a", "e", "o") else folded[0]
        return any(word.startswith(stem) for word in fold(words).split())

    # -- texts a fact's words cover: what they mention is never denied -----------

    def event_text(self, item: Event) -> str:
        return f"{item.name} {item.description}"

    def proposal_text(self, item: Proposal) -> str:
        return f"{item.name} {item.content} {item.description} {item.party} {item.to_party}"

    def government_text(self, item: Government) -> str:
        return f"{item.name} {item.description}"

    def event_people(self, item: Event) -> set[str]:
        """Everyone an event involved: its people, winners and losers, and the people of proposals made in it."""
        found = {*item.people, *item.winners, *item.losers}
        found |= {key for proposal in self.proposals if proposal.event == item.key for key in proposal.people}
        return {key for key in found if key in self._people}

    def itinerary(self, item: Event) -> set[str]:
        """Every place any person of the event is recorded at, in any event."""
        involved = self.event_people(item)
        return {key for other in self.events if involved & self.event_people(other) for key in other.all_places} | set(
            item.all_places
        )

    # -- the relations -------------------------------------------------------------

    def truth(self, relation: Relation, subject: str, value: Value) -> Truth:
        """Whether the value makes the relation hold for the subject (see :class:`Relation`)."""
        return self._deciders[relation](self, subject, value)

    def decide_date(self, subject: str, value: Value) -> Truth:
        """TRUE when the stated date covers every day the fact allows; FALSE when it covers none."""
        fact = self.date_of(subject)
        if fact is None:
            return Truth.UNKNOWN
        return _covers(When.parse(value.raw), fact)

    def _decide_earlier(self, subject: str, value: Value) -> Truth:
        return _order(self.date_of(self._dated(value)), self.date_of(subject))

    def _decide_later(self, subject: str, value: Value) -> Truth:
        return _order(self.date_of(subject), self.date_of(self._dated(value)))

    def _dated(self, value: Value) -> str:
        return f"{value.type}:{value.raw}"

    def _decide_at_date(self, subject: str, value: Value) -> Truth:
        return self.decide_date(f"event:{value.raw}", Value("when", subject.removeprefix("when:")))

    def _decide_place(self, subject: str, value: Value) -> Truth:
        item = self.event(subject.removeprefix("event:"))
        here = [key for key in (item.place, *item.places) if key]
        return self._place_truth(item, value.raw, here)

    def _decide_event_at(self, subject: str, value: Value) -> Truth:
        return self._decide_place(f"event:{value.raw}", place(subject.removeprefix("place:")))

    def _decide_origin(self, subject: str, value: Value) -> Truth:
        item = self.event(subject.removeprefix("event:"))
        return self._place_truth(item, value.raw, [item.origin] if item.origin else [])

    def _decide_via(self, subject: str, value: Value) -> Truth:
        item = self.event(subject.removeprefix("event:"))
        return self._place_truth(item, value.raw, list(item.via))

    def _decide_destination(self, subject: str, value: Value) -> Truth:
        item = self.event(subject.removeprefix("event:"))
        return self._place_truth(item, value.raw, [item.destination] if item.destination else [])

    def _place_truth(self, item: Event, key: str, true_places: list[str]) -> Truth:
        """TRUE for one of ``true_places``; FALSE for a place nowhere near the event, the places its words
        name, or its people's travels."""
        if key in true_places:
            return Truth.TRUE
        if not true_places:
            return Truth.UNKNOWN
        candidate = self.place(key)
        named = {where.key for where in self.places if self.mentions_place(self.event_text(item), where)}
        if any(self.places_confusable(candidate, self.place(other)) for other in self.itinerary(item) | named):
            return Truth.UNKNOWN
        return Truth.FALSE

    def _decide_involved(self, subject: str, value: Value) -> Truth:
        item = self.event(subject.removeprefix("event:"))
        if value.raw in self.event_people(item):
            return Truth.TRUE
        return self._unmentioned(self.person(value.raw), self.event_text(item))

    def _decide_involved_in(self, subject: str, value: Value) -> Truth:
        return self._decide_involved(f"event:{value.raw}", person(subject.removeprefix("person:")))

    def _unmentioned(self, who: Person, words: str) -> Truth:
        return Truth.UNKNOWN if mentions(words, who) else Truth.FALSE

    def _decide_winner(self, subject: str, value: Value) -> Truth:
        return self._outcome(subject, value, winners=True)

    def _decide_loser(self, subject: str, value: Value) -> Truth:
        return self._outcome(subject, value, winners=False)

    def _outcome(self, subject: str, value: Value, *, winners: bool) -> Truth:
        item = self.event(subject.removeprefix("event:"))
        ours, theirs = (item.winners, item.losers) if winners else (item.losers, item.winners)
        if value.raw in ours:
            return Truth.TRUE
        if value.raw in theirs:
            return Truth.FALSE
        if not ours:
            return Truth.UNKNOWN
        if value.raw in self._people:
            if value.raw in self.event_people(item):
                return Truth.UNKNOWN
            return self._unmentioned(self.person(value.raw), self.event_text(item))
        return Truth.UNKNOWN

    def _decide_led_to(self, subject: str, value: Value) -> Truth:
        return self._cause(subject.removeprefix("event:"), value.raw)

    def _decide_caused_by(self, subject: str, value: Value) -> Truth:
        return self._cause(value.raw, subject.removeprefix("event:"))

    def _cause(self, cause_key: str, effect_key: str) -> Truth:
        """TRUE when the facts say one led to the other; FALSE when the effect was certainly over first."""
        cause, effect = self.event(cause_key), self.event(effect_key)
        if effect.key in cause.led_to:
            return Truth.TRUE
        if cause.date and effect.date and certainly_before(effect.date, cause.date):
            return Truth.FALSE
        return Truth.UNKNOWN

    def _decide_holder(self, subject: str, value: Value) -> Truth:
        holder, role = self.role(subject)
        candidate = self.person(value.raw)
        if candidate.key == holder.key:
            return Truth.TRUE
        for other in candidate.roles:
            if fold(other.office) == fold(role.office) and other.government == role.government:
                return Truth.TRUE if _periods_may_overlap(role, other) else Truth.UNKNOWN
        if any(offices_alike(other.office, role.office) for other in candidate.roles):
            return Truth.UNKNOWN
        if role.government and candidate.key in self.government(role.government).leaders:
            return Truth.UNKNOWN
        return Truth.FALSE

    def _decide_office(self, subject: str, value: Value) -> Truth:
        holder, role = self.role(subject)
        if fold(value.raw) == fold(role.office):
            return Truth.TRUE
        if any(offices_alike(other.office, value.raw) for other in holder.roles):
            return Truth.UNKNOWN
        return Truth.FALSE

    def _decide_appointer(self, subject: str, value: Value) -> Truth:
        holder, role = self.role(subject)
        return self._role_person(holder, role, role.appointed_by, value.raw)

    def _decide_successor(self, subject: str, value: Value) -> Truth:
        holder, role = self.role(subject)
        return self._role_person(holder, role, role.successor, value.raw)

    def _role_person(self, holder: Person, role: Office, answer: str | None, key: str) -> Truth:
        """TRUE for the recorded person; FALSE for someone with no part in the role's government or story."""
        if answer is None:
            return Truth.UNKNOWN
        if key == answer:
            return Truth.TRUE
        candidate = self.person(key)
        if key == holder.key:
            return Truth.FALSE
        if role.government and self._in_government(candidate, role.government):
            return Truth.UNKNOWN
        if any(offices_alike(other.office, role.office) for other in candidate.roles):
            return Truth.UNKNOWN
        return self._unmentioned(candidate, holder.description)

    def _in_government(self, who: Person, government_key: str) -> bool:
        return who.key in self.government(government_key).leaders or any(
            role.government == government_key for role in who.roles
        )

    def _decide_leader(self, subject: str, value: Value) -> Truth:
        item = self.government(subject.removeprefix("government:"))
        if value.raw in item.leaders:
            return Truth.TRUE
        return Truth.UNKNOWN if value.raw in self.possible_leaders(item) else Truth.FALSE

    def possible_leaders(self, item: Government) -> set[str]:
        """Everyone who might fairly be said to have led the government, besides its leaders.

        Anyone with a post in it or in another government of its camp, the
        leaders of that camp, anyone its words mention, and anyone whose post's
        title shares a word with its name ("Resistance leader").
        """
        allied = {g.key for g in self.governments if _camp(g) == _camp(item)}
        led_allied = {key for g in self.governments if g.key in allied for key in g.leaders}
        name_words = set(fold(item.name).split()) - _OFFICE_FILLER
        return led_allied | {
            someone.key
            for someone in self.people
            if any(role.government in allied for role in someone.roles)
            or mentions(self.government_text(item), someone)
            or any(name_words & set(fold(role.office).split()) for role in someone.roles)
            or _SIDE_OF_CAMP.get(_camp(item)) in someone.sides
        }

    def _decide_led(self, subject: str, value: Value) -> Truth:
        who = self.person(subject.removeprefix("person:"))
        item = self.government(value.raw)
        if who.key in item.leaders:
            return Truth.TRUE
        involved = {g.key for g in self.governments if who.key in g.leaders} | {
            role.government for role in who.roles if role.government
        }
        camps = {_camp(self.government(key)) for key in involved}
        if _camp(item) in camps or mentions(self.government_text(item), who):
            return Truth.UNKNOWN
        return Truth.FALSE

    def _decide_seat(self, subject: str, value: Value) -> Truth:
        item = self.government(subject.removeprefix("government:"))
        if item.seat is None:
            return Truth.UNKNOWN
        if value.raw == item.seat:
            return Truth.TRUE
        candidate = self.place(value.raw)
        continuing_seats = [g.seat for g in self.governments if g.seat and self.continuous(g, item)]
        if any(self.places_confusable(candidate, self.place(seat)) for seat in continuing_seats):
            return Truth.UNKNOWN
        if self.mentions_place(self.government_text(item), candidate):
            return Truth.UNKNOWN
        return Truth.FALSE

    def _decide_seat_of(self, subject: str, value: Value) -> Truth:
        return self._decide_seat(f"government:{value.raw}", place(subject.removeprefix("place:")))

    def continuous(self, first: Government, second: Government) -> bool:
        """Whether two governments may count as one: the same, sharing a leader, or one's leader in the other.

        Montero, vice president under La Magdalena, went on to lead the
        government in Cajamarca; a country that recognized the first may have
        kept dealing with it.
        """
        if first.key == second.key:
            return True
        for one, other in ((first, second), (second, first)):
            if set(one.leaders) & set(other.leaders):
                return True
            if any(role.government == other.key for key in one.leaders for role in self.person(key).roles):
                return True
        return False

    def recognized_by_country(self, country: str) -> set[str]:
        return {
            r.government
            for r in self.recognitions
            if r.country == country and r.stance is Stance.RECOGNIZED and r.government
        }

    def _decide_recognized(self, subject: str, value: Value) -> Truth:
        country = subject.removeprefix("country:")
        item = self.government(value.raw)
        recognized = [self.government(key) for key in self.recognized_by_country(country)]
        if item.key in {g.key for g in recognized}:
            return Truth.TRUE
        if any(self.continuous(item, other) for other in recognized):
            return Truth.UNKNOWN
        if self.country_mentioned(self.government_text(item), country):
            return Truth.UNKNOWN
        return Truth.FALSE

    def _decide_recognizer(self, subject: str, value: Value) -> Truth:
        return self._decide_recognized(f"country:{value.raw}", government(subject.removeprefix("government:")))

    def _decide_stance(self, subject: str, value: Value) -> Truth:
        """A country's stance: recorded ones TRUE; "recognized G" FALSE when G is certainly not recognized;
        "abstained" FALSE for a country that recognized a government and never abstained; "condemned" never FALSE."""
        country = subject.removeprefix("country:")
        kind, _, government_key = value.raw.partition("|")
        own = [r for r in self.recognitions if r.country == country]
        if any(r.stance.value == kind and (r.government or "") == government_key for r in own):
            return Truth.TRUE
        if kind == Stance.RECOGNIZED and government_key:
            return self._decide_recognized(subject, government(government_key))
        if kind == Stance.ABSTAINED and not government_key:
            recognizes = any(r.stance is Stance.RECOGNIZED for r in own)
            abstains = any(r.stance is Stance.ABSTAINED for r in own)
            return Truth.FALSE if recognizes and not abstains else Truth.UNKNOWN
        return Truth.UNKNOWN

    def _decide_representative(self, subject: str, value: Value) -> Truth:
        item = self.recognition(subject.removeprefix("recognition:"))
        if value.raw == item.representative:
            return Truth.TRUE
        if item.representative is None:
            return Truth.UNKNOWN
        same_country = {r.representative for r in self.recognitions if r.country == item.country}
        if value.raw in same_country:
            return Truth.UNKNOWN
        return self._unmentioned(self.person(value.raw), item.description)

    def _decide_capital(self, subject: str, value: Value) -> Truth:
        item = self.capital(subject.removeprefix("capital:"))
        if item.place == value.raw:
            return Truth.TRUE
        candidate = self.place(value.raw)
        capitals = [self.place(c.place) for c in self.capitals if c.place]
        if any(self.places_confusable(candidate, other) for other in capitals):
            return Truth.UNKNOWN
        return Truth.FALSE

    def _decide_rival(self, subject: str, value: Value) -> Truth:
        """The government it was set up against; one that certainly began later cannot be."""
        item = self.government(subject.removeprefix("government:"))
        return self._government_link(item, item.rival_of, value.raw, later_is_false=True)

    def _decide_succeeded_by(self, subject: str, value: Value) -> Truth:
        """The government after it; one that certainly began earlier cannot be."""
        item = self.government(subject.removeprefix("government:"))
        return self._government_link(item, item.succeeded_by, value.raw, later_is_false=False)

    def _decide_preceded_by(self, subject: str, value: Value) -> Truth:
        """The government before it; one that certainly began later cannot be."""
        item = self.government(subject.removeprefix("government:"))
        return self._government_link(item, item.preceded_by, value.raw, later_is_false=True)

    def _government_link(self, item: Government, answer: str | None, key: str, *, later_is_false: bool) -> Truth:
        if answer is None:
            return Truth.UNKNOWN
        if key == answer:
            return Truth.TRUE
        candidate = self.government(key)
        if self.continuous(candidate, item) or self.continuous(candidate, self.government(answer)):
            return Truth.UNKNOWN
        if item.start is None or candidate.start is None:
            return Truth.UNKNOWN
        first, second = (item.start, candidate.start) if later_is_false else (candidate.start, item.start)
        return Truth.FALSE if certainly_before(first, second) else Truth.UNKNOWN

    def _decide_enemy(self, subject: str, value: Value) -> Truth:
        item = self.government(subject.removeprefix("government:"))
        if value.raw in item.enemies:
            return Truth.TRUE
        sides = set(self.person(value.raw).sides)
        return Truth.FALSE if sides and sides <= {_camp(item)} else Truth.UNKNOWN

    def _decide_content(self, subject: str, value: Value) -> Truth:
        """A proposal's content TRUE; another proposal's content FALSE when nobody made both."""
        item = self.proposal(subject.removeprefix("proposal:"))
        if fold(value.raw) == fold(item.content):
            return Truth.TRUE
        others = [p for p in self.proposals if fold(p.content) == fold(value.raw)]
        if not others:
            return Truth.UNKNOWN
        ours = _actors(item)
        if any(_actors(other) & ours for other in others):
            return Truth.UNKNOWN
        return Truth.FALSE

    def _decide_proposer(self, subject: str, value: Value) -> Truth:
        item = self.proposal(subject.removeprefix("proposal:"))
        if value.type == "country":
            if item.party and fold(value.raw) == fold(item.party):
                return Truth.TRUE
            return Truth.UNKNOWN if self.country_mentioned(self.proposal_text(item), value.raw) else Truth.FALSE
        if value.raw in item.by:
            return Truth.TRUE
        if value.raw in item.people:
            return Truth.UNKNOWN
        return self._unmentioned(self.person(value.raw), self.proposal_text(item))

    def _decide_recipient(self, subject: str, value: Value) -> Truth:
        item = self.proposal(subject.removeprefix("proposal:"))
        return self._proposal_person(item, item.to, value.raw)

    def _decide_sender(self, subject: str, value: Value) -> Truth:
        item = self.proposal(subject.removeprefix("proposal:"))
        return self._proposal_person(item, item.sent_by, value.raw)

    def _proposal_person(self, item: Proposal, answer: str | None, key: str) -> Truth:
        if answer is None:
            return Truth.UNKNOWN
        if key == answer:
            return Truth.TRUE
        if key in item.people:
            return Truth.FALSE
        return self._unmentioned(self.person(key), self.proposal_text(item))

    def _decide_response(self, subject: str, value: Value) -> Truth:
        _, key, index = subject.split(":")
        response = self.proposal(key).responses[int(index)]
        return _truth((value == YES) == response.accepted)

    def _decide_realized(self, subject: str, value: Value) -> Truth:
        item = self.proposal(subject.removeprefix("proposal:"))
        if item.realized is None:
            return Truth.UNKNOWN
        return _truth((value == YES) == item.realized)

    def _decide_name(self, subject: str, value: Value) -> Truth:
        item = self.name_fact(subject.removeprefix("name:"))
        if fold(value.raw) in {fold(text) for text in (item.name, *item.aliases)}:
            return Truth.TRUE
        others = [n for n in self.names if fold(value.raw) in {fold(text) for text in (n.name, *n.aliases)}]
        return Truth.FALSE if others else Truth.UNKNOWN

    def _decide_shown_on(self, subject: str, value: Value) -> Truth:
        item = self.name_fact(subject.removeprefix("name:"))
        if item.shown_on and fold(value.raw) in {fold(text) for text in (item.shown_on, *item.shown_on_aliases)}:
            return Truth.TRUE
        return Truth.UNKNOWN

    _deciders: ClassVar[dict[Relation, Callable[..., Truth]]] = {
        Relation.DATE: decide_date,
        Relation.EARLIER: _decide_earlier,
        Relation.LATER: _decide_later,
        Relation.AT_DATE: _decide_at_date,
        Relation.PLACE: _decide_place,
        Relation.EVENT_AT: _decide_event_at,
        Relation.ORIGIN: _decide_origin,
        Relation.VIA: _decide_via,
        Relation.DESTINATION: _decide_destination,
        Relation.INVOLVED: _decide_involved,
        Relation.INVOLVED_IN: _decide_involved_in,
        Relation.WINNER: _decide_winner,
        Relation.LOSER: _decide_loser,
        Relation.LED_TO: _decide_led_to,
        Relation.CAUSED_BY: _decide_caused_by,
        Relation.HOLDER: _decide_holder,
        Relation.OFFICE: _decide_office,
        Relation.APPOINTER: _decide_appointer,
        Relation.SUCCESSOR: _decide_successor,
        Relation.LEADER: _decide_leader,
        Relation.LED: _decide_led,
        Relation.SEAT: _decide_seat,
        Relation.SEAT_OF: _decide_seat_of,
        Relation.RECOGNIZED: _decide_recognized,
        Relation.RECOGNIZER: _decide_recognizer,
        Relation.STANCE: _decide_stance,
        Relation.REPRESENTATIVE: _decide_representative,
        Relation.CAPITAL: _decide_capital,
        Relation.RIVAL: _decide_rival,
        Relation.SUCCEEDED_BY: _decide_succeeded_by,
        Relation.PRECEDED_BY: _decide_preceded_by,
        Relation.ENEMY: _decide_enemy,
        Relation.CONTENT: _decide_content,
        Relation.PROPOSER: _decide_proposer,
        Relation.RECIPIENT: _decide_recipient,
        Relation.SENDER: _decide_sender,
        Relation.RESPONSE: _decide_response,
        Relation.REALIZED: _decide_realized,
        Relation.NAME: _decide_name,
        Relation.SHOWN_ON: _decide_shown_on,
    }

    # -- what a free answer could be -----------------------------------------------

    def candidates(self, relation: Relation) -> Iterator[Value]:
        """Every value of the relation's type the facts know: what a typed answer might name."""
        match relation:
            case Relation.LEADER | Relation.HOLDER | Relation.APPOINTER | Relation.SUCCESSOR | Relation.INVOLVED:
                yield from (person(p.key) for p in self.people)
            case Relation.PROPOSER | Relation.RECIPIENT | Relation.SENDER | Relation.WINNER | Relation.LOSER:
                yield from (person(p.key) for p in self.people)
            case Relation.NAME:
                yield from (text(n.name) for n in self.names)
            case _:
                return

    # -- how values read -------------------------------------------------------------

    def label(self, value: Value, language: Language = Language.ENGLISH) -> str:
        """A value as an option or answer shows it, in ``language``.

        Raises:
            MissingSpanish: for a Spanish label of a fact that has no Spanish name yet.
        """
        if language is Language.SPANISH:
            return self._spanish_label(value)
        match value.type:
            case "person":
                return capitalize_first(self.person(value.raw).name)
            case "place":
                return capitalize_first(self.place(value.raw).name)
            case "actor":
                return capitalize_first(self.actor(value.raw).name)
            case "event":
                return capitalize_first(self.event(value.raw).name)
            case "government":
                return capitalize_first(self.government(value.raw).name)
            case "when":
                return When.parse(value.raw).display()
            case "country":
                return value.raw
            case "stance":
                kind, _, government_key = value.raw.partition("|")
                return capitalize_first(self.stance_phrase(Stance(kind), government_key or None))
            case "bool":
                return "True" if value == YES else "False"
        return capitalize_first(value.raw)

    def _spanish_label(self, value: Value) -> str:
        match value.type:
            case "person" | "actor" | "place" | "event" | "government":
                return capitalize_first(self.spanish_name(value.type, value.raw))
            case "when":
                return spanish_display(When.parse(value.raw))
            case "stance":
                kind, _, government_key = value.raw.partition("|")
                return capitalize_first(self.spanish_stance_phrase(Stance(kind), government_key or None))
            case "bool":
                return "Verdadero" if value == YES else "Falso"
        return capitalize_first(self.spanish_text(value.raw))

    def spanish_name(self, kind: str, key: str) -> str:
        """The Spanish name of a person, place, actor, event or government.

        A person keeps their own name, unless they are known only by a description.
        """
        if kind == "actor":
            kind = "person" if key in self._people else "place"
        if kind == "person":
            someone = self.person(key)
            return someone.es.text("name") if someone.name.startswith("the ") else someone.es.get("name", someone.name)
        item: Place | Event | Government = (
            self.place(key) if kind == "place" else self.event(key) if kind == "event" else self.government(key)
        )
        return item.es.text("name")

    def spanish_text(self, english: str) -> str:
        """The Spanish of a country's name, an office, a proposal's content or a name the facts give."""
        try:
            return self._spanish_texts[fold(english)]
        except KeyError:
            raise MissingSpanish(english) from None

    def spanish_stance_phrase(self, stance: Stance, government_key: str | None) -> str:
        """:meth:`stance_phrase` in Spanish."""
        name = self.spanish_name("government", government_key) if government_key else None
        if stance is Stance.RECOGNIZED:
            return f"reconoció {contract('a', name)}" if name else "reconoció a un gobierno peruano"
        if stance is Stance.ABSTAINED:
            if name:
                return f"se abstuvo de reconocer {contract('a', name)}"
            return "se mantuvo al margen de la disputa sobre quién gobernaba el Perú"
        return f"condenó {contract('a', name)}" if name else "condenó la invasión chilena del Perú"

    def stance_phrase(self, stance: Stance, government_key: str | None) -> str:
        """What a country did, as a past-tense verb phrase."""
        name = self.government(government_key).name if government_key else None
        if stance is Stance.RECOGNIZED:
            return f"recognized {name}" if name else "recognized a Peruvian government"
        if stance is Stance.ABSTAINED:
            return f"abstained from recognizing {name}" if name else "stayed out of the dispute over who governed Peru"
        return f"condemned {name}" if name else "condemned the Chilean invasion of Peru"

    def rival_names(self, answer: Value, language: Language = Language.ENGLISH) -> list[str]:
        """The known names a typed answer must not be mistaken for: those of its own kind (people for a person).

        A Spanish answer must not be mistaken for the Spanish names either.
        """
        if answer.type == "person":
            others = [someone for someone in self.people if someone.key != answer.raw]
            forms = {form for someone in others for form in name_forms(someone)}
            if language is Language.SPANISH:
                forms |= {form for someone in others for form in (someone.es.get("name"), *someone.es.many("aliases"))}
            return sorted(form for form in forms if form)
        if answer.type == "text" and answer.raw in {item.name for item in self.names}:
            other_names = [item for item in self.names if item.name != answer.raw]
            forms = {form for item in other_names for form in (item.name, *item.aliases)}
            if language is Language.SPANISH:
                forms |= {form for item in other_names for form in (item.es.get("name"), *item.es.many("aliases"))}
            return sorted(form for form in forms if form)
        return self.known_names(language)

    def known_names(self, language: Language = Language.ENGLISH) -> list[str]:
        """Every name a question might give away: people's name forms, places, countries, names.

        In Spanish, their Spanish names as well (a student may read either).
        """
        found: list[str] = []
        for someone in self.people:
            found += [form for form in name_forms(someone) if len(fold(form)) > 2]
        for where in self.places:
            found += [where.name, *where.aliases]
        found += self.countries
        for item in self.names:
            found += [item.name, *item.aliases]
        if language is Language.SPANISH:
            spanish = [fact.es for fact in self.people] + [fact.es for fact in self.places + self.names]
            for texts in spanish:
                found += [texts.get("name"), *texts.many("aliases")]
            found += [self._spanish_texts.get(fold(country), "") for country in self.countries]
        return sorted({name for name in found if fold(name)}, key=lambda name: (-len(name), name))


def offices_alike(first: str, second: str) -> bool:
    """Whether two office titles share a telling word ("Vice President", "President of Peru").

    Deliberately broad: a person who was vice president might also be called
    president in some account, so the two are never offered against each other.
    """
    first_words = set(fold(first).split()) - _OFFICE_FILLER
    second_words = set(fold(second).split()) - _OFFICE_FILLER
    return bool(first_words & second_words) or fold(first) == fold(second)


def _camp(item: Government) -> str:
    """Which side a government was on: resistance, collaborationist or occupation."""
    return _CAMPS.get(item.kind, item.kind)


def _actors(item: Proposal) -> set[str]:
    return {*item.by, *([item.sent_by] if item.sent_by else []), *([fold(item.party)] if item.party else [])}


def _covers(stated: When, fact: When) -> Truth:
    """Whether a stated date holds of a fact's date: every allowed day inside it, or none."""
    stated_first, stated_last = stated.span()
    first, last = fact.span()
    if stated == fact or (stated_first <= first and last <= stated_last):
        return Truth.TRUE
    if last < stated_first or stated_last < first:
        return Truth.FALSE
    return Truth.UNKNOWN


def _order(first: When | None, second: When | None) -> Truth:
    """TRUE when ``first`` was certainly over before ``second`` began, FALSE when certainly after."""
    if first is None or second is None:
        return Truth.UNKNOWN
    if certainly_before(first, second):
        return Truth.TRUE
    if certainly_before(second, first):
        return Truth.FALSE
    return Truth.UNKNOWN


def _periods_may_overlap(first: Office, second: Office) -> bool:
    def span(role: Office) -> tuple:
        start = role.start.span()[0] if role.start else None
        end = role.end.span()[1] if role.end else None
        return start, end

    (a_start, a_end), (b_start, b_end) = span(first), span(second)
    if a_end is not None and b_start is not None and a_end < b_start:
        return False
    return not (b_end is not None and a_start is not None and b_end < a_start)


@functools.lru_cache(maxsize=1024)
def _distinctive_words_of(names: tuple[str, ...]) -> frozenset[str]:
    words = {word for name in names for word in fold(name).split()}
    return frozenset(word for word in words - _GENERIC_PLACE_WORDS if len(word) >= 4)


def _distinctive_words(where: Place) -> frozenset[str]:
    return _distinctive_words_of((where.name, *where.aliases))
