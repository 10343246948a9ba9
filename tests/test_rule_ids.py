"""Every rule of the catalog (kaohe.policy.catalog.RULES) has a test that names it, in its family's file.

A test names a rule in its function name (``test_att_04_late_tiers``, ``test_LV_03_…``) or its docstring
("ATT-04"); ATT_04, att-04 and ATT-04 are the same ID. Each family of the catalog has one home file where a
new rule's tests go: ATT-xx in engine/test_attendance.py, LV-xx in engine/test_leave.py, OT-xx and PAY-xx in
engine/test_overtime_pay.py, KPI-xx in engine/test_kpi.py, REV-xx in engine/test_review.py. Tests elsewhere
(whole-workbook suites, the doors) may name a rule too.
"""
import ast
import re
from pathlib import Path

from kaohe.policy.catalog import FAMILIES, RULES

TESTS = Path(__file__).resolve().parent
HOME = {"ATT": "engine/test_attendance.py", "LV": "engine/test_leave.py", "OT": "engine/test_overtime_pay.py",
        "PAY": "engine/test_overtime_pay.py", "KPI": "engine/test_kpi.py", "REV": "engine/test_review.py"}
RULE_ID = re.compile(r"(?<![A-Za-z])(ATT|OT|LV|KPI|REV|PAY)[-_](\d\d)(?!\d)", re.IGNORECASE)


def ids_named(text: str) -> set[str]:
    """The rule IDs ``text`` names, as the catalog spells them (ATT-04)."""
    return {f"{family.upper()}-{number}" for family, number in RULE_ID.findall(text)}


def named_by_tests(source: str) -> set[str]:
    """The rule IDs the test functions of a module name, in their names or docstrings."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"):
            found |= ids_named(node.name) | ids_named(ast.get_docstring(node) or "")
    return found


def named_by_file() -> dict[str, set[str]]:
    return {p.relative_to(TESTS).as_posix(): named_by_tests(p.read_text(encoding="utf-8"))
            for p in TESTS.rglob("test_*.py")}


def test_ids_are_found_in_test_names_and_docstrings_in_either_spelling():
    source = '''
def test_att_04_late_tiers(): pass
def test_LV_01_LV_03_leavecheck(): pass
def test_paid_overtime():
    """OT-03 第九条: the workday rate."""
def helper_kpi_05(): pass
def test_no_rule_here_att_1_or_rev_061(): pass
'''
    assert named_by_tests(source) == {"ATT-04", "LV-01", "LV-03", "OT-03"}
    assert ids_named("test_pay_02_absence") == {"PAY-02"} and ids_named("Rev-06, kpi_06") == {"REV-06", "KPI-06"}


def test_every_family_of_the_catalog_has_a_home_file():
    assert set(HOME) == set(FAMILIES)
    assert all((TESTS / path).is_file() for path in HOME.values())


def test_every_rule_has_a_test_named_after_it_in_its_familys_file():
    named = named_by_file()
    missing = sorted(r.id for r in RULES if r.id not in named[HOME[r.id.split("-")[0]]])
    assert missing == []

