"""Who is due at work when: the day grid and its sessions (ATT-01, ATT-02, ATT-07, ATT-08, ATT-09).

Articles: 第四条 (standard hours, 6-day week), 第五条 (comprehensive hours by roster),
第十四条 (holidays), 第十五条 (hire date to leaving date), 第十七条 (paper attendance).

Output frames:
    days      one row per employee and date of the period inside employment:
              emp, date, day_type, workday, weight (days due), paper, shift
    sessions  one row per scheduled session: emp, date, sess (1, 2), start, end, mid, weight, and the day's
              flexible hours (flex, late_leave, late_start: kaohe.engine.flexible) from 规则 or the 班次 row

Decisions:
    - A session weighs half of its day; a one-session shift weighs a whole day.
    - The women's day (8 March by default: 妇女节月份, 妇女节日期), when a workday, drops the afternoon
      session for women (weight 0.5 due).
    - Comprehensive-hours staff: the calendar's statutory holidays keep their label; other
      dates show 工作日 with a shift and 休息日 without.
    - A session whose end is not after its start crosses midnight (a night shift).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kaohe import terms
from kaohe.calendar import Calendar, date_range
from kaohe.engine.flexible import with_settings
from kaohe.policy import Policy

WORK_TYPES = (terms.DAY_WORK, terms.DAY_MAKEUP_WORK)


def _at(dates: pd.Series, time: dt.time) -> pd.Series:
    return dates + pd.Timedelta(hours=time.hour, minutes=time.minute, seconds=time.second)


def build_days(roster: pd.DataFrame, first: dt.date, last: dt.date, calendar: Calendar, policy: Policy,
               rota: pd.DataFrame, shifts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The day grid and sessions of ``roster`` from ``first`` to ``last`` inclusive, and the 排班 rows
    (``row``, ``shift``) naming a shift 班次 does not define (those dates are days off, ATT-02)."""
    grid = _employed_grid(roster, first, last, calendar, policy)
    standard = grid[~grid["comprehensive"]].copy()
    standard["workday"] = standard["day_type"].isin(WORK_TYPES)
    standard["shift"] = ""
    sessions = [_standard_sessions(standard, policy)]
    shift_grid = grid[grid["comprehensive"]].copy()
    unknown = pd.DataFrame(columns=["row", "shift"])
    if len(shift_grid):
        shift_sessions, shift_grid, unknown = _shift_sessions(shift_grid, rota, shifts)
        sessions.append(shift_sessions)
    days = pd.concat([standard, shift_grid], ignore_index=True)
    sessions = pd.concat(sessions, ignore_index=True)
    sessions["mid"] = sessions["start"] + (sessions["end"] - sessions["start"]) / 2
    weight = sessions.groupby(["emp", "date"], as_index=False)["weight"].sum()
    days = days.drop(columns=["weight"], errors="ignore").merge(weight, on=["emp", "date"], how="left")
    days["weight"] = days["weight"].fillna(0.0)
    days = days[["emp", "date", "day_type", "workday", "weight", "paper", "shift"]]
    days = days.astype({"workday": bool, "paper": bool})
    return (days.sort_values(["emp", "date"], kind="stable").reset_index(drop=True),
            sessions.sort_values(["emp", "date", "sess"], kind="stable").reset_index(drop=True), unknown)


def _employed_grid(roster: pd.DataFrame, first: dt.date, last: dt.date, calendar: Calendar,
                   policy: Policy) -> pd.DataFrame:
    """Every employee × date of the period inside employment, with its calendar day type and paper attendance."""
    dates = list(date_range(first, last))
    cal = pd.DataFrame({"date": pd.to_datetime(dates),
                        "day_type": [calendar.day_type(d) for d in dates]})
    emp = roster[["emp", "hired", "left", "gender", "comprehensive"]]
    grid = emp.merge(cal, how="cross")
    hired = pd.to_datetime(grid["hired"])
    left = pd.to_datetime(grid["left"])
    employed = (hired.isna() | (grid["date"] >= hired)) & (left.isna() | (grid["date"] <= left))
    grid = grid[employed].reset_index(drop=True)
    paper_end = pd.to_datetime(grid["hired"]) + pd.Timedelta(days=policy.paper_attendance_days)
    grid["paper"] = (grid["date"] >= pd.to_datetime(grid["hired"])) & (grid["date"] < paper_end)
    return grid


