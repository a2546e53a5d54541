"""The one way this project invokes dbt: where the project is, where its artifacts and log go,
which warehouse it opens, and the command itself.

Everything that runs dbt takes its command from here: the Dagster assets (through
`DbtCliResource`, which streams dbt's events), the manifest step, the benchmark and the tests.
Artifacts go under the data folder (`$CRM_DATA_DIR/dbt_target`), like everything a run produces,
so tests and parallel checkouts never share them. dbt reads the warehouse path from
`CRM_WAREHOUSE` (see `dbt_project/profiles.yml`).

`run_dbt` runs dbt in this process (fast: no second interpreter, and its memory is this
process's); `run_dbt_child` runs it as a child process, so that a failure or a kill leaves no dbt
state behind in the caller and a test can kill it mid-build.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

from ingestion.settings import PROJECT_DIR, Settings, load_settings

DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
TARGET_FOLDER = "dbt_target"
# dbt unit tests check the KPI formulas on fixed inputs: they run in the test suite
# (tests/test_dbt_project.py), not in every refresh, where they would add fixed time to each run.
REFRESH_BUILD_EXCLUDES = ("--exclude-resource-type", "unit_test")
CHILD_ENTRY = "from dbt.cli.main import cli; cli()"
PARTIAL_PARSE = "partial_parse.msgpack"


class DbtError(RuntimeError):
    """A dbt command failed; the message names the command and dbt's errors."""


def target_dir(settings: Settings | None = None) -> Path:
    return (settings or load_settings()).data_dir / TARGET_FOLDER


def log_dir(target: Path) -> Path:
    return target / "logs"


def vars_args(dbt_vars: Mapping[str, str] | None) -> list[str]:
    return ["--vars", json.dumps(dict(dbt_vars))] if dbt_vars else []


def dbt_args(*args: str, target: Path, dbt_vars: Mapping[str, str] | None = None) -> list[str]:
    """`args` plus what every invocation carries: project, profiles, target path, log path, vars."""
    return [*args, *vars_args(dbt_vars), "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target), "--log-path", str(log_dir(target))]


@contextmanager
def _warehouse_env(warehouse: Path):
    previous = os.environ.get("CRM_WAREHOUSE")
    os.environ["CRM_WAREHOUSE"] = str(warehouse)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("CRM_WAREHOUSE", None)
        else:
            os.environ["CRM_WAREHOUSE"] = previous


def run_dbt(*args: str, target: Path | None = None, warehouse: Path | None = None,
            dbt_vars: Mapping[str, str] | None = None):
    """dbt in this process against `warehouse` (default: the settings' one); its dbtRunnerResult
    (`.result.results` has one entry per node run). Raises DbtError naming the failed nodes."""
    from dbt.cli.main import dbtRunner  # dbt's import is slow: only where dbt runs

    settings = load_settings()
    with _warehouse_env(warehouse or settings.warehouse):
        result = dbtRunner().invoke(dbt_args(*args, "--quiet", target=target or target_dir(settings), dbt_vars=dbt_vars))
    if not result.success:
        failed = [f"{r.node.name}: {r.message}" for r in getattr(result.result, "results", None) or []
                  if r.status not in ("pass", "success")]
        raise DbtError(f"dbt {' '.join(args)} failed: {result.exception or failed}")
    return result


def child_command(*args: str, target: Path, dbt_vars: Mapping[str, str] | None = None) -> list[str]:
    """The command line of dbt as a child process of this interpreter."""
    return [sys.executable, "-c", CHILD_ENTRY, *dbt_args(*args, target=target, dbt_vars=dbt_vars)]


def child_env(settings: Settings) -> dict[str, str]:
    return os.environ | {"CRM_WAREHOUSE": str(settings.warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}


def run_dbt_child(*args: str, settings: Settings, target: Path | None = None, dbt_vars: Mapping[str, str] | None = None,
                  timeout: float | None = 600) -> None:
    """dbt as a child process on `settings`' warehouse (artifacts in `target`, default: under its
    data folder); raises DbtError naming the error lines and the last lines of dbt's output."""
    done = subprocess.run(child_command(*args, target=target or target_dir(settings), dbt_vars=dbt_vars), env=child_env(settings),
                          capture_output=True, text=True, timeout=timeout, cwd=PROJECT_DIR)
    if done.returncode != 0:
        lines = (done.stdout + done.stderr).strip().splitlines()
        errors = [line for line in lines if "rror" in line or "No space" in line][:10]
        raise DbtError(f"dbt {' '.join(args)} failed (exit {done.returncode}):\n" + "\n".join(errors + lines[-10:]))


def reuse_parse(step_target: Path, settings: Settings | None = None) -> Path:
    """Give a refresh step's own target folder the project's saved parse (`partial_parse.msgpack`,
    written by the manifest step), unless it has one from its last run, so that the step's dbt
    parses only what changed instead of the whole project. dagster-dbt would copy it only from
    `dbt_project/target`, where this project keeps nothing. A step whose vars differ from the
    saved parse's (the daily window) still parses in full: dbt hashes the vars."""
    saved = target_dir(settings) / PARTIAL_PARSE
    if saved.exists() and not (step_target / PARTIAL_PARSE).exists():
        step_target.mkdir(parents=True, exist_ok=True)
        shutil.copy(saved, step_target / PARTIAL_PARSE)
    return step_target


# The daily window as dbt reads it (macros/incremental_window.sql): environment variables, not vars,
# whose change each night would make dbt parse the whole project again.
WINDOW_ENV = {"window_start": "CRM_DBT_WINDOW_START", "window_end": "CRM_DBT_WINDOW_END"}


@contextmanager
def window_env(window: Mapping[str, str]):
    """The window's environment variables set while the block starts dbt (dagster-dbt hands this
    process's environment to it), and every one of them unset before and after."""
    saved = {name: os.environ.pop(name, None) for name in WINDOW_ENV.values()}
    os.environ.update({WINDOW_ENV[key]: value for key, value in window.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def refresh_build_args(tests: list[str], full_refresh: bool = False) -> list[str]:
    """`dbt build` of one refresh step: the models the caller selects (dagster-dbt adds them) and
    exactly `tests`, no test picked by the models it reads (`--indirect-selection empty`).
    `full_refresh` rebuilds incremental models from scratch, as erasure needs: an incremental run
    would keep rows since removed from raw."""
    args = ["build", *REFRESH_BUILD_EXCLUDES, "--indirect-selection", "empty", *(["--full-refresh"] if full_refresh else [])]
    if tests:
        args += ["--select", " ".join(tests)]
    return args
