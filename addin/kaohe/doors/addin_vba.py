"""The add-in's VBA, as text: what :mod:`kaohe.doors.addin` builds into kaohe.xlam.

    - ``xlwings``: the add-in module shipped with the pinned xlwings (xlwings_custom_addin.bas), with
      kaohe's changes made by exact, counted replacements of lines (:data:`XLWINGS_PATCHES`) and of
      whole procedures (:data:`XLWINGS_PROCEDURES`): a different xlwings makes the build fail instead of
      silently skipping them.
        1. ``Option Private Module``: its 30-odd helpers (RunPython, GetConfig …) stay out of Insert
           Function and AutoComplete;
        2. settings come from the add-in only (``GetConfig`` is ``KaoheSetup.Setting``): the user's
           ``%USERPROFILE%\\.kaohe\\kaohe.conf`` found through Unicode APIs and read once per Excel
           session, never the active workbook's ``kaohe.conf`` sheet or a file beside it, and a
           missing interpreter is an error rather than whatever ``pythonw`` the current folder holds;
        3. nothing on ``sys.path``: ``prepare_sys_path`` gets ``"false"`` (no workbook folder, and no
           empty entry, which would be the current folder), and Python starts isolated (``-I``), for
           RunPython and for the UDF server;
        4. the UDF server command is built once and names no workbook: one server per Excel instance
           (the DLL starts a server per distinct command);
        5. ``%TEMP%`` through WScript.Shell (Unicode), and the Mac's ``Dim d As Dictionary`` (a class
           xlwings ships separately) replaced, so the module compiles there; on a Mac, Python is never
           started: cells and buttons say kaohe runs there from the command line only;
    - ``kaohe_udfs``: the module xlwings' own "Import Functions" (``xlwings.udfs.import_udfs``) writes for
      :mod:`kaohe.doors.udfs` (its ``#Const App`` line included), named ``kaohe_udfs``, with every argument
      of the Excel branch passed through ``CellValue``: a range reaches Python as its values, never as a
      Range Python would have to ask Excel about (xlwings' reading of one costs ten round trips);
    - ``KaoheSetup`` (``macros/kaohe_setup.bas``): ``U`` (Chinese text, see below), ``Say`` (a Unicode
      message box), ``CellValue``, ``Setting``, and ``RegisterFunctions``, which replays on each opening
      the ``Application.MacroOptions`` calls xlwings' import makes (the Chinese help of each function
      and argument in Insert Function);
    - ``KaoheRules`` (``macros/kaohe_rules.bas``): recalculates kaohe's cells when their workbook's 规则 or
      节假日 changes (the functions are not volatile), with the function and sheet names generated here;
    - ``KaoheRibbon`` (``macros/kaohe_ribbon.bas``): the ribbon callback, with the static texts of 帮助 and
      导入函数 generated here from :mod:`kaohe.doors.ribbon`; ``ThisWorkbook`` (``macros/ThisWorkbook.cls``).

VBA source is stored in the project's code page (1252 here), which cannot hold Chinese: every
``U("中文")`` in the sources is written into the project as ``U("4E2D6587")`` (UTF-16 code units in
hex) and ``U`` turns it back into text with ``ChrW``, whatever the PC's code page.
"""
from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import re
import sys
import types
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
# The VBA and customUI sources: kaohe/macros inside an installed wheel (pyproject maps the top-level macros/
# there), the repository's top-level macros/ in a source checkout or an editable install.
MACROS = PACKAGE / "macros" if (PACKAGE / "macros").is_dir() else PACKAGE.parents[1] / "macros"
PROJECT = "kaohe"
WINDOWS_ONLY = ("pythoncom", "pywintypes", "win32com", "win32com.client")
MAX_VBA_LINE = 1023
UDF_MODULE = "kaohe.doors.udfs"

_NO_PATH = ("        PYTHONPATH = \"false\" ' kaohe: nothing on sys.path (no workbook folder, no empty entry, "
            "which is the current folder); the same command for every workbook")
_PYTHONPATH = 'PYTHONPATH = AddExcelDir & ";" & {active} & ";" & {this} & ";" & GetConfig("ONEDRIVE_CONSUMER_{os}") & ' \
              '";" & GetConfig("ONEDRIVE_COMMERCIAL_{os}") & ";" & GetConfig("SHAREPOINT_{os}") & ";" & GetConfig("PYTHONPATH")'

