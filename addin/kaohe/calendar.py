"""The China work calendar: the type of every date 1901-2099 for this company (ATT-01, ATT-08).

References:
    State Council notices on holiday arrangements; Decrees 270 (1999), 513 (2007),
    644 (2013) and 795 (2024) on national holidays; docs/日历与劳动法.md.

Sources, in order of precedence:
    1. HR's 节假日 sheet (日期, 类型) — always wins.
    2. Official data: ``chinesecalendar`` names every day of each break (weekends inside it
       included) and every make-up workday; ``holidays`` keeps the statutory days apart from
       substitutes and swapped days in its own data (its days without the observed substitutes,
       less the days its table of special days lists as swapped with a working day). Combined,
       they say which day off is 法定节假日 (300 %) and which is 调休休息日 (200 %); no holiday
       name is read. Covered years: those chinesecalendar covers (2004-2026).
    3. For any other year, the statutory days by rule (the decree in force, lunar dates from
       ``lunardate``, Qingming by formula). Bridges and make-up days are unknown until the
       notice is published: such a year is *provisional* and a warning says so.

Limitations:
    Years before 1950 get the 1950 rule (there is nothing better to say); dates outside
    1901-2099 are refused.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar
import holidays as holidays_pkg
from holidays.countries.china import ChinaStaticHolidays
from lunardate import LunarDate

from kaohe import terms

MIN_YEAR, MAX_YEAR = 1901, 2099

# chinesecalendar names breaks in English; HR reads Chinese.
FESTIVAL_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class HolidayLaw:
    """The statutory days under one decree, by festival."""

    from_year: int
    spring_festival: tuple[int, ...]  # offsets from 正月初一 (-1 is 除夕)
    labour_days: int  # 1 May and the days after it
    national_days: int  # 1 Oct and the days after it
    lunar_festivals: bool  # 清明, 端午 and 中秋 are statutory


HOLIDAY_LAWS = (
    HolidayLaw(1950, spring_festival=(0, 1, 2), labour_days=1, national_days=2, lunar_festivals=False),  # 政务院 1949
    HolidayLaw(2000, spring_festival=(0, 1, 2), labour_days=3, national_days=3, lunar_festivals=False),  # 国务院令270号
    HolidayLaw(2008, spring_festival=(-1, 0, 1), labour_days=1, national_days=3, lunar_festivals=True),  # 国务院令513号
    HolidayLaw(2014, spring_festival=(0, 1, 2), labour_days=1, national_days=3, lunar_festivals=True),  # 国务院令644号
    HolidayLaw(2025, spring_festival=(-1, 0, 1, 2), labour_days=2, national_days=3, lunar_festivals=True),  # 国务院令795号
)


def qingming(year: int) -> dt.date:
    """The Qingming solar term in April (formula of docs/日历与劳动法.md, exact 1900-2100)."""
    y = year % 100
    base = 5.59 if year < 2000 else 4.81
    day = int(y * 0.2422 + base) - y // 4 + (1 if year == 2100 else 0)
    return dt.date(year, 4, day)


def _lunar(year: int, month: int, day: int) -> dt.date:
    return LunarDate(year, month, day).to_solar_date()


def statutory_by_rule(year: int) -> dict[dt.date, str]:
    """The statutory days of ``year`` by the decree in force, with their names."""
    law = next(h for h in reversed(HOLIDAY_LAWS) if h.from_year <= year) if year >= 1950 else HOLIDAY_LAWS[0]
    days = {dt.date(year, 1, 1): "元旦"}
    new_year = _lunar(year, 1, 1)
    for offset in law.spring_festival:
        days[new_year + dt.timedelta(days=offset)] = "春节"
    for i in range(law.labour_days):
        days[dt.date(year, 5, 1 + i)] = "劳动节"
    for i in range(law.national_days):
        days[dt.date(year, 10, 1 + i)] = "国庆节"
    if law.lunar_festivals:
        days[qingming(year)] = "清明节"
        days[_lunar(year, 5, 5)] = "端午节"
        days[_lunar(year, 8, 15)] = "中秋节"
    return days


def statutory_days(year: int) -> dict[dt.date, str]:
    """The statutory days (法定节假日, 300 %) of ``year`` by the ``holidays`` package's data, with their names:
    its days without the substitutes for a holiday on a weekend (``observed=False``), less the days its
    table of special days gives as swapped with a working day (entries ``(month, day, from_month, from_day
    [, from_year])``; a named special day, such as a one-off national holiday, is statutory)."""
    days = holidays_pkg.China(years=year, language="zh_CN", observed=False)
    special = ChinaStaticHolidays.special_public_holidays.get(year, ())
    entries = special if special and isinstance(special[0], tuple) else (special,) if special else ()
    swapped = {dt.date(year, e[0], e[1]) for e in entries if isinstance(e[2], int)}
    return {d: n for d, n in days.items() if d not in swapped}


@functools.lru_cache(maxsize=256)
def official_year(year: int) -> dict[dt.date, tuple[str, str]] | None:
    """Special days of ``year`` from the notices: date -> (day type, name); None if not covered."""
    try:
        chinese_calendar.get_holiday_detail(dt.date(year, 6, 1))
    except NotImplementedError:
        return None
    statutory = statutory_days(year)
    out: dict[dt.date, tuple[str, str]] = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        off, name = chinese_calendar.get_holiday_detail(day)
        if day in statutory:
            out[day] = (terms.DAY_HOLIDAY, statutory[day])
        elif name is not None:
            out[day] = (terms.DAY_SWAPPED_REST if off else terms.DAY_MAKEUP_WORK, FESTIVAL_NAMES.get(name, name))
        day += dt.timedelta(days=1)
    return out


class Calendar:
    """Day types for this company: official notices ⊕ HR's 节假日 sheet ⊕ rule fallback."""

    def __init__(self, rest_weekday: int = 6, overrides: dict[dt.date, tuple[str, str]] | None = None):
        self.rest_weekday = rest_weekday
        self.overrides = dict(overrides or {})
        self._years: dict[int, dict[dt.date, tuple[str, str]]] = {}
        self._override_years = {d.year for d in self.overrides}

    def is_provisional(self, year: int) -> bool:
        """No official data and nothing in HR's 节假日 sheet for that year."""
        return official_year(year) is None and year not in self._override_years

    def _special(self, year: int) -> dict[dt.date, tuple[str, str]]:
        if year not in self._years:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise ValueError(f"日期超出 {MIN_YEAR}–{MAX_YEAR} 年")
            official = official_year(year)
            if official is None:
                official = {d: (terms.DAY_HOLIDAY, n) for d, n in statutory_by_rule(year).items()}
            self._years[year] = official
        return self._years[year]

    def day_type(self, day: dt.date) -> str:
        if isinstance(day, dt.datetime):
            day = day.date()
        if day in self.overrides:
            kind = self.overrides[day][0]
            return terms.DAY_REST if kind == terms.DAY_COMPANY_REST else kind
        special = self._special(day.year).get(day)
        if special:
            return special[0]
        return terms.DAY_REST if day.weekday() == self.rest_weekday else terms.DAY_WORK

    def day_name(self, day: dt.date) -> str:
        if day in self.overrides:
            return self.overrides[day][1]
        special = self._special(day.year).get(day)
        return special[1] if special else ""

    def is_workday(self, day: dt.date) -> bool:
        return self.day_type(day) in (terms.DAY_WORK, terms.DAY_MAKEUP_WORK)

    def workdays(self, start: dt.date, end: dt.date) -> int:
        return sum(1 for d in date_range(start, end) if self.is_workday(d))


def date_range(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)

