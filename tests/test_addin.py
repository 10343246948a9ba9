"""kaohe.xlam built from text: reproducible, source-only VBA equal to its sources, ribbon and UDF wrappers in it."""
import inspect
import io
import re
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import VBA_Parser

from kaohe.doors import addin, addin_vba, udfs
from kaohe.doors.cli import main

ROOT = Path(__file__).resolve().parents[1]
VBA_RESERVED = {"and", "as", "boolean", "byref", "byte", "byval", "call", "case", "const", "currency", "date", "declare",
                "dim", "do", "double", "each", "else", "elseif", "empty", "end", "enum", "eqv", "erase", "error", "event",
                "exit", "false", "for", "friend", "function", "get", "global", "gosub", "goto", "if", "imp", "implements",
                "in", "integer", "is", "let", "like", "long", "loop", "lset", "me", "mod", "new", "next", "not", "nothing",
                "null", "on", "option", "optional", "or", "paramarray", "preserve", "private", "public", "raiseevent",
                "redim", "rem", "resume", "return", "rset", "select", "set", "single", "static", "step", "stop", "string",
                "sub", "then", "to", "true", "type", "typeof", "until", "variant", "wend", "while", "with", "xor"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return addin.build(tmp_path_factory.mktemp("addin") / "kaohe.xlam")


def modules(path):
    parser = VBA_Parser(str(path))
    return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}


def norm(text):
    lines = text.replace("\r\n", "\n").strip().split("\n")
    return "\n".join(line for line in lines if not line.startswith("Attribute VB_"))


def test_shipped_addin_matches_a_fresh_build():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_addin.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_same_sources_same_bytes(built, tmp_path):
    assert addin.build(tmp_path / "again.xlam").read_bytes() == built.read_bytes()


def test_vba_extracted_by_olevba_equals_the_sources(built):
    found = modules(built)
    for name, text in addin_vba.sources().items():
        assert norm(found[name]) == norm(text), name


def test_source_only_vba_project(built):
    with zipfile.ZipFile(built) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    stream = ole.openstream("VBA/_VBA_PROJECT").read()
    assert stream == bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00])  # version 0xFFFF, no p-code cache


def test_package_is_an_addin_with_the_ribbon(built):
    with zipfile.ZipFile(built) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("_rels/.rels").decode()
        ui = z.read("customUI/customUI.xml")
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
    assert 'Target="customUI/customUI.xml"' in rels and "ui/extensibility" in rels
    assert ui == (addin_vba.MACROS / "customUI.xml").read_bytes()


def test_every_cell_function_has_its_wrapper(built):
    wrappers = modules(built)["kaohe_udfs"]
    for fn in udfs.FUNCTIONS:
        assert re.search(rf"^Function {fn.__name__}\(", wrappers, re.M), fn.__name__
        assert f'XLPy.CallUDF("kaohe.doors.udfs", "{fn.__name__}"' in wrappers
    params = re.findall(r"^Function \w+\(([^)]*)\)", wrappers, re.M)
    names = {p.replace("Optional ", "").strip().lower() for sig in params for p in sig.split(",") if p.strip()}
    assert not names & VBA_RESERVED, names & VBA_RESERVED


def code_lines(procedure: str) -> list[str]:
    """A procedure's statements: comments and blank lines left out."""
    return [line.strip() for line in procedure.split("\n") if line.strip() and not line.strip().startswith("'")]


def procedure(module: str, first: str) -> str:
    return re.search(rf"^{re.escape(first)}.*?^End (Function|Sub)", module, re.M | re.S).group(0)


def test_xlwings_module_safety_changes(built):
    xl = modules(built)["xlwings"]
    assert 'PROJECT_NAME As String = "kaohe"' in xl
    assert re.search(r"^Option Private Module\b", xl, re.M)  # its helpers stay out of Insert Function
    assert 'GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "true")' not in xl
    # settings: the add-in's own only, never a sheet of the active workbook or a file beside it
    assert code_lines(procedure(xl, "Function GetConfig("))[1:-1] == [
        "GetConfig = Setting(configKey, default)",
        'If LCase$(GetConfig) = "true" Or LCase$(GetConfig) = "false" Then GetConfig = (LCase$(GetConfig) = "true")']
    # nothing on sys.path, and a command that names no workbook (one UDF server per Excel)
    assert xl.count('PYTHONPATH = "false"') == 4 and 'GetConfig("PYTHONPATH")' not in xl
    assert code_lines(procedure(xl, "Function XLPy()"))[-6:-1] == [  # the command built once per session
        'If KaoheServer = "" Then', "XLPyLoadDLL", "KaoheServer = XLPyCommand", "End If",
        "If 0 <> XLPyDLLActivateAuto(XLPy, KaoheServer, 1) Then Err.Raise 1000, Description:=XLPy"]
    assert 'Lib "xlwings64-0.37.8.dll"' in xl  # the pinned DLL version
    assert xl.count(' -I -B -c ""import') == 2 and " -B -c" not in xl.replace(" -I -B -c", "")  # RunPython, UDF server
    assert 'Environ("Temp")' not in xl and "As Dictionary" not in xl


