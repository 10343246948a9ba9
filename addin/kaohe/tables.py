"""A table read from an input sheet: engine fields, plus where each value came from.

The engine gets every input table it may use, keyed by its role (``InputSheet.key``: "roster",
"leave" …), and never a sheet name: the table itself carries its place — the sheet it was read
from and the column letter of each field — so a finding can name its cell. A sheet the workbook
does not have is an empty table with ``present`` false (built by kaohe.workbook.read).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kaohe.values import MonthDay


@dataclass
class Table:
    """One input sheet: a frame of engine fields plus ``row`` (the Excel row number)."""

    sheet: str
    frame: pd.DataFrame
    letters: dict[str, str] = field(default_factory=dict)  # engine field -> column letter
    bad: set[str] = field(default_factory=set)  # addresses of cells that could not be read (already reported)
    typed: dict[str, object] = field(default_factory=dict)  # 工号 text -> the number the sheet holds (typed_id)
    headers: dict[str, str] = field(default_factory=dict)  # engine field -> its header text, for messages
    vocab: dict[str, str] = field(default_factory=dict)  # value-column field -> its vocabulary (kaohe.terms)
    present: bool = True  # false: the workbook has no such sheet (the frame has the fields and no rows)
    # dates typed without a year (values.MonthDay), blank in the frame until the month computed gives them
    # their year (kaohe.engine.inputs): (engine field, Excel row) -> (values.MonthDay, "date" or "datetime")
    yearless: dict[tuple[str, int], tuple[MonthDay, str]] = field(default_factory=dict)

    def cell(self, fieldname: str, row: int) -> str:
        """The address of ``fieldname`` in Excel row ``row`` (the 工号 column if the sheet lacks that field)."""
        return f"{self.letters.get(fieldname) or self.letters.get('emp', 'A')}{row}"

