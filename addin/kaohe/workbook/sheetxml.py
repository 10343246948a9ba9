"""Output sheets as SpreadsheetML, written directly (streamed text, no openpyxl round trip).

Why not openpyxl: loading and re-saving HR's whole workbook drops what openpyxl does not
understand (and takes ~25 s per 2,000 employees). kaohe instead renders only its own sheets
here and :mod:`kaohe.workbook.package` puts them into the package, leaving every other part
byte-identical.

Strings are written as inline strings (``t="inlineStr"``) so the workbook's shared-strings
part stays untouched; a text that looks like a formula (``=HYPERLINK(...)``) is still text.
Only :class:`Formula` values become formulas, and only kaohe creates those.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from kaohe.values import column_letter, epoch

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32767
CHUNK_ROWS = 5000
MAX_MEMO = 200_000  # distinct texts remembered per column
DRAWING_RID = "rIdKaoheDrawing"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"



@dataclass(frozen=True)
class Formula:
    """An Excel formula kaohe writes (without the leading '='); ``cached`` is its value."""

    text: str
    cached: float | str | None = None


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
    with_notes: object = None                 # 问题清单: notes -> the same sheet with the writer's notes added
    hidden: bool = False                     # a new sheet is added hidden (kaohe's own records)
    changed_rows: tuple[str, str] | None = None  # (header, dxf name): whole data rows where that column is not 0
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


def _text(value: str) -> str:
    value = _ILLEGAL_XML.sub("", value)[:MAX_CELL_TEXT]
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f"<is><t{space}>{escape(value)}</t></is>"


def _serial(value) -> float:
    if isinstance(value, dt.datetime):
        return (value - epoch()).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - epoch().date()).days)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    raise TypeError(value)


def cell_xml(ref: str, value, style: int, kind: str) -> str:
    """One cell. ``kind`` is the column's style name: dates and times become serials."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, Formula):
        cached = ""
        if isinstance(value.cached, str):
            return (f'<c r="{ref}" s="{style}" t="str"><f>{escape(value.text)}</f>'
                    f"<v>{escape(value.cached)}</v></c>")
        if value.cached is not None and math.isfinite(value.cached):
            cached = f"<v>{_num(value.cached)}</v>"
        return f'<c r="{ref}" s="{style}"><f>{escape(value.text)}</f>{cached}</c>'
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, dt.time)):
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if kind == "time" and isinstance(value, dt.datetime):
            value = value.time()
        return f'<c r="{ref}" s="{style}"><v>{_num(_serial(value))}</v></c>'
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}" s="{style}" t="inlineStr">{_text("是" if value else "否")}</c>'
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not math.isfinite(float(value)):
            return f'<c r="{ref}" s="{style}"/>'
        return f'<c r="{ref}" s="{style}"><v>{_num(value)}</v></c>'
    return f'<c r="{ref}" s="{style}" t="inlineStr">{_text(str(value))}</c>'


def _num(value) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 10))


def render(spec: SheetSpec, styles: dict[str, int], dxfs: dict[str, int]) -> bytes:
    """The worksheet part for ``spec``, with style ids from the workbook's appended styles."""
    return "".join(render_chunks(spec, styles, dxfs)).encode("utf-8")


