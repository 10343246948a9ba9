"""Days and money: the month's ledger, and 每日明细, 月度汇总 and 请假校验 as group-bys of it (PAY-01..PAY-04, LV-11).

Money is computed unrounded and each item is rounded half-up to the cent once, at the
end; 调整合计 is what is paid minus the rounded deductions, so a row always adds up.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kaohe import terms
from kaohe.calendar import Calendar
from kaohe.engine import leave as lv, ledger as lg, notes, penalties
from kaohe.engine.calendar_days import calendar_half_days
from kaohe.engine.ledger import daily_wage, money
from kaohe.engine.schedule import build_days
from kaohe.findings import Finding
from kaohe.policy import LEGAL_MONTHLY_OVERTIME_HOURS, Policy, penalties as pt
from kaohe.policy.items import FINES, PAY, Registry
from kaohe.policy.leave_table import LeaveTable, default_table
from kaohe.tables import Table


# 计算方式 -> the DayCounter method that counts it.
COUNTERS = {terms.COUNT_WORKDAY: "workdays", terms.COUNT_CALENDAR: "calendar_days", terms.COUNT_HOURS: "hours_in_day"}


class DayCounter:
    """Counts the days of a leave by its type's 计算方式 (the 假别 table's row), for any dates (not only the month)."""

    def __init__(self, leave: pd.DataFrame, roster: pd.DataFrame, calendar: Calendar, policy: Policy,
                 first: dt.date, last: dt.date, rota: pd.DataFrame, shifts: pd.DataFrame,
                 table: LeaveTable | None = None):
        self.policy = policy
        self.table = default_table(policy) if table is None else table
        self.index: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.hours_index: dict[str, np.ndarray] = {}  # cumulative scheduled hours of the sessions (LV-09)
        f = lv.normalise(leave.dropna(subset=["emp", "start", "end"])) if len(leave) else leave
        people = roster[roster["emp"].isin(f["emp"])] if len(f) else roster.iloc[:0]
        if len(people):
            lo = max(f["start"].min().date(), dt.date(first.year - 1, 1, 1))
            hi = min(f["end_eff"].max().date(), last + dt.timedelta(days=400))
            lo, hi = min(lo, first) - dt.timedelta(days=1), max(hi, last)  # the night shift before counts too
            _, sessions, _ = build_days(people, lo, hi, calendar, policy, rota, shifts)
            sessions = sessions.sort_values(["emp", "mid"])
            for emp, g in sessions.groupby("emp"):
                self.index[emp] = (g["mid"].to_numpy(), np.concatenate([[0.0], np.cumsum(g["weight"].to_numpy())]))
                hours = ((g["end"] - g["start"]) / pd.Timedelta(hours=1)).to_numpy()
                self.hours_index[emp] = np.concatenate([[0.0], np.cumsum(hours)])

    def count(self, emp: str, kind: str, start, end) -> float:
        """The days a leave of ``kind`` counts, by its row's 计算方式 (:data:`COUNTERS`)."""
        if pd.isna(start) or pd.isna(end):
            return 0.0
        return getattr(self, COUNTERS[self.table.count_of(kind)])(emp, pd.Timestamp(start), pd.Timestamp(end))

    def workdays(self, emp: str, start: pd.Timestamp, end: pd.Timestamp) -> float:
        """工作日: the employee's own scheduled sessions the leave covers (half days)."""
        _, cum, i, j = self._sessions(emp, start, end)
        return float(cum[j] - cum[i])

    def calendar_days(self, emp: str, start: pd.Timestamp, end: pd.Timestamp) -> float:
        """日历日: calendar half days of the standard schedule, rest days and holidays included."""
        return calendar_half_days(start, end, self.policy)

    def hours_in_day(self, emp: str, start: pd.Timestamp, end: pd.Timestamp) -> float:
        """小时 (哺乳时间): hours inside the working day count the working days (dates with a session) they apply to
        (the hours themselves are checked by kaohe.engine.statutory)."""
        last = (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).normalize() + pd.Timedelta(days=1)
        mids, _, i, j = self._sessions(emp, pd.Timestamp(start).normalize(), last)
        return float(len(np.unique(mids[i:j].astype("datetime64[D]"))))

    def _sessions(self, emp: str, start, end):
        """The employee's session mids and cumulative weights, and the range [i, j) a leave covers."""
        mids, cum = self.index.get(emp, (np.array([], dtype="datetime64[ns]"), np.array([0.0])))
        i = np.searchsorted(mids, np.datetime64(pd.Timestamp(start)), "left")
        j = np.searchsorted(mids, np.datetime64(pd.Timestamp(end)), "left")
        return mids, cum, i, j

    def hours(self, emp: str, start, end) -> float:
        """LV-09: the scheduled hours of the sessions a leave covers (a day is that day's hours, 7.5 by default)."""
        if pd.isna(start) or pd.isna(end):
            return 0.0
        _, _, i, j = self._sessions(emp, start, end)
        cum = self.hours_index.get(emp, np.array([0.0]))
        return float(cum[j] - cum[i])

    def cut(self, emp: str, start, end, *, days: float | None = None, hours: float | None = None) -> pd.Timestamp:
        """Where to split a workday leave so the part before covers the most whole sessions worth at
        most ``days`` (or scheduled ``hours``): the middle of the first session left over (``start``
        when not even the first fits, ``end`` when everything does). LV-08, LV-09."""
        mids, cum, i, j = self._sessions(emp, start, end)
        if hours is not None:
            cum, limit = self.hours_index.get(emp, np.array([0.0])), hours
        else:
            assert days is not None, "cut needs days or hours"
            limit = days
        used = cum[i:j + 1] - cum[i]
        k = int(np.searchsorted(used, limit + 1e-9, "right")) - 1
        if k <= 0:
            return pd.Timestamp(start)
        return pd.Timestamp(end) if i + k >= j else pd.Timestamp(mids[i + k])


