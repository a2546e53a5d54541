"""Shared fixtures. Every test writes under a temporary folder, never under ./data."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Set before any pipeline module reads the environment (settings are resolved at call time).
_SESSION_DATA = Path(tempfile.mkdtemp(prefix="crm-test-data-"))
atexit.register(shutil.rmtree, _SESSION_DATA, ignore_errors=True)
os.environ["CRM_DATA_DIR"] = str(_SESSION_DATA)
os.environ["CRM_LANDING_DIR"] = str(_SESSION_DATA / "landing")
os.environ["CRM_WAREHOUSE"] = str(_SESSION_DATA / "warehouse.duckdb")
os.environ["DAGSTER_HOME"] = str(_SESSION_DATA / "dagster_home")
os.environ["GX_ANALYTICS_ENABLED"] = "False"
os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
os.environ["DO_NOT_TRACK"] = "1"
(_SESSION_DATA / "dagster_home").mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """Parse the dbt project once per session (Dagster builds the dbt assets from it)."""
    from orchestration.manifest import prepare_manifest
    from orchestration.project import manifest_file

    prepare_manifest()
    return manifest_file()


@pytest.fixture(scope="session")
def definitions(dbt_manifest):
    from orchestration.definitions import build_definitions

    return build_definitions()


def materialize_everything():
    """Every asset and check of the code location, all days of the daily partitions, one run."""
    import dagster as dg

    from ingestion.settings import load_settings
    from orchestration.definitions import all_assets  # needs the dbt manifest (session fixture)
    from orchestration.partitions import all_days, partition_range_tags
    from orchestration.resources import build_resources

    return dg.materialize(all_assets(), resources=build_resources(load_settings()),
                          instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                          tags=partition_range_tags(*all_days()))


@pytest.fixture(scope="session")
def pipeline(dbt_manifest):
    """The tiny sample (seed 7, 2024-2025) generated and materialized once, for every test that
    reads a complete warehouse (end to end, warehouse checks). Tests that change it undo it."""
    from ingestion.generate import generate
    from ingestion.settings import load_settings

    settings = load_settings()
    generate(settings.landing_dir, seed=7, size="tiny")
    return settings, materialize_everything()
