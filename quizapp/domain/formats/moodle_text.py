"""Moodle's text formats (html, markdown, moodle, plain) read into quizapp's plain text or sanitized HTML.

Moodle stores every text with a format. A question whose text is HTML or
Markdown becomes an HTML question here (details ``"format": "html"``): its
prompt, explanation and feedback are sanitized HTML, other parts' plain text
is escaped into HTML. A question whose text is plain (``plain``, or
``moodle``, Moodle's "auto format", which only adds line breaks and links)
stays plain: HTML given for its feedback is flattened to its text. Options,
items and answers are compared with what students choose or type, so they
are always plain text (see :mod:`quizapp.domain.rich_text`).
"""

from __future__ import annotations

import re

from quizapp.domain.question_types.base import WEIGHT_DECIMALS
from quizapp.domain.rich_text import html_to_plain, markdown_to_html, plain_to_html, sanitize_html
from quizapp.domain.topics import slugify

HTML_FORMAT = "html"
MARKDOWN_FORMAT = "markdown"
MOODLE_FORMAT = "moodle"
PLAIN_FORMAT = "plain"
RICH_FORMATS = frozenset({HTML_FORMAT, MARKDOWN_FORMAT})


def is_rich(text_format: str) -> bool:
    """Whether a question in this format becomes an HTML question."""
    return text_format in RICH_FORMATS


def shown_text(text: str, text_format: str, *, rich: bool) -> str:
    """A prompt, explanation or feedback: sanitized HTML in an HTML question (``rich``), else plain text."""
    if not rich:
        return plain_text(text, text_format)
    if text_format == HTML_FORMAT:
        return sanitize_html(text)
    if text_format == MARKDOWN_FORMAT:
        return markdown_to_html(text)
    return plain_to_html(text)


def plain_text(text: str, text_format: str) -> str:
    """An option, item or other text compared with a response: always the plain text a student reads."""
    if text_format == HTML_FORMAT:
        return html_to_plain(text)
    if text_format == MARKDOWN_FORMAT:
        return html_to_plain(markdown_to_html(text))
    return text


_CONTEXT = re.compile(r"\$\w+\$")


def category_topic(category: str) -> tuple[str, str] | None:
    """The topic (slug, name) a Moodle category path names; None for the top of a course (no topic).

    The last part names the topic: ``$course$/top/War/Leaders`` is
    ``("leaders", "Leaders")`` (the name is empty when it is the slug itself).
    Moodle's context (``$course$``, ``$system$``, ...) and its ``top``
    category name nothing. The slug is empty when the name has no letter or digit.
    """
    parts = [part.strip() for part in category.split("/") if part.strip()]
    if parts and _CONTEXT.fullmatch(parts[0]):
        parts.pop(0)
        if parts and parts[0].lower() == "top":
            parts.pop(0)
    if not parts:
        return None
    name = parts[-1]
    slug = slugify(name)
    return slug, name if name != slug else ""


def category_leaf(topic: str, topic_name: str) -> str:
    """The last part of the category a topic is exported as: its name where that gives its slug, else the slug."""
    return topic_name if slugify(topic_name) == topic and "/" not in topic_name else topic


def percent(share: float) -> str:
    """A share of the point as a percentage, as Moodle writes weights: ``0.5`` is ``50`` (8 decimals at most)."""
    return f"{share * 100:.8f}".rstrip("0").rstrip(".")


def share_of(percentage: str) -> float:
    """The share a percentage gives (``"50"`` is 0.5), rounded as :func:`percent` writes it back.

    Raises:
        ValueError: not a number.
    """
    return round(float(percentage) / 100, WEIGHT_DECIMALS)
