"""LV-01..LV-12: leave validation across time, and what leave does to the month.

November 2026, employee 001 (base 4350: daily wage 200.00), clean punches on every workday
except the leave days. Mon 2 Nov .. Sat 7 Nov is the first full week; Sundays are off.

Also here: the cell functions of the leave rules (LEAVEDAYS, LEAVECHECK) giving what compute-month
gives (tests/cell_and_month.py: March 2027; Mon 1 March is a workday, 8 March is women's afternoon off).
"""
import dataclasses
import datetime as dt

import pandas as pd
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays
from cell_and_month import CALLER, M, run_month

from kaohe.doors import udfs as f
from kaohe.engine import leave as lv, pay
from kaohe.engine.month import month_context, roster_stage
from kaohe.policy.leave_table import LeaveTable, default_table
from kaohe.workbook import contract as c
from kaohe.workbook.read import tables_from_rows

from kaohe.engine.leave import (Check, check_overlaps, check_record, normalise,
                                personal_notice_days)
from kaohe.engine.leave_types import annual_entitlement
from kaohe.jobs.money import monthly_sheet
from kaohe.policy import DEFAULT, compliance_findings, policy_from_rows
from kaohe.policy.law import figure_below
from kaohe.policy.regions import floors, region_of
from kaohe.tables import Table
from kaohe import terms

D = lambda day: dt.date(2026, 11, day)  # noqa: E731
HEADER = ["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料", "事由日期", "备注"]


