"""The templates HR fills in: reproducible, with drop-downs, formats, protection; rendered by LibreOffice."""
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from lo import convert

from kaohe.doors.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"


def test_committed_templates_match_a_fresh_build():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_templates.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def validations(ws):
    return {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation}


def test_attendance_template_drop_downs_formats_and_protection():
    wb = openpyxl.load_workbook(TEMPLATES / "考勤模板.xlsx")
    assert wb.sheetnames[0] == "使用说明" and wb["使用说明"].protection.sheet
    leave = wb["请假记录"]
    header = [c.value for c in leave[1]]
    lists = {header[ord(col) - 65]: f for col, f in validations(leave).items()}
    assert lists["假别"] == "'假别'!$A$2:$A$501"  # the 假别 sheet's names: HR's added types are offered too
    kinds = [r[0] for r in wb["假别"].iter_rows(min_row=2, values_only=True)]
    assert kinds[:8] == ["事假", "病假", "婚假", "丧假", "产假", "年休假", "调休", "工伤假"] and "陪产假" in kinds
    assert lists["审批状态"] == '"已批准,待审批,已驳回,事后补单"'
    assert leave.cell(row=2, column=header.index("开始时间") + 1).number_format == "yyyy-mm-dd hh:mm"
    assert leave.freeze_panes == "A2" and leave.page_setup.orientation == "landscape"
    for sheet, column in (("打卡异常", "时段"), ("员工名册", "工时制"), ("加班申请", "类型"), ("加班申请", "补偿方式")):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        assert header[ord(next(k for k in validations(ws) if header[ord(k) - 65] == column)) - 65] == column
    assert wb["员工名册"]["A2"].number_format == "@"  # 工号 typed as text
    rules = wb["规则"]
    assert rules.protection.sheet and not rules["B2"].protection.locked and rules["A2"].protection.locked
    holidays = {r[0].date().isoformat(): r[1] for r in wb["节假日"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert holidays["2026-10-01"] == "法定节假日" and holidays["2026-10-10"] == "调休上班"


def test_review_template_relation_drop_down():
    ws = openpyxl.load_workbook(TEMPLATES / "考核模板.xlsx")["考核评分"]
    assert '"自评,互评,上级"' in validations(ws).values()


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("name,max_pages", [("考勤模板.xlsx", 20), ("KPI模板.xlsx", 10), ("考核模板.xlsx", 10)])
def test_templates_render_to_pdf_and_png(tmp_path, name, max_pages):
    pdf = convert(TEMPLATES / name, "pdf", tmp_path / "pdf", tmp_path / "profile")
    pages = pdf_pages(pdf)
    assert 1 <= pages <= max_pages
    assert "###" not in pdf_text(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page-*.png")
    assert png.stat().st_size > 1000


def test_a_computed_month_prints_without_hashes(tmp_path):
    assert main(["demo", "--out", str(tmp_path), "-q"]) == 0
    result = tmp_path / "考勤示例_2026-10_结果.xlsx"
    wb = openpyxl.load_workbook(result)
    for name in wb.sheetnames:  # print only the summary: the other sheets are not printed here
        wb[name].sheet_state = "visible" if name == "月度汇总" else "hidden"
    only = tmp_path / "summary.xlsx"
    wb.active = wb.sheetnames.index("月度汇总")
    wb.save(only)
    pdf = convert(only, "pdf", tmp_path / "pdf", tmp_path / "profile")
    text = pdf_text(pdf)
    assert "###" not in text
    assert "应出勤天数" in text and "合计" in text
    # Fit to width: every page carries the header (print titles) and the last column (依据).
    assert pdf_pages(pdf) <= 6


def test_the_leave_types_sheet_added_to_an_existing_workbook_keeps_its_rules():
    """leave_types_sheet(wb) on HR's own workbook: the company rows take the workbook's 规则 (婚假天数 5 here), so the
    sheet changes nothing (no LV-27 提示); 请假记录's 假别 drop-down then lists the sheet (the old list replaced)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from kaohe.engine.leave_sheet import leave_table_of
    from kaohe.engine.month import load_policy
    from kaohe.jobs.templates import leave_types_sheet
    from kaohe.workbook import contract as c
    from kaohe.workbook.read import tables_from_rows

    wb = openpyxl.Workbook()
    wb.active.title = "规则"
    wb["规则"].append(["参数", "值"])
    wb["规则"].append(["婚假天数", 5])
    leave = wb.create_sheet("请假记录")
    leave.append(["工号", "假别", "开始时间"])
    old = DataValidation(type="list", formula1='"事假,病假"')
    old.add("B2:B501")
    leave.add_data_validation(old)
    leave_types_sheet(wb)
    rows = [list(r) for r in wb["假别"].iter_rows(values_only=True)]
    marriage = dict(zip(rows[0], next(r for r in rows if r[0] == "婚假")))
    assert (marriage["额度"], marriage["计薪"], marriage["计算方式"], marriage["需证明"]) == (5, "全薪", "工作日", "是")
    assert [dv.formula1 for dv in leave.data_validations.dataValidation] == ["'假别'!$A$2:$A$501"]
    tables, _ = tables_from_rows({n: [list(r) for r in wb[n].iter_rows(values_only=True)] for n in wb.sheetnames}.get,
                                 (c.RULES, c.LEAVE_KINDS))
    policy, _ = load_policy(tables)
    table, in_force, findings = leave_table_of(tables, policy)
    assert findings == [] and in_force.marriage_leave_days == 5 and table.get("婚假").quota == 5


def test_LV_01_a_drop_down_whose_column_reads_synonyms_warns_instead_of_refusing():
    # 请假记录 审批状态 reads 同意 (a synonym of 已批准, docs/工作簿约定.md): Excel's stop style would refuse it, so the
    # list only warns (警告 style, 是 keeps the value); 员工名册 性别, which has no synonyms, still refuses another value.
    wb = openpyxl.load_workbook(TEMPLATES / "考勤模板.xlsx")

    def rule(ws, header):
        letter = openpyxl.utils.get_column_letter([c.value for c in ws[1]].index(header) + 1)
        return next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2"))
    approval = rule(wb["请假记录"], "审批状态")
    assert (approval.errorStyle, approval.showErrorMessage) == ("warning", True) and "同义词" in approval.error
    assert rule(wb["加班申请"], "补偿方式").errorStyle == "warning" and rule(wb["请假记录"], "证明材料").errorStyle == "warning"
    assert rule(wb["员工名册"], "性别").errorStyle in (None, "stop")
