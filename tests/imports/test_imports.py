"""kaohe import: time-clock and DingTalk exports (docs/导入指南.md layouts) into 打卡导入, then the month."""
import datetime as dt

import openpyxl
from builders import ROSTER_HEADER, person, workdays, write_book

from kaohe.doors.cli import main

NOV2 = dt.date(2026, 11, 2)


def attendance(tmp_path, punches=None):
    roster = [ROSTER_HEADER, person("001", "张三"), person("002", "李四")]
    mapping = [["工号", "考勤号码", "钉钉UserId"], ["001", "1", "0261546233"], ["002", "2", "manager7788"]]
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": punches or [["工号", "打卡时间"]],
                                               "人员对照": mapping})


def attlog(tmp_path, lines, encoding="utf-8"):
    path = tmp_path / "1_attlog.dat"
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def clean_month_lines(pin, skip=()):
    """A month of four punches a workday for one PIN, right-aligned as the device writes it."""
    out = []
    for day in workdays(2026, 11):
        if day in skip:
            continue
        for t in ("08:21:09", "12:00:31", "13:24:50", "17:31:02"):
            out.append(f"{pin:>9}\t{day:%Y-%m-%d} {t}\t1\t0\t1\t0")
    return out


def summary(path):
    rows = list(openpyxl.load_workbook(path)["月度汇总"].iter_rows(values_only=True))
    return {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}


