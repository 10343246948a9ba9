"""ATT-01..ATT-11: the attendance rules, on months computed from rows.

Unless a test says otherwise: November 2026, one standard-hours employee 001 hired long
ago, base wage 4350 (daily wage 4350 / 21.75 = 200.00), sessions 08:30-12:00 and
13:30-17:30, Sundays off, no holidays in November. Every other workday of the month has
four clean punches, so only the day under test carries an event.

Also here: bad rows of the attendance sheets (员工名册, 打卡记录, 排班, 班次, 节假日, 打卡异常, 代打卡记录),
reported with their cell and never turned into money; and the cell functions of the attendance rules
(LATEFINE, ABSENTDAYS, LEAVEDAYS on a shift or on 8 March, DAYTYPE) giving what compute-month gives
(tests/cell_and_month.py: March 2027, 迟到早退罚款 50, 旷工半天起点分钟 20).
"""
import datetime as dt

import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays
from cell_and_month import CALLER, RULES, M, late_on_2_march, run_month
from doors.test_udfs import workbook_caller

from kaohe.doors import addin_vba, udfs as f
from kaohe import terms

T = dt.time
D = lambda day: dt.date(2026, 11, day)  # noqa: E731
MON = dt.date(2026, 11, 2)
TUE = dt.date(2026, 11, 3)
WED = dt.date(2026, 11, 4)
SUN = dt.date(2026, 11, 8)


def punches(*special: tuple[dt.date, list], emp="001", skip=()):
    """A month of clean punches for ``emp``, with the days in ``special`` replaced."""
    rows = [["工号", "打卡时间"]]
    special = dict(special)
    for day in workdays(2026, 11):
        if day in skip:
            continue
        rows += special.get(day, full_day(emp, day))
    return rows


def test_att_01_six_day_week_sunday_rest(month):
    m = month({"打卡记录": punches()})
    s = m.summary()
    assert s["应出勤天数"] == 25  # 30 days minus 5 Sundays
    assert s["实出勤天数"] == 25
    assert m.day(dt.date(2026, 11, 7))["日类型"] == "工作日"  # Saturday works
    assert m.day(dt.date(2026, 11, 8))["日类型"] == "休息日"  # Sunday


def test_att_01_rest_weekday_from_policy(month):
    m = month({"打卡记录": punches(), "规则": [["参数", "值"], ["标准工时休息日", "周六"]]})
    assert m.day(dt.date(2026, 11, 7))["日类型"] == "休息日"
    assert m.day(dt.date(2026, 11, 8))["日类型"] == "工作日"
    # The clean punches cover Mon-Sat; Sundays were not punched: 5 Sundays absent.
    assert m.summary()["旷工天数"] == 5


def shift_book(rota, punch_rows):
    roster = [ROSTER_HEADER, person(system="综合工时")]
    return {"员工名册": roster, "打卡记录": [["工号", "打卡时间"]] + punch_rows,
            "班次": [["班次", "时段1开始", "时段1结束"], ["夜班", dt.time(22), dt.time(6)],
                   ["早班", dt.time(6), dt.time(14)]],
            "排班": [["工号", "日期", "班次"]] + rota}


def test_att_02_night_shift_punches_after_midnight_belong_to_the_shift(month):
    rota = [["001", MON, "夜班"], ["001", WED, "早班"]]
    rows = (punches_for("001", MON, "21:55") + punches_for("001", TUE, "06:03")
            + punches_for("001", WED, "06:10", "14:02"))
    m = month(shift_book(rota, rows))
    night, early = m.day(MON), m.day(WED)
    assert m.day(TUE)["日类型"] == "休息日" and m.day(TUE)["旷工天数"] == 0
    assert night["旷工天数"] == 0 and night["缺卡次数"] == 0 and night["迟到分钟"] == 0
    assert night["上午下班"] == dt.datetime(2026, 11, 3, 6, 3)
    # The early shift starts 06:00: the 06:10 punch is 10 minutes late, fined.
    assert early["迟到分钟"] == 10 and early["罚款"] == 20
    s = m.summary()
    assert s["应出勤天数"] == 2  # two one-session shifts, a day each; no shift = rest day
    assert s["旷工天数"] == 0


def test_att_02_day_without_shift_is_rest(month):
    m = month(shift_book([["001", MON, "早班"]], punches_for("001", MON, "05:50", "14:05")))
    assert m.day(WED)["日类型"] == "休息日"
    assert m.summary()["旷工天数"] == 0


