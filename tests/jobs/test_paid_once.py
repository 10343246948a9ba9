"""Money out once: a month reaches finance once, whatever the finance file is called; later changes travel as
上月更正 with the next month not yet sent, exactly once. Mail goes to a real SMTP server on 127.0.0.1.

Figures worked by hand from docs/规则说明.md (as in tests/test_close.py): daily wage 4350 / 21.75 = 200 (PAY-01);
a late arrival of 1-30 minutes costs 20 (ATT-04); a workday without a punch is a day of 旷工 at one daily wage
(ATT-06, PAY-02); ordinary 病假 is paid at 80 %, so a sick day costs 40 (LV-04, PAY-03).

November 2026 as first closed: 001 late on 11-02 (−20), 002 absent on 11-03 (−200), 003 on time: −220.
The correction (edit_after_close): 002's absence becomes a sick day (200 refunded, 40 deducted: +160) and 003
arrived at 08:41 on 11-05 (−20): November becomes −80, a difference of +140. December and January: all on time.
"""
import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from builders import ROSTER_HEADER, late_absent_on_time, person, workdays, write_book
from test_close import edit_after_close, finance_people, sheet_rows
from test_finance_mail import mail_env, plain, serve  # noqa: F401  (mail_env: the fixture)
from test_whole import audit_errors

from kaohe.doors.cli import main

NOV, DEC, JAN = "2026-11", "2026-12", "2027-01"
TEAM = "网店客服组"
FIN = "fin@example.com"


@pytest.fixture
def book(tmp_path):
    rows = late_absent_on_time([*workdays(2026, 11), *workdays(2026, 12), *workdays(2027, 1)])
    roster = [ROSTER_HEADER, person("001", "甲", TEAM), person("002", "乙", TEAM), person("003", "丙", TEAM)]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": rows})


@pytest.fixture
def inbox(mail_env):  # noqa: F811
    controller, box = serve(auth_require_tls=False)
    plain(mail_env, controller)
    yield box
    controller.stop()


def run(*args) -> int:
    return main([*map(str, args), "-q"])


def compute_and_close(book, month, by="王会计"):
    assert run("compute-month", book, "--month", month) == 0
    assert run("close", book, "--month", month, "--by", by) == 0


def correct_november(book):
    """Reopen November, make the correction of the module docstring, compute and close it again."""
    assert run("close", book, "--month", NOV, "--reopen", "补交病假单；打卡更正", "--by", "李主管") == 0
    edit_after_close(book)
    compute_and_close(book, NOV)


def cover(path):
    return finance_people(path)[0]


def corrections_of(path):
    """工号 -> 上月更正 of a finance file's rows (合计 included)."""
    return {e: r["上月更正"] for e, r in finance_people(path)[1].items()}


def body(message):
    return message.get_body(("plain",)).get_content()


