"""REV-01..REV-06: quarterly and annual review of 电子商务部, worked out by hand.

Role weights (REV-04 defaults): 推广专员 50/20/20/10, 客服专员 40/25/20/15, 美工/设计 40/20/30/10,
any other role 25/25/25/25. 综合得分 = 20 % 自评 + 30 % 互评 (mean) + 50 % 上级 (REV-03).
Grades (REV-05): A ≥ 90 (1.2), B ≥ 80 (1.0), C ≥ 70 (0.8), D ≥ 60 (0.6), E (0).

The tests through the review command use ROSTER and Q3 below; those of the engine in memory
(run_review) use REV_ROSTER: members, bad rows of 考核评分, 岗位权重 and 考核等级, the annual review.
"""
import datetime as dt

import openpyxl
import pandas as pd
import pytest
from builders import write_book

from kaohe import terms
from kaohe.doors.cli import main
from kaohe.engine import review
from kaohe.engine.month import roster_frame
from kaohe.engine.review import grade_for
from kaohe.policy import DEFAULT
from kaohe.policy.tables import GRADES
from kaohe.workbook import contract as c
from kaohe.workbook.read import tables_from_rows

DEPT = "电子商务部"
ROSTER = [["工号", "姓名", "部门", "入职日期", "岗位基本工资", "岗位", "转正日期", "绩效工资"],
          ["001", "赵一", DEPT, dt.date(2024, 1, 1), 6000, "推广专员", dt.date(2024, 4, 1), 2000],
          ["002", "钱二", DEPT, dt.date(2024, 1, 1), 5000, "客服专员", dt.date(2024, 4, 1), 1500],
          ["003", "孙三", DEPT, dt.date(2026, 7, 15), 5000, "美工/设计", dt.date(2026, 10, 15), 1500],
          ["004", "李四", DEPT, dt.date(2024, 1, 1), 6000, "推广专员", None, 2000],
          ["005", "周五", DEPT, dt.date(2024, 1, 1), 6000, "运营", None, None],
          ["006", "吴六", "财务部", dt.date(2024, 1, 1), 6000, "会计", None, 1000]]
HEADER = ["周期", "被考核人工号", "评分人工号", "关系", "经营业绩", "工作态度", "任职能力", "团队协作"]
Q3 = [
    # 001 推广专员: self 45+16+16+7 = 84; peers 80 and 35+18+18+10 = 81 -> 80.5; manager 47.5+17+18+8 = 90.5
    ["2026Q3", "001", "001", "自评", 90, 80, 80, 70], ["2026Q3", "001", "002", "互评", 80, 80, 80, 80],
    ["2026Q3", "001", "004", "互评", 70, 90, 90, 100], ["2026Q3", "001", "009", "上级", 95, 85, 90, 80],
    # 002 客服专员: self 100; peer 90; manager 36+25+18+12 = 91
    ["2026Q3", "002", "002", "自评", 100, 100, 100, 100], ["2026Q3", "002", "001", "互评", 90, 90, 90, 90],
    ["2026Q3", "002", "009", "上级", 90, 100, 90, 80],
    # 003 is a probationer on 30 Sep: excluded
    ["2026Q3", "003", "003", "自评", 90, 90, 90, 90],
    # 004: the peer rating has 120 (out of range, not used): self 60, manager 50, no peers
    ["2026Q3", "004", "004", "自评", 60, 60, 60, 60], ["2026Q3", "004", "001", "互评", 120, 60, 60, 60],
    ["2026Q3", "004", "009", "上级", 50, 50, 50, 50],
    # 005 运营 (default weights): self 70, peer 80, manager (80+70+60+90)/4 = 75
    ["2026Q3", "005", "005", "自评", 70, 70, 70, 70], ["2026Q3", "005", "001", "互评", 80, 80, 80, 80],
    ["2026Q3", "005", "009", "上级", 80, 70, 60, 90],
    ["2026Q3", "006", "006", "自评", 80, 80, 80, 80],
]


