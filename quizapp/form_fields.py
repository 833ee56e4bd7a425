"""Form fields shared by the blueprints' forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import wtforms

# Larger than any number a form here accepts, inside a float's range and a 64-bit SQL integer's.
MAX_MAGNITUDE = 2**63 - 1


class IntegerField(wtforms.IntegerField):
    """wtforms' IntegerField, refusing numbers beyond ±(2**63 - 1) as not valid.

    NumberRange calls ``math.isnan`` on the value, which raises OverflowError
    for an integer beyond a float's range: a 400-digit number would otherwise
    be a server error rather than a form error.
    """

    data: Any  # an int once the form validates, as wtforms' untyped fields

    def process_formdata(self, valuelist: Sequence[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > MAX_MAGNITUDE:
            self.data = None
            raise ValueError(self.invalid_value_message or self.gettext("Not a valid integer value."))


class ListField(wtforms.Field):
    """Every value posted under the field's name, in page order (checkboxes, a response's parts)."""

    data: list[str]

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [str(value) for value in valuelist]

    def _value(self) -> str:
        return self.data[0] if self.data else ""


class RowsField(wtforms.FieldList):
    """A fixed number of rows (``max_entries``), row i read from ``<name>-<i>`` whatever else is posted.

    wtforms' FieldList renumbers the rows it finds, so a post leaving out an
    empty row would shift the rows after it into the wrong place; here a row
    left out is empty and every row keeps its place (and its id).
    """

    def process(self, formdata: Any, data: Any = wtforms.utils.unset_value, extra_filters: Any = None) -> None:
        rows = list(data) if data is not wtforms.utils.unset_value and data else []
        self.last_index = -1
        self.entries: list[wtforms.Field] = []
        for index in range(self.max_entries or 0):
            self._add_entry(formdata, rows[index] if index < len(rows) else wtforms.utils.unset_value, index=index)
