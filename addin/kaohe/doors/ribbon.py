"""The 考勤绩效 ribbon: one handler per button, acting on the workbook that is open in Excel.

One writer for every door: a button that writes runs the very job the command line runs, on the
saved file. It asks to save unsaved changes, **closes** the workbook (Excel stays open with the
add-in), runs the job (backup, kaohe's sheets replaced in the file, 运行记录), and reopens the
workbook at the sheet that was active, also when the job fails. So nothing is ever deleted from
an open workbook (a formula such as ``='月度汇总'!H5`` never turns into ``#REF!``), Excel's ``~$``
owner file is gone while the job runs, and the sheets look exactly as the command writes them.
导出财务表 and 发送财务 write too: what went to finance is recorded in the workbook (财务发送记录).

Before anything is saved or closed, a button refuses a workbook that lacks its job's mandatory
sheets, a workbook with no local file (a OneDrive or SharePoint workbook that is not synced), and,
for a button that rewrites the file, a workbook with AutoSave on or that others have open; it asks
first about a workbook opened from OneDrive or SharePoint. Every dialog names the workbook.

Each handler shows progress in the status bar and ends with a short message: what was written and
how many problems 问题清单 lists. Esc cancels a job at its next step (after asking): the workbook is
reopened unchanged and the lock released. Errors become a readable message, never a traceback.

The handlers talk to Excel only through a :class:`LiveBook`; :class:`kaohe.doors.excelbook.XlwingsBook`
is the one for Excel (``xw.Book.caller()``).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from kaohe.doors.excelbook import Sharing, XlwingsBook
from kaohe.findings import InputRefused
from kaohe.jobs.live import (ATTENDANCE_SHEETS, KPI_SHEETS, REVIEW_SHEETS, default_month, latest_export,
                             month_close_state, month_sent, refuse_missing)
from kaohe.jobs.mail import MailError
from kaohe.periods import MonthError, parse_month

HELP = ("kaohe 考核：按公司考勤、请假和绩效制度计算。\n"
        "计算本月：写入 每日明细、月度汇总、请假校验、问题清单。\n"
        "校验请假：逐条检查请假记录。生成KPI评分表：客服组月度评分（公式随数据更新）。\n"
        "季度/年度考核：电子商务部考核。导出财务表 / 发送财务：只含数值的财务汇总，每月只发一次（记入财务发送记录）。\n"
        "月末顺序：计算本月 → 查看问题清单 → 打印确认单 → 月结确认 → 导出财务表 → 发送财务。\n"
        "写入结果的按钮会先保存并关闭工作簿，写完后自动重新打开；运行中按 Esc 可取消。\n"
        "单元格函数：=LATEFINE()、=DAYTYPE()、=LEAVECHECK() 等，加载项加载后即可使用。\n"
        "先看“问题清单”：每个无法识别的单元格都列出了工作表和单元格。")
FUNCTIONS_HELP = ("加载项已包含全部单元格函数，可直接在任何工作簿中输入，例如 =LATEFINE(A2)、=DAYTYPE(B2)、"
                  "=LEAVECHECK(类型, 开始, 结束, 申请日期)。")
STATIC_TEXTS = {"kaohe_import_functions": FUNCTIONS_HELP, "kaohe_help": HELP}  # shown by the add-in, no Python
SAVE_FIRST = "工作簿有未保存的修改。kaohe 处理的是保存后的文件：现在保存并继续吗？"
NEVER_SAVED = "此工作簿还没有保存过：请先保存（文件 → 另存为，Excel 工作簿 .xlsx），再点此按钮。"
AUTOSAVE_ON = ("此工作簿开启了“自动保存”（保存在 OneDrive 或 SharePoint 上，其他人可能正在同时编辑）。"
               "kaohe 要关闭工作簿并改写文件，不能在别人编辑时进行。请先关闭左上角的“自动保存”开关，"
               "确认没有其他人打开此工作簿，再点此按钮；或者 文件 → 另存为 → 这台电脑，在本地副本上计算。")
OTHERS_OPEN = ("{others} 也打开了此工作簿。kaohe 要关闭工作簿并改写文件，会覆盖别人的修改："
               "请等他们关闭后再点此按钮，或者 文件 → 另存为，在自己的副本上计算。")
CLOUD_ASK = ("此工作簿保存在 OneDrive 或 SharePoint 上。kaohe 将关闭它、改写本机的同步副本再重新打开；"
             "如果其他人正在编辑它，可能产生冲突副本。确认没有其他人打开此工作簿并继续吗？")
CANCELLED = "已取消：没有写入任何内容。"


class Cancelled(Exception):
    """The user pressed Esc during a job and confirmed: nothing was written."""


class LiveBook(Protocol):
    """What a handler needs from an open workbook."""

    @property
    def name(self) -> str: ...  # as Excel shows it: every dialog names it
    @property
    def path(self) -> Path: ...  # its file (a OneDrive or SharePoint workbook's local copy): may refuse (InputRefused)

    def sheet_names(self) -> list[str]: ...
    def rows(self, sheet: str) -> list[list] | None: ...
    def sharing(self) -> Sharing: ...
    def unsaved(self) -> bool: ...
    def save(self) -> None: ...
    def active_sheet(self) -> str | None: ...
    def close(self) -> None: ...
    def reopen(self, sheet: str | None) -> None: ...
    def status(self, text: str | None) -> None: ...
    def cancelled(self) -> bool: ...
    def done(self) -> None: ...
    def message(self, text: str) -> None: ...
    def ask(self, prompt: str, default: str) -> str | None: ...
    def confirm(self, prompt: str) -> bool: ...


def _run(book: LiveBook, action) -> None:
    """Run one button's work: progress in the status bar, errors as a message box."""
    try:
        text = action(book)
        if text:
            book.message(text)
    except Cancelled:
        book.message(CANCELLED)
    except (InputRefused, MailError) as exc:
        book.message(f"无法完成：{exc.zh}")
    except Exception as exc:  # the door: a readable message, never a traceback
        book.message(f"出错了：{type(exc).__name__}: {exc}")
    finally:
        book.done()


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


