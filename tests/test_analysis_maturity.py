"""Maturity end to end: a sample cut a few days into its last month (scenario immature_last_month)
goes through the loader and the dbt models; the analysis must mark the cut month provisional and
flag nothing in it, while the months before it are still judged.

Runs generate -> load -> dbt (the models up to the analysis marts) in a data folder of its own."""
from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from ingestion.generate import generate, manifest_path
from tests.helpers import MODELS_ONLY, load_landing, run_dbt_child, settings_for

pytestmark = pytest.mark.slow

SAMPLE = {"seed": 7, "size": "tiny", "start": date(2025, 1, 1), "end": date(2025, 6, 30)}


@pytest.fixture(scope="module")
def warehouse(dbt_manifest, tmp_path_factory):
    """The built warehouse and the manifest's truth about the cut month."""
    settings = settings_for(tmp_path_factory.mktemp("immature"))
    generate(settings.landing_dir, **SAMPLE, scenarios=["immature_last_month"])
    load_landing(settings)
    run_dbt_child("build", "--select", "+analysis_recommendations", "+analysis_trends", *MODELS_ONLY, settings=settings)
    truth = json.loads(manifest_path(settings.landing_dir).read_text(encoding="utf-8"))
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        yield con, truth


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_the_cut_month_is_provisional_for_every_kpi(warehouse):
    con, truth = warehouse
    cut = truth["scenarios"][0]["month"] + "-01"
    assert truth["export_end"] == "2025-06-05"
    states = rows(con, f"SELECT DISTINCT provisional FROM marts.analysis_trends WHERE month_start = DATE '{cut}'")
    assert states == [(True,)]
    # the month before: final for KPIs without a lag, provisional for those with one longer than the cut's 5 days
    before = dict(rows(con, "SELECT kpi_id, provisional FROM marts.analysis_kpi_values "
                            "WHERE dimension = 'total' AND month_start = DATE '2025-05-01'"))
    assert before["orders"] is False and before["complaints"] is False
    assert before["payment_match_rate"] is True and before["revenue_net"] is True


def test_nothing_provisional_is_flagged_or_recommended(warehouse):
    con, _ = warehouse
    for mart in ("analysis_flags", "analysis_recommendations"):
        flagged = rows(con, f"""
            SELECT m.kpi_id, m.month_start FROM marts.{mart} AS m
            JOIN marts.analysis_kpi_values AS v
              ON v.kpi_id = m.kpi_id AND v.month_start = m.month_start AND v.dimension = 'total'
            WHERE v.provisional""")
        assert flagged == [], mart
    # not vacuous: five days of orders against a full month is a fall the flags would otherwise report
    fall = rows(con, "SELECT change_prior_period_pct FROM marts.analysis_trends "
                     "WHERE kpi_id = 'orders' AND dimension = 'total' AND month_start = DATE '2025-06-01'")
    assert fall[0][0] < -0.5


def test_mature_months_are_still_judged(warehouse):
    con, _ = warehouse
    mature = rows(con, "SELECT count(*) FROM marts.analysis_flags WHERE NOT provisional")
    assert mature[0][0] > 0
    kinds = dict(rows(con, "SELECT DISTINCT kpi_id, change_kind FROM marts.analysis_trends "
                           "WHERE kpi_id IN ('orders', 'cancellation_rate', 'nps')"))
    assert kinds == {"orders": "relative", "cancellation_rate": "percentage_points", "nps": "points"}
