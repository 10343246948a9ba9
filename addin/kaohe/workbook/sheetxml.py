"""Output sheets as SpreadsheetML, written directly (streamed text, no openpyxl round trip).

Why not openpyxl: loading and re-saving HR's whole workbook drops what openpyxl does not
understand (and takes ~25 s per 2,000 employees). kaohe instead renders only its own sheets
here and :mod:`kaohe.workbook.package` puts them into the package, leaving every other part
byte-identical.

The cells themselves are rendered by :mod:`kaohe.workbook.cellxml` (inline strings, formulas
only where kaohe writes them).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from kaohe.findings import Finding
from kaohe.workbook.cellxml import cell_xml, number_text, render_columns
from kaohe.workbook.parts import quote_sheet
from kaohe.values import column_letter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHUNK_ROWS = 5000
DRAWING_RID = "rIdKaoheDrawing"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"


@dataclass
class Column:
    header: str
    style: str = "text"
    width: float = 10.0


@dataclass(frozen=True)
class ChartSpec:
    """A column chart placed on the sheet: categories and values are ranges of that sheet."""

    title: str
    categories: str  # e.g. $B$2:$B$9
    values: str
    anchor: tuple[int, int, int, int]  # from col, from row, to col, to row (0-based)
    max_value: float | None = None


@dataclass
class SheetSpec:
    """One output sheet, ready to render."""

    name: str
    columns: list[Column]
    rows: list[list] | None = None           # row-major values, or
    data: dict[str, list] | None = None      # column-major values (fast path); datetime64 arrays allowed
    total_row: list | None = None
    freeze: str = "A2"
    autofilter: bool = True
    landscape: bool = True
    fit_width: bool = True
    print_titles: bool = True
    highlights: list[tuple[str, str]] = field(default_factory=list)  # (header, dxf name): value > 0
    header_rows: list[list] | None = None    # extra rows above the header (titles)
    extra_xml: str = ""                       # e.g. <drawing r:id=.../>, already in schema order
    row_styles: dict[int, str] = field(default_factory=dict)
    chart: ChartSpec | None = None
    merge: list[str] = field(default_factory=list)  # ranges such as A1:F1
    data_name: str | None = None              # a workbook-level name over header + data rows (合计 excluded)
    protection_xml: str = ""                  # HR's <sheetProtection/> kept from the sheet being replaced
    # 问题清单: notes -> the same sheet with the writer's notes added
    with_notes: Callable[[list[Finding]], SheetSpec] | None = None
    hidden: bool = False                     # a new sheet is added hidden (kaohe's own records)
    owned: bool = True                       # False: an input sheet HR keeps (kaohe add-sheet), not recorded as kaohe's
    changed_rows: tuple[str, str] | None = None  # (header, dxf name): whole data rows where that column is not 0
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties it records (what it shows)
    # Printing. ``scale`` (percent) instead of fit-to-width keeps text readable (several pages wide);
    # ``title_columns`` (e.g. "A:B") repeat on every page, like the header row; ``title_rows`` is the
    # number of rows from the column header down that repeat (2 = the header and the row below it);
    # ``page_header`` is an Excel header text (&L &C &R, &P page, &N pages); ``row_heights`` by row number.
    foot_rows: list[list] = field(default_factory=list)  # below the table, without borders (legend, signature)
    scale: int | None = None
    title_columns: str | None = None
    title_rows: int = 1
    page_header: str | None = None
    row_heights: dict[int, float] = field(default_factory=dict)

    def row_count(self) -> int:
        """The number of data rows (合计 and the rows above and below the table not counted)."""
        return len(self.rows) if self.rows is not None else (len(next(iter(self.data.values()))) if self.data else 0)


def render(spec: SheetSpec, styles: dict[str, int], dxfs: dict[str, int]) -> bytes:
    """The worksheet part for ``spec``, with style ids from the workbook's appended styles."""
    return "".join(render_chunks(spec, styles, dxfs)).encode("utf-8")


def render_chunks(spec: SheetSpec, styles: dict[str, int], dxfs: dict[str, int]):
    """The worksheet part in text pieces of at most ``CHUNK_ROWS`` rows (streamed into the zip)."""
    at = _Layout.of(spec)
    out = _opening(spec, at) + _title_rows(spec, styles, at)
    ids = [styles[c.style] for c in spec.columns]
    kinds = [c.style for c in spec.columns]
    if spec.data is not None:
        yield "".join(out)
        out = []
        yield from _column_chunks(spec, ids, kinds, at, styles.get("date"))
    else:
        out += _listed_rows(spec, styles, ids, kinds, at)
    out += _bottom_rows(spec, styles, kinds, at)
    out.append("</sheetData>")
    out.append(spec.protection_xml)
    out += _data_features(spec, dxfs, at)
    out += _page_setup(spec)
    yield "".join(out)


