"""The jobs every door runs: read a workbook, run the engine, write kaohe's sheets.

The command line, scheduled scripts and the ribbon call these; each returns a
:class:`JobResult` that says what was written and how many problems were found. The jobs that write
a file of their own live with its format: ``finance.finance_job``, ``slips.slips_job``, and
``close.close_job`` with the close sheets.
"""
from __future__ import annotations

from pathlib import Path

import dataclasses
import datetime as dt
import re

import pandas as pd

from kaohe import close
from kaohe.engine import kpi as kpi_engine
from kaohe.engine import review as review_engine
from kaohe.engine import standard
from kaohe.engine.month import MonthResult, compute_month, load_policy, roster_frame
from kaohe.findings import RULES_BAD_VALUE, RULES_UNKNOWN_KEY, InputRefused
from kaohe.outcome import JobResult
from kaohe.periods import month_or_refuse as _month_or_refuse, review_period
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook import kpi_sheets
from kaohe.workbook.grid import grid_spec
from kaohe.workbook.read import kpi_data_table, missing_sheet, read_book
from kaohe.workbook.write import (frame_spec, previous_problems, problems_spec, roster_ids, run_log_spec, save,
                                  wide_print)


def errors(findings) -> int:
    """How many findings are 错误 (a value kaohe could not use; the terminal says so)."""
    return sum(f.level == c.LEVEL_ERROR for f in findings)


def roster_names(tables) -> dict[str, str]:
    """工号 -> 姓名 of 员工名册 (for the 姓名 column of 问题清单)."""
    t = tables.get(c.ROSTER.key)
    if t is None:
        return {}
    return {e: n for e, n in zip(t.frame["emp"], t.frame["name"]) if e is not None and n is not None}


def with_people(findings, tables) -> list:
    """Findings with their 工号 filled in from the input row their cell points at (when they lack one)."""
    by_row = {}
    for t in tables.values():
        if "emp" in t.letters:
            by_row[t.sheet] = dict(zip(t.frame["row"], t.frame["emp"]))
    out = []
    for f in findings:
        m = re.fullmatch(r"[A-Z]{1,3}([0-9]+)", f.cell or "")
        emp = by_row.get(f.sheet, {}).get(int(m.group(1))) if m and not f.emp else None
        out.append(dataclasses.replace(f, emp=str(emp)) if emp else f)
    return out


def problems_of(findings, source: str, month: str, previous, tables):
    """问题清单 rows of one command (see :func:`kaohe.workbook.write.problems_spec`), with 工号 and 姓名."""
    return problems_spec(with_people(findings, tables), source, month, previous, roster_names(tables))


def book_problems(book: Path, tables, findings, source: str, month: str = ""):
    """问题清单 of a job on a workbook file: this command's rows for ``month`` replace its earlier ones."""
    return problems_of(findings, source, month, previous_problems(book), tables)


def attendance_specs(result: MonthResult, previous: list[list] | None = None, tables=None) -> list:
    """The month's sheets; ``previous`` is the 问题清单 as it stands (rows of other commands are kept)."""
    company = result.policy.company_name
    return [
        frame_spec(c.DAILY, result.daily, freeze="E2", highlights=[("旷工天数", "absent"), ("缺卡次数", "missing")],
                   **wide_print(company, f"{result.month} {c.DAILY.name}")),
        frame_spec(c.MONTHLY, result.monthly, total=True, freeze="C2", data_name=c.MONTHLY_DATA_NAME,
                   highlights=[("旷工天数", "absent"), ("缺卡次数", "missing")],
                   **wide_print(company, f"{result.month} {c.MONTHLY.name}")),
        frame_spec(c.LEAVE_CHECK, result.leave_check),
        problems_of(result.findings, c.SOURCE_MONTH, result.month, previous, tables or {}),
        grid_spec(result),
    ]


