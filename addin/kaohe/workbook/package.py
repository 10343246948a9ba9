"""Putting kaohe's own sheets into a workbook package without touching anything else.

kaohe owns only its output sheets. Writing changes exactly what adding or replacing them
requires — ``xl/workbook.xml`` (the sheet list and print titles), its relationships,
``[Content_Types].xml``, styles appended to ``xl/styles.xml``, and a removed calcChain — and
copies every other zip member unchanged (HR's sheets, shared strings, images, charts, pivot
tables, VBA, custom XML). XML is edited as text, by exact insertion, so namespace prefixes
and everything the edit does not concern stay as Excel wrote them.

Saving is atomic: the new package is written to a temporary file in the same folder and
renamed over the target; when editing in place, the original is first copied to
``name.bak-YYYYmmdd-HHMMSS.xlsx``. A failure at any point leaves the original untouched and
no temporary file behind.
"""
from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from defusedxml import ElementTree as SafeET

from kaohe.findings import InputRefused
from kaohe.workbook.lock import remove_stale_temps, temp_file
from kaohe.workbook.sheetxml import DRAWING_RID, MAIN_NS, SheetSpec, chart_xml, drawing_xml, render_chunks

WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CALCCHAIN_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
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


def _read_sheets(workbook_xml: str, rels: dict[str, str]) -> list[_Sheet]:
    out = []
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook_xml):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
        rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        out.append(_Sheet(_unescape(attrs.get("name", "")), rid, int(attrs.get("sheetId", 0)), rels.get(rid, "")))
    return out


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _rels(xml: str, base: str) -> tuple[dict[str, str], dict[str, str]]:
    """Relationship id -> part name (resolved), and id -> type."""
    targets, types = {}, {}
    for m in re.finditer(r"<(?:\w+:)?Relationship\b([^>]*)/?>", xml):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
        target = attrs.get("Target", "")
        if attrs.get("TargetMode") == "External":
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        targets[attrs.get("Id", "")] = part
        types[attrs.get("Id", "")] = attrs.get("Type", "")
    return targets, types


