"""Reading input sheets into typed frames that remember each row's sheet and cell.

python-calamine reads the cells (fast, no styles); the header row is found by its text in the
first rows; each column is parsed by its kind (contract.COLUMN_KINDS) and renamed to the
engine's field name (contract.INPUT_FIELDS). A cell that cannot be understood becomes a
finding with its address, and its value is blank. A file that cannot be used at all raises
:class:`InputRefused` (exit status 2, nothing written): :mod:`kaohe.workbook.guard` checks the file
before a cell is read.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import itertools
import os
import zipfile
from operator import itemgetter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine

from kaohe import terms
from kaohe.findings import Finding, InputRefused
from kaohe.headers import HEADER_SCAN_ROWS, find_header
from kaohe.tables import Table
from kaohe.workbook import contract as c
from kaohe.workbook.guard import MAX_SHEET_CELLS, check_file, check_sheet_extent
from kaohe.workbook.numfmt import id_formats, padded_styles, shown_ids
from kaohe.workbook.totals import scan_sheet, skip_totals
from kaohe.values import (MAX_YEAR, MIN_YEAR, MonthDay, column_letter, date_system, is_blank, parse_date,
                          parse_datetime, parse_id, parse_month_day, parse_number, parse_text, parse_time)

_VOCAB_OF_COLUMN = {terms.key(h): v for h, v in c.SYNONYM_COLUMNS.items()}


def parse_vocab_column(value) -> str | None:
    """规则.列: the header of a value column HR adds synonyms for, read as that column's vocabulary."""
    if is_blank(value):
        return None
    vocab = _VOCAB_OF_COLUMN.get(terms.key(value))
    if vocab is None:
        raise ValueError(f"同义词的列“{value}”无效（应为 {'/'.join(c.SYNONYM_COLUMNS)}）")
    return vocab


PARSERS = {"id": parse_id, "date": parse_date, "datetime": parse_datetime, "time": parse_time,
           "number": parse_number, "raw": lambda v: None if is_blank(v) else v, "vocab_column": parse_vocab_column}


@dataclass
class Book:
    """Every input sheet of a workbook that kaohe reads, and what was wrong with them."""

    path: Path
    tables: dict[str, Table]
    findings: list[Finding]
    fingerprint: str
    raw: dict[str, list[list]] = field(default_factory=dict)  # rows of other sheets asked for by name
    sheet_names: tuple[str, ...] = ()

    def table(self, spec: c.InputSheet) -> Table:
        return self.tables.get(spec.key) or empty_table(spec)

    def has(self, spec: c.InputSheet) -> bool:
        """Whether the workbook has the sheet with a usable header row."""
        return spec.key in self.tables and self.tables[spec.key].present


def empty_table(spec: c.InputSheet) -> Table:
    """A table with the sheet's fields and no rows: a sheet the workbook does not have (``present`` false)."""
    fields = [c.INPUT_FIELDS[h] for h in spec.columns] + ["row"]
    return Table(spec.name, pd.DataFrame({f: pd.Series([], dtype=object) for f in fields}),
                 headers={c.INPUT_FIELDS[h]: h for h in spec.columns}, present=False)


def missing_sheet(name: str, present) -> InputRefused:
    """The refusal for a missing required sheet, naming the nearest sheet that is there (a typo, a space); a
    sheet there under its exact name but without a usable header row is said as such, never "did you mean" it."""
    if name in {str(p) for p in present}:
        return InputRefused(f"工作表“{name}”中找不到表头（必需的列），请对照模板检查表头行",
                            f"sheet '{name}' has no header row with its required columns")
    close = difflib.get_close_matches(name, [str(p) for p in present], n=1, cutoff=0.5)
    hint = f"，您是否想用“{close[0]}”？（请把工作表改名为“{name}”）" if close else ""
    hint_en = f"; did you mean '{close[0]}'?" if close else ""
    return InputRefused(f"缺少必需的工作表“{name}”{hint}", f"required sheet '{name}' is missing{hint_en}")


def fingerprint_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def open_workbook(path: Path, may_be_open: bool = False) -> python_calamine.CalamineWorkbook:
    check_file(path, may_be_open)
    try:
        return python_calamine.CalamineWorkbook.from_path(os.fspath(path))
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise InputRefused("工作簿无法读取（文件可能已损坏）", f"the workbook cannot be read: {exc}") from None


