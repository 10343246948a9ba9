"""Putting kaohe's own sheets into a workbook package without touching anything else.

kaohe owns only its output sheets. Writing changes exactly what adding or replacing them
requires — ``xl/workbook.xml`` (the sheet list, print titles, the name 月度汇总数据, calcPr
fullCalcOnLoad), its relationships, ``[Content_Types].xml``, styles appended to ``xl/styles.xml``,
a removed calcChain, and kaohe's record of the sheets it wrote (a custom document property in
``docProps/custom.xml``) — and copies every other zip member unchanged (HR's sheets, shared
strings, images, charts, pivot tables, VBA, custom XML). The package XML is parsed and edited
with lxml (:mod:`kaohe.workbook.parts`), so prefixes and everything not edited stay as written.

The only edits to parts HR owns, each reported as a 提示 in 问题清单: ``refreshOnLoad`` (and the
range, when it is a plain range) on a pivot cache whose source is a kaohe sheet, and the rows of
a chart series range on a kaohe sheet. Parts are reference-counted: a part goes only when nothing
points at it any more. A same-named sheet kaohe did not write, new sheets in a structure-locked
workbook, and an ``--out`` of another kind (.xlsx vs .xlsm) are refused before anything is written.

Saving is atomic: the new package is written to a temporary file in the same folder and
renamed over the target; when editing in place, the original is first copied to
``name.bak-YYYYmmdd-HHMMSS.xlsx`` (``-2``, ``-3``… when that name exists: a backup is never
overwritten). A failure at any point leaves the original untouched and no temporary file behind.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree as SafeET
from lxml import etree

from kaohe.findings import Finding, InputRefused
from kaohe.workbook.lock import remove_stale_temps, temp_file
from kaohe.workbook import contract as c
from kaohe.workbook.parts import (CALCCHAIN_REL, CHART_CT, CHART_REL, COMMENTS_REL, DRAWING_REL, PIVOT_CACHE_REL,
                                  REF_RE, REL_NS, TABLE_REL, WORKBOOK, WORKSHEET_REL, Parts, Rel, dump, local, parse,
                                  reachable, read_record, rels_name, sheet_of, truthy, write_record, quote_sheet)
from kaohe.workbook.sheetxml import DRAWING_RID, MAIN_NS, SheetSpec, chart_xml, drawing_xml, render_chunks
from kaohe.values import column_letter, date_system

WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
FAST = 1  # deflate level for kaohe's own parts: 3-4x faster than 6, a few % larger

# The cell formats kaohe appends: (number format or None, bold, header fill).
NUMBER_FORMATS = {
    "text": None, "int": "0", "days": "0.0", "hours": "0.0", "money": '"¥"#,##0.00', "date": "yyyy-mm-dd",
    "time": "hh:mm", "datetime": "yyyy-mm-dd hh:mm", "header": None, "total_text": None, "total_days": "0.0",
    "total_money": '"¥"#,##0.00', "total_int": "0", "title": None, "percent": "0.0%", "score": "0.00",
    "wrap": None, "note": None,
}
ALIGNMENTS = {"header": '<alignment horizontal="center" vertical="center" wrapText="1"/>',
              "wrap": '<alignment vertical="top" wrapText="1"/>'}
HIGHLIGHTS = {
    "absent": ('<dxf><font><color rgb="FF9C0006"/></font>'
               '<fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf>'),
    "missing": ('<dxf><font><color rgb="FF9C5700"/></font>'
                '<fill><patternFill><bgColor rgb="FFFFEB9C"/></patternFill></fill></dxf>'),
}
# kaohe's cells carry their own 11 pt font (not the workbook's default, which may be smaller):
# printed at the 70 % scale of the wide sheets this is still 7.7 pt.
FONT_BODY = '<font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
FONT_BOLD = '<font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
FONT_TITLE = '<font><b/><sz val="14"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
FILL_HEADER = ('<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/>'
               '<bgColor indexed="64"/></patternFill></fill>')
BORDER_THIN = ('<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
               '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom>'
               '<diagonal/></border>')


def _rx(tag: str, prefix: str) -> str:
    return re.escape(f"{prefix}{tag}")


class StyleBook:
    """Appends kaohe's formats to a styles.xml text; ids are reused when a previous run added them."""

    def __init__(self, xml: str):
        self.xml = xml
        root = SafeET.fromstring(xml.encode("utf-8"))
        m = re.match(r"\{(.*)\}", root.tag)
        ns = m.group(1) if m else ""
        first = re.search(r"<([A-Za-z0-9_]+:)?styleSheet\b", xml)
        self.prefix = first.group(1) or "" if first else ""
        q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
        self.counts = {t: len(root.find(q(t))) if root.find(q(t)) is not None else 0
                       for t in ("numFmts", "fonts", "fills", "borders", "cellXfs", "dxfs")}
        self.numfmt_ids = [int(e.get("numFmtId")) for e in root.iter(q("numFmt"))]
        self.existing_codes = {e.get("formatCode"): int(e.get("numFmtId")) for e in root.iter(q("numFmt"))}

    def _append(self, tag: str, items: list[str]) -> int:
        """Append ``items`` to the list ``tag`` (or find them there already); index of the first."""
        p = self.prefix
        items = [re.sub(r"<(/?)(?=[a-zA-Z])", rf"<\1{p}", i) for i in items] if p else items
        block = "".join(items)
        count = self.counts[tag]
        open_re = re.compile(rf"<{_rx(tag, p)}\b([^>]*?)(/?)>")
        m = open_re.search(self.xml)
        if m and m.group(2) != "/":
            close = self.xml.index(f"</{p}{tag}>", m.end())
            inner = self.xml[m.end():close]
            if inner.endswith(block) and count >= len(items):
                return count - len(items)
            attrs = re.sub(r'\s*count="\d+"', "", m.group(1))
            self.xml = (self.xml[:m.start()] + f'<{p}{tag}{attrs} count="{count + len(items)}">'
                        + inner + block + self.xml[close:])
        else:
            new = f'<{p}{tag} count="{len(items)}">{block}</{p}{tag}>'
            if m:
                self.xml = self.xml[:m.start()] + new + self.xml[m.end():]
            else:
                self.xml = _insert_in_order(self.xml, p, tag, new)
        self.counts[tag] = count + len(items)
        return count

    def add_formats(self) -> tuple[dict[str, int], dict[str, int]]:
        """Append kaohe's number formats, fonts, fill, border, cell formats and highlight formats."""
        codes = sorted({c for c in NUMBER_FORMATS.values() if c and c not in ("0", "0.00")})
        ids, new = {"0": 1, "0.00": 2}, []
        next_id = max([163] + self.numfmt_ids) + 1
        for code in codes:
            if code in self.existing_codes:
                ids[code] = self.existing_codes[code]
            else:
                ids[code] = next_id
                new.append(f'<numFmt numFmtId="{next_id}" formatCode={quoteattr(code)}/>')
                next_id += 1
        if new:
            self._append("numFmts", new)
        font = self._append("fonts", [FONT_BOLD, FONT_TITLE, FONT_BODY])
        fill = self._append("fills", [FILL_HEADER])
        border = self._append("borders", [BORDER_THIN])
        xfs, names = [], []
        for name, code in NUMBER_FORMATS.items():
            fmt = ids[code] if code else 0
            bold = name == "header" or name.startswith("total_")
            f_id = font + 1 if name == "title" else (font if bold else font + 2)
            attrs = (f'numFmtId="{fmt}" fontId="{f_id}" fillId="{fill if name == "header" else 0}" '
                     f'borderId="{border if name not in ("title", "note") else 0}" xfId="0" applyNumberFormat="1" applyFont="1" '
                     f'applyFill="1" applyBorder="1"')
            align = ALIGNMENTS.get(name, '<alignment vertical="center"/>')
            xfs.append(f"<xf {attrs} applyAlignment=\"1\">{align}</xf>")
            names.append(name)
        first = self._append("cellXfs", xfs)
        styles = {n: first + i for i, n in enumerate(names)}
        d_first = self._append("dxfs", list(HIGHLIGHTS.values()))
        dxfs = {n: d_first + i for i, n in enumerate(HIGHLIGHTS)}
        return styles, dxfs


