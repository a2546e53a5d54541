"""`python -m report [--source FILE] [--out FILE] [--language de|en]`: build the KPI report."""
from __future__ import annotations

import argparse
from pathlib import Path

from report.build import build_report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m report", description=__doc__)
    parser.add_argument("--source", type=Path, help="DuckDB file to read (default: the serving copy)")
    parser.add_argument("--out", type=Path, help="HTML file to write (default: <reports_dir>/kpi_report.html)")
    parser.add_argument("--language", choices=["de", "en"], help="default: CRM_REPORT_LANGUAGE or de")
    args = parser.parse_args(argv)
    path = build_report(source=args.source, out=args.out, language=args.language)
    print(f"KPI report written to {path}")


if __name__ == "__main__":
    main()
