"""The kaohe command end to end on real files, read back by sheet and header name."""
import datetime as dt
import os

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book

from kaohe.doors.cli import main



def sheet_rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:] if any(v is not None for v in r)]


def small_book(tmp_path):
    """001: one late arrival (08:41) and one missing punch; 002 (hired 2 Nov): paper attendance, then clean."""
    rows = [["工号", "姓名", "打卡时间"]]
    for day in workdays(2026, 11):
        if day == dt.date(2026, 11, 2):
            rows += [r[:1] + ["张三"] + r[1:] for r in punches_for("001", day, "08:41", "12:00", "13:30", "17:30")]
        elif day == dt.date(2026, 11, 3):
            rows += [r[:1] + ["张三"] + r[1:] for r in punches_for("001", day, "08:20", "12:00", "13:30")]
        else:
            rows += [r[:1] + ["张三"] + r[1:] for r in full_day("001", day)]
        if day >= dt.date(2026, 11, 9):
            rows += [r[:1] + ["李四"] + r[1:] for r in full_day("002", day)]
    roster = [ROSTER_HEADER, person(), person("002", "李四", hired=dt.date(2026, 11, 2), base=5000)]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": rows})


def test_compute_month_writes_the_contract_sheets(tmp_path, capsys):
    book = small_book(tmp_path)
    out = tmp_path / "结果.xlsx"
    assert main(["compute-month", str(book), "--month", "2026-11", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "员工 2 人" in printed
    summary = {r["工号"]: r for r in sheet_rows(out, "月度汇总")}
    assert summary["001"]["迟到次数"] == 1 and summary["001"]["迟到早退罚款"] == 20
    assert summary["001"]["缺卡次数"] == 1 and summary["001"]["缺卡罚款"] == 20
    assert summary["001"]["调整合计"] == -40 and summary["001"]["社保自理"] == "否"
    # 002: hired Mon 2 Nov; 2..8 Nov paper attendance (no punches, not absent); due 2..30 minus 4 Sundays = 25.
    assert summary["002"]["应出勤天数"] == 25 and summary["002"]["旷工天数"] == 0 and summary["002"]["实出勤天数"] == 25
    total = summary["合计"]
    assert total["迟到早退罚款"] == 20 and total["缺卡罚款"] == 20 and total["调整合计"] == -40
    daily = sheet_rows(out, "每日明细")
    assert len(daily) == 2 * 30  # one row per employee and date of the month
    before_hire = next(r for r in daily if r["工号"] == "002" and r["日期"] == dt.datetime(2026, 11, 1))
    assert before_hire["说明"] == "ATT-09 第十五条: 不在职（入职 2026-11-02）" and before_hire["罚款"] == 0
    day = next(r for r in daily if r["工号"] == "001" and r["日期"] == dt.datetime(2026, 11, 2))
    assert day["上午上班"] == dt.time(8, 41) and day["迟到分钟"] == 11 and day["罚款"] == 20
    assert "ATT-04 第十九条: 上午上班 08:41, 迟到11分钟, 罚款20元" in day["说明"]
    assert sheet_rows(out, "运行记录")[0]["命令"] == "compute-month"


def test_output_sheet_print_setup_and_freeze(tmp_path):
    book = small_book(tmp_path)
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    ws = openpyxl.load_workbook(book)["月度汇总"]
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # wide: a readable scale over several pages, 工号 and 姓名 repeated (see test_printing.py)
    assert ws.page_setup.scale == 70 and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    assert ws["M2"].number_format == '"¥"#,##0.00'  # 旷工扣款
    assert ws["A1"].font.b
    assert any(cf.sqref for cf in ws.conditional_formatting)


def test_running_twice_gives_the_same_values(tmp_path):
    book = small_book(tmp_path)
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    first = {s: sheet_rows(book, s) for s in ("每日明细", "月度汇总", "请假校验", "问题清单")}
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    assert {s: sheet_rows(book, s) for s in first} == first
    assert len(sheet_rows(book, "运行记录")) == 2


def test_demo(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    result = tmp_path / "考勤示例_2026-10_结果.xlsx"
    assert str(result) in printed and "员工 40 人" in printed
    summary = sheet_rows(result, "月度汇总")
    people, total = summary[:-1], summary[-1]
    assert len(people) == 40 and total["工号"] == "合计"
    for col in ("迟到早退罚款", "缺卡罚款", "旷工扣款", "事假扣款", "病假扣款", "加班费", "调整合计"):
        assert total[col] == pytest.approx(sum(r[col] for r in people))
    for r in people:
        deductions = sum(r[c] for c in ("迟到早退罚款", "缺卡罚款", "代打卡罚款", "旷工扣款", "事假扣款", "病假扣款"))
        assert r["调整合计"] == pytest.approx(r["加班费"] - deductions)
    checks = {r["假别"] + r["校验结果"] for r in sheet_rows(result, "请假校验")}
    assert "事假不通过" in checks and "病假警告" in checks


def test_check_leave(tmp_path):
    rows = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
            ["001", "事假", dt.date(2026, 11, 2), dt.date(2026, 11, 2), dt.date(2026, 11, 1), "已批准"],
            ["001", "婚假", dt.date(2026, 11, 5), dt.date(2026, 11, 7), dt.date(2026, 11, 4), "待审批"]]
    book = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": [["工号", "打卡时间"]],
                                            "请假记录": rows})
    assert main(["check-leave", str(book), "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    assert "每日明细" not in wb.sheetnames
    results = [r["校验结果"] for r in sheet_rows(book, "请假校验")]
    assert results == ["通过", "不通过"]


def test_a_second_run_on_the_same_workbook_is_refused(tmp_path, capsys):
    book = small_book(tmp_path)
    lock = tmp_path / f".~kaohe.{book.name}.lock"
    lock.write_text(str(os.getppid()))  # a live process holds it
    assert main(["compute-month", str(book), "--month", "2026-11"]) == 2
    assert "另一个 kaohe 正在处理此工作簿" in capsys.readouterr().err
    lock.write_text("999999999")  # a stale lock from a killed run is taken over
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    assert not lock.exists()


def test_help_is_chinese_and_english(capsys):
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    assert "计算本月" in text and "compute the attendance month" in text
