"""Text helpers shared by the fact knowledge, the generator and the verifier.

Texts are compared the way the grader compares responses: casefolded, without
accents, punctuation as spaces (:func:`fold`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable


def strip_accents(text: str) -> str:
    """``"Nicolás de Piérola"`` -> ``"Nicolas de Pierola"``; other characters are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@functools.lru_cache(maxsize=8192)  # the same names and descriptions are folded again and again
def fold(text: str) -> str:
    """The form texts are compared in: casefolded, unaccented, punctuation as spaces.

    It matches how responses are graded, so two options that fold alike would be
    indistinguishable to the grader.
    """
    plain = strip_accents(text.casefold())
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def slugify(text: str) -> str:
    """``"Minister of War"`` -> ``"minister-of-war"``, for ids."""
    return "-".join(fold(text).split())


def contains_words(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words, ignoring case and accents."""
    folded_needle = fold(needle)
    return bool(folded_needle) and f" {folded_needle} " in f" {fold(haystack)} "


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def full_stop(text: str) -> str:
    """One sentence ending in punctuation, capitalized; empty text stays empty."""
    text = " ".join(text.split())
    if not text:
        return ""
    if text[-1] not in ".!?":
        text += "."
    return capitalize_first(text)


def explain(*parts: str) -> str:
    """Join the non-empty parts into sentences."""
    return " ".join(full_stop(part) for part in parts if part and part.strip())


def country_in_text(country: str) -> str:
    """Country names that need "the" in running text: ``"the United States"``."""
    if re.match(r"^(United|Kingdom|Republic|Netherlands|Philippines)\b", country):
        return f"the {country}"
    return country


def unique_case_insensitive(items: Iterable[str]) -> list[str]:
    """Items in order, stripped, without empty ones or case-insensitive repeats."""
    seen: set[str] = set()
    result = []
    for item in items:
        text = " ".join(item.split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text)
    return result
