"""Hypothesis strategies shared by the domain and app tests: text full of what import formats treat specially."""

from __future__ import annotations

import os

from hypothesis import settings
from hypothesis import strategies as st

from quizapp.domain.dates import PartialDate

# Local runs try fewer examples to stay quick; CI (.ci/run sets HYPOTHESIS_PROFILE=ci) runs them all.
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.register_profile("ci", print_blob=True)
settings.register_profile("dev", max_examples=20)
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """A test's number of examples: all of them in CI, a fifth (at least 5) locally."""
    return count if PROFILE == "ci" else max(5, count // 5)


# Markup of every format (CSV, GIFT, JSON, HTML, format markers, weights) plus accents.
TRICKY = [*list("|~=#{}:\\\"',;%[]/<>&-_ $*"), "->", "\\|", "\\n", "::", "####", "[html]", "%50%", "//"]
ACCENTED = [*list("áéíóúñÑÁÉÍÓÚüÜçÇ¿¡"), "Cáceres", "Breña", "Ancón", "Piérola"]
PLAIN = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")

# Pieces of every import format, to build texts that are almost, but not quite, a valid file.
MARKUP_ALPHABET = st.sampled_from(
    TRICKY
    + list('\n\r\t ,"0123456789TFaz[]')
    + ["$CATEGORY: quizapp/dates\n", "::", "{", "}", "#1883", "TRUE", "\n\n", "// quizapp: ", '{"tags": [1]}']
    + ['"id"', '"options"', "[", "]", "null", "{", "}", ":", "1e999", '"\\ud800"']
    + ["id,topic,type,prompt,answer\n", "multiple_choice", "leaders", '"a\n"']
)


# Dates known to the year, the month or the day, over every year a PartialDate takes.
partial_dates = st.one_of(
    st.integers(1, 9999).map(PartialDate),
    st.builds(PartialDate, st.integers(1, 9999), st.integers(1, 12)),
    st.dates().map(lambda d: PartialDate(d.year, d.month, d.day)),
)
