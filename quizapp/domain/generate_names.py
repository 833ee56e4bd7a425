"""People's names for the question generator: surnames, accepted answers, redaction."""

from __future__ import annotations

import re
from collections.abc import Sequence

from quizapp.domain.facts import Person
from quizapp.domain.words import (
    capitalize_first,
    contains_words,
    fold,
    slugify,
    strip_accents,
    unique_case_insensitive,
)

_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "di", "van", "von"})
_QUOTES = "\"“”«»"
_STAND_IN = "this person"


def surname_forms(person: Person) -> tuple[str, ...]:
    """The surname as written in the name, with a leading particle as a second form.

    The person's key names the surname when it can (``pierola`` in
    ``Nicolás de Piérola`` gives ``Piérola`` and ``de Piérola``;
    ``garcia-calderon`` gives ``García Calderón``); otherwise the last word that
    is neither a nickname, an initial nor a particle. A one-word name has none,
    nor has someone known only by a description ("the brother of Miguel Iglesias").
    """
    if person.name.startswith("the "):
        return ()
    words = person.name.split()
    slugs = [slugify(word) for word in words]
    key_parts = person.key.split("-")
    run: tuple[int, int] | None = None
    for start in range(len(words) - len(key_parts) + 1):
        end = start + len(key_parts)
        if slugs[start:end] == key_parts and (start, end) != (0, len(words)):
            run = (start, end)
            break
    if run is None:
        plain = [
            index
            for index, word in enumerate(words)
            if not any(q in word for q in _QUOTES)
            and len(slugs[index]) > 1
            and not word.endswith(".")
            and word.lower() not in _PARTICLES
        ]
        if len(plain) < 2:
            return ()
        run = (plain[-1], plain[-1] + 1)
    start, end = run
    forms = [" ".join(words[start:end])]
    if start > 0 and words[start - 1].lower() in _PARTICLES:
        forms.append(" ".join(words[start - 1 : end]))
    return tuple(forms)


def name_forms(person: Person) -> tuple[str, ...]:
    """Every way the data writes the person: name, aliases and surname forms."""
    return tuple(unique_case_insensitive([person.name, *person.aliases, *surname_forms(person)]))


def accepted_answers(person: Person, people: Sequence[Person]) -> tuple[str, ...]:
    """Other responses that name the person: aliases and the surname alone.

    A surname that is also how someone else is written is left out, since it
    would not say which of them is meant. Spellings without accents are not
    listed: the grader ignores accents. The full name itself is never included.
    """
    others = {fold(form) for other in people if other.key != person.key for form in name_forms(other)}
    surnames = [form for form in surname_forms(person) if fold(form) not in others]
    return tuple(
        text
        for text in unique_case_insensitive([*person.aliases, *surnames])
        if fold(text) != fold(person.name)
    )


def accepted_names(person: Person, people: Sequence[Person]) -> tuple[str, ...]:
    """Accepted answers, plus the name without a leading "the" for someone known only by a description."""
    accepted = accepted_answers(person, people)
    if person.name.startswith("the "):
        accepted = (person.name.removeprefix("the "), *accepted)
    return accepted


def mentions(text: str, person: Person) -> bool:
    """Whether the text names the person in any of the ways the data writes them."""
    return any(contains_words(text, form) for form in name_forms(person) if len(fold(form)) > 2)


def redact(text: str, person: Person, people: Sequence[Person]) -> str | None:
    """The text with the person's names replaced by "this person".

    Other people's full names are left intact even when they share the surname
    ("brother of Miguel Iglesias" stays). Returns None when a name still shows.
    """
    shielded: dict[str, str] = {}

    def shield(match: re.Match[str]) -> str:
        token = f"\x00{len(shielded)}\x00"
        shielded[token] = match.group(0)
        return token

    others = {form for other in people if other.key != person.key for form in (other.name, *other.aliases)}
    for form in sorted(others, key=lambda form: (-len(form), form)):
        text = _word_pattern(form).sub(shield, text)
    own = {*name_forms(person), *(strip_accents(form) for form in name_forms(person))}
    for form in sorted(own, key=lambda form: (-len(form), form)):
        text = _word_pattern(form).sub(_STAND_IN, text)
    for token, original in shielded.items():
        text = text.replace(token, original)
    if mentions(text, person) and not _only_in_other_names(text, person, others):
        return None
    return capitalize_first(text)


def _only_in_other_names(text: str, person: Person, others: set[str]) -> bool:
    remaining = text
    for form in sorted(others, key=lambda form: (-len(form), form)):
        remaining = _word_pattern(form).sub(" ", remaining)
    return not mentions(remaining, person)


def _word_pattern(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)
