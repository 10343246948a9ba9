"""The one renderer of kaohe's explanations: 每日明细's 说明, 月度汇总's 依据 and 请假校验's 说明 and 依据.

Every text is made here from typed records — the ledger (kaohe.engine.ledger) and the leave checks
(kaohe.engine.leave) — and every citation comes from the rule catalog (kaohe.policy.catalog.cite):
the article of the 规则 parameter a figure came from, else the catalog's. Nothing else writes a rule's
article, and nothing reads these texts back: code that needs a figure takes it from the records.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from kaohe.engine.attendance import SESSION_NAMES, tier_minutes
from kaohe.engine.ledger import HOUR, PART_LEAVE, DayIndex, Ledger
from kaohe.policy import KEY_OF, Policy
from kaohe.policy.catalog import cite
from kaohe.policy.items import Registry

SEP = "；"


def _cites(rules: pd.Series, sources: pd.Series) -> pd.Series:
    """The citation of each (rule, source) pair, each pair looked up once."""
    keys = rules.astype(object) + "\x1f" + sources.astype(object).to_numpy()
    distinct = pd.unique(keys)
    return keys.map(dict(zip(distinct, (cite(*k.split("\x1f")) for k in distinct)))).astype(object)


def _mapped(values: pd.Series, how) -> pd.Series:
    """``how`` of each value, computed once per distinct value."""
    distinct = pd.unique(values)
    return values.map(pd.Series([how(v) for v in distinct], index=distinct, dtype=object)).astype(object)


def joined_by(keys: np.ndarray, texts: np.ndarray, sep: str, size: int) -> np.ndarray:
    """``texts`` joined with ``sep`` per key (``keys``: positions 0..size-1, already in the order to say them:
    equal keys together); "" for a key without text."""
    out = np.full(size, "", dtype=object)
    if len(keys):
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[starts[1:], len(keys)]
        out[keys[starts]] = [sep.join(texts[a:b]) for a, b in zip(starts, ends)]
    return out


def days_text(x: float) -> str:
    return "1天" if x == 1 else "半天" if x == 0.5 else f"{x:g}天"


def money_text(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() else f"{x:.2f}"


def _session(f: pd.DataFrame) -> pd.Series:
    return _mapped(f["sess"], lambda s: SESSION_NAMES.get(s, f"时段{s}"))


def _edge(f: pd.DataFrame, policy: Policy) -> pd.Series:
    """ATT-04: a lateness or early leave, fined or counted as absence."""
    label = pd.Series(np.where(f["event"] == "late", "上班", "下班"), index=f.index, dtype=object)
    head = (_cites(f["rule"], f["source"]) + ": " + _session(f) + label + " " + f["at"].dt.strftime("%H:%M") + ", "
            + f["what"] + f["minutes"].astype(str) + "分钟, ")
    fined = "罚款" + _mapped(f["rate"], money_text) + "元"
    absent = (_mapped(f["tier"], lambda t: tier_minutes(int(t), policy) if t else "") + "按旷工"
              + _mapped(f["quantity"], days_text))
    told = head + fined.where(f["tier"] == 0, absent)
    return told.where(f["detail"] == "", head + f["detail"])  # a 罚则 sheet's row says its count and effect


def _table_texts(f: pd.DataFrame, c: pd.Series, out: pd.Series) -> None:
    """Into ``out``: missing punches, sessions without a punch, 补卡 and 全勤奖 — as 规则 says them, or with a 罚则
    sheet's row and count (``detail``: kaohe.engine.penalties)."""
    said = f["detail"] != ""
    for event, text in (("missing_in", "上班缺卡, 罚款"), ("missing_out", "下班缺卡, 罚款")):
        m = f["event"] == event
        out[m] = c[m] + ": " + _session(f[m]) + text + _mapped(f.loc[m, "rate"], money_text) + "元"
        out[m & said] = c[m & said] + ": " + _session(f[m & said]) + text[:4] + ", " + f.loc[m & said, "detail"]
    m = f["event"] == "no_punch"
    out[m] = c[m] + ": " + _session(f[m]) + "无打卡, " + f.loc[m, "detail"].where(
        ~said[m], "旷工" + _mapped(f.loc[m, "quantity"], days_text))
    for event, label in (("makeup_in", "上班补卡"), ("makeup_out", "下班补卡")):  # ATT-18
        m = f["event"] == event
        out[m] = c[m] + ": " + _session(f[m]) + label + ", " + f.loc[m, "detail"]
    m = f["event"].isin(["bonus", "bonus_lost"])  # ATT-19
    out[m] = c[m] + ": " + f.loc[m, "detail"]


