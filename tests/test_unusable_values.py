"""Nothing silent: a value kaohe cannot use safely is a 问题清单 row with its cell, never money.

Every workbook here is built the way HR keeps it; expected money is worked out by hand from docs/规则说明.md
(a base of 4350 gives a daily wage of 200 and an hourly wage of 25).
"""
import datetime as dt

import openpyxl
from builders import ROSTER_HEADER, full_day, person, workdays, write_book

from kaohe.doors.cli import main

LEAVE_HEADER = ["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料"]
OT_HEADER = ["工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批", "补偿方式"]


def rows_of(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def november_punches(*emps, skip=()):
    rows = [["工号", "打卡时间"]]
    for emp in emps:
        for day in workdays(2026, 11, skip):
            rows += full_day(emp, day)
    return rows


def attendance_book(tmp_path, name="考勤.xlsx", **sheets):
    sheets.setdefault("员工名册", [ROSTER_HEADER, person(), person("002", "李四")])
    sheets.setdefault("打卡记录", november_punches("001", "002"))
    return write_book(tmp_path / name, sheets)


# --- each command replaces only its own rows of the same month ---------------------------------

def test_check_leave_keeps_the_rows_of_compute_month(tmp_path):
    book = attendance_book(
        tmp_path,
        请假记录=[LEAVE_HEADER, ["002", "事假", dt.datetime(2026, 11, 20, 8, 30), dt.datetime(2026, 11, 20, 17, 30),
                                dt.date(2026, 11, 10), "已驳回", None]],
        加班申请=[OT_HEADER, ["001", dt.date(2026, 11, 2), dt.time(18), dt.time(20), "是", "否", "加班费"]])
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    first = rows_of(book, "问题清单")
    assert {r["来源"] for r in first} == {"计算本月"} and {r["月份"] for r in first} == {"2026-11"}
    ot = next(r for r in first if r["工作表"] == "加班申请")
    assert (ot["单元格"], ot["工号"], ot["姓名"]) == ("F2", "001", "张三")
    assert main(["check-leave", str(book), "-q"]) == 0
    after = rows_of(book, "问题清单")
    assert [r for r in after if r["来源"] == "计算本月"] == first  # the overtime and other rows stay
    leave = [r for r in after if r["来源"] == "校验请假"]
    assert {r["工作表"] for r in leave} <= {"请假记录", "规则"}
    assert any(r["单元格"] == "F2" and r["工号"] == "002" and r["姓名"] == "李四" for r in leave)
    # Running compute-month again replaces its own rows (no duplicates), and keeps check-leave's.
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    again = rows_of(book, "问题清单")
    assert len(again) == len(after)
    assert [r for r in again if r["来源"] == "校验请假"] == leave


def problem_at(path, sheet, cell):
    return [r for r in rows_of(path, "问题清单") if r["工作表"] == sheet and r["单元格"] == cell]


def summary_of(path):
    return {r["工号"]: r for r in rows_of(path, "月度汇总")}


# --- overtime approvals — only an approval word (or an approver's name) counts -------------------

SUN = dt.date(2026, 11, 8)  # a rest day (the company rests on Sunday)


def test_OT_01_only_an_approval_word_pays_overtime(tmp_path, capsys):
    vps = {"001": "待审批", "002": "未批", "003": "x", "004": "0", "005": "已口头批准", "006": "√", "007": "ＹＥＳ",
           "008": "李经理"}
    roster = [ROSTER_HEADER] + [person(e, f"员工{e}") for e in vps] + [person("900", "李经理", dept="总经办")]
    punches = november_punches(*vps)
    for e in vps:
        punches += [[e, dt.datetime(2026, 11, 8, 8, 50)], [e, dt.datetime(2026, 11, 8, 17, 10)]]
    ot = [OT_HEADER] + [[e, SUN, dt.time(9), dt.time(17), "同意", vp, "加班费"] for e, vp in vps.items()]
    book = attendance_book(tmp_path, 员工名册=roster, 打卡记录=punches, 加班申请=ot)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    money = summary_of(book)
    # 8 h on a rest day at 200 %: 8 × 25 × 2 = 400 — only for √, ＹＥＳ (full width) and an approver's name.
    assert {e: money[e]["加班费"] for e in vps} == {"001": 0, "002": 0, "003": 0, "004": 0, "005": 0,
                                                    "006": 400, "007": 400, "008": 400}
    for row, emp in enumerate(("002", "003", "004", "005"), start=3):  # unknown words: 错误 at the cell, not paid
        found = problem_at(book, "加班申请", f"F{row}")
        assert [r["级别"] for r in found] == ["错误"] and found[0]["工号"] == emp
        assert "无法识别" in found[0]["问题"] and "不计加班费" in found[0]["处理"]
    pending = problem_at(book, "加班申请", "F2")  # 待审批 is a known word: pending, a 警告
    assert [r["级别"] for r in pending] == ["警告"] and "不计加班" in pending[0]["处理"]
    assert "其中错误 4 条" in capsys.readouterr().out


# --- leave status and type -------------------------------------------------------------------------

def test_LV_01_leave_status_words_and_types(tmp_path, capsys):
    thu, fri = dt.datetime(2026, 11, 19, 8, 30), dt.datetime(2026, 11, 20, 17, 30)
    applied = dt.date(2026, 11, 2)
    leave = [LEAVE_HEADER,
             ["001", "事假", thu, fri, applied, "同意", None],
             ["002", "事假", thu, fri, applied, "已同意", None],
             ["003", "事假", thu, fri, applied, " 审批通过 ", None],
             ["004", "年假", thu, fri, applied, "已批准", None],
             ["005", "事假", thu, fri, applied, "口头同意", None],
             ["006", "事假", fri, thu, applied, "已批准", None],
             ["007", "探亲假", thu, fri, applied, "已批准", None]]
    emps = [r[0] for r in leave[1:]]
    skip = (dt.date(2026, 11, 19), dt.date(2026, 11, 20))
    book = attendance_book(tmp_path, 员工名册=[ROSTER_HEADER] + [person(e, f"员工{e}") for e in emps],
                           打卡记录=november_punches(*emps, skip=skip), 请假记录=leave)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    m = summary_of(book)
    # Approved 事假: 2 unpaid days, 2 × 200 = 400 事假扣款, no 旷工.
    for e in ("001", "002", "003"):
        assert (m[e]["事假天数"], m[e]["事假扣款"], m[e]["旷工天数"]) == (2, 400, 0)
    assert (m["004"]["年休假天数"], m["004"]["旷工扣款"]) == (2, 0)  # 年假 is 年休假 (5 days entitled)
    for e in ("005", "006", "007"):  # unknown status, end before start, unknown type: 2 days 旷工 = 400
        assert (m[e]["旷工天数"], m[e]["旷工扣款"], m[e]["事假扣款"]) == (2, 400, 0)
    status = problem_at(book, "请假记录", "F6")
    assert [r["级别"] for r in status] == ["错误"] and "旷工" in status[0]["处理"] and status[0]["工号"] == "005"
    order = problem_at(book, "请假记录", "D7")
    assert [r["级别"] for r in order] == ["错误"] and "结束早于开始" in order[0]["问题"]
    kind = problem_at(book, "请假记录", "B8")
    assert [r["级别"] for r in kind] == ["错误"] and "探亲假" in kind[0]["问题"]
    assert "其中错误 3 条" in capsys.readouterr().out


def test_hr_synonyms_in_the_rules_sheet(tmp_path):
    """HR adds their own words in 规则 (列 / 写法 / 标准值): 探亲假 counts as 事假, 领导已签 as approved."""
    thu, fri = dt.datetime(2026, 11, 19, 8, 30), dt.datetime(2026, 11, 20, 17, 30)
    rules = [["参数", "值", "列", "写法", "标准值"],
             [None, None, "假别", "探亲假", "事假"],
             [None, None, "审批状态", "领导已签", "已批准"],
             [None, None, "假别", "公休", "年假"]]  # 标准值 must be a standard value: reported, unused
    leave = [LEAVE_HEADER, ["001", "探 亲 假", thu, fri, dt.date(2026, 11, 2), "领导已签", None]]
    book = attendance_book(tmp_path, 员工名册=[ROSTER_HEADER, person()], 打卡记录=november_punches(
        "001", skip=(thu.date(), fri.date())), 请假记录=leave, 规则=rules)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    m = summary_of(book)["001"]
    assert (m["事假天数"], m["事假扣款"], m["旷工天数"]) == (2, 400, 0)
    bad = problem_at(book, "规则", "D4")
    assert [r["级别"] for r in bad] == ["错误"] and "公休" in bad[0]["问题"]


def test_LV_01_LEAVECHECK_reads_the_same_vocabulary():
    import kaohe.doors.udfs as f

    day, applied = dt.date(2026, 11, 2), dt.date(2026, 11, 1)
    assert f.LEAVECHECK("年假", day, day, applied, "同意") == f.LEAVECHECK("年休假", day, day, applied, "已批准")
    assert f.LEAVECHECK("事假", day, day, applied, "审批通过") == "通过"
    assert f.LEAVECHECK("事假", day, day, applied, "口头同意").startswith("不通过：LV-01")
    assert f.LEAVECHECK("事假", day, day, applied, None).startswith("不通过：LV-01")  # blank = pending


# --- a month with no punches is refused, never billed as total absence ----------------------------

def test_ATT_06_a_month_without_punches_is_refused(tmp_path, capsys):
    october = [["工号", "打卡时间"]] + [r for d in workdays(2026, 10) for r in full_day("001", d)]
    book = attendance_book(tmp_path, 员工名册=[ROSTER_HEADER, person()], 打卡记录=october)
    before = book.read_bytes()
    for args in (["compute-month", str(book), "--month", "2026-01"],
                 ["finance", str(book), "--month", "2026-01", "--out", str(tmp_path / "fin")],
                 ["reconcile", str(book), str(book), "--month", "2026-01"]):
        assert main(args + ["-q"]) == 2
        err = capsys.readouterr().err
        assert "错误：打卡记录和打卡导入中没有 2026-01 的打卡（已有 2026-10-01 至 2026-10-31）" in err
    assert book.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["考勤.xlsx"]


def test_LV_01_check_leave_validates_next_months_request(tmp_path):
    """No December punches yet (and 002 hired in December): check-leave still validates the request."""
    dec = dt.datetime(2026, 12, 10, 8, 30), dt.datetime(2026, 12, 10, 17, 30)
    book = attendance_book(tmp_path, 员工名册=[ROSTER_HEADER, person(), person("002", "李四", hired=dt.date(2026, 12, 1))],
                           打卡记录=november_punches("001"),
                           请假记录=[LEAVE_HEADER, ["001", "年假", *dec, dt.date(2026, 11, 20), "同意", None]])
    assert main(["check-leave", str(book), "-q"]) == 0
    check = rows_of(book, "请假校验")
    assert [(r["假别"], r["计为"], r["校验结果"], r["天数"]) for r in check] == [("年休假", "年休假", "通过", 1)]


def test_ATT_06_someone_without_a_punch_all_month_is_a_warning(tmp_path):
    book = attendance_book(tmp_path, 打卡记录=november_punches("001"))
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    # 002 is due 25 days in November 2026 (30 days minus 5 Sundays): 25 × 200 = 5000 旷工扣款 — stands.
    assert (summary_of(book)["002"]["旷工天数"], summary_of(book)["002"]["旷工扣款"]) == (25, 5000)
    found = [r for r in rows_of(book, "问题清单") if "整月无打卡" in r["问题"]]
    assert [(r["工作表"], r["级别"], r["工号"], r["姓名"]) for r in found] == [("打卡记录", "警告", "002", "李四")]


def test_ATT_06_punch_data_that_stops_before_the_month_ends_is_a_warning(tmp_path):
    later = [d for d in workdays(2026, 11) if d > dt.date(2026, 11, 3)]
    book = attendance_book(tmp_path, 打卡记录=november_punches("001", "002", skip=later))
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    # November 2026 has 25 workdays (6-day week); 11-02 and 11-03 punched, so 23 remain: 23 × 200 = 4600 each.
    assert summary_of(book)["001"]["旷工扣款"] == 4600
    found = [r for r in rows_of(book, "问题清单") if r["问题"].startswith("打卡数据只到")]
    assert [(r["问题"], r["级别"]) for r in found] == [("打卡数据只到 11-03，其后 23 个应出勤日（11-04 起）无人打卡", "警告")]
    # A month punched to its last workday says nothing of the kind.
    full = attendance_book(tmp_path, "full.xlsx")
    assert main(["compute-month", str(full), "--month", "2026-11", "-q"]) == 0
    assert not any(r["问题"].startswith("打卡数据只到") for r in rows_of(full, "问题清单"))


# --- lost leading zeros ----------------------------------------------------------------------------

def test_ATT_03_ids_are_read_as_meant_and_an_unknown_id_names_the_roster_id_it_probably_is(tmp_path):
    """One identity rule (kaohe.engine.inputs): a number 1 is 001 once its zeros are dropped (a 提示), full-width
    ００２ is 002; 003 typed as "0 0 3" is nobody (spaces inside an id are not dropped) and names 003."""
    punches = [["工号", "打卡时间"]]
    for d in workdays(2026, 11):
        punches += [[1, ts] for _, ts in full_day("001", d)] + [["００２", ts] for _, ts in full_day("002", d)]
        punches += [["0 0 3", ts] for _, ts in full_day("003", d)]
    roster = [ROSTER_HEADER, person(), person("002", "李四"), person("003", "王五")]
    book = attendance_book(tmp_path, 员工名册=roster, 打卡记录=punches)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    problems = rows_of(book, "问题清单")
    one = [r for r in problems if r["单元格"] == "A2"]
    assert [(r["问题"], r["级别"], r["工号"]) for r in one] == [
        ("工号“1”按员工名册的“001”计算（去掉前导零后只对得上此人）", "提示", "001")]
    assert not any("００２" in r["问题"] for r in problems)
    assert any(r["问题"].startswith("工号“0 0 3”不在员工名册中，是否为“003”？（100条打卡）") for r in problems)
    # 25 workdays of clean punches: 001 and 002 owe nothing; 003's punches are not guessed onto 003.
    s = summary_of(book)
    assert (s["001"]["旷工扣款"], s["002"]["旷工扣款"], s["003"]["旷工扣款"]) == (0, 0, 5000)


def test_ATT_03_an_id_two_roster_ids_could_be_is_never_guessed(tmp_path):
    punches = [["工号", "打卡时间"]] + [[1, ts] for d in workdays(2026, 11) for _, ts in full_day("001", d)]
    punches += [["002", ts] for d in workdays(2026, 11) for _, ts in full_day("002", d)]
    book = attendance_book(tmp_path, 员工名册=[ROSTER_HEADER, person(), person("01", "李四"), person("002", "王五")],
                           打卡记录=punches)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    one = [(r["问题"], r["级别"]) for r in rows_of(book, "问题清单") if r["单元格"] == "A2"]
    assert one == [("工号“1”不在员工名册中（100条打卡）", "错误")]
    # 001 and 01 both lost their punches to the unreadable id: each is charged the month (25 days x 200), and says so.
    money = summary_of(book)
    assert money["001"]["旷工扣款"] == 5000 and money["01"]["旷工扣款"] == 5000 and money["002"]["旷工扣款"] == 0


# --- an Excel Table's total row is not an employee and not a punch ----------------------------------

def test_ATT_03_table_total_rows_are_skipped_with_a_note(tmp_path):
    import xlsxwriter

    path = tmp_path / "考勤.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    day, stamp = wb.add_format({"num_format": "yyyy-mm-dd"}), wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    roster = wb.add_worksheet("员工名册")
    people = [["001", "张三", "客服部", dt.datetime(2020, 1, 1), 4350], ["002", "李四", "客服部", dt.datetime(2020, 1, 1), 4350]]
    roster.add_table("A1:E4", {"data": people, "total_row": True, "columns": [
        {"header": "工号", "total_string": "汇总"}, {"header": "姓名"}, {"header": "部门"},
        {"header": "入职日期", "format": day}, {"header": "岗位基本工资", "total_function": "sum"}]})
    punches = [[e, ts] for e in ("001", "002") for d in workdays(2026, 11) for _, ts in full_day(e, d)]
    sheet = wb.add_worksheet("打卡记录")
    last = len(punches) + 2  # header, the punches, the total row
    sheet.add_table(f"A1:B{last}", {"data": punches, "total_row": True, "columns": [
        {"header": "工号"}, {"header": "打卡时间", "format": stamp, "total_function": "count"}]})
    wb.close()
    assert main(["compute-month", str(path), "--month", "2026-11", "-q"]) == 0
    money = summary_of(path)
    assert sorted(money) == ["001", "002", "合计"]  # no employee “汇总”
    assert money["合计"]["旷工扣款"] == 0 and money["合计"]["调整合计"] == 0
    notes = {(r["工作表"], r["单元格"]): r["级别"] for r in rows_of(path, "问题清单") if "汇总" in r["问题"]}
    assert notes == {("员工名册", "A4"): "提示", ("打卡记录", f"A{last}"): "提示"}


def test_ATT_03_a_total_row_typed_by_hand_is_skipped(tmp_path):
    roster = [ROSTER_HEADER, person(), person("002", "李四"), ["合计", None, None, None, 8700]]
    book = attendance_book(tmp_path, 员工名册=roster)
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    assert sorted(summary_of(book)) == ["001", "002", "合计"]
    note = problem_at(book, "员工名册", "A4")
    assert [r["级别"] for r in note] == ["提示"] and "合计" in note[0]["问题"]


# --- KPI 奖惩 of people the attendance roster lacks is never a silent 0 ---------------------------

def test_KPI_04_finance_refuses_kpi_ids_missing_from_the_roster(tmp_path, capsys):
    team = "网店客服组"
    kpi_roster = [ROSTER_HEADER] + [person(e, n, team) for e, n in (("001", "甲"), ("002", "乙"), ("003", "丙"))]
    kpi_rows = [["月份", "工号", "咨询转化率", "自评分", "报表整体质量"], ["2026-11", "001", 0.6, 90, 30],
                ["2026-11", "002", 0.4, 80, 20], ["2026-11", "003", 0.2, 70, 10]]
    rules = [["指标", "权重", "方向", "目标值", "底线值", "评分人"], ["咨询转化率", 70, "越高越好", 0.6, 0.2, "数据"],
             ["报表整体质量", 30, "越高越好", None, None, "店长"]]
    kpi = write_book(tmp_path / "客服绩效.xlsx", {"员工名册": kpi_roster, "KPI数据": kpi_rows, "KPI规则": rules})
    book = attendance_book(tmp_path, 员工名册=[ROSTER_HEADER, person("001", "甲", team), person("002", "乙", team)])
    out = tmp_path / "财务汇总_2026-11.xlsx"
    args = ["finance", str(book), "--month", "2026-11", "--kpi", str(kpi), "--out", str(out), "-q"]
    assert main(args) == 2 and not out.exists()
    assert "003（-100.00元）" in capsys.readouterr().err  # 丙 ranks last: −100 (KPI-04)
    assert main(args + ["--skip-unmatched-kpi"]) == 0
    assert "未计入KPI奖惩（不在考勤员工名册中）：003（-100.00元）" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert any("未计入KPI奖惩（不在考勤员工名册中）：003（-100.00元）" in str(r[0]) for r in rows[:5])
    header = next(i for i, r in enumerate(rows) if r[0] == "工号")
    kpi_money = {r[0]: r[rows[header].index("KPI奖惩")] for r in rows[header + 1:] if r[0]}
    assert kpi_money == {"001": 100, "002": 0, "合计": 100}  # 甲 ranks first: +100


# --- a template never overwrites a workbook -------------------------------------------------------

def test_template_refuses_an_existing_file_unless_forced(tmp_path, capsys):
    book = attendance_book(tmp_path)
    before = book.read_bytes()
    assert main(["template", "attendance", "--out", str(book)]) == 2
    assert "--force" in capsys.readouterr().err and book.read_bytes() == before
    assert main(["template", "attendance", "--out", str(book), "--force"]) == 0
    assert rows_of(book, "员工名册") == []  # overwritten, as asked: the blank template


# --- send sends only a finance workbook kaohe wrote -----------------------------------------------

def test_send_refuses_anything_but_a_finance_workbook_kaohe_wrote(tmp_path, capsys, monkeypatch):
    import kaohe.jobs.mail as mail

    sent = []
    monkeypatch.setattr(mail, "load_settings", lambda env=None: (_ for _ in ()).throw(AssertionError("no mail")))
    monkeypatch.setattr(mail.smtplib, "SMTP", lambda *a, **k: sent.append(a))
    book = attendance_book(tmp_path)
    assert main(["send", str(book), "--to", "fin@example.com", "--unclosed"]) == 2
    assert "不是 kaohe 导出的财务表" in capsys.readouterr().err
    assert main(["send", str(book), "--to", "fin@example.com", "--unclosed", "--any-file"]) == 2
    assert "打卡或人员明细表" in capsys.readouterr().err and not sent
    out = tmp_path / "财务汇总_2026-11.xlsx"
    assert main(["finance", str(book), "--month", "2026-11", "--out", str(out), "-q"]) == 0
    wb = openpyxl.load_workbook(out)
    wb.active["A1"] = "改过"  # the cover, not a figure: still refused
    wb.save(out)
    assert main(["send", str(out), "--to", "fin@example.com", "--unclosed"]) == 2  # changed since: refused
    assert "导出后被改动过" in capsys.readouterr().err and not sent


# --- decision: a blank 转正日期 is hire date + 6 months (劳动合同法第十九条), with a 提示 ---------------------

def test_LV_05_blank_regular_date_is_hire_plus_six_months(tmp_path):
    thu, fri = dt.datetime(2026, 11, 19, 8, 30), dt.datetime(2026, 11, 20, 17, 30)
    roster = [ROSTER_HEADER, person("001", "甲", hired=dt.date(2026, 8, 1)), person("002", "乙", hired=dt.date(2026, 3, 1))]
    leave = [LEAVE_HEADER, ["001", "婚假", thu, fri, dt.date(2026, 11, 2), "已批准", "有"],
             ["002", "婚假", thu, fri, dt.date(2026, 11, 2), "已批准", "有"]]
    book = attendance_book(tmp_path, 员工名册=roster, 请假记录=leave, 打卡记录=november_punches(
        "001", "002", skip=(thu.date(), fri.date())))
    assert main(["compute-month", str(book), "--month", "2026-11", "-q"]) == 0
    m = summary_of(book)
    # 甲: regular only from 2027-02-01, so no 婚假 (LV-05): 2 days 事假 = 400. 乙: regular from 2026-09-01: 婚假, paid.
    assert (m["001"]["婚假天数"], m["001"]["事假天数"], m["001"]["事假扣款"]) == (0, 2, 400)
    assert (m["002"]["婚假天数"], m["002"]["事假扣款"], m["002"]["旷工扣款"]) == (2, 0, 0)
    notes = [(r["单元格"], r["级别"], r["问题"]) for r in rows_of(book, "问题清单") if "转正日期为空" in r["问题"]]
    assert ("A2", "提示", "转正日期为空：按入职（2026-08-01）后6个月，2027-02-01起视为已转正") in notes
    assert ("A3", "提示", "转正日期为空：按入职（2026-03-01）后6个月，2026-09-01起视为已转正") in notes


def test_LEAVEDAYS_reads_leave_type_synonyms():
    import kaohe.doors.udfs as f

    mon, tue = dt.date(2026, 11, 2), dt.date(2026, 11, 3)
    assert f.LEAVEDAYS("年假", mon, tue) == f.LEAVEDAYS("年休假", mon, tue) == 2
    assert f.LEAVEDAYS("探亲假", mon, tue).startswith("错误：")
