"""计算本月: one month of attendance, leave and overtime into the output frames.

:func:`month_context` settles what every stage reads — the month, the policy (规则), the
value words (HR's synonyms), the standardised input tables (keyed by role, :mod:`kaohe.tables`),
the calendar (节假日) and the money items (kaohe.policy.items) — into a frozen :class:`MonthContext`.
Then the month is the declared tuple ``STAGES``, run in this order (stage: the frames it makes):

    roster_stage          roster                          员工名册, one row per 工号
    schedule_stage        days, sessions                  day grid and scheduled sessions (ATT-01/02/07/08/09)
    punches_stage         punches, assigned, punched, presence, makeups, changed   clock punches by working date
                          and session; 补卡审批 (approved exceptions) and 管理员修改 punches apart
    overtime_stage        overtime                        加班申请 hours, pay, 调休 accrual (OT-01..05)
    leave_stage           leave, leave_checks             请假记录 validated and counted, each check (LV-01..12)
    coverage_stage        covered                         sessions with their leave, 打卡异常 and 补卡 (ATT-18's cap)
    session_rules_stage   evaluated                       ATT-04..07 on every session
    penalties_stage       judged                          each event judged by the 罚则 table (ATT-14..ATT-19)
    proxy_stage           proxy                           代打卡 per employee and date
    ledger_stage          charges, day_records, notes     the ledger: every money and day effect (engine.ledger)
    days_stage            employed_daily                  the days inside employment
    summary_stage         monthly, leave_check, daily     月度汇总, 请假校验, 每日明细

Each stage is ``stage(ctx, made) -> (new frames, findings)``: it reads the context and the
read-only mapping of the frames the stages before it made, and returns its own new frames
by name and its findings. No stage changes a frame or list it was given. :func:`compute_month`
runs them in order, keeps the findings in stage order and builds the :class:`MonthResult`
from ``daily``, ``monthly``, ``leave_check``, ``evaluated``, the ledger and the leave checks.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from kaohe import policy as pol, terms
from kaohe.calendar import Calendar
from kaohe.engine import attendance, flexible, inputs, leave as lv, leave_sheet, overtime, pay, penalties, standard, statutory
from kaohe.engine.ledger import Ledger
from kaohe.engine.result import MonthResult
from kaohe.engine.schedule import build_days
from kaohe.findings import Finding
from kaohe.periods import month_bounds
from kaohe.policy import items as money_items, law, penalties as pt
from kaohe.policy.leave_table import LeaveTable
from kaohe.tables import Table
from kaohe.policy.catalog import article
from kaohe.values import normal_id


@dataclass(frozen=True)
class MonthContext:
    """What every stage may read: the month, the policy and calendar in force, the standardised tables."""

    month: str
    first: dt.date
    last: dt.date
    policy: pol.Policy
    calendar: Calendar
    tables: Mapping[str, Table]  # by role; read-only
    items: money_items.Registry
    leave_table: LeaveTable  # the 假别 table in force (LV-25): its types, how each is counted, paid, checked
    penalties: pt.PenaltyTable = field(default_factory=pt.default_table)  # 罚则 in force (ATT-14)


Made = Mapping[str, pd.DataFrame]  # the frames the stages before made, by name (read-only)
StageResult = tuple[dict[str, pd.DataFrame], list[Finding]]
Stage = Callable[[MonthContext, Made], StageResult]


def load_policy(tables: Mapping[str, Table]) -> tuple[pol.Policy, list[Finding]]:
    rules = tables["rules"]
    if not rules.present:
        return pol.DEFAULT, pol.compliance_findings(pol.DEFAULT, rules.sheet)
    rows = [(rules.cell("value", r), k, v) for r, k, v in zip(rules.frame["row"], rules.frame["key"], rules.frame["value"])]
    return pol.policy_from_rows(rows, rules.sheet)


def calendar_of(tables: Mapping[str, Table], policy: pol.Policy) -> tuple[Calendar, list[Finding]]:
    """The calendar in force: the policy's rest weekday and the 节假日 rows (ATT-08); bad rows reported."""
    overrides: dict = {}
    findings: list[Finding] = []
    t = tables.get("holidays")
    for r in (t.frame.itertuples(index=False) if t is not None else ()):
        assert t is not None
        if r.date is None:
            if r.kind is not None and t.cell("date", r.row) not in t.bad:  # unreadable: reported by the reader
                findings.append(Finding(t.sheet, t.cell("date", r.row), f"{r.kind}没有日期", "忽略此行", "ATT-08", article("ATT-08"),
                                        code="holidays.no_date"))
            continue
        if r.kind not in terms.HOLIDAY_SHEET_TYPES:
            findings.append(Finding(t.sheet, t.cell("kind", r.row), f"类型“{r.kind or ''}”无效（应为 "
                                    f"{'/'.join(terms.HOLIDAY_SHEET_TYPES)}）", "忽略此行", "ATT-08", article("ATT-08"),
                                    code="holidays.bad_type"))
            continue
        overrides[r.date] = (r.kind, r.label or "")
    return Calendar(policy.rest_weekday, overrides), findings


