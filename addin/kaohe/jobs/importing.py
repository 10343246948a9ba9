"""导入 and 核对: clock, DingTalk, WeCom and 赤兔 files into a workbook; kaohe's month beside an app's statistics."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from kaohe import imports
from kaohe.imports.identity import identity_maps, resolve
from kaohe.imports.stored import already_imported, merge_sources, stored_punches
from kaohe.engine import kpi as kpi_engine
from kaohe.engine.month import compute_month, load_policy, roster_frame
from kaohe.imports import chitu, reconcile
from kaohe.jobs import close
from kaohe.jobs.common import book_problems, rules_findings
from kaohe.jobs.outcome import JobResult
from kaohe.periods import month_or_refuse
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook.read import read_book
from kaohe.workbook.write import frame_spec, roster_ids, run_log_spec, save


def import_job(book: Path, sources: list[Path], kind: str = "auto", progress=None, replace: bool = False) -> JobResult:
    """导入: punches into 打卡导入, 赤兔 metrics into KPI导入. Imports accumulate, one row set per source file
    (name and content fingerprint); ``replace`` clears the sheets first. Every file is read before anything
    is written: one that yields nothing refuses the whole import."""
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book):
        data = read_book(book, (c.ROSTER, c.IDENTITY, c.RULES, c.KPI_RULES),
                         raw=(c.IMPORTED.name, c.KPI_IMPORT.name, c.CLOSE_LOG.name))
        punches, metrics, kinds, found = _read_sources(data, sources, kind, say)
        findings = [*data.findings, *found]
        stored = [] if replace else stored_punches(data.raw.get(c.IMPORTED.name))
        if punches and not metrics and not replace and already_imported(stored, punches):
            # the same files again: nothing is written, no backup
            return JobResult(book, None, [], 0, {"punches": 0, "metrics": 0, "kinds": kinds, "unchanged": True})
        specs, found = _import_specs(data, stored, punches, metrics, replace)
        findings += found
        specs.append(book_problems(book, data.tables, findings, c.SOURCE_IMPORT, ""))
        n_punches, n_metrics = sum(map(len, punches.values())), len(metrics)
        counts = f"打卡{n_punches}条; KPI指标{n_metrics}行; 来源{len(sources)}个({'、'.join(kinds)}); 问题{len(findings)}条"
        specs.append(run_log_spec(book, "import", "", data.fingerprint, counts))
        written, backup = save(book, None, specs, ids=roster_ids(data.tables))
    return JobResult(written, backup, [s.name for s in specs], len(findings),
                     {"punches": n_punches, "metrics": n_metrics, "kinds": kinds})


def indicator_names(tables) -> tuple[dict[str, str], list]:
    """Header or 别名 -> KPI indicator, from KPI规则; its weights are checked against 规则's KPI满分 (KPI-01)."""
    policy, found = load_policy(tables)
    findings = rules_findings(found, "KPI")
    indicators, found = kpi_engine.indicators_from_rules(tables.get(c.KPI_RULES.key), policy)
    return {a: i.name for i in indicators for a in (i.name, *i.aliases)}, findings + found


def _read_sources(data, sources: list[Path], kind: str, say):
    """Every source file read and matched to 工号: (punches by (file, digest), 赤兔 metrics, the kinds read,
    the findings)."""
    roster, findings = roster_frame(data.table(c.ROSTER))
    maps = identity_maps(roster, data.table(c.IDENTITY))
    names, found = indicator_names(data.tables)
    findings += found
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
            rows, found = resolve(src, maps)
            rows, closed = close.keep_out_closed(rows, data.raw.get(c.CLOSE_LOG.name))
            punches[(source.name, src.digest)] = rows
            found += closed
        findings += found
    return punches, metrics, kinds, findings


def _import_specs(data, stored: list, punches: dict, metrics: list, replace: bool) -> tuple[list, list]:
    """打卡导入 (the stored punches with the new files') and KPI导入 (likewise), for what was imported; and the
    findings of merging the metrics."""
    specs, findings = [], []
    if punches:
        merged = merge_sources(stored, punches)
        frame = pd.DataFrame(merged, columns=["emp", "ts", "source", "digest", "workday", "kind"])
        frame["kind"] = frame["kind"].where(frame["kind"] != "", None)  # a clock punch: 类型 left empty
        specs.append(frame_spec(c.IMPORTED_OUT, frame, landscape=False))
    if metrics:
        kept = [] if replace else chitu.stored_metrics(data.raw.get(c.KPI_IMPORT.name))
        spec, findings = chitu.kpi_import_spec(kept, metrics)
        specs.append(spec)
    return specs, findings


def reconcile_job(book: Path, external: Path, month: str, progress=None) -> JobResult:
    """核对: kaohe's month beside DingTalk's or WeCom's statistics, per person and measure."""
    month = month_or_refuse(month)
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

