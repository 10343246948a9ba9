"""ATT-14..ATT-19 through the workbook: the 罚则 sheet read from a real .xlsx by compute-month, the default rows
giving the month 规则 gives, the template's sheet read back to the defaults, and ``kaohe add-sheet``.

Worked by hand as in tests/engine/test_penalties.py: employee 001, base 4350 (daily wage 200), November 2026.
"""
import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest
from builders import ROSTER_HEADER, person, write_book
from engine.test_penalties import HEAD, late_by, makeup_month, row

from kaohe.doors.cli import main
from kaohe.engine.month import compute_month
from kaohe.jobs import penalty_sheet
from kaohe.jobs.sample import build_sample
from kaohe.jobs.templates import attendance_template
from kaohe.policy import DEFAULT, penalties as pt
from kaohe.workbook import contract as c
from kaohe.workbook.ownership import read_record
from kaohe.workbook.parts import Parts
from kaohe.workbook.read import read_book, tables_from_rows

NUMBERS = ["late_count", "early_count", "missing_count", "absent_days", "late_fine", "missing_fine",
           "absence_deduction", "proxy_fine", "ot_pay", "adjustment"]


def summary(book) -> dict:
    ws = openpyxl.load_workbook(book)["月度汇总"]
    header = [cell.value for cell in ws[1]]
    return dict(zip(header, next(ws.iter_rows(min_row=2, values_only=True))))


def test_the_sample_month_with_the_default_rows_as_a_sheet_is_the_month_without_one():
    """ATT-14: the 考勤 template's 罚则 rows (规则's ATT-04/05/06) give every figure 规则 alone gives — the sample
    month's lateness tiers, missing punches, absence and exceptions — only the 说明 names the sheet's rows."""
    sheets = build_sample("2026-10", employees=24)
    plain, _ = tables_from_rows(sheets.get, c.ATTENDANCE_INPUTS)
    ruled, _ = tables_from_rows({**sheets, c.PENALTIES.name: penalty_sheet.sheet_rows()}.get, c.ATTENDANCE_INPUTS)
    a, b = compute_month(plain, "2026-10"), compute_month(ruled, "2026-10")
    assert ruled["penalties"].present and not plain["penalties"].present
    pd.testing.assert_frame_equal(a.monthly[["emp", *NUMBERS]], b.monthly[["emp", *NUMBERS]])
    same = [col for col in a.daily.columns if col != "note"]
    pd.testing.assert_frame_equal(a.daily[same], b.daily[same])
    assert a.monthly["late_fine"].sum() > 0 and a.monthly["absent_days"].sum() > 0  # the sample has both
    assert (a.daily["note"] != b.daily["note"]).any()  # the sheet's rows are named


def test_the_templates_sheet_reads_back_to_the_default_rows():
    """ATT-14: what the template writes is what kaohe reads (rows 2.. of 罚则 are default_rows, numbered alike)."""
    ws = attendance_template(2026)[c.PENALTIES.name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    tables, _ = tables_from_rows({c.PENALTIES.name: rows}.get, (c.PENALTIES,))
    read = pt.rows_from_sheet(tables["penalties"])
    strip = lambda r: (r.row, r.rule, r.event, r.effect, r.above, r.up_to, r.amount, r.counter_name)  # noqa: E731
    assert [strip(r) for r in read] == [strip(r) for r in pt.default_rows(DEFAULT)]


@pytest.fixture
def escalation_book(tmp_path):
    sheet = [HEAD, row("迟到", "只计次", 至第几次=2), row("迟到", "罚款", 50, 自第几次起=3, 至第几次=4),
             row("迟到", "罚款", 100, 自第几次起=5)]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()],
                                              "打卡记录": late_by({2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3}), "罚则": sheet})


