"""The same facts through compute-month and through a cell function (one rule, one answer).

A month of March 2027 computed in memory from rows, and a calling workbook for the cell functions
(LEAVEDAYS, LATEFINE, ABSENTDAYS, LEAVECHECK, DAYTYPE) that holds the same 规则 sheet. The 规则 sheet
changes two parameters: 迟到早退罚款 50 and 旷工半天起点分钟 20 (ATT-04). Mon 8 March 2027 is a workday
(ATT-08: women off in the afternoon).
"""
import datetime as dt

from builders import ROSTER_HEADER, full_day, punches_for, workdays
from conftest import month_from_rows
from doors.test_udfs import workbook_caller

RULES = [["参数", "值"], ["迟到早退罚款", 50], ["旷工半天起点分钟", 20]]
LEAVE_HEADER = ["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料", "事由日期", "备注"]
M = lambda day: dt.date(2027, 3, day)  # noqa: E731
CALLER = workbook_caller({"规则": RULES}, "C:/hr/一致.xlsx")


def run_month(roster_row, punches=(), leave=(), rota=None, shifts=None, rules=RULES, holidays=None):
    """March 2027 computed from rows: one employee, the 规则 sheet above unless ``rules`` says otherwise."""
    sheets = {"规则": rules, "员工名册": [ROSTER_HEADER, roster_row],
              "打卡记录": [["工号", "打卡时间"], *punches], "请假记录": [LEAVE_HEADER, *leave]}
    if rota:
        sheets["排班"] = [["工号", "日期", "班次"], *rota]
        sheets["班次"] = [["班次", "时段1开始", "时段1结束", "时段2开始", "时段2结束"], *shifts]
    if holidays:
        sheets["节假日"] = holidays
    return month_from_rows(sheets, "2027-03")


def late_on_2_march(minutes):
    """打卡记录 rows of March 2027: every workday on time but Tue 2 March, ``minutes`` late in the morning."""
    arrive = (dt.datetime(2027, 3, 2, 8, 30) + dt.timedelta(minutes=minutes)).strftime("%H:%M")
    punches = [p for day in workdays(2027, 3) if day != M(2) for p in full_day("001", day)]
    return punches + punches_for("001", M(2), arrive, "12:01", "13:25", "17:31")
