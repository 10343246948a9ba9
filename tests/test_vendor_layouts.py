"""The clocks' own PC software, DingTalk's real 打卡时间 and the other layouts HR really gets (docs/导入指南.md).

Each file is written the way its producer writes it: .xls through xlwt (a BIFF8 writer, as the clocks and
their PC software write them; ZKTime 5.0's with the CODEPAGE record it really carries), .xlsx through
openpyxl with the merged header cells DingTalk writes. Expected figures are worked out by hand from the
rules: 08:25 / 12:01 / 13:25 / 17:31 is a clean day (sessions 08:30-12:00, 13:30-17:30), 08:45 is 15
minutes late (fined 20), a workday without any punch is a day of 旷工; base 4350 is 25.00 an hour.
"""
import datetime as dt
import io
import re
import struct
from pathlib import Path

import openpyxl
import pytest
import xlwt
from builders import ROSTER_HEADER, person, workdays, write_book
from test_imports import attendance, summary

from kaohe.doors.cli import main
from kaohe.imports import read_source, refusal
from kaohe.imports.layout import day_punches, grid_dates, report_span

CLEAN = ("08:25", "12:01", "13:25", "17:31")
LATE = ("08:45", "12:01", "13:25", "17:31")
WEEKDAY = "一二三四五六日"
ROOT = Path(__file__).resolve().parents[1]


def imported(book):
    return list(openpyxl.load_workbook(book)["打卡导入"].iter_rows(min_row=2, values_only=True))


def problems(book):
    return [r[2] for r in openpyxl.load_workbook(book)["问题清单"].iter_rows(min_row=2, values_only=True)]


def computed(book, month):
    assert main(["compute-month", str(book), "--month", month, "-q"]) == 0
    return summary(book)


def daily(book, day):
    rows = list(openpyxl.load_workbook(book)["每日明细"].iter_rows(values_only=True))
    return {r[0]: dict(zip(rows[0], r)) for r in rows[1:] if r[3].date() == day}


def times_of(day, late=(), absent=()):
    """The four punches of a Mon-Sat day (none on Sundays or ``absent`` days), late on ``late`` days."""
    if day.weekday() == 6 or day in absent:
        return []
    return list(LATE if day in late else CLEAN)


def stamps(emp, day, times):
    return {(emp, dt.datetime.combine(day, dt.time.fromisoformat(t))) for t in times}


def write_xls(path, sheets, merges=()):
    """An .xls written by xlwt: ``{sheet: rows}``; ``merges`` (sheet, r1, r2, c1, c2, text) as merged cells."""
    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        merged = {(r1, c1) for s, r1, r2, c1, c2, text in merges if s == name}
        for _, r1, r2, c1, c2, text in (m for m in merges if m[0] == name):
            ws.write_merge(r1, r2, c1, c2, text)
        for r, row in enumerate(rows):
            for col, value in enumerate(row):
                if value not in (None, "") and (r, col) not in merged:
                    ws.write(r, col, value)
    wb.save(str(path))
    return path


# --- ZKTime 5.0 原始记录 .xls: CODEPAGE 1252, strings in UTF-16 ---------------------------------------

ZKTIME_HEADER = ["部门", "姓名", "考勤号码", "日期时间", "记录状态", "机器号", "编号", "工种代码", "比对方式", "卡号"]
NOV2, NOV3 = dt.date(2026, 11, 2), dt.date(2026, 11, 3)


def zktime_xls(tmp_path):
    """ZKTime 5.0's export: xlwt writes BIFF8 with CODEPAGE 1200; ZKTime's file says 1252 with the same
    UTF-16 strings. Patching the one record makes exactly that file."""
    rows = [ZKTIME_HEADER]
    for pin, name, late, absent in (("1", "张三", {NOV2}, ()), ("2", "李四", (), {NOV3})):
        for day in workdays(2026, 11):
            for k, t in enumerate(times_of(day, late, absent)):
                rows.append(["客服部", name, pin, f"{day:%Y/%m/%d} {t}:00", "上班签到" if k % 2 == 0 else "下班签退",
                             1, None, None, "指纹", None])
    path = write_xls(tmp_path / "原始记录.xls", {"原始记录": rows})
    data = path.read_bytes()
    codepage = struct.pack("<HHH", 0x42, 2, 1200)
    assert data.count(codepage) == 1
    path.write_bytes(data.replace(codepage, struct.pack("<HHH", 0x42, 2, 1252)))
    return path


