"""The money items in force (kaohe.policy.items) as the jobs show them: the columns of 月度汇总 and of its frozen
copy, of the finance workbook and of its recorded figures, and whether an item is paid or deducted.

Every list of money columns in the jobs is made here from the registry, so a new item — built in, or supplied
by data (a leave type's deduction, a rule row HR adds) — is a column of each, a line of the slips and a total of
the mail with nothing else to change. 月度汇总 is the contract's head and tail (kaohe.workbook.contract) around
each item — the counts it shows, then its amount — and a days column per leave type followed by the items that
deduct its days.
"""
from __future__ import annotations

from kaohe import terms
from kaohe.policy.items import Item, Registry, registry
from kaohe.workbook import contract as c

COUNT_STYLES = {"次": "int", "天": "days", "小时": "hours"}


def _columns(item: Item) -> tuple[list[tuple[str, str]], dict[str, str]]:
    styles = {header: COUNT_STYLES.get(item.unit, "days") for header, _ in item.counts}
    return [*item.counts, (item.header, item.field)], {**styles, item.header: "money"}


def monthly_sheet(items: Registry | None = None, leave_types: tuple[str, ...] = terms.LEAVE_TYPES) -> c.OutputSheet:
    """月度汇总 for ``items`` (default: the registry in force): deductions not of leave first, then each leave type's
    days and the items that deduct them, then what is paid (each group in the registry's order)."""
    items = registry() if items is None else items
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
    return tuple((i.header, i.field) for i in (registry() if items is None else items))


def finance_columns(items: Registry | None = None) -> tuple[tuple[str, str], ...]:
    """The money columns of the finance workbook and of its recorded figures: the items, KPI奖惩, 上月更正, 调整合计."""
    return (*item_columns(items), *c.FINANCE_MONEY_TAIL)


def figures_sheet(items: Registry | None = None) -> c.OutputSheet:
    """财务发送数据 (hidden): the figures of each export, by 数值指纹."""
    columns = (*c.FINANCE_FIGURES_HEAD, *finance_columns(items))
    return c.OutputSheet(c.FINANCE_FIGURES_NAME, columns, {h: "money" for h, _ in finance_columns(items)})


def deducted_fields(items: Registry | None = None) -> tuple[str, ...]:
    return tuple(i.field for i in (registry() if items is None else items) if not i.paid)


def sign_of(header: str, items: Registry | None = None) -> float:
    """+1 for an item paid to the employee, -1 for one deducted (an item named by its header, as sheets store it)."""
    found = {i.header: float(i.sign) for i in (registry() if items is None else items)}
    return found.get(header, -1.0)


MONTHLY = monthly_sheet(registry())  # the built-in items' 月度汇总 (the reference documents show it)
