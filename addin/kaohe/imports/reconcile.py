"""核对: kaohe's month beside DingTalk's or WeCom's own statistics (how HR gains trust during the switch).

The external file is a DingTalk 月度汇总 / 每日统计 / 每日汇总 export (xlsx or CSV) or a WeCom
概况统计与打卡明细 export. Its two-level header is joined (``异常统计/迟到次数(次)``); a column is
matched to a measure by its name once the group (``异常统计/``) and the unit (``(次)``) are dropped,
and its values are converted by the unit (hours and minutes to days at the policy's 日工作小时; a cell such as
``8小时`` carries its own unit). Every type of the 假别 table in force whose name or a synonym is a column
(DingTalk's ``陪产假(天)``, ``年假(天)``) is a measure of its own (``陪产假天数``), kaohe's side its days in the
ledger. People are matched as in :mod:`kaohe.imports.identity`.

The comparison covers the file's own range (统计日期 / 统计时间 in its title rows) within the month:
kaohe's side is summed from its daily results over exactly those dates, and rows of a daily export
dated outside them are left out. A file from which no measure or no person matches is refused: a
comparison of nothing is not a pass.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kaohe.engine.attendance import TIER_FINED, TIER_FULL, TIER_HALF, tier_minutes
from kaohe.findings import Finding, InputRefused
from kaohe.headers import Header, header_key
from kaohe.imports.files import cell_text, clean_name, open_sheets
from kaohe.imports.identity import identity_maps
from kaohe.imports.layout import joined_header, report_span, short_date
from kaohe.policy.leave_table import default_table
from kaohe import terms
from kaohe.workbook import contract as c

# measure -> (names in the external header, first that is present wins; ``a+b`` adds two columns)
MEASURES = {
    "迟到次数": ("迟到次数",),
    "早退次数": ("早退次数",),
    "缺卡次数": ("缺卡次数", "上班缺卡次数+下班缺卡次数"),
    "旷工天数": ("旷工天数", "旷工时长"),
    "事假天数": ("事假",),
    "病假天数": ("病假",),
    "调休天数": ("调休", "调休假"),
}
DAILY_FIELDS = {"迟到次数": "late_count", "早退次数": "early_count", "缺卡次数": "missing", "旷工天数": "absent_days"}
DAYS = "天数"  # a leave type's measure is its name and this: 陪产假天数


def measures_of(table) -> dict[str, tuple[str, ...]]:
    """:data:`MEASURES` and a days measure for every type of the 假别 ``table`` in force (``陪产假天数``), read from
    the export's column of its name or a synonym (钉钉 ``陪产假(天)``, ``年假(天)``)."""
    out = dict(MEASURES)
    for t in table:
        out.setdefault(f"{t.name}{DAYS}", (t.name, *t.synonyms))
    return out
_UNIT = re.compile(r"[（(]\s*(天|小时|分钟|次|h|min)\s*[)）]\s*$")
_ROW_DATE = ("日期", "时间")


def base_name(header: str) -> tuple[str, str]:
    """``异常统计/迟到次数(次)`` -> (``迟到次数``, ``次``): the name without its group and its unit."""
    name = header_key(header.rsplit("/", 1)[-1])
    m = _UNIT.search(name)
    unit = {"h": "小时", "min": "分钟"}.get(m.group(1), m.group(1)) if m else ""
    return (name[:m.start()] if m else name), unit


def measure_columns(names: Sequence[str], measures: dict[str, tuple[str, ...]] | None = None,
                    ) -> dict[str, list[tuple[int, str]]]:
    """Measure (of ``measures``, :data:`MEASURES` by default) -> the columns (index, unit) it is read from."""
    bases = [base_name(n) for n in names]
    out = {}
    for measure, candidates in (MEASURES if measures is None else measures).items():
        for cand in candidates:
            parts = [[(i, unit) for i, (b, unit) in enumerate(bases) if b == p] for p in cand.split("+")]
            if all(parts):
                out[measure] = [p[0] for p in parts]
                break
    return out


def _number(raw, unit: str, measure: str, hours_per_day: float) -> float | None:
    """A cell in the measure's unit: days for 天数 measures (from hours or minutes), else as counted. A
    unit written in the cell (``8小时``, ``事假1天``) wins over the header's."""
    text = str(raw).replace(",", "").strip() if raw is not None else ""
    m = re.search(r"(-?\d+(?:\.\d+)?)\s*(天|小时|分钟|次)?", text)
    if text in ("", "--") or not m:
        return None
    value, unit = float(m.group(1)), (m.group(2) or unit or "天")
    per_day = {"小时": hours_per_day, "分钟": hours_per_day * 60}.get(unit, 1.0)
    return value / per_day if measure.endswith("天数") else value


