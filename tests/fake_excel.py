"""Excel's COM objects, faked, under xlwings' own Windows layer (pywin32 stubbed): for the cell functions
run through ``xlwings.udfs.call_udf`` as Excel runs them (tests and scripts/bench.py).

Every access to an attribute Excel answers (a capitalised COM name: ``Range.Worksheet``,
``Worksheet.UsedRange``, ``Workbook.FullName`` …) is one round trip into Excel and is counted in
:data:`TRIPS`, whoever makes it: xlwings' dispatch or kaohe.
"""
from __future__ import annotations

import contextlib
import ctypes
import inspect
import sys
import types

MISSING = -2147352572  # what COM passes for an optional argument left out
RANGE_IID = "{00020846-0000-0000-C000-000000000046}"
TRIPS: list[tuple[str, str]] = []  # (COM class, attribute) of every round trip into Excel


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


class Com:
    """A COM object of Excel's: reading a capitalised attribute is one counted round trip."""

    def __getattribute__(self, name):
        if name[:1].isupper() and name != "CLSID":
            TRIPS.append((type(self).__name__, name))
        return object.__getattribute__(self, name)


class Count(Com):
    def __init__(self, n):
        self.Count = n


class ComRange(Com):
    CLSID = RANGE_IID

    def __init__(self, sheet, values, row=1, column=1):
        self.Worksheet, self.Value, self.Row, self.Column = sheet, values, row, column
        rows = len(values) if isinstance(values, tuple) else 1
        cols = len(values[0]) if isinstance(values, tuple) and values else 1
        self.Rows, self.Columns = Count(rows), Count(cols)
        self.Count = rows * cols
        self.Address = f"$A${row}"
        type_attr = types.SimpleNamespace(iid=RANGE_IID)
        self._oleobj_ = types.SimpleNamespace(GetTypeInfo=lambda: types.SimpleNamespace(GetTypeAttr=lambda: type_attr))


class ComSheet(Com):
    def __init__(self, book, name, values):
        self.Parent, self.Name = book, name
        self.UsedRange = ComRange(self, values)

    def set(self, values):
        """HR edits the sheet (not a round trip: Excel's own doing)."""
        object.__setattr__(self, "UsedRange", ComRange(self, values))


class ComSheets(Com):
    def __init__(self, sheets):
        self._sheets = sheets

    def __call__(self, key):
        return self._sheets[key - 1] if isinstance(key, int) else next(s for s in self._sheets if s.Name == key)

    def __iter__(self):
        return iter(self._sheets)

    @property
    def Count(self):
        return len(self._sheets)


class ComBook(Com):
    def __init__(self, fullname, sheets, name=None):
        self.Name = name or fullname.replace("\\", "/").rsplit("/", 1)[-1]
        self.FullName = fullname
        self.Application = types.SimpleNamespace(Hwnd=4242)
        self.Worksheets = ComSheets([ComSheet(self, n, values) for n, values in sheets.items()])


@contextlib.contextmanager
def windows_dispatch():
    """``xlwings.udfs.call_udf`` with the Windows layer importable and kaohe.doors.udfs registered as its
    UDF module; every module and attribute replaced is restored afterwards."""
    from kaohe.doors import addin_vba as addin

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


def call(dispatch, caller, name, *args):
    """What the VBA wrapper passes: the arguments, then Nothing (None) for caller where the function has one;
    a single cell's result unwrapped."""
    from kaohe.doors import udfs

    params = list(inspect.signature(getattr(udfs, name)).parameters)
    values = list(args) + [MISSING] * (len([p for p in params if p != "caller"]) - len(args))
    if "caller" in params:
        values.insert(params.index("caller"), None)
    out = dispatch("kaohe.doors.udfs", name, tuple(values), None, caller)
    return out[0][0] if isinstance(out, list) and len(out) == 1 and len(out[0]) == 1 else out
