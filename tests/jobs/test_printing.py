"""Printed pages HR can read: A4 landscape, text of 7 pt or more, 工号 and 姓名 on every page, header rows clear.

The PDFs are LibreOffice's renders; sizes and positions are read from them with pdfplumber, so the
checks hold with or without Chinese fonts installed (no text layout is compared).
"""
import openpyxl
import pdfplumber
import pytest
from builders import ROSTER_HEADER, full_day, person, workdays, write_book
from lo import lines_at, middle, sheet_pdf

from kaohe.doors.cli import main
from kaohe.jobs.sample import write_sample

MIN_POINTS = 7


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The 40-employee sample month, computed, and its finance workbook."""
    tmp = tmp_path_factory.mktemp("sample")
    book = write_sample(tmp / "考勤.xlsx", "2026-10")
    assert main(["compute-month", str(book), "--month", "2026-10", "-q"]) == 0
    assert main(["finance", str(book), "--month", "2026-10", "--out", str(tmp) + "/"]) == 0
    return book, tmp / "财务汇总_2026-10.xlsx"


def header_digits(page, chars) -> str:
    """The digits of the page header's right part (第 N 页 共 M 页), above the table's top border."""
    table_top = lines_at(page, "h")[0]
    right = sorted((ch for ch in chars if ch["bottom"] <= table_top and ch["x0"] > page.width * 0.7), key=lambda ch: ch["x0"])
    return "".join(ch["text"] for ch in right if ch["text"].isdigit())


def assert_readable_wide_print(pdf, first_id):
    """Landscape, 7 pt or more, the first 工号 (column A, repeated) and 第 n 页 共 N 页 on every page.
    Digits only are compared as text: the checks hold with or without Chinese fonts."""
    with pdfplumber.open(pdf) as doc:
        total = len(doc.pages)
        assert total >= 2  # several pages wide rather than shrunk onto one
        for n, page in enumerate(doc.pages, start=1):
            chars = page.chars
            assert page.width > page.height  # landscape
            assert min(ch["size"] for ch in chars) >= MIN_POINTS, n
            assert first_id in page.extract_text()  # 工号 and 姓名 repeat on every page (print title columns)
            assert header_digits(page, chars) == f"{n}{total}"


def test_monthly_summary_of_the_40_employee_sample_prints_at_7_points_or_more(sample, tmp_path):
    book, _ = sample
    ws = openpyxl.load_workbook(book)["月度汇总"]
    first_id = ws["A2"].value
    assert ws.print_title_cols == "$A:$B" and ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    basis = next(c for c in ws[1] if c.value == "依据")
    assert ws[f"{basis.column_letter}2"].alignment.wrap_text and ws.column_dimensions[basis.column_letter].width >= 40
    assert_readable_wide_print(sheet_pdf(book, "月度汇总", tmp_path), first_id)


def test_finance_workbook_prints_at_7_points_or_more(sample, tmp_path):
    _, finance = sample
    ws = openpyxl.load_workbook(finance)["财务汇总"]
    header_row = next(r for r in ws.iter_rows(min_row=1, max_row=10) if r[0].value == "工号")
    first_id = ws.cell(row=header_row[0].row + 1, column=1).value
    basis = next(c for c in header_row if c.value == "依据")
    assert ws.cell(row=header_row[0].row + 1, column=basis.column).alignment.wrap_text
    assert_readable_wide_print(sheet_pdf(finance, "财务汇总", tmp_path), first_id)


def test_daily_details_wrap_the_note(sample):
    book, _ = sample
    ws = openpyxl.load_workbook(book)["每日明细"]
    note = next(c for c in ws[1] if c.value == "说明")
    assert ws[f"{note.column_letter}2"].alignment.wrap_text and ws.print_title_cols == "$A:$B"


def test_company_name_from_rules_heads_every_page(tmp_path):
    rows = [["工号", "打卡时间"]] + [p for day in workdays(2026, 11) for p in full_day("001", day)]
    book = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": rows,
                                            "规则": [["参数", "值"], ["公司名称", "杭州某某电子商务有限公司"]]})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    for sheet in ("月度汇总", "每日明细", "考勤表"):
        header = wb[sheet].oddHeader
        assert header.left.text == "杭州某某电子商务有限公司" and header.right.text == "第 &P 页 共 &N 页"
    assert wb["月度汇总"].oddHeader.center.text == "2026-11 月度汇总"


def test_attendance_grid_of_the_sample_repeats_both_header_rows_on_every_page(sample, tmp_path):
    book, _ = sample
    with pdfplumber.open(sheet_pdf(book, "考勤表", tmp_path)) as doc:
        assert len(doc.pages) >= 2  # 40 people, two rows each: more than one page long
        for n, page in enumerate(doc.pages, start=1):
            assert page.width > page.height and min(ch["size"] for ch in page.chars) >= MIN_POINTS, n
            top, below_header, below_weekdays = lines_at(page, "h")[:3]
            header = [w["text"] for w in page.extract_words() if top < middle(w) < below_header]
            weekdays = [ch for ch in page.chars if ch["text"].strip() and below_header < middle(ch) < below_weekdays]
            assert {"1", "31"} <= set(header), n  # the header row: October's days 1 to 31
            assert len(weekdays) == 31, n  # the weekday row under it: one character a day