def compute_month_job(book: Path, month: str, out: Path | None = None, progress=None,
                      command: str = "compute-month") -> JobResult:
    """计算本月: the month's output sheets into ``book`` (in place, after a backup) or ``out``."""
    month = _month_or_refuse(month)
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取工作簿…")
        data = read_book(book, raw=close.CLOSE_SHEETS)
        state = close.refuse_if_closed(data.raw.get(c.CLOSE_LOG.name), month)
        say("计算考勤…")
        result = compute_month(data.tables, month)
        result.leave_check = close.keep_closed_leave(result.leave_check, data.raw.get)
        result.findings[:0] = data.findings
        result.summary["problems"] = len(result.findings)
        result.summary["errors"] = errors(result.findings)
        say("写入结果…")
        specs = attendance_specs(result, previous_problems(book), data.tables)
        specs += close.reopened_specs(state, data.raw.get, result.monthly)
        counts = (f"员工{result.summary['employees']}人; 问题{len(result.findings)}条; "
                  f"罚款{result.summary['fines']:.2f}元; 扣款{result.summary['deductions']:.2f}元; "
                  f"加班费{result.summary['overtime_pay']:.2f}元")
        specs.append(run_log_spec(book, command, month, data.fingerprint, counts))
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(result.findings), result.summary, result)


def leave_check(tables, findings, fallback_month: str, previous: list[list] | None = None, raw_rows=None):
    """校验请假 on read tables: every leave record (the month of the latest leave, else ``fallback_month``).

    Its 问题清单 rows have 来源 校验请假 and no 月份 (they cover every month); ``previous`` as in
    :func:`attendance_specs`. ``raw_rows(name)`` gives kaohe's close sheets: the rows of closed
    months stay as they were closed.
    """
    from kaohe.close import keep_closed_leave

    leave = tables.get(c.LEAVE.key)
    starts = pd.to_datetime(leave.frame["start"]).dropna() if leave is not None else pd.Series([], dtype=object)
    month = starts.max().strftime("%Y-%m") if len(starts) else fallback_month
    result = compute_month(tables, month, require_punches=False)
    if raw_rows is not None:
        result.leave_check = keep_closed_leave(result.leave_check, raw_rows)
    findings = findings + [f for f in result.findings if f.sheet in (c.LEAVE.name, c.RULES.name)]
    problems = problems_of(findings, c.SOURCE_LEAVE, "", previous, tables)
    return result, findings, [frame_spec(c.LEAVE_CHECK, result.leave_check), problems]


def check_leave_job(book: Path, out: Path | None = None, progress=None) -> JobResult:
    """校验请假: 请假校验 and 问题清单 for every leave record (all months)."""
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        say("读取工作簿…")
        data = read_book(book, raw=(c.CLOSE_LOG.name, c.FROZEN_LEAVE.name))
        # without a leave record the month only sets the calendar nothing is checked against: this month
        result, findings, specs = leave_check(data.tables, data.findings, f"{dt.date.today():%Y-%m}",
                                              previous_problems(book), data.raw.get)
        passed = int((result.leave_check["result"] == c.CHECK_PASS).sum()) if len(result.leave_check) else 0
        counts = f"请假{len(result.leave_check)}条; 通过{passed}条; 问题{len(findings)}条（错误{errors(findings)}条）"
        specs.append(run_log_spec(book, "check-leave", "", data.fingerprint, counts))
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(findings),
                     {"records": len(result.leave_check), "passed": passed, "errors": errors(findings)})


def rules_findings(found, family: str, general: bool = True) -> list:
    """The 规则 findings a KPI, review or import command lists: its rule family's and (``general``) unknown keys
    and bad values; the attendance compliance warnings belong to compute-month's 问题清单."""
    return [f for f in found if f.rule.startswith(family) or (general and f.code in (RULES_UNKNOWN_KEY, RULES_BAD_VALUE))]


def _read_people(book: Path, specs, required: c.InputSheet, rule_family: str, raw: tuple[str, ...] = (),
                 may_be_open: bool = False):
    """Read a KPI or review workbook: (data, findings, policy, roster). ``required`` must be there.

    Of the 规则 findings only this family's and the general ones (unknown key, bad value) are kept:
    the attendance compliance warnings do not belong in a KPI or review 问题清单.
    """
    data = read_book(book, specs, raw=raw, may_be_open=may_be_open)
    if not data.has(required) and required.name not in data.raw:
        raise missing_sheet(required.name, data.sheet_names)
    findings = list(data.findings)
    policy, found = load_policy(data.tables)
    findings += rules_findings(found, rule_family)
    roster, found = roster_frame(data.table(c.ROSTER))
    findings += found
    return data, findings, policy, roster


