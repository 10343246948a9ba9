"""Punches in right, and HR's typing read as meant (docs/导入指南.md, docs/工作簿约定.md).

November 2026 has 25 workdays (Mon-Sat); a base wage of 4350 makes a daily wage of 200 (4350 / 21.75) and an
hourly wage of 25 (/ 8). Four punches 08:25 / 12:01 / 13:25 / 17:31 make a clean day against the schedule
08:30-12:00, 13:30-17:30. Lateness and early leave: 1-30 minutes are fined 20 (ATT-04), more than 30 are half
a day of 旷工; a missing punch is fined 20 (ATT-05); a workday without any punch is a day of 旷工 = 200.
"""
import datetime as dt

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book
from test_imports import attendance, attlog, summary

from kaohe.doors.cli import main
from kaohe.engine.inputs import nearest_year
from kaohe.jobs.slips import slips_job
from kaohe.values import parse_month_day

NOV = "2026-11"
CLEAN = ("08:25", "12:01", "13:25", "17:31")


def D(day, month=11, year=2026):
    return dt.date(year, month, day)


def rows_of(book, sheet):
    rows = list(openpyxl.load_workbook(book)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def problems(book):
    return rows_of(book, "问题清单")


def daily_note(book, emp, day):
    return next(r["说明"] for r in rows_of(book, "每日明细") if r["工号"] == emp and r["日期"].date() == day) or ""


def computed(book, month=NOV):
    assert main(["compute-month", str(book), "--month", month, "-q"]) == 0
    return summary(book)


# --- 1. DingTalk 考勤报表: 打卡无效, 补卡审批, 管理员修改 ------------------------------------------------------

RAW_HEADER = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果",
              "打卡地址", "打卡备注", "异常打卡原因", "打卡图片1", "打卡图片2", "打卡设备", "管理员修改备注"]
ZHANG, LI, WANG = ("张三", "0261546233"), ("李四", "manager7788"), ("王五", "wangwu5")
SCHEDULE = ("08:30", "12:00", "13:30", "17:30")  # DingTalk's 考勤时间 of the four punches


def raw(who, day, scheduled, at, result="正常", device="考勤机", note=None):
    """One 原始记录 row as DingTalk writes it (工号 left empty, the person keyed by UserId)."""
    label = f"{day:%y-%m-%d} 星期{'一二三四五六日'[day.weekday()]}"
    return [who[0], "总部", "客服部", None, "客服", who[1], label, scheduled, at, result, "南京市玄武区", None, None,
            None, None, device, note]


# Each day's rows that differ from four clean clock punches: {(person, day): rows}
DINGTALK_DAYS = {
    # 张三 was late at 08:52; his 补卡 was approved at 08:30, DingTalk marks the 08:52 punch superseded.
    (ZHANG, D(4)): [raw(ZHANG, D(4), "08:30", "08:52", "打卡无效:此记录已被更新", "手机_iPhone"),
                    raw(ZHANG, D(4), "08:30", "08:30", "补卡审批通过", "补卡审批")]
    + [raw(ZHANG, D(4), s, t) for s, t in zip(SCHEDULE[1:], CLEAN[1:])],
    # a second punch refused as a repeat
    (ZHANG, D(9)): [raw(ZHANG, D(9), s, t) for s, t in zip(SCHEDULE, CLEAN)]
    + [raw(ZHANG, D(9), "08:30", "08:55", "打卡无效:已经打过卡了，不能重复打卡")],
    # 08:20 was outside the office and superseded by the valid, late 08:45
    (ZHANG, D(10)): [raw(ZHANG, D(10), "08:30", "08:20", "打卡无效:此记录已被更新", "手机_iPhone"),
                     raw(ZHANG, D(10), "08:30", "08:45", "迟到")]
    + [raw(ZHANG, D(10), s, t) for s, t in zip(SCHEDULE[1:], CLEAN[1:])],
    # 李四's 16:50 下班 was refused by the app and he never punched out
    (LI, D(3)): [raw(LI, D(3), s, t) for s, t in zip(SCHEDULE[:3], CLEAN[:3])]
    + [raw(LI, D(3), "17:30", "16:50", "打卡无效:管理员设置了下班前10分钟才能打下班卡")],
    # 王五 forgot to punch out; his 补卡 was approved at 18:00
    (WANG, D(5)): [raw(WANG, D(5), s, t) for s, t in zip(SCHEDULE[:3], CLEAN[:3])]
    + [raw(WANG, D(5), "17:30", "18:00", "补卡审批通过", "补卡审批")],
    # an administrator entered 王五's morning punch at 08:40
    (WANG, D(6)): [raw(WANG, D(6), "08:30", "08:40", "管理员王芳改为正常", "管理员修改", "忘带手机")]
    + [raw(WANG, D(6), s, t) for s, t in zip(SCHEDULE[1:], CLEAN[1:])],
}


