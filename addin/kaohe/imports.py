"""Bringing punches in from where they live (docs/导入指南.md): time clocks and DingTalk.

Supported in this version:
    zkteco    ZKTeco ``N_attlog.dat`` (USB export): ``PIN<TAB>YYYY-MM-DD HH:MM:SS<TAB>…``, PINs right-
              aligned with spaces, runs of spaces instead of tabs, a serial-number first line and a
              checksum last line on older devices; UTF-8 or GBK.
    zktime    ZKTime / Att2000 "raw records": 部门, 姓名, 登记号码 (or 考勤号码), 日期时间, …
    dingtalk  DingTalk 原始记录: title rows, then 姓名, 考勤组, 部门, 工号, 职位, UserId, 考勤日期,
              考勤时间, 打卡时间, 打卡结果, …; ``次日`` / ``昨日`` prefixes, ``--`` for empty.

Who is who: the outside id goes through the 人员对照 sheet (考勤号码, 钉钉UserId, 企业微信账号 → 工号);
DingTalk's own 工号 column when filled; else the name in 员工名册, a ``（离职）`` suffix ignored. An id
nobody maps is a 问题清单 row with the id and how many punches it carried — nothing is dropped
silently. The same punch from two sources (or twice from one) counts once.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from kaohe.findings import Finding, InputRefused
from kaohe.workbook.values import is_blank, parse_date, parse_datetime, parse_id, parse_time

KINDS = ("auto", "zkteco", "zktime", "dingtalk", "wecom", "clock-report", "chitu")
CHITU_ID_HEADERS = ("客服昵称", "客服", "旺旺")
CHITU_TOTAL_ROWS = ("汇总", "均值", "合计", "平均")
_FILE_RANGE = re.compile(r"(\d{4})-(\d{2})-\d{2}\s*至\s*\d{4}-\d{2}-\d{2}")
LEFT_SUFFIX = re.compile(r"[（(]离职[)）]\s*$")
_DAT_LINE = re.compile(r"^\s*(\S+)[\t ]+(\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2})?)")
SIGNATURES = {
    "dingtalk": ("UserId", "打卡时间"),
    "zktime": ("日期时间",),
}


@dataclass(frozen=True)
class RawPunch:
    id_kind: str  # clock / dingtalk / wecom / emp / name
    ident: str
    name: str
    ts: dt.datetime
    source: str  # file name and row or line


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("gbk", errors="replace")


def read_zkteco(path: Path) -> list[RawPunch]:
    out = []
    for n, line in enumerate(_decode(path.read_bytes()).splitlines(), start=1):
        m = _DAT_LINE.match(line)
        if not m:
            continue  # the serial-number line, the checksum line, blank lines
        try:
            ts = parse_datetime(m.group(2))
        except ValueError:
            continue
        out.append(RawPunch("clock", m.group(1).strip(), "", ts, f"{path.name}:{n}"))
    return out


def _header(rows: list[list], needed: tuple[str, ...]) -> int | None:
    for i, row in enumerate(rows[:10]):
        cells = {str(v).strip() for v in row if isinstance(v, str)}
        if all(n in cells for n in needed):
            return i
    return None


def _cells(row: list, header: list, name: str):
    if name in header:
        i = header.index(name)
        value = row[i] if i < len(row) else None
        return None if is_blank(value) or value == "--" else value
    return None


_PUNCH_TIME = re.compile(r"(?:(次日|昨日)\s*)?(\d{1,2}:\d{2}(?::\d{2})?)")
_RANGE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*[~～至]")


def _times(cell) -> list[tuple[int, dt.time]]:
    """Every punch in a cell holding several (newlines or spaces): (day shift, time)."""
    if is_blank(cell) or cell == "--":
        return []
    if isinstance(cell, dt.time):
        return [(0, cell)]
    out = []
    for m in _PUNCH_TIME.finditer(str(cell)):
        t = parse_time(m.group(2))
        out.append(({"次日": 1, "昨日": -1}.get(m.group(1), 0), t))
    return out


def _first_day(rows: list[list]) -> dt.date | None:
    """The first date of a report from its title rows (``统计日期：2026-11-01 至 …``, ``2026-11-01 ~ …``)."""
    for row in rows[:6]:
        for v in row:
            if isinstance(v, str):
                m = _RANGE.search(v)
                if m:
                    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _day_columns(row: list) -> dict[int, int]:
    """Column index -> day of month, from a header row of day numbers (weekends may show 六/日)."""
    cols, day = {}, 0
    for i, v in enumerate(row):
        text = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip() if v is not None else ""
        if text.isdigit() and 1 <= int(text) <= 31 and (not cols or int(text) == day + 1):
            day = int(text)
            cols[i] = day
        elif text in ("六", "日") and day < 31 and (cols or i + 1 < len(row)):
            day += 1  # weekends may show 六/日 instead of the day number (the month may start on one)
            cols[i] = day
        elif cols:
            break
    return cols if len(cols) >= 7 and min(cols.values()) == 1 else {}


def _grid_punches(first: dt.date, day: int, cell) -> list[dt.datetime]:
    try:
        date = first.replace(day=day)
    except ValueError:
        return []
    return [dt.datetime.combine(date + dt.timedelta(days=shift), t) for shift, t in _times(cell)]


def _dingtalk_times(rows, path) -> list[RawPunch] | None:
    """DingTalk 打卡时间: a column per day, each cell holding that day's punches."""
    h = _header(rows, ("UserId", "姓名"))
    first = _first_day(rows)
    if h is None or first is None:
        return None
    header = [str(v).strip() if isinstance(v, str) else "" for v in rows[h]]
    days = _day_columns(rows[h])
    if not days:
        return None
    out = []
    for offset, row in enumerate(rows[h + 1:]):
        user = _cells(row, header, "UserId")
        emp = _cells(row, header, "工号")
        name = LEFT_SUFFIX.sub("", str(_cells(row, header, "姓名") or "")).strip()
        kind, ident = _dingtalk_identity(emp, user, name)
        for col, day in days.items():
            for ts in _grid_punches(first, day, row[col] if col < len(row) else None):
                out.append(RawPunch(kind, ident, name, ts, f"{path.name}:{h + 2 + offset}"))
    return out


