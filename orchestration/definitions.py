"""The one Dagster code location: ingestion, dbt, publishing, checks and schedules."""
from __future__ import annotations

import dagster as dg

from ingestion.settings import load_settings
from orchestration.dbt_assets import build_dbt_assets
from orchestration.ingestion_assets import ingestion_assets
from orchestration.report_assets import kpi_report
from orchestration.resources import build_resources
from orchestration.schedules import full_refresh_job, nightly_refresh
from orchestration.sensors import landing_refresh_job, new_landing_files
from orchestration.serving_assets import build_serving_copy
from orchestration.warehouse_checks import warehouse_checks


def all_assets() -> list:
    """Every asset and asset check of the pipeline, unbound, as `dagster.materialize()` in the tests takes them."""
    dbt_models = build_dbt_assets()
    marts = sorted((key for d in dbt_models for key in d.keys if key.path[0] == "marts"), key=lambda k: k.path)
    return [*ingestion_assets(), *dbt_models, *warehouse_checks(dbt_models), build_serving_copy(marts), kpi_report]


def build_definitions() -> dg.Definitions:
    nightly_job = full_refresh_job()
    return dg.Definitions(
        assets=all_assets(),
        jobs=[nightly_job, landing_refresh_job],
        sensors=[new_landing_files],
        schedules=[nightly_refresh(nightly_job)],
        resources=build_resources(load_settings()),
    )


defs = build_definitions()
