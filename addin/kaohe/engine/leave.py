"""Leave requests: validation across time, and what each approved record covers (LV-01..LV-12, ATT-10).

Articles: 第二十二/二十三条 (approval), 第二十四条 (销假), 第二十五条 (社保自理), 第二十六条
(proof), 第二十九条..第三十六条 (the leave types).

Decisions (docs/规则说明.md):
    - Pending or refused leave covers nothing (不通过). 事后补单 stands, as 警告.
    - Notice and timing rules (LV-03, LV-05, LV-07) give 警告; the leave stands.
    - Missing proof (LV-02) gives 警告 and the leave counts as 事假 with every 事假 rule.
    - Eligibility and balance (LV-05 not regularised / outside the 3 months / over the days,
      LV-06 over the days, LV-08, LV-09) give 不通过 and the approved days count as 事假.
    - Balance (LV-08 days left, LV-09 调休 hours) that covers part of a leave: the leave splits
      at the balance, in whole sessions: the covered sessions keep the type, the rest is 事假
      (警告; one row in 请假校验 says both parts). A balance below one session fails the whole
      record as above. 调休 is measured in the scheduled hours of the sessions it covers.
    - LV-01: a start far before its application date (beyond 事后补单) or far after it is a
      likely typed date: 问题清单 错误 at the cell; the dates stand as typed.
    - 事假 past the yearly cap (LV-03) is 不通过; its days stay unpaid 事假.
    - Overlapping records (LV-12) are both 不通过 and neither covers anything.
    - A session is covered when its midpoint lies inside the leave; an end given as a bare
      date runs to the end of that day; 销假 ends the leave at the start of that date.
    - A blank 转正日期 is the hire date plus the longest legal probation (6 months, 劳动合同法
      第十九条; the 规则 parameter 试用期月数), with a 提示 naming the assumption (LV-05, REV-01);
      a blank 参加工作日期 is the hire date.
    - The leave types are the 假别 table's (kaohe.policy.leave_table, LV-25): a type not in it is refused
      (LV-01). Workday types count the employee's own sessions (half days); calendar types (丧假, 产假 …)
      count calendar half days of the standard schedule; the table's row says which.
    - 年休假 (LV-08, LV-20, LV-21): the larger of the company's and the law's days; sick leave before the
      record, in calendar days, loses them only at the threshold of both; last year's leave then sick
      leave up to the threshold loses this year's (kaohe.engine.annual).
    - 哺乳时间 (hours inside the day) counts the working days it applies to and covers no session; its hours
      (and 产前检查's) excuse the edge of the session they touch (kaohe.engine.statutory).
    - 病假 whose 备注 is, as a whole, one of terms.HOSPITAL_NOTES (住院, 住院治疗 …) is hospitalisation for a
      serious illness (LV-04, full pay); any other 备注 that mentions 住院 is ordinary sick leave, with a 警告.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from kaohe import terms
from kaohe.engine import statutory
from kaohe.engine.leave_types import Case, Check, check_type
from kaohe.findings import DATE_DOUBT, Finding
from kaohe.policy import Policy
from kaohe.policy.leave_table import COUNT_HOURS, LeaveTable, default_table
from kaohe.tables import Table
from kaohe.policy.catalog import article

EFFECTIVE_STATES = (terms.APPROVED, terms.APPROVED_AFTER)


def normalise(leave: pd.DataFrame) -> pd.DataFrame:
    """Leave rows with effective times: bare end dates run to the day's end; 销假 cuts the end."""
    f = leave.rename(columns={"note": "note_src"})
    f["start"] = pd.to_datetime(f["start"])
    f["end"] = pd.to_datetime(f["end"])
    bare_end = f["end"].notna() & (f["end"] == f["end"].dt.normalize())
    f["end_eff"] = f["end"].where(~bare_end, f["end"] + pd.Timedelta(days=1))
    returned = pd.to_datetime(f["returned"])
    cut = returned.notna() & (returned < f["end_eff"])
    f["end_eff"] = f["end_eff"].where(~cut, returned)
    f["cut_by_return"] = cut
    return f


