"""Formatted question text: Moodle's HTML and Markdown, made safe to show, or flattened to plain text.

A question's prompt, explanation and per-answer feedback are plain text, or
HTML when its details say ``"format": "html"`` (imported from a Moodle file
whose text is ``[html]``, ``[markdown]`` or ``format="html"``). HTML is
sanitized with nh3 (the Ammonia sanitizer) when it is imported and again
whenever it is shown, keeping a small set of tags for text (no scripts, styles,
forms, images or frames, links only to http, https and mailto). Markdown is
turned into HTML first (markdown-it-py, CommonMark, raw HTML left as text).
Options and answers are compared with what students choose or type, so they
are always plain text: :func:`html_to_plain` flattens them.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

HTML = "html"
PLAIN = "plain"

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em", "h3",
        "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"}, "th": {"scope"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Whatever they hold is never text for a student.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "title"})

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False})


def sanitize_html(text: str) -> str:
    """``text`` as safe HTML: only :data:`ALLOWED_TAGS` and attributes, no script, style or event handler."""
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    ).strip()


def markdown_to_html(text: str) -> str:
    """Markdown (CommonMark) as sanitized HTML; raw HTML in it is shown as text."""
    return sanitize_html(_MARKDOWN.render(text))


def html_to_plain(text: str) -> str:
    """The text of an HTML fragment: tags dropped, character references read, runs of white space one space."""
    stripped = nh3.clean(text, tags=set(), clean_content_tags=set(_DROPPED_WITH_CONTENT))
    return " ".join(html.unescape(stripped).split())


def plain_to_html(text: str) -> str:
    """Plain text as HTML showing exactly that text, line breaks kept."""
    return html.escape(text).replace("\n", "<br>")
