"""Opening a punch source by its content, and the records every reader returns.

A file is opened by what it contains, not by its extension: an .xlsx named .xls reads (with a
提示 to rename it); an HTML or other non-spreadsheet file is refused with what it really is.
Text files (CSV, Excel's "Unicode text", attlogs) are decoded as UTF-8 (with or without BOM), GBK or
UTF-16. Excel 2007+ files are read with calamine, Excel 97-2003 (.xls) with xlrd (kaohe.imports.xls).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from collections.abc import Sequence
from pathlib import Path

import python_calamine

from kaohe.findings import Finding, InputRefused
from kaohe.imports.xls import xls_sheets
from kaohe import terms
from kaohe.workbook.guard import WHAT_IT_IS, content_kind

LEFT_MARK = re.compile(r"\s*(?:[（(]\s*已?离职\s*[)）]|[-－—]\s*已?离职)\s*$")
SKIPPED_SHOWN = 5  # line numbers listed per skipped-lines finding


def clean_name(value) -> str:
    """A person's name without the leaver mark vendors add (``孙磊（已离职）``, ``员工09(离职)``, ``张三-离职``)."""
    return LEFT_MARK.sub("", str(value or "")).strip()


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class RawPunch:
    ids: tuple  # ((kind, ident), …) in the order to try; kind in clock / dingtalk / wecom / emp
    name: str
    ts: dt.datetime
    source: str  # file name and row or line
    kind: str = ""  # 打卡导入.类型: "" for a clock punch, terms.PUNCH_MAKEUP or terms.PUNCH_ADMIN
    workday: dt.date | None = None  # the 考勤日 the vendor puts an after-midnight punch on (打卡导入's 归属日期)


@dataclass(frozen=True)
class NotPunch:
    """A row of an export that records something other than a punch (DingTalk's 打卡无效: a superseded or
    refused punch): counted, never imported."""

    row: int
    why: str  # the vendor's own words, e.g. 打卡无效:此记录已被更新


@dataclass(frozen=True)
class Skipped:
    """A line or row of a source that holds something but no usable punch."""

    row: int  # line of a text file, Excel row of a sheet
    why: str


# What a reader makes of a sheet: punches, rows that are not punches, and rows it could not use.
Read = list["RawPunch | Skipped | NotPunch"]


def skipped_findings(path: Path, skipped: Sequence[Skipped]) -> list[Finding]:
    """One 警告 per source: how many places were skipped, the first few with their line and reason."""
    if not skipped:
        return []
    shown = "；".join(f"第{s.row}行{s.why}" for s in skipped[:SKIPPED_SHOWN])
    return [Finding(path.name, f"第{skipped[0].row}行", f"{path.name} 有 {len(skipped)} 处不是有效打卡记录，已跳过（{shown}"
                    f"{'…' if len(skipped) > SKIPPED_SHOWN else ''}）",
                    "其余记录已导入；请核对这些位置，必要时重新导出", level=terms.LEVEL_WARNING, code="import.skipped_lines")]


def not_punch_findings(path: Path, rows: list[NotPunch]) -> list[Finding]:
    """One 提示 per source: how many rows are not punches, by the vendor's reason, and the first row."""
    if not rows:
        return []
    reasons: dict[str, int] = {}
    for r in rows:
        reasons[r.why] = reasons.get(r.why, 0) + 1
    shown = "；".join(f"“{why}” {n} 行" for why, n in sorted(reasons.items(), key=lambda x: -x[1])[:SKIPPED_SHOWN])
    return [Finding(path.name, f"第{rows[0].row}行", f"{path.name} 有 {len(rows)} 行不是有效打卡（{shown}"
                    f"{'…' if len(reasons) > SKIPPED_SHOWN else ''}）", "未导入：这些记录已被更新或被系统拒绝，不是打卡",
                    "ATT-03", "第十八条", level=terms.LEVEL_INFO, code="import.not_punches")]


def kind_findings(path: Path, punches: list) -> list[Finding]:
    """A 提示 per kind of punch a system made or changed (补卡审批, 管理员修改): how many, and how they count."""
    how = {terms.PUNCH_MAKEUP: ("按已批准的打卡异常处理（ATT-05），不当作打卡", "ATT-05", "第二十条"),
           terms.PUNCH_ADMIN: ("按打卡时间照常计算，每日明细的说明中注明", "ATT-03", "第十八条")}
    out = []
    for kind, (action, rule, article) in how.items():
        mine = [p for p in punches if isinstance(p, RawPunch) and p.kind == kind]
        if mine:
            out.append(Finding(path.name, f"第{mine[0].source.rsplit(':', 1)[-1]}行",
                               f"{path.name} 有 {len(mine)} 条{kind}的记录（打卡导入的“类型”列注明）", action, rule, article,
                               level=terms.LEVEL_INFO, code="import.made_punches"))
    return out


@dataclass
class Source:
    """One file as read: its kind, punches, what was skipped, and its content fingerprint."""

    path: Path
    kind: str
    punches: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    digest: str = ""
    metrics: list = field(default_factory=list)  # 赤兔: Metrics rows
    span: tuple = ()  # 赤兔: the first and last date the file covers
    tried: str = ""  # the sheet and rows (or lines) read, for a message


EXPECTED = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "text", ".txt": "text", ".dat": "text"}


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" (UTF-16, tab-separated)
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")


def _csv_rows(text: str) -> list[list]:
    first = "\n".join(text.splitlines()[:10])
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [[None if v == "" else v for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def open_sheets(path: Path, data: bytes | None = None) -> tuple[list[tuple[str, list[list]]], list[Finding]]:
    """Every sheet of a source as (name, rows), whatever its extension says; a 提示 when the two disagree."""
    data = path.read_bytes() if data is None else data
    kind, findings = content_kind(data), []
    expected = EXPECTED.get(path.suffix.lower())
    if kind in ("html", "xml", "binary"):
        raise InputRefused(f"{path.name} 实际是{WHAT_IT_IS[kind]}，不是 Excel 或 CSV 文件：请用 Excel 打开后另存为 .xlsx 再导入",
                           f"{path.name} is really {kind}, not a spreadsheet: open it in Excel and save as .xlsx")
    if expected and expected != kind:
        findings.append(Finding(path.name, "", f"{path.name} 的扩展名与内容不符：实际是{WHAT_IT_IS[kind]}",
                                f"已按实际内容读取；建议改名为 {path.stem}{'.csv' if kind == 'text' else '.' + kind}",
                                level=terms.LEVEL_INFO, code="import.wrong_extension"))
    if kind == "text":
        return [(path.stem, _csv_rows(decode(data)))], findings
    if kind == "xls" and "EncryptedPackage".encode("utf-16-le") in data:
        raise InputRefused(f"{path.name} 设有打开密码，无法读取：请在 Excel 中去掉密码后另存为 .xlsx 再导入",
                           f"{path.name} is password-protected: remove the password and save as .xlsx")
    try:
        if kind == "xls":  # each string's own encoding flag, not the CODEPAGE record (kaohe.imports.xls)
            return xls_sheets(data), findings
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names]
    except Exception:
        raise InputRefused(f"无法读取 {path.name}：它是{WHAT_IT_IS[kind]}，但已损坏或设有打开密码（请去掉密码后另存再导入）",
                           f"cannot read {path.name}: a damaged or password-protected {kind} file") from None
    return sheets, findings


def cell_text(v) -> str:
    """A cell as trimmed text; a whole number without ``.0`` (ids typed as numbers)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip() if v is not None else ""