def _event_texts(f: pd.DataFrame, policy: Policy) -> pd.Series:
    """The text of each explained record (every event but leave, which is told per type and day)."""
    out = pd.Series("", index=f.index, dtype=object)
    c = _cites(f["rule"], f["source"])
    edge = f["event"].isin(["late", "early"])
    if edge.any():
        out[edge] = _edge(f[edge], policy)
    _table_texts(f, c, out)
    for event, label in (("exc_in", "上班"), ("exc_out", "下班")):
        m = f["event"] == event
        made = f.loc[m, "at"]
        out[m] = c[m] + ": " + _session(f[m]) + label + np.where(
            made.notna(), " " + made.dt.strftime("%H:%M") + " 为补卡审批（非打卡）, 按已批准的打卡异常, 视为正常打卡",
            "打卡异常已批准, 按正常打卡")
    for event, label in (("changed_in", "上班"), ("changed_out", "下班")):
        m = f["event"] == event
        out[m] = c[m] + ": " + _session(f[m]) + label + " " + f.loc[m, "at"].dt.strftime("%H:%M") + " 为管理员修改的打卡, 按此时间计算"
    for event, label in (("late_leave", "晚走晚到："), ("flex", "弹性上班：")):  # ATT-13, ATT-12: the facts in detail
        m = f["event"] == event
        out[m] = c[m] + ": " + label + f.loc[m, "detail"]
    m = f["event"] == "excused"
    out[m] = c[m] + ": " + _session(f[m]) + f.loc[m, "what"] + _mapped(f.loc[m, "quantity"], lambda x: f"{x:g}") + "小时, 不计迟到早退"
    m = f["event"] == "paper"
    out[m] = c[m] + ": 入职第" + f.loc[m, "quantity"].astype(int).astype(str) + "天, 纸质考勤, 按出勤计"
    m = f["event"] == "cap"
    out[m] = c[m] + ": 旷工每天最多计" + _mapped(f.loc[m, "quantity"], lambda x: f"{x:g}") + "天"
    m = f["event"] == "proxy"
    out[m] = (c[m] + ": 代打卡" + f.loc[m, "quantity"].astype(int).astype(str) + "次, 罚款"
              + _mapped(f.loc[m, "amount"], lambda x: f"{x:g}") + "元")
    m = f["event"] == "overtime"
    step = cite("OT-02", KEY_OF["overtime_step_hours"]) + "/"
    out[m] = np.where(f.loc[m, "rule"] == "OT-03", step, "") + c[m] + ": " + f.loc[m, "detail"]
    return out


def _leave_by_type(days: DayIndex, leave: pd.DataFrame) -> pd.DataFrame:
    """Leave per employed day and type, in the order of the day's sessions: position, kind, days, rule."""
    leave = leave.assign(pos=days.positions(leave))
    leave = leave[leave["pos"] >= 0]
    g = leave.groupby(["pos", "kind"], sort=False).agg(quantity=("quantity", "sum"), rule=("rule", "first"),
                                                       sess=("sess", "min")).reset_index()
    return g.sort_values(["pos", "sess"], kind="stable")


def leave_column(days: DayIndex, leave: pd.DataFrame) -> np.ndarray:
    """每日明细's 请假: the types and days of leave on each day (``事假0.5天、病假0.5天``)."""
    g = _leave_by_type(days, leave)
    text = g["kind"].astype(object) + _mapped(g["quantity"], lambda x: f"{x:g}") + "天"
    return joined_by(g["pos"].to_numpy(), text.to_numpy(dtype=object), "、", days.size)


