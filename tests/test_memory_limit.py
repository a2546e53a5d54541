"""DuckDB's memory cap: one variable for the pipeline's own connections, Dagster's and dbt's."""
from __future__ import annotations

import re

import duckdb

from ingestion.connection import connect_warehouse
from ingestion.settings import DEFAULT_DUCKDB_MEMORY_LIMIT, PROJECT_DIR, load_settings
from orchestration.resources import build_resources


def _limit(con) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]


def _env(tmp_path, limit: str | None = None) -> dict[str, str]:
    env = {"CRM_DATA_DIR": str(tmp_path)}
    return env | {"CRM_DUCKDB_MEMORY_LIMIT": limit} if limit else env


def test_pipeline_connections_take_the_configured_cap(tmp_path):
    with connect_warehouse(load_settings(_env(tmp_path, "1GB"))) as con:
        assert _limit(con) == "953.6 MiB"  # DuckDB shows 1 GB (10^9 bytes) in MiB
        # Another plain connection to the open file still works (the cap is SET, not connection config).
        with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as other:
            assert _limit(other) == "953.6 MiB"


def test_the_dagster_resource_takes_the_configured_cap(tmp_path):
    resource = build_resources(load_settings(_env(tmp_path, "1500MB")))["duckdb"]
    with resource.get_connection() as con:
        assert _limit(con) == "1.3 GiB"


def test_dbt_profile_has_the_same_variable_and_default():
    profile = (PROJECT_DIR / "dbt_project" / "profiles.yml").read_text()
    assert re.search(r"memory_limit: \"\{\{ env_var\('CRM_DUCKDB_MEMORY_LIMIT', '(\w+)'\) \}\}\"", profile).group(1) \
        == DEFAULT_DUCKDB_MEMORY_LIMIT
    assert load_settings({}).duckdb_memory_limit == DEFAULT_DUCKDB_MEMORY_LIMIT
