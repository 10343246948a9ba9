"""Flexible hours: 弹性上班 (ATT-12) and 晚走晚到 (ATT-13), a day's lateness forgiven by the punches around it.

Article: 第十九条 (lateness), as the company sets it. Both are off unless 规则 (the standard schedule:
弹性上班分钟, 晚走时间, 次日最晚上班) or a 班次 row (弹性分钟, 晚走时间, 次日最晚上班) says otherwise, so a
workbook without them computes as before.

The settings travel on the sessions (kaohe.engine.schedule puts them there with :func:`with_settings`):
``flex`` (whole minutes, 0 = off), ``late_leave`` and ``late_start`` (times of day as offsets from the date,
NaT = off; both or neither), the same on every session of a day.

Decisions (docs/规则说明.md, the decision texts of ATT-12 and ATT-13):
    - Both change only the lateness of the day's first session to punch (sessions on leave or in paper
      attendance do not count); early leave is never changed.
    - ATT-13 first: when the last punch of the calendar day before (its working date, ATT-11: a night
      shift's tail belongs to its shift) is at or after 晚走时间, the first session starts at 次日最晚上班 (if
      that is later); lateness after it counts from it. A 晚走时间 not after the day before's last session
      end (a night shift) is that time the morning after.
    - ATT-12 then: a lateness of 1..flex minutes is offset by the whole minutes the day's last session to
      punch is left after its end; what is not offset is lateness. Over flex minutes: no offset. No out
      punch: no offset.
Each session forgiven something carries the facts for 每日明细's 说明 (``late_leave_note``, ``flex_note``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kaohe import terms
from kaohe.findings import Finding
from kaohe.policy import KEY_OF
from kaohe.policy.catalog import article
from kaohe.tables import Table

DAY = pd.Timedelta(days=1)
OFF = pd.Timedelta("NaT")


def _offset(time) -> pd.Timedelta:
    return OFF if time is None or pd.isna(time) else pd.Timedelta(hours=time.hour, minutes=time.minute)


def _whole(minutes) -> int:
    """弹性分钟 as a whole number of minutes; blank, negative or fractional: 0 (reported by :func:`shift_findings`)."""
    if minutes is None or isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or math.isnan(minutes):
        return 0
    return int(minutes) if minutes >= 0 and float(minutes).is_integer() else 0


def with_settings(sessions: pd.DataFrame, flex, late_leave, late_start) -> pd.DataFrame:
    """``sessions`` (of one schedule) with its flexible hours as columns; ATT-13 is off unless both times are given."""
    both = late_leave is not None and late_start is not None and not (pd.isna(late_leave) or pd.isna(late_start))
    index = sessions.index
    return sessions.assign(flex=pd.Series(_whole(flex), index=index, dtype="int64"),
                           late_leave=pd.Series(_offset(late_leave) if both else OFF, index=index, dtype="timedelta64[ns]"),
                           late_start=pd.Series(_offset(late_start) if both else OFF, index=index, dtype="timedelta64[ns]"))


def _day_edges(s: pd.DataFrame, due: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions (in ``s``) of each day's first and last session to punch (``due``), one pair per day."""
    d = s[due].reset_index(names="pos")
    order = d.sort_values(["emp", "date", "sess"], kind="stable")
    g = order.groupby(["emp", "date"], sort=False)["pos"]
    return g.first().to_numpy(dtype=np.int64), g.last().to_numpy(dtype=np.int64)


