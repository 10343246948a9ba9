"""Punches into lateness, early leave, missing punches and absenteeism (ATT-03..ATT-07, ATT-11; ATT-12/13 in flexible).

Articles: 第十七条 (paper attendance, proxy punching), 第十八条 (four punches), 第十九条
(lateness tiers), 第二十条 (punch exceptions), 第二十三条 (absence without leave).

Decisions taken (docs/规则说明.md):
    - ATT-11: the day splits at the middle of the break between sessions; in each session the
      earliest punch is "in" and the latest "out"; a lone punch (or punches within the
      duplicate window) goes to the nearer edge and the other edge is missing.
    - ATT-04: a time is rounded to the nearest second, then its seconds are dropped.
    - ATT-06: a session with no punch (and no exception for either edge) is absent for its
      weight; its edges are not also fined as missing. Absence is capped at the day's weight.
    - ATT-07: during paper attendance no punch rule applies and the day counts as attended.
    - A night shift's punches up to 4 hours after its end (or up to the middle of the gap to
      the next shift, if earlier) belong to the shift's date.

Everything here is vectorised over sessions; Python loops run only over sessions that have
something to explain.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kaohe import terms
from kaohe.engine import flexible
from kaohe.findings import Finding
from kaohe.policy import Policy
from kaohe.tables import Table
from kaohe.policy.catalog import article

MINUTE = pd.Timedelta(minutes=1)
SESSION_NAMES = {1: "上午", 2: "下午"}


def assign_punches(punches: pd.DataFrame, sessions: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Give every punch its working date and session (0 where the date has no session). The working date is
    the punch's 归属日期 (``workday``, the 考勤日 its export put it on) where it has one, else its own date, or
    the day before for a night shift's tail."""
    p = punches[["emp", "ts"]].copy()
    pinned = punches["workday"].notna().to_numpy() if "workday" in punches else np.zeros(len(p), bool)
    p["date"] = p["ts"].dt.normalize()
    if pinned.any():
        p.loc[pinned, "date"] = pd.to_datetime(punches.loc[pinned, "workday"]).dt.normalize().to_numpy()
    if len(sessions):
        bounds = sessions.groupby(["emp", "date"], as_index=False).agg(first_start=("start", "min"),
                                                                        last_end=("end", "max"))
        p = p.assign(pinned=pinned)
        p = _night_tails(p, bounds, policy).drop(columns="pinned")
        s1 = sessions[sessions["sess"] == 1][["emp", "date", "end"]].rename(columns={"end": "s1_end"})
        s2 = sessions[sessions["sess"] == 2][["emp", "date", "start"]].rename(columns={"start": "s2_start"})
        split = s1.merge(s2, on=["emp", "date"], how="left")
        split["split"] = split["s1_end"] + (split["s2_start"] - split["s1_end"]) / 2
        p = p.merge(split[["emp", "date", "split"]], on=["emp", "date"], how="left")
        p["sess"] = np.where(p["split"].isna(), 1, np.where(p["ts"] < p["split"], 1, 2))
        p.loc[p["split"].isna(), "sess"] = 1
        has = p.merge(bounds[["emp", "date"]], on=["emp", "date"], how="left", indicator=True)["_merge"] == "both"
        p.loc[~has.to_numpy(), "sess"] = 0
        p = p.drop(columns=["split"])
    else:
        p["sess"] = 0
    return p