def book(tmp_path, ratings):
    return write_book(tmp_path / "review.xlsx", {"员工名册": ROSTER, "考核评分": [HEADER] + ratings})


def rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    values = list(ws.iter_rows(values_only=True))
    return {r[0]: dict(zip(values[0], r)) for r in values[1:] if r[0]}


def problems(path):
    return [r[2] for r in openpyxl.load_workbook(path)["问题清单"].iter_rows(min_row=2, values_only=True)]


def test_rev_01_regular_staff_of_the_department_only(tmp_path):
    b = book(tmp_path, Q3)
    assert main(["review", str(b), "--quarter", "2026Q3", "-q"]) == 0
    r = rows(b, "季度考核_2026Q3")
    assert set(r) == {"001", "002", "004", "005"}  # 003 on probation until 15 Oct; 006 is in 财务部
    assert any("003" in p and "尚未转正" in p for p in problems(b))


def test_rev_03_self_peers_manager_weighting(tmp_path):
    b = book(tmp_path, Q3)
    main(["review", str(b), "--quarter", "2026Q3", "-q"])
    r = rows(b, "季度考核_2026Q3")
    assert (r["001"]["自评"], r["001"]["互评"], r["001"]["上级"]) == pytest.approx((84, 80.5, 90.5))
    assert r["001"]["综合得分"] == pytest.approx(86.2)  # 16.8 + 24.15 + 45.25
    assert r["002"]["综合得分"] == pytest.approx(92.5)  # 20 + 27 + 45.5
    # 004: peers missing (the only peer rating is out of range): (0.2 × 60 + 0.5 × 50) / 0.7 = 52.857 -> 52.86
    assert r["004"]["互评"] is None and r["004"]["综合得分"] == pytest.approx(52.86)
    found = problems(b)
    assert any("超出 0–100" in p for p in found) and any("004" in p and "缺少互评" in p for p in found)


def test_rev_04_role_weights_and_default_role(tmp_path):
    b = book(tmp_path, Q3)
    main(["review", str(b), "--quarter", "2026Q3", "-q"])
    r = rows(b, "季度考核_2026Q3")
    assert r["005"]["上级"] == pytest.approx(75) and r["005"]["综合得分"] == pytest.approx(75.5)  # 14 + 24 + 37.5


def test_rev_04_weights_from_the_sheet(tmp_path):
    weights = [["岗位", "经营业绩", "工作态度", "任职能力", "团队协作"], ["推广专员", 100, 0, 0, 0]]
    b = write_book(tmp_path / "r.xlsx", {"员工名册": ROSTER, "考核评分": [HEADER] + Q3, "岗位权重": weights})
    main(["review", str(b), "--quarter", "2026Q3", "-q"])
    r = rows(b, "季度考核_2026Q3")
    # 001 by 经营业绩 only: self 90, peers (80 + 70) / 2 = 75, manager 95 -> 18 + 22.5 + 47.5 = 88
    assert r["001"]["综合得分"] == pytest.approx(88)


def test_rev_05_grade_bands():
    assert grade_for(90, GRADES).grade == "A" and grade_for(89.99, GRADES).grade == "B"
    assert grade_for(80, GRADES).grade == "B" and grade_for(70, GRADES).grade == "C"
    assert grade_for(60, GRADES).grade == "D" and grade_for(59.99, GRADES).grade == "E"


def test_rev_06_performance_pay_is_base_times_coefficient(tmp_path):
    b = book(tmp_path, Q3)
    main(["review", str(b), "--quarter", "2026Q3", "-q"])
    r = rows(b, "季度考核_2026Q3")
    assert (r["001"]["等级"], r["001"]["绩效系数"], r["001"]["绩效工资"]) == ("B", 1.0, 2000)
    assert (r["002"]["等级"], r["002"]["绩效系数"], r["002"]["绩效工资"]) == ("A", 1.2, 1800)
    assert (r["004"]["等级"], r["004"]["绩效工资"]) == ("E", 0)
    assert (r["005"]["等级"], r["005"]["绩效工资"]) == ("C", None)  # no 绩效工资 in the roster


