"""The floors of the law under the company's leave rules (LV-20..LV-24), and the 警告 where a rule goes below them.

A company rule may be more generous than the law, never less. Where the 规则 in force is below the national
floor or the chosen province's (kaohe.policy.regions), :func:`below_law` says so once, naming the article; for
leave the law grants, the law's floor decides the days pay depends on (the annual leave: kaohe.engine.annual).

This module takes the policy as it is (a kaohe.policy.Policy) without importing it: kaohe.policy calls it.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from kaohe import terms
from kaohe.findings import Finding
from kaohe.policy.regions import VERIFY_MARK, RegionFigures, floors, normal_region

# 职工带薪年休假条例 (国务院令第514号): 第三条 days and 第四条 sick-leave months by cumulative working years.
ANNUAL_ARTICLE = "职工带薪年休假条例第三条"
SICK_ARTICLE = "职工带薪年休假条例第四条"
NEXT_YEAR_ARTICLE = "企业职工带薪年休假实施办法第八条"
ANNUAL_MIN_YEARS = 1
ANNUAL_DAYS = ((20, 15.0), (10, 10.0), (ANNUAL_MIN_YEARS, 5.0))   # (from working years, days), highest first
SICK_MONTHS = ((20, 4.0), (10, 3.0), (0, 2.0))                     # (from working years, months of sick leave)
INSURANCE_ARTICLE = "社会保险法"
MISCARRIAGE_ARTICLE = "女职工劳动保护特别规定第七条、第八条"
LAW_MONTH_BEYOND = 31  # 社保自理请假天数 at or above this never applies (no month has more days)


def law_annual_days(years: int) -> float:
    """条例第三条: the annual leave of ``years`` cumulative working years (0 under one year)."""
    return next((days for least, days in ANNUAL_DAYS if years >= least), 0.0)


def law_sick_months(years: int) -> float:
    """条例第四条: the months of sick leave in a year from which ``years`` of service lose that year's leave."""
    return next(months for least, months in SICK_MONTHS if years >= least)


def company_annual_days(years: int, policy: Any) -> float:
    """第三十五条 by the 规则: the annual leave of ``years`` cumulative working years (0 below its threshold)."""
    tiers = ((policy.annual_leave_tier_high_years, policy.annual_leave_days_from_20),
             (policy.annual_leave_tier_mid_years, policy.annual_leave_days_under_20),
             (policy.annual_leave_min_service_years, policy.annual_leave_days_under_10))
    return next((days for least, days in tiers if years >= least), 0.0)


def _key(policy: Any, name: str) -> str:
    """The 规则 key of a policy field."""
    return next(f.metadata["key"] for f in dataclasses.fields(policy) if f.name == name)


def _warn(sheet: str, rule: str, article: str, problem: str, action: str, code: str = "rules.below_law",
          cell: str = "", emp: str = "", level: str = terms.LEVEL_WARNING) -> Finding:
    return Finding(sheet, cell, problem, action, rule=rule, article=article, level=level, emp=emp, code=code)


def below_law(policy: Any, sheet: str = "规则", skip: frozenset = frozenset()) -> list[Finding]:
    """The company rules and values below the law (警告, one each) and the 工作地's figures to check (提示);
    ``skip``: the region figures (e.g. ``maternity_days``) whose company value a 假别 sheet gives, checked there."""
    return [*_annual(policy, sheet), *_rules_below(policy, sheet),
            *region_findings(policy.work_region, policy, sheet, "", skip=skip)]


def _annual(policy: Any, sheet: str) -> list[Finding]:
    """LV-20 / LV-23: the company's sick-leave months and annual leave days against 条例第三条、第四条."""
    out = []
    stricter = [(least, months) for least, months in SICK_MONTHS if policy.annual_leave_sick_months < months]
    if stricter:
        bands = "、".join(f"累计工作满{least}年{months:g}个月" if least else f"不满10年{months:g}个月" for least, months in
                         reversed(stricter))
        out.append(_warn(sheet, "LV-20", SICK_ARTICLE,
                         f"{_key(policy, 'annual_leave_sick_months')} {policy.annual_leave_sick_months:g} 个月低于"
                         f"{SICK_ARTICLE}（{bands}）",
                         "病假未达法定月数的员工按法律保留年休假，请假校验中逐条提示"))
    for least, law_days in ANNUAL_DAYS:
        given = company_annual_days(least, policy)
        if given < law_days:
            out.append(_warn(sheet, "LV-23", ANNUAL_ARTICLE,
                             f"累计工作满{least}年的年休假按规则表为 {given:g} 天，低于{ANNUAL_ARTICLE}的 {law_days:g} 天",
                             f"按法定 {law_days:g} 天计算年休假"))
    return out


