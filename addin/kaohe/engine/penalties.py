"""The 罚则 table applied to a month (ATT-14..ATT-19): each person's events judged in the month's order.

The events are those of the evaluated sessions (kaohe.engine.attendance): a lateness or early leave with
its minutes as evaluate_sessions gives them (flexible hours, when a shift has them, have already moved
them), a missing punch, a session without a punch (旷工), and — before the punches are judged — each
补卡 (a DingTalk 补卡审批 or an approved 打卡异常). An event whose minutes fall in a band of its event's rows
counts on its counter (kaohe.policy.penalties); the row that takes its count decides what it costs.

:func:`judge` gives one row per event (``judged``): the ledger fields of its charge or note (rule, source,
item, what, quantity, unit, rate, wage, factor, amount, tier, detail) and ``note`` (true: a day effect
told, no money: 记旷工, 不予补卡). kaohe.engine.ledger makes the records from it. A default row (no 罚则
sheet for its event) gives exactly the records 规则's ATT-04/05/06 always gave (``detail`` empty, ``source``
the 规则 key, ``tier`` ATT-04's); a sheet row names itself in ``source`` (罚则第4行) and says the count in
``detail``: ``本月第3次迟到（罚则第4行：第3次起每次50元）, 罚款50元``.

Pure: frames in, frames out; no workbook.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from kaohe.engine.attendance import late_tier
from kaohe.engine.ledger import ABSENCE as ABSENCE_KIND, DAY, TIMES, daily_wage
from kaohe.findings import Finding
from kaohe.policy import DEFAULT, Policy
from kaohe.tables import Table
from kaohe.policy import penalties as pt

# The ledger's event of each kind, its table event, the 说明's order within a session, and its edge (0 in, 1 out).
KINDS = (("late", pt.LATE, 1, 0), ("early", pt.EARLY, 2, 1), ("missing_in", pt.MISSING, 3, 0),
         ("missing_out", pt.MISSING, 4, 1), ("no_punch", pt.ABSENCE, 0, 0),
         ("makeup_in", pt.MAKEUP, 5, 0), ("makeup_out", pt.MAKEUP, 6, 1))
ORDER = {k[0]: i for i, k in enumerate(KINDS)}
ITEMS = {pt.LATE: "late_fine", pt.EARLY: "late_fine", pt.MISSING: "missing_fine", pt.MAKEUP: "missing_fine",
         pt.ABSENCE: "absence_deduction"}
WHAT = {event: pt.EVENT_NAMES[event] for event in ITEMS}  # the ledger's ``what``: 迟到, 早退, 缺卡, 补卡, 旷工
NOTE_EFFECTS = (pt.ABSENT, pt.REFUSE)


def session_events(s: pd.DataFrame) -> pd.DataFrame:
    """Every event of the evaluated sessions, one row each (``spos``: the session's position in ``s``)."""
    parts = []
    for kind, event, _sub, _ in KINDS[:5]:
        if event in pt.MINUTE_EVENTS:
            minutes = s[f"{kind}_minutes"].to_numpy(dtype=np.int64)
            mask, at = minutes > 0, s["in_ts" if kind == "late" else "out_ts"]
        else:
            mask, minutes, at = s[kind].to_numpy(dtype=bool), np.zeros(len(s), dtype=np.int64), None
        parts.append(_events(s, mask, kind, minutes, at))
    return pd.concat(parts, ignore_index=True)


def _events(s: pd.DataFrame, mask: np.ndarray, kind: str, minutes: np.ndarray, at) -> pd.DataFrame:
    event, sub = next((e, b) for k, e, b, _ in KINDS if k == kind)
    f = s[mask]
    when = pd.to_datetime(at[mask]) if at is not None else pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns]")
    return pd.DataFrame({"emp": f["emp"].to_numpy(), "date": pd.to_datetime(f["date"]).to_numpy(),
                         "sess": f["sess"].to_numpy(dtype=np.int64), "kind": kind, "event": event, "sub": sub,
                         "minutes": minutes[mask], "at": when.to_numpy(), "weight": f["weight"].to_numpy(dtype=float),
                         "spos": np.flatnonzero(mask)})


