"""Findings: problems found in the input, each with a place (sheet and cell) and a reason.

One small record type, one formatter. A finding without a real cell uses an empty cell
address and names the sheet; the engine never raises for bad input, it records a finding.
Every finding has a ``code``, ``area.what``: the area is the input table (by its role: leave,
overtime, roster …) or the part of kaohe (rules, read, workbook, import, kpi, review …) it is
about, the rest the kind of problem. Code that picks findings picks them by code, never by their
text, sheet or rule. One convention: a function that finds problems returns them.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    sheet: str
    cell: str
    problem: str
    action: str
    rule: str = ""
    article: str = ""
    level: str = "错误"  # 错误 / 警告 / 提示
    emp: str = ""  # the 工号 the row is about (问题清单 adds the 姓名), blank for a sheet-level problem
    month: str = ""  # the month the row is about, when the command covers several (imports); YYYY-MM
    code: str = ""  # what kind of problem, "area.what": for code that selects findings (never their text)

    @property
    def area(self) -> str:
        """What the finding is about: the input table's role (leave, overtime …) or kaohe's part (rules, read …)."""
        return self.code.split(".", 1)[0]

    @property
    def basis(self) -> str:
        return " ".join(x for x in (self.rule, self.article) if x)

    def format(self) -> str:
        """One line for the terminal and for cell errors."""
        place = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        basis = f" [{self.basis}]" if self.basis else ""
        return f"{self.level} {place}: {self.problem}；{self.action}{basis}"


# Finding codes that code selects on by name (the others are selected by their area, or not at all).
RULES_UNKNOWN_KEY, RULES_BAD_VALUE = "rules.unknown_key", "rules.bad_value"
NOT_RANKED = "kpi.not_ranked"
# A finding that doubts a row's own date (a wrong year?): listed in the months of the row's other dates too.
DATE_DOUBT = "leave.date_doubt"


class InputRefused(Exception):
    """The input cannot be used at all (exit status 2, nothing written).

    ``zh`` and ``en`` make the one-line bilingual message.
    """

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
