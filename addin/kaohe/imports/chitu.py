"""赤兔 (the shop's customer-service software) reports into KPI导入 (docs/导入指南.md, section 6).

A report has an id column (客服昵称 / 客服 / 旺旺) and at least one column that is a KPI indicator
(its name or 别名 in KPI规则); its range is in the file name (``…_2026-04-20至2026-04-20.xlsx``).
Cells as 赤兔 writes them: ``100.00%`` a fraction, ``8分48秒`` seconds, ``延迟统计`` (not computed
yet) missing with a 警告. KPI导入 keeps one row set per file and, per agent and month, the month
they make: counts summed, rates and averages weighted by their count column, a partial month a
警告. ``kaohe kpi`` reads only the month rows.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaohe.findings import Finding, InputRefused
from kaohe.headers import find_header, sheet_columns
from kaohe.imports.files import Source, cell_text, fingerprint, open_sheets
from kaohe.imports.identity import IdMaps
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.sheetxml import Column, SheetSpec
from kaohe.values import column_letter, is_blank, parse_id, parse_number

CHITU_ID_HEADERS = ("客服昵称", "客服", "旺旺")
CHITU_TOTAL_ROWS = ("汇总", "均值", "合计", "平均")
_FILE_RANGE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\s*至\s*(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Metrics:
    """One service agent's figures in one 赤兔 file (a day, a week or the month)."""

    ident: str  # 旺旺 nickname
    month: str
    values: dict  # column as exported -> number (fractions for rates, seconds for durations)
    source: str


NOT_READY = ("延迟统计",)  # 赤兔 has not computed the figure yet


def metric_value(value):
    """A 赤兔 cell as a number: ``100.00%`` -> 1.0, ``8分48秒`` -> 528 (seconds); None for blank; raises
    ValueError for text such as 延迟统计."""
    if is_blank(value) or value == "--":
        return None
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(?:(\d+)\s*小时)?\s*(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+(?:\.\d+)?)\s*秒)?\s*", value)
        if m and any(m.groups()):
            h, mi, s = (float(x) if x else 0.0 for x in m.groups())
            return h * 3600 + mi * 60 + s
    number = parse_number(value)
    if number is None:
        raise ValueError(str(value))
    return number


def file_range(path: Path) -> tuple[dt.date, dt.date]:
    m = _FILE_RANGE.search(path.name)
    if not m:
        raise InputRefused(f"{path.name}：文件名中找不到统计日期范围（如 …_2026-11-01至2026-11-30.xlsx）",
                           f"{path.name}: no date range in the file name")
    g = [int(x) for x in m.groups()]
    return dt.date(*g[:3]), dt.date(*g[3:])


def read_chitu(path: Path, names: dict[str, str]) -> Source | None:
    """赤兔 custom report: an id column (客服昵称 / 客服 / 旺旺) and at least one column that is a KPI
    indicator (its name or 别名 in ``names``); 汇总 / 均值 rows dropped; the indicator columns and the
    count columns they are weighted by kept; the range from the file name. None if not such a report."""
    data = path.read_bytes()
    try:
        sheets, findings = open_sheets(path, data)
    except InputRefused:
        return None
    for _, rows in sheets:
        found = find_header(rows, alternatives=tuple((x,) for x in CHITU_ID_HEADERS),
                            test=lambda h: any(x in names for x in h.names))
        if found is None:
            continue
        span = file_range(path)
        id_col = next(found.columns[x] for x in CHITU_ID_HEADERS if x in found)
        wanted = {x for x in found.names if x in names}
        wanted |= {WEIGHTS[x] for x in wanted if x in WEIGHTS}
        header = [x if x in wanted else "" for x in found.names]
        metrics, problems = _chitu_rows(rows[found.row + 1:], header, id_col, path.name, found.row + 2, f"{span[0]:%Y-%m}")
        if not metrics:
            raise InputRefused(f"{path.name} 中没有读到任何客服的指标：未导入任何文件，工作簿未改动",
                               f"no agent rows in {path.name}; nothing imported")
        return Source(path, "chitu", findings=findings + problems, digest=fingerprint(data), metrics=metrics, span=span)
    return None


def _chitu_rows(rows, header, id_col, file_name, first_row, month):
    out, findings = [], []
    for offset, r in enumerate(rows):
        ident = r[id_col] if id_col < len(r) else None
        if is_blank(ident) or str(ident).strip() in CHITU_TOTAL_ROWS:
            continue
        values = {}
        for i, col in enumerate(header):
            if not col or i == id_col or i >= len(r):
                continue
            try:
                values[col] = metric_value(r[i])
            except ValueError:
                values[col] = None
                why = "赤兔尚未统计完成" if str(r[i]).strip() in NOT_READY else "不是数值"
                findings.append(Finding(file_name, f"{column_letter(i)}{first_row + offset}",
                                        f"“{ident}”的“{col}”为“{r[i]}”（{why}）",
                                        "按缺失处理；请等统计完成后重新导出再导入", "KPI-01", "篇二", level=terms.LEVEL_WARNING,
                                        code="import.bad_value"))
        out.append(Metrics(str(ident).strip(), month, values, f"{file_name}:{first_row + offset}"))
    return out, findings


