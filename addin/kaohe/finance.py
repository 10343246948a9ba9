"""导出财务表: the values-only finance workbook (PAY-04).

One row per employee with the money items of 月度汇总, the KPI reward or penalty (from a KPI
workbook, optional), 调整合计, 社保自理 and 依据; a totals row; and a cover block (month,
source file, run time, policy fingerprint). Values only: no formulas, no links to other
workbooks or to the add-in, and no punch- or day-level data — finance gets what payroll needs.

``--password-env NAME`` encrypts the file with the password in that environment variable
(standard Office encryption, msoffcrypto-tool).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from kaohe.findings import InputRefused
from kaohe.workbook import contract as c
from kaohe.workbook.package import write_sheets
from kaohe.workbook.write import wide_print
from kaohe.workbook.sheetxml import Column, SheetSpec

SHEET = "财务汇总"
MONEY = ("迟到早退罚款", "缺卡罚款", "代打卡罚款", "旷工扣款", "事假扣款", "病假扣款", "加班费", "KPI奖惩", c.CORRECTION_COLUMN,
         "调整合计")
FIELDS = {"迟到早退罚款": "late_fine", "缺卡罚款": "missing_fine", "代打卡罚款": "proxy_fine",
          "旷工扣款": "absence_deduction", "事假扣款": "personal_deduction", "病假扣款": "sick_deduction",
          "加班费": "ot_pay"}

_SKELETON = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<bookViews><workbookView/></bookViews><sheets></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}


def new_workbook(path: Path, sheets: list[SheetSpec]) -> Path:
    """A new workbook holding ``sheets`` only, written by the same writer as everything else."""
    with tempfile.TemporaryDirectory() as tmp:
        skeleton = Path(tmp) / "skeleton.xlsx"
        with zipfile.ZipFile(skeleton, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in _SKELETON.items():
                z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), text.encode("utf-8"))
        write_sheets(skeleton, path, sheets, backup=False)
    return path


def finance_frame(monthly: pd.DataFrame, kpi_rewards: dict[str, float] | None = None,
                  corrections: pd.DataFrame | None = None) -> pd.DataFrame:
    """The finance rows: 月度汇总's money columns, KPI奖惩 and 上月更正, with 调整合计 over all of them.

    ``monthly`` is 月度汇总 as computed or as frozen at the close; ``corrections`` are last
    month's corrections paid now (engine fields emp, item, effect: 补发 +, 补扣 −).
    """
    m = monthly
    f = pd.DataFrame({"工号": m["emp"], "姓名": m["name"], "部门": m["dept"]})
    for header, fieldname in FIELDS.items():
        f[header] = m[fieldname].astype(float)
    rewards = kpi_rewards or {}
    f["KPI奖惩"] = [float(rewards.get(e, 0.0)) for e in m["emp"]]
    paid = corrections.groupby("emp")["effect"].sum() if corrections is not None and len(corrections) else {}
    f[c.CORRECTION_COLUMN] = [round(float(paid.get(e, 0.0)), 2) for e in m["emp"]]
    f["调整合计"] = (m["adjustment"].astype(float) + f["KPI奖惩"] + f[c.CORRECTION_COLUMN]).round(2)
    f["社保自理"] = m["social_self"]
    basis = list(m["basis"])
    f["依据"] = [b + (f"；KPI-04 篇二: KPI奖惩 {r:+g} 元" if r else "") + (f"；{c.CORRECTION_COLUMN} {k:+g} 元（见{c.CORRECTION_DETAIL.name}）" if k else "")
                for b, r, k in zip(basis, f["KPI奖惩"], f[c.CORRECTION_COLUMN])]
    return f.reset_index(drop=True)


def close_line(state) -> str:
    """The cover's 月结 line: closed or not, by whom, and the 月度汇总 fingerprint."""
    if state is not None and state.closed:
        return f"月结：已月结（确认人 {state.by}，{state.when}）；月度汇总指纹：{state.summary_fp}；数值取自月结时的冻结数据"
    if state is not None:
        return f"月结：未月结（{state.when} 由 {state.by} 重新打开：{state.reason}）；数值为当前计算结果"
    return "月结：未月结；数值为当前计算结果"


def finance_spec(frame: pd.DataFrame, month: str, source: Path, fingerprint: str, kpi_source: Path | None,
                 close: str = "", company: str = "", kpi_left_out: str = "") -> SheetSpec:
    headers = ["工号", "姓名", "部门", *MONEY, "社保自理", "依据"]
    cols = [Column(h, "money" if h in MONEY else ("wrap" if h == "依据" else "text"),
                   12 if h in MONEY else (60 if h == "依据" else 10)) for h in headers]
    cover = [[f"{SHEET} {month}"], [f"来源：{source.name}" + (f"；KPI：{kpi_source.name}" if kpi_source else "")
              + (f"；未计入KPI奖惩（不在考勤员工名册中）：{kpi_left_out}" if kpi_left_out else "")],
             [f"生成时间：{dt.datetime.now():%Y-%m-%d %H:%M}；制度指纹：{fingerprint}；kaohe 计算，数值不含公式"],
             [close or close_line(None)], [None]]
    total = ["合计", None, None, *[float(frame[h].sum().round(2)) for h in MONEY],
             f"{int((frame['社保自理'] == c.YES).sum())} 人", None]
    data = {h: frame[h].tolist() for h in headers}
    return SheetSpec(SHEET, cols, data=data, total_row=total, header_rows=cover, freeze="D7", merge=["A1:F1"],
                     **wide_print(company, f"{month} {SHEET}"))


def corrections_detail_spec(corrections: pd.DataFrame) -> SheetSpec:
    """更正明细: each correction paid with this month (month, employee, item, reason)."""
    from kaohe.workbook.write import frame_spec

    return frame_spec(c.CORRECTION_DETAIL, corrections, total=True, landscape=True)


def is_closed_export(path: Path) -> bool | None:
    """Whether a finance workbook's cover says its month was closed; None if the cover cannot be read
    (an encrypted file, or not one kaohe wrote)."""
    import python_calamine

    try:
        rows = python_calamine.CalamineWorkbook.from_path(os.fspath(path)).get_sheet_by_name(SHEET).to_python()
    except Exception:  # noqa: BLE001 — calamine's own error types
        return None
    lines = [str(r[0]) for r in rows[:6] if r]
    if any(t.startswith("月结：已月结") for t in lines):
        return True
    return False if any(t.startswith("月结：") for t in lines) else None


def check_closed(path: Path, unclosed: bool) -> None:
    """Refuse to send the finance workbook of a month that is not closed unless asked to (``--unclosed``)."""
    if not unclosed and is_closed_export(path) is False:
        raise InputRefused("这份财务表的月份还没有月结：请先“月结确认”并重新导出，或确认后加 --unclosed 发送",
                           "the month of this finance workbook is not closed; close it first or add --unclosed")


def encrypt(path: Path, password: str) -> None:
    """Standard Office (agile) encryption in place, via a temporary file."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(path.read_bytes())
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            OOXMLFile(plain).encrypt(password, out)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def password_from_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise InputRefused(f"环境变量 {name} 中没有密码", f"no password in environment variable {name}")
    return value
