"""Ribbon handlers end to end, through XlwingsBook over a fake of xlwings' Excel.

The fake records every call, keeps the workbook's content as it was when "opened", refuses any use
of a closed workbook and, like Excel, keeps an owner file ``~$<name>`` beside the workbook while it
is open. kaohe refuses to write a file that has an owner file, so a button that writes can only
succeed if it really closed the workbook before its job.
"""
import datetime as dt
import hashlib
import types
from pathlib import Path

import openpyxl
import python_calamine
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book

from kaohe.doors import ribbon


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class FakeApp:
    """xlwings' App: books.open, alert (messages and yes/no), status_bar, api.InputBox."""

    def __init__(self, answers=(), confirms=()):
        self.calls, self.messages, self.statuses, self.prompts = [], [], [], []
        self.answers, self.confirms = list(answers), list(confirms)
        self.books = types.SimpleNamespace(open=self.open)
        self.api = types.SimpleNamespace(InputBox=self.input_box)

    def open(self, path, *, dirty=False, active=None, fullname=None):
        self.calls.append(("open", Path(path).name, digest(path)))
        return FakeBook(self, Path(path), dirty, active, fullname)

    def input_box(self, prompt, title, default):
        self.prompts.append(prompt)
        return self.answers.pop(0) if self.answers else default

    def alert(self, prompt, title=None, buttons=None):
        if buttons == "yes_no":
            self.calls.append(("confirm",))
            self.prompts.append(prompt)
            return "yes" if (self.confirms.pop(0) if self.confirms else True) else "no"
        self.messages.append(prompt)
        return "ok"

    @property
    def status_bar(self):
        return self.statuses[-1] if self.statuses else False

    @status_bar.setter
    def status_bar(self, text):
        self.statuses.append(text)


class FakeSheet:
    def __init__(self, book, name, rows):
        self.book, self.name, self.rows = book, name, rows

    @property
    def used_range(self):
        width = max((len(r) for r in self.rows), default=1)
        return types.SimpleNamespace(last_cell=types.SimpleNamespace(row=max(len(self.rows), 1), column=width))

    def range(self, first, last):
        self.book.check_open()
        (r1, c1), (r2, c2) = first, last
        rows = [list(r[c1 - 1:c2]) + [None] * (c2 - len(r)) for r in self.rows[r1 - 1:r2]]
        return types.SimpleNamespace(options=lambda ndim: types.SimpleNamespace(value=rows))

    def activate(self):
        self.book.check_open()
        self.book.app.calls.append(("activate", self.name))

    def delete(self):
        raise AssertionError(f"sheet {self.name} deleted from an open workbook")


class FakeSheets(list):
    def __init__(self, sheets, active):
        super().__init__(sheets)
        self.active = next((s for s in sheets if s.name == active), sheets[0])

    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else list.__getitem__(self, key)


class FakeBook:
    """xlwings' Book of a workbook open in Excel: its content as read at opening, an owner file while open."""

    def __init__(self, app, path, dirty=False, active=None, fullname=None):
        self.app, self.path, self.dirty, self.closed = app, path, dirty, False
        self.fullname = fullname or str(path)
        self.owner = path.with_name("~$" + path.name)
        self.owner.write_bytes(b"\x07Excel user")
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        self._sheets = FakeSheets([FakeSheet(self, n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False))
                                   for n in wb.sheet_names], active)

    def check_open(self):
        if self.closed:
            raise AssertionError("a closed workbook was used")

    @property
    def sheets(self):
        self.check_open()
        return self._sheets

    @property
    def api(self):
        self.check_open()
        return types.SimpleNamespace(Saved=not self.dirty)

    def save(self):
        self.check_open()
        self.app.calls.append(("save",))
        self.dirty = False

    def close(self):
        self.check_open()
        self.app.calls.append(("close", digest(self.path)))
        self.owner.unlink()
        self.closed = True


