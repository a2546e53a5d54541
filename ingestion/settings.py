"""Where the pipeline reads and writes, from the environment, in one place.

Dagster, dbt, the command line and the tests all resolve paths here, so one variable
(`CRM_WAREHOUSE`) names the DuckDB file for every tool.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DUCKDB_MEMORY_LIMIT = "2GB"
DEFAULT_EARLIEST_DATE = date(1970, 1, 1)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    landing_dir: Path
    warehouse: Path
    reject_threshold: float
    # First day of the daily partitions (ISO date); older rows still load, in the first build.
    history_start: str = "2024-01-01"
    # DuckDB's memory cap (its default is 80 % of RAM); above it, joins, sorts and windows spill
    # to disk. dbt's profile reads the same variable with the same default.
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT
    # Oldest plausible date in a delivery: an older one fails the staging suites as a parse error.
    # History from any year after it loads (an order book from 1997, say).
    earliest_date: date = DEFAULT_EARLIEST_DATE

    @property
    def serving_dir(self) -> Path:
        return self.data_dir / "serving"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def data_docs_dir(self) -> Path:
        return self.data_dir / "data_docs"

    @property
    def validations_dir(self) -> Path:
        return self.data_dir / "validations"


class UnsafePathError(ValueError):
    """A configured path resolves outside the data folder."""


def _inside_data_dir(name: str, path: Path, data_dir: Path, env) -> Path:
    """Paths from configuration must stay inside CRM_DATA_DIR (after resolving `..` and symlinks),
    so a mistyped or hostile setting cannot make a run read or overwrite files elsewhere.
    CRM_ALLOW_EXTERNAL_PATHS=1 lifts this for deliberate setups (a shared landing mount)."""
    if env.get("CRM_ALLOW_EXTERNAL_PATHS") == "1" or path.is_relative_to(data_dir):
        return path
    raise UnsafePathError(f"{name}={path} is outside CRM_DATA_DIR={data_dir}; set CRM_ALLOW_EXTERNAL_PATHS=1 to allow it")


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("CRM_DATA_DIR", PROJECT_DIR / "data")).resolve()
    landing_dir = Path(env.get("CRM_LANDING_DIR", data_dir / "landing")).resolve()
    warehouse = Path(env.get("CRM_WAREHOUSE", data_dir / "warehouse.duckdb")).resolve()
    return Settings(
        data_dir=data_dir,
        landing_dir=_inside_data_dir("CRM_LANDING_DIR", landing_dir, data_dir, env),
        warehouse=_inside_data_dir("CRM_WAREHOUSE", warehouse, data_dir, env),
        reject_threshold=float(env.get("CRM_REJECT_THRESHOLD", "0.01")),
        history_start=date.fromisoformat(env.get("CRM_HISTORY_START", "2024-01-01")).isoformat(),
        duckdb_memory_limit=env.get("CRM_DUCKDB_MEMORY_LIMIT", DEFAULT_DUCKDB_MEMORY_LIMIT),
        earliest_date=_iso_date("CRM_EARLIEST_DATE", env.get("CRM_EARLIEST_DATE"), DEFAULT_EARLIEST_DATE),
    )


def _iso_date(name: str, value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not an ISO date: write it as yyyy-mm-dd, e.g. 1990-01-01") from None
