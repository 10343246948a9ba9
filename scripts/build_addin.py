"""Build addin/kaohe/kaohe.xlam from macros/ and kaohe.doors.udfs (``--check``: fail if the shipped one is stale).

    python scripts/build_addin.py [--out PATH] [--check]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addin"))

from kaohe.doors.addin import SHIPPED, build


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=SHIPPED)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    if not args.check:
        print(build(args.out))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp) / "kaohe.xlam")
        if not SHIPPED.exists() or SHIPPED.read_bytes() != fresh.read_bytes():
            print(f"{SHIPPED} is out of date: run scripts/build_addin.py", file=sys.stderr)
            return 1
    print("kaohe.xlam is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
