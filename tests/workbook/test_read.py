"""Reading what HR types; bad cells as findings with their address; unusable files refused (exit 2)."""
import datetime as dt
import hashlib

from msoffcrypto.format.ooxml import OOXMLFile
import pytest
from builders import ROSTER_HEADER, person, write_book

from kaohe.doors.cli import main
from kaohe.workbook.read import read_book
from kaohe.values import parse_date, parse_datetime, parse_id, parse_number, parse_time


@pytest.mark.parametrize("text,expected", [
    ("2026-11-02 8:30", dt.datetime(2026, 11, 2, 8, 30)),
    ("2026/11/2 08:30:15", dt.datetime(2026, 11, 2, 8, 30, 15)),
    ("2026年11月2日 8时30分", dt.datetime(2026, 11, 2, 8, 30)),
    ("2026-11-02T08:30:00", dt.datetime(2026, 11, 2, 8, 30)),
    ("  2026.11.02 星期一 8:30 ", dt.datetime(2026, 11, 2, 8, 30)),
    (46328.354166666664, dt.datetime(2026, 11, 2, 8, 30)),  # an Excel serial date-time
    (dt.datetime(2026, 11, 2, 8, 44, 59, 999_000), dt.datetime(2026, 11, 2, 8, 45)),
])
def test_datetimes(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("2026/11/2", dt.date(2026, 11, 2)), ("2026-11-02", dt.date(2026, 11, 2)), (46328, dt.date(2026, 11, 2)),
    ("20261102", dt.date(2026, 11, 2)), ("2026年11月2日", dt.date(2026, 11, 2)),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("value,expected", [
    ("8:30", dt.time(8, 30)), ("08时30分", dt.time(8, 30)), ("8：30", dt.time(8, 30)),
    (0.36458333333333331, dt.time(8, 45)),  # Excel's binary fraction for 08:45
    (0.354166666, dt.time(8, 30)), (dt.time(8, 29, 59, 600_000), dt.time(8, 30)),
])
def test_times(value, expected):
    assert parse_time(value) == expected


@pytest.mark.parametrize("value,expected", [("001", "001"), (" 001 ", "001"), (1.0, "1"), (12, "12"), ("A-7", "A-7")])
def test_employee_ids_are_text(value, expected):
    assert parse_id(value) == expected


def test_numbers():
    assert parse_number("5,000") == 5000 and parse_number("¥4350") == 4350 and parse_number("45.2%") == pytest.approx(0.452)


@pytest.mark.parametrize("bad", ["abc", "25:00", "2026-13-01", "2026-02-30 8:00", float("inf"), True])
def test_bad_values_raise(bad):
    with pytest.raises(ValueError):
        parse_datetime(bad)


def test_bad_cells_become_findings_with_addresses(month_file):
    m = month_file({
        "员工名册": [ROSTER_HEADER, person(), ["002", "李四", "仓储部", "2020-01-01", "五千"]],
        "打卡记录": [["工号", "姓名", "打卡时间"], ["001", "张三", "2026-11-02 8:20"], ["001", "张三", "昨天"],
                 [None, "无名", "2026-11-02 8:20"], ["999", "外人", "2026-11-02 8:21"], ["999", "外人", "2026-11-02 17:40"]],
    })
    by_cell = {(f.sheet, f.cell): f for f in m.findings}
    assert "无法识别" in by_cell[("打卡记录", "C3")].problem
    assert by_cell[("打卡记录", "C3")].action == "忽略此行"  # a punch without a time is dropped, reported once
    assert len([f for f in m.findings if f.cell == "C3"]) == 1
    assert "岗位基本工资" in by_cell[("员工名册", "E3")].problem
    assert ("打卡记录", "A4") in by_cell  # no 工号
    unknown = by_cell[("打卡记录", "A5")]
    assert "999" in unknown.problem and "2条打卡" in unknown.problem


def test_ids_keep_leading_zeros_end_to_end(month_file):
    m = month_file({"员工名册": [ROSTER_HEADER, person("007")],
               "打卡记录": [["工号", "打卡时间"], ["007", dt.datetime(2026, 11, 2, 8, 20)]]})
    assert m.summary("007")["工号"] == "007"


def test_header_below_a_title_row(tmp_path):
    book = write_book(tmp_path / "t.xlsx", {"员工名册": [["2026年员工名册"], ROSTER_HEADER, person()],
                                            "打卡记录": [["打卡导出"], ["工号", "打卡时间"], ["001", "2026-11-02 8:20"]]})
    data = read_book(book)
    assert list(data.tables["punches"].frame["row"]) == [3]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(capsys, path, *fragments, month="2026-11"):
    before = digest(path) if path.exists() else None
    siblings = set(path.parent.iterdir())
    code = main(["compute-month", str(path), "--month", month])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("错误：") and " / Error: " in err
    for f in fragments:
        assert f in err
    if before:
        assert digest(path) == before
    assert set(path.parent.iterdir()) == siblings  # nothing written, no backup, no temp


def test_refuses_a_file_that_is_not_a_workbook(tmp_path, capsys):
    p = tmp_path / "考勤.xlsx"
    p.write_text("工号,打卡时间\n001,2026-11-02 08:30\n", encoding="utf-8")
    assert_refused(capsys, p, "不是 Excel 工作簿")


def test_refuses_missing_mandatory_sheet(tmp_path, capsys):
    p = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()]})
    assert_refused(capsys, p, "打卡记录")


