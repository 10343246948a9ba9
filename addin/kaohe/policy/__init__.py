"""The company policy as data: every parameter of docs/规则说明.md with its rule ID and article.

Each field of :class:`Policy` carries, in its metadata, the 规则 sheet key (参数) HR uses to
override it, the rule ID, the article, a one-line Chinese explanation and, for a number, its unit
(元, 天, 分钟 …: HR may write it after the number). A number from the
policy is defined here once and nowhere else. :func:`policy_from_rows` applies HR's 规则
sheet; an unknown key or a bad value becomes a finding and the default stays.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from kaohe.findings import RULES_BAD_VALUE, RULES_UNKNOWN_KEY, Finding
from kaohe.policy.law import below_law
from kaohe.terms import WEEKDAYS
from kaohe.values import parse_time



def _p(default, key: str, rule: str, article: str, doc: str, kind: str = "number", unit: str = ""):
    """A policy field: its 规则 key, rule ID, article, explanation, kind of value and (a number) its unit."""
    return field(default=default, metadata={"key": key, "rule": rule, "article": article,
                                            "doc": doc, "kind": kind, "unit": unit})


@dataclass(frozen=True)
class Policy:
    """Every policy number, with the defaults of docs/规则说明.md."""

    # ATT-01 第四条: the standard-hours schedule.
    rest_weekday: int = _p(6, "标准工时休息日", "ATT-01", "第四条", "标准工时制每周休息的一天（周一…周日）", "weekday")
    am_start: dt.time = _p(dt.time(8, 30), "上午上班时间", "ATT-01", "第四条", "标准工时上午上班时间", "time")
    am_end: dt.time = _p(dt.time(12, 0), "上午下班时间", "ATT-01", "第四条", "标准工时上午下班时间", "time")
    pm_start: dt.time = _p(dt.time(13, 30), "下午上班时间", "ATT-01", "第四条", "标准工时下午上班时间", "time")
    pm_end: dt.time = _p(dt.time(17, 30), "下午下班时间", "ATT-01", "第四条", "标准工时下午下班时间", "time")
    # ATT-04 第十九条: lateness and early leave.
    late_fine: float = _p(20.0, "迟到早退罚款", "ATT-04", "第十九条", "迟到或早退在档内时每次罚款（元）", unit="元")
    late_half_day_minutes: int = _p(30, "旷工半天起点分钟", "ATT-04", "第十九条", "迟到早退超过此分钟数按旷工半天", "int", unit="分钟")
    late_full_day_minutes: int = _p(120, "旷工一天起点分钟", "ATT-04", "第十九条", "迟到早退超过此分钟数按旷工1天", "int", unit="分钟")
    late_grace_minutes: int = _p(0, "迟到宽限分钟", "ATT-04", "第十九条", "不超过此分钟数不算迟到早退", "int", unit="分钟")
    late_half_absence_days: float = _p(0.5, "旷工半天折算天数", "ATT-04", "第十九条",
                                       "迟到早退超过旷工半天起点（未超过旷工一天起点）时记旷工的天数", unit="天")
    late_full_absence_days: float = _p(1.0, "旷工一天折算天数", "ATT-04", "第十九条", "迟到早退超过旷工一天起点时记旷工的天数", unit="天")
    # ATT-12, ATT-13 第十九条: flexible hours of the standard schedule (a 班次 row carries its own); off by default.
    flex_minutes: int = _p(0, "弹性上班分钟", "ATT-12", "第十九条",
                           "标准工时：上班晚到不超过此分钟数、下班晚走同样分钟数的，不算迟到（0=不用弹性上班）", "int", unit="分钟")
    late_leave_time: dt.time | None = _p(None, "晚走时间", "ATT-13", "第十九条",
                                         "标准工时：前一天最后一次打卡不早于此时间的，当天上班最晚可到次日最晚上班（空=不用晚走晚到）",
                                         "clock")
    late_start_time: dt.time | None = _p(None, "次日最晚上班", "ATT-13", "第十九条",
                                         "标准工时：晚走（见晚走时间）后的当天，上班时间推迟到此时间（空=不用晚走晚到）", "clock")
    # ATT-05 第十七条, 第二十条.
    missing_punch_fine: float = _p(20.0, "缺卡罚款", "ATT-05", "第十七条", "每缺一次打卡罚款（元）", unit="元")
    # ATT-07 第十七条.
    proxy_punch_fine: float = _p(20.0, "代打卡罚款", "ATT-07", "第十七条", "代人打卡每次罚款（元）", unit="元")
    paper_attendance_days: int = _p(7, "纸质考勤天数", "ATT-07", "第十七条", "入职日起按纸质记录出勤的日历天数", "int", unit="天")
    # ATT-08 第十四条.
    womens_day_half: bool = _p(True, "妇女节下午放假", "ATT-08", "第十四条", "3月8日为工作日时女员工下午放假（是/否）", "bool")
    womens_day_month: int = _p(3, "妇女节月份", "ATT-08", "第十四条", "妇女节所在月份（与妇女节日期一起定这一天）", "int")
    womens_day_day: int = _p(8, "妇女节日期", "ATT-08", "第十四条", "妇女节是该月的几号", "int")
    # ATT-11 第十九条.
    duplicate_punch_seconds: int = _p(60, "重复打卡秒数", "ATT-11", "第十九条", "此秒数内的多次打卡算一次", "int", unit="秒")
    night_shift_tail_hours: float = _p(4.0, "跨夜班次归属小时", "ATT-11", "第十九条",
                                       "跨夜班次下班后此小时数内的次日打卡仍算前一天（不超过到次日第一个班次的中点）", unit="小时")
    # The printable month grid (考勤表): the code shown for each half day.
    grid_legend: str = _p("出勤=√,迟到=迟,早退=早,缺卡=缺,旷工=旷,事假=事,病假=病,年休假=年,婚假=婚,丧假=丧,产假=产,调休=调,"
                          "工伤假=伤,休息=休,未在职=", "考勤表图例", "ATT-03", "第十八条",
                          "考勤表每个半天显示的符号（名称=符号，逗号分隔）", "text")
    # Printing: the company name in the page header of 月度汇总, 每日明细, 考勤表 and the finance workbook.
    company_name: str = _p("", "公司名称", "PAY-04", "打印页眉", "打印时每页页眉左侧显示的公司名称（空则不显示）", "text")
    # OT-02, OT-03.
    overtime_step_hours: float = _p(0.5, "加班计量单位小时", "OT-02", "第七条", "加班小时按此单位向下取整", unit="小时")
    overtime_multiplier_workday: float = _p(1.5, "工作日加班倍数", "OT-03", "第九条", "工作日延长工作时间的加班费倍数", unit="倍")
    overtime_multiplier_rest_day: float = _p(2.0, "休息日加班倍数", "OT-03", "第九条", "休息日加班（未安排调休）的加班费倍数", unit="倍")
    overtime_multiplier_holiday: float = _p(3.0, "法定节假日加班倍数", "OT-03", "第十三条", "法定节假日当天加班的加班费倍数", unit="倍")
    # LV-01 第二十二/二十三条: a start this far before its application (事后补单) or after it is likely a typo.
    leave_backdate_max_days: int = _p(30, "请假补单最长天数", "LV-01", "第二十三条",
                                      "请假开始早于申请日期超过此天数，疑似日期录错，列入问题清单", "int", unit="天")
    leave_ahead_max_days: int = _p(180, "请假提前申请最长天数", "LV-01", "第二十二条",
                                   "请假开始晚于申请日期超过此天数，疑似日期录错，列入问题清单", "int", unit="天")
    # LV-03 第三十条.
    personal_notice_days_short: int = _p(1, "事假提前天数_3天以下", "LV-03", "第三十条", "事假不足3天须提前申请的天数", "int", unit="天")
    personal_notice_days_medium: int = _p(3, "事假提前天数_3至10天", "LV-03", "第三十条", "事假3至10天须提前申请的天数", "int", unit="天")
    personal_notice_days_long: int = _p(7, "事假提前天数_10天以上", "LV-03", "第三十条", "事假超过10天须提前申请的天数", "int", unit="天")
    personal_notice_short_below_days: float = _p(3.0, "事假短假天数", "LV-03", "第三十条",
                                                 "事假不足此天数按“3天以下”档提前申请", unit="天")
    personal_notice_long_above_days: float = _p(10.0, "事假长假天数", "LV-03", "第三十条",
                                                "事假超过此天数按“10天以上”档提前申请（其间为“3至10天”档）", unit="天")
    personal_leave_cap_days: float = _p(15.0, "事假年度上限天数", "LV-03", "第三十条", "每个自然年事假累计上限（天）", unit="天")
    # LV-04 第三十一条.
    sick_pay_ratio: float = _p(0.8, "病假工资比例", "LV-04", "第三十一条", "普通病假按日工资的此比例发放（住院重病全额）", unit="%")
    # LV-05 第三十二条.
    marriage_leave_days: float = _p(3.0, "婚假天数", "LV-05", "第三十二条", "转正员工婚假天数", unit="天")
    marriage_notice_days: int = _p(7, "婚假提前天数", "LV-05", "第三十二条", "婚假须提前申请的天数", "int", unit="天")
    marriage_window_months: int = _p(3, "婚假登记后月数", "LV-05", "第三十二条", "婚假须在结婚登记后此月数内开始", "int", unit="个月")
    probation_months: int = _p(6, "试用期月数", "LV-05", "劳动合同法第十九条",
                               "转正日期为空时，入职满此月数（法定最长试用期）视为已转正", "int", unit="个月")
    # LV-06 第三十三条.
    bereavement_leave_days: float = _p(3.0, "丧假天数", "LV-06", "第三十三条", "丧假日历天数（含休息日和节假日）", unit="天")
    # LV-07 第三十四条.
    maternity_leave_days: float = _p(98.0, "产假天数", "LV-07", "第三十四条", "产假日历天数（难产、多胞胎另加，超出时提示核对）", unit="天")
    maternity_notice_days: int = _p(15, "产假提前天数", "LV-07", "第三十四条", "产假须提前申请的天数", "int", unit="天")
    # LV-08 第三十五条; 职工带薪年休假条例 第三条.
    annual_leave_min_service_years: int = _p(1, "年休假工龄门槛年", "LV-08", "第三十五条", "累计工作满此年数才有年休假", "int", unit="年")
    annual_leave_tier_mid_years: int = _p(10, "年休假第二档门槛年", "LV-08", "第三十五条",
                                          "累计工作满此年数，年休假按“10至20年”档", "int", unit="年")
    annual_leave_tier_high_years: int = _p(20, "年休假第三档门槛年", "LV-08", "第三十五条",
                                           "累计工作满此年数，年休假按“20年以上”档", "int", unit="年")
    annual_leave_days_under_10: float = _p(5.0, "年休假天数_不满10年", "LV-08", "第三十五条", "累计工作1至10年的年休假天数", unit="天")
    annual_leave_days_under_20: float = _p(10.0, "年休假天数_10至20年", "LV-08", "第三十五条", "累计工作10至20年的年休假天数", unit="天")
    annual_leave_days_from_20: float = _p(15.0, "年休假天数_20年以上", "LV-08", "第三十五条", "累计工作满20年的年休假天数", unit="天")
    annual_leave_sick_months: float = _p(2.0, "年休假病假月数", "LV-08", "第三十五条",
                                         "当年病假累计达到此月数（含）不享受年休假；低于法定月数时按法律（LV-20）", unit="个月")
    # LV-20 职工带薪年休假条例 第四条: a month of sick leave in days (no statutory definition; common practice 30).
    sick_month_days: float = _p(30.0, "病假每月天数", "LV-20", "职工带薪年休假条例第四条",
                                "年休假的病假门槛中1个月按此日历天数计（病假记录的日历天数，含休息日、节假日）", unit="天")
    # LV-22: the place of work whose statutory figures apply (kaohe.policy.regions); 员工名册 工作地 overrides it.
    work_region: str = _p("", "工作地", "LV-22", "人口与计划生育法第二十五条",
                          "上海、广东或浙江按该省条例的产假、陪产假、育儿假、婚假等天数；空则只按国家标准", "text")
    # LV-11 第二十五条.
    social_insurance_leave_days: float = _p(15.0, "社保自理请假天数", "LV-11", "第二十五条", "当月请假超过此天数社保由本人承担", unit="天")
    social_insurance_leave_types: tuple[str, ...] = _p(("事假", "病假"), "社保自理计入假别", "LV-11", "第二十五条",
                                                       "计入社保自理天数的假别（逗号分隔）", "list")
    # PAY-01, PAY-02.
    monthly_workdays: float = _p(21.75, "月计薪天数", "PAY-01", "劳社部发〔2008〕3号", "日工资 = 岗位基本工资 ÷ 月计薪天数", unit="天")
    hours_per_day: float = _p(8.0, "日工作小时", "PAY-01", "劳社部发〔2008〕3号", "小时工资 = 日工资 ÷ 日工作小时", unit="小时")
    absence_multiplier: float = _p(1.0, "旷工扣款倍数", "PAY-02", "第二十三条", "旷工扣款 = 旷工天数 × 日工资 × 倍数", unit="倍")
    # KPI-01..06 (篇二/三/五).
    kpi_team: str = _p("网店客服组", "KPI考核部门", "KPI-01", "篇二", "参加月度KPI考核的部门", "text")
    kpi_full_score: float = _p(100.0, "KPI满分", "KPI-01", "篇二", "各指标权重合计应为此分，自评分限在0至此分")
    kpi_self_weight: float = _p(0.3, "KPI自评权重", "KPI-03", "篇二", "综合得分中自评分的权重", unit="%")
    kpi_manager_weight: float = _p(0.7, "KPI店长权重", "KPI-03", "篇二", "综合得分中店长评分的权重", unit="%")
    kpi_reward: float = _p(100.0, "KPI第一名奖励", "KPI-04", "篇二", "综合排名第一名奖励（元）", unit="元")
    kpi_penalty: float = _p(100.0, "KPI最后一名扣款", "KPI-04", "篇二", "综合排名最后一名从提成中扣除（元）", unit="元")
    kpi_min_ranked: int = _p(3, "KPI奖惩最少人数", "KPI-04", "篇二", "参加排名人数少于此数时不奖不罚", "int", unit="人")
    kpi_improvement_positions: int = _p(2, "KPI整改名次", "KPI-05", "篇二", "排名最后的此数个名次须提交整改方案", "int")
    kpi_improvement_days: int = _p(7, "KPI整改天数", "KPI-05", "篇二", "通报下发后提交整改方案的天数", "int", unit="天")
    kpi_reassign_months: int = _p(3, "KPI调岗连续月数", "KPI-06", "篇二", "连续此月数排名最后考虑调岗", "int", unit="个月")
    # REV-01..05 (篇四).
    review_department: str = _p("电子商务部", "考核部门", "REV-01", "篇四", "参加季度/年度考核的部门", "text")
    review_self_weight: float = _p(0.2, "考核自评权重", "REV-03", "篇四", "综合得分中自评的权重", unit="%")
    review_peer_weight: float = _p(0.3, "考核互评权重", "REV-03", "篇四", "综合得分中同事互评（平均）的权重", unit="%")
    review_manager_weight: float = _p(0.5, "考核上级权重", "REV-03", "篇四", "综合得分中经理考评的权重", unit="%")

    def fingerprint(self) -> str:
        """A short stable hash of the values that differ from kaohe's defaults: says which policy a result was
        computed with. Parameters added later at their default leave it unchanged."""
        data = {f.name: _render(getattr(self, f.name)) for f in dataclasses.fields(self)
                if getattr(self, f.name) != f.default}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


# Figures of labour law (docs/日历与劳动法.md) the policy is checked against; not policy.
LEGAL_WEEKLY_HOURS = 40.0          # 国务院令174号 第3条
LEGAL_MONTHLY_OVERTIME_HOURS = 36.0  # 劳动法 第41条
LEGAL_MULTIPLIERS = {"overtime_multiplier_workday": 1.5, "overtime_multiplier_rest_day": 2.0,
                     "overtime_multiplier_holiday": 3.0}  # 劳动法 第44条


@dataclass(frozen=True)
class ParamInfo:
    name: str
    key: str
    rule: str
    article: str
    doc: str
    kind: str
    default: object
    unit: str = ""  # what a number is counted in ("" for a plain number such as a month or a score)


def params() -> tuple[ParamInfo, ...]:
    """Every parameter, in the order of the policy."""
    return tuple(ParamInfo(f.name, f.metadata["key"], f.metadata["rule"], f.metadata["article"],
                           f.metadata["doc"], f.metadata["kind"], f.default, f.metadata["unit"])
                 for f in dataclasses.fields(Policy))


PARAMS_BY_KEY = {p.key: p for p in params()}
KEY_OF = {p.name: p.key for p in params()}  # a field's 规则 key: where a figure's rate or threshold came from
DEFAULT = Policy()


def _render(value) -> str:
    """A value as HR would type it in the 规则 sheet."""
    if value is None:  # an optional time left blank (晚走时间): the rule is off
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render(info: ParamInfo, value=None) -> str:
    value = info.default if value is None else value
    if info.kind == "weekday":
        return WEEKDAYS[value]
    return _render(value)


def _parse_bool(text, info):
    if text in ("是", "否", True, False, 1, 0, 1.0, 0.0):
        return text in ("是", True, 1, 1.0)
    raise ValueError("应为 是 或 否")


def _parse_weekday(text, info):
    names = {n: i for i, n in enumerate(WEEKDAYS)}
    names.update({n.replace("周", "星期"): i for n, i in list(names.items())})
    names["周天"] = names["星期天"] = 6
    if text in names:
        return names[text]
    raise ValueError("应为 周一 至 周日")


def _parse_time(text, info):
    value = parse_time(text)
    if value is None:
        raise ValueError("应为时间，如 08:30")
    return value


def _parse_list(text, info):
    items = tuple(s.strip() for s in str(text).replace("，", ",").split(",") if s.strip())
    if not items:
        raise ValueError("应为逗号分隔的名称")
    return items


def _parse_number(text, info):
    text = _without_unit(info, text) if isinstance(text, str) else text
    try:
        number = float(str(text).replace("%", "")) / (100 if isinstance(text, str) and text.endswith("%") else 1)
    except ValueError:
        raise ValueError(f"应为数字，如 {render(info)}") from None
    if number != number or number < 0 or number > 1e7:
        raise ValueError("数字超出范围")
    if info.kind == "int":
        if not float(number).is_integer():
            raise ValueError("应为整数")
        return int(number)
    return float(number)


_PARSERS = {"bool": _parse_bool, "weekday": _parse_weekday, "time": _parse_time, "clock": _parse_time, "list": _parse_list,
            "text": lambda text, info: str(text)}


def parse_value(info: ParamInfo, raw):
    """Parse HR's cell value for one parameter; raises ValueError with a Chinese reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if info.default in ("", None):  # a text that may be empty (公司名称), an optional time (晚走时间): off
            return info.default
        raise ValueError("值为空")
    text = raw.strip() if isinstance(raw, str) else raw
    return _PARSERS.get(info.kind, _parse_number)(text, info)


