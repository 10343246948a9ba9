"""The 假别 table as HR sees it (LV-25): its rows as the 假别 sheet's cells, for the template, the sheet added to
an existing workbook and the documents (kaohe.jobs.templates, kaohe.jobs.reference).

A cell is written as kaohe.policy.leave_rows reads it back: the same row gives the same LeaveType.
"""
from __future__ import annotations

import dataclasses

from kaohe import terms
from kaohe.policy import Policy, policy_from_rows
from kaohe.policy.leave_rows import field_of
from kaohe.policy.leave_table import LeaveType, default_table
from kaohe.workbook import contract as c

ATTR_OF = {h: next(f.name for f in dataclasses.fields(LeaveType) if field_of(f.name) == c.INPUT_FIELDS[h])
           for h in c.LEAVE_KIND_HEADERS}  # header -> LeaveType attribute


def cell_value(t: LeaveType, header: str):
    """One cell of ``t``'s row under ``header``: text, a number, 是/否, or blank (None)."""
    value = getattr(t, ATTR_OF[header])
    if isinstance(value, bool):
        return terms.YES if value else terms.NO
    if isinstance(value, tuple):  # 同义词, or (from, days) pairs: 孩次加天数, 孕月分档
        text = "、".join(f"{a}:{b:g}" for a, b in value) if value and isinstance(value[0], tuple) else "、".join(value)
        return text or None
    if isinstance(value, float):  # an addition of none (难产加天数 0) is a blank cell, as HR leaves it
        return None if value == 0 and ATTR_OF[header].startswith("extra_") else int(value) if value.is_integer() else value
    return value if value not in ("", None) else None


def sheet_rows(policy: Policy) -> list[list]:
    """The 假别 sheet's default rows (no header) for ``policy``: each company type's numbers are the policy's, so the
    sheet changes nothing until HR edits it."""
    rows = []
    for t in default_table(policy):
        row = [cell_value(t, h) for h in c.LEAVE_KIND_HEADERS]
        if t.share_key and t.pay == terms.PAY_SHARE:
            row[c.LEAVE_KIND_HEADERS.index("发放比例")] = getattr(policy, t.share_key)
        rows.append(row)
    return rows


def policy_of_rules(rows: list[list] | None) -> Policy:
    """The policy a workbook's 规则 sheet gives (its 参数 and 值 columns, header in row 1); the defaults without it.
    Bad rows keep their defaults, as compute-month does (it lists them)."""
    if not rows:
        return policy_from_rows([])[0]
    header = [str(v).strip() if v is not None else "" for v in rows[0]]
    if "参数" not in header or "值" not in header:
        return policy_from_rows([])[0]
    k, v = header.index("参数"), header.index("值")
    return policy_from_rows([("", r[k], r[v]) for r in rows[1:] if len(r) > max(k, v)])[0]