# (old text, new text, how many times the old text must occur)
XLWINGS_PATCHES = (
    ('Public Const PROJECT_NAME As String = "myaddin"', f'Public Const PROJECT_NAME As String = "{PROJECT}"', 1),
    ("#Const App = \"Microsoft Excel\" 'Adjust when using outside of Excel\n",
     "#Const App = \"Microsoft Excel\" 'Adjust when using outside of Excel\n"
     "Option Private Module ' kaohe: these helpers stay out of Insert Function and AutoComplete\n", 1),
    ('GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "true")', '"false" \' kaohe: the workbook folder is never on sys.path', 2),
    ("        " + _PYTHONPATH.format(active="ActiveFullName", this="ThisFullName", os="MAC"), _NO_PATH, 1),
    ("        " + _PYTHONPATH.format(active="ActiveFullName", this="ThisFullName", os="WIN"), _NO_PATH, 1),
    ("        " + _PYTHONPATH.format(active="ActiveWorkbook.FullName", this="ThisWorkbook.FullName", os="WIN"), _NO_PATH, 1),
    ('        PYTHONPATH = FName & ";" & ";" & GetConfig("ONEDRIVE_CONSUMER_WIN") & ";" & GetConfig("ONEDRIVE_COMMERCIAL_WIN")'
     ' & ";" & GetConfig("SHAREPOINT_WIN") & ";" & GetConfig("PYTHONPATH")', _NO_PATH, 1),  # other Office apps
    (' -B -c ""import', ' -I -B -c ""import', 2),  # RunPython and the UDF server: isolated mode
    ('TempDir = GetConfig("TEMP DIR", Environ("Temp"))',
     'TempDir = GetConfig("TEMP DIR", WScript.ExpandEnvironmentStrings("%TEMP%")) \' kaohe: Environ is not Unicode', 1),
    ("    Dim d As Dictionary\n    Set d = New Dictionary",
     "    Dim d As Object ' kaohe: xlwings' Dictionary class for the Mac is not shipped (and this is never called)\n"
     '    Set d = CreateObject("Scripting.Dictionary")', 1),
)

# The first line of a procedure of the xlwings module -> what replaces it, to its End line.
XLWINGS_PROCEDURES = {
    "Function XLPy()": """Function XLPy()
    ' kaohe: on a Mac Python is never started. On Windows the DLL is loaded and the server command built once
    ' per Excel session (no settings read per cell), one command for every workbook: one server per Excel.
    #If Mac Then
        Err.Raise 1000, Description:=InstallProblem()
    #End If
    If KaoheServer = "" Then
        XLPyLoadDLL
        KaoheServer = XLPyCommand
    End If
    If 0 <> XLPyDLLActivateAuto(XLPy, KaoheServer, 1) Then Err.Raise 1000, Description:=XLPy
End Function""",
    'Function GetConfig(configKey As String, Optional default As String = "", Optional source As String = "") As Variant':
        """Function GetConfig(configKey As String, Optional default As String = "", Optional source As String = "") As Variant
    ' kaohe: the add-in's own settings only (KaoheSetup.Setting), never the active workbook's sheet or folder;
    ' True and False as Booleans, which is how xlwings' callers compare them (= True)
    GetConfig = Setting(configKey, default)
    If LCase$(GetConfig) = "true" Or LCase$(GetConfig) = "false" Then GetConfig = (LCase$(GetConfig) = "true")
End Function""",
}


def replace_procedure(text: str, first: str, new: str) -> str:
    """``text`` with the one procedure whose first line is ``first`` replaced, to its ``End`` line, by ``new``."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line == first]
    if len(starts) != 1:
        raise RuntimeError(f"expected one procedure {first!r}, found {len(starts)}")
    end = "End " + first.split()[0]
    stop = next(i for i in range(starts[0], len(lines)) if lines[i] == end)
    return "\n".join(lines[:starts[0]] + new.split("\n") + lines[stop + 1:])


def xlwings_module() -> str:
    """xlwings' add-in module for the pinned version, with kaohe's changes."""
    import xlwings

    text = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text(encoding="utf-8").replace("\r\n", "\n")
    for old, new, times in XLWINGS_PATCHES:
        found = text.count(old)
        if found != times:
            raise RuntimeError(f"xlwings {xlwings.__version__}: expected {times}× {old!r}, found {found}")
        text = text.replace(old, new)
    for first, new in XLWINGS_PROCEDURES.items():
        text = replace_procedure(text, first, new)
    return text


class _Stub(types.ModuleType):
    """A Windows-only module off Windows: any name is an exception class (xlwings only catches them)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return type(name, (Exception,), {})


