"""The bare-DuckDB baseline: transcode the German files, then one SQL script builds the core marts.

It is the practical limit for this work on this machine; the pipeline's cost is shown as a
multiple of it.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb

from ingestion.files import utf8_copy
from ingestion.formats import detect_encoding

SCRIPT = Path(__file__).with_name("baseline.sql")
ENTITIES = ("crm/orders", "crm/order_lines", "crm/returns", "crm/customers", "finance/fx_rates")


def run_baseline(landing: Path, work: Path) -> float:
    """Wall seconds for transcoding plus the SQL script, into a database file under `work`."""
    started = time.perf_counter()
    utf8 = work / "baseline_landing"
    for entity in ENTITIES:
        target = utf8 / entity
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((landing / entity).glob("*.csv")):
            copy, _ = utf8_copy(path, detect_encoding(path), target)
            if copy == path:
                shutil.copy(path, target / path.name)
    with duckdb.connect(str(work / "baseline.duckdb")) as con:
        con.execute(SCRIPT.read_text().replace("{landing}", str(utf8)))
    return time.perf_counter() - started
