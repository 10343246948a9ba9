"""月结: closing a month that finance has paid, reopening it, and paying corrections next month.

A close is a row of 月结记录 (月份, 操作 月结, 确认人, the computer's user name, 时间, the
fingerprint of the input values of that month, the fingerprint of 月度汇总's values, the
totals) plus a frozen copy of the month's 月度汇总 and 请假校验 values in hidden kaohe sheets.
The latest row of a month says whether it is closed. While it is closed:

* compute-month is refused (nothing written), import keeps the month's punches out and
  check-leave leaves the month's 请假校验 rows as closed;
* the finance export is made from the frozen figures, never recomputed.

Reopening (操作 重新打开, with a reason) lets the month be recomputed; each recompute writes
变更对比 (every employee and money column: as closed, now, difference). Closing it again
freezes the new figures and records every difference from the figures last sent to finance or
last closed, whichever is later, in a hidden corrections sheet (kaohe.jobs.corrections), paid with
the next month not yet sent: that month's finance export carries 上月更正 (补发 +, 补扣 −) and
更正明细. A first close after the month was sent unclosed is measured against what was sent.

Fingerprints are of values, not of the file: sha256 over a canonical text of the rows (numbers
to 4 decimals, dates in ISO form, text stripped, blank as empty, rows sorted), so re-saving or
reformatting the workbook does not change them, while any changed value does.
"""
from __future__ import annotations

import datetime as dt
import getpass
import os
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from kaohe.findings import Finding, InputRefused
from kaohe.periods import month_bounds
from kaohe.jobs.corrections import differences, frozen_monthly, new_corrections
from kaohe.jobs.records import records as _records
from kaohe.jobs.fingerprints import (input_fingerprint, monthly_rows, summary_fingerprint, touches_month,
                                values_fingerprint)
from kaohe.jobs.money import frozen_sheet, in_force, items_of_book, monthly_sheet
from kaohe.policy.items import DEDUCTIONS, FINES, PAY, TOTALS
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.docprops import read_properties
from kaohe.workbook.sheetxml import SheetSpec
from kaohe.workbook.write import frame_spec

CLOSE_SHEETS = (c.CLOSE_LOG.name, c.FROZEN_MONTHLY_NAME, c.FROZEN_LEAVE.name)  # what a compute reads of kaohe's


@dataclass(frozen=True)
class CloseState:
    """The latest 月结记录 row of a month."""

    month: str
    action: str
    by: str
    time: object
    summary_fp: str
    reason: str
    input_fp: str = ""

    @property
    def closed(self) -> bool:
        return self.action == c.CLOSE_ACTION

    @property
    def when(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M}" if isinstance(self.time, (dt.datetime, dt.date)) else str(self.time or "")


# --- reading kaohe's close sheets (from a file's raw rows or from the live workbook) ---
def close_state(log_rows: list[list] | None, month: str) -> CloseState | None:
    """The month's latest 月结记录 entry, or None if it was never closed."""
    log = _records(log_rows, c.CLOSE_LOG)
    log = log[log["month"].astype(str) == month]
    if log.empty:
        return None
    r = log.iloc[-1]
    return CloseState(month, str(r["action"]), str(r["by"] or ""), r["time"], str(r["summary_fp"] or ""),
                      str(r["reason"] or ""), str(r["input_fp"] or ""))


def closed_months(log_rows: list[list] | None) -> set[str]:
    log = _records(log_rows, c.CLOSE_LOG)
    latest = log.groupby("month", sort=False)["action"].last() if len(log) else pd.Series(dtype=object)
    return {str(m) for m, a in latest.items() if a == c.CLOSE_ACTION}


def closed_figures(frozen_rows: list[list] | None, month: str) -> pd.DataFrame:
    """The frozen 月度汇总 of a closed month; refused if kaohe's hidden copy is gone (never recomputed)."""
    frame = frozen_monthly(frozen_rows, month)
    if frame.empty:
        raise InputRefused(f"{month} 已月结，但隐藏表“{c.FROZEN_MONTHLY_NAME}”中没有该月的数据（可能被删除）："
                           "请从备份恢复，或重新打开后再月结",
                           f"{month} is closed but its frozen figures are missing from '{c.FROZEN_MONTHLY_NAME}'")
    return frame


def refuse_if_closed(log_rows: list[list] | None, month: str) -> CloseState | None:
    """Refuse work on a closed month (exit 2); returns the month's state otherwise."""
    state = close_state(log_rows, month)
    if state is not None and state.closed:
        raise InputRefused(
            f"{month} 已于 {state.when} 由 {state.by} 月结，不能重新计算；如需更正请先重新打开"
            f"（kaohe close 工作簿 --month {month} --reopen 原因 --by 姓名）",
            f"{month} was closed by {state.by} at {state.when}; reopen it first (kaohe close --reopen)")
    return state


