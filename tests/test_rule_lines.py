"""Rule lines no other test reaches, run in memory from rows (the rule is under test, not the file).

Expected values are worked out by hand from the rules (docs/规则说明.md):
KPI-01/02/05 (篇二), ATT-02 (第五条), LV-01 (第二十二条), LV-03 (第三十条), REV-01..05 (篇四),
and the findings for input HR typed wrong (员工名册, 节假日, 打卡异常, 代打卡记录).
"""
import datetime as dt

import pandas as pd
import pytest
from builders import ROSTER_HEADER, full_day, person, punches_for, workdays
from conftest import month_from_rows

from kaohe import terms
from kaohe.engine import kpi, review
from kaohe.engine.month import roster_frame
from kaohe.findings import NOT_RANKED
from kaohe.policy import DEFAULT
from kaohe.policy.tables import GRADES, KPI_INDICATORS
from kaohe.workbook import contract as c
from kaohe.workbook.read import kpi_data_table, tables_from_rows

D = lambda day: dt.date(2026, 11, day)  # noqa: E731
TEAM = DEFAULT.kpi_team
LEAVE_HEADER = ["工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态", "证明材料", "事由日期", "备注"]


def _roster(table, findings):
    roster, found = roster_frame(table)
    findings += found
    return roster


def tables(sheets: dict, specs) -> tuple[dict, list]:
    return tables_from_rows(sheets.get, specs)


# --- KPI ------------------------------------------------------------------------------

KPI_RULES = [["指标", "权重", "方向", "目标值", "底线值", "评分人"],
             ["咨询转化率", 60, "越高越好", 0.6, 0.2, "数据"],
             ["报表整体质量", 40, "越高越好", None, None, "店长"]]
KPI_HEADER = ["月份", "工号", "咨询转化率", "自评分", "报表整体质量"]


def kpi_month(data_rows, people=4, notice=dt.date(2026, 12, 3), month="2026-11"):
    roster = [ROSTER_HEADER] + [person(f"00{i}", f"员工{i}", TEAM) for i in range(1, people + 1)]
    t, findings = tables({"员工名册": roster, "KPI规则": KPI_RULES}, (c.ROSTER, c.KPI_RULES))
    indicators, found = kpi.indicators_from_rules(t[c.KPI_RULES.key])
    findings += found
    names = {i.name: i.name for i in indicators} | {c.KPI_SELF: c.KPI_SELF}
    data, found = kpi_data_table([KPI_HEADER] + data_rows, names)
    findings += found
    history = pd.DataFrame(columns=["month", "emp", "score", "rank", "last"])
    return kpi.score_month(_roster(t[c.ROSTER.key], findings), data, indicators, DEFAULT, month, notice, history, c.KPI_SELF)


def test_KPI_01_incomplete_row_is_not_ranked_and_never_scored_zero():
    # 001: 0.6 -> 60 + mgr 40 = 100, self 100 -> 100.   002: 0.4 -> 30 + 20 = 50, self 50 -> 15 + 35 = 50.
    # 003: 0.2 -> 0 + 0 = 0, self 0 -> 0 (a real zero).  004: no 自评分 -> listed, not ranked.
    r = kpi_month([["2026-11", "001", 0.6, 100, 40], ["2026-11", "002", 0.4, 50, 20],
                   ["2026-11", "003", 0.2, 0, 0], ["2026-11", "004", 0.5, None, 30]])
    scores = r.scores.set_index("emp")
    assert list(scores.index) == ["001", "002", "003"]
    assert scores["score"].tolist() == [100, 50, 0] and scores["rank"].tolist() == [1, 2, 3]
    missing = [f for f in r.findings if f.rule == "KPI-01" and "自评分" in f.problem]
    assert missing and missing[0].cell == "B5" and missing[0].action == "不参加本月排名"


def test_KPI_01_member_without_data_and_duplicate_rows():
    r = kpi_month([["2026-11", "001", 0.6, 100, 40], ["2026-11", "001", 0.2, 0, 0],
                   ["2026-11", "002", 0.4, 50, 20], ["2026-11", "003", 0.2, 0, 0]])
    assert r.scores.set_index("emp").at["001", "score"] == 100  # the first row counts
    assert any(f.cell == "B3" and f.action == "只用第一行" for f in r.findings)
    assert any("004" in f.problem and "没有2026-11的KPI数据" in f.problem for f in r.findings)
    assert "004" not in set(r.scores["emp"])


