"""发送财务: mail a finance workbook once per month, and record that it went, in the attendance workbook.

What the file is comes from the file itself (kaohe.jobs.register: its document properties, or for an
encrypted file the fingerprint of its bytes in 财务发送记录), never from its name or folder. With the attendance
workbook locked (it must not be open elsewhere: the send is written into it), the send is refused (exit 2):

* for a month already sent to finance, unless ``resend`` gives a reason: then the mail says
  【更正版·勿重复支付】 and why, and is recorded as 重发更正版 (information, not a payment request);
* for a month not closed, unless ``unclosed``;
* for a file whose figures are no longer what an export gives now (the month was closed again, or the
  上月更正 it carries changed): export again;
* for a month never sent whose corrections another month already paid (it went to finance some other way).

Only after the server accepted the message is the send written into 财务发送记录 (and the file's properties).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kaohe.findings import InputRefused
from kaohe.jobs import close, corrected, corrections, handoff, mail, register
from kaohe.jobs.money import finance_columns, item_columns, items_of_book
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.docprops import write_properties
from kaohe.workbook.lock import run_lock
from kaohe.workbook.read import fingerprint_file, read_book
from kaohe.workbook.write import run_log_spec, save

SEND_RAW = (c.CLOSE_LOG.name, c.FROZEN_MONTHLY_NAME, c.CORRECTIONS.name, c.FINANCE_LOG.name, c.FINANCE_FIGURES_NAME)


@dataclass
class Sent:
    """What was sent: the file, its month and version, to whom, and the action recorded."""

    file: Path
    month: str | None
    recipients: tuple[str, ...]
    action: str
    version: str = ""


def send_job(file: Path, to: list[str] | None = None, *, book: Path | None = None, unclosed: bool = False,
             any_file: bool = False, resend: str | None = None, outlook: bool = False, env=None,
             command: str = "send") -> Sent:
    """Send ``file`` to finance (or open it as an Outlook draft); see the module docstring. ``command`` names the
    run in 运行记录."""
    path = Path(file)
    if not path.is_file():
        raise mail.MailError(f"找不到文件：{path}", f"file not found: {path}")
    if resend is not None and not resend.strip():
        raise InputRefused("重发需要写明原因（--resend 原因）", "--resend needs a reason")
    props = register.finance_props(path)
    if props is None and book is None:
        return _any_file(path, to, any_file, outlook, env)
    if props is not None:
        register.check_content(path)
    if not book:
        assert props is not None  # a file without kaohe's properties and no --book returned above
        book = Path(props[handoff.P_BOOK])
    book = Path(book)
    if not book.is_file():
        raise InputRefused(f"找不到这份财务表来自的考勤工作簿：{book}；请用 --book 指定",
                           f"the attendance workbook of this finance file is not at {book}; name it with --book")
    with run_lock(book), items_of_book(book):  # the workbook's money items (its 假别 sheet's deductions too)
        data = read_book(book, (), raw=SEND_RAW)
        export = _export_of(path, props, data.raw)
        checked = _check(data.raw, export, unclosed, resend)
        settings, recipients = (None, tuple(to or ())) if outlook else mail.ready(to, env)
        facts = _facts(data.raw, path, export, checked, resend)
        if outlook:
            mail.outlook_draft(path, list(recipients), facts)
        else:
            assert settings is not None  # mail.ready gave them: not an Outlook draft
            mail.transmit(mail.compose(path, settings, recipients, facts), settings, recipients)
        action = c.DRAFT_ACTION if outlook else (c.RESEND_ACTION if resend else c.SEND_ACTION)
        _record(book, data, export, checked.figures, action, recipients, (resend or "").strip(), path, props, command)
    return Sent(path, export.month, recipients, action, export.version)


def _any_file(path: Path, to, any_file: bool, outlook: bool, env) -> Sent:
    """A file kaohe has no record of: only with ``any_file``, and never one with personal data."""
    if not any_file:
        raise InputRefused(f"“{path.name}”不是 kaohe 导出的财务表（加密的财务表请用 --book 指定考勤工作簿），不发送；"
                           "确需发送其他文件时加 --any-file",
                           f"{path.name} is not a finance workbook kaohe wrote (encrypted: add --book); "
                           "use --any-file to send another file")
    register.check_content(path)
    if outlook:
        mail.outlook_draft(path, list(to or ()))
        return Sent(path, None, tuple(to or ()), c.DRAFT_ACTION)
    settings, recipients = mail.ready(to, env)
    mail.transmit(mail.compose(path, settings, recipients), settings, recipients)
    return Sent(path, None, recipients, c.SEND_ACTION)


def _export_of(path: Path, props: dict | None, raw: dict) -> handoff.Entry:
    """The export this file is, from 财务发送记录: by its properties (its figures checked) or by its bytes."""
    log = raw.get(c.FINANCE_LOG.name)
    if props is not None:
        figures = register.file_figures(path, props)
        if figures.empty or handoff.figures_fp(figures) != props[handoff.P_FP] \
                or register.content_fp(path) != props.get(handoff.P_CONTENT):
            raise InputRefused(f"“{path.name}”导出后被改动过，不发送；请重新导出财务表",
                               f"{path.name} changed after kaohe exported it; export it again")
        found = handoff.export_of(log, props[handoff.P_MONTH], figures_fp=props[handoff.P_FP])
    else:
        found = handoff.export_of(log, file_fp=fingerprint_file(path))
    if found is None:
        raise InputRefused(f"考勤工作簿的“{c.FINANCE_LOG.name}”中没有“{path.name}”这次导出（来自另一个工作簿，"
                           "或导出后被改动过），不发送；请重新导出", f"{path.name} is not an export recorded in the "
                           "attendance workbook; export it again")
    return found


@dataclass
class _Checked:
    closed: bool
    sent: handoff.Entry | None
    figures: pd.DataFrame


def _check(raw: dict, export: handoff.Entry, unclosed: bool, resend: str | None) -> _Checked:
    """The refusals of a send (module docstring); the file's recorded figures."""
    month = export.month
    state = close.close_state(raw.get(c.CLOSE_LOG.name), month)
    closed = bool(state and state.closed)
    figures = handoff.stored_figures(raw.get(c.FINANCE_FIGURES_NAME), month, export.figures_fp)
    if figures.empty:
        raise InputRefused(f"“{c.FINANCE_FIGURES_NAME}”中没有这份财务表的数字，请重新导出",
                           "the figures of this export are no longer recorded; export it again")
    sent = handoff.payment_send(raw.get(c.FINANCE_LOG.name), month)
    if sent is not None and resend is None:
        raise InputRefused(*corrected.refusal(raw, month, closed, sent, figures))
    if sent is None and resend is not None:
        raise InputRefused(f"{month} 还没有发送过财务，不需要 --resend", f"{month} was never sent; no --resend")
    if not closed and not unclosed:
        raise InputRefused(f"{month} 还没有月结：请先“月结确认”并重新导出，或确认后加 --unclosed 发送",
                           f"{month} is not closed; close it first or add --unclosed")
    if sent is None:
        _refuse_paid_elsewhere(raw, month)
    _refuse_stale(raw, month, state if closed else None, figures)
    return _Checked(closed, sent, figures)