STYLE_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
               "tableStyles", "colors", "extLst")


def _insert_in_order(xml: str, p: str, tag: str, new: str) -> str:
    """Insert a missing list element where the schema wants it (after its predecessors)."""
    before = STYLE_ORDER[:STYLE_ORDER.index(tag)]
    pos = None
    for prev in before:
        m = re.search(rf"</{_rx(prev, p)}>|<{_rx(prev, p)}\b[^>]*/>", xml)
        if m:
            pos = m.end()
    if pos is None:
        pos = re.search(rf"<{_rx('styleSheet', p)}\b[^>]*>", xml).end()
    return xml[:pos] + new + xml[pos:]


@dataclass
class _Sheet:
    name: str
    rid: str
    sheet_id: int
    part: str
    el: object = None


def _sheet_list(parts: Parts) -> list[_Sheet]:
    sheets = parts.child("sheets")
    targets = {r.id: r.part for r in parts.rels(WORKBOOK)}
    out = []
    for el in (sheets if sheets is not None else []):
        if local(el) == "sheet":
            rid = el.get(f"{{{REL_NS}}}id", "")
            sid = el.get("sheetId", "0")
            out.append(_Sheet(el.get("name", ""), rid, int(sid) if sid.isdigit() else 0, targets.get(rid, ""), el))
    return out


