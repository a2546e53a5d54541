"""The KPI report as an asset: rebuilt from the serving copy after every publish.

It reads the serving copy, not the working warehouse (held by the single writer), so it stays out
of the warehouse pool; its own pool "report" (default limit 1) keeps two builds from writing the
same file at once. The logic lives in the `report` package.
"""

import dagster as dg

from report.build import build_report
from report.labels import report_language


@dg.asset(
    key=["report", "kpi_report"],
    group_name="report",
    deps=[dg.AssetKey(["serving", "serving_copy"])],
    description=(
        "KPI-Bericht for management: headline KPIs against their targets, trends per KPI family with "
        "prior month and prior year, risks and opportunities with their root causes, and recommended "
        "actions with evidence. One self-contained HTML file (data/reports/kpi_report.html) that opens "
        "offline; German by default, English with CRM_REPORT_LANGUAGE=en."
    ),
    kinds={"html"},
    owners=["team:analytics"],
    tags={"layer": "report"},
    pool="report",
)
def kpi_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    path = build_report()
    context.log.info(f"KPI report written to {path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "url": dg.MetadataValue.url(path.as_uri()),
            "language": dg.MetadataValue.text(report_language()),
            "size_bytes": dg.MetadataValue.int(path.stat().st_size),
        }
    )
