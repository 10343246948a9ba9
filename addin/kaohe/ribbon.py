"""The 考勤绩效 ribbon: one handler per button, acting on the workbook that is open in Excel.

Each handler reads the input sheets of the active workbook, runs the same engine as the
command line, writes kaohe's sheets back with the same sheet specs as the file writer, shows
progress in the status bar and ends with a short message: what was written and how many
problems 问题清单 lists. Errors become a readable message, never a traceback.

The handlers talk to Excel only through a :class:`LiveBook`; :class:`XlwingsBook` is the one
for Excel (``xw.Book.caller()``), and tests use one backed by a real .xlsx file.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Protocol

from kaohe.engine.month import compute_month as compute_month_engine
from kaohe.findings import InputRefused
from kaohe.jobs import attendance_specs, leave_check
from kaohe.mail import MailError
from kaohe.periods import MonthError, parse_month
from kaohe.workbook import contract as c
from kaohe.workbook.read import tables_from_rows
from kaohe.workbook.sheetxml import SheetSpec

TITLE = "考勤绩效"
HELP = ("kaohe 考核：按公司考勤、请假和绩效制度计算。\n"
        "计算本月：写入 每日明细、月度汇总、请假校验、问题清单。\n"
        "校验请假：逐条检查请假记录。生成KPI评分表：客服组月度评分（公式随数据更新）。\n"
        "季度/年度考核：电子商务部考核。导出财务表 / 发送财务：只含数值的财务汇总。\n"
        "单元格函数：=LATEFINE()、=DAYTYPE()、=LEAVECHECK() 等，加载项加载后即可使用。\n"
        "先看“问题清单”：每个无法识别的单元格都列出了工作表和单元格。")


class LiveBook(Protocol):
    """What a handler needs from an open workbook."""

    path: Path

    def rows(self, sheet: str) -> list[list] | None: ...
    def write(self, specs: list[SheetSpec]) -> None: ...
    def save(self) -> None: ...
    def reload(self) -> None: ...
    def status(self, text: str | None) -> None: ...
    def message(self, text: str) -> None: ...
    def ask(self, prompt: str, default: str) -> str | None: ...


def _run(book: LiveBook, action) -> None:
    """Run one button's work: progress in the status bar, errors as a message box."""
    try:
        text = action(book)
        if text:
            book.message(text)
    except (InputRefused, MailError) as exc:
        book.message(f"无法完成：{exc.zh}")
    except Exception as exc:  # the door: a readable message, never a traceback
        book.message(f"出错了：{type(exc).__name__}: {exc}")
    finally:
        book.status(None)


def latest_punch_month(book: LiveBook) -> str:
    """The default month to offer: of the latest punch in 打卡记录, else of the latest KPI数据 row."""
    stamps = []
    if book.rows(c.PUNCHES.name) is not None:
        tables, _ = tables_from_rows(book.rows, (c.PUNCHES,))
        t = tables.get(c.PUNCHES.name)
        if t is not None:
            col = t.frame["ts"] if "ts" in t.letters else t.frame["date"]
            stamps = [v for v in col if v is not None and v == v]
    if stamps:
        latest = max(stamps)
        return f"{latest.year:04d}-{latest.month:02d}"
    months = [str(r[0]) for r in (book.rows(c.KPI_DATA.name) or [])[1:] if r and re.match(r"\d{4}-\d{2}$", str(r[0]))]
    return max(months) if months else f"{dt.date.today():%Y-%m}"


def _month(book: LiveBook, prompt: str, default: str) -> str | None:
    answer = book.ask(prompt, default)
    if answer is None:
        return None
    try:
        return parse_month(answer)
    except MonthError as exc:
        raise InputRefused(exc.zh, exc.en) from None


def _done(written: list[str], problems: int) -> str:
    return f"已写入：{'、'.join(written)}。\n问题清单：{problems} 条" + ("，请先查看。" if problems else "。")


def compute_month(book: LiveBook) -> str | None:
    """计算本月."""
    month = _month(book, "计算哪个月？（如 2026-11）", latest_punch_month(book))
    if not month:
        return None
    book.status("kaohe：读取工作表…")
    tables, findings = tables_from_rows(book.rows, c.ATTENDANCE_INPUTS)
    book.status(f"kaohe：计算 {month}…")
    result = compute_month_engine(tables, month)
    result.findings[:0] = findings
    specs = attendance_specs(result, book.rows(c.PROBLEMS.name), tables)
    book.status("kaohe：写入结果…")
    book.write(specs)
    s = result.summary
    return (_done([x.name for x in specs], len(result.findings))
            + f"\n员工 {s['employees']} 人，罚款 {s['fines']:,.2f} 元，扣款 {s['deductions']:,.2f} 元，"
              f"加班费 {s['overtime_pay']:,.2f} 元。")


