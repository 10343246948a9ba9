"""The money items in force (kaohe.policy.items) as the jobs show them: the columns of 月度汇总 and of its frozen
copy, of the finance workbook and of its recorded figures, and whether an item is paid or deducted.

Every list of money columns in the jobs is made here from the registry, so a new item — built in, or supplied
by data (a leave type's deduction, a rule row HR adds) — is a column of each, a line of the slips and a total of
the mail with nothing else to change. 月度汇总 is the contract's head and tail (kaohe.workbook.contract) around
each item — the counts it shows, then its amount — and a days column per leave type followed by the items that
deduct its days.

The items in force are a workbook's: the built-in ones and a deduction for each type of its 假别 sheet that is
unpaid or paid in part (LV-26). A job on a workbook runs inside :func:`items_of_book`, and every list here made
without an explicit registry is then that workbook's (:func:`in_force`); outside a job, the built-in items.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from kaohe import terms
from kaohe.engine.leave_sheet import leave_table_of
from kaohe.engine.month import load_policy
from kaohe.policy import DEFAULT
from kaohe.policy.items import Item, Registry, registry
from kaohe.tables import Table
from kaohe.workbook import contract as c
from kaohe.workbook.read import read_book

_IN_FORCE: ContextVar[Registry | None] = ContextVar("kaohe_money_items", default=None)


def workbook_items(tables: Mapping[str, Table]) -> Registry:
    """The money items of a workbook's tables (规则 and 假别): as compute-month charges them."""
    policy = load_policy(tables)[0] if "rules" in tables else DEFAULT
    table, _, _ = leave_table_of(tables, policy)
    return registry().with_items(table.items())


@contextmanager
def items_of_book(book: Path) -> Iterator[Registry]:
    """Within the block, the money items in force are ``book``'s (its 规则 and 假别 sheets)."""
    data = read_book(Path(book), (c.RULES, c.LEAVE_KINDS), may_be_open=True)
    token = _IN_FORCE.set(workbook_items(data.tables))
    try:
        yield _IN_FORCE.get() or registry()
    finally:
        _IN_FORCE.reset(token)


def in_force() -> Registry:
    """The money items of the workbook the running job works on (:func:`items_of_book`), else the built-in ones."""
    return _IN_FORCE.get() or registry()

COUNT_STYLES = {"次": "int", "天": "days", "小时": "hours"}


def _columns(item: Item) -> tuple[list[tuple[str, str]], dict[str, str]]:
    styles = {header: COUNT_STYLES.get(item.unit, "days") for header, _ in item.counts}
    return [*item.counts, (item.header, item.field)], {**styles, item.header: "money"}


def monthly_sheet(items: Registry | None = None, leave_types: tuple[str, ...] = terms.LEAVE_TYPES) -> c.OutputSheet:
    """月度汇总 for ``items`` (default: the registry in force): deductions not of leave first, then each leave type's
    days and the items that deduct them, then what is paid (each group in the registry's order)."""
    items = in_force() if items is None else items
    columns, styles = list(c.MONTHLY_HEAD), {}

    def add(group):
        for item in group:
            made, style = _columns(item)
            columns.extend(made)
            styles.update(style)

    add(i for i in items if not i.leave_type and not i.paid)
    for kind in leave_types:
        header, field = c.leave_days_column(kind)
        columns.append((header, field))
        styles[header] = "days"
        add(i for i in items if i.leave_type == kind)
    add(i for i in items if i.leave_type and i.leave_type not in leave_types)
    add(i for i in items if i.paid and not i.leave_type)
    return c.OutputSheet(c.MONTHLY_NAME, tuple(columns + list(c.MONTHLY_TAIL)), styles)


def frozen_sheet(items: Registry | None = None) -> c.OutputSheet:
    """月结汇总数据 (hidden): 月度汇总's values of every closed month, with 月份."""
    sheet = monthly_sheet(items)
    return c.OutputSheet(c.FROZEN_MONTHLY_NAME, (("月份", "month"), *sheet.columns), sheet.styles)


def item_columns(items: Registry | None = None) -> tuple[tuple[str, str], ...]:
    """(header, field) of every money item, in the registry's order."""
    return tuple((i.header, i.field) for i in (in_force() if items is None else items))


def finance_columns(items: Registry | None = None) -> tuple[tuple[str, str], ...]:
    """The money columns of the finance workbook and of its recorded figures: the items, KPI奖惩, 上月更正, 调整合计."""
    return (*item_columns(items), *c.FINANCE_MONEY_TAIL)


def figures_sheet(items: Registry | None = None) -> c.OutputSheet:
    """财务发送数据 (hidden): the figures of each export, by 数值指纹."""
    columns = (*c.FINANCE_FIGURES_HEAD, *finance_columns(items))
    return c.OutputSheet(c.FINANCE_FIGURES_NAME, columns, {h: "money" for h, _ in finance_columns(items)})


def deducted_fields(items: Registry | None = None) -> tuple[str, ...]:
    return tuple(i.field for i in (in_force() if items is None else items) if not i.paid)


def sign_of(header: str, items: Registry | None = None) -> float:
    """+1 for an item paid to the employee, -1 for one deducted (an item named by its header, as sheets store it)."""
    found = {i.header: float(i.sign) for i in (in_force() if items is None else items)}
    return found.get(header, -1.0)


MONTHLY = monthly_sheet(registry())  # the built-in items' 月度汇总 (the reference documents show it)
