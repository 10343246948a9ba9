"""Refusing workbook files that cannot be used, before a cell is read (SECURITY.md lists the limits).

Missing, a folder, open in Excel/WPS/LibreOffice (for commands that write), too large, encrypted,
an old .xls, .xlsb, not an .xlsx package, Strict Open XML, a zip bomb, XML parts declaring entities,
a sheet spanning too many cells: each is an :class:`InputRefused` (exit status 2, nothing written)
with a one-line Chinese and English reason.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from kaohe.findings import InputRefused
from kaohe.workbook.parts import STRICT_NS

# Limits against hostile files (SECURITY.md): a workbook larger than these is refused.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_SHEET_CELLS = 30_000_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


def open_elsewhere(path: Path) -> Path | None:
    """The lock file Excel/WPS (``~$name``) or LibreOffice (``.~lock.name#``) keeps while ``path`` is open."""
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            return lock
    return None


def check_file(path: Path, may_be_open: bool = False) -> None:
    """Refuse files that cannot be used: missing, locked, encrypted, not a workbook, a bomb.

    ``may_be_open``: the command only reads this file, so a workbook open in Excel is fine
    (Excel lets others read the saved file); commands that write refuse it.
    """
    _check_path(path, may_be_open)
    _check_format(path)
    _check_package(path)


def _check_path(path: Path, may_be_open: bool) -> None:
    """The file is there, is a file, is not open elsewhere (unless only read) and is not too large."""
    if not path.exists():
        raise InputRefused(f"找不到文件：{path}", f"file not found: {path}")
    if path.is_dir():
        raise InputRefused(f"这是文件夹，不是工作簿：{path}", f"this is a folder, not a workbook: {path}")
    lock = None if may_be_open else open_elsewhere(path)
    if lock:
        raise InputRefused(f"工作簿正在 Excel 或其他程序中打开（{lock.name}），请保存并关闭后再运行。"
                           f"若已关闭（例如 Excel 崩溃后），可删除同一文件夹中的隐藏文件 {lock.name} 后重试",
                           f"the workbook is open in another program ({lock.name}); close it first. If nothing "
                           f"has it open (e.g. after a crash), delete the hidden file {lock.name} beside it")
    size = path.stat().st_size
    if size == 0:
        raise InputRefused(f"文件是空的（0 字节）：{path.name}，可能没有保存完整或复制失败", f"the file is empty (0 bytes): {path.name}")
    if size > MAX_FILE_BYTES:
        raise InputRefused(f"文件过大（{size // 2**20} MB，上限 {MAX_FILE_BYTES // 2**20} MB）",
                           f"file too large ({size // 2**20} MB, limit {MAX_FILE_BYTES // 2**20} MB)")


# --- what a file really is, whatever its name says (kaohe import reads CSV and .xls too) ---------------------

def content_kind(data: bytes) -> str:
    """What a file really is by its first bytes: xlsx, xls, html, xml, binary or text."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 text
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")):
        return "html"
    if head.startswith(b"<?xml") and b"spreadsheet" in data[:4096].lower():
        return "xml"
    if b"\x00" in data[:4096].strip(b"\x00") and not _looks_text(data):
        return "binary"
    return "text"


def _looks_text(data: bytes) -> bool:
    sample = data[:4096].replace(b"\x00", b"")
    return bool(sample) and sum(b < 9 or 13 < b < 32 for b in sample) < len(sample) // 50 + 1


WHAT_IT_IS = {"html": "网页（HTML）文件", "xml": "XML 表格（Excel 2003 XML）文件", "binary": "未知的二进制文件",
              "xlsx": "Excel 2007+（.xlsx）文件", "xls": "Excel 97-2003（.xls）文件", "text": "文本（CSV）文件"}

def _check_format(path: Path) -> None:
    """The file is an .xlsx package (not an old or encrypted .xls, not something else) and is named so."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputRefused("工作簿已加密（设置了打开密码），请另存为无密码的 .xlsx 后再运行",
                               "the workbook is encrypted (password to open); save an unencrypted .xlsx copy")
        raise InputRefused("这是旧版 .xls 工作簿，请在 Excel 或 WPS 中另存为 .xlsx 后再运行",
                           "this is an old .xls workbook; save it as .xlsx first")
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as fh:
            kind = content_kind(fh.read(4096))
        raise InputRefused(f"这不是 Excel 工作簿（.xlsx）：它实际是{WHAT_IT_IS[kind]}，请用 Excel 打开后另存为 .xlsx 再运行",
                           f"this is not an Excel workbook (.xlsx) but a {kind} file: open it in Excel and save as .xlsx")
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise InputRefused(f"这个文件其实是 .xlsx 工作簿，却以“{path.suffix}”结尾；请把文件名改为 {path.stem}.xlsx 后再运行",
                           f"this file is an .xlsx workbook named {path.suffix}; rename it to {path.stem}.xlsx")


