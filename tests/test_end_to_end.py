"""Generated exports -> every asset materialized into a temporary DuckDB -> marts compared with an
independent computation from the export files themselves. The `pipeline` fixture is in conftest."""
from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from tests.helpers import materialize_everything
from tests.reference_kpis import FAMILY_CHECKS, monthly_kpis


def query(settings, sql: str, params=None):
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_every_asset_materializes_and_every_check_passes(pipeline):
    _, result = pipeline
    assert result.success
    failed_checks = [e.asset_check_evaluation_data.asset_check_key for e in result.all_events
                     if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed]
    assert failed_checks == []


def test_monthly_kpis_equal_an_independent_computation_from_the_exports(pipeline):
    settings, _ = pipeline
    expected = monthly_kpis(settings.landing_dir)
    rows = query(settings, "SELECT month_start, revenue_net, orders, new_customers, cancellation_rate, arpc FROM marts.kpi_monthly ORDER BY 1")
    actual = {r[0]: r[1:] for r in rows}
    assert set(actual) >= set(expected), "months with orders are missing from the mart"
    for month, kpi in expected.items():
        revenue_net, orders, new_customers, cancellation_rate, arpc = actual[month]
        assert orders == kpi["orders"], month
        assert Decimal(revenue_net) == kpi["revenue_net"], month  # exact to the cent
        assert new_customers == kpi["new_customers"], month
        assert cancellation_rate == pytest.approx(kpi["cancellation_rate"], abs=1e-9), month
        assert Decimal(arpc).quantize(Decimal("0.01")) == kpi["arpc"].quantize(Decimal("0.01")), month


@pytest.mark.parametrize("check", FAMILY_CHECKS, ids=[c.family for c in FAMILY_CHECKS])
def test_kpis_of_every_family_equal_an_independent_computation_from_the_exports(pipeline, check):
    """Service, satisfaction, web, social, cash, cost, sales and retention KPIs, month by month
    (and channel / category), against tests/reference: counts and money exact, rates to 1e-9."""
    settings, _ = pipeline
    expected = check.reference(settings.landing_dir)
    keys = ", ".join(check.keys)
    rows = query(settings, f"SELECT {keys}, {', '.join(check.columns)} FROM marts.{check.mart} ORDER BY {keys}")
    actual = {tuple(r[:len(check.keys)]): dict(zip(check.columns, r[len(check.keys):])) for r in rows}
    expected = {k if isinstance(k, tuple) else (k,): v for k, v in expected.items()}
    vacuous = [c for c in check.columns if all(v[c] in (0, None) for v in expected.values())]
    assert expected and not vacuous, f"{check.family}: the exports give nothing to compare for {vacuous or 'any KPI'}"
    missing = sorted(set(expected) - set(actual))
    assert not missing, f"{check.family}: keys with data missing from marts.{check.mart}: {missing[:5]}"
    mismatches = check.mismatches(expected, actual)
    assert not mismatches, f"{check.family}: {len(mismatches)} mismatches, first ones:\n" + "\n".join(mismatches[:15])


def test_every_delivery_is_balanced_and_recorded(pipeline):
    settings, _ = pipeline
    files = sum(1 for p in settings.landing_dir.rglob("*") if p.is_file())
    loads = query(settings, "SELECT count(*), count(*) FILTER (WHERE rows_read = rows_loaded + rows_quarantined + rows_skipped) FROM raw._loads WHERE status = 'loaded'")[0]
    assert loads == (files, files)


def test_second_run_changes_no_result(pipeline):
    settings, _ = pipeline
    before = query(settings, "SELECT * FROM marts.kpi_monthly ORDER BY month_start")
    raw_before = query(settings, "SELECT count(*) FROM raw.orders")
    assert materialize_everything().success
    assert query(settings, "SELECT * FROM marts.kpi_monthly ORDER BY month_start") == before
    assert query(settings, "SELECT count(*) FROM raw.orders") == raw_before


def test_serving_copy_holds_the_marts_read_only(pipeline):
    settings, _ = pipeline
    with duckdb.connect(str(settings.serving_dir / "serving.duckdb"), read_only=True) as con:
        served = con.execute("SELECT count(*) FROM marts.kpi_monthly").fetchall()[0][0]
    assert served == query(settings, "SELECT count(*) FROM marts.kpi_monthly")[0][0] > 0
    assert (settings.serving_dir / "parquet" / "kpi_monthly.parquet").exists()
