"""What reached finance: every finance export and send of a month, recorded as data in the attendance workbook.

财务发送记录 (visible) has a row per export (导出), per send of a month's payment file (发送, or an Outlook
draft), and per mail of a 更正版 (重发更正版): month, version, file, the fingerprint of its figures, time,
recipients, reason. The hidden 财务发送数据 keeps the figures (one row per employee) of each fingerprint
still needed: of every send and of the latest export of each month. The finance file carries the same
facts in its own document properties (month, version, fingerprint, the workbook it came from), so neither
its name nor its folder decides what it is.

The rule that pays a month once: a month's payment file goes to finance once. Whatever changes later is
paid or recovered as 上月更正 with the next month not yet sent — the figures at a close minus the figures
last sent to finance or last closed, whichever is later (kaohe.jobs.close). A month already sent is exported
again only as a 更正版 (information, not a payment request) and mailed only with ``--resend 原因``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kaohe.findings import InputRefused
from kaohe.jobs.fingerprints import values_fingerprint
from kaohe.jobs.money import deducted_fields, figures_sheet, finance_columns, item_columns
from kaohe.jobs.records import records
from kaohe.periods import shift_month
from kaohe.values import parse_id
from kaohe.workbook import contract as c
from kaohe.workbook.sheetxml import SheetSpec
from kaohe.workbook.write import frame_spec

# The finance file's document properties (kaohe.workbook.docprops).
P_MONTH, P_VERSION, P_FP = "kaohe财务表月份", "kaohe财务表版本", "kaohe财务表数值指纹"
P_TIME, P_BOOK, P_SENT = "kaohe财务表导出时间", "kaohe财务表考勤工作簿", "kaohe财务表发送记录"
P_CONTENT = "kaohe财务表内容指纹"  # every cell value of the file as exported
P_HEAD, P_ROWS = "kaohe财务表表头行", "kaohe财务表人数"  # where 财务汇总's table is: its header's row, its employees
PAYMENT_SENDS = (c.SEND_ACTION, c.DRAFT_ACTION)  # a month's payment file went to finance
SENDS = PAYMENT_SENDS + (c.RESEND_ACTION,)
# 财务发送数据's money columns, named as in the finance sheet: the money items in force, KPI奖惩, 上月更正, 调整合计
# (kaohe.jobs.money: finance_columns; the items alone: item_columns).


@dataclass(frozen=True)
class Entry:
    """One row of 财务发送记录."""

    month: str
    action: str
    version: str
    file: str
    figures_fp: str
    file_fp: str
    time: object
    to: str
    reason: str

    @property
    def when(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M}" if isinstance(self.time, (dt.datetime, dt.date)) else str(self.time or "")


def entries(log_rows: list[list] | None, month: str | None = None) -> list[Entry]:
    """The rows of 财务发送记录 (of ``month``), oldest first."""
    log = records(log_rows, c.FINANCE_LOG)
    out = []
    for r in log.itertuples(index=False):
        if month is None or str(r.month) == month:
            out.append(Entry(str(r.month), str(r.action or ""), str(r.version or ""), str(r.file or ""),
                             str(r.figures_fp or ""), str(r.file_fp or ""), r.time, str(r.to or ""), str(r.reason or "")))
    return out


def payment_send(log_rows: list[list] | None, month: str) -> Entry | None:
    """The send of ``month``'s payment file to finance (there is at most one), or None."""
    return next((e for e in reversed(entries(log_rows, month)) if e.action in PAYMENT_SENDS), None)


def sent_months(log_rows: list[list] | None) -> set[str]:
    return {e.month for e in entries(log_rows) if e.action in PAYMENT_SENDS}


def next_unsent(log_rows: list[list] | None, month: str) -> str:
    """The first month after ``month`` whose payment file has not gone to finance: where corrections travel."""
    sent, later = sent_months(log_rows), shift_month(month, 1)
    while later in sent:
        later = shift_month(later, 1)
    return later


def export_of(log_rows: list[list] | None, month: str | None = None, figures_fp: str | None = None,
              file_fp: str | None = None) -> Entry | None:
    """The latest export matching the month and fingerprint (of the figures, or of the file's bytes)."""
    for e in reversed(entries(log_rows, month)):
        if e.action == c.EXPORT_ACTION and (figures_fp is None or e.figures_fp == figures_fp) \
                and (file_fp is None or e.file_fp == file_fp):
            return e
    return None


