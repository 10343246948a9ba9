"""kaohe reconcile: the 核对 sheet beside DingTalk's 月度汇总 (two-level header, leave in hours)."""
import datetime as dt

import openpyxl
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book

from kaohe.doors.cli import main


def zhang_book(tmp_path, rules=None):
    """张三 (001): 11-02 11 minutes late (fined), 11-03 45 minutes late (half a day 旷工, ATT-04), 11-04 the
    afternoon's out punch missing, 11-05 on approved 事假; every other workday clean. ``rules``: 规则 rows."""
    rows = [["工号", "打卡时间"]]
    special = {dt.date(2026, 11, 2): ("08:41", "12:00", "13:30", "17:30"),   # 11 minutes late: fined
               dt.date(2026, 11, 3): ("09:15", "12:00", "13:30", "17:30"),   # 45 minutes late: half a day absent
               dt.date(2026, 11, 4): ("08:20", "12:00", "13:30")}            # pm out missing
    for day in workdays(2026, 11):
        if day == dt.date(2026, 11, 5):
            continue  # on 事假
        rows += punches_for("001", day, *special[day]) if day in special else full_day("001", day)
    book = write_book(tmp_path / "考勤.xlsx", {
        "员工名册": [ROSTER_HEADER, person("001", "张三")], "打卡记录": rows,
        "请假记录": [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
                 ["001", "事假", dt.date(2026, 11, 5), dt.date(2026, 11, 5), dt.date(2026, 11, 1), "已批准"]],
        "人员对照": [["工号", "钉钉UserId"], ["001", "0261546233"]], **({"规则": rules} if rules else {})})
    return book


def test_reconcile_with_dingtalk_monthly_summary(tmp_path):
    book = zhang_book(tmp_path)
    top = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "出勤天数", "迟到次数", "迟到时长", "早退次数",
           "上班缺卡次数", "下班缺卡次数", "旷工天数", "请假", None, None]
    bottom = [None] * 13 + ["事假", "病假", "调休"]
    dingtalk = write_book(tmp_path / "钉钉月度汇总.xlsx", {"月度汇总": [
        ["月度汇总 统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01"], top, bottom,
        ["张三", "总部", "客服部", None, "客服", "0261546233", 24, 2, 56, 0, 0, 1, 0, "8小时", "--", None],
        ["王五", "总部", "客服部", None, "客服", "x9", 25, 0, 0, 0, 0, 0, 0, None, None, None]]})
    assert main(["reconcile", str(book), str(dingtalk), "--month", "2026-11", "-q"]) == 0
    rows = list(openpyxl.load_workbook(book)["核对"].iter_rows(values_only=True))
    assert rows[0] == ("工号", "姓名", "项目", "外部数值", "kaohe数值", "差异", "说明")
    got = {r[2]: r for r in rows[1:]}
    assert got["迟到次数"][3:6] == (2, 1, -1) and "30/120" not in got["迟到次数"][6] and "ATT-04" in got["迟到次数"][6]
    assert got["缺卡次数"][3:7] == (1, 1, 0, "一致")
    assert got["旷工天数"][3:6] == (0, 0.5, 0.5)
    assert got["事假天数"][3:7] == (1, 1, 0, "一致")  # 8 hours = 1 day
    problems = [r[2] for r in openpyxl.load_workbook(book)["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert any("王五" in p for p in problems)


def lisi_book(tmp_path):
    """李四 (002): clean month; 11-03 in at 09:15 (45 minutes: half a day 旷工, ATT-04); 11-20 no punch (旷工 1)."""
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        if day == dt.date(2026, 11, 20):
            continue
        rows += punches_for("002", day, "09:15", "12:00", "13:30", "17:30") if day == dt.date(2026, 11, 3) \
            else full_day("002", day)
    return write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person("002", "李四")], "打卡记录": rows,
                                               "人员对照": [["工号", "企业微信账号"], ["002", "lisi01"]]})


def reconciled(book):
    return {r[2]: r[3:7] for r in openpyxl.load_workbook(book)["核对"].iter_rows(min_row=2, values_only=True)}


WECOM_TOP = ["时间", "姓名", "账号", "基础信息", None, "异常统计", None, None, None, None, "假勤统计", None, None]
WECOM_BOTTOM = [None, None, None, "部门", "职务", "迟到次数(次)", "早退次数(次)", "缺卡次数(次)", "旷工次数(次)",
                "旷工时长(分钟)", "事假(天)", "病假(天)", "调休假(天)"]


