"""Bringing punches in from where they live: time clocks, DingTalk, WeCom (docs/导入指南.md).

Supported (detected by header signature, whatever the file is called):
    zkteco        ZKTeco ``N_attlog.dat``: ``PIN[<TAB>name]<TAB>YYYY-MM-DD HH:MM:SS<TAB>…``; PINs right-
                  aligned with spaces, runs of spaces instead of tabs, device lines; UTF-8 or GBK.
                  Corrupt lines (NUL runs, PINs that are not numbers, impossible times) are counted.
    zktime        ZKTime / Att2000 "raw records": 部门, 姓名, 登记号码 (or 考勤号码), 日期时间, …
    clock-report  the stand-alone clock's 刷卡记录: 考勤日期 range row, day numbers, then per person a
                  label row (工 号：… 姓 名: …, either colon, value in the next non-empty cell) and a
                  row of day cells holding that day's punches.
    dingtalk      原始记录 (打卡时间 per row), 每日统计 / 每日汇总 (上班1打卡时间 …, also as CSV in
                  UTF-8 with BOM or GBK), 打卡时间 (a column per day).
    wecom         概况统计与打卡明细 (打卡时间记录 per day row) and 打卡时间记录 (a column per day, the
                  year from the file name ``…_20260501-20260502.xlsx``).

A file is opened by what it contains, not by its extension: an .xlsx named .xls reads (with a
提示 to rename it); an HTML or other non-spreadsheet file is refused with what it really is.

Who is who (one rule, shared with :mod:`kaohe.reconcile`): each outside id a row carries, in the
vendor's order (DingTalk 工号 then UserId, WeCom 账号 then 工号, the clock's PIN), through 人员对照
and 员工名册; then the name without a leaver mark (``（已离职）``, ``(离职)``, ``-离职``). Ids that
only match once leading zeros are ignored (``12`` for ``0012``) are matched and listed as a 提示.
An id nobody maps is a 问题清单 row with its punch count; nothing is dropped silently.
Punches are put on the date of the column or row they are in; which shift a punch belongs to
(a night shift's morning punch in the next day's column) is left to the engine's shift rules.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from kaohe.findings import Finding, InputRefused
from kaohe.workbook import contract as c
from kaohe.workbook.values import column_letter, is_blank, parse_date, parse_datetime, parse_id, parse_number, parse_time

KINDS = ("auto", "zkteco", "zktime", "dingtalk", "wecom", "clock-report", "chitu")
CHITU_ID_HEADERS = ("客服昵称", "客服", "旺旺")
CHITU_TOTAL_ROWS = ("汇总", "均值", "合计", "平均")
LEFT_MARK = re.compile(r"\s*(?:[（(]\s*已?离职\s*[)）]|[-－—]\s*已?离职)\s*$")
ID_LABELS = {"clock": "考勤号码", "dingtalk": "钉钉UserId", "wecom": "企业微信账号", "emp": "工号", "name": "姓名"}
SKIPPED_SHOWN = 5  # line numbers listed per skipped-lines finding


def clean_name(value) -> str:
    """A person's name without the leaver mark vendors add (``孙磊（已离职）``, ``员工09(离职)``, ``张三-离职``)."""
    return LEFT_MARK.sub("", str(value or "")).strip()


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class RawPunch:
    ids: tuple  # ((kind, ident), …) in the order to try; kind in clock / dingtalk / wecom / emp
    name: str
    ts: dt.datetime
    source: str  # file name and row or line


@dataclass
class Source:
    """One file as read: its kind, punches, what was skipped, and its content fingerprint."""

    path: Path
    kind: str
    punches: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    digest: str = ""
    metrics: list = field(default_factory=list)  # 赤兔: Metrics rows
    span: tuple = ()  # 赤兔: the first and last date the file covers


# --- opening a file by its content ------------------------------------------------------------

def _content_kind(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")):
        return "html"
    if head.startswith(b"<?xml") and b"spreadsheet" in data[:4096].lower():
        return "xml"
    if b"\x00" in data[:4096].strip(b"\x00") and not _looks_text(data):
        return "binary"
    return "text"


def _looks_text(data: bytes) -> bool:
    sample = data[:4096].replace(b"\x00", b"")
    return bool(sample) and sum(b < 9 or 13 < b < 32 for b in sample) < len(sample) // 50 + 1


WHAT_IT_IS = {"html": "网页（HTML）文件", "xml": "XML 表格（Excel 2003 XML）文件", "binary": "未知的二进制文件",
              "xlsx": "Excel 2007+（.xlsx）文件", "xls": "Excel 97-2003（.xls）文件", "text": "文本（CSV）文件"}
EXPECTED = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "text", ".txt": "text", ".dat": "text"}


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")


