"""Days and money: the daily rows, the monthly summary and the leave check (PAY-01..PAY-04, LV-04, LV-11).

Money is computed unrounded and each item is rounded half-up to the cent once, at the
end; 调整合计 is 加班费 minus the rounded deductions, so a row always adds up.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kaohe import terms
from kaohe.calendar import Calendar
from kaohe.engine import leave as lv
from kaohe.engine.schedule import build_days
from kaohe.findings import Finding
from kaohe.policy import LEGAL_MONTHLY_OVERTIME_HOURS, Policy
from kaohe.tables import Table



def money(x):
    """Round half up to the cent (works on scalars and arrays)."""
    return np.floor(np.asarray(x, dtype=float) * 100 + 0.5 + 1e-7) / 100


def daily_wage(base, policy: Policy):
    """PAY-01: 岗位基本工资 / 21.75."""
    return np.asarray(base, dtype=float) / policy.monthly_workdays


class DayCounter:
    """Counts the days of a leave by its type's rule, for any dates (not only the month)."""

    def __init__(self, leave: pd.DataFrame, roster: pd.DataFrame, calendar: Calendar, policy: Policy,
                 first: dt.date, last: dt.date, rota: pd.DataFrame, shifts: pd.DataFrame):
        self.policy = policy
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
        if pd.isna(start) or pd.isna(end):
            return 0.0
        if kind in lv.CALENDAR_TYPES:
            return lv.calendar_half_days(pd.Timestamp(start), pd.Timestamp(end), self.policy)
        _, cum, i, j = self._sessions(emp, start, end)
        return float(cum[j] - cum[i])

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


def person_leave_days(kind: str, start, end_eff, calendar: Calendar, policy: Policy, gender: str | None = None,
                      comprehensive: bool = False, shift: tuple[dt.time, ...] = ()) -> float:
    """The days one leave counts for one person, by the same :class:`DayCounter` compute-month uses.

    For the cell functions, which know no roster: ``gender`` (8 March), ``comprehensive`` hours and
    the ``shift`` (start/end times of its one or two sessions), assumed rostered on every day of the
    leave because a cell cannot see 排班. ``end_eff`` is the exclusive end (see :func:`leave.normalise`)."""
    a, b = pd.Timestamp(start), pd.Timestamp(end_eff)
    leave = pd.DataFrame({"emp": ["1"], "start": [a], "end": [b], "returned": [None]})
    roster = pd.DataFrame({"emp": ["1"], "hired": [None], "left": [None], "gender": [gender],
                           "comprehensive": [bool(comprehensive)]})
    days = pd.date_range(a.normalize() - pd.Timedelta(days=1), b.normalize())
    rota = pd.DataFrame({"emp": "1", "date": days, "shift": "班次" if shift else None, "row": 0})
    times = (list(shift) + [None] * 4)[:4]
    shifts = pd.DataFrame([{"shift": "班次", "s1_start": times[0], "s1_end": times[1], "s2_start": times[2],
                            "s2_end": times[3]}])
    counter = DayCounter(leave, roster, calendar, policy, a.date(), b.date(), rota, shifts)
    return counter.count("1", kind, a, b)


def _leave_text(kinds: pd.Series, weights: pd.Series) -> str:
    parts: dict[str, float] = {}
    for k, w in zip(kinds, weights):
        parts[k] = parts.get(k, 0.0) + w
    return "、".join(f"{k}{v:g}天" for k, v in parts.items())


