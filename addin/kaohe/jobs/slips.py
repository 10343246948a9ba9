"""打印确认单: 个人考勤确认单, one A4 page per employee to sign.

Each page: the header (company, month, 工号, 姓名, 部门), every day of the month with an event
(late, early, missing punch, absence, leave, overtime — date, punches, what happened and its
rule), the money lines with their rule IDs, totals equal to 月度汇总 (the frozen figures of a
closed month), “本人确认以上考勤记录无误”, a signature and date line and a line for an objection.

Layout decision: the slips are a new workbook (nothing of HR's), written with openpyxl, which
sets what a printed form needs — row heights, manual page breaks, borders. Every text is printed
whole: a day's events stand one per line in 事项 and wrap inside the column, as do 打卡 and the
money lines' 依据; a line across the page longer than the page is continued on the next row. Row
heights come from the text (:func:`wrap` estimates the lines a column of that width prints, never
fewer than LibreOffice or Excel print), so nothing is cut. Pages are made here, not by the
spreadsheet: rows fill at most ``PAGE_HEIGHT`` points a page, so a long month continues on a page
of its own with the header repeated (续页), and the PDF LibreOffice prints has one page per employee
plus those continuation pages.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kaohe.engine import notes
from kaohe.findings import InputRefused
from kaohe.policy.catalog import cite
from kaohe.policy.items import Registry, pay_name
from kaohe.workbook import contract as c

PAGE_ROWS = 42  # single-line rows per printed page (fits A4 portrait with the margins below)
ROW_HEIGHT = 18  # points: a row of one line
PAGE_HEIGHT = PAGE_ROWS * ROW_HEIGHT  # points of rows per page
LINE_HEIGHT, LINE_PAD = 17, 3  # points per printed line of a wrapped cell (CJK and Latin mixed, 11 pt), and padding
WIDTHS = {"A": 11, "B": 6, "C": 24, "D": 64, "E": 11}
# Column width units (the default font's digit) a character takes when printed, rounded up: CJK about 1.6,
# Latin letters and digits about 1; wrapping leaves 1.5 units of the cell's padding free.
WIDE_UNITS, NARROW_UNITS, CELL_PADDING = 1.7, 1.05, 1.5
PAGE_WIDTH = sum(WIDTHS.values()) - 4  # a line across the page (in A, overflowing to E)
LAST = "E"
CONFIRM = "本人确认以上考勤记录无误。"
SIGN = "员工签名：____________________　　　　日期：________年____月____日"
OBJECTION = "异议（如有，请写明日期和事项）：________________________________________________"
BLANK_LINE = "________________________________________________________________________________"
STALE = "注意：本月月结后输入有改动，以下每日明细按当前输入，金额为月结时冻结的数字"
NO_EVENTS = "本月没有迟到、早退、缺卡、旷工、请假或加班记录"


def company_name(book: Path) -> str:
    """The company Excel records in the workbook's properties (docProps/app.xml), if any: the slips' title
    when 规则 names no 公司名称 (the parameter the printed pages use)."""
    try:
        with zipfile.ZipFile(book) as z:
            xml = z.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return ""
    m = re.search(r"<(?:\w+:)?Company>([^<]*)</(?:\w+:)?Company>", xml)
    return m.group(1).strip() if m else ""


def _punches(r) -> str:
    return " ".join("--:--" if pd.isna(v) or v is None else f"{v:%H:%M}" for v in (r.am_in, r.am_out, r.pm_in, r.pm_out))


def events(result) -> dict[str, list[tuple]]:
    """Each employee's days with an event: (日期, 星期, 打卡, 事项, 罚款), by 工号; 事项 says each event on a line of
    its own, as the ledger's renderer says it (kaohe.engine.notes), with its rule."""
    daily = result.daily
    lines = notes.day_lines(daily, result.ledger, result.policy)
    out: dict[str, list[tuple]] = {}
    for said, r in zip(lines, daily.itertuples(index=False)):
        if said:
            out.setdefault(r.emp, []).append((f"{pd.Timestamp(r.date):%m-%d}", r.weekday, _punches(r), "\n".join(said),
                                              float(r.fine or 0)))
    return out


