"""The jobs every door runs: read a workbook, run the engine, write kaohe's sheets.

The command line, scheduled scripts and the ribbon call these; each returns a
:class:`JobResult` that says what was written and how many problems were found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kaohe.engine.month import MonthResult, compute_month, parse_month
from kaohe.findings import InputRefused
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook.read import read_book
from kaohe.workbook.write import frame_spec, problems_spec, run_log_spec, save


@dataclass
class JobResult:
    written: Path
    backup: Path | None
    sheets: list[str]
    problems: int
    summary: dict = field(default_factory=dict)
    result: MonthResult | None = None


def _month_or_refuse(month: str) -> None:
    try:
        parse_month(month)
    except ValueError:
        raise InputRefused(f"月份格式应为 YYYY-MM（收到“{month}”）", f"month must be YYYY-MM (got '{month}')") from None


def attendance_specs(result: MonthResult) -> list:
    return [
        frame_spec(c.DAILY, result.daily, freeze="E2",
                   highlights=[("旷工天数", "absent"), ("缺卡次数", "missing")]),
        frame_spec(c.MONTHLY, result.monthly, total=True, freeze="C2",
                   highlights=[("旷工天数", "absent"), ("缺卡次数", "missing")]),
        frame_spec(c.LEAVE_CHECK, result.leave_check),
        problems_spec(result.findings),
    ]


def compute_month_job(book: Path, month: str, out: Path | None = None, progress=None,
                      command: str = "compute-month") -> JobResult:
    """计算本月: the month's output sheets into ``book`` (in place, after a backup) or ``out``."""
    _month_or_refuse(month)
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取工作簿…")
        data = read_book(book)
        say("计算考勤…")
        result = compute_month(data.tables, month)
        result.findings[:0] = data.findings
        result.summary["problems"] = len(result.findings)
        say("写入结果…")
        specs = attendance_specs(result)
        counts = (f"员工{result.summary['employees']}人; 问题{len(result.findings)}条; "
                  f"罚款{result.summary['fines']:.2f}元; 扣款{result.summary['deductions']:.2f}元; "
                  f"加班费{result.summary['overtime_pay']:.2f}元")
        specs.append(run_log_spec(book, command, month, data.fingerprint, counts))
        written, backup = save(book, out, specs)
    return JobResult(written, backup, [s.name for s in specs], len(result.findings), result.summary, result)


def check_leave_job(book: Path, out: Path | None = None, progress=None) -> JobResult:
    """校验请假: 请假校验 and 问题清单 for every leave record (all months)."""
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取工作簿…")
        data = read_book(book)
        leave = data.tables.get(c.LEAVE.name)
        starts = [s for s in (leave.frame["start"] if leave is not None else []) if s is not None]
        month = max(starts).strftime("%Y-%m") if starts else "2026-01"
        result = compute_month(data.tables, month)
        findings = data.findings + [f for f in result.findings if f.sheet in (c.LEAVE.name, c.RULES.name)]
        specs = [frame_spec(c.LEAVE_CHECK, result.leave_check), problems_spec(findings)]
        passed = int((result.leave_check["result"] == c.CHECK_PASS).sum()) if len(result.leave_check) else 0
        counts = f"请假{len(result.leave_check)}条; 通过{passed}条; 问题{len(findings)}条"
        specs.append(run_log_spec(book, "check-leave", "", data.fingerprint, counts))
        written, backup = save(book, out, specs)
    return JobResult(written, backup, [s.name for s in specs], len(findings),
                     {"records": len(result.leave_check), "passed": passed})
