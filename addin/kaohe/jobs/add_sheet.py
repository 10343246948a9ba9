"""``kaohe add-sheet BOOK 工作表名``: append an input sheet of the template that an existing workbook lacks.

A workbook made before a sheet existed (罚则, ATT-14; 假别, LV-25) gets it with the rows the template would give it —
made from the workbook's own 规则, so that adding the sheet changes no figure. Every other part of the
workbook is copied unchanged (kaohe.workbook.package.write_sheets, after a backup, saved atomically). A
sheet the workbook already has, or one kaohe has no builder for, is refused (exit 2, nothing written).

:data:`BUILDERS` is the registry: sheet name -> ``builder(policy) -> [header, *rows]``; a new input sheet of
the template (假别 …) registers its builder here.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kaohe.engine.month import load_policy
from kaohe.findings import InputRefused
from kaohe.jobs import leave_kinds, penalty_sheet
from kaohe.policy import Policy
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook.read import read_book
from kaohe.workbook.sheetxml import Column, SheetSpec
from kaohe.workbook.write import save

Builder = Callable[[Policy], list[list]]


def _leave_kinds_rows(policy: Policy) -> list[list]:
    """The 假别 sheet (LV-25) of the 规则 in force: the header and the default rows (the company's types with this
    workbook's numbers, then the statutory ones)."""
    return [list(c.LEAVE_KIND_HEADERS), *leave_kinds.sheet_rows(policy)]


BUILDERS: dict[str, Builder] = {c.PENALTIES.name: penalty_sheet.sheet_rows, c.LEAVE_KINDS.name: _leave_kinds_rows}
WIDTHS = {"说明": 50, "处理": 18}


def sheet_spec(name: str, rows: list[list]) -> SheetSpec:
    """An input sheet as HR keeps it: the header row and the rows, text columns sized for Chinese."""
    head = rows[0]
    widths = [WIDTHS.get(h, max(8, sum(2 if ord(ch) > 255 else 1 for ch in h) + 2)) for h in head]
    return SheetSpec(name, [Column(h, "text", w) for h, w in zip(head, widths)], rows=[list(r) for r in rows[1:]],
                     autofilter=False, owned=False)


def add_sheet(book: Path, name: str, out: Path | None = None) -> tuple[Path, Path | None]:
    """Append sheet ``name`` to ``book`` (or its copy ``out``); returns (written, backup)."""
    book = Path(book)
    builder = BUILDERS.get(name)
    if builder is None:
        raise InputRefused(f"没有可添加的工作表“{name}”（可添加：{'、'.join(BUILDERS)}）",
                           f"kaohe cannot add a sheet '{name}' (it can add: {', '.join(BUILDERS)})")
    with run_lock(book):
        data = read_book(book, (c.RULES,))
        if name in data.sheet_names:
            raise InputRefused(f"工作簿已有工作表“{name}”，未做改动", f"the workbook already has a sheet '{name}'; "
                               "nothing written")
        policy, _ = load_policy(data.tables)
        return save(book, out, [sheet_spec(name, builder(policy))])
