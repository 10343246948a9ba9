"""The year's annual leave under the company rule and the law's floor (LV-08, LV-20, LV-21, LV-23).

- Service counts from 参加工作日期 (else the hire date) to 31 December of the year.
- The days are the company's (第三十五条, the 规则's tiers) but never fewer than 条例第三条's 5 / 10 / 15.
- In the year of joining the company: the remaining calendar days (from the hire date, inclusive) ÷ 365 ×
  the days, fractions dropped (实施办法第五条).
- Sick leave (LV-20): a month is 病假每月天数 calendar days (default 30). The days are the calendar days of
  the 病假 records that count as 病假 (rest days and holidays inside them included, half days of the
  standard schedule), within the year. The company loses the year's leave from 年休假病假月数 months
  (第三十五条, "以上": the boundary included); the law from 2 / 3 / 4 months for under 10 / 10–20 / 20 and
  more working years (条例第四条, boundary included). Leave is lost only when both say so: where the company
  rule is the stricter one, the law's floor keeps the leave and the record says so (警告).
- 实施办法第八条 (LV-21): who took annual leave in a year and reached the (law's) sick threshold later in
  that year has no annual leave the next year. kaohe sees it when the previous year's records are in
  请假记录.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from kaohe.engine.calendar_days import calendar_half_days
from kaohe.policy import Policy
from kaohe.policy.law import ANNUAL_MIN_YEARS, company_annual_days, law_annual_days, law_sick_months


@dataclass(frozen=True)
class Entitlement:
    """One person's annual leave for one year, and how the company rule and the law arrived at it."""

    days: float            # what the person has (the law's floor applied)
    years: int             # cumulative working years at 31 December
    sick_days: float       # calendar days of sick leave counted
    company_limit: float   # sick days from which the company rule denies the leave
    law_limit: float       # sick days from which 条例第四条 denies it

    @property
    def kept_by_law(self) -> bool:
        """The company rule alone would deny the leave for sickness; the law keeps it (LV-20)."""
        return self.company_limit <= self.sick_days < self.law_limit

    @property
    def limit(self) -> float:
        """Sick days from which the leave is lost: the more generous of the two rules."""
        return max(self.company_limit, self.law_limit)


def min_service_years(policy: Policy) -> int:
    """Years of service before any annual leave: the company's, never more than the law's one year (条例第三条: 已满1年)."""
    return min(policy.annual_leave_min_service_years, ANNUAL_MIN_YEARS)


def service_years(start: dt.date, year: int) -> int:
    """Whole years of service from ``start`` to 31 December of ``year``."""
    end = dt.date(year, 12, 31)
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def entitlement(work_start: dt.date | None, hired: dt.date | None, year: int, sick_days: float,
                policy: Policy) -> Entitlement:
    """The annual leave of ``year`` given ``sick_days`` calendar days of sick leave in it (see the module)."""
    start = work_start or hired
    years = service_years(start, year) if start is not None else -1
    company_limit = policy.annual_leave_sick_months * policy.sick_month_days
    law_limit = law_sick_months(max(years, 0)) * policy.sick_month_days
    days = max(company_annual_days(years, policy), law_annual_days(years))
    if sick_days >= max(company_limit, law_limit):
        days = 0.0
    if days and hired is not None and hired.year == year:
        remaining = (dt.date(year, 12, 31) - hired).days + 1
        days = float(math.floor(remaining / 365 * days))
    return Entitlement(float(days), years, sick_days, company_limit, law_limit)


def sick_days(spans, first: dt.date, last: dt.date, policy: Policy) -> float:
    """Calendar days of the sick-leave ``spans`` ((start, end) timestamps) from ``first`` to ``last`` inclusive."""
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    return sum(calendar_half_days(pd.Timestamp(a), pd.Timestamp(b), policy, lo, hi) for a, b in spans)


def lost_next_year(took_annual: bool, sick: float, work_start: dt.date | None, hired: dt.date | None, year: int,
                   policy: Policy) -> Entitlement | None:
    """实施办法第八条: ``year``'s annual leave was taken and its sick leave reached the threshold: the year's
    entitlement (its limit reached) when the next year's leave is lost, else None."""
    if not took_annual:
        return None
    before = entitlement(work_start, hired, year, sick, policy)
    return before if sick >= before.limit else None