def compute_kpi(book: Path, month: str, notice_date: dt.date | None = None, may_be_open: bool = False):
    """Read a KPI workbook and score ``month``; returns (data, result, data table, rules table, policy)."""
    data, findings, policy, roster = _read_people(book, (c.ROSTER, c.RULES, c.KPI_RULES), c.KPI_DATA, "KPI",
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
    table = kpi_data_table(data.raw[c.KPI_DATA.name], names, findings)
    if c.KPI_IMPORT.name in data.raw:  # metrics imported from the shop software fill what KPI数据 leaves blank
        from kaohe.chitu import month_only

        imported = kpi_data_table(month_only(data.raw[c.KPI_IMPORT.name]), names, findings, c.KPI_IMPORT.name)
        table = kpi_engine.fill_from_import(table, imported, indicators)
    absent = [i.name for i in indicators if i.name not in table.letters and f"src:{i.name}" not in table.frame] + (
        [] if c.KPI_SELF in table.letters else [c.KPI_SELF])
    if absent:
        raise InputRefused(f"工作表“{c.KPI_DATA.name}”缺少列：{'、'.join(absent)}（可在KPI规则的“别名”列写明软件导出的表头）",
                           f"sheet '{c.KPI_DATA.name}' lacks columns: {', '.join(absent)}")
    history = kpi_sheets.history_table(data.raw.get(c.KPI_HISTORY.name, []))
    result = kpi_engine.score_month(roster, table, indicators, policy, month, notice_date, history, c.KPI_SELF)
    findings.extend(result.findings)
    result.findings = findings
    return data, result, table, rules, policy


def kpi_job(book: Path, month: str, notice_date: dt.date | None = None, out: Path | None = None,
            progress=None) -> JobResult:
    """生成KPI评分表: the live score sheet of ``month``, KPI历史, 月度通报 and 问题清单."""
    month = _month_or_refuse(month)
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
        data, findings, policy, roster = _read_people(
            book, (c.ROSTER, c.RULES, c.REVIEW_SCORES, c.ROLE_WEIGHTS, c.GRADES), c.REVIEW_SCORES, "REV")
        say("计算考核…")
        vocab, found = standard.terms_in_force(data.tables)  # 关系 synonyms, HR's included
        findings += found
        result = review_engine.review(data.tables, roster, policy, period, vocab)
        findings.extend(result.findings)
        name = (c.YEAR_PREFIX if result.annual else c.QUARTER_PREFIX) + result.period
        sheet = c.OutputSheet(name, c.YEAR_OUT if result.annual else c.QUARTER_OUT)
        specs = [frame_spec(sheet, result.rows, freeze="C2"),
                 book_problems(book, data.tables, findings, c.SOURCE_REVIEW, result.period)]
        counts = f"参加考核{result.summary['scored']}人; 问题{len(findings)}条"
        specs.append(run_log_spec(book, "review", result.period, data.fingerprint, counts))
        say("写入结果…")
        written, backup = save(book, out, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(findings), result.summary, result)


def log_step(book: Path, month: str, command: str, counts: str) -> None:
    """Append one row to 运行记录 of ``book`` (nothing else is written)."""
    from kaohe.workbook.read import check_file, fingerprint_file

    book = Path(book)
    with run_lock(book):
        check_file(book)
        save(book, None, [run_log_spec(book, command, month, fingerprint_file(book), counts)])


def import_job(book: Path, sources: list[Path], kind: str = "auto", progress=None, replace: bool = False) -> JobResult:
    """导入: punches into 打卡导入, 赤兔 metrics into KPI导入. Imports accumulate, one row set per source file
    (name and content fingerprint); ``replace`` clears the sheets first. Every file is read before anything
    is written: one that yields nothing refuses the whole import."""
    from kaohe import imports

    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        data = read_book(book, (c.ROSTER, c.IDENTITY, c.RULES, c.KPI_RULES),
                         raw=(c.IMPORTED.name, c.KPI_IMPORT.name, c.CLOSE_LOG.name))
        findings = list(data.findings)
        punches, metrics, kinds = _read_sources(data, sources, kind, findings, say)
        stored = [] if replace else imports.stored_punches(data.raw.get(c.IMPORTED.name))
        if punches and not metrics and not replace and imports.already_imported(stored, punches):
            # the same files again: nothing is written, no backup
            return JobResult(book, None, [], 0, {"punches": 0, "metrics": 0, "kinds": kinds, "unchanged": True})
        specs = _import_specs(data, stored, punches, metrics, replace, findings)
        specs.append(book_problems(book, data.tables, findings, c.SOURCE_IMPORT, ""))
        n_punches, n_metrics = sum(map(len, punches.values())), len(metrics)
        counts = f"打卡{n_punches}条; KPI指标{n_metrics}行; 来源{len(sources)}个({'、'.join(kinds)}); 问题{len(findings)}条"
        specs.append(run_log_spec(book, "import", "", data.fingerprint, counts))
        written, backup = save(book, None, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(findings),
                     {"punches": n_punches, "metrics": n_metrics, "kinds": kinds})


def indicator_names(tables, findings: list) -> dict[str, str]:
    """Header or 别名 -> KPI indicator, from KPI规则; its weights are checked against 规则's KPI满分 (KPI-01)."""
    policy, found = load_policy(tables)
    findings += rules_findings(found, "KPI", general=False)
    indicators, found = kpi_engine.indicators_from_rules(tables.get(c.KPI_RULES.key), policy)
    findings += found
    return {a: i.name for i in indicators for a in (i.name, *i.aliases)}


def _read_sources(data, sources: list[Path], kind: str, findings: list, say):
    """Every source file read and matched to 工号: (punches by (file, digest), 赤兔 metrics, the kinds read)."""
    from kaohe import chitu, imports

    roster, found = roster_frame(data.table(c.ROSTER))
    findings += found
    maps = imports.identity_maps(roster, data.table(c.IDENTITY))
    names = indicator_names(data.tables, findings)
    punches, metrics, kinds = {}, [], []
    for source in map(Path, sources):
        say(f"读取 {source.name}…")
        report = chitu.read_chitu(source, names) if kind in ("auto", "chitu") and source.is_file() \
            and source.suffix.lower() != ".dat" else None
        src = report or imports.read_source(source, kind)
        kinds.append(src.kind)
        if report:
            rows, found = chitu.resolve_metrics(src, maps)
            metrics += rows
        else:
            rows, found = imports.resolve(src, maps)
            rows, closed = close.keep_out_closed(rows, data.raw.get(c.CLOSE_LOG.name))
            punches[(source.name, src.digest)] = rows
            found += closed
        findings += found
    return punches, metrics, kinds


def _import_specs(data, stored: list, punches: dict, metrics: list, replace: bool, findings: list) -> list:
    """打卡导入 (the stored punches with the new files') and KPI导入 (likewise), for what was imported."""
    from kaohe import chitu, imports

    specs = []
    if punches:
        merged = imports.merge_sources(stored, punches)
        specs.append(frame_spec(c.IMPORTED_OUT, pd.DataFrame(merged, columns=["emp", "ts", "source", "digest", "workday"]),
                                landscape=False))
    if metrics:
        kept = [] if replace else chitu.stored_metrics(data.raw.get(c.KPI_IMPORT.name))
        spec, found = chitu.kpi_import_spec(kept, metrics)
        specs.append(spec)
        findings += found
    return specs


def reconcile_job(book: Path, external: Path, month: str, progress=None) -> JobResult:
    """核对: kaohe's month beside DingTalk's or WeCom's statistics, per person and measure."""
    from kaohe import reconcile

    month = _month_or_refuse(month)
    book = Path(book)
    with run_lock(book):
        data = read_book(book, c.ATTENDANCE_INPUTS + (c.IDENTITY,))
        result = compute_month(data.tables, month)
        names, rows, title_rows = reconcile.read_external(Path(external))
        frame, findings = reconcile.reconcile(names, rows, title_rows, result,
                                              roster_frame(data.table(c.ROSTER))[0],
                                              data.table(c.IDENTITY), Path(external))
        findings = data.findings + findings
        specs = [frame_spec(c.RECONCILE, frame),
                 book_problems(book, data.tables, findings, c.SOURCE_RECONCILE, month)]
        differing = int((frame["diff"] != 0).sum()) if len(frame) else 0
        counts = f"核对{len(frame)}项; 不一致{differing}项; 问题{len(findings)}条"
        specs.append(run_log_spec(book, "reconcile", month, data.fingerprint, counts))
        written, backup = save(book, None, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(findings), {"items": len(frame), "differing": differing})
