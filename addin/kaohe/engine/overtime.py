"""Overtime: approval, hours actually worked, time off or pay (OT-01..OT-05).

Articles: 第七条..第十三条; 劳动法 第四十四条 for the multipliers.

Decisions (docs/规则说明.md):
    - Approved = 部门领导审批 and 分管副总审批 both given (non-empty, not 否); or, in an
      emergency, 总经理审批 given together with a written 说明 (第十条).
    - Hours = the approved window ∩ presence, rounded down to the step. Presence is shown by
      the punches of the working date, split as ATT-11 splits a day (at the middle of the break;
      a day off at the middle of the standard break): first to last punch, except that when
      each half has an in and an out, the break between the morning's last punch and the
      afternoon's first is not presence (a holiday worked 09:00–17:00 with a lunch break).
      A date outside the punch data the workbook holds (earlier
      months HR no longer keeps) counts the approved window, said in the note.
    - 补偿方式 blank means 调休 (time off first, 第九条). 加班小时 counts all approved hours;
      加班费 only the paid ones. The holiday rate applies to 法定节假日 only; the other days off
      of the notice are rest days.
    - LV-09: approved time-off overtime worked on a rest day or holiday accrues 调休 hours.
"""
from __future__ import annotations

import math

import pandas as pd

from kaohe import terms
from kaohe.findings import Finding
from kaohe.policy import KEY_OF, Policy
from kaohe.tables import Table
from kaohe.policy.catalog import article

OFF_TYPES = (terms.DAY_REST, terms.DAY_SWAPPED_REST, terms.DAY_HOLIDAY)


def _given(value) -> bool:
    """An approval given before the work: only an approval word (or the approver's name), standardised
    by kaohe.terms; pending, refused, after-the-fact and anything unrecognised are not approval."""
    return value == terms.APPROVED


def _written(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and str(value).strip() != ""


# OT-03: the policy field of the multiplier of each day type (the holiday rate on 法定节假日 only).
MULTIPLIER_FIELDS = {terms.DAY_HOLIDAY: "overtime_multiplier_holiday", terms.DAY_REST: "overtime_multiplier_rest_day",
                     terms.DAY_SWAPPED_REST: "overtime_multiplier_rest_day"}


def multiplier_field(day_type: str) -> str:
    return MULTIPLIER_FIELDS.get(day_type, "overtime_multiplier_workday")


def multiplier(day_type: str, policy: Policy) -> float:
    return getattr(policy, multiplier_field(day_type))


def hourly_wage(base: float, policy: Policy) -> float:
    """PAY-01: daily = base / 21.75; hourly = daily / 8."""
    return base / policy.monthly_workdays / policy.hours_per_day


def overtime_pay(hours: float, base: float, day_type: str, policy: Policy) -> float:
    """OT-03: hours × hourly wage × the day type's multiplier (unrounded); compute-month and OTPAY call this."""
    return hours * hourly_wage(base, policy) * multiplier(day_type, policy)


def presence_spans(assigned: pd.DataFrame, ot: pd.DataFrame, policy: Policy) -> dict[tuple, list[tuple]]:
    """OT-02: the spans of presence shown by punches, per (emp, working date) of an overtime record.

    ``assigned`` holds punches with their working ``date`` and session (attendance.assign_punches).
    The day splits as ATT-11 splits it (a date without sessions at the middle of the standard
    break); when both halves have an in and an out, the break between them is not presence."""
    wanted = assigned["emp"].isin(ot["emp"]) & assigned["date"].isin(pd.to_datetime(ot["date"]))
    p = assigned[wanted]
    split = p["date"] + (_clock(policy.am_end) + _clock(policy.pm_start)) / 2
    morning = (p["sess"] == 1) | ((p["sess"] == 0) & (p["ts"] < split))
    window = pd.Timedelta(seconds=policy.duplicate_punch_seconds)
    out = {}
    for key, g in p.assign(morning=morning).groupby(["emp", "date"]):
        halves = [g.loc[g["morning"] == m, "ts"] for m in (True, False)]
        if all(len(h) and h.max() - h.min() >= window for h in halves):
            out[key] = [(h.min(), h.max()) for h in halves]
        else:
            out[key] = [(g["ts"].min(), g["ts"].max())]
    return out


def _clock(t) -> pd.Timedelta:
    return pd.Timedelta(hours=t.hour, minutes=t.minute)


def _worked(start: pd.Timestamp, end: pd.Timestamp, spans: list[tuple]) -> tuple[float, str]:
    """Hours of the approved window inside the spans of presence, and the punches as the note says them."""
    hours = sum(max(0.0, (min(end, b) - max(start, a)).total_seconds() / 3600) for a, b in spans)
    return hours, "、".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in spans)


