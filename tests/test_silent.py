"""Issue 11, nothing silent: a value kaohe cannot use safely is a 问题清单 row with its cell, never money.

Every workbook here is built the way HR keeps it; expected money is worked out by hand from docs/规则说明.md
(a base of 4350 gives a daily wage of 200 and an hourly wage of 25).
"""
import datetime as dt

import openpyxl
from builders import ROSTER_HEADER, full_day, person, workdays, write_book

from kaohe.cli import main

LEAVE_HEADER = ["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料"]
OT_HEADER = ["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "补偿方式"]


def rows_of(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def november_punches(*emps, skip=()):
    rows = [["工号", "打卡时间"]]
    for emp in emps:
        for day in workdays(2026, 11, skip):
            rows += full_day(emp, day)
    return rows


def attendance_book(tmp_path, name="考勤.xlsx", **sheets):
    sheets.setdefault("员工名册", [ROSTER_HEADER, person(), person("002", "李四")])
    sheets.setdefault("打卡记录", november_punches("001", "002"))
    return write_book(tmp_path / name, sheets)


# --- case 7: each command replaces only its own rows of the same month ---------------------------------

def test_check_leave_keeps_the_rows_of_compute_month(tmp_path):
    book = attendance_book(
        tmp_path,
        请假记录=[LEAVE_HEADER, ["002", "事假", dt.datetime(2026, 11, 20, 8, 30), dt.datetime(2026, 11, 20, 17, 30),
                                dt.date(2026, 11, 10), "已驳回", None]],
        加班申请=[OT_HEADER, ["001", dt.date(2026, 11, 2), dt.time(18), dt.time(20), "是", "否", "加班费"]])
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    first = rows_of(book, "问题清单")
    assert {r["来源"] for r in first} == {"计算本月"} and {r["月份"] for r in first} == {"2026-11"}
    ot = next(r for r in first if r["工作表"] == "加班申请")
    assert (ot["单元格"], ot["工号"], ot["姓名"]) == ("F2", "001", "张三")
    assert main(["check-leave", str(book), "-q"]) == 0
    after = rows_of(book, "问题清单")
    assert [r for r in after if r["来源"] == "计算本月"] == first  # the overtime and other rows stay
    leave = [r for r in after if r["来源"] == "校验请假"]
    assert {r["工作表"] for r in leave} <= {"请假记录", "规则"}
    assert any(r["单元格"] == "F2" and r["工号"] == "002" and r["姓名"] == "李四" for r in leave)
    # Running compute-month again replaces its own rows (no duplicates), and keeps check-leave's.
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    again = rows_of(book, "问题清单")
    assert len(again) == len(after)
    assert [r for r in again if r["来源"] == "校验请假"] == leave
