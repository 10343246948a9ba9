"""The register of finance workbooks kaohe wrote, which sending checks.

``kaohe finance`` records each file it writes (name and SHA-256) in a small text file in the same
folder (:data:`REGISTER`). ``kaohe send`` (every door: command line, ribbon, month-end script)
sends only a registered, unchanged file — an encrypted file cannot be opened to look inside, so
the register is what says it is a finance workbook. Anything else is refused unless the user
says ``--any-file``, and even then a workbook holding punch-level or personal sheets is refused.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from kaohe.findings import InputRefused
from kaohe.workbook import contract as c

REGISTER = "kaohe财务表登记.txt"
PERSONAL_SHEETS = (c.PUNCHES.name, c.IMPORTED.name, c.DAILY.name, c.GRID.name, c.ROSTER.name, c.LEAVE.name)


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def record(path: Path) -> None:
    """Note ``path`` (as written now) in its folder's register."""
    path = Path(path)
    with open(path.parent / REGISTER, "a", encoding="utf-8") as fh:
        fh.write(f"{path.name}\t{_digest(path)}\t{dt.datetime.now():%Y-%m-%d %H:%M:%S}\n")


def registered(path: Path) -> bool:
    path = Path(path)
    register = path.parent / REGISTER
    if not register.is_file():
        return False
    digest = _digest(path)
    lines = register.read_text(encoding="utf-8", errors="replace").splitlines()
    return any(line.split("\t")[:2] == [path.name, digest] for line in lines)


def check_sendable(path: Path, any_file: bool = False) -> None:
    """Refuse (exit 2) to send anything but a finance workbook kaohe wrote (see the module docstring)."""
    path = Path(path)
    if registered(path):
        return
    if not any_file:
        raise InputRefused(f"“{path.name}”不是 kaohe 导出的财务表（或导出后被改动过），不发送；请先运行 kaohe finance，"
                           "确需发送其他文件时加 --any-file",
                           f"{path.name} is not a finance workbook kaohe wrote (or it changed since); use --any-file to send it anyway")
    import python_calamine

    try:
        sheets = python_calamine.CalamineWorkbook.from_path(os.fspath(path)).sheet_names
    except Exception:
        raise InputRefused(f"无法打开“{path.name}”查看其中的工作表（可能已加密），不发送",
                           f"cannot look inside {path.name} (encrypted?); not sent") from None
    personal = [s for s in sheets if s in PERSONAL_SHEETS]
    if personal:
        raise InputRefused(f"“{path.name}”含有打卡或人员明细表（{'、'.join(personal)}），不能发给财务",
                           f"{path.name} holds punch-level or personal sheets ({', '.join(personal)}); not sent")
