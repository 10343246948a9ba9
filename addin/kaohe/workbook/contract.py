"""The workbook contract: sheet names, column headers and allowed values.

This module is the only place in kaohe that spells a sheet or header name
(docs/工作簿约定.md). Everything else refers to the constants here.
Columns are found by header text, in any order; extra columns are kept untouched.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# The standard values HR types and their synonyms live in kaohe.terms (engine-level); the contract names them.
from kaohe import terms as _terms
from kaohe.terms import (APPROVAL_STATES, COMPENSATIONS, COMPREHENSIVE_HOURS, DIRECTION_DOWN, DIRECTION_UP, FEMALE,
                         HOLIDAY_SHEET_TYPES, MALE, NO, OT_KINDS, PROOF_NO, PROOF_YES, SCORER_DATA,
                         SCORER_MANAGER, SLOTS, STANDARD_HOURS, YES)


@dataclass(frozen=True)
class InputSheet:
    """An input sheet HR keeps: kaohe reads it and never writes it."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Alternative required sets (打卡记录 may give 日期 + 时间 instead of 打卡时间).
    alternatives: tuple[tuple[str, ...], ...] = ()
    mandatory: bool = False
    # The engine's name for the table (kaohe.engine knows no sheet name): read tables are keyed by it.
    key: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        alt = tuple(c for group in self.alternatives for c in group)
        return tuple(dict.fromkeys(self.required + alt + self.optional))


@dataclass(frozen=True)
class OutputSheet:
    """A sheet kaohe owns: replaced whole on each run."""

    name: str
    columns: tuple[tuple[str, str], ...] = field(default=())  # (header, engine field)
    styles: dict[str, str] = field(default_factory=dict)  # header -> cell style, for headers made from data

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(h for h, _ in self.columns)




# --- input sheets ----------------------------------------------------------------
ROSTER = InputSheet(
    "员工名册",
    required=("工号", "姓名", "部门", "入职日期", "岗位基本工资"),
    optional=("岗位", "性别", "转正日期", "离职日期", "参加工作日期", "工时制", "生产线", "绩效工资", "工作地"),
    mandatory=True, key="roster")
PUNCHES = InputSheet(
    "打卡记录",
    required=("工号",),
    alternatives=(("打卡时间",), ("日期", "时间")),
    optional=("姓名", "设备"),
    mandatory=True, key="punches")
LEAVE = InputSheet(
    "请假记录",
    required=("工号", "假别", "开始时间", "结束时间", "申请日期", "审批状态"),
    optional=("姓名", "证明材料", "事由日期", "销假日期", "备注", "胎数", "孩次", "怀孕月数", "难产"), key="leave")
OVERTIME = InputSheet(
    "加班申请",
    required=("工号", "日期", "开始时间", "结束时间", "部门领导审批", "分管副总审批"),
    optional=("总经理审批", "类型", "补偿方式", "说明"), key="overtime")
EXCEPTIONS = InputSheet("打卡异常", required=("工号", "日期", "时段", "审批状态"), optional=("原因",), key="exceptions")
PROXY = InputSheet("代打卡记录", required=("工号", "日期"), optional=("备注",), key="proxy")
ROTA = InputSheet("排班", required=("工号", "日期", "班次"), key="rota")
# 弹性分钟 (ATT-12), 晚走时间 and 次日最晚上班 (ATT-13): the shift's flexible hours, blank = not used.
SHIFTS = InputSheet("班次", required=("班次", "时段1开始", "时段1结束"),
                    optional=("时段2开始", "时段2结束", "弹性分钟", "晚走时间", "次日最晚上班"), key="shifts")
