"""Functions typed in cells: =LATEFINE(A2), =DAYTYPE(B2), =LEAVECHECK(...) (xlwings UDFs).

Thin: each converts what Excel passes, calls the engine (the same code and the same Policy as
the commands) and formats the result. They are plain Python functions as well, so they are
tested by calling them directly; on Windows the add-in carries their VBA wrappers.

Conventions (docs/工作簿约定.md):
    - A range in gives an array of the same shape out: one call serves a whole column.
    - Blanks count as 0 or "no value" (a blank punch gives a blank result).
    - A bad value gives a short Chinese error text in that cell only (``错误：…``), never a traceback.
    - Where the calling workbook has a 规则 or 节假日 sheet, the functions honour it: both are
      read once per workbook and kept until they change (kaohe.doors.cells).
    - None is volatile: Excel recalculates a cell when its arguments change, and the add-in
      recalculates kaohe's cells of a workbook when its 规则 or 节假日 changes (kaohe.doors.cells).
"""
from __future__ import annotations

import datetime as dt
import math

import xlwings as xw

from kaohe import terms
from kaohe.doors.cells import CellError, cellwise, context, errors_as_text
from kaohe.engine.kpi import combined, indicator_points
from kaohe.engine.leave_types import annual_entitlement
from kaohe.engine.overtime import overtime_pay
from kaohe.engine.attendance import (TIER_FINED, TIER_FULL, TIER_HALF, TIER_OK, early_minutes, late_minutes, late_tier)
from kaohe.engine.ledger import daily_wage, money
from kaohe.engine.penalties import month_of_minutes, one_event
from kaohe.jobs import person as live
from kaohe.policy import penalties as pt
from kaohe.policy.tables import DATA, DOWN, UP, Indicator
from kaohe.values import is_blank, parse_date, parse_datetime, parse_number, parse_time


CATEGORY = "考勤绩效"  # the group of these functions in Insert Function
# The optional facts of a person the days of a leave depend on (LEAVEDAYS, LEAVECHECK; CELL_FUNCTION_OPTIONS).
GENDER_HELP = "性别（可省略；女员工在规则的妇女节下午放假）"
HOURS_SYSTEM_HELP = "工时制：标准工时 或 综合工时（可省略，默认标准工时）"
SHIFT_HELP = "综合工时的班次时间，如 22:00-06:00 或 07:00-11:00,16:00-20:00（视为请假期间每天排此班）"


def _minutes(value) -> int:
    if is_blank(value):
        return 0
    n = parse_number(value) if not isinstance(value, (int, float)) else float(value)
    if n is None or n < 0 or not math.isfinite(n):
        raise CellError("分钟数无效")
    return int(n)


def _nth(value) -> int:
    """LATEFINE's count of the month: blank is the 1st; below 1 or not whole is an error, never a guessed count."""
    if is_blank(value):
        return 1
    try:
        n = parse_number(value) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        n = None
    if n is None or not math.isfinite(n) or n < 1 or not float(n).is_integer():
        raise CellError("本月第几次应为不小于1的整数")
    return int(n)


TIER_LABELS = {TIER_OK: terms.LATE_OK, TIER_FINED: terms.LATE_FINED, TIER_HALF: terms.LATE_HALF, TIER_FULL: terms.LATE_FULL}


# --- the functions ------------------------------------------------------------------------

