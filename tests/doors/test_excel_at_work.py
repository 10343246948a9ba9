"""Excel as companies run it: workbooks on OneDrive and SharePoint, a thousand filled-down cells, a received
folder holding code, managed PCs, PCs whose language for non-Unicode programs is not Chinese, the Mac.

Python runs through xlwings' own code with Excel's COM objects faked (tests/fake_excel.py: every round
trip into Excel counted); the add-in's VBA runs in pyOpenVBA's interpreter against a small Excel
(tests/vba_host.py), modules exactly as the build stores them; the installer's decisions are data
(scripts/install_checks.json) evaluated here for example PCs.
"""
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import fake_excel as fx
import vba_host
from pyopenvba.interpreter import NOTHING
from pyopenvba.interpreter._parse import parse_module
from pyopenvba.interpreter._preprocess import strip_directives
from test_ribbon import FakeApp, FakeBook, attendance, digest, kinds, open_in_excel

from kaohe.doors import addin, addin_vba, cells, ribbon, udfs

ROOT = Path(__file__).resolve().parents[2]
SHAREPOINT = "https://contoso.sharepoint.com/sites/hr/Shared Documents/考勤/考勤.xlsx"
CONF = r"C:\Users\hr\.kaohe\kaohe.conf"
PYTHONW = r"C:\kaohe\python\pythonw.exe"
LOGS = r"C:\kaohe\python\kaohe-temp"


@pytest.fixture(scope="module")
def dispatch():
    with fx.windows_dispatch() as call_udf:
        yield call_udf


@pytest.fixture(scope="module")
def sources():
    return addin_vba.sources()


def installed(host, profile=r"C:\Users\hr"):
    """What `kaohe addin install` leaves: kaohe.conf in the user's profile, the interpreter on disk."""
    host.env["USERPROFILE"] = profile
    host.files[profile + r"\.kaohe\kaohe.conf"] = addin.settings_bytes(PYTHONW, LOGS, "cp936")
    host.existing.add(PYTHONW)
    return host


RULES_50 = (("参数", "值"), ("迟到早退罚款", 50.0))


def fine(minutes, amount=50):
    """ATT-04 with the default limits (fined from 1 to 30 minutes, 迟到早退罚款 of 规则 otherwise 20)."""
    return amount if 1 <= minutes <= 30 else 0


# --- OneDrive and SharePoint -------------------------------------------------------------------------

def test_cells_of_a_sharepoint_workbook_return_values_and_never_resolve_its_address(dispatch, monkeypatch):
    import xlwings
    import xlwings._xlwindows as xlwin

    book = fx.ComBook(SHAREPOINT, {"规则": RULES_50, "考勤": ((None,),)})
    # what the cells asked before: xlwings cannot map this address to a file here (no synced copy, no setting)
    with pytest.raises((xlwings.XlwingsError, NameError)):
        _ = xlwings.Book(impl=xlwin.Book(xl=book)).fullname
    resolved = []
    monkeypatch.setattr(xlwin, "fullname_url_to_local_path", lambda *a, **k: resolved.append(a))
    monkeypatch.setattr(xlwings.utils, "fullname_url_to_local_path", lambda *a, **k: resolved.append(a))
    caller = fx.ComRange(book.Worksheets("考勤"), None, row=2)
    cells.forget(SHAREPOINT)
    assert fx.call(dispatch, caller, "LATEFINE", 10.0) == 50  # 规则 of this workbook: 50 a time
    assert fx.call(dispatch, caller, "DAYTYPE", dt.datetime(2026, 10, 1)) == "法定节假日"
    assert fx.call(dispatch, caller, "WORKDAYS", dt.datetime(2026, 11, 1), dt.datetime(2026, 11, 30)) == 25
    assert resolved == []


def cloud_book(app, path, fullname, **api):
    """A workbook Excel opened from OneDrive or SharePoint: FullName is its address; ``api`` adds COM properties."""
    class CloudBook(FakeBook):
        @property
        def api(self):
            return type("Api", (), {**vars(super().api), **api})()

    app.calls.append(("open", Path(path).name, digest(path)))
    return CloudBook(app, Path(path), fullname=fullname)