# ``detail``: the facts 每日明细 explains a record with, under ``rule`` (its article from the 规则 parameter
# ``source`` or the catalog; kaohe.engine.notes adds it); ``hourly`` × ``multiplier`` is a paid hour's rate.
COLUMNS = ["emp", "date", "hours", "pay", "paid", "detail", "rule", "source", "hourly", "multiplier", "row", "accrues"]


def evaluate(t: Table, roster: pd.DataFrame, day_type, presence: dict[tuple, list[tuple]],
             punch_span: tuple[pd.Timestamp, pd.Timestamp] | None, policy: Policy) -> tuple[pd.DataFrame, list[Finding]]:
    """Every overtime record of ``t`` with its hours, pay, note and whether it accrues 调休 (``accrues``,
    see :func:`time_off_accrual`); and the findings.

    ``day_type(emp, day)`` is the day's type for that person; ``presence`` is :func:`presence_spans`;
    ``punch_span`` the first and last date of the punch data (None: no punches)."""
    info = roster.set_index("emp")
    rows, findings = [], []
    for r in t.frame.itertuples(index=False):
        out = {"emp": r.emp, "date": pd.Timestamp(r.date) if r.date else pd.NaT, "hours": 0.0, "pay": 0.0,
               "paid": False, "detail": "", "rule": "", "source": "", "hourly": 0.0, "multiplier": 0.0, "row": r.row,
               "accrues": False}
        refused = _refusal(r, info, t)
        if refused is not None:
            (rule, detail), found = refused
            rows.append({**out, "rule": rule, "detail": detail})
            findings += found
            continue
        person = info.loc[r.emp]
        if str(person.get("production") or "") == terms.NO:
            findings.append(Finding(t.sheet, t.cell("emp", r.row), "非生产线人员一般不安排加班", "照常计算，请核对",
                                    "OT-05", article("OT-05"), terms.LEVEL_WARNING, code="overtime.not_production"))
        rows.append({**out, **_counted(r, person, day_type, presence, punch_span, policy)})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])  # datetime64 even with no rows (merged on 'date' later)
    return frame, findings


def time_off_accrual(ot: pd.DataFrame) -> dict[str, list[tuple[pd.Timestamp, float]]]:
    """LV-09: per employee, the (date, hours) of approved time-off overtime worked on a day off."""
    accrues = ot[ot["accrues"].astype(bool)]
    return {emp: list(zip(g["date"], g["hours"])) for emp, g in accrues.groupby("emp", sort=False)}


def _refusal(r, info: pd.DataFrame, t: Table) -> tuple[tuple[str, str], list[Finding]] | None:
    """Why a record counts no overtime at all — its (rule, facts) for 每日明细 and its findings — or None for
    approved overtime."""
    cell = t.cell
    if r.emp not in info.index:
        return ("", ""), [Finding(t.sheet, cell("emp", r.row), terms.unknown_id(r.emp, info.index), "忽略此行", "OT-01",
                                  article("OT-01"), code="overtime.unknown_id")]
    if r.date is None or r.start is None or r.end is None:
        return ("", ""), [Finding(t.sheet, cell("date", r.row), "日期或起止时间缺失", "忽略此行", "OT-01", article("OT-01"),
                                  code="overtime.incomplete")]
    if r.kind not in terms.OT_KINDS:  # unrecognised 类型: reported when the values were read
        return ("OT-04", f"类型“{r.kind}”无法识别，不计加班"), []
    if r.kind in (terms.OT_KIND_TRAINING, terms.OT_KIND_WELFARE):
        return ("OT-04", f"{r.kind}不属于加班"), [
            Finding(t.sheet, cell("kind", r.row), f"{r.kind}不属于加班", "不计加班", "OT-04", article("OT-04"), terms.LEVEL_INFO,
                    code="overtime.not_overtime")]
    if not (_normal(r) or (_given(r.gm_ok) and _written(r.explanation))):
        return ("OT-01", "未经部门领导和分管副总书面审批，不计加班"), [
            Finding(t.sheet, cell("vp_ok", r.row), "加班未经部门领导和分管副总审批（或总经理特批并说明）",
                    "不计加班", "OT-01", article("OT-01"), terms.LEVEL_WARNING, code="overtime.not_approved")]
    return None


