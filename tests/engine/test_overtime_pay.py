"""OT-01..OT-05 and PAY-01..PAY-04.

Employee 001, base 4350: daily wage 4350 / 21.75 = 200.00, hourly 200 / 8 = 25.00.
"""
import datetime as dt

import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays

T = dt.time
OT_HEADER = ["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "总经理审批", "类型", "补偿方式", "说明"]


def book(ot_rows, extra_punches=(), year=2026, month_=11, roster=None, skip=()):
    rows = [["工号", "打卡时间"]]
    for day in workdays(year, month_, skip):
        rows += full_day("001", day)
    rows += list(extra_punches)
    sheets = {"打卡记录": rows, "加班申请": [OT_HEADER] + [r + [None] * (len(OT_HEADER) - len(r)) for r in ot_rows]}
    if roster:
        sheets["员工名册"] = [ROSTER_HEADER, roster]
    return sheets


MON = dt.date(2026, 11, 2)
SUN = dt.date(2026, 11, 8)
MON30 = dt.date(2026, 11, 30)
EVENING = punches_for("001", MON, "19:40")


def test_ot_01_needs_head_and_vp(month):
    m = month(book([["001", MON, T(18), T(20), "是", None, None, "加班", "加班费"]], EVENING))
    s = m.summary()
    assert s["加班小时"] == 0 and s["加班费"] == 0
    assert m.problems("加班未经部门领导和分管副总审批")


def test_ot_01_emergency_general_manager_with_explanation(month):
    # The GM signs with his name, a 姓名 of 员工名册 (docs/工作簿约定.md): that is an approval.
    sheets = book([["001", MON, T(18), T(20), None, None, "王总", "加班", "加班费", "设备抢修"]], EVENING)
    sheets["员工名册"] = [ROSTER_HEADER, person(), person("900", "王总", dept="总经办")]
    m = month(sheets)
    assert m.summary()["加班小时"] == 1.5


def test_ot_02_hours_are_approved_window_cut_by_presence_rounded_down(month):
    # Approved 18:00-20:00, last punch 19:40: 1 h 40 min present -> 1.5 h.
    m = month(book([["001", MON, T(18), T(20), "是", "是", None, "加班", "加班费"]], EVENING))
    assert m.summary()["加班小时"] == 1.5
    assert m.day(MON)["加班小时"] == 1.5


def test_ot_03_workday_rate(month):
    # 1.5 h × 25 × 1.5 = 56.25
    m = month(book([["001", MON, T(18), T(20), "是", "是", None, "加班", "加班费"]], EVENING))
    s = m.summary()
    assert s["加班费"] == 56.25 and s["调整合计"] == 56.25
    assert "1.5倍" in m.day(MON)["说明"]


def test_ot_03_rest_day_rate(month):
    # Sunday 8 Nov, approved 09:00-17:00, present 08:55-17:05: 8 h × 25 × 2 = 400
    m = month(book([["001", SUN, T(9), T(17), "是", "是", None, "加班", "加班费"]],
                   punches_for("001", SUN, "08:55", "17:05")))
    assert m.summary()["加班费"] == 400


def test_ot_03_statutory_holiday_rate_and_swapped_day_is_rest_day(month):
    # 1 Oct 2026 is statutory (3.0); 5 Oct is a day off of the notice (2.0).
    oct1, oct5 = dt.date(2026, 10, 1), dt.date(2026, 10, 5)
    m = month(book([["001", oct1, T(9), T(17), "是", "是", None, "加班", "加班费"],
                    ["001", oct5, T(9), T(17), "是", "是", None, "加班", "加班费"]],
                   punches_for("001", oct1, "08:50", "17:10") + punches_for("001", oct5, "08:50", "17:10"),
                   month_=10, skip=(oct1, oct5)), "2026-10")
    assert m.summary()["加班费"] == 600 + 400
    assert m.summary()["加班小时"] == 16


def test_ot_03_time_off_counts_hours_but_no_pay(month):
    m = month(book([["001", SUN, T(9), T(17), "是", "是", None, "加班", "调休"]],
                   punches_for("001", SUN, "08:55", "17:05")))
    s = m.summary()
    assert s["加班小时"] == 8 and s["加班费"] == 0


def test_ot_03_blank_compensation_means_time_off_first(month):
    m = month(book([["001", SUN, T(9), T(17), "是", "是"]], punches_for("001", SUN, "08:55", "17:05")))
    assert m.summary()["加班费"] == 0 and m.summary()["加班小时"] == 8


def test_ot_04_training_is_not_overtime(month):
    m = month(book([["001", SUN, T(9), T(12), "是", "是", None, "培训", "加班费"]],
                   punches_for("001", SUN, "08:55", "12:05")))
    assert m.summary()["加班小时"] == 0
    assert m.problems("培训不属于加班")


def test_ot_05_non_production_staff_warning_not_refusal(month):
    m = month(book([["001", MON, T(18), T(20), "是", "是", None, "加班", "加班费"]], EVENING,
                   roster=person(production="否")))
    assert m.summary()["加班小时"] == 1.5
    assert any(f.rule == "OT-05" and f.level == "警告" for f in m.findings)


def test_overtime_over_36_hours_a_month_is_a_compliance_warning(month):
    sundays = [dt.date(2026, 11, d) for d in (1, 8, 15, 22, 29)]
    rows = [["001", d, T(8), T(16), "是", "是", None, "加班", "调休"] for d in sundays]
    extra = [p for d in sundays for p in punches_for("001", d, "07:55", "16:05")]
    m = month(book(rows, extra))
    assert m.summary()["加班小时"] == 40
    assert any("超过劳动法每月36小时" in f.problem for f in m.findings)


def test_rest_day_work_without_approval_is_reported(month):
    m = month(book([], punches_for("001", SUN, "09:00", "12:00")))
    assert m.summary()["加班小时"] == 0
    assert any(f.rule == "OT-01" and "没有批准的加班申请" in f.problem for f in m.findings)


def test_pay_01_daily_wage(month):
    # 5000 / 21.75 = 229.8850...; one day absent -> 229.89
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        if day != MON:
            rows += full_day("001", day)
    m = month({"员工名册": [ROSTER_HEADER, person(base=5000)], "打卡记录": rows})
    assert m.summary()["旷工扣款"] == 229.89


def test_pay_02_absence_multiplier_from_rules(month):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        if day != MON:
            rows += full_day("001", day)
    m = month({"打卡记录": rows, "规则": [["参数", "值"], ["旷工扣款倍数", 2]]})
    assert m.summary()["旷工扣款"] == 400


def test_pay_03_personal_leave_deduction(month):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        if day not in (MON, dt.date(2026, 11, 3)):
            rows += full_day("001", day)
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
             ["001", "事假", MON, dt.date(2026, 11, 3), dt.date(2026, 11, 1), "已批准"]]
    assert month({"打卡记录": rows, "请假记录": leave}).summary()["事假扣款"] == 400


