"""Policy parameters changed through a 规则 row and followed by compute-month, the cell functions and KPI.

Expected values are worked out by hand from docs/规则说明.md (LV-03 第三十条, LV-08 第三十五条,
ATT-08 第十四条, ATT-11 第十九条, KPI-01 篇二).
"""
import datetime as dt
import itertools

from builders import ROSTER_HEADER, person, punches_for
from doors.test_udfs import workbook_caller

from kaohe.doors import udfs as f
from kaohe.engine import kpi
from kaohe.policy import policy_from_rows
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.read import tables_from_rows


BOOKS = itertools.count()


def caller(*rows):
    """A cell of its own workbook (two workbooks open at once never share a FullName)."""
    return workbook_caller({"规则": [["参数", "值"], *rows]}, f"C:/hr/规则{next(BOOKS)}.xlsx")


def test_LV_03_notice_thresholds_follow_the_rules_sheet():
    # 事假 Tue 10 - Wed 11 Nov 2026 (2 workdays) applied Sun 8 Nov: 2 days ahead.
    # Default: under 3 days needs 1 day ahead -> passes. With 事假短假天数 = 2, 2 days is the 3-10 band:
    # 3 days ahead needed -> fails LV-03.
    args = ("事假", "2026-11-10 08:30", "2026-11-11 17:30", "2026-11-08")
    assert f.LEAVECHECK(*args, caller=caller()) == terms.CHECK_PASS
    assert "LV-03" in f.LEAVECHECK(*args, caller=caller(["事假短假天数", 2]))
    # 事假 Mon 9 - Fri 13 Nov (5 workdays) applied Thu 5 Nov: 4 days ahead. Default 3-10 band needs 3 -> passes.
    # With 事假长假天数 = 4, 5 days is over the long threshold: 7 days ahead needed -> fails.
    longer = ("事假", "2026-11-09 08:30", "2026-11-13 17:30", "2026-11-05")
    assert f.LEAVECHECK(*longer, caller=caller()) == terms.CHECK_PASS
    assert "LV-03" in f.LEAVECHECK(*longer, caller=caller(["事假长假天数", 4]))


def test_LV_08_annual_leave_service_tiers_follow_the_rules_sheet():
    # 2026: work since 2019-06-01 -> 7 full years; since 2016-01-01 -> 10 full years (hired 2020, no proration).
    moved = caller(["年休假第二档门槛年", 5], ["年休假第三档门槛年", 8])
    assert f.ANNUALLEAVE("2019-06-01", "2020-01-01", 2026, caller=caller()) == 5   # 1-10 years
    assert f.ANNUALLEAVE("2016-01-01", "2020-01-01", 2026, caller=caller()) == 10  # 10-20 years
    assert f.ANNUALLEAVE("2019-06-01", "2020-01-01", 2026, caller=moved) == 10     # 7 >= 5
    assert f.ANNUALLEAVE("2016-01-01", "2020-01-01", 2026, caller=moved) == 15     # 10 >= 8


def test_ATT_08_womens_day_follows_the_rules_sheet():
    # A woman's full-day 事假 on Tue 10 Nov 2026 is 1 day; declared the women's day (11-10), the afternoon is
    # off, so the leave covers only the morning: 0.5 day.
    args = ("事假", "2026-11-10 08:30", "2026-11-10 17:30", "女")
    assert f.LEAVEDAYS(*args, caller=caller()) == 1
    assert f.LEAVEDAYS(*args, caller=caller(["妇女节月份", 11], ["妇女节日期", 10])) == 0.5


def test_ATT_08_womens_day_in_the_month_follows_the_rules_sheet(month):
    women = [ROSTER_HEADER, person(gender="女")]
    rows = [["工号", "打卡时间"]] + punches_for("001", dt.date(2026, 11, 10), "08:25", "12:01")
    rules = [["参数", "值"], ["妇女节月份", 11], ["妇女节日期", 10]]
    # Only the morning punched on Tue 10 Nov: without the rule the afternoon is 旷工 half a day; with it none.
    assert month({"员工名册": women, "打卡记录": rows}).day(dt.date(2026, 11, 10))["旷工天数"] == 0.5
    assert month({"员工名册": women, "打卡记录": rows, "规则": rules}).day(dt.date(2026, 11, 10))["旷工天数"] == 0


def test_ATT_11_night_shift_tail_follows_the_rules_sheet(month):
    # 夜班 22:00-06:00 on Mon 2 Nov, nothing rostered Tue. Out punch Tue 09:30, 3.5 hours after the shift.
    # Default tail 4 hours: it belongs to Monday's shift, no punch missing. With 2 hours it falls on Tuesday
    # (a rest day): Monday's out punch is missing.
    mon = dt.date(2026, 11, 2)
    book = {"员工名册": [ROSTER_HEADER, person(system="综合工时")],
            "打卡记录": [["工号", "打卡时间"]] + punches_for("001", mon, "21:55")
            + punches_for("001", dt.date(2026, 11, 3), "09:30"),
            "班次": [["班次", "时段1开始", "时段1结束"], ["夜班", dt.time(22), dt.time(6)]],
            "排班": [["工号", "日期", "班次"], ["001", mon, "夜班"]]}
    assert month(book).day(mon)["缺卡次数"] == 0
    book["规则"] = [["参数", "值"], ["跨夜班次归属小时", 2]]
    assert month(book).day(mon)["缺卡次数"] == 1


def test_KPI_01_full_score_follows_the_rules_sheet():
    policy, _ = policy_from_rows([("B2", "KPI满分", 120)])
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人"],
             ["咨询转化率", 60, "越高越好", 0.6, 0.2, "数据"], ["报表整体质量", 40, "越高越好", None, None, "店长"]]
    t, findings = tables_from_rows({"KPI规则": rules}.get, (c.KPI_RULES,))
    findings += kpi.indicators_from_rules(t[c.KPI_RULES.key])[1]
    assert findings == []  # 60 + 40 = 100, the default full score
    findings += kpi.indicators_from_rules(t[c.KPI_RULES.key], policy)[1]
    assert len(findings) == 1 and "合计为100，不是120" in findings[0].problem
