"""考勤表: the printable month grid HR signs (an output of compute-month).

One column per day (the weekday in a second header row), two rows per person (上午 / 下午),
a code per half day from the legend in 规则 (考勤表图例), totals at the right, the legend at the
bottom and a signature line; A4 landscape on one page width.

A half day shows, in this order of precedence: the leave type; 旷 for a half day with no punch;
缺 for a missing punch; 迟 / 早 for a fined late arrival or early leave (or 旷 when the lateness
counts as absenteeism); √ when attended (paper attendance included); 休 on a day off; nothing
outside employment.
"""
from __future__ import annotations

import pandas as pd

from kaohe.engine.month import MonthResult
from kaohe.workbook import contract as c
from kaohe.workbook.sheetxml import Column, SheetSpec, page_header

SESSIONS = ((1, "上午"), (2, "下午"))
# Points: the header row holds totals such as 应出勤天数 wrapped on two or three lines in a narrow column;
# both it and the weekday row under it repeat on every printed page.
HEADER_HEIGHT = 48
TOTALS = ("应出勤天数", "实出勤天数", "迟到次数", "早退次数", "缺卡次数", "旷工天数", "事假天数", "病假天数", "年休假天数", "调休天数")
TOTAL_FIELDS = {"应出勤天数": "due_days", "实出勤天数": "present_days", "迟到次数": "late_count", "早退次数": "early_count",
                "缺卡次数": "missing_count", "旷工天数": "absent_days", "事假天数": "days_事假", "病假天数": "days_病假",
                "年休假天数": "days_年休假", "调休天数": "days_调休"}


def legend(text: str) -> dict[str, str]:
    out = {}
    for item in text.replace("，", ",").split(","):
        if "=" in item:
            name, code = item.split("=", 1)
            out[name.strip()] = code.strip()
    return out


def session_codes(result: MonthResult, codes: dict[str, str]) -> dict[tuple[str, pd.Timestamp, int], str]:
    """The code of every (employee, date, session) that has one."""
    s = result.sessions
    out = {}
    for r in s.itertuples(index=False):
        if r.leave is not None and r.leave == r.leave:
            code = codes.get(r.leave, r.leave[:1])
        elif r.no_punch or r.late_half or r.late_full or r.early_half or r.early_full:
            code = codes.get("旷工", "旷")
        elif r.missing:
            code = codes.get("缺卡", "缺")
        elif r.late_fined:
            code = codes.get("迟到", "迟")
        elif r.early_fined:
            code = codes.get("早退", "早")
        else:
            code = codes.get("出勤", "√")
        out[(r.emp, r.date, r.sess)] = code
    return out


def grid_spec(result: MonthResult) -> SheetSpec:
    codes = legend(result.policy.grid_legend)
    daily = result.daily
    dates = sorted(daily["date"].unique())
    by_session = session_codes(result, codes)
    kind = {(e, d): (t, w) for e, d, t, w in zip(daily["emp"], daily["date"], daily["day_type"],
                                                  daily["note"].str.startswith("ATT-09"))}
    monthly = result.monthly.set_index("emp")
    rows = []
    for emp, name in zip(monthly.index, monthly["name"]):
        for sess, label in SESSIONS:
            row = [emp if sess == 1 else None, name if sess == 1 else None, label]
            for d in dates:
                code = by_session.get((emp, d, sess))
                if code is None:
                    day_type, outside = kind.get((emp, d), ("", True))
                    code = codes.get("未在职", "") if outside else codes.get("休息", "休")
                row.append(code or None)
            totals = [float(monthly.at[emp, TOTAL_FIELDS[t]]) if sess == 1 else None for t in TOTALS]
            rows.append(row + totals)
    first = pd.Timestamp(dates[0]) if dates else None
    month = f"{first:%Y年%m月}" if first is not None else result.month
    weekdays = ["", "", ""] + [("一二三四五六日")[pd.Timestamp(d).day_of_week] for d in dates] + [""] * len(TOTALS)
    title = [f"{month}考勤表"] + [None] * (len(weekdays) - 1)
    legend_line = "图例：" + "  ".join(f"{code}={name}" for name, code in codes.items() if code)
    rows.append([None] * len(weekdays))
    rows.append([legend_line] + [None] * (len(weekdays) - 1))
    rows.append(["制表：__________    部门负责人：__________    人力资源部：__________    日期：__________"]
                + [None] * (len(weekdays) - 1))
    # Narrow enough that a 31-day month fits one A4 landscape page wide at about 67 % (11 pt prints at 7.4 pt).
    columns = ([Column("工号", "text", 6), Column("姓名", "text", 7), Column("时段", "text", 5)]
               + [Column(str(pd.Timestamp(d).day), "text", 3) for d in dates]
               + [Column(t, "days", 5.5) for t in TOTALS])
    body = [weekdays[:3] + weekdays[3:]] + rows
    notes = {len(body) - k: "note" for k in (1, 2, 3)}  # the blank row, legend and signature: outside the grid's borders
    return SheetSpec(c.GRID.name, columns, rows=body, header_rows=[title],
                     freeze="D3", autofilter=False, landscape=True, fit_width=True, print_titles=True,
                     merge=[f"A1:{_letter(len(columns) - 1)}1"], row_styles=notes,
                     title_rows=2, row_heights={1: 24, 2: HEADER_HEIGHT},
                     page_header=page_header(result.policy.company_name, title[0]))


def _letter(index: int) -> str:
    from kaohe.workbook.values import column_letter

    return column_letter(index)
