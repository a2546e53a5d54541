"""Every dbt test is a blocking check that runs in the step owning it, so it gates what follows.

Dagster logs "Blocking asset check ... emitted no result in step ...; downstream step ... will
proceed without gating on it" (dagster/_core/execution/plan/active.py) when a step ends without a
result for one of its blocking checks: the check then gates nothing. These tests check the plan
(which step owns and runs each dbt test), a whole refresh (every blocking check has a result) and
planted orphan orders (their relationships check passes under the orphan share threshold;
above it, it fails and nothing is published).
"""
from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager

import dagster as dg
import duckdb
import pytest

from orchestration.dbt_assets import UNIQUE_ID

SERVING = dg.AssetKey(["serving", "serving_copy"])
FCT_ORDERS = dg.AssetKey(["marts", "fct_orders"])
ORPHAN_CHECK = dg.AssetCheckKey(FCT_ORDERS, "relationships_share_fct_orders_customer_id__customer_id__ref_stg_crm__customers_")
NO_RESULT = "emitted no result"


@pytest.fixture(scope="module")
def dbt_defs(dbt_manifest):
    from orchestration.dbt_assets import build_dbt_assets

    return build_dbt_assets()


def test_every_dbt_test_is_the_check_of_one_step_that_runs_after_every_model_it_reads(dbt_defs, dbt_manifest):
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    step_of_model = {spec.metadata[UNIQUE_ID]: i for i, d in enumerate(dbt_defs) for spec in d.specs}
    owners: dict[str, list[int]] = {}
    for i, d in enumerate(dbt_defs):
        for spec in d.check_specs:
            owners.setdefault(spec.metadata[UNIQUE_ID], []).append(i)
    tests = {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "test"}
    assert {uid: steps for uid, steps in owners.items() if len(steps) != 1} == {}
    assert sorted(set(tests) - set(owners)) == [], "dbt tests that are no check, so nothing waits for them"
    too_early = {node["name"]: [dbt_defs[step_of_model[p]].node_def.name for p in node["depends_on"]["nodes"]
                                if step_of_model.get(p, -1) > owners[uid][0]]
                 for uid, node in tests.items()}
    assert {name: later for name, later in too_early.items() if later} == {}


