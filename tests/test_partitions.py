"""Daily partitions: a single-run backfill of two days gives the same marts as two nightly runs.

On the generated tiny sample (seed 7) the web sessions and events and the bank transactions from
2025-12-10 on are held back; the warehouse is built from the rest (the history). Then the two
days 2025-12-10 and 11 arrive either one per night, each followed by the run of that day's partition,
or all at once, followed by one backfill run over the two partitions. Both ways must end with
the same incremental models and the same marts built on them.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.settings import load_settings
from tests.helpers import load_all, seeded_resources
from transform.dbt import WINDOW_ENV, target_dir, window_env

DAYS = ["2025-12-10", "2025-12-11"]
BEFORE_FIRST_DAY = "2025-12-09"
# Local (Berlin, UTC+1 in December) day d as UTC bounds on a naive UTC timestamp.
LOCAL_DAY_UTC = "(session_start + interval 1 hour)::date"
HELD_BACK = {  # table -> its local date
    "web_sessions": LOCAL_DAY_UTC,
    "bank_transactions": "booking_date",
}


def dbt_assets_and_keys():
    """Every asset; the daily-partitioned dbt multi-asset; the dbt models a delivery of the held-back
    tables changes (what a nightly run rebuilds of them), as asset keys."""
    from orchestration.definitions import all_assets  # needs the dbt manifest (session fixture)
    from orchestration.resources import build_resources

    # Without the Great Expectations checks (tests/test_warehouse_checks.py): this compares dbt's results.
    assets = [a for a in all_assets() if not isinstance(a, dg.AssetChecksDefinition)]
    daily = next(a for a in assets if a.op.name == "dbt_daily_models")
    dbt_keys = {k for a in assets if a.op.name.startswith("dbt_") for k in a.keys}
    graph = dg.Definitions(assets=assets, resources=build_resources(load_settings())).resolve_asset_graph()
    raw = [dg.AssetKey(["raw", t]) for t in ("web_sessions", "web_events", "bank_transactions")]
    downstream = dg.AssetSelection.assets(*raw).downstream().resolve(graph)
    tables = {k for k in downstream & dbt_keys if k.path[0] in ("staging", "intermediate", "marts")}
    return assets, daily, sorted(tables, key=lambda k: k.path)


def warehouse_in(folder: Path) -> Path:
    """A warehouse file in a new `folder`, named as every warehouse of the suite (tests.helpers.seed_parse)."""
    folder.mkdir(parents=True)
    return folder / "warehouse.duckdb"


def materialize(warehouse: Path, instance: dg.DagsterInstance, selection, **kw) -> dg.ExecuteInProcessResult:
    assets, _, _ = dbt_assets_and_keys()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CRM_WAREHOUSE", str(warehouse))  # dbt's profile and the DuckDB resource
        # Models only: their dbt tests are asset checks that every other pipeline test runs.
        result = dg.materialize(assets, selection=dg.AssetSelection.assets(*selection).without_checks(), resources=seeded_resources(),
                                instance=instance, raise_on_error=False, **kw)
    assert result.success, [e.message for e in result.all_events if e.is_step_failure]
    return result


def hold_back(con: duckdb.DuckDBPyConnection) -> None:
    for table, day in HELD_BACK.items():
        con.execute(f"create table raw._held_{table} as select * from raw.{table} where {day} >= date '{DAYS[0]}'")
        con.execute(f"delete from raw.{table} where {day} >= date '{DAYS[0]}'")
    con.execute("create table raw._held_web_events as select * from raw.web_events "
                "where session_id in (select session_id from raw._held_web_sessions)")
    con.execute("delete from raw.web_events where event_id in (select event_id from raw._held_web_events)")


def release(warehouse: Path, days: list[str]) -> None:
    """The deliveries of these days arrive (sessions with their events, bank transactions), each
    stamped as loaded the night after its day, after the history, whichever way it arrives (a
    staging model incremental on loads takes the rows loaded since its latest load)."""
    in_days = ", ".join(f"date '{d}'" for d in days)
    nights_later = f"date_diff('day', date '{BEFORE_FIRST_DAY}', day)"
    stamped = f"select * exclude (day) replace (_loaded_at + to_days({nights_later}) as _loaded_at)"
    with duckdb.connect(str(warehouse)) as con:
        for table, day in HELD_BACK.items():
            con.execute(f"insert into raw.{table} {stamped} "
                        f"from (select *, {day} as day from raw._held_{table}) where day in ({in_days})")
        con.execute(f"insert into raw.web_events {stamped} from raw._held_web_events join (select session_id, "
                    f"{LOCAL_DAY_UTC} as day from raw._held_web_sessions) using (session_id) where day in ({in_days})")


# Columns that say when a table was built, not what it holds: data_status's age of the last good
# load depends on the build's clock, and the backfill and the nightly runs build at other moments.
BUILD_TIME_COLUMNS = ("built_at", "hours_since_last_good")


def snapshot(warehouse: Path, keys: list[dg.AssetKey], ignored: tuple[str, ...] = BUILD_TIME_COLUMNS) -> dict[str, list[tuple]]:
    """Every row of each table, sorted, without the `ignored` columns."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {}
        for key in keys:
            columns = con.execute(
                "select table_schema, column_name from information_schema.columns where table_name = ? "
                "and list_position(?, column_name) is null order by ordinal_position", [key.path[-1], list(ignored)]).fetchall()
            quoted = ", ".join(f'"{c}"' for _, c in columns)
            tables[key.path[-1]] = con.execute(f"select {quoted} from {columns[0][0]}.{key.path[-1]} order by all").fetchall()
        return tables


