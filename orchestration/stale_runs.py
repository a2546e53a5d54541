"""Runs left behind by a killed refresh: mark them failed and give back their concurrency slots.

A run killed with SIGKILL stays STARTED in the Dagster instance and keeps its slot in the
`warehouse` pool; nothing frees it, and every later run waits for that slot without a word.
The headless refresh tags its runs with its process id, host and data folder. At start, holding
`$CRM_DATA_DIR/.refresh.lock`, it knows that no other headless refresh of its data folder runs,
so every unfinished run tagged with that folder is orphaned; a tagged run of another folder is
orphaned once its process is gone. Runs launched by the daemon or UI carry no process id
(Dagster's default run launcher records none): `run_monitoring` in config/dagster.yaml fails
those that hang while starting or canceling and frees the slots of finished runs.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import dagster as dg

NOT_FINISHED = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTING,
                dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
PID_TAG, HOST_TAG, DATA_DIR_TAG = "crm/refresh_pid", "crm/refresh_host", "crm/data_dir"


def refresh_tags(data_dir: Path) -> dict[str, str]:
    """Tags that tie a headless refresh's run to its process."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname(), DATA_DIR_TAG: str(data_dir)}


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError):
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _orphaned(run: dg.DagsterRun, data_dir: Path) -> bool:
    # Holding the lock of `data_dir`, no run of it is alive; another folder's run, while its process is.
    return run.tags.get(DATA_DIR_TAG) == str(data_dir) or not _alive(run.tags.get(PID_TAG, ""))


def end_run(instance: dg.DagsterInstance, run: dg.DagsterRun, message: str, canceled: bool = False) -> None:
    """Mark `run` failed (or canceled) and free every concurrency slot it holds or waits for."""
    if canceled:
        instance.report_run_canceled(run, message=message)
    else:
        instance.report_run_failed(run, message=message)
    if instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


def release_orphaned_runs(instance: dg.DagsterInstance, data_dir: Path) -> list[str]:
    """End the runs of killed headless refreshes on this host, and free slots still held by finished
    runs; the ids of the runs ended or freed."""
    unfinished = instance.get_runs(filters=dg.RunsFilter(statuses=NOT_FINISHED,
                                                         tags={HOST_TAG: socket.gethostname()}))
    ended = []
    for run in unfinished:
        if _orphaned(run, data_dir):
            end_run(instance, run, f"The refresh process (pid {run.tags.get(PID_TAG)}) is gone: it was killed. "
                                   "Marked failed and its concurrency slots freed by the next refresh.")
            ended.append(run.run_id)
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        for run_id in storage.get_concurrency_run_ids() - set(ended):
            run = instance.get_run_by_id(run_id)
            if run is None or run.is_finished:
                storage.free_concurrency_slots_for_run(run_id)
                ended.append(run_id)
    return ended


def end_own_runs(instance: dg.DagsterInstance, message: str) -> None:
    """Mark this process's unfinished runs canceled and free their slots (a refresh stopped by a signal)."""
    mine = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=NOT_FINISHED, tags=mine)):
        end_run(instance, run, message, canceled=True)
