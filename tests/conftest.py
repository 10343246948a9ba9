"""What every test shares: the run's settings and the month run on rows.

- Markers: ``libreoffice`` and ``slow`` are set at collection from what each test calls (tests/marking.py);
  a test that starts LibreOffice without the ``libreoffice`` marker fails. `pytest -m "not slow"` is the
  quick loop.
- Hypothesis is derandomised: the same examples on every run and every machine, no example database.
- ``month`` / ``month_file``: a month computed from sheets given as rows, read back by contract header.
"""
import datetime as dt

import marking
import pytest
from builders import ROSTER_HEADER, person, write_book
from hypothesis import settings

from kaohe.engine.month import compute_month
from kaohe.jobs.money import monthly_sheet
from kaohe.workbook import contract as c
from kaohe.workbook.read import read_book, tables_from_rows


settings.register_profile("kaohe", derandomize=True, database=None)
settings.load_profile("kaohe")
marking.record_soffice_starts()


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items):
    marking.mark(items)
    stale = marking.stale_entries(items)
    if stale:
        raise pytest.UsageError(f"tests/marking.py SLOW_TESTS names tests that do not exist: {stale}")


@pytest.fixture(autouse=True)
def _libreoffice_marker_is_true(request):
    """A test that starts soffice must carry the libreoffice marker (so that -m "not libreoffice" leaves it out)."""
    marking.started_soffice.clear()
    yield
    if marking.started_soffice and request.node.get_closest_marker("libreoffice") is None:
        pytest.fail(f"{request.node.nodeid} starts LibreOffice ({marking.started_soffice[0]}) without the libreoffice "
                    "marker: call it through tests/lo.py or mark the test @pytest.mark.libreoffice", pytrace=False)


def month_from_rows(sheets: dict, month_: str = "2026-11") -> "MonthView":
    """Run a month in memory on ``{sheet: [header, *rows]}`` (the reader's typing, no .xlsx file):
    for tests where the rule, not the file, is under test."""
    sheets = dict(sheets)
    sheets.setdefault(c.ROSTER.name, [ROSTER_HEADER, person()])
    sheets.setdefault(c.PUNCHES.name, [["工号", "打卡时间"]])
    tables, findings = tables_from_rows(sheets.get, c.ATTENDANCE_INPUTS)
    # Rule tests often have no punch at all; the refusal of such a month is tested in test_unusable_values.
    return MonthView(compute_month(tables, month_, require_punches=False).with_findings(findings))


@pytest.fixture(autouse=True)
def workbooks_just_opened():
    """What the cell functions read of a workbook is kept per FullName for the life of Excel's UDF server;
    each test starts as if Excel had just started (the tests reuse names such as C:/hr/考勤.xlsx)."""
    from kaohe.doors import cells

    cells.forget()


@pytest.fixture
def month():
    """Run a month on sheets given as rows; rows come back keyed by contract header."""
    return month_from_rows


@pytest.fixture
def month_file(tmp_path):
    """The same through a real workbook file (where reading the file is part of what is tested)."""

    def run(sheets: dict, month_: str = "2026-11"):
        sheets = dict(sheets)
        sheets.setdefault(c.ROSTER.name, [ROSTER_HEADER, person()])
        sheets.setdefault(c.PUNCHES.name, [["工号", "打卡时间"]])
        book = write_book(tmp_path / f"book{len(list(tmp_path.iterdir()))}.xlsx", sheets)
        data = read_book(book)
        return MonthView(compute_month(data.tables, month_, require_punches=False).with_findings(data.findings))

    return run


class MonthView:
    """A computed month, read by the contract's headers."""

    def __init__(self, result):
        self.result = result
        self.findings = result.findings

    @staticmethod
    def _rows(frame, sheet):
        return [{h: r.get(f) for h, f in sheet.columns} for r in frame.to_dict("records")]

    def summary(self, emp="001") -> dict:
        sheet = monthly_sheet(self.result.items, self.result.leave_types)
        return next(r for r in self._rows(self.result.monthly, sheet) if r["工号"] == emp)

    def day(self, date: dt.date, emp="001") -> dict:
        return next(r for r in self._rows(self.result.daily, c.DAILY)
                    if r["工号"] == emp and r["日期"].date() == date)

    def leave(self) -> list[dict]:
        return self._rows(self.result.leave_check, c.LEAVE_CHECK)

    def problems(self, text: str = "") -> list:
        return [f for f in self.findings if text in f.problem or text in f.action]

