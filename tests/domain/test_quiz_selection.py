import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.quiz import (
    AWAY_AFTER,
    WEAK_DIFFICULTY,
    Candidate,
    answer_duration,
    is_weak,
    select_questions,
    shuffle_options,
    spread_siblings,
)

TEN_NEW = [Candidate(f"q{i:02d}", "dates") for i in range(10)]

# Two due, one weak, three never seen, two seen and fine.
MIXED = [
    Candidate("d1", "dates", due=True, seen=True),
    Candidate("d2", "dates", due=True, seen=True),
    Candidate("w1", "leaders", weak=True, seen=True),
    Candidate("n1", "events"),
    Candidate("n2", "events"),
    Candidate("n3", "people"),
    Candidate("f1", "people", seen=True),
    Candidate("f2", "people", seen=True),
]


# --- select_questions: exact draws --------------------------------------------


def test_select_questions_exact_draw_for_a_seed():
    assert select_questions(TEN_NEW, 5, 42) == ["q03", "q02", "q07", "q08", "q05"]
    assert select_questions(TEN_NEW, 5, 7) == ["q04", "q01", "q08", "q03", "q07"]


def test_select_questions_ignores_the_input_order():
    assert select_questions(list(reversed(TEN_NEW)), 5, 42) == ["q03", "q02", "q07", "q08", "q05"]


def test_half_the_quiz_is_due_cards_first_the_rest_new():
    # length 4: two places for review, both taken by the due cards (before the weak one).
    assert select_questions(MIXED, 4, 1) == ["n1", "n2", "d1", "d2"]


def test_review_quota_is_due_then_weak():
    # length 6: three review places (d1, d2, w1), three new (all of them).
    assert select_questions(MIXED, 6, 1) == ["n3", "w1", "d1", "n1", "n2", "d2"]


def test_when_new_run_out_the_rest_fills_the_quiz():
    assert select_questions(MIXED, 8, 1) == ["f2", "w1", "d2", "n1", "n3", "f1", "n2", "d1"]


def test_leftover_due_and_weak_come_before_familiar_questions():
    # length 6 with one new question: three review places, the new one, then the
    # two review questions left over before any familiar one.
    pool = [
        Candidate("d1", "dates", due=True, seen=True),
        Candidate("d2", "dates", due=True, seen=True),
        Candidate("d3", "dates", due=True, seen=True),
        Candidate("d4", "dates", due=True, seen=True),
        Candidate("w1", "dates", weak=True, seen=True),
        Candidate("n1", "dates"),
        Candidate("f1", "dates", seen=True),
        Candidate("f2", "dates", seen=True),
    ]
    assert sorted(select_questions(pool, 6, 3)) == ["d1", "d2", "d3", "d4", "n1", "w1"]


def test_a_short_pool_gives_a_shorter_quiz():
    assert sorted(select_questions(MIXED[:3], 10, 5)) == ["d1", "d2", "w1"]
    assert select_questions([], 5, 5) == []


def test_length_must_be_positive():
    with pytest.raises(ValueError, match="at least one"):
        select_questions(TEN_NEW, 0, 1)


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="only once"):
        select_questions([Candidate("a", "dates"), Candidate("a", "dates", due=True)], 1, 1)


def test_a_string_seed_works_too():
    assert select_questions(TEN_NEW, 3, "abc") == select_questions(TEN_NEW, 3, "abc")


# --- select_questions: properties ----------------------------------------------

candidates_strategy = st.lists(
    st.builds(
        Candidate,
        question_id=st.text(alphabet="abcdefgh0123", min_size=1, max_size=6),
        topic=st.sampled_from(["dates", "leaders", "people"]),
        due=st.booleans(),
        weak=st.booleans(),
        seen=st.booleans(),
    ),
    unique_by=lambda candidate: candidate.question_id,
    max_size=40,
)


@given(candidates_strategy, st.integers(1, 50), st.integers(0, 2**31 - 1))
def test_no_repeats_and_length_is_capped_by_the_pool(candidates, length, seed):
    chosen = select_questions(candidates, length, seed)
    assert len(chosen) == len(set(chosen)) == min(length, len(candidates))
    assert set(chosen) <= {candidate.question_id for candidate in candidates}


@given(candidates_strategy, st.integers(1, 50), st.integers(0, 2**31 - 1), st.randoms())
def test_same_seed_same_quiz_whatever_the_input_order(candidates, length, seed, rng):
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    assert select_questions(shuffled, length, seed) == select_questions(candidates, length, seed)


