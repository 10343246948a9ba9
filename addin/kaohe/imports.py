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

赤兔 customer-service reports are read by :mod:`kaohe.chitu` (through :func:`open_sheets` here).

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
import dataclasses
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from kaohe.findings import Finding, InputRefused
from kaohe.workbook import contract as c
from kaohe.values import is_blank, parse_date, parse_datetime, parse_id, parse_time

KINDS = ("auto", "zkteco", "zktime", "dingtalk", "wecom", "clock-report", "chitu")
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


@dataclass(frozen=True)
class Skipped:
    """A line or row of a source that holds something but no usable punch."""

    row: int  # line of a text file, Excel row of a sheet
    why: str


def skipped_findings(path: Path, skipped: list[Skipped]) -> list[Finding]:
    """One 警告 per source: how many places were skipped, the first few with their line and reason."""
    if not skipped:
        return []
    shown = "；".join(f"第{s.row}行{s.why}" for s in skipped[:SKIPPED_SHOWN])
    return [Finding(path.name, f"第{skipped[0].row}行", f"{path.name} 有 {len(skipped)} 处不是有效打卡记录，已跳过（{shown}"
                    f"{'…' if len(skipped) > SKIPPED_SHOWN else ''}）",
                    "其余记录已导入；请核对这些位置，必要时重新导出", level=c.LEVEL_WARNING)]


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 text
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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" (UTF-16, tab-separated)
        return data.decode("utf-16", errors="replace")
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
                                level=c.LEVEL_INFO))
    if kind == "text":
        return [(path.stem, _csv_rows(decode(data)))], findings
    if kind == "xls" and "EncryptedPackage".encode("utf-16-le") in data:
        raise InputRefused(f"{path.name} 设有打开密码，无法读取：请在 Excel 中去掉密码后另存为 .xlsx 再导入",
                           f"{path.name} is password-protected: remove the password and save as .xlsx")
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names]
    except Exception:
        raise InputRefused(f"无法读取 {path.name}：它是{WHAT_IT_IS[kind]}，但已损坏或设有打开密码（请去掉密码后另存再导入）",
                           f"cannot read {path.name}: a damaged or password-protected {kind} file") from None
    return sheets, findings


# --- time clocks ------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}$")
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
                skipped.append(Skipped(n, record))
                continue
            pin, name, stamp = record
            try:
                ts = parse_datetime(stamp)
            except ValueError:
                skipped.append(Skipped(n, f"不存在的时间“{stamp}”"))
                continue
            src.punches.append(RawPunch((("clock", pin),), clean_name(name), ts, f"{path.name}:{n}"))
        if "\x00" in line:
            skipped.append(Skipped(n, "空字节（NUL）覆盖了记录"))
    src.findings += skipped_findings(path, skipped)
    return src


def cell_text(v) -> str:
    """A cell as trimmed text; a whole number without ``.0`` (ids typed as numbers)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip() if v is not None else ""


def _label_at(row: list, label: str) -> tuple[int, str] | None:
    """Where a label such as ``工 号：`` is (spaces inside, either colon) and any value written after the
    colon in the same cell."""
    for i, v in enumerate(row):
        m = re.match(rf"^{label}(?:[:：](.*))?$", "".join(cell_text(v).split())) if isinstance(v, str) else None
        if m:
            return i, m.group(1) or ""
    return None


def _labelled(row: list, label: str):
    """The value of a label: the rest of its cell, else the next non-empty cell to the right unless that
    is the next label."""
    found = _label_at(row, label)
    if found is None:
        return None
    i, rest = found
    if rest:
        return rest
    value = next((x for x in row[i + 1:] if not is_blank(x)), None)
    return None if value is None or re.search(r"[:：]\s*$", cell_text(value)) else value


def _clock_report(rows, path) -> list[RawPunch] | None:
    """The stand-alone clock's 刷卡记录: range row, day-number row, then two rows per person."""
    first = _first_day(rows)
    day_row = next((i for i, r in enumerate(rows[:8]) if first and _grid_dates(r, first)), None)
    if day_row is None or not any(_label_at(r, "工号") for r in rows[day_row + 1:day_row + 4]):
        return None
    dates = _grid_dates(rows[day_row], first)
    out = []
    for i in range(day_row + 1, len(rows) - 1):
        if not _label_at(rows[i], "工号"):
            continue
        ident = _labelled(rows[i], "工号")
        ids = (("clock", parse_id(ident)),) if ident is not None else ()
        out += _punches(ids, _labelled(rows[i], "姓名"), _grid_punches(rows[i + 1], dates, i + 2), f"{path.name}:{i + 2}")
    return out


