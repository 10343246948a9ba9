"""kaohe's cell formats, appended to the workbook's ``xl/styles.xml`` (HR's formats keep their ids).

The styles part is edited as text: kaohe's number formats, fonts, fill, border, cell formats
and highlight formats go at the end of their lists, so every id HR's sheets use stays valid;
a second run finds its own formats already at the end and reuses them.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree as SafeET

STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
# The styles part of a workbook that has none in force (pylightxl writes none; PyExcelerate an empty one that no
# relationship names): Excel's defaults, so that HR's cells look as before and kaohe's formats follow them.
BASE_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>')

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
        xfs: list[str] = []
        names: list[str] = []
        for name, format_code in NUMBER_FORMATS.items():
            fmt = ids[format_code] if format_code else 0
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
        root = re.search(rf"<{_rx('styleSheet', p)}\b[^>]*>", xml)
        assert root is not None, "a styles part has its styleSheet element"
        pos = root.end()
    return xml[:pos] + new + xml[pos:]