def _not_shared(book: LiveBook) -> bool:
    """A workbook others may be editing is not closed and rewritten under them: AutoSave on or other users
    refused, a OneDrive or SharePoint workbook after asking (False: declined)."""
    sharing = book.sharing()
    if sharing.autosave:
        raise InputRefused(AUTOSAVE_ON, "AutoSave is on: turn it off and make sure nobody else has the workbook open")
    if sharing.others:
        raise InputRefused(OTHERS_OPEN.format(others="、".join(sharing.others)), "others have the workbook open")
    return not sharing.cloud or book.confirm(CLOUD_ASK)


def _while_closed(book: LiveBook, job):
    """Save (after asking), close, run ``job(path)``, reopen at the same sheet; the job's result (None when the
    user declined to save or to go on with a workbook others may be editing)."""
    if not _not_shared(book) or not _saved(book):
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
                f"{s.get('pay_name', '加班费')} {s['overtime_pay']:,.2f} 元。")
    return _file_job(book, lambda path: compute_month_job(path, month, progress=_progress(book)), describe)


def check_leave(book: LiveBook) -> str | None:
    """校验请假."""
    from kaohe.jobs.month import check_leave_job

    return _file_job(book, lambda path: check_leave_job(path, progress=_progress(book)))


def _progress(book: LiveBook):
    """A job's progress callback: each step in the status bar; Esc (confirmed) cancels at the next step."""
    def step(text: str) -> None:
        if book.cancelled():
            raise Cancelled()
        book.status(f"kaohe：{text}（按 Esc 取消）")
    return step


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
    """导入函数: the functions come with the add-in; nothing to import (the add-in shows this without Python)."""
    return FUNCTIONS_HELP


def help_(book: LiveBook) -> str:
    return HELP


BUTTONS = {
    "kaohe_compute_month": compute_month, "kaohe_check_leave": check_leave, "kaohe_kpi": kpi,
    "kaohe_review": review, "kaohe_finance": finance, "kaohe_send": send,
    "kaohe_slips": slips, "kaohe_close": close_month,
    "kaohe_import_functions": import_functions, "kaohe_help": help_,
}


# The sheets each button's job cannot run without: checked before anything is asked, saved or closed.
REQUIRED = {"kaohe_compute_month": ATTENDANCE_SHEETS, "kaohe_check_leave": ATTENDANCE_SHEETS,
            "kaohe_kpi": KPI_SHEETS, "kaohe_review": REVIEW_SHEETS, "kaohe_finance": ATTENDANCE_SHEETS,
            "kaohe_slips": ATTENDANCE_SHEETS, "kaohe_close": ATTENDANCE_SHEETS}


def on_button(control_id: str, book: LiveBook | None = None, buttons: dict | None = None) -> None:
    """Entry point of the VBA callback: ``RunPython "import kaohe.doors.ribbon as r; r.on_button('id')"``.

    ``buttons``: another door's table of handlers (the WPS add-in's, kaohe.doors.serve)."""
    try:
        live: LiveBook = book if book is not None else XlwingsBook.caller()
    except Exception as exc:  # no workbook to show a message with: a Unicode message box of its own
        _say(f"kaohe 无法连接到 Excel 中的工作簿：{type(exc).__name__}: {exc}")
        return
    handler = (BUTTONS if buttons is None else buttons).get(control_id)
    if handler is None:
        live.message(f"未知的按钮：{control_id}")
        return
    _run(live, lambda b: _checked(b, control_id, handler))


def _checked(book: LiveBook, control_id: str, handler):
    """``handler(book)`` after the refusals that must come before anything is asked, saved or closed."""
    if control_id in REQUIRED:
        _on_disk(book)
        refuse_missing(book.sheet_names(), REQUIRED[control_id])
    return handler(book)


def _say(text: str) -> None:
    import ctypes

    ctypes.windll.user32.MessageBoxW(0, text, "考勤绩效", 0x40030)  # type: ignore[attr-defined]  # Windows only  # a warning, on top of every window
