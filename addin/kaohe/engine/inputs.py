"""Input rows read as HR meant them, before a month is computed.

- **One identity rule** (the import's too, :mod:`kaohe.imports.identity`): an id is compared in one form,
  :func:`kaohe.values.normal_id` (full-width ``１０３`` is ``103``, spaces around it do not count), and a
  工号 of any sheet is shown as 员工名册 has it. An id that matches only once leading zeros are dropped
  (``1`` for ``001``), and then names one person only, is that person, with a 提示 saying so.
- **Dates without a year.** A date of an event typed without its year (``9月8日``; the columns of
  contract.YEARLESS) takes the year that puts it nearest the month computed — December's in a January
  run is of the year before — with a 提示 naming the cell. More than two months away it stays blank,
  an 错误: the year cannot be told. Today's date never decides it.
- **Findings about other months.** A finding about an input row dated wholly outside the month (a
  leave of October, September's 打卡异常) belongs to that month's run, not to this one's 问题清单.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping

import pandas as pd

from kaohe import terms
from kaohe.findings import DATE_DOUBT, Finding, InputRefused
from kaohe.policy.catalog import article
from kaohe.tables import Table
from kaohe.values import normal_id

ID_FIELDS = ("emp", "ratee", "rater")  # the fields of input tables that hold a 工号
MONTHS_AWAY = 2  # a date without a year further than this from the month computed is not given one
# The fields that date an input row (a leave spans its start to its end), by table role.
DATED = {"leave": ("start", "end"), "overtime": ("date",), "exceptions": ("date",), "proxy": ("date",),
         "rota": ("date",), "holidays": ("date",), "punches": ("ts", "date"), "imported": ("ts",)}
DOUBTED = {"leave": ("applied",)}  # the other dates of a row whose date a DATE_DOUBT finding questions


def _unzeroed(key: str) -> str:
    return key.lstrip("0") or "0"


class IdIndex:
    """Ids and whom they name: exactly in their compared form, else without leading zeros when that names
    one person only."""

    def __init__(self):
        self.exact: dict[str, str] = {}
        self._zeros: dict[str, set] | None = None  # built on first use, dropped by add

    def add(self, ident, target: str) -> None:
        """``ident`` names ``target`` (a later add of the same id replaces an earlier one)."""
        self.exact[normal_id(ident)] = target
        self._zeros = None

    def get(self, ident) -> str | None:
        return self.exact.get(normal_id(ident))

    def without_zeros(self, ident) -> str | None:
        """The one target whose id equals ``ident`` once leading zeros are dropped; None if none or several."""
        key = normal_id(ident)
        if not key.isdigit():
            return None
        if self._zeros is None:
            self._zeros = {}
            for k, target in self.exact.items():
                if k.isdigit():
                    self._zeros.setdefault(_unzeroed(k), set()).add(target)
        hits = self._zeros.get(_unzeroed(key), set())
        return next(iter(hits)) if len(hits) == 1 else None


def roster_index(ids) -> IdIndex:
    """员工名册's 工号 as an index (the first row of an id typed twice, in either width, wins)."""
    index = IdIndex()
    for emp in ids:
        if emp is not None and index.get(emp) is None:
            index.add(emp, emp)
    return index


def same_ids(tables: Mapping[str, Table]) -> tuple[dict[str, Table], list[Finding]]:
    """Every 工号 of the input tables as 员工名册 writes it; a 提示 for each id matched without its zeros."""
    out: dict[str, Table] = dict(tables)
    findings: list[Finding] = []
    roster = tables.get("roster")
    if roster is None or not len(roster.frame):
        return out, findings
    index = roster_index(roster.frame["emp"])
    for key, t in tables.items():
        fields = [f for f in ID_FIELDS if f in t.frame] if key not in ("roster", "identity") else []
        frame = t.frame
        for field in fields:
            mapping, found = _id_mapping(t, field, index, key)
            if mapping:
                frame = frame.assign(**{field: frame[field].map(lambda v, m=mapping: m.get(v, v))})
            findings += found
        out[key] = dataclasses.replace(t, frame=frame) if frame is not t.frame else t
    return out, findings


def _id_mapping(t: Table, field: str, index: IdIndex, key: str) -> tuple[dict, list[Finding]]:
    """Typed id -> 员工名册's 工号 for the ids of one column written otherwise, and the 提示 of zero matches."""
    mapping, findings = {}, []
    for typed in t.frame[field].dropna().unique():
        emp = index.get(typed)
        if emp is None and (emp := index.without_zeros(typed)) is not None:
            first = int(t.frame.loc[t.frame[field] == typed, "row"].min())
            findings.append(Finding(t.sheet, t.cell(field, first), f"工号“{typed}”按员工名册的“{emp}”计算"
                                    "（去掉前导零后只对得上此人）", "如不是此人，请改正工号", "ATT-03", article("ATT-03"),
                                    terms.LEVEL_INFO, emp, code=f"{key}.id_without_zeros"))
        if emp is not None and emp != typed:
            mapping[typed] = emp
    return mapping, findings


# --- dates without a year ------------------------------------------------------------------------

def nearest_year(month_day, first: dt.date) -> tuple[int, int]:
    """The year that puts a month and day nearest the month starting ``first``, and how many months away."""
    here = first.year * 12 + first.month
    year = min((first.year - 1, first.year, first.year + 1), key=lambda y: abs(y * 12 + month_day.month - here))
    return year, abs(year * 12 + month_day.month - here)


