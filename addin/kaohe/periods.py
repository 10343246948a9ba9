"""Months: the one parser every door uses (command line, ribbon, jobs, 月份 cells).

Accepted spellings of November 2026: ``2026-11``, ``2026/11``, ``2026.11``, ``2026年11月``,
``2026年1月`` style (the 月 closes the number, so one digit is unambiguous) and ``202611``.

Decision: with a separator (``-`` ``/`` ``.``) the month must have two digits. ``2026-1`` is
refused rather than read as January: in practice it was a typo for ``2026-11`` (issue 11), and
reading it as January billed everybody a whole month of 旷工. ``2026-01`` or ``2026年1月`` say
January without doubt.

This module is pure (no pandas, no workbook): the engine may import it.
"""
from __future__ import annotations

import datetime as dt
import re

__all__ = ["MonthError", "add_months", "month_bounds", "month_of", "month_or_refuse", "parse_month", "shift_month"]

EXAMPLES = "2026-11、2026/11、2026年11月 或 202611"

_SEPARATED = re.compile(r"(\d{4})\s*[-/.]\s*(\d{2})")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月?")
_COMPACT = re.compile(r"(\d{4})(\d{2})")
_SHORT = re.compile(r"\d{4}\s*[-/.]\s*\d")
# a date written out in a cell: 2026-11-01, 2026/11/1, 2026年11月1日 (the day is ignored)
_WITH_DAY = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]|年\s*(\d{1,2})\s*月)\s*\d{1,2}\s*日?"
                       r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")


class MonthError(ValueError):
    """A month that cannot be read; ``zh`` and ``en`` are the two halves of the message."""

    def __init__(self, text: object, why: str = ""):
        shown = str(text).strip()
        self.zh = f"月份无法识别：“{shown}”{why}，请写成 {EXAMPLES}"
        self.en = f"cannot read the month '{shown}'; write it as 2026-11"
        super().__init__(self.zh)


def _checked(year: str, month: str, text: object) -> str:
    y, m = int(year), int(month)
    if not 1 <= m <= 12:
        raise MonthError(text, "（月份应在 1 到 12 之间）")
    if not 1900 <= y <= 2999:
        raise MonthError(text, "（年份不对）")
    return f"{y:04d}-{m:02d}"


def parse_month(text: object) -> str:
    """Any accepted spelling of a month as ``YYYY-MM``; :class:`MonthError` otherwise."""
    s = str(text if text is not None else "").strip()
    for pattern in (_SEPARATED, _CHINESE, _COMPACT):
        m = pattern.fullmatch(s)
        if m:
            return _checked(m.group(1), m.group(2), s)
    if _SHORT.fullmatch(s):
        raise MonthError(s, "（月份要写两位，如 2026-01、2026-11）")
    raise MonthError(s)


def month_or_refuse(text: object) -> str:
    """The month of a command or a ribbon dialog as ``YYYY-MM``; else the run is refused (exit 2)."""
    from kaohe.findings import InputRefused

    try:
        return parse_month(text)
    except MonthError as exc:
        raise InputRefused(exc.zh, exc.en) from None


def month_of(value: object) -> str:
    """The month of a 月份 cell: a date, a month text, or a full date text (its day ignored)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    s = str(value).strip()
    m = _WITH_DAY.fullmatch(s)
    if m:
        return _checked(m.group(1), m.group(2) or m.group(3), s)
    return parse_month(s)


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a month given in any accepted spelling."""
    y, m = (int(p) for p in parse_month(month).split("-"))
    first = dt.date(y, m, 1)
    last = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    return first, last


def shift_month(month: str, k: int) -> str:
    """The month ``k`` months after ``month`` (before it when ``k`` is negative), as ``YYYY-MM``."""
    y, m = (int(p) for p in parse_month(month).split("-"))
    n = y * 12 + m - 1 + k
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; a day the target month lacks becomes its last day (31 Jan + 1 = 28/29 Feb)."""
    first, last = month_bounds(shift_month(f"{day.year:04d}-{day.month:02d}", months))
    return first.replace(day=min(day.day, last.day))


def review_period(text: object) -> tuple[str, dt.date, dt.date]:
    """A review period, ``2026Q3`` (a quarter) or ``2026`` (a year; REV-01/02), to (normalised, first day, last day)."""
    m = re.fullmatch(r"(\d{4})\s*(?:Q([1-4]))?", str(text).strip().upper())
    if not m:
        raise ValueError(f"周期应为 2026Q3 或 2026：“{text}”")
    y, q = m.group(1), int(m.group(2) or 0)
    months = (3 * q - 2, 3 * q) if q else (1, 12)
    return (f"{y}Q{q}" if q else y), month_bounds(f"{y}-{months[0]:02d}")[0], month_bounds(f"{y}-{months[1]:02d}")[1]
