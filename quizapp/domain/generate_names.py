"""People's names for the question generator: surnames, accepted answers, mentions."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.domain.facts import Person
from quizapp.domain.words import contains_words, fold, slugify, unique_case_insensitive

_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "di", "van", "von"})
_QUOTES = '"“”«»'


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
        text for text in unique_case_insensitive([*person.aliases, *surnames]) if fold(text) != fold(person.name)
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
