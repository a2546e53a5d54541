"""Resources shared by all assets, built from the one settings module."""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster_duckdb import DuckDBResource

from ingestion.connection import limit_memory
from ingestion.settings import Settings
from orchestration.dbt_resource import LocalDbtCliResource
from orchestration.permanent_errors import permanent_errno
from orchestration.project import build_dbt_project
from transform.dbt import log_dir, target_dir

WAREHOUSE_POOL = "warehouse"
# The dbt installed beside this interpreter: `make` never activates the virtualenv.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
# What Dagster runs instead: that dbt, killed with the process that started it (`orchestration.dbt_guard`).
DBT_GUARDED = Path(__file__).parent / "bin" / "dbt"


# Opening the warehouse is retried while another process holds its lock: about 100 s in all.
CONNECT_RETRIES = 10
FIRST_RETRY_DELAY = 0.1


class WarehouseResource(DuckDBResource):
    """The warehouse, with the settings' memory cap on every connection (see `ingestion.connection`).

    DuckDBResource retries every failed open for about 100 s, a read-only or full disk included;
    this one gives up at once on an error no retry can cure (`orchestration.permanent_errors`),
    so the refresh fails fast saying what to fix."""

    memory_limit: str

    def _connect(self) -> duckdb.DuckDBPyConnection:
        config = {"custom_user_agent": "dagster", **self.connection_config}
        delay = FIRST_RETRY_DELAY
        for attempt in range(CONNECT_RETRIES + 1):
            try:
                return duckdb.connect(database=self.database, read_only=False, config=config)
            except (RuntimeError, duckdb.IOException) as exc:
                if attempt == CONNECT_RETRIES or permanent_errno(exc) is not None:
                    raise
                time.sleep(delay)
                delay *= 2

    @contextmanager
    def get_connection(self):
        con = self._connect()
        try:
            yield limit_memory(con, self.memory_limit)
        finally:
            con.close()


def build_resources(settings: Settings) -> dict:
    dbt_project = build_dbt_project()
    os.environ.setdefault("DBT_LOG_PATH", str(log_dir(target_dir(settings))))
    os.environ.update(CRM_GUARD_PYTHON=sys.executable, CRM_GUARD_DBT=str(DBT_EXECUTABLE))  # read by bin/dbt
    return {
        "duckdb": WarehouseResource(database=str(settings.warehouse), memory_limit=settings.duckdb_memory_limit),
        "dbt": LocalDbtCliResource(
            project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=str(DBT_GUARDED)
        ),
    }