def test_KPI_01_manager_points_outside_the_weight_are_clamped():
    # 报表整体质量 55 of 40 points -> 40 (warning); -5 -> 0.
    r = kpi_month([["2026-11", "001", 0.6, 100, 55], ["2026-11", "002", 0.6, 100, -5], ["2026-11", "003", 0.2, 0, 0]])
    points = r.scores.set_index("emp")["p:报表整体质量"]
    assert points["001"] == 40 and points["002"] == 0
    assert [f.cell for f in r.findings if "超出 0–40" in f.problem] == ["E2", "E3"]


def test_KPI_01_text_that_is_not_a_number_is_missing_data():
    r = kpi_month([["2026-11", "001", "很好", 100, 40], ["2026-11", "002", 0.4, 50, 20], ["2026-11", "003", 0.2, 0, 0]])
    assert "001" not in set(r.scores["emp"])
    assert any("咨询转化率" in f.problem and f.cell == "B2" for f in r.findings)


@pytest.mark.parametrize("month,notice,deadline", [("2026-11", dt.date(2026, 12, 1), dt.date(2026, 12, 8)),
                                                   ("2026-12", dt.date(2027, 1, 1), dt.date(2027, 1, 8))])
def test_KPI_05_without_notice_date_the_first_of_next_month(month, notice, deadline):
    r = kpi_month([[month, "001", 0.6, 100, 40], [month, "002", 0.4, 50, 20], [month, "003", 0.2, 0, 0]],
                  notice=None, month=month)
    assert r.notice_date == notice
    assert r.scores.set_index("emp")["deadline"].dropna().tolist() == [deadline, deadline]  # 002 and 003
    assert any(f.rule == "KPI-05" and f.level == c.LEVEL_INFO for f in r.findings)


@pytest.mark.parametrize("row,problem", [
    ([None, 50, "越高越好", 0.6, 0.2, "数据"], "指标名称为空"),
    (["咨询转化率", -1, "越高越好", 0.6, 0.2, "数据"], "权重应为非负数"),
    (["咨询转化率", 50, "越大越好", 0.6, 0.2, "数据"], "方向应为"),
    (["咨询转化率", 50, "越高越好", 0.6, 0.2, "组长"], "评分人应为"),
    (["咨询转化率", 50, "越高越好", None, 0.2, "数据"], "须有目标值和底线值"),
    (["咨询转化率", 50, "越高越好", 0.2, 0.6, "数据"], "目标值应高于底线值"),
    (["平均响应时间", 50, "越低越好", 60, 20, "数据"], "目标值应低于底线值"),
])
def test_KPI_02_a_bad_rules_row_falls_back_to_the_default_indicators(row, problem):
    t, findings = tables({"KPI规则": [KPI_RULES[0], KPI_RULES[2], row]}, (c.KPI_RULES,))
    indicators, found = kpi.indicators_from_rules(t[c.KPI_RULES.key])
    findings += found
    assert indicators is KPI_INDICATORS
    assert len(findings) == 1 and problem in findings[0].problem and findings[0].cell == "A3"
    assert findings[0].action == "整张KPI规则表未使用，按默认指标计算"


def test_KPI_01_weights_not_adding_up_to_100_are_used_as_given_with_a_warning():
    t, findings = tables({"KPI规则": [KPI_RULES[0], KPI_RULES[1]]}, (c.KPI_RULES,))
    indicators, found = kpi.indicators_from_rules(t[c.KPI_RULES.key])
    findings += found
    assert [i.weight for i in indicators] == [60]
    assert findings[0].level == c.LEVEL_WARNING and "合计为60" in findings[0].problem


# --- ATT-02: shifts -----------------------------------------------------------------------

SHIFT_HEADER = ["班次", "时段1开始", "时段1结束", "时段2开始", "时段2结束"]


def test_ATT_02_two_session_shift_and_an_unknown_shift():
    # 两头班 07:00-11:00 and 16:00-20:00 on Mon 2 Nov: the first half punched, the second not -> 旷工 0.5 day.
    # Tue 3 Nov is rostered 夜宵班, which 班次 does not define: reported, the day is a day off.
    m = month_from_rows({
        "员工名册": [ROSTER_HEADER, person(system=c.COMPREHENSIVE_HOURS)],
        "打卡记录": [["工号", "打卡时间"]] + punches_for("001", D(2), "06:55", "11:02"),
        "排班": [["工号", "日期", "班次"], ["001", D(2), "两头班"], ["001", D(3), "夜宵班"]],
        "班次": [SHIFT_HEADER, ["两头班", dt.time(7), dt.time(11), dt.time(16), dt.time(20)]],
    })
    s = m.summary()
    assert s["应出勤天数"] == 1 and s["旷工天数"] == 0.5 and s["实出勤天数"] == 0.5
    assert m.day(D(2))["旷工天数"] == 0.5
    unknown = [f for f in m.findings if "夜宵班" in f.problem]
    assert len(unknown) == 1 and unknown[0].sheet == "排班" and unknown[0].cell == "C3" and unknown[0].rule == "ATT-02"
    assert m.day(D(3))["日类型"] == c.DAY_REST and m.day(D(3))["旷工天数"] == 0


