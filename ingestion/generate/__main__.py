"""Command line: `python -m ingestion.generate --out DIR [--seed 42] [--size default] ...`."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from .run import DEFAULT_END, DEFAULT_START, simulate
from .sizes import SIZES
from .vendor_files import write_vendor_samples


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ingestion.generate", description=__doc__)
    parser.add_argument("--out", required=True, type=Path, help="landing zone to write <source>/<entity>/ files into")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--customers", type=int, default=None, help="overrides the size preset")
    parser.add_argument("--start", type=date.fromisoformat, default=DEFAULT_START)
    parser.add_argument("--end", type=date.fromisoformat, default=DEFAULT_END)
    parser.add_argument("--size", choices=list(SIZES), default="default")
    parser.add_argument("--vendor-layouts", action="store_true",
                        help="also write one small export per vendor layout (HubSpot, Salesforce, DATEV, Sparkasse, Meta, LinkedIn)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the generator and print one line per entity (files, rows) and a total."""
    args = parse_args(argv)
    began = time.perf_counter()
    try:
        summary = simulate(args.out, args.seed, args.customers, args.start, args.end, args.size)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for entity in sorted(summary.rows):
        print(f"{entity:<26} files {summary.files[entity]:>4}  rows {summary.rows[entity]:>11,}")
    if args.vendor_layouts:
        for mapping, paths in sorted(write_vendor_samples(args.out, args.seed).items()):
            print(f"{mapping:<26} files {len(paths):>4}  (vendor layout)")
    total = sum(summary.rows.values())
    print(f"{'total':<26} files {sum(summary.files.values()):>4}  rows {total:>11,}  "
          f"({time.perf_counter() - began:.1f} s) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