def _csv_rows(text: str) -> list[list]:
    first = "\n".join(text.splitlines()[:10])
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [[None if v == "" else v for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def open_sheets(path: Path, data: bytes | None = None) -> tuple[list[tuple[str, list[list]]], list[Finding]]:
    """Every sheet of a source as (name, rows), whatever its extension says; a 提示 when the two disagree."""
    data = path.read_bytes() if data is None else data
    kind, findings = _content_kind(data), []
    expected = EXPECTED.get(path.suffix.lower())
    if kind in ("html", "xml", "binary"):
        raise InputRefused(f"{path.name} 实际是{WHAT_IT_IS[kind]}，不是 Excel 或 CSV 文件：请用 Excel 打开后另存为 .xlsx 再导入",
                           f"{path.name} is really {kind}, not a spreadsheet: open it in Excel and save as .xlsx")
    if expected and expected != kind:
        findings.append(Finding(path.name, "", f"{path.name} 的扩展名与内容不符：实际是{WHAT_IT_IS[kind]}",
                                f"已按实际内容读取；建议改名为 {path.stem}{'.csv' if kind == 'text' else '.' + kind}",
                                level="提示"))
    if kind == "text":
        return [(path.stem, _csv_rows(decode(data)))], findings
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names]
    except Exception:
        raise InputRefused(f"无法读取 {path.name}：它是{WHAT_IT_IS[kind]}，但已损坏或设有打开密码（请去掉密码后另存再导入）",
                           f"cannot read {path.name}: a damaged or password-protected {kind} file") from None
    return sheets, findings


# --- time clocks ------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


def _attlog_record(segment: str) -> tuple[str, str, str] | str:
    """(PIN, name, "date time") of one attlog record, or why it is not one."""
    tokens = re.sub(r"(\d)T(\d)", r"\1 \2", segment).split()
    at = next((i for i in range(1, len(tokens) - 1) if _DATE.match(tokens[i]) and _TIME.match(tokens[i + 1])), None)
    if at is None:
        return "无法识别"
    if not tokens[0].isdigit():
        return f"考勤号码无效“{tokens[0][:12]}”"
    return tokens[0], " ".join(tokens[1:at]), f"{tokens[at]} {tokens[at + 1]}"


def read_zkteco(path: Path, data: bytes) -> Source:
    """ZKTeco attlog: every good line kept; every other non-blank line counted with its line number."""
    src, skipped = Source(path, "zkteco"), []
    for n, line in enumerate(decode(data).replace("\r\n", "\n").split("\n"), start=1):
        for segment in re.split(r"\x00+", line):
            if not segment.strip():
                continue
            record = _attlog_record(segment)
            if isinstance(record, str):
                skipped.append((n, record))
                continue
            pin, name, stamp = record
            try:
                ts = parse_datetime(stamp)
            except ValueError:
                skipped.append((n, f"不存在的时间“{stamp}”"))
                continue
            src.punches.append(RawPunch((("clock", pin),), clean_name(name), ts, f"{path.name}:{n}"))
        if "\x00" in line:
            skipped.append((n, "空字节（NUL）覆盖了记录"))
    if skipped:
        shown = "；".join(f"第{n}行{why}" for n, why in skipped[:SKIPPED_SHOWN])
        src.findings.append(Finding(path.name, "", f"{path.name} 有 {len(skipped)} 处不是有效打卡记录，已跳过（{shown}"
                                    f"{'…' if len(skipped) > SKIPPED_SHOWN else ''}）",
                                    "其余记录已导入；如有设备信息行以外的损坏，请从考勤机重新导出", level="警告"))
    return src


def _text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip() if v is not None else ""


def _labelled(row: list, label: str):
    """The value after a label such as ``工 号：`` (spaces inside, either colon): the rest of the cell,
    else the next non-empty cell to the right."""
    for i, v in enumerate(row):
        m = re.match(rf"^{label}(?:[:：](.*))?$", "".join(_text(v).split()))
        if isinstance(v, str) and m:
            if m.group(1):
                return m.group(1)
            return next((x for x in row[i + 1:] if not is_blank(x)), None)
    return None


def _clock_report(rows, path) -> list[RawPunch] | None:
    """The stand-alone clock's 刷卡记录: range row, day-number row, then two rows per person."""
    first = _first_day(rows)
    day_row = next((i for i, r in enumerate(rows[:8]) if first and _grid_dates(r, first)), None)
    if day_row is None or not any(_labelled(r, "工号") is not None for r in rows[day_row + 1:day_row + 4]):
        return None
    dates = _grid_dates(rows[day_row], first)
    out = []
    for i in range(day_row + 1, len(rows) - 1):
        ident = _labelled(rows[i], "工号")
        if ident is None:
            continue
        name = clean_name(_labelled(rows[i], "姓名"))
        for ts in _grid_punches(rows[i + 1], dates):
            out.append(RawPunch((("clock", parse_id(ident)),), name, ts, f"{path.name}:{i + 2}"))
    return out


def _zktime(rows, path) -> list[RawPunch] | None:
    h = _header(rows, ("日期时间",))
    if h is None:
        return None
    header = [_text(v) for v in rows[h]]
    id_col = "登记号码" if "登记号码" in header else "考勤号码" if "考勤号码" in header else None
    if id_col is None:
        return None
    out = []
    for offset, row in enumerate(rows[h + 1:]):
        stamp, ident = _cell(row, header, "日期时间"), _cell(row, header, id_col)
        if stamp is None or ident is None:
            continue
        try:
            ts = parse_datetime(stamp)
        except ValueError:
            continue
        out.append(RawPunch((("clock", parse_id(ident)),), clean_name(_cell(row, header, "姓名")), ts,
                            f"{path.name}:{h + 2 + offset}"))
    return out


# --- shared pieces of the spreadsheet layouts --------------------------------------------------

def _header(rows: list[list], needed: tuple[str, ...]) -> int | None:
    for i, row in enumerate(rows[:10]):
        cells = {str(v).strip() for v in row if isinstance(v, str)}
        if all(n in cells for n in needed):
            return i
    return None


def _cell(row: list, header: list, name: str):
    if name in header:
        i = header.index(name)
        value = row[i] if i < len(row) else None
        return None if is_blank(value) or value == "--" else value
    return None


_UNIT = re.compile(r"[（(](?:天|小时|次|分钟|元|秒|个|%)[)）]$")


def _is_second_level(top: list[str], sub: list[str]) -> bool:
    """Whether ``sub`` is the lower row of a two-level header: under the merged 姓名 cell it is empty, or
    every cell it has is a label with a unit (``事假(天)``) — a left-packed CSV row."""
    name_col = top.index("姓名")
    filled = [x for x in sub if x]
    if not filled:
        return False
    if name_col >= len(sub) or not sub[name_col]:
        return True
    return all(_UNIT.search(x) for x in filled)


def _aligned(top: list[str], sub: list[str]) -> list[str]:
    """A left-packed second header row (CSV) moved under the groups of the first row; a group is a label
    followed by empty cells, and its sub-labels fill the group's columns in order."""
    if not sub or sub[top.index("姓名")] == "" or not _UNIT.search(sub[0]):
        return sub
    slots = []
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


def joined_header(rows: list[list]) -> tuple[int, list[str]] | None:
    """The header of a DingTalk / WeCom statistics export (姓名 with UserId or 账号): its last row index and
    the column names, a two-level header joined as ``请假/事假(天)``."""
    for h in range(min(10, len(rows))):
        names = [_text(v) if isinstance(v, str) else "" for v in rows[h]]
        if "姓名" not in names or not ("UserId" in names or "账号" in names):
            continue
        sub = [_text(v) if isinstance(v, str) else "" for v in (rows[h + 1] if h + 1 < len(rows) else [])]
        if not _is_second_level(names, sub):
            return h, names
        sub = _aligned(names, sub)
        joined, group = [], ""
        for i in range(max(len(names), len(sub))):
            top = names[i] if i < len(names) else ""
            low = sub[i] if i < len(sub) else ""
            group = top or group
            joined.append(f"{group}/{low}" if low and low != group else (top or group))
        return h + 1, joined
    return None


_PUNCH_TIME = re.compile(r"(?:(次日|昨日)\s*)?(\d{1,2}:\d{2}(?::\d{2})?)")
_NAME_RANGE = re.compile(r"(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})")


def _times(cell) -> list[tuple[int, dt.time]]:
    """Every punch in a cell holding several (newlines, spaces or 、): (day shift, time)."""
    if is_blank(cell) or cell == "--":
        return []
    if isinstance(cell, dt.time):
        return [(0, cell)]
    out = []
    for m in _PUNCH_TIME.finditer(str(cell)):
        try:
            out.append(({"次日": 1, "昨日": -1}.get(m.group(1), 0), parse_time(m.group(2))))
        except ValueError:
            continue
    return out


_SPAN = re.compile(r"(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})日?\s*[~～至]\s*(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})")


def report_span(rows: list[list], path: Path | None = None, year: int | None = None) -> tuple[dt.date, dt.date] | None:
    """The dates a report covers, from its title rows (``统计日期：2026-11-01 至 2026-11-30``,
    ``2021/09/01 ~ 09/22``); a range without a year (``统计时间:05-01 ～ 05-02``) takes the year from the
    file name (``…_20260501-20260502.xlsx``), else ``year``."""
    named = _NAME_RANGE.search(path.name) if path else None
    for v in (v for row in rows[:6] for v in row if isinstance(v, str)):
        m = _SPAN.search(v)
        if not m:
            continue
        y1 = int(m.group(1)) if m.group(1) else int(named.group(1)) if named else year
        if y1 is None:
            continue
        y2 = int(m.group(4)) if m.group(4) else y1 + (int(m.group(5)) < int(m.group(2)))
        try:
            return dt.date(y1, int(m.group(2)), int(m.group(3))), dt.date(y2, int(m.group(5)), int(m.group(6)))
        except ValueError:
            continue
    return None


def _first_day(rows: list[list], path: Path | None = None) -> dt.date | None:
    span = report_span(rows, path)
    return span[0] if span else None


_WEEKDAY = "一二三四五六日"


def _grid_dates(row: list, first: dt.date, start: int = 0) -> dict[int, dt.date]:
    """Column -> date for a header row of day numbers (``1``, ``1\\n星期五``, or ``六``/``日`` on weekends),
    walking the dates from ``first``; empty unless at least the first date is found."""
    cols, expected = {}, first
    for i in range(start, len(row)):
        text = _text(row[i])
        m = re.match(r"^(\d{1,2})(?:\s|$)", text)
        if (m and int(m.group(1)) == expected.day) or (text in ("六", "日") and text == _WEEKDAY[expected.weekday()]):
            cols[i] = expected
            expected += dt.timedelta(days=1)
        elif cols:
            break
    return cols if cols and (len(cols) >= 7 or start) else {}


def _grid_punches(row: list, dates: dict[int, dt.date]) -> list[dt.datetime]:
    return [dt.datetime.combine(day + dt.timedelta(days=shift), t)
            for col, day in dates.items() for shift, t in _times(row[col] if col < len(row) else None)]


def short_date(value) -> dt.date | None:
    if isinstance(value, str):
        m = re.match(r"\s*(\d{2,4})[-/](\d{1,2})[-/](\d{1,2})", value)
        if m:
            year = int(m.group(1))
            try:
                return dt.date(year + 2000 if year < 100 else year, int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    try:
        return parse_date(value)
    except ValueError:
        return None


# --- DingTalk ---------------------------------------------------------------------------------

def _dingtalk_ids(get) -> tuple:
    return tuple((k, _text(v)) for k, v in (("emp", get("工号")), ("dingtalk", get("UserId"))) if not is_blank(v))


def _dingtalk_raw(rows, path) -> list[RawPunch] | None:
    """DingTalk 原始记录: a row per punch (考勤日期, 打卡时间)."""
    h = _header(rows, ("UserId", "打卡时间"))
    if h is None:
        return None
    header = [_text(v) if isinstance(v, str) else "" for v in rows[h]]
    out = []
    for offset, row in enumerate(rows[h + 1:]):
        get = lambda n: _cell(row, header, n)  # noqa: E731
        stamp = get("打卡时间")
        ts = _dingtalk_time(stamp, get("考勤日期")) if stamp is not None else None
        if ts is not None:
            out.append(RawPunch(_dingtalk_ids(get), clean_name(get("姓名")), ts, f"{path.name}:{h + 2 + offset}"))
    return out


def _dingtalk_times(rows, path) -> list[RawPunch] | None:
    """DingTalk 打卡时间: a column per day, each cell holding that day's punches."""
    h = _header(rows, ("UserId", "姓名"))
    first = _first_day(rows, path)
    if h is None or first is None:
        return None
    header = [_text(v) if isinstance(v, str) else "" for v in rows[h]]
    dates = _grid_dates(rows[h], first)
    if not dates:
        return None
    out = []
    for offset, row in enumerate(rows[h + 1:]):
        get = lambda n: _cell(row, header, n)  # noqa: E731
        for ts in _grid_punches(row, dates):
            out.append(RawPunch(_dingtalk_ids(get), clean_name(get("姓名")), ts, f"{path.name}:{h + 2 + offset}"))
    return out


_DAILY_PUNCH = re.compile(r"^(上班|下班)\d+/?打卡时间$")


def _dingtalk_daily(rows, path) -> list[RawPunch] | None:
    """DingTalk 每日统计 / 每日汇总: a row per person and day; 上班1/下班1 … 打卡时间 (one or two header rows)."""
    found = joined_header(rows)
    if found is None:
        return None
    h, names = found
    cols = [i for i, n in enumerate(names) if _DAILY_PUNCH.match(n.replace(" ", ""))]
    if "日期" not in names or not cols:
        return None
    out = []
    for offset, row in enumerate(rows[h + 1:]):
        get = lambda n: _cell(row, names, n)  # noqa: E731
        day = short_date(get("日期"))
        if day is None:
            continue
        for col in cols:
            for shift, t in _times(row[col] if col < len(row) else None):
                out.append(RawPunch(_dingtalk_ids(get), clean_name(get("姓名")),
                                    dt.datetime.combine(day + dt.timedelta(days=shift), t), f"{path.name}:{h + 2 + offset}"))
    return out


def _dingtalk_time(stamp, day) -> dt.datetime | None:
    """打卡时间 as a full date-time, or a time (possibly 次日/昨日) on 考勤日期 (``20-09-01 星期二``)."""
    if not isinstance(stamp, str):
        try:
            return parse_datetime(stamp)
        except ValueError:
            return None
    text, shift = stamp.strip(), 0
    if text.startswith(("次日", "昨日")):
        shift, text = (1 if text.startswith("次日") else -1), text[2:].strip()
    try:
        if re.match(r"\d{4}[-/年]", text):
            return parse_datetime(text)
        t = parse_time(text)
    except ValueError:
        return None
    base = short_date(day)
    if base is None or t is None:
        return None
    return dt.datetime.combine(base + dt.timedelta(days=shift), t)


# --- WeCom ------------------------------------------------------------------------------------

def _wecom_ids(get) -> tuple:
    return tuple((k, _text(v)) for k, v in (("wecom", get("账号")), ("emp", get("工号"))) if not is_blank(v))


def _two_rows(rows, h) -> list[str]:
    """Column names of a two-level header at rows h, h+1: the lower label, else the group above."""
    top, bottom = rows[h], rows[h + 1]
    names, last = [], ""
    for i in range(max(len(top), len(bottom))):
        t = _text(top[i]) if i < len(top) and isinstance(top[i], str) else ""
        b = _text(bottom[i]) if i < len(bottom) and isinstance(bottom[i], str) else ""
        last = t or last
        names.append(b or t or last)
    return names


def _wecom(rows, path) -> list[RawPunch] | None:
    """WeCom 概况统计与打卡明细: a two-level header; 时间, 姓名, 账号 and 打卡时间记录 (``09:00 18:00``)."""
    for h in range(min(8, len(rows) - 1)):
        names = _two_rows(rows, h)
        if "打卡时间记录" in names and "时间" in names and "账号" in names:
            break
    else:
        return None
    out = []
    for offset, row in enumerate(rows[h + 2:]):
        get = lambda n: _cell(row, names, n)  # noqa: E731
        day = short_date(str(get("时间")).split()[0] if get("时间") else None)
        if day is None or not _wecom_ids(get):
            continue
        for shift, t in _times(get("打卡时间记录")):
            out.append(RawPunch(_wecom_ids(get), clean_name(get("姓名")),
                                dt.datetime.combine(day + dt.timedelta(days=shift), t), f"{path.name}:{h + 3 + offset}"))
    return out


def _wecom_grid(rows, path) -> list[RawPunch] | None:
    """WeCom 打卡时间记录: 姓名, 账号, 基础信息 (部门, 职务, 工号), then a column per day (``1\\n星期五``)."""
    h = next((i for i, r in enumerate(rows[:8]) if {"姓名", "账号", "打卡时间记录"} <= {_text(v) for v in r}), None)
    if h is None or h + 1 >= len(rows):
        return None
    first = _first_day(rows, path)
    if first is None:
        raise InputRefused(f"{path.name}：统计时间没有年份，文件名中也找不到日期范围（如 …_20260501-20260531.xlsx）",
                           f"{path.name}: no year in the range and no date range in the file name")
    names = _two_rows(rows, h)
    start = [_text(v) for v in rows[h]].index("打卡时间记录")
    dates = _grid_dates(rows[h + 1], first, start)
    out = []
    for offset, row in enumerate(rows[h + 2:]):
        get = lambda n: _cell(row, names, n)  # noqa: E731
        for ts in _grid_punches(row, dates):
            out.append(RawPunch(_wecom_ids(get), clean_name(get("姓名")), ts, f"{path.name}:{h + 3 + offset}"))
    return out


# --- detection --------------------------------------------------------------------------------

READERS = (("wecom", _wecom), ("wecom", _wecom_grid), ("dingtalk", _dingtalk_raw), ("dingtalk", _dingtalk_daily),
           ("dingtalk", _dingtalk_times), ("clock-report", _clock_report), ("zktime", _zktime))
LOOKED_FOR = ("钉钉原始记录：UserId、打卡时间；钉钉每日统计：姓名、UserId、日期、上班1打卡时间；钉钉打卡时间：UserId、日期列；"
              "企业微信：时间、账号、打卡时间记录，或 姓名、账号、打卡时间记录（按日列）；刷卡记录：考勤日期、日期行、工 号：；"
              "ZKTime：登记号码/考勤号码、日期时间；zkteco：.dat 文本")


def read_sheets(path: Path, sheets, kind: str) -> tuple[str, list[RawPunch]]:
    """The first layout that yields punches (a DingTalk workbook holds several sheets of the same punches);
    a recognised layout without punches when none does."""
    recognised = None
    for _, rows in sheets:
        for candidate, reader in READERS:
            if kind in ("auto", candidate):
                found = reader(rows, path)
                if found:
                    return candidate, found
                recognised = recognised or (candidate if found is not None else None)
    if recognised:
        return recognised, []
    raise InputRefused(f"无法识别 {path.name} 的格式（查找的表头：{LOOKED_FOR}）",
                       f"unrecognised format of {path.name} (looked for DingTalk, WeCom, clock report, ZKTime and "
                       f"ZKTeco layouts)")


def read_source(path: Path, kind: str = "auto") -> Source:
    """One punch file, read by its content; refused (exit 2) when it yields no punch at all."""
    path = Path(path)
    if not path.is_file():
        raise InputRefused(f"找不到文件：{path}", f"file not found: {path}")
    data = path.read_bytes()
    is_text = _content_kind(data) == "text"
    if kind == "zkteco" or (kind == "auto" and is_text and path.suffix.lower() in (".dat", ".txt")):
        src = read_zkteco(path, data)
    else:
        sheets, findings = open_sheets(path, data)
        found_kind, punches = read_sheets(path, sheets, kind)
        src = Source(path, found_kind, punches, findings)
    src.digest = fingerprint(data)
    if not src.punches:
        raise InputRefused(f"{path.name} 中没有读到任何打卡（按{src.kind}格式读取）：未导入任何文件，工作簿未改动",
                           f"no punch in {path.name} (read as {src.kind}); nothing imported")
    return src


# --- who is who -------------------------------------------------------------------------------

def _unzeroed(ident: str) -> str:
    return ident.lstrip("0") or "0"


class IdMaps:
    """Outside id -> 工号, per kind of id (clock, dingtalk, wecom, wangwang, emp) and by name."""

    def __init__(self):
        self.exact: dict[str, dict[str, str]] = {k: {} for k in ("clock", "dingtalk", "wecom", "wangwang", "emp")}
        self.name: dict[str, str] = {}
        self.zeros: list[tuple[str, str, str]] = []  # (kind, outside id, 工号) matched only once zeros are ignored

    def add(self, kind: str, ident, emp: str) -> None:
        if emp and not is_blank(ident):
            self.exact[kind][parse_id(ident) if kind in ("clock", "emp") else str(ident).strip()] = emp

    def _without_zeros(self, kind: str, ident: str) -> str | None:
        if not ident.isdigit():
            return None
        hits = {emp for key, emp in self.exact[kind].items() if key.isdigit() and _unzeroed(key) == _unzeroed(ident)}
        return hits.pop() if len(hits) == 1 else None

    def find(self, ids, name: str = "") -> str | None:
        """The 工号 of whoever these outside ids name: each id exactly, then each without leading zeros,
        then the name."""
        for kind, ident in ids:
            found = self.exact[kind].get(ident)
            if found:
                return found
        for kind, ident in ids:
            found = self._without_zeros(kind, ident)
            if found:
                if (kind, ident, found) not in self.zeros:
                    self.zeros.append((kind, ident, found))
                return found
        return self.name.get(clean_name(name)) if name else None

    def zero_finding(self, source: str) -> list[Finding]:
        if not self.zeros:
            return []
        shown = "、".join(f"{ID_LABELS[k]}“{i}”→工号 {e}" for k, i, e in self.zeros[:SKIPPED_SHOWN])
        return [Finding(source, "", f"{len(self.zeros)} 个编号只有去掉前导零后才对得上（{shown}"
                        f"{'…' if len(self.zeros) > SKIPPED_SHOWN else ''}）",
                        "已按去掉前导零匹配；如不对，请在人员对照中写明", "ATT-03", "第十八条", level="提示")]


def identity_maps(roster, mapping) -> IdMaps:
    maps = IdMaps()
    for emp, name in zip(roster["emp"], roster["name"]):
        maps.add("emp", emp, emp)
        if name:
            maps.name.setdefault(clean_name(name), emp)
    if mapping is not None:
        f = mapping.frame
        for kind, column in (("clock", "clock_id"), ("dingtalk", "dingtalk_id"), ("wecom", "wecom_id"),
                             ("wangwang", "wangwang")):
            for emp, ident in zip(f["emp"], f[column]):
                maps.add(kind, ident, emp)
    return maps


def resolve(src: Source, maps: IdMaps) -> tuple[list[tuple[str, dt.datetime, str]], list[Finding]]:
    """Each punch of a source with its 工号, and findings for the ids nobody maps (with their punch count)."""
    rows, unknown = [], {}
    maps.zeros = []
    for p in src.punches:
        emp = maps.find(p.ids, p.name)
        if emp is None:
            kind, ident = p.ids[0] if p.ids else ("name", p.name)
            unknown.setdefault((kind, ident, p.name), []).append(p.source)
            continue
        rows.append((emp, p.ts, p.source))
    findings = [Finding(src.path.name, "", f"{ID_LABELS[kind]}“{ident}”{f'（{name}）' if name and name != ident else ''}"
                        f"在人员对照和员工名册中都找不到（{len(sources)}条打卡，首条 {sources[0]}）",
                        "这些打卡未导入；请在人员对照中补上", "ATT-03", "第十八条")
                for (kind, ident, name), sources in sorted(unknown.items())]
    return sorted(set(rows)), src.findings + maps.zero_finding(src.path.name) + findings


# --- 赤兔 customer-service metrics ---------------------------------------------------------------

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
        for h, row in enumerate(rows[:10]):
            header = ["".join(str(v).split()) if isinstance(v, str) else "" for v in row]
            id_col = next((header.index(x) for x in CHITU_ID_HEADERS if x in header), None)
            if id_col is None or not any(x in names for x in header):
                continue
            span = file_range(path)
            wanted = {x for x in header if x in names}
            wanted |= {WEIGHTS[x] for x in wanted if x in WEIGHTS}
            header = [x if x in wanted else "" for x in header]
            metrics, found = _chitu_rows(rows[h + 1:], header, id_col, path.name, h + 2, f"{span[0]:%Y-%m}")
            if not metrics:
                raise InputRefused(f"{path.name} 中没有读到任何客服的指标：未导入任何文件，工作簿未改动",
                                   f"no agent rows in {path.name}; nothing imported")
            return Source(path, "chitu", findings=findings + found, digest=fingerprint(data), metrics=metrics, span=span)
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
                                        "按缺失处理；请等统计完成后重新导出再导入", "KPI-01", "篇二", level="警告"))
        out.append(Metrics(str(ident).strip(), month, values, f"{file_name}:{first_row + offset}"))
    return out, findings


