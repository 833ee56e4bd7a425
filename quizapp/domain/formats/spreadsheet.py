"""CSV cells that no spreadsheet runs as a formula, for every CSV file quizapp writes.

A spreadsheet opening a CSV file runs a cell starting with ``=``, ``+``,
``-`` or ``@`` (and, in some, a tab or a carriage return) as a formula, which
can fetch URLs or run commands on the teacher's machine. Such a cell gets a
leading apostrophe, as OWASP advises ("CSV injection"): the spreadsheet shows
it as text. So that the apostrophe can be taken off again exactly, a cell
already made of apostrophes followed by such a character gets one more.
"""

from __future__ import annotations

import re

_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALIZED = re.compile(r"'+[=+\-@\t\r]")


def formula_safe_cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs as a formula (see the module documentation)."""
    return "'" + text if _FORMULA_START.match(text) else text


def text_of_cell(cell: str) -> str:
    """The text :func:`formula_safe_cell` made ``cell`` from (the apostrophe it added taken off)."""
    return cell[1:] if cell.startswith("'") and _NEUTRALIZED.match(cell) else cell
