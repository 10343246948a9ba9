"""The leave figures of the law by place of work (工作地): the national floors and three provinces (LV-22).

:func:`floors` gives the figures in force for a region: the national ones (女职工劳动保护特别规定, 国务院令第619号)
for a blank region or one kaohe does not know, the province's where its 人口与计划生育条例 sets them (上海, 广东,
浙江, their 2021 revisions). Each figure carries its source; a figure the sources disagree on carries a
``verify`` text that is shown to HR as 待核实 (never as an unmarked truth). Any other region's figures are HR's
to type (规则, 假别): kaohe then checks them only against the national floor.

Pure data and functions: the statutory leave rules (陪产假, 产假, 育儿假 …) read their days from here.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

NATIONAL = ""  # the blank 工作地: national figures only
VERIFY_MARK = "待核实"


@dataclass(frozen=True)
class Figure:
    """One figure of the law: its value (None where the law of that place sets none), source and doubts."""

    value: float | None
    source: str
    verify: str = ""  # why HR should check it ("" when read from the regulation's own text)

    @property
    def text(self) -> str:
        """The figure as HR reads it: ``178（广东省人口与计划生育条例（2021-12-01）第三十条）``, 待核实 marked."""
        shown = "无" if self.value is None else f"{self.value:g}"
        mark = f"，{VERIFY_MARK}：{self.verify}" if self.verify else ""
        return f"{shown}（{self.source}{mark}）"


@dataclass(frozen=True)
class RegionFigures:
    """The figures in force for one region (``region`` "" = national). Days are calendar days unless said."""

    region: str
    maternity_days: Figure            # 产假 in total, a single birth, the first child
    maternity_days_later_child: Figure  # 产假 in total for a second or third child (浙江); else as the first
    difficult_birth_extra: Figure     # 难产 addition
    multiple_birth_extra: Figure      # each extra baby of a multiple birth
    miscarriage_early_days: Figure    # 流产 under 4 months of pregnancy
    miscarriage_late_days: Figure     # 流产 at 4 months or more
    paternity_days: Figure            # 陪产假 (护理假 in some provinces)
    childcare_days: Figure            # 育儿假 days a year, each parent
    childcare_child_age: Figure       # 育儿假 while the child is under this age (years)
    marriage_days: Figure             # 婚假 in total
    only_child_care_days: Figure      # 独生子女父母护理假 days a year
    known: bool = True                # False: a region kaohe has no figures for (national floors apply)

    def figures(self) -> dict[str, Figure]:
        """Every figure by its field name, in the order above."""
        return {f.name: getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), Figure)}

    def to_verify(self) -> dict[str, Figure]:
        """The figures HR should check against the current regulation (待核实)."""
        return {name: f for name, f in self.figures().items() if f.verify}


# The national rules.
_WOMEN = "女职工劳动保护特别规定（国务院令第619号，2012）第七条"
_MARRIAGE = "国家劳动总局、财政部关于国营企业职工请婚丧假和路程假问题的通知（1980）：1至3天，由单位酌定"
_NONE = "国家无统一规定"
NATIONAL_FIGURES = RegionFigures(
    NATIONAL, maternity_days=Figure(98, _WOMEN), maternity_days_later_child=Figure(98, _WOMEN),
    difficult_birth_extra=Figure(15, _WOMEN), multiple_birth_extra=Figure(15, _WOMEN),
    miscarriage_early_days=Figure(15, _WOMEN), miscarriage_late_days=Figure(42, _WOMEN),
    paternity_days=Figure(None, _NONE), childcare_days=Figure(None, _NONE), childcare_child_age=Figure(None, _NONE),
    marriage_days=Figure(1, _MARRIAGE), only_child_care_days=Figure(None, _NONE))


def _province(name: str, **figures: Any) -> RegionFigures:
    """A province: its own figures (each a Figure), the national ones for what its regulation does not change."""
    return replace(NATIONAL_FIGURES, region=name, **figures)


_SH = "上海市人口与计划生育条例（2021-11-25）第三十一条"
_GD = "广东省人口与计划生育条例（2021-12-01）第三十条"
_GD_CARE = "广东省人口与计划生育条例（2021-12-01）第三十六条"
_ZJ = "浙江省人口与计划生育条例（2021-11-25）第二十二条"
_ZJ_CARE = "浙江省人口与计划生育条例（2021-11-25）第二十八条"
REGIONS: dict[str, RegionFigures] = {
    "上海": _province("上海", maternity_days=Figure(158, _SH), maternity_days_later_child=Figure(158, _SH),
                    paternity_days=Figure(10, _SH), childcare_days=Figure(5, _SH), childcare_child_age=Figure(3, _SH),
                    marriage_days=Figure(10, _SH), only_child_care_days=Figure(None, f"{_SH}：无此假")),
    "广东": _province("广东", maternity_days=Figure(178, _GD), maternity_days_later_child=Figure(178, _GD),
                    difficult_birth_extra=Figure(30, _GD), paternity_days=Figure(15, _GD),
                    childcare_days=Figure(10, _GD), childcare_child_age=Figure(3, _GD), marriage_days=Figure(3, _GD),
                    only_child_care_days=Figure(15, _GD_CARE, "住院治疗期间每年最多15天；未住院时的天数各方说法不一")),
    "浙江": _province("浙江", maternity_days=Figure(158, _ZJ), maternity_days_later_child=Figure(188, _ZJ),
                    paternity_days=Figure(15, _ZJ), childcare_days=Figure(10, _ZJ), childcare_child_age=Figure(3, _ZJ),
                    marriage_days=Figure(13, "浙江省延长婚假（2024-09，据新闻报道）", "来自新闻报道，请对照现行条文"),
                    only_child_care_days=Figure(5, _ZJ_CARE, "父母年满60周岁时每年5天，请对照现行条文")),
}


def normal_region(text) -> str:
    """The region as kaohe keys it: blank for none; 上海市 / 广东省 / 浙江省 as 上海 / 广东 / 浙江; other text as typed."""
    if text is None or text != text:  # None or NaN
        return NATIONAL
    value = str(text).strip()
    for suffix in ("省", "市"):
        if value.endswith(suffix) and value[:-1] in REGIONS:
            return value[:-1]
    return value


def floors(region) -> RegionFigures:
    """The figures of the law in force for ``region`` (a 工作地 as typed). An unknown region gets the national
    figures with ``known`` False: its own figures are HR's to type."""
    key = normal_region(region)
    if key == NATIONAL:
        return NATIONAL_FIGURES
    if key in REGIONS:
        return REGIONS[key]
    return replace(NATIONAL_FIGURES, region=key, known=False)


def region_of(person_value, rules_value) -> str:
    """A person's 工作地: their own (员工名册) when given, else the 规则 parameter's (blank = national)."""
    own = normal_region(person_value)
    return own if own != NATIONAL else normal_region(rules_value)