def test_zkteco_dat_with_serial_line_checksum_and_spaces(tmp_path):
    book = attendance(tmp_path)
    lines = (["A6XS123456789"] + clean_month_lines(1, skip={NOV2})
             + ["        1   2026-11-02 08:45:00   1   0   1   0"]  # runs of spaces, 15 minutes late
             + ["        1\t2026-11-02 12:00:00\t1\t0\t1\t0", "        1\t2026-11-02 13:30:00\t1\t0\t1\t0",
                "        1\t2026-11-02 17:30:00\t1\t0\t1\t0"]
             + clean_month_lines(2) + ["      99\t2026-11-03 08:00:00\t1\t0\t1\t0"] * 3 + ["CHECKSUM 5C1F"])
    dat = attlog(tmp_path, lines)
    assert main(["import", str(book), str(dat), "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    imported = list(wb["打卡导入"].iter_rows(min_row=2, values_only=True))
    assert len(imported) == 2 * 25 * 4 and imported[0][2].startswith("1_attlog.dat:")
    problems = [r[2] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert any("考勤号码“99”" in p and "3条打卡" in p for p in problems)  # nothing dropped silently
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    s = summary(book)
    assert (s["001"]["迟到次数"], s["001"]["迟到早退罚款"], s["001"]["旷工天数"]) == (1, 20, 0)
    assert (s["002"]["实出勤天数"], s["002"]["缺卡次数"]) == (25, 0)


def test_gbk_file_and_importing_twice_changes_nothing(tmp_path):
    book = attendance(tmp_path)
    dat = attlog(tmp_path, ["设备序列号：考勤机一号"] + clean_month_lines(1), encoding="gbk")
    main(["import", str(book), str(dat), "-q"])
    first = list(openpyxl.load_workbook(book)["打卡导入"].iter_rows(values_only=True))
    main(["import", str(book), str(dat), "-q"])
    assert list(openpyxl.load_workbook(book)["打卡导入"].iter_rows(values_only=True)) == first


def dingtalk_raw(tmp_path):
    """DingTalk 原始记录: three title rows, data from row 4; 工号 empty; a leaver's name suffix; 次日; --."""
    header = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果",
              "打卡地址", "打卡备注", "异常打卡原因", "打卡图片1", "打卡图片2", "打卡设备", "管理员修改备注"]
    rows = [["原始记录"], ["统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 09:00"], header]
    for day in workdays(2026, 11):
        label = f"{day:%y-%m-%d} 星期{'一二三四五六日'[day.weekday()]}"
        for sched, actual in (("08:30", "08:26"), ("12:00", "12:01"), ("13:30", "13:27"), ("17:30", "17:33")):
            rows.append(["张三", "总部", "客服部", None, "客服", "0261546233", label, sched, actual, "正常"] + [None] * 7)
        rows.append(["李四（离职）", "总部", "客服部", None, "主管", "", label, "08:30",
                     "08:29" if day != NOV2 else "--", "正常"] + [None] * 7)
    rows.append(["张三", "总部", "客服部", None, "客服", "0261546233", "26-11-30 星期一", "加班", "次日 00:30", "正常"]
                + [None] * 7)
    return write_book(tmp_path / "钉钉原始记录.xlsx", {"原始记录": rows})


def test_dingtalk_raw_records(tmp_path):
    book = attendance(tmp_path)
    assert main(["import", str(book), str(dingtalk_raw(tmp_path)), "-q"]) == 0
    imported = list(openpyxl.load_workbook(book)["打卡导入"].iter_rows(min_row=2, values_only=True))
    emp1 = [r for r in imported if r[0] == "001"]
    emp2 = [r for r in imported if r[0] == "002"]
    assert len(emp1) == 25 * 4 + 1 and dt.datetime(2026, 12, 1, 0, 30) in [r[1] for r in emp1]  # 次日 00:30
    assert len(emp2) == 24  # matched by name without （离职）; "--" is no punch
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    assert summary(book)["001"]["实出勤天数"] == 25


def test_overlapping_sources_count_once(tmp_path):
    from builders import full_day

    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows += full_day("001", day)  # 08:25, 12:01, 13:25, 17:31 in 打卡记录
    book = attendance(tmp_path, rows)
    lines = [f"        1\t{day:%Y-%m-%d} {t}\t1\t0\t1\t0" for day in workdays(2026, 11)
             for t in ("08:25:00", "12:01:00", "13:25:00", "17:31:00")]
    main(["import", str(book), str(attlog(tmp_path, lines)), str(attlog(tmp_path, lines)), "-q"])
    assert len(list(openpyxl.load_workbook(book)["打卡导入"].iter_rows(min_row=2))) == 100
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    s = summary(book)["001"]
    assert (s["实出勤天数"], s["缺卡次数"], s["迟到次数"]) == (25, 0, 0)


def test_zktime_raw_records(tmp_path):
    header = ["部门", "姓名", "登记号码", "日期时间", "机器号", "编号", "比对方式", "卡号"]
    rows = [header] + [["客服部", "李四", "2", f"{day:%Y/%m/%d} {t}", 1, 1, "指纹", None]
                       for day in workdays(2026, 11) for t in ("08:20:00", "12:00:00", "13:29:00", "17:35:00")]
    source = write_book(tmp_path / "原始记录.xlsx", {"原始记录": rows})
    book = attendance(tmp_path)
    assert main(["import", str(book), str(source), "-q"]) == 0
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    assert summary(book)["002"]["实出勤天数"] == 25


def test_unrecognised_format_is_refused(tmp_path, capsys):
    book = attendance(tmp_path)
    other = write_book(tmp_path / "x.xlsx", {"Sheet": [["编号", "金额"], [1, 2]]})
    before = book.read_bytes()
    assert main(["import", str(book), str(other)]) == 2
    err = capsys.readouterr().err
    assert "无法识别 x.xlsx 的格式" in err and "UserId" in err and "日期时间" in err
    assert book.read_bytes() == before


def month_cells(days=range(1, 31), text="08:25\n12:01\n13:25\n17:31"):
    """A day-per-column row: four punches on Mon-Sat, nothing on Sundays (November 2026)."""
    return [text if dt.date(2026, 11, d).weekday() != 6 else None for d in days]


def test_dingtalk_punch_times_sheet(tmp_path):
    days = ["日" if dt.date(2026, 11, d).weekday() == 6 else ("六" if dt.date(2026, 11, d).weekday() == 5 else d)
            for d in range(1, 31)]
    rows = [["打卡时间表 统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01 09:00"],
            ["姓名", "考勤组", "部门", "工号", "职位", "UserId"] + days,
            ["张三", "总部", "客服部", None, "客服", "0261546233"] + month_cells()]
    source = write_book(tmp_path / "打卡时间.xlsx", {"打卡时间": rows})
    book = attendance(tmp_path)
    assert main(["import", str(book), str(source), "-q"]) == 0
    assert len(list(openpyxl.load_workbook(book)["打卡导入"].iter_rows(min_row=2))) == 100
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    assert summary(book)["001"]["实出勤天数"] == 25 and summary(book)["001"]["缺卡次数"] == 0


def test_wecom_daily_report(tmp_path):
    top = ["时间", "姓名", "账号", "基础信息", None, "考勤概况", None, "打卡时间记录"]
    bottom = [None, None, None, "部门", "职务", "考勤结果", "打卡次数(次)", None]
    rows = [["上下班打卡_日报"], ["统计时间:11-01 ～ 11-30     制表时间:2026-12-01 09:00"], top, bottom]
    for day in workdays(2026, 11):
        rows.append([f"{day:%Y/%m/%d} 星期{'一二三四五六日'[day.weekday()]}", "李四", "lisi01", "客服部", "主管", "正常", 4,
                     "08:29 12:00 13:30 17:35" if day != NOV2 else "--"])
    source = write_book(tmp_path / "上下班打卡_日报_20261101-20261130.xlsx", {"概况统计与打卡明细": rows})
    roster = [ROSTER_HEADER, person("002", "李四")]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": [["工号", "打卡时间"]],
                                               "人员对照": [["工号", "企业微信账号"], ["002", "lisi01"]]})
    assert main(["import", str(book), str(source), "-q"]) == 0
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    s = summary(book)["002"]
    assert (s["实出勤天数"], s["旷工天数"]) == (24, 1)  # "--" on 2 Nov: no punch at all