def with_years(tables: Mapping[str, Table], month: str, first: dt.date) -> tuple[dict[str, Table], list[Finding]]:
    """Every date typed without a year given the year nearest ``month`` (a 提示 each), or left blank (an 错误)."""
    out, findings = dict(tables), []
    for key, t in tables.items():
        if not t.yearless:
            continue
        frame, bad = t.frame.copy(), set(t.bad)
        at = {row: i for i, row in zip(frame.index, frame["row"])}
        for (field, row), (md, kind) in t.yearless.items():
            value, finding = _dated(t, field, row, md, kind, month, first, key)
            findings.append(finding)
            if value is None:
                bad.add(finding.cell)
            else:
                frame.at[at[row], field] = value
        out[key] = dataclasses.replace(t, frame=frame, bad=bad)
    return out, findings


def _dated(t: Table, field: str, row: int, md, kind: str, month: str, first: dt.date, key: str):
    """(the date or date-time of one cell typed without a year, or None; the finding that says so)."""
    cell, header = t.cell(field, row), t.headers.get(field, field)
    year, away = nearest_year(md, first)
    if away > MONTHS_AWAY:
        return None, Finding(t.sheet, cell, f"{header}“{md.text}”没有年份，离计算的月份 {month} 超过{MONTHS_AWAY}个月，"
                             "无法确定是哪一年", "按空值处理；请写明年份", code=f"{key}.no_year")
    try:
        day = md.on(year)
    except ValueError as exc:
        return None, Finding(t.sheet, cell, f"{header}“{md.text}”没有年份，{exc}", "按空值处理；请写明年份",
                             code=f"{key}.no_year")
    value = dt.datetime.combine(day, md.time or dt.time()) if kind == "datetime" else day
    shown = f"{value:%Y-%m-%d %H:%M}" if kind == "datetime" and md.time else f"{day:%Y-%m-%d}"
    return value, Finding(t.sheet, cell, f"{header}“{md.text}”没有年份，按 {shown} 计算（离计算的月份 {month} 最近）",
                          "如不对，请写明年份", level=terms.LEVEL_INFO, code=f"{key}.year_assumed")


# --- findings of this month ---------------------------------------------------------------------

_ROW = re.compile(r"[A-Z]{1,3}([0-9]+)")


def _row_of(cell: str) -> int | None:
    m = _ROW.fullmatch(cell or "")
    return int(m.group(1)) if m else None


def about_month(findings: list[Finding], tables: Mapping[str, Table], first: dt.date, last: dt.date) -> list[Finding]:
    """The findings without those about input rows dated wholly outside the month (another month's run lists
    them); findings about undated rows, whole sheets or people stay. A finding that doubts the row's date
    itself (DATE_DOUBT: a wrong year?) stays in the months of the row's other dates too (its 申请日期)."""
    rows: dict[str, set[int]] = {}
    for f in findings:
        if (row := _row_of(f.cell)) is not None:
            rows.setdefault(f.sheet, set()).add(row)
    outside = {doubt: _outside(tables, rows, first, last, doubt) for doubt in (False, True)}
    return [f for f in findings if (f.sheet, _row_of(f.cell)) not in outside[f.code == DATE_DOUBT]]


def _outside(tables: Mapping[str, Table], rows: dict[str, set[int]], first: dt.date, last: dt.date,
             doubt: bool) -> set[tuple[str, int]]:
    """(sheet, row) of the rows asked for whose dates all lie outside the month."""
    lo, hi = pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(days=1)
    outside: set[tuple[str, int]] = set()
    for key, fields in DATED.items():
        t = tables.get(key)
        if t is None or t.sheet not in rows:
            continue
        f = t.frame[t.frame["row"].isin(rows[t.sheet])]
        fields = fields + (DOUBTED.get(key, ()) if doubt else ())
        stamps = [pd.to_datetime(f[x], errors="coerce") for x in fields if x in f]
        inside = pd.concat([(s >= lo) & (s < hi) for s in stamps], axis=1).any(axis=1)
        span = pd.concat(stamps[:2], axis=1)
        inside |= (span.min(axis=1) < lo) & (span.max(axis=1) >= hi)  # a leave spanning the whole month
        dated = pd.concat([s.notna() for s in stamps], axis=1).any(axis=1)
        outside |= {(t.sheet, int(r)) for r in f.loc[(dated & ~inside).to_numpy(), "row"]}
    return outside


def punch_dates(tables: dict[str, Table]) -> pd.Series:
    """The date of every punch in 打卡记录 and 打卡导入 (whoever it is for)."""
    parts = []
    for key in ("punches", "imported"):
        t = tables.get(key)
        if t is not None and t.present:
            parts.append(pd.to_datetime(t.frame["ts" if "ts" in t.letters else "date"], errors="coerce"))
    return pd.concat(parts, ignore_index=True).dropna().dt.normalize() if parts else pd.Series([], dtype="datetime64[ns]")


def refuse_month_without_punches(tables: dict[str, Table], month: str, first: dt.date, last: dt.date) -> None:
    """A month with no punch for anyone is a typo or a missing import, never a month of total absence."""
    dates = punch_dates(tables)
    if ((dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))).any():
        return
    have = (f"已有 {dates.min():%Y-%m-%d} 至 {dates.max():%Y-%m-%d}" if len(dates) else "两表都没有打卡")
    have_en = (f"they cover {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "there are none")
    punched, imported = tables["punches"].sheet, tables["imported"].sheet
    raise InputRefused(f"{punched}和{imported}中没有 {month} 的打卡（{have}）",
                       f"no punches for {month} in {punched} or {imported} ({have_en}); nothing written")