def build_ledger(days: pd.DataFrame, s: pd.DataFrame, ot: pd.DataFrame, proxy: pd.DataFrame, roster: pd.DataFrame,
                 records: pd.DataFrame, items: Registry, policy: Policy, first, last,
                 changed: pd.DataFrame | None = None, table: LeaveTable | None = None,
                 judged: pd.DataFrame | None = None, penalty_table: pt.PenaltyTable | None = None) -> lg.Ledger:
    """The month's ledger: every rule's charges, day records and notes, on the days inside employment
    (``changed``: punches an administrator changed, named in 说明; ``table``: the 假别 table in force; ``judged``:
    the sessions' events judged by the 罚则 ``penalty_table``, by 规则's default rows when not given)."""
    wage = pd.Series(daily_wage(roster["base_wage"], policy), index=roster["emp"].to_numpy())
    fines = penalty_table if penalty_table is not None else pt.default_table(policy)
    judged = judged if judged is not None else penalties.judged(s, fines, wage, policy)
    s = s.assign(absent=penalties.session_absence(s, judged))
    charges, notes = lg.session_records(s, judged, table)
    notes += lg.flexible_records(s)  # ATT-12, ATT-13
    if changed is not None:
        notes += lg.changed_records(s, changed)
    absence, absence_pay, day_notes = lg.day_records(days, s, roster, wage, policy)
    leave = lg.leave_records(s, records, policy, first, last, default_table(policy) if table is None else table)
    in_month = ot[(ot["date"] >= pd.Timestamp(first)) & (ot["date"] <= pd.Timestamp(last))]
    index = lg.DayIndex(days)
    hours, ot_pay, ot_notes = lg.overtime_records(in_month[index.positions(in_month) >= 0])
    proxy_pay = lg.proxy_charges(proxy[index.positions(proxy) >= 0], policy)
    paid, lost = penalties.bonus(fines, judged, lg.joined([absence, leave]), roster, first, last)
    bonus_pay, bonus_notes = lg.bonus_records(paid, lost, fines.bonus)
    return lg.Ledger(lg.joined([*charges, absence_pay, *lg.leave_charges(leave, items, wage, policy), proxy_pay, ot_pay,
                                bonus_pay]),
                     lg.joined([absence, leave, hours]), lg.joined([*notes, *day_notes, ot_notes, bonus_notes]))


def _counted(index: lg.DayIndex, charges: pd.DataFrame, what: str) -> np.ndarray:
    c = charges[(charges["what"] == what).to_numpy()]
    return index.sum(c, c["quantity"]).astype(int)


def _punch_columns(d: pd.DataFrame, index: lg.DayIndex, s: pd.DataFrame) -> None:
    """The in and out punch of each day's morning and afternoon session (ATT-11)."""
    for sess, (cin, cout) in ((1, ("am_in", "am_out")), (2, ("pm_in", "pm_out"))):
        part = s[(s["sess"] == sess).to_numpy()]
        at = index.positions(part)
        for col, src in ((cin, "in_ts"), (cout, "out_ts")):
            values = pd.Series(pd.NaT, index=d.index, dtype=part[src].dtype)
            values.iloc[at[at >= 0]] = part[src].to_numpy()[at >= 0]
            d[col] = values