def read_book(path: Path, specs: tuple[c.InputSheet, ...] = c.ATTENDANCE_INPUTS, raw: tuple[str, ...] = (),
              may_be_open: bool = False) -> Book:
    """Read the input sheets of ``specs`` (typed) and of ``raw`` (cell rows, if present) from a workbook file.

    Date serial numbers are read in the workbook's own date system (1900, or 1904 from Mac Excel).
    ``may_be_open``: a read-only command (finance, rules) may read a workbook open in Excel.
    """
    path = Path(path)
    wb = open_workbook(path, may_be_open)
    with date_system(is_1904(path)):
        return _read_book(path, wb, specs, raw)


def is_1904(path: Path) -> bool:
    """Does the workbook count dates from 1904 (workbookPr date1904)?"""
    from kaohe.workbook.parts import local, parse, truthy

    with zipfile.ZipFile(path) as zf:
        root = parse(zf.read("xl/workbook.xml"))
    return any(local(el) == "workbookPr" and truthy(el.get("date1904")) for el in root)


def _read_book(path: Path, wb, specs, raw) -> Book:
    findings: list[Finding] = []
    tables: dict[str, Table] = {}
    sheet_names = tuple(wb.sheet_names)
    names = set(sheet_names)
    padded = padded_styles(path)
    for spec in specs:
        if spec.name not in names:
            if spec.mandatory:
                raise missing_sheet(spec.name, sheet_names)
            tables[spec.key] = empty_table(spec)
            continue
        check_sheet_extent(path, spec.name)
        sheet = wb.get_sheet_by_name(spec.name)
        if sheet.total_height * max(sheet.total_width, 1) > MAX_SHEET_CELLS:
            raise InputRefused(f"工作表“{spec.name}”过大（{sheet.total_height} 行 × {sheet.total_width} 列）",
                               f"sheet '{spec.name}' is too large")
        try:
            scan = scan_sheet(path, spec.name, frozenset(padded))
            table, found = table_from_rows(spec, sheet.iter_rows(), scan.totals, id_formats(scan, padded))
            findings += found
        except InputRefused:
            raise
        except Exception as exc:  # calamine's own errors for damaged sheets
            raise InputRefused(f"工作表“{spec.name}”无法读取", f"sheet '{spec.name}' cannot be read: {exc}") from None
        tables[spec.key] = table if table is not None else empty_table(spec)
    raw_rows = {}
    for name in raw:
        if name in names:
            check_sheet_extent(path, name)
            try:
                raw_rows[name] = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise InputRefused(f"工作表“{name}”无法读取", f"sheet '{name}' cannot be read: {exc}") from None
    wb.close()
    return Book(path, tables, findings, fingerprint_file(path), raw_rows, sheet_names)


def tables_from_rows(sheet_rows, specs: tuple[c.InputSheet, ...]) -> tuple[dict[str, Table], list[Finding]]:
    """Typed tables from a source of raw rows: ``sheet_rows(name)`` gives a sheet's rows, or None if absent.

    The live workbook (xlwings) reads through this; files go through :func:`read_book`.
    """
    findings: list[Finding] = []
    tables: dict[str, Table] = {}
    for spec in specs:
        rows = sheet_rows(spec.name)
        if rows is None:
            if spec.mandatory:
                raise InputRefused(f"缺少必需的工作表“{spec.name}”", f"required sheet '{spec.name}' is missing")
            tables[spec.key] = empty_table(spec)
            continue
        table, found = table_from_rows(spec, rows)
        findings += found
        tables[spec.key] = table if table is not None else empty_table(spec)
    return tables, findings


