"""kaohe reconcile: the 核对 sheet beside DingTalk's 月度汇总 (two-level header, leave in hours)."""
import datetime as dt

import openpyxl
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays, write_book

from kaohe.cli import main


def test_reconcile_with_dingtalk_monthly_summary(tmp_path):
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
        "人员对照": [["工号", "钉钉UserId"], ["001", "0261546233"]]})
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
