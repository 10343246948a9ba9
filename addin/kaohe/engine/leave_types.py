"""The rule of each leave type, on one record (LV-02, LV-05..LV-09), and the verdict it builds up.

leave.validate runs these once the record itself is valid (LV-01) and overlaps nothing (LV-12);
the decisions are in leave.py's docstring.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import pandas as pd

from kaohe import terms
from kaohe.engine import annual, law_quota, statutory
from kaohe.periods import add_months
from kaohe.policy import Policy
from kaohe.policy.leave_table import LeaveTable, default_table
from kaohe.terms import COUNT_HOURS

SEVERITY = {terms.CHECK_PASS: 0, terms.CHECK_WARN: 1, terms.CHECK_FAIL: 2}


@dataclass
class Check:
    """The verdict on one leave record, built up rule by rule: each check a (result, rule, note) entry; the
    article of its rule is the catalog's, added when it is said (kaohe.engine.notes)."""

    result: str = terms.CHECK_PASS
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (result, rule, note), in the order checked
    effective: bool = True
    assumption: str = ""  # a 提示 about a value kaohe had to assume (blank 转正日期)
    counted_as: str = ""
    converted_by: str = ""
    split_at: pd.Timestamp | None = None  # LV-08/LV-09: from here on the leave counts as 事假
    # 问题清单 rows the type's rule asks for: (field whose cell is named, problem, action, rule, level) (LV-19)
    reports: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def add(self, result: str, rule: str, note: str) -> None:
        if SEVERITY[result] > SEVERITY[self.result]:
            self.result = result
        self.entries.append((result, rule, note))


def annual_entitlement(work_start: dt.date | None, hired: dt.date | None, year: int, sick_days: float,
                       policy: Policy) -> float:
    """Annual leave days for ``year`` with ``sick_days`` calendar days of sick leave in it (LV-08, LV-20;
    职工带薪年休假条例 第三条、第四条, 实施办法 第五条): kaohe.engine.annual."""
    return annual.entitlement(work_start, hired, year, sick_days, policy).days


@dataclass
class Case:
    """What a type's rule looks at: the record, its verdict so far, the employee and their other records."""

    r: Any  # one row of the leave frame (DataFrame.itertuples)
    ck: Check
    person: pd.Series
    group: pd.DataFrame
    checks: dict
    count_days: Callable[[str, str, pd.Timestamp, pd.Timestamp], float]
    accrual: list
    policy: Policy
    counter: Any = None  # the month's session counter (hours, cut); None for a record outside the month
    table: LeaveTable | None = None  # the 假别 table in force (None: the default rows for ``policy``)

    @property
    def row(self):
        """The 假别 row of the record's type (kaohe.policy.leave_table.LeaveType) with the law's figures for the
        person's 工作地 where they are larger (kaohe.engine.law_quota)."""
        law = self.law
        return law.row if law is not None else None

    @property
    def law(self) -> law_quota.InForce | None:
        """The row in force for this person and what the law changed in it (None: a type not in the table)."""
        row = (self.table or default_table(self.policy)).get(self.r.type)
        region = law_quota.person_region(self.person, self.policy)
        return law_quota.in_force(row, region, self.policy) if row is not None else None

    def fail(self, rule: str, note: str) -> None:
        _fail(self.ck, rule, note)

    def split(self, cut, rule: str, fact: str) -> None:
        """Split at ``cut`` (the rest 事假, 警告); no cut (nothing within): 不通过, all 事假."""
        _split(self.ck, cut, self.r.start, rule, fact)

    @property
    def days(self) -> float:
        return self.count_days(self.r.emp, self.r.type, self.r.start, self.r.end_eff)

    @property
    def ahead(self) -> int | None:
        """Days between the application date and the start (None without an application date)."""
        applied = self.r.applied if self.r.applied is not None and not pd.isna(self.r.applied) else None
        return (self.r.start.date() - applied).days if applied else None


