"""Edge cases an HR tester met: what kaohe writes and says at the margins of ordinary use."""
import datetime as dt

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, workdays, write_book

from kaohe.cli import main


def sheet_rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def numeric_id_book(tmp_path):
    """员工名册 types 工号 1 as a number and 002 as text; 打卡记录 likewise. 1 is late once (08:41 → fine 20)."""
    punches = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows = full_day("001", day)
        if day == dt.date(2026, 11, 2):
            rows[0][1] = dt.datetime(2026, 11, 2, 8, 41)
        punches += [[1, t] for _, t in rows] + full_day("002", day)
    roster = [ROSTER_HEADER, person(1, "张三"), person("002", "李四")]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": punches, "工资表": [["工号", "调整合计"]]})
    wb = openpyxl.load_workbook(book)  # the README's payroll lookup: 工号 from the roster, 调整合计 by VLOOKUP
    for r in (2, 3):
        wb["工资表"].cell(r, 1).value = f"=员工名册!A{r}"
        wb["工资表"].cell(r, 2).value = f'=VLOOKUP(A{r},月度汇总!A:AZ,MATCH("调整合计",月度汇总!$1:$1,0),FALSE)'
    wb.save(book)
    return book


def test_id_written_as_the_roster_typed_it_so_payroll_vlookup_finds_it(tmp_path):
    from lo import recalculated

    book = numeric_id_book(tmp_path)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    ids = [wb["月度汇总"].cell(r, 1).value for r in (2, 3)]
    assert ids == [1, "002"]  # a number stays a number, text stays text
    assert {r["工号"] for r in sheet_rows(book, "每日明细")} == {1, "002"}
    lo = recalculated(book, tmp_path)["工资表"]
    assert lo["B2"].value == -20 and lo["B3"].value == 0  # 1: one late arrival, ATT-04 fine 20
    # the figures HR checked can still be closed (工号 1 read back from 月度汇总 is the same person)
    assert main(["close", str(book), "--month", "2026-11", "--by", "王会计", "-q"]) == 0


def test_ATT_11_rest_day_punches_shown_in_daily_and_on_the_slip(tmp_path):
    """Sunday 2026-11-08 is a rest day (ATT-01); 001 punches 08:55 and 12:05 for approved overtime 09:00–12:00."""
    from kaohe.engine.month import compute_month
    from kaohe.slips import events
    from kaohe.workbook.read import read_book

    punches = [["工号", "打卡时间"], ["001", dt.datetime(2026, 11, 8, 8, 55)], ["001", dt.datetime(2026, 11, 8, 12, 5)]]
    for day in workdays(2026, 11):
        punches += full_day("001", day)
    overtime = [["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "补偿方式"],
                ["001", dt.date(2026, 11, 8), dt.time(9), dt.time(12), "同意", "同意", "加班费"]]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": punches,
                                             "加班申请": overtime})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    sunday = next(r for r in sheet_rows(book, "每日明细") if r["日期"] == dt.datetime(2026, 11, 8))
    assert (sunday["上午上班"], sunday["上午下班"], sunday["下午上班"], sunday["下午下班"]) == \
        (dt.time(8, 55), dt.time(12, 5), None, None)
    assert sunday["迟到分钟"] == 0 and sunday["罚款"] == 0  # shown, not judged: a rest day has no schedule
    result = compute_month(read_book(book).tables, "2026-11")
    slip = next(e for e in events(result.daily, "001") if e[0] == "11-08")
    assert slip[2] == "08:55 12:05 --:-- --:--"
