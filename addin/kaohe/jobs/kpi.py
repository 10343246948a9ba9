"""生成KPI评分表 and 季度/年度考核: score a KPI workbook's month, combine a review period."""
from __future__ import annotations

import dataclasses

import datetime as dt
from pathlib import Path

from kaohe.engine import kpi as kpi_engine
from kaohe.engine import review as review_engine
from kaohe.engine import standard
from kaohe.engine.inputs import same_ids
from kaohe.findings import InputRefused
from kaohe.imports.chitu import month_only
from kaohe.jobs.common import book_problems, read_people
from kaohe.jobs.outcome import JobResult
from kaohe.jobs.render import kpi_sheets
from kaohe.periods import month_or_refuse, review_period
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook.kpi_data import kpi_data_table
from kaohe.workbook.write import frame_spec, roster_ids, run_log_spec, save


def compute_kpi(book: Path, month: str, notice_date: dt.date | None = None, may_be_open: bool = False):
    """Read a KPI workbook and score ``month``; returns (data, result, data table, rules table, policy)."""
    data, findings, policy, roster = read_people(book, (c.ROSTER, c.RULES, c.KPI_RULES), c.KPI_DATA,
                                                  raw=(c.KPI_DATA.name, c.KPI_HISTORY.name, c.KPI_IMPORT.name),
                                                  may_be_open=may_be_open)
    rules = data.table(c.KPI_RULES)
    indicators, found = kpi_engine.indicators_from_rules(rules, policy)
    findings += found
    if indicators is kpi_engine.KPI_INDICATORS:
        rules = None
    names = {c.KPI_SELF: c.KPI_SELF}
    for ind in indicators:
        names.update({a: ind.name for a in ind.aliases})
        names[ind.name] = ind.name
    kpi_data, found = kpi_data_table(data.raw[c.KPI_DATA.name], names)
    findings += found
    tables, found = same_ids({"kpi_data": kpi_data, "roster": data.table(c.ROSTER)})  # １０３ is 103 (kaohe.engine.inputs)
    table, imported = tables["kpi_data"], None
    findings += found
    if c.KPI_IMPORT.name in data.raw:  # metrics imported from the shop software fill what KPI数据 leaves blank
        imported, found = kpi_data_table(month_only(data.raw[c.KPI_IMPORT.name]), names, c.KPI_IMPORT.name)
        findings += found
        table = kpi_engine.fill_from_import(table, imported, indicators)
    absent = [i.name for i in indicators if i.name not in table.letters and f"src:{i.name}" not in table.frame] + (
        [] if c.KPI_SELF in table.letters else [c.KPI_SELF])
    if absent:
        raise InputRefused(f"工作表“{c.KPI_DATA.name}”缺少列：{'、'.join(absent)}（可在KPI规则的“别名”列写明软件导出的表头）",
                           f"sheet '{c.KPI_DATA.name}' lacks columns: {', '.join(absent)}")
    history = kpi_sheets.history_table(data.raw.get(c.KPI_HISTORY.name, []))
    result = kpi_engine.score_month(roster, table, indicators, policy, month, notice_date, history, c.KPI_SELF,
                                    imported)
    return data, dataclasses.replace(result, findings=findings + result.findings), table, rules, policy


def kpi_job(book: Path, month: str, notice_date: dt.date | None = None, out: Path | None = None,
            progress=None) -> JobResult:
    """生成KPI评分表: the live score sheet of ``month``, KPI历史, 月度通报 and 问题清单."""
    month = month_or_refuse(month)
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取并计算KPI…")
        data, result, table, rules, policy = compute_kpi(book, month, notice_date)
        findings = result.findings
        specs = [kpi_sheets.score_sheet(result, table, rules, policy), kpi_sheets.history_sheet(result),
                 kpi_sheets.notice_sheet(result, policy),
                 book_problems(book, data.tables, findings, c.SOURCE_KPI, month)]
        counts = f"参加排名{len(result.scores)}人; 问题{len(findings)}条"
        specs.append(run_log_spec(book, "kpi", month, data.fingerprint, counts))
        say("写入结果…")
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    summary = {"team": result.summary["team"], "scored": len(result.scores)}
    return JobResult(written, backup, [s.name for s in specs], len(findings), summary, result)


def review_job(book: Path, period: str, out: Path | None = None, progress=None) -> JobResult:
    """季度/年度考核: 季度考核_YYYYQn or 年度考核_YYYY, with 问题清单."""
    try:
        period, _, _ = review_period(period)
    except ValueError:
        raise InputRefused(f"周期格式应为 2026Q3 或 2026（收到“{period}”）", f"period must be like 2026Q3 or 2026: {period}") from None
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取工作簿…")
        data, findings, policy, roster = read_people(
            book, (c.ROSTER, c.RULES, c.REVIEW_SCORES, c.ROLE_WEIGHTS, c.GRADES), c.REVIEW_SCORES)
        say("计算考核…")
        vocab, found = standard.terms_in_force(data.tables)  # 关系 synonyms, HR's included
        findings += found
        tables, found = same_ids(data.tables)  # ids read as meant (kaohe.engine.inputs)
        findings += found
        result = review_engine.review(tables, roster, policy, period, vocab)
        findings += result.findings
        name = (c.YEAR_PREFIX if result.annual else c.QUARTER_PREFIX) + result.period
        sheet = c.OutputSheet(name, c.YEAR_OUT if result.annual else c.QUARTER_OUT)
        specs = [frame_spec(sheet, result.rows, freeze="C2"),
                 book_problems(book, data.tables, findings, c.SOURCE_REVIEW, result.period)]
        counts = f"参加考核{result.summary['scored']}人; 问题{len(findings)}条"
        specs.append(run_log_spec(book, "review", result.period, data.fingerprint, counts))
        say("写入结果…")
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(findings), result.summary, result)

