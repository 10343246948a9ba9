"""The 假别 table: every leave type kaohe knows, one row each, as data HR can read and extend (LV-25).

A row says what the engine needs to decide a leave record of its type:

    name          假别, the standard value a 请假记录 row is read as
    synonyms      other ways HR writes it (同义词); a name is never a synonym of two types
    pay           计薪: PAY_FULL (全薪, no deduction), PAY_SHARE (比例: ``share`` of the daily wage still paid,
                  or the 规则 parameter ``share_key``), PAY_NONE (无薪), PAY_ALLOWANCE (生育津贴: paid by maternity
                  insurance, nothing deducted by the employer)
    count         计算方式: COUNT_WORKDAY (the employee's own sessions, half days), COUNT_CALENDAR (calendar days,
                  rest days and holidays included), COUNT_HOURS (hours inside the working day: 哺乳时间)
    proof         需证明: without 证明材料=有 the record counts as 事假 (LV-02)
    notice_days   提前申请天数 (None: no notice rule)
    window_days   开始期限天数: the leave must start within these days of 事由日期 (陪产假 after the birth)
    quota         额度: days (hours a day for COUNT_HOURS) per event or per calendar year (``period``);
                  None: no quota of the row's own (a rule of its own decides: 年休假 LV-08, 调休 LV-09)
    period        额度周期: PERIOD_EVENT (每次), PERIOD_YEAR (每年)
    extra_difficult  难产加天数 (产假)
    extra_per_baby   多胞胎每多一胎加 (days; hours a day for 哺乳时间)
    extra_from_order 孩次加天数: ((from birth order, days added), …) (浙江's 2nd and 3rd child)
    pregnancy_tiers  孕月分档: ((from full months of pregnancy, quota), …) ascending (流产: 不满4个月15天, 满4个月42天)
    child_age_limit  子女年龄上限（岁）: the leave ends when the child (事由日期 = birth date) reaches this age
    per_child     按子女叠加: the yearly quota is per child (else per person, whatever the number of children)
    social_insurance 计入社保自理 (LV-11's days)
    personal_cap  计入事假上限 (LV-03's yearly cap)
    legend        考勤表符号
    rule, article the rule ID and the article (company regulation or law) the row is applied under

The company regulation's eight types are the default rows, their numbers taken from the 规则 parameters in
force (婚假天数 …), so a workbook without a 假别 sheet computes as before; the statutory types of the law are
default rows too. A 假别 sheet, once present, is the whole list: its rows replace the defaults, and a
company type's numbers in it override the 规则 parameters they come from (:data:`POLICY_FIELDS`).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from kaohe import terms
from kaohe.policy import Policy
from kaohe.policy.catalog import BY_ID
from kaohe.policy.items import DEDUCTED, DEDUCTIONS, Item
from kaohe.terms import (COUNT_CALENDAR, COUNT_HOURS, COUNT_WORKDAY, PAY_ALLOWANCE, PAY_FULL, PAY_NONE, PAY_SHARE,
                         PERIOD_EVENT, PERIOD_YEAR)
from kaohe.terms import LEAVE_COUNTS as COUNTS, LEAVE_PAYS as PAYS, LEAVE_PERIODS as PERIODS

# The statutory types the law grants beyond the regulation's eight (女职工劳动保护特别规定, 人口与计划生育法 and the
# provinces' regulations); their rule IDs are LV-13..LV-19.
LEAVE_NURSING = "哺乳时间"
LEAVE_PRENATAL = "产前检查"
LEAVE_PATERNITY = "陪产假"
LEAVE_CHILDCARE = "育儿假"
LEAVE_MISCARRIAGE = "流产假"
LEAVE_PARENT_CARE = "独生子女父母护理假"


@dataclass(frozen=True)
class LeaveType:
    name: str
    pay: str = PAY_FULL
    count: str = COUNT_WORKDAY
    synonyms: tuple[str, ...] = ()
    share: float | None = None
    share_key: str = ""
    proof: bool = False
    notice_days: int | None = None
    window_days: int | None = None
    quota: float | None = None
    period: str = PERIOD_EVENT
    extra_difficult: float = 0.0
    extra_per_baby: float = 0.0
    extra_from_order: tuple[tuple[int, float], ...] = ()
    pregnancy_tiers: tuple[tuple[int, float], ...] = ()
    child_age_limit: float | None = None
    per_child: bool = False
    social_insurance: bool = False
    personal_cap: bool = False
    legend: str = ""
    rule: str = ""
    article: str = ""
    row: int = 0  # the 假别 sheet row it was read from (0: a default row)

    def __post_init__(self):
        if self.pay not in PAYS or self.count not in COUNTS or self.period not in PERIODS:
            raise ValueError(f"假别“{self.name}”：计薪、计算方式或额度周期无效")

    def paid_share(self, policy: Policy) -> float:
        """The share of the daily wage still paid for a day of this type (1 = nothing deducted)."""
        if self.pay in (PAY_FULL, PAY_ALLOWANCE):
            return 1.0
        if self.pay == PAY_NONE:
            return 0.0
        return float(getattr(policy, self.share_key)) if self.share_key else float(self.share or 0.0)

    @property
    def deducted(self) -> bool:
        """Whether a day of this type takes money off (a leave deduction item exists for it)."""
        return self.pay in (PAY_SHARE, PAY_NONE)


# A company type's numbers in its 假别 row and the Policy field each stands for (the 规则 key it supersedes).
POLICY_FIELDS: dict[str, dict[str, str]] = {
    terms.LEAVE_PERSONAL: {"quota": "personal_leave_cap_days"},
    terms.LEAVE_SICK: {"share": "sick_pay_ratio"},
    terms.LEAVE_MARRIAGE: {"quota": "marriage_leave_days", "notice_days": "marriage_notice_days"},
    terms.LEAVE_BEREAVEMENT: {"quota": "bereavement_leave_days"},
    terms.LEAVE_MATERNITY: {"quota": "maternity_leave_days", "notice_days": "maternity_notice_days"},
}


def company_types(policy: Policy) -> tuple[LeaveType, ...]:
    """The regulation's eight types (第二十九条..第三十六条), their numbers from ``policy``."""
    social = set(policy.social_insurance_leave_types)
    legend = legend_of(policy.grid_legend)

    def row(name, **kw) -> LeaveType:
        return LeaveType(name, social_insurance=name in social, legend=legend.get(name, ""), **kw)
    return (
        row(terms.LEAVE_PERSONAL, pay=PAY_NONE, quota=policy.personal_leave_cap_days, period=PERIOD_YEAR,
            personal_cap=True, rule="LV-03", article="第三十条"),
        row(terms.LEAVE_SICK, pay=PAY_SHARE, share_key="sick_pay_ratio", proof=True, rule="LV-04", article="第三十一条"),
        row(terms.LEAVE_MARRIAGE, synonyms=("婚嫁假",), proof=True, notice_days=policy.marriage_notice_days,
            quota=policy.marriage_leave_days, rule="LV-05", article="第三十二条"),
        row(terms.LEAVE_BEREAVEMENT, count=COUNT_CALENDAR, synonyms=("丧葬假",), proof=True,
            quota=policy.bereavement_leave_days, rule="LV-06", article="第三十三条"),
        row(terms.LEAVE_MATERNITY, pay=PAY_ALLOWANCE, count=COUNT_CALENDAR, proof=True,
            notice_days=policy.maternity_notice_days, quota=policy.maternity_leave_days, extra_difficult=15.0,
            extra_per_baby=15.0, rule="LV-07", article="第三十四条；女职工劳动保护特别规定第七条"),
        row(terms.LEAVE_ANNUAL, synonyms=("年假", "带薪年假", "带薪年休假"), period=PERIOD_YEAR, rule="LV-08",
            article="第三十五条；职工带薪年休假条例"),
        row(terms.LEAVE_TIME_OFF, synonyms=("调休假",), rule="LV-09", article="第三十六条"),
        row(terms.LEAVE_INJURY, synonyms=("工伤",), proof=True, rule="LV-10", article="第二十九条"),
    )


