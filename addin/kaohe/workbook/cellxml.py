"""Cells as SpreadsheetML text: one value at a time (:func:`cell_xml`), or a whole column at once.

Strings are written as inline strings (``t="inlineStr"``) so the workbook's shared-strings
part stays untouched; a text that looks like a formula (``=HYPERLINK(...)``) is still text.
Only :class:`Formula` values become formulas, and only kaohe creates those. Dates and times
become serials of the workbook's date system (:func:`kaohe.values.epoch`).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from kaohe.values import epoch

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32767
MAX_MEMO = 200_000  # distinct texts remembered per column


@dataclass(frozen=True)
class Formula:
    """An Excel formula kaohe writes (without the leading '='); ``cached`` is its value."""

    text: str
    cached: float | str | None = None


def _text(value: str) -> str:
    value = _ILLEGAL_XML.sub("", value)[:MAX_CELL_TEXT]
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f"<is><t{space}>{escape(value)}</t></is>"


def _serial(value) -> float:
    if isinstance(value, dt.datetime):
        return (value - epoch()).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - epoch().date()).days)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    raise TypeError(value)


def cell_xml(ref: str, value, style: int, kind: str) -> str:
    """One cell. ``kind`` is the column's style name: dates and times become serials."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, Formula):
        cached = ""
        if isinstance(value.cached, str):
            return (f'<c r="{ref}" s="{style}" t="str"><f>{escape(value.text)}</f>'
                    f"<v>{escape(value.cached)}</v></c>")
        if value.cached is not None and math.isfinite(value.cached):
            cached = f"<v>{number_text(value.cached)}</v>"
        return f'<c r="{ref}" s="{style}"><f>{escape(value.text)}</f>{cached}</c>'
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, dt.time)):
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if kind == "time" and isinstance(value, dt.datetime):
            value = value.time()
        return f'<c r="{ref}" s="{style}"><v>{number_text(_serial(value))}</v></c>'
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}" s="{style}" t="inlineStr">{_text("是" if value else "否")}</c>'
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not math.isfinite(float(value)):
            return f'<c r="{ref}" s="{style}"/>'
        return f'<c r="{ref}" s="{style}"><v>{number_text(value)}</v></c>'
    return f'<c r="{ref}" s="{style}" t="inlineStr">{_text(str(value))}</c>'


def number_text(value) -> str:
    """A number as a cell's <v> holds it: whole numbers without a decimal point, others to 10 places."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 10))


def render_columns(cols, letters, ids, kinds, first_row, n, memos, date_id: int | None = None) -> list[str]:
    """Rows from column-major data: each column rendered at once by its kind, then zipped. In a date-time column
    a plain date (a day typed without a time) gets the date style ``date_id``: no 00:00 shown."""
    if not n:
        return []
    rows = [str(first_row + k) for k in range(n)]
    rendered = [_dated(values, letter, sid, kind, rows, memo, date_id)
                for values, letter, sid, kind, memo in zip(cols, letters, ids, kinds, memos)]
    return [f'<row r="{r}">{"".join(cells)}</row>' for r, cells in zip(rows, zip(*rendered))]


def _dated(values, letter: str, sid: int, kind: str, rows: list[str], memo: dict, date_id: int | None) -> list[str]:
    """:func:`_column`, but plain dates of a date-time column (a list of values) in the date style."""
    if kind != "datetime" or date_id is None or isinstance(values, np.ndarray) \
            or not any(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
        return _column(values, letter, sid, kind, rows, memo)
    dates = _column(values, letter, date_id, "date", rows, {})
    stamps = _column(values, letter, sid, kind, rows, memo)
    return [d if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else t
            for v, d, t in zip(values, dates, stamps)]


def _column(values: list, letter: str, sid: int, kind: str, rows: list[str], memo: dict) -> list[str]:
    """The cells of one column. Numbers and dates are formatted in bulk; texts are memoised."""
    head = f'<c r="{letter}'
    blank = f'" s="{sid}"/>'
    if kind in ("money", "days", "hours", "int", "percent", "score", "date", "datetime", "time"):
        numbers = _numbers(values, kind)
        if numbers is not None:
            mid, tail = f'" s="{sid}"><v>', "</v></c>"
            return [head + r + (blank if v is None else mid + v + tail) for r, v in zip(rows, numbers)]
    out = []
    for r, v in zip(rows, values):
        if isinstance(v, str):
            body = memo.get(v)
            if body is None:
                body = f'" s="{sid}" t="inlineStr">{_text(v)}</c>'
                if len(memo) < MAX_MEMO:
                    memo[v] = body
            out.append(head + r + body)
        else:
            out.append(cell_xml(f"{letter}{r}", v, sid, kind))
    return out


def _numbers(values: list, kind: str) -> list[str | None] | None:
    """Number texts for a column of numbers or date-times (None for blanks); None if mixed."""
    try:
        if kind in ("date", "datetime", "time"):
            ts = pd.Series(values) if isinstance(values, np.ndarray) and values.dtype.kind == "M" else \
                pd.to_datetime(pd.Series(values, dtype=object), errors="raise")
            if kind == "time":
                serial = (ts - ts.dt.normalize()) / pd.Timedelta(days=1)
            else:
                serial = (ts - pd.Timestamp(epoch())) / pd.Timedelta(days=1)
            arr = serial.to_numpy(dtype=float)
        elif isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
            arr = values.astype(float)  # a numeric column as the frame holds it: no Python object per cell
        else:
            if any(isinstance(v, (str, Formula)) for v in values):
                return None
            arr = pd.to_numeric(pd.Series(values, dtype=object), errors="raise").to_numpy(dtype=float)
    except (TypeError, ValueError):
        return None
    finite = np.isfinite(arr)
    whole = finite & (np.abs(arr) < 1e15) & (np.floor(arr) == arr)
    # whole numbers without a point; others to 10 places in the shortest form that reads back the same
    texts = np.where(whole, np.where(whole, arr, 0).astype(np.int64).astype(str),
                     np.round(np.where(finite, arr, 0), 10).astype(str)).astype(object)
    texts[~finite] = None
    return texts.tolist()
