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

from quizapp.domain.rich_text import html_to_plain, markdown_to_html, plain_to_html, sanitize_html

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