def statutory_types() -> tuple[LeaveType, ...]:
    """The types the law grants beyond the regulation, with the national rules (quotas a province sets are
    blank here: the region's figures fill them, kaohe.policy.regions, or HR types them)."""
    return (
        LeaveType(LEAVE_NURSING, count=COUNT_HOURS, synonyms=("哺乳假",), quota=1.0, extra_per_baby=1.0,
                  child_age_limit=1.0, legend="哺", rule="LV-13", article="女职工劳动保护特别规定第九条"),
        LeaveType(LEAVE_PRENATAL, synonyms=("产检", "产检假"), proof=True, legend="检", rule="LV-14",
                  article="女职工劳动保护特别规定第六条"),
        LeaveType(LEAVE_PATERNITY, count=COUNT_CALENDAR, synonyms=("陪护假",), proof=True, legend="陪",
                  rule="LV-15", article="人口与计划生育法第二十五条；各省人口与计划生育条例"),
        LeaveType(LEAVE_CHILDCARE, period=PERIOD_YEAR, child_age_limit=3.0, legend="育", rule="LV-16",
                  article="人口与计划生育法第二十五条；各省人口与计划生育条例"),
        LeaveType(LEAVE_MISCARRIAGE, pay=PAY_ALLOWANCE, count=COUNT_CALENDAR, synonyms=("流产",), proof=True,
                  pregnancy_tiers=((0, 15.0), (4, 42.0)), legend="流", rule="LV-17",
                  article="女职工劳动保护特别规定第七条、第八条"),
        LeaveType(LEAVE_PARENT_CARE, period=PERIOD_YEAR, proof=True, legend="护", rule="LV-18",
                  article="各省人口与计划生育条例"),
    )


