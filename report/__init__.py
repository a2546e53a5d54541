"""The KPI report: one self-contained static HTML file built from the published marts.

Plain Python (no Dagster): it opens the serving copy read-only, never the working warehouse, so it
can run beside the single writer. `python -m report` builds it; orchestration wraps it as an asset.
"""
from report.build import build_report

__all__ = ["build_report"]