def dingtalk_report(tmp_path):
    """钉钉考勤报表 with 每日统计 (DingTalk's order: before 原始记录) and 原始记录, title rows as DingTalk writes them."""
    raw_rows = [["原始记录"], ["统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 09:00"], RAW_HEADER]
    daily = [["每日统计 统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 09:00"],
             ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "日期", "班次", "上班1打卡时间", "上班1打卡结果",
              "下班1打卡时间", "下班1打卡结果", "上班2打卡时间", "上班2打卡结果", "下班2打卡时间", "下班2打卡结果"]]
    for day in workdays(2026, 11):
        for who in (ZHANG, LI, WANG):
            rows = DINGTALK_DAYS.get((who, day)) or [raw(who, day, s, t) for s, t in zip(SCHEDULE, CLEAN)]
            raw_rows += rows
            daily.append([who[0], "总部", "客服部", None, "客服", who[1], f"{day:%y-%m-%d} 星期{'一二三四五六日'[day.weekday()]}",
                          "早班 08:30-17:30"] + [x for t in CLEAN for x in (t, "正常")])
    return write_book(tmp_path / "钉钉考勤报表_20261101-20261130.xlsx", {"每日统计": daily, "原始记录": raw_rows})


def dingtalk_book(tmp_path):
    roster = [ROSTER_HEADER, person("001", "张三"), person("002", "李四"), person("003", "王五")]
    mapping = [["工号", "钉钉UserId"], ["001", ZHANG[1]], ["002", LI[1]], ["003", WANG[1]]]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": [["工号", "打卡时间"]], "人员对照": mapping})


def test_ATT_05_dingtalk_report_invalid_makeup_and_admin_rows(tmp_path):
    book = dingtalk_book(tmp_path)
    assert main(["import", str(book), str(dingtalk_report(tmp_path)), "-q"]) == 0
    imported = rows_of(book, "打卡导入")
    # 75 workdays × 4 = 300 punches; 李四's refused 16:50 is none: 299 rows, of which two 补卡 and one 管理员修改.
    assert len(imported) == 299
    kinds = sorted((r["工号"], r["打卡时间"], r["类型"]) for r in imported if r["类型"])
    assert kinds == [("001", dt.datetime(2026, 11, 4, 8, 30), "补卡审批"), ("003", dt.datetime(2026, 11, 5, 18, 0), "补卡审批"),
                     ("003", dt.datetime(2026, 11, 6, 8, 40), "管理员修改")]  # read from 原始记录, not 每日统计
    stamps = {(r["工号"], r["打卡时间"]) for r in imported}
    assert not {("001", dt.datetime(2026, 11, 4, 8, 52)), ("001", dt.datetime(2026, 11, 10, 8, 20)),
                ("001", dt.datetime(2026, 11, 9, 8, 55)), ("002", dt.datetime(2026, 11, 3, 16, 50))} & stamps
    found = [p for p in problems(book) if "不是有效打卡" in p["问题"]]
    assert len(found) == 1 and found[0]["级别"] == "提示" and "有 4 行不是有效打卡" in found[0]["问题"]
    assert "“打卡无效:此记录已被更新” 2 行" in found[0]["问题"]
    assert any("2 条补卡审批" in p["问题"] for p in problems(book))
    assert any("1 条管理员修改" in p["问题"] for p in problems(book))
    s = computed(book)
    # 张三: 11-04 the approved 补卡 is on time (the superseded 08:52 is no punch); 11-10 the superseded 08:20 does
    # not hide the valid 08:45: 15 minutes late, fined 20. (Read as punches, 08:20 would have cost nothing.)
    assert (s["001"]["迟到次数"], s["001"]["迟到早退罚款"], s["001"]["缺卡次数"], s["001"]["调整合计"]) == (1, 20, 0, -20)
    # 李四: 11-03 no 下班 punch: one missing punch, 20. (The refused 16:50 would have been 40 minutes early:
    # half a day of 旷工, 100.)
    assert (s["002"]["缺卡次数"], s["002"]["缺卡罚款"], s["002"]["旷工天数"], s["002"]["早退次数"]) == (1, 20, 0, 0)
    assert s["002"]["调整合计"] == -20
    # 王五: 11-05 the approved 补卡 covers the 下班; 11-06 the administrator's 08:40 counts: 10 minutes late, 20.
    assert (s["003"]["迟到次数"], s["003"]["迟到早退罚款"], s["003"]["缺卡次数"], s["003"]["调整合计"]) == (1, 20, 0, -20)
    assert "上午上班 08:30 为补卡审批" in daily_note(book, "001", D(4))
    assert "下午下班 18:00 为补卡审批" in daily_note(book, "003", D(5))
    assert "上午上班 08:40 为管理员修改的打卡" in daily_note(book, "003", D(6))
    assert "迟到10分钟, 罚款20元" in daily_note(book, "003", D(6))
    job = slips_job(book, NOV, tmp_path / "确认单.xlsx", pdf=False)
    texts = [str(v) for row in openpyxl.load_workbook(job.written).active.iter_rows(values_only=True) for v in row if v]
    assert any("08:30 为补卡审批" in t for t in texts) and any("08:40 为管理员修改" in t for t in texts)


