"""Vendor exports as they really come (docs/导入指南.md): each layout built to the exact header texts the
vendors write, imported, then computed. November 2026 has 25 workdays (Mon-Sat); four punches
08:25 / 12:01 / 13:25 / 17:31 make a clean day, 08:45 is 15 minutes late (ATT-04: counted and fined),
a workday without any punch is a whole day of 旷工 (ATT-06)."""
import datetime as dt

import openpyxl
import pytest
from builders import ROSTER_HEADER, person, workdays, write_book
from test_imports import NOV2, attendance, attlog, clean_month_lines, summary

from kaohe.doors.cli import main
from kaohe.imports.files import clean_name

CLEAN = ("08:25", "12:01", "13:25", "17:31")
LATE = ("08:45", "12:01", "13:25", "17:31")
NOV3 = dt.date(2026, 11, 3)


def day_times(day, late=(), absent=()):
    """The four punches of a day as a list of HH:MM, or none."""
    if day.weekday() == 6 or day in absent:
        return []
    return list(LATE if day in late else CLEAN)


def problems(book):
    return [r[2] for r in openpyxl.load_workbook(book)["问题清单"].iter_rows(min_row=2, values_only=True)]


def imported(book):
    return list(openpyxl.load_workbook(book)["打卡导入"].iter_rows(min_row=2, values_only=True))


def computed(book):
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    return summary(book)


def days_of(month_days=30):
    return [dt.date(2026, 11, d) for d in range(1, month_days + 1)]


# --- 1. the clock's 刷卡记录 report (.xlsx and .xls) ----------------------------------------------

def clock_report_rows():
    """The real layout: labels with spaces and either colon, values two cells to the right, day numbers 1-31."""
    rows = [["刷卡记录"], [None],
            ["考勤日期 : ", "", "2026/11/01 ~ 11/30 (灵动南京)", "", "", "", "", "", "制表时间 : ", "", "2026/11/30"],
            list(range(1, 32))]
    for pin, name, late, absent in (("1", "张三", {NOV2}, ()), ("2", "李四", (), {NOV3})):
        rows.append(["工 号：", "", pin, "", "", "", "", "", "姓 名:", "", name, "", "", "", "", "", "部 门:", "", "客服部"])
        rows.append(["".join(t + "\n" for t in day_times(d, late, absent)) or None for d in days_of()])
    return rows


def test_ATT_04_clock_card_report_xlsx(tmp_path):
    source = write_book(tmp_path / "刷卡记录.xlsx", {"刷卡记录": clock_report_rows()})
    book = attendance(tmp_path)
    assert main(["import", str(book), str(source), "-q"]) == 0  # recognised without --kind
    s = computed(book)
    assert (s["001"]["实出勤天数"], s["001"]["迟到次数"], s["001"]["迟到早退罚款"]) == (25, 1, 20)
    assert (s["002"]["实出勤天数"], s["002"]["旷工天数"]) == (24, 1)


def test_ATT_04_clock_card_report_real_xls(tmp_path):
    from lo import convert  # LibreOffice writes the real OLE .xls
    (tmp_path / "src").mkdir()
    xlsx = write_book(tmp_path / "src" / "刷卡记录.xlsx", {"刷卡记录": clock_report_rows()})
    xls = convert(xlsx, "xls:MS Excel 97", tmp_path / "xls", tmp_path / "profile")
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real OLE file
    book = attendance(tmp_path)
    assert main(["import", str(book), str(xls), "-q"]) == 0
    s = computed(book)
    assert (s["001"]["迟到次数"], s["002"]["旷工天数"], s["002"]["实出勤天数"]) == (1, 1, 24)


# --- 2, 3. attlog with a name column; corrupt lines ------------------------------------------------

def test_attlog_with_name_column_matches_by_pin_then_name(tmp_path):
    lines = [f"1\tKravchen\t{d:%Y-%m-%d} {t}:00\t1\t0" for d in workdays(2026, 11) for t in day_times(d, {NOV2})]
    lines += [f"7\t李四\t{d:%Y-%m-%d} {t}:00\t1\t0" for d in workdays(2026, 11) for t in day_times(d)]
    book = attendance(tmp_path)
    assert main(["import", str(book), str(attlog(tmp_path, lines)), "-q"]) == 0
    assert len(imported(book)) == 200  # PIN 7 is not in 人员对照: matched by the name column
    s = computed(book)
    assert (s["001"]["迟到次数"], s["002"]["实出勤天数"]) == (1, 25)