def open_in_excel(path, answers=(), confirms=(), **kwargs):
    app = FakeApp(answers, confirms)
    return app, ribbon.XlwingsBook(app.open(path, **kwargs))


def attendance(tmp_path, payroll=False):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows += (punches_for("001", day, "08:41", "12:00", "13:30", "17:30") if day == dt.date(2026, 11, 2)
                 else full_day("001", day))
    path = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": rows,
                                               "请假记录": [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
                                                        ["001", "事假", "2026-11-20", "2026-11-20", "2026-11-01", "待审批"]]})
    if payroll:  # HR's own sheet reading kaohe's
        wb = openpyxl.load_workbook(path)
        wb.create_sheet("工资表").append(["工号", "迟到罚款"])
        wb["工资表"].append(["001", "='月度汇总'!H2"])
        wb.save(path)
    return path


def kinds(app):
    return [c[0] for c in app.calls]


def test_compute_month_closes_the_workbook_runs_the_job_and_reopens_it(tmp_path):
    path = attendance(tmp_path)
    app, book = open_in_excel(path, active="打卡记录")
    ribbon.on_button("kaohe_compute_month", book)
    (msg,) = app.messages
    assert "已写入：每日明细、月度汇总、请假校验、问题清单" in msg and "罚款 20.00 元" in msg, msg
    assert kinds(app) == ["open", "close", "open", "activate"]
    (_, closed_digest), (_, _, reopened_digest) = app.calls[1], app.calls[2]
    assert closed_digest != reopened_digest  # written while closed (it refuses while ~$ exists)
    assert app.calls[3] == ("activate", "打卡记录")  # back at the sheet HR was on
    assert (tmp_path / "~$考勤.xlsx").exists()  # open again in "Excel"
    summary = {r[0]: r for r in openpyxl.load_workbook(path)["月度汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["001"][7] == 20  # 迟到早退罚款: one late arrival of 11 minutes (ATT-04)
    assert "运行记录" in openpyxl.load_workbook(path).sheetnames  # the command's job, not a live copy
    assert any(s and s.startswith("kaohe：") for s in app.statuses) and app.statuses[-1] is False


def test_a_formula_reading_a_kaohe_sheet_survives_a_rerun(tmp_path):
    path = attendance(tmp_path, payroll=True)
    for _ in range(2):
        app, book = open_in_excel(path)
        ribbon.on_button("kaohe_compute_month", book)
        assert app.messages[0].startswith("已写入"), app.messages
        (tmp_path / "~$考勤.xlsx").unlink()  # "Excel" closes it
    assert openpyxl.load_workbook(path)["工资表"]["B2"].value == "='月度汇总'!H2"


def test_unsaved_changes_are_saved_after_asking(tmp_path):
    app, book = open_in_excel(attendance(tmp_path), confirms=[True], dirty=True)
    ribbon.on_button("kaohe_check_leave", book)
    assert kinds(app) == ["open", "confirm", "save", "close", "open", "activate"]
    assert "已写入：请假校验、问题清单" in app.messages[0]
    rows = list(openpyxl.load_workbook(book.path)["请假校验"].iter_rows(min_row=2, values_only=True))
    assert rows[0][7] == "不通过"  # 待审批 (LV-01)


def test_declining_to_save_changes_nothing(tmp_path):
    path = attendance(tmp_path)
    before = digest(path)
    app, book = open_in_excel(path, answers=["2026-11"], confirms=[False], dirty=True)
    ribbon.on_button("kaohe_compute_month", book)
    assert kinds(app) == ["open", "confirm"] and app.messages == [] and digest(path) == before


def test_a_failing_job_still_reopens_the_workbook(tmp_path):
    app, book = open_in_excel(attendance(tmp_path), answers=["2026-11"])
    ribbon.on_button("kaohe_kpi", book)  # an attendance workbook has no KPI数据
    assert app.messages[0].startswith("无法完成：") and "KPI数据" in app.messages[0]
    assert kinds(app) == ["open", "close", "open", "activate"]


def kpi_book(tmp_path):
    rules = [["指标", "权重", "目标值", "底线值"], ["咨询转化率", 70, 0.6, 0.2], ["报表整体质量", 30, None, None]]
    data = [["月份", "工号", "咨询转化率", "自评分", "报表整体质量"], ["2026-11", "001", 0.6, 90, 30]]
    return write_book(tmp_path / "k.xlsx", {"员工名册": [ROSTER_HEADER, person(dept="网店客服组")],
                                            "KPI规则": rules, "KPI数据": data})


def review_book(tmp_path):
    roster = [["工号", "姓名", "部门", "入职日期", "岗位基本工资", "岗位", "转正日期", "绩效工资"],
              ["001", "赵一", "电子商务部", dt.date(2024, 1, 1), 6000, "运营", dt.date(2024, 4, 1), 2000]]
    scores = [["周期", "被考核人工号", "评分人工号", "关系", "经营业绩", "工作态度", "任职能力", "团队协作"],
              ["2026Q4", "001", "001", "自评", 80, 80, 80, 80], ["2026Q4", "001", "009", "上级", 90, 90, 90, 90]]
    return write_book(tmp_path / "r.xlsx", {"员工名册": roster, "考核评分": scores})


@pytest.mark.parametrize("button,make,answer,sheet", [("kaohe_kpi", kpi_book, "2026-11", "KPI评分_2026-11"),
                                                      ("kaohe_review", review_book, "2026Q4", "季度考核_2026Q4")])
def test_kpi_and_review_buttons_write_through_the_file(tmp_path, button, make, answer, sheet):
    path = make(tmp_path)
    app, book = open_in_excel(path, answers=[answer])
    ribbon.on_button(button, book)
    assert sheet in app.messages[0], app.messages
    assert kinds(app) == ["open", "close", "open", "activate"]
    assert sheet in openpyxl.load_workbook(path).sheetnames


def test_finance_writes_its_record_through_the_file_and_send_needs_a_mail_server(tmp_path, monkeypatch):
    app, book = open_in_excel(attendance(tmp_path), answers=["2026-11"])
    ribbon.on_button("kaohe_finance", book)
    assert "财务汇总_2026-11.xlsx" in app.messages[0], app.messages
    assert kinds(app) == ["open", "close", "open", "activate"] and (tmp_path / "财务汇总_2026-11.xlsx").exists()
    log = list(openpyxl.load_workbook(tmp_path / "考勤.xlsx")["财务发送记录"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in log] == [("2026-11", "导出", "付款表")]  # the export, recorded in BOOK
    monkeypatch.delenv("KAOHE_SMTP_HOST", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "none"))
    ribbon.on_button("kaohe_send", book)  # not closed: asked (yes), recipients asked (default), then no server
    assert app.messages[1].startswith("无法完成：没有设置邮件服务器")


def test_a_workbook_never_saved_is_refused_before_anything_happens(tmp_path):
    app, book = open_in_excel(attendance(tmp_path), answers=["2026-11"], dirty=True, fullname="工作簿1")
    for button in ("kaohe_compute_month", "kaohe_finance", "kaohe_send"):
        ribbon.on_button(button, book)
    assert app.messages == ["无法完成：" + ribbon.NEVER_SAVED] * 3
    assert kinds(app) == ["open"]  # nothing saved (xlwings would save it into Python's folder), nothing closed


def test_default_month_is_the_latest_punch_month(tmp_path):
    _, book = open_in_excel(attendance(tmp_path))
    assert ribbon.latest_punch_month(book) == "2026-11"


def test_default_month_of_a_kpi_workbook_is_its_latest_month_in_any_spelling(tmp_path):
    # 月份 as the second column, written 2026/07, 2026年9月 and as a date: the latest is September.
    data = [["工号", "月份", "自评分"], ["001", "2026/07", 80], ["001", "2026年9月", 85], ["002", dt.date(2026, 8, 1), 90]]
    path = write_book(tmp_path / "k.xlsx", {"员工名册": [ROSTER_HEADER, person()], "KPI数据": data})
    _, book = open_in_excel(path)
    assert ribbon.latest_punch_month(book) == "2026-09"


def test_a_bad_answer_is_a_readable_message(tmp_path):
    app, book = open_in_excel(attendance(tmp_path), answers=["十一月"])
    ribbon.on_button("kaohe_compute_month", book)
    assert app.messages == ["无法完成：月份无法识别：“十一月”，请写成 2026-11、2026/11、2026年11月 或 202611"]
    assert kinds(app) == ["open"]


def test_cancel_writes_nothing(tmp_path):
    path = attendance(tmp_path)
    before = digest(path)
    app, book = open_in_excel(path, answers=[False])  # InputBox's Cancel
    ribbon.on_button("kaohe_compute_month", book)
    assert digest(path) == before and app.messages == [] and kinds(app) == ["open"]


def test_unknown_button_and_help(tmp_path):
    app, book = open_in_excel(attendance(tmp_path))
    ribbon.on_button("kaohe_nope", book)
    ribbon.on_button("kaohe_help", book)
    ribbon.on_button("kaohe_import_functions", book)
    assert app.messages[0] == "未知的按钮：kaohe_nope" and "问题清单" in app.messages[1]
    assert "=LATEFINE(A2)" in app.messages[2]


def test_close_button_closes_the_month_then_offers_to_reopen_it(tmp_path):
    path = attendance(tmp_path)
    app, book = open_in_excel(path, answers=["2026-11", "王会计"])
    ribbon.on_button("kaohe_close", book)
    assert "2026-11 已月结（确认人 王会计）" in app.messages[0], app.messages
    assert kinds(app) == ["open", "close", "open", "activate"]
    log = list(openpyxl.load_workbook(path)["月结记录"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in log] == [("2026-11", "月结", "王会计")]
    (tmp_path / "~$考勤.xlsx").unlink()
    app, book = open_in_excel(path, answers=["2026-11", "补交请假单", "李主管"], confirms=[True])
    ribbon.on_button("kaohe_close", book)
    assert "已重新打开" in app.messages[0], app.messages
    log = list(openpyxl.load_workbook(path)["月结记录"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[12]) for r in log][-1] == ("重新打开", "李主管", "补交请假单")


def test_slips_button_writes_the_slips_beside_the_workbook(tmp_path, monkeypatch):
    monkeypatch.setattr("kaohe.jobs.slips.soffice", lambda: None)  # the PDF is tested in test_slips
    app, book = open_in_excel(attendance(tmp_path), answers=["2026-11"])
    ribbon.on_button("kaohe_slips", book)
    assert "个人考勤确认单_2026-11.xlsx" in app.messages[0] and "员工 1 人，共 1 页" in app.messages[0], app.messages
    assert kinds(app) == ["open"] and (tmp_path / "个人考勤确认单_2026-11.xlsx").exists()


def fake_send(calls):
    from kaohe.jobs.sending import Sent

    def send_job(file, to=None, **kw):
        calls.append((Path(file).name, to, kw))
        return Sent(Path(file), "2026-11", ("fin@example.com",), "发送")
    return send_job


def test_send_of_an_unclosed_month_asks_first(tmp_path, monkeypatch):
    app, book = open_in_excel(attendance(tmp_path), answers=["2026-11"], confirms=[False])
    ribbon.on_button("kaohe_finance", book)
    assert (tmp_path / "财务汇总_2026-11.xlsx").exists()
    ribbon.on_button("kaohe_send", book)  # declined: nothing sent, no message
    assert kinds(app)[-1] == "confirm" and len(app.messages) == 1
    calls = []
    monkeypatch.setattr("kaohe.jobs.sending.send_job", fake_send(calls))
    app.confirms = [True]
    ribbon.on_button("kaohe_send", book)
    assert app.messages[-1] == "已发送 财务汇总_2026-11.xlsx 给 fin@example.com。"
    (name, _, kw), = calls
    assert name == "财务汇总_2026-11.xlsx" and kw["unclosed"] and kw["resend"] is None
    assert kw["book"] == tmp_path / "考勤.xlsx"  # the send is recorded in this workbook


def test_send_of_a_month_already_sent_asks_for_the_reason_of_a_resend(tmp_path, monkeypatch):
    from kaohe.doors.cli import main

    path = attendance(tmp_path)
    assert main(["close", str(path), "--month", "2026-11", "--by", "王会计", "-q"]) == 0
    assert main(["finance", str(path), "--month", "2026-11", "-q"]) == 0
    wb = openpyxl.load_workbook(path)  # the row `kaohe send` writes (the mail itself: tests/test_paid_once.py)
    ws = wb["财务发送记录"]
    ws.append(["2026-11", "发送", "付款表", ws["D2"].value, ws["E2"].value, None, dt.datetime(2026, 12, 3, 9, 0),
               "fin@example.com"])
    wb.save(path)
    calls = []
    monkeypatch.setattr("kaohe.jobs.sending.send_job", fake_send(calls))
    app, book = open_in_excel(path, confirms=[False])
    ribbon.on_button("kaohe_send", book)  # declined: nothing sent, nothing asked
    assert not calls and app.messages == [] and kinds(app) == ["open", "confirm"]
    assert "2026-12-03 09:00" in app.prompts[0] and "fin@example.com" in app.prompts[0]
    (tmp_path / "~$考勤.xlsx").unlink()  # "Excel" closed it
    app, book = open_in_excel(path, answers=["财务要求附明细", ""], confirms=[True])
    ribbon.on_button("kaohe_send", book)
    assert "原因" in app.prompts[1]  # the reason, asked in a dialog
    (_, _, kw), = calls
    assert kw["resend"] == "财务要求附明细" and not kw["unclosed"]
    assert app.messages[-1] == "已发送 财务汇总_2026-11.xlsx 给 fin@example.com（更正版，勿重复支付）。"


def sheet_values(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


@pytest.mark.parametrize("button,make,answer,command", [
    ("kaohe_compute_month", attendance, "2026-11", ["compute-month", "--month", "2026-11"]),
    ("kaohe_check_leave", attendance, None, ["check-leave"]),
    ("kaohe_kpi", kpi_book, "2026-11", ["kpi", "--month", "2026-11"]),
    ("kaohe_review", review_book, "2026Q4", ["review", "--quarter", "2026Q4"])])
def test_a_button_writes_exactly_what_its_command_writes(tmp_path, button, make, answer, command):
    """One spec builder for both doors: the button runs the command's job on the saved file."""
    from kaohe.doors.cli import main

    (tmp_path / "button").mkdir(), (tmp_path / "command").mkdir()
    by_button, by_command = make(tmp_path / "button"), make(tmp_path / "command")
    assert sheet_values(by_button) == sheet_values(by_command)  # the same workbook to start with
    app, book = open_in_excel(by_button, answers=[answer] if answer else [])
    ribbon.on_button(button, book)
    assert app.messages[0].startswith("已写入"), app.messages
    assert main([command[0], str(by_command), *command[1:], "-q"]) == 0
    button_sheets, command_sheets = sheet_values(by_button), sheet_values(by_command)
    log_b, log_c = button_sheets.pop("运行记录"), command_sheets.pop("运行记录")
    assert button_sheets == command_sheets
    unstamped = lambda log: [r[1:4] + r[5:] for r in log]  # noqa: E731  (not the time, not the input file's hash)
    assert unstamped(log_b) == unstamped(log_c)
