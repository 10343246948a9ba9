"""Putting kaohe's own sheets into a workbook package without touching anything else.

kaohe owns only its output sheets. Writing changes exactly what adding or replacing them
requires — ``xl/workbook.xml`` (the sheet list, print titles, the name 月度汇总数据, calcPr
fullCalcOnLoad), its relationships, ``[Content_Types].xml``, styles appended to ``xl/styles.xml``
(:mod:`~kaohe.workbook.styles`), a removed calcChain, and kaohe's record of the sheets it wrote
(:mod:`~kaohe.workbook.ownership`) — and copies every other zip member unchanged (HR's sheets,
shared strings, images, charts, pivot tables, VBA, custom XML). The package XML is parsed and
edited with lxml (:mod:`kaohe.workbook.parts`), so prefixes and everything not edited stay as written.

The only edits to parts HR owns are pivot caches and chart series over kaohe's sheets
(:mod:`~kaohe.workbook.refresh`). Parts are reference-counted: a part goes only when nothing
points at it any more. A same-named sheet kaohe did not write, new sheets in a structure-locked
workbook, and an ``--out`` of another kind (.xlsx vs .xlsm) are refused before anything is written.
Saving is atomic, after a backup (:mod:`~kaohe.workbook.saving`).

The steps: plan (refusals, then what the write means for HR's parts), edit (the package's XML
parts, in memory), save (copy, replace or leave out each member).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from kaohe.workbook.docprops import set_properties
from kaohe.workbook.lock import remove_stale_temps
from kaohe.workbook.ownership import check_sheets, hr_additions, read_record, sharing_notes, write_record
from kaohe.workbook.parts import (CALCCHAIN_REL, CHART_CT, CHART_REL, DRAWING_REL, PKG_REL_NS, REL_NS, WORKBOOK,
                                  WORKSHEET_REL, Parts, SheetEntry, dump, parse, reachable, rels_name, sheet_list)
from kaohe.workbook.refresh import data_range, refresh_pivots, stretch_charts, workbook_names
from kaohe.workbook.saving import Stream, check_kind, check_writable, make_backup, write_package
from kaohe.workbook.sheetxml import DRAWING_RID, SheetSpec, chart_xml, drawing_xml, render_chunks
from kaohe.workbook.styles import BASE_STYLES, STYLES_CT, STYLES_REL, StyleBook

WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"


def write_sheets(src: Path, dst: Path, sheets: list[SheetSpec], *, backup: bool, _fail_after: int | None = None,
                 finish=None) -> Path | None:
    """Write ``sheets`` (replacing same-named ones in place) into ``src``, saved as ``dst``.

    ``backup``: an existing ``dst`` (the workbook itself, or another file that ``--out`` names) is first copied
    aside (:func:`~kaohe.workbook.saving.make_backup`). A ``dst`` marked read-only is refused unless ``--force``.
    Returns the backup path when one was made. ``finish(notes) -> specs`` receives what kaohe
    noticed while planning the write (提示 and 警告 findings: HR additions on its sheets, pivot
    caches and charts it refreshed) and returns the final specs (e.g. 问题清单 with those rows).
    """
    src, dst = Path(src), Path(dst)
    check_writable(dst)
    remove_stale_temps(dst.parent)
    with zipfile.ZipFile(src) as zin:
        parts = Parts(zin)
        check_kind(parts, src, dst)
        sheets = _plan(parts, src, sheets, finish)
        replaced, dropped = _edit(parts, sheets)
        bak = make_backup(dst) if backup and dst.is_file() else None
        write_package(parts, replaced, dropped, src, dst, _fail_after)
    return bak


def _plan(parts: Parts, src: Path, sheets: list[SheetSpec], finish) -> list[SheetSpec]:
    """Refusals first; then what the write means for HR's parts (notes), and the final specs."""
    graph = parts.graph()
    existing = sheet_list(parts)
    notes = check_sheets(parts, src, existing, sheets) + sharing_notes(parts)
    names = {s.name: s for s in sheets}
    protections = {}
    for sheet in existing:
        if sheet.name in names and sheet.part in parts.names:
            found, protections[sheet.name] = hr_additions(parts, sheet, names[sheet.name])
            notes += found
    ranges = {s.name: data_range(s) for s in sheets}
    rewritten = {s.part for s in existing if s.name in names}
    notes += refresh_pivots(parts, ranges, {s.data_name: s.name for s in sheets if s.data_name})
    notes += stretch_charts(parts, reachable({k: v for k, v in graph.items() if k not in rewritten}), ranges)
    sheets = finish(notes) if finish else sheets
    for spec in sheets:
        spec.protection_xml = protections.get(spec.name) or spec.protection_xml
    return sheets


