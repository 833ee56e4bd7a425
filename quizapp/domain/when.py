"""When something happened, said exactly as precisely as the source says it.

A :class:`When` is a date known to a day, a month or a year (``1881-11-28``,
``1882-07``, ``1883``), a part of a month or year (``late 1883``, ``early
1882-08``), a bound (``by 1882-07``, ``before 1883-10-29``, ``after
1883-10-20``) or a range (``1882-01-28/1882-01-29``). Fact files write it in
that form; students read it as ``by July 1882`` or ``28–29 January 1882``.

Every When stands for a span of days, the earliest and latest it allows
(:meth:`When.span`). Spans are what questions reason with: two facts may be
ordered only when their spans do not overlap, and a wrong date offered to a
student must lie outside the fact's span. An optional ``within`` narrows the
span without changing the words (``by 1882-07 within 1882``: the source says
"by July 1882" and places it in 1882).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from quizapp.domain.dates import DatePrecision, PartialDate

BOUNDS = ("by", "before", "after")
PARTS = ("early", "late")
_POINT = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_WHEN = re.compile(
    rf"^(?:(?P<bound>by|before|after) )?(?:(?P<part>early|late) )?(?P<start>{_POINT})"
    rf"(?:/(?P<end>{_POINT}))?(?: within (?P<within>{_POINT}))?$"
)
# Written in schema.json too, as the pattern of a "when".
PATTERN = _WHEN.pattern

EARLIEST = date(1, 1, 1)
LATEST = date(9999, 12, 31)


def bounds(when: PartialDate) -> tuple[date, date]:
    """The first and last day a partial date may stand for."""
    if when.month is None:
        return date(when.year, 1, 1), date(when.year, 12, 31)
    if when.day is None:
        last_day = calendar.monthrange(when.year, when.month)[1]
        return date(when.year, when.month, 1), date(when.year, when.month, last_day)
    exact = date(when.year, when.month, when.day)
    return exact, exact


def on_phrase(when: PartialDate) -> str:
    """``on 20 October 1883``, ``in October 1883`` or ``in 1883``."""
    return f"on {when.display()}" if when.precision is DatePrecision.DAY else f"in {when.display()}"


@dataclass(frozen=True)
class When:
    """What a source says about when something happened (see the module docstring).

    Attributes:
        start: the date, or the first of a range.
        end: the last date of a range.
        bound: ``by``, ``before`` or ``after``, or empty.
        part: ``early`` (first half) or ``late`` (second half) of a month or year, or empty.
        within: a period the span is known to fall in, not said in words.
    """

    start: PartialDate
    end: PartialDate | None = None
    bound: str = ""
    part: str = ""
    within: PartialDate | None = None

    def __post_init__(self) -> None:
        if self.bound not in ("", *BOUNDS):
            raise ValueError(f"{self.bound!r} is not one of {', '.join(BOUNDS)}")
        if self.part not in ("", *PARTS):
            raise ValueError(f"{self.part!r} is not one of {', '.join(PARTS)}")
        if self.part and self.start.precision is DatePrecision.DAY:
            raise ValueError(f"a day cannot be {self.part}: write the day alone")
        if self.end is not None:
            if self.bound or self.part:
                raise ValueError("a range takes no 'by', 'before', 'after', 'early' or 'late'")
            if bounds(self.end)[1] <= bounds(self.start)[0]:
                raise ValueError(f"the range ends ({self.end.iso()}) before it starts ({self.start.iso()})")
        if self.within is not None:
            first, last = self.span()
            if first > last:
                raise ValueError(f"{self.iso()} cannot fall within {self.within.iso()}")

    @classmethod
    def parse(cls, text: str | int) -> When:
        """Read the fact-file form: ``1881-11-28``, ``by 1882-07``, ``late 1883``, ``1882-01-28/1882-01-29``...

        Raises:
            ValueError: for text of another form, or a date that does not exist.
        """
        match = _WHEN.match(str(text).strip())
        if not match:
            raise ValueError(
                f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, optionally after 'by', "
                "'before', 'after', 'early' or 'late', or a range START/END"
            )
        parts = match.groupdict()
        return cls(
            start=PartialDate.from_iso(parts["start"]),
            end=PartialDate.from_iso(parts["end"]) if parts["end"] else None,
            bound=parts["bound"] or "",
            part=parts["part"] or "",
            within=PartialDate.from_iso(parts["within"]) if parts["within"] else None,
        )

    @classmethod
    def on(cls, when: PartialDate) -> When:
        return cls(when)

    @property
    def exact(self) -> PartialDate | None:
        """The date, when the source gives a plain day, month or year (not a range, part or bound)."""
        if self.end is None and not self.bound and not self.part:
            return self.start
        return None

    def iso(self) -> str:
        """The fact-file form, the inverse of :meth:`parse`."""
        text = self.start.iso()
        if self.part:
            text = f"{self.part} {text}"
        if self.bound:
            text = f"{self.bound} {text}"
        if self.end is not None:
            text += f"/{self.end.iso()}"
        if self.within is not None:
            text += f" within {self.within.iso()}"
        return text

    def display(self) -> str:
        """As a student reads it: ``28 November 1881``, ``by July 1882``, ``late 1883``, ``28–29 January 1882``."""
        if self.end is not None:
            return _range_text(self.start, self.end)
        text = self.start.display()
        if self.part:
            text = f"{self.part} {text}"
        if self.bound:
            text = f"{self.bound} {text}"
        return text

    def phrase(self) -> str:
        """The date as a sentence says it: ``on 28 November 1881``, ``in July 1882``, ``by July 1882``."""
        if self.bound:
            return self.display()
        if self.end is not None:
            return f"on {self.display()}" if self.start.precision is DatePrecision.DAY else f"in {self.display()}"
        if self.part:
            return f"in {self.display()}"
        return on_phrase(self.start)

    def span(self) -> tuple[date, date]:
        """The earliest and latest day it allows (open bounds reach EARLIEST or LATEST)."""
        first, last = bounds(self.start)
        if self.part:
            first, last = _part_of(first, last, self.part)
        if self.end is not None:
            last = bounds(self.end)[1]
        if self.bound == "by":
            first = EARLIEST
        elif self.bound == "before":
            first, last = EARLIEST, first
        elif self.bound == "after":
            first, last = last, LATEST
        if self.within is not None:
            outer = bounds(self.within)
            first, last = max(first, outer[0]), min(last, outer[1])
        return first, last

    def __str__(self) -> str:
        return self.display()


def certainly_before(first: When, second: When) -> bool:
    """Whether every day ``first`` allows is before every day ``second`` allows.

    Inclusive bounds make this cautious: "after 20 October" may be the 20th itself.
    """
    return first.span()[1] < second.span()[0]


def _part_of(first: date, last: date, part: str) -> tuple[date, date]:
    """The first or second half of a month or a year."""
    if first.month == last.month:  # a month: days 1-15 or 16 to the end
        return (first, first.replace(day=15)) if part == "early" else (first.replace(day=16), last)
    return (first, date(first.year, 6, 30)) if part == "early" else (date(first.year, 7, 1), last)


def _range_text(start: PartialDate, end: PartialDate) -> str:
    """``28–29 January 1882``, ``June–August 1882``, ``1881–1883``, ``28 January – 3 February 1882``."""
    if start.precision is end.precision is DatePrecision.DAY and (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.display()}"
    if start.precision is end.precision is DatePrecision.MONTH and start.year == end.year:
        return f"{start.month_name}–{end.display()}"
    if start.precision is end.precision is DatePrecision.YEAR:
        return f"{start.year}–{end.year}"
    return f"{start.display()} – {end.display()}"