def money_lines(row, items: Registry, basis: dict[tuple[str, str], str]) -> list[tuple]:
    """(项目, 金额, 依据) for each money item in force (kaohe.policy.items) and 调整合计; ``basis`` is each item's 依据 by
    (工号, item), from the ledger (kaohe.engine.notes.item_texts); an item without one cites its rule."""
    lines = []
    for item in items:
        amount = float(row[item.field] or 0) if item.field in row else 0.0
        said = basis.get((row["emp"], item.field)) or cite(item.rule) if amount else ""
        lines.append((item.header, amount, said))
    lines.append((f"{c.ADJUSTMENT_COLUMN}（负数为扣款）", float(row["adjustment"] or 0),
                  f"{cite('PAY-04')}: {pay_name(items, ' + ')} − 罚款 − 扣款"))
    return lines


def summary_line(row) -> str:
    kinds = [str(k)[len("days_"):] for k in row.index if str(k).startswith("days_")]  # the 假别 table's types (a Series)
    leave = "、".join(f"{k}{float(row[f'days_{k}']):g}天" for k in kinds if float(row[f"days_{k}"] or 0))
    return (f"应出勤 {float(row['due_days']):g} 天，实出勤 {float(row['present_days']):g} 天；迟到 {int(row['late_count'])} 次，"
            f"早退 {int(row['early_count'])} 次，缺卡 {int(row['missing_count'])} 次；旷工 {float(row['absent_days']):g} 天；"
            f"请假 {leave or '无'}；加班 {float(row['ot_hours']):g} 小时")


def text_width(text: str) -> float:
    """Width units ``text`` takes when printed (see WIDE_UNITS)."""
    return sum(WIDE_UNITS if unicodedata.east_asian_width(ch) in "WF" else NARROW_UNITS for ch in text)


def wrap(text: str, width: float) -> list[str]:
    """The lines ``text`` prints as in a column ``width`` units wide: a line break starts a line, Latin words
    move whole to the next line, CJK characters break anywhere (an estimate that never gives fewer lines)."""
    out = []
    for para in str(text).split("\n"):
        line, used = "", 0.0
        for token in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", para):
            w = text_width(token)
            if line and used + text_width(token.rstrip()) > width - CELL_PADDING:
                out.append(line.rstrip())
                line, used = "", 0.0
            line, used = line + token, used + w
        out.append(line.rstrip())
    return out


def row_height(lines: int) -> float:
    return ROW_HEIGHT if lines <= 1 else lines * LINE_HEIGHT + LINE_PAD


def pages(heights: list[float], header: float, footer: float) -> list[int]:
    """How many events (of these row heights) go on each page of one employee: as many as fit below the header,
    the last page's with the footer below them."""
    out, i = [], 0
    while sum(heights[i:]) > PAGE_HEIGHT - header - footer:
        start, used = i, 0.0
        while i < len(heights) and used + heights[i] <= PAGE_HEIGHT - header:
            used += heights[i]
            i += 1
        i = max(i, start + 1)  # an event taller than a page still gets a page
        out.append(i - start)
    return out + [len(heights) - i]


class _Sheet:
    """Row-by-row writer of the slips sheet (openpyxl), with the styles of the form.

    No merged cells (openpyxl checks each new merge against all earlier ones: quadratic for a
    thousand slips): a line of text overflows into the empty cells to its right, and a boxed
    group of columns (项目 over A:B) gets one box drawn around the group.
    """

    def __init__(self, ws):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws, self.r = ws, 0
        thin, none = Side(style="thin"), Side()
        self.borders = {(first, last): Border(left=thin if first else none, right=thin if last else none, top=thin,
                                              bottom=thin) for first in (True, False) for last in (True, False)}
        self.bold, self.title = Font(name="等线", bold=True, size=11), Font(name="等线", bold=True, size=15)
        self.plain = Font(name="等线", size=11)
        self.fill = PatternFill("solid", fgColor="DDEBF7")
        self.left = Alignment(vertical="center")
        self.wrapped = Alignment(vertical="center", wrap_text=True)

    def row(self, values=(), *, font=None, boxes: str | None = None, fill=False, money_col=None):
        """One row; ``boxes`` like "A:B,C:C,D:E" draws a box around each group of columns. A text inside a box
        wraps in its column, and the row is as tall as the longest (:func:`cell_lines`)."""
        self.r += 1
        r = self.r
        self.ws.row_dimensions[r].height = row_height(cell_lines(values, boxes))
        for i, v in enumerate(values):
            if v is None:
                continue
            cell = self.ws.cell(row=r, column=i + 1, value=v)
            cell.font = font or self.plain
            cell.alignment = self.wrapped if boxes and i in WRAPPED else self.left
            if money_col is not None and i == money_col:
                cell.number_format = '"¥"#,##0.00'
        for group in (boxes.split(",") if boxes else ()):
            a, b = (ord(x) - 64 for x in group.split(":"))
            for col in range(a, b + 1):
                cell = self.ws.cell(row=r, column=col)
                cell.border = self.borders[(col == a, col == b)]
                if fill:
                    cell.fill = self.fill

    def page_break(self):
        from openpyxl.worksheet.pagebreak import Break

        self.ws.row_breaks.append(Break(id=self.r))


