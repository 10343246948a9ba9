"""The rule reference HR can read: docs/规则说明.md, ``kaohe rules`` and the 规则说明 sheet.

All three are generated from the rule catalog (kaohe.policy.catalog) and the policy's parameters
(kaohe.policy.params), so they cannot drift from what kaohe computes. docs/工作簿约定.md is
generated from the workbook contract the same way. ``scripts/build_docs.py --check`` (run by the
tests) fails when a committed document is not a fresh generation.
"""
from __future__ import annotations

from pathlib import Path

from kaohe import terms
from kaohe.policy import DEFAULT, ParamInfo, law, params, regions, render
from kaohe.policy.catalog import FAMILIES, RULES, Rule
from kaohe.policy.leave_table import default_table
from kaohe.policy.tables import GRADES, KPI_INDICATORS, ROLE_WEIGHTS
from kaohe.jobs import money
from kaohe.jobs.leave_kinds import sheet_rows
from kaohe.jobs.markdown import md_table as _md_table
from kaohe.jobs.penalty_reference import penalties_markdown
from kaohe.workbook import contract as c

GENERATED = "本文件由 `python scripts/build_docs.py` 生成，请勿手工修改。"
RULE_HEADERS = ("编号", "类别", "条款", "规则", "规则表参数（默认值）", "制度未明确之处的决定")
PARAM_HEADERS = ("参数", "默认值", "说明", "规则", "条款")


def params_of(rule_id: str) -> list[ParamInfo]:
    return [p for p in params() if p.rule == rule_id]


def _param_text(rule: Rule) -> str:
    return "；".join(f"{p.key} = {render(p) or '（空）'}" for p in params_of(rule.id))


def rule_rows() -> list[tuple]:
    return [(r.id, r.family, r.article, r.text, _param_text(r), r.decision) for r in RULES]


def param_rows() -> list[tuple]:
    return [(p.key, render(p), p.doc, p.rule, p.article) for p in params()]


def rules_markdown() -> str:
    lines = ["# 规则说明", "", GENERATED, "",
             "kaohe 写出的每一笔罚款、扣款和提示，在“依据”列都注明规则编号和条款（如 `ATT-04 第十九条`），"
             "可在下表中查到它的含义。第…条指《考勤与请假管理制度》（篇一）；篇二/三/五是网店客服组月度 KPI 方案，"
             "篇四是电子商务部季度/年度考核办法。",
             "",
             "表中的数字都是默认值：在工作簿的“规则”表中修改“值”一列即可，无需改程序。"
             "设置低于劳动法标准时（如法定节假日加班倍数低于 3），kaohe 仍按公司规则计算，并在问题清单中给出警告。", ""]
    for family_key, family in FAMILIES.items():
        rules = [r for r in RULES if r.id.startswith(family_key + "-")]
        lines += [f"## {family}", ""]
        lines += _md_table(("编号", "条款", "规则", "规则表参数（默认值）"),
                           [(r.id, r.article, r.text, _param_text(r)) for r in rules])
        lines.append("")
    lines += penalties_markdown()
    lines += ["## 规则表参数", "", "工作簿“规则”表的“参数”一列写下表的参数名，“值”一列写新的值；没有写的参数用默认值。"
              "值可以带上参数的单位（如 `30元`、`3天`、`30分钟`、`7.5小时`、`80%`、`1.5倍`）；"
              "单位与参数不符（如罚款写成 `30天`）时该值不用，问题清单会写明应以什么单位计。", ""]
    lines += _md_table(PARAM_HEADERS, param_rows())
    lines += ["", *_region_lines()]
    lines += _leave_type_lines()
    lines += ["", "## 制度未明确之处的决定", "", "公司制度没有写明或可以有不同理解的地方，kaohe 按以下决定处理：", ""]
    lines += [f"- **{r.id}**（{r.article or '无条款'}）：{r.decision}" for r in RULES if r.decision]
    lines += ["", "## KPI 指标默认值（KPI-01、KPI-02）", "",
              "在客服绩效工作簿的“KPI规则”表中可以修改；表存在时整表替代下列默认值。比率写小数（0.452 即 45.2%），响应时间以秒计。", ""]
    lines += _md_table(("指标", "权重", "方向", "目标值", "底线值", "评分人", "别名"),
                       [(i.name, f"{i.weight:g}", i.direction, _num(i.target), _num(i.floor), i.scorer, "、".join(i.aliases))
                        for i in KPI_INDICATORS])
    lines += ["", "## 考核默认值（REV-04、REV-05）", "", "岗位权重（经营业绩/工作态度/任职能力/团队协作，%）：", ""]
    lines += _md_table(("岗位", "经营业绩", "工作态度", "任职能力", "团队协作"),
                       [(r.role, *(f"{v:g}" for v in r.as_tuple())) for r in ROLE_WEIGHTS])
    lines += ["", "等级：", ""]
    lines += _md_table(("等级", "最低分", "绩效系数"), [(g.grade, f"{g.min_score:g}", f"{g.coefficient:g}") for g in GRADES])
    return "\n".join(lines) + "\n"