def roster_frame(t: Table) -> tuple[pd.DataFrame, list[Finding]]:
    """员工名册 as the engine uses it (one row per 工号, defaults filled in), and its problems."""
    f, findings = t.frame, []
    ok = f["emp"].notna()
    for row in f.loc[~ok, "row"]:
        findings.append(Finding(t.sheet, t.cell("emp", row), "工号为空", "忽略此行", code="roster.no_id"))
    f = f[ok]
    dup = f["emp"].map(normal_id).duplicated()  # 103 and １０３ are one 工号 (kaohe.engine.inputs)
    for r in f[dup].itertuples(index=False):
        findings.append(Finding(t.sheet, t.cell("emp", r.row), f"工号“{r.emp}”重复", "只用第一行", code="roster.duplicate"))
    f = f[~dup].copy()
    for r in f[f["hired"].isna()].itertuples(index=False):
        findings.append(Finding(t.sheet, t.cell("hired", r.row), "入职日期为空或无效", "按整月在职计算", "ATT-09", article("ATT-09"),
                                code="roster.no_hire_date"))
    for r in f[f["base_wage"].isna()].itertuples(index=False):
        findings.append(Finding(t.sheet, t.cell("base_wage", r.row), "岗位基本工资为空或无效", "按0计算扣款和加班费", "PAY-01",
                                code="roster.no_wage"))
    bad_sys = f["hours_system"].notna() & ~f["hours_system"].isin([terms.STANDARD_HOURS, terms.COMPREHENSIVE_HOURS])
    for r in f[bad_sys].itertuples(index=False):
        findings.append(Finding(t.sheet, t.cell("hours_system", r.row), f"工时制“{r.hours_system}”无效", "按标准工时计算",
                                    "ATT-01", article("ATT-01"), code="roster.bad_hours_system"))
    f["comprehensive"] = f["hours_system"] == terms.COMPREHENSIVE_HOURS
    f["base_wage"] = pd.to_numeric(f["base_wage"], errors="coerce").fillna(0.0).astype(float)
    f["name"] = f["name"].fillna("")
    f["dept"] = f["dept"].fillna("")
    return f.reset_index(drop=True), findings


