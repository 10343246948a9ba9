"""scripts/install_windows.ps1 read as Windows PowerShell 5.1 would run it (no Windows here).

What stopped the old script before it installed the add-in: a command that does not exist
(`python -m xlwings copy dll`: the pinned xlwings has no ``__main__``) whose stderr, redirected under
``$ErrorActionPreference = "Stop"``, became a terminating error; and UTF-8 without a BOM, which
PowerShell 5.1 reads in the ANSI code page.
"""
import codecs
import importlib.util
import re
import tomllib
from pathlib import Path

import xlwings

from kaohe.doors import addin_vba
from kaohe.doors.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "install_windows.ps1"


def text():
    data = SCRIPT.read_bytes()
    assert data.startswith(codecs.BOM_UTF8), "Windows PowerShell 5.1 needs the BOM to read UTF-8"
    return data[len(codecs.BOM_UTF8):].decode("utf-8")


def test_saved_as_utf8_with_a_bom_and_no_typographic_quotes():
    script = text()
    assert "考勤绩效" in script
    # PowerShell takes “ ” ‘ ’ for quote characters: inside a string they would end it
    assert not re.search("[\u2018\u2019\u201c\u201d]", script)


def test_every_python_module_it_runs_can_run_as_a_module():
    modules = re.findall(r"& \$(?:python|existing) -m (\S+)", text())
    assert modules == ["venv", "pip"]  # a virtual environment of a Python 3.11 already there (install_checks.json)
    for name in modules:
        assert importlib.util.find_spec(f"{name}.__main__"), name
    assert importlib.util.find_spec("xlwings.__main__") is None  # why `python -m xlwings …` had to go


def test_every_kaohe_command_it_runs_exists():
    script = text()
    calls = re.findall(r'"python\\Scripts\\kaohe\.exe"\)\s+([^}]+?)\s*\}', script)
    assert calls == ["addin install", "wps install"]  # the WPS add-in only where WPS is found
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["kaohe"] == "kaohe.doors.cli:main"  # what pip installs as Scripts\kaohe.exe
    for call in calls:
        args = build_parser().parse_args(call.split())
        assert args.action == "install", call
    assert re.search(r'if \(\$wps\) \{\s+[^}]*Invoke-Checked "kaohe wps install"', script)
    assert re.search(r"pip install --no-index --find-links \$Wheelhouse kaohe\b", script)


def test_native_commands_are_checked_by_exit_code_never_by_stderr():
    script = text()
    assert '$ErrorActionPreference = "Stop"' in script
    assert not re.search(r"\s2>", script)  # a redirected stderr line is a terminating error in PS 5.1
    assert "if ($LASTEXITCODE -ne 0)" in script
    for line in script.splitlines():
        if re.match(r"\s*(Invoke-Checked|function)\b", line) or line.strip().startswith("& $Command"):
            continue
        assert not re.search(r"(^|[;{]\s*)& ", line), f"unchecked native command: {line.strip()}"
    assert re.search(r"Start-Process -Wait -PassThru", script) and "$setup.ExitCode -ne 0" in script


WINDOWS = {"platform_system": "Windows", "sys_platform": "win32", "os_name": "nt", "python_version": "3.11",
           "python_full_version": "3.11.9", "platform_machine": "AMD64", "implementation_name": "cpython",
           "platform_python_implementation": "CPython"}


def windows_only_requirements() -> set[str]:
    """Names kaohe needs (through its installed dependencies) on 64-bit Windows with Python 3.11 only."""
    from importlib.metadata import distribution

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    seen, windows_only = set(), set()
    while todo:
        req = todo.pop()
        if req.name.lower() in seen:
            continue
        if req.marker is not None:
            on_windows = req.marker.evaluate({**WINDOWS, "extra": ""})
            if not on_windows:
                continue
            if not req.marker.evaluate({"extra": ""}):
                windows_only.add(req.name.lower())
                continue  # not installed here: its own needs are pip's to resolve on the index
        seen.add(req.name.lower())
        todo += [Requirement(r) for r in distribution(req.name).requires or []]
    return windows_only


def test_dll_and_wheelhouse_command_match_the_pinned_xlwings():
    script = text()
    dll = f"xlwings64-{xlwings.__version__}.dll"
    assert dll in script and f'Lib "{dll}"' in addin_vba.xlwings_module()
    download = re.search(r"pip download --only-binary=:all: --platform win_amd64 --python-version 3.11 .*", script).group(0)
    # pip evaluates environment markers for the machine it runs on: Windows-only needs are named
    assert windows_only_requirements() <= set(download.split()) and "pywin32" in download.split()
    assert "pip wheel --no-deps -w wheelhouse ." in script
