"""导出财务表: the values-only finance workbook (PAY-04).

One row per employee with the money items of 月度汇总, the KPI reward or penalty (from a KPI
workbook, optional), 上月更正, 调整合计, 社保自理 and 依据; a totals row; and a cover block (month,
source file, run time, policy fingerprint, close state). Values only: no formulas, no links to other
workbooks or to the add-in, and no punch- or day-level data — finance gets what payroll needs.

Each export is recorded in BOOK (财务发送记录, and its figures in 财务发送数据: kaohe.jobs.handoff) and in
the file's own document properties (month, version, fingerprint of the figures, BOOK's path), so BOOK is
written (after a backup) and must not be open elsewhere. A month already sent to finance is exported with
other figures only as a 更正版 (kaohe.jobs.corrected): information, not a payment request.

``--password-env NAME`` encrypts the file with the password in that environment variable
(standard Office encryption, msoffcrypto-tool).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kaohe.jobs import close, corrected, corrections, handoff, register
from kaohe.engine.month import compute_month, load_policy
from kaohe.findings import Finding, InputRefused
from kaohe.jobs.kpi import compute_kpi
from kaohe.jobs.money import finance_columns, in_force, item_columns, items_of_book
from kaohe.policy import Policy
from kaohe.policy.catalog import cite
from kaohe.policy.items import PAY, pay_name
from kaohe.jobs.outcome import JobResult
from kaohe.periods import month_or_refuse
from kaohe import terms
from kaohe.workbook import contract as c
from kaohe.workbook.lock import run_lock
from kaohe.workbook.package import write_sheets
from kaohe.workbook.saving import backup_existing, check_writable
from kaohe.workbook.docprops import write_properties
from kaohe.workbook.read import fingerprint_file, read_book
from kaohe.workbook.write import roster_ids, run_log_spec, save, typed_ids, wide_print
from kaohe.workbook.sheetxml import Column, SheetSpec
from kaohe.workbook.styles import BASE_STYLES

SHEET = "财务汇总"
KPI_COLUMN = c.KPI_COLUMN


def money_headers() -> tuple[str, ...]:
    """The finance sheet's money columns: each money item in force (kaohe.jobs.money), KPI奖惩, 上月更正, 调整合计."""
    return tuple(h for h, _ in finance_columns())

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
    "xl/styles.xml": BASE_STYLES,
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
    for header, fieldname in item_columns():
        f[header] = m[fieldname].astype(float) if fieldname in m else 0.0
    rewards = kpi_rewards or {}
    f[KPI_COLUMN] = [float(rewards.get(e, 0.0)) for e in m["emp"]]
    paid = corrections.groupby("emp")["effect"].sum() if corrections is not None and len(corrections) else {}
    f[c.CORRECTION_COLUMN] = [round(float(paid.get(e, 0.0)), 2) for e in m["emp"]]
    f[c.ADJUSTMENT_COLUMN] = (m["adjustment"].astype(float) + f[KPI_COLUMN] + f[c.CORRECTION_COLUMN]).round(2)
    f["社保自理"] = m["social_self"]
    kpi = cite("KPI-04")
    f["依据"] = ["；".join(p for p in (b, f"{kpi}: {KPI_COLUMN} {r:+g} 元" if r else "",
                                      f"{c.CORRECTION_COLUMN} {k:+g} 元（见{c.CORRECTION_DETAIL.name}）" if k else "") if p)
                for b, r, k in zip(m["basis"].fillna(""), f[KPI_COLUMN], f[c.CORRECTION_COLUMN])]
    return f.reset_index(drop=True)


def close_line(state) -> str:
    """The cover's 月结 line: closed or not, by whom, and the 月度汇总 fingerprint."""
    if state is not None and state.closed:
        return f"月结：已月结（确认人 {state.by}，{state.when}）；月度汇总指纹：{state.summary_fp}；数值取自月结时的冻结数据"
    if state is not None:
        return f"月结：未月结（{state.when} 由 {state.by} 重新打开：{state.reason}）；数值为当前计算结果"
    return "月结：未月结；数值为当前计算结果"


def finance_spec(frame: pd.DataFrame, month: str, source: Path, fingerprint: str, kpi_source: Path | None,
                 close: str = "", company: str = "", kpi_left_out: str = "", title: str = "",
                 cover_notes: Sequence[str] = ()) -> SheetSpec:
    """财务汇总: the cover (title, sources, time, 月结 line, then ``cover_notes``), a blank row, the table and 合计."""
    money = money_headers()
    headers = ["工号", "姓名", "部门", *money, "社保自理", "依据"]
    cols = [Column(h, "money" if h in money else ("wrap" if h == "依据" else "text"),
                   12 if h in money else (60 if h == "依据" else 10)) for h in headers]
    cover: list[list] = [[f"{SHEET} {month}{title}"], [f"来源：{source.name}" + (f"；KPI：{kpi_source.name}" if kpi_source else "")
              + (f"；未计入KPI奖惩（不在考勤员工名册中）：{kpi_left_out}" if kpi_left_out else "")],
             [f"生成时间：{dt.datetime.now():%Y-%m-%d %H:%M}；制度指纹：{fingerprint}；kaohe 计算，数值不含公式"],
             [close or close_line(None)], *[[n] for n in cover_notes], [None]]
    total = ["合计", None, None, *[float(frame[h].sum().round(2)) for h in money],
             f"{int((frame['社保自理'] == terms.YES).sum())} 人", None]
    data = {h: frame[h].tolist() for h in headers}
    return SheetSpec(SHEET, cols, data=data, total_row=total, header_rows=cover, freeze=f"D{len(cover) + 2}",
                     merge=["A1:F1"], **wide_print(company, f"{month} {SHEET}"))