def punch_frame(t: Table, roster: pd.DataFrame, first: dt.date | None = None,
                last: dt.date | None = None) -> tuple[pd.DataFrame, list[Finding]]:
    """The punches (emp, ts, kind, workday) of a punch table for people on the roster, once each; bad rows
    reported, and unknown 工号 with their punches between ``first`` and ``last`` (all when not given). ``kind``
    is 补卡审批 or 管理员修改 for punches a system made or changed (打卡导入.类型, 打卡记录.设备), else '';
    ``workday`` is 打卡导入's 归属日期 (NaT where the punch belongs to the date the shift rules give it)."""
    f, findings = t.frame, []
    if "ts" in t.letters:
        ts = f["ts"]
        ts_field = "ts"
    else:
        ts = [dt.datetime.combine(d, tm) if d is not None and tm is not None else None
              for d, tm in zip(f["date"], f["time"])]
        ts_field = "time"
    ts = pd.to_datetime(ts) if isinstance(ts, pd.Series) else pd.to_datetime(pd.Series(ts, dtype=object))
    marks = f["kind"] if "kind" in f else f["device"] if "device" in f else pd.Series(None, index=f.index)
    workday = pd.to_datetime(f["workday"]) if "workday" in f else pd.Series(pd.NaT, index=f.index)
    p = pd.DataFrame({"emp": f["emp"], "ts": ts, "row": f["row"],
                      "kind": marks.where(marks.isin(terms.PUNCH_KINDS), "").fillna(""), "workday": workday})
    bad = p["emp"].isna() | p["ts"].isna()
    for r in p[bad].itertuples(index=False):
        field_ = "emp" if r.emp is None or pd.isna(r.emp) else ts_field
        if field_ == "time" and (f.loc[f["row"] == r.row, "date"].isna().any()):
            field_ = "date"
        if t.cell(field_, r.row) not in t.bad:
            findings.append(Finding(t.sheet, t.cell(field_, r.row), "工号或打卡时间缺失", "忽略此行", "ATT-03", article("ATT-03"),
                                    code="punches.incomplete"))
    p = p[~bad]
    known = p["emp"].isin(roster["emp"])
    findings += _unknown_punch_ids(t, p[~known], roster, first, last)
    p = once_each(p[known])
    return p[["emp", "ts", "kind", "workday"]].reset_index(drop=True), findings


def once_each(p: pd.DataFrame) -> pd.DataFrame:
    """The same punch (工号 and time) once, in its first order: the clock's before one a system made at that
    time, then one with its 归属日期 before one without."""
    rank = pd.DataFrame({"made": p["kind"] != "", "undated": p["workday"].isna()}, index=p.index)
    first = p.loc[rank.sort_values(["made", "undated"], kind="stable").index]
    return first.drop_duplicates(["emp", "ts"]).sort_index()


def _unknown_punch_ids(t: Table, p: pd.DataFrame, roster: pd.DataFrame, first, last) -> list[Finding]:
    """ATT-03: a finding per 工号 not on the roster, with its count of punches in the month."""
    if first is not None:
        p = p[(p["ts"] >= pd.Timestamp(first)) & (p["ts"] < pd.Timestamp(last) + pd.Timedelta(days=1))]
    if p.empty:
        return []
    unknown = p.groupby("emp", sort=True).agg(n=("row", "size"), row=("row", "min"))
    return [Finding(t.sheet, t.cell("emp", r["row"]), f"{terms.unknown_id(emp, roster['emp'])}（{r['n']}条打卡）",
                    "这些打卡未计入", "ATT-03", article("ATT-03"), emp=emp, code="punches.unknown_id")
            for emp, r in unknown.iterrows()]


def month_context(tables: Mapping[str, Table], month: str,
                  policy: pol.Policy | None = None) -> tuple[MonthContext, list[Finding]]:
    """The context the stages read, and what settling it found (规则, 假别, synonyms, value columns, 节假日)."""
    first, last = month_bounds(month)
    findings: list[Finding] = []
    loaded = policy is None
    if policy is None:
        policy, findings = load_policy(tables)
    leave_table, policy, found_leave = leave_sheet.leave_table_of(tables, policy)
    if loaded:  # the law's floors checked on the figures in force: the 假别 sheet's where it gives them (LV-23)
        findings = leave_sheet.law_in_force(findings, tables, policy, leave_table)
    findings = [*findings, *found_leave]
    vocab, found_terms = standard.terms_in_force(tables, leave_table)
    tables, found_values = standard.standardised(tables, vocab)
    calendar, found_days = calendar_of(tables, policy)
    findings = [*findings, *found_terms, *found_values, *found_days]
    if calendar.is_provisional(first.year):
        holidays = tables["holidays"].sheet
        findings.append(Finding(holidays, "", f"{first.year}年国务院放假通知尚无数据：法定节假日按规则推算，"
                                "调休和补班未知（暂定）", f"请在{holidays}表中按通知补全", "ATT-08", article("ATT-08"),
                                terms.LEVEL_WARNING, code="holidays.provisional"))
    table, found = penalties.table_of(tables, policy)  # 罚则 (ATT-14); its 全勤奖 and LV-26's items join the registry
    items = pt.with_bonus(money_items.registry().with_items(leave_table.items()), table)
    return MonthContext(month, first, last, policy, calendar, MappingProxyType(dict(tables)), items, leave_table, table), \
        [*findings, *found]