def test_attlog_corrupt_lines_counted_with_line_numbers(tmp_path):
    good = clean_month_lines(1)  # 100 lines
    lines = good[:10] + ["\x00" * 40] + good[10:20] + ["\x00" * 16 + good[20]] + good[21:]
    lines += ["ZZZZZZZZZZ\t2026-11-03 08:00:00\t1\t0", "        1\t2047-02-30 19:13:30\t1\t0\t1\t0",
              "1971--10--29 -23:-59:-53"]
    book = attendance(tmp_path)
    assert main(["import", str(book), str(attlog(tmp_path, lines)), "-q"]) == 0
    assert len(imported(book)) == 100  # every good line kept, the one behind the NUL run too
    found = [p for p in problems(book) if "不是有效打卡记录" in p]
    assert len(found) == 1 and "有 5 处" in found[0]
    for n in ("第11行", "第22行", "第102行", "第103行", "第104行"):
        assert n in found[0]
    assert computed(book)["001"]["实出勤天数"] == 25


# --- 4. leavers' names ------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["孙磊（已离职）", "孙磊(已离职)", "孙磊（离职）", "孙磊(离职)", "孙磊-离职", "孙磊 (已离职)"])
def test_leaver_marks_are_stripped(raw):
    assert clean_name(raw) == "孙磊"


@pytest.mark.parametrize("shown", ["李四(已离职)", "李四（已离职）", "李四-离职"])
def test_leaver_punches_from_dingtalk_match_the_roster(tmp_path, shown):
    header = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果"]
    rows = [["原始记录"], ["统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 09:00"], header]
    for d in workdays(2026, 11):
        label = f"{d:%y-%m-%d} 星期{'一二三四五六日'[d.weekday()]}"
        rows += [[shown, "总部", "客服部", None, "主管", None, label, "08:30", t, "正常"] for t in day_times(d, absent={NOV3})]
    book = attendance(tmp_path)
    assert main(["import", str(book), str(write_book(tmp_path / "钉钉.xlsx", {"原始记录": rows})), "-q"]) == 0
    s = computed(book)
    assert (s["002"]["实出勤天数"], s["002"]["旷工天数"]) == (24, 1)


# --- 5. DingTalk CSV (UTF-8 with BOM, GBK) ----------------------------------------------------------

DT_TOP = ("姓名,考勤组,部门,工号,职位,UserId,日期,workDate,班次,上班1打卡时间,上班1打卡结果,下班1打卡时间,下班1打卡结果,"
          "上班2打卡时间,上班2打卡结果,下班2打卡时间,下班2打卡结果,请假,,,,,,,,加班总时长,加班时长（转调休）,,")
LEAVE_SUB = "事假(天),病假(天),年假(天),调休(天),婚假(天),产假(天),陪产假(天),路途假(天)"


def dingtalk_csv(tmp_path, encoding, left_packed=False):
    sub = LEAVE_SUB + ",,," if left_packed else "," * 17 + LEAVE_SUB + ",,,"
    lines = ["每日统计 统计日期：2026-11-01 至 2026-11-30", "报表生成时间：2026-12-01 09:00:00", DT_TOP, sub]
    for d in workdays(2026, 11):
        times = day_times(d, late={NOV2})
        epoch = int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)
        cells = [x for t in times for x in (t, "正常")]
        lines.append(",".join(["张三", "总部", "客服部", "", "客服", "0261546233", f"{d:%y-%m-%d} 星期{'一二三四五六日'[d.weekday()]}",
                               str(epoch), "早班 08:30-17:30", *cells, *["0"] * 8, "0", "0", "", ""]))
    path = tmp_path / "钉钉_每日汇总（新）_20261101-20261130.csv"
    path.write_bytes(("\ufeff" if encoding == "utf-8" else "").encode("utf-8") + "\r\n".join(lines).encode(encoding))
    return path


