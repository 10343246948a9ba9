"""The 罚则 table: a company's lateness, early-leave, missing-punch, 补卡, absence and 全勤奖 rules as rows
(ATT-14..ATT-19). The numbers and shapes live here as data; kaohe.engine.penalties evaluates them.

One :class:`PenaltyRow` per row of the 罚则 sheet: the event (迟到, 早退, 缺卡, 补卡, 旷工, 全勤奖), the
counter it counts on (迟到 and 早退 may share one by naming the same counter), a minute band
``above < minutes <= up_to`` (迟到 and 早退 only), the effect and its amount, a per-event cap, the
monthly free quota, the counts it applies to (from the ``start``-th, every ``every``-th, up to the
``until``-th) and a threshold into another row (from the ``then_at``-th count on, the effect of row
``then_row``).

Decisions (docs/规则说明.md, ATT-14..ATT-19):
    - Without a 罚则 sheet the table is :func:`default_rows` of the 规则 in force: ATT-04's tiers as
      迟到/早退 bands (迟到宽限分钟, 旷工半天/一天起点分钟), ATT-05's fine, ATT-06's absence. Their ``source``
      is the 规则 key, so every output is what it was before the table existed.
    - A 罚则 sheet is the whole rule for the events it names (no merging with the defaults); the events it
      does not name keep their default rows. The 规则 keys it supersedes are reported when the sheet says
      something else than they do (:func:`superseded_findings`).
    - A row applies to an event when the event's minutes are in its band and the event's count is in its
      range; two rows of one event whose bands and count ranges overlap are refused. An event in a band
      whose count no row takes is counted and costs nothing.
    - ``every`` without ``start`` starts at ``every`` (每3次: the 3rd, 6th …).
    - Rows of one event whose minute bands do not overlap may name different counters; an event counts on the
      counter of the rows whose band holds its minutes. Two counters for overlapping bands are refused.
    - 补卡 counts on its own counter (it is decided before the punches are judged).
    - A threshold's target row gives its effect, amount and cap; it may not have a threshold itself.
    - Only the vocabulary below maps the sheet's words to constants; nothing else reads Chinese text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from kaohe import terms
from kaohe.findings import Finding, InputRefused
from kaohe.policy import DEFAULT, KEY_OF, Policy
from kaohe.policy.catalog import BY_ID
from kaohe.policy.items import PAID, PAY as PAY_TOTAL, Item, Registry
from kaohe.tables import Table

LATE, EARLY, MISSING, MAKEUP, ABSENCE, BONUS = "late", "early", "missing", "makeup", "absence", "bonus"
EVENTS = (LATE, EARLY, MISSING, MAKEUP, ABSENCE, BONUS)
EVENT_WORDS = dict(zip(terms.PENALTY_EVENTS, EVENTS))
EVENT_NAMES = {v: k for k, v in EVENT_WORDS.items()}
MINUTE_EVENTS = (LATE, EARLY)

FINE, PER_MINUTE, HOURLY, ABSENT, WAGE_DAYS, BALANCE, COUNT, CANCEL, REFUSE, PAY = (
    "fine", "per_minute", "hourly", "absent", "wage_days", "balance", "count", "cancel", "refuse", "pay")
EFFECTS = (FINE, PER_MINUTE, HOURLY, ABSENT, WAGE_DAYS, BALANCE, COUNT, CANCEL, REFUSE, PAY)
EFFECT_NAMES = dict(zip(EFFECTS, terms.PENALTY_EFFECTS))
EFFECT_WORDS = {w: e for e, w in EFFECT_NAMES.items()}
# Which effects an event may have, and which need an amount.
ALLOWED = {LATE: {FINE, PER_MINUTE, HOURLY, ABSENT, WAGE_DAYS, BALANCE, COUNT, CANCEL},
           EARLY: {FINE, PER_MINUTE, HOURLY, ABSENT, WAGE_DAYS, BALANCE, COUNT, CANCEL},
           MISSING: {FINE, ABSENT, WAGE_DAYS, BALANCE, COUNT, CANCEL}, MAKEUP: {FINE, WAGE_DAYS, COUNT, CANCEL, REFUSE},
           ABSENCE: {FINE, ABSENT, WAGE_DAYS, COUNT, CANCEL}, BONUS: {PAY}}
NEEDS_AMOUNT = {FINE, PER_MINUTE, WAGE_DAYS, BALANCE, PAY}
# The rule a row is made under when its 规则编号 is blank: the event's, or the shape's (ATT-15..ATT-19).
EVENT_RULES = {LATE: "ATT-04", EARLY: "ATT-04", MISSING: "ATT-05", MAKEUP: "ATT-18", ABSENCE: "ATT-06", BONUS: "ATT-19"}
EFFECT_RULES = {PER_MINUTE: "ATT-16", HOURLY: "ATT-16", WAGE_DAYS: "ATT-17", BALANCE: "ATT-17", COUNT: "ATT-17",
                CANCEL: "ATT-19", REFUSE: "ATT-18", PAY: "ATT-19"}
ROW_SOURCE = "罚则第{}行"  # a sheet row as the ledger's ``source``
BONUS_ITEM = "full_attendance_bonus"  # 全勤奖's money item (kaohe.policy.items)


@dataclass(frozen=True)
class PenaltyRow:
    row: int  # the row number HR sees (the sheet's; a default row's place in the template)
    rule: str
    article: str
    event: str
    effect: str
    counter: str = ""  # "" counts on the event's own name
    above: int = 0
    up_to: float = math.inf
    amount: float | None = None
    cap: float | None = None
    free: int = 0
    start: int = 1
    every: int = 1
    until: float = math.inf
    then_at: int | None = None
    then_row: int | None = None
    leave_types: tuple[str, ...] = ()
    source: str = ""  # the ledger's source: a 规则 key (a default row) or 罚则第N行

    @property
    def counter_name(self) -> str:
        return self.counter or EVENT_NAMES[self.event]

    def takes(self, minutes: int, n: int) -> bool:
        """Whether this row applies to the ``n``-th event of its counter, of ``minutes`` minutes."""
        in_band = self.event not in MINUTE_EVENTS or self.above < minutes <= self.up_to
        return in_band and self.start <= n <= self.until and (n - self.start) % self.every == 0

    def in_band(self, minutes: int) -> bool:
        return self.event not in MINUTE_EVENTS or self.above < minutes <= self.up_to


@dataclass(frozen=True)
class PenaltyTable:
    rows: tuple[PenaltyRow, ...]
    from_sheet: frozenset[str] = frozenset()  # the events a 罚则 sheet names (the others: default rows)

    def of(self, event: str) -> tuple[PenaltyRow, ...]:
        return tuple(r for r in self.rows if r.event == event)

    def row(self, number: int | None) -> PenaltyRow | None:
        return next((r for r in self.rows if r.row == number), None)

    def counter(self, event: str, minutes: int = 0) -> str:
        """The counter an event of ``minutes`` counts on: that of the event's rows whose band holds the minutes
        (rows of one event in bands apart may count apart: a late over 30 minutes on its own counter)."""
        rows = [r for r in self.of(event) if r.in_band(minutes)] or self.of(event)
        return rows[0].counter_name if rows else EVENT_NAMES[event]

    @property
    def bonus(self) -> PenaltyRow | None:
        return next(iter(self.of(BONUS)), None)


# --- the defaults: 规则's ATT-04/05/06 as rows ------------------------------------------------

def _tier_rows(event: str, first: int, p: Policy) -> list[PenaltyRow]:
    """ATT-04's cascade as bands: fined above 迟到宽限分钟 up to 旷工半天起点分钟, half a day up to 旷工一天起点分钟,
    a day beyond; a band emptied by the limits (a grace above a limit) is left out, as late_tier skips it."""
    half = max(p.late_grace_minutes, p.late_half_day_minutes)
    full = max(half, p.late_full_day_minutes)
    bands = ((p.late_grace_minutes, half, FINE, p.late_fine, "late_fine"),
             (half, full, ABSENT, p.late_half_absence_days, "late_half_day_minutes"),
             (full, math.inf, ABSENT, p.late_full_absence_days, "late_full_day_minutes"))
    return [PenaltyRow(first + i, "ATT-04", "第十九条", event, effect, above=lo, up_to=hi, amount=amount,
                       source=KEY_OF[key]) for i, (lo, hi, effect, amount, key) in enumerate(bands) if hi > lo]


def default_rows(p: Policy = DEFAULT) -> tuple[PenaltyRow, ...]:
    """The table 规则 says (ATT-04, ATT-05, ATT-06), numbered as the 考勤 template's 罚则 sheet shows it."""
    late = _tier_rows(LATE, 2, p)
    early = _tier_rows(EARLY, 2 + len(late), p)
    n = 2 + len(late) + len(early)
    return (*late, *early,
            PenaltyRow(n, "ATT-05", "第十七条", MISSING, FINE, amount=p.missing_punch_fine, source=KEY_OF["missing_punch_fine"]),
            PenaltyRow(n + 1, "ATT-06", "第二十三条", ABSENCE, ABSENT))