def test_att_03_four_punches_is_a_normal_day(month):
    m = month({"打卡记录": punches()})
    d = m.day(MON)
    assert (d["迟到分钟"], d["早退分钟"], d["缺卡次数"], d["旷工天数"], d["罚款"]) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("arrive,minutes,fine,absent,late_count", [
    ("08:30:59", 0, 0, 0, 0),      # seconds dropped: 0 minutes
    ("08:41", 11, 20, 0, 1),       # 1-30: fined
    ("09:00", 30, 20, 0, 1),       # 30 is still the fine tier
    ("09:01", 31, 0, 0.5, 0),      # over 30: half a day of absenteeism instead
    ("10:30", 120, 0, 0.5, 0),     # 120 inclusive: still half a day
    ("10:31", 121, 0, 1, 0),       # over 120: a full day
])
def test_att_04_late_tiers(month, arrive, minutes, fine, absent, late_count):
    m = month({"打卡记录": punches((MON, punches_for("001", MON, arrive, "12:00", "13:30", "17:30")))})
    d = m.day(MON)
    assert d["迟到分钟"] == minutes
    assert d["罚款"] == fine and d["旷工天数"] == absent
    s = m.summary()
    assert s["迟到次数"] == late_count and s["迟到早退罚款"] == fine
    assert s["旷工扣款"] == absent * 200
    if fine:
        assert f"ATT-04 第十九条: 上午上班 {arrive[:5]}, 迟到{minutes}分钟, 罚款20元" in d["说明"]


def test_att_04_early_leave_drops_seconds(month):
    # 17:29:30 -> 17:29 -> one minute early.
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "08:20", "12:00", "13:30", "17:29:30")))})
    assert m.day(MON)["早退分钟"] == 1
    assert m.summary()["早退次数"] == 1 and m.summary()["迟到早退罚款"] == 20


def test_att_04_excel_binary_time_fraction_rounds_to_the_second(month):
    # 08:45 typed as a date and an Excel time fraction (0.36458333333333331): 15 minutes late.
    rows = [["工号", "日期", "时间"]]
    for day in workdays(2026, 11):
        times = ["08:20", "12:01", "13:25", "17:31"]
        for t in times:
            h, mi = map(int, t.split(":"))
            rows.append(["001", day, h / 24 + mi / 1440])
    rows = [r for r in rows if not (r[1] == MON and abs(r[2] - 8 / 24 - 20 / 1440) < 1e-9)]
    rows.append(["001", MON, 0.36458333333333331])
    m = month({"打卡记录": rows})
    assert m.day(MON)["迟到分钟"] == 15


def test_att_04_absence_capped_at_one_day_per_date(month):
    # 150 minutes late in the morning and 150 minutes early in the afternoon: 2 days by tiers, capped at 1.
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "11:00", "12:00", "13:30", "15:00")))})
    assert m.day(MON)["旷工天数"] == 1


def test_att_05_missing_punch_fined(month):
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "08:20", "12:00", "13:30")))})
    d = m.day(MON)
    assert d["缺卡次数"] == 1 and d["罚款"] == 20 and d["旷工天数"] == 0
    assert "ATT-05 第十七条: 下午下班缺卡, 罚款20元" in d["说明"]
    assert m.summary()["缺卡罚款"] == 20


def test_att_05_approved_exception_counts_as_on_time(month):
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "08:20", "12:00", "13:30"))),
               "打卡异常": [["工号", "日期", "时段", "审批状态"], ["001", MON, "下午下班", "已批准"]]})
    d = m.day(MON)
    assert d["缺卡次数"] == 0 and d["罚款"] == 0


def test_att_05_pending_exception_does_not_excuse(month):
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "08:20", "12:00", "13:30"))),
               "打卡异常": [["工号", "日期", "时段", "审批状态"], ["001", MON, "下午下班", "待审批"]]})
    assert m.day(MON)["缺卡次数"] == 1
    assert m.problems("打卡异常未批准")


def test_att_06_session_without_punch_is_half_day_absent_not_missing(month):
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "13:30", "17:30")))})
    d = m.day(MON)
    assert d["旷工天数"] == 0.5 and d["缺卡次数"] == 0 and d["罚款"] == 0
    s = m.summary()
    assert s["实出勤天数"] == 24.5 and s["旷工扣款"] == 100


def test_att_06_day_without_punch_is_full_day_absent(month):
    m = month({"打卡记录": punches(skip={MON})})
    assert m.day(MON)["旷工天数"] == 1
    s = m.summary()
    assert s["旷工天数"] == 1 and s["旷工扣款"] == 200 and s["调整合计"] == -200


def test_att_07_proxy_punching_fined(month):
    m = month({"打卡记录": punches(), "代打卡记录": [["工号", "日期"], ["001", TUE], ["001", WED]]})
    assert m.summary()["代打卡罚款"] == 40
    assert m.day(TUE)["罚款"] == 20


def test_att_07_paper_attendance_first_seven_days(month):
    # Hired Tue 10 Nov: 10..16 Nov is paper attendance (no punches, not absent); 17 Nov has no punch: absent.
    hired = dt.date(2026, 11, 10)
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        if day >= dt.date(2026, 11, 18):
            rows += full_day("001", day)
    m = month({"员工名册": [ROSTER_HEADER, person(hired=hired)], "打卡记录": rows})
    s = m.summary()
    # Due: 10..30 Nov minus Sundays 15, 22, 29 = 18 days; absent only the 17th.
    assert s["应出勤天数"] == 18 and s["旷工天数"] == 1 and s["缺卡次数"] == 0
    assert s["实出勤天数"] == 17
    assert "纸质考勤" in m.day(dt.date(2026, 11, 16))["说明"]


