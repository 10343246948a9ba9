"""弹性上班 (ATT-12) and 晚走晚到 (ATT-13) through compute-month on a workbook written by openpyxl.

November 2026, base wage 4350 (daily wage 200, PAY-01), fines and tiers of 规则 as shipped (ATT-04: 1–30 minutes
a fine of 20, over 30 half a day). Every Mon–Sat is worked on time (08:25 … 17:31) but the days named.

001 (综合工时) works 白班 08:30–17:30 (one session, a whole day) every Mon–Sat; 班次 gives it 弹性分钟 30,
晚走时间 21:00, 次日最晚上班 10:00:
    Mon 2   08:50–17:50  20 late, 20 stayed after 17:30: offset, not late
    Tue 3   08:50–17:40  20 late, 10 stayed: late 10, fined 20
    Wed 4   09:10–17:50  40 late is over 30: late 40 as without it, half a day (100)
    Thu 5   08:25–21:30  the last punch at or after 21:00 …
    Fri 6   09:55–17:30  … so Friday starts at 10:00: not late
    Tue 10  08:25–20:50  the last punch before 21:00 …
    Wed 11  09:55–17:30  … so 85 late as without it: half a day (100)
  month: 迟到次数 1, 迟到早退罚款 20, 旷工天数 1, 旷工扣款 200.

002 (标准工时, no 班次 row) takes 规则: 弹性上班分钟 10, 晚走时间 21:00, 次日最晚上班 10:00:
    Mon 2   08:50 … 17:50  20 late is over 10: late 20, fined 20
    Tue 3   08:38 … 17:45  8 late, 15 stayed after 17:30: not late
    Wed 4   08:25 … 21:30  then Thu 5 09:55 … 17:30: starts at 10:00, not late
  month: 迟到次数 1, 迟到早退罚款 20, 旷工天数 0.
"""
import datetime as dt

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book

from kaohe.doors.cli import main

T = dt.time
D = lambda day: dt.date(2026, 11, day)  # noqa: E731
SHIFT = ["白班", T(8, 30), T(17, 30), 30, T(21), T(10)]
DAYS_001 = {D(2): ("08:50", "17:50"), D(3): ("08:50", "17:40"), D(4): ("09:10", "17:50"), D(5): ("08:25", "21:30"),
            D(6): ("09:55", "17:30"), D(10): ("08:25", "20:50"), D(11): ("09:55", "17:30")}
DAYS_002 = {D(2): ("08:50", "17:50"), D(3): ("08:38", "17:45"), D(4): ("08:25", "21:30"), D(5): ("09:55", "17:30")}


def punch_rows() -> list[list]:
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows += punches_for("001", day, *DAYS_001[day]) if day in DAYS_001 else full_day("001", day)
        arrive, leave = DAYS_002.get(day, ("08:25", "17:31"))
        rows += punches_for("002", day, arrive, "12:01", "13:25", leave)
    return rows


@pytest.fixture
def book(tmp_path):
    return write_book(tmp_path / "考勤.xlsx", {
        "员工名册": [ROSTER_HEADER, person(system="综合工时"), person("002", "李四")],
        "打卡记录": punch_rows(),
        "班次": [["班次", "时段1开始", "时段1结束", "弹性分钟", "晚走时间", "次日最晚上班"], SHIFT],
        "排班": [["工号", "日期", "班次"]] + [["001", day, "白班"] for day in workdays(2026, 11)],
        "规则": [["参数", "值"], ["弹性上班分钟", 10], ["晚走时间", T(21)], ["次日最晚上班", "10:00"]]})


def sheet_rows(path, name) -> list[dict]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if r[0] not in (None, "合计")]