_DAILY_PUNCH = re.compile(r"^(上班|下班)\d+/?打卡时间$")


def _dingtalk_daily(rows, path) -> list[RawPunch] | None:
    """DingTalk 每日统计: a row per person and day; 上班1/下班1 … 打卡时间 under a two-level header."""
    from kaohe.reconcile import _header as joined_header

    found = joined_header(rows)
    if found is None:
        return None
    h, names = found
    cols = [i for i, n in enumerate(names) if _DAILY_PUNCH.match(n.replace(" ", ""))]
    if "日期" not in names or not cols:
        return None
    out = []
    for offset, row in enumerate(rows[h + 1:]):
        get = lambda n: row[names.index(n)] if n in names and names.index(n) < len(row) else None  # noqa: E731
        day = _short_date(get("日期"))
        if day is None:
            continue
        emp, user = get("工号"), get("UserId")
        name = LEFT_SUFFIX.sub("", str(get("姓名") or "")).strip()
        kind, ident = _dingtalk_identity(emp, user, name)
        for col in cols:
            for shift, t in _times(row[col] if col < len(row) else None):
                out.append(RawPunch(kind, ident, name, dt.datetime.combine(day + dt.timedelta(days=shift), t),
                                    f"{path.name}:{h + 2 + offset}"))
    return out