def daily_frame(days: pd.DataFrame, s: pd.DataFrame, ledger: lg.Ledger, roster: pd.DataFrame, items: Registry,
                policy: Policy) -> pd.DataFrame:
    """The computed days (每日明细 inside employment): one row per employee and date, a group-by of the ledger
    (and of the sessions for the minutes and punches)."""
    d = days.reset_index(drop=True).copy()
    index = lg.DayIndex(d)
    for col in ("late_minutes", "early_minutes"):
        d[col] = index.sum(s, s[col]).astype(int)
    d["leave_weight"] = index.sum(s, s["leave_weight"])
    charges, day_rows = ledger.charges, ledger.days
    d["missing"], d["proxy"] = _counted(index, charges, "缺卡"), _counted(index, charges, "代打卡")
    d["late_count"], d["early_count"] = _counted(index, charges, "迟到"), _counted(index, charges, "早退")
    absent = day_rows[(day_rows["kind"] == lg.ABSENCE).to_numpy()]
    d["absent_days"] = index.sum(absent, absent["quantity"])
    _punch_columns(d, index, s)
    d["leave"] = notes.leave_column(index, day_rows[(day_rows["event"] == "leave").to_numpy()])
    hours = day_rows[(day_rows["kind"] == lg.OVERTIME).to_numpy()]
    d["ot_hours"] = index.sum(hours, hours["quantity"])
    fines = charges[charges["item"].isin([i.field for i in items.of_total(FINES)]).to_numpy()]
    d["fine"] = index.sum(fines, fines["amount"])
    paid = charges[charges["item"].isin([i.field for i in items.of_total(PAY)]).to_numpy()]
    d["ot_pay"] = index.sum(paid, paid["amount"])
    people = roster.set_index("emp")
    for col in ("name", "dept", "hired"):
        d[col] = d["emp"].map(people[col])
    d["note"] = notes.day_notes(index, ledger, policy)
    d["weekday"] = WEEKDAYS[d["date"].dt.day_of_week]
    return d


WEEKDAYS = np.array(terms.WEEKDAYS, dtype=object)


def with_days_outside_employment(d: pd.DataFrame, roster: pd.DataFrame, calendar: Calendar, first, last) -> pd.DataFrame:
    """每日明细 has a row for every employee and date of the month: dates before the hire date or
    after the leaving date are added, marked ATT-09 and costing nothing."""
    dates = pd.DataFrame({"date": pd.date_range(pd.Timestamp(first), pd.Timestamp(last))})
    full = roster[["emp", "name", "dept", "hired", "left"]].merge(dates, how="cross")
    seen = pd.MultiIndex.from_frame(d[["emp", "date"]])
    extra = full[~pd.MultiIndex.from_frame(full[["emp", "date"]]).isin(seen)].copy()
    d = d.assign(employed=True)
    if extra.empty:
        return d
    extra["employed"] = False
    extra["day_type"] = [calendar.day_type(x.date()) for x in extra["date"]]
    extra["weekday"] = WEEKDAYS[extra["date"].dt.day_of_week]
    for col in ("late_minutes", "early_minutes", "missing", "absent_days", "ot_hours", "fine"):
        extra[col] = 0
    extra["leave"] = ""
    extra["note"] = [notes.not_employed(_day(h), _day(l_)) for h, l_ in zip(extra["hired"], extra["left"])]
    out = pd.concat([d, extra.drop(columns=["left"])], ignore_index=True)
    return out.sort_values(["emp", "date"], kind="stable").reset_index(drop=True)


def _day(value) -> str:
    return "" if value is None or (not isinstance(value, dt.date) and pd.isna(value)) else f"{value:%Y-%m-%d}"


def _per_person(m: pd.DataFrame, frame: pd.DataFrame, values) -> np.ndarray:
    """``values`` of ``frame`` summed per employee of ``m`` (0 for none)."""
    at = pd.Index(m["emp"]).get_indexer(frame["emp"])
    ok = at >= 0
    return np.bincount(at[ok], weights=np.asarray(values, dtype=float)[ok], minlength=len(m))