HOLIDAYS = InputSheet("节假日", required=("日期", "类型"), optional=("名称",), key="holidays")
# 规则 also holds HR's synonyms: columns 列 (a header of VALUE_COLUMNS), 写法 (what HR types), 标准值.
RULES = InputSheet("规则", required=("参数", "值"), optional=("条款", "说明", "列", "写法", "标准值"), key="rules")
# 罚则 (ATT-14..ATT-19): a company's lateness, missing-punch, 补卡, absence and 全勤奖 rules as rows (kaohe.policy.penalties)
PENALTIES = InputSheet("罚则", required=("事件", "处理"),
                       optional=("规则编号", "条款", "计数", "超过分钟", "至分钟", "数额", "每次上限", "每月免罚次数",
                                 "自第几次起", "每几次", "至第几次", "转入次数", "转入行", "假别", "说明"), key="penalties")
PENALTY_HEADERS = ("规则编号", "条款", "事件", "计数", "超过分钟", "至分钟", "处理", "数额", "每次上限", "每月免罚次数",
                   "自第几次起", "每几次", "至第几次", "转入次数", "转入行", "假别", "说明")  # the template's order
IDENTITY = InputSheet("人员对照", required=("工号",), optional=("考勤号码", "钉钉UserId", "企业微信账号", "旺旺"), key="identity")

# KPI workbook (客服绩效) and reviews (篇四).
KPI_DATA = InputSheet("KPI数据", required=("月份", "工号"), key="kpi_data")
KPI_RULES = InputSheet("KPI规则", required=("指标", "权重"), optional=("方向", "目标值", "底线值", "评分人", "别名"), key="kpi_rules")
REVIEW_SCORES = InputSheet("考核评分", required=("周期", "被考核人工号", "评分人工号", "关系", "经营业绩", "工作态度",
                                               "任职能力", "团队协作"), key="review_scores")
ROLE_WEIGHTS = InputSheet("岗位权重", required=("岗位", "经营业绩", "工作态度", "任职能力", "团队协作"), key="role_weights")
GRADES = InputSheet("考核等级", required=("等级", "最低分", "绩效系数"), key="grades")
ID_COLUMN = "工号"
KPI_SELF = "自评分"
KPI_MONTH = "月份"
REL_SELF, REL_PEER, REL_MANAGER = _terms.REL_SELF, _terms.REL_PEER, _terms.REL_MANAGER
RELATIONS = _terms.RELATIONS

# written by kaohe import; 归属日期: the 考勤日 the vendor puts a punch on when it is not the punch's own date; 类型
# is blank for a clock punch, else PUNCH_MAKEUP or PUNCH_ADMIN (kaohe.terms)
IMPORTED = InputSheet("打卡导入", required=("工号", "打卡时间"), optional=("来源", "文件指纹", "归属日期", "类型"),
                      key="imported")

# 假别: the leave types (kaohe.policy.leave_table, LV-25), one row each; without the sheet the default rows apply,
# with it its rows are the whole list. Each column is a LeaveType attribute (INPUT_FIELDS; leave_rows.FIELD_ATTRS).
LEAVE_KINDS = InputSheet(
    "假别", required=("假别", "计薪", "计算方式"),
    optional=("同义词", "发放比例", "需证明", "提前申请天数", "开始期限天数", "额度", "额度周期", "难产加天数",
              "多胞胎每胎加", "孩次加天数", "孕月分档", "子女年龄上限", "按子女叠加", "计入社保自理", "计入事假上限",
              "考勤表符号", "规则编号", "条款"), key="leave_types")
LEAVE_KIND_HEADERS = ("假别", "同义词", "计薪", "发放比例", "计算方式", "需证明", "提前申请天数", "开始期限天数", "额度",
                      "额度周期", "难产加天数", "多胞胎每胎加", "孩次加天数", "孕月分档", "子女年龄上限", "按子女叠加",
                      "计入社保自理", "计入事假上限", "考勤表符号", "规则编号", "条款")  # the sheet's column order