def test_office_reference_for_iribboncontrol(built, tmp_path):
    from pyopenvba import ExcelFile

    copy = tmp_path / "k.xlsm"
    copy.write_bytes(built.read_bytes())
    with ExcelFile(copy) as wb:
        assert "Office" in [r.name for r in wb.references()]


def test_libreoffice_loads_the_vba_project(built, tmp_path):
    import subprocess as sp

    profile = tmp_path / "profile"
    out = tmp_path / "out"
    sp.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
            "--infilter=Calc MS Excel 2007 XML", "--convert-to", "ods", "--outdir", str(out), str(built)],
           check=True, capture_output=True, timeout=240)
    names = zipfile.ZipFile(out / "kaohe.ods").namelist()
    for module in ("xlwings", "kaohe_udfs", "KaoheSetup", "KaoheRibbon"):
        assert f"Basic/VBAProject/{module}.xml" in names


def test_addin_install_explains_itself_off_windows(capsys, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["addin", "install"]) == 0
    assert "Windows" in capsys.readouterr().out


# --- what Excel compiles and runs ---------------------------------------------------------------

VBA_BUILTIN_CONSTANTS = {"vba6", "vba7", "win16", "win32", "win64", "mac", "mac_office_version"}


def test_every_conditional_constant_is_defined_in_its_module(built):
    """A #Const is private to its module: `#If App` in a module without `#Const App` compiles the #Else branch."""
    for name, code in modules(built).items():
        defined = {m.lower() for m in re.findall(r"^\s*#Const\s+(\w+)", code, re.M | re.I)}
        for expr in re.findall(r"^\s*#(?:Else)?If\s+(.*?)\s+Then", code, re.M | re.I):
            words = {w.lower() for w in re.findall(r"[A-Za-z_]\w*", re.sub(r'"[^"]*"', "", expr))}
            undefined = words - {"and", "or", "not", "xor"} - VBA_BUILTIN_CONSTANTS - defined
            assert not undefined, f"{name}: #If {expr} uses {undefined} without #Const"
    assert '#Const App = "Microsoft Excel"' in modules(built)["kaohe_udfs"]


def test_every_wrapper_passes_values_and_application_caller_in_its_excel_branch(built):
    code = modules(built)["kaohe_udfs"]
    for fn in udfs.FUNCTIONS:
        name = fn.__name__
        body = re.search(rf"^Function {name}\(.*?^End Function", code, re.M | re.S).group(0)
        excel, _ = body.split('#If App = "Microsoft Excel" Then', 1)[1].split("#Else", 1)
        call = re.search(rf'{name} = XLPy\.CallUDF\("kaohe\.doors\.udfs", "{name}", Array\((.*)\), (\w+), (\S+)\)\r?$', excel, re.M)
        assert call and call.group(2) == "ActiveWorkbook" and call.group(3) == "Application.Caller", name
        params = list(inspect.signature(fn).parameters)
        passed = [a.strip() for a in call.group(1).split(", ")]
        # call_udf fills in the caller; a range argument reaches Python as its values (KaoheSetup.CellValue)
        assert passed == [("Nothing" if p == "caller" else f"CellValue({p})") for p in params], name
        assert "Application.Volatile" not in body, name  # recalculated by the add-in when 规则 changes (KaoheRules)


def _decode(hex_text):
    return bytes.fromhex(hex_text).decode("utf-16-be")


def test_wrapper_module_is_what_xlwings_import_functions_writes(built):
    """xlwings' own import_udfs, run here against a recording stand-in for the COM workbook."""
    class Book:
        Name = "kaohe.xlam"

        def __init__(self):
            self.VBProject = types.SimpleNamespace(VBComponents=self)
            self.Application = types.SimpleNamespace(Version="16.0", MacroOptions=lambda *a, **k: None)
            self.imported = None

        def __call__(self, name):
            return name

        def Remove(self, component):
            pass

        def Import(self, path):
            self.imported = Path(path).read_text()

    book = Book()
    with addin_vba.xlwings_udfs() as (xl_udfs, module):
        xl_udfs.udf_modules["kaohe.doors.udfs"] = {"filename": module.__file__, "filetime": None, "module": module}
        xl_udfs.import_udfs("kaohe.doors.udfs", book)
    expected = book.imported.replace("\r\n", "\n").rstrip("\n").split("\n")
    found = modules(built)["kaohe_udfs"].replace("\r\n", "\n").rstrip("\n").split("\n")
    assert expected[0] == 'Attribute VB_Name = "xlwings_udfs"' and found[0] == 'Attribute VB_Name = "kaohe_udfs"'
    assert expected[2] == '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel'
    assert len(found) == len(expected)
    changed = 0  # the one change: each argument of the Excel branch's call passed through CellValue
    for wrote, built_line in zip(expected[1:], found[1:]):
        if wrote != built_line:
            call = re.fullmatch(r'(\s+\w+ = XLPy\.CallUDF\("kaohe\.doors\.udfs", "\w+", Array\()(.*)'
                                r'(\), ActiveWorkbook, Application\.Caller\))', wrote)
            assert call, wrote
            args = ", ".join(a if a == "Nothing" else f"CellValue({a})" for a in call.group(2).split(", "))
            assert built_line == call.group(1) + args + call.group(3)
            changed += 1
    assert changed == len(udfs.FUNCTIONS)


