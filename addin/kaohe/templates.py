"""Blank workbooks HR fills in, built from the contract and the policy (never by hand)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

from kaohe.calendar import Calendar, date_range
from kaohe.policy import params, render
from kaohe.workbook import contract as c

GUIDE = [
    ["考勤工作簿使用说明"],
    ["1. 员工名册、打卡记录为必填表；其他表没有数据时可以留空。"],
    ["2. 每张表第一行是表头，请勿修改表头文字；列的顺序可以调整，可以增加自己的列。"],
    ["3. 日期写成 2026-11-02 或 2026/11/2；时间写成 8:30；打卡时间写成 2026-11-02 8:30。"],
    ["4. 工号按文本填写，001 不会变成 1。"],
    ["5. 规则表列出全部制度参数和默认值，改“值”一列即可生效；删除某行则用默认值。"],
    ["6. 节假日表已按国务院放假通知填好当年的假日和调休上班日；公司另行安排的休息日填“公司休息日”。"],
    ["7. 计算：Excel 中点“考勤绩效 → 计算本月”，或命令行运行 kaohe compute-month 工作簿.xlsx --month 2026-11。"],
    ["8. kaohe 只写入它自己的表（每日明细、月度汇总、请假校验、问题清单、运行记录），不会改动您填写的表。"],
]


def write_template(kind: str, out: Path, year: int | None = None) -> Path:
    if kind != "attendance":
        raise ValueError(kind)
    year = year or dt.date.today().year
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "使用说明"
    for row in GUIDE:
        ws.append(row)
    ws.column_dimensions["A"].width = 100
    ws["A1"].font = Font(bold=True, size=14)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for spec in c.ATTENDANCE_INPUTS:
        sheet = wb.create_sheet(spec.name)
        headers = list(spec.columns) if spec is not c.PUNCHES else ["工号", "姓名", "打卡时间", "设备"]
        if spec is c.RULES:
            headers = ["参数", "值", "条款", "说明"]
        sheet.append(headers)
        for i, h in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=i)
            cell.font, cell.fill = bold, fill
            sheet.column_dimensions[cell.column_letter].width = max(12, len(h) * 2 + 4)
        sheet.freeze_panes = "A2"
        if spec is c.RULES:
            for p in params():
                sheet.append([p.key, render(p), f"{p.rule} {p.article}", p.doc])
            sheet.column_dimensions["A"].width = 24
            sheet.column_dimensions["D"].width = 60
        elif spec is c.HOLIDAYS:
            cal = Calendar()
            for day in date_range(dt.date(year, 1, 1), dt.date(year, 12, 31)):
                kind_ = cal.day_type(day)
                if kind_ in (c.DAY_HOLIDAY, c.DAY_SWAPPED_REST, c.DAY_MAKEUP_WORK):
                    sheet.append([day, kind_, cal.day_name(day)])
                    sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"
        elif spec is c.SHIFTS:
            sheet.append(["白班", dt.time(8, 30), dt.time(12), dt.time(13, 30), dt.time(17, 30)])
            sheet.append(["夜班", dt.time(22), dt.time(6), None, None])
    out = Path(out)
    if out.is_dir():
        out = out / "考勤模板.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
