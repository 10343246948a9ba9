"""ATT-14..ATT-19: the 罚则 table — the issue's worked examples with hand-worked figures, its refusals, and
the default rows giving 规则's figures.

Unless a test says otherwise: November 2026, employee 001 (base wage 4350: daily wage 4350 / 21.75 = 200.00,
hourly 200 / 8 = 25.00), sessions 08:30–12:00 and 13:30–17:30, Sundays off; every workday has four clean
punches but the days under test.
"""
import datetime as dt

import pandas as pd
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays

from kaohe.findings import InputRefused

D = lambda day: dt.date(2026, 11, day)  # noqa: E731
HEAD = ["规则编号", "条款", "事件", "计数", "超过分钟", "至分钟", "处理", "数额", "每次上限", "每月免罚次数",
        "自第几次起", "每几次", "至第几次", "转入次数", "转入行", "假别"]
WORKDAYS = list(workdays(2026, 11))  # Mon 2 Nov is the first


def row(event, effect, amount=None, **kw) -> list:
    """A 罚则 row as HR types it: the keyword names are the headers (超过分钟= ..., 每月免罚次数= ...)."""
    values = {"事件": event, "处理": effect, "数额": amount, **kw}
    return [values.get(h) for h in HEAD]


def late_by(days_minutes: dict, emp="001", early: dict | None = None) -> list[list]:
    """A month of punches: on each day in ``days_minutes`` the morning in-punch that many minutes after 08:30
    (``early``: the afternoon out-punch that many minutes before 17:30)."""
    rows = [["工号", "打卡时间"]]
    early = early or {}
    for day in WORKDAYS:
        arrive = (dt.datetime(2026, 11, day.day, 8, 30) + dt.timedelta(minutes=days_minutes.get(day.day, -5)))
        leave = (dt.datetime(2026, 11, day.day, 17, 30) - dt.timedelta(minutes=early.get(day.day, -1)))
        rows += punches_for(emp, day, arrive.strftime("%H:%M"), "12:01", "13:25", leave.strftime("%H:%M"))
    return rows


def test_first_two_lates_free_then_a_quarter_days_wage_each(month):
    """Example 1 (ATT-15, ATT-17): four lates of 10 minutes; the first two free, the 3rd and 4th each 0.25 × 200 = 50."""
    m = month({"打卡记录": late_by({2: 10, 3: 10, 4: 10, 5: 10}),
               "罚则": [HEAD, row("迟到", "扣工资（不记旷工）", 0.25, 每月免罚次数=2)]})
    s = m.summary()
    assert (s["迟到次数"], s["迟到早退罚款"], s["旷工天数"]) == (4, 100.0, 0)
    assert m.day(D(2))["罚款"] == 0 and m.day(D(4))["罚款"] == 50
    assert "本月第1次迟到（罚则第2行：每月前2次免罚）, 不罚" in m.day(D(2))["说明"]
    assert "本月第3次迟到（罚则第2行：每月前2次免罚，扣0.25天工资（不记旷工））, 扣款50元" in m.day(D(4))["说明"]


def test_three_lates_are_half_a_day_of_absence(month):
    """Example 2 (ATT-15): every 3rd late of the month is half a day's absence (旷工扣款 200 × 0.5 each); the
    others are counted, not fined. Seven lates (2–6, 9, 10 Nov): the 3rd (Wed 4th) and the 6th (Mon 9th) → 1 day,
    200.00."""
    m = month({"打卡记录": late_by({2: 5, 3: 5, 4: 5, 5: 5, 6: 5, 9: 5, 10: 5}),
               "罚则": [HEAD, row("迟到", "记旷工", 0.5, 每几次=3)]})
    s = m.summary()
    assert (s["旷工天数"], s["旷工扣款"], s["迟到早退罚款"], s["迟到次数"]) == (1.0, 200.0, 0, 5)
    assert m.day(D(4))["旷工天数"] == 0.5 and m.day(D(9))["旷工天数"] == 0.5 and m.day(D(5))["旷工天数"] == 0
    assert "本月第3次迟到（罚则第2行：每3次记旷工0.5天）, 按旷工0.5天" in m.day(D(4))["说明"]
    assert "本月第4次迟到（罚则对第4次没有处理）, 不罚" in m.day(D(5))["说明"]
    s = m.result.sessions.set_index(["date", "sess"])  # what 考勤表 shows: 旷 on the 4th, 迟 on the 5th
    assert s.loc[(pd.Timestamp(D(4)), 1), "late_half"] and not s.loc[(pd.Timestamp(D(4)), 1), "late_fined"]
    assert s.loc[(pd.Timestamp(D(5)), 1), "late_fined"] and s.loc[(pd.Timestamp(D(4)), 1), "absent"] == 0.5


