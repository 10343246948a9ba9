"""Workbooks as HR and other programs really make them.

Each workbook holds the same month — three people, November 2026, four punches a workday — written the way
one producer writes it: Excel's shared formulas for a filled-down 序号, a LibreOffice re-save, a Table with a
calculated column, a 工号 typed 1 and shown 0001, PyExcelerate, pylightxl, SheetJS with cellDates. Its money
must equal that of a plain copy of the same data (openpyxl), and the plain copy's money is worked out by hand:
a base of 4350 is a daily wage of 200 (4350 / 21.75); 1001 is 11 minutes late on 11-02 (ATT-04: a 20 fine);
1002 punches nothing on 11-03 (ATT-06: one day absent, PAY-02: 200 deducted); 1003 is always on time.
"""
import datetime as dt
import os
import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from builders import workdays, write_book

from kaohe.doors.cli import main
from kaohe.workbook.parts import read_rels, read_sheets

DATA = Path(__file__).parent / "data"
PEOPLE = [("1001", "张三"), ("1002", "李四"), ("1003", "王五")]
ROSTER = ["工号", "姓名", "部门", "入职日期", "岗位基本工资"]
HIRED = dt.datetime(2020, 1, 1)
MONEY = ("迟到早退罚款", "缺卡罚款", "旷工扣款", "事假扣款", "加班费", "调整合计")
BY_HAND = {"1001": -20, "1002": -200, "1003": 0}


def november_punches(ids=None):
    """(工号, time) of the month; ``ids`` maps 1001… to the id the producer writes."""
    ids = ids or {}
    out = []
    for emp, _ in PEOPLE:
        for day in workdays(2026, 11):
            if emp == "1002" and day.day == 3:
                continue
            times = [(8, 41) if emp == "1001" and day.day == 2 else (8, 25), (12, 1), (13, 25), (17, 31)]
            out += [[ids.get(emp, emp), dt.datetime.combine(day, dt.time(h, m))] for h, m in times]
    return out


def plain_copy(tmp_path, ids=None) -> Path:
    ids = ids or {}
    roster = [ROSTER] + [[ids.get(e, e), n, "客服部", HIRED, 4350] for e, n in PEOPLE]
    return write_book(tmp_path / "plain.xlsx", {"员工名册": roster, "打卡记录": [["工号", "打卡时间"]] + november_punches(ids)})


