"""The 考勤绩效 ribbon: one handler per button, acting on the workbook that is open in Excel.

One writer for every door: a button that writes runs the very job the command line runs, on the
saved file. It asks to save unsaved changes, **closes** the workbook (Excel stays open with the
add-in), runs the job (backup, kaohe's sheets replaced in the file, 运行记录), and reopens the
workbook at the sheet that was active, also when the job fails. So nothing is ever deleted from
an open workbook (a formula such as ``='月度汇总'!H5`` never turns into ``#REF!``), Excel's ``~$``
owner file is gone while the job runs, and the sheets look exactly as the command writes them.
导出财务表 and 发送财务 write too: what went to finance is recorded in the workbook (财务发送记录).

Each handler shows progress in the status bar and ends with a short message: what was written and
how many problems 问题清单 lists. Errors become a readable message, never a traceback.

The handlers talk to Excel only through a :class:`LiveBook`; :class:`XlwingsBook` is the one
for Excel (``xw.Book.caller()``).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from kaohe.findings import InputRefused
from kaohe.jobs.mail import MailError
from kaohe.periods import MonthError, parse_month
from kaohe.jobs.live import default_month, latest_export, month_close_state, month_sent

TITLE = "考勤绩效"
HELP = ("kaohe 考核：按公司考勤、请假和绩效制度计算。\n"
        "计算本月：写入 每日明细、月度汇总、请假校验、问题清单。\n"
        "校验请假：逐条检查请假记录。生成KPI评分表：客服组月度评分（公式随数据更新）。\n"
        "季度/年度考核：电子商务部考核。导出财务表 / 发送财务：只含数值的财务汇总，每月只发一次（记入财务发送记录）。\n"
        "月末顺序：计算本月 → 查看问题清单 → 打印确认单 → 月结确认 → 导出财务表 → 发送财务。\n"
        "写入结果的按钮会先保存并关闭工作簿，写完后自动重新打开。\n"
        "单元格函数：=LATEFINE()、=DAYTYPE()、=LEAVECHECK() 等，加载项加载后即可使用。\n"
        "先看“问题清单”：每个无法识别的单元格都列出了工作表和单元格。")
SAVE_FIRST = "工作簿有未保存的修改。kaohe 处理的是保存后的文件：现在保存并继续吗？"
NEVER_SAVED = "此工作簿还没有保存过：请先保存（文件 → 另存为，Excel 工作簿 .xlsx），再点此按钮。"


class LiveBook(Protocol):
    """What a handler needs from an open workbook."""

    path: Path

    def rows(self, sheet: str) -> list[list] | None: ...
    def unsaved(self) -> bool: ...
    def save(self) -> None: ...
    def active_sheet(self) -> str | None: ...
    def close(self) -> None: ...
    def reopen(self, sheet: str | None) -> None: ...
    def status(self, text: str | None) -> None: ...
    def message(self, text: str) -> None: ...
    def ask(self, prompt: str, default: str) -> str | None: ...
    def confirm(self, prompt: str) -> bool: ...


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


def _on_disk(book: LiveBook) -> None:
    if not book.path.is_absolute():  # Excel's name of a workbook never saved: 工作簿1, Book1
        raise InputRefused(NEVER_SAVED, "the workbook was never saved")


def _saved(book: LiveBook) -> bool:
    """The file on disk is what the workbook shows: unsaved changes are saved after asking (False: declined)."""
    _on_disk(book)
    if not book.unsaved():
        return True
    if not book.confirm(SAVE_FIRST):
        return False
    book.save()
    return True


def _while_closed(book: LiveBook, job):
    """Save (after asking), close, run ``job(path)``, reopen at the same sheet; the job's result (None when the
    user declined to save)."""
    if not _saved(book):
        return None
    sheet = book.active_sheet()
    book.close()
    try:
        return job(book.path)
    finally:
        book.reopen(sheet)


def _file_job(book: LiveBook, job, describe=None) -> str | None:
    """:func:`_while_closed`, then the closing message; ``describe(result)`` adds lines to it."""
    result = _while_closed(book, job)
    if result is None:
        return None
    return _done(result.sheets, result.problems) + (describe(result) if describe else "")


def latest_punch_month(book: LiveBook) -> str:
    """The default month to offer (:func:`kaohe.jobs.live.default_month`): "" when the workbook has none."""
    return default_month(book.rows)


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
    from kaohe.jobs.month import compute_month_job

    month = _month(book, "计算哪个月？（如 2026-11）", latest_punch_month(book))
    if not month:
        return None

    def describe(job) -> str:
        s = job.summary
        return (f"\n员工 {s['employees']} 人，罚款 {s['fines']:,.2f} 元，扣款 {s['deductions']:,.2f} 元，"
                f"加班费 {s['overtime_pay']:,.2f} 元。")
    return _file_job(book, lambda path: compute_month_job(path, month, progress=_progress(book)), describe)


def check_leave(book: LiveBook) -> str | None:
    """校验请假."""
    from kaohe.jobs.month import check_leave_job

    return _file_job(book, lambda path: check_leave_job(path, progress=_progress(book)))


def _progress(book: LiveBook):
    return lambda text: book.status(f"kaohe：{text}")


def kpi(book: LiveBook) -> str | None:
    """生成KPI评分表."""
    from kaohe.jobs.kpi import kpi_job

    month = _month(book, "生成哪个月的KPI评分表？（如 2026-11）", latest_punch_month(book))
    if not month:
        return None
    return _file_job(book, lambda path: kpi_job(path, month, progress=_progress(book)))


def review(book: LiveBook) -> str | None:
    """季度/年度考核."""
    from kaohe.jobs.kpi import review_job

    period = book.ask("考核周期？季度写 2026Q3，年度写 2026", "")
    if not period:
        return None
    return _file_job(book, lambda path: review_job(path, period.strip(), progress=_progress(book)))


def _reading_job(book: LiveBook, prompt: str, job):
    """Ask the month, save (after asking) and run ``job(path, month)`` on the saved file; the workbook stays
    open (the job only reads it). None when the user cancelled."""
    month = _month(book, prompt, latest_punch_month(book))
    if not month or not _saved(book):
        return None
    return job(book.path, month, progress=_progress(book))


def finance(book: LiveBook) -> str | None:
    """导出财务表: a new values-only workbook beside this one, recorded in this workbook (财务发送记录)."""
    from kaohe.jobs.finance import finance_job

    month = _month(book, "导出哪个月的财务表？（如 2026-11）", latest_punch_month(book))
    if not month:
        return None
    job = _while_closed(book, lambda path: finance_job(path, month, progress=_progress(book)))
    if job is None:
        return None
    text = f"已导出：{job.written}\n调整合计 {job.summary['adjustment']:,.2f} 元，共 {job.summary['employees']} 人。"
    if job.summary["version"] == "更正版":
        text += "\n本月已发送过财务：这是更正版（仅供核对，不是付款依据），差额随以后月份的“上月更正”结算。"
    return text


def close_month(book: LiveBook) -> str | None:
    """月结确认: close the month; a month already closed may be reopened, with a reason."""
    from kaohe.jobs.close import close_job, computer_user

    month = _month(book, "月结哪个月？（如 2026-11）", latest_punch_month(book))
    if not month:
        return None
    state = month_close_state(book.rows, month)
    reopen = None
    if state and state.closed:
        if not book.confirm(f"{month} 已于 {state.when} 由 {state.by} 月结。要重新打开吗？（更正随下月发放）"):
            return None
        reopen = (book.ask("重新打开的原因（将记入月结记录和变更对比）：", "") or "").strip()
        if not reopen:
            return None
    by = (book.ask("确认人姓名：", computer_user()) or "").strip()
    if not by:
        return None

    def describe(job) -> str:
        s = job.summary
        if reopen:
            return f"\n{month} 已重新打开。更正后请“计算本月”查看“变更对比”，再“月结确认”。"
        return f"\n{month} 已月结（确认人 {by}），调整合计 {s['adjustment']:,.2f} 元，月度汇总指纹 {s['summary_fp']}。"
    return _file_job(book, lambda path: close_job(path, month, by, reopen, progress=_progress(book)), describe)


def slips(book: LiveBook) -> str | None:
    """打印确认单: 个人考勤确认单 beside this workbook (and a PDF when LibreOffice is installed)."""
    from kaohe.jobs.slips import slips_job

    job = _reading_job(book, "打印哪个月的个人考勤确认单？（如 2026-11）", slips_job)
    if job is None:
        return None
    s = job.summary
    return (f"已生成：{job.written}" + (f"\nPDF：{s['pdf']}" if s["pdf"] else "\n未安装 LibreOffice：请打开确认单工作簿打印。")
            + f"\n员工 {s['employees']} 人，共 {s['pages']} 页。" + ("" if s["closed"] else "\n注意：本月尚未月结。"))


def send(book: LiveBook) -> str | None:
    """发送财务: mail the latest finance export recorded in this workbook; a month already sent only as a 更正版
    with a reason (asked in a dialog), a month not closed only after asking."""
    from kaohe.jobs.sending import send_job

    _on_disk(book)
    export = latest_export(book.rows)
    if export is None or not Path(export.file).is_file():
        return "还没有财务表：请先点“导出财务表”。"
    name, month, resend, unclosed = Path(export.file).name, export.month, None, False
    sent = month_sent(book.rows, month)
    if sent is not None:
        if not book.confirm(f"{month} 的财务表已于 {sent.when} 发给 {sent.to}，不能再作为付款表发送。\n"
                            f"要把 {name} 作为“更正版·勿重复支付”发给财务核对吗？"):
            return None
        resend = (book.ask("重发的原因（写入邮件和财务发送记录）：", "") or "").strip()
        if not resend:
            return None
    state = month_close_state(book.rows, month)
    if not (state and state.closed):
        if not book.confirm(f"{month} 尚未月结（{name} 的封面注明“未月结”）。仍要发送吗？"):
            return None
        unclosed = True
    to = book.ask(f"把 {name} 发给（多个地址用逗号分隔，留空用默认收件人）：", "")
    if to is None:
        return None
    recipients = [a for a in re.split(r"[,;，；\s]+", to) if a]
    book.status("kaohe：发送邮件…")
    done = _while_closed(book, lambda path: send_job(Path(export.file), recipients or None, book=path,
                                                     unclosed=unclosed, resend=resend))
    if done is None:
        return None
    return f"已发送 {name} 给 {', '.join(done.recipients)}" + ("（更正版，勿重复支付）。" if resend else "。")


def import_functions(book: LiveBook) -> str:
    """导入函数: the functions come with the add-in; nothing to import."""
    return ("加载项已包含全部单元格函数，可直接在任何工作簿中输入，例如 =LATEFINE(A2)、=DAYTYPE(B2)、"
            "=LEAVECHECK(类型, 开始, 结束, 申请日期)。")


def help_(book: LiveBook) -> str:
    return HELP


BUTTONS = {
    "kaohe_compute_month": compute_month, "kaohe_check_leave": check_leave, "kaohe_kpi": kpi,
    "kaohe_review": review, "kaohe_finance": finance, "kaohe_send": send,
    "kaohe_slips": slips, "kaohe_close": close_month,
    "kaohe_import_functions": import_functions, "kaohe_help": help_,
}


def on_button(control_id: str, book: LiveBook | None = None) -> None:
    """Entry point of the VBA callback: ``RunPython "import kaohe.doors.ribbon as r; r.on_button('id')"``."""
    book = book or XlwingsBook.caller()
    handler = BUTTONS.get(control_id)
    if handler is None:
        book.message(f"未知的按钮：{control_id}")
        return
    _run(book, handler)


class XlwingsBook:
    """The workbook open in Excel, through xlwings (Windows and macOS only).

    Messages, prompts and the status bar go through the Excel application, which stays while the
    workbook is closed for a job.
    """

    def __init__(self, book):
        self.book, self.app = book, book.app
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

    def unsaved(self) -> bool:
        return not self.book.api.Saved

    def save(self) -> None:
        self.book.save()

    def active_sheet(self) -> str | None:
        return self.book.sheets.active.name

    def close(self) -> None:
        self.book.close()

    def reopen(self, sheet: str | None) -> None:
        self.book = self.app.books.open(str(self.path))
        if sheet in [s.name for s in self.book.sheets]:
            self.book.sheets[sheet].activate()

    def status(self, text: str | None) -> None:
        self.app.status_bar = text or False

    def message(self, text: str) -> None:
        self.app.alert(text, title=TITLE)

    def ask(self, prompt: str, default: str) -> str | None:
        answer = self.app.api.InputBox(prompt, TITLE, default)
        return None if answer is False else str(answer)

    def confirm(self, prompt: str) -> bool:
        return self.app.alert(prompt, title=TITLE, buttons="yes_no") == "yes"
