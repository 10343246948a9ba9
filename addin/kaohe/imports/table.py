"""Punch tables of attendance software with the date and the time in two columns.

    刷卡日期, 刷卡时间     a row per punch (``2026-03-02`` | ``08:46:34``)
    考勤日期, 考勤时间     a row per person and day, every time of the day in one cell (``08:46:34  13:30:53``)
    打卡日期, 打卡时间     either way

The time cell may hold one time or several (spaces, line breaks or 、 between them). Who punched: 员工工号
or 工号 (a 工号, then a clock number), 设备工号 / 考勤号码 / 登记号码 (the clock's number), and 姓名.
DingTalk's 原始记录 also has 考勤日期 and 考勤时间 (the scheduled time, beside 打卡时间): a header with
UserId, or with 打卡时间 beside 考勤时间, is never read here.
"""
from __future__ import annotations

from functools import partial

from kaohe.headers import Header, find_header
from kaohe.imports.files import Read, Skipped, cell_text
from kaohe.imports.layout import day_punches, punches_of, short_date, value_at
from kaohe.values import parse_id

DATE_TIME_COLUMNS = (("刷卡日期", "刷卡时间"), ("考勤日期", "考勤时间"), ("打卡日期", "打卡时间"))
ID_COLUMNS = (("员工工号", ("emp",)), ("工号", ("emp", "clock")), ("设备工号", ("clock",)), ("考勤号码", ("clock",)),
              ("登记号码", ("clock",)))


def _not_dingtalk(header, time_col: str) -> bool:
    """Not DingTalk's 原始记录, whose 考勤时间 is the scheduled time beside 打卡时间."""
    return "UserId" not in header and (time_col == "打卡时间" or "打卡时间" not in header)


def _header(rows) -> tuple[Header, str, str] | None:
    """The header and its date and time columns; None without one (or with DingTalk's UserId)."""
    for date_col, time_col in DATE_TIME_COLUMNS:
        header = find_header(rows, (date_col, time_col), test=partial(_not_dingtalk, time_col=time_col))
        if header is not None:
            return header, date_col, time_col
    return None


def _ids(row: list, header: Header) -> tuple:
    """The person's ids in the order to try: 工号 kinds first, then the clock's number."""
    out = []
    for column, kinds in ID_COLUMNS:
        value = value_at(row, header, column)
        if value is not None:
            out += [(kind, parse_id(value) if kind == "clock" else cell_text(value)) for kind in kinds]
    return tuple(sorted(out, key=lambda pair: pair[0] != "emp"))


def punch_table(rows, path) -> Read | None:
    """A row per punch, or per person and day with all of that day's times in one cell."""
    found = _header(rows)
    if found is None:
        return None
    header, date_col, time_col = found
    out: Read = []
    for offset, row in enumerate(rows[header.row + 1:]):
        at = header.row + 2 + offset
        raw_day, times = value_at(row, header, date_col), value_at(row, header, time_col)
        day = short_date(raw_day)
        if day is None:
            out += [Skipped(at, f"{date_col}无法识别“{raw_day}”")] if raw_day is not None else []
            continue
        out += punches_of(_ids(row, header), value_at(row, header, "姓名"), day_punches(day, times, at),
                          f"{path.name}:{at}")
    return out
