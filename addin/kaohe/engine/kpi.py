"""Monthly KPI of the online-shop customer service team (KPI-01..KPI-06; 篇二/三/五).

Decisions (docs/规则说明.md and this module):
    - KPI-01: team = 员工名册 rows whose 部门 is the 规则 parameter KPI考核部门 (网店客服组).
      A member without a complete row of data for the month is listed in 问题清单 and not
      scored or ranked (never scored as zero).
    - KPI-02: data points = clamp((value − floor) / (target − floor), 0, 1) × weight; the same
      formula serves both directions (for "lower is better" the target is below the floor).
      Management points are the manager's entry clamped to 0..weight; 自评分 to 0..KPI满分 (100).
    - KPI-03: 综合得分 = 30 % 自评分 + 70 % 店长评分, rounded to 2 decimals (as Excel's ROUND),
      so that ties in the sheet are ties in the engine.
    - KPI-04: ranks share ties (1, 1, 3). Rank 1 gets the reward, the largest rank the
      penalty; a team where everyone ties gets both (net 0). Fewer than 3 ranked: neither.
    - KPI-05: everyone whose rank is at or below the rank at the second-to-last position
      (``LARGE(ranks, 2)``) submits a plan by notice date + 7 days; this applies to any team size.
      Without ``--notice-date`` the notice date is the 1st of the following month.
    - KPI-06: 考虑调岗 when ranked last this month and in each of the two months before,
      by KPI历史 (末位 = 是).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from kaohe import terms
from kaohe.findings import NOT_RANKED, Finding
from kaohe.periods import month_bounds, shift_month
from kaohe.policy import DEFAULT, Policy
from kaohe.policy.tables import DATA, DOWN, KPI_INDICATORS, MANAGER, UP, Indicator
from kaohe.tables import Table
from kaohe.values import parse_number
from kaohe.policy.catalog import article


def excel_round(x: float, digits: int) -> float:
    """ROUND as Excel does it: half away from zero on the 15-significant-digit value."""
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(f"{x:.15g}").quantize(q, rounding=ROUND_HALF_UP))


def indicator_points(value: float, ind: Indicator) -> float:
    """KPI-02 for a data indicator; KPI-01 clamp for a management one."""
    if ind.scorer == MANAGER:
        return min(max(value, 0.0), ind.weight)
    assert ind.target is not None and ind.floor is not None  # a data indicator has both (KPI规则 checks)
    share = (value - ind.floor) / (ind.target - ind.floor)
    return min(max(share, 0.0), 1.0) * ind.weight


def combined(self_score: float, manager: float, policy: Policy) -> float:
    """KPI-03: 30 % self + 70 % manager, rounded to 2 decimals."""
    return excel_round(policy.kpi_self_weight * self_score + policy.kpi_manager_weight * manager, 2)


@dataclass
class KpiResult:
    month: str
    indicators: tuple[Indicator, ...]
    scores: pd.DataFrame  # one row per scored member
    history: pd.DataFrame  # KPI历史 after this month
    findings: list[Finding]
    notice_date: dt.date
    summary: dict = field(default_factory=dict)


def _with_defaults(r):
    """A KPI规则 row with 评分人 and 方向 filled in where the sheet lacks them: an indicator with no target
    and floor is the manager's; the direction follows from which of target and floor is higher."""
    scorer = r.scorer or (MANAGER if r.target is None and r.floor is None else DATA)
    direction = r.direction or (DOWN if scorer == DATA and r.target is not None and r.floor is not None
                                and r.target < r.floor else UP)
    return r._replace(scorer=scorer, direction=direction)


