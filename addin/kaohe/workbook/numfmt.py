"""The id Excel shows for a number: 1 typed in a 工号 cell formatted ``0000`` shows (and prints, and is looked up
by HR) as ``0001``. Only the id columns are read this way, and only their number format: the workbook's styles
part (the one its relationship names; an unreferenced one is not in force) says which cell styles pad numbers
with zeros; the sheet's cells in the id columns carrying one of those styles are shown as Excel shows them.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from kaohe.findings import Finding
from kaohe import terms
from kaohe.workbook.parts import local, parse, read_rels

STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_BRACKETS = re.compile(r"\[[^\]]*\]")
_TOKEN = re.compile(r'"([^"]*)"|\\(.)|([0#?])|(.)')


def styles_part(zf: zipfile.ZipFile) -> str | None:
    """The styles part the workbook's relationships name (None: Excel uses its built-in default styles)."""
    try:
        targets, types = read_rels(zf.read("xl/_rels/workbook.xml.rels"), "xl")
    except KeyError:
        return None
    part = next((targets[rid] for rid, t in types.items() if t == STYLES_REL), None)
    return part if part in zf.namelist() else None


def padded_styles(path: Path) -> dict[int, str]:
    """Cell style id -> number format code, for the styles whose format pads a whole number with zeros."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = styles_part(zf)
            root = parse(zf.read(part)) if part else None
    except (KeyError, zipfile.BadZipFile):
        return {}
    if root is None:
        return {}
    codes = {el.get("numFmtId"): el.get("formatCode") or "" for el in root.iter() if local(el) == "numFmt"}
    xfs = next((el for el in root if local(el) == "cellXfs"), None)
    out = {}
    for i, xf in enumerate(x for x in (xfs if xfs is not None else []) if local(x) == "xf"):
        code = codes.get(xf.get("numFmtId") or "0")
        if code and pads(code):
            out[i] = code
    return out


def _parts(code: str) -> tuple[str, int, str] | None:
    """(prefix, zeros, suffix) of a format that shows a whole number padded with zeros, else None."""
    section = _BRACKETS.sub("", code.split(";")[0])
    prefix: list[str] = []
    suffix: list[str] = []
    zeros, digits = 0, False
    for quoted, escaped, digit, other in _TOKEN.findall(section):
        if digit:
            if suffix:
                return None
            digits, zeros = True, zeros + (digit == "0")
        elif other and other not in " -_()":
            return None  # a decimal point, thousands, %, a date or text placeholder: not an id format
        else:
            (suffix if digits else prefix).append(quoted or escaped or other)
    return ("".join(prefix), zeros, "".join(suffix)) if digits else None


def pads(code: str) -> bool:
    found = _parts(code)
    return found is not None and (found[1] > 1 or bool(found[0] or found[2]))


def shown(value, code: str) -> str | None:
    """``value`` as the format ``code`` shows it (``1`` with ``0000`` -> ``0001``); None when it is not a
    non-negative whole number or the format is not an id format."""
    found = _parts(code)
    if found is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value < 0 or not float(value).is_integer():
        return None
    prefix, zeros, suffix = found
    return f"{prefix}{str(int(value)).rjust(zeros, '0')}{suffix}"


def id_formats(scan, padded: dict[int, str]):
    """Column -> (Excel row -> number format) of the cells whose format pads numbers (kaohe.workbook.numfmt)."""
    def formats(col: int) -> dict[int, str]:
        rows, ids = scan.styled.get(col, ((), ()))
        return {r: padded[i] for r, i in zip(rows, ids)}
    return formats


def shown_ids(sheet: str, header: str, letter: str, raw: tuple[list, list[int]], values: list,
              formats: dict[int, str], typed: dict[str, object]) -> tuple[list, list[Finding]]:
    """An id column as Excel shows it: a number whose cell format pads it (``0000``) is the padded text, and
    stays a number when kaohe writes it back (``typed``); said once as a 提示."""
    if not formats:
        return values, []
    out, first = list(values), None
    for i, (value, row) in enumerate(zip(*raw)):
        text = shown(value, formats[row]) if row in formats else None
        if text is not None and text != out[i]:
            first = first or (row, value, text)
            out[i] = text
            typed[text] = int(value)
    if first is None:
        return out, []
    row, value, text = first
    return out, [Finding(sheet, f"{letter}{row}", f"{header}是数字，按单元格的数字格式显示（如 {int(value)} 显示为“{text}”）",
                         "按 Excel 显示的工号比对", level=terms.LEVEL_INFO, code="read.padded_id")]