def daily_frame(days, s, ot, proxy_counts, roster, records, policy: Policy, first, last) -> pd.DataFrame:
    """The computed days: one row per employee and date inside employment."""
    s = s.copy()
    s["fined"] = s["late_fined"].astype(int) + s["early_fined"].astype(int)
    agg = s.groupby(["emp", "date"], as_index=False).agg(
        late_minutes=("late_minutes", "sum"), early_minutes=("early_minutes", "sum"), missing=("missing", "sum"),
        absent=("absent", "sum"), fined=("fined", "sum"), leave_weight=("leave_weight", "sum"),
        late_count=("late_fined", "sum"), early_count=("early_fined", "sum"))
    d = days.merge(agg, on=["emp", "date"], how="left")
    for col in ("late_minutes", "early_minutes", "missing", "fined", "late_count", "early_count"):
        d[col] = d[col].fillna(0).astype(int)
    d["leave_weight"] = d["leave_weight"].fillna(0.0)
    d["absent_days"] = np.minimum(d["absent"].fillna(0.0), d["weight"] - d["leave_weight"]).clip(lower=0)
    for sess, (cin, cout) in ((1, ("am_in", "am_out")), (2, ("pm_in", "pm_out"))):
        part = s[s["sess"] == sess][["emp", "date", "in_ts", "out_ts"]].rename(columns={"in_ts": cin, "out_ts": cout})
        d = d.merge(part, on=["emp", "date"], how="left")
    notes = s[s["note"] != ""].groupby(["emp", "date"])["note"].agg("；".join).rename("sess_note")
    d = d.merge(notes, on=["emp", "date"], how="left")
    on_leave = s[s["leave"].notna()]
    d["leave"] = ""
    if len(on_leave):
        text = {key: _leave_text(g["leave"], g["weight"]) for key, g in on_leave.groupby(["emp", "date"])}
        keys = list(zip(d["emp"], d["date"]))
        d["leave"] = [text.get(k, "") for k in keys]
    _calendar_leave_on_days_off(d, records, policy)
    d = d.merge(proxy_counts, on=["emp", "date"], how="left")
    d["proxy"] = d["proxy"].fillna(0).astype(int)
    d = d.merge(_overtime_days(ot, first, last), on=["emp", "date"], how="left")
    d["ot_hours"] = d["ot_hours"].fillna(0.0)
    d["ot_pay"] = d["ot_pay"].fillna(0.0)
    d["fine"] = (d["fined"] * policy.late_fine + d["missing"] * policy.missing_punch_fine
                 + d["proxy"] * policy.proxy_punch_fine)
    d = d.merge(roster[["emp", "name", "dept", "hired"]], on="emp", how="left")
    eventful = ((d["paper"] & d["workday"]) | d["sess_note"].notna() | (d["leave"] != "") | (d["proxy"] > 0)
                | d["ot_note"].fillna("").ne(""))
    d["note"] = ""
    d.loc[eventful, "note"] = [_day_note(r, policy) for r in d[eventful].itertuples(index=False)]
    d["weekday"] = WEEKDAYS[d["date"].dt.day_of_week]
    return d.sort_values(["emp", "date"], kind="stable").reset_index(drop=True)


WEEKDAYS = np.array(terms.WEEKDAYS, dtype=object)


def _overtime_days(ot: pd.DataFrame, first, last) -> pd.DataFrame:
    """The month's overtime per employee and date: hours, pay and the records' notes."""
    in_month = ot[(ot["date"] >= pd.Timestamp(first)) & (ot["date"] <= pd.Timestamp(last))]
    return in_month.groupby(["emp", "date"], as_index=False).agg(ot_hours=("hours", "sum"), ot_pay=("pay", "sum"),
                                                                 ot_note=("note", lambda x: "；".join(n for n in x if n)))


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
    extra["note"] = [f"ATT-09 第十五条: 不在职（入职 {_day(h)}" + (f"，离职 {_day(l_)}" if _day(l_) else "") + "）"
                     for h, l_ in zip(extra["hired"], extra["left"])]
    out = pd.concat([d, extra.drop(columns=["left"])], ignore_index=True)
    return out.sort_values(["emp", "date"], kind="stable").reset_index(drop=True)


def _day(value) -> str:
    return "" if value is None or (not isinstance(value, dt.date) and pd.isna(value)) else f"{value:%Y-%m-%d}"


def _calendar_leave_on_days_off(d: pd.DataFrame, records: pd.DataFrame, policy: Policy) -> None:
    """丧假 and 产假 count days off too: show them on those days in 每日明细."""
    live = records[records["effective"] & records["counted_as"].isin(lv.CALENDAR_TYPES)]
    if live.empty:
        return
    off = d["weight"] == 0
    for r in live.itertuples():
        hit = off & (d["emp"] == r.emp) & (d["date"] >= r.start.normalize()) & (d["date"] < r.end_eff)
        for idx in d.index[hit]:
            day = d.at[idx, "date"]
            n = lv.calendar_half_days(r.start, r.end_eff, policy, day, day)
            if n:
                d.at[idx, "leave"] = f"{r.counted_as}{n:g}天"


def _day_note(r, policy: Policy) -> str:
    parts = []
    if r.paper and r.workday:
        n = (r.date - pd.Timestamp(r.hired)).days + 1
        parts.append(f"ATT-07 第十七条: 入职第{n}天, 纸质考勤, 按出勤计")
    if isinstance(r.sess_note, str) and r.sess_note:
        parts.append(r.sess_note)
    if not pd.isna(r.absent) and 0 < r.absent_days < r.absent:
        parts.append(f"ATT-04 第十九条: 旷工每天最多计{r.absent_days:g}天")
    if r.leave:
        parts.append(f"请假: {r.leave}")
    if r.proxy:
        parts.append(f"ATT-07 第十七条: 代打卡{r.proxy}次, 罚款{r.proxy * policy.proxy_punch_fine:g}元")
    if isinstance(r.ot_note, str) and r.ot_note:
        parts.append(r.ot_note)
    return "；".join(parts)