# --- LV-01 / LV-03 --------------------------------------------------------------------------

def leave_month(*leave_rows, off=()):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        if day not in off:
            rows += full_day("001", day)
    return month_from_rows({"打卡记录": rows, "请假记录": [LEAVE_HEADER] + [list(r) for r in leave_rows]})


def test_LV_01_unknown_employee_unknown_type_and_reversed_times_fail():
    m = leave_month(["999", "事假", D(2), D(2), D(1), "已批准"], ["001", "探亲假", D(3), D(3), D(1), "已批准"],
                    ["001", "事假", D(5), D(4), D(1), "已批准"], off={D(3), D(4), D(5)})
    rows = {(r["工号"], r["假别"], r["开始时间"].day): r for r in m.leave()}
    assert rows[("999", "事假", 2)]["校验结果"] == c.CHECK_FAIL and "工号不在员工名册中" in rows[("999", "事假", 2)]["说明"]
    assert rows[("001", "探亲假", 3)]["校验结果"] == c.CHECK_FAIL and "假别“探亲假”无效" in rows[("001", "探亲假", 3)]["说明"]
    assert "顺序颠倒" in rows[("001", "事假", 5)]["说明"]
    # none of them covers anything: 3, 4, 5 Nov without punches are 旷工 (3 days × 200.00)
    s = m.summary()
    assert s["旷工天数"] == 3 and s["事假天数"] == 0 and s["旷工扣款"] == 600


def test_LV_03_personal_leave_without_application_date_is_a_warning():
    m = leave_month(["001", "事假", D(2), D(2), None, "已批准"], off={D(2)})
    row = m.leave()[0]
    assert row["校验结果"] == c.CHECK_WARN and "未填申请日期" in row["说明"]
    assert m.summary()["事假天数"] == 1 and m.summary()["旷工天数"] == 0


# --- REV ---------------------------------------------------------------------------------------

DEPT = DEFAULT.review_department
REV_ROSTER = [["工号", "姓名", "部门", "入职日期", "岗位基本工资", "岗位", "转正日期", "离职日期", "绩效工资"],
              ["001", "赵一", DEPT, dt.date(2024, 1, 1), 6000, "运营", None, None, 1000],
              ["002", "钱二", DEPT, dt.date(2026, 10, 1), 6000, "运营", None, None, None],   # hired after Q3
              ["003", "孙三", DEPT, dt.date(2024, 1, 1), 6000, "运营", None, dt.date(2026, 6, 30), None],  # left before Q3
              ["004", "李四", DEPT, dt.date(2024, 1, 1), 6000, "运营", None, None, None]]
REV_HEADER = ["周期", "被考核人工号", "评分人工号", "关系", "经营业绩", "工作态度", "任职能力", "团队协作"]


def run_review(ratings, period="2026Q3", roles=None, grades=None):
    sheets = {"员工名册": REV_ROSTER, "考核评分": [REV_HEADER] + ratings}
    if roles:
        sheets["岗位权重"] = roles
    if grades:
        sheets["考核等级"] = grades
    t, findings = tables(sheets, (c.ROSTER, c.REVIEW_SCORES, c.ROLE_WEIGHTS, c.GRADES))
    roster = _roster(t[c.ROSTER.key], findings)
    result = review.review(t, roster, DEFAULT, period)
    return result, result.rows.set_index("emp") if len(result.rows) else result.rows


def all_parts(period, emp, score):
    return [[period, emp, emp, "自评", *[score] * 4], [period, emp, "009", "互评", *[score] * 4],
            [period, emp, "008", "上级", *[score] * 4]]


def test_REV_01_hired_after_or_left_before_the_period_is_not_a_member():
    result, rows = run_review(all_parts("2026Q3", "001", 80) + all_parts("2026Q3", "002", 80)
                              + all_parts("2026Q3", "003", 80))
    assert list(rows.index) == ["001"] and result.summary["members"] == 2  # 001 and 004
    assert any("004" in f.problem and "没有有效评分" in f.problem for f in result.findings)