@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则、节假日 or 罚则 changes
@xw.arg("minutes", ndim=2, doc="迟到或早退的分钟数（可选一列）")
@xw.arg("nth", doc="本月第几次（可省略，默认第1次；罚则表按次数处理时填写）")
@cellwise
def LATEFINE(minutes, nth=None, caller=None):
    ("第十九条、罚则表：一次迟到的罚款（按工作簿的罚则表，没有则按规则表；本月第几次可省略）。"
     "弹性上班、晚走晚到要看当天的打卡，单元格不能判断，请填已扣除弹性后的分钟数；按工资扣的罚则请用 MONTHLATEFINE。")
    ctx = context(caller)
    fine, _, needs_wage = one_event(ctx.penalties, pt.LATE, _minutes(minutes), _nth(nth), ctx.policy)
    if needs_wage:
        raise CellError("此罚则按工资计算，请用 MONTHLATEFINE 并写岗位基本工资")
    return float(fine)


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则、节假日 or 罚则 changes
@xw.arg("minutes", ndim=2, doc="本人本月各次迟到的分钟数（按日期先后的一列或一行）")
@xw.arg("base", doc="岗位基本工资（可省略；按工资扣的罚则须填写）")
@errors_as_text
def MONTHLATEFINE(minutes, base=None, caller=None):
    ("罚则表：一个人一个月的迟到罚款和扣款合计（按次数、免罚、每分钟、上限、转入等规定，与“计算本月”相同；"
     "按旷工的部分见旷工扣款）。弹性上班、晚走晚到要看当天的打卡，单元格不能判断。")
    try:
        ctx = context(caller)
        cells = minutes if isinstance(minutes, (list, tuple)) else [[minutes]]
        values = [_minutes(v) for row in cells for v in (row if isinstance(row, (list, tuple)) else [row])]
        wage = 0.0 if is_blank(base) else parse_number(base)
        if wage is None or wage < 0:
            raise CellError("工资无效")
        total, _ = month_of_minutes(ctx.penalties, pt.LATE, values, float(daily_wage(wage, ctx.policy)), ctx.policy)
        return float(money(total))
    except CellError as exc:
        return f"错误：{exc}"


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("minutes", ndim=2, doc="迟到或早退的分钟数")
@cellwise
def ABSENTDAYS(minutes, caller=None):
    """第十九条、罚则表：一次迟到折算的旷工天数（按工作簿的罚则表的第1次，没有则按规则表的旷工半天/一天折算天数）。"""
    ctx = context(caller)
    return one_event(ctx.penalties, pt.LATE, _minutes(minutes), 1, ctx.policy)[1]


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("minutes", ndim=2, doc="迟到或早退的分钟数")
@cellwise
def LATESTATUS(minutes, caller=None):
    """第十九条：正常 / 迟到早退 / 旷工半天 / 旷工1天。"""
    policy = context(caller).policy
    return TIER_LABELS[late_tier(_minutes(minutes), policy)]


def _time_of(value) -> dt.time | None:
    if is_blank(value):
        return None
    if isinstance(value, (dt.datetime, str)) and not isinstance(value, dt.time):
        try:
            stamp = parse_datetime(value)
            return stamp.time() if stamp else None
        except ValueError:
            pass
    if isinstance(value, (int, float)) and value >= 1:  # a date-time serial: its time of day
        value = value % 1
    try:
        return parse_time(value)
    except ValueError:
        raise CellError("时间无效") from None


def _edge_minutes(punch, reference, default: dt.time, rule):
    """The engine's minutes (``rule``: late_minutes or early_minutes, ATT-04) of a punch's time of day against its
    schedule edge, both on one day; a blank punch: blank."""
    t = _time_of(punch)
    if t is None:
        return ""
    edge = _time_of(reference) or default  # a blank reference: the schedule's default
    day = dt.date(2000, 1, 3)
    return int(rule(dt.datetime.combine(day, t), dt.datetime.combine(day, edge))[0])


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("punch", ndim=2, doc="上班打卡时间（可选一列）")
@xw.arg("start_time", doc="应上班时间，默认规则中的上午上班时间")
@cellwise
def LATEMINUTES(punch, start_time=None, caller=None):
    """第十九条：迟到的整分钟数（秒数舍去）。不计弹性上班、晚走晚到（ATT-12、ATT-13）：它们要看当天的下班打卡和前一天的打卡，单元格只看到这一次打卡；以计算本月的每日明细为准。"""
    return _edge_minutes(punch, start_time, context(caller).policy.am_start, late_minutes)


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("punch", ndim=2, doc="下班打卡时间（可选一列）")
@xw.arg("end_time", doc="应下班时间，默认规则中的下午下班时间")
@cellwise
def EARLYMINUTES(punch, end_time=None, caller=None):
    """第十九条：早退的整分钟数（秒数舍去）。"""
    return _edge_minutes(punch, end_time, context(caller).policy.pm_end, early_minutes)


