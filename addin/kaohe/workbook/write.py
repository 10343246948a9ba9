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
from kaohe.headers import sheet_columns
from kaohe.workbook import contract as c
from kaohe.workbook.package import write_sheets
from kaohe.workbook.sheetxml import Column, SheetSpec, page_header

DATE_HEADERS = {"日期", "入职日期", "整改截止日期", "归属日期"}
DATETIME_HEADERS = {"开始时间", "结束时间", "时间", "打卡时间"}
INT_HEADERS = {"迟到分钟", "早退分钟", "缺卡次数", "迟到次数", "早退次数", "排名"}
WIDE = {"说明": 60, "依据": 50, "问题": 50, "处理": 30, "统计": 50, "请假": 14}
WRAPPED = {"说明", "依据", "问题", "处理"}  # long texts wrap inside their column (and print inside it)
NUMBER_STYLES = ("money", "days", "hours", "int", "score", "percent")


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


WIDE_PRINT_SCALE = 70  # percent: 11 pt prints at 7.7 pt; wide sheets run several pages wide instead of shrinking


def wide_print(company: str, title: str) -> dict:
    """SheetSpec print settings of a wide table: A4 landscape at a readable scale, 工号 and 姓名
    (columns A:B) repeated on every page, a page header with the company, ``title`` and the page number."""
    return {"landscape": True, "fit_width": False, "scale": WIDE_PRINT_SCALE, "title_columns": "A:B",
            "page_header": page_header(company, title)}


def columns_for(sheet: c.OutputSheet) -> list[Column]:
    out = []
    for header, _ in sheet.columns:
        style = sheet.styles.get(header) or _style(header)
        out.append(Column(header, style, _width(header, style)))
    return out


def frame_spec(sheet: c.OutputSheet, frame: pd.DataFrame, *, total: bool = False, **kw) -> SheetSpec:
    """A sheet spec from a frame of engine fields (column-major, no per-row Python objects)."""
    cols = columns_for(sheet)
    data = {}
    for (header, fieldname), col in zip(sheet.columns, cols):
        series = frame[fieldname] if fieldname in frame else pd.Series([None] * len(frame))
        if col.style in ("time", "datetime", "date") and pd.api.types.is_datetime64_any_dtype(series):
            values = series.to_numpy()  # datetime64 straight to serials: no Timestamp per cell
        elif col.style in ("time", "datetime", "date"):
            values = [None if pd.isna(v) else v for v in series.tolist()]
        elif col.style in NUMBER_STYLES and pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            values = series.to_numpy(dtype=float)  # numbers straight to text: NaN is a blank cell
        else:
            values = series.astype(object).where(series.notna(), None).tolist()
        data[header] = values
    total_row: list | None = None
    if total:
        total_row = [c.TOTAL_LABEL] + [None] * (len(cols) - 1)
        for i, (col, (_, fieldname)) in enumerate(zip(cols, sheet.columns)):
            if i and col.style in ("money", "days", "hours", "int") and fieldname in frame:
                total_row[i] = float(pd.to_numeric(frame[fieldname], errors="coerce").fillna(0).sum())
    return SheetSpec(sheet.name, cols, data=data, total_row=total_row, **kw)


def problems_spec(findings: list[Finding], source: str = "", month: str = "", previous: list[list] | None = None,
                  names: dict[str, str] | None = None) -> SheetSpec:
    """问题清单: ``findings`` as rows of ``source`` (the command, c.SOURCE_*) for ``month`` ("" = not a month).

    ``previous`` is the sheet as it stands (header row first, e.g. :func:`previous_problems`): its rows
    of other commands or other months are kept, this command's rows of this month are replaced (all its rows
    when ``month`` is ""; a finding's own ``month`` then only fills 月份).
    ``names`` (工号 -> 姓名) fills 姓名 of rows about a person. Rows of an older layout without 来源 go.
    """
    kept = _other_rows(previous or [], source, month)
    names = names or {}
    rows = [{"sheet": f.sheet, "cell": f.cell or None, "problem": f.problem, "action": f.action, "level": f.level,
             "basis": f.basis or None, "emp": f.emp or None, "name": names.get(f.emp) if f.emp else None,
             "source": source or None, "month": f.month or month or None} for f in findings]
    frame = pd.DataFrame(kept + rows, columns=[f for _, f in c.PROBLEMS.columns])
    spec = frame_spec(c.PROBLEMS, frame, landscape=True)
    spec.with_notes = lambda notes: problems_spec(list(findings) + notes, source, month, previous, names)
    return spec