@dataclass(frozen=True)
class _Layout:
    """Where a sheet's rows lie: column letters, the header row, the number of data rows, the table's last row
    (合计 included)."""

    letters: list[str]
    header: int
    n: int
    last: int

    @classmethod
    def of(cls, spec: SheetSpec) -> _Layout:
        header, n = len(spec.header_rows or []) + 1, spec.row_count()
        return cls([column_letter(i) for i in range(len(spec.columns))], header, n,
                   header + n + (1 if spec.total_row is not None else 0))

    @property
    def data_last(self) -> int:
        return self.header + self.n


def _opening(spec: SheetSpec, at: _Layout) -> list[str]:
    """From the XML declaration to ``<sheetData>``: page fit, extent, frozen panes, column widths."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
    if spec.fit_width and not spec.scale:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    out.append(f'<dimension ref="A1:{at.letters[-1]}{at.last + len(spec.foot_rows)}"/>')
    out.append(_sheet_views(spec.freeze))
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    out.append("<cols>" + "".join(f'<col min="{i + 1}" max="{i + 1}" width="{c.width:g}" customWidth="1"/>'
                                  for i, c in enumerate(spec.columns)) + "</cols>")
    out.append("<sheetData>")
    return out


def _sheet_views(freeze: str) -> str:
    """The sheet view, with the panes frozen above and left of ``freeze`` (e.g. C2) if given."""
    if not freeze:
        return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    m = re.match(r"([A-Z]+)(\d+)", freeze)
    assert m is not None, f"freeze must be a cell address such as C2, not {freeze!r}"
    col_split = _col_index(m.group(1))
    row_split = int(m.group(2)) - 1
    attrs = (f' xSplit="{col_split}"' if col_split else "") + (f' ySplit="{row_split}"' if row_split else "")
    pane = "bottomRight" if col_split and row_split else ("bottomLeft" if row_split else "topRight")
    return (f'<sheetViews><sheetView workbookViewId="0"><pane{attrs} topLeftCell="{freeze}" '
            f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{freeze}" '
            f'sqref="{freeze}"/></sheetView></sheetViews>')


def _title_rows(spec: SheetSpec, styles: dict[str, int], at: _Layout) -> list[str]:
    """The rows above the table (titles) and the column header row."""
    out = []
    for r, row in enumerate(spec.header_rows or [], start=1):
        cells = "".join(cell_xml(f"{at.letters[i]}{r}", v, styles["title"], "text") for i, v in enumerate(row)
                        if v is not None)
        out.append(f'<row r="{r}"{_height(spec, r)}>{cells}</row>')
    hs, r = styles["header"], at.header
    out.append(f'<row r="{r}"{_height(spec, r)}>' + "".join(cell_xml(f"{at.letters[i]}{r}", c.header, hs, "text")
                                                             for i, c in enumerate(spec.columns)) + "</row>")
    return out


def _column_chunks(spec: SheetSpec, ids: list[int], kinds: list[str], at: _Layout, date_id: int | None = None):
    """The data rows of column-major data, ``CHUNK_ROWS`` at a time."""
    assert spec.data is not None  # called for column-major data only
    cols = [spec.data[c.header] for c in spec.columns]
    memos: list[dict] = [{} for _ in cols]
    for start in range(0, at.n, CHUNK_ROWS):
        part = [col[start:start + CHUNK_ROWS] for col in cols]
        yield "".join(render_columns(part, at.letters, ids, kinds, at.header + 1 + start, len(part[0]), memos,
                                     date_id))


def _listed_rows(spec: SheetSpec, styles: dict[str, int], ids: list[int], kinds: list[str], at: _Layout) -> list[str]:
    """The data rows of row-major data (a row may carry its own style, ``row_styles``)."""
    assert spec.rows is not None  # called for row-major data only
    out = []
    for k, row in enumerate(spec.rows):
        r = at.header + 1 + k
        row_style = spec.row_styles.get(k)
        cells = "".join(cell_xml(f"{at.letters[i]}{r}", v, styles[row_style] if row_style else ids[i], kinds[i])
                        for i, v in enumerate(row))
        out.append(f'<row r="{r}"{_height(spec, r)}>{cells}</row>')
    return out


def _bottom_rows(spec: SheetSpec, styles: dict[str, int], kinds: list[str], at: _Layout) -> list[str]:
    """The 合计 row and the rows below the table (legend, signature: no borders)."""
    out = []
    if spec.total_row is not None:
        r = at.last
        total_ids = [styles.get(f"total_{k}", styles["total_text"]) for k in kinds]
        cells = "".join(cell_xml(f"{at.letters[i]}{r}", v, total_ids[i], kinds[i])
                        for i, v in enumerate(spec.total_row) if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    for k, row in enumerate(spec.foot_rows, start=at.last + 1):
        cells = "".join(cell_xml(f"{at.letters[i]}{k}", v, styles["note"], "text") for i, v in enumerate(row)
                        if v is not None)
        out.append(f'<row r="{k}">{cells}</row>')
    return out


def _data_features(spec: SheetSpec, dxfs: dict[str, int], at: _Layout) -> list[str]:
    """Filter, merged cells and conditional formats over the data rows."""
    out, letters, first, last = [], at.letters, at.header + 1, at.data_last
    if spec.autofilter and at.n:
        out.append(f'<autoFilter ref="A{at.header}:{letters[-1]}{last}"/>')
    if spec.merge:
        out.append(f'<mergeCells count="{len(spec.merge)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in spec.merge)
                   + "</mergeCells>")
    priority = 1
    for header, dxf in spec.highlights:
        i = next((k for k, c in enumerate(spec.columns) if c.header == header), None)
        if i is None or not at.n:
            continue
        out.append(f'<conditionalFormatting sqref="{letters[i]}{first}:{letters[i]}{last}"><cfRule type="cellIs" '
                   f'dxfId="{dxfs[dxf]}" priority="{priority}" operator="greaterThan"><formula>0</formula></cfRule>'
                   '</conditionalFormatting>')
        priority += 1
    if spec.changed_rows and at.n:
        i = next(k for k, c in enumerate(spec.columns) if c.header == spec.changed_rows[0])
        out.append(f'<conditionalFormatting sqref="A{first}:{letters[-1]}{last}"><cfRule type="expression" '
                   f'dxfId="{dxfs[spec.changed_rows[1]]}" priority="{priority}"><formula>'
                   f'AND(ISNUMBER(${letters[i]}{first}),${letters[i]}{first}&lt;&gt;0)</formula></cfRule>'
                   '</conditionalFormatting>')
    return out


def _page_setup(spec: SheetSpec) -> list[str]:
    """Margins, paper and scale, the page header and footer, then what follows them (drawing) and the end."""
    orient = "landscape" if spec.landscape else "portrait"
    fit = f' scale="{spec.scale}"' if spec.scale else (' fitToWidth="1" fitToHeight="0"' if spec.fit_width else "")
    header = f"<oddHeader>{escape(spec.page_header)}</oddHeader>" if spec.page_header else ""
    out = ['<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>',
           f'<pageSetup paperSize="9" orientation="{orient}"{fit}/>',
           f'<headerFooter>{header}<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>',
           spec.extra_xml]
    if spec.chart is not None:
        out.append(f'<drawing r:id="{DRAWING_RID}"/>')
    out.append("</worksheet>")
    return out


def _height(spec: SheetSpec, r: int) -> str:
    h = spec.row_heights.get(r)
    return f' ht="{h:g}" customHeight="1"' if h else ""


def page_header(company: str, middle: str) -> str:
    """An Excel page header: the company at the left, ``middle`` centred, 第 N 页 共 M 页 at the right."""
    def plain(text: str) -> str:
        return text.replace("&", "&&")
    return f"&L{plain(company)}&C{plain(middle)}&R第 &P 页 共 &N 页"


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def chart_xml(sheet: str, chart: ChartSpec) -> bytes:
    """A clustered column chart over ranges of ``sheet``."""
    quoted = quote_sheet(sheet)
    title = escape(chart.title)
    scale = '<c:orientation val="minMax"/>' + (f'<c:max val="{number_text(chart.max_value)}"/><c:min val="0"/>'
                                                if chart.max_value is not None else "")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{REL_NS}"><c:roundedCorners val="0"/>'
            f'<c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx>'
            f'<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
            f'<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
            f'<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>{title}</c:v></c:tx>'
            f'<c:invertIfNegative val="0"/>'
            f'<c:dLbls><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
            f'<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
            f'<c:cat><c:strRef><c:f>{escape(quoted)}!{chart.categories}</c:f></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{escape(quoted)}!{chart.values}</c:f></c:numRef></c:val></c:ser>'
            f'<c:gapWidth val="80"/><c:axId val="10"/><c:axId val="20"/></c:barChart>'
            f'<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            f'<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
            f'<c:crossAx val="20"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
            f'<c:lblOffset val="100"/></c:catAx>'
            f'<c:valAx><c:axId val="20"/><c:scaling>{scale}</c:scaling><c:delete val="0"/><c:axPos val="l"/>'
            f'<c:majorGridlines/><c:numFmt formatCode="0" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
            f'<c:crossAx val="10"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
            f'</c:plotArea><c:plotVisOnly val="1"/></c:chart></c:chartSpace>').encode()


def drawing_xml(chart: ChartSpec, chart_rid: str) -> bytes:
    c1, r1, c2, r2 = chart.anchor
    point = lambda tag, col, row: (f"<xdr:{tag}><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"  # noqa: E731
                                   f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{tag}>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<xdr:wsDr xmlns:xdr="{XDR_NS}" xmlns:a="{A_NS}"><xdr:twoCellAnchor>'
            f'{point("from", c1, r1)}{point("to", c2, r2)}'
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="{escape(chart.title)}"/>'
            f'<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
            f'</xdr:xfrm><a:graphic><a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" xmlns:r="{REL_NS}" '
            f'r:id="{chart_rid}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>'
            f'</xdr:twoCellAnchor></xdr:wsDr>').encode()
