"""The KPI sheets: KPI评分_YYYY-MM (live formulas), KPI历史 and 月度通报.

The score sheet is live: every point, total, rank, reward and deadline is an Excel formula
over the cells of KPI数据 (and KPI规则 when the workbook has it), so a manager who corrects a
figure sees the sheet follow. Each formula also carries the engine's value as its cached
result; tests recalculate the file in LibreOffice and require the two to agree.

Formula notes: ``VALUE()`` reads figures typed as text (``45.2%``) as well as numbers;
ranks use ``RANK`` (ties share a rank); the score is ``ROUND(…, 2)`` as in the engine.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kaohe.engine.kpi import KpiResult
from kaohe.findings import NOT_RANKED
from kaohe.headers import sheet_columns
from kaohe.policy import Policy
from kaohe.policy.tables import DATA, MANAGER
from kaohe.tables import Table
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.cellxml import Formula
from kaohe.workbook.parts import quote_sheet
from kaohe.workbook.sheetxml import ChartSpec, Column, SheetSpec
from kaohe.values import column_letter


def _ref(table: Table, fieldname: str, row: int) -> str:
    """The absolute reference of ``fieldname``'s cell in Excel row ``row`` of ``table``'s sheet."""
    return f"{quote_sheet(table.sheet)}!${table.letters[fieldname]}${row}"


@dataclass
class _Places:
    """Where the score sheet's formulas look: its columns and rows, KPI数据's cells, KPI规则's parameters."""

    result: KpiResult
    data: Table
    rules: Table | None
    col: dict[str, str]                # indicator -> its column on the score sheet
    tail: dict[str, str]               # 数据得分, 店长评分, … -> column
    rule_rows: dict[str, int]          # indicator -> its row in KPI规则
    refs: dict[tuple[int, str], str]   # (KPI数据 row, indicator) -> the KPI导入 cell the engine took it from

    @classmethod
    def of(cls, result: KpiResult, data: Table, rules: Table | None) -> _Places:
        inds, k = result.indicators, len(result.indicators)
        col = {ind.name: column_letter(2 + i) for i, ind in enumerate(inds)}
        tail = {h: column_letter(2 + k + i) for i, h in enumerate(c.KPI_SCORE_TAIL)}
        rule_rows = {} if rules is None else dict(zip(rules.frame["indicator"], rules.frame["row"]))
        refs = {}
        for ind in inds:
            if f"src:{ind.name}" in data.frame:
                refs.update({(row, ind.name): _ref(source[0], ind.name, source[1])
                             for row, source in zip(data.frame["row"], data.frame[f"src:{ind.name}"]) if source})
        return cls(result, data, rules, col, tail, rule_rows, refs)

    @property
    def last(self) -> int:
        return len(self.result.scores) + FIRST_ROW - 1

    def rng(self, header: str) -> str:
        letter = self.tail[header]
        return f"${letter}${FIRST_ROW}:${letter}${self.last}"

    def param(self, ind, field: str, value: float) -> str:
        """An indicator's parameter: its KPI规则 cell when the workbook has one, else the number."""
        if self.rules is not None and ind.name in self.rule_rows and field in self.rules.letters:
            return _ref(self.rules, field, self.rule_rows[ind.name])
        return f"{value:g}"

    def figure(self, src: int, indicator: str) -> str:
        """The KPI数据 cell of an indicator's figure for the person on data row ``src``."""
        return self.refs.get((src, indicator)) or _ref(self.data, indicator, src)


FIRST_ROW = 2


def score_sheet(result: KpiResult, data: Table, rules: Table | None, policy: Policy) -> SheetSpec:
    """KPI评分_YYYY-MM: a row of live formulas per ranked person, and a chart of the scores."""
    at = _Places.of(result, data, rules)
    rows = []
    for i, r in enumerate(result.scores.itertuples(index=False)):
        points = result.scores.iloc[i]
        cells = [r.emp, r.name] + _points(at, r.row, points)
        rows.append(cells + _results(at, FIRST_ROW + i, r, policy) + [r.reassign])
    chart = None
    if len(result.scores):
        chart = ChartSpec(f"{result.month} 综合得分", f"$B${FIRST_ROW}:$B${at.last}", at.rng("综合得分"),
                          (0, at.last + 2, 10, at.last + 22), max_value=policy.kpi_full_score)
    return SheetSpec(c.KPI_SCORE_PREFIX + result.month, _score_columns(result), rows=rows, freeze="C2", chart=chart)


def _points(at: _Places, src: int, points) -> list[Formula]:
    """Each indicator's points (KPI-02): a manager's rating clamped to the weight, a figure scaled linearly."""
    cells = []
    for ind in at.result.indicators:
        ref, w = at.figure(src, ind.name), at.param(ind, "weight", ind.weight)
        cached = float(points[f"p:{ind.name}"])
        if ind.scorer == MANAGER:
            cells.append(Formula(f"MAX(0,MIN({w},VALUE({ref})))", cached))
        else:
            assert ind.target is not None and ind.floor is not None  # a data indicator has both (KPI规则 checks)
            t, f = at.param(ind, "target", ind.target), at.param(ind, "floor", ind.floor)
            cells.append(Formula(f"MAX(0,MIN(1,(VALUE({ref})-{f})/({t}-{f})))*{w}", cached))
    return cells


