"""What ``kaohe send`` will mail, judged by the file itself — never by its name or its folder.

* A finance workbook kaohe wrote says so in its own document properties (month, version, the fingerprint of
  its figures and of all its cell values, the attendance workbook it came from: kaohe.jobs.handoff); a value
  changed since (a figure, the 更正版 title) is refused, a re-save or a new format is not. An encrypted one
  cannot be opened: the attendance workbook's 财务发送记录 knows it by the fingerprint of its bytes
  (``send --book``).
* Nothing with punch-level or personal data is ever mailed, with or without ``--any-file``: a workbook that
  cannot be opened to look inside; a sheet of personal data by name (打卡记录, 每日明细 …); a time of day in
  any cell (a time, a date with a time, or text such as ``08:41`` or ``08:41 12:00 --:--``); several dated
  rows for one 工号 (or clock number) in a sheet.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from kaohe.findings import InputRefused
from kaohe.headers import HEADER_SCAN_ROWS, header_key
from kaohe.jobs import handoff
from kaohe.jobs.fingerprints import values_fingerprint
from kaohe.jobs.money import finance_columns
from kaohe.workbook import contract as c
from kaohe.workbook.docprops import read_properties

PERSONAL_SHEETS = (c.PUNCHES.name, c.IMPORTED.name, c.DAILY.name, c.GRID.name, c.ROSTER.name, c.LEAVE.name,
                   c.SLIPS.name)
ID_HEADERS = ("工号", "考勤号码", "登记号码", "钉钉UserId", "企业微信账号", "UserId", "员工编号", "人员编号")
_CLOCK = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?|--:--"
TIME_TEXT = re.compile(rf"\s*(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}[ T]+)?(?:{_CLOCK})(?:\s+(?:{_CLOCK}))*\s*")
DATE_TEXT = re.compile(r"\s*(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[-/月]\d{1,2}日?)(?:\s.*)?")


def finance_props(path: Path) -> dict | None:
    """The finance facts in a workbook's document properties, or None (not kaohe's finance file, or encrypted)."""
    props = read_properties(path)
    if not props.get(handoff.P_MONTH) or not props.get(handoff.P_FP):
        return None
    return props


def content_fp(path: Path) -> str:
    """The fingerprint of every cell value of every sheet, in place (kaohe.jobs.fingerprints: formats do not count)."""
    return values_fingerprint([(name, i, *row) for name, rows in _sheets(path).items() for i, row in enumerate(rows)])


def file_figures(path: Path, props: dict) -> pd.DataFrame:
    """The employees' rows of a finance workbook's 财务汇总, where its properties say the export put them
    (empty when they do not say, or the sheet has no such rows)."""
    rows = _sheets(path).get("财务汇总") or []
    try:
        head, n = int(props[handoff.P_HEAD]) - 1, int(props[handoff.P_ROWS])
    except (KeyError, ValueError):
        return pd.DataFrame()
    if head < 0 or len(rows) <= head + n:
        return pd.DataFrame()
    frame = pd.DataFrame([list(r) for r in rows[head + 1:head + 1 + n]], columns=[str(h) for h in rows[head]])
    return frame if all(h in frame for h, _ in finance_columns()) else pd.DataFrame()


def _sheets(path: Path) -> dict[str, list[list]]:
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(os.fspath(path))
        return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}
    except Exception:
        raise InputRefused(f"无法打开“{path.name}”查看其中的内容（可能已加密或不是工作簿），不发送",
                           f"cannot look inside {path.name} (encrypted, or not a workbook); not sent") from None


def check_content(path: Path) -> None:
    """Refuse (exit 2) a file holding punch-level or personal data (see the module docstring)."""
    path = Path(path)
    sheets = _sheets(path)
    for name, rows in sheets.items():
        why = ("打卡或人员明细表" if name in PERSONAL_SHEETS else None) or _times_of_day(rows) or _dated_rows(rows)
        if why:
            raise InputRefused(f"“{path.name}”的工作表“{name}”含有{why}，不能发给财务（加 --any-file 也不行）",
                               f"{path.name}: sheet '{name}' holds punch-level or personal data; never sent")


def _is_time(value) -> bool:
    if isinstance(value, dt.datetime):
        return value.time() != dt.time(0)
    if isinstance(value, dt.time):
        return True
    return isinstance(value, str) and TIME_TEXT.fullmatch(value) is not None


def _times_of_day(rows: list[list]) -> str | None:
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if _is_time(value):
                return f"时刻（第{i + 1}行第{j + 1}列：{value}）"
    return None


def _is_date(value) -> bool:
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    return isinstance(value, str) and DATE_TEXT.fullmatch(value) is not None


def _dated_rows(rows: list[list]) -> str | None:
    """Several rows with a date for one 工号 (or clock number) under a header naming it."""
    for at, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = [header_key(v) for v in row]
        col = next((keys.index(h) for h in ID_HEADERS if h in keys), None)
        if col is None:
            continue
        dated = Counter(r[col] for r in rows[at + 1:] if col < len(r) and r[col] not in (None, "")
                        and any(_is_date(v) for k, v in enumerate(r) if k != col))
        many = [str(e) for e, n in dated.items() if n > 1]
        if many:
            return f"同一{keys[col]}的多行日期记录（如 {many[0]}）"
    return None