# What each 假别 column means (docs/工作簿约定.md, the README).
LEAVE_KIND_MEANINGS = {
    "假别": "假别名称：请假记录的“假别”写它（或它的同义词）",
    "同义词": "其他写法，用顿号或逗号分隔；一个写法只能对应一种假别",
    "计薪": "全薪（不扣款）、比例（按发放比例发放，其余扣除）、无薪（按日工资扣款）、生育津贴（由生育保险支付，公司不扣款）",
    "发放比例": "计薪为比例时仍发放的日工资比例，0 至 1（或 60%）；病假留空则按规则表的病假工资比例",
    "计算方式": "工作日（按本人排班的半天计）、日历日（含休息日和节假日）、小时（一天内的小时，如哺乳时间）",
    "需证明": "是：证明材料不是“有”时按事假计（LV-02）",
    "提前申请天数": "须提前申请的天数（空：不检查）",
    "开始期限天数": "须在事由日期后此天数内开始（如陪产假；空：不检查）",
    "额度": "每次或每年最多的天数（小时类为每天小时数；空：没有本行的额度）",
    "额度周期": "每次 或 每年（空为每次）",
    "难产加天数": "难产另加的天数（产假）",
    "多胞胎每胎加": "多胞胎每多一胎另加的天数（哺乳时间为每天小时数）",
    "孩次加天数": "从第几孩起另加的天数，写成 孩次:天数，如 2:30、3:30",
    "孕月分档": "按怀孕满几个月定额度，写成 月数:天数，如 0:15、4:42（流产假）",
    "子女年龄上限": "子女（事由日期为出生日期）满此年龄后不再享有（岁）",
    "按子女叠加": "是：每年额度按子女人数计；否：每人每年一份",
    "计入社保自理": "是：计入社保自理的请假天数（LV-11）",
    "计入事假上限": "是：计入每年事假上限（LV-03）",
    "考勤表符号": "考勤表中这一假别显示的符号",
    "规则编号": "依据列引用的规则编号（空：LV-25）",
    "条款": "依据的制度或法规条款",
}
ATTENDANCE_INPUTS = (ROSTER, PUNCHES, IMPORTED, LEAVE, OVERTIME, EXCEPTIONS, PROXY, ROTA, SHIFTS, HOLIDAYS, RULES,
                     LEAVE_KINDS, PENALTIES)


# Columns without which a row is useless: a bad value there drops the row.
ROW_KEY_COLUMNS = {PUNCHES.name: ("工号", "打卡时间", "日期", "时间"), "打卡导入": ("工号", "打卡时间")}

# Value columns and their vocabulary (kaohe.terms): each accepts the standard values, the documented
# synonyms, and HR's own from 规则; anything else is a 问题清单 错误 and handled as pending / not given.
VALUE_COLUMNS = {
    LEAVE.name: {"审批状态": _terms.APPROVAL, "假别": _terms.LEAVE_TYPE, "证明材料": _terms.PROOF, "难产": _terms.YES_NO},
    OVERTIME.name: {"部门领导审批": _terms.APPROVAL, "分管副总审批": _terms.APPROVAL, "总经理审批": _terms.APPROVAL,
             "类型": _terms.OT_KIND, "补偿方式": _terms.COMPENSATION},
    EXCEPTIONS.name: {"审批状态": _terms.APPROVAL},
    ROSTER.name: {"生产线": _terms.YES_NO},
}
# 规则.列 names a column by its header alone (类型 here is 加班申请's; 关系 is 考核评分's, read by the review).
SYNONYM_COLUMNS = {**{h: v for cols in VALUE_COLUMNS.values() for h, v in cols.items()}, "关系": _terms.RELATION}