def test_compute_month_reads_the_penalty_sheet_of_the_file(escalation_book):
    """Example 4 through the file: six lates, free, free, 50, 50, 100, 100 = 300."""
    assert main(["compute-month", str(escalation_book), "--month", "2026-11", "-q"]) == 0
    s = summary(escalation_book)
    assert (s["迟到次数"], s["迟到早退罚款"]) == (6, 300)


def test_ATT_15_each_charge_in_the_summarys_basis_names_its_own_rows_rule(escalation_book):
    """ATT-15, ATT-17: row 2 (只计次, no rule ID) is ATT-17; rows 3 and 4 (自第几次起) are ATT-15. Six lates: the 1st
    and 2nd counted (0), the 3rd and 4th 50 each, the 5th and 6th 100 each — each under its own row's rule."""
    assert main(["compute-month", str(escalation_book), "--month", "2026-11", "-q"]) == 0
    assert summary(escalation_book)["依据"] == "ATT-17 罚则表: 迟到2次 × 0元，ATT-15 罚则表: 迟到2次 × 50元、迟到2次 × 100元"


@pytest.mark.parametrize("sheet,lates,expected", [
    ([HEAD, row("迟到", "扣工资（不记旷工）", 0.25, 每月免罚次数=2)], {2: 10, 3: 10, 4: 10, 5: 10},
     {"迟到早退罚款": 100, "旷工天数": 0}),  # example 1: free, free, 50, 50
    ([HEAD, row("迟到", "记旷工", 0.5, 每几次=3)], {2: 5, 3: 5, 4: 5, 5: 5, 6: 5, 9: 5, 10: 5},
     {"旷工天数": 1, "旷工扣款": 200, "迟到早退罚款": 0}),  # example 2: the 3rd and the 6th half a day each
    ([HEAD, row("迟到", "每分钟罚款", 1, 每次上限=50)], {2: 10, 3: 45, 4: 70},
     {"迟到早退罚款": 105, "旷工天数": 0}),  # example 3: 10 + 45 + 50
])
def test_the_worked_examples_through_the_file(tmp_path, sheet, lates, expected):
    """Examples 1–3 of docs/规则说明.md through compute-month on a real workbook (figures as in the engine tests)."""
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": late_by(lates),
                                              "罚则": sheet})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    s = summary(book)
    assert {k: s[k] for k in expected} == expected


def test_compute_month_with_makeups_over_the_cap_through_the_file(tmp_path):
    """Example 7 through the file: the 4th 补卡 (a DingTalk 补卡审批 in 打卡导入) refused, 缺卡 ¥20."""
    sheet = [HEAD, row("补卡", "只计次", 至第几次=3), row("补卡", "不予补卡", 自第几次起=4), row("缺卡", "罚款", 20)]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], **makeup_month(), "罚则": sheet})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    s = summary(book)
    assert (s["缺卡次数"], s["缺卡罚款"]) == (1, 20)


def test_a_table_kaohe_cannot_read_stops_compute_month_and_writes_nothing(tmp_path, capsys):
    """ATT-14: exit 2, the cell named, the file unchanged."""
    sheet = [HEAD, row("迟到", "罚款", 20, 至分钟=30), row("迟到", "罚款", 50, 超过分钟=20)]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": late_by({2: 5}),
                                              "罚则": sheet})
    before = book.read_bytes()
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 2
    assert "罚则表 E3" in capsys.readouterr().err and book.read_bytes() == before


def test_full_attendance_bonus_reaches_the_summary(tmp_path):
    """ATT-19: 全勤奖 ¥200 a column of 月度汇总, in 调整合计."""
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": late_by({}),
                                              "罚则": [HEAD, row("全勤奖", "发放", 200)]})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    s = summary(book)
    assert (s["全勤奖"], s["调整合计"]) == (200, 200)


PACKAGE_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml", "_rels/.rels",
                 "docProps/app.xml", "docProps/custom.xml"}  # the parts that list the sheets