def book(*leave_rows, off=(), roster=None, overtime=None):
    """Clean punches except on ``off`` dates; the leave rows as given."""
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        if day not in off:
            rows += full_day("001", day)
    sheets = {"打卡记录": rows, "请假记录": [HEADER] + [list(r) + [None] * (len(HEADER) - len(r)) for r in leave_rows]}
    if roster:
        sheets["员工名册"] = [ROSTER_HEADER, roster]
    if overtime:
        sheets["加班申请"] = [["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "补偿方式"]] + overtime
    return sheets


def days(a, b):
    return {D(x) for x in range(a, b + 1)}


def test_lv_01_pending_leave_covers_nothing_absence_is_absenteeism(month):
    m = month(book(["001", "事假", D(2), D(2), D(1), "待审批"], off={D(2)}))
    s = m.summary()
    assert s["旷工天数"] == 1 and s["事假天数"] == 0 and s["旷工扣款"] == 200
    row = m.leave()[0]
    assert row["校验结果"] == "不通过" and row["天数"] == 1 and row["计为"] == ""  # asked for 1 day; covers nothing
    assert m.problems("请假未批准")


def test_lv_01_approved_after_the_fact_stands_as_warning(month):
    m = month(book(["001", "事假", D(2), D(2), D(2), "事后补单"], off={D(2)}))
    s = m.summary()
    assert s["旷工天数"] == 0 and s["事假天数"] == 1 and s["事假扣款"] == 200
    assert m.leave()[0]["校验结果"] == "警告"


def test_lv_02_sick_leave_without_proof_counts_as_personal_leave(month):
    m = month(book(["001", "病假", D(3), D(3), D(3), "已批准", "无"], off={D(3)}))
    s = m.summary()
    assert s["病假天数"] == 0 and s["事假天数"] == 1 and s["事假扣款"] == 200
    row = m.leave()[0]
    assert row["校验结果"] == "警告" and row["计为"] == "事假" and "LV-02" in row["依据"]


def test_lv_02_sick_leave_with_proof(month):
    m = month(book(["001", "病假", D(3), D(3), D(3), "已批准", "有"], off={D(3)}))
    s = m.summary()
    assert s["病假天数"] == 1 and s["事假天数"] == 0
    assert m.leave()[0]["校验结果"] == "通过"


@pytest.mark.parametrize("first,last,applied,result", [
    (2, 3, dt.date(2026, 11, 1), "通过"),    # 2 days: 1 day ahead is enough
    (2, 3, dt.date(2026, 11, 2), "警告"),    # same day: late notice
    (2, 5, dt.date(2026, 10, 31), "警告"),   # 4 days need 3 days' notice; given 2
    (2, 5, dt.date(2026, 10, 30), "通过"),
])
def test_lv_03_personal_leave_notice(month, first, last, applied, result):
    m = month(book(["001", "事假", D(first), D(last), applied, "已批准"], off=days(first, last)))
    assert m.leave()[0]["校验结果"] == result
    assert m.summary()["事假天数"] == last - first + 1


def test_lv_03_yearly_cap_of_15_days(month):
    # 14 days in March (2..16 Mar 2026 minus Sundays 8 and 15 = 13 workdays, plus 17 Mar = 14),
    # then 2 days in November: 16 > 15, the November record is 不通过 and still unpaid 事假.
    m = month(book(["001", "事假", dt.date(2026, 3, 2), dt.date(2026, 3, 17), dt.date(2026, 2, 20), "已批准"],
                   ["001", "事假", D(2), D(3), D(1), "已批准"], off=days(2, 3)))
    rows = m.leave()
    assert rows[0]["天数"] == 14 and rows[0]["校验结果"] == "通过"
    assert rows[1]["校验结果"] == "不通过" and "累计16天" in rows[1]["说明"]
    s = m.summary()
    assert s["事假天数"] == 2 and s["事假扣款"] == 400


def test_lv_04_sick_pay_80_percent(month):
    m = month(book(["001", "病假", D(2), D(3), D(2), "已批准", "有"], off=days(2, 3)))
    assert m.summary()["病假扣款"] == 80  # 2 days × 200 × (1 − 0.8)


def test_lv_04_hospitalisation_full_pay(month):
    m = month(book(["001", "病假", D(2), D(3), D(2), "已批准", "有", None, "重病住院"], off=days(2, 3)))
    assert m.summary()["病假扣款"] == 0


@pytest.mark.parametrize("note, deduction, warned", [
    ("住院治疗", 0, False),        # a value of the hospital vocabulary: full pay
    ("门诊，未住院", 40, True),   # mentions 住院 but is not hospitalisation: 200 × (1 − 0.8), and a 警告
    ("门诊", 40, False),          # ordinary sick leave, nothing to say
])
def test_LV_04_hospitalisation_is_a_value_of_the_note_never_a_substring(month, note, deduction, warned):
    m = month(book(["001", "病假", D(2), D(2), D(2), "已批准", "有", None, note], off={D(2)}))
    assert m.summary()["病假扣款"] == deduction
    hits = [f for f in m.result.findings if f.rule == "LV-04" and f.cell == "I2"]
    assert len(hits) == (1 if warned else 0)
    if warned:
        assert hits[0].level == "警告" and "门诊，未住院" in hits[0].problem


def test_lv_04_sick_pay_ratio_from_rules(month):
    sheets = book(["001", "病假", D(2), D(2), D(2), "已批准", "有"], off={D(2)})
    sheets["规则"] = [["参数", "值"], ["病假工资比例", "60%"]]
    assert month(sheets).summary()["病假扣款"] == 80  # 200 × 0.4


def marriage(start, end, applied, registered, regular=dt.date(2020, 4, 1)):
    return book(["001", "婚假", start, end, applied, "已批准", "有", registered],
                off={d for d in days(1, 30) if start <= d <= end}, roster=person(regular=regular))


def test_lv_05_marriage_leave_passes(month):
    m = month(marriage(D(2), D(4), D(1) - dt.timedelta(days=9), D(1) - dt.timedelta(days=30)))
    assert m.leave()[0]["校验结果"] == "通过"
    assert m.summary()["婚假天数"] == 3 and m.summary()["事假扣款"] == 0


def test_lv_05_not_regularised_counts_as_personal_leave(month):
    m = month(marriage(D(2), D(4), dt.date(2026, 10, 20), dt.date(2026, 10, 1), regular=dt.date(2026, 12, 1)))
    row = m.leave()[0]
    assert row["校验结果"] == "不通过" and row["计为"] == "事假"
    assert m.summary()["事假扣款"] == 600 and m.summary()["婚假天数"] == 0


def test_lv_05_more_than_three_months_after_registration(month):
    m = month(marriage(D(2), D(4), dt.date(2026, 10, 20), dt.date(2026, 7, 1)))
    assert m.leave()[0]["校验结果"] == "不通过"


def test_lv_05_short_notice_is_a_warning(month):
    m = month(marriage(D(2), D(4), D(1) - dt.timedelta(days=2), dt.date(2026, 10, 1)))
    assert m.leave()[0]["校验结果"] == "警告"
    assert m.summary()["婚假天数"] == 3


def test_lv_06_bereavement_counts_calendar_days(month):
    # Sat 7 .. Mon 9 Nov: 3 calendar days; 2 of them workdays.
    m = month(book(["001", "丧假", D(7), D(9), D(7), "已批准", "有"], off={D(7), D(9)}))
    s = m.summary()
    assert s["丧假天数"] == 3 and s["实出勤天数"] == 23 and s["旷工天数"] == 0
    assert m.leave()[0]["天数"] == 3


def test_lv_06_over_three_days_fails(month):
    m = month(book(["001", "丧假", D(7), D(10), D(7), "已批准", "有"], off={D(7), D(9), D(10)}))
    assert m.leave()[0]["校验结果"] == "不通过"
    assert m.summary()["事假天数"] == 3  # counted as 事假: workdays 7, 9, 10


def maternity(applied):
    start = D(2)
    end = start + dt.timedelta(days=97)
    return book(["001", "产假", start, end, applied, "已批准", "有"], off=days(2, 30),
                roster=person(gender="女"))


def test_lv_07_maternity_calendar_days(month):
    m = month(maternity(D(2) - dt.timedelta(days=20)))
    assert m.leave()[0]["校验结果"] == "通过" and m.leave()[0]["天数"] == 98
    s = m.summary()
    assert s["产假天数"] == 29 and s["旷工天数"] == 0  # 2..30 Nov
    assert s["实出勤天数"] == 0


def test_lv_07_maternity_notice(month):
    assert month(maternity(D(2) - dt.timedelta(days=5))).leave()[0]["校验结果"] == "警告"


def test_lv_08_entitlement_by_service():
    p = DEFAULT
    assert annual_entitlement(dt.date(2020, 5, 1), dt.date(2020, 5, 1), 2026, 0, p) == 5
    assert annual_entitlement(dt.date(2010, 5, 1), dt.date(2020, 5, 1), 2026, 0, p) == 10
    assert annual_entitlement(dt.date(2000, 5, 1), dt.date(2020, 5, 1), 2026, 0, p) == 15
    assert annual_entitlement(dt.date(2026, 3, 1), dt.date(2026, 3, 1), 2026, 0, p) == 0  # under a year
    # Joined 1 Jul 2026 with 26 years of service: 184 remaining days / 365 × 15 = 7.56 -> 7.
    assert annual_entitlement(dt.date(2000, 1, 1), dt.date(2026, 7, 1), 2026, 0, p) == 7
    # Sick leave is counted in calendar days, 30 a month (LV-20): 26 working years lose the leave only from
    # 4 months = 120 days (条例第四条), so 44 days keep all 15 (the company's 2 months = 60 would not bite either).
    assert annual_entitlement(dt.date(2000, 1, 1), dt.date(2010, 1, 1), 2026, 44, p) == 15


def test_lv_08_annual_leave_within_entitlement(month):
    roster = person(work_start=dt.date(2010, 1, 1))  # 16 years: 10 days
    m = month(book(["001", "年休假", D(2), D(4), D(1), "已批准"], off=days(2, 4), roster=roster))
    assert m.leave()[0]["校验结果"] == "通过"
    assert m.summary()["年休假天数"] == 3 and m.summary()["事假扣款"] == 0


def test_lv_08_annual_leave_beyond_entitlement_counts_as_personal(month):
    roster = person(work_start=dt.date(2020, 1, 1))  # 6 years: 5 days
    # June: 3 days taken. November 2-4 asks 3 more: 2 left -> 2 and 3 Nov 年休假, 4 Nov 事假 (200).
    m = month(book(["001", "年休假", dt.date(2026, 6, 1), dt.date(2026, 6, 3), dt.date(2026, 5, 20), "已批准"],
                   ["001", "年休假", D(2), D(4), D(1), "已批准"], off=days(2, 4), roster=roster))
    rows = m.leave()
    assert rows[0]["校验结果"] == "通过"
    assert rows[1]["校验结果"] == "警告" and rows[1]["计为"] == "年休假2天、事假1天"
    s = m.summary()
    assert (s["年休假天数"], s["事假天数"], s["事假扣款"]) == (2, 1, 200)
    # None left: a third record in December fails as a whole (LV-01: no entitlement left -> 不通过, 事假).
    m = month(book(["001", "年休假", dt.date(2026, 6, 1), dt.date(2026, 6, 5), dt.date(2026, 5, 20), "已批准"],
                   ["001", "年休假", D(2), D(4), D(1), "已批准"], off=days(2, 4), roster=roster))
    assert m.leave()[1]["校验结果"] == "不通过" and m.leave()[1]["计为"] == "事假"
    assert m.summary()["事假天数"] == 3


def test_lv_08_annual_leave_split_at_the_remaining_entitlement(month):
    # HR report item 3: 参加工作 2012 -> 14 years -> 10 days, none used. 年休假 Mon 2 Nov .. Sat 21 Nov,
    # applied 20 Oct, no punches: 18 workdays (Sundays 8 and 15 off). The first 10 workdays
    # (2-7, 9-12 Nov) are 年休假; 13, 14, 16-21 Nov = 8 days 事假 × 200 = 1,600.
    # 社保自理 (LV-11 counts 事假 and 病假): 8 ≤ 15 -> 否.
    roster = person(work_start=dt.date(2012, 3, 1))
    m = month(book(["001", "年休假", D(2), D(21), dt.date(2026, 10, 20), "已批准"], off=days(2, 21), roster=roster))
    s = m.summary()
    assert (s["年休假天数"], s["事假天数"], s["事假扣款"], s["旷工天数"]) == (10, 8, 1600, 0)
    assert s["社保自理"] == "否"
    row = m.leave()[0]
    assert row["校验结果"] == "警告" and row["计为"] == "年休假10天、事假8天" and row["天数"] == 18
    assert m.day(D(12))["请假"] == "年休假1天" and m.day(D(13))["请假"] == "事假1天"


def test_lv_08_no_annual_leave_under_one_year(month):
    roster = person(hired=dt.date(2026, 3, 1), work_start=dt.date(2026, 3, 1))
    m = month(book(["001", "年休假", D(2), D(2), D(1), "已批准"], off={D(2)}, roster=roster))
    assert m.leave()[0]["校验结果"] == "不通过"


REST_DAY_WORK = [["001", dt.date(2026, 10, 25), dt.time(8, 30), dt.time(16, 30), "是", "是", "调休"]]


def test_lv_09_time_off_backed_by_rest_day_work(month):
    # Sunday 25 Oct, 8 approved hours, no October punches kept: the approved window counts.
    m = month(book(["001", "调休", D(2), D(2), D(1), "已批准"], off={D(2)}, overtime=REST_DAY_WORK))
    assert m.leave()[0]["校验结果"] == "通过"
    assert m.summary()["调休天数"] == 1 and m.summary()["事假扣款"] == 0


def test_lv_09_no_balance_fails(month):
    m = month(book(["001", "调休", D(2), D(2), D(1), "已批准"], off={D(2)}))
    assert m.leave()[0]["校验结果"] == "不通过"
    assert m.summary()["事假扣款"] == 200


SUNDAY_8 = [["001", D(8), dt.time(8, 30), dt.time(16, 0), "是", "是", "调休"]]


def test_lv_09_balance_in_scheduled_hours_with_partial_use(month):
    # HR report item 4: Sunday 8 Nov approved 08:30-16:00 for time off, punched 08:25 / 16:05: 7.5 h banked.
    # 调休 Fri 20 Nov 08:30-17:30: the day's sessions are 3.5 h + 4 h = 7.5 h -> fully covered, no 事假.
    sunday = [["001", dt.datetime(2026, 11, 8, 8, 25)], ["001", dt.datetime(2026, 11, 8, 16, 5)]]
    leave = ["001", "调休", dt.datetime(2026, 11, 20, 8, 30), dt.datetime(2026, 11, 20, 17, 30), D(10), "已批准"]
    sheets = book(leave, off={D(20)}, overtime=SUNDAY_8)
    sheets["打卡记录"] += sunday
    m = month(sheets)
    assert m.leave()[0]["校验结果"] == "通过"
    s = m.summary()
    assert (s["调休天数"], s["事假天数"], s["事假扣款"]) == (1, 0, 0)
    # Approved only 08:30-12:30 (4 h banked): the morning (3.5 h) is 调休, the afternoon (4 h > 0.5 h left)
    # 事假 half a day = 100; the 0.5 h stays in the balance.
    sheets = book(leave, off={D(20)}, overtime=[SUNDAY_8[0][:3] + [dt.time(12, 30), "是", "是", "调休"]])
    sheets["打卡记录"] += sunday
    m = month(sheets)
    s = m.summary()
    assert (s["调休天数"], s["事假天数"], s["事假扣款"]) == (0.5, 0.5, 100)
    assert m.leave()[0]["校验结果"] == "警告" and m.leave()[0]["计为"] == "调休0.5天、事假0.5天"
    # 3 h banked (08:30-11:30): not even one session: the whole day is 事假 (200) and 不通过.
    sheets = book(leave, off={D(20)}, overtime=[SUNDAY_8[0][:3] + [dt.time(11, 30), "是", "是", "调休"]])
    sheets["打卡记录"] += sunday
    m = month(sheets)
    assert m.summary()["事假扣款"] == 200 and m.leave()[0]["校验结果"] == "不通过"


def test_lv_09_no_borrowing_from_later_work(month):
    later = [["001", D(8), dt.time(8, 30), dt.time(16, 30), "是", "是", "调休"]]
    m = month(book(["001", "调休", D(2), D(2), D(1), "已批准"], off={D(2)}, overtime=later))
    assert m.leave()[0]["校验结果"] == "不通过"


def test_lv_10_injury_leave_paid(month):
    m = month(book(["001", "工伤假", D(2), D(6), D(2), "已批准", "有"], off=days(2, 6)))
    s = m.summary()
    assert s["工伤假天数"] == 5 and s["事假扣款"] == 0 and s["调整合计"] == 0


def test_lv_11_more_than_15_days_personal_and_sick_social_insurance(month):
    m = month(book(["001", "事假", D(2), D(12), dt.date(2026, 10, 20), "已批准"],
                   ["001", "病假", D(13), D(19), D(13), "已批准", "有"], off=days(2, 19)))
    s = m.summary()
    assert s["事假天数"] == 10 and s["病假天数"] == 6  # 2..12 minus Sun 8; 13..19 minus Sun 15
    assert s["社保自理"] == "是"


def test_lv_11_statutory_leave_does_not_count(month):
    # 29 days of maternity leave in November: statutory paid leave, not counted (Decision in LV-11).
    s = month(maternity(D(2) - dt.timedelta(days=20))).summary()
    assert s["产假天数"] == 29 and s["社保自理"] == "否"


def test_lv_12_overlapping_records_both_fail_and_cover_nothing(month):
    m = month(book(["001", "事假", D(2), D(3), D(1), "已批准"], ["001", "事假", D(3), D(4), D(1), "已批准"],
                   off=days(2, 4)))
    assert [r["校验结果"] for r in m.leave()] == ["不通过", "不通过"]
    s = m.summary()
    assert s["事假天数"] == 0 and s["旷工天数"] == 3
    assert m.problems("重叠")


def test_half_day_leave_by_time(month):
    m = month(book(["001", "事假", dt.datetime(2026, 11, 2, 13, 30), dt.datetime(2026, 11, 2, 17, 30), D(1), "已批准"],
                   off={D(2)}))
    s = m.summary()
    # The morning has no punch and no leave: half a day absent; the afternoon is leave.
    assert s["事假天数"] == 0.5 and s["旷工天数"] == 0.5 and s["实出勤天数"] == 24


def test_lv_01_start_far_before_application_is_a_likely_date_typo(month):
    # HR report item 12: 2025-11-10 typed for 2026-11-10, applied 2026-11-05: 360 days before the
    # application, beyond the 30 days of 事后补单 -> 问题清单 错误 at 请假记录!C2, 请假校验 警告.
    # The dates stand as typed: 10 Nov 2026 has no punch and no leave -> 1 day 旷工 = 200.
    m = month(book(["001", "事假", dt.datetime(2025, 11, 10, 8, 30), dt.datetime(2025, 11, 10, 17, 30), D(5), "已批准"],
                   off={D(10)}))
    found = [f for f in m.findings if f.rule == "LV-01" and "疑似日期录错" in f.problem]
    assert [(f.sheet, f.cell, f.level) for f in found] == [("请假记录", "C2", "错误")]
    assert "早于申请日期 2026-11-05 360天" in found[0].problem
    assert m.leave()[0]["校验结果"] == "警告"
    assert m.summary()["旷工天数"] == 1 and m.summary()["旷工扣款"] == 200


def test_lv_01_start_far_after_application_and_late_paperwork_within_limits(month):
    # A year typed one too high: 2027-11-10 applied 2026-11-05 is 370 days ahead (> 180): reported.
    m = month(book(["001", "事假", dt.date(2027, 11, 10), dt.date(2027, 11, 10), D(5), "已批准"]))
    assert [f.cell for f in m.findings if "疑似日期录错" in f.problem] == ["C2"]
    # 事后补单 30 days after the leave is within the limit: no typo reported.
    m = month(book(["001", "事假", D(2), D(2), dt.date(2026, 12, 2), "事后补单"], off={D(2)}))
    assert not [f for f in m.findings if "疑似日期录错" in f.problem]


# --- the steps of validate, alone ---------------------------------------------------------

@pytest.mark.parametrize("days, need", [(0.5, 1), (2.5, 1), (3, 3), (10, 3), (10.5, 7), (15, 7)])
def test_LV_03_notice_bands(days, need):
    # 第三十条: under 3 days -> 1 day ahead; 3 to 10 days inclusive -> 3; over 10 -> 7.
    assert personal_notice_days(days, DEFAULT) == need


def leave_table(*records):
    """请假记录 rows (工号, start, end) as the reader types them, rows 2.. of the sheet."""
    frame = pd.DataFrame([{"emp": e, "type": "事假", "start": s, "end": x, "returned": None, "note": None,
                           "row": 2 + i} for i, (e, s, x) in enumerate(records)])
    return Table("请假记录", frame, {"emp": "A", "start": "C", "end": "D"})


def test_LV_12_overlaps_fail_both_records_and_name_the_later_start():
    t = leave_table(("001", dt.datetime(2026, 11, 2, 8), dt.datetime(2026, 11, 3, 18)),
                    ("001", dt.datetime(2026, 11, 3, 8), dt.datetime(2026, 11, 3, 12)),   # inside the first
                    ("001", dt.datetime(2026, 11, 4, 8), dt.datetime(2026, 11, 4, 12)))   # after both: stands
    group = normalise(t.frame)
    checks = {i: Check() for i in group.index}
    found = check_overlaps(group, checks, t)
    assert [c.effective for c in checks.values()] == [False, False, True]
    assert [(f.sheet, f.cell, f.rule) for f in found] == [("请假记录", "C3", "LV-12")]
    assert checks[0].result == checks[1].result == "不通过"


def test_LV_01_record_of_someone_not_in_the_roster_fails_alone():
    t = leave_table(("0O1", dt.datetime(2026, 11, 2, 8), dt.datetime(2026, 11, 2, 12)))
    r = next(normalise(t.frame).assign(status="已批准", applied=None).itertuples())
    ck = Check()
    found = check_record(r, ck, False, pd.Index(["001"]), DEFAULT, t)
    assert not ck.effective and ck.result == "不通过"
    assert [(f.cell, f.rule, f.level) for f in found] == [("A2", "LV-01", "错误")]


# --- records that fail LV-01 or lack an application date, in the month ------------------------------------

def test_LV_01_unknown_employee_unknown_type_and_reversed_times_fail(month):
    m = month(book(["999", "事假", D(2), D(2), D(1), "已批准"], ["001", "探亲假", D(3), D(3), D(1), "已批准"],
                   ["001", "事假", D(5), D(4), D(1), "已批准"], off={D(3), D(4), D(5)}))
    rows = {(r["工号"], r["假别"], r["开始时间"].day): r for r in m.leave()}
    assert rows[("999", "事假", 2)]["校验结果"] == terms.CHECK_FAIL and "工号不在员工名册中" in rows[("999", "事假", 2)]["说明"]
    assert rows[("001", "探亲假", 3)]["校验结果"] == terms.CHECK_FAIL and "假别“探亲假”无效" in rows[("001", "探亲假", 3)]["说明"]
    assert "顺序颠倒" in rows[("001", "事假", 5)]["说明"]
    # none of them covers anything: 3, 4, 5 Nov without punches are 旷工 (3 days × 200.00)
    s = m.summary()
    assert s["旷工天数"] == 3 and s["事假天数"] == 0 and s["旷工扣款"] == 600


def test_LV_03_personal_leave_without_application_date_is_a_warning(month):
    m = month(book(["001", "事假", D(2), D(2), None, "已批准"], off={D(2)}))
    row = m.leave()[0]
    assert row["校验结果"] == terms.CHECK_WARN and "未填申请日期" in row["说明"]
    assert m.summary()["事假天数"] == 1 and m.summary()["旷工天数"] == 0


# --- the 假别 table (LV-25..LV-27): HR's 假别 sheet is the list of leave types -------------------------------

KINDS_HEADER = ["假别", "同义词", "计薪", "发放比例", "计算方式", "需证明", "额度"]
COMPANY_KINDS = [["事假", None, "无薪", None, "工作日", "否", 15], ["病假", None, "比例", None, "工作日", "是", None],
                 ["婚假", "婚嫁假", "全薪", None, "工作日", "是", 3]]  # rows 2-4; HR's own rows from row 5


def with_kinds(sheets, *rows):
    """``sheets`` with a 假别 sheet: the three company rows above, then ``rows``."""
    return {**sheets, "假别": [KINDS_HEADER, *COMPANY_KINDS, *map(list, rows)]}


UNPAID = ["无薪假", "停薪假", "无薪", None, "工作日", "否", None]


def test_LV_26_an_unpaid_type_hr_adds_is_deducted_in_a_column_of_its_own(month):
    # 无薪假 Mon 2 - Wed 4 Nov: 3 workdays × 200.00 (4350 / 21.75) = 600.00 deducted; no absence, no 事假.
    m = month(with_kinds(book(["001", "无薪假", D(2), D(4), D(1), "已批准"], off=days(2, 4)), UNPAID))
    s = m.summary()
    assert (s["无薪假天数"], s["无薪假扣款"], s["旷工天数"], s["事假天数"], s["调整合计"]) == (3, 600, 0, 0, -600)
    assert "LV-26" in s["依据"]
    header = monthly_sheet(m.result.items, m.result.leave_types).headers
    assert header.index("无薪假扣款") == header.index("无薪假天数") + 1
    row = m.leave()[0]
    assert (row["校验结果"], row["计为"], row["天数"]) == ("通过", "无薪假", 3) and "LV-25" in row["依据"]


def test_LV_26_a_share_type_pays_its_share(month):
    # 疗养假 paid at 60 %: Mon 2 - Tue 3 Nov, 2 days × 200.00 × (1 − 0.6) = 160.00 deducted.
    m = month(with_kinds(book(["001", "疗养假", D(2), D(3), D(1), "已批准"], off=days(2, 3)),
                         ["疗养假", None, "比例", "60%", "工作日", "否", None]))
    s = m.summary()
    assert (s["疗养假天数"], s["疗养假扣款"], s["调整合计"]) == (2, 160, -160)


def test_LV_25_a_calendar_day_type_counts_the_weekend(month):
    # 探亲假 counted in calendar days, unpaid: Fri 6 - Mon 9 Nov is 4 calendar days (Sun 8 is the rest day; 3 of
    # them are workdays): 4 × 200.00 = 800.00 deducted.
    m = month(with_kinds(book(["001", "探亲假", D(6), D(9), D(1), "已批准"], off={D(6), D(7), D(9)}),
                         ["探亲假", None, "无薪", None, "日历日", "否", None]))
    s = m.summary()
    assert (s["探亲假天数"], s["探亲假扣款"], s["旷工天数"]) == (4, 800, 0)
    assert m.leave()[0]["天数"] == 4


def test_LV_25_a_synonym_from_the_sheet_and_the_typed_text_kept(month):
    from kaohe.engine.month import month_context
    from kaohe.workbook import contract as c
    from kaohe.workbook.read import tables_from_rows

    sheets = with_kinds(book(["001", "停薪假", D(2), D(2), D(1), "已批准"], off={D(2)}), UNPAID)
    m = month(sheets)
    assert m.summary()["无薪假天数"] == 1 and m.summary()["无薪假扣款"] == 200
    assert m.leave()[0]["计为"] == "无薪假"
    # the record keeps what HR typed (type_src): a check may depend on the synonym itself (a whole-day 哺乳假)
    tables, _ = tables_from_rows({**sheets, "员工名册": [ROSTER_HEADER, person()]}.get, c.ATTENDANCE_INPUTS)
    ctx, _ = month_context(tables, "2026-11")
    leave = ctx.tables["leave"].frame
    assert (leave["type"].iloc[0], leave["type_src"].iloc[0]) == ("无薪假", "停薪假")


def test_LV_25_a_bad_cell_is_an_error_naming_it_and_its_row_is_unused(month):
    # 计薪 “半薪” in row 5 (column C): the row is not used, so 半薪假 is an unknown type: 2 Nov is 旷工 (200.00).
    m = month(with_kinds(book(["001", "半薪假", D(2), D(2), D(1), "已批准"], off={D(2)}),
                         ["半薪假", None, "半薪", None, "工作日", "否", None]))
    bad = [f for f in m.findings if f.sheet == "假别"]
    assert [(f.cell, f.level, f.rule) for f in bad] == [("C5", "错误", "LV-25")] and "半薪" in bad[0].problem
    assert m.summary()["旷工天数"] == 1 and m.summary()["旷工扣款"] == 200
    assert m.leave()[0]["校验结果"] == "不通过" and "假别“半薪假”无效" in m.leave()[0]["说明"]


def test_LV_25_a_word_meaning_two_types_is_an_error(month):
    m = month(with_kinds(book(), ["特休假", "特别假", "全薪", None, "工作日", "否", None],
                         ["特殊假", "特别假", "无薪", None, "工作日", "否", None]))
    bad = [f for f in m.findings if f.sheet == "假别"]
    assert [(f.cell, f.level) for f in bad] == [("B6", "错误")] and "特别假" in bad[0].problem


def test_LV_25_without_a_personal_leave_row_the_default_one_is_used(month):
    sheets = book(["001", "事假", D(2), D(2), D(1), "已批准"], off={D(2)})
    m = month({**sheets, "假别": [KINDS_HEADER, ["婚假", None, "全薪", None, "工作日", "是", 3]]})
    assert [f.level for f in m.findings if f.sheet == "假别"] == ["错误"]
    assert m.summary()["事假扣款"] == 200


def test_LV_25_hr_synonyms_in_rules_reach_a_type_of_the_sheet(month):
    # 规则's synonym rows keep working, towards a type HR added: 停发假 → 无薪假, 1 day × 200.00 deducted.
    sheets = with_kinds(book(["001", "停发假", D(2), D(2), D(1), "已批准"], off={D(2)}), UNPAID)
    sheets["规则"] = [["参数", "值", "列", "写法", "标准值"], [None, None, "假别", "停发假", "无薪假"]]
    m = month(sheets)
    assert (m.summary()["无薪假天数"], m.summary()["无薪假扣款"], m.summary()["旷工天数"]) == (1, 200, 0)


def test_LV_27_marriage_quota_in_the_sheet_overrides_the_rules_parameter(month):
    # 婚假 Mon 2 - Fri 6 Nov, 5 days: over 规则's 婚假天数 3 it fails (5 days of 事假, 1000.00); with 额度 5 in the
    # 假别 sheet it passes, with a 提示 naming both.
    sheets = marriage(D(2), D(6), dt.date(2026, 10, 20), dt.date(2026, 10, 1))
    sheets["规则"] = [["参数", "值"], ["婚假天数", 3]]
    before = month(sheets)
    assert before.leave()[0]["校验结果"] == "不通过" and before.summary()["事假扣款"] == 1000
    rows = [r if r[0] != "婚假" else ["婚假", "婚嫁假", "全薪", None, "工作日", "是", 5] for r in COMPANY_KINDS]
    after = month({**sheets, "假别": [KINDS_HEADER, *rows]})
    assert after.leave()[0]["校验结果"] == "通过"
    assert (after.summary()["婚假天数"], after.summary()["事假扣款"]) == (5, 0)
    said = [f for f in after.findings if f.rule == "LV-27"]
    assert [f.level for f in said] == ["提示"] and "婚假天数" in said[0].problem and "5" in said[0].problem


def test_LV_25_the_sample_month_is_the_same_with_the_default_sheet_and_without(month):
    """The template's 假别 sheet (the default rows from the workbook's 规则) changes no figure of the sample."""
    from kaohe.jobs.leave_kinds import policy_of_rules, sheet_rows
    from kaohe.jobs.sample import build_sample
    from kaohe.workbook import contract as c

    sheets = build_sample("2026-10")
    plain = month(sheets, "2026-10").result
    rows = sheet_rows(policy_of_rules(sheets.get("规则")))
    kept = month({**sheets, "假别": [list(c.LEAVE_KIND_HEADERS), *rows]}, "2026-10").result
    money = [i.field for i in plain.items] + [f"days_{k}" for k in terms.LEAVE_TYPES] + ["adjustment", "social_self"]
    assert plain.items == kept.items
    pd.testing.assert_frame_equal(plain.monthly[["emp", *money]], kept.monthly[["emp", *money]])
    pd.testing.assert_frame_equal(plain.leave_check, kept.leave_check)
    assert [f.problem for f in plain.findings] == [f.problem for f in kept.findings]
    assert plain.totals() == kept.totals() and plain.totals()["deductions"] == pytest.approx(5030.36)


def test_LV_25_LEAVEDAYS_and_LEAVECHECK_read_the_workbooks_sheet():
    from doors.test_udfs import workbook_caller

    kinds = [KINDS_HEADER, *COMPANY_KINDS, ["探亲假", "回乡假", "无薪", None, "日历日", "否", None]]
    caller = workbook_caller({"规则": [["参数", "值"]], "假别": kinds}, "C:/hr/假别.xlsx")
    # Fri 6 - Mon 9 Nov 2026: 4 calendar days by the workbook's row; without the sheet the type is unknown.
    assert f.LEAVEDAYS("回乡假", D(6), D(9), caller=caller) == 4
    assert f.LEAVECHECK("探亲假", D(6), D(9), D(1), caller=caller) == "通过"
    plain = workbook_caller({"规则": [["参数", "值"]]}, "C:/hr/无假别.xlsx")
    assert str(f.LEAVEDAYS("探亲假", D(6), D(9), caller=plain)).startswith("错误")


# --- the cell functions give what compute-month gives (tests/cell_and_month.py) -------------------------

def test_LV_06_LEAVEDAYS_two_session_shift_and_calendar_leave_equal_compute_month():
    # 两头班 07:00-11:00, 16:00-20:00 every day; 事假 from 12:00 on the 2nd to the end of the 3rd:
    # the 2nd's second half and the whole 3rd = 1.5 days. 丧假 counts calendar days (LV-06): 22-24 March = 3.
    rota = [["001", M(d), "两头班"] for d in range(1, 32)]
    m = run_month(person(system=terms.COMPREHENSIVE_HOURS), rota=rota,
                  shifts=[["两头班", dt.time(7), dt.time(11), dt.time(16), dt.time(20)]],
                  leave=[["001", "事假", dt.datetime(2027, 3, 2, 12), M(3), M(1), "已批准"],
                         ["001", "丧假", M(22), M(24), M(21), "已批准", "有", M(21)]])
    engine = {r["假别"]: r["天数"] for r in m.leave()}
    shift = "07:00-11:00,16:00-20:00"
    personal = f.LEAVEDAYS("事假", dt.datetime(2027, 3, 2, 12), M(3), None, terms.COMPREHENSIVE_HOURS, shift, caller=CALLER)
    bereavement = f.LEAVEDAYS("丧假", M(22), M(24), None, terms.COMPREHENSIVE_HOURS, shift, caller=CALLER)
    assert engine == {"事假": personal, "丧假": bereavement} == {"事假": 1.5, "丧假": 3}


@pytest.mark.parametrize("record,result,note", [
    # 2 days (Tue 2, Wed 3 March), under 3: 1 day's notice, applied 1 day ahead
    (["事假", M(2), M(3), M(1), "已批准", None], "通过", None),
    # 4 days (Tue 2 .. Fri 5), 3 to 10: 3 days' notice, applied 1 day ahead
    (["事假", M(2), M(5), M(1), "已批准", None], "警告", "LV-03 第三十条: 事假4天须提前3天申请，实际提前1天"),
    # sick leave without proof counts as 事假
    (["病假", M(2), M(2), M(2), "已批准", "无"], "警告", "LV-02 第二十六条: 未提供证明材料，按事假处理"),
    # not approved: covers nothing
    (["婚假", M(2), M(4), M(1), "待审批", "有"], "不通过", "LV-01 第二十二条、第二十三条: 待审批，不抵扣缺勤，缺勤按旷工处理"),
])
def test_LV_01_LV_02_LV_03_LEAVECHECK_equals_the_leave_check_of_compute_month(record, result, note):
    kind, start, end, applied, status, proof = record
    row = run_month(person(), leave=[["001", kind, start, end, applied, status, proof]]).leave()[0]
    assert row["校验结果"] == result and (note is None or row["说明"].startswith(note))
    assert f.LEAVECHECK(kind, start, end, applied, status, proof, caller=CALLER) == (f"{result}：{note}" if note else result)


@pytest.mark.parametrize("gender,days,result,note", [
    ("女", 2.5, "通过", None),  # 8 March afternoon off: under 3 days, 1 day ahead is enough
    ("男", 3, "警告", "LV-03 第三十条: 事假3天须提前3天申请，实际提前2天"),
])
def test_LV_03_LEAVECHECK_on_8_March_equals_compute_month(gender, days, result, note):
    # 事假 Mon 8 – Wed 10 March, applied on Sat 6 March (2 days ahead); a woman's 8 March afternoon is off (ATT-08).
    leave = ["事假", M(8), M(10), M(6), "已批准", None]
    row = run_month(person(gender=gender), leave=[["001", *leave]]).leave()[0]
    assert row["天数"] == days and row["校验结果"] == result and (note is None or row["说明"].startswith(note))
    cell = f.LEAVECHECK(*leave, None, None, None, None, gender, caller=CALLER)
    assert cell == (f"{result}：{note}" if note else result)


# --- the law's floors under the company's leave rules (LV-20..LV-24) -----------------------------------------

def law_findings(found, rule):
    return [f for f in found if f.rule == rule]


@pytest.mark.parametrize("work_start, sick, days", [
    (dt.date(2021, 3, 1), 59, 5), (dt.date(2021, 3, 1), 60, 0),      # 5 years: 2 months = 60 days, boundary included
    (dt.date(2014, 3, 1), 75, 10), (dt.date(2014, 3, 1), 89.5, 10),  # 12 years: 3 months = 90 days (law), not 60
    (dt.date(2014, 3, 1), 90, 0),
    (dt.date(2001, 3, 1), 100, 15), (dt.date(2001, 3, 1), 119.5, 15),  # 25 years: 4 months = 120 days
    (dt.date(2001, 3, 1), 120, 0), (dt.date(2001, 3, 1), 125, 0),
])
def test_LV_20_sick_leave_thresholds_by_working_years_in_calendar_days(work_start, sick, days):
    assert annual_entitlement(work_start, dt.date(2020, 1, 1), 2026, sick, DEFAULT) == days


def test_LV_20_a_month_of_sick_leave_is_a_rules_parameter():
    # 病假每月天数 = 21.75: 12 years lose the leave from 3 × 21.75 = 65.25 days; 65 keep it, 65.5 do not.
    policy, _ = policy_from_rows([("B2", "病假每月天数", "21.75天")])
    assert annual_entitlement(dt.date(2014, 3, 1), dt.date(2020, 1, 1), 2026, 65, policy) == 10
    assert annual_entitlement(dt.date(2014, 3, 1), dt.date(2020, 1, 1), 2026, 65.5, policy) == 0


def test_LV_08_pro_rata_for_a_joiner_with_five_years_of_service():
    # Hired 1 Jul 2026, working since 1 Jul 2021 (5 years at 31 Dec): 1 Jul..31 Dec = 184 days;
    # 184 / 365 × 5 = 2.52 -> 2 (实施办法第五条, fraction dropped).
    assert annual_entitlement(dt.date(2021, 7, 1), dt.date(2026, 7, 1), 2026, 0, DEFAULT) == 2


SICK_75 = ["001", "病假", dt.date(2026, 1, 5), dt.date(2026, 3, 20), dt.date(2026, 1, 5), "已批准", "有"]


def test_LV_20_twelve_years_and_75_days_of_sick_leave_keep_the_annual_leave(month):
    # 参加工作 2014-03-01: 12 years at 31 Dec 2026 -> 10 days. Sick 5 Jan..20 Mar: 27 + 28 + 20 = 75 calendar days,
    # 2.5 months: the company's 2 months (60 days) would deny the leave, 条例第四条's 3 months (90) keep it.
    # 年休假 Mon 2..Wed 4 Nov = 3 days, paid; the record is 警告 naming the law and the company rule.
    roster = person(work_start=dt.date(2014, 3, 1))
    m = month(book(SICK_75, ["001", "年休假", D(2), D(4), D(1), "已批准"], off=days(2, 4), roster=roster))
    row = m.leave()[1]
    assert row["校验结果"] == "警告" and row["计为"] == "年休假"
    assert "LV-20 职工带薪年休假条例第四条" in row["说明"] and "此前病假75天已达公司规则2个月（60天）" in row["说明"]
    assert "法定门槛为90天，按法律保留年休假" in row["说明"] and "本年应休10天" in row["说明"]
    s = m.summary()
    assert (s["年休假天数"], s["事假天数"], s["事假扣款"]) == (3, 0, 0)
    rule = law_findings(m.findings, "LV-20")
    assert len(rule) == 1 and rule[0].level == "警告" and rule[0].sheet == "规则"
    assert "年休假病假月数 2 个月低于职工带薪年休假条例第四条" in rule[0].problem
    assert "累计工作满10年3个月、累计工作满20年4个月" in rule[0].problem


def test_LV_20_five_years_and_the_same_sick_leave_lose_it(month):
    # 5 years: 2 months = 60 days, reached by the 75: no annual leave, the 3 days are 事假 (3 × 200).
    roster = person(work_start=dt.date(2021, 3, 1))
    m = month(book(SICK_75, ["001", "年休假", D(2), D(4), D(1), "已批准"], off=days(2, 4), roster=roster))
    row = m.leave()[1]
    assert row["校验结果"] == "不通过" and row["计为"] == "事假" and "此前病假75天，达到60天" in row["说明"]
    assert m.summary()["事假扣款"] == 600


def test_LV_21_annual_leave_taken_then_the_threshold_reached_loses_next_years_leave(month):
    # 8 years. 2025: 年休假 Mon 3 Mar, then sick 1 Apr..30 May = 30 + 30 = 60 days (2 months, reached):
    # the March leave stands, 2026's is lost (实施办法第八条): 2 Nov is 事假 (200).
    roster = person(work_start=dt.date(2018, 1, 1))
    y25 = [["001", "年休假", dt.date(2025, 3, 3), dt.date(2025, 3, 3), dt.date(2025, 3, 1), "已批准"],
           ["001", "病假", dt.date(2025, 4, 1), dt.date(2025, 5, 30), dt.date(2025, 4, 1), "已批准", "有"]]
    m = month(book(*y25, ["001", "年休假", D(2), D(2), D(1), "已批准"], off={D(2)}, roster=roster))
    rows = m.leave()
    assert rows[0]["校验结果"] == "通过"
    assert rows[2]["校验结果"] == "不通过" and rows[2]["计为"] == "事假"
    assert "2025年已休年休假，当年病假累计60天达到60天" in rows[2]["说明"] and "实施办法第八条" in rows[2]["说明"]
    assert m.summary()["事假扣款"] == 200
    # 59 days of sick leave (1 Apr..29 May) do not reach it; without the 2025 leave nothing is lost either.
    shorter = [y25[0], y25[1][:3] + [dt.date(2025, 5, 29)] + y25[1][4:]]
    for records in (shorter, y25[1:]):
        m = month(book(*records, ["001", "年休假", D(2), D(2), D(1), "已批准"], off={D(2)}, roster=roster))
        assert m.leave()[-1]["校验结果"] == "通过" and m.summary()["事假扣款"] == 0


def test_LV_24_company_rules_below_the_law_are_warned_once_each():
    # The defaults: 社保自理 (LV-11) and unpaid 流产 (LV-07) are below the law; 产假 98 and 婚假 3 are not.
    found = law_findings(compliance_findings(DEFAULT), "LV-24")
    assert [(f.level, f.article) for f in found] == [("警告", "社会保险法"), ("警告", "女职工劳动保护特别规定第七条、第八条")]
    assert "社保全部由本人承担" in found[0].problem and "流产假公司不发工资" in found[1].problem
    assert not law_findings(compliance_findings(DEFAULT), "LV-23")


def test_LV_23_values_below_the_national_or_provincial_floor(month):
    # National: 产假天数 90 < 98; 年休假天数_10至20年 8 < 10 -> 警告, and 12 years get the law's 10 days.
    policy, found = policy_from_rows([("B2", "产假天数", 90), ("B3", "年休假天数_10至20年", 8)])
    texts = [(f.problem, f.article) for f in law_findings(found, "LV-23")]
    assert ("产假天数 90 天低于国家标准的 98 天", "女职工劳动保护特别规定（国务院令第619号，2012）第七条") in texts
    assert ("累计工作满10年的年休假按规则表为 8 天，低于职工带薪年休假条例第三条的 10 天", "职工带薪年休假条例第三条") in texts
    assert annual_entitlement(dt.date(2014, 3, 1), dt.date(2020, 1, 1), 2026, 0, policy) == 10
    # 年休假工龄门槛年 2: one year of service gets nothing by the 规则, 5 days by the law (条例第三条).
    policy, found = policy_from_rows([("B2", "年休假工龄门槛年", 2)])
    assert [f.problem for f in law_findings(found, "LV-23")] == [
        "累计工作满1年的年休假按规则表为 0 天，低于职工带薪年休假条例第三条的 5 天"]
    assert annual_entitlement(dt.date(2025, 6, 1), dt.date(2025, 6, 1), 2026, 0, policy) == 5
    # 广东: 产假天数 158 < 178.
    _, found = policy_from_rows([("B2", "工作地", "广东省"), ("B3", "产假天数", 158)])
    hit = law_findings(found, "LV-23")
    assert [f.problem for f in hit] == ["产假天数 158 天低于广东的 178 天"]
    assert hit[0].article == "广东省人口与计划生育条例（2021-12-01）第三十条" and hit[0].level == "警告"
    # 浙江 with the defaults: 产假 98 < 158; 婚假 3 < 13, a figure from news reports: 待核实 in the 警告;
    # the figures to check are 提示.
    _, found = policy_from_rows([("B2", "工作地", "浙江")])
    assert [f.problem for f in law_findings(found, "LV-23")] == [
        "产假天数 98 天低于浙江的 158 天", "婚假天数 3 天低于浙江的 13 天（待核实：来自新闻报道，请对照现行条文）"]
    # What the 假别 table checks its quotas with: 陪产假 10 days in 广东 (15) is below; nationally there is no figure.
    hit = figure_below("paternity_days", 10, floors("广东"), "假别“陪产假”的天数", "假别", "D5")
    assert [(f.cell, f.problem, f.rule) for f in hit] == [("D5", "假别“陪产假”的天数 10 天低于广东的 15 天", "LV-23")]
    assert not figure_below("paternity_days", 10, floors(""), "陪产假", "假别", "D5")
    infos = [f.problem for f in law_findings(found, "LV-22") if f.level == "提示"]
    assert infos == ["浙江的婚假：13天，待核实：来自新闻报道，请对照现行条文",
                     "浙江的独生子女父母护理假（每年）：5天，待核实：父母年满60周岁时每年5天，请对照现行条文"]


def test_LV_22_unknown_work_region_asks_hr_for_its_figures(month):
    _, found = policy_from_rows([("B2", "工作地", "四川")])
    hit = law_findings(found, "LV-22")
    assert [(f.sheet, f.level, f.code) for f in hit] == [("规则", "警告", "rules.unknown_region")]
    assert "工作地“四川”没有内置的法定天数" in hit[0].problem and "请在规则表和假别中填写" in hit[0].action
    # 员工名册 工作地 per person: 广东省 differs from the 规则's (blank): checked at its cell (产假 98 < 178, and its
    # 待核实 figure as 提示); 四川 asks for figures; 上海 twice is reported once (产假 98 < 158, 婚假 3 < 10).
    header = ROSTER_HEADER + ["工作地"]
    roster = [header, person() + ["广东省"], person("002") + ["四川"], person("003") + ["上海"], person("004") + ["上海市"],
              person("005") + [None]]
    m = month({"员工名册": roster})
    placed = [(f.cell, f.emp, f.code, f.problem) for f in m.findings if f.rule in ("LV-22", "LV-23") and f.sheet == "员工名册"]
    assert placed == [("K2", "001", "rules.below_law", "产假天数 98 天低于广东的 178 天"),
                      ("K2", "001", "rules.region_verify",
                       "广东的独生子女父母护理假（每年）：15天，待核实：住院治疗期间每年最多15天；未住院时的天数各方说法不一"),
                      ("K3", "002", "rules.unknown_region", "工作地“四川”没有内置的法定天数"),
                      ("K4", "003", "rules.below_law", "产假天数 98 天低于上海的 158 天"),
                      ("K4", "003", "rules.below_law", "婚假天数 3 天低于上海的 10 天")]


def test_LV_22_the_figures_of_each_region_for_the_statutory_rules():
    # The provinces' figures (kaohe.policy.regions): 产假 / 难产 addition / 陪产假 / 育儿假 a year and age / 婚假 / 独生子女父母护理假.
    gd, sh, zj, none = floors("广东省"), floors("上海"), floors("浙江"), floors("")
    assert (gd.maternity_days.value, gd.difficult_birth_extra.value, gd.paternity_days.value, gd.childcare_days.value,
            gd.childcare_child_age.value, gd.marriage_days.value) == (178, 30, 15, 10, 3, 3)
    assert (sh.maternity_days.value, sh.difficult_birth_extra.value, sh.paternity_days.value, sh.childcare_days.value,
            sh.marriage_days.value, sh.only_child_care_days.value) == (158, 15, 10, 5, 10, None)
    assert (zj.maternity_days.value, zj.maternity_days_later_child.value, zj.paternity_days.value) == (158, 188, 15)
    assert sorted(zj.to_verify()) == ["marriage_days", "only_child_care_days"] and list(gd.to_verify()) == ["only_child_care_days"]
    assert gd.maternity_days.source == "广东省人口与计划生育条例（2021-12-01）第三十条"
    # National: 98 days, 难产 +15, 流产 15 / 42, no national 陪产假 or 育儿假; an unknown region gets these, unknown.
    assert (none.maternity_days.value, none.miscarriage_early_days.value, none.miscarriage_late_days.value,
            none.paternity_days.value) == (98, 15, 42, None)
    assert floors("四川").known is False and floors("四川").maternity_days.value == 98
    # A person's own 工作地 first, then the 规则's.
    assert (region_of("广东省", "上海"), region_of(None, "上海市"), region_of(" ", "")) == ("广东", "上海", "")
# --- the statutory types (LV-13..LV-19): November 2026, 25 workdays (Mon-Sat), a daily wage of 200 ---------------
# 请假记录 with the facts columns: 事由日期 (H) is the child's birth date, then 胎数 (J), 孩次 (K), 怀孕月数 (L), 难产 (M).
FACTS = HEADER + ["胎数", "孩次", "怀孕月数", "难产", "销假日期"]
BIRTH = dt.date(2026, 6, 15)  # a child under 1 all November
EARLY = dt.date(2026, 10, 20)  # an application date far enough ahead for every notice rule
T = dt.datetime


def statutory_book(*leave_rows, punches=None, off=()):
    """``book`` for a woman employee, the leave rows under FACTS; ``punches`` replace the clean ones."""
    sheets = book(off=off, roster=person(gender="女"))
    if punches is not None:
        sheets["打卡记录"] = [["工号", "打卡时间"], *punches]
    sheets["请假记录"] = [FACTS] + [list(r) + [None] * (len(FACTS) - len(r)) for r in leave_rows]
    return sheets


def leaving_at(time: str, days=None) -> list:
    """Punches on time in the morning and at 13:25, out at ``time`` on ``days`` (every workday by default)."""
    return [p for d in (days or workdays(2026, 11)) for p in punches_for("001", d, "08:25", "12:01", "13:25", time)]


def rows_changed(**changes) -> LeaveTable:
    """The default 假别 table with some rows' fields changed (a province's figures typed as HR would, e.g. 广东)."""
    table = default_table(DEFAULT)
    return table.replaced(dataclasses.replace(t, **changes.get(t.name, {})) for t in table)


GUANGDONG = {"产假": {"quota": 178.0, "extra_difficult": 30.0}, "陪产假": {"quota": 15.0}, "育儿假": {"quota": 10.0}}


def validated(table: LeaveTable, *leave_rows):
    """The records of 请假记录 validated against ``table`` (one per record, sheet order) and the findings."""
    tables, _ = tables_from_rows(statutory_book(*leave_rows).get, c.ATTENDANCE_INPUTS)
    ctx, _ = month_context(tables, "2026-11")
    roster = roster_stage(ctx, {})[0]["roster"]
    counter = pay.DayCounter(ctx.tables["leave"].frame, roster, ctx.calendar, ctx.policy, ctx.first, ctx.last,
                             ctx.tables["rota"].frame, ctx.tables["shifts"].frame)
    records, _, findings = lv.validate(ctx.tables["leave"], roster, counter.count, {}, ctx.policy, counter, table)
    return records[records["part_of"].isna()].sort_values("row").to_dict("records"), findings


def test_LV_13_nursing_hour_every_working_day_for_a_month_in_a_workbook(month_file):
    # 16:30-17:30 on every workday of November (typed 哺乳假: its synonym for hours inside the day), the child born
    # 15 June: out at 16:30 is on time on all 25 workdays; nothing late, early, absent or deducted.
    record = ["001", "哺乳假", T(2026, 11, 2, 16, 30), T(2026, 11, 30, 17, 30), EARLY, "已批准", None, BIRTH]
    m = month_file(statutory_book(record, punches=leaving_at("16:30")))
    s = m.summary()
    assert (s["迟到次数"], s["早退次数"], s["缺卡次数"], s["旷工天数"]) == (0, 0, 0, 0)
    assert (s["迟到早退罚款"], s["旷工扣款"], s["事假扣款"], s["调整合计"]) == (0, 0, 0, 0)
    assert s["实出勤天数"] == 25
    assert m.day(D(3))["早退分钟"] == 0 and m.day(D(3))["下午下班"].strftime("%H:%M") == "16:30"
    row = m.leave()[0]
    assert (row["假别"], row["校验结果"], row["天数"], row["计为"]) == ("哺乳时间", "通过", 25, "哺乳时间")
    assert "LV-13" in row["依据"] and not m.problems("哺乳")


def test_LV_13_the_same_hour_without_an_approved_record_is_early_leave(month):
    # The punches of the test above with the record pending: 60 minutes early every day is half a day 旷工
    # (ATT-04: over 30 up to 120 minutes), 25 x 0.5 = 12.5 days: what the nursing hour prevents.
    record = ["001", "哺乳时间", T(2026, 11, 2, 16, 30), T(2026, 11, 30, 17, 30), EARLY, "待审批", None, BIRTH]
    assert month(statutory_book(record, punches=leaving_at("16:30"))).summary()["旷工天数"] == 12.5


def test_LV_12_LV_13_LV_14_other_leave_inside_the_nursing_month_is_no_overlap(month):
    # The month of nursing time above, a sick day on Tue 10 Nov (proof given) and a prenatal examination 08:30-10:00 on
    # Wed 4 Nov (in at 10:00): no record overlaps another (LV-12 compares the nursing hours only with other hours of
    # the day). 病假 1 day at 80 % (LV-04): 200 x 0.2 = 40 deducted; nothing late, early or absent.
    nursing = ["001", "哺乳时间", T(2026, 11, 2, 16, 30), T(2026, 11, 30, 17, 30), EARLY, "已批准", None, BIRTH]
    sick = ["001", "病假", D(10), D(10), D(10), "已批准", "有"]
    exam = ["001", "产前检查", T(2026, 11, 4, 8, 30), T(2026, 11, 4, 10, 0), EARLY, "已批准", "有"]
    others = [d for d in workdays(2026, 11) if d not in (D(4), D(10))]
    punches = leaving_at("16:30", others) + punches_for("001", D(4), "10:00", "12:01", "13:25", "16:30")
    m = month(statutory_book(nursing, sick, exam, punches=punches))
    assert [r["校验结果"] for r in m.leave()] == ["通过", "通过", "通过"]
    s = m.summary()
    assert (s["迟到次数"], s["早退次数"], s["旷工天数"], s["病假天数"], s["病假扣款"]) == (0, 0, 0, 1, 40)
    assert "哺乳时间1小时" in m.day(D(3))["说明"] and "产前检查1.5小时" in m.day(D(4))["说明"]


def test_LV_13_ATT_10_nursing_time_ends_at_its_return_date(month):
    # 销假 on Mon 16 Nov: from then on out at 16:30 is 60 minutes early, half a day 旷工 on each of the 13 workdays
    # 16..21, 23..28 and 30 Nov: 6.5 days.
    record = ["001", "哺乳时间", T(2026, 11, 2, 16, 30), T(2026, 11, 30, 17, 30), EARLY, "已批准", None, BIRTH,
              None, None, None, None, None, D(16)]
    assert month(statutory_book(record, punches=leaving_at("16:30"))).summary()["旷工天数"] == 6.5


@pytest.mark.parametrize("babies,result,error", [(2, "通过", False), (None, "警告", True)])
def test_LV_13_LV_19_twins_two_hours_a_day(month, babies, result, error):
    # Twins: 1 + 1 hours a day (第九条). 15:30-17:30 on Tue 3 Nov, out at 15:30: never early. Without 胎数 the quota
    # is 1 hour: 警告 in 请假校验 and a 错误 at J2 (LV-19); the record stands (nothing deducted).
    record = ["001", "哺乳时间", T(2026, 11, 3, 15, 30), T(2026, 11, 3, 17, 30), EARLY, "已批准", None, BIRTH, None, babies]
    punches = leaving_at("17:31", [d for d in workdays(2026, 11) if d != D(3)]) + leaving_at("15:30", [D(3)])
    m = month(statutory_book(record, punches=punches))
    assert m.leave()[0]["校验结果"] == result and m.leave()[0]["天数"] == 1
    assert m.summary()["旷工天数"] == 0 and m.day(D(3))["早退分钟"] == 0
    missing = [(f.cell, f.level, f.rule) for f in m.findings if f.code == "leave.statutory_fact"]
    assert missing == ([("J2", "错误", "LV-19")] if error else [])


def test_LV_13_whole_day_nursing_leave_is_a_warning_and_counts_as_personal_leave(month):
    # 哺乳假 for Mon 2 .. Fri 6 Nov as whole days is not the nursing hour (上海's 哺乳假 is another leave): 警告,
    # counted as 事假 until HR adds its own 假别 row: 5 days x 200 = 1000 deducted, no 旷工.
    m = month(statutory_book(["001", "哺乳假", D(2), D(6), EARLY, "已批准", None, BIRTH], off=days(2, 6)))
    row = m.leave()[0]
    assert (row["校验结果"], row["计为"]) == ("警告", "事假") and "假别表另加一行并另起名称（如“哺乳假（整天）”" in row["说明"]
    s = m.summary()
    assert (s["事假天数"], s["事假扣款"], s["旷工天数"]) == (5, 1000, 0)
    # The 问题清单 line names the type as HR typed it.
    assert [(f.cell, f.problem) for f in m.findings if f.code == "leave.counted_as_personal"] == [("B2", "哺乳假按事假计算")]


def test_LV_13_after_the_first_birthday_there_is_no_nursing_hour(month):
    # Born 1 Oct 2025: 1 year old on 1 Oct 2026. 16:30-17:30 on 3 Nov is 不通过 and excuses nothing:
    # out at 16:30 is 60 minutes early, half a day 旷工 (ATT-04).
    record = ["001", "哺乳时间", T(2026, 11, 3, 16, 30), T(2026, 11, 3, 17, 30), EARLY, "已批准", None, dt.date(2025, 10, 1)]
    punches = leaving_at("17:31", [d for d in workdays(2026, 11) if d != D(3)]) + leaving_at("16:30", [D(3)])
    m = month(statutory_book(record, punches=punches))
    assert m.leave()[0]["校验结果"] == "不通过" and m.summary()["旷工天数"] == 0.5


def test_LV_19_nursing_without_the_birth_date_is_an_error_at_its_cell(month):
    record = ["001", "哺乳时间", T(2026, 11, 3, 16, 30), T(2026, 11, 3, 17, 30), EARLY, "已批准"]
    punches = leaving_at("17:31", [d for d in workdays(2026, 11) if d != D(3)]) + leaving_at("16:30", [D(3)])
    m = month(statutory_book(record, punches=punches))
    assert [(f.cell, f.level) for f in m.findings if f.code == "leave.statutory_fact"] == [("H2", "错误")]
    assert m.leave()[0]["校验结果"] == "警告" and m.summary()["旷工天数"] == 0  # the record stands


def test_LV_14_prenatal_examination_hours_are_working_time(month):
    # 产检 08:30-10:00 on Tue 3 Nov (with proof), in at 10:00: not late, nothing deducted; the rest of the day as usual.
    record = ["001", "产检", T(2026, 11, 3, 8, 30), T(2026, 11, 3, 10, 0), EARLY, "已批准", "有"]
    punches = [p for d in workdays(2026, 11) if d != D(3) for p in full_day("001", d)]
    m = month(statutory_book(record, punches=punches + punches_for("001", D(3), "10:00", "12:01", "13:25", "17:31")))
    s = m.summary()
    assert (s["迟到次数"], s["旷工天数"], s["调整合计"]) == (0, 0, 0) and m.day(D(3))["迟到分钟"] == 0
    assert m.leave()[0]["校验结果"] == "通过" and "LV-14" in m.leave()[0]["依据"]


@pytest.mark.parametrize("last,result,label", [(16, "通过", "陪产假"), (20, "警告", "陪产假15天、事假4天")])
def test_LV_15_paternity_leave_in_guangdong_within_and_beyond_15_days(last, result, label):
    # 广东: 15 calendar days. Born 1 Nov; 2..16 Nov is 15 days. 2..20 Nov is 19: the first 15 (to 16 Nov) are
    # 陪产假, the rest (Tue 17 .. Fri 20 Nov, 4 workdays) 事假 (the LV-08 split).
    record = ["001", "陪产假", D(2), D(last), EARLY, "已批准", "有", D(1)]
    (row,), _ = validated(rows_changed(**GUANGDONG), record)
    assert (row["result"], row["label"]) == (result, label)


def test_LV_15_paternity_leave_must_start_within_the_rows_window():
    # A row with a 30-day window: born 1 Oct, starting 2 Nov (32 days after) is 不通过, all 事假.
    table = rows_changed(陪产假={"quota": 15.0, "window_days": 30})
    (row,), _ = validated(table, ["001", "陪产假", D(2), D(6), EARLY, "已批准", "有", dt.date(2026, 10, 1)])
    assert (row["result"], row["counted_as"]) == ("不通过", "事假")
    (row,), _ = validated(table, ["001", "陪产假", D(2), D(6), EARLY, "已批准", "有", dt.date(2026, 10, 3)])  # day 30
    assert (row["result"], row["counted_as"]) == ("通过", "陪产假")


def test_LV_15_paternity_leave_without_a_quota_passes_with_a_note():
    (row,), found = validated(default_table(DEFAULT), ["001", "陪产假", D(2), D(20), EARLY, "已批准", "有", D(1)])
    assert row["result"] == "通过" and row["days"] == 19
    assert [(f.level, f.rule) for f in found if f.code == "leave.statutory_fact"] == [("提示", "LV-15")]


def test_LV_15_nursing_leave_is_no_synonym_for_paternity_leave(month):
    m = month(statutory_book(["001", "护理假", D(2), D(6), EARLY, "已批准", "有", D(1)], off=days(2, 6)))
    assert m.leave()[0]["校验结果"] == "不通过" and m.summary()["旷工天数"] == 5  # HR chooses: 陪产假 or 护理假 row


def test_LV_16_childcare_leave_under_and_over_three(month):
    # 广东: 10 days a year each parent while the child is under 3. Mon 2 .. Fri 6 Nov = 5 workdays.
    young = ["001", "育儿假", D(2), D(6), EARLY, "已批准", None, dt.date(2024, 5, 10)]
    (row,), _ = validated(rows_changed(**GUANGDONG), young)
    assert (row["result"], row["label"], row["days"]) == ("通过", "育儿假", 5)
    # Born 10 May 2023: 3 on 10 May 2026: 不通过, the 5 days are 事假 (5 x 200 deducted in the month).
    old = ["001", "育儿假", D(2), D(6), EARLY, "已批准", None, dt.date(2023, 5, 10)]
    (row,), _ = validated(rows_changed(**GUANGDONG), old)
    assert (row["result"], row["counted_as"]) == ("不通过", "事假")
    s = month(statutory_book(old, off=days(2, 6))).summary()
    assert (s["事假天数"], s["事假扣款"]) == (5, 1000)


@pytest.mark.parametrize("per_child,second", [(False, ("警告", "育儿假4天、事假2天")), (True, ("通过", "育儿假"))])
def test_LV_16_two_children_share_one_yearly_quota(per_child, second):
    # Two children under 3, 6 workdays each (Mon 2 .. Sat 7, Mon 9 .. Sat 14): one quota of 10 per person: the
    # second record has 4 days left (Mon 9 .. Thu 12), Fri 13 and Sat 14 are 事假. 按子女叠加: 10 per child.
    table = rows_changed(**{**GUANGDONG, "育儿假": {"quota": 10.0, "per_child": per_child}})
    first, two = validated(table, ["001", "育儿假", D(2), D(7), EARLY, "已批准", None, dt.date(2024, 5, 10)],
                           ["001", "育儿假", D(9), D(14), EARLY, "已批准", None, dt.date(2025, 8, 1)])[0]
    assert (first["result"], first["label"]) == ("通过", "育儿假")
    assert (two["result"], two["label"]) == second


@pytest.mark.parametrize("end,difficult,result,errors", [
    (dt.date(2027, 4, 15), "是", "通过", []),     # 178 + 30 = 208 days: 20 Sep 2026 .. 15 Apr 2027
    (dt.date(2027, 4, 16), "是", "警告", ["J2"]),  # 209 days: over; 胎数 blank could explain it: 错误 at J2 (LV-19)
    (dt.date(2027, 4, 15), None, "警告", ["J2", "M2"]),  # 难产 blank too: the quota is 178, 错误 at M2
])
def test_LV_07_LV_19_maternity_with_difficult_birth_in_guangdong(end, difficult, result, errors):
    # Across month boundaries and holidays (国庆, 春节) it counts calendar days:
    # Sep 20..30 = 11, Oct 31, Nov 30, Dec 31, Jan 31, Feb 28, Mar 31, Apr 1..15 = 15: 208.
    record = ["001", "产假", dt.date(2026, 9, 20), end, dt.date(2026, 8, 20), "已批准", "有", None, None, None, None, None,
              difficult]
    (row,), found = validated(rows_changed(**GUANGDONG), record)
    assert row["result"] == result and row["days"] == (end - dt.date(2026, 9, 20)).days + 1
    assert sorted(f.cell for f in found if f.code == "leave.statutory_fact") == errors


@pytest.mark.parametrize("order,result,errors", [(2, "通过", []), (1, "警告", []), (None, "警告", ["K2"])])
def test_LV_07_LV_19_maternity_by_birth_order_as_zhejiang_gives_it(order, result, errors):
    # A row of 158 days and 30 more from the second child (浙江's 158 / 188): 2 Nov 2026 .. 8 May 2027 is 188 days
    # (Nov 29, Dec 31, Jan 31, Feb 28, Mar 31, Apr 30, May 8). First child: over 158, 警告; 孩次 blank: 错误 at K2.
    table = rows_changed(产假={"quota": 158.0, "extra_from_order": ((2, 30.0),)})
    record = ["001", "产假", D(2), dt.date(2027, 5, 8), dt.date(2026, 10, 1), "已批准", "有", None, None, 1, order, None, "否"]
    (row,), found = validated(table, record)
    assert (row["result"], row["days"]) == (result, 188)
    assert [f.cell for f in found if f.code == "leave.statutory_fact"] == errors


def test_LV_07_maternity_month_across_a_holiday_counts_calendar_days(month):
    # October 2026 inside the leave: 31 calendar days of 产假 (国庆 included), nothing absent or deducted.
    record = ["001", "产假", dt.date(2026, 9, 20), dt.date(2027, 4, 15), dt.date(2026, 8, 20), "已批准", "有", None,
              None, None, None, None, "是"]
    s = month(statutory_book(record), "2026-10").summary()
    assert (s["产假天数"], s["旷工天数"], s["实出勤天数"], s["调整合计"]) == (31, 0, 0, 0)


@pytest.mark.parametrize("months,end,days_,result", [(3, D(16), 15, "通过"), (5, dt.date(2026, 12, 13), 42, "通过"),
                                                     (3, dt.date(2026, 12, 13), 42, "警告")])
def test_LV_17_miscarriage_by_months_of_pregnancy_in_a_workbook(month_file, months, end, days_, result):
    # Under 4 full months 15 calendar days (2..16 Nov), from 4 months 42 (2 Nov .. 13 Dec); 42 days at 3 months: 警告.
    # Paid like 产假: nothing deducted, no 旷工; 实出勤天数 = 25 workdays less those on leave (13 up to 16 Nov; all 25).
    record = ["001", "流产", D(2), end, EARLY, "已批准", "有", None, None, None, None, months]
    m = month_file(statutory_book(record, off={d for d in workdays(2026, 11) if D(2) <= d <= end}))
    row = m.leave()[0]
    assert (row["假别"], row["校验结果"], row["天数"]) == ("流产假", result, days_)
    s = m.summary()
    assert (s["旷工天数"], s["事假扣款"], s["调整合计"]) == (0, 0, 0)
    assert s["实出勤天数"] == (12 if days_ == 15 else 0)


def test_LV_19_miscarriage_without_months_of_pregnancy_is_checked_at_15_days():
    (row,), found = validated(default_table(DEFAULT), ["001", "流产假", D(2), D(20), EARLY, "已批准", "有"])
    assert row["result"] == "警告"  # 19 days over the lowest tier's 15
    assert [(f.cell, f.level) for f in found if f.code == "leave.statutory_fact"] == [("L2", "错误")]


@pytest.mark.parametrize("quota,result,label", [(None, "通过", "独生子女父母护理假"), (5.0, "警告", "独生子女父母护理假5天、事假2天")])
def test_LV_18_only_child_parent_care_leave_yearly_quota(quota, result, label):
    # Mon 2 .. Mon 9 Nov: 7 workdays (Sun 8 off); with 5 a year, Sat 7 and Mon 9 are 事假.
    table = rows_changed(**{"独生子女父母护理假": {"quota": quota}})
    (row,), _ = validated(table, ["001", "独生子女父母护理假", D(2), D(9), EARLY, "已批准", "有"])
    assert (row["result"], row["label"]) == (result, label)


# --- the law's figures for the person's 工作地 (LV-22, LV-23): no quota typed, the region's days decide ---------
def regional(rules_region, *leave_rows, own_region=None):
    """The records validated with the 规则's 工作地 ``rules_region`` and the 员工名册's ``own_region`` (the table in
    force: the default rows, no quota typed): records (sheet order), the check entries by record, findings."""
    sheets = statutory_book(*leave_rows)
    sheets["规则"] = [["参数", "值"], ["工作地", rules_region]]
    sheets["员工名册"] = [ROSTER_HEADER + ["工作地"], person(gender="女", regular=dt.date(2020, 4, 1)) + [own_region]]
    tables, _ = tables_from_rows(sheets.get, c.ATTENDANCE_INPUTS)
    ctx, _ = month_context(tables, "2026-11")
    roster = roster_stage(ctx, {})[0]["roster"]
    counter = pay.DayCounter(ctx.tables["leave"].frame, roster, ctx.calendar, ctx.policy, ctx.first, ctx.last,
                             ctx.tables["rota"].frame, ctx.tables["shifts"].frame)
    records, checks, found = lv.validate(ctx.tables["leave"], roster, counter.count, {}, ctx.policy, counter,
                                         ctx.leave_table)
    notes = checks[checks["note"] != ""].groupby("record")["note"].apply(list)
    rows = records[records["part_of"].isna()].sort_values("row")
    return rows.to_dict("records"), [notes.get(i, []) for i in rows.index], found


@pytest.mark.parametrize("last,result,label", [(16, "通过", "陪产假"), (20, "警告", "陪产假15天、事假4天")])
def test_LV_22_LV_15_paternity_leave_in_guangdong_without_a_quota_typed(last, result, label):
    # 规则 工作地 广东, the 陪产假 row's quota blank: 广东's 15 calendar days decide. Born 1 Nov: 2..16 Nov is 15 days;
    # 2..20 Nov is 19: Tue 17 .. Fri 20 Nov (4 workdays) are 事假. No 提示 that the days are unchecked.
    (row,), (notes,), found = regional("广东", ["001", "陪产假", D(2), D(last), EARLY, "已批准", "有", D(1)])
    assert (row["result"], row["label"]) == (result, label)
    assert "按广东规定陪产假15天（假别表未填）" in notes
    assert not [f for f in found if f.code == "leave.statutory_fact"]


@pytest.mark.parametrize("end,result", [(dt.date(2027, 4, 15), "通过"), (dt.date(2027, 4, 16), "警告")])
def test_LV_22_LV_07_maternity_with_difficult_birth_in_guangdong_from_the_work_region(end, result):
    # 规则 产假天数 98 (default), 工作地 广东: 178 + 难产 30 = 208 calendar days, 20 Sep 2026 .. 15 Apr 2027 (see the
    # hand count above); one day more is over: 警告.
    record = ["001", "产假", dt.date(2026, 9, 20), end, dt.date(2026, 8, 20), "已批准", "有", None, None, 1, None, None,
              "是"]
    (row,), (notes,), _ = regional("广东", record)
    assert row["result"] == result
    assert "按广东规定产假178天（公司98天）、难产增加产假30天（公司15天）" in notes


@pytest.mark.parametrize("region,result,counted", [("上海", "通过", "婚假"), ("广东", "不通过", "事假")])
def test_LV_22_LV_05_ten_days_of_marriage_leave_in_shanghai_and_guangdong(region, result, counted):
    # 婚假天数 3 (default). Mon 2 .. Thu 12 Nov: 2-7 and 9-12 = 10 workdays; registered 1 Oct, applied 20 Oct.
    # 上海 grants 10: it passes, saying so; 广东 grants 3: over the days, 不通过, all 事假 (as without a 工作地).
    record = ["001", "婚假", D(2), D(12), EARLY, "已批准", "有", dt.date(2026, 10, 1)]
    (row,), (notes,), _ = regional(region, record)
    assert (row["result"], row["counted_as"], row["days"]) == (result, counted, 10)
    assert ("按上海规定婚假10天（公司3天）" in notes) == (region == "上海")
    assert any("婚假10天超过3天" in n for n in notes) == (region == "广东")


@pytest.mark.parametrize("last,result,label", [(12, "通过", "育儿假"), (13, "警告", "育儿假10天、事假1天")])
def test_LV_22_LV_16_childcare_leave_ten_days_in_guangdong(last, result, label):
    # 广东: 10 days a year while the child (born 10 May 2024) is under 3. Mon 2 .. Thu 12 Nov = 10 workdays;
    # to Fri 13 Nov = 11: Fri 13 is 事假.
    (row,), (notes,), _ = regional("广东", ["001", "育儿假", D(2), D(last), EARLY, "已批准", None, dt.date(2024, 5, 10)])
    assert (row["result"], row["label"]) == (result, label)
    assert "按广东规定育儿假（每年）10天（假别表未填）" in notes


def test_LV_22_the_rosters_work_region_overrides_the_rules():
    # 规则 says 广东, 员工名册 says 上海 for this person: 上海's figures. 陪产假 2..12 Nov is 11 calendar days, 上海
    # grants 10: Thu 12 Nov (1 workday) is 事假 (in 广东 all 11 would pass); 婚假 10 workdays pass (上海 10, 广东 3).
    paternity = ["001", "陪产假", D(2), D(12), EARLY, "已批准", "有", D(1)]
    (row,), (notes,), _ = regional("广东", paternity, own_region="上海市")
    assert (row["result"], row["label"]) == ("警告", "陪产假10天、事假1天")
    assert "按上海规定陪产假10天（假别表未填）" in notes
    (row,), _, _ = regional("广东", paternity)
    assert (row["result"], row["label"]) == ("通过", "陪产假")
    (row,), _, _ = regional("广东", ["001", "婚假", D(16), D(26), EARLY, "已批准", "有", dt.date(2026, 10, 1)],
                            own_region="上海")
    assert (row["result"], row["counted_as"], row["days"]) == ("通过", "婚假", 10)


def test_LV_22_LV_15_paternity_leave_in_guangdong_through_compute_month(month_file):
    # The workbook (openpyxl): 规则 工作地 广东, no 假别 sheet. 陪产假 Mon 2 .. Fri 20 Nov (19 calendar days), no
    # punches on the 17 workdays in it: 15 days 陪产假 (2..16 Nov, paid), Tue 17 .. Fri 20 Nov 事假: 4 x 200 = 800;
    # nothing absent. 请假校验's 天数 is the record's 19 calendar days, 计为 says both parts.
    sheets = book(["001", "陪产假", D(2), D(20), EARLY, "已批准", "有", D(1)], off=days(2, 20))
    sheets["规则"] = [["参数", "值"], ["工作地", "广东"]]
    m = month_file(sheets)
    row = m.leave()[0]
    assert (row["校验结果"], row["计为"], row["天数"]) == ("警告", "陪产假15天、事假4天", 19)
    assert "按广东规定陪产假15天" in row["说明"]
    s = m.summary()
    assert (s["事假天数"], s["事假扣款"], s["旷工天数"]) == (4, 800, 0)


def test_LV_25_LV_12_a_type_hr_adds_in_hours_behaves_as_nursing_time(month):
    # HR's own 假别 row 照护时间 counted in 小时 (paid): 16:30-17:30 on every workday of November, out at 16:30: never
    # early; a sick day on Tue 10 Nov (proof given) inside it is no overlap (LV-12 compares hours of the day only
    # with other hours of the day, by the row's 计算方式, not by its name): 病假 1 day at 80 %: 200 x 0.2 = 40.
    hours = ["001", "照护时间", T(2026, 11, 2, 16, 30), T(2026, 11, 30, 17, 30), EARLY, "已批准"]
    sick = ["001", "病假", D(10), D(10), D(10), "已批准", "有"]
    punches = leaving_at("16:30", [d for d in workdays(2026, 11) if d != D(10)])
    sheets = with_kinds(statutory_book(hours, sick, punches=punches), ["照护时间", None, "全薪", None, "小时", "否", None])
    m = month(sheets)
    assert [r["校验结果"] for r in m.leave()] == ["通过", "通过"]
    s = m.summary()
    assert (s["早退次数"], s["旷工天数"], s["病假天数"], s["病假扣款"]) == (0, 0, 1, 40)
    assert "照护时间1小时" in m.day(D(3))["说明"]


def test_LV_23_LV_15_a_quota_of_the_leave_sheet_below_the_work_regions_figure(month):
    # HR's 假别 sheet gives 陪产假 10 days (E3) under 工作地 广东 (15): one 警告 at E3 naming 广东's article; the
    # check uses 15: 2..16 Nov (15 calendar days, born 1 Nov) passes, saying the law's figure decided.
    kinds = [["假别", "计薪", "计算方式", "需证明", "额度", "规则编号"], ["事假", "无薪", "工作日", "否", 15, "LV-03"],
             ["陪产假", "全薪", "日历日", "是", 10, "LV-15"]]
    sheets = book(["001", "陪产假", D(2), D(16), EARLY, "已批准", "有", D(1)], off=days(2, 16))
    m = month({**sheets, "规则": [["参数", "值"], ["工作地", "广东"]], "假别": kinds})
    row = m.leave()[0]
    assert (row["校验结果"], row["计为"]) == ("通过", "陪产假") and "按广东规定陪产假15天（公司10天）" in row["说明"]
    hit = [(f.cell, f.level, f.problem, f.article) for f in m.findings if f.rule == "LV-23" and f.sheet == "假别"]
    assert hit == [("E3", "警告", "假别表“陪产假”的额度 10 天低于广东的 15 天", "广东省人口与计划生育条例（2021-12-01）第三十条")]


# --- the figures in force are the 假别 sheet's: law floors, splits at a day boundary -----------------------------

def kinds_sheet(**quotas):
    """The default 假别 sheet (rows 2..15: 事假 病假 婚假 丧假 产假 年休假 调休 工伤假 哺乳时间 产前检查 陪产假 育儿假 流产假
    独生子女父母护理假; 额度 in column I) with some rows' 额度 typed."""
    from kaohe.jobs.leave_kinds import sheet_rows

    rows = sheet_rows(DEFAULT)
    at = c.LEAVE_KIND_HEADERS.index("额度")
    for row in rows:
        row[at] = quotas.get(row[0], row[at])
    return [list(c.LEAVE_KIND_HEADERS), *rows]


def test_LV_23_the_leave_sheets_quotas_are_checked_at_their_cells_not_the_rules_values(month):
    # 广东 (产假 178, 陪产假 15, 育儿假 10, 婚假 3). 规则 产假天数 178 is not below; the month is computed with the 假别
    # sheet's 产假 额度 98 (I6), which is: 警告 at I6. 陪产假 10 (I12) < 15 and 育儿假 5 (I13) < 10: 警告 each.
    # 婚假 3 (I4) = 3: none. The 规则 value 178, not in force, gives none.
    sheets = book()
    sheets["规则"] = [["参数", "值"], ["工作地", "广东"], ["产假天数", 178]]
    sheets["假别"] = kinds_sheet(产假=98, 陪产假=10, 育儿假=5)
    hit = [(f.sheet, f.cell, f.problem, f.level) for f in month(sheets).findings if f.rule == "LV-23"]
    assert hit == [("假别", "I6", "假别表“产假”的额度 98 天低于广东的 178 天", "警告"),
                   ("假别", "I12", "假别表“陪产假”的额度 10 天低于广东的 15 天", "警告"),
                   ("假别", "I13", "假别表“育儿假”的额度 5 天低于广东的 10 天", "警告")]
    # The other way round: 规则 98 (< 178) is replaced by the sheet's 178 in force: no 产假 warning at all.
    sheets["规则"] = [["参数", "值"], ["工作地", "广东"], ["产假天数", 98]]
    sheets["假别"] = kinds_sheet(产假=178, 陪产假=15, 育儿假=10)
    assert [f.problem for f in month(sheets).findings if f.rule == "LV-23"] == []


def test_LV_23_a_persons_own_work_region_checks_the_leave_sheets_quotas(month):
    # 规则 工作地 blank (national), 员工名册 工作地 上海 (产假 158, 陪产假 10, 婚假 10): the sheet's 产假 178 and
    # 陪产假 10 pass; its 婚假 3 < 10 is a 警告 at the person's 工作地 cell K2, named as the 假别 figure.
    sheets = book(roster=person() + ["上海"])
    sheets["员工名册"] = [ROSTER_HEADER + ["工作地"], person() + ["上海"]]
    sheets["假别"] = kinds_sheet(产假=178, 陪产假=10)
    hit = [(f.sheet, f.cell, f.emp, f.problem) for f in month(sheets).findings if f.rule == "LV-23"]
    assert hit == [("员工名册", "K2", "001", "假别表“婚假”的额度 3 天低于上海的 10 天")]


def test_LV_15_paternity_leave_beyond_its_quota_splits_at_a_day_boundary_the_rest_in_workdays(month):
    # 广东, 陪产假 15 calendar days (假别 I12). Born 1 Nov; leave Tue 3 .. Sun 22 Nov, no punches then. 3..17 Nov is
    # the 15 days (calendar days: the Sundays 8 and 15 included); from Wed 18 Nov 00:00 it is 事假, counted as 事假 is:
    # the workdays 18, 19, 20, 21 (Sun 22 is a rest day) = 4 days × 200.00 (4350 / 21.75) = 800.00 deducted.
    sheets = book(["001", "陪产假", D(3), D(22), EARLY, "已批准", "有", D(1)], off=days(3, 22))
    sheets["规则"] = [["参数", "值"], ["工作地", "广东"]]
    sheets["假别"] = kinds_sheet(产假=178, 陪产假=15, 育儿假=10)
    m = month(sheets)
    row = m.leave()[0]
    assert (row["校验结果"], row["计为"], row["天数"]) == ("警告", "陪产假15天、事假4天", 19)  # 天数 = the two parts
    assert "11-17及以前按余额计，11-18起按事假计算" in row["说明"] and "10:15" not in row["说明"]
    s = m.summary()
    assert (s["陪产假天数"], s["事假天数"], s["事假扣款"], s["旷工天数"]) == (15, 4, 800, 0)


def test_LV_25_a_row_named_as_another_types_synonym_is_unused_and_its_records_keep_that_type(month):
    # HR adds a row 哺乳假 (工作日) at row 16 while 哺乳假 is 哺乳时间's synonym: 错误 at A16, and the action says what
    # happens: a record written 哺乳假 (16:30-17:30 on Tue 3 Nov, out at 16:30) is still 哺乳时间: no 早退, no 旷工.
    sheets = statutory_book(["001", "哺乳假", T(2026, 11, 3, 16, 30), T(2026, 11, 3, 17, 30), EARLY, "已批准", None, BIRTH],
                            punches=leaving_at("17:31", [d for d in workdays(2026, 11) if d != D(3)]) + leaving_at("16:30", [D(3)]))
    kinds = kinds_sheet()
    kinds.append(["哺乳假"] + [None] * (len(c.LEAVE_KIND_HEADERS) - 1))
    kinds[-1][c.LEAVE_KIND_HEADERS.index("计薪")], kinds[-1][c.LEAVE_KIND_HEADERS.index("计算方式")] = "全薪", "工作日"
    m = month({**sheets, "假别": kinds})
    bad = [(f.cell, f.level, f.problem, f.action) for f in m.findings if f.code == "leave_types.bad_row"]
    assert bad == [("A16", "错误", "假别“哺乳假”已是“哺乳时间”的名称或同义词",
                    "此行不使用：写“哺乳假”的请假仍按“哺乳时间”计算。要单独的一种假，请给此行另起名称（如“哺乳假（整天）”），"
                    "或先从“哺乳时间”一行删去“哺乳假”")]
    assert m.leave()[0]["计为"] == "哺乳时间" and m.summary()["旷工天数"] == 0 and m.day(D(3))["早退分钟"] == 0


def test_LV_25_hours_of_the_day_over_several_days_of_a_type_counted_in_days_is_a_warning(month):
    # 哺乳假 removed from 哺乳时间's 同义词 and added as a 工作日 row: 11-02 16:30 .. 11-06 17:30 is one leave from Mon
    # 16:30 to Fri 17:30 (every day between is leave), not 16:30-17:30 each day: 警告 at its 开始时间 (C2). A record of
    # whole days (Mon 9 .. Tue 10) and one of hours inside a single day (事假 Wed 11, 16:30-17:30) give none.
    at = c.LEAVE_KIND_HEADERS.index
    kinds = kinds_sheet()
    next(r for r in kinds if r[0] == "哺乳时间")[at("同义词")] = None
    kinds.append([None] * len(c.LEAVE_KIND_HEADERS))
    kinds[-1][at("假别")], kinds[-1][at("计薪")], kinds[-1][at("计算方式")] = "哺乳假", "全薪", "工作日"
    sheets = statutory_book(["001", "哺乳假", T(2026, 11, 2, 16, 30), T(2026, 11, 6, 17, 30), EARLY, "已批准"],
                            ["001", "哺乳假", D(9), D(10), EARLY, "已批准"],
                            ["001", "事假", T(2026, 11, 11, 16, 30), T(2026, 11, 11, 17, 30), EARLY, "已批准"])
    m = month({**sheets, "假别": kinds})
    hit = [(f.cell, f.level, f.rule, f.problem) for f in m.findings if "连续请假" in f.problem]
    assert hit == [("C2", "警告", "LV-25", "哺乳假是按工作日计的假别，11-02 16:30至11-06 17:30按连续请假计"
                                         "（其间每天都算请假，不是每天16:30–17:30）")]
    assert [r["校验结果"] for r in m.leave()] == ["警告", "通过", "通过"]
