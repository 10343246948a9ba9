"""Rows of an input sheet that are totals, not data. A total row totals the rows above it:

- the total row of an Excel Table (the table's ``totalsRowCount``);
- a row whose numeric cells are all aggregates (SUM, SUBTOTAL, COUNT …) of their own column over rows above
  them — at least one — and that has no 工号, 姓名, date or time of its own;
- a row whose first cell says 汇总/合计/总计/小计/Total.

HR's everyday formulas are data: a running 序号 (``=SUBTOTAL(103,$B$2:B2)``, ``=COUNTA($B$2:B2)``) counts
another column down to its own row, and a Table's calculated column (``=SUM(名册[@[基本工资]:[岗位津贴]])``)
reads its own row. A formula filled down is saved once with its copies pointing at it (a shared formula): each
copy is read at its own cell. Each skipped row is a 提示 naming the rule that recognised it.
"""
from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kaohe import terms
from kaohe.findings import Finding
from kaohe.values import column_letter, is_blank
from kaohe.workbook.parts import TABLE_REL, read_rels, read_sheets

TOTAL_WORDS = frozenset({"汇总", "合计", "总计", "小计", "total", "totals", "grandtotal"})
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_R = re.compile(rb'\br="\$?([A-Z]{0,3})\$?([0-9]*)"')
_AGGREGATE = re.compile(r"\b(SUBTOTAL|AGGREGATE|SUM|COUNTA?|AVERAGEA?|MAX|MIN|PRODUCT)\(", re.I)
_A1 = re.compile(r"(?<![A-Za-z0-9_.])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?::(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7}))?"
                 r"(?![A-Za-z0-9_(])")
_STRUCTURED = re.compile(r"([^\s\[\](),!+\-*/&=<>^\"';:]*)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]")
_STRING = re.compile(r'"[^"]*"')


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _attr(attrs: bytes, name: bytes) -> str | None:
    m = re.search(rb"\b" + name + rb'="([^"]*)"', attrs)
    return m.group(1).decode("utf-8") if m else None


@dataclass
class TableArea:
    """An Excel Table of the sheet: where its data rows are and which column each name is."""

    name: str
    first_col: int
    data: tuple[int, int]  # first and last data row
    columns: list[str]

    def column(self, name: str) -> int | None:
        key = name.replace("'", "").strip().lower()
        hits = [i for i, n in enumerate(self.columns) if n.lower() == key]
        return self.first_col + hits[0] if hits else None


@dataclass
class SheetScan:
    """What the sheet's XML says beyond cell values: total rows (row -> (why, the columns of its aggregates: the
    row's other 工号, 姓名, date and time cells must be blank; None for a Table's total row, a total by Excel's word))
    and, for the styles asked for, which cells carry them (column -> rows, style ids)."""

    totals: dict[int, tuple[str, frozenset[int] | None]] = field(default_factory=dict)
    styled: dict[int, tuple[array, array]] = field(default_factory=dict)


def scan_sheet(path: Path, sheet: str, styles: frozenset[int] = frozenset()) -> SheetScan:
    """Total rows of ``sheet`` and the cells with a style id in ``styles`` (one streaming pass over its XML)."""
    scan = SheetScan()
    try:
        with zipfile.ZipFile(path) as zf:
            targets, _ = read_rels(zf.read("xl/_rels/workbook.xml.rels"), "xl")
            part = next((x.part for x in read_sheets(zf.read("xl/workbook.xml"), targets) if x.name == sheet), "")
            tables = _tables(zf, part, scan.totals)
            with zf.open(part) as fh:
                _scan_rows(fh, tables, styles, scan)
    except (KeyError, ValueError, zipfile.BadZipFile):
        return scan
    return scan


def _tables(zf: zipfile.ZipFile, part: str, totals: dict) -> list[TableArea]:
    """The sheet's Tables; each total row (totalsRowCount) goes into ``totals``."""
    folder, name = part.rsplit("/", 1)
    rels = f"{folder}/_rels/{name}.rels"
    found, types = read_rels(zf.read(rels), folder) if rels in zf.namelist() else ({}, {})
    out = []
    for rid, table in found.items():
        if types[rid] != TABLE_REL or table not in zf.namelist():
            continue
        xml = zf.read(table)
        head = re.search(rb"<(?:\w+:)?table\b([^>]*)>", xml)
        if head is None:
            continue
        attrs = head.group(1)
        ref = re.fullmatch(r"([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)", _attr(attrs, b"ref") or "")
        if ref is None:
            continue
        first, last = int(ref.group(2)), int(ref.group(4))
        headers = int(_attr(attrs, b"headerRowCount") or 1)
        count = int(_attr(attrs, b"totalsRowCount") or 0)
        label = _attr(attrs, b"displayName") or _attr(attrs, b"name") or ""
        totals.update({r: (f"表格“{label}”的汇总行（Excel 表格的汇总行）", None) for r in range(last - count + 1, last + 1)})
        columns = [m.group(1).decode("utf-8") for m in re.finditer(rb'<(?:\w+:)?tableColumn\b[^>]*?\bname="([^"]*)"', xml)]
        out.append(TableArea(label, col_index(ref.group(1)), (first + headers, last - count), columns))
    return out


