"""The colour pairs of app.css, light and dark, meet WCAG 2.1 AA: 4.5:1 for text, 3:1 for focus rings and edges.

axe checks the text it finds on a page; a focus ring only shows on focus and a control's edge is not
text, so their pairs are checked here, from the tokens every rule uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "quizapp" / "static" / "app.css").read_text(encoding="utf-8")
TEXT = 4.5
NON_TEXT = 3.0
# (foreground, background, minimum ratio)
PAIRS = [
    ("ink", "paper", TEXT),
    ("ink", "card", TEXT),
    ("muted", "paper", TEXT),
    ("muted", "card", TEXT),
    ("accent", "paper", TEXT),
    ("accent", "card", TEXT),
    ("accent-ink", "accent", TEXT),
    ("good", "good-bg", TEXT),
    ("bad", "bad-bg", TEXT),
    ("warn", "warn-bg", TEXT),
    ("ink", "neutral-bg", TEXT),
    ("ink", "info-bg", TEXT),
    ("ink", "chosen-bg", TEXT),
    ("header-ink", "header", TEXT),
    ("header-accent", "header", TEXT),
    ("focus", "paper", NON_TEXT),
    ("focus", "card", NON_TEXT),
    ("header-focus", "header", NON_TEXT),
    ("field-line", "field", NON_TEXT),
    ("field-line", "card", NON_TEXT),
]


def tokens(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def schemes() -> dict[str, dict[str, str]]:
    light = tokens(CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))])
    dark_start = CSS.index("@media (prefers-color-scheme: dark)")
    dark = tokens(CSS[dark_start : CSS.index("}\n}", dark_start)])
    return {"light": light, "dark": light | dark}


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_says() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS)
def test_each_pair_has_enough_contrast(scheme: str, foreground: str, background: str, minimum: float) -> None:
    colours = schemes()[scheme]
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= minimum, f"{scheme}: --{foreground} on --{background} is {ratio:.2f}:1"


def test_the_dark_scheme_changes_the_page_colours() -> None:
    light, dark = schemes()["light"], schemes()["dark"]
    assert {name for name in light if light[name] != dark[name]} >= {"ink", "paper", "card", "focus", "muted"}