def test_refuses_missing_mandatory_column(tmp_path, capsys):
    p = write_book(tmp_path / "b.xlsx", {"员工名册": [["工号", "姓名", "部门", "入职日期"], ["001", "张三", "x", "2020-1-1"]],
                                         "打卡记录": [["工号", "打卡时间"]]})
    assert_refused(capsys, p, "岗位基本工资")


def test_refuses_an_encrypted_workbook(tmp_path, capsys):
    plain = write_book(tmp_path / "plain.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": [["工号", "打卡时间"]]})
    enc = tmp_path / "enc" / "b.xlsx"
    enc.parent.mkdir()
    with open(plain, "rb") as fin, open(enc, "wb") as fout:
        office = OOXMLFile(fin)
        office.encrypt("secret", fout)
    assert_refused(capsys, enc, "加密")


def test_refuses_old_xls(tmp_path, capsys):
    p = tmp_path / "old.xlsx"
    p.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
    assert_refused(capsys, p, ".xls")


@pytest.mark.parametrize("lock", ["~$b.xlsx", ".~lock.b.xlsx#"])
def test_refuses_a_workbook_open_in_excel_or_libreoffice(tmp_path, capsys, lock):
    p = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": [["工号", "打卡时间"]]})
    (tmp_path / lock).write_text("x")
    assert_refused(capsys, p, "打开")


def test_refuses_missing_file(tmp_path, capsys):
    code = main(["compute-month", str(tmp_path / "nope.xlsx"), "--month", "2026-11"])
    assert code == 2 and "找不到文件" in capsys.readouterr().err


def test_refuses_bad_month(tmp_path, capsys):
    p = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": [["工号", "打卡时间"]]})
    assert_refused(capsys, p, "2026/13", "月份", month="2026/13")


@pytest.mark.parametrize("content, said", [(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页（HTML）文件"),
                                           (b"", "文件是空的（0 字节）")])
def test_a_file_that_is_no_workbook_says_what_it_is(tmp_path, capsys, content, said):
    """A page a web system saved as .xls, or a file whose copy failed: exit 2 naming what the file really is."""
    path = tmp_path / "考勤.xls"
    path.write_bytes(content)
    assert main(["compute-month", str(path), "--month", "2026-11", "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：") and said in err and "/ Error:" in err and "\n" not in err
    assert path.read_bytes() == content