def wecom_daily(tmp_path, name, span, days):
    """A WeCom 上下班打卡_日报 with the real two-level header; ``days`` maps a date to (迟到, 事假)."""
    rows = [["上下班打卡_日报"], [f"统计时间:{span}     制表时间:2026-12-01 09:00"], WECOM_TOP, WECOM_BOTTOM]
    rows += [[f"{d:%Y/%m/%d} 星期{'一二三四五六日'[d.weekday()]}", "李四", "lisi01", "客服部", "主管", late, 0, 0, 0, 0,
              leave if leave else "--", "--", "--"] for d, (late, leave) in days.items()]
    return write_book(tmp_path / name, {"概况统计与打卡明细": rows})


def test_ATT_04_reconcile_wecom_daily_report_over_its_own_dates(tmp_path):
    wecom = wecom_daily(tmp_path, "上下班打卡_日报_20261102-20261104.xlsx", "11-02 ～ 11-04",
                        {dt.date(2026, 11, 2): (0, 0), dt.date(2026, 11, 3): (1, 0), dt.date(2026, 11, 4): (0, 0.5)})
    book = lisi_book(tmp_path)
    assert main(["reconcile", str(book), str(wecom), "--month", "2026-11", "-q"]) == 0
    got = reconciled(book)
    assert got["迟到次数"][:3] == (1, 0, -1)  # WeCom counts the 45 minutes as late; kaohe as half a day 旷工
    assert got["旷工天数"][:3] == (0, 0.5, 0.5)  # 11-02..11-04 only: 11-20's whole day is outside the file
    assert got["事假天数"][:3] == (0.5, 0, -0.5)
    assert got["早退次数"] == (0, 0, 0, "一致") and got["缺卡次数"] == (0, 0, 0, "一致") and got["调休天数"][2] == 0


def dingtalk_csv_in_hours(tmp_path):
    lines = ["月度汇总 统计日期：2026-11-01 至 2026-11-30", "报表生成时间：2026-12-01 09:00:00",
             "姓名,考勤组,部门,工号,职位,UserId,出勤天数,迟到次数,迟到时长(分钟),早退次数,上班缺卡次数,下班缺卡次数,旷工天数,请假,,",
             "事假(小时),病假(天),调休(小时)",  # the second header level, left-packed as the CSV writes it
             "张三,总部,客服部,,客服,0261546233,24,2,56,0,0,1,0,8,0,4"]
    csv = tmp_path / "钉钉_月度汇总_20261101-20261130.csv"
    csv.write_bytes("\r\n".join(lines).encode("gbk"))
    return csv


def test_reconcile_dingtalk_csv_with_units_in_hours(tmp_path):
    book, csv = zhang_book(tmp_path), dingtalk_csv_in_hours(tmp_path)
    assert main(["reconcile", str(book), str(csv), "--month", "2026-11", "-q"]) == 0
    got = reconciled(book)
    assert got["迟到次数"][:3] == (2, 1, -1)
    assert got["缺卡次数"] == (1, 1, 0, "一致")  # 上班缺卡 + 下班缺卡
    assert got["旷工天数"][:3] == (0, 0.5, 0.5)
    assert got["事假天数"] == (1, 1, 0, "一致")  # 8 hours = 1 day
    assert got["调休天数"][:3] == (0.5, 0, -0.5)  # 4 hours


def test_PAY_01_reconcile_converts_hours_at_the_rules_sheets_working_day(tmp_path):
    # 日工作小时 = 4: DingTalk's 8 hours of 事假 are 2 days (kaohe counts 1), its 4 hours of 调休 1 day.
    book = zhang_book(tmp_path, [["参数", "值"], ["日工作小时", 4]])
    assert main(["reconcile", str(book), str(dingtalk_csv_in_hours(tmp_path)), "--month", "2026-11", "-q"]) == 0
    got = reconciled(book)
    assert got["事假天数"][:3] == (2, 1, -1)
    assert got["调休天数"][:3] == (1, 0, -1)


def test_reconcile_refuses_a_file_from_which_nothing_matches(tmp_path, capsys):
    book = lisi_book(tmp_path)
    before = book.read_bytes()
    other = write_book(tmp_path / "钉钉月度汇总.xlsx", {"月度汇总": [
        ["月度汇总 统计日期：2026-11-01 至 2026-11-30"], ["姓名", "UserId", "出勤天数", "工作时长(分钟)"],
        ["李四", "x1", 24, 11520]]})
    assert main(["reconcile", str(book), str(other), "--month", "2026-11"]) == 2
    assert "没有可核对的项目" in capsys.readouterr().err
    assert book.read_bytes() == before