EVENT_BOXES, MONEY_BOXES = "A:A,B:B,C:C,D:D,E:E", "A:B,C:C,D:E"


WRAPPED = {2: WIDTHS["C"], 3: WIDTHS["D"]}  # columns whose texts wrap in a boxed row: 打卡 and 事项 / 依据


def cell_lines(values, boxes: str | None) -> int:
    """The printed lines of a row: in a boxed row the texts of C and D wrap inside their column."""
    if not boxes:
        return 1
    return max([len(wrap(v, WRAPPED[i])) for i, v in enumerate(values) if i in WRAPPED and isinstance(v, str)] or [1])


def _across(text: str) -> list[list]:
    """A line across the page as rows: continued on the next row where it is longer than the page is wide."""
    return [[part] for part in wrap(text, PAGE_WIDTH)] if text else [[]]


def _employee_rows(sheet: _Sheet, title: str, month: str, row, evs: list[tuple], warning: str, money: list[tuple]):
    """(header rows for a page of k pages, event rows, footer rows): each a list of (values, options)."""
    def header(cont: str) -> list:
        who = f"月份：{month}　　工号：{row['emp']}　　姓名：{row['name']}　　部门：{row['dept']}{cont}"
        return ([(v, {"font": sheet.title}) for v in _across(title)] + [(v, {"font": sheet.bold}) for v in _across(who)]
                + [(v, {"font": sheet.bold}) for v in _across(warning)]
                + [(c.SLIP_EVENT_HEADERS, {"font": sheet.bold, "boxes": EVENT_BOXES, "fill": True})])
    events_ = [(ev, {"boxes": EVENT_BOXES, "money_col": 4}) for ev in evs]
    footer: list[tuple[Sequence, dict]] = [(v, {}) for v in _across(summary_line(row))]
    footer += [(c.SLIP_MONEY_HEADERS, {"font": sheet.bold, "boxes": MONEY_BOXES, "fill": True})]
    footer += [((item, None, amount, basis, None), {"boxes": MONEY_BOXES, "money_col": 2})
               for item, amount, basis in money]
    footer += [((), {}), ([CONFIRM], {"font": sheet.bold})] + [(v, {}) for t in (SIGN, OBJECTION, BLANK_LINE)
                                                               for v in _across(t)]
    return header, events_, footer


def _height(rows) -> float:
    return sum(row_height(cell_lines(values, opts.get("boxes"))) for values, opts in rows)


def _write_employee(sheet: _Sheet, title: str, month: str, row, evs: list[tuple], warning: str, money: list[tuple]) -> int:
    """One employee's page(s); returns the number of pages."""
    header, events_, footer = _employee_rows(sheet, title, month, row, evs, warning, money)
    head = _height(header("　（续页 1/2）"))
    chunks = pages([_height([e]) for e in events_], head, _height(footer) + (0 if evs else ROW_HEIGHT))
    start = 0
    for k, count in enumerate(chunks):
        for values, opts in header(f"　（续页 {k + 1}/{len(chunks)}）" if len(chunks) > 1 else ""):
            sheet.row(values, **opts)
        for values, opts in events_[start:start + count]:
            sheet.row(values, **opts)
        if not evs:
            sheet.row([NO_EVENTS])
        start += count
        if k < len(chunks) - 1:
            sheet.page_break()
    for values, opts in footer:
        sheet.row(values, **opts)
    return len(chunks)