def test_ATT_12_ATT_13_compute_month_forgives_lateness_by_the_shift_and_the_rules_sheet(book):
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    daily = {(r["工号"], r["日期"].date()): r for r in sheet_rows(book, "每日明细")}
    late = {emp: [daily[(emp, day)]["迟到分钟"] for day in days] for emp, days in (("001", DAYS_001), ("002", DAYS_002))}
    assert late == {"001": [0, 10, 40, 0, 0, 0, 85], "002": [20, 0, 0, 0]}
    assert [daily[("001", day)]["旷工天数"] for day in (D(4), D(11))] == [0.5, 0.5]
    assert daily[("001", D(2))]["说明"] == ("ATT-12 第十九条: 弹性上班：08:50 上班，迟到20分钟；17:50 下班，"
                                          "晚走20分钟抵消，不算迟到")
    assert daily[("001", D(3))]["说明"].startswith("ATT-12 第十九条: 弹性上班：08:50 上班，迟到20分钟；17:40 下班，"
                                                 "晚走10分钟抵消10分钟，按迟到10分钟计；ATT-04 第十九条: 上午上班 08:50, 迟到10分钟")
    assert daily[("001", D(6))]["说明"] == ("ATT-13 第十九条: 晚走晚到：前一天最后一次打卡 21:30，不早于晚走时间 21:00，"
                                          "当天上班推迟到 10:00，09:55 到岗，不算迟到")
    assert "ATT-12" not in (daily[("002", D(2))]["说明"] or "")  # 20 late is over 规则's 10 minutes
    assert daily[("002", D(3))]["说明"].startswith("ATT-12 第十九条: 弹性上班：08:38 上班，迟到8分钟；17:45 下班，晚走15分钟抵消")
    assert daily[("002", D(5))]["说明"].startswith("ATT-13 第十九条: 晚走晚到：前一天最后一次打卡 21:30")
    monthly = {r["工号"]: r for r in sheet_rows(book, "月度汇总")}
    figures = {emp: (r["迟到次数"], r["早退次数"], r["迟到早退罚款"], r["旷工天数"], r["旷工扣款"]) for emp, r in monthly.items()}
    assert figures == {"001": (1, 0, 20, 1, 200), "002": (1, 0, 20, 0, 0)}
    problems = sheet_rows(book, "问题清单")
    assert not [p for p in problems if str(p["依据"]).startswith(("ATT-12", "ATT-13"))]


def test_ATT_12_ATT_13_blank_columns_change_nothing(tmp_path):
    # The same 班次 columns left blank and no 规则: Mon 2's 20 minutes and Fri 6's 85 are late as always.
    book = write_book(tmp_path / "空白.xlsx", {
        "员工名册": [ROSTER_HEADER, person(system="综合工时"), person("002", "李四")],
        "打卡记录": punch_rows(),
        "班次": [["班次", "时段1开始", "时段1结束", "弹性分钟", "晚走时间", "次日最晚上班"], SHIFT[:3] + [None, None, None]],
        "排班": [["工号", "日期", "班次"]] + [["001", day, "白班"] for day in workdays(2026, 11)]})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    daily = {(r["工号"], r["日期"].date()): r for r in sheet_rows(book, "每日明细")}
    assert [daily[("001", day)]["迟到分钟"] for day in DAYS_001] == [20, 20, 40, 0, 85, 0, 85]
    assert [daily[("002", day)]["迟到分钟"] for day in DAYS_002] == [20, 8, 0, 85]


def test_blank_flexible_columns_leave_a_months_input_fingerprint_as_before_them(tmp_path):
    # A month closed before 班次 had these columns (its reader had no such fields) must not look changed to 月结.
    import dataclasses

    from kaohe.jobs.fingerprints import input_fingerprint
    from kaohe.workbook.read import read_book

    def fingerprints(shifts):
        book = write_book(tmp_path / f"b{len(list(tmp_path.iterdir()))}.xlsx", {
            "员工名册": [ROSTER_HEADER, person(system="综合工时")], "打卡记录": punch_rows()[:9], "班次": shifts,
            "排班": [["工号", "日期", "班次"], ["001", D(2), "白班"]]})
        tables = read_book(book).tables
        earlier = dataclasses.replace(tables["shifts"], frame=tables["shifts"].frame.drop(
            columns=["flex_minutes", "late_leave", "late_start"]))  # the frame as the reader made it before them
        return input_fingerprint(tables, "2026-11"), input_fingerprint({**tables, "shifts": earlier}, "2026-11")

    header = ["班次", "时段1开始", "时段1结束", "弹性分钟", "晚走时间", "次日最晚上班"]
    now, before = fingerprints([header, SHIFT[:3] + [None, None, None]])
    assert now == before
    now, before = fingerprints([header, SHIFT])
    assert now != before