def forgive(s: pd.DataFrame, late: np.ndarray, due: np.ndarray, punched: pd.DataFrame,
            minutes_after) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ATT-13 then ATT-12 on ``late`` (ATT-04's whole minutes of each session of ``s``; ``due``: sessions to punch,
    not on leave or paper). ``minutes_after(punch, edge)`` is ATT-04's measure (kaohe.engine.attendance.late_minutes).
    Returns the minutes left and, per session, the facts of each forgiveness ("" where none)."""
    late = np.asarray(late).copy()
    notes = (np.full(len(s), "", dtype=object), np.full(len(s), "", dtype=object))
    if "flex" not in s or not ((s["flex"] > 0).any() or s["late_start"].notna().any()):
        return late, *notes
    s = s.reset_index(drop=True)
    first, last = _day_edges(s, np.asarray(due, dtype=bool))
    late[first], notes[0][first] = _late_leave(s.iloc[first], late[first], s, punched, minutes_after)
    late[first], notes[1][first] = _flex(s.iloc[first], late[first], s.iloc[last], minutes_after)
    return late, *notes


def _previous_last_punch(f: pd.DataFrame, s: pd.DataFrame, punched: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """For each session of ``f``: the last punch of the calendar day before (its working date), and the moment
    晚走时间 is on that day (the morning after when not after that day's last session end)."""
    before = f["date"] - DAY
    key = pd.MultiIndex.from_arrays([f["emp"], before])
    last_punch = punched.groupby(["emp", "date"])["last"].max().reindex(key)
    day_end = s.groupby(["emp", "date"])["end"].max().reindex(key)
    threshold = (before + f["late_leave"]).to_numpy()
    early = day_end.notna().to_numpy() & (threshold <= day_end.to_numpy())
    threshold = np.where(early, threshold + DAY.to_timedelta64(), threshold)
    return pd.Series(last_punch.to_numpy(), index=f.index), pd.Series(threshold, index=f.index)


def _late_leave(f: pd.DataFrame, late: np.ndarray, s: pd.DataFrame, punched: pd.DataFrame,
                minutes_after) -> tuple[np.ndarray, np.ndarray]:
    """ATT-13 on the first sessions ``f``: lateness counted from 次日最晚上班 after a late day before."""
    notes = np.full(len(f), "", dtype=object)
    on = f["late_start"].notna().to_numpy() & (late > 0)
    if not on.any():
        return late, notes
    last_punch, threshold = _previous_last_punch(f, s, punched)
    moved = f["date"] + f["late_start"]
    hit = on & (last_punch >= threshold).to_numpy() & (moved > f["start"]).to_numpy()
    left = late.copy()
    left[hit] = minutes_after(f["in_ts"][hit], moved[hit])
    for i in np.flatnonzero(hit):
        told = f"前一天最后一次打卡 {_clock(last_punch.iat[i], f['date'].iat[i] - DAY)}，不早于晚走时间 " \
               f"{f['late_leave'].iat[i].components.hours:02d}:{f['late_leave'].iat[i].components.minutes:02d}，" \
               f"当天上班推迟到 {moved.iat[i]:%H:%M}，{f['in_ts'].iat[i]:%H:%M} 到岗"
        notes[i] = told + ("，不算迟到" if left[i] == 0 else f"，从 {moved.iat[i]:%H:%M} 起算迟到{left[i]}分钟")
    return left, notes


def _flex(f: pd.DataFrame, late: np.ndarray, last: pd.DataFrame, minutes_after) -> tuple[np.ndarray, np.ndarray]:
    """ATT-12 on the first sessions ``f``: a lateness within 弹性分钟 offset by staying after the day's last end."""
    notes = np.full(len(f), "", dtype=object)
    flex = f["flex"].to_numpy()
    stay = minutes_after(last["out_ts"], last["end"])
    on = (flex > 0) & (late >= 1) & (late <= flex) & (stay > 0)
    left = late.copy()
    left[on] = np.maximum(late[on] - stay[on], 0)
    for i in np.flatnonzero(on):
        told = (f"{f['in_ts'].iat[i]:%H:%M} 上班，迟到{late[i]}分钟；{last['out_ts'].iat[i]:%H:%M} 下班，"
                f"晚走{stay[i]}分钟")
        notes[i] = told + ("抵消，不算迟到" if left[i] == 0 else f"抵消{late[i] - left[i]}分钟，按迟到{left[i]}分钟计")
    return left, notes


def _clock(ts: pd.Timestamp, day: pd.Timestamp) -> str:
    """A punch's time, with its date when it is not on ``day`` (a night shift's tail)."""
    return f"{ts:%H:%M}" if ts.normalize() == day else f"{ts:%m-%d %H:%M}"


def shift_findings(t: Table) -> list[Finding]:
    """班次 rows whose flexible hours cannot be used: 弹性分钟 not a whole number of minutes, one of 晚走时间 and
    次日最晚上班 without the other (ATT-12, ATT-13), under the schedule's area (rota). The row's shift is used without them."""
    f, out = t.frame, list[Finding]()
    if "flex_minutes" not in f or not t.present:
        return out
    for r in f.itertuples(index=False):
        if r.flex_minutes is not None and not pd.isna(r.flex_minutes) and _whole(r.flex_minutes) != r.flex_minutes:
            out.append(Finding(t.sheet, t.cell("flex_minutes", r.row), f"{t.headers['flex_minutes']}“{r.flex_minutes:g}”"
                               "应为不小于0的整数", "此班次不用弹性上班", "ATT-12", article("ATT-12"), code="rota.shift_bad_flex"))
        if (r.late_leave is None) != (r.late_start is None):
            given, blank = ("late_leave", "late_start_time") if r.late_start is None else ("late_start", "late_leave_time")
            out.append(Finding(t.sheet, t.cell(given, r.row), f"{t.headers[given]}已填写，{KEY_OF[blank]}为空",
                               "此班次不用晚走晚到（两项须同时填写）", "ATT-13", article("ATT-13"), terms.LEVEL_WARNING,
                               code="rota.shift_half_late_leave"))
    return out
