"""Shared by the privacy, erasure and fault tests: one small sample built once per session
(generate -> load -> dbt build -> publish, no Dagster), and helpers to copy it and compare layers.

Every test works in its own data folder under pytest's tmp dir, never in the session data dir
the Dagster tests use, because these tests kill processes and rewrite files.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.connection import connect_warehouse
from ingestion.contract import load_contracts
from ingestion.ledger import LoadResult
from ingestion.loader import load_entity
from ingestion.settings import PROJECT_DIR, Settings, load_settings
from serving.publish import PublishResult, publish
from transform.dbt import run_dbt_child

SAMPLE = {"seed": 7, "size": "tiny", "customers": 30, "start": date(2025, 1, 1), "end": date(2025, 4, 30)}


def settings_for(data_dir: Path) -> Settings:
    return load_settings({"CRM_DATA_DIR": str(data_dir)})


def env_for(data_dir: Path) -> dict[str, str]:
    """Environment of a child process working on `data_dir` (overrides the session's paths). The
    daily partitions start with the sample: a refresh (erasure's) names fewer days to Dagster."""
    return os.environ | {
        "CRM_DATA_DIR": str(data_dir), "CRM_LANDING_DIR": str(data_dir / "landing"),
        "CRM_WAREHOUSE": str(data_dir / "warehouse.duckdb"), "DAGSTER_HOME": str(data_dir / "dagster_home"),
        "CRM_HISTORY_START": SAMPLE["start"].isoformat(), "PYTHONPATH": str(PROJECT_DIR),
    }


def run_module(module: str, data_dir: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], env=env_for(data_dir), cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=timeout)


def load_landing(settings: Settings) -> list[LoadResult]:
    """Load every new delivery of every contract into raw (files seen before are skipped)."""
    results: list[LoadResult] = []
    with connect_warehouse(settings) as con:
        for contract in load_contracts().values():
            results += load_entity(con, contract, settings.landing_dir)
    return results


def republish(settings: Settings) -> PublishResult:
    with connect_warehouse(settings) as con:
        return publish(con, settings.serving_dir)


# `dbt build` without dbt's tests, for a rebuild of data whose tests already passed.
MODELS_ONLY = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


def copy_data_dir(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("dbt_target"))
    return target


def _comparable(value):
    """Floats to 9 decimals (sums may differ in the last bits between builds), NaN comparable."""
    if isinstance(value, float):
        return "nan" if value != value else round(value, 9)
    return value


def _sort_key(row):
    return tuple((value is None, repr(value)) for value in row)


def table_contents(db: Path, schemas: tuple[str, ...], exclude_columns: tuple[str, ...] = ()) -> dict[str, list]:
    """Every table and view of `schemas`, as sorted rows: equal when two builds hold the same data."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
            f"({', '.join('?' for _ in schemas)}) ORDER BY 1, 2", list(schemas)).fetchall()
        contents = {}
        for schema, table in tables:
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                "ORDER BY ordinal_position", [schema, table]).fetchall() if r[0] not in exclude_columns]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = [tuple(map(_comparable, r)) for r in con.execute(f'SELECT {select} FROM "{schema}"."{table}"').fetchall()]
            contents[f"{schema}.{table}"] = sorted(rows, key=_sort_key)
    return contents


def raw_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' AND table_name NOT LIKE '\\_%' ESCAPE '\\'").fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM raw."{t}"').fetchall()[0][0] for t in tables}


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory) -> Path:
    """A data folder holding the sample, fully loaded, built (every dbt test passing) and published."""
    from ingestion.generate import generate

    data_dir = tmp_path_factory.mktemp("h8-clean")
    generate(data_dir / "landing", **SAMPLE)
    settings = settings_for(data_dir)
    load_landing(settings)
    run_dbt_child("build", settings=settings)
    republish(settings)
    return data_dir
