"""The package's XML parts kaohe edits, parsed with lxml: workbook.xml, relationships, content types.

Each part is parsed into a tree and serialised back after the edit, so namespace prefixes,
attribute quoting, character references and every element kaohe does not touch survive as
XML (the bytes of an unedited part are never rewritten: only parts in ``Parts.edited`` are).

The package's relationships form a graph from the package root (``_rels/.rels``). A part is
removed only when it was reachable before the write and is not any more: a logo shared by
HR's sheet and a replaced kaohe sheet stays, a Table left on a replaced kaohe sheet goes
together with its content-type override.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from kaohe.findings import InputRefused

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
R = REL_NS + "/"
WORKSHEET_REL, CALCCHAIN_REL, DRAWING_REL, CHART_REL = (R + "worksheet", R + "calcChain", R + "drawing", R + "chart")
TABLE_REL, COMMENTS_REL, VML_REL = R + "table", R + "comments", R + "vmlDrawing"
PIVOT_CACHE_REL, CUSTOM_REL = R + "pivotCacheDefinition", R + "custom-properties"
IMAGE_REL = R + "image"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
MACRO_MAIN_CTS = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                  "application/vnd.ms-excel.template.macroEnabled.main+xml")
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CUSTOM_PART = "docProps/custom.xml"
# CT_Workbook's children in schema order: a new child goes after the last of its predecessors present.
WORKBOOK_ORDER = ("fileVersion", "fileSharing", "workbookPr", "AlternateContent", "revisionPtr", "absPath",
                  "workbookProtection", "bookViews", "sheets", "functionGroups", "externalReferences",
                  "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def parse(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputRefused("工作簿的 XML 部件已损坏，无法写入", f"a workbook XML part is malformed: {exc}") from None


def dump(root: etree._Element) -> bytes:
    """The part's bytes, with the declaration Excel writes (double quotes, UTF-8, standalone)."""
    tree = root.getroottree()
    standalone = ' standalone="no"' if tree.docinfo.standalone is False else ' standalone="yes"'
    return (f'<?xml version="1.0" encoding="UTF-8"{standalone}?>\r\n'.encode()
            + etree.tostring(tree, encoding="UTF-8", xml_declaration=False))


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "on")


def rels_name(part: str) -> str:
    """The relationships part of ``part`` ('' is the package itself)."""
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def source_of(rels: str) -> str:
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name[:-len(".rels")]) if name != ".rels" else ""


def quote_sheet(name: str) -> str:
    """A sheet name as formulas and defined names spell it: always quoted, ' doubled."""
    return "'" + name.replace("'", "''") + "'"


def illegal_name(name: str) -> bool:
    """A sheet name Excel and LibreOffice refuse (other tools write them): leading/trailing ', or []:*?/\\."""
    return name[:1] == "'" or name[-1:] == "'" or bool(set(name) & set("[]:*?/\\"))


class Rel:
    def __init__(self, el, base: str):
        self.el, self.id, self.type = el, el.get("Id", ""), el.get("Type", "")
        target = unquote(el.get("Target", ""))
        self.external = el.get("TargetMode") == "External"
        self.part = "" if self.external else (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target)))


