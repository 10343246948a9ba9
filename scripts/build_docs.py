"""Generate docs/规则说明.md and docs/工作簿约定.md from the policy and the workbook contract.

    python scripts/build_docs.py [--check]

``--check`` (run by the tests) generates them afresh and fails if a committed file differs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addin"))
sys.path.insert(0, str(ROOT / "scripts"))

from build_templates import check  # noqa: E402
from kaohe.jobs.reference import write_docs  # noqa: E402

DOCS = ROOT / "docs"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare the committed documents with a fresh generation")
    if not ap.parse_args().check:
        for path in write_docs(DOCS):
            print(path)
        return 0
    return check(write_docs, DOCS, "docs")


if __name__ == "__main__":
    sys.exit(main())