def _region_lines() -> list[str]:
    """The statutory figures by 工作地 (LV-22, kaohe.policy.regions), each region's sources, 待核实 marked."""
    places = [("国家标准", regions.NATIONAL_FIGURES), *((name, f) for name, f in regions.REGIONS.items())]
    lines = ["## 工作地的法定天数（LV-22）", "",
             "规则表的“工作地”填上海、广东或浙江时（员工名册的“工作地”列可逐人填写，优先于规则表），按下表该省的天数核对；"
             "空为只按国家标准。其他地区 kaohe 没有内置天数：问题清单会提示在规则表和假别中填写当地的天数。"
             f"标“{regions.VERIFY_MARK}”的数字各方来源不一，请对照现行条例。天数为日历天数。", ""]

    def cell(f: regions.Figure) -> str:
        shown = "—" if f.value is None else f"{f.value:g}"
        return f"{shown}（{regions.VERIFY_MARK}）" if f.verify else shown
    lines += _md_table(("项目", *(name for name, _ in places)),
                       [(label, *(cell(f.figures()[key]) for _, f in places)) for key, label in law.LABELS.items()])
    lines += ["", "来源：", ""]
    for name, figures in places:
        sources = dict.fromkeys(f.source for f in figures.figures().values() if f.value is not None)
        notes = [f"{law.LABELS[k]}：{f.verify}" for k, f in figures.to_verify().items()]
        lines.append(f"- **{name}**：{'；'.join(sources)}" + (f"。{regions.VERIFY_MARK}：{'；'.join(notes)}" if notes else ""))
    return lines


def _leave_type_lines() -> list[str]:
    """## 假别: the default rows of the 假别 table (LV-25), as the 考勤 template's 假别 sheet has them."""
    lines = ["", "## 假别（LV-25）", "",
             "请假记录的假别按下表（工作簿没有“假别”表时）。工作簿有“假别”表时以表中各行为准：HR 在表末加一行即增加一种假别，"
             "计薪为无薪或比例的假别在月度汇总和财务表中有自己的“假别扣款”一列（LV-26）；"
             "公司假别的额度、提前申请天数和病假发放比例代替规则表的参数（LV-27）。"
             "各列的含义见 docs/工作簿约定.md 的“假别”表。产假和丧假的额度等取自规则表参数的当前值。", ""]
    rows = [[v if v is not None else "" for v in row] for row in sheet_rows(DEFAULT)]
    shown = [i for i, h in enumerate(c.LEAVE_KIND_HEADERS) if any(r[i] not in ("", terms.NO) for r in rows)]
    return lines + _md_table([c.LEAVE_KIND_HEADERS[i] for i in shown],
                             [[_num(r[i]) if isinstance(r[i], (int, float)) else r[i] for i in shown] for r in rows])


def _num(value) -> str:
    return "" if value is None else f"{value:g}"


