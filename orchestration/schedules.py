"""Automation: the nightly full KPI refresh."""
from __future__ import annotations

import dagster as dg

full_refresh_job = dg.define_asset_job(
    name="full_refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest new deliveries, build and test every dbt model, validate, publish.",
)

nightly_refresh = dg.ScheduleDefinition(
    name="nightly_kpi_refresh",
    job=full_refresh_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Berlin",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Full KPI refresh every night at 02:00 Berlin time.",
)
