"""考勤表: the printable month grid (two rows per person, a code per half day, totals, legend)."""
import datetime as dt
import subprocess

import openpyxl
import pdfplumber
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book
from lo import lines_at, middle, sheet_pdf

from kaohe.doors.cli import main
from kaohe.jobs.render.grid import TOTALS


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
    ws = openpyxl.load_workbook(path)["考勤表"]
    last = ws.cell(row=2, column=ws.max_column)  # the last column: 调休天数, 001's total in row 4
    pdf = sheet_pdf(path, "考勤表", tmp_path)
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 1  # two people: one page, the whole width on it
        page = doc.pages[0]
        words = page.extract_words()
        assert "###" not in page.extract_text()
        # where the last column lands: 001's last total, right of day 30, inside the page
        day30 = max((w for w in words if w["text"] == "30"), key=lambda w: w["top"] * -1)
        assert last.value == "调休天数" and any(w["x0"] > day30["x1"] and w["x1"] <= page.width for w in words
                                              if w["top"] > day30["bottom"])
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "grid")], check=True)
    assert list(tmp_path.glob("grid*.png"))


def test_header_rows_repeat_do_not_overlap_and_the_legend_has_no_borders(tmp_path):
    path = book(tmp_path)
    main(["compute-month", str(path), "--month", "2026-11", "-q"])
    wb = openpyxl.load_workbook(path)
    ws = wb["考勤表"]
    assert ws.print_title_rows == "$2:$3"  # the header row and the weekday row on every page
    legend_row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(row=r, column=1).value).startswith("图例"))
    for r in (legend_row, legend_row + 1):
        assert all(ws.cell(row=r, column=k).border.left.style is None for k in range(1, ws.max_column + 1))
    assert ws.cell(row=legend_row - 2, column=4).border.left.style == "thin"  # the grid itself is bordered
    pdf = sheet_pdf(path, "考勤表", tmp_path)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        # Structure only, so it holds with or without Chinese fonts: the cell borders give the rows.
        top, below_header, below_weekdays = lines_at(page, "h")[:3]
        first_total = lines_at(page, "v")[-len(TOTALS) - 1]  # left border of the first totals column
        rows = [ch for ch in page.chars if ch["text"].strip() and top < middle(ch) < below_weekdays]
        totals_header = [ch for ch in rows if ch["x0"] >= first_total]
        assert len(totals_header) >= sum(len(t) for t in TOTALS)
        # the wrapped totals stay in the header row: none slips into the weekday row (empty under the totals)
        assert all(middle(ch) < below_header for ch in totals_header)


def test_LV_25_every_leave_type_shown_is_in_the_legend_with_its_symbol(tmp_path):
    # HR's 假别 rows: 无薪假 without a 考勤表符号 (the grid shows its first character, 无) on Mon 2 Nov; 探亲假 with
    # 亲 on Tue 3 Nov. Both appear in the grid and in the legend with the symbol the grid shows; a type not in the
    # month (婚假) adds nothing beyond 规则's legend.
    header = ["假别", "计薪", "计算方式", "考勤表符号"]
    kinds = [header, ["事假", "无薪", "工作日", None], ["无薪假", "无薪", "工作日", None], ["探亲假", "全薪", "日历日", "亲"]]
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
             ["001", "无薪假", dt.date(2026, 11, 2), dt.date(2026, 11, 2), dt.date(2026, 10, 20), "已批准"],
             ["001", "探亲假", dt.date(2026, 11, 3), dt.date(2026, 11, 3), dt.date(2026, 10, 20), "已批准"]]
    punches = [["工号", "打卡时间"]] + [p for d in workdays(2026, 11) if d.day > 3 for p in full_day("001", d)]
    path = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": punches,
                                            "请假记录": leave, "假别": kinds})
    assert main(["compute-month", str(path), "--month", "2026-11", "-q"]) == 0
    _, rows = grid(path)
    assert (rows[3][4], rows[4][4], rows[3][5]) == ("无", "无", "亲")  # days 2 and 3, 上午 and 下午
    legend = rows[-2][0].split("  ")
    assert "无=无薪假" in legend and "亲=探亲假" in legend and "婚=婚假" in legend
    assert not any(item.endswith("=探亲假") and item != "亲=探亲假" for item in legend)


def test_LV_14_a_statutory_type_shows_its_own_symbol_without_a_leave_sheet(tmp_path):
    # No 假别 sheet: the default rows' symbols. A whole-day 产前检查 (proof given) on Mon 2 Nov shows 检 (not 产, which is
    # 产假's), and the legend says so.
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料"],
             ["001", "产前检查", dt.date(2026, 11, 2), dt.date(2026, 11, 2), dt.date(2026, 10, 20), "已批准", "有"]]
    punches = [["工号", "打卡时间"]] + [p for d in workdays(2026, 11) if d.day > 2 for p in full_day("001", d)]
    path = write_book(tmp_path / "b.xlsx", {"员工名册": [ROSTER_HEADER, person(gender="女")], "打卡记录": punches,
                                            "请假记录": leave})
    assert main(["compute-month", str(path), "--month", "2026-11", "-q"]) == 0
    _, rows = grid(path)
    assert (rows[3][4], rows[4][4]) == ("检", "检")
    assert "检=产前检查" in rows[-2][0].split("  ") and rows[-2][0].count("=产前检查") == 1
