"""The repository stands alone: the rule reference and the workbook contract in docs/, current and complete."""
import re
import subprocess
import sys
from pathlib import Path

import openpyxl

from kaohe.jobs import reference
from kaohe.doors.cli import main
from kaohe.policy import params
from kaohe.policy.catalog import BY_ID, RULES

ROOT = Path(__file__).resolve().parents[1]


def test_committed_docs_are_a_fresh_generation():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_rule_id_the_code_cites_is_in_the_catalog():
    cited = set()
    for path in (ROOT / "addin" / "kaohe").rglob("*.py"):
        cited |= set(re.findall(r"\b((?:ATT|OT|LV|KPI|REV|PAY)-\d\d)\b", path.read_text(encoding="utf-8")))
    assert len(cited) > 30 and cited <= set(BY_ID), sorted(cited - set(BY_ID))
    assert {p.rule for p in params()} <= set(BY_ID)


def test_the_reference_lists_every_rule_parameter_and_decision():
    text = (ROOT / "docs" / "规则说明.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| {rule.id} |" in text
    for p in params():
        assert f"| {p.key} |" in text
    assert "**LV-06**（第三十三条）：制度原文缺少天数：默认 3 天" in text
    assert "| 迟到早退罚款 | 20 | 迟到或早退在档内时每次罚款（元） | ATT-04 | 第十九条 |" in text


def test_kaohe_rules_writes_the_reference_workbook(tmp_path, capsys):
    assert main(["rules", "--out", str(tmp_path / "规则说明.xlsx")]) == 0
    ws = openpyxl.load_workbook(tmp_path / "规则说明.xlsx")["规则说明"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["ATT-04"][2] == "第十九条" and "旷工半天起点分钟 = 30" in rows["ATT-04"][4]
    assert {r.id for r in RULES} <= set(rows)
    assert rows["迟到早退罚款"][1:4] == ("20", "迟到或早退在档内时每次罚款（元）", "ATT-04")


def test_kaohe_rules_prints_every_rule(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert all(f"{r.id}  {r.article}" in out for r in RULES)


def test_the_attendance_template_carries_the_reference():
    wb = openpyxl.load_workbook(ROOT / "templates" / "考勤模板.xlsx")
    ws = wb["规则说明"]
    ids = {r[0] for r in ws.iter_rows(values_only=True)}
    assert {r.id for r in RULES} <= ids and ws.protection.sheet
    guide = " ".join(r[0] for r in wb["使用说明"].iter_rows(values_only=True) if r[0])
    assert "考勤表" in guide and "运行记录" in guide and "规则说明" in guide


def test_the_reference_sheet_matches_the_generator():
    wb = openpyxl.Workbook()
    ws = reference.add_reference_sheet(wb)
    assert [tuple(c.value for c in ws[3])] == [reference.RULE_HEADERS]


def _repository_files():
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return [ROOT / f for f in listed if (ROOT / f).is_file()]


def test_no_file_of_the_repository_points_outside_it():
    # the design notes the project was written from are not part of it: docs/ holds what users need
    outside = ["../" + "shared"] + [name + ".md" for name in ("RULES", "WORKBOOK", "CALENDAR-AND-LAW", "IMPORTS",
                                                               "ARCHITECTURE", "EXCEL", "STYLE")]
    hits = [f"{p.relative_to(ROOT)}: {o}" for p in _repository_files() if p.name != "test_docs.py"
            for o in outside if o.encode() in p.read_bytes()]
    assert hits == []


def test_no_test_skips():
    """CI installs LibreOffice, poppler and the Chinese fonts: a missing tool is a failure, not a skip."""
    allowed = 'skipif(os.name != "posix"'  # test_hardening's POSIX signals: the suite still loads on Windows
    hits = [f"{p.name}:{n}" for p in (ROOT / "tests").glob("test_*.py") if p.name != "test_docs.py"
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"\bskipif\(|pytest\.skip\(|importorskip\(|\bxfail\b", line) and allowed not in line]
    assert hits == []


def test_the_chinese_guide_covers_every_button_function_and_output_sheet():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = readme[readme.index("## 使用指南（给 HR）"):readme.index("*The rest of this file is the developer part")]
    for part in ("安装", "每月怎么做", "每个按钮", "单元格函数", "出错怎么办", "常见问题"):
        assert part in guide
    labels = re.findall(r'<button id="[^"]+" label="([^"]+)"',
                        (ROOT / "macros" / "customUI.xml").read_text(encoding="utf-8"))
    assert len(labels) >= 8 and all(f"| {label} |" in guide for label in labels)
    from kaohe.doors.udfs import FUNCTIONS
    assert all(f"={f.__name__}(" in guide for f in FUNCTIONS)
    for sheet in ("每日明细", "月度汇总", "请假校验", "问题清单", "考勤表", "运行记录", "财务汇总_2026-11.xlsx"):
        assert sheet in guide
    assert guide.index("考勤模板.xlsx") < guide.index("计算本月") < guide.index("导出财务表") < guide.index("发送财务")
    assert "make wheelhouse" in guide and "\nwheelhouse: " in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_workbook_contract_lists_sheets_columns_values_and_synonyms():
    from kaohe.workbook import contract as c

    text = (ROOT / "docs" / "工作簿约定.md").read_text(encoding="utf-8")
    for spec in (c.ROSTER, c.PUNCHES, c.LEAVE, c.OVERTIME, c.RULES, c.KPI_DATA):
        assert f"### {spec.name}" in text and all(f"| {col} |" in text for col in spec.columns)
    assert "| 审批状态 | 必填 | 文本 | 已批准、待审批、已驳回、事后补单 |" in text
    assert "年假、带薪年假、带薪年休假 → 年休假" in text and "空白 → 待审批" in text


def test_every_worked_example_of_the_penalty_section_names_a_test_that_exists():
    """ATT-14..ATT-19, ATT-12, ATT-13: docs/规则说明.md's 罚则 examples (the issue's seven and 全勤奖) each name the
    test that checks the same figures."""
    root = Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "规则说明.md").read_text(encoding="utf-8")
    section = doc[doc.index("## 罚则表"):]
    named = re.findall(r"`(tests/(?:\w+/)?test_\w+\.py)::(test_\w+)`", section)
    assert len(named) == 8
    for path, test in named:
        assert re.search(rf"^def {test}\(", (root / path).read_text(encoding="utf-8"), re.M), (path, test)


def test_LV_25_the_contracts_leave_type_synonyms_are_the_default_leave_tables():
    # docs/工作簿约定.md lists 请假记录 假别's synonyms from the default 假别 table: the statutory rows' too.
    from kaohe.policy import DEFAULT
    from kaohe.policy.leave_table import default_table

    text = (ROOT / "docs" / "工作簿约定.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 假别 | 必填 | 文本 |"))
    assert "哺乳假 → 哺乳时间" in row and "产检、产检假 → 产前检查" in row and "流产 → 流产假" in row
    table = default_table(DEFAULT)
    assert all(f"{word}" in row for t in table for word in t.synonyms)
    vocab = next(line for line in text.splitlines() if line.startswith("| 假别 | 事假"))
    assert vocab.split(" | ")[1] == "、".join(table.names)