def write_sheets(src: Path, dst: Path, sheets: list[SheetSpec], *, backup: bool, _fail_after: int | None = None,
                 workbook_edit=None) -> Path | None:
    """Write ``sheets`` (replacing same-named ones in place) into ``src``, saved as ``dst``.

    Returns the backup path when one was made. ``workbook_edit(xml) -> xml`` may adjust
    workbook.xml further (e.g. ask Excel to recalculate on load).
    """
    src, dst = Path(src), Path(dst)
    remove_stale_temps(dst.parent)
    with zipfile.ZipFile(src) as zin:
        infos = zin.infolist()
        names = {i.filename for i in infos}
        content_types = zin.read("[Content_Types].xml").decode("utf-8")
        wb_xml = zin.read("xl/workbook.xml").decode("utf-8")
        rels_name = "xl/_rels/workbook.xml.rels"
        rels_xml = zin.read(rels_name).decode("utf-8")
        styles_name = "xl/styles.xml"
        if styles_name not in names:
            raise InputRefused("工作簿缺少样式部件（xl/styles.xml），无法写入", "the workbook has no xl/styles.xml")
        styles = StyleBook(zin.read(styles_name).decode("utf-8"))
        style_ids, dxf_ids = styles.add_formats()
        targets, types = _rels(rels_xml, "xl")
        existing = _read_sheets(wb_xml, targets)
        replaced: dict[str, bytes] = {styles_name: styles.xml.encode("utf-8")}
        dropped: set[str] = set()
        # calcChain: removed (it would name cells of replaced sheets).
        for rid, kind in types.items():
            if kind == CALCCHAIN_REL:
                dropped.add(targets[rid])
                rels_xml = re.sub(rf'<(?:\w+:)?Relationship\b[^>]*Id="{re.escape(rid)}"[^>]*/>', "", rels_xml)
                content_types = re.sub(rf'<Override\b[^>]*PartName="/{re.escape(targets[rid])}"[^>]*/>', "",
                                       content_types)
        by_name = {s.name: s for s in existing}
        used_parts = set(names)
        max_id = max([s.sheet_id for s in existing] + [0])
        rid_n = 1
        for spec in sheets:
            xml = _Stream(spec, style_ids, dxf_ids)
            if spec.name in by_name and by_name[spec.name].part:
                part = by_name[spec.name].part
            else:
                n = 1
                while f"xl/worksheets/sheet{n}.xml" in used_parts:
                    n += 1
                part = f"xl/worksheets/sheet{n}.xml"
                used_parts.add(part)
                while f"rIdK{rid_n}" in targets:
                    rid_n += 1
                rid = f"rIdK{rid_n}"
                targets[rid] = part
                max_id += 1
                rels_xml = _insert_before_close(rels_xml, "Relationships",
                                                f'<Relationship Id="{rid}" Type="{WORKSHEET_REL}" '
                                                f'Target="/{part}"/>')
                content_types = _insert_before_close(content_types, "Types",
                                                     f'<Override PartName="/{part}" ContentType="{WORKSHEET_CT}"/>')
                wb_xml = _add_sheet(wb_xml, spec.name, max_id, rid, spec.hidden)
                existing.append(_Sheet(spec.name, rid, max_id, part))
            replaced[part] = xml
            sheet_rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
            if sheet_rels in names:  # a previous run's drawing and chart: kaohe's own, dropped
                for old in _attached_parts(zin, sheet_rels, posixpath.dirname(part)):
                    dropped.add(old)
                    content_types = re.sub(rf'<Override\b[^>]*PartName="/{re.escape(old)}"[^>]*/>', "", content_types)
                dropped.add(sheet_rels)
            if spec.chart is not None:
                drawing, chart = _free_part(used_parts, "xl/drawings/drawing{}.xml"), _free_part(used_parts, "xl/charts/chart{}.xml")
                replaced[drawing] = drawing_xml(spec.chart, "rId1")
                replaced[chart] = chart_xml(spec.name, spec.chart)
                replaced[posixpath.join("xl/drawings/_rels", posixpath.basename(drawing) + ".rels")] = _rels_xml(
                    [("rId1", CHART_REL, "/" + chart)])
                replaced[sheet_rels] = _rels_xml([(DRAWING_RID, DRAWING_REL, "/" + drawing)])
                dropped.discard(sheet_rels)
                for new_part, ct in ((drawing, DRAWING_CT), (chart, CHART_CT)):
                    content_types = _insert_before_close(content_types, "Types",
                                                         f'<Override PartName="/{new_part}" ContentType="{ct}"/>')
        wb_xml = _print_titles(wb_xml, existing, sheets)
        if workbook_edit:
            wb_xml = workbook_edit(wb_xml)
        replaced["xl/workbook.xml"] = wb_xml.encode("utf-8")
        replaced[rels_name] = rels_xml.encode("utf-8")
        replaced["[Content_Types].xml"] = content_types.encode("utf-8")
        new_parts = [p for p in replaced if p not in names or p in dropped]
        dropped -= set(replaced)

        bak = None
        if backup:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            bak = dst.with_name(f"{dst.stem}.bak-{stamp}{dst.suffix}")
            _atomic_copy(src, bak)
        fd, tmp = temp_file(dst.parent)
        try:
            with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zout:
                for k, info in enumerate(infos):
                    if _fail_after is not None and k >= _fail_after:
                        raise OSError("injected failure")
                    if info.filename in dropped:
                        continue
                    data = replaced.get(info.filename)
                    if data is None:
                        _copy_member(zin, zout, info)
                    else:
                        _write_part(zout, _like(info), data)
                for part in new_parts:
                    _write_part(zout, zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0)), replaced[part])
                raw.flush()
                os.fsync(raw.fileno())
            os.chmod(tmp, _mode_for(src, dst))
            os.replace(tmp, dst)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    return bak


