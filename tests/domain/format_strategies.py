"""Hypothesis strategies for question drafts full of characters the formats treat specially."""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st

from quizapp.domain.dates import PartialDate
from quizapp.domain.formats import normalize_draft, validate_draft
from quizapp.domain.grading import normalize
from quizapp.domain.questions import TRUE_FALSE_OPTIONS, QuestionDraft, QuestionType, Topic

# Markup of every format (CSV, GIFT, JSON, HTML, format markers, weights) plus accents.
TRICKY = list("|~=#{}:\\\"',;%[]/<>&-_ $*") + ["->", "\\|", "\\n", "::", "####", "[html]", "%50%", "//"]
ACCENTED = list("áéíóúñÑÁÉÍÓÚüÜçÇ¿¡") + ["Cáceres", "Breña", "Ancón", "Piérola"]
PLAIN = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")

_single_line_pieces = st.one_of(
    st.sampled_from(TRICKY + ACCENTED + PLAIN),
    st.characters(blacklist_categories=("Cc", "Cs")),
)
_multi_line_pieces = st.one_of(_single_line_pieces, st.sampled_from(["\n", "\t", "\n\n"]))


def single_line(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    return st.lists(_single_line_pieces, min_size=min_size, max_size=max_size).map("".join).map(str.strip).filter(
        lambda text: len(text) >= min_size
    )


def multi_line(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.lists(_multi_line_pieces, min_size=min_size, max_size=max_size).map("".join).map(str.strip).filter(
        lambda text: len(text) >= min_size
    )


answer_text = single_line(1).filter(lambda text: normalize(text) != "")

partial_dates = st.one_of(
    st.builds(PartialDate, st.integers(1000, 2100)),
    st.builds(PartialDate, st.integers(1000, 2100), st.integers(1, 12)),
    st.builds(PartialDate, st.integers(1000, 2100), st.integers(1, 12), st.integers(1, 28)),
)


@st.composite
def drafts(draw: st.DrawFn, question_type: QuestionType | None = None) -> QuestionDraft:
    """A normalized, valid draft."""
    question_type = question_type or draw(st.sampled_from(QuestionType))
    accepted: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    if question_type == QuestionType.MULTIPLE_CHOICE:
        options = tuple(draw(st.lists(answer_text, min_size=2, max_size=6, unique_by=normalize)))
        answer = draw(st.sampled_from(options))
        accepted = tuple(draw(st.lists(answer_text, max_size=2)))
    elif question_type == QuestionType.TRUE_FALSE:
        answer = draw(st.sampled_from(TRUE_FALSE_OPTIONS))
        options = TRUE_FALSE_OPTIONS
    elif question_type == QuestionType.DATE:
        answer = draw(partial_dates).display()
        accepted = tuple(draw(st.lists(answer_text, max_size=2)))
    else:
        answer = draw(answer_text)
        accepted = tuple(draw(st.lists(answer_text, max_size=3)))
    draft = normalize_draft(
        QuestionDraft(
            id=draw(single_line(1, 20)),
            topic=draw(st.sampled_from(Topic)),
            type=question_type,
            prompt=draw(multi_line(3)),
            answer=answer,
            accepted_answers=accepted,
            options=options,
            explanation=draw(multi_line()),
            source=draw(single_line()),
            tags=tuple(draw(st.lists(single_line(1, 10), max_size=3))),
        )
    )
    assume(not validate_draft(draft))
    return draft


def _prompt_key(draft: QuestionDraft) -> str:
    return " ".join(draft.prompt.casefold().split())


draft_lists = st.lists(drafts(), max_size=5, unique_by=(lambda draft: draft.id, _prompt_key))