def test_ATT_05_dingtalk_daily_results_mark_makeups_and_drop_invalid_punches(tmp_path):
    header = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "日期", "班次", "上班1打卡时间", "上班1打卡结果",
              "下班1打卡时间", "下班1打卡结果", "上班2打卡时间", "上班2打卡结果", "下班2打卡时间", "下班2打卡结果"]
    rows = [["每日统计 统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 09:00"], header]
    for day in workdays(2026, 11):
        results = ["正常"] * 4
        if day == D(2):
            results[0] = "补卡审批通过"
        if day == D(3):
            results[3] = "打卡无效:此记录已被更新"
        rows.append(["张三", "总部", "客服部", None, "客服", ZHANG[1], f"{day:%y-%m-%d}", "早班"]
                    + [x for t, r in zip(("08:30",) + CLEAN[1:], results) for x in (t, r)])
    book = dingtalk_book(tmp_path)
    assert main(["import", str(book), str(write_book(tmp_path / "每日统计.xlsx", {"每日统计": rows})), "-q"]) == 0
    imported = rows_of(book, "打卡导入")
    assert len(imported) == 99 and [r["打卡时间"] for r in imported if r["类型"] == "补卡审批"] == [
        dt.datetime(2026, 11, 2, 8, 30)]
    # 11-03: the 17:31 is no punch: one missing 下班, 20.
    s = computed(book)["001"]
    assert (s["缺卡次数"], s["缺卡罚款"], s["迟到次数"]) == (1, 20, 0)


def wecom_report(tmp_path, makeup_day):
    """企业微信 上下班打卡_日报: title, 统计时间, a two-level header with 上班1/下班1 … (打卡时间, 打卡状态)."""
    groups = ["上班1", "下班1", "上班2", "下班2"]
    top = ["时间", "姓名", "账号", "基础信息", ""] + [x for g in groups for x in (g, "")] + ["打卡时间记录"]
    sub = ["", "", "", "部门", "职务"] + ["打卡时间", "打卡状态"] * 4 + [""]
    rows = [["上下班打卡_日报"], ["统计时间:11-01 ～ 11-30     制表时间:2026-12-01 09:00"], top, sub]
    for day in workdays(2026, 11):
        states = ["补卡" if day == makeup_day and g == "上班1" else "正常" for g in groups]
        times = ("08:30",) + CLEAN[1:] if day == makeup_day else CLEAN
        rows.append([f"{day:%Y/%m/%d} 星期{'一二三四五六日'[day.weekday()]}", "张三", "zs01", "客服部", "客服"]
                    + [x for t, st in zip(times, states) for x in (t, st)] + [" ".join(times)])
    return write_book(tmp_path / "上下班打卡_日报_20261101-20261130.xlsx", {"概况统计与打卡明细": rows})