def check_type(x: Case) -> None:
    """LV-02 (proof, when the type's 假别 row asks for it), then the rule of the record's type (LV-05..LV-09)."""
    law = x.law
    row = law.row if law is not None else None
    if row is not None and row.proof and x.r.proof != terms.PROOF_YES:
        x.ck.add(terms.CHECK_WARN, "LV-02", "未提供证明材料，按事假处理")
        x.ck.counted_as = terms.LEAVE_PERSONAL
        x.ck.converted_by = "LV-02"
        return
    if law is not None and law.note:  # LV-22 / LV-23: the law's figure for the person's 工作地 decides
        x.ck.add(terms.CHECK_PASS, law.rule, law.note)
    _hours_each_day(x, row)
    check = {terms.LEAVE_MARRIAGE: _check_marriage, terms.LEAVE_BEREAVEMENT: _check_bereavement,
             terms.LEAVE_MATERNITY: _check_maternity, terms.LEAVE_ANNUAL: _check_annual,
             terms.LEAVE_TIME_OFF: _check_time_off}.get(x.r.type)
    if check is not None:
        check(x)
    elif row is not None and row.rule in statutory.CHECKS:
        statutory.CHECKS[row.rule](x, row)


def _hours_each_day(x: Case, row) -> None:
    """LV-25: a record over several days written as hours of the day (16:30 to 17:30) of a type counted in days is
    one leave from its start to its end, every day in between a day of leave: 警告, in case HR meant those hours
    each working day (a 小时 type: 哺乳时间)."""
    r = x.r
    start, end = r.start, pd.Timestamp(r.end)
    if row is None or row.count == COUNT_HOURS or pd.isna(start) or pd.isna(end) or end.date() <= start.date():
        return
    a, b = start.time(), end.time()
    if start == start.normalize() or end == end.normalize() or b <= a or statutory.whole_session(a, b, x.policy):
        return
    x.ck.add(terms.CHECK_WARN, "LV-25", f"{r.type}按{row.count}计：{start:%m-%d %H:%M}至{end:%m-%d %H:%M}连续计为请假，"
                                       f"其间每天都算请假")
    x.ck.reports.append(("start", f"{r.type}是按{row.count}计的假别，{start:%m-%d %H:%M}至{end:%m-%d %H:%M}按连续请假计"
                                  f"（其间每天都算请假，不是每天{a:%H:%M}–{b:%H:%M}）",
                         f"如指其间每个工作日{a:%H:%M}–{b:%H:%M}的几个小时，请改用计算方式为“{COUNT_HOURS}”的假别"
                         "（如哺乳时间）；确是连续请假则不用处理", "LV-25", terms.LEVEL_WARNING))


def _check_marriage(x: Case) -> None:
    """LV-05 (第三十二条): regular staff only, within the months after registration, days, notice."""
    r, ck, policy = x.r, x.ck, x.policy
    regular, assumed = regular_date(x.person["regular"], x.person["hired"], policy)
    if assumed:
        ck.assumption = assumed
    if regular is not None and regular > r.start.date():
        return _fail(ck, "LV-05", "未转正员工不享受婚假")
    days = x.days
    if r.event_date is None or pd.isna(r.event_date):
        ck.add(terms.CHECK_WARN, "LV-05", "未填事由日期（结婚登记日期），无法核对三个月期限")
    elif r.start.date() > add_months(r.event_date, policy.marriage_window_months):
        return _fail(ck, "LV-05", f"婚假须在登记后{policy.marriage_window_months}个月内开始")
    limit = x.row.quota if x.row is not None and x.row.quota is not None else policy.marriage_leave_days
    if days > limit:  # the larger of the company's days and the law's for the 工作地 (LV-22)
        return _fail(ck, "LV-05", f"婚假{days:g}天超过{limit:g}天")
    if x.ahead is None or x.ahead < policy.marriage_notice_days:
        ck.add(terms.CHECK_WARN, "LV-05", f"婚假须提前{policy.marriage_notice_days}天申请")