def read_external(path: Path):
    """(header, data rows, title rows above the header) of a statistics export."""
    sheets, _ = open_sheets(path)
    preferred = [s for s in sheets if s[0] in c.EXTERNAL_STATISTICS_SHEETS] + sheets
    for _, rows in preferred:
        header = joined_header(rows)
        if header:
            data = [r for r in rows[header.row + 1:] if any(v not in ("", None) for v in r)]
            return header, data, rows[:header.row]
    raise InputRefused(f"无法识别 {path.name}：找不到含“姓名”和“UserId/账号”的表头（钉钉月度汇总、每日统计或企业微信日报）",
                       f"unrecognised {path.name}: no header with 姓名 and UserId/账号")


def comparison_span(title_rows, path: Path, rows, header: Header, first: dt.date,
                    last: dt.date) -> tuple[tuple[dt.date, dt.date], list[Finding]]:
    """The dates to compare: the file's range within the month (and a 提示 when the file names none). A monthly
    total over a range that reaches outside the month cannot be split: refused."""
    span = report_span(title_rows, path, first.year)
    if span is None:
        return (first, last), [Finding(path.name, "", f"{path.name} 的标题行中找不到统计日期范围", "按整月核对",
                                       level=terms.LEVEL_INFO, code="reconcile.no_span")]
    lo, hi = max(span[0], first), min(span[1], last)
    per_row = any(n in header for n in _ROW_DATE)
    if lo > hi or (not per_row and (span[0] < first or span[1] > last)):
        raise InputRefused(f"{path.name} 的统计日期 {span[0]:%Y-%m-%d}～{span[1]:%Y-%m-%d} 不在 {first:%Y-%m} 之内，无法与该月核对",
                           f"the range of {path.name} is not inside {first:%Y-%m}")
    return (lo, hi), []


def _row_date(row, header: Header) -> dt.date | None:
    for n in _ROW_DATE:
        if n in header:
            value = header.value(row, n)
            return short_date(str(value).split()[0] if isinstance(value, str) and value.strip() else value)
    return None


def theirs(header: Header, rows, maps, span, columns, hours_per_day: float):
    """Per 工号 and measure the external figure over the span, and the names nobody matches."""
    ext: dict[str, dict[str, float]] = {}
    unknown: dict[str, int] = {}
    for row in rows:
        get = lambda n, row=row: header.value(row, n)  # noqa: E731
        day = _row_date(row, header)
        if day is not None and not span[0] <= day <= span[1]:
            continue
        ids = tuple((k, cell_text(get(h))) for k, h in (("emp", "工号"), ("dingtalk", "UserId"), ("wecom", "账号"))
                    if cell_text(get(h)) not in ("", "--"))
        name = clean_name(get("姓名"))
        emp = maps.find(ids, name)
        if emp is None:
            if name:
                unknown[name] = unknown.get(name, 0) + 1
            continue
        person = ext.setdefault(emp, {})
        for measure, cols in columns.items():
            values = [_number(row[i] if i < len(row) else None, unit, measure, hours_per_day) for i, unit in cols]
            person[measure] = person.get(measure, 0.0) + sum(v for v in values if v is not None)
    return ext, unknown


def ours(result, span) -> dict[str, dict[str, float]]:
    """kaohe's figures per 工号 and measure, summed from the daily results over the span; each leave type's days
    from the ledger's leave day records (sessions of 工作日 types, calendar half days of 日历日 types)."""
    lo, hi = pd.Timestamp(span[0]), pd.Timestamp(span[1])
    d = result.daily[(result.daily["date"] >= lo) & (result.daily["date"] <= hi)]
    out = {emp: {m: float(v) for m, v in zip(DAILY_FIELDS, row)}
           for emp, row in d.groupby("emp")[list(DAILY_FIELDS.values())].sum().iterrows()}
    leave = result.ledger.days
    leave = leave[(leave["event"] == "leave") & (leave["date"] >= lo) & (leave["date"] <= hi)]
    for (emp, kind), days in leave.groupby(["emp", "kind"])["quantity"].sum().items():
        out.setdefault(emp, {})[f"{kind}{DAYS}"] = float(days)  # each type's days as 月度汇总 counts them
    return out


EXCUSED = {"迟到次数": ("exc_in",), "早退次数": ("exc_out",), "缺卡次数": ("exc_in", "exc_out")}
SLOT_NAMES = {(1, "exc_in"): terms.SLOT_AM_IN, (1, "exc_out"): terms.SLOT_AM_OUT, (2, "exc_in"): terms.SLOT_PM_IN,
              (2, "exc_out"): terms.SLOT_PM_OUT}