def test_att_08_holidays_and_makeup_days(month):
    # October 2026: 1-3 statutory, 4-7 days off of the notice, Sat 10 Oct a make-up workday.
    rows = [["工号", "打卡时间"]]
    oct_work = [d for d in workdays(2026, 10) if d >= dt.date(2026, 10, 8)]
    for day in oct_work:
        rows += full_day("001", day)
    m = month({"打卡记录": rows}, "2026-10")
    assert m.day(dt.date(2026, 10, 1))["日类型"] == "法定节假日"
    assert m.day(dt.date(2026, 10, 3))["日类型"] == "法定节假日"  # a Saturday this company would work
    assert m.day(dt.date(2026, 10, 5))["日类型"] == "调休休息日"
    assert m.day(dt.date(2026, 10, 10))["日类型"] == "调休上班"
    s = m.summary()
    assert s["应出勤天数"] == 21 and s["旷工天数"] == 0


def test_att_08_womens_day_afternoon_off(month):
    # 8 March 2023 was a Wednesday. Women are due in the morning only.
    day = dt.date(2023, 3, 8)
    rows = [["工号", "打卡时间"]] + punches_for("002", day, "08:20", "12:01") + punches_for("001", day, "08:20", "12:01")
    roster = [ROSTER_HEADER, person(), person("002", "李芳", gender="女")]
    m = month({"员工名册": roster, "打卡记录": rows}, "2023-03")
    assert m.day(day, "002")["旷工天数"] == 0
    assert m.day(day, "001")["旷工天数"] == 0.5  # a man's afternoon without punches


def test_att_08_holiday_sheet_overrides(month):
    m = month({"打卡记录": punches(),
               "节假日": [["日期", "类型", "名称"], [dt.date(2026, 11, 7), "公司休息日", "年会"],
                       [dt.date(2026, 11, 8), "调休上班", "补班"]]})
    assert m.day(dt.date(2026, 11, 7))["日类型"] == "休息日"
    assert m.day(dt.date(2026, 11, 8))["日类型"] == "调休上班"
    assert m.summary()["旷工天数"] == 1  # Sunday 8th is now a workday without punches


def test_att_09_hire_and_leaving_dates_bound_attendance(month):
    roster = [ROSTER_HEADER + ["离职日期"], person() + [dt.date(2026, 11, 14)]]
    m = month({"员工名册": roster, "打卡记录": punches()})
    s = m.summary()
    assert s["应出勤天数"] == 12  # 1..14 Nov: 14 days minus Sundays 1 and 8
    assert s["旷工天数"] == 0
    after = m.day(dt.date(2026, 11, 20))
    assert after["旷工天数"] == 0 and after["说明"].startswith("ATT-09 第十五条: 不在职")


def leave_sheet(*rows):
    return [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料", "销假日期"]] + list(rows)


def test_att_10_punches_during_leave_without_return_record_stay_leave(month):
    m = month({"打卡记录": punches(),
               "请假记录": leave_sheet(["001", "事假", MON, TUE, dt.date(2026, 10, 20), "已批准", None, None])})
    s = m.summary()
    assert s["事假天数"] == 2 and s["事假扣款"] == 400
    assert m.problems("没有销假记录")


def test_att_10_return_record_ends_the_leave(month):
    m = month({"打卡记录": punches(),
               "请假记录": leave_sheet(["001", "事假", MON, WED, dt.date(2026, 10, 20), "已批准", None, TUE])})
    s = m.summary()
    assert s["事假天数"] == 1 and s["事假扣款"] == 200
    assert not m.problems("没有销假记录")


@pytest.mark.parametrize("times,missing,absent,late", [
    (("08:25", "12:40", "12:50", "17:35"), 0, 0, 0),   # split at 12:45: 12:50 is the afternoon "in"
    (("12:10",), 1, 0.5, 0),                           # lone punch nearer 12:00 is the out; in missing; pm absent
    (("08:25:00", "08:25:40", "13:25", "17:35"), 1, 0, 0),  # duplicates within a minute count once
])
def test_att_11_punch_assignment(month, times, missing, absent, late):
    m = month({"打卡记录": punches((MON, punches_for("001", MON, *times)))})
    d = m.day(MON)
    assert d["缺卡次数"] == missing and d["旷工天数"] == absent and d["迟到分钟"] == late


def test_att_11_lone_punch_goes_to_nearer_edge(month):
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "11:55", "13:30", "17:30")))})
    d = m.day(MON)
    assert d["上午上班"] is None or d["上午上班"] != d["上午上班"]  # NaT: the punch is the "out"
    assert d["上午下班"].time() == dt.time(11, 55)
    assert d["缺卡次数"] == 1 and d["早退分钟"] == 5 and d["罚款"] == 40


# --- bad rows of the attendance sheets: reported at their cell, never money -------------------------------

SHIFT_HEADER = ["班次", "时段1开始", "时段1结束", "时段2开始", "时段2结束"]