@given(candidates_strategy, st.integers(1, 50), st.integers(0, 2**31 - 1))
def test_due_questions_fill_up_to_half_the_quiz(candidates, length, seed):
    chosen = set(select_questions(candidates, length, seed))
    due = {candidate.question_id for candidate in candidates if candidate.due}
    assert len(chosen & due) >= min(length // 2, len(due))


@given(candidates_strategy, st.integers(1, 50), st.integers(0, 2**31 - 1))
def test_new_questions_are_not_crowded_out_by_reviews(candidates, length, seed):
    chosen = set(select_questions(candidates, length, seed))
    new = {c.question_id for c in candidates if not (c.seen or c.due or c.weak)}
    assert len(chosen & new) >= min(length - length // 2, len(new))


# --- shuffle_options --------------------------------------------------------------


def test_shuffle_options_exact_order():
    assert shuffle_options(["A", "B", "C", "D"], 42, "q1") == ["C", "A", "D", "B"]
    assert shuffle_options(["A", "B", "C", "D"], 42, "q2") == ["D", "A", "C", "B"]


def test_shuffle_options_does_not_touch_its_input():
    options = ("A", "B", "C")
    shuffle_options(options, 1, "q")
    assert options == ("A", "B", "C")


@given(st.lists(st.text(), max_size=6), st.integers(), st.text())
def test_shuffle_options_is_a_deterministic_permutation(options, seed, question_id):
    shuffled = shuffle_options(options, seed, question_id)
    assert sorted(shuffled) == sorted(options)
    assert shuffle_options(options, seed, question_id) == shuffled


# --- is_weak -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lapses", "difficulty", "last_quiz_correct", "expected"),
    [
        (None, None, None, False),
        (0, 5.0, True, False),
        (1, 5.0, True, True),
        (0, WEAK_DIFFICULTY, None, False),
        (0, WEAK_DIFFICULTY + 0.1, None, True),
        (0, 2.0, False, True),
    ],
)
def test_is_weak(lapses, difficulty, last_quiz_correct, expected):
    assert is_weak(lapses, difficulty, last_quiz_correct) is expected


# --- answer_duration -----------------------------------------------------------------

SHOWN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("shown_at", "answered_at", "expected"),
    [
        (SHOWN, SHOWN + timedelta(seconds=12), timedelta(seconds=12)),
        (SHOWN, SHOWN + AWAY_AFTER, AWAY_AFTER),
        (SHOWN, SHOWN + AWAY_AFTER + timedelta(seconds=1), None),
        (SHOWN, SHOWN - timedelta(seconds=1), None),
        (None, SHOWN, None),
    ],
)
def test_answer_duration(shown_at, answered_at, expected):
    assert answer_duration(shown_at, answered_at) == expected


# --- siblings never back to back ---------------------------------------------------------


def _facts(order: str) -> list[Candidate]:
    return [Candidate(question_id=f"q{index}", topic="events", fact=fact) for index, fact in enumerate(order)]


@pytest.mark.parametrize(
    ("facts", "spread"),
    [
        ("AAABBC", "ABABAC"),
        ("ABCABC", "ABCABC"),  # already apart: kept as it is
        ("AABB", "ABAB"),
        ("AAAAB", "ABAAA"),  # cannot be avoided: as few neighbours as possible
        ("ABBB", "BABB"),
    ],
)
def test_siblings_are_spread_apart_changing_the_order_as_little_as_needed(facts, spread):
    assert "".join(candidate.fact for candidate in spread_siblings(_facts(facts))) == spread


def test_questions_without_a_fact_are_nobodys_siblings():
    candidates = [Candidate(question_id=f"t-{index}", topic="events") for index in range(4)]
    assert spread_siblings(candidates) == candidates


@given(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=30))
def test_spreading_leaves_the_fewest_neighbours_of_one_fact(facts):
    candidates = _facts("".join(facts))
    spread = spread_siblings(candidates)
    assert sorted(c.question_id for c in spread) == sorted(c.question_id for c in candidates)
    neighbours = sum(a.fact == b.fact for a, b in itertools.pairwise(spread))
    most = max(Counter(facts).values())
    assert neighbours == max(0, most - (len(facts) - most) - 1)


def test_a_drawn_quiz_keeps_siblings_apart():
    pool = [Candidate(question_id=f"q{index:02d}", topic="events", fact=f"fact-{index % 4}") for index in range(40)]
    for seed in range(50):
        drawn = select_questions(pool, 12, seed)
        facts = [int(question_id[1:]) % 4 for question_id in drawn]
        most = max(Counter(facts).values())
        neighbours = sum(a == b for a, b in itertools.pairwise(facts))
        assert neighbours == max(0, 2 * most - len(facts) - 1), seed  # none whenever some order has none
