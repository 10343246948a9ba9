"""kaohe.xlam: the Excel add-in, built from text on any OS (``kaohe addin build``).

The add-in holds
    - ``xlwings``: the add-in module shipped with the pinned xlwings (xlwings_custom_addin.bas),
      with safety changes made by exact, counted replacements (a different xlwings makes the
      build fail instead of silently skipping them):
        1. settings are never read from the active workbook (its ``kaohe.conf`` sheet or a
           ``kaohe.conf`` beside it): a received workbook cannot redirect the interpreter;
           only the add-in's own sheet and the user's ``%USERPROFILE%\\.kaohe\\kaohe.conf`` count;
        2. the workbook's folder is not put on ``sys.path`` (ADD_WORKBOOK_TO_PYTHONPATH off);
        3. Python starts isolated (``-I``) for RunPython and for the UDF server: Excel's current
           folder (perhaps a received workbook's) is never first on ``sys.path``;
    - ``kaohe_udfs``: exactly the module xlwings' own "Import Functions" (``xlwings.udfs.import_udfs``)
      writes for :mod:`kaohe.doors.udfs` (its ``#Const App`` line included), only named ``kaohe_udfs``:
      xlwings' generator is run here with a stand-in for the COM workbook, so formulas such as
      ``=LATEFINE(A2)`` work in any workbook while the add-in is loaded (no "Import Functions", no
      trust in the VBA project object model);
    - ``KaoheSetup``: ``U`` (Chinese text for VBA, see below) and ``RegisterFunctions``, which
      replays on each opening the ``Application.MacroOptions`` calls xlwings' import makes (the
      Chinese descriptions of each function and argument that Insert Function shows), called from
      ``ThisWorkbook``'s ``Workbook_Open``;
    - ``KaoheRibbon``: the ribbon callback (``macros/kaohe_ribbon.bas``), and
      ``customUI/customUI.xml`` (``macros/customUI.xml``) for the 考勤绩效 tab.

VBA source is stored in the project's code page (1252 here), which cannot hold Chinese: every
``U("中文")`` in the sources is written into the project as ``U("4E2D6587")`` (UTF-16 code units in
hex) and ``U`` turns it back into text with ``ChrW``, whatever the PC's code page.

The VBA project is source-only: ``_VBA_PROJECT`` carries version 0xFFFF and no performance
cache (MS-OVBA 2.3.4.1), so Excel compiles from the text and never runs stale p-code. The build
is reproducible: fixed zip timestamps and member order.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import sys
import tempfile
import types
import zipfile
from pathlib import Path

from kaohe.findings import InputRefused

PACKAGE = Path(__file__).resolve().parents[1]
# The VBA and customUI sources: kaohe/macros inside an installed wheel (pyproject maps the top-level macros/
# there), the repository's top-level macros/ in a source checkout or an editable install.
MACROS = PACKAGE / "macros" if (PACKAGE / "macros").is_dir() else PACKAGE.parents[1] / "macros"
PROJECT = "kaohe"
OFFICE_LIB = ("Office", "{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}", 2, 8)
UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
ADDIN_CT = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
SOURCE_ONLY_VBA_PROJECT = bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00])  # MS-OVBA 2.3.4.1
WINDOWS_ONLY = ("pythoncom", "pywintypes", "win32com", "win32com.client")
MAX_VBA_LINE = 1023

# (old text, new text, how many times the old text must occur)
XLWINGS_PATCHES = (
    ('Public Const PROJECT_NAME As String = "myaddin"', f'Public Const PROJECT_NAME As String = "{PROJECT}"', 1),
    ('GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "true")', '"false" \' kaohe: the workbook folder is never on sys.path', 2),
    ('            If SheetExists(ActiveWorkbook, PROJECT_NAME & ".conf") = True Then',
     "            ' kaohe: settings are never read from the active workbook\n"
     '            If False And SheetExists(ActiveWorkbook, PROJECT_NAME & ".conf") = True Then', 1),
    ('    If source = "" Or source = "directory" Then',
     "    ' kaohe: no kaohe.conf beside the workbook either\n    If False Then", 1),
    (' -B -c ""import', ' -I -B -c ""import', 2),  # RunPython and the UDF server: isolated mode
)


def xlwings_module() -> str:
    """xlwings' add-in module for the pinned version, with kaohe's safety changes."""
    import xlwings

    text = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    for old, new, times in XLWINGS_PATCHES:
        found = text.count(old)
        if found != times:
            raise RuntimeError(f"xlwings {xlwings.__version__}: expected {times}× {old!r}, found {found}")
        text = text.replace(old, new)
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

        xlwings.func, xlwings.arg, xlwings.ret = xl_udfs.xlfunc, xl_udfs.xlarg, xl_udfs.xlret
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


def xlwings_import(module_name: str = "kaohe.doors.udfs") -> ComWorkbook:
    """Run xlwings' own "Import Functions" for ``module_name`` into a :class:`ComWorkbook`."""
    with xlwings_udfs() as (xl_udfs, module):
        xl_udfs.udf_modules[module_name] = {"filename": module.__file__, "filetime": None, "module": module}
        book = ComWorkbook()
        with contextlib.redirect_stdout(io.StringIO()):  # its "Imported functions from …" line
            xl_udfs.import_udfs(module_name, book)
    return book


