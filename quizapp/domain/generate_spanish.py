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