def test_ATT_02_two_session_shift_and_an_unknown_shift(month):
    # 两头班 07:00-11:00 and 16:00-20:00 on Mon 2 Nov: the first half punched, the second not -> 旷工 0.5 day.
    # Tue 3 Nov is rostered 夜宵班, which 班次 does not define: reported, the day is a day off.
    m = month({
        "员工名册": [ROSTER_HEADER, person(system=terms.COMPREHENSIVE_HOURS)],
        "打卡记录": [["工号", "打卡时间"]] + punches_for("001", D(2), "06:55", "11:02"),
        "排班": [["工号", "日期", "班次"], ["001", D(2), "两头班"], ["001", D(3), "夜宵班"]],
        "班次": [SHIFT_HEADER, ["两头班", dt.time(7), dt.time(11), dt.time(16), dt.time(20)]],
    })
    s = m.summary()
    assert s["应出勤天数"] == 1 and s["旷工天数"] == 0.5 and s["实出勤天数"] == 0.5
    assert m.day(D(2))["旷工天数"] == 0.5
    unknown = [f for f in m.findings if "夜宵班" in f.problem]
    assert len(unknown) == 1 and unknown[0].sheet == "排班" and unknown[0].cell == "C3" and unknown[0].rule == "ATT-02"
    assert m.day(D(3))["日类型"] == terms.DAY_REST and m.day(D(3))["旷工天数"] == 0


def test_ATT_02_a_shift_without_its_start_is_not_defined_and_its_day_is_off(month):
    m = month({"员工名册": [ROSTER_HEADER, person(system="综合工时")],
               "班次": [["班次", "时段1开始", "时段1结束"], ["早班", T(6), T(14)], ["夜班", None, T(6)]],
               "排班": [["工号", "日期", "班次"], ["001", MON, "夜班"], ["001", MON + dt.timedelta(days=1), "早班"]],
               "打卡记录": [["工号", "打卡时间"], *punches_for("001", MON + dt.timedelta(days=1), "05:58", "14:02")]})
    found = [(f.sheet, f.cell, f.rule) for f in m.findings if f.rule == "ATT-02"]
    assert found == [("排班", "C2", "ATT-02")]
    assert m.day(MON)["日类型"] == "休息日"
    # Only the early shift of 3 November is due: one session, a whole day, worked on time.
    assert m.summary()["应出勤天数"] == 1 and m.summary()["旷工天数"] == 0


def test_ATT_03_a_punch_time_without_its_date_is_reported_at_the_date_cell(month):
    m = month({"打卡记录": [["工号", "日期", "时间"], ["001", None, T(8, 25)], ["001", MON, T(8, 25)]]})
    found = [(f.cell, f.rule) for f in m.findings if f.sheet == "打卡记录" and f.cell]
    assert found == [("B2", "ATT-03")]
    assert m.day(MON)["上午上班"] == dt.datetime(2026, 11, 2, 8, 25)


def test_ATT_08_a_holiday_row_without_its_date_is_reported_and_unused(month):
    # Row 2 has no 日期 (reported here), row 3 an unreadable one (reported once, by the reader); row 4 is a
    # note, not a holiday.
    m = month({"节假日": [["日期", "类型", "名称"], [None, "法定节假日", "元旦"], ["x", "法定节假日", "y"], [None, None, "备注"]]})
    found = sorted((f.cell, f.problem, f.action) for f in m.findings if f.sheet == "节假日")
    assert [(cell, action) for cell, _, action in found] == [("A2", "忽略此行"), ("A3", "按空值处理")]
    assert found[0][1] == "法定节假日没有日期"


def test_ATT_11_punches_in_a_month_without_any_session_are_shown_not_judged(month):
    # A comprehensive-hours worker with no 排班 row is off every day: no session anywhere, so the punches of
    # Sunday 8 November are only shown (morning half: 09:00 in; afternoon half: 18:00 in) and cost nothing.
    m = month({"员工名册": [ROSTER_HEADER, person(system="综合工时")],
               "打卡记录": [["工号", "打卡时间"], *punches_for("001", SUN, "09:00", "18:00")]})
    day = m.day(SUN)
    assert (day["上午上班"], day["下午上班"]) == (dt.datetime(2026, 11, 8, 9), dt.datetime(2026, 11, 8, 18))
    assert day["上午下班"] is None or day["上午下班"] != day["上午下班"]  # blank (None or NaT)
    s = m.summary()
    assert s["应出勤天数"] == 0 and s["旷工天数"] == 0 and s["迟到早退罚款"] == 0


def test_ATT_09_PAY_01_ATT_01_roster_problems_are_reported_with_their_cells(month):
    # Row 3 has no 工号, row 4 repeats 001; 002 has no 入职日期 (ATT-09: the whole month), no 岗位基本工资
    # (PAY-01: money at 0) and the 工时制 "弹性" (ATT-01: standard hours).
    m = month({"员工名册": [ROSTER_HEADER, person(), [None, "无号", "客服部", D(1), 4350],
                            person(name="重号"), ["002", "李四", "客服部", None, None, "男", None, None, "弹性"]]})
    cells = {f.cell: f for f in m.findings if f.sheet == "员工名册"}
    assert cells["A3"].problem == "工号为空" and cells["A4"].action == "只用第一行"
    assert cells["D5"].rule == "ATT-09" and cells["E5"].rule == "PAY-01" and cells["I5"].rule == "ATT-01"
    assert m.summary("002")["应出勤天数"] == 25  # whole month employed on the standard week: 25 workdays in Nov 2026


