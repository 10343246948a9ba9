"""Finding a sheet's header row: the one place that scans the first rows of a sheet for known header texts.

Used for HR's input sheets (kaohe.workbook.read), the punch exports of time clocks, DingTalk and WeCom
(kaohe.imports), 赤兔 reports (kaohe.imports.chitu) and the statistics exports kaohe reconciles with
(kaohe.imports.reconcile).

A cell is compared by :func:`header_key`: its text with every space removed (``工 号`` is 工号, a
line break inside a cell does not count); a cell that is not text is never a header. The header is
the first of the first ``scan`` rows holding every ``required`` name and, when ``alternatives`` are
given, every name of at least one of them.

Two-level headers (DingTalk's and WeCom's statistics, ``two_level=True``): when the row under the
candidate is a second level — empty under the first required name, or a row of labels with units
(``事假(天)``) that a CSV export packs to the left — the two rows make one header and each column is
named ``group/label`` (``请假/事假(天)``); a column with nothing below keeps its upper name. Such a
column can be looked up by its full name, its label or its group (the group's first column).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable, Sequence

HEADER_SCAN_ROWS = 10  # how far down a sheet its header may sit (title rows above it)


def header_key(value) -> str:
    """A header cell as compared: its text without any space (``工 号`` -> ``工号``); '' for a non-text cell."""
    return "".join(value.split()) if isinstance(value, str) else ""


def column_index(names: Sequence[str]) -> dict[str, int]:
    """Name -> the first column holding it, for every non-empty name, in column order."""
    out: dict[str, int] = {}
    for i, name in enumerate(names):
        if name:
            out.setdefault(name, i)
    return out


def sheet_columns(rows: Sequence[Sequence]) -> dict[str, int]:
    """The columns of a sheet kaohe wrote itself (its header is row 1): name -> first column."""
    return column_index([header_key(v) for v in rows[0]]) if rows else {}


@dataclass(frozen=True)
class Header:
    """A header found: its (last) row index — data starts on the next row — and its column names."""

    row: int
    names: tuple[str, ...]  # one per column; a two-level header joined as ``group/label``
    columns: dict[str, int]  # name (also label and group of a joined name) -> first column

    def __contains__(self, name: str) -> bool:
        return name in self.columns

    def value(self, row: Sequence, name: str):
        """The cell of column ``name`` in ``row``; None when the header lacks it or the row is short."""
        i = self.columns.get(name)
        return row[i] if i is not None and i < len(row) else None


def _lookup(names: Sequence[str], joined: bool) -> dict[str, int]:
    """Column lookup of a header: each name; for a joined two-level header also each group and label."""
    out = column_index(names)
    for i, name in enumerate(names if joined else ()):
        group, _, label = name.rpartition("/")
        for part in (group, label) if group else ():
            out.setdefault(part, i)
    return out


def find_header(rows: Sequence[Sequence], required: Sequence[str] = (), *,
                alternatives: Sequence[Sequence[str]] = (), test: Callable[[Header], bool] | None = None,
                scan: int = HEADER_SCAN_ROWS, normalise: Callable[[object], str] = header_key,
                two_level: bool = False) -> Header | None:
    """The first header among the first ``scan`` rows holding every ``required`` name, all names of at
    least one of ``alternatives`` (when given) and passing ``test``; None when there is none."""
    for r, row in enumerate(rows[:scan]):
        names = [normalise(v) for v in row]
        last = r
        if two_level and required and required[0] in names and r + 1 < len(rows):
            sub = [normalise(v) for v in rows[r + 1]]
            if _is_second_level(names, sub, names.index(required[0])):
                names, last = _joined(names, _aligned(names, sub, names.index(required[0]))), r + 1
        header = Header(last, tuple(names), _lookup(names, last > r))
        if all(n in header for n in required) and (
                not alternatives or any(all(n in header for n in group) for group in alternatives)) and (
                test is None or test(header)):
            return header
    return None


_UNIT = re.compile(r"[（(](?:天|小时|次|分钟|元|秒|个|%)[)）]$")


def _is_second_level(top: list[str], sub: list[str], anchor: int) -> bool:
    """Whether ``sub`` is the lower row of a two-level header: under the anchor column (a merged cell such
    as 姓名) it is empty, or every cell it has is a label with a unit (``事假(天)``) — a left-packed CSV row."""
    filled = [x for x in sub if x]
    if not filled:
        return False
    if anchor >= len(sub) or not sub[anchor]:
        return True
    return all(_UNIT.search(x) for x in filled)


def _aligned(top: list[str], sub: list[str], anchor: int) -> list[str]:
    """A left-packed second header row (CSV) moved under the groups of the first row; a group is a label
    followed by empty cells, and its sub-labels fill the group's columns in order."""
    if not sub or anchor >= len(sub) or sub[anchor] == "" or not _UNIT.search(sub[0]):
        return sub
    slots: list[int] = []
    for i, label in enumerate(top):
        if label and i + 1 < len(top) and not top[i + 1]:
            j = i + 1
            while j < len(top) and not top[j]:
                j += 1
            slots += range(i, j)
    out = [""] * max(len(top), len(sub))
    for i, label in zip(slots, [x for x in sub if x]):
        out[i] = label
    return out


def _joined(top: list[str], sub: list[str]) -> list[str]:
    """Column names of two header rows: ``group/label`` where a label sits under a group, else the upper name
    (or the group it continues)."""
    joined, group = [], ""
    for i in range(max(len(top), len(sub))):
        upper = top[i] if i < len(top) else ""
        low = sub[i] if i < len(sub) else ""
        group = upper or group
        joined.append(f"{group}/{low}" if low and low != group else (upper or group))
    return joined