def monthly_frame(daily, s, records, roster, policy: Policy, first, last) -> pd.DataFrame:
    """月度汇总: one row per employee, money rounded to the cent.

    ``daily`` is the days inside employment (:func:`daily_frame`), ``s`` the evaluated sessions with
    their covering leave, ``records`` the validated leave."""
    m = _month_counts(daily, roster)
    kinds, hospital = _leave_days(m, s, records, policy, first, last)
    for k in terms.LEAVE_TYPES:
        m[f"days_{k}"] = kinds[k]
    return _money_columns(m, hospital, policy).reset_index(drop=True)


def _month_counts(daily: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """The roster with the month's sums of the daily rows (due and absent days, counts, overtime)."""
    daily = daily.assign(due=daily["weight"].where(daily["workday"], 0.0))
    g = daily.groupby("emp", sort=False).agg(
        due_days=("due", "sum"),
        absent_days=("absent_days", "sum"), late_count=("late_count", "sum"), early_count=("early_count", "sum"),
        missing_count=("missing", "sum"), proxy=("proxy", "sum"), ot_hours=("ot_hours", "sum"),
        ot_pay=("ot_pay", "sum"), leave_weight=("leave_weight", "sum"))
    m = roster[["emp", "name", "dept", "base_wage"]].merge(g, left_on="emp", right_index=True, how="left")
    m = m.fillna({k: 0 for k in g.columns})  # someone with no day in the month (hired after it)
    return m.astype({k: int for k in ("late_count", "early_count", "missing_count", "proxy")})  # counts stay whole


def _leave_days(m: pd.DataFrame, s: pd.DataFrame, records: pd.DataFrame, policy: Policy,
                first, last) -> tuple[dict[str, pd.Series], pd.Series]:
    """Leave days of the month by type (workday types from covered sessions, calendar types by date) and
    the sick days in hospital (LV-04), aligned with ``m``."""
    kinds = {k: pd.Series(0.0, index=m.index) for k in terms.LEAVE_TYPES}
    covered = s[s["leave"].notna()].groupby(["emp", "leave"])["weight"].sum()
    pos = pd.Series(m.index, index=m["emp"])
    for (emp, kind), w in covered.items():
        if kind not in lv.CALENDAR_TYPES:
            kinds[kind].at[pos[emp]] += w
    month_lo, month_hi = pd.Timestamp(first), pd.Timestamp(last)
    hospital = pd.Series(0.0, index=m.index)
    for r in records[records["effective"]].itertuples():
        if r.emp not in pos.index:
            continue
        if r.counted_as in lv.CALENDAR_TYPES:
            kinds[r.counted_as].at[pos[r.emp]] += lv.calendar_half_days(r.start, r.end_eff, policy, month_lo, month_hi)
        elif r.counted_as == terms.LEAVE_SICK and terms.is_hospital_note(r.note_src):
            hospital.at[pos[r.emp]] += s.loc[s["leave_index"] == r.Index, "weight"].sum()
    return kinds, hospital


def _money_columns(m: pd.DataFrame, hospital: pd.Series, policy: Policy) -> pd.DataFrame:
    """Fines, deductions, overtime pay, 调整合计 and 依据 of the month's counts (PAY-01..PAY-04, LV-11)."""
    wage = daily_wage(m["base_wage"], policy)
    m["due_days"] = m["due_days"].astype(float)
    m["present_days"] = (m["due_days"] - m["absent_days"] - m["leave_weight"]).clip(lower=0)
    m["late_fine"] = money((m["late_count"] + m["early_count"]) * policy.late_fine)
    m["missing_fine"] = money(m["missing_count"] * policy.missing_punch_fine)
    m["proxy_fine"] = money(m["proxy"] * policy.proxy_punch_fine)
    m["absence_deduction"] = money(m["absent_days"] * wage * policy.absence_multiplier)
    m["personal_deduction"] = money(m[f"days_{terms.LEAVE_PERSONAL}"] * wage)
    sick_unpaid = (m[f"days_{terms.LEAVE_SICK}"] - hospital).clip(lower=0)
    m["sick_deduction"] = money(sick_unpaid * wage * (1 - policy.sick_pay_ratio))
    m["ot_pay"] = money(m["ot_pay"])
    social_days = sum(m[f"days_{k}"] for k in policy.social_insurance_leave_types if k in terms.LEAVE_TYPES)
    m["social_self"] = np.where(social_days > policy.social_insurance_leave_days, terms.YES, terms.NO)
    deductions = ["late_fine", "missing_fine", "proxy_fine", "absence_deduction", "personal_deduction", "sick_deduction"]
    m["adjustment"] = money(m["ot_pay"] - m[deductions].sum(axis=1))
    for col in ("late_count", "early_count", "missing_count"):
        m[col] = m[col].astype(int)
    m["basis"] = [_basis(r, w, h, social, policy) for r, w, h, social in
                  zip(m.itertuples(index=False), wage, hospital, social_days)]
    return m


def over_legal_limit(monthly: pd.DataFrame, t: Table) -> list[Finding]:
    """OT-02: a month's overtime beyond the legal monthly maximum is computed as usual and reported
    (a 警告 about the overtime table ``t``)."""
    over = monthly[monthly["ot_hours"] > LEGAL_MONTHLY_OVERTIME_HOURS]
    return [Finding(t.sheet, "", f"工号{r.emp}本月加班{r.ot_hours:g}小时，超过劳动法每月"
                    f"{LEGAL_MONTHLY_OVERTIME_HOURS:g}小时上限", "照常计算，请核对是否合规",
                    "OT-02", "劳动法第四十一条", terms.LEVEL_WARNING) for r in over.itertuples(index=False)]


def _basis(r, wage: float, hospital: float, social_days: float, policy: Policy) -> str:
    parts = []
    if r.late_count or r.early_count:
        parts.append(f"ATT-04 第十九条: 迟到{r.late_count}次、早退{r.early_count}次 × {policy.late_fine:g}元")
    if r.missing_count:
        parts.append(f"ATT-05 第十七条: 缺卡{r.missing_count}次 × {policy.missing_punch_fine:g}元")
    if r.proxy:
        parts.append(f"ATT-07 第十七条: 代打卡{int(r.proxy)}次 × {policy.proxy_punch_fine:g}元")
    if r.absent_days:
        parts.append(f"ATT-04/ATT-06 第十九、二十三条, PAY-02: 旷工{r.absent_days:g}天 × 日工资{wage:.2f}元"
                     + (f" × {policy.absence_multiplier:g}" if policy.absence_multiplier != 1 else ""))
    personal = getattr(r, f"days_{terms.LEAVE_PERSONAL}")
    if personal:
        parts.append(f"LV-03 第三十条, PAY-03: 事假{personal:g}天 × 日工资{wage:.2f}元")
    sick = getattr(r, f"days_{terms.LEAVE_SICK}")
    if sick:
        text = f"LV-04 第三十一条: 病假{sick:g}天, 按日工资{policy.sick_pay_ratio:.0%}发放"
        if hospital:
            text += f", 其中住院{hospital:g}天全额"
        parts.append(text)
    if r.ot_hours:
        parts.append(f"OT-02/OT-03 第七、九条: 加班{r.ot_hours:g}小时, 加班费{r.ot_pay:.2f}元")
    if r.social_self == terms.YES:
        parts.append(f"LV-11 第二十五条: 本月{'、'.join(policy.social_insurance_leave_types)}共{social_days:g}天, "
                     f"超过{policy.social_insurance_leave_days:g}天, 社保由本人承担")
    return "；".join(parts)


def leave_check_frame(records: pd.DataFrame, roster: pd.DataFrame, t: Table) -> pd.DataFrame:
    """请假校验: one row per leave record, in sheet order (a record split at its balance says both parts)."""
    if records.empty:
        return pd.DataFrame(columns=["emp", "name", "type", "start", "end", "days", "counted_as", "result", "note",
                                     "basis", "source"])
    names = dict(zip(roster["emp"], roster["name"]))
    f = records[records["part_of"].isna()].sort_values("row", kind="stable")
    return pd.DataFrame({
        "emp": f["emp"], "name": [names.get(e, "") for e in f["emp"]], "type": f["type"],
        "start": f["start"], "end": f["end"], "days": f["days"].astype(float),
        "counted_as": f["label"].where(f["effective"], ""),
        "result": f["result"], "note": f["note"], "basis": f["basis"],
        "source": [f"{t.sheet}!{t.cell('emp', r)}" for r in f["row"]],
    }).reset_index(drop=True)