def default_types(policy: Policy) -> tuple[LeaveType, ...]:
    return company_types(policy) + statutory_types()


@dataclass(frozen=True)
class LeaveTable:
    """The leave types in force, in sheet order; looked up by standard name."""

    types: tuple[LeaveType, ...]
    from_sheet: bool = False
    _by_name: dict[str, LeaveType] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_name.update({t.name: t for t in self.types})

    def __iter__(self) -> Iterator[LeaveType]:
        return iter(self.types)

    def __contains__(self, name) -> bool:
        return name in self._by_name

    def get(self, name) -> LeaveType | None:
        return self._by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types)

    def synonyms(self) -> dict[str, str]:
        """{written: standard name} of every row's synonyms (and each name for itself)."""
        return {**{s: t.name for t in self.types for s in t.synonyms}, **{t.name: t.name for t in self.types}}

    def of(self, count: str) -> tuple[str, ...]:
        return tuple(t.name for t in self.types if t.count == count)

    def replaced(self, types: Iterable[LeaveType]) -> LeaveTable:
        return LeaveTable(tuple(types), self.from_sheet)

    @property
    def summary_types(self) -> tuple[str, ...]:
        """The types with a days column in 月度汇总: a 假别 sheet's every row; without one, the regulation's eight
        (the columns 月度汇总 always had: the default statutory rows add none until HR keeps a 假别 sheet)."""
        return self.names if self.from_sheet else tuple(n for n in terms.LEAVE_TYPES if n in self)

    @property
    def calendar_types(self) -> tuple[str, ...]:
        """The types counted in calendar days (rest days and holidays included)."""
        return self.of(COUNT_CALENDAR)

    def count_of(self, name) -> str:
        """How a day of ``name`` is counted (工作日 for a name not in the table)."""
        t = self.get(name)
        return t.count if t is not None else COUNT_WORKDAY

    def needs_proof(self, name) -> bool:
        t = self.get(name)
        return t is not None and t.proof

    def rule_of(self, name) -> str:
        """The rule a type is applied under (依据): its row's rule when the catalog knows it, else LV-25 (a row of
        the table: HR's type, or a rule ID the catalog does not have); "" for a name not in the table."""
        t = self.get(name)
        if t is None:
            return ""
        return t.rule if t.rule in BY_ID else "LV-25"

    def capped(self) -> tuple[str, ...]:
        """The types whose days count toward the yearly 事假 cap (LV-03), 事假 always among them."""
        return tuple(dict.fromkeys((terms.LEAVE_PERSONAL, *(t.name for t in self.types if t.personal_cap))))

    def items(self) -> tuple[Item, ...]:
        """A money item for each type whose days are deducted (无薪, 比例) beyond the built-in 事假扣款 and 病假扣款:
        ``<假别>扣款``, charged at the daily wage less the share still paid, under the row's rule (LV-26 for HR's)."""
        return tuple(Item(f"leave_deduction_{t.name}", f"{t.name}扣款", DEDUCTED, t.rule if t.rule in BY_ID else "LV-26",
                          DEDUCTIONS,
                          unit="天", leave_type=t.name, paid_share=float(t.share or 0.0) if t.pay == PAY_SHARE else 0.0,
                          paid_key=t.share_key if t.pay == PAY_SHARE else "")
                     for t in self.types if t.deducted and t.name not in BUILT_IN_ITEMS)


# The types the built-in money items deduct (kaohe.policy.items: 事假扣款, 病假扣款).
BUILT_IN_ITEMS = (terms.LEAVE_PERSONAL, terms.LEAVE_SICK)


def default_table(policy: Policy) -> LeaveTable:
    return LeaveTable(default_types(policy))


def policy_with(policy: Policy, table: LeaveTable) -> Policy:
    """``policy`` with the company types' numbers of a 假别 sheet (:data:`POLICY_FIELDS`), their legend and
    社保自理 flags: the engine's company rules read them from the policy as before."""
    if not table.from_sheet:
        return policy
    changes: dict[str, object] = {}
    for t in table:
        for attr, name in POLICY_FIELDS.get(t.name, {}).items():
            value = getattr(t, attr)
            if value is not None:
                changes[name] = type(getattr(policy, name))(value)
    changes["social_insurance_leave_types"] = tuple(t.name for t in table if t.social_insurance)
    legend = {**legend_of(policy.grid_legend), **{t.name: t.legend for t in table if t.legend}}
    changes["grid_legend"] = ",".join(f"{k}={v}" for k, v in legend.items())
    return replace(policy, **changes)  # type: ignore[arg-type]  # the fields named are Policy's own


def legend_of(text: str) -> dict[str, str]:
    """规则's 考勤表图例 (名称=符号, comma-separated; a full-width comma too) as {name: symbol}."""
    pairs = (part.split("=", 1) for part in text.replace("，", ",").split(",") if "=" in part)
    return {k.strip(): v.strip() for k, v in pairs}
