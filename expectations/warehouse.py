"""Validate one staging model or one mart: its row suite chunk by chunk, then its profile.

Both end in one `SuiteResult` per model, named after the relation (`staging.stg_crm__orders`,
`marts.kpi_monthly`), stored with the raw suites' results, so the Data Docs list every stage.
The row suite (ranges, `warehouse_suites`) covers the rows of new deliveries in staging
(`staging_scope`) and every row of a mart; the profile (volume, freshness, distribution,
`profile`) covers the whole relation. Keys, accepted values and reconciliations are dbt tests.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ingestion.contract import load_contracts
from ingestion.settings import Settings

from .dbt_models import ModelMeta, load_models
from .outcomes import ExpectationOutcome, SuiteResult
from .profile import freshness_column, validate_profile
from .runner import validate_relation
from .sql_checks import schema_outcome
from .staging_scope import SCOPE_FILTER, pending_loads, record_validated
from .store import new_run_id, write_result
from .suites import declare_suite
from .warehouse_suites import LINEAGE_COLUMNS, expected_types, mart_configs, staging_configs


def _with(result: SuiteResult, extra) -> SuiteResult:
    outcomes = (*result.outcomes, *extra)
    failed = sum(not o.success for o in outcomes)
    return dataclasses.replace(result, outcomes=outcomes, evaluated=len(outcomes), failed=failed, success=not failed)


def _present(con, relation: str, columns) -> list[str]:
    actual = {row[0] for row in con.execute(f"DESCRIBE {relation}").fetchall()}
    return [c for c in columns if c in actual]


def _checked(configs: list[dict], present: list[str]) -> list[str]:
    """The present columns the suite's expectations read (GX reports an absent one as an error):
    DuckDB scans only the columns selected."""
    named = {config["kwargs"]["column"] for config in configs}
    named |= {config["kwargs"]["row_condition"].column.name for config in configs if "row_condition" in config["kwargs"]}
    return [c for c in present if c in named] or present


def _select(relation: str, columns: list[str], where: str = "") -> str:
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f"SELECT {quoted} FROM {relation}" + (f" WHERE {where}" if where else "")


def _profile(con, meta: ModelMeta, present: list[str], types: dict[str, str], run_id: str) -> tuple[ExpectationOutcome, ...]:
    """Volume, freshness and distribution over the model's own columns (not lineage)."""
    columns = [c for c in present if not c.startswith("_")]
    return validate_profile(con, meta.relation, columns, freshness_column(types), run_id)


def validate_staging(con, meta: ModelMeta, settings: Settings, today: dt.date | None = None) -> SuiteResult:
    """New deliveries' rows of a staging model; their loads are recorded as validated unless a
    blocking expectation failed. Without lineage columns (var keep_lineage false) there is
    nothing to scope by: every row."""
    contract = load_contracts().get(meta.source_entity) if meta.source_entity else None
    configs = staging_configs(meta, contract, today or dt.date.today(), settings.earliest_date)
    declare_suite(meta.relation, configs)
    present = _present(con, meta.relation, meta.columns)
    run_id = new_run_id(meta.name)
    pending = pending_loads(con, meta.name, contract.entity) if contract and "_file" in present else None
    where, params, scope = "", None, "all rows"
    if pending is not None:
        where, params, scope = SCOPE_FILTER, [list(pending.files)], pending.describe()
    result = validate_relation(con, meta.relation, _select(meta.relation, _checked(configs, present), where),
                               params=params, run_id=run_id, scope=scope, screen=True)
    types = expected_types(meta, contract)
    result = _with(result, [schema_outcome(con, meta.relation, types, LINEAGE_COLUMNS),
                            *_profile(con, meta, present, types, run_id)])
    write_result(result, settings.validations_dir)
    if not result.blocking and pending is not None:
        record_validated(con, meta.name, pending, run_id)
    return result


def validate_mart(con, meta: ModelMeta, results_dir: Path) -> SuiteResult:
    """Every row of a mart against its ranges, and its profile."""
    configs = mart_configs(meta)
    declare_suite(meta.relation, configs)
    present = _present(con, meta.relation, meta.columns)
    run_id = new_run_id(meta.name)
    result = validate_relation(con, meta.relation, _select(meta.relation, _checked(configs, present)), run_id=run_id,
                               scope="all rows")
    result = _with(result, _profile(con, meta, present, expected_types(meta), run_id))
    write_result(result, results_dir)
    return result


def validate_model(con, meta: ModelMeta, settings: Settings) -> SuiteResult:
    """The suite of a staging model (new deliveries) or a mart (every row)."""
    if meta.layer == "staging":
        return validate_staging(con, meta, settings)
    return validate_mart(con, meta, settings.validations_dir)


def validate_warehouse(con, manifest: Path, settings: Settings) -> list[SuiteResult]:
    """Every staging model and mart of the dbt manifest, as the warehouse asset checks run them."""
    return [validate_model(con, meta, settings) for meta in load_models(manifest).values()]


def result_metadata(result: SuiteResult, docs_index: Path) -> dict[str, str | int | bool]:
    """Flat values for an asset check: what was validated, what failed, and where to read more."""
    sql = [o for o in result.outcomes if o.expectation.startswith("sql:")]
    return {
        "suite": result.suite_name,
        "scope": result.scope,
        "rows_validated": result.element_count,
        "expectations_evaluated": result.evaluated,
        "expectations_failed": result.failed,
        "sql_checks": "\n".join(f"{o.expectation}: {'passed' if o.success else f'{o.unexpected_count} problem(s)'}"
                                for o in sql) or "none",
        "failures": "\n".join(result.summary().splitlines()[1:]) or "none",
        "data_docs": str(docs_index),
    }
