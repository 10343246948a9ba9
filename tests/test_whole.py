"""HR's workbook stays whole and live: formulas, pivots and charts over kaohe's sheets, shared parts,
HR's own sheets and additions, 1904 dates, XML variants, protection, links, backups and file kinds.

Workbooks are built the way XlsxWriter, openpyxl (Excel-like) and LibreOffice write them. Parts HR owns are
compared byte for byte; openxml-audit must report no error the input did not already have.
"""
import datetime as dt
import os
import posixpath
import re
import zipfile
from types import SimpleNamespace

import openpyxl
import pytest
import xlsxwriter
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book
from lxml import etree

import lo
from kaohe.doors.cli import main
from kaohe.jobs.common import log_step
from kaohe.workbook import ownership, package, parts, saving, write

NOV2 = dt.date(2026, 11, 2)
KAOHE_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml",
               "xl/calcChain.xml", "docProps/custom.xml", "_rels/.rels"}


def members(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def run(book, *args):
    return main(["compute-month", str(book), "--month", "2026-11", "-q", *args])


def audit_errors(path):
    from openxml_audit import OpenXmlValidator

    # kaohe writes inline strings by design (sheetxml): the advisory about them when a package has no
    # shared-strings part (openpyxl's saves) is not an error Excel repairs.
    return {str(e) for e in OpenXmlValidator().validate(str(path)).errors if "inline-string" not in str(e)}


def sheet_parts(path) -> dict[str, str]:
    """Sheet name -> part name."""
    with zipfile.ZipFile(path) as z:
        p = parts.Parts(z)
        return {s.name: s.part for s in parts.sheet_list(p)}


def assert_no_orphans(path):
    """Every part is reachable from the package root and every content-type override names a part."""
    with zipfile.ZipFile(path) as z:
        p = parts.Parts(z)
        live = parts.reachable(p.graph())
        names = p.names
        overrides = {el.get("PartName").lstrip("/") for el in p.tree("[Content_Types].xml") if parts.local(el) == "Override"}
    stray = {n for n in names if not n.endswith(".rels") and n != "[Content_Types].xml" and n not in live}
    assert not stray, stray
    assert overrides <= names, overrides - names
    dangling = {t for t in live if t not in names}
    assert not dangling, dangling


def assert_libreoffice_opens(path, tmp):
    out = lo.convert(path, "ods", tmp / "lo-open", tmp / "lo-open-profile")
    assert out.stat().st_size > 1000


def problems(path):
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("问题清单").to_python()
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def punches(emps, late: dict[str, int]):
    """打卡记录 rows: full days, and ``late[emp]`` days (from Nov 2) arriving 08:41 (11 minutes late)."""
    rows = []
    for emp in emps:
        for k, day in enumerate(workdays(2026, 11)):
            if k < late.get(emp, 0):
                rows += punches_for(emp, day, "08:41", "12:01", "13:25", "17:31")
            else:
                rows += full_day(emp, day)
    return rows


def xw_book(path, emps=("001", "002", "003", "004"), late=None, payroll=None, logo=None, date_1904=False,
            serial_punches=False):
    """An attendance workbook the way XlsxWriter writes it (shared strings, app.xml of 'Microsoft Excel')."""
    wb = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    roster = wb.add_worksheet("员工名册")
    roster.write_row(0, 0, ROSTER_HEADER)
    for r, emp in enumerate(emps, start=1):
        row = person(emp, f"员工{emp}")
        roster.write_string(r, 0, emp)
        roster.write_row(r, 1, row[1:3])
        roster.write_datetime(r, 3, dt.datetime(2020, 1, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
        roster.write_number(r, 4, row[4])
        roster.write_row(r, 5, [row[5]])
        roster.write_string(r, 9, row[9])
    if logo:
        roster.insert_image("L2", str(logo))
    sheet = wb.add_worksheet("打卡记录")
    sheet.write_row(0, 0, ["工号", "打卡时间"])
    epoch = dt.datetime(1904, 1, 1) if date_1904 else dt.datetime(1899, 12, 30)
    for r, (emp, ts) in enumerate(punches(emps, late or {}), start=1):
        sheet.write_string(r, 0, emp)
        if serial_punches:  # a number without a date format, in the workbook's own date system
            sheet.write_number(r, 1, (ts - epoch).total_seconds() / 86400)
        else:
            sheet.write_datetime(r, 1, ts, stamp)
    if payroll is not None:  # HR's payroll reads kaohe's 月度汇总; the cached value is what Excel showed last
        pay = wb.add_worksheet("工资表")
        pay.write_row(0, 0, ["工号", "迟到早退罚款"])
        pay.write_string(1, 0, emps[3])
        pay.write_formula(1, 1, "='月度汇总'!H5", None, payroll)
    wb.close()
    return path


def replace_part(path, name, data):
    """Stand-in for HR editing one sheet in Excel: one part of the package replaced."""
    old = members(path)
    old[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in old.items():
            z.writestr(n, d)


# --- 1. formulas that read kaohe's sheets -----------------------------------------------------------------

def test_payroll_reading_monthly_summary_shows_the_new_figure_after_a_rerun(tmp_path):
    """ATT-04: 004 late 11 min once = 20 CNY; after HR's punches change to three late days: 60 CNY."""
    book = xw_book(tmp_path / "考勤.xlsx", late={"004": 1}, payroll=20)
    assert run(book) == 0
    changed = xw_book(tmp_path / "new.xlsx", late={"004": 3}, payroll=20)
    punch_part = sheet_parts(book)["打卡记录"]
    replace_part(book, punch_part, members(changed)[sheet_parts(changed)["打卡记录"]])
    assert run(book) == 0
    assert 'fullCalcOnLoad="1"' in members(book)["xl/workbook.xml"].decode()
    wb = lo.recalculated(book, tmp_path)
    assert wb["月度汇总"]["A5"].value == "004"
    assert wb["工资表"]["B2"].value == 60


def test_every_write_asks_for_a_full_recalculation(tmp_path):
    book = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()],
                                            "打卡记录": [["工号", "打卡时间"], ["001", dt.datetime(2026, 11, 2, 8, 25)]]})
    for command in (["check-leave", str(book), "-q"], ["compute-month", str(book), "--month", "2026-11", "-q"]):
        assert main(command) == 0
        assert re.search(r'<calcPr\b[^>]*fullCalcOnLoad="1"', members(book)["xl/workbook.xml"].decode())
    log_step(book, "2026-11", "test", "")
    assert members(book)["xl/workbook.xml"].decode().count("fullCalcOnLoad") == 1


# --- 2. pivot tables and charts over 月度汇总 --------------------------------------------------------------

MAIN, REL = parts.MAIN_NS, parts.REL_NS
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def add_report_sheet(path, ref: str, series: str, source: str | None = None):
    """HR adds 报表: a column chart over 月度汇总 and a pivot table whose cache reads 月度汇总!``ref``.

    The chart is built as XlsxWriter writes charts; the pivot parts as Excel writes a minimal cache without
    records (saveData="0"). LibreOffice's scripting bridge (python3-uno) is not installed here.
    """
    m = members(path)
    wb_xml = m["xl/workbook.xml"].decode()
    n = len(re.findall(r"<sheet ", wb_xml)) + 1
    sheet = f"xl/worksheets/sheet{n + 20}.xml"
    m[sheet] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
                f'<dimension ref="A1"/><sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
                f'header="0.3" footer="0.3"/><drawing r:id="rId1"/></worksheet>').encode()
    m[parts.rels_name(sheet)] = rels([("rId1", "drawing", "../drawings/drawing21.xml"),
                                      ("rId2", "pivotTable", "../pivotTables/pivotTable1.xml")])
    m["xl/drawings/drawing21.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/'
        f'drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<xdr:twoCellAnchor><xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0'
        f'</xdr:rowOff></xdr:from><xdr:to><xdr:col>11</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>16</xdr:row>'
        f'<xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" '
        f'name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" '
        f'cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" xmlns:r="{REL}" '
        f'r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>'
        f'</xdr:wsDr>').encode()
    m["xl/drawings/_rels/drawing21.xml.rels"] = rels([("rId1", "chart", "../charts/chart21.xml")])
    m["xl/charts/chart21.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="{C_NS}" '
        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{REL}"><c:lang val="zh-CN"/>'
        f'<c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
        f'<c:ser><c:idx val="0"/><c:order val="0"/><c:cat><c:strRef><c:f>{series.replace("H", "B")}</c:f></c:strRef>'
        f'</c:cat><c:val><c:numRef><c:f>{series}</c:f></c:numRef></c:val></c:ser><c:axId val="1"/><c:axId val="2"/>'
        f'</c:barChart><c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:axPos val="b"/>'
        f'<c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/>'
        f'</c:scaling><c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea><c:plotVisOnly val="1"/></c:chart>'
        f'</c:chartSpace>').encode()
    m["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheDefinition xmlns="{MAIN}" '
        f'xmlns:r="{REL}" saveData="0" refreshedBy="HR" createdVersion="6" refreshedVersion="6" '
        f'minRefreshableVersion="3" recordCount="0"><cacheSource type="worksheet">'
        + (f'<worksheetSource name="{source}"/>' if source else f'<worksheetSource ref="{ref}" sheet="月度汇总"/>')
        + '</cacheSource>'
        '<cacheFields count="2"><cacheField name="部门" numFmtId="0"><sharedItems '
        'count="1"><s v="客服部"/></sharedItems></cacheField><cacheField name="迟到早退罚款" numFmtId="0">'
        '<sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" minValue="0" maxValue="60"/>'
        '</cacheField></cacheFields></pivotCacheDefinition>').encode()
    m["xl/pivotTables/pivotTable1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotTableDefinition xmlns="{MAIN}" '
        f'name="数据透视表1" cacheId="9" applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" '
        f'applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="1" dataCaption="值" '
        f'updatedVersion="6" minRefreshableVersion="3" createdVersion="6" indent="0" outline="1" outlineData="1">'
        f'<location ref="A3:B5" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/><pivotFields count="2">'
        f'<pivotField axis="axisRow" showAll="0"><items count="2"><item x="0"/><item t="default"/></items></pivotField>'
        f'<pivotField dataField="1" showAll="0"/></pivotFields><rowFields count="1"><field x="0"/></rowFields>'
        f'<rowItems count="2"><i><x/></i><i t="grand"><x/></i></rowItems><colItems count="1"><i/></colItems>'
        f'<dataFields count="1"><dataField name="求和项:迟到早退罚款" fld="1" baseField="0" baseItem="0"/></dataFields>'
        f'</pivotTableDefinition>').encode()
    m["xl/pivotTables/_rels/pivotTable1.xml.rels"] = rels([("rId1", "pivotCacheDefinition",
                                                             "../pivotCache/pivotCacheDefinition1.xml")])
    wb_rels = m["xl/_rels/workbook.xml.rels"].decode()
    wb_rels = wb_rels.replace("</Relationships>", f'<Relationship Id="rIdHR1" Type="{REL}/worksheet" '
                              f'Target="worksheets/{posixpath.basename(sheet)}"/><Relationship Id="rIdHR2" '
                              f'Type="{REL}/pivotCacheDefinition" Target="pivotCache/pivotCacheDefinition1.xml"/>'
                              f'</Relationships>')
    m["xl/_rels/workbook.xml.rels"] = wb_rels.encode()
    ids = [int(x) for x in re.findall(r'sheetId="(\d+)"', wb_xml)]
    wb_xml = re.sub(r"(</(?:\w+:)?sheets>)", f'<sheet name="报表" sheetId="{max(ids) + 1}" r:id="rIdHR1"/>\\1', wb_xml)
    wb_xml = re.sub(r"(</(?:\w+:)?workbook>)", '<pivotCaches><pivotCache cacheId="9" r:id="rIdHR2"/></pivotCaches>\\1',
                    wb_xml)
    m["xl/workbook.xml"] = wb_xml.encode()
    ct = m["[Content_Types].xml"].decode()
    doc = "application/vnd.openxmlformats-officedocument"
    for part, kind in ((sheet, "spreadsheetml.worksheet"), ("xl/drawings/drawing21.xml", "drawing"),
                       ("xl/charts/chart21.xml", "drawingml.chart"),
                       ("xl/pivotCache/pivotCacheDefinition1.xml", "spreadsheetml.pivotCacheDefinition"),
                       ("xl/pivotTables/pivotTable1.xml", "spreadsheetml.pivotTable")):
        ct = ct.replace("</Types>", f'<Override PartName="/{part}" ContentType="{doc}.{kind}+xml"/></Types>')
    m["[Content_Types].xml"] = ct.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in m.items():
            z.writestr(name, data)


