"""docs/规则说明.md's 罚则 section (ATT-14..ATT-19): the columns, the default rows and the worked examples, made
from the table's own rows and words (kaohe.policy.penalties), so that the text cannot drift from what is read.

Each worked example is also a test with the same rows and hand-worked figures (tests/engine/test_penalties.py
and, through the workbook, tests/jobs/test_penalties_month.py).
"""
from __future__ import annotations

from kaohe.jobs.markdown import md_table
from kaohe.policy import DEFAULT
from kaohe.policy import penalties as pt
from kaohe.policy.penalties import PenaltyRow as R

COLUMNS = (
    ("规则编号", "该行所依据的规则编号（如 ATT-04）；空时按事件和处理取 ATT-04/05/06 或 ATT-15..19"),
    ("条款", "公司制度的条款，供查阅"),
    ("事件", "、".join(pt.EVENT_NAMES.values())),
    ("计数", "本月次数记在哪个计数上；空为事件本身。迟到和早退写同一名称（如 迟到早退）即共用一个计数"),
    ("超过分钟、至分钟", "分钟段：超过…分钟、至…分钟（含）；只用于迟到、早退，空为不限"),
    ("处理", "、".join(pt.EFFECT_NAMES.values())),
    ("数额", "罚款的元、每分钟的元、记旷工或扣工资的天数、全勤奖的元；按分钟扣小时工资时为倍数（空为 1）"),
    ("每次上限", "每分钟罚款、按分钟扣小时工资每次最多的元"),
    ("每月免罚次数", "本月前几次只计次，不处理"),
    ("自第几次起、每几次、至第几次", "这一行适用的本月次数"),
    ("转入次数、转入行", "自第 N 次起改按另一行（写行号）的处理和数额"),
    ("假别", "全勤奖：取消全勤奖的假别；扣假期余额：扣哪种假的余额"),
)

# (title, rows, the month, what kaohe gives, the test that checks it) — the worked examples; each is a test
# with the same figures (tests/test_docs.py checks the tests named exist).
EXAMPLES = (
    ("前两次迟到免罚，此后每次扣 0.25 天工资",
     (R(2, "ATT-17", "", pt.LATE, pt.WAGE_DAYS, amount=0.25, free=2),),
     "日工资 200 元；本月迟到 4 次，每次 10 分钟。",
     "第 1、2 次只计次；第 3、4 次各扣 0.25 × 200 = 50 元，迟到早退罚款共 100 元，不计旷工。",
     "tests/engine/test_penalties.py::test_first_two_lates_free_then_a_quarter_days_wage_each"),
    ("每 3 次迟到记旷工半天",
     (R(2, "ATT-15", "", pt.LATE, pt.ABSENT, amount=0.5, every=3, start=3),),
     "日工资 200 元；本月迟到 7 次（11 月 2–6、9、10 日），每次 5 分钟。",
     "第 3 次（4 日）和第 6 次（9 日）各记旷工 0.5 天，旷工 1 天，旷工扣款 200 元；其余 5 次只计次，不罚款。",
     "tests/engine/test_penalties.py::test_three_lates_are_half_a_day_of_absence"),
    ("每分钟罚 1 元，每次最多 50 元",
     (R(2, "ATT-16", "", pt.LATE, pt.PER_MINUTE, amount=1, cap=50),),
     "本月迟到 3 次：10、45、70 分钟。",
     "10 + 45 + 50 = 105 元；罚则表已规定迟到的全部处理，45、70 分钟也不再按旷工。",
     "tests/engine/test_penalties.py::test_a_fine_per_minute_capped_at_50_a_time"),
    ("第 3 次起每次 50 元，第 5 次起每次 100 元",
     (R(2, "ATT-17", "", pt.LATE, pt.COUNT, until=2), R(3, "ATT-15", "", pt.LATE, pt.FINE, amount=50, start=3, until=4),
      R(4, "ATT-15", "", pt.LATE, pt.FINE, amount=100, start=5)),
     "本月迟到 6 次，每次 3 分钟。",
     "0 + 0 + 50 + 50 + 100 + 100 = 300 元；第 3 次的说明为“本月第3次迟到（罚则第3行：第3至4次每次50元）, 罚款50元”。",
     "tests/engine/test_penalties.py::test_escalation_from_the_third_late_50_from_the_fifth_100"),
    ("每月补卡 3 次，第 4 次起不予补卡（按缺卡每次 20 元）",
     (R(2, "ATT-17", "", pt.MAKEUP, pt.COUNT, until=3), R(3, "ATT-18", "", pt.MAKEUP, pt.REFUSE, start=4),
      R(4, "ATT-05", "", pt.MISSING, pt.FINE, amount=20)),
     "本月 4 个上午没有上班卡：2 次已批准的打卡异常、2 次钉钉补卡审批（打卡导入的类型为“补卡审批”）。",
     "前 3 次补卡有效；第 4 次（5 日）不予补卡，该次打卡按缺卡，罚款 20 元。",
     "tests/engine/test_penalties.py::test_three_makeups_a_month_the_fourth_refused_and_fined_as_a_missing_punch"),
    ("全勤奖 200 元，迟到、早退、旷工、事假取消",
     (R(2, "ATT-19", "", pt.BONUS, pt.PAY, amount=200, leave_types=("事假",)),),
     "四人整月在职：甲每天准时；乙 2 日迟到 10 分钟；丙 4 日事假 1 天；丁 4 日病假 1 天（有证明）。",
     "甲、丁各发全勤奖 200 元（病假未列在假别中，不影响）；乙、丙不发。罚则表只写了全勤奖，乙的迟到仍按规则表罚款 20 元。",
     "tests/engine/test_penalties.py::test_full_attendance_bonus_200_lost_by_a_late_or_a_named_leave_type"),
)


