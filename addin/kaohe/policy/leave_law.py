"""LV-23 on the 假别 table in force: with a 假别 sheet, the quotas HR typed there are the figures the month is
computed with, so they (not 规则's parameters they replace) are checked against the 工作地's floors, each 警告 at its
假别 cell.

The company rows' quotas reach the policy through kaohe.policy.leave_table.policy_with (产假 额度 is 产假天数); a
statutory row's quota (陪产假, 育儿假, 独生子女父母护理假) is checked as typed. A blank 额度 gives no figure of
the sheet: a company row's 规则 parameter stays in force and is checked in 规则 (kaohe.policy.law).
"""
from __future__ import annotations

from collections.abc import Callable

from kaohe import terms
from kaohe.findings import Finding
from kaohe.policy import Policy, compliance_findings
from kaohe.policy.law import figure_below
from kaohe.policy.leave_table import LEAVE_CHILDCARE, LEAVE_PARENT_CARE, LEAVE_PATERNITY, LeaveTable
from kaohe.policy.regions import floors

# The 假别 rows whose 额度 a region's figure is the floor of (row name -> kaohe.policy.regions figure).
QUOTA_FIGURES = {terms.LEAVE_MATERNITY: "maternity_days", terms.LEAVE_MARRIAGE: "marriage_days",
                 LEAVE_PATERNITY: "paternity_days", LEAVE_CHILDCARE: "childcare_days",
                 LEAVE_PARENT_CARE: "only_child_care_days"}
# What the law's checks of 规则 are filed under (kaohe.policy.law): replaced once the 假别 sheet is read.
LAW_CODES = ("rules.below_law", "rules.unknown_region", "rules.region_verify")


def typed(table: LeaveTable) -> frozenset:
    """The region figures whose company value the 假别 sheet gives (a row of QUOTA_FIGURES with its 额度 filled)."""
    return frozenset(QUOTA_FIGURES[t.name] for t in table if t.name in QUOTA_FIGURES and t.quota is not None and t.row)


def quotas_below(table: LeaveTable, region, sheet: str, cell_of: Callable[[int], str], quota_header: str,
                 at: tuple[str, str, str] | None = None) -> list[Finding]:
    """LV-23: each 假别 row's typed 额度 below ``region``'s floor, a 警告 at its 额度 cell (``cell_of(row)``), or at
    ``at`` = (sheet, cell, emp) for a person's own 工作地 (员工名册)."""
    figures = floors(region)
    out = []
    for t in table:
        figure = QUOTA_FIGURES.get(t.name)
        if figure is None or t.quota is None or not t.row:
            continue
        where = at or (sheet, cell_of(t.row), "")
        out += figure_below(figure, t.quota, figures, f"{sheet}表“{t.name}”的{quota_header}", *where)
    return out


def in_force(findings: list[Finding], policy: Policy, table: LeaveTable, rules_sheet: str, sheet: str,
             cell_of: Callable[[int], str], quota_header: str) -> list[Finding]:
    """``findings`` (规则's) with the law's checks of 规则 (LAW_CODES on ``rules_sheet``) replaced by those of the
    policy and table in force: a figure the 假别 sheet gives is checked at its cell, the others in 规则 as before."""
    if not table.from_sheet:
        return findings
    stale = [i for i, f in enumerate(findings) if f.code in LAW_CODES and f.sheet == rules_sheet]
    at = stale[0] if stale else len(findings)
    kept = [f for i, f in enumerate(findings) if i not in set(stale)]
    checked = [*compliance_findings(policy, rules_sheet, typed(table)),
               *quotas_below(table, policy.work_region, sheet, cell_of, quota_header)]
    return kept[:at] + checked + kept[at:]