def test_a_corrected_month_is_paid_once_whatever_the_file_is_called(book, tmp_path, inbox, capsys):
    errors_before = audit_errors(book)
    compute_and_close(book, NOV)
    assert run("finance", book, "--month", NOV) == 0
    first = tmp_path / "财务汇总_2026-11.xlsx"
    assert run("send", first, "--to", FIN) == 0
    (_, sent), = inbox.messages
    assert sent["Subject"] == "2026-11 考勤扣款及加班费汇总（财务汇总）" and "调整合计：-220.00 元" in body(sent)
    # nothing corrected in November's own mail: no pointer to a 更正明细 sheet the file does not have
    assert "上月更正合计：0.00 元\n" in body(sent) and "更正明细" not in body(sent)
    assert audit_errors(book) <= errors_before  # the records of the export and the send: nothing Excel repairs
    correct_november(book)
    # Another folder, another name: the file still knows its month, and the workbook knows it was sent.
    other = tmp_path / "给财务" / "十一月工资扣款（改）.xlsx"
    other.parent.mkdir()
    assert run("finance", book, "--month", NOV, "--out", other) == 0
    lines = cover(other)
    assert lines[0] == "财务汇总 2026-11（更正版·仅供核对，不是付款依据）"
    assert any(t.startswith("已发送财务：") and FIN in t and "调整合计 -220.00 元" in t for t in lines)
    said = next(t for t in lines if t.startswith("差额"))
    assert "调整合计 +140.00 元" in said and "2026-12 的上月更正 +140.00 元" in said and "请勿按本表重复支付" in said
    diff = {(r["工号"], r["项目"]): (r["已发送数值"], r["本表数值"], r["差额"]) for r in sheet_rows(other, "更正差额")}
    assert diff == {("002", "旷工扣款"): (200, 0, -200), ("002", "病假扣款"): (0, 40, 40),
                    ("002", "调整合计"): (-200, -40, 160), ("003", "迟到早退罚款"): (0, 20, 20),
                    ("003", "调整合计"): (0, -20, -20)}
    capsys.readouterr()
    assert run("send", other, "--to", FIN) == 2  # refused: when, to whom, where the difference goes
    err = capsys.readouterr().err
    assert "已于" in err and FIN in err and "2026-12 的上月更正 +140.00 元" in err and "--resend" in err
    assert run("send", first, "--to", FIN) == 2  # the first file is refused as well: the month was sent
    assert len(inbox.messages) == 1
    assert run("send", other, "--to", FIN, "--resend", "补交病假单后更正") == 0
    (_, resent) = inbox.messages[1]
    assert resent["Subject"] == "【更正版·勿重复支付】2026-11 考勤扣款及加班费汇总（财务汇总）"
    text = body(resent)
    assert "重发原因：补交病假单后更正" in text and "请勿重复支付" in text and "仅供核对" in text
    assert "2026-12 的上月更正 +140.00 元" in text
    # December pays the difference, exactly once: 002 +160, 003 −20; December itself costs nothing.
    compute_and_close(book, DEC)
    dec = tmp_path / "dec.xlsx"
    assert run("finance", book, "--month", DEC, "--out", dec) == 0
    assert corrections_of(dec) == {"001": 0, "002": 160, "003": -20, "合计": 140}
    assert {e: r["调整合计"] for e, r in finance_people(dec)[1].items()} == {"001": 0, "002": 160, "003": -20, "合计": 140}
    assert run("send", dec, "--to", FIN) == 0
    dec_mail = body(inbox.messages[2][1])
    # The body adds up: 加班费 0 − 罚款及扣款 0 + KPI 0 + 上月更正 140 = 调整合计 140.
    assert "上月更正合计：140.00 元（补发为正，扣回为负，明细见附件“更正明细”表）" in dec_mail
    assert "调整合计：140.00 元" in dec_mail
    assert "罚款及扣款合计：0.00 元" in dec_mail and "加班费合计：0.00 元" in dec_mail
    # November corrected once more (001's late arrival of 11-02 was a clock error: +20): only that travels, and
    # with January, December having gone. The +140 is not paid again.
    assert run("close", book, "--month", NOV, "--reopen", "打卡机时间错误", "--by", "李主管") == 0
    wb = openpyxl.load_workbook(book)
    for row in wb["打卡记录"].iter_rows(min_row=2):
        if row[0].value == "001" and row[1].value == dt.datetime(2026, 11, 2, 8, 41):
            row[1].value = dt.datetime(2026, 11, 2, 8, 25)
    wb.save(book)
    compute_and_close(book, NOV)
    jan = tmp_path / "jan.xlsx"
    assert run("finance", book, "--month", JAN, "--out", jan) == 0
    assert corrections_of(jan) == {"001": 20, "002": 0, "003": 0, "合计": 20}
    detail = [(r["月份"], r["工号"], r["项目"], r["上月更正"]) for r in sheet_rows(jan, "更正明细") if r["月份"] != "合计"]
    assert detail == [(NOV, "001", "迟到早退罚款", 20)]
    assert audit_errors(other) == audit_errors(first)  # the 更正版's sheet and properties: nothing to repair
    log = [(r["月份"], r["操作"], r["版本"]) for r in sheet_rows(book, "财务发送记录")]
    assert log == [(NOV, "导出", "付款表"), (NOV, "发送", "付款表"), (NOV, "导出", "更正版"), (NOV, "重发更正版", "更正版"),
                   (DEC, "导出", "付款表"), (DEC, "发送", "付款表"), (JAN, "导出", "付款表")]


