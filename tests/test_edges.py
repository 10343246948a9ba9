"""Edge cases an HR tester met: what kaohe writes and says at the margins of ordinary use."""
import datetime as dt

import openpyxl
import pytest
from builders import ROSTER_HEADER, full_day, person, workdays, write_book

from kaohe.doors.cli import main


def sheet_rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def numeric_id_book(tmp_path):
    """员工名册 types 工号 1 as a number and 002 as text; 打卡记录 likewise. 1 is late once (08:41 → fine 20)."""
    punches = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows = full_day("001", day)
        if day == dt.date(2026, 11, 2):
            rows[0][1] = dt.datetime(2026, 11, 2, 8, 41)
        punches += [[1, t] for _, t in rows] + full_day("002", day)
    roster = [ROSTER_HEADER, person(1, "张三"), person("002", "李四")]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": roster, "打卡记录": punches, "工资表": [["工号", "调整合计"]]})
    wb = openpyxl.load_workbook(book)  # the README's payroll lookup: 工号 from the roster, 调整合计 by VLOOKUP
    for r in (2, 3):
        wb["工资表"].cell(r, 1).value = f"=员工名册!A{r}"
        wb["工资表"].cell(r, 2).value = f'=VLOOKUP(A{r},月度汇总!A:AZ,MATCH("调整合计",月度汇总!$1:$1,0),FALSE)'
    wb.save(book)
    return book


def test_id_written_as_the_roster_typed_it_so_payroll_vlookup_finds_it(tmp_path):
    from lo import recalculated

    book = numeric_id_book(tmp_path)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    ids = [wb["月度汇总"].cell(r, 1).value for r in (2, 3)]
    assert ids == [1, "002"]  # a number stays a number, text stays text
    assert {r["工号"] for r in sheet_rows(book, "每日明细")} == {1, "002"}
    lo = recalculated(book, tmp_path)["工资表"]
    assert lo["B2"].value == -20 and lo["B3"].value == 0  # 1: one late arrival, ATT-04 fine 20
    # the figures HR checked can still be closed (工号 1 read back from 月度汇总 is the same person)
    assert main(["close", str(book), "--month", "2026-11", "--by", "王会计", "-q"]) == 0
    assert main(["finance", str(book), "--month", "2026-11", "--out", str(tmp_path / "财务.xlsx"), "-q"]) == 0
    rows = list(openpyxl.load_workbook(tmp_path / "财务.xlsx").worksheets[0].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "工号")
    assert [r[0] for r in rows[header + 1:header + 3]] == [1, "002"]


def test_ATT_11_rest_day_punches_shown_in_daily_and_on_the_slip(tmp_path):
    """Sunday 2026-11-08 is a rest day (ATT-01); 001 punches 08:55 and 12:05 for approved overtime 09:00–12:00."""
    from kaohe.engine.month import compute_month
    from kaohe.jobs.slips import events
    from kaohe.workbook.read import read_book

    punches = [["工号", "打卡时间"], ["001", dt.datetime(2026, 11, 8, 8, 55)], ["001", dt.datetime(2026, 11, 8, 12, 5)]]
    for day in workdays(2026, 11):
        punches += full_day("001", day)
    overtime = [["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "补偿方式"],
                ["001", dt.date(2026, 11, 8), dt.time(9), dt.time(12), "同意", "同意", "加班费"]]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": punches,
                                             "加班申请": overtime})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    sunday = next(r for r in sheet_rows(book, "每日明细") if r["日期"] == dt.datetime(2026, 11, 8))
    assert (sunday["上午上班"], sunday["上午下班"], sunday["下午上班"], sunday["下午下班"]) == \
        (dt.time(8, 55), dt.time(12, 5), None, None)
    assert sunday["迟到分钟"] == 0 and sunday["罚款"] == 0  # shown, not judged: a rest day has no schedule
    result = compute_month(read_book(book).tables, "2026-11")
    slip = next(e for e in events(result)["001"] if e[0] == "11-08")
    assert slip[2] == "08:55 12:05 --:-- --:--"


def test_a_time_that_cannot_be_read_says_how_to_write_it(tmp_path):
    leave = [["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"],
             ["001", "事假", "2026-11-11 下午", "2026-11-11 17:30", dt.date(2026, 11, 5), "已批准"]]
    punches = [["工号", "打卡时间"]] + [r for day in workdays(2026, 11) for r in full_day("001", day)]
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": punches,
                                             "请假记录": leave})
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    row = next(r for r in sheet_rows(book, "问题清单") if r["单元格"] == "C2")
    assert "下午" in row["问题"] and "13:30" in row["问题"] and "2026-11-11" in row["问题"]


@pytest.mark.parametrize("written, value", [("30元", 30.0), ("30 元", 30.0), ("30", 30.0), (30, 30.0)])
def test_ATT_04_rule_value_with_the_parameter_unit_is_accepted(written, value):
    from kaohe.policy import policy_from_rows

    policy, findings = policy_from_rows([("B2", "迟到早退罚款", written)])
    assert policy.late_fine == value and not [f for f in findings if f.cell == "B2"]


@pytest.mark.parametrize("key, written, field, value", [("婚假天数", "5天", "marriage_leave_days", 5.0),
                                                        ("旷工半天起点分钟", "45分钟", "late_half_day_minutes", 45),
                                                        ("病假工资比例", "60%", "sick_pay_ratio", 0.6),
                                                        ("工作日加班倍数", "2倍", "overtime_multiplier_workday", 2.0)])
def test_rule_values_in_their_own_units(key, written, field, value):
    from kaohe.policy import PARAMS_BY_KEY, policy_from_rows

    assert PARAMS_BY_KEY[key].name == field
    policy, findings = policy_from_rows([("B2", key, written)])
    assert getattr(policy, field) == value and not [f for f in findings if f.cell == "B2"]


