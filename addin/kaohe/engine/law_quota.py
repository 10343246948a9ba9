"""The day counts of the leave the law grants, for one person (LV-22, LV-23): the larger of the company's figure
and the floor of the person's 工作地.

The figure a leave check uses is the 假别 row's (for the company types with a blank quota, the 规则 parameter's)
or the law's for the person's region (kaohe.policy.regions.floors of region_of(员工名册.工作地, 规则.工作地)),
whichever is larger: 产假 and its 难产 / 多胞胎 / 孩次 additions, 流产假's tiers, 陪产假, 育儿假 and its child's age,
婚假, 独生子女父母护理假. A blank quota takes the region's; no region figure and a blank quota keep the row as it is
(the check passes with its 提示). Every check reads its row through :func:`in_force`, chosen by the row's rule ID.

Where the law's figure decides, the record's 请假校验 says which (``按广东规定陪产假15天（假别表未填）``); the rule-level
警告 for a 规则 value below the floor is kaohe.policy.law's, said once in 问题清单, not per record.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

from kaohe.policy.law import LABELS
from kaohe.policy.leave_table import POLICY_FIELDS, LeaveType
from kaohe.policy.regions import VERIFY_MARK, Figure, RegionFigures, floors, region_of

# The figure of the law for a row's quota, by the row's rule ID (a field of RegionFigures).
QUOTA_FIGURES = {"LV-05": "marriage_days", "LV-07": "maternity_days", "LV-15": "paternity_days",
                 "LV-16": "childcare_days", "LV-18": "only_child_care_days"}
# The row's additions and limits the law sets a floor for, by rule ID: {LeaveType attribute: RegionFigures field}.
EXTRA_FIGURES = {"LV-07": {"extra_difficult": "difficult_birth_extra", "extra_per_baby": "multiple_birth_extra"},
                 "LV-16": {"child_age_limit": "childcare_child_age"}}
MISCARRIAGE_RULE, MISCARRIAGE_LATE_MONTHS = "LV-17", 4  # 流产: under 4 full months of pregnancy / from 4
MATERNITY_RULE, LATER_CHILD = "LV-07", 2                # 浙江's 产假 for the second and third child
UNITS = {"child_age_limit": "周岁"}


class InForce(NamedTuple):
    """The row a check uses, and what the law changed in it (the 请假校验 note and its rule; "" when nothing)."""

    row: LeaveType
    note: str = ""
    rule: str = ""


def person_region(person: Any, policy: Any) -> str:
    """A person's 工作地: the 员工名册's own value (``work_region``) when given, else the 规则's."""
    own = person.get("work_region") if person is not None and hasattr(person, "get") else None
    return region_of(own, policy.work_region)


def in_force(row: LeaveType, region: str, policy: Any) -> InForce:
    """``row`` with each figure the law sets for ``region`` raised to it (LV-22, LV-23)."""
    figures = floors(region)
    said: list[tuple[str, str]] = []  # (what the law gave, the rule: LV-23 below the company's, LV-22 in a blank)
    changes: dict[str, Any] = {}
    name = QUOTA_FIGURES.get(row.rule)
    if name is not None:
        own = row.quota if row.quota is not None else _rules_quota(row, policy)
        if own is not None and row.quota is None:
            changes["quota"] = own
        _raise(changes, said, "quota", own, name, figures)
    for attr, name in EXTRA_FIGURES.get(row.rule, {}).items():
        _raise(changes, said, attr, getattr(row, attr) or None, name, figures)
    if row.rule == MATERNITY_RULE:
        _later_child(changes, said, row, changes.get("quota", row.quota), figures)
    if row.rule == MISCARRIAGE_RULE:
        _miscarriage(changes, said, row, figures)
    if not said:
        return InForce(replace(row, **changes) if changes else row)
    place = figures.region or "国家"
    rule = "LV-23" if any(r == "LV-23" for _, r in said) else "LV-22"
    return InForce(replace(row, **changes), f"按{place}规定" + "、".join(text for text, _ in said), rule)


def _rules_quota(row: LeaveType, policy: Any) -> float | None:
    """A company type's 规则 parameter for its quota (婚假天数, 产假天数) when its 假别 row leaves it blank."""
    key = POLICY_FIELDS.get(row.name, {}).get("quota")
    return float(getattr(policy, key)) if key else None


def _raise(changes: dict, said: list, attr: str, own, name: str, figures: RegionFigures) -> None:
    """``attr`` to the law's figure ``name`` where the company's ``own`` is lower or blank."""
    floor: Figure = figures.figures()[name]
    if floor.value is None or (own is not None and own >= floor.value):
        return
    changes[attr] = float(floor.value)
    said.append(_said(LABELS[name], floor, own, UNITS.get(attr, "天")))


def _said(label: str, floor: Figure, own, unit: str = "天") -> tuple[str, str]:
    mark = f"，{VERIFY_MARK}" if floor.verify else ""
    company = "假别表未填" if own is None else f"公司{own:g}{unit}"
    return f"{label}{floor.value:g}{unit}（{company}{mark}）", ("LV-22" if own is None else "LV-23")


def _later_child(changes: dict, said: list, row: LeaveType, quota, figures: RegionFigures) -> None:
    """浙江: 产假 for the second and third child in total; the row's 孩次加天数 raised to reach it."""
    later = figures.maternity_days_later_child
    if later.value is None or quota is None:
        return
    own = quota + max((d for start, d in row.extra_from_order if start <= LATER_CHILD), default=0.0)
    if own >= later.value:
        return
    changes["extra_from_order"] = (*row.extra_from_order, (LATER_CHILD, float(later.value - quota)))
    said.append(_said(LABELS["maternity_days_later_child"], later, own))


def _miscarriage(changes: dict, said: list, row: LeaveType, figures: RegionFigures) -> None:
    """流产假's tiers: under 4 full months at least the early figure, from 4 the late one."""
    tiers = []
    for start, days in row.pregnancy_tiers:
        name = "miscarriage_late_days" if start >= MISCARRIAGE_LATE_MONTHS else "miscarriage_early_days"
        floor = figures.figures()[name]
        if floor.value is not None and days < floor.value:
            said.append(_said(LABELS[name], floor, days))
            days = float(floor.value)
        tiers.append((start, days))
    if tuple(tiers) != row.pregnancy_tiers:
        changes["pregnancy_tiers"] = tuple(tiers)