def test_a_fine_per_minute_capped_at_50_a_time(month):
    """Example 3 (ATT-16): ¥1 a minute, at most ¥50 a time: 10 + 45 + min(70, 50) = 105; no absence tier (the
    sheet is the whole rule for 迟到)."""
    m = month({"打卡记录": late_by({2: 10, 3: 45, 4: 70}),
               "罚则": [HEAD, row("迟到", "每分钟罚款", 1, 每次上限=50)]})
    s = m.summary()
    assert (s["迟到早退罚款"], s["迟到次数"], s["旷工天数"]) == (105.0, 3, 0)
    assert m.day(D(4))["罚款"] == 50


def test_escalation_from_the_third_late_50_from_the_fifth_100(month):
    """Example 4 (ATT-15): six lates: free, free, 50, 50, 100, 100 = 300."""
    sheet = [HEAD, row("迟到", "只计次", 至第几次=2), row("迟到", "罚款", 50, 自第几次起=3, 至第几次=4),
             row("迟到", "罚款", 100, 自第几次起=5)]
    m = month({"打卡记录": late_by({2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}), "罚则": sheet})
    assert m.summary()["迟到早退罚款"] == 300.0
    assert [m.day(D(d))["罚款"] for d in (2, 3, 4, 5, 6, 7)] == [0, 0, 50, 50, 100, 100]
    assert "本月第5次迟到（罚则第4行：第5次起每次100元）, 罚款100元" in m.day(D(6))["说明"]


def test_the_issues_sentence_names_the_row_and_the_count(month):
    """ATT-14: 每日明细's 说明 reads 本月第3次迟到（罚则第4行：第3次起每次50元）."""
    sheet = [HEAD, row("迟到", "只计次", 至第几次=2), row("缺卡", "罚款", 20), row("迟到", "罚款", 50, 自第几次起=3)]
    m = month({"打卡记录": late_by({2: 3, 3: 3, 4: 3}), "罚则": sheet})
    assert "上午上班 08:33, 迟到3分钟, 本月第3次迟到（罚则第4行：第3次起每次50元）, 罚款50元" in m.day(D(4))["说明"]


def makeup_month():
    """Four mornings without the in-punch (Mon 2 – Thu 5): two excused by an approved 打卡异常, two by a DingTalk
    补卡审批 imported into 打卡导入."""
    rows = [["工号", "打卡时间"]]
    for day in WORKDAYS:
        rows += punches_for("001", day, "12:01", "13:25", "17:31") if day.day in (2, 3, 4, 5) else full_day("001", day)
    exceptions = [["工号", "日期", "时段", "审批状态"], ["001", D(2), "上午上班", "已批准"], ["001", D(4), "上午上班", "已批准"]]
    imported = [["工号", "打卡时间", "类型"], ["001", dt.datetime(2026, 11, 3, 8, 30), "补卡审批"],
                ["001", dt.datetime(2026, 11, 5, 8, 30), "补卡审批"]]
    return {"打卡记录": rows, "打卡异常": exceptions, "打卡导入": imported}


def test_three_makeups_a_month_the_fourth_refused_and_fined_as_a_missing_punch(month):
    """Example 7 (ATT-18): three 补卡 a month; the 4th (Thu 5th) refused, so its punch is missing: 缺卡 ¥20."""
    sheet = [HEAD, row("补卡", "只计次", 至第几次=3), row("补卡", "不予补卡", 自第几次起=4), row("缺卡", "罚款", 20)]
    m = month({**makeup_month(), "罚则": sheet})
    s = m.summary()
    assert (s["缺卡次数"], s["缺卡罚款"], s["旷工天数"]) == (1, 20.0, 0)
    assert m.day(D(5))["缺卡次数"] == 1 and m.day(D(4))["缺卡次数"] == 0
    assert "本月第4次补卡（罚则第3行：第4次起不予补卡）, 不予补卡，按缺卡处理" in m.day(D(5))["说明"]