def _check_bereavement(x: Case) -> None:
    """LV-06 (第三十三条): at most the days allowed."""
    days = x.days
    if days > x.policy.bereavement_leave_days:
        _fail(x.ck, "LV-06", f"丧假{days:g}天超过{x.policy.bereavement_leave_days:g}天")


def _check_maternity(x: Case) -> None:
    """LV-07 (第三十四条): notice, and more than the days (with the law's additions for 难产 and each extra baby,
    女职工劳动保护特别规定 第七条: kaohe.engine.statutory) asks for proof (警告; the leave stands)."""
    policy = x.policy
    if x.ahead is None or x.ahead < policy.maternity_notice_days:
        x.ck.add(terms.CHECK_WARN, "LV-07", f"产假须提前{policy.maternity_notice_days}天申请")
    if x.row is not None:
        statutory.maternity(x, x.row)


def _check_annual(x: Case) -> None:
    """LV-08 (第三十五条), LV-20, LV-21: service, then the year's entitlement (the law's floor applied) less what
    was taken before; split at the balance."""
    r, ck, policy, person = x.r, x.ck, x.policy, x.person
    work_start, hired, year = _date(person["work_start"]), _date(person["hired"]), r.start.year
    service_start, need = work_start or hired, annual.min_service_years(policy)
    if service_start is None or add_months(service_start, 12 * need) > r.start.date():
        return _fail(ck, "LV-08", f"累计工作不满{need}年，无年休假")
    if _lost_last_year(x, work_start, hired, year):
        return
    sick = annual.sick_days(_spans(x, terms.LEAVE_SICK), dt.date(year, 1, 1), r.start.date() - dt.timedelta(days=1), policy)
    ent = annual.entitlement(work_start, hired, year, sick, policy)
    if ent.kept_by_law:
        ck.add(terms.CHECK_WARN, "LV-20", f"此前病假{sick:g}天已达公司规则{policy.annual_leave_sick_months:g}个月"
               f"（{ent.company_limit:g}天），累计工作{ent.years}年的法定门槛为{ent.law_limit:g}天，按法律保留年休假")
    elif sick >= ent.limit:
        return _fail(ck, "LV-20", f"此前病假{sick:g}天，达到{ent.limit:g}天，本年不享受年休假")
    entitled = ent.days
    same_year = x.group[(x.group["start"].dt.year == year)]
    taken = sum(x.count_days(r.emp, terms.LEAVE_ANNUAL, o.start, _own_end(o, x.checks))
                for o in _earlier(same_year, r, x.checks, terms.LEAVE_ANNUAL))
    days = x.days
    if taken + days > entitled:
        fact = f"本年应休{entitled:g}天，已休{taken:g}天，本次{days:g}天超出"
        cut = x.counter.cut(r.emp, r.start, r.end_eff, days=entitled - taken) if x.counter and entitled > taken else None
        return _split(ck, cut, r.start, "LV-08", fact)
    ck.add(terms.CHECK_PASS, "LV-08", f"本年应休{entitled:g}天，连本次已休{taken + days:g}天")


def _spans(x: Case, kind: str) -> list[tuple]:
    """(start, end) of the employee's effective records counted as ``kind`` (a split record up to its split)."""
    return [(o.start, _own_end(o, x.checks)) for o in _earlier(x.group, None, x.checks, kind)]


def _lost_last_year(x: Case, work_start, hired, year: int) -> bool:
    """LV-21 (实施办法第八条): annual leave taken last year and its sick leave then reached the threshold."""
    last = year - 1
    took = any(o.start.year == last for o in _earlier(x.group, None, x.checks, terms.LEAVE_ANNUAL))
    sick = annual.sick_days(_spans(x, terms.LEAVE_SICK), dt.date(last, 1, 1), dt.date(last, 12, 31), x.policy) if took else 0.0
    lost = annual.lost_next_year(took, sick, work_start, hired, last, x.policy)
    if lost is not None:
        _fail(x.ck, "LV-21", f"{last}年已休年休假，当年病假累计{sick:g}天达到{lost.limit:g}天，本年不享受年休假")
    return lost is not None