def _normal(r) -> bool:
    """OT-01: approved the normal way, by the department head and the vice president."""
    return _given(r.head_ok) and _given(r.vp_ok)


def _counted(r, person, day_type, presence, punch_span, policy: Policy) -> dict:
    """An approved record's hours, pay (or 调休) and note (OT-02, OT-03)."""
    day = pd.Timestamp(r.date)
    start = day + pd.Timedelta(hours=r.start.hour, minutes=r.start.minute)
    end = day + pd.Timedelta(hours=r.end.hour, minutes=r.end.minute)
    if end <= start:
        end += pd.Timedelta(days=1)
    worked, fact = _hours_shown(r.emp, day, start, end, presence, punch_span)
    hours = math.floor(worked / policy.overtime_step_hours + 1e-9) * policy.overtime_step_hours
    kind = day_type(r.emp, day)
    rate = multiplier(kind, policy)
    comp = r.comp if r.comp in terms.COMPENSATIONS else terms.COMP_TIME_OFF
    head = f"{'已审批' if _normal(r) else '紧急情况总经理特批'}, {fact}, 计{hours:g}小时"
    if comp == terms.COMP_PAY:
        base = float(person["base_wage"] or 0)
        hourly, pay = hourly_wage(base, policy), overtime_pay(hours, base, kind, policy)
        return {"hours": hours, "pay": pay, "paid": True, "rule": "OT-03",
                "source": KEY_OF[multiplier_field(kind)], "hourly": hourly, "multiplier": rate,
                "detail": f"{head}, {kind}{rate:g}倍, 加班费{pay:.2f}元"}
    return {"hours": hours, "rule": "OT-03", "detail": f"{head}, 安排调休", "accrues": kind in OFF_TYPES and hours > 0}


def _hours_shown(emp, day: pd.Timestamp, start: pd.Timestamp, end: pd.Timestamp, presence, punch_span):
    """The hours of the approved window the punches show (the whole window on a date outside the punch
    data), and the facts for the note."""
    if punch_span is not None and punch_span[0] <= day <= punch_span[1]:
        spans = presence.get((emp, day))
        worked, shown = _worked(start, end, spans) if spans else (0.0, "")
        return worked, f"审批 {start:%H:%M}–{end:%H:%M}, " + (f"打卡 {shown}" if spans else "当天无打卡")
    return (end - start).total_seconds() / 3600, f"审批 {start:%H:%M}–{end:%H:%M}, 无当月打卡数据, 按审批时段"


def rest_day_work(days: pd.DataFrame, presence: pd.DataFrame, ot: pd.DataFrame, sheet: str) -> list[Finding]:
    """OT-01: work on a day off without approved overtime is not overtime (reported)."""
    off = days[~days["workday"]][["emp", "date", "day_type"]]
    worked = off.merge(presence, on=["emp", "date"])
    approved = set(zip(ot.loc[ot["hours"] > 0, "emp"], ot.loc[ot["hours"] > 0, "date"]))
    return [Finding(sheet, "", f"工号{r.emp} {r.date:%Y-%m-%d}（{r.day_type}）有打卡 "
                    f"{r.first:%H:%M}–{r.last:%H:%M}，但没有批准的加班申请", "不计加班", "OT-01", article("OT-01"), terms.LEVEL_INFO,
                    code="overtime.rest_day_work")
            for r in worked.itertuples(index=False) if (r.emp, r.date) not in approved and r.last > r.first]