def test_rev_02_annual_is_the_mean_of_the_quarters(tmp_path):
    all80 = [["2026Q1", "001", x, rel, 80, 80, 80, 80] for x, rel in (("001", "自评"), ("002", "互评"), ("009", "上级"))]
    all90 = [["2026Q2", "001", x, rel, 90, 90, 90, 90] for x, rel in (("001", "自评"), ("002", "互评"), ("009", "上级"))]
    b = book(tmp_path, all80 + all90 + Q3)
    assert main(["review", str(b), "--year", "2026", "-q"]) == 0
    r = rows(b, "年度考核_2026")
    assert (r["001"]["一季度"], r["001"]["二季度"], r["001"]["三季度"], r["001"]["四季度"]) == (80, 90, 86.2, None)
    assert r["001"]["综合得分"] == pytest.approx(85.4)  # (80 + 90 + 86.2) / 3
    assert r["001"]["等级"] == "B"
    assert any("001" in p and "缺少四季度" in p for p in problems(b))


def test_bad_period_is_refused(tmp_path, capsys):
    b = book(tmp_path, Q3)
    assert main(["review", str(b), "--quarter", "2026Q5"]) == 2
    assert "周期" in capsys.readouterr().err


def test_rev_03_no_manager_rating_no_grade_and_relation_synonyms(tmp_path):
    ratings = [
        # 007-like case from the HR report: 001 rates himself 100; peer and manager rows say 同事 / 领导
        ["2026Q3", "001", "001", "自评", 100, 100, 100, 100], ["2026Q3", "001", "002", "同事", 80, 80, 80, 80],
        ["2026Q3", "001", "009", "领导", 70, 70, 70, 70],
        # 002: self and peer only, no manager rating at all -> not graded, not paid, 错误 in 问题清单
        ["2026Q3", "002", "002", "自评", 100, 100, 100, 100], ["2026Q3", "002", "001", "互评", 90, 90, 90, 90],
        # 004: the manager row's 关系 is not a known word -> unused; so no manager rating either
        ["2026Q3", "004", "004", "自评", 100, 100, 100, 100], ["2026Q3", "004", "009", "老板娘", 90, 90, 90, 90],
    ]
    b = book(tmp_path, ratings)
    assert main(["review", str(b), "--quarter", "2026Q3", "-q"]) == 0
    r = rows(b, "季度考核_2026Q3")
    # 001: 同事 = 互评, 领导 = 上级: 0.2 × 100 + 0.3 × 80 + 0.5 × 70 = 20 + 24 + 35 = 79 -> C, 2000 × 0.8 = 1600
    assert (r["001"]["互评"], r["001"]["上级"], r["001"]["综合得分"]) == pytest.approx((80, 70, 79))
    assert (r["001"]["等级"], r["001"]["绩效工资"]) == ("C", 1600)
    assert "002" not in r and "004" not in r
    ws = openpyxl.load_workbook(b)["问题清单"]
    head = [x.value for x in ws[1]]
    found = [dict(zip(head, x)) for x in ws.iter_rows(min_row=2, values_only=True)]
    level = head[next(i for i, h in enumerate(head) if h in ("级别", "等级"))]
    for emp in ("002", "004"):
        assert any(emp in str(f.values()) and "没有有效的上级评分" in str(f.values()) and f[level] == "错误"
                   for f in found), emp
    assert any("老板娘" in str(f.values()) for f in found)


# --- the engine in memory: members, bad rows, the annual review --------------------------------------------

REV_ROSTER = [["工号", "姓名", "部门", "入职日期", "岗位基本工资", "岗位", "转正日期", "离职日期", "绩效工资"],
              ["001", "赵一", DEPT, dt.date(2024, 1, 1), 6000, "运营", None, None, 1000],
              ["002", "钱二", DEPT, dt.date(2026, 10, 1), 6000, "运营", None, None, None],   # hired after Q3
              ["003", "孙三", DEPT, dt.date(2024, 1, 1), 6000, "运营", None, dt.date(2026, 6, 30), None],  # left before Q3
              ["004", "李四", DEPT, dt.date(2024, 1, 1), 6000, "运营", None, None, None]]


