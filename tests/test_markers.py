"""The markers tests/marking.py sets: what counts as starting LibreOffice or a Python interpreter."""
import subprocess

import marking

SOURCE = '''
import sys
import lo
from lo import recalculated as recalc

def render(path, tmp):
    return lo.convert(path, "pdf", tmp, tmp)

def values(path, tmp):
    return recalc(path, tmp)

def by_hand(path):
    subprocess.run(["soffice", "--headless", str(path)])

def script():
    subprocess.run([sys.executable, "-c", "pass"])

def book(tmp_path):
    return values(tmp_path / "a.xlsx", tmp_path)

def test_pdf_through_a_helper(tmp_path):
    assert render(tmp_path / "a.xlsx", tmp_path)

def test_recalculated_through_a_fixture(book):
    assert book

def test_soffice_by_hand(tmp_path):
    by_hand(tmp_path)

def test_slips_without_pdf(book_path):
    slips_job(book_path, "2026-11", pdf=False)

def test_slips_printed(book_path):
    slips_job(book_path, "2026-11")

def test_a_script():
    script()

def test_plain():
    assert 1 + 1 == 2
'''


def test_what_each_test_reaches(tmp_path):
    module = tmp_path / "test_sample.py"
    module.write_text(SOURCE, encoding="utf-8")
    reached = {name: marking.reaches(module, {name, *fixtures}) for name, fixtures in [
        ("test_pdf_through_a_helper", ()), ("test_recalculated_through_a_fixture", ("book",)),
        ("test_soffice_by_hand", ()), ("test_slips_without_pdf", ()), ("test_slips_printed", ()),
        ("test_a_script", ()), ("test_plain", ())]}
    assert reached == {"test_pdf_through_a_helper": {"libreoffice"}, "test_recalculated_through_a_fixture": {"libreoffice"},
                       "test_soffice_by_hand": {"libreoffice"}, "test_slips_without_pdf": set(),
                       "test_slips_printed": {"libreoffice"}, "test_a_script": {"python"}, "test_plain": set()}


def test_the_program_a_process_starts():
    assert marking._program(["/usr/bin/soffice", "--headless"]) == "soffice"
    assert marking._program([r"C:\Program Files\LibreOffice\program\soffice.exe", "--convert-to"]) == "soffice"
    assert marking._program("libreoffice --headless x.xlsx") == "libreoffice"
    assert marking._program(["pdftotext", "-layout"]) == "pdftotext"


def test_every_start_of_soffice_is_recorded(tmp_path):
    fake = tmp_path / "soffice.sh"  # a stand-in that exits at once (the program's name without its suffix counts)
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    marking.started_soffice.clear()
    subprocess.run([str(fake), "--version"], check=True)
    subprocess.run(["true"], check=True)
    recorded = list(marking.started_soffice)
    marking.started_soffice.clear()  # the stand-in is not LibreOffice: this test needs no marker
    assert recorded == [str([str(fake), "--version"])]