def test_measures_match_without_group_and_unit_and_convert_by_unit():
    import pytest

    from kaohe.imports.reconcile import _number, base_name, measure_columns

    assert base_name("异常统计/迟到次数(次)") == ("迟到次数", "次") and base_name("请假/事假（小时）") == ("事假", "小时")
    names = ["时间", "姓名", "异常统计/旷工次数(次)", "异常统计/旷工时长(分钟)", "假勤统计/调休假(天)"]
    assert measure_columns(names) == {"旷工天数": [(3, "分钟")], "调休天数": [(4, "天")]}  # 旷工次数 is not days
    assert _number(240, "分钟", "旷工天数", 8.0) == 0.5 and _number("8小时", "天", "事假天数", 8.0) == 1
    assert _number("事假 4小时", "", "事假天数", 8.0) == 0.5 and _number("--", "次", "迟到次数", 8.0) is None
    assert _number("1.5", "", "病假天数", 8.0) == pytest.approx(1.5)


def test_ATT_05_reconcile_names_the_approved_punch_exception(tmp_path):
    """王五 (003) comes in at 08:52 on 11-16 with an approved 打卡异常 for 上午上班: on time for kaohe
    (ATT-05), late once for DingTalk; the 说明 names that exception, not the lateness tiers."""
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows += punches_for("003", day, "08:52", "12:00", "13:30", "17:30") if day == dt.date(2026, 11, 16) \
            else full_day("003", day)
    book = write_book(tmp_path / "考勤.xlsx", {
        "员工名册": [ROSTER_HEADER, person("003", "王五")], "打卡记录": rows,
        "打卡异常": [["工号", "日期", "时段", "审批状态"], ["003", dt.date(2026, 11, 16), "上午上班", "已批准"]],
        "人员对照": [["工号", "钉钉UserId"], ["003", "u003"]]})
    dingtalk = write_book(tmp_path / "钉钉月度汇总.xlsx", {"月度汇总": [
        ["月度汇总 统计日期：2026-11-01 至 2026-11-30"], ["姓名", "UserId", "迟到次数", "早退次数"], ["王五", "u003", 1, 0]]})
    assert main(["reconcile", str(book), str(dingtalk), "--month", "2026-11", "-q"]) == 0
    got = {r[2]: r for r in openpyxl.load_workbook(book)["核对"].iter_rows(min_row=2, values_only=True)}
    assert got["迟到次数"][3:6] == (1, 0, -1)
    assert "打卡异常" in got["迟到次数"][6] and "11-16 上午上班" in got["迟到次数"][6]
    assert "ATT-05" in got["迟到次数"][6] and "结构差异" not in got["迟到次数"][6]
    assert got["早退次数"][6] == "一致"


def test_reconcile_leaves_out_rows_outside_the_month(tmp_path):
    wecom = wecom_daily(tmp_path, "上下班打卡_日报_20261030-20261103.xlsx", "10-30 ～ 11-03",
                        {dt.date(2026, 10, 30): (1, 0), dt.date(2026, 10, 31): (0, 1), dt.date(2026, 11, 2): (0, 0),
                         dt.date(2026, 11, 3): (1, 0)})
    book = lisi_book(tmp_path)
    assert main(["reconcile", str(book), str(wecom), "--month", "2026-11", "-q"]) == 0
    got = reconciled(book)
    assert got["迟到次数"][:3] == (1, 0, -1) and got["事假天数"][:3] == (0, 0, 0)  # October's rows not counted
    assert got["旷工天数"][:3] == (0, 0.5, 0.5)  # 11-01..11-03 of kaohe's month


def test_reconcile_refuses_a_monthly_total_reaching_outside_the_month(tmp_path, capsys):
    top = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "迟到次数"]
    other = write_book(tmp_path / "钉钉月度汇总.xlsx", {"月度汇总": [
        ["月度汇总 统计日期：2026-10-26 至 2026-11-25"], ["报表生成时间：2026-11-26"], top,
        ["李四", "总部", "客服部", "002", "主管", "x1", 1]]})
    book = lisi_book(tmp_path)
    assert main(["reconcile", str(book), str(other), "--month", "2026-11"]) == 2
    assert "不在 2026-11 之内" in capsys.readouterr().err