# --- what close, reopen and recompute write ------------------------------------------
def computer_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return os.environ.get("USERNAME", "")


def log_spec(log_rows: list[list] | None, entry: dict) -> SheetSpec:
    """月结记录 with ``entry`` (engine fields) appended."""
    log = _records(log_rows, c.CLOSE_LOG)
    log = pd.concat([log, pd.DataFrame([entry])], ignore_index=True) if len(log) else pd.DataFrame([entry])
    return frame_spec(c.CLOSE_LOG, log, landscape=True)


def close_entry(month: str, by: str, input_fp: str, monthly: pd.DataFrame) -> dict:
    """A 月结 row: who, when, the fingerprints, and the month's money by total (kaohe.policy.items)."""
    totals = {t: float(monthly[[i.field for i in in_force().of_total(t)]].to_numpy().sum()) for t in TOTALS}
    return {"month": month, "action": c.CLOSE_ACTION, "by": by, "user": computer_user(),
            "time": dt.datetime.now().replace(microsecond=0), "input_fp": input_fp,
            "summary_fp": summary_fingerprint(monthly), "employees": len(monthly),
            "fines": totals[FINES], "deductions": totals[DEDUCTIONS], "ot_pay": totals[PAY],
            "adjustment": float(monthly["adjustment"].sum())}


def reopen_entry(month: str, by: str, reason: str) -> dict:
    return {"month": month, "action": c.REOPEN_ACTION, "by": by, "user": computer_user(),
            "time": dt.datetime.now().replace(microsecond=0), "reason": reason}


def _replace_month(rows: list[list] | None, sheet: c.OutputSheet, month: str, frame: pd.DataFrame) -> SheetSpec:
    """A hidden per-month store with ``month``'s rows replaced by ``frame``."""
    kept = _records(rows, sheet)
    kept = kept[kept["month"].astype(str) != month]
    new = frame.assign(month=month)
    both = pd.concat([kept, new], ignore_index=True) if len(kept) else new
    return frame_spec(sheet, both, hidden=True, print_titles=False)


def frozen_specs(raw: dict, month: str, monthly: pd.DataFrame, leave_check: pd.DataFrame) -> list[SheetSpec]:
    first, last = month_bounds(month)
    leave = leave_check[touches_month(leave_check, ("start", "end"), first, last)] if len(leave_check) else leave_check
    return [_replace_month(raw.get(c.FROZEN_MONTHLY_NAME), frozen_sheet(), month, monthly),
            _replace_month(raw.get(c.FROZEN_LEAVE.name), c.FROZEN_LEAVE, month, leave)]


def changes_spec(diff: pd.DataFrame, reason: str) -> SheetSpec:
    return frame_spec(c.CHANGES, diff.assign(reason=reason), changed_rows=("差额", "missing"))


def reopened_specs(state: CloseState | None, raw_rows, monthly: pd.DataFrame) -> list[SheetSpec]:
    """变更对比 for the recompute of a reopened month (nothing for a month never closed)."""
    if state is None or state.closed:
        return []
    before = frozen_monthly(raw_rows(c.FROZEN_MONTHLY_NAME), state.month)
    return [changes_spec(differences(before, monthly), state.reason)]



def keep_closed_leave(leave_check: pd.DataFrame, raw_rows) -> pd.DataFrame:
    """请假校验 with the rows of closed months as they were closed (``raw_rows(name)`` gives a sheet's rows)."""
    months = closed_months(raw_rows(c.CLOSE_LOG.name))
    if not months:
        return leave_check
    frozen = _records(raw_rows(c.FROZEN_LEAVE.name), c.FROZEN_LEAVE)
    frozen = frozen[frozen["month"].astype(str).isin(months)].drop(columns=["month"])
    hit = pd.Series(False, index=leave_check.index)
    for month in months:
        hit |= touches_month(leave_check, ("start", "end"), *month_bounds(month)) if len(leave_check) else hit
    kept = leave_check[~hit]
    both = pd.concat([kept, frozen], ignore_index=True) if len(kept) else frozen.reset_index(drop=True)
    both = both.drop_duplicates(subset=["source"]) if len(both) else both
    return both.sort_values("start", kind="stable", key=lambda s: pd.to_datetime(s, errors="coerce")).reset_index(drop=True)


def keep_out_closed(punch_rows: list[tuple], log_rows) -> tuple[list[tuple], list[Finding]]:
    """Imported punches (工号, 打卡时间, 来源, …) without those dated in a closed month; a 警告 per month left out."""
    months = closed_months(log_rows)
    if not months:
        return punch_rows, []
    left_out = Counter(f"{r[1]:%Y-%m}" for r in punch_rows if f"{r[1]:%Y-%m}" in months)
    kept = [r for r in punch_rows if f"{r[1]:%Y-%m}" not in months]
    return kept, [Finding(c.IMPORTED.name, "", f"{m} 已月结：该月的 {n} 条打卡未导入", "如需更正请先重新打开该月（kaohe close --reopen）",
                          level=terms.LEVEL_WARNING, month=m, code="import.closed_month") for m, n in sorted(left_out.items())]


