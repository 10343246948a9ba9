"""Rows of an input sheet that are totals, not data: an Excel Table's total row, a row of aggregate
formulas over a column, or a row whose first cell says 汇总/合计/总计/小计/Total. They are skipped with
a 提示 naming the row: a total is never an employee or a punch.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from kaohe import terms
from kaohe.findings import Finding
from kaohe.values import column_letter
from kaohe.workbook import contract as c
from kaohe.workbook.parts import read_rels, read_sheets

TOTAL_WORDS = frozenset({"汇总", "合计", "总计", "小计", "total", "totals", "grandtotal"})
_FORMULA_CELL = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"[^>]*><f[^>]*>([^<]*)</f>')
_AGGREGATE = re.compile(rb"\b(?:SUBTOTAL|SUM|COUNTA?|AVERAGE|MAX|MIN)\(", re.IGNORECASE)


def total_rows(path: Path, sheet: str) -> dict[int, str]:
    """Rows of ``sheet`` that are totals by the workbook's own definition: the total row of an Excel
    Table (totalsRowCount), or a row with an aggregate formula (SUBTOTAL, SUM, COUNT …) in it."""
    out: dict[int, str] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            targets, _ = read_rels(zf.read("xl/_rels/workbook.xml.rels"), "xl")
            part = next((x.part for x in read_sheets(zf.read("xl/workbook.xml"), targets) if x.name == sheet), "")
            folder, name = part.rsplit("/", 1)
            rels = f"{folder}/_rels/{name}.rels"
            tables, types = read_rels(zf.read(rels), folder) if rels in zf.namelist() else ({}, {})
            for rid, table in tables.items():
                if types[rid].endswith("/table") and table in zf.namelist():
                    xml = zf.read(table)
                    count = re.search(rb'totalsRowCount="([0-9]+)"', xml)
                    ref = re.search(rb'\sref="[A-Z]+[0-9]+:[A-Z]+([0-9]+)"', xml)
                    if count and ref and int(count.group(1)) > 0:
                        last = int(ref.group(1))
                        out.update({r: "表格的汇总行" for r in range(last - int(count.group(1)) + 1, last + 1)})
            with zf.open(part) as fh:
                tail = b""
                for block in iter(lambda: fh.read(1 << 22), b""):
                    chunk = tail + block
                    for m in _FORMULA_CELL.finditer(chunk):
                        if _sums_a_column(m.group(2)):
                            out.setdefault(int(m.group(1)), "汇总公式行")
                    tail = chunk[-512:]
    except (KeyError, ValueError, zipfile.BadZipFile):
        return out
    return out


_RANGE = re.compile(rb"\$?[A-Z]{1,3}\$?([0-9]+):\$?[A-Z]{1,3}\$?([0-9]+)")


def _sums_a_column(formula: bytes) -> bool:
    """An aggregate over rows (SUBTOTAL, a Table column, or a range spanning rows) — not a sum across one row."""
    if not _AGGREGATE.search(formula):
        return False
    if b"SUBTOTAL" in formula.upper() or b"[" in formula:
        return True
    return any(a != b for a, b in _RANGE.findall(formula))


def skip_totals(sheet: str, columns: list[list], excel_rows: list[int], positions: list[int],
                totals: dict[int, str]) -> tuple[list[list], list[int], list[Finding]]:
    """Drop total rows (see :func:`table_from_rows`), each with a 提示 naming its row."""
    first = columns[positions.index(min(positions))] if columns else []
    drop = {}
    for i, (row, v) in enumerate(zip(excel_rows, first)):
        if row in totals:
            drop[i] = totals[row]
        elif isinstance(v, str) and len(v) <= 12 and terms.key(v) in TOTAL_WORDS:
            drop[i] = f"首格为“{v.strip()}”的汇总行"
    if not drop:
        return columns, excel_rows, []
    findings = [Finding(sheet, f"{column_letter(min(positions))}{excel_rows[i]}", f"第{excel_rows[i]}行是{why}",
                        "跳过此行，不作为员工或打卡", level=c.LEVEL_INFO, code="read.total_row") for i, why in drop.items()]
    keep = [i for i in range(len(excel_rows)) if i not in drop]
    return [[col[i] for i in keep] for col in columns], [excel_rows[i] for i in keep], findings
