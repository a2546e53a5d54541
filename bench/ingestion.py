"""Ingestion throughput against DuckDB's own CSV reader on the same files.

For a clean UTF-8 CSV and a German Windows-1252 CSV (semicolons, decimal commas, dd.mm.yyyy
local timestamps) of the same orders-shaped rows, it times `ingestion.loader.load_entity` (with
format detection, hashing, typing, quarantine checks, lineage and ledger) and a bare
`CREATE TABLE AS SELECT * FROM read_csv(...)` that types the columns itself. The ratio is
DuckDB's time divided by ours: 1.0 means the loader costs nothing on top of DuckDB.

Both are run `repeats` times, alternately, each into a new database file, and the medians are
compared: on a shared two-core machine one run of either varies widely.
"""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from ingestion.contract import load_contracts
from ingestion.loader import load_entity

HEADER = ["order_id", "customer_id", "ordered_at", "status", "sales_channel", "currency", "payment_reference", "updated_at"]


@dataclass(frozen=True)
class IngestionTiming:
    variant: str
    rows: int
    loader_seconds: float  # medians of `runs` runs
    duckdb_seconds: float
    runs: int

    @property
    def ratio(self) -> float:
        return self.duckdb_seconds / self.loader_seconds

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.loader_seconds


def write_orders(path: Path, rows: int, german: bool) -> None:
    rng = random.Random(1)
    start = datetime(2025, 1, 1)
    sep = ";" if german else ","
    fmt = "%d.%m.%Y %H:%M:%S" if german else "%Y-%m-%dT%H:%M:%SZ"
    with open(path, "w", encoding="cp1252" if german else "utf-8", newline="") as fh:
        fh.write(sep.join(HEADER) + "\n")
        for i in range(rows):
            ts = (start + timedelta(seconds=i * 7)).strftime(fmt)
            ref = f"RE-2025-{i:07d} Müller" if german else f"RE-2025-{i:07d}"
            fh.write(sep.join([f"O{i:09d}", f"C{rng.randrange(100000):06d}", ts, "placed", "web", "EUR", ref, ts]) + "\n")


def _bare_duckdb(path: Path, german: bool, warehouse: Path) -> float:
    """DuckDB's own typed reader into a table of a database file, as the loader writes one."""
    options = "delim=';', timestampformat='%d.%m.%Y %H:%M:%S'" if german else "delim=','"
    with duckdb.connect(str(warehouse)) as con:
        started = time.perf_counter()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', header=true, {options})")
        return time.perf_counter() - started


def time_loader(landing: Path, warehouse: Path) -> float:
    with duckdb.connect(str(warehouse)) as con:
        started = time.perf_counter()
        [result] = load_entity(con, load_contracts()["orders"], landing)
        elapsed = time.perf_counter() - started
    assert result.status == "loaded" and result.rows_quarantined == 0, result
    return elapsed


def run(rows: int, repeats: int = 3) -> list[IngestionTiming]:
    timings = []
    for variant, german in (("clean UTF-8 CSV", False), ("German Windows-1252 CSV", True)):
        with tempfile.TemporaryDirectory(prefix="crm-bench-") as tmp:
            landing = Path(tmp) / "landing"
            folder = landing / "crm" / "orders"
            folder.mkdir(parents=True)
            path = folder / "orders.csv"
            write_orders(path, rows, german)
            readable = path
            if german:
                # DuckDB cannot read cp1252 here; give it the same rows in UTF-8 (its best case).
                readable = Path(tmp) / "orders_utf8.csv"
                readable.write_text(path.read_text(encoding="cp1252"), encoding="utf-8")
            bare, ours = [], []
            for attempt in range(repeats):
                bare.append(_bare_duckdb(readable, german, Path(tmp) / f"bare{attempt}.duckdb"))
                ours.append(time_loader(landing, Path(tmp) / f"w{attempt}.duckdb"))
            timings.append(IngestionTiming(variant, rows, statistics.median(ours), statistics.median(bare), repeats))
    return timings
