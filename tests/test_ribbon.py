"""Ribbon handlers end to end, with the Excel-facing adapter swapped for one backed by a real .xlsx."""
import datetime as dt
from pathlib import Path

import openpyxl
import python_calamine
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book

from kaohe import ribbon
from kaohe.workbook.live import excel_value, spec_values
from kaohe.workbook.package import write_sheets
from kaohe.workbook.sheetxml import Column, Formula, SheetSpec


class FileBook:
    """A LiveBook over a workbook file: reads with calamine, writes with kaohe's package writer."""

    def __init__(self, path: Path, answers=()):
        self.path = Path(path)
        self.answers = list(answers)
        self.messages, self.statuses, self.saved = [], [], 0
        self.reload()

    def reload(self):
        wb = python_calamine.CalamineWorkbook.from_path(str(self.path))
        self._rows = {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}

    def rows(self, sheet):
        return self._rows.get(sheet)

    def write(self, specs):
        write_sheets(self.path, self.path, specs, backup=True)
        self.reload()

    def save(self):
        self.saved += 1

    def status(self, text):
        self.statuses.append(text)

    def message(self, text):
        self.messages.append(text)

    def ask(self, prompt, default):
        return self.answers.pop(0) if self.answers else default


def attendance(tmp_path):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows += (punches_for("001", day, "08:41", "12:00", "13:30", "17:30") if day == dt.date(2026, 11, 2)
                 else full_day("001", day))
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": rows,
                                               "请假记录": [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
                                                        ["001", "事假", "2026-11-20", "2026-11-20", "2026-11-01", "待审批"]]})


def test_compute_month_button(tmp_path):
    book = FileBook(attendance(tmp_path))
    ribbon.on_button("kaohe_compute_month", book)
    (msg,) = book.messages
    assert "已写入：每日明细、月度汇总、请假校验、问题清单" in msg and "问题清单：" in msg and "罚款 20.00 元" in msg
    assert any(s and "计算 2026-11" in s for s in book.statuses) and book.statuses[-1] is None
    wb = openpyxl.load_workbook(book.path)
    summary = {r[0]: r for r in wb["月度汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["001"][7] == 20  # 迟到早退罚款
    assert len(list(book.path.parent.glob("考勤.bak-*.xlsx"))) == 1


def test_default_month_is_the_latest_punch_month(tmp_path):
    book = FileBook(attendance(tmp_path))
    assert ribbon.latest_punch_month(book) == "2026-11"


def test_a_bad_answer_is_a_readable_message(tmp_path):
    book = FileBook(attendance(tmp_path), answers=["十一月"])
    ribbon.on_button("kaohe_compute_month", book)
    assert book.messages == ["无法完成：月份无法识别：“十一月”，请写成 2026-11、2026/11、2026年11月 或 202611"]


def test_cancel_writes_nothing(tmp_path):
    path = attendance(tmp_path)
    before = path.read_bytes()
    book = FileBook(path)
    book.ask = lambda prompt, default: None
    ribbon.on_button("kaohe_compute_month", book)
    assert path.read_bytes() == before and book.messages == []


def test_check_leave_button(tmp_path):
    book = FileBook(attendance(tmp_path))
    ribbon.on_button("kaohe_check_leave", book)
    assert "已写入：请假校验、问题清单" in book.messages[0]
    rows = list(openpyxl.load_workbook(book.path)["请假校验"].iter_rows(min_row=2, values_only=True))
    assert rows[0][7] == "不通过"


def test_kpi_button_saves_runs_and_reloads(tmp_path):
    rules = [["指标", "权重", "目标值", "底线值"], ["咨询转化率", 70, 0.6, 0.2], ["报表整体质量", 30, None, None]]
    data = [["月份", "工号", "咨询转化率", "自评分", "报表整体质量"], ["2026-11", "001", 0.6, 90, 30]]
    path = write_book(tmp_path / "k.xlsx", {"员工名册": [ROSTER_HEADER, person(dept="网店客服组")],
                                            "KPI规则": rules, "KPI数据": data})
    book = FileBook(path, answers=["2026-11"])
    ribbon.on_button("kaohe_kpi", book)
    assert book.saved == 1 and "KPI评分_2026-11" in book.messages[0]
    assert "KPI评分_2026-11" in openpyxl.load_workbook(path).sheetnames


def test_finance_and_send_buttons(tmp_path, monkeypatch):
    book = FileBook(attendance(tmp_path), answers=["2026-11"])
    ribbon.on_button("kaohe_finance", book)
    assert "财务汇总_2026-11.xlsx" in book.messages[0]
    monkeypatch.delenv("KAOHE_SMTP_HOST", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    ribbon.on_button("kaohe_send", book)
    assert book.messages[1].startswith("无法完成：没有设置邮件服务器")


def test_unknown_button_and_help(tmp_path):
    book = FileBook(attendance(tmp_path))
    ribbon.on_button("kaohe_nope", book)
    ribbon.on_button("kaohe_help", book)
    ribbon.on_button("kaohe_import_functions", book)
    assert book.messages[0] == "未知的按钮：kaohe_nope" and "问题清单" in book.messages[1]
    assert "=LATEFINE(A2)" in book.messages[2]


def test_live_writer_values_keep_text_as_text():
    spec = SheetSpec("月度汇总", [Column("姓名"), Column("金额", "money"), Column("日期", "date")],
                     rows=[["=cmd|'/c calc'!A0", 1.5, dt.date(2026, 11, 2)], ["张三", Formula("SUM(B2:B2)", 1.5), None]],
                     total_row=["合计", 3.0, None])
    values = spec_values(spec)
    assert values[0] == ["姓名", "金额", "日期"]
    assert values[1][0] == "'=cmd|'/c calc'!A0" and values[2][1] == "=SUM(B2:B2)"
    assert values[3] == ["合计", 3.0, None]
    assert excel_value(float("nan")) is None and excel_value("+1") == "'+1"