def check_leave(book: LiveBook) -> str | None:
    """校验请假."""
    book.status("kaohe：校验请假…")
    tables, findings = tables_from_rows(book.rows, c.ATTENDANCE_INPUTS)
    _, findings, specs = leave_check(tables, findings, latest_punch_month(book), book.rows(c.PROBLEMS.name))
    book.write(specs)
    return _done([x.name for x in specs], len(findings))


def _file_job(book: LiveBook, job) -> str:
    """Buttons whose job works on the saved file (KPI formulas, reviews, finance): save, run, reopen."""
    book.save()
    result = job(book.path)
    book.reload()
    return _done(result.sheets, result.problems)


def kpi(book: LiveBook) -> str | None:
    """生成KPI评分表."""
    from kaohe.jobs import kpi_job

    month = _month(book, "生成哪个月的KPI评分表？（如 2026-11）", latest_punch_month(book))
    if not month:
        return None
    book.status("kaohe：计算KPI…")
    return _file_job(book, lambda path: kpi_job(path, month))


def review(book: LiveBook) -> str | None:
    """季度/年度考核."""
    from kaohe.jobs import review_job

    period = book.ask("考核周期？季度写 2026Q3，年度写 2026", f"{dt.date.today().year}")
    if not period:
        return None
    book.status("kaohe：计算考核…")
    return _file_job(book, lambda path: review_job(path, period.strip()))


def finance(book: LiveBook) -> str | None:
    """导出财务表: a new values-only workbook beside this one."""
    from kaohe.jobs import finance_job

    month = _month(book, "导出哪个月的财务表？（如 2026-11）", latest_punch_month(book))
    if not month:
        return None
    book.save()
    book.status("kaohe：导出财务表…")
    job = finance_job(book.path, month)
    return f"已导出：{job.written}\n调整合计 {job.summary['adjustment']:,.2f} 元，共 {job.summary['employees']} 人。"


def send(book: LiveBook) -> str | None:
    """发送财务: mail the latest finance workbook beside this one."""
    from kaohe import mail

    files = sorted(book.path.parent.glob("财务汇总_*.xlsx"))
    if not files:
        return "还没有财务表：请先点“导出财务表”。"
    to = book.ask(f"把 {files[-1].name} 发给（多个地址用逗号分隔，留空用默认收件人）：", "")
    if to is None:
        return None
    recipients = [a for a in re.split(r"[,;，；\s]+", to) if a]
    book.status("kaohe：发送邮件…")
    sent = mail.send(files[-1], recipients or None)
    return f"已发送 {files[-1].name} 给 {', '.join(sent)}。"


def import_functions(book: LiveBook) -> str:
    """导入函数: the functions come with the add-in; nothing to import."""
    return ("加载项已包含全部单元格函数，可直接在任何工作簿中输入，例如 =LATEFINE(A2)、=DAYTYPE(B2)、"
            "=LEAVECHECK(类型, 开始, 结束, 申请日期)。")


def help_(book: LiveBook) -> str:
    return HELP


BUTTONS = {
    "kaohe_compute_month": compute_month, "kaohe_check_leave": check_leave, "kaohe_kpi": kpi,
    "kaohe_review": review, "kaohe_finance": finance, "kaohe_send": send,
    "kaohe_import_functions": import_functions, "kaohe_help": help_,
}


def on_button(control_id: str, book: LiveBook | None = None) -> None:
    """Entry point of the VBA callback: ``RunPython "import kaohe.ribbon as r; r.on_button('id')"``."""
    book = book or XlwingsBook.caller()
    handler = BUTTONS.get(control_id)
    if handler is None:
        book.message(f"未知的按钮：{control_id}")
        return
    _run(book, handler)


class XlwingsBook:
    """The workbook open in Excel, through xlwings (Windows and macOS only)."""

    def __init__(self, book):
        self.book = book
        self.path = Path(book.fullname)

    @classmethod
    def caller(cls) -> XlwingsBook:
        import xlwings as xw

        return cls(xw.Book.caller())

    def rows(self, sheet: str) -> list[list] | None:
        if sheet not in [s.name for s in self.book.sheets]:
            return None
        ws = self.book.sheets[sheet]
        last = ws.used_range.last_cell
        values = ws.range((1, 1), (last.row, last.column)).options(ndim=2).value
        return values or []

    def write(self, specs: list[SheetSpec]) -> None:
        from kaohe.workbook.live import write_specs

        write_specs(self.book, specs)

    def save(self) -> None:
        self.book.save()

    def reload(self) -> None:
        app, path = self.book.app, str(self.path)
        self.book.close()
        self.book = app.books.open(path)

    def status(self, text: str | None) -> None:
        self.book.app.status_bar = text or False

    def message(self, text: str) -> None:
        self.book.app.alert(text, title=TITLE)

    def ask(self, prompt: str, default: str) -> str | None:
        answer = self.book.app.api.InputBox(prompt, TITLE, default)
        return None if answer is False else str(answer)
