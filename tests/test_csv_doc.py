"""docs/CSV_FORMAT.md names every column the CSV parser reads, and marks the required ones."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.domain.formats.csv_format import COLUMNS, LIST_COLUMNS, REQUIRED_COLUMNS

DOC = Path(__file__).resolve().parent.parent / "docs" / "CSV_FORMAT.md"


def test_the_column_table_matches_the_parser() -> None:
    rows = re.findall(r"^\| `(\w+)` \| (yes|no)[^|]* \| (.+) \|$", DOC.read_text(encoding="utf-8"), re.M)
    assert [name for name, _, _ in rows] == list(COLUMNS)
    assert [name for name, required, _ in rows if required == "yes"] == list(REQUIRED_COLUMNS)
    assert all(what.startswith("A list") for name, _, what in rows if name in LIST_COLUMNS)
    assert ",".join(COLUMNS) in DOC.read_text(encoding="utf-8")  # the example's header
