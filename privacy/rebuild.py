"""Load, build and publish without Dagster: what erasure (and the privacy tests) need to bring
every layer back in line with the landing zone after personal data was removed.

dbt runs as a child process (the same `dbt build` the Dagster asset runs), so a failure or a kill
never leaves dbt state behind in the caller, and its artifacts go to `$CRM_DATA_DIR/dbt_target`.
"""
from __future__ import annotations

import os
import subprocess
import sys


from ingestion.connection import connect_warehouse
from ingestion.contract import load_contracts
from ingestion.ledger import LoadResult
from ingestion.loader import load_entity
from ingestion.settings import PROJECT_DIR, Settings
from serving.publish import PublishResult, publish

DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
DBT_ENTRY = "from dbt.cli.main import cli; cli()"


class RebuildError(RuntimeError):
    """dbt build or publishing failed; the previous serving copy is left as it was."""


def load_landing(settings: Settings) -> list[LoadResult]:
    """Load every new delivery of every contract into raw (files seen before are skipped)."""
    results: list[LoadResult] = []
    with connect_warehouse(settings) as con:
        for contract in load_contracts().values():
            results += load_entity(con, contract, settings.landing_dir)
    return results


def dbt_command(settings: Settings, *args: str) -> list[str]:
    target = settings.data_dir / "dbt_target"
    return [sys.executable, "-c", DBT_ENTRY, *args, "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target),
            "--log-path", str(target / "logs")]


def dbt_env(settings: Settings) -> dict[str, str]:
    return os.environ | {"CRM_WAREHOUSE": str(settings.warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}


MODELS_ONLY = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


def dbt_build(settings: Settings, *extra: str, full_refresh: bool = False, timeout: float = 600) -> None:
    """`dbt build`: seeds, models and their tests. `full_refresh` rebuilds incremental models from
    scratch, as erasure needs (an incremental run would keep the erased person's rows in them);
    `*MODELS_ONLY` skips the tests, for checks that already ran them on the same data."""
    args = ["build", *extra, *(["--full-refresh"] if full_refresh else [])]
    done = subprocess.run(dbt_command(settings, *args), env=dbt_env(settings), capture_output=True, text=True,
                          timeout=timeout, cwd=PROJECT_DIR)
    if done.returncode != 0:
        lines = (done.stdout + done.stderr).strip().splitlines()
        errors = [line for line in lines if "rror" in line or "No space" in line][:10]
        raise RebuildError(f"dbt {' '.join(args)} failed (exit {done.returncode}):\n" + "\n".join(errors + lines[-10:]))


def republish(settings: Settings) -> PublishResult:
    with connect_warehouse(settings) as con:
        return publish(con, settings.serving_dir)


def rebuild(settings: Settings, full_refresh: bool = False) -> PublishResult:
    """dbt build, then publish: the serving copy is replaced only if every model and test passed."""
    dbt_build(settings, full_refresh=full_refresh)
    return republish(settings)


def build_everything(settings: Settings) -> PublishResult:
    load_landing(settings)
    return rebuild(settings)
