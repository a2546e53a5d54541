"""Publishing: the serving copy for BI tools, refreshed only after every blocking check passed.

Its materialization carries what someone checking the night's refresh wants at a glance: rows and
a preview per mart, the headline KPIs of the run, and links to the Data Docs and the KPI report.
"""

from datetime import timedelta

import dagster as dg
from dagster_duckdb import DuckDBResource

from ingestion.settings import Settings, load_settings
from orchestration.resources import WAREHOUSE_POOL
from serving.preview import table_preview
from serving.publish import PublishResult, publish
from serving.summary import HEADLINE_KPIS, format_headline, headline

# Published nightly: a copy older than a night plus two hours of slack means a refresh was missed.
SERVING_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26))


def build_serving_copy(marts: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The serving asset, downstream of every mart, so it never publishes a mart older than its run."""

    @dg.asset(
        key=["serving", "serving_copy"],
        group_name="serving",
        deps=marts,
        description=(
            "Read-only copy of the marts for BI tools (data/serving/serving.duckdb, DuckDB 1.x readable) "
            "and one Parquet file per mart (data/serving/parquet/), swapped in atomically."
        ),
        kinds={"duckdb", "parquet"},
        owners=["team:analytics"],
        tags={"layer": "serving"},
        pool=WAREHOUSE_POOL,
        freshness_policy=SERVING_FRESHNESS,
    )
    def serving_copy(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
        settings = load_settings()
        with duckdb.get_connection() as con:
            result = publish(con, settings.serving_dir)
            metadata = publish_metadata(con, result, settings)
        context.log.info(f"published {len(result.tables)} tables to {result.serving_file}")
        return dg.MaterializeResult(metadata=metadata)

    return serving_copy


def publish_metadata(con, result: PublishResult, settings: Settings) -> dict[str, dg.MetadataValue]:
    """Files and links, rows and a preview per published table, and the run's headline KPIs."""
    metadata: dict[str, dg.MetadataValue] = {
        "dagster/row_count": dg.MetadataValue.int(sum(result.tables.values())),
        "serving_file": dg.MetadataValue.path(str(result.serving_file)),
        "parquet_dir": dg.MetadataValue.path(str(result.parquet_dir)),
        "tables": dg.MetadataValue.json(result.tables),
        "data_docs": dg.MetadataValue.path(str(settings.data_docs_dir / "index.html")),
        "data_docs_url": dg.MetadataValue.url((settings.data_docs_dir / "index.html").as_uri()),
        "kpi_report": dg.MetadataValue.path(str(settings.reports_dir / "kpi_report.html")),
        "kpi_report_url": dg.MetadataValue.url((settings.reports_dir / "kpi_report.html").as_uri()),
    }
    for table, rows in result.tables.items():
        metadata[f"rows {table}"] = dg.MetadataValue.int(rows)
        metadata[f"preview {table}"] = dg.MetadataValue.md(table_preview(con, table))
    if "marts.kpi_monthly" in result.tables and "marts.fct_orders" in result.tables:
        metadata.update(headline_metadata(con))
    return metadata


def headline_metadata(con) -> dict[str, dg.MetadataValue]:
    """The last complete month's headline KPIs, one numeric entry each so the UI can plot them per run."""
    h = headline(con)
    if h is None:
        return {}
    entries: dict[str, dg.MetadataValue] = {
        "kpi month": dg.MetadataValue.text(f"{h.month:%Y-%m}"),
        "kpi headline": dg.MetadataValue.md("```\n" + format_headline(h) + "\n```"),
    }
    for key in HEADLINE_KPIS:
        if h.values.get(key) is not None:
            entries[f"kpi {key}"] = dg.MetadataValue.float(float(h.values[key]))
    return entries