# --- figures ---------------------------------------------------------------------------------------
def figures_rows(frame: pd.DataFrame) -> list[list]:
    """(工号, every money column) of a finance frame (headers as in the finance sheet)."""
    ids = [parse_id(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in frame[c.ID_COLUMN]]
    money = [pd.to_numeric(frame[h], errors="coerce").fillna(0.0).round(2).tolist() if h in frame else [0.0] * len(frame)
             for h, _ in finance_columns()]
    return [[e, *vals] for e, *vals in zip(ids, *money)]


def figures_fp(frame: pd.DataFrame) -> str:
    """The fingerprint of a finance frame's figures: 工号 and every money column (order of rows irrelevant)."""
    return values_fingerprint(figures_rows(frame))


def stored_figures(fig_rows: list[list] | None, month: str, fp: str) -> pd.DataFrame:
    """The figures kept for ``fp`` of ``month``, with the finance sheet's headers (empty if none are kept)."""
    frame = records(fig_rows, figures_sheet())
    frame = frame[(frame["month"].astype(str) == month) & (frame["figures_fp"].astype(str) == fp)]
    out = pd.DataFrame({c.ID_COLUMN: frame["emp"], "姓名": frame["name"].fillna(""), "部门": frame["dept"].fillna("")})
    for header, fieldname in finance_columns():
        out[header] = pd.to_numeric(frame[fieldname], errors="coerce").fillna(0.0).astype(float)
    return out.reset_index(drop=True)


def sent_figures(fig_rows: list[list] | None, sent: Entry) -> pd.DataFrame:
    """The figures a send of ``sent.month`` went with; refused if kaohe's hidden copy is gone (never guessed)."""
    figures = stored_figures(fig_rows, sent.month, sent.figures_fp)
    if figures.empty:
        raise InputRefused(f"{sent.month} 已于 {sent.when} 发送财务，但隐藏表“{c.FINANCE_FIGURES_NAME}”中没有发送的数字"
                           "（可能被删除）：请从备份恢复", f"the figures sent for {sent.month} are missing from "
                           f"'{c.FINANCE_FIGURES_NAME}'; restore a backup")
    return figures


def as_monthly(figures: pd.DataFrame) -> pd.DataFrame:
    """Stored figures as 月度汇总's money fields (emp, name, the items, 调整合计 of the items only)."""
    out = pd.DataFrame({"emp": figures[c.ID_COLUMN], "name": figures["姓名"]})
    for header, fieldname in item_columns():
        out[fieldname] = figures[header].astype(float)
    paid = [f for _, f in item_columns() if f not in deducted_fields()]
    out["adjustment"] = (out[paid].sum(axis=1) - out[list(deducted_fields())].sum(axis=1)).round(2)
    return out


def store_spec(fig_rows: list[list] | None, log_rows: list[list] | None, new: dict, frame: pd.DataFrame | None
               ) -> SheetSpec:
    """财务发送数据 after the 财务发送记录 row ``new``: the export's figures (``frame``) kept under its fingerprint;
    only fingerprints still needed stay (every send's, the latest export's of each month)."""
    log = entries(log_rows) + [Entry(new["month"], new["action"], "", "", new["figures_fp"], "", None, "", "")]
    latest = {e.month: e.figures_fp for e in log if e.action == c.EXPORT_ACTION}
    needed = {(e.month, e.figures_fp) for e in log if e.action in SENDS} | set(latest.items())
    sheet = figures_sheet()
    kept = records(fig_rows, sheet)
    keys = list(zip(kept["month"].astype(str), kept["figures_fp"].astype(str)))
    key = (new["month"], new["figures_fp"])
    kept = kept[[k in needed and (frame is None or k != key) for k in keys]]
    if frame is not None:
        add = pd.DataFrame({"month": key[0], "figures_fp": key[1], "emp": frame[c.ID_COLUMN].tolist(),
                            "name": frame["姓名"].tolist(), "dept": frame["部门"].tolist()})
        for header, fieldname in finance_columns():
            add[fieldname] = frame[header].astype(float).tolist()
        kept = pd.concat([kept, add], ignore_index=True) if len(kept) else add
    return frame_spec(sheet, kept, hidden=True, print_titles=False)


def entry(month: str, action: str, version: str, file: str, fp: str, frame: pd.DataFrame, *, file_fp: str = "",
          to: str = "", reason: str = "", user: str = "") -> dict:
    """A row of 财务发送记录 (engine fields)."""
    return {"month": month, "action": action, "version": version, "file": file, "figures_fp": fp, "file_fp": file_fp,
            "time": dt.datetime.now().replace(microsecond=0), "to": to or None, "reason": reason or None, "user": user,
            "employees": len(frame), "corrections": round(float(frame[c.CORRECTION_COLUMN].sum()), 2),
            "adjustment": round(float(frame[c.ADJUSTMENT_COLUMN].sum()), 2)}


def log_spec(log_rows: list[list] | None, new: dict) -> SheetSpec:
    """财务发送记录 with ``new`` appended."""
    log = records(log_rows, c.FINANCE_LOG)
    log = pd.concat([log, pd.DataFrame([new])], ignore_index=True) if len(log) else pd.DataFrame([new])
    return frame_spec(c.FINANCE_LOG, log, landscape=True)


def differences(sent: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Every (工号, money column) whose figure differs: 姓名, 项目, 已发送数值, 本表数值, 差额 (engine fields)."""
    a, b = sent.set_index(c.ID_COLUMN), now.set_index(c.ID_COLUMN)
    emps = list(dict.fromkeys([*b.index, *a.index]))
    a, b = a.reindex(emps), b.reindex(emps)
    names = b["姓名"].fillna(a["姓名"])
    rows = []
    for k, (header, _) in enumerate(finance_columns()):
        was = pd.to_numeric(a[header], errors="coerce").fillna(0.0)
        is_ = pd.to_numeric(b[header], errors="coerce").fillna(0.0)
        diff = (is_ - was).round(2)
        rows += [(j, k, {"emp": e, "name": n, "item": header, "sent": float(w), "now": float(i), "diff": float(d)})
                 for j, (e, n, w, i, d) in enumerate(zip(emps, names, was, is_, diff)) if d]
    rows.sort(key=lambda r: r[:2])  # by employee, then column
    return pd.DataFrame([r[2] for r in rows], columns=["emp", "name", "item", "sent", "now", "diff"])
