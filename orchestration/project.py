"""The dbt project as Dagster sees it: where it lives and where its manifest is.

The manifest is prepared by `python -m orchestration.manifest` (run by `make run`, `make dev` and
the test session fixture), never at import time, so loading the definitions stays fast.
"""
from __future__ import annotations

from pathlib import Path

from dagster_dbt import DbtProject

from ingestion.settings import PROJECT_DIR

DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def manifest_path() -> Path:
    if not MANIFEST_PATH.exists():
        raise FileNotFoundError(
            f"{MANIFEST_PATH} is missing: run `make manifest` (or `python -m orchestration.manifest`) first"
        )
    return MANIFEST_PATH
