"""`python -m bench pipeline|ingestion [options]`: print a table and write JSON under data/bench/."""
from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench import ingestion, pipeline
from ingestion.settings import load_settings


# Resolved once, before a benchmark points the settings at its own scratch data folder.
BENCH_DIR = load_settings().data_dir / "bench"


def _write(name: str, payload) -> Path:
    out = BENCH_DIR / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, default=str))
    return out


def bench_ingestion(rows: int, repeats: int) -> None:
    timings = ingestion.run(rows, repeats)
    print(f"median of {repeats} alternating runs each")
    print(f"{'variant':<26} {'rows':>10} {'loader s':>9} {'duckdb s':>9} {'rows/s':>11} {'ratio':>6}")
    for t in timings:
        print(f"{t.variant:<26} {t.rows:>10,} {t.loader_seconds:>9.2f} {t.duckdb_seconds:>9.2f} {t.rows_per_second:>11,.0f} {t.ratio:>6.2f}")
    print(f"written to {_write('ingestion', [asdict(t) | {'ratio': t.ratio} for t in timings])}")


def bench_pipeline(sizes: list[str]) -> None:
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"crm-bench-{size}-") as tmp:
            results.append(pipeline.run(size, Path(tmp)))
    header = f"{'size':<5} {'rows':>11} " + " ".join(f"{s:>11}" for s in pipeline.STAGES)
    print(header + f" {'total s':>8} {'baseline s':>10} {'ratio':>6} {'incr. s':>8} {'incr. %':>8} {'valid. %':>8} {'peak MB':>8}")
    for r in results:
        stages = " ".join(f"{r.full.seconds.get(s, 0):>11.1f}" for s in pipeline.STAGES)
        print(f"{r.size:<5} {r.rows:>11,} {stages} {r.full.total:>8.1f} {r.baseline_seconds:>10.1f} {r.ratio_to_baseline:>6.2f} "
              f"{r.incremental.total:>8.1f} {r.incremental_fraction:>8.1%} {r.validation_share:>8.1%} {max(r.full.peak_mb, r.incremental.peak_mb):>8.0f}")
    payload = [{"size": r.size, "rows": r.rows, "full": asdict(r.full), "baseline_seconds": r.baseline_seconds,
                "incremental": asdict(r.incremental), "ratio_to_baseline": r.ratio_to_baseline,
                "incremental_fraction": r.incremental_fraction, "validation_share": r.validation_share} for r in results]
    print(f"written to {_write('pipeline', payload)}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingestion", help="loader throughput vs DuckDB's read_csv")
    ingest.add_argument("--rows", type=int, default=1_000_000)
    ingest.add_argument("--repeats", type=int, default=3, help="runs of each reader; medians are compared")
    full = sub.add_parser("pipeline", help="full pipeline per stage vs a bare-DuckDB baseline, incremental day")
    full.add_argument("--size", action="append", choices=["S", "M", "L"], help="repeatable; default S")
    args = parser.parse_args()
    if args.command == "ingestion":
        bench_ingestion(args.rows, args.repeats)
    else:
        bench_pipeline(args.size or ["S"])


if __name__ == "__main__":
    main()
