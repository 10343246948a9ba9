"""The value vocabulary: what HR types in a value column, and the standard value it means.

Money is never computed from a guessed value. A value column (审批状态, the approval columns of
加班申请, 假别, 证明材料, 是/否 columns) holds a standard value of the contract, one of the
documented synonyms below, or a synonym HR adds in the 规则 sheet (columns 列 / 写法 / 标准值, one
row per synonym). Comparison ignores case, spaces and full-width forms (Unicode NFKC), and is
whole-value only: 已口头批准 is not 批准. Anything else stays as typed, and the engine treats it
the safe way (an approval that is not recognised is pending) with a 问题清单 错误 row.

An approval column of 加班申请 may also hold the approver's name: a value equal to a 姓名 of
员工名册 counts as approved.

This module is engine-level: it imports nothing of kaohe.workbook (the contract re-exports the
standard values defined here).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

# --- standard values (the contract's) ---------------------------------------------
YES, NO = "是", "否"
APPROVED, PENDING, REFUSED, APPROVED_AFTER = "已批准", "待审批", "已驳回", "事后补单"
APPROVAL_STATES = (APPROVED, PENDING, REFUSED, APPROVED_AFTER)
LEAVE_PERSONAL, LEAVE_SICK, LEAVE_MARRIAGE, LEAVE_BEREAVEMENT = "事假", "病假", "婚假", "丧假"
LEAVE_MATERNITY, LEAVE_ANNUAL, LEAVE_TIME_OFF, LEAVE_INJURY = "产假", "年休假", "调休", "工伤假"
LEAVE_TYPES = (LEAVE_PERSONAL, LEAVE_SICK, LEAVE_MARRIAGE, LEAVE_BEREAVEMENT,
               LEAVE_MATERNITY, LEAVE_ANNUAL, LEAVE_TIME_OFF, LEAVE_INJURY)
# 假别 (kaohe.policy.leave_table): how a type is paid (计薪), counted (计算方式) and its quota's period (额度周期).
PAY_FULL, PAY_SHARE, PAY_NONE, PAY_ALLOWANCE = "全薪", "比例", "无薪", "生育津贴"
LEAVE_PAYS = (PAY_FULL, PAY_SHARE, PAY_NONE, PAY_ALLOWANCE)
COUNT_WORKDAY, COUNT_CALENDAR, COUNT_HOURS = "工作日", "日历日", "小时"
LEAVE_COUNTS = (COUNT_WORKDAY, COUNT_CALENDAR, COUNT_HOURS)
PERIOD_EVENT, PERIOD_YEAR = "每次", "每年"
LEAVE_PERIODS = (PERIOD_EVENT, PERIOD_YEAR)
PROOF_YES, PROOF_NO = "有", "无"
OT_KIND_OVERTIME, OT_KIND_TRAINING, OT_KIND_WELFARE = "加班", "培训", "公益活动"
OT_KINDS = (OT_KIND_OVERTIME, OT_KIND_TRAINING, OT_KIND_WELFARE)
COMP_TIME_OFF, COMP_PAY = "调休", "加班费"
COMPENSATIONS = (COMP_TIME_OFF, COMP_PAY)
REL_SELF, REL_PEER, REL_MANAGER = "自评", "互评", "上级"  # 考核评分.关系 (REV-03: self, peers, direct manager)
RELATIONS = (REL_SELF, REL_PEER, REL_MANAGER)
MALE, FEMALE = "男", "女"  # 员工名册.性别
STANDARD_HOURS, COMPREHENSIVE_HOURS = "标准工时", "综合工时"  # 员工名册.工时制
SLOT_AM_IN, SLOT_AM_OUT, SLOT_PM_IN, SLOT_PM_OUT = "上午上班", "上午下班", "下午上班", "下午下班"  # 打卡异常.时段
SLOTS = (SLOT_AM_IN, SLOT_AM_OUT, SLOT_PM_IN, SLOT_PM_OUT)
# 打卡导入.类型 (and 打卡记录.设备): punches a system made or changed, not clocked. A 补卡审批 (DingTalk's approved
# make-up punch, WeCom's 补卡) is an approved 打卡异常 (ATT-05); a 管理员修改 punch counts at its time.
PUNCH_MAKEUP, PUNCH_ADMIN = "补卡审批", "管理员修改"
# 罚则 (ATT-14): the events a row is about and the effects it can have, as HR writes them (kaohe.policy.penalties
# maps each to its constant, in this order)
PENALTY_EVENTS = ("迟到", "早退", "缺卡", "补卡", "旷工", "全勤奖")
PENALTY_EFFECTS = ("罚款", "每分钟罚款", "按分钟扣小时工资", "记旷工", "扣工资（不记旷工）", "扣假期余额", "只计次",
                   "取消全勤奖", "不予补卡", "发放")
PUNCH_KINDS = (PUNCH_MAKEUP, PUNCH_ADMIN)
DIRECTION_UP, DIRECTION_DOWN = "越高越好", "越低越好"  # KPI规则.方向
SCORER_DATA, SCORER_MANAGER = "数据", "店长"  # KPI规则.评分人

WEEKDAY_CHARS = "一二三四五六日"  # Monday first, as datetime.weekday() counts
WEEKDAYS = tuple("周" + ch for ch in WEEKDAY_CHARS)  # 每日明细.星期, 规则 标准工时休息日

# Day types (DAYTYPE, 每日明细.日类型 and 节假日.类型).
DAY_WORK = "工作日"
DAY_REST = "休息日"
DAY_HOLIDAY = "法定节假日"
DAY_SWAPPED_REST = "调休休息日"
DAY_MAKEUP_WORK = "调休上班"
DAY_COMPANY_REST = "公司休息日"  # only in HR's 节假日 sheet; reported as 休息日
DAY_TYPES = (DAY_WORK, DAY_REST, DAY_HOLIDAY, DAY_SWAPPED_REST, DAY_MAKEUP_WORK)
HOLIDAY_SHEET_TYPES = (DAY_HOLIDAY, DAY_SWAPPED_REST, DAY_MAKEUP_WORK, DAY_COMPANY_REST)

# What kaohe writes: 请假校验.校验结果, LATESTATUS, and the level of a 问题清单 row.
CHECK_PASS, CHECK_WARN, CHECK_FAIL = "通过", "警告", "不通过"
LATE_OK, LATE_FINED, LATE_HALF, LATE_FULL = "正常", "迟到早退", "旷工半天", "旷工1天"
LEVEL_ERROR, LEVEL_WARNING, LEVEL_INFO = "错误", "警告", "提示"

# --- vocabularies: name -> (standard values, documented synonyms, meaning of a blank cell) -------
APPROVAL, LEAVE_TYPE, YES_NO, PROOF = "approval", "leave_type", "yes_no", "proof"
OT_KIND, COMPENSATION = "ot_kind", "compensation"
RELATION = "relation"

SYNONYMS: dict[str, dict[str, str]] = {
    APPROVAL: {
        **dict.fromkeys(("是", "同意", "已同意", "批准", "已批准", "通过", "审批通过", "已通过", "√", "✓", "✔",
                         "Y", "yes"), APPROVED),
        **dict.fromkeys(("否", "不同意", "驳回", "已驳回", "拒绝", "已拒绝", "不通过", "未通过", "未批准", "×", "✗",
                         "N", "no"), REFUSED),
        **dict.fromkeys(("待审批", "审批中", "未审批"), PENDING),
        **dict.fromkeys(("事后补单", "补批"), APPROVED_AFTER),
    },
    LEAVE_TYPE: {
        **{t: t for t in LEAVE_TYPES},
        "年假": LEAVE_ANNUAL, "带薪年假": LEAVE_ANNUAL, "带薪年休假": LEAVE_ANNUAL, "调休假": LEAVE_TIME_OFF,
        "工伤": LEAVE_INJURY, "婚嫁假": LEAVE_MARRIAGE, "丧葬假": LEAVE_BEREAVEMENT,
    },
    YES_NO: {**dict.fromkeys(("是", "Y", "yes", "√", "✓", "✔"), YES), **dict.fromkeys(("否", "N", "no", "×", "✗"), NO)},
    PROOF: {**dict.fromkeys(("有", "已提供", "是", "√", "✓", "✔", "Y", "yes"), PROOF_YES),
            **dict.fromkeys(("无", "未提供", "否", "×", "✗", "N", "no"), PROOF_NO)},
    OT_KIND: {t: t for t in OT_KINDS},
    COMPENSATION: {COMP_TIME_OFF: COMP_TIME_OFF, "补休": COMP_TIME_OFF, "倒休": COMP_TIME_OFF,
                   COMP_PAY: COMP_PAY, "加班工资": COMP_PAY},
    # 篇四 七: 员工自评 -> 同事互评 -> 经理考评 (直属); the words HR uses for each step.
    RELATION: {
        **dict.fromkeys((REL_SELF, "本人", "自己", "员工自评", "自我评价", "self"), REL_SELF),
        **dict.fromkeys((REL_PEER, "同事", "同事互评", "同级", "平级", "peer"), REL_PEER),
        **dict.fromkeys((REL_MANAGER, "领导", "上级领导", "直属上级", "直属领导", "经理", "部门经理", "经理考评",
                         "经理复评", "主管", "manager"), REL_MANAGER),
    },
}
STANDARD = {APPROVAL: APPROVAL_STATES, LEAVE_TYPE: LEAVE_TYPES, YES_NO: (YES, NO), PROOF: (PROOF_YES, PROOF_NO),
            OT_KIND: OT_KINDS, COMPENSATION: COMPENSATIONS, RELATION: RELATIONS}
# A blank approval is pending; a blank 类型 is 加班 and a blank 补偿方式 调休 (第九条); other blanks stay blank.
BLANK = {APPROVAL: PENDING, OT_KIND: OT_KIND_OVERTIME, COMPENSATION: COMP_TIME_OFF}
# What an unrecognised value is taken as: the safe reading (not approved, not paid, not proven).
SAFE = {APPROVAL: PENDING, PROOF: PROOF_NO, COMPENSATION: COMP_TIME_OFF}


def key(value) -> str:
    """The comparison form of a typed value: NFKC (full-width → half-width), no spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


