"""The dbt project as assets: models and their dbt tests as asset checks, in three multi-assets.

The models tagged daily_partitioned (incremental on dates) are daily-partitioned (see
`orchestration.partitions`). Around them the unpartitioned models form two multi-assets, the ones
upstream (staging and what the daily models read) and the ones downstream (the marts built on
them), so the job graph has no cycle: upstream -> daily -> downstream. Each is rebuilt on every
run, in full or, for a staging model incremental on loads, from the rows loaded since.
"""
import json

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.partitions import daily_partitions, window_vars
from orchestration.project import REFRESH_BUILD_EXCLUDES, build_dbt_project, dbt_target_dir, manifest_path
from orchestration.resources import WAREHOUSE_POOL
from orchestration.translator import CrmDbtTranslator

# Incremental on dates, rebuilt by partition window. A staging model incremental on loads
# (the web events and sessions) needs no window and stays with the unpartitioned upstream models.
DAILY = "tag:daily_partitioned"
# name -> (select, exclude, daily-partitioned)
DBT_MULTI_ASSETS = {
    "dbt_models": ("fqn:*", f"{DAILY}+", False),
    "dbt_daily_models": (DAILY, "", True),
    "dbt_downstream_models": (f"{DAILY}+", DAILY, False),
}


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, daily: bool):
    """`dbt build` of the selected models and their tests; a failing test stops its dependants.
    Artifacts and dbt's own log go under the data folder (never into the project), one folder per
    op: a run may split a multi-asset into two ops (e.g. `dbt_models_2` for the seeds, which read
    no raw table), and each keeps its `run_results.json` for the refresh's problems list."""
    args = ["build", *REFRESH_BUILD_EXCLUDES]
    if daily:
        args += ["--vars", json.dumps(window_vars(context))]
    yield from dbt.cli(args, context=context, target_path=dbt_target_dir() / str(context.op_handle)).stream()


def _dbt_multi_asset(name: str, select: str, exclude: str, daily: bool) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=manifest_path(),
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
        yield from _build(context, dbt, daily)

    return _models


def build_dbt_assets() -> list[dg.AssetsDefinition]:
    return [_dbt_multi_asset(name, *spec) for name, spec in DBT_MULTI_ASSETS.items()]
