"""Dates known to a day, a month or only a year, as the source gives them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from enum import StrEnum

from quizapp.domain.languages import Language
from quizapp.domain.problems import N_, Params, Words, english, quoted

# Marked for the catalogs: a date problem names the month in the reader's language.
MONTH_NAMES = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip
# As Peruvian writers spell them: lower case, and "setiembre" (the Real Academia allows both).
SPANISH_MONTH_NAMES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "setiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DateError(ValueError):
    """A text that is no date, or no real one; it keeps its message's template (``N_``) and ``params``, so
    the interface words it in the reader's language (:func:`quizapp.i18n.error_text`)."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(english(template, params))
        self.template = template
        self.params: Params = params


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date whose month and day may be unknown.

    ``month`` is None for a year-only date; ``day`` is None for a year- or
    month-only date.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.month is None and self.day is not None:
            raise DateError(N_("a date with a day must have a month"))
        if self.month is not None and not 1 <= self.month <= 12:
            raise DateError(N_("month %(month)d is not between 1 and 12"), month=self.month)
        if self.day is not None:
            assert self.month is not None
            last_day = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last_day:
                raise DateError(
                    N_("%(month)s %(year)d has no day %(day)d"),
                    month=Words(MONTH_NAMES[self.month - 1]),
                    year=self.year,
                    day=self.day,
                )

    @property
    def precision(self) -> DatePrecision:
        if self.day is not None:
            return DatePrecision.DAY
        if self.month is not None:
            return DatePrecision.MONTH
        return DatePrecision.YEAR

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        Raises:
            ValueError: if the text is not one of those forms or not a real date.
        """
        match = _ISO.match(text.strip())
        if not match:
            raise DateError(N_("%(text)s is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"), text=quoted(text))
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    def iso(self) -> str:
        """The inverse of :meth:`from_iso`."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def month_name(self) -> str:
        """``October``; only for a date known to the month or the day."""
        if self.month is None:
            raise ValueError(f"{self.year} is known only to the year")
        return MONTH_NAMES[self.month - 1]

    def display(self) -> str:
        """Human form used as the canonical answer text: ``20 October 1883``."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{self.month_name} {self.year}"
        return f"{self.day} {self.month_name} {self.year}"

    def display_in(self, language: Language) -> str:
        """The date as written in ``language``: ``20 October 1883`` or ``20 de octubre de 1883``."""
        if language is not Language.SPANISH or self.month is None:
            return self.display()
        month = SPANISH_MONTH_NAMES[self.month - 1]
        return f"{month} de {self.year}" if self.day is None else f"{self.day} de {month} de {self.year}"

    def __str__(self) -> str:
        return self.display()


# The years a date answer may have: anything else is a typing slip, not history.
EARLIEST_YEAR = 1000
LATEST_YEAR = 2100

_ANSWER_MONTHS = {name.casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_ANSWER_MONTHS.update({name[:3].casefold(): number for name, number in list(_ANSWER_MONTHS.items())})
_ANSWER_MONTHS["sept"] = 9
_ANSWER_MONTHS.update({name: number for number, name in enumerate(SPANISH_MONTH_NAMES, start=1)})
_ANSWER_MONTHS["septiembre"] = 9
# "20 October 1883" and "20 de octubre de 1883"; "October 1883" and "octubre de 1883".
_ANSWER_DAY_ANSWER_MONTH_YEAR = re.compile(
    r"(\d{1,2})\s+(?:de\s+)?([a-z]+)\.?,?\s+(?:de\s+)?(\d{4})", re.ASCII | re.IGNORECASE
)
_ANSWER_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.ASCII | re.IGNORECASE)
_ANSWER_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(?:de\s+)?(\d{4})", re.ASCII | re.IGNORECASE)
_ANSWER_ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", re.ASCII)


def parse_date_answer(text: str) -> PartialDate:
    """Read the answer of a date question.

    Accepts ``20 October 1883``, ``October 1883``, ``1883``, ``October 20, 1883``,
    three-letter month abbreviations (any case), ISO ``1883-10-20`` /
    ``1883-10``, and the Spanish ``20 de octubre de 1883`` / ``octubre de 1883``.
    The year must have four digits and lie between EARLIEST_YEAR and LATEST_YEAR.

    Raises:
        ValueError: if the text is none of those forms or not a real date.
    """
    text = " ".join(text.split())
    if match := _ANSWER_ISO.fullmatch(text):
        date = PartialDate.from_iso(match.group())
    elif match := _ANSWER_DAY_ANSWER_MONTH_YEAR.fullmatch(text):
        date = PartialDate(int(match[3]), _month_number(match[2]), int(match[1]))
    elif match := _ANSWER_MONTH_DAY_YEAR.fullmatch(text):
        date = PartialDate(int(match[3]), _month_number(match[1]), int(match[2]))
    elif match := _ANSWER_MONTH_YEAR.fullmatch(text):
        date = PartialDate(int(match[2]), _month_number(match[1]))
    else:
        raise DateError(
            N_("%(text)s is not a date; write it like 20 October 1883, October 1883, 1883 or 1883-10-20"),
            text=quoted(text),
        )
    if not EARLIEST_YEAR <= date.year <= LATEST_YEAR:
        raise DateError(
            N_("the year %(year)d is not between %(earliest)d and %(latest)d"),
            year=date.year,
            earliest=EARLIEST_YEAR,
            latest=LATEST_YEAR,
        )
    return date


def _month_number(name: str) -> int:
    try:
        return _ANSWER_MONTHS[name.casefold()]
    except KeyError:
        raise DateError(N_("%(name)s is not the name of a month"), name=quoted(name)) from None
