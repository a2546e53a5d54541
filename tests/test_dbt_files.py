"""The dbt sources and staging value sets are written from the contracts, and kept so.

No dbt and no warehouse: the committed files are compared with what the contracts give now.
"""
from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from ingestion.contract import load_contracts
from ingestion.dbt_files import DBT_PROJECT_DIR, generated_files, stale
from ingestion.dbt_sources import column_description
from ingestion.dbt_values import accepted_values


def test_the_generated_dbt_files_are_up_to_date():
    assert stale(DBT_PROJECT_DIR) == [], "contracts changed: run `python -m ingestion.dbt_files` and commit the files"


def test_a_changed_missing_or_orphaned_file_is_reported_stale(tmp_path):
    for relative in generated_files():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DBT_PROJECT_DIR / relative, tmp_path / relative)
    assert stale(tmp_path) == []
    sources, macro = "models/staging/crm/_crm__sources.yml", "macros/contract_allowed.sql"
    path = tmp_path / sources
    path.write_text(path.read_text(encoding="utf-8").replace("cancelled", "canceled"), encoding="utf-8")
    (tmp_path / macro).unlink()
    orphan = tmp_path / "models/staging/erp/_erp__sources.yml"
    orphan.parent.mkdir()
    shutil.copy(DBT_PROJECT_DIR / sources, orphan)
    assert stale(tmp_path) == [macro, sources, "models/staging/erp/_erp__sources.yml"]


def test_descriptions_name_the_allowed_values_and_what_the_contract_requires():
    orders = load_contracts()["orders"]
    assert column_description(orders, "status") == (
        "Order status: placed, fulfilled or cancelled (a cancelled order stays in the export). Required by the contract.")
    assert column_description(orders, "sales_channel") == "Channel the order came through: web, sales, phone or partner."


@pytest.mark.parametrize("description, message", [
    ("", r"orders.yaml, column 'currency': no description"),
    ("Currency: {allowed}.", r"orders.yaml, column 'currency': description .* uses \{allowed\} but the column has no `allowed`"),
])
def test_a_contract_column_without_a_usable_description_is_refused(description, message):
    orders = load_contracts()["orders"]
    columns = tuple(replace(c, description=description) if c.name == "currency" else c for c in orders.columns)
    with pytest.raises(ValueError, match=message):
        column_description(replace(orders, columns=columns), "currency")


def test_accepted_values_read_the_macro_call_as_the_contract_list():
    assert accepted_values("{{ contract_allowed('orders', 'status') }}") == ("placed", "fulfilled", "cancelled")
    assert accepted_values(["a", 1]) == ("a", "1")
    with pytest.raises(ValueError, match="naming a contract column with `allowed:` values"):
        accepted_values("{{ contract_allowed('orders', 'currency') }}")
