"""The dbt project as assets: models and their dbt tests as asset checks, in three multi-assets.

The models tagged daily_partitioned (incremental on dates) are daily-partitioned (see
`orchestration.partitions`). Around them the unpartitioned models form two multi-assets, the ones
upstream (staging and what the daily models read) and the ones downstream (the marts built on
them), so the job graph has no cycle: upstream -> daily -> downstream. Each is rebuilt on every
run, in full or, for a staging model incremental on loads, from the rows loaded since.

A dbt test is the check of the model it is attached to, and runs in the step that builds that
model, which comes after every model the test reads (`tests/test_dbt_checks.py`). dbt's own test
selection cannot say this: it picks tests by the models they read, so a relationship test of a
daily model on a staging one would run with the downstream models, after its check's step has
ended without a result, and gate nothing. Each step therefore names its tests.
"""
import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.partitions import daily_partitions, window_vars
from orchestration.project import build_dbt_project, manifest_path
from orchestration.resources import WAREHOUSE_POOL
from orchestration.translator import CrmDbtTranslator
from transform.dbt import refresh_build_args, reuse_parse, target_dir, window_env

# Incremental on dates, rebuilt by partition window. A staging model incremental on loads
# (the web events and sessions) needs no window and stays with the unpartitioned upstream models.
DAILY_TAG = "daily_partitioned"
DAILY = f"tag:{DAILY_TAG}"
# A run tagged so rebuilds every model from scratch (`refresh --rebuild`, erasure).
FULL_REFRESH_TAG = "crm/dbt_full_refresh"
# Where dagster-dbt keeps a check's dbt test.
UNIQUE_ID = "dagster_dbt/unique_id"
# Logged before the daily models' dbt command: the window it builds (the benchmark reads it).
WINDOW_LOG = "dbt window: "


def downstream_of_daily(manifest: Mapping[str, Any]) -> str:
    """The models built on the daily ones, named one by one. `--exclude tag:daily_partitioned`
    would drop with the daily models every test that reads one of them (dbt selects tests eagerly),
    so a downstream model's relationship test on a daily model would be nobody's check."""
    nodes = manifest["nodes"]
    daily = {uid for uid, node in nodes.items() if DAILY_TAG in node.get("tags", [])}
    seen, todo = set(), list(daily)
    while todo:
        for child in manifest["child_map"].get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    models = (nodes[uid] for uid in seen - daily if uid in nodes)
    return " ".join(sorted(node["name"] for node in models if node["resource_type"] == "model"))


def multi_asset_selections(manifest: Mapping[str, Any]) -> dict[str, tuple[str, str, bool]]:
    """name -> (select, exclude, daily-partitioned), in build order."""
    return {
        "dbt_models": ("fqn:*", f"{DAILY}+", False),
        "dbt_daily_models": (DAILY, "", True),
        "dbt_downstream_models": (downstream_of_daily(manifest), "", False),
    }


def step_tests(context: dg.AssetExecutionContext, manifest: Mapping[str, Any]) -> list[str]:
    """The dbt tests of the checks this step runs, by fully qualified name."""
    ids = (context.assets_def.get_spec_for_check_key(key).metadata[UNIQUE_ID] for key in context.selected_asset_check_keys)
    return sorted(".".join(manifest["nodes"][uid]["fqn"]) for uid in ids)


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, daily: bool, manifest):
    """`dbt build` of the selected models and exactly the tests of the selected checks; a failing
    test stops its dependants. Artifacts and dbt's own log go under the data folder (never into the
    project), one folder per op (a run that selects part of the graph may split a multi-asset into
    ops of their own), and each keeps its `run_results.json` for the refresh's problems list."""
    args = refresh_build_args(step_tests(context, manifest), full_refresh=context.run.tags.get(FULL_REFRESH_TAG) == "true")
    target = reuse_parse(target_dir() / str(context.op_handle))
    window = window_vars(context) if daily else {}
    if window:
        context.log.info(f"{WINDOW_LOG}{json.dumps(window)}")
    with window_env(window):
        invocation = dbt.cli(args, context=context, target_path=target)
    yield from invocation.stream()


def _dbt_multi_asset(name: str, select: str, exclude: str, daily: bool, manifest) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=manifest,
        project=build_dbt_project(),
        dagster_dbt_translator=CrmDbtTranslator(),
        select=select,
        exclude=exclude or None,
        partitions_def=daily_partitions() if daily else None,
        backfill_policy=dg.BackfillPolicy.single_run() if daily else None,
        pool=WAREHOUSE_POOL,
        name=name,
    )
    def _models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from _build(context, dbt, daily, manifest)

    return _models


def build_dbt_assets() -> list[dg.AssetsDefinition]:
    manifest = json.loads(manifest_path().read_text(encoding="utf-8"))
    return [_dbt_multi_asset(name, *spec, manifest) for name, spec in multi_asset_selections(manifest).items()]