def _date(value, what="日期") -> dt.date:
    try:
        day = parse_date(value)
    except ValueError:
        raise CellError(f"{what}无效") from None
    if day is None:
        raise CellError(f"缺少{what}")
    return day


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("day", ndim=2, doc="日期（可选一列）")
@xw.arg("gender", doc="性别（可省略）")
@cellwise
def DAYTYPE(day, gender=None, caller=None):
    """第十四条：工作日 / 休息日 / 法定节假日 / 调休休息日 / 调休上班（国务院通知为准，节假日表优先）。"""
    if is_blank(day):
        return ""
    calendar = context(caller).calendar
    try:
        return calendar.day_type(_date(day))
    except ValueError as exc:
        raise CellError(str(exc)) from None


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("first_day", doc="开始日期")
@xw.arg("last_day", doc="结束日期（含）")
@errors_as_text
def WORKDAYS(first_day, last_day, caller=None):
    """第四条、第十四条：两个日期之间（含首尾）按公司日历的工作日数。"""
    try:
        calendar = context(caller).calendar
        a, b = _date(first_day, "开始日期"), _date(last_day, "结束日期")
        if b < a:
            raise CellError("结束日期早于开始日期")
        return calendar.workdays(a, b)
    except CellError as exc:
        return f"错误：{exc}"


def _shift(text) -> tuple[dt.time, ...]:
    """班次 as typed in a cell: ``22:00-06:00`` or ``07:00-11:00,16:00-20:00``."""
    if is_blank(text):
        return ()
    try:
        parts = [p.split("-") for p in str(text).replace("，", ",").replace("–", "-").split(",") if p.strip()]
        times = tuple(parse_time(t.strip()) for pair in parts for t in pair)
    except ValueError:
        raise CellError("班次无效（如 22:00-06:00）") from None
    shift = tuple(t for t in times if t is not None)
    if len(times) not in (2, 4) or len(shift) != len(times):
        raise CellError("班次无效（如 22:00-06:00）")
    return shift


def _person(gender, hours_system, shift) -> dict:
    """The optional facts of a person a leave's days depend on (性别, 工时制, 班次)."""
    if not is_blank(gender) and gender not in (terms.MALE, terms.FEMALE):
        raise CellError("性别无效")
    if not is_blank(hours_system) and hours_system not in (terms.STANDARD_HOURS, terms.COMPREHENSIVE_HOURS):
        raise CellError("工时制无效")
    comprehensive = hours_system == terms.COMPREHENSIVE_HOURS
    times = _shift(shift)
    if comprehensive and not times:
        raise CellError("综合工时须填写班次")
    return {"gender": None if is_blank(gender) else gender, "comprehensive": comprehensive, "shift": times}


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("kind", doc="假别，如 事假、病假、年休假")
@xw.arg("start_time", doc="开始时间（日期或日期时间）")
@xw.arg("end_time", doc="结束时间；只写日期表示到当天下班")
@xw.arg("gender", doc=GENDER_HELP)
@xw.arg("hours_system", doc=HOURS_SYSTEM_HELP)
@xw.arg("shift", doc=SHIFT_HELP)
@errors_as_text
def LEAVEDAYS(kind, start_time, end_time, gender=None, hours_system=None, shift=None, caller=None):
    """第二十九至三十六条：请假天数（丧假、产假按日历天，其他按应出勤的半天计）。单元格看不到排班表：综合工时按所填班次每天排班计算。"""
    rules = context(caller)
    try:
        if is_blank(start_time) or is_blank(end_time):
            raise CellError("缺少开始或结束时间")
        return live.leave_days(kind, start_time, end_time, _person(gender, hours_system, shift), rules)
    except (CellError, ValueError) as exc:
        return f"错误：{exc}"


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("kind", doc="假别，如 事假、病假、年休假")
@xw.arg("start_time", doc="开始时间")
@xw.arg("end_time", doc="结束时间")
@xw.arg("applied", doc="申请日期")
@xw.arg("status", doc="审批状态，默认 已批准")
@xw.arg("proof", doc="证明材料（病假、婚假等需要时填写）")
@xw.arg("event_date", doc="事由日期，如结婚登记日、亲属去世日")
@xw.arg("regular", doc="转正日期")
@xw.arg("work_start", doc="参加工作日期（计算年休假）")
@xw.arg("hired", doc="入职日期")
@xw.arg("gender", doc=GENDER_HELP)
@xw.arg("hours_system", doc=HOURS_SYSTEM_HELP)
@xw.arg("shift", doc=SHIFT_HELP)
@errors_as_text
def LEAVECHECK(kind, start_time, end_time, applied, status="已批准", proof=None, event_date=None, regular=None,
               work_start=None, hired=None, gender=None, hours_system=None, shift=None, caller=None):
    """第二十二至三十六条：请假是否合规：通过，或第一条不符合的规则及条款。单元格看不到其他请假记录和调休余额：重叠、年度累计和余额由“校验请假”核对。"""
    rules = context(caller)
    leave = {"type": kind, "start": start_time, "end": end_time, "applied": applied, "status": status, "proof": proof,
             "event_date": event_date}
    person = {**_person(gender, hours_system, shift), "regular": regular, "work_start": work_start, "hired": hired}
    try:
        return live.leave_check(leave, person, rules)
    except (CellError, ValueError) as exc:
        return f"错误：{exc}"


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("work_start", doc="参加工作日期（累计工龄起算）")
@xw.arg("hire_date", doc="入职本公司日期")
@xw.arg("in_year", doc="年份，如 2026")
@xw.arg("sick_days", doc="当年病假日历天数（含其中的休息日、节假日），默认 0")
@errors_as_text
def ANNUALLEAVE(work_start, hire_date, in_year, sick_days=0, caller=None):
    """第三十五条：当年年休假天数（按规则中的工龄档，不低于职工带薪年休假条例；入职当年按剩余日历天数折算）。单元格看不到请假记录：当年病假日历天数须填写。"""
    policy = context(caller).policy
    try:
        return annual_entitlement(parse_date(work_start), parse_date(hire_date), int(in_year),
                                     float(sick_days or 0), policy)
    except (ValueError, TypeError):
        return "错误：参数无效"


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("base", ndim=2, doc="岗位基本工资（可选一列）")
@cellwise
def DAILYWAGE(base, caller=None):
    """PAY-01：日工资 = 岗位基本工资 ÷ 规则中的月计薪天数（保留两位小数）。"""
    policy = context(caller).policy
    value = 0.0 if is_blank(base) else parse_number(base)
    if value is None or value < 0:
        raise CellError("工资无效")
    return float(money(daily_wage(value, policy)))


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("hours", doc="加班小时数")
@xw.arg("day_type", doc="日类型：工作日、休息日 或 法定节假日")
@xw.arg("base", doc="岗位基本工资")
@errors_as_text
def OTPAY(hours, day_type, base, caller=None):
    """第九条、第十三条：加班费 = 小时 × 小时工资 × 规则中该日类型的加班倍数（工作日、休息日、法定节假日）。"""
    policy = context(caller).policy
    if day_type not in terms.DAY_TYPES:
        return "错误：日类型无效"
    try:
        h = parse_number(hours) or 0.0  # blank: 0
        b = parse_number(base) or 0.0
    except ValueError:
        return "错误：参数无效"
    if h < 0 or b < 0:
        return "错误：参数无效"
    return float(money(overtime_pay(h, b, day_type, policy)))