def excused_slots(sessions, span) -> dict[tuple[str, str], list[str]]:
    """(工号, measure) -> the slots ("11-16 上午上班") an approved 打卡异常 counts as punched on time (ATT-05),
    where the punch itself was late, early or missing: an external system still counts those."""
    out: dict[tuple[str, str], list[str]] = {}
    if sessions is None or not len(sessions) or "exc_in" not in sessions:
        return out
    s = sessions[(sessions["date"] >= pd.Timestamp(span[0])) & (sessions["date"] <= pd.Timestamp(span[1]))]
    late = s["exc_in"] & (s["in_ts"].isna() | (s["in_ts"] > s["start"]))
    early = s["exc_out"] & (s["out_ts"].isna() | (s["out_ts"] < s["end"]))
    for edge, hit, punched in (("exc_in", late, "in_ts"), ("exc_out", early, "out_ts")):
        for r in s[hit].itertuples(index=False):
            slot = f"{r.date:%m-%d} {SLOT_NAMES[(r.sess, edge)]}"
            missing = pd.isna(getattr(r, punched))
            for measure, edges in EXCUSED.items():
                if edge in edges and (measure == "缺卡次数") == missing:
                    out.setdefault((r.emp, measure), []).append(slot)
    return out


def structural(measure: str, policy) -> str:
    """Why kaohe and an external system count ``measure`` differently; the ATT-04 tiers as 规则 sets them."""
    fined, half, full = (tier_minutes(t, policy) for t in (TIER_FINED, TIER_HALF, TIER_FULL))
    if measure in ("迟到次数", "早退次数"):
        return f"结构差异：kaohe 只把{fined}计为{measure[:2]}（罚款），{half}按旷工（ATT-04），外部系统不分档"
    if measure == "旷工天数":
        return f"结构差异：kaohe 把迟到早退{half}记为{terms.LATE_HALF}、{full}记为{terms.LATE_FULL}（ATT-04）"
    if measure == "缺卡次数":
        return "结构差异：整个半天无打卡 kaohe 计旷工不计缺卡（ATT-06），批准的打卡异常不计（ATT-05）"
    return "请核对原始记录"


def why(measure: str, diff: float, slots: list[str], policy) -> str:
    """The 说明 of a difference: approved 打卡异常 that kaohe does not count (ATT-05) first, if any."""
    if not slots or diff >= 0:
        return structural(measure, policy)
    text = f"已批准的打卡异常：{'、'.join(slots)}，kaohe 按正常打卡计（ATT-05，第二十条），外部系统仍计入"
    return text if len(slots) >= -diff else f"{text}；其余：{structural(measure, policy)}"


def reconcile(header: Header, rows, title_rows, result, roster, mapping, path: Path):
    """The 核对 frame and the findings; refused when no measure or no person matches."""
    first, last = (dt.date.fromisoformat(f"{result.month}-01"),
                   (pd.Timestamp(f"{result.month}-01") + pd.offsets.MonthEnd(0)).date())
    measures = measures_of(result.leave_table or default_table(result.policy))
    columns = measure_columns(header.names, measures)
    if not columns:
        shown = "、".join(n for n in header.names if n)[:300]
        raise InputRefused(f"{path.name} 中没有可核对的项目：表头（{shown}）与 {'、'.join(measures)} 都对不上",
                           f"nothing to compare in {path.name}: no column matches a measure")
    span, findings = comparison_span(title_rows, path, rows, header, first, last)
    ext, unknown = theirs(header, rows, identity_maps(roster, mapping), span, columns,
                          result.policy.hours_per_day)
    mine = ours(result, span)
    excused = excused_slots(result.sessions, span)
    monthly = result.monthly.set_index("emp")
    out = []
    for emp in sorted(e for e in ext if e in monthly.index):
        for measure in columns:
            theirs_v, ours_v = round(ext[emp][measure], 2), round(mine.get(emp, {}).get(measure, 0.0), 2)
            diff = round(ours_v - theirs_v, 2)
            out.append({"emp": emp, "name": monthly.at[emp, "name"], "item": measure, "external": theirs_v,
                        "ours": ours_v, "diff": diff,
                        "note": why(measure, diff, excused.get((emp, measure), []), result.policy)
                        if diff else "一致"})
    if not out:
        raise InputRefused(f"{path.name} 中没有一个人能与员工名册对上（{len(unknown)} 个姓名），无法核对",
                           f"nobody in {path.name} matches the roster: nothing to compare")
    findings += [Finding(path.name, "", f"“{n}”在人员对照和员工名册中都找不到（{k}行）", "不参与核对", "ATT-03", "第十八条",
                         code="reconcile.unknown_id")
                 for n, k in sorted(unknown.items())]
    if span != (first, last):
        findings.append(Finding(path.name, "", f"只核对 {span[0]:%m-%d}～{span[1]:%m-%d}（文件的统计日期）",
                                "kaohe 一侧按每日明细中这些日期合计", level=terms.LEVEL_INFO, code="reconcile.span"))
    return pd.DataFrame(out, columns=["emp", "name", "item", "external", "ours", "diff", "note"]), findings
