"""Cell functions (kaohe.doors.udfs) called directly, as Excel would through xlwings."""
import datetime as dt
import types

import pytest

from kaohe.doors import cells, udfs as f
from kaohe.doors.cells import context_from_rows


def test_latefine_absentdays_latestatus_tiers():
    assert [f.LATEFINE(m) for m in (0, 1, 30, 31, 120, 121)] == [0, 20, 20, 0, 0, 0]
    assert [f.ABSENTDAYS(m) for m in (0, 30, 31, 120, 121)] == [0, 0, 0.5, 0.5, 1]
    assert [f.LATESTATUS(m) for m in (0, 11, 45, 200)] == ["正常", "迟到早退", "旷工半天", "旷工1天"]


def test_ranges_in_give_arrays_of_the_same_shape_out():
    assert f.LATEFINE([[5], [None], [45]]) == [[20], [0], [0]]
    assert f.LATESTATUS([[5, 200]]) == [["迟到早退", "旷工1天"]]


def test_bad_values_are_a_short_chinese_error_in_that_cell_only():
    out = f.LATEFINE([[5], ["abc"], [-3]])
    assert out[0] == [20] and out[1][0].startswith("错误：") and out[2][0].startswith("错误：")
    assert f.DAYTYPE("2026-13-45").startswith("错误：")
    assert f.OTPAY(2, "某天", 4350).startswith("错误：")


def test_ATT_15_latefine_refuses_a_count_below_1_or_not_whole_and_gives_floats():
    """ATT-15: the month's count is a whole number from 1 (blank: the 1st); LATEFINE's money is a float, 0 or not."""
    for nth in (0, -1, 2.5, "abc"):
        assert f.LATEFINE(10, nth) == "错误：本月第几次应为不小于1的整数"
    out = [f.LATEFINE(m, nth) for m, nth in ((10, None), (10, 1), (10, 3.0), (0, None), (45, 2))]
    assert out == [20.0, 20.0, 20.0, 0.0, 0.0] and all(type(x) is float for x in out)


def test_late_and_early_minutes_from_what_excel_passes():
    assert f.LATEMINUTES(dt.datetime(2026, 11, 2, 8, 41)) == 11
    assert f.LATEMINUTES(0.36458333333333331) == 15  # Excel's fraction for 08:45
    assert f.LATEMINUTES("08:30:59") == 0  # seconds dropped
    assert f.LATEMINUTES(dt.time(9, 5), dt.time(9, 0)) == 5
    assert f.LATEMINUTES(None) == ""
    assert f.EARLYMINUTES("17:29:30") == 1
    assert f.EARLYMINUTES(46328.72, "17:00") == 0  # a date-time serial: 17:16:48
    assert f.LATEMINUTES([[dt.time(8, 31)], [dt.time(8, 20)]]) == [[1], [0]]


def test_daytype_and_workdays():
    assert f.DAYTYPE(dt.date(2026, 10, 1)) == "法定节假日"
    assert f.DAYTYPE(dt.datetime(2026, 10, 5)) == "调休休息日"
    assert f.DAYTYPE(46305) == "调休上班"  # serial for 2026-10-10
    assert f.DAYTYPE("2026/11/8") == "休息日" and f.DAYTYPE("2026-11-07") == "工作日"
    assert f.DAYTYPE([[dt.date(2026, 1, 4)], [None]]) == [["调休上班"], [""]]
    assert f.WORKDAYS(dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == 25
    assert f.WORKDAYS("2026-10-01", "2026-10-31") == 21


def test_leavedays():
    assert f.LEAVEDAYS("事假", dt.date(2026, 11, 6), dt.date(2026, 11, 9)) == 3  # Fri, Sat, (Sun), Mon
    assert f.LEAVEDAYS("丧假", dt.date(2026, 11, 6), dt.date(2026, 11, 8)) == 3  # calendar days
    assert f.LEAVEDAYS("事假", dt.datetime(2026, 11, 2, 13, 30), dt.datetime(2026, 11, 2, 17, 30)) == 0.5
    assert f.LEAVEDAYS("度假", dt.date(2026, 11, 6), dt.date(2026, 11, 9)).startswith("错误：")


def test_leavecheck():
    assert f.LEAVECHECK("事假", dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 1)) == "通过"
    late = f.LEAVECHECK("事假", dt.date(2026, 11, 2), dt.date(2026, 11, 5), dt.date(2026, 11, 1))
    assert late.startswith("警告：LV-03 第三十条")
    assert f.LEAVECHECK("病假", "2026-11-02", "2026-11-02", "2026-11-02", "已批准", "无").startswith("警告：LV-02")
    assert f.LEAVECHECK("事假", "2026-11-02", "2026-11-02", "2026-11-01", "待审批").startswith("不通过：LV-01")
    assert f.LEAVECHECK("婚假", "2026-11-02", "2026-11-04", "2026-10-20", "已批准", "有", "2026-10-01",
                        "2026-12-01").startswith("不通过：LV-05")


def test_annual_leave_and_money():
    assert f.ANNUALLEAVE(dt.date(2010, 5, 1), dt.date(2020, 5, 1), 2026) == 10
    assert f.ANNUALLEAVE("2000-01-01", "2026-07-01", 2026) == 7
    assert f.DAILYWAGE(4350) == 200 and f.DAILYWAGE(5000) == 229.89
    assert f.DAILYWAGE([[4350], [None]]) == [[200], [0]]
    assert f.OTPAY(2, "工作日", 4350) == 75 and f.OTPAY(8, "休息日", 4350) == 400 and f.OTPAY(8, "法定节假日", 4350) == 600
    assert f.OTPAY(8, "调休休息日", 4350) == 400