def default_table(p: Policy = DEFAULT) -> PenaltyTable:
    return PenaltyTable(default_rows(p))


# --- HR's sheet ---------------------------------------------------------------------------

FIELDS = ("rule", "article", "event", "counter", "above", "up_to", "effect", "amount", "cap", "free", "from_nth",
          "every", "until", "then_at", "then_row", "type")


class _Cells:
    """One sheet row's cells: each value read or refused with its address."""

    def __init__(self, t: Table, record: dict):
        self.t, self.r, self.row = t, record, int(record["row"])

    def refuse(self, name: str, zh: str, en: str):
        cell = self.t.cell(name, self.row)
        raise InputRefused(f"{self.t.sheet}表 {cell}：{zh}", f"sheet {self.t.sheet} cell {cell}: {en}")

    def text(self, name: str) -> str:
        value = self.r.get(name)
        return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()

    def number(self, name: str, whole: bool = False) -> float | None:
        raw = self.text(name)
        if not raw:
            return None
        try:
            value = float(raw.rstrip("元天次分钟倍").replace(",", ""))
        except ValueError:
            value = -1.0
        if value < 0 or value != value or (whole and not value.is_integer()):
            self.refuse(name, f"“{raw}”应为{'整数' if whole else '数字'}（不小于0）", f"'{raw}' is not a number >= 0")
        return int(value) if whole else value

    def word(self, name: str, words: dict) -> str:
        raw = self.text(name)
        if raw not in words:
            self.refuse(name, f"“{raw}”无效（应为 {'/'.join(words)}）", f"'{raw}' is not one of the allowed words")
        return words[raw]


