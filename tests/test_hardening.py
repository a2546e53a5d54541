"""Hardening: configured paths stay inside the data folder, and names taken from delivery headers
never become SQL (a crafted header is data, kept in `_extra`, not executed)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import load_contracts
from ingestion.loader import load_entity
from ingestion.settings import UnsafePathError, load_settings

ORDERS = load_contracts()["orders"]
INJECTED = 'x") ; DROP TABLE raw.orders; --'
INJECTED_EXTRA = "it's'); DROP TABLE raw.orders; SELECT ('"


def test_paths_inside_the_data_folder_are_accepted(tmp_path):
    settings = load_settings({"CRM_DATA_DIR": str(tmp_path), "CRM_LANDING_DIR": str(tmp_path / "in"),
                              "CRM_WAREHOUSE": str(tmp_path / "db" / "w.duckdb")})
    assert settings.landing_dir == (tmp_path / "in").resolve()


@pytest.mark.parametrize("variable, value", [
    ("CRM_LANDING_DIR", "{data}/../elsewhere"),
    ("CRM_WAREHOUSE", "/etc/warehouse.duckdb"),
    ("CRM_LANDING_DIR", "{link}"),
])
def test_paths_escaping_the_data_folder_are_refused(tmp_path, variable, value):
    data = tmp_path / "data"
    data.mkdir()
    (data / "link").symlink_to(tmp_path)
    env = {"CRM_DATA_DIR": str(data), variable: value.format(data=data, link=data / "link")}
    with pytest.raises(UnsafePathError, match=variable):
        load_settings(env)
    assert load_settings(env | {"CRM_ALLOW_EXTERNAL_PATHS": "1"})


def _deliver(landing: Path, header: list[str], rows: list[list[str]]) -> None:
    folder = landing / "crm" / "orders"
    folder.mkdir(parents=True)

    def line(cells):
        return ",".join('"' + c.replace('"', '""') + '"' for c in cells)

    (folder / "orders_crafted.csv").write_text("\n".join([line(header)] + [line(r) for r in rows]) + "\n", encoding="utf-8")


def test_crafted_header_names_are_kept_as_data_and_never_executed(tmp_path):
    header = ["order_id", INJECTED, "customer_id", "ordered_at", "status", "sales_channel", "currency",
              "payment_reference", "updated_at", INJECTED_EXTRA]
    rows = [["O1", "boom", "C1", "2025-03-01T10:00:00Z", "placed", "web", "EUR", "RE-1", "2025-03-01T10:00:00Z", "bang"],
            ["O2", "boom", "C2", "2025-03-02T10:00:00Z", "placed", "web", "EUR", "RE-2", "2025-03-02T10:00:00Z", "bang"]]
    _deliver(tmp_path / "landing", header, rows)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        [result] = load_entity(con, ORDERS, tmp_path / "landing")
        assert result.status == "loaded" and result.rows_loaded == 2
        assert sorted(result.extra_columns) == sorted([INJECTED, INJECTED_EXTRA])
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'").fetchall()}
        assert "orders" in tables
        extras = [json.loads(r[0]) for r in con.execute("SELECT _extra FROM raw.orders ORDER BY order_id").fetchall()]
        ledger = json.loads(con.execute("SELECT extra_columns FROM raw._loads").fetchall()[0][0])
    assert extras == [{INJECTED: "boom", INJECTED_EXTRA: "bang"}] * 2
    assert sorted(ledger) == sorted([INJECTED, INJECTED_EXTRA])


def test_a_crafted_value_in_a_known_column_is_only_data(tmp_path):
    header = ["order_id", "customer_id", "ordered_at", "status", "sales_channel", "currency", "payment_reference", "updated_at"]
    rows = [["O1'); DROP TABLE raw.orders; --", "C1", "2025-03-01T10:00:00Z", "placed", "web", "EUR", "R'1", "2025-03-01T10:00:00Z"]]
    _deliver(tmp_path / "landing", header, rows)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load_entity(con, ORDERS, tmp_path / "landing")
        assert con.execute("SELECT order_id, payment_reference FROM raw.orders").fetchall() == [(rows[0][0], "R'1")]