def _check_package(path: Path) -> None:
    """The zip holds a transitional (not Strict) workbook.xml, no .xlsb, no zip bomb and no XML entities."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
            packed = sum(i.compress_size for i in zf.infolist()) or 1
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputRefused("工作簿文件已损坏，无法打开", f"the workbook file is damaged: {exc}") from None
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise InputRefused("这不是 Excel 工作簿（缺少 xl/workbook.xml）", "this is not an Excel workbook (no xl/workbook.xml)")
    if "xl/workbook.bin" in names:
        raise InputRefused("不支持 .xlsb 二进制工作簿，请另存为 .xlsx", ".xlsb binary workbooks are not supported; save as .xlsx")
    with zipfile.ZipFile(path) as zf, zf.open("xl/workbook.xml") as fh:
        if STRICT_NS.encode() in fh.read(4096):
            raise InputRefused("这是“严格 Open XML”格式的工作簿，kaohe 不支持；请在 Excel 中另存为普通的“Excel 工作簿 (.xlsx)”后再运行",
                               "Strict Open XML workbooks are not supported; save it as an ordinary Excel workbook (.xlsx)")
    if total > MAX_UNCOMPRESSED_BYTES or (total > 50 * 2**20 and total / packed > MAX_COMPRESSION_RATIO):
        raise InputRefused("工作簿解压后过大，疑似压缩炸弹，已拒绝", "the workbook inflates too much (zip bomb?); refused")
    _check_entities(path)


def _check_entities(path: Path) -> None:
    """No XML part declares a DOCTYPE or entities (billion laughs and the like)."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.endswith((".xml", ".rels")):
                with zf.open(info) as fh:
                    head = fh.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise InputRefused(f"工作簿部件 {info.filename} 含有 DOCTYPE/实体声明（可能是 XML 炸弹），已拒绝",
                                       f"part {info.filename} declares a DOCTYPE or entities (XML bomb?); refused")


_WIDE_CELL = re.compile(rb'<c r="[A-Z]{2,3}[0-9]')
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')


def check_sheet_extent(path: Path, sheet: str) -> None:
    """Refuse a sheet whose cells span more than MAX_SHEET_CELLS (reading it would allocate them all).

    The sheet XML is streamed: a sheet whose cells all sit in columns A-Z is bounded anyway
    (26 columns x 1,048,576 rows); otherwise the furthest column and row are measured.
    """
    from kaohe.workbook.parts import read_rels, read_sheets

    with zipfile.ZipFile(path) as zf:
        try:
            targets, _ = read_rels(zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace"), "xl")
            sheets = read_sheets(zf.read("xl/workbook.xml").decode("utf-8", "replace"), targets)
        except KeyError:
            return
        part = next((s.part for s in sheets if s.name == sheet), None)
        if not part or part not in zf.namelist():
            return
        wide, max_col, max_row, tail = False, 0, 0, b""
        with zf.open(part) as fh:
            for block in iter(lambda: fh.read(1 << 22), b""):
                chunk = tail + block
                if not wide and _WIDE_CELL.search(chunk):
                    wide = True
                if wide:
                    for m in _CELL_REF.finditer(chunk):
                        col = 0
                        for ch in m.group(1):
                            col = col * 26 + ch - 64
                        max_col, max_row = max(max_col, col), max(max_row, int(m.group(2)))
                tail = chunk[-32:]
    if wide and max_col * max_row > MAX_SHEET_CELLS:
        raise InputRefused(f"工作表“{sheet}”的单元格范围过大（{max_row} 行 × {max_col} 列），已拒绝",
                           f"sheet '{sheet}' spans too many cells ({max_row} rows x {max_col} columns); refused")