def _read_sheets(workbook_xml, targets: dict[str, str]) -> list[_Sheet]:
    """The sheets listed in a workbook.xml text (name, relationship id, sheetId, part)."""
    root = parse(workbook_xml.encode("utf-8") if isinstance(workbook_xml, str) else workbook_xml)
    out = []
    for el in root.iter():
        if local(el) == "sheet":
            rid = el.get(f"{{{REL_NS}}}id", "")
            sid = el.get("sheetId", "0")
            out.append(_Sheet(el.get("name", ""), rid, int(sid) if sid.isdigit() else 0, targets.get(rid, "")))
    return out


def _rels(xml, base: str) -> tuple[dict[str, str], dict[str, str]]:
    """Relationship id -> part name (resolved), and id -> type (internal targets only)."""
    root = parse(xml.encode("utf-8") if isinstance(xml, str) else xml)
    rels = [Rel(el, base) for el in root if local(el) == "Relationship"]
    return {r.id: r.part for r in rels if not r.external}, {r.id: r.type for r in rels if not r.external}


@dataclass
class Range:
    """Where a written sheet's table lies: header row, last data row (合计 excluded), last column."""

    header: int
    last: int
    col: str

    @property
    def ref(self) -> str:
        return f"$A${self.header}:${self.col}${max(self.last, self.header)}"


def data_range(spec: SheetSpec) -> Range:
    header = len(spec.header_rows or []) + 1
    n = len(spec.rows) if spec.rows is not None else (len(next(iter(spec.data.values()))) if spec.data else 0)
    return Range(header, header + n, column_letter(max(len(spec.columns), 1) - 1))


def write_sheets(src: Path, dst: Path, sheets: list[SheetSpec], *, backup: bool, _fail_after: int | None = None,
                 finish=None) -> Path | None:
    """Write ``sheets`` (replacing same-named ones in place) into ``src``, saved as ``dst``.

    Returns the backup path when one was made. ``finish(notes) -> specs`` receives what kaohe
    noticed while planning the write (提示 and 警告 findings: HR additions on its sheets, pivot
    caches and charts it refreshed) and returns the final specs (e.g. 问题清单 with those rows).
    """
    src, dst = Path(src), Path(dst)
    remove_stale_temps(dst.parent)
    with zipfile.ZipFile(src) as zin:
        parts = Parts(zin)
        if "xl/styles.xml" not in parts.names:
            raise InputRefused("工作簿缺少样式部件（xl/styles.xml），无法写入", "the workbook has no xl/styles.xml")
        _check_kind(parts, src, dst)
        sheets = _plan(parts, src, sheets, finish)
        replaced, dropped = _edit(parts, sheets)
        bak = _backup(src) if backup else None
        _write_package(parts, replaced, dropped, src, dst, _fail_after)
    return bak


