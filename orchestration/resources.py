"""Resources shared by all assets, built from the one settings module."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from ingestion.connection import limit_memory
from ingestion.settings import Settings
from orchestration.project import build_dbt_project
from transform.dbt import log_dir, target_dir

WAREHOUSE_POOL = "warehouse"
# The dbt installed beside this interpreter: `make` never activates the virtualenv.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
# What Dagster runs instead: that dbt, killed with the process that started it (`orchestration.dbt_guard`).
DBT_GUARDED = Path(__file__).parent / "bin" / "dbt"


class WarehouseResource(DuckDBResource):
    """The warehouse, with the settings' memory cap on every connection (see `ingestion.connection`)."""

    memory_limit: str

    @contextmanager
    def get_connection(self):
        with super().get_connection() as con:
            yield limit_memory(con, self.memory_limit)


def build_resources(settings: Settings) -> dict:
    dbt_project = build_dbt_project()
    os.environ.setdefault("DBT_LOG_PATH", str(log_dir(target_dir(settings))))
    os.environ.update(CRM_GUARD_PYTHON=sys.executable, CRM_GUARD_DBT=str(DBT_EXECUTABLE))  # read by bin/dbt
    return {
        "duckdb": WarehouseResource(database=str(settings.warehouse), memory_limit=settings.duckdb_memory_limit),
        "dbt": DbtCliResource(
            project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=str(DBT_GUARDED)
        ),
    }
