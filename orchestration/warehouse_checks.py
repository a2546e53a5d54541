"""Blocking Great Expectations checks on every staging model and every mart.

Ranges on the rows of the deliveries loaded since a staging model's last passing validation or on
every row of a mart, and volume, freshness and distribution of the whole relation (see
`expectations.warehouse`); keys, accepted values and reconciliations are the dbt tests' checks.

One multi-asset check per dbt step (`orchestration.dbt_assets`) covers the models that
step builds and runs right after it; being blocking, a failed range stops what is built on the
checked model: a staging model's failure stops the next dbt steps, a mart's the serving copy and the
report, so BI tools keep the last good copy. One op for every model would follow the last dbt step
and gate the first: Dagster would break that cycle itself by splitting the dbt steps, the seeds into a
dbt invocation of their own. Volume, freshness and distribution are warnings: the check fails with
severity WARN, which blocks nothing.
"""

import datetime as dt
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from diagnostics.problem import problems_markdown
from diagnostics.suites import suite_problems
from expectations.dbt_models import ModelMeta, load_models
from expectations.docs import build_data_docs
from expectations.warehouse import result_metadata, validate_model
from expectations.warehouse_suites import mart_configs, staging_configs
from ingestion.contract import load_contracts
from ingestion.settings import load_settings
from orchestration.project import manifest_path
from orchestration.resources import WAREHOUSE_POOL

CHECK_NAME = "expectations_suite"
SCOPES = {
    "staging": "the rows of the deliveries loaded since its last passing validation",
    "marts": "every row",
}
PROFILE = ("Warnings on the whole relation against its recent runs: volume (row count), freshness (newest date), "
           "distribution (share of missing values per column).")


def asset_key(meta: ModelMeta) -> dg.AssetKey:
    return dg.AssetKey([meta.layer, meta.name])


def describe(meta: ModelMeta) -> str:
    """What the suite checks, by expectation and column, so the UI shows it without opening code."""
    if meta.layer == "staging":
        configs = staging_configs(meta, load_contracts().get(meta.source_entity or ""), dt.date.today(),
                                  load_settings().earliest_date)
    else:
        configs = mart_configs(meta)
    ranged = ", ".join(dict.fromkeys(config["kwargs"]["column"] for config in configs)) or "none"
    types = "; column types (SQL)" if meta.layer == "staging" else ""
    return f"Great Expectations suite {meta.relation} on {SCOPES[meta.layer]}. Within range: {ranged}{types}. {PROFILE}"


def _metadata(result, docs_index: Path) -> dict:
    values = result_metadata(result, docs_index)
    values["data_docs"] = dg.MetadataValue.path(str(docs_index))
    values["data_docs_url"] = dg.MetadataValue.url(docs_index.as_uri())
    return values


def warehouse_checks(dbt_steps: list[dg.AssetsDefinition], manifest: Path | None = None) -> list[dg.AssetChecksDefinition]:
    """The checks for every staging and mart model in the dbt manifest (default: the parsed project's),
    one multi-asset check per dbt step of `dbt_steps`, named after it (`warehouse_expectations_daily_models`)."""
    step_of = {key: step.op.name for step in dbt_steps for key in step.keys}
    models = [m for layer in ("staging", "marts") for m in load_models(manifest or manifest_path()).values() if m.layer == layer]
    return [_suite_check(step, [m for m in models if step_of[asset_key(m)] == step])
            for step in dict.fromkeys(step_of[asset_key(m)] for m in models)]


def _suite_check(step: str, models: list[ModelMeta]) -> dg.AssetChecksDefinition:
    specs = [dg.AssetCheckSpec(CHECK_NAME, asset=asset_key(m), blocking=True, description=describe(m)) for m in models]

    @dg.multi_asset_check(specs=specs, name=f"warehouse_expectations_{step.removeprefix('dbt_')}", can_subset=True,
                          pool=WAREHOUSE_POOL, description=f"Great Expectations suites on the staging models and marts of {step}.")
    def warehouse_expectations(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource):
        settings = load_settings()
        docs_index = settings.data_docs_dir / "index.html"
        selected = {key.asset_key for key in context.selected_asset_check_keys}
        results = []
        with duckdb.get_connection() as con:
            for meta in (m for m in models if asset_key(m) in selected):
                result = validate_model(con, meta, settings)
                results.append((meta, result, problems_markdown(suite_problems(con, [result]))))
        build_data_docs(settings.validations_dir, settings.data_docs_dir)
        for meta, result, problems in results:
            if not result.success:
                context.log.warning(result.summary())
            severity = dg.AssetCheckSeverity.ERROR if result.blocking else dg.AssetCheckSeverity.WARN
            yield dg.AssetCheckResult(asset_key=asset_key(meta), check_name=CHECK_NAME, passed=result.success, severity=severity,
                                      metadata={**_metadata(result, docs_index), "problems": dg.MetadataValue.md(problems)})

    return warehouse_expectations