def _add_notes(specs: list[SheetSpec]):
    """The writer's notes (提示/警告 about HR's parts) go into the 问题清单 being written, if any."""
    def finish(notes):
        return [s.with_notes(notes) if s.with_notes is not None and notes else s for s in specs]
    return finish


def _other_rows(previous: list[list], source: str, month: str) -> list[dict]:
    """Rows of an existing 问题清单 that another command (or another month) wrote, as engine fields."""
    if not previous:
        return []
    columns = sheet_columns(previous)
    fields = dict(c.PROBLEMS.columns)
    if "来源" not in columns:
        return []
    index = {fields[h]: i for h, i in columns.items() if h in fields}
    out = []
    for row in previous[1:]:
        rec = {f: (row[i] if i < len(row) and row[i] not in ("", None) else None) for f, i in index.items()}
        if not any(rec.values()):
            continue
        if str(rec.get("source") or "") == source and (not month or str(rec.get("month") or "") == month):
            # this command's rows of this month; a command of no one month (导入, 校验请假) replaces all its rows
            continue
        out.append(rec)
    return out


def roster_ids(tables) -> dict[str, object]:
    """工号 that 员工名册 holds as numbers (text -> number); see :func:`kaohe.workbook.read.typed_id`."""
    roster = tables.get(c.ROSTER.key)
    return dict(roster.typed) if roster is not None else {}


def typed_ids(spec: SheetSpec, ids: dict[str, object]) -> None:
    """The 工号 column of ``spec`` as 员工名册 typed it: a number stays a number (payroll VLOOKUPs match)."""
    if not ids:
        return
    at = [i for i, col in enumerate(spec.columns) if col.header == c.ID_COLUMN]
    if spec.data is not None and c.ID_COLUMN in spec.data:
        spec.data[c.ID_COLUMN] = [ids.get(v, v) if isinstance(v, str) else v for v in spec.data[c.ID_COLUMN]]
    for row in spec.rows or ():
        for i in at:
            if i < len(row) and isinstance(row[i], str):
                row[i] = ids.get(row[i], row[i])


def _sheet_rows(path: Path, sheet: str) -> list[list]:
    """The cell rows of one of kaohe's sheets in the file at ``path``; [] if there is none (or it cannot be read:
    an unreadable old sheet is simply replaced)."""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(os.fspath(path))
        if sheet not in wb.sheet_names:
            return []
        return [list(r) for r in wb.get_sheet_by_name(sheet).to_python()]
    except Exception:
        return []


def previous_problems(path: Path) -> list[list]:
    """The 问题清单 of the workbook file at ``path`` as cell rows (header first); [] if there is none."""
    return _sheet_rows(path, c.PROBLEMS.name)


def read_run_log(path: Path) -> list[list]:
    """The rows already in kaohe's run log sheet (appended to on each run)."""
    return [r for r in _sheet_rows(path, c.RUN_LOG.name)[1:] if any(v not in ("", None) for v in r)]


def run_log_spec(path: Path, command: str, month: str, fingerprint: str, counts: str) -> SheetSpec:
    rows = read_run_log(path)
    rows.append([dt.datetime.now().replace(microsecond=0), command, month, __version__, fingerprint, counts])
    cols = columns_for(c.RUN_LOG)
    return SheetSpec(c.RUN_LOG.name, cols, rows=[r + [None] * (len(cols) - len(r)) for r in rows][:100_000])


def save(path: Path, out: Path | None, specs: list[SheetSpec], ids: dict[str, object] | None = None,
         **kw) -> tuple[Path, Path | None]:
    """Write the specs into ``path`` in place or into ``out`` (an existing file backed up first either way);
    returns (written, backup).

    ``ids`` (工号 text -> number, :func:`roster_ids`): 工号 cells are written as 员工名册 has them."""
    path = Path(path)
    for spec in specs:
        typed_ids(spec, ids or {})
    target = Path(out) if out else path
    if out and Path(out).is_dir():
        target = Path(out) / path.name
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        target = target.with_suffix(path.suffix)
    if target.is_symlink():  # write the real workbook, keep the link
        target = Path(os.path.realpath(target))
    os.makedirs(target.parent, exist_ok=True)
    # --out over an existing file (kaohe's earlier result, or HR's 工资2026.xlsx): never replaced without a backup.
    backup = write_sheets(Path(os.path.realpath(path)), target, specs, backup=True, finish=_add_notes(specs), **kw)
    return target, backup
