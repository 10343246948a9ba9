"""Blank workbooks HR fills in, built from the contract and the policy (never by hand)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

from kaohe.calendar import Calendar, date_range
from kaohe.policy import params, render
from kaohe.policy.tables import DATA, GRADES, KPI_INDICATORS, ROLE_WEIGHTS
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
    if kind == "kpi":
        return _kpi_template(Path(out))
    if kind == "review":
        return _review_template(Path(out))
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


KPI_GUIDE = [
    ["客服绩效工作簿使用说明"],
    ["1. 员工名册：部门为“网店客服组”的员工参加月度考核（部门名称可在规则表“KPI考核部门”中修改）。"],
    ["2. KPI数据：每人每月一行。月份写成 2026-11；十项数据指标从绩效软件导出后粘贴，比率可写 0.452 或 45.2%。"],
    ["3. 自评分（满分100）由员工本人填写；报表上交及时性、报表数据真实性、报表整体质量由店长按权重打分。"],
    ["4. KPI规则：每项指标的权重、方向、目标值、底线值。达到目标值得满分，达到底线值得0分，中间按比例。"],
    ["   “别名”一列写绩效软件导出的表头（如 询单转化率），kaohe 会把它当作对应的指标。"],
    ["5. 生成评分表：kaohe kpi 工作簿.xlsx --month 2026-11 --notice-date 2026-12-03。"],
    ["   评分表中的得分、排名、奖惩和整改截止日期都是公式，修改 KPI数据 后会自动更新。"],
]


def _new_book(guide):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "使用说明"
    for row in guide:
        ws.append(row)
    ws.column_dimensions["A"].width = 100
    ws["A1"].font = Font(bold=True, size=14)
    return wb


def _sheet(wb, name, headers, rows=()):
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    s = wb.create_sheet(name)
    s.append(headers)
    for i, h in enumerate(headers, start=1):
        cell = s.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        s.column_dimensions[cell.column_letter].width = max(12, len(h) * 2 + 4)
    for r in rows:
        s.append(list(r))
    s.freeze_panes = "A2"
    return s


def _save(wb, out: Path, default_name: str) -> Path:
    out = out / default_name if out.is_dir() else out
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _kpi_template(out: Path) -> Path:
    wb = _new_book(KPI_GUIDE)
    _sheet(wb, c.ROSTER.name, list(c.ROSTER.required) + ["岗位", "性别", "转正日期"])
    _sheet(wb, c.KPI_DATA.name, [c.KPI_MONTH, c.ID_COLUMN, "姓名"] + [i.name for i in KPI_INDICATORS if i.scorer == DATA]
           + [c.KPI_SELF] + [i.name for i in KPI_INDICATORS if i.scorer != DATA])
    _sheet(wb, c.KPI_RULES.name, list(c.KPI_RULES.required) + ["别名"],
           [(i.name, i.weight, i.direction, i.target, i.floor, i.scorer, "、".join(i.aliases)) for i in KPI_INDICATORS])
    _sheet(wb, c.RULES.name, ["参数", "值", "条款", "说明"],
           [(p.key, render(p), f"{p.rule} {p.article}", p.doc) for p in params() if p.rule.startswith("KPI")])
    return _save(wb, out, "KPI模板.xlsx")


REVIEW_GUIDE = [
    ["季度/年度考核工作簿使用说明"],
    ["1. 员工名册：部门为“电子商务部”且已转正的员工参加考核；“绩效工资”一列填每人的绩效工资基数。"],
    ["2. 考核评分：每条评分一行。周期写 2026Q3（季度）；关系为 自评、互评 或 上级；四个维度各按百分制打分。"],
    ["3. 岗位权重：每个岗位四个维度的权重；没有列出的岗位按“默认”。考核等级：每个等级的最低分和绩效系数。"],
    ["4. 季度考核：kaohe review 工作簿.xlsx --quarter 2026Q3；年度考核（四个季度平均）：kaohe review 工作簿.xlsx --year 2026。"],
]


def _review_template(out: Path) -> Path:
    wb = _new_book(REVIEW_GUIDE)
    _sheet(wb, c.ROSTER.name, list(c.ROSTER.required) + ["岗位", "转正日期", "绩效工资"])
    _sheet(wb, c.REVIEW_SCORES.name, list(c.REVIEW_SCORES.required))
    _sheet(wb, c.ROLE_WEIGHTS.name, list(c.ROLE_WEIGHTS.required), [(r.role, *r.as_tuple()) for r in ROLE_WEIGHTS])
    _sheet(wb, c.GRADES.name, list(c.GRADES.required), [(g.grade, g.min_score, g.coefficient) for g in GRADES])
    _sheet(wb, c.RULES.name, ["参数", "值", "条款", "说明"],
           [(p.key, render(p), f"{p.rule} {p.article}", p.doc) for p in params() if p.rule.startswith("REV")])
    return _save(wb, out, "考核模板.xlsx")
