"""KPI-01..KPI-06: the live monthly score sheet, worked out by hand, and recalculated by LibreOffice.

The rules sheet used here keeps the arithmetic short: 咨询转化率 40 points (higher is better,
target 0.60, floor 0.20; the shop software calls it 询单转化率), 平均响应时间 30 points (lower
is better, target 20 s, floor 60 s), and the manager's 报表整体质量 30 points.

The engine's scoring in memory (kpi_month below) uses 咨询转化率 60 points and 报表整体质量 40:
incomplete, duplicate and out-of-range rows, a bad KPI规则 row, the notice date (KPI-05).
"""
import datetime as dt

import openpyxl
import pandas as pd
import pytest
from builders import ROSTER_HEADER, person, write_book
from lo import recalculated

from kaohe.doors.cli import main
from kaohe.engine import kpi
from kaohe.engine.kpi import excel_round, indicator_points
from kaohe.engine.month import roster_frame
from kaohe.findings import NOT_RANKED
from kaohe.policy import DEFAULT
from kaohe.policy.tables import KPI_INDICATORS
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.kpi_data import kpi_data_table
from kaohe.workbook.read import tables_from_rows

TEAM = "网店客服组"
RULES = [["指标", "权重", "方向", "目标值", "底线值", "评分人", "别名"],
         ["咨询转化率", 40, "越高越好", 0.6, 0.2, "数据", "询单转化率"],
         ["平均响应时间", 30, "越低越好", 20, 60, "数据", ""],
         ["报表整体质量", 30, "越高越好", None, None, "店长", ""]]
DATA_HEADER = ["月份", "工号", "询单转化率", "平均响应时间", "自评分", "报表整体质量"]


def kpi_book(tmp_path, data_rows, people=None, history=None, rules=RULES):
    people = people or [person(f"00{i}", n, TEAM) for i, n in enumerate("甲乙丙丁戊己", start=1)]
    sheets = {"员工名册": [ROSTER_HEADER] + people + [person("007", "庚", "仓储部")],
              "KPI规则": rules, "KPI数据": [DATA_HEADER] + data_rows}
    if history:
        sheets["KPI历史"] = [["月份", "工号", "综合得分", "排名", "末位"]] + history
    return write_book(tmp_path / "kpi.xlsx", sheets)


# Hand-worked (see module docstring):
#   001: 0.60 -> 40; 20 s -> 30; mgr 30       data 70,   manager 100,  self 90 -> 27 + 70     = 97.00, rank 1
#   002: "45.2%" -> 0.63 × 40 = 25.2; 40 s -> 0.5 × 30 = 15; mgr 24
#                                             data 40.2, manager 64.2, self 80 -> 24 + 44.94  = 68.94, rank 2
#   003: 0.10 -> 0; 70 s -> 0; mgr 35 -> 30   data 0,    manager 30,   self 70 -> 21 + 21     = 42.00, rank 5
#   004: 0.70 -> 40; 10 s -> 30; mgr 0        data 70,   manager 70,   self 50 -> 15 + 49     = 64.00, rank 3
#   005: 0.40 -> 20; 30 s -> 22.5; mgr 20     data 42.5, manager 62.5, self 60 -> 18 + 43.75  = 61.75, rank 4
#   006: no data: not ranked. 007: another department.
DATA = [["2026-11", "001", 0.6, 20, 90, 30], ["2026-11", "002", "45.2%", 40, 80, 24],
        ["2026-11", "003", 0.1, 70, 70, 35], ["2026-11", "004", 0.7, 10, 50, 0],
        ["2026-11", "005", 0.4, 30, 60, 20], ["2026-10", "006", 0.5, 30, 60, 20]]
EXPECTED = {"001": (40, 30, 30, 70, 100, 90, 97.00, 1, 100, None), "002": (25.2, 15, 24, 40.2, 64.2, 80, 68.94, 2, 0, None),
            "003": (0, 0, 30, 0, 30, 70, 42.00, 5, -100, dt.datetime(2026, 12, 10)),
            "004": (40, 30, 0, 70, 70, 50, 64.00, 3, 0, None),
            "005": (20, 22.5, 20, 42.5, 62.5, 60, 61.75, 4, 0, dt.datetime(2026, 12, 10))}
COLUMNS = ("咨询转化率", "平均响应时间", "报表整体质量", "数据得分", "店长评分", "自评分", "综合得分", "排名", "奖惩金额",
           "整改截止日期")


def by_emp(ws):
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return {r[0]: dict(zip(header, r)) for r in rows[1:] if r[0]}