def _edit(parts: Parts, sheets: list[SheetSpec]) -> tuple[dict[str, object], set[str]]:
    """The package's edits: (part -> new content, parts no longer referenced by anything)."""
    before = reachable(parts.graph())
    existing = sheet_list(parts)
    styles_part, text = _styles_of(parts)
    styles = StyleBook(text)
    style_ids, dxf_ids = styles.add_formats()
    replaced: dict[str, object] = {styles_part: styles.xml.encode("utf-8")}
    for rel in parts.rels(WORKBOOK):
        if rel.type == CALCCHAIN_REL:  # it would name cells of replaced sheets
            parts.drop_rel(WORKBOOK, rel)
    _place_sheets(parts, existing, sheets, style_ids, dxf_ids, replaced)
    workbook_names(parts, sheets)
    calc = parts.child("calcPr", create=True)
    if calc.get("fullCalcOnLoad") != "1":  # formulas reading kaohe's sheets are recalculated on opening
        parts.edit(WORKBOOK)
        calc.set("fullCalcOnLoad", "1")
    record, written = read_record(parts) or set(), {s.name for s in sheets if s.owned}
    write_record(parts, [s.name for s in sheet_list(parts) if s.name in record or s.name in written])
    facts = {k: v for s in sheets for k, v in s.properties.items()}
    if facts:  # what a sheet shows, kept as data in the file (e.g. the month of 月度汇总)
        set_properties(parts, facts)
    after = reachable(parts.graph())
    dropped = {p for p in before - after if p in parts.names}
    dropped |= {rels_name(p) for p in dropped if rels_name(p) in parts.names} | parts.removed_rels
    dropped -= set(replaced) | parts.edited
    parts.drop_overrides(dropped)
    replaced.update((name, dump(parts.trees[name])) for name in parts.edited)
    return replaced, dropped


def _styles_of(parts: Parts) -> tuple[str, str]:
    """The styles part in force and its text. A workbook without one (pylightxl), or whose styles part no
    relationship names (PyExcelerate), gets one named by a relationship: its cell formats if it has any, else
    Excel's defaults (BASE_STYLES) — kaohe's formats are appended after them either way."""
    rel = next((r for r in parts.rels(WORKBOOK) if r.type == STYLES_REL and not r.external), None)
    if rel is not None and rel.part in parts.names:
        return rel.part, parts.zin.read(rel.part).decode("utf-8")
    if rel is not None:
        parts.drop_rel(WORKBOOK, rel)
    part = next((n for n in parts.names if n.lower() == "xl/styles.xml"), "xl/styles.xml")
    text = parts.zin.read(part).decode("utf-8") if part in parts.names else ""
    if not re.search(r"<(\w+:)?cellXfs\b[^>]*>\s*<(\w+:)?xf\b", text):
        text = BASE_STYLES
    parts.add_rel(WORKBOOK, STYLES_REL, part)
    parts.set_override(part, STYLES_CT)
    return part, text


def _place_sheets(parts: Parts, existing: list[SheetEntry], specs: list[SheetSpec], style_ids, dxf_ids, replaced) -> None:
    """Each spec's part: the same part for a sheet being replaced (its old relationships dropped), else a new one."""
    by_name = {s.name: s for s in existing}
    used = {n.lower() for n in parts.names}  # part names are compared without case (OPC)
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
        replaced[part] = Stream(lambda spec=spec: render_chunks(spec, style_ids, dxf_ids))
        if spec.chart is not None:
            drawing, chart = _free_part(used, "xl/drawings/drawing{}.xml"), _free_part(used, "xl/charts/chart{}.xml")
            replaced[drawing] = drawing_xml(spec.chart, "rId1")
            replaced[chart] = chart_xml(spec.name, spec.chart)
            parts.put(rels_name(drawing), parse(_rels_xml([("rId1", CHART_REL, "/" + chart)])))
            parts.put(rels_name(part), parse(_rels_xml([(DRAWING_RID, DRAWING_REL, "/" + drawing)])))
            parts.removed_rels.discard(rels_name(part))
            parts.set_override(drawing, DRAWING_CT)
            parts.set_override(chart, CHART_CT)


def _free_part(used: set[str], pattern: str) -> str:
    """The first free part name of ``pattern``; ``used`` holds the names in lower case (Sheet5.xml is sheet5.xml)."""
    n = 1
    while pattern.format(n).lower() in used:
        n += 1
    used.add(pattern.format(n).lower())
    return pattern.format(n)


def _rels_xml(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>').encode()


__all__ = ["write_sheets"]
