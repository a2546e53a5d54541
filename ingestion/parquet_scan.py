"""Read a Parquet delivery into the scan tables; its rows are numbered from 1 in place of lines."""
from __future__ import annotations

from pathlib import Path

from ingestion.contract import Contract
from ingestion.delivery import Delivery, Incoming, staged, with_overrides
from ingestion.formats import generic_options
from ingestion.mapping import find_mapping
from ingestion.parsing import quote_ident, quote_literal
from ingestion.scan import REJECTS, REJECTS_COLUMNS, STAGE, Scan, counted, reset, sequential_lines


def parquet_columns(con, path: Path) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({quote_literal(str(path))})").fetchall()]


def scan(con, path: Path, header: list[str]) -> Scan:
    reset(con)
    columns = ", ".join(f"CAST({quote_ident(name)} AS VARCHAR) AS c{i}" for i, name in enumerate(header))
    con.execute(f"CREATE TEMP TABLE {STAGE} AS SELECT {columns} FROM read_parquet({quote_literal(str(path))})")
    con.execute(f"CREATE TEMP TABLE {REJECTS} ({REJECTS_COLUMNS})")
    result = counted(con, header)
    sequential_lines(con, result.rows, 0)
    return result


def read(con, contract: Contract, incoming: Incoming) -> Delivery:
    header = parquet_columns(con, incoming.path)
    mapping = find_mapping(contract.entity, header)
    options = with_overrides(generic_options(), mapping)
    return staged(header, mapping, options, scan(con, incoming.path, header), 0)
