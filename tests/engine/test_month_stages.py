"""The month is a declared tuple of stages (engine/month.py): documented order, compute_month is
nothing but the stages run in order, and no stage changes what it was given."""
import dataclasses
import re
from types import MappingProxyType

import pandas as pd
import pytest

from kaohe.engine import month as m
from kaohe.engine import standard
from kaohe.jobs.sample import build_sample
from kaohe.workbook import contract as c
from kaohe.workbook.read import tables_from_rows

MONTH = "2026-10"


@pytest.fixture(scope="module")
def tables():
    """The sample's month: lateness, missing punches, absence, leave, overtime, a punch exception,
    proxy punching, a new hire, a leaver and a night-shift team — every stage has work to do."""
    sheets = build_sample(MONTH, employees=24)
    tables, _ = tables_from_rows(sheets.get, c.ATTENDANCE_INPUTS)
    return tables


def documented_stages() -> list[tuple[str, list[str]]]:
    """(stage name, frames it makes) from the module docstring's table."""
    rows = re.findall(r"^ {4}(\w+_stage) +((?:\w+, )*\w+) ", m.__doc__, flags=re.M)
    return [(name, frames.split(", ")) for name, frames in rows]


def run_by_hand(ctx):
    """The stages one by one, each handed a plain copy of what the ones before made."""
    made, findings, made_by = {}, [], []
    for stage in m.STAGES:
        new, found = stage(ctx, MappingProxyType(dict(made)))
        made_by.append((stage.__name__, list(new)))
        made.update(new)
        findings += found
    return made, findings, made_by


def test_STAGES_is_a_tuple_of_functions_in_the_documented_order():
    assert isinstance(m.STAGES, tuple) and all(callable(s) for s in m.STAGES)
    assert [s.__name__ for s in m.STAGES] == [name for name, _ in documented_stages()]
    assert len(m.STAGES) == 10


def test_each_stage_makes_the_frames_its_documentation_names(tables):
    ctx, _ = m.month_context(tables, MONTH)
    _, _, made_by = run_by_hand(ctx)
    assert made_by == documented_stages()


def test_running_the_stages_by_hand_reproduces_compute_month(tables):
    result = m.compute_month(tables, MONTH)
    ctx, findings = m.month_context(tables, MONTH)
    made, found, _ = run_by_hand(ctx)
    pd.testing.assert_frame_equal(made["daily"], result.daily)
    pd.testing.assert_frame_equal(made["monthly"], result.monthly)
    pd.testing.assert_frame_equal(made["leave_check"], result.leave_check)
    pd.testing.assert_frame_equal(made["evaluated"], result.sessions)
    assert standard.drop_repeats(findings + found) == result.findings
    assert result.summary["problems"] == len(result.findings) > 0
    assert result.summary["employees"] == len(made["roster"]) == 24


def test_no_stage_changes_the_frames_or_tables_it_was_given(tables):
    ctx, _ = m.month_context(tables, MONTH)
    made = {}
    table_copies = {k: t.frame.copy(deep=True) for k, t in ctx.tables.items()}
    for stage in m.STAGES:
        before = {k: f.copy(deep=True) for k, f in made.items()}
        new, _ = stage(ctx, MappingProxyType(made))
        assert set(made) == set(before), stage.__name__
        for name, frame in before.items():
            pd.testing.assert_frame_equal(made[name], frame, obj=f"{stage.__name__} on {name}")
        for key, frame in table_copies.items():
            pd.testing.assert_frame_equal(ctx.tables[key].frame, frame, obj=f"{stage.__name__} on table {key}")
        made = {**made, **new}
    assert all(len(made[name]) for name in ("days", "sessions", "punches", "overtime", "leave", "proxy", "monthly"))


def test_the_month_context_is_read_only(tables):
    ctx, _ = m.month_context(tables, MONTH)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.month = "2026-11"
    with pytest.raises(TypeError):
        ctx.tables["roster"] = None
    assert ctx.first.isoformat() == "2026-10-01" and ctx.last.isoformat() == "2026-10-31"