def _refuse_paid_elsewhere(raw: dict, month: str) -> None:
    sent = handoff.sent_months(raw.get(c.FINANCE_LOG.name))
    booked = corrections.corrections_of(raw.get(c.CORRECTIONS.name), month, sent)
    paid = booked[(booked["was_sent"].astype(str) == terms.NO) & booked["paid_in"].astype(str).isin(sent)]
    if len(paid):
        where = "、".join(sorted(set(paid["paid_in"].astype(str))))
        raise InputRefused(f"{month} 没有通过 kaohe 发送过，但它月结后的更正已随 {where} 的财务表发给财务（说明 {month} "
                           "已经以其他方式交给财务）；按现在的数字再发会重复支付，请与财务核对",
                           f"the corrections of {month} were already paid with {where}; sending it would pay them twice")


def _refuse_stale(raw: dict, month: str, closed_state, figures: pd.DataFrame) -> None:
    """The file's figures must be what an export gives now: the frozen figures of a closed month, and the
    上月更正 to pay with this month."""
    sent = handoff.sent_months(raw.get(c.FINANCE_LOG.name))
    paid = corrections.corrections_for(raw.get(c.CORRECTIONS.name), month, sent).groupby("emp")["effect"].sum()
    mine = figures.set_index(c.ID_COLUMN)
    stale = any(round(float(paid.get(e, 0.0)) - float(v), 2) for e, v in mine[c.CORRECTION_COLUMN].items()) \
        or bool(set(paid.index) - set(mine.index))
    if closed_state is not None and not stale:
        frozen = close.closed_figures(raw.get(c.FROZEN_MONTHLY_NAME), month).set_index("emp")
        stale = set(frozen.index) != set(mine.index) or any(
            round(float(frozen.at[e, f]) - float(mine.at[e, h]), 2) for h, f in item_columns() for e in mine.index)
    if stale:
        raise InputRefused(f"这份 {month} 财务表已过期（导出后本月重新月结或上月更正有变），不发送；请重新导出",
                           f"this {month} finance file is out of date (closed again or corrections changed); export again")