def _plan(parts: Parts, src: Path, sheets: list[SheetSpec], finish) -> list[SheetSpec]:
    """Refusals first; then what the write means for HR's parts (notes), and the final specs."""
    graph = parts.graph()
    existing = _sheet_list(parts)
    notes = _check_sheets(parts, src, existing, sheets)
    names = {s.name for s in sheets}
    protections = {}
    for sheet in existing:
        if sheet.name in names and sheet.part in parts.names:
            found, protections[sheet.name] = _hr_additions(parts, sheet)
            notes += found
    ranges = {s.name: data_range(s) for s in sheets}
    rewritten = {s.part for s in existing if s.name in names}
    notes += _refresh_pivots(parts, ranges, {s.data_name: s.name for s in sheets if s.data_name})
    notes += _stretch_charts(parts, reachable({k: v for k, v in graph.items() if k not in rewritten}), ranges)
    sheets = finish(notes) if finish else sheets
    for spec in sheets:
        spec.protection_xml = protections.get(spec.name) or spec.protection_xml
    return sheets


def _edit(parts: Parts, sheets: list[SheetSpec]) -> tuple[dict[str, object], set[str]]:
    """The package's edits: (part -> new content, parts no longer referenced by anything)."""
    before = reachable(parts.graph())
    existing = _sheet_list(parts)
    styles = StyleBook(parts.zin.read("xl/styles.xml").decode("utf-8"))
    style_ids, dxf_ids = styles.add_formats()
    replaced: dict[str, object] = {"xl/styles.xml": styles.xml.encode("utf-8")}
    for rel in parts.rels(WORKBOOK):
        if rel.type == CALCCHAIN_REL:  # it would name cells of replaced sheets
            parts.drop_rel(WORKBOOK, rel)
    _place_sheets(parts, existing, sheets, style_ids, dxf_ids, replaced)
    _workbook_names(parts, sheets)
    calc = parts.child("calcPr", create=True)
    if calc.get("fullCalcOnLoad") != "1":  # formulas reading kaohe's sheets are recalculated on opening
        parts.edit(WORKBOOK)
        calc.set("fullCalcOnLoad", "1")
    record, written = read_record(parts) or set(), {s.name for s in sheets}
    write_record(parts, [s.name for s in _sheet_list(parts) if s.name in record or s.name in written])
    after = reachable(parts.graph())
    dropped = {p for p in before - after if p in parts.names}
    dropped |= {rels_name(p) for p in dropped if rels_name(p) in parts.names} | parts.removed_rels
    dropped -= set(replaced) | parts.edited
    parts.drop_overrides(dropped)
    replaced.update((name, dump(parts.trees[name])) for name in parts.edited)
    return replaced, dropped


def _write_package(parts: Parts, replaced: dict, dropped: set[str], src: Path, dst: Path, fail_after) -> None:
    """Copy, replace or leave out each member into a temporary file, then rename it over ``dst``."""
    zin = parts.zin
    fd, tmp = temp_file(dst.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zout, \
                date_system(parts.workbook_flag("workbookPr", "date1904")):
            for k, info in enumerate(zin.infolist()):
                if fail_after is not None and k >= fail_after:
                    raise OSError("injected failure")
                if info.filename in dropped:
                    continue
                data = replaced.get(info.filename)
                if data is None:
                    _copy_member(zin, zout, info)
                else:
                    _write_part(zout, _like(info), data)
            for part in (p for p in replaced if p not in parts.names):
                _write_part(zout, zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0)), replaced[part])
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, _mode_for(src, dst))
        os.replace(tmp, dst)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _check_kind(parts: Parts, src: Path, dst: Path) -> None:
    """An .xlsm stays .xlsm and an .xlsx stays .xlsx: Excel refuses a file whose extension lies."""
    macro = parts.macro_enabled()
    suffix = dst.suffix.lower()
    if src.resolve() != dst.resolve() and suffix in (".xlsx", ".xlsm") and (suffix == ".xlsm") != macro:
        want = ".xlsm" if macro else ".xlsx"
        raise InputRefused(f"输出文件的扩展名应为 {want}（输入是{'启用宏的' if macro else '不含宏的'}工作簿），Excel 打不开扩展名不符的文件",
                           f"the output must be named {want} like the input; Excel refuses a mismatched extension")


def _check_sheets(parts: Parts, src: Path, existing: list[_Sheet], specs: list[SheetSpec]) -> list[Finding]:
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
    odd = [n for n in names if _illegal_name(n)]
    if odd and any(s.print_titles for s in specs):
        notes.append(Finding(odd[0], "", "工作表名以 ' 开头或结尾，或含有 [ ] 等 Excel 不允许的字符",
                             "kaohe 的工作表未设置打印标题行（否则 LibreOffice 打不开本工作簿）；请改名", level="提示"))
    if legacy and any(s.name in names for s in specs):
        return notes + [Finding("", "", "本工作簿由旧版 kaohe 生成（没有工作表记录），已按表头和“运行记录”识别 kaohe 的工作表",
                        "此后 kaohe 把它生成的工作表记录在文档属性中", level="提示")]
    return notes