# --- field names the engine uses for input headers -------------------------------
# The reader renames headers to these; the engine never spells a header.
INPUT_FIELDS = {
    "工号": "emp", "姓名": "name", "部门": "dept", "入职日期": "hired", "岗位基本工资": "base_wage",
    "岗位": "post", "性别": "gender", "转正日期": "regular", "离职日期": "left", "参加工作日期": "work_start",
    "工时制": "hours_system", "生产线": "production", "绩效工资": "perf_pay", "工作地": "work_region",
    "打卡时间": "ts", "日期": "date", "时间": "time", "设备": "device",
    "假别": "type", "开始时间": "start", "结束时间": "end", "申请日期": "applied", "审批状态": "status",
    "证明材料": "proof", "事由日期": "event_date", "销假日期": "returned", "备注": "note",
    "胎数": "babies", "孩次": "birth_order", "怀孕月数": "pregnancy_months", "难产": "difficult",
    "部门领导审批": "head_ok", "分管副总审批": "vp_ok", "总经理审批": "gm_ok", "类型": "kind",
    "补偿方式": "comp", "说明": "explanation", "时段": "slot", "原因": "reason", "班次": "shift",
    "时段1开始": "s1_start", "时段1结束": "s1_end", "时段2开始": "s2_start", "时段2结束": "s2_end",
    "弹性分钟": "flex_minutes", "晚走时间": "late_leave", "次日最晚上班": "late_start",
    "名称": "label", "参数": "key", "值": "value", "条款": "article",
    "指标": "indicator", "权重": "weight", "方向": "direction", "目标值": "target", "底线值": "floor",
    "评分人": "scorer", "别名": "aliases", "周期": "period", "被考核人工号": "ratee", "评分人工号": "rater",
    "关系": "relation", "经营业绩": "d_business", "工作态度": "d_attitude", "任职能力": "d_ability",
    "团队协作": "d_teamwork", "等级": "grade", "最低分": "min_score", "绩效系数": "coefficient",
    "列": "syn_column", "写法": "syn_written", "标准值": "syn_standard",
    "来源": "source", "文件指纹": "digest", "归属日期": "workday", "考勤号码": "clock_id", "钉钉UserId": "dingtalk_id",
    "企业微信账号": "wecom_id", "旺旺": "wangwang",
    # 假别 (the sheet's 假别 and 条款 are "type" and "article" as above)
    "同义词": "synonyms", "计薪": "pay", "发放比例": "share", "计算方式": "count", "需证明": "proof_needed",
    "提前申请天数": "notice_days", "开始期限天数": "window_days", "额度": "quota", "额度周期": "quota_period",
    "难产加天数": "extra_difficult", "多胞胎每胎加": "extra_per_baby", "孩次加天数": "extra_from_order",
    "孕月分档": "pregnancy_tiers", "子女年龄上限": "child_age_limit", "按子女叠加": "per_child",
    "计入社保自理": "social_insurance", "计入事假上限": "personal_cap", "考勤表符号": "legend", "规则编号": "rule",
    "事件": "event", "计数": "counter", "超过分钟": "above", "至分钟": "up_to", "处理": "effect",
    "数额": "amount", "每次上限": "cap", "每月免罚次数": "free", "自第几次起": "from_nth", "每几次": "every",
    "至第几次": "until", "转入次数": "then_at", "转入行": "then_row",
}

# How each input column is parsed, per sheet (the same header can mean a time or a date-time).
COLUMN_KINDS = {
    ROSTER.name: {"工号": "id", "入职日期": "date", "转正日期": "date", "离职日期": "date",
                  "参加工作日期": "date", "岗位基本工资": "number", "绩效工资": "number"},
    PUNCHES.name: {"工号": "id", "打卡时间": "datetime", "日期": "date", "时间": "time"},
    IMPORTED.name: {"工号": "id", "打卡时间": "datetime", "归属日期": "date"},
    LEAVE.name: {"工号": "id", "开始时间": "datetime", "结束时间": "datetime", "申请日期": "date",
                 "事由日期": "date", "销假日期": "date", "胎数": "number", "孩次": "number", "怀孕月数": "number"},
    OVERTIME.name: {"工号": "id", "日期": "date", "开始时间": "time", "结束时间": "time"},
    EXCEPTIONS.name: {"工号": "id", "日期": "date"},
    PROXY.name: {"工号": "id", "日期": "date"},
    ROTA.name: {"工号": "id", "日期": "date"},
    SHIFTS.name: {"时段1开始": "time", "时段1结束": "time", "时段2开始": "time", "时段2结束": "time",
                  "弹性分钟": "number", "晚走时间": "time", "次日最晚上班": "time"},
    HOLIDAYS.name: {"日期": "date"},
    RULES.name: {"值": "raw", "列": "vocab_column"},  # 列 names a value column: read as its vocabulary
    IDENTITY.name: {"工号": "id"},
    # 罚则's numbers are read as typed: kaohe.policy.penalties refuses one it cannot use, naming its cell
    PENALTIES.name: {h: "raw" for h in ("超过分钟", "至分钟", "数额", "每次上限", "每月免罚次数", "自第几次起", "每几次",
                                        "至第几次", "转入次数", "转入行")},
    KPI_RULES.name: {"权重": "number", "目标值": "number", "底线值": "number"},
    REVIEW_SCORES.name: {"被考核人工号": "id", "评分人工号": "id", "经营业绩": "number", "工作态度": "number",
                         "任职能力": "number", "团队协作": "number"},
    ROLE_WEIGHTS.name: {"经营业绩": "number", "工作态度": "number", "任职能力": "number", "团队协作": "number"},
    GRADES.name: {"最低分": "number", "绩效系数": "number"},
    LEAVE_KINDS.name: dict.fromkeys(LEAVE_KIND_HEADERS, "raw"),  # every cell parsed by kaohe.policy.leave_rows
}

