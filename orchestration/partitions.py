"""Daily partitions of the large incremental dbt models (web sessions, payment matches, orders).

A partition is one calendar day in the reporting time zone. A run for a day, or a single-run
backfill over a range of days, passes the window to dbt (`transform.dbt.window_env`);
the models rebuild exactly those days plus the look-back (`incremental_window` macro), so a
nightly run costs one day and a backfill of N days costs one dbt invocation, not N. A window
ending with the newest partition leaves `window_end` open, so rows dated today are taken too.
Rows delivered late for days before the window (`orchestration.late_data`) move its start back to
their first day and open its end: the run rebuilds those days through the newest, as a backfill.

Every run that includes these models names its days (the schedule, the sensor, the headless
refresh, the tests): Dagster cannot record a partitioned asset's output without them.
"""

import dagster as dg

from ingestion.settings import load_settings
from orchestration.late_data import find_late_rows, report

REPORTING_TIMEZONE = "Europe/Berlin"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def daily_partitions() -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(start_date=load_settings().history_start, timezone=REPORTING_TIMEZONE)


def window_vars(context: dg.AssetExecutionContext) -> dict[str, str]:
    """dbt vars for the run's partition window (end exclusive, open after the newest partition),
    widened to the days late rows change."""
    window = context.partition_time_window
    start = window.start.date()
    newest = daily_partitions().get_last_partition_key()
    open_end = context.partition_key_range.end == newest
    late = find_late_rows(context, start, REPORTING_TIMEZONE)
    if late:
        start, open_end = min(r.first_day for r in late), True
        report(context, start.isoformat(), newest, late)
    dbt_vars = {"window_start": start.isoformat()}
    if not open_end:
        dbt_vars["window_end"] = window.end.date().isoformat()
    return dbt_vars


def partition_range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags that make one run cover a range of partitions (a single-run backfill)."""
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


def all_days() -> tuple[str, str]:
    """Every partition, from CRM_HISTORY_START to the last complete day."""
    partitions = daily_partitions()
    return partitions.get_first_partition_key(), partitions.get_last_partition_key()


def days_to_build(instance: dg.DagsterInstance, asset_graph) -> tuple[str, str]:
    """From the first day some daily asset has not been built for through the last complete day;
    when every day is built, the last day again (its look-back picks up late rows)."""
    keys = daily_partitions().get_partition_keys()
    built = set(keys)
    for key in asset_graph.get_all_asset_keys():
        if asset_graph.get(key).partitions_def is not None:
            built &= instance.get_materialized_partitions(key)
    missing = [k for k in keys if k not in built]
    return (missing[0] if missing else keys[-1]), keys[-1]


def parse_days(value: str) -> tuple[str, str]:
    """`FIRST:LAST` (ISO dates, both included) as partition keys, checked against the partitions."""
    first, _, last = value.partition(":")
    keys = set(daily_partitions().get_partition_keys())
    for day in (first, last or first):
        if day not in keys:
            raise ValueError(f"{day!r} is not a daily partition (ISO date from CRM_HISTORY_START to yesterday)")
    return first, last or first
