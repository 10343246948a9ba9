"""A person as a cell function sees them: LEAVEDAYS's and LEAVECHECK's arguments (a leave; the person's 性别,
工时制, 班次, 入职/转正/参加工作日期) read as compute-month reads a workbook's rows — through the same reader, value
words and roster builder — so that the cells run compute-month's own rules on them: its DayCounter (the days a
leave counts, LV-03..LV-10) and its leave validation (LV-01..LV-11). Nothing in the engine exists for the cells.
"""
from __future__ import annotations

import datetime as dt
from typing import Protocol

import pandas as pd

from kaohe import policy as pol, terms
from kaohe.calendar import Calendar
from kaohe.engine import leave as lv, notes, standard
from kaohe.engine.month import roster_frame
from kaohe.engine.pay import DayCounter
from kaohe.policy.leave_table import LeaveTable
from kaohe.workbook import contract as c
from kaohe.workbook.read import tables_from_rows

class Rules(Protocol):
    """What a workbook's 规则 and 节假日 say, as the cells have them (kaohe.doors.cells.Context)."""

    @property
    def policy(self) -> pol.Policy: ...

    @property
    def calendar(self) -> Calendar: ...

    @property
    def terms(self) -> terms.Terms: ...

    @property
    def leave_table(self) -> LeaveTable: ...


CELL_EMP, CELL_SHIFT = "1", "1"  # the one person (and shift) a cell's arguments describe
HIRED_LONG_AGO = dt.date(1900, 1, 1)  # a blank hire date in LEAVECHECK: employed all along
HEADER_OF = {field: header for header, field in c.INPUT_FIELDS.items()}


def _sheet(fields: list[dict]) -> list[list]:
    """Rows of a sheet (header first) from records keyed by engine field."""
    names = list(dict.fromkeys(k for f in fields for k in f))
    return [[HEADER_OF[k] for k in names]] + [[f.get(k) for k in names] for f in fields]


def _read(sheets: dict[str, list[list]], specs) -> dict:
    """Typed tables through compute-month's reader; a cell that cannot be read is the cell's error."""
    tables, findings = tables_from_rows(sheets.get, specs)
    bad = next((f for f in findings if f.area == "read"), None)
    if bad is not None:
        raise ValueError(bad.problem)
    return tables


def _person_tables(person: dict, span: tuple[pd.Timestamp, pd.Timestamp]) -> dict:
    """员工名册 and, for a shift, 班次 and 排班 (the shift on every date of the span and the day before: a cell
    cannot see 排班) of the person a cell function describes (``gender``, ``comprehensive``, ``shift``, ``hired``,
    ``regular``, ``work_start``)."""
    system = terms.COMPREHENSIVE_HOURS if person.get("comprehensive") else terms.STANDARD_HOURS
    roster = {"emp": CELL_EMP, "name": "", "dept": "", "hired": person.get("hired") or HIRED_LONG_AGO,
              "base_wage": 0, "gender": person.get("gender"), "hours_system": system,
              "regular": person.get("regular"), "work_start": person.get("work_start")}
    sheets = {c.ROSTER.name: _sheet([roster])}
    times = tuple(person.get("shift") or ())
    if times:
        shift = dict(zip(("shift", "s1_start", "s1_end", "s2_start", "s2_end"), (CELL_SHIFT, *times, None, None)))
        sheets[c.SHIFTS.name] = _sheet([shift])
        dates = pd.date_range(span[0].normalize() - pd.Timedelta(days=1), span[1].normalize())
        sheets[c.ROTA.name] = _sheet([{"emp": CELL_EMP, "date": d.date(), "shift": CELL_SHIFT} for d in dates])
    return _read(sheets, (c.ROSTER, c.ROTA, c.SHIFTS))


def _cell_leave(leave: dict, person: dict, rules: Rules):
    """One 请假记录 row from a cell's arguments, read and standardised as compute-month reads them, and the
    engine's day counter for that person: (leave table, its normalised record, roster, counter)."""
    row = {"emp": CELL_EMP, "type": None, "start": None, "end": None, "applied": None, "status": terms.APPROVED, **leave}
    tables = _read({c.LEAVE.name: _sheet([row])}, (c.LEAVE,))
    tables, _ = standard.standardised(tables, rules.terms)  # 年假 → 年休假, 同意 → 已批准 … (HR's words too)
    table = tables[c.LEAVE.key]
    record = lv.normalise(table.frame).iloc[0]
    if pd.isna(record["start"]) or pd.isna(record["end"]):
        raise ValueError("缺少开始或结束时间")
    if record["end_eff"] <= record["start"]:
        raise ValueError("结束时间早于开始时间")
    people = _person_tables(person, (record["start"], record["end_eff"]))
    roster, _ = roster_frame(people[c.ROSTER.key])
    counter = DayCounter(table.frame, roster, rules.calendar, rules.policy, record["start"].date(),
                         record["end_eff"].date(), people[c.ROTA.key].frame, people[c.SHIFTS.key].frame, rules.leave_table)
    return table, record, roster, counter


def leave_days(kind, start, end, person: dict, rules: Rules) -> float:
    """LEAVEDAYS: the days a leave counts by its type's 假别 row, by compute-month's DayCounter (LV-03..LV-10, LV-25)."""
    _, record, _, counter = _cell_leave({"type": kind, "start": start, "end": end}, person, rules)
    if record["type"] not in rules.leave_table:
        raise ValueError("假别无效")
    return counter.count(CELL_EMP, record["type"], record["start"], record["end_eff"])


def leave_check(leave: dict, person: dict, rules: Rules) -> str:
    """LEAVECHECK: 通过, or the result and the first check that is not passed, as 请假校验 says it (LV-01..LV-11);
    compute-month's own leave validation on one record (no other records, no 调休 balance: check-leave sees those)."""
    table, _, roster, counter = _cell_leave(leave, person, rules)
    records, checks, _ = lv.validate(table, roster, counter.count, {}, rules.policy, table=rules.leave_table)
    result = records["result"].iloc[0]
    failed = checks[checks["result"] != terms.CHECK_PASS]
    if result == terms.CHECK_PASS or failed.empty:
        return terms.CHECK_PASS
    return f"{result}：{notes.check_line(failed['rule'].iloc[0], failed['note'].iloc[0])}"
