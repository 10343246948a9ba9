"""Why a spreadsheet gave no punch, said so the user can act: the sheets and rows kaohe read, the layout
the file is nearest to and what it lacks, or that its text could not be decoded at all.

LAYOUTS holds the header texts of every layout (docs/导入指南.md lists the same); ``a|b`` is either, and
``工号：`` is a label (either colon, its value after it).
"""
from __future__ import annotations

import re
from pathlib import Path

from kaohe.findings import InputRefused
from kaohe.headers import HEADER_SCAN_ROWS, header_key

LAYOUTS = (  # (layout, its header texts, texts that rule it out)
    ("钉钉原始记录", ("UserId", "考勤日期", "打卡时间"), ()),
    ("钉钉每日统计", ("姓名", "UserId", "日期", "上班1打卡时间"), ()),
    ("钉钉打卡时间", ("姓名", "UserId", "打卡时间", "统计日期"), ()),
    ("企业微信打卡日报", ("时间", "姓名", "账号", "打卡时间记录"), ()),
    ("企业微信打卡时间记录", ("姓名", "账号", "打卡时间记录", "统计时间"), ()),
    ("考勤机刷卡记录", ("考勤日期：", "工号：", "姓名："), ()),
    ("ZKTime原始记录", ("登记号码|考勤号码", "日期时间"), ()),
    ("刷卡日期、刷卡时间分列", ("刷卡日期", "刷卡时间"), ("UserId",)),
    ("考勤日期、考勤时间（一格多个时间）", ("考勤日期", "考勤时间"), ("UserId", "打卡时间")),
)


def _shown(names) -> str:
    return "、".join(n.replace("|", "/") for n in names)


LOOKED_FOR = "；".join(f"{name}：{_shown(names)}" for name, names, _ in LAYOUTS)
SHEETS_SHOWN = 5
_GARBLED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def extent(rows: list[list]) -> int:
    """The number of the last row holding anything (0 for an empty sheet)."""
    return next((i + 1 for i in range(len(rows) - 1, -1, -1) if any(v not in ("", None) for v in rows[i])), 0)


def _texts(rows: list[list]) -> list[str]:
    return [header_key(v) for row in rows[:HEADER_SCAN_ROWS] for v in row if header_key(v)]


def _has(texts: list[str], name: str) -> bool:
    """A header text in a sheet's first rows: a cell of it, or a label ``name：`` in a cell (only a label for
    a name written with its colon)."""
    for n in name.split("|"):
        label = n.rstrip("：")
        if any((t == n and label == n) or re.search(rf"{re.escape(label)}[:：]", t) for t in texts):
            return True
    return False


def nearest(sheets) -> tuple[str, str, list[str], list[str]] | None:
    """(sheet, layout, header texts found, texts missing) of the layout most of whose headers some sheet has,
    at least two of them (or all); None when no sheet comes near any layout."""
    best = None
    for sheet, rows in sheets:
        texts = _texts(rows)
        for layout, names, never in LAYOUTS:
            if any(_has(texts, n) for n in never):
                continue
            found = [n for n in names if _has(texts, n)]
            score = (len(found), len(found) / len(names))
            if (len(found) >= 2 or len(found) == len(names)) and (best is None or score > best[0]):
                best = (score, sheet, layout, found, [n for n in names if n not in found])
    return best[1:] if best else None


def garbled(sheets) -> tuple[str, str] | None:
    """(sheet, a cell) whose text did not decode: control characters or U+FFFD where the header should be."""
    for sheet, rows in sheets:
        for row in rows[:HEADER_SCAN_ROWS]:
            for v in row:
                if isinstance(v, str) and _GARBLED.search(v):
                    return sheet, "".join(ch if ch.isprintable() else "?" for ch in v)[:12]
    return None


def rows_read(name: str, last: int) -> str:
    """``工作表“A”第1–10行`` (``第1行`` for one row)."""
    return f"工作表“{name}”第1{f'–{last}' if last > 1 else ''}行"


def sheets_read(sheets) -> str:
    """``工作表“A”第1–10行、工作表“B”第1–3行``: the first rows of the first few sheets, where headers are looked for."""
    shown = [rows_read(name, min(extent(rows), HEADER_SCAN_ROWS)) for name, rows in sheets[:SHEETS_SHOWN]]
    return "、".join(shown) + (f" 等 {len(sheets)} 个工作表" if len(sheets) > SHEETS_SHOWN else "")


def unrecognised(path: Path, sheets) -> InputRefused:
    """The refusal of a spreadsheet no layout reads."""
    bad = garbled(sheets)
    if bad:
        return InputRefused(f"{path.name} 的文字无法解码（工作表“{bad[0]}”的表头读出来是乱码，如“{bad[1]}”）：请用 Excel 打开后"
                            f"另存为 .xlsx 再导入", f"the text of {path.name} cannot be decoded (sheet '{bad[0]}' reads as "
                            f"mojibake): open it in Excel and save it as .xlsx")
    tried = sheets_read(sheets) if sheets else "（没有工作表）"
    near = nearest(sheets)
    if near is None:
        return InputRefused(f"无法识别 {path.name} 的格式：{tried}中没有任何一种格式的表头（查找的表头：{LOOKED_FOR}）",
                            f"unrecognised format of {path.name}: no layout's headers in the first rows of its sheets")
    sheet, layout, found, missing = near
    lacks = f"缺少 {_shown(missing)}" if missing else "表头都在，但没有对上其余的行（日期行或人员行）"
    return InputRefused(f"无法识别 {path.name} 的格式：读了{tried}；最接近的是工作表“{sheet}”的{layout}（有 {_shown(found)}，"
                        f"{lacks}），各格式的表头见导入指南", f"unrecognised format of {path.name}: nearest layout {layout} "
                        f"in sheet '{sheet}' ({len(missing)} header(s) missing)")
