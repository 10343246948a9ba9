"""HR's 假别 sheet read into a :class:`~kaohe.policy.leave_table.LeaveTable` (LV-25, LV-27), as
:func:`kaohe.policy.policy_from_rows` reads 规则.

Each row is one leave type; each cell is parsed for its column (:data:`FIELD_ATTRS` names the LeaveType
attribute of a column whose engine field is not spelt as the attribute). A cell that cannot be read is a
问题清单 错误 naming the cell, and its row is not used (the type is then unknown: its records are refused,
LV-01). A name written twice, or a synonym that is already another type's name or synonym, is an 错误 at the
later row, which is not used. 事假 is always in the table: the company rules count converted leave as 事假
(LV-02, LV-05, LV-08 …), so a sheet without its row is an 错误 and the default row is used.

With the sheet, a company type's numbers override the 规则 parameters they stand for
(leave_table.POLICY_FIELDS): each difference is a 提示 naming both (LV-27).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kaohe import terms
from kaohe.findings import Finding
from kaohe.policy import KEY_OF, Policy
from kaohe.policy.leave_table import POLICY_FIELDS, LeaveTable, LeaveType, default_types
from kaohe.values import is_blank

# The engine field of a 假别 column when it is not the LeaveType attribute's own name.
FIELD_ATTRS = {"type": "name", "proof_needed": "proof", "quota_period": "period"}
ATTR_FIELDS = {attr: f for f, attr in FIELD_ATTRS.items()}
YES_WORDS, NO_WORDS = ("是", "Y", "yes", "√", "✓", "✔"), ("否", "N", "no", "×", "✗")
_SPLIT = re.compile(r"[、,，;；/\s]+")
RULE_ID = re.compile(r"^[A-Z]+-\d+$")
CODE = "leave_types.bad_row"


def field_of(attr: str) -> str:
    """The engine field (kaohe.workbook.contract.INPUT_FIELDS) of a LeaveType attribute's column."""
    return ATTR_FIELDS.get(attr, attr)


def _text(raw) -> str:
    return "" if is_blank(raw) else str(raw).strip()


def _choice(options):
    def parse(raw):
        text = _text(raw)
        if text not in options:
            raise ValueError(f"应为 {'/'.join(options)}")
        return text
    return parse


def _number(raw, integer=False):
    if is_blank(raw):
        return None
    text = str(raw).strip().rstrip("天").strip() if isinstance(raw, str) else raw
    try:
        value = float(text[:-1]) / 100 if isinstance(text, str) and text.endswith("%") else float(text)
    except (TypeError, ValueError):
        raise ValueError("应为数字") from None
    if value != value or value < 0 or value > 1e5:
        raise ValueError("数字超出范围")
    if integer and not value.is_integer():
        raise ValueError("应为整数")
    return int(value) if integer else value


def _yes_no(raw) -> bool:
    if is_blank(raw):
        return False
    k = terms.key(raw)
    if k in {terms.key(w) for w in YES_WORDS}:
        return True
    if k in {terms.key(w) for w in NO_WORDS}:
        return False
    raise ValueError("应为 是 或 否")


def _pairs(raw) -> tuple[tuple[int, float], ...]:
    """``2:30、3:60`` (from this birth order or full month, that many days), ascending."""
    if is_blank(raw):
        return ()
    out = []
    for part in _SPLIT.split(str(raw).strip()):
        if not part:
            continue
        a, sep, b = part.replace("：", ":").partition(":")
        if not sep:
            raise ValueError("应写成 起点:天数，如 0:15、4:42")
        out.append((int(_number(a, integer=True) or 0), float(_number(b) or 0.0)))
    return tuple(sorted(out))


PARSERS = {
    "synonyms": lambda raw: tuple(s for s in _SPLIT.split(_text(raw)) if s),
    "pay": _choice(terms.LEAVE_PAYS), "count": _choice(terms.LEAVE_COUNTS),
    "period": lambda raw: _choice(terms.LEAVE_PERIODS)(raw) if not is_blank(raw) else terms.PERIOD_EVENT,
    "share": _number, "quota": _number, "child_age_limit": _number,
    "notice_days": lambda raw: _number(raw, integer=True), "window_days": lambda raw: _number(raw, integer=True),
    "extra_difficult": lambda raw: _number(raw) or 0.0, "extra_per_baby": lambda raw: _number(raw) or 0.0,
    "extra_from_order": _pairs, "pregnancy_tiers": _pairs,
    "proof": _yes_no, "per_child": _yes_no, "social_insurance": _yes_no, "personal_cap": _yes_no,
    "legend": _text, "article": _text,
}


def _rule(raw) -> str:
    text = _text(raw).upper()
    if text and not RULE_ID.match(text):
        raise ValueError("应为规则编号，如 LV-05（可留空）")
    return text


PARSERS["rule"] = _rule


