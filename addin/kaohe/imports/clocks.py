"""Time clocks: ZKTeco attlog text, ZKTime / Att2000 raw records, the stand-alone clock's 刷卡记录 / 考勤记录表
and the Smack firmware's 员工刷卡记录表."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kaohe.headers import HEADER_SCAN_ROWS, find_header
from kaohe.imports.files import RawPunch, Skipped, Source, cell_text, clean_name, decode, skipped_findings
from kaohe.imports.layout import grid_dates, grid_punches, punches_of, report_span, value_at
from kaohe.values import is_blank, parse_datetime, parse_id


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
    lines = decode(data).replace("\r\n", "\n").split("\n")
    src, skipped = Source(path, "zkteco", tried=f"全部 {len(lines)} 行"), []
    for n, line in enumerate(lines, start=1):
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


def clock_report(rows, path) -> list[RawPunch] | None:
    """The stand-alone clock's 刷卡记录 / 考勤记录表 and the Smack 员工刷卡记录表: a 考勤日期 range, then per person
    a label row (``工 号：… 姓 名：…``) and a row of day cells. The day numbers are one row above everybody,
    or (Smack) each person's own row between the label row and the punches."""
    span = report_span(rows, path)
    labels = [i for i, r in enumerate(rows) if _label_at(r, "工号")] if span else []
    if not labels or labels[0] >= HEADER_SCAN_ROWS:
        return None
    shared = next((d for d in (_days(r, span) for r in reversed(rows[:labels[0]])) if d), {})
    out, found = [], False
    for i in labels:
        own = _days(rows[i + 1], span) if i + 1 < len(rows) else {}
        dates, at = (own, i + 2) if own else (shared, i + 1)
        if not dates:
            continue
        found = True
        ident = _labelled(rows[i], "工号")
        ids = (("clock", parse_id(ident)),) if ident is not None else ()
        cells = rows[at] if at < len(rows) else []
        out += punches_of(ids, _labelled(rows[i], "姓名"), grid_punches(cells, dates, at + 1), f"{path.name}:{at + 1}")
    return out if found else None


def _days(row: list, span: tuple[dt.date, dt.date]) -> dict[int, dt.date]:
    """The day columns of a clock report's day-number row (the whole range when it is shorter than a week)."""
    return grid_dates(row, span[0], last=span[1])


def zktime(rows, path) -> list[RawPunch] | None:
    header = find_header(rows, ("日期时间",), alternatives=(("登记号码",), ("考勤号码",)))
    if header is None:
        return None
    id_col = "登记号码" if "登记号码" in header else "考勤号码"
    out = []
    for offset, row in enumerate(rows[header.row + 1:]):
        stamp, ident, at = value_at(row, header, "日期时间"), value_at(row, header, id_col), header.row + 2 + offset
        if stamp is None:
            continue
        try:
            ts = parse_datetime(stamp)
        except ValueError:
            out.append(Skipped(at, f"日期时间无法识别“{stamp}”"))
            continue
        out += punches_of((("clock", parse_id(ident)),) if ident is not None else (), value_at(row, header, "姓名"), [ts],
                        f"{path.name}:{at}")
    return out
