"""Read what the report shows from the published marts, read-only.

The serving copy is the default source: the working warehouse has one writer and a read-only
connection to it fails while a refresh runs. Every frame comes from an `analysis_*` mart or a
seed, or from `data_status` (the held-back delivery files), so the report computes nothing a BI
tool could not read itself; KPI names and units come from the KPI registry (kpis/registry.yml).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.settings import Settings

TOP_DRIVERS = 8
QUERIES = {
    "trends": "SELECT * FROM marts.analysis_trends WHERE dimension = 'total' ORDER BY kpi_id, month_start",
    "attainment": "SELECT * FROM marts.analysis_target_attainment WHERE dimension = 'total' ORDER BY kpi_id, month_start",
    "outlook": "SELECT * FROM marts.analysis_target_outlook WHERE dimension = 'total' ORDER BY kpi_id, target_year",
    "flags": "SELECT * FROM marts.analysis_flags ORDER BY month_start, severity DESC",
    # the top drivers of every KPI and month: the summary names rank 1, each flag's drill-down chart shows them
    "drivers": (f"SELECT kpi_id, month_start, dimension, dimension_value, method, mix_effect, rate_effect, contribution, "
                f"share_of_change, driver_rank FROM marts.analysis_drivers WHERE driver_rank <= {TOP_DRIVERS} "
                "ORDER BY kpi_id, month_start, driver_rank, dimension, dimension_value"),
    "recommendations": "SELECT * FROM marts.analysis_recommendations ORDER BY month_start, priority",
    "provenance": "SELECT * FROM marts.analysis_data_provenance",
    "held_back": "SELECT entity, held_back FROM marts.data_status WHERE files_held_back > 0 ORDER BY entity",
}


@dataclass(frozen=True)
class ReportData:
    source: Path
    trends: pd.DataFrame
    attainment: pd.DataFrame
    flags: pd.DataFrame
    recommendations: pd.DataFrame
    provenance: pd.DataFrame
    held_back: pd.DataFrame
    # last, with defaults: frames built by hand (tests) may leave them out
    outlook: pd.DataFrame = field(default_factory=pd.DataFrame)
    drivers: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def latest_month(self):
        """The last month with values: what the headline, flags and recommendations are about."""
        return self.trends["month_start"].max()


def default_source(settings: Settings) -> Path:
    return settings.serving_dir / "serving.duckdb"


def load(source: Path) -> ReportData:
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist: publish the marts first (serving/serving_copy)")
    with duckdb.connect(str(source), read_only=True) as con:
        frames = {name: con.execute(sql).df() for name, sql in QUERIES.items()}
    return ReportData(source=source, **frames)