@pytest.fixture(scope="module")
def history(dbt_manifest, sample_landing) -> Path:
    """A warehouse built from everything before the first of DAYS, as a nightly run leaves it."""
    root = load_settings().data_dir / "partitions"
    root.mkdir()
    warehouse = warehouse_in(root / "history")
    load_all(warehouse, sample_landing)
    with duckdb.connect(str(warehouse)) as con:
        hold_back(con)
    assets, daily, _ = dbt_assets_and_keys()
    dbt_keys = [k for a in assets if a.op.name.startswith("dbt_") for k in a.keys]
    first = daily.partitions_def.get_first_partition_key()
    materialize(warehouse, dg.DagsterInstance.ephemeral(), dbt_keys,
                tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": BEFORE_FIRST_DAY})
    return warehouse


def test_backfill_of_two_days_equals_two_nightly_runs(history):
    _, daily, rebuilt = dbt_assets_and_keys()
    root = history.parent.parent

    nightly = warehouse_in(root / "nightly")
    shutil.copy(history, nightly)
    nightly_instance = dg.DagsterInstance.ephemeral()
    for day in DAYS:
        release(nightly, [day])
        materialize(nightly, nightly_instance, rebuilt, partition_key=day)

    backfill = warehouse_in(root / "backfill")
    shutil.copy(history, backfill)
    release(backfill, DAYS)
    backfill_instance = dg.DagsterInstance.ephemeral()
    result = materialize(backfill, backfill_instance, rebuilt,
                         tags={"dagster/asset_partition_range_start": DAYS[0], "dagster/asset_partition_range_end": DAYS[-1]})

    dbt_daily_steps = [e for e in result.all_events if e.is_step_success and e.step_key == "dbt_daily_models"]
    assert len(dbt_daily_steps) == 1, "the backfill is one run with one dbt invocation"
    daily_log = (target_dir() / "dbt_daily_models" / "dbt.log").read_text(encoding="utf-8")
    # Vars would force a full parse on every new window ("... because config vars, config profile, or
    # config target have changed"), which the window in the environment does not.
    assert "config vars" not in daily_log, "a window must not invalidate dbt's saved parse"
    for key in set(daily.keys) & set(rebuilt):
        assert set(DAYS) <= backfill_instance.get_materialized_partitions(key)
        assert set(DAYS) <= nightly_instance.get_materialized_partitions(key)

    before, after_nightly, after_backfill = (snapshot(w, rebuilt) for w in (history, nightly, backfill))
    assert after_backfill["int_web_sessions"] != before["int_web_sessions"], \
        "the two days must add sessions, or the comparison proves nothing"
    for table in after_nightly:
        assert after_backfill[table] == after_nightly[table], f"{table}: backfill differs from the nightly runs"


def test_the_window_reaches_dbt_as_environment_variables_only_while_dbt_starts(monkeypatch):
    """dagster-dbt hands this process's environment to dbt: a window left set would leak into the
    next (unpartitioned) dbt step."""
    monkeypatch.setenv(WINDOW_ENV["window_end"], "stale")
    with window_env({"window_start": "2025-12-10"}):
        assert os.environ[WINDOW_ENV["window_start"]] == "2025-12-10"
        assert WINDOW_ENV["window_end"] not in os.environ  # an open window has no end
    assert WINDOW_ENV["window_start"] not in os.environ
    assert os.environ[WINDOW_ENV["window_end"]] == "stale"
