"""The languages the app is taught in: its interface and its bank come in each of them."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """A language, as its BCP 47 primary tag (``<html lang>``, Accept-Language, gettext catalogs)."""

    ENGLISH = "en"
    SPANISH = "es"


DEFAULT_LANGUAGE = Language.ENGLISH

# Each language named in itself, as a switcher shows them: a reader finds their own.
LANGUAGE_NAMES = {Language.ENGLISH: "English", Language.SPANISH: "Español"}


def language_of(tag: str) -> Language | None:
    """The language of a tag such as ``es-PE`` or ``EN``; None for any other language.

    Example: ``language_of("es-PE")`` is ``Language.SPANISH``; ``language_of("fr")`` is None.
    """
    primary = tag.strip().split("-", 1)[0].split("_", 1)[0].lower()
    try:
        return Language(primary)
    except ValueError:
        return None