def run_review(ratings, period="2026Q3", roles=None, grades=None):
    """The review of ``period`` from rows: REV_ROSTER, the ratings, and 岗位权重 / 考核等级 when given."""
    sheets = {"员工名册": REV_ROSTER, "考核评分": [HEADER] + ratings}
    if roles:
        sheets["岗位权重"] = roles
    if grades:
        sheets["考核等级"] = grades
    t, _ = tables_from_rows(sheets.get, (c.ROSTER, c.REVIEW_SCORES, c.ROLE_WEIGHTS, c.GRADES))
    roster, _ = roster_frame(t[c.ROSTER.key])
    result = review.review(t, roster, DEFAULT, period)
    return result, result.rows.set_index("emp") if len(result.rows) else result.rows


def all_parts(period, emp, score):
    """自评, 互评 and 上级 rows of ``emp`` giving ``score`` in every dimension."""
    return [[period, emp, emp, "自评", *[score] * 4], [period, emp, "009", "互评", *[score] * 4],
            [period, emp, "008", "上级", *[score] * 4]]


def test_REV_01_hired_after_or_left_before_the_period_is_not_a_member():
    result, rows = run_review(all_parts("2026Q3", "001", 80) + all_parts("2026Q3", "002", 80)
                              + all_parts("2026Q3", "003", 80))
    assert list(rows.index) == ["001"] and result.summary["members"] == 2  # 001 and 004
    assert any("004" in f.problem and "没有有效评分" in f.problem for f in result.findings)


def test_REV_02_annual_from_quarters_from_the_year_itself_or_nothing():
    # 001: Q1 80 and Q3 90 -> mean 85, Q2 and Q4 missing (warning). 004: only a rating for the year, 70.
    ratings = all_parts("2026Q1", "001", 80) + all_parts("2026Q3", "001", 90) + all_parts("2026", "004", 70)
    result, rows = run_review(ratings, period="2026")
    assert rows.at["001", "score"] == 85 and "二季度、四季度" in rows.at["001", "note"]
    assert rows.at["004", "score"] == 70 and rows.at["004", "note"] == "无季度得分，按年度评分计算"
    result, rows = run_review(all_parts("2026Q1", "001", 80), period="2026")
    assert "004" not in rows.index and any("004" in f.problem and "年没有评分" in f.problem for f in result.findings)


def test_REV_03_unknown_relation_and_bad_period_are_not_used():
    # 001: self 80, manager 90, the 朋友 row unknown -> (20 × 80 + 50 × 90) / 70 = 87.14
    ratings = [["2026Q3", "001", "001", "自评", 80, 80, 80, 80], ["2026Q3", "001", "009", "朋友", 10, 10, 10, 10],
               ["2026Q3", "001", "008", "上级", 90, 90, 90, 90], ["三季度", "001", "007", "互评", 0, 0, 0, 0]]
    result, rows = run_review(ratings)
    assert rows.at["001", "score"] == 87.14 and rows.at["001", "grade"] == "B"
    cells = {f.cell: f for f in result.findings}
    assert "关系“朋友”无效" in cells["D3"].problem and cells["D3"].rule == "REV-03"
    assert cells["A5"].rule == "REV-02" and cells["A5"].action == "此条评分未使用"


def test_REV_03_combine_parts_scales_the_present_shares_and_needs_the_manager():
    # 20 % 自评 + 30 % 互评 + 50 % 上级; without 互评: (0.2 × 80 + 0.5 × 90) / 0.7 = 61 / 0.7 = 87.142… → 87.14.
    t, _ = tables_from_rows({"考核评分": [HEADER]}.get, (c.REVIEW_SCORES,))
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


def test_REV_05_a_score_below_every_band_has_no_grade():
    assert review.grade_for(-1, GRADES) is None
