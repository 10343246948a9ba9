"""打印确认单: 个人考勤确认单 printed to PDF through LibreOffice, checked structurally (pdfinfo, pdftotext).

Figures by hand (docs/规则说明.md): 001 is 11 minutes late on each of the 25 workdays of November 2026
(Mon-Sat, ATT-01): 25 × 20 = 500 (ATT-04); 002 misses 11-03 entirely: 1 day × 200 (ATT-06, PAY-02);
003 is on time. 001's 25 event lines do not fit beside the footer: a second page with the header.
"""
import datetime as dt
import re
import subprocess

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book

from kaohe.doors.cli import main
from kaohe.jobs.slips import slips_job

NOV = "2026-11"


@pytest.fixture
def book(tmp_path):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows += punches_for("001", day, "08:41", "12:00", "13:30", "17:30")
        if day != dt.date(2026, 11, 3):
            rows += full_day("002", day)
        rows += full_day("003", day)
    roster = [ROSTER_HEADER, person("001", "甲", "客服部"), person("002", "乙", "客服部"), person("003", "丙", "仓储部")]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": rows})


def page_texts(pdf):
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                              check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for i in range(1, pages + 1)]


def money(text):
    return float(text.replace("¥", "").replace(",", ""))


def test_slips_pdf_one_page_per_employee_totals_equal_the_monthly_summary(book, tmp_path):
    out = tmp_path / "slips" / "确认单.xlsx"
    out.parent.mkdir()
    assert main(["slips", str(book), "--month", NOV, "--out", str(out), "-q"]) == 0
    pages = page_texts(out.with_suffix(".pdf"))
    assert len(pages) == 3 + 1  # 001's long month continues on a second page
    assert all("个人考勤确认单" in p and f"月份：{NOV}" in p for p in pages)  # the header on every page
    assert not any("###" in p for p in pages)
    who = [re.search(r"工号：(\d+)", p).group(1) for p in pages]
    assert who == ["001", "001", "002", "003"]
    assert "续页 1/2" in pages[0] and "续页 2/2" in pages[1]
    assert "本人确认以上考勤记录无误" not in pages[0]
    last = {w: p for w, p in zip(who, pages)}  # each employee's last page holds the totals and the signature
    totals = {w: money(re.search(r"调整合计（负数为扣款）\s+(-?¥[\d,.]+)", p).group(1)) for w, p in last.items()}
    assert totals == {"001": -500, "002": -200, "003": 0}
    assert main(["compute-month", str(book), "--month", NOV, "-q"]) == 0
    rows = list(openpyxl.load_workbook(book)["月度汇总"].iter_rows(values_only=True))
    summary = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    for w, p in last.items():
        assert totals[w] == summary[w]["调整合计"]
        assert money(re.search(r"迟到早退罚款\s+(¥[\d,.]+)", p).group(1)) == summary[w]["迟到早退罚款"]
        assert "本人确认以上考勤记录无误" in p and "员工签名" in p and "异议" in p
    assert len(re.findall(r"ATT-04 第十九条: 上午上班 08:41, 迟到11分钟", pages[0] + pages[1])) == 25
    assert "ATT-06" in last["002"] and "11-03" in last["002"]


def test_slips_of_one_department(book, tmp_path):
    job = slips_job(book, NOV, tmp_path / "仓储.xlsx", dept="仓储部", pdf=False)
    ws = openpyxl.load_workbook(job.written).active
    text = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v]
    assert any("工号：003" in t for t in text) and not any("工号：001" in t or "工号：002" in t for t in text)
    assert job.summary["pages"] == 1 and len(ws.row_breaks.brk) == 0
    assert main(["slips", str(book), "--month", NOV, "--dept", "不存在的部门", "-q"]) == 2


