"""The month as stages (engine/month.py): what each stage makes from a small hand-worked month and what it
needs; compute_month is nothing but the stages run in order, and no stage changes what it was given.

The small month, November 2026 (25 workdays, Mon-Sat; base 4350: daily wage 200, hourly 25):
001 on time every workday but Mon 2 Nov (08:41 in: 11 minutes late, fined 20; out at 20:05 after an approved
paid overtime 18:00-20:00: 2 h × 25 × 1.5 = 75; a 代打卡 entry, fined 20), Tue 3 Nov (no punch: a day of 旷工,
200) and Wed 4 Nov (approved 事假 applied on 1 Nov: 1 day, 200). 002 is hired on Mon 30 Nov and works it.
员工名册 repeats 001 in its fourth row.
"""
import dataclasses
import datetime as dt
from types import MappingProxyType

import pandas as pd
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays

from kaohe.engine import month as m
from kaohe.engine import standard
from kaohe.jobs.sample import build_sample
from kaohe.workbook import contract as c
from kaohe.workbook.read import tables_from_rows

D = lambda day: dt.date(2026, 11, day)  # noqa: E731
TS = lambda day, h, mi: pd.Timestamp(2026, 11, day, h, mi)  # noqa: E731


def small_sheets() -> dict:
    punches = [["工号", "打卡时间"]] + punches_for("001", D(2), "08:41", "12:01", "13:25", "20:05")
    for day in workdays(2026, 11, skip=(D(2), D(3), D(4))):
        punches += full_day("001", day)
    punches += full_day("002", D(30))
    return {
        "员工名册": [ROSTER_HEADER, person(), person("002", "李四", hired=D(30)), person(name="重复")],
        "打卡记录": punches,
        "请假记录": [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"], ["001", "事假", D(4), D(4), D(1), "已批准"]],
        "加班申请": [["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "补偿方式"],
                 ["001", D(2), dt.time(18), dt.time(20), "是", "是", "加班费"]],
        "代打卡记录": [["工号", "日期"], ["001", D(2)]],
    }


# What each stage reads of the frames the stages before it made.
NEEDS = {
    "roster_stage": set(),
    "schedule_stage": {"roster"},
    "punches_stage": {"roster", "sessions"},
    "overtime_stage": {"roster", "days", "punches", "assigned"},
    "leave_stage": {"roster", "overtime"},
    "coverage_stage": {"days", "sessions", "leave", "makeups"},
    "session_rules_stage": {"roster", "punches", "punched", "leave", "covered"},
    "penalties_stage": {"roster", "evaluated"},
    "proxy_stage": {"roster"},
    "ledger_stage": {"roster", "days", "overtime", "leave", "evaluated", "proxy", "changed", "judged"},
    "days_stage": {"roster", "days", "assigned", "presence", "overtime", "evaluated", "charges", "day_records", "notes"},
    "summary_stage": {"roster", "leave", "leave_checks", "employed_daily", "charges", "day_records", "notes"},
}


@pytest.fixture(scope="module")
def small():
    """The small month's context and every frame its stages make, by name."""
    tables, _ = tables_from_rows(small_sheets().get, c.ATTENDANCE_INPUTS)
    ctx, _ = m.month_context(tables, "2026-11")
    made = {}
    for stage in m.STAGES:
        made.update(stage(ctx, MappingProxyType(dict(made)))[0])
    return ctx, made


def run(small, stage):
    """``stage`` run on exactly the frames it needs: (its frames, its findings)."""
    ctx, made = small
    return stage(ctx, MappingProxyType({k: made[k] for k in NEEDS[stage.__name__]}))


def rows(frame, *columns):
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


def test_roster_stage_makes_one_row_per_id_and_reports_the_repeat(small):
    new, found = run(small, m.roster_stage)
    assert list(new) == ["roster"] and new["roster"]["emp"].tolist() == ["001", "002"]
    assert [(f.sheet, f.cell, f.problem) for f in found] == [("员工名册", "A4", "工号“001”重复")]


def test_schedule_stage_makes_the_days_of_employment_and_their_sessions(small):
    new, found = run(small, m.schedule_stage)
    days, sessions = new["days"], new["sessions"]
    assert list(new) == ["days", "sessions"] and found == []
    # 001: all 30 days of November, 25 of them workdays; 002: only Mon 30 Nov.
    assert days.groupby("emp").size().to_dict() == {"001": 30, "002": 1}
    assert days.groupby("emp")["workday"].sum().to_dict() == {"001": 25, "002": 1}
    assert sessions.groupby("emp").size().to_dict() == {"001": 50, "002": 2}  # two sessions a workday


def test_punches_stage_makes_the_punches_by_session_and_the_days_presence(small):
    new, found = run(small, m.punches_stage)
    assert list(new) == ["punches", "assigned", "punched", "presence", "makeups", "changed"] and found == []
    assert new["makeups"].empty and new["changed"].empty  # every punch of the small month is a clock's own
    # 001 punched 23 workdays (not 3 and 4 Nov), 002 one: four punches a day, two punched sessions, one presence.
    assert new["punches"].groupby("emp").size().to_dict() == {"001": 92, "002": 4}
    assert len(new["assigned"]) == 96
    assert new["punched"].groupby("emp").size().to_dict() == {"001": 46, "002": 2}
    monday = new["presence"][(new["presence"]["emp"] == "001") & (new["presence"]["date"] == pd.Timestamp(D(2)))]
    assert rows(monday, "first", "last") == [(TS(2, 8, 41), TS(2, 20, 5))]


def test_overtime_stage_makes_the_hours_and_pay_of_each_approval(small):
    new, found = run(small, m.overtime_stage)
    assert list(new) == ["overtime"] and found == []
    assert rows(new["overtime"], "emp", "hours", "pay", "paid") == [("001", 2, 75, True)]


def test_leave_stage_makes_each_record_validated_and_counted(small):
    new, found = run(small, m.leave_stage)
    assert list(new) == ["leave", "leave_checks"] and found == []
    assert rows(new["leave"], "emp", "counted_as", "days", "result") == [("001", "事假", 1, "通过")]
    # Each check a record of its own: the 事假 (1 day, applied 3 days ahead) passes; its rule LV-03 named once.
    assert rows(new["leave_checks"], "result", "rule", "note") == [("通过", "LV-03", "")]


def test_coverage_stage_puts_the_leave_on_the_sessions_it_covers(small):
    new, found = run(small, m.coverage_stage)
    covered = new["covered"]
    assert list(new) == ["covered"] and found == [] and len(covered) == 52
    on_leave = covered[covered["leave"].notna()]
    assert rows(on_leave, "emp", "date", "leave") == [("001", pd.Timestamp(D(4)), "事假")] * 2  # morning, afternoon


def test_session_rules_stage_judges_every_session(small):
    new, found = run(small, m.session_rules_stage)
    evaluated = new["evaluated"]
    assert list(new) == ["evaluated"] and found == []
    late = evaluated[evaluated["late_minutes"] > 0]
    assert rows(late, "emp", "date", "late_minutes") == [("001", pd.Timestamp(D(2)), 11)]
    absent = evaluated[evaluated["absent"] > 0]
    assert rows(absent, "emp", "date", "absent") == [("001", pd.Timestamp(D(3)), 0.5)] * 2  # both halves of 3 Nov


def test_proxy_stage_counts_the_proxy_entries_per_day(small):
    new, found = run(small, m.proxy_stage)
    assert list(new) == ["proxy"] and found == []
    assert rows(new["proxy"], "emp", "date", "proxy") == [("001", pd.Timestamp(D(2)), 1)]


def test_ledger_stage_charges_every_fine_deduction_and_payment_with_its_rule_and_facts(small):
    new, found = run(small, m.ledger_stage)
    assert list(new) == ["charges", "day_records", "notes"] and found == []
    # 001: late on Mon 2 Nov (ATT-04, 20), a 代打卡 (ATT-07, 20), Tue 3 Nov absent (PAY-02, 1 day × 200),
    # 事假 on Wed 4 Nov (LV-03, two half days × 200), overtime on Mon 2 Nov (OT-03, 2 h × 25 × 1.5 = 75).
    assert rows(new["charges"], "emp", "date", "rule", "item", "what", "quantity", "rate", "amount") == [
        ("001", pd.Timestamp(D(2)), "ATT-04", "late_fine", "迟到", 1, 20, 20),
        ("001", pd.Timestamp(D(3)), "PAY-02", "absence_deduction", "旷工", 1, 200, 200),
        ("001", pd.Timestamp(D(4)), "LV-03", "personal_deduction", "事假", 0.5, 200, 100),
        ("001", pd.Timestamp(D(4)), "LV-03", "personal_deduction", "事假", 0.5, 200, 100),
        ("001", pd.Timestamp(D(2)), "ATT-07", "proxy_fine", "代打卡", 1, 20, 20),
        ("001", pd.Timestamp(D(2)), "OT-03", "ot_pay", "加班", 2, 37.5, 75)]
    late = new["charges"].iloc[0]
    assert (late["source"], late["sess"], late["at"], late["minutes"]) == ("迟到早退罚款", 1, TS(2, 8, 41), 11)
    # Day records per kind: the day of 旷工 (ATT-06: no punch), the 事假 half days, the overtime hours.
    assert rows(new["day_records"], "emp", "date", "rule", "kind", "quantity", "unit") == [
        ("001", pd.Timestamp(D(3)), "ATT-06", "旷工", 1, "天"), ("001", pd.Timestamp(D(4)), "LV-03", "事假", 0.5, "天"),
        ("001", pd.Timestamp(D(4)), "LV-03", "事假", 0.5, "天"), ("001", pd.Timestamp(D(2)), "OT-02", "加班", 2, "小时")]
    # Explained, moving no money of their own: the two sessions of Tue 3 Nov without a punch, and 002's first
    # day (hired Mon 30 Nov) on paper attendance (ATT-07: day 1 of 7).
    assert rows(new["notes"], "emp", "date", "rule", "event", "sess", "quantity") == [
        ("001", pd.Timestamp(D(3)), "ATT-06", "no_punch", 1, 0.5), ("001", pd.Timestamp(D(3)), "ATT-06", "no_punch", 2, 0.5),
        ("002", pd.Timestamp(D(30)), "ATT-07", "paper", 0, 1)]


def test_days_stage_makes_a_row_per_day_of_employment(small):
    new, found = run(small, m.days_stage)
    daily = new["employed_daily"]
    assert list(new) == ["employed_daily"] and found == []
    assert daily.groupby("emp").size().to_dict() == {"001": 30, "002": 1}
    monday = daily[(daily["emp"] == "001") & (daily["date"] == pd.Timestamp(D(2)))]
    assert rows(monday, "late_minutes", "proxy", "ot_hours", "ot_pay") == [(11, 1, 2, 75)]


def test_summary_stage_makes_the_month_the_leave_check_and_every_date(small):
    new, found = run(small, m.summary_stage)
    assert list(new) == ["monthly", "leave_check", "daily"] and found == []
    # 001: 75 overtime - (20 late + 20 proxy + 200 旷工 + 200 事假) = -365.
    assert rows(new["monthly"], "emp", "due_days", "absent_days", "late_fine", "proxy_fine", "ot_pay",
                "absence_deduction", "personal_deduction", "adjustment") == [
        ("001", 25, 1, 20, 20, 75, 200, 200, -365), ("002", 1, 0, 0, 0, 0, 0, 0, 0)]
    assert rows(new["leave_check"], "emp", "type", "days", "result") == [("001", "事假", 1, "通过")]
    assert new["daily"].groupby("emp").size().to_dict() == {"001": 30, "002": 30}  # every date of the month


@pytest.mark.parametrize("stage", m.STAGES, ids=lambda s: s.__name__)
def test_each_stage_needs_every_frame_listed_for_it(small, stage):
    ctx, made = small
    for name in NEEDS[stage.__name__]:
        given = {k: made[k] for k in NEEDS[stage.__name__] if k != name}
        with pytest.raises(KeyError, match=f"'{name}'"):
            stage(ctx, MappingProxyType(given))


def test_every_stage_runs_after_the_stages_that_make_what_it_needs(small):
    made: set[str] = set()
    for stage in m.STAGES:
        assert NEEDS[stage.__name__] <= made, stage.__name__
        made |= set(run(small, stage)[0])
    assert {"daily", "monthly", "leave_check", "evaluated"} <= made  # what compute_month returns


# --- the sample's month: compute_month is the stages, and no stage changes its input -----------------------

MONTH = "2026-10"


@pytest.fixture(scope="module")
def tables():
    """The sample's month: lateness, missing punches, absence, leave, overtime, a punch exception,
    proxy punching, a new hire, a leaver and a night-shift team — every stage has work to do."""
    sheets = build_sample(MONTH, employees=24)
    tables, _ = tables_from_rows(sheets.get, c.ATTENDANCE_INPUTS)
    return tables


def run_by_hand(ctx):
    """The stages one by one, each handed a plain copy of what the ones before made."""
    made, findings = {}, []
    for stage in m.STAGES:
        new, found = stage(ctx, MappingProxyType(dict(made)))
        made.update(new)
        findings += found
    return made, findings


def test_running_the_stages_of_the_sample_by_hand_reproduces_compute_month(tables):
    result = m.compute_month(tables, MONTH)
    ctx, findings = m.month_context(tables, MONTH)
    made, found = run_by_hand(ctx)
    pd.testing.assert_frame_equal(made["daily"], result.daily)
    pd.testing.assert_frame_equal(made["monthly"], result.monthly)
    pd.testing.assert_frame_equal(made["leave_check"], result.leave_check)
    pd.testing.assert_frame_equal(made["evaluated"], result.sessions)
    assert tuple(standard.drop_repeats(findings + found)) == result.findings
    assert result.summary["problems"] == len(result.findings) > 0
    assert result.summary["employees"] == len(made["roster"]) == 24


def test_no_stage_changes_the_frames_or_tables_it_was_given(tables):
    ctx, _ = m.month_context(tables, MONTH)
    made = {}
    table_copies = {k: t.frame.copy(deep=True) for k, t in ctx.tables.items()}
    for stage in m.STAGES:
        before = {k: f.copy(deep=True) for k, f in made.items()}
        new, _ = stage(ctx, MappingProxyType(made))
        assert set(made) == set(before), stage.__name__
        for name, frame in before.items():
            pd.testing.assert_frame_equal(made[name], frame, obj=f"{stage.__name__} on {name}")
        for key, frame in table_copies.items():
            pd.testing.assert_frame_equal(ctx.tables[key].frame, frame, obj=f"{stage.__name__} on table {key}")
        made = {**made, **new}
    assert all(len(made[name]) for name in ("days", "sessions", "punches", "overtime", "leave", "proxy", "monthly"))


def test_the_month_context_is_read_only(tables):
    ctx, _ = m.month_context(tables, MONTH)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.month = "2026-11"
    with pytest.raises(TypeError):
        ctx.tables["roster"] = None
    assert ctx.first.isoformat() == "2026-10-01" and ctx.last.isoformat() == "2026-10-31"
