"""A table read from an input sheet: engine fields, plus where each value came from."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kaohe.workbook import contract as c


@dataclass
class Table:
    """One input sheet: a frame of engine fields plus ``row`` (the Excel row number)."""

    sheet: str
    frame: pd.DataFrame
    letters: dict[str, str] = field(default_factory=dict)  # engine field -> column letter
    bad: set[str] = field(default_factory=set)  # addresses of cells that could not be read (already reported)
    typed: dict[str, object] = field(default_factory=dict)  # 工号 text -> the number the sheet holds (typed_id)

    def cell(self, fieldname: str, row: int) -> str:
        """The address of ``fieldname`` in Excel row ``row`` (the 工号 column if the sheet lacks that field)."""
        return f"{self.letters.get(fieldname) or self.letters.get('emp', 'A')}{row}"


def empty_table(spec: c.InputSheet) -> Table:
    """A table with the sheet's fields and no rows (an optional sheet that is absent)."""
    fields = [c.INPUT_FIELDS[h] for h in spec.columns] + ["row"]
    return Table(spec.name, pd.DataFrame({f: pd.Series([], dtype=object) for f in fields}))
