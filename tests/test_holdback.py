"""A delivery file that fails its checks is held back, not its entity, and what releases it.

The loader and `ingestion.holdback` on hand-made files, without dbt: the whole refresh with a held
file is in `tests/test_refresh_console.py`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ingestion import holdback
from ingestion.contract import load_contracts
from ingestion.loader import load_entity
from ingestion.quality import delivery_health

ORDERS = load_contracts()["orders"]
HEADER = "order_id,customer_id,ordered_at,status,sales_channel,currency,payment_reference,updated_at"
GOOD = HEADER + "\nO1,C1,2025-01-05T10:00:00Z,placed,web,EUR,,2025-01-06T00:00:00Z\n"
HALF_BAD = HEADER + ("\nO2,C1,2025-01-05T10:00:00Z,placed,web,EUR,,2025-01-06T00:00:00Z"
                     "\nO3,C1,gestern,placed,web,EUR,,2025-01-06T00:00:00Z\n")


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing" / "crm" / "orders"
    folder.mkdir(parents=True)
    (folder / "good.csv").write_text(GOOD, encoding="utf-8")
    return tmp_path / "landing"


def statuses(con) -> dict[str, str]:
    return dict(con.execute("SELECT file, arg_max(status, loaded_at) FROM raw._loads GROUP BY file").fetchall())


def test_a_0_byte_file_is_held_the_entity_passes_and_deleting_the_file_releases_it(con, landing):
    empty = landing / "crm" / "orders" / "empty.csv"
    empty.write_bytes(b"")
    load_entity(con, ORDERS, landing)
    assert statuses(con) == {"crm/orders/good.csv": "loaded", "crm/orders/empty.csv": "held"}
    health = delivery_health(con, "orders", 0.01)
    assert health.passed and len(health.held) == 1 and health.held[0].startswith("crm/orders/empty.csv: ")
    assert load_entity(con, ORDERS, landing) == []  # held and unchanged: not tried again
    empty.unlink()
    load_entity(con, ORDERS, landing)
    assert statuses(con)["crm/orders/empty.csv"] == "released"
    assert delivery_health(con, "orders", 0.01).held == [] and holdback.held_files(con) == []


def test_a_held_file_is_tried_again_when_its_contract_or_mapping_changes(con, landing, monkeypatch):
    (landing / "crm" / "orders" / "no_status.csv").write_text(GOOD.replace(",status", "").replace(",placed", ""))
    load_entity(con, ORDERS, landing)
    [(_, file, _, message, _)] = holdback.held_files(con)
    assert file == "crm/orders/no_status.csv" and "status" in message
    monkeypatch.setattr(holdback, "rules_fingerprint", lambda contract: "changed")
    [retried] = load_entity(con, ORDERS, landing)
    assert (retried.file, retried.status, retried.rules_sha256) == ("crm/orders/no_status.csv", "held", "changed")
    assert con.execute("SELECT count(*) FROM raw._loads WHERE status = 'released'").fetchall() == [(1,)]


def test_a_file_over_the_threshold_is_held_and_a_retry_loads_its_rows_exactly_once(con, landing):
    (landing / "crm" / "orders" / "half_bad.csv").write_text(HALF_BAD, encoding="utf-8")
    results = load_entity(con, ORDERS, landing)
    [held] = holdback.hold_failing(con, results, 0.01, {})
    assert held.file == "crm/orders/half_bad.csv" and "1 of 2 rows quarantined (50.00%)" in held.message
    assert statuses(con)["crm/orders/half_bad.csv"] == "held"
    assert delivery_health(con, "orders", 0.01).passed
    for threshold, status in ((0.01, "held"), (0.6, "loaded")):  # e.g. CRM_REJECT_THRESHOLD raised, then --retry-held
        holdback.release_all(con)
        results = load_entity(con, ORDERS, landing)
        holdback.hold_failing(con, results, threshold, {})
        assert statuses(con)["crm/orders/half_bad.csv"] == status
        assert con.execute("SELECT count(*) FROM raw.orders WHERE _file = 'crm/orders/half_bad.csv'").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM raw._quarantine").fetchall() == [(1,)]


def test_a_file_failing_the_raw_suite_is_held_with_the_rules_it_broke(con, landing):
    results = load_entity(con, ORDERS, landing)
    [held] = holdback.hold_failing(con, results, 0.01, {results[0].file_sha256: "failed the suite raw.orders: x(status)"})
    assert held.message == "crm/orders/good.csv: failed the suite raw.orders: x(status)"
    assert statuses(con) == {"crm/orders/good.csv": "held"}


def test_retry_held_releases_every_held_file_before_the_run(tmp_path, landing):
    from dataclasses import replace

    import duckdb

    from ingestion.settings import load_settings
    from orchestration.refresh import parse_args, retry_held

    settings = replace(load_settings(), data_dir=tmp_path, landing_dir=landing, warehouse=tmp_path / "w.duckdb")
    (landing / "crm" / "orders" / "empty.csv").write_bytes(b"")
    with duckdb.connect(str(settings.warehouse)) as con:
        load_entity(con, ORDERS, landing)
        assert [held[1] for held in holdback.held_files(con)] == ["crm/orders/empty.csv"]
    assert parse_args(["--retry-held"]).retry_held
    retry_held(settings)
    with duckdb.connect(str(settings.warehouse)) as con:
        assert holdback.held_files(con) == [] and statuses(con)["crm/orders/empty.csv"] == "released"
        [again] = load_entity(con, ORDERS, landing)  # still there: loaded and judged again
        assert (again.file, again.status) == ("crm/orders/empty.csv", "held")
