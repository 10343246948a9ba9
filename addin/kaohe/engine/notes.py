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
from kaohe.engine.ledger import HOUR, Ledger, PART_LEAVE, positions
from kaohe.policy import KEY_OF, Policy
from kaohe.policy.catalog import cite
from kaohe.policy.items import Registry

SEP = "；"


def _cites(rules: pd.Series, sources: pd.Series) -> pd.Series:
    """The citation of each (rule, source) pair, each pair looked up once."""
    keys = pd.Series(list(zip(rules, sources)), index=rules.index, dtype=object)
    found = {k: cite(*k) for k in set(keys)}
    return pd.Series([found[k] for k in keys], index=rules.index, dtype=object)


def _mapped(values: pd.Series, how) -> pd.Series:
    """``how`` of each value, computed once per distinct value."""
    distinct = pd.unique(values)
    return values.map(pd.Series([how(v) for v in distinct], index=distinct, dtype=object)).astype(object)


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
    return head + fined.where(f["tier"] == 0, absent)


def _event_texts(f: pd.DataFrame, policy: Policy) -> pd.Series:
    """The text of each explained record (every event but leave, which is told per type and day)."""
    out = pd.Series("", index=f.index, dtype=object)
    c = _cites(f["rule"], f["source"])
    edge = f["event"].isin(["late", "early"])
    if edge.any():
        out[edge] = _edge(f[edge], policy)
    for event, text in (("missing_in", "上班缺卡, 罚款"), ("missing_out", "下班缺卡, 罚款")):
        m = f["event"] == event
        out[m] = c[m] + ": " + _session(f[m]) + text + _mapped(f.loc[m, "rate"], money_text) + "元"
    m = f["event"] == "no_punch"
    out[m] = c[m] + ": " + _session(f[m]) + "无打卡, 旷工" + _mapped(f.loc[m, "quantity"], days_text)
    for event, text in (("exc_in", "上班打卡异常已批准, 按正常打卡"), ("exc_out", "下班打卡异常已批准, 按正常打卡")):
        m = f["event"] == event
        out[m] = c[m] + ": " + _session(f[m]) + text
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


def _leave_by_type(days: pd.DataFrame, leave: pd.DataFrame) -> pd.DataFrame:
    """Leave per employed day and type, in the order of the day's sessions: position, kind, days, rule."""
    leave = leave.assign(pos=positions(days, leave))
    leave = leave[leave["pos"] >= 0]
    g = leave.groupby(["pos", "kind"], sort=False).agg(quantity=("quantity", "sum"), rule=("rule", "first"),
                                                       sess=("sess", "min")).reset_index()
    return g.sort_values(["pos", "sess"], kind="stable")


def leave_column(days: pd.DataFrame, leave: pd.DataFrame) -> np.ndarray:
    """每日明细's 请假: the types and days of leave on each day (``事假0.5天、病假0.5天``)."""
    out = np.full(len(days), "", dtype=object)
    g = _leave_by_type(days, leave)
    if len(g):
        text = g["kind"].astype(object) + _mapped(g["quantity"], lambda x: f"{x:g}") + "天"
        joined = text.groupby(g["pos"].to_numpy(), sort=False).agg("、".join)
        out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def day_notes(days: pd.DataFrame, ledger: Ledger, policy: Policy) -> np.ndarray:
    """每日明细's 说明 of every employed day (a row of ``days``): each event with its rule and the facts,
    in the order paper attendance, the sessions, the cap, leave, proxy punching, overtime."""
    told = pd.concat([ledger.charges[~ledger.charges["event"].isin(["absence", "leave_pay"])], ledger.notes],
                     ignore_index=True)
    told = told.assign(pos=positions(days, told))
    told = told[told["pos"] >= 0]
    parts = [pd.DataFrame({"pos": told["pos"], "part": told["part"], "sess": told["sess"], "sub": told["sub"],
                           "text": _event_texts(told.reset_index(drop=True), policy).to_numpy()})]
    leave = _leave_by_type(days, ledger.days[ledger.days["event"] == "leave"])
    if len(leave):
        text = (_cites(leave["rule"], pd.Series("", index=leave.index)) + ": 请假 " + leave["kind"].astype(object)
                + _mapped(leave["quantity"], lambda x: f"{x:g}") + "天")
        parts.append(pd.DataFrame({"pos": leave["pos"], "part": PART_LEAVE, "sess": leave["sess"], "sub": 0,
                                   "text": text.to_numpy()}))
    every = pd.concat(parts, ignore_index=True).sort_values(["pos", "part", "sess", "sub"], kind="stable")
    out = np.full(len(days), "", dtype=object)
    if len(every):
        joined = every["text"].groupby(every["pos"].to_numpy(), sort=False).agg(SEP.join)
        out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def not_employed(hired: str, left: str) -> str:
    """ATT-09: a date outside employment in 每日明细."""
    return f"{cite('ATT-09')}: 不在职（入职 {hired}" + (f"，离职 {left}" if left else "") + "）"