def test_ATT_05_wecom_makeup_is_an_approved_exception(tmp_path):
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "张三")],
                                               "打卡记录": [["工号", "打卡时间"]],
                                               "人员对照": [["工号", "企业微信账号"], ["001", "zs01"]]})
    assert main(["import", str(book), str(wecom_report(tmp_path, D(3))), "-q"]) == 0
    imported = rows_of(book, "打卡导入")
    assert len(imported) == 100
    assert [(r["打卡时间"], r["类型"]) for r in imported if r["类型"]] == [(dt.datetime(2026, 11, 3, 8, 30), "补卡审批")]
    s = computed(book)["001"]
    assert (s["实出勤天数"], s["迟到次数"], s["缺卡次数"], s["调整合计"]) == (25, 0, 0, 0)
    assert "上午上班 08:30 为补卡审批" in daily_note(book, "001", D(3))


# --- 2. a clock whose 考勤号码 are the 工号 -----------------------------------------------------------------

def clock_lines(pins, late=None, absent=None):
    """Four punches a workday for each PIN, right-aligned as the device writes; ``late``/``absent``: (pin, day)."""
    out = []
    for day in workdays(2026, 11):
        for pin in pins:
            if (pin, day) == absent:
                continue
            first = "08:45:00" if (pin, day) == late else "08:21:09"
            out += [f"{pin:>9}\t{day:%Y-%m-%d} {t}\t1\t0\t1\t0" for t in (first, "12:00:31", "13:24:50", "17:31:02")]
    return out


def test_ATT_03_clock_numbers_that_are_the_roster_ids_need_no_mapping(tmp_path):
    """考勤号码 101-118 = 工号 101-118, 人员对照 empty: matched through 员工名册. 118 is typed full-width in 员工名册:
    it is matched all the same and written as typed there."""
    roster = [ROSTER_HEADER] + [person(str(n), f"员工{n}") for n in range(101, 118)] + [person("１１８", "员工118")]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": [["工号", "打卡时间"]],
                                               "人员对照": [["工号", "考勤号码"]]})
    lines = clock_lines(range(101, 119), late=(105, D(2)), absent=(110, D(3)))
    assert main(["import", str(book), str(attlog(tmp_path, lines)), "-q"]) == 0
    imported = rows_of(book, "打卡导入")
    assert len(imported) == 18 * 100 - 4
    assert {r["工号"] for r in imported} == {str(n) for n in range(101, 118)} | {"１１８"}
    assert not [p for p in problems(book) if p["级别"] == "错误"]
    s = computed(book)
    assert (s["105"]["迟到次数"], s["105"]["迟到早退罚款"]) == (1, 20)  # 08:45: 15 minutes late
    assert (s["110"]["实出勤天数"], s["110"]["旷工扣款"]) == (24, 200)
    assert (s["１１８"]["实出勤天数"], s["１１８"]["调整合计"]) == (25, 0)


def test_ATT_03_the_mapping_comes_before_the_roster_ids(tmp_path):
    """考勤号码 7 is mapped to 工号 102 in 人员对照, though 员工名册 has a 工号 7 too: 人员对照 wins."""
    roster = [ROSTER_HEADER, person("7", "柒"), person("102", "壹零贰")]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": [["工号", "打卡时间"]],
                                               "人员对照": [["工号", "考勤号码"], ["１０２", "7"]]})
    assert main(["import", str(book), str(attlog(tmp_path, clock_lines([7]))), "-q"]) == 0
    assert {r["工号"] for r in rows_of(book, "打卡导入")} == {"102"}  # 人员对照's １０２ is 员工名册's 102


def test_ATT_03_an_import_bringing_no_punch_is_refused_with_the_reason(tmp_path, capsys):
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "张三")],
                                               "打卡记录": [["工号", "打卡时间"]], "人员对照": [["工号", "考勤号码"]]})
    before = book.read_bytes()
    assert main(["import", str(book), str(attlog(tmp_path, clock_lines([101, 102])))]) == 2
    err = capsys.readouterr().err
    assert "200 条打卡没有一条对得上员工：2 个编号（考勤号码“101”、考勤号码“102”）" in err
    assert book.read_bytes() == before


