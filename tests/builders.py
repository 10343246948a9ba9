"""Build real attendance workbooks for tests, in the domain's own notation.

Each sheet is given as a header row and data rows, exactly as HR would type them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

ROSTER_HEADER = ["工号", "姓名", "部门", "入职日期", "岗位基本工资", "性别", "转正日期", "参加工作日期", "工时制", "生产线"]


def write_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write ``{sheet: [header, *rows]}`` to an .xlsx file with openpyxl."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            ws.append(row)
            for c, value in enumerate(row, start=1):
                if isinstance(value, str) and value.startswith("="):
                    ws.cell(row=r, column=c).data_type = "s"  # typed text that looks like a formula stays text
    wb.save(path)
    return path


def person(emp="001", name="张三", dept="客服部", hired=dt.date(2020, 1, 1), base=4350, gender="男",
           regular=None, work_start=None, system=None, production="是"):
    """A 员工名册 row. A base of 4350 gives a daily wage of exactly 200 (4350 / 21.75)."""
    return [emp, name, dept, hired, base, gender, regular, work_start, system, production]


def punches_for(emp: str, day: dt.date, *times: str) -> list[list]:
    """打卡记录 rows (工号, 打卡时间) for ``times`` like '08:29' on ``day``."""
    out = []
    for t in times:
        h, m, *s = (int(x) for x in t.split(":"))
        out.append([emp, dt.datetime(day.year, day.month, day.day, h, m, s[0] if s else 0)])
    return out


def full_day(emp: str, day: dt.date) -> list[list]:
    return punches_for(emp, day, "08:25", "12:01", "13:25", "17:31")


def workdays(year: int, month: int, skip=()):
    """Mon-Sat dates of a month (the company's 6-day week), minus ``skip``."""
    day = dt.date(year, month, 1)
    while day.month == month:
        if day.weekday() != 6 and day not in skip:
            yield day
        day += dt.timedelta(days=1)


def late_absent_on_time(days) -> list[list]:
    """打卡记录 rows for ``days``: 001 late (08:41) on 2026-11-02, 002 absent on 2026-11-03, 003 always on time."""
    rows = [["工号", "打卡时间"]]
    for day in days:
        rows += (punches_for("001", day, "08:41", "12:00", "13:30", "17:30") if day == dt.date(2026, 11, 2)
                 else full_day("001", day))
        if day != dt.date(2026, 11, 3):
            rows += full_day("002", day)
        rows += full_day("003", day)
    return rows