def _rule_row_problems(r) -> list[str]:
    """What is wrong with one KPI规则 row (KPI-02), in HR's words."""
    problems = []
    if not r.indicator:
        problems.append("指标名称为空")
    if r.weight is None or r.weight < 0:
        problems.append("权重应为非负数")
    if r.direction not in (UP, DOWN):
        problems.append(f"方向应为 {UP} 或 {DOWN}")
    if r.scorer not in (DATA, MANAGER):
        problems.append(f"评分人应为 {DATA} 或 {MANAGER}")
    if r.scorer == DATA and (r.target is None or r.floor is None or r.target == r.floor):
        problems.append("数据指标须有目标值和底线值，且两者不同")
    elif r.scorer == DATA and (r.direction == UP) != (r.target > r.floor):
        problems.append(f"{r.direction}的指标，目标值应{'高' if r.direction == UP else '低'}于底线值")
    return problems


def indicators_from_rules(table, policy: Policy = DEFAULT) -> tuple[tuple[Indicator, ...], list[Finding]]:
    """KPI规则 rows to (indicators, findings); a bad row is a finding and the sheet falls back to the defaults."""
    if table is None or table.frame.empty:
        return KPI_INDICATORS, []
    out = []
    for r in map(_with_defaults, table.frame.itertuples(index=False)):
        problems = _rule_row_problems(r)
        if problems:
            return KPI_INDICATORS, [Finding(table.sheet, table.cell("indicator", r.row), "；".join(problems),
                                            "整张KPI规则表未使用，按默认指标计算", "KPI-02", article("KPI-02"), code="kpi.bad_indicator")]
        aliases = tuple(a.strip() for a in str(r.aliases or "").replace("，", ",").replace("、", ",").split(",") if a.strip())
        out.append(Indicator(r.indicator, float(r.weight), r.direction, r.target, r.floor, r.scorer, aliases))
    total = sum(i.weight for i in out)
    if abs(total - policy.kpi_full_score) > 1e-9:
        return tuple(out), [Finding(table.sheet, "", f"各指标权重合计为{total:g}，不是{policy.kpi_full_score:g}",
                                    "按表中权重计算", "KPI-01", article("KPI-01"), terms.LEVEL_WARNING, code="kpi.weights_total")]
    return tuple(out), []


def fill_from_import(data, imported, indicators: tuple[Indicator, ...]):
    """KPI数据 with blank (or absent) indicator values taken from KPI导入, remembering where each came from.

    For a value taken from KPI导入 the frame gets ``src:<indicator>`` = ``(imported, row)``: the
    imported table and the Excel row the value came from, so that the score sheet's formula (the
    workbook layer builds the reference from the table's sheet and letters) reads it there.
    """
    frame = data.frame.copy()
    by_key = {(m, e): r for m, e, r in zip(imported.frame["month"], imported.frame["emp"], imported.frame.index)}
    for ind in indicators:
        if ind.name not in imported.letters:
            continue
        if ind.name not in frame:
            frame[ind.name] = None
        sources: list[tuple[Table, int] | None] = []
        for i, (m, e) in enumerate(zip(frame["month"], frame["emp"])):
            value = frame.at[frame.index[i], ind.name]
            src = by_key.get((m, e))
            if (value is None or value == "" or value != value) and src is not None:
                frame.at[frame.index[i], ind.name] = imported.frame.at[src, ind.name]
                sources.append((imported, int(imported.frame.at[src, "row"])))
            else:
                sources.append(None)
        frame[f"src:{ind.name}"] = sources
    return Table(data.sheet, frame, data.letters, data.bad)