def test_REV_03_unknown_relation_and_bad_period_are_not_used():
    # 001: self 80, manager 90, the 朋友 row unknown -> (20 × 80 + 50 × 90) / 70 = 87.14
    ratings = [["2026Q3", "001", "001", "自评", 80, 80, 80, 80], ["2026Q3", "001", "009", "朋友", 10, 10, 10, 10],
               ["2026Q3", "001", "008", "上级", 90, 90, 90, 90], ["三季度", "001", "007", "互评", 0, 0, 0, 0]]
    result, rows = run_review(ratings)
    assert rows.at["001", "score"] == 87.14 and rows.at["001", "grade"] == "B"
    cells = {f.cell: f for f in result.findings}
    assert "关系“朋友”无效" in cells["D3"].problem and cells["D3"].rule == "REV-03"
    assert cells["A5"].rule == "REV-02" and cells["A5"].action == "此条评分未使用"


def test_REV_04_bad_role_row_ignored_and_REV_05_bad_grade_row_ignored():
    roles = [["岗位", "经营业绩", "工作态度", "任职能力", "团队协作"], ["运营", 40, 30, 20, 10], [None, 10, 10, 10, 10],
             ["客服专员", -5, 50, 50, 5]]
    grades = [["等级", "最低分", "绩效系数"], ["优", 85, 1.5], ["良", None, 1.0], ["差", 0, 0.5]]
    # 001 运营 (40/30/20/10): every part 100/80/60/40 -> 40 + 24 + 12 + 4 = 80 -> below 85 -> 差 × 0.5 × 1000 = 500
    ratings = [[p, "001", r, rel, 100, 80, 60, 40] for p, r, rel in
               (("2026Q3", "001", "自评"), ("2026Q3", "009", "互评"), ("2026Q3", "008", "上级"))]
    result, rows = run_review(ratings, roles=roles, grades=grades)
    assert rows.at["001", "score"] == 80 and rows.at["001", "grade"] == "差" and rows.at["001", "perf_pay"] == 500
    assert [f.cell for f in result.findings if f.rule == "REV-04"] == ["A3", "A4"]
    assert [f.cell for f in result.findings if f.rule == "REV-05"] == ["A3"]


def test_REV_02_annual_from_quarters_from_the_year_itself_or_nothing():
    # 001: Q1 80 and Q3 90 -> mean 85, Q2 and Q4 missing (warning). 004: only a rating for the year, 70.
    ratings = all_parts("2026Q1", "001", 80) + all_parts("2026Q3", "001", 90) + all_parts("2026", "004", 70)
    result, rows = run_review(ratings, period="2026")
    assert rows.at["001", "score"] == 85 and "二季度、四季度" in rows.at["001", "note"]
    assert rows.at["004", "score"] == 70 and rows.at["004", "note"] == "无季度得分，按年度评分计算"
    result, rows = run_review(all_parts("2026Q1", "001", 80), period="2026")
    assert "004" not in rows.index and any("004" in f.problem and "年没有评分" in f.problem for f in result.findings)


def test_REV_05_a_score_below_every_band_has_no_grade():
    assert review.grade_for(-1, GRADES) is None


# --- input problems of the month -------------------------------------------------------------

def test_input_problems_in_the_roster_are_reported_with_their_cells():
    m = month_from_rows({"员工名册": [ROSTER_HEADER, person(), [None, "无号", "客服部", D(1), 4350],
                                      person(name="重号"), ["002", "李四", "客服部", None, None, "男", None, None, "弹性"]]})
    cells = {f.cell: f for f in m.findings if f.sheet == "员工名册"}
    assert cells["A3"].problem == "工号为空" and cells["A4"].action == "只用第一行"
    assert cells["D5"].rule == "ATT-09" and cells["E5"].rule == "PAY-01" and cells["I5"].rule == "ATT-01"
    assert m.summary("002")["应出勤天数"] == 25  # whole month employed on the standard week: 25 workdays in Nov 2026


def test_input_problems_in_holidays_exceptions_and_proxy_sheets():
    m = month_from_rows({
        "打卡记录": [["工号", "打卡时间"]] + punches_for("001", D(2), "08:25", "17:31"),
        "节假日": [["日期", "类型"], [D(20), "放假"]],
        "打卡异常": [["工号", "日期", "时段", "审批状态"], ["001", D(2), "中午", "已批准"], ["001", D(2), "上午下班", "待审批"]],
        "代打卡记录": [["工号", "日期"], ["999", D(2)]],
    })
    cells = {(f.sheet, f.cell): f for f in m.findings}
    assert cells[("节假日", "B2")].rule == "ATT-08"
    assert cells[("打卡异常", "C2")].rule == "ATT-05" and cells[("打卡异常", "D3")].level == c.LEVEL_WARNING
    assert cells[("代打卡记录", "A2")].rule == "ATT-07"
    # the unapproved exception leaves the 上午下班 punch missing, and the 下午上班 one: 2 missing punches
    assert m.day(D(2))["缺卡次数"] == 2


