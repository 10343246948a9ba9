"""The statutory leave types' own rules (LV-13..LV-19) and 产假's additions under the law (LV-07).

Each check reads the record's row of the 假别 table (kaohe.policy.leave_table: quota, window, additions, age
limit) and the facts of 请假记录 (事由日期 = the child's birth date, 胎数, 孩次, 怀孕月数, 难产); it is chosen by the
row's rule ID (:data:`CHECKS`), never by the type's name.

Decisions (docs/规则说明.md):
    - LV-19: a fact a type needs and HR left blank is a 问题清单 错误 at its cell, decided the safe way: the
      quota without the addition the fact would give (胎数 blank = one baby, 难产 blank = no, 孩次 blank = no
      addition; 怀孕月数 blank = the lowest tier), and a birth date that is blank leaves the window or the child's
      age unchecked (the record stands, as LV-05 does for a blank registration date). 胎数, 难产 and 孩次 are
      needed only when they decide (the leave is longer than the quota without them).
    - LV-13 哺乳时间: hours inside the working day; a record over several days means the same hours on every
      working day in it (kaohe.engine.attendance.excuse_hours: the covered part of a session is excused, the
      punches are judged against the rest). More hours a day than the quota is a 警告 (the record stands; HR
      shortens it or adds a 事假). A record that covers a whole session is not the nursing hour (上海's 哺乳假 is
      a different leave): 警告 asking for its own 假别 row, counted as 事假. A record after the child's first
      birthday is 不通过 and excuses nothing (the hours are judged as lateness and early leave).
    - 产假 (LV-07) and 流产假 (LV-17) over their quota (with the additions) are 警告: the leave stands (paid by
      生育津贴, nothing deducted); HR checks the proof.
    - 陪产假 (LV-15), 育儿假 (LV-16), 独生子女父母护理假 (LV-18) beyond their quota split at the balance like
      LV-08: the part within keeps the type, the rest is 事假 (警告); nothing left: 不通过, all 事假. 陪产假
      started outside its window after the birth and 育儿假 for a child at or over the age limit are 不通过
      (事假); 育儿假 running past the child's birthday splits there.
    - Each row is read with the law's figures for the person's 工作地 where they are larger (kaohe.engine.law_quota:
      the quota, 难产 and 多胞胎 additions, 流产's tiers, the child's age). A quota the national rule leaves to the
      province, the row leaves blank and no 工作地 sets: the record passes, with a 提示 that the days are not checked.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kaohe import terms
from kaohe.policy import Policy
from kaohe.policy.leave_table import COUNT_CALENDAR, COUNT_HOURS, LeaveType

# The rules whose records' hours inside a session excuse the part of it they cover (the rest is judged): 哺乳时间
# (LV-13, a 小时 type) and 产前检查 (LV-14, a span of hours of a 工作日 type). Every type of the table in force
# counted in 小时 (计算方式) behaves as 哺乳时间 does: daily windows, e.g. 16:30–17:30 on every workday.
EXCUSING_RULES = ("LV-13", "LV-14")


def hour_types(table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Of the 假别 table in force: the 小时 types (they count working days and cover no session) and the other
    types whose hours excuse part of a session (产前检查), by their rows' count mode and rule IDs."""
    hours = table.of(COUNT_HOURS)
    return hours, tuple(t.name for t in table if t.rule in EXCUSING_RULES and t.name not in hours)


FACTS_RULE = "LV-19"
FACT_TEXT = {"event_date": "事由日期（子女出生日期）", "babies": "胎数", "birth_order": "孩次",
             "pregnancy_months": "怀孕月数", "difficult": "难产"}


def fact(r, name: str):
    """A fact of the record (None when blank or when the sheet has no such column)."""
    value = getattr(r, name, None)
    return None if value is None or (not isinstance(value, (str, dt.date)) and pd.isna(value)) else value


def missing(x: Any, name: str, decided: str) -> None:
    """LV-19: a blank fact the record needs: a 问题清单 错误 at its cell, saying how it was decided."""
    x.ck.reports.append((name, f"{x.r.type}未填{FACT_TEXT[name]}", decided, FACTS_RULE, terms.LEVEL_ERROR))
    x.ck.add(terms.CHECK_WARN, FACTS_RULE, f"未填{FACT_TEXT[name]}，{decided}")