# --- 3. an attlog whose clock was reset ------------------------------------------------------------------

DEVICE_DATES = {D(21): dt.date(2000, 1, 1), D(23): dt.date(2000, 1, 3), D(24): dt.date(2015, 10, 24)}


def test_ATT_03_clock_reset_punches_are_left_out_with_the_days_they_cover(tmp_path):
    """The device log runs in time order for PINs 1 and 2; after 11-20 the clock fell back to 2000-01-01 (11-21
    and 11-23 written as 2000-01-01 and 2000-01-03), then was set to 2015-10-24 on 11-24, right again from 11-25."""
    lines = []
    for day in workdays(2026, 11):
        shown = DEVICE_DATES.get(day, day)
        for t in ("08:21:09", "12:00:31", "13:24:50", "17:31:02"):
            lines += [f"{pin:>9}\t{shown:%Y-%m-%d} {t}\t1\t0\t1\t0" for pin in (1, 2)]
    book = attendance(tmp_path)
    assert main(["import", str(book), str(attlog(tmp_path, lines)), "-q"]) == 0
    imported = rows_of(book, "打卡导入")
    assert len(imported) == 2 * 22 * 4 and min(r["打卡时间"] for r in imported) >= dt.datetime(2026, 11, 2)
    found = [p for p in problems(book) if "时钟被重置" in p["问题"]]
    # 11-02 … 11-20 are 17 workdays of 8 lines: the first reset line is line 137.
    assert [(p["级别"], p["单元格"], p["月份"]) for p in found] == [("警告", "第137行", NOV)]
    assert "有 24 条打卡" in found[0]["问题"] and "首条 第137行 2000-01-01 08:21" in found[0]["问题"]
    assert "实际打在 2026-11-20 至 2026-11-25 之间" in found[0]["问题"]
    # 11-21, 11-23 and 11-24 have no punch left: 3 days of 旷工 each, 600.
    s = computed(book)
    assert (s["001"]["实出勤天数"], s["001"]["旷工扣款"], s["002"]["旷工扣款"]) == (22, 600, 600)


def test_ATT_03_a_log_merged_by_hand_or_sorted_by_person_is_not_a_reset(tmp_path):
    """A day's lines appended after the month (a log completed by hand), and a file sorted by PIN, run back less
    than a month: real punches, all imported."""
    lines = clock_lines([1], absent=(1, D(2))) + clock_lines([2]) + [
        f"        1\t2026-11-02 {t}\t1\t0\t1\t0" for t in ("08:21:09", "12:00:31", "13:24:50", "17:31:02")]
    book = attendance(tmp_path)
    assert main(["import", str(book), str(attlog(tmp_path, lines)), "-q"]) == 0
    assert len(rows_of(book, "打卡导入")) == 200 and not any("重置" in p["问题"] for p in problems(book))


# --- 4. full-width 工号 and dates without a year on the event sheets -----------------------------------------

