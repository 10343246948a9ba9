"""Which sheets are kaohe's, and what HR put on them.

kaohe records the sheets it wrote in a custom document property (``kaohe工作表``, split over
``kaohe工作表2``… at Excel's 255-character limit), beside HR's own custom properties. A sheet
of that name kaohe did not write is never overwritten; on one of kaohe's sheets, what HR added
(a Table, notes, drawings: removed with the sheet; a protection: kept) is reported in 问题清单.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from kaohe.findings import Finding, InputRefused
from kaohe.workbook import contract as c
from kaohe.workbook.parts import (COMMENTS_REL, CUSTOM_CT, CUSTOM_NS, CUSTOM_PART, CUSTOM_REL, DRAWING_REL,
                                  PROPERTY_FMTID, TABLE_REL, VT_NS, Parts, SheetEntry, illegal_name, local)
from kaohe.workbook.sheetxml import DRAWING_RID, SheetSpec


RECORD_PROPERTY = "kaohe工作表"
RECORD_SEP = "/"  # cannot occur in a sheet name


def _record_props(root) -> list:
    return [p for p in root if local(p) == "property" and re.fullmatch(re.escape(RECORD_PROPERTY) + r"\d*",
                                                                        p.get("name") or "")]


def read_record(parts: Parts) -> set[str] | None:
    """The sheet names kaohe recorded as written by it, or None for a workbook without the record."""
    if CUSTOM_PART not in parts.names:
        return None
    props = _record_props(parts.tree(CUSTOM_PART))
    if not props:
        return None
    return {n for p in props for n in "".join(p.itertext()).split(RECORD_SEP) if n}


def _chunks(names: list[str], limit: int = 255) -> list[str]:
    """The record as property values of at most ``limit`` characters (Excel's limit for a custom property)."""
    out = [""]
    for name in names:
        piece = name if not out[-1] else RECORD_SEP + name
        if out[-1] and len(out[-1]) + len(piece) > limit:
            out.append(name)
        else:
            out[-1] += piece
    return out


def write_record(parts: Parts, sheets: list[str]) -> None:
    """Store ``sheets`` as kaohe's record (kaohe工作表, kaohe工作表2, …); HR's other custom properties are kept."""
    if CUSTOM_PART in parts.names:
        root = parts.tree(CUSTOM_PART)
        old = _record_props(root)
        values = _chunks(sheets)
        if ["".join(p.itertext()) for p in old] == values:
            return
        root = parts.edit(CUSTOM_PART)
        for p in old:
            root.remove(p)
    else:
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
        parts.put(CUSTOM_PART, root)
        parts.add_rel("", CUSTOM_REL, CUSTOM_PART)
        parts.set_override(CUSTOM_PART, CUSTOM_CT)
    pids = [int(p.get("pid")) for p in root if (p.get("pid") or "").isdigit()]
    for k, value in enumerate(_chunks(sheets)):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property")
        prop.set("fmtid", PROPERTY_FMTID)
        prop.set("pid", str(max(pids + [1]) + 1 + k))
        prop.set("name", RECORD_PROPERTY + (str(k + 1) if k else ""))
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value


def check_sheets(parts: Parts, src: Path, existing: list[SheetEntry], specs: list[SheetSpec]) -> list[Finding]:
    """Refuse a write that would overwrite a sheet of HR's or add sheets to a structure-locked workbook."""
    names = {s.name for s in existing}
    added = [s.name for s in specs if s.name not in names]
    if added and parts.workbook_flag("workbookProtection", "lockStructure"):
        raise InputRefused(f"工作簿的结构已被保护（审阅 > 保护工作簿），kaohe 需要新增工作表“{'、'.join(added)}”；"
                           "请先撤销工作簿保护，或手工添加这些工作表后再运行",
                           f"the workbook structure is locked; kaohe would add sheets {', '.join(added)}")
    record = read_record(parts)
    legacy = record is None and c.RUN_LOG.name in names
    # Not in the record (an earlier kaohe, or the live path in Excel wrote it): kaohe's exact header row and
    # a 运行记录 beside it still make it kaohe's.
    foreign = [s.name for s in specs if s.name in names and s.name not in (record or ())
               and not ((c.RUN_LOG.name in names or s.name in c.READ_BACK_SHEETS) and _header_matches(src, s))]
    if foreign:
        raise InputRefused(f"工作表“{foreign[0]}”已存在，但不是 kaohe 生成的，kaohe 不会覆盖它；请把它改名后再运行",
                           f"sheet '{foreign[0]}' exists and was not written by kaohe; rename it and run again")
    notes = []
    odd = [n for n in names if illegal_name(n)]
    if odd and any(s.print_titles for s in specs):
        notes.append(Finding(odd[0], "", "工作表名以 ' 开头或结尾，或含有 [ ] 等 Excel 不允许的字符",
                             "kaohe 的工作表未设置打印标题行（否则 LibreOffice 打不开本工作簿）；请改名", level="提示"))
    if legacy and any(s.name in names for s in specs):
        return notes + [Finding("", "", "本工作簿由旧版 kaohe 生成（没有工作表记录），已按表头和“运行记录”识别 kaohe 的工作表",
                        "此后 kaohe 把它生成的工作表记录在文档属性中", level="提示")]
    return notes


def _header_matches(src: Path, spec: SheetSpec) -> bool:
    """Is the sheet's header row exactly the one kaohe writes for ``spec`` (or wrote before, contract.EARLIER_HEADERS)?"""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(os.fspath(src))
        rows = wb.get_sheet_by_name(spec.name).to_python(skip_empty_area=False, nrows=len(spec.header_rows or []) + 1)
    except Exception:
        return False
    at = len(spec.header_rows or [])
    row = [v for v in (rows[at] if len(rows) > at else [])]
    while row and row[-1] in ("", None):
        row.pop()
    return row == [col.header for col in spec.columns] or tuple(row) in c.EARLIER_HEADERS.get(spec.name, ())


_PROTECTION_RE = re.compile(rb"<(?:\w+:)?sheetProtection\b[^>]*?/>")


def hr_additions(parts: Parts, sheet: SheetEntry) -> tuple[list[Finding], str]:
    """What HR added to one of kaohe's sheets (Table, note, image, protection) and what happens to it."""
    notes, seen = [], set()
    say = lambda what, action, level="警告": notes.append(Finding(sheet.name, "", what, action, level=level))  # noqa: E731
    for rel in parts.rels(sheet.part):
        if rel.external or rel.part not in parts.names:
            continue
        if rel.type == TABLE_REL:
            name = parts.tree(rel.part).get("displayName") or rel.part
            say(f"工作表上的表格（Table）“{name}”不是 kaohe 生成的", "kaohe 每次重写此表，表格已移除；请在其他工作表中引用 kaohe 的数据")
        elif rel.type == COMMENTS_REL and "note" not in seen:
            seen.add("note")
            say("工作表上有批注（不是 kaohe 写的）", "kaohe 每次重写此表，批注已移除；请把说明写在其他工作表")
        elif rel.type == DRAWING_REL and rel.id != DRAWING_RID and "drawing" not in seen:
            seen.add("drawing")
            say("工作表上有图片、图表或形状（不是 kaohe 画的）", "kaohe 每次重写此表，它们已从此表移除（其他工作表上的同一图片保留）")
    protection = ""
    with parts.zin.open(sheet.part) as fh:
        tail = b""
        for block in iter(lambda: fh.read(1 << 20), b""):
            m = _PROTECTION_RE.search(tail + block)
            if m:
                protection = re.sub(r"^<\w+:", "<", m.group(0).decode("utf-8"))
                break
            tail = block[-2000:]
    if protection:
        say("工作表设置了保护（不是 kaohe 设的）", "已保留：重写后的工作表仍受同样的保护", "提示")
    return notes, protection
