"""What every job shares: 问题清单 rows with 工号 and 姓名, the reading of a KPI or review workbook, 运行记录."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from kaohe.engine.month import load_policy, roster_frame
from kaohe.findings import RULES_BAD_VALUE, RULES_UNKNOWN_KEY
from kaohe.policy.catalog import BY_ID, FAMILIES
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook.read import check_file, fingerprint_file, missing_sheet, read_book
from kaohe.workbook.saving import forcing
from kaohe.workbook.write import previous_problems, problems_spec, run_log_spec, save


def errors(findings) -> int:
    """How many findings are 错误 (a value kaohe could not use; the terminal says so)."""
    return sum(f.level == terms.LEVEL_ERROR for f in findings)


def roster_names(tables) -> dict[str, str]:
    """工号 -> 姓名 of 员工名册 (for the 姓名 column of 问题清单)."""
    t = tables.get(c.ROSTER.key)
    if t is None:
        return {}
    return {e: n for e, n in zip(t.frame["emp"], t.frame["name"]) if e is not None and n is not None}


def with_people(findings, tables) -> list:
    """Findings with their 工号 filled in from the input row their cell points at (when they lack one)."""
    by_row = {}
    for t in tables.values():
        if "emp" in t.letters:
            by_row[t.sheet] = dict(zip(t.frame["row"], t.frame["emp"]))
    out = []
    for f in findings:
        m = re.fullmatch(r"[A-Z]{1,3}([0-9]+)", f.cell or "")
        emp = by_row.get(f.sheet, {}).get(int(m.group(1))) if m and not f.emp else None
        out.append(dataclasses.replace(f, emp=str(emp)) if emp else f)
    return out


def problems_of(findings, source: str, month: str, previous, tables):
    """问题清单 rows of one command (see :func:`kaohe.workbook.write.problems_spec`), with 工号 and 姓名."""
    return problems_spec(with_people(findings, tables), source, month, previous, roster_names(tables))


def book_problems(book: Path, tables, findings, source: str, month: str = ""):
    """问题清单 of a job on a workbook file: this command's rows for ``month`` replace its earlier ones."""
    return problems_of(findings, source, month, previous_problems(book), tables)


def rules_findings(found, family: str = "") -> list:
    """The 规则 findings a KPI, review or import command lists (by code): unknown keys and bad values — or, for a
    ``family`` (KPI), the bad values of that family's parameters only. The attendance compliance warnings belong to
    compute-month's 问题清单."""
    if family:
        return [f for f in found if f.code == RULES_BAD_VALUE and BY_ID[f.rule].family == FAMILIES[family]]
    return [f for f in found if f.code in (RULES_UNKNOWN_KEY, RULES_BAD_VALUE)]


def read_people(book: Path, specs, required: c.InputSheet, raw: tuple[str, ...] = (), may_be_open: bool = False):
    """Read a KPI or review workbook: (data, findings, policy, roster). ``required`` must be there.

    Of the 规则 findings only unknown keys and bad values are kept: the attendance compliance warnings do not
    belong in a KPI or review 问题清单.
    """
    data = read_book(book, specs, raw=raw, may_be_open=may_be_open)
    if not data.has(required) and required.name not in data.raw:
        raise missing_sheet(required.name, data.sheet_names)
    findings = list(data.findings)
    policy, found = load_policy(data.tables)
    findings += rules_findings(found)
    roster, found = roster_frame(data.table(c.ROSTER))
    findings += found
    return data, findings, policy, roster


def log_step(book: Path, month: str, command: str, counts: str) -> None:
    """Append one row to 运行记录 of ``book`` (nothing else is written)."""
    book = Path(book)
    with run_lock(book):
        check_file(book)
        save(book, None, [run_log_spec(book, command, month, fingerprint_file(book), counts)])



def allowing_read_only(flag: bool):
    """``--force``: the jobs run inside may write a workbook marked read-only (kaohe refuses one otherwise)."""
    return forcing(flag)