def november_events_book(tmp_path):
    roster = [ROSTER_HEADER, person("101", "赵一"), person("102", "钱二"), person("103", "孙三"),
              person("104", "李四", gender="女"), person("１０５", "周五")]
    roster[-1][3] = "9月8日"  # 入职日期 without a year: a date of record, refused
    punches = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        for emp in ("101", "102", "103", "105"):
            if emp == "102" and day in (D(19), D(20)):
                continue  # 年休假
            punches += punches_for(emp, day, *CLEAN[1:]) if (emp, day) == ("103", D(11)) else full_day(emp, day)
        if day < D(16):
            punches += full_day("104", day)  # 产假 from 11-16
    punches += punches_for("101", D(8), "08:55", "12:05")  # Sunday overtime
    return write_book(tmp_path / "考勤.xlsx", {
        "员工名册": roster, "打卡记录": punches,
        "加班申请": [["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "补偿方式"],
                 ["１０１", "11月8日", dt.time(9), dt.time(12), "是", "是", "加班费"]],
        "请假记录": [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料"],
                 ["１０２", "年休假", "11月19日 08:30", "11月20日 17:30", "11月10日", "已批准", None],
                 ["１０４", "产假", "11月16日", dt.datetime(2027, 2, 21), "10月20日", "已批准", "有"]],
        "打卡异常": [["工号", "日期", "时段", "审批状态"], ["１０３", "11月11日", "上午上班", "已批准"]],
        "代打卡记录": [["工号", "日期"], ["１０２", "11月12日"]]})


def test_full_width_ids_and_yearless_dates_on_every_event_sheet(tmp_path):
    book = november_events_book(tmp_path)
    s = computed(book)
    # 加班申请 １０１, 11月8日 = Sunday 2026-11-08, a rest day: punches 08:55-12:05 show the approved 09:00-12:00,
    # 3 hours × 25 × 2 = 150 (dropped, 0).
    assert (s["101"]["加班小时"], s["101"]["加班费"], s["101"]["调整合计"]) == (3, 150, 150)
    # 请假记录 １０２: 年休假 11-19 and 11-20 (5 days a year after 6 years' service): 2 days, nothing deducted
    # (dropped: 2 days of 旷工, 400). 代打卡记录 １０２, 11月12日: ATT-07, 20 (dropped: 0).
    assert (s["102"]["年休假天数"], s["102"]["旷工扣款"], s["102"]["代打卡罚款"], s["102"]["调整合计"]) == (2, 0, 20, -20)
    # 打卡异常 １０３, 11月11日 上午上班 approved: no missing punch (dropped: 20).
    assert (s["103"]["缺卡次数"], s["103"]["调整合计"]) == (0, 0)
    # 请假记录 １０４: 产假 from 11月16日: 15 calendar days of November, no 旷工 (dropped: the 13 workdays
    # 11-16…11-30 without Sundays 11-22, 11-29 would be 旷工, 2600).
    assert (s["104"]["产假天数"], s["104"]["旷工天数"], s["104"]["实出勤天数"], s["104"]["调整合计"]) == (15, 0, 12, 0)
    # 员工名册's １０５ is written as typed there; 打卡记录's 105 is the same person: 25 days, nothing owed.
    assert (s["１０５"]["实出勤天数"], s["１０５"]["调整合计"]) == (25, 0)
    found = {(p["工作表"], p["单元格"]): (p["问题"], p["级别"]) for p in problems(book)}
    assert found[("加班申请", "B2")] == ("日期“11月8日”没有年份，按 2026-11-08 计算（离计算的月份 2026-11 最近）", "提示")
    assert found[("请假记录", "C2")] == (
        "开始时间“11月19日 08:30”没有年份，按 2026-11-19 08:30 计算（离计算的月份 2026-11 最近）", "提示")
    assert found[("请假记录", "E3")][0].startswith("申请日期“10月20日”没有年份，按 2026-10-20 计算")
    assert found[("打卡异常", "B2")][1] == found[("代打卡记录", "B2")][1] == "提示"
    assert ("员工名册", "D6", "入职日期：日期“9月8日”没有年份：请写成 2026-11-11 这样的日期", "错误") in [
        (p["工作表"], p["单元格"], p["问题"], p["级别"]) for p in problems(book)]
    assert not any("不在员工名册中" in p for p, _ in found.values())


def test_a_december_record_computed_in_january(tmp_path):
    """A 调休 of 2027-01-06, applied 12月28日, drawn on the time off earned by approved overtime on 12月27日
    (a Sunday, 09:00-17:00 = 8 hours, before the punches the workbook holds: its approved window counts)."""
    punches = [["工号", "打卡时间"]] + [row for day in workdays(2027, 1, skip={D(1, 1, 2027), D(6, 1, 2027)})
                                       for row in full_day("201", day)]
    book = write_book(tmp_path / "考勤.xlsx", {
        "员工名册": [ROSTER_HEADER, person("201", "吴六")], "打卡记录": punches,
        "加班申请": [["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "补偿方式"],
                 ["２０１", "12月27日", dt.time(9), dt.time(17), "是", "是", "调休"]],
        "请假记录": [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
                 ["２０１", "调休", "1月6日 08:30", "1月6日 17:30", "12月28日", "已批准"]],
        "打卡异常": [["工号", "日期", "时段", "审批状态"], ["201", "8月5日", "上午上班", "已批准"]]})
    s = computed(book, "2027-01")["201"]
    # 12月27日 is 2026-12-27 (a month before January, not eleven after): 8 hours of 调休 cover the 7.5 scheduled
    # hours of 01-06. Read as 2027-12-27 there would be no balance and the day would be unpaid 事假, 200.
    assert (s["调休天数"], s["事假天数"], s["事假扣款"], s["旷工扣款"], s["调整合计"]) == (1, 0, 0, 0, 0)
    assert [r["校验结果"] for r in rows_of(book, "请假校验")] == ["通过"]
    found = {(p["工作表"], p["单元格"]): (p["问题"], p["级别"]) for p in problems(book)}
    assert found[("请假记录", "E2")] == ("申请日期“12月28日”没有年份，按 2026-12-28 计算（离计算的月份 2027-01 最近）", "提示")
    # 8月5日 is five months before January or seven after: no year can be told.
    assert found[("打卡异常", "B2")] == ("日期“8月5日”没有年份，离计算的月份 2027-01 超过2个月，无法确定是哪一年", "错误")
    assert ("加班申请", "B2") not in found  # December's record: said in December's run


@pytest.mark.parametrize("typed,month,expected", [
    ("12月28日", D(1, 1, 2027), (2026, 1)), ("1月3日", D(1, 12, 2026), (2027, 1)), ("11月3日", D(1, 1, 2027), (2026, 2)),
    ("10月3日", D(1, 1, 2027), (2026, 3)), ("9月8日", D(1, 9, 2026), (2026, 0)), ("3月1日", D(1, 9, 2026), (2026, 6))])
def test_the_year_nearest_the_month_computed(typed, month, expected):
    assert nearest_year(parse_month_day(typed), month) == expected


def test_a_february_29th_without_a_year_is_refused_where_the_year_has_none(tmp_path):
    book = november_events_book(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["打卡异常"].append(["103", "2月29日", "下午上班", "已批准"])  # nearest 2027-02 (3 months): refused anyway
    wb.save(book)
    computed(book)
    assert any(p["单元格"] == "B3" and p["级别"] == "错误" and "超过2个月" in p["问题"] for p in problems(book))


# --- 5. the smaller points ---------------------------------------------------------------------------------

def autumn_book(tmp_path):
    punches = [["工号", "打卡时间"]]
    for month in (9, 10):
        punches += [row for day in workdays(2026, month) for row in full_day("001", day)]
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
             ["001", "事假", dt.datetime(2026, 9, 15, 8, 30), dt.datetime(2026, 9, 15, 17, 30), D(10, 9), "待审批"],
             ["001", "事假", dt.datetime(2026, 10, 15, 8, 30), dt.datetime(2026, 10, 15, 17, 30), D(10, 10), "待审批"]]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "张三")],
                                               "打卡记录": punches, "请假记录": leave})