def test_a_button_on_a_sharepoint_workbook_without_a_local_copy_refuses_in_chinese(tmp_path):
    app = FakeApp(answers=["2026-11"])
    book = ribbon.XlwingsBook(cloud_book(app, attendance(tmp_path), SHAREPOINT), escape=lambda: False)
    ribbon.on_button("kaohe_compute_month", book)
    (message,) = app.messages
    assert message.startswith("无法完成：“考勤.xlsx”是从 OneDrive 或 SharePoint 打开的")
    assert "同步" in message and "另存为 → 这台电脑" in message
    assert kinds(app) == ["open"]  # nothing asked, saved or closed


def onedrive(tmp_path, monkeypatch):
    """A OneDrive for Business workbook synced to this PC: (its address, its local copy)."""
    from xlwings.utils import fullname_url_to_local_path

    root = tmp_path / "OneDrive - Contoso"
    (root / "考勤").mkdir(parents=True)
    local = attendance(root / "考勤")
    monkeypatch.setenv("OneDriveCommercial", str(root))
    fullname_url_to_local_path.cache_clear()  # xlwings keeps what it found for an address (per process)
    return "https://contoso-my.sharepoint.com/personal/hr_contoso_com/Documents/考勤/考勤.xlsx", local


def test_a_button_works_on_the_synced_copy_after_asking(tmp_path, monkeypatch):
    url, local = onedrive(tmp_path, monkeypatch)
    app = FakeApp(answers=["2026-11"], confirms=[True])
    book = ribbon.XlwingsBook(cloud_book(app, local, url), escape=lambda: False)
    ribbon.on_button("kaohe_compute_month", book)
    assert app.messages[0].startswith("已写入："), app.messages
    assert kinds(app) == ["open", "confirm", "close", "open", "activate"]  # asked: others may be editing it
    assert app.calls[3][2] != app.calls[0][2]  # the local copy was rewritten while closed, then reopened


@pytest.mark.parametrize("api,refusal", [
    ({"AutoSaveOn": True}, "开启了“自动保存”"),
    ({"UserStatus": (("王会计", dt.datetime(2026, 12, 1), 2), ("hr", dt.datetime(2026, 12, 1), 2))}, "王会计 也打开了此工作簿")])
def test_a_workbook_others_may_be_editing_is_not_closed_and_rewritten(tmp_path, monkeypatch, api, refusal):
    url, local = onedrive(tmp_path, monkeypatch)
    app = FakeApp(answers=["2026-11"])
    app.api.UserName = "hr"
    before = digest(local)
    book = ribbon.XlwingsBook(cloud_book(app, local, url, **api), escape=lambda: False)
    ribbon.on_button("kaohe_compute_month", book)
    assert app.messages[0].startswith("无法完成：") and refusal in app.messages[0], app.messages
    assert kinds(app) == ["open"] and digest(local) == before


# --- a thousand filled-down cells ----------------------------------------------------------------------

def test_a_filled_down_cell_costs_three_round_trips_into_excel(dispatch):
    """≤ 5 round trips a cell, counted through xlwings' dispatch: the argument arrives as a value (the
    add-in's CellValue), and the workbook is known by its FullName; its 规则 is read once."""
    book = fx.ComBook(r"C:\hr\千行.xlsx", {"规则": RULES_50, "考勤": ((None,),)})
    sheet = book.Worksheets("考勤")
    callers = [fx.ComRange(sheet, None, row=r) for r in range(2, 1002)]
    minutes = [float(i % 150) for i in range(1000)]
    cells.forget(book.FullName)
    fx.TRIPS.clear()
    first = [fx.call(dispatch, c, "LATEFINE", m) for c, m in zip(callers, minutes)]
    assert len(fx.TRIPS) <= 5 * 1000  # the first calculation, 规则 read once included
    fx.TRIPS.clear()
    again = [fx.call(dispatch, c, "LATEFINE", m) for c, m in zip(callers, minutes)]
    assert fx.TRIPS == [("ComRange", "Worksheet"), ("ComSheet", "Parent"), ("ComBook", "FullName")] * 1000
    assert first == again == [fine(m) for m in minutes]


