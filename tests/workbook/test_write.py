"""Writing without loss: kaohe's sheets go in, everything else stays byte-identical."""
import datetime as dt
import struct
import subprocess
import zipfile
import zlib

import openpyxl
import pytest
import xlsxwriter
from builders import full_day, workdays

from kaohe.doors.cli import main
from kaohe.workbook import package
from kaohe.workbook.sheetxml import Column, SheetSpec

OWNED = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml", "xl/calcChain.xml",
         "docProps/custom.xml", "_rels/.rels"}  # the package relationships gain docProps/custom.xml (kaohe's record)


def tiny_png() -> bytes:
    raw = b"\x00\xff\x00\x00"
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def rich_book(path, vba: bytes | None = None):
    """An attendance workbook the way Excel users make them: images, charts, validation, notes..."""
    png = path.parent / "logo.png"
    png.write_bytes(tiny_png())
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    roster = wb.add_worksheet("员工名册")
    for c, h in enumerate(["工号", "姓名", "部门", "入职日期", "岗位基本工资"]):
        roster.write_string(0, c, h)
    people = [("001", "张三"), ("002", "=HYPERLINK(\"http://x\",\"李四\")")]
    for r, (emp, name) in enumerate(people, start=1):
        roster.write_string(r, 0, emp)
        roster.write_string(r, 1, name)
        roster.write_string(r, 2, "客服部")
        roster.write_datetime(r, 3, dt.datetime(2020, 1, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
        roster.write_number(r, 4, 4350)
    roster.data_validation("C2:C100", {"validate": "list", "source": ["客服部", "生产部"]})
    roster.conditional_format("E2:E100", {"type": "cell", "criteria": ">", "value": 5000,
                                          "format": wb.add_format({"bg_color": "#FFC7CE"})})
    roster.write_comment("A1", "工号按文本填写")
    roster.insert_image("H2", str(png))
    punches = wb.add_worksheet("打卡记录")
    punches.write_string(0, 0, "工号")
    punches.write_string(0, 1, "打卡时间")
    r = 1
    for emp in ("001", "002"):
        for day in workdays(2026, 11):
            for _, ts in full_day(emp, day):
                punches.write_string(r, 0, emp)
                punches.write_datetime(r, 1, ts, date_fmt)
                r += 1
    chart_data = wb.add_worksheet("图表数据")
    chart_data.write_column("A1", [3, 5, 2])
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=图表数据!$A$1:$A$3"})
    chart_data.insert_chart("C2", chart)
    hidden = wb.add_worksheet("隐藏")
    hidden.write("A1", "secret")
    hidden.hide()
    wb.define_name("部门列表", "=员工名册!$C$2:$C$100")
    wb.define_name("图表数据!本地名", "=图表数据!$A$1")
    if vba is not None:
        vba_path = path.parent / "vbaProject.bin"
        vba_path.write_bytes(vba)
        wb.add_vba_project(str(vba_path))
    wb.close()
    return path


def members(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


@pytest.mark.parametrize("suffix,vba", [(".xlsx", None), (".xlsm", b"VBA-PROJECT-BYTES" * 100)])
def test_two_runs_keep_every_other_part_byte_identical(tmp_path, suffix, vba):
    book = rich_book(tmp_path / f"考勤{suffix}", vba)
    before = members(book)
    for _ in range(2):
        assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    after = members(book)
    kept = {n for n in before if n not in OWNED}
    for name in kept:
        assert after.get(name) == before[name], name
    backups = sorted(tmp_path.glob(f"考勤.bak-*{suffix}"))
    assert backups  # the original was copied aside before the first write
    assert not list(tmp_path.glob(".~kaohe-*"))
    wb = openpyxl.load_workbook(book, keep_vba=vba is not None)
    names = wb.sheetnames
    assert names[:4] == ["员工名册", "打卡记录", "图表数据", "隐藏"]
    assert names[4:] == ["每日明细", "月度汇总", "请假校验", "问题清单", "考勤表", "运行记录"]
    assert wb["隐藏"].sheet_state == "hidden"
    assert len(list(wb["运行记录"].iter_rows(min_row=2))) == 2  # appended per run
    # A name that looks like a formula stays text in kaohe's output.
    daily = wb["月度汇总"]
    names_out = [row[1].value for row in daily.iter_rows(min_row=2)]
    assert '=HYPERLINK("http://x","李四")' in names_out
    assert all(cell.data_type != "f" for row in daily.iter_rows() for cell in row)


def test_second_run_gives_identical_values(tmp_path):
    book = rich_book(tmp_path / "b.xlsx")
    assert main(["compute-month", str(book), "--month", "2026-11", "--out", str(tmp_path / "o1.xlsx"), "-q"]) == 0
    assert main(["compute-month", str(tmp_path / "o1.xlsx"), "--month", "2026-11", "-q"]) == 0
    one, two = members(next(tmp_path.glob("o1.bak-*.xlsx"))), members(tmp_path / "o1.xlsx")
    # Every output sheet except the run log is the same text after a re-run.
    wb1 = openpyxl.load_workbook(next(tmp_path.glob("o1.bak-*.xlsx")))
    wb2 = openpyxl.load_workbook(tmp_path / "o1.xlsx")
    for sheet in ("每日明细", "月度汇总", "请假校验", "问题清单"):
        v1 = [[c.value for c in r] for r in wb1[sheet].iter_rows()]
        v2 = [[c.value for c in r] for r in wb2[sheet].iter_rows()]
        assert v1 == v2, sheet
    assert one["xl/styles.xml"] == two["xl/styles.xml"]  # styles are not appended again


def test_out_leaves_the_input_alone(tmp_path):
    book = rich_book(tmp_path / "b.xlsx")
    before = book.read_bytes()
    assert main(["compute-month", str(book), "--month", "2026-11", "--out", str(tmp_path / "out" / "r.xlsx"), "-q"]) == 0
    assert book.read_bytes() == before
    assert not list(tmp_path.glob("b.bak-*"))
    assert "月度汇总" in openpyxl.load_workbook(tmp_path / "out" / "r.xlsx").sheetnames


@pytest.mark.parametrize("fail_after", [0, 3, 7])
def test_a_write_that_fails_halfway_leaves_the_original(tmp_path, fail_after):
    book = rich_book(tmp_path / "b.xlsx")
    before = book.read_bytes()
    spec = SheetSpec("月度汇总", [Column("工号")], rows=[["001"]])
    with pytest.raises(OSError):
        package.write_sheets(book, book, [spec], backup=False, _fail_after=fail_after)
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx", "logo.png"]


def test_workbook_xml_and_styles_edits_are_well_formed(tmp_path):
    book = rich_book(tmp_path / "b.xlsx")
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    parts = members(book)
    from defusedxml import ElementTree
    for name in ("xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        ElementTree.fromstring(parts[name])
    wb_xml = parts["xl/workbook.xml"].decode()
    assert "_xlnm.Print_Titles" in wb_xml
    ids = [int(x) for x in __import__("re").findall(r'sheetId="(\d+)"', wb_xml)]
    assert len(ids) == len(set(ids))


def test_libreoffice_opens_the_result(tmp_path):
    book = rich_book(tmp_path / "b.xlsx")
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "ods", "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=180)
    assert (out / "b.ods").stat().st_size > 1000


def test_write_adds_nothing_excel_would_repair(tmp_path):
    """openxml-audit: the errors after kaohe writes are no more than before (ECMA-376 + Excel rules)."""
    from openxml_audit import OpenXmlValidator

    book = rich_book(tmp_path / "b.xlsx")
    validator = OpenXmlValidator()
    before = {str(e) for e in validator.validate(str(book)).errors}
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    after = {str(e) for e in validator.validate(str(book)).errors}
    assert after <= before, after - before


def test_LV_01_a_bare_end_date_is_shown_as_a_date_and_a_time_as_a_date_time(tmp_path):
    # 请假校验 shows what HR typed: 2026-11-04 (a day: the leave runs to its end) in the date format, not as
    # 2026-11-04 00:00; 2026-11-10 12:00 keeps its time.
    from builders import ROSTER_HEADER, person, write_book

    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
             ["001", "事假", dt.date(2026, 11, 3), dt.date(2026, 11, 4), dt.date(2026, 11, 1), "已批准"],
             ["001", "事假", dt.datetime(2026, 11, 10, 8, 30), dt.datetime(2026, 11, 10, 12), dt.date(2026, 11, 5), "已批准"]]
    punches = [["工号", "打卡时间"]] + [r for day in workdays(2026, 11) for r in full_day("001", day)]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": punches,
                                             "请假记录": leave})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    ws = openpyxl.load_workbook(book)["请假校验"]
    header = [c.value for c in ws[1]]
    start, end = header.index("开始时间") + 1, header.index("结束时间") + 1
    bare, timed = ws.cell(2, end), ws.cell(3, end)
    assert bare.value == dt.datetime(2026, 11, 4) and bare.number_format == "yyyy-mm-dd"
    assert ws.cell(2, start).number_format == "yyyy-mm-dd"
    assert timed.value == dt.datetime(2026, 11, 10, 12) and "hh:mm" in timed.number_format