# --- the stages ------------------------------------------------------------------------------

def roster_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``roster``: 员工名册, one row per 工号; its own 工作地 values checked (LV-22, LV-23)."""
    t = ctx.tables["roster"]
    roster, findings = roster_frame(t)
    regions = [(t.cell("work_region", r.row), r.emp, r.work_region) for r in roster.itertuples()] \
        if "work_region" in roster else []
    skip, quotas = leave_sheet.roster_law(ctx.tables, ctx.leave_table, t.sheet)
    return {"roster": roster}, findings + law.roster_regions(regions, ctx.policy.work_region, ctx.policy, t.sheet,
                                                              skip, quotas)


def schedule_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``days`` (the day grid inside employment) and ``sessions`` (every scheduled session), ATT-01/02/07/08/09."""
    rota, shifts = ctx.tables["rota"], ctx.tables["shifts"]
    days, sessions, unknown = build_days(made["roster"], ctx.first, ctx.last, ctx.calendar, ctx.policy,
                                         rota.frame, shifts.frame)
    findings = [Finding(rota.sheet, rota.cell("shift", r.row), f"班次“{r.shift}”在{shifts.sheet}表中不存在",
                        "当天按休息日处理", rule="ATT-02", article=article("ATT-02"),
                        code="rota.unknown_shift") for r in unknown.itertuples(index=False)]
    return {"days": days, "sessions": sessions}, findings + flexible.shift_findings(shifts)  # ATT-12, ATT-13


def punches_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``punches`` (the clock punches of 打卡记录 and 打卡导入, the same punch once), ``assigned`` (with working
    date and session), ``punched`` (first and last punch of each session), ``presence`` (first and last punch
    of each day), ``makeups`` (补卡审批: not clock punches but approved exceptions, ATT-05, with their
    session) and ``changed`` (管理员修改: punches like any other, named in 说明)."""
    roster, imported = made["roster"], ctx.tables["imported"]
    punches, findings = punch_frame(ctx.tables["punches"], roster, ctx.first, ctx.last)
    if imported.present:  # punches brought in by kaohe import: the same punch counts once
        more, found = punch_frame(imported, roster, ctx.first, ctx.last)
        punches = once_each(pd.concat([punches, more], ignore_index=True)).reset_index(drop=True)
        findings = findings + found
    makeup = punches["kind"] == terms.PUNCH_MAKEUP
    changed = punches.loc[punches["kind"] == terms.PUNCH_ADMIN, ["emp", "ts"]]
    makeups = attendance.assign_punches(punches[makeup], made["sessions"], ctx.policy)
    punches = punches[~makeup].drop(columns="kind").reset_index(drop=True)
    assigned = attendance.assign_punches(punches, made["sessions"], ctx.policy)
    punched = attendance.session_punches(assigned, ctx.policy)
    presence = punched.groupby(["emp", "date"], as_index=False).agg(first=("first", "min"), last=("last", "max"))
    return {"punches": punches, "assigned": assigned, "punched": punched, "presence": presence,
            "makeups": makeups, "changed": changed}, findings


def overtime_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``overtime``: every 加班申请 record with its hours, pay, note and 调休 accrual (OT-01..OT-05)."""
    t, days, punches = ctx.tables["overtime"], made["days"], made["punches"]
    ot_days = days[days["emp"].isin(t.frame["emp"])]
    day_types = {(e, d): k for e, d, k in zip(ot_days["emp"], ot_days["date"], ot_days["day_type"])}

    def day_type(emp, day):
        return day_types.get((emp, day)) or ctx.calendar.day_type(day.date())

    span = (punches["ts"].min().normalize(), punches["ts"].max().normalize()) if len(punches) else None
    spans = overtime.presence_spans(made["assigned"], t.frame, ctx.policy)
    ot, findings = overtime.evaluate(t, made["roster"], day_type, spans, span, ctx.policy)
    return {"overtime": ot}, findings