def contract_markdown() -> str:
    """docs/工作簿约定.md: the sheets HR keeps, their columns and allowed values; the sheets kaohe writes."""
    lines = ["# 工作簿约定", "", GENERATED, "",
             "kaohe 按表名和表头文字找到工作表和列：列的顺序可以调整，可以加自己的列，kaohe 不会改动它们。"
             "表名、表头请与下面完全一致（“您是否想用…”的提示会指出拼写相近的表名）。", "",
             "## HR 填写的表（kaohe 只读取，不改动）", ""]
    inputs = c.ATTENDANCE_INPUTS + (c.IDENTITY, c.KPI_DATA, c.KPI_RULES, c.REVIEW_SCORES, c.ROLE_WEIGHTS, c.GRADES)
    for spec in inputs:
        if spec is c.IMPORTED:
            continue
        column_kinds = c.COLUMN_KINDS.get(spec.name, {})
        choices = {**c.CHOICES, **c.SHEET_CHOICES.get(spec.name, {})}
        lines += [f"### {spec.name}" + ("（必需）" if spec.mandatory else ""), ""]
        vocabs = c.VALUE_COLUMNS.get(spec.name, {})
        rows = [(col, "必填" if col in spec.required else ("二选一" if any(col in g for g in spec.alternatives) else "可选"),
                 _kind_text(spec, col, column_kinds.get(col)), "、".join(choices.get(col, ())), _synonyms(vocabs.get(col)))
                for col in spec.columns]
        lines += _md_table(("列", "是否必填", "类型", "允许的值", "也可以写（同义词）；空白表示"), rows)
        lines += ["", *_flexible_lines()] if spec is c.SHIFTS else [""]
    lines += ROWS_AND_IDS
    lines += ["## 同义词", "",
              "有下拉列表的值列（审批状态、假别、证明材料、加班申请的审批列、类型、补偿方式、生产线、考核评分的关系）除了标准值，也接受上表中的同义词。"
              "比较时忽略空格、大小写和全角/半角，但必须整格相同：“已口头批准”不等于“批准”。",
              "其他写法请在 规则 表中登记，每行一个：“列”写列名（如 审批状态），“写法”写您的写法，“标准值”写它代表的标准值。"
              "无法识别的值按最稳妥的方式处理（审批按待审批、证明材料按无、补偿方式按调休），并在问题清单中列为错误。"
              "加班申请的审批列也可以直接写审批人姓名（与员工名册中的姓名相同即视为已批准）。", ""]
    lines += _synonym_lines()
    lines += _output_lines()
    lines += ["## 单元格函数的可选参数", "", "单元格函数看不到员工名册和排班表：下列参数写在函数的最后，写了就与“计算本月”的结果一致。", ""]
    lines += _md_table(("函数", "参数", "含义"), [(name, arg, meaning) for name, args in c.CELL_FUNCTION_OPTIONS.items()
                                                   for arg, meaning in args])
    lines += [""] + _recalculation_lines()
    return "\n".join(lines)


def _flexible_lines() -> list[str]:
    """What 班次's flexible-hours columns mean (ATT-12, ATT-13) and where standard hours set the same."""
    flex, leave, start = c.SHIFTS.optional[-3:]
    keys = "、".join(p.key for p in params() if p.rule in ("ATT-12", "ATT-13"))
    return [f"{flex}、{leave}、{start} 三列可以不要；空白表示这个班次不用弹性上班（ATT-12）、晚走晚到（ATT-13）。"
            f"{flex}写整数分钟（如 30）：晚到不超过这么多分钟、下班晚走同样多分钟的，不算迟到。"
            f"{leave}和{start}写时间（如 21:00、10:00），两项须同时填写：前一天最后一次打卡不早于{leave}的，"
            f"这天上班推迟到{start}。标准工时员工没有班次，在 {c.RULES.name} 表中设置：{keys}。"
            "细节见 docs/规则说明.md。", ""]


KIND_TEXT = {"id": "文本（工号，001 不会变成 1）", "date": "日期", "datetime": "日期时间", "time": "时间",
             "number": "数字", "raw": "按参数而定"}


def _kind_text(spec: c.InputSheet, col: str, kind: str | None) -> str:
    """The 类型 of a column as the contract document says it: a date of an event may go without its year; a 假别
    column its meaning."""
    if spec is c.LEAVE_KINDS:
        return c.LEAVE_KIND_MEANINGS[col]
    text = "数字" if spec is c.PENALTIES and kind == "raw" else KIND_TEXT.get(kind or "", "文本")
    return f"{text}（可不写年份）" if col in c.YEARLESS.get(spec.name, ()) else text


