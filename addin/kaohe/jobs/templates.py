"""Blank workbooks HR fills in, built from the contract and the policy (never by hand).

What Excel users expect: drop-down lists for the columns with fixed values, date and time
formats, frozen bold headers, widths for Chinese text, print setup (A4 landscape, fit to
width, header row on every page), and protection where typing would break something (the
guide; the 规则 sheet except its 值 column).

The build is reproducible: fixed document dates and zip timestamps, so the same code gives
the same bytes (``scripts/build_templates.py``; CI compares the committed files with a fresh build).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from kaohe.calendar import Calendar, date_range
from kaohe.findings import InputRefused
from kaohe.policy import params, render
from kaohe.policy.tables import DATA, GRADES, KPI_INDICATORS, ROLE_WEIGHTS
from kaohe.jobs import penalty_sheet
from kaohe.jobs.leave_kinds import policy_of_rules, sheet_rows
from kaohe.jobs.reference import add_reference_sheet
from kaohe import terms
from kaohe.workbook import contract as c

FIXED_TIME = dt.datetime(2026, 1, 1)
FORMATTED_ROWS = 500  # rows pre-formatted with date/time formats and covered by the drop-downs
HEADER_FONT, HEADER_FILL = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")

CHOICES, SHEET_CHOICES = c.CHOICES, c.SHEET_CHOICES  # the drop-down lists
FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "time": "hh:mm", "number": "#,##0.00"}

ATTENDANCE_GUIDE = [
    "考勤工作簿使用说明",
    "1. 员工名册、打卡记录为必填表；其他表没有数据时可以留空。",
    "2. 每张表第一行是表头，请勿修改表头文字；列的顺序可以调整，可以增加自己的列。",
    "3. 日期写成 2026-11-02 或 2026/11/2；时间写成 8:30；打卡时间写成 2026-11-02 8:30。",
    "4. 工号按文本填写，001 不会变成 1。带下拉箭头的列请从列表中选择。",
    "5. 规则表列出全部制度参数和默认值，只需修改“值”一列；删除某行则用默认值。",
    "6. 节假日表已按国务院放假通知填好当年的假日和调休上班日；公司另行安排的休息日填“公司休息日”。",
    "   罚则表按规则表列出迟到、早退、缺卡、旷工的处理（每行一条）；可改写或增加行（如免罚次数、按分钟罚款、补卡上限、"
    "全勤奖），表中写了的事件只按罚则表计算。",
    "7. 综合工时（倒班）员工：在班次表定义班次（夜班可跨零点），在排班表按日期排班。"
    "弹性上班、晚走晚到写在班次表的弹性分钟、晚走时间、次日最晚上班（空白＝不用；标准工时员工在规则表设置）。",
    "8. 计算：Excel 中点“考勤绩效 → 计算本月”，或命令行运行 kaohe compute-month 工作簿.xlsx --month 2026-11。",
    "9. kaohe 只写入它自己的表（每日明细、月度汇总、请假校验、问题清单、考勤表、运行记录），不会改动您填写的表。",
    "10. 考勤表：按月排版、可直接打印签字的考勤表（每人上午、下午各一行，符号见表下的图例）。",
    "11. 运行记录：每次计算的时间、命令、月份、版本和输入指纹，可据此确认结果来自哪一次计算。",
    "12. 规则说明表：结果“依据”列中的规则编号（如 ATT-04 第十九条）的含义、参数和默认值。",
    "13. 假别表：每种假别一行（计薪、计算方式、证明、额度等）。公司另有的假别在表末加一行；请假记录的假别从此表中选。",
]
KPI_GUIDE = [
    "客服绩效工作簿使用说明",
    "1. 员工名册：部门为“网店客服组”的员工参加月度考核（部门名称可在规则表“KPI考核部门”中修改）。",
    "2. KPI数据：每人每月一行。月份写成 2026-11；十项数据指标从绩效软件导出后粘贴，比率可写 0.452 或 45.2%。",
    "3. 自评分（满分100）由员工本人填写；报表上交及时性、报表数据真实性、报表整体质量由店长按权重打分。",
    "4. KPI规则：每项指标的权重、方向、目标值、底线值。达到目标值得满分，达到底线值得0分，中间按比例。",
    "   “别名”一列写绩效软件导出的表头（如 询单转化率），kaohe 会把它当作对应的指标。",
    "5. 生成评分表：kaohe kpi 工作簿.xlsx --month 2026-11 --notice-date 2026-12-03。",
    "   评分表中的得分、排名、奖惩和整改截止日期都是公式，修改 KPI数据 后会自动更新。",
]
REVIEW_GUIDE = [
    "季度/年度考核工作簿使用说明",
    "1. 员工名册：部门为“电子商务部”且已转正的员工参加考核；“绩效工资”一列填每人的绩效工资基数。",
    "2. 考核评分：每条评分一行。周期写 2026Q3（季度）；关系为 自评、互评 或 上级；四个维度各按百分制打分。",
    "3. 岗位权重：每个岗位四个维度的权重；没有列出的岗位按“默认”。考核等级：每个等级的最低分和绩效系数。",
    "4. 季度考核：kaohe review 工作簿.xlsx --quarter 2026Q3；年度考核（四个季度平均）：kaohe review 工作簿.xlsx --year 2026。",
]


def _new_book(guide: list[str]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.properties.creator = "kaohe"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = "使用说明"
    for line in guide:
        ws.append([line])
    ws.column_dimensions["A"].width = 110
    ws["A1"].font = Font(bold=True, size=14)
    ws.protection.sheet = True  # the guide is read-only
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return wb


def _sheet(wb, name: str, headers: list[str], rows=(), kinds: dict[str, str] | None = None):
    """An input sheet: styled header, drop-downs, formats for the first rows, print setup."""
    ws = wb.create_sheet(name)
    ws.append(headers)
    for r in rows:
        ws.append(list(r))
    kinds = kinds if kinds is not None else c.COLUMN_KINDS.get(name, {})
    choices = {**CHOICES, **SHEET_CHOICES.get(name, {})}
    for i, h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = cell.column_letter
        kind = kinds.get(h)
        wide = {"datetime": 18, "date": 12, "time": 9}.get(kind or "", 0)
        longest = max([_text_width(h)] + [_text_width(r[i - 1]) for r in rows if i <= len(r) and isinstance(r[i - 1], str)])
        ws.column_dimensions[letter].width = min(max(10, longest + 4, wide), 60)
        fmt = FORMATS.get(kind) if kind in ("date", "datetime", "time") else (
            FORMATS["number"] if h in ("岗位基本工资", "绩效工资") else None)
        if fmt:
            for row in range(2, FORMATTED_ROWS + 2):
                ws.cell(row=row, column=i).number_format = fmt
        if kind == "id":
            for row in range(2, FORMATTED_ROWS + 2):
                ws.cell(row=row, column=i).number_format = "@"  # 工号 stays text: 001 is not 1
        if choices.get(h):
            ws.add_data_validation(_choice_list(h, choices[h], _takes_synonyms(name, h), letter))
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _text_width(text: str) -> int:
    """Column width units a text needs: a CJK character takes two."""
    return sum(2 if ord(ch) > 255 else 1 for ch in str(text))


def is_rate(indicator) -> bool:
    """A rate (咨询转化率, 退款比例 …): target and floor are fractions, shown as %."""
    return all(v is not None and 0 <= v <= 1 for v in (indicator.target, indicator.floor))


def _kpi_percent_formats(data_ws, rules_ws) -> None:
    """Rates as %: the rate columns of KPI数据 and the rates' 目标值 and 底线值 in KPI规则."""
    rates = {i.name for i in KPI_INDICATORS if is_rate(i)}
    for cell in data_ws[1]:
        if cell.value in rates:
            for row in range(2, FORMATTED_ROWS + 2):
                data_ws.cell(row=row, column=cell.column).number_format = "0.0%"
    header = [cell.value for cell in rules_ws[1]]
    for row in rules_ws.iter_rows(min_row=2):
        if row[0].value in rates:
            for name in ("目标值", "底线值"):
                row[header.index(name)].number_format = "0.0%"