def _scan_rows(fh, tables: list[TableArea], styles: frozenset[int], scan: SheetScan) -> None:
    """Rows holding a formula are read whole, cells with a wanted style by their address; the rest is skipped
    unread (a sheet of punches without formulas costs one search per block). A sheet whose rows or cells lack
    their address (r) is read row by row, counting."""
    masters: dict[str, tuple[int, int, str]] = {}  # shared formula id -> (row, column, formula)
    wanted = b"|".join(str(i).encode() for i in sorted(styles)) or b"-"
    styled = re.compile(rb'<(?:\w+:)?c\b([^>]*?\ss="(?:' + wanted + rb')"[^>]*)')
    buffer, row_no = b"", 0
    numbered: bool | None = None
    tag: bytes | None = None
    for block in iter(lambda: fh.read(1 << 22), b""):
        buffer += block
        tag = tag or next((m.group(0) for m in [re.search(rb"<(?:\w+:)?row\b", buffer)] if m), None)
        end = buffer.rfind(b"</" + tag[1:] + b">") if tag else -1  # the end of the last complete row
        if tag is None or end < 0:
            continue
        end += len(tag) + 2
        region, buffer = buffer[:end], buffer[end:]
        if numbered is None:
            first = _ROW.search(region)
            numbered = first is None or bool(_R.search(first.group(1)) and _R.search(first.group(2) or b'r="A1"'))
        if not numbered:
            for m in _ROW.finditer(region):
                r = _R.search(m.group(1))
                row_no = int(r.group(2)) if r and r.group(2) else row_no + 1
                _scan_row(row_no, m.group(2) or b"", tables, styles, masters, scan)
            continue
        for m in styled.finditer(region) if styles else ():
            _keep_style(m.group(1), scan)
        for m in _hit_rows(region, _FORMULA, tag):
            address = _R.search(m.group(1))
            assert address is not None  # _hit_rows yields only rows with their address
            _scan_row(int(address.group(2)), m.group(2), tables, frozenset(), masters, scan)


def _keep_style(attrs: bytes, scan: SheetScan, row: int | None = None, col: int | None = None) -> None:
    r = _R.search(attrs)
    if r and r.group(1):
        col = col_index(r.group(1).decode())
        row = int(r.group(2)) if r.group(2) else row
    # a cell without its address is only met in a sheet read row by row, whose caller passes row and column
    assert row is not None and col is not None
    style = _attr(attrs, b"s")
    assert style is not None  # callers pass only cells with a wanted style id
    rows, ids = scan.styled.setdefault(col, (array("l"), array("l")))
    rows.append(row)
    ids.append(int(style))


def _hit_rows(region: bytes, hit: re.Pattern[bytes], tag: bytes) -> Iterator[re.Match[bytes]]:
    """The rows of ``region`` (rows open with ``tag``: ``<row`` or a prefixed ``<x:row``) that ``hit`` finds
    something in, each once."""
    done = 0
    for m in hit.finditer(region):
        if m.start() < done:
            continue
        row = _ROW.match(region, region.rfind(tag, 0, m.start()))
        if row is None or not _R.search(row.group(1)):
            continue
        done = row.end()
        yield row


def _scan_row(row: int, inner: bytes, tables, styles, masters, scan: SheetScan) -> None:
    """One row: its cells with a wanted style (``styles``), and whether it is a total row by its formulas."""
    sums, other, col = [], False, -1
    for m in _CELL.finditer(inner):
        attrs, body = m.group(1), m.group(2) or b""
        r = _R.search(attrs)
        col = col_index(r.group(1).decode()) if r and r.group(1) else col + 1
        style = _attr(attrs, b"s")
        if styles and style is not None and int(style) in styles:
            _keep_style(attrs, scan, row, col)
        kind = _attr(attrs, b"t") or "n"
        f = _FORMULA.search(body)
        if f is None:
            other = other or (kind in ("n", "d") and _VALUE.search(body) is not None)
            continue
        text = _formula_at(f, row, col, masters)
        if text is not None and _totals_own_column(text, row, col, tables):
            aggregate = _AGGREGATE.search(text)
            assert aggregate is not None  # _totals_own_column found one outside its strings, so in the whole text
            sums.append((col, aggregate.group(1).upper()))
        elif kind == "n":
            other = True
    if sums and not other:
        first, name = sums[0]
        why = f"汇总行（{column_letter(first)}{row} 用 {name} 汇总本列以上各行，本行没有自己的工号、日期或其他数值）"
        scan.totals.setdefault(row, (why, frozenset(col for col, _ in sums)))


def _formula_at(f: re.Match, row: int, col: int, masters: dict) -> str | None:
    """The formula of a cell as if written there: a shared formula's copy is its master moved by the offset."""
    attrs, text = f.group(1), (f.group(2) or b"").decode("utf-8", "replace")
    si = _attr(attrs, b"si")
    if _attr(attrs, b"t") != "shared" or si is None:
        return text or None
    if text:
        masters[si] = (row, col, text)
        return text
    if si not in masters:
        return None
    r0, c0, master = masters[si]
    return _moved(master, row - r0, col - c0)


