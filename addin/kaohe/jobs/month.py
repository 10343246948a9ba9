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
from kaohe.jobs.money import items_of_book, monthly_sheet
from kaohe.periods import month_bounds, month_or_refuse
from kaohe.policy.items import TOTAL_NAMES, TOTALS
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook.read import read_book
from kaohe.workbook.write import frame_spec, previous_problems, roster_ids, run_log_spec, save, wide_print


def attendance_specs(result: MonthResult, previous: list[list] | None = None, tables=None,
                     leave_check: pd.DataFrame | None = None) -> list:
    """The month's sheets; ``previous`` is the 问题清单 as it stands (rows of other commands are kept);
    ``leave_check`` the 请假校验 to write when it is not the month's own (closed months' rows kept)."""
    company = result.policy.company_name
    leave_check = result.leave_check if leave_check is None else leave_check
    return [
        frame_spec(c.DAILY, result.daily, freeze="E2", highlights=[("旷工天数", "absent"), ("缺卡次数", "missing")],
                   **wide_print(company, f"{result.month} {c.DAILY.name}")),
        frame_spec(monthly_sheet(result.items, result.leave_types), result.monthly, total=True, freeze="C2", data_name=c.MONTHLY_DATA_NAME,
                   highlights=[("旷工天数", "absent"), ("缺卡次数", "missing")],
                   properties={c.MONTHLY_MONTH_PROPERTY: result.month},
                   **wide_print(company, f"{result.month} {c.MONTHLY_NAME}")),
        frame_spec(c.LEAVE_CHECK, leave_check),
        problems_of(result.findings, c.SOURCE_MONTH, result.month, previous, tables or {}),
        grid_spec(result),
    ]


def compute_month_job(book: Path, month: str, out: Path | None = None, progress=None,
                      command: str = "compute-month") -> JobResult:
    """计算本月: the month's output sheets into ``book`` (in place, after a backup) or ``out``."""
    month = month_or_refuse(month)
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book), items_of_book(book):  # the workbook's money items (its 假别 sheet's deductions too)
        say("读取工作簿…")
        data = read_book(book, raw=close.CLOSE_SHEETS)
        state = close.refuse_if_closed(data.raw.get(c.CLOSE_LOG.name), month)
        say("计算考勤…")
        read = about_month(data.findings, data.tables, *month_bounds(month))
        result = compute_month(data.tables, month).with_findings(read)
        leave_check = close.keep_closed_leave(result.leave_check, data.raw.get)
        summary = {**result.summary, "errors": errors(result.findings)}
        say("写入结果…")
        specs = attendance_specs(result, previous_problems(book), data.tables, leave_check)
        specs += close.reopened_specs(state, data.raw.get, result.monthly)
        specs.append(run_log_spec(book, command, month, data.fingerprint, run_counts(result)))
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(result.findings), summary, result)


def run_counts(result: MonthResult) -> str:
    """运行记录's 统计 of a computed month: employees, problems and each money total (kaohe.policy.items)."""
    totals = result.totals()
    return "; ".join([f"员工{len(result.monthly)}人", f"问题{len(result.findings)}条",
                      *(f"{TOTAL_NAMES[t]}{totals[t]:.2f}元" for t in TOTALS)])


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
    leave_check = result.leave_check if raw_rows is None else close.keep_closed_leave(result.leave_check, raw_rows)
    findings = findings + [f for f in result.findings if f.area in (c.LEAVE.key, c.RULES.key)]
    problems = problems_of(findings, c.SOURCE_LEAVE, "", previous, tables)
    return leave_check, findings, [frame_spec(c.LEAVE_CHECK, leave_check), problems]


def check_leave_job(book: Path, out: Path | None = None, progress=None) -> JobResult:
    """校验请假: 请假校验 and 问题清单 for every leave record (all months)."""
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取工作簿…")
        data = read_book(book, raw=(c.CLOSE_LOG.name, c.FROZEN_LEAVE.name))
        checked, findings, specs = leave_check(data.tables, data.findings, previous_problems(book), data.raw.get)
        passed = int((checked["result"] == terms.CHECK_PASS).sum()) if len(checked) else 0
        counts = f"请假{len(checked)}条; 通过{passed}条; 问题{len(findings)}条（错误{errors(findings)}条）"
        specs.append(run_log_spec(book, "check-leave", "", data.fingerprint, counts))
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(findings),
                     {"records": len(checked), "passed": passed, "errors": errors(findings)})

