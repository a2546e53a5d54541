"""Resources shared by all assets, built from the one settings module."""
from __future__ import annotations

from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from ingestion.settings import Settings
from orchestration.project import dbt_project

WAREHOUSE_POOL = "warehouse"


def build_resources(settings: Settings) -> dict:
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        "duckdb": DuckDBResource(database=str(settings.warehouse)),
        "dbt": DbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir)),
    }