@contextlib.contextmanager
def xlwings_udfs():
    """``(xlwings.udfs, kaohe.doors.udfs)`` usable on any OS, restored afterwards.

    xlwings.udfs imports pywin32 at the top: the modules not installed are stubbed (names already
    in ``sys.modules`` are kept, so a caller may put fuller stand-ins there first). kaohe.doors.udfs is
    reloaded under xlwings' real decorators, so each function carries its ``__xlfunc__`` record.
    """
    import xlwings

    saved = {n: sys.modules.get(n) for n in (*WINDOWS_ONLY, "xlwings.udfs")}
    decorators = (xlwings.func, xlwings.arg, xlwings.ret)
    try:
        for name in WINDOWS_ONLY:
            sys.modules.setdefault(name, _Stub(name))
        import xlwings.udfs as xl_udfs

        xlwings.func, xlwings.arg, xlwings.ret = xl_udfs.xlfunc, xl_udfs.xlarg, xl_udfs.xlret  # type: ignore[assignment]
        import kaohe.doors.udfs

        yield xl_udfs, importlib.reload(kaohe.doors.udfs)
    finally:
        xlwings.func, xlwings.arg, xlwings.ret = decorators
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
        import kaohe.doors.udfs

        importlib.reload(kaohe.doors.udfs)


class ComWorkbook:
    """What xlwings' ``import_udfs`` talks to instead of the add-in's COM workbook: keeps the module
    it imports and the ``Application.MacroOptions`` calls it makes."""

    Name = "kaohe.xlam"

    def __init__(self):
        self.module = ""
        self.macro_options: list[tuple[tuple, dict]] = []
        self.VBProject = types.SimpleNamespace(VBComponents=self)
        self.Application = types.SimpleNamespace(Version="16.0", MacroOptions=self._macro_options)

    def __call__(self, name):  # VBComponents("xlwings_udfs"): there is none to replace
        return None

    def Remove(self, component):
        pass

    def Import(self, path):
        self.module = Path(path).read_text()

    def _macro_options(self, *args, **kwargs):
        self.macro_options.append((args, kwargs))


def xlwings_import(module_name: str = UDF_MODULE) -> ComWorkbook:
    """Run xlwings' own "Import Functions" for ``module_name`` into a :class:`ComWorkbook`."""
    with xlwings_udfs() as (xl_udfs, module):
        xl_udfs.udf_modules[module_name] = {"filename": module.__file__, "filetime": None, "module": module}
        book = ComWorkbook()
        with contextlib.redirect_stdout(io.StringIO()):  # its "Imported functions from …" line
            xl_udfs.import_udfs(module_name, book)
    return book


# The Excel branch's call of each wrapper: NAME = XLPy.CallUDF("kaohe.doors.udfs", "NAME", Array(a, b, Nothing), …)
EXCEL_CALL = re.compile(r'^(\s+(\w+) = XLPy\.CallUDF\("kaohe\.doors\.udfs", "\2", Array\()([^)]*)'
                        r'(\), ActiveWorkbook, Application\.Caller\))$', re.M)


def _values_of(call: re.Match) -> str:
    args = ", ".join(a if a == "Nothing" else f"CellValue({a})" for a in call.group(3).split(", "))
    return call.group(1) + args + call.group(4)


def udf_wrappers(book: ComWorkbook) -> str:
    """The module xlwings generated, named kaohe_udfs (xlwings calls its own xlwings_udfs), every argument of
    the Excel branch passed through ``CellValue``."""
    from kaohe.doors.udfs import FUNCTIONS

    text = book.module.replace("\r\n", "\n")
    first = 'Attribute VB_Name = "xlwings_udfs"\n'
    if not text.startswith(first):
        raise RuntimeError(f"xlwings' generated module does not start with {first!r}")
    text, calls = EXCEL_CALL.subn(_values_of, text)
    if calls != len(FUNCTIONS):
        raise RuntimeError(f"expected {len(FUNCTIONS)} calls of XLPy.CallUDF with Application.Caller, found {calls}")
    return 'Attribute VB_Name = "kaohe_udfs"\n' + text[len(first):]


