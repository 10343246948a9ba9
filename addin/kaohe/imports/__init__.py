"""Bringing punches in from where they live: time clocks, DingTalk, WeCom (docs/导入指南.md).

Supported (detected by header signature, whatever the file is called):
    zkteco        ZKTeco ``N_attlog.dat``: ``PIN[<TAB>name]<TAB>YYYY-MM-DD HH:MM:SS<TAB>…``; PINs right-
                  aligned with spaces, runs of spaces instead of tabs, device lines; UTF-8 or GBK.
                  Corrupt lines (NUL runs, PINs that are not numbers, impossible times) are counted.
    zktime        ZKTime / Att2000 "raw records": 部门, 姓名, 登记号码 (or 考勤号码), 日期时间, …; ZKTime 5.0's
                  .xls declares code page 1252 but writes UTF-16 strings (read by xlrd, kaohe.imports.xls).
    clock-report  the stand-alone clock's 刷卡记录 / 考勤记录表: 考勤日期 range row, day numbers (a range of
                  any length), then per person a label row (工 号：… 姓 名: …, either colon, value in the
                  next non-empty cell) and a row of day cells holding that day's punches; the Smack
                  员工刷卡记录表 repeats the day numbers between each person's label row and punches.
    dingtalk      原始记录 (打卡时间 per row), 每日统计 / 每日汇总 (上班1打卡时间 …, also as CSV in
                  UTF-8 with BOM or GBK), 打卡时间 (a column per day; the day labels — numbers, 六/日,
                  holiday names — in the header row or under 打卡时间; an after-midnight punch last in
                  its 考勤日's cell, kept with that 考勤日).
    wecom         概况统计与打卡明细 (打卡时间记录 per day row) and 打卡时间记录 (a column per day, the
                  year from 制表时间 or the file name ``…_20260501-20260502.xlsx``).
    punch-table   attendance software's tables with the date and the time(s) in two columns: 刷卡日期 and
                  刷卡时间, 考勤日期 and 考勤时间 (all of a day's times in one cell), 打卡日期 and 打卡时间.

赤兔 customer-service reports are read by :mod:`kaohe.imports.chitu` (through :func:`open_sheets`).

The modules: ``files`` (opening a source by its content; the records readers return), ``xls`` (Excel
97-2003 files), ``layout`` (cells, dates and day grids the spreadsheet layouts share), ``clocks``,
``vendors`` and ``table`` (the readers), ``refusal`` (what a refusal says: the sheets read, the nearest
layout, undecodable text), ``identity`` (who is who: outside ids to 工号), ``stored`` (打卡导入
accumulates one row set per file).
This module detects the layout and re-exports what the commands use.
"""
from __future__ import annotations

from pathlib import Path

from kaohe.findings import InputRefused
from kaohe.imports import refusal
from kaohe.imports.clocks import clock_report, drop_resets, read_zkteco, zktime
from kaohe.imports.files import (NotPunch, RawPunch, Read, Skipped, Source, fingerprint, kind_findings,
                                 not_punch_findings, open_sheets, skipped_findings)
from kaohe.imports.refusal import extent
from kaohe.imports.table import punch_table
from kaohe.imports.vendors import dingtalk_daily, dingtalk_raw, dingtalk_times, wecom, wecom_grid
from kaohe.workbook.guard import content_kind

KINDS = ("auto", "zkteco", "zktime", "dingtalk", "wecom", "clock-report", "punch-table", "chitu")
PUNCH_SHEETS = ("刷卡记录", "考勤记录", "原始记录", "打卡时间", "每日统计", "打卡时间记录", "概况统计与打卡明细")
# DingTalk's 打卡时间 before its 原始记录: both headers end "UserId, 打卡时间"; only the grid has a day row under it
READERS = (("wecom", wecom), ("wecom", wecom_grid), ("dingtalk", dingtalk_times), ("dingtalk", dingtalk_raw),
           ("dingtalk", dingtalk_daily), ("clock-report", clock_report), ("zktime", zktime),
           ("punch-table", punch_table))


def read_sheets(path: Path, sheets, kind: str) -> tuple[str, Read, str]:
    """The first layout that yields punches (a DingTalk workbook holds several sheets of the same punches),
    with the sheet and rows it read; a recognised layout without punches when none does. The vendors' punch
    sheets are read first, in the order of PUNCH_SHEETS: DingTalk's 原始记录 (every punch, with 打卡结果 and
    打卡设备 telling the punches from what is not one) before its 打卡时间 and 每日统计."""
    recognised = None
    rank = {name: i for i, name in enumerate(PUNCH_SHEETS)}
    for name, rows in sorted(sheets, key=lambda sheet: rank.get(sheet[0], len(rank))):
        for candidate, reader in READERS:
            if kind in ("auto", candidate):
                found = reader(rows, path)
                tried = refusal.rows_read(name, extent(rows))
                if found and any(isinstance(p, RawPunch) for p in found):
                    return candidate, found, tried
                recognised = recognised or ((candidate, tried) if found is not None else None)
    if recognised:
        return recognised[0], [], recognised[1]
    raise refusal.unrecognised(path, sheets)


def read_source(path: Path, kind: str = "auto") -> Source:
    """One punch file, read by its content; refused (exit 2) when it yields no punch at all."""
    path = Path(path)
    if not path.is_file():
        raise InputRefused(f"找不到文件：{path}", f"file not found: {path}")
    data = path.read_bytes()
    if not data:
        raise InputRefused(f"{path.name} 是空文件（0 字节），可能没有导出完整或复制失败：请重新导出后再导入",
                           f"{path.name} is empty (0 bytes): export it again")
    is_text = content_kind(data) == "text"
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
    read = len(src.punches)
    if src.kind in ("zkteco", "zktime"):
        drop_resets(src)
    if not src.punches:
        why = "，全部是考勤机时钟被重置后的日期" if read else ""
        raise InputRefused(f"{path.name} 中没有读到任何打卡（按{src.kind}格式读取了{src.tried}{why}）：未导入任何文件，"
                           "工作簿未改动", f"no punch in {path.name} (read as {src.kind}: {src.tried}); nothing imported")
    return src


def _read_spreadsheet(path: Path, data: bytes, kind: str) -> Source:
    sheets, findings = open_sheets(path, data)
    found_kind, found, tried = read_sheets(path, sheets, kind)
    skipped = [p for p in found if isinstance(p, Skipped)]
    findings += skipped_findings(path, skipped) + not_punch_findings(path, [p for p in found if isinstance(p, NotPunch)])
    return Source(path, found_kind, [p for p in found if isinstance(p, RawPunch)], findings + kind_findings(path, found),
                  tried=tried)
