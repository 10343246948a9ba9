"""DingTalk (原始记录, 每日统计 / 每日汇总, 打卡时间) and WeCom (概况统计与打卡明细, 打卡时间记录) exports."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kaohe.findings import InputRefused
from kaohe.headers import Header, find_header
from kaohe.imports.files import NotPunch, Read, Skipped, cell_text
from kaohe.imports.layout import (day_punches, grid_dates, grid_punches, joined_header, punches_of, report_span,
                                  short_date, short_row, value_at)
from kaohe.values import is_blank, parse_datetime, parse_time
from kaohe import terms


def _dingtalk_ids(get) -> tuple:
    return tuple((k, cell_text(v)) for k, v in (("emp", get("工号")), ("dingtalk", get("UserId"))) if not is_blank(v))


INVALID = "打卡无效"  # DingTalk's 打卡结果 of a row that is no punch: 打卡无效:此记录已被更新, …:已经打过卡了…
MADE_BY = {"补卡审批": terms.PUNCH_MAKEUP, "管理员修改": terms.PUNCH_ADMIN}  # DingTalk's 打卡设备 of punches a system made


def punch_kind(result, device=None) -> str | None:
    """What a row's result (打卡结果, 打卡状态) and device (打卡设备) say it is: None for no punch (打卡无效),
    terms.PUNCH_MAKEUP for an approved make-up (补卡审批, 补卡审批通过, WeCom's 补卡), terms.PUNCH_ADMIN for a punch an
    administrator made, "" for a clock punch."""
    result, device = cell_text(result), cell_text(device)
    if result.startswith(INVALID):
        return None
    if device in MADE_BY:
        return MADE_BY[device]
    return terms.PUNCH_MAKEUP if "补卡" in result else ""


def dingtalk_raw(rows, path) -> Read | None:
    """DingTalk 原始记录: a row per punch (考勤日期, 打卡时间); 打卡结果 and 打卡设备 tell punches from the rest."""
    header = find_header(rows, ("UserId", "打卡时间"))
    if header is None:
        return None
    out: Read = []
    for offset, row in enumerate(rows[header.row + 1:]):
        get = lambda n, row=row: value_at(row, header, n)  # noqa: E731
        stamp, at = get("打卡时间"), header.row + 2 + offset
        if stamp is None:
            continue
        kind = punch_kind(get("打卡结果"), get("打卡设备"))
        if kind is None:
            out.append(NotPunch(at, cell_text(get("打卡结果"))))
            continue
        ts = _dingtalk_time(stamp, get("考勤日期"))
        out += punches_of(_dingtalk_ids(get), get("姓名"), [ts or Skipped(at, f"打卡时间无法识别“{stamp}”")],
                        f"{path.name}:{at}", kind)
    return out


def dingtalk_times(rows, path) -> Read | None:
    """DingTalk 打卡时间: 姓名 … UserId, then a column per day (打卡时间 over them); the day labels (``1``,
    ``六``/``日``, ``劳动节``) in the header row or the row under it. Each cell holds its 考勤日's punches,
    an after-midnight one last (``16:30\n02:18``): on the next date, on that 考勤日."""
    header = find_header(rows, ("UserId", "姓名"))
    span = report_span(rows, path)
    if header is None or span is None:
        return None
    start = header.columns.get("打卡时间", header.columns["UserId"] + 1)
    for day_row in (header.row, header.row + 1)[:len(rows) - header.row]:
        dates = grid_dates(rows[day_row], span[0], start, span[1])
        if dates:
            return short_row(dates, span, day_row + 1) + _grid_people(path, rows, day_row + 1, header, dates,
                                                                       _dingtalk_ids, overnight=True)
    return None


def _grid_people(path: Path, rows: list[list], first: int, header: Header, dates, ids, overnight=False) -> list:
    """The punches of a month grid's person rows from row index ``first`` (DingTalk's and WeCom's grids):
    ``ids`` picks the person's ids from a row, the day columns hold that day's punches."""
    out = []
    for offset, row in enumerate(rows[first:]):
        get = lambda n, row=row: value_at(row, header, n)  # noqa: E731
        at = first + 1 + offset
        out += punches_of(ids(get), get("姓名"), grid_punches(row, dates, at, overnight), f"{path.name}:{at}")
    return out


_DAILY_PUNCH = re.compile(r"^(上班|下班)\d+/?打卡时间$")


def dingtalk_daily(rows, path) -> Read | None:
    """DingTalk 每日统计 / 每日汇总: a row per person and day; 上班1/下班1 … 打卡时间 (one or two header rows), each
    with its 打卡结果 telling an approved make-up (补卡审批) or an invalid punch from a clock punch."""
    header = joined_header(rows)
    if header is None:
        return None
    cols = [i for i, n in enumerate(header.names) if _DAILY_PUNCH.match(n)]
    if "日期" not in header or not cols:
        return None
    out: Read = []
    for offset, row in enumerate(rows[header.row + 1:]):
        get = lambda n, row=row: value_at(row, header, n)  # noqa: E731
        day, at = short_date(get("日期")), header.row + 2 + offset
        if day is None:
            out += [Skipped(at, f"日期无法识别“{get('日期')}”")] if get("日期") is not None else []
            continue
        for col in cols:
            result = get(header.names[col].replace("打卡时间", "打卡结果"))
            kind = punch_kind(result)
            if kind is None and not is_blank(row[col] if col < len(row) else None):
                out.append(NotPunch(at, cell_text(result)))
            if kind is not None:
                out += punches_of(_dingtalk_ids(get), get("姓名"), grid_punches(row, {col: day}, at),
                                  f"{path.name}:{at}", kind)
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


def _wecom_ids(get) -> tuple:
    return tuple((k, cell_text(v)) for k, v in (("wecom", get("账号")), ("emp", get("工号"))) if not is_blank(v))


_WECOM_STATE = re.compile(r"^((?:上班|下班)\d+)/打卡状态$")


def wecom(rows, path) -> Read | None:
    """WeCom 概况统计与打卡明细: a two-level header; 时间, 姓名, 账号 and 打卡时间记录 (``09:00 18:00``); a time
    whose 上班N/下班N 打卡状态 says 补卡 is an approved make-up, not a clock punch."""
    header = find_header(rows, ("时间", "账号", "打卡时间记录"), two_level=True)
    if header is None:
        return None
    states = [(n, f"{m.group(1)}/打卡时间") for n in header.names if (m := _WECOM_STATE.match(n))]
    out: Read = []
    for offset, row in enumerate(rows[header.row + 1:]):
        get = lambda n, row=row: value_at(row, header, n)  # noqa: E731
        day, at = short_date(str(get("时间")).split()[0] if get("时间") else None), header.row + 2 + offset
        if day is None:
            out += [Skipped(at, f"时间无法识别“{get('时间')}”")] if get("时间") is not None else []
            continue
        punches = day_punches(day, get("打卡时间记录"), at)
        made_up = [t for state, time in states if punch_kind(get(state)) == terms.PUNCH_MAKEUP
                   for t in day_punches(day, get(time), at) if isinstance(t, dt.datetime)]
        clocked = [p for p in punches if p not in made_up]
        where = f"{path.name}:{at}"
        out += punches_of(_wecom_ids(get), get("姓名"), clocked, where)
        out += punches_of(_wecom_ids(get), get("姓名"), made_up, where, terms.PUNCH_MAKEUP)
    return out


def wecom_grid(rows, path) -> Read | None:
    """WeCom 打卡时间记录: 姓名, 账号, 基础信息 (部门, 职务, 工号), then a column per day (``1\\n星期五``)."""
    header = find_header(rows, ("姓名", "账号", "打卡时间记录"), two_level=True)
    if header is None or header.row + 1 >= len(rows):
        return None
    span = report_span(rows, path)
    if span is None:
        raise InputRefused(f"{path.name}：统计时间没有年份，表中没有制表时间，文件名中也找不到日期范围"
                           f"（如 …_20260501-20260531.xlsx）",
                           f"{path.name}: no year in the range, no 制表时间 and no date range in the file name")
    dates = grid_dates(rows[header.row], span[0], header.columns["打卡时间记录"], span[1])
    return short_row(dates, span, header.row + 1) + _grid_people(path, rows, header.row + 1, header, dates, _wecom_ids)
