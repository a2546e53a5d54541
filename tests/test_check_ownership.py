"""One owner per kind of check on the staging models and the marts: dbt tests own keys, not-null,
relationships, accepted values and reconciliations; Great Expectations owns ranges (and volume,
freshness and distribution of the whole relation, which name no column). The dbt tests come from
the parsed manifest, the GX expectations from the suites the warehouse checks declare, so a rule
written on both sides, or a check of one kind on the wrong side, fails here by model and column."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from expectations.dbt_models import load_models
from expectations.rules import RANGE_RULES
from expectations.warehouse_suites import mart_configs, staging_configs
from ingestion.contract import load_contracts
from ingestion.settings import load_settings

DBT_KINDS = {
    "not_null": "not null", "not_null_columns": "not null",
    "unique": "key", "unique_combination_of_columns": "key",
    "relationships": "relationship", "relationships_share": "relationship",
    "accepted_values": "accepted values",
    "accepted_range": "range", "accepted_ranges": "range",
    "expression_is_true": "reconciliation", None: "reconciliation",  # None: a singular test
}
GX_KINDS = {
    "expect_column_values_to_not_be_null": "not null",
    "expect_column_values_to_be_unique": "key",
    "expect_compound_columns_to_be_unique": "key",
    "expect_column_values_to_be_in_set": "accepted values",
    "expect_column_values_to_be_between": "range",
}
OWNER = {"not null": "dbt", "key": "dbt", "relationship": "dbt", "accepted values": "dbt", "reconciliation": "dbt",
         "range": "gx"}


def _columns(node: dict) -> list[str | None]:
    """The columns a dbt test checks (None: the model as a whole)."""
    kwargs = (node.get("test_metadata") or {}).get("kwargs") or {}
    if node.get("column_name"):
        return [node["column_name"]]
    if "column_names" in kwargs:
        return list(kwargs["column_names"])
    if "combination_of_columns" in kwargs:
        return list(kwargs["combination_of_columns"])
    if "ranges" in kwargs:
        return [r["column"] for r in kwargs["ranges"]]
    return [None]


def dbt_checks(manifest: dict, models: dict) -> set[tuple[str, str | None, str]]:
    """(model, column, kind) of every dbt test attached to a staging model or mart."""
    checks = set()
    for node in manifest["nodes"].values():
        model = (node.get("attached_node") or "").split(".")[-1]
        if node["resource_type"] != "test" or model not in models:
            continue
        kind = DBT_KINDS[(node.get("test_metadata") or {}).get("name")]
        checks |= {(model, column, kind) for column in _columns(node)}
    return checks


def gx_checks(models: dict) -> set[tuple[str, str | None, str]]:
    """(model, column, kind) of every row expectation of the staging and mart suites."""
    contracts, today, earliest = load_contracts(), dt.date.today(), load_settings().earliest_date
    checks = set()
    for meta in models.values():
        configs = (staging_configs(meta, contracts.get(meta.source_entity or ""), today, earliest)
                   if meta.layer == "staging" else mart_configs(meta))
        checks |= {(meta.name, c["kwargs"]["column"], GX_KINDS[c["type"]]) for c in configs}
    return checks


@pytest.fixture(scope="module")
def checks(dbt_manifest):
    models = load_models(dbt_manifest)
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    return models, dbt_checks(manifest, models), gx_checks(models)


def test_no_rule_is_checked_by_both_dbt_and_great_expectations(checks):
    _, dbt, gx = checks
    assert sorted(dbt & gx, key=str) == []


def test_each_kind_of_check_is_written_where_its_owner_is(checks):
    _, dbt, gx = checks
    assert sorted(c for c in dbt if OWNER[c[2]] != "dbt") == [], "ranges belong in expectations/rules.py, not dbt"
    assert sorted(c for c in gx if OWNER[c[2]] != "gx") == [], "keys, value sets and not-null belong in dbt tests"


def test_every_great_expectations_check_kind_is_present(checks):
    """The GX side is no empty shell: ranges on staging and marts."""
    models, _, gx = checks
    ranged = {models[model].layer for model, _, kind in gx if kind == "range"}
    assert ranged == {"staging", "marts"}


def test_staging_and_mart_range_rules_name_a_column_of_their_model(checks):
    models, _, _ = checks
    contracts = load_contracts()
    unknown = [(r.table, r.column) for r in RANGE_RULES
               if r.table not in contracts and (r.table not in models or r.column not in models[r.table].columns)]
    assert unknown == []
