"""The one month parser (kaohe.periods) and every door that uses it."""
import datetime as dt

import pytest

from kaohe.doors import cli
from kaohe.periods import MonthError, add_months, month_bounds, month_of, parse_month, review_period, shift_month


@pytest.mark.parametrize("text", ["2026-11", "2026/11", "2026.11", "2026年11月", "2026年11", " 2026 年 11 月 ", "202611"])
def test_every_spelling_of_november(text):
    assert parse_month(text) == "2026-11"


@pytest.mark.parametrize("text, month", [("2026年1月", "2026-01"), ("2026-01", "2026-01"), ("202601", "2026-01")])
def test_january_written_without_doubt(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["2026-1", "2026/1", "2026.1"])
def test_one_digit_month_after_a_separator_is_refused_not_read_as_january(text):
    # '2026-1' is as likely a typo for 2026-11 as January: kaohe asks for two digits rather than bill the wrong month
    with pytest.raises(MonthError) as err:
        parse_month(text)
    assert "两位" in err.value.zh and text in err.value.zh


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "202613", "十一月", "", "2026-11-31x", "26-11", None])
def test_nonsense_is_refused(text):
    with pytest.raises(MonthError):
        parse_month(text)


def test_month_bounds_know_the_month_length():
    assert month_bounds("2026-11") == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert month_bounds("2026年12月") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert month_bounds("202802") == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))  # leap year


@pytest.mark.parametrize("value", [dt.date(2026, 11, 17), dt.datetime(2026, 11, 1, 8, 0), "2026-11-01", "2026/11/1",
                                   "2026年11月1日", "2026年11月", "2026/11"])
def test_a_month_cell_may_hold_a_date(value):
    assert month_of(value) == "2026-11"


def test_month_cell_with_a_bad_day_separator_is_refused():
    with pytest.raises(MonthError):
        month_of("2026-111")


@pytest.mark.parametrize("text", ["2026/11", "2026年11月", "202611"])
def test_the_command_line_accepts_the_same_spellings(text):
    args = cli.build_parser().parse_args(["compute-month", "b.xlsx", "--month", text])
    assert args.month == "2026-11"


def test_the_command_line_refuses_a_one_digit_month_with_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.build_parser().parse_args(["finance", "b.xlsx", "--month", "2026-1"])
    assert exit_.value.code == 2
    assert "月份要写两位" in capsys.readouterr().err


@pytest.mark.parametrize("month,k,expected", [("2026-11", 1, "2026-12"), ("2026-12", 1, "2027-01"),
                                              ("2026-01", -1, "2025-12"), ("2026-03", -14, "2025-01")])
def test_shift_month_across_years(month, k, expected):
    assert shift_month(month, k) == expected


@pytest.mark.parametrize("day,k,expected", [(dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
                                            (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
                                            (dt.date(2026, 8, 15), 3, dt.date(2026, 11, 15)),
                                            (dt.date(2020, 2, 29), 12, dt.date(2021, 2, 28))])
def test_LV_05_add_months_ends_in_the_last_day_when_the_month_is_shorter(day, k, expected):
    assert add_months(day, k) == expected



def test_REV_01_review_periods_are_quarters_or_years():
    assert review_period("2026q4") == ("2026Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert review_period(" 2026 Q1") == ("2026Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert review_period(2026) == ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError, match="周期应为"):
        review_period("2026Q5")