def run(book, month="2026-11", notice="2026-12-03", out=None):
    args = ["kpi", str(book), "--month", month, "-q"] + (["--notice-date", notice] if notice else [])
    return main(args + (["--out", str(out)] if out else []))


def assert_scores(rows, expected):
    for emp, values in expected.items():
        got = tuple(rows[emp][c] for c in COLUMNS)
        assert got[:9] == pytest.approx(values[:9]), emp
        assert got[9] == values[9], emp


def test_kpi_01_team_members_scored_missing_data_listed(tmp_path):
    book = kpi_book(tmp_path, DATA)
    assert run(book) == 0
    wb = openpyxl.load_workbook(book)
    rows = by_emp(wb["KPI评分_2026-11"])
    assert set(rows) == {"001", "002", "003", "004", "005"}  # 006 has no November data; 007 is not in the team
    problems = [r[2] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert any("006" in p and "没有2026-11的KPI数据" in p for p in problems)
    assert any("报表整体质量 35 超出 0–30" in p for p in problems)


def test_kpi_02_points_linear_and_clamped(tmp_path):
    book = kpi_book(tmp_path, DATA)
    run(book)
    assert_scores(by_emp(openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"]), EXPECTED)
    up = next(i for i in KPI_INDICATORS if i.name == "咨询转化率")
    assert indicator_points(0.40, up) == pytest.approx(7.5)  # (0.40 − 0.20) / 0.40 × 15
    assert indicator_points(0.90, up) == 15 and indicator_points(0.05, up) == 0


def test_kpi_03_combined_score(tmp_path):
    assert excel_round(0.3 * 80 + 0.7 * 64.2, 2) == 68.94
    assert excel_round(2.675, 2) == 2.68  # half away from zero, as Excel's ROUND


def test_kpi_04_ties_share_first_and_last_place(tmp_path):
    # 001 and 002 tie at 97.00 (rank 1, +100 each); 003 and 004 tie at 42.00 (rank 3, −100 each).
    data = [["2026-11", "001", 0.6, 20, 90, 30], ["2026-11", "002", 0.6, 20, 90, 30],
            ["2026-11", "003", 0.1, 70, 70, 30], ["2026-11", "004", 0.1, 70, 70, 30]]
    book = kpi_book(tmp_path, data)
    run(book)
    rows = by_emp(openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"])
    assert [rows[e]["排名"] for e in ("001", "002", "003", "004")] == [1, 1, 3, 3]
    assert [rows[e]["奖惩金额"] for e in ("001", "002", "003", "004")] == [100, 100, -100, -100]
    # KPI-05: the rank at the second-to-last position is 3: both 3s submit a plan.
    assert [rows[e]["整改截止日期"] for e in ("001", "002", "003", "004")] == [None, None] + [dt.datetime(2026, 12, 10)] * 2


def test_kpi_04_no_reward_or_penalty_under_three_people(tmp_path):
    book = kpi_book(tmp_path, DATA[:2])
    run(book)
    rows = by_emp(openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"])
    assert rows["001"]["奖惩金额"] == 0 and rows["002"]["奖惩金额"] == 0
    assert rows["001"]["整改截止日期"] == rows["002"]["整改截止日期"] == dt.datetime(2026, 12, 10)


def test_kpi_05_bottom_two_and_deadline(tmp_path):
    book = kpi_book(tmp_path, DATA)
    run(book, notice="2026-12-03")
    wb = openpyxl.load_workbook(book, data_only=True)
    rows = by_emp(wb["KPI评分_2026-11"])
    assert {e for e, r in rows.items() if r["整改截止日期"]} == {"003", "005"}
    notice = {r[0]: r[1] for r in wb["月度通报"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert "2026-12-10" in notice["提交整改方案"] and "丙" in notice["提交整改方案"]
    assert "甲" in notice["第一名"] and "奖励 100 元" in notice["第一名"]


def test_kpi_06_last_three_months_in_a_row(tmp_path):
    history = [["2026-09", "003", 40, 5, "是"], ["2026-10", "003", 41, 5, "是"], ["2026-10", "001", 90, 1, "否"]]
    book = kpi_book(tmp_path, DATA, history=history)
    run(book)
    wb = openpyxl.load_workbook(book, data_only=True)
    rows = by_emp(wb["KPI评分_2026-11"])
    assert rows["003"]["考虑调岗"] == "是" and rows["005"]["考虑调岗"] == "否"
    hist = list(wb["KPI历史"].iter_rows(min_row=2, values_only=True))
    assert len([h for h in hist if h[0] == "2026-11"]) == 5
    assert ("2026-11", "003", 42, 5, "是") in hist
    # Re-running the month replaces its rows.
    run(book)
    hist = list(openpyxl.load_workbook(book)["KPI历史"].iter_rows(min_row=2, values_only=True))
    assert len([h for h in hist if h[0] == "2026-11"]) == 5 and len(hist) == 3 + 5


def test_score_sheet_is_formulas_with_a_chart(tmp_path):
    book = kpi_book(tmp_path, DATA)
    run(book)
    ws = openpyxl.load_workbook(book)["KPI评分_2026-11"]
    formulas = [c.value for row in ws.iter_rows(min_row=2, min_col=3, max_col=12) for c in row]
    assert all(isinstance(f, str) and f.startswith("=") for f in formulas)
    assert "'KPI数据'!$C$" in ws["C2"].value and "'KPI规则'!$B$2" in ws["C2"].value
    assert ws["J2"].value.startswith("=RANK(")
    import zipfile
    names = zipfile.ZipFile(book).namelist()
    assert any(n.startswith("xl/charts/chart") for n in names)
    run(book)  # a re-run replaces the chart rather than adding another
    assert len([n for n in zipfile.ZipFile(book).namelist() if n.startswith("xl/charts/chart")]) == 1


def test_missing_indicator_column_is_refused(tmp_path, capsys):
    book = write_book(tmp_path / "k.xlsx", {"员工名册": [ROSTER_HEADER, person(dept=TEAM)], "KPI规则": RULES,
                                            "KPI数据": [["月份", "工号", "自评分"], ["2026-11", "001", 90]]})
    assert main(["kpi", str(book), "--month", "2026-11"]) == 2
    assert "咨询转化率" in capsys.readouterr().err


def test_default_indicators_without_rules_sheet(tmp_path):
    header = ["月份", "工号"] + [i.name for i in KPI_INDICATORS] + ["自评分"]
    # Every data indicator at its target, every management indicator at its weight: 100 points.
    full = [i.target if i.target is not None else i.weight for i in KPI_INDICATORS]
    book = write_book(tmp_path / "k.xlsx", {"员工名册": [ROSTER_HEADER, person(dept=TEAM)],
                                            "KPI数据": [header, ["2026-11", "001", *full, 80]]})
    assert run(book) == 0
    rows = by_emp(openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"])
    assert rows["001"]["数据得分"] == pytest.approx(75) and rows["001"]["店长评分"] == pytest.approx(100)
    assert rows["001"]["综合得分"] == pytest.approx(94)  # 0.3 × 80 + 0.7 × 100


def test_libreoffice_recalculation_equals_the_engine(tmp_path):
    book = kpi_book(tmp_path, DATA)
    run(book)
    engine = by_emp(openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"])
    lo = by_emp(recalculated(book, tmp_path)["KPI评分_2026-11"])
    assert set(lo) == set(engine)
    for emp, row in engine.items():
        for col in COLUMNS:
            want, got = row[col], lo[emp][col]
            if want is None:
                assert got in (None, ""), (emp, col)
            elif isinstance(want, dt.datetime):
                assert got == want, (emp, col)
            else:
                assert got == pytest.approx(want, abs=1e-9), (emp, col)


def test_a_corrected_figure_flows_through_the_sheet(tmp_path):
    """The manager corrects 005's response time from 30 s to 15 s in KPI数据; LibreOffice recalculates."""
    book = kpi_book(tmp_path, DATA)
    run(book)
    wb = openpyxl.load_workbook(book)
    ws = wb["KPI数据"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "005")
    row[3].value = 15
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    lo = by_emp(recalculated(edited, tmp_path)["KPI评分_2026-11"])
    # 005 now: 20 + 30 + 20 -> data 50, manager 70, combined 18 + 49 = 67.00: rank 3; 004 (64.00) rank 4.
    assert lo["005"]["综合得分"] == pytest.approx(67.0) and lo["005"]["排名"] == 3
    assert lo["004"]["排名"] == 4 and lo["004"]["整改截止日期"] is not None and not lo["005"]["整改截止日期"]


def test_rules_sheet_without_direction_and_scorer_columns(tmp_path):
    rules = [["指标", "权重", "目标值", "底线值", "别名"], ["咨询转化率", 40, 0.6, 0.2, "询单转化率"],
             ["平均响应时间", 30, 20, 60, ""], ["报表整体质量", 30, None, None, ""]]
    book = kpi_book(tmp_path, DATA, rules=rules)
    run(book)
    assert_scores(by_emp(openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"]), EXPECTED)


@pytest.mark.parametrize("full_score,warned", [(None, True), (10, False)])
def test_KPI_01_import_checks_the_weights_against_the_rules_sheets_full_score(tmp_path, full_score, warned):
    # KPI规则 weights 4 + 3 + 3 = 10. Without 规则 the full score is the policy's default and 10 falls short of
    # it (a 警告 in import's 问题清单); with 规则 KPI满分 10 the weights are right and nothing is said.
    rules = [row[:1] + [w] + row[2:] for row, w in zip(RULES, ["权重", 4, 3, 3])]
    sheets = {"员工名册": [ROSTER_HEADER, person("001", "甲", TEAM)], "KPI规则": rules,
              "人员对照": [["工号", "旺旺"], ["001", "甲的旺旺"]]}
    if full_score:
        sheets["规则"] = [["参数", "值"], ["KPI满分", full_score]]
    book = write_book(tmp_path / "客服绩效.xlsx", sheets)
    report = write_book(tmp_path / "赤兔_客服绩效_2026-11-01至2026-11-30.xlsx", {"客服绩效": [
        ["客服昵称", "询单转化率", "平均响应时间"], ["甲的旺旺", 0.6, 20]]})
    assert main(["import", str(book), str(report), "-q"]) == 0
    problems = [r for r in openpyxl.load_workbook(book)["问题清单"].iter_rows(min_row=2, values_only=True)
                if any(isinstance(v, str) and "权重合计" in v for v in r)]
    assert bool(problems) == warned
    if warned:
        assert any("各指标权重合计为10，不是100" in str(v) for v in problems[0])


# Every KPI parameter of 规则 changed; the weights add up to the new KPI满分 (120). Hand-worked:
#   001: 0.60 -> 48; 20 s -> 36; mgr 30      data 84,    manager 114,   self 110 -> 44 + 68.4     = 112.40, rank 1
#   002: 0.452 -> 0.63 × 48 = 30.24; 40 s -> 0.5 × 36 = 18; mgr 24
#                                            data 48.24, manager 72.24, self 80  -> 32 + 43.344   = 75.34, rank 2
#   003: 0.10 -> 0; 70 s -> 0; mgr 35 (under the weight 36)
#                                            data 0,     manager 35,    self 70  -> 28 + 21       = 49.00, rank 5
#   004: 0.70 -> 48; 10 s -> 36; mgr 0       data 84,    manager 84,    self 50  -> 20 + 50.4     = 70.40, rank 3
#   005: 0.40 -> 24; 30 s -> 0.75 × 36 = 27; mgr 20
#                                            data 51,    manager 71,    self 60  -> 24 + 42.6     = 66.60, rank 4
# 5 ranked ≥ 4: rank 1 gets 150, the last rank -80; one improvement place: rank 5 by 2026-12-03 + 5 days.
CHANGED_RULES = [["参数", "值"], ["KPI满分", 120], ["KPI自评权重", 0.4], ["KPI店长权重", 0.6], ["KPI第一名奖励", 150],
                 ["KPI最后一名扣款", 80], ["KPI奖惩最少人数", 4], ["KPI整改名次", 1], ["KPI整改天数", 5]]
CHANGED_KPI_RULES = [RULES[0], ["咨询转化率", 48, "越高越好", 0.6, 0.2, "数据", "询单转化率"],
                     ["平均响应时间", 36, "越低越好", 20, 60, "数据", ""], ["报表整体质量", 36, "越高越好", None, None, "店长", ""]]
CHANGED_DATA = [row[:4] + [110 if row[1] == "001" else row[4]] + row[5:] for row in DATA]
CHANGED_EXPECTED = {
    "001": (48, 36, 30, 84, 114, 110, 112.40, 1, 150, None),
    "002": (30.24, 18, 24, 48.24, 72.24, 80, 75.34, 2, 0, None),
    "003": (0, 0, 35, 0, 35, 70, 49.00, 5, -80, dt.datetime(2026, 12, 8)),
    "004": (48, 36, 0, 84, 84, 50, 70.40, 3, 0, None),
    "005": (24, 27, 20, 51, 71, 60, 66.60, 4, 0, None)}


@pytest.mark.libreoffice
def test_KPI_01_to_05_every_parameter_changed_engine_and_libreoffice_agree(tmp_path):
    """The score sheet's formulas come from the same 规则 values as the engine: KPI满分 120 keeps a 自评分 of
    110 (the formula used to clamp it to 100: 108.40 in Excel against the engine's 112.40)."""
    book = kpi_book(tmp_path, CHANGED_DATA, rules=CHANGED_KPI_RULES)
    wb = openpyxl.load_workbook(book)
    ws = wb.create_sheet("规则")
    for row in CHANGED_RULES:
        ws.append(row)
    wb.save(book)
    assert run(book) == 0
    engine = by_emp(openpyxl.load_workbook(book, data_only=True)["KPI评分_2026-11"])
    assert_scores(engine, CHANGED_EXPECTED)
    assert_scores(by_emp(recalculated(book, tmp_path)["KPI评分_2026-11"]), CHANGED_EXPECTED)


# --- the engine's scoring in memory: incomplete, duplicate and out-of-range rows --------------------------

KPI_RULES = [["指标", "权重", "方向", "目标值", "底线值", "评分人"],
             ["咨询转化率", 60, "越高越好", 0.6, 0.2, "数据"],
             ["报表整体质量", 40, "越高越好", None, None, "店长"]]
KPI_HEADER = ["月份", "工号", "咨询转化率", "自评分", "报表整体质量"]


def kpi_month(data_rows, people=4, notice=dt.date(2026, 12, 3), month="2026-11"):
    """The month's scores from rows: ``people`` members 001.. of the team, KPI_RULES, no history."""
    roster = [ROSTER_HEADER] + [person(f"00{i}", f"员工{i}", TEAM) for i in range(1, people + 1)]
    t, findings = tables_from_rows({"员工名册": roster, "KPI规则": KPI_RULES}.get, (c.ROSTER, c.KPI_RULES))
    indicators, found = kpi.indicators_from_rules(t[c.KPI_RULES.key])
    findings += found
    names = {i.name: i.name for i in indicators} | {c.KPI_SELF: c.KPI_SELF}
    data, found = kpi_data_table([KPI_HEADER] + data_rows, names)
    findings += found
    history = pd.DataFrame(columns=["month", "emp", "score", "rank", "last"])
    members, found = roster_frame(t[c.ROSTER.key])
    findings += found
    return kpi.score_month(members, data, indicators, DEFAULT, month, notice, history, c.KPI_SELF)


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


def test_KPI_01_members_not_ranked_carry_the_not_ranked_code():
    # 002 has no 自评分 (its row's 工号 cell B3); 003 and 004 have no row at all: all three are not ranked.
    r = kpi_month([["2026-11", "001", 0.6, 100, 40], ["2026-11", "002", 0.4, None, 20]])
    assert {f.emp or f.cell for f in r.findings if f.code == NOT_RANKED} == {"B3", "003", "004"}


def test_KPI_01_weights_not_adding_up_to_100_are_used_as_given_with_a_warning():
    t, findings = tables_from_rows({"KPI规则": [KPI_RULES[0], KPI_RULES[1]]}.get, (c.KPI_RULES,))
    indicators, found = kpi.indicators_from_rules(t[c.KPI_RULES.key])
    findings += found
    assert [i.weight for i in indicators] == [60]
    assert findings[0].level == terms.LEVEL_WARNING and "合计为60" in findings[0].problem


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
    t, findings = tables_from_rows({"KPI规则": [KPI_RULES[0], KPI_RULES[2], row]}.get, (c.KPI_RULES,))
    indicators, found = kpi.indicators_from_rules(t[c.KPI_RULES.key])
    findings += found
    assert indicators is KPI_INDICATORS
    assert len(findings) == 1 and problem in findings[0].problem and findings[0].cell == "A3"
    assert findings[0].action == "整张KPI规则表未使用，按默认指标计算"


@pytest.mark.parametrize("month,notice,deadline", [("2026-11", dt.date(2026, 12, 1), dt.date(2026, 12, 8)),
                                                   ("2026-12", dt.date(2027, 1, 1), dt.date(2027, 1, 8))])
def test_KPI_05_without_notice_date_the_first_of_next_month(month, notice, deadline):
    r = kpi_month([[month, "001", 0.6, 100, 40], [month, "002", 0.4, 50, 20], [month, "003", 0.2, 0, 0]],
                  notice=None, month=month)
    assert r.notice_date == notice
    assert r.scores.set_index("emp")["deadline"].dropna().tolist() == [deadline, deadline]  # 002 and 003
    assert any(f.rule == "KPI-05" and f.level == terms.LEVEL_INFO for f in r.findings)