def test_slips_title_names_the_company_of_the_rules_sheet(tmp_path):
    rows = [["工号", "打卡时间"]] + [r for day in workdays(2026, 11) for r in full_day("001", day)]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "甲", "客服部")],
                                             "打卡记录": rows, "规则": [["参数", "值"], ["公司名称", "华东商贸有限公司"]]})
    job = slips_job(book, NOV, tmp_path / "确认单.xlsx", pdf=False)
    text = [str(v) for row in openpyxl.load_workbook(job.written).active.iter_rows(values_only=True) for v in row if v]
    assert "华东商贸有限公司 个人考勤确认单" in text


def test_slips_print_every_event_in_full(tmp_path):
    """October 2026 (国庆: 10-01 is a statutory holiday, CALENDAR): 001 works 08:30–17:30 on 10-01 with approved
    overtime paid in money — 7.5 hours (lunch 12:00–13:30 excluded) at 3 × 200 / 8 = 75 an hour: 562.50 (OT-03,
    PAY-05); on 10-12 is 11 minutes late (20, ATT-04) and leaves 90 minutes early (over 30 minutes: half a day
    of 旷工, ATT-04/ATT-06, 100); on 10-13 is late again and misses the noon punch (20, ATT-05). Each day's events
    are printed whole, each on its line, in the PDF the employee signs."""
    import pdfplumber

    rows = [["工号", "打卡时间"], *punches_for("001", dt.date(2026, 10, 1), "08:25", "12:01", "13:25", "17:31")]
    for day in workdays(2026, 10):
        times = {dt.date(2026, 10, 12): ("08:41", "12:00", "13:30", "16:00"),
                 dt.date(2026, 10, 13): ("08:41", "13:30", "17:30")}.get(day)
        rows += punches_for("001", day, *times) if times else full_day("001", day)
    overtime = [["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "总经理审批", "补偿方式"],
                ["001", dt.date(2026, 10, 1), dt.datetime(2026, 10, 1, 8, 30), dt.datetime(2026, 10, 1, 17, 30),
                 "已批准", "已批准", "已批准", "加班费"]]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "甲", "客服部")],
                                             "打卡记录": rows, "加班申请": overtime})
    out = tmp_path / "确认单.xlsx"
    assert main(["slips", str(book), "--month", "2026-10", "--out", str(out), "-q"]) == 0
    with pdfplumber.open(out.with_suffix(".pdf")) as pdf:
        (page,) = pdf.pages
        head = {}
        for w in page.extract_words():  # the first of each word: the table header
            head.setdefault(w["text"], w)
        left, right = head["事项（时间、依据）"]["x0"] - 2, head["罚款"]["x0"] - 2  # the 事项 / 依据 column
        chars = sorted((c for c in page.chars if left <= c["x0"] and c["x1"] <= right),
                       key=lambda c: (round(c["top"]), c["x0"]))  # line by line, left to right
        column = "".join(c["text"] for c in chars if not c["text"].isspace())
        whole = "".join(page.extract_text().split())
    expected = ["OT-02 第七条/OT-03 第九条: 已审批, 审批 08:30–17:30, 打卡 08:25–12:01、13:25–17:31, 计7.5小时, "
                "法定节假日3倍, 加班费562.50元",
                "ATT-04 第十九条: 上午上班 08:41, 迟到11分钟, 罚款20元",
                "ATT-04 第十九条: 下午下班 16:00, 早退90分钟, 超过30分钟按旷工半天",
                "ATT-05 第十七条: 上午下班缺卡, 罚款20元",
                "ATT-04/ATT-06 第十九、二十三条, PAY-02: 旷工0.5天 × 日工资200.00元",
                "OT-02/OT-03 第七、九条: 加班7.5小时, 加班费562.50元"]
    for text in expected:
        assert "".join(text.split()) in column, text
    assert column.count("ATT-04第十九条:上午上班08:41,迟到11分钟,罚款20元") == 2  # 10-12 and 10-13
    summary = "应出勤 21 天，实出勤 20.5 天；迟到 2 次，早退 0 次，缺卡 1 次；旷工 0.5 天；请假 无；加班 7.5 小时"
    assert "".join(summary.split()) in whole
    assert "调整合计（负数为扣款）¥402.50" in whole  # 562.50 − 40 − 20 − 100
