"""Month end, for a scheduled task: compute the month, export for finance, send it.

    python scripts/month_end.py BOOK --month 2026-11 (--close-by 姓名 | --unclosed) [--kpi KPIBOOK] [--to ADDR ...]
                                [--password-env NAME]

Every option is checked before any step runs (exit 2, nothing written): the month, BOOK and KPIBOOK
exist, the variable of ``--password-env`` holds a password, the mail settings and a recipient are there.

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
from kaohe.jobs.finance import check_closed, finance_job, password_from_env
from kaohe.periods import month_or_refuse
from kaohe.jobs.month import compute_month_job
from kaohe.jobs.common import log_step
from kaohe.workbook import contract as c
from kaohe.workbook.read import read_book
from kaohe.jobs.mail import MailError, ready, send


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("book", type=Path)
    ap.add_argument("--month", required=True)
    ap.add_argument("--kpi", type=Path)
    ap.add_argument("--to", action="append")
    ap.add_argument("--password-env")
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
    steps.append(("finance", lambda: finance_job(args.book, args.month, None, args.kpi, args.password_env)))
    finance_file = None
    for name, run in steps:
        try:
            job = run()
        except (InputRefused, MailError, OSError) as exc:
            return _fail(args, name, exc)
        if name == "finance":
            finance_file = job.written
            log_step(args.book, args.month, "month-end:finance", f"已写入 {job.written.name}")
        print(f"{name}: {job.written}")
    try:
        check_closed(finance_file, args.unclosed)
        recipients = send(finance_file, args.to)
    except (InputRefused, MailError) as exc:
        return _fail(args, "send", exc)
    log_step(args.book, args.month, "month-end:send", f"已发送给 {', '.join(recipients)}")
    print(f"send: {', '.join(recipients)}")
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


def _closed(args) -> bool:
    """Whether the month is closed already (then it is neither recomputed nor closed again)."""
    try:
        log = read_book(args.book, (c.ROSTER,), raw=(c.CLOSE_LOG.name,)).raw.get(c.CLOSE_LOG.name)
    except InputRefused:
        return False  # the compute step reports why the workbook cannot be used
    state = close_state(log, args.month)
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