def hex_text(text: str) -> str:
    """Text as UTF-16 code units in hex, four digits each: what ``U`` in KaoheSetup decodes."""
    data = text.encode("utf-16-be")
    return data.hex().upper()


def ascii_vba(source: str) -> str:
    """Every ``U("中文")`` literal of a VBA source as ``U("4E2D6587")``."""
    return re.sub(r'\bU\("([^"]*)"\)', lambda m: f'U("{hex_text(m.group(1))}")', source)


def _vba_value(value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "Array( _\n            " + ", _\n            ".join(_vba_value(v) for v in value) + ")"
    return f'U("{value}")'


def registration(calls: list[tuple[tuple, dict]]) -> str:
    """``RegisterFunctions``: xlwings' MacroOptions calls, replayed in VBA (None arguments omitted)."""
    lines = ["", "Public Sub RegisterFunctions()",
             "    ' Generated by kaohe.doors.addin_vba from the Application.MacroOptions calls of xlwings' import_udfs.",
             "    On Error Resume Next  ' help text must never stop the add-in from opening"]
    for (macro,), options in calls:
        name = macro.rsplit("!", 1)[1]
        parts = [f"Macro:=\"'\" & ThisWorkbook.Name & \"'!{name}\""]
        parts += [f"{key}:={_vba_value(value)}" for key, value in options.items() if value is not None]
        lines.append("    Application.MacroOptions " + ", _\n        ".join(parts))
    lines += ["    ThisWorkbook.Saved = True", "End Sub", ""]
    return "\n".join(lines)


def rules_names() -> str:
    """``CellFunctions`` and ``RulesSheetNames`` for KaoheRules: the functions that read their workbook's rules
    sheets (those with a ``caller``) and those sheets' names, ``|``-separated."""
    from kaohe.doors.cells import CELL_SHEETS
    from kaohe.doors.udfs import FUNCTIONS

    calls = "|".join(f"{f.__name__}(" for f in FUNCTIONS if "caller" in inspect.signature(f).parameters)
    sheets = " & \"|\" & ".join(f'U("{name}")' for name in CELL_SHEETS)
    return "\n".join([
        "", "Private Function CellFunctions() As String",
        "    ' Generated by kaohe.doors.addin_vba: the cell functions that read their workbook's rules sheets.",
        f'    CellFunctions = "|{calls}|"', "End Function", "",
        "Private Function RulesSheetNames() As String",
        "    ' Generated by kaohe.doors.addin_vba from the workbook contract.",
        f'    RulesSheetNames = "|" & {sheets} & "|"', "End Function", ""])


def static_texts() -> str:
    """``StaticText`` for KaoheRibbon: what 帮助 and 导入函数 show (kaohe.doors.ribbon), without Python."""
    from kaohe.doors.ribbon import STATIC_TEXTS

    lines = ["", "Private Function StaticText(ByVal id As String) As String",
             "    ' Generated by kaohe.doors.addin_vba from kaohe.doors.ribbon.STATIC_TEXTS.",
             "    Select Case id"]
    for button, text in STATIC_TEXTS.items():
        lines.append(f'    Case "{button}"')
        first, *rest = text.split("\n")
        lines.append(f'        StaticText = U("{first}")')
        lines += [f'        StaticText = StaticText & vbLf & U("{line}")' for line in rest]
    lines += ["    End Select", "End Function", ""]
    return "\n".join(lines)


def sources() -> dict[str, str]:
    """Module name -> VBA source as stored in the project (ASCII), in project order."""
    book = xlwings_import()

    def macro(name: str) -> str:
        return (MACROS / name).read_text(encoding="utf-8")

    found = {"xlwings": xlwings_module(), "kaohe_udfs": udf_wrappers(book),
             "KaoheSetup": macro("kaohe_setup.bas") + registration(book.macro_options),
             "KaoheRules": macro("kaohe_rules.bas") + rules_names(),
             "KaoheRibbon": macro("kaohe_ribbon.bas") + static_texts(),
             "ThisWorkbook": macro("ThisWorkbook.cls")}
    found = {name: ascii_vba(text.replace("\r\n", "\n")) for name, text in found.items()}
    for name, text in found.items():
        long = [line for line in text.split("\n") if len(line) > MAX_VBA_LINE]
        if not text.isascii() or long:
            raise RuntimeError(f"VBA module {name}: non-ASCII text outside U(\"…\") or a line over {MAX_VBA_LINE}")
    return found