def test_kpi_functions():
    assert f.KPIPOINTS(0.4, 15, "越高越好", 0.6, 0.2) == pytest.approx(7.5)
    assert f.KPIPOINTS("45.2%", 40, "越高越好", 0.6, 0.2) == pytest.approx(25.2)
    assert f.KPIPOINTS(40, 30, "越低越好", 20, 60) == pytest.approx(15)
    assert f.KPIPOINTS([[0.9], [0.1]], 15, "越高越好", 0.6, 0.2) == [[15], [0]]
    assert f.KPIPOINTS(0.4, 15, "随便", 0.6, 0.2).startswith("错误：")
    assert f.KPISCORE(80, 64.2) == 68.94


def test_workbook_rules_and_holidays_are_honoured():
    rules = [["参数", "值"], ["迟到早退罚款", 50], ["迟到宽限分钟", 5]]
    holidays = [["日期", "类型"], [dt.date(2026, 11, 7), "公司休息日"]]
    policy, calendar, *_ = context_from_rows(rules, holidays)
    assert policy.late_fine == 50 and policy.late_grace_minutes == 5
    assert calendar.day_type(dt.date(2026, 11, 7)) == "休息日"

    caller = workbook_caller({"规则": rules, "节假日": holidays})
    assert f.LATEFINE(3, caller=caller) == 0 and f.LATEFINE(10, caller=caller) == 50
    assert f.DAYTYPE(dt.date(2026, 11, 7), caller=caller) == "休息日"


def workbook_caller(sheets, fullname="C:/hr/考勤.xlsx", reads=None):
    """An xlwings-like calling cell whose workbook holds ``sheets`` (name -> rows), just opened (what kaohe read
    of an earlier workbook of that name is forgotten, as the add-in does on WorkbookOpen); counts sheet reads.

    ``api`` is the COM range (its workbook known by FullName), ``sheet.book`` xlwings' view of the workbook.
    """
    class Used:
        def __init__(self, name):
            self.name = name

        def options(self, ndim):
            if reads is not None:
                reads.append(self.name)
            if isinstance(sheets[self.name], Exception):
                raise sheets[self.name]
            return type("V", (), {"value": sheets[self.name]})()

    class Sheet:
        def __init__(self, name):
            self.name, self.used_range = name, Used(name)

    class Book:
        def __init__(self):
            self.sheets = type("S", (), {"__iter__": lambda s: iter([Sheet(n) for n in sheets]),
                                         "__getitem__": lambda s, n: Sheet(n)})()

    cells.forget(fullname)
    com = types.SimpleNamespace(Worksheet=types.SimpleNamespace(Parent=types.SimpleNamespace(FullName=fullname)))
    return type("Caller", (), {"api": com, "sheet": type("Sh", (), {"book": Book()})()})()


def test_a_rules_sheet_that_cannot_be_read_is_said_in_the_cell():
    broken = workbook_caller({"规则": OSError("COM busy")}, "C:/hr/坏.xlsx")
    assert f.LATEFINE(10, caller=broken) == "错误：规则表无法读取"
    assert f.LATEFINE([[10], [20]], caller=broken) == [["错误：规则表无法读取"], ["错误：规则表无法读取"]]
    assert f.WORKDAYS("2026-11-01", "2026-11-30", caller=broken) == "错误：规则表无法读取"
    assert f.OTPAY(2, "工作日", 4350, caller=broken) == "错误：规则表无法读取"
    headless = workbook_caller({"规则": [["名称", "数"], ["迟到早退罚款", 50]]}, "C:/hr/无表头.xlsx")
    assert f.LATEFINE(10, caller=headless) == "错误：规则!A1 找不到表头（需要：参数、值）"  # as compute-month lists it


def test_the_rules_sheet_is_read_once_until_the_add_in_says_it_changed():
    sheets = {"规则": [["参数", "值"], ["迟到早退罚款", 50]]}
    reads = []
    caller = workbook_caller(sheets, "C:/hr/变.xlsx", reads)
    assert f.LATEFINE([[10], [11], [12]], caller=caller) == [[50], [50], [50]]
    assert f.LATEFINE(10, caller=caller) == 50 and f.DAYTYPE("2026-11-02", caller=caller) == "工作日"
    assert reads == ["规则"]  # one read for the range and the cells after it
    sheets["规则"] = [["参数", "值"], ["迟到早退罚款", 30]]
    assert f.LATEFINE(10, caller=caller) == 50  # nothing said it changed: Excel would not recalculate either
    cells.forget("C:/hr/变.xlsx")  # what KaoheRules does on a change to 规则 (tests/doors/test_excel_at_work.py)
    assert f.LATEFINE(10, caller=caller) == 30 and reads == ["规则", "规则"]


def test_an_unreadable_workbook_is_read_again_next_time():
    sheets = {"规则": OSError("COM busy")}
    caller = workbook_caller(sheets, "C:/hr/忙.xlsx")
    assert f.LATEFINE(10, caller=caller) == "错误：规则表无法读取"
    sheets["规则"] = [["参数", "值"], ["迟到早退罚款", 30]]  # Excel answers again
    assert f.LATEFINE(10, caller=caller) == 30


def test_every_contract_function_exists():
    names = {fn.__name__ for fn in f.FUNCTIONS}
    assert names == {"LATEFINE", "MONTHLATEFINE", "ABSENTDAYS", "LATESTATUS", "LATEMINUTES", "EARLYMINUTES", "DAYTYPE", "WORKDAYS",
                     "LEAVEDAYS", "LEAVECHECK", "ANNUALLEAVE", "DAILYWAGE", "OTPAY", "KPIPOINTS", "KPISCORE"}
    assert all(fn.__doc__ and any(ord(ch) > 255 for ch in fn.__doc__) for fn in f.FUNCTIONS)  # Chinese help
