"""Delivery semantics: a record missing from the latest full export of a snapshot entity leaves
staging and the marts; for a delta entity (the default) it stays.

Customers arrive in two exports, January with A, B and C, February with A and C only. Declared a
snapshot entity (dbt var snapshot_entities, which mirrors the contracts' `delivery: snapshot`), B
was deleted at the source; as a delta entity, February only did not mention B.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml

from ingestion.contract import create_raw_schema, load_contracts
from ingestion.loader import load_entity
from tests.helpers import invoke_dbt
from transform.dbt import DBT_PROJECT_DIR

HEADER = "customer_id,segment,created_at,updated_at\n"
EXPORTS = {"customers_2025-01.csv": ["A", "B", "C"], "customers_2025-02.csv": ["A", "C"]}


def test_the_snapshot_entities_var_lists_exactly_the_snapshot_contracts():
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    declared = sorted(e for e, c in load_contracts().items() if c.delivery == "snapshot")
    assert sorted(project["vars"]["snapshot_entities"]) == declared


def test_a_contract_with_an_unknown_delivery_is_refused(tmp_path):
    from ingestion.contract import CONTRACTS_DIR, _parse

    path = tmp_path / "customers.yaml"
    path.write_text((CONTRACTS_DIR / "customers.yaml").read_text(encoding="utf-8") + "delivery: full\n", encoding="utf-8")
    with pytest.raises(ValueError, match="customers.yaml: delivery 'full' must be one of delta, snapshot"):
        _parse(path)


@pytest.fixture(scope="module")
def warehouse(dbt_manifest, tmp_path_factory) -> Path:
    """Every raw table (empty) and the customers of both exports, February loaded after January."""
    root = tmp_path_factory.mktemp("snapshot_delivery")
    folder = root / "landing" / "crm" / "customers"
    folder.mkdir(parents=True)
    path = root / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        create_raw_schema(con)
        for name, keys in EXPORTS.items():
            rows = "".join(f"{k},B2B,2025-01-0{i + 1}T10:00:00Z,2025-01-0{i + 1}T10:00:00Z\n" for i, k in enumerate(keys))
            (folder / name).write_text(HEADER + rows, encoding="utf-8")
            (result,) = load_entity(con, load_contracts()["customers"], root / "landing")
            assert result.rows_loaded == len(keys), result
    return path


@pytest.mark.slow  # dbt builds the models up to dim_customers
@pytest.mark.parametrize("snapshot_entities, expected", [([], ["A", "B", "C"]), (["customers"], ["A", "C"])],
                         ids=["delta keeps B", "snapshot drops B"])
def test_a_key_missing_from_the_latest_snapshot_leaves_staging_and_the_marts(warehouse, tmp_path, snapshot_entities, expected):
    invoke_dbt(["build", "--select", "+dim_customers", "--resource-type", "model", "--resource-type", "seed",
                "--vars", json.dumps({"snapshot_entities": snapshot_entities})], tmp_path / "target", warehouse)
    with duckdb.connect(str(warehouse)) as con:  # as dbt opened it: in-process dbt keeps its connection
        for table in ("staging.stg_crm__customers", "marts.dim_customers"):
            keys = [k for (k,) in con.execute(f"select customer_id from {table} order by 1").fetchall()]
            assert keys == expected, table
