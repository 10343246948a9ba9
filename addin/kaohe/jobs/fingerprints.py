"""Fingerprints of values, not of files (月结): sha256 over a canonical text of the rows (numbers to
4 decimals, dates in ISO form, text stripped, blank as empty, rows sorted), so re-saving or
reformatting the workbook does not change them, while any changed value does.

The input fingerprint of a month covers the attendance input rows that belong to it: rows dated in
the month, and rows whose span (a leave, an employment) touches it.
"""
from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from kaohe.periods import month_bounds
from kaohe.jobs.money import monthly_sheet
from kaohe.workbook import contract as c

# The sheets whose rows belong to a month by a date field; the others count whole.
MONTH_FIELDS = {c.PUNCHES.name: ("ts", "date"), c.IMPORTED.name: ("ts",), c.OVERTIME.name: ("date",),
                c.EXCEPTIONS.name: ("date",), c.PROXY.name: ("date",), c.ROTA.name: ("date",), c.HOLIDAYS.name: ("date",)}
# Rows that span dates belong to every month they touch (an employee: from 入职日期 to 离职日期).
SPAN_FIELDS = {c.LEAVE.name: ("start", "end"), c.ROSTER.name: ("hired", "left")}

# Columns that came later, each left out while blank in every row, so a month fingerprints as before them:
# 打卡导入's 类型 (clock punches alone), 班次's flexible hours (ATT-12, ATT-13; not used).
LATER_FIELDS = {c.IMPORTED.name: ("kind",), c.SHIFTS.name: tuple(c.INPUT_FIELDS[h] for h in c.SHIFTS.optional[2:])}


def _blank(value) -> bool:
    return value is None or value != value or value == ""


def _canonical(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return f"{float(value):.4f}"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def values_fingerprint(rows) -> str:
    """Fingerprint of row values: independent of row order, formatting and number types."""
    lines = sorted("\t".join(_canonical(v) for v in row) for row in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def _in_month(frame: pd.DataFrame, fields: tuple[str, ...], first: dt.date, last: dt.date) -> pd.Series:
    lo, hi = pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(days=1)
    stamps = [pd.to_datetime(frame[f], errors="coerce") for f in fields if f in frame]
    hit = pd.Series(False, index=frame.index)
    for s in stamps:
        hit |= ((s >= lo) & (s < hi)).fillna(False)
    return hit


def touches_month(frame: pd.DataFrame, fields: tuple[str, str], first: dt.date, last: dt.date) -> pd.Series:
    """Rows whose span (a blank end: still open; a blank start: since ever) touches the month."""
    start, end = (pd.to_datetime(frame[f], errors="coerce") for f in fields)
    return ((start.isna() | (start < pd.Timestamp(last) + pd.Timedelta(days=1)))
            & (end.isna() | (end >= pd.Timestamp(first)))).astype(bool)


def input_fingerprint(tables: dict, month: str) -> str:
    """Fingerprint of the values of the attendance input rows that belong to ``month``."""
    first, last = month_bounds(month)
    rows = []
    for spec in c.ATTENDANCE_INPUTS:
        table = tables.get(spec.key)
        if table is None or not table.present:
            continue
        frame = table.frame.drop(columns=["row"], errors="ignore")
        frame = frame.drop(columns=[f for f in LATER_FIELDS.get(spec.name, ()) if f in frame and frame[f].map(_blank).all()])
        if spec.name in MONTH_FIELDS:
            frame = frame[_in_month(frame, MONTH_FIELDS[spec.name], first, last)]
        elif spec.name in SPAN_FIELDS:
            frame = frame[touches_month(frame, SPAN_FIELDS[spec.name], first, last)]
        frame = frame[sorted(frame.columns)]
        rows += [(spec.name, *r) for r in frame.itertuples(index=False, name=None)]
    return values_fingerprint(rows)


def monthly_rows(monthly: pd.DataFrame) -> list[list]:
    """月度汇总's rows (contract column order) from an engine frame."""
    fields = [f for _, f in monthly_sheet().columns]
    return [list(r) for r in monthly.reindex(columns=fields).astype(object).itertuples(index=False, name=None)]


def summary_fingerprint(monthly: pd.DataFrame) -> str:
    return values_fingerprint(monthly_rows(monthly))