# Dates of an event that HR may type without a year (``9月8日``): they take the year nearest the month computed
# (kaohe.engine.inputs). Dates of record (入职日期, 转正日期, 参加工作日期 …) must carry their year.
YEARLESS = {
    LEAVE.name: ("开始时间", "结束时间", "申请日期", "事由日期", "销假日期"),
    OVERTIME.name: ("日期",), EXCEPTIONS.name: ("日期",), PROXY.name: ("日期",), ROTA.name: ("日期",),
}

# --- output sheets ---------------------------------------------------------------
DAILY = OutputSheet("每日明细", (
    ("工号", "emp"), ("姓名", "name"), ("部门", "dept"), ("日期", "date"), ("星期", "weekday"),
    ("日类型", "day_type"), ("上午上班", "am_in"), ("上午下班", "am_out"), ("下午上班", "pm_in"),
    ("下午下班", "pm_out"), ("迟到分钟", "late_minutes"), ("早退分钟", "early_minutes"),
    ("缺卡次数", "missing"), ("旷工天数", "absent_days"), ("请假", "leave"), ("加班小时", "ot_hours"),
    ("罚款", "fine"), ("说明", "note")))
# 月度汇总 is the contract's head and tail around the money items in force (kaohe.policy.items, each with the
# counts it shows) and a days column per leave type; kaohe.jobs.render.monthly puts it together.
MONTHLY_NAME = "月度汇总"
MONTHLY_HEAD = (("工号", "emp"), ("姓名", "name"), ("部门", "dept"), ("应出勤天数", "due_days"), ("实出勤天数", "present_days"))
MONTHLY_TAIL = (("社保自理", "social_self"), ("调整合计", "adjustment"), ("依据", "basis"))


def leave_days_column(kind: str) -> tuple[str, str]:
    """月度汇总's column of a leave type's days: (事假天数, days_事假)."""
    return f"{kind}天数", f"days_{kind}"


# A workbook-level name over 月度汇总's header and data rows (合计 excluded): a base for HR's pivot tables and charts.
MONTHLY_DATA_NAME = "月度汇总数据"
MONTHLY_MONTH_PROPERTY = "kaohe月度汇总月份"  # a custom document property: the month 月度汇总 shows (月结 checks it)
LEAVE_CHECK = OutputSheet("请假校验", (
    ("工号", "emp"), ("姓名", "name"), ("假别", "type"), ("开始时间", "start"), ("结束时间", "end"),
    ("天数", "days"), ("计为", "counted_as"), ("校验结果", "result"), ("说明", "note"),
    ("依据", "basis"), ("来源单元格", "source")))
PROBLEMS = OutputSheet("问题清单", (
    ("工作表", "sheet"), ("单元格", "cell"), ("问题", "problem"), ("处理", "action"),
    ("级别", "level"), ("依据", "basis"), ("工号", "emp"), ("姓名", "name"), ("来源", "source"), ("月份", "month")))