def test_scripts_bench_cells_measures_the_real_dispatch():
    """scripts/bench.py --cells times 1,000 filled-down LATEFINE cells and one formula over 1,000 rows (budgets
    100 ms and 20 ms, reported by the benchmark, never asserted on time here): it runs xlwings' own dispatch,
    3 round trips a cell, with the right fines."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench

    found = bench.cell_bench(repeat=1)
    assert found["trips_per_cell"] == 3
    assert [r[0][0] for r in found["results"]] == [fine(i % 150) for i in range(1000)]


def test_no_cell_function_is_volatile():
    """Volatile functions are recalculated on every edit in any open workbook, and mark every workbook
    holding them unsaved ("save changes?" for nothing)."""
    with addin_vba.xlwings_udfs() as (_, module):
        assert not [fn.__name__ for fn in module.FUNCTIONS if fn.__xlfunc__["volatile"]]


# --- recalculation when 规则 changes, without F9 (the add-in's VBA in a small Excel) --------------------

def excel_with_kaohe_cells(sources, dispatch, rows=20, rules=True):
    """A workbook with =LATEFINE(A2) filled down B2:B{rows+1} and a 规则 sheet, the add-in loaded, calculated once."""
    host = vba_host.Excel(call_udf=dispatch)
    attendance_cells = {f"A{r}": float((r - 2) * 3) for r in range(2, rows + 2)}
    attendance_cells.update({f"B{r}": f"=LATEFINE(A{r})" for r in range(2, rows + 2)})
    sheets = {"考勤": attendance_cells, "备注": {"A1": "说明"}}
    if rules:
        sheets["规则"] = {"A1": "参数", "B1": "值", "A2": "迟到早退罚款", "B2": 20.0}
    book = vba_host.Workbook(host, r"C:\hr\规则会变.xlsx", sheets)
    host.books, host.active = [book], book
    vba = host.load(sources, "KaoheSetup", "kaohe_udfs", "KaoheRules")
    cells.forget(book.fullname)
    host.calculate()
    vba.run("Opened", [book])  # ThisWorkbook's App_WorkbookOpen: the rules sheets it has are remembered
    return host, vba, book


def fines(book):
    return [book.sheet("考勤").cells[f"B{r}"].value for r in range(2, 2 + len(book.sheet("考勤").cells) // 2)]


def test_editing_a_rules_value_updates_every_kaohe_cell_without_f9(sources, dispatch):
    host, vba, book = excel_with_kaohe_cells(sources, dispatch)
    minutes = [(r - 2) * 3 for r in range(2, 22)]
    assert fines(book) == [fine(m, 20) for m in minutes]
    host.on_change = lambda sheet: vba.run("SheetChanged", [sheet])  # ThisWorkbook's App_SheetChange
    fx.TRIPS.clear()
    book.sheet("规则").edit("B2", 50.0)  # HR types 50 in 规则; nobody presses F9
    assert fines(book) == [fine(m, 50) for m in minutes]
    assert host.python_calls == [("forget", (book.fullname,))] and host.app.calculations == 1
    assert len(fx.TRIPS) <= 5 * 20  # 规则 read again once, then three a cell


def test_without_the_add_in_excel_alone_would_leave_the_old_fines(sources, dispatch):
    """The control: Excel recalculates a function that is not volatile only when its arguments change."""
    host, _, book = excel_with_kaohe_cells(sources, dispatch)
    book.sheet("规则").edit("B2", 50.0)
    host.calculate()  # F9
    assert fines(book) == [fine((r - 2) * 3, 20) for r in range(2, 22)]


def test_an_edit_elsewhere_recalculates_no_kaohe_cell_and_an_argument_only_its_cell(sources, dispatch):
    host, vba, book = excel_with_kaohe_cells(sources, dispatch)
    host.on_change = lambda sheet: vba.run("SheetChanged", [sheet])
    before = len(host.xlpy.calls)
    book.sheet("备注").edit("A2", "另一张表上的修改")
    assert len(host.xlpy.calls) == before  # no Python call at all
    book.sheet("考勤").edit("A2", 10.0)
    assert [c[1:3] for c in host.xlpy.calls[before:]] == [("LATEFINE", (10.0, fx.MISSING, None))]
    assert book.sheet("考勤").cells["B2"].value == 20


def test_a_renamed_rules_sheet_is_noticed_on_the_next_sheet_activated(sources, dispatch):
    _, vba, book = excel_with_kaohe_cells(sources, dispatch)
    book.sheet("规则").edit("B2", 50.0)
    vba.run("Refresh", [book])
    assert fines(book)[2] == 50  # 6 minutes late
    book.sheet("规则").vba_set("Name", "旧规则")  # no event for a rename
    vba.run("SheetActivated", [book.sheet("考勤")])  # ThisWorkbook's App_SheetActivate
    assert fines(book)[2] == 20  # the default fine again: the workbook has no 规则 now


def test_in_manual_calculation_the_cells_wait_for_f9(sources, dispatch):
    host, vba, book = excel_with_kaohe_cells(sources, dispatch)
    host.app.calculation = vba_host.CONSTANTS["xlcalculationmanual"]
    host.on_change = lambda sheet: vba.run("SheetChanged", [sheet])
    book.sheet("规则").edit("B2", 50.0)
    assert fines(book)[2] == 20 and host.app.calculations == 0
    host.calculate()  # F9
    assert fines(book)[2] == 50


def test_thisworkbook_forwards_excels_events_to_kaohe_rules(sources):
    code = sources["ThisWorkbook"]
    assert re.search(r"^Private WithEvents App As Application$", code, re.M)
    assert re.search(r"Private Sub Workbook_Open\(\)\n(?:.*\n)*?\s+Set App = Application\n", code)
    for event, handler in (("SheetChange(ByVal Sh As Object, ByVal Target As Range)", "SheetChanged Sh"),
                           ("SheetActivate(ByVal Sh As Object)", "SheetActivated Sh"),
                           ("WorkbookOpen(ByVal Wb As Workbook)", "Opened Wb")):
        assert f"Private Sub App_{event}\n    KaoheRules.{handler}\nEnd Sub" in code, event


# --- no code from the folder a workbook came from ---------------------------------------------------

PROBE = ("import sys, json, importlib.util; spec = importlib.util.find_spec('kaohe'); spec and __import__('kaohe'); "
         "print(json.dumps({'path': sys.path, 'kaohe': spec and spec.origin}))")
SERVE = "import xlwings; xlwings.serve('$(CLSID)')"


def python_of(command: str) -> tuple[list[str], str]:
    """The flags and the -c code of the Python a cmd.exe command line starts (cmd hands \\" on as ")."""
    found = re.search(r'"[A-Z]:\\[^"]+\\pythonw\.exe" (?P<flags>(?:-[A-Za-z]+ )+)-c "(?P<code>(?:\\"|[^"])*)"', command)
    return found.group("flags").split(), found.group("code").replace('\\"', '"')


def received_folder(tmp_path) -> Path:
    """What arrived by mail and was unpacked: a workbook beside a `kaohe` package that leaves a mark when run."""
    folder = tmp_path / "收到的文件"
    (folder / "kaohe" / "doors").mkdir(parents=True)
    (folder / "kaohe" / "__init__.py").write_text("open(__file__ + '.ran', 'w').write('ran')\n", encoding="utf-8")
    (folder / "kaohe" / "doors" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "kaohe" / "doors" / "udfs.py").write_text("raise SystemExit('hostile')\n", encoding="utf-8")
    (folder / "考勤.xlsx").write_bytes(b"")
    return folder


def run_in(folder: Path, flags: list[str], code: str) -> dict:
    done = subprocess.run([sys.executable, *flags, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_clean(folder: Path, seen: dict) -> None:
    assert "" not in seen["path"] and "." not in seen["path"]
    assert not [p for p in seen["path"] if Path(p or ".").resolve() == folder.resolve()]
    assert not (seen["kaohe"] or "").startswith(str(folder))
    assert not (folder / "kaohe" / "__init__.py.ran").exists()


@pytest.fixture
def xlwings_in_excel(sources):
    host = installed(vba_host.Excel())
    return host, host.load(sources, "xlwings", "KaoheSetup")


def test_the_udf_server_never_has_the_current_folder_on_sys_path(xlwings_in_excel, tmp_path):
    """The DLL starts the UDF server in Excel's current folder: that of the last workbook opened."""
    _, vba = xlwings_in_excel
    flags, code = python_of(vba.run("XLPyCommand"))
    assert flags == ["-I", "-B"] and code.endswith(SERVE)  # only serve() (Windows COM) is not run here
    folder = received_folder(tmp_path)
    assert_clean(folder, run_in(folder, flags, code[:-len(SERVE)] + PROBE))