def _check_time_off(x: Case) -> None:
    """LV-09 (第三十六条): hours of time-off overtime worked before, less those used; split at the balance."""
    r, ck, counter, policy = x.r, x.ck, x.counter, x.policy

    def hours(emp, a, b):
        return counter.hours(emp, a, b) if counter else x.count_days(emp, terms.LEAVE_TIME_OFF, a, b) * policy.hours_per_day
    accrued = sum(h for d, h in x.accrual if d < r.start.normalize())
    taken = sum(hours(r.emp, o.start, _own_end(o, x.checks)) for o in _earlier(x.group, r, x.checks, terms.LEAVE_TIME_OFF))
    need = hours(r.emp, r.start, r.end_eff)
    if taken + need > accrued:
        fact = f"调休余额不足：此前累计{accrued:g}小时，已用{taken:g}小时，本次需{need:g}小时"
        cut = counter.cut(r.emp, r.start, r.end_eff, hours=accrued - taken) if counter and accrued > taken else None
        return _split(ck, cut, r.start, "LV-09", fact)
    ck.add(terms.CHECK_PASS, "LV-09", f"调休余额{accrued - taken:g}小时，本次用{need:g}小时")


def _earlier(group, r, checks, kind: str):
    """The employee's effective records of ``kind`` that start before ``r`` (all of them when ``r`` is None)."""
    return [o for o in group.itertuples() if (r is None or (o.Index != r.Index and o.start < r.start))
            and checks.get(o.Index) and checks[o.Index].effective and checks[o.Index].counted_as == kind]


def _own_end(o, checks) -> pd.Timestamp:
    """Where a record stops counting as its own type (its split point, else its end)."""
    at = checks[o.Index].split_at
    return o.end_eff if at is None else at


def _split(ck: Check, cut, start, rule: str, fact: str) -> None:
    """LV-08/LV-09 balance: the whole sessions the balance covers keep the type, the rest is 事假 (警告);
    with no whole session covered, the record fails as a whole (不通过)."""
    if cut is None or cut <= start:
        return _fail(ck, rule, fact)
    ck.add(terms.CHECK_WARN, rule, f"{fact}，{cut_text(cut)}")
    ck.split_at = cut
    ck.converted_by = rule


def cut_text(cut: pd.Timestamp) -> str:
    """Where a split record stops counting as its own type, in words: a day boundary by its days, else the time."""
    if cut == cut.normalize():
        return f"{cut - pd.Timedelta(days=1):%m-%d}及以前按余额计，{cut:%m-%d}起按事假计算"
    return f"{cut:%m-%d %H:%M}前按余额计，之后按事假计算"


def regular_date(regular, hired, policy: Policy) -> tuple[dt.date | None, str]:
    """转正日期, or when blank the hire date plus 试用期月数 (劳动合同法第十九条), with the text saying so."""
    given = _date(regular)
    if given is not None:
        return given, ""
    start = _date(hired)
    if start is None:
        return None, ""
    assumed = add_months(start, policy.probation_months)
    return assumed, (f"转正日期为空：按入职（{start:%Y-%m-%d}）后{policy.probation_months}个月，"
                     f"{assumed:%Y-%m-%d}起视为已转正")


def _fail(ck: Check, rule: str, note: str) -> None:
    ck.add(terms.CHECK_FAIL, rule, f"{note}，按事假计算")
    ck.counted_as = terms.LEAVE_PERSONAL
    ck.converted_by = rule


def _date(value) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return value.date() if isinstance(value, dt.datetime) else value