# 问题清单.来源: the command that wrote a row; each command replaces only its own rows of the same 月份.
SOURCE_MONTH, SOURCE_LEAVE, SOURCE_IMPORT, SOURCE_KPI = "计算本月", "校验请假", "导入", "KPI"
SOURCE_REVIEW, SOURCE_RECONCILE, SOURCE_FINANCE = "考核", "核对", "财务"
RUN_LOG = OutputSheet("运行记录", (
    ("时间", "time"), ("命令", "command"), ("月份", "month"), ("版本", "version"),
    ("输入指纹", "fingerprint"), ("统计", "counts")))

GRID = OutputSheet("考勤表")
RULES_REFERENCE = "规则说明"  # every rule ID and 规则 parameter (kaohe rules, the 考勤 template)
RECONCILE = OutputSheet("核对", (("工号", "emp"), ("姓名", "name"), ("项目", "item"), ("外部数值", "external"),
                                  ("kaohe数值", "ours"), ("差异", "diff"), ("说明", "note")))
# Sheets of DingTalk's and WeCom's statistics exports, read by kaohe reconcile (theirs, not ours).
EXTERNAL_STATISTICS_SHEETS = ("月度汇总", "每日统计", "概况统计与打卡明细")
IMPORTED_OUT = OutputSheet(IMPORTED.name, (("工号", "emp"), ("打卡时间", "ts"), ("来源", "source"),
                                          ("文件指纹", "digest"), ("归属日期", "workday"), ("类型", "kind")))
# Header rows kaohe wrote in earlier versions: a sheet with one of them is still kaohe's (ownership).
EARLIER_HEADERS = {IMPORTED.name: (IMPORTED_OUT.headers[:4], IMPORTED_OUT.headers[:5])}  # before 归属日期, before 类型
ATTENDANCE_OUTPUTS = (DAILY, LEAVE_CHECK, PROBLEMS, RUN_LOG, GRID)  # and 月度汇总 (kaohe.jobs.money: by the items)

KPI_SCORE_PREFIX = "KPI评分_"  # + YYYY-MM; columns: 工号, 姓名, one per indicator, then KPI_SCORE_TAIL
KPI_SCORE_TAIL = ("数据得分", "店长评分", "自评分", "综合得分", "排名", "奖惩金额", "整改截止日期", "考虑调岗")
KPI_HISTORY = OutputSheet("KPI历史", (("月份", "month"), ("工号", "emp"), ("综合得分", "score"), ("排名", "rank"),
                                     ("末位", "last")))
KPI_NOTICE = OutputSheet("月度通报")
KPI_IMPORT = OutputSheet("KPI导入")  # 月份, 工号, the columns found, then KPI_IMPORT_TAIL — written by kaohe import
KPI_IMPORT_TAIL = ("来源", "文件指纹", "统计日期", "行类型")  # 行类型: one row set per file, and the month's rows
KPI_IMPORT_FILE_ROW, KPI_IMPORT_MONTH_ROW = "文件", "月合计"
# kaohe's sheets that HR may start by hand (kaohe reads them back and carries them on): one with exactly
# kaohe's header row is taken as kaohe's even in a workbook kaohe has not written yet.
READ_BACK_SHEETS = (KPI_HISTORY.name, RUN_LOG.name, IMPORTED.name, KPI_IMPORT.name)
QUARTER_PREFIX, YEAR_PREFIX = "季度考核_", "年度考核_"
REVIEW_TAIL = (("综合得分", "score"), ("等级", "grade"), ("绩效系数", "coefficient"), ("绩效工资基数", "perf_base"),
               ("绩效工资", "perf_pay"), ("说明", "note"))
QUARTER_OUT = (("工号", "emp"), ("姓名", "name"), ("岗位", "post"), ("自评", "self"), ("互评", "peer"),
               ("上级", "manager")) + REVIEW_TAIL
YEAR_OUT = (("工号", "emp"), ("姓名", "name"), ("岗位", "post"), ("一季度", "一季度"), ("二季度", "二季度"),
            ("三季度", "三季度"), ("四季度", "四季度")) + REVIEW_TAIL