def udf_wrappers(book: ComWorkbook) -> str:
    """The module xlwings generated, named kaohe_udfs (xlwings calls its own xlwings_udfs)."""
    text = book.module.replace("\r\n", "\n")
    first = 'Attribute VB_Name = "xlwings_udfs"\n'
    if not text.startswith(first):
        raise RuntimeError(f"xlwings' generated module does not start with {first!r}")
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
             "    ' Generated by kaohe.doors.addin from the Application.MacroOptions calls of xlwings' import_udfs.",
             "    On Error Resume Next  ' help text must never stop the add-in from opening"]
    for (macro,), options in calls:
        name = macro.rsplit("!", 1)[1]
        parts = [f"Macro:=\"'\" & ThisWorkbook.Name & \"'!{name}\""]
        parts += [f"{key}:={_vba_value(value)}" for key, value in options.items() if value is not None]
        lines.append("    Application.MacroOptions " + ", _\n        ".join(parts))
    lines += ["    ThisWorkbook.Saved = True", "End Sub", ""]
    return "\n".join(lines)


def sources() -> dict[str, str]:
    """Module name -> VBA source as stored in the project (ASCII), in project order."""
    book = xlwings_import()
    setup = (MACROS / "kaohe_setup.bas").read_text(encoding="utf-8") + registration(book.macro_options)
    found = {"xlwings": xlwings_module(), "kaohe_udfs": udf_wrappers(book), "KaoheSetup": setup,
             "KaoheRibbon": (MACROS / "kaohe_ribbon.bas").read_text(encoding="utf-8"),
             "ThisWorkbook": (MACROS / "ThisWorkbook.cls").read_text(encoding="utf-8")}
    found = {name: ascii_vba(text.replace("\r\n", "\n")) for name, text in found.items()}
    for name, text in found.items():
        long = [line for line in text.split("\n") if len(line) > MAX_VBA_LINE]
        if not text.isascii() or long:
            raise RuntimeError(f"VBA module {name}: non-ASCII text outside U(\"…\") or a line over {MAX_VBA_LINE}")
    return found


def build(out: Path) -> Path:
    """Write kaohe.xlam to ``out`` (a file or a folder)."""
    try:
        from pyopenvba import ExcelFile
        from pyopenvba.cfb import CFB
    except ImportError:
        raise InputRefused('生成加载项需要 pyopenvba：请运行 pip install "kaohe[addin]"',
                           'building the add-in needs pyopenvba: pip install "kaohe[addin]"') from None

    out = Path(out)
    if out.is_dir():
        out = out / "kaohe.xlam"
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "kaohe.xlsm"
        wb = ExcelFile.create_new(seed)
        project = wb.vba_project()
        project.delete_module("Module1")
        for name, text in sources().items():
            text = text.replace("\n", "\r\n")
            if name == "ThisWorkbook":
                project.get_module(name).body = text
            else:
                project.add_module(name, text)
        wb.add_reference(*OFFICE_LIB[:2], OFFICE_LIB[2], OFFICE_LIB[3])
        wb.save()
        wb.close()
        _as_addin(seed, out, CFB)
    return out


