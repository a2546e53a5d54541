"""Connections to the warehouse, with the memory cap every process working on it keeps to.

The cap is SET after connecting rather than passed as connection config: DuckDB refuses a
second connection to an open file whose config differs, and tests and tools open the same
file with plain `duckdb.connect`.
"""
from __future__ import annotations

import duckdb

from ingestion.parsing import quote_literal
from ingestion.settings import Settings


def limit_memory(con: duckdb.DuckDBPyConnection, memory_limit: str) -> duckdb.DuckDBPyConnection:
    con.execute(f"SET memory_limit = {quote_literal(memory_limit)}")
    return con


def connect_warehouse(settings: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return limit_memory(duckdb.connect(str(settings.warehouse), read_only=read_only), settings.duckdb_memory_limit)