def test_zktime_xls_with_codepage_1252_and_utf16_strings(tmp_path):
    import python_calamine

    source = zktime_xls(tmp_path)
    book_rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source.read_bytes()))
    garbled = book_rows.get_sheet_by_index(0).to_python()[0]
    assert garbled[0] == "è\x90è•" and "考勤号码" not in garbled  # the fixture is the file that broke calamine
    book = attendance(tmp_path)
    assert main(["import", str(book), str(source), "-q"]) == 0
    assert len(imported(book)) == 2 * 25 * 4 - 4  # 25 workdays of four punches each, 李四 none on 3 Nov
    s = computed(book, "2026-11")
    assert (s["001"]["实出勤天数"], s["001"]["迟到次数"], s["001"]["迟到早退罚款"]) == (25, 1, 20)
    assert (s["002"]["实出勤天数"], s["002"]["旷工天数"]) == (24, 1)


def test_text_that_cannot_be_decoded_is_named_not_the_headers(tmp_path):
    """What a reader that decodes by the code page returns for the ZKTime file: the refusal says the text
    could not be decoded, and lists no header the user can plainly see in the file."""
    import python_calamine

    source = zktime_xls(tmp_path)
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source.read_bytes()))
    sheets = [(n, wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names]
    message = refusal.unrecognised(source, sheets).zh
    assert "文字无法解码" in message and "另存为 .xlsx" in message
    assert "考勤号码" not in message and "日期时间" not in message


# --- DingTalk 打卡时间: the day row under the header, holiday names, an after-midnight punch ------------

JUNE = [dt.date(2026, 6, d) for d in range(1, 31)]
DRAGON_BOAT = {dt.date(2026, 6, d) for d in (19, 20, 21)}  # 端午节 break (Fri-Sun)
JUN10, JUN11 = dt.date(2026, 6, 10), dt.date(2026, 6, 11)


def june_workdays():
    return [d for d in JUNE if d.weekday() != 6 and d not in DRAGON_BOAT]  # 24 days


def day_label(day):
    """DingTalk's day row: 端午节 on the days of the break, 六 / 日 on weekends, else the day number."""
    if day in DRAGON_BOAT:
        return "端午节"
    return {5: "六", 6: "日"}.get(day.weekday(), day.day)


def dingtalk_times_xlsx(tmp_path, cells):
    """The 打卡时间 sheet as DingTalk writes it: title and generation rows merged across, 姓名 … UserId merged
    over rows 3-4, 打卡时间 merged over the day columns of row 3, the day labels in row 4."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "打卡时间"
    last = 6 + len(JUNE)
    ws.append(["打卡时间表 统计日期：2026-06-01 至 2026-06-30"])
    ws.append(["报表生成时间：2026-07-01 09:12"])
    ws.append(["姓名", "考勤组", "部门", "工号", "职位", "UserId", "打卡时间"])
    ws.append([None] * 6 + [day_label(d) for d in JUNE])
    for name, user, cell in (("张三", "0261546233", cells), ("李四", "manager7788", lambda d: None)):
        ws.append([name, "总部", "客服部", None, "客服", user]
                  + [cell(d) or ("\n".join(CLEAN) if d in june_workdays() else None) for d in JUNE])
    ws.merge_cells(start_row=1, end_row=1, start_column=1, end_column=last)
    ws.merge_cells(start_row=2, end_row=2, start_column=1, end_column=last)
    for col in range(1, 7):
        ws.merge_cells(start_row=3, end_row=4, start_column=col, end_column=col)
    ws.merge_cells(start_row=3, end_row=3, start_column=7, end_column=last)
    path = tmp_path / "钉钉_打卡时间_20260601-20260630.xlsx"
    wb.save(path)
    return path


def overnight_cells(day):
    """张三: on 10 June the afternoon runs on to 02:18 (DingTalk writes it last in the 10th's cell, no 次日);
    on 11 June he comes in at 08:45."""
    return {JUN10: "08:25\n12:01\n13:25\n02:18", JUN11: "\n".join(LATE)}.get(day)


def test_dingtalk_punch_times_day_row_under_header_with_holiday_names(tmp_path):
    book = attendance(tmp_path)
    source = dingtalk_times_xlsx(tmp_path, overnight_cells)  # built once: a rebuilt zip carries another timestamp
    assert main(["import", str(book), str(source), "-q"]) == 0
    rows = imported(book)
    assert len(rows) == 2 * 24 * 4  # every workday, 22-30 June after 端午节 too
    assert ("002", dt.datetime(2026, 6, 30, 17, 31)) in [(r[0], r[1]) for r in rows]
    pinned = [(r[0], r[1], r[4]) for r in rows if r[4] is not None]
    assert pinned == [("001", dt.datetime(2026, 6, 11, 2, 18), dt.datetime(2026, 6, 10))]  # 归属日期 10 June
    assert main(["import", str(book), str(source), "-q"]) == 0
    assert imported(book) == rows  # read back with its 归属日期: the same file again changes nothing


def test_times_after_midnight_in_a_dingtalk_cell():
    """Every time from the first one earlier than the time before it is on the next date, on the cell's 考勤日;
    so is a 次日 time. Other grids leave a cell's times on its date."""
    day = dt.date(2026, 6, 10)
    at = lambda d, h, m: dt.datetime(2026, 6, d, h, m)  # noqa: E731
    assert day_punches(day, "08:25\n16:30\n02:18\n03:05", 5, overnight=True) == [
        at(10, 8, 25), at(10, 16, 30), (at(11, 2, 18), day), (at(11, 3, 5), day)]
    assert day_punches(day, "21:55\n次日 01:10", 5, overnight=True) == [at(10, 21, 55), (at(11, 1, 10), day)]
    assert day_punches(day, "16:30\n02:18", 5) == [at(10, 16, 30), at(10, 2, 18)]


OT_HEADER = ["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "总经理审批", "类型", "补偿方式"]


def test_after_midnight_punch_ends_the_day_before_in_compute_month(tmp_path):
    """Hand-worked June 2026 for 张三 (24 workdays: 30 days less 4 Sundays and 19-20 June of the 端午节 break):
    10 June: 13:25 to 02:18 is the afternoon (no early leave, no missing punch); overtime approved 18:00-02:00
    lies inside it: 8 h x 25.00 x 1.5 (workday) = 300.00. 11 June: in at 08:45, 15 minutes late, fined 20.
    Were 02:18 the 11th's first punch, the 11th would look on time and the 10th would lack its out-punch."""
    source = dingtalk_times_xlsx(tmp_path, overnight_cells)
    book = write_book(tmp_path / "考勤.xlsx", {
        "员工名册": [ROSTER_HEADER, person("001", "张三"), person("002", "李四")],
        "打卡记录": [["工号", "打卡时间"]],
        "人员对照": [["工号", "钉钉UserId"], ["001", "0261546233"], ["002", "manager7788"]],
        "加班申请": [OT_HEADER, ["001", JUN10, dt.time(18), dt.time(2), "是", "是", None, "加班", "加班费"]]})
    assert main(["import", str(book), str(source), "-q"]) == 0
    s = computed(book, "2026-06")["001"]
    assert (s["应出勤天数"], s["实出勤天数"], s["缺卡次数"], s["旷工天数"]) == (24, 24, 0, 0)
    assert (s["迟到次数"], s["迟到早退罚款"]) == (1, 20)
    assert (s["加班小时"], s["加班费"]) == (8, 300)
    tenth, eleventh = daily(book, JUN10)["001"], daily(book, JUN11)["001"]
    assert (tenth["下午上班"], tenth["下午下班"], tenth["早退分钟"]) == (dt.time(13, 25), dt.time(2, 18), 0)
    assert (eleventh["上午上班"], eleventh["迟到分钟"]) == (dt.time(8, 45), 15)


def test_day_row_starting_with_a_holiday_name():
    """May 2026 in DingTalk's day row: 劳动节 for 1-5 May (Fri-Tue), then numbers, 六 and 日."""
    may = [dt.date(2026, 5, d) for d in range(1, 32)]
    row = [None] * 6 + ["劳动节" if d.day <= 5 else {5: "六", 6: "日"}.get(d.weekday(), d.day) for d in may]
    assert grid_dates(row, may[0], 6, may[-1]) == {6 + k: d for k, d in enumerate(may)}
    assert grid_dates(row, may[0], 5, may[-1]) == {}  # the day columns start where the first day is
    row[6 + 12] = 12  # 13 May (a Wednesday) labelled 12: the row ends before it
    assert list(grid_dates(row, may[0], 6, may[-1]).values()) == may[:12]


# --- the clock's 4-day USB report (考勤记录表) ---------------------------------------------------------

MAR2 = dt.date(2026, 3, 2)
FOUR_DAYS = [MAR2 + dt.timedelta(days=k) for k in range(4)]  # Mon 2 - Thu 5 March


def usb_report(tmp_path):
    """The device's report on a USB stick: sheets 排班信息, 考勤汇总, 考勤记录, 异常统计 (.xls). 考勤记录 has
    the range row, the day numbers 2-5, then per person a label row and a row of that day's punches."""
    mar3, mar4 = FOUR_DAYS[1], FOUR_DAYS[2]
    records = [["考勤记录表"], [],
               ["考勤日期:", "", "2026-03-02 ~ 2026-03-05", "", "", "", "制表时间:", "", "2026-03-06 10:12:40"],
               [d.day for d in FOUR_DAYS]]
    for pin, name, late, absent in (("1", "张三", {mar3}, ()), ("2", "李四", (), {mar4})):
        records.append(["工 号:", "", pin, "", "姓 名:", "", name, "", "部 门:", "", "公司"])
        records.append(["\n".join(times_of(d, late, absent)) for d in FOUR_DAYS])
    schedule = [["排班信息表"], ["考勤日期:", "", "2026-03-02 ~ 2026-03-05"], ["工号", "姓名", "部门"] + [d.day for d in FOUR_DAYS],
                ["1", "张三", "公司"] + ["1"] * 4, ["2", "李四", "公司"] + ["1"] * 4]
    totals = [["考勤汇总表"], ["工号", "姓名", "部门", "出勤天数", "迟到次数", "迟到分钟", "早退次数", "旷工天数"],
              ["1", "张三", "公司", 4, 1, 15, 0, 0], ["2", "李四", "公司", 3, 0, 0, 0, 1]]
    odd = [["异常统计表"], ["工号", "姓名", "部门", "日期", "上班1", "下班1", "上班2", "下班2", "迟到时间(分钟)"],
           ["1", "张三", "公司", "2026-03-03", "08:45", "12:01", "13:25", "17:31", 15]]
    return write_xls(tmp_path / "考勤报表.xls", {"排班信息": schedule, "考勤汇总": totals, "考勤记录": records,
                                               "异常统计": odd})


def test_clock_report_of_four_days(tmp_path):
    book = attendance(tmp_path)
    assert main(["import", str(book), str(usb_report(tmp_path)), "-q"]) == 0
    want = set()
    for emp, late, absent in (("001", {FOUR_DAYS[1]}, ()), ("002", (), {FOUR_DAYS[2]})):
        for day in FOUR_DAYS:
            want |= stamps(emp, day, times_of(day, late, absent))
    assert {(r[0], r[1]) for r in imported(book)} == want and len(want) == 28


# --- the Smack firmware's 员工刷卡记录表 ------------------------------------------------------------

MARCH = [dt.date(2026, 3, d) for d in range(1, 32)]


def smack_xls(tmp_path):
    """Title '员 工 刷 卡 记 录 表' merged over rows 1-5; 考勤日期 and 制表时间 at the right; per person a
    工号：/姓名：/部门： row, the day numbers 1-31 (then 上班时间, 加班小时), the punch row, a blank row."""
    merges = [("员工刷卡记录", 0, 4, 8, 23, "员 工 刷 卡 记 录 表"),
              ("员工刷卡记录", 2, 2, 25, 31, "考勤日期：2026-3-1～2026-3-31"),
              ("员工刷卡记录", 3, 3, 25, 31, "制表时间：2026-4-1 09:00:00")]
    rows = [[] for _ in range(5)]
    for pin, name, late, absent in (("1", "张三", {MAR2}, ()), ("2", "李四", (), {dt.date(2026, 3, 3)})):
        at = len(rows)
        merges += [("员工刷卡记录", at, at, 1, 2, "工号："), ("员工刷卡记录", at, at, 9, 10, "姓名："),
                   ("员工刷卡记录", at, at, 16, 17, "部门："), ("员工刷卡记录", at, at, 18, 19, "客服部")]
        label = [None] * 34
        label[3], label[11] = pin, name
        punches = [None] + ["\n".join(times_of(d, late, absent)) for d in MARCH] + ["", ""]
        rows += [label, [None] + [str(d) for d in range(1, 32)] + ["上班时间", "加班小时"], punches, []]
    return write_xls(tmp_path / "员工刷卡记录表.xls", {"员工刷卡记录": rows}, merges)


def test_smack_card_record_with_day_numbers_per_person(tmp_path):
    """March 2026: 26 workdays (31 days less 5 Sundays); 张三 late on the 2nd, 李四 absent on the 3rd."""
    book = attendance(tmp_path)
    assert main(["import", str(book), str(smack_xls(tmp_path)), "-q"]) == 0
    assert len(imported(book)) == 26 * 4 + 25 * 4
    s = computed(book, "2026-03")
    assert (s["001"]["实出勤天数"], s["001"]["迟到次数"], s["001"]["迟到早退罚款"]) == (26, 1, 20)
    assert (s["002"]["实出勤天数"], s["002"]["旷工天数"]) == (25, 1)


# --- date and time in separate columns; all of a day's times in one cell ---------------------------

def test_split_date_and_time_columns(tmp_path):
    """A row per punch: 刷卡日期 | 刷卡时间 (text, as the PC software writes them), 工号 = the clock's number."""
    rows = [["序号", "工号", "姓名", "部门", "刷卡日期", "刷卡时间", "设备名称"]]
    for pin, name, late, absent in (("1", "张三", {NOV2}, ()), ("2", "李四", (), {NOV3})):
        rows += [[len(rows), pin, name, "客服部", f"{d:%Y-%m-%d}", f"{t}:00", "前台考勤机"]
                 for d in workdays(2026, 11) for t in times_of(d, late, absent)]
    book = attendance(tmp_path)
    assert main(["import", str(book), str(write_xls(tmp_path / "刷卡明细.xls", {"Sheet1": rows})), "-q"]) == 0
    assert len(imported(book)) == 2 * 25 * 4 - 4
    s = computed(book, "2026-11")
    assert (s["001"]["迟到次数"], s["001"]["迟到早退罚款"], s["002"]["旷工天数"], s["002"]["实出勤天数"]) == (1, 20, 1, 24)


def test_many_times_in_one_cell(tmp_path):
    """A row per person and day: 考勤日期 (a date cell) and 考勤时间 holding the day's times two spaces apart."""
    rows = [["设备工号", "员工工号", "姓名", "部门", "考勤日期", "考勤时间"]]
    for pin, emp, name, late, absent in (("1", "001", "张三", {NOV2}, ()), ("2", "002", "李四", (), {NOV3})):
        for d in workdays(2026, 11):
            times = times_of(d, late, absent)
            if times:
                rows.append([pin, emp, name, "客服部", d, "  ".join(f"{t}:34" for t in times)])
    book = attendance(tmp_path)
    assert main(["import", str(book), str(write_book(tmp_path / "考勤明细.xlsx", {"考勤明细": rows})), "-q"]) == 0
    assert ("001", dt.datetime(2026, 11, 2, 8, 45, 34)) in [(r[0], r[1]) for r in imported(book)]
    s = computed(book, "2026-11")
    assert (s["001"]["迟到次数"], s["002"]["旷工天数"], s["002"]["实出勤天数"]) == (1, 1, 24)


def test_dingtalk_raw_without_userid_is_not_read_by_its_scheduled_times(tmp_path, capsys):
    """考勤日期 and 考勤时间 beside 打卡时间 are DingTalk's (考勤时间 is the schedule): never read as punches."""
    rows = [["原始记录"], ["姓名", "考勤组", "部门", "工号", "考勤日期", "考勤时间", "打卡时间", "打卡结果"],
            ["张三", "总部", "客服部", None, "26-11-02 星期一", "08:30", "08:45", "迟到"]]
    book = attendance(tmp_path)
    assert main(["import", str(book), str(write_book(tmp_path / "钉钉.xlsx", {"原始记录": rows}))]) == 2
    err = capsys.readouterr().err
    assert "工作表“原始记录”第1–3行" in err and "最接近的是工作表“原始记录”的钉钉原始记录" in err
    assert "有 考勤日期、打卡时间，缺少 UserId" in err


# --- WeCom 打卡时间记录 whose file name lost its date range -------------------------------------------

def test_wecom_grid_year_from_the_sheets_made_date(tmp_path):
    """统计时间:03-01 ～ 03-31 and 制表时间:2026-04-24: March 2026 (26 workdays); 李四 has no punch on the 2nd."""
    days = MARCH
    rows = [["打卡时间记录"], ["统计时间:03-01 ～ 03-31     制表时间:2026-04-24 10:12"],
            ["姓名", "账号", "基础信息", "", "", "打卡时间记录"],
            ["", "", "部门", "职务", "工号"] + [f"{d.day}\n星期{WEEKDAY[d.weekday()]}" for d in days],
            ["李四", "lisi01", "客服部", "主管", ""] + ["、".join(times_of(d, absent={MAR2})) or "--" for d in days]]
    source = write_book(tmp_path / "上下班打卡_打卡时间记录.xlsx", {"打卡时间记录": rows})
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("002", "李四")],
                                               "打卡记录": [["工号", "打卡时间"]],
                                               "人员对照": [["工号", "企业微信账号"], ["002", "lisi01"]]})
    assert main(["import", str(book), str(source), "-q"]) == 0
    s = computed(book, "2026-03")["002"]
    assert (s["实出勤天数"], s["旷工天数"]) == (25, 1)


