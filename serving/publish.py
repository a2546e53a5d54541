"""Publish the marts from the working warehouse to `serving/` where BI tools read them.

BI tools never open the working file (DuckDB has one writer). They read `serving.duckdb`, written
in storage format v1.0.0 so that the DuckDB 1.x embedded in BI drivers can open it, or Parquet.
Both are built beside the target and swapped in whole (the file renamed over the old one, the
Parquet folder by `serving.folder_swap`), so a reader sees the old copy or the new one, never a
mix, and a failed or killed publish leaves the previous copy untouched.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from serving import folder_swap

SERVING_FILE = "serving.duckdb"
PARQUET_DIR = "parquet"
SERVING_STORAGE_VERSION = "v1.0.0"
PUBLISHED_SCHEMAS = ("marts",)


@dataclass(frozen=True)
class PublishResult:
    serving_file: Path
    parquet_dir: Path
    tables: dict[str, int]  # "schema.table" -> rows


def _tables(con, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    placeholders = ", ".join("?" for _ in schemas)
    return con.execute(
        f"SELECT table_schema, table_name FROM information_schema.tables "
        f"WHERE table_catalog = current_database() AND table_schema IN ({placeholders}) "
        f"AND table_type = 'BASE TABLE' ORDER BY 1, 2",
        list(schemas),
    ).fetchall()


def publish(con, serving_dir: Path, schemas: tuple[str, ...] = PUBLISHED_SCHEMAS) -> PublishResult:
    """Copy every table of `schemas` from the warehouse connection `con` into the serving files."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:12]
    staged_db = serving_dir / f".{SERVING_FILE}.{token}.tmp"
    parquet_link = serving_dir / PARQUET_DIR
    staged_parquet = folder_swap.new_version(parquet_link)
    alias = f"serving_{token}"
    tables: dict[str, int] = {}
    try:
        con.execute(f"ATTACH '{staged_db}' AS {alias} (STORAGE_VERSION '{SERVING_STORAGE_VERSION}')")
        try:
            for schema, table in _tables(con, schemas):
                tables[f"{schema}.{table}"] = _copy_table(con, alias, schema, table, staged_parquet)
        finally:
            con.execute(f"DETACH {alias}")
        _swap_in(staged_db, serving_dir / SERVING_FILE)
        folder_swap.swap(staged_parquet, parquet_link)
    finally:
        # This publish's staged file, or any a killed one left (one publisher at a time).
        for leftover in serving_dir.glob(f".{SERVING_FILE}.*.tmp*"):
            leftover.unlink(missing_ok=True)
        folder_swap.remove_stale(parquet_link)
    return PublishResult(serving_dir / SERVING_FILE, parquet_link, tables)


def _copy_table(con, alias: str, schema: str, table: str, parquet_dir: Path) -> int:
    """Stage one table into the attached serving file and as Parquet; returns its row count."""
    con.execute(f'CREATE SCHEMA IF NOT EXISTS {alias}."{schema}"')
    con.execute(f'CREATE TABLE {alias}."{schema}"."{table}" AS SELECT * FROM "{schema}"."{table}"')
    con.execute(f"COPY \"{schema}\".\"{table}\" TO '{parquet_dir / (table + '.parquet')}' (FORMAT parquet)")
    return con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchall()[0][0]


def _swap_in(staged: Path, target: Path) -> None:
    """Rename the staged file over the target; a stale WAL would be replayed onto it, so drop it."""
    Path(f"{staged}.wal").unlink(missing_ok=True)
    Path(f"{target}.wal").unlink(missing_ok=True)
    os.replace(staged, target)
