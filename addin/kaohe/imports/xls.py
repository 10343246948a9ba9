"""Excel 97-2003 (.xls, BIFF8) punch exports read with xlrd.

Each BIFF8 string carries its own flag: one byte per character (Latin-1) or two (UTF-16LE). The
CODEPAGE record only matters for the older BIFF5 files. ZKTime 5.0 writes UTF-16 strings into files
whose CODEPAGE says 1252; xlrd follows each string's flag and reads them, calamine decodes them by
the code page and returns mojibake (``è\\x90è•`` for 部门). So .xls goes through xlrd; cells come
back as calamine returns them (dates and times as datetime objects, whole numbers as int, blanks as
'') so the readers see one kind of row whatever the file.
"""
from __future__ import annotations

import xlrd


def _cell(cell, datemode: int):
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            stamp = xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
        if cell.value < 1:
            return stamp.time()
        return stamp.date() if float(cell.value).is_integer() else stamp
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return cell.value


def xls_sheets(data: bytes) -> list[tuple[str, list[list]]]:
    """Every sheet of an .xls file as (name, rows); raises xlrd's errors for a damaged or encrypted file."""
    book = xlrd.open_workbook(file_contents=data, on_demand=True)
    try:
        out = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            out.append((sheet.name, [[_cell(c, book.datemode) for c in sheet.row(r)] for r in range(sheet.nrows)]))
            book.unload_sheet(index)
        return out
    finally:
        book.release_resources()
