"""Value columns of the input tables mapped to the contract's standard values (kaohe.terms).

A value that is neither standard nor a synonym (documented or HR's, from 规则) is a 问题清单 错误
with its cell, and is replaced by the safe reading (an approval → 待审批, proof → 无, 补偿方式 → 调休);
an unknown 假别 or 类型 stays as typed and the rule that reads it refuses it (the leave covers
nothing, the hours are not overtime). Money is never computed from a guessed value.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from kaohe import terms
from kaohe.findings import Finding
from kaohe.tables import Table
from kaohe.policy.catalog import article
from kaohe.policy.leave_table import LeaveTable

# What happens to a record whose value kaohe cannot read, by table and vocabulary, and the rule it is read under.
ACTIONS = {
    ("leave", terms.APPROVAL): ("按待审批处理：不抵扣缺勤，缺勤按旷工处理", "LV-01"),
    ("leave", terms.LEAVE_TYPE): ("此请假不生效，缺勤按旷工处理（可在假别表中增加此假别，或在规则表的同义词中写明）", "LV-25"),
    ("leave", terms.PROOF): ("按无证明材料处理", "LV-02"),
    ("overtime", terms.APPROVAL): ("按待审批处理：不计加班费，不计调休", "OT-01"),
    ("overtime", terms.OT_KIND): ("不计加班", "OT-04"),
    ("overtime", terms.COMPENSATION): ("按调休处理，不计加班费", "OT-03"),
    ("exceptions", terms.APPROVAL): ("按待审批处理：按缺卡处理", "ATT-05"),
    ("roster", terms.YES_NO): ("按空值处理", ""),
}


def terms_in_force(tables: Mapping[str, Table], leave: LeaveTable | None = None) -> tuple[terms.Terms, list[Finding]]:
    """The terms in force: the 假别 table's names and synonyms (``leave``; None: the eight types), HR's synonyms
    from 规则 (列/写法/标准值) and the roster's names; bad synonym rows."""
    rules = tables.get("rules")
    extra, findings = {}, []
    words = leave.synonyms() if leave is not None else None
    standard = {terms.LEAVE_TYPE: leave.names} if leave is not None else None
    if rules is not None and "syn_column" in rules.letters:
        f = rules.frame
        rows = [(rules.cell("syn_written", r), vocab, w, s)
                for r, vocab, w, s in zip(f["row"], f["syn_column"], f["syn_written"], f["syn_standard"])
                if rules.cell("syn_column", r) not in rules.bad]  # an unknown 列 is reported by the reader
        extra, bad = terms.extra_synonyms(rows, standard)
        findings = [Finding(rules.sheet, cell, reason, "忽略此行", code="rules.bad_synonym") for cell, reason in bad]
    roster = tables.get("roster")
    names = frozenset(n for n in roster.frame["name"] if isinstance(n, str)) if roster is not None else frozenset()
    return terms.Terms(extra, names, words), findings


def standardised(tables: Mapping[str, Table], vocab: terms.Terms) -> tuple[dict[str, Table], list[Finding]]:
    """The tables with every value column (``Table.vocab``) standardised; unreadable values reported (错误)."""
    out, findings = dict(tables), []
    for key, t in tables.items():
        if not t.vocab:
            continue
        frame, bad = t.frame.copy(), set(t.bad)
        for field, kind in t.vocab.items():
            values = [vocab.standard(kind, v) for v in frame[field]]
            if kind == terms.LEAVE_TYPE:  # the 假别 as typed: a synonym's own text decides some checks (哺乳假)
                frame[f"{field}_src"] = [None if terms.is_blank(v) else str(v).strip() for v in frame[field]]
            for row, emp, raw, value in zip(frame["row"], frame["emp"], frame[field], values):
                missing = value is None and kind == terms.LEAVE_TYPE
                if (missing or not vocab.known(kind, value)) and emp is not None:
                    action, rule = ACTIONS[(key, kind)]
                    address = t.cell(field, row)
                    bad.add(address)
                    findings.append(Finding(t.sheet, address, f"{t.headers.get(field, field)}“{raw}”无法识别（不是标准值或"
                                            f"同义词：{'/'.join(vocab.standards(kind))}）", action, rule, article(rule) if rule else "",
                                            terms.LEVEL_ERROR, code=f"{key}.unreadable_value"))
            frame[field] = [terms.SAFE[kind] if kind in terms.SAFE and not vocab.known(kind, v) else v for v in values]
        out[key] = dataclasses.replace(t, frame=frame, bad=bad)
    return out, findings


def drop_repeats(findings: list[Finding]) -> list[Finding]:
    """Once a cell is reported as an error, a later warning about the same cell says nothing new."""
    reported = {(f.sheet, f.cell) for f in findings if f.level == terms.LEVEL_ERROR and f.cell}
    return [f for f in findings if f.level == terms.LEVEL_ERROR or (f.sheet, f.cell) not in reported]
