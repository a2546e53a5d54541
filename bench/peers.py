"""A peer in the same run: dlt, the ingestion tool a data engineer would otherwise pick, on the same clean CSV.

dlt's filesystem source lists the file and its `read_csv` reader (pandas, the one its
documentation starts with) parses it; its DuckDB destination normalises and loads the rows into a
table of a database file. (Its `read_csv_duckdb` fails with DuckDB 2.0, whose relations have no
`fetchmany` any more.) dlt and our
loader (`ingestion.loader.load_entity`, with everything it does besides) run `repeats` times,
alternately, each into a new database file; medians are compared. Needs the `peers` extra
(`pip install -e .[peers]`); dlt's telemetry is switched off.
"""
from __future__ import annotations

import importlib.util
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench.ingestion import time_loader, write_orders

DLT = "dlt filesystem + read_csv"
OURS = "ours (load_entity)"


@dataclass(frozen=True)
class PeerTiming:
    tool: str
    rows: int
    seconds: float  # median

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def available() -> bool:
    return importlib.util.find_spec("dlt") is not None


def time_dlt(folder: Path, work: Path, rows: int) -> float:
    os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
    import dlt
    from dlt.sources import filesystem as fs

    pipeline = dlt.pipeline(pipeline_name=f"peer_{work.name}", pipelines_dir=str(work / "dlt"),
                            destination=dlt.destinations.duckdb(str(work / "dlt.duckdb")), dataset_name="raw")
    source = fs.filesystem(bucket_url=folder.as_uri(), file_glob="*.csv") | fs.read_csv()
    started = time.perf_counter()
    info = pipeline.run(source.with_name("orders"))
    elapsed = time.perf_counter() - started
    info.raise_on_failed_jobs()
    with duckdb.connect(str(work / "dlt.duckdb"), read_only=True) as con:
        loaded = con.execute("SELECT count(*) FROM raw.orders").fetchall()[0][0]
    assert loaded == rows, f"dlt loaded {loaded} of {rows} rows"
    return elapsed


def run(rows: int, repeats: int = 3) -> list[PeerTiming]:
    with tempfile.TemporaryDirectory(prefix="crm-peers-") as tmp:
        landing = Path(tmp) / "landing"
        folder = landing / "crm" / "orders"
        folder.mkdir(parents=True)
        write_orders(folder / "orders.csv", rows, german=False)
        times: dict[str, list[float]] = {OURS: [], DLT: []}
        for attempt in range(repeats):
            times[OURS].append(time_loader(landing, Path(tmp) / f"ours{attempt}.duckdb"))
            work = Path(tmp) / f"dlt{attempt}"
            work.mkdir()
            times[DLT].append(time_dlt(folder, work, rows))
    return [PeerTiming(tool, rows, statistics.median(seconds)) for tool, seconds in times.items()]