def test_runpython_never_has_the_current_folder_on_sys_path(xlwings_in_excel, tmp_path):
    host, vba = xlwings_in_excel
    folder = received_folder(tmp_path)
    seen = []
    host.on_run = lambda command: seen.append(run_in(folder, *python_of(command))) or 0
    vba.run("RunPython", [PROBE])
    (command,) = host.commands
    assert command.startswith(r'cmd.exe /C C: & cd "C:\kaohe\python" & "C:\kaohe\python\pythonw.exe" -I -B -c')
    assert f'2> "{LOGS}\\xlwings-' in command  # the error log in kaohe's own ASCII folder, not a Chinese %TEMP%
    assert_clean(folder, seen[0])


def test_the_control_an_empty_pythonpath_entry_runs_the_received_code(xlwings_in_excel, tmp_path):
    """What xlwings does without kaohe's change: an empty PYTHONPATH setting ends its argument with ';',
    prepare_sys_path puts '' (the current folder) first, and -I does not help."""
    _, vba = xlwings_in_excel
    flags, code = python_of(vba.run("XLPyCommand"))
    folder = received_folder(tmp_path)
    seen = run_in(folder, flags, code[:-len(SERVE)].replace('prepare_sys_path("false")', 'prepare_sys_path("false;;;;;;")') + PROBE)
    assert seen["path"][0] == "" and (folder / "kaohe" / "__init__.py.ran").exists()