# HR may write a number parameter's unit after it ("30元", "3天"); another unit is refused with the right one named.
_UNIT_TEXT = re.compile(r"^(.*?\d)\s*(元|块|天|日|小时|分钟|分|秒|个月|月|年|倍|人|次|%)$")
_SAME_UNIT = {"块": "元", "日": "天", "分": "分钟", "月": "个月"}


def unit(info: ParamInfo) -> str:
    """The unit a number parameter is counted in (its field's ``unit``; "" for a plain number)."""
    return info.unit


def _without_unit(info: ParamInfo, text: str) -> str:
    """``30元`` -> ``30`` when 元 is the parameter's unit; another unit is a ValueError saying which one to use."""
    match = _UNIT_TEXT.match(text)
    if not match:
        return text
    number, written = match.group(1), _SAME_UNIT.get(match.group(2), match.group(2))
    expected = unit(info)
    if written == expected:
        return number + ("%" if written == "%" else "")
    if expected:
        raise ValueError(f"单位“{match.group(2)}”不对：此参数以“{expected}”计，请写 {number.strip()} 或 {number.strip()}{expected}")
    raise ValueError(f"此参数没有单位（“{match.group(2)}”不适用），请只写数字，如 {render(info)}")


def policy_from_rows(rows, sheet: str = "规则") -> tuple[Policy, list[Finding]]:
    """Apply HR's 规则 rows ``(cell, key, value)`` over the defaults.

    An unknown key or a bad value is a finding; the default stays.
    """
    findings: list[Finding] = []
    changes: dict[str, object] = {}
    for cell, key, raw in rows:
        key = (key or "").strip() if isinstance(key, str) else key
        if not key:
            continue
        info = PARAMS_BY_KEY.get(key)
        if info is None:
            findings.append(Finding(sheet, cell, f"未知参数“{key}”", "忽略此行", level="警告", code=RULES_UNKNOWN_KEY))
            continue
        try:
            changes[info.name] = parse_value(info, raw)
        except ValueError as exc:
            findings.append(Finding(sheet, cell, f"参数“{key}”的值“{raw}”无效：{exc}",
                                    f"沿用默认值 {render(info)}", rule=info.rule, article=info.article, code=RULES_BAD_VALUE))
    policy = dataclasses.replace(DEFAULT, **changes)  # type: ignore[arg-type]  # each value parsed for its field
    findings.extend(compliance_findings(policy, sheet))
    findings.extend(_half_late_leave(policy, sheet))
    return policy, findings


