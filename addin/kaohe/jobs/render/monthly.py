"""月度汇总's columns from the money items in force: the contract's head and tail (kaohe.workbook.contract) around
each item of the registry (kaohe.policy.items) — the counts it shows, then its amount — and a days column per
leave type, each followed by the items that deduct its days.

A new item (built in, or supplied by data) is a new column here, in the frozen copy of a closed month and in
every sheet made from 月度汇总's layout, with nothing else to change.
"""
from __future__ import annotations

from kaohe import terms
from kaohe.policy.items import Item, Registry, registry
from kaohe.workbook import contract as c

COUNT_STYLES = {"次": "int", "天": "days", "小时": "hours"}


def _columns(item: Item) -> tuple[list[tuple[str, str]], dict[str, str]]:
    styles = {header: COUNT_STYLES.get(item.unit, "days") for header, _ in item.counts}
    return [*item.counts, (item.header, item.field)], {**styles, item.header: "money"}


def monthly_sheet(items: Registry, leave_types: tuple[str, ...] = terms.LEAVE_TYPES) -> c.OutputSheet:
    """The 月度汇总 sheet for ``items``: deductions not of leave first, then each leave type's days and the items
    that deduct them, then what is paid (each group in the registry's order)."""
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


MONTHLY = monthly_sheet(registry())  # the built-in items' 月度汇总
