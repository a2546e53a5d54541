"""Dagster's SQLite event log, keeping one engine per database instead of building one per event.

Dagster's `SqliteEventLogStorage` builds a new SQLAlchemy engine for every read and write and
drops it afterwards. So every event compiles its statements again (SQLAlchemy caches compiled
statements on the engine), opens the index database again and asks again whether a table exists.
A first refresh writes one materialization event per daily partition and asset, thousands of
them, and that per-event setup, not the writes, was the largest part of its Dagster time
(BENCHMARKS.md).

In every other respect this is Dagster's own storage: same files, schema, WAL mode and lock, so
the UI follows a live run as before, and a killed refresh loses nothing Dagster's would keep. Its
commits skip the fsync (`synchronous=NORMAL`, SQLite's advice in WAL mode): durable when the
process is killed, at risk only of losing the last events on a power cut. `config/dagster.yaml`
selects it.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from contextlib import ExitStack, contextmanager
from typing import Iterator, Sequence

import dagster as dg
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

# Engines kept for run databases besides the index: a refresh writes one run at a time, the UI
# reads a few; older ones are dropped.
OPEN_RUN_SHARDS = 4


def default_base_dir(home: str) -> str:
    """Where Dagster keeps an instance's event logs by default: <home>/history/runs."""
    return os.path.join(home, "history", "runs", "")


def _commit_without_fsync(dbapi_connection, _record) -> None:
    """SQLite's advice for WAL databases (Dagster puts its event logs in WAL mode): a commit survives
    a killed process without an fsync; only a power cut may lose the last few, never corrupting."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class SqliteEventLog(SqliteEventLogStorage):
    """`SqliteEventLogStorage` with one engine per database, kept; the index's connection stays open."""

    def __init__(self, base_dir: str | None = None, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_found: set[str] = set()
        self._batch: ExitStack | None = None  # the open transactions of `store_event_batch`
        self._batch_thread: int | None = None
        self._batch_connections: dict[str, Connection] = {}
        self._inst_data = inst_data
        if base_dir:
            super().__init__(base_dir, inst_data=inst_data)

    def register_instance(self, instance: dg.DagsterInstance) -> None:
        """Without a configured `base_dir`, the databases go where Dagster's own storage keeps them,
        in the home of the instance this storage belongs to (known only now: an instance opened with
        `DagsterInstance.from_config(home)` need not be $DAGSTER_HOME's)."""
        if not hasattr(self, "_base_dir"):
            super().__init__(default_base_dir(instance.root_directory), inst_data=self._inst_data)
        super().register_instance(instance)

    @classmethod
    def config_type(cls):
        return {"base_dir": dg.Field(dg.StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> "SqliteEventLog":
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                # A run's database is closed after every write, as Dagster does: closing checkpoints
                # its WAL into `<run_id>.db`, the file the UI watches to follow the run live.
                # The index stays open; its connections are used under `_db_lock` only.
                **({} if shard == INDEX_SHARD_NAME else {"poolclass": NullPool}),
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            event.listen(engine, "connect", _commit_without_fsync)
        self._engines[shard] = engine
        runs = [name for name in self._engines if name != INDEX_SHARD_NAME]
        for old in runs[:-OPEN_RUN_SHARDS]:
            self._engines.pop(old).dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        if self._batch is not None and self._batch_thread == threading.get_ident():
            yield self._batch_connection(shard)
            return
        with self._db_lock:
            with self._engine_connection(shard) as conn:
                yield conn

    @contextmanager
    def _engine_connection(self, shard: str) -> Iterator[Connection]:
        engine = self._engine(shard)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        with engine.connect() as conn, conn.begin():
            yield conn

    def _batch_connection(self, shard: str) -> Connection:
        if shard not in self._batch_connections:
            self._batch_connections[shard] = self._batch.enter_context(self._engine_connection(shard))
        return self._batch_connections[shard]

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """The events of one batch (Dagster sends an asset's per-partition materializations as one
        when DAGSTER_EVENT_BATCH_SIZE is set: orchestration/__init__.py), stored as Dagster stores
        each, in one transaction per database instead of two per event. A run killed meanwhile
        keeps none of the batch, as if the step had not got that far."""
        with self._db_lock, ExitStack() as batch:
            self._batch, self._batch_thread, self._batch_connections = batch, threading.get_ident(), {}
            try:
                for event in events:
                    self.store_event(event)
            finally:
                self._batch, self._batch_thread, self._batch_connections = None, None, {}

    def has_table(self, table_name: str) -> bool:
        """Dagster asks before every asset event whether a newer table exists, with a new engine
        each time; a table once found stays (migrations add tables, never drop them)."""
        if table_name not in self._tables_found and super().has_table(table_name):
            self._tables_found.add(table_name)
        return table_name in self._tables_found

    def _close_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._close_engines()
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()