def quota(x: Any, row: LeaveType) -> tuple[float | None, list[str], list[str]]:
    """The row's quota for this record with the additions its facts give; the parts said, and the blank facts
    that could add to it (胎数, 难产, 孩次: needed only when the leave is longer)."""
    r = x.r
    parts: list[str] = []
    blank: list[str] = []
    base = row.quota
    if row.pregnancy_tiers:
        months = fact(r, "pregnancy_months")
        if months is None:
            missing(x, "pregnancy_months", f"按最低一档{row.pregnancy_tiers[0][1]:g}天核对")
        base = max((q for start, q in row.pregnancy_tiers if months is not None and months >= start),
                   default=row.pregnancy_tiers[0][1])
        parts.append(f"怀孕{months:g}个月{base:g}天" if months is not None else f"{base:g}天")
    if base is None:
        return None, parts, blank
    total = float(base)
    parts = parts or [f"{base:g}"]
    total += _addition(r, row.extra_difficult, "difficult", lambda v: v == terms.YES, "难产", parts, blank)
    total += _addition(r, row.extra_per_baby, "babies", lambda v: max(int(v) - 1, 0), "多胎", parts, blank)
    if row.extra_from_order:
        order = fact(r, "birth_order")
        extra = max((d for start, d in row.extra_from_order if order is not None and order >= start), default=0.0)
        total += extra
        if order is None:
            blank.append("birth_order")
        elif extra:
            parts.append(f"第{order:g}孩{extra:g}")
    return total, parts, blank


def _addition(r, per: float, name: str, times, label: str, parts: list, blank: list) -> float:
    if not per:
        return 0.0
    value = fact(r, name)
    if value is None:
        blank.append(name)
        return 0.0
    n = float(times(value))
    if n:
        parts.append(f"{label}{n * per:g}")
    return n * per


def over_quota(x: Any, row: LeaveType, used: float, unit: str = "天") -> tuple[float | None, str]:
    """The quota and its parts (``98+难产15``) for a record of ``used`` days; blank facts that could add to it
    are 错误 when ``used`` exceeds it (LV-19)."""
    total, parts, blank = quota(x, row)
    if total is not None and used > total:
        for name in blank:
            missing(x, name, f"按{total:g}{unit}核对（未计{FACT_TEXT[name]}可加的{unit}数）")
    return total, "+".join(parts)


def maternity(x: Any, row: LeaveType) -> None:
    """LV-07 with 女职工劳动保护特别规定 第七条: the quota with 难产 and each extra baby (and 孩次 where the row says);
    over it a 警告 (the leave stands)."""
    days = x.days
    total, how = over_quota(x, row, days)
    if total is not None and days > total:
        x.ck.add(terms.CHECK_WARN, row.rule, f"{row.name}{days:g}天超过{total:g}天（{how}），请核对证明")
    elif total is not None:
        x.ck.add(terms.CHECK_PASS, row.rule, f"{row.name}额度{total:g}天（{how}），本次{days:g}天")


def _nursing(x: Any, row: LeaveType) -> None:
    """LV-13 第九条: hours inside the working day until the child is 1; the quota an hour a day per baby."""
    r, ck, policy = x.r, x.ck, x.policy
    start, stop = window(r)
    if whole_session(start, stop, policy):
        ck.add(terms.CHECK_WARN, row.rule, f"{row.name}是工作日内的小时（如16:30–17:30）；整天或整个时段的"
                                           f"{getattr(r, 'type_src', None) or row.name}不是{row.name}，现按事假计算。{OWN_ROW}")
        ck.counted_as, ck.converted_by = terms.LEAVE_PERSONAL, row.rule
        return
    hours = window_hours(start, stop, policy)
    total, how = over_quota(x, row, hours, "小时")
    birth = fact(r, "event_date")
    if birth is None:
        missing(x, "event_date", "未核对子女是否满1周岁")
    else:
        limit = _years_after(birth, row.child_age_limit or 1.0)
        if r.start.date() >= limit:
            ck.add(terms.CHECK_FAIL, row.rule, f"子女已于{limit:%Y-%m-%d}满{row.child_age_limit:g}周岁，"
                                               "不再有哺乳时间，按迟到早退计算")
            ck.effective = False
            return
        if r.end_eff.date() > limit:
            ck.add(terms.CHECK_WARN, row.rule, f"子女于{limit:%Y-%m-%d}满{row.child_age_limit:g}周岁，此后不再有哺乳时间")
    if total is not None and hours > total:
        ck.add(terms.CHECK_WARN, row.rule, f"每天{hours:g}小时，超过哺乳时间{total:g}小时（{how}）")
    else:
        allowed = f"额度{total:g}小时" if total is not None else "额度未设置"
        ck.add(terms.CHECK_PASS, row.rule, f"每个工作日{start:%H:%M}–{stop:%H:%M}，{hours:g}小时（{allowed}）")


