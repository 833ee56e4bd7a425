"""The folded text the bank's search matches: no case, no accents, no punctuation, one line a text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.grading import normalize, search_text


def test_prompt_and_answer_are_folded_one_a_line() -> None:
    assert search_text("¿Quién venció en Huamachuco?", "Andrés A. CÁCERES") == (
        "quien vencio en huamachuco\nandres a caceres"
    )
    assert search_text("", "") == "\n"


def test_a_search_with_or_without_accents_folds_to_the_same_words() -> None:
    stored = search_text("Who led the Breña campaign?", "Andrés Avelino Cáceres")
    for query in ("Cáceres", "caceres", "CACERES", "avelino cáceres", "Breña", "brena"):
        assert normalize(query) in stored


@given(st.text(), st.text())
def test_each_line_is_its_text_normalized(prompt: str, answer: str) -> None:
    # normalize never leaves a line break, so the lines split back into the two texts.
    assert search_text(prompt, answer).split("\n") == [normalize(prompt), normalize(answer)]