def score_month(roster: pd.DataFrame, data: Table, indicators: tuple[Indicator, ...], policy: Policy, month: str,
                notice_date: dt.date | None, history: pd.DataFrame, self_field: str,
                imported: Table | None = None) -> KpiResult:
    """Score the team for ``month``. ``data`` is the KPI数据 table with a column per indicator and
    ``self_field``, the column of the 自评分 (its header, named in findings); ``imported`` the month rows of
    KPI导入 (to say so when a member has imported figures but no row of their own)."""
    findings: list[Finding] = []
    if notice_date is None:
        notice_date = month_bounds(shift_month(month, 1))[0]
        findings.append(Finding(data.sheet, "", f"未指定通报日期，按{notice_date:%Y-%m-%d}计算整改截止日期",
                                "可用 --notice-date 指定", "KPI-05", article("KPI-05"), terms.LEVEL_INFO, code="kpi.notice_date"))
    team = roster[roster["dept"] == policy.kpi_team]
    rows = data.frame[data.frame["month"] == month]
    self_ind = Indicator(self_field, policy.kpi_full_score, UP, None, None, MANAGER)
    scored = []
    findings += outside_team(rows, team, roster, data, policy)
    for person in team.itertuples(index=False):
        row, found = member_row(person, rows[rows["emp"] == person.emp], month, data, imported)
        findings += found
        if row is None:
            continue
        values, found = member_values(person, row, indicators + (self_ind,), data)
        findings += found
        if values is not None:
            scored.append({"emp": person.emp, "name": person.name, "row": int(row["row"]),
                           **member_points(values, indicators, self_field, policy)})
    s = pd.DataFrame(scored, columns=["emp", "name", "row", *[f"p:{i.name}" for i in indicators], "data_score",
                                      "manager_score", "self_score", "score"])
    s = consequences(s, policy, notice_date, history, month)
    summary = {"team": len(team), "scored": len(s), "problems": len(findings)}
    return KpiResult(month, indicators, s, _history_after(history, s, month), findings, notice_date, summary)


def outside_team(rows: pd.DataFrame, team: pd.DataFrame, roster: pd.DataFrame, data: Table,
                 policy: Policy) -> list[Finding]:
    """KPI-01: the month's rows of people outside the team (KPI考核部门) are not scored, and say why."""
    depts = dict(zip(roster["emp"], roster["dept"]))
    out = []
    for r in rows[rows["emp"].notna() & ~rows["emp"].isin(team["emp"])].itertuples(index=False):
        problem = (f"工号{r.emp}的部门是“{depts[r.emp]}”，不是KPI考核部门“{policy.kpi_team}”" if r.emp in depts
                   else terms.unknown_id(r.emp, roster["emp"]))
        out.append(Finding(data.sheet, data.cell("emp", r.row), problem, "此行不参加排名", "KPI-01", article("KPI-01"),
                           terms.LEVEL_WARNING if r.emp in depts else terms.LEVEL_ERROR, r.emp if r.emp in depts else "",
                           code="kpi.outside_team"))
    return out


def member_row(person, mine: pd.DataFrame, month: str, data: Table,
               imported: Table | None = None) -> tuple[pd.Series | None, list[Finding]]:
    """KPI-01: a member's row of the month (the first if several); without one the member is not ranked."""
    if mine.empty:
        f = imported.frame if imported is not None else None
        if imported is not None and f is not None and ((f["month"] == month) & (f["emp"] == person.emp)).any():
            problem = (f"工号{person.emp}（{person.name}）在{imported.sheet}中有{month}的数据，但{data.sheet}中没有此人"
                       f"{month}的行（自评分、店长评分等只能在{data.sheet}中填写）")
        else:
            problem = f"工号{person.emp}（{person.name}）没有{month}的KPI数据"
        return None, [Finding(data.sheet, "", problem, "不参加本月排名", "KPI-01", article("KPI-01"), terms.LEVEL_WARNING,
                              person.emp, code=NOT_RANKED)]
    return mine.iloc[0], [Finding(data.sheet, data.cell("emp", r.row), f"工号{person.emp}{month}有多行数据",
                                  "只用第一行", "KPI-01", article("KPI-01"), code="kpi.duplicate_row")
                          for r in mine.iloc[1:].itertuples(index=False)]


