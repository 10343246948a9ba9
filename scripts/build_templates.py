"""Build templates/考勤模板.xlsx, KPI模板.xlsx and 考核模板.xlsx from the contract and the policy.

    python scripts/build_templates.py [--out templates] [--check]

The templates are committed; ``--check`` (run by the tests) builds them afresh into a
temporary folder and fails if any committed file differs. TEMPLATE_YEAR is the year whose
official holiday notice pre-fills 节假日; raise it when the next notice is published.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addin"))

from kaohe.jobs.templates import TEMPLATES, write_template  # noqa: E402

TEMPLATE_YEAR = 2026


def build(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_template(kind, folder / name, year=TEMPLATE_YEAR, force=True) for kind, name in TEMPLATES.items()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "templates")
    ap.add_argument("--check", action="store_true", help="compare the committed templates with a fresh build")
    args = ap.parse_args()
    if not args.check:
        for path in build(args.out):
            print(path)
        return 0
    return check(build, args.out, "templates")


def check(build, committed: Path, what: str) -> int:
    """Build afresh into a temporary folder; 1 if a file of ``committed`` is missing or differs."""
    with tempfile.TemporaryDirectory() as tmp:
        stale = [p.name for p in build(Path(tmp)) if not (committed / p.name).exists()
                 or (committed / p.name).read_bytes() != p.read_bytes()]
    if stale:
        print(f"out of date (run scripts/build_{what}.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    print(f"{what} are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
