"""The incremental models end equal to a full refresh.

On a generated tiny sample (seed 7): the warehouse first holds only the web sessions and bank
transactions before a cutoff, and the events of the sessions of the last two days before it are
held back (late-arriving events). After a first build, the held-back rows are delivered and an
incremental run follows; its int_web_sessions and int_payment_matches must equal those of a
--full-refresh run. The late events fall inside the look-back window (var
incremental_lookback_days, default 3), so the incremental run must pick them up.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import load_contracts
from ingestion.loader import load_entity
from tests.test_dbt_project import invoke_dbt

REPO = Path(__file__).resolve().parents[1]
SELECT = ["--select", "+int_web_sessions", "+int_payment_matches"]
CUTOFF = "2025-12-15"
HELD_BACK = {
    "web_sessions": f"session_start >= timestamp '{CUTOFF}'",
    "web_events": (
        "session_id in (select session_id from raw.web_sessions "
        f"where session_start >= timestamp '{CUTOFF}' - interval 2 day)"
    ),
    "bank_transactions": f"booking_date >= date '{CUTOFF}'",
}


def snapshot(warehouse: Path, table: str, key: str) -> list[tuple]:
    # same configuration as the connection dbt-duckdb keeps open in this process
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(f"select * from intermediate.{table} order by {key}").fetchall()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    landing = root / "landing"
    subprocess.run(
        [sys.executable, "-m", "ingestion.generate", "--out", str(landing), "--size", "tiny", "--seed", "7"],
        cwd=REPO, check=True, capture_output=True,
    )
    path = root / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        for contract in load_contracts().values():
            load_entity(con, contract, landing)
    return path


def test_incremental_run_equals_full_refresh(warehouse, tmp_path):
    with duckdb.connect(str(warehouse)) as con:
        for table, condition in HELD_BACK.items():
            con.execute(f"create table raw._held_{table} as select * from raw.{table} where {condition}")
        for table, condition in HELD_BACK.items():  # events first were copied while sessions were complete
            con.execute(f"delete from raw.{table} where rowid in (select rowid from raw.{table} where {condition})"
                        if table != "web_events" else
                        f"delete from raw.web_events where event_id in (select event_id from raw._held_web_events)")
        held = {t: con.execute(f"select count(*) from raw._held_{t}").fetchone()[0] for t in HELD_BACK}
    assert all(count > 0 for count in held.values()), held

    invoke_dbt(["run", *SELECT], tmp_path / "target", warehouse)
    sessions_before = snapshot(warehouse, "int_web_sessions", "session_id")

    with duckdb.connect(str(warehouse)) as con:
        for table in HELD_BACK:
            con.execute(f"insert into raw.{table} select * from raw._held_{table}")
    invoke_dbt(["run", *SELECT], tmp_path / "target", warehouse)
    incremental = {
        "int_web_sessions": snapshot(warehouse, "int_web_sessions", "session_id"),
        "int_payment_matches": snapshot(warehouse, "int_payment_matches", "transaction_id"),
    }
    assert len(incremental["int_web_sessions"]) > len(sessions_before)

    invoke_dbt(["run", "--full-refresh", *SELECT], tmp_path / "target", warehouse)
    full = {
        "int_web_sessions": snapshot(warehouse, "int_web_sessions", "session_id"),
        "int_payment_matches": snapshot(warehouse, "int_payment_matches", "transaction_id"),
    }
    for table in full:
        assert incremental[table] == full[table], f"{table}: incremental run differs from a full refresh"
