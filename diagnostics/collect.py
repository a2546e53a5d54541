"""Every problem of a refresh, from where each stage leaves its evidence.

Loading leaves `raw._loads` and `raw._quarantine`, Great Expectations its stored results, dbt
its `run_results.json`: the collector reads them after the run (the ingestion assets call its
parts for one entity), so the list is the same whoever runs the pipeline and needs no Dagster.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ingestion.settings import Settings

from .dbt_results import dbt_problems, recent_run_results
from .deliveries import delivery_problems
from .problem import Problem
from .quarantine import quarantine_problems
from .suites import recent_results, suite_problems


def _has_ledger(con) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = '_loads'"
    return con.execute(sql).fetchall()[0][0] > 0


def load_problems(con, threshold: float, since: datetime | None, entity: str | None = None) -> list[Problem]:
    """Files not loaded or over the reject threshold, and the quarantined rows of recent loads."""
    if not _has_ledger(con):
        return []
    problems, loads = delivery_problems(con, threshold, since, entity)
    return problems + quarantine_problems(con, loads, {p.where for p in problems if p.blocking})


def collect_problems(con, settings: Settings, since: datetime | None, dbt_target: Path | None = None) -> list[Problem]:
    """Everything a refresh started at `since` (time-zone aware) found: loads, suites, dbt tests."""
    problems = load_problems(con, settings.reject_threshold, since)
    problems += suite_problems(con, recent_results(settings.validations_dir, since))
    if dbt_target is not None:
        problems += dbt_problems(con, recent_run_results(dbt_target, since))
    return problems