def test_one_server_command_for_every_workbook(xlwings_in_excel):
    """The DLL starts one server per distinct command: a command naming the active workbook meant a server
    per workbook typed in."""
    host, vba = xlwings_in_excel
    first = vba.run("XLPyCommand")
    host.active = vba_host.Workbook(host, r"D:\其他\另一个.xlsx", {"表1": {}})
    assert vba.run("XLPyCommand") == first and "考勤" not in first and "另一个" not in first


# --- the installer's decisions, as data ---------------------------------------------------------------

CHECKS = json.loads((ROOT / "scripts" / "install_checks.json").read_text(encoding="utf-8"))
SCRIPT = (ROOT / "scripts" / "install_windows.ps1").read_bytes().decode("utf-8-sig")
CLEAN_PC = {"asr_office_child": 0, "python311": "absent", "ansi_code_page": 936, "office": "excel"}


def decide(facts: dict) -> list[dict]:
    """install_checks.json's rule, as the script's Test-Check applies it: a check applies when its fact is
    one of `when`, or none of `unless`."""
    def applies(check):
        value = facts[check["fact"]]
        return value in check["when"] if "when" in check else value not in check["unless"]
    return [c for c in CHECKS["checks"] if applies(c)]


@pytest.mark.parametrize("pc,outcomes", [
    ({}, []),
    ({"asr_office_child": 1}, [("asr_office_child_processes", "warn")]),  # blocked
    ({"asr_office_child": 6}, [("asr_office_child_processes", "warn")]),  # the user is asked every time
    ({"asr_office_child": 2}, []),  # audit only: nothing is stopped
    ({"python311": "present"}, [("python_311_present", "venv")]),
    ({"ansi_code_page": 1252}, [("non_chinese_locale", "warn")]),
    ({"office": "wps_only"}, [("wps_without_excel", "skip_addin")]),
    ({"office": "none"}, [("no_excel", "warn")]),
    ({"asr_office_child": 1, "python311": "present", "ansi_code_page": 1252},
     [("asr_office_child_processes", "warn"), ("python_311_present", "venv"), ("non_chinese_locale", "warn")]),
])
def test_what_the_installer_decides_for_each_kind_of_pc(pc, outcomes):
    assert [(c["id"], c["outcome"]) for c in decide({**CLEAN_PC, **pc})] == outcomes