def test_findings_that_code_selects_carry_a_code():
    from kaohe.findings import NOT_RANKED, RULES_BAD_VALUE, RULES_UNKNOWN_KEY
    from kaohe.policy import policy_from_rows

    r = kpi_month([["2026-11", "001", 0.6, 100, 40], ["2026-11", "002", 0.4, None, 20]])
    assert {f.emp or f.cell for f in r.findings if f.code == NOT_RANKED} == {"B3", "003", "004"}
    _, found = policy_from_rows([("B2", "迟到罚款金额", 50), ("B3", "迟到早退罚款", "五十")], "规则")
    assert [f.code for f in found[:2]] == [RULES_UNKNOWN_KEY, RULES_BAD_VALUE]



def test_KPI_01_member_values_read_text_figures_and_report_a_manager_entry_out_of_range():
    # 咨询转化率 typed as text "45.2%" is 0.452; 报表整体质量 (manager, weight 40) entered as 45 is
    # reported and kept (clamped to 40 when scored); with 自评分 blank the member is not ranked.
    conv = kpi.Indicator("咨询转化率", 60, "越高越好", 0.6, 0.2, "数据")
    quality = kpi.Indicator("报表整体质量", 40, "越高越好", None, None, "店长")
    self_ind = kpi.Indicator("自评分", 100, "越高越好", None, None, "店长")
    data, _ = kpi_data_table([KPI_HEADER, ["2026-11", "001", "45.2%", 90, 45], ["2026-11", "002", 0.5, None, 30]],
                             {h: h for h in KPI_HEADER[2:]})
    who = lambda emp: pd.Series({"emp": emp, "name": "员工"})  # noqa: E731
    values, found = kpi.member_values(who("001"), data.frame.iloc[0], (conv, quality, self_ind), data)
    assert values == {"咨询转化率": pytest.approx(0.452), "报表整体质量": 45, "自评分": 90}
    assert [(f.cell, f.level) for f in found] == [("E2", "警告")]
    points = kpi.member_points(values, (conv, quality), "自评分", DEFAULT)
    # (0.452 - 0.2) / 0.4 * 60 = 37.8; manager 37.8 + 40 = 77.8; 0.3 * 90 + 0.7 * 77.8 = 81.46
    assert points["p:报表整体质量"] == 40 and points["score"] == pytest.approx(81.46)
    values, found = kpi.member_values(who("002"), data.frame.iloc[1], (conv, quality, self_ind), data)
    assert values is None and [(f.cell, f.code) for f in found] == [("B3", NOT_RANKED)]


def test_REV_03_combine_parts_scales_the_present_shares_and_needs_the_manager():
    # 20 % 自评 + 30 % 互评 + 50 % 上级; without 互评: (0.2 × 80 + 0.5 × 90) / 0.7 = 61 / 0.7 = 87.142… → 87.14.
    t, _ = tables({"考核评分": [REV_HEADER]}, (c.REVIEW_SCORES,))
    x = review.Rating(t[c.REVIEW_SCORES.key].frame, t[c.REVIEW_SCORES.key], {}, "岗位权重", DEFAULT, terms.DEFAULT)
    p = pd.Series({"emp": "001", "name": "赵一"})
    entry, found = review.combine_parts(p, "2026Q3", {"自评": [80.0], "互评": [], "上级": [90.0]}, x)
    assert entry["score"] == 87.14 and entry["peer"] is None and "互评" in entry["note"]
    assert [(f.sheet, f.rule, f.level) for f in found] == [("考核评分", "REV-03", "警告")]
    # two peers average: (70 + 90) / 2 = 80 -> 0.2 × 60 + 0.3 × 80 + 0.5 × 100 = 12 + 24 + 50 = 86
    entry, found = review.combine_parts(p, "2026Q3", {"自评": [60.0], "互评": [70.0, 90.0], "上级": [100.0]}, x)
    assert entry["score"] == 86 and found == []
    entry, found = review.combine_parts(p, "2026Q3", {"自评": [80.0], "互评": [80.0], "上级": []}, x)
    assert entry is None and [(f.level, f.emp) for f in found] == [("错误", "001")]
