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
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.parts import (COMMENTS_REL, CUSTOM_CT, CUSTOM_NS, CUSTOM_PART, CUSTOM_REL, DRAWING_REL,
                                  PROPERTY_FMTID, TABLE_REL, VT_NS, Parts, SheetEntry, illegal_name, local)
from kaohe.values import column_letter
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
    _same_but_case(existing, specs)
    record = read_record(parts)
    legacy = record is None and c.RUN_LOG.name in names
    # Not in the record (an earlier kaohe, or the live path in Excel wrote it): kaohe's exact header row and
    # a 运行记录 beside it still make it kaohe's.
    foreign = [s.name for s in specs if s.name in names and s.name not in (record or ())
               and not ((c.RUN_LOG.name in names or s.name in c.READ_BACK_SHEETS) and _header_matches(src, s))]
    if foreign:
        state = next((s.el.get("state") for s in existing if s.name == foreign[0] and s.el is not None), None)
        hidden = HIDDEN_STATES.get(state or "", ("", ""))
        raise InputRefused(f"工作表“{foreign[0]}”已存在{hidden[0]}，但不是 kaohe 生成的，kaohe 不会覆盖它；请把它改名后再运行",
                           f"sheet '{foreign[0]}' exists{hidden[1]} and was not written by kaohe; rename it and run again")
    notes = []
    odd = [n for n in names if illegal_name(n)]
    if odd and any(s.print_titles for s in specs):
        notes.append(Finding(odd[0], "", "工作表名以 ' 开头或结尾，或含有 [ ] 等 Excel 不允许的字符",
                             "kaohe 的工作表未设置打印标题行（否则 LibreOffice 打不开本工作簿）；请改名", level="提示",
                             code="workbook.odd_sheet_name"))
    if legacy and any(s.name in names for s in specs):
        return notes + [Finding("", "", "本工作簿由旧版 kaohe 生成（没有工作表记录），已按表头和“运行记录”识别 kaohe 的工作表",
                        "此后 kaohe 把它生成的工作表记录在文档属性中", level="提示", code="workbook.old_kaohe")]
    return notes


HIDDEN_STATES = {
    "hidden": ("（它是隐藏的工作表：右键工作表标签 > 取消隐藏）", " (hidden)"),
    "veryHidden": ("（它是深度隐藏的工作表，“取消隐藏”里看不到：在 VBA 编辑器（Alt+F11）的属性窗口中把它的 Visible 改为 "
                   "-1 - xlSheetVisible 即可看到）", " (very hidden: visible only from the VBA editor)"),
}


def _same_but_case(existing: list[SheetEntry], specs: list[SheetSpec]) -> None:
    """Excel compares sheet names without case: HR's ``kpi历史`` and kaohe's ``KPI历史`` are one name."""
    folded = {s.name.casefold(): s.name for s in existing}
    for spec in specs:
        other = folded.get(spec.name.casefold())
        if other is not None and other != spec.name:
            raise InputRefused(f"工作表“{other}”与 kaohe 要写的“{spec.name}”只差大小写，Excel 视为同一个名称；"
                               f"请把“{other}”改名后再运行",
                               f"sheet '{other}' and kaohe's '{spec.name}' differ only in case (one name in Excel); "
                               "rename it and run again")


def sharing_notes(parts: Parts) -> list[Finding]:
    """A workbook with a password to modify (文件 > 另存为 > 工具 > 常规选项) or marked read-only recommended:
    kaohe writes the file as asked (it edits the package, it never opens the workbook in Excel) and says so."""
    el = parts.child("fileSharing")
    if el is None:
        return []
    if el.get("reservationPassword") or el.get("hashValue"):
        return [Finding("", "", "工作簿设有“修改权限密码”（Excel 打开时要求输入密码才能修改）",
                        "kaohe 直接写入了文件中它自己的工作表，密码仍保留；如不应修改，请改用 --out 另存", level=terms.LEVEL_WARNING,
                        code="workbook.write_password")]
    if el.get("readOnlyRecommended") in ("1", "true"):
        return [Finding("", "", "工作簿设为“建议只读”", "kaohe 已写入它自己的工作表，此设置保留", level=terms.LEVEL_INFO,
                        code="workbook.read_only_recommended")]
    return []


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
_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\b[^>]*/>")
_CF = re.compile(rb'<(?:\w+:)?conditionalFormatting\b[^>]*?\bsqref="([^"]*)"[^>]*>(.*?)</(?:\w+:)?conditionalFormatting>', re.S)
_RULE = re.compile(rb"<(?:\w+:)?cfRule\b([^>]*)>(.*?)</(?:\w+:)?cfRule>", re.S)
# What HR may add to a sheet besides its cells and parts, by the element that says it (kaohe writes none of these,
# bar its own highlights and merged cells, told apart below), with what the 问题清单 row says.
_ADDED = (
    (re.compile(rb"<(?:\w+:)?dataValidation\b[^>]*?\bsqref=\"([^\"]*)\""), "数据验证（下拉列表等）"),
    (re.compile(rb"<(?:\w+:)?hyperlink\b[^>]*?\bref=\"([^\"]*)\""), "超链接"),
    (re.compile(rb"<(?:\w+:)?brk\b[^>]*?\bid=\"([^\"]*)\""), "手动分页符"),
    (re.compile(rb"<(?:\w+:)?sparklineGroup\b()"), "迷你图"),
    (re.compile(rb"<x14:conditionalFormatting\b.*?<xm:sqref>([^<]*)</xm:sqref>", re.S), "条件格式"),
    (re.compile(rb"<x14:dataValidation\b.*?<xm:sqref>([^<]*)</xm:sqref>", re.S), "数据验证（下拉列表等）"),
)