def _illegal_name(name: str) -> bool:
    """A sheet name Excel and LibreOffice refuse (other tools write them): leading/trailing ', or []:*?/\\."""
    return name[:1] == "'" or name[-1:] == "'" or bool(set(name) & set("[]:*?/\\"))


def _header_matches(src: Path, spec: SheetSpec) -> bool:
    """Is the sheet's header row exactly the one kaohe writes for ``spec``?"""
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
    return row == [col.header for col in spec.columns]


_PROTECTION_RE = re.compile(rb"<(?:\w+:)?sheetProtection\b[^>]*?/>")


def _hr_additions(parts: Parts, sheet: _Sheet) -> tuple[list[Finding], str]:
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


def _place_sheets(parts: Parts, existing: list[_Sheet], specs: list[SheetSpec], style_ids, dxf_ids, replaced) -> None:
    """Each spec's part: the same part for a sheet being replaced (its old relationships dropped), else a new one."""
    by_name = {s.name: s for s in existing}
    used = set(parts.names)
    max_id = max([s.sheet_id for s in existing] + [0])
    sheets_el = parts.child("sheets", create=True)
    for spec in specs:
        old = by_name.get(spec.name)
        if old is not None and old.part:
            part = old.part
            if rels_name(part) in parts.names:
                parts.removed_rels.add(rels_name(part))
        else:
            part = _free_part(used, "xl/worksheets/sheet{}.xml")
            rid = parts.add_rel("xl/workbook.xml", WORKSHEET_REL, part)
            parts.set_override(part, WORKSHEET_CT)
            max_id += 1
            el = etree.SubElement(sheets_el, parts.q("sheet"), nsmap={"r": REL_NS})
            el.set("name", spec.name)
            el.set("sheetId", str(max_id))
            if spec.hidden:
                el.set("state", "hidden")
            el.set(f"{{{REL_NS}}}id", rid)
            parts.edit(WORKBOOK)
        replaced[part] = _Stream(spec, style_ids, dxf_ids)
        if spec.chart is not None:
            drawing, chart = _free_part(used, "xl/drawings/drawing{}.xml"), _free_part(used, "xl/charts/chart{}.xml")
            replaced[drawing] = drawing_xml(spec.chart, "rId1")
            replaced[chart] = chart_xml(spec.name, spec.chart)
            parts.put(rels_name(drawing), parse(_rels_xml([("rId1", CHART_REL, "/" + chart)])))
            parts.put(rels_name(part), parse(_rels_xml([(DRAWING_RID, DRAWING_REL, "/" + drawing)])))
            parts.removed_rels.discard(rels_name(part))
            parts.set_override(drawing, DRAWING_CT)
            parts.set_override(chart, CHART_CT)


def _workbook_names(parts: Parts, specs: list[SheetSpec]) -> None:
    """Print titles of kaohe's sheets and the workbook-level names over their data (e.g. 月度汇总数据)."""
    position = {s.name: i for i, s in enumerate(_sheet_list(parts))}
    titles = not any(_illegal_name(n) for n in position)
    wanted = {}
    for spec in specs:
        rng = data_range(spec)
        if titles and spec.print_titles and spec.name in position:
            wanted[("_xlnm.Print_Titles", str(position[spec.name]))] = _title_ref(spec, rng)
        if spec.data_name:
            wanted[(spec.data_name, None)] = f"{quote_sheet(spec.name)}!{rng.ref}"
    if not wanted:
        return
    names = parts.child("definedNames", create=True)
    current = {(el.get("name"), el.get("localSheetId")): el for el in names if local(el) == "definedName"}
    for key, ref in wanted.items():
        el = current.get(key)
        if el is None:
            el = etree.SubElement(names, parts.q("definedName"))
            el.set("name", key[0])
            if key[1] is not None:
                el.set("localSheetId", key[1])
        if el.text != ref:
            el.text = ref
            parts.edit(WORKBOOK)


