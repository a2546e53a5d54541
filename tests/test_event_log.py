"""The instance's event log (orchestration.event_log) keeps its engines open and stays Dagster's own
SQLite event log: the project's dagster.yaml selects it, Dagster's stock storage reads what it
writes, a watcher (the UI following a run) hears its writes, and it keeps few files open."""
from __future__ import annotations

import shutil
import threading
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType, StepMaterializationData
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log import SqliteEventLogStorage

from ingestion.settings import PROJECT_DIR
from orchestration.event_log import OPEN_RUN_SHARDS, SqliteEventLog

STORAGE = SqliteEventLog
ASSET = dg.AssetKey(["daily", "orders"])


def materialization(run_id: str, day: str) -> EventLogEntry:
    event = DagsterEvent(
        DagsterEventType.ASSET_MATERIALIZATION.value, "full_refresh",
        event_specific_data=StepMaterializationData(dg.AssetMaterialization(asset_key=ASSET, partition=day)))
    return EventLogEntry(error_info=None, level=20, user_message="", run_id=run_id, timestamp=time.time(),
                         dagster_event=event, job_name="full_refresh", step_key="dbt_daily_models")


@pytest.fixture
def storage(tmp_path: Path):
    storage = STORAGE(str(tmp_path / "runs"))
    yield storage
    storage.dispose()


def test_the_projects_instance_uses_it_in_dagsters_folder_of_that_instance(tmp_path, monkeypatch):
    """In the home the instance was opened on, wherever $DAGSTER_HOME points (tests and tools open
    copied data folders with `DagsterInstance.from_config`)."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_DIR / "config" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "another_home"))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, SqliteEventLog)
        assert Path(storage._base_dir) == home / "history" / "runs"
        assert (home / "history" / "runs" / "index.db").exists()


def test_dagsters_own_storage_reads_what_it_wrote(storage, tmp_path):
    run_id = str(uuid.uuid4())
    for day in ("2026-12-01", "2026-12-02", "2026-12-03"):
        storage.store_event(materialization(run_id, day))
    storage.dispose()

    stock = SqliteEventLogStorage(str(tmp_path / "runs"))
    assert stock.get_materialized_partitions(ASSET) == {"2026-12-01", "2026-12-02", "2026-12-03"}
    assert len(stock.get_records_for_run(run_id).records) == 3


def test_a_watcher_hears_every_write(storage):
    """The UI follows a live run by watching its database file: writes must change that file
    (as SQLite's rollback journal does; WAL mode would write elsewhere and the UI would stall)."""
    run_id = str(uuid.uuid4())
    storage.store_event(materialization(run_id, "2026-12-01"))
    heard, second = [], threading.Event()

    def callback(entry, cursor):
        heard.append(entry.dagster_event.partition)
        if len(heard) == 1:
            second.set()

    storage.watch(run_id, None, callback)
    try:
        time.sleep(0.5)  # the observer starts
        storage.store_event(materialization(run_id, "2026-12-02"))
        assert second.wait(10), "the watcher heard nothing of a new event"
    finally:
        storage.end_watch(run_id, callback)
    assert "2026-12-02" in heard


def test_it_keeps_the_index_and_a_few_recent_runs_open(storage):
    runs = [str(uuid.uuid4()) for _ in range(OPEN_RUN_SHARDS + 3)]
    for run_id in runs:
        storage.store_event(materialization(run_id, "2026-12-01"))
    assert set(storage._engines) == {"index", *runs[-OPEN_RUN_SHARDS:]}
    assert len(storage.get_records_for_run(runs[0]).records) == 1  # a closed run opens again
    storage.dispose()
    assert not storage._engines


def test_a_batch_is_one_transaction(storage, tmp_path, monkeypatch):
    run_id = str(uuid.uuid4())
    storage.store_event_batch([materialization(run_id, day) for day in ("2026-12-01", "2026-12-02")])
    assert storage.get_materialized_partitions(ASSET) == {"2026-12-01", "2026-12-02"}

    insert = storage.prepare_insert_event
    def fail_on_the_third(event):
        if event.dagster_event.partition == "2026-12-05":
            raise RuntimeError("killed")
        return insert(event)
    monkeypatch.setattr(storage, "prepare_insert_event", fail_on_the_third)
    with pytest.raises(RuntimeError):
        storage.store_event_batch([materialization(run_id, f"2026-12-0{d}") for d in (3, 4, 5)])
    assert storage.get_materialized_partitions(ASSET) == {"2026-12-01", "2026-12-02"}
    assert len(storage.get_records_for_run(run_id).records) == 2


def test_a_range_run_sends_its_days_as_batches(tmp_path, monkeypatch):
    """orchestration/__init__.py turns Dagster's batching on: without it, every day is stored alone."""
    import orchestration  # noqa: F401  (sets DAGSTER_EVENT_BATCH_SIZE)

    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_DIR / "config" / "dagster.yaml", home / "dagster.yaml")
    batches = []
    store_batch = SqliteEventLog.store_event_batch
    monkeypatch.setattr(SqliteEventLog, "store_event_batch",
                        lambda self, events: (batches.append(len(events)), store_batch(self, events)))

    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2026-11-01"))
    def daily() -> None:
        pass

    with dg.DagsterInstance.from_config(str(home)) as instance:
        result = dg.materialize([daily], instance=instance, tags={
            "dagster/asset_partition_range_start": "2026-11-01", "dagster/asset_partition_range_end": "2026-11-05"})
        assert result.success
        assert len(instance.get_materialized_partitions(daily.key)) == 5
    assert batches == [5]


def test_its_databases_are_in_wal_mode_and_commit_without_fsync(storage):
    run_id = str(uuid.uuid4())
    storage.store_event(materialization(run_id, "2026-12-01"))
    for connection in (storage.index_connection(), storage.run_connection(run_id)):
        with connection as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