RESULT_COLUMNS = ["index", "counted_as", "days", "result", "effective", "converted_by", "label", "split_at"]
ENTRY_COLUMNS = ["record", "result", "rule", "note"]  # the checks of each record; a type's rule has no note


def validate(leave: Table, roster: pd.DataFrame, count_days, time_off_accrual: dict[str, list],
             policy: Policy, counter=None, table: LeaveTable | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[Finding]]:
    """Check every leave record; returns the records with result columns, their check entries
    (:data:`ENTRY_COLUMNS`: each check's result, rule and note, by record) and findings.

    ``count_days(emp, kind, start, end)`` counts days by a type's rule; ``counter`` (a
    pay.DayCounter) measures scheduled hours and splits a leave at the balance (LV-08, LV-09);
    without it 调休 counts 日工作小时 a day and a leave beyond its balance is not split.
    A split record gives a second row (``part_of`` = the record's index) for its 事假 part;
    ``time_off_accrual[emp]`` lists ``(date, hours)`` of approved time-off overtime worked;
    ``leave`` is the 请假记录 table (findings name its sheet and cells); ``table`` the 假别 table in force
    (None: the default rows for ``policy``).

    Steps: each record on its own (LV-01), overlaps (LV-12), each type's rule (LV-02..LV-10),
    事假 over the year (LV-03), then the verdict columns and the 事假 parts of split records.
    """
    f = normalise(leave.frame).sort_values(["emp", "start", "row"], kind="stable", na_position="last")
    info = roster.set_index("emp")
    table = table if table is not None else default_table(policy)
    checks = {r.Index: Check(counted_as=r.type or "") for r in f.itertuples()}
    findings: list[Finding] = []
    for emp, group in f.groupby("emp", sort=False):
        person = info.loc[emp] if emp in info.index else None
        for r in group.itertuples():
            findings += check_record(r, checks[r.Index], person is not None, info.index, policy, leave, table)
        findings += check_overlaps(group, checks, leave, table.of(COUNT_HOURS))
        for r in group.itertuples():
            if checks[r.Index].effective and person is not None:
                check_type(Case(r, checks[r.Index], person, group, checks, count_days,
                                  time_off_accrual.get(emp, []), policy, counter, table))
    findings += check_personal_leave(f, checks, count_days, policy, leave, table.capped())
    findings += [Finding(leave.sheet, leave.cell(name, r.row), problem, action, rule, article(rule), level, r.emp,
                         code="leave.statutory_fact")
                 for r in f.itertuples() for name, problem, action, rule, level in checks[r.Index].reports]
    findings += [Finding(leave.sheet, leave.cell("emp", r.row), checks[r.Index].assumption, "请在员工名册中填写转正日期",
                         "LV-05", "劳动合同法第十九条", terms.LEVEL_INFO, r.emp, code="leave.assumed_regular")
                 for r in f.itertuples() if checks[r.Index].assumption]
    findings += hospital_notes(f, checks, leave)
    out, entries = _verdicts(f, checks, count_days, table)
    return out, entries, findings + _conversions(out, leave)