def _rules_below(policy: Any, sheet: str) -> list[Finding]:
    """LV-24: the company's own rules that shift what the law puts on the employer (社保自理, unpaid 流产)."""
    out = []
    if policy.social_insurance_leave_days < LAW_MONTH_BEYOND:
        out.append(_warn(sheet, "LV-24", INSURANCE_ARTICLE,
                         f"LV-11 第二十五条：当月请假超过 {policy.social_insurance_leave_days:g} 天社保全部由本人承担，"
                         f"把用人单位应缴的社会保险费转给员工，低于{INSURANCE_ARTICLE}的规定（单位缴费部分由单位缴纳）",
                         "社保自理标记仍按公司规则输出，请核对是否合规"))
    out.append(_warn(sheet, "LV-24", MISCARRIAGE_ARTICLE,
                     "LV-07 第三十四条：流产假公司不发工资，低于" + MISCARRIAGE_ARTICLE
                     + "（流产按怀孕月数享受15天或42天产假，发放生育津贴或工资）", "流产假请按法律计发"))
    return out


def region_findings(region, policy: Any, sheet: str, cell: str, emp: str = "",
                    skip: frozenset = frozenset()) -> list[Finding]:
    """LV-22 / LV-23 for one 工作地: unknown (HR types its figures), below its floors (警告), its figures to check (提示)."""
    figures = floors(region)
    if not figures.known:
        return [_warn(sheet, "LV-22", "人口与计划生育法第二十五条", f"工作地“{figures.region}”没有内置的法定天数",
                      "请在规则表和假别中填写当地的产假、陪产假、育儿假、婚假等天数（kaohe 只按国家标准核对）",
                      code="rules.unknown_region", cell=cell, emp=emp)]
    return [*_region_below(figures, policy, sheet, cell, emp, skip), *_to_verify(figures, sheet, cell, emp)]


def _region_below(figures: RegionFigures, policy: Any, sheet: str, cell: str, emp: str,
                  skip: frozenset = frozenset()) -> list[Finding]:
    """LV-23: 产假天数 and 婚假天数 of the 规则 against the region's floors (the national ones for a blank 工作地),
    but for the figures in ``skip`` (a 假别 sheet gives them: kaohe.policy.leave_law checks them there)."""
    return [found for figure, field in RULES_FIGURES.items() if figure not in skip
            for found in figure_below(figure, getattr(policy, field), figures, _key(policy, field), sheet, cell, emp)]


# The region figures a 规则 parameter is checked against (figure -> Policy field).
RULES_FIGURES = {"maternity_days": "maternity_leave_days", "marriage_days": "marriage_leave_days"}


def figure_below(figure: str, value: float, figures: RegionFigures, what: str, sheet: str, cell: str,
                 emp: str = "") -> list[Finding]:
    """LV-23: a company ``value`` (``what``: its name as HR reads it, e.g. 产假天数 or a 假别 row's quota) below the
    region's ``figure`` (a field of RegionFigures, e.g. ``paternity_days``) is a 警告 naming the figure's source."""
    floor = figures.figures()[figure]
    if floor.value is None or value >= floor.value:
        return []
    mark = f"（{VERIFY_MARK}：{floor.verify}）" if floor.verify else ""
    return [_warn(sheet, "LV-23", floor.source, f"{what} {value:g} 天低于{figures.region or '国家标准'}的 {floor.value:g} 天{mark}",
                  f"请按法定 {floor.value:g} 天给假", cell=cell, emp=emp)]


def _to_verify(figures: RegionFigures, sheet: str, cell: str, emp: str) -> list[Finding]:
    """The region's figures the sources disagree on, shown to HR as 待核实 (提示)."""
    return [_warn(sheet, "LV-22", f.source, f"{figures.region}的{LABELS[name]}：{f.value:g}天，{VERIFY_MARK}：{f.verify}",
                  "请对照现行条例核实；不同时在规则表或假别中填写", code="rules.region_verify", cell=cell, emp=emp,
                  level=terms.LEVEL_INFO)
            for name, f in figures.to_verify().items()]


# What each figure of a region is called in HR's words.
LABELS = {"maternity_days": "产假", "maternity_days_later_child": "产假（第二、三孩）", "difficult_birth_extra": "难产增加产假",
          "multiple_birth_extra": "多胞胎每多一婴增加产假", "miscarriage_early_days": "流产假（怀孕不满4个月）",
          "miscarriage_late_days": "流产假（怀孕满4个月）", "paternity_days": "陪产假", "childcare_days": "育儿假（每年）",
          "childcare_child_age": "育儿假子女年龄上限（周岁）", "marriage_days": "婚假",
          "only_child_care_days": "独生子女父母护理假（每年）"}


def roster_regions(regions, rules_region, policy: Any, sheet: str, skip: frozenset = frozenset(),
                   also=None) -> list[Finding]:
    """LV-22 / LV-23 for the 员工名册's own 工作地 values (``regions``: ``(cell, emp, value)``), once per region that
    differs from the 规则's, at its first cell; ``skip`` as for :func:`below_law`, ``also(region, cell, emp)``: the
    findings of the 假别 sheet's quotas for that region (kaohe.policy.leave_law)."""
    seen = {normal_region(rules_region)}
    out = []
    for cell, emp, value in regions:
        region = normal_region(value)
        if region and region not in seen:
            seen.add(region)
            out += region_findings(region, policy, sheet, cell, emp, skip)
            out += also(region, cell, emp) if also is not None and floors(region).known else []
    return out