def resolve_metrics(src: Source, maps: IdMaps) -> tuple[list, list[Finding]]:
    """Each agent's row of a 赤兔 file as FileMetrics of a 工号 (人员对照.旺旺, else the name); unknown
    agents become findings."""
    out, findings = [], list(src.findings)
    for r in src.metrics:
        emp = maps.exact["wangwang"].get(r.ident) or maps.name.get(clean_name(r.ident))
        if emp is None:
            findings.append(Finding(src.path.name, "", f"旺旺“{r.ident}”在人员对照和员工名册中都找不到（{r.source}）",
                                    "这一行指标未导入；请在人员对照的“旺旺”列补上", "KPI-01", "篇二"))
            continue
        out.append(FileMetrics(r.month, emp, r.values, src.path.name, src.digest, *src.span))
    return out, findings


# --- imports accumulate: one row set per source file --------------------------------------------

def source_file(source: str) -> str:
    """The file name of a 来源 such as ``1_attlog.dat:12``."""
    return str(source or "").rsplit(":", 1)[0]


def _columns(rows: list[list]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, h in enumerate(_text(v) for v in (rows[0] if rows else [])):
        if h:
            out.setdefault(h, i)  # the first column of a name
    return out


def stored_punches(rows: list[list] | None) -> list[tuple]:
    """打卡导入 as written by an earlier import: (工号, 打卡时间, 来源, 文件指纹) rows; earlier versions
    wrote no 文件指纹 (it reads as empty)."""
    if not rows:
        return []
    col = _columns(rows)
    headers = [h for h, _ in c.IMPORTED_OUT.columns]
    if not all(h in col for h in headers[:2]):
        return []
    out = []
    for row in rows[1:]:
        get = lambda h: row[col[h]] if h in col and col[h] < len(row) else None  # noqa: E731
        try:
            emp, ts = parse_id(get(headers[0])), parse_datetime(get(headers[1]))
        except ValueError:
            continue
        if emp and ts:
            out.append((emp, ts, _text(get(headers[2])), _text(get(headers[3]))))
    return out


def merge_sources(stored: list[tuple], new: dict[tuple[str, str], list[tuple]]) -> list[tuple]:
    """Stored rows with each new source's rows in place of that source's earlier rows (same file name and
    fingerprint: importing the identical file again changes nothing; the same name with new content is a
    new source). Rows are (工号, 打卡时间, 来源, 文件指纹) or (…, key) shaped alike."""
    kept = [r for r in stored if (source_file(r[2]), r[3]) not in new]
    added = [(*row[:3], digest) for (_, digest), rows in new.items() for row in rows]
    return sorted(set(kept + added), key=lambda r: (r[0], r[1], r[2], r[3]))


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
    col = _columns(rows)
    source_h, digest_h, range_h, type_h = c.KPI_IMPORT_TAIL
    if c.KPI_MONTH not in col or c.ID_COLUMN not in col:
        return []
    values_at = {h: i for h, i in col.items() if h not in (c.KPI_MONTH, c.ID_COLUMN, *c.KPI_IMPORT_TAIL)}
    out = []
    for row in rows[1:]:
        get = lambda h: row[col[h]] if h in col and col[h] < len(row) else None  # noqa: E731
        if _text(get(type_h)) == c.KPI_IMPORT_MONTH_ROW or is_blank(get(c.ID_COLUMN)):
            continue
        month = _text(get(c.KPI_MONTH))
        m = _FILE_RANGE.search(_text(get(range_h)))
        g = [int(x) for x in m.groups()] if m else None
        first, last = (dt.date(*g[:3]), dt.date(*g[3:])) if g else _month_bounds(month)
        values = {h: (row[i] if i < len(row) and not is_blank(row[i]) else None) for h, i in values_at.items()}
        out.append(FileMetrics(month, parse_id(get(c.ID_COLUMN)), values, _text(get(source_h)), _text(get(digest_h)),
                               first, last))
    return out


def _month_bounds(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date(int(month[:4]), int(month[5:7]), 1)
    return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _combine(files: list[FileMetrics], columns: list[str], label: str) -> tuple[dict, list[str]]:
    """One agent's month from several files: counts summed, rates and averages weighted by their count
    column; a mean without its weights stays empty and is named in the returned problems."""
    out, problems = {}, []
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
            if not pairs or any(w is None for _, w in pairs) or not sum(float(w) for _, w in pairs):
                out[col] = None
                problems.append(f"{label}的“{col}”" + (f"缺少权重列“{weight}”" if weight else "没有可用的权重列"))
            else:
                out[col] = sum(v * float(w) for v, w in pairs) / sum(float(w) for _, w in pairs)
    return out, problems


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
    out, findings, covered = [], [], {}
    for (month, emp), group in sorted(groups.items()):
        chosen = _latest_per_range(group)
        values, problems = _combine(chosen, columns, f"{emp} 在 {month} ")
        findings += [Finding(c.KPI_IMPORT.name, "", p, "该项留空，请在KPI数据中填写", "KPI-01", "篇二", level="警告")
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
                                    level="警告"))
    return out, findings


def month_only(rows: list[list]) -> list[list]:
    """KPI导入 rows with the per-file rows blanked (row numbers kept): what the month's score reads."""
    col = _columns(rows)
    type_h = c.KPI_IMPORT_TAIL[3]
    if type_h not in col:
        return rows
    return [rows[0]] + [r if col[type_h] >= len(r) or _text(r[col[type_h]]) != c.KPI_IMPORT_FILE_ROW else []
                        for r in rows[1:]]
