"""What follows kaohe's sheets when they are rewritten: print titles, defined names, pivot caches, charts.

kaohe sets the print titles of its own sheets and the workbook-level names over their data
(e.g. 月度汇总数据). The only edits to parts HR owns, each reported as a 提示 in 问题清单:
``refreshOnLoad`` (and the range, when it is a plain range) on a pivot cache whose source is a
kaohe sheet, and the rows of a chart series range on a kaohe sheet.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from kaohe.findings import Finding
from kaohe.workbook.parts import (CHART_CT, PIVOT_CACHE_REL, REF_RE, REL_NS, WORKBOOK, Parts, illegal_name, local,
                                  quote_sheet, sheet_list, sheet_of, truthy)
from kaohe.workbook.sheetxml import SheetSpec
from kaohe.values import column_letter


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
    return Range(header, header + spec.row_count(), column_letter(max(len(spec.columns), 1) - 1))


def workbook_names(parts: Parts, specs: list[SheetSpec]) -> None:
    """Print titles of kaohe's sheets and the workbook-level names over their data (e.g. 月度汇总数据)."""
    position = {s.name: i for i, s in enumerate(sheet_list(parts))}
    titles = not any(illegal_name(n) for n in position)
    wanted: dict[tuple[str, str | None], str] = {}
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


def refresh_pivots(parts: Parts, ranges: dict[str, Range], data_names: dict[str, str]) -> list[Finding]:
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
        notes.append(Finding(sheet, "", f"数据透视表缓存 {rel.part} 的数据来自 kaohe 的工作表", what, level="提示",
                             code="workbook.pivot_refresh"))
    return notes


CHART_F = "{http://schemas.openxmlformats.org/drawingml/2006/chart}f"


def stretch_charts(parts: Parts, live: set[str], ranges: dict[str, Range]) -> list[Finding]:
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
                                 "系列范围已改为本次的数据行（不含合计行）", level="提示", code="workbook.chart_series"))
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