def _zktime(rows, path) -> list[RawPunch] | None:
    h = _header(rows, ("日期时间",))
    if h is None:
        return None
    header = [cell_text(v) for v in rows[h]]
    id_col = "登记号码" if "登记号码" in header else "考勤号码" if "考勤号码" in header else None
    if id_col is None:
        return None
    out = []
    for offset, row in enumerate(rows[h + 1:]):
        stamp, ident, at = _cell(row, header, "日期时间"), _cell(row, header, id_col), h + 2 + offset
        if stamp is None:
            continue
        try:
            ts = parse_datetime(stamp)
        except ValueError:
            out.append(Skipped(at, f"日期时间无法识别“{stamp}”"))
            continue
        out += _punches((("clock", parse_id(ident)),) if ident is not None else (), _cell(row, header, "姓名"), [ts],
                        f"{path.name}:{at}")
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
        names = [cell_text(v) if isinstance(v, str) else "" for v in rows[h]]
        if "姓名" not in names or not ("UserId" in names or "账号" in names):
            continue
        sub = [cell_text(v) if isinstance(v, str) else "" for v in (rows[h + 1] if h + 1 < len(rows) else [])]
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
    if isinstance(cell, (dt.time, float)) and not isinstance(cell, bool):
        try:
            return [(0, parse_time(cell))]  # a time cell, or Excel's fraction of a day
        except ValueError:
            return []
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
        text = cell_text(row[i])
        m = re.match(r"^(\d{1,2})(?:\s|$)", text)
        if (m and int(m.group(1)) == expected.day) or (text in ("六", "日") and text == _WEEKDAY[expected.weekday()]):
            cols[i] = expected
            expected += dt.timedelta(days=1)
        elif cols:
            break
    return cols if cols and (len(cols) >= 7 or start) else {}


def _day_punches(day: dt.date, cell, at: int) -> list:
    """The punches of one cell on ``day``; a Skipped when the cell holds digits but no time (``25:61``)."""
    times = _times(cell)
    if not times and not is_blank(cell) and re.search(r"\d", str(cell)) and not isinstance(cell, (int, float)):
        return [Skipped(at, f"{day:%m-%d} 的打卡无法识别“{str(cell).strip()[:20]}”")]
    return [dt.datetime.combine(day + dt.timedelta(days=shift), t) for shift, t in times]


def _grid_punches(row: list, dates: dict[int, dt.date], at: int) -> list:
    return [p for col, day in dates.items() for p in _day_punches(day, row[col] if col < len(row) else None, at)]


def _punches(ids: tuple, name, items: list, source: str) -> list:
    """RawPunches of one row from its date-times; Skipped entries pass through."""
    return [RawPunch(ids, clean_name(name), x, source) if isinstance(x, dt.datetime) else x for x in items]


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
    return tuple((k, cell_text(v)) for k, v in (("emp", get("工号")), ("dingtalk", get("UserId"))) if not is_blank(v))


def _dingtalk_raw(rows, path) -> list[RawPunch] | None:
    """DingTalk 原始记录: a row per punch (考勤日期, 打卡时间)."""
    h = _header(rows, ("UserId", "打卡时间"))
    if h is None:
        return None
    header = [cell_text(v) if isinstance(v, str) else "" for v in rows[h]]
    out = []
    for offset, row in enumerate(rows[h + 1:]):
        get = lambda n: _cell(row, header, n)  # noqa: E731
        stamp, at = get("打卡时间"), h + 2 + offset
        if stamp is None:
            continue
        ts = _dingtalk_time(stamp, get("考勤日期"))
        out += _punches(_dingtalk_ids(get), get("姓名"), [ts or Skipped(at, f"打卡时间无法识别“{stamp}”")],
                        f"{path.name}:{at}")
    return out


def _dingtalk_times(rows, path) -> list[RawPunch] | None:
    """DingTalk 打卡时间: a column per day, each cell holding that day's punches."""
    h = _header(rows, ("UserId", "姓名"))
    first = _first_day(rows, path)
    if h is None or first is None:
        return None
    header = [cell_text(v) if isinstance(v, str) else "" for v in rows[h]]
    dates = _grid_dates(rows[h], first)
    if not dates:
        return None
    return _grid_people(path, rows, h + 1, header, dates, _dingtalk_ids)