def _rules_sheet(wb, prefix: tuple[str, ...] = ()):
    ws = _sheet(wb, c.RULES.name, ["参数", "值", "条款", "说明"],
                [(p.key, render(p), f"{p.rule} {p.article}", p.doc) for p in params()
                 if not prefix or p.rule.startswith(prefix)], kinds={})
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["D"].width = 70
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=2).protection = Protection(locked=False)  # only 值 can be typed in
    ws.protection.sheet = True
    return ws


def _penalties_sheet(wb):
    """罚则 (ATT-14): the default rows of 规则 (kaohe.jobs.penalty_sheet)."""
    rows = penalty_sheet.sheet_rows()
    ws = _sheet(wb, c.PENALTIES.name, rows[0], [tuple(r) for r in rows[1:]], kinds={})
    ws.column_dimensions[ws.cell(row=1, column=rows[0].index("说明") + 1).column_letter].width = 50
    return ws


def leave_types_sheet(wb) -> None:
    """The 假别 sheet (LV-25) added to ``wb``: a template's, or an existing workbook's (HR keeps theirs), its default
    rows from the workbook's own 规则 (so adding it changes no figure); 请假记录's 假别 drop-down then lists it."""
    policy = policy_of_rules([list(r) for r in wb[c.RULES.name].iter_rows(values_only=True)]
                             if c.RULES.name in wb.sheetnames else None)
    ws = _sheet(wb, c.LEAVE_KINDS.name, list(c.LEAVE_KIND_HEADERS), sheet_rows(policy))
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions[ws.cell(row=1, column=len(c.LEAVE_KIND_HEADERS)).column_letter].width = 40
    if c.LEAVE.name in wb.sheetnames:
        _leave_type_choices(wb[c.LEAVE.name])


