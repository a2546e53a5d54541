"""Command line: `python -m ingestion.generate --out DIR [--seed 42] [--size default] ...`."""
from __future__ import annotations

import argparse
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

from .run import DEFAULT_END, DEFAULT_START, simulate
from .scenario_plan import MANIFEST_SUFFIX
from .scenarios import CATALOGUE
from .sizes import SIZES
from .vendor_files import write_vendor_samples


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is no month; write it as YYYY-MM, e.g. 2025-11") from None


def _scenarios_help() -> str:
    lines = [textwrap.fill(f"{s.id}: {s.mechanism}", 100, initial_indent="  ", subsequent_indent="      ")
             for s in CATALOGUE.values()]
    return ("planted scenarios (--scenario, repeatable, or --scenario all); each writes its cause into "
            f"<out>{MANIFEST_SUFFIX} beside the landing zone:\n" + "\n".join(lines))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ingestion.generate", description=__doc__, epilog=_scenarios_help(),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path, help="landing zone to write <source>/<entity>/ files into")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--customers", type=int, default=None, help="overrides the size preset")
    parser.add_argument("--start", type=date.fromisoformat, default=DEFAULT_START)
    parser.add_argument("--end", type=date.fromisoformat, default=DEFAULT_END)
    parser.add_argument("--size", choices=list(SIZES), default="default")
    parser.add_argument("--vendor-layouts", action="store_true",
                        help="also write one small export per vendor layout (HubSpot, Salesforce, DATEV, Sparkasse, Meta, LinkedIn)")
    parser.add_argument("--scenario", action="append", default=[], choices=[*CATALOGUE, "all"], metavar="SCENARIO",
                        help="plant a known cause (repeatable; 'all' for every one; see below)")
    parser.add_argument("--scenario-month", type=_month, default=None, metavar="YYYY-MM",
                        help="month of every plant (default: per scenario, the latest month whose KPI is final at "
                             "the export end); immature_last_month then cuts the export a few days into the month "
                             "after it")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the generator and print one line per entity (files, rows) and a total."""
    args = parse_args(argv)
    began = time.perf_counter()
    try:
        summary = simulate(args.out, args.seed, args.customers, args.start, args.end, args.size, args.scenario,
                           args.scenario_month)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for entity in sorted(summary.rows):
        print(f"{entity:<26} files {summary.files[entity]:>4}  rows {summary.rows[entity]:>11,}")
    if args.vendor_layouts:
        for mapping, paths in sorted(write_vendor_samples(args.out, args.seed).items()):
            print(f"{mapping:<26} files {len(paths):>4}  (vendor layout)")
    if summary.manifest:
        print(f"{'scenarios':<26} {', '.join(args.scenario)} -> {summary.manifest}")
    total = sum(summary.rows.values())
    print(f"{'total':<26} files {sum(summary.files.values()):>4}  rows {total:>11,}  "
          f"({time.perf_counter() - began:.1f} s) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
