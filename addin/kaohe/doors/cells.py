"""What every cell function shares: the calling workbook's 规则 and 节假日, ranges, errors as cell text.

The functions themselves are in :mod:`kaohe.doors.udfs` (the module xlwings imports); this is their plumbing.

The functions are not volatile: Excel recalculates a cell when its arguments change, and the
add-in recalculates kaohe's cells of a workbook when its 规则 or 节假日 sheet changes (the
``KaoheRules`` VBA module, on Excel's SheetChange and SheetActivate events: it calls :func:`forget`
for the workbook, marks the cells that call a kaohe function dirty and recalculates). So a cell costs
three round trips into Excel when nothing it depends on changed (its workbook's FullName, as text),
and the two sheets are read once per workbook until they change.
"""
from __future__ import annotations

import functools
import inspect
from typing import NamedTuple

from kaohe import policy as pol, terms
from kaohe.calendar import Calendar
from kaohe.jobs.live import CELL_SHEETS, HOLIDAYS_SHEET, LEAVE_TYPES_SHEET, PENALTIES_SHEET, RULES_SHEET, cell_rules
from kaohe.policy import penalties as pt
from kaohe.policy.leave_table import LeaveTable, default_table


class CellError(ValueError):
    """A bad argument: its message is what the cell shows."""


# --- context: the policy, calendar and vocabulary of the calling workbook --------------------

class Context(NamedTuple):
    """What the calling workbook's 规则, 节假日, 假别 and 罚则 say: built as compute-month builds it (``penalties``:
    the 罚则 table in force, the sheet's rows and 规则's for the events it leaves out; ATT-14)."""

    policy: pol.Policy
    calendar: Calendar
    terms: terms.Terms
    leave_table: LeaveTable
    penalties: pt.PenaltyTable


_TABLE = default_table(pol.DEFAULT)
_DEFAULT = Context(pol.DEFAULT, Calendar(pol.DEFAULT.rest_weekday), terms.Terms(leave=_TABLE.synonyms()), _TABLE,
                   pt.default_table(pol.DEFAULT))
_cache: dict[str, Context | CellError] = {}  # the workbook's FullName as Excel gives it -> its context
UNREADABLE_RULES = "规则表无法读取"


def context(caller=None) -> Context:
    """The policy, calendar and vocabulary of the workbook of ``caller`` (xlwings' calling Range), else the defaults.

    The workbook is known by its FullName as text (an ``https://`` address of a OneDrive or
    SharePoint workbook stays an address: nothing is resolved to a local path). Its 规则 and 节假日
    are read once and kept until :func:`forget`. A workbook whose sheets cannot be read is a
    :class:`CellError` (``错误：规则表无法读取``), never a silent default, and is read again next time.
    """
    if caller is None:
        return _DEFAULT
    if isinstance(caller, Context):  # a range's caller, already resolved: read once, not once per element
        return caller
    try:
        key = str(caller.api.Worksheet.Parent.FullName)  # three round trips: the whole cost of a cached cell
    except Exception:  # COM refused (Excel busy, a closed workbook): say so in the cell
        raise CellError(UNREADABLE_RULES) from None
    found = _cache.get(key)
    if found is None:
        found = _read_context(caller)
        if not (isinstance(found, CellError) and str(found) == UNREADABLE_RULES):  # Excel busy: read again next time
            _cache[key] = found
    if isinstance(found, CellError):
        raise found
    return found


def forget(fullname: str | None = None) -> None:
    """Drop what was read of the workbook ``fullname`` (every workbook's when None): its next cell reads it again.

    Called by the add-in (``KaoheRules``) when the workbook's 规则 or 节假日 changes or it is opened.
    """
    if fullname is None:
        _cache.clear()
    else:
        _cache.pop(str(fullname), None)


def _read_context(caller) -> Context | CellError:
    """The calling workbook's context, read through xlwings; an error as a value (unreadable, or a bad row)."""
    try:
        book = caller.sheet.book
        names = {s.name for s in book.sheets}
        rows = {name: _sheet_rows(book.sheets[name]) for name in CELL_SHEETS if name in names}
    except Exception:
        return CellError(UNREADABLE_RULES)
    try:
        return context_from_rows(rows.get(RULES_SHEET), rows.get(HOLIDAYS_SHEET), rows.get(LEAVE_TYPES_SHEET),
                                 rows.get(PENALTIES_SHEET))
    except CellError as exc:
        return exc


def _sheet_rows(sheet) -> list[list]:
    """A sheet's values as rows from A1 (Excel's used range may start further in: blanks put back)."""
    used = sheet.used_range
    rows = used.options(ndim=2).value or []
    top, left = getattr(used, "row", 1), getattr(used, "column", 1)
    return [[] for _ in range(top - 1)] + [[None] * (left - 1) + list(r) for r in rows]


def context_from_rows(rules: list | None, holidays: list | None, leave_types: list | None = None,
                      penalties: list | None = None) -> Context:
    """The context from the values of a 规则, a 节假日, a 假别 and a 罚则 sheet (``None``: no such sheet).

    The rows go through compute-month's own reader and builders (:func:`kaohe.jobs.live.cell_rules`): a
    规则 or 节假日 row compute-month lists as an 错误 in 问题清单 is the cell's error, with the same text
    (a cell has no 问题清单 to list it in).
    """
    found = cell_rules({RULES_SHEET: rules, HOLIDAYS_SHEET: holidays, LEAVE_TYPES_SHEET: leave_types,
                        PENALTIES_SHEET: penalties}.get)
    bad = found.error
    if bad is not None:
        raise CellError(f"{bad.sheet}!{bad.cell} {bad.problem}" if bad.cell else f"{bad.sheet} {bad.problem}")
    if found.refused:  # a 罚则 sheet compute-month would refuse: the cell says why, naming its cell
        raise CellError(found.refused)
    return Context(found.policy, found.calendar, found.terms, found.leave_table,
                   found.penalties or pt.default_table(found.policy))


# --- element-wise application over ranges ---------------------------------------------------

def cellwise(func):
    """Apply ``func`` to one value or element-wise to a range (list of lists): same shape out.

    Only the first argument may be a range; an error becomes that cell's text. The calling
    workbook's 规则 is read once for the whole range.
    """
    params = list(inspect.signature(func).parameters)
    at = params.index("caller") - 1 if "caller" in params else None  # its place among *args

    @functools.wraps(func)
    def wrapper(first, *args, **kwargs):
        def each(one):
            if isinstance(first, (list, tuple)):
                return [[one(v) for v in row] if isinstance(row, (list, tuple)) else one(row) for row in first]
            return one(first)

        try:
            args, kwargs = _resolve_caller(at, list(args), kwargs)
        except CellError as exc:
            message = f"错误：{exc}"
            return each(lambda value: message)

        def one(value):
            try:
                return func(value, *args, **kwargs)
            except CellError as exc:
                return f"错误：{exc}"
            except (ValueError, TypeError, OverflowError):
                return "错误：参数无效"
        return each(one)
    return wrapper


def _resolve_caller(at, args: list, kwargs: dict):
    if "caller" in kwargs:
        kwargs = {**kwargs, "caller": context(kwargs["caller"])}
    elif at is not None and len(args) > at:
        args[at] = context(args[at])
    return args, kwargs


def errors_as_text(func):
    """A function of single values: a :class:`CellError` (e.g. an unreadable 规则) is the cell's text."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CellError as exc:
            return f"错误：{exc}"
    return wrapper