def leave_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``leave``: every 请假记录 record validated, counted and split at its balance (LV-01..LV-12);
    ``leave_checks``: each check of each record (its result, rule and note)."""
    t, roster = ctx.tables["leave"], made["roster"]
    counter = pay.DayCounter(t.frame, roster, ctx.calendar, ctx.policy, ctx.first, ctx.last,
                             ctx.tables["rota"].frame, ctx.tables["shifts"].frame, ctx.leave_table)
    accrual = overtime.time_off_accrual(made["overtime"])
    records, checks, findings = lv.validate(t, roster, counter.count, accrual, ctx.policy, counter, ctx.leave_table)
    return {"leave": records, "leave_checks": checks}, findings


def coverage_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``covered``: the sessions with the leave covering each (``leave``, ``leave_index``), paper attendance
    and approved 打卡异常 (``exc_in``, ``exc_out``; ATT-05)."""
    records, days = made["leave"], made["days"]
    sessions = made["sessions"].merge(days[["emp", "date", "paper"]], on=["emp", "date"], how="left")
    if len(records):  # hours inside the day (哺乳时间, 产前检查) excuse part of a session; 哺乳时间 covers none whole
        hours, excused = statutory.hour_types(ctx.leave_table)
        sessions = attendance.excuse_hours(sessions, attendance.leave_spans(records, hours, excused))
        records = records[~records["counted_as"].isin(hours)]
    cover = lv.coverage(sessions, records)
    sessions["leave_index"] = cover
    sessions["leave"] = records["counted_as"].reindex(cover.to_numpy()).to_numpy() if len(records) else None
    sessions["leave"] = sessions["leave"].where(cover.notna().to_numpy(), None)
    covered, findings = attendance.mark_exceptions(sessions, ctx.tables["exceptions"], made["makeups"])
    return {"covered": penalties.cap_makeups(covered, ctx.penalties)}, findings


def session_rules_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``evaluated``: ATT-04..ATT-07 applied to every session, with its 说明; ATT-06 and ATT-10 warnings."""
    evaluated = attendance.evaluate_sessions(made["covered"], made["punched"], ctx.policy)
    punches, sheet = made["punches"], ctx.tables["punches"].sheet
    findings = [*attendance.no_punch_all_month(evaluated, punches, made["roster"], ctx.first, ctx.last, sheet),
                *attendance.punches_end_early(evaluated, punches, ctx.first, ctx.last, sheet),
                *attendance.leave_with_punches(evaluated, made["leave"], ctx.tables["leave"])]
    return {"evaluated": evaluated}, findings


def proxy_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``proxy``: the 代打卡记录 of the month counted per employee and date (ATT-07)."""
    t, roster = ctx.tables["proxy"], made["roster"]
    proxy = t.frame.dropna(subset=["emp", "date"])
    proxy = proxy.assign(date=pd.to_datetime(proxy["date"]))
    proxy = proxy[(proxy["date"] >= pd.Timestamp(ctx.first)) & (proxy["date"] <= pd.Timestamp(ctx.last))]
    findings = [Finding(t.sheet, t.cell("emp", r.row), f"工号“{r.emp}”不在员工名册中", "忽略此行", "ATT-07", article("ATT-07"),
                        code="proxy.unknown_id")
                for r in proxy[~proxy["emp"].isin(roster["emp"])].itertuples(index=False)]
    return {"proxy": proxy.groupby(["emp", "date"]).size().rename("proxy").reset_index()}, findings


