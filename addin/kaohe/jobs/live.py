"""Jobs on an open workbook's values: what a door read through Excel (rows by sheet name), not its file.

The cell functions need the calling workbook's 规则, 节假日 and 假别 as compute-month builds them; the ribbon
needs the month to offer, a month's close state and what went to finance before it saves anything. The WPS
buttons (kaohe serve) have the saved file only: :func:`saved_rows` reads its sheets, :func:`run_lock` holds the
workbook for a button.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple
from collections.abc import Callable

from kaohe import policy as pol, terms
from kaohe.calendar import Calendar
from kaohe.engine import leave_sheet, standard
from kaohe.engine.month import calendar_of, load_policy
from kaohe.findings import Finding, InputRefused
from kaohe.jobs import handoff
from kaohe.jobs.close import CloseState, close_state
from kaohe.periods import month_of
from kaohe.engine.penalties import table_of as penalty_table
from kaohe.policy.leave_table import LeaveTable
from kaohe.policy.penalties import PenaltyTable
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock as run_lock  # the one run lock, for a door holding it around a button
from kaohe.workbook.kpi_data import kpi_data_table
from kaohe.workbook.read import missing_sheet, read_book, tables_from_rows

Rows = Callable[[str], "list[list] | None"]  # sheet name -> its values from A1, None when there is no such sheet

RULES_SHEET, HOLIDAYS_SHEET, LEAVE_TYPES_SHEET = c.RULES.name, c.HOLIDAYS.name, c.LEAVE_KINDS.name
PENALTIES_SHEET = c.PENALTIES.name
CELL_SHEETS = (RULES_SHEET, HOLIDAYS_SHEET, LEAVE_TYPES_SHEET, PENALTIES_SHEET)  # what the cell functions read of their workbook

# The sheets a job refuses to run without (its mandatory inputs), for a door to check before it saves or closes.
ATTENDANCE_SHEETS = tuple(s.name for s in c.ATTENDANCE_INPUTS if s.mandatory)
KPI_SHEETS = (c.ROSTER.name, c.KPI_DATA.name)
REVIEW_SHEETS = (c.ROSTER.name, c.REVIEW_SCORES.name)


class CellRules(NamedTuple):
    """What a workbook's 规则, 节假日, 假别 and 罚则 say, and the first 错误 compute-month would list for them (a 罚则
    sheet compute-month refuses: ``refused``, its message)."""

    policy: pol.Policy
    calendar: Calendar
    terms: terms.Terms
    error: Finding | None
    leave_table: LeaveTable
    penalties: PenaltyTable | None = None
    refused: str = ""


def cell_rules(rows: Rows) -> CellRules:
    """规则, 节假日 and 假别 through the workbook reader and compute-month's own builders (load_policy,
    leave_sheet.leave_table_of, calendar_of, standard.terms_in_force): a row compute-month lists as an 错误 is
    ``error``."""
    tables, findings = tables_from_rows(rows, (c.RULES, c.HOLIDAYS, c.LEAVE_KINDS, c.PENALTIES))
    policy, found = load_policy(tables)
    leave_table, policy, found_leave = leave_sheet.leave_table_of(tables, policy)
    findings += found + found_leave
    vocab, found_terms = standard.terms_in_force(tables, leave_table)
    calendar, found_days = calendar_of(tables, policy)
    findings += found_terms + found_days
    error = next((f for f in findings if f.level == terms.LEVEL_ERROR), None)
    try:
        table, _ = penalty_table(tables, policy)
    except InputRefused as exc:
        return CellRules(policy, calendar, vocab, error, leave_table, None, exc.zh)
    return CellRules(policy, calendar, vocab, error, leave_table, table)


def default_month(rows: Rows) -> str:
    """The month to offer: of the latest punch in 打卡记录, else of the latest KPI数据 row, else none ("")."""
    stamps = []
    if rows(c.PUNCHES.name) is not None:
        tables, _ = tables_from_rows(rows, (c.PUNCHES,))
        t = tables[c.PUNCHES.key]
        if t.present:
            col = t.frame["ts"] if "ts" in t.letters else t.frame["date"]
            stamps = [v for v in col if v is not None and v == v]
    if stamps:
        return month_of(max(stamps))
    months = []
    kpi_rows = rows(c.KPI_DATA.name)
    if kpi_rows:  # read as kaohe kpi reads it: 月份 in any spelling, wherever its column is
        try:
            months = list(kpi_data_table(kpi_rows, {})[0].frame["month"].dropna())
        except InputRefused:
            pass
    return max(months) if months else ""


def month_close_state(rows: Rows, month: str) -> CloseState | None:
    """The month's latest 月结记录 entry in the open workbook, or None if it was never closed."""
    return close_state(rows(c.CLOSE_LOG.name), month)


def latest_export(rows: Rows) -> handoff.Entry | None:
    """The latest finance export recorded in the open workbook's 财务发送记录 (its file, month, version)."""
    found = [e for e in handoff.entries(rows(c.FINANCE_LOG.name)) if e.action == c.EXPORT_ACTION]
    return found[-1] if found else None


def month_sent(rows: Rows, month: str) -> handoff.Entry | None:
    """The send of ``month``'s payment file to finance recorded in the open workbook, or None."""
    return handoff.payment_send(rows(c.FINANCE_LOG.name), month)


def refuse_missing(present, required: tuple[str, ...]) -> None:
    """The job's own refusal (:func:`kaohe.workbook.read.missing_sheet`) for the first ``required`` sheet not in
    ``present``, before the job starts: an open workbook is then neither saved nor closed for nothing."""
    present = tuple(present)
    for name in required:
        if name not in present:
            raise missing_sheet(name, present)


def saved_rows(book: Path) -> Rows:
    """The sheets of the saved file as :data:`Rows` (read when first asked for): a door that has the workbook's
    path but not its open cells (WPS) offers the month and reads 月结记录 from what was last saved."""
    cache: dict[str, list[list] | None] = {}

    def rows(sheet: str) -> list[list] | None:
        if sheet not in cache:
            cache[sheet] = read_book(Path(book), (), raw=(sheet,), may_be_open=True).raw.get(sheet)
        return cache[sheet]
    return rows


def saved_sheet_names(book: Path) -> list[str]:
    """The sheet names of the saved file (a door without the open workbook's cells: WPS)."""
    return list(read_book(Path(book), (), may_be_open=True).sheet_names)