# Money columns other than the money items' own (kaohe.policy.items: their sheets carry their styles).
MONEY_COLUMNS = frozenset({"调整合计", "罚款", "奖惩金额", "绩效工资", "绩效工资基数",
                           "月结数值", "当前数值", "差额", "更正数值", "上月更正", "罚款合计", "扣款合计", "加班费合计",
                           "KPI奖惩", "已发送数值", "本表数值"})
SCORE_COLUMNS = frozenset({"数据得分", "店长评分", "自评分", "综合得分", "自评", "互评", "上级", "一季度", "二季度",
                           "三季度", "四季度", "绩效系数"})
DAY_COLUMNS = frozenset({"应出勤天数", "实出勤天数", "旷工天数", "天数"})  # a leave type's days: kaohe.jobs.money
HOUR_COLUMNS = frozenset({"加班小时"})
PUNCH_COLUMNS = ("上午上班", "上午下班", "下午上班", "下午下班")

TOTAL_LABEL = "合计"

# --- month close (月结) and employee slips -----------------------------------------
CLOSE_ACTION, REOPEN_ACTION = "月结", "重新打开"
CLOSE_LOG = OutputSheet("月结记录", (
    ("月份", "month"), ("操作", "action"), ("确认人", "by"), ("电脑用户", "user"), ("时间", "time"),
    ("输入指纹", "input_fp"), ("汇总指纹", "summary_fp"), ("员工人数", "employees"), ("罚款合计", "fines"),
    ("扣款合计", "deductions"), ("加班费合计", "ot_pay"), ("调整合计", "adjustment"), ("原因", "reason")))
# Hidden: the 月度汇总 and 请假校验 values of every closed month, as closed (replaced when closed again; 月结汇总数据's
# columns are 月份 and 月度汇总's: kaohe.jobs.money).
FROZEN_MONTHLY_NAME = "月结汇总数据"
FROZEN_LEAVE = OutputSheet("月结请假数据", (("月份", "month"),) + LEAVE_CHECK.columns)
CHANGES = OutputSheet("变更对比", (
    ("工号", "emp"), ("姓名", "name"), ("项目", "item"), ("月结数值", "closed"), ("当前数值", "now"),
    ("差额", "diff"), ("原因", "reason")))
# Hidden: corrections found when a month is closed after its figures went to finance (sent, or closed before),
# paid with the next month not yet sent. 更正基准 says what they were measured against; 当时已发送 (是/否) whether
# the month had been sent to finance then (a month first sent after such a correction carries it itself).
CORRECTIONS = OutputSheet("月结更正数据", (
    ("月份", "month"), ("计入月份", "paid_in"), ("工号", "emp"), ("姓名", "name"), ("项目", "item"),
    ("月结数值", "closed"), ("更正数值", "now"), ("上月更正", "effect"), ("原因", "reason"),
    ("更正基准", "basis"), ("当时已发送", "was_sent")))
CORRECTION_DETAIL = OutputSheet("更正明细", (
    ("月份", "month"), ("工号", "emp"), ("姓名", "name"), ("项目", "item"), ("月结数值", "closed"),
    ("更正数值", "now"), ("上月更正", "effect"), ("原因", "reason")))
CORRECTION_COLUMN = "上月更正"  # in the finance export: 补发 +, 补扣 −
ADJUSTMENT_COLUMN = "调整合计"  # 月度汇总's net money column (加班费 − fines − deductions)
# 个人考勤确认单: the table of events and the table of money lines (项目 spans A:B, 依据 D:E)
SLIP_EVENT_HEADERS = ("日期", "星期", "打卡", "事项（时间、依据）", "罚款")
SLIP_MONEY_HEADERS = ("项目", None, "金额", "依据", None)
# What reached finance: every finance export and send of a month (财务发送记录), and the figures of each
# export (hidden 财务发送数据, by 数值指纹), so that a month is paid once whatever the file is called.
EXPORT_ACTION, SEND_ACTION, RESEND_ACTION, DRAFT_ACTION = "导出", "发送", "重发更正版", "Outlook草稿"
PAYMENT_VERSION, CORRECTED_VERSION = "付款表", "更正版"
FINANCE_LOG = OutputSheet("财务发送记录", (
    ("月份", "month"), ("操作", "action"), ("版本", "version"), ("文件", "file"), ("数值指纹", "figures_fp"),
    ("文件指纹", "file_fp"), ("时间", "time"), ("收件人", "to"), ("原因", "reason"), ("电脑用户", "user"),
    ("员工人数", "employees"), ("上月更正", "corrections"), ("调整合计", "adjustment")))
