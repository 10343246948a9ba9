"""REV-01..REV-06: quarterly and annual review of 电子商务部, worked out by hand.

Role weights (REV-04 defaults): 推广专员 50/20/20/10, 客服专员 40/25/20/15, 美工/设计 40/20/30/10,
any other role 25/25/25/25. 综合得分 = 20 % 自评 + 30 % 互评 (mean) + 50 % 上级 (REV-03).
Grades (REV-05): A ≥ 90 (1.2), B ≥ 80 (1.0), C ≥ 70 (0.8), D ≥ 60 (0.6), E (0).
"""
import datetime as dt

import openpyxl
import pytest
from builders import write_book

from kaohe.doors.cli import main
from kaohe.engine.review import grade_for
from kaohe.policy.tables import GRADES

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


def test_every_kpi_and_review_rule_has_a_named_test():
    import re
    from pathlib import Path

    here = Path(__file__).parent
    names = " ".join(p.read_text(encoding="utf-8") for p in here.glob("test_*.py"))
    for rule in [f"KPI-0{i}" for i in range(1, 7)] + [f"REV-0{i}" for i in range(1, 7)]:
        assert re.search(rf"def test_{rule.lower().replace('-', '_')}_", names), rule


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