def test_each_months_problem_list_holds_its_own_records(tmp_path):
    book = autumn_book(tmp_path)
    computed(book, "2026-09")
    computed(book, "2026-10")
    mine = [(p["月份"], p["单元格"]) for p in problems(book) if p["工作表"] == "请假记录" and "未批准" in p["问题"]]
    assert sorted(mine) == [("2026-09", "F2"), ("2026-10", "F3")]
    holiday = [p["问题"] for p in problems(book) if p["问题"].startswith("工号001 2026-10-01")]
    assert holiday == ["工号001 2026-10-01（法定节假日）有打卡 08:25–17:31，但没有批准的加班申请"]


def kpi_book(tmp_path):
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人", "别名"],
             ["咨询转化率", 40, "越高越好", 0.6, 0.2, "数据", "询单->最终付款转化率"],
             ["平均响应时间", 30, "越低越好", 20, 60, "数据", "平均响应(秒)"],
             ["回复率", 30, "越高越好", 1, 0.8, "数据", ""]]
    roster = [ROSTER_HEADER, person("001", "甲", "网店客服组"), person("002", "乙", "网店客服组"),
              person("003", "丙", "仓储部")]
    data = [["月份", "工号", "咨询转化率", "平均响应时间", "回复率", "自评分"],
            ["2026-11", "００１", 0.5, 30, 0.95, 90], ["2026-11", "003", 0.5, 30, 0.95, 90]]
    return write_book(tmp_path / "客服绩效.xlsx", {"员工名册": roster, "KPI规则": rules, "KPI数据": data,
                                                 "人员对照": [["工号", "旺旺"], ["002", "乙的旺旺"]]})