def _explained(days: DayIndex, ledger: Ledger, policy: Policy) -> pd.DataFrame:
    """Every explained event on a row of ``days`` as (pos, text), in the order a day tells them: paper attendance,
    the sessions, the cap, leave (per type), proxy punching, overtime."""
    told = pd.concat([ledger.charges[~ledger.charges["event"].isin(["absence", "leave_pay"])], ledger.notes],
                     ignore_index=True)
    told = told.assign(pos=days.positions(told))
    told = told[told["pos"] >= 0]
    parts = [pd.DataFrame({"pos": told["pos"], "part": told["part"], "sess": told["sess"], "sub": told["sub"],
                           "text": _event_texts(told.reset_index(drop=True), policy).to_numpy()})]
    leave = _leave_by_type(days, ledger.days[ledger.days["event"] == "leave"])
    if len(leave):
        text = (_cites(leave["rule"], pd.Series("", index=leave.index)) + ": 请假 " + leave["kind"].astype(object)
                + _mapped(leave["quantity"], lambda x: f"{x:g}") + "天")
        parts.append(pd.DataFrame({"pos": leave["pos"], "part": PART_LEAVE, "sess": leave["sess"], "sub": 0,
                                   "text": text.to_numpy()}))
    return pd.concat(parts, ignore_index=True).sort_values(["pos", "part", "sess", "sub"], kind="stable")


def day_notes(days: DayIndex, ledger: Ledger, policy: Policy) -> np.ndarray:
    """每日明细's 说明 of every employed day (a row of ``days``): each event with its rule and the facts."""
    every = _explained(days, ledger, policy)
    return joined_by(every["pos"].to_numpy(), every["text"].to_numpy(dtype=object), SEP, days.size)


def day_lines(daily: pd.DataFrame, ledger: Ledger, policy: Policy) -> list[list[str]]:
    """Each row of 每日明细's events as lines (the 个人考勤确认单 prints one a line): those of the ledger, and for a
    date outside employment its ATT-09 note."""
    out: list[list[str]] = [[] for _ in range(len(daily))]
    every = _explained(DayIndex(daily), ledger, policy)
    for pos, text in zip(every["pos"], every["text"]):
        out[pos].append(text)
    outside = ~daily["employed"].to_numpy(dtype=bool) if "employed" in daily else np.zeros(len(daily), dtype=bool)
    for pos in np.flatnonzero(outside):
        out[pos] = [daily["note"].iat[pos]] if daily["note"].iat[pos] else []
    return out


def not_employed(hired: str, left: str) -> str:
    """ATT-09: a date outside employment in 每日明细."""
    return f"{cite('ATT-09')}: 不在职（入职 {hired}" + (f"，离职 {left}" if left else "") + "）"


# --- 月度汇总's 依据 ----------------------------------------------------------------------------

def _rate_text(unit: str, rate: float, wage: float | None, factor: float) -> str:
    if wage is None:  # a fixed rate of 规则 (a fine per time)
        return f"{money_text(rate)}元"
    base = f"{'时薪' if unit == HOUR else '日工资'}{wage:.2f}元"
    return base if factor == 1 else f"{base} × {factor:g}"


CHARGE_FIELDS = ("emp", "item", "rule", "source", "unit", "rate", "wage", "factor", "what", "quantity")


def _item_groups(charges: pd.DataFrame) -> dict[tuple, dict[str, list]]:
    """(emp, item) -> {rule: [its sources, {(unit, rate, wage, factor): {what: quantity}}]} over the charges, in
    order (each charge under its own rule: a 罚则 row's, ATT-15 or ATT-17 …): one pass over a few thousand rows
    (a group-by per text would cost more than the month)."""
    c = charges[charges["quantity"].to_numpy() > 0]
    groups: dict[tuple, dict[str, list]] = {}
    columns = [c[k].to_numpy() for k in CHARGE_FIELDS]
    for emp, item, rule, source, unit, rate, wage, factor, what, quantity in zip(*columns):
        group = groups.setdefault((emp, item), {}).setdefault(rule, [[], {}])
        if source not in group[0]:
            group[0].append(source)
        whats = group[1].setdefault((unit, rate, -1.0 if wage != wage else wage, 1.0 if factor != factor else factor), {})
        whats[what] = whats.get(what, 0.0) + quantity
    return groups


def _day_rules(days: pd.DataFrame) -> dict[tuple, list]:
    """(emp, kind) -> the (rule, source) of its day records: 旷工 by ATT-04/ATT-06, 加班 by OT-02 …"""
    named = days[days["rule"] != ""].drop_duplicates(["emp", "kind", "rule"])
    found: dict[tuple, list] = {}
    for emp, kind, rule, source in zip(named["emp"], named["kind"], named["rule"], named["source"]):
        found.setdefault((emp, kind), []).append((rule, source))
    return found


