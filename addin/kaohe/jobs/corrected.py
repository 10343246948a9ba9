"""The 更正版 of a month already sent to finance, and the words that say where a difference goes.

A finance export of a month whose payment file went to finance, with other figures, is a 更正版: its cover
says it is information and not a payment request, what was sent and when, the differences (sheet 更正差额),
and that they are settled in the 上月更正 of a later month. The same words explain a refused send.
"""
from __future__ import annotations

import pandas as pd

from kaohe.jobs import corrections, handoff
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.sheetxml import SheetSpec
from kaohe.workbook.write import frame_spec

TITLE = "（更正版·仅供核对，不是付款依据）"
SUBJECT_MARK = "【更正版·勿重复支付】"
RESEND_MARK = "【重发·勿重复支付】"


def sent_line(sent: handoff.Entry, sent_total: float) -> str:
    return (f"已发送财务：{sent.when} 发给 {sent.to or '（Outlook 草稿）'}（{_file_name(sent.file)}，"
            f"调整合计 {sent_total:,.2f} 元）")


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def where_it_goes(raw: dict, month: str, closed: bool, diff: pd.DataFrame) -> str:
    """Where the differences of a sent month are paid or recovered (and what is not settled by 上月更正)."""
    log = raw.get(c.FINANCE_LOG.name)
    sent = handoff.sent_months(log)
    booked = corrections.corrections_of(raw.get(c.CORRECTIONS.name), month, sent)
    booked = booked[booked["was_sent"].astype(str) == terms.YES]
    parts = []
    attendance = diff[~diff["item"].isin((c.KPI_COLUMN, c.ADJUSTMENT_COLUMN))] if len(diff) else diff
    if len(booked):
        money = "；".join(f"{p} 的上月更正 {t:+,.2f} 元" for p, t in booked.groupby("paid_in")["effect"].sum().items())
        parts.append(f"月结后的更正已计入 {money}，由财务随该月发放或扣回，请勿按本表重复支付")
    elif len(attendance) and not closed:
        parts.append(f"本月重新月结后，差额计入 {handoff.next_unsent(log, month)} 的上月更正；请勿按本表重复支付")
    elif len(attendance):
        parts.append("差额未记入上月更正（本月月结后数字未变，差额来自导出时的其他数字），请与财务核对")
    if len(diff) and (diff["item"] == c.KPI_COLUMN).any():
        parts.append("KPI奖惩的差额不在上月更正中，请与财务另行核对")
    return "；".join(parts) or "数值与已发送的相同，无需再次支付"


def cover_lines(raw: dict, month: str, closed: bool, sent: handoff.Entry, sent_figures: pd.DataFrame,
                frame: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """The 更正版's cover lines about what was sent, and the differences (本表 − 已发送)."""
    diff = handoff.differences(sent_figures, frame)
    total = float(frame[c.ADJUSTMENT_COLUMN].sum() - sent_figures[c.ADJUSTMENT_COLUMN].sum())
    lines = [sent_line(sent, float(sent_figures[c.ADJUSTMENT_COLUMN].sum())),
             f"差额（本表 − 已发送）：调整合计 {total:+,.2f} 元，明细见“{c.CORRECTED_DIFF.name}”表；"
             + where_it_goes(raw, month, closed, diff)]
    return lines, diff


def diff_spec(diff: pd.DataFrame) -> SheetSpec:
    return frame_spec(c.CORRECTED_DIFF, diff, landscape=True)


def refusal(raw: dict, month: str, closed: bool, sent: handoff.Entry, file_figures: pd.DataFrame) -> tuple[str, str]:
    """Why a month already sent is not mailed again (Chinese, English): when, to whom, where the difference goes."""
    diff = handoff.differences(handoff.sent_figures(raw.get(c.FINANCE_FIGURES_NAME), sent), file_figures)
    zh = (f"{month} 的财务表已于 {sent.when} 发给 {sent.to or '（Outlook 草稿）'}（{_file_name(sent.file)}），不再发送："
          f"{where_it_goes(raw, month, closed, diff)}。如需把更正版发给财务核对，请加 --resend 原因")
    en = (f"{month} was sent to finance at {sent.when} ({sent.to}); not sent again. Differences go to a later month's "
          "上月更正; use --resend REASON to mail the corrected version for information")
    return zh, en
