"""The cell functions through xlwings' own UDF dispatch, as Excel runs them.

Excel calls the VBA wrapper, which calls ``XLPy.CallUDF("kaohe.doors.udfs", NAME, Array(args…, Nothing),
ActiveWorkbook, Application.Caller)``; in Python that is ``xlwings.udfs.call_udf``. It replaces
the ``Nothing`` at the ``caller`` position by the calling range, turns missing optional arguments
(VT_ERROR ``-2147352572``) into their defaults, reads range arguments, converts every argument with
the function's ``@xw.arg`` options and converts the result back for Excel.

Here the real ``call_udf`` and the real Windows implementation (``xlwings._xlwindows``) run with
pywin32 stubbed, and small objects with Excel's COM names (tests/fake_excel.py: Range.Worksheet,
Worksheet.Parent, Workbook.Worksheets, UsedRange.Value …) stand in for the calling cell and its workbook. Expected
values are the hand-worked ones of test_udfs.py (docs/规则说明.md), plus a 规则 sheet in the calling
workbook that must be honoured.
"""
import datetime as dt

import pytest
from fake_excel import ComBook, ComRange, call, windows_dispatch


@pytest.fixture(scope="module")
def dispatch():
    """xlwings.udfs.call_udf with the Windows layer importable; everything restored afterwards."""
    with windows_dispatch() as call_udf:
        yield call_udf


@pytest.fixture
def cell():
    """The calling cell, on a sheet of a workbook with no 规则 sheet."""
    book = ComBook("C:/hr/考勤.xlsx", {"月度汇总": (("工号",),)})
    return ComRange(book.Worksheets(1), 0, row=2)


CASES = [  # (function, arguments as Excel passes them, result) — hand-worked in test_udfs.py
    ("LATEFINE", (11,), 20),
    ("MONTHLATEFINE", (((11,), (45,), (0,), (5,)),), 40),  # 20 + (45 minutes: half a day, no fine) + 0 + 20
    ("ABSENTDAYS", (45,), 0.5),
    ("LATESTATUS", (((5,), (200,)),), [["迟到早退"], ["旷工1天"]]),  # an array in, the same shape out
    ("LATEMINUTES", (dt.datetime(2026, 11, 2, 8, 41),), 11),
    ("LATEMINUTES", (dt.datetime(1899, 12, 30, 9, 5), dt.datetime(1899, 12, 30, 9, 0)), 5),
    ("EARLYMINUTES", ("17:29:30",), 1),
    ("DAYTYPE", (dt.datetime(2026, 10, 1),), "法定节假日"),
    ("WORKDAYS", (dt.datetime(2026, 11, 1), dt.datetime(2026, 11, 30)), 25),
    ("LEAVEDAYS", ("事假", dt.datetime(2026, 11, 6), dt.datetime(2026, 11, 9)), 3),
    ("LEAVECHECK", ("事假", dt.datetime(2026, 11, 2), dt.datetime(2026, 11, 3), dt.datetime(2026, 11, 1)), "通过"),
    ("ANNUALLEAVE", (dt.datetime(2010, 5, 1), dt.datetime(2020, 5, 1), 2026.0), 10),
    ("DAILYWAGE", (4350.0,), 200),
    ("OTPAY", (2.0, "工作日", 4350.0), 75),
    ("KPIPOINTS", (0.4, 15.0, "越高越好", 0.6, 0.2), pytest.approx(7.5)),
    ("KPISCORE", (80.0, 64.2), 68.94),
]


@pytest.mark.parametrize("name,args,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_function_through_xlwings_call_udf(dispatch, cell, name, args, expected):
    assert call(dispatch, cell, name, *args) == expected


def test_all_14_functions_are_dispatched():
    from kaohe.doors import udfs

    assert {c[0] for c in CASES} == {fn.__name__ for fn in udfs.FUNCTIONS}


def test_a_range_argument_is_read_from_the_sheet(dispatch, cell):
    column = ComRange(cell.Worksheet, ((5.0,), (None,), (45.0,)), row=2)  # =LATEFINE(A2:A4), A3 empty
    assert call(dispatch, cell, "LATEFINE", column) == [[20], [0], [0]]


def test_the_calling_workbook_rules_sheet_is_honoured(dispatch):
    book = ComBook("C:/hr/规则考勤.xlsx", {"规则": (("参数", "值"), ("迟到早退罚款", 50.0), ("迟到宽限分钟", 5.0)),
                                          "月度汇总": (("工号",),)})
    caller = ComRange(book.Worksheets("月度汇总"), 0, row=2)
    assert call(dispatch, caller, "LATEFINE", 10.0) == 50
    assert call(dispatch, caller, "LATEFINE", 3.0) == 0  # within the 5 grace minutes of this workbook