# --- the command -----------------------------------------------------------------------
CLOSE_RAW = (c.CLOSE_LOG.name, c.FROZEN_MONTHLY_NAME, c.FROZEN_LEAVE.name, c.CORRECTIONS.name, c.MONTHLY_NAME,
             c.FINANCE_LOG.name, c.FINANCE_FIGURES_NAME)


def shown_month(book) -> str | None:
    """The month 月度汇总 shows: recorded in the workbook's document properties when compute-month wrote it."""
    return read_properties(book).get(c.MONTHLY_MONTH_PROPERTY) or None


def _check_shown(book, raw: dict, month: str, monthly: pd.DataFrame) -> None:
    """Refuse to close other figures than the 月度汇总 HR checked (inputs changed after computing)."""
    if shown_month(book) != month or not raw.get(c.MONTHLY_NAME):
        return
    shown = _records(raw[c.MONTHLY_NAME], monthly_sheet())
    shown = shown[shown["emp"].astype(str) != c.TOTAL_LABEL]
    if values_fingerprint(monthly_rows(shown)) != summary_fingerprint(monthly):
        raise InputRefused("月度汇总与按当前输入算出的结果不一致（计算后输入又有改动），请先“计算本月”并查看，再月结",
                           "月度汇总 differs from what the current inputs give; compute the month again first")


def close_job(book, month: str, by: str, reopen: str | None = None, progress=None, command: str = "close"):
    """月结确认 (or, with ``reopen`` = the reason, 重新打开) of ``month`` in ``book``."""
    from pathlib import Path

    from kaohe.periods import month_or_refuse
    from kaohe.workbook.lock import run_lock
    from kaohe.workbook.read import read_book

    month = month_or_refuse(month)
    by = (by or "").strip()
    if not by:
        raise InputRefused("请用 --by 写明确认人姓名", "say who closes the month with --by")
    if reopen is not None and not reopen.strip():
        raise InputRefused("重新打开需要写明原因", "reopening needs a reason")
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book), items_of_book(book):  # the workbook's money items (its 假别 sheet's deductions too)
        say("读取工作簿…")
        data = read_book(book, raw=CLOSE_RAW)
        if reopen is not None:
            return _reopen(book, data, month, by, reopen.strip())
        return _close(book, data, month, by, command, say)


def _reopen(book, data, month: str, by: str, reason: str):
    """重新打开: a 月结记录 row with the reason (the month may then be recomputed)."""
    from kaohe.jobs.outcome import JobResult
    from kaohe.workbook.write import run_log_spec, save

    log = data.raw.get(c.CLOSE_LOG.name)
    state = close_state(log, month)
    if state is None or not state.closed:
        raise InputRefused(f"{month} 没有月结，无需重新打开", f"{month} is not closed")
    entry = reopen_entry(month, by, reason)
    specs = [log_spec(log, entry), run_log_spec(book, "close --reopen", month, data.fingerprint,
                                                f"重新打开; 确认人{by}; 原因{reason}")]
    written, backup = save(book, None, specs)
    return JobResult(written, backup, [s.name for s in specs], 0, {"action": c.REOPEN_ACTION, **entry})


def _close(book, data, month: str, by: str, command: str, say):
    """月结: the month computed as shown, its figures frozen; after a reopening, the corrections for next month."""
    from kaohe.engine.month import compute_month
    from kaohe.jobs.outcome import JobResult
    from kaohe.workbook.write import run_log_spec, save

    log = data.raw.get(c.CLOSE_LOG.name)
    state = refuse_if_closed(log, month)
    say("计算本月…")
    result = compute_month(data.tables, month)
    _check_shown(book, data.raw, month, result.monthly)
    entry = close_entry(month, by, input_fingerprint(data.tables, month), result.monthly)
    specs = [log_spec(log, entry), *frozen_specs(data.raw, month, result.monthly, result.leave_check)]
    specs += new_corrections(data.raw, month, state.reason if state is not None else None, result.monthly)
    counts = (f"月结; 确认人{by}; 员工{entry['employees']}人; 调整合计{entry['adjustment']:.2f}元; "
              f"汇总指纹{entry['summary_fp']}")
    specs.append(run_log_spec(book, command, month, data.fingerprint, counts))
    say("写入月结记录…")
    written, backup = save(book, None, specs)
    return JobResult(written, backup, [s.name for s in specs], len(result.findings), {"action": c.CLOSE_ACTION, **entry},
                     result)