def test_without_a_makeup_row_every_makeup_excuses(month):
    m = month({**makeup_month(), "罚则": [HEAD, row("缺卡", "罚款", 20)]})
    assert m.summary()["缺卡次数"] == 0


def bonus_book(*leave_rows):
    roster = [ROSTER_HEADER, person("001"), person("002", "李四"), person("003", "王五"), person("004", "赵六")]
    punches = [["工号", "打卡时间"]]
    for emp in ("001", "002", "003", "004"):
        punches += late_by({2: 10} if emp == "002" else {}, emp=emp)[1:]
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料"], *leave_rows]
    return {"员工名册": roster, "打卡记录": punches, "请假记录": leave}


def test_full_attendance_bonus_200_lost_by_a_late_or_a_named_leave_type(month):
    """全勤奖 (ATT-19): ¥200 for a month without a late, an absence or 事假; 001 clean gets it, 002 (late Mon 2nd,
    still fined ¥20 by 规则's default row) and 003 (事假 Wed 4th) lose it, 004's 病假 (not named) keeps it."""
    sheet = [HEAD, row("全勤奖", "发放", 200, 假别="事假")]
    book = bonus_book(["003", "事假", dt.datetime(2026, 11, 4, 8, 30), dt.datetime(2026, 11, 4, 17, 30), D(1), "已批准"],
                      ["004", "病假", dt.datetime(2026, 11, 4, 8, 30), dt.datetime(2026, 11, 4, 17, 30), D(1), "已批准", "有"])
    m = month({**book, "罚则": sheet})
    bonus = {emp: m.summary(emp)["全勤奖"] for emp in ("001", "002", "003", "004")}
    assert bonus == {"001": 200.0, "002": 0, "003": 0, "004": 200.0}
    assert m.summary("002")["迟到早退罚款"] == 20.0
    assert m.summary("001")["调整合计"] == 200.0
    assert "11-02迟到，本月不发全勤奖（罚则第2行：全勤奖200元，迟到、早退、旷工、事假取消）" in m.day(D(2), "002")["说明"]
    assert "本月全勤，发放全勤奖200元" in m.day(D(30), "001")["说明"]


def test_ATT_19_an_early_leave_alone_costs_the_full_attendance_bonus(month):
    """全勤奖 (ATT-19) is lost by any late or early leave: 001 leaves 10 minutes early on Mon 2nd, nothing else —
    fined ¥20 by 规则's default row, 全勤奖 0 (a clerk's 制度: 迟到、早退、旷工 cancel it)."""
    m = month({"打卡记录": late_by({}, early={2: 10}), "罚则": [HEAD, row("全勤奖", "发放", 300)]})
    s = m.summary()
    assert (s["早退次数"], s["迟到早退罚款"], s["全勤奖"], s["调整合计"]) == (1, 20.0, 0, -20.0)


@pytest.mark.parametrize("sheet,cell", [
    ([HEAD, row("迟到", "罚款", 20, 至分钟=30), row("迟到", "罚款", 50, 超过分钟=20)], "E3"),  # bands overlap: its 超过分钟
    ([HEAD, row("迟到", None, 20)], "G2"),  # a band with no effect
    ([HEAD, row("迟到", "罚款", 20, 转入次数=3, 转入行=9)], "O2"),  # a threshold to a missing row
    ([HEAD, row("上班", "罚款", 20)], "C2"),  # an unknown event
    ([HEAD, row("迟到", "打一顿", 20)], "G2"),  # an unknown effect
    ([HEAD, row("迟到", "罚款", "二十")], "H2"),  # not a number
    ([HEAD, row("缺卡", "罚款", 20, 超过分钟=5)], "E2"),  # minutes for an event without them
    ([HEAD, row("迟到", "罚款", 20, 至分钟=30, 至第几次=2), row("迟到", "罚款", 50, 超过分钟=20, 自第几次起=3, 计数="另计")],
     "D3"),  # two counters for overlapping bands (21–30 minutes on both)
])
def test_a_table_kaohe_cannot_read_is_refused_naming_its_cell(month, sheet, cell):
    """ATT-14: overlapping bands, a band with no effect, a threshold to a missing row, unknown words: refused."""
    with pytest.raises(InputRefused, match=f"罚则表 {cell}"):
        month({"打卡记录": late_by({}), "罚则": sheet})


