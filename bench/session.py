"""`python -m bench.session WAREHOUSE SCRIPT MEMORY_LIMIT`: one SQL script in one DuckDB session.

The whole script goes to DuckDB in one call, so no Python runs between its statements. Prints
the script's seconds and the data tests that found rows (`bench.samework`), as JSON.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from bench.samework import RESULTS
from ingestion.connection import limit_memory


def main(warehouse: str, script: str, memory_limit: str) -> None:
    sql = Path(script).read_text(encoding="utf-8")
    with duckdb.connect(warehouse) as con:
        limit_memory(con, memory_limit)
        started = time.perf_counter()
        con.execute(sql)
        seconds = time.perf_counter() - started
        failed = [uid for (uid,) in con.execute(f"SELECT unique_id FROM {RESULTS} WHERE failures > 0 ORDER BY 1").fetchall()]
    print(json.dumps({"seconds": seconds, "failed_tests": failed}))


if __name__ == "__main__":
    main(*sys.argv[1:])