@dataclass
class _Sheet:
    """The sheet being read: its name, its headers (engine field -> header text) and the default rows."""

    name: str
    headers: dict[str, str]
    defaults: dict[str, LeaveType]

    def header(self, attr: str) -> str:
        return self.headers.get(field_of(attr), attr)

    def bad(self, cell: str, problem: str, action: str = "此行不使用（该假别的请假按无效假别处理）") -> Finding:
        return Finding(self.name, cell, problem, action, "LV-25", "", terms.LEVEL_ERROR, code=CODE)

    def row(self, name: str, values: dict, cell, at: int) -> tuple[LeaveType | None, Finding | None]:
        """One row: its LeaveType, or the 错误 of its first bad cell (the row unused)."""
        kw = {}
        for attr, parse in PARSERS.items():
            raw = values.get(field_of(attr))
            try:
                kw[attr] = parse(raw)
            except ValueError as exc:
                return None, self.bad(cell(field_of(attr)), f"假别“{name}”的{self.header(attr)}“{_text(raw)}”无效：{exc}")
        base = self.defaults.get(name)
        keyed = base is not None and bool(base.share_key) and kw["pay"] == terms.PAY_SHARE  # 病假: 规则's 病假工资比例
        if kw["pay"] == terms.PAY_SHARE and kw["share"] is None and not keyed:
            return None, self.bad(cell("share"), f"假别“{name}”计薪为比例，发放比例为空（应为 0 至 1 的数字，如 0.6）")
        if kw["share"] is not None and kw["share"] > 1:
            return None, self.bad(cell("share"), f"假别“{name}”的发放比例“{kw['share']:g}”无效：应为 0 至 1（或 0% 至 100%）")
        return LeaveType(name, share_key=base.share_key if keyed and base else "", row=at, **kw), None

    def clash(self, row: LeaveType, seen: dict[str, str], cell) -> Finding | None:
        """A name already in the table, or a synonym that already means another type."""
        other = seen.get(terms.key(row.name))
        if other is not None:
            return self.bad(cell("type"), f"假别“{row.name}”已是“{other}”的名称或同义词",
                            f"此行不使用：写“{row.name}”的请假仍按“{other}”计算。要单独的一种假，请给此行另起名称"
                            f"（如“{row.name}（整天）”），或先从“{other}”一行删去“{row.name}”" if other != row.name else
                            f"此行不使用：写“{row.name}”的请假按前面的“{row.name}”一行计算")
        for word in row.synonyms:
            other = seen.get(terms.key(word))
            if other is not None:
                return self.bad(cell("synonyms"), f"同义词“{word}”已是假别“{other}”的名称或同义词（一个写法只能对应一种假别）",
                                f"此行不使用：写“{row.name}”的请假按无效假别处理，写“{word}”的仍按“{other}”计算")
        return None


def table_from_rows(rows, policy: Policy, sheet: str, headers: dict[str, str]) -> tuple[LeaveTable, list[Finding]]:
    """The 假别 sheet's rows ``(Excel row, values by engine field, cell(field) -> address)`` as the table in force,
    and the 错误 of the rows not used. Rows whose every cell is blank are skipped."""
    book = _Sheet(sheet, headers, {t.name: t for t in default_types(policy)})
    types: list[LeaveType] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}  # every name and synonym (compared as terms.key) -> its type
    for at, values, cell in rows:
        name = _text(values.get("type"))
        if not name:
            if any(not is_blank(v) for v in values.values()):
                findings.append(book.bad(cell("type"), "假别为空"))
            continue
        row, bad = book.row(name, values, cell, at)
        bad = bad or book.clash(row, seen, cell) if row is not None else bad
        if bad is not None or row is None:
            findings += [bad] if bad is not None else []
            continue
        seen.update({terms.key(w): row.name for w in (row.name, *row.synonyms)})
        types.append(row)
    if terms.LEAVE_PERSONAL not in {t.name for t in types}:
        findings.append(book.bad("A1", f"假别表没有“{terms.LEAVE_PERSONAL}”一行（不通过的请假按事假计）", "按默认的事假一行计算"))
        types.insert(0, book.defaults[terms.LEAVE_PERSONAL])
    return LeaveTable(tuple(types), from_sheet=True), findings


def overrides(policy: Policy, table: LeaveTable, sheet: str, headers: dict[str, str]) -> list[Finding]:
    """LV-27: a 提示 for each 规则 parameter the 假别 sheet's company rows set to another value."""
    found = []
    for t in table:
        for attr, name in POLICY_FIELDS.get(t.name, {}).items():
            value, before = getattr(t, attr), getattr(policy, name)
            if value is None or float(value) == float(before):
                continue
            what = headers.get(field_of(attr), attr)
            found.append(Finding(sheet, "", f"假别表“{t.name}”的{what}为 {value:g}，规则表“{KEY_OF[name]}”为 {before:g}",
                                 "按假别表计算", "LV-27", "", terms.LEVEL_INFO, code="leave_types.overrides_rules"))
    return found