@xw.func(category=CATEGORY)  # reads no rule: recalculated with its arguments only
@xw.arg("weight", doc="权重（满分）")
@xw.arg("direction", doc="越高越好 或 越低越好")
@xw.arg("target", doc="目标值：达到得满分")
@xw.arg("floor", doc="底线值：达到得0分")
@xw.arg("value", ndim=2, doc="指标数值（可选一列；比率可写 45.2%）")
@cellwise
def KPIPOINTS(value, weight, direction, target, floor):
    """KPI-02：指标得分：达到目标值得满分，达到底线值得0分，中间按比例。"""
    if is_blank(value):
        return ""
    if direction not in (UP, DOWN):
        raise CellError("方向应为 越高越好 或 越低越好")
    v, w, t, f = (parse_number(x) for x in (value, weight, target, floor))
    if v is None or w is None or t is None or f is None or t == f:
        raise CellError("数值无效")
    return indicator_points(v, Indicator("", w, direction, t, f, DATA))


@xw.func(category=CATEGORY)  # not volatile: the add-in recalculates it when 规则 or 节假日 changes
@xw.arg("self_score", doc="自评分")
@xw.arg("manager_score", doc="店长评分")
@errors_as_text
def KPISCORE(self_score, manager_score, caller=None):
    """KPI-03：综合得分 = 自评分与店长评分按规则中的权重加权（两位小数）。"""
    policy = context(caller).policy
    try:
        s, m = parse_number(self_score) or 0.0, parse_number(manager_score) or 0.0
    except ValueError:
        return "错误：分数无效"
    return combined(s, m, policy)


FUNCTIONS = (LATEFINE, MONTHLATEFINE, ABSENTDAYS, LATESTATUS, LATEMINUTES, EARLYMINUTES, DAYTYPE, WORKDAYS, LEAVEDAYS, LEAVECHECK,
             ANNUALLEAVE, DAILYWAGE, OTPAY, KPIPOINTS, KPISCORE)
