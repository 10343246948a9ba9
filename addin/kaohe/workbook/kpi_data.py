"""KPI数据 (and the KPI导入 rows of a month) read into a table: 月份 and 工号 by their header, one column per
indicator by its name or 别名; values stay as typed (the engine parses them, the score sheet's formulas read the
same cells)."""
from __future__ import annotations

import pandas as pd

from kaohe.findings import Finding, InputRefused
from kaohe.headers import find_header
from kaohe.periods import month_of
from kaohe.tables import Table
from kaohe.values import column_letter, is_blank, parse_date, parse_id
from kaohe.workbook import contract as c


def _month_text(value) -> str | None:
    """月份 as YYYY-MM (see kaohe.periods for the spellings accepted) from text or a date."""
    if is_blank(value):
        return None
    if isinstance(value, float):
        return month_of(parse_date(value))
    return month_of(value)


def kpi_data_table(rows: list[list], names: dict[str, str], sheet: str = c.KPI_DATA.name) -> tuple[Table, list[Finding]]:
    """KPI数据 with one column per indicator, and the rows it could not use; ``names`` maps each header (or alias)
    to its indicator.

    Values stay as typed (numbers, or text such as ``45.2%``): the engine parses them and the
    score sheet's formulas read the same cells.
    """
    spec = c.InputSheet(sheet, required=c.KPI_DATA.required)
    found = find_header(rows, (c.KPI_MONTH, c.ID_COLUMN))
    if found is None:
        raise InputRefused(f"工作表“{spec.name}”缺少必需的列（需要：{c.KPI_MONTH}、{c.ID_COLUMN}）",
                           f"sheet '{spec.name}' lacks required columns ({c.KPI_MONTH}, {c.ID_COLUMN})")
    columns = {"month": found.columns[c.KPI_MONTH], "emp": found.columns[c.ID_COLUMN]}
    for i, h in enumerate(found.names):
        target = names.get(h)
        if target and target not in columns:
            columns[target] = i
    letters = {k: column_letter(i) for k, i in columns.items()}
    data: dict[str, list] = {k: [] for k in [*columns, "row"]}
    findings: list[Finding] = []
    for offset, row in enumerate(rows[found.row + 1:]):
        excel_row = found.row + 2 + offset
        if all(is_blank(row[i]) for i in columns.values() if i < len(row)):
            continue
        keys, bad = _kpi_keys(row, columns, letters, spec.name, excel_row)
        findings += bad
        if keys is None:
            continue
        data["row"].append(excel_row)
        for k, i in columns.items():
            value = keys[k] if k in keys else (row[i] if i < len(row) else None)
            data[k].append(None if is_blank(value) else value)
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in data.items()})
    return Table(spec.name, frame, letters), findings


def _kpi_keys(row: list, columns: dict[str, int], letters: dict[str, str], sheet: str,
              excel_row: int) -> tuple[dict | None, list[Finding]]:
    """月份 and 工号 of a KPI数据 row; None, with a finding, when one of them cannot be read."""
    keys = {}
    for key, parse in (("month", _month_text), ("emp", parse_id)):
        i = columns[key]
        try:
            keys[key] = parse(row[i] if i < len(row) else None)
        except ValueError as exc:
            return None, [Finding(sheet, f"{letters[key]}{excel_row}", str(exc), "忽略此行", "KPI-01", code="kpi.bad_value")]
    return keys, []
