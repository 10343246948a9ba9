"""考勤表: the printable month grid (two rows per person, a code per half day, totals, legend)."""
import datetime as dt
import subprocess

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book
from lo import convert

from kaohe.cli import main


def book(tmp_path, rules=None):
    rows = [["工号", "打卡时间"]]
    special = {
        dt.date(2026, 11, 2): punches_for("001", dt.date(2026, 11, 2), "08:41", "12:00", "13:30", "17:30"),  # late am
        dt.date(2026, 11, 3): punches_for("001", dt.date(2026, 11, 3), "08:20", "12:00", "13:30"),  # pm out missing
        dt.date(2026, 11, 4): [],  # no punch: absent
        dt.date(2026, 11, 5): [],  # on leave
    }
    for day in workdays(2026, 11):
        rows += special.get(day, full_day("001", day))
        if day >= dt.date(2026, 11, 10):
            rows += full_day("002", day)
    sheets = {"员工名册": [ROSTER_HEADER, person(), person("002", "李四", hired=dt.date(2026, 11, 10))],
              "打卡记录": rows,
              "请假记录": [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
                       ["001", "事假", dt.date(2026, 11, 5), dt.date(2026, 11, 5), dt.date(2026, 11, 1), "已批准"]]}
    if rules:
        sheets["规则"] = rules
    return write_book(tmp_path / "b.xlsx", sheets)


def grid(path):
    rows = list(openpyxl.load_workbook(path)["考勤表"].iter_rows(values_only=True))
    header = rows[1]
    return header, rows


def test_codes_per_half_day(tmp_path):
    path = book(tmp_path)
    assert main(["compute-month", str(path), "--month", "2026-11", "-q"]) == 0
    header, rows = grid(path)
    assert rows[0][0] == "2026年11月考勤表" and header[:4] == ("工号", "姓名", "时段", "1")
    assert rows[2][3:10] == ("日", "一", "二", "三", "四", "五", "六")  # the weekday row
    am, pm = rows[3], rows[4]
    col = {d: 2 + d for d in range(1, 31)}
    assert am[:3] == ("001", "张三", "上午") and pm[2] == "下午"
    assert (am[col[1]], am[col[2]], pm[col[2]]) == ("休", "迟", "√")
    assert (am[col[3]], pm[col[3]]) == ("√", "缺")
    assert (am[col[4]], pm[col[4]]) == ("旷", "旷")
    assert (am[col[5]], pm[col[5]]) == ("事", "事")
    totals = dict(zip(header[33:], am[33:]))
    assert totals["应出勤天数"] == 25 and totals["旷工天数"] == 1 and totals["事假天数"] == 1 and totals["迟到次数"] == 1
    new_am = rows[5]
    assert new_am[0] == "002" and new_am[col[9]] is None and new_am[col[10]] == "√"  # hired on the 10th
    assert rows[-2][0].startswith("图例：√=出勤") and "签" not in rows[-1][0] and "人力资源部" in rows[-1][0]


def test_legend_from_rules(tmp_path):
    path = book(tmp_path, [["参数", "值"], ["考勤表图例", "出勤=○,迟到=△,旷工=×,休息=-"]])
    main(["compute-month", str(path), "--month", "2026-11", "-q"])
    _, rows = grid(path)
    assert (rows[3][3], rows[3][4], rows[3][5], rows[3][6]) == ("-", "△", "○", "×")  # days 1 to 4


def test_grid_prints_one_page_wide(tmp_path):
    path = book(tmp_path)
    main(["compute-month", str(path), "--month", "2026-11", "-q"])
    wb = openpyxl.load_workbook(path)
    for name in wb.sheetnames:
        wb[name].sheet_state = "visible" if name == "考勤表" else "hidden"
    wb.active = wb.sheetnames.index("考勤表")
    only = tmp_path / "grid.xlsx"
    wb.save(only)
    pdf = convert(only, "pdf", tmp_path / "pdf", tmp_path / "profile")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert "###" not in text
    assert "调休天数" in pages[0] and "30" in pages[0]  # the last day and the last total on the first page: one page wide
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "grid")], check=True)
    assert list(tmp_path.glob("grid*.png"))