def _as_addin(src: Path, dst: Path, cfb_class) -> None:
    """Turn the macro workbook into a source-only add-in with the ribbon; fixed timestamps."""
    ui = (MACROS / "customUI.xml").read_bytes()
    with zipfile.ZipFile(src) as zin:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    types_xml = parts["[Content_Types].xml"].decode("utf-8")
    types_xml = types_xml.replace("application/vnd.ms-excel.sheet.macroEnabled.main+xml", ADDIN_CT)
    parts["[Content_Types].xml"] = types_xml.encode("utf-8")
    rels = parts["_rels/.rels"].decode("utf-8")
    if "customUI/customUI.xml" not in rels:
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdKaoheUI" Type="{UI_REL}" '
                                                  f'Target="customUI/customUI.xml"/></Relationships>')
    parts["_rels/.rels"] = rels.encode("utf-8")
    parts["customUI/customUI.xml"] = ui
    vba = cfb_class.from_bytes(parts["xl/vbaProject.bin"])
    vba.write_stream_in_storage("VBA", "_VBA_PROJECT", SOURCE_ONLY_VBA_PROJECT)
    parts["xl/vbaProject.bin"] = vba.to_bytes()
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dst.parent, suffix=".tmp")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for name, data in parts.items():
                zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                zi.external_attr = 0o644 << 16
                zout.writestr(zi, data, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


SHIPPED = PACKAGE / "kaohe.xlam"


def install(source: Path = SHIPPED) -> str:
    """Windows: copy the add-in to XLSTART, unblock it, and point it at this Python (returns a report)."""
    if sys.platform != "win32":
        return ("kaohe 加载项只能安装在 Windows 的 Excel 中。请在 Windows 上运行 kaohe addin install，"
                "或手动把 kaohe.xlam 放进 Excel 的 XLSTART 文件夹。/ The add-in installs on Windows only; "
                f"the built file is {source}.")
    import ctypes
    import shutil

    interpreter = Path(sys.executable).with_name("pythonw.exe")
    if not interpreter.exists():
        interpreter = Path(sys.executable)
    settings = settings_bytes(interpreter, f"cp{ctypes.windll.kernel32.GetACP()}")  # refuses before copying
    xlstart = Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True, exist_ok=True)
    target = xlstart / "kaohe.xlam"
    shutil.copyfile(source, target)
    try:
        os.remove(str(target) + ":Zone.Identifier")  # the "downloaded from the internet" block
    except OSError:
        pass
    conf = Path(os.environ["USERPROFILE"]) / f".{PROJECT}" / f"{PROJECT}.conf"
    conf.parent.mkdir(exist_ok=True)
    conf.write_bytes(settings)
    return f"已安装：{target}\n设置：{conf}\n请重新打开 Excel，功能区会出现“考勤绩效”选项卡。"


def settings_bytes(interpreter: Path, code_page: str) -> bytes:
    """kaohe.conf as the add-in's VBA reads it (``Input #``: the ANSI code page, ``"KEY","value"`` lines).

    Only the interpreter is set: the cell functions are in the add-in (no UDF_MODULES) and the
    workbook's folder is kept off sys.path by the add-in itself. A path the code page cannot hold
    would reach Python garbled, so it is refused.
    """
    text = f'"INTERPRETER_WIN","{interpreter}"\r\n'
    try:
        return text.encode(code_page)
    except UnicodeEncodeError:
        raise InputRefused(f"Python 的路径含有本机代码页（{code_page}）无法表示的字符：{interpreter}。"
                           "请把 Python 装在只含英文字母的路径下，例如 C:\\kaohe\\python",
                           f"the Python path cannot be written in this PC's code page {code_page}: {interpreter}; "
                           "install Python under an ASCII path such as C:\\kaohe\\python") from None
