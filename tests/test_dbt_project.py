"""The dbt project stays in step with the ingestion contracts and is fully documented.

Static checks on the session's parsed manifest (the `manifest` fixture, no database),
plus one check that the columns the models really produce are the documented ones, on an empty
temporary warehouse.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import METADATA_COLUMNS, create_raw_schema, load_contracts
from ingestion.dbt_values import accepted_values
from tests.helpers import invoke_dbt

PROJECT = "crm_success"


def nodes(manifest: dict, resource_type: str) -> list[dict]:
    return [n for n in manifest["nodes"].values() if n["resource_type"] == resource_type and n["package_name"] == PROJECT]


def models(manifest: dict) -> dict[str, dict]:
    return {n["name"]: n for n in nodes(manifest, "model")}


def data_tests_on(manifest: dict, model: dict) -> list[dict]:
    return [t for t in nodes(manifest, "test") if model["unique_id"] in t["depends_on"]["nodes"]]


# --- sources vs contracts ------------------------------------------------------------------


def test_sources_list_every_contract_entity_and_column(manifest):
    tables = {n["name"]: n for n in manifest["sources"].values() if n["source_name"] == "raw" and n["package_name"] == PROJECT}
    assert {n["schema"] for n in tables.values()} == {"raw"}
    contracts = load_contracts()
    assert sorted(tables) == sorted(contracts), "sources and contracts list different entities"
    for entity, contract in contracts.items():
        documented = tables[entity]["columns"]
        expected = {c.name: c.sql_type for c in contract.columns} | METADATA_COLUMNS
        assert list(documented) == list(expected), f"raw.{entity}: columns differ from the contract"
        for name, sql_type in expected.items():
            column = documented[name]
            assert (column.get("data_type") or "").upper() == sql_type, f"raw.{entity}.{name}: data_type"
            assert (column.get("description") or "").strip(), f"raw.{entity}.{name}: no description"
        assert (tables[entity].get("description") or "").strip(), f"raw.{entity}: no description"


def test_every_contract_entity_has_a_staging_model_reading_its_source(manifest):
    by_name = models(manifest)
    for entity, contract in load_contracts().items():
        name = f"stg_{contract.source}__{entity}"
        assert name in by_name, f"missing staging model {name}"
        assert f"source.{PROJECT}.raw.{entity}" in by_name[name]["depends_on"]["nodes"]
        assert by_name[name]["schema"] == "staging"


def test_data_status_has_a_row_for_every_contract_entity(manifest):
    """data_status names the staging models one by one (so it is built after them): a new entity must be added there."""
    read = set(models(manifest)["data_status"]["depends_on"]["nodes"])
    assert {f"model.{PROJECT}.stg_{c.source}__{entity}" for entity, c in load_contracts().items()} == read


def test_staging_keys_are_tested_unique_and_allowed_values_match_the_contracts(manifest):
    by_name = models(manifest)
    for entity, contract in load_contracts().items():
        model = by_name[f"stg_{contract.source}__{entity}"]
        tests = data_tests_on(manifest, model)
        kinds = {(t["test_metadata"]["name"], t.get("column_name")) for t in tests if t.get("test_metadata")}
        if len(contract.primary_key) == 1:
            assert ("unique", contract.primary_key[0]) in kinds, f"{model['name']}: key not tested unique"
        else:
            assert any(k == "unique_combination_of_columns" for k, _ in kinds), f"{model['name']}: composite key not tested"
        values = [t["test_metadata"]["kwargs"]["values"] for t in tests
                  if t.get("test_metadata", {}).get("name") == "accepted_values"]
        assert all(isinstance(v, str) for v in values), f"{model['name']}: accepted_values copy a list; call contract_allowed"
        accepted = [sorted(accepted_values(v)) for v in values]
        for column in contract.columns:
            if column.allowed:
                assert sorted(column.allowed) in accepted, f"{model['name']}.{column.name}: accepted_values differ from the contract"


# --- documentation and tests -------------------------------------------------------------------


def test_every_model_and_column_is_described(manifest):
    undocumented = []
    for name, model in models(manifest).items():
        if not model["description"].strip():
            undocumented.append(name)
        undocumented += [f"{name}.{c}" for c, col in model["columns"].items() if not col["description"].strip()]
    assert undocumented == []


def test_properties_and_unit_tests_sit_beside_their_model(manifest):
    """A model's YAML (columns, tests) and its unit tests are in the folder of its SQL
    (`marts/<domain>/_<domain>__models.yml`, ...), so a maintainer finds them by the model."""
    misplaced = []
    for name, model in models(manifest).items():
        folder = Path(model["original_file_path"]).parent
        if Path(model["patch_path"].split("://", 1)[1]).parent != folder:
            misplaced.append(f"{name}: {model['patch_path']}")
        misplaced += [f"{u['name']}: {u['original_file_path']}" for u in manifest["unit_tests"].values()
                      if u["model"] == name and Path(u["original_file_path"]).parent != folder]
    assert misplaced == []


def test_docs_overview_names_every_model_beyond_staging(manifest):
    """dbt docs' front page (models/docs.md) names every intermediate model, mart and analysis mart;
    staging models by their pattern stg_<source>__<entity>."""
    overview = manifest["docs"][f"doc.{PROJECT}.__overview__"]["block_contents"]
    missing = [name for name, model in models(manifest).items() if model["fqn"][1] != "staging" and f"`{name}`" not in overview]
    assert missing == [], f"models/docs.md does not name {missing}"


def test_exposures_name_what_the_report_and_the_serving_copy_read(manifest):
    """The serving copy publishes every table of schema marts (serving/publish.py), the report reads
    the relations of report/data.py: the exposures say so, and dbt docs' lineage is the code's."""
    from report.data import QUERIES
    from serving.publish import PUBLISHED_SCHEMAS

    def exposed(name: str) -> set[str]:
        return {uid.split(".")[-1] for uid in manifest["exposures"][f"exposure.{PROJECT}.{name}"]["depends_on"]["nodes"]}

    published = {n["name"] for kind in ("model", "seed") for n in nodes(manifest, kind) if n["schema"] in PUBLISHED_SCHEMAS}
    assert exposed("bi_serving_copy") == published
    assert exposed("kpi_report") == {t for q in QUERIES.values() for t in re.findall(r"\bmarts\.(\w+)", q)}


def test_models_land_in_their_layer_schema(manifest):
    for name, model in models(manifest).items():
        layer = model["fqn"][1]  # the folder under models/; the analysis marts are in marts/analysis/
        assert model["schema"] == layer, f"{name} lands in {model['schema']}, not {layer}"
        if layer == "marts":
            # a large fact may be incremental (daily-partitioned in Dagster); every other mart is a table
            allowed = ("table", "incremental") if "daily_partitioned" in model["config"]["tags"] else ("table",)
            assert model["config"]["materialized"] in allowed, f"mart {name} is not a table"
            assert model["config"]["contract"]["enforced"], f"mart {name} has no enforced contract"


def test_incremental_models_are_daily_partitioned_delete_insert_on_their_key(manifest):
    """Dagster splits the models tagged daily_partitioned into a daily-partitioned asset: every
    incremental model beyond staging carries the tag (incremental on dates); a staging one does not
    (incremental on loads, no window to pass). Each rebuilds by delete+insert on a unique key and
    fails on a schema change (a full refresh is then needed, never a silent column drift)."""
    incremental = {n: m for n, m in models(manifest).items() if m["config"]["materialized"] == "incremental"}
    assert {"int_web_sessions", "int_payment_matches", "fct_orders", "stg_web__web_events"} <= set(incremental)
    for name, model in incremental.items():
        on_loads = model["fqn"][1] == "staging"
        assert ("daily_partitioned" in model["config"]["tags"]) != on_loads, name
        assert model["config"]["incremental_strategy"] == "delete+insert", name
        assert model["config"]["unique_key"], name
        assert model["config"]["on_schema_change"] == "fail", name
    tagged = {n for n, m in models(manifest).items() if "daily_partitioned" in m["config"]["tags"]}
    assert tagged <= set(incremental), "only incremental models are daily-partitioned"


def test_kpi_columns_name_the_kpi_id_and_german_name(manifest):
    kpi = models(manifest)["kpi_monthly"]
    german = {
        "revenue_net": "Umsatz (netto)", "orders": "Aufträge", "units_sold": "verkaufte Einheiten",
        "avg_order_value": "Ø Auftragswert", "arpc": "Ø Umsatz pro Kunde", "new_customers": "Neukunden",
        "cancellation_rate": "Stornoquote", "cancellation_rate_value": "Stornoquote",
    }
    for column, name_de in german.items():
        description = kpi["columns"][column]["description"]
        assert name_de in description and "KPI" in description, column
    for base in ("revenue_net", "orders", "new_customers", "arpc", "cancellation_rate"):
        for suffix in ("prior_period", "prior_year", "change_prior_period", "change_prior_year"):
            assert f"{base}_{suffix}" in kpi["columns"], f"kpi_monthly lacks {base}_{suffix}"


def not_null_checked(manifest: dict, model: dict) -> set[str]:
    """Columns a NULL fails the build in: a not_null test, the model-level not_null_columns test,
    or a not_null constraint of an enforced contract."""
    checked = set()
    for test in data_tests_on(manifest, model):
        meta = test.get("test_metadata") or {}
        if meta.get("name") == "not_null":
            checked.add(test["column_name"])
        elif meta.get("name") == "not_null_columns" and test["attached_node"] == model["unique_id"]:
            checked.update(meta["kwargs"]["column_names"])
    if model["config"]["contract"]["enforced"]:
        checked.update(c for c, col in model["columns"].items()
                       if any(k["type"] == "not_null" for k in col.get("constraints") or []))
    return checked


def test_every_converted_amount_has_a_not_null_check(manifest):
    missing = []
    for name, model in models(manifest).items():
        checked = not_null_checked(manifest, model)
        missing += [f"{name}.{c}" for c in model["columns"] if c.endswith("_eur") and c not in checked]
    assert missing == []


def test_constraints_are_only_declared_where_every_build_enforces_them(manifest):
    """dbt applies constraints only with an enforced contract, and only when it creates the table:
    an incremental run inserts into the existing table with the constraints it was created with,
    so an incremental model checks its columns with tests instead."""
    wrong = []
    for name, model in models(manifest).items():
        declared = model.get("constraints") or any(col.get("constraints") for col in model["columns"].values())
        if declared and not (model["config"]["contract"]["enforced"] and model["config"]["materialized"] == "table"):
            wrong.append(name)
    assert wrong == []


def test_model_level_column_tests_name_documented_columns(manifest):
    unknown = []
    for name, model in models(manifest).items():
        for test in data_tests_on(manifest, model):
            if test.get("attached_node") != model["unique_id"]:
                continue
            kwargs = (test.get("test_metadata") or {}).get("kwargs") or {}
            named = list(kwargs.get("column_names") or []) + [r["column"] for r in kwargs.get("ranges") or []]
            unknown += [f"{test['name']}: {c}" for c in named if c not in model["columns"]]
    assert unknown == []


def test_unit_tests_cover_the_core_models(manifest):
    covered = {u["depends_on"]["nodes"][0].split(".")[-1] for u in manifest["unit_tests"].values()}
    assert {"int_customer_activity", "kpi_monthly", "stg_crm__orders", "fct_orders", "int_period_spine", "kpi_periods"} <= covered


# --- documented columns are the real ones ---------------------------------------------------------


@pytest.fixture(scope="module")
def empty_build(dbt_manifest, tmp_path_factory) -> tuple[Path, Path]:
    """Seeds loaded and every model built on empty raw tables: the columns and types the models
    produce, without a row of data; (warehouse, dbt target path)."""
    root = tmp_path_factory.mktemp("empty_build")
    warehouse, target = root / "warehouse.duckdb", root / "target"
    with duckdb.connect(str(warehouse)) as con:
        create_raw_schema(con)
    invoke_dbt(["seed"], target, warehouse)  # targets and KPI directions feed the analysis marts
    invoke_dbt(["run"], target, warehouse)
    return warehouse, target


def test_documented_columns_are_the_columns_the_models_produce(empty_build, manifest):
    warehouse, _ = empty_build
    # same configuration as the connection dbt-duckdb keeps open in this process
    with duckdb.connect(str(warehouse)) as con:
        rows = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE table_schema IN ('staging', 'intermediate', 'marts') ORDER BY ordinal_position"
        ).fetchall()
    actual: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        actual.setdefault((schema, table), []).append(column)
    for name, model in models(manifest).items():
        produced = actual[(model["schema"], name)]
        assert sorted(produced) == sorted(model["columns"]), f"{name}: documented columns differ from the model's"


def test_no_test_of_a_daily_partitioned_model_reads_a_model_built_after_it(manifest):
    """The daily-partitioned models are built in a step of their own, before the models that read
    them: a test there on one of those later models would run before that model exists."""
    parents = {k: n["depends_on"]["nodes"] for k, n in manifest["nodes"].items() if n["resource_type"] == "model"}

    def ancestors(node: str) -> set[str]:
        seen, todo = set(), list(parents.get(node, []))
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += parents.get(current, [])
        return seen

    daily = {k for k, n in manifest["nodes"].items()
             if n["resource_type"] == "model" and "daily_partitioned" in n["config"]["tags"]}
    downstream = {k for k in parents if ancestors(k) & daily} - daily
    wrong = [n["name"] for n in manifest["nodes"].values()
             if n["resource_type"] == "test" and n.get("attached_node") in daily
             and set(n["depends_on"]["nodes"]) & downstream]
    assert wrong == []


def test_dbt_unit_tests_pass(empty_build, manifest):
    """The KPI formulas' unit tests (hand-worked inputs and expected rows). Refreshes skip them
    (transform.dbt.REFRESH_BUILD_EXCLUDES); dbt reads the inputs' column types from the
    models built on empty tables."""
    warehouse, target = empty_build
    result = invoke_dbt(["test", "--select", "test_type:unit"], target, warehouse)
    ran = {r.node.unique_id: r.status for r in result.result.results}
    declared = {uid for uid in manifest["unit_tests"] if uid.startswith(f"unit_test.{PROJECT}.")}
    assert set(ran) == declared and declared, "every unit test of the project runs"
    assert {uid: status for uid, status in ran.items() if status != "pass"} == {}


def test_a_seed_table_of_an_older_shape_is_rebuilt_by_the_next_load(empty_build, tmp_path):
    """A registry field is a new seed column; dbt's default seed load truncates and inserts into the
    existing table, which fails on the older shape ("does not match the number of columns") and
    blocked the first refresh after an upgrade. Seeds are full-refreshed on every load."""
    built, _ = empty_build
    warehouse = tmp_path / "warehouse.duckdb"
    for suffix in ("", ".wal"):  # the build's last writes may still be in its write-ahead log
        if Path(f"{built}{suffix}").exists():
            shutil.copy(f"{built}{suffix}", f"{warehouse}{suffix}")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("ALTER TABLE marts.kpi_directions DROP COLUMN area_en")
    invoke_dbt(["seed", "--select", "kpi_directions"], tmp_path / "target", warehouse)
    with duckdb.connect(str(warehouse)) as con:
        columns = [row[0] for row in con.execute("DESCRIBE marts.kpi_directions").fetchall()]
    assert "area_en" in columns
