"""Pieces the spreadsheet layouts of the punch exports share: cells, punch times, date ranges, day grids.

Punches are put on the date of the column or row they are in (``次日`` / ``昨日`` move them a day);
which shift a punch belongs to is left to the engine's shift rules.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kaohe.headers import Header, find_header
from kaohe.imports.files import RawPunch, Skipped, cell_text, clean_name
from kaohe.terms import WEEKDAY_CHARS
from kaohe.values import is_blank, parse_date, parse_time


def value_at(row: list, header: Header, name: str):
    """The value of column ``name`` in ``row``; None when blank or ``--`` (the vendors' empty)."""
    value = header.value(row, name)
    return None if is_blank(value) or value == "--" else value


def joined_header(rows: list[list]) -> Header | None:
    """The header of a DingTalk / WeCom statistics export (姓名 with UserId or 账号), a two-level header
    joined as ``请假/事假(天)``."""
    return find_header(rows, ("姓名",), alternatives=(("UserId",), ("账号",)), two_level=True)


_PUNCH_TIME = re.compile(r"(?:(次日|昨日)\s*)?(\d{1,2}:\d{2}(?::\d{2})?)")
_NAME_RANGE = re.compile(r"(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})")


def _times(cell) -> list[tuple[int, dt.time]]:
    """Every punch in a cell holding several (newlines, spaces or 、): (day shift, time)."""
    if is_blank(cell) or cell == "--":
        return []
    if isinstance(cell, (dt.time, float)) and not isinstance(cell, bool):
        try:
            return [(0, parse_time(cell))]  # a time cell, or Excel's fraction of a day
        except ValueError:
            return []
    out = []
    for m in _PUNCH_TIME.finditer(str(cell)):
        try:
            out.append(({"次日": 1, "昨日": -1}.get(m.group(1), 0), parse_time(m.group(2))))
        except ValueError:
            continue
    return out


_SPAN = re.compile(r"(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})日?\s*[~～至]\s*(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})")


def report_span(rows: list[list], path: Path | None = None, year: int | None = None) -> tuple[dt.date, dt.date] | None:
    """The dates a report covers, from its title rows (``统计日期：2026-11-01 至 2026-11-30``,
    ``2021/09/01 ~ 09/22``); a range without a year (``统计时间:05-01 ～ 05-02``) takes the year from the
    file name (``…_20260501-20260502.xlsx``), else ``year``."""
    named = _NAME_RANGE.search(path.name) if path else None
    for v in (v for row in rows[:6] for v in row if isinstance(v, str)):
        m = _SPAN.search(v)
        if not m:
            continue
        y1 = int(m.group(1)) if m.group(1) else int(named.group(1)) if named else year
        if y1 is None:
            continue
        y2 = int(m.group(4)) if m.group(4) else y1 + (int(m.group(5)) < int(m.group(2)))
        try:
            return dt.date(y1, int(m.group(2)), int(m.group(3))), dt.date(y2, int(m.group(5)), int(m.group(6)))
        except ValueError:
            continue
    return None


def first_day(rows: list[list], path: Path | None = None) -> dt.date | None:
    span = report_span(rows, path)
    return span[0] if span else None


def grid_dates(row: list, first: dt.date, start: int = 0) -> dict[int, dt.date]:
    """Column -> date for a header row of day numbers (``1``, ``1\\n星期五``, or ``六``/``日`` on weekends),
    walking the dates from ``first``; empty unless at least the first date is found."""
    cols, expected = {}, first
    for i in range(start, len(row)):
        text = cell_text(row[i])
        m = re.match(r"^(\d{1,2})(?:\s|$)", text)
        weekend = text in WEEKDAY_CHARS[5:] and text == WEEKDAY_CHARS[expected.weekday()]
        if (m and int(m.group(1)) == expected.day) or weekend:
            cols[i] = expected
            expected += dt.timedelta(days=1)
        elif cols:
            break
    return cols if cols and (len(cols) >= 7 or start) else {}


def day_punches(day: dt.date, cell, at: int) -> list:
    """The punches of one cell on ``day``; a Skipped when the cell holds digits but no time (``25:61``)."""
    times = _times(cell)
    if not times and not is_blank(cell) and re.search(r"\d", str(cell)) and not isinstance(cell, (int, float)):
        return [Skipped(at, f"{day:%m-%d} 的打卡无法识别“{str(cell).strip()[:20]}”")]
    return [dt.datetime.combine(day + dt.timedelta(days=shift), t) for shift, t in times]


def grid_punches(row: list, dates: dict[int, dt.date], at: int) -> list:
    return [p for col, day in dates.items() for p in day_punches(day, row[col] if col < len(row) else None, at)]


def punches_of(ids: tuple, name, items: list, source: str, kind: str = "") -> list:
    """RawPunches of one row from its date-times (of ``kind``, see RawPunch); Skipped entries pass through."""
    return [RawPunch(ids, clean_name(name), x, source, kind) if isinstance(x, dt.datetime) else x for x in items]


def short_date(value) -> dt.date | None:
    if isinstance(value, str):
        m = re.match(r"\s*(\d{2,4})[-/](\d{1,2})[-/](\d{1,2})", value)
        if m:
            year = int(m.group(1))
            try:
                return dt.date(year + 2000 if year < 100 else year, int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    try:
        return parse_date(value)
    except ValueError:
        return None