def test_ATT_05_ATT_07_ATT_08_problems_in_the_holidays_exceptions_and_proxy_sheets(month):
    m = month({
        "打卡记录": [["工号", "打卡时间"]] + punches_for("001", D(2), "08:25", "17:31"),
        "节假日": [["日期", "类型"], [D(20), "放假"]],
        "打卡异常": [["工号", "日期", "时段", "审批状态"], ["001", D(2), "中午", "已批准"], ["001", D(2), "上午下班", "待审批"]],
        "代打卡记录": [["工号", "日期"], ["999", D(2)]],
    })
    cells = {(f.sheet, f.cell): f for f in m.findings}
    assert cells[("节假日", "B2")].rule == "ATT-08"
    assert cells[("打卡异常", "C2")].rule == "ATT-05" and cells[("打卡异常", "D3")].level == terms.LEVEL_WARNING
    assert cells[("代打卡记录", "A2")].rule == "ATT-07"
    # the unapproved exception leaves the 上午下班 punch missing, and the 下午上班 one: 2 missing punches
    assert m.day(D(2))["缺卡次数"] == 2


# --- the cell functions give what compute-month gives (tests/cell_and_month.py) -------------------------

@pytest.mark.parametrize("minutes,fine,absent", [(0, 0, 0), (5, 50, 0), (20, 50, 0), (21, 0, 0.5), (45, 0, 0.5),
                                                 (120, 0, 0.5), (121, 0, 1)])
def test_ATT_04_LATEFINE_and_ABSENTDAYS_equal_compute_month(minutes, fine, absent):
    # Late by ``minutes`` on Tue 2 March, everything else on time; fine 50 up to 20 minutes, half a day to 120.
    day = run_month(person(), punches=late_on_2_march(minutes)).day(M(2))
    assert (day["罚款"], day["旷工天数"]) == (f.LATEFINE(minutes, caller=CALLER), f.ABSENTDAYS(minutes, caller=CALLER))
    assert (day["罚款"], day["旷工天数"]) == (fine, absent)


def test_ATT_04_a_rules_sheet_with_an_unknown_key_is_honoured_alike_and_warned_about():
    # 迟到早退罚款 changed to 50; 加班餐补 is no parameter (a 警告 in 问题清单, the row ignored):
    # 25 minutes late is fined 50 by both.
    rules = [["参数", "值"], ["迟到早退罚款", 50], ["加班餐补", 15]]
    caller = workbook_caller({"规则": rules}, "C:/hr/未知参数.xlsx")
    month = run_month(person(), punches=late_on_2_march(25), rules=rules)
    assert [(p.level, p.cell) for p in month.problems("加班餐补")] == [(terms.LEVEL_WARNING, "B3")]
    assert month.day(M(2))["罚款"] == f.LATEFINE(25, caller=caller) == 50


def test_ATT_04_a_bad_rules_value_is_the_cells_error_with_compute_months_text():
    # 旷工半天起点分钟 "半小时" is no number: compute-month lists it as an 错误 (and keeps 30); a cell has
    # no 问题清单, so it shows that same finding instead of a figure computed with a rule HR did not mean.
    rules = [["参数", "值"], ["迟到早退罚款", 50], ["加班餐补", 15], ["旷工半天起点分钟", "半小时"]]
    caller = workbook_caller({"规则": rules}, "C:/hr/坏值.xlsx")
    found = run_month(person(), punches=late_on_2_march(25), rules=rules).problems("旷工半天起点分钟")
    assert [(p.level, p.sheet, p.cell) for p in found] == [(terms.LEVEL_ERROR, "规则", "B4")]
    assert "半小时" in found[0].problem
    expected = f"错误：规则!B4 {found[0].problem}"
    assert f.LATEFINE(25, caller=caller) == f.ABSENTDAYS(25, caller=caller) == expected
    assert f.LEAVEDAYS("事假", M(2), M(2), caller=caller) == expected
    assert f.LATEFINE([[25], [45]], caller=caller) == [[expected], [expected]]


@pytest.mark.parametrize("gender,expected", [("女", 0.5), ("男", 1.0)])
def test_ATT_08_LEAVEDAYS_on_8_March_equals_compute_month(gender, expected):
    m = run_month(person(gender=gender), leave=[["001", "事假", M(8), M(8), M(1), "已批准"]])
    engine = m.leave()[0]["天数"]
    cell = f.LEAVEDAYS("事假", M(8), M(8), gender, caller=CALLER)
    assert engine == cell == expected


def test_ATT_08_a_bad_holidays_row_is_the_cells_error_with_compute_months_text():
    holidays = [["日期", "类型"], [M(5), "放假"]]  # 放假 is not one of the 节假日 types
    caller = workbook_caller({"规则": RULES, "节假日": holidays}, "C:/hr/坏节假日.xlsx")
    found = run_month(person(), holidays=holidays).problems("“放假”")
    assert [(p.level, p.sheet, p.cell) for p in found] == [(terms.LEVEL_ERROR, "节假日", "B2")]
    assert f.DAYTYPE(M(5), caller=caller) == f"错误：节假日!B2 {found[0].problem}"