def _wecom(rows, path) -> list[RawPunch] | None:
    """WeCom 概况统计与打卡明细: a two-level header; 时间, 姓名, 账号 and 打卡时间记录 (``09:00 18:00``)."""
    for h in range(min(8, len(rows) - 1)):
        top, bottom = rows[h], rows[h + 1]
        names, last = [], ""
        for i in range(max(len(top), len(bottom))):
            t = str(top[i]).strip() if i < len(top) and isinstance(top[i], str) and top[i].strip() else ""
            b = str(bottom[i]).strip() if i < len(bottom) and isinstance(bottom[i], str) and bottom[i].strip() else ""
            last = t or last
            names.append(b or t or last)
        if "打卡时间记录" in names and "时间" in names and "账号" in names:
            break
    else:
        return None
    out = []
    for offset, row in enumerate(rows[h + 2:]):
        get = lambda n: row[names.index(n)] if names.index(n) < len(row) else None  # noqa: E731
        day = _short_date(str(get("时间") or "").split()[0] if get("时间") else None)
        account = get("账号")
        if day is None or is_blank(account):
            continue
        name = LEFT_SUFFIX.sub("", str(get("姓名") or "")).strip()
        for shift, t in _times(get("打卡时间记录")):
            out.append(RawPunch("wecom", str(account).strip(), name, dt.datetime.combine(day + dt.timedelta(days=shift), t),
                                f"{path.name}:{h + 3 + offset}"))
    return out


def _clock_report(rows, path) -> list[RawPunch] | None:
    """The stand-alone clock's 刷卡记录: range row, day-number row, then two rows per person."""
    first = _first_day(rows)
    if first is None:
        return None
    day_row = next((i for i, r in enumerate(rows[:8]) if _day_columns(r)), None)
    if day_row is None:
        return None
    days = _day_columns(rows[day_row])
    out = []
    i = day_row + 1
    while i < len(rows) - 1:
        labels = ["".join(str(v).split()) if isinstance(v, str) else v for v in rows[i]]
        if "工号:" in labels:
            ident = labels[labels.index("工号:") + 1]
            name = labels[labels.index("姓名:") + 1] if "姓名:" in labels else ""
            ident = parse_id(ident) if not is_blank(ident) else ""
            for col, day in days.items():
                cell = rows[i + 1][col] if col < len(rows[i + 1]) else None
                for ts in _grid_punches(first, day, cell):
                    out.append(RawPunch("clock", ident, str(name or ""), ts, f"{path.name}:{i + 2}"))
            i += 2
        else:
            i += 1
    return out or None


def read_workbook_source(path: Path, kind: str) -> tuple[str, list[RawPunch]]:
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:
        raise InputRefused(f"无法读取 {path.name}（不是 Excel 文件或已损坏）", f"cannot read {path.name}") from None
    for sheet in wb.sheet_names:
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        if kind in ("auto", "wecom"):
            found = _wecom(rows, path)
            if found is not None:
                return "wecom", found
        if kind in ("auto", "dingtalk") and _header(rows, ("UserId",)) is not None \
                and _header(rows, SIGNATURES["dingtalk"]) is None:
            found = _dingtalk_daily(rows, path) or _dingtalk_times(rows, path)
            if found is not None:
                return "dingtalk", found
        if kind in ("auto", "clock-report"):
            found = _clock_report(rows, path)
            if found is not None:
                return "clock-report", found
        for candidate, needed in SIGNATURES.items():
            if kind not in ("auto", candidate):
                continue
            if candidate == "zktime":
                h = _header(rows, needed)
                if h is None or not ({"登记号码", "考勤号码"} & {str(v).strip() for v in rows[h]}):
                    continue
            else:
                h = _header(rows, needed)
                if h is None:
                    continue
            header = [str(v).strip() if isinstance(v, str) else "" for v in rows[h]]
            reader = _dingtalk_rows if candidate == "dingtalk" else _zktime_rows
            return candidate, reader(rows[h + 1:], header, path.name, h + 2)
    looked = ("；".join(f"{k}：{'、'.join(v)}" for k, v in SIGNATURES.items())
              + "；钉钉打卡时间：UserId、日期列；企业微信：时间、账号、打卡时间记录；刷卡记录：工 号:；zkteco：.dat 文本")
    raise InputRefused(f"无法识别 {path.name} 的格式（查找的表头：{looked}）",
                       f"unrecognised format of {path.name} (looked for: DingTalk 原始记录, ZKTime raw records, ZKTeco .dat)")


