"""Month end, for a scheduled task: compute the month, export for finance, send it.

    python scripts/month_end.py BOOK --month 2026-11 [--kpi KPIBOOK] [--to ADDR ...] [--password-env NAME]

Each step is logged as a row of 运行记录 in BOOK (月份, 命令 month-end:<step>, 统计 = what it did or
why it failed). The script stops at the first failing step and exits with that step's status
(2: the workbook cannot be used; 1: the step failed), so a scheduler can alert on it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addin"))

from kaohe.findings import InputRefused  # noqa: E402
from kaohe.jobs import compute_month_job, finance_job, log_step  # noqa: E402
from kaohe.mail import MailError, send  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("book", type=Path)
    ap.add_argument("--month", required=True)
    ap.add_argument("--kpi", type=Path)
    ap.add_argument("--to", action="append")
    ap.add_argument("--password-env")
    args = ap.parse_args(argv)
    steps = [
        ("compute", lambda: compute_month_job(args.book, args.month, command="month-end:compute")),
        ("finance", lambda: finance_job(args.book, args.month, None, args.kpi, args.password_env)),
    ]
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
        recipients = send(finance_file, args.to)
    except MailError as exc:
        return _fail(args, "send", exc)
    log_step(args.book, args.month, "month-end:send", f"已发送给 {', '.join(recipients)}")
    print(f"send: {', '.join(recipients)}")
    return 0


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
