"""Benchmark compute-month against a plain openpyxl load + save of the same workbook (and, with --cells,
the cell functions as Excel recalculates them).

For each size it builds a workbook (a month of 4 punches per workday, ~3 % of punches
missing, plus the sample's leave and overtime) three ways — as the sample writes it (openpyxl),
written by XlsxWriter (shared strings, the way Excel-like writers store text), and "lean": only
员工名册 and 打卡记录, written by XlsxWriter — then measures, for each file, in the same run:

    baseline   openpyxl.load_workbook(book) + wb.save(copy)   (lxml installed, as users have it)
    kaohe      kaohe compute-month book --out result           (a fresh process)

and prints the time of each, kaohe's peak memory (max RSS of its process) and the ratio
kaohe / baseline. Usage: python scripts/bench.py [--sizes 200 2000 10000] [--keep DIR]

``--cells`` measures the cell functions instead, through xlwings' own dispatch (``call_udf``) with
Excel's COM objects faked (tests/fake_excel.py) as the add-in calls it — each argument a value,
the calling cell a Range: 1,000 filled-down ``=LATEFINE(A2)`` cells recalculated (the workbook's
规则 already read) and one ``=LATEFINE(A2:A1001)``. It prints the Python CPU time of each (best of
five) against its budget (100 ms and 20 ms) and the round trips into Excel per cell.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addin"))

from kaohe.jobs.sample import build_sample, write_sample  # noqa: E402

MONTH = "2026-11"
CELL_BUDGET_S, RANGE_BUDGET_S = 0.100, 0.020  # 1,000 filled-down cells; one formula over 1,000 rows


def _child(code: str) -> tuple[float, float]:
    """Run ``code`` in a fresh interpreter; return (seconds, that process's peak RSS in MB)."""
    wrapped = (f"import resource, sys, io, contextlib\nwith contextlib.redirect_stdout(io.StringIO()):\n"
               f"    exec(compile({code!r}, 'bench', 'exec'))\n"
               f"print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", wrapped], check=True, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "addin")})
    seconds = time.perf_counter() - start
    return seconds, int(done.stdout.strip().splitlines()[-1]) / 1024


LEAN_SHEETS = ("员工名册", "打卡记录")  # the lean workbook: a roster and a month of punches, nothing else


def write_xlsxwriter(path: Path, n: int, only: tuple[str, ...] = ()) -> None:
    """The same sample written by XlsxWriter (constant_memory keeps 10,000 employees small); ``only``: these sheets."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "default_date_format": "yyyy-mm-dd hh:mm"})
    for name, rows in build_sample(MONTH, employees=n, seed=n, rich=False).items():
        if only and name not in only:
            continue
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for col, value in enumerate(row):
                if value is not None:
                    ws.write(r, col, value)
    wb.close()


def bench(n: int, folder: Path, writer: str) -> dict:
    book = folder / f"bench_{n}_{writer}.xlsx"
    if not book.exists():
        if writer == "xlsxwriter":
            write_xlsxwriter(book, n)
        elif writer == "lean":
            write_xlsxwriter(book, n, LEAN_SHEETS)
        else:
            write_sample(book, MONTH, employees=n, seed=n, rich=False)
    size = book.stat().st_size / 2**20
    base_s, _ = _child(f"import openpyxl; wb = openpyxl.load_workbook({str(book)!r}); wb.save({str(folder / 'copy.xlsx')!r})")
    out = folder / f"result_{n}_{writer}.xlsx"
    kaohe_s, peak = _child(f"from kaohe.doors.cli import main\n"
                           f"assert main(['compute-month', {str(book)!r}, '--month', {MONTH!r}, '--out', {str(out)!r}, '-q']) == 0")
    return {"employees": n, "writer": writer, "file_mb": size, "openpyxl_s": base_s, "kaohe_s": kaohe_s,
            "ratio": kaohe_s / base_s, "peak_mb": peak}


def cell_bench(rows: int = 1000, repeat: int = 5) -> dict:
    """The cell functions as Excel recalculates them (see the module's doc): CPU seconds and round trips."""
    sys.path.insert(0, str(ROOT / "tests"))
    import fake_excel as fx

    minutes = [float(i % 150) for i in range(rows)]
    with fx.windows_dispatch() as call_udf:
        book = fx.ComBook("https://contoso.sharepoint.com/sites/hr/Shared Documents/考勤.xlsx",
                          {"规则": (("参数", "值"), ("迟到早退罚款", 50.0)), "考勤": ((None,),)})
        sheet = book.Worksheets("考勤")
        callers = [fx.ComRange(sheet, None, row=r) for r in range(2, rows + 2)]

        def filled_down():
            return [call_udf("kaohe.doors.udfs", "LATEFINE", (m, None, None), book, c) for m, c in zip(minutes, callers)]

        def one_range():
            return call_udf("kaohe.doors.udfs", "LATEFINE", (tuple((m,) for m in minutes), None, None), book, callers[0])

        first = time.process_time()
        filled_down()  # reads 规则 once (the first cell), as the first calculation after opening does
        first = time.process_time() - first
        fx.TRIPS.clear()
        results = filled_down()
        trips = len(fx.TRIPS) / rows
        cells_s, range_s = (min(_cpu(run) for _ in range(repeat)) for run in (filled_down, one_range))
    return {"rows": rows, "first_s": first, "cells_s": cells_s, "range_s": range_s, "trips_per_cell": trips,
            "results": results}


def _cpu(run) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def print_cells() -> None:
    r = cell_bench()
    print(f"cell functions, {r['rows']:,} rows (Python CPU time, best of 5):")
    print(f"  filled-down =LATEFINE(A2), recalculated: {r['cells_s'] * 1000:6.1f} ms (budget {CELL_BUDGET_S * 1000:.0f} ms), "
          f"{r['trips_per_cell']:.0f} round trips into Excel a cell; first calculation {r['first_s'] * 1000:.1f} ms")
    print(f"  one =LATEFINE(A2:A{r['rows'] + 1}):           {r['range_s'] * 1000:6.1f} ms (budget {RANGE_BUDGET_S * 1000:.0f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cells", action="store_true", help="measure the cell functions only")
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    ap.add_argument("--writers", nargs="+", default=["sample", "xlsxwriter", "lean"], choices=["sample", "xlsxwriter", "lean"])
    ap.add_argument("--keep", type=Path, help="keep the generated workbooks in this folder")
    args = ap.parse_args()
    if args.cells:
        print_cells()
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kaohe-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'employees':>9} {'written by':>10} {'file MB':>8} {'openpyxl s':>11} {'kaohe s':>8} {'ratio':>6} {'peak MB':>8}")
    for n in args.sizes:
        for writer in args.writers:
            r = bench(n, folder, writer)
            print(f"{r['employees']:>9} {r['writer']:>10} {r['file_mb']:>8.1f} {r['openpyxl_s']:>11.2f} "
                  f"{r['kaohe_s']:>8.2f} {r['ratio']:>6.3f} {r['peak_mb']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
