"""A money item is one entry of the registry (kaohe.policy.items): added there alone, it is charged by the ledger and
shown by every output made from it — a column of 月度汇总, a line of the 个人考勤确认单, a column of the finance
workbook and a total of the mail to finance.

Figures worked by hand from docs/规则说明.md: base 4350 gives a daily wage of 200 (PAY-01). 001 takes 婚假 Mon 2 –
Wed 4 November 2026 (3 workdays; regular staff, registered 2026-10-01, applied 2026-10-20, proof given: LV-05 passes)
and is on time every other workday. The company of this test pays 婚假 at half the daily wage: the new item
婚假扣款 charges 3 days × 200 × 50 % = 300, so 调整合计 is −300.
"""
import dataclasses
import datetime as dt

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, workdays, write_book
from test_close import finance_people
from test_finance_mail import mail_env, plain, serve  # noqa: F401  (mail_env: the fixture)

from kaohe.doors.cli import main
from kaohe.jobs.slips import slips_job
from kaohe.policy import items
from kaohe.policy.items import DEDUCTED, DEDUCTIONS, Item

NOV = "2026-11"
LEAVE = [dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)]
HALF_PAID = Item("marriage_deduction", "婚假扣款", DEDUCTED, "LV-05", DEDUCTIONS, unit="天", leave_type="婚假",
                 paid_share=0.5)


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setattr(items, "BUILT_IN", (*items.BUILT_IN, HALF_PAID))  # the registry: nothing else changes
    punches = [["工号", "打卡时间"]] + [r for day in workdays(2026, 11, skip=LEAVE) for r in full_day("001", day)]
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料", "事由日期"],
             ["001", "婚假", LEAVE[0], LEAVE[-1], dt.date(2026, 10, 20), "已批准", "有", dt.date(2026, 10, 1)]]
    roster = [ROSTER_HEADER, person(regular=dt.date(2020, 4, 1))]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": punches, "请假记录": leave})


def test_a_money_item_added_to_the_registry_alone_reaches_the_summary_the_slips_finance_and_the_mail(
        book, tmp_path, mail_env):  # noqa: F811
    assert main(["compute-month", str(book), "--month", NOV, "-q"]) == 0
    ws = openpyxl.load_workbook(book)["月度汇总"]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, next(ws.iter_rows(min_row=2, values_only=True))))
    assert header.index("婚假扣款") == header.index("婚假天数") + 1  # after the days it deducts
    assert (row["婚假天数"], row["婚假扣款"], row["调整合计"]) == (3, 300, -300)
    assert "LV-05" in row["依据"] and "婚假3天 × 日工资200.00元 × 0.5" in row["依据"]

    slips = slips_job(book, NOV, tmp_path / "确认单.xlsx", pdf=False)
    lines = {r[0]: r for r in openpyxl.load_workbook(slips.written).active.iter_rows(values_only=True) if r[0]}
    assert lines["婚假扣款"][2] == 300 and "LV-05" in lines["婚假扣款"][3]

    assert main(["finance", str(book), "--month", NOV, "-q"]) == 0
    exported = tmp_path / "财务汇总_2026-11.xlsx"
    _, people = finance_people(exported)
    assert (people["001"]["婚假扣款"], people["001"]["调整合计"]) == (300, -300)
    assert people["合计"]["婚假扣款"] == 300

    controller, inbox = serve(auth_require_tls=False)
    plain(mail_env, controller)
    try:
        assert main(["send", str(exported), "--to", "fin@example.com", "--unclosed", "-q"]) == 0
    finally:
        controller.stop()
    (_, message), = inbox.messages
    body = message.get_body(("plain",)).get_content()
    assert "婚假扣款合计：300.00 元" in body and "罚款及扣款合计：300.00 元" in body and "调整合计：-300.00 元" in body


def test_an_item_of_the_registry_has_one_field_and_one_header():
    with pytest.raises(ValueError):
        items.Registry((*items.BUILT_IN, dataclasses.replace(HALF_PAID, header="迟到早退罚款")))
    with pytest.raises(ValueError):
        Item("x", "X", 0, "LV-05", DEDUCTIONS)  # neither paid nor deducted
    assert items.registry().with_items([HALF_PAID]).fields[-1] == "marriage_deduction"


def test_a_type_hr_adds_in_the_leave_types_sheet_is_an_item_of_summary_slips_and_finance(tmp_path):
    """LV-26 through the file: 无薪假 Mon 2 - Wed 4 November (a row HR added to the 假别 sheet, unpaid) deducts
    3 days × 200.00 = 600.00 as 无薪假扣款, a column of 月度汇总 and of the finance workbook and a line of the slip."""
    punches = [["工号", "打卡时间"]] + [r for day in workdays(2026, 11, skip=LEAVE) for r in full_day("001", day)]
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
             ["001", "无薪假", LEAVE[0], LEAVE[-1], dt.date(2026, 10, 20), "已批准"]]
    kinds = [["假别", "计薪", "计算方式"], ["事假", "无薪", "工作日"], ["无薪假", "无薪", "工作日"]]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": punches,
                                               "请假记录": leave, "假别": kinds})
    assert main(["compute-month", str(book), "--month", NOV, "-q"]) == 0
    ws = openpyxl.load_workbook(book)["月度汇总"]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, next(ws.iter_rows(min_row=2, values_only=True))))
    assert (row["无薪假天数"], row["无薪假扣款"], row["调整合计"]) == (3, 600, -600) and "LV-26" in row["依据"]
    slips = slips_job(book, NOV, tmp_path / "确认单.xlsx", pdf=False)
    lines = {r[0]: r for r in openpyxl.load_workbook(slips.written).active.iter_rows(values_only=True) if r[0]}
    assert lines["无薪假扣款"][2] == 600
    assert main(["finance", str(book), "--month", NOV, "-q"]) == 0
    _, people = finance_people(tmp_path / "财务汇总_2026-11.xlsx")
    assert (people["001"]["无薪假扣款"], people["001"]["调整合计"], people["合计"]["无薪假扣款"]) == (600, -600, 600)
