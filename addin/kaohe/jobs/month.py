"""计算本月 and 校验请假: read an attendance workbook, run the month's engine, write kaohe's sheets.

The command line, scheduled scripts and the ribbon call these; each returns a :class:`JobResult` that
says what was written and how many problems were found.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from kaohe.engine.inputs import about_month
from kaohe.engine.month import MonthResult, compute_month
from kaohe.jobs import close
from kaohe.jobs.common import errors, problems_of
from kaohe.jobs.outcome import JobResult
from kaohe.jobs.render.grid import grid_spec
from kaohe.periods import month_bounds, month_or_refuse
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook.read import read_book
from kaohe.workbook.write import frame_spec, previous_problems, roster_ids, run_log_spec, save, wide_print


def attendance_specs(result: MonthResult, previous: list[list] | None = None, tables=None) -> list:
    """The month's sheets; ``previous`` is the 问题清单 as it stands (rows of other commands are kept)."""
    company = result.policy.company_name
    return [
        frame_spec(c.DAILY, result.daily, freeze="E2", highlights=[("旷工天数", "absent"), ("缺卡次数", "missing")],
                   **wide_print(company, f"{result.month} {c.DAILY.name}")),
        frame_spec(c.MONTHLY, result.monthly, total=True, freeze="C2", data_name=c.MONTHLY_DATA_NAME,
                   highlights=[("旷工天数", "absent"), ("缺卡次数", "missing")],
                   **wide_print(company, f"{result.month} {c.MONTHLY.name}")),
        frame_spec(c.LEAVE_CHECK, result.leave_check),
        problems_of(result.findings, c.SOURCE_MONTH, result.month, previous, tables or {}),
        grid_spec(result),
    ]


def compute_month_job(book: Path, month: str, out: Path | None = None, progress=None,
                      command: str = "compute-month") -> JobResult:
    """计算本月: the month's output sheets into ``book`` (in place, after a backup) or ``out``."""
    month = month_or_refuse(month)
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取工作簿…")
        data = read_book(book, raw=close.CLOSE_SHEETS)
        state = close.refuse_if_closed(data.raw.get(c.CLOSE_LOG.name), month)
        say("计算考勤…")
        result = compute_month(data.tables, month)
        result.leave_check = close.keep_closed_leave(result.leave_check, data.raw.get)
        result.findings[:0] = about_month(data.findings, data.tables, *month_bounds(month))
        result.summary["problems"] = len(result.findings)
        result.summary["errors"] = errors(result.findings)
        say("写入结果…")
        specs = attendance_specs(result, previous_problems(book), data.tables)
        specs += close.reopened_specs(state, data.raw.get, result.monthly)
        counts = (f"员工{result.summary['employees']}人; 问题{len(result.findings)}条; "
                  f"罚款{result.summary['fines']:.2f}元; 扣款{result.summary['deductions']:.2f}元; "
                  f"加班费{result.summary['overtime_pay']:.2f}元")
        specs.append(run_log_spec(book, command, month, data.fingerprint, counts))
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(result.findings), result.summary, result)


# The month whose calendar a workbook with no leave record and no punch is "checked" in: nothing is checked
# then, and a fixed month keeps the run independent of today's date.
NO_RECORD_MONTH = "2000-01"


def check_month(tables) -> str:
    """The month 校验请假 computes in: of the latest leave start, else of the latest punch."""
    for key, field in ((c.LEAVE.key, "start"), (c.PUNCHES.key, "ts"), (c.PUNCHES.key, "date")):
        t = tables.get(key)
        if t is not None and field in t.frame:
            stamps = pd.to_datetime(t.frame[field], errors="coerce").dropna()
            if len(stamps):
                return stamps.max().strftime("%Y-%m")
    return NO_RECORD_MONTH


def leave_check(tables, findings, previous: list[list] | None = None, raw_rows=None):
    """校验请假 on read tables: every leave record (in the month of :func:`check_month`).

    Its 问题清单 rows have 来源 校验请假 and no 月份 (they cover every month); ``previous`` as in
    :func:`attendance_specs`. ``raw_rows(name)`` gives kaohe's close sheets: the rows of closed
    months stay as they were closed.
    """
    result = compute_month(tables, check_month(tables), require_punches=False, this_month=False)
    if raw_rows is not None:
        result.leave_check = close.keep_closed_leave(result.leave_check, raw_rows)
    findings = findings + [f for f in result.findings if f.sheet in (c.LEAVE.name, c.RULES.name)]
    problems = problems_of(findings, c.SOURCE_LEAVE, "", previous, tables)
    return result, findings, [frame_spec(c.LEAVE_CHECK, result.leave_check), problems]


def check_leave_job(book: Path, out: Path | None = None, progress=None) -> JobResult:
    """校验请假: 请假校验 and 问题清单 for every leave record (all months)."""
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取工作簿…")
        data = read_book(book, raw=(c.CLOSE_LOG.name, c.FROZEN_LEAVE.name))
        result, findings, specs = leave_check(data.tables, data.findings, previous_problems(book), data.raw.get)
        passed = int((result.leave_check["result"] == c.CHECK_PASS).sum()) if len(result.leave_check) else 0
        counts = f"请假{len(result.leave_check)}条; 通过{passed}条; 问题{len(findings)}条（错误{errors(findings)}条）"
        specs.append(run_log_spec(book, "check-leave", "", data.fingerprint, counts))
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(findings),
                     {"records": len(result.leave_check), "passed": passed, "errors": errors(findings)})

