"""Dates written in Spanish, as the Spanish bank shows them (formatting only; grading reads answers elsewhere).

Months are lowercase in Spanish: ``12 de marzo de 1881``, ``marzo de 1881``, ``1881``.
A :class:`~quizapp.domain.when.When` reads ``antes de julio de 1882``, ``a fines de 1883``,
``del 28 al 29 de enero de 1882``, with the same precision as its English form.
"""

from __future__ import annotations

from quizapp.domain.dates import DatePrecision, PartialDate
from quizapp.domain.when import When

MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip

# A part of a month or year, before the date it qualifies.
_PARTS = {"early": "a inicios de", "late": "a fines de"}


def spanish_date(when: PartialDate) -> str:
    """``12 de marzo de 1881``, ``marzo de 1881`` or ``1881``: the date as an answer shows it."""
    if when.month is None:
        return str(when.year)
    month = MONTHS[when.month - 1]
    if when.day is None:
        return f"{month} de {when.year}"
    return f"{when.day} de {month} de {when.year}"


def spanish_display(when: When) -> str:
    """As an option or explanation shows it: ``28 de noviembre de 1881``, ``a más tardar en julio de 1882``."""
    if when.end is not None:
        return _range(when.start, when.end)
    text = spanish_date(when.start)
    if when.part:
        text = f"{_PARTS[when.part]} {text}"
    match when.bound:
        case "by":
            return f"a más tardar {text}" if when.part else f"a más tardar {_at(when.start)}"
        case "before":
            return f"antes del {text}" if when.start.precision is DatePrecision.DAY else f"antes de {text}"
        case "after":
            return f"después del {text}" if when.start.precision is DatePrecision.DAY else f"después de {text}"
    return text


def spanish_phrase(when: When) -> str:
    """The date as a sentence says it: ``el 28 de noviembre de 1881``, ``en julio de 1882``, ``en 1883``."""
    if when.bound or when.part or when.end is not None:
        return spanish_display(when)
    return _at(when.start)


def _at(when: PartialDate) -> str:
    return f"el {spanish_date(when)}" if when.precision is DatePrecision.DAY else f"en {spanish_date(when)}"


def _range(start: PartialDate, end: PartialDate) -> str:
    """``del 28 al 29 de enero de 1882``, ``de junio a agosto de 1882``, ``de 1881 a 1883``."""
    if start.precision is end.precision is DatePrecision.DAY and (start.year, start.month) == (end.year, end.month):
        return f"del {start.day} al {spanish_date(end)}"
    if start.precision is end.precision is DatePrecision.MONTH and start.year == end.year:
        assert start.month is not None
        return f"de {MONTHS[start.month - 1]} a {spanish_date(end)}"
    if start.precision is DatePrecision.DAY:
        return f"del {spanish_date(start)} al {spanish_date(end)}"
    return f"de {spanish_date(start)} a {spanish_date(end)}"
