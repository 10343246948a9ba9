"""Calendar days of a leave in half days of the standard schedule (丧假, 产假; the sick leave of LV-20)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kaohe.policy import Policy


def calendar_half_days(start: pd.Timestamp, end: pd.Timestamp, policy: Policy,
                       first: pd.Timestamp | None = None, last: pd.Timestamp | None = None) -> float:
    """Calendar days of a leave (丧假, 产假), in half days of the standard schedule."""
    am = _mid(policy.am_start, policy.am_end)
    pm = _mid(policy.pm_start, policy.pm_end)
    day = start.normalize()
    if first is not None:
        day = max(day, first)
    stop = end if last is None else min(end, last + pd.Timedelta(days=1))
    total = 0.0
    while day < stop:
        total += 0.5 * ((start <= day + am < end) + (start <= day + pm < end))
        day += pd.Timedelta(days=1)
    return total


def _mid(a: dt.time, b: dt.time) -> pd.Timedelta:
    return (pd.Timedelta(hours=a.hour, minutes=a.minute) + pd.Timedelta(hours=b.hour, minutes=b.minute)) / 2
