"""The 假别 table in force for a month (LV-25, LV-27): HR's 假别 sheet when the workbook has one, else the
default rows (kaohe.policy.leave_table.default_table) for the policy in force.

With the sheet, its rows are the whole list, and the company types' numbers in it (婚假 额度 …) replace the 规则
parameters they stand for: the policy returned is the one in force (leave_table.policy_with), each difference a
提示 (LV-27). A bad row is an 错误 naming its cell and is not used (LV-25). A quota below the 工作地's figure of
the law is a 警告 at its cell (LV-23).
"""
from __future__ import annotations

from collections.abc import Mapping

from kaohe.findings import Finding
from kaohe.policy import Policy, leave_law
from kaohe.policy.leave_rows import overrides, table_from_rows
from kaohe.policy.leave_table import LeaveTable, default_table, policy_with
from kaohe.tables import Table

KEY = "leave_types"  # the 假别 sheet's table (kaohe.workbook.contract.LEAVE_KINDS.key)


def leave_table_of(tables: Mapping[str, Table], policy: Policy) -> tuple[LeaveTable, Policy, list[Finding]]:
    """The 假别 table, the policy with its company numbers, and what reading the sheet found."""
    t = tables.get(KEY)
    if t is None or not t.present:
        return default_table(policy), policy, []
    fields = [f for f in t.frame.columns if f != "row"]
    rows = [(int(row), dict(zip(fields, values)), _cell(t, int(row)))
            for row, values in zip(t.frame["row"], t.frame[fields].itertuples(index=False, name=None))]
    table, findings = table_from_rows(rows, policy, t.sheet, t.headers)
    return table, policy_with(policy, table), [*findings, *overrides(policy, table, t.sheet, t.headers)]


def law_in_force(findings: list[Finding], tables: Mapping[str, Table], policy: Policy,
                 table: LeaveTable) -> list[Finding]:
    """LV-23 with a 假别 sheet: 规则's below-law findings replaced by those of the figures in force (policy_with's),
    a figure typed in the sheet named at its 额度 cell (kaohe.policy.leave_law)."""
    t = tables.get(KEY)
    if t is None or not t.present:
        return findings
    return leave_law.in_force(findings, policy, table, tables["rules"].sheet, t.sheet, lambda row: t.cell("quota", row),
                              t.headers.get("quota", "额度"))


def roster_law(tables: Mapping[str, Table], table: LeaveTable, roster_sheet: str):
    """For a person's own 工作地 (LV-23): the figures the 假别 sheet gives (not checked as 规则's) and the check of its
    quotas against that region, at the person's 工作地 cell; (frozenset(), None) without the sheet."""
    t = tables.get(KEY)
    if t is None or not t.present:
        return frozenset(), None
    header = t.headers.get("quota", "额度")
    return leave_law.typed(table), lambda region, cell, emp: leave_law.quotas_below(
        table, region, t.sheet, lambda row: t.cell("quota", row), header, at=(roster_sheet, cell, emp))


def _cell(t: Table, row: int):
    return lambda field: t.cell(field, row)
