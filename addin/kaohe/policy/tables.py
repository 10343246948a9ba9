"""The policy's tables: KPI indicators (KPI-01, KPI-02) and the review's role weights and grades (REV-04, REV-05).

Each table is the default of an input sheet HR may keep in the workbook instead: KPI规则,
岗位权重 and 考核等级. A sheet, when present, replaces the whole table.

Decisions:
    - KPI-01 weights are those of docs/规则说明.md. Targets and floors are not in the policy text:
      the defaults below are plausible values for an online shop and are meant to be set in
      the KPI规则 sheet (``kaohe template kpi`` writes it pre-filled with them).
    - Rates are fractions (0.452 = 45.2 %); 平均响应时间 is in seconds; amounts in CNY.
    - REV-04 role weights for roles not listed fall back to 默认 (25/25/25/25).
"""
from __future__ import annotations

from dataclasses import dataclass

UP, DOWN = "越高越好", "越低越好"
DATA, MANAGER = "数据", "店长"


@dataclass(frozen=True)
class Indicator:
    name: str
    weight: float
    direction: str  # 越高越好 / 越低越好
    target: float | None  # full points at or beyond this (data indicators)
    floor: float | None  # no points at or beyond this (data indicators)
    scorer: str  # 数据 / 店长
    aliases: tuple[str, ...] = ()  # headers of the performance software's exports


KPI_INDICATORS = (
    Indicator("咨询转化率", 15, UP, 0.60, 0.20, DATA, ("询单转化率", "询单->最终付款转化率", "询单->最终付款成功率")),
    Indicator("平均响应时间", 10, DOWN, 15, 60, DATA, ("平均响应(秒)", "平均响应时长")),
    Indicator("客户流失率", 10, DOWN, 0.05, 0.30, DATA, ("流失率",)),
    Indicator("订单总金额", 10, UP, 300000, 100000, DATA, ("销售额",)),
    Indicator("有效订单比重", 5, UP, 0.95, 0.70, DATA),
    Indicator("付款比例", 5, UP, 0.90, 0.60, DATA, ("付款率",)),
    Indicator("退款比例", 5, DOWN, 0.02, 0.15, DATA, ("退款率",)),
    Indicator("平均客单价", 5, UP, 200, 80, DATA, ("客单价",)),
    Indicator("顾客投诉比重", 5, DOWN, 0.005, 0.05, DATA, ("投诉率",)),
    Indicator("异常订单比重", 5, DOWN, 0.01, 0.10, DATA),
    Indicator("报表上交及时性", 8, UP, None, None, MANAGER),
    Indicator("报表数据真实性", 7, UP, None, None, MANAGER),
    Indicator("报表整体质量", 10, UP, None, None, MANAGER),
)


@dataclass(frozen=True)
class RoleWeights:
    role: str
    business: float
    attitude: float
    ability: float
    teamwork: float

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.business, self.attitude, self.ability, self.teamwork)


DEFAULT_ROLE = "默认"
ROLE_WEIGHTS = (
    RoleWeights("推广专员", 50, 20, 20, 10),
    RoleWeights("客服专员", 40, 25, 20, 15),
    RoleWeights("美工/设计", 40, 20, 30, 10),
    RoleWeights(DEFAULT_ROLE, 25, 25, 25, 25),
)


@dataclass(frozen=True)
class Grade:
    grade: str
    min_score: float
    coefficient: float


GRADES = (Grade("A", 90, 1.2), Grade("B", 80, 1.0), Grade("C", 70, 0.8), Grade("D", 60, 0.6), Grade("E", 0, 0.0))