# LV-04: a 病假 whose 备注 is, as a whole cell (compared as ``key`` compares), one of these is hospitalisation
# for a serious illness (full pay). A 备注 that only mentions 住院 ("门诊，未住院") is ordinary sick leave, with a
# 警告 at its cell: free text never changes money by a substring.
HOSPITAL_NOTES = ("住院", "住院治疗", "因病住院", "重病住院")
HOSPITAL_WORD = "住院"


def is_hospital_note(note) -> bool:
    """LV-04: 备注 says hospitalisation (a whole value of HOSPITAL_NOTES)."""
    return not is_blank(note) and key(note) in {key(n) for n in HOSPITAL_NOTES}


def is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


@dataclass
class Terms:
    """The vocabulary in force: the documented synonyms plus HR's from 规则, and the roster's names."""

    extra: dict[str, dict[str, str]] = field(default_factory=dict)  # vocabulary -> {写法: 标准值}
    names: frozenset[str] = frozenset()  # 姓名 of 员工名册 (an approver's name = approved)
    # The 假别 table's {写法: 假别} (each name for itself and its synonyms, kaohe.policy.leave_table): the leave
    # types in force. None: the regulation's eight types and their documented synonyms.
    leave: dict[str, str] | None = None

    def __post_init__(self):
        base = {**SYNONYMS, LEAVE_TYPE: self.leave} if self.leave is not None else SYNONYMS
        self._standard = ({**STANDARD, LEAVE_TYPE: tuple(dict.fromkeys(self.leave.values()))}
                          if self.leave is not None else STANDARD)
        self._maps = {vocab: {key(k): v for k, v in {**words, **self.extra.get(vocab, {})}.items()}
                      for vocab, words in base.items()}
        self._names = {key(n) for n in self.names if not is_blank(n)}

    def standards(self, vocab: str) -> tuple[str, ...]:
        """The standard values of ``vocab`` in force (for 假别: the table's names)."""
        return self._standard[vocab]

    def standard(self, vocab: str, value):
        """The standard value of ``value`` in ``vocab``; a blank gives the blank meaning (None or 待审批);
        an unrecognised value is returned as typed (stripped) — check it with :func:`known`."""
        if is_blank(value):
            return BLANK.get(vocab)
        k = key(value)
        if vocab == APPROVAL and k in self._names:
            return APPROVED
        found = self._maps[vocab].get(k)
        return found if found is not None else str(value).strip()

    def known(self, vocab: str, value) -> bool:
        """Whether a standardised value is one of the vocabulary's standard values (or blank)."""
        return value is None or value in self._standard[vocab]


