"""The add-in's text sources: customUI.xml valid against Microsoft's schema, callbacks that exist."""
import re
from pathlib import Path

from lxml import etree

from kaohe.doors import ribbon

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT / "tests" / "data" / "customUI.lax.xsd"
MACROS = ROOT / "macros"
CUSTOM_UI = MACROS / "customUI.xml"


def test_custom_ui_validates_against_the_schema():
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.parse(str(CUSTOM_UI))
    assert schema.validate(doc), schema.error_log


def test_every_on_action_is_a_ribbon_callback_sub():
    ui = CUSTOM_UI.read_text(encoding="utf-8")
    actions = set(re.findall(r'onAction="([^"]+)"', ui))
    vba = "\n".join(p.read_text(encoding="utf-8") for p in MACROS.glob("*.bas"))
    subs = set(re.findall(r"^\s*Public Sub (\w+)\(control As IRibbonControl\)", vba, re.M))
    assert actions and actions <= subs


def test_every_button_has_a_handler_and_a_chinese_label():
    ui = etree.parse(str(CUSTOM_UI))
    ns = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
    buttons = ui.findall(".//c:button", ns)
    assert {b.get("id") for b in buttons} == set(ribbon.BUTTONS)
    labels = {b.get("label") for b in buttons}
    assert labels == {"计算本月", "校验请假", "生成KPI评分表", "季度/年度考核", "导出财务表", "发送财务", "导入函数", "帮助",
                      "打印确认单", "月结确认"}
    assert all(b.get("imageMso") and b.get("screentip") for b in buttons)
    assert ui.find(".//c:tab", ns).get("label") == "考勤绩效"


def test_vba_sources_are_ascii_outside_u_literals():
    """VBA text is stored in the project's code page: Chinese only inside U("…"), which the build writes as hex."""
    for path in [*MACROS.glob("*.bas"), *MACROS.glob("*.cls")]:
        text = re.sub(r'\bU\("[^"]*"\)', "", path.read_text(encoding="utf-8"))
        assert text.isascii(), path.name
