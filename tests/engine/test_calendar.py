"""The China work calendar (ATT-08): official schedules, the rule fallback, Qingming, overrides.

Every expectation below is written out from the State Council notices (docs/日历与劳动法.md)
and must match exactly: an unexpected extra special day fails too.
"""
import datetime as dt

import holidays
import pytest

from kaohe.calendar import Calendar, qingming, statutory_by_rule

HOL, SWAP, MAKEUP = "法定节假日", "调休休息日", "调休上班"


def special_days(year: int, cal: Calendar | None = None) -> dict[dt.date, str]:
    """Every date of ``year`` that is not a plain workday or plain Sunday."""
    cal = cal or Calendar()
    out, day = {}, dt.date(year, 1, 1)
    while day.year == year:
        kind = cal.day_type(day)
        plain = kind == "工作日" if day.weekday() != 6 else kind == "休息日"
        if not plain:
            out[day] = kind
        day += dt.timedelta(days=1)
    return out


def d(m, day, year=2026):
    return dt.date(year, m, day)


def test_2026_official_schedule_exactly():
    # 2026 notice: 元旦 1-3 Jan (make-up 4 Jan); 春节 15-23 Feb (make-up 14, 28 Feb); 清明 4-6 Apr;
    # 劳动节 1-5 May (make-up 9 May); 端午 19-21 Jun; 中秋 25-27 Sep; 国庆 1-7 Oct (make-up 20 Sep, 10 Oct).
    # Statutory (Decree 795): 1 Jan; 除夕 16 Feb + 初一..初三 17-19 Feb; 清明 5 Apr; 1-2 May; 端午 19 Jun;
    # 中秋 25 Sep; 1-3 Oct. Every other day of a break is a day off of the notice (调休休息日).
    expected = {
        d(1, 1): HOL, d(1, 2): SWAP, d(1, 3): SWAP, d(1, 4): MAKEUP,
        d(2, 14): MAKEUP, d(2, 15): SWAP, d(2, 16): HOL, d(2, 17): HOL, d(2, 18): HOL, d(2, 19): HOL,
        d(2, 20): SWAP, d(2, 21): SWAP, d(2, 22): SWAP, d(2, 23): SWAP, d(2, 28): MAKEUP,
        d(4, 4): SWAP, d(4, 5): HOL, d(4, 6): SWAP,
        d(5, 1): HOL, d(5, 2): HOL, d(5, 3): SWAP, d(5, 4): SWAP, d(5, 5): SWAP, d(5, 9): MAKEUP,
        d(6, 19): HOL, d(6, 20): SWAP, d(6, 21): SWAP,
        d(9, 20): MAKEUP, d(9, 25): HOL, d(9, 26): SWAP, d(9, 27): SWAP,
        d(10, 1): HOL, d(10, 2): HOL, d(10, 3): HOL, d(10, 4): SWAP, d(10, 5): SWAP, d(10, 6): SWAP,
        d(10, 7): SWAP, d(10, 10): MAKEUP,
    }
    assert special_days(2026) == expected


def test_2025_official_schedule_exactly():
    # 2025 notice: 元旦 1 Jan; 春节 28 Jan-4 Feb (make-up Sun 26 Jan, Sat 8 Feb); 清明 4-6 Apr;
    # 劳动节 1-5 May (make-up Sun 27 Apr); 端午 31 May-2 Jun; 国庆·中秋 1-8 Oct (make-up Sun 28 Sep, Sat 11 Oct).
    # Statutory: 1 Jan; 28 Jan (除夕) + 29-31 Jan; 4 Apr; 1-2 May; 31 May; 1-3 Oct; 中秋 6 Oct.
    y = 2025
    expected = {
        d(1, 1, y): HOL, d(1, 26, y): MAKEUP, d(1, 28, y): HOL, d(1, 29, y): HOL, d(1, 30, y): HOL,
        d(1, 31, y): HOL, d(2, 1, y): SWAP, d(2, 2, y): SWAP, d(2, 3, y): SWAP, d(2, 4, y): SWAP,
        d(2, 8, y): MAKEUP,
        d(4, 4, y): HOL, d(4, 5, y): SWAP, d(4, 6, y): SWAP,
        d(4, 27, y): MAKEUP, d(5, 1, y): HOL, d(5, 2, y): HOL, d(5, 3, y): SWAP, d(5, 4, y): SWAP, d(5, 5, y): SWAP,
        d(5, 31, y): HOL, d(6, 1, y): SWAP, d(6, 2, y): SWAP,
        d(9, 28, y): MAKEUP, d(10, 1, y): HOL, d(10, 2, y): HOL, d(10, 3, y): HOL, d(10, 4, y): SWAP,
        d(10, 5, y): SWAP, d(10, 6, y): HOL, d(10, 7, y): SWAP, d(10, 8, y): SWAP, d(10, 11, y): MAKEUP,
    }
    assert special_days(2025) == expected