def resolve_metrics(src: Source, maps: IdMaps) -> tuple[list, list[Finding]]:
    """Each agent's row of a 赤兔 file as FileMetrics of a 工号 (人员对照.旺旺, else the name); unknown
    agents become findings."""
    out, findings = [], list(src.findings)
    for r in src.metrics:
        emp = maps.find((("wangwang", r.ident),), r.ident)
        if emp is None:
            findings.append(Finding(src.path.name, "", f"旺旺“{r.ident}”在人员对照和员工名册中都找不到（{r.source}）",
                                    "这一行指标未导入；请在人员对照的“旺旺”列补上", "KPI-01", "篇二", code="import.unknown_id"))
            continue
        out.append(FileMetrics(r.month, emp, r.values, src.path.name, src.digest, *src.span))
    return out, findings


# --- KPI导入: per-file rows and the month they make -------------------------------------------------

MEAN_MARKS = ("率", "平均", "响应", "客单价")  # columns that are rates or averages: combined as weighted means
WEIGHTS = {"询单->最终付款转化率": "询单人数", "询单->最终付款成功率": "询单人数", "回复率": "接待人数",
           "平均响应(秒)": "接待人数", "平均响应时间": "接待人数", "首次响应(秒)": "接待人数", "首次响应时间": "接待人数"}


@dataclass
class FileMetrics:
    month: str
    emp: str
    values: dict
    source: str
    digest: str
    first: dt.date
    last: dt.date


def range_text(first: dt.date, last: dt.date) -> str:
    return f"{first:%Y-%m-%d}至{last:%Y-%m-%d}"


def stored_metrics(rows: list[list] | None) -> list[FileMetrics]:
    """The per-file rows of KPI导入 (month rows are recomputed; a sheet of an earlier version has only
    month rows: each is taken as one file covering its month)."""
    if not rows:
        return []
    col = sheet_columns(rows)
    source_h, digest_h, range_h, type_h = c.KPI_IMPORT_TAIL
    if c.KPI_MONTH not in col or c.ID_COLUMN not in col:
        return []
    values_at = {h: i for h, i in col.items() if h not in (c.KPI_MONTH, c.ID_COLUMN, *c.KPI_IMPORT_TAIL)}
    out = []
    for row in rows[1:]:
        get = lambda h, row=row: row[col[h]] if h in col and col[h] < len(row) else None  # noqa: E731
        if cell_text(get(type_h)) == c.KPI_IMPORT_MONTH_ROW or is_blank(get(c.ID_COLUMN)):
            continue
        month = cell_text(get(c.KPI_MONTH))
        m = _FILE_RANGE.search(cell_text(get(range_h)))
        g = [int(x) for x in m.groups()] if m else None
        first, last = (dt.date(*g[:3]), dt.date(*g[3:])) if g else _month_bounds(month)
        values = {h: (row[i] if i < len(row) and not is_blank(row[i]) else None) for h, i in values_at.items()}
        emp = parse_id(get(c.ID_COLUMN))
        assert emp is not None  # a row with a blank 工号 is skipped above
        out.append(FileMetrics(month, emp, values, cell_text(get(source_h)), cell_text(get(digest_h)),
                               first, last))
    return out