def monthly_frame(daily: pd.DataFrame, ledger: lg.Ledger, roster: pd.DataFrame, items: Registry,
                  policy: Policy, leave_types: tuple[str, ...] | None = None) -> pd.DataFrame:
    """月度汇总: one row per employee, a group-by of the month's days and its ledger (a days column per leave type
    of ``leave_types``, the 假别 table's names); each money item rounded half-up to the cent once, 调整合计 from the
    rounded items."""
    leave_types = default_table(policy).names if leave_types is None else leave_types
    m = roster[["emp", "name", "dept", "base_wage"]].reset_index(drop=True)
    m["due_days"] = _per_person(m, daily, daily["weight"].where(daily["workday"], 0.0))
    m["absent_days"] = _per_person(m, daily, daily["absent_days"])
    charges, day_rows = ledger.charges, ledger.days
    for col, what in (("late_count", "迟到"), ("early_count", "早退"), ("missing_count", "缺卡"), ("proxy", "代打卡")):
        c = charges[(charges["what"] == what).to_numpy()]
        m[col] = _per_person(m, c, c["quantity"]).astype(int)
    m["ot_hours"] = _per_person(m, daily, daily["ot_hours"])
    m["leave_weight"] = _per_person(m, daily, daily["leave_weight"])
    for kind in dict.fromkeys((*leave_types, *terms.LEAVE_TYPES)):  # the regulation's eight always (考勤表, 核对)
        rows = day_rows[(day_rows["kind"] == kind).to_numpy()]
        m[f"days_{kind}"] = _per_person(m, rows, rows["quantity"])
    m["present_days"] = (m["due_days"] - m["absent_days"] - m["leave_weight"]).clip(lower=0)
    for item in items:
        c = charges[(charges["item"] == item.field).to_numpy()]
        m[item.field] = money(_per_person(m, c, c["amount"]))
    social = sum((m[f"days_{k}"] for k in policy.social_insurance_leave_types if k in leave_types),
                 pd.Series(0.0, index=m.index))
    over = (social > policy.social_insurance_leave_days).to_numpy()
    m["social_self"] = np.where(over, terms.YES, terms.NO)
    paid = m[[i.field for i in items if i.paid]].sum(axis=1)
    m["adjustment"] = money(paid - m[[i.field for i in items if not i.paid]].sum(axis=1))
    m["basis"] = notes.basis(m, over, ledger, items, social, policy)
    return m


def over_legal_limit(monthly: pd.DataFrame, t: Table) -> list[Finding]:
    """OT-02: a month's overtime beyond the legal monthly maximum is computed as usual and reported
    (a 警告 about the overtime table ``t``)."""
    over = monthly[monthly["ot_hours"] > LEGAL_MONTHLY_OVERTIME_HOURS]
    return [Finding(t.sheet, "", f"工号{r.emp}本月加班{r.ot_hours:g}小时，超过劳动法每月"
                    f"{LEGAL_MONTHLY_OVERTIME_HOURS:g}小时上限", "照常计算，请核对是否合规",
                    "OT-02", "劳动法第四十一条", terms.LEVEL_WARNING,
                    code="overtime.over_legal_limit") for r in over.itertuples(index=False)]


def _as_typed(stamps: pd.Series) -> list:
    """A leave's start or end as HR gave it: a day without a time (00:00: a bare end runs to the day's end,
    LV-01) as a date, so 请假校验 shows 2026-10-09, not 2026-10-09 00:00; a time as a date-time."""
    return [None if pd.isna(v) else v.date() if v == v.normalize() else v.to_pydatetime() for v in pd.to_datetime(stamps)]


def leave_check_frame(records: pd.DataFrame, entries: pd.DataFrame, roster: pd.DataFrame, t: Table) -> pd.DataFrame:
    """请假校验: one row per leave record, in sheet order (a record split at its balance says both parts)."""
    if records.empty:
        return pd.DataFrame(columns=["emp", "name", "type", "start", "end", "days", "counted_as", "result", "note",
                                     "basis", "source"])
    names = dict(zip(roster["emp"], roster["name"]))
    f = records[records["part_of"].isna()].sort_values("row", kind="stable")
    note, basis = notes.check_texts(f.index, entries)
    return pd.DataFrame({
        "emp": f["emp"], "name": [names.get(e, "") for e in f["emp"]], "type": f["type"],
        "start": _as_typed(f["start"]), "end": _as_typed(f["end"]), "days": f["days"].astype(float),
        "counted_as": f["label"].where(f["effective"], ""),
        "result": f["result"], "note": note, "basis": basis,
        "source": [f"{t.sheet}!{t.cell('emp', r)}" for r in f["row"]],
    }).reset_index(drop=True)
