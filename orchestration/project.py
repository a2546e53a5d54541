"""The dbt project as Dagster sees it: where it lives and where its manifest is.

dbt's artifacts go under the data folder (`$CRM_DATA_DIR/dbt_target`), like everything a run
produces, so tests and parallel checkouts never share them. The manifest is prepared by
`python -m orchestration.manifest` (run by `make run`, `make dev` and the test session
fixture), never at import time, so loading the definitions stays fast.
"""
from __future__ import annotations

from pathlib import Path

from dagster_dbt import DbtProject

from ingestion.settings import PROJECT_DIR, load_settings

DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
# dbt unit tests check the KPI formulas on fixed inputs: they run in the test suite
# (tests/test_dbt_project.py), not in every refresh, where they cost 15-18 s of fixed time.
REFRESH_BUILD_EXCLUDES = ("--exclude-resource-type", "unit_test")


def dbt_target_dir() -> Path:
    return load_settings().data_dir / "dbt_target"


def manifest_file() -> Path:
    return dbt_target_dir() / "manifest.json"


def build_dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=dbt_target_dir())


def manifest_path() -> Path:
    path = manifest_file()
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make manifest` (or `python -m orchestration.manifest`) first")
    return path