# What HR does for a whole-day 哺乳假 of its own (LV-13): the name 哺乳假 is 哺乳时间's synonym, so a row named so is refused.
OWN_ROW = ("如是另一种假（如上海的哺乳假），请在假别表另加一行并另起名称（如“哺乳假（整天）”），请假记录的假别写这个名称；"
           "或先从“哺乳时间”的同义词中删去“哺乳假”，再加一行“哺乳假”（此后按小时的哺乳记录须写“哺乳时间”）")


def window(r) -> tuple[dt.time, dt.time]:
    """A nursing record's hours of the day: its start's time to its end's time (an end at 00:00: the day's end)."""
    end = pd.Timestamp(r.end)
    return r.start.time(), (dt.time.max if end == end.normalize() else end.time())


def clash(a, b, hours_types: tuple[str, ...]) -> bool:
    """LV-12 for two records whose spans meet: an hour type (``hours_types``: the 小时 types of the table in force,
    哺乳时间) clashes only with another one whose hours of the day meet its own; with a leave of whole sessions it
    does not (on such a day the nursing hour is moot: the other leave covers the session)."""
    hours = (a.type in hours_types, b.type in hours_types)
    if not any(hours):
        return True
    if not all(hours):
        return False
    (a0, a1), (b0, b1) = window(a), window(b)
    return a0 < b1 and b0 < a1


def whole_session(start: dt.time, stop: dt.time, policy: Policy) -> bool:
    return any(start <= a and stop >= b for a, b in ((policy.am_start, policy.am_end), (policy.pm_start, policy.pm_end)))


def window_hours(start: dt.time, stop: dt.time, policy: Policy) -> float:
    """Hours of a daily window inside the standard sessions (a window across the lunch break counts its work)."""
    def minutes(t: dt.time) -> float:
        return t.hour * 60 + t.minute + t.second / 60
    inside = sum(max(0.0, min(minutes(stop), minutes(b)) - max(minutes(start), minutes(a)))
                 for a, b in ((policy.am_start, policy.am_end), (policy.pm_start, policy.pm_end)))
    return round(inside / 60, 2)


def _prenatal(x: Any, row: LeaveType) -> None:
    """LV-14 第六条: prenatal examinations are working time, paid in full; the hours excuse lateness."""
    x.ck.add(terms.CHECK_PASS, row.rule, "产前检查时间计入劳动时间，工资照发")


def _paternity(x: Any, row: LeaveType) -> None:
    """LV-15: starts within the row's window after the birth; days up to the quota per birth, the rest 事假."""
    r = x.r
    birth = fact(r, "event_date")
    if birth is None:
        missing(x, "event_date", "未核对开始期限")
    elif row.window_days is not None and r.start.date() > birth + dt.timedelta(days=row.window_days):
        return x.fail(row.rule, f"{row.name}须在子女出生后{row.window_days}天内开始")
    same = [o for o in _earlier(x, row) if fact(o, "event_date") == birth]
    _within_quota(x, row, same, "本次生育")


def _childcare(x: Any, row: LeaveType) -> None:
    """LV-16: per person (or per child, 按子女叠加) and calendar year while the child is under the age limit."""
    r = x.r
    birth = fact(r, "event_date")
    cut = None
    if birth is None:
        missing(x, "event_date", "未核对子女年龄")
    elif row.child_age_limit is not None:
        limit = _years_after(birth, row.child_age_limit)
        if r.start.date() >= limit:
            return x.fail(row.rule, f"子女已于{limit:%Y-%m-%d}满{row.child_age_limit:g}周岁，不再享受{row.name}")
        if r.end_eff > pd.Timestamp(limit):
            cut = (pd.Timestamp(limit), f"子女于{limit:%Y-%m-%d}满{row.child_age_limit:g}周岁")
    same = [o for o in _earlier(x, row) if o.start.year == r.start.year
            and (not row.per_child or fact(o, "event_date") == birth)]
    _within_quota(x, row, same, "本年" + ("该子女" if row.per_child else ""), cut)


def _parent_care(x: Any, row: LeaveType) -> None:
    """LV-18: a yearly quota (the province's), the rest 事假."""
    _within_quota(x, row, [o for o in _earlier(x, row) if o.start.year == x.r.start.year], "本年")