def test_each_decision_says_in_chinese_what_to_do():
    by_id = {c["id"]: c["zh"] for c in CHECKS["checks"]}
    assert "{rule}" in by_id["asr_office_child_processes"] and "IT 管理员" in by_id["asr_office_child_processes"]
    assert "排除项" in by_id["asr_office_child_processes"] and "命令行" in by_id["asr_office_child_processes"]
    assert "{python}" in by_id["python_311_present"] and "虚拟环境" in by_id["python_311_present"]
    assert "{value}" in by_id["non_chinese_locale"] and "更改系统区域设置" in by_id["non_chinese_locale"]
    assert "kaohe wps install" in by_id["wps_without_excel"] and "kaohe.exe wps install" in by_id["wps_without_excel"]
    # Microsoft's id of "Block all Office applications from creating child processes"
    assert CHECKS["asr_rule"] == "d4f940ab-401b-4efc-aadc-ad5f3c50688a"


def test_the_script_measures_every_fact_and_acts_on_every_outcome():
    facts = re.search(r"\$facts = @\{(.*?)\n\}", SCRIPT, re.S).group(1)
    assert {c["fact"] for c in CHECKS["checks"]} == set(CHECKS["facts"]) == set(re.findall(r"^\s+(\w+)\s+=", facts, re.M))
    assert 'ConvertFrom-Json' in SCRIPT and '"install_checks.json"' in SCRIPT
    for outcome in {c["outcome"] for c in CHECKS["checks"]} - {"warn"}:
        assert f'$_.outcome -eq "{outcome}"' in SCRIPT, outcome
    assert "-ForegroundColor Yellow" in SCRIPT  # warnings are shown
    assert 'return @($Check.when) -contains $value' in SCRIPT and 'return -not (@($Check.unless) -contains $value)' in SCRIPT
    # after the Python installer, the script checks Python is where it should be, in Chinese
    assert "Python 没有装到 $Target\\python" in SCRIPT


# --- what Insert Function and AutoComplete show ---------------------------------------------------------

def visible_functions(modules: dict[str, str]) -> set[str]:
    """What a worksheet can call: the Public (or undeclared) Functions of standard modules without
    ``Option Private Module`` (ThisWorkbook's are members of the workbook, not worksheet functions)."""
    found = set()
    for name, code in modules.items():
        if name == "ThisWorkbook" or re.search(r"^Option Private Module\b", code, re.M | re.I):
            continue
        found |= set(re.findall(r"^(?:Public\s+)?Function\s+(\w+)\(", code, re.M | re.I))
    return found