def assert_added_keeping_every_other_part(book, sheet: str) -> None:
    """``kaohe add-sheet BOOK sheet`` succeeds and every zip member but the package parts is byte-identical."""
    with zipfile.ZipFile(book) as z:
        before = {n: z.read(n) for n in z.namelist()}
    assert main(["add-sheet", str(book), sheet, "-q"]) == 0
    with zipfile.ZipFile(book) as z:
        after = {n: z.read(n) for n in z.namelist()}
    assert {n: b for n, b in before.items() if n not in PACKAGE_PARTS} == {n: after[n] for n in before
                                                                           if n not in PACKAGE_PARTS}


def test_add_sheet_appends_the_penalty_sheet_from_the_workbooks_rules_and_keeps_every_other_part(tmp_path, capsys):
    """``kaohe add-sheet``: 罚则 added with rows of this workbook's 规则 (迟到早退罚款 30); every other zip member
    byte-identical but the package parts listing the sheets; a second time refused (exit 2, unchanged)."""
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": late_by({2: 5}),
                                              "规则": [["参数", "值"], ["迟到早退罚款", 30]]})
    assert_added_keeping_every_other_part(book, "罚则")
    with zipfile.ZipFile(book) as z:
        assert "罚则" not in (read_record(Parts(z)) or set())  # HR's sheet from now on, not one kaohe replaces
    data = read_book(book)
    assert [r.amount for r in pt.rows_from_sheet(data.tables["penalties"]) if r.effect == pt.FINE][:2] == [30, 30]
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    assert summary(book)["迟到早退罚款"] == 30
    before = book.read_bytes()
    assert main(["add-sheet", str(book), "罚则", "-q"]) == 2
    assert "已有工作表“罚则”" in capsys.readouterr().err and book.read_bytes() == before


def test_add_sheet_refuses_a_sheet_it_has_no_builder_for(tmp_path, capsys):
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()]})
    assert main(["add-sheet", str(book), "奖惩"]) == 2
    assert "可添加：罚则" in capsys.readouterr().err


def test_a_day_without_punches_under_the_defaults_is_still_att_06(tmp_path):
    """The default 旷工 row: a workday without a punch is a day's absence (200.00), as ATT-06 says."""
    rows = late_by({})
    rows = [r for r in rows if not (isinstance(r[1], dt.datetime) and r[1].date() == dt.date(2026, 11, 2))]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": rows,
                                              "罚则": penalty_sheet.sheet_rows()})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    s = summary(book)
    assert (s["旷工天数"], s["旷工扣款"]) == (1, 200)


def test_LV_25_add_sheet_appends_the_leave_types_sheet_from_the_workbooks_rules(tmp_path):
    """``kaohe add-sheet BOOK 假别``: the 假别 sheet added with this workbook's 规则 numbers (婚假天数 5: the 婚假 row's
    额度 is 5), read back as the table in force, so a 5-day 婚假 that 规则 allows still passes; every other zip
    member but the package parts byte-identical."""
    from kaohe.engine.leave_sheet import leave_table_of
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": late_by({}),
                                              "规则": [["参数", "值"], ["婚假天数", 5]]})
    assert_added_keeping_every_other_part(book, "假别")
    data = read_book(book)
    table, policy, findings = leave_table_of(data.tables, DEFAULT)
    assert table.from_sheet and table.get("婚假").quota == 5 and "哺乳时间" in table
    assert policy.marriage_leave_days == 5 and not [f for f in findings if f.level == "错误"]


def test_ATT_19_the_run_summary_names_the_full_attendance_bonus_with_overtime_pay(tmp_path, capsys):
    """With a 全勤奖 row the pay total is 加班费 + 全勤奖, and the summary line says so (not "加班费" alone): no
    overtime, a clean month → ¥200.00."""
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": late_by({}),
                                              "罚则": [HEAD, row("全勤奖", "发放", 200)]})
    assert main(["compute-month", str(book), "--month", "2026-11"]) == 0
    assert "加班费、全勤奖 ¥200.00" in capsys.readouterr().out