# 财务发送数据 (hidden): 月份, 数值指纹, 工号, 姓名, 部门, then the finance workbook's money columns (kaohe.jobs.money:
# the money items, then these).
FINANCE_FIGURES_NAME = "财务发送数据"
FINANCE_FIGURES_HEAD = (("月份", "month"), ("数值指纹", "figures_fp"), ("工号", "emp"), ("姓名", "name"), ("部门", "dept"))
KPI_COLUMN = "KPI奖惩"  # in the finance export: the KPI workbook's reward or penalty
FINANCE_MONEY_TAIL = ((KPI_COLUMN, "kpi"), ("上月更正", "correction"), ("调整合计", "adjustment"))
CORRECTED_DIFF = OutputSheet("更正差额", (
    ("工号", "emp"), ("姓名", "name"), ("项目", "item"), ("已发送数值", "sent"), ("本表数值", "now"), ("差额", "diff")))
SLIPS = OutputSheet("个人考勤确认单")

# Optional trailing arguments of the cell functions (kaohe.doors.udfs): facts of a person that a cell cannot
# see in the workbook and compute-month takes from 员工名册 and 排班. Given, the functions agree with it.
_LEAVE_PERSON = (("性别", "男 或 女：女员工在妇女节（规则表的妇女节月份、妇女节日期；为工作日时）下午放假，不计请假（ATT-08）"),
                 ("工时制", f"{STANDARD_HOURS}（默认）或 {COMPREHENSIVE_HOURS}"),
                 ("班次", "综合工时的班次时间，如 22:00-06:00 或 07:00-11:00,16:00-20:00；单元格看不到排班表，"
                         "视为请假期间每天排此班（ATT-02）"))
CELL_FUNCTION_OPTIONS = {
    "LEAVEDAYS": _LEAVE_PERSON,
    "LEAVECHECK": tuple((arg, f"{meaning}；请假天数决定提前申请的档（LV-03）") for arg, meaning in _LEAVE_PERSON),
}

# Drop-down lists: header -> allowed values.
CHOICES: dict[str, tuple[str, ...]] = {
    "审批状态": APPROVAL_STATES, "时段": SLOTS,  # 假别: the 假别 sheet's names (kaohe.jobs.templates)
    "工时制": (STANDARD_HOURS, COMPREHENSIVE_HOURS), "补偿方式": COMPENSATIONS, "关系": RELATIONS,
    "性别": (MALE, FEMALE), "生产线": (YES, NO), "证明材料": (PROOF_YES, PROOF_NO), "难产": (YES, NO),
    "方向": (DIRECTION_UP, DIRECTION_DOWN), "评分人": (SCORER_DATA, SCORER_MANAGER),
}
SHEET_CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    OVERTIME.name: {"类型": OT_KINDS}, HOLIDAYS.name: {"类型": HOLIDAY_SHEET_TYPES},
    # 假别's own 假别 column is free text (HR adds a type); 请假记录's lists the 假别 sheet (kaohe.jobs.templates)
    LEAVE_KINDS.name: {"假别": (), "计薪": _terms.LEAVE_PAYS, "计算方式": _terms.LEAVE_COUNTS,
                       "额度周期": _terms.LEAVE_PERIODS, "需证明": (YES, NO), "按子女叠加": (YES, NO),
                       "计入社保自理": (YES, NO), "计入事假上限": (YES, NO)},
    PENALTIES.name: {"事件": _terms.PENALTY_EVENTS, "处理": _terms.PENALTY_EFFECTS, "假别": ()},  # 假别: several types
}