@pytest.mark.parametrize("title,span", [
    ("统计时间:12-01 ～ 12-31     制表时间:2027-01-05 08:00", (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
    ("统计时间:12-26 ～ 01-25     制表时间:2027-02-01 08:00", (dt.date(2026, 12, 26), dt.date(2027, 1, 25))),
    ("统计时间:03-01 ～ 03-31     制表时间:2026-03-31 18:00", (dt.date(2026, 3, 1), dt.date(2026, 3, 31))),
])
def test_year_puts_the_range_end_on_or_before_the_made_date(title, span):
    assert report_span([["打卡时间记录"], [title]], Path("打卡.xlsx")) == span


# --- what a refusal says ------------------------------------------------------------------------------

def test_no_punch_names_the_sheet_and_rows_read(tmp_path, capsys):
    rows = [["刷卡记录"], [None], ["考勤日期 : ", "", "2026/11/01 ~ 11/30"], list(range(1, 31)),
            ["工 号：", "", "1", "", "姓 名:", "", "张三"], [None] * 30]
    source = write_book(tmp_path / "刷卡记录.xlsx", {"刷卡记录": rows})
    book = attendance(tmp_path)
    assert main(["import", str(book), str(source)]) == 2
    assert "没有读到任何打卡（按clock-report格式读取了工作表“刷卡记录”第1–5行）" in capsys.readouterr().err


def test_unrecognised_file_names_the_sheets_read(tmp_path):
    source = write_book(tmp_path / "x.xlsx", {"工资": [["编号", "金额"], [1, 2]], "备注": [["说明"]]})
    with pytest.raises(Exception) as refused:
        read_source(source)
    assert "工作表“工资”第1–2行、工作表“备注”第1行中没有任何一种格式的表头" in refused.value.zh


# --- the guide names the test that reads each format -----------------------------------------------

def test_every_format_in_the_guide_names_a_test_that_exists():
    guide = (ROOT / "docs" / "导入指南.md").read_text(encoding="utf-8")
    table = guide[guide.index("## 〇、格式一览"):guide.index("## 一、")]
    named = re.findall(r"`(tests/test_\w+\.py)::(test_\w+)`", table)
    assert len(named) >= 16
    for path, test in named:
        assert re.search(rf"^def {test}\(", (ROOT / path).read_text(encoding="utf-8"), re.M), (path, test)