def ledger_of(made: Made) -> Ledger:
    return Ledger(made["charges"], made["day_records"], made["notes"])


def ledger_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``charges``, ``day_records`` and ``notes``: the month's ledger, every rule's money and day effects
    on the days inside employment (kaohe.engine.ledger)."""
    ledger = pay.build_ledger(made["days"], made["evaluated"], made["overtime"], made["proxy"], made["roster"],
                              made["leave"], ctx.items, ctx.policy, ctx.first, ctx.last, made["changed"], ctx.leave_table,
                              made["judged"], ctx.penalties)
    return {"charges": ledger.charges, "day_records": ledger.days, "notes": ledger.notes}, []


def days_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``employed_daily``: one row per employee and date inside employment (每日明细's computed days)."""
    daily = pay.daily_frame(made["days"], made["evaluated"], ledger_of(made), made["roster"], ctx.items, ctx.policy)
    daily = attendance.show_rest_day_punches(daily, made["assigned"], ctx.policy)
    findings = overtime.rest_day_work(made["days"], made["presence"], made["overtime"], ctx.tables["punches"].sheet)
    return {"employed_daily": daily}, findings


def summary_stage(ctx: MonthContext, made: Made) -> StageResult:
    """``monthly`` (月度汇总), ``leave_check`` (请假校验) and ``daily`` (每日明细, every date of the month)."""
    roster, records = made["roster"], made["leave"]
    monthly = pay.monthly_frame(made["employed_daily"], ledger_of(made), roster, ctx.items, ctx.policy,
                                ctx.leave_table.names)
    leave_check = pay.leave_check_frame(records, made["leave_checks"], roster, ctx.tables["leave"])
    daily = pay.with_days_outside_employment(made["employed_daily"], roster, ctx.calendar, ctx.first, ctx.last)
    return {"monthly": monthly, "leave_check": leave_check, "daily": daily}, \
        pay.over_legal_limit(monthly, ctx.tables["overtime"])


STAGES: tuple[Stage, ...] = (roster_stage, schedule_stage, punches_stage, overtime_stage, leave_stage, coverage_stage,
                             session_rules_stage, penalties.penalties_stage, proxy_stage, ledger_stage, days_stage, summary_stage)


def compute_month(tables: dict[str, Table], month: str, policy: pol.Policy | None = None,
                  require_punches: bool = True, this_month: bool = True) -> MonthResult:
    """Compute one month from the input tables (by role: "roster", "punches" …): the rows read as meant
    (kaohe.engine.inputs: ids, dates without a year), the context, then STAGES.

    Raises :class:`InputRefused` for a month without a single punch unless ``require_punches`` is
    off (校验请假 validates leave records whatever the punches). ``this_month``: findings about rows
    of other months are left out (校验请假 covers every month and keeps them).
    """
    first, last = month_bounds(month)
    tables, read_as_meant = inputs.same_ids(tables)
    tables, found = inputs.with_years(tables, month, first)
    if require_punches:
        inputs.refuse_month_without_punches(tables, month, first, last)
    ctx, findings = month_context(tables, month, policy)
    findings = [*read_as_meant, *found, *findings]
    made: dict[str, pd.DataFrame] = {}
    for stage in STAGES:
        new, found = stage(ctx, MappingProxyType(made))
        made, findings = {**made, **new}, findings + found
    findings = standard.drop_repeats(findings)
    if this_month:
        findings = inputs.about_month(findings, ctx.tables, first, last)
    return MonthResult(month, made["daily"], made["monthly"], made["leave_check"], tuple(findings), ctx.policy, ctx.items,
                       ledger_of(made), made["leave_checks"], penalties.flagged(made["evaluated"], made["judged"], ctx.penalties),
                       ctx.leave_table.summary_types,
                       ctx.leave_table)