def _dingtalk_identity(emp, user, name: str) -> tuple[str, str]:
    """Who a DingTalk row is: its 工号 when filled, else its UserId, else the name."""
    if not is_blank(emp):
        return "emp", parse_id(emp)
    if not is_blank(user):
        return "dingtalk", str(user).strip()
    return "name", name


def match(maps, *, emp=None, dingtalk=None, wecom=None, name: str = "") -> str | None:
    """The 工号 of whoever these outside ids name, trying 工号, UserId, WeCom account, then the name."""
    for kind, ident in (("emp", emp), ("dingtalk", dingtalk), ("wecom", wecom)):
        if not is_blank(ident):
            found = maps[kind].get(parse_id(ident) if kind == "emp" else str(ident).strip())
            if found:
                return found
    return maps["name"].get(name) if name else None


def _dingtalk_rows(rows, header, file_name, first_row) -> list[RawPunch]:
    out = []
    for offset, row in enumerate(rows):
        stamp = _cells(row, header, "打卡时间")
        if stamp is None:
            continue
        name = LEFT_SUFFIX.sub("", str(_cells(row, header, "姓名") or "")).strip()
        ts = _dingtalk_time(stamp, _cells(row, header, "考勤日期"))
        if ts is None:
            continue
        emp = _cells(row, header, "工号")
        user = _cells(row, header, "UserId")
        kind, ident = _dingtalk_identity(emp, user, name)
        out.append(RawPunch(kind, ident, name, ts, f"{file_name}:{first_row + offset}"))
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
    base = _short_date(day)
    if base is None or t is None:
        return None
    return dt.datetime.combine(base + dt.timedelta(days=shift), t)


def _short_date(value) -> dt.date | None:
    if isinstance(value, str):
        m = re.match(r"\s*(\d{2,4})-(\d{1,2})-(\d{1,2})", value)
        if m:
            year = int(m.group(1))
            return dt.date(year + 2000 if year < 100 else year, int(m.group(2)), int(m.group(3)))
    try:
        return parse_date(value)
    except ValueError:
        return None


def _zktime_rows(rows, header, file_name, first_row) -> list[RawPunch]:
    out = []
    id_col = "登记号码" if "登记号码" in header else "考勤号码"
    for offset, row in enumerate(rows):
        stamp = _cells(row, header, "日期时间")
        ident = _cells(row, header, id_col)
        if stamp is None or ident is None:
            continue
        try:
            ts = parse_datetime(stamp)
        except ValueError:
            continue
        name = LEFT_SUFFIX.sub("", str(_cells(row, header, "姓名") or "")).strip()
        out.append(RawPunch("clock", parse_id(ident), name, ts, f"{file_name}:{first_row + offset}"))
    return out


@dataclass(frozen=True)
class Metrics:
    """One service agent's month from the shop's performance software (赤兔)."""

    ident: str  # 旺旺 nickname
    month: str
    values: dict  # indicator -> value as exported (fractions for rates)
    source: str


def read_chitu(path: Path, names: dict[str, str]) -> list[Metrics] | None:
    """赤兔 per-person report: an id column (客服昵称 / 客服 / 旺旺) and metric columns mapped by ``names``
    (indicator names and their 别名); 汇总 / 均值 rows dropped; the month from the file name's range."""
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:
        return None
    for sheet in wb.sheet_names:
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        for h, row in enumerate(rows[:10]):
            header = ["".join(str(v).split()) if isinstance(v, str) else "" for v in row]
            id_col = next((header.index(x) for x in CHITU_ID_HEADERS if x in header), None)
            metrics = {i: names[x] for i, x in enumerate(header) if x in names}
            if id_col is None or not metrics:
                continue
            m = _FILE_RANGE.search(path.name)
            if not m:
                raise InputRefused(f"{path.name}：文件名中找不到统计日期范围（如 …_2026-11-01至2026-11-30.xlsx）",
                                   f"{path.name}: no date range in the file name")
            month = f"{m.group(1)}-{m.group(2)}"
            out = []
            for offset, r in enumerate(rows[h + 1:]):
                ident = r[id_col] if id_col < len(r) else None
                if is_blank(ident) or str(ident).strip() in CHITU_TOTAL_ROWS:
                    continue
                values = {ind: r[i] for i, ind in metrics.items() if i < len(r) and not is_blank(r[i])}
                out.append(Metrics(str(ident).strip(), month, values, f"{path.name}:{h + 2 + offset}"))
            return out
    return None


