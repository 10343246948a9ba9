"""核对: kaohe's month beside DingTalk's or WeCom's own statistics (how HR gains trust during the switch).

The external file is a DingTalk 月度汇总 / 每日统计 export or a WeCom 概况统计与打卡明细 export. Its
two-level header is joined (``请假/事假``), people are matched as in :mod:`kaohe.imports`, and per
person and measure the 核对 sheet shows the external figure, kaohe's, the difference and — where
the difference is structural, not an error — why.

Measures: 迟到次数, 早退次数, 缺卡次数, 旷工天数, 事假天数, 病假天数, 调休天数. Leave given in hours is
converted at 8 hours a day. Rows per day (每日统计, WeCom) are summed per person.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import python_calamine

from kaohe.findings import Finding, InputRefused
from kaohe.imports import LEFT_SUFFIX, identity_maps, match
from kaohe.workbook import contract as c
from kaohe.workbook.values import parse_number

# measure -> (external header candidates, kaohe 月度汇总 field)
MEASURES = {
    "迟到次数": (("迟到次数", "迟到次数(次)"), "late_count"),
    "早退次数": (("早退次数", "早退次数(次)"), "early_count"),
    "缺卡次数": (("缺卡次数", "缺卡次数(次)", "上班缺卡次数+下班缺卡次数"), "missing_count"),
    "旷工天数": (("旷工天数", "旷工天数(天)"), "absent_days"),
    "事假天数": (("请假/事假", "事假", "假勤统计/事假"), "days_事假"),
    "病假天数": (("请假/病假", "病假", "假勤统计/病假"), "days_病假"),
    "调休天数": (("请假/调休", "调休", "假勤统计/调休"), "days_调休"),
}
WHY = {
    "迟到次数": "结构差异：kaohe 只把1–30分钟计为迟到（罚款），超过30分钟按旷工（ATT-04），外部系统不分档",
    "早退次数": "结构差异：kaohe 只把1–30分钟计为早退（罚款），超过30分钟按旷工（ATT-04），外部系统不分档",
    "缺卡次数": "结构差异：整个半天无打卡 kaohe 计旷工不计缺卡（ATT-06），批准的打卡异常不计（ATT-05）",
    "旷工天数": "结构差异：kaohe 把超过30/120分钟的迟到早退折算为旷工半天/1天（ATT-04）",
}
HOURS_PER_DAY = 8.0


def _header(rows: list[list]) -> tuple[int, list[str]] | None:
    """The (joined two-level) header: its last row index and the column names."""
    for h in range(min(10, len(rows))):
        names = [str(v).strip() if isinstance(v, str) else "" for v in rows[h]]
        if "姓名" in names and ("UserId" in names or "账号" in names):
            below = rows[h + 1] if h + 1 < len(rows) else []
            sub = [str(v).strip() if isinstance(v, str) else "" for v in below]
            # A second header row leaves 姓名's column empty (merged from above); a data row does not.
            name_col = names.index("姓名")
            two_level = (name_col >= len(sub) or not sub[name_col]) and any(sub)
            if not two_level:
                return h, names
            joined, group = [], ""
            for i in range(max(len(names), len(sub))):
                top = names[i] if i < len(names) else ""
                low = sub[i] if i < len(sub) else ""
                group = top or group
                joined.append(f"{group}/{low}" if low and low != group else (top or group))
            return h + 1, joined
    return None


def read_external(path: Path) -> tuple[list[str], list[list]]:
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:
        raise InputRefused(f"无法读取 {path.name}", f"cannot read {path.name}") from None
    preferred = [n for n in wb.sheet_names if n in c.EXTERNAL_STATISTICS_SHEETS] or wb.sheet_names
    for name in preferred:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        found = _header(rows)
        if found:
            h, names = found
            return names, [r for r in rows[h + 1:] if any(v not in ("", None) for v in r)]
    raise InputRefused(f"无法识别 {path.name}：找不到含“姓名”和“UserId/账号”的表头（钉钉月度汇总、每日统计或企业微信日报）",
                       f"unrecognised {path.name}: no header with 姓名 and UserId/账号")


def _value(row, names, candidates) -> float | None:
    total, found = 0.0, False
    for cand in candidates:
        parts = cand.split("+")
        if all(p in names for p in parts):
            for p in parts:
                raw = row[names.index(p)] if names.index(p) < len(row) else None
                text = str(raw).strip() if raw is not None else ""
                if text in ("", "--"):
                    continue
                hours = "小时" in text
                number = re.search(r"-?\d+(\.\d+)?", text)
                value = float(number.group()) if number else parse_number(raw)
                if value is not None:
                    total += value / HOURS_PER_DAY if hours else value
                    found = True
            return total if found else 0.0
    return None


def reconcile(names: list[str], rows: list[list], monthly: pd.DataFrame, roster, mapping, source: str):
    """The 核对 frame and the findings (people in the file kaohe cannot match)."""
    maps = identity_maps(roster, mapping)
    ext: dict[str, dict[str, float]] = {}
    unknown: dict[str, int] = {}
    get = lambda row, n: row[names.index(n)] if n in names and names.index(n) < len(row) else None  # noqa: E731
    for row in rows:
        name = LEFT_SUFFIX.sub("", str(get(row, "姓名") or "")).strip()
        emp = match(maps, emp=get(row, "工号"), dingtalk=get(row, "UserId"), wecom=get(row, "账号"), name=name)
        if emp is None:
            if name:
                unknown[name] = unknown.get(name, 0) + 1
            continue
        person = ext.setdefault(emp, {})
        for measure, (candidates, _) in MEASURES.items():
            v = _value(row, names, candidates)
            if v is not None:
                person[measure] = person.get(measure, 0.0) + v
    out = []
    m = monthly.set_index("emp")
    for emp in sorted(ext):
        if emp not in m.index:
            continue
        for measure, (_, field) in MEASURES.items():
            if measure not in ext[emp]:
                continue
            theirs, ours = round(ext[emp][measure], 2), float(m.at[emp, field])
            diff = round(ours - theirs, 2)
            out.append({"emp": emp, "name": m.at[emp, "name"], "item": measure, "external": theirs, "ours": ours,
                        "diff": diff, "note": (WHY.get(measure, "请核对原始记录") if diff else "一致")})
    findings = [Finding(source, "", f"“{n}”在人员对照和员工名册中都找不到（{k}行）", "不参与核对", "ATT-03", "第十八条")
                for n, k in sorted(unknown.items())]
    return pd.DataFrame(out, columns=["emp", "name", "item", "external", "ours", "diff", "note"]), findings