def rows_of(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def computed(book: Path, *extra) -> dict:
    """compute-month on ``book``: 月度汇总's money by 工号 (as text), the 合计 row left out."""
    assert main(["compute-month", str(book), "--month", "2026-11", "-q", *extra]) == 0
    return {str(r["工号"]): {k: r[k] for k in MONEY} for r in rows_of(book, "月度汇总") if r["工号"] != "合计"}


def same_money_as_plain(book: Path, tmp_path, ids=None) -> dict:
    money = computed(book)
    plain = computed(plain_copy(tmp_path, ids))
    assert money == plain
    assert {(ids or {}).get(e, e): BY_HAND[e] for e in BY_HAND} == {e: m["调整合计"] for e, m in plain.items()}
    return money


def skipped(book: Path) -> list[str]:
    return [r["问题"] for r in rows_of(book, "问题清单") if "汇总行" in r["问题"]]


# --- 序号 columns and total rows ---------------------------------------------------------------------------

def roster_with_serial(path: Path, serial: str = "=SUBTOTAL(103,$B$2:B{r})", total: bool = False) -> Path:
    """员工名册 with HR's running 序号 in column A (XlsxWriter writes each formula in full, as LibreOffice does)."""
    wb = xlsxwriter.Workbook(str(path))
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    roster = wb.add_worksheet("员工名册")
    roster.write_row(0, 0, ["序号"] + ROSTER)
    for i, (emp, name) in enumerate(PEOPLE, start=1):
        roster.write_formula(i, 0, serial.format(r=i + 1), None, i)
        roster.write_row(i, 1, [emp, name, "客服部"])
        roster.write_datetime(i, 4, HIRED, day)
        roster.write_number(i, 5, 4350)
    if total:  # HR's own total row: nothing but the sum of the column above
        roster.write_formula(4, 5, "=SUM(F2:F4)", None, 13050)
    punches = wb.add_worksheet("打卡记录")
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    punches.write_row(0, 0, ["工号", "打卡时间"])
    for r, (emp, ts) in enumerate(november_punches(), start=1):
        punches.write_string(r, 0, emp)
        punches.write_datetime(r, 1, ts, stamp)
    wb.close()
    return path


def as_excel_shares(path: Path, part: str, column: str) -> Path:
    """Rewrite ``column``'s formulas the way Excel saves a formula filled down: the first cell holds it (with the
    range it fills), every other cell points at it (``<f t="shared" si="0"/>``)."""
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = members[part].decode("utf-8")
    cells = re.findall(rf'<c r="{column}(\d+)"[^>]*><f>', xml)
    first, last = cells[0], cells[-1]

    def share(m):
        row = m.group(1)
        if row == first:
            return f'<c r="{column}{row}"{m.group(2)}><f t="shared" ref="{column}{first}:{column}{last}" si="0">{m.group(3)}</f>'
        return f'<c r="{column}{row}"{m.group(2)}><f t="shared" si="0"/>'

    xml = re.sub(rf'<c r="{column}(\d+)"([^>]*)><f>([^<]*)</f>', share, xml)
    assert xml.count('t="shared"') == len(cells) > 1
    members[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_ATT_03_a_filled_down_serial_number_saved_by_excel_is_data(tmp_path):
    book = as_excel_shares(roster_with_serial(tmp_path / "名册.xlsx"), "xl/worksheets/sheet1.xml", "A")
    money = same_money_as_plain(book, tmp_path)
    assert sorted(money) == ["1001", "1002", "1003"] and skipped(book) == []


def test_ATT_03_a_serial_number_re_saved_by_libreoffice_is_data(tmp_path):
    (tmp_path / "src").mkdir()
    source = roster_with_serial(tmp_path / "src" / "名册.xlsx")
    profile = tmp_path / "profile"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}", "--convert-to",
                    "xlsx", "--outdir", str(tmp_path / "lo"), str(source)], check=True, capture_output=True, timeout=240)
    book = tmp_path / "lo" / "名册.xlsx"
    with zipfile.ZipFile(book) as z:  # LibreOffice writes every copy of the formula in full
        assert z.read("xl/worksheets/sheet1.xml").decode().count("SUBTOTAL(103,$B$2:B") == 3
    money = same_money_as_plain(book, tmp_path)
    assert sorted(money) == ["1001", "1002", "1003"] and skipped(book) == []


def test_ATT_03_punches_numbered_with_counta_are_all_counted(tmp_path):
    path = tmp_path / "打卡.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    roster = wb.add_worksheet("员工名册")
    roster.write_row(0, 0, ROSTER)
    for i, (emp, name) in enumerate(PEOPLE, start=1):
        roster.write_row(i, 0, [emp, name, "客服部"])
        roster.write_datetime(i, 3, HIRED, wb.add_format({"num_format": "yyyy-mm-dd"}))
        roster.write_number(i, 4, 4350)
    sheet = wb.add_worksheet("打卡记录")
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, ["序号", "工号", "打卡时间"])
    punches = november_punches()
    for r, (emp, ts) in enumerate(punches, start=1):
        sheet.write_formula(r, 0, f"=COUNTA($B$2:B{r + 1})", None, r)
        sheet.write_string(r, 1, emp)
        sheet.write_datetime(r, 2, ts, stamp)
    last = len(punches) + 2  # a count of the punches below them: a total row, not a punch
    sheet.write_formula(last - 1, 2, f"=COUNTA(C2:C{last - 1})", None, len(punches))
    wb.close()
    as_excel_shares(path, "xl/worksheets/sheet2.xml", "A")
    same_money_as_plain(path, tmp_path)
    assert skipped(path) == [f"第{last}行是汇总行（C{last} 用 COUNTA 汇总本列以上各行，本行没有自己的工号、日期或其他数值）"]


