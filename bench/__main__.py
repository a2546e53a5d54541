"""`python -m bench ingestion [--rows N]`: print a table and write JSON under data/bench/."""
from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from bench import ingestion
from ingestion.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingestion", help="loader throughput vs DuckDB's read_csv")
    ingest.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    timings = ingestion.run(args.rows)
    print(f"{'variant':<26} {'rows':>10} {'loader s':>9} {'duckdb s':>9} {'rows/s':>11} {'ratio':>6}")
    for t in timings:
        print(f"{t.variant:<26} {t.rows:>10,} {t.loader_seconds:>9.2f} {t.duckdb_seconds:>9.2f} {t.rows_per_second:>11,.0f} {t.ratio:>6.2f}")
    out = load_settings().data_dir / "bench" / "ingestion.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps([asdict(t) | {"ratio": t.ratio} for t in timings], indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