def _moved(formula: str, dr: int, dc: int) -> str:
    """``formula`` filled ``dr`` rows down and ``dc`` columns right (absolute parts stay)."""
    def one(dollar_c, letters, dollar_r, digits):
        col = col_index(letters) + (0 if dollar_c else dc)
        row = int(digits) + (0 if dollar_r else dr)
        return f"{dollar_c}{column_letter(max(col, 0))}{dollar_r}{max(row, 1)}"

    def move(m: re.Match) -> str:
        out = one(*m.group(1, 2, 3, 4))
        return out + (":" + one(*m.group(5, 6, 7, 8)) if m.group(6) else "")

    parts = re.split(r'("[^"]*")', formula)
    return "".join(p if p.startswith('"') else _A1.sub(move, p) for p in parts)


def _totals_own_column(formula: str, row: int, col: int, tables: list[TableArea]) -> bool:
    """An aggregate whose every reference is this cell's own column, in rows above it, on this sheet."""
    text = _STRING.sub('""', formula)
    if not _AGGREGATE.search(text):
        return False
    spans = []
    for m in _STRUCTURED.finditer(text):
        span = _structured_span(m.group(1), m.group(2), row, col, tables)
        if span is None:
            return False
        spans.append(span)
    text = _STRUCTURED.sub("", text)
    for m in _A1.finditer(text):
        if m.start() and text[m.start() - 1] == "!":
            return False  # another sheet's cells
        c1, r1 = col_index(m.group(2)), int(m.group(4))
        c2, r2 = (col_index(m.group(6)), int(m.group(8))) if m.group(6) else (c1, r1)
        spans.append((c1, c2, max(r1, r2)))
    return bool(spans) and all(c1 == c2 == col and last < row for c1, c2, last in spans)


def _structured_span(table: str, body: str, row: int, col: int, tables: list[TableArea]
                     ) -> tuple[int, int, int] | None:
    """(first column, last column, last row) of a Table reference over data rows; None for this row's cells,
    headers or totals, or a table or column this sheet does not have."""
    items = re.findall(r"\[([^\[\]]*)\]", body) or [body]
    if body.lstrip().startswith("@") or any(i.strip().lower() in ("#this row", "#headers", "#totals", "#all")
                                            for i in items):
        return None
    area = next((t for t in tables if t.name.lower() == table.lower()), None) if table else \
        next((t for t in tables if t.first_col <= col < t.first_col + len(t.columns)), None)
    names = [i for i in items if not i.strip().startswith("#")]
    if area is None or not names:
        return None
    cols = [i for i in (area.column(n) for n in names) if i is not None]
    if len(cols) < len(names):
        return None
    return min(cols), max(cols), area.data[1]


def skip_totals(sheet: str, columns: list[list], excel_rows: list[int], positions: list[int],
                totals: dict[int, tuple[str, frozenset[int] | None]], keys: Sequence[int] = ()
                ) -> tuple[list[list], list[int], list[Finding]]:
    """Drop total rows (see the module), each with a 提示 naming its row and the rule. ``keys``: indexes of the
    columns (工号, 姓名, dates and times) that make a row data whatever its formulas say."""
    first = columns[positions.index(min(positions))] if columns else []
    words = {v for v in set(first) if isinstance(v, str) and len(v) <= 12 and terms.key(v) in TOTAL_WORDS}  # each text once
    drop = {i: f"汇总行（首格为“{v.strip()}”）" for i, v in enumerate(first) if v in words} if words else {}
    at = {row: i for i, row in enumerate(excel_rows)} if totals else {}
    for row in sorted(r for r in totals if r in at and at[r] not in drop):
        i = at[row]
        if not _has_own_keys(totals[row][1], [(positions[k], columns[k][i]) for k in keys]):
            drop[i] = totals[row][0]
    drop = dict(sorted(drop.items()))
    if not drop:
        return columns, excel_rows, []
    findings = [Finding(sheet, f"{column_letter(min(positions))}{excel_rows[i]}", f"第{excel_rows[i]}行是{why}",
                        "跳过此行，不作为员工或打卡", level=terms.LEVEL_INFO, code="read.total_row") for i, why in drop.items()]
    keep = [i for i in range(len(excel_rows)) if i not in drop]
    return [[col[i] for i in keep] for col in columns], [excel_rows[i] for i in keep], findings


def _has_own_keys(sums: frozenset[int] | None, keys: list[tuple[int, object]]) -> bool:
    """Does a row recognised by its aggregates (in columns ``sums``) have a 工号, name, date or time of its own?"""
    return sums is not None and any(_own(value) for col, value in keys if col not in sums)


def _own(value) -> bool:
    """A 工号, name, date or time of the row's own (a total's label is not one)."""
    return not is_blank(value) and not (isinstance(value, str) and terms.key(value) in TOTAL_WORDS)