def table_from_rows(spec: c.InputSheet, rows, totals: dict | None = None,
                    formats=None) -> tuple[Table | None, list[Finding]]:
    """Typed table from raw cell rows (an iterable; row 0 is Excel row 1), ``None`` if the header is missing;
    and what reading it found.

    Rows are consumed one at a time and only the contract's columns are kept, so a sheet of
    a million punches is never held as Python rows. Total rows — ``totals`` (Excel row -> (why, whether a
    工号 or date of its own makes it data), from the file: :func:`kaohe.workbook.totals.scan_sheet`) and rows
    whose first cell says 汇总/合计/总计/小计/Total — are skipped with a 提示: they are never an employee or a
    punch. ``formats(column) -> {Excel row: number format}``: an id typed as 1 and formatted 0000 is ``0001``.
    """
    rows = iter(rows)
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    found, findings = _header_of(spec, head)
    if found is None:
        return None, findings
    header_row, index = found
    headers = list(index)
    positions = [index[h] for h in headers]
    columns, excel_rows = _pick_columns(spec, itertools.chain(head[header_row + 1:], rows), positions, header_row + 2)
    kinds = c.COLUMN_KINDS.get(spec.name, {})
    keys = [i for i, h in enumerate(headers) if h == "姓名" or kinds.get(h) in ("id", "date", "datetime", "time")]
    columns, excel_rows, skipped = skip_totals(spec.name, columns, excel_rows, positions, totals or {}, keys)
    data, cells, found = _typed_columns(spec, headers, positions, columns, excel_rows, formats)
    findings += skipped + found
    for header in spec.columns:
        data.setdefault(c.INPUT_FIELDS[header], [None] * len(excel_rows))
    frame = pd.DataFrame({**{k: v if isinstance(v, pd.Series) else pd.Series(v, dtype=object) for k, v in data.items()},
                          "row": pd.Series(excel_rows, dtype="int64")})
    vocab = {c.INPUT_FIELDS[h]: v for h, v in c.VALUE_COLUMNS.get(spec.name, {}).items()}  # a blank means a value
    letters, bad, typed, yearless = cells
    return Table(spec.name, frame, letters, bad, typed, {c.INPUT_FIELDS[h]: h for h in headers}, vocab,
                 yearless=yearless), findings


def _typed_columns(spec: c.InputSheet, headers: list[str], positions: list[int], columns: list[list],
                   excel_rows: list[int], formats):
    """Each kept column parsed by its kind: (data by field, (letters, unreadable cells, numeric 工号, dates
    without a year), findings)."""
    kinds = c.COLUMN_KINDS.get(spec.name, {})
    letters: dict[str, str] = {}
    bad: set[str] = set()
    typed: dict[str, object] = {}
    yearless: dict[tuple[str, int], tuple[MonthDay, str]] = {}
    data: dict[str, object] = {}
    findings: list[Finding] = []
    for header, col, column in zip(headers, positions, columns):
        fieldname = c.INPUT_FIELDS[header]
        letters[fieldname] = column_letter(col)
        parsed, found = _typed_column(spec, header, letters[fieldname], column, excel_rows, (bad, typed, yearless))
        findings += found
        if formats is not None and kinds.get(header) == "id":
            parsed, found = shown_ids(spec.name, header, letters[fieldname], (column, excel_rows),
                                      parsed, formats(col), typed)
            findings += found
        data[fieldname] = parsed
    return data, (letters, bad, typed, yearless), findings


def _header_of(spec: c.InputSheet, head: list[list]) -> tuple[tuple[int, dict[str, int]] | None, list[Finding]]:
    """The sheet's header (row, contract column -> column, in column order); refused for a mandatory sheet
    without one, a finding (the sheet unused) for an optional sheet."""
    header = find_header(head, spec.required, alternatives=spec.alternatives)
    if header is not None:
        return (header.row, {name: i for name, i in header.columns.items() if name in spec.columns}), []
    wanted = "、".join(spec.required + (spec.alternatives[0] if spec.alternatives else ()))
    if spec.mandatory:
        raise InputRefused(f"工作表“{spec.name}”缺少必需的列（需要：{wanted}）",
                           f"sheet '{spec.name}' lacks required columns ({wanted})")
    return None, [Finding(spec.name, "A1", f"找不到表头（需要：{wanted}）", "整张表未使用", code="read.no_header")]