# 弹性上班 and 晚走晚到 (ATT-12, ATT-13) are columns of 班次 (规则 parameters for 标准工时): they change the late
# minutes before the 罚则 rows see them; here with the default rows (1–30 minutes ¥20, over 30 half a day).
FLEXIBLE_EXAMPLES = (
    ("弹性上班 30 分钟（ATT-12）", "班次“白班”08:30–12:00、13:30–17:30，弹性分钟 30。",
     "周一 08:50 上班、17:50 下班；另一周一 08:50 上班、17:40 下班；再一周一 09:10 上班。",
     "第一天迟到 20 分钟被晚走 20 分钟抵消，不算迟到；第二天只抵消 10 分钟，按迟到 10 分钟罚款 20 元；"
     "第三天迟到 40 分钟超过弹性分钟，照常按 40 分钟计（超过 30 分钟，旷工半天）。",
     "tests/engine/test_attendance.py::test_ATT_12_flexible_start_offset_by_staying_as_long_after"),
    ("晚走晚到：21:00 以后下班，次日 10:00 前到岗不算迟到（ATT-13）", "班次“白班”晚走时间 21:00、次日最晚上班 10:00。",
     "周一最后一次打卡 21:30，周二 09:55 到岗；另一周一 21:00 下班，周二 10:05 到岗；再一周一 20:50 下班，周二 09:55 到岗。",
     "第一个周二不算迟到；第二个周二从 10:00 起算迟到 5 分钟，罚款 20 元；第三个周一不到 21:00，周二照常从 08:30 起算，"
     "迟到 85 分钟（旷工半天）。",
     "tests/engine/test_attendance.py::test_ATT_13_working_late_moves_the_next_days_start"),
)


def _row_cells(r: pt.PenaltyRow) -> tuple:
    return (r.row, pt.EVENT_NAMES[r.event], r.rule, pt.describe(r))


def penalties_markdown() -> list[str]:
    """The 罚则 section's lines."""
    lines = ["## 罚则表（ATT-14..ATT-19）", "",
             "工作簿的“罚则”表把迟到、早退、缺卡、补卡、旷工和全勤奖的规定写成一行一行（考勤模板已按规则表填好默认行；"
             "已有的工作簿可用 `kaohe add-sheet 工作簿.xlsx 罚则` 添加，这样添加的表没有下拉列表；"
             "从考勤模板复制的罚则表带“事件”“处理”的下拉列表）。表中写了的事件只按罚则表计算，没写的事件仍按规则表。"
             "每笔罚款、旷工在每日明细的说明中写明所依据的罚则行和本月第几次，如“本月第3次迟到（罚则第4行：第3次起每次50元）”。", ""]
    lines += md_table(("列", "含义"), COLUMNS)
    lines += ["", "默认行（按规则表的默认值生成；没有罚则表时 kaohe 就按这些行计算）：", ""]
    lines += md_table(("行", "事件", "规则", "规定"), [_row_cells(r) for r in pt.default_rows(DEFAULT)])
    lines.append("")
    for n, (title, rows, facts, result, test) in enumerate(EXAMPLES, 1):
        lines += [f"### 示例{n}：{title}", ""] + md_table(("行", "事件", "规则", "规定"), [_row_cells(r) for r in rows])
        lines += ["", f"情况：{facts}", "", f"结果：{result}（测试：`{test}`）", ""]
    for n, (title, setting, facts, result, test) in enumerate(FLEXIBLE_EXAMPLES, len(EXAMPLES) + 1):
        lines += [f"### 示例{n}：{title}", "", f"设置：{setting}", "", f"情况：{facts}", "", f"结果：{result}（测试：`{test}`）", ""]
    return lines