def _item_line(by_rule: dict[str, list], day_rules: list, hospital: float) -> str:
    """One item's 依据: the rules of the days it counts, then each rule its charges were made under with what was
    counted under it times the rate (``ATT-15 罚则表: 迟到2次 × 50元，ATT-17 …``)."""
    said = []
    for rule, (sources, segments) in by_rule.items():
        counted = "、".join("、".join(f"{what}{q:g}{unit}" for what, q in whats.items()) + " × "
                           + _rate_text(unit, rate, None if wage < 0 else wage, factor)
                           for (unit, rate, wage, factor), whats in segments.items())
        said.append(f"{cite(rule, sources[0] if len(sources) == 1 else '')}: {counted}")
    days = dict.fromkeys(cite(*r) for r in day_rules if r[0] not in by_rule)
    head = "、".join(days) + ", " if days else ""
    return head + "，".join(said) + (f"（住院{hospital:g}天全额发放）" if hospital else "")


def item_texts(ledger: Ledger, items: Registry) -> dict[tuple[str, str], str]:
    """(emp, item field) -> that item's 依据 line: the rules of the days it counts, its own rule, what was counted
    times the rate (月度汇总's 依据 and the 个人考勤确认单's money lines)."""
    days = ledger.days
    sick = days[days["hospital"].to_numpy(dtype=bool)]
    by_type = {i.leave_type: i.field for i in items.leave_items()}
    hospital = sick.assign(item=sick["kind"].map(by_type)).groupby(["emp", "item"])["quantity"].sum().to_dict()
    groups, day_rules, out = _item_groups(ledger.charges), _day_rules(days), {}
    for (emp, field), by_rule in groups.items():
        whats = dict.fromkeys(w for _, segments in by_rule.values() for segment in segments.values() for w in segment)
        rules = [r for what in whats for r in day_rules.get((emp, what), ())]
        out[(emp, field)] = _item_line(by_rule, rules, hospital.get((emp, field), 0.0))
    return out


def basis(monthly: pd.DataFrame, over: np.ndarray, ledger: Ledger, items: Registry, social_days: pd.Series,
          policy: Policy) -> np.ndarray:
    """月度汇总's 依据 of each employee: a line per item charged (its rule, what was counted, the rate) in the
    registry's order, then LV-11 where the month's leave makes the social insurance the employee's (``over``)."""
    texts = item_texts(ledger, items)
    social = (cite("LV-11", KEY_OF["social_insurance_leave_days"]) + f": 本月{'、'.join(policy.social_insurance_leave_types)}共"
              + "{:g}" + f"天, 超过{policy.social_insurance_leave_days:g}天, 社保由本人承担")
    out = []
    for emp, days_, flag in zip(monthly["emp"], social_days, over):
        lines = [texts[(emp, i.field)] for i in items if (emp, i.field) in texts]
        out.append(SEP.join(lines + ([social.format(days_)] if flag else [])))
    return np.array(out, dtype=object)


# --- 请假校验 ---------------------------------------------------------------------------------

def check_line(rule: str, note: str) -> str:
    """One leave check as 请假校验 and LEAVECHECK say it: ``LV-03 第三十条: 事假4天须提前3天申请…``."""
    return f"{cite(rule)}: {note}"


def check_texts(index: pd.Index, entries: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """请假校验's 说明 and 依据 of each record (``index``) from its check entries (record, rule, note, and the
    record's type rules as ``rule`` rows with an empty note): every check said, each rule named once."""
    said = entries[entries["note"] != ""]
    text = pd.Series([check_line(r, n) for r, n in zip(said["rule"], said["note"])], index=said.index, dtype=object)
    notes = text.groupby(said["record"].to_numpy(), sort=False).agg(SEP.join)
    named = entries[entries["rule"] != ""]
    rules = named.groupby("record", sort=False)["rule"].agg(lambda r: " ".join(dict.fromkeys(r)))
    note, named_rules = pd.Series(index.map(notes), dtype=object), pd.Series(index.map(rules), dtype=object)
    return (note.where(note.notna(), "符合规定").to_numpy(dtype=object),
            named_rules.where(named_rules.notna(), "").to_numpy(dtype=object))
