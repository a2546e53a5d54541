"""Read one CSV delivery: its `read_csv` source and, once read, the scan tables (see `ingestion.scan`).

DuckDB's reader does the parsing (fast, out of core) and sets aside structurally broken lines
(wrong column count, bad quoting); the line numbers it reports count records, so records are
mapped back to physical lines, with a slower Python pass only for files whose quoted fields
span lines.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa

from ingestion.files import record_start_lines
from ingestion.formats import ParseOptions, open_binary
from ingestion.parsing import quote_literal
from ingestion.scan import LINES, REJECTS, REJECTS_SCAN, DeliveryError, Scan, Source, counted, sequential_lines


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


def source(readable: Path, header: list[str], options: ParseOptions, skip: int = 0) -> Source:
    """The file as text columns c0..cN; reading it fills REJECTS."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
    return Source(
        f"read_csv({quote_literal(str(readable))}, "
        f"header = true, skip = {int(skip)}, auto_detect = false, columns = {columns}, "
        f"delim = {quote_literal(options.delimiter)}, quote = '\"', escape = '\"', "
        f"strict_mode = true, store_rejects = true, rejects_table = '{REJECTS}', "
        f"rejects_scan = '{REJECTS_SCAN}')",
        side_tables=(REJECTS, REJECTS_SCAN),
    )


def complete(con, readable: Path, header: list[str], options: ParseOptions, rows: int, data_lines: int, skip: int = 0) -> Scan:
    """Counts and LINES once the source was read into `rows` records."""
    result = counted(con, header, rows)
    records = result.rows + result.rejected
    if records == data_lines:
        sequential_lines(con, records, 1 + skip)
    else:
        _map_multiline_records(con, readable, options, skip)
    return result


def _map_multiline_records(con, readable: Path, options: ParseOptions, skip: int) -> None:
    starts = record_start_lines(readable, options.delimiter, skip)
    table = pa.table({"record_number": pa.array(range(1, len(starts) + 1), pa.int64()), "line": pa.array(starts, pa.int64())})
    con.register("_scan_starts", table)
    con.execute(f"CREATE TEMP TABLE {LINES} AS SELECT * FROM _scan_starts")
    con.unregister("_scan_starts")