def test_ATT_02_LEAVEDAYS_for_a_night_shift_equals_compute_month():
    # 夜班 22:00-06:00 rostered every day. Leave 10-11 March (to the end of the 11th): the shifts whose
    # middle (02:00 next morning) falls inside are those starting on the 9th and the 10th: 2 days.
    rota = [["001", day, "夜班"] for day in (dt.date(2027, 2, 28), *[M(d) for d in range(1, 32)])]
    m = run_month(person(system=terms.COMPREHENSIVE_HOURS), leave=[["001", "年休假", M(10), M(11), M(1), "已批准"]],
                  rota=rota, shifts=[["夜班", dt.time(22), dt.time(6)]])
    engine = m.leave()[0]["天数"]
    cell = f.LEAVEDAYS("年休假", M(10), M(11), None, terms.COMPREHENSIVE_HOURS, "22:00-06:00", caller=CALLER)
    assert engine == cell == 2


# --- flexible hours: 弹性上班 (ATT-12) and 晚走晚到 (ATT-13), off unless 班次 or 规则 says so -----------------
# 白班 08:30-17:30 (one session, a whole day), 弹性分钟 30, 晚走时间 21:00, 次日最晚上班 10:00, rostered on every
# workday of November for a comprehensive-hours 001; every day on time (08:25 … 17:31) but the days under test.

FLEX_SHIFT = ["班次", "时段1开始", "时段1结束", "弹性分钟", "晚走时间", "次日最晚上班"]
DAY_SHIFT = ("白班", T(8, 30), T(17, 30), 30, T(21), T(10))


def flex_book(*special: tuple[dt.date, list], shift=DAY_SHIFT):
    return {"员工名册": [ROSTER_HEADER, person(system=terms.COMPREHENSIVE_HOURS)],
            "打卡记录": punches(*special), "班次": [FLEX_SHIFT, list(shift)],
            "排班": [["工号", "日期", "班次"]] + [["001", day, shift[0]] for day in workdays(2026, 11)]}


@pytest.mark.parametrize("arrive,leave,late,fine,absent", [
    ("08:50", "17:50", 0, 0, 0),     # 20 late, 20 stayed after 17:30: offset, not late
    ("08:50", "17:40", 10, 20, 0),   # 20 late, 10 stayed: the 10 not offset are lateness (1-30: a fine)
    ("09:10", "17:50", 40, 0, 0.5),  # 40 late is over the 30 of 弹性分钟: late 40 as without it (over 30: half a day)
    ("08:50", "17:20", 20, 40, 0),   # no staying after (10 early): late 20 and early 10, two fines, as without it
])
def test_ATT_12_flexible_start_offset_by_staying_as_long_after(month, arrive, leave, late, fine, absent):
    m = month(flex_book((MON, punches_for("001", MON, arrive, leave))))
    d = m.day(MON)
    assert (d["迟到分钟"], d["罚款"], d["旷工天数"]) == (late, fine, absent)
    assert d["早退分钟"] == (10 if leave == "17:20" else 0)  # 17:40 is after 17:30: never early leave
    s = m.summary()
    assert s["迟到次数"] == (1 if fine else 0) and s["迟到早退罚款"] == fine and s["旷工扣款"] == absent * 200
    if late == 0:
        assert d["说明"] == "ATT-12 第十九条: 弹性上班：08:50 上班，迟到20分钟；17:50 下班，晚走20分钟抵消，不算迟到"
    elif late == 10:
        assert d["说明"] == ("ATT-12 第十九条: 弹性上班：08:50 上班，迟到20分钟；17:40 下班，晚走10分钟抵消10分钟，按迟到10分钟计；"
                           "ATT-04 第十九条: 上午上班 08:50, 迟到10分钟, 罚款20元")
    else:
        assert "ATT-12" not in d["说明"]


@pytest.mark.parametrize("last_out,arrive,late,fine,absent", [
    ("21:30", "09:55", 0, 0, 0),     # out at 21:30 >= 21:00: Tuesday starts 10:00, 09:55 is on time
    ("21:00", "10:05", 5, 20, 0),    # out at 21:00 exactly: 10:05 is 5 minutes late, counted from 10:00
    ("20:50", "09:55", 85, 0, 0.5),  # out at 20:50 < 21:00: 09:55 is 85 minutes after 08:30, as without it
])
def test_ATT_13_working_late_moves_the_next_days_start(month, last_out, arrive, late, fine, absent):
    # Tuesday out at 17:30 sharp: nothing stayed after, so 弹性上班 (ATT-12) offsets nothing here.
    m = month(flex_book((MON, punches_for("001", MON, "08:25", last_out)), (TUE, punches_for("001", TUE, arrive, "17:30"))))
    d = m.day(TUE)
    assert (d["迟到分钟"], d["罚款"], d["旷工天数"]) == (late, fine, absent)
    assert m.day(MON)["罚款"] == 0 and m.summary()["迟到早退罚款"] == fine
    if late == 0:
        assert d["说明"] == ("ATT-13 第十九条: 晚走晚到：前一天最后一次打卡 21:30，不早于晚走时间 21:00，"
                           "当天上班推迟到 10:00，09:55 到岗，不算迟到")
    elif late == 5:
        assert d["说明"].startswith("ATT-13 第十九条: 晚走晚到：前一天最后一次打卡 21:00，") and "从 10:00 起算迟到5分钟" in d["说明"]
    else:
        assert "ATT-13" not in d["说明"]


