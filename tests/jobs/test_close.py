"""月结: close, refuse a recompute, reopen, 变更对比, corrections paid next month, frozen finance figures.

Figures worked by hand from docs/规则说明.md: daily wage 4350 / 21.75 = 200 (PAY-01); a late arrival of
1-30 minutes costs 20 (ATT-04); a workday without a punch is a day of 旷工 at one daily wage
(ATT-06, PAY-02); ordinary 病假 is paid at 80 %, so a sick day costs 40 (LV-04, PAY-03).
"""
import datetime as dt
import shutil

import openpyxl
import pytest
from builders import ROSTER_HEADER, late_absent_on_time, person, workdays, write_book

from kaohe.jobs import close
from kaohe.doors.cli import main
from kaohe.workbook.read import read_book

TEAM = "网店客服组"
NOV, DEC = "2026-11", "2026-12"


@pytest.fixture
def book(tmp_path):
    """November 2026: 001 late once on 11-02 (fine 20), 002 absent on 11-03 (200), 003 on time; December all on time."""
    rows = late_absent_on_time([*workdays(2026, 11), *workdays(2026, 12)])
    roster = [ROSTER_HEADER, person("001", "甲", TEAM), person("002", "乙", TEAM), person("003", "丙", TEAM)]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": rows})


def sheet_rows(path, name):
    ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def finance_people(path):
    ws = openpyxl.load_workbook(path)["财务汇总"]
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == "工号")
    return [r[0] for r in rows[:h] if r[0]], {r[0]: dict(zip(rows[h], r)) for r in rows[h + 1:]}