def _verdicts(f: pd.DataFrame, checks: dict[int, Check], count_days,
              table: LeaveTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The records with their verdict columns (split records' 事假 parts as rows of their own), and the checks."""
    rows = [_verdict(r, checks[r.Index], count_days, table) for r in f.itertuples()]
    out = f.join(pd.DataFrame(rows, columns=RESULT_COLUMNS).set_index("index"))
    out["effective"] = out["effective"].astype(bool)
    out["part_of"] = np.nan
    entries = pd.DataFrame([e for r, row in zip(f.itertuples(), rows)
                            for e in _entries(r, checks[r.Index], row["counted_as"], table)],
                           columns=ENTRY_COLUMNS)
    return _split_parts(out), entries


def hospital_notes(f: pd.DataFrame, checks: dict[int, Check], leave: Table) -> list[Finding]:
    """LV-04: a 病假 备注 that mentions 住院 without being one of its values is ordinary sick leave (警告)."""
    return [Finding(leave.sheet, leave.cell("note", r.row), f"备注“{r.note_src}”提到住院，但不是“住院”或“住院治疗”",
                    "按普通病假计发（住院请在备注中只写“住院”）", "LV-04", article("LV-04"), terms.LEVEL_WARNING, r.emp,
                    code="leave.hospital_note")
            for r in f.itertuples() if checks[r.Index].counted_as == terms.LEAVE_SICK and not pd.isna(r.note_src)
            and terms.HOSPITAL_WORD in str(r.note_src) and not terms.is_hospital_note(r.note_src)]


def check_record(r, ck: Check, known: bool, roster_ids, policy: Policy, leave: Table,
                 table: LeaveTable | None = None) -> list[Finding]:
    """LV-01 on one record by itself: a 工号 in the roster, a valid type (of the 假别 ``table``, LV-25), times in
    order, approval, typed dates."""
    where = lambda fieldname: (leave.sheet, leave.cell(fieldname, r.row))  # noqa: E731
    if not known:
        ck.add(terms.CHECK_FAIL, "LV-01", "工号不在员工名册中")
        ck.effective = False
        return [Finding(*where("emp"), terms.unknown_id(r.emp, roster_ids), "此请假不生效",
                        "LV-01", article("LV-01"), terms.LEVEL_ERROR, r.emp, code="leave.unknown_id")]
    findings = []
    if r.type not in (default_table(policy) if table is None else table):
        ck.add(terms.CHECK_FAIL, "LV-25", f"假别“{r.type or ''}”无效（不是假别表中的假别或其同义词）")
        ck.effective = False
    if pd.isna(r.start) or pd.isna(r.end) or r.end_eff <= r.start:
        ck.add(terms.CHECK_FAIL, "LV-01", "开始或结束时间缺失或顺序颠倒")
        ck.effective = False
        findings.append(Finding(*where("end"), "开始或结束时间缺失，或结束早于开始",
                                "此请假不生效，缺勤按旷工处理", "LV-01", article("LV-01"), terms.LEVEL_ERROR, r.emp,
                                code="leave.bad_times"))
    if r.status == terms.APPROVED_AFTER:
        ck.add(terms.CHECK_WARN, "LV-01", "事后补单，请假有效")
    elif r.status != terms.APPROVED:
        state = r.status or "未填审批状态"
        ck.add(terms.CHECK_FAIL, "LV-01", f"{state}，不抵扣缺勤，缺勤按旷工处理")
        ck.effective = False
        findings.append(Finding(*where("status"), f"请假未批准（{state}）",
                                "不抵扣缺勤，缺勤按旷工处理", "LV-01", article("LV-01"), terms.LEVEL_WARNING,
                                code="leave.not_approved"))
    return findings + _check_dates(r, ck, policy, leave)


def check_overlaps(group: pd.DataFrame, checks: dict[int, Check], leave: Table,
                   hours: tuple[str, ...] = ()) -> list[Finding]:
    """LV-12: one employee's records (in time order) that overlap are both 不通过 and cover nothing (a record of
    hours inside the day, a type of ``hours`` such as 哺乳时间, only overlaps another such record at the same hours:
    statutory.clash)."""
    findings: list[Finding] = []
    live: list = []
    for r in group.itertuples():
        if not checks[r.Index].effective:
            continue
        for other in live:
            if r.start < other.end_eff and other.start < r.end_eff and statutory.clash(r, other, hours):
                for idx in (other.Index, r.Index):
                    checks[idx].add(terms.CHECK_FAIL, "LV-12", "与同一员工的另一条请假时间重叠，修正前均不生效")
                    checks[idx].effective = False
                findings.append(Finding(leave.sheet, leave.cell("start", r.row), "请假时间与另一条记录重叠",
                                        "两条均不生效，请修正", "LV-12", "", terms.LEVEL_ERROR, code="leave.overlap"))
        live.append(r)
    return findings


def check_personal_leave(f: pd.DataFrame, checks: dict[int, Check], count_days, policy: Policy,
                         leave: Table, capped: tuple[str, ...] = (terms.LEAVE_PERSONAL,)) -> list[Finding]:
    """LV-03 over everything that counts as 事假 and the types the 假别 table counts toward its cap (``capped``), in
    time order: notice (事假), and the yearly cap."""
    findings = []
    used: dict[tuple[str, int], float] = {}
    for r in f.itertuples():
        ck = checks[r.Index]
        key = (r.emp, r.start.year)
        if ck.effective and ck.split_at is not None:  # the 事假 part of a split record counts toward the cap
            used[key] = used.get(key, 0.0) + count_days(r.emp, terms.LEAVE_PERSONAL, ck.split_at, r.end_eff)
        if not ck.effective or ck.counted_as not in capped:
            continue
        days = count_days(r.emp, ck.counted_as, r.start, r.end_eff)
        if ck.counted_as == terms.LEAVE_PERSONAL:
            _personal_notice(r, ck, days, policy)
        used[key] = used.get(key, 0.0) + days
        if used[key] > policy.personal_leave_cap_days:
            ck.add(terms.CHECK_FAIL, "LV-03",
                   f"本年事假累计{used[key]:g}天，超过上限{policy.personal_leave_cap_days:g}天，仍按事假扣款")
            findings.append(Finding(leave.sheet, leave.cell("start", r.row),
                                    f"本年事假累计超过{policy.personal_leave_cap_days:g}天",
                                    "按事假扣款并报人资处理", "LV-03", article("LV-03"), terms.LEVEL_WARNING, code="leave.personal_cap"))
    return findings


def personal_notice_days(days: float, policy: Policy) -> int:
    """LV-03: the days ahead a 事假 of ``days`` days is applied for (第三十条: three bands by length)."""
    if days < policy.personal_notice_short_below_days:
        return policy.personal_notice_days_short
    if days <= policy.personal_notice_long_above_days:
        return policy.personal_notice_days_medium
    return policy.personal_notice_days_long


def _personal_notice(r, ck: Check, days: float, policy: Policy) -> None:
    need = personal_notice_days(days, policy)
    if r.applied is None or pd.isna(r.applied):
        ck.add(terms.CHECK_WARN, "LV-03", "未填申请日期，无法核对提前申请")
    elif (r.start.date() - r.applied).days < need:
        ck.add(terms.CHECK_WARN, "LV-03",
               f"事假{days:g}天须提前{need}天申请，实际提前{(r.start.date() - r.applied).days}天")


def _verdict(r, ck: Check, count_days, table: LeaveTable) -> dict:
    """The result columns of one record (``index`` = the record's)."""
    kind = ck.counted_as if ck.counted_as in table else r.type
    valid_times = pd.notna(r.start) and pd.notna(r.end_eff) and r.end_eff > r.start
    days = count_days(r.emp, kind, r.start, r.end_eff) if kind in table and valid_times else 0.0
    label = kind
    if ck.split_at is not None:
        own = count_days(r.emp, kind, r.start, ck.split_at)  # the rest counted as 事假 is (月度汇总's 事假天数)
        rest = count_days(r.emp, terms.LEAVE_PERSONAL, ck.split_at, r.end_eff)
        label, days = f"{kind}{own:g}天、{terms.LEAVE_PERSONAL}{rest:g}天", own + rest
    return {"index": r.Index, "counted_as": kind, "days": days, "result": ck.result, "effective": ck.effective,
            "converted_by": ck.converted_by, "label": label,
            "split_at": ck.split_at if ck.split_at is not None else pd.NaT}


def _entries(r, ck: Check, kind: str, table: LeaveTable) -> list[tuple]:
    """The record's checks in order, its 销假 (ATT-10), then the rules of its type and of the type it counts as."""
    said = [(r.Index, result, rule, note) for result, rule, note in ck.entries]
    if r.cut_by_return:
        said.append((r.Index, terms.CHECK_PASS, "ATT-10", f"{r.returned:%Y-%m-%d} 销假返岗"))
    rules = dict.fromkeys(rule for rule in (table.rule_of(r.type), table.rule_of(kind)) if rule)
    return said + [(r.Index, terms.CHECK_PASS, rule, "") for rule in rules]


def _conversions(out: pd.DataFrame, leave: Table) -> list[Finding]:
    """A 警告 for each effective record (or split part) that counts as 事假 instead of its own type."""
    findings = []
    for r in out[out["effective"] & (out["counted_as"] != out["type"])].itertuples():
        part = not pd.isna(r.part_of)
        typed = r.type_src if isinstance(getattr(r, "type_src", None), str) else r.type  # as HR wrote it (哺乳假)
        what = f"{typed}超出的部分按事假计算" if part else f"{typed}按事假计算"
        findings.append(Finding(leave.sheet, leave.cell("type", r.row), what, "计入事假天数和事假扣款",
                                r.converted_by, "", terms.LEVEL_WARNING, r.emp, code="leave.counted_as_personal"))
    return findings


def _split_parts(out: pd.DataFrame) -> pd.DataFrame:
    """A record split at its balance ends there; its 事假 part becomes a row of its own (``part_of``)."""
    split = out[out["split_at"].notna() & out["effective"]]
    if split.empty:
        return out
    parts = split.assign(start=split["split_at"], counted_as=terms.LEAVE_PERSONAL, part_of=split.index.astype(float),
                         cut_by_return=False)
    parts.index = range(int(out.index.max()) + 1, int(out.index.max()) + 1 + len(parts))
    out.loc[split.index, "end_eff"] = split["split_at"]
    return pd.concat([out, parts])


def _check_dates(r, ck: Check, policy: Policy, leave: Table) -> list[Finding]:
    """LV-01: a start far before its application (beyond 事后补单) or far after it is likely a typed
    date (a wrong year): 警告 in 请假校验 and a 问题清单 错误 at the start cell; the dates stand as typed."""
    if r.applied is None or pd.isna(r.applied) or pd.isna(r.start):
        return []
    ahead = (r.start.date() - r.applied).days
    if -ahead > policy.leave_backdate_max_days:
        what = f"开始日期 {r.start:%Y-%m-%d} 早于申请日期 {r.applied:%Y-%m-%d} {-ahead}天"
    elif ahead > policy.leave_ahead_max_days:
        what = f"开始日期 {r.start:%Y-%m-%d} 晚于申请日期 {r.applied:%Y-%m-%d} {ahead}天"
    else:
        return []
    ck.add(terms.CHECK_WARN, "LV-01", f"{what}，疑似日期录错")
    return [Finding(leave.sheet, leave.cell("start", r.row), f"请假{what}，疑似日期录错（如年份）",
                    "按所填日期计算；请核对开始、结束日期和申请日期", "LV-01", article("LV-01"), terms.LEVEL_ERROR, r.emp,
                    code=DATE_DOUBT)]


def coverage(sessions: pd.DataFrame, records: pd.DataFrame) -> pd.Series:
    """The index of the leave record covering each session (NaN where none does)."""
    out = pd.Series(np.nan, index=sessions.index, dtype=float)
    live = records[records["effective"]][["emp", "start", "end_eff"]].reset_index(names="record")
    if live.empty or sessions.empty:
        return out
    s = sessions[["emp", "mid"]].reset_index(names="session").merge(live, on="emp", how="inner")
    s = s[(s["start"] <= s["mid"]) & (s["mid"] < s["end_eff"])].drop_duplicates("session")
    out.loc[s["session"].to_numpy()] = s["record"].to_numpy()
    return out
