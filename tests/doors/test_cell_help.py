"""The help of the cell functions never states a number that 规则 can change.

Excel's Insert Function shows what xlwings registers (each function's description and argument help);
docs/工作簿约定.md and README show the optional arguments (contract.CELL_FUNCTION_OPTIONS) and the
function table. HR may change every policy parameter in 规则, so help that says “÷ 21.75” or “30%”
is wrong in a workbook that changed it: the help names the parameter instead. The numbers looked for
are the defaults of kaohe.policy.Policy, written the ways a help text would write them.
"""
import dataclasses
import re
from pathlib import Path

import pytest

from kaohe.doors import addin_vba
from kaohe import policy as pol
from kaohe import terms
from kaohe.workbook import contract as c

ROOT = Path(__file__).resolve().parents[2]
# The names of the ATT-04 tiers LATESTATUS returns (旷工1天 …): values the function gives, not an amount.
TIER_NAMES = (terms.LATE_OK, terms.LATE_FINED, terms.LATE_HALF, terms.LATE_FULL)


def _number(x: float) -> str:
    return f"{x:g}"


def default_spellings(policy: pol.Policy = pol.DEFAULT) -> list[tuple[str, str]]:
    """(regex, the parameter it states): every default a help text could spell out."""
    found: list[tuple[str, str]] = []
    for info in pol.params():
        value = getattr(policy, info.name)
        if info.kind == "time":
            found.append((rf"(?<!\d)0?{value.hour}:{value.minute:02d}(?!\d)", info.key))  # 08:30 or 8:30
        elif info.kind == "weekday":
            found.append((re.escape(pol.render(info, value)), info.key))
        elif info.kind == "text" and value:
            found.append((re.escape(value), info.key))
        elif info.kind in ("number", "int"):
            n = re.escape(_number(value))
            alone = rf"(?<![\d.]){n}(?![\d.])"
            if not float(value).is_integer():
                found.append((alone, info.key))  # 21.75, 0.5, 1.5: a number like that is this parameter
            if 0 < value < 1:
                found.append((rf"(?<![\d.]){re.escape(_number(value * 100))}\s*%", info.key))  # 0.3 as 30%
            found.append((rf"[÷×]\s*{n}(?![\d.])", info.key))  # ÷ 8, × 1.5
            if pol.unit(info):
                found.append((rf"{alone}\s*{re.escape(pol.unit(info))}", info.key))  # 20元, 30分钟, 3天
    found.append((rf"(?<!\d){policy.womens_day_month}\s*月\s*{policy.womens_day_day}\s*日", "妇女节月份/妇女节日期"))
    return found


def stated_defaults(text: str) -> list[tuple[str, str]]:
    """(what the text says, the 规则 parameter it states) for every default found in ``text``."""
    for name in TIER_NAMES:
        text = text.replace(name, "")
    return [(m.group(0), key) for pattern, key in default_spellings() for m in re.finditer(pattern, text)]


def help_texts() -> dict[str, str]:
    """Where -> text: what Excel registers, the optional arguments, README's table of the functions."""
    texts = {}
    for (macro,), options in addin_vba.xlwings_import().macro_options:
        name = macro.rsplit("!", 1)[1]
        texts[name] = options["Description"]
        texts.update({f"{name} argument {i + 1}": a for i, a in enumerate(options["ArgumentDescriptions"] or ())})
    for name, args in c.CELL_FUNCTION_OPTIONS.items():
        texts.update({f"{name} {arg} (CELL_FUNCTION_OPTIONS)": meaning for arg, meaning in args})
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 四、单元格函数"):]
    texts["README 单元格函数"] = section[:section.index("\n整列计算")]
    return texts


HELP = sorted(help_texts().items())


@pytest.mark.parametrize("where,text", HELP, ids=[w for w, _ in HELP])
def test_cell_function_help_names_the_rules_parameter_never_its_default(where, text):
    assert stated_defaults(text) == [], where


@pytest.mark.parametrize("text,key", [
    ("日工资 = 岗位基本工资 ÷ 21.75", "月计薪天数"),
    ("综合得分 = 自评 30% + 店长评分 70%", "KPI自评权重"),
    ("女员工3月8日下午放假", "妇女节月份/妇女节日期"),
    ("1–30 分钟罚款 20 元", "迟到早退罚款"),
    ("超过30分钟按旷工半天", "旷工半天起点分钟"),
    ("应上班时间，默认 8:30", "上午上班时间"),
])
def test_the_scan_finds_a_stated_default(text, key):
    assert key in {k for _, k in stated_defaults(text)}


def test_the_scan_follows_the_policy_not_a_list():
    changed = dataclasses.replace(pol.DEFAULT, monthly_workdays=20.83)
    assert any(re.search(p, "÷ 20.83") and k == "月计薪天数" for p, k in default_spellings(changed))
    assert not any(re.search(p, "÷ 20.83") for p, _ in default_spellings())