def test_clock_card_report(tmp_path):
    rows = [["刷卡记录"], [None], ["2026-11-01 ~ 2026-11-30"], list(range(1, 31)),
            ["工 号:", "1", None, "姓 名:", "张三", None, "部 门:", "客服部"],
            [c + "\n" if c else None for c in month_cells()]]
    source = write_book(tmp_path / "刷卡记录.xlsx", {"刷卡记录": rows})
    book = attendance(tmp_path)
    assert main(["import", str(book), str(source), "--kind", "clock-report", "-q"]) == 0
    main(["compute-month", str(book), "--month", "2026-11", "-q"])
    assert summary(book)["001"]["实出勤天数"] == 25


def test_dingtalk_daily_statistics(tmp_path):
    top = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "日期", "班次", "上班1", None, "下班1", None, "关联的审批单"]
    bottom = [None] * 8 + ["打卡时间", "打卡结果", "打卡时间", "打卡结果", None]
    rows = [["每日统计表 统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01"], top, bottom]
    for day in workdays(2026, 11):
        label = f"{day:%y-%m-%d} 星期{'一二三四五六日'[day.weekday()]}"
        rows.append(["张三", "总部", "客服部", None, "客服", "0261546233", label, "夜班 22:00-06:00",
                     "21:55", "正常", "次日 06:02", "正常", None])
    source = write_book(tmp_path / "每日统计.xlsx", {"每日统计": rows})
    book = attendance(tmp_path)
    assert main(["import", str(book), str(source), "-q"]) == 0
    stamps = [r[1] for r in openpyxl.load_workbook(book)["打卡导入"].iter_rows(min_row=2, values_only=True)]
    assert len(stamps) == 50 and dt.datetime(2026, 11, 3, 6, 2) in stamps  # 次日 06:02 after the 2nd


def test_chitu_metrics_into_kpi_import_then_kpi(tmp_path):
    import pytest
    from lo import recalculated

    team = "网店客服组"
    roster = [ROSTER_HEADER, person("001", "甲", team), person("002", "乙", team)]
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人", "别名"],
             ["咨询转化率", 40, "越高越好", 0.6, 0.2, "数据", "询单->最终付款转化率"],
             ["平均响应时间", 30, "越低越好", 20, 60, "数据", "平均响应(秒)"],
             ["报表整体质量", 30, "越高越好", None, None, "店长", ""]]
    book = write_book(tmp_path / "客服绩效.xlsx", {
        "员工名册": roster, "KPI规则": rules, "人员对照": [["工号", "旺旺"], ["001", "甲的旺旺"], ["002", "乙的旺旺"]],
        "KPI数据": [["月份", "工号", "自评分", "报表整体质量"], ["2026-11", "001", 90, 30], ["2026-11", "002", 80, 24]]})
    report = write_book(tmp_path / "赤兔_客服绩效_2026-11-01至2026-11-30.xlsx", {"客服绩效": [
        ["客服昵称", "接待人数", "询单->最终付款转化率", "平均响应(秒)", "销售额"],
        ["甲的旺旺", 520, 0.6, 20, 120000], ["乙的旺旺", 480, "45.2%", 40, 98000], ["丙的旺旺", 100, 0.3, 50, 1000],
        ["汇总", 1100, 0.5, 35, 219000], ["均值", 366, 0.5, 35, 73000]]})
    assert main(["import", str(book), str(report), "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    rows = list(wb["KPI导入"].iter_rows(values_only=True))
    # the columns as exported (indicator aliases and the count they are weighted by), then where each row came from
    assert rows[0] == ("月份", "工号", "接待人数", "询单->最终付款转化率", "平均响应(秒)", "来源", "文件指纹", "统计日期", "行类型")
    assert [(r[:2], r[-1]) for r in rows[1:]] == [(("2026-11", "001"), "月合计"), (("2026-11", "002"), "月合计"),
                                                  (("2026-11", "001"), "文件"), (("2026-11", "002"), "文件")]  # no 汇总/均值
    assert rows[2][2:5] == (480, 0.452, 40) and rows[4][5:8] == (report.name, rows[4][6], "2026-11-01至2026-11-30")
    assert any("丙的旺旺" in r[2] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert main(["kpi", str(book), "--month", "2026-11", "--notice-date", "2026-12-03", "-q"]) == 0
    ws = openpyxl.load_workbook(book)["KPI评分_2026-11"]
    assert "'KPI导入'!$D$2" in ws["C2"].value  # the live formula reads the imported month cell
    scores = {r[0]: r for r in openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in ws[1]]
    at = header.index("综合得分")
    assert scores["001"][at] == 97 and scores["002"][at] == pytest.approx(68.94)  # 27 + 70; 24 + 0.7 × 64.2
    lo = recalculated(book, tmp_path)["KPI评分_2026-11"]
    got = {r[0]: r for r in lo.iter_rows(min_row=2, values_only=True)}
    assert got["002"][at] == pytest.approx(68.94)


def test_an_empty_file_is_refused_as_empty(tmp_path, capsys):
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("001", "张三")]})
    before = book.read_bytes()
    (tmp_path / "打卡.xlsx").write_bytes(b"")
    assert main(["import", str(book), str(tmp_path / "打卡.xlsx"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：打卡.xlsx 是空文件（0 字节）") and "/ Error:" in err and "\n" not in err
    assert book.read_bytes() == before
