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

import numpy as np
import pandas as pd

from kaohe import terms
from kaohe.engine.month import MonthResult
from kaohe.policy.leave_table import default_table, legend_of
from kaohe.workbook import contract as c
from kaohe.workbook.sheetxml import Column, SheetSpec, page_header
from kaohe.values import column_letter


SESSIONS = ((1, "上午"), (2, "下午"))
# Points: the header row holds totals such as 应出勤天数 wrapped on two lines in a narrow column;
# both it and the weekday row under it repeat on every printed page.
HEADER_HEIGHT = 48
TOTALS = ("应出勤天数", "实出勤天数", "迟到次数", "早退次数", "缺卡次数", "旷工天数", "事假天数", "病假天数", "年休假天数", "调休天数")
TOTAL_FIELDS = {"应出勤天数": "due_days", "实出勤天数": "present_days", "迟到次数": "late_count", "早退次数": "early_count",
                "缺卡次数": "missing_count", "旷工天数": "absent_days", "事假天数": "days_事假", "病假天数": "days_病假",
                "年休假天数": "days_年休假", "调休天数": "days_调休"}


def grid_codes(policy) -> dict[str, str]:
    """The code of each name: 规则's 考勤表图例 (a 假别 sheet's 考勤表符号 merged in, leave_table.policy_with) over the
    default 假别 rows' symbols (the statutory types': 哺 检 陪 育 流 护)."""
    return {**{t.name: t.legend for t in default_table(policy) if t.legend}, **legend_of(policy.grid_legend)}


def legend_line(policy, sessions: pd.DataFrame | None, codes: dict[str, str]) -> str:
    """图例: 规则's 考勤表图例, then every other leave type the grid shows (an HR-added 无薪假 → 无) with its code."""
    items = legend_of(policy.grid_legend)
    shown = sessions["leave"].dropna().unique() if sessions is not None and len(sessions) else ()
    items.update({k: codes.get(k, k[:1]) for k in sorted(map(str, shown)) if k not in items})
    return "图例：" + "  ".join(f"{code}={name}" for name, code in items.items() if code)


def session_codes(sessions: pd.DataFrame, codes: dict[str, str]) -> np.ndarray:
    """The code of every evaluated half day (a row of ``sessions``), in the precedence above."""
    leave = sessions["leave"]
    on_leave = leave.notna().to_numpy()
    leave_code = leave.map(lambda k: codes.get(k, k[:1]) if isinstance(k, str) else None).to_numpy(dtype=object)
    absent = (sessions["no_punch"] | sessions["late_half"] | sessions["late_full"] | sessions["early_half"]
              | sessions["early_full"]).to_numpy(dtype=bool)
    flags = [on_leave, absent, sessions["missing"].to_numpy(dtype=bool), sessions["late_fined"].to_numpy(dtype=bool),
             sessions["early_fined"].to_numpy(dtype=bool)]
    choices = [leave_code, codes.get("旷工", "旷"), codes.get("缺卡", "缺"), codes.get("迟到", "迟"), codes.get("早退", "早")]
    return np.select(flags, choices, default=codes.get("出勤", "√")).astype(object)


def code_matrix(result: MonthResult, codes: dict[str, str], emps: pd.Index, dates: pd.Index) -> np.ndarray:
    """Codes as an (employee, session, date) array: days off and days outside employment first,
    then every evaluated half day over them; a blank code is None."""
    grid = np.full((len(emps), len(SESSIONS), len(dates)), codes.get("未在职", ""), dtype=object)
    daily = result.daily
    e, d = emps.get_indexer(daily["emp"]), dates.get_indexer(daily["date"])
    ok = (e >= 0) & (d >= 0) & daily["employed"].to_numpy(dtype=bool)
    grid[e[ok], :, d[ok]] = codes.get("休息", "休")
    s = result.sessions
    if s is not None and len(s):
        e, d = emps.get_indexer(s["emp"]), dates.get_indexer(s["date"])
        k = s["sess"].to_numpy(dtype=int) - 1
        ok = (e >= 0) & (d >= 0)
        grid[e[ok], k[ok], d[ok]] = session_codes(s, codes)[ok]
    grid[grid == ""] = None
    return grid


def grid_spec(result: MonthResult) -> SheetSpec:
    codes = grid_codes(result.policy)
    monthly = result.monthly
    dates = pd.DatetimeIndex(sorted(result.daily["date"].unique()))
    n = len(monthly)
    matrix = code_matrix(result, codes, pd.Index(monthly["emp"]), dates).reshape(n * len(SESSIONS), len(dates))
    first_row = lambda values: np.ravel(np.column_stack([values, np.full(n, None, dtype=object)])).tolist()  # noqa: E731
    body = {"工号": first_row(monthly["emp"].to_numpy(dtype=object)), "姓名": first_row(monthly["name"].to_numpy(dtype=object)),
            "时段": [label for _ in range(n) for _, label in SESSIONS]}
    for i, d in enumerate(dates):
        body[str(d.day)] = matrix[:, i].tolist()
    for t in TOTALS:
        body[t] = first_row(monthly[TOTAL_FIELDS[t]].astype(float).to_numpy(dtype=object))
    month = f"{dates[0]:%Y年%m月}" if len(dates) else result.month
    # Narrow enough that a 31-day month fits one A4 landscape page wide at about 67 % (11 pt prints at 7.4 pt).
    columns = ([Column("工号", "text", 6), Column("姓名", "text", 7), Column("时段", "text", 5)]
               + [Column(str(d.day), "text", 3) for d in dates] + [Column(t, "days", 5.5) for t in TOTALS])
    weekdays = [None] * 3 + [terms.WEEKDAY_CHARS[d.day_of_week] for d in dates] + [None] * len(TOTALS)
    foot = [[], [legend_line(result.policy, result.sessions, codes)],
            ["制表：__________    部门负责人：__________    人力资源部：__________    日期：__________"]]
    data = {col.header: [weekdays[i]] + body[col.header] for i, col in enumerate(columns)}
    title = f"{month}考勤表"
    return SheetSpec(c.GRID.name, columns, data=data, header_rows=[[title]], foot_rows=foot,  # foot: no borders
                     freeze="D3", autofilter=False, landscape=True, fit_width=True, print_titles=True,
                     merge=[f"A1:{column_letter(len(columns) - 1)}1"], title_rows=2,
                     row_heights={1: 24, 2: HEADER_HEIGHT}, page_header=page_header(result.policy.company_name, title))
