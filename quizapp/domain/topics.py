"""Topics: what a slug is, and the slug a topic's name gives."""

from __future__ import annotations

import re
import unicodedata

from quizapp.domain.questions import TOPIC_SLUG_MAX_LENGTH

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(name: str) -> str:
    """The slug of a topic's name: ``"Guerra del Pacífico"`` is ``guerra-del-pacifico``.

    Accents are dropped, letters lowercased, every run of other characters is
    one ``-``; cut to TOPIC_SLUG_MAX_LENGTH. A slug is its own slug.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    ascii_text = "".join(char for char in decomposed if char.isascii())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:TOPIC_SLUG_MAX_LENGTH].rstrip("-")


def slug_problem(slug: str) -> str | None:
    """What is wrong with a topic slug, or None."""
    if not slug:
        return "topic is required"
    if len(slug) > TOPIC_SLUG_MAX_LENGTH or not _SLUG.fullmatch(slug):
        return (
            f"topic {slug[:60]!r} is not a topic slug: lowercase letters, digits and single hyphens, "
            f"at most {TOPIC_SLUG_MAX_LENGTH} characters"
        )
    return None