def write_slips(path: Path, monthly: pd.DataFrame, result, company: str, warning: str = "", basis: bool = True) -> int:
    """The slips workbook at ``path`` (atomically) of ``monthly``'s people, their days from ``result`` (the
    computed month); returns the number of pages. ``basis``: the money lines' 依据 from the month's ledger (the
    figures are the ledger's: computed now, or closed from the same inputs), else each item's rule."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = c.SLIPS.name
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet = _Sheet(ws)
    title = f"{company} 个人考勤确认单".strip()
    total, by_emp = 0, events(result)
    said = notes.item_texts(result.ledger, result.items) if basis else {}
    for i, (_, row) in enumerate(monthly.iterrows()):
        if i:
            sheet.page_break()
        total += _write_employee(sheet, title, result.month, row, by_emp.get(row["emp"], []), warning,
                                 money_lines(row, result.items, said))
    ws.print_area = f"A1:{LAST}{max(sheet.r, 1)}"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".~kaohe-slips-", suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return total


def soffice() -> str | None:
    """LibreOffice's command, if it is installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found or sys.platform != "win32":
        return found
    default = Path(os.environ.get("ProgramFiles", r"C:\Program Files")) / "LibreOffice" / "program" / "soffice.exe"
    return str(default) if default.exists() else None


def to_pdf(xlsx: Path) -> Path | None:
    """Print ``xlsx`` to a PDF beside it through LibreOffice (None when LibreOffice is not installed)."""
    command = soffice()
    if not command:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"  # a private profile: works while the user's LibreOffice is open
        out = Path(tmp) / "out"
        try:
            subprocess.run([command, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                            "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                           check=True, capture_output=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            raise InputRefused(f"LibreOffice 无法生成 PDF：{exc}", f"LibreOffice could not print the PDF: {exc}") from None
        made = out / (xlsx.stem + ".pdf")
        if not made.exists():
            raise InputRefused("LibreOffice 没有生成 PDF", "LibreOffice wrote no PDF")
        target = xlsx.with_suffix(".pdf")
        shutil.move(str(made), target)
    return target


def slips_job(book: Path, month: str, out: Path | None = None, dept: str | None = None, pdf: bool = True,
              progress=None):
    """个人考勤确认单 of ``month`` (one department with ``dept``): a workbook and, with LibreOffice, a PDF."""
    from kaohe.jobs import close
    from kaohe.jobs.money import items_of_book
    from kaohe.engine.month import compute_month
    from kaohe.jobs.outcome import JobResult
    from kaohe.periods import month_or_refuse
    from kaohe.workbook.lock import run_lock
    from kaohe.workbook.read import read_book

    month = month_or_refuse(month)
    book = Path(book)
    say = progress or (lambda msg: None)
    with run_lock(book), items_of_book(book):
        say("读取工作簿并计算本月…")
        data = read_book(book, raw=(c.CLOSE_LOG.name, c.FROZEN_MONTHLY_NAME), may_be_open=True)  # only reads BOOK
        result = compute_month(data.tables, month)
        state = close.close_state(data.raw.get(c.CLOSE_LOG.name), month)
    closed = bool(state and state.closed)
    monthly = close.closed_figures(data.raw.get(c.FROZEN_MONTHLY_NAME), month) if closed else result.monthly
    stale = state is not None and state.closed and close.input_fingerprint(data.tables, month) != state.input_fp
    if dept:
        monthly = monthly[monthly["dept"] == dept.strip()]
        if monthly.empty:
            raise InputRefused(f"部门“{dept}”在 {month} 没有员工", f"no employee of department '{dept}' in {month}")
    target = Path(out) if out else book.parent / f"{c.SLIPS.name}_{month}{'_' + dept.strip() if dept else ''}.xlsx"
    if target.is_dir():
        target = target / f"{c.SLIPS.name}_{month}.xlsx"
    target = target.with_suffix(".xlsx")
    target.parent.mkdir(parents=True, exist_ok=True)
    say("写入确认单…")
    n_pages = write_slips(target, monthly.reset_index(drop=True), result, result.policy.company_name or company_name(book),
                          STALE if stale else "", basis=not stale)
    pdf_path = None
    if pdf:
        say("用 LibreOffice 生成 PDF…")
        pdf_path = to_pdf(target)
    summary = {"employees": len(monthly), "pages": n_pages, "pdf": pdf_path, "closed": closed, "stale": stale}
    return JobResult(target, None, [c.SLIPS.name], len(result.findings), summary, monthly)