def test_KPI_01_rows_outside_the_team_and_imported_figures_without_a_row_say_so(tmp_path):
    book = kpi_book(tmp_path)
    report = write_book(tmp_path / "自定义报表_客服组_下单优先判定_2026-11-01至2026-11-30.xlsx", {"自定义报表": [
        ["客服昵称", "接待人数", "平均响应(秒)", "回复率", "询单->最终付款转化率", "询单人数"],
        ["乙的旺旺", 100, 25, "98.00%", "55.00%", 40]]})
    assert main(["import", str(book), str(report), "-q"]) == 0
    assert main(["kpi", str(book), "--month", NOV, "--notice-date", "2026-12-03", "-q"]) == 0
    found = {p["问题"]: (p["单元格"], p["级别"]) for p in problems(book) if p["来源"] == "KPI"}
    assert found["工号003的部门是“仓储部”，不是KPI考核部门“网店客服组”"] == ("B3", "警告")
    assert found["工号002（乙）在KPI导入中有2026-11的数据，但KPI数据中没有此人2026-11的行（自评分、店长评分等只能在KPI数据中填写）"][1] \
        == "警告"
    rows = list(openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"].iter_rows(values_only=True))
    score = [dict(zip(rows[0], r)) for r in rows[1:] if r[0]]
    # ００１ is 001: 咨询转化率 (0.5-0.2)/(0.6-0.2) × 40 = 30; 平均响应时间 (30-60)/(20-60) × 30 = 22.5;
    # 回复率 (0.95-0.8)/(1-0.8) × 30 = 22.5; 店长评分 75; 综合得分 0.3 × 90 + 0.7 × 75 = 79.5.
    assert [(r["工号"], r["综合得分"]) for r in score] == [("001", 79.5)]


@pytest.mark.parametrize("with_workday", [False, True])
def test_an_earlier_imports_sheet_without_the_type_column_is_carried_on(tmp_path, with_workday):
    """打卡导入 as earlier kaohe versions wrote it (工号, 打卡时间, 来源, 文件指纹, then also 归属日期; no 类型): still
    kaohe's, its rows kept with their 归属日期."""
    earlier = [["工号", "打卡时间", "来源", "文件指纹"]] + [
        ["001", dt.datetime(2026, 11, 2, h, m), f"0_attlog.dat:{i}", "0123456789abcdef"]
        for i, (h, m) in enumerate(((8, 25), (12, 1), (13, 25), (17, 31)), start=1)]
    if with_workday:  # a DingTalk 打卡时间 punch after midnight, on the 考勤日 before
        earlier = [earlier[0] + ["归属日期"]] + [r + [None] for r in earlier[1:]]
        earlier.append(["001", dt.datetime(2026, 11, 3, 2, 18), "打卡时间.xlsx:5", "fedcba9876543210", dt.datetime(2026, 11, 2)])
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "张三"), person("002", "李四")],
                                               "打卡记录": [["工号", "打卡时间"]], "打卡导入": earlier,
                                               "人员对照": [["工号", "考勤号码"], ["001", "1"], ["002", "2"]]})
    assert main(["import", str(book), str(attlog(tmp_path, clock_lines([2]))), "-q"]) == 0
    rows = rows_of(book, "打卡导入")
    assert len(rows) == len(earlier) - 1 + 100 and {r["类型"] for r in rows} == {None}
    assert [r["来源"] for r in rows if r["工号"] == "001"] == [f"0_attlog.dat:{i}" for i in range(1, 5)] + (
        ["打卡时间.xlsx:5"] if with_workday else [])
    assert [r["归属日期"] for r in rows if r["归属日期"] is not None] == ([dt.datetime(2026, 11, 2)] if with_workday else [])