def _row_of(t: Table, record: dict) -> PenaltyRow:
    c = _Cells(t, record)
    event = c.word("event", EVENT_WORDS)
    if not c.text("effect"):
        c.refuse("effect", "这一行没有处理（罚款、记旷工……）", "the row has no effect")
    effect = c.word("effect", EFFECT_WORDS)
    if effect not in ALLOWED[event]:
        c.refuse("effect", f"{EVENT_NAMES[event]}不能“{c.text('effect')}”", f"effect not allowed for {event}")
    numbers = {name: c.number(name, whole=name not in ("amount", "cap"))
               for name in ("above", "up_to", "amount", "cap", "free", "from_nth", "every", "until", "then_at",
                            "then_row")}
    counted = any(numbers[k] is not None for k in ("free", "from_nth", "every", "until", "then_at"))
    rule = c.text("rule").upper() or EFFECT_RULES.get(effect) or ("ATT-15" if counted else EVENT_RULES[event])
    if rule not in BY_ID:
        c.refuse("rule", f"规则编号“{rule}”不存在", f"unknown rule ID {rule}")
    if event not in MINUTE_EVENTS and (numbers["above"] is not None or numbers["up_to"] is not None):
        c.refuse("above", "只有迟到、早退有分钟段", "only 迟到 and 早退 have minute bands")
    if effect in NEEDS_AMOUNT and numbers["amount"] is None:
        c.refuse("amount", f"“{EFFECT_NAMES[effect]}”须填数额", "the effect needs an amount")
    if (numbers["then_at"] is None) != (numbers["then_row"] is None):
        c.refuse("then_row", "转入次数和转入行须同时填写", "a threshold needs both its count and its row")
    return _built(c, event, effect, rule, numbers)