def test_2027_statutory_days_by_rule_and_provisional():
    # docs/日历与劳动法.md: 1 Jan; 5-8 Feb; 5 Apr; 1-2 May; 9 Jun; 15 Sep; 1-3 Oct.
    expected = [d(1, 1, 2027), d(2, 5, 2027), d(2, 6, 2027), d(2, 7, 2027), d(2, 8, 2027), d(4, 5, 2027),
                d(5, 1, 2027), d(5, 2, 2027), d(6, 9, 2027), d(9, 15, 2027), d(10, 1, 2027), d(10, 2, 2027),
                d(10, 3, 2027)]
    assert sorted(statutory_by_rule(2027)) == expected
    cal = Calendar()
    assert cal.is_provisional(2027) and not cal.is_provisional(2026)
    assert {k for k, v in special_days(2027).items() if v == HOL} == set(expected)
    assert MAKEUP not in special_days(2027).values()


def test_provisional_year_is_a_warning_in_the_problem_list(month):
    m = month({}, "2027-01")
    assert any("2027年国务院放假通知尚无数据" in f.problem and f.level == "警告" for f in m.findings)


def test_holiday_sheet_for_a_year_makes_it_not_provisional():
    cal = Calendar(overrides={d(2, 4, 2027): (SWAP, "春节")})
    assert not cal.is_provisional(2027)
    assert cal.day_type(d(2, 4, 2027)) == SWAP


@pytest.mark.parametrize("year,day", [
    (1900, 5), (1904, 5), (1988, 4), (1999, 5), (2000, 4), (2008, 4), (2010, 5), (2016, 4), (2019, 5),
    (2020, 4), (2023, 5), (2024, 4), (2025, 4), (2026, 5), (2027, 5), (2100, 5),
])
def test_qingming(year, day):
    assert qingming(year) == dt.date(year, 4, day)


def test_qingming_agrees_with_official_data_2008_2026():
    for year in range(2008, 2027):
        official = {k for k, v in holidays.China(years=year).items() if "Tomb-Sweeping" in v and "observed" not in v}
        assert qingming(year) in official, year


def test_company_rest_day_and_makeup_override():
    cal = Calendar(overrides={d(11, 7): ("公司休息日", ""), d(11, 8): (MAKEUP, "")})
    assert cal.day_type(d(11, 7)) == "休息日"
    assert cal.day_type(d(11, 8)) == MAKEUP
    assert cal.day_type(d(10, 1)) == HOL  # untouched dates keep the notice


def test_rest_weekday_is_a_parameter():
    cal = Calendar(rest_weekday=5)
    assert cal.day_type(d(11, 7)) == "休息日" and cal.day_type(d(11, 8)) == "工作日"


def test_range_1901_to_2099():
    cal = Calendar()
    assert cal.day_type(dt.date(1901, 1, 1)) == HOL
    assert cal.day_type(dt.date(2099, 10, 1)) == HOL
    with pytest.raises(ValueError):
        cal.day_type(dt.date(2100, 1, 4))


def test_workdays_count():
    # November 2026: 30 days, Sundays 1, 8, 15, 22, 29.
    assert Calendar().workdays(d(11, 1), d(11, 30)) == 25
    # October 2026: 8, 9, 10 (make-up), 12-17, 19-24, 26-31.
    assert Calendar().workdays(d(10, 1), d(10, 31)) == 21


def test_statutory_days_come_from_the_package_data_not_from_holiday_names(monkeypatch):
    # The holidays package names swapped rest days 休息日（由 … 调休） and substitutes …（补假）; kaohe reads
    # neither name: with every name replaced, 2026 still has the same statutory and swapped days.
    import kaohe.calendar as calendar

    before = special_days(2026)
    real = holidays.China

    def renamed(*args, **kwargs):
        return {day: "某节日" for day in real(*args, **kwargs)}

    calendar.official_year.cache_clear()
    monkeypatch.setattr(calendar.holidays_pkg, "China", renamed)
    try:
        assert special_days(2026) == before
    finally:
        calendar.official_year.cache_clear()