def member_values(person, row: pd.Series, indicators: tuple[Indicator, ...],
                  data: Table) -> tuple[dict[str, float] | None, list[Finding]]:
    """KPI-01: the member's figures (numbers or text such as ``45.2%``); None when one is missing
    (the member is not ranked, never scored as 0). A manager's entry out of range is reported."""
    values, missing, findings = {}, [], []
    for ind in indicators:
        try:
            value = parse_number(row.get(ind.name))
        except ValueError:
            value = None
        if value is None:
            missing.append(ind.name)
            continue
        if ind.scorer == MANAGER and not 0 <= value <= ind.weight:
            findings.append(Finding(data.sheet, data.cell(ind.name, row["row"]),
                                    f"{ind.name} {value:g} 超出 0–{ind.weight:g}", f"按 {min(max(value, 0), ind.weight):g} 计",
                                    "KPI-01", article("KPI-01"), terms.LEVEL_WARNING, code="kpi.manager_out_of_range"))
        values[ind.name] = value
    if missing:
        findings.append(Finding(data.sheet, data.cell("emp", row["row"]),
                                f"工号{person.emp}（{person.name}）缺少：{'、'.join(missing)}", "不参加本月排名",
                                "KPI-01", article("KPI-01"), code=NOT_RANKED))
        return None, findings
    return values, findings


def member_points(values: dict[str, float], indicators: tuple[Indicator, ...], self_field: str,
                  policy: Policy) -> dict[str, float]:
    """KPI-02/03: the points of each indicator (``p:<name>``), the data and manager scores, 自评分 and 综合得分."""
    points = {ind.name: indicator_points(values[ind.name], ind) for ind in indicators}
    data_score = sum(points[i.name] for i in indicators if i.scorer == DATA)
    manager = data_score + sum(points[i.name] for i in indicators if i.scorer == MANAGER)
    self_score = min(max(values[self_field], 0.0), policy.kpi_full_score)
    return {**{f"p:{k}": v for k, v in points.items()}, "data_score": data_score, "manager_score": manager,
            "self_score": self_score, "score": combined(self_score, manager, policy)}


def _history_after(history: pd.DataFrame, s: pd.DataFrame, month: str) -> pd.DataFrame:
    """KPI历史 with this month's rows replaced by the new scores."""
    hist = history[history["month"] != month] if len(history) else history
    new = pd.DataFrame({"month": month, "emp": s["emp"], "score": s["score"], "rank": s["rank"],
                        "last": [terms.YES if x else terms.NO for x in s["is_last"]]})
    hist = pd.concat([hist, new], ignore_index=True) if len(hist) else new
    return hist.sort_values(["month", "rank", "emp"], kind="stable").reset_index(drop=True)


def consequences(scores: pd.DataFrame, policy: Policy, notice: dt.date, history: pd.DataFrame,
                 month: str) -> pd.DataFrame:
    """KPI-04..06: the scores ranked, with reward, improvement deadline and 考虑调岗 (a new frame)."""
    s = scores.copy()
    n = len(s)
    s["rank"] = s["score"].rank(method="min", ascending=False).astype(int) if n else pd.Series(dtype=int)
    worst = s["rank"].max() if n else 0
    s["is_last"] = s["rank"] == worst
    if n >= policy.kpi_min_ranked:
        s["reward"] = (s["rank"] == 1) * policy.kpi_reward - s["is_last"] * policy.kpi_penalty
    else:
        s["reward"] = 0.0
    s["reward"] = s["reward"].astype(float)
    positions = policy.kpi_improvement_positions
    ranks = sorted(s["rank"], reverse=True)
    cut = ranks[positions - 1] if n >= positions else (min(ranks) if n else math.inf)
    deadline = notice + dt.timedelta(days=policy.kpi_improvement_days)
    s["deadline"] = [deadline if r >= cut else None for r in s["rank"]]
    last_before = set()
    if len(history):
        months = [shift_month(month, -k) for k in range(1, policy.kpi_reassign_months)]
        lasts = history[(history["last"] == terms.YES) & history["month"].isin(months)]
        counts = lasts.groupby("emp")["month"].nunique()
        last_before = set(counts[counts == len(months)].index)
    s["reassign"] = [terms.YES if (last and emp in last_before) else terms.NO for emp, last in zip(s["emp"], s["is_last"])]
    return s