def test_every_blocking_check_of_a_refresh_has_a_result(pipeline, definitions):
    """With every asset and check selected and every step run, a blocking check without an
    evaluation is one whose step ended without running it: the "emitted no result" case."""
    _, result = pipeline
    graph = definitions.resolve_asset_graph()
    blocking = {key for key in graph.asset_check_keys if graph.get_check_spec(key).blocking}
    evaluated = {e.asset_check_evaluation_data.asset_check_key for e in result.all_events
                 if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    assert ORPHAN_CHECK in blocking
    assert sorted(key.to_user_string() for key in blocking - evaluated) == []


def refresh_daily_models_and_publish(dbt_defs, caplog) -> dg.ExecuteInProcessResult:
    """The daily models with their checks and the serving copy, for the last day, as a refresh runs them."""
    from orchestration.definitions import all_assets
    from orchestration.partitions import all_days, partition_range_tags
    from tests.helpers import seeded_resources

    [daily] = [d for d in dbt_defs if d.node_def.name == "dbt_daily_models"]
    last = all_days()[1]
    with caplog.at_level(logging.WARNING):
        result = dg.materialize(all_assets(), selection=dg.AssetSelection.assets(*daily.keys, SERVING),
                                resources=seeded_resources(), instance=dg.DagsterInstance.ephemeral(),
                                raise_on_error=False, tags=partition_range_tags(last, last))
    assert [r.getMessage() for r in caplog.records if NO_RESULT in r.getMessage()] == []
    return result


def orphan_check(result) -> dg.AssetCheckEvaluation:
    [evaluation] = [e.asset_check_evaluation_data for e in result.all_events
                    if e.event_type_value == "ASSET_CHECK_EVALUATION"
                    and e.asset_check_evaluation_data.asset_check_key == ORPHAN_CHECK]
    return evaluation


def materialized(result) -> set[dg.AssetKey]:
    return {e.asset_key for e in result.get_asset_materialization_events()}


@contextmanager
def customers_removed(settings, at_least: float):
    """Customers with orders removed from staging, fewest orders (then web sessions) first, until their orders are at
    least `at_least` of all (committed: the run opens its own connection), so fct_orders holds
    orphan orders; put back afterwards. No daily model reads the customers, so rebuilding them
    meanwhile changes nothing. Yields the orphan share."""
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("""CREATE TABLE staging._customers_removed AS
            WITH sessions AS (SELECT customer_id, count(*) AS m FROM intermediate.int_web_sessions GROUP BY 1),
                 counts AS (SELECT customer_id, count(*) AS n, coalesce(any_value(m), 0) AS m
                            FROM marts.fct_orders LEFT JOIN sessions USING (customer_id) GROUP BY 1),
                 running AS (SELECT customer_id, sum(n) OVER (ORDER BY n, m, customer_id) - n AS before,
                                    sum(n) OVER () AS total, row_number() OVER (ORDER BY n, m, customer_id) AS rank
                             FROM counts)
            SELECT c.* FROM staging.stg_crm__customers c JOIN running r USING (customer_id)
            WHERE r.rank = 1 OR r.before < ? * r.total""", [at_least])
        [(share,)] = con.execute("""SELECT count(*) FILTER (customer_id IN (SELECT customer_id FROM staging._customers_removed))
                                    / count(*) FROM marts.fct_orders""").fetchall()
        con.execute("DELETE FROM staging.stg_crm__customers WHERE customer_id IN (SELECT customer_id FROM staging._customers_removed)")
    try:
        yield share
    finally:
        with duckdb.connect(str(settings.warehouse)) as con:
            con.execute("INSERT INTO staging.stg_crm__customers SELECT * FROM staging._customers_removed")
            con.execute("DROP TABLE staging._customers_removed")


def test_orphan_orders_under_the_threshold_pass_and_publish_above_it_they_stop_publishing(pipeline, dbt_defs, caplog):
    """An order of an unknown customer is a row-level problem: its relationships_share check passes
    while orphans are at most var orphan_share_threshold (0.01) of the orders, and fails above it."""
    settings, _ = pipeline
    with customers_removed(settings, 0.0) as share:  # the one customer with the fewest orders
        assert 0 < share <= 0.01
        few = refresh_daily_models_and_publish(dbt_defs, caplog)
    assert few.success and orphan_check(few).passed and SERVING in materialized(few)
    with customers_removed(settings, 0.02) as share:
        assert share > 0.01
        many = refresh_daily_models_and_publish(dbt_defs, caplog)
    assert not many.success
    assert not orphan_check(many).passed
    assert SERVING not in materialized(many)


def compiled_test(name: str) -> str:
    """A singular test's SQL as the refresh compiled it, with the catalog of whichever warehouse
    the shared target folder last compiled against dropped, so it reads this one."""
    from transform.dbt import target_dir as dbt_target_dir

    [path, *_] = sorted(dbt_target_dir().rglob(f"compiled/**/{name}.sql"))
    return re.sub(r'"[^"]+"\.("[^"]+"\."[^"]+")', r"\1", path.read_text(encoding="utf-8"))


def test_a_kpi_mart_drifting_from_its_source_fails_the_reconciliation(pipeline):
    """The per-month reconciliations are dbt's (no GX copy): a cash inflow off by a cent in one month is found."""
    settings, _ = pipeline
    sql = compiled_test("assert_kpi_marts_reconcile_with_their_sources")
    with duckdb.connect(str(settings.warehouse)) as con:
        con.begin()
        clean = con.execute(sql).fetchall()
        [(month,)] = con.execute("SELECT max(month_start) FROM marts.kpi_cash_monthly WHERE cash_inflow > 0").fetchall()
        con.execute("UPDATE marts.kpi_cash_monthly SET cash_inflow = cash_inflow + 0.01 WHERE month_start = ?", [month])
        drifted = con.execute(sql).fetchall()
        con.rollback()
    assert clean == []
    assert [row[:3] for row in drifted] == [("kpi_cash_monthly", "cash_inflow", month)]
