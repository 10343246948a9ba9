"""Month end, for a scheduled task: compute the month, export for finance, send it.

    python scripts/month_end.py BOOK --month 2026-11 (--close-by 姓名 | --unclosed) [--kpi KPIBOOK] [--to ADDR ...]
                                [--password-env NAME] [--resend 原因]

Every option is checked before any step runs (exit 2, nothing written): the month, BOOK and KPIBOOK
exist, the variable of ``--password-env`` holds a password, the mail settings and a recipient are there,
and the month was not sent to finance before (or, with ``--resend 原因``, it was: the export is then the
更正版 and the mail is marked 【更正版·勿重复支付】 with the reason, as ``kaohe send --resend``).

``--close-by`` closes the month (月结) after computing it, so finance receives the frozen figures;
``--unclosed`` sends the figures of a month that stays open (the finance cover says so). A month
already closed is not recomputed: its frozen figures are exported and sent.

Each step is logged as a row of 运行记录 in BOOK (月份, 命令 month-end:<step>, 统计 = what it did or
why it failed). The script stops at the first failing step and exits with that step's status
(2: the workbook cannot be used; 1: the step failed), so a scheduler can alert on it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addin"))

from kaohe.findings import InputRefused
from kaohe.jobs.close import close_job, close_state
from kaohe.jobs.finance import finance_job, password_from_env
from kaohe.jobs.handoff import payment_send
from kaohe.jobs.sending import send_job
from kaohe.periods import month_or_refuse
from kaohe.jobs.month import compute_month_job
from kaohe.jobs.common import log_step
from kaohe.workbook import contract as c
from kaohe.workbook.read import read_book
from kaohe.jobs.mail import MailError, ready


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("book", type=Path)
    ap.add_argument("--month", required=True)
    ap.add_argument("--kpi", type=Path)
    ap.add_argument("--to", action="append")
    ap.add_argument("--password-env")
    ap.add_argument("--resend", metavar="原因", help="本月已发送过财务：重发更正版并写明原因 / resend a month already sent")
    closing = ap.add_mutually_exclusive_group(required=True)
    closing.add_argument("--close-by", metavar="姓名", help="计算后月结，确认人 / close the month after computing")
    closing.add_argument("--unclosed", action="store_true", help="不月结也发送 / send the month unclosed")
    args = ap.parse_args(argv)
    try:
        _check_options(args)
    except (InputRefused, MailError) as exc:  # nothing computed, closed or written yet
        print(f"选项有误：{exc.zh} / bad option: {exc.en}", file=sys.stderr)
        return 2
    closed = _closed(args)
    steps = [] if closed else [("compute", lambda: compute_month_job(args.book, args.month, command="month-end:compute"))]
    if args.close_by and not closed:
        steps.append(("close", lambda: close_job(args.book, args.month, args.close_by, command="month-end:close")))
    steps.append(("finance", lambda: finance_job(args.book, args.month, None, args.kpi, args.password_env,
                                                 command="month-end:finance")))
    finance_file = None
    for name, run in steps:
        try:
            job = run()
        except (InputRefused, MailError, OSError) as exc:
            return _fail(args, name, exc)
        finance_file = job.written
        print(f"{name}: {job.written}")
    assert finance_file is not None  # the finance step ran (a failure returned above)
    try:  # the finance and send jobs write their own 运行记录 rows (month-end:finance, month-end:send)
        sent = send_job(finance_file, args.to, book=args.book, unclosed=args.unclosed, resend=args.resend,
                        command="month-end:send")
    except (InputRefused, MailError) as exc:
        return _fail(args, "send", exc)
    print(f"send: {', '.join(sent.recipients)}")
    return 0


def _check_options(args) -> None:
    """Every option that a later step would refuse (month, files, password variable, mail settings and
    recipients) is checked first, so that a month is never closed by a run that cannot send it."""
    args.month = month_or_refuse(args.month)
    for path in (args.book, args.kpi):
        if path is not None and not path.is_file():
            raise InputRefused(f"找不到文件：{path}", f"file not found: {path}")
    if args.password_env:
        password_from_env(args.password_env)
    ready(args.to)
    sent = payment_send(_raw(args).get(c.FINANCE_LOG.name), args.month)
    if sent is not None and not args.resend:
        raise InputRefused(f"{args.month} 已于 {sent.when} 发给 {sent.to}，不再发送；如需把更正版发给财务核对，请加 --resend 原因",
                           f"{args.month} was sent at {sent.when}; use --resend REASON to mail the corrected version")
    if sent is None and args.resend:
        raise InputRefused(f"{args.month} 还没有发送过财务，不需要 --resend", f"{args.month} was never sent; no --resend")


def _raw(args) -> dict:
    """kaohe's close and finance records in BOOK ({} when it cannot be read: the compute step says why)."""
    try:
        return read_book(args.book, (c.ROSTER,), raw=(c.CLOSE_LOG.name, c.FINANCE_LOG.name)).raw
    except InputRefused:
        return {}


def _closed(args) -> bool:
    """Whether the month is closed already (then it is neither recomputed nor closed again)."""
    state = close_state(_raw(args).get(c.CLOSE_LOG.name), args.month)
    return bool(state and state.closed)


def _fail(args, step: str, exc: Exception) -> int:
    zh = getattr(exc, "zh", str(exc))
    en = getattr(exc, "en", str(exc))
    print(f"{step} 失败：{zh} / {step} failed: {en}", file=sys.stderr)
    try:
        log_step(args.book, args.month, f"month-end:{step}", f"失败：{zh}")
    except (InputRefused, OSError):
        pass  # the workbook itself is the problem: nothing more can be logged in it
    return 2 if isinstance(exc, InputRefused) else 1


if __name__ == "__main__":
    sys.exit(main())