def _output_lines() -> list[str]:
    """The sheets kaohe writes (docs/工作簿约定.md)."""
    lines = ["## kaohe 写出的表（每次运行整表替换，请勿在其中填写）", ""]
    outputs = (*c.ATTENDANCE_OUTPUTS[:1], money.MONTHLY, *c.ATTENDANCE_OUTPUTS[1:], c.RECONCILE, c.IMPORTED_OUT,
               c.KPI_HISTORY, c.CLOSE_LOG, c.CHANGES, c.CORRECTION_DETAIL, c.FINANCE_LOG, c.CORRECTED_DIFF)
    lines += _md_table(("工作表", "列"), [(s.name, "、".join(s.headers) or "（按月份排版的打印表）") for s in outputs])
    lines += ["", ADDED_TO_KAOHE_SHEETS]
    lines += ["", f"另有：{c.KPI_SCORE_PREFIX}YYYY-MM（KPI 评分表，列为 工号、姓名、各项指标、{'、'.join(c.KPI_SCORE_TAIL)}）、"
              f"{c.KPI_NOTICE.name}、{c.KPI_IMPORT.name}、{c.QUARTER_PREFIX}YYYYQn、{c.YEAR_PREFIX}YYYY。", ""]
    return lines


ADDED_TO_KAOHE_SHEETS = (
    "在这些表上另加的东西——表格（Table）、批注、图片和图表、条件格式、数据验证（下拉列表）、超链接、手动分页符、"
    "合并单元格——下次运行时随表一起移除，问题清单逐项列出（警告）；工作表保护保留（提示）。请在自己的表中用公式引用 kaohe 的表。")
YEARLESS_SHEETS = "、".join(f"{sheet}的{'、'.join(cols)}" for sheet, cols in c.YEARLESS.items())
ROWS_AND_IDS = [
    "## 工号、汇总行和日期", "",
    "- **工号按 Excel 显示的样子比对。** 工号单元格是数字、而数字格式补零时（如格式 0000 的 1 显示为 0001），工号就是 0001"
    "（问题清单中有一条提示；写回 kaohe 的表时仍是数字 1，工资表的 VLOOKUP 照样找得到）。"
    "各表的工号与员工名册的工号比较时不分全角半角、不计前后空格（`１０３` 就是 `103`）；kaohe 写出的工号与员工名册中的写法相同。"
    "只有去掉前导零后才对得上、且只对得上一个人时（员工名册是 `001`，这里写成 `1`），按此人计算，问题清单中有一条提示；"
    "对得上多个人或谁也对不上时不猜，问题清单中列为错误。"
    "导入考勤机、钉钉、企业微信的编号时用同一规则（先查人员对照，再查员工名册的工号）。",
    "- **汇总行不是员工，也不是打卡。** 以下的行跳过，问题清单中的提示写明是按哪一条认出的：Excel 表格（Table）的汇总行；"
    "一行中的数值全是对本列上方各行的汇总公式（SUM、SUBTOTAL、COUNT 等），且本行没有自己的工号、姓名、日期或时间；"
    "首格为 汇总、合计、总计、小计 或 Total 的行。序号列的公式（如 =SUBTOTAL(103,$B$2:B2)、=COUNTA($B$2:B2)）和表格的计算列"
    "（如 =SUM(名册[@[基本工资]:[岗位津贴]])）不会让一行被当作汇总行。",
    "- **日期和时间** 可以是 Excel 的日期时间、日期序号、文本（2026-11-02 8:30、2026/11/2、2026年11月2日 等），"
    "也可以是其他程序写的 ISO 8601 日期单元格（如 2026-11-02T08:41:00.000Z）：按其中写的时刻计算，不做时区换算"
    "（Excel 和 LibreOffice 也这样显示）。",
    f"- **不写年份的日期**：事件的日期（{YEARLESS_SHEETS}）可以只写月日，如 `9月8日`、`10-13`、`9/8 8:30`："
    "kaohe 取离计算的月份最近的那一年（1 月计算时 `12月28日` 是上一年的 12 月 28 日），并在问题清单中提示所取的日期；"
    "离计算的月份超过两个月时无法确定年份，按空值处理，问题清单中列为错误。"
    "员工名册的入职日期、转正日期、离职日期、参加工作日期等必须写年份。", ""]