def test_pay_04_summary_adds_up_with_rule_ids(month):
    # One late arrival (20), one missing punch (20), proxy (20), half a day absent (100), 1.5 h paid OT (56.25).
    rows = [["工号", "打卡时间"]]
    tue, wed, thu = (dt.date(2026, 11, d) for d in (3, 4, 5))
    for day in workdays(2026, 11):
        if day == MON:
            rows += punches_for("001", day, "08:40", "12:00", "13:30", "17:30", "19:40")
        elif day == tue:
            rows += punches_for("001", day, "08:20", "12:00", "13:30")
        elif day == wed:
            rows += punches_for("001", day, "13:25", "17:35")
        else:
            rows += full_day("001", day)
    m = month({"打卡记录": rows, "代打卡记录": [["工号", "日期"], ["001", thu]],
               "加班申请": [OT_HEADER, ["001", MON, T(18), T(20), "是", "是", None, "加班", "加班费", None]]})
    s = m.summary()
    assert (s["迟到早退罚款"], s["缺卡罚款"], s["代打卡罚款"], s["旷工扣款"], s["加班费"]) == (20, 20, 20, 100, 56.25)
    assert s["调整合计"] == pytest.approx(56.25 - 160)
    for rule in ("ATT-04", "ATT-05", "ATT-07", "ATT-06", "OT-03"):
        assert rule in s["依据"]


def test_ot_02_holiday_presence_is_the_punch_pairs_not_the_lunch_gap(month):
    # HR report item 8: 1 Oct 2026 (statutory), approved 09:00-17:00, punches 08:50, 12:00, 13:30, 17:05.
    # Presence 08:50-12:00 and 13:30-17:05; ∩ 09:00-17:00 = 3 h + 3.5 h = 6.5 h.
    # Pay 6.5 × 25 × 3 = 487.50 (not 8 h = 600).
    oct1 = dt.date(2026, 10, 1)
    m = month(book([["001", oct1, T(9), T(17), "是", "是", None, "加班", "加班费"]],
                   punches_for("001", oct1, "08:50", "12:00", "13:30", "17:05"), month_=10, skip=(oct1,)), "2026-10")
    assert m.summary()["加班小时"] == 6.5 and m.summary()["加班费"] == 487.5
    assert "08:50–12:00、13:30–17:05" in m.day(oct1)["说明"]


def test_ot_02_in_and_out_only_counts_first_to_last(month):
    # Sunday 8 Nov, approved 09:00-17:00, punches 08:55 and 17:05 only: no punch shows a break,
    # so presence is 08:55-17:05: 8 h × 25 × 2 = 400. One more punch at 12:00 shows no way back
    # in for the afternoon half (a half needs an in and an out), so it changes nothing.
    for extra in ((), ("12:00",)):
        m = month(book([["001", SUN, T(9), T(17), "是", "是", None, "加班", "加班费"]],
                       punches_for("001", SUN, "08:55", *extra, "17:05")))
        assert m.summary()["加班费"] == 400


def test_OT_01_rows_for_someone_not_on_the_roster_or_without_times_count_nothing(month):
    m = month(book([["999", MON, T(18), T(20), "是", "是", None, "加班", "加班费", None],
                    ["001", MON, None, T(20), "是", "是", None, "加班", "加班费", None]]))
    found = [(f.sheet, f.cell, f.rule) for f in m.findings if f.sheet == "加班申请"]
    assert found == [("加班申请", "A2", "OT-01"), ("加班申请", "B3", "OT-01")]
    assert "999" in next(f.problem for f in m.findings if f.sheet == "加班申请" and f.cell == "A2")
    assert m.summary()["加班小时"] == 0 and m.summary()["加班费"] == 0


def test_OT_02_a_window_past_midnight_on_a_date_without_punch_data_counts_as_approved(month):
    # Punches stop on Sat 28 November; 30 November 20:00 -> 02:00 (the next day) is 6 h by the approval;
    # a workday: 6 × 25 × 1.5 = 225.00.
    m = month(book([["001", MON30, T(20), T(2), "是", "是", None, "加班", "加班费", None]], skip=(MON30,)))
    assert m.summary()["加班小时"] == 6 and m.summary()["加班费"] == 225
    note = m.day(MON30)["说明"]
    assert "审批 20:00–02:00" in note and "按审批时段" in note