def rels(items):
    body = "".join(f'<Relationship Id="{i}" Type="{REL}/{t}" Target="{target}"/>' for i, t, target in items)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>').encode()


def test_pivot_cache_and_chart_over_the_summary_follow_its_data_rows(tmp_path):
    """Four people: 月度汇总 rows 2-5 and 合计 in row 6. HR's chart and pivot read A1:AB6 (合计 included).
    Staff shrink to three: the chart reads rows 2-4, the pivot A1:AB4 and refreshes on load."""
    book = xw_book(tmp_path / "考勤.xlsx")
    assert run(book) == 0
    add_report_sheet(book, "A1:AB6", "'月度汇总'!$H$2:$H$6")
    before, errors_before = members(book), audit_errors(book)
    three = xw_book(tmp_path / "three.xlsx", emps=("001", "002", "003"))
    for sheet in ("员工名册", "打卡记录"):
        replace_part(book, sheet_parts(book)[sheet], members(three)[sheet_parts(three)[sheet]])
    replace_part(book, "xl/sharedStrings.xml", members(three)["xl/sharedStrings.xml"])
    before = members(book)
    assert run(book) == 0
    after = members(book)
    cache = etree.fromstring(after["xl/pivotCache/pivotCacheDefinition1.xml"])
    assert cache.get("refreshOnLoad") == "1"
    assert cache.find(f"{{{MAIN}}}cacheSource/{{{MAIN}}}worksheetSource").get("ref") == "A1:AB4"
    chart = after["xl/charts/chart21.xml"].decode()
    assert "<c:f>'月度汇总'!$H$2:$H$4</c:f>" in chart and "<c:f>'月度汇总'!$B$2:$B$4</c:f>" in chart
    assert re.search(r'<definedName name="月度汇总数据">\'月度汇总\'!\$A\$1:\$AB\$4</definedName>',
                     after["xl/workbook.xml"].decode())
    edited = KAOHE_PARTS | {"xl/pivotCache/pivotCacheDefinition1.xml", "xl/charts/chart21.xml"}
    kaohe_sheets = {p for n, p in sheet_parts(book).items() if n in ("每日明细", "月度汇总", "请假校验", "问题清单",
                                                                   "考勤表", "运行记录")}
    for name in set(before) - edited - kaohe_sheets:
        assert after[name] == before[name], name
    notes = [p for p in problems(book) if p["级别"] == "提示"]
    assert any("数据透视表" in p["问题"] and "A1:AB4" in p["处理"] for p in notes)
    assert any("图表" in p["问题"] for p in notes)
    assert audit_errors(book) <= errors_before
    assert_no_orphans(book)
    assert_libreoffice_opens(book, tmp_path)


