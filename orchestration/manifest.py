"""Parse the dbt project once so that Dagster can build its assets from the manifest."""
from __future__ import annotations

import os

from dbt.cli.main import dbtRunner

from ingestion.settings import load_settings
from orchestration.project import DBT_PROJECT_DIR, dbt_target_dir, manifest_file


def prepare_manifest() -> None:
    # dbt needs the variable set to render profiles.yml, even though parse opens no connection.
    os.environ.setdefault("CRM_WAREHOUSE", str(load_settings().warehouse))
    result = dbtRunner().invoke([
        "parse", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(dbt_target_dir()), "--log-path", str(dbt_target_dir() / "logs"), "--quiet",
    ])
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")


if __name__ == "__main__":
    prepare_manifest()
    print(f"dbt manifest written to {manifest_file()}")
