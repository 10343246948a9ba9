"""LibreOffice headless as a real spreadsheet engine: recalculate a workbook and read the values back."""
from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def convert(path: Path, fmt: str, outdir: Path, profile: Path) -> Path:
    """Open ``path`` in LibreOffice (recalculating every formula on load) and save it as ``fmt``."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", fmt, "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=240)
    out = outdir / (path.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice did not write {out}"
    return out


def recalculated(path: Path, tmp: Path) -> openpyxl.Workbook:
    """The workbook's values as LibreOffice computes them."""
    out = convert(path, "xlsx", tmp / "lo-out", tmp / "lo-profile")
    return openpyxl.load_workbook(out, data_only=True)


def sheet_pdf(book: Path, sheet: str, tmp: Path) -> Path:
    """One sheet of ``book`` printed to PDF by LibreOffice (the other sheets hidden, so not printed)."""
    wb = openpyxl.load_workbook(book)
    for name in wb.sheetnames:
        wb[name].sheet_state = "visible" if name == sheet else "hidden"
    wb.active = wb.sheetnames.index(sheet)
    only = tmp / f"{sheet}.xlsx"
    wb.save(only)
    return convert(only, "pdf", tmp / "pdf", tmp / "profile")


def lines_at(page, orientation: str) -> list[float]:
    """The positions of a PDF page's ruling lines (cell borders): tops of horizontal ones ("h") or
    left ends of vertical ones ("v"), sorted, one per line (the halves of a border drawn twice merged)."""
    key = "top" if orientation == "h" else "x0"
    out: list[float] = []
    for value in sorted(e[key] for e in page.edges if e["orientation"] == orientation):
        if not out or value - out[-1] > 0.5:
            out.append(value)
    return out


def middle(ch) -> float:
    """A character's vertical centre: which row it is in does not depend on the font's ascent and descent."""
    return (ch["top"] + ch["bottom"]) / 2