def test_sent_unclosed_then_recomputed_and_closed_the_difference_reaches_the_next_month(book, tmp_path, inbox):
    nov = tmp_path / "nov.xlsx"
    assert run("finance", book, "--month", NOV, "--out", nov) == 0
    assert run("send", nov, "--to", FIN, "--unclosed") == 0
    edit_after_close(book)  # the same correction, before the month was ever closed
    compute_and_close(book, NOV)
    dec = tmp_path / "dec.xlsx"
    assert run("finance", book, "--month", DEC, "--out", dec) == 0
    assert corrections_of(dec) == {"001": 0, "002": 160, "003": -20, "合计": 140}
    detail = {r["原因"] for r in sheet_rows(dec, "更正明细") if r["月份"] != "合计"}
    assert detail == {"月结前已按未月结的数字发送财务"}


def test_a_month_corrected_before_it_was_ever_sent_pays_the_corrected_figures_and_nothing_twice(book, tmp_path,
                                                                                                inbox, capsys):
    compute_and_close(book, NOV)
    correct_november(book)  # booked against the first close: December would carry +140 …
    dec = tmp_path / "dec.xlsx"
    assert run("finance", book, "--month", DEC, "--out", dec) == 0
    assert corrections_of(dec)["合计"] == 140
    nov = tmp_path / "nov.xlsx"  # … until November's own file, with the corrected figures, goes to finance
    assert run("finance", book, "--month", NOV, "--out", nov) == 0
    assert cover(nov)[0] == "财务汇总 2026-11" and finance_people(nov)[1]["合计"]["调整合计"] == -80
    assert run("send", nov, "--to", FIN) == 0
    capsys.readouterr()
    assert run("send", dec, "--to", FIN, "--unclosed") == 2  # December's file still carries +140: out of date
    assert "已过期" in capsys.readouterr().err
    assert run("finance", book, "--month", DEC, "--out", dec) == 0
    assert corrections_of(dec) == {"001": 0, "002": 0, "003": 0, "合计": 0}
    wb = openpyxl.load_workbook(dec)
    assert "更正明细" not in wb.sheetnames


def test_a_month_whose_corrections_another_month_paid_is_not_sent_as_a_payment(book, tmp_path, inbox, capsys):
    compute_and_close(book, NOV)
    correct_november(book)
    dec = tmp_path / "dec.xlsx"
    assert run("finance", book, "--month", DEC, "--out", dec) == 0
    assert run("send", dec, "--to", FIN, "--unclosed") == 0  # pays November's +140
    nov = tmp_path / "nov.xlsx"
    assert run("finance", book, "--month", NOV, "--out", nov) == 0
    capsys.readouterr()
    assert run("send", nov, "--to", FIN) == 2
    assert "已随 2026-12 的财务表发给财务" in capsys.readouterr().err and len(inbox.messages) == 1


def test_an_encrypted_finance_file_is_known_by_its_bytes_in_the_workbook(book, tmp_path, inbox, capsys, monkeypatch):
    monkeypatch.setenv("FIN_PW", "月底密码")
    compute_and_close(book, NOV)
    locked = tmp_path / "locked.xlsx"
    assert run("finance", book, "--month", NOV, "--out", locked, "--password-env", "FIN_PW") == 0
    capsys.readouterr()
    assert run("send", locked, "--to", FIN) == 2 and "--book" in capsys.readouterr().err
    assert run("send", locked, "--to", FIN, "--book", book) == 0
    (_, sent), = inbox.messages
    assert "调整合计：-220.00 元" in body(sent)  # from the recorded figures: the file cannot be read
    assert run("send", locked, "--to", FIN, "--book", book) == 2