ARGUMENT_HELP = {  # what Insert Function shows for each argument, in order (caller is Excel's, not the user's)
    "LATEFINE": 2, "MONTHLATEFINE": 2, "ABSENTDAYS": 1, "LATESTATUS": 1, "LATEMINUTES": 2, "EARLYMINUTES": 2, "DAYTYPE": 2,
    "WORKDAYS": 2, "LEAVEDAYS": 6, "LEAVECHECK": 13, "ANNUALLEAVE": 4, "DAILYWAGE": 1, "OTPAY": 3,
    "KPIPOINTS": 5, "KPISCORE": 2,
}


def test_macro_options_register_chinese_help_for_all_14_functions(built):
    code = modules(built)["KaoheSetup"].replace(" _\r\n", " ").replace(" _\n", " ")
    calls = {m.group(1): m.group(0) for m in re.finditer(
        r"Application\.MacroOptions Macro:=\"'\" & ThisWorkbook\.Name & \"'!(\w+)\".*", code)}
    assert set(calls) == {fn.__name__ for fn in udfs.FUNCTIONS} == set(ARGUMENT_HELP)
    for fn in udfs.FUNCTIONS:
        call = calls[fn.__name__]
        description = _decode(re.search(r'Description:=U\("(\w+)"\)', call).group(1))
        assert description == fn.__doc__[:255] and re.search("[\u4e00-\u9fff]", description)
        assert _decode(re.search(r'Category:=U\("(\w+)"\)', call).group(1)) == "考勤绩效"
        args = [_decode(h) for h in re.findall(r'U\("(\w+)"\)', call.split("ArgumentDescriptions:=", 1)[1])]
        assert len(args) == ARGUMENT_HELP[fn.__name__], fn.__name__
        assert all(re.search("[\u4e00-\u9fff]", a) for a in args), (fn.__name__, args)
    assert re.search(r"Private Sub Workbook_Open\(\)\s+KaoheSetup\.RegisterFunctions", modules(built)["ThisWorkbook"])


def test_vba_text_is_ascii_and_chinese_survives_as_hex():
    for name, text in addin_vba.sources().items():
        assert text.isascii(), name
    assert addin_vba.ascii_vba('MsgBox U("考勤"), , U("")') == 'MsgBox U("800352E4"), , U("")'
    ribbon = addin_vba.sources()["KaoheRibbon"]
    assert "请先保存" in "".join(_decode(h) for h in re.findall(r'U\("(\w+)"\)', ribbon))


def test_settings_are_utf16_whatever_the_code_page():
    """The add-in reads kaohe.conf with FileSystemObject in UTF-16 (KaoheSetup.Setting): any code page."""
    data = addin.settings_bytes(r"C:\kaohe\python\pythonw.exe", r"C:\kaohe\python\kaohe-temp", "cp1252")
    assert data[:2] == b"\xff\xfe"  # the byte-order mark of UTF-16 little-endian
    assert data[2:].decode("utf-16-le") == ('"INTERPRETER_WIN","C:\\kaohe\\python\\pythonw.exe"\r\n'
                                            '"TEMP DIR","C:\\kaohe\\python\\kaohe-temp"\r\n')
    chinese = addin.settings_bytes(r"C:\考勤\python\pythonw.exe", r"C:\考勤\python\kaohe-temp", "cp936")
    assert r'"INTERPRETER_WIN","C:\考勤\python\pythonw.exe"' in chinese[2:].decode("utf-16-le")


def test_a_python_path_the_code_page_cannot_hold_is_refused_naming_it():
    """The interpreter still passes through ANSI calls (the xlwings DLL's command, LoadLibraryA)."""
    with pytest.raises(addin.InputRefused) as refused:
        addin.settings_bytes(r"C:\考勤\python\pythonw.exe", r"C:\kaohe-temp", "cp1252")
    assert r"C:\考勤\python\pythonw.exe" in refused.value.zh and "cp1252" in refused.value.zh


def test_build_without_the_addin_extra_names_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "pyopenvba", None)  # not installed: `import pyopenvba` raises ImportError
    assert main(["addin", "build", "--out", str(tmp_path)]) == 2
    assert 'pip install "kaohe[addin]"' in capsys.readouterr().err
    assert not (tmp_path / "kaohe.xlam").exists()
