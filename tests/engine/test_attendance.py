"""ATT-01..ATT-11 on small hand-built workbooks.

Unless a test says otherwise: November 2026, one standard-hours employee 001 hired long
ago, base wage 4350 (daily wage 4350 / 21.75 = 200.00), sessions 08:30-12:00 and
13:30-17:30, Sundays off, no holidays in November. Every other workday of the month has
four clean punches, so only the day under test carries an event.
"""
import datetime as dt

import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays

MON = dt.date(2026, 11, 2)
TUE = dt.date(2026, 11, 3)
WED = dt.date(2026, 11, 4)


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
