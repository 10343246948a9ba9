"""Time clocks: ZKTeco attlog text, ZKTime / Att2000 raw records, the stand-alone clock's 刷卡记录 / 考勤记录表
and the Smack firmware's 员工刷卡记录表.

A clock whose battery ran down or that was reset starts again at its factory date (2000-01-01) or at some
past date, and goes on writing its log: such punches are dated before the ones above them. They are not
imported (:func:`drop_resets`): one 警告 says how many, the first line, and the days on which they were
really made (between the person's punches before and after them in the log), where a missing punch may
be one of them.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kaohe.headers import HEADER_SCAN_ROWS, find_header
from kaohe.findings import Finding
from kaohe.imports.files import RawPunch, Read, Skipped, Source, cell_text, clean_name, decode, skipped_findings
from kaohe.imports.layout import grid_dates, grid_punches, punches_of, report_span, value_at
from kaohe.values import is_blank, parse_datetime, parse_id
from kaohe import terms


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
                ts = None
            if ts is None:
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


def clock_report(rows, path) -> Read | None:
    """The stand-alone clock's 刷卡记录 / 考勤记录表 and the Smack 员工刷卡记录表: a 考勤日期 range, then per person
    a label row (``工 号：… 姓 名：…``) and a row of day cells. The day numbers are one row above everybody,
    or (Smack) each person's own row between the label row and the punches."""
    span = report_span(rows, path)
    labels = [i for i, r in enumerate(rows) if _label_at(r, "工号")] if span else []
    if span is None or not labels or labels[0] >= HEADER_SCAN_ROWS:
        return None
    shared = next((d for d in (_days(r, span) for r in reversed(rows[:labels[0]])) if d), {})
    out: Read = []
    found = False
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


def zktime(rows, path) -> Read | None:
    header = find_header(rows, ("日期时间",), alternatives=(("登记号码",), ("考勤号码",)))
    if header is None:
        return None
    id_col = "登记号码" if "登记号码" in header else "考勤号码"
    out: Read = []
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


# --- clock resets -----------------------------------------------------------------------------------

FACTORY_DATES_BEFORE = dt.datetime(2001, 1, 1)  # a reset clock runs from its factory date, 2000-01-01
# Earlier than the person's latest punch on a line above by more than this: the clock's time ran backwards.
# A day or a week back is a log merged or completed by hand (its punches are real); a reset goes back years.
BACKWARDS = dt.timedelta(days=31)


def drop_resets(src: Source) -> None:
    """Take out of ``src`` the punches of a reset clock: dated in 2000 or before, or more than ``BACKWARDS``
    before the latest punch of the same person on an earlier line (a file sorted by person still runs forward
    per person); one 警告 with their count, first line and the days they were really made."""
    latest: dict[tuple, dt.datetime] = {}
    kept, dropped = [], []  # dropped: (punch, the person's latest punch before it)
    for p in src.punches:
        who = p.ids or (("name", p.name),)
        last = latest.get(who)
        if p.ts < FACTORY_DATES_BEFORE or (last is not None and p.ts < last - BACKWARDS):
            dropped.append((p, last))
            continue
        kept.append(p)
        latest[who] = max(last, p.ts) if last else p.ts
    if dropped:
        src.punches = kept
        src.findings.append(_reset_finding(src.path, dropped, kept))


def _real_days(dropped: list[tuple], kept: list[RawPunch]) -> list[tuple]:
    """The spans (first, last date; None where open) between each dropped punch's person's punch before and
    after it in the log: the days it was really made on, merged."""
    after: dict[tuple, list] = {}
    for p in kept:
        after.setdefault(p.ids or (("name", p.name),), []).append(p)
    spans = []
    for p, before in dropped:
        later = [q.ts for q in after.get(p.ids or (("name", p.name),), []) if _line(q) > _line(p)]
        spans.append((before.date() if before else None, later[0].date() if later else None))
    merged: list[list] = []
    for lo, hi in sorted(set(spans), key=lambda s: (s[0] or dt.date.min, s[1] or dt.date.max)):
        if merged and merged[-1][1] is not None and lo is not None and lo <= merged[-1][1]:
            merged[-1][1] = None if hi is None else max(hi, merged[-1][1])
        else:
            merged.append([lo, hi])
    return [tuple(m) for m in merged if m != [None, None]]


def _line(p: RawPunch) -> int:
    return int(p.source.rsplit(":", 1)[-1])


def _span_text(lo, hi) -> str:
    if lo and hi:
        return f"{lo:%Y-%m-%d} 至 {hi:%Y-%m-%d} 之间" if lo != hi else f"{lo:%Y-%m-%d}"
    return f"{lo:%Y-%m-%d} 之后" if lo else f"{hi:%Y-%m-%d} 之前"


def _reset_finding(path: Path, dropped: list[tuple], kept: list[RawPunch]) -> Finding:
    first = dropped[0][0]
    spans = _real_days(dropped, kept)
    months = sorted({f"{d:%Y-%m}" for lo, hi in spans for d in (lo, hi) if d})
    where = f"；它们实际打在 {'、'.join(_span_text(lo, hi) for lo, hi in spans)}，这些日子的缺卡可能就是这些打卡" if spans else ""
    problem = (f"{path.name} 有 {len(dropped)} 条打卡的时间倒退（比同一考勤号码此前的打卡早一个月以上）或是考勤机的出厂日期"
               f"（2000 年），考勤机的时钟被重置过：未导入（首条 第{_line(first)}行 {first.ts:%Y-%m-%d %H:%M}）{where}")
    return Finding(path.name, f"第{_line(first)}行", problem, "请核对这些日子的考勤（需要时在打卡异常中补录），并校准考勤机时间",
                   "ATT-03", "第十八条", terms.LEVEL_WARNING, month="、".join(months), code="import.clock_reset")