def _grid_people(path: Path, rows: list[list], first: int, header, dates, ids) -> list[tuple]:
    """The punches of a month grid's person rows from row index ``first`` on (DingTalk's and WeCom's grids):
    ``ids`` picks the person's ids from a row, the day columns hold that day's punches."""
    out = []
    for offset, row in enumerate(rows[first:]):
        get = lambda n: _cell(row, header, n)  # noqa: E731
        at = first + 1 + offset
        out += _punches(ids(get), get("姓名"), _grid_punches(row, dates, at), f"{path.name}:{at}")
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
        day, at = short_date(get("日期")), h + 2 + offset
        if day is None:
            out += [Skipped(at, f"日期无法识别“{get('日期')}”")] if get("日期") is not None else []
            continue
        out += _punches(_dingtalk_ids(get), get("姓名"), _grid_punches(row, {col: day for col in cols}, at),
                        f"{path.name}:{at}")
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
    return tuple((k, cell_text(v)) for k, v in (("wecom", get("账号")), ("emp", get("工号"))) if not is_blank(v))


def _two_rows(rows, h) -> list[str]:
    """Column names of a two-level header at rows h, h+1: the lower label, else the group above."""
    top, bottom = rows[h], rows[h + 1]
    names, last = [], ""
    for i in range(max(len(top), len(bottom))):
        t = cell_text(top[i]) if i < len(top) and isinstance(top[i], str) else ""
        b = cell_text(bottom[i]) if i < len(bottom) and isinstance(bottom[i], str) else ""
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
        day, at = short_date(str(get("时间")).split()[0] if get("时间") else None), h + 3 + offset
        if day is None:
            out += [Skipped(at, f"时间无法识别“{get('时间')}”")] if get("时间") is not None else []
            continue
        out += _punches(_wecom_ids(get), get("姓名"), _day_punches(day, get("打卡时间记录"), at), f"{path.name}:{at}")
    return out


def _wecom_grid(rows, path) -> list[RawPunch] | None:
    """WeCom 打卡时间记录: 姓名, 账号, 基础信息 (部门, 职务, 工号), then a column per day (``1\\n星期五``)."""
    h = next((i for i, r in enumerate(rows[:8]) if {"姓名", "账号", "打卡时间记录"} <= {cell_text(v) for v in r}), None)
    if h is None or h + 1 >= len(rows):
        return None
    first = _first_day(rows, path)
    if first is None:
        raise InputRefused(f"{path.name}：统计时间没有年份，文件名中也找不到日期范围（如 …_20260501-20260531.xlsx）",
                           f"{path.name}: no year in the range and no date range in the file name")
    names = _two_rows(rows, h)
    start = [cell_text(v) for v in rows[h]].index("打卡时间记录")
    dates = _grid_dates(rows[h + 1], first, start)
    return _grid_people(path, rows, h + 2, names, dates, _wecom_ids)


# --- detection --------------------------------------------------------------------------------

PUNCH_SHEETS = ("刷卡记录", "原始记录", "打卡时间", "每日统计", "打卡时间记录", "概况统计与打卡明细")
READERS = (("wecom", _wecom), ("wecom", _wecom_grid), ("dingtalk", _dingtalk_raw), ("dingtalk", _dingtalk_daily),
           ("dingtalk", _dingtalk_times), ("clock-report", _clock_report), ("zktime", _zktime))
LOOKED_FOR = ("钉钉原始记录：UserId、打卡时间；钉钉每日统计：姓名、UserId、日期、上班1打卡时间；钉钉打卡时间：UserId、日期列；"
              "企业微信：时间、账号、打卡时间记录，或 姓名、账号、打卡时间记录（按日列）；刷卡记录：考勤日期、日期行、工 号：；"
              "ZKTime：登记号码/考勤号码、日期时间；zkteco：.dat 文本")


def read_sheets(path: Path, sheets, kind: str) -> tuple[str, list[RawPunch]]:
    """The first layout that yields punches (a DingTalk workbook holds several sheets of the same punches);
    a recognised layout without punches when none does."""
    recognised = None
    for _, rows in sorted(sheets, key=lambda sheet: sheet[0] not in PUNCH_SHEETS):  # the vendors' punch sheets first
        for candidate, reader in READERS:
            if kind in ("auto", candidate):
                found = reader(rows, path)
                if found and any(isinstance(p, RawPunch) for p in found):
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
        try:
            src = _read_spreadsheet(path, data, kind)
        except InputRefused:
            attlog = read_zkteco(path, data) if kind == "auto" and is_text else None
            if not (attlog and attlog.punches):
                raise
            src = attlog  # an attlog renamed .csv
    src.digest = fingerprint(data)
    if not src.punches:
        raise InputRefused(f"{path.name} 中没有读到任何打卡（按{src.kind}格式读取）：未导入任何文件，工作簿未改动",
                           f"no punch in {path.name} (read as {src.kind}); nothing imported")
    return src


def _read_spreadsheet(path: Path, data: bytes, kind: str) -> Source:
    sheets, findings = open_sheets(path, data)
    found_kind, found = read_sheets(path, sheets, kind)
    skipped = [p for p in found if isinstance(p, Skipped)]
    return Source(path, found_kind, [p for p in found if isinstance(p, RawPunch)], findings + skipped_findings(path, skipped))