def _takes_synonyms(sheet: str, header: str) -> bool:
    """Whether a value column also reads the synonyms of docs/工作簿约定.md (审批状态's 同意 …): its drop-down then
    only warns on another value, as 请假记录's 假别 column does."""
    return header in c.VALUE_COLUMNS.get(sheet, {}) or (sheet == c.REVIEW_SCORES.name and header in c.SYNONYM_COLUMNS)


def _choice_list(header: str, values, synonyms: bool, letter: str) -> DataValidation:
    """A column's drop-down: a value outside the list is refused (stop), or, where synonyms are read, a warning
    HR may accept (Excel's 警告 style: 是 keeps the value)."""
    listed = "、".join(values)
    if synonyms:
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, showErrorMessage=True,
                            errorStyle="warning", errorTitle="不是列表中的值",
                            error=f"{header}的标准值：{listed}。同义词（见工作簿约定）也可以，kaohe 计算时识别；"
                                  "无法识别的写法在问题清单中列为错误。保留这个写法吗？")
    else:
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="请从列表中选择", error=f"{header}只能是：{listed}")
    dv.add(f"{letter}2:{letter}{FORMATTED_ROWS + 1}")
    return dv


def _leave_type_choices(ws) -> None:
    """请假记录's 假别 column lists the 假别 sheet's names (HR's added types too); a synonym may still be typed."""
    header = [cell.value for cell in ws[1]]
    if "假别" not in header:
        return
    letter = ws.cell(row=1, column=header.index("假别") + 1).column_letter
    for dv in list(ws.data_validations.dataValidation):
        if any(str(r).startswith(f"{letter}2") for r in dv.sqref.ranges):
            ws.data_validations.dataValidation.remove(dv)
    dv = DataValidation(type="list", formula1=f"'{c.LEAVE_KINDS.name}'!$A$2:$A${FORMATTED_ROWS + 1}", allow_blank=True,
                        showErrorMessage=False)
    dv.add(f"{letter}2:{letter}{FORMATTED_ROWS + 1}")
    ws.add_data_validation(dv)


