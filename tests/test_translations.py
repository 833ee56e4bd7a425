"""The Spanish catalog is complete, compiled and consistent with the source (docs/TRANSLATING.md).

The messages are extracted from the source as ``pybabel extract`` does, with babel.cfg and the
same keywords, so a new ``_("...")`` without its Spanish fails here, naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SPANISH = ROOT / "quizapp" / "translations" / "es" / "LC_MESSAGES"
# The lazy forms used for module-level texts and form labels, and N_ marking the domain's problem
# templates (worded by the view layer), besides Babel's own keywords (docs/TRANSLATING.md).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}

MessageId = str | tuple[str, ...]


@cache
def extracted() -> dict[MessageId, list[str]]:
    """Every message the source marks for translation, with where it is."""
    with (ROOT / "babel.cfg").open() as mapping_file:
        method_map, options_map = parse_mapping_cfg(mapping_file)
    found: dict[MessageId, list[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        message_id = message if isinstance(message, str) else tuple(message)
        found.setdefault(message_id, []).append(f"{filename}:{line}")
    return found


def spanish_catalog() -> Catalog:
    with (SPANISH / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale="es")


def _key(text: str | list[str] | tuple[str, ...]) -> MessageId:
    """A message's id or string as one value: plural forms come as a list from .mo, a tuple from .po."""
    return text if isinstance(text, str) else tuple(text)


def _unusable(catalog: Catalog, message_id: MessageId) -> Iterator[str]:
    key = message_id if isinstance(message_id, str) else message_id[0]
    message = catalog.get(key)
    if message is None:
        yield "missing"
        return
    if message.fuzzy:
        yield "fuzzy"
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if not all(strings):
        yield "untranslated"


def test_the_source_marks_messages_for_translation() -> None:
    assert len(extracted()) > 250  # a broken babel.cfg or keyword list would find next to none
    assert "Sign in" in extracted() and "Welcome! Start with a quiz or a few flashcards." in extracted()


def test_every_message_of_the_source_has_its_spanish() -> None:
    catalog = spanish_catalog()
    problems = [
        f"{', '.join(_unusable(catalog, message_id))}: {message_id!r} ({places[0]})"
        for message_id, places in sorted(extracted().items(), key=lambda item: str(item[0]))
        if any(_unusable(catalog, message_id))
    ]
    assert not problems, "run pybabel extract and update, then translate (docs/TRANSLATING.md):\n" + "\n".join(problems)


def test_the_committed_mo_is_the_compiled_po() -> None:
    with (SPANISH / "messages.mo").open("rb") as mo_file:
        compiled = {_key(message.id): _key(message.string) for message in read_mo(mo_file) if message.id}
    written = {
        _key(message.id): _key(message.string) for message in spanish_catalog() if message.id and not message.fuzzy
    }
    assert compiled == written, "run pybabel compile -d quizapp/translations (docs/TRANSLATING.md)"


def test_translations_keep_the_placeholders_of_their_message() -> None:
    problems = [
        f"{message.id!r}: {'; '.join(str(error) for error in errors)}" for message, errors in spanish_catalog().check()
    ]
    assert not problems, "\n".join(problems)
