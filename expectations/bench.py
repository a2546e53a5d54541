"""Time and peak memory of validating a raw.orders-shaped delivery, per chunk size.

    python -m expectations.bench --rows 1000000 --chunk-rows 50000 200000 1000000

Each chunk size runs in a fresh process, so peak RSS (ru_maxrss) is not inherited from the
previous one; the table lives in a temporary DuckDB file, so it does not count as Python memory.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from ingestion.contract import create_raw_schema, load_contracts

STATUSES = "['placed', 'fulfilled', 'cancelled']"
CHANNELS = "['web', 'sales', 'phone', 'partner', NULL]"


def make_orders(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        create_raw_schema(con)
        con.execute(f"""
            INSERT INTO raw.orders BY NAME
            SELECT 'O' || i AS order_id, 'C' || (i % 50000) AS customer_id,
                   TIMESTAMP '2024-01-01' + to_seconds(i) AS ordered_at, {STATUSES}[1 + i % 3] AS status,
                   {CHANNELS}[1 + i % 5] AS sales_channel, 'EUR' AS currency, 'RF' || i AS payment_reference,
                   TIMESTAMP '2024-01-02' + to_seconds(i) AS updated_at, 'orders.csv' AS _file, i + 2 AS _line,
                   'bench' AS _file_sha256, now() AS _loaded_at
            FROM range({rows}) r(i)""")


def measure(path: Path, chunk_rows: int) -> str:
    from expectations.runner import delivery_query, validate_delivery, validate_relation

    contract = load_contracts()["orders"]
    with duckdb.connect(str(path), read_only=True) as con:
        validate_relation(con, contract.table, delivery_query(contract) + " LIMIT 1000", params=["bench"])  # warm-up
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        result = validate_delivery(con, contract, "bench", chunk_rows=chunk_rows)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (f"chunk_rows={chunk_rows:>9,} rows={result.element_count:,} success={result.success} "
            f"wall={seconds:.2f}s peak_rss={peak / 1024:.0f}MB (+{(peak - before) / 1024:.0f}MB over warm process)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk-rows", type=int, nargs="+", default=[50_000, 200_000, 1_000_000])
    parser.add_argument("--db", type=Path, help="an existing bench database (internal: one measurement)")
    args = parser.parse_args()
    if args.db:
        print(measure(args.db, args.chunk_rows[0]), flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        make_orders(db, args.rows)
        for chunk_rows in args.chunk_rows:
            command = [sys.executable, "-m", "expectations.bench", "--db", str(db), "--chunk-rows", str(chunk_rows)]
            subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
