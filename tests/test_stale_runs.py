"""The runs of a killed headless refresh are marked failed and their pool slots freed; a live
refresh's run, and runs of the daemon or UI, are left alone."""
from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from pathlib import Path

import dagster as dg
import pytest

from orchestration.stale_runs import DATA_DIR_TAG, HOST_TAG, PID_TAG, release_orphaned_runs

POOL = "warehouse"


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        instance.event_log_storage.set_concurrency_slots(POOL, 1)
        yield instance


def _dead_pid() -> str:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return done.stdout.strip()


def _started_run(instance, tags: dict[str, str]) -> str:
    run = dg.DagsterRun(job_name="full_refresh", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.STARTED, tags=tags)
    instance.add_run(run)
    assert instance.event_log_storage.claim_concurrency_slot(POOL, run.run_id, "raw__orders").is_claimed
    return run.run_id


def _held(instance) -> set[str]:
    return instance.event_log_storage.get_concurrency_run_ids()


def test_a_killed_refresh_of_this_folder_is_failed_and_its_slot_freed(instance, tmp_path):
    run_id = _started_run(instance, {PID_TAG: _dead_pid(), HOST_TAG: socket.gethostname(), DATA_DIR_TAG: str(tmp_path)})
    assert release_orphaned_runs(instance, tmp_path) == [run_id]
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
    assert _held(instance) == set()
    assert instance.event_log_storage.claim_concurrency_slot(POOL, "next-run", "raw__orders").is_claimed


def test_a_live_refresh_of_another_folder_and_a_ui_run_keep_their_slots(instance, tmp_path):
    import os

    live = _started_run(instance, {PID_TAG: str(os.getppid()), HOST_TAG: socket.gethostname(),
                                   DATA_DIR_TAG: str(tmp_path / "other")})
    assert release_orphaned_runs(instance, tmp_path) == []
    assert instance.get_run_by_id(live).status == dg.DagsterRunStatus.STARTED and _held(instance) == {live}


def test_a_finished_run_still_holding_a_slot_gives_it_back(instance, tmp_path: Path):
    run_id = _started_run(instance, {})  # e.g. failed by run monitoring, its slot never freed
    instance.report_run_failed(instance.get_run_by_id(run_id))
    assert release_orphaned_runs(instance, tmp_path) == [run_id]
    assert _held(instance) == set()
