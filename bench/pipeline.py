"""The full pipeline stage by stage, on generated exports, against the bare-DuckDB baseline.

Stages call the plain packages directly (loader, Great Expectations runner, dbt, publisher), as
the Dagster assets do, so the figures are the pipeline's and not the orchestrator's. Peak memory
is the process's high-water mark (dbt runs in-process), read after each stage.
"""
from __future__ import annotations

import os
import resource
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bench.baseline import run_baseline
from ingestion.connection import connect_warehouse
from ingestion.contract import load_contracts
from ingestion.generate import DEFAULT_END, DEFAULT_START, generate
from ingestion.loader import load_entity
from ingestion.settings import load_settings

STAGES = ("ingestion", "validation", "dbt build", "publish")


@dataclass
class PipelineRun:
    seconds: dict[str, float] = field(default_factory=dict)
    peak_mb: float = 0.0
    # The process's high-water mark when each stage last ended: the stage where it jumps set the peak.
    peak_mb_after: dict[str, float] = field(default_factory=dict)
    rows_loaded: int = 0

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(run: PipelineRun, stage: str, fn):
    started = time.perf_counter()
    result = fn()
    run.seconds[stage] = run.seconds.get(stage, 0.0) + time.perf_counter() - started
    run.peak_mb = max(run.peak_mb, peak_mb())
    run.peak_mb_after[stage] = run.peak_mb
    return result


def _dbt_build() -> None:
    from transform.dbt import REFRESH_BUILD_EXCLUDES, run_dbt

    run_dbt("build", *REFRESH_BUILD_EXCLUDES)


def run_pipeline(data_dir: Path) -> PipelineRun:
    """One refresh of everything under `data_dir` (landing zone in data_dir/landing)."""
    from expectations.deliveries import validate_new_deliveries
    from expectations.warehouse import validate_warehouse
    from orchestration.project import manifest_file
    from serving.publish import publish

    os.environ.update(CRM_DATA_DIR=str(data_dir), CRM_LANDING_DIR=str(data_dir / "landing"),
                      CRM_WAREHOUSE=str(data_dir / "warehouse.duckdb"))
    settings = load_settings()
    run = PipelineRun()
    with connect_warehouse(settings) as con:
        for contract in load_contracts().values():
            results = _timed(run, "ingestion", lambda: load_entity(con, contract, settings.landing_dir))
            run.rows_loaded += sum(r.rows_loaded for r in results)
            shas = [r.file_sha256 for r in results if r.status == "loaded"]
            _timed(run, "validation", lambda: validate_new_deliveries(con, contract, shas, settings))
    _timed(run, "dbt build", lambda: _dbt_build())
    with connect_warehouse(settings) as con:
        _timed(run, "validation", lambda: validate_warehouse(con, manifest_file(), settings))
        _timed(run, "publish", lambda: publish(con, settings.serving_dir))
    return run


@dataclass(frozen=True)
class BenchResult:
    size: str
    rows: int
    full: PipelineRun
    baseline_seconds: float
    incremental: PipelineRun

    @property
    def ratio_to_baseline(self) -> float:
        return self.full.total / self.baseline_seconds

    @property
    def incremental_fraction(self) -> float:
        return self.incremental.total / self.full.total

    @property
    def validation_share(self) -> float:
        return self.full.seconds["validation"] / self.full.total


# History is the generator's own window (two years), so a size preset means the same rows here as
# on its command line; the incremental day opens a new month, so its files are that month's files.
INCREMENT_DAY = DEFAULT_END + timedelta(days=1)


def run(size: str, work: Path) -> BenchResult:
    """History = the generator's default window of exports; the incremental refresh adds the next day's files."""
    source = work / "generated"
    rows = sum(generate(source, seed=42, size=size, start=DEFAULT_START, end=INCREMENT_DAY).values())
    data = work / "data"
    increment = f"{INCREMENT_DAY:%Y-%m}"
    for path in source.rglob("*"):
        if path.is_file() and increment not in path.name:
            target = data / "landing" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    full = run_pipeline(data)
    baseline = run_baseline(data / "landing", work)
    for path in source.rglob(f"*{increment}*"):
        target = data / "landing" / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    incremental = run_pipeline(data)
    return BenchResult(size, rows, full, baseline, incremental)