def test_send_never_mails_punch_times_or_dated_rows_per_employee(book, tmp_path, inbox, capsys):
    from kaohe.jobs.slips import slips_job

    slips = slips_job(book, NOV, tmp_path / "个人考勤确认单_2026-11.xlsx", pdf=False).written
    renamed = tmp_path / "2026-11.xlsx"  # the same slips under another file and sheet name: refused by content
    wb = openpyxl.load_workbook(slips)
    wb.active.title = "十一月"
    wb.save(renamed)
    leave = write_book(tmp_path / "假期明细.xlsx", {"明细": [["工号", "姓名", "日期", "天数"], ["002", "乙", dt.date(2026, 11, 3), 1],
                                                          ["002", "乙", dt.date(2026, 11, 4), 1]]})
    clock = write_book(tmp_path / "时间.xlsx", {"汇总": [["编号", "上班"], ["A", dt.time(8, 41)]]})
    for path, says in ((slips, "个人考勤确认单"), (renamed, "时刻（第5行第3列：08:41 12:00 13:30 17:30）"),
                       (leave, "同一工号的多行日期记录（如 002）"), (clock, "时刻")):
        assert run("send", path, "--to", FIN, "--any-file") == 2, path
        assert says in capsys.readouterr().err
    fine = write_book(tmp_path / "说明.xlsx", {"说明": [["工号", "入职日期", "金额"], ["001", dt.date(2020, 1, 1), 20],
                                                       ["002", dt.date(2020, 1, 1), 0]]})
    assert run("send", fine, "--to", FIN, "--any-file") == 0  # one dated row per person, no times: may go
    assert len(inbox.messages) == 1


def test_kpi_staff_missing_from_the_roster_with_nothing_to_pay_are_no_reason_to_refuse(tmp_path):
    kpi_roster = [ROSTER_HEADER] + [person(e, n, TEAM) for e, n in (("001", "甲"), ("002", "乙"), ("003", "丙"))]
    kpi_rows = [["月份", "工号", "咨询转化率", "自评分", "报表整体质量"], ["2026-11", "001", 0.6, 90, 30],
                ["2026-11", "002", 0.4, 80, 20], ["2026-11", "003", 0.2, 70, 10]]
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人"], ["咨询转化率", 70, "越高越好", 0.6, 0.2, "数据"],
             ["报表整体质量", 30, "越高越好", None, None, "店长"]]
    kpi = write_book(tmp_path / "客服绩效.xlsx", {"员工名册": kpi_roster, "KPI数据": kpi_rows, "KPI规则": rules})
    rows = late_absent_on_time(workdays(2026, 11))
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "甲", TEAM), person("003", "丙", TEAM)],
                                             "打卡记录": [r for r in rows if r[0] != "002"]})
    out = tmp_path / "f.xlsx"
    # 乙 (002, second of three) earns 0 (KPI-04): not on the attendance roster, and nothing is lost.
    assert run("finance", book, "--month", NOV, "--kpi", kpi, "--out", out) == 0
    people = finance_people(out)[1]
    assert {e: r["KPI奖惩"] for e, r in people.items()} == {"001": 100, "003": -100, "合计": 0}


def test_month_end_script_refuses_a_month_already_sent_unless_resending(book, tmp_path, inbox):
    script = Path(__file__).resolve().parents[2] / "scripts" / "month_end.py"

    def month_end(*extra):
        return subprocess.run([sys.executable, str(script), str(book), "--month", NOV, "--to", FIN,
                               "--close-by", "王会计", *extra], capture_output=True, text=True, timeout=300)

    assert month_end().returncode == 0
    correct_november(book)
    before = book.read_bytes()
    done = month_end()
    assert done.returncode == 2 and "--resend" in done.stderr and book.read_bytes() == before
    done = month_end("--resend", "补交病假单")
    assert done.returncode == 0, done.stderr
    assert [m["Subject"] for _, m in inbox.messages] == [
        "2026-11 考勤扣款及加班费汇总（财务汇总）", "【更正版·勿重复支付】2026-11 考勤扣款及加班费汇总（财务汇总）"]
    assert "重发原因：补交病假单" in body(inbox.messages[1][1])
