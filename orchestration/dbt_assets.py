"""The dbt project as assets: staging, intermediate and mart models, dbt tests as asset checks."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.project import build_dbt_project, dbt_target_dir, manifest_path
from orchestration.resources import WAREHOUSE_POOL
from orchestration.translator import CrmDbtTranslator


def build_dbt_assets() -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=manifest_path(),
        project=build_dbt_project(),
        dagster_dbt_translator=CrmDbtTranslator(),
        pool=WAREHOUSE_POOL,
        name="dbt_models",
    )
    def _dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        """`dbt build`: models and their tests in dependency order; a failing test stops its dependants."""
        # Artifacts go under the data folder, never into the project (one writer: a fixed folder).
        yield from dbt.cli(["build"], context=context, target_path=dbt_target_dir() / "build").stream()

    return _dbt_models
