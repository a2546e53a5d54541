"""`python -m bench refresh|ingestion|peers|all [options]`: print tables and write JSON under data/bench/."""
from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench import ingestion, peers, scenario
from ingestion.generate import SIZES
from ingestion.settings import load_settings

BENCH_DIR = load_settings().data_dir / "bench"
PHASES = ("startup", "setup", "run", "wrap-up")
STAGES = ("ingestion", "dbt build", "validation", "publishing", "report")


def _write(name: str, payload) -> Path:
    out = BENCH_DIR / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, default=str))
    return out


def bench_refresh(sizes: list[str]) -> None:
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"crm-bench-{size}-") as tmp:
            results.append(scenario.run(size, Path(tmp)))
    print(f"{'size':<5} {'rows':>11} {'cold s':>7} {'limit s':>8} {'tax':>5} {'nightly s':>9} {'limit s':>8} {'tax':>5} "
          f"{'warm s':>7} {'valid. %':>8} {'peak MB':>8} {'limit MB':>8} {'limit fails':>11}")
    for r in results:
        runs = (r.cold, r.warm, r.nightly)
        print(f"{r.size:<5} {r.rows:>11,} {r.cold.seconds:>7.1f} {r.limit_full.seconds:>8.1f} {r.full_tax:>5.1f} "
              f"{r.nightly.seconds:>9.1f} {r.limit_nightly.seconds:>8.1f} {r.nightly_tax:>5.1f} {r.warm.seconds:>7.1f} "
              f"{r.cold.validation_share:>8.1%} {max(x.peak_mb for x in runs):>8.0f} "
              f"{max(r.limit_full.peak_mb, r.limit_nightly.peak_mb):>8.0f} "
              f"{len(r.limit_full.failed_tests) + len(r.limit_nightly.failed_tests):>11}")
    print(f"\n{'size':<5} {'run':<8} " + " ".join(f"{p:>8}" for p in PHASES) + " " + " ".join(f"{s:>10}" for s in STAGES))
    for r in results:
        for run in (r.cold, r.warm, r.nightly):
            print(f"{r.size:<5} {run.label:<8} " + " ".join(f"{run.phases[p]:>8.1f}" for p in PHASES) + " "
                  + " ".join(f"{run.stages.get(s, 0.0):>10.1f}" for s in STAGES))
    payload = [asdict(r) | {"full_tax": r.full_tax, "nightly_tax": r.nightly_tax} for r in results]
    print(f"written to {_write('refresh', payload)}")


def bench_ingestion(rows: int, repeats: int) -> None:
    timings = ingestion.run(rows, repeats)
    print(f"median of {repeats} alternating runs each")
    print(f"{'variant':<26} {'rows':>10} {'loader s':>9} {'duckdb s':>9} {'rows/s':>11} {'ratio':>6}")
    for t in timings:
        print(f"{t.variant:<26} {t.rows:>10,} {t.loader_seconds:>9.2f} {t.duckdb_seconds:>9.2f} {t.rows_per_second:>11,.0f} {t.ratio:>6.2f}")
    print(f"written to {_write('ingestion', [asdict(t) | {'ratio': t.ratio} for t in timings])}")


def bench_peers(rows: int, repeats: int) -> None:
    timings = peers.run(rows, repeats)
    ours = timings[0]
    print(f"clean UTF-8 CSV, median of {repeats} alternating runs each")
    print(f"{'tool':<34} {'rows':>10} {'s':>7} {'rows/s':>11} {'ours / it':>9}")
    for t in timings:
        print(f"{t.tool:<34} {t.rows:>10,} {t.seconds:>7.2f} {t.rows_per_second:>11,.0f} {ours.rows_per_second / t.rows_per_second:>9.2f}")
    print(f"written to {_write('peers', [asdict(t) | {'rows_per_second': t.rows_per_second} for t in timings])}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("refresh", "the refresh command cold, warm and on a nightly day, against the same-work limit"),
                       ("all", "refresh, ingestion, and peers when the peers extra is installed")):
        command = sub.add_parser(name, help=text)
        command.add_argument("--size", action="append", choices=list(SIZES), help="repeatable; default S")
    for name, text in (("ingestion", "loader throughput vs DuckDB's read_csv"), ("peers", "loader vs dlt on a clean CSV")):
        command = sub.add_parser(name, help=text)
        command.add_argument("--rows", type=int, default=1_000_000)
        command.add_argument("--repeats", type=int, default=3, help="runs of each; medians are compared")
    args = parser.parse_args()
    if args.command in ("refresh", "all"):
        bench_refresh(args.size or ["S"])
    if args.command in ("ingestion", "all"):
        bench_ingestion(getattr(args, "rows", 1_000_000), getattr(args, "repeats", 3))
    if args.command == "peers" or (args.command == "all" and peers.available()):
        bench_peers(getattr(args, "rows", 1_000_000), getattr(args, "repeats", 3))


if __name__ == "__main__":
    main()
