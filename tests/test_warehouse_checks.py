"""Blocking GX checks on staging and marts: pass on the sample, fail on planted violations, block publishing.

They run on the session's complete warehouse (the `pipeline` fixture in conftest, the end-to-end
test's too). Violations are planted inside a transaction that is rolled back, so each test sees
the clean warehouse; the blocking test plants its violation for real and restores the mart after.
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
from ingestion.settings import load_settings

SERVING = dg.AssetKey(["serving", "serving_copy"])
KPI_MONTHLY = dg.AssetKey(["marts", "kpi_monthly"])


def materialize(selection) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import all_assets
    from orchestration.resources import build_resources

    return dg.materialize(all_assets(), selection=selection, resources=build_resources(load_settings()),
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
    from orchestration.project import dbt_target_dir

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
    assert "sql:no_missing_months: passed" in monthly["sql_checks"].value
    assert "sql:reconciles:revenue_net=marts.fct_orders: passed" in monthly["sql_checks"].value
    docs = (settings.data_docs_dir / "index.html").read_text(encoding="utf-8")
    assert "staging.stg_crm__orders" in docs and "marts.kpi_monthly" in docs and "sql:column_types" in docs
    stored = json.loads(next((settings.validations_dir / "marts.kpi_monthly").glob("*.json")).read_text())
    assert any(o["expectation"] == "sql:no_missing_months" for o in stored["outcomes"])


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


def test_a_staging_value_outside_its_set_fails_on_the_new_delivery_only(pipeline, models):
    settings, _ = pipeline
    with planted(settings, *PLANTED_ORDERS) as con:
        rebuild_staging(con, "stg_crm__orders")
        result = validate_staging(con, models["stg_crm__orders"], settings)
        recorded = con.execute("SELECT count(*) FROM validation.staging_loads WHERE load_id = 'planted'").fetchall()
    assert result.element_count == 2 and "crm/orders/planted.csv" in result.scope
    assert failed(result) == {("expect_column_values_to_be_in_set", "status"): 1,
                              ("expect_column_values_to_be_between", "ordered_at"): 1,
                              ("expect_column_values_to_be_between", "order_date"): 1}
    assert recorded == [(0,)], "a failed delivery stays pending and is validated again next time"


def test_a_rate_outside_zero_one_and_an_nps_outside_its_scale_fail(pipeline, models):
    settings, _ = pipeline
    with planted(settings, "UPDATE marts.kpi_monthly SET cancellation_rate = 1.5 WHERE month_start = DATE '2025-02-01'",
                 "UPDATE marts.kpi_service_monthly SET nps = -101 WHERE month_start >= DATE '2025-10-01'") as con:
        monthly = validate_mart(con, models["kpi_monthly"], settings.validations_dir)
        service = validate_mart(con, models["kpi_service_monthly"], settings.validations_dir)
    assert failed(monthly) == {("expect_column_values_to_be_between", "cancellation_rate"): 1}
    assert failed(service) == {("expect_column_values_to_be_between", "nps"): 3}


def test_a_missing_month_fails_the_calendar_and_the_reconciliation(pipeline, models):
    settings, _ = pipeline
    with planted(settings, "DELETE FROM marts.kpi_monthly WHERE month_start = DATE '2025-02-01'") as con:
        result = validate_mart(con, models["kpi_monthly"], settings.validations_dir)
    assert set(failed(result)) == {("sql:no_missing_months", "month_start"),
                                   ("sql:reconciles:revenue_net=marts.fct_orders", "revenue_net"),
                                   ("sql:reconciles:orders=staging.stg_crm__orders", "orders")}
    gap = next(o for o in result.outcomes if o.expectation == "sql:no_missing_months")
    assert gap.sample == ("2025-02-01",)


@pytest.fixture
def planted_rate(pipeline):
    """Every cancellation rate of kpi_monthly at 1.5, committed (a check run opens its own
    connection); the mart is restored afterwards, so later tests see the clean warehouse."""
    settings, _ = pipeline
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("CREATE TABLE marts._kpi_monthly_clean AS SELECT * FROM marts.kpi_monthly")
        con.execute("UPDATE marts.kpi_monthly SET cancellation_rate = 1.5")
    yield
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("DELETE FROM marts.kpi_monthly")
        con.execute("INSERT INTO marts.kpi_monthly SELECT * FROM marts._kpi_monthly_clean")
        con.execute("DROP TABLE marts._kpi_monthly_clean")


def test_a_failing_blocking_mart_check_stops_the_serving_copy(pipeline, request):
    """Only the mart's suite and the serving copy run, so no dbt test can be what blocks."""
    selection = dg.AssetSelection.assets(SERVING) | dg.AssetSelection.checks(dg.AssetCheckKey(KPI_MONTHLY, "expectations_suite"))
    clean = materialize(selection)
    assert clean.success and SERVING in materialized(clean)
    request.getfixturevalue("planted_rate")
    broken = materialize(selection)
    assert not broken.success
    assert list(evaluations(broken)) == ["marts/kpi_monthly:expectations_suite"]
    assert not evaluations(broken)["marts/kpi_monthly:expectations_suite"].passed
    assert SERVING not in materialized(broken)
