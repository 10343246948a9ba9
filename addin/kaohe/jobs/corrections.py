"""Corrections of a month whose figures already went to finance: measured at each close, paid with the next
month not yet sent (上月更正, 补发 +, 补扣 −).

The figures a close is measured against are the later of the month's send to finance (kaohe.jobs.handoff) and
its previous close. A month closed twice before it was ever sent has corrections booked against its first
close; when its payment file then goes to finance it carries the corrected figures itself, so those
corrections are superseded (当时已发送 否) and no later month pays them again.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import pandas as pd

from kaohe.jobs import handoff
from kaohe.jobs.money import frozen_sheet, item_columns, sign_of
from kaohe.jobs.records import records as _records
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.sheetxml import SheetSpec
from kaohe.workbook.write import frame_spec

ADJUSTMENT = (c.ADJUSTMENT_COLUMN, "adjustment")


def money_columns() -> tuple[tuple[str, str], ...]:
    """(header, field) of 月度汇总's money: each item in force (kaohe.jobs.money), then 调整合计."""
    return (*item_columns(), ADJUSTMENT)


@dataclass(frozen=True)
class Baseline:
    """What a close's corrections are measured against: the figures last sent to finance or last closed."""

    figures: pd.DataFrame
    basis: str
    was_sent: bool


def frozen_monthly(frozen_rows: list[list] | None, month: str) -> pd.DataFrame:
    """The frozen 月度汇总 of ``month`` as an engine frame (empty if there is none)."""
    frame = _records(frozen_rows, frozen_sheet())
    frame = frame[frame["month"].astype(str) == month].drop(columns=["month"]).reset_index(drop=True)
    for _, fieldname in money_columns():
        frame[fieldname] = pd.to_numeric(frame[fieldname], errors="coerce").fillna(0.0).astype(float)
    for fieldname in ("name", "dept", "basis", "social_self"):
        frame[fieldname] = frame[fieldname].fillna("")
    return frame


def differences(closed: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every employee (of either) and money column: as closed, now, the difference."""
    columns = money_columns()
    fields = [f for _, f in columns]
    a = closed.set_index("emp")[["name", *fields]]
    b = now.set_index("emp")[["name", *fields]]
    emps = list(dict.fromkeys([*b.index, *a.index]))
    a, b = a.reindex(emps), b.reindex(emps)
    names = b["name"].fillna(a["name"])
    rows = []
    for header, fieldname in columns:
        was = pd.to_numeric(a[fieldname], errors="coerce").fillna(0.0)
        is_ = pd.to_numeric(b[fieldname], errors="coerce").fillna(0.0)
        rows.append(pd.DataFrame({"emp": emps, "name": names.to_numpy(), "item": header, "closed": was.to_numpy(),
                                  "now": is_.to_numpy(), "diff": (is_ - was).round(2).to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    order = {e: i for i, e in enumerate(emps)}
    items = {h: i for i, (h, _) in enumerate(columns)}
    return out.sort_values(["emp", "item"], key=lambda s: s.map(order if s.name == "emp" else items),
                           kind="stable").reset_index(drop=True)


def corrections_spec(rows: list[list] | None, month: str, diff: pd.DataFrame, reason: str, paid_in: str,
                     base: Baseline) -> SheetSpec | None:
    """The hidden corrections store with this close's differences (补发 +, 补扣 −) added, paid with ``paid_in``."""
    changed = diff[(diff["diff"] != 0) & (diff["item"] != c.ADJUSTMENT_COLUMN)]
    if changed.empty:
        return None
    sign = changed["item"].map(sign_of)
    new = changed.assign(month=month, paid_in=paid_in, effect=(changed["diff"] * sign).round(2), reason=reason,
                         basis=base.basis, was_sent=terms.YES if base.was_sent else terms.NO)
    kept = _records(rows, c.CORRECTIONS)
    both = pd.concat([kept, new], ignore_index=True) if len(kept) else new
    return frame_spec(c.CORRECTIONS, both, hidden=True, print_titles=False)


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    for f in ("closed", "now", "effect"):
        frame[f] = pd.to_numeric(frame[f], errors="coerce").fillna(0.0).astype(float)
    return frame


def _superseded(frame: pd.DataFrame, sent: AbstractSet[str]) -> pd.Series:
    """Corrections of a month not yet sent when they were booked, whose payment file has gone since: that file
    carried the corrected figures itself."""
    return (frame["was_sent"].astype(str) == terms.NO) & frame["month"].astype(str).isin(sent)


def corrections_for(rows: list[list] | None, paid_in: str, sent: AbstractSet[str] = frozenset()) -> pd.DataFrame:
    """The corrections to pay with month ``paid_in`` (engine fields; 上月更正 as ``effect``); ``sent`` are the
    months whose payment file went to finance (kaohe.jobs.handoff.sent_months)."""
    frame = _records(rows, c.CORRECTIONS)
    frame = frame[(frame["paid_in"].astype(str) == paid_in) & ~_superseded(frame, sent)]
    return _numbers(frame.reset_index(drop=True))


def corrections_of(rows: list[list] | None, month: str, sent: AbstractSet[str] = frozenset()) -> pd.DataFrame:
    """The corrections booked for ``month`` itself (wherever they are paid), superseded ones left out."""
    frame = _records(rows, c.CORRECTIONS)
    frame = frame[(frame["month"].astype(str) == month) & ~_superseded(frame, sent)]
    return _numbers(frame.reset_index(drop=True))


def baseline(raw: dict, month: str) -> Baseline | None:
    """The later of the month's send to finance and its previous close (None: neither, nothing to correct)."""
    log = _records(raw.get(c.CLOSE_LOG.name), c.CLOSE_LOG)
    closes = log[(log["month"].astype(str) == month) & (log["action"] == c.CLOSE_ACTION)]
    closed_at = closes["time"].iloc[-1] if len(closes) else None
    send = handoff.payment_send(raw.get(c.FINANCE_LOG.name), month)
    if send is not None and (closed_at is None or _later_or_same(send.time, closed_at)):
        figures = handoff.sent_figures(raw.get(c.FINANCE_FIGURES_NAME), send)
        return Baseline(handoff.as_monthly(figures), f"已发送财务的数字（{send.when}）", True)
    if closed_at is not None:
        when = f"{closed_at:%Y-%m-%d %H:%M}" if isinstance(closed_at, (dt.datetime, dt.date)) else str(closed_at)
        return Baseline(frozen_monthly(raw.get(c.FROZEN_MONTHLY_NAME), month), f"上次月结的数字（{when}）",
                        send is not None)
    return None


def _later_or_same(a, b) -> bool:
    try:
        return pd.Timestamp(a) >= pd.Timestamp(b)
    except (TypeError, ValueError):
        return False


def new_corrections(raw: dict, month: str, reopen_reason: str | None, monthly: pd.DataFrame) -> list[SheetSpec]:
    """What changed since the figures went to finance (sent, or closed before): paid with the next month not
    yet sent (kaohe.jobs.handoff)."""
    base = baseline(raw, month)
    if base is None:
        return []
    reason = reopen_reason if reopen_reason is not None else "月结前已按未月结的数字发送财务"
    spec = corrections_spec(raw.get(c.CORRECTIONS.name), month, differences(base.figures, monthly), reason,
                            handoff.next_unsent(raw.get(c.FINANCE_LOG.name), month), base)
    return [spec] if spec is not None else []