# --- 3. a shared image; 5. HR's additions on a kaohe sheet; legacy workbooks ---------------------------------

def legacy_book(tmp_path, logo=None, summary_name="月度汇总", header=None):
    """A workbook an earlier kaohe wrote (no record): 月度汇总 and 运行记录 with kaohe's exact header rows."""
    from kaohe.jobs.money import MONTHLY
    from kaohe.workbook import contract as c

    path = xw_book(tmp_path / "考勤.xlsx", logo=logo)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet(summary_name)
    ws.append(list(header or MONTHLY.headers))
    ws.append(["001", "员工001"])
    log = wb.create_sheet("运行记录")
    log.append(list(c.RUN_LOG.headers))
    wb.save(path)
    return path


def png_bytes():
    from test_write import tiny_png

    return tiny_png()


def test_a_logo_shared_with_a_kaohe_sheet_stays_on_hr_sheet(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes())
    path = tmp_path / "考勤.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    roster = wb.add_worksheet("员工名册")
    roster.write_row(0, 0, ROSTER_HEADER)
    roster.write_row(1, 0, ["001", "张三", "客服部"])
    roster.write_datetime(1, 3, dt.datetime(2020, 1, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
    roster.write_number(1, 4, 4350)
    roster.insert_image("L2", str(logo))
    punch = wb.add_worksheet("打卡记录")
    punch.write_row(0, 0, ["工号", "打卡时间"])
    punch.write_string(1, 0, "001")
    punch.write_datetime(1, 1, dt.datetime(2026, 11, 2, 8, 25), wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    from kaohe.jobs.money import MONTHLY
    from kaohe.workbook import contract as c
    summary = wb.add_worksheet("月度汇总")  # from an earlier kaohe, with HR's logo on it: one media part for both
    summary.write_row(0, 0, MONTHLY.headers)
    summary.insert_image("AD2", str(logo))
    wb.add_worksheet("运行记录").write_row(0, 0, c.RUN_LOG.headers)
    wb.close()
    before, errors_before = members(path), audit_errors(path)
    assert sum(n.startswith("xl/media/") for n in before) == 1
    assert run(path) == 0
    after = members(path)
    roster_part = sheet_parts(path)["员工名册"]
    for name in (roster_part, parts.rels_name(roster_part), "xl/drawings/drawing1.xml",
                 "xl/drawings/_rels/drawing1.xml.rels", "xl/media/image1.png"):
        assert after[name] == before[name], name
    assert "xl/drawings/drawing2.xml" not in after  # 月度汇总's own drawing went with the rewritten sheet
    assert audit_errors(path) <= errors_before
    assert_no_orphans(path)
    notes = problems(path)
    assert any(p["工作表"] == "月度汇总" and "图片" in p["问题"] and "移除" in p["处理"] for p in notes)
    assert sum("旧版 kaohe" in p["问题"] for p in notes) == 1
    assert_libreoffice_opens(path, tmp_path)


def test_table_note_and_protection_added_by_hr_on_the_summary(tmp_path):
    book = xw_book(tmp_path / "考勤.xlsx")
    assert run(book) == 0
    wb = openpyxl.load_workbook(book)  # HR's Excel saves the whole workbook
    ws = wb["月度汇总"]
    from openpyxl.comments import Comment
    from openpyxl.worksheet.table import Table

    ws.add_table(Table(displayName="汇总表", ref="A1:C5"))
    ws["AD1"].comment = Comment("人事备注", "HR")
    ws.protection.sheet = True
    ws.protection.password = "hr"
    wb.save(book)
    errors_before = audit_errors(book)
    assert run(book) == 0
    after = members(book)
    assert not [n for n in after if n.startswith(("xl/tables/", "xl/comments")) or n.endswith(".vml")]
    part = sheet_parts(book)["月度汇总"]
    assert re.search(rb'<sheetProtection\b[^>]*sheet="1"', after[part])
    notes = [p for p in problems(book) if p["工作表"] == "月度汇总"]
    assert any("汇总表" in p["问题"] and "移除" in p["处理"] and p["级别"] == "警告" for p in notes)
    assert any("批注" in p["问题"] and "移除" in p["处理"] and p["级别"] == "警告" for p in notes)
    assert any("保护" in p["问题"] and "保留" in p["处理"] and p["级别"] == "提示" for p in notes)
    assert audit_errors(book) <= errors_before
    assert_no_orphans(book)
    assert_libreoffice_opens(book, tmp_path)


# --- 4. a sheet of HR's with kaohe's name --------------------------------------------------------------------

def test_hr_sheet_named_like_a_kaohe_sheet_is_refused(tmp_path, capsys):
    book = xw_book(tmp_path / "考勤.xlsx")
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("月度汇总").append(["姓名", "出勤天数", "迟到次数"])  # DingTalk's export sheet of that name
    wb.save(book)
    before = book.read_bytes()
    assert run(book) == 2
    assert run(book, "--out", str(tmp_path / "r.xlsx")) == 2
    assert "月度汇总" in capsys.readouterr().err
    assert book.read_bytes() == before and not (tmp_path / "r.xlsx").exists()


def test_import_and_reconcile_sheets_of_hr_are_refused(tmp_path, capsys):
    book = xw_book(tmp_path / "考勤.xlsx")
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("打卡导入").append(["日期", "备注"])
    wb.create_sheet("核对").append(["人事核对记录"])
    mapping = wb.create_sheet("人员对照")
    for row in (["工号", "考勤号码"], ["001", "1"]):
        mapping.append(row)
    wb.save(book)
    before = book.read_bytes()
    dat = tmp_path / "1_attlog.dat"
    dat.write_text("".join(f"{1:>9}\t2026-11-02 {t}\t1\t0\t1\t0\r\n" for t in ("08:21:09", "12:00:31")))
    assert main(["import", str(book), str(dat), "-q"]) == 2
    assert "打卡导入" in capsys.readouterr().err
    stats = tmp_path / "钉钉月度汇总.xlsx"
    top = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "出勤天数", "迟到次数", "迟到时长", "早退次数",
           "上班缺卡次数", "下班缺卡次数", "旷工天数"]
    write_book(stats, {"月度汇总": [["月度汇总 统计日期：2026-11-01 至 2026-11-30"], top,
                                ["员工001", "总部", "客服部", "001", "客服", "u1", 25, 0, 0, 0, 0, 0, 0]]})
    assert main(["reconcile", str(book), str(stats), "--month", "2026-11", "-q"]) == 2
    assert "核对" in capsys.readouterr().err
    assert book.read_bytes() == before


def test_renamed_kaohe_sheet_leaves_a_new_one_and_the_record_follows(tmp_path):
    book = xw_book(tmp_path / "考勤.xlsx")
    assert run(book) == 0
    with zipfile.ZipFile(book) as z:
        assert "月度汇总" in ownership.read_record(parts.Parts(z))
    assert run(book) == 0  # kaohe's own sheets are recognised by the record


# --- 6. 1904 date system ------------------------------------------------------------------------------------

class StoppedClock:
    """The clock 运行记录 reads the time of a run from (kaohe.workbook.write's ``dt.datetime.now``), stopped."""

    @staticmethod
    def now():
        return dt.datetime(2026, 12, 1, 9, 30, 15, 250000)


@pytest.mark.parametrize("serial", [False, True])
def test_1904_workbook_reads_and_writes_its_own_dates(tmp_path, serial, monkeypatch):
    book = xw_book(tmp_path / "mac.xlsx", emps=("001",), date_1904=True, serial_punches=serial)
    monkeypatch.setattr(write, "dt", SimpleNamespace(datetime=StoppedClock))
    assert run(book) == 0
    wb = openpyxl.load_workbook(book)  # openpyxl converts serials with the workbook's epoch
    daily = list(wb["每日明细"].iter_rows(min_row=2, values_only=True))
    assert daily[0][3] == dt.datetime(2026, 11, 1)
    summary = dict(zip([c.value for c in wb["月度汇总"][1]], [c.value for c in wb["月度汇总"][2]]))
    assert summary["旷工天数"] == 0 and summary["迟到早退罚款"] == 0
    # the run's time, whole seconds, read back in the 1904 date system (not 4 years and a day off)
    assert wb["运行记录"]["A2"].value == dt.datetime(2026, 12, 1, 9, 30, 15)


# --- 7. workbook.xml written in legal but unusual XML; Strict Open XML ----------------------------------------

def test_unusual_but_legal_workbook_xml(tmp_path):
    """A prefixed namespace, single-quoted attributes, a character reference and a raw '>' in a name."""
    book = xw_book(tmp_path / "考勤.xlsx")
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("备注")
    wb.save(book)
    assert run(book) == 0
    m = members(book)
    wb_xml = m["xl/workbook.xml"].decode()
    wb_xml = re.sub(r"<(/?)(?![?!])([a-zA-Z])", r"<\1x:\2", wb_xml).replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"')
    wb_xml = wb_xml.replace('name="月度汇总"', "name='&#26376;度汇总'").replace('name="备注"', 'name="备注>说明"')
    m["xl/workbook.xml"] = wb_xml.encode()
    with zipfile.ZipFile(book, "w") as z:
        for n, d in m.items():
            z.writestr(n, d)
    assert run(book) == 0
    out = members(book)["xl/workbook.xml"].decode()
    assert out.startswith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>') and "<x:sheets>" in out
    root = etree.fromstring(members(book)["xl/workbook.xml"])
    names = [el.get("name") for el in root.iter(f"{{{MAIN}}}sheet")]
    ids = [el.get("sheetId") for el in root.iter(f"{{{MAIN}}}sheet")]
    assert sorted(names) == sorted(["员工名册", "打卡记录", "备注>说明", "每日明细", "月度汇总", "请假校验", "问题清单",
                                    "考勤表", "运行记录"])
    assert len(ids) == len(set(ids))
    assert_no_orphans(book)


def test_strict_open_xml_is_refused(tmp_path, capsys):
    book = xw_book(tmp_path / "strict.xlsx")
    m = members(book)
    m["xl/workbook.xml"] = m["xl/workbook.xml"].replace(MAIN.encode(), parts.STRICT_NS.encode())
    with zipfile.ZipFile(book, "w") as z:
        for n, d in m.items():
            z.writestr(n, d)
    before = book.read_bytes()
    assert run(book) == 2
    assert "严格 Open XML" in capsys.readouterr().err
    assert book.read_bytes() == before


# --- 8. --out keeps the kind; 9. structure lock; 10. symbolic links ------------------------------------------

def test_out_must_keep_the_macro_kind(tmp_path, capsys):
    from test_write import rich_book

    xlsm = rich_book(tmp_path / "宏.xlsm", b"VBA" * 50)
    assert run(xlsm, "--out", str(tmp_path / "结果.xlsx")) == 2
    assert ".xlsm" in capsys.readouterr().err and not (tmp_path / "结果.xlsx").exists()
    xlsx = xw_book(tmp_path / "普通.xlsx")
    assert run(xlsx, "--out", str(tmp_path / "结果.xlsm")) == 2
    assert not (tmp_path / "结果.xlsm").exists()
    assert run(xlsm, "--out", str(tmp_path / "结果.xlsm")) == 0


def test_structure_locked_workbook_is_refused_when_sheets_would_be_added(tmp_path, capsys):
    from openpyxl.workbook.protection import WorkbookProtection

    book = xw_book(tmp_path / "考勤.xlsx")
    wb = openpyxl.load_workbook(book)
    wb.security = WorkbookProtection(workbookPassword="hr", lockStructure=True)
    wb.save(book)
    before = book.read_bytes()
    assert run(book) == 2
    assert "保护" in capsys.readouterr().err and book.read_bytes() == before
    assert b"lockStructure" in members(book)["xl/workbook.xml"]


def test_locked_structure_with_kaohe_sheets_already_there_is_kept(tmp_path):
    from openpyxl.workbook.protection import WorkbookProtection

    book = xw_book(tmp_path / "考勤.xlsx")
    assert run(book) == 0
    wb = openpyxl.load_workbook(book)
    wb.security = WorkbookProtection(workbookPassword="hr", lockStructure=True)
    wb.save(book)
    assert run(book) == 0  # nothing added, removed or renamed
    assert re.search(rb'<workbookProtection\b[^>]*lockStructure="1"', members(book)["xl/workbook.xml"])


def test_a_workbook_reached_through_a_symbolic_link(tmp_path):
    real = xw_book(tmp_path / "real" / "考勤.xlsx") if (tmp_path / "real").mkdir() is None else None
    link = tmp_path / "链接.xlsx"
    link.symlink_to(real)
    assert run(link) == 0
    assert link.is_symlink() and os.path.realpath(link) == str(real)
    assert "月度汇总" in openpyxl.load_workbook(real).sheetnames
    assert list((tmp_path / "real").glob("考勤.bak-*.xlsx"))


# --- 11. backups never collide ----------------------------------------------------------------------------

def test_two_writes_in_one_second_keep_the_original_in_a_backup(tmp_path, monkeypatch):
    book = xw_book(tmp_path / "考勤.xlsx")
    original = book.read_bytes()
    monkeypatch.setattr(saving, "_stamp", lambda: "20261201-090000")  # both writes within one second
    assert run(book) == 0
    log_step(book, "2026-11", "log", "")
    backups = sorted(tmp_path.glob("考勤.bak-*.xlsx"))
    assert [b.name for b in backups] == ["考勤.bak-20261201-090000-2.xlsx", "考勤.bak-20261201-090000.xlsx"]
    assert (tmp_path / "考勤.bak-20261201-090000.xlsx").read_bytes() == original


def test_finance_over_an_existing_file_keeps_it_in_a_backup(tmp_path):
    book = xw_book(tmp_path / "考勤.xlsx")
    target = tmp_path / "财务汇总_2026-11.xlsx"
    target.write_bytes(b"PK other workbook's finance file")
    assert main(["finance", str(book), "--month", "2026-11", "--out", str(target), "-q"]) == 0
    backups = list(tmp_path.glob("财务汇总_2026-11.bak-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == b"PK other workbook's finance file"


# --- 14. an .xlsx named .xls or .csv; odd sheet names in defined names ----------------------------------------

@pytest.mark.parametrize("suffix", [".xls", ".csv"])
def test_xlsx_named_otherwise_is_recognised(tmp_path, capsys, suffix):
    book = xw_book(tmp_path / "考勤.xlsx")
    named = book.rename(tmp_path / f"考勤{suffix}")
    assert run(named) == 2
    err = capsys.readouterr().err
    assert "考勤.xlsx" in err and "改为" in err


def test_print_titles_of_odd_sheet_names_are_read_by_libreoffice(tmp_path):
    from kaohe.workbook.sheetxml import Column, SheetSpec

    book = write_book(tmp_path / "b.xlsx", {"员工名册": [["工号"]]})
    # Excel and LibreOffice refuse sheet names that start or end with ' or hold [ ]: LibreOffice cannot open a
    # workbook carrying them at all. Legal odd names are quoted the way both read.
    names = ["它's", "1月 汇总", "A-B(1)"]
    package.write_sheets(book, book, [SheetSpec(n, [Column("工号")], rows=[["001"]] * 3) for n in names], backup=False)
    out = lo.convert(book, "xlsx", tmp_path / "lo-out", tmp_path / "lo-profile")
    wb = openpyxl.load_workbook(out)
    for name in names:
        assert wb[name].print_title_rows == "$1:$1", name
    assert parts.quote_sheet("它's") == "'它''s'"


def test_sheet_names_excel_refuses_get_no_print_titles_so_libreoffice_opens_the_workbook(tmp_path):
    book = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "引号开头": [["x"]],
                                            "方括号": [["y"]],
                                            "打卡记录": [["工号", "打卡时间"], ["001", dt.datetime(2026, 11, 2, 8, 25)]]})
    m = members(book)  # written by a tool that allows them (Excel, LibreOffice and openpyxl do not)
    m["xl/workbook.xml"] = m["xl/workbook.xml"].decode().replace('"引号开头"', '"\'引号开头"').replace(
        '"方括号"', '"[方括号]"').encode()
    with zipfile.ZipFile(book, "w") as z:
        for n, d in m.items():
            z.writestr(n, d)
    assert run(book) == 0
    assert "Print_Titles" not in members(book)["xl/workbook.xml"].decode()
    assert any("打印标题" in p["处理"] for p in problems(book))
    out = lo.convert(book, "csv", tmp_path / "lo-out", tmp_path / "lo-profile")
    assert out.stat().st_size > 0


def test_the_record_of_many_sheets_stays_within_excels_property_length(tmp_path):
    from kaohe.workbook.sheetxml import Column, SheetSpec

    book = write_book(tmp_path / "b.xlsx", {"员工名册": [["工号"]]})
    names = [f"KPI评分_20{y}-{m:02d}" for y in range(26, 29) for m in range(1, 13)]
    package.write_sheets(book, book, [SheetSpec(n, [Column("工号")], rows=[]) for n in names], backup=False)
    custom = etree.fromstring(members(book)["docProps/custom.xml"])
    values = ["".join(p.itertext()) for p in custom]
    assert values and all(len(v) <= 255 for v in values) and len(values) > 1
    with zipfile.ZipFile(book) as z:
        assert ownership.read_record(parts.Parts(z)) == set(names)
    record = members(book)["docProps/custom.xml"]
    package.write_sheets(book, book, [SheetSpec(names[0], [Column("工号")], rows=[])], backup=False)
    assert members(book)["docProps/custom.xml"] == record  # an unchanged record is not rewritten


def test_pivot_on_the_summary_name_refreshes_on_load(tmp_path):
    """The advised set-up: a pivot whose source is the name 月度汇总数据 — only refreshOnLoad is added."""
    book = xw_book(tmp_path / "考勤.xlsx")
    assert run(book) == 0
    add_report_sheet(book, "", "'月度汇总'!$H$2:$H$5", source="月度汇总数据")
    assert run(book) == 0
    cache = etree.fromstring(members(book)["xl/pivotCache/pivotCacheDefinition1.xml"])
    source = cache.find(f"{{{MAIN}}}cacheSource/{{{MAIN}}}worksheetSource")
    assert cache.get("refreshOnLoad") == "1" and source.attrib == {"name": "月度汇总数据"}
    assert "月度汇总数据" in members(book)["xl/workbook.xml"].decode()


# --- the same numbers whoever wrote the workbook ------------------------------------------------------------

def summary_rows(path):
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("月度汇总").to_python()
    return [r[:-1] for r in rows]  # 依据 aside, every column


@pytest.mark.parametrize("kind", ["xlsxwriter", "libreoffice", "mac_1904_serials"])
def test_numbers_equal_the_plain_workbooks(tmp_path, kind):
    """ATT-04: 002 late 11 min on two days = 40 CNY, whatever tool wrote the workbook."""
    emps, late = ("001", "002"), {"002": 2}
    plain = write_book(tmp_path / "plain.xlsx", {"员工名册": [ROSTER_HEADER] + [person(e, f"员工{e}") for e in emps],
                                                 "打卡记录": [["工号", "打卡时间"]] + punches(emps, late)})
    assert run(plain) == 0
    if kind == "libreoffice":
        source = xw_book(tmp_path / "src" / "考勤.xlsx", emps, late) if (tmp_path / "src").mkdir() is None else None
        book = lo.convert(source, "xlsx", tmp_path / "lo", tmp_path / "profile")
    else:
        book = xw_book(tmp_path / "考勤.xlsx", emps, late, date_1904=kind == "mac_1904_serials",
                       serial_punches=kind == "mac_1904_serials")
    assert run(book) == 0
    expected = summary_rows(plain)
    assert summary_rows(book) == expected
    assert dict(zip(expected[0], expected[2]))["迟到早退罚款"] == 40
    if kind == "libreoffice":  # and once more after LibreOffice saved kaohe's result
        again = lo.convert(book, "xlsx", tmp_path / "lo2", tmp_path / "profile")
        assert run(again) == 0
        assert summary_rows(again) == expected


def test_hr_custom_properties_stay_beside_kaohes_record(tmp_path):
    from openpyxl.packaging.custom import StringProperty

    book = xw_book(tmp_path / "考勤.xlsx")
    wb = openpyxl.load_workbook(book)
    wb.custom_doc_props.append(StringProperty(name="部门负责人", value="王经理"))
    wb.save(book)
    assert run(book) == 0
    props = {p.name: p.value for p in openpyxl.load_workbook(book).custom_doc_props.props}
    assert props["部门负责人"] == "王经理"
    assert "月度汇总" in props["kaohe工作表"].split("/")
    assert_no_orphans(book)


@pytest.mark.parametrize("header,accepted", [(None, True), (["核对", "备注"], False)])
def test_a_sheet_outside_the_record_is_kaohes_only_with_its_exact_header(tmp_path, header, accepted):
    """E.g. 核对 written in Excel by the add-in's live path: exactly kaohe's header and a 运行记录 beside it."""
    import pandas as pd

    from kaohe.findings import InputRefused
    from kaohe.workbook import contract as c
    from kaohe.workbook.write import frame_spec

    book = xw_book(tmp_path / "考勤.xlsx")
    assert run(book) == 0
    wb = openpyxl.load_workbook(book)
    wb.create_sheet(c.RECONCILE.name).append(header or list(c.RECONCILE.headers))
    wb.save(book)
    spec = frame_spec(c.RECONCILE, pd.DataFrame(columns=[f for _, f in c.RECONCILE.columns]))
    if accepted:
        package.write_sheets(book, book, [spec], backup=False)
    else:
        with pytest.raises(InputRefused, match=c.RECONCILE.name):
            package.write_sheets(book, book, [spec], backup=False)
