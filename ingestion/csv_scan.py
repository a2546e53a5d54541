"""Read one delivery into a temporary all-text table, keeping every record's physical line.

DuckDB's reader does the parsing (fast, out of core) and sets aside structurally broken lines
(wrong column count, bad quoting); the line numbers it reports count records, so records are
mapped back to physical lines, with a slower Python pass only for files whose quoted fields
span lines.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from ingestion.files import record_start_lines
from ingestion.formats import ParseOptions, open_binary
from ingestion.parsing import quote_literal

STAGE, REJECTS, LINES = "_scan_rows", "_scan_rejects", "_scan_lines"


class DeliveryError(Exception):
    """A delivery that cannot be loaded at all; the message names the file and the reason."""


@dataclass(frozen=True)
class Scan:
    header: list[str]
    rows: int  # records DuckDB parsed
    rejected: int  # records DuckDB set aside


def parse_header(path: Path, options: ParseOptions, file_label: str, skip: int = 0) -> list[str]:
    """Column names from the header line, which follows `skip` preamble lines."""
    with open_binary(path) as fh:
        for _ in range(skip):
            fh.readline()
        first = fh.readline()
    if not first.strip():
        raise DeliveryError(f"{file_label}: line {skip + 1}: empty file, no header line")
    text = first.decode(options.encoding, errors="replace").lstrip("\ufeff")
    header = [h.strip() for h in next(csv.reader(io.StringIO(text), delimiter=options.delimiter))]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates or "" in header:
        raise DeliveryError(f"{file_label}: line {skip + 1}: duplicate or empty column names {duplicates}")
    return header


def scan(con, readable: Path, header: list[str], options: ParseOptions, data_lines: int, skip: int = 0) -> Scan:
    """Fill STAGE (columns c0..cN, all VARCHAR), REJECTS and LINES (record -> physical line)."""
    for table in (STAGE, REJECTS, LINES, "_scan_rejects_scan"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
    con.execute(
        f"CREATE TEMP TABLE {STAGE} AS SELECT * FROM read_csv({quote_literal(str(readable))}, "
        f"header = true, skip = {int(skip)}, auto_detect = false, columns = {columns}, "
        f"delim = {quote_literal(options.delimiter)}, quote = '\"', escape = '\"', "
        f"strict_mode = true, store_rejects = true, rejects_table = '{REJECTS}', "
        f"rejects_scan = '_scan_rejects_scan')"
    )
    rows = con.execute(f"SELECT count(*) FROM {STAGE}").fetchall()[0][0]
    rejected = con.execute(f"SELECT count(DISTINCT line) FROM {REJECTS}").fetchall()[0][0]
    _map_lines(con, readable, options, rows + rejected, data_lines, skip)
    return Scan(header=header, rows=rows, rejected=rejected)


def _map_lines(con, readable: Path, options: ParseOptions, records: int, data_lines: int, skip: int) -> None:
    """LINES(record_number, line): record_number counts all records from 1, rejected ones too."""
    if records == data_lines:
        con.execute(
            f"CREATE TEMP TABLE {LINES} AS SELECT r AS record_number, r + 1 + {int(skip)} AS line "
            f"FROM range(1, {records} + 1) t(r)"
        )
        return
    starts = record_start_lines(readable, options.delimiter, skip)
    table = pa.table({"record_number": pa.array(range(1, len(starts) + 1), pa.int64()), "line": pa.array(starts, pa.int64())})
    con.register("_scan_starts", table)
    con.execute(f"CREATE TEMP TABLE {LINES} AS SELECT * FROM _scan_starts")
    con.unregister("_scan_starts")


def good_record_lines_sql() -> str:
    """Rows of STAGE (by rowid order) paired with their physical line, skipping rejected records."""
    return f"""
        SELECT row_number() OVER (ORDER BY l.record_number) - 1 AS record, l.line
        FROM {LINES} l
        WHERE l.record_number + 1 NOT IN (SELECT line FROM {REJECTS})
    """


def rejected_lines_sql() -> str:
    """One row per rejected record (DuckDB reports a short line once per missing column)."""
    return f"""
        SELECT coalesce(l.line, r.line) AS line, r.error_type::VARCHAR AS error_type,
               min(r.error_message) AS error_message, min(r.csv_line) AS csv_line
        FROM {REJECTS} r LEFT JOIN {LINES} l ON l.record_number = r.line - 1
        GROUP BY ALL
    """