def test_ATT_13_the_day_before_is_the_calendar_day_a_rest_day_between_ends_it(month):
    # Saturday 7 November out at 21:30; Sunday 8 is a rest day without punches: Monday 9 starts 08:30 as always,
    # so 09:55 is 85 minutes late (half a day); a Sunday of overtime till 21:30 would have moved it.
    sat, mon = dt.date(2026, 11, 7), dt.date(2026, 11, 9)
    m = month(flex_book((sat, punches_for("001", sat, "08:25", "21:30")), (mon, punches_for("001", mon, "09:55", "17:31"))))
    assert (m.day(mon)["迟到分钟"], m.day(mon)["旷工天数"]) == (85, 0.5)
    worked_sunday = punches_for("001", SUN, "14:00", "21:30")
    m = month({**flex_book((mon, punches_for("001", mon, "09:55", "17:31"))),
               "打卡记录": punches((mon, punches_for("001", mon, "09:55", "17:31"))) + worked_sunday})
    assert (m.day(mon)["迟到分钟"], m.day(mon)["旷工天数"]) == (0, 0)


def test_ATT_12_ATT_13_standard_hours_by_the_rules_sheet(month):
    # 标准工时 (no 班次 row): 规则 弹性上班分钟 30, 晚走时间 21:00, 次日最晚上班 10:00. Mon 2: in 08:50, out 17:50 —
    # offset (ATT-12: the morning's start, the afternoon's end). Tue 3 (the day before ended 17:50, before 21:00):
    # in 08:45, out 17:40 — 15 late, 10 offset, late 5. Wed 4 (Tue out 17:40): 10:00 would be 90 late, half a day.
    rules = [["参数", "值"], ["弹性上班分钟", "30分钟"], ["晚走时间", "21:00"], ["次日最晚上班", "10:00"]]
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "08:50", "12:01", "13:25", "17:50")),
                                   (TUE, punches_for("001", TUE, "08:45", "12:01", "13:25", "17:40")),
                                   (WED, punches_for("001", WED, "10:00", "12:01", "13:25", "21:05")),
                                   (D(5), punches_for("001", D(5), "09:58", "12:01", "13:25", "17:31"))),
               "规则": rules})
    assert [m.day(d)["迟到分钟"] for d in (MON, TUE, WED, D(5))] == [0, 5, 90, 0]
    assert (m.day(TUE)["罚款"], m.day(WED)["旷工天数"]) == (20, 0.5)
    assert "ATT-13 第十九条: 晚走晚到：前一天最后一次打卡 21:05" in m.day(D(5))["说明"]  # Wed out 21:05: Thu by 10:00
    assert m.summary()["迟到次数"] == 1 and m.summary()["迟到早退罚款"] == 20


def test_ATT_12_ATT_13_are_off_by_default_and_half_a_setting_is_warned_and_unused(month):
    late_in = punches((MON, punches_for("001", MON, "08:25", "12:01", "13:25", "21:30")),
                      (TUE, punches_for("001", TUE, "08:50", "12:01", "13:25", "17:50")))
    m = month({"打卡记录": late_in})
    assert m.day(TUE)["迟到分钟"] == 20 and m.day(TUE)["罚款"] == 20  # no 规则 row: lateness as always
    m = month({"打卡记录": late_in, "规则": [["参数", "值"], ["晚走时间", "21:00"], ["次日最晚上班", None]]})
    assert m.day(TUE)["迟到分钟"] == 20
    assert [(f.rule, f.level) for f in m.problems("没有填写次日最晚上班")] == [("ATT-13", terms.LEVEL_WARNING)]
    only_start = month({"打卡记录": late_in, "规则": [["参数", "值"], ["次日最晚上班", "10:00"]]})
    assert [f.rule for f in only_start.problems("填写了次日最晚上班，没有填写晚走时间")] == ["ATT-13"]
    assert only_start.day(TUE)["迟到分钟"] == 20
    bad = ("白班", T(8, 30), T(17, 30), 7.5, T(21), None)
    m = month(flex_book((MON, punches_for("001", MON, "08:25", "21:30")), (TUE, punches_for("001", TUE, "08:50", "17:50")),
                        shift=bad))
    assert m.day(TUE)["迟到分钟"] == 20  # neither rule used from a row kaohe cannot read
    assert sorted((f.cell, f.rule) for f in m.findings if f.sheet == "班次") == [("D2", "ATT-12"), ("E2", "ATT-13")]


