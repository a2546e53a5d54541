"""Read one delimited text delivery (CSV, tab- or pipe-separated, UTF-16 "Unicode text"): its
`read_csv` source and, once read, the scan tables (see `ingestion.scan`).

The header, the vendor mapping it matches and a preamble come from the bytes detection already
read (`FileFacts.head`); only a file that is not UTF-8, or ends with a Ctrl-Z, is copied first.

DuckDB's reader does the parsing (fast, out of core) and sets aside structurally broken lines
(wrong column count, bad quoting); the line numbers it reports count records, so records are
mapped back to physical lines, with a slower Python pass only for files whose quoted fields
span lines.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

import pyarrow as pa

from ingestion import account_chart
from ingestion.contract import Contract
from ingestion.delivery import Delivery, Incoming, with_overrides
from ingestion.detect import head_text
from ingestion.files import HEAD_BYTES, record_start_lines, utf8_copy
from ingestion.formats import ParseOptions
from ingestion.header import checked_header, header_and_mapping
from ingestion.mapping import VendorMapping
from ingestion.parsing import quote_literal
from ingestion.scan import LINES, REJECTS, REJECTS_SCAN, DeliveryError, Scan, Source, counted, reset, sequential_lines


def _physical_lines(text: str, count: int) -> list[str]:
    reader = io.StringIO(text, newline="")
    return [reader.readline() for _ in range(count)]


def _header_after(incoming: Incoming, text: str, delimiter: str):
    def header(skip: int) -> list[str]:
        """Column names from the header line, which follows `skip` preamble lines."""
        line = _physical_lines(text, skip + 1)[-1]
        where = f"{incoming.label}: line {skip + 1}"
        if not line.strip():
            raise DeliveryError(f"{where}: empty file, no header line")
        if not line.endswith("\n") and len(incoming.facts.head) >= HEAD_BYTES:
            raise DeliveryError(f"{where}: the header line is longer than {HEAD_BYTES} bytes; is this a delivery file?")
        return checked_header(next(csv.reader(io.StringIO(line.rstrip("\r\n")), delimiter=delimiter)), where)

    return header


def _preamble_fields(text: str, delimiter: str) -> list[str]:
    """The fields of the first line (DATEV's EXTF line)."""
    return next(csv.reader(io.StringIO(_physical_lines(text, 1)[0]), delimiter=delimiter), [])


def _with_preamble_year(mapping: VendorMapping | None, fields: list[str], label: str):
    """The mapping with the fiscal year start read from the preamble (DATEV's EXTF line), when
    it asks for one; the value only ever reaches SQL as a quoted literal."""
    if mapping is None or mapping.year_from_preamble is None:
        return mapping
    position = mapping.year_from_preamble.field
    value = fields[position - 1].strip() if len(fields) >= position else ""
    if not re.fullmatch(r"\d{8}", value):
        raise DeliveryError(f"{label}: line 1: field {position} should be the fiscal year start as yyyymmdd, got {value!r}")
    return dataclasses.replace(mapping, fiscal_year_start=value)


def read(con, contract: Contract, incoming: Incoming) -> Delivery:
    text = head_text(incoming.facts, incoming.sniffed.encoding)
    detected = incoming.sniffed.text_options(text)
    header, mapping = header_and_mapping(contract.entity, _header_after(incoming, text, detected.delimiter))
    preamble = _preamble_fields(text, detected.delimiter) if mapping and mapping.skip_lines else []
    mapping = _with_preamble_year(mapping, preamble, incoming.label)
    options = with_overrides(detected, mapping)
    skip = mapping.skip_lines if mapping else 0
    readable, copied_lines = utf8_copy(incoming.path, options.encoding, incoming.tmp_dir, incoming.facts)
    data_lines = (incoming.facts.lines if copied_lines is None else copied_lines) - 1 - skip
    compression = options.compression if readable == incoming.path else None
    reset(con)
    scanned_source = source(readable, header, options, skip, compression)
    if mapping and mapping.accounts:  # the chart of accounts: from the EXTF line or the bookings
        accounts = account_chart.resolved(con, mapping.accounts, preamble, scanned_source.sql, header, incoming.label)
        mapping = dataclasses.replace(mapping, accounts=accounts)

    def scanned(con, rows: int) -> Scan:
        return complete(con, readable, header, options, rows, data_lines, skip)

    return Delivery(header, mapping, options, scanned_source, scanned, skip + 1)


def source(readable: Path, header: list[str], options: ParseOptions, skip: int, compression: str | None) -> Source:
    """The file as text columns c0..cN; reading it fills REJECTS."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
    return Source(
        f"read_csv({quote_literal(str(readable))}, "
        f"header = true, skip = {int(skip)}, auto_detect = false, columns = {columns}, "
        f"compression = '{'gzip' if compression == 'gzip' else 'none'}', "
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