def _title_ref(spec: SheetSpec, rng: Range) -> str:
    """The rows (and columns) repeated on every printed page: the header row, ``title_rows`` deep."""
    quoted = quote_sheet(spec.name) + "!"
    ref = f"{quoted}${rng.header}:${rng.header + spec.title_rows - 1}"
    if spec.title_columns:
        first, last = spec.title_columns.split(":")
        ref = f"{quoted}${first}:${last},{ref}"
    return ref


def _refresh_pivots(parts: Parts, ranges: dict[str, Range], data_names: dict[str, str]) -> list[Finding]:
    """Pivot caches whose source is one of kaohe's sheets (or its name, e.g. 月度汇总数据): refreshed on load,
    their plain range updated."""
    notes = []
    for rel in parts.rels(WORKBOOK):
        if rel.type != PIVOT_CACHE_REL or rel.part not in parts.names:
            continue
        root = parts.tree(rel.part)
        source = next((el for el in root.iter() if local(el) == "worksheetSource"), None)
        if source is None or source.get(f"{{{REL_NS}}}id"):
            continue
        sheet = source.get("sheet") or data_names.get(source.get("name"))
        if sheet not in ranges:
            continue
        changes = {} if truthy(root.get("refreshOnLoad")) else {root: ("refreshOnLoad", "1")}
        ref = source.get("ref") if source.get("sheet") else None
        what = "已设为打开时刷新"
        if ref:
            new = ranges[sheet].ref.replace("$", "")
            what += f"，数据范围 {ref} 改为本次的数据行 {new}（不含合计行）"
            if ref != new:
                changes[source] = ("ref", new)
        for el, (attr, value) in changes.items():
            parts.edit(rel.part)
            el.set(attr, value)
        notes.append(Finding(sheet, "", f"数据透视表缓存 {rel.part} 的数据来自 kaohe 的工作表", what, level="提示"))
    return notes


CHART_F = "{http://schemas.openxmlformats.org/drawingml/2006/chart}f"


def _stretch_charts(parts: Parts, live: set[str], ranges: dict[str, Range]) -> list[Finding]:
    """Chart series over one of kaohe's sheets: the range follows this run's data rows (合计 excluded)."""
    notes = []
    for part in sorted(p for p in live if p in parts.names and p.endswith(".xml")):
        if parts.content_type(part) != CHART_CT:
            continue
        changed = False
        for f in parts.tree(part).iter(CHART_F):
            text = REF_RE.sub(lambda m: _stretch(m, ranges), f.text or "")
            if text != (f.text or ""):
                parts.edit(part)
                f.text, changed = text, True
        if changed:
            sheets = sorted({sheet_of(m) for f in parts.tree(part).iter(CHART_F) for m in REF_RE.finditer(f.text or "")
                             if sheet_of(m) in ranges})
            notes.append(Finding("、".join(sheets), "", f"图表 {part} 的数据系列引用 kaohe 的工作表",
                                 "系列范围已改为本次的数据行（不含合计行）", level="提示"))
    return notes


def _stretch(m, ranges: dict[str, Range]) -> str:
    rng = ranges.get(sheet_of(m))
    if rng is None or m.group(7) is None:
        return m.group(0)
    r1, r2 = int(m.group(6)), int(m.group(10))
    if r1 not in (rng.header, rng.header + 1) or r2 < r1 or rng.last < r1:
        return m.group(0)
    start = m.group(0)[:m.start(7) - m.start(0)]
    return f"{start}{m.group(7)}{m.group(8)}{m.group(9)}{rng.last}"


def _backup(path: Path) -> Path:
    """Copy ``path`` aside as ``name.bak-YYYYmmdd-HHMMSS[-n].ext``; an existing backup is never overwritten."""
    stamp = _stamp()
    return _atomic_copy(path, [path.with_name(f"{path.stem}.bak-{stamp}{'' if n == 1 else f'-{n}'}{path.suffix}")
                               for n in range(1, 1000)])


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def backup_existing(path: Path) -> Path | None:
    """Before a file is replaced by a new one (kaohe finance): keep its bytes in a backup."""
    return _backup(Path(path)) if Path(path).is_file() else None