def _recalculation_lines() -> list[str]:
    """When the cell functions are recalculated (the add-in's KaoheRules; they are not volatile)."""
    rules, holidays, penalties = c.RULES.name, c.HOLIDAYS.name, c.PENALTIES.name
    return ["## 单元格函数何时重新计算", "",
            "单元格函数不是“易失性”函数：只有参数所指的单元格改变时，Excel 才重新计算它们；在别处输入、切换工作簿都不会"
            "让它们重算，也不会因此在关闭时问“是否保存更改”。它们还读取本工作簿的 "
            f"{rules} 表、{holidays} 表和 {penalties} 表（每个工作簿读一次）：这几张表中的单元格被输入、粘贴或清除后，"
            "加载项自动重新计算本工作簿中"
            f"所有调用 kaohe 函数的单元格，不必按 F9；把工作表改名为（或改名不再是）{rules}、{holidays}、{penalties}，"
            "删除或新增这几张表，"
            "在切换到另一张工作表时生效。计算方式设为“手动”时，这些单元格只被标记为待计算，按 F9 即可。"
            f"在 Excel 之外（或在另一个 Excel 窗口中）改动了 {rules} 表，再打开工作簿时请按 Ctrl+Alt+F9 完整重算一次。", ""]


def _synonym_lines() -> list[str]:
    """The value vocabulary of kaohe.terms: standard values and the synonyms kaohe knows, per column."""
    lines = ["## 同义词（写法 → 标准值）", "",
             "比较时忽略大小写、空格和全角/半角；只认整个单元格（“已口头批准”不是“批准”）。加班申请的审批列也可以写"
             "审批人的姓名（与员工名册中的姓名一致即为批准）。HR 可在规则表的“列”“写法”“标准值”三列中添加自己的写法，"
             "每行一个。无法识别的值在问题清单中列为“错误”，并按最稳妥的方式处理：审批按待审批（不计加班费、不计调休；"
             "请假不抵扣缺勤，按旷工），证明材料按无。", ""]
    def words(vocab):
        standards, synonyms = _vocabulary(vocab)
        return "；".join(f"{' '.join(w for w, t in synonyms.items() if t == v and w != v)} → {v}"
                        for v in standards if any(t == v and w != v for w, t in synonyms.items()))
    rows = [(col, "、".join(_vocabulary(vocab)[0]), words(vocab)) for col, vocab in c.SYNONYM_COLUMNS.items()]
    return lines + _md_table(("列", "标准值", "kaohe 认识的写法"), rows) + [""]


def _vocabulary(vocab: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """A value column's standard values and synonyms {written: standard}: 假别's are the default 假别 table's rows
    (its names and 同义词, the statutory types' included), the others kaohe.terms'."""
    if vocab == terms.LEAVE_TYPE:
        table = default_table(DEFAULT)
        return table.names, table.synonyms()
    return terms.STANDARD[vocab], terms.SYNONYMS[vocab]


def _synonyms(vocab: str | None) -> str:
    """The documented synonyms of a value column, by standard value, and what a blank cell means."""
    if vocab is None:
        return ""
    by_standard: dict[str, list[str]] = {}
    for written, standard in _vocabulary(vocab)[1].items():
        if written != standard:
            by_standard.setdefault(standard, []).append(written)
    parts = [f"{'、'.join(words)} → {standard}" for standard, words in by_standard.items()]
    blank = terms.BLANK.get(vocab)
    return "；".join(parts + ([f"空白 → {blank}"] if blank else []))


DOCS = {"规则说明.md": rules_markdown, "工作簿约定.md": contract_markdown}


def write_docs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in DOCS.items():
        path = folder / name
        path.write_text(build(), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def add_reference_sheet(wb, name: str = c.RULES_REFERENCE):
    """A read-only sheet with every rule and parameter, so a 依据 ID can be looked up in Excel."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(name)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(["规则说明：依据列中的规则编号（如 ATT-04）可在此查到。数字为默认值，可在“规则”表中修改。"])
    ws["A1"].font = Font(bold=True, size=12)
    for headers, rows in ((RULE_HEADERS, rule_rows()), (PARAM_HEADERS, param_rows())):
        ws.append([])
        ws.append(list(headers))
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                cell.alignment = wrap
    for letter, width in zip("ABCDEF", (14, 16, 18, 60, 36, 40)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def rules_text() -> str:
    """``kaohe rules`` without --out: one rule a paragraph, for the terminal."""
    out = []
    for r in RULES:
        out.append(f"{r.id}  {r.article}\n  {r.text}")
        if _param_text(r):
            out.append(f"  参数：{_param_text(r)}")
        if r.decision:
            out.append(f"  决定：{r.decision}")
    return "\n".join(out) + "\n"
