"""The 假别 table in force for a month (LV-25, LV-27): HR's 假别 sheet when the workbook has one, else the
default rows (kaohe.policy.leave_table.default_table) for the policy in force.

With the sheet, its rows are the whole list, and the company types' numbers in it (婚假 额度 …) replace the 规则
parameters they stand for: the policy returned is the one in force (leave_table.policy_with), each difference a
提示 (LV-27). A bad row is an 错误 naming its cell and is not used (LV-25). A quota below the 工作地's figure of
the law is a 警告 at its cell (LV-23).
"""
from __future__ import annotations

from collections.abc import Mapping

from kaohe.engine.law_quota import QUOTA_FIGURES
from kaohe.findings import Finding
from kaohe.policy import Policy
from kaohe.policy.leave_rows import overrides, table_from_rows
from kaohe.policy.law import figure_below
from kaohe.policy.leave_table import POLICY_FIELDS, LeaveTable, default_table, policy_with
from kaohe.policy.regions import floors
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
    return table, policy_with(policy, table), [*findings, *overrides(policy, table, t.sheet, t.headers),
                                               *quotas_below_law(table, policy, t)]


def quotas_below_law(table: LeaveTable, policy: Policy, t: Table) -> list[Finding]:
    """LV-23: a quota of the 假别 sheet below the 规则 工作地's figure for its rule (陪产假 10 in 广东), a 警告 at its
    cell; the checks use the law's figure (kaohe.engine.law_quota). A company type's quota equal to its 规则
    parameter is warned once already, as that parameter (kaohe.policy.law)."""
    figures, out = floors(policy.work_region), []
    for row in table:
        name = QUOTA_FIGURES.get(row.rule)
        rules_key = POLICY_FIELDS.get(row.name, {}).get("quota")
        if name is None or row.quota is None or (rules_key and row.quota == getattr(policy, rules_key)):
            continue
        what = f"假别“{row.name}”的{t.headers.get('quota', '额度')}"
        out += figure_below(name, row.quota, figures, what, t.sheet, t.cell("quota", row.row))
    return out


def _cell(t: Table, row: int):
    return lambda field: t.cell(field, row)