def makeup_events(sessions: pd.DataFrame) -> pd.DataFrame:
    """ATT-18: every 补卡 of a session due (not on leave, not paper attendance): a 补卡审批 or approved 打卡异常,
    refused or not (``refused_in``/``refused_out``, set by :func:`cap_makeups`)."""
    active = (sessions["leave"].isna() & ~sessions["paper"].fillna(False).astype(bool)).to_numpy()
    parts = []
    for edge in ("in", "out"):
        asked = sessions[f"exc_{edge}"].to_numpy(dtype=bool)
        if f"refused_{edge}" in sessions:
            asked = asked | sessions[f"refused_{edge}"].to_numpy(dtype=bool)
        parts.append(_events(sessions, active & asked, f"makeup_{edge}", np.zeros(len(sessions), dtype=np.int64),
                             sessions[f"mk_{edge}"]))
    return pd.concat(parts, ignore_index=True)


def cap_makeups(covered: pd.DataFrame, table: pt.PenaltyTable) -> pd.DataFrame:
    """ATT-18: the sessions with each 补卡 the table's 补卡 rows refuse no longer excused (``exc_in``/``exc_out``
    cleared, so the punch is missing again; ``refused_in``/``refused_out`` say which). No 补卡 row: unchanged."""
    if not table.of(pt.MAKEUP) or covered.empty:
        return covered
    judged = judge(makeup_events(covered), table, pd.Series([], dtype=float), DEFAULT)
    covered = covered.copy()
    for edge in ("in", "out"):
        refused = np.zeros(len(covered), dtype=bool)
        hit = (judged["kind"] == f"makeup_{edge}") & (judged["effect"] == pt.REFUSE)
        refused[judged.loc[hit, "spos"].to_numpy(dtype=np.int64)] = True
        covered[f"refused_{edge}"] = refused
        covered[f"exc_{edge}"] = covered[f"exc_{edge}"].to_numpy(dtype=bool) & ~refused
    return covered


def _decide(events: pd.DataFrame, table: pt.PenaltyTable) -> pd.DataFrame:
    """Each event's count and rows, in the month's order per person: ``n`` (0: in no band, not an event),
    ``row`` (the row that takes it; None: counted only), ``eff`` (the row whose effect applies), ``free``.
    One pass of plain Python over the events (a month of 10,000 people has tens of thousands)."""
    edge = {k: e for k, _, _, e in KINDS}
    order = events.assign(edge=events["kind"].map(edge)).sort_values(["emp", "date", "sess", "edge"], kind="stable")
    size = len(events)
    n, row, eff, free = [0] * size, [None] * size, [None] * size, [False] * size
    counts: dict[tuple, int] = {}
    rows = {e: table.of(e) for e in pt.EVENTS}
    counters: dict[tuple, str] = {}  # (event, minutes) -> its counter (bands apart may count apart)
    chosen: dict[tuple, tuple] = {}  # (event, minutes, n) -> choose(): most events share one
    banded: dict[tuple, bool] = {}
    at = events.index.get_indexer(order.index)
    for i, emp, event, minutes in zip(at, order["emp"].to_numpy(), order["event"].to_numpy(), order["minutes"].to_numpy()):
        band = (event, minutes)
        if band not in banded:
            banded[band] = any(r.in_band(minutes) for r in rows[event])
            counters[band] = table.counter(event, minutes)
        if not banded[band]:
            continue
        key = (emp, counters[band])
        counts[key] = k = counts.get(key, 0) + 1
        n[i] = k
        pick = (event, minutes, k)
        if pick not in chosen:
            chosen[pick] = choose(table, rows[event], minutes, k)
        row[i], eff[i], free[i] = chosen[pick]
    return events.assign(n=np.asarray(n, dtype=np.int64), row=pd.Series(row, index=events.index, dtype=object),
                         eff=pd.Series(eff, index=events.index, dtype=object), free=np.asarray(free, dtype=bool))


def choose(table: pt.PenaltyTable, rows, minutes: int, n: int) -> tuple:
    """(the row that takes the ``n``-th event of ``minutes`` minutes, the row whose effect applies, free or not);
    (None, None, False) when no row takes that count."""
    hit = next((r for r in rows if r.takes(minutes, n)), None)
    if hit is None:
        return None, None, False
    if n <= hit.free:
        return hit, None, True
    return hit, (table.row(hit.then_row) if hit.then_at is not None and n >= hit.then_at else hit), False