def _half_late_leave(policy: Policy, sheet: str) -> list[Finding]:
    """ATT-13 needs both 晚走时间 and 次日最晚上班: one without the other is a warning, and the rule stays off."""
    if (policy.late_leave_time is None) == (policy.late_start_time is None):
        return []
    given, blank = (KEY_OF["late_leave_time"], KEY_OF["late_start_time"])[::1 if policy.late_start_time is None else -1]
    info = PARAMS_BY_KEY[given]
    return [Finding(sheet, "", f"填写了{given}，没有填写{blank}", "不用晚走晚到（两项须同时填写）", rule=info.rule,
                    article=info.article, level="警告", code="rules.half_late_leave")]


def compliance_findings(policy: Policy, sheet: str = "规则", skip: frozenset = frozenset()) -> list[Finding]:
    """Warnings where the policy in force falls below the law (not errors); the leave rules' in kaohe.policy.law
    (``skip``: the figures a 假别 sheet gives, checked at its cells: kaohe.policy.leave_law)."""
    out = []
    for name, minimum in LEGAL_MULTIPLIERS.items():
        value = getattr(policy, name)
        if value < minimum:
            info = next(p for p in params() if p.name == name)
            out.append(Finding(sheet, "", f"{info.key} {value:g} 低于劳动法第四十四条的 {minimum:g}",
                               "按公司规则计算，请核对是否合规", rule=info.rule, article="劳动法第四十四条",
                               level="警告", code="rules.below_law"))
    day = _minutes(policy.am_start, policy.am_end) + _minutes(policy.pm_start, policy.pm_end)
    weekly = day * 6 / 60
    if weekly > LEGAL_WEEKLY_HOURS:
        out.append(Finding(sheet, "", f"标准工时每周 6 天、每天 {day / 60:g} 小时，共 {weekly:g} 小时，超过法定每周 "
                                      f"{LEGAL_WEEKLY_HOURS:g} 小时", "按公司规则计算，请核对是否合规",
                           rule="ATT-01", article="国务院令174号第三条", level="警告", code="rules.below_law"))
    return out + below_law(policy, sheet, skip)


def _minutes(a: dt.time, b: dt.time) -> int:
    return (b.hour * 60 + b.minute) - (a.hour * 60 + a.minute)
