"""Bringing punches in from where they live (IMPORTS.md): time clocks and DingTalk.

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
from kaohe.workbook import contract as c
from kaohe.workbook.values import is_blank, parse_date, parse_datetime, parse_id, parse_time

KINDS = ("auto", "zkteco", "zktime", "dingtalk")
LEFT_SUFFIX = re.compile(r"[（(]离职[)）]\s*$")
_DAT_LINE = re.compile(r"^\s*(\S+)[\t ]+(\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2})?)")
SIGNATURES = {
    "dingtalk": ("UserId", "打卡时间"),
    "zktime": ("日期时间",),
}


@dataclass(frozen=True)
class RawPunch:
    id_kind: str  # clock / dingtalk / emp / name
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


def read_workbook_source(path: Path, kind: str) -> tuple[str, list[RawPunch]]:
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:
        raise InputRefused(f"无法读取 {path.name}（不是 Excel 文件或已损坏）", f"cannot read {path.name}") from None
    for sheet in wb.sheet_names:
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
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
    looked = "；".join(f"{k}：{'、'.join(v)}" for k, v in SIGNATURES.items()) + "；zkteco：.dat 文本"
    raise InputRefused(f"无法识别 {path.name} 的格式（查找的表头：{looked}）",
                       f"unrecognised format of {path.name} (looked for: DingTalk 原始记录, ZKTime raw records, ZKTeco .dat)")


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
        kind, ident = ("emp", parse_id(emp)) if emp else (("dingtalk", str(user).strip()) if user else ("name", name))
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
    maps = {"clock": {}, "dingtalk": {}, "emp": {}, "name": {}}
    for emp, name in zip(roster["emp"], roster["name"]):
        maps["emp"][emp] = emp
        if name:
            maps["name"].setdefault(LEFT_SUFFIX.sub("", str(name)).strip(), emp)
    if mapping is not None:
        f = mapping.frame
        for kind, field in (("clock", "clock_id"), ("dingtalk", "dingtalk_id")):
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
    labels = {"clock": "考勤号码", "dingtalk": "钉钉UserId", "emp": "工号", "name": "姓名"}
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