def edit_after_close(path):
    """The late leave form and the corrected punch: 002's absence of 11-03 becomes 病假 with proof,
    and 003 arrived at 08:41 on 11-05 (the clock's record was wrong)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["打卡记录"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "003" and row[1].value == dt.datetime(2026, 11, 5, 8, 25):
            row[1].value = dt.datetime(2026, 11, 5, 8, 41)
    leave = wb.create_sheet("请假记录")
    leave.append(["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料"])
    leave.append(["002", "病假", dt.datetime(2026, 11, 3, 8, 30), dt.datetime(2026, 11, 3, 17, 30),
                  dt.date(2026, 11, 3), "已批准", "有"])
    wb.save(path)


def test_close_then_compute_is_refused_and_nothing_is_written(book, capsys):
    assert main(["compute-month", str(book), "--month", NOV, "-q"]) == 0
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    log = sheet_rows(book, "月结记录")
    assert [(r["月份"], r["操作"], r["确认人"]) for r in log] == [(NOV, "月结", "王会计")]
    assert log[0]["员工人数"] == 3 and log[0]["调整合计"] == pytest.approx(-220)  # −20 (001) −200 (002)
    assert openpyxl.load_workbook(book)["月结汇总数据"].sheet_state == "hidden"
    before = book.read_bytes()
    capsys.readouterr()
    assert main(["compute-month", str(book), "--month", NOV, "-q"]) == 2
    err = capsys.readouterr().err
    assert "已于" in err and "王会计" in err and "月结" in err
    assert book.read_bytes() == before
    assert not list(book.parent.glob("*.bak-*")) or all(p.stat().st_size for p in book.parent.glob("*.bak-*"))
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 2  # closed twice: refused
    assert book.read_bytes() == before


def test_reopen_recompute_shows_exactly_the_changes_and_next_month_pays_them(book, tmp_path):
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    edit_after_close(book)
    assert main(["close", str(book), "--month", NOV, "--reopen", "补交病假单；打卡更正", "--by", "李主管", "-q"]) == 0
    log = sheet_rows(book, "月结记录")
    assert [(r["操作"], r["确认人"], r["原因"]) for r in log][-1] == ("重新打开", "李主管", "补交病假单；打卡更正")
    assert any(r["命令"] == "close --reopen" for r in sheet_rows(book, "运行记录"))
    assert main(["compute-month", str(book), "--month", NOV, "-q"]) == 0
    changes = sheet_rows(book, "变更对比")
    assert len(changes) == 3 * 8  # every employee × money column
    changed = {(r["工号"], r["项目"]): (r["月结数值"], r["当前数值"], r["差额"]) for r in changes if r["差额"]}
    assert changed == {("002", "旷工扣款"): (200, 0, -200), ("002", "病假扣款"): (0, 40, 40),
                       ("002", "调整合计"): (-200, -40, 160),
                       ("003", "迟到早退罚款"): (0, 20, 20), ("003", "调整合计"): (0, -20, -20)}
    assert {r["原因"] for r in changes} == {"补交病假单；打卡更正"}
    ws = openpyxl.load_workbook(book)["变更对比"]
    assert ws.conditional_formatting  # the changed rows are highlighted
    # Closing again freezes the new figures; December's finance export pays the difference.
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    nov = tmp_path / "nov.xlsx"
    assert main(["finance", str(book), "--month", NOV, "--out", str(nov), "-q"]) == 0
    assert finance_people(nov)[1]["002"]["旷工扣款"] == 0 and finance_people(nov)[1]["002"]["上月更正"] == 0
    dec = tmp_path / "dec.xlsx"
    assert main(["finance", str(book), "--month", DEC, "--out", str(dec), "-q"]) == 0
    _, people = finance_people(dec)
    assert (people["001"]["上月更正"], people["002"]["上月更正"], people["003"]["上月更正"]) == (0, 160, -20)
    assert (people["002"]["调整合计"], people["003"]["调整合计"]) == (160, -20)  # December itself: nothing
    assert people["合计"]["上月更正"] == pytest.approx(140)
    detail = [r for r in sheet_rows(dec, "更正明细") if r["月份"] != "合计"]
    assert {(r["月份"], r["工号"], r["项目"], r["上月更正"], r["原因"]) for r in detail} == {
        (NOV, "002", "旷工扣款", 200, "补交病假单；打卡更正"), (NOV, "002", "病假扣款", -40, "补交病假单；打卡更正"),
        (NOV, "003", "迟到早退罚款", -20, "补交病假单；打卡更正")}


def test_finance_of_a_closed_month_uses_the_frozen_figures(book, tmp_path):
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    first = tmp_path / "first.xlsx"
    assert main(["finance", str(book), "--month", NOV, "--out", str(first), "-q"]) == 0
    edit_after_close(book)
    later = tmp_path / "later.xlsx"
    assert main(["finance", str(book), "--month", NOV, "--out", str(later), "-q"]) == 0
    cover, people = finance_people(later)
    assert people["002"]["旷工扣款"] == 200 and people["003"]["迟到早退罚款"] == 0  # as closed
    assert people == finance_people(first)[1]
    line = next(t for t in cover if t.startswith("月结："))
    fp = sheet_rows(book, "月结记录")[0]["汇总指纹"]
    assert "已月结" in line and "王会计" in line and fp in line


def test_finance_cover_says_when_a_month_is_not_closed(book, tmp_path):
    out = tmp_path / "f.xlsx"
    assert main(["finance", str(book), "--month", NOV, "--out", str(out), "-q"]) == 0
    cover, _ = finance_people(out)
    assert any(t.startswith("月结：未月结") for t in cover)


def test_fingerprints_are_of_the_values(book, tmp_path):
    assert main(["compute-month", str(book), "--month", NOV, "-q"]) == 0
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    entry = sheet_rows(book, "月结记录")[0]
    ws = openpyxl.load_workbook(book)["月度汇总"]
    shown = [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] != "合计"]
    assert entry["汇总指纹"] == close.values_fingerprint(shown)
    assert entry["输入指纹"] == close.input_fingerprint(read_book(book).tables, NOV)
    # Another file with the same values, rows in another order, other formats, a punch of another month: same.
    same = tmp_path / "same.xlsx"
    shutil.copy(book, same)
    wb = openpyxl.load_workbook(same)
    ws = wb["打卡记录"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    ws.delete_rows(2, ws.max_row)
    for r in reversed(rows):
        ws.append(r)
    ws.append(["001", dt.datetime(2026, 10, 31, 8, 20)])
    for cell in ws["B"]:
        cell.number_format = "yyyy/m/d h:mm"
    wb.save(same)
    assert close.input_fingerprint(read_book(same).tables, NOV) == entry["输入指纹"]
    edit_after_close(same)
    assert close.input_fingerprint(read_book(same).tables, NOV) != entry["输入指纹"]


def test_close_refuses_a_summary_computed_before_the_inputs_changed(book, capsys):
    assert main(["compute-month", str(book), "--month", NOV, "-q"]) == 0
    edit_after_close(book)
    before = book.read_bytes()
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 2
    assert "计算本月" in capsys.readouterr().err and book.read_bytes() == before


def test_check_leave_keeps_the_rows_of_a_closed_month(book):
    wb = openpyxl.load_workbook(book)
    leave = wb.create_sheet("请假记录")
    leave.append(["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料"])
    leave.append(["002", "病假", dt.datetime(2026, 11, 3, 8, 30), dt.datetime(2026, 11, 3, 17, 30),
                  dt.date(2026, 11, 3), "已批准", "有"])
    wb.save(book)
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    wb["请假记录"]["G2"] = None  # the proof is taken away after the close: LV-02 would now make it 警告
    wb.save(book)
    assert main(["check-leave", str(book), "-q"]) == 0
    rows = sheet_rows(book, "请假校验")
    assert [(r["工号"], r["假别"], r["校验结果"]) for r in rows] == [("002", "病假", "通过")]


def test_import_keeps_the_punches_of_a_closed_month_out(book, tmp_path):
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("人员对照").append(["工号", "考勤号码"])
    wb["人员对照"].append(["001", "1"])
    wb.save(book)
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    dat = tmp_path / "1_attlog.dat"
    lines = [f"        1\t2026-11-{d:02d} 08:20:00\t1\t0\t1\t0" for d in (5, 6, 7)] + [
        "        1\t2026-12-01 08:20:00\t1\t0\t1\t0"]
    dat.write_bytes("\r\n".join(lines).encode() + b"\r\n")
    assert main(["import", str(book), str(dat), "-q"]) == 0
    imported = [r for r in openpyxl.load_workbook(book)["打卡导入"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1]) for r in imported] == [("001", dt.datetime(2026, 12, 1, 8, 20))]
    problems = [r for r in sheet_rows(book, "问题清单") if "已月结" in str(r["问题"])]
    assert len(problems) == 1 and "3 条" in problems[0]["问题"] and problems[0]["级别"] == "警告"


def test_compute_of_another_month_keeps_the_closed_leave_rows_and_slips_show_the_frozen_figures(book, tmp_path):
    from kaohe.jobs import slips
    from kaohe.jobs.slips import slips_job

    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    edit_after_close(book)  # 002's 病假 of 11-03 appears after the close
    assert main(["compute-month", str(book), "--month", DEC, "-q"]) == 0
    assert [r["工号"] for r in sheet_rows(book, "请假校验")] == []  # November's leave rows as closed: none
    job = slips_job(book, NOV, tmp_path / "s.xlsx", pdf=False)
    rows = list(openpyxl.load_workbook(job.written).active.iter_rows(values_only=True))
    amounts = [r[2] for r in rows if r[0] == "旷工扣款"]
    assert amounts == [0, 200, 0] and job.summary["closed"]  # 002's absence as closed, not as now
    assert job.summary["stale"] and sum(r[0] == slips.STALE for r in rows) == 3  # said on every page
    assert any(r[3] == "LV-04 第三十一条: 请假 病假1天" for r in rows)  # the day as the inputs now say, with its rule


def test_a_new_hire_of_the_next_month_does_not_change_the_closed_months_fingerprint(book, tmp_path):
    from kaohe.jobs.slips import slips_job

    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    closed_fp = sheet_rows(book, "月结记录")[0]["输入指纹"]
    wb = openpyxl.load_workbook(book)
    wb["员工名册"].append(person("004", "丁", TEAM, hired=dt.date(2026, 12, 1)))
    wb.save(book)
    assert close.input_fingerprint(read_book(book).tables, NOV) == closed_fp
    assert not slips_job(book, NOV, tmp_path / "s.xlsx", pdf=False).summary["stale"]


def test_finance_of_a_closed_month_whose_frozen_copy_was_deleted_is_refused(book, tmp_path, capsys):
    assert main(["close", str(book), "--month", NOV, "--by", "王会计", "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    del wb["月结汇总数据"]
    wb.save(book)
    assert main(["finance", str(book), "--month", NOV, "--out", str(tmp_path / "f.xlsx"), "-q"]) == 2
    assert "月结汇总数据" in capsys.readouterr().err and not (tmp_path / "f.xlsx").exists()
