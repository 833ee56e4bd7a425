"""Item analysis against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from quizapp.domain.stats import (
    MIN_ATTEMPTS_TO_FLAG,
    ItemFlag,
    ItemStatistics,
    WrongAnswer,
    item_statistics,
    most_common_wrong_answers,
)

# Four attempts. q4 is in every attempt with full marks and q5 only in the
# first two with none: both add a constant to the "rest" of q1-q3, which
# cannot change a correlation, and so do not disturb the arithmetic below.
#
#            q1   q2   q3   q4   q5   total
#   A1        1    1    1    1    0    4
#   A2        1   .5    0    1    0    2.5
#   A3        0    1    0    1    -    2
#   A4        1    0    0    1    -    2
ATTEMPTS = [
    {"q1": 1.0, "q2": 1.0, "q3": 1.0, "q4": 1.0, "q5": 0.0},
    {"q1": 1.0, "q2": 0.5, "q3": 0.0, "q4": 1.0, "q5": 0.0},
    {"q1": 0.0, "q2": 1.0, "q3": 0.0, "q4": 1.0},
    {"q1": 1.0, "q2": 0.0, "q3": 0.0, "q4": 1.0},
]

# q1: x = 1, 1, 0, 1        mean 3/4           F = 0.75
#     x - mean = 1/4, 1/4, -3/4, 1/4           Sxx = (1 + 1 + 9 + 1)/16 = 3/4
#     SD = sqrt((3/4) / 3) = sqrt(1/4) = 0.5
#     rest y = 3, 1.5, 2, 1  mean 7.5/4 = 1.875
#     y - mean = 1.125, -0.375, 0.125, -0.875  Syy = 1.265625 + 0.140625 + 0.015625 + 0.765625 = 2.1875 = 35/16
#     Sxy = (1.125 - 0.375 + 0.125·(-3) - 0.875)/4 = (1.125 - 0.375 - 0.375 - 0.875)/4 = -0.5/4 = -1/8
#     r = (-1/8) / sqrt(3/4 · 35/16) = (-1/8) / (sqrt(105)/8) = -1/sqrt(105) = -0.0975900...
#     discrimination = -9.7590
# q2: x = 1, .5, 1, 0       mean 2.5/4 = 0.625  F = 0.625
#     x - mean = 3/8, -1/8, 3/8, -5/8          Sxx = (9 + 1 + 9 + 25)/64 = 44/64 = 11/16
#     SD = sqrt((11/16) / 3) = sqrt(11/48) = 0.478713...
#     rest y = 3, 2, 1, 2    mean 2            y - mean = 1, 0, -1, 0
#     Sxy = 3/8·1 + 3/8·(-1) = 0               discrimination = 0.0 (defined: both sides vary)
# q3: x = 1, 0, 0, 0        mean 1/4           F = 0.25
#     Sxx = 9/16 + 3·1/16 = 3/4                SD = 0.5
#     rest y = 3, 2.5, 2, 2  mean 9.5/4 = 2.375
#     y - mean = 0.625, 0.125, -0.375, -0.375  Syy = (25 + 1 + 9 + 9)/64 = 44/64 = 11/16
#     Sxy = 3/4·0.625 - 1/4·(0.125 - 0.375 - 0.375) = 0.46875 + 0.15625 = 0.625 = 5/8
#     r = (5/8) / sqrt(3/4 · 11/16) = (5/8) / (sqrt(33)/8) = 5/sqrt(33) = 0.870388...
#     discrimination = 87.0388
# q4: every score 1         F = 1.0 > 0.9 (too easy); SD 0; no variance -> discrimination None
# q5: scores 0, 0 (n = 2)   F = 0.0 < 0.2 (too hard); SD 0; discrimination None


def rounded(stats: ItemStatistics) -> tuple[object, ...]:
    def four(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return (
        stats.n,
        four(stats.facility),
        four(stats.standard_deviation),
        four(stats.discrimination_index),
        stats.flags,
    )


def test_hand_computed_item_statistics() -> None:
    result = item_statistics(ATTEMPTS)
    assert list(result) == ["q1", "q2", "q3", "q4", "q5"]
    assert {question_id: rounded(stats) for question_id, stats in result.items()} == {
        # Four attempts or fewer: too few to flag anything (MIN_ATTEMPTS_TO_FLAG is 5).
        "q1": (4, 0.75, 0.5, -9.7590, ()),
        "q2": (4, 0.625, 0.4787, 0.0, ()),
        "q3": (4, 0.25, 0.5, 87.0388, ()),
        "q4": (4, 1.0, 0.0, None, ()),
        "q5": (2, 0.0, 0.0, None, ()),
    }
    assert result["q1"].question_id == "q1"
    assert result["q1"].negative_discrimination and not result["q1"].too_easy
    assert result["q4"].too_easy and result["q5"].too_hard


def test_flags_wait_for_the_minimum_number_of_attempts() -> None:
    assert MIN_ATTEMPTS_TO_FLAG == 5
    # Always wrong, and stronger students do worse on it: flagged from the fifth attempt on.
    attempts = [{"q": 0.0, "other": float(n % 2)} for n in range(4)]
    assert item_statistics(attempts)["q"].too_hard and item_statistics(attempts)["q"].flags == ()
    attempts.append({"q": 0.0, "other": 1.0})
    assert item_statistics(attempts)["q"].flags == (ItemFlag.TOO_HARD,)
    tricky = [{"q": 1.0, "other": 0.0}, {"q": 0.0, "other": 1.0}] * 2
    assert item_statistics(tricky)["q"].negative_discrimination and item_statistics(tricky)["q"].flags == ()
    assert item_statistics([*tricky, {"q": 1.0, "other": 0.0}])["q"].flags == (ItemFlag.NEGATIVE_DISCRIMINATION,)


def test_one_attempt_has_no_spread_and_no_discrimination() -> None:
    assert item_statistics([{"q1": 0.5, "q2": 1}])["q1"] == ItemStatistics("q1", 1, 0.5, None, None)


def test_no_attempts() -> None:
    assert item_statistics([]) == {}


def test_flags_use_strict_thresholds() -> None:
    # F = 9/10 exactly is not "above 0.9"; F = 2/10 is not "below 0.2".
    easy = [{"q": 1.0, "other": 0.0}] * 9 + [{"q": 0.0, "other": 1.0}]
    hard = [{"q": 1.0}] * 2 + [{"q": 0.0}] * 8
    assert item_statistics(easy)["q"].flags == (ItemFlag.NEGATIVE_DISCRIMINATION,)
    assert item_statistics(easy)["q"].facility == 0.9
    assert item_statistics(hard)["q"].flags == ()
    # The rest of each attempt is 0, so it does not vary: discrimination is undefined.
    assert item_statistics(hard)["q"].discrimination_index is None


def test_perfect_discrimination() -> None:
    # Those who got q right also got r right: correlation 1, index 100.
    attempts = [{"q": 1.0, "r": 1.0}, {"q": 0.0, "r": 0.0}, {"q": 1.0, "r": 1.0}]
    assert item_statistics(attempts)["q"].discrimination_index == 100.0


@pytest.mark.parametrize("score", [1.5, -0.1, math.nan, "1"])
def test_scores_must_be_between_0_and_1(score: object) -> None:
    with pytest.raises(ValueError, match="attempt 2: the score of 'q2'"):
        item_statistics([{"q1": 1.0}, {"q1": 0.0, "q2": score}])


def test_most_common_wrong_answers_group_by_normalized_text() -> None:
    responses = [
        ("Montero", False),
        ("Cáceres", True),
        ("Iglesias", False),
        ("  IGLESIAS ", False),
        ("iglesias!", False),
        ("Piérola", False),
        ("montero", False),
        ("Pierola", False),
        ("Piérola", False),
        ("Grau", False),
        ("", False),
        ("   ", False),
        ("Cáceres", True),
    ]
    assert most_common_wrong_answers(responses) == [
        WrongAnswer("Iglesias", 3),  # first of three equally common spellings
        WrongAnswer("Piérola", 3),
        WrongAnswer("Montero", 2),
    ]
    assert most_common_wrong_answers(responses, limit=5)[-1] == WrongAnswer("Grau", 1)
    assert most_common_wrong_answers(responses, limit=0) == []
    assert most_common_wrong_answers([("Lima", True)]) == []