DEFAULT = Terms()


def extra_synonyms(rows, standard: dict[str, tuple[str, ...]] | None = None):
    """HR's synonym rows ``(cell, vocabulary, 写法, 标准值)`` -> ({vocab: {写法: 标准值}}, [(cell, reason)]).

    The reader has turned 规则.列 (a column header) into its vocabulary, and reported a header
    that names no value column. A row without its 写法 or with a 标准值 that is not a standard
    value of that vocabulary (``standard``: the values in force, by vocabulary) is reported and unused.
    """
    values = {**STANDARD, **(standard or {})}
    extra: dict[str, dict[str, str]] = {}
    bad: list[tuple[str, str]] = []
    for cell, vocab, written, meant in rows:
        if vocab is None:
            if not (is_blank(written) and is_blank(meant)):
                bad.append((cell, "同义词没有写明列（规则表的“列”）"))
            continue
        target = str(meant).strip() if not is_blank(meant) else ""
        if is_blank(written) or target not in values[vocab]:
            bad.append((cell, f"同义词“{written or ''}”→“{target}”无效：标准值应为 {'/'.join(values[vocab])}"))
            continue
        extra.setdefault(vocab, {})[str(written).strip()] = target
    return extra, bad


def id_key(value) -> str:
    """A 工号 compared loosely, only to suggest a match: full-width digits, spaces and leading zeros ignored."""
    return key(value).lstrip("0") or "0"


def unknown_id(emp, roster_ids) -> str:
    """The 问题 text for a 工号 not in the roster, naming the roster 工号 it probably means."""
    near = [r for r in roster_ids if r is not None and id_key(r) == id_key(emp) and r != emp]
    hint = f"，是否为“{near[0]}”？" if len(near) == 1 else ""
    return f"工号“{emp if emp is not None else ''}”不在员工名册中{hint}"
