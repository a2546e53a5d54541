"""The dbt project as Dagster sees it: where its manifest is, and the `DbtProject` for the assets.

Paths and flags come from `transform.dbt`, the one place that says how dbt is invoked. The
manifest is prepared by `python -m orchestration.manifest` (run by `make run`, `make dev` and the
test session fixture), never at import time, so loading the definitions stays fast.
"""
from __future__ import annotations

from pathlib import Path

from dagster_dbt import DbtProject

from transform.dbt import DBT_PROJECT_DIR, target_dir


def manifest_file() -> Path:
    return target_dir() / "manifest.json"


def build_dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=target_dir())


def manifest_path() -> Path:
    path = manifest_file()
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make manifest` (or `python -m orchestration.manifest`) first")
    return path