@pytest.mark.parametrize("encoding,left_packed", [("utf-8", False), ("gbk", False), ("utf-8", True), ("utf-16", False)])
def test_dingtalk_daily_summary_csv(tmp_path, encoding, left_packed):
    book = attendance(tmp_path)
    assert main(["import", str(book), str(dingtalk_csv(tmp_path, encoding, left_packed)), "-q"]) == 0
    assert len(imported(book)) == 100
    s = computed(book)["001"]
    assert (s["实出勤天数"], s["迟到次数"], s["迟到早退罚款"]) == (25, 1, 20)


# --- 6. WeCom 打卡时间记录 grid, the year from the file name ----------------------------------------

def wecom_grid(tmp_path, name, first, last, people):
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    rows = [["打卡时间记录"], [f"统计时间:{first:%m-%d} ～ {last:%m-%d}"], ["姓名", "账号", "基础信息", "", "", "打卡时间记录"],
            ["", "", "部门", "职务", "工号"] + [f"{d.day}\n星期{'一二三四五六日'[d.weekday()]}" for d in days]]
    for who, account, emp, cell in people:
        rows.append([who, account, "客服部", "主管", emp] + [cell(d) for d in days])
    return write_book(tmp_path / name, {"打卡时间记录": rows})


def test_wecom_punch_grid_month(tmp_path):
    cell = lambda d: "、".join(day_times(d, absent={NOV2})) or "--"  # noqa: E731
    source = wecom_grid(tmp_path, "上下班打卡_打卡时间记录_20261101-20261130.xlsx", dt.date(2026, 11, 1),
                        dt.date(2026, 11, 30), [("李四", "lisi01", "", cell)])
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("002", "李四")],
                                               "打卡记录": [["工号", "打卡时间"]],
                                               "人员对照": [["工号", "企业微信账号"], ["002", "lisi01"]]})
    assert main(["import", str(book), str(source), "-q"]) == 0
    s = computed(book)["002"]
    assert (s["实出勤天数"], s["旷工天数"]) == (24, 1)


def test_wecom_grid_year_from_file_name_and_id_without_leading_zeros(tmp_path):
    source = wecom_grid(tmp_path, "上下班打卡_打卡时间记录_20260501-20260502.xlsx", dt.date(2026, 5, 1),
                        dt.date(2026, 5, 2), [("王五", "wangwu", "12", lambda d: "09:25、20:00" if d.day == 1 else "--")])
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("0012", "王五五")],
                                               "打卡记录": [["工号", "打卡时间"]]})
    assert main(["import", str(book), str(source), "-q"]) == 0
    got = imported(book)
    assert [(r[0], r[1]) for r in got] == [("0012", dt.datetime(2026, 5, 1, 9, 25)), ("0012", dt.datetime(2026, 5, 1, 20))]
    assert any("去掉前导零" in p and "“12”→工号 0012" in p for p in problems(book))


def test_clock_pin_without_leading_zeros_matches_the_mapping(tmp_path):
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "张三")],
                                               "打卡记录": [["工号", "打卡时间"]],
                                               "人员对照": [["工号", "考勤号码"], ["001", "0012"]]})
    assert main(["import", str(book), str(attlog(tmp_path, clean_month_lines(12))), "-q"]) == 0
    assert {r[0] for r in imported(book)} == {"001"}
    assert any("考勤号码“12”→工号 001" in p for p in problems(book))
    assert computed(book)["001"]["实出勤天数"] == 25


# --- 9. a file that is not what its name says ----------------------------------------------------

def test_fake_xls_says_what_it_really_is(tmp_path, capsys):
    book = attendance(tmp_path)
    before = book.read_bytes()
    fake = tmp_path / "刷卡记录.xls"
    fake.write_text("<html><body><table><tr><td>工号</td></tr></table></body></html>", encoding="utf-8")
    assert main(["import", str(book), str(fake)]) == 2
    err = capsys.readouterr().err
    assert "实际是网页（HTML）文件" in err and "Cfb" not in err
    assert book.read_bytes() == before