def _built(c: _Cells, event: str, effect: str, rule: str, n: dict) -> PenaltyRow:
    every = n["every"] or 1
    start = n["from_nth"] or (every if n["every"] else 1)
    types = tuple(s.strip() for s in c.text("type").replace("，", ",").replace("、", ",").split(",") if s.strip())
    unknown = [x for x in types if x not in terms.LEAVE_TYPES]
    if unknown or (effect == BALANCE and len(types) != 1):
        c.refuse("type", f"假别“{c.text('type')}”无效", "bad leave type")
    row = PenaltyRow(c.row, rule, c.text("article"), event, effect, c.text("counter"),
                     above=n["above"] or 0, up_to=math.inf if n["up_to"] is None else n["up_to"], amount=n["amount"],
                     cap=n["cap"], free=n["free"] or 0, start=start, every=every,
                     until=math.inf if n["until"] is None else n["until"], then_at=n["then_at"],
                     then_row=n["then_row"], leave_types=types, source=ROW_SOURCE.format(c.row))
    if row.up_to <= row.above:
        c.refuse("up_to", f"分钟段为空（超过{row.above}分钟至{row.up_to:g}分钟）", "the minute band is empty")
    if row.until < row.start or every < 1:
        c.refuse("until", "次数范围为空", "the count range is empty")
    return row


def rows_from_sheet(t: Table) -> tuple[PenaltyRow, ...]:
    """HR's rows, each read and the whole checked; InputRefused naming the sheet and cell of the first fault."""
    records = [r for r in t.frame.to_dict("records")
               if any(r.get(k) is not None and str(r.get(k)).strip() not in ("", "nan") for k in FIELDS)]
    rows = tuple(_row_of(t, r) for r in records)
    _check(t, rows)
    return rows


def _overlap(a: PenaltyRow, b: PenaltyRow) -> bool:
    return (a.above < b.up_to and b.above < a.up_to) and (a.start <= b.until and b.start <= a.until)


def _check(t: Table, rows: tuple[PenaltyRow, ...]) -> None:
    """Overlapping rows of one event, two counters for overlapping bands of one event, a threshold to a missing
    row, two 全勤奖 rows."""
    def refuse(row: PenaltyRow, name: str, zh: str, en: str):
        _Cells(t, {"row": row.row}).refuse(name, zh, en)

    by_number = {r.row: r for r in rows}
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if a.event == b.event and _overlap(a, b):
                refuse(b, "above" if b.above is not None else "event", f"与第{a.row}行的分钟段和次数重叠",
                       f"overlaps row {a.row}")
            if a.event == b.event and a.counter_name != b.counter_name and a.above < b.up_to and b.above < a.up_to:
                refuse(b, "counter", f"同一事件分钟段重叠的行计数须相同（第{a.row}行为“{a.counter_name}”）",
                       "one counter per event and minute band")
        target = by_number.get(a.then_row) if a.then_row is not None else None
        if a.then_row is not None and (target is None or target.then_row is not None or target is a):
            refuse(a, "then_row", f"转入的第{a.then_row}行不存在（或它自己也有转入）", f"threshold row {a.then_row} is missing")
    makeup = {r.counter_name for r in rows if r.event == MAKEUP}
    if makeup & {r.counter_name for r in rows if r.event != MAKEUP}:
        refuse(next(r for r in rows if r.event == MAKEUP), "counter", "补卡的计数不能与其他事件共用", "补卡 counts alone")
    bonus = [r for r in rows if r.event == BONUS]
    if len(bonus) > 1:
        refuse(bonus[1], "event", "全勤奖只能有一行", "one 全勤奖 row")


def table_in_force(t: Table | None, p: Policy) -> PenaltyTable:
    """The sheet's rows for the events it names, the default rows of 规则 for the others."""
    if t is None or not t.present:
        return default_table(p)
    rows = rows_from_sheet(t)
    named = frozenset(r.event for r in rows)
    kept = tuple(replace(r, row=-i) for i, r in enumerate(default_rows(p), 1) if r.event not in named)
    return PenaltyTable(rows + kept, named)


# The 规则 keys each event's default rows are made from.
SUPERSEDED = {LATE: ("late_fine", "late_grace_minutes", "late_half_day_minutes", "late_full_day_minutes",
                     "late_half_absence_days", "late_full_absence_days"),
              MISSING: ("missing_punch_fine",)}
SUPERSEDED[EARLY] = SUPERSEDED[LATE]


