"""Bar-chart geometry with exact coordinates."""

from __future__ import annotations

import pytest

from quizapp.domain.charts import Bar, BarChart, bar_chart


def test_bars_fill_their_slots_and_scale_to_the_largest_value():
    chart = bar_chart(["a", "b", "c", "d"], [0, 5, 10, 20], width=400, height=140)
    # 100-unit slots, 70-unit bars; a 100-unit plot between y=20 and the baseline y=120.
    assert chart == BarChart(
        width=400,
        height=140,
        max_value=20,
        baseline_y=120,
        bars=(
            Bar("a", 0, "0", x=15, y=120, width=70, height=0, center_x=50, value_y=115, label_y=135),
            Bar("b", 5, "5", x=115, y=95, width=70, height=25, center_x=150, value_y=90, label_y=135),
            Bar("c", 10, "10", x=215, y=70, width=70, height=50, center_x=250, value_y=65, label_y=135),
            Bar("d", 20, "20", x=315, y=20, width=70, height=100, center_x=350, value_y=15, label_y=135),
        ),
    )
    assert chart.view_box == "0 0 400 140"


def test_a_fixed_maximum_sets_the_scale():
    chart = bar_chart(["a", "b"], [25, 50], max_value=100, width=200, height=140)
    assert [(bar.y, bar.height) for bar in chart.bars] == [(95, 25), (70, 50)]
    assert chart.max_value == 100


def test_values_above_the_maximum_are_drawn_full_height_but_keep_their_label():
    chart = bar_chart(["a"], [30], max_value=10, width=100, height=140)
    assert (chart.bars[0].y, chart.bars[0].height, chart.bars[0].value_label) == (20, 100, "30")


def test_coordinates_are_rounded_to_two_decimals():
    chart = bar_chart(["a", "b", "c"], [1, 2, 3], width=100, height=100)
    assert [bar.x for bar in chart.bars] == [5, 38.33, 71.67]
    assert [bar.width for bar in chart.bars] == [23.33] * 3
    assert [bar.center_x for bar in chart.bars] == [16.67, 50, 83.33]
    assert [bar.height for bar in chart.bars] == [20, 40, 60]


def test_all_zero_or_no_values_give_flat_or_no_bars():
    flat = bar_chart(["a", "b"], [0, 0], width=200, height=140)
    assert [bar.height for bar in flat.bars] == [0, 0]
    assert flat.max_value == 0
    assert bar_chart([], [], width=200, height=140).bars == ()


def test_value_labels_can_be_given():
    chart = bar_chart(["Dates", "Leaders"], [0.5, 0.25], max_value=1, value_labels=["50%", "25%"])
    assert [bar.value_label for bar in chart.bars] == ["50%", "25%"]
    assert bar_chart(["x"], [2.5]).bars[0].value_label == "2.5"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"labels": ["a"], "values": [1, 2]},
        {"labels": ["a"], "values": [-1]},
        {"labels": ["a"], "values": [1], "max_value": -1},
        {"labels": ["a"], "values": [1], "value_labels": []},
        {"labels": ["a"], "values": [1], "height": 40},
        {"labels": ["a"], "values": [1], "width": 0},
    ],
)
def test_bad_input_is_refused(kwargs):
    with pytest.raises(ValueError):
        bar_chart(**kwargs)
