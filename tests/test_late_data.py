"""Late data: which delivered rows change days before a run's window (`ingestion.late_data`).

A first delivery of exchange rates and sessions, then a second one after the last build: it repeats
some rows unchanged (an overlapping export), corrects two December rates and adds a session that
started at 23:30 UTC on 30 November (1 December in Berlin), and a rate for a day inside the window.
"""
from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.contract import create_raw_schema, load_contracts
from ingestion.late_data import late_rows
from ingestion.settings import load_settings
from orchestration.late_data import METADATA_KEY
from orchestration.partitions import daily_partitions
from tests.helpers import load_all
from tests.test_partitions import dbt_assets_and_keys, materialize, snapshot, warehouse_in

FIRST_LOAD = "2026-01-02 01:00:00"
BUILT = datetime(2026, 1, 2, 2, 0, tzinfo=timezone.utc)
SECOND_LOAD = "2026-01-07 01:00:00"
WINDOW_START = date(2026, 1, 6)
IGNORED = ("built_at", "last_loaded_at", "order_last_loaded_at")  # load times differ between the two warehouses


def test_a_business_date_must_name_a_date_or_timestamp_column(tmp_path):
    from ingestion.contract import CONTRACTS_DIR, _parse

    path = tmp_path / "orders.yaml"
    text = (CONTRACTS_DIR / "orders.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("business_date: ordered_at", "business_date: status"), encoding="utf-8")
    with pytest.raises(ValueError, match="orders.yaml: business_date 'status' must be a date or timestamp column"):
        _parse(path)


def _rates(con, loaded_at: str, rows: list[tuple[str, str]]) -> None:
    for day, rate in rows:
        con.execute("insert into raw.fx_rates (rate_date, currency, rate_to_reporting, _loaded_at) "
                    "values (?, 'USD', ?, ?)", [day, rate, loaded_at])


def test_only_changed_rows_before_the_window_count_with_their_local_days():
    con = duckdb.connect()
    create_raw_schema(con)
    _rates(con, FIRST_LOAD, [("2025-12-01", "0.91"), ("2025-12-02", "0.92"), ("2025-12-03", "0.93")])
    _rates(con, SECOND_LOAD, [("2025-12-01", "0.91"), ("2025-12-02", "0.95"), ("2025-12-03", "0.96"),
                              ("2026-01-06", "0.90")])
    con.execute("insert into raw.web_sessions (session_id, user_pseudo_id, session_start, _loaded_at) values "
                "('late', 'u', timestamp '2025-11-30 23:30:00', ?)", [SECOND_LOAD])
    contracts = list(load_contracts().values())

    late = {r.entity: r for r in late_rows(con, contracts, BUILT, WINDOW_START, "Europe/Berlin")}

    assert set(late) == {"fx_rates", "web_sessions"}
    rates = late["fx_rates"]
    assert (rates.rows, rates.first_day, rates.last_day) == (2, date(2025, 12, 2), date(2025, 12, 3))
    assert rates.describe() == "fx_rates: 2 rows changed for 2025-12-02 to 2025-12-03"
    assert late["web_sessions"].first_day == date(2025, 12, 1), "the session's day is its day in Berlin"
    assert late_rows(con, contracts, datetime(2026, 1, 8, tzinfo=timezone.utc), WINDOW_START, "Europe/Berlin") == []


@pytest.fixture(scope="module")
def landing(sample_landing) -> Path:
    """The session sample's delivery files, in a folder of this module's own."""
    folder = load_settings().data_dir / "late_data" / "landing"
    shutil.copytree(sample_landing, folder)
    return folder


def only_raw(warehouse: Path, copy: Path) -> None:
    """A copy of `warehouse` with its raw layer only: what loading every delivery again would give,
    for a build from scratch."""
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        schemas = con.execute("select schema_name from information_schema.schemata where catalog_name = current_database() "
                              "and schema_name not in ('raw', 'main', 'information_schema', 'pg_catalog')").fetchall()
        for (schema,) in schemas:
            con.execute(f'drop schema "{schema}" cascade')


def build_all(warehouse: Path, instance: dg.DagsterInstance, **partitions) -> dg.ExecuteInProcessResult:
    assets, _, _ = dbt_assets_and_keys()
    keys = [k for a in assets if a.op.name.startswith("dbt_") for k in a.keys]
    return materialize(warehouse, instance, keys, **partitions)


def deliver_corrected_rates(warehouse: Path, landing: Path) -> str:
    """A file correcting every rate of the first month with a bank transaction in a foreign
    currency (its EUR amount is computed in staging, its payment match rebuilt by date); the month."""
    with duckdb.connect(str(warehouse)) as con:
        month = con.execute("select strftime(min(booking_date), '%Y-%m') from raw.bank_transactions "
                            "where currency <> 'EUR'").fetchone()[0]
        con.execute(f"""copy (select rate_date, currency, round(rate_to_reporting * 1.05, 6) as rate_to_reporting
                        from raw.fx_rates where strftime(rate_date, '%Y-%m') = '{month}' order by all)
                        to '{landing / "finance" / "fx_rates" / f"fx_rates_{month}_corrected.csv"}' (header)""")
    return month


def test_a_late_correction_rebuilds_its_days_and_equals_a_clean_build(landing, built_sample):
    root = landing.parent
    assets, daily, _ = dbt_assets_and_keys()
    compared = [k for k in daily.keys if k.path[0] == "intermediate"]
    compared += [k for a in assets if a.op.name.startswith("dbt_") for k in a.keys
                 if k.path[0] == "marts" and k.path[-1] != "data_status"]  # data_status reports the loads themselves
    all_days = {"tags": {"dagster/asset_partition_range_start": daily_partitions().get_first_partition_key(),
                         "dagster/asset_partition_range_end": daily_partitions().get_last_partition_key()}}
    # The session's build of every file so far, its daily models recorded as built now.
    refreshed, instance = warehouse_in(root / "refreshed"), dg.DagsterInstance.ephemeral()
    shutil.copy(built_sample / "warehouse.duckdb", refreshed)
    for key in daily.keys:
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key))
    before = snapshot(refreshed, compared, IGNORED)

    month = deliver_corrected_rates(refreshed, landing)
    load_all(refreshed, landing)
    clean = warehouse_in(root / "clean")
    only_raw(refreshed, clean)
    nightly = build_all(refreshed, instance, partition_key=daily_partitions().get_last_partition_key())

    notices = {e.event_specific_data.asset_observation.metadata[METADATA_KEY].value
               for e in nightly.all_events if e.event_type == dg.DagsterEventType.ASSET_OBSERVATION}
    assert len(notices) == 1 and notices.pop().startswith(f"late data: rebuilding {month}-01 to "), notices
    build_all(clean, dg.DagsterInstance.ephemeral(), **all_days)
    after, expected = snapshot(refreshed, compared, IGNORED), snapshot(clean, compared, IGNORED)
    assert after["int_payment_matches"] != before["int_payment_matches"], "the correction must change something"
    for table in expected:
        assert after[table] == expected[table], f"{table}: the refresh after the late rates differs from a clean build"


def test_the_headless_console_says_the_late_data_line_once_per_run():
    """The observation the daily models carry (one per model) is one console line of the refresh."""
    from orchestration.stages import StageReporter, stage_logger

    message = "late data: rebuilding 2025-12-01 to 2026-01-06 (fx_rates: 93 rows changed for 2025-12-01 to 2025-12-31)"

    @dg.multi_asset(specs=[dg.AssetSpec("int_a"), dg.AssetSpec("int_b")])
    def daily(context):
        for key in sorted(context.selected_asset_keys):
            context.log_event(dg.AssetObservation(asset_key=key, metadata={METADATA_KEY: message}))
            yield dg.MaterializeResult(asset_key=key)

    instance = dg.DagsterInstance.ephemeral()
    said: list[str] = []
    job = dg.Definitions(assets=[daily], jobs=[dg.define_asset_job("j")]).resolve_job_def("j")
    job = job.with_logger_defs({"stages": stage_logger(StageReporter(said.append, instance))})
    assert job.execute_in_process(instance=instance, run_config={"loggers": {"stages": {}}}).success
    assert said.count(message) == 1, said
