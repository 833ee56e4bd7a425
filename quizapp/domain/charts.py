"""Bar-chart geometry for server-rendered inline SVG: no chart library, no JS.

:func:`bar_chart` computes where every bar, value and label goes; a Jinja
macro (``shared/_charts.html``) only writes the numbers into ``<rect>`` and
``<text>`` elements. Coordinates are SVG user units with y growing downwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["BAR_SHARE", "LABEL_BAND", "VALUE_BAND", "Bar", "BarChart", "bar_chart"]

VALUE_BAND = 20.0  # room above the tallest bar for its value
LABEL_BAND = 20.0  # room under the baseline for the category labels
BAR_SHARE = 0.7  # share of its slot a bar fills; the rest is the gap between bars


@dataclass(frozen=True)
class Bar:
    """One bar and where its texts go.

    Attributes:
        label: the category, written under the bar.
        value: the value as given.
        value_label: the value as written above the bar.
        x, y, width, height: the ``<rect>``; ``y + height`` is the baseline.
        center_x: the horizontal middle of the bar, where both texts are centred.
        value_y: the baseline of the value text, just above the bar.
        label_y: the baseline of the category text, under the chart's baseline.
    """

    label: str
    value: float
    value_label: str
    x: float
    y: float
    width: float
    height: float
    center_x: float
    value_y: float
    label_y: float


@dataclass(frozen=True)
class BarChart:
    """A vertical bar chart laid out in a ``width`` x ``height`` box."""

    width: float
    height: float
    max_value: float
    baseline_y: float
    bars: tuple[Bar, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {_number(self.width)} {_number(self.height)}"


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    max_value: float | None = None,
    width: float = 400,
    height: float = 140,
    value_labels: Sequence[str] | None = None,
) -> BarChart:
    """Lay out one bar per label, side by side, scaled so ``max_value`` fills the height.

    Args:
        labels: the category of each bar.
        values: the value of each bar, not negative.
        max_value: the value of a full-height bar; defaults to the largest
            value. Values above it are drawn full height (their label still
            says the true value). With a maximum of 0 every bar is flat.
        width, height: the size of the whole drawing, labels included.
        value_labels: the text over each bar; defaults to the value itself
            (``3``, ``2.5``).

    Returns:
        The chart, with coordinates rounded to two decimals.

    Raises:
        ValueError: on lengths that differ, a negative value or maximum, or a
            drawing too small to hold the labels.
    """
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    if value_labels is not None and len(value_labels) != len(values):
        raise ValueError(f"{len(value_labels)} value labels for {len(values)} values")
    if any(value < 0 for value in values):
        raise ValueError("bar values cannot be negative")
    if max_value is not None and max_value < 0:
        raise ValueError("max_value cannot be negative")
    plot_height = height - VALUE_BAND - LABEL_BAND
    if width <= 0 or plot_height <= 0:
        raise ValueError(f"a {width}x{height} chart has no room for its bars")

    top = max_value if max_value is not None else max(values, default=0)
    baseline = VALUE_BAND + plot_height
    slot = width / len(values) if values else width
    bar_width = slot * BAR_SHARE
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_height = plot_height * min(value / top, 1.0) if top > 0 else 0.0
        x = index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                label=label,
                value=value,
                value_label=value_labels[index] if value_labels is not None else _number(value),
                x=round(x, 2),
                y=round(baseline - bar_height, 2),
                width=round(bar_width, 2),
                height=round(bar_height, 2),
                center_x=round(index * slot + slot / 2, 2),
                value_y=round(baseline - bar_height - 5, 2),
                label_y=round(baseline + LABEL_BAND - 5, 2),
            )
        )
    return BarChart(width=width, height=height, max_value=top, baseline_y=baseline, bars=tuple(bars))


def _number(value: float) -> str:
    """3 -> "3", 2.5 -> "2.5": no trailing ".0"."""
    return f"{value:g}"