@pytest.mark.parametrize("left_at,late,absent", [("08:10", 0, 0), ("07:50", 50, 0.5)])
def test_ATT_13_after_a_night_shift_the_tail_after_midnight_is_the_day_before(month, left_at, late, absent):
    # 夜班 22:00-06:00 on Mon 2 and Tue 3, 晚走时间 08:00 (before the shift's 06:00 end: the morning after),
    # 次日最晚上班 23:00. Monday's shift is left on Tue 3 at 08:10: within 4 hours of its end, so it is Monday's
    # last punch (ATT-11), at or after Tue 08:00: Tuesday's shift starts at 23:00 and 22:50 is on time. Left at
    # 07:50 instead: 22:50 is 50 minutes after 22:00, over 30: half a day.
    shifts = [FLEX_SHIFT, ["夜班", T(22), T(6), None, T(8), T(23)]]
    h, m_ = map(int, left_at.split(":"))
    rows = (punches_for("001", MON, "21:55") + [["001", dt.datetime(2026, 11, 3, h, m_)]]
            + punches_for("001", TUE, "22:50") + punches_for("001", WED, "06:05"))
    m = month({"员工名册": [ROSTER_HEADER, person(system=terms.COMPREHENSIVE_HOURS)], "打卡记录": [["工号", "打卡时间"]] + rows,
               "班次": shifts, "排班": [["工号", "日期", "班次"], ["001", MON, "夜班"], ["001", TUE, "夜班"]]})
    d = m.day(TUE)
    assert (d["迟到分钟"], d["旷工天数"], m.day(MON)["迟到分钟"]) == (late, absent, 0)
    if not late:
        assert d["说明"] == ("ATT-13 第十九条: 晚走晚到：前一天最后一次打卡 11-03 08:10，不早于晚走时间 08:00，"
                           "当天上班推迟到 23:00，22:50 到岗，不算迟到")


def test_ATT_12_ATT_13_LATEMINUTES_sees_one_punch_and_its_help_says_so(month):
    # 规则 弹性上班分钟 30: compute-month forgives Monday's 08:50 (17:50 out), the cell sees 08:50 alone: 20.
    rules = [["参数", "值"], ["弹性上班分钟", 30]]
    caller = workbook_caller({"规则": rules}, "C:/hr/弹性.xlsx")
    m = month({"打卡记录": punches((MON, punches_for("001", MON, "08:50", "12:01", "13:25", "17:50"))), "规则": rules})
    assert (m.day(MON)["迟到分钟"], f.LATEMINUTES("08:50", caller=caller)) == (0, 20)
    described = {macro.rsplit("!", 1)[1]: options["Description"]
                 for (macro,), options in addin_vba.xlwings_import().macro_options}
    assert "弹性上班" in described["LATEMINUTES"] and "晚走晚到" in described["LATEMINUTES"]


# --- the 罚则 table (ATT-14..ATT-19; the worked examples: tests/engine/test_penalties.py) ----------------

def test_att_14_a_penalty_sheet_is_the_whole_rule_for_the_events_it_names(month):
    """A 罚则 row for 迟到 alone (¥10, any minutes): a 45-minute late is fined ¥10, no longer half a day; 早退, not
    named, keeps 规则's ¥20."""
    from engine.test_penalties import HEAD, late_by, row

    m = month({"打卡记录": late_by({2: 45}, early={3: 5}), "罚则": [HEAD, row("迟到", "罚款", 10)]})
    s = m.summary()
    assert (s["迟到早退罚款"], s["旷工天数"], s["迟到次数"], s["早退次数"]) == (30.0, 0, 1, 1)


def test_att_15_att_17_counts_of_the_month_choose_the_row(month):
    """From the 2nd late (自第几次起 2) ¥15; the 1st counted only: two lates, ¥15."""
    from engine.test_penalties import HEAD, late_by, row

    m = month({"打卡记录": late_by({2: 5, 3: 5}), "罚则": [HEAD, row("迟到", "罚款", 15, 自第几次起=2)]})
    assert (m.summary()["迟到早退罚款"], m.summary()["迟到次数"]) == (15.0, 2)


def test_att_16_early_leave_per_minute_with_a_cap(month):
    """早退 ¥2 a minute, at most ¥30: 10 minutes → 20, 40 minutes → 30."""
    from engine.test_penalties import HEAD, late_by, row

    m = month({"打卡记录": late_by({}, early={2: 10, 3: 40}), "罚则": [HEAD, row("早退", "每分钟罚款", 2, 每次上限=30)]})
    assert m.summary()["迟到早退罚款"] == 50.0


def test_att_18_a_makeup_refused_leaves_its_session_without_a_punch_absent(month):
    """补卡 not allowed at all (不予补卡 from the 1st): a session whose only excuse was the 补卡 is absent (ATT-06)."""
    from engine.test_penalties import HEAD, row

    rows = punches((MON, punches_for("001", MON, "13:25", "17:31")))
    exceptions = [["工号", "日期", "时段", "审批状态"], ["001", MON, "上午上班", "已批准"], ["001", MON, "上午下班", "已批准"]]
    m = month({"打卡记录": rows, "打卡异常": exceptions, "罚则": [HEAD, row("补卡", "不予补卡")]})
    assert m.day(MON)["旷工天数"] == 0.5 and m.summary()["缺卡次数"] == 0


def test_att_19_full_attendance_bonus_lost_by_an_absence(month):
    """全勤奖 ¥100; a workday without a punch (旷工) cancels it."""
    from engine.test_penalties import HEAD, row

    m = month({"打卡记录": punches(skip=(MON,)), "罚则": [HEAD, row("全勤奖", "发放", 100)]})
    assert (m.summary()["全勤奖"], m.summary()["旷工天数"]) == (0, 1)
    assert "11-02旷工，本月不发全勤奖" in m.day(MON)["说明"]
