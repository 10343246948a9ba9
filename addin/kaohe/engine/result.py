"""A computed month (:class:`MonthResult`): what kaohe.engine.month.compute_month returns."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from kaohe import policy as pol, terms
from kaohe.engine.ledger import Ledger
from kaohe.findings import Finding
from kaohe.policy import items as money_items
from kaohe.policy.leave_table import LeaveTable


@dataclass(frozen=True)
class MonthResult:
    """A computed month: the output frames, the ledger they are group-bys of, and the findings."""

    month: str
    daily: pd.DataFrame
    monthly: pd.DataFrame
    leave_check: pd.DataFrame
    findings: tuple[Finding, ...]
    policy: pol.Policy
    items: money_items.Registry
    ledger: Ledger
    leave_checks: pd.DataFrame  # each check of each leave record (kaohe.engine.leave.ENTRY_COLUMNS)
    sessions: pd.DataFrame  # every scheduled half day, evaluated (for the 考勤表 grid)
    # the leave types with a days column in 月度汇总 (kaohe.policy.leave_table.LeaveTable.summary_types)
    leave_types: tuple[str, ...] = terms.LEAVE_TYPES
    leave_table: LeaveTable | None = None  # the 假别 table in force (None: the default rows for ``policy``)

    def totals(self) -> dict[str, float]:
        """The month's money by total (kaohe.policy.items: fines, deductions, pay), from 月度汇总's rounded items."""
        return {total: float(self.monthly[[i.field for i in self.items.of_total(total)]].to_numpy().sum())
                for total in money_items.TOTALS}

    @property
    def summary(self) -> dict:
        totals = self.totals()
        return {"employees": len(self.monthly), "fines": totals[money_items.FINES],
                "deductions": totals[money_items.DEDUCTIONS], "overtime_pay": totals[money_items.PAY],
                "pay_name": money_items.pay_name(self.items),
                "problems": len(self.findings)}

    def with_findings(self, before: list[Finding]) -> MonthResult:
        """This month with ``before`` (e.g. what reading the workbook found) listed first."""
        return dataclasses.replace(self, findings=(*before, *self.findings))