class Parts:
    """Parsed XML parts of one package, edited in place; ``edited`` are written back, ``added`` are new."""

    def __init__(self, zin: zipfile.ZipFile):
        self.zin = zin
        self.names = set(zin.namelist())
        self.trees: dict[str, etree._Element] = {}
        self.edited: set[str] = set()
        self.removed_rels: set[str] = set()  # relationship parts of replaced sheets, dropped
        folded: dict[str, str] = {}
        for name in sorted(self.names):
            other = folded.setdefault(name.lower(), name)
            if other != name:
                raise InputRefused(f"工作簿中的部件“{other}”和“{name}”只差大小写（Open XML 视为同一部件），无法写入；"
                                   "请在 Excel 中另存一次后再运行",
                                   f"parts '{other}' and '{name}' differ only in case (one name in Open XML)")
        for name in ("[Content_Types].xml", WORKBOOK, WORKBOOK_RELS):
            if name not in self.names:
                raise InputRefused(f"工作簿缺少部件 {name}，无法写入", f"the workbook has no {name}")
        if etree.QName(self.tree(WORKBOOK)).namespace == STRICT_NS:
            raise InputRefused("这是“严格 Open XML”格式的工作簿，kaohe 不支持；请在 Excel 中另存为普通的“Excel 工作簿 (.xlsx)”后再运行",
                               "Strict Open XML workbooks are not supported; save it as an ordinary Excel workbook (.xlsx)")
        self.ns = etree.QName(self.tree(WORKBOOK)).namespace or MAIN_NS

    def tree(self, name: str) -> etree._Element:
        if name not in self.trees:
            self.trees[name] = parse(self.zin.read(name))
        return self.trees[name]

    def edit(self, name: str) -> etree._Element:
        self.edited.add(name)
        return self.tree(name)

    def put(self, name: str, root: etree._Element) -> None:
        self.trees[name] = root
        self.edited.add(name)

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    # --- relationships ------------------------------------------------------------
    def rels(self, part: str) -> list[Rel]:
        name = rels_name(part) if part else "_rels/.rels"
        if name not in self.names and name not in self.trees:
            return []
        return [Rel(el, posixpath.dirname(part)) for el in self.tree(name) if local(el) == "Relationship"]

    def graph(self) -> dict[str, list[str]]:
        """Every part with relationships -> the parts it points at (internal targets only)."""
        sources = {source_of(n) for n in self.names | set(self.trees) if n.endswith(".rels")}
        return {s: [r.part for r in self.rels(s) if not r.external] for s in sources
                if (rels_name(s) if s else "_rels/.rels") not in self.removed_rels}

    def add_rel(self, part: str, rel_type: str, target: str, prefix: str = "rIdK") -> str:
        name = rels_name(part) if part else "_rels/.rels"
        if name not in self.names and name not in self.trees:
            self.put(name, etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS}))
        root = self.edit(name)
        used = {el.get("Id") for el in root}
        n = 1
        while f"{prefix}{n}" in used:
            n += 1
        el = etree.SubElement(root, f"{{{etree.QName(root).namespace}}}Relationship")
        el.set("Id", f"{prefix}{n}")
        el.set("Type", rel_type)
        el.set("Target", "/" + target)
        return f"{prefix}{n}"

    def drop_rel(self, part: str, rel: Rel) -> None:
        self.edit(rels_name(part) if part else "_rels/.rels").remove(rel.el)

    # --- content types ----------------------------------------------------------------
    def content_type(self, part: str) -> str:
        root = self.tree("[Content_Types].xml")
        for el in root:
            if local(el) == "Override" and el.get("PartName", "").lower() == "/" + part.lower():
                return el.get("ContentType", "")
        ext = part.rsplit(".", 1)[-1].lower()
        return next((el.get("ContentType", "") for el in root
                     if local(el) == "Default" and el.get("Extension", "").lower() == ext), "")

    def set_override(self, part: str, content_type: str) -> None:
        root = self.edit("[Content_Types].xml")
        for el in root:
            if local(el) == "Override" and el.get("PartName", "").lower() == "/" + part.lower():
                el.set("ContentType", content_type)
                return
        el = etree.SubElement(root, f"{{{etree.QName(root).namespace}}}Override")
        el.set("PartName", "/" + part)
        el.set("ContentType", content_type)

    def drop_overrides(self, parts: set[str]) -> None:
        wanted = {"/" + p.lower() for p in parts}
        root = self.tree("[Content_Types].xml")
        gone = [el for el in root if local(el) == "Override" and el.get("PartName", "").lower() in wanted]
        for el in gone:
            self.edit("[Content_Types].xml").remove(el)

    # --- workbook.xml -------------------------------------------------------------------
    def child(self, tag: str, create: bool = False):
        root = self.tree(WORKBOOK)
        found = next((el for el in root if local(el) == tag), None)
        if found is None and create:
            found = etree.Element(self.q(tag))
            before = WORKBOOK_ORDER[:WORKBOOK_ORDER.index(tag)]
            anchor = [i for i, el in enumerate(root) if local(el) in before]
            self.edit(WORKBOOK).insert(anchor[-1] + 1 if anchor else 0, found)
        return found

    def workbook_flag(self, tag: str, attr: str) -> bool:
        el = self.child(tag)
        return el is not None and truthy(el.get(attr))

    def macro_enabled(self) -> bool:
        return self.content_type(WORKBOOK) in MACRO_MAIN_CTS


# --- the sheet list of workbook.xml ------------------------------------------------------
@dataclass
class SheetEntry:
    """A sheet as workbook.xml lists it: name, relationship id, sheetId, its part (and its element)."""

    name: str
    rid: str
    sheet_id: int
    part: str
    el: etree._Element | None = None


def _entry(el, targets: dict[str, str], keep: bool) -> SheetEntry:
    rid = el.get(f"{{{REL_NS}}}id", "")
    sid = el.get("sheetId", "0")
    return SheetEntry(el.get("name", ""), rid, int(sid) if sid.isdigit() else 0, targets.get(rid, ""),
                      el if keep else None)


def sheet_list(parts: Parts) -> list[SheetEntry]:
    """The sheets of the package being written, with their elements (to edit)."""
    sheets = parts.child("sheets")
    targets = {r.id: r.part for r in parts.rels(WORKBOOK)}
    return [_entry(el, targets, True) for el in (sheets if sheets is not None else []) if local(el) == "sheet"]


def read_sheets(workbook_xml, targets: dict[str, str]) -> list[SheetEntry]:
    """The sheets listed in a workbook.xml text (name, relationship id, sheetId, part)."""
    root = parse(workbook_xml.encode("utf-8") if isinstance(workbook_xml, str) else workbook_xml)
    return [_entry(el, targets, False) for el in root.iter() if local(el) == "sheet"]


def read_rels(xml, base: str) -> tuple[dict[str, str], dict[str, str]]:
    """Relationship id -> part name (resolved), and id -> type (internal targets only)."""
    root = parse(xml.encode("utf-8") if isinstance(xml, str) else xml)
    rels = [Rel(el, base) for el in root if local(el) == "Relationship"]
    return {r.id: r.part for r in rels if not r.external}, {r.id: r.type for r in rels if not r.external}


def reachable(graph: dict[str, list[str]]) -> set[str]:
    seen, todo = set(), [""]
    while todo:
        part = todo.pop()
        for target in graph.get(part, ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# --- references to a sheet's range inside formulas (chart series, defined names) ----------
REF_RE = re.compile(r"(?:'((?:[^']|'')+)'|([^'!\s(),:=+\-*/&^<>]+))!(\$?)([A-Z]{1,3})(\$?)(\d+)"
                    r"(?::(\$?)([A-Z]{1,3})(\$?)(\d+))?")


def sheet_of(match: re.Match) -> str:
    return match.group(1).replace("''", "'") if match.group(1) is not None else match.group(2)


__all__ = [
    "REF_RE",
    "Parts",
    "dump",
    "illegal_name",
    "parse",
    "quote_sheet",
    "reachable",
    "read_rels",
    "read_sheets",
    "sheet_list",
]
