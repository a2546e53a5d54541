"""Every delivery read into `raw` by DuckDB's own CSV reader: the first part of the same-work limit.

One INSERT per entity (and kind of file), in the typed form the loader writes: the contract's columns parsed by the
loader's own SQL (`ingestion.parsing`, `ingestion.value_sql`), rows with a missing required or
unparseable value left out, the lineage columns, and a ledger row in `raw._loads` with the file's
SHA-256 (hashed by DuckDB). What a hand-written script knows in advance (each file's delimiter,
conventions and header) is read here, before the clock starts. Windows-1252 and UTF-16 files
are the exception: DuckDB cannot read them here, so `readable_copies` transcodes them, and that
time counts as the limit's.

Not done, unlike the loader: quarantine entries, repeated keys within a file, records spanning
lines (`_line` counts records, in the order of DuckDB's window, which need not be the file's), columns a file has beyond the contract (`_extra` stays NULL),
vendor layouts, and formats other than delimited text.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ingestion.contract import Contract, load_contracts
from ingestion.detect import detect_options
from ingestion.files import utf8_copy
from ingestion.formats import ParseOptions, open_binary
from ingestion.ledger import LEDGER_DDL
from ingestion.parsing import parse_expression, quote_literal
from ingestion.value_sql import text_of


@dataclass(frozen=True)
class DeliveryFile:
    contract: Contract
    path: Path  # as delivered
    label: str  # relative to the landing zone, as `_file` holds it
    options: ParseOptions
    header: tuple[str, ...]
    readable: Path  # the file DuckDB reads: the delivery, or its UTF-8 copy


def find_deliveries(landing: Path, labels: set[str] | None = None) -> list[DeliveryFile]:
    """Every delivery of every contract under `landing` (or only those whose label is in `labels`)."""
    found = []
    for contract in load_contracts().values():
        for path in sorted((landing / contract.source / contract.entity).glob("*")):
            label = path.relative_to(landing).as_posix()
            if path.is_file() and (labels is None or label in labels):
                options = detect_options(path)
                with open_binary(path) as fh:
                    first = io.TextIOWrapper(fh, encoding=options.encoding, newline="").readline().lstrip("\ufeff")
                header = tuple(next(csv.reader([first.rstrip("\r\n")], delimiter=options.delimiter)))
                found.append(DeliveryFile(contract, path, label, options, header, path))
    return found


def readable_copies(files: list[DeliveryFile], work: Path) -> list[DeliveryFile]:
    """The files with a UTF-8 copy for each one DuckDB cannot read as delivered."""
    work.mkdir(parents=True, exist_ok=True)
    copied = []
    for f in files:
        target = work / f.contract.entity
        target.mkdir(exist_ok=True)
        readable, _ = utf8_copy(f.path, f.options.encoding, target)
        copied.append(DeliveryFile(f.contract, f.path, f.label, f.options, f.header, readable))
    return copied


def schema_sql() -> str:
    """`raw` with one empty table per contract and the load ledger."""
    return ";\n".join([LEDGER_DDL.strip().rstrip(";"), *(c.create_table_sql() for c in load_contracts().values())]) + ";\n"


def _typed_rows(f: DeliveryFile) -> tuple[str, str]:
    """(typed columns, condition of a row the loader would load) over the reader's c0..cN."""
    position = {name: i for i, name in enumerate(f.header)}
    typed, good = [], []
    for column in f.contract.columns:
        if column.name not in position:
            typed.append(f"CAST(NULL AS {column.sql_type})")
            good += ["false"] if column.required else []
            continue
        text = text_of(position[column.name])
        value = parse_expression(column, text, f.options)
        typed.append(value)
        if column.required:
            good.append(f"{text} IS NOT NULL")
        if column.type != "varchar":
            good.append(f"({text} IS NULL OR {value} IS NOT NULL)")
    return ", ".join(typed), " AND ".join(good) or "true"


def _group_sql(files: list[DeliveryFile]) -> str:
    """The ledger rows, then the rows of files of one entity, header and convention into its raw table."""
    f = files[0]
    files_sql = "(VALUES " + ", ".join(
        f"({quote_literal(str(g.path))}, {quote_literal(str(g.readable))}, {quote_literal(g.label)})" for g in files
    ) + ") AS d(path, readable, label)"
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(f.header))) + "}"
    readables = "[" + ", ".join(quote_literal(str(g.readable)) for g in files) + "]"
    reader = (f"read_csv({readables}, header = true, auto_detect = false, columns = {columns}, filename = true, "
              f"delim = {quote_literal(f.options.delimiter)}, quote = '\"', escape = '\"')")
    typed, good = _typed_rows(f)
    names = ", ".join(f'"{c}"' for c in f.contract.column_names)
    paths = "[" + ", ".join(quote_literal(str(g.path)) for g in files) + "]"
    return (
        f"INSERT INTO raw._loads (load_id, entity, file, file_sha256, size_bytes, status, loaded_at) "
        f"SELECT uuid()::VARCHAR, {quote_literal(f.contract.entity)}, d.label, sha256(b.content), b.size, 'loaded', now()::TIMESTAMP "
        f"FROM read_blob({paths}) AS b JOIN {files_sql} ON b.filename = d.path;\n"
        f"INSERT INTO {f.contract.table} ({names}, _extra, _file, _line, _file_sha256, _loaded_at) "
        f"SELECT {typed}, NULL, d.label, r._line, l.file_sha256, now()::TIMESTAMP "
        f"FROM (SELECT *, row_number() OVER (PARTITION BY filename) + 1 AS _line FROM {reader}) AS r "
        f"JOIN {files_sql} ON r.filename = d.readable JOIN raw._loads AS l ON l.file = d.label WHERE {good};\n"
    )


def load_sql(files: list[DeliveryFile]) -> str:
    """One pair of statements per entity and kind of file (header, delimiter, conventions)."""
    groups: dict[tuple, list[DeliveryFile]] = {}
    for f in files:
        groups.setdefault((f.contract.entity, f.header, f.options), []).append(f)
    return "".join(_group_sql(group) for group in groups.values())
