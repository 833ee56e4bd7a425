"""Spanish grammar the Spanish templates share: contractions and a fact's Spanish words.

Spanish names in the facts carry their article ("la batalla de Huamachuco", "el Gobierno de
Arequipa"), so a template agrees in gender and number by keeping it, and only joins
"a el" and "de el" as Spanish does ("al Gobierno de Arequipa", "del Gobierno de Arequipa").
"""

from __future__ import annotations

from typing import Protocol

from quizapp.domain.facts import Spanish


class _HasSpanish(Protocol):
    @property
    def es(self) -> Spanish: ...


def contract(preposition: str, phrase: str) -> str:
    """``a`` or ``de`` before ``phrase``, joined with "el": ``al Perú``, ``del Gobierno de Arequipa``, ``de la paz``."""
    if preposition in ("a", "de") and phrase.startswith("el "):
        return f"{preposition}l {phrase.removeprefix('el ')}" if preposition == "a" else f"del {phrase[3:]}"
    return f"{preposition} {phrase}"


def es(item: _HasSpanish, field: str = "name") -> str:
    """The Spanish of one of the fact's fields (raises MissingSpanish when it has none yet)."""
    return item.es.text(field)


def capitalize_es(text: str) -> str:
    """The first letter capitalized, after an opening ``¿`` or ``¡``: ``¿En qué fecha ...?``."""
    opening = len(text) - len(text.lstrip("¿¡"))
    return text[:opening] + text[opening : opening + 1].upper() + text[opening + 1 :]


# Verbs the templates use, in the third person singular and plural.
_PLURALS = {
    "tuvo lugar": "tuvieron lugar",
    "partió": "partieron",
    "pasó": "pasaron",
    "terminó": "terminaron",
    "condujo": "condujeron",
    "fue": "fueron",
    "exigió": "exigieron",
    "incluyó": "incluyeron",
}


def agree(subject: str, verb: str) -> str:
    """The verb in the number of ``subject``: ``agree("los debates ...", "tuvo lugar")`` is ``tuvieron lugar``."""
    return _PLURALS[verb] if subject.startswith(("los ", "las ")) else verb


_PREPOSITIONS = frozenset({"a", "de", "en", "desde", "hacia", "por", "con"})


def which_places(verb: str, subject: str) -> str:
    """``¿Cuál de estos lugares ocupó <subject>?``; a verb ending in a preposition takes it first, as Spanish does.

    ``which_places("vinieron de", "los pronunciamientos")`` is
    ``¿De cuál de estos lugares vinieron los pronunciamientos?``.
    """
    *words, last = verb.split()
    if words and last in _PREPOSITIONS:
        return capitalize_es(f"¿{last} cuál de estos lugares {' '.join(words)} {subject}?")
    return f"¿Cuál de estos lugares {verb} {subject}?"


def listing(items: list[str]) -> str:
    """``A, B y C``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} y {items[-1]}"