def _facts(raw: dict, path: Path, export: handoff.Entry, checked: _Checked, resend: str | None) -> mail.Facts:
    """Subject and body from the recorded figures; a resend says what was sent, why again, where the difference goes."""
    totals = {h: round(float(checked.figures[h].sum()), 2) for h, _ in finance_columns()}
    facts = mail.Facts(export.month, len(checked.figures), totals)
    if resend is not None:
        sent = checked.sent
        assert sent is not None  # _check refuses a resend of a month never sent
        corrected_version = export.version == c.CORRECTED_VERSION
        facts.mark = corrected.SUBJECT_MARK if corrected_version else corrected.RESEND_MARK
        diff = handoff.differences(handoff.sent_figures(raw.get(c.FINANCE_FIGURES_NAME), sent), checked.figures)
        facts.notice = [f"本邮件是 {export.month} 财务表的{'更正版' if corrected_version else '重发'}，仅供核对，不是付款依据："
                        f"{export.month} 的财务表已于 {sent.when} 发给 {sent.to or '（Outlook 草稿）'}，请勿重复支付。",
                        f"重发原因：{resend.strip()}",
                        corrected.where_it_goes(raw, export.month, checked.closed, diff) + "。"]
    return facts


def _record(book: Path, data, export: handoff.Entry, figures: pd.DataFrame, action: str, recipients, reason: str,
            path: Path, props: dict | None, command: str) -> None:
    """The send in 财务发送记录 (and 运行记录) of BOOK, and in the file's own properties (a plain file)."""
    new = handoff.entry(export.month, action, export.version, str(path.resolve()), export.figures_fp, figures,
                        file_fp=export.file_fp, to=", ".join(recipients), reason=reason, user=close.computer_user())
    log = data.raw.get(c.FINANCE_LOG.name)
    specs = [handoff.log_spec(log, new), handoff.store_spec(data.raw.get(c.FINANCE_FIGURES_NAME), log, new, None),
             run_log_spec(book, command, export.month, data.fingerprint, f"{action} {path.name} → {new['to'] or 'Outlook'}")]
    try:
        save(book, None, specs)
        if props is not None:
            write_properties(path, {handoff.P_SENT: f"{new['time']:%Y-%m-%d %H:%M} {action} → {new['to'] or 'Outlook'}"})
    except (OSError, InputRefused) as exc:
        raise mail.MailError(f"邮件已发出，但未能记入考勤工作簿（{exc}）：请勿再次发送，并告知 IT",
                             f"the mail went out but could not be recorded in the workbook: {exc}") from None
