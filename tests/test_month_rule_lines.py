"""Rule lines of the month's stages that the other tests do not reach: bad overtime rows, a window past
midnight, a punch without a date, an undefined shift, a month with no session at all.

Employee 001, base 4350: daily wage 4350 / 21.75 = 200.00, hourly 200 / 8 = 25.00.
"""
import datetime as dt

from builders import ROSTER_HEADER, full_day, person, punches_for, workdays

T = dt.time
OT_HEADER = ["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "总经理审批", "类型", "补偿方式", "说明"]
MON, SUN, MON30 = dt.date(2026, 11, 2), dt.date(2026, 11, 8), dt.date(2026, 11, 30)


def punched(skip=()):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11, skip):
        rows += full_day("001", day)
    return rows


def test_OT_01_rows_for_someone_not_on_the_roster_or_without_times_count_nothing(month):
    m = month({"打卡记录": punched(), "加班申请": [
        OT_HEADER,
        ["999", MON, T(18), T(20), "是", "是", None, "加班", "加班费", None],
        ["001", MON, None, T(20), "是", "是", None, "加班", "加班费", None]]})
    found = [(f.sheet, f.cell, f.rule) for f in m.findings if f.sheet == "加班申请"]
    assert found == [("加班申请", "A2", "OT-01"), ("加班申请", "B3", "OT-01")]
    assert "999" in next(f.problem for f in m.findings if f.sheet == "加班申请" and f.cell == "A2")
    assert m.summary()["加班小时"] == 0 and m.summary()["加班费"] == 0


def test_OT_02_a_window_past_midnight_on_a_date_without_punch_data_counts_as_approved(month):
    # Punches stop on Sat 28 November; 30 November 20:00 -> 02:00 (the next day) is 6 h by the approval;
    # a workday: 6 × 25 × 1.5 = 225.00.
    m = month({"打卡记录": punched(skip=(MON30,)), "加班申请": [
        OT_HEADER, ["001", MON30, T(20), T(2), "是", "是", None, "加班", "加班费", None]]})
    assert m.summary()["加班小时"] == 6 and m.summary()["加班费"] == 225
    note = m.day(MON30)["说明"]
    assert "审批 20:00–02:00" in note and "按审批时段" in note


def test_ATT_03_a_punch_time_without_its_date_is_reported_at_the_date_cell(month):
    m = month({"打卡记录": [["工号", "日期", "时间"], ["001", None, T(8, 25)], ["001", MON, T(8, 25)]]})
    found = [(f.cell, f.rule) for f in m.findings if f.sheet == "打卡记录" and f.cell]
    assert found == [("B2", "ATT-03")]
    assert m.day(MON)["上午上班"] == dt.datetime(2026, 11, 2, 8, 25)


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


def test_ATT_08_a_holiday_row_without_its_date_is_reported_and_unused(month):
    # Row 2 has no 日期 (reported here), row 3 an unreadable one (reported once, by the reader); row 4 is a
    # note, not a holiday.
    m = month({"节假日": [["日期", "类型", "名称"], [None, "法定节假日", "元旦"], ["x", "法定节假日", "y"], [None, None, "备注"]]})
    found = sorted((f.cell, f.problem, f.action) for f in m.findings if f.sheet == "节假日")
    assert [(cell, action) for cell, _, action in found] == [("A2", "忽略此行"), ("A3", "按空值处理")]
    assert found[0][1] == "法定节假日没有日期"