def test_ATT_04_reconcile_explains_the_tiers_as_the_rules_sheet_sets_them(tmp_path):
    # 旷工半天起点分钟 = 40: 11-02's 11 minutes are fined, 11-03's 45 minutes are half a day 旷工, so kaohe
    # counts 1 late arrival against DingTalk's 2, and 0.5 days 旷工 against 0; the notes say 40, not 30.
    book = zhang_book(tmp_path, [["参数", "值"], ["旷工半天起点分钟", 40]])
    assert main(["reconcile", str(book), str(dingtalk_csv_in_hours(tmp_path)), "--month", "2026-11", "-q"]) == 0
    got = reconciled(book)
    assert got["迟到次数"] == (2, 1, -1, "结构差异：kaohe 只把1–40分钟计为迟到（罚款），超过40分钟按旷工（ATT-04），外部系统不分档")
    assert got["旷工天数"] == (0, 0.5, 0.5, "结构差异：kaohe 把迟到早退超过40分钟记为旷工半天、超过120分钟记为旷工1天（ATT-04）")


def test_ATT_03_reconcile_matches_by_the_employee_number_under_a_header_group(tmp_path):
    """WeCom puts 工号 under the 基础信息 group; the account and the name (a nickname) match nobody, so only
    工号 002 says who this is. 11-03: WeCom counts one late arrival, kaohe none (45 minutes: 旷工 half a day)."""
    top = ["时间", "姓名", "账号", "基础信息", None, None, "异常统计"]
    bottom = [None, None, None, "部门", "职务", "工号", "迟到次数(次)"]
    rows = [["上下班打卡_日报"], ["统计时间:11-03 ～ 11-03"], top, bottom,
            ["2026/11/03 星期二", "小李", "nobody01", "客服部", "主管", "002", 1]]
    wecom = write_book(tmp_path / "上下班打卡_日报_20261103-20261103.xlsx", {"概况统计与打卡明细": rows})
    book = lisi_book(tmp_path)
    assert main(["reconcile", str(book), str(wecom), "--month", "2026-11", "-q"]) == 0
    assert reconciled(book)["迟到次数"][:3] == (1, 0, -1)


def test_LV_15_LV_22_reconcile_compares_every_leave_type_of_the_table_named_in_the_export(tmp_path):
    # 张三 (001) in 广东 (规则 工作地): 陪产假 Mon 2 .. Fri 20 Nov, born 1 Nov, no punches on those days. kaohe: 陪产假
    # 15 calendar days (2..16 Nov, 广东's figure), Tue 17 .. Fri 20 Nov 事假 4 days. DingTalk's 月度汇总 (its 请假 group:
    # 事假(天), 陪产假(天), 婚假(天)) does not split the leave: 陪产假 19, 事假 0 -> differences -4 and +4; 婚假 none
    # on either side: 一致.
    off = {dt.date(2026, 11, d) for d in range(2, 21)}
    punches = [["工号", "打卡时间"]] + [p for day in workdays(2026, 11) if day not in off for p in full_day("001", day)]
    book = write_book(tmp_path / "考勤.xlsx", {
        "规则": [["参数", "值"], ["工作地", "广东"]], "员工名册": [ROSTER_HEADER, person("001", "张三")],
        "打卡记录": punches,
        "请假记录": [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料", "事由日期"],
                 ["001", "陪产假", dt.date(2026, 11, 2), dt.date(2026, 11, 20), dt.date(2026, 10, 20), "已批准", "有",
                  dt.date(2026, 11, 1)]],
        "人员对照": [["工号", "钉钉UserId"], ["001", "0261546233"]]})
    top = ["姓名", "考勤组", "部门", "工号", "UserId", "出勤天数", "迟到次数", "请假", None, None]
    bottom = [None] * 7 + ["事假(天)", "陪产假(天)", "婚假(天)"]
    dingtalk = write_book(tmp_path / "钉钉月度汇总.xlsx", {"月度汇总": [
        ["月度汇总 统计日期：2026-11-01 至 2026-11-30"], ["报表生成时间：2026-12-01"], top, bottom,
        ["张三", "总部", "客服部", None, "0261546233", 8, 0, "--", 19, "--"]]})
    assert main(["reconcile", str(book), str(dingtalk), "--month", "2026-11", "-q"]) == 0
    got = reconciled(book)
    assert got["陪产假天数"][:3] == (19, 15, -4)
    assert got["事假天数"][:3] == (0, 4, 4)
    assert got["婚假天数"] == (0, 0, 0, "一致")