# --- who is who -------------------------------------------------------------------------------

def _unzeroed(ident: str) -> str:
    return ident.lstrip("0") or "0"


class IdMaps:
    """Outside id -> 工号, per kind of id (clock, dingtalk, wecom, wangwang, emp) and by name."""

    def __init__(self):
        self.exact: dict[str, dict[str, str]] = {k: {} for k in ("clock", "dingtalk", "wecom", "wangwang", "emp")}
        self.name: dict[str, str] = {}
        self.zeros: list[tuple[str, str, str]] = []  # (kind, outside id, 工号) matched only once zeros are ignored
        self._unzeroed: dict[str, dict[str, set]] = {}  # built on first use, dropped by add

    def add(self, kind: str, ident, emp: str) -> None:
        if emp and not is_blank(ident):
            self._unzeroed.pop(kind, None)
            self.exact[kind][parse_id(ident) if kind in ("clock", "emp") else str(ident).strip()] = emp

    def _without_zeros(self, kind: str, ident: str) -> str | None:
        """The one 工号 whose id of ``kind`` equals ``ident`` once leading zeros are dropped, if only one."""
        if not ident.isdigit():
            return None
        if kind not in self._unzeroed:
            table: dict[str, set] = {}
            for key, emp in self.exact[kind].items():
                if key.isdigit():
                    table.setdefault(_unzeroed(key), set()).add(emp)
            self._unzeroed[kind] = table
        hits = self._unzeroed[kind].get(_unzeroed(ident), set())
        return next(iter(hits)) if len(hits) == 1 else None

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
                        "已按去掉前导零匹配；如不对，请在人员对照中写明", "ATT-03", "第十八条", level=c.LEVEL_INFO)]


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
            sources, stamps = unknown.setdefault((kind, ident, p.name), ([], []))
            sources.append(p.source)
            stamps.append(p.ts)
            continue
        rows.append((emp, p.ts, p.source))
    findings = [Finding(src.path.name, _line(sources[0]), f"{ID_LABELS[kind]}“{ident}”"
                        f"{f'（{name}）' if name and name != ident else ''}"
                        f"在人员对照和员工名册中都找不到（{len(sources)}条打卡，首条 {sources[0]}）",
                        "这些打卡未导入；请在人员对照中补上", "ATT-03", "第十八条", month=months_of(stamps))
                for (kind, ident, name), (sources, stamps) in sorted(unknown.items())]
    month = months_of([p.ts for p in src.punches])
    found = [f if f.month else dataclasses.replace(f, month=month) for f in src.findings + maps.zero_finding(src.path.name)]
    return sorted(set(rows)), found + findings


def _line(source: str) -> str:
    """The 单元格 column of a finding about a source row: ``第12行`` from ``1_attlog.dat:12``."""
    at = str(source).rsplit(":", 1)[-1]
    return f"第{at}行" if at.isdigit() else ""


def months_of(stamps) -> str:
    """The month (YYYY-MM) of punch times, or the months joined with 、 when they span several."""
    return "、".join(sorted({f"{t:%Y-%m}" for t in stamps if isinstance(t, dt.date)}))


# --- imports accumulate: one row set per source file --------------------------------------------

def source_file(source: str) -> str:
    """The file name of a 来源 such as ``1_attlog.dat:12``."""
    return str(source or "").rsplit(":", 1)[0]


def _columns(rows: list[list]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, h in enumerate(cell_text(v) for v in (rows[0] if rows else [])):
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
            out.append((emp, ts, cell_text(get(headers[2])), cell_text(get(headers[3]))))
    return out


def already_imported(stored: list[tuple], new: dict[tuple[str, str], list[tuple]]) -> bool:
    """Every new source (file name and fingerprint) is already in 打卡导入 and adds nothing to it."""
    known = {(source_file(r[2]), r[3]) for r in stored}
    return all(key in known for key in new) and merge_sources(stored, new) == merge_sources(stored, {})


def merge_sources(stored: list[tuple], new: dict[tuple[str, str], list[tuple]]) -> list[tuple]:
    """Stored rows with each new source's rows in place of that source's earlier rows (same file name and
    fingerprint: importing the identical file again changes nothing; the same name with new content is a
    new source). Rows are (工号, 打卡时间, 来源, 文件指纹) or (…, key) shaped alike."""
    kept = [r for r in stored if (source_file(r[2]), r[3]) not in new]
    added = [(*row[:3], digest) for (_, digest), rows in new.items() for row in rows]
    return sorted(set(kept + added), key=lambda r: (r[0], r[1], r[2], r[3]))