def test_xlsx_named_xls_is_read_by_its_content(tmp_path):
    real = write_book(tmp_path / "x.xlsx", {"刷卡记录": clock_report_rows()})
    renamed = real.rename(tmp_path / "刷卡记录.xls")
    book = attendance(tmp_path)
    assert main(["import", str(book), str(renamed), "-q"]) == 0
    assert any("扩展名与内容不符" in p and "Excel 2007+" in p for p in problems(book))
    assert computed(book)["002"]["旷工天数"] == 1


# --- imports accumulate (issue 12, item 12) ---------------------------------------------------------

def dingtalk_raw_for_lisi(tmp_path, name="钉钉原始记录.xlsx"):
    header = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果"]
    rows = [["原始记录"], ["统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 09:00"], header]
    rows += [["李四", "总部", "客服部", None, "主管", "manager7788", f"{d:%y-%m-%d}", "08:30", t, "正常"]
             for d in workdays(2026, 11) for t in day_times(d)]
    return write_book(tmp_path / name, {"原始记录": rows})


def test_imports_accumulate_per_source_and_identical_file_changes_nothing(tmp_path):
    book = attendance(tmp_path)
    clock = attlog(tmp_path, clean_month_lines(1))
    assert main(["import", str(book), str(clock), "-q"]) == 0
    assert main(["import", str(book), str(dingtalk_raw_for_lisi(tmp_path)), "-q"]) == 0
    both = imported(book)
    assert len(both) == 200 and {r[0] for r in both} == {"001", "002"}  # the second import kept the first
    assert len({r[3] for r in both}) == 2 and all(len(r[3]) == 16 for r in both)  # a fingerprint per source
    assert main(["import", str(book), str(clock), "-q"]) == 0
    assert imported(book) == both  # the identical file again changes nothing
    s = computed(book)
    assert (s["001"]["实出勤天数"], s["002"]["实出勤天数"]) == (25, 25)


def test_same_name_new_content_is_a_new_source_and_replace_clears(tmp_path):
    book = attendance(tmp_path)
    assert main(["import", str(book), str(attlog(tmp_path, clean_month_lines(1, skip={NOV2}))), "-q"]) == 0
    # the clock always writes 1_attlog.dat: a later export holds the 2nd's punches, then the same punches again
    later = clean_month_lines(1)
    assert main(["import", str(book), str(attlog(tmp_path, later)), "-q"]) == 0
    rows = imported(book)
    assert len(rows) == 96 + 100 and len({r[3] for r in rows}) == 2
    s = computed(book)["001"]
    assert (s["实出勤天数"], s["旷工天数"]) == (25, 0)  # the same punch from two sources counts once
    assert main(["import", str(book), str(attlog(tmp_path, clean_month_lines(1, skip={NOV2}))), "--replace", "-q"]) == 0
    assert len(imported(book)) == 96
    assert computed(book)["001"]["旷工天数"] == 1


def test_a_file_without_punches_refuses_the_whole_import(tmp_path, capsys):
    book = attendance(tmp_path)
    assert main(["import", str(book), str(attlog(tmp_path, clean_month_lines(1))), "-q"]) == 0
    before = book.read_bytes()
    empty = tmp_path / "2_attlog.dat"
    empty.write_bytes(b"A6XS123456789\r\n")
    assert main(["import", str(book), str(dingtalk_raw_for_lisi(tmp_path)), str(empty)]) == 2
    assert "2_attlog.dat" in capsys.readouterr().err
    assert book.read_bytes() == before  # nothing changed, not even the DingTalk file's punches
    assert main(["import", str(book), str(empty), "--kind", "zkteco"]) == 2
    assert book.read_bytes() == before


# --- 8. 赤兔 custom reports: 延迟统计, 100.00%, 8分48秒, daily files into the month ----------------------

CHITU_HEADER = ["客服昵称", "接待人数", "平均响应(秒)", "回复率", "询单->最终付款转化率", "上班天数", "服务满意度评价参与率",
                "客户满意率"]


