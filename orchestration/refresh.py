"""Headless full refresh, for cron and `make run`: no Dagster daemon or UI needed.

Runs the same `full_refresh` job as the nightly schedule, on the Dagster instance in
$DAGSTER_HOME (so runs show up in the UI later), then prints the headline KPIs and where
every output is. The daily-partitioned models rebuild, in one run, every day not yet built
(the whole history on a first run, the day that just ended afterwards), or the days given
with `--days FIRST:LAST` (a headless backfill). Two refreshes of the same data folder never overlap: each holds
`$CRM_DATA_DIR/.refresh.lock` (see `orchestration.refresh_lock`); `--no-wait` makes the second
one exit with code 3 instead of waiting.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import datetime, timezone

import dagster as dg

from ingestion.connection import connect_warehouse
from ingestion.settings import PROJECT_DIR, Settings, load_settings
from orchestration.manifest import prepare_manifest
from orchestration.partitions import days_to_build, partition_range_tags, parse_days
from orchestration.refresh_lock import RefreshLocked, refresh_lock
from serving.summary import format_headline, headline


def prepare_instance(settings: Settings) -> dg.DagsterInstance:
    home = os.environ.setdefault("DAGSTER_HOME", str(settings.data_dir / "dagster_home"))
    os.makedirs(home, exist_ok=True)
    config = os.path.join(home, "dagster.yaml")
    if not os.path.exists(config):
        shutil.copy(PROJECT_DIR / "config" / "dagster.yaml", config)
    return dg.DagsterInstance.get()


def run_full_refresh(
    settings: Settings, groups: list[str] | None = None, days: tuple[str, str] | None = None
) -> dg.ExecuteInProcessResult:
    """The `full_refresh` job, or only the assets of the given groups (e.g. `ingest_finance`),
    over the days `days` or else the days still to build (`orchestration.partitions.days_to_build`)."""
    os.environ.setdefault("CRM_WAREHOUSE", str(settings.warehouse))
    prepare_manifest()
    from orchestration.definitions import build_definitions  # needs the manifest

    defs = build_definitions()
    job = defs.resolve_job_def("full_refresh")
    selection = None
    if groups:
        selection = list(dg.AssetSelection.groups(*groups).resolve(defs.resolve_asset_graph()))
        if not selection:
            raise SystemExit(f"no assets in group(s) {', '.join(groups)}")
    # The console shows warnings and errors; every event is still in the Dagster instance (UI).
    quiet = {"loggers": {"console": {"config": {"log_level": os.environ.get("CRM_LOG_LEVEL", "WARNING")}}}}
    instance = prepare_instance(settings)
    first, last = days or days_to_build(instance, defs.resolve_asset_graph())
    log(f"daily partitions {first} to {last}")
    return job.execute_in_process(run_config=quiet, instance=instance, raise_on_error=False,
                                  asset_selection=selection, tags=partition_range_tags(first, last))


def print_summary(settings: Settings) -> None:
    with connect_warehouse(settings, read_only=True) as con:
        h = headline(con)
    print(format_headline(h) if h else "No complete month of orders yet.")
    print()
    print(f"Warehouse (working copy):  {settings.warehouse}")
    print(f"Serving copy for BI tools: {settings.serving_dir / 'serving.duckdb'}")
    print(f"Parquet per mart:          {settings.serving_dir / 'parquet'}")
    print(f"Data Docs (validations):   {settings.data_docs_dir / 'index.html'}")
    print(f"KPI report:                {settings.reports_dir / 'kpi_report.html'}")
    print("Dagster UI:                make dev, then http://localhost:3000")


EXIT_LOCKED = 3


def log(message: str) -> None:
    """Progress on stderr, timestamped, so cron mails and the lock test can read when what happened."""
    print(f"[refresh {datetime.now(timezone.utc).isoformat()}] {message}", file=sys.stderr, flush=True)


def _days(value: str) -> tuple[str, str]:
    try:
        return parse_days(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m orchestration.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("--no-wait", action="store_true",
                        help=f"if another refresh is running, exit with code {EXIT_LOCKED} instead of waiting")
    parser.add_argument("--group", action="append", dest="groups", metavar="GROUP",
                        help="refresh only this asset group (repeatable), e.g. ingest_finance or marts")
    parser.add_argument("--days", type=_days, metavar="FIRST:LAST",
                        help="rebuild these days of the daily-partitioned models in one run (ISO dates), "
                             "e.g. 2025-03-01:2025-03-31 after a late delivery; default: the days not yet built")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = load_settings()
    try:
        with refresh_lock(settings.data_dir, wait=not args.no_wait, on_wait=log):
            log("lock acquired, refresh started")
            result = run_full_refresh(settings, args.groups, args.days)
            log("refresh finished, releasing lock")
            if not result.success:
                failed = [e.step_key for e in result.all_events if e.is_step_failure]
                print(f"Refresh failed in step(s): {', '.join(failed) or 'see the Dagster logs'}", file=sys.stderr)
                return 1
            if not args.groups:
                print_summary(settings)
    except RefreshLocked as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_LOCKED
    return 0


if __name__ == "__main__":
    sys.exit(main())
