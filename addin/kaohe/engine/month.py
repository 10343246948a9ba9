"""计算本月: one month of attendance, leave and overtime into the output frames.

The stages run in this order, each ``(frames, policy) -> (frames, findings)``:

    STAGES = prepare roster → calendar → day grid → punches → overtime → leave validation
             → leave and exception coverage → session rules → days → month summary

Input is every attendance table keyed by its role (:mod:`kaohe.tables`); output is a
:class:`MonthResult` with engine-field frames the workbook layer turns into sheets.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kaohe import policy as pol, terms
from kaohe.calendar import Calendar
from kaohe.engine import attendance, leave as lv, overtime, pay, standard
from kaohe.engine.schedule import build_days
from kaohe.findings import Finding, InputRefused
from kaohe.periods import month_bounds
from kaohe.tables import Table


@dataclass
class MonthResult:
    month: str
    daily: pd.DataFrame
    monthly: pd.DataFrame
    leave_check: pd.DataFrame
    findings: list[Finding]
    policy: pol.Policy
    summary: dict = field(default_factory=dict)
    sessions: pd.DataFrame | None = None  # every scheduled half day, evaluated (for the 考勤表 grid)


def parse_month(text: str) -> tuple[dt.date, dt.date]:
    """The first and last date of a month (any spelling kaohe.periods accepts)."""
    return month_bounds(text)


def load_policy(tables: dict[str, Table]) -> tuple[pol.Policy, list[Finding]]:
    rules = tables["rules"]
    if not rules.present:
        return pol.DEFAULT, pol.compliance_findings(pol.DEFAULT, rules.sheet)
    rows = [(rules.cell("value", r), k, v) for r, k, v in zip(rules.frame["row"], rules.frame["key"], rules.frame["value"])]
    return pol.policy_from_rows(rows, rules.sheet)


def load_calendar(tables: dict[str, Table], policy: pol.Policy, findings: list[Finding]) -> Calendar:
    overrides = {}
    t = tables.get("holidays")
    if t is not None:
        for r in t.frame.itertuples(index=False):
            if r.date is None:
                continue
            if r.kind not in terms.HOLIDAY_SHEET_TYPES:
                findings.append(Finding(t.sheet, t.cell("kind", r.row), f"类型“{r.kind or ''}”无效（应为 "
                                        f"{'/'.join(terms.HOLIDAY_SHEET_TYPES)}）", "忽略此行", "ATT-08", "第十四条"))
                continue
            overrides[r.date] = (r.kind, r.label or "")
    return Calendar(policy.rest_weekday, overrides)


def prepare_roster(t: Table, findings: list[Finding]) -> pd.DataFrame:
    f = t.frame
    ok = f["emp"].notna()
    for row in f.loc[~ok, "row"]:
        findings.append(Finding(t.sheet, t.cell("emp", row), "工号为空", "忽略此行"))
    f = f[ok]
    dup = f["emp"].duplicated()
    for r in f[dup].itertuples(index=False):
        findings.append(Finding(t.sheet, t.cell("emp", r.row), f"工号“{r.emp}”重复", "只用第一行"))
    f = f[~dup].copy()
    for r in f[f["hired"].isna()].itertuples(index=False):
        findings.append(Finding(t.sheet, t.cell("hired", r.row), "入职日期为空或无效", "按整月在职计算", "ATT-09", "第十五条"))
    for r in f[f["base_wage"].isna()].itertuples(index=False):
        findings.append(Finding(t.sheet, t.cell("base_wage", r.row), "岗位基本工资为空或无效", "按0计算扣款和加班费", "PAY-01"))
    bad_sys = f["hours_system"].notna() & ~f["hours_system"].isin([terms.STANDARD_HOURS, terms.COMPREHENSIVE_HOURS])
    for r in f[bad_sys].itertuples(index=False):
        findings.append(Finding(t.sheet, t.cell("hours_system", r.row), f"工时制“{r.hours_system}”无效", "按标准工时计算", "ATT-01", "第四条"))
    f["comprehensive"] = f["hours_system"] == terms.COMPREHENSIVE_HOURS
    f["base_wage"] = pd.to_numeric(f["base_wage"], errors="coerce").fillna(0.0).astype(float)
    f["name"] = f["name"].fillna("")
    f["dept"] = f["dept"].fillna("")
    return f.reset_index(drop=True)


def prepare_punches(t: Table, roster: pd.DataFrame, findings: list[Finding]) -> pd.DataFrame:
    f = t.frame
    if "ts" in t.letters:
        ts = f["ts"]
        ts_field = "ts"
    else:
        ts = [dt.datetime.combine(d, tm) if d is not None and tm is not None else None
              for d, tm in zip(f["date"], f["time"])]
        ts_field = "time"
    ts = pd.to_datetime(ts) if isinstance(ts, pd.Series) else pd.to_datetime(pd.Series(ts, dtype=object))
    p = pd.DataFrame({"emp": f["emp"], "ts": ts, "row": f["row"]})
    bad = p["emp"].isna() | p["ts"].isna()
    for r in p[bad].itertuples(index=False):
        field_ = "emp" if r.emp is None or pd.isna(r.emp) else ts_field
        if field_ == "time" and (f.loc[f["row"] == r.row, "date"].isna().any()):
            field_ = "date"
        if t.cell(field_, r.row) not in t.bad:
            findings.append(Finding(t.sheet, t.cell(field_, r.row), "工号或打卡时间缺失", "忽略此行", "ATT-03", "第十八条"))
    p = p[~bad]
    known = p["emp"].isin(roster["emp"])
    if (~known).any():
        unknown = p[~known].groupby("emp", sort=True).agg(n=("row", "size"), row=("row", "min"))
        for emp, r in unknown.iterrows():
            findings.append(Finding(t.sheet, t.cell("emp", r["row"]), f"{terms.unknown_id(emp, roster['emp'])}（{r['n']}条打卡）",
                                    "这些打卡未计入", "ATT-03", "第十八条", emp=emp))
    p = p[known].drop_duplicates(["emp", "ts"])
    return p[["emp", "ts"]].reset_index(drop=True)


def punch_dates(tables: dict[str, Table]) -> pd.Series:
    """The date of every punch in 打卡记录 and 打卡导入 (whoever it is for)."""
    parts = []
    for key in ("punches", "imported"):
        t = tables.get(key)
        if t is not None and t.present:
            parts.append(pd.to_datetime(t.frame["ts" if "ts" in t.letters else "date"], errors="coerce"))
    return pd.concat(parts, ignore_index=True).dropna().dt.normalize() if parts else pd.Series([], dtype="datetime64[ns]")


def refuse_month_without_punches(tables: dict[str, Table], month: str, first: dt.date, last: dt.date) -> None:
    """A month with no punch for anyone is a typo or a missing import, never a month of total absence."""
    dates = punch_dates(tables)
    if ((dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))).any():
        return
    have = (f"已有 {dates.min():%Y-%m-%d} 至 {dates.max():%Y-%m-%d}" if len(dates) else "两表都没有打卡")
    have_en = (f"they cover {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "there are none")
    punched, imported = tables["punches"].sheet, tables["imported"].sheet
    raise InputRefused(f"{punched}和{imported}中没有 {month} 的打卡（{have}）",
                       f"no punches for {month} in {punched} or {imported} ({have_en}); nothing written")


def compute_month(tables: dict[str, Table], month: str, policy: pol.Policy | None = None,
                  require_punches: bool = True) -> MonthResult:
    """Compute one month from the input tables (by role: "roster", "punches" …).

    Raises :class:`InputRefused` for a month without a single punch unless ``require_punches`` is
    off (校验请假 validates leave records whatever the punches).
    """
    first, last = parse_month(month)
    if require_punches:
        refuse_month_without_punches(tables, month, first, last)
    findings: list[Finding] = []
    if policy is None:
        policy, found = load_policy(tables)
        findings.extend(found)
    tables = standard.standardise(tables, standard.vocabulary(tables, findings), findings)
    get = tables.__getitem__  # every attendance input, by role (absent sheets are empty tables)
    calendar = load_calendar(tables, policy, findings)
    if calendar.is_provisional(first.year):
        findings.append(Finding(get("holidays").sheet, "", f"{first.year}年国务院放假通知尚无数据：法定节假日按规则推算，"
                                "调休和补班未知（暂定）", "请在节假日表中按通知补全", "ATT-08", "第十四条", terms.LEVEL_WARNING))
    roster_t = get("roster")
    roster = prepare_roster(roster_t, findings)
    rota_t, shifts_t = get("rota"), get("shifts")
    days, sessions = build_days(roster, first, last, calendar, policy, rota_t.frame, shifts_t.frame, findings,
                                lambda row: rota_t.cell("shift", row), rota_t.sheet)
    punches = prepare_punches(get("punches"), roster, findings)
    if get("imported").present:  # punches brought in by kaohe import: the same punch counts once
        imported = prepare_punches(get("imported"), roster, findings)
        punches = pd.concat([punches, imported], ignore_index=True).drop_duplicates(["emp", "ts"])
    assigned = attendance.assign_punches(punches, sessions, policy)
    punched = attendance.session_punches(assigned, policy)
    presence = punched.groupby(["emp", "date"], as_index=False).agg(first=("first", "min"), last=("last", "max"))
    span = (punches["ts"].min().normalize(), punches["ts"].max().normalize()) if len(punches) else None

    ot_t = get("overtime")
    ot_days = days[days["emp"].isin(ot_t.frame["emp"])]
    day_types = {(e, d): t for e, d, t in zip(ot_days["emp"], ot_days["date"], ot_days["day_type"])}

    def day_type(emp, day):
        return day_types.get((emp, day)) or calendar.day_type(day.date())

    spans = overtime.presence_spans(assigned, ot_t.frame, policy)
    ot, found, accrual = overtime.evaluate(ot_t, roster, day_type, spans, span, policy)
    findings.extend(found)

    leave_t = get("leave")
    counter = pay.DayCounter(leave_t.frame, roster, calendar, policy, first, last, rota_t.frame, shifts_t.frame)
    records, found = lv.validate(leave_t, roster, counter.count, accrual, policy, counter)
    findings.extend(found)

    sessions = sessions.merge(days[["emp", "date", "paper"]], on=["emp", "date"], how="left")
    cover = lv.coverage(sessions, records)
    sessions["leave_index"] = cover
    sessions["leave"] = records["counted_as"].reindex(cover.to_numpy()).to_numpy() if len(records) else None
    sessions["leave"] = sessions["leave"].where(cover.notna().to_numpy(), None)
    sessions = _exceptions(sessions, get("exceptions"), findings)
    evaluated = attendance.evaluate_sessions(sessions, punched, policy)
    evaluated["note"] = attendance.describe_sessions(evaluated, policy)
    punch_sheet = get("punches").sheet
    _no_punch_all_month(evaluated, punches, roster, first, last, punch_sheet, findings)
    _punches_end_early(evaluated, punches, first, last, punch_sheet, findings)
    _leave_with_punches(evaluated, records, leave_t, findings)

    proxy_t = get("proxy")
    proxy = proxy_t.frame.dropna(subset=["emp", "date"])
    proxy = proxy.assign(date=pd.to_datetime(proxy["date"]))
    proxy = proxy[(proxy["date"] >= pd.Timestamp(first)) & (proxy["date"] <= pd.Timestamp(last))]
    for r in proxy[~proxy["emp"].isin(roster["emp"])].itertuples(index=False):
        findings.append(Finding(proxy_t.sheet, proxy_t.cell("emp", r.row), f"工号“{r.emp}”不在员工名册中", "忽略此行", "ATT-07", "第十七条"))
    proxy_counts = proxy.groupby(["emp", "date"]).size().rename("proxy").reset_index()

    daily = pay.daily_frame(days, evaluated, ot, proxy_counts, roster, records, policy, first, last)
    attendance.show_rest_day_punches(daily, assigned, policy)
    _rest_day_work(daily, days, presence, ot, punch_sheet, findings)
    monthly = pay.monthly_frame(daily, evaluated, records, ot, roster, counter, policy, first, last)
    findings.extend(pay.over_legal_limit(monthly, ot_t))
    leave_check = pay.leave_check_frame(records, roster, leave_t)
    daily = pay.with_days_outside_employment(daily, roster, calendar, first, last)
    summary = {
        "employees": int(len(monthly)),
        "fines": float(monthly[["late_fine", "missing_fine", "proxy_fine"]].to_numpy().sum()),
        "deductions": float(monthly[["absence_deduction", "personal_deduction", "sick_deduction"]].to_numpy().sum()),
        "overtime_pay": float(monthly["ot_pay"].sum()),
        "problems": len(findings),
    }
    findings = standard.drop_repeats(findings)
    summary["problems"] = len(findings)
    return MonthResult(month, daily, monthly, leave_check, findings, policy, summary, evaluated)


def _no_punch_all_month(s: pd.DataFrame, punches: pd.DataFrame, roster: pd.DataFrame, first: dt.date, last: dt.date,
                        sheet: str, findings: list[Finding]) -> None:
    """整月无打卡: someone due to work without a single punch in a month where others punched (a 警告)."""
    due = set(s.loc[s["leave"].isna() & ~s["paper"].astype(bool), "emp"])
    in_month = punches[(punches["ts"] >= pd.Timestamp(first)) & (punches["ts"] < pd.Timestamp(last) + pd.Timedelta(days=1))]
    names = dict(zip(roster["emp"], roster["name"]))
    for emp in sorted(due - set(in_month["emp"])):
        findings.append(Finding(sheet, "", f"{names.get(emp) or ''}（{emp}）整月无打卡",
                                "应出勤的日子按旷工计算；请核对工号和打卡是否导入", "ATT-06", "第二十三条",
                                terms.LEVEL_WARNING, emp))


def _punches_end_early(s: pd.DataFrame, punches: pd.DataFrame, first: dt.date, last: dt.date, sheet: str,
                       findings: list[Finding]) -> None:
    """Punch data that stops before the month does (an import not yet done, a month not yet over): the
    workdays after the last punch of anyone count as absence, so say so as a 警告, never silently."""
    ts = punches["ts"]
    ts = ts[(ts >= pd.Timestamp(first)) & (ts < pd.Timestamp(last) + pd.Timedelta(days=1))]
    if ts.empty:
        return
    end = ts.max().normalize()
    dates = pd.to_datetime(s["date"])
    due = dates[(dates > end) & s["leave"].isna().to_numpy() & ~s["paper"].astype(bool).to_numpy()].unique()
    if len(due):
        findings.append(Finding(sheet, "", f"打卡数据只到 {end:%m-%d}，其后 {len(due)} 个应出勤日"
                                f"（{min(due):%m-%d} 起）无人打卡", "这些日子按旷工计算；如打卡尚未导入完，请导入后再计算",
                                "ATT-06", "第二十三条", terms.LEVEL_WARNING))


def _exceptions(sessions: pd.DataFrame, t: Table, findings: list[Finding]) -> pd.DataFrame:
    """Approved 打卡异常 rows mark a slot as punched on time (ATT-05, 第二十条)."""
    sessions = sessions.assign(exc_in=False, exc_out=False)
    f = t.frame.dropna(subset=["emp", "date"])
    slots = {terms.SLOT_AM_IN: (1, "exc_in"), terms.SLOT_AM_OUT: (1, "exc_out"),
             terms.SLOT_PM_IN: (2, "exc_in"), terms.SLOT_PM_OUT: (2, "exc_out")}
    marks = []
    for r in f.itertuples(index=False):
        if r.slot not in slots:
            findings.append(Finding(t.sheet, t.cell("slot", r.row), f"时段“{r.slot or ''}”无效（应为 {'/'.join(terms.SLOTS)}）",
                                    "忽略此行", "ATT-05", "第二十条"))
            continue
        if r.status not in (terms.APPROVED, terms.APPROVED_AFTER):
            findings.append(Finding(t.sheet, t.cell("status", r.row), f"打卡异常未批准（{r.status or '未填'}）",
                                    "按缺卡处理", "ATT-05", "第二十条", terms.LEVEL_WARNING))
            continue
        sess, edge = slots[r.slot]
        marks.append((r.emp, pd.Timestamp(r.date), sess, edge))
    for edge in ("exc_in", "exc_out"):
        keys = pd.DataFrame([(e, d, s) for e, d, s, g in marks if g == edge], columns=["emp", "date", "sess"])
        if len(keys):
            hit = sessions[["emp", "date", "sess"]].merge(keys.drop_duplicates(), how="left", indicator=True)
            sessions[edge] = (hit["_merge"] == "both").to_numpy()
    return sessions


def _leave_with_punches(s: pd.DataFrame, records: pd.DataFrame, t: Table, findings: list[Finding]) -> None:
    """ATT-10: punches inside approved leave without 销假: reported, and the dates stay leave."""
    hit = s[s["leave"].notna() & (s["n"].fillna(0) > 0)]
    for idx, group in hit.groupby("leave_index"):
        r = records.loc[idx]
        if r["cut_by_return"]:
            continue
        dates = "、".join(sorted({f"{d:%m-%d}" for d in group["date"]}))
        findings.append(Finding(t.sheet, t.cell("returned", r["row"]), f"请假期间（{dates}）有打卡，但没有销假记录",
                                "仍按请假计算；如已提前返岗请填写销假日期", "ATT-10", "第二十四条", terms.LEVEL_WARNING))


def _rest_day_work(daily: pd.DataFrame, days: pd.DataFrame, presence: pd.DataFrame, ot: pd.DataFrame, sheet: str,
                   findings: list[Finding]) -> None:
    """OT-01: work on a day off without approved overtime is not overtime (reported)."""
    off = days[~days["workday"]][["emp", "date"]]
    worked = off.merge(presence, on=["emp", "date"])
    approved = set(zip(ot.loc[ot["hours"] > 0, "emp"], ot.loc[ot["hours"] > 0, "date"]))
    for r in worked.itertuples(index=False):
        if (r.emp, r.date) not in approved and r.last > r.first:
            findings.append(Finding(sheet, "", f"工号{r.emp} {r.date:%Y-%m-%d}（休息日）有打卡 "
                                    f"{r.first:%H:%M}–{r.last:%H:%M}，但没有批准的加班申请", "不计加班",
                                    "OT-01", "第十条", terms.LEVEL_INFO))