def _atomic_copy(src: Path, dst: Path) -> None:
    """Copy via a temporary file and a rename: a backup is either complete or absent."""
    fd, tmp = temp_file(dst.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as fin:
            shutil.copyfileobj(fin, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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


def _attached_parts(zin: zipfile.ZipFile, rels_part: str, base: str) -> list[str]:
    """Drawings (and their charts and rels) hanging off one of kaohe's sheets."""
    out = []
    targets, types = _rels(zin.read(rels_part).decode("utf-8"), base)
    names = set(zin.namelist())
    for rid, part in targets.items():
        if types[rid] != DRAWING_REL or part not in names:
            continue
        out.append(part)
        sub = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        if sub in names:
            out.append(sub)
            sub_targets, _ = _rels(zin.read(sub).decode("utf-8"), posixpath.dirname(part))
            out.extend(t for t in sub_targets.values() if t in names)
    return out


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


def _insert_before_close(xml: str, tag: str, new: str) -> str:
    m = re.search(rf"</(\w+:)?{tag}>\s*$", xml)
    if m:
        prefix = m.group(1) or ""
        if prefix:
            new = re.sub(r"<(?=[A-Z])", f"<{prefix}", new)
        return xml[:m.start()] + new + xml[m.start():]
    m = re.search(rf"<((\w+:)?{tag})\b([^>]*)/>\s*$", xml)
    return xml[:m.start()] + f"<{m.group(1)}{m.group(3)}>{new}</{m.group(1)}>" + xml[m.end():]


def _add_sheet(wb_xml: str, name: str, sheet_id: int, rid: str, hidden: bool = False) -> str:
    """Append a <sheet> entry; its r: prefix is declared on the element itself (valid whatever the root binds)."""
    m = re.search(r"</(\w+:)?sheets>", wb_xml)
    p = m.group(1) or ""
    entry = (f'<{p}sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
             f'name={quoteattr(name)} sheetId="{sheet_id}"' + (' state="hidden"' if hidden else "") + f' r:id="{rid}"/>')
    return wb_xml[:m.start()] + entry + wb_xml[m.start():]


def _print_titles(wb_xml: str, sheets: list[_Sheet], specs: list[SheetSpec]) -> str:
    """Repeat the header row on every printed page of kaohe's sheets (_xlnm.Print_Titles)."""
    position = {s.name: i for i, s in enumerate(sheets)}
    wanted = {position[s.name]: s for s in specs if s.print_titles and s.name in position}
    for idx in wanted:
        wb_xml = re.sub(rf'<(\w+:)?definedName\b(?=[^>]*name="_xlnm.Print_Titles")(?=[^>]*localSheetId="{idx}")'
                        rf'[^>]*>.*?</(\w+:)?definedName>', "", wb_xml, flags=re.S)
    if not wanted:
        return wb_xml
    names = []
    for idx, spec in sorted(wanted.items()):
        row = len(spec.header_rows or []) + 1
        quoted = "'" + escape(spec.name.replace("'", "''")) + "'!"
        ref = f"{quoted}${row}:${row + spec.title_rows - 1}"
        if spec.title_columns:
            first, last = spec.title_columns.split(":")
            ref = f"{quoted}${first}:${last},{ref}"
        names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{idx}">{ref}</definedName>')
    block = "".join(names)
    m = re.search(r"</(\w+:)?definedNames>", wb_xml)
    if m:
        p = m.group(1) or ""
        block = block.replace("<definedName", f"<{p}definedName").replace("</definedName>", f"</{p}definedName>")
        return wb_xml[:m.start()] + block + wb_xml[m.start():]
    m = re.search(r"<(\w+:)?definedNames\s*/>", wb_xml)
    if m:
        return wb_xml[:m.start()] + f"<definedNames>{block}</definedNames>" + wb_xml[m.end():]
    p = (re.search(r"</(\w+:)?sheets>", wb_xml).group(1) or "")
    block = block.replace("<definedName", f"<{p}definedName").replace("</definedName>", f"</{p}definedName>")
    anchor = None
    for tag in ("externalReferences", "functionGroups", "sheets"):
        m = re.search(rf"</(\w+:)?{tag}>", wb_xml)
        if m:
            anchor = m.end()
            break
    return wb_xml[:anchor] + f"<{p}definedNames>{block}</{p}definedNames>" + wb_xml[anchor:]


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