def test_ATT_03_a_table_calculated_column_is_data(tmp_path):
    path = tmp_path / "名册表格.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    roster = wb.add_worksheet("员工名册")
    people = [[e, n, "客服部", HIRED, 3000, 1350] for e, n in PEOPLE]
    roster.add_table("A1:G4", {"name": "名册", "data": people, "columns": [
        {"header": "工号"}, {"header": "姓名"}, {"header": "部门"},
        {"header": "入职日期", "format": wb.add_format({"num_format": "yyyy-mm-dd"})}, {"header": "基本工资"},
        {"header": "岗位津贴"}, {"header": "岗位基本工资", "formula": "=SUM(名册[@[基本工资]:[岗位津贴]])"}]})
    for r in range(1, 4):  # as Excel saves each cell of the column: @ spelled [#This Row], with its cached value
        roster.write_formula(r, 6, "=SUM(名册[[#This Row],[基本工资]:[岗位津贴]])", None, 4350)
    sheet = wb.add_worksheet("打卡记录")
    sheet.write_row(0, 0, ["工号", "打卡时间"])
    for r, (emp, ts) in enumerate(november_punches(), start=1):
        sheet.write_string(r, 0, emp)
        sheet.write_datetime(r, 1, ts, wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    wb.close()
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/worksheets/sheet1.xml").decode().count("<f>SUM(名册[[#This Row],[基本工资]:[岗位津贴]])</f>") == 3
    assert sorted(same_money_as_plain(path, tmp_path)) == ["1001", "1002", "1003"] and skipped(path) == []


def test_ATT_03_a_row_summing_its_column_is_a_total_and_says_which_rule(tmp_path):
    book = as_excel_shares(roster_with_serial(tmp_path / "名册.xlsx", total=True), "xl/worksheets/sheet1.xml", "A")
    same_money_as_plain(book, tmp_path)
    assert skipped(book) == ["第5行是汇总行（F5 用 SUM 汇总本列以上各行，本行没有自己的工号、日期或其他数值）"]


def test_ATT_03_a_row_with_its_own_id_is_data_whatever_its_formulas(tmp_path):
    # 1003's row as HR left it: no 序号, 入职日期 typed as text, 岗位基本工资 a formula over the column above
    # (copied from a colleague's). Its only number is that aggregate, but the row has its own 工号: it is 1003.
    book = roster_with_serial(tmp_path / "名册.xlsx")
    with zipfile.ZipFile(book) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    xml = re.sub(r'<c r="A4"[^>]*><f>[^<]*</f><v>3</v></c>', "", xml)
    xml = re.sub(r'<c r="E4"([^>]*)><v>[^<]*</v></c>', r'<c r="E4"\1 t="inlineStr"><is><t>2020-01-01</t></is></c>', xml)
    xml = re.sub(r'<c r="F4"([^>]*)><v>4350</v></c>', r'<c r="F4"\1><f>MAX(F2:F3)</f><v>4350</v></c>', xml)
    assert "MAX(F2:F3)" in xml and "<t>2020-01-01</t>" in xml and 'r="A4"' not in xml
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    assert sorted(same_money_as_plain(book, tmp_path)) == ["1001", "1002", "1003"] and skipped(book) == []


# --- ids shown through a number format ---------------------------------------------------------------------

def test_ATT_03_an_id_typed_1_and_formatted_0000_is_0001(tmp_path):
    ids = {"1001": "0001", "1002": "0002", "1003": "0003"}
    path = tmp_path / "名册0000.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    padded, day = wb.add_format({"num_format": "0000"}), wb.add_format({"num_format": "yyyy-mm-dd"})
    roster = wb.add_worksheet("员工名册")
    roster.write_row(0, 0, ROSTER)
    for i, (emp, name) in enumerate(PEOPLE, start=1):
        roster.write_number(i, 0, int(ids[emp]), padded)  # typed 1, shown 0001
        roster.write_row(i, 1, [name, "客服部"])
        roster.write_datetime(i, 3, HIRED, day)
        roster.write_number(i, 4, 4350, padded)  # a padded format outside the id columns changes nothing
    sheet = wb.add_worksheet("打卡记录")  # the clock writes the id as the text it shows
    sheet.write_row(0, 0, ["工号", "打卡时间"])
    for r, (emp, ts) in enumerate(november_punches(ids), start=1):
        sheet.write_string(r, 0, emp)
        sheet.write_datetime(r, 1, ts, wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    wb.close()
    money = {f"{int(e):04d}": m for e, m in computed(path).items()}  # 月度汇总 holds the numbers 1, 2, 3
    assert money == computed(plain_copy(tmp_path, ids))
    assert {e: m["调整合计"] for e, m in money.items()} == {"0001": -20, "0002": -200, "0003": 0}
    problems = rows_of(path, "问题清单")
    assert [(r["单元格"], r["问题"], r["级别"]) for r in problems if r["工作表"] == "员工名册"] == [
        ("A2", "工号是数字，按单元格的数字格式显示（如 1 显示为“0001”）", "提示")]
    assert not any(r["级别"] == "错误" for r in problems)
    # Written back as 员工名册 holds it, the number 1: a payroll VLOOKUP of the roster's cell finds it.
    assert [r["工号"] for r in rows_of(path, "月度汇总")] == [1, 2, 3, "合计"]


# --- other programs' OOXML ---------------------------------------------------------------------------------

def styles_in_force(book: Path) -> str:
    """The styles part the workbook's relationships name, and its content type."""
    with zipfile.ZipFile(book) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(r'Type="[^"]*/styles" Target="/?([^"]*)"|Target="/?([^"]*)" Type="[^"]*/styles"', rels)
        assert target, "no relationship names a styles part"
        part = (target.group(1) or target.group(2))
        part = part if part.startswith("xl/") else "xl/" + part
        types = z.read("[Content_Types].xml").decode()
        assert f'PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"' in types
        return z.read(part).decode()


def looks_as_in_libreoffice(book: Path, tmp_path) -> None:
    """LibreOffice opens kaohe's result with kaohe's formats in force: dates as dates, money as money."""
    out = tmp_path / "lo-check"
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}", "--convert-to",
                    "xlsx", "--outdir", str(out), str(book)], check=True, capture_output=True, timeout=240)
    wb = openpyxl.load_workbook(out / book.name)
    daily = wb["每日明细"]
    assert daily["D2"].is_date and "yy" in daily["D2"].number_format.lower()
    assert "¥" in wb["月度汇总"]["AA2"].number_format


def test_pyexcelerate_workbook_gets_its_styles_part_named(tmp_path):
    from pyexcelerate import Workbook

    path = tmp_path / "pyexcelerate.xlsx"
    wb = Workbook()
    wb.new_sheet("员工名册", data=[ROSTER] + [[e, n, "客服部", HIRED, 4350] for e, n in PEOPLE])
    wb.new_sheet("打卡记录", data=[["工号", "打卡时间"]] + november_punches())
    wb.save(str(path))
    with zipfile.ZipFile(path) as z:  # as PyExcelerate writes it: an empty styles part nothing points at
        assert "styles" not in z.read("xl/_rels/workbook.xml.rels").decode()
        assert "<cellXfs" not in z.read("xl/styles.xml").decode()
    same_money_as_plain(path, tmp_path)
    styles = styles_in_force(path)
    assert re.search(r'<cellXfs count="(\d+)"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>', styles)
    assert re.search(r'<dxfs count="2">', styles)  # the highlights' formats exist
    looks_as_in_libreoffice(path, tmp_path)


def test_pylightxl_workbook_without_styles_is_written(tmp_path):
    import pylightxl

    path = tmp_path / "pylightxl.xlsx"
    db = pylightxl.Database()
    rows = {"员工名册": [ROSTER] + [[e, n, "客服部", "2020-01-01", 4350] for e, n in PEOPLE],
            "打卡记录": [["工号", "打卡时间"]] + [[e, f"{ts:%Y-%m-%d %H:%M}"] for e, ts in november_punches()]}
    for name, sheet_rows in rows.items():  # pylightxl writes no dates: HR's script writes them as text
        db.add_ws(ws=name)
        for r, row in enumerate(sheet_rows, start=1):
            for col, value in enumerate(row, start=1):
                db.ws(ws=name).update_index(row=r, col=col, val=value)
    pylightxl.writexl(db=db, fn=str(path))
    with zipfile.ZipFile(path) as z:
        assert not any("styles" in n for n in z.namelist())
    same_money_as_plain(path, tmp_path)
    assert "<dxfs" in styles_in_force(path)
    looks_as_in_libreoffice(path, tmp_path)


def test_sheetjs_cell_dates_are_read_as_the_times_they_spell(tmp_path):
    book = shutil.copy(DATA / "sheetjs_celldates.xlsx", tmp_path / "sheetjs.xlsx")
    with zipfile.ZipFile(book) as z:
        assert '<c r="B2" s="1" t="d"><v>2026-11-02T08:41:00.000Z</v></c>' in z.read("xl/worksheets/sheet2.xml").decode()
    same_money_as_plain(Path(book), tmp_path)
    assert not any(r["级别"] == "错误" for r in rows_of(book, "问题清单"))
    daily = {(r["工号"], r["日期"]): r for r in rows_of(book, "每日明细")}
    assert daily[("1001", dt.datetime(2026, 11, 2))]["上午上班"] == dt.time(8, 41)


# --- names Excel and OPC compare without case -------------------------------------------------------------

def kpi_book(tmp_path, history: str) -> Path:
    team = "网店客服组"
    roster = [ROSTER] + [[e, n, team, HIRED, 4350] for e, n in PEOPLE]
    data = [["月份", "工号", "咨询转化率", "自评分", "报表整体质量"], ["2026-11", "1001", 0.6, 90, 30],
            ["2026-11", "1002", 0.4, 80, 20], ["2026-11", "1003", 0.2, 70, 10]]
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人"], ["咨询转化率", 70, "越高越好", 0.6, 0.2, "数据"],
             ["报表整体质量", 30, "越高越好", None, None, "店长"]]
    return write_book(tmp_path / "客服绩效.xlsx", {"员工名册": roster, "KPI数据": data, "KPI规则": rules,
                                                  history: [["月份", "工号", "备注"], ["2026-10", "1001", "HR 自己的记录"]]})


def test_a_sheet_name_equal_but_for_case_is_refused_naming_both(tmp_path, capsys):
    book = kpi_book(tmp_path, "kpi历史")
    before = book.read_bytes()
    assert main(["kpi", str(book), "--month", "2026-11", "-q"]) == 2
    err = capsys.readouterr().err
    assert "“kpi历史”与 kaohe 要写的“KPI历史”只差大小写" in err and book.read_bytes() == before


def rename_member(book: Path, old: str, new: str) -> None:
    """Rename a part and every reference to it (as a producer that capitalises part names writes it)."""
    with zipfile.ZipFile(book) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            data = data.replace(old.encode(), new.encode()).replace(old.split("xl/")[-1].encode(),
                                                                     new.split("xl/")[-1].encode())
            z.writestr(new if name == old else name, data)


def test_part_names_are_compared_without_case(tmp_path):
    book = plain_copy(tmp_path)
    shutil.move(book, tmp_path / "capitals.xlsx")
    book = tmp_path / "capitals.xlsx"
    rename_member(book, "xl/worksheets/sheet2.xml", "xl/worksheets/Sheet3.xml")
    money = computed(book)
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
    assert len({n.lower() for n in names}) == len(names) and "xl/worksheets/Sheet3.xml" in names
    assert money == computed(plain_copy(tmp_path))
    # A package holding two parts equal but for case is refused, naming both.
    with zipfile.ZipFile(book, "a") as z:
        z.writestr("xl/worksheets/sheet3.xml", b"<worksheet/>")
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 2


# --- what a write may replace ------------------------------------------------------------------------------

def test_out_over_another_workbook_keeps_a_backup(tmp_path, capsys):
    payroll = write_book(tmp_path / "工资2026.xlsx", {"工资": [["工号", "应发"], ["1001", 8000]]})
    before = payroll.read_bytes()
    book = plain_copy(tmp_path)
    assert main(["compute-month", str(book), "--month", "2026-11", "--out", str(payroll), "-q"]) == 0
    backup = Path(re.search(r"备份 / backup: (.+)", capsys.readouterr().out).group(1))
    assert backup.parent == tmp_path and backup.name.startswith("工资2026.bak-") and backup.read_bytes() == before
    assert "月度汇总" in openpyxl.load_workbook(payroll).sheetnames


def test_a_read_only_workbook_is_refused_unless_forced(tmp_path, capsys):
    book = plain_copy(tmp_path)
    os.chmod(book, 0o444)
    before = book.read_bytes()
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 2
    assert "设为只读" in capsys.readouterr().err and book.read_bytes() == before
    assert not list(tmp_path.glob("*.bak-*"))
    assert main(["compute-month", str(book), "--month", "2026-11", "-q", "--force"]) == 0
    assert "月度汇总" in openpyxl.load_workbook(book).sheetnames
    assert stat.S_IMODE(os.stat(book).st_mode) == 0o444  # still marked read-only, as HR left it


# --- HR's additions to kaohe's sheets, and what is said ---------------------------------------------------

HR_ADDITIONS = ('<conditionalFormatting sqref="AA2:AA4"><cfRule type="cellIs" dxfId="0" priority="9" '
                'operator="lessThan"><formula>0</formula></cfRule></conditionalFormatting>'
                '<dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" '
                'showErrorMessage="1" sqref="AC2:AC4"><formula1>"已核对,未核对"</formula1></dataValidation>'
                '</dataValidations>')


def test_hr_additions_on_kaohes_sheet_are_listed_when_dropped(tmp_path):
    book = plain_copy(tmp_path)
    computed(book)
    with zipfile.ZipFile(book) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
        targets, _ = read_rels(z.read("xl/_rels/workbook.xml.rels"), "xl")
        part = next(s.part for s in read_sheets(z.read("xl/workbook.xml"), targets) if s.name == "月度汇总")
    xml = members[part].decode()
    assert xml.count("<conditionalFormatting") == 2  # kaohe's own highlights: not HR's
    members[part] = xml.replace("<pageMargins", HR_ADDITIONS + "<pageMargins", 1).encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    computed(book)
    listed = [(r["问题"], r["级别"]) for r in rows_of(book, "问题清单") if r["工作表"] == "月度汇总"]
    assert listed == [("工作表上有条件格式（不是 kaohe 设的：AA2:AA4）", "警告"),
                      ("工作表上有数据验证（下拉列表等）（不是 kaohe 设的：AC2:AC4）", "警告")]


def test_a_very_hidden_sheet_of_hrs_is_said_to_be_very_hidden(tmp_path, capsys):
    book = plain_copy(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("问题清单").sheet_state = "veryHidden"
    wb["问题清单"]["A1"] = "HR 自己的清单"
    wb.save(book)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 2
    err = capsys.readouterr().err
    assert "工作表“问题清单”已存在（它是深度隐藏的工作表" in err and "VBA 编辑器" in err and "请把它改名" in err


def test_a_password_to_modify_is_kept_and_said(tmp_path):
    book = plain_copy(tmp_path)
    sharing = ('<fileSharing userName="王会计" algorithmName="SHA-512" hashValue="x0yW5dJ3Jk3r0SYG7PqnpQ==" '
               'saltValue="m9i1Zo5W8c3E2vJ0b2jX1g==" spinCount="100000"/>')
    with zipfile.ZipFile(book) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = members["xl/workbook.xml"].decode()
    members["xl/workbook.xml"] = re.sub(r"(<workbookPr\b)", sharing + r"\1", xml, count=1).encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    computed(book)
    said = [(r["问题"], r["级别"]) for r in rows_of(book, "问题清单") if "修改权限密码" in r["问题"]]
    assert said == [("工作簿设有“修改权限密码”（Excel 打开时要求输入密码才能修改）", "警告")]
    with zipfile.ZipFile(book) as z:
        assert sharing.split(" spinCount")[0] in z.read("xl/workbook.xml").decode()


def test_a_folder_kaohe_may_not_write_is_named_not_its_lock_file(tmp_path, capsys, monkeypatch):
    import kaohe.workbook.lock as lock

    book = plain_copy(tmp_path)
    real_open = os.open

    def no_write(path, *args, **kw):
        if Path(path).name.startswith(".~kaohe"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(lock.os, "open", no_write)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 1
    err = capsys.readouterr().err
    assert f"没有权限写入 文件夹 {tmp_path}，工作簿未改动" in err and ".~kaohe" not in err


@pytest.mark.parametrize("value, code, shown", [(1, "0000", "0001"), (12345, "0000", "12345"), (7, '"E"000', "E007"),
                                                (1, "0", None), (1, "0.00", None), (1, "yyyy-mm-dd", None)])
def test_number_formats_of_ids(value, code, shown):
    from kaohe.workbook.numfmt import pads, shown as shown_as

    assert (shown_as(value, code) if pads(code) else None) == shown