def _miscarriage(x: Any, row: LeaveType) -> None:
    """LV-17 第七条: 15 days under 4 full months of pregnancy, 42 from 4; paid like 产假 (生育津贴)."""
    maternity(x, row)


def _within_quota(x: Any, row: LeaveType, earlier: list, scope: str, cut: tuple | None = None) -> None:
    """Days taken before (``earlier`` records of the same quota) plus this record against the row's quota;
    beyond it (or past ``cut``: a time and why) the record splits, the rest 事假 (no quota: a 提示)."""
    r, days = x.r, x.days
    taken = sum(x.count_days(r.emp, row.name, o.start, _own_end(x, o)) for o in earlier)
    if row.quota is None:
        x.ck.reports.append(("type", f"{row.name}的额度未设置，未核对天数", "请在假别表填写额度（或在规则表选择工作地）",
                             row.rule, terms.LEVEL_INFO))
        x.ck.add(terms.CHECK_PASS, row.rule, f"{row.name}额度未设置，未核对天数")
    elif taken + days > row.quota:
        at = _cut(x, row, row.quota - taken) if row.quota > taken else None
        fact_text = f"{scope}{row.name}额度{row.quota:g}天，已休{taken:g}天，本次{days:g}天超出"
        cut = (at, fact_text) if at is not None and (cut is None or at < cut[0]) else cut or (None, fact_text)
    else:
        x.ck.add(terms.CHECK_PASS, row.rule, f"{scope}{row.name}额度{row.quota:g}天，连本次已休{taken + days:g}天")
    if cut is not None:
        x.split(cut[0], row.rule, cut[1])


def _cut(x: Any, row: LeaveType, days: float) -> pd.Timestamp | None:
    """Where ``days`` of the record end: calendar half days for a calendar type, else the employee's sessions."""
    r = x.r
    if row.count == COUNT_CALENDAR:
        return calendar_cut(r.start, r.end_eff, days, x.policy)
    return x.counter.cut(r.emp, r.start, r.end_eff, days=days) if x.counter is not None else None


def calendar_cut(start: pd.Timestamp, end: pd.Timestamp, days: float, policy: Policy) -> pd.Timestamp:
    """Where a calendar-day leave has used ``days``: the boundary before the first half day left over (``end`` when
    the whole leave fits), the half days being those of kaohe.engine.leave.calendar_half_days: a morning left over
    cuts at the start of its day (00:00), an afternoon at the morning's end."""
    am, pm = _mid(policy.am_start, policy.am_end), _mid(policy.pm_start, policy.pm_end)
    mids = [day + pd.Timedelta(hours=t.hour, minutes=t.minute) for day in pd.date_range(start.normalize(), end)
            for t in (am, pm)]
    mids = [m for m in mids if start <= m < end]
    k = round(days * 2)
    if k >= len(mids):
        return end
    left = mids[k]
    if left.time() == am:
        return left.normalize()
    return left.normalize() + pd.Timedelta(hours=policy.am_end.hour, minutes=policy.am_end.minute)


def _mid(a: dt.time, b: dt.time) -> dt.time:
    minutes = (a.hour * 60 + a.minute + b.hour * 60 + b.minute) // 2
    return dt.time(minutes // 60, minutes % 60)


def _earlier(x: Any, row: LeaveType) -> list:
    """The employee's effective records of ``row``'s type that start before this one (counted as that type)."""
    return [o for o in x.group.itertuples() if o.Index != x.r.Index and o.start < x.r.start
            and x.checks.get(o.Index) and x.checks[o.Index].effective and x.checks[o.Index].counted_as == row.name]


def _own_end(x: Any, o) -> pd.Timestamp:
    at = x.checks[o.Index].split_at
    return o.end_eff if at is None else at


def _years_after(day: dt.date, years: float) -> dt.date:
    """The day a child born on ``day`` reaches ``years`` (29 February: 1 March in a common year)."""
    day = day.date() if isinstance(day, dt.datetime) else day
    y = day.year + int(years)
    try:
        return day.replace(year=y)
    except ValueError:
        return dt.date(y, 3, 1)


# The statutory checks by the row's rule ID (leave_types.check_type dispatches here).
CHECKS = {"LV-13": _nursing, "LV-14": _prenatal, "LV-15": _paternity, "LV-16": _childcare, "LV-17": _miscarriage,
          "LV-18": _parent_care}
