"""Pick the reader for a delivery (CSV, NDJSON, Parquet) and the vendor mapping it matches.

Whatever the format, a reader hands over the same kind of source and scan tables (see
`ingestion.scan`), so typing, quarantine and the ledger work the same for all of them.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingestion import account_chart, csv_scan, json_scan, parquet_scan
from ingestion.contract import Contract
from ingestion.files import FileFacts, count_lines, utf8_copy
from ingestion.formats import ParseOptions, detect_options, generic_options, open_binary
from ingestion.mapping import VendorMapping, find_mapping, load_mappings
from ingestion.scan import STAGE, DeliveryError, Scan, Source, reset

JSON_SUFFIXES = (".ndjson", ".jsonl", ".json", ".ndjson.gz", ".jsonl.gz", ".json.gz")
PARQUET_SUFFIXES = (".parquet",)
CSV_SUFFIXES = (".csv", ".csv.gz", ".txt")
DELIVERY_SUFFIXES = CSV_SUFFIXES + JSON_SUFFIXES + PARQUET_SUFFIXES


@dataclass(frozen=True)
class Delivery:
    header: list[str]
    mapping: VendorMapping | None
    options: ParseOptions
    source: Source
    # Counts and LINES, given how many records reading the source gave (CSV knows them only then).
    complete: Callable[[object, int], Scan]
    header_line: int  # physical line of the header (0 for formats without one)


def _with_overrides(options: ParseOptions, mapping: VendorMapping | None) -> ParseOptions:
    return dataclasses.replace(options, **mapping.parse) if mapping else options


def _csv_header_and_mapping(contract: Contract, path: Path, options: ParseOptions, label: str):
    """The header line and the vendor mapping it matches; vendor headers may follow a preamble."""
    try:
        header, error = csv_scan.parse_header(path, options, label), None
    except DeliveryError as exc:  # a preamble line (DATEV's EXTF line) has empty fields
        header, error = [], exc
    mapping = find_mapping(contract.entity, header) if header else None
    if mapping is None:
        for skip in sorted({m.skip_lines for m in load_mappings() if m.entity == contract.entity} - {0}):
            try:
                candidate = csv_scan.parse_header(path, options, label, skip)
            except DeliveryError:
                continue
            found = find_mapping(contract.entity, candidate)
            if found is not None and found.skip_lines == skip:
                return candidate, found
    if error is not None:
        raise error
    return header, mapping


def _preamble_fields(path: Path, options: ParseOptions) -> list[str]:
    """The fields of the first line (DATEV's EXTF line)."""
    with open_binary(path) as fh:
        first = fh.readline().decode(options.encoding, errors="replace").lstrip("\ufeff")
    return next(csv.reader(io.StringIO(first), delimiter=options.delimiter), [])


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


def read_csv(con, contract: Contract, path: Path, label: str, tmp_dir: Path, facts: FileFacts) -> Delivery:
    detected = detect_options(path, facts.strict_utf8)
    header, mapping = _csv_header_and_mapping(contract, path, detected, label)
    preamble = _preamble_fields(path, detected) if mapping and mapping.skip_lines else []
    mapping = _with_preamble_year(mapping, preamble, label)
    options = _with_overrides(detected, mapping)
    skip = mapping.skip_lines if mapping else 0
    readable = utf8_copy(path, options.encoding, tmp_dir)
    data_lines = (count_lines(path) if facts.lines is None else facts.lines) - 1 - skip
    reset(con)
    source = csv_scan.source(readable, header, options, skip)
    if mapping and mapping.accounts:  # the chart of accounts: from the EXTF line or the bookings
        mapping = dataclasses.replace(mapping, accounts=account_chart.resolved(con, mapping.accounts, preamble, source.sql, header, label))

    def complete(con, rows: int) -> Scan:
        return csv_scan.complete(con, readable, header, options, rows, data_lines, skip)

    return Delivery(header, mapping, options, source, complete, skip + 1)


def _json_path(key: str) -> str:
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_json(con, contract: Contract, path: Path, label: str) -> Delivery:
    keys = json_scan.first_object_keys(con, path)
    mapping = find_mapping(contract.entity, keys, json=True)
    fields = mapping.fields if mapping else {k: _json_path(k) for k in keys}
    if not fields:
        raise DeliveryError(f"{label}: line 1: no JSON object found")
    options = _with_overrides(generic_options(path), mapping)
    return _staged(list(fields), mapping, options, json_scan.scan(con, path, fields), 0)


def read_parquet(con, contract: Contract, path: Path) -> Delivery:
    header = parquet_scan.parquet_columns(con, path)
    mapping = find_mapping(contract.entity, header)
    options = _with_overrides(generic_options(path), mapping)
    return _staged(header, mapping, options, parquet_scan.scan(con, path, header), 0)


def _staged(header: list[str], mapping: VendorMapping | None, options: ParseOptions, scanned: Scan, header_line: int) -> Delivery:
    """A delivery its reader already put into STAGE and counted."""
    return Delivery(header, mapping, options, Source(STAGE), lambda con, rows: scanned, header_line)


def read_delivery(con, contract: Contract, path: Path, label: str, tmp_dir: Path, facts: FileFacts) -> Delivery:
    name = path.name.lower()
    if name.endswith(JSON_SUFFIXES):
        return read_json(con, contract, path, label)
    if name.endswith(PARQUET_SUFFIXES):
        return read_parquet(con, contract, path)
    return read_csv(con, contract, path, label, tmp_dir, facts)