def _results(at: _Places, row: int, r, policy: Policy) -> list[Formula]:
    """数据得分 … 整改截止日期 of one person (KPI-03 to KPI-05), each with the engine's value cached."""
    inds, tail = at.result.indicators, at.tail
    data_sum = "+".join(f"{at.col[i.name]}{row}" for i in inds if i.scorer == DATA) or "0"
    mgmt_sum = "+".join(f"{at.col[i.name]}{row}" for i in inds if i.scorer == MANAGER) or "0"
    self_ref = _ref(at.data, c.KPI_SELF, r.row)
    rank_cell, score_rng, rank_rng = f"{tail['排名']}{row}", at.rng("综合得分"), at.rng("排名")
    day = at.result.notice_date
    return [
        Formula(f"{data_sum}", r.data_score),
        Formula(f"{tail['数据得分']}{row}+{mgmt_sum}", r.manager_score),
        Formula(f"MAX(0,MIN({policy.kpi_full_score:g},VALUE({self_ref})))", r.self_score),  # KPI-01: 0..KPI满分
        Formula(f"ROUND({policy.kpi_self_weight:g}*{tail['自评分']}{row}+{policy.kpi_manager_weight:g}*"
                f"{tail['店长评分']}{row},2)", r.score),
        Formula(f"RANK({tail['综合得分']}{row},{score_rng},0)", float(r.rank)),
        Formula(f"IF(COUNT({score_rng})<{policy.kpi_min_ranked},0,IF({rank_cell}=1,{policy.kpi_reward:g},0)"
                f"-IF({rank_cell}=MAX({rank_rng}),{policy.kpi_penalty:g},0))", float(r.reward)),
        Formula(f'IF({rank_cell}>=IFERROR(LARGE({rank_rng},{policy.kpi_improvement_positions}),MIN({rank_rng})),'
                f'DATE({day.year},{day.month},{day.day})+{policy.kpi_improvement_days},"")',
                _serial(r.deadline) if r.deadline else ""),
    ]


SCORE_STYLES = {"数据得分": "score", "店长评分": "score", "自评分": "score", "综合得分": "score", "排名": "int",
                "奖惩金额": "money", "整改截止日期": "date", "考虑调岗": "text"}


def _score_columns(result: KpiResult) -> list[Column]:
    columns = [Column("工号", "text", 10), Column("姓名", "text", 10)]
    columns += [Column(i.name, "score", max(8, len(i.name) * 2 + 2)) for i in result.indicators]
    return columns + [Column(h, SCORE_STYLES[h], max(10, len(h) * 2 + 2)) for h in c.KPI_SCORE_TAIL]


def _serial(day: dt.date) -> float:
    return float((day - dt.date(1899, 12, 30)).days)


def history_sheet(result: KpiResult) -> SheetSpec:
    from kaohe.workbook.write import frame_spec

    return frame_spec(c.KPI_HISTORY, result.history, landscape=False)


def notice_sheet(result: KpiResult, policy: Policy) -> SheetSpec:
    """月度通报: the monthly notice HR prints and posts."""
    s = result.scores.sort_values(["rank", "emp"])
    y, m = result.month.split("-")
    who = lambda frame: "、".join(f"{r.name}（{r.emp}，{r.score:.2f}分）" for r in frame.itertuples())  # noqa: E731
    rows = [["通报日期", f"{result.notice_date:%Y-%m-%d}"],
            ["参加排名", f"{len(s)} 人"]]
    if len(s):
        top, bottom = s[s["rank"] == 1], s[s["is_last"]]
        enough = len(s) >= policy.kpi_min_ranked
        rows.append(["第一名", who(top) + (f"，奖励 {policy.kpi_reward:g} 元" if enough else "")])
        rows.append(["最后一名", who(bottom) + (f"，从提成中扣 {policy.kpi_penalty:g} 元" if enough else "")])
        if not enough:
            rows.append(["说明", f"参加排名不足 {policy.kpi_min_ranked} 人，本月不奖不罚（KPI-04）"])
        plan = s[s["deadline"].notna()]
        deadline = plan["deadline"].iloc[0] if len(plan) else None
        rows.append(["提交整改方案", who(plan) + (f"，截止 {deadline:%Y-%m-%d}（KPI-05）" if deadline else "")])
        warn = s[s["reassign"] == terms.YES]
        rows.append(["考虑调岗", who(warn) + f"（连续 {policy.kpi_reassign_months} 个月排名最后，KPI-06）"
                     if len(warn) else "无"])
    missing = [f.problem for f in result.findings if f.code == NOT_RANKED]
    rows.append(["未参加排名", "；".join(missing) if missing else "无"])
    rows.append(["", ""])
    rows.append(["人力资源部（签字）", ""])
    title = f"{policy.kpi_team}{y}年{int(m)}月绩效考核通报"
    return SheetSpec(c.KPI_NOTICE.name, [Column("项目", "text", 18), Column("内容", "text", 90)], rows=rows,
                     header_rows=[[title]], freeze="", autofilter=False, landscape=False, print_titles=False,
                     merge=["A1:B1"])


def history_table(rows: list[list]) -> pd.DataFrame:
    """KPI历史 rows already in the workbook (月份, 工号, 综合得分, 排名, 末位)."""
    from kaohe.values import parse_id

    cols = [f for _, f in c.KPI_HISTORY.columns]
    if not rows:
        return pd.DataFrame(columns=cols)
    idx = sheet_columns(rows)
    out = []
    for r in rows[1:]:
        get = lambda h, r=r: r[idx[h]] if h in idx and idx[h] < len(r) else None  # noqa: E731
        month = get("月份")
        if not month:
            continue
        month = month if isinstance(month, str) else f"{month:%Y-%m}"
        try:
            out.append([month, parse_id(get("工号")), get("综合得分"), int(get("排名") or 0), get("末位")])
        except (ValueError, TypeError):
            continue
    return pd.DataFrame(out, columns=cols)
