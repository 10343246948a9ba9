"""The ``libreoffice`` and ``slow`` markers, worked out from each test's source when the tests are collected.

A test is ``libreoffice`` when it, a function of its module it calls (at any depth) or a fixture of its module
it uses reaches LibreOffice: one of lo.py's ``convert``, ``recalculated``, ``sheet_pdf``; a command line
starting with "soffice"; or kaohe's own PDF printing (``["slips", …]`` arguments, ``slips_job`` without ``pdf=False``).
A test that starts soffice anyway fails (``started_soffice`` records every process start), so a new test
cannot forget the marker: it gets it from what it calls, or it says ``@pytest.mark.libreoffice``.

A test is ``slow`` when it is ``libreoffice``, starts a Python interpreter (``sys.executable``), belongs to a
whole-workbook suite (SLOW_FILES), or is listed in SLOW_TESTS (a second or more on its own).
"""
from __future__ import annotations

import ast
import os
import subprocess
from functools import cache
from pathlib import Path, PureWindowsPath

import pytest

LO_HELPERS = frozenset({"convert", "recalculated", "sheet_pdf"})  # the functions of lo.py that start soffice
SOFFICE = frozenset({"soffice", "libreoffice"})

# Whole-workbook and end-to-end suites: real files through the command, every test a run or more.
SLOW_FILES = frozenset({"test_whole.py", "test_hardening.py", "test_edges.py", "test_unusable_values.py",
                        "test_finance_mail.py", "test_templates.py", "test_paid_once.py",
                        "test_wps.py"})  # the WPS add-in in Chromium against a real kaohe serve

# Single tests of about a second or more on two cores (`pytest --durations=0`) that start nothing but kaohe.
SLOW_TESTS = frozenset({
    "doors/test_cli.py::test_demo",
    "doors/test_cli.py::test_running_twice_gives_the_same_values",
    "doors/test_ribbon.py::test_a_formula_reading_a_kaohe_sheet_survives_a_rerun",
    "doors/test_ribbon.py::test_a_button_writes_exactly_what_its_command_writes",
    "engine/test_leave.py::test_lv_08_annual_leave_beyond_entitlement_counts_as_personal",
    "engine/test_leave.py::test_lv_09_balance_in_scheduled_hours_with_partial_use",
    "engine/test_month_stages.py::test_running_the_stages_of_the_sample_by_hand_reproduces_compute_month",
    "engine/test_month_stages.py::test_no_stage_changes_the_frames_or_tables_it_was_given",
    "engine/test_overtime_pay.py::test_ot_02_in_and_out_only_counts_first_to_last",
    "engine/test_policy.py::test_template_rules_sheet_lists_every_parameter",
    "imports/test_vendor_exports.py::test_same_name_new_content_is_a_new_source_and_replace_clears",
    "imports/test_vendor_exports.py::test_dingtalk_daily_summary_csv",
    "imports/test_vendor_exports.py::test_ATT_04_clock_card_report_xlsx",
    "imports/test_vendor_exports.py::test_attlog_corrupt_lines_counted_with_line_numbers",
    "jobs/test_close.py::test_reopen_recompute_shows_exactly_the_changes_and_next_month_pays_them",
    "jobs/test_close.py::test_compute_of_another_month_keeps_the_closed_leave_rows_and_slips_show_the_frozen_figures",
    "jobs/test_close.py::test_close_then_compute_is_refused_and_nothing_is_written",
    "jobs/test_close.py::test_fingerprints_are_of_the_values",
    "jobs/test_printing.py::test_daily_details_wrap_the_note",
    "workbook/test_write.py::test_two_runs_keep_every_other_part_byte_identical",
    "workbook/test_write.py::test_second_run_gives_identical_values",
})

TESTS = Path(__file__).resolve().parent


def _called_name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _reaches(node: ast.AST, lo_names: set[str]) -> set[str]:
    """What one syntax node reaches by itself: "libreoffice", "python" (a new interpreter), or nothing."""
    if isinstance(node, ast.Name) and node.id in lo_names:
        return {"libreoffice"}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == "lo" and node.attr in LO_HELPERS:
            return {"libreoffice"}
        if (node.value.id, node.attr) == ("sys", "executable"):
            return {"python"}
    if (isinstance(node, (ast.List, ast.Tuple)) and node.elts and isinstance(node.elts[0], ast.Constant)
            and node.elts[0].value in SOFFICE | {"slips"}):  # ["soffice", "--headless", …] or main(["slips", …])
        return {"libreoffice"}
    if isinstance(node, ast.Call) and _called_name(node.func) == "slips_job" and not any(
            k.arg == "pdf" for k in node.keywords):
        return {"libreoffice"}
    return set()


@cache
def module_facts(path: Path) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Each top-level function of a test module: (the module's functions it names, what it reaches itself)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lo_names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "lo"
                for a in n.names if a.name in LO_HELPERS}
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    facts = {}
    for name, function in functions.items():
        nodes = list(ast.walk(function))
        named = {n.id for n in nodes if isinstance(n, ast.Name) and n.id in functions and n.id != name}
        facts[name] = (frozenset(named), frozenset().union(*(_reaches(n, lo_names) for n in nodes)))
    return facts


def reaches(path: Path, names) -> set[str]:
    """What the functions ``names`` of the module at ``path`` reach, following the module's own functions."""
    facts, seen, todo, out = module_facts(path), set(), list(names), set()
    while todo:
        name = todo.pop()
        if name in seen or name not in facts:
            continue
        seen.add(name)
        named, own = facts[name]
        out |= own
        todo += named
    return out


def test_key(item) -> str:
    return f"{item.path.relative_to(TESTS).as_posix()}::{getattr(item, 'originalname', item.name)}"


def mark(items) -> None:
    """Give every collected test the markers its source calls for."""
    for item in items:
        found = reaches(item.path, {getattr(item, "originalname", item.name), *getattr(item, "fixturenames", ())})
        if "libreoffice" in found:
            item.add_marker(pytest.mark.libreoffice)
        if (item.get_closest_marker("libreoffice") or "python" in found or item.path.name in SLOW_FILES
                or test_key(item) in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


def stale_entries(items) -> list[str]:
    """SLOW_TESTS entries naming no test of a file that was collected (the test was renamed or removed)."""
    keys = {test_key(i) for i in items}
    files = {k.split("::")[0] for k in keys}
    return sorted(e for e in SLOW_TESTS if e.split("::")[0] in files and e not in keys)


# --- every start of soffice, recorded ------------------------------------------------------------------

started_soffice: list[str] = []


def _program(args) -> str:
    """The program a Popen call starts, without folder and suffix: "soffice" for /usr/bin/soffice or soffice.exe."""
    if isinstance(args, (str, bytes, os.PathLike)):
        text = os.fsdecode(args)
        first = text.split()[0] if text.strip() else ""
    else:
        first = os.fsdecode(next(iter(args), ""))
    return PureWindowsPath(first).stem.lower()  # / and \ both separate folders


def record_soffice_starts() -> None:
    """Wrap subprocess.Popen so that every soffice started in this process is recorded."""
    real_init = subprocess.Popen.__init__
    if getattr(real_init, "records_soffice", False):
        return

    def init(self, args, *more, **kw):
        if _program(args) in SOFFICE:
            started_soffice.append(str(args))
        real_init(self, args, *more, **kw)

    init.records_soffice = True
    subprocess.Popen.__init__ = init