def chitu_book(tmp_path):
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人", "别名"],
             ["咨询转化率", 40, "越高越好", 0.6, 0.2, "数据", "询单->最终付款转化率"],
             ["平均响应时间", 30, "越低越好", 20, 60, "数据", "平均响应(秒)"],
             ["回复率", 30, "越高越好", 1, 0.8, "数据", ""]]
    return write_book(tmp_path / "客服绩效.xlsx", {
        "员工名册": [ROSTER_HEADER, person("001", "甲", "网店客服组")], "KPI规则": rules,
        "人员对照": [["工号", "旺旺"], ["001", "甲的旺旺"]], "KPI数据": [["月份", "工号", "自评分"], ["2026-11", "001", 90]]})


def chitu_day(tmp_path, day, row):
    name = f"自定义报表_客服组_下单优先判定_2026-11-{day:02d}至2026-11-{day:02d}.xlsx"
    return write_book(tmp_path / name, {"自定义报表": [CHITU_HEADER, row, ["汇总"] + row[1:]]})


def test_KPI_01_chitu_daily_files_combine_into_the_month(tmp_path):
    book = chitu_book(tmp_path)
    day1 = chitu_day(tmp_path, 1, ["甲的旺旺", 100, "8分48秒", "100.00%", "50.00%", 1, "80.00%", "95.00%"])
    day2 = chitu_day(tmp_path, 2, ["甲的旺旺", 300, 16, "90.00%", "延迟统计", 1, None, None])
    assert main(["import", str(book), str(day1), "-q"]) == 0
    assert main(["import", str(book), str(day2), "-q"]) == 0
    rows = list(openpyxl.load_workbook(book)["KPI导入"].iter_rows(values_only=True))
    assert rows[0] == ("月份", "工号", "接待人数", "平均响应(秒)", "回复率", "询单->最终付款转化率",
                       "来源", "文件指纹", "统计日期", "行类型")
    month, first, second = rows[1:]
    assert first[2:6] == (100, 528, 1, 0.5) and first[-1] == "文件"  # 8分48秒 = 528 s; 100.00% = 1
    assert second[2:6] == (300, 16, 0.9, None)  # 延迟统计: missing
    # 接待人数 summed; 平均响应 (528×100 + 16×300) / 400 = 144; 回复率 (1×100 + 0.9×300) / 400 = 0.925;
    # 转化率 has no 询单人数 to weigh it by: left empty with a finding
    assert month[:6] == ("2026-11", "001", 400, 144, pytest.approx(0.925), None) and month[-2:] == ("2/30天", "月合计")
    found = problems(book)
    assert any("延迟统计" in p and "赤兔尚未统计完成" in p for p in found)
    assert any("询单人数" in p for p in found)
    assert any("只覆盖 2/30 天" in p for p in found)  # a month not fully covered is a 警告
    assert main(["import", str(book), str(day2), "-q"]) == 0
    assert list(openpyxl.load_workbook(book)["KPI导入"].iter_rows(values_only=True)) == rows  # same file: no change


def test_unreadable_rows_of_a_spreadsheet_export_are_counted(tmp_path):
    header = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果"]
    rows = [["原始记录"], ["统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 09:00"], header]
    rows += [["张三", "总部", "客服部", None, "客服", "0261546233", f"{d:%y-%m-%d}", "08:30", t, "正常"]
             for d in workdays(2026, 11) for t in day_times(d)]
    rows.append(["张三", "总部", "客服部", None, "客服", "0261546233", "26-11-30", "17:30", "25:61", "正常"])
    book = attendance(tmp_path)
    assert main(["import", str(book), str(write_book(tmp_path / "钉钉.xlsx", {"原始记录": rows})), "-q"]) == 0
    assert len(imported(book)) == 100
    assert any("有 1 处不是有效打卡记录" in p and f"第{len(rows)}行打卡时间无法识别“25:61”" in p for p in problems(book))


