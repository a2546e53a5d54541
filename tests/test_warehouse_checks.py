"""GX checks on staging and marts: pass on the sample, fail on planted violations of each kind they own
(range, volume, freshness, distribution); a failed range blocks publishing, a warning does not.

They run on the session's complete warehouse (the `pipeline` fixture in conftest, the end-to-end
test's too), whose refresh recorded each relation's first profile: the history later runs are
compared with. Violations are planted inside a transaction that is rolled back, so each test sees
the clean warehouse; the Dagster tests plant theirs for real and restore the mart (and its
history) after.
"""
from __future__ import annotations

import json
import re
from contextlib import contextmanager

import dagster as dg
import duckdb
import pytest

from expectations.dbt_models import load_models
from expectations.warehouse import validate_mart, validate_staging
from tests.helpers import seeded_resources

SERVING = dg.AssetKey(["serving", "serving_copy"])
KPI_MONTHLY = dg.AssetKey(["marts", "kpi_monthly"])


def materialize(selection) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import all_assets

    return dg.materialize(all_assets(), selection=selection, resources=seeded_resources(),
                          instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


@pytest.fixture(scope="module")
def models(pipeline):
    from orchestration.project import manifest_file

    return load_models(manifest_file())


@contextmanager
def planted(settings, *statements: str):
    """A warehouse connection with `statements` applied in a transaction that is rolled back."""
    with duckdb.connect(str(settings.warehouse)) as con:
        con.begin()
        for statement in statements:
            con.execute(statement)
        try:
            yield con
        finally:
            con.rollback()


def rebuild_staging(con, model: str) -> None:
    """Rebuild a staging table inside the caller's transaction with the SQL dbt built it with, so
    rows planted in raw reach it as a dbt run would take them. The compiled SQL names relations
    with the catalog of whichever warehouse the shared target folder last compiled against (other
    test modules build their own): the catalog is dropped, so they resolve in this one."""
    from transform.dbt import target_dir as dbt_target_dir

    compiled = dbt_target_dir() / "dbt_models" / "compiled" / "crm_success" / "models" / "staging"
    [sql] = compiled.rglob(f"{model}.sql")
    sql = re.sub(r'"[^"]+"\.("[^"]+"\."[^"]+")', r"\1", sql.read_text())
    con.execute(f"CREATE OR REPLACE TABLE staging.{model} AS {sql}")


def evaluations(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.asset_check_evaluation_data.asset_check_key.to_user_string(): e.asset_check_evaluation_data
            for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}


def materialized(result) -> set[dg.AssetKey]:
    return {e.asset_key for e in result.get_asset_materialization_events()}


def failed(result) -> dict[tuple[str, str | None], int]:
    return {(o.expectation, o.column): o.unexpected_count for o in result.outcomes if not o.success}


def test_every_staging_and_mart_check_passes_on_the_sample(pipeline, models):
    settings, result = pipeline
    checks = {k: v for k, v in evaluations(result).items() if k.endswith(":expectations_suite")}
    expected = {f"{m.layer}/{m.name}:expectations_suite" for m in models.values()}
    assert expected <= set(checks)
    assert [k for k in expected if not checks[k].passed] == []
    assert result.success
    orders = checks["staging/stg_crm__orders:expectations_suite"].metadata
    assert orders["rows_validated"].value > 0 and orders["expectations_failed"].value == 0
    assert "new deliveries" in orders["scope"].value
    monthly = checks["marts/kpi_monthly:expectations_suite"].metadata
    assert monthly["rows_validated"].value > 0 and monthly["expectations_evaluated"].value > 0
    docs = (settings.data_docs_dir / "index.html").read_text(encoding="utf-8")
    assert "staging.stg_crm__orders" in docs and "marts.kpi_monthly" in docs and "sql:column_types" in docs
    stored = json.loads(next((settings.validations_dir / "marts.kpi_monthly").glob("*.json")).read_text())
    assert ("expect_column_values_to_be_between", "cancellation_rate") in {(o["expectation"], o["column"]) for o in stored["outcomes"]}
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        profiled = {row[0] for row in con.execute("SELECT DISTINCT relation FROM validation.profiles").fetchall()}
    assert {m.relation for m in models.values()} <= profiled


def test_staging_is_validated_on_new_deliveries_only(pipeline, models):
    settings, _ = pipeline
    with duckdb.connect(str(settings.warehouse)) as con:
        again = validate_staging(con, models["stg_crm__orders"], settings)
    assert again.success and again.element_count == 0 and again.scope == "no new deliveries"


PLANTED_ORDERS = [
    """INSERT INTO raw._loads (load_id, entity, file, file_sha256, status, loaded_at)
       VALUES ('planted', 'orders', 'crm/orders/planted.csv', 'planted', 'loaded', now()::TIMESTAMP)""",
    """INSERT INTO raw.orders (order_id, customer_id, ordered_at, status, currency, updated_at, _file, _line,
                               _file_sha256, _loaded_at)
       VALUES ('PLANTED-1', 'C1', TIMESTAMP '2025-02-03 10:00', 'shipped', 'EUR', TIMESTAMP '2025-02-03 10:00',
               'crm/orders/planted.csv', 2, 'planted', now()::TIMESTAMP),
              ('PLANTED-2', 'C1', TIMESTAMP '1969-12-31 10:00', 'placed', 'EUR', TIMESTAMP '2025-02-03 10:00',
               'crm/orders/planted.csv', 3, 'planted', now()::TIMESTAMP)""",
]


def test_a_staging_date_outside_its_window_fails_on_the_new_delivery_only(pipeline, models):
    """The status outside its value set is the dbt accepted_values test's to find, not the suite's."""
    settings, _ = pipeline
    with planted(settings, *PLANTED_ORDERS) as con:
        rebuild_staging(con, "stg_crm__orders")
        result = validate_staging(con, models["stg_crm__orders"], settings)
        recorded = con.execute("SELECT count(*) FROM validation.staging_loads WHERE load_id = 'planted'").fetchall()
    assert result.element_count == 2 and "crm/orders/planted.csv" in result.scope
    assert failed(result) == {("expect_column_values_to_be_between", "ordered_at"): 1,
                              ("expect_column_values_to_be_between", "order_date"): 1}
    assert result.blocking
    assert recorded == [(0,)], "a failed delivery stays pending and is validated again next time"


def test_a_rate_outside_zero_one_and_an_nps_outside_its_scale_fail(pipeline, models):
    settings, _ = pipeline
    with planted(settings, "UPDATE marts.kpi_monthly SET cancellation_rate = 1.5 WHERE month_start = DATE '2025-02-01'",
                 "UPDATE marts.kpi_service_monthly SET nps = -101 WHERE month_start >= DATE '2025-10-01'") as con:
        monthly = validate_mart(con, models["kpi_monthly"], settings.validations_dir)
        service = validate_mart(con, models["kpi_service_monthly"], settings.validations_dir)
    assert failed(monthly) == {("expect_column_values_to_be_between", "cancellation_rate"): 1}
    assert failed(service) == {("expect_column_values_to_be_between", "nps"): 3}


def warnings_failed(result) -> dict[str, tuple]:
    """Failed warning expectations: measure -> sample (the value found, or the columns)."""
    return {o.column: o.sample for o in result.outcomes if not o.success and o.severity == "warning"}


def test_a_mart_that_lost_most_of_its_rows_fails_its_volume(pipeline, models):
    """Three of every four months deleted, the last month kept: the newest date stays."""
    settings, _ = pipeline
    with planted(settings, "DELETE FROM marts.kpi_monthly WHERE month(month_start) % 4 <> 0") as con:
        left = con.execute("SELECT count(*) FROM marts.kpi_monthly").fetchall()[0][0]
        result = validate_mart(con, models["kpi_monthly"], settings.validations_dir)
    assert warnings_failed(result) == {"row_count": (left,)}
    assert not result.success and not result.blocking


def test_a_mart_whose_newest_months_vanished_fails_its_freshness(pipeline, models):
    settings, _ = pipeline
    with planted(settings, "DELETE FROM marts.kpi_monthly WHERE month_start >= DATE '2025-10-01'") as con:
        result = validate_mart(con, models["kpi_monthly"], settings.validations_dir)
    assert warnings_failed(result) == {"newest date": ("2025-09-01",)}


def test_a_staging_column_that_emptied_fails_its_distribution(pipeline, models):
    settings, _ = pipeline
    with planted(settings, "UPDATE staging.stg_crm__orders SET sales_channel = NULL") as con:
        result = validate_staging(con, models["stg_crm__orders"], settings)
    assert warnings_failed(result) == {"missing share rise": ("sales_channel",)}


@contextmanager
def committed(settings, statement: str):
    """kpi_monthly changed by `statement` for real (a check run opens its own connection); the mart
    is restored afterwards, and the profiles recorded meanwhile are dropped, so later tests see the
    clean warehouse and its history."""
    with duckdb.connect(str(settings.warehouse)) as con:
        started = con.execute("SELECT now()::TIMESTAMP").fetchall()[0][0]
        con.execute("CREATE TABLE marts._kpi_monthly_clean AS SELECT * FROM marts.kpi_monthly")
        con.execute(statement)
    try:
        yield
    finally:
        with duckdb.connect(str(settings.warehouse)) as con:
            con.execute("DELETE FROM marts.kpi_monthly")
            con.execute("INSERT INTO marts.kpi_monthly SELECT * FROM marts._kpi_monthly_clean")
            con.execute("DROP TABLE marts._kpi_monthly_clean")
            con.execute("DELETE FROM validation.profiles WHERE profiled_at >= ?", [started])


SELECTION = dg.AssetSelection.assets(SERVING) | dg.AssetSelection.checks(dg.AssetCheckKey(KPI_MONTHLY, "expectations_suite"))


def test_a_failing_blocking_mart_check_stops_the_serving_copy(pipeline):
    """Only the mart's suite and the serving copy run, so no dbt test can be what blocks."""
    settings, _ = pipeline
    clean = materialize(SELECTION)
    assert clean.success and SERVING in materialized(clean)
    with committed(settings, "UPDATE marts.kpi_monthly SET cancellation_rate = 1.5"):
        broken = materialize(SELECTION)
    assert not broken.success
    assert list(evaluations(broken)) == ["marts/kpi_monthly:expectations_suite"]
    assert not evaluations(broken)["marts/kpi_monthly:expectations_suite"].passed
    assert SERVING not in materialized(broken)


def test_a_failed_warning_is_reported_and_publishing_goes_on(pipeline):
    settings, _ = pipeline
    with committed(settings, "UPDATE marts.kpi_monthly SET arpc = NULL"):
        warned = materialize(SELECTION)
    check = evaluations(warned)["marts/kpi_monthly:expectations_suite"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert "missing share rise" in check.metadata["failures"].value and "arpc" in check.metadata["problems"].value
    assert warned.success and SERVING in materialized(warned)


def test_the_console_counts_a_warned_check_apart_from_failed_ones():
    from orchestration.stages import Tally

    assert Tally(checks_passed=30, checks_warned=1).outcome() == "checks 30 passed, 0 failed, 1 warned"
    assert Tally(checks_passed=3, checks_failed=1).outcome() == "checks 3 passed, 1 failed"