def _night_tails(p: pd.DataFrame, bounds: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """A night shift's punches up to 4 hours after its end (or the middle of the gap to the next shift) back
    on the shift's date; punches ``pinned`` to a 归属日期 stay where they are."""
    crossing = bounds[bounds["last_end"] > bounds["date"] + pd.Timedelta(days=1)].copy()
    if not len(crossing):
        return p
    crossing["next"] = crossing["date"] + pd.Timedelta(days=1)
    nxt = bounds.rename(columns={"date": "next", "first_start": "next_start"})[["emp", "next", "next_start"]]
    crossing = crossing.merge(nxt, on=["emp", "next"], how="left")
    tail = crossing["last_end"] + pd.Timedelta(hours=policy.night_shift_tail_hours)
    mid = crossing["last_end"] + (crossing["next_start"] - crossing["last_end"]) / 2
    crossing["boundary"] = tail.where(mid.isna() | (tail < mid), mid)
    p = p.merge(crossing[["emp", "next", "boundary"]], left_on=["emp", "date"], right_on=["emp", "next"], how="left")
    back = p["boundary"].notna() & (p["ts"] < p["boundary"]) & ~p["pinned"]
    p.loc[back, "date"] = p.loc[back, "date"] - pd.Timedelta(days=1)
    return p.drop(columns=["next", "boundary"])


def session_punches(assigned: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """First and last punch of each (emp, date, sess); ``single`` when they are one punch."""
    g = assigned.groupby(["emp", "date", "sess"], as_index=False).agg(first=("ts", "min"), last=("ts", "max"),
                                                                       n=("ts", "size"))
    g["single"] = (g["last"] - g["first"]) < pd.Timedelta(seconds=policy.duplicate_punch_seconds)
    return g


def late_minutes(punch, start) -> np.ndarray:
    """ATT-04 第十九条: the whole minutes a punch is after the session's start — the punch's seconds dropped
    (08:30:59 against 08:30 is 0), never below 0, 0 for no punch. On aligned Series (compute-month) or one
    timestamp each (the cell function LATEMINUTES: an array of one): both call this."""
    return _whole_minutes(_floored(punch) - pd.to_datetime(pd.Series(start)))


def early_minutes(punch, end) -> np.ndarray:
    """ATT-04 第十九条: the whole minutes a punch is before the session's end (17:29:30 against 17:30 is 1)."""
    return _whole_minutes(pd.to_datetime(pd.Series(end)) - _floored(punch))


def _floored(punch) -> pd.Series:
    return pd.to_datetime(pd.Series(punch)).dt.floor("min")


def _whole_minutes(delta: pd.Series) -> np.ndarray:
    return np.floor((delta / MINUTE).fillna(0).clip(lower=0).to_numpy(dtype=float)).astype(int)


TIER_OK, TIER_FINED, TIER_HALF, TIER_FULL = 0, 1, 2, 3
LIMITED_TIERS = (TIER_OK, TIER_FINED, TIER_HALF)  # the tiers up to each limit of ATT-04, in order


def late_tier(minutes, policy: Policy):
    """ATT-04 第十九条: the tier of a lateness or early leave of ``minutes`` whole minutes.

    Up to 迟到宽限分钟: none; then fined up to 旷工半天起点分钟; then absent (half) up to
    旷工一天起点分钟; beyond: absent (full). Works on one number (an int back) or an array;
    compute-month and the cell functions (LATEFINE, ABSENTDAYS, LATESTATUS) both call it. One number
    takes the same cascade in plain Python (a cell is recalculated on its own: np.select costs 40 µs)."""
    limits = (policy.late_grace_minutes, policy.late_half_day_minutes, policy.late_full_day_minutes)
    if isinstance(minutes, (int, float, np.integer, np.floating)):
        return next((tier for tier, limit in zip(LIMITED_TIERS, limits) if minutes <= limit), TIER_FULL)
    m = np.asarray(minutes)
    tier = np.select([m <= limit for limit in limits], LIMITED_TIERS, TIER_FULL)
    return int(tier) if tier.ndim == 0 else tier


def tier_absence(tier, policy: Policy):
    """ATT-04: the absence days a tier counts (旷工半天折算天数 / 旷工一天折算天数 of 规则)."""
    days = {TIER_HALF: policy.late_half_absence_days, TIER_FULL: policy.late_full_absence_days}
    if isinstance(tier, (int, np.integer)):
        return float(days.get(int(tier), 0.0))
    t = np.asarray(tier)
    out = np.select([t == TIER_HALF, t == TIER_FULL], [days[TIER_HALF], days[TIER_FULL]], 0.0)
    return float(out) if out.ndim == 0 else out


def tier_minutes(tier: int, policy: Policy) -> str:
    """ATT-04 in words: the minutes of a tier above TIER_OK by 规则 (迟到宽限分钟, 旷工半天/一天起点分钟), e.g.
    ``1–30分钟`` or ``超过30分钟``. The one description of the tiers for text that explains them (reconcile's notes)."""
    if tier == TIER_FINED:
        return f"{policy.late_grace_minutes + 1}–{policy.late_half_day_minutes}分钟"
    return f"超过{policy.late_half_day_minutes if tier == TIER_HALF else policy.late_full_day_minutes}分钟"


def evaluate_sessions(sessions: pd.DataFrame, punched: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Apply ATT-04..ATT-07 to every session, the lateness after ATT-12/ATT-13 (kaohe.engine.flexible).

    ``sessions`` carries ``leave`` (the covering leave type or None), ``exc_in``/``exc_out``
    (approved punch exceptions) and ``paper``. Returns it with in_ts, out_ts, late/early
    minutes and tiers, missing punches, absence and fine counts, and the facts of a lateness forgiven.
    """
    s = sessions.merge(punched[punched["sess"] > 0], on=["emp", "date", "sess"], how="left")
    has_any = s["n"].fillna(0) > 0
    single = s["single"].fillna(False).astype(bool)
    to_in = (s["first"] - s["start"]).abs() <= (s["end"] - s["first"]).abs()
    s["in_ts"] = s["first"].where(has_any & (~single | to_in))
    s["out_ts"] = s["last"].where(has_any & (~single | ~to_in))
    exempt = s["leave"].notna() | s["paper"]
    no_punch = ~has_any & ~s["exc_in"] & ~s["exc_out"] & ~exempt
    active = ~exempt & ~no_punch
    in_ok = s["in_ts"].notna() | s["exc_in"]
    out_ok = s["out_ts"].notna() | s["exc_out"]
    s["missing_in"] = active & ~in_ok
    s["missing_out"] = active & ~out_ok
    s["missing"] = s["missing_in"].astype(int) + s["missing_out"].astype(int)
    due_start, due_end = (s["due_start"], s["due_end"]) if "due_start" in s else (s["start"], s["end"])
    late, early = late_minutes(s["in_ts"], due_start), early_minutes(s["out_ts"], due_end)
    late = np.where(active & ~s["exc_in"], late, 0)
    late, s["late_leave_note"], s["flex_note"] = flexible.forgive(s, late, ~exempt.to_numpy(dtype=bool), punched,
                                                                  late_minutes)  # ATT-13, ATT-12
    s["late_minutes"] = late.astype(int)
    s["early_minutes"] = np.where(active & ~s["exc_out"], early, 0).astype(int)
    s["absent"] = np.where(no_punch, s["weight"], 0.0)
    for edge in ("late", "early"):
        tier = late_tier(s[f"{edge}_minutes"].to_numpy(), policy)
        s[f"{edge}_fined"] = tier == TIER_FINED
        s[f"{edge}_half"] = tier == TIER_HALF
        s[f"{edge}_full"] = tier == TIER_FULL
        s["absent"] += tier_absence(tier, policy)
    s["no_punch"] = no_punch
    s["leave_weight"] = np.where(s["leave"].notna(), s["weight"], 0.0)
    return s


def leave_spans(records: pd.DataFrame, daily: tuple[str, ...], continuous: tuple[str, ...]) -> pd.DataFrame:
    """The spans (emp, from, to, kind) of the effective leave records that excuse hours inside a session: a type of
    ``daily`` (哺乳时间) the same hours on every date of its record (its start's time to its end's time, an end
    at 00:00 running to the day's end) before its 销假; a type of ``continuous`` (产前检查) its own span."""
    live = records[records["effective"].astype(bool) & records["counted_as"].isin(daily + continuous)]
    rows = []
    for r in live.itertuples():
        if r.counted_as not in daily:
            rows.append((r.emp, r.start, r.end_eff, r.counted_as))
            continue
        end = pd.Timestamp(r.end)
        a = r.start - r.start.normalize()
        b = pd.Timedelta(days=1) if end == end.normalize() else end - end.normalize()
        last = min(end.normalize(), (r.end_eff - pd.Timedelta(microseconds=1)).normalize())  # 销假 ends it sooner
        rows += [(r.emp, day + a, day + b, r.counted_as) for day in pd.date_range(r.start.normalize(), last) if a < b]
    return pd.DataFrame(rows, columns=["emp", "from", "to", "kind"])


def excuse_hours(sessions: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """Sessions with the part an hour leave covers excused (LV-13 哺乳时间, LV-14 产前检查): ``due_start`` and
    ``due_end`` are the times the punches are judged against — a span over the session's start moves it to the
    span's end, one over its end moves it to the span's start (16:30–17:30 nursing time: out at 16:30 is on time);
    a span inside the session needs no punch; ``excused_hours`` is the time excused, ``excused_by`` the leave type.
    A session whose midpoint a leave covers is the leave's whole (kaohe.engine.leave.coverage), not this."""
    s = sessions.assign(due_start=sessions["start"], due_end=sessions["end"], excused_hours=0.0, excused_by=None)
    if spans.empty or s.empty:
        return s
    m = s[["emp", "start", "end"]].reset_index(names="session").merge(spans, on="emp")
    m = m[(m["from"] < m["end"]) & (m["to"] > m["start"])]
    if m.empty:
        return s
    lo, hi = m[["from", "start"]].max(axis=1), m[["to", "end"]].min(axis=1)
    s["excused_hours"] = ((hi - lo) / pd.Timedelta(hours=1)).groupby(m["session"]).sum().reindex(s.index, fill_value=0.0)
    s["excused_by"] = m.groupby("session")["kind"].first().reindex(s.index).astype(object)
    head = m[m["from"] <= m["start"]].groupby("session")["to"].max()
    tail = m[m["to"] >= m["end"]].groupby("session")["from"].min()
    s.loc[head.index, "due_start"] = np.minimum(head.to_numpy(), s.loc[head.index, "end"].to_numpy())
    s.loc[tail.index, "due_end"] = np.maximum(tail.to_numpy(), s.loc[tail.index, "due_start"].to_numpy())
    return s


PUNCH_FIELDS = ("am_in", "am_out", "pm_in", "pm_out")


def show_rest_day_punches(daily: pd.DataFrame, assigned: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Punches of a day without sessions (a rest day, a holiday) in the four punch columns of 每日明细.

    They are shown, not judged (ATT-11 display only): the day splits at the middle of the standard
    lunch break; in each half the earliest punch is "in" and the latest (if another) "out". Returns
    ``daily`` with them (a new frame)."""
    free = assigned[assigned["sess"] == 0]
    if free.empty or daily.empty:
        return daily
    daily = daily.copy()
    split = (_minutes_of(policy.am_end) + _minutes_of(policy.pm_start)) / 2
    half = np.where((free["ts"] - free["date"]).dt.total_seconds() / 60 < split, 1, 2)
    g = free.assign(half=half).groupby(["emp", "date", "half"]).agg(first=("ts", "min"), last=("ts", "max"))
    g["last"] = g["last"].where(g["last"] - g["first"] >= pd.Timedelta(seconds=policy.duplicate_punch_seconds))
    key = pd.MultiIndex.from_arrays([daily["emp"], daily["date"]])
    empty = daily[list(PUNCH_FIELDS)].isna().all(axis=1).to_numpy()
    for h, (cin, cout) in ((1, ("am_in", "am_out")), (2, ("pm_in", "pm_out"))):
        part = g.xs(h, level="half") if h in g.index.get_level_values("half") else g.iloc[:0].droplevel("half")
        for col, src in ((cin, "first"), (cout, "last")):
            shown = pd.to_datetime(part[src].reindex(key)).to_numpy()
            daily[col] = pd.to_datetime(daily[col]).where(~empty, shown)
    return daily


def _minutes_of(t) -> float:
    return t.hour * 60 + t.minute


# --- findings of the session rules -------------------------------------------------------

def no_punch_all_month(s: pd.DataFrame, punches: pd.DataFrame, roster: pd.DataFrame, first: dt.date, last: dt.date,
                        sheet: str) -> list[Finding]:
    """整月无打卡: someone due to work without a single punch in a month where others punched (a 警告)."""
    due = set(s.loc[s["leave"].isna() & ~s["paper"].astype(bool), "emp"])
    in_month = punches[(punches["ts"] >= pd.Timestamp(first)) & (punches["ts"] < pd.Timestamp(last) + pd.Timedelta(days=1))]
    names = dict(zip(roster["emp"], roster["name"]))
    return [Finding(sheet, "", f"{names.get(emp) or ''}（{emp}）整月无打卡",
                    "应出勤的日子按旷工计算；请核对工号和打卡是否导入", "ATT-06", article("ATT-06"), terms.LEVEL_WARNING, emp,
                    code="punches.none_all_month")
            for emp in sorted(due - set(in_month["emp"]))]


def punches_end_early(s: pd.DataFrame, punches: pd.DataFrame, first: dt.date, last: dt.date,
                       sheet: str) -> list[Finding]:
    """Punch data that stops before the month does (an import not yet done, a month not yet over): the
    workdays after the last punch of anyone count as absence, so say so as a 警告, never silently."""
    ts = punches["ts"]
    ts = ts[(ts >= pd.Timestamp(first)) & (ts < pd.Timestamp(last) + pd.Timedelta(days=1))]
    if ts.empty:
        return []
    end = ts.max().normalize()
    dates = pd.to_datetime(s["date"])
    due = dates[(dates > end) & s["leave"].isna().to_numpy() & ~s["paper"].astype(bool).to_numpy()].unique()
    if not len(due):
        return []
    return [Finding(sheet, "", f"打卡数据只到 {end:%m-%d}，其后 {len(due)} 个应出勤日"
                    f"（{min(due):%m-%d} 起）无人打卡", "这些日子按旷工计算；如打卡尚未导入完，请导入后再计算",
                    "ATT-06", article("ATT-06"), terms.LEVEL_WARNING, code="punches.end_early")]


def mark_exceptions(sessions: pd.DataFrame, t: Table, makeups: pd.DataFrame | None = None
                    ) -> tuple[pd.DataFrame, list[Finding]]:
    """Approved 打卡异常 rows mark a slot as punched on time (ATT-05, 第二十条); so do approved make-up punches
    (``makeups``: 补卡审批 with their working date and session), at the edge of the session they are nearer,
    their time kept in ``mk_in`` / ``mk_out`` for the 说明."""
    sessions = sessions.assign(exc_in=False, exc_out=False, mk_in=pd.NaT, mk_out=pd.NaT)
    f = t.frame.dropna(subset=["emp", "date"])
    slots = {terms.SLOT_AM_IN: (1, "exc_in"), terms.SLOT_AM_OUT: (1, "exc_out"),
             terms.SLOT_PM_IN: (2, "exc_in"), terms.SLOT_PM_OUT: (2, "exc_out")}
    marks, findings = [], []
    for r in f.itertuples(index=False):
        if r.slot not in slots:
            findings.append(Finding(t.sheet, t.cell("slot", r.row), f"时段“{r.slot or ''}”无效（应为 {'/'.join(terms.SLOTS)}）",
                                    "忽略此行", "ATT-05", article("ATT-05"), code="exceptions.bad_slot"))
            continue
        if r.status not in (terms.APPROVED, terms.APPROVED_AFTER):
            findings.append(Finding(t.sheet, t.cell("status", r.row), f"打卡异常未批准（{r.status or '未填'}）",
                                    "按缺卡处理", "ATT-05", article("ATT-05"), terms.LEVEL_WARNING, code="exceptions.not_approved"))
            continue
        sess, edge = slots[r.slot]
        marks.append((r.emp, pd.Timestamp(r.date), sess, edge))
    for edge in ("exc_in", "exc_out"):
        keys = pd.DataFrame([(e, d, s) for e, d, s, g in marks if g == edge], columns=["emp", "date", "sess"])
        if len(keys):
            hit = sessions[["emp", "date", "sess"]].merge(keys.drop_duplicates(), how="left", indicator=True)
            sessions[edge] = (hit["_merge"] == "both").to_numpy()
    return _mark_makeups(sessions, makeups), findings


def _mark_makeups(sessions: pd.DataFrame, makeups: pd.DataFrame | None) -> pd.DataFrame:
    """Sessions with each approved make-up punch as an approved exception of its nearer edge (ATT-05)."""
    if makeups is None or makeups.empty or sessions.empty:
        return sessions
    m = makeups[makeups["sess"] > 0].merge(sessions[["emp", "date", "sess", "start", "end"]], on=["emp", "date", "sess"])
    to_in = (m["ts"] - m["start"]).abs() <= (m["end"] - m["ts"]).abs()
    for edge, rows in (("in", m[to_in]), ("out", m[~to_in])):
        times = rows.groupby(["emp", "date", "sess"])["ts"].min().rename("mk")
        hit = sessions[["emp", "date", "sess"]].join(times, on=["emp", "date", "sess"])["mk"]
        sessions[f"mk_{edge}"] = sessions[f"mk_{edge}"].where(hit.isna(), hit)
        sessions[f"exc_{edge}"] = sessions[f"exc_{edge}"] | hit.notna().to_numpy()
    return sessions


def leave_with_punches(s: pd.DataFrame, records: pd.DataFrame, t: Table) -> list[Finding]:
    """ATT-10: punches inside approved leave without 销假: reported, and the dates stay leave."""
    hit = s[s["leave"].notna() & (s["n"].fillna(0) > 0)]
    findings = []
    for idx, group in hit.groupby("leave_index"):
        r = records.loc[idx]
        if r["cut_by_return"]:
            continue
        dates = "、".join(sorted({f"{d:%m-%d}" for d in group["date"]}))
        findings.append(Finding(t.sheet, t.cell("returned", r["row"]), f"请假期间（{dates}）有打卡，但没有销假记录",
                                "仍按请假计算；如已提前返岗请填写销假日期", "ATT-10", article("ATT-10"), terms.LEVEL_WARNING,
                                code="leave.punched_during"))
    return findings