def test_insert_function_shows_the_cell_functions_and_no_helper():
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(addin.SHIPPED))  # the shipped add-in (tests/test_addin.py: equal to a fresh build)
    built = {name.rsplit(".", 1)[0]: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()}
    assert visible_functions(built) == {fn.__name__ for fn in udfs.FUNCTIONS}
    for module in ("xlwings", "KaoheSetup", "KaoheRules"):
        assert re.search(r"^Option Private Module\b", built[module], re.M), module
    assert "RunPython" not in visible_functions(built) and "GetConfig" not in visible_functions(built)
    # the control: without Option Private Module, xlwings' helpers would all be worksheet functions
    assert len(visible_functions({"xlwings": built["xlwings"].replace("Option Private Module", "'")})) > 30


# --- a PC whose language for non-Unicode programs is not Chinese, a user named 张三 -----------------------

def test_a_chinese_user_name_on_an_english_pc_finds_the_settings(sources):
    host = installed(vba_host.Excel(), profile=r"C:\Users\张三")
    host.env["TEMP"] = r"C:\Users\张三\AppData\Local\Temp"
    vba = host.load(sources, "xlwings", "KaoheSetup")
    assert vba.run("GetConfig", ["INTERPRETER_WIN"]) == PYTHONW and vba.run("InstallProblem") == ""
    assert vba.run("GetConfig", ["TEMP DIR"]) == LOGS  # xlwings' error log: not under C:\Users\张三
    # the control: VBA's Environ, which xlwings' own lookup used, answers in code page 1252 here
    assert vba.run("GetConfigFilePath") == r"C:\Users\??\.kaohe\kaohe.conf" and vba.run("GetConfigFilePath") not in host.files


def test_every_message_of_kaohe_goes_through_a_unicode_message_box(sources):
    """VBA's MsgBox draws Chinese as ??? where the non-Unicode language is not Chinese: kaohe's modules only
    call Say (WScript.Shell's Popup), which falls back to MsgBox when there is no WScript (and on a Mac)."""
    for name in ("KaoheRibbon", "KaoheRules", "ThisWorkbook"):
        assert "MsgBox" not in sources[name], name
    say = re.search(r"^Public Function Say\(.*?^End Function", sources["KaoheSetup"], re.M | re.S).group(0)
    assert sources["KaoheSetup"].count("= MsgBox(") == say.count("= MsgBox(") == 2
    host = installed(vba_host.Excel())
    host.active = NOTHING
    host.load(sources, "KaoheSetup", "KaoheRibbon").run("KaoheButton", [vba_host.Control("kaohe_compute_month")])
    assert host.popups == [("请先打开要处理的工作簿。在“受保护的视图”中请先点“启用编辑”。", "考勤绩效", 64 | 0x40000)]


def test_without_settings_no_program_is_started_and_the_reason_is_said(sources):
    """No kaohe.conf (say, kaohe installed for another user): xlwings would start `pythonw`, which cmd.exe looks
    for in the current folder first; the add-in says what is wrong instead."""
    host = vba_host.Excel()
    vba = host.load(sources, "xlwings", "KaoheSetup", "KaoheRibbon", "kaohe_udfs")
    vba.run("KaoheButton", [vba_host.Control("kaohe_compute_month")])
    assert "kaohe 没有安装完整" in host.popups[0][0] and r"C:\Users\hr\.kaohe\kaohe.conf" in host.popups[0][0]
    host.app.caller = vba_host.Range(None, [])
    assert vba.run("LATEFINE", [11]).startswith("kaohe 没有安装完整")  # what the cell shows
    assert host.commands == [] and host.run_python == []


# --- the Mac -----------------------------------------------------------------------------------------

MAC = {"Mac": True, "Win64": False, "Win32": False, "MacOffice16": True}
KNOWN_TYPES = {"boolean", "byte", "double", "integer", "long", "longptr", "object", "range", "string", "variant",
               "workbook", "worksheet", "application", "iribboncontrol", "collection", "date", "single", "currency"}


