"""Publishing: the serving copy for BI tools, refreshed only after every blocking check passed."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from ingestion.settings import load_settings
from orchestration.resources import WAREHOUSE_POOL
from serving.publish import publish

PUBLISHED_MARTS = [dg.AssetKey(["marts", name]) for name in ("dim_customers", "fct_orders", "kpi_monthly")]


@dg.asset(
    key=["serving", "serving_copy"],
    group_name="serving",
    deps=PUBLISHED_MARTS,
    description=(
        "Read-only copy of the marts for BI tools (data/serving/serving.duckdb, DuckDB 1.x readable) "
        "and one Parquet file per mart (data/serving/parquet/), swapped in atomically."
    ),
    kinds={"duckdb", "parquet"},
    owners=["team:analytics"],
    tags={"layer": "serving"},
    pool=WAREHOUSE_POOL,
)
def serving_copy(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    settings = load_settings()
    with duckdb.get_connection() as con:
        result = publish(con, settings.serving_dir)
    context.log.info(f"published {len(result.tables)} tables to {result.serving_file}")
    return dg.MaterializeResult(
        metadata={
            "serving_file": dg.MetadataValue.path(str(result.serving_file)),
            "parquet_dir": dg.MetadataValue.path(str(result.parquet_dir)),
            "tables": dg.MetadataValue.json(result.tables),
        }
    )