def _money(r: pt.PenaltyRow, minutes: int, wage: float, policy: Policy) -> tuple[float, float, float]:
    """(rate, wage, factor) of one event under row ``r``; the rate is the event's money."""
    cap = math.inf if r.cap is None else r.cap
    amount = 0.0 if r.amount is None else float(r.amount)  # a money effect's amount is there (the reader requires it)
    if r.effect == pt.FINE:
        return amount, np.nan, np.nan
    if r.effect == pt.PER_MINUTE:
        return float(min(minutes * amount, cap)), np.nan, np.nan
    if r.effect == pt.HOURLY:
        hourly = wage / policy.hours_per_day
        return float(min(minutes / 60 * hourly * (1.0 if r.amount is None else amount), cap)), np.nan, np.nan
    if r.effect == pt.WAGE_DAYS:
        return wage * amount, wage, amount
    return 0.0, np.nan, np.nan


def _result_text(eff: pt.PenaltyRow | None, rate: float, days: float) -> str:
    if eff is None or eff.effect in (pt.COUNT, pt.CANCEL, pt.BALANCE):
        extra = {pt.CANCEL: "，取消全勤奖", pt.BALANCE: f"，扣{'、'.join(eff.leave_types)}余额{days:g}天"} if eff else {}
        return "不罚" + extra.get(eff.effect, "") if eff else "不罚"
    if eff.effect == pt.ABSENT:
        return f"按旷工{days:g}天"
    if eff.effect == pt.REFUSE:
        return "不予补卡，按缺卡处理"
    return f"{'罚款' if eff.effect in (pt.FINE, pt.PER_MINUTE) else '扣款'}{_yuan(rate)}元"


