"""Read an Excel workbook (.xlsx) into the scan tables: the first sheet, or the sheet its vendor
mapping names (`sheet:`) when the workbook has it.

openpyxl streams the sheet (read-only mode) and hands over typed cells; each becomes the text the
contract typing reads: dates and datetimes ISO, numbers plain in the delivery's decimal
convention with at most Excel's 15 significant digits (so 1234.4999999999998 is 1234.5).
Records keep Excel's row numbers as their lines, so a quarantined row is found where Excel shows
it; empty rows are skipped, values right of the header are rejected with their row.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from itertools import chain, islice

import openpyxl
import pyarrow as pa

from ingestion.contract import Contract
from ingestion.delivery import Delivery, Incoming, staged, with_overrides
from ingestion.formats import ParseOptions, generic_options
from ingestion.header import checked_header, header_and_mapping
from ingestion.mapping import VendorMapping, load_mappings
from ingestion.scan import LINES, REJECTS, REJECTS_COLUMNS, STAGE, DeliveryError, Scan, counted, reset

# Excel has no date type: a date cell is a datetime at midnight, written as the date alone.
ISO_DATES = ("%Y-%m-%d",)
ISO_TIMESTAMPS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def cell_text(value, decimal: str = ".") -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(format(value, ".15g")), "f").replace(".", decimal)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _options(mapping: VendorMapping | None) -> ParseOptions:
    """Generic conventions, a mapping's overrides, and ISO forms first for Excel's date cells."""
    options = with_overrides(generic_options(), mapping)
    return dataclasses.replace(
        options,
        date_formats=tuple(dict.fromkeys(ISO_DATES + options.date_formats)),
        timestamp_formats=tuple(dict.fromkeys(ISO_TIMESTAMPS + options.timestamp_formats)),
    )


def _sheet_rows(workbook, name: str):
    return workbook[name].iter_rows(values_only=True)


def _header_rows(rows, label: str, sheet: str):
    """The first rows (enough for any preamble) and a header finder over them."""
    first = list(islice(rows, 1 + max((m.skip_lines for m in load_mappings()), default=0)))

    def header_after(skip: int) -> list[str]:
        where = f"{label}: sheet {sheet!r}, row {skip + 1}"
        if len(first) <= skip or not any(v is not None for v in first[skip]):
            raise DeliveryError(f"{where}: no header row")
        names = [cell_text(v) or "" for v in first[skip]]
        while names and not names[-1]:
            names.pop()  # formatted but empty cells right of the header
        return checked_header(names, where)

    return first, header_after


def _choose_sheet(workbook, contract: Contract, label: str):
    """(sheet, its rows, preamble rows, header, mapping): a mapping's named sheet when the
    workbook has it and its header matches, else the first sheet."""
    for mapping in load_mappings():
        if mapping.entity == contract.entity and mapping.sheet in workbook.sheetnames and not mapping.fields:
            rows = _sheet_rows(workbook, mapping.sheet)
            first, header_after = _header_rows(rows, label, mapping.sheet)
            try:
                header = header_after(mapping.skip_lines)
            except DeliveryError:
                continue
            if mapping.applies_to(header):
                return mapping.sheet, rows, first, header, mapping
    name = workbook.sheetnames[0]
    rows = _sheet_rows(workbook, name)
    first, header_after = _header_rows(rows, label, name)
    return (name, rows, first) + header_and_mapping(contract.entity, header_after)


def _stage(con, header: list[str], records, options: ParseOptions) -> Scan:
    """STAGE, LINES and REJECTS from (row number, cells) pairs."""
    width, columns, lines, rejects = len(header), [[] for _ in header], [], []
    for number, cells in records:
        texts = [cell_text(v, options.decimal) for v in cells]
        if not any(texts):
            continue
        lines.append(number)
        if any(texts[width:]):
            text = "\t".join(t or "" for t in texts)
            rejects.append((len(lines) + 1, None, "TOO MANY COLUMNS", f"values right of the header's {width} columns", text))
            continue
        for i, column in enumerate(columns):
            column.append(texts[i] if i < len(texts) else None)
    reset(con)
    stage = pa.table({f"c{i}": pa.array(column, pa.string()) for i, column in enumerate(columns)})
    numbered = pa.table({"record_number": pa.array(range(1, len(lines) + 1), pa.int64()), "line": pa.array(lines, pa.int64())})
    con.register("_xlsx_stage", stage)
    con.register("_xlsx_lines", numbered)
    con.execute(f"CREATE TEMP TABLE {STAGE} AS SELECT * FROM _xlsx_stage")
    con.execute(f"CREATE TEMP TABLE {LINES} AS SELECT * FROM _xlsx_lines")
    con.unregister("_xlsx_stage")
    con.unregister("_xlsx_lines")
    con.execute(f"CREATE TEMP TABLE {REJECTS} ({REJECTS_COLUMNS})")
    if rejects:
        con.executemany(f"INSERT INTO {REJECTS} VALUES (?, ?, ?, ?, ?)", rejects)
    return counted(con, header)


def read(con, contract: Contract, incoming: Incoming) -> Delivery:
    workbook = openpyxl.load_workbook(incoming.path, read_only=True, data_only=True)
    try:
        sheet, rows, first, header, mapping = _choose_sheet(workbook, contract, incoming.label)
        skip = mapping.skip_lines if mapping else 0
        options = _options(mapping)
        records = enumerate(chain(first[skip + 1:], rows), start=skip + 2)
        scanned = _stage(con, header, records, options)
    finally:
        workbook.close()
    return staged(header, mapping, options, scanned, skip + 1, {"sheet": sheet})
