"""Quarterly and annual review of the e-commerce department (REV-01..REV-06; 篇四).

Decisions (docs/规则说明.md and this module):
    - REV-01: regular employees of 电子商务部 (the 规则 parameter 考核部门) hired by the period
      end; a 转正日期 after the period end is a probationer (excluded); a blank 转正日期 is the
      hire date plus 试用期月数 (6, 劳动合同法第十九条), with a 提示, as elsewhere in kaohe.
    - REV-03: each rating is the four dimensions weighted by the role (REV-04), on 100
      points. 自评 is the self rating, 互评 the mean of all peer ratings, 上级 the manager's;
      综合得分 = 20 % 自评 + 30 % 互评 + 50 % 上级, rounded to 2 decimals. A missing 自评 or 互评
      is reported and the other parts' weights are scaled up to 100 %. Without a 上级 rating the
      review is not complete (篇四 七: the manager's review is the last step): no score, grade or
      performance pay, and a 问题清单 错误.
    - 关系 is read through the vocabulary of kaohe.terms (同事 = 互评, 领导/经理 = 上级 …, plus
      HR's synonyms from 规则).
    - REV-04: a role missing from the weight table uses the 默认 row (25/25/25/25).
    - A rating with a dimension outside 0..100, or an unknown relation, is reported and not used.
    - REV-02: the annual score is the mean of the year's quarterly scores (a missing quarter is
      reported); with no quarterly ratings at all, ratings given for the year itself are used.
    - REV-05/06: the grade is the highest band whose 最低分 the score reaches; 绩效工资 =
      员工名册.绩效工资 × 绩效系数 (blank when the roster has no 绩效工资).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kaohe import terms
from kaohe.engine.kpi import excel_round
from kaohe.engine.leave_types import regular_date
from kaohe.findings import Finding
from kaohe.periods import review_period
from kaohe.policy import Policy
from kaohe.policy.tables import DEFAULT_ROLE, GRADES, ROLE_WEIGHTS, Grade, RoleWeights
from kaohe.tables import Table
from kaohe.policy.catalog import article

DIMENSIONS = ("d_business", "d_attitude", "d_ability", "d_teamwork")
QUARTER_NAMES = ("一季度", "二季度", "三季度", "四季度")


@dataclass
class ReviewResult:
    period: str
    annual: bool
    rows: pd.DataFrame
    findings: list[Finding]
    summary: dict = field(default_factory=dict)



def role_table(table: Table) -> tuple[dict[str, RoleWeights], list[Finding]]:
    """REV-04: 岗位权重 by 岗位 (a bad row is reported and ignored), with the 默认 row always there."""
    default = {r.role: r for r in ROLE_WEIGHTS}
    if table.frame.empty:
        return default, []
    out, findings = {}, []
    for r in table.frame.itertuples(index=False):
        weights = [getattr(r, d) for d in DIMENSIONS]
        if not r.post or any(w is None or w < 0 for w in weights) or sum(weights) <= 0:
            findings.append(Finding(table.sheet, table.cell("post", r.row), "岗位或权重无效", "忽略此行", "REV-04", article("REV-04"),
                                    code="review.bad_role"))
            continue
        out[str(r.post)] = RoleWeights(str(r.post), *weights)
    out.setdefault(DEFAULT_ROLE, default[DEFAULT_ROLE])
    return out, findings


def grade_table(table: Table) -> tuple[tuple[Grade, ...], list[Finding]]:
    """REV-05: 考核等级 bands, highest first (a bad row is reported and ignored; none left: the defaults)."""
    if table.frame.empty:
        return GRADES, []
    out, findings = [], []
    for r in table.frame.itertuples(index=False):
        if not r.grade or r.min_score is None or r.coefficient is None:
            findings.append(Finding(table.sheet, table.cell("grade", r.row), "等级、最低分或绩效系数无效", "忽略此行",
                                    "REV-05", article("REV-05"), code="review.bad_grade"))
            continue
        out.append(Grade(str(r.grade), float(r.min_score), float(r.coefficient)))
    return tuple(sorted(out, key=lambda g: -g.min_score)) or GRADES, findings


def grade_for(score: float, grades: tuple[Grade, ...]) -> Grade | None:
    for g in sorted(grades, key=lambda g: -g.min_score):
        if score >= g.min_score:
            return g
    return None


def members(roster: pd.DataFrame, policy: Policy, first: dt.date, last: dt.date,
            sheet: str) -> tuple[pd.DataFrame, list[Finding]]:
    """REV-01: the department's regular employees at the period end (``sheet``: the roster's, for findings)."""
    f = roster[roster["dept"] == policy.review_department]
    keep, findings = [], []
    for r in f.itertuples(index=False):
        if r.hired is not None and not pd.isna(r.hired) and r.hired > last:
            continue
        if r.left is not None and not pd.isna(r.left) and r.left < first:
            continue
        regular, assumed = regular_date(r.regular, r.hired, policy)
        if assumed:
            findings.append(Finding(sheet, "", f"工号{r.emp}（{r.name}）{assumed}", "请在员工名册中填写转正日期",
                                    "REV-01", "劳动合同法第十九条", terms.LEVEL_INFO, r.emp, code="review.assumed_regular"))
        if regular is not None and regular > last:
            findings.append(Finding(sheet, "", f"工号{r.emp}（{r.name}）{last:%Y-%m-%d}尚未转正", "不参加本期考核",
                                    "REV-01", article("REV-01"), terms.LEVEL_INFO, r.emp, code="review.on_probation"))
            continue
        keep.append(r.emp)
    return f[f["emp"].isin(keep)], findings


@dataclass
class Rating:
    """What scoring a period needs besides the people: the ratings, where they come from, and the rules."""

    ratings: pd.DataFrame  # 考核评分 with normalised periods
    place: Table  # the 考核评分 table (findings name its cells)
    roles: dict[str, RoleWeights]
    roles_sheet: str  # the 岗位权重 sheet, named in a finding about a missing role
    policy: Policy
    vocab: terms.Terms


def score_period(people: pd.DataFrame, period: str, x: Rating) -> tuple[dict[str, dict], list[Finding]]:
    """Scores of ``period`` for each member: ({emp: {self, peer, manager, score, note}}, findings)."""
    mine = x.ratings[x.ratings["period"] == period]
    out, findings = {}, []
    for p in people.itertuples(index=False):
        if str(p.post or "") not in x.roles:
            findings.append(Finding(x.roles_sheet, "", f"岗位“{p.post or ''}”没有权重", f"工号{p.emp}按“{DEFAULT_ROLE}”权重",
                                    "REV-04", article("REV-04"), terms.LEVEL_INFO, p.emp, code="review.role_without_weights"))
        weights = x.roles.get(str(p.post or ""), x.roles[DEFAULT_ROLE]).as_tuple()
        parts, found = rating_parts(mine[mine["ratee"] == p.emp], weights, x)
        entry, more = combine_parts(p, period, parts, x)
        findings += found + more
        if entry is not None:
            out[p.emp] = entry
    return out, findings


def rating_parts(ratings: pd.DataFrame, weights: tuple[float, ...], x: Rating) -> tuple[dict[str, list[float]], list[Finding]]:
    """REV-03/04: one person's ratings by relation, each the role-weighted mean of its four dimensions;
    a rating with an unknown relation or a dimension outside 0..100 is reported and not used."""
    parts: dict[str, list[float]] = {terms.REL_SELF: [], terms.REL_PEER: [], terms.REL_MANAGER: []}
    findings = []
    for r in ratings.itertuples(index=False):
        dims = [getattr(r, d) for d in DIMENSIONS]
        relation = x.vocab.standard(terms.RELATION, r.relation)
        if relation not in parts:
            findings.append(Finding(x.place.sheet, x.place.cell("relation", r.row), f"关系“{r.relation or ''}”无效（应为"
                                    f" {'/'.join(terms.RELATIONS)}）", "此条评分未使用", "REV-03", article("REV-03"),
                                    code="review.bad_relation"))
        elif any(d is None or not 0 <= d <= 100 for d in dims):
            findings.append(Finding(x.place.sheet, x.place.cell("d_business", r.row), "评分缺失或超出 0–100",
                                    "此条评分未使用", "REV-04", article("REV-04"), code="review.bad_rating"))
        else:
            parts[relation].append(sum(d * w for d, w in zip(dims, weights)) / sum(weights))
    return parts, findings


def combine_parts(p, period: str, parts: dict[str, list[float]], x: Rating) -> tuple[dict | None, list[Finding]]:
    """REV-03: 综合得分 = 自评, 互评 (mean of peers) and 上级 by their shares, rounded to 2 decimals; a missing
    自评 or 互评 scales the others up; without a 上级 rating (or any rating) there is no score."""
    policy, sheet, who = x.policy, x.place.sheet, f"工号{p.emp}（{p.name}）{period}"
    share = {terms.REL_SELF: policy.review_self_weight, terms.REL_PEER: policy.review_peer_weight,
             terms.REL_MANAGER: policy.review_manager_weight}
    values = {k: (sum(v) / len(v) if v else None) for k, v in parts.items()}
    present = {k: v for k, v in values.items() if v is not None}
    if not present:
        return None, [Finding(sheet, "", f"{who}没有有效评分", "不评等级", "REV-03", article("REV-03"), terms.LEVEL_WARNING, p.emp,
                              code="review.no_rating")]
    if values[terms.REL_MANAGER] is None:
        return None, [Finding(sheet, "", f"{who}没有有效的上级评分", "不评等级、不计绩效工资；请补上级评分",
                              "REV-03", article("REV-03"), terms.LEVEL_ERROR, p.emp, code="review.no_manager")]
    missing = [k for k in values if values[k] is None]
    findings = [Finding(sheet, "", f"{who}缺少{'、'.join(missing)}", "按其余部分的权重折算", "REV-03", article("REV-03"),
                        terms.LEVEL_WARNING, p.emp, code="review.missing_part")] if missing else []
    total = sum(share[k] for k in present)
    score = excel_round(sum(share[k] * v for k, v in present.items()) / total, 2)
    return {"self": values[terms.REL_SELF], "peer": values[terms.REL_PEER], "manager": values[terms.REL_MANAGER],
            "score": score, "note": f"缺少{'、'.join(missing)}，按其余部分的权重折算" if missing else ""}, findings


def review(tables: dict[str, Table], roster: pd.DataFrame, policy: Policy, period_text: str,
           vocab: terms.Terms = terms.DEFAULT) -> ReviewResult:
    """Review ``period_text`` from the tables by role ("roster", "review_scores", "role_weights", "grades";
    an absent sheet is an empty table) and the prepared roster."""
    period, first, last = review_period(period_text)
    annual = "Q" not in period
    place, roles_table = tables["review_scores"], tables["role_weights"]
    roles, findings = role_table(roles_table)
    grades, found = grade_table(tables["grades"])
    ratings, more = normalise_periods(place)
    people, most = members(roster, policy, first, last, tables["roster"].sheet)
    findings += found + more + most
    x = Rating(ratings, place, roles, roles_table.sheet, policy, vocab)
    entries, found = (annual_scores if annual else score_period)(people, period, x)
    findings += found
    rows = [_row(p, entries[p.emp], grades) for p in people.itertuples(index=False) if p.emp in entries]
    return ReviewResult(period, annual, pd.DataFrame(rows), findings, {"members": len(people), "scored": len(rows)})


def normalise_periods(place: Table) -> tuple[pd.DataFrame, list[Finding]]:
    """考核评分 with each 周期 normalised (``2026q3`` → ``2026Q3``); one that is not a period is reported and unused."""
    ratings, normalised, findings = place.frame.copy(), [], []
    for r in ratings.itertuples(index=False):
        try:
            normalised.append(review_period(r.period)[0] if r.period is not None else None)
        except ValueError as exc:
            findings.append(Finding(place.sheet, place.cell("period", r.row), str(exc), "此条评分未使用", "REV-02", article("REV-02"),
                                    code="review.bad_period"))
            normalised.append(None)
    ratings["period"] = normalised
    return ratings, findings


def annual_scores(people: pd.DataFrame, year: str, x: Rating) -> tuple[dict[str, dict], list[Finding]]:
    """REV-02: the year's score is the mean of its quarterly scores (a missing quarter is reported);
    with no quarterly score at all, the ratings given for the year itself."""
    quarters = [score_period(people, f"{year}Q{q}", x)[0] for q in range(1, 5)]
    direct = score_period(people, year, x)[0]
    out, findings = {}, []
    for p in people.itertuples(index=False):
        got = [q.get(p.emp, {}).get("score") for q in quarters]
        have = [s for s in got if s is not None]
        who = f"工号{p.emp}（{p.name}）{year}年"
        if have:
            entry = {"score": excel_round(sum(have) / len(have), 2), "note": ""}
            if len(have) < 4:
                missing = "、".join(QUARTER_NAMES[i] for i, s in enumerate(got) if s is None)
                entry["note"] = f"缺少{missing}，按{len(have)}个季度平均"
                findings.append(Finding(x.place.sheet, "", f"{who}缺少{missing}得分", "按已有季度平均", "REV-02", article("REV-02"),
                                        terms.LEVEL_WARNING, p.emp, code="review.missing_quarter"))
        elif p.emp in direct:
            entry = {"score": direct[p.emp]["score"], "note": "无季度得分，按年度评分计算"}
        else:
            findings.append(Finding(x.place.sheet, "", f"{who}没有评分", "不评等级", "REV-02", article("REV-02"),
                                    terms.LEVEL_WARNING, p.emp,
                                    code="review.no_score"))
            continue
        out[p.emp] = {**entry, **{QUARTER_NAMES[i]: got[i] for i in range(4)}}
    return out, findings


def _row(p, entry: dict, grades: tuple[Grade, ...]) -> dict:
    g = grade_for(entry["score"], grades)
    base = p.perf_pay if p.perf_pay is not None and not pd.isna(p.perf_pay) else None
    coefficient = g.coefficient if g else None
    pay = excel_round(base * coefficient, 2) if base is not None and coefficient is not None else None
    return {"emp": p.emp, "name": p.name, "post": p.post or "", **entry, "grade": g.grade if g else "",
            "coefficient": coefficient, "perf_base": base, "perf_pay": pay}
