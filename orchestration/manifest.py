"""Parse the dbt project once so that Dagster can build its assets from the manifest."""
from __future__ import annotations

from orchestration.project import manifest_file
from transform.dbt import run_dbt


def prepare_manifest() -> None:
    # parse opens no connection: the settings' warehouse path only has to render in profiles.yml.
    run_dbt("parse")


if __name__ == "__main__":
    prepare_manifest()
    print(f"dbt manifest written to {manifest_file()}")
