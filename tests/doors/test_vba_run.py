"""The add-in's VBA run, not only read: pyOpenVBA's VBA interpreter with a small Excel standing in
(tests/vba_host.py), the modules exactly as the build stores them (``addin_vba.sources()``)."""
import inspect
import re

import pytest
from pyopenvba.interpreter import MISSING, NOTHING
from fake_excel import MISSING as COM_MISSING
from vba_host import Control, Excel, Workbook

from kaohe.doors import addin, addin_vba, ribbon, udfs

CONF = r"C:\Users\hr\.kaohe\kaohe.conf"
PYTHONW = r"C:\kaohe\python\pythonw.exe"


@pytest.fixture(scope="module")
def sources():
    return addin_vba.sources()


def installed(host):
    """The settings `kaohe addin install` writes, where the add-in looks for them."""
    host.files[CONF] = addin.settings_bytes(PYTHONW, r"C:\kaohe\python\kaohe-temp", "cp936")
    return host


@pytest.fixture
def excel(sources):
    host = installed(Excel())
    return host, host.load(sources, "KaoheSetup", "kaohe_udfs", "KaoheRibbon")


def test_u_turns_the_stored_hex_back_into_chinese(excel):
    _, vba = excel
    for text in ("考勤绩效", "请先保存（文件 → 另存为）", "LATEFINE 20", ""):
        assert vba.run("U", [addin_vba.hex_text(text)]) == text


def test_every_wrapper_takes_the_excel_branch_with_workbook_and_caller(excel):
    host, vba = excel
    for fn in udfs.FUNCTIONS:
        params = list(inspect.signature(fn).parameters)
        given = list(range(1, len(params) + 1 - ("caller" in params)))
        assert vba.run(fn.__name__, given) == "result"
        module, name, args, workbook, caller = host.xlpy.calls[-1]
        assert (module, name, workbook, caller) == ("kaohe.doors.udfs", fn.__name__, host.active, host.app.caller)
        assert list(args) == given + ([None] if "caller" in params else [])  # call_udf puts the caller there


def test_without_its_const_line_the_module_would_call_python_without_a_caller(sources):
    """The defect this build fixes: `#If App` with no `#Const App` in the module compiles the #Else branch."""
    host = installed(Excel())
    host.vba.add_module(re.sub(r"^#Const App.*$", "", sources["KaoheSetup"], flags=re.M), name="KaoheSetup")
    host.vba.add_module(re.sub(r"^#Const App.*$", "", sources["kaohe_udfs"], flags=re.M), name="kaohe_udfs")
    host.vba.run("LATEFINE", [11])
    (call,) = host.xlpy.calls
    assert call[:3] == ("kaohe.doors.udfs", "LATEFINE", (11, COM_MISSING, None)) and call[3:] == (MISSING, MISSING)


def test_the_button_runs_python_with_its_id(excel):
    host, vba = excel
    vba.run("KaoheButton", [Control("kaohe_compute_month")])
    assert host.run_python == ["import kaohe.doors.ribbon as r; r.on_button('kaohe_compute_month')"]
    assert not host.popups and not vba.dialogs and not host.opened


@pytest.mark.parametrize("situation", ["no workbook", "protected view"])
def test_the_button_refuses_without_a_workbook(excel, situation):
    host, vba = excel
    if situation == "no workbook":
        host.active = NOTHING
    else:
        host.active, host.app.protected_view = NOTHING, Workbook(host, r"C:\Temp\附件.xlsx", {})
    vba.run("KaoheButton", [Control("kaohe_kpi")])
    assert host.run_python == [] and len(host.popups) == 1
    assert "请先打开要处理的工作簿" in host.popups[0][0] and "启用编辑" in host.popups[0][0]


def test_a_never_saved_workbook_is_refused(excel):
    host, vba = excel
    host.active = Workbook(host, "工作簿1", {}, path="")
    vba.run("KaoheButton", [Control("kaohe_kpi")])
    assert host.run_python == [] and "还没有保存过" in host.popups[0][0]


def test_help_and_import_functions_show_their_text_without_python(excel):
    host, vba = excel
    host.active = NOTHING  # no workbook needed either
    vba.run("KaoheButton", [Control("kaohe_help")])
    vba.run("KaoheButton", [Control("kaohe_import_functions")])
    assert host.run_python == [] and not host.commands
    assert [p[0] for p in host.popups] == [ribbon.HELP, ribbon.FUNCTIONS_HELP]
    assert all(title == "考勤绩效" for _, title, _ in host.popups)


def test_register_functions_gives_insert_function_the_chinese_help(excel):
    host, vba = excel
    vba.run("RegisterFunctions", [])
    by_name = {o["Macro"]: o for o in host.app.options}
    assert set(by_name) == {f"'kaohe.xlam'!{fn.__name__}" for fn in udfs.FUNCTIONS}
    for fn in udfs.FUNCTIONS:
        options = by_name[f"'kaohe.xlam'!{fn.__name__}"]
        assert options["Description"] == fn.__doc__ and options["Category"] == "考勤绩效"
        assert options["Args"] and all(re.search("[\u4e00-\u9fff]", a) for a in options["Args"]), fn.__name__
    assert by_name["'kaohe.xlam'!LATEFINE"]["Args"] == ["迟到或早退的分钟数（可选一列）",
                                                       "本月第几次（可省略，默认第1次；罚则表按次数处理时填写）"]
    assert host.this.saved is True  # Excel does not offer to save the add-in for the help it registered
