"""Imports accumulate: 打卡导入 keeps one row set per source file (file name + content fingerprint)."""
from __future__ import annotations

import datetime as dt

from kaohe.headers import sheet_columns
from kaohe.imports.files import cell_text
from kaohe.workbook import contract as c
from kaohe.values import parse_date, parse_datetime, parse_id


def source_file(source: str) -> str:
    """The file name of a 来源 such as ``1_attlog.dat:12``."""
    return str(source or "").rsplit(":", 1)[0]


def stored_punches(rows: list[list] | None) -> list[tuple]:
    """打卡导入 as written by an earlier import: (工号, 打卡时间, 来源, 文件指纹, 归属日期, 类型) rows; earlier
    versions wrote no 文件指纹 or 类型 (they read as empty) and no 归属日期 (None: the punch's own date)."""
    if not rows:
        return []
    col = sheet_columns(rows)
    headers = [h for h, _ in c.IMPORTED_OUT.columns]
    if not all(h in col for h in headers[:2]):
        return []
    out = []
    for row in rows[1:]:
        get = lambda h, row=row: row[col[h]] if h in col and col[h] < len(row) else None  # noqa: E731
        try:
            emp, ts = parse_id(get(headers[0])), parse_datetime(get(headers[1]))
        except ValueError:
            continue
        if emp and ts:
            out.append((emp, ts, cell_text(get(headers[2])), cell_text(get(headers[3])), _workday(get(headers[4])),
                        cell_text(get(headers[5]))))
    return out


def _workday(value) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


def already_imported(stored: list[tuple], new: dict[tuple[str, str], list[tuple]]) -> bool:
    """Every new source (file name and fingerprint) is already in 打卡导入 and adds nothing to it."""
    known = {(source_file(r[2]), r[3]) for r in stored}
    return all(key in known for key in new) and merge_sources(stored, new) == merge_sources(stored, {})


def merge_sources(stored: list[tuple], new: dict[tuple[str, str], list[tuple]]) -> list[tuple]:
    """Stored rows with each new source's rows in place of that source's earlier rows (same file name and
    fingerprint: importing the identical file again changes nothing; the same name with new content is a
    new source). Stored rows are (工号, 打卡时间, 来源, 文件指纹, 归属日期, 类型), new ones (工号, 打卡时间, 来源,
    归属日期, 类型)."""
    kept = [r for r in stored if (source_file(r[2]), r[3]) not in new]
    added = [(*row[:3], digest, *row[3:]) for (_, digest), rows in new.items() for row in rows]
    return sorted(set(kept + added), key=lambda r: (r[0], r[1], r[2], r[3]))
