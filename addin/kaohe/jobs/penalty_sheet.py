"""The 罚则 sheet's rows (ATT-14): the rows of a penalty table as HR reads and types them — the default rows
of 规则 in force for the 考勤 template and for ``kaohe add-sheet`` (kaohe.jobs.add_sheet).

The headers are the contract's (PENALTY_HEADERS); each value is what kaohe.policy.penalties reads back
to the same row (a test reads the template's rows back and compares).
"""
from __future__ import annotations

import math

from kaohe.policy import DEFAULT, Policy
from kaohe.policy import penalties as pt
from kaohe.workbook import contract as c


def _number(x):
    """A number as HR would type it: 20 not 20.0; blank for none."""
    if x is None or x == math.inf:
        return None
    return int(x) if float(x).is_integer() else float(x)


def row_values(r: pt.PenaltyRow) -> dict[str, object]:
    """A row's values by engine field (contract.INPUT_FIELDS), blank where the row keeps the default."""
    minutes = r.event in pt.MINUTE_EVENTS
    return {"rule": r.rule, "article": r.article, "event": pt.EVENT_NAMES[r.event], "counter": r.counter_name,
            "above": _number(r.above) if minutes else None, "up_to": _number(r.up_to) if minutes else None,
            "effect": pt.EFFECT_NAMES[r.effect], "amount": _number(r.amount), "cap": _number(r.cap),
            "free": r.free or None, "from_nth": r.start if r.start != max(r.every, 1) else None,
            "every": r.every if r.every > 1 else None, "until": _number(r.until), "then_at": r.then_at,
            "then_row": r.then_row, "type": "、".join(r.leave_types) or None, "explanation": pt.describe(r)}


def sheet_rows(policy: Policy = DEFAULT) -> list[list]:
    """The 罚则 sheet of the 规则 in force: the header and one row per default row (ATT-04/05/06)."""
    rows: list[list] = [list(c.PENALTY_HEADERS)]
    for r in pt.default_rows(policy):
        values = row_values(r)
        rows.append([values.get(c.INPUT_FIELDS[h]) for h in c.PENALTY_HEADERS])
    return rows
