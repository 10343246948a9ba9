"""The cell functions through xlwings' own UDF dispatch, as Excel runs them.

Excel calls the VBA wrapper, which calls ``XLPy.CallUDF("kaohe.doors.udfs", NAME, Array(args…, Nothing),
ActiveWorkbook, Application.Caller)``; in Python that is ``xlwings.udfs.call_udf``. It replaces
the ``Nothing`` at the ``caller`` position by the calling range, turns missing optional arguments
(VT_ERROR ``-2147352572``) into their defaults, reads range arguments, converts every argument with
the function's ``@xw.arg`` options and converts the result back for Excel.

Here the real ``call_udf`` and the real Windows implementation (``xlwings._xlwindows``) run with
pywin32 stubbed, and small objects with Excel's COM names (Range.Worksheet, Worksheet.Parent,
Workbook.Worksheets, UsedRange.Value …) stand in for the calling cell and its workbook. Expected
values are the hand-worked ones of test_udfs.py (docs/规则说明.md), plus a 规则 sheet in the calling
workbook that must be honoured.
"""
import ctypes
import datetime as dt
import sys
import types

import pytest

from kaohe.doors import addin

MISSING = -2147352572  # what COM passes for an optional argument left out
RANGE_IID = "{00020846-0000-0000-C000-000000000046}"


class _Anything:
    """pywin32 stand-in: callable, any attribute, usable as a base class and as an exception."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Anything()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything()


class _Module(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = type(name, (_Anything, Exception), {})
        setattr(self, name, value)  # one class per name, so isinstance and except work
        return value


WINDOWS_MODULES = ("pythoncom", "pywintypes", "win32api", "win32con", "win32gui", "win32process", "win32timezone",
                   "win32com", "win32com.client", "win32com.client.dynamic", "win32com.server",
                   "win32com.server.util")


# --- Excel's COM objects, as far as the dispatch and kaohe.doors.cells.context use them ---------------

class ComRange:
    CLSID = RANGE_IID

    def __init__(self, sheet, values, row=1, column=1):
        self.Worksheet, self.Value, self.Row, self.Column = sheet, values, row, column
        rows = len(values) if isinstance(values, tuple) else 1
        cols = len(values[0]) if isinstance(values, tuple) else 1
        self.Rows, self.Columns = types.SimpleNamespace(Count=rows), types.SimpleNamespace(Count=cols)
        self.Count = rows * cols
        self.Address = f"$A${row}"
        type_attr = types.SimpleNamespace(iid=RANGE_IID)
        self._oleobj_ = types.SimpleNamespace(GetTypeInfo=lambda: types.SimpleNamespace(GetTypeAttr=lambda: type_attr))


class ComSheet:
    def __init__(self, book, name, values):
        self.Parent, self.Name = book, name
        self.UsedRange = ComRange(self, values)


class ComSheets:
    def __init__(self, sheets):
        self._sheets = sheets

    def __call__(self, key):
        return self._sheets[key - 1] if isinstance(key, int) else next(s for s in self._sheets if s.Name == key)

    def __iter__(self):
        return iter(self._sheets)

    @property
    def Count(self):
        return len(self._sheets)


class ComBook:
    def __init__(self, path, sheets):
        self.Name, self.FullName = path.rsplit("/", 1)[1], path
        self.Application = types.SimpleNamespace(Hwnd=4242)
        self.Worksheets = ComSheets([ComSheet(self, name, values) for name, values in sheets.items()])


@pytest.fixture(scope="module")
def dispatch():
    """xlwings.udfs.call_udf with the Windows layer importable; everything restored afterwards."""
    saved_modules = {n: sys.modules.get(n) for n in (*WINDOWS_MODULES, "xlwings._xlwindows", "xlwings.com_server")}
    saved_ctypes = {n: getattr(ctypes, n, None) for n in ("windll", "oledll", "PyDLL")}
    import xlwings
    from xlwings.main import Engine

    saved_engines = (list(xlwings.engines.engines), dict(xlwings.engines.engines_by_name))
    try:
        for name in WINDOWS_MODULES:
            sys.modules[name] = _Module(name)
        sys.modules["pythoncom"].__file__ = "pythoncom311.dll"
        sys.modules["pywintypes"].IID = str
        sys.modules["win32process"].GetWindowThreadProcessId = lambda hwnd: (1, 4242)  # (thread, Excel's pid)
        sys.modules["xlwings.com_server"] = types.SimpleNamespace(loop=None)  # only for async functions
        ctypes.windll = ctypes.oledll = _Anything()
        ctypes.PyDLL = _Anything
        import xlwings._xlwindows as xlwin

        xlwin.N_COM_ATTEMPTS = 1  # a missing COM name fails at once instead of retrying
        xlwings.engines.add(Engine(impl=xlwin.engine))
        with addin.xlwings_udfs() as (xl_udfs, module):
            xl_udfs.udf_modules["kaohe.doors.udfs"] = {"filename": module.__file__, "filetime": None, "module": module}
            yield xl_udfs.call_udf
    finally:
        xlwings.engines.engines[:], xlwings.engines.engines_by_name = saved_engines[0], saved_engines[1]
        if saved_modules["xlwings._xlwindows"] is None and hasattr(xlwings, "_xlwindows"):
            del xlwings._xlwindows
        for name, mod in saved_modules.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
        for name, value in saved_ctypes.items():
            if value is None:
                if hasattr(ctypes, name):
                    delattr(ctypes, name)
            else:
                setattr(ctypes, name, value)


@pytest.fixture
def cell():
    """The calling cell, on a sheet of a workbook with no 规则 sheet."""
    book = ComBook("C:/hr/考勤.xlsx", {"月度汇总": (("工号",),)})
    return ComRange(book.Worksheets(1), 0, row=2)


def call(dispatch, caller, name, *args):
    """What the VBA wrapper passes: the arguments, then Nothing (None) for caller where the function has one."""
    import inspect

    from kaohe.doors import udfs

    params = list(inspect.signature(getattr(udfs, name)).parameters)
    values = list(args) + [MISSING] * (len([p for p in params if p != "caller"]) - len(args))
    if "caller" in params:
        values.insert(params.index("caller"), None)
    out = dispatch("kaohe.doors.udfs", name, tuple(values), None, caller)
    return out[0][0] if isinstance(out, list) and len(out) == 1 and len(out[0]) == 1 else out


CASES = [  # (function, arguments as Excel passes them, result) — hand-worked in test_udfs.py
    ("LATEFINE", (11,), 20),
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