def attendance_template(year: int) -> openpyxl.Workbook:
    wb = _new_book(ATTENDANCE_GUIDE)
    for spec in c.ATTENDANCE_INPUTS + (c.IDENTITY,):
        if spec is c.IMPORTED:
            continue  # written by kaohe import, not by HR
        if spec is c.RULES:
            _rules_sheet(wb)
            continue
        if spec is c.PENALTIES:
            _penalties_sheet(wb)
            continue
        if spec is c.LEAVE_KINDS:
            leave_types_sheet(wb)
            continue
        headers = list(spec.columns)
        if spec is c.PUNCHES:
            headers = ["工号", "姓名", "打卡时间", "设备"]
        rows: list[tuple] = []
        if spec is c.HOLIDAYS:
            cal = Calendar()
            rows = [(day, cal.day_type(day), cal.day_name(day)) for day in date_range(dt.date(year, 1, 1), dt.date(year, 12, 31))
                    if cal.day_type(day) in (terms.DAY_HOLIDAY, terms.DAY_SWAPPED_REST, terms.DAY_MAKEUP_WORK)]
        elif spec is c.SHIFTS:
            rows = [("白班", dt.time(8, 30), dt.time(12), dt.time(13, 30), dt.time(17, 30)),
                    ("夜班", dt.time(22), dt.time(6), None, None)]
        _sheet(wb, spec.name, headers, rows)
    add_reference_sheet(wb)
    return wb


def kpi_template() -> openpyxl.Workbook:
    wb = _new_book(KPI_GUIDE)
    _sheet(wb, c.ROSTER.name, list(c.ROSTER.required) + ["岗位", "性别", "转正日期"])
    data_headers = ([c.KPI_MONTH, c.ID_COLUMN, "姓名"] + [i.name for i in KPI_INDICATORS if i.scorer == DATA]
                    + [c.KPI_SELF] + [i.name for i in KPI_INDICATORS if i.scorer != DATA])
    data = _sheet(wb, c.KPI_DATA.name, data_headers, kinds={c.ID_COLUMN: "id"})
    rules = _sheet(wb, c.KPI_RULES.name, list(c.KPI_RULES.columns),
                   [(i.name, i.weight, i.direction, i.target, i.floor, i.scorer, "、".join(i.aliases)) for i in KPI_INDICATORS])
    _kpi_percent_formats(data, rules)
    _rules_sheet(wb, ("KPI",))
    return wb


def review_template() -> openpyxl.Workbook:
    wb = _new_book(REVIEW_GUIDE)
    _sheet(wb, c.ROSTER.name, list(c.ROSTER.required) + ["岗位", "转正日期", "绩效工资"])
    _sheet(wb, c.REVIEW_SCORES.name, list(c.REVIEW_SCORES.required))
    _sheet(wb, c.ROLE_WEIGHTS.name, list(c.ROLE_WEIGHTS.required), [(r.role, *r.as_tuple()) for r in ROLE_WEIGHTS])
    _sheet(wb, c.GRADES.name, list(c.GRADES.required), [(g.grade, g.min_score, g.coefficient) for g in GRADES])
    _rules_sheet(wb, ("REV",))
    return wb


TEMPLATES = {"attendance": "考勤模板.xlsx", "kpi": "KPI模板.xlsx", "review": "考核模板.xlsx"}


def write_template(kind: str, out: Path, year: int | None = None, force: bool = False) -> Path:
    """Write the ``kind`` template to ``out`` (a file, or a folder for the standard name).

    An existing file is HR's filled workbook as often as not: it is refused (exit 2) unless ``force``.
    """
    builders = {"attendance": lambda: attendance_template(year or dt.date.today().year),
                "kpi": kpi_template, "review": review_template}
    out = Path(out)
    if out.is_dir():
        out = out / TEMPLATES[kind]
    if out.exists() and not force:
        raise InputRefused(f"文件已存在：{out}（模板不会覆盖已有工作簿；换一个文件名，或确认覆盖时加 --force）",
                           f"{out} exists; a template never overwrites a workbook unless --force is given")
    return save_workbook(builders[kind](), out)


def save_workbook(wb: openpyxl.Workbook, out: Path) -> Path:
    """Save a new workbook reproducibly (fixed timestamps)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    os.close(fd)
    try:
        wb.save(tmp)
        _normalise_zip(Path(tmp), out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def _normalise_zip(src: Path, dst: Path) -> None:
    """Same members, fixed timestamps: the same workbook gives the same bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.external_attr = 0o644 << 16
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                              data)
            zout.writestr(zi, data, compress_type=zipfile.ZIP_DEFLATED)


def write_rules_workbook(out: Path) -> Path:
    """``kaohe rules --out``: the rule reference as a workbook of its own."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    add_reference_sheet(wb)
    out = Path(out)
    return save_workbook(wb, out / f"{c.RULES_REFERENCE}.xlsx" if out.is_dir() else out)