def _month_bounds(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date(int(month[:4]), int(month[5:7]), 1)
    return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _combine(files: list[FileMetrics], columns: list[str], label: str) -> tuple[dict, list[str]]:
    """One agent's month from several files: counts summed, rates and averages weighted by their count
    column; a mean without its weights stays empty and is named in the returned problems."""
    out: dict[str, object] = {}
    problems: list[str] = []
    for col in columns:
        have = [f for f in files if f.values.get(col) is not None]
        if not have:
            out[col] = None
        elif len(have) == 1 and len(files) == 1:
            out[col] = have[0].values[col]
        elif not any(mark in col for mark in MEAN_MARKS):
            out[col] = sum(float(f.values[col]) for f in have)
        else:
            weight = WEIGHTS.get(col)
            pairs = [(float(f.values[col]), f.values.get(weight)) for f in have] if weight else []
            out[col] = _weighted(pairs)
            if out[col] is None:
                problems.append(f"{label}的“{col}”" + (f"缺少权重列“{weight}”" if weight else "没有可用的权重列"))
    return out, problems


def _weighted(pairs: Sequence[tuple[float, Any]]) -> float | None:
    """The mean of (value, weight) pairs weighted by their weights; None without pairs, with a weight missing
    or with weights summing to 0."""
    weights = [w for _, w in pairs if w is not None]
    if not pairs or len(weights) < len(pairs):
        return None
    total = sum(float(w) for w in weights)
    if not total:
        return None
    return sum(v * float(w) for (v, _), w in zip(pairs, weights)) / total


def _latest_per_range(files: list[FileMetrics]) -> list[FileMetrics]:
    """Per date range the file imported last (a re-exported day replaces the earlier export); a file over
    the whole month alone, when there is one."""
    by_range = {}
    for f in files:
        by_range[(f.first, f.last)] = f
    whole = [f for f in by_range.values() if (f.first, f.last) == _month_bounds(f.month)]
    return whole[-1:] or sorted(by_range.values(), key=lambda f: f.first)


def month_rows(files: list[FileMetrics], columns: list[str]) -> tuple[list[tuple], list[Finding]]:
    """(month, emp, values, covered text) per agent and month, and the findings (partial months, means
    that cannot be combined)."""
    groups: dict[tuple[str, str], list[FileMetrics]] = {}
    for f in files:
        groups.setdefault((f.month, f.emp), []).append(f)
    out: list[tuple] = []
    findings: list[Finding] = []
    covered: dict[str, set[dt.date]] = {}
    for (month, emp), group in sorted(groups.items()):
        chosen = _latest_per_range(group)
        values, problems = _combine(chosen, columns, f"{emp} 在 {month} ")
        findings += [Finding(c.KPI_IMPORT.name, "", p, "该项留空，请在KPI数据中填写", "KPI-01", "篇二", level=terms.LEVEL_WARNING, emp=emp,
                             code="import.kpi_left_blank")
                     for p in problems]
        first, last = _month_bounds(month)
        days = {f.first + dt.timedelta(days=k) for f in chosen for k in range((f.last - f.first).days + 1)}
        days = {d for d in days if first <= d <= last}
        covered.setdefault(month, set()).update(days)
        out.append((month, emp, values, f"{len(days)}/{last.day}天"))
    for month, days in sorted(covered.items()):
        total = _month_bounds(month)[1].day
        if len(days) < total:
            missing = sorted(set(_month_bounds(month)[0] + dt.timedelta(days=k) for k in range(total)) - days)
            findings.append(Finding(c.KPI_IMPORT.name, "", f"{month} 的赤兔数据只覆盖 {len(days)}/{total} 天"
                                    f"（缺 {missing[0]:%m-%d} 等 {len(missing)} 天）",
                                    "月度指标按已导入的天数合计，不是整月数字；请导入其余日期的报表", "KPI-01", "篇二",
                                    level=terms.LEVEL_WARNING, code="import.partial_month"))
    return out, findings


def month_only(rows: list[list]) -> list[list]:
    """KPI导入 rows with the per-file rows blanked (row numbers kept): what the month's score reads."""
    col = sheet_columns(rows)
    type_h = c.KPI_IMPORT_TAIL[3]
    if type_h not in col:
        return rows
    return [rows[0]] + [r if col[type_h] >= len(r) or cell_text(r[col[type_h]]) != c.KPI_IMPORT_FILE_ROW else []
                        for r in rows[1:]]


def kpi_import_spec(stored: list[FileMetrics], new: list[FileMetrics]):
    """KPI导入: each file's rows (行类型 文件; a file imported again replaces its rows) and, per agent and
    month, the month they make (行类型 月合计) — the rows kaohe kpi reads."""
    keys = {(f.source, f.digest) for f in new}
    files = [f for f in stored if (f.source, f.digest) not in keys] + list(new)
    columns = list(dict.fromkeys(h for f in files for h in f.values))
    months, findings = month_rows(files, columns)
    headers = [c.KPI_MONTH, c.ID_COLUMN, *columns, *c.KPI_IMPORT_TAIL]
    body = [[m, e, *[v.get(h) for h in columns], "", "", covered, c.KPI_IMPORT_MONTH_ROW]
            for m, e, v, covered in months]
    body += [[f.month, f.emp, *[f.values.get(h) for h in columns], f.source, f.digest,
              range_text(f.first, f.last), c.KPI_IMPORT_FILE_ROW]
             for f in sorted(files, key=lambda f: (f.month, f.first, f.source, f.emp))]
    cols = [Column(h, "text" if h in (c.KPI_MONTH, c.ID_COLUMN, *c.KPI_IMPORT_TAIL) else "score", 12) for h in headers]
    return SheetSpec(c.KPI_IMPORT.name, cols, rows=body, landscape=True), findings
