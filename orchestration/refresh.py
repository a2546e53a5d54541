"""Headless full refresh, for cron and `make run`: no Dagster daemon or UI needed.

Runs the same `full_refresh` job as the nightly schedule, on the Dagster instance in
$DAGSTER_HOME (so runs show up in the UI later), then prints the headline KPIs and where
every output is. The daily-partitioned models rebuild, in one run, every day not yet built
(the whole history on a first run, the day that just ended afterwards), or the days given
with `--days FIRST:LAST` (a headless backfill); `--rebuild` rebuilds every model from scratch
(dbt's `--full-refresh`, whatever days the run names), as erasure needs after removing rows from
raw (`privacy.erase` runs it). A plain refresh with nothing new since the last successful one
(same delivery files, code, settings and day: `orchestration.up_to_date`) rebuilds nothing and
says so; `--force` refreshes anyway. Two refreshes of the same data folder never overlap: each holds
`$CRM_DATA_DIR/.refresh.lock` (see `orchestration.refresh_lock`); `--no-wait` makes the second
one exit with code 3 instead of waiting. At start it ends the runs of killed refreshes and frees
their concurrency slots (`orchestration.stale_runs`), after checking that it can write where it
must (`orchestration.preflight`); SIGINT or SIGTERM stop it within seconds with exit code 130 or
143 (`orchestration.signals`).

The console shows one line per stage; dbt's and Dagster's own output goes to
`$CRM_DATA_DIR/logs/refresh-<UTC time>.log`. At the end come the problems found, each with file,
line, column, values, rule and what to do (`diagnostics`), and a last line that says truthfully
whether anything was published. Exit codes: 0 published, 1 failed (nothing published), 2 published
with delivery files held back (`ingestion.holdback`; `--retry-held` loads and judges them again),
3 another refresh is running and `--no-wait` was given.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import traceback
from datetime import datetime, timezone
from typing import Callable, NoReturn, TextIO

import dagster as dg

from diagnostics.problem import Problem
from ingestion.holdback import held_files, release_all
from ingestion.connection import connect_warehouse
from ingestion.settings import PROJECT_DIR, Settings, load_settings
from orchestration.console import outcome, output_to, problems_text, refresh_log_path
from orchestration.manifest import prepare_manifest
from orchestration.dbt_assets import FULL_REFRESH_TAG
from orchestration.partitions import daily_partitions, days_to_build, partition_range_tags, parse_days
from orchestration.preflight import PreflightError, preflight
from orchestration.refresh_lock import RefreshLocked, refresh_lock
from orchestration.signals import STOPPED_EXIT_CODES, Stopped, run_stoppable
from orchestration.stages import StageReporter, stage_logger
from orchestration.stale_runs import end_own_runs, refresh_tags, release_orphaned_runs
from orchestration.up_to_date import fingerprint, forget_refresh, last_refresh, record_refresh
from serving.summary import format_headline, headline
from transform.dbt import target_dir


def prepare_instance(settings: Settings) -> dg.DagsterInstance:
    home = os.environ.setdefault("DAGSTER_HOME", str(settings.data_dir / "dagster_home"))
    os.makedirs(home, exist_ok=True)
    config = os.path.join(home, "dagster.yaml")
    if not os.path.exists(config):
        shutil.copy(PROJECT_DIR / "config" / "dagster.yaml", config)
    return dg.DagsterInstance.get()


def run_full_refresh(
    settings: Settings, instance: dg.DagsterInstance, groups: list[str] | None,
    days: tuple[str, str] | None, stages: StageReporter, rebuild: bool = False,
) -> dg.ExecuteInProcessResult:
    """The `full_refresh` job, or only the assets of the given groups (e.g. `ingest_finance`),
    over the days `days` or else the days still to build (`orchestration.partitions.days_to_build`);
    `rebuild` builds every model from scratch, every day included; `stages` hears every event of the run."""
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
    # Dagster's console logger writes into the refresh's log file (see `refresh`), the stage logger
    # onto the console; every event is also in the Dagster instance (UI).
    job = job.with_logger_defs({**job.loggers, "stages": stage_logger(stages)})
    loggers = {"console": {"config": {"log_level": os.environ.get("CRM_LOG_LEVEL", "INFO")}}, "stages": {}}
    first, last = days or days_to_build(instance, defs.resolve_asset_graph())
    stages.say(f"daily partitions {first} to {last}")
    result = job.execute_in_process(run_config={"loggers": loggers}, instance=instance, raise_on_error=False,
                                    asset_selection=selection,
                                    tags={**partition_range_tags(first, last), **refresh_tags(settings.data_dir),
                                          **({FULL_REFRESH_TAG: "true"} if rebuild else {})})
    stages.finish()
    return result


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


EXIT_HELD, EXIT_LOCKED = 2, 3
LOGS_FOLDER = "logs"  # under the data folder: one log file per refresh with dbt's and Dagster's output


def log(message: str, stream: TextIO | None = None) -> None:
    """Progress on stderr (or the console's stream while output is diverted), timestamped, so cron
    mails and the lock test can read when what happened."""
    print(f"[refresh {datetime.now(timezone.utc).isoformat()}] {message}", file=stream or sys.stderr, flush=True)


def find_problems(settings: Settings, since: datetime) -> tuple[list[Problem], int]:
    """The problems found, and how many delivery files are held back."""
    from diagnostics.collect import collect_problems  # imports Great Expectations: not for a refresh with nothing new

    if not settings.warehouse.exists():
        return [], 0
    with connect_warehouse(settings, read_only=True) as con:
        problems = collect_problems(con, settings, since, target_dir(settings))
        return problems, len(held_files(con))


def retry_held(settings: Settings) -> None:
    """Release every held-back file, so this refresh loads and judges it again."""
    if settings.warehouse.exists():
        with connect_warehouse(settings) as con:
            for released in release_all(con):
                log(f"{released.file}: released, loading it again")


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
    parser.add_argument("--retry-held", action="store_true",
                        help="load and judge every held-back delivery file again, e.g. after raising CRM_REJECT_THRESHOLD")
    parser.add_argument("--force", action="store_true",
                        help="refresh even when nothing changed since the last successful refresh")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild every model from scratch (dbt --full-refresh), every day included, e.g. after "
                             "rows were removed from raw")
    return parser.parse_args(argv)


def _run_diverted(settings: Settings, args: argparse.Namespace, say: Callable[[str], None]) -> tuple[bool, list[str]]:
    """The job, its stages said as they end; whether it succeeded, and the marts it published."""
    try:
        instance = prepare_instance(settings)
        if released := release_orphaned_runs(instance, settings.data_dir):
            say(f"{len(released)} run(s) of a killed refresh marked failed, their concurrency slots freed")
        stages = StageReporter(say, instance)
        result = run_stoppable(
            lambda: run_full_refresh(settings, instance, args.groups, args.days, stages, args.rebuild))
        return result.success, stages.marts()
    except Stopped as stop:
        end_own_runs(instance, f"Refresh {stop}.")
        stop.published = stages.marts()
        raise
    except Exception as exc:  # the traceback goes to the log, its gist to the console
        traceback.print_exc()
        say(f"refresh stopped: {type(exc).__name__}: {exc}")
        return False, []


def _is_plain(args: argparse.Namespace) -> bool:
    return not (args.groups or args.days or args.rebuild or args.retry_held or args.force)


def refresh(settings: Settings, args: argparse.Namespace) -> int:
    """Run with dbt's and Dagster's output in a log file, then list the problems; the last line says
    how it ended. A plain refresh with nothing new since the last successful one only says so."""
    started = datetime.now(timezone.utc)
    current = fingerprint(settings, daily_partitions().get_last_partition_key())
    if _is_plain(args) and (since := last_refresh(settings, current)):
        log("nothing new: same delivery files, code, settings and day as the last refresh")
        print_summary(settings)
        print()
        print(f"Nothing to refresh: nothing changed since the refresh of {since}; the warehouse, serving copy "
              "and report are current (--force refreshes anyway).", flush=True)
        return 0
    forget_refresh(settings)  # a refresh that dies from here on must not leave "up to date" behind
    log_file = refresh_log_path(settings.data_dir / LOGS_FOLDER, started)
    log(f"dbt and Dagster output: {log_file}")
    if args.retry_held:
        retry_held(settings)
    try:
        with output_to(log_file) as console:
            success, published = _run_diverted(settings, args, lambda message: log(message, console))
    except Stopped as stop:
        log(f"refresh {stop}, releasing lock")
        print(stop.last_line(stop.published), flush=True)
        return stop.exit_code
    problems, held = find_problems(settings, started)
    log("refresh finished, releasing lock")
    print(problems_text(problems), end="", flush=True)
    if success and not args.groups:
        print()
        print_summary(settings)
    print()
    print(outcome(success, published, problems, log_file, held), flush=True)
    if not success:
        return 1
    if held:
        return EXIT_HELD
    if not args.groups:
        record_refresh(settings, current)
    return 0


def main(argv: list[str] | None = None, first: Callable[[Settings], None] | None = None) -> int:
    """Preflight, lock, refresh; `first` runs under the lock before the refresh (erasure's
    deletion), so no other refresh reads the warehouse in between."""
    args = parse_args(argv)
    settings = load_settings()
    try:
        preflight(settings)
    except PreflightError as exc:
        print(f"Refresh failed before it started: {exc}", flush=True)
        return 1
    try:
        with refresh_lock(settings.data_dir, wait=not args.no_wait, on_wait=log):
            log("lock acquired, refresh started")
            if first is not None:
                first(settings)
            return refresh(settings, args)
    except RefreshLocked as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_LOCKED


def exit_process(code: int) -> NoReturn:
    if code in STOPPED_EXIT_CODES:
        # The run's worker thread may still be busy: leave without waiting for it (see orchestration.signals).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    exit_process(main())