def _standard_sessions(standard: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Morning and afternoon sessions of standard-hours workdays; no afternoon for women on the women's day."""
    women_half = (policy.womens_day_half & (standard["gender"] == terms.FEMALE)
                  & (standard["date"].dt.month == policy.womens_day_month)
                  & (standard["date"].dt.day == policy.womens_day_day) & standard["workday"])
    std_days = standard[standard["workday"]]
    am = pd.DataFrame({"emp": std_days["emp"], "date": std_days["date"], "sess": 1,
                       "start": _at(std_days["date"], policy.am_start), "end": _at(std_days["date"], policy.am_end),
                       "weight": 0.5})
    pm_days = std_days[~women_half[standard["workday"]]]
    pm = pd.DataFrame({"emp": pm_days["emp"], "date": pm_days["date"], "sess": 2,
                       "start": _at(pm_days["date"], policy.pm_start), "end": _at(pm_days["date"], policy.pm_end),
                       "weight": 0.5})
    both = pd.concat([am, pm], ignore_index=True)
    return with_settings(both, policy.flex_minutes, policy.late_leave_time, policy.late_start_time)  # ATT-12, ATT-13


def _shift_sessions(grid: pd.DataFrame, rota: pd.DataFrame,
                    shifts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sessions of comprehensive-hours staff from 排班 × 班次 (ATT-02), their days, and the rota rows
    naming an unknown shift."""
    defs = {}
    for row in shifts.itertuples(index=False):
        if not row.shift or row.s1_start is None or row.s1_end is None:
            continue
        defs[str(row.shift)] = row
    r = rota.dropna(subset=["emp", "date"]).copy()
    r["date"] = pd.to_datetime(r["date"])
    r["shift"] = r["shift"].astype(object).where(r["shift"].notna(), None)
    r = r.drop_duplicates(["emp", "date"], keep="last")
    unknown = r[~r["shift"].isin(list(defs)) & r["shift"].notna()][["row", "shift"]]
    r = r[r["shift"].isin(list(defs))]
    grid = grid.merge(r[["emp", "date", "shift"]], on=["emp", "date"], how="left")
    grid["shift"] = grid["shift"].fillna("")
    grid["workday"] = grid["shift"] != ""
    grid["day_type"] = np.where(grid["day_type"] == terms.DAY_HOLIDAY, terms.DAY_HOLIDAY,
                                np.where(grid["workday"], terms.DAY_WORK, terms.DAY_REST))
    parts = [_sessions_of_shift(group, defs[name]) for name, group in grid[grid["workday"]].groupby("shift")]
    none = grid["date"].iloc[:0]  # no session at all: an empty frame with the columns' types
    sessions = pd.concat(parts, ignore_index=True) if parts else with_settings(pd.DataFrame(
        {"emp": grid["emp"].iloc[:0], "date": none, "sess": pd.Series(dtype=int), "start": none, "end": none,
         "weight": pd.Series(dtype=float)}), 0, None, None)
    return sessions, grid, unknown


def _sessions_of_shift(group: pd.DataFrame, d) -> pd.DataFrame:
    """The one or two sessions of shift ``d`` on the dates of ``group``; an end not after its start is the next day."""
    two = d.s2_start is not None and d.s2_end is not None
    base = group["date"]
    s1 = _at(base, d.s1_start)
    e1 = _at(base, d.s1_end)
    e1 = e1.where(e1 > s1, e1 + pd.Timedelta(days=1))
    parts = [pd.DataFrame({"emp": group["emp"], "date": base, "sess": 1, "start": s1, "end": e1,
                           "weight": 0.5 if two else 1.0})]
    if two:
        s2 = _at(base, d.s2_start)
        s2 = s2.where(s2 >= e1, s2 + pd.Timedelta(days=1))
        e2 = _at(base, d.s2_end)
        e2 = e2.where(e2 > s2, e2 + pd.Timedelta(days=1))
        e2 = e2.where(e2 > s2, e2 + pd.Timedelta(days=1))
        parts.append(pd.DataFrame({"emp": group["emp"], "date": base, "sess": 2, "start": s2, "end": e2,
                                   "weight": 0.5}))
    flex = (getattr(d, "flex_minutes", None), getattr(d, "late_leave", None), getattr(d, "late_start", None))
    return with_settings(pd.concat(parts, ignore_index=True), *flex)  # ATT-12, ATT-13: the shift's own
