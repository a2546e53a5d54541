"""`new_landing_files`: a new delivery requests a run of exactly its entity's ingestion (plus what is
downstream of it), an unchanged landing zone requests nothing, and the run loads only that file."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.sensors import new_landing_files

ORDERS = dg.AssetKey(["raw", "orders"])


@pytest.fixture(scope="module")
def landing(tmp_path_factory, definitions) -> Path:
    """Two months of sample exports in a data folder of this module's own.

    Takes `definitions` first: they are built from the session's dbt manifest, which is not found
    once the environment points at this module's folder.
    """
    from ingestion.generate import generate

    data_dir = tmp_path_factory.mktemp("sensor")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRM_DATA_DIR", str(data_dir))
        mp.setenv("CRM_LANDING_DIR", str(data_dir / "landing"))
        mp.setenv("CRM_WAREHOUSE", str(data_dir / "warehouse.duckdb"))
        generate(data_dir / "landing", seed=7, size="tiny", start=date(2025, 1, 1), end=date(2025, 2, 28))
        yield data_dir / "landing"


def ingestion_definitions() -> dg.Definitions:
    """The ingestion assets only: enough to evaluate the sensor without a dbt manifest."""
    from ingestion.settings import load_settings
    from orchestration.ingestion_assets import ingestion_assets
    from orchestration.resources import build_resources
    from orchestration.sensors import landing_refresh_job

    return dg.Definitions(assets=ingestion_assets(), jobs=[landing_refresh_job], sensors=[new_landing_files],
                          resources=build_resources(load_settings()))


def evaluate(cursor: str | None, definitions: dg.Definitions) -> dg.SensorResult:
    return new_landing_files(dg.build_sensor_context(cursor=cursor, definitions=definitions,
                                                     instance=dg.DagsterInstance.ephemeral()))


def add_delivery(landing: Path, name: str) -> Path:
    """A new orders delivery: the header and first rows of an existing one (new content, valid rows)."""
    source = sorted((landing / "crm" / "orders").iterdir())[0]
    lines = source.read_bytes().splitlines(keepends=True)
    target = source.with_name(name)
    target.write_bytes(b"".join(lines[:4]))
    return target


def raw_keys(request: dg.RunRequest) -> set[dg.AssetKey]:
    return {k for k in request.asset_selection if k.path[0] == "raw"}


def test_new_file_requests_exactly_its_entity_and_no_change_requests_nothing(landing):
    defs = ingestion_definitions()
    first = evaluate(None, defs)
    assert len(first.run_requests) == 1 and len(raw_keys(first.run_requests[0])) > 10  # everything is new at first
    cursor = first.cursor
    assert len(json.loads(cursor)) == sum(1 for p in landing.rglob("*") if p.is_file())

    unchanged = evaluate(cursor, defs)
    assert unchanged.run_requests == [] and unchanged.skip_reason is not None
    assert unchanged.cursor == cursor

    new_file = add_delivery(landing, "orders_2025-03_extra.csv")
    try:
        changed = evaluate(cursor, defs)
        [request] = changed.run_requests
        assert raw_keys(request) == {ORDERS}
        assert request.tags["crm/entities"] == "orders"
        assert evaluate(cursor, defs).run_requests[0].run_key == request.run_key  # same change, same key
        assert evaluate(changed.cursor, defs).run_requests == []
    finally:
        new_file.unlink()


def test_request_includes_what_is_downstream_of_the_entity_only(landing, definitions):
    cursor = evaluate(None, ingestion_definitions()).cursor
    new_file = add_delivery(landing, "orders_2025-03_downstream.csv")
    try:
        [request] = evaluate(cursor, definitions).run_requests
    finally:
        new_file.unlink()
    selected = set(request.asset_selection)
    assert raw_keys(request) == {ORDERS}
    assert dg.AssetKey(["marts", "kpi_monthly"]) in selected
    assert dg.AssetKey(["serving", "serving_copy"]) in selected
    assert dg.AssetKey(["staging", "stg_web__events"]) not in selected or ORDERS in selected
    assert request.job_name in (None, "landing_refresh")


def test_the_requested_run_loads_only_the_new_file(landing):
    from ingestion.settings import load_settings
    from orchestration.ingestion_assets import ingestion_assets
    from orchestration.resources import build_resources

    settings = load_settings()
    orders_asset = [a for a in ingestion_assets() if ORDERS in a.keys]
    resources = build_resources(settings)
    assert dg.materialize(orders_asset, resources=resources, instance=dg.DagsterInstance.ephemeral()).success

    def loads() -> list[tuple]:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            return con.execute("SELECT entity, file, status FROM raw._loads ORDER BY loaded_at, file").fetchall()

    before = loads()
    cursor = evaluate(None, ingestion_definitions()).cursor
    new_file = add_delivery(landing, "orders_2025-03_only.csv")
    try:
        [request] = evaluate(cursor, ingestion_definitions()).run_requests
        result = dg.materialize(ingestion_assets(), selection=sorted(raw_keys(request), key=str), resources=resources,
                                instance=dg.DagsterInstance.ephemeral())
        assert result.success
        after = loads()
    finally:
        new_file.unlink()
    assert after[: len(before)] == before
    assert after[len(before):] == [("orders", "crm/orders/orders_2025-03_only.csv", "loaded")]
