"""Pieces the spreadsheet layouts of the punch exports share: cells, punch times, date ranges, day grids.

Punches are put on the date of the column or row they are in (``次日`` / ``昨日`` move them a day);
which shift a punch belongs to is left to the engine's shift rules, except where the vendor says it:
DingTalk's 打卡时间 writes an after-midnight punch into the cell of the 考勤日 it ends, and that
考勤日 travels with the punch (打卡导入's 归属日期).
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
            time = parse_time(cell)  # a time cell, or Excel's fraction of a day
        except ValueError:
            return []
        return [(0, time)] if time is not None else []
    out = []
    for m in _PUNCH_TIME.finditer(str(cell)):
        try:
            time = parse_time(m.group(2))
        except ValueError:
            continue
        if time is not None:
            out.append(({"次日": 1, "昨日": -1}.get(m.group(1), 0), time))
    return out


_SPAN = re.compile(r"(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})日?\s*[~～至]\s*(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})")
_MADE = re.compile(r"制表时间\s*[:：]\s*(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})")


def report_span(rows: list[list], path: Path | None = None, year: int | None = None) -> tuple[dt.date, dt.date] | None:
    """The dates a report covers, from its title rows (``统计日期：2026-11-01 至 2026-11-30``,
    ``2021/09/01 ~ 09/22``). A range without a year (``统计时间:05-01 ～ 05-02``) takes the year that puts
    its end on or before the sheet's ``制表时间:2026-05-03``, else the year of the file name
    (``…_20260501-20260502.xlsx``), else ``year``."""
    texts = [v for row in rows[:6] for v in row if isinstance(v, str)]
    named = _NAME_RANGE.search(path.name) if path else None
    made = next((m for m in map(_MADE.search, texts) if m), None)
    for m in filter(None, map(_SPAN.search, texts)):
        try:
            return _span_dates(m, made, int(named.group(1)) if named else year)
        except (ValueError, TypeError):
            continue
    return None


def _span_dates(m: re.Match, made: re.Match | None, year: int | None) -> tuple[dt.date, dt.date]:
    """The two dates of a range match; without a year in it, the year from 制表时间 (``made``), else ``year``."""
    (m1, d1), (m2, d2) = (int(m.group(2)), int(m.group(3))), (int(m.group(5)), int(m.group(6)))
    if m.group(1):
        y1 = int(m.group(1))
        y2 = int(m.group(4)) if m.group(4) else y1 + ((m2, d2) < (m1, d1))
    elif made:
        made_on = (int(made.group(2)), int(made.group(3)))
        y2 = int(made.group(1)) - ((m2, d2) > made_on)
        y1 = y2 - ((m2, d2) < (m1, d1))
    else:
        if year is None:
            raise TypeError("no year")  # the next candidate is tried
        y1 = year
        y2 = y1 + ((m2, d2) < (m1, d1))
    return dt.date(y1, m1, d1), dt.date(y2, m2, d2)


def first_day(rows: list[list], path: Path | None = None) -> dt.date | None:
    span = report_span(rows, path)
    return span[0] if span else None


HOLIDAY_NAMES = ("元旦", "除夕", "春节", "清明", "五一", "端午", "中秋", "国庆")


def _day_label(text: str, day: dt.date) -> bool:
    """Whether a day-row cell labels ``day``: its number (``1``, ``1\n星期五``), ``六``/``日`` on that weekday,
    or a holiday name in place of the number (``劳动节``, ``端午节``, ``元旦``)."""
    m = re.match(r"^(\d{1,2})(?:\s|$)", text)
    if m:
        return int(m.group(1)) == day.day
    if text in WEEKDAY_CHARS[5:]:
        return text == WEEKDAY_CHARS[day.weekday()]
    return text in HOLIDAY_NAMES or bool(re.fullmatch(r"[\u4e00-\u9fff]{1,4}节", text))


def grid_dates(row: list, first: dt.date, start: int = 0, last: dt.date | None = None) -> dict[int, dt.date]:
    """Column -> date for a row of day labels (:func:`_day_label`), walking the dates from ``first`` up to
    ``last``; empty unless there are at least 7 of them (all of a shorter range), or, when the day columns
    ``start`` at a known column, unless that column holds the first day."""
    cols, expected = {}, first
    for i in range(start, len(row)):
        if last is not None and expected > last:
            break
        if _day_label(cell_text(row[i]), expected):
            cols[i] = expected
            expected += dt.timedelta(days=1)
        elif cols or start:
            break
    need = 1 if start else min(7, (last - first).days + 1) if last else 7
    return cols if len(cols) >= need else {}


def short_row(dates: dict[int, dt.date], span: tuple[dt.date, dt.date], at: int) -> list[Skipped]:
    """A Skipped for a day row that ends before the range its title states (the columns after it unread)."""
    last = max(dates.values()) if dates else None
    if last is None or last >= span[1]:
        return []
    return [Skipped(at, f"日期行只对上 {span[0]:%m-%d}～{last:%m-%d}，统计日期到 {span[1]:%m-%d}：其后的列未读取")]


def day_punches(day: dt.date, cell, at: int, overnight: bool = False) -> list:
    """The punches of one cell on ``day``; a Skipped when the cell holds digits but no time (``25:61``).
    ``overnight`` (DingTalk's 打卡时间): a time earlier than the one before it, and every time after it,
    is on the next date but stays on ``day``'s 考勤日 — returned as (date-time, 考勤日), as is a 次日 time."""
    times = _times(cell)
    if not times and not is_blank(cell) and re.search(r"\d", str(cell)) and not isinstance(cell, (int, float)):
        return [Skipped(at, f"{day:%m-%d} 的打卡无法识别“{str(cell).strip()[:20]}”")]
    out, previous, later = [], None, 0
    for shift, t in times:
        later = later or int(overnight and previous is not None and t < previous)
        previous, shift = t, shift or later
        stamp = dt.datetime.combine(day + dt.timedelta(days=shift), t)
        out.append((stamp, day) if overnight and shift else stamp)
    return out


def grid_punches(row: list, dates: dict[int, dt.date], at: int, overnight: bool = False) -> list:
    return [p for col, day in dates.items() for p in day_punches(day, row[col] if col < len(row) else None, at, overnight)]


def punches_of(ids: tuple, name, items: list, source: str, kind: str = "") -> list:
    """RawPunches of one row (of ``kind``, see RawPunch) from its date-times and (date-time, 考勤日) pairs; Skipped
    entries pass through."""
    name = clean_name(name)
    return [RawPunch(ids, name, x[0], source, kind, workday=x[1]) if isinstance(x, tuple) else
            RawPunch(ids, name, x, source, kind) if isinstance(x, dt.datetime) else x for x in items]


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
