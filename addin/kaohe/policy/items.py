"""The money items: every figure a month pays or deducts, each listed once (PAY-04).

An item is a column of 月度汇总 and of the finance workbook, a line of the 个人考勤确认单 and part
of the totals the mail names. The engine charges each item under its rule (kaohe.engine.ledger:
one charge record per fine, deduction or payment, with its quantity, rate and amount); every
output is a group-by of those charges by item. So a new item is one :class:`Item` in a
:class:`Registry` — a built-in one below, or one supplied by data (a leave type with a
deduction, a rule row HR adds) through :meth:`Registry.with_items` — and nothing else.

Each item says:

    field        its engine field (the 月度汇总 column of its amount), e.g. ``late_fine``
    header       its column header, e.g. 迟到早退罚款
    sign         -1 deducted from pay, +1 paid
    rule         the rule ID its charges are made under (the citation of its 依据 line)
    total        the total it joins: fines, deductions or pay (the run's summary, the mail, 月结记录)
    counts       the 月度汇总 columns of what it counts, shown before its amount (迟到次数, 早退次数), in ``unit``
    leave_type   a leave deduction: the leave type whose days it charges at the daily wage …
    paid_share   … less this share of the day still paid (事假 0: unpaid), or the share in the 规则
    paid_key     parameter of that name (病假工资比例); days paid in full (LV-04 住院) are not charged
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

FINES, DEDUCTIONS, PAY = "fines", "deductions", "pay"
TOTALS = (FINES, DEDUCTIONS, PAY)
TOTAL_NAMES = {FINES: "罚款", DEDUCTIONS: "扣款", PAY: "加班费"}  # how the run's summary and the mail name them
PAID, DEDUCTED = 1, -1


@dataclass(frozen=True)
class Item:
    field: str
    header: str
    sign: int
    rule: str
    total: str
    counts: tuple[tuple[str, str], ...] = ()  # (header, field) of the counts shown before the amount
    unit: str = "次"  # what a count is in: 次, 天 or 小时
    leave_type: str = ""
    paid_share: float = 0.0
    paid_key: str = ""

    def __post_init__(self):
        if self.sign not in (PAID, DEDUCTED) or self.total not in TOTALS:
            raise ValueError(f"money item {self.field}: sign must be +1 or -1 and total one of {TOTALS}")

    @property
    def paid(self) -> bool:
        return self.sign == PAID


BUILT_IN: tuple[Item, ...] = (
    Item("late_fine", "迟到早退罚款", DEDUCTED, "ATT-04", FINES, (("迟到次数", "late_count"), ("早退次数", "early_count"))),
    Item("missing_fine", "缺卡罚款", DEDUCTED, "ATT-05", FINES, (("缺卡次数", "missing_count"),)),
    Item("proxy_fine", "代打卡罚款", DEDUCTED, "ATT-07", FINES),
    Item("absence_deduction", "旷工扣款", DEDUCTED, "PAY-02", DEDUCTIONS, (("旷工天数", "absent_days"),), "天"),
    Item("personal_deduction", "事假扣款", DEDUCTED, "LV-03", DEDUCTIONS, unit="天", leave_type="事假"),
    Item("sick_deduction", "病假扣款", DEDUCTED, "LV-04", DEDUCTIONS, unit="天", leave_type="病假",
         paid_key="sick_pay_ratio"),
    Item("ot_pay", "加班费", PAID, "OT-03", PAY, (("加班小时", "ot_hours"),), "小时"),
)


@dataclass(frozen=True)
class Registry:
    """The money items in force, in the order they are shown: the built-in ones, then those data adds."""

    items: tuple[Item, ...] = field(default_factory=lambda: BUILT_IN)

    def __post_init__(self):
        fields = [i.field for i in self.items]
        headers = [i.header for i in self.items]
        if len(set(fields)) != len(fields) or len(set(headers)) != len(headers):
            raise ValueError("money items must have distinct fields and headers")

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def with_items(self, extra: Iterable[Item]) -> Registry:
        """This registry with items supplied by data (a leave type's deduction, a rule row HR adds) after its own."""
        return Registry(self.items + tuple(extra))

    def get(self, field_: str) -> Item:
        return next(i for i in self.items if i.field == field_)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(i.field for i in self.items)

    def of_total(self, total: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.total == total)

    def leave_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.leave_type)


def pay_name(items: Registry, joiner: str = "、") -> str:
    """How the run's summary, the mail and the slips name what is paid: 加班费, or with the items data adds to the
    pay total (全勤奖, ATT-19) their headers too (加班费、全勤奖; ``joiner`` " + " in a formula)."""
    return joiner.join(i.header for i in items.of_total(PAY)) or TOTAL_NAMES[PAY]


def registry() -> Registry:
    """The registry a month is computed with: the built-in items (data-supplied ones join here)."""
    return Registry(BUILT_IN)
