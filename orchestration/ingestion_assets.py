"""One asset per source entity: new delivery files from the landing zone into `raw.<entity>`.

Each asset carries two blocking checks. A file that fails them (not loadable, over the reject
threshold, breaking the Great Expectations suite) is held back (`ingestion.holdback`): listed as a
problem, its rows kept out of staging, while the checks judge the deliveries the entity builds on,
so the rest of the pipeline still refreshes and publishes. They fail only when rows would reach
staging unjudged: rows that do not add up, or a failing file that could not be held back.
Transient errors are retried; a read-only or full disk or a missing permission fails at once
(`orchestration.permanent_errors`).
"""
from contextlib import contextmanager

from datetime import datetime, timezone

import dagster as dg
from dagster_duckdb import DuckDBResource

from diagnostics.collect import load_problems
from diagnostics.problem import problems_markdown
from diagnostics.suites import suite_problems
from expectations.deliveries import validate_new_deliveries
from ingestion.contract import Contract, load_contracts
from ingestion.holdback import hold_failing
from ingestion.loader import load_entity, report_outside_files
from ingestion.quality import delivery_health
from ingestion.settings import load_settings
from orchestration.permanent_errors import permanent_errno, remedy
from orchestration.resources import WAREHOUSE_POOL

DELIVERIES_CHECK = "deliveries_complete"
SUITE_CHECK = "expectations_suite"


def _results_table(results) -> dg.MetadataValue:
    lines = ["| file | status | read | loaded | quarantined |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r.file} | {r.status} | {r.rows_read} | {r.rows_loaded} | {r.rows_quarantined} |" for r in results]
    return dg.MetadataValue.md("\n".join(lines))


@contextmanager
def _fail_fast_on_permanent_errors(warehouse):
    """Re-raise an error no retry can cure as a `dg.Failure` the retry policy skips, saying what to fix."""
    try:
        yield
    except Exception as exc:
        number = permanent_errno(exc)
        if number is None:
            raise
        where = getattr(exc, "filename", None) or warehouse
        raise dg.Failure(description=remedy(number, f"{where}", "CRM_WAREHOUSE"), allow_retries=False) from exc


def build_ingestion_asset(contract: Contract) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", contract.entity])

    @dg.asset(
        key=key,
        group_name=f"ingest_{contract.source}",
        description=f"{contract.description} Loaded from landing/{contract.source}/{contract.entity}/.",
        kinds={"duckdb", "csv"},
        owners=["team:data-engineering"],
        tags={"layer": "raw", "source": contract.source},
        pool=WAREHOUSE_POOL,
        retry_policy=dg.RetryPolicy(max_retries=2, delay=2, backoff=dg.Backoff.EXPONENTIAL),
        check_specs=[
            dg.AssetCheckSpec(DELIVERIES_CHECK, asset=key, blocking=True,
                              description="Rows read = loaded + quarantined + skipped; files over the reject threshold held back."),
            dg.AssetCheckSpec(SUITE_CHECK, asset=key, blocking=True,
                              description=f"Great Expectations suite raw.{contract.entity} on every new delivery; failing files held back."),
        ],
    )
    def _ingest(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
        settings = load_settings()
        started = datetime.now(timezone.utc)
        with _fail_fast_on_permanent_errors(settings.warehouse), duckdb.get_connection() as con:
            results = load_entity(con, contract, settings.landing_dir)
            for outside in report_outside_files(con, settings.landing_dir):  # whichever entity runs first records them
                context.log.warning(outside.message)
            new_shas = [r.file_sha256 for r in results if r.status == "loaded"]
            suite = validate_new_deliveries(con, contract, new_shas, settings)
            held = hold_failing(con, results, settings.reject_threshold, suite.failures())
            for result in held:
                context.log.warning(f"held back: {result.message}")
            health = delivery_health(con, contract.entity, settings.reject_threshold)
            table_rows = con.execute(f"SELECT count(*) FROM {contract.table}").fetchall()[0][0]
            # The same problems, worded the same, as the headless refresh prints at its end.
            load_list = load_problems(con, settings.reject_threshold, started, contract.entity)
            suite_list = suite_problems(con, list(suite.results))
        context.log.info(f"{contract.entity}: {len(results)} new file(s), {sum(r.rows_loaded for r in results)} rows loaded")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": table_rows,
                "new_files": len(results),
                "rows_loaded": sum(r.rows_loaded for r in results),
                "rows_quarantined": sum(r.rows_quarantined for r in results),
                "deliveries": _results_table(results),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=DELIVERIES_CHECK, passed=health.passed,
                    metadata={"files": health.files, "rows_read": health.rows_read, "rows_loaded": health.rows_loaded,
                              "rows_quarantined": health.rows_quarantined, "problems": dg.MetadataValue.md(problems_markdown(load_list))},
                ),
                dg.AssetCheckResult(check_name=SUITE_CHECK, passed=set(suite.failures()) <= {r.file_sha256 for r in held},
                                    metadata={**suite.metadata(), "problems": dg.MetadataValue.md(problems_markdown(suite_list))}),
            ],
        )

    return _ingest


def ingestion_assets() -> list[dg.AssetsDefinition]:
    return [build_ingestion_asset(c) for c in load_contracts().values()]