def _typed_column(spec: c.InputSheet, header: str, letter: str, column: list, excel_rows: list[int],
                  kept: tuple[set[str], dict[str, object], dict]) -> tuple[list, list[Finding]]:
    """One column parsed by its kind (contract.COLUMN_KINDS): in bulk when every cell has the expected type,
    else cell by cell; a cell that cannot be read is blank, with a finding and its address in ``bad``; 工号
    typed as numbers are remembered in ``typed``; an event's date typed without its year (contract.YEARLESS)
    is blank, kept in ``yearless`` for the month computed to date it (``kept``: bad, typed, yearless)."""
    bad, typed, yearless = kept
    kind = c.COLUMN_KINDS.get(spec.name, {}).get(header, "text")
    fast = _fast_column(column, kind)
    if fast is not None:
        return fast, []
    parse = PARSERS.get(kind, parse_text)
    action = "忽略此行" if header in c.ROW_KEY_COLUMNS.get(spec.name, ()) else "按空值处理"
    values: list[object] = []
    findings: list[Finding] = []
    dated_later = header in c.YEARLESS.get(spec.name, ())
    for excel_row, raw in zip(excel_rows, column):
        month_day = parse_month_day(raw) if dated_later else None
        if month_day is not None:
            values.append(None)
            yearless[(c.INPUT_FIELDS[header], excel_row)] = (month_day, kind)
            continue
        try:
            values.append(parse(raw))
            if kind == "id" and isinstance(values[-1], str):  # parse_id gives text or None
                typed_id(raw, values[-1], typed)
        except (ValueError, TypeError, OverflowError) as exc:
            values.append(None)
            bad.add(f"{letter}{excel_row}")
            findings.append(Finding(spec.name, f"{letter}{excel_row}", f"{header}：{exc}", action, code="read.bad_value"))
    return values, findings


def typed_id(raw, text: str, typed: dict[str, object]) -> None:
    """Remember a 工号 typed as a number (``1``, not the text ``'1``): kaohe keeps 工号 as text inside but
    writes it back as the sheet had it, so that VLOOKUP/MATCH from a payroll sheet find it."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        typed[text] = int(raw) if float(raw).is_integer() else raw


PICK_CHUNK = 20_000
MAX_SHARED, TEXT = 100_000, {str, type(None)}


def _filled(column: tuple) -> list[bool]:
    return [v is not None and (v.__class__ is not str or bool(v.strip())) for v in column]


def _pick_columns(spec: c.InputSheet, rows, positions: list[int], first: int) -> tuple[list[list], list[int]]:
    """The cells at ``positions`` of every non-blank row, column by column, with their Excel row numbers.

    Rows are taken in chunks: a chunk is picked and transposed in C (itemgetter, zip) and blank
    rows are dropped by column masks, so no Python loop runs per punch."""
    need = max(positions) + 1
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda r: (r[positions[0]],))
    columns: list[list] = [[] for _ in positions]
    texts: list[dict] = [{} for _ in positions]  # each text once: a month repeats 工号, names and devices
    excel_rows: list[int] = []
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, PICK_CHUNK)):
        picked = [pick(r) if len(r) >= need else tuple(r[j] if j < len(r) else None for j in positions)
                  for r in chunk]
        transposed = list(zip(*picked))
        keep = np.zeros(len(picked), dtype=bool)
        for column in transposed:
            keep |= np.array(_filled(column), dtype=bool)
        excel_rows.extend((np.flatnonzero(keep) + first).tolist())
        for out, column, seen in zip(columns, transposed, texts):
            kept = list(itertools.compress(column, keep))
            out.extend(map(seen.setdefault, kept, kept) if len(seen) < MAX_SHARED and set(map(type, kept)) <= TEXT else kept)
        first += len(chunk)
        if len(excel_rows) * len(positions) > MAX_SHEET_CELLS:
            raise InputRefused(f"工作表“{spec.name}”过大", f"sheet '{spec.name}' is too large")
    return columns, excel_rows


def _fast_column(column: list, kind: str) -> list | None:
    """Bulk parsing of a column whose cells are all of the expected type (the common case)."""
    types = {type(v) for v in column}
    if kind == "datetime" and types <= {dt.datetime, str, type(None)}:
        if str in types and any(v for v in column if isinstance(v, str) and v.strip()):
            return None
        stamps = pd.to_datetime(pd.Series([v if isinstance(v, dt.datetime) else None for v in column],
                                          dtype=object)).dt.round("s")
        years = stamps.dt.year
        if ((years < MIN_YEAR) | (years > MAX_YEAR)).any():
            return None
        return stamps  # datetime64: no Python object per punch
    if kind == "text" and types <= {str, type(None)}:
        return [v.strip() or None if v is not None else None for v in column]
    if kind == "id" and types <= {str, type(None)}:
        out = [v.strip() or None if v is not None else None for v in column]
        if any(v is not None and len(v) > 64 for v in out):
            return None
        return out
    return None
