"""Errors no retry can cure fail the refresh at once, saying what to fix: a read-only warehouse
folder is found before the refresh starts, and an ingestion asset that meets one mid-run fails
without its retries. Read-only here is real: a tmpfs remounted read-only (root ignores chmod);
skipped where mounting is not permitted, failed in CI."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.settings import PROJECT_DIR
from orchestration.permanent_errors import permanent_errno
from orchestration.preflight import PreflightError, preflight
from tests.helpers import env_for, settings_for


def _mount(mount: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(mount)],
                          capture_output=True, text=True)


@pytest.fixture
def read_only_warehouse(tmp_path) -> Path:
    """A data folder whose warehouse folder is a read-only tmpfs holding an existing warehouse file."""
    data = tmp_path / "data"
    mount = data / "ro"
    mount.mkdir(parents=True)
    done = _mount(mount, "size=4m")
    if done.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs in CI: {done.stderr.strip()}")
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        duckdb.connect(str(mount / "warehouse.duckdb")).close()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield data
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize(("error", "expected"), [
    (OSError(errno.EROFS, "Read-only file system"), errno.EROFS),
    (PermissionError(errno.EACCES, "Permission denied"), errno.EACCES),
    (duckdb.IOException('Cannot open file "w.duckdb": No space left on device'), errno.ENOSPC),
    (FileNotFoundError(errno.ENOENT, "No such file or directory"), None),
    (duckdb.IOException("Could not set lock on file: Resource temporarily unavailable"), None),
])
def test_permanent_errors_are_told_from_transient_ones(error, expected):
    assert permanent_errno(error) == expected
    try:  # found through the chain, as when a loader wraps the error
        raise RuntimeError("loading failed") from error
    except RuntimeError as wrapped:
        assert permanent_errno(wrapped) == expected


def test_preflight_names_the_read_only_warehouse_and_what_to_do(read_only_warehouse):
    settings = replace(settings_for(read_only_warehouse), warehouse=read_only_warehouse / "ro" / "warehouse.duckdb")
    with pytest.raises(PreflightError) as failure:
        preflight(settings)
    message = str(failure.value)
    assert f"warehouse folder {read_only_warehouse / 'ro'}" in message
    assert "read-only file system" in message and "CRM_WAREHOUSE" in message


@pytest.mark.slow  # a headless refresh in a child process
def test_a_refresh_on_a_read_only_warehouse_fails_at_once_saying_what_to_fix(read_only_warehouse):
    warehouse = read_only_warehouse / "ro" / "warehouse.duckdb"
    env = env_for(read_only_warehouse) | {"CRM_WAREHOUSE": str(warehouse)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "orchestration.refresh"], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr[-2000:]
    assert time.monotonic() - started < 60
    assert done.stdout.strip().splitlines()[-1] == (
        f"Refresh failed before it started: warehouse folder {warehouse.parent} is on a read-only file system: "
        "mount it writable or point CRM_WAREHOUSE at a writable folder (Read-only file system)")
    assert not (read_only_warehouse / "dagster_home").exists(), "nothing may have started"


def test_an_ingestion_asset_fails_once_without_retries_on_a_read_only_warehouse(read_only_warehouse, monkeypatch):
    from ingestion.contract import load_contracts
    from ingestion.settings import load_settings
    from orchestration.ingestion_assets import build_ingestion_asset
    from orchestration.resources import build_resources

    for name, value in env_for(read_only_warehouse).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CRM_WAREHOUSE", str(read_only_warehouse / "ro" / "warehouse.duckdb"))
    opened = []
    monkeypatch.setattr(duckdb, "connect", lambda *a, _connect=duckdb.connect, **kw: opened.append(a or kw) or _connect(*a, **kw))
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([build_ingestion_asset(load_contracts()["orders"])],
                            resources=build_resources(load_settings()), instance=instance, raise_on_error=False)
    assert not result.success
    events = instance.all_logs(result.run_id)
    kinds = [e.dagster_event.event_type for e in events if e.dagster_event]
    assert dg.DagsterEventType.STEP_UP_FOR_RETRY not in kinds
    [failure] = [e.dagster_event.event_specific_data for e in events
                 if e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.STEP_FAILURE]
    assert "is on a read-only file system: mount it writable or point CRM_WAREHOUSE" in failure.error.message
    assert len(opened) == 1, "a read-only warehouse must not be opened again and again (DuckDBResource's backoff)"