def test_on_a_mac_every_module_compiles_and_cells_and_buttons_say_command_line_only(sources):
    for name, code in sources.items():
        mac = strip_directives(vba_host.loadable(code), module=name, constants=MAC)
        if name != "ThisWorkbook":  # pyOpenVBA does not read WithEvents
            parse_module(mac, name=name)
        declarations = re.sub(r"^\s*Open .*$", "", mac, flags=re.M)  # Open … As #n names a file number
        types = {t.lower() for t in re.findall(r"\b(?:As|New)\s+([A-Za-z]\w*)", declarations)}
        assert types <= KNOWN_TYPES, (name, types - KNOWN_TYPES)  # xlwings' `Dim d As Dictionary` is gone
    host = installed(vba_host.Excel())
    for name in ("xlwings", "KaoheSetup", "KaoheRibbon", "kaohe_udfs"):
        host.vba.add_module(strip_directives(vba_host.loadable(sources[name]), module=name, constants=MAC), name=name)
    host.vba.run("KaoheButton", [vba_host.Control("kaohe_compute_month")])
    (dialog,) = host.vba.dialogs  # MsgBox on a Mac (no WScript there)
    assert "Mac" in dialog[1] and "命令行" in dialog[1] and host.run_python == []
    host.app.caller = vba_host.Range(None, [])
    assert host.vba.run("LATEFINE", [11]) == dialog[1]  # the cell says it too; Python is never started
    assert host.xlpy.calls == []


# --- the buttons -------------------------------------------------------------------------------------

def test_every_dialog_of_a_button_names_its_workbook(tmp_path):
    app, book = open_in_excel(attendance(tmp_path), answers=["2026-11"], confirms=[True], dirty=True)
    ribbon.on_button("kaohe_compute_month", book)
    assert app.messages[0].startswith("已写入：")
    assert len(app.titles) == 3 and set(app.titles) == {"考勤绩效：考勤.xlsx"}  # month, save first?, done


def lock_of(path: Path) -> Path:
    return path.with_name(f".~kaohe.{path.name}.lock")


def test_esc_cancels_a_job_the_workbook_reopened_unchanged_and_the_lock_released(tmp_path):
    path = attendance(tmp_path)
    before, locked = digest(path), []

    def escape():  # Esc held down; the job holds the workbook's lock when it looks
        locked.append(lock_of(path).exists())
        return True

    app, book = open_in_excel(path, answers=["2026-11"], confirms=[True], escape=escape)
    ribbon.on_button("kaohe_compute_month", book)
    assert app.messages == ["已取消：没有写入任何内容。"] and locked[0] is True
    assert kinds(app) == ["open", "close", "confirm", "open", "activate"]  # asked at the first step, reopened
    assert digest(path) == before and not lock_of(path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["~$考勤.xlsx", "考勤.xlsx"]  # no backup, no temporary file


def test_esc_pressed_by_mistake_the_job_goes_on(tmp_path):
    pressed = iter([True])
    app, book = open_in_excel(attendance(tmp_path), answers=["2026-11"], confirms=[False],
                              escape=lambda: next(pressed, False))
    ribbon.on_button("kaohe_compute_month", book)
    assert app.messages[0].startswith("已写入："), app.messages
    assert any("（按 Esc 取消）" in (s or "") for s in app.statuses)


def test_a_python_killed_during_a_job_leaves_the_workbook_reopened_by_the_add_in(sources):
    host = installed(vba_host.Excel())
    vba = host.load(sources, "KaoheSetup", "KaoheRibbon")
    book = host.active
    host.call_global = lambda name, args, named: host.books.remove(book) or 0  # RunPython: closed it, then killed
    vba.run("KaoheButton", [vba_host.Control("kaohe_compute_month")])
    assert host.opened == [r"C:\hr\考勤.xlsx"]
    assert "没有正常结束" in host.popups[0][0] and "考勤.xlsx" in host.popups[0][0]


def test_a_workbook_python_reopened_is_not_opened_twice(sources):
    host = installed(vba_host.Excel())
    host.load(sources, "KaoheSetup", "KaoheRibbon").run("KaoheButton", [vba_host.Control("kaohe_check_leave")])
    assert host.run_python and host.opened == [] and host.popups == []
