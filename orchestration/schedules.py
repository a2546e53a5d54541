"""Automation: the nightly full KPI refresh.

`full_refresh` selects every asset and is partitioned by day: the unpartitioned assets rebuild in
full, the daily-partitioned incremental models rebuild the run's day (or range of days, in a
single-run backfill). The schedule runs it at 02:00 Berlin time for the day that just ended.
Both are built with the definitions, not at import: the partitions start at CRM_HISTORY_START,
and a job built earlier would keep an older start than its assets.
"""
from __future__ import annotations

import dagster as dg

from orchestration.partitions import daily_partitions


def full_refresh_job() -> dg.UnresolvedAssetJobDefinition:
    return dg.define_asset_job(
        name="full_refresh",
        selection=dg.AssetSelection.all(),
        partitions_def=daily_partitions(),
        description="Ingest new deliveries, build and test every dbt model (incremental ones for the run's days), validate, publish.",
    )


def nightly_refresh(job: dg.UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    return dg.build_schedule_from_partitioned_job(
        job,
        name="nightly_kpi_refresh",
        hour_of_day=2,
        minute_of_hour=0,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Full KPI refresh every night at 02:00 Berlin time, for the day that just ended.",
    )
