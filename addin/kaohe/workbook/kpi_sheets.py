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

import pandas as pd

from kaohe.engine.kpi import KpiResult
from kaohe.findings import NOT_RANKED
from kaohe.policy import Policy
from kaohe.policy.tables import DATA, MANAGER
from kaohe.tables import Table
from kaohe.workbook import contract as c
from kaohe.workbook.sheetxml import ChartSpec, Column, Formula, SheetSpec
from kaohe.values import column_letter


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _ref(source: tuple[Table, int], fieldname: str) -> str:
    """The absolute reference of ``fieldname`` in the row ``source`` names: ``(table, Excel row)``."""
    table, row = source
    return f"{_q(table.sheet)}!${table.letters[fieldname]}${row}"


def score_sheet(result: KpiResult, data: Table, rules: Table | None, policy: Policy) -> SheetSpec:
    inds = result.indicators
    s = result.scores
    name = c.KPI_SCORE_PREFIX + result.month
    n = len(s)
    first, last = 2, n + 1
    k = len(inds)
    col = {ind.name: column_letter(2 + i) for i, ind in enumerate(inds)}
    tail = {h: column_letter(2 + k + i) for i, h in enumerate(c.KPI_SCORE_TAIL)}
    data_cols = [col[i.name] for i in inds if i.scorer == DATA]
    mgmt_cols = [col[i.name] for i in inds if i.scorer == MANAGER]
    rule_rows = {}
    if rules is not None:
        rule_rows = {ind: row for ind, row in zip(rules.frame["indicator"], rules.frame["row"])}
    d = _q(data.sheet)

    def param(ind, field: str, value: float) -> str:
        if ind.name in rule_rows and field in rules.letters:
            return f"{_q(rules.sheet)}!${rules.letters[field]}${rule_rows[ind.name]}"
        return f"{value:g}"

    def rng(letter: str) -> str:
        return f"${letter}${first}:${letter}${last}"

    score_rng, rank_rng = rng(tail["综合得分"]), rng(tail["排名"])
    y, m, dd = result.notice_date.year, result.notice_date.month, result.notice_date.day
    refs = {}  # values the engine took from KPI导入: read there
    for ind in inds:
        if f"src:{ind.name}" in data.frame:
            refs.update({(row, ind.name): _ref(source, ind.name)
                         for row, source in zip(data.frame["row"], data.frame[f"src:{ind.name}"]) if source})
    rows = []
    for i, r in enumerate(s.itertuples(index=False)):
        row = first + i
        src = r.row
        cells = [r.emp, r.name]
        for ind in inds:
            ref = refs.get((src, ind.name)) or f"{d}!${data.letters[ind.name]}${src}"
            w = param(ind, "weight", ind.weight)
            cached = float(s.iloc[i][f"p:{ind.name}"])
            if ind.scorer == MANAGER:
                cells.append(Formula(f"MAX(0,MIN({w},VALUE({ref})))", cached))
            else:
                t, f = param(ind, "target", ind.target), param(ind, "floor", ind.floor)
                cells.append(Formula(f"MAX(0,MIN(1,(VALUE({ref})-{f})/({t}-{f})))*{w}", cached))
        data_sum = "+".join(f"{x}{row}" for x in data_cols) or "0"
        mgmt_sum = "+".join(f"{x}{row}" for x in mgmt_cols) or "0"
        self_ref = f"{d}!${data.letters[c.KPI_SELF]}${src}"
        rank_cell = f"{tail['排名']}{row}"
        cells += [
            Formula(f"{data_sum}", r.data_score),
            Formula(f"{tail['数据得分']}{row}+{mgmt_sum}", r.manager_score),
            Formula(f"MAX(0,MIN(100,VALUE({self_ref})))", r.self_score),
            Formula(f"ROUND({policy.kpi_self_weight:g}*{tail['自评分']}{row}+{policy.kpi_manager_weight:g}*"
                    f"{tail['店长评分']}{row},2)", r.score),
            Formula(f"RANK({tail['综合得分']}{row},{score_rng},0)", float(r.rank)),
            Formula(f"IF(COUNT({score_rng})<{policy.kpi_min_ranked},0,IF({rank_cell}=1,{policy.kpi_reward:g},0)"
                    f"-IF({rank_cell}=MAX({rank_rng}),{policy.kpi_penalty:g},0))", float(r.reward)),
            Formula(f'IF({rank_cell}>=IFERROR(LARGE({rank_rng},{policy.kpi_improvement_positions}),MIN({rank_rng})),'
                    f'DATE({y},{m},{dd})+{policy.kpi_improvement_days},"")',
                    _serial(r.deadline) if r.deadline else ""),
            r.reassign,
        ]
        rows.append(cells)
    styles = {"数据得分": "score", "店长评分": "score", "自评分": "score", "综合得分": "score", "排名": "int",
              "奖惩金额": "money", "整改截止日期": "date", "考虑调岗": "text"}
    columns = [Column("工号", "text", 10), Column("姓名", "text", 10)]
    columns += [Column(i.name, "score", max(8, len(i.name) * 2 + 2)) for i in inds]
    columns += [Column(h, styles[h], max(10, len(h) * 2 + 2)) for h in c.KPI_SCORE_TAIL]
    chart = None
    if n:
        chart = ChartSpec(f"{result.month} 综合得分", f"$B${first}:$B${last}", score_rng, (0, last + 2, 10, last + 22),
                          max_value=100)
    return SheetSpec(name, columns, rows=rows, freeze="C2", chart=chart)


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
        warn = s[s["reassign"] == c.YES]
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
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    idx = {h: header.index(h) for h, _ in c.KPI_HISTORY.columns if h in header}
    out = []
    for r in rows[1:]:
        get = lambda h: r[idx[h]] if h in idx and idx[h] < len(r) else None  # noqa: E731
        month = get("月份")
        if not month:
            continue
        month = month if isinstance(month, str) else f"{month:%Y-%m}"
        try:
            out.append([month, parse_id(get("工号")), get("综合得分"), int(get("排名") or 0), get("末位")])
        except (ValueError, TypeError):
            continue
    return pd.DataFrame(out, columns=cols)
