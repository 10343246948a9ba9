"""Writing kaohe's sheet specs into a workbook open in Excel (xlwings).

The same :class:`~kaohe.workbook.sheetxml.SheetSpec` that the file writer renders is written
here cell values first, then the formats of :data:`kaohe.workbook.package.NUMBER_FORMATS`,
so a sheet looks the same whichever door wrote it. Text that Excel would take for a formula
is written with a leading apostrophe (Excel keeps it as text); only kaohe's own
:class:`Formula` values become formulas.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from kaohe.workbook.package import NUMBER_FORMATS
from kaohe.workbook.sheetxml import Formula, SheetSpec, python_values

FORMULA_LEADS = ("=", "+", "-", "@")


def excel_value(value):
    """One value as it is handed to Excel."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Formula):
        return "=" + value.text
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_LEADS) else value
    if isinstance(value, (dt.date, dt.time, int, float, bool)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def spec_values(spec: SheetSpec) -> list[list]:
    """The sheet as a 2-D list: title rows, header, data, totals."""
    rows = [list(r) + [None] * (len(spec.columns) - len(r)) for r in (spec.header_rows or [])]
    rows.append([col.header for col in spec.columns])
    if spec.data is not None:
        cols = [python_values(spec.data[col.header]) for col in spec.columns]
        rows += [list(r) for r in zip(*cols)]
    else:
        rows += [list(r) for r in spec.rows or []]
    if spec.total_row is not None:
        rows.append(list(spec.total_row))
    return [[excel_value(v) for v in r] for r in rows]


def write_specs(book, specs: list[SheetSpec]) -> None:
    """Replace (or add at the end) each spec's sheet in the open ``book``, keeping its position."""
    for spec in specs:
        names = [s.name for s in book.sheets]
        if spec.name in names:
            old = book.sheets[spec.name]
            ws = book.sheets.add(before=old)
            old.delete()
            ws.name = spec.name
        else:
            ws = book.sheets.add(after=book.sheets[len(names) - 1])
            ws.name = spec.name
        values = spec_values(spec)
        ws.range("A1").value = values
        header_row = len(spec.header_rows or []) + 1
        n = len(values) - header_row
        for i, col in enumerate(spec.columns, start=1):
            code = NUMBER_FORMATS.get(col.style)
            if code and n:
                ws.range((header_row + 1, i), (header_row + n, i)).number_format = code
            ws.range((1, i)).column_width = col.width
        header = ws.range((header_row, 1), (header_row, len(spec.columns)))
        header.font.bold = True
        header.color = (221, 235, 247)
        if spec.freeze:
            ws.activate()
            ws.range(spec.freeze).select()
            book.app.api.ActiveWindow.FreezePanes = True
        if spec.autofilter and n:
            header.api.AutoFilter()