def test_a_threshold_from_the_nth_late_takes_another_rows_effect(month):
    """ATT-15: 1–30 minutes ¥20; from the 3rd such late on, as row 3 (half a day's absence)."""
    sheet = [HEAD, row("迟到", "罚款", 20, 至分钟=30, 转入次数=3, 转入行=3), row("迟到", "记旷工", 0.5, 超过分钟=30)]
    m = month({"打卡记录": late_by({2: 5, 3: 5, 4: 5}), "罚则": sheet})
    s = m.summary()
    assert (s["迟到早退罚款"], s["旷工天数"]) == (40.0, 0.5)


def test_late_and_early_share_one_counter(month):
    """ATT-15: 迟到 and 早退 counted together (计数 迟到早退): the first two of either free, then ¥30."""
    sheet = [HEAD, row("迟到", "罚款", 30, 计数="迟到早退", 每月免罚次数=2), row("早退", "罚款", 30, 计数="迟到早退", 每月免罚次数=2)]
    m = month({"打卡记录": late_by({2: 5, 4: 5}, early={3: 5}), "罚则": sheet})
    assert m.summary()["迟到早退罚款"] == 30.0 and m.day(D(4))["罚款"] == 30


def test_minutes_as_a_share_of_the_hourly_wage(month):
    """ATT-16: 按分钟扣小时工资: 24 minutes = 0.4 h × 25.00 = 10.00."""
    m = month({"打卡记录": late_by({2: 24}), "罚则": [HEAD, row("迟到", "按分钟扣小时工资")]})
    assert m.summary()["迟到早退罚款"] == 10.0


def test_a_sheet_superseding_a_changed_rules_key_is_reported(month):
    """ATT-14: 规则 says 迟到早退罚款 30 while the 罚则 sheet says 迟到 otherwise: a 警告; 早退 (not named) keeps 30."""
    m = month({"打卡记录": late_by({2: 5}, early={3: 5}), "规则": [["参数", "值"], ["迟到早退罚款", 30]],
               "罚则": [HEAD, row("迟到", "罚款", 10)]})
    assert m.problems("迟到早退罚款") and m.summary()["迟到早退罚款"] == 40.0


@pytest.mark.parametrize("sheet,minutes", [
    ([HEAD, row("迟到", "每分钟罚款", 1, 每次上限=50)], {2: 10, 3: 45, 4: 70}),
    ([HEAD, row("迟到", "只计次", 至第几次=2), row("迟到", "罚款", 50, 自第几次起=3, 至第几次=4),
      row("迟到", "罚款", 100, 自第几次起=5)], {2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}),
    ([HEAD, row("迟到", "扣工资（不记旷工）", 0.25, 每月免罚次数=2)], {2: 10, 3: 10, 4: 10, 5: 10}),
    ([HEAD, row("迟到", "罚款", 20, 至分钟=30, 转入次数=3, 转入行=3), row("迟到", "记旷工", 0.5, 超过分钟=30)],
     {2: 5, 3: 5, 4: 5}),
])
def test_monthlatefine_over_the_months_late_minutes_equals_compute_month(month, sheet, minutes):
    """ATT-14: MONTHLATEFINE over 每日明细's 迟到分钟 of the month (in date order) and the base wage is 月度汇总's
    迟到早退罚款; LATEFINE of the 3rd late with its count is the 3rd day's 罚款 (where no wage is needed)."""
    from doors.test_udfs import workbook_caller

    from kaohe.doors import udfs

    m = month({"打卡记录": late_by(minutes), "罚则": sheet})
    caller = workbook_caller({"罚则": sheet}, "C:/hr/罚则.xlsx")
    column = [[m.day(day)["迟到分钟"]] for day in WORKDAYS]
    assert udfs.MONTHLATEFINE(column, 4350, caller=caller) == m.summary()["迟到早退罚款"] > 0
    third = sorted(minutes)[2]
    if "扣工资（不记旷工）" not in sheet[1]:
        assert udfs.LATEFINE(minutes[third], 3, caller=caller) == m.day(D(third))["罚款"]