def _yuan(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() else f"{x:.2f}"


def _detail(table: pt.PenaltyTable, d, rate: float, days: float) -> str:
    """``本月第3次迟到（罚则第4行：第3次起每次50元）, 罚款50元``."""
    counter = table.counter(d.event, d.minutes)
    if d.row is None:
        return f"本月第{d.n}次{counter}（罚则对第{d.n}次没有处理）, 不罚"
    said = f"每月前{d.row.free}次免罚" if d.free else pt.describe(d.row)
    return f"本月第{d.n}次{counter}（罚则第{d.row.row}行：{said}）, {_result_text(None if d.free else d.eff, rate, days)}"


def judge(events: pd.DataFrame, table: pt.PenaltyTable, wage: pd.Series, policy: Policy) -> pd.DataFrame:
    """The ledger fields of each event's charge or note (module docstring), in the ledger's order: by kind, then
    session order."""
    d = _decide(events, table)
    d = d[d["n"].to_numpy() > 0]
    wages = d["emp"].map(wage).fillna(0.0).to_numpy(dtype=float) if len(wage) else np.zeros(len(d))
    out, known = [], {}  # an event's fields depend on these facts alone (its count only under a sheet's row)
    for facts in zip(d["event"].to_numpy(), d["minutes"].to_numpy(), d["weight"].to_numpy(), d["n"].to_numpy(),
                     d["row"].to_numpy(), d["eff"].to_numpy(), d["free"].to_numpy(), wages):
        key = (*facts[:3], facts[3] if facts[0] in table.from_sheet else 0, id(facts[4]), id(facts[5]), *facts[6:])
        if key not in known:
            known[key] = _fields(Event(*facts[:-1]), table, facts[-1], policy)
        out.append(known[key])
    fields = pd.DataFrame(out, index=d.index, columns=["rule", "source", "item", "what", "quantity", "unit", "rate", "wage",
                                                       "factor", "amount", "tier", "detail", "note", "days", "cancel",
                                                       "effect"])
    judged = pd.concat([d.drop(columns=["row", "eff", "free"]), fields], axis=1)
    judged["order"] = judged["kind"].map(ORDER)
    return judged.sort_values(["order", "spos"], kind="stable").reset_index(drop=True)


class Event(NamedTuple):
    """What an event's fields are made from."""

    event: str
    minutes: int
    weight: float
    n: int
    row: pt.PenaltyRow | None
    eff: pt.PenaltyRow | None
    free: bool


def _fields(t: Event, table: pt.PenaltyTable, wage: float, policy: Policy) -> tuple:
    """One event's ledger fields: rule, source, item, what, quantity, unit, rate, wage, factor, amount, tier,
    detail, note, absence days, whether it cancels 全勤奖."""
    named = t.row if t.row is not None else table.of(t.event)[0]
    eff = None if t.free or t.row is None else t.eff
    effect = eff.effect if eff is not None else pt.COUNT
    default = t.event not in table.from_sheet
    rate, w, factor = _money(eff, t.minutes, wage, policy) if eff is not None else (0.0, np.nan, np.nan)
    amount = eff.amount if eff is not None else None
    days = 0.0
    if effect == pt.ABSENT:
        days = float(t.weight if amount is None else amount)
    elif effect == pt.BALANCE:
        days = float(amount or 0.0)
    tier = int(late_tier(int(t.minutes), policy)) if default and effect == pt.ABSENT and t.event in pt.MINUTE_EVENTS else 0
    detail = "" if default else _detail(table, t, rate, days)
    note = effect in NOTE_EFFECTS
    quantity, unit = (days, DAY) if effect == pt.ABSENT else (1.0, TIMES)
    cancel = t.event in (pt.LATE, pt.EARLY) or effect == pt.CANCEL  # ATT-19: any late or early leave
    return (named.rule, named.source, "" if note else ITEMS[t.event], WHAT[t.event], 0.0 if effect == pt.REFUSE else quantity,
            "" if effect == pt.REFUSE else unit, np.nan if note else rate, w, factor, 0.0 if note else rate, tier, detail,
            note, days if effect == pt.ABSENT else 0.0, cancel, effect)


def session_absence(s: pd.DataFrame, judged: pd.DataFrame) -> np.ndarray:
    """The absence days of each session of ``s`` by the table: a session without a punch first, then its lateness
    and early leave (ATT-04's order of addition, so the default rows give ATT-04/06's figures to the bit)."""
    absent = np.zeros(len(s))
    for kind in ("no_punch", "late", "early", "missing_in", "missing_out"):
        j = judged[(judged["kind"] == kind).to_numpy()]
        np.add.at(absent, j["spos"].to_numpy(dtype=np.int64), j["days"].to_numpy(dtype=float))
    return absent


def flagged(s: pd.DataFrame, judged: pd.DataFrame, table: pt.PenaltyTable) -> pd.DataFrame:
    """The evaluated sessions as the 罚则 table judged them, for what shows them (考勤表): the absence summed from
    the table and, for 迟到/早退 a sheet names, ``*_fined`` (counted, not absent) and ``*_half`` (absent; ``*_full``
    off). Unchanged without such a sheet (the default rows are ATT-04's tiers)."""
    if not table.from_sheet:
        return s
    s = s.assign(absent=session_absence(s, judged))
    for kind, event in (("late", pt.LATE), ("early", pt.EARLY)):
        if event in table.from_sheet:
            j = judged[(judged["kind"] == kind).to_numpy()]
            at, absent = j["spos"].to_numpy(dtype=np.int64), j["note"].to_numpy(dtype=bool)
            for flag, hit in (("fined", ~absent), ("half", absent)):
                marks = np.zeros(len(s), dtype=bool)
                marks[at[hit]] = True
                s[f"{kind}_{flag}"] = marks
            s[f"{kind}_full"] = False
    return s


# --- 全勤奖 (ATT-19) ------------------------------------------------------------------------------

def _cancelling(judged: pd.DataFrame, day_rows: pd.DataFrame, types: tuple[str, ...]) -> pd.DataFrame:
    """Every event that cancels 全勤奖, as (emp, date, what): a late or an event of 取消全勤奖, a day of 旷工,
    a day of a leave type the row names."""
    events = judged[judged["cancel"].to_numpy(dtype=bool)]
    days = day_rows[(day_rows["quantity"].to_numpy() > 0) & day_rows["kind"].isin((ABSENCE_KIND, *types)).to_numpy()]
    return pd.concat([pd.DataFrame({"emp": events["emp"], "date": events["date"], "what": events["what"]}),
                      pd.DataFrame({"emp": days["emp"], "date": days["date"], "what": days["kind"]})],
                     ignore_index=True).sort_values(["emp", "date"], kind="stable")


def bonus(table: pt.PenaltyTable, judged: pd.DataFrame, day_rows: pd.DataFrame, roster: pd.DataFrame,
          first, last) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ATT-19: (paid, lost) — the people employed the whole month paid the row's 全勤奖 on the month's last day
    (emp, date, amount, rule, source, detail), the others of them told on the day of the first event that
    cancelled it. No 全勤奖 row: both empty."""
    row = table.bonus
    paid = pd.DataFrame({"emp": pd.Series([], dtype=object), "date": pd.to_datetime([]), "detail": []})
    if row is None:
        return paid, paid
    hired = pd.to_datetime(roster["hired"]).fillna(pd.Timestamp(first))
    left = pd.to_datetime(roster["left"]).fillna(pd.Timestamp(last))
    whole = roster.loc[((hired <= pd.Timestamp(first)) & (left >= pd.Timestamp(last))).to_numpy(), "emp"]
    cancel = _cancelling(judged, day_rows, row.leave_types)
    first_cancel = cancel[cancel["emp"].isin(whole)].drop_duplicates("emp")
    said = f"罚则第{row.row}行：{pt.describe(row)}" if row.row > 0 else pt.describe(row)
    lost = first_cancel.assign(detail=[f"{d:%m-%d}{w}，本月不发全勤奖（{said}）"
                                       for d, w in zip(pd.to_datetime(first_cancel["date"]), first_cancel["what"])])
    keep = whole[~whole.isin(first_cancel["emp"])]
    paid = pd.DataFrame({"emp": keep.to_numpy(), "date": pd.Timestamp(last),
                         "detail": f"本月全勤，发放全勤奖{pt.number_text(row.amount or 0.0)}元（{said}）"})
    return paid, lost[["emp", "date", "detail"]]


def judged(s: pd.DataFrame, table: pt.PenaltyTable, wage, policy: Policy) -> pd.DataFrame:
    """Every event of the evaluated sessions and every 补卡 judged (kaohe.engine.ledger.session_records makes
    their records; :func:`session_absence` their absence). ``wage``: the daily wage by 工号, or the roster."""
    if isinstance(wage, pd.DataFrame):  # the roster: PAY-01's daily wage of each
        wage = pd.Series(daily_wage(wage["base_wage"], policy), index=wage["emp"].to_numpy())
    sessions = judge(session_events(s), table, wage, policy)
    if not table.of(pt.MAKEUP):
        return sessions
    return pd.concat([sessions, judge(makeup_events(s), table, wage, policy)], ignore_index=True)


def penalties_stage(ctx, made) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    """The month's stage after session_rules_stage (kaohe.engine.month.STAGES): ``judged``, each event and 补卡
    judged by the 罚则 table in force (``ctx.penalties``) in the month's order."""
    return {"judged": judged(made["evaluated"], ctx.penalties, made["roster"], ctx.policy)}, []


def table_of(tables: Mapping[str, Table], policy: Policy) -> tuple[pt.PenaltyTable, list[Finding]]:
    """The 罚则 in force (ATT-14): the sheet's rows for the events it names, 规则's for the others; the 规则 keys it
    supersedes reported. A sheet kaohe cannot read raises InputRefused."""
    sheet = tables.get("penalties")
    table = pt.table_in_force(sheet, policy)
    if sheet is None or not sheet.present:
        return table, []
    return table, pt.superseded_findings(table, policy, sheet.sheet, tables["rules"].sheet)


# --- one event, or a month of minutes: the cell functions (LATEFINE, MONTHLATEFINE) ----------------------

def one_event(table: pt.PenaltyTable, event: str, minutes: int, n: int, policy: Policy) -> tuple[float, float, bool]:
    """(money, absence days, whether the money needs a wage) of the ``n``-th event of the month of ``minutes``
    minutes: what compute-month charges for it. Without a wage, money by wage counts 0 and the flag says so."""
    _, eff, _ = choose(table, [r for r in table.of(event) if r.in_band(minutes)], minutes, n)
    if eff is None:
        return 0.0, 0.0, False
    needs_wage = eff.effect in (pt.HOURLY, pt.WAGE_DAYS)
    rate = 0.0 if needs_wage else _money(eff, minutes, 0.0, policy)[0]
    days = float(0.5 if eff.amount is None else eff.amount) if eff.effect == pt.ABSENT else 0.0
    return rate, days, needs_wage


def month_of_minutes(table: pt.PenaltyTable, event: str, minutes: list[int], daily_wage: float,
                     policy: Policy) -> tuple[float, float]:
    """(money, absence days) of a person's month of lateness (or early leave) given as its minutes in time order,
    each a session of half a day: the events judged as compute-month judges them (0 minutes: no event)."""
    m = np.asarray(minutes, dtype=np.int64)
    at = np.flatnonzero(m > 0)
    kind = "late" if event == pt.LATE else "early"
    events = pd.DataFrame({"emp": "", "date": pd.Timestamp("2000-01-01") + pd.to_timedelta(at, unit="D"), "sess": 1,
                           "kind": kind, "event": event, "sub": 1, "minutes": m[at], "at": pd.NaT, "weight": 0.5,
                           "spos": at})
    j = judge(events, table, pd.Series({"": daily_wage}), policy)
    money = j.loc[~j["note"].to_numpy(dtype=bool), "amount"].to_numpy(dtype=float).sum()
    return float(money), float(j["days"].to_numpy(dtype=float).sum())
