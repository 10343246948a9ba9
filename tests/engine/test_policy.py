"""The policy as data: every parameter with its rule ID and article; 规则 overrides."""
import datetime as dt
import re

import openpyxl
from builders import full_day, workdays

from kaohe.doors.cli import main
from kaohe.findings import RULES_BAD_VALUE, RULES_UNKNOWN_KEY
from kaohe.policy import DEFAULT, params, policy_from_rows



def test_every_parameter_has_rule_article_and_explanation():
    keys = set()
    for p in params():
        assert re.fullmatch(r"(ATT|OT|LV|KPI|REV|PAY)-\d\d", p.rule), p
        assert p.article and p.doc and p.key
        keys.add(p.key)
    assert len(keys) == len(params())  # keys are unique


def test_defaults_are_those_of_rules_md():
    p = DEFAULT
    assert (p.late_fine, p.late_half_day_minutes, p.late_full_day_minutes, p.late_grace_minutes) == (20, 30, 120, 0)
    assert (p.missing_punch_fine, p.proxy_punch_fine, p.paper_attendance_days) == (20, 20, 7)
    assert (p.am_start, p.am_end, p.pm_start, p.pm_end) == (dt.time(8, 30), dt.time(12), dt.time(13, 30), dt.time(17, 30))
    assert p.rest_weekday == 6
    assert (p.overtime_multiplier_workday, p.overtime_multiplier_rest_day, p.overtime_multiplier_holiday) == (1.5, 2, 3)
    assert p.overtime_step_hours == 0.5
    assert (p.personal_leave_cap_days, p.sick_pay_ratio, p.marriage_leave_days, p.bereavement_leave_days) == (15, 0.8, 3, 3)
    assert (p.maternity_leave_days, p.maternity_notice_days, p.marriage_notice_days) == (98, 15, 7)
    assert (p.social_insurance_leave_days, p.social_insurance_leave_types) == (15, ("事假", "病假"))
    assert (p.monthly_workdays, p.hours_per_day, p.absence_multiplier) == (21.75, 8, 1)
    assert (p.kpi_self_weight, p.kpi_manager_weight, p.kpi_reward, p.kpi_min_ranked) == (0.3, 0.7, 100, 3)
    assert (p.review_self_weight, p.review_peer_weight, p.review_manager_weight) == (0.2, 0.3, 0.5)


def test_overrides_unknown_keys_and_bad_values():
    policy, findings = policy_from_rows([("B2", "迟到早退罚款", 30), ("B3", "不存在的参数", 1),
                                         ("B4", "缺卡罚款", "二十"), ("B5", "上午上班时间", "9:00"),
                                         ("B6", "妇女节下午放假", "否"), ("B7", "社保自理计入假别", "事假，病假，年休假")])
    assert policy.late_fine == 30
    assert policy.missing_punch_fine == 20  # bad value: default stays
    assert policy.am_start == dt.time(9)
    assert policy.womens_day_half is False
    assert policy.social_insurance_leave_types == ("事假", "病假", "年休假")
    cells = {f.cell: f for f in findings}
    assert "未知参数" in cells["B3"].problem
    assert "无效" in cells["B4"].problem and "沿用默认值 20" in cells["B4"].action


def test_rules_sheet_findings_carry_the_code_that_selects_them():
    # 迟到罚款金额 is no parameter; 五十 is no number for 迟到早退罚款.
    _, found = policy_from_rows([("B2", "迟到罚款金额", 50), ("B3", "迟到早退罚款", "五十")], "规则")
    assert [(f.cell, f.code) for f in found[:2]] == [("B2", RULES_UNKNOWN_KEY), ("B3", RULES_BAD_VALUE)]


def test_compliance_warnings():
    _, findings = policy_from_rows([("B2", "法定节假日加班倍数", 2)])
    texts = [f.problem for f in findings]
    assert any("低于劳动法第四十四条的 3" in t for t in texts)
    assert any("45 小时" in t for t in texts)  # 6 days × 7.5 h > 40 h
    assert all(f.level == "警告" for f in findings)


def test_rule_sheet_override_changes_the_month(month):
    rows = [["工号", "打卡时间"]]
    for day in workdays(2026, 11):
        rows += full_day("001", day)
    rows = [r for r in rows if r[1] != dt.datetime(2026, 11, 2, 8, 25)] + [["001", dt.datetime(2026, 11, 2, 8, 40)]]
    m = month({"打卡记录": rows, "规则": [["参数", "值"], ["迟到早退罚款", 50], ["迟到宽限分钟", 5]]})
    assert m.summary()["迟到早退罚款"] == 50  # 10 minutes late, over the 5-minute grace
    m = month({"打卡记录": rows, "规则": [["参数", "值"], ["迟到宽限分钟", 10]]})
    assert m.summary()["迟到早退罚款"] == 0


def test_policy_fingerprint_changes_with_values():
    changed, _ = policy_from_rows([("B2", "迟到早退罚款", 30)])
    assert changed.fingerprint() != DEFAULT.fingerprint()
    assert DEFAULT.fingerprint() == policy_from_rows([])[0].fingerprint()


def test_template_rules_sheet_lists_every_parameter(tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["template", "attendance", "--out", str(out), "--year", "2026"]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["规则"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [p.key for p in params()]
    assert all(r[2] and r[3] for r in rows)
    # The template's own 规则 values parse back to the defaults.
    policy, findings = policy_from_rows([(f"B{i}", r[0], r[1]) for i, r in enumerate(rows, 2)])
    assert policy == DEFAULT and not [f for f in findings if f.level == "错误"]
    holidays = {r[0].date(): r[1] for r in wb["节假日"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert holidays[dt.date(2026, 10, 1)] == "法定节假日" and holidays[dt.date(2026, 10, 10)] == "调休上班"


def test_policy_fingerprint_ignores_parameters_at_their_default():
    """A parameter a later version adds (at its default) leaves the fingerprint of a policy as it was: the
    hash covers only the values HR changed, so the default policy's fingerprint is that of an empty set."""
    import hashlib
    import json
    assert DEFAULT.fingerprint() == hashlib.sha256(json.dumps({}).encode()).hexdigest()[:12]
