"""Publish the marts from the working warehouse to `serving/` where BI tools read them.

BI tools never open the working file (DuckDB has one writer). They read `serving.duckdb`, written
in storage format v1.0.0 so that the DuckDB 1.x embedded in BI drivers can open it, or Parquet.
Both are built beside the target and swapped in whole (the file renamed over the old one, the
Parquet folder by `serving.folder_swap`), so a reader sees the old copy or the new one, never a
mix, and a failed or killed publish leaves the previous copy untouched.

Every mart is also a view of the same name in the file's default schema `main`, so `FROM
fct_orders` works too: Superset (duckdb-engine) does not resolve unqualified names in another
schema even with that schema selected. A view names its table without a database, and DuckDB
resolves it in the file the view lives in, whatever name a client attaches the file under.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from ingestion.parsing import quote_ident
from serving import folder_swap

SERVING_FILE = "serving.duckdb"
PARQUET_DIR = "parquet"
SERVING_STORAGE_VERSION = "v1.0.0"
PUBLISHED_SCHEMAS = ("marts",)
# Its tables are also views in the default schema, reachable without a schema prefix.
UNQUALIFIED_SCHEMA = "marts"
DEFAULT_SCHEMA = "main"


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
                if schema == UNQUALIFIED_SCHEMA:
                    con.execute(f"CREATE VIEW {alias}.{DEFAULT_SCHEMA}.{quote_ident(table)} AS "
                                f"SELECT * FROM {quote_ident(schema)}.{quote_ident(table)}")
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
    source = f"{quote_ident(schema)}.{quote_ident(table)}"
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {alias}.{quote_ident(schema)}")
    con.execute(f"CREATE TABLE {alias}.{source} AS SELECT * FROM {source}")
    con.execute(f"COPY {source} TO '{parquet_dir / (table + '.parquet')}' (FORMAT parquet)")
    return con.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0]


def _swap_in(staged: Path, target: Path) -> None:
    """Rename the staged file over the target; a stale WAL would be replayed onto it, so drop it."""
    Path(f"{staged}.wal").unlink(missing_ok=True)
    Path(f"{target}.wal").unlink(missing_ok=True)
    os.replace(staged, target)