def hr_additions(parts: Parts, sheet: SheetEntry, spec: SheetSpec | None = None) -> tuple[list[Finding], str]:
    """What HR added to one of kaohe's sheets and what happens to it: a Table, notes, images (removed with the
    sheet), conditional formats, drop-downs, links, page breaks, merged cells (gone: kaohe rewrites the sheet),
    a protection (kept)."""
    notes, seen = [], set()
    say = lambda what, action, level="警告": notes.append(  # noqa: E731
        Finding(sheet.name, "", what, action, level=level, code="workbook.hr_addition"))
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
    tail = _after_data(parts, sheet.part)
    for what, where in _added(tail, spec):
        say(f"工作表上有{what}（不是 kaohe 设的：{where}）", f"kaohe 每次重写此表，{what}已移除；请设在其他工作表上")
    m = _PROTECTION_RE.search(tail)
    protection = re.sub(r"^<\w+:", "<", m.group(0).decode("utf-8")) if m else ""
    if protection:
        say("工作表设置了保护（不是 kaohe 设的）", "已保留：重写后的工作表仍受同样的保护", "提示")
    return notes, protection


def _after_data(parts: Parts, part: str) -> bytes:
    """The sheet's XML after its cells: protection, conditional formats, validations, links, page setup …"""
    found, tail = False, b""
    with parts.zin.open(part) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            if found:
                tail += block
                continue
            chunk = tail + block
            m = _DATA_END.search(chunk)
            found, tail = (True, chunk[m.end():]) if m else (False, chunk[-64:])
    return tail if found else b""


def _added(tail: bytes, spec: SheetSpec | None) -> list[tuple[str, str]]:
    """(what, where) of each kind of thing HR added after the cells; kaohe's own highlights and merges excluded."""
    out: dict[str, list[str]] = {}
    mine = _kaohe_highlights(spec)
    for m in _CF.finditer(tail):
        rules = _RULE.findall(m.group(2))
        if not rules or not all(_is_kaohe_rule(a, body, m.group(1), mine) for a, body in rules):
            out.setdefault("条件格式", []).append(m.group(1).decode())
    merged = set(spec.merge) if spec is not None else set()
    for ref in re.findall(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([^"]*)"', tail):
        if ref.decode() not in merged:
            out.setdefault("合并单元格", []).append(ref.decode())
    for pattern, what in _ADDED:
        for m in pattern.finditer(tail):
            out.setdefault(what, []).append(m.group(1).decode())
    return [(what, "、".join(w for w in where[:5] if w) + ("…" if len(where) > 5 else "")) for what, where in out.items()]


def _kaohe_highlights(spec: SheetSpec | None) -> set[str]:
    """The column letters kaohe highlights on this sheet (values over 0)."""
    if spec is None:
        return set()
    headers = [col.header for col in spec.columns]
    return {column_letter(headers.index(h)) for h, _ in spec.highlights if h in headers}


def _is_kaohe_rule(attrs: bytes, body: bytes, sqref: bytes, mine: set[str]) -> bool:
    """kaohe's own rules: a highlight of its columns (value over 0), or the changed-rows expression of 变更对比."""
    formula = re.search(rb"<(?:\w+:)?formula>([^<]*)<", body)
    text = formula.group(1) if formula else b""
    if b'type="expression"' in attrs:
        return text.startswith(b"AND(ISNUMBER(")
    column = re.match(rb"\$?([A-Z]+)", sqref)
    return (b'type="cellIs"' in attrs and b'operator="greaterThan"' in attrs and text == b"0"
            and column is not None and column.group(1).decode() in mine)