def resolve_metrics(rows: list[Metrics], maps, source: str):
    """Map each agent to a 工号 (人员对照.旺旺, else the name); unknown agents become findings."""
    out, findings = [], []
    for r in rows:
        emp = maps["wangwang"].get(r.ident) or maps["name"].get(LEFT_SUFFIX.sub("", r.ident).strip())
        if emp is None:
            findings.append(Finding(source, "", f"旺旺“{r.ident}”在人员对照和员工名册中都找不到（{r.source}）",
                                    "这一行指标未导入；请在人员对照的“旺旺”列补上", "KPI-01", "篇二"))
            continue
        out.append((r.month, emp, r.values, r.source))
    return out, findings


def read_source(path: Path, kind: str = "auto") -> tuple[str, list[RawPunch]]:
    path = Path(path)
    if not path.is_file():
        raise InputRefused(f"找不到文件：{path}", f"file not found: {path}")
    if kind == "zkteco" or (kind == "auto" and path.suffix.lower() in (".dat", ".txt")):
        punches = read_zkteco(path)
        if not punches and kind == "auto":
            raise InputRefused(f"{path.name} 中没有考勤机打卡记录（PIN 日期 时间）", f"no clock punches in {path.name}")
        return "zkteco", punches
    return read_workbook_source(path, kind)


def identity_maps(roster, mapping) -> dict[str, dict[str, str]]:
    """Outside id -> 工号, per kind of id."""
    maps = {"clock": {}, "dingtalk": {}, "wecom": {}, "wangwang": {}, "emp": {}, "name": {}}
    for emp, name in zip(roster["emp"], roster["name"]):
        maps["emp"][emp] = emp
        if name:
            maps["name"].setdefault(LEFT_SUFFIX.sub("", str(name)).strip(), emp)
    if mapping is not None:
        f = mapping.frame
        for kind, field in (("clock", "clock_id"), ("dingtalk", "dingtalk_id"), ("wecom", "wecom_id"),
                            ("wangwang", "wangwang")):
            for emp, ident in zip(f["emp"], f[field]):
                if emp and ident is not None and str(ident).strip():
                    key = parse_id(ident) if kind == "clock" else str(ident).strip()
                    maps[kind][key] = emp
    return maps


def resolve(punches: list[RawPunch], maps, sheet_label: str) -> tuple[list[tuple[str, dt.datetime, str]], list[Finding]]:
    """Map each punch to a 工号; unknown ids become findings with their punch count."""
    rows, unknown = [], {}
    for p in punches:
        emp = maps[p.id_kind].get(p.ident) or (maps["name"].get(p.name) if p.name else None)
        if emp is None:
            key = (p.id_kind, p.ident, p.name)
            unknown.setdefault(key, []).append(p.source)
            continue
        rows.append((emp, p.ts, p.source))
    labels = {"clock": "考勤号码", "dingtalk": "钉钉UserId", "wecom": "企业微信账号", "emp": "工号", "name": "姓名"}
    findings = [Finding(sheet_label, "", f"{labels[kind]}“{ident}”{f'（{name}）' if name and name != ident else ''}"
                        f"在人员对照和员工名册中都找不到（{len(sources)}条打卡，首条 {sources[0]}）",
                        "这些打卡未导入；请在人员对照中补上", "ATT-03", "第十八条")
                for (kind, ident, name), sources in sorted(unknown.items())]
    seen, unique = set(), []
    for emp, ts, source in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        if (emp, ts) not in seen:  # the same punch from two sources counts once
            seen.add((emp, ts))
            unique.append((emp, ts, source))
    return unique, findings
