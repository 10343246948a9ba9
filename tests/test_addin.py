"""kaohe.xlam built from text: reproducible, source-only VBA equal to its sources, ribbon and UDF wrappers in it."""
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
from lo import available
from oletools.olevba import VBA_Parser

from kaohe import addin, udfs
from kaohe.cli import main

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
    for name, text in addin.sources().items():
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
    assert ui == (ROOT / "macros" / "customUI.xml").read_bytes()


def test_every_cell_function_has_its_wrapper(built):
    wrappers = modules(built)["kaohe_udfs"]
    for fn in udfs.FUNCTIONS:
        assert re.search(rf"^Function {fn.__name__}\(", wrappers, re.M), fn.__name__
        assert f'XLPy.CallUDF("kaohe.udfs", "{fn.__name__}"' in wrappers
    params = re.findall(r"^Function \w+\(([^)]*)\)", wrappers, re.M)
    names = {p.replace("Optional ", "").strip().lower() for sig in params for p in sig.split(",") if p.strip()}
    assert not names & VBA_RESERVED, names & VBA_RESERVED


def test_xlwings_module_safety_changes(built):
    xl = modules(built)["xlwings"]
    assert 'PROJECT_NAME As String = "kaohe"' in xl
    assert 'GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "true")' not in xl
    assert 'If False And SheetExists(ActiveWorkbook, PROJECT_NAME & ".conf")' in xl
    assert re.search(r"Directory Config\s*\n\s*' kaohe: no kaohe.conf beside the workbook either\s*\n\s*If False Then", xl)
    assert 'Lib "xlwings64-0.37.8.dll"' in xl  # the pinned DLL version


def test_office_reference_for_iribboncontrol(built, tmp_path):
    from pyopenvba import ExcelFile

    copy = tmp_path / "k.xlsm"
    copy.write_bytes(built.read_bytes())
    with ExcelFile(copy) as wb:
        assert "Office" in [r.name for r in wb.references()]


@pytest.mark.skipif(not available(), reason="LibreOffice (soffice) not installed")
def test_libreoffice_loads_the_vba_project(built, tmp_path):
    import subprocess as sp

    profile = tmp_path / "profile"
    out = tmp_path / "out"
    sp.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
            "--infilter=Calc MS Excel 2007 XML", "--convert-to", "ods", "--outdir", str(out), str(built)],
           check=True, capture_output=True, timeout=240)
    names = zipfile.ZipFile(out / "kaohe.ods").namelist()
    for module in ("xlwings", "kaohe_udfs", "KaoheRibbon"):
        assert f"Basic/VBAProject/{module}.xml" in names


def test_addin_install_explains_itself_off_windows(capsys):
    if sys.platform == "win32":
        pytest.skip("installs for real on Windows")
    assert main(["addin", "install"]) == 0
    assert "Windows" in capsys.readouterr().out