@pytest.mark.parametrize("written, says", [("30天", "以“元”计"), ("30%", "以“元”计"), ("三十元", "应为数字")])
def test_ATT_04_rule_value_in_another_unit_is_refused_with_a_hint(written, says):
    from kaohe.policy import policy_from_rows

    policy, findings = policy_from_rows([("B2", "迟到早退罚款", written)])
    (finding,) = [f for f in findings if f.cell == "B2"]
    assert policy.late_fine == 20 and says in finding.problem and finding.cell == "B2"  # the default stays


def test_importing_the_identical_file_again_writes_nothing(tmp_path, capsys):
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": [["工号", "打卡时间"]],
                                             "人员对照": [["工号", "考勤号码"], ["001", "1"]]})
    dat = tmp_path / "1_attlog.dat"
    dat.write_text("\r\n".join(f"        1\t2026-11-02 {t}\t1\t0\t1\t0" for t in ("08:21:09", "12:00:31", "13:24:50",
                                                                             "17:31:02")) + "\r\n", encoding="utf-8")
    assert main(["import", str(book), str(dat)]) == 0
    assert "导入打卡 4 条" in capsys.readouterr().out
    before, backups = book.read_bytes(), sorted(tmp_path.glob("*.bak-*"))
    assert main(["import", str(book), str(dat)]) == 0
    out = capsys.readouterr().out
    assert "已导入过，无变化" in out and "导入打卡" not in out and "备份" not in out
    assert book.read_bytes() == before and sorted(tmp_path.glob("*.bak-*")) == backups
    dat.write_text(dat.read_text(encoding="utf-8") + "        1\t2026-11-03 08:20:00\t1\t0\t1\t0\r\n", encoding="utf-8")
    assert main(["import", str(book), str(dat)]) == 0  # the same file name with a new punch: imported
    assert "导入打卡 5 条" in capsys.readouterr().out and book.read_bytes() != before


def test_import_problems_have_their_month_and_line(tmp_path):
    """PIN 99 is nobody (3 punches from line 3 in November 2026); line 2 is not a punch."""
    book = write_book(tmp_path / "考勤.xlsx", {"员工名册": [ROSTER_HEADER, person()], "打卡记录": [["工号", "打卡时间"]],
                                             "人员对照": [["工号", "考勤号码"], ["001", "1"]]})
    dat = tmp_path / "1_attlog.dat"
    lines = ["        1\t2026-11-02 08:21:09\t1\t0\t1\t0", "        1\t2026-13-02 08:21:09\t1\t0\t1\t0"]
    lines += [f"       99\t2026-11-03 0{h}:00:00\t1\t0\t1\t0" for h in (8, 9)] + ["       99\t2026-11-04 08:00:00\t1\t0\t1\t0"]
    dat.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert main(["import", str(book), str(dat), "-q"]) == 0
    rows = sheet_rows(book, "问题清单")
    unknown = next(r for r in rows if "“99”" in r["问题"])
    assert (unknown["工作表"], unknown["单元格"], unknown["月份"], unknown["来源"]) == ("1_attlog.dat", "第3行", "2026-11", "导入")
    skipped = next(r for r in rows if "不是有效打卡记录" in r["问题"])
    assert (skipped["单元格"], skipped["月份"]) == ("第2行", "2026-11")
    dat.write_text("\r\n".join(lines[:1]) + "\r\n", encoding="utf-8")
    assert main(["import", str(book), str(dat), "-q"]) == 0  # a new import replaces the import's rows of every month
    assert not [r for r in sheet_rows(book, "问题清单") if r["来源"] == "导入"]


def test_REV_03_review_rows_about_a_person_name_them(tmp_path):
    roster = [["工号", "姓名", "部门", "入职日期", "岗位基本工资", "岗位", "转正日期", "绩效工资"],
              ["001", "赵一", "电子商务部", dt.date(2024, 1, 1), 6000, "推广专员", dt.date(2024, 4, 1), 2000],
              ["002", "钱二", "电子商务部", dt.date(2024, 1, 1), 5000, "客服专员", dt.date(2024, 4, 1), 1500]]
    scores = [["周期", "被考核人工号", "评分人工号", "关系", "经营业绩", "工作态度", "任职能力", "团队协作"],
              ["2026Q3", "001", "001", "自评", 90, 80, 80, 70], ["2026Q3", "001", "009", "上级", 90, 80, 80, 70]]
    book = write_book(tmp_path / "考核.xlsx", {"员工名册": roster, "考核评分": scores})
    assert main(["review", str(book), "--quarter", "2026Q3", "-q"]) == 0
    rows = sheet_rows(book, "问题清单")
    none = next(r for r in rows if "没有有效评分" in r["问题"])  # 002 has no rating at all
    assert (none["工号"], none["姓名"]) == ("002", "钱二")
    short = next(r for r in rows if "缺少" in r["问题"])  # 001 lacks 互评
    assert (short["工号"], short["姓名"]) == ("001", "赵一")


def test_a_parameter_unit_is_a_field_of_the_policy_not_read_from_its_explanation():
    import dataclasses

    from kaohe.policy import PARAMS_BY_KEY, params, parse_value, unit

    reworded = dataclasses.replace(PARAMS_BY_KEY["迟到早退罚款"], doc="迟到或早退每次的罚款")  # no （元） at the end
    assert unit(reworded) == "元" and parse_value(reworded, "30元") == 30
    # Numbers without a unit are plain counts of their own kind: a month, a day of the month, a score, places.
    plain = {p.key for p in params() if p.kind in ("number", "int") and not p.unit}
    assert plain == {"妇女节月份", "妇女节日期", "KPI满分", "KPI整改名次"}