def _shape(rows) -> list[tuple]:
    return sorted((r.event, r.above, r.up_to, r.effect, -1 if r.amount is None else r.amount, r.free, r.start, r.every,
                   r.until, -1 if r.then_at is None else r.then_at) for r in rows)


def superseded_findings(table: PenaltyTable, p: Policy, sheet: str, rules_sheet: str) -> list[Finding]:
    """A 规则 key the 罚则 sheet supersedes, set in 规则 to other than its default while the sheet says
    something else for its events: a 警告 (the key is not used for them)."""
    out, said = [], set()
    for event in sorted(table.from_sheet & set(SUPERSEDED)):
        if _shape(table.of(event)) == _shape(r for r in default_rows(p) if r.event == event):
            continue
        for name in SUPERSEDED[event]:
            if name in said or getattr(p, name) == getattr(DEFAULT, name):
                continue
            said.add(name)
            out.append(Finding(rules_sheet, "", f"参数“{KEY_OF[name]}”（{getattr(p, name)}）与{sheet}表不同",
                               f"{sheet}表已规定{EVENT_NAMES[event]}，此参数不再用于它", "ATT-14", BY_ID["ATT-14"].article,
                               terms.LEVEL_WARNING, code="rules.superseded"))
    return out


# --- a row in words (每日明细's 说明, docs/规则说明.md) ----------------------------------------------

def number_text(x: float) -> str:
    return f"{x:g}"


def band_text(row: PenaltyRow) -> str:
    """``1–30分钟``, ``超过30分钟``; "" for an event without minutes or a band without limits."""
    if row.event not in MINUTE_EVENTS or (row.above == 0 and row.up_to == math.inf):
        return ""
    if row.up_to == math.inf:
        return f"超过{row.above}分钟"
    return f"{row.above + 1}–{number_text(row.up_to)}分钟"


def counts_text(row: PenaltyRow) -> str:
    """The counts a row takes, in words: ``第3次起``, ``第3至4次``, ``每3次``, ``每月前2次免罚，``."""
    out = f"每月前{row.free}次免罚，" if row.free else ""
    until = number_text(row.until)
    if row.every > 1:
        return (out + f"每{row.every}次" + (f"（第{row.start}次起）" if row.start != row.every else "")
                + (f"（至第{until}次）" if row.until != math.inf else ""))
    if row.until != math.inf:
        return out + f"第{row.start}至{until}次"
    return out + (f"第{row.start}次起" if row.start > 1 else "")


def effect_text(row: PenaltyRow) -> str:
    """What a row does to one event, in words."""
    a = number_text(row.amount) if row.amount is not None else ""
    cap = f"，每次最多{number_text(row.cap)}元" if row.cap is not None else ""
    return {FINE: f"每次{a}元", PER_MINUTE: f"每分钟{a}元{cap}",
            HOURLY: f"按分钟扣小时工资{'×' + a if a and row.amount != 1 else ''}{cap}",
            ABSENT: f"记旷工{a}天" if a else "记旷工（按时段）", WAGE_DAYS: f"扣{a}天工资（不记旷工）",
            BALANCE: f"扣{'、'.join(row.leave_types)}余额{a}天", COUNT: "只计次", CANCEL: "取消全勤奖",
            REFUSE: "不予补卡", PAY: f"全勤奖{a}元"}[row.effect]


def describe(row: PenaltyRow) -> str:
    """The whole row in words: ``1–30分钟，第3次起每次50元``; a threshold says where it goes."""
    parts = [band_text(row), counts_text(row) + effect_text(row)]
    if row.then_row is not None:
        parts.append(f"第{row.then_at}次起按第{row.then_row}行处理")
    if row.event == BONUS:
        parts.append("迟到、早退、旷工" + ("、" + "、".join(row.leave_types) if row.leave_types else "") + "取消")
    return "，".join(p for p in parts if p)


def with_bonus(items: Registry, table: PenaltyTable) -> Registry:
    """The money items with 全勤奖 (ATT-19) when the table has its row: a payment in the pay total."""
    row = table.bonus
    if row is None:
        return items
    return items.with_items([Item(BONUS_ITEM, EVENT_NAMES[BONUS], PAID, row.rule, PAY_TOTAL, unit="月")])