# --- 月度汇总's 依据 ----------------------------------------------------------------------------

def _rate_text(unit: str, rate: float, wage: float, factor: float) -> str:
    if wage != wage:  # a fixed rate of 规则 (a fine per time)
        return f"{money_text(rate)}元"
    base = f"{'时薪' if unit == HOUR else '日工资'}{wage:.2f}元"
    return base if factor == 1 else f"{base} × {factor:g}"


def _day_rules(days: pd.DataFrame, lines: pd.DataFrame, whats: pd.Series) -> pd.Series:
    """The citations of the day records an item's quantity counts (旷工 by ATT-04/ATT-06, 加班 by OT-02 …), other
    than the item's own rule: ``ATT-06 第二十三条, `` before ``PAY-02 第二十三条: 旷工…``."""
    named = days[days["rule"] != ""].drop_duplicates(["emp", "kind", "rule"])
    found: dict[tuple, list] = {}
    for emp, kind, rule, source in zip(named["emp"], named["kind"], named["rule"], named["source"]):
        found.setdefault((emp, kind), []).append((rule, source))
    out = []
    for emp, rule, kinds in zip(lines["emp"], lines["rule"], whats):
        cited = dict.fromkeys(cite(*r) for k in kinds for r in found.get((emp, k), ()) if r[0] != rule)
        out.append("、".join(cited) + ", " if cited else "")
    return pd.Series(out, index=lines.index, dtype=object)


def _item_lines(charges: pd.DataFrame, days: pd.DataFrame, items: Registry, hospital: pd.Series) -> pd.DataFrame:
    """One 依据 line per employee and item charged: what was counted, times the rate (emp, order, text)."""
    keys = ["emp", "item", "rule", "unit", "rate", "wage", "factor"]
    c = charges[charges["quantity"] > 0].fillna({"wage": -1.0, "factor": 1.0})
    g = c.groupby([*keys, "what"], sort=False, dropna=False)["quantity"].sum().reset_index()
    g["wage"] = g["wage"].where(g["wage"] >= 0)
    g["part"] = g["what"].astype(object) + _mapped(g["quantity"], lambda x: f"{x:g}") + g["unit"]
    seg = g.groupby(keys, sort=False, dropna=False)["part"].agg("、".join).reset_index()
    seg["text"] = seg["part"] + " × " + [_rate_text(*r) for r in zip(seg["unit"], seg["rate"], seg["wage"], seg["factor"])]
    sources = c.groupby(["emp", "item"], sort=False)["source"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "")
    lines = seg.groupby(["emp", "item", "rule"], sort=False)["text"].agg("、".join).reset_index()
    whats = g.groupby(["emp", "item"], sort=False)["what"].agg(list)
    pairs = pd.Series(list(zip(lines["emp"], lines["item"])), dtype=object)
    src = pairs.map(sources).fillna("")
    lines["text"] = _day_rules(days, lines, pairs.map(whats)) + _cites(lines["rule"], src) + ": " + lines["text"]
    extra = pd.Series(list(zip(lines["emp"], lines["item"])), dtype=object).map(hospital).fillna(0.0)
    lines["text"] += np.where(extra > 0, "（住院" + _mapped(extra, lambda x: f"{x:g}") + "天全额发放）", "")
    order = {f: i for i, f in enumerate(items.fields)}
    return pd.DataFrame({"emp": lines["emp"], "order": lines["item"].map(order), "text": lines["text"]})


def basis(monthly: pd.DataFrame, over: np.ndarray, ledger: Ledger, items: Registry, social_days: pd.Series,
          policy: Policy) -> np.ndarray:
    """月度汇总's 依据 of each employee: a line per item charged (its rule, what was counted, the rate) in the
    registry's order, then LV-11 where the month's leave makes the social insurance the employee's (``over``)."""
    days = ledger.days
    sick = days[days["hospital"].to_numpy(dtype=bool)]
    by_type = {i.leave_type: i.field for i in items.leave_items()}
    hospital = sick.assign(item=sick["kind"].map(by_type)).groupby(["emp", "item"])["quantity"].sum()
    lines = _item_lines(ledger.charges, ledger.days, items, hospital)
    if over.any():
        text = (cite("LV-11", KEY_OF["social_insurance_leave_days"]) + f": 本月{'、'.join(policy.social_insurance_leave_types)}共"
                + _mapped(social_days[over], lambda x: f"{x:g}") + f"天, 超过{policy.social_insurance_leave_days:g}天, 社保由本人承担")
        lines = pd.concat([lines, pd.DataFrame({"emp": monthly.loc[over, "emp"], "order": len(items), "text": text})])
    joined = lines.sort_values(["order"], kind="stable").groupby("emp", sort=False)["text"].agg(SEP.join)
    said = monthly["emp"].map(joined).astype(object)
    return said.where(said.notna(), "").to_numpy(dtype=object)


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