def render_chunks(spec: SheetSpec, styles: dict[str, int], dxfs: dict[str, int]):
    """The worksheet part in text pieces of at most ``CHUNK_ROWS`` rows (streamed into the zip)."""
    ncols = len(spec.columns)
    letters = [column_letter(i) for i in range(ncols)]
    lead = spec.header_rows or []
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
    if spec.fit_width and not spec.scale:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    header_r = len(lead) + 1
    n = len(spec.rows) if spec.rows is not None else (len(next(iter(spec.data.values()))) if spec.data else 0)
    last_r = header_r + n + (1 if spec.total_row is not None else 0)
    out.append(f'<dimension ref="A1:{letters[-1]}{last_r + len(spec.foot_rows)}"/>')
    freeze = spec.freeze
    if freeze:
        m = re.match(r"([A-Z]+)(\d+)", freeze)
        col_split = _col_index(m.group(1))
        row_split = int(m.group(2)) - 1
        attrs = (f' xSplit="{col_split}"' if col_split else "") + (f' ySplit="{row_split}"' if row_split else "")
        pane = "bottomRight" if col_split and row_split else ("bottomLeft" if row_split else "topRight")
        out.append(f'<sheetViews><sheetView workbookViewId="0"><pane{attrs} topLeftCell="{freeze}" '
                   f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{freeze}" '
                   f'sqref="{freeze}"/></sheetView></sheetViews>')
    else:
        out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    out.append("<cols>" + "".join(f'<col min="{i + 1}" max="{i + 1}" width="{c.width:g}" customWidth="1"/>'
                                  for i, c in enumerate(spec.columns)) + "</cols>")
    out.append("<sheetData>")
    title = styles["title"]
    for r, row in enumerate(lead, start=1):
        cells = "".join(cell_xml(f"{letters[i]}{r}", v, title, "text") for i, v in enumerate(row) if v is not None)
        out.append(f'<row r="{r}"{_height(spec, r)}>{cells}</row>')
    hs = styles["header"]
    out.append(f'<row r="{header_r}"{_height(spec, header_r)}>' + "".join(cell_xml(f"{letters[i]}{header_r}", c.header, hs, "text")
                                                 for i, c in enumerate(spec.columns)) + "</row>")
    ids = [styles[c.style] for c in spec.columns]
    kinds = [c.style for c in spec.columns]
    if spec.data is not None:
        yield "".join(out)
        out = []
        cols = [spec.data[c.header] for c in spec.columns]
        memos = [{} for _ in cols]
        for start in range(0, n, CHUNK_ROWS):
            part = [col[start:start + CHUNK_ROWS] for col in cols]
            yield "".join(_render_columns(part, letters, ids, kinds, header_r + 1 + start, len(part[0]), memos))
    else:
        for k, row in enumerate(spec.rows):
            r = header_r + 1 + k
            row_style = spec.row_styles.get(k)
            cells = "".join(cell_xml(f"{letters[i]}{r}", v, styles[row_style] if row_style else ids[i], kinds[i])
                            for i, v in enumerate(row))
            out.append(f'<row r="{r}"{_height(spec, r)}>{cells}</row>')
    if spec.total_row is not None:
        r = last_r
        total_ids = [styles.get(f"total_{k}", styles["total_text"]) for k in kinds]
        cells = "".join(cell_xml(f"{letters[i]}{r}", v, total_ids[i], kinds[i])
                        for i, v in enumerate(spec.total_row) if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    for k, row in enumerate(spec.foot_rows, start=last_r + 1):
        cells = "".join(cell_xml(f"{letters[i]}{k}", v, styles["note"], "text") for i, v in enumerate(row) if v is not None)
        out.append(f'<row r="{k}">{cells}</row>')
    out.append("</sheetData>")
    out.append(spec.protection_xml)
    data_last = header_r + n
    if spec.autofilter and n:
        out.append(f'<autoFilter ref="A{header_r}:{letters[-1]}{data_last}"/>')
    if spec.merge:
        out.append(f'<mergeCells count="{len(spec.merge)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in spec.merge)
                   + "</mergeCells>")
    priority = 1
    for header, dxf in spec.highlights:
        i = next((k for k, c in enumerate(spec.columns) if c.header == header), None)
        if i is None or not n:
            continue
        rng = f"{letters[i]}{header_r + 1}:{letters[i]}{data_last}"
        out.append(f'<conditionalFormatting sqref="{rng}"><cfRule type="cellIs" dxfId="{dxfs[dxf]}" '
                   f'priority="{priority}" operator="greaterThan"><formula>0</formula></cfRule></conditionalFormatting>')
        priority += 1
    if spec.changed_rows and n:
        i = next(k for k, c in enumerate(spec.columns) if c.header == spec.changed_rows[0])
        out.append(f'<conditionalFormatting sqref="A{header_r + 1}:{letters[-1]}{data_last}"><cfRule type="expression" '
                   f'dxfId="{dxfs[spec.changed_rows[1]]}" priority="{priority}"><formula>'
                   f'AND(ISNUMBER(${letters[i]}{header_r + 1}),${letters[i]}{header_r + 1}&lt;&gt;0)</formula></cfRule>'
                   '</conditionalFormatting>')
    out.append('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>')
    orient = "landscape" if spec.landscape else "portrait"
    fit = f' scale="{spec.scale}"' if spec.scale else (' fitToWidth="1" fitToHeight="0"' if spec.fit_width else "")
    out.append(f'<pageSetup paperSize="9" orientation="{orient}"{fit}/>')
    header = f"<oddHeader>{escape(spec.page_header)}</oddHeader>" if spec.page_header else ""
    out.append(f'<headerFooter>{header}<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>')
    out.append(spec.extra_xml)
    if spec.chart is not None:
        out.append(f'<drawing r:id="{DRAWING_RID}"/>')
    out.append("</worksheet>")
    yield "".join(out)


def _height(spec: SheetSpec, r: int) -> str:
    h = spec.row_heights.get(r)
    return f' ht="{h:g}" customHeight="1"' if h else ""


def page_header(company: str, middle: str) -> str:
    """An Excel page header: the company at the left, ``middle`` centred, 第 N 页 共 M 页 at the right."""
    def plain(text: str) -> str:
        return text.replace("&", "&&")
    return f"&L{plain(company)}&C{plain(middle)}&R第 &P 页 共 &N 页"


def _render_columns(cols, letters, ids, kinds, first_row, n, memos) -> list[str]:
    """Rows from column-major data: each column rendered at once by its kind, then zipped."""
    if not n:
        return []
    rows = [str(first_row + k) for k in range(n)]
    rendered = [_column(values, letter, sid, kind, rows, memo)
                for values, letter, sid, kind, memo in zip(cols, letters, ids, kinds, memos)]
    return [f'<row r="{r}">{"".join(cells)}</row>' for r, cells in zip(rows, zip(*rendered))]


def _column(values: list, letter: str, sid: int, kind: str, rows: list[str], memo: dict) -> list[str]:
    """The cells of one column. Numbers and dates are formatted in bulk; texts are memoised."""
    head = f'<c r="{letter}'
    blank = f'" s="{sid}"/>'
    if kind in ("money", "days", "hours", "int", "percent", "score", "date", "datetime", "time"):
        numbers = _numbers(values, kind)
        if numbers is not None:
            mid, tail = f'" s="{sid}"><v>', "</v></c>"
            return [head + r + (blank if v is None else mid + v + tail) for r, v in zip(rows, numbers)]
    out = []
    for r, v in zip(rows, values):
        if isinstance(v, str):
            body = memo.get(v)
            if body is None:
                body = f'" s="{sid}" t="inlineStr">{_text(v)}</c>'
                if len(memo) < MAX_MEMO:
                    memo[v] = body
            out.append(head + r + body)
        else:
            out.append(cell_xml(f"{letter}{r}", v, sid, kind))
    return out


def _numbers(values: list, kind: str) -> list[str | None] | None:
    """Number texts for a column of numbers or date-times (None for blanks); None if mixed."""
    try:
        if kind in ("date", "datetime", "time"):
            ts = pd.Series(values) if isinstance(values, np.ndarray) and values.dtype.kind == "M" else \
                pd.to_datetime(pd.Series(values, dtype=object), errors="raise")
            if kind == "time":
                serial = (ts - ts.dt.normalize()) / pd.Timedelta(days=1)
            else:
                serial = (ts - pd.Timestamp(epoch())) / pd.Timedelta(days=1)
            arr = serial.to_numpy(dtype=float)
        else:
            if any(isinstance(v, (str, Formula)) for v in values):
                return None
            arr = pd.to_numeric(pd.Series(values, dtype=object), errors="raise").to_numpy(dtype=float)
    except (TypeError, ValueError):
        return None
    finite = np.isfinite(arr)
    whole = finite & (np.abs(arr) < 1e15) & (np.floor(arr) == arr)
    ints = np.where(whole, arr, 0).astype(np.int64).astype(str).tolist()
    return [t if w else (repr(round(a, 10)) if f else None)
            for t, w, f, a in zip(ints, whole.tolist(), finite.tolist(), arr.tolist())]


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def chart_xml(sheet: str, chart: ChartSpec) -> bytes:
    """A clustered column chart over ranges of ``sheet``."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    title = escape(chart.title)
    scale = '<c:orientation val="minMax"/>' + (f'<c:max val="{_num(chart.max_value)}"/><c:min val="0"/>'
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
            f'</c:plotArea><c:plotVisOnly val="1"/></c:chart></c:chartSpace>').encode("utf-8")


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
            f'</xdr:twoCellAnchor></xdr:wsDr>').encode("utf-8")