def _atomic_copy(src: Path, names: list[Path]) -> Path:
    """Copy via a temporary file, then link it under the first free name: a backup is complete or absent."""
    fd, tmp = temp_file(names[0].parent)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as fin:
            shutil.copyfileobj(fin, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(src, tmp)
        for name in names:
            try:
                os.link(tmp, name)  # fails if the name exists: never overwrites
            except FileExistsError:
                continue
            except OSError:  # no hard links on this file system
                if name.exists():
                    continue
                os.replace(tmp, name)
            return name
        raise InputRefused("备份文件名已用尽，请清理旧的备份", "no free backup name; remove old backups")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _mode_for(src: Path, dst: Path) -> int:
    """Keep the permissions of the file being replaced (or of the source, for a new file)."""
    for path in (dst, src):
        try:
            return os.stat(path).st_mode & 0o777
        except OSError:
            continue
    return 0o644


class _Stream:
    """A sheet part rendered while it is written: the XML of a large sheet is never held whole."""

    def __init__(self, spec: SheetSpec, styles: dict[str, int], dxfs: dict[str, int]):
        self.spec, self.styles, self.dxfs = spec, styles, dxfs

    def chunks(self):
        for text in render_chunks(self.spec, self.styles, self.dxfs):
            yield text.encode("utf-8")


def _write_part(zout: zipfile.ZipFile, zi: zipfile.ZipInfo, data) -> None:
    zi.compress_type = zipfile.ZIP_DEFLATED
    try:  # the entry's deflate level (named compress_level from Python 3.13)
        zi.compress_level = FAST
    except AttributeError:
        zi._compresslevel = FAST
    if isinstance(data, _Stream):
        with zout.open(zi, "w", force_zip64=True) as fh:
            for block in data.chunks():
                fh.write(block)
    else:
        zout.writestr(zi, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=FAST)


def _free_part(used: set[str], pattern: str) -> str:
    n = 1
    while pattern.format(n) in used:
        n += 1
    used.add(pattern.format(n))
    return pattern.format(n)


def _rels_xml(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>').encode("utf-8")


def _like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.external_attr = info.external_attr
    zi.create_system = info.create_system
    return zi


def _copy_member(zin: zipfile.ZipFile, zout: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Copy one member unchanged: its compressed bytes as they are (no inflate, no deflate)."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputRefused(f"工作簿中的部件 {info.filename} 无法复制（加密或不支持的压缩方式）",
                           f"part {info.filename} cannot be copied (encrypted or unsupported compression)")
    fp = zin.fp
    fp.seek(info.header_offset)
    header = fp.read(zipfile.sizeFileHeader)
    fields = struct.unpack(zipfile.structFileHeader, header)
    if fields[zipfile._FH_SIGNATURE] != zipfile.stringFileHeader:
        raise InputRefused("工作簿文件已损坏，无法打开", f"bad local header for {info.filename}")
    fp.seek(info.header_offset + zipfile.sizeFileHeader + fields[zipfile._FH_FILENAME_LENGTH]
            + fields[zipfile._FH_EXTRA_FIELD_LENGTH])
    zi = _like(info)
    zi.compress_type = info.compress_type
    zi.CRC, zi.compress_size, zi.file_size = info.CRC, info.compress_size, info.file_size
    zi.flag_bits = info.flag_bits & ~0x08 & 0xFFFF  # sizes go in the local header, no data descriptor
    zi.header_offset = zout.fp.tell()
    zout.fp.write(zi.FileHeader(zip64=info.file_size > zipfile.ZIP64_LIMIT or info.compress_size > zipfile.ZIP64_LIMIT))
    remaining = info.compress_size
    while remaining:
        block = fp.read(min(remaining, 1 << 20))
        if not block:
            raise InputRefused("工作簿文件已损坏（数据不完整）", f"truncated data for {info.filename}")
        zout.fp.write(block)
        remaining -= len(block)
    zout.filelist.append(zi)
    zout.NameToInfo[zi.filename] = zi
    zout.start_dir = zout.fp.tell()
    zout._didModify = True


def read_run_log(path: Path, sheet_name: str) -> list[list]:
    """The rows already in kaohe's run log sheet (appended to on each run)."""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(os.fspath(path))
        if sheet_name not in wb.sheet_names:
            return []
        rows = wb.get_sheet_by_name(sheet_name).to_python()
    except Exception:
        return []
    return [list(r) for r in rows[1:] if any(v not in ("", None) for v in r)]


__all__ = ["write_sheets", "read_run_log", "StyleBook", "MAIN_NS"]
