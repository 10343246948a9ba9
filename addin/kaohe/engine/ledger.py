"""The ledger: every money and day effect of a month as typed records, made by the rules (PAY-04).

Three frames of one schema (:data:`SCHEMA`), one row per effect of a rule on a person and a date:

    charges   a fine, deduction or payment: ``item`` (a field of kaohe.policy.items), ``what`` it counts,
              ``quantity`` in ``unit``, ``rate`` (money per unit; a rate built from a wage is ``wage`` ×
              ``factor``) and ``amount`` (unrounded: each item is rounded once, per person and month)
    days      a day effect, kept per ``kind``: 旷工 (the days a date counts, capped, ATT-04), a leave type (the
              days a leave covers, per session or, for calendar types, per date; ``hospital`` marks LV-04
              sick days paid in full), 加班 (hours)
    notes     an event that moves neither money nor days but is explained: an approved punch exception,
              paper attendance, a lateness counted as absence, the cap on a day's absence, overtime taken
              as time off or not counted

Each row names the ``rule`` it was made under and its ``source``, the table row its rate or threshold
came from (a 规则 parameter's key today; a 假别 or 罚则 row next), and the facts used: ``sess``, ``at``
(the punch), ``minutes``, ``tier``, ``record`` (the leave record), ``detail`` (an overtime record's
facts). ``event``, ``part`` and ``sub`` say how 每日明细 explains it and in which order
(kaohe.engine.notes). 每日明细, 月度汇总, 依据 and every later output's money are group-bys of these frames.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kaohe import terms
from kaohe.engine.calendar_days import calendar_half_days
from kaohe.policy import DEFAULT, KEY_OF as KEY, Policy
from kaohe.policy.penalties import BONUS_ITEM
from kaohe.policy.items import Registry
from kaohe.policy.leave_table import LeaveTable, default_table

SCHEMA = {
    "emp": object, "date": "datetime64[ns]", "rule": object, "source": object, "event": object,
    "sess": "int64", "part": "int64", "sub": "int64", "item": object, "what": object, "kind": object,
    "quantity": "float64", "unit": object, "rate": "float64", "wage": "float64", "factor": "float64",
    "amount": "float64", "at": "datetime64[ns]", "minutes": "int64", "tier": "int64", "record": "float64",
    "hospital": bool, "detail": object,
}
DEFAULTS = {"rule": "", "source": "", "event": "", "sess": 0, "part": 0, "sub": 0, "item": "", "what": "", "kind": "",
            "quantity": 0.0, "unit": "", "rate": np.nan, "wage": np.nan, "factor": np.nan, "amount": 0.0, "at": pd.NaT,
            "minutes": 0, "tier": 0, "record": np.nan, "hospital": False, "detail": ""}
ABSENCE = "旷工"  # the day kind of absenteeism (ATT-04, ATT-06)
OVERTIME = "加班"  # the day kind of overtime hours (OT-02)
DAY, HOUR, TIMES = "天", "小时", "次"
# The order of a day's explanation in 每日明细: paper attendance, the sessions' events, the cap, leave, proxy
# punching, overtime (each record in sheet order), the month's own (全勤奖).
PART_PAPER, PART_SESSION, PART_CAP, PART_LEAVE, PART_PROXY, PART_OVERTIME, PART_MONTH = range(7)


def money(x):
    """Round half up to the cent (works on scalars and arrays)."""
    return np.floor(np.asarray(x, dtype=float) * 100 + 0.5 + 1e-7) / 100


def daily_wage(base, policy: Policy):
    """PAY-01: 岗位基本工资 / 21.75 (规则's 月计薪天数)."""
    return np.asarray(base, dtype=float) / policy.monthly_workdays


@dataclass(frozen=True)
class Ledger:
    charges: pd.DataFrame
    days: pd.DataFrame
    notes: pd.DataFrame


def records(base: pd.DataFrame, **values) -> pd.DataFrame:
    """Ledger rows, one per row of ``base`` (its ``emp`` and ``date``), with ``values`` (scalars or arrays
    aligned with ``base``) and every other column at its default."""
    n = len(base)
    columns = {"emp": base["emp"].to_numpy(dtype=object),
               "date": pd.to_datetime(base["date"]).to_numpy().astype("datetime64[ns]")}
    for name, dtype in SCHEMA.items():
        if name in columns:
            continue
        value = values.get(name, DEFAULTS[name])
        if isinstance(value, (pd.Series, pd.Index)):
            value = value.to_numpy()
        if not isinstance(value, np.ndarray):
            value = np.full(n, np.datetime64("NaT") if value is pd.NaT else value, dtype=dtype)
        columns[name] = value.astype(dtype, copy=False)
    return pd.DataFrame(columns)


EMPTY = records(pd.DataFrame({"emp": [], "date": pd.to_datetime([])}))


def joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else EMPTY.copy()


ONE_DAY = np.timedelta64(1, "D")


class DayIndex:
    """Employee × date → the row of a days frame (each pair once): a dense lookup built once per frame, so
    that every group-by per day is a ``bincount`` (a month of 2,000 people is 60,000 days)."""

    def __init__(self, days: pd.DataFrame):
        self.size = len(days)
        self.emps = pd.Index(pd.unique(days["emp"]))
        dates = pd.to_datetime(days["date"]).to_numpy().astype("datetime64[D]")
        self.first = dates.min() if len(dates) else np.datetime64("2000-01-01")
        self.width = int((dates.max() - self.first) / ONE_DAY) + 1 if len(dates) else 1
        self.table = np.full(len(self.emps) * self.width, -1, dtype=np.int64)
        self.table[self.emps.get_indexer(days["emp"]) * self.width + (dates - self.first) // ONE_DAY] = np.arange(len(days))

    def positions(self, frame: pd.DataFrame) -> np.ndarray:
        """The row each row of ``frame`` (its emp and date) falls on; -1 outside the days."""
        who = self.emps.get_indexer(frame["emp"])
        when = ((pd.to_datetime(frame["date"]).to_numpy().astype("datetime64[D]") - self.first) // ONE_DAY).astype(np.int64)
        ok = (who >= 0) & (when >= 0) & (when < self.width)
        out = np.full(len(frame), -1, dtype=np.int64)
        out[ok] = self.table[who[ok] * self.width + when[ok]]
        return out

    def sum(self, frame: pd.DataFrame, values) -> np.ndarray:
        """``values`` of ``frame`` summed per day (0 where none)."""
        at = self.positions(frame)
        ok = at >= 0
        return np.bincount(at[ok], weights=np.asarray(values, dtype=float)[ok], minlength=self.size)


def day_index(days) -> DayIndex:
    return days if isinstance(days, DayIndex) else DayIndex(days)


def positions(days, frame: pd.DataFrame) -> np.ndarray:
    """The row of ``days`` (a frame of employee × date, each once, or its DayIndex) each row of ``frame`` falls
    on; -1 outside them."""
    return day_index(days).positions(frame)


def per_day(days, frame: pd.DataFrame, values) -> np.ndarray:
    """``values`` of ``frame`` summed per row of ``days`` (a frame or its DayIndex; 0 where none)."""
    return day_index(days).sum(frame, values)


# --- the session rules (ATT-04, ATT-05, ATT-06) --------------------------------------------

def session_records(s: pd.DataFrame, judged: pd.DataFrame,
                    table: LeaveTable | None = None) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """The charges and notes of the evaluated sessions: each event the 罚则 table judged (kaohe.engine.penalties:
    lateness and early leave, ATT-04; missing punches, ATT-05; sessions without a punch, ATT-06; 补卡, ATT-18 —
    a charge, or a note where it moves days and no money), and the approved exceptions (ATT-05)."""
    charges: list[pd.DataFrame] = []
    notes: list[pd.DataFrame] = []
    for is_note, out in ((False, charges), (True, notes)):
        j = judged[judged["note"].to_numpy(dtype=bool) == is_note]
        out.append(records(j, rule=j["rule"], source=j["source"], event=j["kind"], sess=j["sess"], part=PART_SESSION,
                           sub=j["sub"], item=j["item"], what=j["what"], quantity=j["quantity"], unit=j["unit"],
                           rate=j["rate"], wage=j["wage"], factor=j["factor"], amount=j["amount"], at=j["at"],
                           minutes=j["minutes"], tier=j["tier"], detail=j["detail"]))
    for flag, made, sub in (("exc_in", "mk_in", 5), ("exc_out", "mk_out", 6)):
        e = s[s[flag].to_numpy(dtype=bool)]  # an approved exception; ``at``: the 补卡审批 that made it, if one did
        notes.append(records(e, rule="ATT-05", event=flag, sess=e["sess"], part=PART_SESSION, sub=sub,
                             at=e.get(made, pd.NaT)))
    if "excused_hours" not in s:
        return charges, notes
    x = s[(s["excused_hours"].to_numpy() > 0) & s["leave"].isna().to_numpy()]  # LV-13/LV-14: hours a leave excuses
    rule_of = (table or default_table(DEFAULT)).rule_of  # the 假别 row's rule of the type that excuses the hours
    notes.append(records(x, rule=x["excused_by"].map(rule_of).fillna("").to_numpy(dtype=object), event="excused",
                         sess=x["sess"], part=PART_SESSION, sub=9, what=x["excused_by"].to_numpy(dtype=object),
                         quantity=x["excused_hours"], unit=HOUR))
    return charges, notes


def bonus_records(paid: pd.DataFrame, lost: pd.DataFrame, row) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ATT-19: 全勤奖 as a charge of its item on the month's last day, and where it was lost a note on the day
    of the first event that cancelled it (``row``: the 全勤奖 row of the 罚则 table, None for none)."""
    if row is None:
        return EMPTY.copy(), EMPTY.copy()
    charge = records(paid, rule=row.rule, source=row.source, event="bonus", part=PART_MONTH, item=BONUS_ITEM,
                     what="全勤奖", quantity=1.0, unit="月", rate=row.amount, amount=row.amount, detail=paid["detail"])
    note = records(lost, rule=row.rule, source=row.source, event="bonus_lost", part=PART_MONTH, detail=lost["detail"])
    return charge, note


def changed_records(s: pd.DataFrame, changed: pd.DataFrame) -> list[pd.DataFrame]:
    """ATT-03: sessions whose in or out punch is one an administrator changed (管理员修改): it counts at its time
    like any punch, and the note says so."""
    marked = pd.MultiIndex.from_arrays([changed["emp"], pd.to_datetime(changed["ts"])])
    out = []
    for edge, event, sub in (("in_ts", "changed_in", 7), ("out_ts", "changed_out", 8)):
        hit = s[pd.MultiIndex.from_arrays([s["emp"], s[edge]]).isin(marked)] if len(changed) else s.iloc[:0]
        out.append(records(hit, rule="ATT-03", event=event, sess=hit["sess"], part=PART_SESSION, sub=sub, at=hit[edge]))
    return out


def flexible_records(s: pd.DataFrame) -> list[pd.DataFrame]:
    """ATT-13 and ATT-12: the sessions whose lateness 晚走晚到 or 弹性上班 forgave (kaohe.engine.flexible), told
    before the lateness left (if any) with the facts: the punches and the minutes."""
    out = []
    for event, rule, sub in (("late_leave", "ATT-13", -2), ("flex", "ATT-12", -1)):
        told = s[s[f"{event}_note"].to_numpy(dtype=object) != ""] if f"{event}_note" in s else s.iloc[:0]
        out.append(records(told, rule=rule, event=event, sess=told["sess"], part=PART_SESSION, sub=sub,
                           at=told["in_ts"], detail=told[f"{event}_note"]))
    return out


# --- the day rules: absence capped per day (ATT-04, PAY-02), paper attendance (ATT-07) ------------

def day_records(days: pd.DataFrame, s: pd.DataFrame, roster: pd.DataFrame, wage: pd.Series,
                policy: Policy) -> tuple[pd.DataFrame, pd.DataFrame, list[pd.DataFrame]]:
    """Absence per day (capped at the day's due weight after leave: ATT-04 第十九条) as day records and its
    deduction (PAY-02), and the notes of the cap and of paper attendance."""
    index = DayIndex(days)
    raw = index.sum(s, s["absent"])
    leave_weight = index.sum(s, s["leave_weight"])
    no_punch = index.sum(s, s["no_punch"]) > 0
    capped = np.minimum(raw, days["weight"].to_numpy() - leave_weight).clip(min=0)
    hit = capped > 0
    absent = days[hit]
    rule = np.where(no_punch[hit], "ATT-06", "ATT-04").astype(object)
    day_rows = records(absent, rule=rule, event="absence", kind=ABSENCE, quantity=capped[hit], unit=DAY)
    rate = absent["emp"].map(wage).fillna(0.0).to_numpy()
    charges = records(absent, rule="PAY-02", source=KEY["absence_multiplier"], event="absence",
                      item="absence_deduction", what=ABSENCE, quantity=capped[hit], unit=DAY, wage=rate,
                      factor=policy.absence_multiplier, rate=rate * policy.absence_multiplier,
                      amount=capped[hit] * rate * policy.absence_multiplier)
    cut = (capped > 0) & (capped < raw)
    notes = [records(days[cut], rule="ATT-04", event="cap", part=PART_CAP, quantity=capped[cut], unit=DAY)]
    paper = days[(days["paper"] & days["workday"]).to_numpy(dtype=bool)]
    hired = pd.to_datetime(paper["emp"].map(roster.set_index("emp")["hired"]))
    notes.append(records(paper, rule="ATT-07", source=KEY["paper_attendance_days"], event="paper", part=PART_PAPER,
                         quantity=((paper["date"] - hired).dt.days + 1).to_numpy(dtype=float)))
    return day_rows, charges, notes


# --- leave: the days each leave type covers (LV-03..LV-10), and their deductions --------------------

def leave_records(s: pd.DataFrame, records_: pd.DataFrame, policy: Policy, first, last,
                  table: LeaveTable) -> pd.DataFrame:
    """Day records of leave, per type: workday types per covered session, calendar types of ``table`` (丧假, 产假 …)
    per date of the month (ATT-09 aside: as 月度汇总 always counted them); LV-04 住院 days marked ``hospital``;
    each under its type's rule (the 假别 table's)."""
    covered = s[s["leave"].notna().to_numpy() & ~s["leave"].isin(table.calendar_types).to_numpy()]
    hospital = (records_["counted_as"] == terms.LEAVE_SICK) & records_["note_src"].map(terms.is_hospital_note)
    kinds = covered["leave"].astype(object)
    sessions = records(covered, rule=kinds.map(table.rule_of).fillna("").to_numpy(), event="leave",
                       sess=covered["sess"], part=PART_LEAVE, kind=kinds.to_numpy(), quantity=covered["weight"],
                       unit=DAY, record=covered["leave_index"],
                       hospital=covered["leave_index"].map(hospital).fillna(False).to_numpy(dtype=bool))
    return joined([sessions, calendar_leave(records_, policy, first, last, table)])


def calendar_leave(records_: pd.DataFrame, policy: Policy, first, last, table: LeaveTable) -> pd.DataFrame:
    """日历日 types (丧假, 产假 …) count calendar half days (LV-06, LV-07): one day record per date of the month
    they touch."""
    live = records_[records_["effective"] & records_["counted_as"].isin(table.calendar_types)]
    rows = []
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    for r in live.itertuples():
        for day in pd.date_range(max(r.start.normalize(), lo), min(r.end_eff, hi + pd.Timedelta(days=1)),
                                 inclusive="left"):
            n = calendar_half_days(r.start, r.end_eff, policy, day, day)
            if n:
                rows.append((r.emp, day, r.counted_as, n, r.Index))
    found = pd.DataFrame(rows, columns=["emp", "date", "kind", "quantity", "record"])
    return records(found, rule=found["kind"].map(table.rule_of).to_numpy(dtype=object), event="leave",
                   part=PART_LEAVE, kind=found["kind"].to_numpy(dtype=object), quantity=found["quantity"],
                   unit=DAY, record=found["record"].to_numpy(dtype=float))


def leave_charges(leave: pd.DataFrame, items: Registry, wage: pd.Series, policy: Policy) -> list[pd.DataFrame]:
    """Each leave item charges the days of its leave type (not those paid in full) at the daily wage less
    the share still paid (事假 none, PAY-03; 病假 规则's 病假工资比例, LV-04)."""
    out = []
    for item in items.leave_items():
        days = leave[(leave["kind"] == item.leave_type).to_numpy() & ~leave["hospital"].to_numpy(dtype=bool)]
        share = getattr(policy, item.paid_key) if item.paid_key else item.paid_share
        w = days["emp"].map(wage).fillna(0.0).to_numpy()
        factor = 1 - share
        out.append(records(days, rule=item.rule, source=KEY.get(item.paid_key, ""), event="leave_pay",
                           part=PART_LEAVE, item=item.field, what=item.leave_type, quantity=days["quantity"],
                           unit=DAY, wage=w, factor=factor, rate=w * factor,
                           amount=days["quantity"].to_numpy() * w * factor, record=days["record"]))
    return out


# --- proxy punching (ATT-07) and overtime (OT-02, OT-03) -----------------------------------------

def proxy_charges(proxy: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """ATT-07: each 代打卡 recorded on a date, fined per time."""
    n = proxy["proxy"].to_numpy(dtype=float)
    return records(proxy, rule="ATT-07", source=KEY["proxy_punch_fine"], event="proxy", part=PART_PROXY,
                   item="proxy_fine", what="代打卡", quantity=n, unit=TIMES, rate=policy.proxy_punch_fine,
                   amount=n * policy.proxy_punch_fine)


def overtime_records(ot: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The month's overtime: hours as day records (OT-02), paid hours as charges (OT-03), and the records
    that pay nothing (time off, not counted) as notes; ``sub`` keeps the sheet's order within a day."""
    order = np.arange(len(ot))
    worked = ot[(ot["hours"] > 0).to_numpy()]
    hours = records(worked, rule="OT-02", source=KEY["overtime_step_hours"], event="overtime", kind=OVERTIME,
                    quantity=worked["hours"], unit=HOUR)
    paid = ot["paid"].to_numpy(dtype=bool)
    p = ot[paid]
    charges = records(p, rule="OT-03", source=p["source"].to_numpy(dtype=object), event="overtime",
                      part=PART_OVERTIME, sub=order[paid], item="ot_pay", what=OVERTIME, quantity=p["hours"],
                      unit=HOUR, wage=p["hourly"], factor=p["multiplier"], rate=p["hourly"] * p["multiplier"],
                      amount=p["pay"], detail=p["detail"])
    told = ~paid & (ot["detail"] != "").to_numpy()
    n = ot[told]
    notes = records(n, rule=n["rule"].to_numpy(dtype=object), source=n["source"].to_numpy(dtype=object),
                    event="overtime", part=PART_OVERTIME, sub=order[told], detail=n["detail"])
    return hours, charges, notes
