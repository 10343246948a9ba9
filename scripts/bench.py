"""Benchmark compute-month against a plain openpyxl load + save of the same workbook.

For each size it builds a workbook (a month of 4 punches per workday, ~3 % of punches
missing, plus the sample's leave and overtime) three ways — as the sample writes it (openpyxl),
written by XlsxWriter (shared strings, the way Excel-like writers store text), and "lean": only
员工名册 and 打卡记录, written by XlsxWriter — then measures, for each file, in the same run:

    baseline   openpyxl.load_workbook(book) + wb.save(copy)   (lxml installed, as users have it)
    kaohe      kaohe compute-month book --out result           (a fresh process)

and prints the time of each, kaohe's peak memory (max RSS of its process) and the ratio
kaohe / baseline. Usage: python scripts/bench.py [--sizes 200 2000 10000] [--keep DIR]
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    ap.add_argument("--writers", nargs="+", default=["sample", "xlsxwriter", "lean"], choices=["sample", "xlsxwriter", "lean"])
    ap.add_argument("--keep", type=Path, help="keep the generated workbooks in this folder")
    args = ap.parse_args()
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
