"""The add-in's VBA run, not only read: pyOpenVBA's VBA interpreter with a small Excel standing in.

Excel is not available here; the interpreter runs the modules exactly as the build stores them
(``addin.sources()``), with the host answering Application, ActiveWorkbook, ThisWorkbook and the
two names the xlwings module provides (XLPy, RunPython). One adaptation: pyOpenVBA's preprocessor
cannot read a comment after ``#Const`` (Excel can: xlwings ships that line), so it is cut off here.
"""
import inspect
import re

import pytest
from pyopenvba.interpreter import MISSING, NOTHING, HostBridge, Interpreter, VBAObject, member, method, setter
from pyopenvba.interpreter._runtime import UNRESOLVED

from kaohe.doors import addin, udfs


class Range(VBAObject):
    vba_type_name = "Range"


def field(vba_name, attribute):
    """A read-only VBA property answering a Python attribute."""
    return member(name=vba_name)(lambda self: getattr(self, attribute))


class Workbook(VBAObject):
    vba_type_name = "Workbook"

    def __init__(self, name, path):
        self.name, self.path, self.saved = name, path, False

    Name = field("Name", "name")
    Path = field("Path", "path")
    Saved = field("Saved", "saved")

    @setter("Saved")
    def set_saved(self, value):
        self.saved = bool(value)


class XLPy(VBAObject):
    """The xlwings module's XLPy(): the UDF server."""

    def __init__(self):
        self.calls = []

    @method
    def CallUDF(self, *args):
        self.calls.append(args)
        return "result"


class Application(VBAObject):
    vba_type_name = "Application"

    def __init__(self):
        self.caller, self.protected_view, self.options = Range(), NOTHING, []

    Caller = field("Caller", "caller")
    ActiveProtectedViewWindow = field("ActiveProtectedViewWindow", "protected_view")

    @method
    def Volatile(self, Volatile=MISSING):
        pass

    @method
    def MacroOptions(self, Macro=MISSING, Description=MISSING, HasMenu=MISSING, MenuText=MISSING,
                     HasShortcutKey=MISSING, ShortcutKey=MISSING, Category=MISSING, StatusBar=MISSING,
                     HelpContextID=MISSING, HelpFile=MISSING, ArgumentDescriptions=MISSING):
        args = [] if ArgumentDescriptions is MISSING else list(ArgumentDescriptions.items)
        self.options.append({"Macro": Macro, "Description": Description, "Category": Category, "Args": args})


class Control(VBAObject):
    vba_type_name = "IRibbonControl"

    def __init__(self, control_id):
        self.control_id = control_id

    Id = field("Id", "control_id")


class Excel(HostBridge):
    def __init__(self):
        self.app, self.xlpy = Application(), XLPy()
        self.active = Workbook("考勤.xlsx", r"C:\hr")
        self.this = Workbook("kaohe.xlam", r"C:\Users\hr\AppData\Roaming\Microsoft\Excel\XLSTART")
        self.run_python = []

    def global_object(self, name):
        found = {"application": self.app, "activeworkbook": self.active, "thisworkbook": self.this, "xlpy": self.xlpy}
        return found.get(name.lower(), UNRESOLVED)

    def has_global_member(self, name):
        return name.lower() == "runpython"

    def call_global(self, name, args, named):
        self.run_python.append(args[0])
        return 0


def loadable(source):
    return re.sub(r"^(#Const [^']*?)\s*'.*$", r"\1", source, flags=re.M)


@pytest.fixture(scope="module")
def sources():
    return addin.sources()


@pytest.fixture
def excel(sources):
    host = Excel()
    vba = Interpreter(host)
    for name in ("KaoheSetup", "kaohe_udfs", "KaoheRibbon"):
        vba.add_module(loadable(sources[name]), name=name)
    return host, vba


def test_u_turns_the_stored_hex_back_into_chinese(excel):
    _, vba = excel
    for text in ("考勤绩效", "请先保存（文件 → 另存为）", "LATEFINE 20", ""):
        assert vba.run("U", [addin.hex_text(text)]) == text


def test_every_wrapper_takes_the_excel_branch_with_workbook_and_caller(excel):
    host, vba = excel
    for fn in udfs.FUNCTIONS:
        params = list(inspect.signature(fn).parameters)
        given = list(range(1, len(params) + 1 - ("caller" in params)))
        assert vba.run(fn.__name__, given) == "result"
        module, name, args, workbook, caller = host.xlpy.calls[-1]
        assert (module, name, workbook, caller) == ("kaohe.doors.udfs", fn.__name__, host.active, host.app.caller)
        assert args.items == given + ([NOTHING] if "caller" in params else [])  # call_udf puts the caller there


def test_without_its_const_line_the_module_would_call_python_without_a_caller(sources):
    """The defect this build fixes: `#If App` with no `#Const App` in the module compiles the #Else branch."""
    host = Excel()
    vba = Interpreter(host)
    vba.add_module(re.sub(r"^#Const App.*$", "", sources["kaohe_udfs"], flags=re.M), name="kaohe_udfs")
    vba.run("LATEFINE", [11])
    assert host.xlpy.calls == [("kaohe.doors.udfs", "LATEFINE", host.xlpy.calls[0][2])]  # no workbook, no caller


def test_the_button_runs_python_with_its_id(excel):
    host, vba = excel
    vba.run("KaoheButton", [Control("kaohe_compute_month")])
    assert host.run_python == ["import kaohe.doors.ribbon as r; r.on_button('kaohe_compute_month')"] and not vba.dialogs


@pytest.mark.parametrize("situation", ["no workbook", "protected view"])
def test_the_button_refuses_without_a_workbook(excel, situation):
    host, vba = excel
    if situation == "no workbook":
        host.active = NOTHING
    else:
        host.active, host.app.protected_view = NOTHING, Workbook("附件.xlsx", r"C:\Temp")
    vba.run("KaoheButton", [Control("kaohe_help")])
    assert host.run_python == [] and len(vba.dialogs) == 1
    assert "请先打开要处理的工作簿" in str(vba.dialogs[0]) and "启用编辑" in str(vba.dialogs[0])


def test_a_never_saved_workbook_is_refused_except_for_help(excel):
    host, vba = excel
    host.active = Workbook("工作簿1", "")
    vba.run("KaoheButton", [Control("kaohe_kpi")])
    assert host.run_python == [] and "还没有保存过" in str(vba.dialogs[0])
    vba.run("KaoheButton", [Control("kaohe_help")])
    assert host.run_python == ["import kaohe.doors.ribbon as r; r.on_button('kaohe_help')"]


def test_register_functions_gives_insert_function_the_chinese_help(excel):
    host, vba = excel
    vba.run("RegisterFunctions", [])
    by_name = {o["Macro"]: o for o in host.app.options}
    assert set(by_name) == {f"'kaohe.xlam'!{fn.__name__}" for fn in udfs.FUNCTIONS}
    for fn in udfs.FUNCTIONS:
        options = by_name[f"'kaohe.xlam'!{fn.__name__}"]
        assert options["Description"] == fn.__doc__ and options["Category"] == "考勤绩效"
        assert options["Args"] and all(re.search("[\u4e00-\u9fff]", a) for a in options["Args"]), fn.__name__
    assert by_name["'kaohe.xlam'!LATEFINE"]["Args"] == ["迟到或早退的分钟数（可选一列）"]
    assert host.this.saved is True  # Excel does not offer to save the add-in for the help it registered
