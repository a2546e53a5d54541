"""Headless full refresh, for cron and `make run`: no Dagster daemon or UI needed.

Runs the same `full_refresh` job as the nightly schedule, on the Dagster instance in
$DAGSTER_HOME (so runs show up in the UI later), then prints the headline KPIs and where
every output is.
"""
from __future__ import annotations

import os
import shutil
import sys

import dagster as dg
import duckdb

from ingestion.settings import PROJECT_DIR, Settings, load_settings
from orchestration.manifest import prepare_manifest
from serving.summary import format_headline, headline


def prepare_instance(settings: Settings) -> dg.DagsterInstance:
    home = os.environ.setdefault("DAGSTER_HOME", str(settings.data_dir / "dagster_home"))
    os.makedirs(home, exist_ok=True)
    config = os.path.join(home, "dagster.yaml")
    if not os.path.exists(config):
        shutil.copy(PROJECT_DIR / "config" / "dagster.yaml", config)
    return dg.DagsterInstance.get()


def run_full_refresh(settings: Settings) -> dg.ExecuteInProcessResult:
    os.environ.setdefault("CRM_WAREHOUSE", str(settings.warehouse))
    prepare_manifest()
    from orchestration.definitions import build_definitions  # needs the manifest

    job = build_definitions().resolve_job_def("full_refresh")
    return job.execute_in_process(instance=prepare_instance(settings), raise_on_error=False)


def print_summary(settings: Settings) -> None:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        h = headline(con)
    print(format_headline(h) if h else "No complete month of orders yet.")
    print()
    print(f"Warehouse (working copy):  {settings.warehouse}")
    print(f"Serving copy for BI tools: {settings.serving_dir / 'serving.duckdb'}")
    print(f"Parquet per mart:          {settings.serving_dir / 'parquet'}")
    print(f"Data Docs (validations):   {settings.data_docs_dir / 'index.html'}")
    print(f"Reports:                   {settings.reports_dir}")
    print("Dagster UI:                make dev, then http://localhost:3000")


def main() -> int:
    settings = load_settings()
    result = run_full_refresh(settings)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        print(f"Refresh failed in step(s): {', '.join(failed) or 'see the Dagster logs'}", file=sys.stderr)
        return 1
    print_summary(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
