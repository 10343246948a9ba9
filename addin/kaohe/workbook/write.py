"""Result frames into output sheet specs: headers from the contract, formats by column.

The same specs serve the file writer (:mod:`kaohe.workbook.package`) and, later, the live
workbook adapter: a sheet's look is defined once, here.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd

from kaohe import __version__
from kaohe.findings import Finding
from kaohe.workbook import contract as c
from kaohe.workbook.package import read_run_log, write_sheets
from kaohe.workbook.sheetxml import Column, SheetSpec

DATE_HEADERS = {"日期", "入职日期", "整改截止日期"}
DATETIME_HEADERS = {"开始时间", "结束时间", "时间", "打卡时间"}
INT_HEADERS = {"迟到分钟", "早退分钟", "缺卡次数", "迟到次数", "早退次数", "排名"}
WIDE = {"说明": 60, "依据": 50, "问题": 50, "处理": 30, "统计": 50, "请假": 14}
WRAPPED = {"说明", "依据", "问题", "处理"}  # long texts wrap inside their column (and print inside it)


def _style(header: str) -> str:
    if header in c.MONEY_COLUMNS:
        return "money"
    if header in c.SCORE_COLUMNS:
        return "score"
    if header in c.DAY_COLUMNS:
        return "days"
    if header in c.HOUR_COLUMNS:
        return "hours"
    if header in c.PUNCH_COLUMNS:
        return "time"
    if header in DATE_HEADERS:
        return "date"
    if header in DATETIME_HEADERS:
        return "datetime"
    if header in INT_HEADERS:
        return "int"
    if header in WRAPPED:
        return "wrap"
    return "text"


def _width(header: str, style: str) -> float:
    if header in WIDE:
        return WIDE[header]
    base = sum(2 if ord(ch) > 255 else 1 for ch in header) + 2
    return max(base, {"datetime": 17, "date": 11, "money": 12, "time": 8}.get(style, 8))


def columns_for(sheet: c.OutputSheet) -> list[Column]:
    out = []
    for header, _ in sheet.columns:
        style = _style(header)
        out.append(Column(header, style, _width(header, style)))
    return out


def frame_spec(sheet: c.OutputSheet, frame: pd.DataFrame, *, total: bool = False, **kw) -> SheetSpec:
    """A sheet spec from a frame of engine fields (column-major, no per-row Python objects)."""
    cols = columns_for(sheet)
    data = {}
    for (header, fieldname), col in zip(sheet.columns, cols):
        series = frame[fieldname] if fieldname in frame else pd.Series([None] * len(frame))
        if col.style in ("time", "datetime", "date"):
            values = [None if pd.isna(v) else v for v in series.tolist()]
        else:
            values = series.astype(object).where(series.notna(), None).tolist()
        data[header] = values
    total_row = None
    if total:
        total_row = [c.TOTAL_LABEL] + [None] * (len(cols) - 1)
        for i, (col, (header, fieldname)) in enumerate(zip(cols, sheet.columns)):
            if i and col.style in ("money", "days", "hours", "int") and fieldname in frame:
                total_row[i] = float(pd.to_numeric(frame[fieldname], errors="coerce").fillna(0).sum())
    return SheetSpec(sheet.name, cols, data=data, total_row=total_row, **kw)


def problems_spec(findings: list[Finding]) -> SheetSpec:
    frame = pd.DataFrame([{"sheet": f.sheet, "cell": f.cell, "problem": f.problem, "action": f.action,
                           "level": f.level, "basis": f.basis} for f in findings],
                         columns=[f for _, f in c.PROBLEMS.columns])
    spec = frame_spec(c.PROBLEMS, frame, landscape=True)
    spec.findings = list(findings)
    return spec


def _add_notes(specs: list[SheetSpec]):
    """The writer's notes (提示/警告 about HR's parts) go into the 问题清单 being written, if any."""
    def finish(notes):
        return [problems_spec(s.findings + notes) if s.findings is not None and notes else s for s in specs]
    return finish


def run_log_spec(path: Path, command: str, month: str, fingerprint: str, counts: str) -> SheetSpec:
    rows = read_run_log(path, c.RUN_LOG.name)
    rows.append([dt.datetime.now().replace(microsecond=0), command, month, __version__, fingerprint, counts])
    cols = columns_for(c.RUN_LOG)
    return SheetSpec(c.RUN_LOG.name, cols, rows=[r + [None] * (len(cols) - len(r)) for r in rows][:100_000])


def save(path: Path, out: Path | None, specs: list[SheetSpec], **kw) -> tuple[Path, Path | None]:  # noqa: D401
    """Write the specs into ``path`` in place (after a backup) or into ``out``; returns (written, backup)."""
    path = Path(path)
    target = Path(out) if out else path
    if out and Path(out).is_dir():
        target = Path(out) / path.name
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        target = target.with_suffix(path.suffix)
    if target.is_symlink():  # write the real workbook, keep the link
        target = Path(os.path.realpath(target))
    os.makedirs(target.parent, exist_ok=True)
    backup = write_sheets(Path(os.path.realpath(path)), target, specs, backup=target.resolve() == path.resolve(),
                          finish=_add_notes(specs), **kw)
    return target, backup