def corrections_detail_spec(corrections: pd.DataFrame) -> SheetSpec:
    """更正明细: each correction paid with this month (month, employee, item, reason)."""
    from kaohe.workbook.write import frame_spec

    return frame_spec(c.CORRECTION_DETAIL, corrections, total=True, landscape=True)


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


# --- the job: read BOOK (and a KPI workbook), compute or take the closed month, write the file ------

def finance_job(book: Path, month: str, out: str | Path | None = None, kpi_book: Path | None = None,
                password_env: str | None = None, progress=None, skip_unmatched_kpi: bool = False,
                command: str = "finance") -> JobResult:
    """导出财务表: a new values-only workbook 财务汇总_YYYY-MM.xlsx (or …_更正版.xlsx), recorded in BOOK
    (``command`` names the run in 运行记录)."""
    month = month_or_refuse(month)
    book = Path(book)
    say = progress or (lambda msg: None)
    password = password_from_env(password_env) if password_env else None
    rewards, kpi_path = _kpi_rewards(kpi_book, month, say)
    with run_lock(book), items_of_book(book):  # the workbook's money items: its 假别 sheet's deductions too
        say("读取工作簿并计算本月…")
        figures = finance_figures(book, month)
        left_out = unmatched_kpi(rewards or {}, set(figures.monthly["emp"]), skip_unmatched_kpi)
        frame = finance_frame(figures.monthly, rewards, figures.corrections)
        export = _Export(figures, frame, handoff.figures_fp(frame), handoff.payment_send(figures.log, month))
        target = _finance_target(book, out, month, export.version)
        say("写入财务表…")
        check_writable(target)
        backup = backup_existing(target)  # e.g. the finance file of another workbook: its bytes survive
        sheets = _sheets(export, month, book, kpi_path, left_out)
        new_workbook(target, sheets)
        write_properties(target, {handoff.P_MONTH: month, handoff.P_VERSION: export.version, handoff.P_FP: export.fp,
                                  handoff.P_CONTENT: register.content_fp(target),
                                  handoff.P_HEAD: str(len(sheets[0].header_rows or []) + 1),
                                  handoff.P_ROWS: str(len(export.frame)),
                                  handoff.P_TIME: f"{dt.datetime.now():%Y-%m-%d %H:%M:%S}",
                                  handoff.P_BOOK: str(book.resolve())})
        if password:
            encrypt(target, password)
        say("记入财务发送记录…")
        _record_export(book, figures, export, target, month, command)
        summary = _finance_summary(frame, figures, left_out, encrypted=bool(password), version=export.version)
    return JobResult(target, backup, [s.name for s in sheets], len(figures.findings), summary, frame)


@dataclasses.dataclass
class _Export:
    """One export: the figures, the finance rows, their fingerprint, the month's send to finance (if any)."""

    figures: FinanceFigures
    frame: pd.DataFrame
    fp: str
    sent: handoff.Entry | None

    @property
    def version(self) -> str:
        return c.CORRECTED_VERSION if self.sent is not None and self.sent.figures_fp != self.fp else c.PAYMENT_VERSION


def _sheets(export: _Export, month: str, book: Path, kpi_path, left_out: str) -> list[SheetSpec]:
    """财务汇总 (with the 更正版's cover and 更正差额 when it is one), 更正明细 when corrections are paid."""
    figures = export.figures
    notes: list[str] = []
    extra: list[SheetSpec] = []
    if export.sent is not None:
        sent = handoff.sent_figures(figures.raw.get(c.FINANCE_FIGURES_NAME), export.sent)
        notes, diff = corrected.cover_lines(figures.raw, month, bool(figures.state and figures.state.closed),
                                            export.sent, sent, export.frame)
        extra = [corrected.diff_spec(diff)] if len(diff) else []
    title = corrected.TITLE if export.version == c.CORRECTED_VERSION else ""
    sheets = [finance_spec(export.frame, month, book, figures.policy.fingerprint(), kpi_path, close_line(figures.state),
                           company=figures.policy.company_name, kpi_left_out=left_out, title=title, cover_notes=notes)]
    sheets += [corrections_detail_spec(figures.corrections)] if len(figures.corrections) else []
    sheets += extra
    for sheet in sheets:  # 工号 as 员工名册 typed it, as in BOOK: finance's lookups find them too
        typed_ids(sheet, roster_ids(figures.tables))
    return sheets


