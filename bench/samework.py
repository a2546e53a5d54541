"""The dbt project's work as one SQL script, from a `dbt compile` manifest: the limit's second part.

Every seed, model and data test of the manifest, in dependency order, as the statements dbt-duckdb
would send without dbt around them: a view or table per model (an enforced contract's typed
columns and not-null constraints included), and for an incremental model in an incremental
compile, its delete+insert on the unique key. Each data test's failing rows are counted into
`_bench.test_failures`, so every test's query runs to the end and its outcome can be compared
with the pipeline's. Left out: hooks, column comments (`persist_docs`), unit tests (the refresh
excludes them too), ephemeral models (their SQL is inlined where they are used).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ingestion.parsing import quote_ident, quote_literal

BUILT = ("seed", "model", "test")
RESULTS = "_bench.test_failures"


def build_order(manifest: Mapping[str, Any]) -> list[str]:
    """Seeds, models and data tests, each after every node it depends on (depth first, stable)."""
    nodes = {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] in BUILT}
    ordered, seen = [], set()

    def visit(uid: str) -> None:
        if uid in seen:
            return
        seen.add(uid)
        for parent in nodes[uid]["depends_on"].get("nodes", []):
            if parent in nodes:
                visit(parent)
        ordered.append(uid)

    for uid in sorted(nodes):
        visit(uid)
    return ordered


def _seed_sql(node: Mapping[str, Any], project_dir: Path) -> str:
    types = node["config"].get("column_types") or {}
    typed = ", types = {" + ", ".join(f"{quote_literal(c)}: {quote_literal(t)}" for c, t in types.items()) + "}" if types else ""
    path = project_dir / node["original_file_path"]
    return f"CREATE OR REPLACE TABLE {node['relation_name']} AS SELECT * FROM read_csv({quote_literal(str(path))}, header = true{typed});\n"


def _contract_table_sql(node: Mapping[str, Any]) -> str:
    """An enforced contract: the declared columns, types and not-nulls, then the model's rows."""
    columns = node["columns"].values()
    declared = ", ".join(
        f"{quote_ident(c['name'])} {c['data_type']}"
        + (" NOT NULL" if any(k["type"] == "not_null" for k in c.get("constraints", [])) else "")
        for c in columns
    )
    names = ", ".join(quote_ident(c["name"]) for c in columns)
    return (f"CREATE OR REPLACE TABLE {node['relation_name']} ({declared});\n"
            f"INSERT INTO {node['relation_name']} ({names}) SELECT {names} FROM (\n{node['compiled_code']}\n) AS model_subq;\n")


def _incremental_sql(node: Mapping[str, Any]) -> str:
    """delete+insert on the unique key, as dbt-duckdb runs an incremental model that exists."""
    keys = node["config"]["unique_key"]
    keys = [keys] if isinstance(keys, str) else keys
    relation = node["relation_name"]
    matches = " AND ".join(f"{relation}.{quote_ident(k)} = _bench_new.{quote_ident(k)}" for k in keys)
    return (f"CREATE OR REPLACE TEMP TABLE _bench_new AS (\n{node['compiled_code']}\n);\n"
            f"DELETE FROM {relation} WHERE EXISTS (SELECT 1 FROM _bench_new WHERE {matches});\n"
            f"INSERT INTO {relation} BY NAME SELECT * FROM _bench_new;\n")


def _model_sql(node: Mapping[str, Any], incremental: bool) -> str:
    materialized = node["config"]["materialized"]
    if materialized == "ephemeral":
        return ""
    if materialized == "view":
        return f"CREATE OR REPLACE VIEW {node['relation_name']} AS (\n{node['compiled_code']}\n);\n"
    if materialized == "incremental" and incremental:
        return _incremental_sql(node)
    if node["config"].get("contract", {}).get("enforced"):
        return _contract_table_sql(node)
    return f"CREATE OR REPLACE TABLE {node['relation_name']} AS (\n{node['compiled_code']}\n);\n"


def _test_sql(uid: str, node: Mapping[str, Any]) -> str:
    return f"INSERT INTO {RESULTS} SELECT {quote_literal(uid)}, count(*) FROM (\n{node['compiled_code']}\n) AS dbt_internal_test;\n"


def script(manifest: Mapping[str, Any], project_dir: Path, incremental: bool = False) -> str:
    """The whole dbt project as one script. `incremental`: the manifest was compiled against a
    warehouse holding the models (is_incremental() true), so incremental models delete+insert."""
    nodes = manifest["nodes"]
    order = build_order(manifest)
    schemas = sorted({nodes[uid]["schema"] for uid in order if nodes[uid]["resource_type"] != "test"})
    parts = [f"CREATE SCHEMA IF NOT EXISTS {quote_ident(s)};\n" for s in [*schemas, "_bench"]]
    parts.append(f"CREATE OR REPLACE TABLE {RESULTS} (unique_id VARCHAR, failures BIGINT);\n")
    for uid in order:
        node = nodes[uid]
        kind = node["resource_type"]
        parts.append(_seed_sql(node, project_dir) if kind == "seed"
                     else _model_sql(node, incremental) if kind == "model" else _test_sql(uid, node))
    return "".join(parts)


def load_manifest(target: Path) -> dict[str, Any]:
    return json.loads((target / "manifest.json").read_text(encoding="utf-8"))