def test_a_cell_shows_why_a_penalty_sheet_cannot_be_read():
    from doors.test_udfs import workbook_caller

    from kaohe.doors import udfs

    caller = workbook_caller({"罚则": [HEAD, row("迟到", "打一顿", 20)]}, "C:/hr/坏罚则.xlsx")
    assert udfs.LATEFINE(10, caller=caller).startswith("错误：罚则表 G2")


def test_an_early_leave_of_cancel_bonus_costs_the_bonus_and_nothing_else(month):
    """ATT-19: 早退 · 取消全勤奖: a 5-minute early leave is not fined but loses the ¥200 全勤奖."""
    sheet = [HEAD, row("早退", "取消全勤奖"), row("全勤奖", "发放", 200)]
    m = month({"打卡记录": late_by({}, early={3: 5}), "罚则": sheet})
    s = m.summary()
    assert (s["全勤奖"], s["迟到早退罚款"], s["早退次数"]) == (0, 0, 1)
    assert "本月第1次早退（罚则第2行：取消全勤奖）, 不罚，取消全勤奖" in m.day(D(3))["说明"]


OWN_COUNTER = [HEAD, row("迟到", "罚款", 50, 至分钟=30, 每月免罚次数=2),
               row("迟到", "记旷工", 0.5, 超过分钟=30, 计数="迟到超时")]


def test_ATT_15_a_late_over_30_minutes_counts_on_its_own_counter(month):
    """ATT-15: "每月前2次迟到（30分钟以内）不罚，第3次起每次罚50元；迟到超过30分钟按旷工半天". A 45-minute late on the
    2nd is the 1st of 迟到超时 (half a day: 200 × 0.5 = 100.00); the 10-minute lates on the 3rd and 4th are the 1st
    and 2nd of 迟到 (free): fine 0. A 4th late of 10 minutes (the 5th) is the 3rd of 迟到: 50."""
    m = month({"打卡记录": late_by({2: 45, 3: 10, 4: 10}), "罚则": OWN_COUNTER})
    s = m.summary()
    assert (s["迟到早退罚款"], s["旷工天数"], s["旷工扣款"]) == (0, 0.5, 100.0)
    assert "本月第1次迟到超时（罚则第3行：超过30分钟，记旷工0.5天）, 按旷工0.5天" in m.day(D(2))["说明"]
    assert "本月第2次迟到（罚则第2行：每月前2次免罚）, 不罚" in m.day(D(4))["说明"]
    assert month({"打卡记录": late_by({2: 45, 3: 10, 4: 10, 5: 10}), "罚则": OWN_COUNTER}).day(D(5))["罚款"] == 50


def test_ATT_15_monthlatefine_counts_a_late_over_30_minutes_on_its_own_counter():
    """ATT-15: MONTHLATEFINE over 45, 10, 10 minutes: 0 (the 45 is 迟到超时's, half a day, no fine); over 45, 10, 10,
    10: the last is the 3rd of 迟到, 50. The month's absence of 45, 10, 10 is half a day."""
    from doors.test_udfs import workbook_caller

    from kaohe.doors import udfs
    from kaohe.doors.cells import context
    from kaohe.engine.penalties import month_of_minutes
    from kaohe.policy import penalties as pt

    caller = workbook_caller({"罚则": OWN_COUNTER}, "C:/hr/另计.xlsx")
    assert udfs.MONTHLATEFINE([[45], [10], [10]], 4350, caller=caller) == 0.0
    assert udfs.MONTHLATEFINE([[45], [10], [10], [10]], 4350, caller=caller) == 50.0
    ctx = context(caller)
    assert month_of_minutes(ctx.penalties, pt.LATE, [45, 10, 10], 200.0, ctx.policy) == (0.0, 0.5)