def _record_export(book: Path, figures: FinanceFigures, export: _Export, target: Path, month: str, command: str
                   ) -> None:
    """财务发送记录 (导出) and the export's figures in 财务发送数据, written into BOOK with a 运行记录 row."""
    new = handoff.entry(month, c.EXPORT_ACTION, export.version, str(target.resolve()), export.fp, export.frame,
                        file_fp=fingerprint_file(target), user=close.computer_user())
    log = figures.raw.get(c.FINANCE_LOG.name)
    specs = [handoff.log_spec(log, new), handoff.store_spec(figures.raw.get(c.FINANCE_FIGURES_NAME), log, new,
                                                            export.frame),
             run_log_spec(book, command, month, figures.fingerprint,
                          f"导出{export.version} {target.name}; 数值指纹{export.fp}")]
    save(book, None, specs)


@dataclasses.dataclass
class FinanceFigures:
    """The month's figures of a finance export: as closed (never recomputed), else as computed now."""

    tables: dict
    state: close.CloseState | None
    monthly: pd.DataFrame
    findings: tuple[Finding, ...]
    policy: Policy
    corrections: pd.DataFrame
    raw: dict
    fingerprint: str

    @property
    def log(self):
        return self.raw.get(c.FINANCE_LOG.name)


FINANCE_RAW = (c.CLOSE_LOG.name, c.FROZEN_MONTHLY_NAME, c.CORRECTIONS.name, c.FINANCE_LOG.name, c.FINANCE_FIGURES_NAME)


def finance_figures(book: Path, month: str) -> FinanceFigures:
    """The figures an export of ``month`` gives now: as closed, else as computed; the 上月更正 to pay with it."""
    data = read_book(book, raw=FINANCE_RAW)
    state = close.close_state(data.raw.get(c.CLOSE_LOG.name), month)
    if state and state.closed:
        monthly, policy = close.closed_figures(data.raw.get(c.FROZEN_MONTHLY_NAME), month), load_policy(data.tables)[0]
        findings: tuple[Finding, ...] = ()
    else:
        result = compute_month(data.tables, month)
        monthly, findings, policy = result.monthly, result.findings, result.policy
    sent = handoff.sent_months(data.raw.get(c.FINANCE_LOG.name))
    paid = corrections.corrections_for(data.raw.get(c.CORRECTIONS.name), month, sent)
    return FinanceFigures(data.tables, state, monthly, findings, policy, paid, data.raw, data.fingerprint)


def _kpi_rewards(kpi_book: Path | None, month: str, say) -> tuple[dict | None, Path | None]:
    """工号 -> KPI 奖惩 of the KPI workbook (None without one), and its path."""
    if not kpi_book:
        return None, None
    say("计算KPI奖惩…")
    _, kpi_result, *_ = compute_kpi(Path(kpi_book), month, may_be_open=True)
    return dict(zip(kpi_result.scores["emp"], kpi_result.scores["reward"])), Path(kpi_book)


def _finance_target(book: Path, out, month: str, version: str = c.PAYMENT_VERSION) -> Path:
    """The finance file: ``out``, or 财务汇总_YYYY-MM.xlsx (…_更正版.xlsx) in the folder ``out`` names (default: BOOK's)."""
    target = Path(out) if out else book.parent
    if target.is_dir() or str(out or "").endswith(("/", "\\")):  # a folder: the file gets its standard name
        suffix = f"_{c.CORRECTED_VERSION}" if version == c.CORRECTED_VERSION else ""
        target = target / f"{SHEET}_{month}{suffix}.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _finance_summary(frame: pd.DataFrame, figures: FinanceFigures, left_out: str, encrypted: bool,
                     version: str = c.PAYMENT_VERSION) -> dict:
    items = in_force()
    deducted = [i.header for i in items if not i.paid]
    return {"employees": len(frame), "deductions": float(frame[deducted].to_numpy().sum()),
            "overtime_pay": float(frame[[i.header for i in items.of_total(PAY)]].to_numpy().sum()),
            "pay_name": pay_name(items), "kpi": float(frame[KPI_COLUMN].sum()),
            "adjustment": float(frame["调整合计"].sum()), "encrypted": encrypted,
            "closed": bool(figures.state and figures.state.closed),
            "corrections": float(frame[c.CORRECTION_COLUMN].sum()), "kpi_left_out": left_out, "version": version}


def unmatched_kpi(rewards: dict, roster: set, skip: bool) -> str:
    """KPI 奖惩 (not 0) of 工号 the attendance roster lacks: refused (exit 2) unless ``skip``; then the text saying
    whose 奖惩 was left out (for the terminal and the finance cover). Never a silent loss; a 奖惩 of 0 loses nothing."""
    missing = sorted(e for e in rewards if e not in roster and round(float(rewards[e] or 0), 2))
    text = "、".join(f"{e}（{rewards[e]:+.2f}元）" for e in missing)
    if missing and not skip:
        raise InputRefused(f"KPI工作簿中的工号不在考勤员工名册中：{text}，其KPI奖惩无法计入财务表；请核对工号，"
                           "或加 --skip-unmatched-kpi 明确不计入",
                           f"KPI ids not in the attendance roster: {', '.join(missing)}; fix them or add --skip-unmatched-kpi")
    return text
