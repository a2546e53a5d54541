"""The same-work limit: all of a refresh's work in one DuckDB session, with no Python between statements.

One script reads every delivery into `raw` (`bench.deliveries`), then builds every seed and model
and runs every data test of the dbt project (`bench.samework`), from a `dbt compile` made before
the clock starts. It runs in a process of its own (`python -m bench.session`), with the memory
cap the pipeline's connections keep to, timed with its process tree like the refresh. The
Windows-1252 files' UTF-8 copies (DuckDB cannot read them here) count as the limit's time too.

The full refresh compiles against a warehouse that holds only `raw` (so every model is built in
full); the nightly day compiles against the limit's warehouse after its full refresh (incremental
models then add what is new) with the window vars the pipeline's own nightly run used.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from bench import deliveries, samework
from bench.process import run
from ingestion.settings import PROJECT_DIR, load_settings
from transform.dbt import DBT_PROJECT_DIR, run_dbt_child

WAREHOUSE = "warehouse.duckdb"  # the compiled SQL names the database by this file's stem


@dataclass(frozen=True)
class LimitRun:
    seconds: float  # UTF-8 copies + the script
    copy_seconds: float
    script_seconds: float  # the session process, start to end
    statements_seconds: float  # the script alone, measured inside the session
    peak_mb: float
    files: int
    models: int
    tests: int
    failed_tests: list[str]


def compile_project(warehouse: Path, target: Path, full_refresh: bool, dbt_vars: dict[str, str] | None = None) -> dict:
    """`dbt compile` of every model and data test against `warehouse`; its manifest."""
    settings = replace(load_settings(), warehouse=warehouse)
    run_dbt_child("compile", "--exclude", "resource_type:unit_test", *(["--full-refresh"] if full_refresh else []),  # as the refresh
                  settings=settings, target=target, dbt_vars=dbt_vars, timeout=None)
    return samework.load_manifest(target)


def run_script(files: list[deliveries.DeliveryFile], work: Path, manifest: dict, label: str, full: bool) -> LimitRun:
    """Read `files`, then build the project compiled in `manifest`: into a new warehouse when `full`."""
    started = time.perf_counter()
    copies = deliveries.readable_copies(files, work / "utf8" / label)
    copy_seconds = time.perf_counter() - started
    schema = deliveries.schema_sql() if full else ""
    sql = schema + deliveries.load_sql(copies) + samework.script(manifest, DBT_PROJECT_DIR, incremental=not full)
    path = work / f"{label}.sql"
    path.write_text(sql, encoding="utf-8")
    finished = run([sys.executable, "-m", "bench.session", str(work / WAREHOUSE), str(path), load_settings().duckdb_memory_limit],
                   dict(os.environ), PROJECT_DIR, work / "logs" / label)
    if finished.returncode:
        raise RuntimeError(f"the same-work script {path} failed:\n{finished.stderr}")
    report = json.loads(finished.stdout)
    nodes = manifest["nodes"].values()
    return LimitRun(copy_seconds + finished.seconds, copy_seconds, finished.seconds, report["seconds"], finished.peak_mb,
                    len(files), sum(n["resource_type"] == "model" for n in nodes), sum(n["resource_type"] == "test" for n in nodes),
                    report["failed_tests"])


def full_refresh(landing: Path, work: Path) -> LimitRun:
    """Every delivery under `landing` and the whole project, into a new warehouse under `work`."""
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / WAREHOUSE
    warehouse.unlink(missing_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(deliveries.schema_sql())
    manifest = compile_project(warehouse, work / "target_full", full_refresh=True)
    warehouse.unlink()
    files = deliveries.find_deliveries(landing)
    return run_script(files, work, manifest, "full", full=True)


def nightly(landing: Path, new_files: set[str], work: Path, dbt_vars: dict[str, str]) -> LimitRun:
    """The deliveries labelled `new_files` on top of `full_refresh`'s warehouse, and the whole project again."""
    manifest = compile_project(work / WAREHOUSE, work / "target_day", full_refresh=False, dbt_vars=dbt_vars)
    files = deliveries.find_deliveries(landing, new_files)
    return run_script(files, work, manifest, "nightly", full=False)
