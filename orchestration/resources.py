"""Resources shared by all assets, built from the one settings module."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from ingestion.settings import Settings
from orchestration.project import build_dbt_project

WAREHOUSE_POOL = "warehouse"
# The dbt installed beside this interpreter: `make` never activates the virtualenv.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"


def build_resources(settings: Settings) -> dict:
    dbt_project = build_dbt_project()
    os.environ.setdefault("DBT_LOG_PATH", str(settings.data_dir / "dbt_target" / "logs"))
    return {
        "duckdb": DuckDBResource(database=str(settings.warehouse)),
        "dbt": DbtCliResource(
            project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=str(DBT_EXECUTABLE)
        ),
    }