def test_ATT_02_night_shift_morning_punch_in_the_next_days_column(tmp_path):
    """A grid puts the night shift's 06:03 out punch in the next day's column, without 次日: the punch
    stays on its date and the engine's shift rule gives it to the night shift (ATT-02)."""
    mon, tue, wed = dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)
    cells = {mon: "21:55", tue: "06:03", wed: "06:10、14:02"}
    source = wecom_grid(tmp_path, "上下班打卡_打卡时间记录_20261101-20261130.xlsx", dt.date(2026, 11, 1),
                        dt.date(2026, 11, 30), [("张三", "zs01", "", lambda d: cells.get(d, "--"))])
    book = write_book(tmp_path / "考勤.xlsx", {
        "员工名册": [ROSTER_HEADER, person("001", "张三", system="综合工时")], "打卡记录": [["工号", "打卡时间"]],
        "人员对照": [["工号", "企业微信账号"], ["001", "zs01"]],
        "班次": [["班次", "时段1开始", "时段1结束"], ["夜班", dt.time(22), dt.time(6)], ["早班", dt.time(6), dt.time(14)]],
        "排班": [["工号", "日期", "班次"], ["001", mon, "夜班"], ["001", wed, "早班"]]})
    assert main(["import", str(book), str(source), "-q"]) == 0
    assert (("001", dt.datetime(2026, 11, 3, 6, 3))) in [(r[0], r[1]) for r in imported(book)]
    s = computed(book)["001"]
    assert (s["应出勤天数"], s["旷工天数"], s["缺卡次数"]) == (2, 0, 0)  # both shifts complete
    daily = list(openpyxl.load_workbook(book)["每日明细"].iter_rows(values_only=True))
    night = next(dict(zip(daily[0], r)) for r in daily[1:] if r[3].date() == mon)
    assert night["上午下班"] == dt.time(6, 3) and night["旷工天数"] == 0  # the night shift ended 06:03


def test_password_protected_export_is_named_as_such(tmp_path, capsys):
    import msoffcrypto

    plain = write_book(tmp_path / "plain.xlsx", {"刷卡记录": clock_report_rows()})
    locked = tmp_path / "刷卡记录.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as out:
        msoffcrypto.OfficeFile(src).encrypt("secret", out)
    book = attendance(tmp_path)
    before = book.read_bytes()
    assert main(["import", str(book), str(locked)]) == 2
    assert "设有打开密码" in capsys.readouterr().err and book.read_bytes() == before


def test_clock_report_person_without_id_is_not_read_as_the_next_label(tmp_path):
    rows = clock_report_rows()
    rows[4][2] = ""  # 张三's 工号 left empty by the clock
    book = attendance(tmp_path)
    assert main(["import", str(book), str(write_book(tmp_path / "刷卡记录.xlsx", {"刷卡记录": rows})), "-q"]) == 0
    assert {r[0] for r in imported(book)} == {"001", "002"}  # 张三 found by name, not as 考勤号码 "姓 名:"


def test_the_punch_sheet_wins_over_a_summary_sheet_before_it(tmp_path):
    summary_rows = clock_report_rows()[:4] + [["工 号：", "", "1", "", "", "", "", "", "姓 名:", "", "张三"],
                                              ["08:30\n17:30"] * 30]  # a schedule sheet: times, but not punches
    source = write_book(tmp_path / "刷卡记录.xlsx", {"排班信息": summary_rows, "刷卡记录": clock_report_rows()})
    book = attendance(tmp_path)
    assert main(["import", str(book), str(source), "-q"]) == 0
    assert computed(book)["001"]["迟到次数"] == 1  # read from 刷卡记录, not 排班信息


def test_attlog_renamed_csv_is_still_an_attlog(tmp_path):
    renamed = attlog(tmp_path, clean_month_lines(1)).rename(tmp_path / "考勤机导出.csv")
    book = attendance(tmp_path)
    assert main(["import", str(book), str(renamed), "-q"]) == 0
    assert computed(book)["001"]["实出勤天数"] == 25


def test_ATT_03_a_file_of_unknown_ids_is_refused_with_the_ids_not_taken_as_already_imported(tmp_path, capsys):
    book = attendance(tmp_path)
    before = book.read_bytes()
    assert main(["import", str(book), str(attlog(tmp_path, clean_month_lines(99))), "-q"]) == 2
    err = capsys.readouterr().err
    assert "100 条打卡没有一条对得上员工" in err and "考勤号码“99”" in err
    assert book.read_bytes() == before
