"""kaohe.xlam: the Excel add-in, built from text on any OS (``kaohe addin build``), and its install on Windows.

The VBA it holds is :mod:`kaohe.doors.addin_vba` (xlwings' add-in module with kaohe's changes, the cell
functions' wrappers, kaohe's own modules); ``customUI/customUI.xml`` (``macros/customUI.xml``) is the
考勤绩效 tab.

The VBA project is source-only: ``_VBA_PROJECT`` carries version 0xFFFF and no performance
cache (MS-OVBA 2.3.4.1), so Excel compiles from the text and never runs stale p-code. The build
is reproducible: fixed zip timestamps and member order.
"""
from __future__ import annotations

import codecs
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from kaohe.doors.addin_vba import MACROS, PACKAGE, PROJECT, sources
from kaohe.findings import InputRefused

OFFICE_LIB = ("Office", "{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}", 2, 8)
UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
ADDIN_CT = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
SOURCE_ONLY_VBA_PROJECT = bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00])  # MS-OVBA 2.3.4.1


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
    logs = Path(sys.prefix) / "kaohe-temp"
    settings = settings_bytes(interpreter, logs, f"cp{ctypes.windll.kernel32.GetACP()}")  # refuses before copying
    xlstart = Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True, exist_ok=True)
    target = xlstart / "kaohe.xlam"
    shutil.copyfile(source, target)
    try:
        os.remove(str(target) + ":Zone.Identifier")  # the "downloaded from the internet" block
    except OSError:
        pass
    logs.mkdir(exist_ok=True)
    conf = Path(os.environ["USERPROFILE"]) / f".{PROJECT}" / f"{PROJECT}.conf"
    conf.parent.mkdir(exist_ok=True)
    conf.write_bytes(settings)
    return f"已安装：{target}\n设置：{conf}\n请重新打开 Excel，功能区会出现“考勤绩效”选项卡。"


def settings_bytes(interpreter: Path, logs: Path, code_page: str) -> bytes:
    """kaohe.conf as the add-in reads it (``KaoheSetup.Setting``): ``"KEY","value"`` lines in UTF-16 with a
    BOM, read through Unicode APIs whatever the PC's code page (a Chinese user name included).

    The interpreter and the folder for xlwings' error log (``TEMP DIR``: the user's %TEMP% may hold
    a Chinese user name) still pass through ANSI calls (the xlwings DLL's command, LoadLibraryA,
    VBA's Open): a path the code page cannot hold is refused. The cell functions are in the add-in
    (no UDF_MODULES) and nothing goes on sys.path.
    """
    for path in (interpreter, logs):
        try:
            str(path).encode(code_page)
        except UnicodeEncodeError:
            raise InputRefused(f"Python 的路径含有本机代码页（{code_page}）无法表示的字符：{path}。"
                               "请把 Python 装在只含英文字母的路径下，例如 C:\\kaohe\\python",
                               f"the Python path cannot be written in this PC's code page {code_page}: {path}; "
                               "install Python under an ASCII path such as C:\\kaohe\\python") from None
    text = f'"INTERPRETER_WIN","{interpreter}"\r\n"TEMP DIR","{logs}"\r\n'
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
